//! Protected accounts (issue 16, item 1): "no change may suspend,
//! deactivate, remove it, change its type or channels, or revoke or narrow
//! its grants; the refusal names the protection". Each kind of change that
//! would alter a protected account is refused, by every path, and leaves
//! the policy as it was; what does not alter it still applies.

mod common;

use clearance::{
    Author, Change, ChangeProblem, Channels, Effect, Grantee, Labels, Permissions as P, Policy,
    PolicyBuilder, PolicyDocument, ResourceKind as K, Role, Status, User, UserType,
};
use common::build;
use common::changes::{apply, refused};

/// acme: ws › folder. "sync" (a protected system user, in team ops, with
/// its own editor grant on ws; ops holds editor on ws too), "ann" (an
/// ordinary native user, admin of acme) and "pending" (a protected invited
/// user).
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("folder", K::Folder, "ws")
            .role(Role::new("editor").allow([K::Workspace, K::Folder], P::VIEW | P::EDIT))
            .role(Role::new("admin").allow_everywhere(P::all()))
            .team("ops", "acme")
            .team("night", "acme")
            .user(
                User::new("sync", "acme")
                    .user_type(UserType::System)
                    .member_of("ops")
                    .protected(),
            )
            .user(User::new("ann", "acme"))
            .user(
                User::new("pending", "acme")
                    .status(Status::Invited { until: 1_000 })
                    .protected(),
            )
            .grant(Grantee::user("sync"), "ws", "editor", Effect::Allow)
            .grant(Grantee::team("ops"), "ws", "editor", Effect::Allow)
            .grant(Grantee::user("ann"), "acme", "admin", Effect::Allow),
    )
}

fn grant(user: &str, scope: &str, role: &str, effect: Effect) -> Change {
    Change::Grant {
        grantee: Grantee::user(user),
        scope: scope.into(),
        role: role.into(),
        effect,
        when: clearance::Condition::Always,
        by: None,
    }
}

fn revoke(user: &str, scope: &str, role: &str, effect: Effect) -> Change {
    Change::Revoke {
        grantee: Grantee::user(user),
        scope: scope.into(),
        role: role.into(),
        effect,
        by: None,
    }
}

/// A grant of editor on `scope` to team `team` with `effect` (`add`), or
/// its revocation.
fn team_grant(team: &str, scope: &str, effect: Effect, add: bool) -> Change {
    if add {
        Change::Grant {
            grantee: Grantee::team(team),
            scope: scope.into(),
            role: "editor".into(),
            effect,
            when: clearance::Condition::Always,
            by: None,
        }
    } else {
        Change::Revoke {
            grantee: Grantee::team(team),
            scope: scope.into(),
            role: "editor".into(),
            effect,
            by: None,
        }
    }
}

/// Every change that would alter the protected account "sync" (or the
/// protected invitation of "pending"), and what the refusal says it would
/// have done.
fn altering_changes() -> Vec<(Change, &'static str)> {
    vec![
        (
            Change::Suspend {
                user: "sync".into(),
                by: None,
            },
            "suspended",
        ),
        (
            Change::Deactivate {
                user: "sync".into(),
                by: None,
            },
            "deactivated",
        ),
        (
            Change::RemoveUser {
                name: "sync".into(),
                by: None,
            },
            "removed",
        ),
        (
            Change::SetUserType {
                user: "sync".into(),
                user_type: UserType::Native,
                channels: None,
                by: None,
            },
            "made a native user",
        ),
        (
            Change::SetChannels {
                user: "sync".into(),
                channels: Some(Channels::empty()),
                by: None,
            },
            "given other channels",
        ),
        (
            Change::SetUserLabels {
                user: "sync".into(),
                labels: Labels::bit(1),
            },
            "relabelled",
        ),
        (
            Change::RemoveMembership {
                user: "sync".into(),
                team: "ops".into(),
            },
            "removed from team \"ops\"",
        ),
        (
            Change::AddMembership {
                user: "sync".into(),
                team: "night".into(),
            },
            "added to team \"night\"",
        ),
        (
            Change::RemoveTeam { name: "ops".into() },
            "removed from team \"ops\" (by removing the team)",
        ),
        (
            revoke("sync", "ws", "editor", Effect::Allow),
            "stripped of the allow of role \"editor\" on \"ws\"",
        ),
        (
            grant("sync", "folder", "editor", Effect::Deny),
            "given the deny of role \"editor\" on \"folder\"",
        ),
        (
            grant("sync", "folder", "editor", Effect::Override),
            "given the override of role \"editor\" on \"folder\"",
        ),
        (
            team_grant("ops", "folder", Effect::Deny, true),
            "given the deny of role \"editor\" on \"folder\" (through team \"ops\")",
        ),
        (
            team_grant("ops", "ws", Effect::Allow, false),
            "stripped of the allow of role \"editor\" on \"ws\" (through team \"ops\")",
        ),
        (
            Change::Grant {
                grantee: Grantee::Everyone,
                scope: "acme".into(),
                role: "admin".into(),
                effect: Effect::Override,
                when: clearance::Condition::Always,
                by: None,
            },
            "given the override of role \"admin\" on \"acme\" (through everyone)",
        ),
        (
            Change::RemoveResource { name: "ws".into() },
            "stripped of its grants in \"ws\" (by removing it)",
        ),
        (
            Change::RevokeInvitation {
                user: "pending".into(),
            },
            "uninvited",
        ),
        (
            Change::ExpireInvitation {
                user: "pending".into(),
            },
            "uninvited",
        ),
    ]
}

