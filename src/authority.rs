//! The authority of an author: what a user may give, or give back, through
//! an authorized change. The rules are documented on
//! [`Policy::can_grant_when`] and [`Policy::can_revoke`], where users read
//! them; this module owns the check behind both, [`Policy::passes_on`].
//!
//! A grant reaches its whole subtree, so what the author holds *at the
//! scope* is not enough: below it, a deny or an override of the author's
//! (his own, his teams' or everyone's) may leave him less, and a
//! conditional grant of his may not apply to every resource. The check
//! reads the author's grants the way that leaves him the least ("surely
//! held"), at the scope and at each resource below it where he holds a
//! `Deny` or an `Override`. Between those places only allows can stand, and
//! an allow never takes anything away, so those places are the only ones
//! to check: they are found in an index ([`Policy::restrictions`] for
//! group grants, the author's own sorted grants for his), never by walking
//! the subtree. What the author holds is worked out once at the scope and
//! carried down to them, through the resources on their paths, each read
//! once; a deny that takes nothing of what is given is not looked at.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use core::cell::Cell;

use smallvec::SmallVec;

use crate::decision::{Decision, Reason};
use crate::directory::{TeamId, UserId, UserTypes};
use crate::grant::{Effect, Grant, Principal};
use crate::label::{Condition, Labels};
use crate::permission::{Action, Permissions};
use crate::policy::{principal_key, Context, GrantEntry, Node, Policy, Principals, LINEAR_RUN};
use crate::resource::{ResourceId, ResourceKind};
use crate::role::Flattened;
use crate::subject::Subject;

/// The author's own principal key (packed), `None` for a link, which acts
/// only as [`Principal::Public`].
fn own_key(principals: &Principals<'_>) -> Option<u32> {
    (!principals.public).then_some(principals.user)
}

/// The index of [`Policy::restrictions`]: (principal key, tenant,
/// resource) of every group grant that can leave its principal less below
/// its scope than above it.
pub(crate) type Restrictions = BTreeSet<(u32, u32, u32)>;

/// Whether a grant of `effect` can leave its principal less at and below
/// its scope than above it: a deny takes away, an override cuts what is
/// inherited.
fn restricts(effect: Effect) -> bool {
    effect != Effect::Allow
}

/// Calls `each` with the key of every group principal the subject acts as,
/// in key order: `Public` alone for a link; its teams (sorted), then
/// `Everyone`, for a user or a key.
fn group_keys(principals: &Principals<'_>, mut each: impl FnMut(u32)) {
    if principals.public {
        each(principal_key::PUBLIC);
    } else {
        for &team in principals.teams {
            each(principal_key::TEAM | team);
        }
        each(principal_key::EVERYONE);
    }
}

/// The index of a freshly built policy: one pass over the node runs.
pub(crate) fn restrictions_of(nodes: &[Node], grants: &[GrantEntry]) -> Restrictions {
    let mut restrictions = Restrictions::new();
    for (id, node) in (0u32..).zip(nodes) {
        let start = node.grants_start as usize;
        let run = grants
            .get(start..start + node.grants_len as usize)
            .unwrap_or(&[]);
        reindex(&mut restrictions, (node.tenant, id), &[], run);
    }
    restrictions
}

/// Keeps the index true when the run of a node (`at`: its tenant and id)
/// changes from `old` to `new`. Called by whatever writes a node's run.
pub(crate) fn reindex(
    restrictions: &mut Restrictions,
    (tenant, node): (u32, u32),
    old: &[GrantEntry],
    new: &[GrantEntry],
) {
    for entry in old.iter().filter(|entry| restricts(entry.effect)) {
        restrictions.remove(&(entry.key, tenant, node));
    }
    for entry in new.iter().filter(|entry| restricts(entry.effect)) {
        restrictions.insert((entry.key, tenant, node));
    }
}

/// How the author's conditional grants count when what a change gives
/// applies under `condition` to the users `grantee` stands for.
///
/// An author's grant with condition `c` surely applies wherever the change
/// gives something when `c` is `Always`, or when `c` is the change's own
/// condition and every user the grantee stands for has only labels the
/// author has too: then, for both conditions, whenever the condition holds
/// for such a user and a resource, it holds for the author and that
/// resource. Any other conditional grant of the author may not apply: as
/// an allow it counts for nothing, as an override it still cuts, as a deny
/// it still takes away.
struct Passing {
    condition: Condition,
    grantee: Principal,
    /// The scope's tenant, whose users `Everyone` stands for.
    tenant: ResourceId,
    author_labels: Labels,
    /// Whether the grantee's users have only the author's labels: worked
    /// out once, the first time a conditional grant of the author needs it.
    within: Cell<Option<bool>>,
}

