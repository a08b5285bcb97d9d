//! From credentials to a subject in one call: `Policy::resolve`.
//!
//! The resolver finds *who* a name stands for, never whether it may act:
//! every kind of credential resolves by its own names only, removed
//! entities never resolve (and a new one of a removed name resolves to the
//! new id), an inactive account or a revoked key resolves and is refused
//! by its decisions, the time and MFA flow into the subject, and an
//! unknown name is a typed error that repeats no more than the caller sent.

// clippy.toml allows panics in `#[test]` functions only; the helpers
// below fail the test the way `assert!` does.
#![expect(clippy::panic, reason = "test helpers fail the test by panicking")]

mod common;

use clearance::{
    Action, ApiKey, Change, Channel, CredentialKind, Credentials, Effect, Grantee, Permissions,
    Policy, PolicyBuilder, PublicLink, Reason, ResourceKind, Role, Subject, UnknownCredential,
    User,
};
use proptest::prelude::*;

use common::{build, key_id, link_id, resource, user_id};

const NOW: u64 = 1_700_000_000;

/// acme (ws, with a shared flow) and globex; ann and a suspended sue of
/// acme, gus of globex; ann's keys ci (viewing only), old (expired) and
/// gone (revoked); a link to the flow.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", ResourceKind::Organization)
            .tenant("globex", ResourceKind::Organization)
            .resource("ws", ResourceKind::Workspace, "acme")
            .resource("flow", ResourceKind::Flow, "ws")
            .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
            .user(User::new("ann@acme.test", "acme"))
            .user(User::new("sue@acme.test", "acme").status(clearance::Status::Suspended))
            .user(User::new("gus@globex.test", "globex"))
            .grant(Grantee::Everyone, "acme", "viewer", Effect::Allow)
            .grant(Grantee::Everyone, "globex", "viewer", Effect::Allow)
            .grant(Grantee::Public, "flow", "viewer", Effect::Allow)
            .api_key(ApiKey::new("ci", "ann@acme.test").scope(Permissions::VIEW))
            .api_key(ApiKey::new("old", "ann@acme.test").expires_at(NOW - 1))
            .api_key(ApiKey::new("gone", "ann@acme.test").revoked(true))
            .link(PublicLink::new("share", "flow", Permissions::VIEW)),
    )
}

#[track_caller]
fn resolved(policy: &Policy, credentials: Credentials<'_>) -> Subject {
    match policy.resolve(credentials) {
        Ok(subject) => subject,
        Err(error) => panic!("{:?} does not resolve: {error}", credentials.name()),
    }
}

#[track_caller]
fn unknown(policy: &Policy, credentials: Credentials<'_>) -> UnknownCredential {
    match policy.resolve(credentials) {
        Ok(subject) => panic!("{:?} resolved to {subject:?}", credentials.name()),
        Err(error) => error,
    }
}

