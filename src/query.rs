//! Reverse questions: which resources a subject may act on, and who may act
//! on a resource. The concept is documented on [`Policy::accessible`] and
//! [`Policy::who_can`], where users read it.

use alloc::vec;
use alloc::vec::Vec;

use crate::decision::Reason;
use crate::directory::{Channel, KeyId, Status, TeamId, UserId};
use crate::grant::{Grant, Principal};
use crate::permission::{Action, Permissions};
use crate::policy::{key, Policy, UserRecord, NONE, REMOVED};
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
    /// resource to its children (see `Policy::accessible_down` in the
    /// source for the few cases decided one by one).
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
/// Cost: the two policies are compared part by part (roles, each
/// resource's grants and labels, each user's record, teams and own grants);
/// only pairs that a difference can reach are then decided, twice. A grant
/// change on a folder costs (users of the tenant) × (resources in the
/// folder's subtree) decisions; a change of one user's teams or grants costs
/// (resources of the tenant) decisions; a role change, every pair.
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
    // Resources whose own grants, labels, place or kind changed: the roots
    // of the subtrees a change reaches.
    let mut dirty_nodes: Vec<u32> = Vec::new();
    for index in 0..nodes {
        let same = match (before.nodes.get(index), after.nodes.get(index)) {
            (Some(a), Some(b)) => {
                a.parent == b.parent
                    && a.tenant == b.tenant
                    && a.kind == b.kind
                    && before.labels.get(index) == after.labels.get(index)
                    && before.group_grants(a) == after.group_grants(b)
            }
            _ => false,
        };
        if everything || !same {
            dirty_nodes.extend(u32::try_from(index).ok());
        }
    }
    let mut dirty_users: Vec<u32> = Vec::new();
    for index in 0..users {
        let id = u32::try_from(index).unwrap_or(NONE);
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
    // Every resource below a dirty one (in either policy's tree).
    let mut reached = vec![false; nodes];
    for policy in [before, after] {
        for index in 0..nodes {
            let mut at = index;
            let mut hit = false;
            let mut steps = 0;
            while let Some(node) = policy.nodes.get(at) {
                if dirty_nodes
                    .binary_search(&u32::try_from(at).unwrap_or(NONE))
                    .is_ok()
                {
                    hit = true;
                    break;
                }
                if node.parent == NONE || steps > nodes {
                    break;
                }
                at = node.parent as usize;
                steps += 1;
            }
            if hit {
                if let Some(slot) = reached.get_mut(index) {
                    *slot = true;
                }
            }
        }
    }
    let mut found = Vec::new();
    let mut compare = |user: u32, resource: u32| {
        let ask = |policy: &Policy| {
            let Some(record) = policy.users.get(user as usize) else {
                return Permissions::empty();
            };
            let Some(channel) = [Channel::Web, Channel::App, Channel::Api, Channel::Link]
                .into_iter()
                .find(|channel| record.channels().contains(channel.as_set()))
            else {
                return Permissions::empty();
            };
            let subject = Subject::user(UserId(user), channel).with_mfa(true).at(now);
            policy.effective(&subject, ResourceId(resource))
        };
        let (old, new) = (ask(before), ask(after));
        if old != new {
            found.push(Difference {
                user: UserId(user),
                resource: ResourceId(resource),
                gained: new - old,
                lost: old - new,
            });
        }
    };
    for user in 0..users {
        let Ok(user) = u32::try_from(user) else { break };
        let user_dirty = dirty_users.binary_search(&user).is_ok();
        for (resource, &is_reached) in reached.iter().enumerate() {
            let Ok(resource) = u32::try_from(resource) else {
                break;
            };
            if user_dirty || is_reached {
                compare(user, resource);
            }
        }
    }
    found
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
    /// Every grant that names the user, one of its teams, or `Everyone` in
    /// its tenant (whether or not a deny or an override later cuts it).
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
    /// Active users to whom no grant at all applies (not directly, not
    /// through a team, not through `Everyone`): candidates for removal.
    pub holding_nothing: Vec<UserId>,
    /// Suspended or deactivated users who still hold grants of their own or
    /// through teams: access that comes back on reactivation.
    pub inactive_with_grants: Vec<UserId>,
    /// API keys of the tenant's users that never expire (and are not revoked).
    pub keys_without_expiry: Vec<KeyId>,
}

impl Policy {
    /// One user's access review; `None` for an unknown or removed user.
    #[must_use]
    pub fn review_user(&self, user: UserId, now: u64) -> Option<UserReview> {
        let record = self
            .users
            .get(user.0 as usize)
            .filter(|r| r.tenant != REMOVED)?;
        let teams: Vec<u32> = self.teams_of(record).to_vec();
        let mut grants = Vec::new();
        for own in self.own_grants(user.0, record) {
            grants.push(Grant {
                principal: Principal::User(user),
                scope: ResourceId(own.scope),
                role: RoleId(own.role),
                effect: own.effect,
            });
        }
        for (index, node) in self.nodes.iter().enumerate() {
            if node.tenant != record.tenant {
                continue;
            }
            for entry in self.group_grants(node) {
                let principal = key::unpack(entry.key);
                let applies = match principal {
                    Principal::Team(team) => teams.contains(&team.0),
                    Principal::Everyone => true,
                    Principal::User(_) | Principal::Public => false,
                };
                if applies {
                    grants.push(Grant {
                        principal,
                        scope: ResourceId(u32::try_from(index).unwrap_or(NONE)),
                        role: RoleId(entry.role),
                        effect: entry.effect,
                    });
                }
            }
        }
        let subject = self.review_subject(user.0, record, now);
        let holdings = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(index, node)| {
                node.tenant == record.tenant
                    && (node.parent == record.tenant || *index == record.tenant as usize)
            })
            .filter_map(|(index, _)| {
                let resource = ResourceId(u32::try_from(index).ok()?);
                let held = subject.map_or(Permissions::empty(), |s| self.effective(&s, resource));
                Some((resource, held))
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
    #[must_use]
    pub fn review_tenant(
        &self,
        tenant: ResourceId,
        admin_powers: Permissions,
        now: u64,
    ) -> TenantReview {
        let mut review = TenantReview::default();
        for (index, record) in self.users.iter().enumerate() {
            if record.tenant != tenant.0 {
                continue;
            }
            let Ok(id) = u32::try_from(index) else { break };
            let user = UserId(id);
            let Some(user_review) = self.review_user(user, now) else {
                continue;
            };
            let held_at_root = self
                .review_subject(id, record, now)
                .map_or(Permissions::empty(), |s| self.effective(&s, tenant));
            if held_at_root.intersects(admin_powers) {
                review.admins.push(user);
            }
            let own_or_team = user_review
                .grants
                .iter()
                .any(|grant| !matches!(grant.principal, Principal::Everyone));
            match self.user_status(id) {
                Status::Active if user_review.grants.is_empty() => {
                    review.holding_nothing.push(user)
                }
                Status::Suspended | Status::Deactivated if own_or_team => {
                    review.inactive_with_grants.push(user);
                }
                _ => {}
            }
        }
        for (index, key) in self.keys.iter().enumerate() {
            let owner_tenant = self.users.get(key.owner as usize).map(|r| r.tenant);
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
    fn review_subject(&self, user: u32, record: &UserRecord, now: u64) -> Option<Subject> {
        let channel = [Channel::Web, Channel::App, Channel::Api, Channel::Link]
            .into_iter()
            .find(|channel| record.channels().contains(channel.as_set()))?;
        Some(Subject::user(UserId(user), channel).with_mfa(true).at(now))
    }
}