#[test]
fn a_protected_account_refuses_every_change_that_would_alter_it_naming_the_protection() {
    let mut policy = model();
    for (change, what) in altering_changes() {
        let described = change.to_string();
        let problem = refused(&mut policy, change);
        let user = if described.contains("pending") {
            "pending"
        } else {
            "sync"
        };
        assert_eq!(
            problem,
            ChangeProblem::Protected {
                user: user.into(),
                what: what.into(),
            },
            "{described}"
        );
        assert_eq!(problem.code(), "protected");
        assert_eq!(
            problem.to_string(),
            format!("user {user:?} is protected: it cannot be {what}")
        );
    }
}

#[test]
fn an_author_with_every_right_is_refused_like_the_host() {
    let mut policy = model();
    let ann = Some(Author::web("ann", 1_700_000_000));
    for change in [
        Change::Suspend {
            user: "sync".into(),
            by: ann.clone(),
        },
        Change::RemoveUser {
            name: "sync".into(),
            by: ann.clone(),
        },
    ] {
        assert!(matches!(
            refused(&mut policy, change),
            ChangeProblem::Protected { .. }
        ));
    }
}

#[test]
fn a_protected_account_may_still_be_given_more() {
    let mut policy = model();
    apply(&mut policy, grant("sync", "folder", "admin", Effect::Allow));
    apply(&mut policy, grant("pending", "ws", "editor", Effect::Allow));
    // A change to someone else, or to a team it is not in, is no change to
    // it; nor is an allow to its team or to everyone.
    apply(
        &mut policy,
        team_grant("ops", "folder", Effect::Allow, true),
    );
    apply(
        &mut policy,
        Change::Grant {
            grantee: Grantee::Everyone,
            scope: "folder".into(),
            role: "editor".into(),
            effect: Effect::Allow,
            when: clearance::Condition::Always,
            by: None,
        },
    );
    apply(
        &mut policy,
        Change::Suspend {
            user: "ann".into(),
            by: None,
        },
    );
    apply(
        &mut policy,
        Change::RemoveTeam {
            name: "night".into(),
        },
    );
    // Reactivating or accepting the invitation takes nothing away.
    apply(
        &mut policy,
        Change::AcceptInvitation {
            user: "pending".into(),
            at: 10,
        },
    );
    let sync = policy.user(common::user_id(&policy, "sync")).unwrap();
    assert!(sync.is_protected());
}

#[test]
fn protection_is_kept_by_documents_and_by_an_added_user() {
    let mut policy = model();
    apply(
        &mut policy,
        Change::AddUser(
            User::new("bot", "acme")
                .user_type(UserType::System)
                .protected(),
        ),
    );
    let document = policy.to_document();
    let flags: Vec<(&str, bool)> = document
        .users
        .iter()
        .map(|user| (user.name.as_str(), user.protected))
        .collect();
    assert_eq!(
        flags,
        [
            ("sync", true),
            ("ann", false),
            ("pending", true),
            ("bot", true)
        ]
    );
    let mut reloaded = Policy::from_document(&document).unwrap();
    assert!(matches!(
        refused(
            &mut reloaded,
            Change::RemoveUser {
                name: "bot".into(),
                by: None
            }
        ),
        ChangeProblem::Protected { .. }
    ));
    let unprotected = reloaded.user(common::user_id(&reloaded, "ann")).unwrap();
    assert!(!unprotected.is_protected());
}

#[cfg(feature = "serde")]
#[test]
fn a_serialized_user_is_protected_only_when_it_says_so() {
    let document = model().to_document();
    let json = serde_json::to_value(&document).unwrap();
    let users = json["users"].as_array().unwrap();
    assert_eq!(users[0]["protected"], serde_json::json!(true));
    assert!(users[1].get("protected").is_none(), "left out when false");
    let back: PolicyDocument = serde_json::from_value(json).unwrap();
    assert_eq!(back, document);
}
