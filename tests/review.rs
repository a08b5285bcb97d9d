//! Access review reports: each line lists exactly the users or keys it
//! names, and a user's review shows what gives them anything.
#![expect(
    clippy::expect_used,
    reason = "fixture helpers outside #[test] fns stop the test loudly on a broken fixture"
)]

use clearance::{
    ApiKey, Effect, Grantee, Permissions as P, Policy, PolicyBuilder, Principal, ResourceKind as K,
    Role, Status, User, UserId,
};

const ADMIN_POWERS: P = P::MANAGE_MEMBERS.union(P::MANAGE_SETTINGS);

/// acme: "ws" (workspace) below it; globex elsewhere.
/// root: admin at acme; ed: editor through team "eng"; sus: suspended, in
/// "eng"; old: deactivated with an own grant; idle: active, no grant;
/// gone: suspended, no grant. Keys: root's "forever" (no expiry), root's
/// "dated" (expires), root's "dead" (no expiry, revoked). globex has its
/// own admin and a key without expiry.
fn model() -> Policy {
    PolicyBuilder::new()
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .tenant("globex", K::Organization)
        .role(Role::new("admin").allow_everywhere(P::all_named()))
        .role(Role::new("editor").allow([K::Workspace], P::VIEW | P::EDIT))
        .team("eng", "acme")
        .user(User::new("root", "acme"))
        .user(User::new("ed", "acme").member_of("eng"))
        .user(
            User::new("sus", "acme")
                .member_of("eng")
                .status(Status::Suspended),
        )
        .user(User::new("old", "acme").status(Status::Deactivated))
        .user(User::new("idle", "acme"))
        .user(User::new("gone", "acme").status(Status::Suspended))
        .user(User::new("boss", "globex"))
        .grant(Grantee::user("root"), "acme", "admin", Effect::Allow)
        .grant(Grantee::team("eng"), "ws", "editor", Effect::Allow)
        .grant(Grantee::user("old"), "ws", "editor", Effect::Allow)
        .grant(Grantee::user("boss"), "globex", "admin", Effect::Allow)
        .api_key(ApiKey::new("forever", "root"))
        .api_key(ApiKey::new("dated", "root").expires_at(10))
        .api_key(ApiKey::new("dead", "root").revoked(true))
        .api_key(ApiKey::new("elsewhere", "boss"))
        .build()
        .expect("the model builds")
}

fn users(policy: &Policy, names: &[&str]) -> Vec<UserId> {
    names
        .iter()
        .map(|name| policy.user_id(name).expect("user"))
        .collect()
}

#[test]
fn a_tenant_review_lists_admins_idle_users_inactive_holders_and_keys_without_expiry() {
    let policy = model();
    let acme = policy.resource_id("acme").expect("acme");
    let review = policy.review_tenant(acme, ADMIN_POWERS, 0);
    assert_eq!(review.admins, users(&policy, &["root"]));
    assert_eq!(review.holding_nothing, users(&policy, &["idle"]));
    assert_eq!(review.inactive_with_grants, users(&policy, &["sus", "old"]));
    assert_eq!(
        review.keys_without_expiry,
        vec![policy.key_id("forever").expect("key")]
    );
}

#[test]
fn a_tenant_review_stays_inside_its_tenant() {
    let policy = model();
    let globex = policy.resource_id("globex").expect("globex");
    let review = policy.review_tenant(globex, ADMIN_POWERS, 0);
    assert_eq!(review.admins, users(&policy, &["boss"]));
    assert!(review.holding_nothing.is_empty());
    assert!(review.inactive_with_grants.is_empty());
    assert_eq!(
        review.keys_without_expiry,
        vec![policy.key_id("elsewhere").expect("key")]
    );
}

#[test]
fn a_user_review_shows_own_and_team_grants_and_holdings_per_workspace() {
    let policy = model();
    let ed = policy.user_id("ed").expect("ed");
    let review = policy.review_user(ed, 0).expect("ed is known");
    assert_eq!(review.teams, vec![policy.team_id("eng").expect("eng")]);
    assert_eq!(review.grants.len(), 1);
    assert_eq!(
        review.grants[0].principal,
        Principal::Team(policy.team_id("eng").expect("eng"))
    );
    let acme = policy.resource_id("acme").expect("acme");
    let ws = policy.resource_id("ws").expect("ws");
    assert_eq!(
        review.holdings,
        vec![(acme, P::empty()), (ws, P::VIEW | P::EDIT)]
    );
}

#[test]
fn an_unknown_user_has_no_review() {
    let policy = model();
    assert!(policy.review_user(UserId::from_index(999), 0).is_none());
}
