//! Property tests of changes: on random models (the generator of
//! `tests/properties.rs`), random sequences of changes, valid and not, by
//! names that exist and names that do not:
//!
//! - a refused change, or batch, leaves the policy exactly as it was;
//! - a policy changed step by step decides every request exactly like a
//!   policy built from scratch from the final model, and nothing in it is
//!   half-removed;
//! - replaying the accepted changes, one by one or in one batch, gives the
//!   same policy at the same revision.
//!
//! The test keeps a *mirror*: the model as plain declarations by name. Each
//! accepted change is applied to the mirror the plain way (removing a user
//! removes its grants, keys and memberships; removing a resource its
//! subtree, the grants on it and the keys and links into it; …), and the
//! mirror is built with [`PolicyBuilder`]. Ids differ after removals, so
//! decisions are compared by name: the same user, key or link, the same
//! resource, and the reason explained with names.
//!
//! `PROPTEST_CASES=2000 cargo test --test change_properties` hunts longer.

// clippy.toml allows these in `#[test]` functions only; the mirror and the
// resolvers below index lists they built themselves, and fail the test by
// panicking when a generated model does not build.
#![expect(
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers over generated models"
)]

mod common;
mod generate;
// Only the model and its names are used here, not the reference evaluator.
#[allow(dead_code, reason = "the evaluator is for tests/properties.rs")]
mod reference;

use clearance::{
    Action, ApiKey, Author, Change, Channel, Channels, Effect, Grantee, Permissions, Policy,
    PolicyBuilder, PublicLink, ResourceKind, Role, Seats, Status, Subject, User, UserType,
    UserTypes,
};
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::Index;

use generate::{config, model, permissions, KINDS, ROOT_KINDS};
use reference::{
    builder, key_name, link_name, resource_name, role_name, team_name, user_name, Model, Who,
};

// ---- the mirror: the model as declarations by name ----

/// A resource.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MirrorResource {
    name: String,
    kind: ResourceKind,
    parent: Option<String>,
}

/// A role.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MirrorRole {
    name: String,
    rules: Vec<(Vec<ResourceKind>, Permissions)>,
    inherits: Vec<String>,
    eligible: UserTypes,
}

impl MirrorRole {
    fn role(&self) -> Role {
        let mut role = Role::new(self.name.clone()).only_for(self.eligible);
        for (kinds, permissions) in &self.rules {
            role = role.allow(kinds.iter().copied(), *permissions);
        }
        for parent in &self.inherits {
            role = role.inherits(parent.clone());
        }
        role
    }
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MirrorUser {
    name: String,
    tenant: String,
    user_type: UserType,
    status: Status,
    channels: Option<Channels>,
    teams: Vec<String>,
}

impl MirrorUser {
    fn user(&self) -> User {
        let mut user = User::new(self.name.clone(), self.tenant.clone())
            .user_type(self.user_type)
            .status(self.status);
        if let Some(channels) = self.channels {
            user = user.channels(channels);
        }
        for team in &self.teams {
            user = user.member_of(team.clone());
        }
        user
    }
}

/// A grant.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MirrorGrant {
    grantee: Grantee,
    scope: String,
    role: String,
    effect: Effect,
}

/// An API key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MirrorKey {
    name: String,
    owner: String,
    scope: Permissions,
    within: Option<String>,
    expires_at: Option<u64>,
    revoked: bool,
}

impl MirrorKey {
    fn key(&self) -> ApiKey {
        let mut key = ApiKey::new(self.name.clone(), self.owner.clone())
            .scope(self.scope)
            .revoked(self.revoked);
        if let Some(within) = &self.within {
            key = key.within(within.clone());
        }
        if let Some(at) = self.expires_at {
            key = key.expires_at(at);
        }
        key
    }
}

/// A public link.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MirrorLink {
    name: String,
    resource: String,
    permissions: Permissions,
    expires_at: Option<u64>,
    revoked: bool,
}

impl MirrorLink {
    fn link(&self) -> PublicLink {
        let mut link = PublicLink::new(self.name.clone(), self.resource.clone(), self.permissions)
            .revoked(self.revoked);
        if let Some(at) = self.expires_at {
            link = link.expires_at(at);
        }
        link
    }
}

/// The whole model by names, every list in the order of declaration (so
/// that a fresh build numbers what is left in the order the changed policy
/// does).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Mirror {
    resources: Vec<MirrorResource>,
    roles: Vec<MirrorRole>,
    teams: Vec<(String, String)>,
    users: Vec<MirrorUser>,
    grants: Vec<MirrorGrant>,
    keys: Vec<MirrorKey>,
    links: Vec<MirrorLink>,
    mfa_required: Permissions,
    seats: Option<Seats>,
}

impl Mirror {
    /// The generated model, by the names `reference::builder` gives it.
    fn of(model: &Model) -> Mirror {
        Mirror {
            resources: model
                .resources
                .iter()
                .enumerate()
                .map(|(index, node)| MirrorResource {
                    name: resource_name(index),
                    kind: node.kind,
                    parent: node.parent.map(resource_name),
                })
                .collect(),
            roles: model
                .roles
                .iter()
                .enumerate()
                .map(|(index, role)| MirrorRole {
                    name: role_name(index),
                    rules: role.rules.clone(),
                    inherits: role
                        .inherits
                        .iter()
                        .map(|&parent| role_name(parent))
                        .collect(),
                    eligible: role.eligible,
                })
                .collect(),
            teams: model
                .teams
                .iter()
                .enumerate()
                .map(|(index, team)| (team_name(index), resource_name(team.tenant)))
                .collect(),
            users: model
                .users
                .iter()
                .enumerate()
                .map(|(index, user)| MirrorUser {
                    name: user_name(index),
                    tenant: resource_name(user.tenant),
                    user_type: user.user_type,
                    status: user.status,
                    channels: user.channels,
                    teams: user.teams.iter().map(|&team| team_name(team)).collect(),
                })
                .collect(),
            grants: model
                .grants
                .iter()
                .map(|grant| MirrorGrant {
                    grantee: match grant.who {
                        Who::User(user) => Grantee::user(user_name(user)),
                        Who::Team(team) => Grantee::team(team_name(team)),
                        Who::Everyone => Grantee::Everyone,
                        Who::Public => Grantee::Public,
                    },
                    scope: resource_name(grant.scope),
                    role: role_name(grant.role),
                    effect: grant.effect,
                })
                .collect(),
            keys: model
                .keys
                .iter()
                .enumerate()
                .map(|(index, key)| MirrorKey {
                    name: key_name(index),
                    owner: user_name(key.owner),
                    scope: key.scope,
                    within: key.within.map(resource_name),
                    expires_at: key.expires_at,
                    revoked: key.revoked,
                })
                .collect(),
            links: model
                .links
                .iter()
                .enumerate()
                .map(|(index, link)| MirrorLink {
                    name: link_name(index),
                    resource: resource_name(link.resource),
                    permissions: link.permissions,
                    expires_at: link.expires_at,
                    revoked: link.revoked,
                })
                .collect(),
            mfa_required: model.mfa_required,
            seats: None,
        }
    }

