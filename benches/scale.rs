//! How costs grow with the size of a model: `authorize`, `accessible`,
//! building and applying a change, as users (1,000 to 1,000,000), grants
//! (to 10,000,000), folder depth (1 to 64), teams per user (1 to 64) and
//! tenants (1 to 10,000) grow, one axis at a time, from the proportions of
//! the standard model (`benches/common/scale.rs`); memory per user and per
//! grant; and two threads sharing one `Policy`.
//!
//! The largest models take seconds to declare and build and a few GB of
//! memory; the whole run takes about 15 minutes. Run one part with a
//! filter: `cargo bench --bench scale -- scale_users`. Memory figures are
//! printed and written to `target/scale-memory.json`; times go to
//! `target/criterion` as usual, and `python3 scripts/scale_chart.py` draws
//! `docs/scale.svg` from both.

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
use std::time::{Duration, Instant};

use clearance::{Action, Change, Effect, Grantee, Policy, ResourceKind};
use common::scale::{self, Spec};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Requests per measured batch.
const BATCH: usize = 10_000;

struct Model {
    spec: Spec,
    policy: Policy,
    requests: Vec<(clearance::Subject, Action, clearance::ResourceId)>,
}

fn model(spec: Spec) -> Model {
    let policy = scale::builder(spec).build().expect("scale model builds");
    let requests = scale::random_requests(&policy, spec, BATCH);
    Model {
        spec,
        policy,
        requests,
    }
}

/// Decides every request and counts the allowed ones (returned through
/// `black_box`, so that no decision is optimized away).
fn decide_all(
    policy: &Policy,
    requests: &[(clearance::Subject, Action, clearance::ResourceId)],
) -> u32 {
    let allowed = requests
        .iter()
        .map(|(subject, action, resource)| {
            u32::from(policy.authorize(subject, *action, *resource).is_allowed())
        })
        .sum();
    black_box(allowed)
}

/// Measures `authorize` on the model's random batch.
fn authorize_batch(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: BenchmarkId,
    model: &Model,
) {
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_with_input(id, model, |b, model| {
        b.iter(|| decide_all(&model.policy, black_box(&model.requests)))
    });
}

/// Measures `authorize` on 1,000,000 distinct random requests: their users,
/// flows and grants are spread over the whole model, far more than the
/// CPU's caches hold once the model is large, where the 10,000 requests of
/// [`authorize_batch`] stay in cache after the first pass.
fn authorize_cold(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    parameter: usize,
    model: &Model,
) {
    const COLD: usize = 1_000_000;
    let requests = scale::random_requests(&model.policy, model.spec, COLD);
    group.throughput(Throughput::Elements(COLD as u64));
    group.bench_function(BenchmarkId::new("authorize_cold", parameter), |b| {
        b.iter(|| decide_all(&model.policy, black_box(&requests)))
    });
    group.bench_function(BenchmarkId::new("authorize_many_cold", parameter), |b| {
        b.iter(|| {
            let allowed: u32 = model
                .policy
                .authorize_many(black_box(&requests))
                .map(|decision| u32::from(decision.is_allowed()))
                .sum();
            black_box(allowed)
        })
    });
}

/// Users 1,000 to 1,000,000, with 10 grants per user (10,000,000 at the
/// top): `authorize` (the 10,000-request batch, and 1,000,000 distinct
/// requests), `accessible`, `apply` and `build`.
fn users(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale_users");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    for users in [1_000, 10_000, 100_000, 1_000_000] {
        let spec = Spec::users(users);
        let builder = scale::builder(spec);
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(BenchmarkId::new("build", users), &builder, |b, builder| {
            b.iter(|| builder.build().map(|p| p.user_count()))
        });
        drop(builder);
        let model = model(spec);
        authorize_batch(&mut group, BenchmarkId::new("authorize", users), &model);
        authorize_cold(&mut group, users, &model);
        accessible(&mut group, users, &model);
        apply(&mut group, users, &model);
    }
    group.finish();
}

/// Every flow a user may view in its tenant: the first user of the batch
/// for whom the list is not empty (an active user with some grant), as a
/// list page asks.
fn accessible(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    parameter: usize,
    model: &Model,
) {
    let list = |subject: &clearance::Subject, tenant: clearance::ResourceId| {
        model
            .policy
            .accessible_of_kind(subject, Action::View, tenant, ResourceKind::Flow)
    };
    // A request's flow is in its user's tenant.
    let (subject, tenant) = model
        .requests
        .iter()
        .filter_map(|(subject, _, flow)| Some((*subject, model.policy.tenant_of(*flow)?)))
        .find(|(subject, tenant)| !list(subject, *tenant).is_empty())
        .expect("some user of the batch sees a flow");
    group.throughput(Throughput::Elements(1));
    group.bench_with_input(BenchmarkId::new("accessible", parameter), model, |b, _| {
        b.iter(|| list(black_box(&subject), tenant).len())
    });
}

/// One grant to a user and its revocation: two changes per iteration, the
/// policy back as it was after each.
fn apply(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    parameter: usize,
    model: &Model,
) {
    let mut policy = model.policy.clone();
    let user = scale::user_name(0, model.spec.users_per_tenant() - 1);
    let scope = scale::flow_name(0, 0, 0, 0);
    let grant = Change::Grant {
        grantee: Grantee::user(user.clone()),
        scope: scope.clone(),
        role: "viewer".into(),
        effect: Effect::Allow,
        when: clearance::Condition::Always,
        by: None,
    };
    let revoke = Change::Revoke {
        grantee: Grantee::user(user),
        scope,
        role: "viewer".into(),
        effect: Effect::Allow,
        by: None,
    };
    group.throughput(Throughput::Elements(2));
    group.bench_function(BenchmarkId::new("apply_grant_and_revoke", parameter), |b| {
        b.iter(|| {
            policy
                .apply(black_box(grant.clone()))
                .expect("grant applies");
            policy
                .apply(black_box(revoke.clone()))
                .expect("revoke applies");
        })
    });
}

