//! Errors, one type per operation.
//!
//! Building a policy checks the whole model and reports every problem it
//! finds at once ([`BuildError`] holds a list of [`Problem`]s), so a host
//! fixing a model does not have to rebuild once per mistake. Every problem
//! names the entities involved by the names the host gave them.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::directory::{Channels, UserType};
use crate::NONE;

/// The kinds of entities in a model, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entity {
    /// A resource.
    Resource,
    /// A user.
    User,
    /// A team.
    Team,
    /// A role.
    Role,
    /// An API key.
    Key,
    /// A public link.
    Link,
    /// A grant (which has no name of its own).
    Grant,
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Entity::Resource => "resource",
            Entity::User => "user",
            Entity::Team => "team",
            Entity::Role => "role",
            Entity::Key => "API key",
            Entity::Link => "link",
            Entity::Grant => "grant",
        })
    }
}

/// One thing wrong with a model given to [`PolicyBuilder::build`](crate::PolicyBuilder::build).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// Two entities of the same kind have the same name.
    #[error("{entity} {name:?} is declared more than once; names must be unique per kind")]
    DuplicateName {
        /// The kind of entity.
        entity: Entity,
        /// The repeated name.
        name: String,
    },
    /// Something refers to a name that is not declared.
    #[error("{referrer}: unknown {entity} {name:?}")]
    UnknownReference {
        /// What holds the reference, for example `grant #3 (team "ops" on "billing")`.
        referrer: String,
        /// The kind of entity that was expected.
        entity: Entity,
        /// The name that was not found.
        name: String,
    },
    /// Resources whose parents lead back to themselves.
    #[error("resources {names:?} form a cycle through their parents; every chain must end at a tenant root")]
    ResourceCycle {
        /// The resources on the cycle.
        names: Vec<String>,
    },
    /// Roles that inherit from themselves.
    #[error("roles {names:?} inherit from each other in a cycle")]
    RoleCycle {
        /// The roles on the cycle.
        names: Vec<String>,
    },
    /// A user's or team's tenant is not a root resource.
    #[error("{referrer}: {name:?} is not a tenant (a resource without a parent)")]
    NotATenant {
        /// The user or team that names it.
        referrer: String,
        /// The resource named as tenant.
        name: String,
    },
    /// A grant, membership, key or link would connect two tenants.
    #[error("{referrer}: {what:?} belongs to tenant {other_tenant:?}, not {tenant:?}; nothing may cross tenants")]
    CrossesTenants {
        /// The grant, membership, key or link.
        referrer: String,
        /// The entity in the other tenant.
        what: String,
        /// The tenant of the referrer.
        tenant: String,
        /// The tenant of `what`.
        other_tenant: String,
    },
    /// A role is given to a user whose type may not hold it.
    #[error("{referrer}: role {role:?} may not be held by {user_type} user {user:?}")]
    IneligibleRole {
        /// The grant (and the team, if through one) that gives it.
        referrer: String,
        /// The role.
        role: String,
        /// The user.
        user: String,
        /// The user's type.
        user_type: UserType,
    },
    /// A user is given channels its type may never use.
    #[error("user {user:?}: a {user_type} account may not use channels {extra:?}")]
    ChannelsNotAllowed {
        /// The user.
        user: String,
        /// Its type.
        user_type: UserType,
        /// The channels asked for beyond those of the type.
        extra: Channels,
    },
    /// A user is in more teams than a decision can track.
    #[error("user {user:?} is in {count} teams; at most {max} are supported")]
    TooManyTeams {
        /// The user.
        user: String,
        /// How many teams it is in.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// More entities of one kind than ids can number.
    #[error("too many {entity}s: {count}, at most {max}")]
    TooMany {
        /// The kind of entity.
        entity: Entity,
        /// How many were declared.
        count: usize,
        /// The limit.
        max: usize,
    },
}

/// Why [`PolicyBuilder::build`](crate::PolicyBuilder::build) refused a model:
/// every problem found, in the order of the model's declarations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    problems: Vec<Problem>,
}

impl BuildError {
    pub(crate) fn new(problems: Vec<Problem>) -> BuildError {
        BuildError { problems }
    }

    /// Every problem found (never empty).
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "the model has {count} problem{}",
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n- {problem}")?;
        }
        Ok(())
    }
}

impl core::error::Error for BuildError {}

/// Resolves `name` in `ids`, or records an unknown-reference problem and
/// returns [`NONE`].
pub(crate) fn lookup(
    ids: &BTreeMap<String, u32>,
    name: &str,
    entity: Entity,
    referrer: impl FnOnce() -> String,
    problems: &mut Vec<Problem>,
) -> u32 {
    if let Some(&id) = ids.get(name) {
        return id;
    }
    problems.push(Problem::UnknownReference {
        referrer: referrer(),
        entity,
        name: name.to_string(),
    });
    NONE
}
