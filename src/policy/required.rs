//! Required roles ([`PolicyBuilder::require_role`](crate::PolicyBuilder::require_role)
//! and [`require_role_on_each`](crate::PolicyBuilder::require_role_on_each)):
//! which accounts a requirement applies to, whether each holds its role,
//! and so which accounts lack one.
//!
//! Owns: the rule "an account holds a required role", read the way that
//! leaves it the least, so that whatever this calls held is held on every
//! resource the requirement names and everywhere below them. Must never:
//! write the layout (the store marks the accounts,
//! [`Policy::mark_lacking`]) or be read by a decision (a decision reads the
//! mark, on its cold path).
//!
//! A requirement names its *targets*: its tenant's root, or every live
//! resource of one kind in its tenant. An account holds role `R` when:
//!
//! 1. every target lies below (or at) an uncut *carrier*: a grant of `R`
//!    with effect allow or override and no condition that reaches it (its
//!    own, one of its teams', or everyone's when its type may hold `R`),
//!    on a target or above one;
//! 2. no deny reaches it (its own, one of its teams', everyone's; under any
//!    condition) of a role that shares a permission with `R`, on a target,
//!    above one or below one; and
//! 3. a carrier is *cut*, and counts for nothing, when its principal is
//!    given an override anywhere below it (an override cuts what its
//!    principal holds above it).
//!
//! Conditional grants never count toward 1 and always count toward 2, so
//! the rule never calls held what labels could take away. A tenant without
//! a target requires nothing.
//!
//! Cost: one numbering of the resources per check, then, per account, its
//! own grants and teams. The cover of everyone's carriers and of one team's
//! (an account's team with the most carriers) is worked out once and
//! shared by every account of that team; an account's other carrying teams
//! (those with a carrier; a team that carries nothing is left out) and its
//! own carriers are added to it by binary search, and accounts without
//! carriers of their own share one answer per set of carrying teams. So a
//! check grows with the grants and the accounts: an account pays for the
//! carriers of its smaller teams, not for everyone's or its largest
//! team's again (a team of one each carrying the role on its own
//! workspace, next to everyone's or a large team's carriers on the
//! others, costs one search per account). What still multiplies is an
//! account in several teams that each carry the role on many resources:
//! it pays for all but the largest.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use smallvec::SmallVec;

use crate::directory::{Channels, UserTypes};
use crate::grant::Effect;
use crate::label::Condition;
use crate::permission::Permissions;
use crate::resource::ResourceKind;

use super::{principal_key, Policy, UserRecord};
use crate::resource::ResourceId;

/// Whom a compiled requirement applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holders {
    /// Every account of these types.
    Types(UserTypes),
    /// Every member of this team.
    Team(u32),
}

/// A compiled requirement: `holders` must hold role `role` on their
/// tenant root (`on` is `None`) or on every resource of kind `on` of
/// their tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Requirement {
    pub(crate) holders: Holders,
    pub(crate) role: u32,
    pub(crate) on: Option<ResourceKind>,
}

/// An account that lacks a required role: the role, and the channels it
/// was declared with (its record holds none while it lacks the role).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lacking {
    pub(crate) role: u32,
    pub(crate) channels: Channels,
}

/// The live resources numbered depth first, once per check: resource `n`'s
/// subtree is the numbers `enter[n] .. enter[n] + size[n]`.
struct Tree {
    /// The live resources, each after its parent.
    order: Vec<u32>,
    enter: Vec<u32>,
    size: Vec<u32>,
}

impl Tree {
    fn new(policy: &Policy) -> Tree {
        let count = policy.nodes.len();
        let mut tree = Tree {
            order: Vec::with_capacity(count),
            enter: alloc::vec![0; count],
            size: alloc::vec![0; count],
        };
        let roots = policy
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, node)| node.is_live() && node.parent_id().is_none())
            .filter_map(|(index, _)| u32::try_from(index).ok());
        let mut stack: Vec<u32> = roots.collect();
        while let Some(node) = stack.pop() {
            if let Some(enter) = tree.enter.get_mut(node as usize) {
                *enter = u32::try_from(tree.order.len()).unwrap_or(u32::MAX);
            }
            tree.order.push(node);
            stack.extend(policy.children(node));
        }
        // Children after their parent, so backwards every subtree is
        // complete before its root is read.
        for &node in tree.order.iter().rev() {
            let size = tree.size.get(node as usize).copied().unwrap_or(0) + 1;
            if let Some(own) = tree.size.get_mut(node as usize) {
                *own = size;
            }
            if let Some(parent) = parent_of(policy, node) {
                if let Some(above) = tree.size.get_mut(parent as usize) {
                    *above += size;
                }
            }
        }
        tree
    }

    /// The numbers of `node`'s subtree, itself included.
    fn span(&self, node: u32) -> core::ops::Range<u32> {
        let enter = self.enter.get(node as usize).copied().unwrap_or(0);
        let size = self.size.get(node as usize).copied().unwrap_or(0);
        enter..enter.saturating_add(size)
    }

    /// Whether one of `below` (numbers, sorted) lies strictly below `node`.
    fn any_strictly_below(&self, node: u32, below: &[u32]) -> bool {
        let span = self.span(node);
        let first = below.partition_point(|&at| at <= span.start);
        below.get(first).is_some_and(|&at| at < span.end)
    }
}

