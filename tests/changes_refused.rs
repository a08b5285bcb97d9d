//! Refused changes: a change that cannot be made is refused with the
//! problem that names what was wrong, and changes nothing, applied alone or
//! in a batch (DESIGN.md, "Changing the model"; issue 3, "Changes").

mod common;

use clearance::{
    ApiKey, Author, Change, ChangeProblem, Effect, Entity, Grantee, Permissions as P, Problem,
    PublicLink, Reason, ResourceKind as K, Role, Seats, Status, User, UserType, UserTypes,
};
use common::changes::{
    accept, add, add_team, apply, deactivate, expire, grant_change, leave, membership, model,
    move_to, reactivate, refused, remove_key, remove_link, remove_resource, remove_role,
    remove_team, remove_user, revoke_change, revoke_invitation, revoke_key, revoke_link, suspend,
    EXPIRY,
};

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
