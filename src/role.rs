//! Roles: named bundles of permissions, per resource kind.
//!
//! A role is a list of rules `(kinds, permissions)` plus the roles it
//! inherits. "Editor" may give `VIEW | EDIT | EXECUTE` on flows but only
//! `VIEW` on the workspace that holds them; a custom role may inherit
//! "Viewer" and add `EXPORT`. At build time every role is flattened to one
//! [`Permissions`] per [`ResourceKind`], so a decision looks a role up once
//! and never walks inheritance.
//!
//! A role may be limited to some [`UserType`]s (Smart Flows' Super User:
//! native users only), and is then open only to the types that it and every
//! role it inherits allow; granting it to a user, a team member or the
//! public it is not open to is an error, and an `Everyone` grant of it
//! reaches only the members it is open to (see [`Role::only_for`]).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use crate::directory::{UserId, UserType, UserTypes};
use crate::error::{Entity, Problem, Problems};
use crate::grant::Effect;
use crate::permission::Permissions;
use crate::resource::ResourceKind;

/// A compiled role. Obtain one with [`Policy::role_id`](crate::Policy::role_id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct RoleId(pub(crate) u32);

impl RoleId {
    /// The raw dense index (starting at 0).
    #[must_use]
    pub const fn index(self) -> u32 {
        self.0
    }

    /// An id from a raw index, as the other ids have. Nothing is checked
    /// here: an index the policy does not know names no role (a reason
    /// carrying it is explained by its number).
    #[must_use]
    pub const fn from_index(index: u32) -> RoleId {
        RoleId(index)
    }
}

impl fmt::Display for RoleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "role #{}", self.0)
    }
}

/// A role as declared to a [`PolicyBuilder`](crate::PolicyBuilder).
///
/// ```
/// use clearance::{Permissions as P, ResourceKind as K, Role, UserTypes};
///
/// let viewer = Role::new("viewer").allow([K::Workspace, K::Folder, K::Flow], P::VIEW);
/// let editor = Role::new("editor")
///     .inherits("viewer")
///     .allow([K::Folder, K::Flow], P::EDIT | P::CREATE | P::EXECUTE);
/// let super_user = Role::new("super user")
///     .allow([K::Flow], P::EXECUTE | P::EXECUTE_AS_OTHERS)
///     .only_for(UserTypes::NATIVE);
/// # let _ = (viewer, editor, super_user);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[must_use]
pub struct Role {
    pub(crate) name: String,
    pub(crate) rules: Vec<(Vec<ResourceKind>, Permissions)>,
    pub(crate) inherits: Vec<String>,
    pub(crate) eligible: UserTypes,
}

impl Role {
    /// An empty role named `name`, open to every user type.
    pub fn new(name: impl Into<String>) -> Role {
        Role {
            name: name.into(),
            rules: Vec::new(),
            inherits: Vec::new(),
            eligible: UserTypes::all(),
        }
    }

    /// Gives `permissions` on resources of the given kinds.
    pub fn allow(
        mut self,
        kinds: impl IntoIterator<Item = ResourceKind>,
        permissions: Permissions,
    ) -> Role {
        self.rules.push((kinds.into_iter().collect(), permissions));
        self
    }

    /// Gives `permissions` on resources of every kind.
    pub fn allow_everywhere(self, permissions: Permissions) -> Role {
        self.allow(ResourceKind::ALL, permissions)
    }

    /// Adds everything the role named `parent` gives (transitively).
    pub fn inherits(mut self, parent: impl Into<String>) -> Role {
        self.inherits.push(parent.into());
        self
    }

