//! Property tests: the optimized evaluator agrees with the reference one on
//! random models, and the invariants of DESIGN.md section 4 hold.
//!
//! A generated model has 1 to 3 tenants and up to 30 resources in trees up
//! to 6 deep; 1 to 4 roles with rules over a few permission bits and kinds,
//! some inheriting earlier roles, some limited to a few user types; up to 8
//! teams and 12 users of every type and status; up to 25 grants (mostly
//! `Allow`, some `Override` and `Deny`) to users, teams, `Everyone` and the
//! public of the scope's tenant, sometimes all on one or two resources so
//! that a resource holds a long run; a few API keys and public links; and
//! some MFA-guarded bits. Requests mix users, keys and links, known or not,
//! every channel, with and without MFA, at times around the expiries, on
//! resources known or not, for every action and custom ones.
//!
//! `PROPTEST_CASES=20000 cargo test --test properties` hunts longer.

// clippy.toml allows these in `#[test]` functions only; the generators and
// helpers below index models they built themselves, and fail the test by
// panicking when a generated model does not build.
#![expect(
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers over generated models"
)]

mod reference;

use std::ops::RangeInclusive;

use clearance::{
    Action, Channel, Channels, Credential, Effect, KeyId, LinkId, Permissions, Policy, Reason,
    ResourceId, ResourceKind, Status, Subject, UserId, UserType, UserTypes,
};
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::Index;

use reference::{
    builder, GrantDef, KeyDef, LinkDef, Model, NodeDef, Reference, RoleDef, TeamDef, UserDef, Who,
};

/// The permission bits roles, keys, links and custom actions draw from: a
/// few named verbs and one of the host's unnamed bits.
const BITS: [Permissions; 7] = [
    Permissions::VIEW,
    Permissions::CREATE,
    Permissions::EDIT,
    Permissions::DELETE,
    Permissions::EXECUTE,
    Permissions::SHARE,
    Permissions::from_bits_retain(1 << 40),
];

/// Kinds of tenant roots.
const ROOT_KINDS: [ResourceKind; 2] = [ResourceKind::Organization, ResourceKind::Tenant];

/// Kinds of resources below a root.
const KINDS: [ResourceKind; 5] = [
    ResourceKind::Workspace,
    ResourceKind::Folder,
    ResourceKind::Flow,
    ResourceKind::Form,
    ResourceKind::Connection,
];

/// The deepest a resource may be (a root is at depth 0).
const MAX_DEPTH: usize = 6;

/// Every channel.
const CHANNELS: [Channel; 4] = [Channel::Web, Channel::App, Channel::Api, Channel::Link];

/// `default_cases` cases per property, or `PROPTEST_CASES` from the
/// environment. The defaults find the rare combinations (a cut-off grant of
/// a second principal, a long run) often enough, and keep the whole file to
/// a few seconds in a debug build.
fn config(default_cases: u32) -> ProptestConfig {
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
fn permissions_from_mask(mask: u8) -> Permissions {
    BITS.iter()
        .enumerate()
        .filter(|&(bit, _)| mask & (1 << bit) != 0)
        .fold(Permissions::empty(), |all, (_, &permission)| {
            all | permission
        })
}

/// Any set of the bits in [`BITS`].
fn permissions() -> impl Strategy<Value = Permissions> {
    any::<u8>().prop_map(permissions_from_mask)
}

/// Mostly native users, every other type sometimes.
fn user_type() -> impl Strategy<Value = UserType> {
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
fn inactive_status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Suspended),
        Just(Status::Deactivated),
        (0..100u64).prop_map(|until| Status::Invited { until }),
    ]
}

/// Mostly active.
fn status() -> impl Strategy<Value = Status> {
    prop_oneof![8 => Just(Status::Active), 3 => inactive_status()]
}

