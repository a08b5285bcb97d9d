//! The embedded change log: one SQLite file, durable on every append.
//! The concept is documented on [`SqliteLog`], where users read it.

use std::fmt;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clearance::{Change, Policy, PolicyDocument, Revision};
use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::checksum::row_checksum;
use crate::ChangeLog;

/// Marks a SQLite file as a clearance change log (`PRAGMA application_id`):
/// "clog" in ASCII.
const APPLICATION_ID: i32 = 0x636C_6F67;

/// The layout of the tables below (`PRAGMA user_version`).
const FORMAT: i32 = 1;

const SCHEMA: &str = "
    CREATE TABLE changes (
        revision INTEGER PRIMARY KEY,
        change TEXT NOT NULL,
        checksum INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE snapshots (
        revision INTEGER PRIMARY KEY,
        document TEXT NOT NULL,
        checksum INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE head (
        id INTEGER PRIMARY KEY CHECK (id = 0),
        revision INTEGER NOT NULL
    ) STRICT;
";

/// The size of the header that starts every SQLite file.
const SQLITE_HEADER: u64 = 100;

/// How long a write waits for another connection to the same file (a
/// backup, an operator's `sqlite3` shell) before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A [`ChangeLog`] in one SQLite file: the embedded default, nothing to
/// install or run beside the service.
///
/// **Durability.** The file is in WAL mode with `synchronous=FULL`: each
/// [`append`](ChangeLog::append) is one transaction, and SQLite syncs the
/// write-ahead log to the disk before the commit returns, so an
/// acknowledged change survives a crash of the process *and* a power loss
/// (as far as the disk honours its flushes). That costs one flush per
/// change: on the order of a millisecond on an SSD, far more on a
/// spinning disk; a service that writes more than a few hundred changes a
/// second batches them on its side.
///
/// The file's `-wal` companion is part of the log: committed changes may
/// live only there until SQLite checkpoints them into the main file. Copy
/// the log with SQLite's backup API or `VACUUM INTO` (or stop the service
/// and copy the file and its `-wal`), and never delete the `-wal` file:
/// SQLite cannot tell what it held, and neither can this crate.
///
/// **Checks.** Every row carries a CRC-32 of its revision and text (SQLite
/// itself checksums nothing), checked on every read; the file carries its
/// own identity and format version; and [`open`](SqliteLog::open) runs
/// SQLite's `quick_check` over the whole file and compares the stored head
/// (the newest revision appended) with the rows: a truncated file, a
/// deleted row, a flipped byte or a foreign file is an error at start.
///
/// **Compaction.** [`store_snapshot`](ChangeLog::store_snapshot) keeps
/// every change (the log doubles as a history); [`compact`](SqliteLog::compact)
/// drops the changes at or below the newest snapshot, and the older
/// snapshots, when the history is not wanted.
///
/// **One writer.** A log is written by one service at a time; a second
/// writer's appends are refused ([`SqliteLogError::NotNext`]) rather than
/// interleaved. `SqliteLog` is `Send`; share it behind a `Mutex`, or keep
/// it with the one thread that writes the policy.
///
/// ```
/// use clearance::{Change, PolicyBuilder, ResourceKind};
/// use clearance_log::{recover, ChangeLog, SqliteLog};
///
/// # let path = std::env::temp_dir().join(format!("clearance-log-sqlite-{}.db", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let mut policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
/// let mut log = SqliteLog::create(&path, &policy)?;
/// for team in ["ops", "sales"] {
///     let change = Change::AddTeam { name: team.into(), tenant: "acme".into() };
///     let revision = policy.apply(change.clone())?;
///     log.append(revision, &change)?;
/// }
/// log.store_snapshot(&policy.to_document())?;
/// assert_eq!(log.compact()?, 2);
/// drop(log);
///
/// // At start:
/// let log = SqliteLog::open(&path)?;
/// assert_eq!(recover(&log)?, policy);
/// # drop(log);
/// # for suffix in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{suffix}", path.display())); }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SqliteLog {
    connection: Connection,
    path: PathBuf,
    head: Revision,
}

impl fmt::Debug for SqliteLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteLog")
            .field("path", &self.path)
            .field("head", &self.head)
            .finish_non_exhaustive()
    }
}

