//! Attacks on the issue-17 hot path: the path summaries of each resource
//! (`Node::path_filter`, `Node::path_scopes`, which only gain bits after a
//! build), the walk that stops where nothing above may hold a grant, the
//! grant visit rewritten around per-override cuts, and `authorize_many`
//! skipping its reads ahead for requests with nothing on their path.
//!
//! A summary missing a bit its path holds would deny what a fresh build
//! allows, so every check here compares a policy against one that cannot
//! be stale: the same policy built again from its own document (same ids,
//! exact summaries), or the reference evaluator of `tests/reference`.
//!
//! `PROPTEST_CASES=2000 cargo test --test attack_issue17` hunts longer.

// clippy.toml allows these in `#[test]` functions only; the helpers below
// index name lists and models they built themselves, and fail the test by
// panicking.
#![expect(
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers over generated models"
)]

mod generate;
#[allow(
    dead_code,
    reason = "shared test module; this file uses its model and evaluator, not all of it"
)]
mod reference;

use clearance::{
    Action, ApiKey, Change, Channel, Effect, Grantee, KeyId, LinkId, LivePolicy, Permissions,
    Policy, PolicyBuilder, PublicLink, ResourceId, ResourceKind as K, Role, Status, Subject, User,
    UserId, UserType,
};
use proptest::array::uniform4;
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::Index;

use generate::{
    assemble, config, model, permissions, roles, stacked_model, status, user_type,
    who_kind_weighted, Layout, KINDS,
};
use reference::{
    builder, key_name, link_name, resource_name, role_name, team_name, user_name, GrantDef, Model,
    NodeDef, Reference, RoleDef, TeamDef, UserDef, Who,
};

// ---- decisions compared id by id ----

/// How many ids of each kind a policy has handed out (live or removed):
/// the comparisons ask about each, and one past the end.
#[derive(Debug, Clone, Copy)]
struct Counts {
    users: u32,
    keys: u32,
    links: u32,
    resources: u32,
}

impl Counts {
    fn of(model: &Model) -> Counts {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Counts {
            users: count(model.users.len()),
            keys: count(model.keys.len()),
            links: count(model.links.len()),
            resources: count(model.resources.len()),
        }
    }
}

/// Actions asked: a verb roles give, one few do, and every bit.
const ACTIONS: [Action; 3] = [
    Action::View,
    Action::Share,
    Action::Custom(Permissions::all()),
];

/// Every subject of `counts` (and one past each end, and the largest id):
/// users through the web with MFA and through the API without, keys,
/// links; all at time 50.
fn subjects(counts: Counts) -> Vec<Subject> {
    let ids = |count: u32| (0..=count).chain([u32::MAX]);
    let mut subjects = Vec::new();
    for user in ids(counts.users) {
        let user = UserId::from_index(user);
        subjects.push(Subject::user(user, Channel::Web).with_mfa(true));
        subjects.push(Subject::user(user, Channel::Api));
    }
    for key in ids(counts.keys) {
        subjects.push(Subject::key(KeyId::from_index(key)).with_mfa(true));
    }
    for link in ids(counts.links) {
        subjects.push(Subject::link(LinkId::from_index(link)));
    }
    subjects.into_iter().map(|subject| subject.at(50)).collect()
}

/// Every resource id of `counts`, one past the end, and the largest ids.
fn resource_ids(counts: Counts) -> Vec<ResourceId> {
    (0..=counts.resources)
        .chain([1 << 30, u32::MAX - 1, u32::MAX])
        .map(ResourceId::from_index)
        .collect()
}

/// `Ok` when `policy` decides every request of `counts` as `expected`
/// (reason and effective set), and `authorize_many` on `policy` as its
/// `authorize`; otherwise the first difference.
fn same_decisions(policy: &Policy, expected: &Policy, counts: Counts) -> Result<(), String> {
    let resources = resource_ids(counts);
    let mut batch = Vec::new();
    for subject in subjects(counts) {
        for &resource in &resources {
            for action in ACTIONS {
                let got = policy.authorize(&subject, action, resource).reason();
                let want = expected.authorize(&subject, action, resource).reason();
                if got != want {
                    return Err(format!(
                        "authorize({subject:?}, {action:?}, {resource:?}): {got:?}, expected {want:?}"
                    ));
                }
                batch.push((subject, action, resource));
            }
            let got = policy.effective(&subject, resource);
            let want = expected.effective(&subject, resource);
            if got != want {
                return Err(format!(
                    "effective({subject:?}, {resource:?}): {got:?}, expected {want:?}"
                ));
            }
        }
    }
    same_batch(policy, &batch)
}

/// `Ok` when `authorize_many` answers `batch` exactly as `authorize` one
/// request at a time.
fn same_batch(policy: &Policy, batch: &[(Subject, Action, ResourceId)]) -> Result<(), String> {
    let mut many = policy.authorize_many(batch);
    for (index, (subject, action, resource)) in batch.iter().enumerate() {
        let one = policy.authorize(subject, *action, *resource);
        match many.next() {
            Some(decision) if decision == one => {}
            other => {
                return Err(format!(
                    "authorize_many request #{index} ({subject:?}, {action:?}, {resource:?}): {other:?}, authorize {one:?}"
                ))
            }
        }
    }
    match many.next() {
        None => Ok(()),
        Some(extra) => Err(format!("authorize_many answered more: {extra:?}")),
    }
}

