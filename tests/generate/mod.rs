//! The random models of the property tests: a generator shared by
//! `tests/properties.rs` (the evaluator against the reference) and
//! `tests/change_properties.rs` (changes against fresh builds).
//!
//! A generated model has 1 to 3 tenants and up to 30 resources in trees up
//! to 6 deep; 1 to 4 roles with rules over a few permission bits and kinds,
//! some inheriting earlier roles, some limited to a few user types; up to 8
//! teams and 12 users of every type and status; up to 25 grants (mostly
//! `Allow`, some `Override` and `Deny`) to users, teams, `Everyone` and the
//! public of the scope's tenant, sometimes all on one or two resources so
//! that a resource holds a long run; a few API keys and public links; and
//! some MFA-guarded bits. Every model builds.

// Each test binary uses a different part of the generator.
#![allow(dead_code, reason = "each test binary uses a different part")]
// clippy.toml allows indexing in `#[test]` functions only; the generators
// index models they built themselves.
#![expect(clippy::indexing_slicing, reason = "generators over models they built")]

use std::ops::RangeInclusive;

use clearance::{Channels, Effect, Permissions, ResourceKind, Status, UserType, UserTypes};
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::Index;

use crate::reference::{GrantDef, KeyDef, LinkDef, Model, NodeDef, RoleDef, TeamDef, UserDef, Who};

/// The permission bits roles, keys, links and custom actions draw from: a
/// few named verbs and one of the host's unnamed bits.
pub const BITS: [Permissions; 7] = [
    Permissions::VIEW,
    Permissions::CREATE,
    Permissions::EDIT,
    Permissions::DELETE,
    Permissions::EXECUTE,
    Permissions::SHARE,
    Permissions::from_bits_retain(1 << 40),
];

/// Kinds of tenant roots.
pub const ROOT_KINDS: [ResourceKind; 2] = [ResourceKind::Organization, ResourceKind::Tenant];

/// Kinds of resources below a root.
pub const KINDS: [ResourceKind; 5] = [
    ResourceKind::Workspace,
    ResourceKind::Folder,
    ResourceKind::Flow,
    ResourceKind::Form,
    ResourceKind::Connection,
];

/// The deepest a resource may be (a root is at depth 0).
pub const MAX_DEPTH: usize = 6;

/// `default_cases` cases per property, or `PROPTEST_CASES` from the
/// environment. The defaults find the rare combinations (a cut-off grant of
/// a second principal, a long run) often enough, and keep the whole file to
/// a few seconds in a debug build.
pub fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// The bits of [`BITS`] that `mask` selects.
pub fn permissions_from_mask(mask: u8) -> Permissions {
    BITS.iter()
        .enumerate()
        .filter(|&(bit, _)| mask & (1 << bit) != 0)
        .fold(Permissions::empty(), |all, (_, &permission)| {
            all | permission
        })
}

/// Any set of the bits in [`BITS`].
pub fn permissions() -> impl Strategy<Value = Permissions> {
    any::<u8>().prop_map(permissions_from_mask)
}

/// Mostly native users, every other type sometimes.
pub fn user_type() -> impl Strategy<Value = UserType> {
    prop_oneof![
        6 => Just(UserType::Native),
        1 => Just(UserType::NativeAdmin),
        1 => Just(UserType::Connected),
        1 => Just(UserType::System),
        1 => Just(UserType::Interface),
        1 => Just(UserType::Public),
    ]
}

/// A status that may not act: suspended, deactivated, or invited (pending
/// or expired, depending on the request's time).
pub fn inactive_status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Suspended),
        Just(Status::Deactivated),
        (0..100u64).prop_map(|until| Status::Invited { until }),
    ]
}

/// Mostly active.
pub fn status() -> impl Strategy<Value = Status> {
    prop_oneof![8 => Just(Status::Active), 3 => inactive_status()]
}

/// The effect of a grant from a roll in `0..10`: mostly `Allow`, or, in a
/// model heavy on overrides, mostly `Override` (so that several of a
/// subject's principals are cut on one path).
pub fn effect(roll: u8, override_heavy: bool) -> Effect {
    let (allows, overrides) = if override_heavy { (3, 7) } else { (6, 8) };
    match roll {
        roll if roll < allows => Effect::Allow,
        roll if roll < overrides => Effect::Override,
        _ => Effect::Deny,
    }
}

