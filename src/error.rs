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

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::decision::Reason;
use crate::directory::{Channels, Status, UserType};
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
    #[error("user {user:?}: an account of type {user_type} may never use these channels: {extra}")]
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
fn list(
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

/// Resolves `name` in `ids`, or records an unknown-reference problem and
/// returns [`NONE`].
pub(crate) fn lookup(
    ids: &impl crate::names::Ids,
    name: &str,
    entity: Entity,
    referrer: impl FnOnce() -> String,
    problems: &mut Problems,
) -> u32 {
    resolved(ids.id_of(name), name, entity, referrer, problems)
}

/// [`lookup`] of a name already resolved (in bulk) to `id`.
pub(crate) fn resolved(
    id: Option<u32>,
    name: &str,
    entity: Entity,
    referrer: impl FnOnce() -> String,
    problems: &mut Problems,
) -> u32 {
    if let Some(id) = id {
        return id;
    }
    problems.push_with(|| Problem::UnknownReference {
        referrer: referrer(),
        entity,
        name: name.to_string(),
    });
    NONE
}

/// Why [`Policy::apply`](crate::Policy::apply) or
/// [`Policy::apply_all`](crate::Policy::apply_all) refused a change. The
/// policy is then exactly as it was before the call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("change #{index} ({change}) refused: {problem}")]
pub struct ChangeError {
    index: usize,
    change: String,
    // Boxed: the error stays small on the success path of `apply`.
    problem: Box<ChangeProblem>,
}

impl ChangeError {
    pub(crate) fn new(index: usize, change: String, problem: ChangeProblem) -> ChangeError {
        ChangeError {
            index,
            change,
            problem: Box::new(problem),
        }
    }

    /// The position of the refused change in its batch (0 for
    /// [`apply`](crate::Policy::apply)).
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }

    /// The refused change, described for people.
    #[must_use]
    pub fn change(&self) -> &str {
        &self.change
    }

    /// What is wrong with it.
    #[must_use]
    pub fn problem(&self) -> &ChangeProblem {
        &self.problem
    }

    /// The problem's stable code ([`ChangeProblem::code`]); for a change
    /// refused to its author, the reason's ([`Reason::code`]).
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.problem.code()
    }

    /// What kind of answer the error is ([`ChangeProblem::class`]): a
    /// change refused to its author takes its reason's class; an unknown
    /// name is `NotFound`; a malformed or conflicting change is `Invalid`.
    #[must_use]
    pub fn class(&self) -> crate::Class {
        self.problem.class()
    }

    /// The error as the author of the change may be told it: the same,
    /// with [`ChangeProblem::for_caller`]'s problem, in which anything of
    /// another tenant than the author's reads exactly as a name nothing
    /// has. Log the error itself; answer the author with this.
    ///
    /// A change with an author ([`Change::Grant`](crate::Change::Grant) or
    /// [`Change::Revoke`](crate::Change::Revoke) with `by`) checks that its
    /// scope and grantee are known in the author's tenant before anything
    /// else about them or about the author's rights, so neither the problem
    /// nor the order of the checks tells another tenant's resource, user or
    /// team from a missing one. A change without an author is the host's
    /// own: its precise error has no one to be hidden from, and it is
    /// reported against the tenant the change is in; should the host relay
    /// it to someone, this form hides the crossing all the same.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let mut policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .tenant("globex", ResourceKind::Organization)
    ///     .resource("merger", ResourceKind::Folder, "globex")
    ///     .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
    ///     .user(User::new("eve", "acme"))
    ///     .build()?;
    /// let on = |scope: &str| Change::Grant {
    ///     grantee: Grantee::Everyone,
    ///     scope: scope.into(),
    ///     role: "viewer".into(),
    ///     effect: Effect::Allow,
    ///     when: Condition::Always,
    ///     by: Some(Author::web("eve", 1_700_000_000)),
    /// };
    /// let theirs = policy.apply(on("merger")).unwrap_err();
    /// let nowhere = policy.apply(on("nowhere")).unwrap_err();
    /// // For the logs: `resource "merger" belongs to tenant "globex", not "acme"; ...`
    /// assert!(matches!(theirs.problem(), ChangeProblem::CrossesTenants { .. }));
    /// // For eve: the same as for a folder that does not exist.
    /// assert_eq!(theirs.for_caller().to_string().replace("merger", "nowhere"), nowhere.for_caller().to_string());
    /// assert!(matches!(theirs.for_caller().problem(), ChangeProblem::Unknown { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn for_caller(&self) -> ChangeError {
        ChangeError {
            index: self.index,
            change: self.change.clone(),
            problem: Box::new(self.problem.for_caller()),
        }
    }
}

