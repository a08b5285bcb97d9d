//! Building a policy: the standard model compiled from a `PolicyBuilder`,
//! and from the same model as a `PolicyDocument` (names resolved, every
//! declaration marked with its path for error messages); and the policy
//! written back as a document.
//!
//! Ids are stable across releases so figures compare over time; record
//! medians in BENCHMARKS.md. Target: at most 20 ms median for each.

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]
#![expect(
    clippy::expect_used,
    reason = "benchmark setup: a model that does not build must stop the run loudly"
)]

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

use clearance::Policy;

fn build(c: &mut Criterion) {
    let builder = common::standard_builder();
    let policy = builder.build().expect("the standard model builds");
    let document = policy.to_document();
    assert_eq!(
        Policy::from_document(&document).expect("the standard document builds"),
        policy,
        "the standard document rebuilds the standard policy"
    );

    let mut group = c.benchmark_group("build");
    // Building takes milliseconds: fewer samples keep the run short.
    group.sample_size(30);
    group.bench_function("from_builder", |b| {
        b.iter(|| black_box(&builder).build().map(|p| p.resource_count()))
    });
    group.bench_function("from_document", |b| {
        b.iter(|| Policy::from_document(black_box(&document)).map(|p| p.resource_count()))
    });
    // The other way: the whole model read back as a document (through the
    // views of `Policy::users` and the like).
    group.bench_function("to_document", |b| {
        b.iter(|| black_box(&policy).to_document().grants.len())
    });
    group.finish();
}

criterion_group!(benches, build);
criterion_main!(benches);