/// Which kind of principal a generated grant is for, before it is resolved
/// against the scope's tenant.
pub fn who_kind() -> impl Strategy<Value = u8> {
    who_kind_weighted(2)
}

/// Like [`who_kind`], with `Everyone` at `everyone_weight` against 4 for a
/// user, 3 for a team and 1 for the public.
pub fn who_kind_weighted(everyone_weight: u32) -> impl Strategy<Value = u8> {
    prop_oneof![4 => Just(0u8), 3 => Just(1u8), everyone_weight => Just(2u8), 1 => Just(3u8)]
}

/// A resource forest: 1 to 3 tenant roots, then up to 27 resources, each
/// below an earlier one (often the one just before, for deep chains).
pub fn resources(tenants: RangeInclusive<usize>) -> impl Strategy<Value = Vec<NodeDef>> {
    (
        vec(any::<Index>(), tenants),
        vec((any::<bool>(), any::<Index>(), any::<Index>()), 0..=27),
    )
        .prop_map(|(roots, raws)| {
            let mut nodes: Vec<NodeDef> = roots
                .iter()
                .map(|kind| NodeDef {
                    parent: None,
                    kind: ROOT_KINDS[kind.index(ROOT_KINDS.len())],
                })
                .collect();
            let mut depths = vec![0; nodes.len()];
            for (deep, parent, kind) in raws {
                let last = nodes.len() - 1;
                let parent = if deep && depths[last] < MAX_DEPTH {
                    last
                } else {
                    let shallow: Vec<usize> = (0..nodes.len())
                        .filter(|&node| depths[node] < MAX_DEPTH)
                        .collect();
                    shallow[parent.index(shallow.len())]
                };
                depths.push(depths[parent] + 1);
                nodes.push(NodeDef {
                    parent: Some(parent),
                    kind: KINDS[kind.index(KINDS.len())],
                });
            }
            nodes
        })
}

/// 1 to 4 roles with rules over a few kinds; role `i` may inherit earlier
/// roles only, so there is no cycle. One in `1 + open_weight` is limited to
/// some user types, the others are open to every type.
pub fn roles(open_weight: u32) -> impl Strategy<Value = Vec<RoleDef>> {
    // A rule names a random set of the kinds in use (often several).
    let rule = (any::<u8>(), permissions()).prop_map(|(mask, permissions)| {
        let kinds: Vec<ResourceKind> = ROOT_KINDS
            .iter()
            .chain(&KINDS)
            .enumerate()
            .filter(|&(bit, _)| mask & (1 << bit) != 0)
            .map(|(_, &kind)| kind)
            .collect();
        (kinds, permissions)
    });
    let eligible = prop_oneof![
        open_weight => Just(UserTypes::all()),
        1 => any::<u8>().prop_map(UserTypes::from_bits_truncate),
    ];
    vec(
        (
            vec(rule, 0..=4),
            weighted(0.35, any::<Index>()),
            weighted(0.1, any::<Index>()),
            eligible,
        ),
        1..=4,
    )
    .prop_map(|raws| {
        raws.into_iter()
            .enumerate()
            .map(|(index, (rules, first, second, eligible))| RoleDef {
                rules,
                inherits: [first, second]
                    .into_iter()
                    .flatten()
                    .filter(|_| index > 0)
                    .map(|parent| parent.index(index))
                    .collect(),
                eligible,
            })
            .collect()
    })
}

/// Where a model's grants go.
#[derive(Debug, Clone, Copy)]
pub enum Layout {
    /// On any resource.
    Spread,
    /// On the first two resources only, so that one often holds a long run
    /// (`src/policy/` scans up to 8 group grants on a resource and
    /// searches longer runs).
    Hot,
    /// On the path from the deepest resource up to its root, so that
    /// overrides and denies stack on one path.
    Chain,
}

