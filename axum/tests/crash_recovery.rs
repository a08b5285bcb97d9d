//! Changes survive a crash, driven through HTTP: the example service takes
//! a stream of writes, is killed with SIGKILL in the middle of it, and
//! restarts on the same log with every acknowledged write, at the revision
//! it had, deciding as a service that never crashed. A damaged log stops
//! the start with an error, never a smaller policy.
//!
//! Runs the example binary (`cargo test` builds it with the tests), which
//! logs to a `clearance_log::SqliteLog` file through
//! `LivePolicy::apply_logged`: a write is published, and answered, only
//! once the log has it.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "the helpers that start the service fail the test by panicking"
)]

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clearance::{Action, Change, ResourceKind, Subject};
use clearance_log::SqliteLog;
use common::{get_as, try_send, As};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The example binary, built by `cargo test` beside the test binaries.
fn example() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let debug = exe.parent().and_then(Path::parent).unwrap();
    let example = debug.join("examples").join("service");
    assert!(
        example.exists(),
        "{} is missing: build it with `cargo build -p clearance-axum --example service`",
        example.display()
    );
    example
}

/// A log path of this test's own, with nothing at it.
fn log_path(name: &str) -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("clearance-axum");
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join(format!("{name}-{}.db", std::process::id()));
    remove_log(&path);
    path
}

/// Removes a SQLite log and its companions (`-wal`, `-shm`).
fn remove_log(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Starts the service on `log`, and the address it listens on.
async fn start(log: &Path) -> (Child, SocketAddr) {
    let mut child = Command::new(example())
        .arg("127.0.0.1:0")
        .arg(log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("the service printed its address within 20 s")
        .unwrap()
        .expect("the service printed its address");
    let addr = line
        .strip_prefix("listening on http://")
        .unwrap()
        .parse()
        .unwrap();
    (child, addr)
}

#[tokio::test]
async fn every_acknowledged_write_survives_sigkill_in_the_middle_of_a_stream() {
    let log = log_path("sigkill");
    let (mut child, addr) = start(&log).await;
    let ada = As::User("ada@acme.test");

    // One writer creates flows one after the other and notes each answer.
    let acknowledged: Arc<Mutex<Vec<(String, u64)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
        tokio::spawn(async move {
            for n in 0..10_000 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let name = format!("flow-{n}");
                let body = json!({"name": name});
                match try_send(addr, ada, "POST", "/folders/reports/flows", &[], Some(body)).await {
                    Ok(reply) if reply.status == 200 => {
                        acknowledged
                            .lock()
                            .unwrap()
                            .push((name, reply.revision.unwrap()));
                    }
                    Ok(reply) => panic!("write {n} refused: {} {:?}", reply.status, reply.json()),
                    Err(_) => break, // the service is gone: not acknowledged
                }
            }
        })
    };
    while acknowledged.lock().unwrap().len() < 40 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    child.start_kill().unwrap(); // SIGKILL, while the writer keeps writing
    child.wait().await.unwrap();
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    let last = acknowledged.last().unwrap().1;

    let (_child, addr) = start(&log).await;

    // Every acknowledged write is there.
    for (flow, revision) in &acknowledged {
        let reply = get_as(addr, ada, &format!("/flows/{flow}")).await;
        assert_eq!(
            reply.status, 200,
            "{flow}, acknowledged at revision {revision}, is lost"
        );
    }
    // The revision is the last acknowledged one, or one more when the
    // write in flight at the kill was logged but not answered.
    let revision = get_as(addr, ada, "/flows/nightly-report")
        .await
        .revision
        .unwrap();
    assert!(
        revision == last || revision == last + 1,
        "restarted at revision {revision}, last acknowledged {last}"
    );

    // Decisions equal those of a policy that never crashed and applied the
    // same writes.
    let mut never_crashed = common::seed();
    for n in 0..revision {
        never_crashed
            .apply(Change::AddResource {
                name: format!("flow-{n}"),
                kind: ResourceKind::Flow,
                parent: Some("reports".into()),
            })
            .unwrap();
    }
    let users = [
        "ada@acme.test",
        "bo@acme.test",
        "cy@acme.test",
        "gil@globex.test",
    ];
    for user in users {
        for n in 0..revision + 2 {
            let flow = format!("flow-{n}");
            let subject = never_crashed
                .user_id(user)
                .map(|id| Subject::user(id, clearance::Channel::Web).at(common::NOW))
                .unwrap();
            let expected = never_crashed.resource_id(&flow).is_some_and(|id| {
                never_crashed
                    .authorize(&subject, Action::View, id)
                    .is_allowed()
            });
            let reply = get_as(addr, As::User(user), &format!("/flows/{flow}")).await;
            assert_eq!(
                reply.status == 200,
                expected,
                "{user} viewing {flow}: {:?}",
                reply.json()
            );
        }
    }
    remove_log(&log);
}

#[tokio::test]
async fn a_damaged_log_stops_the_start_with_an_error_never_a_smaller_policy() {
    let log = log_path("damaged");
    let (mut child, addr) = start(&log).await;
    let bo = As::User("bo@acme.test");
    let reply = try_send(
        addr,
        bo,
        "POST",
        "/folders/reports/flows",
        &[],
        Some(json!({"name": "kept"})),
    )
    .await
    .unwrap();
    assert_eq!(reply.status, 200);
    child.start_kill().unwrap();
    child.wait().await.unwrap();

    // The killed service left its last change in the write-ahead file:
    // open and close the log, as a clean start would, to bring it into the
    // main file. Then damage that change's row, as a disk might.
    drop(SqliteLog::open(&log).unwrap());
    let kept = Change::AddResource {
        name: "kept".into(),
        kind: ResourceKind::Flow,
        parent: Some("reports".into()),
    };
    flip_a_bit_within(&log, serde_json::to_string(&kept).unwrap().as_bytes());

    let output = Command::new(example())
        .arg("127.0.0.1:0")
        .arg(&log)
        .output()
        .await
        .unwrap();
    assert!(
        !output.status.success(),
        "the service started on a damaged log"
    );
    assert!(
        output.stdout.is_empty(),
        "the service never listened: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Checksum") && stderr.contains(&*log.to_string_lossy()),
        "the error names the log and what is wrong with it: {stderr}"
    );
    remove_log(&log);
}

/// Flips one bit in the middle of every copy of `needle` in the file.
fn flip_a_bit_within(path: &Path, needle: &[u8]) {
    let mut bytes = std::fs::read(path).unwrap();
    let starts: Vec<usize> = bytes
        .windows(needle.len())
        .enumerate()
        .filter(|(_, window)| *window == needle)
        .map(|(start, _)| start)
        .collect();
    assert!(!starts.is_empty(), "the change's row is in the file");
    for start in starts {
        if let Some(byte) = bytes.get_mut(start + needle.len() / 2) {
            *byte ^= 0x02;
        }
    }
    std::fs::write(path, bytes).unwrap();
}
