//! Changes to who is there: teams, users and their memberships, keys and
//! links.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::directory::{ApiKey, PublicLink, Status, TeamId, User, UserId, UserType};
use crate::error::{ChangeProblem, Entity};
use crate::grant::Principal;
use crate::policy::rules::{
    crosses_tenants, exclusive_breach, may_hold, seat_for, seats_used, too_many_teams,
    user_channels,
};
use crate::policy::{principal_key, LinkRecord, Policy, MAX_ENTITIES, MAX_TEAMS_PER_USER};
use crate::resource::ResourceId;

use super::apply::*;

impl Policy {
    // ---- teams and users ----

    pub(super) fn add_team(&mut self, name: &str, tenant: &str) -> Outcome<()> {
        fresh(&self.catalog.teams, Entity::Team, name)?;
        let tenant = self.tenant_root(tenant)?;
        next_id(
            self.catalog.teams.len(),
            Entity::Team,
            principal_key::MAX_INDEX,
        )?;
        remember(
            &mut self.catalog.teams,
            Entity::Team,
            name,
            principal_key::MAX_INDEX,
        )?;
        self.push_team(tenant.0);
        Ok(())
    }

    pub(super) fn add_user(&mut self, user: &User) -> Outcome<()> {
        fresh(&self.catalog.users, Entity::User, &user.name)?;
        let id = next_id(self.users.len(), Entity::User, principal_key::MAX_INDEX).map(UserId)?;
        let tenant = self.tenant_root(&user.tenant)?;
        let channels = user_channels(user.user_type, user.channels).map_err(|beyond| {
            ChangeProblem::ChannelsNotAllowed {
                user: user.name.clone(),
                user_type: user.user_type,
                extra: beyond.extra,
            }
        })?;
        let mut teams = Vec::with_capacity(user.teams.len());
        for team in &user.teams {
            let team_id = self.team_named(team)?;
            self.check_team_for(team, team_id, Some(tenant), &user.name, user.user_type)?;
            teams.push(team_id.0);
        }
        teams.sort_unstable();
        teams.dedup();
        if too_many_teams(teams.len()) {
            return Err(ChangeProblem::TooManyTeams {
                user: user.name.clone(),
                max: MAX_TEAMS_PER_USER,
            });
        }
        self.check_exclusive(&user.name, tenant.0, &teams)?;
        if user.status == Status::Active {
            self.check_seat(user.user_type)?;
        }
        self.room(teams.len())?;
        remember(
            &mut self.catalog.users,
            Entity::User,
            &user.name,
            principal_key::MAX_INDEX,
        )?;
        let pushed = self.push_user(
            tenant,
            user.user_type,
            channels,
            user.status,
            user.labels,
            &teams,
        );
        debug_assert_eq!(pushed, id);
        if user.protected {
            self.protect_user(pushed);
        }
        Ok(())
    }

    /// A user of `tenant` and type `user_type` may join `team`: same tenant,
    /// and every role the team holds is open to the user's type.
    pub(super) fn check_team_for(
        &self,
        team: &str,
        team_id: TeamId,
        tenant: Option<ResourceId>,
        user: &str,
        user_type: UserType,
    ) -> Outcome<()> {
        self.check_team_tenant(team, team_id, tenant)?;
        // Most models limit no role to some user types: nothing to scan.
        if self
            .catalog
            .role_eligible
            .iter()
            .all(|open| open.contains(user_type.as_set()))
        {
            return Ok(());
        }
        let team_key = principal_key::pack(Principal::Team(team_id));
        for entry in self.grants_live() {
            if entry.key == team_key && !may_hold(user_type, entry.effect, entry.eligible) {
                let role = self
                    .catalog
                    .roles
                    .get(entry.role as usize)
                    .map_or_else(String::new, |role| role.name.clone());
                return Err(ChangeProblem::IneligibleRole {
                    role,
                    user: user.to_string(),
                    user_type,
                });
            }
        }
        Ok(())
    }

    /// Team `team` (id `team_id`) belongs to `tenant`
    /// ([`crosses_tenants`]): a member or a grant of the team stays in it.
    pub(super) fn check_team_tenant(
        &self,
        team: &str,
        team_id: TeamId,
        tenant: Option<ResourceId>,
    ) -> Outcome<()> {
        let team_tenant = self.tenant_of_team(team_id);
        if crosses_tenants(team_tenant, tenant) {
            return Err(self.crossing_of(Entity::Team, team, team_tenant, tenant));
        }
        Ok(())
    }

    pub(super) fn check_seat(&self, user_type: UserType) -> Outcome<()> {
        if let Some(seats) = self.seats {
            let used = seats_used(&self.users, seats);
            if !seat_for(seats, used, user_type) {
                return Err(ChangeProblem::SeatsExceeded {
                    limit: seats.limit,
                    used: used + 1,
                });
            }
        }
        Ok(())
    }

