//! Access reviews agree with decisions: a review lists a grant for a user
//! only when a decision would count it for him (his type may hold its
//! role, its condition holds for him somewhere), and `holding_nothing`
//! lists exactly the active users whom `authorize` answers `NotMember`
//! everywhere. One rule decides whether a grant reaches a subject, for
//! decisions, reviews and changes alike.
#![expect(clippy::panic, reason = "test helpers over generated models")]

mod generate;
mod labelled;
#[allow(
    dead_code,
    reason = "shared test modules; this file uses their generator and model"
)]
mod reference;

use clearance::{
    Action, Change, Channel, Condition, Effect, Grantee, Labels, Permissions as P, Policy,
    PolicyBuilder, Principal, Reason, ResourceId, ResourceKind as K, Role, Status, Subject, User,
    UserId, UserType, UserTypes,
};
use proptest::prelude::*;

const ADMIN_POWERS: P = P::MANAGE_MEMBERS.union(P::MANAGE_SETTINGS);

fn built(b: &PolicyBuilder) -> Policy {
    b.build()
        .unwrap_or_else(|error| panic!("the model builds: {error}"))
}

fn user(policy: &Policy, name: &str) -> UserId {
    policy
        .user_id(name)
        .unwrap_or_else(|| panic!("user {name}"))
}

fn resource(policy: &Policy, name: &str) -> ResourceId {
    policy
        .resource_id(name)
        .unwrap_or_else(|| panic!("resource {name}"))
}

#[test]
fn a_review_lists_no_grant_of_a_role_the_user_may_not_hold() {
    let policy = built(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .role(
                Role::new("super")
                    .allow_everywhere(P::VIEW)
                    .only_for(UserTypes::NATIVE),
            )
            .user(User::new("nat", "acme"))
            .user(User::new("con", "acme").user_type(UserType::Connected))
            .grant(Grantee::Everyone, "acme", "super", Effect::Allow),
    );
    let (nat, con) = (user(&policy, "nat"), user(&policy, "con"));
    let ws = resource(&policy, "ws");
    let asking = Subject::user(con, Channel::Web).with_mfa(true).at(0);
    assert_eq!(
        policy.authorize(&asking, Action::View, ws).reason(),
        Reason::NotMember
    );
    let review = policy.review_user(con, 0).unwrap_or_else(|| panic!("con"));
    assert!(review.grants.is_empty(), "{:?}", review.grants);
    assert_eq!(policy.review_user(nat, 0).map(|r| r.grants.len()), Some(1));
    let acme = resource(&policy, "acme");
    assert_eq!(
        policy.review_tenant(acme, ADMIN_POWERS, 0).holding_nothing,
        vec![con]
    );
}

#[test]
fn a_review_lists_no_conditional_grant_whose_condition_never_holds_for_the_user() {
    const EUROPE: Labels = Labels::bit(0);
    const AMERICAS: Labels = Labels::bit(1);
    let mut policy = built(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("eu", K::Form, "acme")
            .labels("acme", EUROPE)
            .labels("eu", EUROPE)
            .role(Role::new("viewer").allow_everywhere(P::VIEW))
            .user(User::new("ann", "acme").labels(EUROPE))
            .user(User::new("bob", "acme").labels(AMERICAS))
            .user(
                User::new("cy", "acme")
                    .labels(AMERICAS)
                    .status(Status::Suspended),
            )
            .grant_when(
                Grantee::Everyone,
                "acme",
                "viewer",
                Effect::Allow,
                Condition::LabelsIntersect,
            )
            .grant_when(
                Grantee::user("cy"),
                "acme",
                "viewer",
                Effect::Allow,
                Condition::LabelsContain,
            ),
    );
    let (ann, bob, cy) = (
        user(&policy, "ann"),
        user(&policy, "bob"),
        user(&policy, "cy"),
    );
    let acme = resource(&policy, "acme");
    assert_eq!(policy.review_user(ann, 0).map(|r| r.grants.len()), Some(1));
    assert_eq!(policy.review_user(bob, 0).map(|r| r.grants.len()), Some(0));
    let review = policy.review_tenant(acme, ADMIN_POWERS, 0);
    assert_eq!(review.holding_nothing, vec![bob]);
    // cy's own grant needs every label of a resource: none has only his.
    assert!(review.inactive_with_grants.is_empty(), "{review:?}");
    // An unlabelled resource below the scope satisfies it.
    policy
        .apply(Change::AddResource {
            name: "plain".into(),
            kind: K::Flow,
            parent: Some("acme".into()),
        })
        .unwrap_or_else(|error| panic!("{error}"));
    let review = policy.review_tenant(acme, ADMIN_POWERS, 0);
    assert_eq!(review.inactive_with_grants, vec![cy]);
}

