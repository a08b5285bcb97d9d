//! The ratio of clearance to each Cedar encoding on the random requests,
//! measured by alternation: in each round every engine makes one pass over
//! the same 10,000 random requests of `benches/authorize.rs` (clearance,
//! which takes well under a millisecond for it, makes 100 passes), the
//! engines taking turns to go first; the figure per engine is its median
//! over the rounds, and the ratios are ratios of those medians. A machine
//! busier in one minute than the next slows every engine of that round
//! alike, where criterion's runs of one engine after another, minutes
//! apart, would each see a different load.
//!
//! `cargo bench --manifest-path compare/Cargo.toml --bench alternating`
//! prints a Markdown table; `ROUNDS=n` in the environment sets the rounds
//! (15 by default, about 45 s on the 2-core development machine; the
//! template-linked encoding is most of it).

#![expect(
    clippy::expect_used,
    reason = "benchmark setup: a model or request that cannot be encoded must stop the run loudly"
)]

// The standard model exactly as the library's benchmarks build it. Formatted
// by the root crate's `cargo fmt`, not this package's.
#[rustfmt::skip]
#[path = "../../benches/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Instant;

use clearance::ResourceKind;
use clearance_compare::{CedarEncoding, CedarEngine, Model, NamedRequest};

/// Passes over the requests clearance makes per round, so that its time
/// per round (about 20 to 40 ms) is far above the clock's resolution.
const CLEARANCE_PASSES: u32 = 100;

/// How many random requests each pass asks.
const REQUESTS: usize = 10_000;

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .unwrap_or(15)
        .max(1);
    let policy = common::standard_policy();
    let model = Model::read(&policy).expect("the standard model can be encoded");
    let requests = common::random_requests(&policy, REQUESTS);
    let named: Vec<NamedRequest> = requests
        .iter()
        .map(|(subject, action, resource)| {
            NamedRequest::of(&policy, subject, *action, *resource)
                .expect("the standard model's requests can be named")
        })
        .collect();
    // Fastest first; every request here is about a flow.
    let cedar = [
        CedarEncoding::FixedPaths(ResourceKind::Flow),
        CedarEncoding::EntityAttributes,
        CedarEncoding::TemplateLinks,
    ]
    .map(|encoding| {
        let engine = CedarEngine::new(&model, encoding).expect("Cedar takes the standard model");
        let requests: Vec<_> = named
            .iter()
            .map(|request| engine.request(request).expect("Cedar takes the request"))
            .collect();
        (encoding.engine_name(), engine, requests)
    });

    // One pass of engine `index` (0 is clearance; then the Cedar
    // encodings): the requests it allowed, and the time per request in ns.
    let pass = |index: usize| -> (u32, f64) {
        let start = Instant::now();
        let mut allowed = 0u32;
        let passes = match index.checked_sub(1).and_then(|at| cedar.get(at)) {
            None => {
                for _ in 0..CLEARANCE_PASSES {
                    for (subject, action, resource) in black_box(&requests) {
                        allowed +=
                            u32::from(policy.authorize(subject, *action, *resource).is_allowed());
                    }
                }
                allowed /= CLEARANCE_PASSES;
                CLEARANCE_PASSES
            }
            Some((_, engine, requests)) => {
                for request in black_box(requests) {
                    allowed += u32::from(engine.is_allowed(request));
                }
                1
            }
        };
        let elapsed = start.elapsed().as_secs_f64() * 1e9;
        (
            black_box(allowed),
            elapsed / f64::from(passes) / REQUESTS as f64,
        )
    };

    let names: Vec<&str> = std::iter::once("clearance")
        .chain(cedar.iter().map(|(name, _, _)| *name))
        .collect();
    let engines = names.len();
    // A pass each to warm up, which also checks that they agree.
    let warm: Vec<u32> = (0..engines).map(|index| pass(index).0).collect();
    assert!(
        warm.iter().all(|&allowed| Some(&allowed) == warm.first()),
        "the engines allow different numbers of requests: {warm:?}"
    );

    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); engines];
    for round in 0..rounds {
        for turn in 0..engines {
            let index = (round + turn) % engines;
            let (_, ns) = pass(index);
            if let Some(times) = times.get_mut(index) {
                times.push(ns);
            }
        }
        eprintln!("round {}/{rounds} done", round + 1);
    }

    let medians: Vec<f64> = times.iter_mut().map(|times| median(times)).collect();
    let clearance = medians.first().copied().unwrap_or(f64::NAN);
    println!(
        "{rounds} rounds over the same {REQUESTS} random requests ({} allowed), engines alternating:",
        warm.first().copied().unwrap_or(0)
    );
    println!();
    println!("| engine | median per request | fastest round | slowest round | ratio of medians to clearance |");
    println!("|---|---|---|---|---|");
    for ((name, median), times) in names.iter().zip(&medians).zip(&times) {
        let fastest = times.iter().copied().fold(f64::INFINITY, f64::min);
        let slowest = times.iter().copied().fold(0.0, f64::max);
        println!(
            "| `{name}` | {} | {} | {} | {:.0}× |",
            duration(*median),
            duration(fastest),
            duration(slowest),
            median / clearance
        );
    }
}

/// The median of `values` (sorted in place).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    match (values.get(middle.wrapping_sub(1)), values.get(middle)) {
        (Some(low), Some(high)) if values.len().is_multiple_of(2) => (low + high) / 2.0,
        (_, Some(middle)) => *middle,
        _ => f64::NAN,
    }
}

fn duration(ns: f64) -> String {
    if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}