impl ChangeProblem {
    /// A stable `snake_case` identifier of the problem (never renamed or
    /// reused), for logs and the `code` of a
    /// [`CallerExplanation`](crate::CallerExplanation). A
    /// [`Refused`](ChangeProblem::Refused) change has its reason's
    /// [`code`](Reason::code) (`would_escalate`, `denied`, …); the other
    /// codes differ from every reason's:
    ///
    /// `unknown_name`, `duplicate_name`, `not_a_tenant`, `tenant_root`,
    /// `crosses_tenants`, `cycle`, `ineligible`, `channels_not_allowed`,
    /// `too_many_teams`, `too_many`, `already_member`, `not_in_team`,
    /// `wrong_status`, `expired_invitation`, `seat_limit`,
    /// `already_granted`, `not_granted`, `in_use`, `already_revoked`,
    /// `revision_limit`, `already_expired`, `invalid_model`.
    ///
    /// `crosses_tenants` is for the host's logs: its
    /// [`for_caller`](ChangeProblem::for_caller) form is `unknown_name`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ChangeProblem::Unknown { .. } => "unknown_name",
            ChangeProblem::Duplicate { .. } => "duplicate_name",
            ChangeProblem::NotATenant { .. } => "not_a_tenant",
            ChangeProblem::TenantRoot { .. } => "tenant_root",
            ChangeProblem::CrossesTenants { .. } => "crosses_tenants",
            ChangeProblem::Cycle { .. } => "cycle",
            ChangeProblem::Ineligible { .. } => "ineligible",
            ChangeProblem::ChannelsNotAllowed { .. } => "channels_not_allowed",
            ChangeProblem::TooManyTeams { .. } => "too_many_teams",
            ChangeProblem::TooMany { .. } => "too_many",
            ChangeProblem::AlreadyMember { .. } => "already_member",
            ChangeProblem::NotMember { .. } => "not_in_team",
            ChangeProblem::WrongStatus { .. } => "wrong_status",
            ChangeProblem::InvitationExpired { .. } => "expired_invitation",
            ChangeProblem::SeatLimit { .. } => "seat_limit",
            ChangeProblem::AlreadyGranted => "already_granted",
            ChangeProblem::NotGranted => "not_granted",
            ChangeProblem::InUse { .. } => "in_use",
            ChangeProblem::AlreadyRevoked { .. } => "already_revoked",
            ChangeProblem::RevisionLimit { .. } => "revision_limit",
            ChangeProblem::AlreadyExpired { .. } => "already_expired",
            ChangeProblem::Refused { reason, .. } => reason.code(),
            ChangeProblem::Invalid(_) => "invalid_model",
        }
    }

    /// What kind of answer the problem is
    /// ([`Class`](crate::Class)):
    ///
    /// - a [`Refused`](ChangeProblem::Refused) change: its reason's
    ///   [`class`](Reason::class) (mostly `Forbidden`);
    /// - a name nothing has, or one of another tenant
    ///   ([`Unknown`](ChangeProblem::Unknown),
    ///   [`CrossesTenants`](ChangeProblem::CrossesTenants)), and removing a
    ///   grant or membership that does not exist
    ///   ([`NotGranted`](ChangeProblem::NotGranted),
    ///   [`NotMember`](ChangeProblem::NotMember)): `NotFound`;
    /// - everything else (a taken name, a cycle, a grant that exists, a
    ///   wrong status, the seat limit, an invalid model, …): `Invalid`, a
    ///   change that is malformed or conflicts with the policy.
    ///
    /// A problem and its `for_caller` form have the same class.
    #[must_use]
    pub fn class(&self) -> crate::Class {
        use crate::Class;
        match self {
            ChangeProblem::Refused { reason, .. } => reason.class(),
            ChangeProblem::Unknown { .. }
            | ChangeProblem::CrossesTenants { .. }
            | ChangeProblem::NotGranted
            | ChangeProblem::NotMember { .. } => Class::NotFound,
            ChangeProblem::Duplicate { .. }
            | ChangeProblem::NotATenant { .. }
            | ChangeProblem::TenantRoot { .. }
            | ChangeProblem::Cycle { .. }
            | ChangeProblem::Ineligible { .. }
            | ChangeProblem::ChannelsNotAllowed { .. }
            | ChangeProblem::TooManyTeams { .. }
            | ChangeProblem::TooMany { .. }
            | ChangeProblem::AlreadyMember { .. }
            | ChangeProblem::WrongStatus { .. }
            | ChangeProblem::InvitationExpired { .. }
            | ChangeProblem::SeatLimit { .. }
            | ChangeProblem::AlreadyGranted
            | ChangeProblem::InUse { .. }
            | ChangeProblem::AlreadyRevoked { .. }
            | ChangeProblem::RevisionLimit { .. }
            | ChangeProblem::AlreadyExpired { .. }
            | ChangeProblem::Invalid(_) => Class::Invalid,
        }
    }

    /// The problem as the author of the change may be told it: the same,
    /// except that something of another tenant reads exactly as a name
    /// nothing has (same problem, same text): a
    /// [`CrossesTenants`](ChangeProblem::CrossesTenants) becomes the
    /// [`Unknown`](ChangeProblem::Unknown) of its entity and name, and a
    /// [`Refused`](ChangeProblem::Refused) carries
    /// [`Reason::for_caller`]'s reason. See [`ChangeError::for_caller`].
    #[must_use]
    pub fn for_caller(&self) -> ChangeProblem {
        match self {
            ChangeProblem::CrossesTenants { entity, name, .. } => ChangeProblem::Unknown {
                entity: *entity,
                name: name.clone(),
            },
            ChangeProblem::Refused {
                author,
                reason,
                explanation,
            } => {
                let told = reason.for_caller();
                ChangeProblem::Refused {
                    author: author.clone(),
                    reason: told,
                    // A reason `for_caller` changes becomes one that names
                    // no entity, so its sentence needs no names.
                    explanation: if told == *reason {
                        explanation.clone()
                    } else {
                        told.to_string()
                    },
                }
            }
            other => other.clone(),
        }
    }
}

