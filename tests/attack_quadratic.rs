//! Queries and changes stay near-linear in what they read or return on the
//! shapes that once made them quadratic (issue 13), and their faster
//! answers stay exact: `accessible`, `diff` and the reviews agree with
//! `authorize` asked pair by pair on random models with labels, conditional
//! overrides, keys and links.
//!
//! The growth checks compare a shape at two sizes 10× apart (see
//! `grows_near_linearly`): ten runs of the small one against one of the
//! large one, about equal for linear work, 10× apart for quadratic work;
//! they fail above 4×. The shapes are those of `benches/adversarial.rs`.
#![expect(clippy::panic, reason = "test helpers over generated models")]

#[path = "../benches/common/adversarial.rs"]
mod adversarial;
mod generate;
mod labelled;
#[allow(
    dead_code,
    reason = "shared test modules; this file uses their generator and model"
)]
mod reference;

use std::time::{Duration, Instant};

use clearance::{
    diff, Action, Change, Channel, Condition, Effect, Grantee, KeyId, Labels, LinkId, Permissions,
    Policy, ResourceId, ResourceKind, Subject, UserId,
};
use proptest::prelude::*;

use adversarial as shape;

/// Times `run` on the shape `make` builds at `n` and at `10 n`: one run at
/// `10 n` against ten runs at `n`, so that both take about as long when
/// the work is linear, and about 10× apart when it is quadratic; fails if
/// the larger takes more than 4× as long (plus 5 ms for timer noise) in
/// each of three attempts. The two are measured in turns, five times each,
/// keeping the best of each: a busy machine only makes runs slower, and
/// slows both alike, so a linear shape passes on a shared CI machine while
/// a quadratic one never gets below 4×.
#[track_caller]
fn grows_near_linearly<T>(n: usize, make: impl Fn(usize) -> T, run: impl Fn(&T)) {
    let (small, large) = (make(n), make(10 * n));
    let time = |run: &dyn Fn()| {
        let start = Instant::now();
        run();
        start.elapsed()
    };
    let mut seen = Vec::new();
    for _ in 0..3 {
        let (mut ten_small, mut one_large) = (Duration::MAX, Duration::MAX);
        for _ in 0..5 {
            ten_small = ten_small.min(time(&|| (0..10).for_each(|_| run(&small))));
            one_large = one_large.min(time(&|| run(&large)));
        }
        if one_large <= ten_small * 4 + Duration::from_millis(5) {
            return;
        }
        seen.push((ten_small, one_large));
    }
    panic!(
        "10 × {n} then 1 × {} took {seen:?}: worse than n log n",
        10 * n
    );
}

fn root(policy: &Policy) -> ResourceId {
    policy
        .resource_id("org")
        .unwrap_or_else(|| panic!("the shape has its root"))
}

fn owner(policy: &Policy) -> Subject {
    let user = policy
        .user_id(&shape::user(0))
        .unwrap_or_else(|| panic!("the shape has u0"));
    Subject::user(user, Channel::Web).with_mfa(true).at(1)
}

fn key(policy: &Policy) -> Subject {
    let key = policy
        .key_id("k")
        .unwrap_or_else(|| panic!("the shape has a key"));
    Subject::key(key).at(1)
}

#[test]
fn accessible_for_a_key_limited_to_the_root_grows_linearly_with_depth() {
    grows_near_linearly(
        500,
        |n| shape::chain_with_key(n, "org"),
        |policy| {
            let found = policy.accessible(&key(policy), Action::View, root(policy));
            assert_eq!(found.len(), policy.resource_count());
        },
    );
}

#[test]
fn accessible_for_a_key_limited_below_the_root_asked_at_the_root_grows_linearly() {
    grows_near_linearly(
        500,
        |n| shape::chain_with_key(n, &shape::node(n / 2)),
        |policy| {
            let found = policy.accessible(&key(policy), Action::View, root(policy));
            assert_eq!(found.len(), (policy.resource_count() - 1) / 2);
        },
    );
}

#[test]
fn accessible_below_a_conditional_override_grows_linearly() {
    grows_near_linearly(500, shape::chain_with_conditional_override, |policy| {
        let found = policy.accessible(&owner(policy), Action::View, root(policy));
        assert_eq!(found.len(), policy.resource_count());
    });
}

#[test]
fn accessible_for_a_user_holding_thousands_of_own_grants_grows_linearly() {
    grows_near_linearly(300, shape::chain_with_own_grants, |policy| {
        let found = policy.accessible(&owner(policy), Action::View, root(policy));
        assert_eq!(found.len(), policy.resource_count() - 1);
    });
}

#[test]
fn diff_after_one_label_change_decides_only_that_resource() {
    grows_near_linearly(
        300,
        |n| {
            let before = shape::flat(n);
            let after = shape::relabelled(&before, &shape::node(n / 2));
            (before, after)
        },
        |(before, after)| {
            // The users sharing label 1 lose EDIT there, the others gain
            // nothing: a quarter of them.
            assert_eq!(diff(before, after, 1).len(), before.user_count() / 4);
        },
    );
}

#[test]
fn diff_on_a_deep_chain_walks_each_resource_once() {
    grows_near_linearly(
        1_000,
        |n| {
            let before = shape::chain_with_viewer(n);
            let after = shape::relabelled(&before, &shape::node(n - 1));
            (before, after)
        },
        |(before, after)| assert!(diff(before, after, 1).is_empty()),
    );
}

