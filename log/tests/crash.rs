//! Acknowledged changes survive a crash: a child process applies a stream
//! of changes and acknowledges each only once the log has it; the test
//! kills it with SIGKILL (no clean shutdown, no destructor runs) at a
//! random point, restarts from the file, and checks that every acknowledged
//! change is there and that the policy decides as one that never crashed.

#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use clearance_log::{recover, ChangeLog, SqliteLog};
use common::{assert_same_policy, base_policy, fresh_path, nth_change, policy_after, remove_log};

/// Set to the log's path in the child, which then writes.
const CHILD: &str = "CLEARANCE_LOG_CRASH_CHILD";

/// The child snapshots and compacts every this many revisions, so kills
/// land in those too.
const SNAPSHOT_EVERY: u64 = 53;

/// Not a test of its own: the writer the crash test runs in a child
/// process (this test binary, run again with [`CHILD`] set). Returns at
/// once in an ordinary run.
#[test]
fn child_writer() {
    let Ok(path) = std::env::var(CHILD) else {
        return;
    };
    let mut log = SqliteLog::open(&path).unwrap();
    let mut policy = recover(&log).unwrap();
    // Written directly, not through `println!`, which the test harness
    // may capture.
    let mut out = std::io::stdout().lock();
    // The stream goes on where the log ends: the i-th change makes
    // revision i + 1.
    for index in policy.revision().get()..100_000 {
        let change = nth_change(index);
        // Validate (whole or nothing), make it durable, then acknowledge.
        let revision = policy.apply(change.clone()).unwrap();
        log.append(revision, &change).unwrap();
        writeln!(out, "ack {}", revision.get()).unwrap();
        out.flush().unwrap();
        if revision.get().is_multiple_of(SNAPSHOT_EVERY) {
            log.store_snapshot(&policy.to_document()).unwrap();
            log.compact().unwrap();
        }
    }
}

/// A small generator, seeded from the clock: each run kills at other points;
/// the seed is in every failure message.
fn next(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *state >> 33
}

#[test]
fn acknowledged_changes_survive_sigkill_and_decisions_match_a_policy_that_never_crashed() {
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut state = seed;
    let path = fresh_path("crash");
    drop(SqliteLog::create(&path, &base_policy()).unwrap());
    let mut acked = 0u64;
    for round in 0..5 {
        let kill_after = 10 + next(&mut state) % 150;
        let context = format!("seed {seed}, round {round}, kill after {kill_after} acks");
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["child_writer", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut acks_this_run = 0;
        let read_ack = |line: String, acked: &mut u64| -> bool {
            // The harness's own lines are not acks; its "test child_writer
            // ... " has no line end, so the first ack follows it.
            let Some((_, revision)) = line.rsplit_once("ack ") else {
                return false;
            };
            let revision: u64 = revision.parse().unwrap();
            assert_eq!(revision, *acked + 1, "acknowledged in order; {context}");
            *acked = revision;
            true
        };
        for line in lines.by_ref() {
            if read_ack(line.unwrap(), &mut acked) {
                acks_this_run += 1;
                if acks_this_run == kill_after {
                    child.kill().unwrap(); // SIGKILL
                    break;
                }
            }
        }
        let status = child.wait().unwrap();
        // Acknowledgements written before the kill, not yet read.
        for line in lines {
            read_ack(line.unwrap(), &mut acked);
        }
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(
            status.signal(),
            Some(9),
            "killed, not ended: {stderr}; {context}"
        );

        let log = SqliteLog::open(&path).unwrap();
        let recovered = recover(&log).unwrap();
        let revision = recovered.revision().get();
        // Every acknowledged change is there, and at most the one change
        // the child was writing when it died besides.
        assert!(
            (acked..=acked + 1).contains(&revision),
            "recovered revision {revision}, acknowledged {acked}; {context}"
        );
        assert_eq!(log.head(), recovered.revision(), "{context}");
        assert_same_policy(&recovered, &policy_after(revision));
        // The next child goes on from what is in the log; it acknowledges
        // from there.
        acked = revision;
    }
    remove_log(&path);
}