/// What is wrong with a refused [`Change`](crate::Change).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChangeProblem {
    /// The change names something the policy does not hold.
    #[error("unknown {entity} {name:?}")]
    Unknown {
        /// The kind of entity.
        entity: Entity,
        /// The name.
        name: String,
    },
    /// The change adds something whose name is taken.
    #[error("{entity} {name:?} exists already; names must be unique per kind")]
    Duplicate {
        /// The kind of entity.
        entity: Entity,
        /// The name.
        name: String,
    },
    /// A tenant was expected (a resource without a parent).
    #[error("{name:?} is not a tenant (a resource without a parent)")]
    NotATenant {
        /// The resource.
        name: String,
    },
    /// A tenant root cannot be moved.
    #[error("{name:?} is a tenant root and cannot be moved")]
    TenantRoot {
        /// The resource.
        name: String,
    },
    /// The change would connect two tenants, or its author names something
    /// of another tenant than his.
    ///
    /// The precise problem, for the host's logs: it confirms that `name`
    /// exists in `other_tenant`. What an author is told is
    /// [`for_caller`](ChangeProblem::for_caller)'s
    /// [`Unknown`](ChangeProblem::Unknown) of the same entity and name.
    #[error(
        "{entity} {name:?} belongs to tenant {other_tenant:?}, not {tenant:?}; nothing may cross tenants"
    )]
    CrossesTenants {
        /// The kind of the entity in the other tenant.
        entity: Entity,
        /// Its name.
        name: String,
        /// The tenant the change is in: its author's for a change with an
        /// author, else the tenant of what the change is about (the
        /// grant's scope, the moved resource, the key's owner, ...).
        tenant: String,
        /// The tenant of `name`.
        other_tenant: String,
    },
    /// The move would put a resource below itself.
    #[error("moving {name:?} under {parent:?} would put it inside itself")]
    Cycle {
        /// The resource moved.
        name: String,
        /// Its would-be parent, inside its subtree.
        parent: String,
    },
    /// A role would be held by a user whose type may not hold it.
    #[error("role {role:?} may not be held by {user_type} user {user:?}")]
    Ineligible {
        /// The role.
        role: String,
        /// The user (or "the public").
        user: String,
        /// Its type.
        user_type: UserType,
    },
    /// A user is given channels its type may never use.
    #[error("user {user:?}: an account of type {user_type} may never use these channels: {extra}")]
    ChannelsNotAllowed {
        /// The user.
        user: String,
        /// Its type.
        user_type: UserType,
        /// The channels beyond those of the type.
        extra: Channels,
    },
    /// A user would be in more teams than a decision can track.
    #[error("user {user:?} would be in more than {max} teams")]
    TooManyTeams {
        /// The user.
        user: String,
        /// The limit.
        max: usize,
    },
    /// More entities than ids can number.
    #[error("too many {entity}s: at most {max}")]
    TooMany {
        /// The kind of entity.
        entity: Entity,
        /// The limit.
        max: usize,
    },
    /// The user is already in the team.
    #[error("user {user:?} is already in team {team:?}")]
    AlreadyMember {
        /// The user.
        user: String,
        /// The team.
        team: String,
    },
    /// The user is not in the team.
    #[error("user {user:?} is not in team {team:?}")]
    NotMember {
        /// The user.
        user: String,
        /// The team.
        team: String,
    },
    /// The user's status does not allow this change.
    #[error("user {user:?} is {status}, not {expected}")]
    WrongStatus {
        /// The user.
        user: String,
        /// Its status.
        status: Status,
        /// The statuses the change needs.
        expected: &'static str,
    },
    /// The invitation expired before it was accepted.
    #[error("the invitation of {user:?} expired before it was accepted; invite again")]
    InvitationExpired {
        /// The user.
        user: String,
    },
    /// Every licence seat is taken.
    #[error("{used} users would hold a licence seat, over the limit of {limit}; deactivate a user or raise the limit")]
    SeatLimit {
        /// The seat limit.
        limit: u32,
        /// The seats that would be taken.
        used: usize,
    },
    /// The same grant exists already.
    #[error("the grant exists already")]
    AlreadyGranted,
    /// No such grant exists.
    #[error("no such grant exists")]
    NotGranted,
    /// The entity is still used by others; remove those first.
    #[error("{entity} {name:?} is still used by {by}")]
    InUse {
        /// The kind of entity.
        entity: Entity,
        /// The entity.
        name: String,
        /// What uses it.
        by: String,
    },
    /// The API key or link is revoked already: revoking it again would
    /// change nothing, so it is refused rather than logged as a change.
    #[error("{entity} {name:?} is revoked already")]
    AlreadyRevoked {
        /// [`Entity::Key`] or [`Entity::Link`].
        entity: Entity,
        /// Its name.
        name: String,
    },
    /// The policy is at
    /// [`PolicyDocument::MAX_REVISION`](crate::PolicyDocument::MAX_REVISION),
    /// the largest revision a snapshot may hold, so no change may follow
    /// (its snapshot would no longer load). Only a document written at the
    /// limit leads here.
    #[error(
        "the policy is at revision {revision}, the last a snapshot can hold; no change may follow"
    )]
    RevisionLimit {
        /// The policy's revision.
        revision: u64,
    },
    /// The invitation is expired already, whatever the time (by an
    /// earlier [`ExpireInvitation`](crate::Change::ExpireInvitation), or
    /// sent to expire at time 0): expiring it again would change nothing,
    /// so it is refused rather than logged as a change.
    #[error("the invitation of {user:?} is expired already")]
    AlreadyExpired {
        /// The invited user.
        user: String,
    },
    /// The author of an authorized change may not make it.
    #[error("{author:?} may not make this change: {explanation}")]
    Refused {
        /// The author.
        author: String,
        /// Why, as a decision explains it.
        reason: Reason,
        /// The reason's sentence with the entities it mentions named, as
        /// [`Policy::explain`](crate::Policy::explain) writes it (written
        /// when the change is refused, while the policy is at hand).
        explanation: String,
    },
    /// The model would be invalid (for example, a role inheritance cycle).
    #[error(transparent)]
    Invalid(Problem),
}

