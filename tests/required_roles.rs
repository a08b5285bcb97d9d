//! Required roles (issue 16, item 2): "A model can require that accounts
//! of a user type hold a role. A change that would leave an account
//! without it is refused; and an account that lacks it anyway (built that
//! way) is denied everything with its own `Reason`, whatever else it
//! holds." A required role can't be removed by any path: revoke, removing
//! the team that carries it, a deny, an override.

mod common;

use clearance::{
    Action, Change, ChangeProblem, Condition, Effect, Grantee, Permissions as P, Policy,
    PolicyBuilder, Reason, RequiredOf, ResourceKind as K, Role, User, UserType, UserTypes,
};
use common::changes::{apply, refused};
use common::{build, resource, user, user_id};

/// acme: ws › folder. Role "default" (view everywhere) is required of the
/// members of team "normal", which holds it on acme; "admin" (everything)
/// is required of native admins. "ann" is in normal; "root" is a native
/// admin holding admin on acme itself; "bob" is in no team. "builder"
/// (edit) is denied to team "night" on ws and to ann on folder; "viewer"
/// (view) shares a permission with default.
fn model() -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .resource("folder", K::Folder, "ws")
        .role(Role::new("default").allow_everywhere(P::VIEW))
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .role(Role::new("builder").allow_everywhere(P::EDIT))
        .role(Role::new("admin").allow_everywhere(P::all()))
        .team("normal", "acme")
        .team("night", "acme")
        .user(User::new("ann", "acme").member_of("normal"))
        .user(User::new("root", "acme").user_type(UserType::NativeAdmin))
        .user(User::new("bob", "acme"))
        .grant(Grantee::team("normal"), "acme", "default", Effect::Allow)
        .grant(Grantee::user("root"), "acme", "admin", Effect::Allow)
        .grant(Grantee::team("night"), "ws", "builder", Effect::Deny)
        .grant(Grantee::user("ann"), "folder", "builder", Effect::Deny)
        .require_role(RequiredOf::Team("normal".into()), "default")
        .require_role(RequiredOf::Types(UserTypes::NATIVE_ADMIN), "admin");
    builder
}

fn grant(grantee: Grantee, scope: &str, role: &str, effect: Effect) -> Change {
    Change::Grant {
        grantee,
        scope: scope.into(),
        role: role.into(),
        effect,
        when: Condition::Always,
        by: None,
    }
}

fn revoke(grantee: Grantee, scope: &str, role: &str, effect: Effect) -> Change {
    Change::Revoke {
        grantee,
        scope: scope.into(),
        role: role.into(),
        effect,
        by: None,
    }
}

/// Every path by which a change could take "default" from ann or "admin"
/// from root, and who would be left without which role.
fn paths() -> Vec<(Change, &'static str, &'static str)> {
    vec![
        (
            revoke(Grantee::team("normal"), "acme", "default", Effect::Allow),
            "ann",
            "default",
        ),
        (
            revoke(Grantee::user("root"), "acme", "admin", Effect::Allow),
            "root",
            "admin",
        ),
        (
            grant(Grantee::user("ann"), "folder", "default", Effect::Deny),
            "ann",
            "default",
        ),
        // A deny of another role that shares a permission with it.
        (
            grant(Grantee::Everyone, "ws", "viewer", Effect::Deny),
            "ann",
            "default",
        ),
        // An override below the root cuts what the team holds above it.
        (
            grant(Grantee::team("normal"), "ws", "builder", Effect::Override),
            "ann",
            "default",
        ),
        (
            grant(Grantee::user("root"), "folder", "viewer", Effect::Override),
            "root",
            "admin",
        ),
        // Joining a team that is denied it.
        (
            Change::AddMembership {
                user: "root".into(),
                team: "night".into(),
            },
            "root",
            "admin",
        ),
        // A new type that requires what the account does not hold.
        (
            Change::SetUserType {
                user: "bob".into(),
                user_type: UserType::NativeAdmin,
                channels: None,
                by: None,
            },
            "bob",
            "admin",
        ),
        // A new account without it.
        (
            Change::AddUser(User::new("cy", "acme").user_type(UserType::NativeAdmin)),
            "cy",
            "admin",
        ),
        (
            Change::Invite {
                user: User::new("di", "acme").user_type(UserType::NativeAdmin),
                until: 1_000,
            },
            "di",
            "admin",
        ),
        // A role used by a deny widened to share a permission with it.
        (
            Change::UpdateRole(Role::new("builder").allow_everywhere(P::EDIT | P::VIEW)),
            "ann",
            "default",
        ),
    ]
}

#[test]
fn no_path_leaves_an_account_without_a_required_role() {
    let mut policy = build(&mut model());
    for (change, who, role) in paths() {
        let described = change.to_string();
        let problem = refused(&mut policy, change);
        assert_eq!(
            problem,
            ChangeProblem::RequiredRole {
                user: who.into(),
                role: role.into(),
            },
            "{described}"
        );
        assert_eq!(problem.code(), "required_role");
    }
}

