//! The compiled policy and the hot path: [`Policy::authorize`] and
//! [`Policy::effective`].
//!
//! A [`Policy`] is built once by a [`PolicyBuilder`](crate::PolicyBuilder)
//! and then only read, from any number of threads. Everything a decision
//! needs is laid out in flat arrays indexed by dense ids:
//!
//! - one 32-byte node per resource: its parent, tenant, kind, where its
//!   grants start, and a 64-bit *filter* of which principals hold grants
//!   there (one bit per principal, by a multiplicative hash of its id);
//! - the grants of each resource, sorted by principal, so a node with many
//!   grants is searched, not scanned;
//! - each user's teams, sorted, and the user's own filter (the bits of the
//!   user, its teams and `Everyone`);
//! - each role flattened to one [`Permissions`] per [`ResourceKind`].
//!
//! A decision walks from the resource up to its tenant root. A node whose
//! filter shares no bit with the subject's is skipped without touching its
//! grants, which is most folders and flows. No step allocates, hashes a
//! string, locks, or recurses.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::decision::{write_reason, Decision, Names, Reason};
use crate::directory::{Channel, Channels, KeyId, LinkId, Status, TeamId, UserId, UserType};
use crate::grant::{Effect, Principal};
use crate::permission::{Action, Permissions};
use crate::resource::{ResourceId, ResourceKind};
use crate::role::{Flattened, RoleId};
use crate::subject::{Credential, Subject};

/// No parent, no subtree limit, no user: the "none" value of a dense index.
pub(crate) const NONE: u32 = u32::MAX;

/// How many teams one user may be in: a decision tracks overrides per
/// principal in one `u128` (the user, `Everyone`, and up to this many teams).
pub const MAX_TEAMS_PER_USER: usize = 126;

/// Principals are packed into one `u32`: a 2-bit tag above a 30-bit index.
/// Sorting by the packed key groups a node's grants by principal.
pub(crate) mod key {
    use crate::directory::{TeamId, UserId};
    use crate::grant::Principal;

    pub(crate) const SHIFT: u32 = 30;
    pub(crate) const INDEX_MASK: u32 = (1 << SHIFT) - 1;
    /// The largest number of users, or of teams, a policy can hold.
    pub(crate) const MAX_INDEX: usize = INDEX_MASK as usize;
    pub(crate) const USER: u32 = 0;
    pub(crate) const TEAM: u32 = 1 << SHIFT;
    pub(crate) const EVERYONE: u32 = 2 << SHIFT;
    pub(crate) const PUBLIC: u32 = 3 << SHIFT;

    pub(crate) const fn pack(principal: Principal) -> u32 {
        match principal {
            Principal::User(UserId(index)) => USER | (index & INDEX_MASK),
            Principal::Team(TeamId(index)) => TEAM | (index & INDEX_MASK),
            Principal::Everyone => EVERYONE,
            Principal::Public => PUBLIC,
        }
    }

    pub(crate) const fn unpack(key: u32) -> Principal {
        match key >> SHIFT {
            0 => Principal::User(UserId(key & INDEX_MASK)),
            1 => Principal::Team(TeamId(key & INDEX_MASK)),
            2 => Principal::Everyone,
            _ => Principal::Public,
        }
    }

    /// The principal's bit in a 64-bit node or subject filter.
    #[inline]
    pub(crate) const fn filter_bit(key: u32) -> u64 {
        // Fibonacci hashing: the top 6 bits of the product pick the bit.
        1 << ((key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
    }
}

/// One resource, as the hot path sees it. 32 bytes, aligned so that a node
/// never straddles two cache lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(32))]
pub(crate) struct Node {
    /// Bits of the principals holding grants here; 0 when there are none.
    pub(crate) filter: u64,
    pub(crate) parent: u32,
    pub(crate) tenant: u32,
    pub(crate) grants_start: u32,
    pub(crate) grants_len: u32,
    pub(crate) kind: ResourceKind,
}

/// One grant in a node's run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct GrantEntry {
    pub(crate) key: u32,
    pub(crate) effect: Effect,
    pub(crate) role: u32,
}

/// A user, as the hot path sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UserRecord {
    /// Bits of the user, its teams and `Everyone`.
    pub(crate) filter: u64,
    pub(crate) tenant: u32,
    pub(crate) teams_start: u32,
    pub(crate) teams_len: u32,
    pub(crate) channels: Channels,
    pub(crate) user_type: UserType,
    pub(crate) status: Status,
}