/// The policy built again from its own document: the same ids, and path
/// summaries exactly those of its paths.
fn rebuilt(policy: &Policy) -> Policy {
    match Policy::from_document(&policy.to_document()) {
        Ok(rebuilt) => rebuilt,
        Err(error) => panic!("a policy's own document does not build: {error}"),
    }
}

/// The policy of a model, which must build.
#[track_caller]
fn build(model: &Model) -> Policy {
    match builder(model).build() {
        Ok(policy) => policy,
        Err(error) => panic!("the test model does not build: {error}\n{model:#?}"),
    }
}

// ---- random changes by name ----

/// The names a change sequence picks from: every one ever given (removed
/// ones too, so that some changes are refused), and the grants made.
struct Names {
    resources: Vec<String>,
    roots: Vec<String>,
    roles: Vec<String>,
    teams: Vec<String>,
    users: Vec<String>,
    keys: Vec<String>,
    links: Vec<String>,
    grants: Vec<(Grantee, String, String, Effect)>,
    counts: Counts,
    fresh: usize,
}

/// The grantee a model's `who` names.
fn grantee(who: Who) -> Grantee {
    match who {
        Who::User(user) => Grantee::user(user_name(user)),
        Who::Team(team) => Grantee::team(team_name(team)),
        Who::Everyone => Grantee::Everyone,
        Who::Public => Grantee::Public,
    }
}

impl Names {
    fn of(model: &Model) -> Names {
        let named = |count: usize, name: fn(usize) -> String| (0..count).map(name).collect();
        Names {
            resources: named(model.resources.len(), resource_name),
            roots: (0..model.resources.len())
                .filter(|&node| model.resources[node].parent.is_none())
                .map(resource_name)
                .collect(),
            roles: named(model.roles.len(), role_name),
            teams: named(model.teams.len(), team_name),
            users: named(model.users.len(), user_name),
            keys: named(model.keys.len(), key_name),
            links: named(model.links.len(), link_name),
            grants: model
                .grants
                .iter()
                .map(|grant| {
                    (
                        grantee(grant.who),
                        resource_name(grant.scope),
                        role_name(grant.role),
                        grant.effect,
                    )
                })
                .collect(),
            counts: Counts::of(model),
            fresh: 0,
        }
    }

    /// A name never given before, with `prefix`.
    fn fresh(&mut self, prefix: &str) -> String {
        self.fresh += 1;
        format!("{prefix}_new{}", self.fresh)
    }
}

/// The name `index` picks from `names` ("nowhere" from none).
fn pick(names: &[String], index: Index) -> String {
    if names.is_empty() {
        "nowhere".to_string()
    } else {
        names[index.index(names.len())].clone()
    }
}

/// One change, before it is resolved against the names of its time.
#[derive(Debug, Clone)]
struct RawOp {
    /// Which change, on a scale of 100 (see [`RawOp::resolve`]).
    kind: u8,
    picks: [Index; 4],
    roll: u8,
}

fn raw_op() -> impl Strategy<Value = RawOp> {
    (0..100u8, uniform4(any::<Index>()), any::<u8>()).prop_map(|(kind, picks, roll)| RawOp {
        kind,
        picks,
        roll,
    })
}

/// What an accepted change adds to the names.
enum Added {
    Nothing,
    Resource(String, bool),
    Team(String),
    User(String),
    Key(String),
    Link(String),
    Grant((Grantee, String, String, Effect)),
}

