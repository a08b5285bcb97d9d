//! clearance's standard benchmark model (DESIGN.md §5), side by side in
//! [`cedar_policy`] and [`casbin`].
//!
//! The other engines are given exactly what clearance has: [`Model::read`]
//! reads the declarations back from a built [`clearance::Policy`] through
//! [`clearance::Policy::to_document`], and [`CedarEngine`] and
//! [`CasbinEngine`] each encode that model the way their own documentation
//! teaches (entity hierarchies, template-linked policies and action groups
//! in Cedar; RBAC role links for subjects, resources and actions with a
//! deny effect in casbin). A request is named once ([`NamedRequest`]) and
//! then prepared by each engine in its own shape, outside any timed loop.
//!
//! Only what the standard model uses is encoded: users and teams holding
//! `Allow` and `Deny` grants of roles, account status, and web requests by
//! users. [`Model::read`] refuses a policy that needs more (an `Override`,
//! `Everyone` or `Public` grant, a conditional grant, a role limited to some
//! user types, MFA-guarded permissions, an account without the web channel)
//! rather than compare answers that would not mean the same thing.

mod casbin_engine;
mod cedar_engine;
mod model;

use core::fmt;

pub use casbin_engine::{CasbinEngine, CasbinRequest};
pub use cedar_engine::{CedarEncoding, CedarEngine};
pub use model::{
    kind_name, verb, Holder, Model, ModelGrant, ModelResource, ModelRole, ModelUser, NamedRequest,
};

/// Why a model or a request could not be encoded in another engine, or an
/// engine refused what it was given; the message says which and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