/// What one requirement names, by resource.
struct Targets {
    /// The targets in each resource's subtree, itself included.
    below: Vec<u32>,
    /// Whether each resource is a target or lies below one.
    under: Vec<bool>,
}

impl Targets {
    fn new(policy: &Policy, tree: &Tree, on: Option<ResourceKind>) -> Targets {
        let count = policy.nodes.len();
        let mut targets = Targets {
            below: alloc::vec![0; count],
            under: alloc::vec![false; count],
        };
        let is_target = |node: u32| {
            policy.nodes.get(node as usize).is_some_and(|at| match on {
                None => at.parent_id().is_none(),
                Some(kind) => at.kind == kind,
            })
        };
        for &node in &tree.order {
            let parent_under = parent_of(policy, node)
                .is_some_and(|parent| targets.under.get(parent as usize) == Some(&true));
            if let Some(under) = targets.under.get_mut(node as usize) {
                *under = parent_under || is_target(node);
            }
        }
        for &node in tree.order.iter().rev() {
            let here =
                targets.below.get(node as usize).copied().unwrap_or(0) + u32::from(is_target(node));
            if let Some(own) = targets.below.get_mut(node as usize) {
                *own = here;
            }
            if let Some(parent) = parent_of(policy, node) {
                if let Some(above) = targets.below.get_mut(parent as usize) {
                    *above += here;
                }
            }
        }
        targets
    }

    fn below(&self, node: u32) -> u32 {
        self.below.get(node as usize).copied().unwrap_or(0)
    }

    /// Whether a deny on `node` takes something the requirement names: it
    /// is on a target, above one or below one.
    fn touched_by(&self, node: u32) -> bool {
        self.below(node) > 0 || self.under.get(node as usize) == Some(&true)
    }
}

/// What the grants of one group (a team, or everyone in one tenant) say
/// about one required role.
#[derive(Default)]
struct GroupFacts {
    /// Whether it is denied a role sharing a permission with it where
    /// that matters.
    denied: bool,
    /// Its uncut carriers: each one's scope, and who may hold the grant.
    carriers: SmallVec<[(u32, UserTypes); 2]>,
    /// Who is given every target by one carrier alone (a grant on the
    /// root, most often).
    whole: UserTypes,
}

/// The facts of every group, dense by team; everyone's by tenant.
#[derive(Default)]
struct Groups {
    teams: Vec<GroupFacts>,
    everyone: BTreeMap<u32, GroupFacts>,
}

impl Groups {
    fn get(&self, tenant: u32, key: u32) -> Option<&GroupFacts> {
        if key == principal_key::EVERYONE {
            self.everyone.get(&tenant)
        } else {
            self.teams.get((key & principal_key::INDEX_MASK) as usize)
        }
    }

    /// The facts of a team or everyone's (`None` for another principal).
    fn get_mut(&mut self, tenant: u32, key: u32) -> Option<&mut GroupFacts> {
        match key & !principal_key::INDEX_MASK {
            principal_key::EVERYONE => Some(self.everyone.entry(tenant).or_default()),
            principal_key::TEAM => self
                .teams
                .get_mut((key & principal_key::INDEX_MASK) as usize),
            _ => None,
        }
    }
}

impl Requirement {
    /// Whether the account `record` must hold the role.
    fn applies_to(&self, policy: &Policy, record: &UserRecord) -> bool {
        match self.holders {
            Holders::Types(types) => types.intersects(record.user_types()),
            Holders::Team(team) => policy.teams_of(record).binary_search(&team).is_ok(),
        }
    }
}

