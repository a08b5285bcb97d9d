//! An attacker's second review of issue 16: exclusive team sets,
//! `ReplaceRole`, reasons that name the condition, and keys limited to
//! several subtrees. Each test states a rule one path broke.

mod common;

use clearance::{
    Action, ApiKey, Change, ChangeProblem, Channel, Condition, Effect, Grantee, Labels,
    Permissions as P, Policy, PolicyBuilder, Reason, ResourceKind as K, Role, Subject, User,
};
use common::build;
use common::changes::{apply, refused};

fn replace(grantee: Grantee, scope: &str, from: &str, to: &str, when: Condition) -> Change {
    Change::ReplaceRole {
        grantee,
        scope: scope.into(),
        from: from.into(),
        to: to.into(),
        effect: Effect::Allow,
        when,
        by: None,
    }
}

/// The change's docs: "Refused, whole, when the grantee ... holds `to`
/// already". Replacing a role by itself was accepted (the revoke and the
/// add hit the same identity), a no-op that still took a revision, or a
/// silent change of the grant's condition.
#[test]
fn replacing_a_role_by_itself_is_refused_as_already_granted() {
    let mut policy = common::changes::model();
    for when in [Condition::Always, Condition::LabelsIntersect] {
        for (grantee, scope, role) in [
            (Grantee::user("bob"), "folder", "deleter"),
            (Grantee::team("ops"), "ws", "editor"),
            (Grantee::Public, "ws", "viewer"),
        ] {
            let problem = refused(&mut policy, replace(grantee, scope, role, role, when));
            assert_eq!(problem, ChangeProblem::AlreadyGranted);
        }
    }
    // Not held: the revoke half is refused first.
    let problem = refused(
        &mut policy,
        replace(
            Grantee::user("ann"),
            "folder",
            "deleter",
            "deleter",
            Condition::Always,
        ),
    );
    assert_eq!(problem, ChangeProblem::NotGranted);
}

/// acme: ws › {a › a1, b › b1, c}; ann views everything in acme; her key
/// "two" is limited to a1 and c.
fn keys_model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("a", K::Folder, "ws")
            .resource("a1", K::Flow, "a")
            .resource("b", K::Folder, "ws")
            .resource("b1", K::Flow, "b")
            .resource("c", K::Flow, "ws")
            .role(Role::new("viewer").allow_everywhere(P::VIEW))
            .user(User::new("ann", "acme"))
            .grant(Grantee::user("ann"), "acme", "viewer", Effect::Allow)
            .api_key(
                ApiKey::new("two", "ann")
                    .within("a1")
                    .within("c")
                    .within("a"),
            ),
    )
}

fn key(policy: &Policy, name: &str) -> Subject {
    Subject::key(common::key_id(policy, name)).at(1)
}

/// A key that loses some of its subtrees to `RemoveResource` keeps the
/// others, and the policy reads back from its document as it is.
#[test]
fn a_key_that_loses_a_subtree_round_trips_through_its_document() {
    let mut policy = keys_model();
    apply(&mut policy, Change::RemoveResource { name: "c".into() });
    let a1 = common::resource(&policy, "a1");
    assert!(policy
        .authorize(&key(&policy, "two"), Action::View, a1)
        .is_allowed());
    let b1 = common::resource(&policy, "b1");
    assert!(!policy
        .authorize(&key(&policy, "two"), Action::View, b1)
        .is_allowed());
    let document = policy.to_document();
    assert_eq!(Policy::from_document(&document).unwrap(), policy);
    apply(&mut policy, Change::RemoveResource { name: "a1".into() });
    let document = policy.to_document();
    assert_eq!(Policy::from_document(&document).unwrap(), policy);
    apply(&mut policy, Change::RemoveKey { name: "two".into() });
    let document = policy.to_document();
    assert_eq!(Policy::from_document(&document).unwrap(), policy);
}

/// acme › forms › audit (label 2). Team portal holds, on forms, "viewer"
/// when labels intersect and "deleter" when the subject has every label;
/// eva (label 0) is in portal.
fn two_conditional_grants() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("forms", K::Folder, "acme")
            .resource("audit", K::Form, "forms")
            .labels("audit", Labels::bit(2))
            .role(Role::new("viewer").allow([K::Form], P::VIEW))
            .role(Role::new("deleter").allow([K::Form], P::DELETE))
            .team("portal", "acme")
            .user(
                User::new("eva", "acme")
                    .member_of("portal")
                    .labels(Labels::bit(0)),
            )
            .grant_when(
                Grantee::team("portal"),
                "forms",
                "viewer",
                Effect::Allow,
                Condition::LabelsIntersect,
            )
            .grant_when(
                Grantee::team("portal"),
                "forms",
                "deleter",
                Effect::Allow,
                Condition::LabelsContain,
            ),
    )
}