/// Removing the team that carries a required role to an account is
/// refused like a revoke.
#[test]
fn removing_the_team_that_carries_a_required_role_is_refused() {
    let mut builder = model();
    builder
        .team("admins", "acme")
        .user(
            User::new("ada", "acme")
                .user_type(UserType::NativeAdmin)
                .member_of("admins"),
        )
        .grant(Grantee::team("admins"), "acme", "admin", Effect::Allow);
    let mut policy = build(&mut builder);
    assert_eq!(
        refused(
            &mut policy,
            Change::RemoveTeam {
                name: "admins".into()
            }
        ),
        ChangeProblem::RequiredRole {
            user: "ada".into(),
            role: "admin".into(),
        }
    );
    assert_eq!(
        refused(
            &mut policy,
            Change::RemoveMembership {
                user: "ada".into(),
                team: "admins".into(),
            }
        ),
        ChangeProblem::RequiredRole {
            user: "ada".into(),
            role: "admin".into(),
        }
    );
}

#[test]
fn what_takes_no_required_role_away_still_applies() {
    let mut policy = build(&mut model());
    // Leaving the team the requirement is of: ann no longer must hold it.
    apply(
        &mut policy,
        Change::RemoveMembership {
            user: "ann".into(),
            team: "normal".into(),
        },
    );
    // An allow of more is fine.
    apply(
        &mut policy,
        grant(Grantee::user("root"), "ws", "builder", Effect::Allow),
    );
    // Joining the team again, and a deny of a role that shares nothing
    // with "default".
    apply(
        &mut policy,
        Change::AddMembership {
            user: "ann".into(),
            team: "normal".into(),
        },
    );
    apply(
        &mut policy,
        grant(Grantee::user("ann"), "ws", "builder", Effect::Deny),
    );
    let ann = user(&policy, "ann").at(1);
    assert!(policy
        .authorize(&ann, Action::View, resource(&policy, "folder"))
        .is_allowed());
}

#[test]
fn an_account_built_without_its_required_role_is_denied_everything_with_its_own_reason() {
    let mut builder = model();
    // ann is denied default on ws (a model from elsewhere), and holds
    // admin on acme besides: whatever else it holds, it may do nothing.
    builder
        .grant(Grantee::user("ann"), "ws", "default", Effect::Deny)
        .grant(Grantee::user("ann"), "acme", "admin", Effect::Allow);
    let mut policy = build(&mut builder);
    let default = policy.role_id("default").unwrap();
    let ann = user(&policy, "ann").at(1);
    for resource_name in ["acme", "ws", "folder"] {
        for action in [Action::View, Action::Edit, Action::ManageMembers] {
            let decision = policy.authorize(&ann, action, resource(&policy, resource_name));
            assert_eq!(
                decision.reason(),
                Reason::RequiredRoleMissing { role: default },
                "{action:?} on {resource_name}"
            );
        }
    }
    assert!(policy.effective(&ann, resource(&policy, "acme")).is_empty());
    let explained = policy
        .explain(Reason::RequiredRoleMissing { role: default })
        .to_string();
    assert!(explained.contains("the role \"default\""), "{explained}");
    let view = policy.user(user_id(&policy, "ann")).unwrap();
    assert_eq!(view.lacks_required_role(), Some(default));
    assert_eq!(view.channels(), UserType::Native.channels());
    // Changes that leave it lacking still apply (they make nothing worse)
    // and lifting the deny gives it back: ann may act again.
    apply(
        &mut policy,
        grant(Grantee::user("bob"), "ws", "viewer", Effect::Allow),
    );
    apply(
        &mut policy,
        revoke(Grantee::user("ann"), "ws", "default", Effect::Deny),
    );
    let view = policy.user(user_id(&policy, "ann")).unwrap();
    assert_eq!(view.lacks_required_role(), None);
    assert!(policy
        .authorize(&ann, Action::Edit, resource(&policy, "ws"))
        .is_allowed());
}

#[test]
fn a_required_role_and_the_team_it_is_required_of_cannot_be_removed() {
    // "viewer", required of connected accounts (there are none), is
    // granted to no one: only the requirement holds it.
    let mut builder = model();
    builder.require_role(RequiredOf::Types(UserTypes::CONNECTED), "viewer");
    let mut policy = build(&mut builder);
    for (change, entity) in [
        (
            Change::RemoveRole {
                name: "viewer".into(),
            },
            clearance::Entity::Role,
        ),
        (
            Change::RemoveTeam {
                name: "normal".into(),
            },
            clearance::Entity::Team,
        ),
    ] {
        let problem = refused(&mut policy, change);
        assert!(
            matches!(&problem, ChangeProblem::InUse { entity: e, by, .. } if *e == entity && by.contains("requires")),
            "{problem}"
        );
    }
}

#[test]
fn requirements_are_kept_by_documents() {
    let policy = build(&mut model());
    let document = policy.to_document();
    assert_eq!(document.required_roles.len(), 2);
    assert_eq!(
        document.required_roles[0].of,
        RequiredOf::Team("normal".into())
    );
    let reloaded = Policy::from_document(&document).unwrap();
    assert_eq!(reloaded, policy);
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_value(&document).unwrap();
        assert_eq!(
            json["required_roles"][0],
            serde_json::json!({ "of": { "team": "normal" }, "role": "default" })
        );
        let back: clearance::PolicyDocument = serde_json::from_value(json).unwrap();
        assert_eq!(back, document);
    }
}

#[test]
fn an_unknown_required_role_or_team_does_not_build() {
    let mut builder = model();
    builder
        .require_role(RequiredOf::Team("nobody".into()), "default")
        .require_role(RequiredOf::Types(UserTypes::NATIVE), "nothing");
    let problems = common::problems(&mut builder);
    assert_eq!(problems.len(), 2, "{problems:?}");
}
