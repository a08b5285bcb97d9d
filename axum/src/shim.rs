//! STAND-INS FOR CORE APIS BEING BUILT IN PARALLEL (issue 14, §1–3).
//!
//! ======================================================================
//! Delete this file once the real APIs land on main, then:
//! - in `lib.rs`, replace `pub use shim::{Credentials, LivePolicy}` with
//!   `pub use clearance::{Credentials, LivePolicy}` and drop `mod shim`;
//! - replace each `use crate::shim::...` with the real item (most are
//!   extension traits whose methods become inherent methods of the core
//!   types, so the `use` line simply goes);
//! - in the example and the tests, replace `clearance_axum::shim::FileLog`
//!   and `recover` with `clearance_log::SqliteLog` and its `recover`.
//!
//! Nothing outside this file knows how these are implemented; every
//! signature below is the one the other helpers announced:
//! - helper A: `Reason::code`, `Reason::class`, `Class`,
//!   `Policy::explain_for_caller` -> `CallerExplanation`, the same for
//!   `ChangeError`;
//! - helper B: `Credentials<'a>` (`user(name, channel, now)`,
//!   `key(name, now)`, `link(name, now)`, `with_mfa`) and
//!   `Policy::resolve(Credentials) -> Result<Subject, UnknownCredential>`;
//!   an `Author` from any subject;
//! - helper C: `LivePolicy` (`new`, `read`, `revision`, `apply`,
//!   `apply_logged`);
//! - helper D: a change log (`create(path, &Policy)`, `open(path)`,
//!   `append(revision, &change)`, `recover(&log)`).
//! ======================================================================
#![allow(missing_docs, clippy::missing_errors_doc)]
#![doc(hidden)]

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::ops::Deref;
use std::path::Path;
use std::sync::{PoisonError, RwLock};

use clearance::{
    Author, Change, ChangeError, ChangeProblem, Channel, Credential, Decision, Policy,
    PolicyDocument, Reason, Revision, Subject,
};

// ---------------------------------------------------------------- helper A

/// How a host answers a reason: the HTTP status family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Allowed,
    Unauthenticated,
    NotFound,
    Forbidden,
    Invalid,
}

/// What the caller may be told: a stable code and a sentence with names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerExplanation {
    allowed: bool,
    code: &'static str,
    class: Class,
    message: String,
}

impl CallerExplanation {
    pub fn allowed(&self) -> bool {
        self.allowed
    }
    pub fn code(&self) -> &'static str {
        self.code
    }
    pub fn class(&self) -> Class {
        self.class
    }
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// `Reason::code` and `Reason::class` (helper A makes them inherent).
pub trait ReasonCodes {
    fn code(&self) -> &'static str;
    fn class(&self) -> Class;
}

impl ReasonCodes for Reason {
    fn code(&self) -> &'static str {
        match self {
            Reason::Granted { .. } => "granted",
            Reason::UnknownSubject => "unknown_subject",
            Reason::UnknownResource => "unknown_resource",
            Reason::WrongTenant => "wrong_tenant",
            Reason::Suspended => "suspended",
            Reason::InvitationPending => "invitation_pending",
            Reason::InvitationExpired => "invitation_expired",
            Reason::Deactivated => "deactivated",
            Reason::KeyRevoked => "key_revoked",
            Reason::KeyExpired => "key_expired",
            Reason::LinkRevoked => "link_revoked",
            Reason::LinkExpired => "link_expired",
            Reason::TimeUnknown => "time_unknown",
            Reason::ChannelNotAllowed { .. } => "channel_not_allowed",
            Reason::KeyOutOfScope => "key_out_of_scope",
            Reason::LinkOutOfScope => "link_out_of_scope",
            Reason::EmptyAction => "empty_action",
            Reason::NotMember => "not_member",
            Reason::RoleLacks { .. } => "role_lacks",
            Reason::Overridden { .. } => "overridden",
            Reason::Denied { .. } => "denied",
            Reason::KeyLacks { .. } => "key_lacks",
            Reason::LinkLacks { .. } => "link_lacks",
            Reason::MfaRequired { .. } => "mfa_required",
            Reason::WouldEscalate { .. } => "would_escalate",
            Reason::RestrictedBelow { .. } => "restricted_below",
            Reason::OwnRestriction { .. } => "own_restriction",
            Reason::UnknownRole => "unknown_role",
            Reason::GranteeOfAnotherTenant => "grantee_of_another_tenant",
            Reason::RoleNotEligible => "role_not_eligible",
            _ => "denied",
        }
    }

    fn class(&self) -> Class {
        match self {
            Reason::Granted { .. } => Class::Allowed,
            Reason::UnknownSubject
            | Reason::KeyRevoked
            | Reason::KeyExpired
            | Reason::LinkRevoked
            | Reason::LinkExpired
            | Reason::Deactivated
            | Reason::InvitationPending
            | Reason::InvitationExpired
            | Reason::TimeUnknown => Class::Unauthenticated,
            Reason::UnknownResource | Reason::WrongTenant => Class::NotFound,
            Reason::EmptyAction | Reason::UnknownRole | Reason::RoleNotEligible => Class::Invalid,
            _ => Class::Forbidden,
        }
    }
}

