//! Phase 4 of [`build`](super::PolicyBuilder::build): teams and users.
//! Each team gets its tenant; each user its tenant, channels and teams
//! (sorted, without repeats), checked by the [rules](crate::policy::rules)
//! changes check too, and its record made by the store; then the seats the
//! users take are counted.
//!
//! Owns: resolving teams and users, and reporting what is wrong with
//! them. Must never: write a field of a user record (the store makes each
//! record, [`user_record`]) or restate a rule of
//! [`rules`](crate::policy::rules).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::directory::Status;
use crate::error::{lookup, try_lookup, Entity, Problem, Problems};
use crate::label::Labels;
use crate::policy::assemble::user_record;
use crate::policy::rules::{
    crosses_tenants, exclusive_breach, over_seats, seats_used, too_many_teams, user_channels,
    ExclusiveTeams,
};
use crate::policy::{
    id_at, Catalog, Holders, Requirement, UserRecord, MAX_TEAMS_PER_USER, NONE, REMOVED,
};
use crate::role::{RequiredOf, TeamTypes};

use super::tree::{resolved, Tree};
use super::PolicyBuilder;

/// Teams and users, resolved.
pub(super) struct Members {
    /// Each team's tenant ([`REMOVED`] for a removed team, [`NONE`] when
    /// unresolved).
    pub(super) team_tenants: Vec<u32>,
    /// Each user's record, made by the store.
    pub(super) users: Vec<UserRecord>,
    /// The teams arena the records point into.
    pub(super) user_teams: Vec<u32>,
    /// The first member of each type of each team, for eligibility.
    pub(super) team_types: TeamTypes,
    /// When each invited user's invitation expires.
    pub(super) invitations: BTreeMap<u32, u64>,
    /// The protected accounts ([`User::protected`](crate::User::protected)).
    pub(super) protected: BTreeSet<u32>,
    /// Each user's labels; empty when no user has any.
    pub(super) user_labels: Vec<Labels>,
}

impl Members {
    /// The tenant of user `user` ([`NONE`] when unknown or unresolved).
    pub(super) fn tenant_of_user(&self, user: u32) -> u32 {
        self.users
            .get(user as usize)
            .map_or(NONE, |record| record.tenant)
    }
}