    /// Limits the role to accounts of these types.
    ///
    /// A role is open only to the types that it *and every role it
    /// inherits* allow, since holding it gives what it inherits: a role
    /// inheriting a native-only role is native-only too. An allow or
    /// override grant of the role to a user or a team with a member it is
    /// not open to, or to [`Grantee::Public`](crate::Grantee::Public) when
    /// it is not open to [`UserTypes::PUBLIC`], is refused: by
    /// [`PolicyBuilder::build`](crate::PolicyBuilder::build),
    /// [`Policy::from_document`](crate::Policy::from_document) and
    /// [`Policy::apply`](crate::Policy::apply) alike, and so are a change
    /// that would make a role closed to a type that holds it and a
    /// membership that would put such a user in a team holding it.
    ///
    /// A [`Grantee::Everyone`](crate::Grantee::Everyone) grant of a limited
    /// role is not an error: it reaches only the members the role is open
    /// to, and gives the others nothing. A deny grant reaches everyone it
    /// names: eligibility limits who may hold a role, not who may lose one.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let mut builder = PolicyBuilder::new();
    /// builder
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .role(Role::new("super user").allow_everywhere(Permissions::EXECUTE_AS_OTHERS)
    ///         .only_for(UserTypes::NATIVE))
    ///     .role(Role::new("operator").inherits("super user"))
    ///     .user(User::new("nat", "acme"))
    ///     .user(User::new("bot", "acme").user_type(UserType::Interface))
    ///     // Reaches nat only: operator inherits a native-only role.
    ///     .grant(Grantee::Everyone, "acme", "operator", Effect::Allow);
    /// let policy = builder.build()?;
    /// let acme = policy.resource_id("acme").unwrap();
    /// let bot = Subject::user(policy.user_id("bot").unwrap(), Channel::Api).at(1_700_000_000);
    /// assert!(policy.effective(&bot, acme).is_empty());
    ///
    /// // Granting operator to the interface user itself does not build.
    /// builder.grant(Grantee::user("bot"), "acme", "operator", Effect::Allow);
    /// assert!(matches!(
    ///     builder.build().unwrap_err().problems(),
    ///     [Problem::IneligibleRole { role, user, .. }] if role == "operator" && user == "bot"
    /// ));
    /// # Ok::<(), BuildError>(())
    /// ```
    pub fn only_for(mut self, user_types: UserTypes) -> Role {
        self.eligible = user_types;
        self
    }
}

/// Whom a required role is required of
/// ([`PolicyBuilder::require_role`](crate::PolicyBuilder::require_role)).
///
/// Serialized as `{"types": "native"}` or `{"team": "acme/normal"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RequiredOf {
    /// Every account of one of these types (Smart Flows' Native Admin:
    /// Administrator).
    Types(UserTypes),
    /// Every member of the team named here (Smartflow's Normal group:
    /// Default).
    Team(String),
}

/// A role's permissions for every resource kind, after inheritance.
pub(crate) type Flattened = [Permissions; ResourceKind::COUNT];

/// Every role after inheritance: what it gives and who may hold it.
pub(crate) struct FlatRoles {
    /// Each role's permissions, its own and every inherited role's.
    pub(crate) permissions: Vec<Flattened>,
    /// Each role's effective eligibility: the user types that it and every
    /// role it inherits (transitively) allow. A role inheriting a role
    /// limited to native users is limited to them too, whatever its own
    /// [`Role::only_for`] says, since holding it gives the inherited
    /// permissions.
    pub(crate) eligible: Vec<UserTypes>,
}