impl SqliteLog {
    /// Creates a log at `path` whose first snapshot is `initial` (at its
    /// revision, 0 for a policy just built). The file must not exist: a
    /// log is never created over another.
    ///
    /// A crash during `create` leaves an empty or partial file that
    /// [`open`](SqliteLog::open) refuses; delete it and create again.
    ///
    /// # Errors
    ///
    /// [`SqliteLogError::AlreadyExists`] when something is at `path`;
    /// [`SqliteLogError::Sqlite`] when the file cannot be written.
    pub fn create(path: impl AsRef<Path>, initial: &Policy) -> Result<SqliteLog, SqliteLogError> {
        let path = path.as_ref().to_path_buf();
        // `create_new` is atomic: two services creating the same log at
        // once cannot both succeed.
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(SqliteLogError::AlreadyExists { path });
            }
            Err(error) => return Err(SqliteLogError::Io { path, error }),
        }
        let connection = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|error| sqlite_error(&path, error))?;
        let mut log = SqliteLog {
            connection,
            path,
            head: initial.revision(),
        };
        log.configure()?;
        let document = initial.to_document();
        let text = serde_json::to_string(&document).map_err(unwritable(&log.path))?;
        let revision = stored(&log.path, initial.revision())?;
        let path = log.path.clone();
        let fail = |error| sqlite_error(&path, error);
        let transaction = log
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        transaction.execute_batch(SCHEMA).map_err(fail)?;
        transaction
            .execute(
                "INSERT INTO snapshots (revision, document, checksum) VALUES (?1, ?2, ?3)",
                params![revision, text, checksum(initial.revision(), &text)],
            )
            .map_err(fail)?;
        transaction
            .execute(
                "INSERT INTO head (id, revision) VALUES (0, ?1)",
                params![revision],
            )
            .map_err(fail)?;
        // Marked last, in the same transaction: a file without the mark
        // is not a log, whatever else it holds.
        transaction
            .pragma_update(None, "user_version", FORMAT)
            .map_err(fail)?;
        transaction
            .pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(log)
    }

    /// Opens the log at `path` and checks it: that it is a change log of
    /// this format, SQLite's `quick_check` of the whole file (time in
    /// proportion to the file's size), that it holds a snapshot, and that
    /// its newest change or snapshot is the head it recorded.
    ///
    /// # Errors
    ///
    /// [`SqliteLogError::Missing`] when nothing is at `path`;
    /// [`NotADatabase`](SqliteLogError::NotADatabase),
    /// [`Corrupt`](SqliteLogError::Corrupt),
    /// [`NotALog`](SqliteLogError::NotALog) (an empty file too),
    /// [`UnsupportedFormat`](SqliteLogError::UnsupportedFormat),
    /// [`NoSnapshot`](SqliteLogError::NoSnapshot),
    /// [`SnapshotAhead`](SqliteLogError::SnapshotAhead) or
    /// [`Truncated`](SqliteLogError::Truncated) for a file that is not a
    /// sound log; [`SqliteLogError::Sqlite`] when it cannot be read.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteLog, SqliteLogError> {
        let path = path.as_ref().to_path_buf();
        let length = match std::fs::metadata(&path) {
            Ok(metadata) => metadata.len(),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(SqliteLogError::Missing { path });
            }
            Err(error) => return Err(SqliteLogError::Io { path, error }),
        };
        // SQLite reads a file shorter than its header as zeros past the
        // end, so such a file would pass for an empty database.
        if (1..SQLITE_HEADER).contains(&length) {
            return Err(SqliteLogError::Corrupt {
                path,
                detail: format!(
                    "the file is cut inside SQLite's {SQLITE_HEADER}-byte header ({length} bytes)"
                ),
            });
        }
        // Without SQLITE_OPEN_CREATE: a file removed since is an error,
        // never a new empty log.
        let connection = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|error| sqlite_error(&path, error))?;
        let mut log = SqliteLog {
            connection,
            path,
            head: Revision::new(0),
        };
        // Identity before anything that writes: a foreign file is left
        // as it was (not even switched to WAL mode).
        log.check_identity()?;
        log.configure()?;
        log.check_pages()?;
        log.head = log.check_head()?;
        Ok(log)
    }

    /// The file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The head: the newest revision the log holds, the next
    /// [`append`](ChangeLog::append) takes the one after it.
    #[must_use]
    pub fn head(&self) -> Revision {
        self.head
    }

    /// Drops the changes at or below the newest snapshot, and the older
    /// snapshots, in one transaction; returns how many changes it dropped.
    /// [`recover`](crate::recover) needs none of them; the file keeps its
    /// size, and SQLite reuses the space for the next changes.
    ///
    /// The newest snapshot is read and checked first: a damaged one is an
    /// error, and nothing is dropped.
    ///
    /// # Errors
    ///
    /// [`SqliteLogError::NoSnapshot`], [`Checksum`](SqliteLogError::Checksum)
    /// or [`Unreadable`](SqliteLogError::Unreadable) for the newest
    /// snapshot; [`SqliteLogError::Sqlite`] when the file cannot be written.
    pub fn compact(&mut self) -> Result<u64, SqliteLogError> {
        let snapshot = self
            .newest_snapshot()?
            .ok_or_else(|| SqliteLogError::NoSnapshot {
                path: self.path.clone(),
            })?;
        let revision = stored(&self.path, Revision::new(snapshot.revision))?;
        let path = self.path.clone();
        let fail = |error| sqlite_error(&path, error);
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let dropped = transaction
            .execute("DELETE FROM changes WHERE revision <= ?1", [revision])
            .map_err(fail)?;
        transaction
            .execute("DELETE FROM snapshots WHERE revision < ?1", [revision])
            .map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(u64::try_from(dropped).unwrap_or(u64::MAX))
    }

    fn fail(&self) -> impl Fn(rusqlite::Error) -> SqliteLogError + '_ {
        |error| sqlite_error(&self.path, error)
    }

    fn configure(&self) -> Result<(), SqliteLogError> {
        let connection = &self.connection;
        let fail = |error| sqlite_error(&self.path, error);
        connection.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        let mode: String = connection
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(fail)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(SqliteLogError::Corrupt {
                path: self.path.clone(),
                detail: format!("the file cannot be put in WAL mode (it is in {mode} mode)"),
            });
        }
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(fail)?;
        Ok(())
    }

    fn check_identity(&self) -> Result<(), SqliteLogError> {
        let application_id: i32 = self
            .connection
            .pragma_query_value(None, "application_id", |row| row.get(0))
            .map_err(self.fail())?;
        if application_id != APPLICATION_ID {
            return Err(SqliteLogError::NotALog {
                path: self.path.clone(),
            });
        }
        let format: i32 = self
            .connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(self.fail())?;
        if format != FORMAT {
            return Err(SqliteLogError::UnsupportedFormat {
                path: self.path.clone(),
                found: format,
                supported: FORMAT,
            });
        }
        Ok(())
    }

    fn check_pages(&self) -> Result<(), SqliteLogError> {
        let mut statement = self
            .connection
            .prepare("PRAGMA quick_check(10)")
            .map_err(self.fail())?;
        let problems = statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(self.fail())?
            .collect::<Result<Vec<String>, _>>()
            .map_err(self.fail())?;
        if problems.len() == 1 && problems.first().is_some_and(|line| line == "ok") {
            return Ok(());
        }
        Err(SqliteLogError::Corrupt {
            path: self.path.clone(),
            detail: problems.join("; "),
        })
    }

    /// The recorded head, checked against the newest change and snapshot.
    fn check_head(&self) -> Result<Revision, SqliteLogError> {
        let connection = &self.connection;
        let head = read_head(&self.path, connection)?;
        let newest = |table: &str| -> Result<Option<Revision>, SqliteLogError> {
            let value: Option<i64> = connection
                .query_row(&format!("SELECT max(revision) FROM {table}"), [], |row| {
                    row.get(0)
                })
                .map_err(self.fail())?;
            value.map(|value| revision(&self.path, value)).transpose()
        };
        let snapshot = newest("snapshots")?.ok_or_else(|| SqliteLogError::NoSnapshot {
            path: self.path.clone(),
        })?;
        if snapshot > head {
            return Err(SqliteLogError::SnapshotAhead {
                path: self.path.clone(),
                snapshot,
                head,
            });
        }
        let held = newest("changes")?.map_or(snapshot, |change| change.max(snapshot));
        if held < head {
            return Err(SqliteLogError::Truncated {
                path: self.path.clone(),
                head,
                newest: held,
            });
        }
        if held > head {
            return Err(SqliteLogError::Corrupt {
                path: self.path.clone(),
                detail: format!("a change of {held} is stored past the recorded head, {head}"),
            });
        }
        Ok(head)
    }
}

