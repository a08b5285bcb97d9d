//! The kinds of entities a model holds, as every error message names them.
//!
//! This file owns [`Entity`] and its words (`resource`, `API key`, …). It
//! must never hold a problem of its own; the errors name entities with it.

use core::fmt;

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