/// What an author surely holds at one resource, kept per principal of his
/// (by position, as in a decision's override cut mask) so that an override
/// below can cut one principal's part: the state carried down the tree of
/// places [`Policy::passes_on`] checks.
#[derive(Clone)]
struct Held {
    /// (position, what that principal's counted grants give, per kind).
    parts: SmallVec<[(u32, Flattened); 4]>,
    /// What the denies on the path take away, per kind.
    deny: Flattened,
}

impl Held {
    fn new() -> Held {
        Held {
            parts: SmallVec::new(),
            deny: [Permissions::empty(); ResourceKind::COUNT],
        }
    }

    /// The part of the principal at `position`, created empty.
    fn part(&mut self, position: u32) -> &mut Flattened {
        let index = match self.parts.iter().position(|&(p, _)| p == position) {
            Some(index) => index,
            None => {
                self.parts
                    .push((position, [Permissions::empty(); ResourceKind::COUNT]));
                self.parts.len() - 1
            }
        };
        match self.parts.get_mut(index) {
            Some((_, part)) => part,
            // Unreachable: `index` was just found or pushed.
            None => &mut self.deny,
        }
    }
}

/// One place [`Policy::passes_on`] reads: the scope, a restriction below
/// it, or a resource on the way down to one.
struct Place {
    node: u32,
    /// The index of the place above it (the scope is its own).
    above: usize,
    /// The first principal (packed) whose restriction stands here; `None`
    /// for a resource on the way.
    restriction: Option<u32>,
}

impl Policy {
    /// Whether what `given` holds (per resource kind, applying under
    /// `condition`), given to `grantee` on `scope` and below, stays within
    /// what `author` surely holds everywhere it reaches; otherwise
    /// [`Reason::WouldEscalate`] when the author lacks some of it at the
    /// scope, or [`Reason::RestrictedBelow`] at the first restriction below
    /// it (by id) where he does.
    ///
    /// Cost: one walk from the scope to its root; then the resources of the
    /// scope's tenant where the author, one of his teams or everyone holds
    /// a `Deny` that takes some of `given` or an `Override`, found in O(r
    /// log n) for r of them; then each resource on the paths from those up
    /// to the scope (those outside the subtree up to a resource already
    /// met, or the root, and then dropped), once, in an order that reads
    /// each after the one above it (what the author holds is carried down,
    /// not worked out again from the root): O(d + p log n) for a scope d
    /// deep and p resources on those paths (p ≤ r · depth, and p ≤ the
    /// tenant), whatever the size of the subtree.
    pub(crate) fn passes_on(
        &self,
        author: &Subject,
        grantee: Principal,
        scope: u32,
        given: &Flattened,
        condition: Condition,
    ) -> Result<(), Reason> {
        let scope = ResourceId(scope);
        self.passes_on_counting(author, grantee, scope, given, condition, &mut 0)
    }