    /// Declares the mirror to a builder, in order.
    fn builder(&self) -> PolicyBuilder {
        let mut builder = PolicyBuilder::new();
        for resource in &self.resources {
            match &resource.parent {
                None => builder.tenant(resource.name.clone(), resource.kind),
                Some(parent) => {
                    builder.resource(resource.name.clone(), resource.kind, parent.clone())
                }
            };
        }
        for role in &self.roles {
            builder.role(role.role());
        }
        for (name, tenant) in &self.teams {
            builder.team(name.clone(), tenant.clone());
        }
        for user in &self.users {
            builder.user(user.user());
        }
        for grant in &self.grants {
            builder.grant(
                grant.grantee.clone(),
                grant.scope.clone(),
                grant.role.clone(),
                grant.effect,
            );
        }
        for key in &self.keys {
            builder.api_key(key.key());
        }
        for link in &self.links {
            builder.link(link.link());
        }
        builder.mfa_required(self.mfa_required);
        if let Some(seats) = self.seats {
            builder.seats(seats);
        }
        builder
    }

    fn resource(&self, name: &str) -> Option<&MirrorResource> {
        self.resources.iter().find(|resource| resource.name == name)
    }

    fn user(&self, name: &str) -> Option<&MirrorUser> {
        self.users.iter().find(|user| user.name == name)
    }

    /// The tenant root of a resource (itself for a root).
    fn tenant_of(&self, name: &str) -> String {
        let mut at = name.to_string();
        for _ in 0..=self.resources.len() {
            match self
                .resource(&at)
                .and_then(|resource| resource.parent.clone())
            {
                Some(parent) => at = parent,
                None => break,
            }
        }
        at
    }

    /// Whether `name` is `root` or below it.
    fn is_within(&self, name: &str, root: &str) -> bool {
        let mut at = Some(name.to_string());
        for _ in 0..=self.resources.len() {
            match at {
                Some(ref here) if here == root => return true,
                Some(here) => at = self.resource(&here).and_then(|r| r.parent.clone()),
                None => return false,
            }
        }
        false
    }

    fn roots(&self) -> Vec<&str> {
        self.resources
            .iter()
            .filter(|resource| resource.parent.is_none())
            .map(|resource| resource.name.as_str())
            .collect()
    }

    fn seats_used(&self, seats: Seats) -> usize {
        self.users
            .iter()
            .filter(|user| {
                user.status == Status::Active && seats.counted.contains(user.user_type.as_set())
            })
            .count()
    }

    fn remove_user(&mut self, name: &str) {
        self.users.retain(|user| user.name != name);
        self.grants
            .retain(|grant| grant.grantee != Grantee::user(name));
        self.keys.retain(|key| key.owner != name);
    }

    fn set_status(&mut self, name: &str, status: Status) {
        if let Some(user) = self.users.iter_mut().find(|user| user.name == name) {
            user.status = status;
        }
    }

    /// Applies an operation the policy accepted, the plain way.
    fn apply(&mut self, op: &Op) {
        match op {
            Op::AddResource(resource) => self.resources.push(resource.clone()),
            Op::MoveResource { name, parent } => {
                if let Some(resource) = self.resources.iter_mut().find(|r| r.name == *name) {
                    resource.parent = Some(parent.clone());
                }
            }
            Op::RemoveResource(name) => {
                let subtree: Vec<String> = self
                    .resources
                    .iter()
                    .filter(|resource| self.is_within(&resource.name, name))
                    .map(|resource| resource.name.clone())
                    .collect();
                let inside = |resource: &str| subtree.iter().any(|r| r == resource);
                self.resources.retain(|resource| !inside(&resource.name));
                self.grants.retain(|grant| !inside(&grant.scope));
                self.keys
                    .retain(|key| !key.within.as_deref().is_some_and(inside));
                self.links.retain(|link| !inside(&link.resource));
            }
            Op::AddRole(role) => self.roles.push(role.clone()),
            Op::UpdateRole(role) => {
                if let Some(slot) = self.roles.iter_mut().find(|r| r.name == role.name) {
                    *slot = role.clone();
                }
            }
            Op::RemoveRole(name) => self.roles.retain(|role| role.name != *name),
            Op::AddTeam { name, tenant } => self.teams.push((name.clone(), tenant.clone())),
            Op::RemoveTeam(name) => {
                self.teams.retain(|(team, _)| team != name);
                for user in &mut self.users {
                    user.teams.retain(|team| team != name);
                }
                self.grants
                    .retain(|grant| grant.grantee != Grantee::team(name.clone()));
            }
            Op::AddUser(user) => self.users.push(user.clone()),
            Op::RemoveUser(name) | Op::RevokeInvitation(name) => self.remove_user(name),
            Op::AddMembership { user, team } => {
                if let Some(user) = self.users.iter_mut().find(|u| u.name == *user) {
                    user.teams.push(team.clone());
                }
            }
            Op::RemoveMembership { user, team } => {
                if let Some(user) = self.users.iter_mut().find(|u| u.name == *user) {
                    user.teams.retain(|t| t != team);
                }
            }
            Op::Invite { user, until } => self.users.push(MirrorUser {
                status: Status::Invited { until: *until },
                ..user.clone()
            }),
            Op::Accept { user, .. } | Op::Reactivate(user) => {
                self.set_status(user, Status::Active);
            }
            Op::Expire(user) => self.set_status(user, Status::Invited { until: 0 }),
            Op::Suspend(user) => self.set_status(user, Status::Suspended),
            Op::Deactivate(user) => self.set_status(user, Status::Deactivated),
            Op::Grant { grant, .. } => self.grants.push(grant.clone()),
            Op::Revoke { grant, .. } => {
                if let Some(at) = self.grants.iter().position(|g| g == grant) {
                    self.grants.remove(at);
                }
            }
            Op::AddKey(key) => self.keys.push(key.clone()),
            Op::RevokeKey(name) => {
                if let Some(key) = self.keys.iter_mut().find(|key| key.name == *name) {
                    key.revoked = true;
                }
            }
            Op::RemoveKey(name) => self.keys.retain(|key| key.name != *name),
            Op::AddLink(link) => self.links.push(link.clone()),
            Op::RevokeLink(name) => {
                if let Some(link) = self.links.iter_mut().find(|link| link.name == *name) {
                    link.revoked = true;
                }
            }
            Op::RemoveLink(name) => self.links.retain(|link| link.name != *name),
            Op::SetMfaRequired(permissions) => self.mfa_required = *permissions,
            Op::SetSeats(seats) => self.seats = *seats,
        }
    }
}

