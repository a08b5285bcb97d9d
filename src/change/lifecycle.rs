//! Changes to an account's standing: suspending, reactivating,
//! deactivating and removing it, and setting its type and channels; who may
//! make them (an authored one is checked like a grant), and the accounts no
//! change may alter ([`User::protected`](crate::User::protected)).
//!
//! Owns: the rule "a protected account is not altered", for every change
//! that names an account (here) and the checks other changes call
//! ([`Policy::unprotected`]; grants, role redefinitions and moves, which
//! may narrow what a protected account holds without naming it). Must
//! never: write a layout field (the store does) or decide who may hold a
//! role (the [rules](crate::policy::rules)).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::directory::{Channels, Status, TeamId, UserId, UserType, UserTypes};
use crate::error::{ChangeProblem, Entity};
use crate::grant::{Effect, Grantee, Principal};
use crate::permission::{Action, Permissions};
use crate::policy::rules::{may_hold, role_eligibility, takes_seat, user_channels};
use crate::policy::{principal_key, Policy, State, UserRecord};
use crate::resource::ResourceId;
use crate::role::FlatRoles;

use super::apply::*;
use super::Author;

/// What a lifecycle change does to its account.
#[derive(Debug, Clone, Copy)]
pub(super) enum Standing {
    Suspend,
    Reactivate,
    Deactivate,
    Remove,
    Kind(UserType, Option<Channels>),
    Channels(Option<Channels>),
}

impl Policy {
    /// Refuses to alter user `user` (named `name`) when it is protected;
    /// `what` says what the change would do to it ("suspended").
    pub(super) fn unprotected(
        &self,
        UserId(user): UserId,
        name: &str,
        what: impl FnOnce() -> String,
    ) -> Outcome<()> {
        if self.protected.contains(&user) {
            return Err(ChangeProblem::Protected {
                user: name.to_string(),
                what: what(),
            });
        }
        Ok(())
    }

    /// Refuses to add (`add`) or revoke a grant with `effect` to
    /// `principal` (`grantee`, in `tenant`) when it would narrow a
    /// protected account it reaches: adding a deny or an override, or
    /// revoking an allow or an override (which may hold more than what it
    /// replaces), to the account, to a team it is in, or to everyone in its
    /// tenant. `grant` describes the grant ("the deny of role ...").
    pub(super) fn keeps_protected(
        &self,
        grantee: &Grantee,
        principal: Principal,
        tenant: Option<ResourceId>,
        add: bool,
        effect: Effect,
        grant: impl FnOnce() -> String,
    ) -> Outcome<()> {
        let narrows = if add {
            effect != Effect::Allow
        } else {
            effect != Effect::Deny
        };
        if !narrows || self.protected.is_empty() {
            return Ok(());
        }
        let reached = match principal {
            Principal::User(UserId(user)) => self.protected.contains(&user).then_some(user),
            Principal::Team(TeamId(team)) => self
                .members(team)
                .find(|user| self.protected.contains(user)),
            Principal::Everyone => self
                .protected
                .iter()
                .copied()
                .find(|&user| tenant.is_some() && self.user_tenant(UserId(user)) == tenant),
            Principal::Public => None,
        };
        let Some(user) = reached else {
            return Ok(());
        };
        let name = self.catalog.users.owned(user);
        self.unprotected(UserId(user), &name, || {
            let done = if add { "given" } else { "stripped of" };
            match principal {
                Principal::User(_) => format!("{done} {}", grant()),
                _ => format!("{done} {} (through {grantee})", grant()),
            }
        })
    }

    /// Where the protected accounts are: the teams they are in, and the
    /// user types of those of each tenant; so that the checks that walk
    /// every grant call [`keeps_protected`](Policy::keeps_protected) (a pass
    /// over a team's users) only for a grant that reaches one.
    fn protected_reach(&self) -> (BTreeSet<u32>, BTreeMap<u32, UserTypes>) {
        let mut teams = BTreeSet::new();
        let mut tenants = BTreeMap::new();
        for &user in &self.protected {
            let Some(record) = self.users.get(user as usize).filter(|r| r.is_live()) else {
                continue;
            };
            teams.extend(self.teams_of(record).iter().copied());
            let types = tenants.entry(record.tenant).or_insert(UserTypes::empty());
            *types |= record.user_types();
        }
        (teams, tenants)
    }