impl ChangeLog for SqliteLog {
    type Error = SqliteLogError;

    fn append(&mut self, revision: Revision, change: &Change) -> Result<(), SqliteLogError> {
        let text = serde_json::to_string(change).map_err(unwritable(&self.path))?;
        let key = stored(&self.path, revision)?;
        let path = self.path.clone();
        let fail = |error| sqlite_error(&path, error);
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        // The head is read inside the transaction, not taken from
        // `self.head`: another writer may have moved it.
        let head = read_head(&self.path, &transaction)?;
        if revision.get() != head.get().saturating_add(1) {
            return Err(SqliteLogError::NotNext {
                path: self.path.clone(),
                revision,
                head,
            });
        }
        transaction
            .execute(
                "INSERT INTO changes (revision, change, checksum) VALUES (?1, ?2, ?3)",
                params![key, text, checksum(revision, &text)],
            )
            .map_err(|error| match error.sqlite_error_code() {
                // A row past the head: `open` refuses such a file, so
                // someone wrote it since.
                Some(ErrorCode::ConstraintViolation) => SqliteLogError::Corrupt {
                    path: self.path.clone(),
                    detail: format!(
                        "a change of {revision} is stored past the recorded head, {head}"
                    ),
                },
                _ => sqlite_error(&self.path, error),
            })?;
        transaction
            .execute("UPDATE head SET revision = ?1 WHERE id = 0", [key])
            .map_err(fail)?;
        transaction.commit().map_err(fail)?;
        self.head = revision;
        Ok(())
    }

