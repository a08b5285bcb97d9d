//! Changes: every [`Change`] does what its documentation says, is applied
//! whole or not at all, advances the revision, leaves nothing dangling when
//! it removes something, follows the account lifecycle, is authorized when
//! it carries its author (`can_grant`), and respects the licence seat limit
//! (DESIGN.md, "Changing the model"; issue 3, "Changes").

// clippy.toml allows panics in `#[test]` functions only; the helpers below
// fail the test the way `assert!` does.
#![expect(clippy::panic, reason = "test helpers fail the test by panicking")]

mod common;

use clearance::{
    Action, ApiKey, Author, Change, ChangeProblem, Channel, Effect, Entity, Grant, Grantee,
    Permissions as P, Policy, PolicyBuilder, Problem, PublicLink, Reason, ResourceId,
    ResourceKind as K, Revision, Role, Seats, Status, Subject, User, UserType, UserTypes,
};
use common::{
    assert_decision, assert_gets_nothing, assert_nothing_dangles, build, check, key, key_id, link,
    link_id, problems, resource, role_id, user, user_id, By, Expected, Row,
};

/// The invitation of "ivy" expires at this time (exclusive).
const EXPIRY: u64 = 1_000;

/// ```text
/// acme (organization)
/// ├── ws (workspace)         ann: ws-admin; ops: editor; the public: viewer
/// │   ├── folder (folder)    bob: deleter
/// │   │   └── flow (flow)
/// │   └── other (flow)
/// └── ws2 (workspace)
/// globex (organization)
/// └── gws (workspace)        gops: editor
/// ```
///
/// Roles: viewer (view) < editor (edit, execute on folders and flows) <
/// ws-admin (manage members, create; no delete); deleter (delete on flows);
/// native-viewer (view, native users only). Users of acme: ann, bob (in
/// ops), cy (connected), dee (suspended), ivy (invited until [`EXPIRY`]);
/// of globex: gus (in gops). Keys: bob-key, folder-key (ann's, limited to
/// folder), gus-key. Links: flow-link, ws-link (view).
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("folder", K::Folder, "ws")
            .resource("flow", K::Flow, "folder")
            .resource("other", K::Flow, "ws")
            .resource("ws2", K::Workspace, "acme")
            .tenant("globex", K::Organization)
            .resource("gws", K::Workspace, "globex")
            .role(Role::new("viewer").allow([K::Workspace, K::Folder, K::Flow], P::VIEW))
            .role(
                Role::new("editor")
                    .inherits("viewer")
                    .allow([K::Folder, K::Flow], P::EDIT | P::EXECUTE),
            )
            .role(Role::new("ws-admin").inherits("editor").allow(
                [K::Workspace, K::Folder, K::Flow],
                P::MANAGE_MEMBERS | P::CREATE,
            ))
            .role(Role::new("deleter").allow([K::Flow], P::DELETE))
            .role(
                Role::new("native-viewer")
                    .allow([K::Workspace, K::Folder, K::Flow], P::VIEW)
                    .only_for(UserTypes::NATIVE),
            )
            .team("ops", "acme")
            .team("gops", "globex")
            .user(User::new("ann", "acme"))
            .user(User::new("bob", "acme").member_of("ops"))
            .user(User::new("cy", "acme").user_type(UserType::Connected))
            .user(User::new("dee", "acme").status(Status::Suspended))
            .user(User::new("ivy", "acme").status(Status::Invited { until: EXPIRY }))
            .user(User::new("gus", "globex").member_of("gops"))
            .grant(Grantee::user("ann"), "ws", "ws-admin", Effect::Allow)
            .grant(Grantee::team("ops"), "ws", "editor", Effect::Allow)
            .grant(Grantee::user("bob"), "folder", "deleter", Effect::Allow)
            .grant(Grantee::Public, "ws", "viewer", Effect::Allow)
            .grant(Grantee::team("gops"), "gws", "editor", Effect::Allow)
            .api_key(ApiKey::new("bob-key", "bob"))
            .api_key(ApiKey::new("folder-key", "ann").within("folder"))
            .api_key(ApiKey::new("gus-key", "gus"))
            .link(PublicLink::new("flow-link", "flow", P::VIEW))
            .link(PublicLink::new("ws-link", "ws", P::VIEW)),
    )
}

/// Applies a change that must apply, and returns the new revision.
#[track_caller]
fn apply(policy: &mut Policy, change: Change) -> Revision {
    match policy.apply(change) {
        Ok(revision) => revision,
        Err(error) => panic!("{error}"),
    }
}

/// Applies a change that must be refused, through [`Policy::apply`] and
/// through [`Policy::apply_all`]; checks that both leave the policy exactly
/// as before and describe the change by its `Display`; returns the problem.
#[track_caller]
fn refused(policy: &mut Policy, change: Change) -> ChangeProblem {
    let before = policy.clone();
    let described = change.to_string();
    let error = match policy.apply(change.clone()) {
        Ok(revision) => panic!("{described:?} was applied ({revision}), but must be refused"),
        Err(error) => error,
    };
    assert_eq!(
        *policy, before,
        "{described}: a refused change changed the policy"
    );
    assert_eq!(error.index(), 0, "{error}");
    assert_eq!(error.change(), described);
    assert_eq!(
        error.to_string(),
        format!("change #0 ({described}) refused: {}", error.problem())
    );
    match policy.apply_all([change]) {
        Ok(revision) => panic!("{described:?} was applied in a batch ({revision})"),
        Err(batch) => assert_eq!(batch, error, "apply and apply_all disagree"),
    }
    assert_eq!(
        *policy, before,
        "{described}: a refused batch changed the policy"
    );
    error.problem().clone()
}

/// Applies each change in turn, then checks the rows that must hold after
/// it (subjects resolved with `subject`); reports every failing row with
/// its step.
#[track_caller]
fn story(
    policy: &mut Policy,
    subject: impl Fn(&Policy, &str) -> Subject,
    steps: Vec<(Change, Vec<Row>)>,
) {
    for (step, (change, rows)) in steps.into_iter().enumerate() {
        let described = change.to_string();
        apply(policy, change);
        let failures: Vec<String> = rows
            .iter()
            .enumerate()
            .filter_map(|(row, &(who, action, resource_name, expected))| {
                let id = resource(policy, resource_name);
                check(
                    policy,
                    &subject(policy, who),
                    action,
                    id,
                    expected.reason(policy),
                )
                .err()
                .map(|message| {
                    format!("row {row} ({who:?}, {action:?}, {resource_name:?}): {message}")
                })
            })
            .collect();
        assert!(
            failures.is_empty(),
            "after step {step} ({described}):\n{}",
            failures.join("\n")
        );
    }
}

/// A grant by names, compiled against `policy`, for `can_grant`.
#[track_caller]
fn grant(policy: &Policy, to: By, scope: &str, role: &str, effect: Effect) -> Grant {
    Grant {
        principal: to.principal(policy),
        scope: resource(policy, scope),
        role: role_id(policy, role),
        effect,
    }
}

fn add(name: &str, kind: K, parent: Option<&str>) -> Change {
    Change::AddResource {
        name: name.into(),
        kind,
        parent: parent.map(Into::into),
    }
}

fn grant_change(grantee: Grantee, scope: &str, role: &str, effect: Effect) -> Change {
    Change::Grant {
        grantee,
        scope: scope.into(),
        role: role.into(),
        effect,
        when: clearance::Condition::Always,
        by: None,
    }
}

fn revoke_change(grantee: Grantee, scope: &str, role: &str, effect: Effect) -> Change {
    Change::Revoke {
        grantee,
        scope: scope.into(),
        role: role.into(),
        effect,
        by: None,
    }
}

fn membership(user: &str, team: &str) -> Change {
    Change::AddMembership {
        user: user.into(),
        team: team.into(),
    }
}

fn add_team(name: &str, tenant: &str) -> Change {
    Change::AddTeam {
        name: name.into(),
        tenant: tenant.into(),
    }
}

fn move_to(name: &str, parent: &str) -> Change {
    Change::MoveResource {
        name: name.into(),
        parent: parent.into(),
    }
}

fn leave(user: &str, team: &str) -> Change {
    Change::RemoveMembership {
        user: user.into(),
        team: team.into(),
    }
}

fn accept(user: &str, at: u64) -> Change {
    Change::AcceptInvitation {
        user: user.into(),
        at,
    }
}

fn remove_resource(name: &str) -> Change {
    Change::RemoveResource { name: name.into() }
}

fn remove_role(name: &str) -> Change {
    Change::RemoveRole { name: name.into() }
}

fn remove_team(name: &str) -> Change {
    Change::RemoveTeam { name: name.into() }
}

fn remove_user(name: &str) -> Change {
    Change::RemoveUser { name: name.into() }
}

fn revoke_key(name: &str) -> Change {
    Change::RevokeKey { name: name.into() }
}

fn remove_key(name: &str) -> Change {
    Change::RemoveKey { name: name.into() }
}

fn revoke_link(name: &str) -> Change {
    Change::RevokeLink { name: name.into() }
}

fn remove_link(name: &str) -> Change {
    Change::RemoveLink { name: name.into() }
}

fn suspend(user: &str) -> Change {
    Change::Suspend { user: user.into() }
}

fn reactivate(user: &str) -> Change {
    Change::Reactivate { user: user.into() }
}

fn deactivate(user: &str) -> Change {
    Change::Deactivate { user: user.into() }
}

fn expire(user: &str) -> Change {
    Change::ExpireInvitation { user: user.into() }
}

fn revoke_invitation(user: &str) -> Change {
    Change::RevokeInvitation { user: user.into() }
}

// ---- every change does what its documentation says ----