    /// [`passes_on`](Policy::passes_on), counting in `visits` the
    /// resources it reads, for tests of its cost.
    fn passes_on_counting(
        &self,
        author: &Subject,
        grantee: Principal,
        scope: ResourceId,
        given: &Flattened,
        condition: Condition,
        visits: &mut usize,
    ) -> Result<(), Reason> {
        if given.iter().all(|permissions| permissions.is_empty()) {
            return Ok(());
        }
        let context = self.context(author, scope)?;
        // What is read below walks the arena: raw indexes from here.
        let ResourceId(scope) = scope;
        let tenant = self.tenant_of_node(scope);
        let passing = Passing {
            condition,
            grantee,
            tenant: ResourceId(tenant),
            author_labels: context.principals.labels(self),
            within: Cell::new(None),
        };
        let lacks = |held: &Held| {
            given
                .iter()
                .enumerate()
                .fold(Permissions::empty(), |missing, (kind, &given)| {
                    if given.is_empty() {
                        return missing;
                    }
                    let allow = held
                        .parts
                        .iter()
                        .fold(Permissions::empty(), |allow, (_, part)| {
                            allow | part.get(kind).copied().unwrap_or_else(Permissions::empty)
                        });
                    let deny = held
                        .deny
                        .get(kind)
                        .copied()
                        .unwrap_or_else(Permissions::empty);
                    let mut held = (allow - deny) & context.ceiling;
                    if !author.mfa() {
                        held -= self.mfa_required;
                    }
                    missing | (given - held)
                })
        };
        let at_scope = self.held_at(&context, scope, &passing, visits);
        let missing = lacks(&at_scope);
        if !missing.is_empty() {
            return Err(Reason::WouldEscalate { missing });
        }
        let places = self.restrictions_below(&context.principals, tenant, scope, given);
        *visits += places.len();
        let mut states: Vec<Held> = Vec::with_capacity(places.len());
        let mut first: Option<(u32, u32)> = None;
        for place in &places {
            let held = match states.get(place.above) {
                Some(above) if !states.is_empty() => {
                    self.held_below(above, &context, place.node, &passing)
                }
                _ => at_scope.clone(),
            };
            if let Some(restriction) = place.restriction {
                if !matches!(first, Some((at, _)) if at <= place.node) && !lacks(&held).is_empty() {
                    first = Some((place.node, restriction));
                }
            }
            states.push(held);
        }
        match first {
            Some((at, principal)) => Err(Reason::RestrictedBelow {
                at: ResourceId(at),
                principal: principal_key::unpack(principal),
            }),
            None => Ok(()),
        }
    }

    /// Calls `visit(position, role, effect, condition)` for each grant at
    /// node `id` of one of `principals` that a decision would read: the
    /// author's own, then his groups'. As a decision reads them, a role the
    /// author may not hold gives nothing and cuts nothing; a deny takes
    /// away from all.
    fn author_grants_at(
        &self,
        principals: &Principals<'_>,
        id: u32,
        node: &Node,
        mut visit: impl FnMut(u32, u32, Effect, Condition),
    ) {
        if own_key(principals).is_some() {
            let own = principals.grants(self);
            let first = own.partition_point(|grant| grant.scope < id);
            for grant in own.iter().skip(first) {
                if grant.scope != id {
                    break;
                }
                visit(0, grant.role, grant.effect, grant.condition);
            }
        }
        let audience = principals.audience(self);
        let mut entry = |entry: &GrantEntry, position: u32| {
            if audience.may_hold(entry.effect, entry.eligible) {
                visit(position, entry.role, entry.effect, entry.condition);
            }
        };
        let run = self.group_grants(node);
        if run.len() <= LINEAR_RUN {
            for grant in run {
                if let Some(position) = principals.position(grant.key) {
                    entry(grant, position);
                }
            }
        } else {
            group_keys(principals, |key| {
                if let Some(position) = principals.position(key) {
                    let first = run.partition_point(|grant| grant.key < key);
                    for grant in run.iter().skip(first).take_while(|g| g.key == key) {
                        entry(grant, position);
                    }
                }
            });
        }
    }

    /// Adds the role of a counted grant to `held`: a deny to what is taken
    /// away, a conditional allow or override only when it surely applies
    /// (see [`Passing`]).
    fn count(
        &self,
        held: &mut Held,
        (position, role, effect, condition): (u32, u32, Effect, Condition),
        passing: &Passing,
    ) {
        let target = if effect == Effect::Deny {
            &mut held.deny
        } else if self.surely_applies(condition, passing) {
            held.part(position)
        } else {
            return;
        };
        for (kind, permissions) in target.iter_mut().enumerate() {
            *permissions |= self.role_permissions(role, kind);
        }
    }

    /// What the author (acting as `context` says) surely holds at `at`:
    /// the walk of [`Policy::effective`] from `at` to its root, with each
    /// conditional grant counted as [`Passing`] says.
    fn held_at(
        &self,
        context: &Context<'_>,
        at: u32,
        passing: &Passing,
        visits: &mut usize,
    ) -> Held {
        let mut held = Held::new();
        // Bit i: principal i was cut by an override below.
        let mut cut = 0u128;
        let mut id = at;
        while let Some(node) = self.nodes.get(id as usize) {
            *visits += 1;
            let mut cut_here = 0u128;
            self.author_grants_at(
                &context.principals,
                id,
                node,
                |position, role, effect, condition| {
                    let bit = 1u128 << position;
                    if effect == Effect::Override {
                        // Cuts even when it may not apply: the author may then
                        // hold less, never more.
                        cut_here |= bit;
                    }
                    if effect == Effect::Deny || cut & bit == 0 {
                        self.count(&mut held, (position, role, effect, condition), passing);
                    }
                },
            );
            cut |= cut_here;
            id = node.parent;
        }
        held
    }

