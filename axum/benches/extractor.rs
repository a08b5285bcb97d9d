//! What the `require` layer adds to a request: the same route with and
//! without it, in process (`tower::ServiceExt::oneshot`, no socket), on the
//! example service's model.
//!
//! `cargo bench -p clearance-axum --bench extractor`

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark whose setup fails has nothing to measure"
)]

use std::hint::black_box;

use axum::body::Body;
use axum::handler::Handler;
use axum::routing::get;
use axum::Router;
use clearance::{Action, Channel, Policy, PolicyDocument};
use clearance_axum::{header, Authorized, Clearance, Credentials, LivePolicy, Resource};
use criterion::{criterion_group, criterion_main, Criterion};
use http::{HeaderName, Request};

/// Found without parsing its name on each request.
const X_USER: HeaderName = HeaderName::from_static("x-user");
use tower::ServiceExt;

fn clearance() -> Clearance {
    let document: PolicyDocument =
        serde_json::from_str(include_str!("../examples/service.json")).unwrap();
    let policy = Policy::from_document(&document).unwrap();
    Clearance::new(LivePolicy::new(policy), |parts, now| {
        Some(Credentials::user(
            header(parts, &X_USER)?,
            Channel::Web,
            now,
        ))
    })
    .with_clock(|| 1_750_000_000)
}

async fn bare() -> &'static str {
    "ok"
}

async fn guarded(_flow: Authorized) -> &'static str {
    "ok"
}

fn request(user: &str, revision: Option<&str>) -> Request<Body> {
    let mut request = Request::get("/flows/nightly-report").header("x-user", user);
    if let Some(revision) = revision {
        request = request.header("clearance-revision", revision);
    }
    request.body(Body::empty()).unwrap()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let clearance = clearance();
    let without = Router::new().route("/flows/{flow}", get(bare));
    let with = Router::new().route(
        "/flows/{flow}",
        get(guarded.layer(clearance.require(Action::View, Resource::param("flow")))),
    );
    let answer = |router: &Router, request: Request<Body>, status: u16| {
        let response = runtime.block_on(router.clone().oneshot(request)).unwrap();
        assert_eq!(response.status().as_u16(), status);
        black_box(response);
    };

    let mut group = c.benchmark_group("extractor");
    group.bench_function("without", |b| {
        b.iter(|| answer(&without, request(black_box("bo@acme.test"), None), 200))
    });
    group.bench_function("allowed", |b| {
        b.iter(|| answer(&with, request(black_box("bo@acme.test"), None), 200))
    });
    group.bench_function("allowed_at_revision", |b| {
        b.iter(|| answer(&with, request(black_box("bo@acme.test"), Some("0")), 200))
    });
    // Cy may not view the flow: answered as if it did not exist, the
    // dearest denial (the decision, a second one for View, a third for the
    // missing resource's answer).
    group.bench_function("denied", |b| {
        b.iter(|| answer(&with, request(black_box("cy@acme.test"), None), 404))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
