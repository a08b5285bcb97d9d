//! Labels and conditional grants: attribute filters such as Smartflow's
//! distribution query, evaluated against the resource asked about.
#![expect(
    clippy::expect_used,
    reason = "fixture helpers outside #[test] fns stop the test loudly on a broken fixture"
)]

use clearance::{
    Action, Change, Channel, Condition, Effect, Grantee, Labels, Permissions as P, Policy,
    PolicyBuilder, PublicLink, Reason, ResourceKind as K, Role, Subject, User,
};

const EUROPE: Labels = Labels::bit(0);
const AMERICAS: Labels = Labels::bit(1);
const ASIA: Labels = Labels::bit(2);

/// ```text
/// acme
/// └── forms (folder)   portal: filler when labels intersect;
///     │                 managers: reviewer when the subject has all labels;
///     │                 portal: no-submit (deny) when labels intersect, on "audit" only
///     ├── eu-form      EUROPE
///     ├── world-form   EUROPE | AMERICAS
///     ├── audit        ASIA
///     └── open-form    (no labels)
/// ```
fn model() -> Policy {
    PolicyBuilder::new()
        .tenant("acme", K::Organization)
        .resource("forms", K::Folder, "acme")
        .resource("eu-form", K::Form, "forms")
        .resource("world-form", K::Form, "forms")
        .resource("audit", K::Form, "forms")
        .resource("open-form", K::Form, "forms")
        .labels("eu-form", EUROPE)
        .labels("world-form", EUROPE | AMERICAS)
        .labels("audit", ASIA)
        .role(Role::new("filler").allow([K::Form], P::VIEW | P::EXECUTE))
        .role(Role::new("reviewer").allow([K::Form], P::VIEW | P::EDIT))
        .role(Role::new("no-submit").allow([K::Form], P::EXECUTE))
        .team("portal", "acme")
        .team("managers", "acme")
        .user(User::new("eva", "acme").member_of("portal").labels(EUROPE))
        .user(
            User::new("amy", "acme")
                .member_of("portal")
                .labels(AMERICAS | ASIA),
        )
        .user(
            User::new("max", "acme")
                .member_of("managers")
                .labels(EUROPE | AMERICAS),
        )
        .user(User::new("nil", "acme").member_of("portal"))
        .grant_when(
            Grantee::team("portal"),
            "forms",
            "filler",
            Effect::Allow,
            Condition::LabelsIntersect,
        )
        .grant_when(
            Grantee::team("managers"),
            "forms",
            "reviewer",
            Effect::Allow,
            Condition::LabelsContain,
        )
        .grant_when(
            Grantee::team("portal"),
            "audit",
            "no-submit",
            Effect::Deny,
            Condition::LabelsIntersect,
        )
        .grant(Grantee::Public, "open-form", "filler", Effect::Allow)
        .link(PublicLink::new("open", "open-form", P::VIEW | P::EXECUTE))
        .build()
        .expect("the model builds")
}

fn ask(policy: &Policy, user: &str, action: Action, resource: &str) -> Reason {
    let subject = Subject::user(policy.user_id(user).expect("user"), Channel::Web);
    let resource = policy.resource_id(resource).expect("resource");
    let decision = policy.authorize(&subject, action, resource);
    assert_eq!(
        decision.is_allowed(),
        policy
            .effective(&subject, resource)
            .contains(action.permissions()),
        "effective agrees with authorize for {user} {action} {resource:?}"
    );
    decision.reason()
}

#[test]
fn an_intersect_grant_reaches_only_resources_sharing_a_label_with_the_subject() {
    let policy = model();
    #[rustfmt::skip]
    let table: &[(&str, &str, bool)] = &[
        ("eva", "eu-form", true),
        ("eva", "world-form", true),
        ("eva", "audit", false),
        ("amy", "eu-form", false),
        ("amy", "world-form", true),
        ("amy", "audit", true),
        // No labels on either side: nothing is shared.
        ("eva", "open-form", false),
        ("nil", "eu-form", false),
    ];
    for &(user, form, allowed) in table {
        let reason = ask(&policy, user, Action::View, form);
        assert_eq!(
            reason.is_allowed(),
            allowed,
            "{user} view {form}: {reason:?}"
        );
    }
}