    /// What the author surely holds at node `id`, from what he holds at
    /// its parent (`above`): an override of one of his principals here cuts
    /// that principal's part from above, then the grants here count.
    fn held_below(&self, above: &Held, context: &Context<'_>, id: u32, passing: &Passing) -> Held {
        let Some(node) = self.nodes.get(id as usize) else {
            return above.clone();
        };
        let mut cut = 0u128;
        self.author_grants_at(&context.principals, id, node, |position, _, effect, _| {
            if effect == Effect::Override {
                cut |= 1u128 << position;
            }
        });
        let mut held = above.clone();
        held.parts
            .retain(|(position, _)| cut & (1u128 << *position) == 0);
        self.author_grants_at(
            &context.principals,
            id,
            node,
            |position, role, effect, condition| {
                self.count(&mut held, (position, role, effect, condition), passing);
            },
        );
        held
    }

    /// Whether an author's grant made under `condition` surely applies
    /// wherever the change gives something (see [`Passing`]).
    fn surely_applies(&self, condition: Condition, passing: &Passing) -> bool {
        if condition == Condition::Always {
            return true;
        }
        if condition != passing.condition {
            return false;
        }
        if let Some(within) = passing.within.get() {
            return within;
        }
        let author = passing.author_labels;
        let within_author = |user: u32| self.user_labels_of(user).difference(author).is_empty();
        let within = match passing.grantee {
            Principal::User(UserId(user)) => within_author(user),
            Principal::Team(TeamId(team)) => self.members(team).all(within_author),
            Principal::Everyone => (0u32..)
                .zip(&self.users)
                .filter(|(_, record)| record.tenant_id() == Some(passing.tenant))
                .all(|(user, _)| within_author(user)),
            // A link's holder has no labels.
            Principal::Public => true,
        };
        passing.within.set(Some(within));
        within
    }

    /// The places to read below `scope`, each after the one above it: the
    /// scope first, then the resources strictly below it where one of
    /// `principals` holds an `Override`, or a `Deny` that takes some of
    /// `given` (each with the first such principal, packed: the author
    /// before his teams before everyone), and the resources on the way up
    /// from those to the scope. The restrictions come from the author's own
    /// grants (sorted by scope, read whole) and the index of group grants;
    /// each is placed by walking up until a resource already placed, so
    /// all of them together cost one visit per resource on their paths.
    fn restrictions_below(
        &self,
        principals: &Principals<'_>,
        tenant: u32,
        scope: u32,
        given: &Flattened,
    ) -> Vec<Place> {
        // A deny of a role disjoint from what is given (an empty role, say)
        // takes nothing of it: no need to look there.
        let takes = |role: u32, effect: Effect| {
            effect == Effect::Override
                || given
                    .iter()
                    .enumerate()
                    .any(|(kind, &given)| self.role_permissions(role, kind).intersects(given))
        };
        let mut candidates: Vec<(u32, u32)> = Vec::new();
        if let Some(own) = own_key(principals) {
            candidates.extend(
                principals
                    .grants(self)
                    .iter()
                    .filter(|grant| restricts(grant.effect) && takes(grant.role, grant.effect))
                    .map(|grant| (grant.scope, own)),
            );
        }
        group_keys(principals, |key| {
            for &(key, _, node) in self
                .restrictions
                .range((key, tenant, 0)..=(key, tenant, u32::MAX))
            {
                let restricts_here = self.nodes.get(node as usize).is_some_and(|record| {
                    self.group_grants(record).iter().any(|entry| {
                        entry.key == key
                            && restricts(entry.effect)
                            && takes(entry.role, entry.effect)
                    })
                });
                if restricts_here {
                    candidates.push((node, key));
                }
            }
        });
        candidates.sort_unstable();
        candidates.dedup_by_key(|&mut (node, _)| node);
        let mut places = alloc::vec![Place {
            node: scope,
            above: 0,
            restriction: None,
        }];
        // The index of each resource met in `places`, or None when it is
        // outside the subtree.
        let mut placed: BTreeMap<u32, Option<usize>> = BTreeMap::new();
        placed.insert(scope, Some(0));
        let mut path: Vec<u32> = Vec::new();
        for (candidate, principal) in candidates {
            path.clear();
            let mut at = candidate;
            let mut above = loop {
                if let Some(&above) = placed.get(&at) {
                    break above;
                }
                path.push(at);
                let live = self.nodes.get(at as usize).filter(|node| node.is_live());
                match live.and_then(Node::parent_id) {
                    Some(ResourceId(parent)) => at = parent,
                    None => break None,
                }
            };
            for &node in path.iter().rev() {
                if let Some(index) = above {
                    places.push(Place {
                        node,
                        above: index,
                        restriction: None,
                    });
                    above = Some(places.len() - 1);
                }
                placed.insert(node, above);
            }
            // The candidate's place: just pushed, or met on an earlier path
            // (the scope itself is no restriction below it).
            if candidate != scope {
                if let Some(Some(index)) = placed.get(&candidate) {
                    if let Some(place) = places.get_mut(*index) {
                        place.restriction.get_or_insert(principal);
                    }
                }
            }
        }
        places
    }

