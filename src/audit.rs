//! Audit records: one decision, as a host stores it.
//! The concept is documented on [`AuditRecord`], where users read it.

use crate::change::Revision;
use crate::decision::Decision;
use crate::permission::Action;
use crate::policy::{Explanation, Policy};
use crate::resource::ResourceId;
use crate::subject::Subject;

/// One decision with everything needed to audit it later: who asked, for
/// what, on what, the answer and its reason, the policy's revision, and the
/// host's timestamp. Plain `Copy` data that serializes with the `serde`
/// feature, so a host can append it to its own audit trail.
///
/// The record holds ids, not names, so writing one allocates nothing; use
/// [`AuditRecord::explain`] with the same policy (or a later one, since ids
/// are never reused) to read it as a sentence.
///
/// ```
/// use clearance::*;
///
/// let policy = PolicyBuilder::new()
///     .tenant("acme", ResourceKind::Organization)
///     .user(User::new("ann", "acme").status(Status::Suspended))
///     .build()?;
/// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
/// let acme = policy.resource_id("acme").unwrap();
///
/// let record = policy.audit(&ann, Action::View, acme);
/// assert!(!record.decision.is_allowed());
/// assert_eq!(record.at, Some(1_700_000_000));
/// assert_eq!(record.explain(&policy).to_string(), "the account is suspended");
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct AuditRecord {
    /// Who asked (user, key or link; channel; MFA).
    pub subject: Subject,
    /// What they asked to do.
    pub action: Action,
    /// On what.
    pub resource: ResourceId,
    /// The answer, with its reason.
    pub decision: Decision,
    /// The policy's revision when it answered.
    pub revision: Revision,
    /// The host's timestamp of the request (the subject's `now`), `None`
    /// when the subject carried no time.
    pub at: Option<u64>,
}

impl AuditRecord {
    /// The record's reason as a sentence with names.
    #[must_use]
    pub fn explain<'p>(&self, policy: &'p Policy) -> Explanation<'p> {
        policy.explain(self.decision.reason())
    }
}

impl Policy {
    /// Decides like [`authorize`](Policy::authorize) and returns the
    /// decision as an [`AuditRecord`], stamped with the policy's revision and
    /// the subject's time.
    pub fn audit(&self, subject: &Subject, action: Action, resource: ResourceId) -> AuditRecord {
        AuditRecord {
            subject: *subject,
            action,
            resource,
            decision: self.authorize(subject, action, resource),
            revision: self.revision(),
            at: subject.now(),
        }
    }
}