/// Mostly spread.
pub fn layout() -> impl Strategy<Value = Layout> {
    prop_oneof![5 => Just(Layout::Spread), 2 => Just(Layout::Hot), 3 => Just(Layout::Chain)]
}

/// The raw material of a model; [`assemble`] resolves it into a valid one.
pub type RawModel = (
    Vec<NodeDef>,
    Vec<RoleDef>,
    Vec<Index>,
    Vec<(Index, UserType, Status, Option<u8>, Vec<Index>)>,
    (Layout, bool, Vec<(u8, Index, Index, Index, u8)>),
    Vec<(Index, Option<Permissions>, Option<Index>, Option<u64>, bool)>,
    Vec<(Index, Permissions, Option<u64>, bool)>,
    Permissions,
);

/// The shape of the models a strategy generates.
pub struct Shape {
    tenants: RangeInclusive<usize>,
    teams: RangeInclusive<usize>,
    users: RangeInclusive<usize>,
    layout: BoxedStrategy<Layout>,
    override_heavy: BoxedStrategy<bool>,
    /// See [`roles`].
    open_weight: u32,
    /// See [`who_kind_weighted`].
    everyone_weight: u32,
}

/// A random small model that builds: see the module docs.
pub fn model() -> impl Strategy<Value = Model> {
    model_with(Shape {
        tenants: 1..=3,
        teams: 0..=8,
        users: 1..=12,
        layout: layout().boxed(),
        override_heavy: weighted(0.3, Just(()))
            .prop_map(|heavy| heavy.is_some())
            .boxed(),
        open_weight: 4,
        everyone_weight: 2,
    })
}

/// A model of one tenant and a few principals, whose grants, mostly
/// overrides, all stand on one path, with more roles limited to some user
/// types: the rare structures (several of a subject's principals cut on one
/// path, an override whose role the subject's type may not hold) become
/// common.
pub fn stacked_model() -> impl Strategy<Value = Model> {
    model_with(Shape {
        tenants: 1..=1,
        teams: 0..=2,
        users: 1..=3,
        layout: Just(Layout::Chain).boxed(),
        override_heavy: Just(true).boxed(),
        open_weight: 1,
        everyone_weight: 6,
    })
}

/// A random small model of the given shape.
pub fn model_with(shape: Shape) -> impl Strategy<Value = Model> {
    let users = vec(
        (
            any::<Index>(),
            user_type(),
            status(),
            weighted(0.3, any::<u8>()),
            vec(any::<Index>(), 0..=3),
        ),
        shape.users,
    );
    let grants = (
        shape.layout,
        shape.override_heavy,
        vec(
            (
                who_kind_weighted(shape.everyone_weight),
                any::<Index>(),
                any::<Index>(),
                any::<Index>(),
                0..10u8,
            ),
            0..=25,
        ),
    );
    let keys = vec(
        (
            any::<Index>(),
            weighted(0.6, permissions()),
            weighted(0.4, any::<Index>()),
            weighted(0.3, 0..100u64),
            weighted(0.1, Just(())).prop_map(|revoked| revoked.is_some()),
        ),
        0..=4,
    );
    let links = vec(
        (
            any::<Index>(),
            permissions(),
            weighted(0.3, 0..100u64),
            weighted(0.1, Just(())).prop_map(|revoked| revoked.is_some()),
        ),
        0..=3,
    );
    let mfa = prop_oneof![2 => Just(Permissions::empty()), 1 => permissions()];
    (
        resources(shape.tenants),
        roles(shape.open_weight),
        vec(any::<Index>(), shape.teams),
        users,
        grants,
        keys,
        links,
        mfa,
    )
        .prop_map(assemble)
}

