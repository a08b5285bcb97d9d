//! Channels and MFA: an account may use only the channels of its user type
//! (narrowed per user, never widened), a key always arrives through the API,
//! and permissions guarded by MFA need a session that passed it (DESIGN.md
//! §2, steps 4 and 7).

mod common;

use clearance::{
    Action, ApiKey, Channel, Channels, Effect, Grantee, Permissions as P, Policy, PolicyBuilder,
    Reason, ResourceKind as K, Role, Subject, User, UserType,
};
use common::{
    assert_decision, assert_gets_nothing, build, effective, key, user, user_id, By, Expected,
};

/// Permissions that need an MFA session in [`model`].
const GUARDED: P = P::DELETE.union(P::MANAGE_BILLING);

/// ```text
/// acme (organization)     everyone: editor
/// └── ws (workspace)
///     └── flow (flow)     den: no-delete (deny)
/// empty (organization)    nothing granted
/// ```
///
/// One acme user per type (nat, adm, con, sys, int, pub), portal (native,
/// narrowed to the web), den, and loner (native, of "empty"); keys named
/// after their owners. DELETE and MANAGE_BILLING need MFA.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("flow", K::Flow, "ws")
            .tenant("empty", K::Organization)
            .role(
                Role::new("editor").allow_everywhere(
                    P::VIEW | P::EDIT | P::EXECUTE | P::DELETE | P::MANAGE_BILLING,
                ),
            )
            .role(Role::new("no-delete").allow_everywhere(P::DELETE))
            .user(User::new("nat", "acme").user_type(UserType::Native))
            .user(User::new("adm", "acme").user_type(UserType::NativeAdmin))
            .user(User::new("con", "acme").user_type(UserType::Connected))
            .user(User::new("sys", "acme").user_type(UserType::System))
            .user(User::new("int", "acme").user_type(UserType::Interface))
            .user(User::new("pub", "acme").user_type(UserType::Public))
            .user(User::new("portal", "acme").channels(Channels::WEB))
            .user(User::new("den", "acme"))
            .user(User::new("loner", "empty"))
            .grant(Grantee::Everyone, "acme", "editor", Effect::Allow)
            .grant(Grantee::user("den"), "flow", "no-delete", Effect::Deny)
            .api_key(ApiKey::new("nat-key", "nat"))
            .api_key(ApiKey::new("int-key", "int"))
            .api_key(ApiKey::new("sys-key", "sys"))
            .api_key(ApiKey::new("pub-key", "pub"))
            .api_key(ApiKey::new("portal-key", "portal"))
            .api_key(ApiKey::new("nat-view-key", "nat").scope(P::VIEW | P::EDIT))
            .mfa_required(GUARDED),
    )
}

#[test]
fn user_type_fixes_the_channels_an_account_may_ever_use() {
    let web_app_api = Channels::WEB | Channels::APP | Channels::API;
    let cases = [
        (UserType::Native, web_app_api),
        (UserType::NativeAdmin, web_app_api),
        (UserType::Connected, web_app_api),
        (UserType::System, Channels::empty()),
        (UserType::Interface, Channels::API),
        (UserType::Public, Channels::LINK),
    ];
    for (user_type, channels) in cases {
        assert_eq!(user_type.channels(), channels, "{user_type:?}");
    }
}

#[test]
fn account_may_use_only_the_channels_of_its_type_or_fewer() {
    let policy = model();
    let everyone = Expected::Granted(By::Everyone, "acme", "editor").reason(&policy);
    // Which channels each account may use; every other channel is refused.
    let cases: &[(&str, &[Channel])] = &[
        ("nat", &[Channel::Web, Channel::App, Channel::Api]),
        ("adm", &[Channel::Web, Channel::App, Channel::Api]),
        ("con", &[Channel::Web, Channel::App, Channel::Api]),
        ("sys", &[]),
        ("int", &[Channel::Api]),
        ("pub", &[Channel::Link]),
        // Narrowed to the web: may not use the apps or the API.
        ("portal", &[Channel::Web]),
    ];
    for &(name, allowed) in cases {
        for channel in [Channel::Web, Channel::App, Channel::Api, Channel::Link] {
            let subject = Subject::user(user_id(&policy, name), channel);
            if allowed.contains(&channel) {
                assert_decision(&policy, &subject, Action::View, "flow", everyone);
            } else {
                assert_gets_nothing(
                    &policy,
                    &subject,
                    "flow",
                    Reason::ChannelNotAllowed { channel },
                );
            }
        }
    }
}

#[test]
fn channel_is_checked_before_grants() {
    let policy = model();
    // loner holds nothing anywhere; the channel is what fails first.
    let loner = Subject::user(user_id(&policy, "loner"), Channel::Link);
    assert_gets_nothing(
        &policy,
        &loner,
        "empty",
        Reason::ChannelNotAllowed {
            channel: Channel::Link,
        },
    );
    assert_decision(
        &policy,
        &user(&policy, "loner"),
        Action::View,
        "empty",
        Reason::NotMember,
    );
}