    fn changes_after(
        &self,
        after: Revision,
        limit: usize,
    ) -> Result<Vec<(Revision, Change)>, SqliteLogError> {
        let after = stored(&self.path, after)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT revision, change, checksum FROM changes
                 WHERE revision > ?1 ORDER BY revision LIMIT ?2",
            )
            .map_err(self.fail())?;
        let mut rows = statement
            .query(params![after, limit])
            .map_err(self.fail())?;
        let mut changes = Vec::new();
        while let Some(row) = rows.next().map_err(self.fail())? {
            let revision = revision(&self.path, row.get(0).map_err(self.fail())?)?;
            let which = Row::Change(revision);
            let text = checked_text(&self.path, which, row)?;
            let change = serde_json::from_slice(text).map_err(unreadable(&self.path, which))?;
            changes.push((revision, change));
        }
        Ok(changes)
    }

    fn store_snapshot(&mut self, snapshot: &PolicyDocument) -> Result<(), SqliteLogError> {
        let revision = Revision::new(snapshot.revision);
        let text = serde_json::to_string(snapshot).map_err(unwritable(&self.path))?;
        let key = stored(&self.path, revision)?;
        let path = self.path.clone();
        let fail = |error| sqlite_error(&path, error);
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let head = read_head(&self.path, &transaction)?;
        if revision > head {
            return Err(SqliteLogError::SnapshotAhead {
                path: self.path.clone(),
                snapshot: revision,
                head,
            });
        }
        // A policy at a revision of its log is the same policy whenever
        // it is snapshot: a second snapshot of a revision is the first.
        transaction
            .execute(
                "INSERT OR IGNORE INTO snapshots (revision, document, checksum) VALUES (?1, ?2, ?3)",
                params![key, text, checksum(revision, &text)],
            )
            .map_err(fail)?;
        transaction.commit().map_err(fail)?;
        Ok(())
    }

    fn newest_snapshot(&self) -> Result<Option<PolicyDocument>, SqliteLogError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT revision, document, checksum FROM snapshots ORDER BY revision DESC LIMIT 1",
            )
            .map_err(self.fail())?;
        let mut rows = statement.query([]).map_err(self.fail())?;
        let Some(row) = rows.next().map_err(self.fail())? else {
            return Ok(None);
        };
        let revision = revision(&self.path, row.get(0).map_err(self.fail())?)?;
        let which = Row::Snapshot(revision);
        let text = checked_text(&self.path, which, row)?;
        let document: PolicyDocument =
            serde_json::from_slice(text).map_err(unreadable(&self.path, which))?;
        if document.revision != revision.get() {
            return Err(SqliteLogError::Corrupt {
                path: self.path.clone(),
                detail: format!(
                    "the snapshot stored at {revision} holds revision {}",
                    document.revision
                ),
            });
        }
        Ok(Some(document))
    }
}