impl RawOp {
    /// The change, by names of `names`; grants, revokes and moves are the
    /// most common, and a grant lands on a tenant root one time in three
    /// (a root's grant rewrites the summaries of its whole tenant).
    fn resolve(&self, names: &mut Names) -> (Change, Added) {
        let [a, b, c, d] = self.picks;
        let roll = self.roll;
        let effect = match roll >> 5 {
            0..=3 => Effect::Allow,
            4 | 5 => Effect::Override,
            _ => Effect::Deny,
        };
        let who = |names: &Names, index: Index| match roll % 4 {
            0 => Grantee::user(pick(&names.users, index)),
            1 => Grantee::team(pick(&names.teams, index)),
            2 => Grantee::Everyone,
            _ => Grantee::Public,
        };
        match self.kind {
            0..=21 => {
                let scope = if roll & 0x10 != 0 {
                    pick(&names.roots, b)
                } else {
                    pick(&names.resources, b)
                };
                let grant = (who(names, a), scope, pick(&names.roles, c), effect);
                let change = Change::Grant {
                    grantee: grant.0.clone(),
                    scope: grant.1.clone(),
                    role: grant.2.clone(),
                    effect,
                    when: clearance::Condition::Always,
                    by: None,
                };
                (change, Added::Grant(grant))
            }
            22..=35 if !names.grants.is_empty() => {
                let (grantee, scope, role, effect) =
                    names.grants[a.index(names.grants.len())].clone();
                let change = if roll & 1 == 0 {
                    Change::Revoke {
                        grantee,
                        scope,
                        role,
                        effect,
                        by: None,
                    }
                } else {
                    let to = pick(&names.roles, b);
                    let change = Change::ReplaceRole {
                        grantee: grantee.clone(),
                        scope: scope.clone(),
                        from: role,
                        to: to.clone(),
                        effect,
                        when: clearance::Condition::Always,
                        by: None,
                    };
                    return (change, Added::Grant((grantee, scope, to, effect)));
                };
                (change, Added::Nothing)
            }
            36..=49 => (
                Change::MoveResource {
                    name: pick(&names.resources, a),
                    parent: pick(&names.resources, b),
                },
                Added::Nothing,
            ),
            50..=55 => (
                Change::RemoveResource {
                    name: pick(&names.resources, a),
                },
                Added::Nothing,
            ),
            56..=65 => {
                let name = names.fresh("r");
                let root = roll % 8 == 0;
                let change = Change::AddResource {
                    name: name.clone(),
                    kind: if root {
                        K::Organization
                    } else {
                        KINDS[c.index(KINDS.len())]
                    },
                    parent: (!root).then(|| pick(&names.resources, a)),
                };
                (change, Added::Resource(name, root))
            }
            66..=69 => {
                let name = names.fresh("t");
                let change = Change::AddTeam {
                    name: name.clone(),
                    tenant: pick(&names.roots, a),
                };
                (change, Added::Team(name))
            }
            70 | 71 => (
                Change::RemoveTeam {
                    name: pick(&names.teams, a),
                },
                Added::Nothing,
            ),
            72..=79 => {
                let (user, team) = (pick(&names.users, a), pick(&names.teams, b));
                let change = match roll % 3 {
                    0 => Change::AddMembership { user, team },
                    1 => Change::RemoveMembership { user, team },
                    _ => Change::MoveMembership {
                        user,
                        from: team,
                        to: pick(&names.teams, c),
                    },
                };
                (change, Added::Nothing)
            }
            80..=83 => {
                let name = names.fresh("u");
                let mut user = User::new(name.clone(), pick(&names.roots, a));
                if roll & 1 == 0 {
                    user = user.member_of(pick(&names.teams, b));
                }
                if roll & 2 == 0 {
                    user = user.user_type(UserType::Connected);
                }
                (Change::AddUser(user), Added::User(name))
            }
            84 | 85 => (
                Change::RemoveUser {
                    name: pick(&names.users, a),
                    by: None,
                },
                Added::Nothing,
            ),
            86..=89 => {
                let name = names.fresh("k");
                let mut key = ApiKey::new(name.clone(), pick(&names.users, a));
                if roll & 1 == 0 {
                    key = key.within(pick(&names.resources, b));
                }
                (Change::AddKey(key), Added::Key(name))
            }
            90..=93 => {
                let name = names.fresh("l");
                let link =
                    PublicLink::new(name.clone(), pick(&names.resources, a), Permissions::all());
                (Change::AddLink(link), Added::Link(name))
            }
            _ => {
                let change = match roll % 4 {
                    0 => Change::RevokeKey {
                        name: pick(&names.keys, d),
                    },
                    1 => Change::RemoveKey {
                        name: pick(&names.keys, d),
                    },
                    2 => Change::RevokeLink {
                        name: pick(&names.links, d),
                    },
                    _ => Change::RemoveLink {
                        name: pick(&names.links, d),
                    },
                };
                (change, Added::Nothing)
            }
        }
    }
}

impl Names {
    /// Records what an accepted change added.
    fn accept(&mut self, added: Added) {
        match added {
            Added::Nothing => {}
            Added::Resource(name, root) => {
                if root {
                    self.roots.push(name.clone());
                }
                self.resources.push(name);
                self.counts.resources += 1;
            }
            Added::Team(name) => self.teams.push(name),
            Added::User(name) => {
                self.users.push(name);
                self.counts.users += 1;
            }
            Added::Key(name) => {
                self.keys.push(name);
                self.counts.keys += 1;
            }
            Added::Link(name) => {
                self.links.push(name);
                self.counts.links += 1;
            }
            Added::Grant(grant) => self.grants.push(grant),
        }
    }
}

/// Applies `groups` of changes to `policy` (one alone with `apply`, more
/// with `apply_all`) and to a `LivePolicy` started from it; after each,
/// checks that the policy decides as its own rebuild (and now and then
/// goes on from that rebuild), and both accept the same changes. At the
/// end, the live policy, never rebuilt, decides as the policy.
fn changes_decide_as_a_rebuild(model: &Model, groups: &[Vec<RawOp>]) -> Result<(), String> {
    let mut policy = build(model);
    let live = LivePolicy::new(policy.clone());
    let mut names = Names::of(model);
    same_decisions(&policy, &rebuilt(&policy), names.counts)?;
    for (step, group) in groups.iter().enumerate() {
        let (changes, added): (Vec<Change>, Vec<Added>) =
            group.iter().map(|op| op.resolve(&mut names)).unzip();
        let (accepted, live_accepted) = if changes.len() == 1 {
            (
                policy.apply(changes[0].clone()).is_ok(),
                live.apply(changes[0].clone()).is_ok(),
            )
        } else {
            (
                policy.apply_all(changes.clone()).is_ok(),
                live.apply_all(changes.clone()).is_ok(),
            )
        };
        if accepted != live_accepted {
            return Err(format!(
                "step {step}: the policy accepted {changes:?}: {accepted}, the live policy: {live_accepted}"
            ));
        }
        if !accepted {
            continue;
        }
        added.into_iter().for_each(|added| names.accept(added));
        let fresh = rebuilt(&policy);
        same_decisions(&policy, &fresh, names.counts)
            .map_err(|error| format!("after step {step} ({changes:?}): {error}"))?;
        // Now and then the policy goes on from its snapshot, as a host
        // recovering from one does: its exact summaries, changed further.
        if step % 7 == 3 {
            policy = fresh;
        }
    }
    same_decisions(&live.read(), &policy, names.counts)
        .map_err(|error| format!("the live policy at the end: {error}"))
}

