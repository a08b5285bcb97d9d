//! Attack family: a name chosen to forge log lines. Names come from users
//! (a folder, a team, a display name), and messages about them end up in
//! logs and admin screens. A name holding a newline, a carriage return,
//! terminal escapes or a right-to-left override must not start a line of
//! its own, repaint a terminal or reorder what a reader sees: every name in
//! every message is written the one way the crate writes names, quoted and
//! escaped as a Rust string literal (`"ann\n- forged"`).
#![expect(
    clippy::expect_used,
    reason = "helpers outside #[test] fns stop the test loudly, naming the row"
)]

mod common;

use clearance::{
    Action, ApiKey, Author, Change, ChangeError, Channel, Channels, Effect, Grantee, Matrix,
    Permissions as P, Policy, PolicyBuilder, PublicLink, Reason, ResourceKind as K, Role, Status,
    Subject, User, UserType, UserTypes, MAX_TEAMS_PER_USER,
};

/// A name that would forge a log line if written raw: a newline and a fake
/// list item, a carriage return, a terminal escape that clears the screen,
/// a bell, a NUL, and a right-to-left override.
fn hostile(name: &str) -> String {
    format!("{name}\n- forged\r\u{1b}[2J\u{7}\u{0}\u{202e}")
}

/// What a hostile name looks like once escaped (the part every hostile
/// name shares).
const ESCAPED: &str = r"\n- forged\r\u{1b}[2J\u{7}\0\u{202e}";

/// Characters that must never reach a log raw: control characters, line and
/// paragraph separators, and the bidirectional formatting characters.
fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `message` is one line holding no dangerous character, and names at
/// least one hostile name, escaped.
#[track_caller]
fn assert_escaped(what: &str, message: &str) {
    assert!(
        !message.chars().any(is_dangerous),
        "{what}: a raw control character reaches the message: {message:?}"
    );
    assert!(
        message.contains(ESCAPED),
        "{what}: the message does not name the hostile entity escaped: {message}"
    );
}

/// Every name is hostile.
struct Names {
    acme: String,
    other: String,
    ws: String,
    far: String,
    viewer: String,
    native: String,
    heir: String,
    ops: String,
    far_team: String,
    ann: String,
    bo: String,
    cy: String,
    di: String,
    key: String,
    link: String,
}

fn names() -> Names {
    Names {
        acme: hostile("acme"),
        other: hostile("other"),
        ws: hostile("ws"),
        far: hostile("far"),
        viewer: hostile("viewer"),
        native: hostile("native"),
        heir: hostile("heir"),
        ops: hostile("ops"),
        far_team: hostile("far-team"),
        ann: hostile("ann"),
        bo: hostile("bo"),
        cy: hostile("cy"),
        di: hostile("di"),
        key: hostile("key"),
        link: hostile("link"),
    }
}

/// Two tenants; ann (native, in ops, viewer on ws), bo (the other tenant),
/// cy (connected, holds nothing), di (invited until 5); a role inherited by
/// another; a key and a link.
fn model(n: &Names) -> Policy {
    common::build(
        PolicyBuilder::new()
            .tenant(n.acme.as_str(), K::Organization)
            .tenant(n.other.as_str(), K::Organization)
            .resource(n.ws.as_str(), K::Workspace, n.acme.as_str())
            .resource(n.far.as_str(), K::Workspace, n.other.as_str())
            .role(Role::new(n.viewer.as_str()).allow_everywhere(P::VIEW))
            .role(Role::new(n.heir.as_str()).inherits(n.viewer.as_str()))
            .role(
                Role::new(n.native.as_str())
                    .allow_everywhere(P::EDIT)
                    .only_for(UserTypes::NATIVE),
            )
            .team(n.ops.as_str(), n.acme.as_str())
            .team(n.far_team.as_str(), n.other.as_str())
            .user(User::new(n.ann.as_str(), n.acme.as_str()).member_of(n.ops.as_str()))
            .user(User::new(n.bo.as_str(), n.other.as_str()))
            .user(User::new(n.cy.as_str(), n.acme.as_str()).user_type(UserType::Connected))
            .user(User::new(n.di.as_str(), n.acme.as_str()).status(Status::Invited { until: 5 }))
            .grant(
                Grantee::user(n.ann.as_str()),
                n.ws.as_str(),
                n.viewer.as_str(),
                Effect::Allow,
            )
            .api_key(ApiKey::new(n.key.as_str(), n.ann.as_str()))
            .link(PublicLink::new(n.link.as_str(), n.ws.as_str(), P::VIEW)),
    )
}

