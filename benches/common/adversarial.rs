//! Models of the adversarial shapes of issue 13 (and 11), shared by
//! `benches/adversarial.rs` and the untimed checks in
//! `tests/attack_quadratic.rs`: each is small to describe and was once
//! quadratic (or worse) in its size `n`.
//!
//! Names are stable: "org" is the tenant root, "c{i}" the i-th resource of
//! a chain (c0 below "org", c{i} below c{i-1}) or of a flat list (all below
//! "org"), "u{i}" the users, "team" the one team.

#![allow(dead_code, reason = "each bench or test uses a different part")]
#![expect(
    clippy::panic,
    reason = "setup of a bench or test: a model that does not build must stop the run loudly"
)]

use clearance::{
    ApiKey, Change, Condition, Effect, Grantee, Labels, Permissions, Policy, PolicyBuilder,
    ResourceKind, Role, User, UserTypes,
};

/// The name of the i-th resource of a chain or a flat list.
pub fn node(i: usize) -> String {
    format!("c{i}")
}

/// The name of the i-th user.
pub fn user(i: usize) -> String {
    format!("u{i}")
}

/// A tenant "org" with a role "viewer" (VIEW everywhere) and `n`
/// resources: a chain `n` deep when `deep`, else `n` flows below "org".
pub fn tree(n: usize, deep: bool) -> PolicyBuilder {
    let mut b = PolicyBuilder::new();
    b.tenant("org", ResourceKind::Organization)
        .role(Role::new("viewer").allow_everywhere(Permissions::VIEW));
    for i in 0..n {
        let parent = if deep && i > 0 {
            node(i - 1)
        } else {
            "org".to_string()
        };
        let kind = if deep {
            ResourceKind::Folder
        } else {
            ResourceKind::Flow
        };
        b.resource(node(i), kind, parent);
    }
    b
}

/// Builds, or stops the bench loudly.
pub fn build(b: &PolicyBuilder) -> Policy {
    match b.build() {
        Ok(policy) => policy,
        Err(error) => panic!("an adversarial model builds: {error}"),
    }
}

/// An `n`-deep chain; user "u0" views everything from the root; API key
/// "k" of "u0" is limited to `limit` (a resource name, "org" for the root).
pub fn chain_with_key(n: usize, limit: &str) -> Policy {
    let mut b = tree(n, true);
    b.user(User::new(user(0), "org"))
        .grant(Grantee::user(user(0)), "org", "viewer", Effect::Allow)
        .api_key(ApiKey::new("k", user(0)).within(limit));
    build(&b)
}

/// An `n`-deep chain of resources labelled alternately with label 0 and
/// none; `Everyone` views from the root; user "u0" (label 0) holds an
/// override of "viewer" on c1 made when the labels intersect, so below c1
/// every resource is decided by its own labels.
pub fn chain_with_conditional_override(n: usize) -> Policy {
    let mut b = tree(n, true);
    b.user(User::new(user(0), "org").labels(Labels::bit(0)))
        .grant(Grantee::Everyone, "org", "viewer", Effect::Allow)
        .grant_when(
            Grantee::user(user(0)),
            node(1.min(n - 1)),
            "viewer",
            Effect::Override,
            Condition::LabelsIntersect,
        );
    for i in (0..n).step_by(2) {
        b.labels(node(i), Labels::bit(0));
    }
    build(&b)
}

/// An `n`-deep chain where user "u0" holds a grant of its own on every
/// resource (`n` own grants).
pub fn chain_with_own_grants(n: usize) -> Policy {
    let mut b = tree(n, true);
    b.user(User::new(user(0), "org"));
    for i in 0..n {
        b.grant(Grantee::user(user(0)), node(i), "viewer", Effect::Allow);
    }
    build(&b)
}

/// `n` users and `n` flows below "org"; `Everyone` views from the root,
/// and flows are allowed only to users sharing a label with them (a
/// conditional grant, so that labels matter).
pub fn flat(n: usize) -> Policy {
    let mut b = tree(n, false);
    b.role(Role::new("editor").allow_everywhere(Permissions::EDIT))
        .grant(Grantee::Everyone, "org", "viewer", Effect::Allow)
        .grant_when(
            Grantee::Everyone,
            "org",
            "editor",
            Effect::Allow,
            Condition::LabelsIntersect,
        );
    for i in 0..n {
        b.user(User::new(user(i), "org").labels(Labels::bit((i % 4) as u32)));
    }
    build(&b)
}

/// `policy` after one resource's labels change: `resource` gets label 1.
pub fn relabelled(policy: &Policy, resource: &str) -> Policy {
    let mut after = policy.clone();
    if let Err(error) = after.apply(Change::SetLabels {
        resource: resource.to_string(),
        labels: Labels::bit(1),
    }) {
        panic!("the label change applies: {error}");
    }
    after
}

/// An `n`-deep chain with one user who views from the root (for `diff`).
pub fn chain_with_viewer(n: usize) -> Policy {
    let mut b = tree(n, true);
    b.user(User::new(user(0), "org"))
        .grant(Grantee::user(user(0)), "org", "viewer", Effect::Allow);
    build(&b)
}

/// `n` native users in one team, and `n` resources,
/// each holding a grant of "viewer" to the team: n × n (grant, member)
/// pairs, for a build (issue 13's "team grants × members").
pub fn team_grants(n: usize) -> PolicyBuilder {
    let mut b = tree(n, false);
    b.team("team", "org");
    for i in 0..n {
        b.user(User::new(user(i), "org").member_of("team"));
    }
    for i in 0..n {
        b.grant(Grantee::team("team"), node(i), "viewer", Effect::Allow);
    }
    b
}

/// [`team_grants`] built, and the change that limits "viewer" to native
/// users (every member is native: accepted), for `UpdateRole`.
pub fn update_role_only_for(n: usize) -> (Policy, Change) {
    let policy = build(&team_grants(n));
    let change = Change::UpdateRole(
        Role::new("viewer")
            .allow_everywhere(Permissions::VIEW)
            .only_for(UserTypes::NATIVE),
    );
    (policy, change)
}

/// `n` roles in inheritance cycles: r{i} inherits r{i+1}, and every role
/// inherits r0, so that each r{i} closes a cycle through all the roles
/// before it (issue 11's shape: a build must refuse it, reporting each
/// cycle once and briefly).
pub fn role_cycles(n: usize) -> PolicyBuilder {
    let mut b = PolicyBuilder::new();
    b.tenant("org", ResourceKind::Organization);
    for i in 0..n {
        let mut role = Role::new(format!("r{i}")).allow_everywhere(Permissions::VIEW);
        if i + 1 < n {
            role = role.inherits(format!("r{}", i + 1));
        }
        if i > 0 {
            role = role.inherits("r0");
        }
        b.role(role);
    }
    b
}