proptest! {
    #![proptest_config(config(96))]

    /// Path summaries only gain bits, so a changed policy may walk further
    /// than a fresh build, never decide differently: after every grant,
    /// revoke, role replacement, move, removal, added resource (a new
    /// tenant root too), team, membership, user, key and link, alone or in
    /// a batch, the policy decides every request as the same policy built
    /// again from its document, and a `LivePolicy` fed the same changes
    /// decides as it.
    #[test]
    fn changed_policies_decide_as_their_rebuild(
        model in prop_oneof![model(), stacked_model()],
        groups in vec(vec(raw_op(), 1..=3), 1..=24),
    ) {
        changes_decide_as_a_rebuild(&model, &groups).map_err(TestCaseError::fail)?;
    }

    /// The same, on changes aimed at the summaries: grants, revokes and
    /// moves only, so that subtrees move back and forth under grants made
    /// and revoked on their old and new ancestors.
    #[test]
    fn grant_revoke_and_move_churn_decides_as_a_rebuild(
        model in model(),
        ops in vec((prop_oneof![0..22u8, 22..36u8, 36..50u8], uniform4(any::<Index>()), any::<u8>()), 1..=40),
    ) {
        let groups: Vec<Vec<RawOp>> = ops
            .into_iter()
            .map(|(kind, picks, roll)| vec![RawOp { kind, picks, roll }])
            .collect();
        changes_decide_as_a_rebuild(&model, &groups).map_err(TestCaseError::fail)?;
    }
}

// ---- the grant visit against the reference ----

/// Every action the reference is asked about.
const EVERY_ACTION: [Action; 8] = [
    Action::View,
    Action::Create,
    Action::Edit,
    Action::Delete,
    Action::Execute,
    Action::Share,
    Action::Custom(Permissions::from_bits_retain(1 << 40)),
    Action::Custom(Permissions::all()),
];

/// `Ok` when the policy of `model` gives every request of its ids the
/// reason and effective set of the reference, and `authorize_many` gives
/// what `authorize` gives; otherwise the first difference.
fn agrees_with_reference(model: &Model) -> Result<(), String> {
    let policy = build(model);
    let reference = Reference::new(model, &policy);
    let counts = Counts::of(model);
    let mut batch = Vec::new();
    for subject in subjects(counts) {
        for resource in resource_ids(counts) {
            for action in EVERY_ACTION {
                let want = reference.authorize(&subject, action, resource);
                let got = policy.authorize(&subject, action, resource).reason();
                if got != want {
                    return Err(format!(
                        "authorize({subject:?}, {action:?}, {resource:?}): policy {got:?}, reference {want:?}"
                    ));
                }
                batch.push((subject, action, resource));
            }
            let want = reference.effective(&subject, resource);
            let got = policy.effective(&subject, resource);
            if got != want {
                return Err(format!(
                    "effective({subject:?}, {resource:?}): policy {got:?}, reference {want:?}"
                ));
            }
        }
    }
    same_batch(&policy, &batch)
}

/// One tenant whose users are in many teams (more than 8, so that a
/// principal's position is found by binary search), with up to 60 grants,
/// mostly overrides, on one path or on two resources (runs longer than 8,
/// searched per principal).
fn crowded_model() -> impl Strategy<Value = Model> {
    let users = vec(
        (
            any::<Index>(),
            user_type(),
            status(),
            Just(None),
            vec(any::<Index>(), 0..=14),
        ),
        1..=4,
    );
    let grants = (
        prop_oneof![Just(Layout::Chain), Just(Layout::Hot)],
        any::<bool>(),
        vec(
            (
                who_kind_weighted(2),
                any::<Index>(),
                any::<Index>(),
                any::<Index>(),
                0..10u8,
            ),
            0..=60,
        ),
    );
    let keys = vec(
        (
            any::<Index>(),
            weighted(0.5, permissions()),
            weighted(0.4, any::<Index>()),
            Just(None),
            Just(false),
        ),
        0..=2,
    );
    let links = vec(
        (any::<Index>(), permissions(), Just(None), Just(false)),
        0..=3,
    );
    (
        generate::resources(1..=1),
        roles(6),
        vec(any::<Index>(), 9..=14),
        users,
        grants,
        keys,
        links,
        Just(Permissions::empty()),
    )
        .prop_map(assemble)
}

proptest! {
    #![proptest_config(config(256))]

    /// The grant visit (the common allow counted inline, the cuts kept per
    /// override) decides as the reference with many teams per user, long
    /// runs searched per principal, and overrides of several principals
    /// at several nodes.
    #[test]
    fn overrides_on_long_runs_and_many_teams_decide_as_the_reference(model in crowded_model()) {
        agrees_with_reference(&model).map_err(TestCaseError::fail)?;
    }
}