#[test]
fn an_added_resource_stands_below_its_parent_and_inherits_there() {
    let mut policy = model();
    story(
        &mut policy,
        user,
        vec![(
            add("report", K::Flow, Some("folder")),
            vec![
                (
                    "bob",
                    Action::Edit,
                    "report",
                    Expected::Granted(By::Team("ops"), "ws", "editor"),
                ),
                (
                    "bob",
                    Action::Delete,
                    "report",
                    Expected::Granted(By::User("bob"), "folder", "deleter"),
                ),
                (
                    "cy",
                    Action::View,
                    "report",
                    Expected::Is(Reason::NotMember),
                ),
            ],
        )],
    );
    let report = resource(&policy, "report");
    assert_eq!(policy.parent(report), Some(resource(&policy, "folder")));
    assert_eq!(policy.tenant_of(report), Some(resource(&policy, "acme")));
    assert_eq!(policy.resource_kind(report), Some(K::Flow));
}

#[test]
fn an_added_resource_without_parent_is_a_new_tenant() {
    let mut policy = model();
    apply(&mut policy, add("initech", K::Organization, None));
    let initech = resource(&policy, "initech");
    assert_eq!(policy.parent(initech), None);
    assert_eq!(policy.tenant_of(initech), Some(initech));
    assert_decision(
        &policy,
        &user(&policy, "ann"),
        Action::View,
        "initech",
        Reason::WrongTenant,
    );
    apply(&mut policy, add_team("staff", "initech"));
    apply(
        &mut policy,
        Change::AddUser(User::new("ian", "initech").member_of("staff")),
    );
    assert_decision(
        &policy,
        &user(&policy, "ian"),
        Action::View,
        "initech",
        Reason::NotMember,
    );
}

#[test]
fn a_moved_resource_takes_its_subtree_and_inherits_from_its_new_parent() {
    let mut policy = model();
    story(
        &mut policy,
        user,
        vec![
            (
                grant_change(Grantee::user("cy"), "ws2", "viewer", Effect::Allow),
                vec![("cy", Action::View, "flow", Expected::Is(Reason::NotMember))],
            ),
            (
                move_to("folder", "ws2"),
                vec![
                    (
                        "cy",
                        Action::View,
                        "flow",
                        Expected::Granted(By::User("cy"), "ws2", "viewer"),
                    ),
                    (
                        "bob",
                        Action::Edit,
                        "flow",
                        Expected::Is(Reason::RoleLacks { missing: P::EDIT }),
                    ),
                    (
                        "bob",
                        Action::Delete,
                        "flow",
                        Expected::Granted(By::User("bob"), "folder", "deleter"),
                    ),
                    (
                        "bob",
                        Action::Edit,
                        "other",
                        Expected::Granted(By::Team("ops"), "ws", "editor"),
                    ),
                ],
            ),
        ],
    );
    assert_eq!(
        policy.parent(resource(&policy, "folder")),
        Some(resource(&policy, "ws2"))
    );
    assert_eq!(
        policy.parent(resource(&policy, "flow")),
        Some(resource(&policy, "folder"))
    );
}

#[test]
fn roles_are_added_updated_for_every_grant_at_once_and_removed() {
    let mut policy = model();
    story(
        &mut policy,
        user,
        vec![
            (
                Change::AddRole(Role::new("runner").allow([K::Flow], P::EXECUTE)),
                vec![],
            ),
            (
                grant_change(Grantee::user("cy"), "flow", "runner", Effect::Allow),
                vec![(
                    "cy",
                    Action::Execute,
                    "flow",
                    Expected::Granted(By::User("cy"), "flow", "runner"),
                )],
            ),
            (
                Change::UpdateRole(Role::new("runner").allow([K::Flow], P::VIEW)),
                vec![
                    (
                        "cy",
                        Action::Execute,
                        "flow",
                        Expected::Is(Reason::RoleLacks {
                            missing: P::EXECUTE,
                        }),
                    ),
                    (
                        "cy",
                        Action::View,
                        "flow",
                        Expected::Granted(By::User("cy"), "flow", "runner"),
                    ),
                ],
            ),
            // Roles that inherit the updated one change with it.
            (
                Change::UpdateRole(
                    Role::new("editor")
                        .inherits("viewer")
                        .allow([K::Folder, K::Flow], P::EDIT),
                ),
                vec![
                    (
                        "bob",
                        Action::Execute,
                        "flow",
                        Expected::Is(Reason::RoleLacks {
                            missing: P::EXECUTE,
                        }),
                    ),
                    (
                        "ann",
                        Action::Execute,
                        "flow",
                        Expected::Is(Reason::RoleLacks {
                            missing: P::EXECUTE,
                        }),
                    ),
                    (
                        "bob",
                        Action::Edit,
                        "flow",
                        Expected::Granted(By::Team("ops"), "ws", "editor"),
                    ),
                ],
            ),
            (
                revoke_change(Grantee::user("cy"), "flow", "runner", Effect::Allow),
                vec![("cy", Action::View, "flow", Expected::Is(Reason::NotMember))],
            ),
        ],
    );
    let old = role_id(&policy, "runner");
    apply(&mut policy, remove_role("runner"));
    assert_eq!(policy.role_id("runner"), None);
    apply(&mut policy, Change::AddRole(Role::new("runner")));
    assert_ne!(role_id(&policy, "runner"), old, "role ids are never reused");
}

#[test]
fn memberships_and_teams_give_and_take_the_team_grants() {
    let mut policy = model();
    story(
        &mut policy,
        user,
        vec![
            (
                membership("cy", "ops"),
                vec![(
                    "cy",
                    Action::Edit,
                    "flow",
                    Expected::Granted(By::Team("ops"), "ws", "editor"),
                )],
            ),
            (
                leave("bob", "ops"),
                vec![
                    (
                        "bob",
                        Action::Edit,
                        "flow",
                        Expected::Is(Reason::RoleLacks { missing: P::EDIT }),
                    ),
                    (
                        "bob",
                        Action::Edit,
                        "other",
                        Expected::Is(Reason::NotMember),
                    ),
                ],
            ),
            (add_team("qa", "acme"), vec![]),
            (
                grant_change(Grantee::team("qa"), "ws2", "viewer", Effect::Allow),
                vec![("bob", Action::View, "ws2", Expected::Is(Reason::NotMember))],
            ),
            (
                membership("bob", "qa"),
                vec![(
                    "bob",
                    Action::View,
                    "ws2",
                    Expected::Granted(By::Team("qa"), "ws2", "viewer"),
                )],
            ),
            (
                remove_team("qa"),
                vec![("bob", Action::View, "ws2", Expected::Is(Reason::NotMember))],
            ),
        ],
    );
    assert_eq!(policy.team_id("qa"), None);
}

#[test]
fn an_added_user_has_its_teams_status_and_channels() {
    let mut policy = model();
    story(
        &mut policy,
        user,
        vec![
            (
                Change::AddUser(User::new("eve", "acme").member_of("ops")),
                vec![(
                    "eve",
                    Action::Edit,
                    "flow",
                    Expected::Granted(By::Team("ops"), "ws", "editor"),
                )],
            ),
            (
                Change::AddUser(
                    User::new("fay", "acme")
                        .user_type(UserType::Interface)
                        .member_of("ops"),
                ),
                vec![(
                    "fay",
                    Action::View,
                    "ws",
                    Expected::Is(Reason::ChannelNotAllowed {
                        channel: Channel::Web,
                    }),
                )],
            ),
            (
                Change::AddUser(
                    User::new("gil", "acme")
                        .member_of("ops")
                        .status(Status::Suspended),
                ),
                vec![("gil", Action::View, "ws", Expected::Is(Reason::Suspended))],
            ),
        ],
    );
}

#[test]
fn grants_and_revokes_allow_override_and_deny_as_their_effect_says() {
    let mut policy = model();
    story(
        &mut policy,
        user,
        vec![
            (
                grant_change(Grantee::user("cy"), "ws", "viewer", Effect::Allow),
                vec![(
                    "cy",
                    Action::View,
                    "flow",
                    Expected::Granted(By::User("cy"), "ws", "viewer"),
                )],
            ),
            (
                grant_change(Grantee::team("ops"), "folder", "viewer", Effect::Override),
                vec![
                    ("bob", Action::Edit, "flow", Expected::Overridden("folder")),
                    (
                        "bob",
                        Action::View,
                        "flow",
                        Expected::Granted(By::Team("ops"), "folder", "viewer"),
                    ),
                    (
                        "bob",
                        Action::Edit,
                        "other",
                        Expected::Granted(By::Team("ops"), "ws", "editor"),
                    ),
                ],
            ),
            (
                grant_change(Grantee::Everyone, "flow", "viewer", Effect::Deny),
                vec![
                    (
                        "bob",
                        Action::View,
                        "flow",
                        Expected::Denied("flow", By::Everyone),
                    ),
                    (
                        "cy",
                        Action::View,
                        "flow",
                        Expected::Denied("flow", By::Everyone),
                    ),
                    (
                        "ann",
                        Action::Edit,
                        "flow",
                        Expected::Granted(By::User("ann"), "ws", "ws-admin"),
                    ),
                ],
            ),
            (
                revoke_change(Grantee::Everyone, "flow", "viewer", Effect::Deny),
                vec![(
                    "bob",
                    Action::View,
                    "flow",
                    Expected::Granted(By::Team("ops"), "folder", "viewer"),
                )],
            ),
            (
                revoke_change(Grantee::team("ops"), "folder", "viewer", Effect::Override),
                vec![(
                    "bob",
                    Action::Edit,
                    "flow",
                    Expected::Granted(By::Team("ops"), "ws", "editor"),
                )],
            ),
            (
                revoke_change(Grantee::user("cy"), "ws", "viewer", Effect::Allow),
                vec![("cy", Action::View, "flow", Expected::Is(Reason::NotMember))],
            ),
        ],
    );
}

