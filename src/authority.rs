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
//! the subtree.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use core::cell::Cell;

use smallvec::SmallVec;

use crate::decision::{Decision, Reason};
use crate::directory::{TeamId, UserId, UserTypes};
use crate::grant::{Effect, Grant, Principal};
use crate::label::{Condition, Labels};
use crate::permission::{Action, Permissions};
use crate::policy::{key, Context, GrantEntry, Node, Policy, Principals, LINEAR_RUN, REMOVED};
use crate::resource::{ResourceId, ResourceKind};
use crate::role::Flattened;
use crate::subject::Subject;
use crate::NONE;

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
    tenant: u32,
    author_labels: Labels,
    /// Whether the grantee's users have only the author's labels: worked
    /// out once, the first time a conditional grant of the author needs it.
    within: Cell<Option<bool>>,
}

impl Policy {
    /// Whether what `given` holds (per resource kind, applying under
    /// `condition`), given to `grantee` on `scope` and below, stays within
    /// what `author` surely holds everywhere it reaches; otherwise
    /// [`Reason::WouldEscalate`] when the author lacks some of it at the
    /// scope, or [`Reason::RestrictedBelow`] at the first restriction below
    /// it (by id) where he does.
    ///
    /// Cost: one walk from the scope to its root, then one from each
    /// resource below the scope where the author, one of his teams or
    /// everyone holds a `Deny` or `Override`: O((1 + r) · d) for r such
    /// restrictions in a tree d deep, plus O(r log n) to find them,
    /// whatever the size of the subtree.
    pub(crate) fn passes_on(
        &self,
        author: &Subject,
        grantee: Principal,
        scope: u32,
        given: &Flattened,
        condition: Condition,
    ) -> Result<(), Reason> {
        if given.iter().all(|permissions| permissions.is_empty()) {
            return Ok(());
        }
        let context = self.context(author, ResourceId(scope))?;
        let tenant = self.tenant_of_node(scope);
        let passing = Passing {
            condition,
            grantee,
            tenant,
            author_labels: context.principals.labels,
            within: Cell::new(None),
        };
        let lacks = |at: u32| {
            let held = self.surely_held(&context, author, at, &passing, given);
            given
                .iter()
                .zip(&held)
                .fold(Permissions::empty(), |missing, (&given, &held)| {
                    missing | (given - held)
                })
        };
        let missing = lacks(scope);
        if !missing.is_empty() {
            return Err(Reason::WouldEscalate { missing });
        }
        for (at, principal) in self.restrictions_below(&context.principals, tenant, scope) {
            if !lacks(at).is_empty() {
                return Err(Reason::RestrictedBelow {
                    at: ResourceId(at),
                    principal: key::unpack(principal),
                });
            }
        }
        Ok(())
    }

    /// What `author` (acting as `context` says) surely holds at `at`, per
    /// kind, for the kinds `given` covers (empty for the others): the walk
    /// of [`Policy::effective`] from `at` to its root, with each
    /// conditional grant counted as [`Passing`] says.
    fn surely_held(
        &self,
        context: &Context<'_>,
        author: &Subject,
        at: u32,
        passing: &Passing,
        given: &Flattened,
    ) -> Flattened {
        let principals = &context.principals;
        // (role, is a deny) of every grant that counts.
        let mut counted: SmallVec<[(u32, bool); 16]> = SmallVec::new();
        // Bit i: principal i was cut by an override below.
        let mut cut = 0u128;
        let mut id = at;
        while let Some(node) = self.nodes.get(id as usize) {
            let mut cut_here = 0u128;
            let mut visit = |position: u32, role: u32, effect: Effect, condition: Condition| {
                if effect == Effect::Deny {
                    counted.push((role, true));
                    return;
                }
                let bit = 1u128 << position;
                if effect == Effect::Override {
                    // Cuts even when it may not apply: the author may then
                    // hold less, never more.
                    cut_here |= bit;
                }
                if cut & bit == 0 && self.surely_applies(condition, passing) {
                    counted.push((role, false));
                }
            };
            if principals.user != NONE {
                let own = principals.grants;
                let first = own.partition_point(|grant| grant.scope < id);
                for grant in own.iter().skip(first) {
                    if grant.scope != id {
                        break;
                    }
                    visit(0, grant.role, grant.effect, grant.condition);
                }
            }
            let mut entry = |entry: &GrantEntry, position: u32| {
                // As a decision reads it: a role the author may not hold
                // gives nothing and cuts nothing; a deny takes away from all.
                if entry.effect == Effect::Deny || entry.eligible.intersects(principals.user_type) {
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
                let mut search = |key: u32| {
                    if let Some(position) = principals.position(key) {
                        let first = run.partition_point(|grant| grant.key < key);
                        for grant in run.iter().skip(first).take_while(|g| g.key == key) {
                            entry(grant, position);
                        }
                    }
                };
                if principals.public {
                    search(key::PUBLIC);
                } else {
                    for &team in principals.teams {
                        search(key::TEAM | team);
                    }
                    search(key::EVERYONE);
                }
            }
            cut |= cut_here;
            id = node.parent;
        }
        let mut held = [Permissions::empty(); ResourceKind::COUNT];
        for (kind, (held, given)) in held.iter_mut().zip(given).enumerate() {
            if given.is_empty() {
                continue;
            }
            let (mut allow, mut deny) = (Permissions::empty(), Permissions::empty());
            for &(role, is_deny) in &counted {
                let permissions = self.role_permissions_of(role, kind);
                if is_deny {
                    deny |= permissions;
                } else {
                    allow |= permissions;
                }
            }
            *held = (allow - deny) & context.ceiling;
            if !author.mfa() {
                *held -= self.mfa_required;
            }
        }
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
                .filter(|(_, record)| record.tenant == passing.tenant)
                .all(|(user, _)| within_author(user)),
            // A link's holder has no labels.
            Principal::Public => true,
        };
        passing.within.set(Some(within));
        within
    }

