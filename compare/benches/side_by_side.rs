//! The same requests on the standard model in clearance, cedar-policy (three
//! encodings: `cedar`, a template-linked policy per grant,
//! `cedar_attributes`, grants as entity attributes read up the tree, and
//! `cedar_fixed_paths`, grants as entity attributes read by fixed paths for
//! flows only) and casbin: the four single cases of `benches/authorize.rs`
//! and its batch of 10,000 random requests.
//!
//! Criterion times each engine after the other, minutes apart on a busy
//! machine: for the ratios, `benches/alternating.rs` alternates them.
//!
//! Ids are `side_by_side/<case>/<engine>`; `python3 compare/ratios.py`
//! tabulates their medians. Each engine's request objects are built before
//! the timed loop, as a host holds them; inside it is one decision call per
//! request (see compare/README.md).

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]
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
use std::time::Duration;

use clearance::ResourceKind;
use clearance_compare::{CasbinEngine, CedarEncoding, CedarEngine, Model, NamedRequest};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};

fn side_by_side(c: &mut Criterion) {
    let policy = common::standard_policy();
    let model = Model::read(&policy).expect("the standard model can be encoded");
    let cedar = [
        CedarEncoding::TemplateLinks,
        CedarEncoding::EntityAttributes,
        // Every request here is about a flow.
        CedarEncoding::FixedPaths(ResourceKind::Flow),
    ]
    .map(|encoding| {
        let engine = CedarEngine::new(&model, encoding).expect("Cedar takes the standard model");
        (encoding.engine_name(), engine)
    });
    let casbin = CasbinEngine::new(&model).expect("casbin takes the standard model");
    let name = |(subject, action, resource): &(_, _, _)| {
        NamedRequest::of(&policy, subject, *action, *resource)
            .expect("the standard model's requests can be named")
    };

    let cases = common::cases(&policy);
    let singles = [
        ("allowed_team_folder", cases.allowed_team_folder, true),
        ("denied_no_relation", cases.denied_no_relation, false),
        ("org_admin", cases.org_admin, true),
        ("suspended", cases.suspended, false),
    ];
    for (case, request, expected) in singles {
        let (subject, action, resource) = request;
        let named = name(&request);
        let cedar_requests = cedar
            .each_ref()
            .map(|(_, engine)| engine.request(&named).expect("Cedar takes the request"));
        let casbin_request = casbin.request(&named);
        let answers = [
            policy.authorize(&subject, action, resource).is_allowed(),
            cedar[0].1.is_allowed(&cedar_requests[0]),
            cedar[1].1.is_allowed(&cedar_requests[1]),
            cedar[2].1.is_allowed(&cedar_requests[2]),
            casbin.is_allowed(&casbin_request).unwrap_or(false),
        ];
        assert_eq!(
            answers, [expected; 5],
            "{case}: every engine must give the named answer"
        );

        let mut group = c.benchmark_group(format!("side_by_side/{case}"));
        group.bench_function("clearance", |b| {
            b.iter(|| policy.authorize(black_box(&subject), black_box(action), black_box(resource)))
        });
        // The other engines are microseconds to milliseconds per call: fewer
        // samples in less time still give a stable median.
        group
            .sample_size(30)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        for ((engine_name, engine), request) in cedar.iter().zip(&cedar_requests) {
            group.bench_function(*engine_name, |b| {
                b.iter(|| engine.is_allowed(black_box(request)))
            });
        }
        group.bench_function("casbin", |b| {
            b.iter(|| {
                casbin
                    .is_allowed(black_box(&casbin_request))
                    .unwrap_or(false)
            })
        });
        group.finish();
    }

    let requests = common::random_requests(&policy, 10_000);
    let named: Vec<NamedRequest> = requests.iter().map(name).collect();
    let cedar_requests = cedar.each_ref().map(|(_, engine)| {
        named
            .iter()
            .map(|request| engine.request(request).expect("Cedar takes the request"))
            .collect::<Vec<_>>()
    });
    let casbin_requests: Vec<_> = named
        .iter()
        .map(|request| casbin.request(request))
        .collect();

    let mut group = c.benchmark_group("side_by_side/batch_10k_random");
    group.throughput(Throughput::Elements(requests.len() as u64));
    group.bench_function("clearance", |b| {
        b.iter(|| {
            let mut allowed = 0u32;
            for (subject, action, resource) in black_box(&requests) {
                allowed += u32::from(policy.authorize(subject, *action, *resource).is_allowed());
            }
            black_box(allowed)
        })
    });
    // One pass over the batch takes the other engines 0.3 to 3 seconds:
    // the fewest samples criterion accepts, one iteration each.
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(1));
    for ((engine_name, engine), requests) in cedar.iter().zip(&cedar_requests) {
        group.bench_function(*engine_name, |b| {
            b.iter(|| {
                let mut allowed = 0u32;
                for request in black_box(requests) {
                    allowed += u32::from(engine.is_allowed(request));
                }
                black_box(allowed)
            })
        });
    }
    group.bench_function("casbin", |b| {
        b.iter(|| {
            let mut allowed = 0u32;
            for request in black_box(&casbin_requests) {
                allowed += u32::from(casbin.is_allowed(request).unwrap_or(false));
            }
            black_box(allowed)
        })
    });
    group.finish();
}

criterion_group!(benches, side_by_side);
criterion_main!(benches);