impl PolicyBuilder {
    /// Resolves every team and user.
    pub(super) fn members(
        &self,
        catalog: &Catalog,
        tree: &Tree,
        problems: &mut Problems,
    ) -> Members {
        let team_tenants: Vec<u32> = self
            .teams
            .iter()
            .enumerate()
            .map(|(index, (name, tenant))| {
                if self.is_removed(Entity::Team, index) {
                    return REMOVED;
                }
                tenant_or_problem(catalog, tree.tenant_named(catalog, tenant), tenant, || {
                    self.origin_or(Entity::Team, index, || format!("team {name:?}"))
                })
                .map_err(|problem| problems.push(problem))
                .unwrap_or(NONE)
            })
            .collect();
        let mut users = Vec::with_capacity(self.users.len());
        let mut user_teams: Vec<u32> = Vec::new();
        let mut team_types = TeamTypes::new(self.teams.len());
        let mut invitations: BTreeMap<u32, u64> = BTreeMap::new();
        let mut protected: BTreeSet<u32> = BTreeSet::new();
        let mut user_labels: Vec<Labels> = Vec::new();
        for (index, user) in self.users.iter().enumerate() {
            let id = id_at(index);
            if self.is_removed(Entity::User, index) {
                // What removing a user leaves: no tenant, teams or labels.
                users.push(user_record(
                    REMOVED,
                    user.user_type,
                    user.user_type.channels(),
                    Status::Deactivated,
                    user_teams.len(),
                    &[],
                ));
                continue;
            }
            let referrer =
                || self.origin_or(Entity::User, index, || format!("user {:?}", user.name));
            let tenant = tenant_or_problem(
                catalog,
                tree.tenant_named(catalog, &user.tenant),
                &user.tenant,
                referrer,
            )
            .map_err(|problem| problems.push(problem))
            .unwrap_or(NONE);
            let channels = user_channels(user.user_type, user.channels).unwrap_or_else(|beyond| {
                problems.push_with(|| Problem::ChannelsNotAllowed {
                    user: user.name.clone(),
                    user_type: user.user_type,
                    extra: beyond.extra,
                });
                beyond.allowed
            });
            let start = user_teams.len();
            for team in &user.teams {
                let team_id = lookup(&catalog.teams, team, Entity::Team, referrer, problems);
                let Some(&team_tenant) = team_tenants.get(team_id as usize) else {
                    continue;
                };
                if crosses_tenants(resolved(team_tenant), resolved(tenant)) {
                    problems.push_with(|| Problem::CrossesTenants {
                        referrer: format!("{} (membership in team {team:?})", referrer()),
                        what: team.clone(),
                        tenant: user.tenant.clone(),
                        other_tenant: self.resource_name(team_tenant).to_string(),
                    });
                    continue;
                }
                user_teams.push(team_id);
            }
            let unique = sort_and_dedup(user_teams.get_mut(start..).unwrap_or(&mut []));
            user_teams.truncate(start + unique);
            if too_many_teams(unique) {
                problems.push_with(|| Problem::TooManyTeams {
                    user: user.name.clone(),
                    count: unique,
                    max: MAX_TEAMS_PER_USER,
                });
            }
            let teams = user_teams.get(start..).unwrap_or(&[]);
            for &team in teams {
                team_types.add(team, id, user.user_type);
            }
            users.push(user_record(
                tenant,
                user.user_type,
                channels,
                user.status,
                start,
                teams,
            ));
            if let Status::Invited { until } = user.status {
                invitations.insert(id, until);
            }
            if user.protected {
                protected.insert(id);
            }
            if !user.labels.is_empty() {
                if user_labels.is_empty() {
                    user_labels = vec![Labels::empty(); self.users.len()];
                }
                if let Some(slot) = user_labels.get_mut(index) {
                    *slot = user.labels;
                }
            }
        }
        Members {
            team_tenants,
            users,
            user_teams,
            team_types,
            invitations,
            protected,
            user_labels,
        }
    }

    /// Reports a model whose active users take more seats than it has.
    pub(super) fn check_seats(&self, members: &Members, problems: &mut Problems) {
        if let Some(seats) = self.seats {
            let used = seats_used(&members.users, seats);
            if over_seats(seats, used) {
                problems.push(Problem::SeatsExceeded {
                    used,
                    limit: seats.limit,
                });
            }
        }
    }
}

/// Sorts `teams` and moves each id's first copy to the front (a user named
/// a team twice); answers how many distinct ids there are.
fn sort_and_dedup(teams: &mut [u32]) -> usize {
    teams.sort_unstable();
    let mut unique = teams.len();
    if unique > 1 {
        let mut write = 1;
        for read in 1..teams.len() {
            if teams.get(read) != teams.get(write - 1) {
                teams.swap(read, write);
                write += 1;
            }
        }
        unique = write;
    }
    unique
}

/// The tenant `tenant` (the id of the root named `name`), or the problem
/// with `name`: a resource that is not a root, or no resource at all.
fn tenant_or_problem(
    catalog: &Catalog,
    tenant: Option<u32>,
    name: &str,
    referrer: impl FnOnce() -> String,
) -> Result<u32, Problem> {
    match tenant {
        Some(id) => Ok(id),
        None if catalog.resources.contains(name) => Err(Problem::NotATenant {
            referrer: referrer(),
            name: name.to_string(),
        }),
        None => Err(Problem::UnknownReference {
            referrer: referrer(),
            entity: Entity::Resource,
            name: name.to_string(),
        }),
    }
}

