//! Each route answers as the policy decides, over real HTTP: allowed, 401
//! for unknown callers, 404 for what the caller may not know exists
//! (another tenant's, or what he may not even view), 403 with the policy's
//! code for what he may view but not do, an API key held to its scope.

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
    // ... and nothing in billing, which he may not even view: to him it
    // does not exist.
    (
        As::User("bo@acme.test"),
        "GET",
        "/flows/invoices",
        404,
        "unknown_resource",
    ),
    (
        As::User("bo@acme.test"),
        "POST",
        "/flows/invoices/run",
        404,
        "unknown_resource",
    ),
    // He may view his folder, not manage its members: told why.
    (
        As::User("bo@acme.test"),
        "POST",
        "/admin/reports/grants",
        403,
        "role_lacks",
    ),
    // Cy holds nothing.
    (
        As::User("cy@acme.test"),
        "GET",
        "/flows/nightly-report",
        404,
        "unknown_resource",
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

#[tokio::test]
async fn what_the_caller_may_not_even_view_is_answered_exactly_as_what_does_not_exist() {
    let addr = serve(common::routes(common::clearance())).await;
    // (who, a resource of his tenant he may not view, a made-up one)
    let cases = [
        (
            As::User("cy@acme.test"),
            "GET",
            "/flows/nightly-report",
            "/flows/no-such-flow",
        ),
        (
            As::User("bo@acme.test"),
            "GET",
            "/flows/invoices",
            "/flows/no-such-flow",
        ),
        (
            As::User("bo@acme.test"),
            "POST",
            "/flows/invoices/run",
            "/flows/no-such-flow/run",
        ),
    ];
    for (who, method, hidden, made_up) in cases {
        let hidden_reply = common::try_send(addr, who, method, hidden, &[], None)
            .await
            .unwrap();
        let made_up_reply = common::try_send(addr, who, method, made_up, &[], None)
            .await
            .unwrap();
        assert_eq!(hidden_reply.status, 404, "{who:?} {method} {hidden}");
        assert_eq!(
            hidden_reply, made_up_reply,
            "{who:?} {method} {hidden}: status, revision header and body are identical"
        );
    }
}

#[tokio::test]
async fn what_the_caller_may_view_but_not_do_is_a_403_with_the_reason() {
    let addr = serve(common::routes(common::clearance())).await;
    // Ada's read-only key views the flow (200), and may not run it: the
    // flow exists for it, so it is told why.
    let key = As::Key("ada-readonly");
    assert_eq!(get_as(addr, key, "/flows/invoices").await.status, 200);
    let reply = common::try_send(addr, key, "POST", "/flows/invoices/run", &[], None)
        .await
        .unwrap();
    assert_eq!((reply.status, reply.code().as_str()), (403, "key_lacks"));
}

#[tokio::test]
async fn a_refusal_about_the_caller_himself_is_not_hidden_as_a_missing_resource() {
    let clearance = common::clearance();
    clearance
        .live()
        .apply(clearance::Change::Suspend {
            user: "bo@acme.test".into(),
            by: None,
        })
        .unwrap();
    let addr = serve(common::routes(clearance)).await;
    let bo = As::User("bo@acme.test");
    // Suspended, he is told so about what exists, viewable or not: he
    // needs the reason, and it says nothing about the resource.
    for path in ["/flows/nightly-report", "/flows/invoices"] {
        let reply = get_as(addr, bo, path).await;
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (403, "suspended"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_api_key_grants_only_what_its_scope_holds() {
    let addr = serve(common::routes(common::clearance())).await;
    let grant = |user: &str, role: &str| json!({"user": user, "role": role});
    // `ada-members` may manage members (scope `view | manage_members`), and
    // Ada is admin of acme: it may give what its scope holds ...
    let members = As::Key("ada-members");
    let reply = post_as(
        addr,
        members,
        "/admin/billing/grants",
        grant("cy@acme.test", "viewer"),
    )
    .await;
    assert_eq!(reply.status, 200, "{:?}", reply.json());
    // ... and not a role beyond it (editor runs and edits flows), although
    // Ada herself could give it.
    let reply = post_as(
        addr,
        members,
        "/admin/billing/grants",
        grant("bo@acme.test", "editor"),
    )
    .await;
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (403, "would_escalate"),
        "{:?}",
        reply.json()
    );
    let reply = post_as(
        addr,
        As::User("ada@acme.test"),
        "/admin/billing/grants",
        grant("bo@acme.test", "editor"),
    )
    .await;
    assert_eq!(reply.status, 200, "{:?}", reply.json());
    // A key that may not manage members does not reach the handler.
    let reply = post_as(
        addr,
        As::Key("ada-readonly"),
        "/admin/billing/grants",
        grant("cy@acme.test", "editor"),
    )
    .await;
    assert_eq!((reply.status, reply.code().as_str()), (403, "key_lacks"));
}
