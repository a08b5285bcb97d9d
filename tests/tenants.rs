//! Tenant isolation: a request about another tenant's resource is refused
//! whatever grants exist there, and the builder refuses any grant,
//! membership or key that would connect two tenants (DESIGN.md §2, step 3:
//! "No grant, team or key ever crosses tenants").

mod common;

use clearance::{
    Action, ApiKey, Channel, Effect, Grantee, Permissions as P, Policy, PolicyBuilder, Problem,
    PublicLink, Reason, ResourceKind as K, Role, Subject, User, UserType,
};
use common::{
    assert_decision, assert_gets_nothing, build, key, link, problems, user, By, Expected,
};

/// ```text
/// acme (organization)        everyone: viewer; admins: admin
/// └── marketing (workspace)
///     └── launch (flow)      the public: viewer
/// globex (organization)      hal: admin; everyone: viewer
/// └── ops (workspace)
///     └── nightly (flow)     the public: viewer
/// ```
///
/// ann is an acme admin; hal a globex admin; robot a globex system account.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("marketing", K::Workspace, "acme")
            .resource("launch", K::Flow, "marketing")
            .tenant("globex", K::Organization)
            .resource("ops", K::Workspace, "globex")
            .resource("nightly", K::Flow, "ops")
            .role(Role::new("viewer").allow_everywhere(P::VIEW))
            .role(Role::new("admin").allow_everywhere(P::all_named()))
            .team("admins", "acme")
            .user(User::new("ann", "acme").member_of("admins"))
            .user(User::new("hal", "globex"))
            .user(User::new("robot", "globex").user_type(UserType::System))
            .grant(Grantee::Everyone, "acme", "viewer", Effect::Allow)
            .grant(Grantee::team("admins"), "acme", "admin", Effect::Allow)
            .grant(Grantee::user("hal"), "globex", "admin", Effect::Allow)
            .grant(Grantee::Everyone, "globex", "viewer", Effect::Allow)
            .grant(Grantee::Public, "launch", "viewer", Effect::Allow)
            .grant(Grantee::Public, "nightly", "viewer", Effect::Allow)
            .api_key(ApiKey::new("hal-key", "hal"))
            .link(PublicLink::new("launch-link", "launch", P::VIEW)),
    )
}

#[test]
fn user_of_another_tenant_gets_wrong_tenant_even_where_grants_exist() {
    let policy = model();
    // acme grants to everyone, to a team and to the public on these resources;
    // none of it reaches a globex account, even a globex admin.
    let hal = user(&policy, "hal");
    for resource in ["acme", "marketing", "launch"] {
        assert_gets_nothing(&policy, &hal, resource, Reason::WrongTenant);
    }
    let ann = user(&policy, "ann");
    for resource in ["globex", "ops", "nightly"] {
        assert_gets_nothing(&policy, &ann, resource, Reason::WrongTenant);
    }
    // Each in its own tenant is an admin.
    let hal_admin = Expected::Granted(By::User("hal"), "globex", "admin").reason(&policy);
    assert_decision(&policy, &hal, Action::Delete, "nightly", hal_admin);
}

#[test]
fn the_channel_is_checked_before_the_tenant() {
    let policy = model();
    // robot may use no channel at all: that is what he is told, whatever he
    // asks about (his own state comes before anything about the resource).
    let robot = Subject::user(common::user_id(&policy, "robot"), Channel::Web);
    assert_gets_nothing(
        &policy,
        &robot,
        "launch",
        Reason::ChannelNotAllowed {
            channel: Channel::Web,
        },
    );
    assert_gets_nothing(
        &policy,
        &robot,
        "nightly",
        Reason::ChannelNotAllowed {
            channel: Channel::Web,
        },
    );
}

#[test]
fn api_key_never_reaches_another_tenant() {
    let policy = model();
    assert_gets_nothing(
        &policy,
        &key(&policy, "hal-key"),
        "launch",
        Reason::WrongTenant,
    );
    let hal_admin = Expected::Granted(By::User("hal"), "globex", "admin").reason(&policy);
    assert_decision(
        &policy,
        &key(&policy, "hal-key"),
        Action::Edit,
        "nightly",
        hal_admin,
    );
}