    /// Refuses to redefine the roles as `flat` when a grant reaching a
    /// protected account would then give it less: an allow or override of
    /// a role that loses a permission on some kind (or, to everyone, a
    /// user type it was open to), as revoking it would; a deny of a role
    /// that gains one, as adding it would.
    pub(super) fn keeps_protected_roles(&self, flat: &FlatRoles) -> Outcome<()> {
        if self.protected.is_empty() {
            return Ok(());
        }
        // Whether a grant of `role` with `effect` gives less under the new
        // definitions.
        let narrows = |role: u32, effect: Effect| {
            let index = role as usize;
            let (Some(old), Some(new)) = (self.roles.get(index), flat.permissions.get(index))
            else {
                return false;
            };
            let mut kinds = old.iter().zip(new);
            if effect == Effect::Deny {
                kinds.any(|(old, &new)| !old.contains(new))
            } else {
                kinds.any(|(&old, new)| !new.contains(old))
            }
        };
        // The user types an allow or override of `role` to everyone no
        // longer reaches.
        let closed =
            |role: u32| self.role_eligibility(role) - role_eligibility(&flat.eligible, role);
        let role_name = |role: u32| {
            self.catalog
                .roles
                .get(role as usize)
                .map_or_else(String::new, |role| role.name.clone())
        };
        let redefined = |effect: Effect, role: u32, scope: u32| {
            let scope = self.catalog.resources.owned(scope);
            let role = role_name(role);
            format!("the {effect} of role {role:?} on {scope:?}, as the role is redefined")
        };
        for &user in &self.protected {
            let Some(record) = self.users.get(user as usize) else {
                continue;
            };
            let principal = Principal::User(UserId(user));
            for grant in self.own_grants(user, record) {
                if narrows(grant.role, grant.effect) {
                    let grantee = Grantee::user(self.catalog.users.owned(user));
                    let add = grant.effect == Effect::Deny;
                    self.keeps_protected(&grantee, principal, None, add, grant.effect, || {
                        redefined(grant.effect, grant.role, grant.scope)
                    })?;
                }
            }
        }
        let (teams, tenants) = self.protected_reach();
        for (scope, node) in (0..).zip(&self.nodes) {
            let Some(tenant) = node.tenant_id() else {
                continue;
            };
            let Some(&types) = tenants.get(&tenant.0) else {
                continue;
            };
            for entry in self.group_grants(node) {
                let principal = principal_key::unpack(entry.key);
                if let Principal::Team(TeamId(team)) = principal {
                    if !teams.contains(&team) {
                        continue;
                    }
                }
                if principal == Principal::Everyone && entry.effect != Effect::Deny {
                    let closed = closed(entry.role) & types;
                    let cut = self.protected.iter().copied().find(|&user| {
                        self.users.get(user as usize).is_some_and(|record| {
                            record.tenant_id() == Some(tenant)
                                && closed.intersects(record.user_types())
                        })
                    });
                    if let Some(user) = cut {
                        let name = self.catalog.users.owned(user);
                        self.unprotected(UserId(user), &name, || {
                            let grant = redefined(entry.effect, entry.role, scope);
                            format!("stripped of {grant} (through everyone)")
                        })?;
                    }
                }
                if !narrows(entry.role, entry.effect) {
                    continue;
                }
                let grantee = match principal {
                    Principal::Team(TeamId(team)) => Grantee::team(self.catalog.teams.owned(team)),
                    Principal::Everyone => Grantee::Everyone,
                    Principal::Public | Principal::User(_) => continue,
                };
                let add = entry.effect == Effect::Deny;
                self.keeps_protected(&grantee, principal, Some(tenant), add, entry.effect, || {
                    redefined(entry.effect, entry.role, scope)
                })?;
            }
        }
        Ok(())
    }