#[test]
fn a_contain_grant_needs_every_label_of_the_resource() {
    let policy = model();
    assert!(ask(&policy, "max", Action::Edit, "eu-form").is_allowed());
    assert!(ask(&policy, "max", Action::Edit, "world-form").is_allowed());
    // Denied, and the reason names the grant whose condition fails.
    let reason = ask(&policy, "max", Action::Edit, "audit");
    assert!(
        matches!(reason, Reason::ConditionUnmet { .. }),
        "{reason:?}"
    );
    assert!(
        policy
            .explain(reason)
            .to_string()
            .ends_with("applies only when the subject has every label of the resource, which does not hold here"),
        "{}",
        policy.explain(reason)
    );
    // A resource without labels asks for nothing: every subject contains it.
    assert!(ask(&policy, "max", Action::Edit, "open-form").is_allowed());
}

#[test]
fn a_conditional_deny_applies_only_where_its_condition_holds() {
    let policy = model();
    // amy shares ASIA with "audit": the deny holds and wins.
    assert!(matches!(
        ask(&policy, "amy", Action::Execute, "audit"),
        Reason::Denied { .. }
    ));
    assert!(ask(&policy, "amy", Action::View, "audit").is_allowed());
}

#[test]
fn a_link_holder_has_no_labels() {
    let policy = model();
    let link = Subject::link(policy.link_id("open").expect("link"));
    let form = policy.resource_id("open-form").expect("form");
    assert!(policy.authorize(&link, Action::Execute, form).is_allowed());
}

#[test]
fn changing_labels_changes_decisions_at_once() {
    let mut policy = model();
    assert!(!ask(&policy, "eva", Action::View, "audit").is_allowed());
    policy
        .apply(Change::SetUserLabels {
            user: "eva".into(),
            labels: EUROPE | ASIA,
        })
        .expect("sets");
    assert!(ask(&policy, "eva", Action::View, "audit").is_allowed());
    policy
        .apply(Change::SetLabels {
            resource: "audit".into(),
            labels: AMERICAS,
        })
        .expect("sets");
    assert!(!ask(&policy, "eva", Action::View, "audit").is_allowed());
    let unknown = policy.apply(Change::SetLabels {
        resource: "nowhere".into(),
        labels: ASIA,
    });
    assert!(unknown.is_err());
}

#[test]
fn a_conditional_grant_made_by_a_change_decides_like_a_built_one() {
    let built = model();
    let mut changed = model();
    changed
        .apply(Change::Revoke {
            grantee: Grantee::team("managers"),
            scope: "forms".into(),
            role: "reviewer".into(),
            effect: Effect::Allow,
            by: None,
        })
        .expect("revokes");
    changed
        .apply(Change::Grant {
            grantee: Grantee::team("managers"),
            scope: "forms".into(),
            role: "reviewer".into(),
            effect: Effect::Allow,
            when: Condition::LabelsContain,
            by: None,
        })
        .expect("grants");
    for user in ["eva", "amy", "max", "nil"] {
        for form in ["eu-form", "world-form", "audit", "open-form"] {
            for action in [Action::View, Action::Edit, Action::Execute] {
                assert_eq!(
                    ask(&built, user, action, form),
                    ask(&changed, user, action, form),
                    "{user} {action} {form}"
                );
            }
        }
    }
}

#[test]
fn labels_and_conditions_round_trip_through_a_document() {
    let policy = model();
    let document = policy.to_document();
    let rebuilt = Policy::from_document(&document).expect("rebuilds");
    assert_eq!(rebuilt, policy);
}

#[test]
fn labelling_an_unknown_resource_is_a_build_error() {
    let error = PolicyBuilder::new()
        .tenant("acme", K::Organization)
        .labels("nowhere", EUROPE)
        .build()
        .expect_err("refused");
    assert!(
        error.to_string().contains("unknown resource \"nowhere\""),
        "{error}"
    );
}

#[test]
fn accessible_follows_conditions_like_authorize() {
    let policy = model();
    let acme = policy.resource_id("acme").expect("acme");
    for user in ["eva", "amy", "max", "nil"] {
        let subject = Subject::user(policy.user_id(user).expect("user"), Channel::Web);
        for action in [Action::View, Action::Edit, Action::Execute] {
            let expected: Vec<_> = policy
                .resources()
                .filter(|&r| policy.authorize(&subject, action, r).is_allowed())
                .collect();
            assert_eq!(
                policy.accessible(&subject, action, acme),
                expected,
                "{user} {action}"
            );
        }
    }
}