impl PolicyBuilder {
    /// Resolves the required roles: the role, and the team of a
    /// requirement of a team's members.
    pub(super) fn requirements(
        &self,
        catalog: &Catalog,
        problems: &mut Problems,
    ) -> Vec<Requirement> {
        let mut required = Vec::with_capacity(self.required.len());
        for (index, (of, role, on)) in self.required.iter().enumerate() {
            let referrer = || format!("required role #{index} ({role:?})");
            let role = try_lookup(&catalog.role_ids, role, Entity::Role, referrer, problems);
            let holders = match of {
                RequiredOf::Types(types) => Some(Holders::Types(*types)),
                RequiredOf::Team(team) => {
                    try_lookup(&catalog.teams, team, Entity::Team, referrer, problems)
                        .map(Holders::Team)
                }
            };
            if let (Some(role), Some(holders)) = (role, holders) {
                // Declared twice is required once: each requirement costs
                // every change a pass over the accounts.
                let requirement = Requirement {
                    holders,
                    role,
                    on: *on,
                };
                if !required.contains(&requirement) {
                    required.push(requirement);
                }
            }
        }
        required
    }
}

impl PolicyBuilder {
    /// Resolves the sets of exclusive teams, each of one tenant, and
    /// reports every user of that tenant in none or several of a set's
    /// teams ([`exclusive_breach`]), set by set.
    ///
    /// The users are read once, each against the sets of its own tenant:
    /// a model declares a set per tenant (Smartflow does), so reading
    /// every user for every set would grow with the square of the tenants.
    pub(super) fn exclusive_sets(
        &self,
        catalog: &Catalog,
        members: &Members,
        problems: &mut Problems,
    ) -> Vec<ExclusiveTeams> {
        let mut sets = Vec::with_capacity(self.exclusive.len());
        // The declaration each resolved set comes from.
        let mut declared = Vec::with_capacity(self.exclusive.len());
        for (index, names) in self.exclusive.iter().enumerate() {
            let referrer = || format!("exclusive teams #{index} ({names:?})");
            if names.is_empty() {
                problems.push_with(|| Problem::EmptyExclusiveSet { index });
                continue;
            }
            let mut teams: Vec<u32> = names
                .iter()
                .filter_map(|team| {
                    try_lookup(&catalog.teams, team, Entity::Team, referrer, problems)
                })
                .collect();
            teams.sort_unstable();
            teams.dedup();
            let tenants: Vec<u32> = teams
                .iter()
                .filter_map(|&team| members.team_tenants.get(team as usize).copied())
                .collect();
            let Some(&tenant) = tenants.first() else {
                continue;
            };
            if let Some(&other) = tenants.iter().find(|&&other| other != tenant) {
                problems.push_with(|| Problem::CrossesTenants {
                    referrer: referrer(),
                    what: names.join(", "),
                    tenant: self.resource_name(tenant).to_string(),
                    other_tenant: self.resource_name(other).to_string(),
                });
                continue;
            }
            sets.push(ExclusiveTeams { tenant, teams });
            declared.push(names);
        }
        if sets.is_empty() {
            return sets;
        }
        let mut by_tenant: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (at, set) in sets.iter().enumerate() {
            by_tenant.entry(set.tenant).or_default().push(at);
        }
        // (set, user, teams of the set held), in user order for each set.
        let mut breaches: Vec<(usize, usize, usize)> = Vec::new();
        for (user, record) in members.users.iter().enumerate() {
            if !record.is_live() {
                continue;
            }
            let Some(of_tenant) = by_tenant.get(&record.tenant) else {
                continue;
            };
            let start = record.teams_start as usize;
            let held = members
                .user_teams
                .get(start..start + record.teams_len())
                .unwrap_or(&[]);
            for &at in of_tenant {
                let set = sets.get(at..=at).unwrap_or(&[]);
                if let Some((_, count)) = exclusive_breach(set, record.tenant, held) {
                    breaches.push((at, user, count));
                }
            }
        }
        breaches.sort_by_key(|&(at, user, _)| (at, user));
        for (at, user, count) in breaches {
            let (Some(user), Some(names)) = (self.users.get(user), declared.get(at)) else {
                continue;
            };
            problems.push_with(|| Problem::NotInExactlyOneTeam {
                user: user.name.clone(),
                teams: (*names).clone(),
                count,
            });
        }
        sets
    }
}
