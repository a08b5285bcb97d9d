//! Phase 5 of [`build`](super::PolicyBuilder::build): grants. Each
//! grant's scope, role and grantee are resolved (scopes and users in bulk
//! first: with millions of grants, resolving names is most of building),
//! checked against the [rules](crate::policy::rules) changes check too
//! (the grantee in the scope's tenant, every holder eligible), and made a
//! group grant entry ([`GrantEntry::new`]) or a user's own grant.
//!
//! Owns: resolving and checking grants, and the problems that name them.
//! Must never: sort or lay out a run (that is [`sort`](super::sort) and
//! the store), or restate a rule of [`rules`](crate::policy::rules).

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::directory::{TeamId, UserId, UserType, UserTypes};
use crate::error::{lookup, resolved, Entity, Problem, Problems};
use crate::grant::{Grantee, Principal};
use crate::policy::rules::{may_hold, role_eligibility};
use crate::policy::{Catalog, GrantEntry, UserGrant, NONE};
use crate::resource::ResourceId;

use super::members::Members;
use super::tree::Tree;
use super::PolicyBuilder;

/// Every grant, resolved: group grants with their scopes and users' own
/// grants with their holders, in declaration order; and the scope and
/// user ids of every grant, resolved in bulk ([`NONE`] for none).
pub(super) struct Grants {
    pub(super) group_grants: Vec<(ResourceId, GrantEntry)>,
    pub(super) own_grants: Vec<(UserId, UserGrant)>,
    pub(super) scopes: Vec<u32>,
    pub(super) grantees: Vec<u32>,
}

impl PolicyBuilder {
    /// Resolves and checks every grant.
    pub(super) fn grants(
        &self,
        catalog: &Catalog,
        tree: &Tree,
        role_eligible: &[UserTypes],
        members: &Members,
        problems: &mut Problems,
    ) -> Grants {
        let scopes = catalog
            .resources
            .ids(self.grants.iter().map(|grant| grant.scope.as_str()));
        let grantees = catalog
            .users
            .ids(self.grants.iter().map(|grant| match &grant.grantee {
                Grantee::User(name) => name.as_str(),
                _ => "",
            }));
        let mut group_grants: Vec<(ResourceId, GrantEntry)> = Vec::with_capacity(self.grants.len());
        let mut own_grants: Vec<(UserId, UserGrant)> = Vec::new();
        // Each role given to a team with a member it is not open to is
        // reported once, at its first grant: not once per grant and member.
        let mut ineligible_teams: BTreeSet<(u32, u32)> = BTreeSet::new();
        for (index, grant) in self.grants.iter().enumerate() {
            let referrer = || {
                self.origin_or(Entity::Grant, index, || {
                    format!(
                        "grant #{index} ({} on {:?}, role {:?})",
                        grant.grantee, grant.scope, grant.role
                    )
                })
            };
            let scope = resolved(
                scopes.get(index).copied().filter(|&id| id != NONE),
                &grant.scope,
                Entity::Resource,
                referrer,
                problems,
            );
            let role = lookup(
                &catalog.role_ids,
                &grant.role,
                Entity::Role,
                referrer,
                problems,
            );
            let scope_tenant = tree.tenant_of(scope);
            let role_decl = self.roles.get(role as usize);
            // Who may hold the role: its own limit and every inherited one.
            let open = role_eligibility(role_eligible, role);
            // `holder`: the user who may not hold the role, or `None` for
            // the public.
            let ineligible = |holder: Option<u32>,
                              user_type: UserType,
                              through: Option<&Grantee>,
                              problems: &mut Problems| {
                let Some(decl) = role_decl else {
                    return;
                };
                problems.push_with(|| Problem::IneligibleRole {
                    referrer: match through {
                        Some(team) => format!("{} through {team}", referrer()),
                        None => referrer(),
                    },
                    role: decl.name.clone(),
                    user: match holder {
                        None => "the public".to_string(),
                        Some(user) => self
                            .users
                            .get(user as usize)
                            .map_or_else(String::new, |holder| holder.name.clone()),
                    },
                    user_type,
                });
            };
            let principal = match &grant.grantee {
                Grantee::User(name) => {
                    let user = resolved(
                        grantees.get(index).copied().filter(|&id| id != NONE),
                        name,
                        Entity::User,
                        referrer,
                        problems,
                    );
                    if members.users.get(user as usize).is_some() {
                        self.cross_check(
                            members.tenant_of_user(user),
                            scope_tenant,
                            name,
                            referrer,
                            problems,
                        );
                    }
                    if let Some(holder) = self.users.get(user as usize) {
                        if !may_hold(holder.user_type, grant.effect, open) {
                            ineligible(Some(user), holder.user_type, None, problems);
                        }
                    }
                    Principal::User(UserId(user))
                }
                Grantee::Team(name) => {
                    let team = lookup(&catalog.teams, name, Entity::Team, referrer, problems);
                    if let Some(&team_tenant) = members.team_tenants.get(team as usize) {
                        self.cross_check(team_tenant, scope_tenant, name, referrer, problems);
                    }
                    if let Some((member, user_type)) =
                        members.team_types.ineligible(team, grant.effect, open)
                    {
                        if ineligible_teams.insert((role, team)) {
                            ineligible(Some(member), user_type, Some(&grant.grantee), problems);
                        }
                    }
                    Principal::Team(TeamId(team))
                }
                // A role limited to some user types reaches, through
                // `Everyone`, only the members of those types: no error
                // (see `Role::only_for`).
                Grantee::Everyone => Principal::Everyone,
                Grantee::Public => {
                    if !may_hold(UserType::Public, grant.effect, open) {
                        ineligible(None, UserType::Public, None, problems);
                    }
                    Principal::Public
                }
            };
            match principal {
                Principal::User(user) => own_grants.push((
                    user,
                    UserGrant {
                        scope,
                        effect: grant.effect,
                        role,
                        condition: grant.condition,
                    },
                )),
                _ => group_grants.push((
                    ResourceId(scope),
                    GrantEntry::new(principal, grant.effect, role, open, grant.condition),
                )),
            }
        }
        Grants {
            group_grants,
            own_grants,
            scopes,
            grantees,
        }
    }
}