#[test]
fn each_credential_resolves_to_the_subject_the_host_would_build_by_hand() {
    let policy = model();
    let ann = user_id(&policy, "ann@acme.test");
    let rows: &[(Credentials<'_>, Subject)] = &[
        (
            Credentials::user("ann@acme.test", Channel::Web, NOW),
            Subject::user(ann, Channel::Web).at(NOW),
        ),
        (
            Credentials::user("ann@acme.test", Channel::App, NOW).with_mfa(true),
            Subject::user(ann, Channel::App).with_mfa(true).at(NOW),
        ),
        (
            Credentials::key("ci", NOW),
            Subject::key(key_id(&policy, "ci")).at(NOW),
        ),
        (
            Credentials::key("ci", NOW).with_mfa(true),
            Subject::key(key_id(&policy, "ci")).with_mfa(true).at(NOW),
        ),
        (
            Credentials::link("share", NOW),
            Subject::link(link_id(&policy, "share")).at(NOW),
        ),
    ];
    for (row, (credentials, expected)) in rows.iter().enumerate() {
        assert_eq!(resolved(&policy, *credentials), *expected, "row {row}");
    }
}

#[test]
fn a_key_acts_through_the_api_and_a_link_through_a_link_whatever_the_host_knows() {
    let policy = model();
    let ci = resolved(&policy, Credentials::key("ci", NOW));
    assert_eq!(ci.channel(), Channel::Api);
    let share = resolved(&policy, Credentials::link("share", NOW).with_mfa(true));
    assert_eq!(share.channel(), Channel::Link);
    // A link has no session: it never passes MFA.
    assert!(!share.mfa());
    assert!(!Credentials::link("share", NOW).with_mfa(true).mfa());
}

#[test]
fn the_time_flows_into_the_subject_so_an_expired_key_is_expired_not_time_unknown() {
    let policy = model();
    let old = resolved(&policy, Credentials::key("old", NOW));
    assert_eq!(old.now(), Some(NOW));
    let flow = resource(&policy, "flow");
    assert_eq!(
        policy.authorize(&old, Action::View, flow).reason(),
        Reason::KeyExpired
    );
    // `u64::MAX` is no time, as for a subject: what expires is refused.
    let timeless = resolved(&policy, Credentials::key("old", u64::MAX));
    assert_eq!(timeless.now(), None);
    assert_eq!(
        policy.authorize(&timeless, Action::View, flow).reason(),
        Reason::TimeUnknown
    );
}

#[test]
fn an_account_or_key_that_may_not_act_resolves_and_its_decisions_say_why() {
    let policy = model();
    let flow = resource(&policy, "flow");
    let rows: &[(Credentials<'_>, Reason)] = &[
        (
            Credentials::user("sue@acme.test", Channel::Web, NOW),
            Reason::Suspended,
        ),
        (Credentials::key("gone", NOW), Reason::KeyRevoked),
        (Credentials::key("old", NOW), Reason::KeyExpired),
    ];
    for (credentials, reason) in rows {
        let subject = resolved(&policy, *credentials);
        assert_eq!(
            policy.authorize(&subject, Action::View, flow).reason(),
            *reason,
            "{}",
            credentials.name()
        );
    }
}

#[test]
fn names_are_global_and_a_user_of_another_tenant_resolves_but_acts_only_in_his_own() {
    let policy = model();
    let gus = resolved(
        &policy,
        Credentials::user("gus@globex.test", Channel::Web, NOW),
    );
    assert_eq!(
        policy.user_tenant(user_id(&policy, "gus@globex.test")),
        policy.resource_id("globex")
    );
    let flow = resource(&policy, "flow");
    let decision = policy.authorize(&gus, Action::View, flow);
    assert_eq!(decision.reason(), Reason::WrongTenant);
    assert_eq!(decision.for_caller().reason(), Reason::UnknownResource);
    let globex = resource(&policy, "globex");
    assert!(policy.authorize(&gus, Action::View, globex).is_allowed());
}

#[test]
fn a_name_resolves_only_as_the_kind_of_credential_it_names() {
    let policy = model();
    let rows: &[(Credentials<'_>, CredentialKind)] = &[
        // A user's name is no key, a key's name no user, a link's name no key.
        (Credentials::key("ann@acme.test", NOW), CredentialKind::Key),
        (
            Credentials::user("ci", Channel::Api, NOW),
            CredentialKind::User,
        ),
        (Credentials::key("share", NOW), CredentialKind::Key),
        (Credentials::link("ci", NOW), CredentialKind::Link),
        // Names are compared exactly.
        (
            Credentials::user("ANN@acme.test", Channel::Web, NOW),
            CredentialKind::User,
        ),
        (
            Credentials::user("ann@acme.test ", Channel::Web, NOW),
            CredentialKind::User,
        ),
        (
            Credentials::user("", Channel::Web, NOW),
            CredentialKind::User,
        ),
    ];
    for (credentials, kind) in rows {
        let error = unknown(&policy, *credentials);
        assert_eq!(error.kind(), *kind);
        assert_eq!(error.name(), credentials.name());
        assert!(!error.is_truncated());
    }
}

#[test]
fn the_error_names_the_kind_and_the_name_sent() {
    let policy = model();
    let rows: &[(Credentials<'_>, &str)] = &[
        (
            Credentials::user("eve", Channel::Web, NOW),
            r#"unknown user "eve""#,
        ),
        (Credentials::key("guess", NOW), r#"unknown API key "guess""#),
        (Credentials::link("x", NOW), r#"unknown public link "x""#),
    ];
    for (credentials, text) in rows {
        assert_eq!(unknown(&policy, *credentials).to_string(), *text);
    }
}

#[test]
fn removed_entities_never_resolve_and_a_new_one_of_their_name_resolves_to_its_new_id() {
    let mut policy = model();
    let ann = user_id(&policy, "ann@acme.test");
    let ci = key_id(&policy, "ci");
    let share = link_id(&policy, "share");
    let changes = [
        // Removing ann removes her keys; removing the flow its link.
        Change::RemoveUser {
            name: "ann@acme.test".into(),
            by: None,
        },
        Change::RemoveResource {
            name: "flow".into(),
        },
        Change::RemoveUser {
            name: "sue@acme.test".into(),
            by: None,
        },
    ];
    for change in changes {
        assert!(policy.apply(change.clone()).is_ok(), "{change}");
    }
    let gone: &[Credentials<'_>] = &[
        Credentials::user("ann@acme.test", Channel::Web, NOW),
        Credentials::user("sue@acme.test", Channel::Web, NOW),
        Credentials::key("ci", NOW),
        Credentials::key("old", NOW),
        Credentials::key("gone", NOW),
        Credentials::link("share", NOW),
    ];
    for credentials in gone {
        unknown(&policy, *credentials);
    }
    // The names are free again; the ids of the removed are not reused.
    let again = [
        Change::AddUser(User::new("ann@acme.test", "acme")),
        Change::AddKey(ApiKey::new("ci", "ann@acme.test")),
        Change::AddLink(PublicLink::new("share", "ws", Permissions::VIEW)),
    ];
    for change in again {
        assert!(policy.apply(change.clone()).is_ok(), "{change}");
    }
    let new_ann = resolved(
        &policy,
        Credentials::user("ann@acme.test", Channel::Web, NOW),
    );
    assert_ne!(new_ann, Subject::user(ann, Channel::Web).at(NOW));
    assert_eq!(
        new_ann,
        Subject::user(user_id(&policy, "ann@acme.test"), Channel::Web).at(NOW)
    );
    let new_ci = resolved(&policy, Credentials::key("ci", NOW));
    assert_ne!(new_ci, Subject::key(ci).at(NOW));
    let new_share = resolved(&policy, Credentials::link("share", NOW));
    assert_ne!(new_share, Subject::link(share).at(NOW));
}

#[test]
fn a_key_limited_to_a_removed_resource_no_longer_resolves() {
    let mut policy = build(
        PolicyBuilder::new()
            .tenant("acme", ResourceKind::Organization)
            .resource("ws", ResourceKind::Workspace, "acme")
            .user(User::new("ann", "acme"))
            .api_key(ApiKey::new("ws-key", "ann").within("ws")),
    );
    assert!(policy.resolve(Credentials::key("ws-key", NOW)).is_ok());
    let removed = policy.apply(Change::RemoveResource { name: "ws".into() });
    assert!(removed.is_ok(), "{removed:?}");
    unknown(&policy, Credentials::key("ws-key", NOW));
}

#[test]
fn a_hostile_name_is_cut_and_escaped_in_the_error() {
    let policy = model();
    let huge = "a".repeat(1 << 20);
    let error = unknown(&policy, Credentials::user(&huge, Channel::Web, NOW));
    assert!(error.is_truncated());
    assert_eq!(error.name().len(), UnknownCredential::MAX_NAME);
    assert_eq!(
        error.to_string(),
        format!(
            "unknown user {:?} (the first 128 of 1048576 bytes)",
            "a".repeat(128)
        )
    );
    // Cut at a character boundary, never inside one.
    let wide = "é".repeat(100);
    let error = unknown(&policy, Credentials::key(&wide, NOW));
    assert_eq!(error.name(), "é".repeat(64));
    // Control characters are escaped: one error, one line.
    let forged = "eve\r\n2026-01-01 INFO ann@acme.test granted admin\u{1b}[2K";
    let text = unknown(&policy, Credentials::link(forged, NOW)).to_string();
    assert!(!text.chars().any(char::is_control), "{text}");
}

proptest! {
    /// Whatever the caller sends, the error is short, on one line, and its
    /// name is the start of what was sent.
    #[test]
    fn the_error_of_any_name_is_bounded_and_repeats_only_what_was_sent(name in ".{0,400}") {
        let policy = model();
        if let Err(error) = policy.resolve(Credentials::user(&name, Channel::Web, NOW)) {
            prop_assert!(name.starts_with(error.name()));
            prop_assert!(error.name().len() <= UnknownCredential::MAX_NAME);
            prop_assert_eq!(error.is_truncated(), error.name().len() < name.len());
            let text = error.to_string();
            prop_assert!(!text.chars().any(char::is_control));
            // Escaping takes at most 10 characters per byte (`\u{10ffff}`).
            prop_assert!(text.len() <= 64 + 10 * UnknownCredential::MAX_NAME);
        }
    }
}

#[test]
fn a_credential_kind_displays_in_the_spelling_it_serializes_in() {
    let rows = [
        (CredentialKind::User, "user"),
        (CredentialKind::Key, "key"),
        (CredentialKind::Link, "link"),
    ];
    for (kind, spelling) in rows {
        assert_eq!(kind.to_string(), spelling);
        #[cfg(feature = "serde")]
        assert_eq!(
            serde_json::to_string(&kind).ok(),
            Some(format!("{spelling:?}"))
        );
    }
}