/// The parent of resource `node`, if it has one.
fn parent_of(policy: &Policy, node: u32) -> Option<u32> {
    policy.parent(ResourceId(node)).map(|parent| parent.0)
}

/// One requirement's check: what it names, and what the group grants say.
struct Check<'p> {
    policy: &'p Policy,
    tree: &'p Tree,
    role: u32,
    needed: Permissions,
    targets: Targets,
    groups: Groups,
    /// The cover of everyone's carriers and of one team's (the account's
    /// team with the most), by tenant, user types (which of everyone's
    /// grants reach it) and that team: an index of `covers`.
    shared: BTreeMap<(u32, u8, Option<u32>), usize>,
    /// The answer for accounts with no carrier of their own, by tenant,
    /// user types and the teams of theirs that carry the role. Teams that
    /// carry nothing are left out of the key, so that accounts which
    /// differ only by them (a team of one each, say) share one answer.
    answers: BTreeMap<(u32, u8, SmallVec<[u32; 4]>), bool>,
    covers: Vec<Cover>,
}

impl<'p> Check<'p> {
    fn new(policy: &'p Policy, tree: &'p Tree, requirement: &Requirement) -> Check<'p> {
        let mut check = Check {
            policy,
            tree,
            role: requirement.role,
            needed: policy.all_permissions_of(requirement.role),
            targets: Targets::new(policy, tree, requirement.on),
            groups: Groups::default(),
            shared: BTreeMap::new(),
            answers: BTreeMap::new(),
            covers: Vec::new(),
        };
        check.groups = check.group_facts();
        check
    }

    /// Whether a deny of role `role` on `scope` takes the required role.
    fn takes(&self, role: u32, scope: u32) -> bool {
        self.policy.all_permissions_of(role).intersects(self.needed)
            && self.targets.touched_by(scope)
    }

    /// Whether a grant of role `role`, unconditional, on `scope` carries
    /// the required role to a target.
    fn carries(&self, role: u32, condition: Condition, scope: u32) -> bool {
        role == self.role && condition == Condition::Always && self.targets.below(scope) > 0
    }

    /// What the group grants say, group by group: carriers, denies, and
    /// the overrides that cut carriers.
    fn group_facts(&self) -> Groups {
        let mut groups = Groups {
            teams: core::iter::repeat_with(GroupFacts::default)
                .take(self.policy.catalog.team_tenants.len())
                .collect(),
            everyone: BTreeMap::new(),
        };
        let mut overrides: BTreeMap<(u32, u32), Vec<u32>> = BTreeMap::new();
        for &scope in &self.tree.order {
            let Some(node) = self.policy.nodes.get(scope as usize) else {
                continue;
            };
            for entry in self.policy.group_grants(node) {
                if entry.effect == Effect::Override {
                    // In depth-first order, so each list is sorted.
                    let start = self.tree.span(scope).start;
                    overrides
                        .entry((node.tenant, entry.key))
                        .or_default()
                        .push(start);
                }
                let Some(facts) = groups.get_mut(node.tenant, entry.key) else {
                    continue;
                };
                if entry.effect == Effect::Deny {
                    facts.denied |= self.takes(entry.role, scope);
                } else if self.carries(entry.role, entry.condition, scope) {
                    // A team's grant reaches all its members; everyone's,
                    // those who may hold it.
                    let eligible = if entry.key == principal_key::EVERYONE {
                        entry.eligible
                    } else {
                        UserTypes::all()
                    };
                    facts.carriers.push((scope, eligible));
                }
            }
        }
        for ((tenant, key), cuts) in &overrides {
            if let Some(facts) = groups.get_mut(*tenant, *key) {
                facts
                    .carriers
                    .retain(|(scope, _)| !self.tree.any_strictly_below(*scope, cuts));
            }
        }
        let total = |tenant: u32| self.targets.below(tenant);
        let tenants_of_teams = &self.policy.catalog.team_tenants;
        for (facts, &tenant) in groups.teams.iter_mut().zip(tenants_of_teams) {
            facts.whole = self.whole(&facts.carriers, total(tenant));
        }
        for (&tenant, facts) in &mut groups.everyone {
            facts.whole = self.whole(&facts.carriers, total(tenant));
        }
        groups
    }

    /// Who is given all `total` targets by one of `carriers` alone.
    fn whole(&self, carriers: &[(u32, UserTypes)], total: u32) -> UserTypes {
        carriers
            .iter()
            .filter(|&&(scope, _)| self.targets.below(scope) == total)
            .fold(UserTypes::empty(), |whole, &(_, eligible)| whole | eligible)
    }

    /// Whether user `user` holds the role (see the module docs).
    fn holds(&mut self, user: u32, record: &'p UserRecord) -> bool {
        let tenant = record.tenant;
        let mut own: SmallVec<[u32; 4]> = SmallVec::new();
        let mut own_cuts: SmallVec<[u32; 4]> = SmallVec::new();
        for grant in self.policy.own_grants(user, record) {
            if grant.effect == Effect::Deny {
                if self.takes(grant.role, grant.scope) {
                    return false;
                }
                continue;
            }
            if self.carries(grant.role, grant.condition, grant.scope) {
                own.push(grant.scope);
            }
            if grant.effect == Effect::Override {
                own_cuts.push(self.tree.span(grant.scope).start);
            }
        }
        if !own_cuts.is_empty() && !own.is_empty() {
            own_cuts.sort_unstable();
            own.retain(|scope| !self.tree.any_strictly_below(*scope, &own_cuts));
        }
        let teams = self.policy.teams_of(record);
        let types = record.user_types();
        let total = self.targets.below(tenant);
        // Most often one carrier covers everything (a grant on the root).
        let mut whole = own.iter().any(|&scope| self.targets.below(scope) == total);
        let keys = teams
            .iter()
            .map(|&team| principal_key::TEAM | team)
            .chain([principal_key::EVERYONE]);
        for key in keys {
            if let Some(facts) = self.groups.get(tenant, key) {
                if facts.denied {
                    return false;
                }
                whole |= facts.whole.intersects(types);
            }
        }
        if whole {
            return true;
        }
        let carrying: SmallVec<[u32; 4]> = teams
            .iter()
            .copied()
            .filter(|&team| self.team_carriers(tenant, team).next().is_some())
            .collect();
        let shared = (tenant, types.bits(), carrying);
        if own.is_empty() {
            if let Some(&held) = self.answers.get(&shared) {
                return held;
            }
        }
        // The cover of everyone's carriers and of the team with the most is
        // shared by every account of that team; the other teams' carriers
        // are added to it as the account's own are, so an account pays for
        // its smaller teams, not for the largest again.
        let base = shared.2.iter().copied().max_by_key(|&team| {
            self.groups
                .get(tenant, principal_key::TEAM | team)
                .map_or(0, |facts| facts.carriers.len())
        });
        let mut added: SmallVec<[u32; 4]> = own.clone();
        for &team in shared.2.iter().filter(|&&team| Some(team) != base) {
            added.extend(self.team_carriers(tenant, team));
        }
        let index = self.group_cover(tenant, types, base);
        let held = self.covers.get(index).is_some_and(|cover| {
            cover.reached.saturating_add(cover.own_extra(self, &added)) == total
        });
        if own.is_empty() {
            self.answers.insert(shared, held);
        }
        held
    }

    /// The scopes of team `team`'s uncut carriers.
    fn team_carriers(&self, tenant: u32, team: u32) -> impl Iterator<Item = u32> + '_ {
        self.groups
            .get(tenant, principal_key::TEAM | team)
            .into_iter()
            .flat_map(|facts| facts.carriers.iter().map(|&(scope, _)| scope))
    }

    /// What the carriers of everyone (for an account of `types`) and of
    /// team `base` cover in `tenant`, computed once for every account of
    /// that team and those types. Its index in `covers`.
    fn group_cover(&mut self, tenant: u32, types: UserTypes, base: Option<u32>) -> usize {
        let shared = (tenant, types.bits(), base);
        if let Some(&index) = self.shared.get(&shared) {
            return index;
        }
        let cover = self.cover_of(tenant, types, base);
        let index = self.covers.len();
        self.covers.push(cover);
        self.shared.insert(shared, index);
        index
    }

    fn cover_of(&self, tenant: u32, types: UserTypes, base: Option<u32>) -> Cover {
        let groups = base
            .map(|team| principal_key::TEAM | team)
            .into_iter()
            .chain([principal_key::EVERYONE])
            .filter_map(|key| self.groups.get(tenant, key))
            .flat_map(|facts| facts.carriers.iter())
            .filter(|(_, who)| who.intersects(types))
            .map(|&(scope, _)| scope);
        let mut cover = Cover::default();
        let mut spans: Vec<core::ops::Range<u32>> =
            groups.map(|scope| self.tree.span(scope)).collect();
        for span in outermost(&mut spans) {
            let targets = self.targets_in(span.clone());
            cover.reached = cover.reached.saturating_add(targets);
            cover.prefix.push(cover.reached);
            cover.spans.push(span);
        }
        cover
    }

    /// The targets in the subtree numbered `span`.
    fn targets_in(&self, span: core::ops::Range<u32>) -> u32 {
        let root = self
            .tree
            .order
            .get(span.start as usize)
            .copied()
            .unwrap_or(0);
        self.targets.below(root)
    }
}

