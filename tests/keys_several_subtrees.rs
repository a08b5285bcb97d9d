//! Keys limited to several subtrees (issue 16, item 8): "The workspace
//! platform's keys may be limited to 'specific flows' scattered across
//! folders; a key limited to a set of subtrees, not only one."

mod common;

use clearance::{
    Action, ApiKey, Change, ChangeProblem, Effect, Grantee, Permissions as P, Policy,
    PolicyBuilder, Reason, ResourceKind as K, Role, Subject, User,
};
use common::build;
use common::changes::{apply, refused};

/// acme: ws › {a › a1, b › b1, c}; globex: g. ann views everything in
/// acme; her key "two" is limited to a1 and c, "one" to b.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("a", K::Folder, "ws")
            .resource("a1", K::Flow, "a")
            .resource("b", K::Folder, "ws")
            .resource("b1", K::Flow, "b")
            .resource("c", K::Flow, "ws")
            .tenant("globex", K::Organization)
            .resource("g", K::Workspace, "globex")
            .role(Role::new("viewer").allow_everywhere(P::VIEW))
            .user(User::new("ann", "acme"))
            .grant(Grantee::user("ann"), "acme", "viewer", Effect::Allow)
            .api_key(ApiKey::new("two", "ann").within("a1").within("c"))
            .api_key(ApiKey::new("one", "ann").within("b")),
    )
}

fn key(policy: &Policy, name: &str) -> Subject {
    Subject::key(common::key_id(policy, name)).at(1)
}

#[test]
fn a_key_limited_to_several_subtrees_reaches_each_and_nothing_else() {
    let policy = model();
    #[rustfmt::skip]
    let table: &[(&str, &str, bool)] = &[
        ("two", "a1", true), ("two", "c", true),
        ("two", "a", false), ("two", "b1", false), ("two", "ws", false), ("two", "acme", false),
        ("one", "b", true), ("one", "b1", true), ("one", "a1", false), ("one", "c", false),
    ];
    for &(name, resource, allowed) in table {
        let decision = policy.authorize(
            &key(&policy, name),
            Action::View,
            common::resource(&policy, resource),
        );
        assert_eq!(decision.is_allowed(), allowed, "{name} on {resource}");
        if !allowed {
            assert_eq!(
                decision.reason(),
                Reason::KeyOutOfScope,
                "{name} on {resource}"
            );
        }
    }
}

#[test]
fn what_a_key_may_reach_is_the_union_of_its_subtrees() {
    let policy = model();
    let acme = common::resource(&policy, "acme");
    let mut names: Vec<&str> = policy
        .accessible(&key(&policy, "two"), Action::View, acme)
        .into_iter()
        .filter_map(|id| policy.resource_name(id))
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["a1", "c"]);
    let view = policy.key(common::key_id(&policy, "two")).unwrap();
    let roots: Vec<&str> = view
        .within()
        .filter_map(|id| policy.resource_name(id))
        .collect();
    assert_eq!(roots, ["a1", "c"]);
}

#[test]
fn removing_one_subtree_leaves_the_key_limited_to_the_others() {
    let mut policy = model();
    apply(&mut policy, Change::RemoveResource { name: "c".into() });
    let two = key(&policy, "two");
    assert!(policy
        .authorize(&two, Action::View, common::resource(&policy, "a1"))
        .is_allowed());
    // Never wider than before: the rest of the workspace stays out.
    assert_eq!(
        policy
            .authorize(&two, Action::View, common::resource(&policy, "b1"))
            .reason(),
        Reason::KeyOutOfScope
    );
    // Its last subtree gone, the key goes too.
    apply(&mut policy, Change::RemoveResource { name: "a".into() });
    assert!(policy.key_id("two").is_none());
}

#[test]
fn a_key_added_by_a_change_may_be_limited_to_several_subtrees_of_its_tenant() {
    let mut policy = model();
    apply(
        &mut policy,
        Change::AddKey(ApiKey::new("three", "ann").within("a1").within("b1")),
    );
    let three = key(&policy, "three");
    for (resource, allowed) in [("a1", true), ("b1", true), ("c", false)] {
        assert_eq!(
            policy
                .authorize(&three, Action::View, common::resource(&policy, resource))
                .is_allowed(),
            allowed,
            "{resource}"
        );
    }
    let problem = refused(
        &mut policy,
        Change::AddKey(ApiKey::new("four", "ann").within("a1").within("g")),
    );
    assert!(
        matches!(problem, ChangeProblem::CrossesTenants { .. }),
        "{problem}"
    );
}

#[test]
fn several_subtrees_are_kept_by_documents() {
    let policy = model();
    let document = policy.to_document();
    let two = document.keys.iter().find(|key| key.name == "two").unwrap();
    assert_eq!(two.within, ["a1", "c"]);
    assert_eq!(Policy::from_document(&document).unwrap(), policy);
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_value(&document).unwrap();
        let keys = json["keys"].as_array().unwrap();
        // One subtree is written as a name, several as a list.
        assert_eq!(keys[0]["within"], serde_json::json!(["a1", "c"]));
        assert_eq!(keys[1]["within"], serde_json::json!("b"));
        let back: clearance::PolicyDocument = serde_json::from_value(json).unwrap();
        assert_eq!(back, document);
        let wrong = r#"{"name": "k", "owner": "ann", "within": 7}"#;
        let error = serde_json::from_str::<clearance::KeyDocument>(wrong)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("a resource name or a list of resource names"),
            "{error}"
        );
    }
}
