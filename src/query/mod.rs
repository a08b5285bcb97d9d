//! Reverse questions: which resources a subject may act on, and who may act
//! on a resource. The concept is documented on [`Policy::accessible`] and
//! [`Policy::who_can`], where users read it.

mod down;

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use crate::decision::Reason;
use crate::directory::UserTypes;
use crate::directory::{Channel, KeyId, Status, TeamId, UserId};
use crate::grant::{Effect, Grant, Principal};
use crate::label::{Condition, Labels};
use crate::permission::{Action, Permissions};
use crate::policy::{id_at, principal_key, Audience, GrantEntry, Policy, UserRecord, NONE};
use crate::resource::{ResourceId, ResourceKind};
use crate::role::RoleId;
use crate::subject::Subject;

impl Policy {
    /// Every resource at or below `within` that `subject` may do `action`
    /// on, in id order: list filtering, like SpiceDB's LookupResources.
    ///
    /// It agrees with [`authorize`](Policy::authorize) on every resource
    /// (a property test checks it), without calling it per resource: one
    /// walk down the subtree carries the subject's grants from each
    /// resource to its children (see `Policy::walk_down` in the
    /// source).
    ///
    /// # Cost
    ///
    /// Linear in the subtree of `within` and its depth: each resource is
    /// entered once and decided in time bounded by the number of the
    /// subject's principals (itself, its teams, `Everyone`), whatever the
    /// depth, the overrides (conditional or not) or how many grants the
    /// path holds; then the result is sorted. A key or link limited to a
    /// subtree below `within` walks only that subtree.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("shared", ResourceKind::Folder, "acme")
    ///     .resource("a", ResourceKind::Flow, "shared")
    ///     .resource("private", ResourceKind::Folder, "acme")
    ///     .resource("b", ResourceKind::Flow, "private")
    ///     .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
    ///     .user(User::new("ann", "acme"))
    ///     .grant(Grantee::user("ann"), "shared", "viewer", Effect::Allow)
    ///     .build()?;
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
    /// let acme = policy.resource_id("acme").unwrap();
    /// let flows = policy.accessible_of_kind(&ann, Action::View, acme, ResourceKind::Flow);
    /// assert_eq!(flows, vec![policy.resource_id("a").unwrap()]);
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn accessible(
        &self,
        subject: &Subject,
        action: Action,
        within: ResourceId,
    ) -> Vec<ResourceId> {
        self.accessible_filtered(subject, action, within, None)
    }

    /// [`accessible`](Policy::accessible), keeping only resources of `kind`
    /// (every flow a user may open, for a list page).
    #[must_use]
    pub fn accessible_of_kind(
        &self,
        subject: &Subject,
        action: Action,
        within: ResourceId,
        kind: ResourceKind,
    ) -> Vec<ResourceId> {
        self.accessible_filtered(subject, action, within, Some(kind))
    }

    fn accessible_filtered(
        &self,
        subject: &Subject,
        action: Action,
        within: ResourceId,
        kind: Option<ResourceKind>,
    ) -> Vec<ResourceId> {
        self.accessible_down(subject, action.permissions(), within, kind)
    }

    /// Every user allowed to do `action` on `resource`, each with the
    /// reason (the grant: direct, through a team, `Everyone`, or an org
    /// admin's grant higher up), as an access review asks "who can touch
    /// this?". Each user is asked through the first channel its account may
    /// use (web, apps, API, link, in that order), with MFA passed, at time
    /// `now` (for invitations); users of other tenants, and accounts that
    /// may use no channel, are skipped without a decision.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("payroll", ResourceKind::Flow, "acme")
    ///     .role(Role::new("admin").allow_everywhere(Permissions::all_named()))
    ///     .user(User::new("ann", "acme"))
    ///     .user(User::new("bob", "acme"))
    ///     .grant(Grantee::user("ann"), "acme", "admin", Effect::Allow)
    ///     .build()?;
    /// let payroll = policy.resource_id("payroll").unwrap();
    /// let who = policy.who_can(Action::Delete, payroll, 0);
    /// assert_eq!(who.len(), 1);
    /// assert_eq!(who[0].0, policy.user_id("ann").unwrap());
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn who_can(&self, action: Action, resource: ResourceId, now: u64) -> Vec<(UserId, Reason)> {
        let Some(tenant) = self.tenant_of(resource) else {
            return Vec::new();
        };
        self.users
            .iter()
            .enumerate()
            .filter(|(_, record)| record.tenant == tenant.0)
            .filter_map(|(index, record)| {
                let user = UserId(u32::try_from(index).ok()?);
                let channel = [Channel::Web, Channel::App, Channel::Api, Channel::Link]
                    .into_iter()
                    .find(|channel| record.channels().contains(channel.as_set()))?;
                let subject = Subject::user(user, channel).with_mfa(true).at(now);
                let decision = self.authorize(&subject, action, resource);
                decision.is_allowed().then(|| (user, decision.reason()))
            })
            .collect()
    }
}

