//! Models deeper than any real product still change in time linear in
//! their size: no step recurses or walks the tree once per node.
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
