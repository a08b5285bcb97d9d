//! Attack family: learning that something exists in another tenant.
//!
//! A decision keeps its precise reason (`WrongTenant`) for the host's logs;
//! its caller-facing form (`Decision::for_caller`) must not tell a resource
//! of another tenant from one that does not exist, whatever the state of
//! the account, key or link asking. Likewise a change's error keeps its
//! precise problem for the logs, and its caller-facing form
//! (`ChangeError::for_caller`) must not tell an author anything of another
//! tenant than his from a name nothing has.
#![expect(
    clippy::panic,
    reason = "helpers outside #[test] fns stop the test loudly"
)]

mod common;
mod generate;
#[allow(dead_code, reason = "this file uses the model, not the evaluator")]
mod reference;

use clearance::{
    Action, ApiKey, Author, Change, ChangeError, ChangeProblem, Channel, Condition, Effect, Entity,
    Grant, Grantee, KeyId, LinkId, Permissions as P, Policy, PolicyBuilder, Principal, PublicLink,
    Reason, ResourceId, ResourceKind as K, Role, Status, Subject, TeamId, User, UserId,
};
use common::{build, key, link, resource, user};
use proptest::prelude::*;

fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .tenant("globex", K::Organization)
            .resource("secret-merger", K::Flow, "globex")
            .role(Role::new("viewer").allow([K::Workspace, K::Flow], P::VIEW))
            .user(User::new("ann", "acme"))
            .user(User::new("sus", "acme").status(Status::Suspended))
            .grant(Grantee::user("ann"), "ws", "viewer", Effect::Allow)
            .api_key(ApiKey::new("revoked-key", "ann").revoked(true))
            .api_key(ApiKey::new("old-key", "ann").expires_at(10))
            .link(PublicLink::new("revoked-link", "ws", P::VIEW).revoked(true)),
    )
}

#[test]
fn the_caller_cannot_tell_another_tenants_resource_from_a_missing_one() {
    let policy = model();
    let theirs = resource(&policy, "secret-merger");
    let missing = ResourceId::from_index(10_000);
    for subject in [
        user(&policy, "ann"),
        user(&policy, "sus"),
        key(&policy, "revoked-key"),
        key(&policy, "old-key").at(10),
        Subject::key(common::key_id(&policy, "old-key")),
        link(&policy, "revoked-link"),
    ] {
        let precise = policy.authorize(&subject, Action::View, theirs);
        // For the logs: another tenant's, unless the caller's own state
        // refused him before anything about the resource.
        assert!(
            precise.reason() == Reason::WrongTenant || precise.reason().is_about_the_caller(),
            "{subject:?}: {:?}",
            precise.reason()
        );
        assert_eq!(
            precise.for_caller(),
            policy
                .authorize(&subject, Action::View, missing)
                .for_caller(),
            "{subject:?}: the caller is told the same as for a missing resource"
        );
    }
}

#[test]
fn a_dead_credential_is_told_its_own_state_whatever_it_asks_about() {
    let policy = model();
    let ours = resource(&policy, "ws");
    let theirs = resource(&policy, "secret-merger");
    let missing = ResourceId::from_index(10_000);
    for (subject, state) in [
        (user(&policy, "sus"), Reason::Suspended),
        (key(&policy, "revoked-key"), Reason::KeyRevoked),
        (key(&policy, "old-key").at(10), Reason::KeyExpired),
        (
            Subject::key(common::key_id(&policy, "old-key")),
            Reason::TimeUnknown,
        ),
        (link(&policy, "revoked-link"), Reason::LinkRevoked),
    ] {
        for resource in [ours, theirs, missing] {
            assert_eq!(
                policy.authorize(&subject, Action::View, resource).reason(),
                state,
                "{subject:?} on {resource:?}: an existing resource of its tenant, another \
                 tenant's and a missing one read the same to a credential that may not act"
            );
        }
    }
}

#[test]
fn the_caller_facing_form_keeps_every_other_reason() {
    let policy = model();
    let ws = resource(&policy, "ws");
    for subject in [
        user(&policy, "ann"),
        user(&policy, "sus"),
        key(&policy, "revoked-key"),
    ] {
        for action in Action::ALL {
            let decision = policy.authorize(&subject, action, ws);
            assert_eq!(decision.for_caller(), decision);
        }
    }
}

