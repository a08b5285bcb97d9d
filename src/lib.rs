#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod audit;
mod authority;
mod builder;
mod caller;
mod change;
mod decision;
mod directory;
mod document;
mod error;
mod grant;
mod inspect;
mod label;
#[cfg(feature = "std")]
mod live;
mod matrix;
mod names;
mod permission;
mod policy;
pub mod presets;
mod query;
mod resolve;
mod resource;
mod role;
mod spelling;
mod subject;

/// No parent, no subtree limit, no user: the "none" value of a dense index.
pub(crate) const NONE: u32 = u32::MAX;

pub use audit::AuditRecord;
pub use builder::PolicyBuilder;
pub use caller::{CallerExplanation, Class};
pub use change::{Author, AuthorCredential, Change, Revision};
pub use decision::{Decision, Reason};
pub use directory::{
    ApiKey, Channel, Channels, KeyId, LinkId, PublicLink, Status, TeamId, User, UserId, UserType,
    UserTypes,
};
pub use document::{
    GrantDocument, KeyDocument, LinkDocument, PolicyDocument, RemovedDocument,
    RequiredRoleDocument, ResourceDocument, RoleDocument, RuleDocument, TeamDocument, UserDocument,
};
pub use error::{
    BuildError, ChangeError, ChangeProblem, DocumentError, DocumentProblem, Entity, Problem,
    TableError,
};
pub use grant::{Effect, Grant, Grantee, Principal};
pub use inspect::{KeyView, LinkView, ResourceView, RoleView, TeamView, UserView};
pub use label::{Condition, Labels};
#[cfg(feature = "std")]
pub use live::{LivePolicy, LoggedChangeError, PolicyGuard, RevisionTimeout};
pub use matrix::{CheckError, Matrix, Mismatch};
pub use permission::{Action, Permissions};
pub use policy::{Explanation, Policy, Seats, MAX_TEAMS_PER_USER};
pub use query::{diff, Difference, TenantReview, UserReview};
pub use resolve::{CredentialKind, Credentials, UnknownCredential};
pub use resource::{ResourceId, ResourceKind};
pub use role::{RequiredOf, Role, RoleId};
pub use spelling::ParseError;
pub use subject::{Credential, Subject};
