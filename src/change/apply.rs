//! Applying a change: the batch, its revision and room checks, the
//! helpers every kind of change shares, and the dispatch to the one that
//! applies it. Owns: atomicity (a refused change, or batch, leaves the
//! policy as it was). Must never: write a layout field (that is
//! [`store`](crate::policy::store)'s).

use alloc::format;
use alloc::string::ToString;

use crate::decision::{Decision, Reason};
use crate::directory::{KeyId, LinkId, Status, TeamId, User, UserId, UserType, UserTypes};
use crate::error::{ChangeError, ChangeProblem, Entity};
use crate::grant::{Effect, Grant, Principal};
use crate::label::Condition;
use crate::names::{Ids, NameTable, TextFull};
use crate::permission::{Action, Permissions};
use crate::policy::rules::{may_hold, over_seats, seats_used};
use crate::policy::{id_at, Missing, Policy, Seats, NONE};
use crate::resource::{ResourceId, ResourceKind};
use crate::role::RoleId;
use crate::subject::Subject;

use super::lifecycle::Standing;
use super::*;

pub(super) type Outcome<T> = Result<T, ChangeProblem>;

pub(super) fn unknown(entity: Entity, name: &str) -> ChangeProblem {
    ChangeProblem::Unknown {
        entity,
        name: name.to_string(),
    }
}

pub(super) fn duplicate(entity: Entity, name: &str) -> ChangeProblem {
    ChangeProblem::DuplicateName {
        entity,
        name: name.to_string(),
    }
}

pub(super) fn find(ids: &impl Ids, entity: Entity, name: &str) -> Outcome<u32> {
    ids.id_of(name).ok_or_else(|| unknown(entity, name))
}

/// The id of each kind of entity a change names, typed: what a change
/// hands the store. `Unknown` for a name not in use.
impl Policy {
    pub(super) fn user_named(&self, name: &str) -> Outcome<UserId> {
        find(&self.catalog.users, Entity::User, name).map(UserId)
    }

    pub(super) fn team_named(&self, name: &str) -> Outcome<TeamId> {
        find(&self.catalog.teams, Entity::Team, name).map(TeamId)
    }

    pub(super) fn key_named(&self, name: &str) -> Outcome<KeyId> {
        find(&self.catalog.keys, Entity::Key, name).map(KeyId)
    }

    pub(super) fn link_named(&self, name: &str) -> Outcome<LinkId> {
        find(&self.catalog.links, Entity::Link, name).map(LinkId)
    }

    pub(super) fn role_named(&self, name: &str) -> Outcome<RoleId> {
        find(&self.catalog.role_ids, Entity::Role, name).map(RoleId)
    }

    /// The tenant of team `id`, `None` once removed.
    pub(super) fn tenant_of_team(&self, TeamId(id): TeamId) -> Option<ResourceId> {
        let tenant = self.catalog.team_tenants.get(id as usize).copied();
        tenant.filter(|_| self.team_is_live(id)).map(ResourceId)
    }
}

/// Marks a key or link revoked; one revoked already is refused, so that a
/// replayed revocation neither passes silently nor advances the revision.
pub(super) fn revoke(
    was_revoked: Result<bool, Missing>,
    entity: Entity,
    name: &str,
) -> Outcome<()> {
    match was_revoked {
        Ok(true) => Err(ChangeProblem::AlreadyRevoked {
            entity,
            name: name.to_string(),
        }),
        Ok(false) => Ok(()),
        Err(Missing) => Err(unknown(entity, name)),
    }
}

pub(super) fn fresh(ids: &impl Ids, entity: Entity, name: &str) -> Outcome<()> {
    if ids.id_of(name).is_some() {
        return Err(duplicate(entity, name));
    }
    Ok(())
}

/// Gives `name` the next id of `names`, checked fresh before. The last
/// step that can fail, so callers make it before their first mutation.
pub(super) fn remember(
    names: &mut NameTable,
    entity: Entity,
    name: &str,
    max: usize,
) -> Outcome<()> {
    names
        .push(name)
        .map(|_| ())
        .map_err(|TextFull| ChangeProblem::TooMany { entity, max })
}