// ---- operations: a change with everything it says in the open ----

/// A change, with its contents readable by the test (a [`Change`] keeps
/// users, roles, keys and links opaque).
#[derive(Debug, Clone)]
enum Op {
    AddResource(MirrorResource),
    MoveResource {
        name: String,
        parent: String,
    },
    RemoveResource(String),
    AddRole(MirrorRole),
    UpdateRole(MirrorRole),
    RemoveRole(String),
    AddTeam {
        name: String,
        tenant: String,
    },
    RemoveTeam(String),
    AddUser(MirrorUser),
    RemoveUser(String),
    AddMembership {
        user: String,
        team: String,
    },
    RemoveMembership {
        user: String,
        team: String,
    },
    Invite {
        user: MirrorUser,
        until: u64,
    },
    Accept {
        user: String,
        at: u64,
    },
    Expire(String),
    RevokeInvitation(String),
    Suspend(String),
    Reactivate(String),
    Deactivate(String),
    Grant {
        grant: MirrorGrant,
        by: Option<Author>,
    },
    Revoke {
        grant: MirrorGrant,
        by: Option<Author>,
    },
    AddKey(MirrorKey),
    RevokeKey(String),
    RemoveKey(String),
    AddLink(MirrorLink),
    RevokeLink(String),
    RemoveLink(String),
    SetMfaRequired(Permissions),
    SetSeats(Option<Seats>),
}

impl Op {
    /// The change this operation is.
    fn change(&self) -> Change {
        match self.clone() {
            Op::AddResource(resource) => Change::AddResource {
                name: resource.name,
                kind: resource.kind,
                parent: resource.parent,
            },
            Op::MoveResource { name, parent } => Change::MoveResource { name, parent },
            Op::RemoveResource(name) => Change::RemoveResource { name },
            Op::AddRole(role) => Change::AddRole(role.role()),
            Op::UpdateRole(role) => Change::UpdateRole(role.role()),
            Op::RemoveRole(name) => Change::RemoveRole { name },
            Op::AddTeam { name, tenant } => Change::AddTeam { name, tenant },
            Op::RemoveTeam(name) => Change::RemoveTeam { name },
            Op::AddUser(user) => Change::AddUser(user.user()),
            Op::RemoveUser(name) => Change::RemoveUser { name, by: None },
            Op::AddMembership { user, team } => Change::AddMembership { user, team },
            Op::RemoveMembership { user, team } => Change::RemoveMembership { user, team },
            Op::Invite { user, until } => Change::Invite {
                user: user.user(),
                until,
            },
            Op::Accept { user, at } => Change::AcceptInvitation { user, at },
            Op::Expire(user) => Change::ExpireInvitation { user },
            Op::RevokeInvitation(user) => Change::RevokeInvitation { user },
            Op::Suspend(user) => Change::Suspend { user, by: None },
            Op::Reactivate(user) => Change::Reactivate { user, by: None },
            Op::Deactivate(user) => Change::Deactivate { user, by: None },
            Op::Grant { grant, by } => Change::Grant {
                grantee: grant.grantee,
                scope: grant.scope,
                role: grant.role,
                effect: grant.effect,
                when: clearance::Condition::Always,
                by,
            },
            Op::Revoke { grant, by } => Change::Revoke {
                grantee: grant.grantee,
                scope: grant.scope,
                role: grant.role,
                effect: grant.effect,
                by,
            },
            Op::AddKey(key) => Change::AddKey(key.key()),
            Op::RevokeKey(name) => Change::RevokeKey { name },
            Op::RemoveKey(name) => Change::RemoveKey { name },
            Op::AddLink(link) => Change::AddLink(link.link()),
            Op::RevokeLink(name) => Change::RevokeLink { name },
            Op::RemoveLink(name) => Change::RemoveLink { name },
            Op::SetMfaRequired(permissions) => Change::SetMfaRequired(permissions),
            Op::SetSeats(seats) => Change::SetSeats(seats),
        }
    }
}

/// The raw material of one operation, resolved against the mirror when it
/// is applied (so that it names what exists at that point).
#[derive(Debug, Clone)]
struct RawOp {
    /// Which operation, on a scale of 100 (see [`RawOp::resolve`]).
    kind: u8,
    picks: [Index; 4],
    /// Name something that does not exist instead.
    junk: bool,
    /// A time, for invitations, expiries and authors.
    time: u64,
    permissions: Permissions,
    flags: u8,
}