/// `Policy::explain_for_caller` (helper A makes it inherent).
pub trait ExplainForCaller {
    fn explain_for_caller(&self, decision: Decision) -> CallerExplanation;
}

impl ExplainForCaller for Policy {
    fn explain_for_caller(&self, decision: Decision) -> CallerExplanation {
        let reason = decision.for_caller().reason();
        CallerExplanation {
            allowed: reason.is_allowed(),
            code: reason.code(),
            class: reason.class(),
            message: self.explain(reason).to_string(),
        }
    }
}

/// `ChangeError`'s caller form (helper A).
pub trait ChangeErrorForCaller {
    fn explain_for_caller(&self) -> CallerExplanation;
}

impl ChangeErrorForCaller for ChangeError {
    fn explain_for_caller(&self) -> CallerExplanation {
        let caller = self.for_caller();
        let (code, class) = match caller.problem() {
            ChangeProblem::Unknown { .. } => ("unknown", Class::NotFound),
            ChangeProblem::Refused { reason, .. } => (reason.code(), reason.class()),
            _ => ("invalid_change", Class::Invalid),
        };
        CallerExplanation {
            allowed: false,
            code,
            class,
            message: caller.problem().to_string(),
        }
    }
}

// ---------------------------------------------------------------- helper B

/// Who asks, by name (helper B's `clearance::Credentials`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credentials<'a> {
    kind: Kind,
    name: &'a str,
    channel: Channel,
    mfa: bool,
    now: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    User,
    Key,
    Link,
}