fn grant(to: Grantee, scope: &str, role: &str, by: Option<Author>) -> Change {
    Change::Grant {
        grantee: to,
        scope: scope.into(),
        role: role.into(),
        effect: Effect::Allow,
        when: Default::default(),
        by,
    }
}

#[track_caller]
fn refused(policy: &Policy, changes: Vec<Change>) -> ChangeError {
    let mut policy = policy.clone();
    policy
        .apply_all(changes)
        .expect_err("the last change is refused")
}

#[test]
fn every_change_problem_escapes_the_names_it_prints() {
    let n = names();
    let policy = model(&n);
    let fresh = hostile("fresh");
    let rows: Vec<(&str, Vec<Change>)> = vec![
        (
            "Unknown",
            vec![Change::RemoveUser {
                name: fresh.clone(),
                by: None,
            }],
        ),
        (
            "DuplicateName",
            vec![Change::AddTeam {
                name: n.ops.clone(),
                tenant: n.acme.clone(),
            }],
        ),
        (
            "NotATenant",
            vec![Change::AddTeam {
                name: fresh.clone(),
                tenant: n.ws.clone(),
            }],
        ),
        (
            "TenantRoot",
            vec![Change::MoveResource {
                name: n.acme.clone(),
                parent: n.far.clone(),
            }],
        ),
        (
            "CrossesTenants (a move)",
            vec![Change::MoveResource {
                name: n.ws.clone(),
                parent: n.far.clone(),
            }],
        ),
        (
            "CrossesTenants (a key's subtree)",
            vec![Change::AddKey(
                ApiKey::new(fresh.as_str(), n.ann.as_str()).within(n.far.as_str()),
            )],
        ),
        (
            "CrossesTenants (a user's grant)",
            vec![grant(Grantee::user(n.bo.as_str()), &n.ws, &n.viewer, None)],
        ),
        (
            "CrossesTenants (a team's grant)",
            vec![grant(
                Grantee::team(n.far_team.as_str()),
                &n.ws,
                &n.viewer,
                None,
            )],
        ),
        (
            "CrossesTenants (a membership)",
            vec![Change::AddMembership {
                user: n.ann.clone(),
                team: n.far_team.clone(),
            }],
        ),
        (
            "Cycle",
            vec![
                Change::AddResource {
                    name: fresh.clone(),
                    kind: K::Folder,
                    parent: Some(n.ws.clone()),
                },
                Change::MoveResource {
                    name: n.ws.clone(),
                    parent: fresh.clone(),
                },
            ],
        ),
        (
            "IneligibleRole",
            vec![grant(Grantee::user(n.cy.as_str()), &n.ws, &n.native, None)],
        ),
        (
            "ChannelsNotAllowed",
            vec![Change::AddUser(
                User::new(fresh.as_str(), n.acme.as_str())
                    .user_type(UserType::Interface)
                    .channels(Channels::all()),
            )],
        ),
        (
            "AlreadyMember",
            vec![Change::AddMembership {
                user: n.ann.clone(),
                team: n.ops.clone(),
            }],
        ),
        (
            "NotInTeam",
            vec![Change::RemoveMembership {
                user: n.cy.clone(),
                team: n.ops.clone(),
            }],
        ),
        (
            "WrongStatus",
            vec![Change::AcceptInvitation {
                user: n.ann.clone(),
                at: 1,
            }],
        ),
        (
            "InvitationExpired",
            vec![Change::AcceptInvitation {
                user: n.di.clone(),
                at: 10,
            }],
        ),
        (
            "InUse",
            vec![Change::RemoveRole {
                name: n.viewer.clone(),
            }],
        ),
        (
            "Refused",
            vec![grant(
                Grantee::user(n.cy.as_str()),
                &n.ws,
                &n.viewer,
                Some(Author::web(n.cy.as_str(), 1)),
            )],
        ),
        (
            "AlreadyRevoked",
            vec![
                Change::RevokeLink {
                    name: n.link.clone(),
                },
                Change::RevokeLink {
                    name: n.link.clone(),
                },
            ],
        ),
        (
            "Invalid (a role cycle)",
            vec![Change::UpdateRole(
                Role::new(n.viewer.as_str()).inherits(n.heir.as_str()),
            )],
        ),
    ];
    for (what, changes) in rows {
        let error = refused(&policy, changes);
        assert_escaped(what, &error.problem().to_string());
        assert_escaped(what, &error.to_string());
        assert_escaped(what, error.change());
    }

    // Every name a crossing names is escaped, the moved one as well as
    // both tenants.
    let error = refused(
        &policy,
        vec![Change::MoveResource {
            name: n.ws.clone(),
            parent: n.far.clone(),
        }],
    );
    let message = error.problem().to_string();
    for name in [&n.far, &n.acme, &n.other] {
        assert!(message.contains(&format!("{name:?}")), "{message}");
    }
}