/// Operations with names that mostly exist: with probability `junk`, one
/// names something that does not (or, for something new, a taken name).
fn raw_op(junk: f64) -> impl Strategy<Value = RawOp> {
    raw_op_of(junk, 0..100u8)
}

/// Like [`raw_op`], with the operation's kind drawn from `kinds`.
fn raw_op_of(junk: f64, kinds: impl Strategy<Value = u8>) -> impl Strategy<Value = RawOp> {
    (
        kinds,
        any::<[Index; 4]>(),
        weighted(junk, Just(())).prop_map(|junk| junk.is_some()),
        0..120u64,
        permissions(),
        any::<u8>(),
    )
        .prop_map(|(kind, picks, junk, time, permissions, flags)| RawOp {
            kind,
            picks,
            junk,
            time,
            permissions,
            flags,
        })
}

/// A name that no generated entity has.
const NOWHERE: &str = "nowhere";

/// One of `names`, or [`NOWHERE`] when junk is asked for or there is none.
fn pick(names: &[&str], index: Index, junk: bool) -> String {
    if junk || names.is_empty() {
        return NOWHERE.to_string();
    }
    names[index.index(names.len())].to_string()
}

/// Whether a new API key may take the name of a removed one: on since
/// removing a resource stopped removing again the keys removed before
/// (`removing_a_resource_leaves_a_newer_key_of_a_removed_keys_name_alone`
/// in tests/changes_removals.rs); off reproduces the runs from before.
const REUSE_KEY_NAMES: bool = true;

impl RawOp {
    /// A name for something new: usually unique, sometimes one of a small
    /// pool per kind (so that names are taken, or come back after removal).
    fn fresh(&self, prefix: &str, step: usize, taken: &[&str]) -> String {
        if self.junk && !taken.is_empty() {
            return taken[self.picks[3].index(taken.len())].to_string();
        }
        let pooled = prefix != "key" || REUSE_KEY_NAMES;
        if pooled && self.flags & 3 == 0 {
            format!("{prefix}-pool{}", self.picks[3].index(3))
        } else {
            format!("{prefix}-{step}")
        }
    }

    fn user_type(&self) -> UserType {
        match self.picks[2].index(12) {
            0 => UserType::Connected,
            1 => UserType::NativeAdmin,
            2 => UserType::Interface,
            3 => UserType::Public,
            4 => UserType::System,
            _ => UserType::Native,
        }
    }

    fn status(&self) -> Status {
        match self.flags >> 5 {
            0 => Status::Suspended,
            1 => Status::Deactivated,
            2 => Status::Invited { until: self.time },
            _ => Status::Active,
        }
    }

    fn effect(&self) -> Effect {
        match self.picks[3].index(10) {
            0..=5 => Effect::Allow,
            6..=7 => Effect::Override,
            _ => Effect::Deny,
        }
    }

    fn role(&self, name: String, mirror: &Mirror) -> MirrorRole {
        let kinds: Vec<ResourceKind> = ROOT_KINDS
            .iter()
            .chain(&KINDS)
            .enumerate()
            .filter(|&(bit, _)| self.flags & (1 << bit) != 0)
            .map(|(_, &kind)| kind)
            .collect();
        let roles: Vec<&str> = mirror.roles.iter().map(|r| r.name.as_str()).collect();
        let inherits = if self.flags & 0x80 != 0 && !roles.is_empty() {
            vec![pick(&roles, self.picks[1], false)]
        } else {
            Vec::new()
        };
        let eligible = if self.picks[2].index(4) == 0 {
            UserTypes::from_bits_truncate(self.flags) | UserTypes::NATIVE
        } else {
            UserTypes::all()
        };
        MirrorRole {
            name,
            rules: vec![(kinds, self.permissions)],
            inherits,
            eligible,
        }
    }

    /// A user of a tenant, in some of the tenant's teams.
    fn user(&self, name: String, mirror: &Mirror) -> MirrorUser {
        let tenant = pick(&mirror.roots(), self.picks[0], false);
        let teams: Vec<&str> = mirror
            .teams
            .iter()
            .filter(|(_, of)| *of == tenant)
            .map(|(team, _)| team.as_str())
            .collect();
        let count = self.picks[1].index(3);
        MirrorUser {
            name,
            tenant,
            user_type: self.user_type(),
            status: self.status(),
            channels: None,
            teams: (0..count)
                .filter(|_| !teams.is_empty())
                .map(|at| teams[(self.picks[2].index(teams.len()) + at) % teams.len()].to_string())
                .collect(),
        }
    }