    /// May `revoker` remove `grant`? Removing is itself authorized: the
    /// revoker needs [`Permissions::MANAGE_MEMBERS`] at the grant's scope.
    /// Removing an `Allow` only takes away, and needs nothing more.
    ///
    /// Removing a restriction gives back what it held off, so it is checked
    /// as a grant of what it restores, with
    /// [`can_grant_when`](Policy::can_grant_when)'s rule (the revoker must
    /// surely hold it everywhere below the scope) and under the
    /// restriction's own condition:
    ///
    /// - a `Deny` restores its role's permissions;
    /// - an `Override` restores the grants of the same principal it cut off
    ///   (those on the ancestors of its scope, up to the nearest
    ///   unconditional override of that principal), less what it gave
    ///   itself; an override that gave at least as much restores nothing.
    ///   As in a decision, an override of a role closed to a user's type
    ///   neither gives him anything nor cuts anything for him: for each
    ///   type of user the principal stands for, the grants restored are
    ///   those up to the nearest unconditional override open to that type.
    ///
    /// A restriction that applies to the revoker (a grant to himself, to
    /// one of his teams, or to `Everyone` of his organization) is never his
    /// to lift, whatever it restores: [`Reason::OwnRestriction`].
    /// Such a restriction can be lifted by someone else, or by the host
    /// through an unauthorized [`Change::Revoke`](crate::Change::Revoke).
    ///
    /// The grant is identified as [`Change::Revoke`](crate::Change::Revoke)
    /// does (principal, scope, role, effect); when no such grant exists,
    /// the check is made as for an unconditional one.
    ///
    /// Cost: as [`can_grant_when`](Policy::can_grant_when), plus, for an
    /// override, one walk up from its scope (and, for a team's or
    /// everyone's override with one above it closed to some user types, one
    /// pass over the users, to know their types).
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("ws", ResourceKind::Workspace, "acme")
    ///     .role(Role::new("admin").allow([ResourceKind::Workspace], Permissions::all()))
    ///     .role(Role::new("deleter").allow([ResourceKind::Workspace], Permissions::DELETE))
    ///     .user(User::new("ann", "acme"))
    ///     .grant(Grantee::user("ann"), "ws", "admin", Effect::Allow)
    ///     .grant(Grantee::user("ann"), "ws", "deleter", Effect::Deny)
    ///     .build()?;
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).with_mfa(true).at(1_700_000_000);
    /// let ws = policy.resource_id("ws").unwrap();
    /// let own_deny = Grant {
    ///     principal: Principal::User(policy.user_id("ann").unwrap()),
    ///     scope: ws,
    ///     role: policy.role_id("deleter").unwrap(),
    ///     effect: Effect::Deny,
    /// };
    /// assert_eq!(
    ///     policy.can_revoke(&ann, &own_deny).reason(),
    ///     Reason::OwnRestriction { at: ws, principal: own_deny.principal },
    /// );
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    pub fn can_revoke(&self, revoker: &Subject, grant: &Grant) -> Decision {
        let decision = self.authorize(revoker, Action::ManageMembers, grant.scope);
        if !decision.is_allowed() || grant.effect == Effect::Allow {
            return decision;
        }
        // First, whatever it restores: a revoker who reads what it restores
        // for himself wrongly must still not lift it.
        if self.acts_as(revoker, grant.principal, grant.scope) {
            return Decision::new(Reason::OwnRestriction {
                at: grant.scope,
                principal: grant.principal,
            });
        }
        let condition = self.condition_of(grant).unwrap_or(Condition::Always);
        let restored = self.restored_by_removing(grant);
        if restored.iter().all(|permissions| permissions.is_empty()) {
            return decision;
        }
        match self.passes_on(
            revoker,
            grant.principal,
            grant.scope.0,
            &restored,
            condition,
        ) {
            Ok(()) => decision,
            Err(reason) => Decision::new(reason),
        }
    }

    /// Whether `subject`, at `scope`, acts as `principal`.
    fn acts_as(&self, subject: &Subject, principal: Principal, scope: ResourceId) -> bool {
        let Ok(context) = self.context(subject, scope) else {
            return false;
        };
        let principals = &context.principals;
        match principal {
            // The raw index, not `principal_key::pack` (which keeps its low bits only,
            // so a made-up id past them would pass for another user).
            Principal::User(UserId(user)) => principals.user == principal_key::USER | user,
            Principal::Team(TeamId(team)) => !principals.public && principals.teams.contains(&team),
            Principal::Everyone => !principals.public,
            Principal::Public => principals.public,
        }
    }

    /// The condition of the grant identified as `grant` (principal, scope,
    /// role, effect), if there is one.
    fn condition_of(&self, grant: &Grant) -> Option<Condition> {
        let scope = grant.scope.0;
        let role = grant.role.0;
        match grant.principal {
            Principal::User(UserId(user)) => {
                let record = self.users.get(user as usize)?;
                self.own_grants(user, record)
                    .iter()
                    .find(|g| g.scope == scope && g.role == role && g.effect == grant.effect)
                    .map(|g| g.condition)
            }
            principal => {
                let node = self.nodes.get(scope as usize)?;
                let key = principal_key::pack(principal);
                self.group_grants(node)
                    .iter()
                    .find(|e| e.key == key && e.role == role && e.effect == grant.effect)
                    .map(|e| e.condition)
            }
        }
    }

    /// What removing the restriction `grant` can give back to its
    /// principal, per kind (see [`can_revoke`](Policy::can_revoke)).
    ///
    /// For an override, per type of user the principal stands for: an
    /// override closed to a type neither gives nor cuts for its users, so
    /// the walk up stops, for each type, at the first unconditional
    /// override open to it, and the removed override takes back its own
    /// role only from the types it is open to (for the others it restores
    /// nothing). Reading more types than the principal stands for only
    /// restores more, so the types of a team's or everyone's users are read
    /// (one pass over the users) only when an override above is closed to
    /// some of the types still walking.
    pub(crate) fn restored_by_removing(&self, grant: &Grant) -> Flattened {
        let role = grant.role.0;
        let mut restored = [Permissions::empty(); ResourceKind::COUNT];
        let add = |restored: &mut Flattened, role: u32| {
            for (kind, permissions) in restored.iter_mut().enumerate() {
                *permissions |= self.role_permissions(role, kind);
            }
        };
        if grant.effect == Effect::Deny {
            // A deny takes away from everyone it names, whatever their type.
            add(&mut restored, role);
            return restored;
        }
        // An override: the same principal's grants above, for the types it
        // is open to, each up to the first unconditional override open to
        // that type (which cuts everything above it for them anyway).
        let key = principal_key::pack(grant.principal);
        let tenant = self.tenant_of_node(grant.scope.0);
        let (own, mut open, mut exact) = match grant.principal {
            Principal::User(UserId(user)) => match self.users.get(user as usize) {
                Some(record) => (self.own_grants(user, record), record.user_types(), true),
                None => return restored,
            },
            Principal::Public => (&[][..], UserTypes::PUBLIC, true),
            Principal::Team(_) | Principal::Everyone => (&[][..], UserTypes::all(), false),
        };
        // The types the principal stands for, in the scope's tenant.
        let concerned = || -> UserTypes {
            self.users
                .iter()
                .filter(|record| match grant.principal {
                    Principal::Team(TeamId(team)) => {
                        record.is_live() && self.teams_of(record).contains(&team)
                    }
                    _ => record.tenant == tenant,
                })
                .fold(UserTypes::empty(), |types, record| {
                    types | record.user_types()
                })
        };
        open &= self.role_eligibility(role);
        let removed_open_to = open;
        let mut above = self.parent(grant.scope);
        while !open.is_empty() {
            let Some(ResourceId(at)) = above else {
                break;
            };
            let Some(node) = self.nodes.get(at as usize) else {
                break;
            };
            // An override cuts strictly above its node: every grant here
            // counts for the types walking when the node is reached.
            let walking = open;
            let mut take = |restored: &mut Flattened, role, effect, condition| {
                if effect == Effect::Deny {
                    return;
                }
                let eligible = self.role_eligibility(role);
                if eligible.intersects(walking) {
                    add(restored, role);
                }
                if effect == Effect::Override && condition == Condition::Always {
                    open -= eligible;
                    if !open.is_empty() && !exact {
                        open &= concerned();
                        exact = true;
                    }
                }
            };
            match grant.principal {
                Principal::User(_) => {
                    let first = own.partition_point(|g| g.scope < at);
                    for g in own.iter().skip(first).take_while(|g| g.scope == at) {
                        take(&mut restored, g.role, g.effect, g.condition);
                    }
                }
                _ => {
                    for e in self.group_grants(node).iter().filter(|e| e.key == key) {
                        take(&mut restored, e.role, e.effect, e.condition);
                    }
                }
            }
            above = node.parent_id();
        }
        if removed_open_to.is_empty() {
            // Closed to every type it reaches: it gave and cut nothing.
            return [Permissions::empty(); ResourceKind::COUNT];
        }
        // What the override gave itself was held already.
        for (kind, permissions) in restored.iter_mut().enumerate() {
            *permissions -= self.role_permissions(role, kind);
        }
        restored
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;
    use crate::builder::PolicyBuilder;
    use crate::change::Change;
    use crate::directory::User;
    use crate::grant::Grantee;
    use crate::role::Role;

    /// The index a fresh build would hold for the policy's current runs.
    fn rebuilt(policy: &Policy) -> Restrictions {
        restrictions_of(&policy.nodes, &policy.grants)
    }

    /// acme / ws / f: everyone administers acme, is held on "ws" by an
    /// override of a role open to native users only, and on "f" by an
    /// override to viewing; `connected` says whether the organization has
    /// a connected user (cole) beside its native one (ned).
    fn closed_override_above(connected: bool) -> Policy {
        let kinds = [
            ResourceKind::Organization,
            ResourceKind::Workspace,
            ResourceKind::Folder,
        ];
        let mut builder = PolicyBuilder::new();
        builder
            .tenant("acme", ResourceKind::Organization)
            .resource("ws", ResourceKind::Workspace, "acme")
            .resource("f", ResourceKind::Folder, "ws")
            .role(Role::new("admin").allow(kinds, Permissions::all()))
            .role(
                Role::new("nview")
                    .allow(kinds, Permissions::VIEW)
                    .only_for(UserTypes::NATIVE),
            )
            .role(Role::new("viewer").allow(kinds, Permissions::VIEW))
            .user(User::new("ned", "acme"))
            .grant(Grantee::Everyone, "acme", "admin", Effect::Allow)
            .grant(Grantee::Everyone, "ws", "nview", Effect::Override)
            .grant(Grantee::Everyone, "f", "viewer", Effect::Override);
        if connected {
            builder
                .user(User::new("cole", "acme").user_type(crate::directory::UserType::Connected));
        }
        let Ok(policy) = builder.build() else {
            panic!("the model builds");
        };
        policy
    }

    #[test]
    fn lifting_an_override_restores_past_overrides_closed_to_the_users_it_reaches() {
        let lift = |policy: &Policy| {
            let grant = Grant {
                principal: Principal::Everyone,
                scope: policy.resource_id("f").expect("the model has f"),
                role: policy.role_id("viewer").expect("the model has viewer"),
                effect: Effect::Override,
            };
            policy.restored_by_removing(&grant)[ResourceKind::Folder.index()]
        };
        // For cole, the override on "ws" cuts nothing: lifting the one on
        // "f" gives him everyone's administration back.
        assert_eq!(
            lift(&closed_override_above(true)),
            Permissions::all() - Permissions::VIEW
        );
        // With native users only, the override on "ws" cuts it for all.
        assert_eq!(lift(&closed_override_above(false)), Permissions::empty());
    }

    /// A chain of `n` folders below acme, each with an override of
    /// everyone's to a role that gives nothing; ann administers acme.
    fn chain_of_overrides(n: usize) -> Policy {
        let mut builder = PolicyBuilder::new();
        builder
            .tenant("acme", ResourceKind::Organization)
            .role(Role::new("admin").allow_everywhere(Permissions::all()))
            .role(Role::new("noop"))
            .user(User::new("ann", "acme"))
            .grant(Grantee::user("ann"), "acme", "admin", Effect::Allow);
        let mut parent = "acme".to_string();
        for i in 0..n {
            let name = alloc::format!("f{i}");
            builder.resource(name.clone(), ResourceKind::Folder, parent.clone());
            builder.grant(Grantee::Everyone, name.clone(), "noop", Effect::Override);
            parent = name;
        }
        let Ok(policy) = builder.build() else {
            panic!("the chain builds");
        };
        policy
    }

    #[test]
    fn an_authored_grant_reads_each_resource_below_its_scope_once() {
        for n in [100, 1_000] {
            let policy = chain_of_overrides(n);
            let ann = policy.user_id("ann").expect("the chain has ann");
            let subject = Subject::user(ann, crate::Channel::Web).with_mfa(true);
            let acme = policy.resource_id("acme").expect("the chain has acme");
            let admin = policy.role_id("admin").expect("the chain has admin");
            let given = policy.roles[admin.0 as usize];
            let mut visits = 0;
            let passed = policy.passes_on_counting(
                &subject,
                Principal::User(ann),
                acme,
                &given,
                Condition::Always,
                &mut visits,
            );
            assert_eq!(passed, Ok(()));
            // The scope's walk to the root (1), then the scope and each of
            // the n restrictions below it, once.
            assert_eq!(visits, n + 2, "n = {n}");
        }
    }

    #[test]
    fn the_restriction_index_follows_every_change_of_the_runs() {
        let mut builder = PolicyBuilder::new();
        builder
            .tenant("acme", ResourceKind::Organization)
            .tenant("globex", ResourceKind::Organization)
            .resource("ws", ResourceKind::Workspace, "acme")
            .resource("a", ResourceKind::Folder, "ws")
            .resource("b", ResourceKind::Folder, "a")
            .resource("gws", ResourceKind::Workspace, "globex")
            .role(Role::new("r").allow([ResourceKind::Folder], Permissions::VIEW))
            .role(Role::new("s").allow([ResourceKind::Folder], Permissions::EDIT))
            .team("t", "acme")
            .team("u", "acme")
            .user(User::new("ann", "acme").member_of("t"))
            .grant(Grantee::team("t"), "a", "r", Effect::Deny)
            .grant(Grantee::Everyone, "b", "r", Effect::Override)
            .grant(Grantee::Everyone, "gws", "r", Effect::Deny)
            .grant(Grantee::team("u"), "b", "r", Effect::Allow);
        let Ok(mut policy) = builder.build() else {
            panic!("the model builds");
        };
        assert_eq!(policy.restrictions.len(), 3);
        assert_eq!(policy.restrictions, rebuilt(&policy));
        let grant = |to: Grantee, scope: &str, role: &str, effect: Effect, add: bool| {
            let (scope, role) = (scope.to_string(), role.to_string());
            if add {
                Change::Grant {
                    grantee: to,
                    scope,
                    role,
                    effect,
                    when: Condition::Always,
                    by: None,
                }
            } else {
                Change::Revoke {
                    grantee: to,
                    scope,
                    role,
                    effect,
                    by: None,
                }
            }
        };
        let changes = [
            // Two restrictions of one principal on one resource: one entry,
            // kept until both are gone.
            grant(Grantee::team("t"), "a", "s", Effect::Override, true),
            grant(Grantee::team("t"), "a", "r", Effect::Deny, false),
            grant(Grantee::team("u"), "b", "s", Effect::Deny, true),
            grant(Grantee::team("u"), "b", "r", Effect::Allow, false),
            Change::MoveResource {
                name: "b".into(),
                parent: "ws".into(),
            },
            Change::RemoveTeam { name: "u".into() },
            Change::RemoveResource { name: "a".into() },
            Change::RemoveResource { name: "b".into() },
        ];
        for change in changes {
            let described = change.to_string();
            assert!(policy.apply(change).is_ok(), "{described}");
            assert_eq!(policy.restrictions, rebuilt(&policy), "after {described}");
        }
        // Only globex's Everyone deny is left.
        assert_eq!(policy.restrictions.len(), 1);
    }
}
