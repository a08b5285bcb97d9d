//! Reverse questions on the standard model: every flow a user may view,
//! and every user who may edit a flow.

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]

mod common;

use std::hint::black_box;

use clearance::{Action, ResourceKind};
use criterion::{criterion_group, criterion_main, Criterion};

fn query(c: &mut Criterion) {
    let policy = common::standard_policy();
    let cases = common::cases(&policy);
    let (subject, _, flow) = cases.allowed_team_folder;
    let Some(org) = policy.resource_id("org") else {
        return;
    };
    let mut group = c.benchmark_group("query");
    group.bench_function("accessible_flows", |b| {
        b.iter(|| {
            policy
                .accessible_of_kind(black_box(&subject), Action::View, org, ResourceKind::Flow)
                .len()
        })
    });
    group.bench_function("who_can_flow", |b| {
        b.iter(|| policy.who_can(Action::Edit, black_box(flow), 0).len())
    });
    // A page of 100 flows: one folder's, as a list view shows them.
    let page: Vec<clearance::ResourceId> = (0..100)
        .filter_map(|i| policy.resource_id(&common::flow_name(4, 2, i)))
        .collect();
    group.bench_function("effective_page_100", |b| {
        b.iter(|| {
            policy
                .effective_many(black_box(&subject), black_box(&page))
                .len()
        })
    });
    group.bench_function("effective_page_100_one_by_one", |b| {
        b.iter(|| {
            page.iter()
                .map(|&flow| policy.effective(black_box(&subject), flow))
                .filter(|p| !p.is_empty())
                .count()
        })
    });
    let mut after = policy.clone();
    let granted = after.apply(clearance::Change::Grant {
        grantee: clearance::Grantee::team(common::team_name(48)),
        scope: common::folder_name(4, 2),
        role: "viewer".into(),
        effect: clearance::Effect::Allow,
        when: clearance::Condition::Always,
        by: None,
    });
    assert!(granted.is_ok(), "the standard model changed");
    group.bench_function("diff_one_grant", |b| {
        b.iter(|| clearance::diff(black_box(&policy), black_box(&after), 0).len())
    });
    group.finish();
}

criterion_group!(benches, query);
criterion_main!(benches);