#[test]
fn keys_are_added_revoked_and_removed() {
    let mut policy = model();
    story(
        &mut policy,
        key,
        vec![
            (
                Change::AddKey(ApiKey::new("ann-key", "ann").scope(P::VIEW)),
                vec![
                    (
                        "ann-key",
                        Action::View,
                        "flow",
                        Expected::Granted(By::User("ann"), "ws", "ws-admin"),
                    ),
                    (
                        "ann-key",
                        Action::Edit,
                        "flow",
                        Expected::Is(Reason::KeyLacks { missing: P::EDIT }),
                    ),
                ],
            ),
            (
                revoke_key("ann-key"),
                vec![(
                    "ann-key",
                    Action::View,
                    "flow",
                    Expected::Is(Reason::KeyRevoked),
                )],
            ),
        ],
    );
    let old = key_id(&policy, "ann-key");
    apply(&mut policy, remove_key("ann-key"));
    assert_eq!(policy.key_id("ann-key"), None);
    assert_gets_nothing(&policy, &Subject::key(old), "flow", Reason::UnknownSubject);
}

#[test]
fn links_are_added_revoked_and_removed() {
    let mut policy = model();
    story(
        &mut policy,
        link,
        vec![
            (
                Change::AddLink(PublicLink::new("folder-link", "folder", P::VIEW | P::EDIT)),
                vec![
                    (
                        "folder-link",
                        Action::View,
                        "flow",
                        Expected::Granted(By::Public, "ws", "viewer"),
                    ),
                    (
                        "folder-link",
                        Action::Edit,
                        "flow",
                        Expected::Is(Reason::RoleLacks { missing: P::EDIT }),
                    ),
                    (
                        "folder-link",
                        Action::View,
                        "other",
                        Expected::Is(Reason::LinkOutOfScope),
                    ),
                ],
            ),
            (
                revoke_link("folder-link"),
                vec![(
                    "folder-link",
                    Action::View,
                    "flow",
                    Expected::Is(Reason::LinkRevoked),
                )],
            ),
        ],
    );
    let old = link_id(&policy, "folder-link");
    apply(&mut policy, remove_link("folder-link"));
    assert_eq!(policy.link_id("folder-link"), None);
    assert_gets_nothing(&policy, &Subject::link(old), "flow", Reason::UnknownSubject);
}

#[test]
fn set_mfa_required_replaces_the_guarded_permissions() {
    let mut policy = model();
    let by_ops = Expected::Granted(By::Team("ops"), "ws", "editor");
    story(
        &mut policy,
        user,
        vec![(
            Change::SetMfaRequired(P::EDIT),
            vec![
                (
                    "bob",
                    Action::Edit,
                    "flow",
                    Expected::Is(Reason::MfaRequired { missing: P::EDIT }),
                ),
                ("bob", Action::View, "flow", by_ops),
            ],
        )],
    );
    assert_eq!(policy.mfa_required(), P::EDIT);
    let bob = user(&policy, "bob");
    assert_decision(
        &policy,
        &bob.with_mfa(true),
        Action::Edit,
        "flow",
        by_ops.reason(&policy),
    );
    apply(&mut policy, Change::SetMfaRequired(P::EXECUTE));
    assert_eq!(policy.mfa_required(), P::EXECUTE);
    assert_decision(&policy, &bob, Action::Edit, "flow", by_ops.reason(&policy));
    apply(&mut policy, Change::SetMfaRequired(P::empty()));
    assert_decision(
        &policy,
        &bob,
        Action::Execute,
        "flow",
        by_ops.reason(&policy),
    );
}

// ---- a refused change changes nothing ----

/// What a refused change must be refused with.
#[derive(Debug)]
enum Want {
    /// Exactly this problem.
    Is(ChangeProblem),
    /// A `CrossesTenants`, whatever it says (see
    /// `a_refused_grant_to_a_user_of_another_tenant_names_the_users_tenant`).
    CrossesTenants,
    /// An `Invalid` model problem (role inheritance).
    Invalid,
}

fn unknown(entity: Entity, name: &str) -> Want {
    Want::Is(ChangeProblem::Unknown {
        entity,
        name: name.into(),
    })
}

fn duplicate(entity: Entity, name: &str) -> Want {
    Want::Is(ChangeProblem::DuplicateName {
        entity,
        name: name.into(),
    })
}

fn wrong_status(user: &str, status: Status, expected: &'static str) -> Want {
    Want::Is(ChangeProblem::WrongStatus {
        user: user.into(),
        status,
        expected,
    })
}

/// Seats for "ann", "bob" and "gus", the active native users of [`model`].
const FULL: Seats = Seats {
    limit: 3,
    counted: UserTypes::NATIVE,
};

