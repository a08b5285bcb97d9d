//! The hot path: [`Policy::authorize`], [`Policy::effective`] and
//! [`Policy::effective_many`], and the one rule of which grant reaches which
//! subject ([`Audience`]).
//!
//! Owns: the order of the checks (documented on [`Policy::authorize`]), the
//! walk up from a resource and the reason of every decision. Must never:
//! allocate (but for the `Vec` that `effective_many` returns, one per
//! call), hash a string, take a lock, recurse, or write the policy.
//!
//! The small readers of the layout it shares with the store, changes,
//! queries and authority (`group_grants`, `teams_of`, `own_grants`,
//! `labels_of`, `role_permissions`, `is_within`) are in
//! [`layout`](super::layout), one way to read each run; the cold reasons
//! of a deactivated or invited account and of an expiry are in
//! [`denials`](super::denials).

use alloc::vec::Vec;

use crate::decision::{Decision, Reason};
use crate::directory::{Channel, KeyId, LinkId, UserId, UserTypes};
use crate::grant::Effect;
use crate::label::{Condition, Labels};
use crate::permission::{Action, Permissions};
use crate::resource::{ResourceId, ResourceKind};
use crate::role::RoleId;
use crate::subject::{Credential, Subject};

use super::denials::expired;
use super::walk::{Findings, WalkUp};
use super::*;

/// Who a subject is, as far as the grants of its principals care: its
/// type (for role eligibility) and its labels (for conditions).
///
/// [`Audience::reached_by`] is the one rule of whether a grant of one of
/// the subject's principals (the user, one of its teams, `Everyone`, or
/// `Public` for a link) reaches it. A decision, `accessible`, the access
/// reviews and the checks of changes all ask it, so that they can never
/// disagree on who a grant gives something to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Audience {
    /// The subject's type as a one-element set (`PUBLIC` for a link).
    pub(crate) user_type: UserTypes,
    /// The subject's labels (none for a link).
    pub(crate) labels: Labels,
}

impl Audience {
    /// Whether a grant with `effect`, of a role open to `eligible`, made
    /// `when` `condition` holds, reaches this subject on a resource
    /// labelled `target` (read only for a conditional grant).
    ///
    /// An allow or override reaches only a subject whose type may hold its
    /// role ([`may_hold`](Audience::may_hold)); then, like a deny, only
    /// where its condition holds ([`meets`](Audience::meets)). A user's own
    /// grants were checked eligible when made, so they need only `meets`.
    #[inline]
    pub(crate) fn reached_by(
        self,
        effect: Effect,
        eligible: UserTypes,
        condition: Condition,
        target: impl FnOnce() -> Labels,
    ) -> bool {
        self.may_hold(effect, eligible) && self.meets(condition, target)
    }

    /// The half of [`reached_by`](Audience::reached_by) that does not
    /// depend on the resource: eligibility limits who may hold a role, not
    /// who may lose one, so a deny reaches every type.
    #[inline]
    pub(crate) fn may_hold(self, effect: Effect, eligible: UserTypes) -> bool {
        effect == Effect::Deny || eligible.intersects(self.user_type)
    }

    /// The half of [`reached_by`](Audience::reached_by) that depends on the
    /// resource: whether `condition` holds for this subject on a resource
    /// labelled `target` (read only for a conditional grant).
    #[inline]
    pub(crate) fn meets(self, condition: Condition, target: impl FnOnce() -> Labels) -> bool {
        condition == Condition::Always || condition.holds(self.labels, target())
    }
}

/// The principals a subject acts as, borrowed from the policy.
#[derive(Clone, Copy)]
pub(crate) struct Principals<'p> {
    /// The user's packed key, or [`NONE`] for a link.
    pub(crate) user: u32,
    /// The account's record (`None` for a link), from which its own grants
    /// and labels are read when they are needed
    /// ([`grants`](Principals::grants), [`labels`](Principals::labels)):
    /// most walks need neither.
    pub(crate) record: Option<&'p UserRecord>,
    /// Bits of the scopes of the user's own grants.
    pub(crate) scope_filter: u64,
    pub(crate) teams: &'p [u32],
    /// A link acts only as [`Principal::Public`](crate::Principal::Public); a user or key acts as
    /// itself, its teams and [`Principal::Everyone`](crate::Principal::Everyone).
    pub(crate) public: bool,
    /// Bits of the group principals (teams and `Everyone`, or `Public`).
    pub(crate) filter: u64,
    /// The account's type (`PUBLIC` for a link), for role eligibility.
    pub(crate) user_type: UserTypes,
}

