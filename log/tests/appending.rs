//! What the log takes and gives back: one change per revision, in order,
//! never overwritten; snapshots and compaction never change what a start
//! recovers.

#![expect(clippy::panic, reason = "a test helper fails the test by panicking")]

mod common;

use clearance::Revision;
use clearance_log::{recover, ChangeLog, SqliteLog, SqliteLogError};
use common::{assert_same_policy, base_policy, fresh_path, nth_change, policy_after, remove_log};
use proptest::prelude::*;

#[track_caller]
fn assert_not_next(result: Result<(), SqliteLogError>, refused: u64, head: u64) {
    match result {
        Err(SqliteLogError::NotNext {
            revision,
            head: found,
            ..
        }) => {
            assert_eq!(
                (revision, found),
                (Revision::new(refused), Revision::new(head))
            );
        }
        other => panic!("expected NotNext for revision {refused}, got {other:?}"),
    }
}

#[test]
fn append_takes_only_the_revision_after_the_head_and_never_overwrites() {
    let path = fresh_path("append-rules");
    let mut log = SqliteLog::create(&path, &base_policy()).unwrap();
    for index in 0..3 {
        log.append(Revision::new(index + 1), &nth_change(index))
            .unwrap();
    }
    // | appended revision | why it is refused |
    // |---|---|
    // | 3 | a duplicate: revision 3 is there |
    // | 1 | out of order: behind the head |
    // | 5 | a hole: revision 4 would be missing |
    // | 0 | the snapshot's own revision |
    for refused in [3, 1, 5, 0] {
        assert_not_next(
            log.append(Revision::new(refused), &nth_change(5)),
            refused,
            3,
        );
    }
    assert_eq!(log.head(), Revision::new(3));
    drop(log);
    let log = SqliteLog::open(&path).unwrap();
    assert_same_policy(&recover(&log).unwrap(), &policy_after(3));
    drop(log);
    remove_log(&path);
}

#[test]
fn a_log_starts_at_its_first_snapshots_revision() {
    // A policy loaded from a document at revision 42 goes on from there.
    let mut document = base_policy().to_document();
    document.revision = 42;
    let policy = clearance::Policy::from_document(&document).unwrap();
    let path = fresh_path("start-at-42");
    let mut log = SqliteLog::create(&path, &policy).unwrap();
    assert_eq!(log.head(), Revision::new(42));
    assert_not_next(log.append(Revision::new(1), &nth_change(0)), 1, 42);
    log.append(Revision::new(43), &nth_change(0)).unwrap();
    assert_eq!(recover(&log).unwrap().revision(), Revision::new(43));
    drop(log);
    remove_log(&path);
}

#[test]
fn create_refuses_an_existing_file_and_leaves_it_as_it_was() {
    let path = fresh_path("exists");
    std::fs::write(&path, b"someone's data").unwrap();
    let error = SqliteLog::create(&path, &base_policy()).unwrap_err();
    assert!(
        matches!(error, SqliteLogError::AlreadyExists { .. }),
        "{error:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"someone's data");
    remove_log(&path);
}

#[test]
fn a_second_snapshot_of_a_revision_keeps_the_first() {
    let path = fresh_path("snapshot-twice");
    let mut log = SqliteLog::create(&path, &base_policy()).unwrap();
    // Not what a policy at revision 0 of this log holds: kept out.
    let mut other = base_policy();
    other.apply(nth_change(0)).unwrap();
    let mut other = other.to_document();
    other.revision = 0;
    log.store_snapshot(&other).unwrap();
    assert_eq!(
        log.newest_snapshot().unwrap(),
        Some(base_policy().to_document())
    );
    drop(log);
    remove_log(&path);
}

#[test]
fn compaction_drops_the_changes_the_newest_snapshot_holds_and_nothing_after() {
    let path = fresh_path("compact");
    let mut log = SqliteLog::create(&path, &base_policy()).unwrap();
    let mut policy = base_policy();
    for index in 0..10 {
        let revision = policy.apply(nth_change(index)).unwrap();
        log.append(revision, &nth_change(index)).unwrap();
        if revision == Revision::new(6) {
            log.store_snapshot(&policy.to_document()).unwrap();
        }
    }
    assert_eq!(log.compact().unwrap(), 6);
    assert_eq!(log.compact().unwrap(), 0);
    let kept: Vec<u64> = log
        .changes_after(Revision::new(0), 100)
        .unwrap()
        .iter()
        .map(|(revision, _)| revision.get())
        .collect();
    assert_eq!(kept, [7, 8, 9, 10]);
    assert_eq!(log.newest_snapshot().unwrap().unwrap().revision, 6);
    drop(log);
    let log = SqliteLog::open(&path).unwrap();
    assert_same_policy(&recover(&log).unwrap(), &policy);
    drop(log);
    remove_log(&path);
}

#[test]
fn changes_after_reads_in_order_and_at_most_the_limit() {
    let path = fresh_path("read");
    let mut log = SqliteLog::create(&path, &base_policy()).unwrap();
    for index in 0..7 {
        log.append(Revision::new(index + 1), &nth_change(index))
            .unwrap();
    }
    let read = log.changes_after(Revision::new(2), 3).unwrap();
    let expected: Vec<_> = (2..5)
        .map(|index| (Revision::new(index + 1), nth_change(index)))
        .collect();
    assert_eq!(read, expected);
    assert!(log.changes_after(Revision::new(7), 10).unwrap().is_empty());
    drop(log);
    remove_log(&path);
}

/// What a service does between starts.
#[derive(Debug, Clone)]
enum Step {
    /// Apply and log this many changes of the stream.
    Write(u64),
    /// Store a snapshot of the policy.
    Snapshot,
    /// Store a snapshot and compact.
    SnapshotAndCompact,
    /// Close the log and start again from the file.
    Restart,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (1u64..12).prop_map(Step::Write),
        1 => Just(Step::Snapshot),
        1 => Just(Step::SnapshotAndCompact),
        1 => Just(Step::Restart),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever a service does (writes, snapshots, compactions, restarts),
    /// a start recovers the policy it had.
    #[test]
    fn a_start_recovers_the_policy_the_service_had(steps in prop::collection::vec(step(), 1..10)) {
        let path = fresh_path("property");
        let mut policy = base_policy();
        let mut log = SqliteLog::create(&path, &policy).unwrap();
        for step in steps {
            match step {
                Step::Write(count) => {
                    for _ in 0..count {
                        let change = nth_change(policy.revision().get());
                        let revision = policy.apply(change.clone()).unwrap();
                        log.append(revision, &change).unwrap();
                    }
                }
                Step::Snapshot => log.store_snapshot(&policy.to_document()).unwrap(),
                Step::SnapshotAndCompact => {
                    log.store_snapshot(&policy.to_document()).unwrap();
                    log.compact().unwrap();
                }
                Step::Restart => {
                    drop(log);
                    log = SqliteLog::open(&path).unwrap();
                    policy = recover(&log).unwrap();
                }
            }
            prop_assert_eq!(log.head(), policy.revision());
        }
        drop(log);
        let recovered = recover(&SqliteLog::open(&path).unwrap()).unwrap();
        assert_same_policy(&recovered, &policy);
        prop_assert_eq!(&recovered, &policy_after(policy.revision().get()));
        remove_log(&path);
    }
}

#[test]
fn the_log_moves_between_threads_and_its_errors_cross_them() {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync + std::error::Error + 'static>() {}
    send::<SqliteLog>();
    send_sync::<SqliteLogError>();
    send_sync::<clearance_log::RecoverError<SqliteLogError>>();
}