/// One bad change of every kind of problem, with the changes applied before it.
fn bad_changes() -> Vec<(Vec<Change>, Change, Want)> {
    let seats = || vec![Change::SetSeats(Some(FULL))];
    let native_viewer_for_ops = || {
        vec![grant_change(
            Grantee::team("ops"),
            "ws",
            "native-viewer",
            Effect::Allow,
        )]
    };
    vec![
        // Unknown names.
        (
            vec![],
            add("x", K::Folder, Some("nowhere")),
            unknown(Entity::Resource, "nowhere"),
        ),
        (
            vec![],
            move_to("nowhere", "ws"),
            unknown(Entity::Resource, "nowhere"),
        ),
        (
            vec![],
            move_to("folder", "nowhere"),
            unknown(Entity::Resource, "nowhere"),
        ),
        (
            vec![],
            remove_resource("nowhere"),
            unknown(Entity::Resource, "nowhere"),
        ),
        (
            vec![],
            Change::UpdateRole(Role::new("nope")),
            unknown(Entity::Role, "nope"),
        ),
        (vec![], remove_role("nope"), unknown(Entity::Role, "nope")),
        (
            vec![],
            Change::AddRole(Role::new("x").inherits("nope")),
            Want::Invalid,
        ),
        (
            vec![],
            add_team("qa", "nowhere"),
            unknown(Entity::Resource, "nowhere"),
        ),
        (vec![], remove_team("nope"), unknown(Entity::Team, "nope")),
        (
            vec![],
            Change::AddUser(User::new("eve", "nowhere")),
            unknown(Entity::Resource, "nowhere"),
        ),
        (
            vec![],
            Change::AddUser(User::new("eve", "acme").member_of("nope")),
            unknown(Entity::Team, "nope"),
        ),
        (
            vec![],
            remove_user("nobody"),
            unknown(Entity::User, "nobody"),
        ),
        (
            vec![],
            membership("nobody", "ops"),
            unknown(Entity::User, "nobody"),
        ),
        (
            vec![],
            membership("cy", "nope"),
            unknown(Entity::Team, "nope"),
        ),
        (vec![], leave("bob", "nope"), unknown(Entity::Team, "nope")),
        (vec![], accept("nobody", 0), unknown(Entity::User, "nobody")),
        (vec![], expire("nobody"), unknown(Entity::User, "nobody")),
        (
            vec![],
            revoke_invitation("nobody"),
            unknown(Entity::User, "nobody"),
        ),
        (vec![], suspend("nobody"), unknown(Entity::User, "nobody")),
        (
            vec![],
            reactivate("nobody"),
            unknown(Entity::User, "nobody"),
        ),
        (
            vec![],
            deactivate("nobody"),
            unknown(Entity::User, "nobody"),
        ),
        (
            vec![],
            grant_change(Grantee::user("nobody"), "ws", "viewer", Effect::Allow),
            unknown(Entity::User, "nobody"),
        ),
        (
            vec![],
            grant_change(Grantee::team("nope"), "ws", "viewer", Effect::Allow),
            unknown(Entity::Team, "nope"),
        ),
        (
            vec![],
            grant_change(Grantee::user("cy"), "nowhere", "viewer", Effect::Allow),
            unknown(Entity::Resource, "nowhere"),
        ),
        (
            vec![],
            grant_change(Grantee::user("cy"), "ws", "nope", Effect::Allow),
            unknown(Entity::Role, "nope"),
        ),
        (
            vec![],
            Change::Grant {
                grantee: Grantee::user("cy"),
                scope: "ws".into(),
                role: "viewer".into(),
                effect: Effect::Allow,
                when: clearance::Condition::Always,
                by: Some(Author::web("nobody", 0)),
            },
            unknown(Entity::User, "nobody"),
        ),
        (
            vec![],
            Change::AddKey(ApiKey::new("k", "nobody")),
            unknown(Entity::User, "nobody"),
        ),
        (
            vec![],
            Change::AddKey(ApiKey::new("k", "ann").within("nowhere")),
            unknown(Entity::Resource, "nowhere"),
        ),
        (vec![], revoke_key("nope"), unknown(Entity::Key, "nope")),
        (vec![], remove_key("nope"), unknown(Entity::Key, "nope")),
        (
            vec![],
            Change::AddLink(PublicLink::new("l", "nowhere", P::VIEW)),
            unknown(Entity::Resource, "nowhere"),
        ),
        (vec![], revoke_link("nope"), unknown(Entity::Link, "nope")),
        (vec![], remove_link("nope"), unknown(Entity::Link, "nope")),
        // Duplicates.
        (
            vec![],
            add("ws", K::Folder, Some("acme")),
            duplicate(Entity::Resource, "ws"),
        ),
        (
            vec![],
            Change::AddRole(Role::new("viewer")),
            duplicate(Entity::Role, "viewer"),
        ),
        (
            vec![],
            add_team("gops", "acme"),
            duplicate(Entity::Team, "gops"),
        ),
        (
            vec![],
            Change::AddUser(User::new("gus", "acme")),
            duplicate(Entity::User, "gus"),
        ),
        (
            vec![],
            Change::Invite {
                user: User::new("ann", "acme"),
                until: EXPIRY,
            },
            duplicate(Entity::User, "ann"),
        ),
        (
            vec![],
            Change::AddKey(ApiKey::new("gus-key", "ann")),
            duplicate(Entity::Key, "gus-key"),
        ),
        (
            vec![],
            Change::AddLink(PublicLink::new("ws-link", "ws2", P::VIEW)),
            duplicate(Entity::Link, "ws-link"),
        ),
        // Crossing tenants.
        (
            vec![],
            move_to("folder", "gws"),
            Want::Is(ChangeProblem::CrossesTenants {
                entity: Entity::Resource,
                name: "gws".into(),
                tenant: "acme".into(),
                other_tenant: "globex".into(),
            }),
        ),
        (
            vec![],
            Change::AddUser(User::new("eve", "acme").member_of("gops")),
            Want::Is(ChangeProblem::CrossesTenants {
                entity: Entity::Team,
                name: "gops".into(),
                tenant: "acme".into(),
                other_tenant: "globex".into(),
            }),
        ),
        (
            vec![],
            membership("gus", "ops"),
            Want::Is(ChangeProblem::CrossesTenants {
                entity: Entity::Team,
                name: "ops".into(),
                tenant: "globex".into(),
                other_tenant: "acme".into(),
            }),
        ),
        (
            vec![],
            grant_change(Grantee::team("gops"), "ws", "viewer", Effect::Allow),
            Want::Is(ChangeProblem::CrossesTenants {
                entity: Entity::Team,
                name: "gops".into(),
                tenant: "acme".into(),
                other_tenant: "globex".into(),
            }),
        ),
        (
            vec![],
            grant_change(Grantee::user("gus"), "ws", "viewer", Effect::Allow),
            Want::CrossesTenants,
        ),
        (
            vec![],
            Change::AddKey(ApiKey::new("k", "ann").within("gws")),
            Want::Is(ChangeProblem::CrossesTenants {
                entity: Entity::Resource,
                name: "gws".into(),
                tenant: "acme".into(),
                other_tenant: "globex".into(),
            }),
        ),
        // Shapes of the resource forest.
        (
            vec![],
            move_to("folder", "flow"),
            Want::Is(ChangeProblem::Cycle {
                name: "folder".into(),
                parent: "flow".into(),
            }),
        ),
        (
            vec![],
            move_to("folder", "folder"),
            Want::Is(ChangeProblem::Cycle {
                name: "folder".into(),
                parent: "folder".into(),
            }),
        ),
        (
            vec![],
            move_to("acme", "ws"),
            Want::Is(ChangeProblem::TenantRoot {
                name: "acme".into(),
            }),
        ),
        (
            vec![],
            add_team("qa", "ws"),
            Want::Is(ChangeProblem::NotATenant { name: "ws".into() }),
        ),
        (
            vec![],
            Change::AddUser(User::new("eve", "ws")),
            Want::Is(ChangeProblem::NotATenant { name: "ws".into() }),
        ),
        (
            vec![],
            remove_resource("acme"),
            Want::Is(ChangeProblem::InUse {
                entity: Entity::Resource,
                name: "acme".into(),
                by: "its users or teams".into(),
            }),
        ),
        // Roles and who may hold them.
        (
            vec![],
            Change::UpdateRole(Role::new("viewer").inherits("ws-admin")),
            Want::Invalid,
        ),
        (
            vec![],
            grant_change(Grantee::user("cy"), "ws", "native-viewer", Effect::Allow),
            Want::Is(ChangeProblem::IneligibleRole {
                role: "native-viewer".into(),
                user: "cy".into(),
                user_type: UserType::Connected,
            }),
        ),
        (
            vec![],
            grant_change(Grantee::Public, "ws", "native-viewer", Effect::Allow),
            Want::Is(ChangeProblem::IneligibleRole {
                role: "native-viewer".into(),
                user: "the public".into(),
                user_type: UserType::Public,
            }),
        ),
        (
            native_viewer_for_ops(),
            membership("cy", "ops"),
            Want::Is(ChangeProblem::IneligibleRole {
                role: "native-viewer".into(),
                user: "cy".into(),
                user_type: UserType::Connected,
            }),
        ),
        (
            native_viewer_for_ops(),
            Change::AddUser(
                User::new("eve", "acme")
                    .user_type(UserType::Connected)
                    .member_of("ops"),
            ),
            Want::Is(ChangeProblem::IneligibleRole {
                role: "native-viewer".into(),
                user: "eve".into(),
                user_type: UserType::Connected,
            }),
        ),
        (
            native_viewer_for_ops(),
            Change::UpdateRole(Role::new("native-viewer").only_for(UserTypes::CONNECTED)),
            Want::Is(ChangeProblem::IneligibleRole {
                role: "native-viewer".into(),
                user: "bob".into(),
                user_type: UserType::Native,
            }),
        ),
        (
            vec![],
            Change::AddUser(
                User::new("eve", "acme")
                    .user_type(UserType::Interface)
                    .channels(clearance::Channels::WEB | clearance::Channels::API),
            ),
            Want::Is(ChangeProblem::ChannelsNotAllowed {
                user: "eve".into(),
                user_type: UserType::Interface,
                extra: clearance::Channels::WEB,
            }),
        ),
        (
            vec![],
            remove_role("editor"),
            Want::Is(ChangeProblem::InUse {
                entity: Entity::Role,
                name: "editor".into(),
                by: r#"role "ws-admin", which inherits it"#.into(),
            }),
        ),
        (
            vec![],
            remove_role("deleter"),
            Want::Is(ChangeProblem::InUse {
                entity: Entity::Role,
                name: "deleter".into(),
                by: "grants; revoke them first".into(),
            }),
        ),
        // Grants and memberships that exist, or do not.
        (
            vec![],
            grant_change(Grantee::team("ops"), "ws", "editor", Effect::Allow),
            Want::Is(ChangeProblem::AlreadyGranted),
        ),
        (
            vec![],
            revoke_change(Grantee::team("ops"), "ws", "editor", Effect::Deny),
            Want::Is(ChangeProblem::NotGranted),
        ),
        (
            vec![],
            revoke_change(Grantee::user("bob"), "flow", "deleter", Effect::Allow),
            Want::Is(ChangeProblem::NotGranted),
        ),
        (
            vec![],
            membership("bob", "ops"),
            Want::Is(ChangeProblem::AlreadyMember {
                user: "bob".into(),
                team: "ops".into(),
            }),
        ),
        (
            vec![],
            leave("cy", "ops"),
            Want::Is(ChangeProblem::NotInTeam {
                user: "cy".into(),
                team: "ops".into(),
            }),
        ),
        (
            (0..127)
                .map(|team| Change::AddTeam {
                    name: format!("t{team}"),
                    tenant: "acme".into(),
                })
                .collect(),
            Change::AddUser((0..127).fold(User::new("eve", "acme"), |user, team| {
                user.member_of(format!("t{team}"))
            })),
            Want::Is(ChangeProblem::TooManyTeams {
                user: "eve".into(),
                max: clearance::MAX_TEAMS_PER_USER,
            }),
        ),
        // The account lifecycle.
        (
            vec![],
            suspend("dee"),
            wrong_status("dee", Status::Suspended, "active"),
        ),
        (
            vec![],
            reactivate("ann"),
            wrong_status("ann", Status::Active, "suspended or deactivated"),
        ),
        (
            vec![deactivate("cy")],
            deactivate("cy"),
            wrong_status("cy", Status::Deactivated, "active or suspended"),
        ),
        (
            vec![],
            accept("ann", 0),
            wrong_status("ann", Status::Active, "invited"),
        ),
        (
            vec![],
            expire("bob"),
            wrong_status("bob", Status::Active, "invited"),
        ),
        (
            vec![],
            revoke_invitation("dee"),
            wrong_status("dee", Status::Suspended, "invited"),
        ),
        (
            vec![],
            accept("ivy", EXPIRY),
            Want::Is(ChangeProblem::InvitationExpired { user: "ivy".into() }),
        ),
        (
            vec![expire("ivy")],
            accept("ivy", 0),
            Want::Is(ChangeProblem::InvitationExpired { user: "ivy".into() }),
        ),
        // Seats.
        (
            seats(),
            Change::AddUser(User::new("eve", "acme")),
            Want::Is(ChangeProblem::SeatsExceeded { limit: 3, used: 4 }),
        ),
        (
            seats(),
            accept("ivy", 0),
            Want::Is(ChangeProblem::SeatsExceeded { limit: 3, used: 4 }),
        ),
        (
            seats(),
            reactivate("dee"),
            Want::Is(ChangeProblem::SeatsExceeded { limit: 3, used: 4 }),
        ),
        (
            vec![],
            Change::SetSeats(Some(Seats {
                limit: 2,
                counted: UserTypes::NATIVE,
            })),
            Want::Is(ChangeProblem::SeatsExceeded { limit: 2, used: 3 }),
        ),
        // Authors who may not make the change.
        (
            vec![],
            Change::Grant {
                grantee: Grantee::user("cy"),
                scope: "ws".into(),
                role: "deleter".into(),
                effect: Effect::Allow,
                when: clearance::Condition::Always,
                by: Some(Author::web("ann", 0)),
            },
            Want::Is(ChangeProblem::Refused {
                author: "ann".into(),
                reason: Reason::WouldEscalate { missing: P::DELETE },
                explanation: "the change would give delete, which its author does not hold there"
                    .into(),
            }),
        ),
        (
            vec![],
            Change::Revoke {
                grantee: Grantee::team("ops"),
                scope: "ws".into(),
                role: "editor".into(),
                effect: Effect::Allow,
                by: Some(Author::web("bob", 0)),
            },
            Want::Is(ChangeProblem::Refused {
                author: "bob".into(),
                reason: Reason::RoleLacks {
                    missing: P::MANAGE_MEMBERS,
                },
                explanation: "the roles held here do not include manage_members".into(),
            }),
        ),
    ]
}