/// Reads a row's text (column 1) and checksum (column 2), and checks one
/// against the other.
fn checked_text<'row>(
    path: &Path,
    which: Row,
    row: &'row rusqlite::Row<'_>,
) -> Result<&'row [u8], SqliteLogError> {
    let fail = |error| sqlite_error(path, error);
    // Bytes, not `String`: a flipped byte may leave invalid UTF-8, which
    // is a checksum mismatch like any other.
    let text = row.get_ref(1).map_err(fail)?;
    let text = match text {
        rusqlite::types::ValueRef::Text(bytes) | rusqlite::types::ValueRef::Blob(bytes) => bytes,
        _ => {
            return Err(SqliteLogError::Checksum {
                path: path.to_path_buf(),
                row: which,
            })
        }
    };
    let stored: i64 = row.get(2).map_err(fail)?;
    if u32::try_from(stored).ok() != Some(row_checksum(which.revision().get(), text)) {
        return Err(SqliteLogError::Checksum {
            path: path.to_path_buf(),
            row: which,
        });
    }
    Ok(text)
}

fn unreadable(path: &Path, row: Row) -> impl FnOnce(serde_json::Error) -> SqliteLogError + '_ {
    move |error| SqliteLogError::Unreadable {
        path: path.to_path_buf(),
        row,
        error,
    }
}

fn read_head(path: &Path, connection: &Connection) -> Result<Revision, SqliteLogError> {
    let head: Option<i64> = connection
        .query_row("SELECT revision FROM head WHERE id = 0", [], |row| {
            row.get(0)
        })
        .optional()
        .map_err(|error| sqlite_error(path, error))?;
    let head = head.ok_or_else(|| SqliteLogError::Corrupt {
        path: path.to_path_buf(),
        detail: "the head is missing".into(),
    })?;
    revision(path, head)
}

fn checksum(revision: Revision, text: &str) -> i64 {
    i64::from(row_checksum(revision.get(), text.as_bytes()))
}

fn unwritable(path: &Path) -> impl FnOnce(serde_json::Error) -> SqliteLogError + '_ {
    move |error| SqliteLogError::Encode {
        path: path.to_path_buf(),
        error,
    }
}

/// A revision as SQLite stores it (a signed 64-bit integer).
fn stored(path: &Path, revision: Revision) -> Result<i64, SqliteLogError> {
    i64::try_from(revision.get()).map_err(|_| SqliteLogError::RevisionTooLarge {
        path: path.to_path_buf(),
        revision,
    })
}

/// A revision as SQLite returned it: never negative in a sound file.
fn revision(path: &Path, value: i64) -> Result<Revision, SqliteLogError> {
    u64::try_from(value)
        .map(Revision::new)
        .map_err(|_| SqliteLogError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("a negative revision, {value}"),
        })
}

fn sqlite_error(path: &Path, error: rusqlite::Error) -> SqliteLogError {
    let path = path.to_path_buf();
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => SqliteLogError::NotADatabase { path },
        Some(ErrorCode::DatabaseCorrupt) => SqliteLogError::Corrupt {
            path,
            detail: error.to_string(),
        },
        _ => SqliteLogError::Sqlite { path, error },
    }
}

/// A row of the log, as errors name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Row {
    /// The change of this revision.
    Change(Revision),
    /// The snapshot at this revision.
    Snapshot(Revision),
}

impl Row {
    /// The row's revision.
    #[must_use]
    pub fn revision(self) -> Revision {
        match self {
            Row::Change(revision) | Row::Snapshot(revision) => revision,
        }
    }
}

