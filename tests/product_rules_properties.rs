//! The product rules of issue 16 as properties: whatever changes are
//! applied, one by one or in batches, in any order, accepted or refused,
//!
//! - every user of the tenant stays in exactly one team of its exclusive
//!   set;
//! - no account that held its required role lacks it, and every account
//!   that lacks one is denied everything with `RequiredRoleMissing`;
//! - a protected account keeps its standing, type, channels, teams and
//!   every permission it had.
#![expect(
    clippy::expect_used,
    reason = "the fixed model builds, and its protected account stays: a failure is loud"
)]

use clearance::{
    Action, Change, Condition, Effect, Grantee, Permissions as P, Policy, PolicyBuilder, Reason,
    RequiredOf, ResourceKind as K, Role, Status, Subject, User, UserType, UserTypes,
};
use proptest::prelude::*;

const USERS: [&str; 5] = ["ann", "bob", "cy", "dee", "sys"];
const TEAMS: [&str; 4] = ["portal", "normal", "admins", "ops"];
const RESOURCES: [&str; 4] = ["acme", "ws", "folder", "flow"];
const ROLES: [&str; 4] = ["default", "viewer", "editor", "admin"];

/// acme › ws › folder › flow. Teams portal, normal and admins are
/// exclusive; ops is not. Default (view) is required of normal's members
/// and held by normal on acme; admin (everything) is required of native
/// admins. "sys" is a protected (native) account in admins, holding
/// editor on ws. ann: normal; bob: portal; cy: a native admin in admins, holding
/// admin on acme; dee: normal and ops.
fn model() -> Policy {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .resource("folder", K::Folder, "ws")
        .resource("flow", K::Flow, "folder")
        .role(Role::new("default").allow_everywhere(P::VIEW))
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .role(Role::new("editor").allow_everywhere(P::VIEW | P::EDIT))
        .role(Role::new("admin").allow_everywhere(P::all()));
    for team in TEAMS {
        builder.team(team, "acme");
    }
    builder
        .exclusive_teams(["portal", "normal", "admins"])
        .require_role(RequiredOf::Team("normal".into()), "default")
        .require_role(RequiredOf::Types(UserTypes::NATIVE_ADMIN), "admin")
        .user(User::new("ann", "acme").member_of("normal"))
        .user(User::new("bob", "acme").member_of("portal"))
        .user(
            User::new("cy", "acme")
                .user_type(UserType::NativeAdmin)
                .member_of("admins"),
        )
        .user(
            User::new("dee", "acme")
                .member_of("normal")
                .member_of("ops"),
        )
        .user(User::new("sys", "acme").member_of("admins").protected())
        .grant(Grantee::team("normal"), "acme", "default", Effect::Allow)
        .grant(Grantee::user("cy"), "acme", "admin", Effect::Allow)
        .grant(Grantee::user("sys"), "ws", "editor", Effect::Allow);
    builder.build().expect("the model builds")
}

fn grantee() -> impl Strategy<Value = Grantee> {
    prop_oneof![
        prop::sample::select(&USERS[..]).prop_map(Grantee::user),
        prop::sample::select(&TEAMS[..]).prop_map(Grantee::team),
        Just(Grantee::Everyone),
    ]
}

fn effect() -> impl Strategy<Value = Effect> {
    prop_oneof![
        Just(Effect::Allow),
        Just(Effect::Deny),
        Just(Effect::Override)
    ]
}

fn user() -> impl Strategy<Value = String> {
    prop::sample::select(&USERS[..]).prop_map(str::to_string)
}

fn team() -> impl Strategy<Value = String> {
    prop::sample::select(&TEAMS[..]).prop_map(str::to_string)
}

