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
use std::time::{Duration, Instant};

/// How long `run` takes, the best of two runs: the machine may be busy
/// with others.
fn best_of_two(run: impl Fn()) -> Duration {
    let once = || {
        let started = Instant::now();
        run();
        started.elapsed()
    };
    once().min(once())
}

/// That `time` at size `large` is under `limit` times `time` at `small`:
/// the growth a linear (or better) cost stays under and a quadratic one
/// does not.
#[track_caller]
fn assert_scales((small, large): (usize, usize), limit: u32, time: impl Fn(usize) -> Duration) {
    let (fast, slow) = (time(small), time(large));
    assert!(slow < fast * limit, "{small}: {fast:?}; {large}: {slow:?}");
}

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

/// `tenants` tenants, each with two exclusive teams and `users` users, in
/// the first of them.
fn many_tenants(tenants: usize, users: usize) -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    for tenant in 0..tenants {
        let name = format!("t{tenant}");
        let (left, right) = (format!("t{tenant}-left"), format!("t{tenant}-right"));
        builder
            .tenant(&name, K::Organization)
            .team(&left, &name)
            .team(&right, &name)
            .exclusive_teams([left.clone(), right]);
        for user in 0..users {
            builder.user(User::new(format!("t{tenant}-u{user}"), &name).member_of(&left));
        }
    }
    builder
}

/// Checking exclusive sets at build costs in proportion to the users, not
/// to the sets times the users: Smartflow declares one set per tenant, so
/// the product of the two grew with the square of the tenants.
#[test]
fn exclusive_sets_cost_the_build_linear_time_in_the_tenants() {
    let time = |tenants: usize| {
        let builder = many_tenants(tenants, 4);
        best_of_two(|| {
            builder.build().unwrap();
        })
    };
    // Eight times the tenants: linear is about 8x, quadratic about 64x.
    assert_scales((1_000, 8_000), 24, time);
}

/// acme: ws › `flows` flows; ann views everything; her key "many" is
/// limited to every flow.
fn key_of_many_flows(flows: usize) -> Policy {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .user(User::new("ann", "acme"))
        .grant(Grantee::user("ann"), "acme", "viewer", Effect::Allow);
    let mut key = ApiKey::new("many", "ann");
    for flow in 0..flows {
        let name = format!("f{flow}");
        builder.resource(&name, K::Flow, "ws");
        key = key.within(name);
    }
    builder.api_key(key);
    build(&mut builder)
}

/// A key limited to many subtrees costs a decision a lookup of each
/// ancestor among its roots, not a scan of every root per ancestor.
#[test]
fn a_key_of_many_subtrees_costs_a_decision_no_scan_of_its_roots() {
    let time = |flows: usize| {
        let policy = key_of_many_flows(flows);
        let subject = key(&policy, "many");
        let ws = common::resource(&policy, "ws");
        let last = common::resource(&policy, &format!("f{}", flows - 1));
        best_of_two(|| {
            for _ in 0..2_000 {
                assert!(!policy.authorize(&subject, Action::View, ws).is_allowed());
                assert!(policy.authorize(&subject, Action::View, last).is_allowed());
            }
        })
    };
    // Sixteen times the roots: a scan is about 16x, a lookup about 1.4x.
    assert_scales((1_000, 16_000), 6, time);
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
#[ignore = "needs a new Problem variant (public API): left to the lead"]
fn an_empty_set_of_exclusive_teams_does_not_build() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .team("portal", "acme")
        .user(User::new("pat", "acme").member_of("portal"))
        .exclusive_teams(Vec::<String>::new());
    assert!(builder.build().is_err());
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

/// acme › ws › d0 › d1 › … (a chain of `depth` folders); ann views
/// everything; her key "nested" is limited to every folder of the chain.
fn key_of_nested_folders(depth: usize) -> Policy {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .user(User::new("ann", "acme"))
        .grant(Grantee::user("ann"), "acme", "viewer", Effect::Allow);
    let mut key = ApiKey::new("nested", "ann");
    let mut parent = "ws".to_string();
    for level in 0..depth {
        let name = format!("d{level}");
        builder.resource(&name, K::Folder, &parent);
        key = key.within(name.clone());
        parent = name;
    }
    builder.api_key(key);
    build(&mut builder)
}

/// `accessible` for a key of nested subtrees searches the outermost once:
/// it searched each, so a chain of nested roots cost the square of its
/// length.
#[test]
fn accessible_for_a_key_of_nested_subtrees_searches_each_resource_once() {
    let time = |depth: usize| {
        let policy = key_of_nested_folders(depth);
        let subject = key(&policy, "nested");
        let acme = common::resource(&policy, "acme");
        best_of_two(|| {
            let found = policy.accessible(&subject, Action::View, acme);
            assert_eq!(found.len(), depth);
        })
    };
    // Four times the depth: linear is about 4x, quadratic about 16x.
    assert_scales((500, 2_000), 9, time);
}

/// acme › ws › d0 › d1 › … (a chain of `depth` folders, each labelled);
/// ann (no labels) holds "viewer" on each folder when labels intersect.
fn conditional_chain(depth: usize) -> Policy {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .user(User::new("ann", "acme"));
    let mut parent = "ws".to_string();
    for level in 0..depth {
        let name = format!("d{level}");
        builder
            .resource(&name, K::Folder, &parent)
            .labels(&name, Labels::bit(1))
            .grant_when(
                Grantee::user("ann"),
                &name,
                "viewer",
                Effect::Allow,
                Condition::LabelsIntersect,
            );
        parent = name;
    }
    build(&mut builder)
}

/// Naming the unmet condition of a denial looks up the subject's own
/// grants at each resource on the path; it scanned all of them at each,
/// the square of a path that holds one at every level.
#[test]
fn naming_an_unmet_condition_costs_no_scan_of_own_grants_per_ancestor() {
    let time = |depth: usize| {
        let policy = conditional_chain(depth);
        let ann = Subject::user(common::user_id(&policy, "ann"), Channel::Web);
        let deepest = common::resource(&policy, &format!("d{}", depth - 1));
        best_of_two(|| {
            for _ in 0..20 {
                let decision = policy.authorize(&ann, Action::Delete, deepest);
                assert!(!decision.is_allowed());
            }
        })
    };
    // Four times the depth: linear is about 4x, quadratic about 16x.
    assert_scales((500, 2_000), 9, time);
}
