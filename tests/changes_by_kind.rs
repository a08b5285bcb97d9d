//! Changes, kind by kind: every [`Change`] does what its documentation
//! says (DESIGN.md, "Changing the model"; issue 3, "Changes"): an added or
//! moved resource inherits from its parent, roles, teams, memberships,
//! users, grants, keys and links come and go, and the MFA requirement is
//! replaced.

mod common;

use clearance::{
    Action, ApiKey, Change, Channel, Effect, Grantee, Permissions as P, PublicLink, Reason,
    ResourceKind as K, Role, Status, Subject, User, UserType,
};
use common::changes::{
    add, add_team, apply, grant_change, leave, membership, model, move_to, remove_key, remove_link,
    remove_role, remove_team, revoke_change, revoke_key, revoke_link, story,
};
use common::{
    assert_decision, assert_gets_nothing, key, key_id, link, link_id, resource, role_id, user, By,
    Expected,
};

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