/// A role over every kind giving `permissions`, open to every type.
fn role(permissions: Permissions) -> RoleDef {
    RoleDef {
        rules: vec![(
            generate::ROOT_KINDS.iter().chain(&KINDS).copied().collect(),
            permissions,
        )],
        inherits: Vec::new(),
        eligible: clearance::UserTypes::all(),
    }
}

/// org › ws › folder › flow (ids 0 to 3), one role per verb (view, edit,
/// delete, share: ids 0 to 3), `teams` teams, one active native user in
/// every team, and `grants`.
fn chain_model(teams: usize, grants: Vec<GrantDef>) -> Model {
    Model {
        resources: vec![
            NodeDef {
                parent: None,
                kind: K::Organization,
            },
            NodeDef {
                parent: Some(0),
                kind: K::Workspace,
            },
            NodeDef {
                parent: Some(1),
                kind: K::Folder,
            },
            NodeDef {
                parent: Some(2),
                kind: K::Flow,
            },
        ],
        roles: [
            Permissions::VIEW,
            Permissions::EDIT,
            Permissions::DELETE,
            Permissions::SHARE,
        ]
        .into_iter()
        .map(role)
        .collect(),
        teams: vec![TeamDef { tenant: 0 }; teams],
        users: vec![UserDef {
            tenant: 0,
            user_type: UserType::Native,
            status: Status::Active,
            channels: None,
            teams: (0..teams).collect(),
        }],
        grants,
        keys: Vec::new(),
        links: vec![reference::LinkDef {
            resource: 2,
            permissions: Permissions::all(),
            expires_at: None,
            revoked: false,
        }],
        mfa_required: Permissions::empty(),
    }
}

fn grant(who: Who, scope: usize, role: usize, effect: Effect) -> GrantDef {
    GrantDef {
        who,
        scope,
        role,
        effect,
    }
}

/// Whether the model's user (or, with `link`, its link) may do `action`
/// on resource `at`.
fn may(model: &Model, link: bool, action: Action, at: u32) -> bool {
    let subject = if link {
        Subject::link(LinkId::from_index(0))
    } else {
        Subject::user(UserId::from_index(0), Channel::Web).with_mfa(true)
    };
    build(model)
        .authorize(&subject.at(50), action, ResourceId::from_index(at))
        .is_allowed()
}

/// An override cuts its principal's grants above its node, not beside it:
/// an override and an allow of one team on one folder both count, the
/// team's allow on the workspace above is cut, and another team's is not.
#[test]
fn an_override_and_an_allow_of_one_principal_on_one_node_both_count() {
    let model = chain_model(
        2,
        vec![
            grant(Who::Team(0), 2, 0, Effect::Override),
            grant(Who::Team(0), 2, 1, Effect::Allow),
            grant(Who::Team(0), 1, 2, Effect::Allow),
            grant(Who::Team(1), 1, 3, Effect::Allow),
        ],
    );
    assert!(may(&model, false, Action::View, 3));
    assert!(may(&model, false, Action::Edit, 3));
    assert!(!may(&model, false, Action::Delete, 3));
    assert!(may(&model, false, Action::Share, 3));
    // The allow listed before the override on the node: the same.
    let mut swapped = model.clone();
    swapped.grants.swap(0, 1);
    assert!(may(&swapped, false, Action::Edit, 2));
    assert!(!may(&swapped, false, Action::Delete, 2));
    for model in [model, swapped] {
        agrees_with_reference(&model).unwrap();
    }
}

/// Runs are sorted by effect, an allow before an override, so the one
/// override an override at the same node may meet after itself is another
/// of the same principal: two overrides of one team on one folder, and two
/// of the user's own on one flow, all count, and each cuts only above.
#[test]
fn two_overrides_of_one_principal_on_one_node_both_count() {
    let model = chain_model(
        1,
        vec![
            grant(Who::Team(0), 2, 0, Effect::Override),
            grant(Who::Team(0), 2, 1, Effect::Override),
            grant(Who::Team(0), 1, 2, Effect::Allow),
            grant(Who::User(0), 3, 0, Effect::Override),
            grant(Who::User(0), 3, 3, Effect::Override),
            grant(Who::User(0), 1, 2, Effect::Allow),
        ],
    );
    assert!(may(&model, false, Action::View, 3));
    assert!(may(&model, false, Action::Edit, 3));
    assert!(may(&model, false, Action::Share, 3));
    assert!(!may(&model, false, Action::Delete, 3));
    assert!(may(&model, false, Action::Edit, 2));
    // On the folder, the user's own overrides (on the flow) are not on
    // the path: its own delete on the workspace counts.
    assert!(may(&model, false, Action::Delete, 2));
    agrees_with_reference(&model).unwrap();
}