impl<'p> Principals<'p> {
    /// The user's own grants in `policy`, sorted by scope (none for a link).
    #[inline]
    pub(crate) fn grants(&self, policy: &'p Policy) -> &'p [UserGrant] {
        self.record.map_or(&[], |record| {
            policy.own_grants(self.user & principal_key::INDEX_MASK, record)
        })
    }

    /// The account's labels in `policy` (none for a link), for conditional
    /// grants.
    #[inline]
    pub(crate) fn labels(&self, policy: &Policy) -> Labels {
        if self.record.is_some() {
            policy.user_labels_of(self.user & principal_key::INDEX_MASK)
        } else {
            Labels::empty()
        }
    }

    /// The subject's type and labels in `policy`, for
    /// [`Audience::reached_by`].
    #[inline]
    pub(crate) fn audience(&self, policy: &Policy) -> Audience {
        Audience {
            user_type: self.user_type,
            labels: self.labels(policy),
        }
    }

    /// The principal's position among the subject's (its bit in the override
    /// cut mask), or `None` when the subject is not that principal.
    #[inline]
    pub(crate) fn position(&self, principal: u32) -> Option<u32> {
        // Node runs hold group grants only: no user keys.
        if principal < principal_key::EVERYONE {
            let team = principal & principal_key::INDEX_MASK;
            // At most MAX_TEAMS_PER_USER teams, checked at build: fits.
            let found = if self.teams.len() <= 8 {
                self.teams.iter().position(|&t| t == team)
            } else {
                self.teams.binary_search(&team).ok()
            };
            found.map(|i| 2 + i as u32)
        } else if principal == principal_key::EVERYONE {
            (!self.public).then_some(1)
        } else {
            self.public.then_some(0)
        }
    }
}

impl Policy {
    /// May `subject` do `action` on `resource`? Deny by default.
    ///
    /// The checks run in this order, and the first that fails decides the
    /// [`Reason`]: the subject is known; its own state holds (the account,
    /// for a key its owner, is active; the key or link is neither revoked
    /// nor expired, [`Reason::TimeUnknown`] when it has an expiry and the
    /// subject no time; the channel is one the account may use), checked
    /// before anything about the resource so that it answers the same
    /// whatever is asked about ([`Reason::is_about_the_caller`]); the
    /// resource is known and in the account's (or link's) tenant; a key or
    /// link limited to a subtree is asked about a resource inside it; grants reach the resource (walking up, with
    /// overrides cutting inheritance per principal); no deny grant removes
    /// the permission; the key's scope, the link's permissions and the MFA
    /// guard keep it.
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
        self.effective_with_kind(subject, resource, None)
    }

    /// [`effective`](Policy::effective), with roles read for `kind` instead
    /// of the resource's own kind when given: what the subject holds at
    /// `resource` over resources of `kind` below it.
    #[inline]
    pub(crate) fn effective_with_kind(
        &self,
        subject: &Subject,
        resource: ResourceId,
        kind: Option<ResourceKind>,
    ) -> Permissions {
        let Ok(mut placed) = self
            .prepare(subject)
            .and_then(|prepared| self.place_checked(&prepared, resource))
        else {
            return Permissions::empty();
        };
        if let Some(kind) = kind {
            placed.kind = kind;
        }
        // Nothing on the path for the subject's principals: nothing held,
        // and their runs and labels are never read.
        let Some(start) = self.first_holding(placed.filters(), (resource.0, placed.node)) else {
            return Permissions::empty();
        };
        let context = self.context_of(&placed);
        self.permissions_from(subject, &context, resource, start)
    }

    /// Steps 5 to 7 without a reason: every permission that survives.
    // inline(always): +2 instr/request (effective) as plain #[inline], authorize
    // unchanged; cachegrind on the random batch, issue 15
    #[inline(always)]
    fn permissions(
        &self,
        subject: &Subject,
        context: &Context<'_>,
        resource: ResourceId,
    ) -> Permissions {
        let principals = &context.principals;
        let filters = (principals.filter, principals.scope_filter);
        let start = self.nodes.get(resource.0 as usize);
        match start.and_then(|node| self.first_holding(filters, (resource.0, node))) {
            Some(start) => self.permissions_from(subject, context, resource, start),
            None => Permissions::empty(),
        }
    }

