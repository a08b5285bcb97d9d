//! Document errors: why [`Policy::from_document`](crate::Policy::from_document)
//! refused a document ([`DocumentError`]), each problem with its path in
//! the document ([`DocumentProblem`]).
//!
//! This file owns those types and their words. It must never find the
//! paths (the document module does) nor word a model's problem differently
//! from a build: a [`DocumentProblem`] is a build's [`Problem`] and a path.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::build::list;
use super::Problem;

#[cfg(doc)]
use super::BuildError;

/// Why [`Policy::from_document`](crate::Policy::from_document) refused a
/// document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The document is of a version of the shape this crate does not read.
    #[error("version: unsupported document version {found}; this version of clearance reads version {supported}")]
    UnsupportedVersion {
        /// The document's `version`.
        found: u32,
        /// The version this crate reads.
        supported: u32,
    },
    /// The document's revision is beyond
    /// [`PolicyDocument::MAX_REVISION`](crate::PolicyDocument::MAX_REVISION).
    #[error("revision: {found} is beyond {max}, the largest revision a document may hold")]
    RevisionTooLarge {
        /// The document's `revision`.
        found: u64,
        /// The largest revision a document may hold.
        max: u64,
    },
    /// The model the document describes does not build: the problems
    /// found, each with its path in the document, capped as
    /// [`BuildError`] caps them.
    #[error("{}", DocumentProblems(problems, *omitted))]
    Invalid {
        /// The first problems (never empty), in the order the builder found
        /// them: at most [`BuildError::MAX_PROBLEMS`].
        problems: Vec<DocumentProblem>,
        /// How many more problems were found than `problems` lists.
        omitted: usize,
    },
}

/// One problem of a document: where it is, and what is wrong there.
///
/// Displays as `path: message`, for example
/// `grants[1]: unknown team "ops"` or
/// `users[4]: user "ann" is declared more than once; names must be unique per kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentProblem {
    /// Where: an entry of one of the document's lists (`grants[1]`), a
    /// field of one (`users[3].channels`, `roles[2].inherits[0]`), or a
    /// whole list (`users`).
    pub path: String,
    /// What is wrong, as [`PolicyBuilder::build`](crate::PolicyBuilder::build)
    /// reports it.
    pub problem: Problem,
}

impl fmt::Display for DocumentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.problem.to_string();
        // Problems about a referrer start with it, and the referrer of a
        // document's entry is its path: do not say it twice.
        let has_path = message
            .strip_prefix(self.path.as_str())
            .is_some_and(|rest| rest.starts_with(':') || rest.starts_with(' '));
        if has_path {
            f.write_str(&message)
        } else {
            write!(f, "{}: {message}", self.path)
        }
    }
}

/// Formats a document's problems as a list, like [`BuildError`] does.
struct DocumentProblems<'a>(&'a [DocumentProblem], usize);

impl fmt::Display for DocumentProblems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        list(f, "document", self.0, self.1)
    }
}
