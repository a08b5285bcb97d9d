//! A damaged or truncated log is a clear error at start, naming what is
//! wrong and where, never a policy with less in it. Each test damages a
//! real file the way disks, people and other programs do.

// Helpers below `#[test]` functions fail the test the way `assert!` does.
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers fail the test by panicking"
)]

mod common;

use std::path::{Path, PathBuf};

use clearance::{DocumentError, Revision};
use clearance_log::{recover, ChangeLog, RecoverError, Row, SqliteLog, SqliteLogError};
use common::{
    base_policy, fresh_path, nth_change, policy_after, raw_sql, remove_log, row_checksum,
};

/// A closed log at a fresh path holding the first `count` changes of the
/// stream after the base policy's snapshot.
fn log_with(name: &str, count: u64) -> PathBuf {
    let path = fresh_path(name);
    let mut policy = base_policy();
    let mut log = SqliteLog::create(&path, &policy).unwrap();
    for index in 0..count {
        let change = nth_change(index);
        let revision = policy.apply(change.clone()).unwrap();
        log.append(revision, &change).unwrap();
    }
    path
}

/// Opens and recovers, as a service starts.
fn start(path: &Path) -> Result<clearance::Policy, String> {
    let log = SqliteLog::open(path).map_err(|error| format!("open: {error:?}"))?;
    recover(&log).map_err(|error| format!("recover: {error:?}"))
}

fn open_error(path: &Path) -> SqliteLogError {
    SqliteLog::open(path).unwrap_err()
}

fn recover_error(path: &Path) -> RecoverError<SqliteLogError> {
    recover(&SqliteLog::open(path).unwrap()).unwrap_err()
}