pub(super) fn next_id(len: usize, entity: Entity, max: usize) -> Outcome<u32> {
    if len >= max {
        return Err(ChangeProblem::TooMany { entity, max });
    }
    u32::try_from(len).map_err(|_| ChangeProblem::TooMany { entity, max })
}

impl Policy {
    /// The current revision: how many changes were applied since the build.
    #[must_use]
    pub fn revision(&self) -> Revision {
        Revision(self.revision)
    }

    /// How many licence seats are taken: active users of the counted types
    /// (0 without a seat limit).
    #[must_use]
    pub fn seats_used(&self) -> usize {
        self.seats.map_or(0, |seats| seats_used(&self.users, seats))
    }

    /// The licence seat limit, if any.
    #[must_use]
    pub fn seats(&self) -> Option<Seats> {
        self.seats
    }

    /// `Ok` while one more change fits below
    /// [`PolicyDocument::MAX_REVISION`](crate::PolicyDocument::MAX_REVISION),
    /// the largest revision a snapshot may hold: past it, the policy's own
    /// snapshot would no longer load. Only a document that starts at the
    /// limit gets there (a change a nanosecond takes 292 years).
    pub(super) fn revision_left(&self) -> Outcome<()> {
        if self.revision >= crate::PolicyDocument::MAX_REVISION {
            return Err(ChangeProblem::RevisionLimit {
                revision: self.revision,
            });
        }
        Ok(())
    }

    /// Validates and applies one change, whole or not at all.
    ///
    /// # Errors
    ///
    /// A [`ChangeError`] naming the change and what is wrong with it; the
    /// policy is then exactly as before.
    pub fn apply(&mut self, change: Change) -> Result<Revision, ChangeError> {
        self.revision_left()
            .and_then(|()| self.apply_one(&change))
            .map_err(|problem| ChangeError::new(0, change.to_string(), problem))?;
        self.revision += 1;
        self.compact_if_wasteful();
        Ok(self.revision())
    }

    /// Validates and applies a batch of changes, all or nothing: on the
    /// first error the policy is exactly as before, and the error names the
    /// change (by its position in the batch) that failed.
    ///
    /// The batch is applied to a copy that replaces the policy on success,
    /// so it costs one copy of the policy; single changes through
    /// [`apply`](Policy::apply) work in place.
    ///
    /// Required roles ([`PolicyBuilder::require_role`](crate::PolicyBuilder::require_role))
    /// are checked for the batch as a whole, after its last change, so a
    /// batch may add an account and grant it the role required of it (one
    /// by one, the first change would be refused); an account left without
    /// one refuses the batch, with the error naming its last change.
    ///
    /// # Errors
    ///
    /// A [`ChangeError`] for the first change that failed (or the last, for
    /// an account left without a required role).
    pub fn apply_all(
        &mut self,
        changes: impl IntoIterator<Item = Change>,
    ) -> Result<Revision, ChangeError> {
        let mut next = self.clone();
        let mut last = None;
        for (index, change) in changes.into_iter().enumerate() {
            // Required roles are checked once, after the last change: a
            // batch may add an account and grant it the role required of
            // it, in that order.
            next.revision_left()
                .and_then(|()| next.apply_unchecked(&change))
                .map_err(|problem| ChangeError::new(index, change.to_string(), problem))?;
            next.revision += 1;
            // As `apply` does, so a batch and the same changes one by one
            // leave identical policies.
            next.compact_if_wasteful();
            last = Some((index, change));
        }
        if let Some((index, change)) = last {
            next.settle_required(&self.lacking)
                .map_err(|problem| ChangeError::new(index, change.to_string(), problem))?;
        }
        *self = next;
        Ok(self.revision())
    }