/// What some groups' carriers cover: their outermost subtrees (numbered,
/// in order) and the targets in them, counted up.
#[derive(Default)]
struct Cover {
    spans: Vec<core::ops::Range<u32>>,
    /// `prefix[i]`: the targets in `spans[..=i]`.
    prefix: Vec<u32>,
    reached: u32,
}

impl Cover {
    /// The targets the carriers at `own` (scopes) add to this cover.
    fn own_extra(&self, check: &Check<'_>, own: &[u32]) -> u32 {
        let mut spans: SmallVec<[core::ops::Range<u32>; 4]> =
            own.iter().map(|&scope| check.tree.span(scope)).collect();
        let mut extra = 0u32;
        for span in outermost(&mut spans) {
            // Subtrees nest or are apart: the last group subtree starting
            // at or before this one holds it, or none does.
            let before = self
                .spans
                .partition_point(|group| group.start <= span.start);
            let held = before
                .checked_sub(1)
                .and_then(|last| self.spans.get(last))
                .is_some_and(|group| group.end >= span.end);
            if held {
                continue;
            }
            // The group subtrees starting inside this one lie inside it.
            let first = self.spans.partition_point(|group| group.start < span.start);
            let last = self.spans.partition_point(|group| group.start < span.end);
            let counted = |at: usize| {
                at.checked_sub(1)
                    .and_then(|i| self.prefix.get(i))
                    .copied()
                    .unwrap_or(0)
            };
            let inside = counted(last).saturating_sub(counted(first));
            extra = extra.saturating_add(check.targets_in(span).saturating_sub(inside));
        }
        extra
    }
}