/// Flips one bit in the middle of every occurrence of `needle` in the
/// file (the log is closed, so every row is in the main file; a page split
/// may leave a stale copy of a row in free space, which is flipped too).
fn flip_bit_within(path: &Path, needle: &[u8]) {
    let mut bytes = std::fs::read(path).unwrap();
    let starts: Vec<usize> = bytes
        .windows(needle.len())
        .enumerate()
        .filter(|(_, window)| *window == needle)
        .map(|(start, _)| start)
        .collect();
    assert!(!starts.is_empty(), "the row's text is in the file");
    for start in starts {
        bytes[start + needle.len() / 2] ^= 0x02;
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_sound_log_recovers_the_policy_that_wrote_it() {
    let path = log_with("sound", 50);
    common::assert_same_policy(&start(&path).unwrap(), &policy_after(50));
    remove_log(&path);
}

#[test]
fn no_file_is_missing_and_nothing_is_created() {
    let path = fresh_path("missing");
    assert!(matches!(open_error(&path), SqliteLogError::Missing { .. }));
    assert!(!path.exists());
}

#[test]
fn an_empty_file_is_not_a_log() {
    // What a `create` cut short by a crash leaves.
    let path = fresh_path("empty");
    std::fs::write(&path, b"").unwrap();
    let error = open_error(&path);
    assert!(matches!(error, SqliteLogError::NotALog { .. }), "{error:?}");
    remove_log(&path);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_as_such() {
    let path = fresh_path("text");
    std::fs::write(&path, "revision,change\n".repeat(400)).unwrap();
    let error = open_error(&path);
    assert!(
        matches!(error, SqliteLogError::NotADatabase { .. }),
        "{error:?}"
    );
    remove_log(&path);
}

#[test]
fn another_programs_database_is_not_a_log_and_is_left_as_it_was() {
    let path = fresh_path("foreign");
    raw_sql(
        &path,
        "CREATE TABLE orders (id INTEGER PRIMARY KEY); INSERT INTO orders VALUES (1);",
    );
    let before = std::fs::read(&path).unwrap();
    let error = open_error(&path);
    assert!(matches!(error, SqliteLogError::NotALog { .. }), "{error:?}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "not even switched to WAL mode"
    );
    remove_log(&path);
}

#[test]
fn a_truncated_file_is_corrupt() {
    // Enough changes for many pages, then the file cut at a page boundary
    // and in the middle of a page.
    for (name, keep) in [("truncated-pages", 0.5), ("truncated-torn", 0.71)] {
        let path = log_with(name, 200);
        let length = std::fs::metadata(&path).unwrap().len();
        let cut = (length as f64 * keep) as u64;
        let cut = if name == "truncated-pages" {
            cut / 4096 * 4096
        } else {
            cut
        };
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(cut)
            .unwrap();
        let error = open_error(&path);
        assert!(
            matches!(error, SqliteLogError::Corrupt { .. }),
            "{name}: {error:?}"
        );
        remove_log(&path);
    }
}

#[test]
fn a_damaged_page_is_corrupt() {
    // Every page after the first starts with its kind; 0xFF is none.
    let path = log_with("damaged-page", 200);
    let mut bytes = std::fs::read(&path).unwrap();
    let pages = bytes.len() / 4096;
    for page in 1..pages {
        bytes[page * 4096] = 0xFF;
    }
    std::fs::write(&path, bytes).unwrap();
    let error = open_error(&path);
    assert!(matches!(error, SqliteLogError::Corrupt { .. }), "{error:?}");
    remove_log(&path);
}

#[test]
fn a_file_cut_inside_its_header_is_corrupt() {
    let path = log_with("truncated-header", 10);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(60)
        .unwrap();
    let error = open_error(&path);
    assert!(matches!(error, SqliteLogError::Corrupt { .. }), "{error:?}");
    remove_log(&path);
}

#[test]
fn a_flipped_byte_in_a_change_is_a_checksum_error_naming_its_revision() {
    let path = log_with("flipped-change", 60);
    // The 43rd change (revision 43) adds team-7.
    let text = serde_json::to_string(&nth_change(42)).unwrap();
    flip_bit_within(&path, text.as_bytes());
    let error = recover_error(&path);
    assert!(
        matches!(
            &error,
            RecoverError::Log(SqliteLogError::Checksum { row: Row::Change(revision), .. })
                if *revision == Revision::new(43)
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("the change of revision 43"),
        "{error}"
    );
    remove_log(&path);
}

#[test]
fn a_flipped_byte_in_the_snapshot_is_a_checksum_error_naming_it() {
    let path = log_with("flipped-snapshot", 5);
    let text = serde_json::to_string(&base_policy().to_document()).unwrap();
    flip_bit_within(&path, text.as_bytes());
    let error = recover_error(&path);
    assert!(
        matches!(
            &error,
            RecoverError::Log(SqliteLogError::Checksum { row: Row::Snapshot(revision), .. })
                if *revision == Revision::new(0)
        ),
        "{error:?}"
    );
    remove_log(&path);
}

#[test]
fn rows_swapped_between_revisions_fail_their_checksums() {
    // The checksum covers the revision: a row under another revision is
    // damaged even though its text is intact.
    let path = log_with("swapped", 10);
    raw_sql(
        &path,
        "UPDATE changes SET revision = -1 WHERE revision = 3;
         UPDATE changes SET revision = 3 WHERE revision = 4;
         UPDATE changes SET revision = 4 WHERE revision = -1;",
    );
    let error = recover_error(&path);
    assert!(
        matches!(
            &error,
            RecoverError::Log(SqliteLogError::Checksum { row: Row::Change(revision), .. })
                if *revision == Revision::new(3)
        ),
        "{error:?}"
    );
    remove_log(&path);
}

#[test]
fn a_deleted_middle_change_is_a_gap_naming_the_missing_revision() {
    let path = log_with("gap", 20);
    raw_sql(&path, "DELETE FROM changes WHERE revision = 7;");
    let error = recover_error(&path);
    assert!(
        matches!(error, RecoverError::Gap { expected, found }
            if expected == Revision::new(7) && found == Revision::new(8)),
        "{error:?}"
    );
    remove_log(&path);
}

#[test]
fn deleted_newest_changes_are_a_truncation_naming_the_head() {
    let path = log_with("tail", 20);
    raw_sql(&path, "DELETE FROM changes WHERE revision > 12;");
    let error = open_error(&path);
    assert!(
        matches!(error, SqliteLogError::Truncated { head, newest, .. }
            if head == Revision::new(20) && newest == Revision::new(12)),
        "{error:?}"
    );
    remove_log(&path);
}

#[test]
fn a_deleted_head_is_corrupt() {
    let path = log_with("no-head", 3);
    raw_sql(&path, "DELETE FROM head;");
    let error = open_error(&path);
    assert!(matches!(error, SqliteLogError::Corrupt { .. }), "{error:?}");
    remove_log(&path);
}

#[test]
fn a_snapshot_newer_than_the_head_is_refused_at_open() {
    let path = log_with("snapshot-ahead", 3);
    let mut document = base_policy().to_document();
    document.revision = 9;
    let text = serde_json::to_string(&document).unwrap();
    let checksum = row_checksum(9, text.as_bytes());
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute(
            "INSERT INTO snapshots VALUES (9, ?1, ?2)",
            rusqlite::params![text, checksum],
        )
        .unwrap();
    drop(connection);
    let error = open_error(&path);
    assert!(
        matches!(error, SqliteLogError::SnapshotAhead { snapshot, head, .. }
            if snapshot == Revision::new(9) && head == Revision::new(3)),
        "{error:?}"
    );
    remove_log(&path);
}

#[test]
fn store_snapshot_refuses_a_snapshot_newer_than_the_head() {
    let path = log_with("store-ahead", 3);
    let mut log = SqliteLog::open(&path).unwrap();
    let error = log
        .store_snapshot(&policy_after(5).to_document())
        .unwrap_err();
    assert!(
        matches!(error, SqliteLogError::SnapshotAhead { snapshot, head, .. }
            if snapshot == Revision::new(5) && head == Revision::new(3)),
        "{error:?}"
    );
    drop(log);
    common::assert_same_policy(&start(&path).unwrap(), &policy_after(3));
    remove_log(&path);
}

#[test]
fn a_row_that_does_not_parse_is_unreadable_naming_its_revision() {
    // As a newer version's change would be: a sound row of an unknown kind.
    let path = log_with("unreadable", 5);
    let text = r#"{"AddGizmo":{"name":"g"}}"#;
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute(
            "UPDATE changes SET change = ?1, checksum = ?2 WHERE revision = 3",
            rusqlite::params![text, row_checksum(3, text.as_bytes())],
        )
        .unwrap();
    drop(connection);
    let error = recover_error(&path);
    assert!(
        matches!(
            &error,
            RecoverError::Log(SqliteLogError::Unreadable { row: Row::Change(revision), .. })
                if *revision == Revision::new(3)
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("the change of revision 3 does not parse"),
        "{error}"
    );
    remove_log(&path);
}

#[test]
fn a_change_that_does_not_apply_is_a_replay_error_naming_its_revision() {
    // The log takes what it is given; a change no policy would have taken
    // (the same team twice) is found at replay.
    let path = fresh_path("replay");
    let mut log = SqliteLog::create(&path, &base_policy()).unwrap();
    log.append(Revision::new(1), &nth_change(0)).unwrap();
    log.append(Revision::new(2), &nth_change(0)).unwrap();
    let error = recover(&log).unwrap_err();
    assert!(
        matches!(error, RecoverError::Replay { revision, .. } if revision == Revision::new(2)),
        "{error:?}"
    );
    drop(log);
    remove_log(&path);
}

#[test]
fn a_snapshot_that_does_not_load_is_refused_naming_its_revision() {
    let path = log_with("bad-snapshot", 3);
    let mut document = policy_after(3).to_document();
    document.version = 2;
    let text = serde_json::to_string(&document).unwrap();
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute(
            "INSERT INTO snapshots VALUES (3, ?1, ?2)",
            rusqlite::params![text, row_checksum(3, text.as_bytes())],
        )
        .unwrap();
    drop(connection);
    let error = recover_error(&path);
    assert!(
        matches!(
            error,
            RecoverError::Snapshot { revision, error: DocumentError::UnsupportedVersion { .. } }
                if revision == Revision::new(3)
        ),
        "{error:?}"
    );
    remove_log(&path);
}
