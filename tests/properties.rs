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
//! every channel, with and without MFA, at times around the expiries (or
//! with no time at all), on
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

mod generate;
mod reference;

use clearance::{
    Action, Channel, Credential, Effect, KeyId, LinkId, Permissions, Policy, Reason, ResourceId,
    ResourceKind, Subject, UserId, UserTypes,
};
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::Index;

use generate::{
    config, eligible, inactive_status, model, permissions, permissions_from_mask, stacked_model,
    who_in_tenant, who_kind,
};
use reference::{builder, GrantDef, Model, Reference, RoleDef, Who};

/// Every channel.
const CHANNELS: [Channel; 4] = [Channel::Web, Channel::App, Channel::Api, Channel::Link];

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
    /// `None` now and then: a host that forgot the clock.
    now: Option<u64>,
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
        weighted(0.9, 0..120u64),
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
        let subject = subject.with_mfa(self.mfa);
        match self.now {
            Some(now) => subject.at(now),
            None => subject,
        }
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
    // A batch answers exactly as the same requests one by one.
    let batch: Vec<(Subject, Action, ResourceId)> = requests
        .iter()
        .map(|request| {
            let (subject, resource) = request.resolve(model);
            (subject, request.action, resource)
        })
        .collect();
    let one_by_one = batch
        .iter()
        .map(|(subject, action, resource)| policy.authorize(subject, *action, *resource));
    if !policy.authorize_many(&batch).eq(one_by_one) {
        return Err(format!(
            "authorize_many differs from authorize on {batch:?}"
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(2048))]

    /// The main property: for every request, the optimized evaluator gives
    /// exactly the reason the reference gives, and the same effective set;
    /// and `authorize_many` gives what `authorize` gives, request by
    /// request.
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
                    // The account's state decides, before anything about
                    // the resource: its tenant's, another tenant's or none.
                    let expected = matches!(
                        reason,
                        Reason::Suspended
                            | Reason::Deactivated
                            | Reason::InvitationPending
                            | Reason::InvitationExpired
                    );
                    prop_assert!(expected, "{:?} for {:?}", reason, subject);
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
        // A model holds one grant of an identity: adding one it holds
        // changes nothing.
        if !model.grants.contains(&grant) {
            model.grants.push(grant);
        }
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
        let mut batch = Vec::new();
        for &(subject, resource) in &pairs {
            let resource = ResourceId::from_index(resource);
            batch.push((Subject::user(UserId::from_index(subject), channel).at(now), Action::View, resource));
            batch.push((Subject::key(KeyId::from_index(subject)).at(now), Action::View, resource));
        }
        prop_assert_eq!(policy.authorize_many(&batch).count(), batch.len());
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

proptest! {
    #![proptest_config(config(512))]

    /// A document round-trips: `from_document(to_document(p)) == p` for
    /// every model, and, with serde, through JSON text as well.
    #[test]
    fn document_round_trips(model in prop_oneof![model(), stacked_model()]) {
        let policy = build(&model);
        let document = policy.to_document();
        let rebuilt = Policy::from_document(&document);
        prop_assert!(rebuilt.as_ref() == Ok(&policy), "{:?}", rebuilt.err());
        #[cfg(feature = "serde")]
        {
            let json = serde_json::to_string(&document).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let parsed: clearance::PolicyDocument =
                serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
            prop_assert_eq!(&parsed, &document);
            prop_assert!(Policy::from_document(&parsed).as_ref() == Ok(&policy), "{}", json);
        }
    }
}
