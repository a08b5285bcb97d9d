//! Each route answers as the policy decides, over real HTTP: allowed, 401
//! for unknown callers, 404 for what the caller may not know exists, 403
//! with the policy's code for the rest, an API key held to its scope.

mod common;

use common::{get_as, post_as, serve, As, Reply};
use serde_json::json;

/// `(who, method, path, status, code)`: the code of a rejection's body, or
/// `""` for an answer of the route itself.
const ANSWERS: &[(As, &str, &str, u16, &str)] = &[
    // Bo edits the reports folder: he views and runs its flow.
    (
        As::User("bo@acme.test"),
        "GET",
        "/flows/nightly-report",
        200,
        "",
    ),
    (
        As::User("bo@acme.test"),
        "POST",
        "/flows/nightly-report/run",
        200,
        "",
    ),
    // ... and nothing in billing.
    (
        As::User("bo@acme.test"),
        "GET",
        "/flows/invoices",
        403,
        "not_member",
    ),
    // Cy holds nothing.
    (
        As::User("cy@acme.test"),
        "GET",
        "/flows/nightly-report",
        403,
        "not_member",
    ),
    // Ada, admin of acme, everything in acme.
    (
        As::User("ada@acme.test"),
        "POST",
        "/flows/invoices/run",
        200,
        "",
    ),
    // Ada's read-only key views, but never runs, whatever Ada may do.
    (As::Key("ada-readonly"), "GET", "/flows/invoices", 200, ""),
    (
        As::Key("ada-readonly"),
        "POST",
        "/flows/invoices/run",
        403,
        "key_lacks",
    ),
    // Unknown callers are unauthenticated, whatever they ask for.
    (
        As::User("zed@acme.test"),
        "GET",
        "/flows/nightly-report",
        401,
        "unknown_credential",
    ),
    (
        As::Key("guessed"),
        "GET",
        "/flows/nightly-report",
        401,
        "unknown_credential",
    ),
    (
        As::Nobody,
        "GET",
        "/flows/nightly-report",
        401,
        "unauthenticated",
    ),
    // Another tenant's flow does not exist for Gil, nor does a made-up one.
    (
        As::User("gil@globex.test"),
        "GET",
        "/flows/nightly-report",
        404,
        "unknown_resource",
    ),
    (
        As::User("gil@globex.test"),
        "GET",
        "/flows/no-such-flow",
        404,
        "unknown_resource",
    ),
    (As::User("gil@globex.test"), "GET", "/flows/merger", 200, ""),
];

#[tokio::test]
async fn every_route_answers_as_the_policy_decides() {
    let addr = serve(common::routes(common::clearance())).await;
    let mut wrong = Vec::new();
    for &(who, method, path, status, code) in ANSWERS {
        let reply = common::try_send(addr, who, method, path, &[], None)
            .await
            .unwrap();
        let got_code = if reply.status == 200 {
            String::new()
        } else {
            reply.code()
        };
        if reply.status != status || got_code != code {
            wrong.push(format!(
                "{who:?} {method} {path}: expected {status} {code:?}, got {} {got_code:?}",
                reply.status
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn another_tenants_resource_is_answered_exactly_as_an_unknown_one() {
    let addr = serve(common::routes(common::clearance())).await;
    let gil = As::User("gil@globex.test");
    let theirs = get_as(addr, gil, "/flows/nightly-report").await;
    let nowhere = get_as(addr, gil, "/flows/no-such-flow").await;
    assert_eq!(theirs.status, 404);
    assert_eq!(
        theirs, nowhere,
        "status, revision header and body are identical"
    );
}

#[tokio::test]
async fn a_rejection_body_is_a_code_and_a_message_and_nothing_else() {
    let addr = serve(common::routes(common::clearance())).await;
    let reply = get_as(addr, As::User("cy@acme.test"), "/flows/nightly-report").await;
    let body = reply.json();
    let fields: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(fields, ["code", "message"]);
    assert!(!body["message"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn a_list_shows_only_what_the_caller_may_view() {
    let addr = serve(common::routes(common::clearance())).await;
    let list = |reply: Reply| reply.json();
    assert_eq!(
        list(get_as(addr, As::User("bo@acme.test"), "/flows").await),
        json!(["nightly-report"])
    );
    assert_eq!(
        list(get_as(addr, As::User("ada@acme.test"), "/flows").await),
        json!(["invoices", "nightly-report"])
    );
    assert_eq!(
        list(get_as(addr, As::User("gil@globex.test"), "/flows").await),
        json!(["merger"])
    );
    assert_eq!(get_as(addr, As::Nobody, "/flows").await.status, 401);
}

#[tokio::test]
async fn a_handler_taking_authorized_without_the_layer_never_runs() {
    let addr = serve(common::routes(common::clearance())).await;
    let reply = get_as(addr, As::User("ada@acme.test"), "/unguarded/invoices").await;
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (500, "not_authorized")
    );
}

#[tokio::test]
async fn a_route_naming_a_parameter_it_lacks_is_a_server_error_not_an_allow() {
    let addr = serve(common::routes(common::clearance())).await;
    let reply = get_as(addr, As::User("ada@acme.test"), "/misnamed/invoices").await;
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (500, "route_has_no_resource")
    );
}

#[tokio::test]
async fn an_admin_cannot_grant_what_he_does_not_hold() {
    let addr = serve(common::routes(common::clearance())).await;
    // Bo may not manage members of his folder at all.
    let reply = post_as(
        addr,
        As::User("bo@acme.test"),
        "/admin/reports/grants",
        json!({"user": "cy@acme.test", "role": "viewer"}),
    )
    .await;
    assert_eq!((reply.status, reply.code().as_str()), (403, "role_lacks"));
    // A grant in another tenant is refused as if its scope did not exist.
    let reply = post_as(
        addr,
        As::User("gil@globex.test"),
        "/admin/reports/grants",
        json!({"user": "gil@globex.test", "role": "viewer"}),
    )
    .await;
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (404, "unknown_resource")
    );
}