impl fmt::Display for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Row::Change(revision) => write!(f, "the change of {revision}"),
            Row::Snapshot(revision) => write!(f, "the snapshot at {revision}"),
        }
    }
}

/// Why a [`SqliteLog`] operation failed. Each names the file, and the row
/// or revision where there is one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SqliteLogError {
    /// [`SqliteLog::open`]: nothing is at the path.
    #[error("{path}: no change log here; create one with SqliteLog::create")]
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// [`SqliteLog::create`]: something is at the path already.
    #[error("{path}: a file is here already; open it, or create the log elsewhere")]
    AlreadyExists {
        /// The file.
        path: PathBuf,
    },
    /// SQLite does not read the file as a database ("file is not a
    /// database"): another kind of file, or one whose header was damaged.
    #[error("{path}: not a database (another kind of file, or its header is damaged)")]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// SQLite finds the file malformed, or [`SqliteLog::open`]'s checks
    /// find the tables inconsistent: a truncated or damaged file.
    #[error("{path}: the change log is damaged: {detail}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What SQLite or the check reported.
        detail: String,
    },
    /// A SQLite database, but not a change log: an empty file (as a
    /// [`SqliteLog::create`] interrupted by a crash leaves), or another
    /// program's database.
    #[error("{path}: not a clearance change log (an empty file, or another program's database)")]
    NotALog {
        /// The file.
        path: PathBuf,
    },
    /// A change log in a format this version does not read.
    #[error("{path}: change log format {found}; this version reads format {supported}")]
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
        /// The file's format.
        found: i32,
        /// The format this version reads.
        supported: i32,
    },
    /// The log holds no snapshot: [`recover`](crate::recover) would have
    /// nothing to start from.
    #[error("{path}: the change log holds no snapshot")]
    NoSnapshot {
        /// The file.
        path: PathBuf,
    },
    /// A row's checksum does not match its text: the file was damaged.
    #[error("{path}: {row} does not match its checksum (the file was damaged)")]
    Checksum {
        /// The file.
        path: PathBuf,
        /// The row.
        row: Row,
    },
    /// A row matches its checksum but does not parse: written by a newer
    /// version of clearance, or by hand.
    #[error("{path}: {row} does not parse: {error}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The row.
        row: Row,
        /// What the parser said.
        error: serde_json::Error,
    },
    /// [`append`](ChangeLog::append): the revision is not the one after
    /// the head (a duplicate, out of order, or a hole); nothing was written.
    #[error("{path}: cannot append {revision}: the log's head is {head}, so only the revision after it may come next")]
    NotNext {
        /// The file.
        path: PathBuf,
        /// The revision refused.
        revision: Revision,
        /// The log's head.
        head: Revision,
    },
    /// A snapshot past the head: [`store_snapshot`](ChangeLog::store_snapshot)
    /// refuses one, [`SqliteLog::open`] refuses a file that holds one.
    #[error("{path}: the snapshot at {snapshot} is newer than the log's head, {head}")]
    SnapshotAhead {
        /// The file.
        path: PathBuf,
        /// The snapshot's revision.
        snapshot: Revision,
        /// The log's head.
        head: Revision,
    },
    /// [`SqliteLog::open`]: the log recorded changes up to its head but
    /// holds fewer: changes were lost.
    #[error("{path}: the log's head is {head} but it holds changes only up to {newest}: changes were lost")]
    Truncated {
        /// The file.
        path: PathBuf,
        /// The recorded head.
        head: Revision,
        /// The newest revision it holds.
        newest: Revision,
    },
    /// A revision beyond what SQLite stores (2^63 - 1).
    #[error("{path}: {revision} is beyond what the log stores")]
    RevisionTooLarge {
        /// The file.
        path: PathBuf,
        /// The revision.
        revision: Revision,
    },
    /// A change or snapshot could not be written as JSON.
    #[error("{path}: cannot encode a row: {error}")]
    Encode {
        /// The file.
        path: PathBuf,
        /// What the encoder said.
        error: serde_json::Error,
    },
    /// The file system refused.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        error: std::io::Error,
    },
    /// SQLite failed otherwise (I/O, a full disk, a lock held too long).
    #[error("{path}: {error}")]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        error: rusqlite::Error,
    },
}
