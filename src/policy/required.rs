//! Required roles ([`PolicyBuilder::require_role`](crate::PolicyBuilder::require_role)):
//! which accounts a requirement applies to, whether each holds its role,
//! and so which accounts lack one.
//!
//! Owns: the rule "an account holds a required role", read the way that
//! leaves it the least, so that whatever this calls held is held
//! everywhere in its tenant. Must never: write the layout (the store marks
//! the accounts, [`Policy::mark_lacking`]) or be read by a decision (a
//! decision reads the mark, on its cold path).
//!
//! An account holds role `R` when:
//!
//! 1. a grant of `R` on its tenant root reaches it, with effect allow or
//!    override and no condition: its own, one of its teams', or everyone's
//!    (when its type may hold `R`), a *carrier*;
//! 2. no deny reaches it anywhere in its tenant (its own, one of its
//!    teams', everyone's; under any condition) of a role that shares a
//!    permission with `R`; and
//! 3. some carrier is given no override below the root (an override cuts
//!    what its principal holds above it).
//!
//! Conditional grants never count toward 1 and always count toward 2, so
//! the rule never calls held what labels could take away.

use alloc::collections::{BTreeMap, BTreeSet};

use crate::directory::{Channels, UserTypes};
use crate::grant::Effect;
use crate::label::Condition;
use crate::permission::Permissions;

use super::{principal_key, Policy, UserRecord};

/// Whom a compiled requirement applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holders {
    /// Every account of these types.
    Types(UserTypes),
    /// Every member of this team.
    Team(u32),
}

/// A compiled requirement: `holders` must hold role `role` on their
/// tenant root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Requirement {
    pub(crate) holders: Holders,
    pub(crate) role: u32,
}

/// An account that lacks a required role: the role, and the channels it
/// was declared with (its record holds none while it lacks the role).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lacking {
    pub(crate) role: u32,
    pub(crate) channels: Channels,
}

/// What the group grants of one tenant say about one required role, by
/// principal key.
#[derive(Default)]
struct GroupFacts {
    /// Keys holding the role on the root (allow or override, no
    /// condition), with who may hold the grant.
    carriers: BTreeMap<(u32, u32), UserTypes>,
    /// Keys denied a role sharing a permission with it, anywhere.
    denied: BTreeSet<(u32, u32)>,
    /// Keys given an override below a root.
    overridden: BTreeSet<(u32, u32)>,
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
    /// such role. Linear in the grants and in the accounts' teams and own
    /// grants; empty at once without requirements.
    pub(crate) fn lacking_now(&self) -> BTreeMap<u32, u32> {
        let mut lacking = BTreeMap::new();
        for requirement in &self.required {
            let facts = self.group_facts(requirement.role);
            let shares = |role: u32| {
                self.all_permissions_of(role)
                    .intersects(self.all_permissions_of(requirement.role))
            };
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
                if !self.holds(user, record, requirement.role, &facts, &shares) {
                    lacking.insert(user, requirement.role);
                }
            }
        }
        lacking
    }

    /// Whether user `user` holds role `role` (see the module docs).
    fn holds(
        &self,
        user: u32,
        record: &UserRecord,
        role: u32,
        facts: &GroupFacts,
        shares: &impl Fn(u32) -> bool,
    ) -> bool {
        let tenant = record.tenant;
        let mut carried_uncut = false;
        let mut own_carrier = false;
        let mut own_overridden = false;
        for grant in self.own_grants(user, record) {
            let at_root = grant.scope == tenant;
            match grant.effect {
                Effect::Deny if shares(grant.role) => return false,
                Effect::Deny => {}
                Effect::Allow | Effect::Override => {
                    if at_root && grant.role == role && grant.condition == Condition::Always {
                        own_carrier = true;
                    }
                    if grant.effect == Effect::Override && !at_root {
                        own_overridden = true;
                    }
                }
            }
        }
        if own_carrier && !own_overridden {
            carried_uncut = true;
        }
        let groups = self
            .teams_of(record)
            .iter()
            .map(|&team| principal_key::TEAM | team)
            .chain([principal_key::EVERYONE]);
        for key in groups {
            if facts.denied.contains(&(tenant, key)) {
                return false;
            }
            if let Some(&eligible) = facts.carriers.get(&(tenant, key)) {
                let reaches =
                    key != principal_key::EVERYONE || eligible.intersects(record.user_types());
                if reaches && !facts.overridden.contains(&(tenant, key)) {
                    carried_uncut = true;
                }
            }
        }
        carried_uncut
    }

    /// What the group grants of every tenant say about role `role`.
    fn group_facts(&self, role: u32) -> GroupFacts {
        let needed = self.all_permissions_of(role);
        let mut facts = GroupFacts::default();
        for node in self.nodes.iter().filter(|node| node.is_live()) {
            let tenant = node.tenant;
            let at_root = node.parent_id().is_none();
            for entry in self.group_grants(node) {
                let key = (tenant, entry.key);
                match entry.effect {
                    Effect::Deny => {
                        if self.all_permissions_of(entry.role).intersects(needed) {
                            facts.denied.insert(key);
                        }
                    }
                    Effect::Allow | Effect::Override => {
                        if at_root && entry.role == role && entry.condition == Condition::Always {
                            let eligible = facts.carriers.entry(key).or_insert(UserTypes::empty());
                            *eligible |= entry.eligible;
                        }
                        if entry.effect == Effect::Override && !at_root {
                            facts.overridden.insert(key);
                        }
                    }
                }
            }
        }
        facts
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