/// An API key, as the hot path sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyRecord {
    pub(crate) owner: u32,
    /// The subtree root the key is limited to, or [`NONE`].
    pub(crate) within: u32,
    pub(crate) scope: Permissions,
    /// Exclusive; `u64::MAX` for never.
    pub(crate) expires_at: u64,
    pub(crate) revoked: bool,
}

/// A public link, as the hot path sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LinkRecord {
    pub(crate) resource: u32,
    pub(crate) permissions: Permissions,
    /// Exclusive; `u64::MAX` for never.
    pub(crate) expires_at: u64,
    pub(crate) revoked: bool,
}

/// Names of every entity and the lookups from name to id. Never touched by
/// a decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Catalog {
    pub(crate) resources: Vec<String>,
    pub(crate) users: Vec<String>,
    pub(crate) teams: Vec<String>,
    pub(crate) roles: Vec<String>,
    pub(crate) keys: Vec<String>,
    pub(crate) links: Vec<String>,
    pub(crate) resource_ids: BTreeMap<String, u32>,
    pub(crate) user_ids: BTreeMap<String, u32>,
    pub(crate) team_ids: BTreeMap<String, u32>,
    pub(crate) role_ids: BTreeMap<String, u32>,
    pub(crate) key_ids: BTreeMap<String, u32>,
    pub(crate) link_ids: BTreeMap<String, u32>,
}

/// The compiled authorization model. See the [module docs](self) and
/// [`PolicyBuilder`](crate::PolicyBuilder).
///
/// `Policy` is `Send + Sync + Clone`: share one behind an `Arc` across
/// threads; every question takes `&self`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub(crate) nodes: Vec<Node>,
    pub(crate) grants: Vec<GrantEntry>,
    pub(crate) roles: Vec<Flattened>,
    pub(crate) users: Vec<UserRecord>,
    /// Each user's team indices, sorted; `users[u].teams_start..+teams_len`.
    pub(crate) user_teams: Vec<u32>,
    pub(crate) keys: Vec<KeyRecord>,
    pub(crate) links: Vec<LinkRecord>,
    pub(crate) mfa_required: Permissions,
    pub(crate) catalog: Catalog,
}

/// The principals a subject acts as, borrowed from the policy.
#[derive(Clone, Copy)]
struct Principals<'p> {
    /// The user's packed key, or [`NONE`] for a link.
    user: u32,
    teams: &'p [u32],
    /// A link acts only as [`Principal::Public`]; a user or key acts as
    /// itself, its teams and [`Principal::Everyone`].
    public: bool,
    filter: u64,
}

impl Principals<'_> {
    /// The principal's position among the subject's (its bit in the override
    /// cut mask), or `None` when the subject is not that principal.
    #[inline]
    fn position(&self, principal: u32) -> Option<u32> {
        match principal >> key::SHIFT {
            0 => (principal == self.user).then_some(0),
            1 => self
                .teams
                .binary_search(&(principal & key::INDEX_MASK))
                .ok()
                // At most MAX_TEAMS_PER_USER teams, checked at build: fits.
                .map(|i| 2 + i as u32),
            2 => (!self.public).then_some(1),
            _ => self.public.then_some(0),
        }
    }
}

/// What one walk from a resource to its root found.
#[derive(Clone, Copy)]
struct Walk {
    /// Permissions from every counted allow and override grant.
    allow: Permissions,
    /// Permissions removed by deny grants.
    deny: Permissions,
    /// Permissions of allow grants that an override below cut off, as far
    /// as they intersect the permissions asked for.
    lost: Permissions,
    /// The first principal whose cut-off grant would have given something asked for.
    lost_principal: u32,
    /// Whether any grant at all (of any effect) matched the subject.
    matched: bool,
    /// The nearest counted grant giving something asked for: (principal, scope, role).
    granted: Option<(u32, u32, u32)>,
    /// The nearest deny grant removing something asked for: (principal, scope).
    denied: Option<(u32, u32)>,
    /// Whether the walk passed the subtree root it was told to look for.
    passed: bool,
}