/// One user's permissions on one resource, before and after a change of
/// the policy; see [`diff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Difference {
    /// The user.
    pub user: UserId,
    /// The resource.
    pub resource: ResourceId,
    /// Permissions the user holds after, not before.
    pub gained: Permissions,
    /// Permissions the user held before, not after.
    pub lost: Permissions,
}

/// What changes if `after` replaces `before`: every (user, resource) pair
/// whose effective permissions differ, with the bits gained and lost —
/// for a host's CI ("this change gives 47 users DELETE on production
/// flows"). Ids are compared as ids, so `after` should be `before` with
/// changes applied ([`Policy::apply`]), which keeps ids stable.
///
/// Each user is asked through the first channel its account may use, with
/// MFA passed, at time `now`.
///
/// # Cost
///
/// The two policies are compared part by part (roles, each resource's
/// grants, place, kind and labels, each user's record, teams and own
/// grants), linear in their size. A resource whose grants or place changed
/// reaches its subtree; one whose labels or kind changed, itself only.
/// Then each user whose record changed is walked down its whole tenant, and
/// every other user of a tenant holding a reached resource is walked down
/// only the reached resources and the paths above them, once per policy
/// (a walk costs the same per resource whatever the depth, see
/// [`Policy::accessible`]). So one relabelled resource costs (users of its
/// tenant) × (its depth); a grant on a folder, (users of the tenant) ×
/// (the folder's subtree); a change of one user, (resources of its
/// tenant); a role change, every pair of a tenant.
///
/// ```
/// use clearance::*;
///
/// let before = PolicyBuilder::new()
///     .tenant("acme", ResourceKind::Organization)
///     .resource("prod", ResourceKind::Folder, "acme")
///     .resource("deploy", ResourceKind::Flow, "prod")
///     .role(Role::new("editor").allow_everywhere(Permissions::EDIT | Permissions::DELETE))
///     .team("ops", "acme")
///     .user(User::new("ann", "acme").member_of("ops"))
///     .build()?;
/// let mut after = before.clone();
/// after.apply(Change::Grant {
///     grantee: Grantee::team("ops"),
///     scope: "prod".into(),
///     role: "editor".into(),
///     effect: Effect::Allow,
///     when: Condition::Always,
///     by: None,
/// })?;
/// let changes = diff(&before, &after, 0);
/// let deletes = changes.iter().filter(|d| d.gained.contains(Permissions::DELETE)).count();
/// assert_eq!(deletes, 2); // ann, on "prod" and on "deploy"
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn diff(before: &Policy, after: &Policy, now: u64) -> Vec<Difference> {
    let nodes = before.nodes.len().max(after.nodes.len());
    let users = before.users.len().max(after.users.len());
    let everything = before.roles != after.roles
        || before.catalog.roles != after.catalog.roles
        || before.mfa_required != after.mfa_required;
    // Resources whose grants, place or tenant changed (or that exist in
    // one policy only) reach their whole subtree; a change of labels or
    // kind reaches the resource itself only (conditions and roles read the
    // labels and kind of the resource asked about, not of the grant's scope).
    let mut subtree_roots: Vec<u32> = Vec::new();
    let mut reached_alone: Vec<u32> = Vec::new();
    for index in 0..nodes {
        let Ok(id) = u32::try_from(index) else { break };
        match (before.nodes.get(index), after.nodes.get(index)) {
            (Some(a), Some(b))
                if !everything
                    && a.parent == b.parent
                    && a.tenant == b.tenant
                    && before.group_grants(a) == after.group_grants(b) =>
            {
                if a.kind != b.kind || before.labels.get(index) != after.labels.get(index) {
                    reached_alone.push(id);
                }
            }
            _ => subtree_roots.push(id),
        }
    }
    let mut dirty_users: Vec<u32> = Vec::new();
    for index in 0..users {
        let id = id_at(index);
        let same = match (before.users.get(index), after.users.get(index)) {
            (Some(a), Some(b)) => {
                a.tenant == b.tenant
                    && before.user_status(id) == after.user_status(id)
                    && a.channels() == b.channels()
                    && a.user_type() == b.user_type()
                    && before.user_labels_of(id) == after.user_labels_of(id)
                    && before.teams_of(a) == after.teams_of(b)
                    && before.own_grants(id, a) == after.own_grants(id, b)
            }
            _ => false,
        };
        if !same {
            dirty_users.extend(u32::try_from(index).ok());
        }
    }
    // Every resource below a subtree root, in either policy's tree: each
    // subtree is walked once (a walk stops where an earlier one passed).
    let mut reached = vec![false; nodes];
    for policy in [before, after] {
        let mut seen = vec![false; nodes];
        for &root in &subtree_roots {
            if seen.get(root as usize).copied().unwrap_or(true) {
                continue;
            }
            let mut stack = vec![root];
            while let Some(at) = stack.pop() {
                match seen.get_mut(at as usize) {
                    Some(slot) if !*slot => *slot = true,
                    _ => continue,
                }
                if let Some(slot) = reached.get_mut(at as usize) {
                    *slot = true;
                }
                stack.extend(policy.children(at));
            }
        }
    }
    for &node in &reached_alone {
        if let Some(slot) = reached.get_mut(node as usize) {
            *slot = true;
        }
    }
    let reached_list: Vec<u32> = (0u32..)
        .zip(&reached)
        .filter(|&(_, &hit)| hit)
        .map(|(node, _)| node)
        .collect();
    let mut found = Vec::new();
    let mut sides = Sides::new(nodes);
    // Users whose own record changed: everything of their tenant(s).
    for &user in &dirty_users {
        sides.start();
        for (side, policy) in [(0, before), (1, after)] {
            let Some(record) = policy.users.get(user as usize) else {
                continue;
            };
            let tree = (&policy.first_child[..], &policy.next_sibling[..]);
            let tenant = ResourceId(record.tenant);
            sides.walk(side, policy, UserId(user), tenant, tree, now);
        }
        sides.finish(UserId(user), |_| true, &mut found);
    }
    // The other users, on the reached resources of their tenant only: one
    // walk per user and policy over the reached resources and the paths
    // above them (the part of the tree they need, listed once per policy).
    if !reached_list.is_empty() {
        let parts = [
            Part::of(before, &reached_list),
            Part::of(after, &reached_list),
        ];
        let mut tenants: Vec<u32> = parts
            .iter()
            .flat_map(|part| part.tenants.iter().copied())
            .collect();
        tenants.sort_unstable();
        tenants.dedup();
        let mut members: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (user, record) in (0u32..).zip(&before.users) {
            if tenants.binary_search(&record.tenant).is_ok()
                && dirty_users.binary_search(&user).is_err()
            {
                members.entry(record.tenant).or_default().push(user);
            }
        }
        for (&tenant, users) in &members {
            for &user in users {
                sides.start();
                for (side, policy, part) in [(0, before, &parts[0]), (1, after, &parts[1])] {
                    if policy.users.get(user as usize).is_none() {
                        continue;
                    }
                    let tree = (&part.first_child[..], &part.next_sibling[..]);
                    sides.walk(side, policy, UserId(user), ResourceId(tenant), tree, now);
                }
                sides.finish(
                    UserId(user),
                    |node| reached.get(node as usize).copied().unwrap_or(false),
                    &mut found,
                );
            }
        }
    }
    found.sort_unstable_by_key(|d: &Difference| (d.user, d.resource));
    found
}