#[test]
fn key_always_arrives_through_the_api() {
    let policy = model();
    let everyone = Expected::Granted(By::Everyone, "acme", "editor").reason(&policy);
    assert_eq!(key(&policy, "nat-key").channel(), Channel::Api);
    assert_decision(
        &policy,
        &key(&policy, "nat-key"),
        Action::View,
        "flow",
        everyone,
    );
    assert_decision(
        &policy,
        &key(&policy, "int-key"),
        Action::View,
        "flow",
        everyone,
    );
}

#[test]
fn key_is_refused_when_its_owner_may_not_use_the_api() {
    let policy = model();
    let api = Reason::ChannelNotAllowed {
        channel: Channel::Api,
    };
    for name in ["portal-key", "sys-key", "pub-key"] {
        assert_gets_nothing(&policy, &key(&policy, name), "flow", api);
    }
}

#[test]
fn mfa_guarded_permissions_need_an_mfa_session() {
    let policy = model();
    let everyone = Expected::Granted(By::Everyone, "acme", "editor").reason(&policy);
    let without = user(&policy, "nat");
    let with = without.with_mfa(true);
    let guarded_and_not = Action::Custom(P::VIEW | GUARDED);
    assert_decision(&policy, &without, Action::View, "flow", everyone);
    assert_decision(
        &policy,
        &without,
        Action::Delete,
        "flow",
        Reason::MfaRequired { missing: P::DELETE },
    );
    assert_decision(
        &policy,
        &without,
        Action::ManageBilling,
        "ws",
        Reason::MfaRequired {
            missing: P::MANAGE_BILLING,
        },
    );
    // The reason names only the guarded permissions asked for.
    assert_decision(
        &policy,
        &without,
        guarded_and_not,
        "flow",
        Reason::MfaRequired { missing: GUARDED },
    );
    for action in [
        Action::View,
        Action::Delete,
        Action::ManageBilling,
        guarded_and_not,
    ] {
        assert_decision(&policy, &with, action, "flow", everyone);
    }
    assert_eq!(
        effective(&policy, &without, "flow"),
        P::VIEW | P::EDIT | P::EXECUTE
    );
    assert_eq!(
        effective(&policy, &with, "flow"),
        P::VIEW | P::EDIT | P::EXECUTE | GUARDED
    );
}

#[test]
fn mfa_grants_nothing_by_itself() {
    let policy = model();
    let loner = user(&policy, "loner").with_mfa(true);
    assert_decision(&policy, &loner, Action::Delete, "empty", Reason::NotMember);
    let den = user(&policy, "den").with_mfa(true);
    let den_denied = Expected::Denied("flow", By::User("den")).reason(&policy);
    assert_decision(&policy, &den, Action::Delete, "flow", den_denied);
}

#[test]
fn mfa_is_checked_after_denies_and_key_scope() {
    let policy = model();
    // A deny is reported rather than the missing MFA ...
    let den_denied = Expected::Denied("flow", By::User("den")).reason(&policy);
    assert_decision(
        &policy,
        &user(&policy, "den"),
        Action::Delete,
        "flow",
        den_denied,
    );
    // ... and so is a key's scope.
    let view_key = key(&policy, "nat-view-key");
    assert_decision(
        &policy,
        &view_key,
        Action::Delete,
        "flow",
        Reason::KeyLacks { missing: P::DELETE },
    );
    // A key session is guarded like any other.
    let nat_key = key(&policy, "nat-key");
    assert_decision(
        &policy,
        &nat_key,
        Action::Delete,
        "flow",
        Reason::MfaRequired { missing: P::DELETE },
    );
    let everyone = Expected::Granted(By::Everyone, "acme", "editor").reason(&policy);
    assert_decision(
        &policy,
        &nat_key.with_mfa(true),
        Action::Delete,
        "flow",
        everyone,
    );
}

#[test]
fn mfa_required_accumulates_and_nothing_is_guarded_by_default() {
    let unguarded = build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .role(Role::new("owner").allow_everywhere(P::all_named()))
            .user(User::new("nat", "acme"))
            .grant(Grantee::user("nat"), "acme", "owner", Effect::Allow),
    );
    assert_eq!(unguarded.mfa_required(), P::empty());
    let owner = Expected::Granted(By::User("nat"), "acme", "owner").reason(&unguarded);
    assert_decision(
        &unguarded,
        &user(&unguarded, "nat"),
        Action::ManageBilling,
        "acme",
        owner,
    );

    let guarded = build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .mfa_required(P::DELETE)
            .mfa_required(P::MANAGE_BILLING),
    );
    assert_eq!(guarded.mfa_required(), GUARDED);
}
