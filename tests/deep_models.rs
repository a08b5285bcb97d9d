//! Models larger than any real product: deeper chains still change in time
//! linear in their size (no step recurses or walks the tree once per
//! node), and more long runs of grants than the hot path keeps filters for
//! still decide right.
#![expect(
    clippy::expect_used,
    reason = "fixture helpers outside #[test] fns stop the test loudly on a broken fixture"
)]

use clearance::{
    Action, Change, Channel, Effect, Grantee, Permissions as P, PolicyBuilder, Reason,
    ResourceKind as K, Role, Subject, User,
};

const DEPTH: usize = 100_000;

fn chain() -> clearance::Policy {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .user(User::new("ann", "acme"))
        .resource("f0", K::Folder, "acme")
        .grant(Grantee::user("ann"), "f0", "viewer", Effect::Allow);
    for depth in 1..DEPTH {
        builder.resource(format!("f{depth}"), K::Folder, format!("f{}", depth - 1));
    }
    builder.build().expect("a deep chain builds")
}

#[test]
fn a_grant_at_the_top_of_a_100000_deep_chain_reaches_its_bottom() {
    let policy = chain();
    let ann = Subject::user(policy.user_id("ann").expect("ann"), Channel::Web);
    let bottom = policy
        .resource_id(&format!("f{}", DEPTH - 1))
        .expect("bottom");
    assert!(policy.authorize(&ann, Action::View, bottom).is_allowed());
}

#[test]
fn removing_the_top_of_a_100000_deep_chain_removes_all_of_it() {
    let mut policy = chain();
    let ann = Subject::user(policy.user_id("ann").expect("ann"), Channel::Web);
    let bottom = policy
        .resource_id(&format!("f{}", DEPTH - 1))
        .expect("bottom");
    policy
        .apply(Change::RemoveResource { name: "f0".into() })
        .expect("removes");
    assert_eq!(
        policy.authorize(&ann, Action::View, bottom).reason(),
        Reason::UnknownResource
    );
    assert_eq!(policy.resource_id("f500"), None);
    // The name is free again, and the new resource holds nothing.
    policy
        .apply(Change::AddResource {
            name: "f0".into(),
            kind: K::Folder,
            parent: Some("acme".into()),
        })
        .expect("adds");
    let again = policy.resource_id("f0").expect("f0");
    assert_eq!(
        policy.authorize(&ann, Action::View, again).reason(),
        Reason::NotMember
    );
}

#[test]
fn moving_a_folder_under_its_own_100000th_descendant_is_refused() {
    let mut policy = chain();
    let before = policy.clone();
    let moved = policy.apply(Change::MoveResource {
        name: "f1".into(),
        parent: format!("f{}", DEPTH - 1),
    });
    assert!(moved.is_err());
    assert_eq!(policy, before);
}

/// The hot path keeps a 256-bit filter for at most 65,535 resources with
/// more than 8 group grants; the long runs past those are searched without
/// one. This model has a few more.
const LONG_RUNS: usize = 65_540;

/// The one team of ten that workspace `w` grants nothing to: every other
/// team holds `viewer` there, 9 grants, a long run.
fn left_out(w: usize) -> usize {
    (w + 4) % 10
}