/// The permissions one user holds on each resource of a walk, in the two
/// policies [`diff`] compares: indexed by resource, stamped per user so
/// that nothing is cleared between users.
struct Sides {
    held: [Vec<Permissions>; 2],
    stamp: [Vec<u32>; 2],
    generation: u32,
    /// The resources some walk of this user reported.
    seen: Vec<u32>,
}

impl Sides {
    fn new(nodes: usize) -> Sides {
        Sides {
            held: [
                vec![Permissions::empty(); nodes],
                vec![Permissions::empty(); nodes],
            ],
            stamp: [vec![0; nodes], vec![0; nodes]],
            generation: 0,
            seen: Vec::new(),
        }
    }

    /// Starts a new user.
    fn start(&mut self) {
        self.generation += 1;
        self.seen.clear();
    }

    /// Records what `user` holds in `policy` on the tenant root `tenant`
    /// and the resources `tree` lists below it, as side `side`.
    fn walk(
        &mut self,
        side: usize,
        policy: &Policy,
        user: UserId,
        tenant: ResourceId,
        tree: (&[u32], &[u32]),
        now: u64,
    ) {
        let Some(record) = policy.users.get(user.0 as usize) else {
            return;
        };
        let Some(subject) = policy.review_subject(user, record, now) else {
            return;
        };
        let Ok(prepared) = policy.prepare(&subject) else {
            return;
        };
        let Ok(context) = policy.place(&prepared, tenant) else {
            return;
        };
        let generation = self.generation;
        let Sides {
            held, stamp, seen, ..
        } = self;
        let (Some(held), Some(stamp)) = (held.get_mut(side), stamp.get_mut(side)) else {
            return;
        };
        policy.walk_down(
            &subject,
            &context,
            tenant.0,
            tree,
            |node, _, permissions| {
                if let (Some(slot), Some(mark)) =
                    (held.get_mut(node as usize), stamp.get_mut(node as usize))
                {
                    *slot = permissions;
                    *mark = generation;
                    seen.push(node);
                }
            },
        );
    }