    /// [`permissions`](Policy::permissions), walking up from `start`, the
    /// first node on the path that may hold something for the subject.
    #[inline(always)]
    fn permissions_from(
        &self,
        subject: &Subject,
        context: &Context<'_>,
        resource: ResourceId,
        start: (u32, &Node),
    ) -> Permissions {
        let walk = self.walk_from(
            context.principals,
            context.kind,
            resource.0,
            start,
            Permissions::empty(),
        );
        let mut permissions = (walk.allow - walk.deny) & context.ceiling;
        if !subject.mfa() {
            permissions -= self.mfa_required;
        }
        permissions
    }

    fn decide(&self, subject: &Subject, needed: Permissions, resource: ResourceId) -> Reason {
        let placed = match self
            .prepare(subject)
            .and_then(|prepared| self.place_checked(&prepared, resource))
        {
            Ok(placed) => placed,
            Err(reason) => return self.own_reason(subject, reason),
        };
        if needed.is_empty() {
            return Reason::EmptyAction;
        }
        // No grant on the path can be the subject's: the walk would find
        // nothing (no membership, no condition passed over), and the
        // subject's runs and labels need not be read.
        let Some(start) = self.first_holding(placed.filters(), (resource.0, placed.node)) else {
            return Reason::NotMember;
        };
        // The principals moved into the walk, not copied into a
        // `Context`: only the cold denials below build one.
        let principals = self.principals_of(&placed);
        let walk = self.walk_from(principals, placed.kind, resource.0, start, needed);

        // Step 5: grants.
        if !needed.difference(walk.allow).is_empty() {
            let missing = needed - walk.allow;
            if walk.unmet {
                let walked = (walk.matched, walk.lost);
                let context = self.context_of(&placed);
                return self.unmet_or_lacking(&context, resource.0, missing, walked);
            }
            if !walk.matched {
                return Reason::NotMember;
            }
            if missing.intersects(walk.lost) {
                return self.overridden(&self.context_of(&placed), resource.0, missing);
            }
            return Reason::RoleLacks { missing };
        }
        // Step 6: deny wins.
        if walk.denied.0 != NONE {
            let (principal, at) = walk.denied;
            return Reason::Denied {
                at: ResourceId(at),
                principal: principal_key::unpack(principal),
            };
        }
        // Step 7: ceilings.
        let beyond_ceiling = needed - placed.ceiling;
        if !beyond_ceiling.is_empty() {
            return if placed.account.is_none() {
                Reason::LinkLacks {
                    missing: beyond_ceiling,
                }
            } else {
                Reason::KeyLacks {
                    missing: beyond_ceiling,
                }
            };
        }
        if needed.intersects(self.mfa_required) && !subject.mfa() {
            return Reason::MfaRequired {
                missing: needed & self.mfa_required,
            };
        }
        // Step 8: allowed. `granted` is set: every needed bit is in `allow`,
        // so some counted grant intersected `needed`.
        let (principal, scope, role) = walk.granted;
        Reason::Granted {
            principal: principal_key::unpack(principal),
            scope: ResourceId(scope),
            role: RoleId(role),
        }
    }

