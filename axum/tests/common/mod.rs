//! A test service over real HTTP on a loopback port, and a client for it.
#![allow(dead_code, reason = "each test file uses part of it")]
// clippy.toml allows unwrap in `#[test]` functions only; these helpers are
// called from tests and fail them the way `assert!` does.
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers fail the test by panicking"
)]

use std::net::SocketAddr;
use std::time::Duration;

use axum::handler::Handler;
use axum::routing::get;
use axum::Router;
use clearance::{Action, Policy, PolicyDocument};
use clearance_axum::{Clearance, LivePolicy, Resource};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// The time of every request: the tests do not depend on the machine's clock.
pub const NOW: u64 = 1_750_000_000;

/// The example service's model.
pub fn seed() -> Policy {
    let document: PolicyDocument =
        serde_json::from_str(include_str!("../../examples/service.json")).unwrap();
    Policy::from_document(&document).unwrap()
}

/// The example service's own routes and handlers (`examples/service/app.rs`),
/// so that the tests serve what the example serves.
#[path = "../../examples/service/app.rs"]
mod app;

pub use app::credentials;

pub fn clearance() -> Clearance {
    Clearance::new(LivePolicy::new(seed()), credentials)
        .with_clock(|| NOW)
        .with_max_wait(Duration::from_millis(500))
}

/// The example service's routes, plus two that are wrong on purpose.
pub fn routes(clearance: Clearance) -> Router {
    let may = |action, param| clearance.require(action, Resource::param(param));
    let wrong = Router::new()
        .route("/unguarded/{flow}", get(app::run_flow))
        .route(
            "/misnamed/{flow}",
            get(app::run_flow.layer(may(Action::View, "folder"))),
        )
        .with_state(clearance.clone());
    app::routes(clearance).merge(wrong)
}

/// Serves `app` on 127.0.0.1 at a free port.
pub async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// An answer: its status, its revision header, its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub revision: Option<u64>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The `code` of a rejection's body.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }
}

/// Who sends a request.
#[derive(Debug, Clone, Copy)]
pub enum As {
    User(&'static str),
    Key(&'static str),
    Nobody,
}

/// One request, answered or failed (connection refused, reset, ...).
pub async fn try_send(
    addr: SocketAddr,
    who: As,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Option<serde_json::Value>,
) -> Result<Reply, String> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut request = http::Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"));
    request = match who {
        As::User(user) => request.header("x-user", user),
        As::Key(key) => request.header("authorization", format!("Bearer {key}")),
        As::Nobody => request,
    };
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let body = match body {
        Some(json) => {
            request = request.header("content-type", "application/json");
            Bytes::from(json.to_string())
        }
        None => Bytes::new(),
    };
    let response = client
        .request(request.body(Full::new(body)).unwrap())
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let revision = response
        .headers()
        .get("clearance-revision")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes()
        .to_vec();
    Ok(Reply {
        status,
        revision,
        body,
    })
}

pub async fn get_as(addr: SocketAddr, who: As, path: &str) -> Reply {
    try_send(addr, who, "GET", path, &[], None).await.unwrap()
}

pub async fn post_as(addr: SocketAddr, who: As, path: &str, body: serde_json::Value) -> Reply {
    try_send(addr, who, "POST", path, &[], Some(body))
        .await
        .unwrap()
}