/// "A decision denied because a condition failed says so, naming the
/// grant and the condition": with two conditional grants of one principal
/// on one scope, the explanation named the first of them, "viewer", for a
/// denied delete that only "deleter" would have given.
#[test]
fn the_explanation_of_an_unmet_condition_names_no_grant_that_would_not_have_given_it() {
    let policy = two_conditional_grants();
    let eva = Subject::user(common::user_id(&policy, "eva"), Channel::Web);
    let audit = common::resource(&policy, "audit");
    let decision = policy.authorize(&eva, Action::Delete, audit);
    assert!(matches!(decision.reason(), Reason::ConditionUnmet { .. }));
    let text = policy.explain(decision.reason()).to_string();
    assert!(text.contains("\"deleter\""), "{text}");
    assert!(!text.contains("the grant of the role \"viewer\""), "{text}");
}

/// Whether `resource` is `within` or below it.
fn below(policy: &Policy, resource: clearance::ResourceId, within: clearance::ResourceId) -> bool {
    let mut at = Some(resource);
    while let Some(node) = at {
        if node == within {
            return true;
        }
        at = policy.parent(node);
    }
    false
}

/// What `accessible` lists for a key of several, nested, subtrees is what
/// `authorize` allows, from every starting point, before and after one of
/// its roots is moved and another removed.
#[test]
fn accessible_agrees_with_authorize_for_a_key_of_nested_subtrees() {
    let mut policy = keys_model();
    let check = |policy: &Policy| {
        let subject = key(policy, "two");
        let names = ["acme", "ws", "a", "a1", "b", "b1", "c"];
        let live: Vec<_> = names
            .iter()
            .filter_map(|name| policy.resource_id(name))
            .collect();
        for &within in &live {
            let mut expected: Vec<_> = live
                .iter()
                .copied()
                .filter(|&r| below(policy, r, within))
                .filter(|&r| policy.authorize(&subject, Action::View, r).is_allowed())
                .collect();
            expected.sort_unstable();
            let mut found = policy.accessible(&subject, Action::View, within);
            found.sort_unstable();
            assert_eq!(found, expected, "within {within:?}");
        }
    };
    check(&policy);
    apply(
        &mut policy,
        Change::MoveResource {
            name: "a1".into(),
            parent: "b".into(),
        },
    );
    check(&policy);
    apply(&mut policy, Change::RemoveResource { name: "a".into() });
    check(&policy);
}

/// The workspace platform's "specific flows" key with no flow named:
/// `KeyScope::Flows(vec![])` was folded into a key without a limit, that
/// is, one that works with every flow, like `AllFlows`. A key of no flows
/// reaches no flow.
#[test]
fn a_specific_flows_key_naming_no_flow_reaches_no_flow() {
    use clearance::presets::workspace_platform::{self as wp, KeyExpiry, KeyScope};
    let mut builder = wp::builder();
    builder
        .tenant("ops", K::Workspace)
        .resource("dev", K::Folder, "ops")
        .resource("dev-flow", K::Flow, "dev")
        .user(User::new("ed", "ops"));
    wp::assign(&mut builder, Grantee::user("ed"), "ops", wp::EDITOR);
    builder.api_key(wp::api_key(
        "none",
        "ed",
        KeyScope::Flows(Vec::new()),
        KeyExpiry::Never,
        0,
    ));
    let policy = build(&mut builder);
    let subject = key(&policy, "none");
    for (action, on) in [
        (Action::View, "dev-flow"),
        (Action::Edit, "dev-flow"),
        (Action::Execute, "dev-flow"),
        (Action::View, "dev"),
        (Action::Create, "dev"),
    ] {
        let resource = common::resource(&policy, on);
        assert!(
            !policy.authorize(&subject, action, resource).is_allowed(),
            "{action:?} on {on}"
        );
    }
}

/// A set of exclusive teams that names no team states a rule no user can
/// keep ("exactly one of none"): it was dropped without a word, so the
/// host believed a rule held that the policy did not know.
#[test]
fn an_empty_set_of_exclusive_teams_does_not_build() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .team("portal", "acme")
        .user(User::new("pat", "acme").member_of("portal"))
        .exclusive_teams(Vec::<String>::new());
    assert!(matches!(
        common::problems(&mut builder).as_slice(),
        [clearance::Problem::EmptyExclusiveSet { index: 0 }]
    ));
}

/// A move from a team to itself is no move: it was accepted (leaving and
/// joining the same team), a no-op that took a revision. It is refused as
/// the join of a team the user is in.
#[test]
fn moving_a_user_from_a_team_to_itself_is_refused_as_already_member() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .team("portal", "acme")
        .team("normal", "acme")
        .team("ops", "acme")
        .exclusive_teams(["portal", "normal"])
        .user(
            User::new("pat", "acme")
                .member_of("portal")
                .member_of("ops"),
        );
    let mut policy = build(&mut builder);
    for team in ["portal", "ops"] {
        let problem = refused(
            &mut policy,
            Change::MoveMembership {
                user: "pat".into(),
                from: team.into(),
                to: team.into(),
            },
        );
        assert!(
            matches!(problem, ChangeProblem::AlreadyMember { .. }),
            "{team}: {problem:?}"
        );
    }
    // Not a member: the leaving half is refused first.
    let problem = refused(
        &mut policy,
        Change::MoveMembership {
            user: "pat".into(),
            from: "normal".into(),
            to: "normal".into(),
        },
    );
    assert!(
        matches!(problem, ChangeProblem::NotInTeam { .. }),
        "{problem:?}"
    );
}