#[test]
fn joining_a_team_denied_a_role_the_user_may_not_hold_is_accepted_as_at_build() {
    let declared = || {
        let mut b = PolicyBuilder::new();
        b.tenant("acme", K::Organization)
            .role(
                Role::new("super")
                    .allow_everywhere(P::DELETE)
                    .only_for(UserTypes::NATIVE),
            )
            .team("t", "acme")
            .user(User::new("con", "acme").user_type(UserType::Connected))
            .grant(Grantee::team("t"), "acme", "super", Effect::Deny);
        b
    };
    // The build accepts a connected member of a team denied the role...
    let mut member = declared();
    member.user(
        User::new("con2", "acme")
            .user_type(UserType::Connected)
            .member_of("t"),
    );
    built(&member);
    // ...and so does the change that makes one.
    let mut policy = built(&declared());
    let joined = policy.apply(Change::AddMembership {
        user: "con".into(),
        team: "t".into(),
    });
    assert!(joined.is_ok(), "{joined:?}");
}

/// An action asking for a permission no generated role holds.
const NO_ROLE_HOLDS: Action = Action::Custom(clearance::Permissions::from_bits_retain(1 << 63));

/// The first channel the account may use, as the reviews ask.
fn review_subject(policy: &Policy, user: UserId, now: u64) -> Option<Subject> {
    let tenant = policy.user_tenant(user)?;
    [Channel::Web, Channel::App, Channel::Api, Channel::Link]
        .into_iter()
        .map(|channel| Subject::user(user, channel).with_mfa(true).at(now))
        .find(|subject| {
            !matches!(
                policy.authorize(subject, Action::View, tenant).reason(),
                Reason::ChannelNotAllowed { .. }
            )
        })
}

/// Whether `authorize` answers `NotMember` for every resource of the
/// user's tenant: no grant of its principals reaches any of them. Asked
/// with a permission no role holds, so that the answer is `NotMember` or
/// `RoleLacks` and nothing else (for a permission some conditional grant
/// holds, either could read `ConditionUnmet`).
fn denied_as_stranger(policy: &Policy, user: UserId, now: u64) -> Option<bool> {
    let subject = review_subject(policy, user, now)?;
    let tenant = policy.user_tenant(user)?;
    Some(
        policy
            .resources()
            .filter(|&r| policy.tenant_of(r) == Some(tenant))
            .all(|r| policy.authorize(&subject, NO_ROLE_HOLDS, r).reason() == Reason::NotMember),
    )
}

proptest! {
    #![proptest_config(generate::config(256))]

    #[test]
    fn reviews_agree_with_authorize((model, extra) in labelled::model(), now in 0..120u64) {
        let policy = labelled::build(&model, &extra);
        let tenants: Vec<ResourceId> = policy
            .resources()
            .filter(|&r| policy.parent(r).is_none() && policy.tenant_of(r).is_some())
            .collect();
        for tenant in tenants {
            let review = policy.review_tenant(tenant, ADMIN_POWERS, now);
            for index in 0..policy.user_count() as u32 {
                let user = UserId::from_index(index);
                if policy.user_tenant(user) != Some(tenant) {
                    continue;
                }
                let Some(stranger) = denied_as_stranger(&policy, user, now) else {
                    continue;
                };
                let grants = policy.review_user(user, now).map(|r| r.grants).unwrap_or_default();
                let giving = grants.iter().any(|grant| grant.effect != Effect::Deny);
                let active = review_subject(&policy, user, now)
                    .is_some_and(|s| !matches!(
                        policy.authorize(&s, Action::View, tenant).reason(),
                        Reason::Suspended | Reason::Deactivated
                            | Reason::InvitationPending | Reason::InvitationExpired
                    ));
                if active {
                    prop_assert_eq!(review.holding_nothing.contains(&user), stranger, "user {:?}", user);
                    prop_assert_eq!(giving, !stranger, "user {:?}: {:?}", user, grants);
                }
                if review.inactive_with_grants.contains(&user) {
                    // The access does come back on reactivation (through
                    // any channel the account may use).
                    let mut back = policy.clone();
                    let name = policy.user_name(user).unwrap_or_default().to_string();
                    if back.apply(Change::Reactivate { user: name, by: None }).is_ok() {
                        prop_assert_ne!(denied_as_stranger(&back, user, now), Some(true));
                    }
                }
                for grant in &grants {
                    let named = match grant.principal {
                        Principal::User(id) => id == user,
                        Principal::Team(_) | Principal::Everyone => true,
                        Principal::Public => false,
                    };
                    prop_assert!(named, "{:?}", grant);
                }
            }
        }
    }
}
