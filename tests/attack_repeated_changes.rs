//! Attack family: a change replayed (a double click in an admin screen, a
//! log applied twice). A change that would do nothing the second time is
//! refused with a typed problem, and the refused change leaves the policy
//! as it was: same model, same revision.
#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "helpers outside #[test] fns stop the test loudly, naming the row"
)]

mod common;

use clearance::{
    ApiKey, Change, ChangeProblem, Effect, Entity, Grantee, Permissions as P, Policy,
    PolicyBuilder, PublicLink, ResourceKind as K, Role, User,
};
use common::build;

fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("site", K::Workspace, "acme")
            .role(Role::new("viewer").allow_everywhere(P::VIEW))
            .team("ops", "acme")
            .user(User::new("ann", "acme"))
            .grant(Grantee::Public, "site", "viewer", Effect::Allow)
            .api_key(ApiKey::new("ci", "ann"))
            .api_key(ApiKey::new("old", "ann").revoked(true))
            .link(PublicLink::new("survey", "site", P::VIEW))
            .link(PublicLink::new("gone", "site", P::VIEW).revoked(true)),
    )
}

/// Applies `change` once (it must pass), then again: the second time must
/// be refused with `expected`, leaving the policy and its revision as they
/// were after the first.
#[track_caller]
fn assert_refused_when_repeated(change: Change, expected: ChangeProblem) {
    let mut policy = model();
    policy
        .apply(change.clone())
        .unwrap_or_else(|error| panic!("the first {change} passes: {error}"));
    let before = policy.clone();
    let error = policy
        .apply(change.clone())
        .expect_err("a repeated change is refused");
    assert_eq!(error.problem(), &expected, "{change}");
    assert_eq!(policy.revision(), before.revision(), "{change}");
    assert_eq!(policy, before, "{change}");
}

#[test]
fn revoking_a_revoked_key_or_link_is_refused_and_changes_nothing() {
    let rows = [
        (
            Change::RevokeKey { name: "ci".into() },
            ChangeProblem::AlreadyRevoked {
                entity: Entity::Key,
                name: "ci".into(),
            },
        ),
        (
            Change::RevokeLink {
                name: "survey".into(),
            },
            ChangeProblem::AlreadyRevoked {
                entity: Entity::Link,
                name: "survey".into(),
            },
        ),
    ];
    for (change, expected) in rows {
        assert_refused_when_repeated(change, expected);
    }
}

#[test]
fn revoking_a_key_or_link_declared_revoked_is_refused() {
    let rows = [
        (Change::RevokeKey { name: "old".into() }, Entity::Key, "old"),
        (
            Change::RevokeLink {
                name: "gone".into(),
            },
            Entity::Link,
            "gone",
        ),
    ];
    for (change, entity, name) in rows {
        let mut policy = model();
        let before = policy.clone();
        let error = policy.apply(change.clone()).expect_err("refused");
        assert_eq!(
            error.problem(),
            &ChangeProblem::AlreadyRevoked {
                entity,
                name: name.into()
            },
            "{change}"
        );
        assert_eq!(policy, before, "{change}");
        assert_eq!(
            error.to_string(),
            format!("change #0 ({change}) refused: {entity} {name:?} is revoked already")
        );
    }
}

#[test]
fn every_repeated_change_that_would_do_nothing_is_refused() {
    let grant = Change::Grant {
        grantee: Grantee::user("ann"),
        scope: "site".into(),
        role: "viewer".into(),
        effect: Effect::Allow,
        when: Default::default(),
        by: None,
    };
    let rows = [
        (grant, ChangeProblem::AlreadyGranted),
        (
            Change::Revoke {
                grantee: Grantee::Public,
                scope: "site".into(),
                role: "viewer".into(),
                effect: Effect::Allow,
                by: None,
            },
            ChangeProblem::NotGranted,
        ),
        (
            Change::AddMembership {
                user: "ann".into(),
                team: "ops".into(),
            },
            ChangeProblem::AlreadyMember {
                user: "ann".into(),
                team: "ops".into(),
            },
        ),
        (
            Change::RemoveKey { name: "ci".into() },
            ChangeProblem::Unknown {
                entity: Entity::Key,
                name: "ci".into(),
            },
        ),
        (
            Change::RemoveLink {
                name: "survey".into(),
            },
            ChangeProblem::Unknown {
                entity: Entity::Link,
                name: "survey".into(),
            },
        ),
    ];
    for (change, expected) in rows {
        assert_refused_when_repeated(change, expected);
    }
}

/// Same family as revoking what is revoked: expiring an invitation that is
/// expired already (by an earlier `ExpireInvitation`, or sent to expire at
/// time 0) would change nothing, so it is refused, naming the user, and
/// the revision stays.
#[test]
fn expiring_an_expired_invitation_is_refused_and_changes_nothing() {
    let expired = ChangeProblem::AlreadyExpired { user: "bo".into() };
    let mut policy = model();
    policy
        .apply(Change::Invite {
            user: User::new("bo", "acme"),
            until: 1_700_000_000,
        })
        .expect("invited");
    let expire = Change::ExpireInvitation { user: "bo".into() };
    policy
        .apply(expire.clone())
        .expect("the first expiry passes");
    let before = policy.clone();
    let error = policy
        .apply(expire.clone())
        .expect_err("a second expiry is refused");
    assert_eq!(error.problem(), &expired);
    assert_eq!(
        error.to_string(),
        r#"change #0 (expire the invitation of "bo") refused: the invitation of "bo" is expired already"#
    );
    assert_eq!(policy, before);

    let mut policy = model();
    policy
        .apply(Change::Invite {
            user: User::new("bo", "acme"),
            until: 0,
        })
        .expect("invited");
    let before = policy.clone();
    let error = policy
        .apply(expire)
        .expect_err("an invitation sent expired is refused");
    assert_eq!(error.problem(), &expired);
    assert_eq!(policy, before);
}