#[test]
fn a_tenant_review_grows_linearly_with_users_and_resources() {
    grows_near_linearly(200, shape::flat, |policy| {
        let review = policy.review_tenant(root(policy), Permissions::MANAGE_MEMBERS, 1);
        assert!(review.holding_nothing.is_empty());
    });
}

const ACTIONS: [Action; 4] = [Action::View, Action::Edit, Action::Execute, Action::Delete];

/// Whether `resource` is `within` or below it.
fn is_within(policy: &Policy, resource: ResourceId, within: ResourceId) -> bool {
    let mut at = Some(resource);
    while let Some(node) = at {
        if node == within {
            return true;
        }
        at = policy.parent(node);
    }
    false
}

/// The first channel the account may use, with MFA passed, at `now`.
fn asked_as(policy: &Policy, user: u32, resource: u32, now: u64) -> Permissions {
    [Channel::Web, Channel::App, Channel::Api, Channel::Link]
        .into_iter()
        .map(|channel| {
            Subject::user(UserId::from_index(user), channel)
                .with_mfa(true)
                .at(now)
        })
        .find(|subject| {
            !matches!(
                policy
                    .authorize(subject, Action::View, ResourceId::from_index(resource))
                    .reason(),
                clearance::Reason::ChannelNotAllowed { .. }
            )
        })
        .map_or(Permissions::empty(), |subject| {
            policy.effective(&subject, ResourceId::from_index(resource))
        })
}

proptest! {
    #![proptest_config(generate::config(256))]

    #[test]
    fn accessible_agrees_with_authorize_under_labels_and_conditional_overrides(
        (model, extra) in labelled::model(),
        mfa in any::<bool>(),
    ) {
        let policy = labelled::build(&model, &extra);
        let resources: Vec<ResourceId> = policy.resources().collect();
        let mut subjects: Vec<Subject> = (0..policy.user_count() as u32)
            .flat_map(|user| {
                [Channel::Web, Channel::Api].map(|channel| {
                    Subject::user(UserId::from_index(user), channel).with_mfa(mfa).at(50)
                })
            })
            .collect();
        subjects.extend((0..4).map(|key| Subject::key(KeyId::from_index(key)).with_mfa(mfa).at(50)));
        subjects.extend((0..3).map(|link| Subject::link(LinkId::from_index(link)).at(50)));
        for subject in subjects {
            for action in ACTIONS {
                for &within in &resources {
                    let expected: Vec<ResourceId> = resources
                        .iter()
                        .copied()
                        .filter(|&r| {
                            is_within(&policy, r, within)
                                && policy.authorize(&subject, action, r).is_allowed()
                        })
                        .collect();
                    prop_assert_eq!(policy.accessible(&subject, action, within), expected);
                }
            }
        }
    }

    #[test]
    fn diff_lists_exactly_the_changed_pairs_after_labels_moves_and_conditional_grants(
        (model, extra) in labelled::model(),
        picks in proptest::collection::vec((0..7u8, 0..40usize, 0..40usize, 0..16u8), 1..4),
    ) {
        let before = labelled::build(&model, &extra);
        let mut after = before.clone();
        let resources = model.resources.len();
        for (kind, a, b, bits) in picks {
            let resource = reference::resource_name(a % resources);
            let other = reference::resource_name(b % resources);
            let user = reference::user_name(b % model.users.len().max(1));
            let role = reference::role_name(b % model.roles.len().max(1));
            let labels = Labels::from_bits_retain(u64::from(bits));
            let change = match kind {
                0 => Change::SetLabels { resource, labels },
                1 => Change::SetUserLabels { user, labels },
                2 => Change::MoveResource { name: resource, parent: other },
                3 => Change::Grant {
                    grantee: Grantee::Everyone,
                    scope: resource,
                    role,
                    effect: labelled::effect(bits),
                    when: labelled::condition(bits / 3),
                    by: None,
                },
                4 => Change::Grant {
                    grantee: Grantee::user(user),
                    scope: resource,
                    role,
                    effect: labelled::effect(bits),
                    when: Condition::LabelsIntersect,
                    by: None,
                },
                5 => Change::AddResource {
                    name: format!("new{a}"),
                    kind: ResourceKind::Flow,
                    parent: Some(resource),
                },
                _ => Change::RemoveResource { name: resource },
            };
            let _ = after.apply(change);
        }
        let listed: Vec<(u32, u32, Permissions, Permissions)> = diff(&before, &after, 7)
            .iter()
            .map(|d| (d.user.index(), d.resource.index(), d.gained, d.lost))
            .collect();
        let mut expected = Vec::new();
        let users = before.user_count().max(after.user_count()) as u32;
        let resources = before.resource_count().max(after.resource_count()) as u32;
        for user in 0..users {
            for resource in 0..resources {
                let (old, new) = (asked_as(&before, user, resource, 7), asked_as(&after, user, resource, 7));
                if old != new {
                    expected.push((user, resource, new - old, old - new));
                }
            }
        }
        prop_assert_eq!(listed, expected);
    }
}

#[test]
fn a_grant_change_near_the_root_of_a_chain_is_seen_all_the_way_down() {
    let before = shape::chain_with_viewer(50);
    let mut after = before.clone();
    let change = Change::Grant {
        grantee: Grantee::user(shape::user(0)),
        scope: shape::node(0),
        role: "viewer".into(),
        effect: Effect::Deny,
        when: Condition::Always,
        by: None,
    };
    after
        .apply(change)
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(diff(&before, &after, 1).len(), 50);
}