/// Resolves raw indices against what exists, keeping every reference in
/// its tenant and every role with holders it is open to.
pub fn assemble(raw: RawModel) -> Model {
    let (
        resources,
        roles,
        teams,
        users,
        (layout, override_heavy, grants),
        keys,
        links,
        mfa_required,
    ) = raw;
    let mut model = Model {
        resources,
        roles,
        mfa_required,
        ..Model::default()
    };
    let roots: Vec<usize> = (0..model.resources.len())
        .filter(|&node| model.resources[node].parent.is_none())
        .collect();
    model.teams = teams
        .iter()
        .map(|tenant| TeamDef {
            tenant: roots[tenant.index(roots.len())],
        })
        .collect();
    for (tenant, user_type, status, narrowed, teams) in users {
        let tenant = roots[tenant.index(roots.len())];
        let of_tenant: Vec<usize> = (0..model.teams.len())
            .filter(|&team| model.teams[team].tenant == tenant)
            .collect();
        let teams = if of_tenant.is_empty() {
            Vec::new()
        } else {
            teams
                .iter()
                .map(|team| of_tenant[team.index(of_tenant.len())])
                .collect()
        };
        model.users.push(UserDef {
            tenant,
            user_type,
            status,
            channels: narrowed
                .map(|bits| Channels::from_bits_truncate(bits) & user_type.channels()),
            teams,
        });
    }
    let scopes: Vec<usize> = match layout {
        Layout::Spread => (0..model.resources.len()).collect(),
        Layout::Hot => (0..model.resources.len().min(2)).collect(),
        Layout::Chain => {
            let deepest = (0..model.resources.len())
                .max_by_key(|&node| model.path(node).len())
                .unwrap_or(0);
            model.path(deepest)
        }
    };
    for (who, holder, scope, role, roll) in grants {
        let scope = scopes[scope.index(scopes.len())];
        let grant = GrantDef {
            who: who_in_tenant(&model, who, holder, model.tenant_of(scope)),
            scope,
            role: role.index(model.roles.len()),
            effect: effect(roll, override_heavy),
        };
        // A grant's identity is (principal, scope, role, effect): a model
        // holds one grant of each.
        if eligible(&model, &grant) && !model.grants.contains(&grant) {
            model.grants.push(grant);
        }
    }
    if !model.users.is_empty() {
        for (owner, scope, within, expires_at, revoked) in keys {
            let owner = owner.index(model.users.len());
            let tenant = model.users[owner].tenant;
            let of_tenant: Vec<usize> = (0..model.resources.len())
                .filter(|&node| model.tenant_of(node) == tenant)
                .collect();
            model.keys.push(KeyDef {
                owner,
                scope: scope.unwrap_or(Permissions::all()),
                within: within.map(|within| of_tenant[within.index(of_tenant.len())]),
                expires_at,
                revoked,
            });
        }
    }
    for (resource, permissions, expires_at, revoked) in links {
        model.links.push(LinkDef {
            resource: resource.index(model.resources.len()),
            permissions,
            expires_at,
            revoked,
        });
    }
    model
}

/// A principal of kind `kind` (user, team, everyone, public) that may hold
/// grants in `tenant`; `Everyone` when the tenant has no user or team.
pub fn who_in_tenant(model: &Model, kind: u8, holder: Index, tenant: usize) -> Who {
    let users: Vec<usize> = (0..model.users.len())
        .filter(|&user| model.users[user].tenant == tenant)
        .collect();
    let teams: Vec<usize> = (0..model.teams.len())
        .filter(|&team| model.teams[team].tenant == tenant)
        .collect();
    match kind {
        0 if !users.is_empty() => Who::User(users[holder.index(users.len())]),
        1 if !teams.is_empty() => Who::Team(teams[holder.index(teams.len())]),
        3 => Who::Public,
        _ => Who::Everyone,
    }
}

/// Whether the build accepts the grant's role for its holders: every
/// holder of a grant to a user, a team or the public must be of a type the
/// role is open to. A grant to `Everyone` is always accepted: it reaches
/// only the members of those types.
pub fn eligible(model: &Model, grant: &GrantDef) -> bool {
    let open_to = model.role_eligible(grant.role);
    let user_may = |user: usize| open_to.contains(model.users[user].user_type.as_set());
    match grant.who {
        Who::User(user) => user_may(user),
        Who::Team(team) => (0..model.users.len())
            .filter(|&user| model.users[user].teams.contains(&team))
            .all(user_may),
        Who::Everyone => true,
        Who::Public => open_to.contains(UserTypes::PUBLIC),
    }
}