    /// May `granter` make `grant`, unconditionally? Granting is itself
    /// authorized: the granter needs [`Permissions::MANAGE_MEMBERS`] at the
    /// grant's scope; an allow or override may not give anyone, anywhere it
    /// reaches, a permission the granter lacks there (no privilege
    /// escalation); and the role must be open to the grantee's user type. A
    /// deny needs only the first: eligibility limits who may hold a role,
    /// not who may lose one. The role must exist (else `UnknownRole`), and
    /// the grantee must exist (else `UnknownSubject`) in the scope's tenant
    /// (else [`GranteeOfAnotherTenant`](Reason::GranteeOfAnotherTenant),
    /// which [`for_caller`](Decision::for_caller) reads as
    /// `UnknownSubject`: the caller cannot tell another tenant's user or
    /// team from a missing one). These are checked after the granter's
    /// `MANAGE_MEMBERS` at the scope, so a granter without it learns nothing
    /// about the role or the grantee.
    ///
    /// The decision explains itself like any other: allowed with the grant
    /// that gives the granter `MANAGE_MEMBERS`, or denied with the reason:
    /// [`Reason::WouldEscalate`] names what the granter lacks at the scope,
    /// [`Reason::RestrictedBelow`] the first resource below it where he
    /// lacks some of it, and whose restriction. For a conditional grant, see
    /// [`can_grant_when`](Policy::can_grant_when), which this is with
    /// [`Condition::Always`].
    pub fn can_grant(&self, granter: &Subject, grant: &Grant) -> Decision {
        self.can_grant_when(granter, grant, Condition::Always)
    }

    /// May `granter` make `grant`, applying `when` the condition holds?
    /// [`can_grant`](Policy::can_grant)'s rules, where "the granter lacks
    /// there" reads as follows.
    ///
    /// A grant reaches its scope and every resource below it, so the
    /// granter must hold what it gives everywhere there, not only at the
    /// scope: a deny or override of his (his own, one of his teams' or
    /// everyone's) below the scope leaves him less there, and the grant may
    /// give no more than that ([`Reason::RestrictedBelow`] names the first
    /// such resource, by id, and whose restriction stands there). Each kind
    /// the role covers is checked, whether or not the subtree holds a
    /// resource of that kind.
    ///
    /// Only what the granter *surely* holds may be passed on. His
    /// unconditional grants count. A conditional grant of his counts only
    /// toward a grant under the *same* condition, to a grantee whose users
    /// (the user, each member of the team, everyone in the organization)
    /// have no label the granter lacks: then wherever the new grant
    /// applies, his applies too. Otherwise his conditional allow counts for
    /// nothing, and his conditional deny or override counts as if it always
    /// applied. So rights that come only from a conditional grant are never
    /// passed on unconditionally, and a condition is passed on only as far
    /// as the granter's own labels reach.
    ///
    /// Cost: a decision at the scope and one walk from it to the root; then
    /// the resources of the scope's tenant where the granter, one of his
    /// teams or everyone holds an override, or a deny that takes some of
    /// what the role gives (found in an index, not by visiting the
    /// subtree), and the resources on the paths from those up to the scope
    /// (or, for those outside the subtree, up to where a path already
    /// walked or the root is met), each read once, what the granter holds
    /// being carried down from the one above: O(d + (r + p) log n) for r
    /// such restrictions in the tenant, p resources on their paths (at most
    /// the tenant, at most r times its depth) and a scope d deep, whatever
    /// the size of the subtree. A grantee that is a team, for a role
    /// limited by [`only_for`](crate::Role::only_for), costs one pass over
    /// the users; a conditional grant that relies on a conditional grant of
    /// the granter also reads the labels of the grantee's users, once (for
    /// a team or everyone, one pass over the users).
    pub fn can_grant_when(&self, granter: &Subject, grant: &Grant, when: Condition) -> Decision {
        let decision = self.authorize(granter, Action::ManageMembers, grant.scope);
        if !decision.is_allowed() {
            return decision;
        }
        if !self.role_is_live(grant.role.0) {
            return Decision::new(Reason::UnknownRole);
        }
        // The grantee must exist and belong to the scope's tenant.
        // The scope is live: the granter is allowed there.
        let scope_tenant = self.tenant_of(grant.scope);
        let grantee_tenant = match grant.principal {
            Principal::User(user) => self.user_tenant(user),
            Principal::Team(team) => self.tenant_of_team(team),
            Principal::Everyone | Principal::Public => scope_tenant,
        };
        match grantee_tenant {
            None => return Decision::new(Reason::UnknownSubject),
            Some(tenant) if Some(tenant) != scope_tenant => {
                return Decision::new(Reason::GranteeOfAnotherTenant)
            }
            Some(_) => {}
        }
        if grant.effect == Effect::Deny {
            return decision;
        }
        if let Err(reason) = self.eligible(grant.principal, grant.role, grant.effect) {
            return Decision::new(reason);
        }
        let given = self.roles.get(grant.role.0 as usize).copied();
        let given = given.unwrap_or([Permissions::empty(); ResourceKind::COUNT]);
        if let Err(reason) = self.passes_on(granter, grant.principal, grant.scope.0, &given, when) {
            return Decision::new(reason);
        }
        decision
    }

