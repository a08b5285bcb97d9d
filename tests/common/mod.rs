//! Helpers shared by the integration tests: name-to-id lookups, subjects,
//! and table checks of decisions that report every failing row by number.
//!
//! Tables name everything by the names the model gave it, so a row reads
//! like the rule it checks: `("ann", Action::Edit, "launch",
//! Granted(By::Team("writers"), "campaigns", "editor"))`. Every checked row
//! also checks that [`Policy::effective`] agrees with the decision, since
//! DESIGN.md §2 promises both run the same steps.

// Every test binary compiles this module with `mod common;` but uses only
// the helpers its topic needs; without this, each binary would warn about
// the others' helpers.
#![allow(dead_code, reason = "each test binary uses a different part")]
// clippy.toml allows panics in `#[test]` functions only; these helpers are
// called from tests and fail them the way `assert!` does.
#![expect(clippy::panic, reason = "test helpers fail the test by panicking")]

pub mod changes;

use std::fmt::Write as _;

use clearance::{
    Action, Channel, KeyId, LinkId, Permissions, Policy, PolicyBuilder, Principal, Problem, Reason,
    ResourceId, RoleId, Subject, TeamId, UserId,
};

/// Builds the model, or fails the test with every problem the builder found.
#[track_caller]
pub fn build(builder: &mut PolicyBuilder) -> Policy {
    match builder.build() {
        Ok(policy) => policy,
        Err(error) => panic!("the test model does not build: {error}"),
    }
}

/// The problems of a model that must not build.
#[track_caller]
pub fn problems(builder: &mut PolicyBuilder) -> Vec<Problem> {
    match builder.build() {
        Ok(_) => panic!("the model built, but it has mistakes that build must report"),
        Err(error) => error.problems().to_vec(),
    }
}

/// The id of the resource named `name`.
#[track_caller]
pub fn resource(policy: &Policy, name: &str) -> ResourceId {
    match policy.resource_id(name) {
        Some(id) => id,
        None => panic!("the model has no resource named {name:?}"),
    }
}

/// The id of the user named `name`.
#[track_caller]
pub fn user_id(policy: &Policy, name: &str) -> UserId {
    match policy.user_id(name) {
        Some(id) => id,
        None => panic!("the model has no user named {name:?}"),
    }
}

/// The id of the team named `name`.
#[track_caller]
pub fn team_id(policy: &Policy, name: &str) -> TeamId {
    match policy.team_id(name) {
        Some(id) => id,
        None => panic!("the model has no team named {name:?}"),
    }
}

/// The id of the role named `name`.
#[track_caller]
pub fn role_id(policy: &Policy, name: &str) -> RoleId {
    match policy.role_id(name) {
        Some(id) => id,
        None => panic!("the model has no role named {name:?}"),
    }
}

/// The id of the API key named `name`.
#[track_caller]
pub fn key_id(policy: &Policy, name: &str) -> KeyId {
    match policy.key_id(name) {
        Some(id) => id,
        None => panic!("the model has no API key named {name:?}"),
    }
}

/// The id of the public link named `name`.
#[track_caller]
pub fn link_id(policy: &Policy, name: &str) -> LinkId {
    match policy.link_id(name) {
        Some(id) => id,
        None => panic!("the model has no public link named {name:?}"),
    }
}

/// The user named `name`, asking through the web portal, without MFA, at time 0.
#[track_caller]
pub fn user(policy: &Policy, name: &str) -> Subject {
    Subject::user(user_id(policy, name), Channel::Web).at(0)
}

/// The API key named `name`, at time 0.
#[track_caller]
pub fn key(policy: &Policy, name: &str) -> Subject {
    Subject::key(key_id(policy, name)).at(0)
}

/// The public link named `name`, at time 0.
#[track_caller]
pub fn link(policy: &Policy, name: &str) -> Subject {
    Subject::link(link_id(policy, name)).at(0)
}

/// Everything `subject` may do on the resource named `resource`.
#[track_caller]
pub fn effective(policy: &Policy, subject: &Subject, resource_name: &str) -> Permissions {
    policy.effective(subject, resource(policy, resource_name))
}

