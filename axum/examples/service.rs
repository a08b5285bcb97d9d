//! A flow service authorized by `clearance`:
//! `cargo run -p clearance-axum --example service [-- ADDR [LOG]]`.
//!
//! The policy starts from `examples/service.json` (two customers, `acme`
//! and `globex`; users `ada@acme.test` the admin, `bo@acme.test` editor of
//! the `reports` folder, `cy@acme.test` with nothing, `gil@globex.test`;
//! Ada's API keys `ada-readonly`, scoped to viewing, and `ada-members`,
//! scoped to viewing and managing members), lives in a SQLite change log
//! (LOG, by default `clearance-service.db` in the temporary directory,
//! `clearance-log`'s `SqliteLog`), and survives a crash: at start the
//! newest snapshot is loaded and the log replayed after it, and every
//! change is logged before it is published (and acknowledged). It listens
//! on ADDR (by default `127.0.0.1:3000`) and prints the address it got.
//!
//! ```sh
//! curl -H 'x-user: bo@acme.test' localhost:3000/flows
//! curl -H 'x-user: bo@acme.test' localhost:3000/flows/nightly-report
//! curl -H 'x-user: cy@acme.test' localhost:3000/flows/nightly-report     # 404: he may not view it, so it does not exist for him
//! curl -H 'x-user: gil@globex.test' localhost:3000/flows/nightly-report  # 404 unknown_resource, the same answer
//! curl -H 'authorization: Bearer ada-readonly' -X POST localhost:3000/flows/invoices/run  # 403 key_lacks: it may view, not run
//! curl -H 'x-user: ada@acme.test' -H 'content-type: application/json' \
//!      -d '{"user":"cy@acme.test","role":"viewer"}' localhost:3000/admin/billing/grants  # {"revision":1}
//! curl -H 'x-user: cy@acme.test' -H 'clearance-revision: 1' localhost:3000/flows/invoices
//! ```
//!
//! Everything above the line "business logic" is the glue a service writes;
//! the handlers below it are what the service would do anyway.

use std::error::Error;
use std::path::PathBuf;

use axum::extract::{Path, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::routing::{get, post};
use axum::{Json, Router};
use clearance::{
    Action, Change, Channel, Condition, Effect, Grantee, Policy, PolicyDocument, ResourceKind,
};
use clearance_axum::{
    bearer, header, Authorized, Caller, Clearance, Credentials, LivePolicy, Rejection, Resource,
    Written,
};
use clearance_log::{recover, ChangeLog, SqliteLog};
use serde::{Deserialize, Serialize};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (addr, path) = arguments();
    let mut log = if path.exists() {
        SqliteLog::open(&path)?
    } else {
        SqliteLog::create(&path, &seed()?)?
    };
    let live = LivePolicy::new(recover(&log)?);
    let clearance =
        Clearance::new(live, credentials).with_log(move |rev, change| log.append(rev, change));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, routes(clearance)).await?;
    Ok(())
}

/// Who asks: the user your authentication put in `x-user` (a verified
/// session in a real service), or the API key of `Authorization: Bearer`
/// (the token is the key's name here; a real service looks it up).
fn credentials(parts: &Parts, now: u64) -> Option<Credentials<'_>> {
    match header(parts, "x-user") {
        Some(user) => Some(Credentials::user(user, Channel::Web, now)),
        None => Some(Credentials::key(bearer(parts)?, now)),
    }
}

/// Each route declares the action it needs and the path parameter naming
/// its resource.
fn routes(clearance: Clearance) -> Router {
    let may = |action, param| clearance.require(action, Resource::param(param));
    Router::new()
        .route("/flows", get(list_flows))
        .route(
            "/flows/{flow}",
            get(show_flow.layer(may(Action::View, "flow"))),
        )
        .route(
            "/flows/{flow}/run",
            post(run_flow.layer(may(Action::Execute, "flow"))),
        )
        .route(
            "/folders/{folder}/flows",
            post(create_flow.layer(may(Action::Create, "folder"))),
        )
        .route(
            "/admin/{scope}/grants",
            post(grant.layer(may(Action::ManageMembers, "scope"))),
        )
        .with_state(clearance)
}

// ------------------------------------------------------------ business logic

fn arguments() -> (String, PathBuf) {
    let mut arguments = std::env::args().skip(1);
    let addr = arguments
        .next()
        .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let log = arguments.next().map_or_else(
        || std::env::temp_dir().join("clearance-service.db"),
        PathBuf::from,
    );
    (addr, log)
}

/// The model a new service starts from.
fn seed() -> Result<Policy, Box<dyn Error>> {
    let document: PolicyDocument = serde_json::from_str(include_str!("service.json"))?;
    Ok(Policy::from_document(&document)?)
}

/// A flow, as the service shows it.
#[derive(Serialize)]
struct Flow {
    name: String,
    folder: Option<String>,
}

/// The flows the caller may view.
async fn list_flows(State(clearance): State<Clearance>, caller: Caller) -> Json<Vec<String>> {
    let policy = clearance.policy();
    let flows = policy
        .resources()
        .filter(|&flow| policy.resource_kind(flow) == Some(ResourceKind::Flow))
        .filter(|&flow| {
            policy
                .authorize(caller.subject(), Action::View, flow)
                .is_allowed()
        })
        .filter_map(|flow| policy.resource_name(flow).map(str::to_owned));
    Json(flows.collect())
}

async fn show_flow(State(clearance): State<Clearance>, flow: Authorized) -> Json<Flow> {
    let policy = clearance.policy();
    let name = policy.resource_name(flow.resource()).unwrap_or_default();
    let folder = policy
        .parent(flow.resource())
        .and_then(|p| policy.resource_name(p));
    Json(Flow {
        name: name.to_owned(),
        folder: folder.map(str::to_owned),
    })
}

#[derive(Serialize)]
struct Run {
    started: bool,
}

async fn run_flow(_flow: Authorized) -> Json<Run> {
    Json(Run { started: true })
}

#[derive(Deserialize)]
struct NewFlow {
    name: String,
}

async fn create_flow(
    State(clearance): State<Clearance>,
    Path(folder): Path<String>,
    Json(flow): Json<NewFlow>,
) -> Result<Written, Rejection> {
    clearance.apply(Change::AddResource {
        name: flow.name,
        kind: ResourceKind::Flow,
        parent: Some(folder),
    })
}

#[derive(Deserialize)]
struct NewGrant {
    user: String,
    role: String,
}

/// Grants a role on the scope; the policy checks that the admin holds
/// what he gives.
async fn grant(
    State(clearance): State<Clearance>,
    admin: Authorized,
    Path(scope): Path<String>,
    Json(grant): Json<NewGrant>,
) -> Result<Written, Rejection> {
    clearance.apply(Change::Grant {
        grantee: Grantee::user(grant.user),
        scope,
        role: grant.role,
        effect: Effect::Allow,
        when: Condition::Always,
        by: Some(clearance.author(admin.subject())?),
    })
}