#[test]
fn a_user_in_too_many_teams_is_named_escaped() {
    let n = names();
    let mut builder = PolicyBuilder::new();
    builder.tenant(n.acme.as_str(), K::Organization);
    let mut ann = User::new(n.ann.as_str(), n.acme.as_str());
    for index in 0..=MAX_TEAMS_PER_USER {
        let team = hostile(&format!("t{index}"));
        builder.team(team.as_str(), n.acme.as_str());
        ann = ann.member_of(team);
    }
    builder.user(ann);
    let error = builder.build().expect_err("too many teams");
    for problem in error.problems() {
        assert_escaped("TooManyTeams", &problem.to_string());
    }
}

/// A builder whose every problem names hostile entities.
fn broken(n: &Names) -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant(n.acme.as_str(), K::Organization)
        .tenant(n.other.as_str(), K::Organization)
        .resource(n.ws.as_str(), K::Workspace, n.acme.as_str())
        .resource(n.far.as_str(), K::Workspace, n.other.as_str())
        // ResourceCycle
        .resource(hostile("loop-a"), K::Folder, hostile("loop-b"))
        .resource(hostile("loop-b"), K::Folder, hostile("loop-a"))
        .role(Role::new(n.viewer.as_str()).allow_everywhere(P::VIEW))
        .role(
            Role::new(n.native.as_str())
                .allow_everywhere(P::EDIT)
                .only_for(UserTypes::NATIVE),
        )
        // RoleCycle
        .role(Role::new(hostile("role-a")).inherits(hostile("role-b")))
        .role(Role::new(hostile("role-b")).inherits(hostile("role-a")))
        .team(n.ops.as_str(), n.acme.as_str())
        .team(n.far_team.as_str(), n.other.as_str())
        // CrossesTenants (a membership)
        .user(User::new(n.ann.as_str(), n.acme.as_str()).member_of(n.far_team.as_str()))
        // DuplicateName
        .user(User::new(n.ann.as_str(), n.acme.as_str()))
        // NotATenant
        .user(User::new(n.bo.as_str(), n.ws.as_str()))
        .user(User::new(n.cy.as_str(), n.acme.as_str()).user_type(UserType::Connected))
        // ChannelsNotAllowed
        .user(
            User::new(n.di.as_str(), n.acme.as_str())
                .user_type(UserType::Interface)
                .channels(Channels::all()),
        )
        // UnknownReference
        .grant(
            Grantee::team(hostile("nobody")),
            n.ws.as_str(),
            n.viewer.as_str(),
            Effect::Allow,
        )
        // CrossesTenants (a grant)
        .grant(
            Grantee::team(n.far_team.as_str()),
            n.ws.as_str(),
            n.viewer.as_str(),
            Effect::Allow,
        )
        // IneligibleRole, directly and through a team
        .grant(
            Grantee::user(n.cy.as_str()),
            n.ws.as_str(),
            n.native.as_str(),
            Effect::Allow,
        )
        // CrossesTenants (a key's subtree, a link)
        .api_key(ApiKey::new(n.key.as_str(), n.ann.as_str()).within(n.far.as_str()))
        .link(PublicLink::new(
            n.link.as_str(),
            hostile("nowhere"),
            P::VIEW,
        ));
    builder
}