impl Policy {
    /// May `subject` do `action` on `resource`? Deny by default.
    ///
    /// The checks run in this order, and the first that fails decides the
    /// [`Reason`]: the subject and resource are known; the account (for a
    /// key, its owner) is active and the key or link is neither revoked nor
    /// expired; the resource is in the account's tenant; the channel is one
    /// the account may use; grants reach the resource (walking up, with
    /// overrides cutting inheritance per principal); no deny grant removes
    /// the permission; the key's or link's limits and the MFA guard keep it.
    ///
    /// Never allocates, never panics: unknown ids are denied with a reason.
    #[inline]
    pub fn authorize(&self, subject: &Subject, action: Action, resource: ResourceId) -> Decision {
        Decision::new(self.decide(subject, action.permissions(), resource))
    }

    /// Every permission `subject` holds on `resource`, after every check
    /// [`authorize`](Policy::authorize) makes: `authorize` allows an action
    /// exactly when this contains all of the action's permissions. Empty
    /// when any check fails.
    #[must_use]
    pub fn effective(&self, subject: &Subject, resource: ResourceId) -> Permissions {
        let Ok(context) = self.context(subject, resource) else {
            return Permissions::empty();
        };
        let walk = self.walk(&context, resource.0, Permissions::empty());
        let mut permissions = (walk.allow - walk.deny) & context.ceiling;
        if context.within != NONE && !walk.passed {
            permissions = Permissions::empty();
        }
        if !subject.mfa() {
            permissions -= self.mfa_required;
        }
        permissions
    }

    fn decide(&self, subject: &Subject, needed: Permissions, resource: ResourceId) -> Reason {
        let context = match self.context(subject, resource) {
            Ok(context) => context,
            Err(reason) => return reason,
        };
        if needed.is_empty() {
            return Reason::EmptyAction;
        }
        let walk = self.walk(&context, resource.0, needed);

        // Step 5: grants.
        if !needed.difference(walk.allow).is_empty() {
            let missing = needed - walk.allow;
            if !walk.matched {
                return Reason::NotMember;
            }
            if missing.intersects(walk.lost) {
                return Reason::Overridden {
                    at: ResourceId(self.override_of(walk.lost_principal, resource.0)),
                };
            }
            return Reason::RoleLacks { missing };
        }
        // Step 6: deny wins.
        if let Some((principal, at)) = walk.denied {
            return Reason::Denied {
                at: ResourceId(at),
                principal: key::unpack(principal),
            };
        }
        // Step 7: ceilings.
        if context.within != NONE && !walk.passed {
            return if context.is_link {
                Reason::LinkOutOfScope
            } else {
                Reason::KeyOutOfScope
            };
        }
        let beyond_ceiling = needed - context.ceiling;
        if !beyond_ceiling.is_empty() {
            return if context.is_link {
                Reason::LinkLacks {
                    missing: beyond_ceiling,
                }
            } else {
                Reason::KeyLacks {
                    missing: beyond_ceiling,
                }
            };
        }
        if !subject.mfa() && needed.intersects(self.mfa_required) {
            return Reason::MfaRequired {
                missing: needed & self.mfa_required,
            };
        }
        // Step 8: allowed, and `granted` is set: every needed bit is in
        // `allow`, so some counted grant intersected `needed`.
        match walk.granted {
            Some((principal, scope, role)) => Reason::Granted {
                principal: key::unpack(principal),
                scope: ResourceId(scope),
                role: RoleId(role),
            },
            None => Reason::RoleLacks { missing: needed },
        }
    }

