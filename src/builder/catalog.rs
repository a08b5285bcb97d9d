//! Phase 1 of [`build`](super::PolicyBuilder::build): every declared
//! name gets its id, in declaration order, in the policy's name tables.
//!
//! Owns: duplicate names, too many entities of a kind, and the names
//! removed entities keep without standing for anything. Must never: look
//! a reference up (later phases do, in the tables made here).

use alloc::collections::btree_map::Entry;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Entity, Problem, Problems};
use crate::names::{HashSeed, NameTable, TextFull};
use crate::policy::{id_at, principal_key, Catalog, MAX_ENTITIES};

use super::PolicyBuilder;

impl PolicyBuilder {
    /// Names and ids of every entity; duplicate names and id-space overflows
    /// become problems.
    pub(super) fn catalog(&self, problems: &mut Problems) -> Catalog {
        fn names<'a>(
            seed: HashSeed,
            declared: impl ExactSizeIterator<Item = &'a String>,
            entity: Entity,
            max: usize,
            is_removed: &dyn Fn(Entity, usize) -> bool,
            problems: &mut Problems,
        ) -> NameTable {
            let count = declared.len();
            let mut table = NameTable::with_seed(seed);
            table.reserve(count);
            for (index, name) in declared.enumerate() {
                if is_removed(entity, index) {
                    // The id keeps its name, which stands for nothing.
                    match table.push(name) {
                        Ok((id, true)) => table.forget(id),
                        Ok((_, false)) => {}
                        Err(TextFull) => {
                            problems.push(Problem::TooMany { entity, count, max });
                            break;
                        }
                    }
                    continue;
                }
                match table.push(name) {
                    Ok((_, true)) => {}
                    // The first declaration keeps the name.
                    Ok((_, false)) => problems.push_with(|| Problem::DuplicateName {
                        entity,
                        name: name.clone(),
                    }),
                    Err(TextFull) => {
                        problems.push(Problem::TooMany { entity, count, max });
                        break;
                    }
                }
            }
            if count > max {
                problems.push(Problem::TooMany { entity, count, max });
            }
            table.shrink_to_fit();
            table
        }
        let is_removed = |entity: Entity, index: usize| self.is_removed(entity, index);
        // One key for the policy's tables: the host's, or a fresh random one.
        let seed = self.hash_seed.unwrap_or_else(HashSeed::random);
        let ids_max = MAX_ENTITIES;
        let resources = names(
            seed,
            self.resources.iter().map(|d| &d.name),
            Entity::Resource,
            ids_max,
            &is_removed,
            problems,
        );
        let users = names(
            seed,
            self.users.iter().map(|u| &u.name),
            Entity::User,
            principal_key::MAX_INDEX,
            &is_removed,
            problems,
        );
        let teams = names(
            seed,
            self.teams.iter().map(|t| &t.0),
            Entity::Team,
            principal_key::MAX_INDEX,
            &is_removed,
            problems,
        );
        let mut role_ids = BTreeMap::new();
        for (index, role) in self.roles.iter().enumerate() {
            if self.is_removed(Entity::Role, index) {
                // A removed role keeps its name in the list, not its id.
                continue;
            }
            match role_ids.entry(role.name.clone()) {
                Entry::Vacant(slot) => {
                    slot.insert(id_at(index));
                }
                Entry::Occupied(_) => problems.push_with(|| Problem::DuplicateName {
                    entity: Entity::Role,
                    name: role.name.clone(),
                }),
            }
        }
        if self.roles.len() > ids_max {
            problems.push(Problem::TooMany {
                entity: Entity::Role,
                count: self.roles.len(),
                max: ids_max,
            });
        }
        let keys = names(
            seed,
            self.keys.iter().map(|k| &k.name),
            Entity::Key,
            ids_max,
            &is_removed,
            problems,
        );
        let links = names(
            seed,
            self.links.iter().map(|l| &l.name),
            Entity::Link,
            ids_max,
            &is_removed,
            problems,
        );
        Catalog {
            resources,
            users,
            teams,
            roles: self.roles.clone(),
            keys,
            links,
            role_ids,
            team_tenants: Vec::new(),
            role_eligible: Vec::new(),
        }
    }
}