/// Overrides of several principals at several nodes each cut only their
/// own principal, from their own node up: the user's own override (its
/// position 0), `Everyone`'s and a team's, at three heights.
#[test]
fn overrides_at_several_nodes_cut_each_principal_from_its_own_node() {
    let model = chain_model(
        1,
        vec![
            // The user's own override on the flow cuts its own edit on the
            // workspace, not its team's or Everyone's.
            grant(Who::User(0), 3, 0, Effect::Override),
            grant(Who::User(0), 1, 1, Effect::Allow),
            // Everyone's override on the folder cuts Everyone's delete on
            // the org, not the user's own share there.
            grant(Who::Everyone, 2, 0, Effect::Override),
            grant(Who::Everyone, 0, 2, Effect::Allow),
            grant(Who::User(0), 0, 3, Effect::Allow),
            // The team's override on the workspace and its allow there.
            grant(Who::Team(0), 1, 0, Effect::Override),
            grant(Who::Team(0), 1, 1, Effect::Allow),
            grant(Who::Team(0), 0, 2, Effect::Allow),
        ],
    );
    assert!(may(&model, false, Action::Edit, 3), "the team's edit on ws");
    assert!(
        !may(&model, false, Action::Delete, 3),
        "cut for Everyone and the team"
    );
    assert!(
        !may(&model, false, Action::Share, 3),
        "the user's own share is above its override"
    );
    assert!(may(&model, false, Action::Share, 0));
    assert!(
        may(&model, false, Action::Delete, 1),
        "on ws, nothing of Everyone's is cut"
    );
    agrees_with_reference(&model).unwrap();
}

/// An override cuts its principal for the rest of the walk, even at a node
/// where another principal's override is met first: `Everyone` cut on
/// the folder stays cut on the workspace after the user's own override and
/// a team's there (own grants, then teams, come before `Everyone` in a
/// node's order).
#[test]
fn a_cut_principal_stays_cut_at_a_node_where_another_overrides() {
    let model = chain_model(
        1,
        vec![
            grant(Who::Everyone, 2, 0, Effect::Override),
            grant(Who::User(0), 1, 0, Effect::Override),
            grant(Who::Team(0), 1, 0, Effect::Override),
            grant(Who::Everyone, 1, 2, Effect::Allow),
            grant(Who::Everyone, 0, 3, Effect::Allow),
        ],
    );
    assert!(may(&model, false, Action::View, 3));
    assert!(!may(&model, false, Action::Delete, 3));
    assert!(!may(&model, false, Action::Share, 3));
    assert!(may(&model, false, Action::Delete, 1));
    agrees_with_reference(&model).unwrap();
}

/// A link acts as `Public` alone: `Public`'s override on the folder cuts
/// `Public`'s allow on the workspace, and `Everyone`'s grants never reach
/// a link.
#[test]
fn a_public_override_cuts_public_grants_above_it_for_a_link() {
    let model = chain_model(
        0,
        vec![
            grant(Who::Public, 2, 0, Effect::Override),
            grant(Who::Public, 1, 1, Effect::Allow),
            grant(Who::Everyone, 2, 2, Effect::Allow),
            grant(Who::Public, 2, 3, Effect::Allow),
        ],
    );
    assert!(may(&model, true, Action::View, 3));
    assert!(may(&model, true, Action::Share, 3));
    assert!(!may(&model, true, Action::Edit, 3));
    assert!(!may(&model, true, Action::Delete, 3));
    agrees_with_reference(&model).unwrap();
}

/// A run longer than 8 grants is searched principal by principal: a user
/// in 12 teams, each holding a grant on the folder, one team's override
/// there cutting its allow on the workspace while the others' stand.
#[test]
fn overrides_in_a_long_run_cut_only_their_principal() {
    let mut grants: Vec<GrantDef> = (0..12)
        .map(|team| grant(Who::Team(team), 2, 0, Effect::Allow))
        .collect();
    grants.push(grant(Who::Team(11), 2, 1, Effect::Override));
    grants.push(grant(Who::Team(11), 1, 2, Effect::Allow));
    grants.push(grant(Who::Team(3), 1, 3, Effect::Allow));
    grants.push(grant(Who::Everyone, 2, 3, Effect::Override));
    let model = chain_model(12, grants);
    assert!(may(&model, false, Action::View, 3));
    assert!(may(&model, false, Action::Edit, 3));
    assert!(!may(&model, false, Action::Delete, 3));
    assert!(may(&model, false, Action::Share, 3));
    agrees_with_reference(&model).unwrap();
}

// ---- summaries made stale on purpose ----

/// acme › ws1 › folder › flow, acme › ws2; team ops (ann), bob alone.
fn small() -> Policy {
    let policy = PolicyBuilder::new()
        .tenant("acme", K::Organization)
        .resource("ws1", K::Workspace, "acme")
        .resource("folder", K::Folder, "ws1")
        .resource("flow", K::Flow, "folder")
        .resource("ws2", K::Workspace, "acme")
        .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
        .role(Role::new("editor").allow_everywhere(Permissions::VIEW | Permissions::EDIT))
        .team("ops", "acme")
        .user(User::new("ann", "acme").member_of("ops"))
        .user(User::new("bob", "acme"))
        .build();
    match policy {
        Ok(policy) => policy,
        Err(error) => panic!("the small model does not build: {error}"),
    }
}

fn apply(policy: &mut Policy, change: Change) {
    if let Err(error) = policy.apply(change) {
        panic!("the change was refused: {error}");
    }
}

fn decides_as_rebuild(policy: &Policy) {
    let counts = Counts {
        users: 4,
        keys: 2,
        links: 2,
        resources: 8,
    };
    if let Err(error) = same_decisions(policy, &rebuilt(policy), counts) {
        panic!("{error}");
    }
}

