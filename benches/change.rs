//! Changing a compiled policy in place: one membership, grant or status
//! change on the standard model, without a rebuild.
//!
//! Each benchmark alternates a change and its inverse (add, then remove),
//! so the model stays the same size however long criterion runs; one
//! iteration is one applied change.

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]

mod common;

use std::hint::black_box;

use clearance::{Change, Effect, Grantee};
use criterion::{criterion_group, criterion_main, Criterion};

fn toggle(
    c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: &str,
    mut policy: clearance::Policy,
    on: impl Fn() -> Change,
    off: impl Fn() -> Change,
) {
    let mut applied = false;
    c.bench_function(id, |b| {
        b.iter(|| {
            let change = if applied { off() } else { on() };
            applied = !applied;
            black_box(policy.apply(black_box(change)).is_ok())
        })
    });
}

fn apply(c: &mut Criterion) {
    let policy = common::standard_policy();
    // user-3 is active and not in team-49 (the standard model gives users
    // at most 3 of 50 teams; checked below).
    let user = common::user_name(3);
    let team = common::team_name(49);
    let mut group = c.benchmark_group("apply");
    let mut probe = policy.clone();
    assert!(
        probe
            .apply(Change::AddMembership {
                user: user.clone(),
                team: team.clone()
            })
            .is_ok(),
        "the standard model changed"
    );
    toggle(
        &mut group,
        "add_membership",
        policy.clone(),
        || Change::AddMembership {
            user: user.clone(),
            team: team.clone(),
        },
        || Change::RemoveMembership {
            user: user.clone(),
            team: team.clone(),
        },
    );

    let folder = common::folder_name(4, 2);
    let grant = |revoke: bool| {
        let grantee = Grantee::team(common::team_name(48));
        let (scope, role, effect) = (folder.clone(), "viewer".to_string(), Effect::Allow);
        if revoke {
            Change::Revoke {
                grantee,
                scope,
                role,
                effect,
                by: None,
            }
        } else {
            Change::Grant {
                grantee,
                scope,
                role,
                effect,
                when: clearance::Condition::Always,
                by: None,
            }
        }
    };
    toggle(
        &mut group,
        "grant",
        policy.clone(),
        || grant(false),
        || grant(true),
    );

    toggle(
        &mut group,
        "suspend_user",
        policy,
        || Change::Suspend { user: user.clone() },
        || Change::Reactivate { user: user.clone() },
    );
    group.finish();
}

criterion_group!(benches, apply);
criterion_main!(benches);