/// Grants 1,000,000 to 10,000,000 among 1,000,000 users.
fn grants(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale_grants");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    for grants in [1_000_000, 3_000_000, 10_000_000] {
        let spec = Spec {
            grants,
            ..Spec::users(1_000_000)
        };
        authorize_batch(
            &mut group,
            BenchmarkId::new("authorize", grants),
            &model(spec),
        );
    }
    group.finish();
}

/// One axis at a time at 100,000 users: folder depth, teams per user,
/// tenants.
fn shapes(c: &mut Criterion) {
    let base = Spec::users(100_000);
    let axes: [(&str, Vec<(usize, Spec)>); 3] = [
        (
            "scale_depth",
            [1, 4, 16, 64]
                .map(|depth| (depth, Spec { depth, ..base }))
                .to_vec(),
        ),
        (
            "scale_teams",
            [1, 4, 16, 64]
                .map(|teams_per_user| {
                    (
                        teams_per_user,
                        Spec {
                            teams_per_user,
                            ..base
                        },
                    )
                })
                .to_vec(),
        ),
        (
            "scale_tenants",
            [1, 10, 100, 1_000, 10_000]
                .map(|tenants| (tenants, Spec { tenants, ..base }))
                .to_vec(),
        ),
    ];
    for (name, points) in axes {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(3));
        for (parameter, spec) in points {
            let model = model(spec);
            authorize_batch(&mut group, BenchmarkId::new("authorize", parameter), &model);
            accessible(&mut group, parameter, &model);
        }
        group.finish();
    }
}

/// One thread, then two threads, each deciding the same 10,000 random
/// requests on one shared `Policy` of 1,000,000 users and 10,000,000
/// grants. Throughput counts every thread's decisions, so the ratio of the
/// two medians' throughputs is the scaling.
fn threads(c: &mut Criterion) {
    let model = model(Spec::users(1_000_000));
    let mut group = c.benchmark_group("scale_threads");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for threads in [1u64, 2] {
        group.throughput(Throughput::Elements(BATCH as u64 * threads));
        group.bench_with_input(
            BenchmarkId::new("authorize", threads),
            &model,
            |b, model| {
                b.iter_custom(|iters| {
                    let start = Instant::now();
                    std::thread::scope(|scope| {
                        for _ in 0..threads {
                            scope.spawn(|| {
                                for _ in 0..iters {
                                    decide_all(&model.policy, black_box(&model.requests));
                                }
                            });
                        }
                    });
                    start.elapsed()
                })
            },
        );
    }
    group.finish();
}

/// Heap held per user (3 memberships, no grants of its own; with its name,
/// and besides the name's text, the host's choice) and per grant,
/// as the difference between two sizes of one axis divided by the growth;
/// printed, and written to `target/scale-memory.json` for the chart.
fn memory(_: &mut Criterion) {
    // Skipped when a filter names other benchmarks (it builds five models).
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    if !filters.is_empty() && !filters.iter().any(|f| "scale_memory".contains(f.as_str())) {
        return;
    }
    let heap = |spec: Spec| {
        let policy = scale::builder(spec).build().expect("scale model builds");
        (policy.heap_bytes(), policy)
    };
    // Users: one workspace, three teams in all, no grants of their own.
    let lone = |users| Spec {
        grants: 0,
        users_per_workspace: 0,
        users_per_team: usize::MAX,
        ..Spec::users(users)
    };
    let (small, _) = heap(lone(100_000));
    let (large, policy) = heap(lone(1_000_000));
    let per_user = (large - small) as f64 / 900_000.0;
    let name = scale::user_name(0, 999_999).len();
    drop(policy);
    // Grants: 100,000 users, 1,000,000 then 10,000,000 grants.
    let granted = |grants| Spec {
        grants,
        ..Spec::users(100_000)
    };
    let (small, _) = heap(granted(1_000_000));
    let (large, policy) = heap(granted(10_000_000));
    let per_grant = (large - small) as f64 / 9_000_000.0;
    drop(policy);
    // The headline model: 1,000,000 users, 10,000,000 grants.
    let (total, policy) = heap(Spec::users(1_000_000));
    let resident = resident_bytes();
    drop(policy);
    println!(
        "memory: {per_user:.1} bytes per user (3 memberships, a {name}-byte name: \
         {:.1} besides the name's text), {per_grant:.1} bytes per grant; 1,000,000 users \
         and 10,000,000 grants: {:.0} MB of heap, process resident {}",
        per_user - name as f64,
        total as f64 / 1e6,
        resident.map_or("unknown".to_string(), |bytes| format!(
            "{:.0} MB",
            bytes as f64 / 1e6
        )),
    );
    let json = format!(
        "{{\"bytes_per_user\": {per_user:.2}, \"bytes_per_grant\": {per_grant:.2}, \
         \"name_bytes\": {name}, \"heap_bytes_1m_users_10m_grants\": {total}, \
         \"resident_bytes\": {}}}\n",
        resident.map_or("null".to_string(), |b| b.to_string())
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/scale-memory.json");
    if let Err(error) = std::fs::write(&path, json) {
        eprintln!("could not write {}: {error}", path.display());
    }
}

/// The process's resident set (Linux), including what the allocator keeps
/// of freed memory.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

criterion_group!(benches, memory, users, grants, shapes, threads);
criterion_main!(benches);