/// Every subject the generated model knows, and some it does not.
fn subjects(model: &reference::Model, mfa: bool, now: Option<u64>) -> Vec<Subject> {
    let mut subjects = Vec::new();
    for user in 0..=model.users.len() as u32 {
        subjects.push(Subject::user(UserId::from_index(user), Channel::Web));
    }
    for key in 0..=model.keys.len() as u32 {
        subjects.push(Subject::key(KeyId::from_index(key)));
    }
    for link in 0..=model.links.len() as u32 {
        subjects.push(Subject::link(LinkId::from_index(link)));
    }
    subjects
        .into_iter()
        .map(|subject| {
            let subject = subject.with_mfa(mfa);
            match now {
                Some(now) => subject.at(now),
                None => subject,
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(generate::config(256))]

    /// For every subject, action and resource of another tenant than the
    /// subject's, the decision is `WrongTenant` (or the subject's own state,
    /// checked first), and its caller-facing form is the one for a resource
    /// that does not exist.
    #[test]
    fn another_tenants_resources_read_as_missing_to_the_caller(
        model in generate::model(),
        mfa in any::<bool>(),
        now in proptest::option::weighted(0.8, 0..120u64),
    ) {
        let policy = match reference::builder(&model).build() {
            Ok(policy) => policy,
            Err(error) => return Err(TestCaseError::fail(format!("{error}"))),
        };
        let missing = ResourceId::from_index(model.resources.len() as u32 + 7);
        for subject in subjects(&model, mfa, now) {
            let Some(tenant) = model.tenant_of_subject(&subject) else { continue };
            for resource in 0..model.resources.len() {
                if model.tenant_of(resource) == tenant {
                    continue;
                }
                let resource = ResourceId::from_index(resource as u32);
                for action in [Action::View, Action::Edit, Action::Delete] {
                    let theirs = policy.authorize(&subject, action, resource);
                    let nowhere = policy.authorize(&subject, action, missing);
                    prop_assert!(
                        theirs.reason() == Reason::WrongTenant
                            || theirs.reason().is_about_the_caller(),
                        "{:?}", theirs.reason()
                    );
                    prop_assert_eq!(theirs.for_caller(), nowhere.for_caller());
                }
            }
        }
    }
}

// ---- changes made by an author (an admin screen) ----

/// `acme` and `globex`, each with a resource, a team, a user holding
/// nothing and an administrator.
fn two_tenants() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .tenant("globex", K::Organization)
            .resource("globex-merger", K::Folder, "globex")
            .role(Role::new("viewer").allow_everywhere(P::VIEW))
            .role(Role::new("admin").allow_everywhere(P::all_named()))
            .team("ops", "acme")
            .team("gops", "globex")
            .user(User::new("eve", "acme"))
            .user(User::new("ann", "acme"))
            .user(User::new("gary@globex", "globex"))
            .user(User::new("gus", "globex"))
            .grant(Grantee::user("ann"), "acme", "admin", Effect::Allow)
            .grant(Grantee::user("gus"), "globex", "admin", Effect::Allow)
            .grant(Grantee::Everyone, "globex-merger", "viewer", Effect::Allow)
            .grant(Grantee::Everyone, "globex-merger", "viewer", Effect::Deny)
            .grant(
                Grantee::user("gary@globex"),
                "globex",
                "viewer",
                Effect::Allow,
            )
            .grant(Grantee::team("gops"), "globex", "viewer", Effect::Allow)
            .grant(Grantee::Everyone, "ws", "viewer", Effect::Allow),
    )
}

fn grant_change(grantee: Grantee, scope: &str, effect: Effect, by: &str) -> Change {
    Change::Grant {
        grantee,
        scope: scope.into(),
        role: "viewer".into(),
        effect,
        when: Condition::Always,
        by: Some(Author::web(by, 1_700_000_000).with_mfa(true)),
    }
}

fn revoke_change(grantee: Grantee, scope: &str, effect: Effect, by: &str) -> Change {
    Change::Revoke {
        grantee,
        scope: scope.into(),
        role: "viewer".into(),
        effect,
        by: Some(Author::web(by, 1_700_000_000).with_mfa(true)),
    }
}

