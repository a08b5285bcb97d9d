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

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::directory::UserTypes;
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