    /// Steps 1 to 4: who the subject acts as, or the reason it may not act.
    #[inline]
    fn context(&self, subject: &Subject, resource: ResourceId) -> Result<Context<'_>, Reason> {
        let now = subject.now();
        // Step 1 (known) and step 2 (lifecycle of the key or link itself).
        let (user_index, ceiling, within) = match subject.credential() {
            Credential::User(user) => (user.0, Permissions::all(), NONE),
            Credential::Key(KeyId(index)) => {
                let key = self
                    .keys
                    .get(index as usize)
                    .ok_or(Reason::UnknownSubject)?;
                if self.users.get(key.owner as usize).is_none() {
                    return Err(Reason::UnknownSubject);
                }
                let node = self.node(resource)?;
                self.check_owner_lifecycle(key.owner, now)?;
                if key.revoked {
                    return Err(Reason::KeyRevoked);
                }
                if now >= key.expires_at {
                    return Err(Reason::KeyExpired);
                }
                return self.user_context(key.owner, node, Channel::Api, key.scope, key.within);
            }
            Credential::Link(LinkId(index)) => {
                let link = self
                    .links
                    .get(index as usize)
                    .ok_or(Reason::UnknownSubject)?;
                let node = self.node(resource)?;
                if link.revoked {
                    return Err(Reason::LinkRevoked);
                }
                if now >= link.expires_at {
                    return Err(Reason::LinkExpired);
                }
                let link_tenant = self
                    .nodes
                    .get(link.resource as usize)
                    .map_or(NONE, |n| n.tenant);
                if node.tenant != link_tenant {
                    return Err(Reason::WrongTenant);
                }
                if subject.channel() != Channel::Link {
                    return Err(Reason::ChannelNotAllowed {
                        channel: subject.channel(),
                    });
                }
                return Ok(Context {
                    principals: Principals {
                        user: NONE,
                        teams: &[],
                        public: true,
                        filter: key::filter_bit(key::PUBLIC),
                    },
                    ceiling: link.permissions,
                    within: link.resource,
                    is_link: true,
                    kind: node.kind,
                });
            }
        };
        if self.users.get(user_index as usize).is_none() {
            return Err(Reason::UnknownSubject);
        }
        let node = self.node(resource)?;
        self.check_owner_lifecycle(user_index, now)?;
        self.user_context(user_index, node, subject.channel(), ceiling, within)
    }

    #[inline]
    fn node(&self, resource: ResourceId) -> Result<&Node, Reason> {
        self.nodes
            .get(resource.0 as usize)
            .ok_or(Reason::UnknownResource)
    }

    /// Step 2 for an account: only `Active` may act.
    #[inline]
    fn check_owner_lifecycle(&self, user: u32, now: u64) -> Result<(), Reason> {
        let record = self
            .users
            .get(user as usize)
            .ok_or(Reason::UnknownSubject)?;
        match record.status {
            Status::Active => Ok(()),
            Status::Suspended => Err(Reason::Suspended),
            Status::Deactivated => Err(Reason::Deactivated),
            Status::Invited { until } if now < until => Err(Reason::InvitationPending),
            Status::Invited { .. } => Err(Reason::InvitationExpired),
        }
    }

    /// Steps 3 and 4 for a user or a key's owner.
    #[inline]
    fn user_context(
        &self,
        user: u32,
        node: &Node,
        channel: Channel,
        ceiling: Permissions,
        within: u32,
    ) -> Result<Context<'_>, Reason> {
        let record = self
            .users
            .get(user as usize)
            .ok_or(Reason::UnknownSubject)?;
        if node.tenant != record.tenant {
            return Err(Reason::WrongTenant);
        }
        if !record.channels.contains(channel.as_set()) {
            return Err(Reason::ChannelNotAllowed { channel });
        }
        let start = record.teams_start as usize;
        let teams = self
            .user_teams
            .get(start..start + record.teams_len as usize)
            .unwrap_or(&[]);
        Ok(Context {
            principals: Principals {
                user: key::USER | user,
                teams,
                public: false,
                filter: record.filter,
            },
            ceiling,
            within,
            is_link: false,
            kind: node.kind,
        })
    }

    /// Steps 5 and 6: walk from `resource` to its root, collecting the
    /// subject's grants. `needed` only steers which grants are remembered
    /// for the reason; the permissions collected do not depend on it.
    #[inline]
    fn walk(&self, context: &Context<'_>, resource: u32, needed: Permissions) -> Walk {
        let principals = &context.principals;
        let kind = context.kind.index();
        let mut walk = Walk {
            allow: Permissions::empty(),
            deny: Permissions::empty(),
            lost: Permissions::empty(),
            lost_principal: NONE,
            matched: false,
            granted: None,
            denied: None,
            passed: context.within == NONE,
        };
        // Bit i set: principal i was cut by an override below the current node.
        let mut cut: u128 = 0;
        let mut at = resource;
        while let Some(node) = self.nodes.get(at as usize) {
            if at == context.within {
                walk.passed = true;
            }
            if node.filter & principals.filter != 0 {
                let start = node.grants_start as usize;
                let run = self
                    .grants
                    .get(start..start + node.grants_len as usize)
                    .unwrap_or(&[]);
                let mut cut_here: u128 = 0;
                let mut visit = |entry: &GrantEntry, position: u32| {
                    let permissions = self
                        .roles
                        .get(entry.role as usize)
                        .and_then(|role| role.get(kind))
                        .copied()
                        .unwrap_or_else(Permissions::empty);
                    walk.matched = true;
                    let bit = 1u128 << position;
                    match entry.effect {
                        Effect::Deny => {
                            walk.deny |= permissions;
                            if walk.denied.is_none() && permissions.intersects(needed) {
                                walk.denied = Some((entry.key, at));
                            }
                        }
                        Effect::Allow | Effect::Override => {
                            if cut & bit != 0 {
                                let lost = permissions & needed;
                                if !lost.is_empty() && walk.lost.is_empty() {
                                    walk.lost_principal = entry.key;
                                }
                                walk.lost |= lost;
                                return;
                            }
                            if entry.effect == Effect::Override {
                                cut_here |= bit;
                            }
                            walk.allow |= permissions;
                            if walk.granted.is_none() && permissions.intersects(needed) {
                                walk.granted = Some((entry.key, at, entry.role));
                            }
                        }
                    }
                };
                if run.len() <= LINEAR_RUN {
                    for entry in run {
                        if key::filter_bit(entry.key) & principals.filter == 0 {
                            continue;
                        }
                        if let Some(position) = principals.position(entry.key) {
                            visit(entry, position);
                        }
                    }
                } else {
                    // A long run (a workspace with many members): search
                    // it for each of the subject's principals instead.
                    let mut search = |principal: u32, position: u32| {
                        if node.filter & key::filter_bit(principal) == 0 {
                            return;
                        }
                        let first = run.partition_point(|entry| entry.key < principal);
                        for entry in run.iter().skip(first) {
                            if entry.key != principal {
                                break;
                            }
                            visit(entry, position);
                        }
                    };
                    if principals.public {
                        search(key::PUBLIC, 0);
                    } else {
                        search(principals.user, 0);
                        search(key::EVERYONE, 1);
                        for (i, team) in principals.teams.iter().enumerate() {
                            search(key::TEAM | team, 2 + i as u32);
                        }
                    }
                }
                cut |= cut_here;
            }
            at = node.parent;
        }
        walk
    }

    /// The nearest override grant for `principal` on the path from
    /// `resource` up (the cold path of an `Overridden` denial).
    fn override_of(&self, principal: u32, resource: u32) -> u32 {
        let mut at = resource;
        while let Some(node) = self.nodes.get(at as usize) {
            let start = node.grants_start as usize;
            let run = self
                .grants
                .get(start..start + node.grants_len as usize)
                .unwrap_or(&[]);
            if run
                .iter()
                .any(|entry| entry.key == principal && entry.effect == Effect::Override)
            {
                return at;
            }
            at = node.parent;
        }
        resource
    }
}