    /// The operation, naming what exists in `mirror` (mostly).
    fn resolve(&self, mirror: &Mirror, step: usize) -> Op {
        let [a, b, c, _] = self.picks;
        let junk = self.junk;
        let resources: Vec<&str> = mirror.resources.iter().map(|r| r.name.as_str()).collect();
        let roles: Vec<&str> = mirror.roles.iter().map(|r| r.name.as_str()).collect();
        let teams: Vec<&str> = mirror.teams.iter().map(|(t, _)| t.as_str()).collect();
        let users: Vec<&str> = mirror.users.iter().map(|u| u.name.as_str()).collect();
        let keys: Vec<&str> = mirror.keys.iter().map(|k| k.name.as_str()).collect();
        let links: Vec<&str> = mirror.links.iter().map(|l| l.name.as_str()).collect();
        let invited: Vec<&str> = mirror
            .users
            .iter()
            .filter(|u| matches!(u.status, Status::Invited { .. }))
            .map(|u| u.name.as_str())
            .collect();
        let of_tenant = |tenant: &str| -> Vec<&str> {
            resources
                .iter()
                .copied()
                .filter(|&r| mirror.tenant_of(r) == tenant)
                .collect()
        };
        // Users prefer the invited ones for invitation changes.
        let user_or_invited = || {
            if self.flags & 1 == 0 && !invited.is_empty() {
                pick(&invited, a, junk)
            } else {
                pick(&users, a, junk)
            }
        };
        match self.kind {
            0..=5 => {
                let parent = if b.index(8) == 0 {
                    None
                } else {
                    Some(pick(&resources, b, junk))
                };
                let kind = match parent {
                    None => ROOT_KINDS[c.index(ROOT_KINDS.len())],
                    Some(_) => KINDS[c.index(KINDS.len())],
                };
                Op::AddResource(MirrorResource {
                    name: self.fresh("res", step, &resources),
                    kind,
                    parent,
                })
            }
            6..=8 => {
                let name = pick(&resources, a, junk);
                let same = of_tenant(&mirror.tenant_of(&name));
                let parent = if self.flags & 1 == 0 {
                    pick(&same, b, false)
                } else {
                    pick(&resources, b, false)
                };
                Op::MoveResource { name, parent }
            }
            9..=11 => Op::RemoveResource(pick(&resources, a, junk)),
            12..=13 => Op::AddRole(self.role(self.fresh("role", step, &roles), mirror)),
            14..=16 => Op::UpdateRole(self.role(pick(&roles, a, junk), mirror)),
            17..=18 => Op::RemoveRole(pick(&roles, a, junk)),
            19..=20 => Op::AddTeam {
                name: self.fresh("team", step, &teams),
                tenant: pick(&mirror.roots(), a, false),
            },
            21..=22 => Op::RemoveTeam(pick(&teams, a, junk)),
            23..=27 => Op::AddUser(self.user(self.fresh("user", step, &users), mirror)),
            28..=30 => Op::RemoveUser(pick(&users, a, junk)),
            31..=37 => {
                let user = pick(&users, a, junk);
                let tenant = mirror.user(&user).map(|u| u.tenant.clone());
                let own: Vec<&str> = mirror
                    .teams
                    .iter()
                    .filter(|(_, of)| Some(of) == tenant.as_ref() || self.flags & 7 == 0)
                    .map(|(team, _)| team.as_str())
                    .collect();
                Op::AddMembership {
                    user,
                    team: pick(&own, b, false),
                }
            }
            38..=41 => {
                let user = pick(&users, a, junk);
                let member_of: Vec<&str> = mirror
                    .user(&user)
                    .map(|u| u.teams.iter().map(String::as_str).collect())
                    .unwrap_or_default();
                let team = if self.flags & 1 == 0 {
                    pick(&member_of, b, false)
                } else {
                    pick(&teams, b, false)
                };
                Op::RemoveMembership { user, team }
            }
            42..=44 => Op::Invite {
                user: self.user(self.fresh("user", step, &users), mirror),
                until: self.time,
            },
            45..=47 => Op::Accept {
                user: user_or_invited(),
                at: self.time,
            },
            48..=49 => Op::Expire(user_or_invited()),
            50..=51 => Op::RevokeInvitation(user_or_invited()),
            52..=55 => Op::Suspend(pick(&users, a, junk)),
            56..=59 => Op::Reactivate(pick(&users, a, junk)),
            60..=62 => Op::Deactivate(pick(&users, a, junk)),
            63..=82 => {
                let existing = self.kind >= 77 && !mirror.grants.is_empty() && self.flags & 3 != 0;
                let grant = if existing {
                    mirror.grants[a.index(mirror.grants.len())].clone()
                } else {
                    // Half of the grants land on the first two resources,
                    // so that one of them holds a long run.
                    let hot: Vec<&str> = resources.iter().copied().take(2).collect();
                    let scope = if self.flags & 0x10 == 0 {
                        pick(&hot, a, junk)
                    } else {
                        pick(&resources, a, junk)
                    };
                    let tenant = mirror.tenant_of(&scope);
                    let users_here: Vec<&str> = mirror
                        .users
                        .iter()
                        .filter(|u| u.tenant == tenant)
                        .map(|u| u.name.as_str())
                        .collect();
                    let teams_here: Vec<&str> = mirror
                        .teams
                        .iter()
                        .filter(|(_, of)| *of == tenant)
                        .map(|(team, _)| team.as_str())
                        .collect();
                    let grantee = match b.index(10) {
                        0..=3 if !users_here.is_empty() => {
                            Grantee::user(pick(&users_here, c, false))
                        }
                        4..=6 if !teams_here.is_empty() => {
                            Grantee::team(pick(&teams_here, c, false))
                        }
                        9 => Grantee::Public,
                        _ => Grantee::Everyone,
                    };
                    MirrorGrant {
                        grantee,
                        scope,
                        role: pick(&roles, c, false),
                        effect: self.effect(),
                    }
                };
                let by = (self.flags & 0x60 == 0).then(|| {
                    let tenant = mirror.tenant_of(&grant.scope);
                    let authors: Vec<&str> = mirror
                        .users
                        .iter()
                        .filter(|u| u.tenant == tenant)
                        .map(|u| u.name.as_str())
                        .collect();
                    // Keys author too: those of the tenant's users.
                    let keys: Vec<&str> = mirror
                        .keys
                        .iter()
                        .filter(|k| authors.contains(&k.owner.as_str()))
                        .map(|k| k.name.as_str())
                        .collect();
                    let author = if self.flags & 0x08 != 0 && !keys.is_empty() {
                        Author::key(pick(&keys, b, false), self.time)
                    } else {
                        Author::web(pick(&authors, b, false), self.time)
                    };
                    author.with_mfa(self.flags & 0x80 != 0)
                });
                if self.kind >= 77 {
                    Op::Revoke { grant, by }
                } else {
                    Op::Grant { grant, by }
                }
            }
            83..=85 => {
                let owner = pick(&users, a, junk);
                let tenant = mirror
                    .user(&owner)
                    .map(|u| u.tenant.clone())
                    .unwrap_or_default();
                let within = (self.flags & 3 == 0).then(|| pick(&of_tenant(&tenant), b, false));
                Op::AddKey(MirrorKey {
                    name: self.fresh("key", step, &keys),
                    owner,
                    scope: if self.flags & 4 == 0 {
                        Permissions::all()
                    } else {
                        self.permissions
                    },
                    within,
                    expires_at: (self.flags & 8 == 0).then_some(self.time),
                    revoked: self.flags & 0x70 == 0x70,
                })
            }
            86..=87 => Op::RevokeKey(pick(&keys, a, junk)),
            88..=89 => Op::RemoveKey(pick(&keys, a, junk)),
            90..=92 => Op::AddLink(MirrorLink {
                name: self.fresh("link", step, &links),
                resource: pick(&resources, a, junk),
                permissions: self.permissions,
                expires_at: (self.flags & 8 == 0).then_some(self.time),
                revoked: self.flags & 0x70 == 0x70,
            }),
            93 => Op::RevokeLink(pick(&links, a, junk)),
            94..=95 => Op::RemoveLink(pick(&links, a, junk)),
            96..=97 => Op::SetMfaRequired(if self.flags & 1 == 0 {
                Permissions::empty()
            } else {
                self.permissions
            }),
            _ => {
                if self.flags & 3 == 0 {
                    Op::SetSeats(None)
                } else {
                    let counted = if self.flags & 4 == 0 {
                        UserTypes::NATIVE
                    } else {
                        UserTypes::NATIVE | UserTypes::CONNECTED
                    };
                    let used = mirror.seats_used(Seats { limit: 0, counted });
                    let limit = (used + a.index(4)).saturating_sub(1);
                    Op::SetSeats(Some(Seats {
                        limit: u32::try_from(limit).unwrap_or(u32::MAX),
                        counted,
                    }))
                }
            }
        }
    }
}

