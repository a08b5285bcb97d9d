//! Exclusive team sets (issue 16, item 3): "A set of teams of which each
//! user is in exactly one (Smartflow's user groups), checked at build and
//! on every membership change; moving a user between groups is one
//! change."

mod common;

use clearance::{
    Change, ChangeProblem, Entity, Policy, PolicyBuilder, Problem, ResourceKind as K, User,
};
use common::changes::{apply, refused};
use common::{build, problems};

/// acme: teams portal, normal, interface (exclusive) and ops (not);
/// pat in portal, nick in normal and ops. globex: gus, in no team.
fn model() -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .tenant("globex", K::Organization)
        .team("portal", "acme")
        .team("normal", "acme")
        .team("interface", "acme")
        .team("ops", "acme")
        .exclusive_teams(["portal", "normal", "interface"])
        .user(User::new("pat", "acme").member_of("portal"))
        .user(
            User::new("nick", "acme")
                .member_of("normal")
                .member_of("ops"),
        )
        .user(User::new("gus", "globex"));
    builder
}

fn breach(user: &str, count: usize) -> ChangeProblem {
    ChangeProblem::NotInExactlyOneTeam {
        user: user.into(),
        teams: vec!["portal".into(), "normal".into(), "interface".into()],
        count,
    }
}

fn teams_of(policy: &Policy, user: &str) -> Vec<String> {
    let Some(view) = policy.user(common::user_id(policy, user)) else {
        return Vec::new();
    };
    view.teams()
        .filter_map(|team| policy.team_name(team))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_model_with_a_user_in_none_or_two_of_the_set_does_not_build() {
    let mut builder = model();
    builder.user(User::new("ivy", "acme")).user(
        User::new("two", "acme")
            .member_of("portal")
            .member_of("normal"),
    );
    let found = problems(&mut builder);
    let counts: Vec<(String, usize)> = found
        .iter()
        .filter_map(|problem| match problem {
            Problem::NotInExactlyOneTeam { user, count, .. } => Some((user.clone(), *count)),
            _ => None,
        })
        .collect();
    assert_eq!(counts, [("ivy".to_string(), 0), ("two".to_string(), 2)]);
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn a_set_of_teams_of_two_tenants_does_not_build() {
    let mut builder = model();
    builder
        .team("gteam", "globex")
        .exclusive_teams(["portal", "gteam"]);
    let found = problems(&mut builder);
    assert!(
        found
            .iter()
            .any(|problem| matches!(problem, Problem::CrossesTenants { .. })),
        "{found:?}"
    );
}

#[test]
fn every_membership_change_keeps_each_user_in_exactly_one() {
    let mut policy = build(&mut model());
    let join = |user: &str, team: &str| Change::AddMembership {
        user: user.into(),
        team: team.into(),
    };
    let leave = |user: &str, team: &str| Change::RemoveMembership {
        user: user.into(),
        team: team.into(),
    };
    assert_eq!(
        refused(&mut policy, join("pat", "normal")),
        breach("pat", 2)
    );
    assert_eq!(
        refused(&mut policy, leave("pat", "portal")),
        breach("pat", 0)
    );
    assert_eq!(
        refused(&mut policy, Change::AddUser(User::new("ivy", "acme"))),
        breach("ivy", 0)
    );
    assert_eq!(
        refused(
            &mut policy,
            Change::Invite {
                user: User::new("two", "acme")
                    .member_of("portal")
                    .member_of("interface"),
                until: 10,
            }
        ),
        breach("two", 2)
    );
    assert_eq!(
        refused(
            &mut policy,
            Change::RemoveTeam {
                name: "interface".into()
            }
        ),
        ChangeProblem::InUse {
            entity: Entity::Team,
            name: "interface".into(),
            by: "a set of exclusive teams".into(),
        }
    );
    // Teams outside the set, and users of other tenants, are free.
    apply(&mut policy, leave("nick", "ops"));
    apply(&mut policy, join("pat", "ops"));
    apply(&mut policy, Change::AddUser(User::new("gwen", "globex")));
    apply(
        &mut policy,
        Change::AddUser(User::new("ivy", "acme").member_of("interface")),
    );
}

#[test]
fn moving_a_user_between_exclusive_teams_is_one_change() {
    let mut policy = build(&mut model());
    let moved = Change::MoveMembership {
        user: "pat".into(),
        from: "portal".into(),
        to: "normal".into(),
    };
    assert_eq!(
        moved.to_string(),
        r#"move "pat" from team "portal" to team "normal""#
    );
    apply(&mut policy, moved);
    assert_eq!(teams_of(&policy, "pat"), ["normal"]);
    // Refused whole when either half is.
    assert!(matches!(
        refused(
            &mut policy,
            Change::MoveMembership {
                user: "pat".into(),
                from: "portal".into(),
                to: "interface".into(),
            }
        ),
        ChangeProblem::NotInTeam { .. }
    ));
    assert!(matches!(
        refused(
            &mut policy,
            Change::MoveMembership {
                user: "nick".into(),
                from: "ops".into(),
                to: "normal".into(),
            }
        ),
        ChangeProblem::AlreadyMember { .. }
    ));
    // Out of the set into a team outside it leaves the user in none.
    assert_eq!(
        refused(
            &mut policy,
            Change::MoveMembership {
                user: "pat".into(),
                from: "normal".into(),
                to: "ops".into(),
            }
        ),
        breach("pat", 0)
    );
}

#[test]
fn exclusive_sets_are_kept_by_documents() {
    let policy = build(&mut model());
    let document = policy.to_document();
    assert_eq!(
        document.exclusive_teams,
        [vec![
            "portal".to_string(),
            "normal".to_string(),
            "interface".to_string()
        ]]
    );
    assert_eq!(Policy::from_document(&document).unwrap(), policy);
}
