//! The revision header is honoured only for callers the policy knows: an
//! anonymous or unknown caller is answered `401` at once, without the
//! revision; a `503` never states the server's revision; a revision far
//! beyond the server's is refused at once.

mod common;

use std::time::{Duration, Instant};

use clearance::Change;
use common::{serve, try_send, As};

/// `common::clearance()` waits at most this long.
const MAX_WAIT: Duration = Duration::from_millis(500);

fn asking(revision: u64) -> [(&'static str, String); 1] {
    [("clearance-revision", revision.to_string())]
}

#[tokio::test]
async fn a_request_without_credentials_is_answered_401_at_once_whatever_revision_it_asks() {
    let addr = serve(common::routes(common::clearance())).await;
    for revision in [1, u64::MAX] {
        let started = Instant::now();
        let reply = try_send(
            addr,
            As::Nobody,
            "GET",
            "/flows/invoices",
            &asking(revision),
            None,
        )
        .await
        .unwrap();
        assert!(started.elapsed() < MAX_WAIT / 2, "answered without waiting");
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (401, "unauthenticated")
        );
        assert_eq!(reply.revision, None, "a 401 carries no revision");
    }
}

#[tokio::test]
async fn unknown_credentials_are_answered_401_at_once_without_the_revision() {
    let addr = serve(common::routes(common::clearance())).await;
    for (who, headers) in [
        (As::User("nobody@acme.test"), &asking(1)[..]),
        (As::User("nobody@acme.test"), &[][..]),
        (As::Key("no-such-key"), &asking(1)[..]),
    ] {
        let started = Instant::now();
        let reply = try_send(addr, who, "GET", "/flows/invoices", headers, None)
            .await
            .unwrap();
        assert!(
            started.elapsed() < MAX_WAIT / 2,
            "{who:?}: answered without waiting"
        );
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (401, "unknown_credential"),
            "{who:?}"
        );
        assert_eq!(reply.revision, None, "{who:?}: a 401 carries no revision");
    }
}

#[tokio::test]
async fn a_revoked_key_asking_a_revision_is_answered_at_once_without_it() {
    let clearance = common::clearance();
    clearance
        .live()
        .apply(Change::RevokeKey {
            name: "ada-readonly".into(),
        })
        .unwrap();
    let addr = serve(common::routes(clearance)).await;
    let started = Instant::now();
    let reply = try_send(
        addr,
        As::Key("ada-readonly"),
        "GET",
        "/flows/invoices",
        &asking(2),
        None,
    )
    .await
    .unwrap();
    assert!(started.elapsed() < MAX_WAIT / 2, "answered without waiting");
    assert_eq!((reply.status, reply.code().as_str()), (401, "key_revoked"));
    assert_eq!(reply.revision, None);
}

#[tokio::test]
async fn a_revision_not_reached_in_time_is_503_without_the_servers_revision() {
    let addr = serve(common::routes(common::clearance())).await;
    let reply = try_send(
        addr,
        As::User("ada@acme.test"),
        "GET",
        "/flows/invoices",
        &asking(7),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (503, "revision_not_reached")
    );
    let message = reply.json()["message"].as_str().unwrap().to_owned();
    assert!(
        !message.chars().any(|c| c.is_ascii_digit()),
        "the message states no revision: {message:?}"
    );
    assert_eq!(reply.revision, None);
}

#[tokio::test]
async fn a_revision_more_than_a_million_ahead_is_refused_at_once() {
    let addr = serve(common::routes(common::clearance())).await;
    let ada = As::User("ada@acme.test");
    for revision in [1_000_001, u64::MAX] {
        let started = Instant::now();
        let reply = try_send(addr, ada, "GET", "/flows/invoices", &asking(revision), None)
            .await
            .unwrap();
        assert!(
            started.elapsed() < MAX_WAIT / 2,
            "{revision}: answered without waiting"
        );
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (400, "invalid_revision"),
            "{revision}"
        );
    }
    // A million ahead is still waited for (and not reached here).
    let reply = try_send(
        addr,
        ada,
        "GET",
        "/flows/invoices",
        &asking(1_000_000),
        None,
    )
    .await
    .unwrap();
    assert_eq!(reply.status, 503);
}