    /// Adds to `found` each resource `keep` accepts whose permissions
    /// differ between the two sides (a side that did not report a
    /// resource holds nothing there).
    fn finish(&mut self, user: UserId, keep: impl Fn(u32) -> bool, found: &mut Vec<Difference>) {
        self.seen.sort_unstable();
        self.seen.dedup();
        let generation = self.generation;
        for &node in &self.seen {
            if !keep(node) {
                continue;
            }
            let [old, new] = [0, 1].map(|side| {
                let stamped = self
                    .stamp
                    .get(side)
                    .and_then(|stamp| stamp.get(node as usize))
                    == Some(&generation);
                self.held
                    .get(side)
                    .and_then(|held| held.get(node as usize))
                    .copied()
                    .filter(|_| stamped)
                    .unwrap_or(Permissions::empty())
            });
            if old != new {
                found.push(Difference {
                    user,
                    resource: ResourceId(node),
                    gained: new - old,
                    lost: old - new,
                });
            }
        }
    }
}

/// The part of one policy's tree a [`diff`] walks for its unchanged users:
/// the reached resources and the paths above them, as child lists in the
/// form of [`Policy::first_child`].
struct Part {
    first_child: Vec<u32>,
    next_sibling: Vec<u32>,
    /// The tenant roots holding a reached resource.
    tenants: Vec<u32>,
}

