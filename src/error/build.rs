//! Build errors: what [`PolicyBuilder::build`](crate::PolicyBuilder::build)
//! finds wrong with a model ([`Problem`]), how a build collects them
//! within the caps ([`Problems`]), the error it returns ([`BuildError`]),
//! and the list every multi-problem error is written as.
//!
//! This file owns the problems of a model and their words. It must never
//! check a model itself (the builder does, and `lookup` only records what a
//! name resolved to), and never let a hostile model make its message large:
//! every problem goes through [`Problems`], which caps the list.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::Entity;
use crate::directory::{Channels, UserType};
use crate::NONE;

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
    /// Roles that inherit from themselves, directly or through each other.
    /// Reported once per group of roles that all inherit from each other,
    /// however many inheritance edges close cycles through it.
    #[error("roles {names:?} inherit from each other in a cycle")]
    RoleCycle {
        /// The roles of the group, each once, in the order they were declared.
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
    /// A set of exclusive teams names no team: a rule no user could keep
    /// ("exactly one of none").
    #[error("exclusive teams #{index} names no team; every user must be in exactly one of a set's teams")]
    EmptyExclusiveSet {
        /// The set's position among the declared sets.
        index: usize,
    },
    /// A user is not in exactly one team of a set of exclusive teams
    /// ([`PolicyBuilder::exclusive_teams`](crate::PolicyBuilder::exclusive_teams)).
    #[error("user {user:?} is in {count} of the exclusive teams {teams:?}; every user of their tenant must be in exactly one")]
    NotInExactlyOneTeam {
        /// The user.
        user: String,
        /// The exclusive teams.
        teams: Vec<String>,
        /// How many of them the user is in.
        count: usize,
    },
    /// Two grants of one identity: the same principal, scope, role and
    /// effect, whatever their conditions (see [`Grant`](crate::Grant)). A
    /// revoke removes the one grant of an identity, so a model holds at
    /// most one.
    #[error("{referrer}: the same grant as {first} ({grant}); a grant is one principal, scope, role and effect, whatever its condition")]
    DuplicateGrant {
        /// The later declaration (`grants[4]` in a document, else `grant #4`).
        referrer: String,
        /// The first declaration of the same grant.
        first: String,
        /// The grant, described: `user "ann" on "sales", role "viewer", allow`.
        grant: String,
    },
    /// A role is given to a user whose type may not hold it: the role, or a
    /// role it inherits, is limited to other types
    /// ([`Role::only_for`](crate::Role::only_for)). Through a team, reported
    /// once per role and team, at the first grant, naming the first member
    /// who may not hold it.
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
    #[error("{}", ChannelsBeyondType { user, user_type: *user_type, extra: *extra })]
    ChannelsNotAllowed {
        /// The user.
        user: String,
        /// Its type.
        user_type: UserType,
        /// The channels asked for beyond those of the type.
        extra: Channels,
    },
    /// More active users of the counted types than the licence allows.
    #[error("{used} users hold a licence seat; the limit is {limit}")]
    SeatsExceeded {
        /// Active users of the counted types.
        used: usize,
        /// The limit.
        limit: u32,
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
    /// A document lists a removed id out of place
    /// ([`RemovedDocument`](crate::RemovedDocument)): not above the one
    /// before it, or not below the number of ids of its kind.
    #[error("{entity} id {id} cannot be removed: removed ids increase, each below {ids}, the number of {entity} ids (live and removed)")]
    MisplacedRemovedId {
        /// The kind of entity.
        entity: Entity,
        /// The removed id.
        id: u32,
        /// How many ids of that kind the document gives, live and removed.
        ids: usize,
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
/// the problems found, in the order of the model's declarations.
///
/// Each problem is reported once (a group of roles inheriting each other in
/// a cycle once, a role given to a team with members who may not hold it
/// once per role and team, whatever the number of grants and members), and
/// the list is capped: it holds the first [`MAX_PROBLEMS`](Self::MAX_PROBLEMS)
/// problems, fewer if their text would pass [`MAX_TEXT`](Self::MAX_TEXT)
/// bytes, and [`omitted`](Self::omitted) counts the others. So a small but
/// hostile model cannot make its own error message large: checking a model
/// costs time and memory in proportion to the model, and the message is at
/// most `MAX_TEXT` bytes plus its first problem.
///
/// ```
/// use clearance::{BuildError, PolicyBuilder, ResourceKind, User};
///
/// let mut builder = PolicyBuilder::new();
/// builder.tenant("acme", ResourceKind::Organization);
/// for _ in 0..150 {
///     builder.user(User::new("ann", "acme"));
/// }
/// let error = builder.build().unwrap_err();
/// assert_eq!(error.problems().len(), BuildError::MAX_PROBLEMS);
/// assert_eq!(error.omitted(), 49);
/// assert!(error.to_string().starts_with("the model has 149 problems\n- user \"ann\""));
/// assert!(error.to_string().ends_with("\n- and 49 more"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    problems: Vec<Problem>,
    omitted: usize,
}

impl BuildError {
    /// The most problems an error lists; the others are counted in
    /// [`omitted`](Self::omitted).
    pub const MAX_PROBLEMS: usize = 100;

    /// The most bytes of text (as displayed) the listed problems take: a
    /// problem that would pass it is counted in [`omitted`](Self::omitted)
    /// instead, and so is every later one. The first problem is always
    /// listed, however long.
    pub const MAX_TEXT: usize = 64 * 1024;

    pub(crate) fn new(problems: Problems) -> BuildError {
        BuildError {
            problems: problems.list,
            omitted: problems.omitted,
        }
    }

    /// The first problems found (never empty), at most
    /// [`MAX_PROBLEMS`](Self::MAX_PROBLEMS).
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// How many more problems were found than [`problems`](Self::problems)
    /// lists.
    #[must_use]
    pub fn omitted(&self) -> usize {
        self.omitted
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        list(f, "model", &self.problems, self.omitted)
    }
}

/// Writes `the {what} has N problems`, one line per listed problem, and
/// `and N more` for the omitted ones.
pub(super) fn list(
    f: &mut fmt::Formatter<'_>,
    what: &str,
    problems: &[impl fmt::Display],
    omitted: usize,
) -> fmt::Result {
    let count = problems.len() + omitted;
    write!(
        f,
        "the {what} has {count} problem{}",
        if count == 1 { "" } else { "s" }
    )?;
    for problem in problems {
        write!(f, "\n- {problem}")?;
    }
    if omitted > 0 {
        write!(f, "\n- and {omitted} more")?;
    }
    Ok(())
}

/// The problems a build collects: the first ones, within
/// [`BuildError::MAX_PROBLEMS`] and [`BuildError::MAX_TEXT`], and a count of
/// the rest.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    omitted: usize,
    /// Bytes of text of the listed problems.
    text: usize,
}

impl Problems {
    /// Records `problem`: listed if there is room, counted otherwise.
    pub(crate) fn push(&mut self, problem: Problem) {
        self.push_with(|| problem);
    }

    /// Records the problem `make` describes, making it only if it is
    /// listed: past the cap, a problem costs a count, not its text.
    pub(crate) fn push_with(&mut self, make: impl FnOnce() -> Problem) {
        if self.omitted > 0 || self.list.len() >= BuildError::MAX_PROBLEMS {
            self.omitted += 1;
            return;
        }
        let problem = make();
        let mut length = Length(0);
        // Writing to a counter cannot fail.
        let _ = fmt::write(&mut length, format_args!("{problem}"));
        if !self.list.is_empty() && self.text + length.0 > BuildError::MAX_TEXT {
            self.omitted += 1;
            return;
        }
        self.text += length.0;
        self.list.push(problem);
    }

    /// Whether no problem was found.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty() && self.omitted == 0
    }

    /// The first problem found, if any.
    pub(crate) fn into_first(self) -> Option<Problem> {
        self.list.into_iter().next()
    }
}

