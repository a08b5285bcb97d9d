//! The storage contract: what a change log must keep, and how durably.
//! The concept is documented on [`ChangeLog`], where users read it.

use clearance::{Change, PolicyDocument, Revision};

/// Where a service keeps its policy's changes, so that a restart rebuilds
/// the same policy: the newest snapshot, then every change after it.
///
/// A service writes each change to the log *before* the change becomes
/// visible (to readers, and to the caller as an acknowledgement), and
/// starts with [`recover`](crate::recover). Four operations are all a
/// store needs; [`SqliteLog`](crate::SqliteLog) is the embedded default,
/// and a Postgres or other implementation is two tables and four queries
/// (see the package README).
///
/// # The contract
///
/// - **Durable on `Ok`.** When [`append`](ChangeLog::append) or
///   [`store_snapshot`](ChangeLog::store_snapshot) returns `Ok`, what it
///   wrote survives a crash of the process and of the machine.
/// - **One revision, one change, in order.** The log's *head* is the
///   revision of the last change appended (before any, of the snapshot
///   the log started with). `append` takes exactly the revision after the
///   head and refuses any other with an error, never overwriting a change
///   or leaving a hole.
/// - **Snapshots are never ahead.** A snapshot's revision (the document's
///   [`revision`](PolicyDocument::revision)) is at most the head.
/// - **Read back as written.** [`changes_after`](ChangeLog::changes_after)
///   returns changes in increasing revision order with the revisions they
///   were appended under; a row that is damaged is an error, not skipped.
///
/// [`recover`](crate::recover) checks what it can of this whatever the
/// store (revisions follow one another from the snapshot's, each change
/// applies), so a store that breaks the contract fails loudly at start.
///
/// # Writing through a live policy
///
/// The revision a change produces is known once the change is validated,
/// so a writer validates on a copy (or the back copy of a live handle),
/// appends, and publishes only when the append succeeded. With a hook that
/// is handed the revision and the change, the log is the hook:
/// `|revision, change| log.append(revision, change)`.
///
/// ```
/// use clearance::{Change, PolicyBuilder, ResourceKind};
/// use clearance_log::{recover, ChangeLog, SqliteLog};
///
/// # let path = std::env::temp_dir().join(format!("clearance-log-trait-{}.db", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let mut policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
/// let mut log = SqliteLog::create(&path, &policy)?;
///
/// let change = Change::AddTeam { name: "ops".into(), tenant: "acme".into() };
/// let mut next = policy.clone();                  // validate on a copy,
/// let revision = next.apply(change.clone())?;     // whole or nothing,
/// log.append(revision, &change)?;                 // make it durable,
/// policy = next;                                  // and only then publish it.
///
/// assert_eq!(recover(&log)?, policy);
/// # drop(log);
/// # for suffix in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{suffix}", path.display())); }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait ChangeLog {
    /// Why an operation failed: I/O, a damaged row, a refused revision.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Makes `change`, which produced `revision`, durable: `Ok` only once
    /// it would survive a crash.
    ///
    /// # Errors
    ///
    /// When `revision` is not the one after the head (a duplicate, a
    /// change out of order or one after a hole), and on any failure to
    /// write; the log is then as before.
    fn append(&mut self, revision: Revision, change: &Change) -> Result<(), Self::Error>;

    /// At most `limit` changes with a revision above `after`, in
    /// increasing revision order, each with its revision; empty past the
    /// head.
    ///
    /// # Errors
    ///
    /// When the log cannot be read, or a change read is damaged (it names
    /// the revision).
    fn changes_after(
        &self,
        after: Revision,
        limit: usize,
    ) -> Result<Vec<(Revision, Change)>, Self::Error>;

    /// Makes `snapshot` durable, a starting point for
    /// [`recover`](crate::recover) at its
    /// [`revision`](PolicyDocument::revision). Write it with
    /// [`Policy::to_document`](clearance::Policy::to_document).
    ///
    /// # Errors
    ///
    /// When the snapshot's revision is beyond the head, and on any failure
    /// to write; the log is then as before.
    fn store_snapshot(&mut self, snapshot: &PolicyDocument) -> Result<(), Self::Error>;

    /// The snapshot with the highest revision, if any.
    ///
    /// # Errors
    ///
    /// When the log cannot be read, or the snapshot is damaged (it names
    /// the revision).
    fn newest_snapshot(&self) -> Result<Option<PolicyDocument>, Self::Error>;
}