/// Runs of at most this many grants are scanned; longer ones are searched.
const LINEAR_RUN: usize = 8;

/// What steps 1 to 4 establish about a request.
struct Context<'p> {
    principals: Principals<'p>,
    /// The key's scope or the link's permissions; everything for a user.
    ceiling: Permissions,
    /// The key's or link's subtree root, or [`NONE`].
    within: u32,
    is_link: bool,
    kind: ResourceKind,
}

/// Lookups between names and ids, and names for explanations.
impl Policy {
    /// The id of the resource named `name`.
    #[must_use]
    pub fn resource_id(&self, name: &str) -> Option<ResourceId> {
        self.catalog.resource_ids.get(name).copied().map(ResourceId)
    }

    /// The id of the user named `name`.
    #[must_use]
    pub fn user_id(&self, name: &str) -> Option<UserId> {
        self.catalog.user_ids.get(name).copied().map(UserId)
    }

    /// The id of the team named `name`.
    #[must_use]
    pub fn team_id(&self, name: &str) -> Option<TeamId> {
        self.catalog.team_ids.get(name).copied().map(TeamId)
    }

    /// The id of the role named `name`.
    #[must_use]
    pub fn role_id(&self, name: &str) -> Option<RoleId> {
        self.catalog.role_ids.get(name).copied().map(RoleId)
    }

    /// The id of the API key named `name`.
    #[must_use]
    pub fn key_id(&self, name: &str) -> Option<KeyId> {
        self.catalog.key_ids.get(name).copied().map(KeyId)
    }

    /// The id of the public link named `name`.
    #[must_use]
    pub fn link_id(&self, name: &str) -> Option<LinkId> {
        self.catalog.link_ids.get(name).copied().map(LinkId)
    }

    /// The name of a resource.
    #[must_use]
    pub fn resource_name(&self, id: ResourceId) -> Option<&str> {
        self.catalog
            .resources
            .get(id.0 as usize)
            .map(String::as_str)
    }

