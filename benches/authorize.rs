//! The hot path: `authorize` and `effective` on the standard model.
//!
//! Ids are stable across releases so figures compare over time; record
//! medians in BENCHMARKS.md.

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]

mod common;

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn authorize(c: &mut Criterion) {
    let policy = common::standard_policy();
    let cases = common::cases(&policy);
    let mut group = c.benchmark_group("authorize");
    let singles = [
        ("allowed_team_folder", cases.allowed_team_folder, true),
        ("denied_no_relation", cases.denied_no_relation, false),
        ("org_admin", cases.org_admin, true),
        ("suspended", cases.suspended, false),
    ];
    for (id, (subject, action, resource), expected) in singles {
        assert_eq!(
            policy.authorize(&subject, action, resource).is_allowed(),
            expected,
            "{id}: the standard model changed"
        );
        group.bench_function(id, |b| {
            b.iter(|| policy.authorize(black_box(&subject), black_box(action), black_box(resource)))
        });
    }

    let (subject, action, resource) = cases.allowed_team_folder;
    let reason = policy.authorize(&subject, action, resource).reason();
    let mut line = String::with_capacity(256);
    group.bench_function("explain_display", |b| {
        b.iter(|| {
            line.clear();
            let _ = write!(line, "{}", policy.explain(black_box(reason)));
            black_box(line.len())
        })
    });

    let requests = common::random_requests(&policy, 10_000);
    group.throughput(Throughput::Elements(requests.len() as u64));
    group.bench_function("batch_10k_random", |b| {
        b.iter(|| {
            let mut allowed = 0u32;
            for (subject, action, resource) in black_box(&requests) {
                allowed += u32::from(policy.authorize(subject, *action, *resource).is_allowed());
            }
            black_box(allowed)
        })
    });
    // The same requests through `authorize_many` (whose reads ahead pay
    // off only where the model does not fit the caches: benches/scale.rs
    // `authorize_many_cold`).
    group.bench_function("batch_10k_random_many", |b| {
        b.iter(|| {
            let allowed: u32 = policy
                .authorize_many(black_box(&requests))
                .map(|decision| u32::from(decision.is_allowed()))
                .sum();
            black_box(allowed)
        })
    });
    group.finish();

    let mut group = c.benchmark_group("effective");
    group.bench_function("team_folder", |b| {
        b.iter(|| policy.effective(black_box(&subject), black_box(resource)))
    });
    group.finish();
}

criterion_group!(benches, authorize);
criterion_main!(benches);