/// A subtree moved under a grant gains its bits, moved away keeps them (a
/// walk that finds nothing, never a different answer), and a grant made
/// on its old parent after it left never reaches it.
#[test]
fn a_subtree_moved_back_and_forth_under_grants_decides_as_a_rebuild() {
    let mut policy = small();
    let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1);
    let flow = policy.resource_id("flow").unwrap();
    let grant = |grantee: Grantee, scope: &str, role: &str| Change::Grant {
        grantee,
        scope: scope.into(),
        role: role.into(),
        effect: Effect::Allow,
        when: clearance::Condition::Always,
        by: None,
    };
    apply(&mut policy, grant(Grantee::team("ops"), "ws2", "viewer"));
    assert!(!policy.authorize(&ann, Action::View, flow).is_allowed());
    apply(
        &mut policy,
        Change::MoveResource {
            name: "folder".into(),
            parent: "ws2".into(),
        },
    );
    assert!(policy.authorize(&ann, Action::View, flow).is_allowed());
    decides_as_rebuild(&policy);
    apply(
        &mut policy,
        Change::MoveResource {
            name: "folder".into(),
            parent: "ws1".into(),
        },
    );
    assert!(!policy.authorize(&ann, Action::View, flow).is_allowed());
    decides_as_rebuild(&policy);
    // Made on ws1 while the folder is under it: reaches the flow.
    apply(&mut policy, grant(Grantee::user("ann"), "ws1", "editor"));
    assert!(policy.authorize(&ann, Action::Edit, flow).is_allowed());
    // Moved under ws2 again: it does not.
    apply(
        &mut policy,
        Change::MoveResource {
            name: "folder".into(),
            parent: "ws2".into(),
        },
    );
    assert!(!policy.authorize(&ann, Action::Edit, flow).is_allowed());
    assert!(policy.authorize(&ann, Action::View, flow).is_allowed());
    decides_as_rebuild(&policy);
    // A resource added below the moved folder inherits what is above it now.
    apply(
        &mut policy,
        Change::AddResource {
            name: "deep".into(),
            kind: K::Flow,
            parent: Some("flow".into()),
        },
    );
    let deep = policy.resource_id("deep").unwrap();
    assert!(policy.authorize(&ann, Action::View, deep).is_allowed());
    decides_as_rebuild(&policy);
}

/// Churn on a tenant root (a grant made and revoked again and again, to
/// every kind of principal) leaves decisions those of a rebuild at every
/// step, and a team's grant made after its member joined, or a member who
/// joins after the grant, is found at once.
#[test]
fn churning_grants_on_a_tenant_root_decides_as_a_rebuild() {
    let mut policy = small();
    let grantees = [
        Grantee::team("ops"),
        Grantee::user("bob"),
        Grantee::Everyone,
        Grantee::Public,
    ];
    for round in 0..3 {
        for grantee in &grantees {
            let change = |revoke: bool| {
                if revoke {
                    Change::Revoke {
                        grantee: grantee.clone(),
                        scope: "acme".into(),
                        role: "viewer".into(),
                        effect: Effect::Allow,
                        by: None,
                    }
                } else {
                    Change::Grant {
                        grantee: grantee.clone(),
                        scope: "acme".into(),
                        role: "viewer".into(),
                        effect: Effect::Allow,
                        when: clearance::Condition::Always,
                        by: None,
                    }
                }
            };
            apply(&mut policy, change(false));
            decides_as_rebuild(&policy);
            apply(&mut policy, change(true));
            decides_as_rebuild(&policy);
        }
        if round == 1 {
            apply(
                &mut policy,
                Change::AddMembership {
                    user: "bob".into(),
                    team: "ops".into(),
                },
            );
        }
    }
    // A team added after every summary was written, granted on the root.
    apply(
        &mut policy,
        Change::AddTeam {
            name: "late".into(),
            tenant: "acme".into(),
        },
    );
    apply(
        &mut policy,
        Change::Grant {
            grantee: Grantee::team("late"),
            scope: "acme".into(),
            role: "editor".into(),
            effect: Effect::Allow,
            when: clearance::Condition::Always,
            by: None,
        },
    );
    apply(
        &mut policy,
        Change::AddMembership {
            user: "ann".into(),
            team: "late".into(),
        },
    );
    let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1);
    let flow = policy.resource_id("flow").unwrap();
    assert!(policy.authorize(&ann, Action::Edit, flow).is_allowed());
    decides_as_rebuild(&policy);
}

// ---- authorize_many past its read-ahead size ----

/// Workspaces and flows per workspace of [`large`]: 330 × 440 flows, with
/// the workspaces, make over 145,000 resources of 64 bytes, past the 8 MiB
/// of hot records above which `authorize_many` reads ahead (and skips
/// requests whose summaries say nothing is on their path).
const WORKSPACES: usize = 330;
const FLOWS: usize = 440;