/// Counts the bytes written to it.
struct Length(usize);

impl fmt::Write for Length {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0 += text.len();
        Ok(())
    }
}

impl core::error::Error for BuildError {}

/// Resolves `name` in `ids`, or records an unknown-reference problem and
/// returns [`NONE`]: the builder goes on with it, so that one build reports
/// every problem, and the problem fails the build before the id is read.
pub(crate) fn lookup(
    ids: &impl crate::names::Ids,
    name: &str,
    entity: Entity,
    referrer: impl FnOnce() -> String,
    problems: &mut Problems,
) -> u32 {
    resolved(ids.id_of(name), name, entity, referrer, problems)
}

/// [`lookup`] for a reference left out when unknown: `None` then, with
/// the problem recorded.
pub(crate) fn try_lookup(
    ids: &impl crate::names::Ids,
    name: &str,
    entity: Entity,
    referrer: impl FnOnce() -> String,
    problems: &mut Problems,
) -> Option<u32> {
    reported(ids.id_of(name), name, entity, referrer, problems)
}

/// [`lookup`] of a name already resolved (in bulk) to `id`.
pub(crate) fn resolved(
    id: Option<u32>,
    name: &str,
    entity: Entity,
    referrer: impl FnOnce() -> String,
    problems: &mut Problems,
) -> u32 {
    reported(id, name, entity, referrer, problems).unwrap_or(NONE)
}

/// `id`, or, when the name was not found, `None` with an unknown-reference
/// problem recorded.
fn reported(
    id: Option<u32>,
    name: &str,
    entity: Entity,
    referrer: impl FnOnce() -> String,
    problems: &mut Problems,
) -> Option<u32> {
    if id.is_none() {
        problems.push_with(|| Problem::UnknownReference {
            referrer: referrer(),
            entity,
            name: name.to_string(),
        });
    }
    id
}

/// The words of a user given channels its type may never use, the same
/// whether a build ([`Problem::ChannelsNotAllowed`]) or a change
/// ([`ChangeProblem::ChannelsNotAllowed`](super::ChangeProblem::ChannelsNotAllowed))
/// finds it.
pub(super) struct ChannelsBeyondType<'a> {
    pub(super) user: &'a str,
    pub(super) user_type: UserType,
    pub(super) extra: Channels,
}

impl fmt::Display for ChannelsBeyondType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ChannelsBeyondType {
            user,
            user_type,
            extra,
        } = self;
        write!(
            f,
            "user {user:?}: an account of type {user_type} may never use these channels: {extra}"
        )
    }
}