    /// The resources strictly below `scope`, in id order, where one of
    /// `principals` holds a `Deny` or `Override`, each with the first such
    /// principal (packed; the author before his teams before everyone):
    /// from the author's own grants (sorted by scope, read whole) and the
    /// index of group grants. Each candidate is placed by walking up until
    /// a resource already placed, so all of them together cost one visit
    /// per resource on their paths.
    fn restrictions_below(
        &self,
        principals: &Principals<'_>,
        tenant: u32,
        scope: u32,
    ) -> Vec<(u32, u32)> {
        let mut candidates: Vec<(u32, u32)> = Vec::new();
        if principals.user != NONE {
            candidates.extend(
                principals
                    .grants
                    .iter()
                    .filter(|grant| restricts(grant.effect))
                    .map(|grant| (grant.scope, principals.user)),
            );
        }
        let mut of = |key: u32| {
            candidates.extend(
                self.restrictions
                    .range((key, tenant, 0)..=(key, tenant, NONE))
                    .map(|&(key, _, node)| (node, key)),
            );
        };
        if principals.public {
            of(key::PUBLIC);
        } else {
            for &team in principals.teams {
                of(key::TEAM | team);
            }
            of(key::EVERYONE);
        }
        candidates.sort_unstable();
        candidates.dedup_by_key(|&mut (node, _)| node);
        let mut placed: BTreeMap<u32, bool> = BTreeMap::new();
        placed.insert(scope, true);
        let mut path: Vec<u32> = Vec::new();
        candidates.retain(|&(candidate, _)| {
            if candidate == scope {
                return false;
            }
            path.clear();
            let mut at = candidate;
            let inside = loop {
                if let Some(&inside) = placed.get(&at) {
                    break inside;
                }
                path.push(at);
                match self.nodes.get(at as usize) {
                    Some(node) if node.parent != NONE && node.tenant != REMOVED => {
                        at = node.parent;
                    }
                    _ => break false,
                }
            };
            for &node in &path {
                placed.insert(node, inside);
            }
            inside
        });
        candidates
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
    /// override, one walk up from its scope.
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
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).with_mfa(true);
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
            Principal::User(_) => principals.user == key::pack(principal),
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
                let key = key::pack(principal);
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
                *permissions |= self.role_permissions_of(role, kind);
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
        let key = key::pack(grant.principal);
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
                        record.tenant != REMOVED && self.teams_of(record).contains(&team)
                    }
                    _ => record.tenant == tenant,
                })
                .fold(UserTypes::empty(), |types, record| {
                    types | record.user_types()
                })
        };
        open &= self.role_eligibility(role);
        let removed_open_to = open;
        let mut at = self.parent(grant.scope).map_or(NONE, |parent| parent.0);
        while !open.is_empty() {
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
            at = node.parent;
        }
        if removed_open_to.is_empty() {
            // Closed to every type it reaches: it gave and cut nothing.
            return [Permissions::empty(); ResourceKind::COUNT];
        }
        // What the override gave itself was held already.
        for (kind, permissions) in restored.iter_mut().enumerate() {
            *permissions -= self.role_permissions_of(role, kind);
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
                scope: policy.resource_id("f").unwrap_or(ResourceId(NONE)),
                role: policy
                    .role_id("viewer")
                    .unwrap_or(crate::role::RoleId(NONE)),
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