impl Part {
    fn of(policy: &Policy, reached: &[u32]) -> Part {
        let nodes = policy.nodes.len();
        let mut part = Part {
            first_child: vec![NONE; nodes],
            next_sibling: vec![NONE; nodes],
            tenants: Vec::new(),
        };
        let mut listed = vec![false; nodes];
        for &node in reached {
            // Up from the resource until a listed one: each is listed once.
            let mut at = node;
            while let Some(record) = policy.nodes.get(at as usize) {
                if !record.is_live() {
                    break;
                }
                match listed.get_mut(at as usize) {
                    Some(slot) if !*slot => *slot = true,
                    _ => break,
                }
                let Some(ResourceId(parent)) = record.parent_id() else {
                    part.tenants.push(at);
                    break;
                };
                let head = part
                    .first_child
                    .get(parent as usize)
                    .copied()
                    .unwrap_or(NONE);
                if let Some(next) = part.next_sibling.get_mut(at as usize) {
                    *next = head;
                }
                if let Some(first) = part.first_child.get_mut(parent as usize) {
                    *first = at;
                }
                at = parent;
            }
        }
        part
    }
}

/// One user's access, for a review: what gives them anything, and what
/// they hold at each top-level resource of their tenant. See
/// [`Policy::review_user`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserReview {
    /// The user.
    pub user: UserId,
    /// The teams the user is in.
    pub teams: Vec<TeamId>,
    /// Every grant that reaches the user somewhere, as a decision would
    /// count it (whether or not a deny or an override later cuts it): made
    /// to the user, one of its teams, or `Everyone` in its tenant; for an
    /// allow or override, of a role the user's type may hold; and, for a
    /// conditional grant, whose condition holds for the user on at least
    /// one resource at or below its scope.
    pub grants: Vec<Grant>,
    /// The user's effective permissions at its tenant root and at each of
    /// the root's children (its workspaces), asked through the first channel
    /// the account may use, with MFA passed.
    pub holdings: Vec<(ResourceId, Permissions)>,
}

/// A tenant's access review: the lines an auditor asks for. See
/// [`Policy::review_tenant`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TenantReview {
    /// Users who hold any of the admin powers asked about at the tenant root.
    pub admins: Vec<UserId>,
    /// Active users whom no allow or override grant reaches (not directly,
    /// not through a team, not through `Everyone`; see
    /// [`UserReview::grants`]): [`Policy::authorize`] answers
    /// [`Reason::NotMember`] to everything they ask. Candidates for removal.
    pub holding_nothing: Vec<UserId>,
    /// Suspended or deactivated users whom an allow or override grant of
    /// their own or through a team still reaches: access that comes back on
    /// reactivation.
    pub inactive_with_grants: Vec<UserId>,
    /// API keys of the tenant's users that never expire (and are not revoked).
    pub keys_without_expiry: Vec<KeyId>,
}

/// Where in one tenant a grant's condition can hold, for the reviews: the
/// labels below each resource, gathered once.
struct Reach<'p> {
    policy: &'p Policy,
    /// Per resource: the union of the labels at or below it.
    below: Vec<Labels>,
    /// Per resource: whether some resource at or below it has no labels.
    unlabelled_below: Vec<bool>,
    /// Answers of the subtree searches, by (scope, condition, subject labels).
    searched: BTreeMap<(u32, Condition, Labels), bool>,
}