    /// Whether every user `principal` stands for may hold a grant of
    /// `role` with `effect` ([`may_hold`]).
    pub(super) fn eligible(
        &self,
        principal: Principal,
        RoleId(role): RoleId,
        effect: Effect,
    ) -> Result<(), Reason> {
        let open = self.role_eligibility(role);
        if open == UserTypes::all() {
            return Ok(());
        }
        let member_types: UserTypes = match principal {
            Principal::User(UserId(user)) => self
                .users
                .get(user as usize)
                .map_or(UserTypes::empty(), |record| record.user_types()),
            Principal::Team(team) => self
                .members(team.0)
                .filter_map(|user| self.users.get(user as usize))
                .fold(UserTypes::empty(), |types, record| {
                    types | record.user_types()
                }),
            // Everyone reaches only the members a role is open to.
            Principal::Everyone => UserTypes::empty(),
            Principal::Public => UserType::Public.as_set(),
        };
        let may = UserType::ALL
            .iter()
            .filter(|user_type| member_types.contains(user_type.as_set()))
            .all(|&user_type| may_hold(user_type, effect, open));
        if may {
            Ok(())
        } else {
            Err(Reason::RoleNotEligible)
        }
    }

    /// The live users in `team`.
    pub(crate) fn members(&self, team: u32) -> impl Iterator<Item = u32> + '_ {
        self.users
            .iter()
            .enumerate()
            .filter_map(move |(index, record)| {
                let teams = self.teams_of(record);
                (record.is_live() && teams.contains(&team)).then(|| id_at(index))
            })
    }

    /// Who may hold `role`: the types that it and every role it inherits
    /// allow.
    pub(crate) fn role_eligibility(&self, role: u32) -> UserTypes {
        crate::policy::rules::role_eligibility(&self.catalog.role_eligible, role)
    }

    /// Fails when one more run of `extra` slots would overflow the dense
    /// indices of the run arenas (checked before anything mutates).
    pub(super) fn room(&self, extra: usize) -> Outcome<()> {
        let largest = self
            .grants
            .len()
            .max(self.user_teams.len())
            .max(self.user_grants.len());
        if largest + extra >= NONE as usize {
            return Err(ChangeProblem::TooMany {
                entity: Entity::Grant,
                max: NONE as usize,
            });
        }
        Ok(())
    }

    /// Applies one change; in a model with required roles, refuses it when
    /// it would leave an account without one, and marks the accounts that
    /// lack one anew (a change may also give one back).
    ///
    /// A change that can take a role away is tried on a copy (so a model
    /// with required roles pays one copy of the policy for it); the others
    /// apply in place.
    pub(super) fn apply_one(&mut self, change: &Change) -> Outcome<()> {
        if self.required.is_empty() {
            return self.apply_unchecked(change);
        }
        let on_kinds = self.required.iter().any(|required| required.on.is_some());
        if !change.may_take_a_role(on_kinds) {
            self.apply_unchecked(change)?;
            // It can only give: with no account lacking a role there is
            // nothing to give back, and nothing to scan.
            if self.lacking.is_empty() {
                debug_assert!(
                    self.lacking_now().is_empty(),
                    "{change} left an account without a required role"
                );
                return Ok(());
            }
            let lacking = self.lacking_now();
            debug_assert!(
                lacking.keys().all(|user| self.lacking.contains_key(user)),
                "{change} left an account without a required role"
            );
            self.mark_lacking(&lacking);
            return Ok(());
        }
        let mut next = self.clone();
        next.apply_unchecked(change)?;
        next.settle_required(&self.lacking)?;
        *self = next;
        Ok(())
    }

    /// After changes, in a model with required roles: refuses when an
    /// account lacks a role required of it that it did not lack `before`
    /// (the marks before the changes), else marks the accounts that lack
    /// one now.
    fn settle_required(
        &mut self,
        before: &alloc::collections::BTreeMap<u32, crate::policy::Lacking>,
    ) -> Outcome<()> {
        if self.required.is_empty() {
            return Ok(());
        }
        let lacking = self.lacking_now();
        let newly = lacking.iter().find(|(user, _)| !before.contains_key(user));
        if let Some((&user, &role)) = newly {
            return Err(ChangeProblem::RequiredRole {
                user: self.catalog.users.owned(user),
                role: self
                    .catalog
                    .roles
                    .get(role as usize)
                    .map_or_else(alloc::string::String::new, |role| role.name.clone()),
            });
        }
        self.mark_lacking(&lacking);
        Ok(())
    }

    fn apply_unchecked(&mut self, change: &Change) -> Outcome<()> {
        match change {
            Change::AddResource { name, kind, parent } => {
                self.add_resource(name, *kind, parent.as_deref())
            }
            Change::MoveResource { name, parent } => self.move_resource(name, parent),
            Change::RemoveResource { name } => self.remove_resource(name),
            Change::AddRole(role) => self.set_role(role, true),
            Change::UpdateRole(role) => self.set_role(role, false),
            Change::RemoveRole { name } => self.remove_role(name),
            Change::AddTeam { name, tenant } => self.add_team(name, tenant),
            Change::RemoveTeam { name } => {
                let team = self.team_named(name)?;
                let required_of = crate::policy::Holders::Team(team.0);
                if self.required.iter().any(|r| r.holders == required_of) {
                    return Err(ChangeProblem::InUse {
                        entity: Entity::Team,
                        name: name.clone(),
                        by: "the model, which requires a role of its members".to_string(),
                    });
                }
                if self.exclusive.iter().any(|set| set.teams.contains(&team.0)) {
                    return Err(ChangeProblem::InUse {
                        entity: Entity::Team,
                        name: name.clone(),
                        by: "a set of exclusive teams".to_string(),
                    });
                }
                if let Some(member) = self.members(team.0).find(|m| self.protected.contains(m)) {
                    let member_name = self.catalog.users.owned(member);
                    self.unprotected(UserId(member), &member_name, || {
                        format!("removed from team {name:?} (by removing the team)")
                    })?;
                }
                self.room(0)?;
                self.remove_team(team);
                Ok(())
            }
            Change::AddUser(user) => self.add_user(user),
            Change::RemoveUser { name, by } => {
                self.set_standing(name, Standing::Remove, by.as_ref())
            }
            Change::AddMembership { user, team } => self.set_membership(user, None, Some(team)),
            Change::RemoveMembership { user, team } => self.set_membership(user, Some(team), None),
            Change::MoveMembership { user, from, to } => {
                self.set_membership(user, Some(from), Some(to))
            }
            Change::Invite { user, until } => self.add_user(&User {
                status: Status::Invited { until: *until },
                ..user.clone()
            }),
            Change::AcceptInvitation { user, at } => {
                let id = self.user_named(user)?;
                match self.user_status(id.0) {
                    Status::Invited { until } if *at < until => {
                        self.activate(id)?;
                        Ok(())
                    }
                    Status::Invited { .. } => {
                        Err(ChangeProblem::InvitationExpired { user: user.clone() })
                    }
                    status => Err(self.wrong_status(user, status, "invited")),
                }
            }
            Change::ExpireInvitation { user } => {
                let id = self.user_named(user)?;
                self.unprotected(id, user, || "uninvited".to_string())?;
                match self.user_status(id.0) {
                    // Expired whatever the time: expiring again changes nothing.
                    Status::Invited { until: 0 } => {
                        Err(ChangeProblem::AlreadyExpired { user: user.clone() })
                    }
                    Status::Invited { .. } => {
                        self.set_user_status(id, Status::Invited { until: 0 });
                        Ok(())
                    }
                    status => Err(self.wrong_status(user, status, "invited")),
                }
            }
            Change::RevokeInvitation { user } => {
                let id = self.user_named(user)?;
                self.unprotected(id, user, || "uninvited".to_string())?;
                match self.user_status(id.0) {
                    Status::Invited { .. } => {
                        self.remove_user(id);
                        Ok(())
                    }
                    status => Err(self.wrong_status(user, status, "invited")),
                }
            }
            Change::Suspend { user, by } => self.set_standing(user, Standing::Suspend, by.as_ref()),
            Change::Reactivate { user, by } => {
                self.set_standing(user, Standing::Reactivate, by.as_ref())
            }
            Change::Deactivate { user, by } => {
                self.set_standing(user, Standing::Deactivate, by.as_ref())
            }
            Change::SetUserType {
                user,
                user_type,
                channels,
                by,
            } => self.set_standing(user, Standing::Kind(*user_type, *channels), by.as_ref()),
            Change::SetChannels { user, channels, by } => {
                self.set_standing(user, Standing::Channels(*channels), by.as_ref())
            }
            Change::Grant {
                grantee,
                scope,
                role,
                effect,
                when,
                by,
            } => self.grant(grantee, scope, role, *effect, Some(*when), by.as_ref()),
            Change::Revoke {
                grantee,
                scope,
                role,
                effect,
                by,
            } => self.grant(grantee, scope, role, *effect, None, by.as_ref()),
            Change::ReplaceRole {
                grantee,
                scope,
                from,
                to,
                effect,
                when,
                by,
            } => self.replace_role(grantee, scope, (from, to), *effect, *when, by.as_ref()),
            Change::SetLabels { resource, labels } => {
                let id = self.live_resource(resource)?;
                let held = self.protected_holdings(id);
                let was = self.labels.get(id.0 as usize).copied();
                self.set_resource_labels(id, *labels)
                    .map_err(|Missing| unknown(Entity::Resource, resource))?;
                let kept = self.keeps_holdings(id, &held, || {
                    format!("stripped of what it holds on {resource:?} (by relabelling it)")
                });
                if kept.is_err() {
                    // Whole or not at all: the labels as they were (the
                    // slot exists: it was just written).
                    if let Some(was) = was {
                        self.set_resource_labels(id, was)
                            .map_err(|Missing| unknown(Entity::Resource, resource))?;
                    }
                }
                kept
            }
            Change::SetUserLabels { user, labels } => {
                let id = self.user_named(user)?;
                self.unprotected(id, user, || "relabelled".to_string())?;
                self.set_user_labels(id, *labels);
                Ok(())
            }
            Change::AddKey(api_key) => self.add_key(api_key),
            Change::RevokeKey { name } => {
                let id = self.key_named(name)?;
                revoke(self.revoke_key(id), Entity::Key, name)
            }
            Change::RemoveKey { name } => {
                let id = self.key_named(name)?;
                self.remove_key(id);
                Ok(())
            }
            Change::AddLink(link) => self.add_link(link),
            Change::RevokeLink { name } => {
                let id = self.link_named(name)?;
                revoke(self.revoke_link(id), Entity::Link, name)
            }
            Change::RemoveLink { name } => {
                let id = self.link_named(name)?;
                self.remove_link(id);
                Ok(())
            }
            Change::SetMfaRequired(permissions) => {
                self.set_mfa_required(*permissions);
                Ok(())
            }
            Change::SetSeats(seats) => {
                if let Some(seats) = seats {
                    let used = seats_used(&self.users, *seats);
                    if over_seats(*seats, used) {
                        return Err(ChangeProblem::SeatsExceeded {
                            limit: seats.limit,
                            used,
                        });
                    }
                }
                self.set_seats(*seats);
                Ok(())
            }
        }
    }
}