#[test]
fn a_refused_change_leaves_the_policy_exactly_as_before() {
    let mut failures = Vec::new();
    for (row, (setup, change, want)) in bad_changes().into_iter().enumerate() {
        let mut policy = model();
        for change in setup {
            apply(&mut policy, change);
        }
        let described = change.to_string();
        let problem = refused(&mut policy, change);
        let fine = match &want {
            Want::Is(expected) => problem == *expected,
            Want::CrossesTenants => matches!(problem, ChangeProblem::CrossesTenants { .. }),
            Want::Invalid => matches!(problem, ChangeProblem::Invalid(_)),
        };
        if !fine {
            failures.push(format!(
                "row {row} ({described}): expected {want:?}, got {problem:?} ({problem})"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_refused_grant_to_a_user_of_another_tenant_names_the_users_tenant() {
    let mut policy = model();
    let problem = refused(
        &mut policy,
        grant_change(Grantee::user("gus"), "ws", "viewer", Effect::Allow),
    );
    // gus belongs to globex; the grant's scope to acme.
    assert_eq!(
        problem.to_string(),
        r#"user "gus" belongs to tenant "globex", not "acme"; nothing may cross tenants"#
    );
}

#[test]
fn a_role_inheritance_cycle_is_refused_with_the_roles_on_it() {
    let mut policy = model();
    let problem = refused(
        &mut policy,
        Change::UpdateRole(Role::new("viewer").inherits("ws-admin")),
    );
    let ChangeProblem::Invalid(Problem::RoleCycle { names }) = problem else {
        panic!("expected a role cycle, got {problem:?}");
    };
    for role in ["viewer", "editor", "ws-admin"] {
        assert!(names.iter().any(|name| name == role), "{role} in {names:?}");
    }
}

// ---- batches and revisions ----

#[test]
fn apply_all_is_all_or_nothing_and_names_the_failed_change() {
    let mut policy = model();
    let before = policy.clone();
    let error = match policy.apply_all([
        add_team("qa", "acme"),
        membership("cy", "qa"),
        membership("gus", "qa"),
        suspend("ann"),
    ]) {
        Ok(revision) => panic!("the batch was applied ({revision})"),
        Err(error) => error,
    };
    assert_eq!(policy, before, "a refused batch changed the policy");
    assert_eq!(policy.team_id("qa"), None, "the first change was kept");
    assert_eq!(error.index(), 2);
    assert_eq!(error.change(), r#"add "gus" to team "qa""#);
    assert_eq!(
        error.to_string(),
        r#"change #2 (add "gus" to team "qa") refused: team "qa" belongs to tenant "acme", not "globex"; nothing may cross tenants"#
    );
}

#[test]
fn a_batch_applies_its_changes_in_order() {
    let mut policy = model();
    let revision = policy
        .apply_all([
            add_team("qa", "acme"),
            membership("cy", "qa"),
            grant_change(Grantee::team("qa"), "ws2", "viewer", Effect::Allow),
        ])
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(revision, Revision::new(3));
    assert_decision(
        &policy,
        &user(&policy, "cy"),
        Action::View,
        "ws2",
        Expected::Granted(By::Team("qa"), "ws2", "viewer").reason(&policy),
    );
}

#[test]
fn the_revision_advances_by_one_per_applied_change_and_never_on_a_refusal() {
    let mut policy = model();
    assert_eq!(policy.revision(), Revision::new(0));
    assert_eq!(apply(&mut policy, suspend("ann")), Revision::new(1));
    assert_eq!(policy.revision(), Revision::new(1));
    let _ = refused(&mut policy, suspend("ann"));
    assert_eq!(policy.revision(), Revision::new(1));
    let batch = [reactivate("ann"), suspend("bob"), reactivate("bob")];
    assert_eq!(
        policy.apply_all(batch).map_err(|error| error.to_string()),
        Ok(Revision::new(4))
    );
    assert_eq!(policy.revision(), Revision::new(4));
    let failing = [suspend("ann"), suspend("ann")];
    assert!(policy.apply_all(failing).is_err());
    assert_eq!(policy.revision(), Revision::new(4));
    assert_eq!(policy.apply_all([]), Ok(Revision::new(4)));
    assert_eq!(policy.revision().get(), 4);
    assert_eq!(policy.revision().to_string(), "revision 4");
}

#[test]
fn applying_a_long_log_one_by_one_or_in_one_batch_gives_equal_policies() {
    // Long enough that the policy compacts its arenas on the way: 80 own
    // grants for one user, 60 team grants on one resource.
    let start = model();
    let folder = |index: usize| format!("f{index}");
    let team = |index: usize| format!("g{index}");
    let mut log: Vec<Change> = Vec::new();
    for index in 0..80 {
        log.push(add(&folder(index), K::Folder, Some("ws2")));
        log.push(grant_change(
            Grantee::user("cy"),
            &folder(index),
            "viewer",
            Effect::Allow,
        ));
    }
    for index in 0..60 {
        log.push(add_team(&team(index), "acme"));
        log.push(grant_change(
            Grantee::team(team(index)),
            "ws2",
            "editor",
            Effect::Allow,
        ));
    }
    log.push(membership("bob", "g59"));
    let mut one_by_one = start.clone();
    for change in log.clone() {
        apply(&mut one_by_one, change);
    }
    let mut batched = start;
    if let Err(error) = batched.apply_all(log) {
        panic!("{error}");
    }
    assert_eq!(one_by_one.revision(), batched.revision());
    assert!(one_by_one == batched, "the same log gave unequal policies");
    for policy in [&one_by_one, &batched] {
        let cy = user(policy, "cy");
        for index in 0..80 {
            let name = folder(index);
            let reason = Reason::Granted {
                principal: By::User("cy").principal(policy),
                scope: resource(policy, &name),
                role: role_id(policy, "viewer"),
            };
            assert_decision(policy, &cy, Action::View, &name, reason);
        }
        assert_decision(
            policy,
            &user(policy, "bob"),
            Action::View,
            "ws2",
            Expected::Granted(By::Team("g59"), "ws2", "editor").reason(policy),
        );
        assert_nothing_dangles(policy);
    }
}

// ---- removing leaves nothing dangling ----

#[test]
fn removing_a_user_removes_its_memberships_grants_and_keys() {
    let mut policy = model();
    let bob = user(&policy, "bob");
    let bob_key = key(&policy, "bob-key");
    apply(&mut policy, remove_user("bob"));
    assert_eq!(policy.user_id("bob"), None);
    assert_eq!(policy.key_id("bob-key"), None);
    for resource_name in ["flow", "ws", "acme"] {
        assert_gets_nothing(&policy, &bob, resource_name, Reason::UnknownSubject);
        assert_gets_nothing(&policy, &bob_key, resource_name, Reason::UnknownSubject);
    }
    // bob's grant of "deleter" was its only one: the role is free to go.
    apply(&mut policy, remove_role("deleter"));
    // The team keeps its other members and its grants.
    apply(&mut policy, membership("cy", "ops"));
    assert_decision(
        &policy,
        &user(&policy, "cy"),
        Action::Edit,
        "flow",
        Expected::Granted(By::Team("ops"), "ws", "editor").reason(&policy),
    );
    assert_nothing_dangles(&policy);
}

#[test]
fn a_removed_user_can_be_added_again_under_a_new_id_with_nothing_of_the_old() {
    let mut policy = model();
    let old = user_id(&policy, "bob");
    let old_key = key_id(&policy, "bob-key");
    apply(&mut policy, remove_user("bob"));
    apply(&mut policy, Change::AddUser(User::new("bob", "acme")));
    apply(&mut policy, Change::AddKey(ApiKey::new("bob-key", "bob")));
    let new = user_id(&policy, "bob");
    assert_ne!(new, old, "user ids are never reused");
    assert_ne!(
        key_id(&policy, "bob-key"),
        old_key,
        "key ids are never reused"
    );
    // Neither the team nor the own grant of the old bob came back.
    let bob = user(&policy, "bob");
    assert_decision(&policy, &bob, Action::Edit, "other", Reason::NotMember);
    assert_decision(&policy, &bob, Action::Delete, "flow", Reason::NotMember);
    assert_decision(
        &policy,
        &key(&policy, "bob-key"),
        Action::View,
        "flow",
        Reason::NotMember,
    );
    assert_gets_nothing(
        &policy,
        &Subject::user(old, Channel::Web),
        "flow",
        Reason::UnknownSubject,
    );
    assert_gets_nothing(
        &policy,
        &Subject::key(old_key),
        "flow",
        Reason::UnknownSubject,
    );
    assert_nothing_dangles(&policy);
}

#[test]
fn removing_a_resource_removes_its_subtree_and_the_grants_keys_and_links_in_it() {
    let mut policy = model();
    apply(
        &mut policy,
        grant_change(Grantee::team("ops"), "folder", "viewer", Effect::Deny),
    );
    let folder = resource(&policy, "folder");
    let flow = resource(&policy, "flow");
    let folder_key = key(&policy, "folder-key");
    let flow_link = link(&policy, "flow-link");
    apply(&mut policy, remove_resource("folder"));
    for name in ["folder", "flow"] {
        assert_eq!(policy.resource_id(name), None, "{name}");
    }
    assert_eq!(policy.key_id("folder-key"), None);
    assert_eq!(policy.link_id("flow-link"), None);
    for removed in [folder, flow] {
        for who in ["ann", "bob"] {
            let decision = policy.authorize(&user(&policy, who), Action::View, removed);
            assert_eq!(
                decision.reason(),
                Reason::UnknownResource,
                "{who} on {removed}"
            );
            assert!(policy.effective(&user(&policy, who), removed).is_empty());
        }
    }
    for subject in [folder_key, flow_link] {
        assert_gets_nothing(&policy, &subject, "ws", Reason::UnknownSubject);
    }
    // What stands outside the subtree is untouched.
    assert_decision(
        &policy,
        &link(&policy, "ws-link"),
        Action::View,
        "other",
        Expected::Granted(By::Public, "ws", "viewer").reason(&policy),
    );
    // bob's grant on the folder went with it: its role is free to go.
    apply(&mut policy, remove_role("deleter"));
    // A new folder of the same name starts without the old one's grants.
    apply(&mut policy, add("folder", K::Folder, Some("ws")));
    apply(&mut policy, add("flow", K::Flow, Some("folder")));
    assert_ne!(
        resource(&policy, "folder"),
        folder,
        "resource ids are never reused"
    );
    assert_decision(
        &policy,
        &user(&policy, "bob"),
        Action::View,
        "flow",
        Expected::Granted(By::Team("ops"), "ws", "editor").reason(&policy),
    );
    assert_nothing_dangles(&policy);
}

#[test]
fn removing_a_team_removes_its_memberships_and_grants() {
    let mut policy = model();
    apply(&mut policy, remove_team("ops"));
    assert_eq!(policy.team_id("ops"), None);
    let bob = user(&policy, "bob");
    assert_decision(&policy, &bob, Action::Edit, "other", Reason::NotMember);
    assert_decision(
        &policy,
        &bob,
        Action::Edit,
        "flow",
        Reason::RoleLacks { missing: P::EDIT },
    );
    // A new team of the same name has neither the members nor the grants.
    apply(&mut policy, add_team("ops", "acme"));
    assert_decision(&policy, &bob, Action::Edit, "other", Reason::NotMember);
    apply(&mut policy, membership("bob", "ops"));
    assert_decision(&policy, &bob, Action::Edit, "other", Reason::NotMember);
    assert_nothing_dangles(&policy);
}

#[test]
fn a_tenant_root_is_removed_only_once_it_has_no_users_or_teams() {
    let mut policy = model();
    let gws = resource(&policy, "gws");
    let gus_key = key(&policy, "gus-key");
    let in_use = ChangeProblem::InUse {
        entity: Entity::Resource,
        name: "globex".into(),
        by: "its users or teams".into(),
    };
    let remove = || remove_resource("globex");
    assert_eq!(refused(&mut policy, remove()), in_use);
    apply(&mut policy, remove_user("gus"));
    assert_eq!(refused(&mut policy, remove()), in_use);
    apply(&mut policy, remove_team("gops"));
    apply(&mut policy, remove());
    assert_eq!(policy.resource_id("globex"), None);
    assert_eq!(
        policy
            .authorize(&user(&policy, "ann"), Action::View, gws)
            .reason(),
        Reason::UnknownResource
    );
    assert_gets_nothing(&policy, &gus_key, "ws", Reason::UnknownSubject);
    assert_nothing_dangles(&policy);
}

#[test]
fn a_removed_resource_or_key_points_to_nothing() {
    let mut policy = model();
    let folder = resource(&policy, "folder");
    let bob_key = key_id(&policy, "bob-key");
    apply(&mut policy, remove_resource("folder"));
    apply(&mut policy, remove_user("bob"));
    let tenant = policy.tenant_of(folder);
    assert!(
        tenant.is_none() || tenant == Some(resource(&policy, "acme")),
        "tenant_of(removed folder) is {tenant:?}"
    );
    assert_eq!(policy.parent(folder), None);
    let owner = policy.key_owner(bob_key);
    assert!(
        match owner {
            None => true,
            Some(owner) => (owner.index() as usize) < policy.user_count(),
        },
        "key_owner(removed key) is {owner:?}"
    );
}

#[test]
fn after_many_removals_every_id_is_either_usable_or_unknown() {
    let mut policy = model();
    let log = vec![
        add("sub", K::Folder, Some("folder")),
        add("deep", K::Flow, Some("sub")),
        Change::AddKey(ApiKey::new("deep-key", "bob").within("sub")),
        Change::AddLink(PublicLink::new("deep-link", "deep", P::VIEW)),
        grant_change(Grantee::team("ops"), "sub", "viewer", Effect::Override),
        grant_change(Grantee::user("cy"), "deep", "viewer", Effect::Allow),
        grant_change(Grantee::Everyone, "deep", "deleter", Effect::Deny),
        remove_user("bob"),
        remove_resource("folder"),
        Change::AddUser(User::new("bob", "acme").member_of("ops")),
        add("folder", K::Folder, Some("ws2")),
        Change::AddKey(ApiKey::new("bob-key", "bob").within("folder")),
        grant_change(Grantee::user("bob"), "folder", "deleter", Effect::Allow),
        remove_team("ops"),
        add_team("ops", "acme"),
        membership("bob", "ops"),
        grant_change(Grantee::team("ops"), "ws2", "editor", Effect::Allow),
        leave("bob", "ops"),
        Change::Invite {
            user: User::new("ivo", "acme").member_of("ops"),
            until: EXPIRY,
        },
        revoke_invitation("ivo"),
        remove_user("gus"),
        remove_team("gops"),
        remove_resource("globex"),
        add("globex", K::Organization, None),
        add("gws", K::Workspace, Some("globex")),
        Change::AddUser(User::new("gus", "globex")),
        Change::AddKey(ApiKey::new("gus-key", "gus").within("gws")),
        remove_key("bob-key"),
        remove_link("ws-link"),
        Change::AddLink(PublicLink::new("ws2-link", "folder", P::VIEW)),
        remove_resource("ws"),
        remove_role("ws-admin"),
        remove_user("cy"),
        remove_resource("folder"),
        remove_role("deleter"),
        remove_user("bob"),
    ];
    for (step, change) in log.into_iter().enumerate() {
        let described = change.to_string();
        if let Err(error) = policy.apply(change) {
            panic!("step {step}: {error}");
        }
        let found = common::dangling(&policy);
        assert!(
            found.is_empty(),
            "after step {step} ({described}):\n{}",
            found.join("\n")
        );
    }
    // The walk saw every kind of entity removed and alive.
    assert!(policy.resource_count() > 12 && policy.user_count() > 8);
    assert_eq!(policy.key_id("deep-key"), None);
    assert_eq!(policy.link_id("deep-link"), None);
    assert!(policy.key_id("gus-key").is_some() && policy.link_id("flow-link").is_none());
}

// ---- the account lifecycle ----

#[test]
fn an_invited_user_holds_nothing_until_it_accepts_in_time() {
    let mut policy = model();
    apply(
        &mut policy,
        Change::Invite {
            // The invitation replaces whatever status the user declares.
            user: User::new("ivo", "acme")
                .member_of("ops")
                .status(Status::Suspended),
            until: EXPIRY,
        },
    );
    let ivo = user(&policy, "ivo");
    assert_gets_nothing(&policy, &ivo, "flow", Reason::InvitationPending);
    assert_gets_nothing(
        &policy,
        &ivo.at(EXPIRY - 1),
        "flow",
        Reason::InvitationPending,
    );
    assert_gets_nothing(&policy, &ivo.at(EXPIRY), "flow", Reason::InvitationExpired);
    apply(&mut policy, accept("ivo", EXPIRY - 1));
    let by_ops = Expected::Granted(By::Team("ops"), "ws", "editor").reason(&policy);
    assert_decision(&policy, &ivo, Action::Edit, "flow", by_ops);
    assert_decision(&policy, &ivo.at(EXPIRY + 1), Action::Edit, "flow", by_ops);
}

#[test]
fn accepting_at_or_after_the_expiry_is_refused_as_expired() {
    let mut policy = model();
    for at in [EXPIRY, EXPIRY + 1, u64::MAX] {
        assert_eq!(
            refused(&mut policy, accept("ivy", at)),
            ChangeProblem::InvitationExpired { user: "ivy".into() },
            "at {at}"
        );
    }
    assert_gets_nothing(
        &policy,
        &user(&policy, "ivy").at(EXPIRY),
        "ws",
        Reason::InvitationExpired,
    );
}

#[test]
fn expiring_an_invitation_expires_it_at_once() {
    let mut policy = model();
    apply(&mut policy, expire("ivy"));
    assert_gets_nothing(
        &policy,
        &user(&policy, "ivy"),
        "ws",
        Reason::InvitationExpired,
    );
    assert_eq!(
        refused(&mut policy, accept("ivy", 0)),
        ChangeProblem::InvitationExpired { user: "ivy".into() }
    );
}

#[test]
fn revoking_an_invitation_removes_the_invited_user() {
    let mut policy = model();
    let ivy = user(&policy, "ivy");
    let old = user_id(&policy, "ivy");
    apply(&mut policy, revoke_invitation("ivy"));
    assert_eq!(policy.user_id("ivy"), None);
    assert_gets_nothing(&policy, &ivy, "ws", Reason::UnknownSubject);
    apply(
        &mut policy,
        Change::Invite {
            user: User::new("ivy", "acme"),
            until: EXPIRY,
        },
    );
    assert_ne!(user_id(&policy, "ivy"), old, "user ids are never reused");
    assert_nothing_dangles(&policy);
}

/// A starting status, a lifecycle change, and what it must do.
type LifecycleRow = (Status, fn(&str) -> Change, Outcome);

/// What a lifecycle change does to a user.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    /// It applies, and the user's decision at time 0 is then this.
    Becomes(Expected),
    /// It is refused as the wrong status, which needs this.
    Refused(&'static str),
    /// It applies and removes the user.
    Removed,
}

#[test]
fn status_changes_follow_the_lifecycle() {
    use Outcome::{Becomes, Refused, Removed};
    let granted = Becomes(Expected::Granted(By::Team("staff"), "ws", "viewer"));
    let is = |reason| Becomes(Expected::Is(reason));
    let invited = Status::Invited { until: 100 };
    let suspend: fn(&str) -> Change = suspend;
    let reactivate: fn(&str) -> Change = reactivate;
    let deactivate: fn(&str) -> Change = deactivate;
    let accept: fn(&str) -> Change = |user| accept(user, 99);
    let expire: fn(&str) -> Change = expire;
    let revoke: fn(&str) -> Change = revoke_invitation;
    let rows: Vec<LifecycleRow> = vec![
        (Status::Active, suspend, is(Reason::Suspended)),
        (
            Status::Active,
            reactivate,
            Refused("suspended or deactivated"),
        ),
        (Status::Active, deactivate, is(Reason::Deactivated)),
        (Status::Active, accept, Refused("invited")),
        (Status::Active, expire, Refused("invited")),
        (Status::Active, revoke, Refused("invited")),
        (Status::Suspended, suspend, Refused("active")),
        (Status::Suspended, reactivate, granted),
        (Status::Suspended, deactivate, is(Reason::Deactivated)),
        (Status::Suspended, accept, Refused("invited")),
        (Status::Suspended, expire, Refused("invited")),
        (Status::Suspended, revoke, Refused("invited")),
        (Status::Deactivated, suspend, Refused("active")),
        (Status::Deactivated, reactivate, granted),
        (
            Status::Deactivated,
            deactivate,
            Refused("active or suspended"),
        ),
        (Status::Deactivated, accept, Refused("invited")),
        (Status::Deactivated, expire, Refused("invited")),
        (Status::Deactivated, revoke, Refused("invited")),
        (invited, suspend, Refused("active")),
        (invited, reactivate, Refused("suspended or deactivated")),
        // An invitation is expired or revoked, never deactivated: a
        // reactivation would skip accepting it.
        (invited, deactivate, Refused("active or suspended")),
        (invited, accept, granted),
        (invited, expire, is(Reason::InvitationExpired)),
        (invited, revoke, Removed),
    ];
    let mut failures = Vec::new();
    for (row, &(status, change, outcome)) in rows.iter().enumerate() {
        let mut policy = build(
            PolicyBuilder::new()
                .tenant("acme", K::Organization)
                .resource("ws", K::Workspace, "acme")
                .role(Role::new("viewer").allow([K::Workspace], P::VIEW))
                .team("staff", "acme")
                .user(User::new("u", "acme").member_of("staff").status(status))
                .grant(Grantee::team("staff"), "ws", "viewer", Effect::Allow),
        );
        let subject = user(&policy, "u");
        let change = change("u");
        let described = change.to_string();
        let before = policy.clone();
        let result = policy.apply(change);
        let ws = resource(&policy, "ws");
        let failure = match (outcome, result) {
            (Becomes(expected), Ok(_)) => check(
                &policy,
                &subject,
                Action::View,
                ws,
                expected.reason(&policy),
            )
            .err(),
            (Removed, Ok(_)) => check(&policy, &subject, Action::View, ws, Reason::UnknownSubject)
                .err()
                .or_else(|| {
                    policy
                        .user_id("u")
                        .map(|id| format!("{id:?} is still there"))
                }),
            (Refused(expected), Err(error)) => {
                let want = ChangeProblem::WrongStatus {
                    user: "u".into(),
                    status,
                    expected,
                };
                if *error.problem() != want {
                    Some(format!("refused with {:?}, not {want:?}", error.problem()))
                } else if policy != before {
                    Some("the refused change changed the policy".into())
                } else {
                    None
                }
            }
            (outcome, Ok(_)) => Some(format!("applied, but expected {outcome:?}")),
            (outcome, Err(error)) => Some(format!("{error}, but expected {outcome:?}")),
        };
        if let Some(failure) = failure {
            failures.push(format!("row {row} ({status:?}, {described}): {failure}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- authorized grants: can_grant ----

#[test]
fn granting_needs_manage_members_at_the_scope() {
    let policy = model();
    let viewer_for_cy = grant(&policy, By::User("cy"), "ws", "viewer", Effect::Allow);
    let cases = [
        (
            "bob",
            Reason::RoleLacks {
                missing: P::MANAGE_MEMBERS,
            },
        ),
        ("cy", Reason::NotMember),
        ("dee", Reason::Suspended),
        ("gus", Reason::WrongTenant),
    ];
    for (granter, reason) in cases {
        let decision = policy.can_grant(&user(&policy, granter), &viewer_for_cy);
        assert_eq!(decision.reason(), reason, "{granter}");
        assert!(!decision.is_allowed());
    }
    // With MANAGE_MEMBERS, the decision names the grant that gives it.
    let decision = policy.can_grant(&user(&policy, "ann"), &viewer_for_cy);
    assert_eq!(
        decision.reason(),
        Expected::Granted(By::User("ann"), "ws", "ws-admin").reason(&policy)
    );
    // ... at the grant's scope, not elsewhere.
    let on_ws2 = grant(&policy, By::User("cy"), "ws2", "viewer", Effect::Allow);
    assert_eq!(
        policy.can_grant(&user(&policy, "ann"), &on_ws2).reason(),
        Reason::NotMember
    );
}

#[test]
fn granting_more_than_the_granter_holds_would_escalate() {
    let mut policy = model();
    apply(
        &mut policy,
        Change::AddRole(Role::new("ws-editor").allow([K::Workspace], P::EDIT)),
    );
    let ann = user(&policy, "ann");
    let cases = [
        // The workspace admin holds no DELETE on flows.
        ("deleter", "ws", Some(P::DELETE)),
        ("deleter", "folder", Some(P::DELETE)),
        // It holds EDIT on folders and flows, but not on the workspace: a
        // role is checked for every kind it covers.
        ("ws-editor", "ws", Some(P::EDIT)),
        ("editor", "ws", None),
        ("ws-admin", "ws", None),
        ("viewer", "flow", None),
    ];
    for (role, scope, missing) in cases {
        let decision = policy.can_grant(
            &ann,
            &grant(&policy, By::User("cy"), scope, role, Effect::Allow),
        );
        match missing {
            Some(missing) => {
                assert_eq!(
                    decision.reason(),
                    Reason::WouldEscalate { missing },
                    "{role} on {scope}"
                );
                assert!(!decision.is_allowed());
            }
            None => assert!(decision.is_allowed(), "{role} on {scope}: {decision}"),
        }
    }
    // An override gives as much as an allow.
    let decision = policy.can_grant(
        &ann,
        &grant(&policy, By::User("cy"), "ws", "deleter", Effect::Override),
    );
    assert_eq!(
        decision.reason(),
        Reason::WouldEscalate { missing: P::DELETE }
    );
}

#[test]
fn a_deny_needs_only_manage_members() {
    let policy = model();
    let deny = grant(&policy, By::Team("ops"), "folder", "deleter", Effect::Deny);
    assert!(policy.can_grant(&user(&policy, "ann"), &deny).is_allowed());
    assert_eq!(
        policy.can_grant(&user(&policy, "bob"), &deny).reason(),
        Reason::RoleLacks {
            missing: P::MANAGE_MEMBERS
        }
    );
}

#[test]
fn granting_a_role_the_grantee_may_not_hold_is_refused() {
    let mut policy = model();
    let ann = user(&policy, "ann");
    let cases = [
        (By::User("cy"), Reason::RoleNotEligible),
        (By::Public, Reason::RoleNotEligible),
        (
            By::User("bob"),
            Expected::Granted(By::User("ann"), "ws", "ws-admin").reason(&policy),
        ),
        // Everyone reaches only the members the role is open to.
        (
            By::Everyone,
            Expected::Granted(By::User("ann"), "ws", "ws-admin").reason(&policy),
        ),
        (
            By::Team("ops"),
            Expected::Granted(By::User("ann"), "ws", "ws-admin").reason(&policy),
        ),
    ];
    for (to, reason) in cases {
        let wanted = grant(&policy, to, "ws", "native-viewer", Effect::Allow);
        assert_eq!(policy.can_grant(&ann, &wanted).reason(), reason, "{to:?}");
    }
    // Once a connected user is in the team, the team may not hold it.
    apply(&mut policy, membership("cy", "ops"));
    let to_ops = grant(
        &policy,
        By::Team("ops"),
        "ws",
        "native-viewer",
        Effect::Allow,
    );
    assert_eq!(
        policy.can_grant(&ann, &to_ops).reason(),
        Reason::RoleNotEligible
    );
}

#[test]
fn an_authored_grant_is_applied_only_when_its_author_may_grant_it() {
    let mut policy = model();
    let by = |author: &str| Some(Author::web(author, 0));
    let authored = |role: &str, author: Option<Author>| Change::Grant {
        grantee: Grantee::user("cy"),
        scope: "ws".into(),
        role: role.into(),
        effect: Effect::Allow,
        when: clearance::Condition::Always,
        by: author,
    };
    let refusals = [
        (
            authored("deleter", by("ann")),
            "ann",
            Reason::WouldEscalate { missing: P::DELETE },
        ),
        (
            authored("viewer", by("bob")),
            "bob",
            Reason::RoleLacks {
                missing: P::MANAGE_MEMBERS,
            },
        ),
        (authored("viewer", by("dee")), "dee", Reason::Suspended),
    ];
    for (change, author, reason) in refusals {
        assert_eq!(
            refused(&mut policy, change),
            ChangeProblem::Refused {
                author: author.into(),
                reason,
                // None of these reasons names an entity.
                explanation: reason.to_string(),
            }
        );
    }
    // A scope of another tenant than the author's is refused before his
    // rights are asked, as a crossing (which his caller-facing error reads
    // as an unknown resource: see tests/attack_tenant_existence.rs).
    assert_eq!(
        refused(&mut policy, authored("viewer", by("gus"))),
        ChangeProblem::CrossesTenants {
            entity: Entity::Resource,
            name: "ws".into(),
            tenant: "globex".into(),
            other_tenant: "acme".into(),
        }
    );
    // Without MFA, an MFA-guarded MANAGE_MEMBERS is refused to the author.
    apply(&mut policy, Change::SetMfaRequired(P::MANAGE_MEMBERS));
    let without_mfa = Author {
        mfa: false,
        ..Author::web("ann", 0)
    };
    assert_eq!(
        refused(&mut policy, authored("viewer", Some(without_mfa))),
        ChangeProblem::Refused {
            author: "ann".into(),
            reason: Reason::MfaRequired {
                missing: P::MANAGE_MEMBERS
            },
            explanation: "manage_members requires signing in with multi-factor authentication"
                .into(),
        }
    );
    // A grant its author may make applies, through the API as well.
    let through_api = Author {
        channel: Channel::Api,
        ..Author::web("ann", 0).with_mfa(true)
    };
    apply(&mut policy, authored("viewer", Some(through_api)));
    assert_decision(
        &policy,
        &user(&policy, "cy"),
        Action::View,
        "flow",
        Expected::Granted(By::User("cy"), "ws", "viewer").reason(&policy),
    );
}

#[test]
fn an_authored_revoke_needs_manage_members_at_the_scope() {
    let mut policy = model();
    let revoke = |author: &str| Change::Revoke {
        grantee: Grantee::user("bob"),
        scope: "folder".into(),
        role: "deleter".into(),
        effect: Effect::Allow,
        by: Some(Author::web(author, 0)),
    };
    assert_eq!(
        refused(&mut policy, revoke("cy")),
        ChangeProblem::Refused {
            author: "cy".into(),
            reason: Reason::NotMember,
            explanation: Reason::NotMember.to_string(),
        }
    );
    // Taking a grant away is no escalation: ann lacks DELETE, and may.
    apply(&mut policy, revoke("ann"));
    assert_decision(
        &policy,
        &user(&policy, "bob"),
        Action::Delete,
        "flow",
        Reason::RoleLacks { missing: P::DELETE },
    );
}

// ---- licence seats ----

/// acme with two active native users ("n1", "n2") and, uncounted when only
/// native users count, an active connected one ("c1"); a suspended ("s1"),
/// a deactivated ("d1") and an invited ("i1") native user; all in "staff".
fn seated(seats: Option<Seats>) -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .role(Role::new("viewer").allow([K::Workspace], P::VIEW))
        .team("staff", "acme")
        .user(User::new("n1", "acme").member_of("staff"))
        .user(User::new("n2", "acme").member_of("staff"))
        .user(
            User::new("c1", "acme")
                .user_type(UserType::Connected)
                .member_of("staff"),
        )
        .user(
            User::new("s1", "acme")
                .member_of("staff")
                .status(Status::Suspended),
        )
        .user(
            User::new("d1", "acme")
                .member_of("staff")
                .status(Status::Deactivated),
        )
        .user(
            User::new("i1", "acme")
                .member_of("staff")
                .status(Status::Invited { until: EXPIRY }),
        )
        .grant(Grantee::team("staff"), "ws", "viewer", Effect::Allow);
    if let Some(seats) = seats {
        builder.seats(seats);
    }
    builder
}

fn native_seats(limit: u32) -> Seats {
    Seats {
        limit,
        counted: UserTypes::NATIVE,
    }
}

#[test]
fn a_model_beyond_its_seat_limit_does_not_build() {
    assert_eq!(
        problems(&mut seated(Some(native_seats(1)))),
        [Problem::SeatsExceeded { used: 2, limit: 1 }]
    );
    assert_eq!(
        problems(&mut seated(Some(Seats {
            limit: 2,
            counted: UserTypes::NATIVE | UserTypes::CONNECTED,
        }))),
        [Problem::SeatsExceeded { used: 3, limit: 2 }]
    );
    // At the limit builds: inactive and uncounted users take no seat.
    let policy = build(&mut seated(Some(native_seats(2))));
    assert_eq!(policy.seats(), Some(native_seats(2)));
}

#[test]
fn seats_used_counts_the_active_users_of_the_counted_types() {
    let cases = [
        (None, 0),
        (Some(native_seats(10)), 2),
        (
            Some(Seats {
                limit: 10,
                counted: UserTypes::NATIVE | UserTypes::CONNECTED,
            }),
            3,
        ),
        (
            Some(Seats {
                limit: 10,
                counted: UserTypes::CONNECTED,
            }),
            1,
        ),
        (
            Some(Seats {
                limit: 10,
                counted: UserTypes::empty(),
            }),
            0,
        ),
    ];
    for (seats, used) in cases {
        let policy = build(&mut seated(seats));
        assert_eq!(policy.seats_used(), used, "{seats:?}");
        assert_eq!(policy.seats(), seats);
    }
}

#[test]
fn adding_or_activating_a_counted_user_beyond_the_limit_is_refused() {
    let mut policy = build(&mut seated(Some(native_seats(2))));
    let full = ChangeProblem::SeatsExceeded { limit: 2, used: 3 };
    let changes = [
        Change::AddUser(User::new("n3", "acme")),
        accept("i1", 0),
        reactivate("s1"),
        reactivate("d1"),
    ];
    for change in changes.clone() {
        let described = change.to_string();
        assert_eq!(refused(&mut policy, change), full, "{described}");
    }
    assert_eq!(
        ChangeProblem::SeatsExceeded { limit: 2, used: 3 }.to_string(),
        "3 users would hold a licence seat, over the limit of 2; deactivate a user or raise the limit"
    );
    // Inactive counted users take no seat.
    apply(
        &mut policy,
        Change::AddUser(User::new("n4", "acme").status(Status::Suspended)),
    );
    apply(
        &mut policy,
        Change::Invite {
            user: User::new("n5", "acme"),
            until: EXPIRY,
        },
    );
    assert_eq!(policy.seats_used(), 2);
    // Suspending one frees its seat for another, once.
    apply(&mut policy, suspend("n1"));
    assert_eq!(policy.seats_used(), 1);
    apply(&mut policy, reactivate("s1"));
    assert_eq!(policy.seats_used(), 2);
    assert_eq!(refused(&mut policy, reactivate("n1")), full);
    apply(&mut policy, deactivate("n2"));
    apply(&mut policy, accept("i1", 0));
    assert_eq!(policy.seats_used(), 2);
    // Removing a user frees its seat too.
    apply(&mut policy, remove_user("i1"));
    apply(&mut policy, Change::AddUser(User::new("n3", "acme")));
    assert_eq!(policy.seats_used(), 2);
}

#[test]
fn uncounted_user_types_take_no_seat() {
    let mut policy = build(&mut seated(Some(native_seats(2))));
    for (name, user_type) in [
        ("c2", UserType::Connected),
        ("a1", UserType::NativeAdmin),
        ("y1", UserType::System),
        ("f1", UserType::Interface),
    ] {
        apply(
            &mut policy,
            Change::AddUser(User::new(name, "acme").user_type(user_type)),
        );
    }
    assert_eq!(policy.seats_used(), 2);
}

#[test]
fn set_seats_sets_or_lifts_the_limit() {
    let mut policy = build(&mut seated(None));
    assert_eq!(policy.seats(), None);
    assert_eq!(policy.seats_used(), 0);
    assert_eq!(
        refused(&mut policy, Change::SetSeats(Some(native_seats(1)))),
        ChangeProblem::SeatsExceeded { limit: 1, used: 2 }
    );
    apply(&mut policy, Change::SetSeats(Some(native_seats(2))));
    assert_eq!(policy.seats(), Some(native_seats(2)));
    assert_eq!(policy.seats_used(), 2);
    let _ = refused(&mut policy, Change::AddUser(User::new("n3", "acme")));
    apply(&mut policy, Change::SetSeats(None));
    assert_eq!(policy.seats(), None);
    assert_eq!(policy.seats_used(), 0);
    apply(&mut policy, Change::AddUser(User::new("n3", "acme")));
    assert_eq!(
        Change::SetSeats(Some(native_seats(2))).to_string(),
        "limit seats to 2"
    );
    assert_eq!(Change::SetSeats(None).to_string(), "lift the seat limit");
}

#[test]
fn a_resource_id_from_the_builder_stays_valid_across_unrelated_changes() {
    let mut policy = model();
    let flow: ResourceId = resource(&policy, "flow");
    let bob = user(&policy, "bob");
    apply(&mut policy, add("x", K::Folder, Some("ws2")));
    apply(&mut policy, remove_user("cy"));
    assert_eq!(policy.resource_id("flow"), Some(flow));
    assert_decision(
        &policy,
        &bob,
        Action::Edit,
        "flow",
        Expected::Granted(By::Team("ops"), "ws", "editor").reason(&policy),
    );
}

#[test]
fn can_grant_refuses_a_grant_that_could_not_be_made() {
    let mut policy = model();
    let ann = user(&policy, "ann");
    let cy = user_id(&policy, "cy");
    let to_gus = grant(&policy, By::User("gus"), "ws", "viewer", Effect::Allow);
    apply(&mut policy, remove_user("cy"));
    let to_removed = Grant {
        principal: clearance::Principal::User(cy),
        ..grant(&policy, By::Everyone, "ws", "viewer", Effect::Allow)
    };
    assert_eq!(
        policy.can_grant(&ann, &to_removed).reason(),
        Reason::UnknownSubject
    );
    assert_eq!(
        policy.can_grant(&ann, &to_gus).reason(),
        Reason::GranteeOfAnotherTenant
    );
}

#[test]
fn a_deny_needs_only_manage_members_even_for_a_role_the_grantee_may_not_hold() {
    let mut policy = model();
    let deny = grant(&policy, By::User("cy"), "ws", "native-viewer", Effect::Deny);
    assert!(policy.can_grant(&user(&policy, "ann"), &deny).is_allowed());
    apply(
        &mut policy,
        grant_change(Grantee::user("cy"), "ws", "native-viewer", Effect::Deny),
    );
}

#[test]
fn removing_a_resource_leaves_a_newer_key_of_a_removed_keys_name_alone() {
    let mut policy = model();
    apply(&mut policy, remove_key("folder-key"));
    apply(
        &mut policy,
        Change::AddKey(ApiKey::new("folder-key", "ann")),
    );
    let new = key_id(&policy, "folder-key");
    apply(&mut policy, remove_resource("folder"));
    assert_eq!(policy.key_id("folder-key"), Some(new));
    assert_nothing_dangles(&policy);
}
