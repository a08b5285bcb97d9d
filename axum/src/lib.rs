#![doc = include_str!("../README.md")]

mod extract;
mod handle;
mod rejection;
mod request;
mod require;
mod revision;

pub use extract::{Authorized, Caller};
pub use handle::{Clearance, CredentialsFn};
pub use rejection::Rejection;
pub use request::{bearer, header};
pub use require::{Require, RequireService, Resource};
pub use revision::{Written, REVISION};
// The core's items every glue names, so that `use clearance_axum::...` is
// the one import line a service needs for them.
pub use clearance::{Credentials, LivePolicy};
