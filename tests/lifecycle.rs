//! Lifecycle: only an `Active` account may act, for itself or through its
//! API keys; a revoked or expired key or link is refused; expiry times are
//! exclusive and compared with the subject's `now` (DESIGN.md §2, step 2).

mod common;

use clearance::{
    Action, ApiKey, Effect, Grantee, Permissions as P, Policy, PolicyBuilder, PublicLink, Reason,
    ResourceKind as K, Role, Status, User,
};
use common::{
    assert_decision, assert_gets_nothing, build, effective, key, link, user, By, Expected,
};

/// Invitations, keys and links that expire do so at this time.
const EXPIRY: u64 = 1_000;

/// ```text
/// acme (organization)
/// └── ws (workspace)        staff: editor; the public: viewer
///     └── flow (flow)
/// globex (organization)
/// └── other (flow)          the public: viewer
/// ```
///
/// ann is active, sus suspended, inv invited until `EXPIRY`, dea
/// deactivated; all are in staff. Keys and links are named for their state.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("flow", K::Flow, "ws")
            .tenant("globex", K::Organization)
            .resource("other", K::Flow, "globex")
            .role(
                Role::new("editor").allow([K::Workspace, K::Flow], P::VIEW | P::EDIT | P::EXECUTE),
            )
            .role(Role::new("viewer").allow([K::Workspace, K::Flow], P::VIEW))
            .team("staff", "acme")
            .user(User::new("ann", "acme").member_of("staff"))
            .user(
                User::new("sus", "acme")
                    .member_of("staff")
                    .status(Status::Suspended),
            )
            .user(
                User::new("inv", "acme")
                    .member_of("staff")
                    .status(Status::Invited { until: EXPIRY }),
            )
            .user(
                User::new("dea", "acme")
                    .member_of("staff")
                    .status(Status::Deactivated),
            )
            .grant(Grantee::team("staff"), "ws", "editor", Effect::Allow)
            .grant(Grantee::Public, "ws", "viewer", Effect::Allow)
            .grant(Grantee::Public, "other", "viewer", Effect::Allow)
            .api_key(ApiKey::new("ann-key", "ann"))
            .api_key(ApiKey::new("sus-key", "sus"))
            .api_key(ApiKey::new("inv-key", "inv"))
            .api_key(ApiKey::new("dea-key", "dea"))
            .api_key(ApiKey::new("revoked-key", "ann").revoked(true))
            .api_key(ApiKey::new("expiring-key", "ann").expires_at(EXPIRY))
            .api_key(
                ApiKey::new("revoked-expiring-key", "ann")
                    .revoked(true)
                    .expires_at(EXPIRY),
            )
            .api_key(ApiKey::new("sus-revoked-key", "sus").revoked(true))
            .link(PublicLink::new("flow-link", "flow", P::VIEW))
            .link(PublicLink::new("revoked-link", "flow", P::VIEW).revoked(true))
            .link(PublicLink::new("expiring-link", "flow", P::VIEW).expires_at(EXPIRY))
            .link(
                PublicLink::new("revoked-expiring-link", "flow", P::VIEW)
                    .revoked(true)
                    .expires_at(EXPIRY),
            ),
    )
}

#[test]
fn active_account_acts_at_any_time() {
    let policy = model();
    let by_staff = Expected::Granted(By::Team("staff"), "ws", "editor").reason(&policy);
    for now in [0, EXPIRY, u64::MAX] {
        let ann = user(&policy, "ann").at(now);
        assert_decision(&policy, &ann, Action::Edit, "flow", by_staff);
        assert_eq!(
            effective(&policy, &ann, "flow"),
            P::VIEW | P::EDIT | P::EXECUTE
        );
    }
    assert_decision(
        &policy,
        &key(&policy, "ann-key"),
        Action::Edit,
        "flow",
        by_staff,
    );
}

#[test]
fn suspended_account_gets_nothing() {
    let policy = model();
    let sus = user(&policy, "sus");
    assert_gets_nothing(&policy, &sus, "flow", Reason::Suspended);
    assert_gets_nothing(&policy, &sus, "ws", Reason::Suspended);
    assert_gets_nothing(&policy, &sus.with_mfa(true), "flow", Reason::Suspended);
}

#[test]
fn invited_account_gets_nothing_while_the_invitation_is_pending() {
    let policy = model();
    for now in [0, EXPIRY - 1] {
        let inv = user(&policy, "inv").at(now);
        assert_gets_nothing(&policy, &inv, "flow", Reason::InvitationPending);
    }
}

#[test]
fn invitation_expires_at_its_until_time() {
    let policy = model();
    for now in [EXPIRY, EXPIRY + 1, u64::MAX - 1] {
        let inv = user(&policy, "inv").at(now);
        assert_gets_nothing(&policy, &inv, "flow", Reason::InvitationExpired);
    }
}

#[test]
fn deactivated_account_gets_nothing() {
    let policy = model();
    assert_gets_nothing(&policy, &user(&policy, "dea"), "flow", Reason::Deactivated);
}