#[test]
fn long_runs_past_the_wide_filters_decide_as_the_first_ones() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .user(User::new("ann", "acme").member_of("t3"))
        .user(User::new("bob", "acme").member_of("t9"));
    for team in 0..10 {
        builder.team(format!("t{team}"), "acme");
    }
    for w in 0..LONG_RUNS {
        builder.resource(format!("w{w}"), K::Workspace, "acme");
        for team in (0..10).filter(|&team| team != left_out(w)) {
            builder.grant(
                Grantee::team(format!("t{team}")),
                format!("w{w}"),
                "viewer",
                Effect::Allow,
            );
        }
    }
    let mut policy = builder.build().expect("the long runs build");
    let ann = Subject::user(policy.user_id("ann").expect("ann"), Channel::Web);
    let bob = Subject::user(policy.user_id("bob").expect("bob"), Channel::Web);
    let checked = (0..20).chain(65_520..LONG_RUNS);
    for w in checked {
        let workspace = policy.resource_id(&format!("w{w}")).expect("workspace");
        for (who, team) in [(&ann, 3), (&bob, 9)] {
            let decision = policy.authorize(who, Action::View, workspace);
            if team == left_out(w) {
                assert_eq!(decision.reason(), Reason::NotMember, "w{w}, t{team}");
            } else {
                assert!(decision.is_allowed(), "w{w}, t{team}: {decision}");
            }
        }
    }
    // A grant added to a long run past the filters counts as well.
    let last = LONG_RUNS - 1;
    let team = left_out(last);
    assert_eq!(
        team, 3,
        "ann's team is the one the last workspace leaves out"
    );
    policy
        .apply(Change::Grant {
            grantee: Grantee::team(format!("t{team}")),
            scope: format!("w{last}"),
            role: "viewer".into(),
            effect: Effect::Allow,
            when: clearance::Condition::Always,
            by: None,
        })
        .expect("the grant applies");
    let workspace = policy.resource_id(&format!("w{last}")).expect("workspace");
    assert!(policy.authorize(&ann, Action::View, workspace).is_allowed());
}

/// More grants of one user's own than a user record counts (65,535).
const OWN_GRANTS: usize = 65_540;

fn flow(i: usize) -> String {
    format!("flow{i}")
}

fn revoke_ann(i: usize) -> Change {
    Change::Revoke {
        grantee: Grantee::user("ann"),
        scope: flow(i),
        role: "viewer".into(),
        effect: Effect::Allow,
        by: None,
    }
}

#[test]
fn a_user_holding_more_own_grants_than_a_record_counts_keeps_all_of_them() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .user(User::new("ann", "acme"))
        .resource("ungranted", K::Flow, "acme");
    for i in 0..OWN_GRANTS {
        builder.resource(flow(i), K::Flow, "acme").grant(
            Grantee::user("ann"),
            flow(i),
            "viewer",
            Effect::Allow,
        );
    }
    let mut policy = builder.build().expect("the grants build");
    let ann_id = policy.user_id("ann").expect("ann");
    let ann = Subject::user(ann_id, Channel::Web);
    let id = |policy: &clearance::Policy, name: &str| policy.resource_id(name).expect("resource");
    let allowed = |policy: &clearance::Policy, i: usize| {
        policy
            .authorize(&ann, Action::View, id(policy, &flow(i)))
            .is_allowed()
    };
    for i in (0..10).chain(OWN_GRANTS - 10..OWN_GRANTS) {
        assert!(allowed(&policy, i), "flow{i} after the build");
    }
    let ungranted = id(&policy, "ungranted");
    assert_eq!(
        policy.authorize(&ann, Action::View, ungranted).reason(),
        Reason::NotMember
    );
    let review = policy.review_user(ann_id, 0).expect("ann");
    assert_eq!(review.grants.len(), OWN_GRANTS);

    // Revoking the last ten brings ann under what a record counts.
    let last_ten: Vec<Change> = (OWN_GRANTS - 10..OWN_GRANTS).map(revoke_ann).collect();
    policy.apply_all(last_ten).expect("the revocations apply");
    for i in OWN_GRANTS - 10..OWN_GRANTS {
        assert!(!allowed(&policy, i), "flow{i} after its revocation");
    }
    for i in (0..10).chain(OWN_GRANTS - 20..OWN_GRANTS - 10) {
        assert!(allowed(&policy, i), "flow{i} kept");
    }
    // And granting them again takes ann past it once more.
    for i in OWN_GRANTS - 10..OWN_GRANTS {
        policy
            .apply(Change::Grant {
                grantee: Grantee::user("ann"),
                scope: flow(i),
                role: "viewer".into(),
                effect: Effect::Allow,
                when: clearance::Condition::Always,
                by: None,
            })
            .expect("the grant applies");
    }
    for i in (0..10).chain(OWN_GRANTS - 10..OWN_GRANTS) {
        assert!(allowed(&policy, i), "flow{i} granted again");
    }
    let review = policy.review_user(ann_id, 0).expect("ann");
    assert_eq!(review.grants.len(), OWN_GRANTS);
}