#[test]
fn every_build_problem_escapes_the_names_it_prints() {
    let n = names();
    let error = broken(&n).build().expect_err("broken");
    let kinds: Vec<String> = error
        .problems()
        .iter()
        .map(|problem| {
            format!("{problem:?}")
                .split([' ', '(', '{'])
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    for expected in [
        "DuplicateName",
        "UnknownReference",
        "ResourceCycle",
        "RoleCycle",
        "NotATenant",
        "CrossesTenants",
        "IneligibleRole",
        "ChannelsNotAllowed",
    ] {
        assert!(
            kinds.iter().any(|kind| kind == expected),
            "{expected} in {kinds:?}"
        );
    }
    for problem in error.problems() {
        assert_escaped(&format!("{problem:?}"), &problem.to_string());
    }
    // The whole report: one line per problem, after the heading.
    let report = error.to_string();
    assert_eq!(
        report.lines().count(),
        error.problems().len() + 1,
        "{report}"
    );
}

#[test]
fn every_document_problem_escapes_the_names_and_paths_it_prints() {
    let n = names();
    let mut document = model(&n).to_document();
    // Some of the broken builder's mistakes, in a document.
    document.users.push(document.users[0].clone());
    let mut stray = document.users[1].clone();
    stray.tenant = n.ws.clone();
    stray.name = hostile("stray");
    document.users.push(stray);
    let mut grant = document.grants[0].clone();
    grant.to = Grantee::team(hostile("nobody"));
    document.grants.push(grant);
    let mut cross = document.grants[0].clone();
    cross.to = Grantee::team(n.far_team.as_str());
    document.grants.push(cross);
    let error = clearance::Policy::from_document(&document).expect_err("broken");
    let clearance::DocumentError::Invalid { problems, .. } = &error else {
        panic!("{error}");
    };
    assert!(problems.len() >= 4, "{error}");
    for problem in problems {
        assert_escaped(&problem.path, &problem.to_string());
    }
    let report = error.to_string();
    assert_eq!(report.lines().count(), problems.len() + 1, "{report}");
}

#[test]
fn explanations_escape_the_names_they_print() {
    let n = names();
    let policy = model(&n);
    let ann = policy.user_id(&n.ann).expect("ann");
    let ops = policy.team_id(&n.ops).expect("ops");
    let ws = policy.resource_id(&n.ws).expect("ws");
    let viewer = policy.role_id(&n.viewer).expect("viewer");
    let reasons = [
        Reason::Granted {
            principal: clearance::Principal::User(ann),
            scope: ws,
            role: viewer,
        },
        Reason::Overridden { at: ws },
        Reason::Denied {
            at: ws,
            principal: clearance::Principal::Team(ops),
        },
    ];
    for reason in reasons {
        assert_escaped(&format!("{reason:?}"), &policy.explain(reason).to_string());
    }
    let decision = policy.authorize(&Subject::user(ann, Channel::Web), Action::View, ws);
    assert_escaped("a decision", &policy.explain(decision.reason()).to_string());
}

/// Matrix labels and table cells live on one line of a Markdown table, so
/// they cannot hold a newline; the rest of the hostile set applies.
fn hostile_label(name: &str) -> String {
    format!("{name}\u{1b}[2J\u{7}\u{202e}\u{0}")
}

const ESCAPED_LABEL: &str = r"\u{1b}[2J\u{7}\u{202e}\0";

#[track_caller]
fn assert_label_escaped(what: &str, message: &str) {
    assert!(
        !message.chars().any(is_dangerous),
        "{what}: a raw control character reaches the message: {message:?}"
    );
    assert!(message.contains(ESCAPED_LABEL), "{what}: {message}");
}

#[test]
fn matrix_mismatches_and_table_errors_escape_labels_and_cells() {
    let n = names();
    let policy = model(&n);
    let ann = Subject::user(policy.user_id(&n.ann).expect("ann"), Channel::Web);
    let ws = policy.resource_id(&n.ws).expect("ws");
    let row = hostile_label("Edit");
    let column = hostile_label("Ann");
    let matrix = Matrix::compute(
        &policy,
        [(row.as_str(), Action::Edit, ws)],
        [(column.as_str(), ann)],
    );
    let cell = hostile_label("Y");
    let table = format!("| Capability | {column} |\n|---|---|\n| {row} | Y{cell} |\n");
    // The cell is neither yes nor no.
    let error = matrix.check(&table).expect_err("unreadable");
    assert_label_escaped("UnreadableCell", &error.to_string());
    // A mismatch: the table says yes, the policy denies.
    let table = format!("| Capability | {column} |\n|---|---|\n| {row} | Y |\n");
    let error = matrix.check(&table).expect_err("mismatch");
    for mismatch in error.mismatches() {
        assert_label_escaped("Mismatch", &mismatch.to_string());
    }
    // The whole report: one line per mismatch, after the heading.
    let report = error.to_string();
    assert_eq!(
        report.lines().count(),
        error.mismatches().len() + 1,
        "{report}"
    );
    for line in report.lines().skip(1) {
        assert_label_escaped("CheckError", line);
    }
    // Table errors that quote a line of the table.
    for table in [
        format!("{row}\n"),
        format!("| Capability | {column} |\n| {row} | Y |\n"),
        format!("| Capability | {column} |\n|---|---|\n| {row} | Y | N |\n"),
        format!("| Capability | {column} | {column} |\n|---|---|---|\n"),
        format!("| Capability | {row} |\n|---|---|\n"),
        format!("| Capability | {column} |\n|---|---|\n| {column} | Y |\n"),
    ] {
        let error = matrix.check(&table).expect_err("refused");
        assert_label_escaped(&format!("{error:?}"), &error.to_string());
    }
}