impl<'a> Credentials<'a> {
    /// The user named `name`, asking through `channel` at `now`, without MFA.
    pub const fn user(name: &'a str, channel: Channel, now: u64) -> Credentials<'a> {
        Credentials {
            kind: Kind::User,
            name,
            channel,
            mfa: false,
            now,
        }
    }
    /// The API key named `name`, asking at `now`.
    pub const fn key(name: &'a str, now: u64) -> Credentials<'a> {
        Credentials {
            kind: Kind::Key,
            name,
            channel: Channel::Api,
            mfa: false,
            now,
        }
    }
    /// The public link named `name`, asked through at `now`.
    pub const fn link(name: &'a str, now: u64) -> Credentials<'a> {
        Credentials {
            kind: Kind::Link,
            name,
            channel: Channel::Link,
            mfa: false,
            now,
        }
    }
    /// Whether the session passed multi-factor authentication.
    #[must_use]
    pub const fn with_mfa(mut self, mfa: bool) -> Credentials<'a> {
        self.mfa = mfa;
        self
    }
}

/// No user, key or link has the name sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCredential;

/// `Policy::resolve` (helper B makes it inherent).
pub trait Resolve {
    fn resolve(&self, credentials: Credentials<'_>) -> Result<Subject, UnknownCredential>;
}

impl Resolve for Policy {
    fn resolve(&self, credentials: Credentials<'_>) -> Result<Subject, UnknownCredential> {
        let subject = match credentials.kind {
            Kind::User => self
                .user_id(credentials.name)
                .map(|id| Subject::user(id, credentials.channel)),
            Kind::Key => self.key_id(credentials.name).map(Subject::key),
            Kind::Link => self.link_id(credentials.name).map(Subject::link),
        };
        subject
            .map(|s| s.with_mfa(credentials.mfa).at(credentials.now))
            .ok_or(UnknownCredential)
    }
}

/// The author of a change made by `subject` (helper B: "an `Author` from
/// any `Subject`"). The stand-in knows users only, and a key's owner.
pub fn author(policy: &Policy, subject: &Subject) -> Option<Author> {
    let user = match subject.credential() {
        Credential::User(user) => user,
        Credential::Key(key) => policy.key_owner(key)?,
        Credential::Link(_) => return None,
    };
    Some(Author {
        user: policy.user_name(user)?.to_owned(),
        channel: subject.channel(),
        mfa: subject.mfa(),
        at: subject.now().unwrap_or(u64::MAX),
    })
}

// ---------------------------------------------------------------- helper C

/// A policy shared by threads (helper C's `clearance::LivePolicy`). The
/// stand-in is a `RwLock`: reads block on writes, which the real one never does.
#[derive(Debug)]
pub struct LivePolicy {
    policy: RwLock<Policy>,
}

/// Why `apply_logged` wrote nothing.
#[derive(Debug)]
pub enum ApplyError<E> {
    Refused(ChangeError),
    Log(E),
}

impl LivePolicy {
    pub fn new(policy: Policy) -> LivePolicy {
        LivePolicy {
            policy: RwLock::new(policy),
        }
    }

    pub fn read(&self) -> impl Deref<Target = Policy> + '_ {
        self.policy.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn revision(&self) -> Revision {
        self.read().revision()
    }

    pub fn apply(&self, change: Change) -> Result<Revision, ChangeError> {
        let mut policy = self.policy.write().unwrap_or_else(PoisonError::into_inner);
        policy.apply(change)
    }

    /// Applies `change`, then calls `hook` (the log's append) and publishes
    /// only if it succeeded.
    pub fn apply_logged<E>(
        &self,
        change: Change,
        hook: impl FnOnce(Revision, &Change) -> Result<(), E>,
    ) -> Result<Revision, ApplyError<E>> {
        let mut policy = self.policy.write().unwrap_or_else(PoisonError::into_inner);
        let before = policy.clone();
        let revision = policy.apply(change.clone()).map_err(ApplyError::Refused)?;
        if let Err(error) = hook(revision, &change) {
            *policy = before;
            return Err(ApplyError::Log(error));
        }
        Ok(revision)
    }
}

// ---------------------------------------------------------------- helper D

/// A change log in a file of JSON lines, fsynced per append: the stand-in
/// for `clearance_log::SqliteLog`. Line 1 is the snapshot, each other line
/// one change with its revision.
#[derive(Debug)]
pub struct FileLog {
    file: File,
    path: std::path::PathBuf,
}

/// What went wrong with the log.
#[derive(Debug)]
pub struct LogError(pub String);

impl std::fmt::Display for LogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LogError {}

fn log_error(path: &Path, what: impl std::fmt::Display) -> LogError {
    LogError(format!("change log {}: {what}", path.display()))
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    revision: u64,
    change: Change,
}

impl FileLog {
    pub fn create(path: impl AsRef<Path>, policy: &Policy) -> Result<FileLog, LogError> {
        let path = path.as_ref();
        let mut file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(path)
            .map_err(|e| log_error(path, e))?;
        let mut line = serde_json::to_vec(&policy.to_document()).map_err(|e| log_error(path, e))?;
        line.push(b'\n');
        file.write_all(&line).map_err(|e| log_error(path, e))?;
        file.sync_all().map_err(|e| log_error(path, e))?;
        Ok(FileLog {
            file,
            path: path.to_owned(),
        })
    }

    pub fn open(path: impl AsRef<Path>) -> Result<FileLog, LogError> {
        let path = path.as_ref();
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| log_error(path, e))?;
        Ok(FileLog {
            file,
            path: path.to_owned(),
        })
    }

    pub fn append(&mut self, revision: Revision, change: &Change) -> Result<(), LogError> {
        let entry = Entry {
            revision: revision.get(),
            change: change.clone(),
        };
        let mut line = serde_json::to_vec(&entry).map_err(|e| log_error(&self.path, e))?;
        line.push(b'\n');
        self.file
            .write_all(&line)
            .map_err(|e| log_error(&self.path, e))?;
        self.file.sync_data().map_err(|e| log_error(&self.path, e))
    }
}

/// The snapshot with every logged change replayed; a torn or corrupt line,
/// or a gap in the revisions, is an error.
pub fn recover(log: &FileLog) -> Result<Policy, LogError> {
    let path = &log.path;
    let file = File::open(path).map_err(|e| log_error(path, e))?;
    let mut lines = BufReader::new(file).lines();
    let first = lines
        .next()
        .ok_or_else(|| log_error(path, "empty, no snapshot"))?
        .map_err(|e| log_error(path, e))?;
    let document: PolicyDocument =
        serde_json::from_str(&first).map_err(|e| log_error(path, format!("snapshot: {e}")))?;
    let mut policy = Policy::from_document(&document).map_err(|e| log_error(path, e))?;
    for (number, line) in lines.enumerate() {
        let line = line.map_err(|e| log_error(path, e))?;
        let entry: Entry = serde_json::from_str(&line)
            .map_err(|e| log_error(path, format!("line {}: {e}", number + 2)))?;
        let revision = policy
            .apply(entry.change)
            .map_err(|e| log_error(path, format!("line {}: {e}", number + 2)))?;
        if revision.get() != entry.revision {
            return Err(log_error(
                path,
                format!(
                    "line {}: logged as revision {}, replayed as {}",
                    number + 2,
                    entry.revision,
                    revision.get()
                ),
            ));
        }
    }
    Ok(policy)
}
