//! Starting a service: the policy a log holds, or a clear error.
//! The concept is documented on [`recover`], where users read it.

use clearance::{ChangeError, DocumentError, Policy, Revision};

use crate::ChangeLog;

/// How many changes [`recover`] reads at a time: memory stays bounded
/// whatever the length of the log.
const BATCH: usize = 1024;

/// Rebuilds the policy a log holds: its newest snapshot, then every change
/// after it, in order.
///
/// A log that is damaged or incomplete is an error naming what is wrong
/// and where, never a policy with less in it: a missing snapshot, a
/// snapshot that does not load, a revision missing or out of order, or a
/// change that does not apply to the policy before it. The store's own
/// checks ([`SqliteLog`](crate::SqliteLog) checks checksums, its head and
/// the file when it opens) come on top.
///
/// The policy is built with [`Policy::from_document`], so its name tables
/// hash with a fresh random key; it equals (`==`) the policy that wrote
/// the log, which compares models, not hash keys.
///
/// Time: building the snapshot, then one [`Policy::apply`] per change; a
/// service that snapshots every few thousand changes starts in about the
/// time a build of its policy takes.
///
/// ```
/// use clearance::{Change, PolicyBuilder, ResourceKind, Revision};
/// use clearance_log::{recover, ChangeLog, RecoverError, SqliteLog};
///
/// # let path = std::env::temp_dir().join(format!("clearance-log-recover-{}.db", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
/// let mut log = SqliteLog::create(&path, &policy)?;
/// let ops = Change::AddTeam { name: "ops".into(), tenant: "acme".into() };
/// log.append(Revision::new(1), &ops)?;
/// // A change the log took without checking, that no policy would have:
/// log.append(Revision::new(2), &ops)?;
///
/// let error = recover(&log).unwrap_err();
/// assert!(matches!(error, RecoverError::Replay { revision, .. } if revision == Revision::new(2)));
/// # drop(log);
/// # for suffix in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{suffix}", path.display())); }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// A [`RecoverError`]: the log's own error, or what is wrong with what it
/// holds.
pub fn recover<L: ChangeLog + ?Sized>(log: &L) -> Result<Policy, RecoverError<L::Error>> {
    let snapshot = log.newest_snapshot()?.ok_or(RecoverError::NoSnapshot)?;
    let mut policy = Policy::from_document(&snapshot).map_err(|error| RecoverError::Snapshot {
        revision: Revision::new(snapshot.revision),
        error,
    })?;
    loop {
        let changes = log.changes_after(policy.revision(), BATCH)?;
        if changes.is_empty() {
            return Ok(policy);
        }
        for (revision, change) in changes {
            let expected = Revision::new(policy.revision().get().saturating_add(1));
            if revision != expected {
                return Err(RecoverError::Gap {
                    expected,
                    found: revision,
                });
            }
            policy
                .apply(change)
                .map_err(|error| RecoverError::Replay { revision, error })?;
        }
    }
}

/// Why [`recover`] could not rebuild the policy a log holds. `E` is the
/// log's own error ([`ChangeLog::Error`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecoverError<E: std::error::Error + 'static> {
    /// The log failed: it could not be read, or a row is damaged.
    #[error(transparent)]
    Log(#[from] E),
    /// The log holds no snapshot to start from.
    #[error("the change log holds no snapshot to start from")]
    NoSnapshot,
    /// The newest snapshot does not compile into a policy.
    #[error("the snapshot at {revision} does not load: {error}")]
    Snapshot {
        /// The snapshot's revision.
        revision: Revision,
        /// What is wrong with it.
        error: DocumentError,
    },
    /// The log's revisions do not follow one another: a change is missing,
    /// or the store returned them out of order.
    #[error("the change log holds {found} where {expected} should follow: changes are missing or out of order")]
    Gap {
        /// The revision that should come next.
        expected: Revision,
        /// The revision the log holds instead.
        found: Revision,
    },
    /// A change does not apply to the policy the changes before it made.
    #[error("the change of {revision} does not apply to the policy before it: {error}")]
    Replay {
        /// The revision of the change.
        revision: Revision,
        /// Why the policy refused it.
        error: ChangeError,
    },
}