#[test]
fn link_never_reaches_another_tenant() {
    let policy = model();
    // "nightly" has a public grant of its own, but the link points into acme.
    assert_gets_nothing(
        &policy,
        &link(&policy, "launch-link"),
        "nightly",
        Reason::WrongTenant,
    );
    let by_public = Expected::Granted(By::Public, "launch", "viewer").reason(&policy);
    assert_decision(
        &policy,
        &link(&policy, "launch-link"),
        Action::View,
        "launch",
        by_public,
    );
}

/// The `CrossesTenants` problem about `what`, with its other fields checked
/// against the meaning documented on [`Problem::CrossesTenants`].
#[track_caller]
#[expect(clippy::panic, reason = "a test helper fails its test by panicking")]
fn assert_crossing(
    problems: &[Problem],
    referrer_mentions: &[&str],
    what: &str,
    tenant: &str,
    other_tenant: &str,
) {
    let found = problems
        .iter()
        .find(|problem| matches!(problem, Problem::CrossesTenants { what: w, .. } if w == what));
    let Some(Problem::CrossesTenants {
        referrer,
        tenant: found_tenant,
        other_tenant: found_other,
        ..
    }) = found
    else {
        panic!("no CrossesTenants problem about {what:?} in {problems:#?}");
    };
    for name in referrer_mentions {
        assert!(
            referrer.contains(name),
            "the referrer {referrer:?} should mention {name:?}"
        );
    }
    assert_eq!(
        (found_tenant.as_str(), found_other.as_str()),
        (tenant, other_tenant),
        "(tenant of the referrer, tenant of {what:?})"
    );
}

/// acme and globex, with a team and a user in each.
fn two_tenants() -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("launch", K::Flow, "acme")
        .tenant("globex", K::Organization)
        .resource("nightly", K::Flow, "globex")
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .team("writers", "acme")
        .team("ops", "globex")
        .user(User::new("ann", "acme").member_of("writers"))
        .user(User::new("hal", "globex").member_of("ops"));
    builder
}

#[test]
fn grant_to_a_user_of_another_tenant_is_a_build_error() {
    let found =
        problems(two_tenants().grant(Grantee::user("hal"), "launch", "viewer", Effect::Allow));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_crossing(&found, &["hal", "launch"], "hal", "acme", "globex");
}

#[test]
fn grant_to_a_team_of_another_tenant_is_a_build_error() {
    let found =
        problems(two_tenants().grant(Grantee::team("ops"), "launch", "viewer", Effect::Allow));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_crossing(&found, &["ops", "launch"], "ops", "acme", "globex");
}

#[test]
fn team_membership_across_tenants_is_a_build_error() {
    let found = problems(two_tenants().user(User::new("eve", "globex").member_of("writers")));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_crossing(&found, &["eve", "writers"], "writers", "globex", "acme");
}

#[test]
fn api_key_limited_to_another_tenants_subtree_is_a_build_error() {
    let found = problems(two_tenants().api_key(ApiKey::new("hal-key", "hal").within("launch")));
    assert_eq!(found.len(), 1, "{found:#?}");
    // The key (of hal, in globex) names "launch", which belongs to acme.
    assert_crossing(&found, &["hal-key"], "launch", "globex", "acme");
}

#[test]
fn every_crossing_is_reported_and_grants_to_everyone_or_the_public_cross_nothing() {
    let found = problems(
        two_tenants()
            .user(User::new("eve", "globex").member_of("writers"))
            .grant(Grantee::user("hal"), "launch", "viewer", Effect::Allow)
            .grant(Grantee::team("ops"), "launch", "viewer", Effect::Allow)
            .api_key(ApiKey::new("hal-key", "hal").within("launch"))
            // Everyone and Public belong to no tenant: they are the scope's.
            .grant(Grantee::Everyone, "launch", "viewer", Effect::Allow)
            .grant(Grantee::Public, "nightly", "viewer", Effect::Allow),
    );
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        found
            .iter()
            .all(|problem| matches!(problem, Problem::CrossesTenants { .. })),
        "{found:#?}"
    );
    let mut whats: Vec<&str> = found
        .iter()
        .filter_map(|problem| match problem {
            Problem::CrossesTenants { what, .. } => Some(what.as_str()),
            _ => None,
        })
        .collect();
    whats.sort_unstable();
    assert_eq!(whats, ["hal", "launch", "ops", "writers"]);
}
