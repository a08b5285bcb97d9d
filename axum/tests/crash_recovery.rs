//! Changes survive a crash, driven through HTTP: the example service takes
//! a stream of writes, is killed with SIGKILL in the middle of it, and
//! restarts on the same log with every acknowledged write, at the revision
//! it had, deciding as a service that never crashed. A damaged log stops
//! the start with an error, never a smaller policy.
//!
//! Runs the example binary (`cargo test` builds it with the tests).
//! TODO(issue 14 §3): the example logs through the stand-in
//! `clearance_axum::shim::FileLog` until `clearance_log::SqliteLog` lands;
//! this test does not change then, except for the damaged log's text below.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "the helpers that start the service fail the test by panicking"
)]

mod common;

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clearance::{Action, Change, ResourceKind, Subject};
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

/// A log path of this test's own.
fn log_path(name: &str) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("clearance-axum-{name}-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
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
    let _ = std::fs::remove_file(&log);
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

    // A torn last record, as a disk might leave it.
    let mut file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    file.write_all(br#"{"revision":2,"change":{"AddRes"#)
        .unwrap();
    drop(file);

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
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("change log"),
        "the error names the log: {stderr}"
    );
    let _ = std::fs::remove_file(&log);
}
