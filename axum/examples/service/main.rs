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
//! The glue a service writes is `main` here and, in `app.rs`, the
//! credentials function and the routes; the handlers below them in
//! `app.rs` are what the service would do anyway. The tests serve the same
//! `app.rs` over loopback.

use std::error::Error;
use std::path::PathBuf;

use clearance::{Policy, PolicyDocument};
use clearance_axum::{Clearance, LivePolicy};
use clearance_log::{recover, ChangeLog, SqliteLog};

mod app;

use app::{credentials, routes};

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
    let document: PolicyDocument = serde_json::from_str(include_str!("../service.json"))?;
    Ok(Policy::from_document(&document)?)
}