/// A tenant past the read-ahead size: team `t{i}` edits workspace
/// `w{7 i}`, `Everyone` views `w5`, the public views `w9`, u0 holds its
/// own grants on 20 flows (a run searched, not scanned), team t3 is cut on
/// a folder-less flow by an override, and u5 is denied on `w14`; users
/// are in a few teams each; a key of u1 is limited to `w7`, links point at
/// `w9` and at one of its flows. A second tenant holds one workspace.
fn large() -> Policy {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .tenant("other", K::Organization)
        .resource("ow", K::Workspace, "other")
        .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
        .role(Role::new("editor").allow_everywhere(Permissions::VIEW | Permissions::EDIT))
        .role(Role::new("sharer").allow_everywhere(Permissions::SHARE));
    for w in 0..WORKSPACES {
        builder.resource(format!("w{w}"), K::Workspace, "acme");
        for f in 0..FLOWS {
            builder.resource(format!("w{w}f{f}"), K::Flow, format!("w{w}"));
        }
    }
    for t in 0..12 {
        builder.team(format!("t{t}"), "acme").grant(
            Grantee::team(format!("t{t}")),
            format!("w{}", 7 * t),
            "editor",
            Effect::Allow,
        );
    }
    for u in 0..40 {
        let mut user = User::new(format!("u{u}"), "acme");
        for t in [u % 12, (u * 5) % 12] {
            if u % 4 != 0 {
                user = user.member_of(format!("t{t}"));
            }
        }
        builder.user(user);
    }
    builder
        .user(User::new("stranger", "other"))
        .grant(Grantee::Everyone, "w5", "viewer", Effect::Allow)
        .grant(Grantee::Public, "w9", "viewer", Effect::Allow)
        .grant(Grantee::team("t3"), "w21f3", "viewer", Effect::Override)
        .grant(Grantee::team("t3"), "w21f3", "sharer", Effect::Allow)
        .grant(Grantee::user("u5"), "w14", "viewer", Effect::Deny)
        .api_key(ApiKey::new("k", "u1").within("w7"))
        .link(PublicLink::new("lw", "w9", Permissions::all()))
        .link(PublicLink::new("lf", "w9f3", Permissions::VIEW));
    for f in 0..20 {
        builder.grant(
            Grantee::user("u0"),
            format!("w{}f{f}", 3 * f),
            "editor",
            Effect::Allow,
        );
    }
    match builder.build() {
        Ok(policy) => policy,
        Err(error) => panic!("the large model does not build: {error}"),
    }
}

/// The requests of the large-model test: every subject (users, the key,
/// the links, and unknown and huge ids) on a spread of resources (every
/// 97th, the granted ones, the other tenant's, and ids past the end),
/// for three actions.
fn large_batch(policy: &Policy) -> Vec<(Subject, Action, ResourceId)> {
    let count = u32::try_from(policy.resources().len()).unwrap_or(u32::MAX);
    let mut resources: Vec<ResourceId> = (0..count)
        .step_by(97)
        .chain([count, count + 1, 1 << 30, u32::MAX - 1, u32::MAX])
        .map(ResourceId::from_index)
        .collect();
    for name in [
        "w5", "w9", "w9f3", "w14", "w14f2", "w21f3", "w7f1", "ow", "w3f1",
    ] {
        resources.extend(policy.resource_id(name));
    }
    let mut subjects: Vec<Subject> = (0..44)
        .chain([1 << 30, u32::MAX])
        .map(|user| Subject::user(UserId::from_index(user), Channel::Web).at(1))
        .collect();
    subjects.extend(
        (0..3)
            .chain([u32::MAX])
            .map(|key| Subject::key(KeyId::from_index(key)).at(1)),
    );
    subjects.extend(
        (0..3)
            .chain([u32::MAX])
            .map(|link| Subject::link(LinkId::from_index(link)).at(1)),
    );
    let mut batch = Vec::new();
    for subject in subjects {
        for &resource in &resources {
            for action in [Action::View, Action::Edit, Action::Share] {
                batch.push((subject, action, resource));
            }
        }
    }
    batch
}

/// Past its read-ahead size, where it skips the reads of requests with
/// nothing on their path, `authorize_many` still answers every request as
/// `authorize` (unknown and huge ids, keys, links, the other tenant's
/// resources), before and after changes leave the summaries stale, in
/// groups cut anywhere.
#[test]
fn a_batch_past_the_read_ahead_size_decides_as_one_by_one() {
    let mut policy = large();
    let batch = large_batch(&policy);
    same_batch(&policy, &batch).unwrap();
    // Odd lengths: groups of 32 cut anywhere, and nothing.
    same_batch(&policy, &batch[..45]).unwrap();
    same_batch(&policy, &[]).unwrap();
    let allowed = policy
        .authorize_many(&batch)
        .filter(|decision| decision.is_allowed())
        .count();
    assert!(allowed > 100, "the batch asks about grants that hold");
    // Stale summaries: the whole tenant gains t1's bit, then loses the
    // grant; a workspace moves under another and back.
    for change in [
        Change::Grant {
            grantee: Grantee::team("t1"),
            scope: "acme".into(),
            role: "viewer".into(),
            effect: Effect::Allow,
            when: clearance::Condition::Always,
            by: None,
        },
        Change::Revoke {
            grantee: Grantee::team("t1"),
            scope: "acme".into(),
            role: "viewer".into(),
            effect: Effect::Allow,
            by: None,
        },
        Change::MoveResource {
            name: "w14".into(),
            parent: "w7".into(),
        },
        Change::MoveResource {
            name: "w14".into(),
            parent: "acme".into(),
        },
        Change::RemoveResource { name: "w9".into() },
    ] {
        apply(&mut policy, change);
        same_batch(&policy, &batch).unwrap();
    }
}