/// The effect of a grant from a roll in `0..10`: mostly `Allow`, or, in a
/// model heavy on overrides, mostly `Override` (so that several of a
/// subject's principals are cut on one path).
fn effect(roll: u8, override_heavy: bool) -> Effect {
    let (allows, overrides) = if override_heavy { (3, 7) } else { (6, 8) };
    match roll {
        roll if roll < allows => Effect::Allow,
        roll if roll < overrides => Effect::Override,
        _ => Effect::Deny,
    }
}

/// Which kind of principal a generated grant is for, before it is resolved
/// against the scope's tenant.
fn who_kind() -> impl Strategy<Value = u8> {
    who_kind_weighted(2)
}

/// Like [`who_kind`], with `Everyone` at `everyone_weight` against 4 for a
/// user, 3 for a team and 1 for the public.
fn who_kind_weighted(everyone_weight: u32) -> impl Strategy<Value = u8> {
    prop_oneof![4 => Just(0u8), 3 => Just(1u8), everyone_weight => Just(2u8), 1 => Just(3u8)]
}

/// A resource forest: 1 to 3 tenant roots, then up to 27 resources, each
/// below an earlier one (often the one just before, for deep chains).
fn resources(tenants: RangeInclusive<usize>) -> impl Strategy<Value = Vec<NodeDef>> {
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
fn roles(open_weight: u32) -> impl Strategy<Value = Vec<RoleDef>> {
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
enum Layout {
    /// On any resource.
    Spread,
    /// On the first two resources only, so that one often holds a long run
    /// (`src/policy.rs` scans up to 8 group grants on a resource and
    /// searches longer runs).
    Hot,
    /// On the path from the deepest resource up to its root, so that
    /// overrides and denies stack on one path.
    Chain,
}

/// Mostly spread.
fn layout() -> impl Strategy<Value = Layout> {
    prop_oneof![5 => Just(Layout::Spread), 2 => Just(Layout::Hot), 3 => Just(Layout::Chain)]
}

/// The raw material of a model; [`assemble`] resolves it into a valid one.
type RawModel = (
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
struct Shape {
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
fn model() -> impl Strategy<Value = Model> {
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
fn stacked_model() -> impl Strategy<Value = Model> {
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
fn model_with(shape: Shape) -> impl Strategy<Value = Model> {
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
fn assemble(raw: RawModel) -> Model {
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
        if eligible(&model, &grant) {
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
fn who_in_tenant(model: &Model, kind: u8, holder: Index, tenant: usize) -> Who {
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
fn eligible(model: &Model, grant: &GrantDef) -> bool {
    let open_to = model.roles[grant.role].eligible;
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

/// The policy of a generated model, which must build.
#[track_caller]
fn build(model: &Model) -> Policy {
    match builder(model).build() {
        Ok(policy) => policy,
        Err(error) => panic!("the generated model does not build: {error}\n{model:#?}"),
    }
}

/// A raw id: mostly one the model may know (a little past its end too),
/// sometimes the largest there is.
#[derive(Debug, Clone, Copy)]
enum RawId {
    /// Among the entities, or one or two past them.
    Near(Index),
    /// `u32::MAX`.
    Max,
}

impl RawId {
    /// The id among `count` entities (or past them).
    fn resolve(self, count: usize) -> u32 {
        match self {
            RawId::Near(index) => index.index(count + 2) as u32,
            RawId::Max => u32::MAX,
        }
    }
}

/// See [`RawId`].
fn raw_id() -> impl Strategy<Value = RawId> {
    prop_oneof![12 => any::<Index>().prop_map(RawId::Near), 1 => Just(RawId::Max)]
}

/// Mostly a named action, often one of the verbs roles give; sometimes a
/// custom one over [`BITS`] (possibly several bits, or none) or over a bit
/// no role gives.
fn action() -> impl Strategy<Value = Action> {
    const GIVEN: [Action; 6] = [
        Action::View,
        Action::Create,
        Action::Edit,
        Action::Delete,
        Action::Execute,
        Action::Share,
    ];
    prop_oneof![
        6 => any::<Index>().prop_map(|index| GIVEN[index.index(GIVEN.len())]),
        3 => any::<Index>().prop_map(|index| Action::ALL[index.index(Action::ALL.len())]),
        3 => any::<u8>().prop_map(|mask| Action::Custom(permissions_from_mask(mask))),
        1 => Just(Action::Custom(Permissions::from_bits_retain(1 << 63))),
    ]
}

/// Which kind of credential a request uses.
#[derive(Debug, Clone, Copy)]
enum Asker {
    User,
    Key,
    Link,
}

/// A request, to be resolved against a model's sizes.
#[derive(Debug, Clone, Copy)]
struct RawRequest {
    focused: bool,
    deep: bool,
    credential: Asker,
    subject: RawId,
    channel: Channel,
    mfa: bool,
    now: u64,
    resource: RawId,
    action: Action,
}

/// Mostly users (through the web, mostly), some keys and links; most of
/// them focused (see [`RawRequest::resolve`]).
fn request() -> impl Strategy<Value = RawRequest> {
    (
        weighted(0.75, Just(())).prop_map(|focused| focused.is_some()),
        any::<bool>(),
        prop_oneof![6 => Just(Asker::User), 2 => Just(Asker::Key), 1 => Just(Asker::Link)],
        raw_id(),
        prop_oneof![
            5 => Just(Channel::Web),
            1 => Just(Channel::App),
            1 => Just(Channel::Api),
            1 => Just(Channel::Link),
        ],
        any::<bool>(),
        0..120u64,
        raw_id(),
        action(),
    )
        .prop_map(
            |(focused, deep, credential, subject, channel, mfa, now, resource, action)| {
                RawRequest {
                    focused,
                    deep,
                    credential,
                    subject,
                    channel,
                    mfa,
                    now,
                    resource,
                    action,
                }
            },
        )
}

impl RawRequest {
    /// The subject asking and the resource asked about, resolved against
    /// `model`. A focused request of a known subject asks about a resource
    /// of the subject's own tenant, where the grants are (half the time
    /// among the deeper half of them).
    fn resolve(&self, model: &Model) -> (Subject, ResourceId) {
        let subject = self.subject(model);
        let resource = match (self.focused, self.resource) {
            (true, RawId::Near(index)) => match model.tenant_of_subject(&subject) {
                Some(tenant) => {
                    // Deep resources first: more grants above them.
                    let mut of_tenant: Vec<usize> = (0..model.resources.len())
                        .filter(|&node| model.tenant_of(node) == tenant)
                        .collect();
                    of_tenant.sort_by_key(|&node| std::cmp::Reverse(model.path(node).len()));
                    let deep = of_tenant.len().div_ceil(2);
                    let pool = if self.deep { deep } else { of_tenant.len() };
                    of_tenant[index.index(pool)] as u32
                }
                None => self.resource.resolve(model.resources.len()),
            },
            _ => self.resource.resolve(model.resources.len()),
        };
        (subject, ResourceId::from_index(resource))
    }

    /// The subject asking, its id resolved against `model` (among the
    /// known ones when the request is focused).
    fn subject(&self, model: &Model) -> Subject {
        let id = |count: usize| match (self.focused, self.subject) {
            (true, RawId::Near(index)) if count > 0 => index.index(count) as u32,
            _ => self.subject.resolve(count),
        };
        let subject = match self.credential {
            Asker::User => Subject::user(UserId::from_index(id(model.users.len())), self.channel),
            Asker::Key => Subject::key(KeyId::from_index(id(model.keys.len()))),
            Asker::Link => Subject::link(LinkId::from_index(id(model.links.len()))),
        };
        subject.with_mfa(self.mfa).at(self.now)
    }
}

/// Every known subject of the model: each user through each channel, each
/// key, each link; all with the given MFA and time.
fn every_subject(model: &Model, mfa: bool, now: u64) -> Vec<Subject> {
    let mut subjects = Vec::new();
    for user in 0..model.users.len() {
        for channel in CHANNELS {
            subjects.push(Subject::user(UserId::from_index(user as u32), channel));
        }
    }
    for key in 0..model.keys.len() {
        subjects.push(Subject::key(KeyId::from_index(key as u32)));
    }
    for link in 0..model.links.len() {
        subjects.push(Subject::link(LinkId::from_index(link as u32)));
    }
    subjects
        .into_iter()
        .map(|subject| subject.with_mfa(mfa).at(now))
        .collect()
}

/// Every resource of the model.
fn every_resource(model: &Model) -> impl Iterator<Item = ResourceId> {
    (0..model.resources.len() as u32).map(ResourceId::from_index)
}

/// Compares both evaluators on every request: `Ok` when they agree
/// exactly, or a description of the first disagreement.
fn compare(model: &Model, requests: &[RawRequest]) -> Result<(), String> {
    let policy = build(model);
    let reference = Reference::new(model, &policy);
    for request in requests {
        let (subject, resource) = request.resolve(model);
        let action = request.action;
        let expected = reference.authorize(&subject, action, resource);
        let actual = policy.authorize(&subject, action, resource).reason();
        if actual != expected {
            return Err(format!(
                "authorize({subject:?}, {action:?}, {resource:?}): policy {actual:?}, reference {expected:?}"
            ));
        }
        let expected = reference.effective(&subject, resource);
        let actual = policy.effective(&subject, resource);
        if actual != expected {
            return Err(format!(
                "effective({subject:?}, {resource:?}): policy {actual:?}, reference {expected:?}"
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(2048))]

    /// The main property: for every request, the optimized evaluator gives
    /// exactly the reason the reference gives, and the same effective set.
    #[test]
    fn optimized_evaluator_agrees_with_reference(
        model in prop_oneof![model(), stacked_model()],
        requests in vec(request(), 1..=96),
    ) {
        compare(&model, &requests).map_err(TestCaseError::fail)?;
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Deny by default: a model without a single grant allows nothing to
    /// anyone, anywhere.
    #[test]
    fn deny_by_default_without_grants(
        mut model in model(),
        mfa in any::<bool>(),
        now in 0..120u64,
        requests in vec(request(), 32),
    ) {
        model.grants.clear();
        let policy = build(&model);
        for subject in every_subject(&model, mfa, now) {
            for resource in every_resource(&model) {
                prop_assert_eq!(policy.effective(&subject, resource), Permissions::empty());
                let action = Action::ALL[resource.index() as usize % Action::ALL.len()];
                prop_assert!(!policy.authorize(&subject, action, resource).is_allowed());
            }
        }
        for request in &requests {
            let (subject, resource) = request.resolve(&model);
            prop_assert!(!policy.authorize(&subject, request.action, resource).is_allowed());
            prop_assert_eq!(policy.effective(&subject, resource), Permissions::empty());
        }
    }

    /// Tenant isolation: no user, key or link is ever allowed anything on a
    /// resource of another tenant than its account's (or its link's
    /// resource's), whatever the grants say.
    #[test]
    fn tenant_isolation(model in model(), mfa in any::<bool>(), now in 0..120u64) {
        let policy = build(&model);
        for subject in every_subject(&model, mfa, now) {
            let tenant = model.tenant_of_subject(&subject).expect("every subject is known");
            for resource in every_resource(&model) {
                if model.tenant_of(resource.index() as usize) == tenant {
                    continue;
                }
                prop_assert_eq!(policy.effective(&subject, resource), Permissions::empty());
                for action in Action::ALL {
                    prop_assert!(!policy.authorize(&subject, action, resource).is_allowed());
                }
            }
        }
    }

    /// Deny wins: a `Deny` grant, for one of the subject's principals, on
    /// the resource or an ancestor, with a role covering the action, denies
    /// the request whatever allows it; a request allowed before is now
    /// denied by that grant (or one as near).
    #[test]
    fn deny_wins(
        mut model in model(),
        request in request(),
        which in any::<Index>(),
        resource in any::<Index>(),
        ancestor in any::<Index>(),
    ) {
        let subject = request.subject(&model);
        let action = request.action;
        let needed = action.permissions();
        prop_assume!(!needed.is_empty());
        let (principals, tenant) = match subject.credential() {
            Credential::User(user) if (user.index() as usize) < model.users.len() => {
                let user = user.index() as usize;
                (model.principals_of_user(user), model.users[user].tenant)
            }
            Credential::Key(key) if (key.index() as usize) < model.keys.len() => {
                let owner = model.keys[key.index() as usize].owner;
                (model.principals_of_user(owner), model.users[owner].tenant)
            }
            Credential::Link(link) if (link.index() as usize) < model.links.len() => {
                let link = &model.links[link.index() as usize];
                (vec![Who::Public], model.tenant_of(link.resource))
            }
            _ => return Ok(()),
        };
        let of_tenant: Vec<usize> = (0..model.resources.len())
            .filter(|&node| model.tenant_of(node) == tenant)
            .collect();
        let resource = of_tenant[resource.index(of_tenant.len())];
        let path = model.path(resource);
        let scope = path[ancestor.index(path.len())];
        let who = principals[which.index(principals.len())];

        let before = build(&model);
        let allowed_before = before
            .authorize(&subject, action, ResourceId::from_index(resource as u32))
            .is_allowed();

        let role = model.roles.len();
        model.roles.push(RoleDef {
            rules: vec![(vec![model.resources[resource].kind], needed)],
            inherits: Vec::new(),
            eligible: UserTypes::all(),
        });
        model.grants.push(GrantDef { who, scope, role, effect: Effect::Deny });
        let policy = build(&model);
        let resource = ResourceId::from_index(resource as u32);
        let decision = policy.authorize(&subject, action, resource);
        prop_assert!(!decision.is_allowed(), "{:?}", decision);
        prop_assert!(!policy.effective(&subject, resource).intersects(needed));
        if allowed_before {
            let denied = matches!(decision.reason(), Reason::Denied { .. });
            prop_assert!(denied, "{:?}", decision);
        }
    }

    /// Suspended, deactivated and invited accounts get nothing, through any
    /// channel, and neither do their API keys.
    #[test]
    fn inactive_accounts_get_nothing(
        mut model in model(),
        which in any::<Index>(),
        status in inactive_status(),
        mfa in any::<bool>(),
        now in 0..120u64,
    ) {
        let user = which.index(model.users.len());
        model.users[user].status = status;
        let policy = build(&model);
        let mut subjects: Vec<Subject> = CHANNELS
            .iter()
            .map(|&channel| Subject::user(UserId::from_index(user as u32), channel))
            .collect();
        for key in 0..model.keys.len() {
            if model.keys[key].owner == user {
                subjects.push(Subject::key(KeyId::from_index(key as u32)));
            }
        }
        for subject in subjects {
            let subject = subject.with_mfa(mfa).at(now);
            for resource in every_resource(&model) {
                prop_assert_eq!(policy.effective(&subject, resource), Permissions::empty());
                for action in Action::ALL {
                    let reason = policy.authorize(&subject, action, resource).reason();
                    let lifecycle = matches!(
                        reason,
                        Reason::Suspended
                            | Reason::Deactivated
                            | Reason::InvitationPending
                            | Reason::InvitationExpired
                    );
                    prop_assert!(lifecycle, "{:?} for {:?}", reason, subject);
                }
            }
        }
    }

    /// Adding one `Allow` grant never removes a permission from anyone,
    /// anywhere (an `Override` is not an `Allow`: it may cut inheritance).
    #[test]
    fn adding_an_allow_never_removes_a_permission(
        mut model in model(),
        extra in (who_kind(), any::<Index>(), any::<Index>(), any::<Index>(), permissions()),
        mfa in any::<bool>(),
        now in 0..120u64,
    ) {
        let before = build(&model);
        let (kind, holder, scope, role, fallback) = extra;
        let scope = scope.index(model.resources.len());
        let mut grant = GrantDef {
            who: who_in_tenant(&model, kind, holder, model.tenant_of(scope)),
            scope,
            role: role.index(model.roles.len()),
            effect: Effect::Allow,
        };
        if !eligible(&model, &grant) {
            grant.role = model.roles.len();
            model.roles.push(RoleDef {
                rules: vec![(ResourceKind::ALL.to_vec(), fallback)],
                inherits: Vec::new(),
                eligible: UserTypes::all(),
            });
        }
        model.grants.push(grant);
        let after = build(&model);
        for subject in every_subject(&model, mfa, now) {
            for resource in every_resource(&model) {
                let had = before.effective(&subject, resource);
                let has = after.effective(&subject, resource);
                prop_assert!(has.contains(had), "{:?} on {:?}: {:?} then {:?}", subject, resource, had, has);
            }
        }
    }

    /// An API key never has more than its owner has through the API, with
    /// the same MFA and time.
    #[test]
    fn key_never_exceeds_owner(model in model(), mfa in any::<bool>(), now in 0..120u64) {
        let policy = build(&model);
        for (index, key) in model.keys.iter().enumerate() {
            let by_key = Subject::key(KeyId::from_index(index as u32)).with_mfa(mfa).at(now);
            let by_owner = Subject::user(UserId::from_index(key.owner as u32), Channel::Api)
                .with_mfa(mfa)
                .at(now);
            for resource in every_resource(&model) {
                let key_has = policy.effective(&by_key, resource);
                let owner_has = policy.effective(&by_owner, resource);
                prop_assert!(owner_has.contains(key_has), "{:?} on {:?}", by_key, resource);
                for action in Action::ALL {
                    if policy.authorize(&by_key, action, resource).is_allowed() {
                        prop_assert!(policy.authorize(&by_owner, action, resource).is_allowed());
                    }
                }
            }
        }
    }

    /// `authorize` allows an action exactly when `effective` contains all
    /// of its permissions, for every action.
    #[test]
    fn effective_agrees_with_authorize(
        model in model(),
        requests in vec(request(), 48),
    ) {
        let policy = build(&model);
        for request in &requests {
            let (subject, resource) = request.resolve(&model);
            let effective = policy.effective(&subject, resource);
            let custom = Action::Custom(request.action.permissions());
            for action in Action::ALL.into_iter().chain([custom]) {
                if action.permissions().is_empty() {
                    continue;
                }
                prop_assert_eq!(
                    policy.authorize(&subject, action, resource).is_allowed(),
                    effective.contains(action.permissions()),
                    "{:?} {:?} {:?}: effective {:?}",
                    subject,
                    action,
                    resource,
                    effective
                );
            }
        }
    }

    /// Any raw id, time and permission set is answered, never a panic.
    #[test]
    fn authorize_never_panics(
        model in model(),
        ids in vec((any::<u32>(), any::<u32>()), 16),
        edges in vec((0..6usize, 0..6usize), 16),
        channel in any::<Index>(),
        mfa in any::<bool>(),
        now in prop_oneof![any::<u64>(), Just(u64::MAX), Just(0u64)],
        bits in any::<u64>(),
    ) {
        let policy = build(&model);
        let edge = |which: usize, count: usize| -> u32 {
            [0, count as u32, count as u32 + 1, 1 << 30, u32::MAX - 1, u32::MAX][which]
        };
        let mut pairs = ids;
        for &(subject, resource) in &edges {
            pairs.push((edge(subject, model.users.len()), edge(resource, model.resources.len())));
        }
        let channel = CHANNELS[channel.index(CHANNELS.len())];
        for (subject, resource) in pairs {
            let resource = ResourceId::from_index(resource);
            for subject in [
                Subject::user(UserId::from_index(subject), channel),
                Subject::key(KeyId::from_index(subject)),
                Subject::link(LinkId::from_index(subject)),
            ] {
                let subject = subject.with_mfa(mfa).at(now);
                for action in [Action::View, Action::Custom(Permissions::from_bits_retain(bits))] {
                    let decision = policy.authorize(&subject, action, resource);
                    let _sentence = policy.explain(decision.reason()).to_string();
                }
                let _ = policy.effective(&subject, resource);
            }
        }
    }
}