// ---- comparing policies by names ----

/// The policy of a model, which must build.
#[track_caller]
fn build(builder: &PolicyBuilder, what: &dyn std::fmt::Debug) -> Policy {
    match builder.build() {
        Ok(policy) => policy,
        Err(error) => panic!("{error}\n{what:#?}"),
    }
}

/// The actions compared: the verbs roles give, one they never give, one of
/// the host's own bits.
const ACTIONS: [Action; 8] = [
    Action::View,
    Action::Create,
    Action::Edit,
    Action::Delete,
    Action::Execute,
    Action::Share,
    Action::ManageMembers,
    Action::Custom(Permissions::from_bits_retain(1 << 40)),
];

/// Who asks, by name.
#[derive(Debug, Clone, Copy)]
enum Asker<'m> {
    User(&'m str, Channel, bool),
    Key(&'m str),
    Link(&'m str),
}

impl Asker<'_> {
    fn subject(self, policy: &Policy, now: u64) -> Option<Subject> {
        let subject = match self {
            Asker::User(name, channel, mfa) => {
                Subject::user(policy.user_id(name)?, channel).with_mfa(mfa)
            }
            Asker::Key(name) => Subject::key(policy.key_id(name)?),
            Asker::Link(name) => Subject::link(policy.link_id(name)?),
        };
        Some(subject.at(now))
    }
}

/// Compares every decision of `changed` with those of `fresh`, by names:
/// every user (through the web without MFA and through the API with it),
/// key and link of the mirror, at two times, on every resource, for every
/// action of [`ACTIONS`]; and the names each policy knows.
fn compare(changed: &Policy, fresh: &Policy, mirror: &Mirror) -> Result<(), String> {
    let count = |live: &dyn Fn(u32) -> bool, total: usize| {
        (0..u32::try_from(total).unwrap_or(u32::MAX))
            .filter(|&index| live(index))
            .count()
    };
    let users = count(
        &|index| common::user_is_live(changed, clearance::UserId::from_index(index)),
        changed.user_count(),
    );
    let resources = count(
        &|index| common::resource_is_live(changed, clearance::ResourceId::from_index(index)),
        changed.resource_count(),
    );
    if users != mirror.users.len() || resources != mirror.resources.len() {
        return Err(format!(
            "the changed policy has {users} users and {resources} resources, the model {} and {}",
            mirror.users.len(),
            mirror.resources.len()
        ));
    }
    if changed.seats() != fresh.seats()
        || changed.seats_used() != fresh.seats_used()
        || changed.mfa_required() != fresh.mfa_required()
    {
        return Err("seats or MFA differ".to_string());
    }
    let mut askers: Vec<Asker<'_>> = Vec::new();
    for user in &mirror.users {
        askers.push(Asker::User(&user.name, Channel::Web, false));
        askers.push(Asker::User(&user.name, Channel::Api, true));
    }
    askers.extend(mirror.keys.iter().map(|key| Asker::Key(&key.name)));
    askers.extend(mirror.links.iter().map(|link| Asker::Link(&link.name)));
    for asker in askers {
        for now in [30, 90] {
            let (Some(one), Some(other)) = (asker.subject(changed, now), asker.subject(fresh, now))
            else {
                return Err(format!("{asker:?} is unknown to one of the policies"));
            };
            for resource in &mirror.resources {
                let (Some(here), Some(there)) = (
                    changed.resource_id(&resource.name),
                    fresh.resource_id(&resource.name),
                ) else {
                    return Err(format!(
                        "{:?} is unknown to one of the policies",
                        resource.name
                    ));
                };
                for action in ACTIONS {
                    let a = changed.authorize(&one, action, here);
                    let b = fresh.authorize(&other, action, there);
                    let said = changed.explain(a.reason()).to_string();
                    let should = fresh.explain(b.reason()).to_string();
                    if a.is_allowed() != b.is_allowed() || said != should {
                        return Err(format!(
                            "{asker:?} at {now}, {action:?} on {:?}: changed policy {:?} ({said}), fresh build {:?} ({should})",
                            resource.name,
                            a.reason(),
                            b.reason()
                        ));
                    }
                }
                let a = changed.effective(&one, here);
                let b = fresh.effective(&other, there);
                if a != b {
                    return Err(format!(
                        "{asker:?} at {now} on {:?}: effective {a:?} in the changed policy, {b:?} in a fresh build",
                        resource.name
                    ));
                }
                // Walks down the tree (moved and removed resources) list
                // the same resources.
                let names = |policy: &Policy, list: Vec<clearance::ResourceId>| {
                    let mut names: Vec<String> = list
                        .into_iter()
                        .filter_map(|id| policy.resource_name(id).map(str::to_string))
                        .collect();
                    names.sort();
                    names
                };
                let a = names(changed, changed.accessible(&one, Action::View, here));
                let b = names(fresh, fresh.accessible(&other, Action::View, there));
                if a != b {
                    return Err(format!(
                        "{asker:?} at {now} below {:?}: accessible {a:?} in the changed policy, {b:?} in a fresh build",
                        resource.name
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Applies each operation that the policy accepts (to the mirror as well),
/// and returns the accepted changes.
fn apply_accepted(policy: &mut Policy, mirror: &mut Mirror, ops: &[RawOp]) -> Vec<(Op, Change)> {
    let mut accepted = Vec::new();
    for (step, raw) in ops.iter().enumerate() {
        let op = raw.resolve(mirror, step);
        let change = op.change();
        if policy.apply(change.clone()).is_ok() {
            mirror.apply(&op);
            accepted.push((op, change));
        }
    }
    accepted
}

/// Applies `ops` to the policy of `model`, and compares it with a fresh
/// build of the mirror halfway and at the end; also checks that nothing in
/// it dangles, and that its accepted changes replay in one batch to an
/// equal policy.
fn decides_like_a_fresh_build(model: &Model, ops: &[RawOp]) -> Result<(), TestCaseError> {
    let start = build(&builder(model), model);
    let mut policy = start.clone();
    let mut mirror = Mirror::of(model);
    prop_assert!(
        build(&mirror.builder(), &mirror) == policy,
        "the mirror of the generated model builds another policy"
    );
    let (first, second) = ops.split_at(ops.len() / 2);
    let mut log: Vec<Change> = Vec::new();
    for half in [first, second] {
        let accepted = apply_accepted(&mut policy, &mut mirror, half);
        log.extend(accepted.into_iter().map(|(_, change)| change));
        let described: Vec<String> = log.iter().map(ToString::to_string).collect();
        let fresh = mirror.builder().build().map_err(|error| {
            TestCaseError::fail(format!(
                "the changes were accepted, but their model does not build: {error}\n{described:#?}"
            ))
        })?;
        compare(&policy, &fresh, &mirror)
            .map_err(|message| TestCaseError::fail(format!("{message}\nafter {described:#?}")))?;
        let dangling = common::dangling(&policy);
        prop_assert!(
            dangling.is_empty(),
            "{:#?}\nafter {:#?}",
            dangling,
            described
        );
    }
    let mut batched = start;
    batched
        .apply_all(log)
        .map_err(|error| TestCaseError::fail(format!("batch replay refused {error}")))?;
    prop_assert!(
        batched == policy,
        "replaying in one batch gave another policy"
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(192))]

    /// Any change, valid or not, naming what exists or not: when it is
    /// refused, the policy equals its clone from before, and the error
    /// names the change; when it applies, the revision advances by one. A
    /// batch that fails anywhere leaves the policy as it was.
    #[test]
    fn a_refused_change_changes_nothing(
        model in model(),
        ops in vec(raw_op(0.2), 1..=40),
        batch in vec(raw_op(0.1), 0..6),
    ) {
        let mut policy = build(&builder(&model), &model);
        let mut mirror = Mirror::of(&model);
        for (step, raw) in ops.iter().enumerate() {
            let op = raw.resolve(&mirror, step);
            let change = op.change();
            let before = policy.clone();
            match policy.apply(change.clone()) {
                Ok(revision) => {
                    prop_assert_eq!(revision.get(), before.revision().get() + 1);
                    prop_assert_eq!(policy.revision(), revision);
                    mirror.apply(&op);
                }
                Err(error) => {
                    prop_assert!(policy == before, "step {}: {} changed the policy", step, error);
                    prop_assert_eq!(error.index(), 0);
                    prop_assert_eq!(error.change(), change.to_string());
                }
            }
        }
        // A batch whose last change always fails.
        let mut changes: Vec<Change> = batch
            .iter()
            .enumerate()
            .map(|(step, raw)| raw.resolve(&mirror, ops.len() + step).change())
            .collect();
        changes.push(Change::RemoveUser { name: NOWHERE.into(), by: None });
        let count = changes.len();
        let before = policy.clone();
        match policy.apply_all(changes) {
            Ok(revision) => prop_assert!(false, "a failing batch applied ({})", revision),
            Err(error) => {
                prop_assert!(error.index() < count);
                prop_assert!(policy == before, "{} changed the policy", error);
            }
        }
    }

    /// A policy changed step by step decides like one built from scratch
    /// from the final model, and nothing in it is half-removed.
    #[test]
    fn changes_decide_like_a_fresh_build(
        model in model(),
        ops in vec(raw_op(0.05), 1..=40),
    ) {
        decides_like_a_fresh_build(&model, &ops)?;
    }

    /// The accepted changes, replayed onto the starting policy one by one
    /// or in one batch, give equal policies at equal revisions.
    #[test]
    fn replaying_a_change_log_gives_the_same_policy(
        model in model(),
        ops in vec(raw_op(0.1), 1..=40),
    ) {
        let start = build(&builder(&model), &model);
        let mut changed = start.clone();
        let mut mirror = Mirror::of(&model);
        let accepted = apply_accepted(&mut changed, &mut mirror, &ops);
        let log: Vec<Change> = accepted.into_iter().map(|(_, change)| change).collect();

        let mut one_by_one = start.clone();
        for change in log.clone() {
            if let Err(error) = one_by_one.apply(change) {
                return Err(TestCaseError::fail(format!("replay refused {error}")));
            }
        }
        let mut batched = start;
        if let Err(error) = batched.apply_all(log.clone()) {
            return Err(TestCaseError::fail(format!("batch replay refused {error}")));
        }
        let revision = u64::try_from(log.len()).unwrap_or(u64::MAX);
        prop_assert_eq!(changed.revision().get(), revision);
        prop_assert_eq!(one_by_one.revision(), changed.revision());
        prop_assert_eq!(batched.revision(), changed.revision());
        prop_assert!(one_by_one == changed, "replaying one by one gave another policy");
        prop_assert!(batched == changed, "replaying in one batch gave another policy");
    }
}

proptest! {
    #![proptest_config(config(12))]

    /// Long change logs, mostly of grants and revokes, long enough that
    /// the policy compacts its arenas on the way, still decide like a fresh
    /// build.
    #[test]
    fn long_change_logs_decide_like_a_fresh_build(
        model in model(),
        ops in vec(raw_op_of(0.05, prop_oneof![3 => 63..83u8, 1 => 0..100u8]), 1000..=1400),
    ) {
        decides_like_a_fresh_build(&model, &ops)?;
    }
}

// ---- snapshots after changes ----

/// The ids of one kind from 0 while `named` gives a name, and two past
/// them (ids nothing was ever given).
fn ids_of(named: impl Fn(u32) -> bool) -> std::ops::Range<u32> {
    let count = (0..).take_while(|&index| named(index)).count();
    0..u32::try_from(count + 2).unwrap_or(u32::MAX)
}

/// Every id names in `rebuilt` what it names in `policy`, and every name
/// (of an entity live, removed, or never declared) stands for the same id.
fn same_ids(policy: &Policy, rebuilt: &Policy, mirror: &Mirror) -> Result<(), String> {
    use clearance::{KeyId, LinkId, ResourceId, TeamId, UserId};
    macro_rules! same {
        ($id:ident, $name_of:ident, $id_of:ident) => {
            for index in ids_of(|index| policy.$name_of($id::from_index(index)).is_some()) {
                let id = $id::from_index(index);
                let (before, after) = (policy.$name_of(id), rebuilt.$name_of(id));
                if before != after {
                    return Err(format!(
                        "{id} names {before:?}, then {after:?} after a reload"
                    ));
                }
                if let Some(name) = before {
                    let (before, after) = (policy.$id_of(name), rebuilt.$id_of(name));
                    if before != after {
                        return Err(format!(
                            "{name:?} stands for {before:?}, then {after:?} after a reload"
                        ));
                    }
                }
            }
        };
    }
    same!(ResourceId, resource_name, resource_id);
    same!(UserId, user_name, user_id);
    same!(TeamId, team_name, team_id);
    same!(KeyId, key_name, key_id);
    same!(LinkId, link_name, link_id);
    // Roles have no id from an index: by the names ever given.
    let names = (0..12)
        .map(role_name)
        .chain(mirror.roles.iter().map(|role| role.name.clone()));
    for name in names {
        let (before, after) = (policy.role_id(&name), rebuilt.role_id(&name));
        if before != after {
            return Err(format!(
                "role {name:?} is {before:?}, then {after:?} after a reload"
            ));
        }
        if let Some(id) = before {
            if policy.role_name(id) != rebuilt.role_name(id) {
                return Err(format!("{id} changed its name after a reload"));
            }
        }
    }
    Ok(())
}

/// Every subject by id (users on each channel, keys, links; removed and
/// unknown ids included) decides alike in both, on every resource id, at
/// a few times.
fn same_decisions(policy: &Policy, rebuilt: &Policy) -> Result<(), String> {
    use clearance::{KeyId, LinkId, ResourceId, UserId};
    let mut subjects = Vec::new();
    for index in ids_of(|index| policy.user_name(UserId::from_index(index)).is_some()) {
        for channel in [Channel::Web, Channel::Api] {
            subjects.push(Subject::user(UserId::from_index(index), channel));
        }
    }
    for index in ids_of(|index| policy.key_name(KeyId::from_index(index)).is_some()) {
        subjects.push(Subject::key(KeyId::from_index(index)));
    }
    for index in ids_of(|index| policy.link_name(LinkId::from_index(index)).is_some()) {
        subjects.push(Subject::link(LinkId::from_index(index)));
    }
    let resources = ids_of(|index| {
        policy
            .resource_name(ResourceId::from_index(index))
            .is_some()
    });
    for subject in subjects {
        for now in [0, 60, 1_000] {
            let subject = subject.with_mfa(now == 60).at(now);
            for resource in resources.clone().map(ResourceId::from_index) {
                for action in ACTIONS {
                    let before = policy.authorize(&subject, action, resource);
                    let after = rebuilt.authorize(&subject, action, resource);
                    if before != after {
                        return Err(format!(
                            "{subject:?} {action:?} on {resource}: {before:?}, then {after:?} after a reload"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(128))]

    /// A snapshot taken after any changes, removals included, is lossless:
    /// `from_document(to_document(p)) == p` (with serde, through JSON as
    /// well), the revision is kept, every id names what it named and every
    /// name keeps its id, and every decision is the same, so an id kept
    /// across a reload names the same entity or none.
    #[test]
    fn a_snapshot_after_changes_round_trips(
        model in model(),
        ops in vec(raw_op(0.1), 1..=40),
    ) {
        let mut policy = build(&builder(&model), &model);
        let mut mirror = Mirror::of(&model);
        apply_accepted(&mut policy, &mut mirror, &ops);
        let document = policy.to_document();
        let rebuilt = Policy::from_document(&document)
            .map_err(|error| TestCaseError::fail(format!("{error}\n{document:#?}")))?;
        prop_assert!(rebuilt == policy, "the rebuilt policy differs");
        prop_assert_eq!(rebuilt.revision(), policy.revision());
        prop_assert!(rebuilt.to_document() == document, "to_document is not stable");
        same_ids(&policy, &rebuilt, &mirror).map_err(TestCaseError::fail)?;
        same_decisions(&policy, &rebuilt).map_err(TestCaseError::fail)?;
        #[cfg(feature = "serde")]
        {
            let json = serde_json::to_string(&document)
                .map_err(|error| TestCaseError::fail(error.to_string()))?;
            let parsed: clearance::PolicyDocument = serde_json::from_str(&json)
                .map_err(|error| TestCaseError::fail(format!("{error}: {json}")))?;
            prop_assert!(parsed == document, "{}", json);
            let reread = Policy::from_document(&parsed)
                .map_err(|error| TestCaseError::fail(format!("{error}: {json}")))?;
            prop_assert!(reread == policy, "{}", json);
        }
    }
}