impl<'p> Reach<'p> {
    /// Gathers the labels of the tenant rooted at `tenant`: linear in its size.
    fn new(policy: &'p Policy, tenant: ResourceId) -> Reach<'p> {
        let nodes = policy.nodes.len();
        let mut reach = Reach {
            policy,
            below: vec![Labels::empty(); nodes],
            unlabelled_below: vec![false; nodes],
            searched: BTreeMap::new(),
        };
        // Parents come before children in `subtree`: gather backwards.
        for &node in policy.subtree(tenant.0).iter().rev() {
            let labels = policy.labels_of(node);
            let (mut union, mut unlabelled) = (labels, labels.is_empty());
            for child in policy.children(node) {
                union |= reach
                    .below
                    .get(child as usize)
                    .copied()
                    .unwrap_or(Labels::empty());
                unlabelled |= reach
                    .unlabelled_below
                    .get(child as usize)
                    .copied()
                    .unwrap_or(false);
            }
            if let Some(slot) = reach.below.get_mut(node as usize) {
                *slot = union;
            }
            if let Some(slot) = reach.unlabelled_below.get_mut(node as usize) {
                *slot = unlabelled;
            }
        }
        reach
    }

    /// Whether a grant at `scope` reaches a subject of `audience` on some
    /// resource at or below `scope`: [`Audience::reached_by`], asked of
    /// every resource there at once.
    fn somewhere(
        &mut self,
        audience: Audience,
        scope: u32,
        effect: Effect,
        eligible: UserTypes,
        condition: Condition,
    ) -> bool {
        if !audience.may_hold(effect, eligible) {
            return false;
        }
        let at = |labels: &[Labels]| labels.get(scope as usize).copied();
        match condition {
            Condition::Always => true,
            // Some resource shares a label with the subject exactly when
            // the union of their labels does.
            Condition::LabelsIntersect => {
                audience.meets(condition, || at(&self.below).unwrap_or(Labels::empty()))
            }
            Condition::LabelsContain => {
                if self
                    .unlabelled_below
                    .get(scope as usize)
                    .copied()
                    .unwrap_or(false)
                {
                    return audience.meets(condition, Labels::empty);
                }
                let policy = self.policy;
                *self
                    .searched
                    .entry((scope, condition, audience.labels))
                    .or_insert_with(|| {
                        policy
                            .subtree(scope)
                            .into_iter()
                            .any(|node| audience.meets(condition, || policy.labels_of(node)))
                    })
            }
        }
    }
}

impl Policy {
    /// One user's access review; `None` for an unknown or removed user.
    ///
    /// # Cost
    ///
    /// Linear in the size of the user's tenant (its resources and their
    /// grants), plus, for conditional grants that only some labelled
    /// resources satisfy, a search of their scope's subtree.
    #[must_use]
    pub fn review_user(&self, user: UserId, now: u64) -> Option<UserReview> {
        let record = self.users.get(user.0 as usize)?;
        // `None` once removed.
        let tenant = record.tenant_id()?;
        let teams: Vec<u32> = self.teams_of(record).to_vec();
        let audience = self.audience_of(user.0, record);
        let mut reach = Reach::new(self, tenant);
        let mut grants = Vec::new();
        for own in self.own_grants(user.0, record) {
            // A user's own grants were checked eligible when made.
            if reach.somewhere(
                audience,
                own.scope,
                own.effect,
                UserTypes::all(),
                own.condition,
            ) {
                grants.push(Grant {
                    principal: Principal::User(user),
                    scope: ResourceId(own.scope),
                    role: RoleId(own.role),
                    effect: own.effect,
                });
            }
        }
        let mut scopes = self.subtree(tenant.0);
        scopes.sort_unstable();
        for scope in scopes {
            let Some(node) = self.nodes.get(scope as usize) else {
                continue;
            };
            for entry in self.group_grants(node) {
                let principal = principal_key::unpack(entry.key);
                let named = match principal {
                    Principal::Team(team) => teams.binary_search(&team.0).is_ok(),
                    Principal::Everyone => true,
                    Principal::User(_) | Principal::Public => false,
                };
                if named
                    && reach.somewhere(
                        audience,
                        scope,
                        entry.effect,
                        entry.eligible,
                        entry.condition,
                    )
                {
                    grants.push(Grant {
                        principal,
                        scope: ResourceId(scope),
                        role: RoleId(entry.role),
                        effect: entry.effect,
                    });
                }
            }
        }
        let subject = self.review_subject(user, record, now);
        let mut tops: Vec<u32> = self.children(tenant.0).collect();
        tops.push(tenant.0);
        tops.sort_unstable();
        let holdings = tops
            .into_iter()
            .map(|node| {
                let resource = ResourceId(node);
                let held = subject.map_or(Permissions::empty(), |s| self.effective(&s, resource));
                (resource, held)
            })
            .collect();
        Some(UserReview {
            user,
            teams: teams.into_iter().map(TeamId).collect(),
            grants,
            holdings,
        })
    }

