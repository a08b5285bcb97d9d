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
