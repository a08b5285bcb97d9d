//! Grants: who holds which role where, and with what effect.
//! The concept is documented on [`Effect`], where users read it.

use alloc::string::String;
use core::fmt;

use crate::directory::{TeamId, UserId};
use crate::label::Condition;
use crate::resource::ResourceId;
use crate::role::RoleId;

/// How a grant combines with others.
///
/// A grant is `(principal, scope, role, effect)`. The principal is a user, a
/// team, `Everyone` (every active member of the scope's tenant) or `Public`
/// (whoever holds a public link). The scope is a resource; the grant reaches
/// the scope and everything below it. The effect decides how it combines:
///
/// - [`Effect::Allow`] adds the role's permissions;
/// - [`Effect::Override`] adds them and stops inheritance *for that
///   principal*: grants of the same principal higher up no longer count
///   ("inherited by contents, overridden at item level");
/// - [`Effect::Deny`] removes the role's permissions for that principal,
///   here and below, whatever any allow says.
///
/// Written `allow`, `override` or `deny` by `Display`, `FromStr` and serde.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Effect {
    /// Adds the role's permissions at the scope and below.
    Allow,
    /// Like `Allow`, and grants to the same principal on ancestors of the
    /// scope no longer count at the scope and below.
    Override,
    /// Removes the role's permissions at the scope and below; wins over every allow.
    Deny,
}

/// Who a compiled grant is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub enum Principal {
    /// One user (and that user's API keys).
    User(UserId),
    /// Every member of a team.
    Team(TeamId),
    /// Every active member of the tenant the grant's scope belongs to.
    Everyone,
    /// Whoever holds a public link to the scope or below it.
    Public,
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::User(id) => id.fmt(f),
            Principal::Team(id) => id.fmt(f),
            Principal::Everyone => f.write_str("everyone in the organization"),
            Principal::Public => f.write_str("the public"),
        }
    }
}

/// A compiled grant, as stored in a [`Policy`](crate::Policy).
///
/// These four fields are a grant's *identity*; its condition (see
/// [`PolicyBuilder::grant_when`](crate::PolicyBuilder::grant_when)) is no
/// part of it. A policy holds at most one grant of an identity: a model or
/// document declaring a second one does not build
/// ([`Problem::DuplicateGrant`](crate::Problem::DuplicateGrant)), a
/// [`Change::Grant`](crate::Change::Grant) of one that exists, under any
/// condition, is refused
/// ([`ChangeProblem::AlreadyGranted`](crate::ChangeProblem::AlreadyGranted)),
/// and [`Change::Revoke`](crate::Change::Revoke) removes it whatever its
/// condition, so after a revoke no grant of that identity is left. To
/// change a grant's condition, revoke it and grant it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Grant {
    /// Who holds it.
    pub principal: Principal,
    /// Where: this resource and everything below it.
    pub scope: ResourceId,
    /// Which role's permissions, for the kind of the resource asked about.
    pub role: RoleId,
    /// How it combines with other grants.
    pub effect: Effect,
}

/// Who a grant is for, by name, as declared to a
/// [`PolicyBuilder`](crate::PolicyBuilder).
///
/// ```
/// use clearance::Grantee;
///
/// let alice = Grantee::user("alice@example.com");
/// let ops = Grantee::team("ops");
/// # let _ = (alice, ops, Grantee::Everyone, Grantee::Public);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Grantee {
    /// The user with this name.
    User(String),
    /// The team with this name.
    Team(String),
    /// Every active member of the scope's tenant.
    Everyone,
    /// Whoever holds a public link to the scope or below.
    Public,
}

impl Grantee {
    /// The user named `name`.
    pub fn user(name: impl Into<String>) -> Grantee {
        Grantee::User(name.into())
    }

    /// The team named `name`.
    pub fn team(name: impl Into<String>) -> Grantee {
        Grantee::Team(name.into())
    }
}

impl fmt::Display for Grantee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Grantee::User(name) => write!(f, "user {name:?}"),
            Grantee::Team(name) => write!(f, "team {name:?}"),
            Grantee::Everyone => f.write_str("everyone"),
            Grantee::Public => f.write_str("the public"),
        }
    }
}

/// A grant as declared to a [`PolicyBuilder`](crate::PolicyBuilder), by names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GrantDecl {
    pub(crate) grantee: Grantee,
    pub(crate) scope: String,
    pub(crate) role: String,
    pub(crate) effect: Effect,
    pub(crate) condition: Condition,
}