/// Why an expected permission matrix, written as a Markdown table for
/// [`Matrix::check`](crate::Matrix::check), could not be read.
///
/// Every variant names the line (1-based, counted within the text given to
/// `check`, blank lines included) and the offending text, so a failing test
/// points at the cell to fix.
///
/// ```
/// use clearance::TableError;
///
/// let error = TableError::UnreadableCell {
///     line: 4,
///     row: "All settings".into(),
///     column: "Viewer".into(),
///     text: "limited".into(),
/// };
/// assert!(error.to_string().starts_with(r#"line 4, row "All settings", column "Viewer": "limited""#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    /// The text holds no line at all, so no header either.
    #[error("the table is empty; it needs a header such as `| Capability | Admin |`, a delimiter row `|---|---|` and one row per capability")]
    Empty,
    /// A line of the table holds no `|`: it is not a table row.
    #[error("line {line}: {text:?} is not a table row; cells are separated by `|`")]
    NotARow {
        /// The line.
        line: usize,
        /// Its text.
        text: String,
    },
    /// The first line is not followed by a delimiter row (`|---|---|`), so
    /// the table has no header.
    #[error("line {line}: {text:?} is not followed by a delimiter row such as `|---|---|`, so the table has no header")]
    NoHeader {
        /// The line that should be the header.
        line: usize,
        /// Its text.
        text: String,
    },
    /// The header names the row heading only, no column.
    #[error("line {line}: the header {text:?} names no column; after the row heading it needs one cell per column")]
    NoColumns {
        /// The header's line.
        line: usize,
        /// Its text.
        text: String,
    },
    /// A row (or the delimiter row) has another number of cells than the header.
    #[error("line {line}: {found} cells where the header has {expected}: {text:?}")]
    WrongCellCount {
        /// The line.
        line: usize,
        /// The header's number of cells, the row heading included.
        expected: usize,
        /// This row's number of cells.
        found: usize,
        /// Its text.
        text: String,
    },
    /// The header names the same column twice.
    #[error("line {line}: the header names column {label:?} twice")]
    DuplicateColumn {
        /// The header's line.
        line: usize,
        /// The repeated label.
        label: String,
    },
    /// Two rows have the same label.
    #[error("line {line}: row {label:?} was already given on line {first}")]
    DuplicateRow {
        /// The line of the second row.
        line: usize,
        /// The repeated label.
        label: String,
        /// The line of the first.
        first: usize,
    },
    /// The header names a column the matrix does not have.
    #[error("line {line}: the matrix has no column {label:?}; its columns are {known:?}")]
    UnknownColumn {
        /// The header's line.
        line: usize,
        /// The unknown label.
        label: String,
        /// The matrix's column labels.
        known: Vec<String>,
    },
    /// A row is labelled with a capability the matrix does not have.
    #[error("line {line}: the matrix has no row {label:?}; its rows are {known:?}")]
    UnknownRow {
        /// The row's line.
        line: usize,
        /// The unknown label.
        label: String,
        /// The matrix's row labels.
        known: Vec<String>,
    },
    /// A cell reads as neither allowed nor denied.
    #[error("line {line}, row {row:?}, column {column:?}: {text:?} is neither yes nor no; write Y, yes, ✓, N, no, ✗, - or ?, or map the word with `Matrix::check_with`")]
    UnreadableCell {
        /// The row's line.
        line: usize,
        /// The row's label.
        row: String,
        /// The column's label.
        column: String,
        /// The cell as written.
        text: String,
    },
}
