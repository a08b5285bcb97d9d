//! Roles: named bundles of permissions, per resource kind.
//!
//! A role is a list of rules `(kinds, permissions)` plus the roles it
//! inherits. "Editor" may give `VIEW | EDIT | EXECUTE` on flows but only
//! `VIEW` on the workspace that holds them; a custom role may inherit
//! "Viewer" and add `EXPORT`. At build time every role is flattened to one
//! [`Permissions`] per [`ResourceKind`], so a decision looks a role up once
//! and never walks inheritance.
//!
//! A role may be limited to some [`UserType`](crate::UserType)s (Smart
//! Flows' Super User: native users only); granting it to anyone else is a
//! build error.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use crate::directory::UserTypes;
use crate::error::{Entity, Problem};
use crate::permission::Permissions;
use crate::resource::ResourceKind;
use crate::NONE;

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

    /// Limits the role to accounts of these types; granting it to any other
    /// user (directly, through a team, or through `Everyone`) is a build error.
    pub fn only_for(mut self, user_types: UserTypes) -> Role {
        self.eligible = user_types;
        self
    }
}

/// A role's permissions for every resource kind, after inheritance.
pub(crate) type Flattened = [Permissions; ResourceKind::COUNT];

/// Flattens every role's rules and inheritance to one permission set per
/// kind, without recursion; cycles and unknown parents become problems.
pub(crate) fn flatten(
    roles: &[Role],
    role_ids: &BTreeMap<String, u32>,
    problems: &mut Vec<Problem>,
) -> Vec<Flattened> {
    let own: Vec<Flattened> = roles
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
    let parents: Vec<Vec<u32>> = roles
        .iter()
        .map(|role| {
            role.inherits
                .iter()
                .map(|parent| {
                    crate::error::lookup(
                        role_ids,
                        parent,
                        Entity::Role,
                        || format!("role {:?}", role.name),
                        problems,
                    )
                })
                .filter(|&id| id != NONE)
                .collect()
        })
        .collect();
    // Iterative depth-first post-order: 0 = new, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; roles.len()];
    let mut flat = own.clone();
    for start in 0..roles.len() {
        if state.get(start) != Some(&0) {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(s) = state.get_mut(start) {
            *s = 1;
        }
        while let Some(&mut (role, ref mut next)) = stack.last_mut() {
            let role_parents = parents.get(role).map_or(&[][..], Vec::as_slice);
            if let Some(&parent) = role_parents.get(*next) {
                *next += 1;
                let parent = parent as usize;
                match state.get(parent) {
                    Some(0) => {
                        if let Some(s) = state.get_mut(parent) {
                            *s = 1;
                        }
                        stack.push((parent, 0));
                    }
                    Some(1) => {
                        // A cycle: the roles on the stack from `parent` up.
                        let from = stack.iter().position(|&(r, _)| r == parent).unwrap_or(0);
                        let names = stack
                            .get(from..)
                            .unwrap_or(&[])
                            .iter()
                            .filter_map(|&(r, _)| roles.get(r).map(|d| d.name.clone()))
                            .collect();
                        problems.push(Problem::RoleCycle { names });
                    }
                    _ => {}
                }
            } else {
                stack.pop();
                if let Some(s) = state.get_mut(role) {
                    *s = 2;
                }
                let mut merged = own
                    .get(role)
                    .copied()
                    .unwrap_or([Permissions::empty(); ResourceKind::COUNT]);
                for &parent in role_parents {
                    if let Some(inherited) = flat.get(parent as usize) {
                        for (slot, permissions) in merged.iter_mut().zip(inherited) {
                            *slot |= *permissions;
                        }
                    }
                }
                if let Some(slot) = flat.get_mut(role) {
                    *slot = merged;
                }
            }
        }
    }
    flat
}