    /// A tenant's access review. `admin_powers` are the permissions that
    /// make someone an admin in this product (for example
    /// `MANAGE_MEMBERS | MANAGE_SETTINGS`), held at the tenant root.
    ///
    /// # Cost
    ///
    /// Linear in the size of the tenant (its resources, their grants, its
    /// users and their own grants and teams): the group grants are gathered
    /// once per team and for `Everyone`, and whether one of them reaches a
    /// user is settled once per (team, user type, user labels), not per
    /// user. Conditional grants that only some labelled resources satisfy
    /// add a search of their scope's subtree per distinct user labels.
    #[must_use]
    pub fn review_tenant(
        &self,
        tenant: ResourceId,
        admin_powers: Permissions,
        now: u64,
    ) -> TenantReview {
        let mut review = TenantReview::default();
        let mut reach = Reach::new(self, tenant);
        // The allow and override grants of each team (and of `Everyone`,
        // under `None`) in the tenant, with their scopes.
        let mut giving: BTreeMap<Option<TeamId>, Vec<(u32, GrantEntry)>> = BTreeMap::new();
        if self.tenant_of(tenant) == Some(tenant) {
            for scope in self.subtree(tenant.0) {
                let Some(node) = self.nodes.get(scope as usize) else {
                    continue;
                };
                for entry in self.group_grants(node) {
                    let group = match principal_key::unpack(entry.key) {
                        Principal::Team(team) => Some(team),
                        Principal::Everyone => None,
                        Principal::User(_) | Principal::Public => continue,
                    };
                    if entry.effect != Effect::Deny {
                        giving.entry(group).or_default().push((scope, *entry));
                    }
                }
            }
        }
        let mut settled: BTreeMap<(Option<TeamId>, u8, Labels), bool> = BTreeMap::new();
        let mut group_reaches =
            |group: Option<TeamId>, audience: Audience, reach: &mut Reach<'_>| {
                *settled
                    .entry((group, audience.user_type.bits(), audience.labels))
                    .or_insert_with(|| {
                        giving.get(&group).is_some_and(|grants| {
                            grants.iter().any(|(scope, entry)| {
                                reach.somewhere(
                                    audience,
                                    *scope,
                                    entry.effect,
                                    entry.eligible,
                                    entry.condition,
                                )
                            })
                        })
                    })
            };
        for (id, record) in (0u32..).zip(&self.users) {
            if record.tenant != tenant.0 {
                continue;
            }
            let user = UserId(id);
            let held_at_root = self
                .review_subject(user, record, now)
                .map_or(Permissions::empty(), |s| self.effective(&s, tenant));
            if held_at_root.intersects(admin_powers) {
                review.admins.push(user);
            }
            let audience = self.audience_of(id, record);
            let mut own_or_team = self.own_grants(id, record).iter().any(|own| {
                own.effect != Effect::Deny
                    && reach.somewhere(
                        audience,
                        own.scope,
                        own.effect,
                        UserTypes::all(),
                        own.condition,
                    )
            });
            for &team in self.teams_of(record) {
                if own_or_team {
                    break;
                }
                own_or_team = group_reaches(Some(TeamId(team)), audience, &mut reach);
            }
            match self.user_status(id) {
                Status::Active if !own_or_team && !group_reaches(None, audience, &mut reach) => {
                    review.holding_nothing.push(user);
                }
                Status::Suspended | Status::Deactivated if own_or_team => {
                    review.inactive_with_grants.push(user);
                }
                _ => {}
            }
        }
        for (index, key) in self.keys.iter().enumerate() {
            let owner_tenant = key
                .owner_id()
                .and_then(|UserId(owner)| self.users.get(owner as usize))
                .map(|r| r.tenant);
            if owner_tenant == Some(tenant.0) && !key.revoked && key.expires_at.is_none() {
                review
                    .keys_without_expiry
                    .extend(u32::try_from(index).ok().map(KeyId));
            }
        }
        review
    }

    /// The subject a review asks as: the first channel the account may use,
    /// with MFA passed.
    pub(crate) fn review_subject(
        &self,
        user: UserId,
        record: &UserRecord,
        now: u64,
    ) -> Option<Subject> {
        let channel = [Channel::Web, Channel::App, Channel::Api, Channel::Link]
            .into_iter()
            .find(|channel| record.channels().contains(channel.as_set()))?;
        Some(Subject::user(user, channel).with_mfa(true).at(now))
    }
}