    /// Steps 1 to 4, and the subtree limit of a key or link: who the
    /// subject acts as, or the reason it may not act here at all.
    // inline(always): as plain #[inline], +24 instr/request (bare), +11 (team),
    // +33 (effective); cachegrind, issue 15
    #[inline(always)]
    pub(crate) fn context(
        &self,
        subject: &Subject,
        resource: ResourceId,
    ) -> Result<Context<'_>, Reason> {
        let prepared = self.prepare(subject)?;
        self.place(&prepared, resource)
    }

    /// Step 1 for the subject: the records it stands for, or
    /// `UnknownSubject`. Every other check needs the resource and runs in
    /// [`place`](Policy::place), in order.
    #[inline]
    pub(crate) fn prepare(&self, subject: &Subject) -> Result<Prepared<'_>, Reason> {
        let now = subject.clock();
        match subject.credential() {
            Credential::User(UserId(user)) => {
                let record = self
                    .users
                    .get(user as usize)
                    .filter(|record| record.is_live())
                    .ok_or(Reason::UnknownSubject)?;
                Ok(Prepared::Account {
                    user,
                    record,
                    key: None,
                    channel: subject.channel(),
                    now,
                })
            }
            Credential::Key(KeyId(index)) => {
                let key = self
                    .keys
                    .get(index as usize)
                    .ok_or(Reason::UnknownSubject)?;
                let record = self
                    .users
                    .get(key.owner as usize)
                    .ok_or(Reason::UnknownSubject)?;
                // A key always arrives through the API.
                Ok(Prepared::Account {
                    user: key.owner,
                    record,
                    key: Some(key),
                    channel: Channel::Api,
                    now,
                })
            }
            Credential::Link(LinkId(index)) => {
                let link = self
                    .links
                    .get(index as usize)
                    .filter(|link| link.is_live())
                    .ok_or(Reason::UnknownSubject)?;
                Ok(Prepared::Link {
                    link,
                    channel: subject.channel(),
                    now,
                })
            }
        }
    }

    /// Steps 2 to 4 for one resource, in order: the caller's own state
    /// (lifecycle, key or link, channel) before anything about the
    /// resource, then the resource, its tenant, and the subtree limit of a
    /// key or link.
    // inline(always): as plain #[inline], +53 instr/request (bare), +38 (team),
    // +53 (effective); cachegrind, issue 15
    #[inline(always)]
    pub(crate) fn place<'p>(
        &'p self,
        prepared: &Prepared<'p>,
        resource: ResourceId,
    ) -> Result<Context<'p>, Reason> {
        let placed = self.place_checked(prepared, resource)?;
        Ok(self.context_of(&placed))
    }

    /// [`place`](Policy::place)'s checks, without reading the subject's
    /// principals yet: a decision reads them only once a node on the path
    /// may hold a grant of theirs.
    #[inline(always)]
    fn place_checked<'p>(
        &'p self,
        prepared: &Prepared<'p>,
        resource: ResourceId,
    ) -> Result<Placed<'p>, Reason> {
        match *prepared {
            Prepared::Account {
                user,
                record,
                key,
                channel,
                now,
            } => {
                // The caller's own state first, before anything about the
                // resource: an account, key or channel that may not act is
                // told so whatever it asks about (its tenant's resource, an
                // unknown one, another tenant's), so that a dead credential
                // cannot map which resources exist.
                self.lifecycle(user, record, now)?;
                let mut ceiling = Permissions::all();
                if let Some(key) = key {
                    if key.revoked {
                        return Err(Reason::KeyRevoked);
                    }
                    if key.expires_at.is_some_and(|at| now >= at) {
                        return Err(expired(now, Reason::KeyExpired));
                    }
                    ceiling = key.scope;
                }
                if !record.channels().contains(channel.as_set()) {
                    // Or a required role is missing: see `own_reason`.
                    return Err(Reason::ChannelNotAllowed { channel });
                }
                // Then the resource, and its tenant: a resource of another
                // tenant is denied as such, which the caller-facing form of
                // the decision (`Decision::for_caller`) reads as unknown.
                let node = self.node(resource)?;
                if node.tenant != record.tenant {
                    return Err(Reason::WrongTenant);
                }
                // A key limited to a subtree reaches nothing outside it,
                // whatever its owner may do there.
                if let Some(key) = key {
                    if !self.key_reaches(resource.0, key) {
                        return Err(Reason::KeyOutOfScope);
                    }
                }
                Ok(Placed {
                    account: Some((user, record)),
                    ceiling,
                    kind: node.kind,
                    node,
                })
            }
            Prepared::Link { link, channel, now } => {
                // The link's own state first, as for an account.
                if link.revoked {
                    return Err(Reason::LinkRevoked);
                }
                if link.expires_at.is_some_and(|at| now >= at) {
                    return Err(expired(now, Reason::LinkExpired));
                }
                if channel != Channel::Link {
                    return Err(Reason::ChannelNotAllowed { channel });
                }
                let node = self.node(resource)?;
                let link_tenant = self
                    .nodes
                    .get(link.resource as usize)
                    .map_or(NONE, |n| n.tenant);
                if node.tenant != link_tenant {
                    return Err(Reason::WrongTenant);
                }
                // A link reaches its resource and what is below, nothing else.
                if !self.is_within(resource.0, link.resource) {
                    return Err(Reason::LinkOutOfScope);
                }
                Ok(Placed {
                    account: None,
                    ceiling: link.permissions,
                    kind: node.kind,
                    node,
                })
            }
        }
    }

    /// The context of a placed request: its principals read.
    #[inline(always)]
    fn context_of<'p>(&'p self, placed: &Placed<'p>) -> Context<'p> {
        Context {
            principals: self.principals_of(placed),
            ceiling: placed.ceiling,
            kind: placed.kind,
        }
    }

    /// The principals of a placed request.
    #[inline(always)]
    fn principals_of<'p>(&'p self, placed: &Placed<'p>) -> Principals<'p> {
        match placed.account {
            Some((user, record)) => self.account_principals(user, record),
            None => Principals {
                user: NONE,
                record: None,
                scope_filter: 0,
                teams: &[],
                public: true,
                filter: principal_key::filter_bit(principal_key::PUBLIC),
                user_type: UserTypes::PUBLIC,
            },
        }
    }

    /// The principals an account acts as: itself, its teams, `Everyone`.
    // inline(always): as plain #[inline], +46 instr/request (bare), +52 (team),
    // +45 (effective); cachegrind, issue 15
    #[inline(always)]
    fn account_principals<'p>(&'p self, user: u32, record: &'p UserRecord) -> Principals<'p> {
        Principals {
            user: principal_key::USER | user,
            record: Some(record),
            scope_filter: record.scope_filter,
            teams: self.teams_of(record),
            public: false,
            filter: record.filter,
            user_type: record.user_types(),
        }
    }

    /// An account's type and labels.
    #[inline]
    pub(crate) fn audience_of(&self, user: u32, record: &UserRecord) -> Audience {
        Audience {
            user_type: record.user_types(),
            labels: self.user_labels_of(user),
        }
    }

    #[inline]
    fn node(&self, resource: ResourceId) -> Result<&Node, Reason> {
        self.nodes
            .get(resource.0 as usize)
            .filter(|node| node.is_live())
            .ok_or(Reason::UnknownResource)
    }

    /// [`effective`](Policy::effective) for many resources at once, for one
    /// subject (a page showing 100 flows with their buttons): the subject
    /// is looked up and checked once, then each resource is walked.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("a", ResourceKind::Flow, "acme")
    ///     .resource("b", ResourceKind::Flow, "acme")
    ///     .role(Role::new("viewer").allow([ResourceKind::Flow], Permissions::VIEW))
    ///     .user(User::new("ann", "acme"))
    ///     .grant(Grantee::user("ann"), "a", "viewer", Effect::Allow)
    ///     .build()?;
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
    /// let page = [policy.resource_id("a").unwrap(), policy.resource_id("b").unwrap()];
    /// assert_eq!(policy.effective_many(&ann, &page), vec![Permissions::VIEW, Permissions::empty()]);
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn effective_many(&self, subject: &Subject, resources: &[ResourceId]) -> Vec<Permissions> {
        let Ok(prepared) = self.prepare(subject) else {
            return alloc::vec![Permissions::empty(); resources.len()];
        };
        resources
            .iter()
            .map(|&resource| match self.place(&prepared, resource) {
                Ok(context) => self.permissions(subject, &context, resource),
                Err(_) => Permissions::empty(),
            })
            .collect()
    }

    /// Steps 5 and 6: walk from `resource` to its root, collecting the
    /// subject's grants. `needed` only steers which grants are remembered
    /// for the reason; the permissions collected do not depend on it.
    // inline(always): as plain #[inline], +28 instr/request (bare), +16 (team),
    // +30 (effective); cachegrind, issue 15
    #[inline(always)]
    pub(super) fn walk(
        &self,
        context: &Context<'_>,
        resource: u32,
        needed: Permissions,
    ) -> Findings {
        let principals = &context.principals;
        let filters = (principals.filter, principals.scope_filter);
        let start = self.nodes.get(resource as usize);
        match start.and_then(|node| self.first_holding(filters, (resource, node))) {
            Some(start) => {
                self.walk_from(context.principals, context.kind, resource, start, needed)
            }
            None => Findings::NOTHING,
        }
    }

    /// [`walk`](Policy::walk) from `start`, the first node on the path
    /// that may hold something for the subject ([`Policy::first_holding`]).
    #[inline(always)]
    fn walk_from(
        &self,
        principals: Principals<'_>,
        kind: ResourceKind,
        resource: u32,
        (mut at, mut node): (u32, &Node),
        needed: Permissions,
    ) -> Findings {
        let mut walker = WalkUp::new(self, principals, kind, needed, resource, at);
        // Two levels per step: the parent and the grandparent are read
        // together, so that on a large policy their cache misses overlap
        // instead of following one another.
        loop {
            let parent = node.parent;
            let grandparent = node.grandparent;
            let above = self.nodes.get(parent as usize);
            let above_that = self.nodes.get(grandparent as usize);
            walker.visit(at, node);
            let Some(above) = above.filter(|above| walker.may_hold_above(above)) else {
                break;
            };
            walker.visit(parent, above);
            let Some(above_that) = above_that.filter(|above| walker.may_hold_above(above)) else {
                break;
            };
            at = grandparent;
            node = above_that;
        }
        walker.findings()
    }

    /// The first node from the resource (`at`, its node) up, itself
    /// included, where the subject may hold a grant (its own, by the
    /// user's scope filter, or a group's, by the node's filter), or `None`
    /// when there is none (the resource's path summaries tell at once):
    /// the nodes below it are ones [`WalkUp::visit`] would pass over, so
    /// the walk starts there. Two levels per step, as in the walk. The
    /// node comes from the caller, who has read it for its checks.
    #[inline(always)]
    fn first_holding<'p>(
        &'p self,
        (filter, scope_filter): (u64, u64),
        (mut at, mut node): (u32, &'p Node),
    ) -> Option<(u32, &'p Node)> {
        let holds =
            |node: &Node| scope_filter & (1u64 << node.scope_bit) != 0 || node.filter & filter != 0;
        // Nothing on the whole path: one test instead of a walk.
        if node.path_filter & filter == 0 && node.path_scopes & scope_filter == 0 {
            return None;
        }
        loop {
            if holds(node) {
                return Some((at, node));
            }
            let (parent, grandparent) = (node.parent, node.grandparent);
            let above = self.nodes.get(parent as usize);
            let above_that = self.nodes.get(grandparent as usize);
            let above = above?;
            if holds(above) {
                return Some((parent, above));
            }
            at = grandparent;
            node = above_that?;
        }
    }
}