    /// Refuses to move resource `id` under `new_parent` when that would
    /// narrow what a protected account holds in it: a grant reaching the
    /// account on a resource it leaves from under (an allow or override,
    /// as revoking it would) or comes under (a deny or override, as adding
    /// it would).
    pub(super) fn keeps_protected_moving(
        &self,
        ResourceId(id): ResourceId,
        ResourceId(new_parent): ResourceId,
    ) -> Outcome<()> {
        if self.protected.is_empty() {
            return Ok(());
        }
        let (teams, tenants) = self.protected_reach();
        let tenant = self.nodes.get(id as usize).map(|node| node.tenant);
        if !tenant.is_some_and(|tenant| tenants.contains_key(&tenant)) {
            return Ok(());
        }
        let above = |from: u32| {
            let mut path = Vec::new();
            let mut at = Some(from);
            while let Some(node) = at {
                path.push(node);
                at = self
                    .nodes
                    .get(node as usize)
                    .and_then(|node| node.parent_id())
                    .map(|ResourceId(parent)| parent);
            }
            path
        };
        let old_path = self
            .nodes
            .get(id as usize)
            .and_then(|node| node.parent_id())
            .map_or_else(Vec::new, |ResourceId(parent)| above(parent));
        let new_path = above(new_parent);
        // Both paths end at the tenant root: what they share is a suffix.
        let common = old_path
            .iter()
            .rev()
            .zip(new_path.iter().rev())
            .take_while(|(old, new)| old == new)
            .count();
        let left = old_path.iter().take(old_path.len() - common);
        let entered = new_path.iter().take(new_path.len() - common);
        // Each resource of either path, and whether the move adds what is
        // granted there (`true`) or takes it away.
        let changed: BTreeMap<u32, bool> = left
            .map(|&node| (node, false))
            .chain(entered.map(|&node| (node, true)))
            .collect();
        let moved = self.catalog.resources.owned(id);
        let grant = |effect: Effect, role: u32, scope: u32| {
            let role = self
                .catalog
                .roles
                .get(role as usize)
                .map_or_else(String::new, |role| role.name.clone());
            let scope = self.catalog.resources.owned(scope);
            format!("the {effect} of role {role:?} on {scope:?} for {moved:?} (by moving it)")
        };
        for &user in &self.protected {
            let Some(record) = self.users.get(user as usize) else {
                continue;
            };
            for own in self.own_grants(user, record) {
                if let Some(&add) = changed.get(&own.scope) {
                    let grantee = Grantee::user(self.catalog.users.owned(user));
                    let principal = Principal::User(UserId(user));
                    self.keeps_protected(&grantee, principal, None, add, own.effect, || {
                        grant(own.effect, own.role, own.scope)
                    })?;
                }
            }
        }
        for (&scope, &add) in &changed {
            let Some(node) = self.nodes.get(scope as usize) else {
                continue;
            };
            for entry in self.group_grants(node) {
                let principal = principal_key::unpack(entry.key);
                let grantee = match principal {
                    Principal::Team(TeamId(team)) if teams.contains(&team) => {
                        Grantee::team(self.catalog.teams.owned(team))
                    }
                    Principal::Everyone => Grantee::Everyone,
                    _ => continue,
                };
                self.keeps_protected(
                    &grantee,
                    principal,
                    node.tenant_id(),
                    add,
                    entry.effect,
                    || grant(entry.effect, entry.role, scope),
                )?;
            }
        }
        Ok(())
    }

    /// What each protected account of its tenant may do on `resource`
    /// (asked as a review asks: its first channel, with MFA), to hold a
    /// change of the resource's labels to.
    pub(super) fn protected_holdings(&self, resource: ResourceId) -> Vec<(u32, Permissions)> {
        let tenant = self.tenant_of(resource);
        self.protected
            .iter()
            .filter_map(|&user| {
                let record = self.users.get(user as usize)?;
                if record.tenant_id() != tenant {
                    return None;
                }
                let subject = self.review_subject(UserId(user), record, 0)?;
                Some((user, self.effective(&subject, resource)))
            })
            .collect()
    }

    /// Refuses when a protected account may do less on `resource` than
    /// `held` (from [`protected_holdings`](Policy::protected_holdings))
    /// says it could: a conditional grant of its no longer matches the
    /// resource's labels. `what` says what the change did ("relabelled").
    pub(super) fn keeps_holdings(
        &self,
        resource: ResourceId,
        held: &[(u32, Permissions)],
        what: impl Fn() -> String,
    ) -> Outcome<()> {
        for &(user, before) in held {
            let record = self.users.get(user as usize);
            let subject = record.and_then(|record| self.review_subject(UserId(user), record, 0));
            let after = subject.map_or(Permissions::empty(), |subject| {
                self.effective(&subject, resource)
            });
            if !after.contains(before) {
                let name = self.catalog.users.owned(user);
                self.unprotected(UserId(user), &name, &what)?;
            }
        }
        Ok(())
    }

    /// The account named `name`, checked for an author: the account must
    /// be of the author's tenant (else `CrossesTenants`, which the author
    /// reads as `Unknown`, before anything about his rights), and the
    /// author must be allowed [`Action::ManageMembers`] at its tenant root.
    pub(super) fn member_for(&self, name: &str, by: Option<&Author>) -> Outcome<UserId> {
        let author = match by {
            Some(author) => Some((author, author.subject(self)?)),
            None => None,
        };
        let user = self.user_named(name)?;
        let tenant = self
            .user_tenant(user)
            .ok_or_else(|| unknown(Entity::User, name))?;
        if let Some((author, (subject, author_tenant))) = author {
            if Some(tenant) != author_tenant {
                return Err(self.crossing_of(Entity::User, name, Some(tenant), author_tenant));
            }
            let decision = self.authorize(&subject, Action::ManageMembers, tenant);
            if !decision.is_allowed() {
                return Err(ChangeProblem::Refused {
                    author: author.credential.name().to_string(),
                    reason: decision.reason(),
                    explanation: self.explain(decision.reason()).to_string(),
                });
            }
        }
        Ok(user)
    }