    /// Moves user `user` out of team `leave` and into team `join` (either
    /// may be `None`): one change, checked whole, so that a user moves
    /// between exclusive teams without being in none or two on the way.
    pub(super) fn set_membership(
        &mut self,
        user: &str,
        leave: Option<&str>,
        join: Option<&str>,
    ) -> Outcome<()> {
        let user_id = self.user_named(user)?;
        let leave_id = leave.map(|team| self.team_named(team)).transpose()?;
        let join_id = join.map(|team| self.team_named(team)).transpose()?;
        self.unprotected(user_id, user, || match (leave, join) {
            (Some(from), Some(to)) => format!("moved from team {from:?} to team {to:?}"),
            (Some(from), None) => format!("removed from team {from:?}"),
            (None, Some(to)) => format!("added to team {to:?}"),
            (None, None) => String::new(),
        })?;
        let Some(record) = self.users.get(user_id.0 as usize) else {
            return Err(unknown(Entity::User, user));
        };
        let before = self.teams_of(record);
        let mut next = before.to_vec();
        if let (Some(team), Some(team_id)) = (leave, leave_id) {
            match next.binary_search(&team_id.0) {
                Ok(at) => {
                    next.remove(at);
                }
                Err(_) => {
                    return Err(ChangeProblem::NotInTeam {
                        user: user.to_string(),
                        team: team.to_string(),
                    })
                }
            }
        }
        if let (Some(team), Some(team_id)) = (join, join_id) {
            // Against the teams before the move too: a move from a team
            // to itself is no move.
            let held_before = before.binary_search(&team_id.0).is_ok();
            match next.binary_search(&team_id.0) {
                Err(at) if !held_before => {
                    self.check_team_for(
                        team,
                        team_id,
                        record.tenant_id(),
                        user,
                        record.user_type(),
                    )?;
                    if too_many_teams(next.len() + 1) {
                        return Err(ChangeProblem::TooManyTeams {
                            user: user.to_string(),
                            max: MAX_TEAMS_PER_USER,
                        });
                    }
                    next.insert(at, team_id.0);
                }
                _ => {
                    return Err(ChangeProblem::AlreadyMember {
                        user: user.to_string(),
                        team: team.to_string(),
                    })
                }
            }
        }
        self.check_exclusive(user, record.tenant, &next)?;
        self.room(next.len())?;
        self.set_user_teams(user_id, &next);
        Ok(())
    }

    /// Refuses teams `teams` (sorted) for user `user` of `tenant` when
    /// they hold none, or several, of a set of exclusive teams.
    pub(super) fn check_exclusive(&self, user: &str, tenant: u32, teams: &[u32]) -> Outcome<()> {
        match exclusive_breach(&self.exclusive, tenant, teams) {
            None => Ok(()),
            Some((set, count)) => Err(ChangeProblem::NotInExactlyOneTeam {
                user: user.to_string(),
                teams: set
                    .teams
                    .iter()
                    .map(|&team| self.catalog.teams.owned(team))
                    .collect(),
                count,
            }),
        }
    }

    pub(super) fn activate(&mut self, user: UserId) -> Outcome<()> {
        let user_type = self
            .users
            .get(user.0 as usize)
            .map_or(UserType::Native, |record| record.user_type());
        self.check_seat(user_type)?;
        self.set_user_status(user, Status::Active);
        Ok(())
    }

    pub(super) fn wrong_status(
        &self,
        user: &str,
        status: Status,
        expected: &'static str,
    ) -> ChangeProblem {
        ChangeProblem::WrongStatus {
            user: user.to_string(),
            status,
            expected,
        }
    }

    // ---- keys and links ----

    pub(super) fn add_key(&mut self, api_key: &ApiKey) -> Outcome<()> {
        fresh(&self.catalog.keys, Entity::Key, &api_key.name)?;
        next_id(self.keys.len(), Entity::Key, MAX_ENTITIES)?;
        let owner = self.user_named(&api_key.owner)?;
        let owner_tenant = self.user_tenant(owner);
        let mut roots = Vec::with_capacity(api_key.within.len());
        for name in &api_key.within {
            let within = self.live_resource(name)?;
            if crosses_tenants(self.tenant_of(within), owner_tenant) {
                return Err(self.crossing(name, within, owner_tenant));
            }
            roots.push(within);
        }
        roots.sort_unstable();
        roots.dedup();
        remember(
            &mut self.catalog.keys,
            Entity::Key,
            &api_key.name,
            MAX_ENTITIES,
        )?;
        self.push_key(owner, &roots, api_key);
        Ok(())
    }

    pub(super) fn add_link(&mut self, link: &PublicLink) -> Outcome<()> {
        fresh(&self.catalog.links, Entity::Link, &link.name)?;
        next_id(self.links.len(), Entity::Link, MAX_ENTITIES)?;
        let resource = self.live_resource(&link.resource)?;
        remember(
            &mut self.catalog.links,
            Entity::Link,
            &link.name,
            MAX_ENTITIES,
        )?;
        self.push_link(LinkRecord::new(resource, link));
        Ok(())
    }
}
