//! Batches and revisions: `apply_all` is all or nothing and applies its
//! changes in order, the revision advances by one per applied change and
//! never on a refusal, and a log applied one by one or as one batch gives
//! equal policies (DESIGN.md, "Changing the model"; issue 3, "Changes").

mod common;

use clearance::{Action, Change, Effect, Grantee, Reason, ResourceKind as K, Revision};
use common::changes::{
    add, add_team, apply, grant_change, membership, model, reactivate, refused, suspend,
};
use common::{assert_decision, assert_nothing_dangles, resource, role_id, user, By, Expected};

#[test]
fn apply_all_is_all_or_nothing_and_names_the_failed_change() {
    let mut policy = model();
    let before = policy.clone();
    let error = match policy.apply_all([
        add_team("qa", "acme"),
        membership("cy", "qa"),
        membership("gus", "qa"),
        suspend("ann"),
    ]) {
        Ok(revision) => panic!("the batch was applied ({revision})"),
        Err(error) => error,
    };
    assert_eq!(policy, before, "a refused batch changed the policy");
    assert_eq!(policy.team_id("qa"), None, "the first change was kept");
    assert_eq!(error.index(), 2);
    assert_eq!(error.change(), r#"add "gus" to team "qa""#);
    assert_eq!(
        error.to_string(),
        r#"change #2 (add "gus" to team "qa") refused: team "qa" belongs to tenant "acme", not "globex"; nothing may cross tenants"#
    );
}

#[test]
fn a_batch_applies_its_changes_in_order() {
    let mut policy = model();
    let revision = policy
        .apply_all([
            add_team("qa", "acme"),
            membership("cy", "qa"),
            grant_change(Grantee::team("qa"), "ws2", "viewer", Effect::Allow),
        ])
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(revision, Revision::new(3));
    assert_decision(
        &policy,
        &user(&policy, "cy"),
        Action::View,
        "ws2",
        Expected::Granted(By::Team("qa"), "ws2", "viewer").reason(&policy),
    );
}

#[test]
fn the_revision_advances_by_one_per_applied_change_and_never_on_a_refusal() {
    let mut policy = model();
    assert_eq!(policy.revision(), Revision::new(0));
    assert_eq!(apply(&mut policy, suspend("ann")), Revision::new(1));
    assert_eq!(policy.revision(), Revision::new(1));
    let _ = refused(&mut policy, suspend("ann"));
    assert_eq!(policy.revision(), Revision::new(1));
    let batch = [reactivate("ann"), suspend("bob"), reactivate("bob")];
    assert_eq!(
        policy.apply_all(batch).map_err(|error| error.to_string()),
        Ok(Revision::new(4))
    );
    assert_eq!(policy.revision(), Revision::new(4));
    let failing = [suspend("ann"), suspend("ann")];
    assert!(policy.apply_all(failing).is_err());
    assert_eq!(policy.revision(), Revision::new(4));
    assert_eq!(policy.apply_all([]), Ok(Revision::new(4)));
    assert_eq!(policy.revision().get(), 4);
    assert_eq!(policy.revision().to_string(), "revision 4");
}

#[test]
fn applying_a_long_log_one_by_one_or_in_one_batch_gives_equal_policies() {
    // Long enough that the policy compacts its arenas on the way: 80 own
    // grants for one user, 60 team grants on one resource.
    let start = model();
    let folder = |index: usize| format!("f{index}");
    let team = |index: usize| format!("g{index}");
    let mut log: Vec<Change> = Vec::new();
    for index in 0..80 {
        log.push(add(&folder(index), K::Folder, Some("ws2")));
        log.push(grant_change(
            Grantee::user("cy"),
            &folder(index),
            "viewer",
            Effect::Allow,
        ));
    }
    for index in 0..60 {
        log.push(add_team(&team(index), "acme"));
        log.push(grant_change(
            Grantee::team(team(index)),
            "ws2",
            "editor",
            Effect::Allow,
        ));
    }
    log.push(membership("bob", "g59"));
    let mut one_by_one = start.clone();
    for change in log.clone() {
        apply(&mut one_by_one, change);
    }
    let mut batched = start;
    if let Err(error) = batched.apply_all(log) {
        panic!("{error}");
    }
    assert_eq!(one_by_one.revision(), batched.revision());
    assert!(one_by_one == batched, "the same log gave unequal policies");
    for policy in [&one_by_one, &batched] {
        let cy = user(policy, "cy");
        for index in 0..80 {
            let name = folder(index);
            let reason = Reason::Granted {
                principal: By::User("cy").principal(policy),
                scope: resource(policy, &name),
                role: role_id(policy, "viewer"),
            };
            assert_decision(policy, &cy, Action::View, &name, reason);
        }
        assert_decision(
            policy,
            &user(policy, "bob"),
            Action::View,
            "ws2",
            Expected::Granted(By::Team("g59"), "ws2", "editor").reason(policy),
        );
        assert_nothing_dangles(policy);
    }
}