    /// Applies a change of the standing of the account named `name`.
    pub(super) fn set_standing(
        &mut self,
        name: &str,
        standing: Standing,
        by: Option<&Author>,
    ) -> Outcome<()> {
        let id = self.member_for(name, by)?;
        let status = self.user_status(id.0);
        match standing {
            Standing::Suspend => {
                self.unprotected(id, name, || "suspended".to_string())?;
                match status {
                    Status::Active => {
                        self.set_user_status(id, Status::Suspended);
                        Ok(())
                    }
                    status => Err(self.wrong_status(name, status, "active")),
                }
            }
            Standing::Reactivate => match status {
                Status::Suspended | Status::Deactivated => self.activate(id),
                status => Err(self.wrong_status(name, status, "suspended or deactivated")),
            },
            Standing::Deactivate => {
                self.unprotected(id, name, || "deactivated".to_string())?;
                match status {
                    Status::Active | Status::Suspended => {
                        self.set_user_status(id, Status::Deactivated);
                        Ok(())
                    }
                    // An invitation is expired or revoked, never deactivated:
                    // reactivating would skip accepting it.
                    status => Err(self.wrong_status(name, status, "active or suspended")),
                }
            }
            Standing::Remove => {
                self.unprotected(id, name, || "removed".to_string())?;
                self.remove_user(id);
                Ok(())
            }
            Standing::Kind(user_type, channels) => {
                self.unprotected(id, name, || format!("made a {user_type} user"))?;
                self.set_kind(id, name, user_type, channels)
            }
            Standing::Channels(channels) => {
                self.unprotected(id, name, || "given other channels".to_string())?;
                let user_type = self
                    .users
                    .get(id.0 as usize)
                    .map_or(UserType::System, UserRecord::user_type);
                self.set_kind(id, name, user_type, channels)
            }
        }
    }

    /// Gives user `id` (named `name`) type `user_type` and `channels`
    /// (`None`: the type's), checked as the builder checks a declared
    /// user: channels within the type's, every role it holds open to the
    /// type, a licence seat for an active user of a counted type.
    fn set_kind(
        &mut self,
        id: UserId,
        name: &str,
        user_type: UserType,
        channels: Option<Channels>,
    ) -> Outcome<()> {
        let channels = user_channels(user_type, channels).map_err(|beyond| {
            ChangeProblem::ChannelsNotAllowed {
                user: name.to_string(),
                user_type,
                extra: beyond.extra,
            }
        })?;
        let Some(record) = self.users.get(id.0 as usize).copied() else {
            return Err(unknown(Entity::User, name));
        };
        if record.user_type() != user_type {
            self.check_kind_eligible(id, &record, name, user_type)?;
            // A user that takes a seat keeps it (or frees it); one that
            // takes none needs one if its new type is counted.
            let seated = self.seats.is_some_and(|seats| takes_seat(seats, &record));
            if record.state() == State::Active && !seated {
                self.check_seat(user_type)?;
            }
        }
        self.set_user_kind(id, user_type, channels);
        Ok(())
    }

    /// Refuses type `user_type` for user `id` when a role it holds, its
    /// own or one of its teams', is not open to that type.
    fn check_kind_eligible(
        &self,
        UserId(user): UserId,
        record: &UserRecord,
        name: &str,
        user_type: UserType,
    ) -> Outcome<()> {
        let ineligible = |role: u32| ChangeProblem::IneligibleRole {
            role: self
                .catalog
                .roles
                .get(role as usize)
                .map_or_else(String::new, |role| role.name.clone()),
            user: name.to_string(),
            user_type,
        };
        for grant in self.own_grants(user, record) {
            if !may_hold(user_type, grant.effect, self.role_eligibility(grant.role)) {
                return Err(ineligible(grant.role));
            }
        }
        let teams = self.teams_of(record);
        for entry in self.grants_live() {
            let is_team = entry.key & !principal_key::INDEX_MASK == principal_key::TEAM;
            if is_team
                && teams.contains(&(entry.key & principal_key::INDEX_MASK))
                && !may_hold(user_type, entry.effect, entry.eligible)
            {
                return Err(ineligible(entry.role));
            }
        }
        Ok(())
    }
}