    /// The name of a user.
    #[must_use]
    pub fn user_name(&self, id: UserId) -> Option<&str> {
        self.catalog.users.get(id.0 as usize).map(String::as_str)
    }

    /// The name of a team.
    #[must_use]
    pub fn team_name(&self, id: TeamId) -> Option<&str> {
        self.catalog.teams.get(id.0 as usize).map(String::as_str)
    }

    /// The name of a role.
    #[must_use]
    pub fn role_name(&self, id: RoleId) -> Option<&str> {
        self.catalog.roles.get(id.0 as usize).map(String::as_str)
    }

    /// The kind of a resource.
    #[must_use]
    pub fn resource_kind(&self, id: ResourceId) -> Option<ResourceKind> {
        self.nodes.get(id.0 as usize).map(|node| node.kind)
    }

    /// The parent of a resource (`None` for a tenant root or an unknown id).
    #[must_use]
    pub fn parent(&self, id: ResourceId) -> Option<ResourceId> {
        self.nodes
            .get(id.0 as usize)
            .filter(|node| node.parent != NONE)
            .map(|node| ResourceId(node.parent))
    }

    /// The tenant (root) a resource belongs to.
    #[must_use]
    pub fn tenant_of(&self, id: ResourceId) -> Option<ResourceId> {
        self.nodes
            .get(id.0 as usize)
            .map(|node| ResourceId(node.tenant))
    }

    /// How many resources the policy holds (ids are `0..count`).
    #[must_use]
    pub fn resource_count(&self) -> usize {
        self.nodes.len()
    }

    /// How many users the policy holds (ids are `0..count`).
    #[must_use]
    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// The permissions guarded by MFA: removed unless the session passed it.
    #[must_use]
    pub fn mfa_required(&self) -> Permissions {
        self.mfa_required
    }

    /// The reason's sentence with entities named by the names the host gave
    /// them, rather than by id.
    ///
    /// ```
    /// # use clearance::*;
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("sales", ResourceKind::Workspace, "acme")
    ///     .role(Role::new("viewer").allow([ResourceKind::Workspace], Permissions::VIEW))
    ///     .user(User::new("ann", "acme"))
    ///     .grant(Grantee::user("ann"), "sales", "viewer", Effect::Allow)
    ///     .build()?;
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web);
    /// let sales = policy.resource_id("sales").unwrap();
    /// let decision = policy.authorize(&ann, Action::View, sales);
    /// assert_eq!(
    ///     policy.explain(decision.reason()).to_string(),
    ///     r#"allowed: user "ann" holds the role "viewer" on workspace "sales""#,
    /// );
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn explain(&self, reason: Reason) -> Explanation<'_> {
        Explanation {
            policy: self,
            reason,
        }
    }
}

/// A [`Reason`] with the names of the entities it mentions; see
/// [`Policy::explain`]. Formatting it allocates nothing.
#[derive(Clone, Copy)]
pub struct Explanation<'p> {
    policy: &'p Policy,
    reason: Reason,
}

impl fmt::Debug for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Explanation")
            .field("reason", &self.reason)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_reason(f, &self.reason, self.policy)
    }
}

impl Names for Policy {
    fn resource(&self, f: &mut fmt::Formatter<'_>, id: ResourceId) -> fmt::Result {
        match (self.resource_kind(id), self.resource_name(id)) {
            (Some(kind), Some(name)) => write!(f, "{kind} {name:?}"),
            _ => fmt::Display::fmt(&id, f),
        }
    }

    fn principal(&self, f: &mut fmt::Formatter<'_>, principal: Principal) -> fmt::Result {
        match principal {
            Principal::User(id) => match self.user_name(id) {
                Some(name) => write!(f, "user {name:?}"),
                None => fmt::Display::fmt(&id, f),
            },
            Principal::Team(id) => match self.team_name(id) {
                Some(name) => write!(f, "team {name:?}"),
                None => fmt::Display::fmt(&id, f),
            },
            Principal::Everyone | Principal::Public => fmt::Display::fmt(&principal, f),
        }
    }

    fn role(&self, f: &mut fmt::Formatter<'_>, id: RoleId) -> fmt::Result {
        match self.role_name(id) {
            Some(name) => write!(f, "the role {name:?}"),
            None => fmt::Display::fmt(&id, f),
        }
    }
}