/// Changes among the names of the model (and a new user or two).
fn change() -> impl Strategy<Value = Change> {
    let resource = prop::sample::select(&RESOURCES[..]).prop_map(str::to_string);
    let role = prop::sample::select(&ROLES[..]).prop_map(str::to_string);
    prop_oneof![
        (grantee(), resource.clone(), role.clone(), effect()).prop_map(
            |(grantee, scope, role, effect)| Change::Grant {
                grantee,
                scope,
                role,
                effect,
                when: Condition::Always,
                by: None,
            }
        ),
        (grantee(), resource.clone(), role.clone(), effect()).prop_map(
            |(grantee, scope, role, effect)| Change::Revoke {
                grantee,
                scope,
                role,
                effect,
                by: None,
            }
        ),
        (user(), team()).prop_map(|(user, team)| Change::AddMembership { user, team }),
        (user(), team()).prop_map(|(user, team)| Change::RemoveMembership { user, team }),
        (user(), team(), team()).prop_map(|(user, from, to)| Change::MoveMembership {
            user,
            from,
            to
        }),
        team().prop_map(|name| Change::RemoveTeam { name }),
        user().prop_map(|user| Change::Suspend { user, by: None }),
        user().prop_map(|name| Change::RemoveUser { name, by: None }),
        (
            user(),
            prop::sample::select(vec![
                UserType::Native,
                UserType::NativeAdmin,
                UserType::Connected
            ])
        )
            .prop_map(|(user, user_type)| Change::SetUserType {
                user,
                user_type,
                channels: None,
                by: None,
            }),
        (
            prop::sample::select(vec!["new1", "new2"]),
            prop::sample::select(&TEAMS[..]),
            prop::sample::select(vec![UserType::Native, UserType::NativeAdmin]),
        )
            .prop_map(|(name, team, user_type)| {
                Change::AddUser(User::new(name, "acme").user_type(user_type).member_of(team))
            }),
        (role, prop::sample::select(vec![P::VIEW, P::EDIT, P::all()])).prop_map(
            |(name, permissions)| Change::UpdateRole(Role::new(name).allow_everywhere(permissions))
        ),
    ]
}

/// The invariants, after any changes.
fn check(policy: &Policy, sys_before: &[P]) -> Result<(), TestCaseError> {
    let exclusive = ["portal", "normal", "admins"];
    for view in policy.users() {
        let teams: Vec<&str> = view
            .teams()
            .filter_map(|team| policy.team_name(team))
            .collect();
        let held = teams.iter().filter(|team| exclusive.contains(team)).count();
        prop_assert_eq!(held, 1, "{} is in {:?}", view.name(), teams);
        if let Some(role) = view.lacks_required_role() {
            let subject = Subject::user(view.id(), clearance::Channel::Web).at(1);
            for resource in policy.resources() {
                prop_assert_eq!(
                    policy.authorize(&subject, Action::View, resource).reason(),
                    Reason::RequiredRoleMissing { role },
                    "{} lacks a role but was not denied for it",
                    view.name()
                );
            }
        }
    }
    // No account the model starts with lacks a role (so none may, ever).
    let lacking: Vec<&str> = policy
        .users()
        .filter(|view| view.lacks_required_role().is_some())
        .map(|view| view.name())
        .collect();
    prop_assert!(lacking.is_empty(), "lacking {:?}", lacking);
    // The protected system account is untouched.
    let sys = policy.user_id("sys").expect("a protected account stays");
    let view = policy.user(sys).expect("a protected account stays");
    prop_assert_eq!(view.status(), Status::Active);
    prop_assert_eq!(view.user_type(), UserType::Native);
    let teams: Vec<&str> = view.teams().filter_map(|t| policy.team_name(t)).collect();
    prop_assert_eq!(teams, ["admins"]);
    // It may be given more, never less.
    for (now, before) in holdings(policy, "sys").iter().zip(sys_before) {
        prop_assert!(
            now.contains(*before),
            "sys held {:?}, now {:?}",
            before,
            now
        );
    }
    Ok(())
}

/// What `name` may do on each resource, through the web.
fn holdings(policy: &Policy, name: &str) -> Vec<P> {
    let Some(user) = policy.user_id(name) else {
        return Vec::new();
    };
    let subject = Subject::user(user, clearance::Channel::Web).at(1);
    RESOURCES
        .iter()
        .filter_map(|name| policy.resource_id(name))
        .map(|resource| policy.effective(&subject, resource))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Changes one by one, accepted or refused.
    #[test]
    fn the_product_rules_hold_after_any_changes(changes in prop::collection::vec(change(), 1..24)) {
        let mut policy = model();
        let sys_before = holdings(&policy, "sys");
        check(&policy, &sys_before)?;
        for change in changes {
            let _ = policy.apply(change);
            check(&policy, &sys_before)?;
        }
    }

    /// The same changes in batches: a batch is checked as a whole.
    #[test]
    fn the_product_rules_hold_after_any_batches(
        batches in prop::collection::vec(prop::collection::vec(change(), 1..5), 1..8)
    ) {
        let mut policy = model();
        let sys_before = holdings(&policy, "sys");
        for batch in batches {
            let _ = policy.apply_all(batch);
            check(&policy, &sys_before)?;
        }
    }
}