/// The refusal of `change`, precise (for the logs) and as the caller may
/// be told it; the policy is left as it was.
#[track_caller]
fn refusal(policy: &Policy, change: Change) -> (ChangeError, ChangeError) {
    let mut changed = policy.clone();
    let Err(error) = changed.apply(change.clone()) else {
        panic!("{change} was accepted");
    };
    assert_eq!(&changed, policy, "{change}: refused, nothing changed");
    let for_caller = error.for_caller();
    (error, for_caller)
}

/// A change naming something: `of(name)`, for the name of something of
/// another tenant than the author's and for a name nothing has.
type Probe = (&'static str, fn(&str, &str) -> Change, &'static str, Entity);

fn probes() -> Vec<Probe> {
    vec![
        // The scope is of another tenant than the author's.
        (
            "eve",
            |s, by| grant_change(Grantee::Everyone, s, Effect::Allow, by),
            "globex-merger",
            Entity::Resource,
        ),
        (
            "eve",
            |s, by| grant_change(Grantee::Everyone, s, Effect::Deny, by),
            "globex-merger",
            Entity::Resource,
        ),
        (
            "eve",
            |s, by| grant_change(Grantee::user("eve"), s, Effect::Allow, by),
            "globex-merger",
            Entity::Resource,
        ),
        (
            "eve",
            |s, by| grant_change(Grantee::user("gary@globex"), s, Effect::Allow, by),
            "globex-merger",
            Entity::Resource,
        ),
        (
            "eve",
            |s, by| revoke_change(Grantee::Everyone, s, Effect::Allow, by),
            "globex-merger",
            Entity::Resource,
        ),
        (
            "eve",
            |s, by| revoke_change(Grantee::Everyone, s, Effect::Deny, by),
            "globex-merger",
            Entity::Resource,
        ),
        (
            "ann",
            |s, by| grant_change(Grantee::Everyone, s, Effect::Allow, by),
            "globex-merger",
            Entity::Resource,
        ),
        (
            "ann",
            |s, by| revoke_change(Grantee::Everyone, s, Effect::Deny, by),
            "globex-merger",
            Entity::Resource,
        ),
        (
            "gus",
            |s, by| grant_change(Grantee::Everyone, s, Effect::Allow, by),
            "ws",
            Entity::Resource,
        ),
        (
            "gus",
            |s, by| revoke_change(Grantee::Everyone, s, Effect::Allow, by),
            "ws",
            Entity::Resource,
        ),
        // The grantee is of another tenant than the author's.
        (
            "eve",
            |u, by| grant_change(Grantee::user(u), "acme", Effect::Allow, by),
            "gary@globex",
            Entity::User,
        ),
        (
            "eve",
            |u, by| grant_change(Grantee::user(u), "ws", Effect::Deny, by),
            "gary@globex",
            Entity::User,
        ),
        (
            "eve",
            |u, by| revoke_change(Grantee::user(u), "ws", Effect::Allow, by),
            "gary@globex",
            Entity::User,
        ),
        (
            "ann",
            |u, by| grant_change(Grantee::user(u), "ws", Effect::Allow, by),
            "gary@globex",
            Entity::User,
        ),
        (
            "ann",
            |u, by| revoke_change(Grantee::user(u), "ws", Effect::Allow, by),
            "gary@globex",
            Entity::User,
        ),
        (
            "eve",
            |t, by| grant_change(Grantee::team(t), "ws", Effect::Allow, by),
            "gops",
            Entity::Team,
        ),
        (
            "ann",
            |t, by| grant_change(Grantee::team(t), "ws", Effect::Allow, by),
            "gops",
            Entity::Team,
        ),
        (
            "ann",
            |t, by| revoke_change(Grantee::team(t), "ws", Effect::Allow, by),
            "gops",
            Entity::Team,
        ),
        (
            "gus",
            |u, by| grant_change(Grantee::user(u), "globex", Effect::Allow, by),
            "eve",
            Entity::User,
        ),
    ]
}

