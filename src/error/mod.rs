//! Errors, one type per operation.
//!
//! Building a policy checks the whole model and reports the problems it
//! finds at once ([`BuildError`] holds a list of [`Problem`]s, the first
//! [`BuildError::MAX_PROBLEMS`] and a count of the others), so a host fixing
//! a model does not have to rebuild once per mistake. Every problem names
//! the entities involved by the names the host gave them.
//!
//! Names come from people (a folder, a team, a display name) and messages
//! go to logs and screens, so every name in every message is written one
//! way: quoted and escaped as a Rust string literal (`{name:?}`, which
//! escapes quotes, backslashes, control characters, line separators and
//! the invisible bidirectional controls), never raw. A name holding a
//! newline or a terminal escape thus stays inside its quotes on one line.
//!
//! The module is one file per operation: `build.rs` ([`BuildError`] and
//! its [`Problem`]s, and how a build collects them), `change.rs`
//! ([`ChangeError`], [`ChangeProblem`]), `document.rs` ([`DocumentError`])
//! and `table.rs` ([`TableError`], an expected matrix that cannot be read),
//! with [`Entity`], the kinds of entities every message names, in
//! `entity.rs`.

mod build;
mod change;
mod document;
mod entity;
mod table;

pub(crate) use build::{lookup, resolved, try_lookup, Problems};
pub use build::{BuildError, Problem};
pub use change::{ChangeError, ChangeProblem};
pub use document::{DocumentError, DocumentProblem};
pub use entity::Entity;
pub use table::TableError;