#[test]
fn key_of_an_inactive_owner_is_refused_with_the_owners_reason() {
    let policy = model();
    let cases = [
        (key(&policy, "sus-key"), Reason::Suspended),
        (
            key(&policy, "inv-key").at(EXPIRY - 1),
            Reason::InvitationPending,
        ),
        (
            key(&policy, "inv-key").at(EXPIRY),
            Reason::InvitationExpired,
        ),
        (key(&policy, "dea-key"), Reason::Deactivated),
        // The owner's account is checked before the key itself.
        (key(&policy, "sus-revoked-key"), Reason::Suspended),
    ];
    for (subject, reason) in cases {
        assert_gets_nothing(&policy, &subject, "flow", reason);
    }
}

#[test]
fn revoked_key_is_refused() {
    let policy = model();
    assert_gets_nothing(
        &policy,
        &key(&policy, "revoked-key"),
        "flow",
        Reason::KeyRevoked,
    );
    // Revocation is reported even where the key has also expired.
    let later = key(&policy, "revoked-expiring-key").at(EXPIRY);
    assert_gets_nothing(&policy, &later, "flow", Reason::KeyRevoked);
}

#[test]
fn key_expires_at_its_expiry_time() {
    let policy = model();
    let by_staff = Expected::Granted(By::Team("staff"), "ws", "editor").reason(&policy);
    let before = key(&policy, "expiring-key").at(EXPIRY - 1);
    assert_decision(&policy, &before, Action::Edit, "flow", by_staff);
    for now in [EXPIRY, EXPIRY + 1, u64::MAX - 1] {
        let after = key(&policy, "expiring-key").at(now);
        assert_gets_nothing(&policy, &after, "flow", Reason::KeyExpired);
    }
}

#[test]
fn revoked_link_is_refused() {
    let policy = model();
    assert_gets_nothing(
        &policy,
        &link(&policy, "revoked-link"),
        "flow",
        Reason::LinkRevoked,
    );
    let later = link(&policy, "revoked-expiring-link").at(EXPIRY);
    assert_gets_nothing(&policy, &later, "flow", Reason::LinkRevoked);
}

#[test]
fn link_expires_at_its_expiry_time() {
    let policy = model();
    let by_public = Expected::Granted(By::Public, "ws", "viewer").reason(&policy);
    let before = link(&policy, "expiring-link").at(EXPIRY - 1);
    assert_decision(&policy, &before, Action::View, "flow", by_public);
    for now in [EXPIRY, EXPIRY + 1, u64::MAX - 1] {
        let after = link(&policy, "expiring-link").at(now);
        assert_gets_nothing(&policy, &after, "flow", Reason::LinkExpired);
    }
}

#[test]
fn key_or_link_without_expiry_never_expires() {
    let policy = model();
    let by_staff = Expected::Granted(By::Team("staff"), "ws", "editor").reason(&policy);
    let by_public = Expected::Granted(By::Public, "ws", "viewer").reason(&policy);
    for now in [0, EXPIRY, u64::MAX - 1, u64::MAX] {
        let ann_key = key(&policy, "ann-key").at(now);
        assert_decision(&policy, &ann_key, Action::Edit, "flow", by_staff);
        let flow_link = link(&policy, "flow-link").at(now);
        assert_decision(&policy, &flow_link, Action::View, "flow", by_public);
    }
}

#[test]
fn the_callers_own_state_is_checked_before_anything_about_the_resource() {
    let policy = model();
    // A suspended, invited or deactivated account, a revoked or expired
    // key, a revoked link: each is told its own state, the same whether it
    // asks about its tenant's flow, another tenant's or one that does not
    // exist, so that a credential that may not act cannot map what exists.
    for (subject, state) in [
        (user(&policy, "sus"), Reason::Suspended),
        (user(&policy, "dea"), Reason::Deactivated),
        (key(&policy, "revoked-key"), Reason::KeyRevoked),
        (key(&policy, "expiring-key").at(EXPIRY), Reason::KeyExpired),
        (
            key(&policy, "expiring-key").at(EXPIRY).with_mfa(true),
            Reason::KeyExpired,
        ),
        (link(&policy, "revoked-link"), Reason::LinkRevoked),
    ] {
        assert_gets_nothing(&policy, &subject, "flow", state);
        assert_gets_nothing(&policy, &subject, "other", state);
        let missing = clearance::ResourceId::from_index(10_000);
        assert_eq!(
            policy.authorize(&subject, Action::View, missing).reason(),
            state,
            "{subject:?} on a missing resource"
        );
    }
    let invited = user(&policy, "inv");
    let state = policy
        .authorize(&invited, Action::View, common::resource(&policy, "flow"))
        .reason();
    assert!(matches!(
        state,
        Reason::InvitationPending | Reason::InvitationExpired | Reason::TimeUnknown
    ));
    assert_gets_nothing(&policy, &invited, "other", state);
    // An account that may act is told that the resource is another tenant's.
    assert_gets_nothing(&policy, &user(&policy, "ann"), "other", Reason::WrongTenant);
}
