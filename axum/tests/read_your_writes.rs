//! Read your writes over HTTP: a write answers with the revision it
//! produced, and a request carrying a revision is decided only once the
//! live policy has reached it, or refused within a bound.

mod common;

use std::time::{Duration, Instant};

use clearance::{Change, Condition, Effect, Grantee};
use common::{get_as, post_as, serve, try_send, As};
use serde_json::json;

fn revision_header(revision: u64) -> [(&'static str, String); 1] {
    [("clearance-revision", revision.to_string())]
}

#[tokio::test]
async fn a_grant_through_the_admin_endpoint_is_visible_to_the_next_request() {
    let addr = serve(common::routes(common::clearance())).await;
    let cy = As::User("cy@acme.test");
    // Cy may not view billing: to him it does not exist yet.
    assert_eq!(get_as(addr, cy, "/flows/invoices").await.status, 404);

    let written = post_as(
        addr,
        As::User("ada@acme.test"),
        "/admin/billing/grants",
        json!({"user": "cy@acme.test", "role": "viewer"}),
    )
    .await;
    assert_eq!(written.status, 200);
    assert_eq!(
        written.revision,
        Some(1),
        "the write answers with the revision it produced"
    );
    assert_eq!(written.json(), json!({"revision": 1}));

    let read = get_as(addr, cy, "/flows/invoices").await;
    assert_eq!(read.status, 200);
    assert!(read.revision >= Some(1));
}

#[tokio::test]
async fn a_write_answers_with_its_revision_and_a_read_carrying_it_sees_the_write() {
    let addr = serve(common::routes(common::clearance())).await;
    let bo = As::User("bo@acme.test");
    let created = post_as(
        addr,
        bo,
        "/folders/reports/flows",
        json!({"name": "weekly"}),
    )
    .await;
    assert_eq!(created.status, 200);
    let revision = created.revision.unwrap();
    let read = try_send(
        addr,
        bo,
        "GET",
        "/flows/weekly",
        &revision_header(revision),
        None,
    )
    .await
    .unwrap();
    assert_eq!(read.status, 200);
    assert!(read.revision.unwrap() >= revision);
}

#[tokio::test]
async fn a_request_carrying_a_revision_waits_until_the_live_policy_reaches_it() {
    let clearance = common::clearance();
    let addr = serve(common::routes(clearance.clone())).await;
    // Cy asks at revision 1 while the policy is at 0, where he is denied;
    // the change arrives 100 ms later (from another replica's log, say).
    let read = tokio::spawn(async move {
        try_send(
            addr,
            As::User("cy@acme.test"),
            "GET",
            "/flows/invoices",
            &revision_header(1),
            None,
        )
        .await
        .unwrap()
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    clearance
        .apply(Change::Grant {
            grantee: Grantee::user("cy@acme.test"),
            scope: "billing".into(),
            role: "viewer".into(),
            effect: Effect::Allow,
            when: Condition::Always,
            by: None,
        })
        .unwrap();
    let read = read.await.unwrap();
    assert_eq!(
        read.status,
        200,
        "decided at revision 1, not at 0: {:?}",
        read.json()
    );
    assert!(read.revision >= Some(1));
}

#[tokio::test]
async fn a_revision_never_reached_is_refused_with_503_within_the_bound() {
    let addr = serve(common::routes(common::clearance())).await; // waits at most 500 ms
    let started = Instant::now();
    let reply = try_send(
        addr,
        As::User("bo@acme.test"),
        "GET",
        "/flows/nightly-report",
        &revision_header(99),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (503, "revision_not_reached")
    );
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(500), "waited {waited:?}");
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
}

#[tokio::test]
async fn a_revision_that_is_not_a_number_is_a_bad_request() {
    let addr = serve(common::routes(common::clearance())).await;
    for bad in ["soon", "-1", "1.5", ""] {
        let reply = try_send(
            addr,
            As::User("bo@acme.test"),
            "GET",
            "/flows/nightly-report",
            &[("clearance-revision", bad.to_owned())],
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (400, "invalid_revision"),
            "{bad:?}"
        );
    }
}

#[tokio::test]
async fn a_refused_change_is_answered_with_its_code_and_changes_nothing() {
    let addr = serve(common::routes(common::clearance())).await;
    let bo = As::User("bo@acme.test");
    let first = post_as(
        addr,
        bo,
        "/folders/reports/flows",
        json!({"name": "weekly"}),
    )
    .await;
    let again = post_as(
        addr,
        bo,
        "/folders/reports/flows",
        json!({"name": "weekly"}),
    )
    .await;
    assert_eq!(first.status, 200);
    assert_eq!(again.status, 422, "{:?}", again.json());
    let after = get_as(addr, bo, "/flows/weekly").await;
    assert_eq!(
        after.revision, first.revision,
        "the refused change made no revision"
    );
}

#[tokio::test]
async fn a_wait_as_long_as_a_duration_can_be_still_answers_once_the_revision_lands() {
    // `Duration::MAX` past now is no instant the clock can hold: the wait
    // has no deadline then, rather than a server that panics.
    let clearance = common::clearance().with_max_wait(Duration::MAX);
    let addr = serve(common::routes(clearance.clone())).await;
    let read = tokio::spawn(async move {
        try_send(
            addr,
            As::User("cy@acme.test"),
            "GET",
            "/flows/invoices",
            &revision_header(1),
            None,
        )
        .await
        .unwrap()
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    clearance
        .apply(Change::Grant {
            grantee: Grantee::user("cy@acme.test"),
            scope: "billing".into(),
            role: "viewer".into(),
            effect: Effect::Allow,
            when: Condition::Always,
            by: None,
        })
        .unwrap();
    assert_eq!(read.await.unwrap().status, 200);
}