/// A user's status and labels, kept partly beside the user records.
impl Policy {
    /// Step 2 for an account: only `Active` may act.
    #[inline]
    fn lifecycle(&self, user: u32, record: &UserRecord, now: u64) -> Result<(), Reason> {
        // Compares, not a `match`: that was a jump table, an indirect
        // branch on every decision.
        let state = record.state();
        if state == State::Active {
            Ok(())
        } else if state == State::Suspended {
            Err(Reason::Suspended)
        } else {
            self.inactive(user, state, now)
        }
    }
}

/// The records a subject stands for, looked up once; see
/// [`Policy::prepare`].
pub(crate) enum Prepared<'p> {
    /// A user, or a key (with its owner's record).
    Account {
        user: u32,
        record: &'p UserRecord,
        key: Option<&'p KeyRecord>,
        channel: Channel,
        now: u64,
    },
    /// A public link.
    Link {
        link: &'p LinkRecord,
        channel: Channel,
        now: u64,
    },
}

/// What steps 2 to 4 establish about a request before its principals are
/// read ([`Policy::place_checked`]): enough to tell whether any node on
/// the path may hold a grant of theirs ([`Policy::first_holding`]).
pub(crate) struct Placed<'p> {
    /// The account (user id and record) the subject acts for; `None` for
    /// a link.
    account: Option<(u32, &'p UserRecord)>,
    /// As [`Context::ceiling`].
    ceiling: Permissions,
    kind: ResourceKind,
    /// The resource's node.
    node: &'p Node,
}

impl Placed<'_> {
    /// The subject's group and scope filters, as [`Principals::filter`]
    /// and [`Principals::scope_filter`].
    #[inline(always)]
    fn filters(&self) -> (u64, u64) {
        match self.account {
            Some((_, record)) => (record.filter, record.scope_filter),
            None => (principal_key::filter_bit(principal_key::PUBLIC), 0),
        }
    }
}

/// What steps 1 to 4 establish about a request.
pub(crate) struct Context<'p> {
    pub(crate) principals: Principals<'p>,
    /// The key's scope or the link's permissions; everything for a user.
    pub(crate) ceiling: Permissions,
    pub(crate) kind: ResourceKind,
}