/// Item 9, through changes: an author (with no rights, or an administrator
/// of his own tenant) told why his change was refused learns nothing about
/// other tenants: a resource, user or team of another tenant than his reads
/// exactly as a name nothing has (same problem, same text), while the
/// precise error, for the host's logs, still says what crossed.
#[test]
fn an_author_cannot_tell_another_tenants_entity_from_a_missing_one() {
    let policy = two_tenants();
    let mut failures = Vec::new();
    for (row, (author, change, theirs, entity)) in probes().into_iter().enumerate() {
        let missing = "no-such-name";
        let (precise, caller) = refusal(&policy, change(theirs, author));
        let (_, nowhere) = refusal(&policy, change(missing, author));
        let expected = ChangeProblem::Unknown {
            entity,
            name: theirs.into(),
        };
        let told = caller.to_string().replace(&format!("{theirs:?}"), "X");
        let told_nowhere = nowhere.to_string().replace(&format!("{missing:?}"), "X");
        if caller.problem() != &expected || told != told_nowhere {
            failures.push(format!(
                "row {row}, by {author}:\n  told    {caller}\n  missing {nowhere}"
            ));
        }
        if !matches!(precise.problem(), ChangeProblem::CrossesTenants { .. }) {
            failures.push(format!("row {row}, by {author}: the log reads {precise}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Item 9, through `can_grant`: a grantee of another tenant than the
/// scope's reads, to the caller, as a grantee that does not exist; the
/// precise reason, for the logs, still says where it belongs.
#[test]
fn can_grant_tells_the_caller_the_same_for_another_tenants_grantee_as_for_a_missing_one() {
    let policy = two_tenants();
    let ws = resource(&policy, "ws");
    let viewer = common::role_id(&policy, "viewer");
    let of = |principal| Grant {
        principal,
        scope: ws,
        role: viewer,
        effect: Effect::Allow,
    };
    let rows = [
        (
            Principal::User(common::user_id(&policy, "gary@globex")),
            Principal::User(UserId::from_index(999)),
        ),
        (
            Principal::Team(common::team_id(&policy, "gops")),
            Principal::Team(TeamId::from_index(999)),
        ),
    ];
    for granter in ["ann", "eve"] {
        let granter = user(&policy, granter);
        for (theirs, missing) in rows {
            for effect in [Effect::Allow, Effect::Deny] {
                let theirs = Grant {
                    effect,
                    ..of(theirs)
                };
                let missing = Grant {
                    effect,
                    ..of(missing)
                };
                let told = policy.can_grant(&granter, &theirs).for_caller();
                let told_nowhere = policy.can_grant(&granter, &missing).for_caller();
                assert_eq!(told, told_nowhere, "{granter:?}, {theirs:?}");
                assert!(!told.is_allowed());
                if granter == user(&policy, "ann") {
                    assert_eq!(
                        policy.can_grant(&granter, &theirs).reason(),
                        Reason::GranteeOfAnotherTenant,
                        "for the logs"
                    );
                }
            }
        }
    }
}

/// A change without an author is the host's own: its error stays precise
/// (the crossing, against the tenant the change is in), and its
/// caller-facing form, should the host relay it, hides the crossing as for
/// an author.
#[test]
fn a_change_without_an_author_keeps_its_precise_error() {
    let policy = two_tenants();
    let change = Change::Grant {
        grantee: Grantee::user("gary@globex"),
        scope: "ws".into(),
        role: "viewer".into(),
        effect: Effect::Allow,
        when: Condition::Always,
        by: None,
    };
    let (precise, caller) = refusal(&policy, change);
    assert_eq!(
        precise.problem(),
        &ChangeProblem::CrossesTenants {
            entity: Entity::User,
            name: "gary@globex".into(),
            tenant: "acme".into(),
            other_tenant: "globex".into(),
        }
    );
    assert_eq!(
        caller.problem(),
        &ChangeProblem::Unknown {
            entity: Entity::User,
            name: "gary@globex".into(),
        }
    );
}

#[test]
fn the_caller_facing_change_error_keeps_every_other_problem() {
    let policy = two_tenants();
    let changes = [
        grant_change(Grantee::Everyone, "ws", Effect::Allow, "eve"),
        grant_change(Grantee::Everyone, "ws", Effect::Allow, "ann"),
        grant_change(Grantee::user("nobody"), "ws", Effect::Allow, "ann"),
        revoke_change(Grantee::user("eve"), "ws", Effect::Allow, "ann"),
        grant_change(Grantee::Everyone, "ws", Effect::Allow, "nobody"),
        Change::Suspend {
            user: "nobody".into(),
            by: None,
        },
        Change::AddTeam {
            name: "ops".into(),
            tenant: "acme".into(),
        },
    ];
    for change in changes {
        let (precise, caller) = refusal(&policy, change);
        assert_eq!(caller, precise);
    }
}
