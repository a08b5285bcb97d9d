//! The workload behind `scripts/instructions.sh`: decisions on the standard
//! model, to be counted by `valgrind --tool=cachegrind`, not timed.
//!
//! `instructions <mode> <passes>` builds the standard model (with a fixed
//! name-table seed, so that two runs execute the same instructions) and
//! then makes 10,000 decisions per pass:
//!
//! - `random`: the 10,000 random requests of `authorize/batch_10k_random`;
//! - `team`, `admin`, `denied`, `suspended`:
//!   `authorize/allowed_team_folder`, `authorize/org_admin`,
//!   `authorize/denied_no_relation` or `authorize/suspended`, 10,000
//!   times;
//! - `effective`: `Policy::effective` on the random requests;
//! - `effective_team`: `effective/team_folder`, 10,000 times.
//!
//! The script runs each mode with 1 and 11 passes and divides the
//! difference by 100,000: the build cancels out, what is left is one
//! decision.

#![allow(
    missing_docs,
    reason = "a bench binary's main needs no docs beyond the module's"
)]

mod common;

use std::hint::black_box;

use clearance::{Action, ResourceId, Subject};

/// The fixed name-table seed: a random one moves the build's instruction
/// count a little from run to run.
const SEED: u128 = 0x1550_E15A_1CE5;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let mode = args.first().map_or("random", String::as_str);
    let passes: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1);
    let Ok(policy) = common::standard_builder().hash_seed(SEED).build() else {
        eprintln!("the standard model does not build");
        std::process::exit(1);
    };
    let cases = common::cases(&policy);
    let requests: Vec<(Subject, Action, ResourceId)> = match mode {
        "random" | "effective" => common::random_requests(&policy, 10_000),
        "team" | "effective_team" => vec![cases.allowed_team_folder; 10_000],
        "admin" => vec![cases.org_admin; 10_000],
        "denied" => vec![cases.denied_no_relation; 10_000],
        "suspended" => vec![cases.suspended; 10_000],
        other => {
            eprintln!(
                "unknown mode {other:?}: random, team, admin, denied, suspended, effective or effective_team"
            );
            std::process::exit(2);
        }
    };
    let allowed = if mode.starts_with("effective") {
        run(passes, &requests, |(subject, _, resource)| {
            !policy.effective(subject, *resource).is_empty()
        })
    } else {
        run(passes, &requests, |(subject, action, resource)| {
            policy.authorize(subject, *action, *resource).is_allowed()
        })
    };
    println!("{mode}: {passes} passes, {allowed} allowed");
}

fn run(
    passes: usize,
    requests: &[(Subject, Action, ResourceId)],
    decide: impl Fn(&(Subject, Action, ResourceId)) -> bool,
) -> u64 {
    let mut allowed = 0u64;
    for _ in 0..passes {
        for request in black_box(requests) {
            allowed += u64::from(decide(black_box(request)));
        }
    }
    allowed
}