/// A principal, by name, for tables.
#[derive(Debug, Clone, Copy)]
pub enum By {
    /// The user with this name.
    User(&'static str),
    /// The team with this name.
    Team(&'static str),
    /// Every member of the tenant.
    Everyone,
    /// Whoever holds a public link.
    Public,
}

impl By {
    /// The compiled principal.
    #[track_caller]
    pub fn principal(self, policy: &Policy) -> Principal {
        match self {
            By::User(name) => Principal::User(user_id(policy, name)),
            By::Team(name) => Principal::Team(team_id(policy, name)),
            By::Everyone => Principal::Everyone,
            By::Public => Principal::Public,
        }
    }
}

/// An expected reason, naming entities by name so that tables can be static.
#[derive(Debug, Clone, Copy)]
pub enum Expected {
    /// Allowed by the grant of this principal, on this scope, of this role.
    Granted(By, &'static str, &'static str),
    /// Denied by a deny grant on this resource, for this principal.
    Denied(&'static str, By),
    /// Denied because an override grant on this resource cut inheritance.
    Overridden(&'static str),
    /// A reason that names no entity.
    Is(Reason),
}

impl Expected {
    /// The compiled reason.
    #[track_caller]
    pub fn reason(self, policy: &Policy) -> Reason {
        match self {
            Expected::Granted(by, scope, role) => Reason::Granted {
                principal: by.principal(policy),
                scope: resource(policy, scope),
                role: role_id(policy, role),
            },
            Expected::Denied(at, by) => Reason::Denied {
                at: resource(policy, at),
                principal: by.principal(policy),
            },
            Expected::Overridden(at) => Reason::Overridden {
                at: resource(policy, at),
            },
            Expected::Is(reason) => reason,
        }
    }
}

/// One static table row: who (a name the test's subject function resolves),
/// what, on which resource, and the expected reason.
pub type Row = (&'static str, Action, &'static str, Expected);

/// One row built at run time: a full subject, what, where, and the reason.
pub type Case = (Subject, Action, ResourceId, Reason);

/// Checks one request; `Err` says what went wrong, in the model's names.
pub fn check(
    policy: &Policy,
    subject: &Subject,
    action: Action,
    resource: ResourceId,
    expected: Reason,
) -> Result<(), String> {
    let decision = policy.authorize(subject, action, resource);
    let mut failures = String::new();
    if decision.reason() != expected {
        let _ = write!(
            failures,
            "expected {expected:?} ({}), got {:?} ({})",
            policy.explain(expected),
            decision.reason(),
            policy.explain(decision.reason()),
        );
    }
    if decision.is_allowed() != matches!(decision.reason(), Reason::Granted { .. }) {
        let _ = write!(
            failures,
            "; is_allowed() is {} for {:?}",
            decision.is_allowed(),
            decision.reason()
        );
    }
    let needed = action.permissions();
    let effective = policy.effective(subject, resource);
    if !needed.is_empty() && effective.contains(needed) != decision.is_allowed() {
        let _ = write!(
            failures,
            "; effective() is {effective:?}, which disagrees with authorize() for {needed:?}"
        );
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{subject:?} {action:?} on {:?}: {failures}",
            policy
                .resource_name(resource)
                .unwrap_or("<unknown resource>")
        ))
    }
}

/// Asserts that `subject` doing `action` on the resource named `resource`
/// is decided with exactly `expected`.
#[track_caller]
pub fn assert_decision(
    policy: &Policy,
    subject: &Subject,
    action: Action,
    resource_name: &str,
    expected: Reason,
) {
    let id = resource(policy, resource_name);
    if let Err(message) = check(policy, subject, action, id, expected) {
        panic!("{message}");
    }
}

/// Asserts that `subject` may do `action` on the resource named
/// `resource_name`, or fails with the reason it may not.
#[track_caller]
pub fn assert_allowed(policy: &Policy, subject: &Subject, action: Action, resource_name: &str) {
    let decision = policy.authorize(subject, action, resource(policy, resource_name));
    assert!(
        decision.is_allowed(),
        "{action} on {resource_name}: {}",
        policy.explain(decision.reason())
    );
}

/// Asserts that `subject` may not do `action` on the resource named
/// `resource_name`, and returns the reason, for the test to check.
#[track_caller]
pub fn assert_denied(
    policy: &Policy,
    subject: &Subject,
    action: Action,
    resource_name: &str,
) -> Reason {
    let decision = policy.authorize(subject, action, resource(policy, resource_name));
    assert!(
        !decision.is_allowed(),
        "{action} on {resource_name} should be denied"
    );
    decision.reason()
}

/// Asserts every case, and reports every failing one with its row number.
#[track_caller]
pub fn assert_cases(policy: &Policy, cases: &[Case]) {
    let failures: Vec<String> = cases
        .iter()
        .enumerate()
        .filter_map(|(row, &(subject, action, resource, expected))| {
            check(policy, &subject, action, resource, expected)
                .err()
                .map(|message| format!("row {row}: {message}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Checks every row, resolving each row's first column to a subject with
/// `subject` (for example [`user`], [`key`] or [`link`]), and describes
/// every failing row with its number and contents.
pub fn failing_rows(
    policy: &Policy,
    subject: impl Fn(&Policy, &str) -> Subject,
    rows: &[Row],
) -> Vec<String> {
    rows.iter()
        .enumerate()
        .filter_map(|(row, &(who, action, resource_name, expected))| {
            let id = resource(policy, resource_name);
            check(
                policy,
                &subject(policy, who),
                action,
                id,
                expected.reason(policy),
            )
            .err()
            .map(|message| format!("row {row} ({who:?}, {action:?}, {resource_name:?}): {message}"))
        })
        .collect()
}

/// Asserts every row (see [`failing_rows`]), and reports every failing row
/// with its number and contents.
#[track_caller]
pub fn assert_rows(policy: &Policy, subject: impl Fn(&Policy, &str) -> Subject, rows: &[Row]) {
    let failures = failing_rows(policy, subject, rows);
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// Asserts that `subject` may do nothing at all on the resource named
/// `resource`: every action is refused with `reason`, and
/// [`Policy::effective`] is empty.
#[track_caller]
pub fn assert_gets_nothing(
    policy: &Policy,
    subject: &Subject,
    resource_name: &str,
    reason: Reason,
) {
    let id = resource(policy, resource_name);
    let failures: Vec<String> = Action::ALL
        .iter()
        .filter_map(|&action| check(policy, subject, action, id, reason).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        policy.effective(subject, id),
        Permissions::empty(),
        "{subject:?} on {resource_name:?} must have no effective permission"
    );
}

/// What the walk of [`dangling`] asks each live subject on each live
/// resource: a few verbs, one that needs `MANAGE_MEMBERS`, one of the
/// host's own bits.
const WALK_ACTIONS: [Action; 6] = [
    Action::View,
    Action::Edit,
    Action::Delete,
    Action::Execute,
    Action::ManageMembers,
    Action::Custom(Permissions::from_bits_retain(1 << 40)),
];

/// Whether the resource with this id is live: its name leads back to it.
pub fn resource_is_live(policy: &Policy, id: ResourceId) -> bool {
    policy
        .resource_name(id)
        .and_then(|name| policy.resource_id(name))
        == Some(id)
}

/// Whether the user with this id is live: its name leads back to it.
pub fn user_is_live(policy: &Policy, id: UserId) -> bool {
    policy.user_name(id).and_then(|name| policy.user_id(name)) == Some(id)
}

/// Whether the team with this id is live: its name leads back to it.
pub fn team_is_live(policy: &Policy, id: TeamId) -> bool {
    policy.team_name(id).and_then(|name| policy.team_id(name)) == Some(id)
}

/// Whether the role with this id is live: its name leads back to it.
pub fn role_is_live(policy: &Policy, id: RoleId) -> bool {
    policy.role_name(id).and_then(|name| policy.role_id(name)) == Some(id)
}

/// Whether the API key with this id is live: its name leads back to it.
pub fn key_is_live(policy: &Policy, id: KeyId) -> bool {
    policy.key_name(id).and_then(|name| policy.key_id(name)) == Some(id)
}

/// Whether the public link with this id is live: its name leads back to it.
pub fn link_is_live(policy: &Policy, id: LinkId) -> bool {
    policy.link_name(id).and_then(|name| policy.link_id(name)) == Some(id)
}

/// Every id from 0 for which `named` has a name, and two past them.
fn ids_with_names(named: impl Fn(u32) -> bool) -> impl Iterator<Item = u32> {
    let count = (0..).take_while(|&index| named(index)).count();
    0..u32::try_from(count + 2).unwrap_or(u32::MAX)
}

/// The resource, its parent, … up to its tenant root, through the public
/// API; `None` when a parent is not live, the chain is longer than the
/// policy, or it does not end at the resource's tenant.
fn ancestors(policy: &Policy, resource: ResourceId) -> Option<Vec<ResourceId>> {
    let tenant = policy.tenant_of(resource)?;
    let mut path = vec![resource];
    let mut at = resource;
    while let Some(parent) = policy.parent(at) {
        if !resource_is_live(policy, parent)
            || policy.tenant_of(parent) != Some(tenant)
            || path.len() > policy.resource_count()
        {
            return None;
        }
        path.push(parent);
        at = parent;
    }
    (at == tenant).then_some(path)
}

/// What is wrong with a reason given to a live subject on a live resource
/// whose path to the root is `path`: a reason may only name live entities,
/// the asking user (or a key's owner), and resources on the path.
fn reason_dangles(
    policy: &Policy,
    reason: Reason,
    owner: Option<UserId>,
    path: &[ResourceId],
) -> Option<String> {
    let principal_ok = |principal: Principal| match principal {
        Principal::User(user) => Some(user) == owner && user_is_live(policy, user),
        Principal::Team(team) => owner.is_some() && team_is_live(policy, team),
        Principal::Everyone => owner.is_some(),
        Principal::Public => owner.is_none(),
    };
    let on_path = |at: ResourceId| path.contains(&at) && resource_is_live(policy, at);
    let fine = match reason {
        Reason::UnknownSubject | Reason::UnknownResource => false,
        Reason::Granted {
            principal,
            scope,
            role,
        } => principal_ok(principal) && on_path(scope) && role_is_live(policy, role),
        Reason::Denied { at, principal } => principal_ok(principal) && on_path(at),
        Reason::Overridden { at } => on_path(at),
        _ => true,
    };
    (!fine).then(|| format!("{reason:?} ({})", policy.explain(reason)))
}

/// Walks every resource, user, team, API key and public link id of
/// `policy` (and two ids past each kind's last) through the public API,
/// and describes each one that is neither fully usable nor fully unknown:
///
/// - a live resource has a kind, and live parents up to its tenant root;
/// - every live user, key and link asking about a live resource gets an
///   answer that is not "unknown", naming only live entities on the
///   resource's path, and `effective` agrees with it;
/// - a live key's owner is a live user;
/// - a removed (or never used) id of a user, key or link is
///   `UnknownSubject` everywhere, and a removed resource is
///   `UnknownResource` to every live subject, with nothing effective.
pub fn dangling(policy: &Policy) -> Vec<String> {
    let mut found = Vec::new();
    let resources: Vec<ResourceId> = ids_with_names(|index| {
        policy
            .resource_name(ResourceId::from_index(index))
            .is_some()
    })
    .map(ResourceId::from_index)
    .collect();
    let users: Vec<UserId> =
        ids_with_names(|index| policy.user_name(UserId::from_index(index)).is_some())
            .map(UserId::from_index)
            .collect();
    let keys: Vec<KeyId> =
        ids_with_names(|index| policy.key_name(KeyId::from_index(index)).is_some())
            .map(KeyId::from_index)
            .collect();
    let links: Vec<LinkId> =
        ids_with_names(|index| policy.link_name(LinkId::from_index(index)).is_some())
            .map(LinkId::from_index)
            .collect();
    let name = |id: ResourceId| policy.resource_name(id).unwrap_or("<no name>").to_string();

    let mut live_resources = Vec::new();
    let mut dead_resources = Vec::new();
    for &resource in &resources {
        if !resource_is_live(policy, resource) {
            dead_resources.push(resource);
            continue;
        }
        if policy.resource_kind(resource).is_none() {
            found.push(format!("live resource {:?} has no kind", name(resource)));
        }
        match ancestors(policy, resource) {
            Some(path) => live_resources.push((resource, path)),
            None => found.push(format!(
                "live resource {:?} has a parent or tenant that is not live",
                name(resource)
            )),
        }
    }

    // Every live subject, with the user it acts for (none for a link).
    let mut live_subjects: Vec<(Subject, Option<UserId>)> = Vec::new();
    let mut dead_subjects: Vec<Subject> = Vec::new();
    for &user in &users {
        let subject = Subject::user(user, Channel::Web);
        if user_is_live(policy, user) {
            live_subjects.push((subject, Some(user)));
        } else {
            dead_subjects.push(subject);
        }
    }
    for &key in &keys {
        let subject = Subject::key(key);
        if key_is_live(policy, key) {
            match policy.key_owner(key) {
                Some(owner) if user_is_live(policy, owner) => {
                    live_subjects.push((subject, Some(owner)));
                }
                owner => found.push(format!(
                    "live API key {:?} has owner {owner:?}, which is not a live user",
                    policy.key_name(key)
                )),
            }
        } else {
            dead_subjects.push(subject);
        }
    }
    for &link in &links {
        let subject = Subject::link(link);
        if link_is_live(policy, link) {
            live_subjects.push((subject, None));
        } else {
            dead_subjects.push(subject);
        }
    }

    for &(subject, owner) in &live_subjects {
        for (resource, path) in &live_resources {
            for action in WALK_ACTIONS {
                let decision = policy.authorize(&subject, action, *resource);
                if let Some(problem) = reason_dangles(policy, decision.reason(), owner, path) {
                    found.push(format!(
                        "live {subject:?} {action:?} on live {:?}: {problem}",
                        name(*resource)
                    ));
                }
                let effective = policy.effective(&subject, *resource);
                if effective.contains(action.permissions()) != decision.is_allowed() {
                    found.push(format!(
                        "live {subject:?} {action:?} on live {:?}: effective {effective:?} disagrees with {:?}",
                        name(*resource),
                        decision.reason()
                    ));
                }
            }
        }
        for &resource in &dead_resources {
            let reason = policy.authorize(&subject, Action::View, resource).reason();
            let effective = policy.effective(&subject, resource);
            // Unknown, unless the subject's own state refuses it first,
            // whatever it asks about.
            if !(reason == Reason::UnknownResource || reason.is_about_the_caller())
                || !effective.is_empty()
            {
                found.push(format!(
                    "live {subject:?} on removed resource {resource:?} ({:?}): {reason:?}, effective {effective:?}",
                    policy.resource_name(resource)
                ));
            }
        }
    }
    for &subject in &dead_subjects {
        for resource in live_resources
            .iter()
            .map(|(resource, _)| *resource)
            .chain(dead_resources.iter().copied())
        {
            let reason = policy.authorize(&subject, Action::View, resource).reason();
            let effective = policy.effective(&subject, resource);
            if reason != Reason::UnknownSubject || !effective.is_empty() {
                found.push(format!(
                    "removed {subject:?} on {resource:?} ({:?}): {reason:?}, effective {effective:?}",
                    policy.resource_name(resource)
                ));
            }
        }
    }
    found
}

/// Asserts that nothing in `policy` is half-removed; see [`dangling`].
#[track_caller]
pub fn assert_nothing_dangles(policy: &Policy) {
    let found = dangling(policy);
    assert!(
        found.is_empty(),
        "{} ids are neither usable nor unknown:\n{}",
        found.len(),
        found.join("\n")
    );
}
