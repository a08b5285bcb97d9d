//! The adversarial shapes of issue 13 (and the cyclic roles of issue 11):
//! small inputs that were once quadratic or worse. Each is measured at two
//! sizes 10× apart; near-linear code takes about 10× (at most ~13× for
//! n log n) longer at the larger one. Record medians in BENCHMARKS.md
//! ("Adversarial shapes").
//!
//! The models are built by `benches/common/adversarial.rs`, shared with
//! the untimed checks of `tests/attack_quadratic.rs`.

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]
#![expect(
    clippy::expect_used,
    reason = "benchmark setup: a model that does not match its shape must stop the run loudly"
)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use clearance::{diff, Action, Channel, Permissions, Policy, ResourceId, Subject};
use common::adversarial as shape;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkGroup, Criterion};

fn id(policy: &Policy, name: &str) -> ResourceId {
    policy.resource_id(name).expect("the shape names it")
}

fn user(policy: &Policy) -> Subject {
    let user = policy.user_id(&shape::user(0)).expect("the shape has u0");
    Subject::user(user, Channel::Web).with_mfa(true).at(1)
}

fn key(policy: &Policy) -> Subject {
    Subject::key(policy.key_id("k").expect("the shape has a key")).at(1)
}

/// `accessible` at the root for `subject`, checking the count once.
fn accessible(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    policy: &Policy,
    subject: Subject,
    expected: usize,
) {
    let root = id(policy, "org");
    assert_eq!(
        policy.accessible(&subject, Action::View, root).len(),
        expected,
        "{name}: the shape changed"
    );
    group.bench_function(name, |b| {
        b.iter(|| {
            policy
                .accessible(black_box(&subject), Action::View, root)
                .len()
        })
    });
}

fn adversarial(c: &mut Criterion) {
    let mut group = c.benchmark_group("adversarial");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));

    for n in [2_000, 20_000] {
        let policy = shape::chain_with_key(n, "org");
        accessible(
            &mut group,
            &format!("accessible_key_at_root/{n}"),
            &policy,
            key(&policy),
            n + 1,
        );
        accessible(
            &mut group,
            &format!("accessible_user_chain/{n}"),
            &policy,
            user(&policy),
            n + 1,
        );

        let below = shape::node(n / 2);
        let policy = shape::chain_with_key(n, &below);
        accessible(
            &mut group,
            &format!("accessible_key_below_root/{n}"),
            &policy,
            key(&policy),
            n / 2,
        );

        let policy = shape::chain_with_conditional_override(n);
        let expected = policy
            .accessible(&user(&policy), Action::View, id(&policy, "org"))
            .len();
        accessible(
            &mut group,
            &format!("accessible_conditional_override/{n}"),
            &policy,
            user(&policy),
            expected,
        );
    }
    for n in [800, 8_000] {
        let policy = shape::chain_with_own_grants(n);
        accessible(
            &mut group,
            &format!("accessible_own_grants/{n}"),
            &policy,
            user(&policy),
            n,
        );
    }
    // Sizes past the caches at both ends: every pass of diff is linear,
    // and 800 resources fit in L1 and L2 where 8,000 do not.
    for n in [8_000, 80_000] {
        // diff after one label change in an n-user × n-flow tenant.
        let before = shape::flat(n);
        let after = shape::relabelled(&before, &shape::node(n / 2));
        assert!(
            !diff(&before, &after, 1).is_empty(),
            "the label change gives or takes EDIT"
        );
        group.bench_function(format!("diff_one_label/{n}"), |b| {
            b.iter(|| diff(black_box(&before), black_box(&after), 1).len())
        });

        // diff on an n-deep chain after a label change at the bottom.
        let before = shape::chain_with_viewer(n);
        let after = shape::relabelled(&before, &shape::node(n - 1));
        group.bench_function(format!("diff_deep_chain/{n}"), |b| {
            b.iter(|| diff(black_box(&before), black_box(&after), 1).len())
        });
    }
    for n in [400, 4_000] {
        let policy = shape::flat(n);
        let root = id(&policy, "org");
        let powers = Permissions::MANAGE_MEMBERS;
        group.bench_function(format!("review_tenant/{n}"), |b| {
            b.iter(|| {
                policy
                    .review_tenant(black_box(root), powers, 1)
                    .holding_nothing
                    .len()
            })
        });

        // Issue 13's eligibility shapes (fixed by another change): the
        // figures show their growth as it stands.
        let (policy, change) = shape::update_role_only_for(n);
        group.bench_function(format!("update_role_only_for/{n}"), |b| {
            b.iter_batched(
                || policy.clone(),
                |mut policy| policy.apply(change.clone()).map(|_| policy.revision()),
                BatchSize::LargeInput,
            )
        });
    }
    for n in [200, 2_000] {
        let builder = shape::team_grants(n);
        group.bench_function(format!("build_team_grants/{n}"), |b| {
            b.iter(|| builder.build().map(|policy| policy.resource_count()))
        });
    }
    for n in [80, 800] {
        let builder = shape::role_cycles(n);
        group.bench_function(format!("build_role_cycles/{n}"), |b| {
            b.iter(|| builder.build().is_err())
        });
    }
    group.finish();
}

criterion_group!(benches, adversarial);
criterion_main!(benches);
