#![doc = include_str!("../README.md")]

mod extract;
mod handle;
mod rejection;
mod request;
mod require;
mod revision;
pub mod shim;

pub use extract::{Authorized, Caller};
pub use handle::{Clearance, CredentialsFn};
pub use rejection::Rejection;
pub use request::{bearer, header};
pub use require::{Require, RequireService, Resource};
pub use revision::{Written, REVISION};
// Stand-ins until issue 14's core APIs land: then `clearance::{Credentials, LivePolicy}`.
pub use shim::{Credentials, LivePolicy};
