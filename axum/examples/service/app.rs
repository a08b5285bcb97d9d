//! The example service's routes: how each finds its resource and what it
//! needs (glue), then what each does (business logic). Served by
//! `main.rs`, and by the tests in `tests/` over loopback.

use axum::extract::{Path, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::routing::{get, post};
use axum::{Json, Router};
use clearance::{Action, Change, Channel, Condition, Effect, Grantee, ResourceKind};
use clearance_axum::{
    bearer, header, Authorized, Caller, Clearance, Credentials, Rejection, Resource, Written,
};
use serde::{Deserialize, Serialize};

/// Who asks: the user your authentication put in `x-user` (a verified
/// session in a real service), or the API key of `Authorization: Bearer`
/// (the token is the key's name here; a real service looks it up).
pub fn credentials(parts: &Parts, now: u64) -> Option<Credentials<'_>> {
    match header(parts, "x-user") {
        Some(user) => Some(Credentials::user(user, Channel::Web, now)),
        None => Some(Credentials::key(bearer(parts)?, now)),
    }
}

/// Each route declares the action it needs and the path parameter naming
/// its resource.
pub fn routes(clearance: Clearance) -> Router {
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

/// A flow, as the service shows it.
#[derive(Serialize)]
struct Flow {
    name: String,
    folder: Option<String>,
}

/// The flows the caller may view, by name.
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
    let mut flows: Vec<String> = flows.collect();
    flows.sort();
    Json(flows)
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

/// Whether a run started.
#[derive(Serialize)]
pub struct Run {
    started: bool,
}

/// Starts the flow (here: says so).
pub async fn run_flow(_flow: Authorized) -> Json<Run> {
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