/// Flattens every role's rules, inheritance and eligibility, without
/// recursion, in time linear in the roles and their inheritance edges.
///
/// Unknown parents and cycles become problems. Roles that inherit each
/// other (a strongly connected group, found by Tarjan's algorithm) are
/// reported once per group, naming each of its roles once in declaration
/// order, however many inheritance edges close cycles through it.
pub(crate) fn flatten(
    roles: &[Role],
    role_ids: &BTreeMap<String, u32>,
    problems: &mut Problems,
) -> FlatRoles {
    let mut permissions: Vec<Flattened> = roles
        .iter()
        .map(|role| {
            let mut flat = [Permissions::empty(); ResourceKind::COUNT];
            for (kinds, permissions) in &role.rules {
                for kind in kinds {
                    if let Some(slot) = flat.get_mut(kind.index()) {
                        *slot |= *permissions;
                    }
                }
            }
            flat
        })
        .collect();
    let mut eligible: Vec<UserTypes> = roles.iter().map(|role| role.eligible).collect();
    let parents: Vec<Vec<u32>> = roles
        .iter()
        .map(|role| {
            role.inherits
                .iter()
                .filter_map(|parent| {
                    crate::error::try_lookup(
                        role_ids,
                        parent,
                        Entity::Role,
                        || format!("role {:?}", role.name),
                        problems,
                    )
                })
                .collect()
        })
        .collect();
    let parents_of = |role: u32| parents.get(role as usize).map_or(&[][..], Vec::as_slice);

    // Tarjan's strongly connected components, iteratively. A group is
    // complete when its root is left, after every group it inherits from:
    // its parents are flattened by then, so each role is merged once.
    const UNSEEN: u32 = u32::MAX;
    let mut order = vec![UNSEEN; roles.len()];
    let mut low = vec![0u32; roles.len()];
    let mut on_stack = vec![false; roles.len()];
    let mut stack: Vec<u32> = Vec::new();
    let mut calls: Vec<(u32, usize)> = Vec::new();
    let mut next_order = 0u32;
    let mut visit = |role: u32,
                     order: &mut [u32],
                     low: &mut [u32],
                     on_stack: &mut [bool],
                     stack: &mut Vec<u32>| {
        if let (Some(o), Some(l), Some(s)) = (
            order.get_mut(role as usize),
            low.get_mut(role as usize),
            on_stack.get_mut(role as usize),
        ) {
            *o = next_order;
            *l = next_order;
            *s = true;
        }
        next_order += 1;
        stack.push(role);
    };
    for start in 0..u32::try_from(roles.len()).unwrap_or(0) {
        if order.get(start as usize) != Some(&UNSEEN) {
            continue;
        }
        visit(start, &mut order, &mut low, &mut on_stack, &mut stack);
        calls.push((start, 0));
        while let Some(&mut (role, ref mut next)) = calls.last_mut() {
            if let Some(&parent) = parents_of(role).get(*next) {
                *next += 1;
                match order.get(parent as usize) {
                    Some(&UNSEEN) => {
                        visit(parent, &mut order, &mut low, &mut on_stack, &mut stack);
                        calls.push((parent, 0));
                    }
                    Some(&seen) if on_stack.get(parent as usize) == Some(&true) => {
                        if let Some(l) = low.get_mut(role as usize) {
                            *l = (*l).min(seen);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            calls.pop();
            let role_low = low.get(role as usize).copied().unwrap_or(0);
            if let Some(&(caller, _)) = calls.last() {
                if let Some(l) = low.get_mut(caller as usize) {
                    *l = (*l).min(role_low);
                }
            }
            if order.get(role as usize) != Some(&role_low) {
                continue;
            }
            // `role` is the root of a group: the stack from it up.
            let from = stack.iter().rposition(|&r| r == role).unwrap_or(0);
            let mut group = stack.split_off(from);
            for &member in &group {
                if let Some(s) = on_stack.get_mut(member as usize) {
                    *s = false;
                }
                let mut merged = permissions
                    .get(member as usize)
                    .copied()
                    .unwrap_or([Permissions::empty(); ResourceKind::COUNT]);
                let mut open = eligible
                    .get(member as usize)
                    .copied()
                    .unwrap_or(UserTypes::all());
                for &parent in parents_of(member) {
                    if let Some(inherited) = permissions.get(parent as usize) {
                        for (slot, permissions) in merged.iter_mut().zip(inherited) {
                            *slot |= *permissions;
                        }
                    }
                    if let Some(&parent_open) = eligible.get(parent as usize) {
                        open &= parent_open;
                    }
                }
                if let Some(slot) = permissions.get_mut(member as usize) {
                    *slot = merged;
                }
                if let Some(slot) = eligible.get_mut(member as usize) {
                    *slot = open;
                }
            }
            if group.len() > 1 || parents_of(role).contains(&role) {
                group.sort_unstable();
                problems.push_with(|| Problem::RoleCycle {
                    names: group
                        .iter()
                        .filter_map(|&r| roles.get(r as usize).map(|d| d.name.clone()))
                        .collect(),
                });
            }
        }
    }
    FlatRoles {
        permissions,
        eligible,
    }
}

/// For each team, its first member of each user type: the user types a
/// grant to the team reaches, and which member to name when its role is
/// not open to one of them. Built in one pass over the memberships, so
/// that checking every team grant is linear in grants plus memberships,
/// not grants times members.
pub(crate) struct TeamTypes {
    first: Vec<[Option<UserId>; UserType::ALL.len()]>,
}

impl TeamTypes {
    /// No member in any of `teams` teams.
    pub(crate) fn new(teams: usize) -> TeamTypes {
        TeamTypes {
            first: vec![[None; UserType::ALL.len()]; teams],
        }
    }

    /// Records `user`, of type `user_type`, as a member of `team`; members
    /// are named in the order they are added.
    pub(crate) fn add(&mut self, team: u32, user: u32, user_type: UserType) {
        if let Some(slot) = self
            .first
            .get_mut(team as usize)
            .and_then(|types| types.get_mut(user_type as usize))
        {
            slot.get_or_insert(UserId(user));
        }
    }

    /// The first member of `team` who may not hold a grant with `effect`
    /// of a role open to `eligible` ([`may_hold`](crate::policy::rules::may_hold)):
    /// the lowest of those recorded first for each type, if any.
    pub(crate) fn ineligible(
        &self,
        team: u32,
        effect: Effect,
        eligible: UserTypes,
    ) -> Option<(u32, UserType)> {
        let types = self.first.get(team as usize)?;
        UserType::ALL
            .iter()
            .zip(types)
            .filter_map(|(&user_type, &user)| Some((user?.0, user_type)))
            .filter(|&(_, user_type)| !crate::policy::rules::may_hold(user_type, effect, eligible))
            .min_by_key(|&(user, _)| user)
    }
}