/// The outermost of `spans` (subtrees, which nest or are apart), in order.
fn outermost<'s>(
    spans: &'s mut [core::ops::Range<u32>],
) -> impl Iterator<Item = core::ops::Range<u32>> + 's {
    spans.sort_unstable_by_key(|span| (span.start, core::cmp::Reverse(span.end)));
    let mut end = 0u32;
    spans.iter().filter_map(move |span| {
        if span.start < end {
            return None;
        }
        end = span.end;
        Some(span.clone())
    })
}

impl Policy {
    /// The permissions of role `role` on any kind of resource.
    fn all_permissions_of(&self, role: u32) -> Permissions {
        self.roles
            .get(role as usize)
            .map_or(Permissions::empty(), |kinds| {
                kinds
                    .iter()
                    .fold(Permissions::empty(), |all, &kind| all | kind)
            })
    }

    /// Every live account that lacks a role required of it, with the first
    /// such role; empty at once without requirements. Linear in the
    /// resources and the grants, and in the accounts' own grants and teams
    /// (see the module docs).
    pub(crate) fn lacking_now(&self) -> BTreeMap<u32, u32> {
        let mut lacking = BTreeMap::new();
        if self.required.is_empty() {
            return lacking;
        }
        let tree = Tree::new(self);
        for requirement in &self.required {
            let mut check = Check::new(self, &tree, requirement);
            for (index, record) in self.users.iter().enumerate() {
                let Ok(user) = u32::try_from(index) else {
                    break;
                };
                if !record.is_live()
                    || lacking.contains_key(&user)
                    || !requirement.applies_to(self, record)
                {
                    continue;
                }
                if !check.holds(user, record) {
                    lacking.insert(user, requirement.role);
                }
            }
        }
        lacking
    }

    /// The channels user `user` (whose record is `record`) was declared
    /// with: its record's, or, while it lacks a required role (its record
    /// then holds none), those kept aside.
    pub(crate) fn declared_channels(&self, user: u32, record: &UserRecord) -> Channels {
        match self.lacking.get(&user) {
            Some(lacking) => lacking.channels,
            None => record.channels(),
        }
    }
}
