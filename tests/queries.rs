//! Reverse questions agree with `authorize` on every pair: `accessible`
//! lists exactly the resources `authorize` allows, and `who_can` exactly
//! the users it allows (proptest over random models).
#![expect(clippy::panic, reason = "test helpers over generated models")]

mod generate;
#[allow(
    dead_code,
    reason = "shared test modules; this file uses their generator and model"
)]
mod reference;

use clearance::{
    diff, Action, Change, Channel, Condition, Effect, Grantee, Permissions, Policy, ResourceId,
    ResourceKind, Subject, UserId,
};
use proptest::prelude::*;

fn build(model: &reference::Model) -> Policy {
    reference::builder(model)
        .build()
        .unwrap_or_else(|error| panic!("a generated model builds: {error}"))
}

const ACTIONS: [Action; 4] = [Action::View, Action::Edit, Action::Execute, Action::Delete];

proptest! {
    #![proptest_config(generate::config(256))]

    #[test]
    fn accessible_lists_exactly_what_authorize_allows(model in generate::model()) {
        let policy = build(&model);
        let resources: Vec<ResourceId> = policy.resources().collect();
        let mut subjects: Vec<Subject> = (0..policy.user_count() as u32)
            .flat_map(|user| {
                [Channel::Web, Channel::Api]
                    .map(|channel| Subject::user(UserId::from_index(user), channel).with_mfa(true))
            })
            .collect();
        subjects.extend((0..4).map(|key| Subject::key(clearance::KeyId::from_index(key))));
        subjects.extend((0..4).map(|link| Subject::link(clearance::LinkId::from_index(link))));
        for subject in subjects {
            {
                for action in ACTIONS {
                    for &within in &resources {
                        let expected: Vec<ResourceId> = resources
                            .iter()
                            .copied()
                            .filter(|&r| {
                                let mut at = Some(r);
                                let mut inside = false;
                                while let Some(node) = at {
                                    inside |= node == within;
                                    at = policy.parent(node);
                                }
                                inside && policy.authorize(&subject, action, r).is_allowed()
                            })
                            .collect();
                        prop_assert_eq!(policy.accessible(&subject, action, within), expected.clone());
                        let flows: Vec<ResourceId> = expected
                            .into_iter()
                            .filter(|&r| policy.resource_kind(r) == Some(ResourceKind::Flow))
                            .collect();
                        prop_assert_eq!(
                            policy.accessible_of_kind(&subject, action, within, ResourceKind::Flow),
                            flows
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn who_can_lists_exactly_the_users_authorize_allows(model in generate::model(), now in 0..120u64) {
        let policy = build(&model);
        for resource in policy.resources() {
            for action in ACTIONS {
                let listed = policy.who_can(action, resource, now);
                for (_, reason) in &listed {
                    prop_assert!(reason.is_allowed(), "{:?}", reason);
                }
                let listed_users: Vec<UserId> = listed.iter().map(|(user, _)| *user).collect();
                // Every user allowed through some channel it may use, and
                // only those, is listed.
                for user in 0..policy.user_count() as u32 {
                    let user = UserId::from_index(user);
                    let allowed_somewhere = [Channel::Web, Channel::App, Channel::Api, Channel::Link]
                        .into_iter()
                        .map(|channel| Subject::user(user, channel).with_mfa(true).at(now))
                        .map(|subject| policy.authorize(&subject, action, resource))
                        .find(|decision| !matches!(decision.reason(), clearance::Reason::ChannelNotAllowed { .. }));
                    let allowed = allowed_somewhere.is_some_and(|decision| decision.is_allowed());
                    prop_assert_eq!(listed_users.contains(&user), allowed, "user {:?}", user);
                }
            }
        }
    }

    #[test]
    fn diff_lists_exactly_the_pairs_whose_permissions_change(
        model in generate::model(),
        picks in proptest::collection::vec((0..6u8, 0..40usize, 0..40usize, 0..40usize), 1..4),
    ) {
        let before = build(&model);
        let mut after = before.clone();
        for (kind, a, b, c) in picks {
            let resource = reference::resource_name(a % model.resources.len().max(1));
            let user = reference::user_name(b % model.users.len().max(1));
            let team = reference::team_name(c % model.teams.len().max(1));
            let role = reference::role_name(c % model.roles.len().max(1));
            let change = match kind {
                0 => Change::Grant {
                    grantee: Grantee::team(team),
                    scope: resource,
                    role,
                    effect: Effect::Allow,
                    when: Condition::Always,
                    by: None,
                },
                1 => Change::Grant {
                    grantee: Grantee::user(user),
                    scope: resource,
                    role,
                    effect: if a % 2 == 0 { Effect::Deny } else { Effect::Override },
                    when: Condition::Always,
                    by: None,
                },
                2 => Change::AddMembership { user, team },
                3 => Change::Suspend { user, by: None },
                4 => Change::Grant {
                    grantee: Grantee::Everyone,
                    scope: resource,
                    role,
                    effect: Effect::Allow,
                    when: Condition::Always,
                    by: None,
                },
                _ => Change::RemoveResource { name: resource },
            };
            let _ = after.apply(change);
        }
        let listed = diff(&before, &after, 0);
        let mut expected = Vec::new();
        let users = before.user_count().max(after.user_count()) as u32;
        let resources = before.resource_count().max(after.resource_count()) as u32;
        for user in 0..users {
            for resource in 0..resources {
                let ask = |policy: &Policy| {
                    [Channel::Web, Channel::App, Channel::Api, Channel::Link]
                        .into_iter()
                        .map(|channel| {
                            Subject::user(UserId::from_index(user), channel).with_mfa(true)
                        })
                        .map(|subject| {
                            (subject, policy.authorize(&subject, Action::View, ResourceId::from_index(resource)))
                        })
                        .find(|(_, d)| !matches!(d.reason(), clearance::Reason::ChannelNotAllowed { .. }))
                        .map_or(Permissions::empty(), |(subject, _)| {
                            policy.effective(&subject, ResourceId::from_index(resource))
                        })
                };
                let (old, new) = (ask(&before), ask(&after));
                if old != new {
                    expected.push((user, resource, new - old, old - new));
                }
            }
        }
        let got: Vec<(u32, u32, Permissions, Permissions)> = listed
            .iter()
            .map(|d| (d.user.index(), d.resource.index(), d.gained, d.lost))
            .collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn effective_many_agrees_with_effective_one_by_one(model in generate::model(), mfa in any::<bool>()) {
        let policy = build(&model);
        let resources: Vec<ResourceId> = policy
            .resources()
            .chain([ResourceId::from_index(u32::MAX)])
            .collect();
        for user in 0..policy.user_count() as u32 + 1 {
            for channel in [Channel::Web, Channel::Api, Channel::Link] {
                let subject = Subject::user(UserId::from_index(user), channel).with_mfa(mfa);
                let one_by_one: Vec<Permissions> =
                    resources.iter().map(|&r| policy.effective(&subject, r)).collect();
                prop_assert_eq!(policy.effective_many(&subject, &resources), one_by_one);
            }
        }
    }
}
