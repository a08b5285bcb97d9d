//! Attacks on role eligibility (`Role::only_for`): a role is open only to
//! the user types that it *and every role it inherits* allow, and that holds
//! wherever a role reaches a user: in the builder, in documents, in every
//! change that grants a role, changes a role, or adds a user to a team, and
//! in the decisions themselves.
//!
//! An `Everyone` grant of a limited role is not an error: it reaches only
//! the members the role is open to (tests/inheritance.rs); the same holds
//! for a role limited through what it inherits.

// clippy.toml allows panics in `#[test]` functions only; the helpers below
// fail the test the way `assert!` does.
#![expect(clippy::panic, reason = "test helpers fail the test by panicking")]

mod common;

use clearance::{
    Action, Author, Change, ChangeProblem, Channel, Condition, DocumentError, Effect, Grant,
    GrantDocument, Grantee, Permissions as P, Policy, PolicyBuilder, PolicyDocument, Principal,
    Problem, Reason, ResourceDocument, ResourceKind as K, Role, RoleDocument, RuleDocument,
    Subject, TeamDocument, User, UserDocument, UserType, UserTypes,
};
use common::{build, effective, problems, resource, role_id, user, user_id};

/// "payroll" runs flows as others and is for native users only; "operator"
/// inherits it without a limit of its own; "chief" inherits "operator".
fn roles(builder: &mut PolicyBuilder) -> &mut PolicyBuilder {
    builder
        .role(
            Role::new("payroll")
                .allow([K::Flow], P::EXECUTE | P::EXECUTE_AS_OTHERS)
                .only_for(UserTypes::NATIVE),
        )
        .role(
            Role::new("operator")
                .inherits("payroll")
                .allow([K::Flow], P::VIEW),
        )
        .role(Role::new("chief").inherits("operator"))
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .role(Role::new("manager").allow_everywhere(P::all()))
}

/// A tenant with a flow, a native user "nat" (tenant manager), an
/// interface user "bot", and an empty team "ops".
fn base() -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("flows", K::Folder, "acme")
        .resource("run", K::Flow, "flows")
        .team("ops", "acme")
        .user(User::new("nat", "acme"))
        .user(User::new("bot", "acme").user_type(UserType::Interface))
        .grant(Grantee::user("nat"), "acme", "manager", Effect::Allow);
    roles(&mut builder);
    builder
}

/// The single `IneligibleRole` problem of a model, as (role, user, type).
#[track_caller]
fn ineligible(found: &[Problem]) -> (String, String, UserType) {
    match found {
        [Problem::IneligibleRole {
            role,
            user,
            user_type,
            ..
        }] => (role.clone(), user.clone(), *user_type),
        other => panic!("one IneligibleRole problem expected, got {other:#?}"),
    }
}

fn grant(grantee: Grantee, scope: &str, role: &str) -> Change {
    Change::Grant {
        grantee,
        scope: scope.into(),
        role: role.into(),
        effect: Effect::Allow,
        when: Condition::Always,
        by: None,
    }
}

/// The interface user "bot", asking through the API (its only channel).
#[track_caller]
fn bot(policy: &Policy) -> Subject {
    Subject::user(user_id(policy, "bot"), Channel::Api).at(1)
}

#[track_caller]
fn refused(policy: &mut Policy, change: Change) -> ChangeProblem {
    let before = policy.clone();
    match policy.apply(change.clone()) {
        Ok(_) => panic!("{change} was applied, but must be refused"),
        Err(error) => {
            assert_eq!(*policy, before, "a refused change changed the policy");
            error.problem().clone()
        }
    }
}

#[track_caller]
fn assert_ineligible(problem: &ChangeProblem, role: &str, user: &str, user_type: UserType) {
    match problem {
        ChangeProblem::IneligibleRole {
            role: found_role,
            user: found_user,
            user_type: found_type,
        } => assert_eq!(
            (found_role.as_str(), found_user.as_str(), *found_type),
            (role, user, user_type)
        ),
        other => panic!("IneligibleRole expected, got {other:?}"),
    }
}

// ---- the builder ----

#[test]
fn a_role_is_closed_to_the_user_types_a_role_it_inherits_is_closed_to() {
    for heir in ["operator", "chief"] {
        let found = problems(base().grant(Grantee::user("bot"), "flows", heir, Effect::Allow));
        assert_eq!(
            ineligible(&found),
            (heir.to_string(), "bot".to_string(), UserType::Interface),
            "{heir}"
        );
    }
}

#[test]
fn a_role_inheriting_a_limited_role_may_not_reach_an_ineligible_user_through_a_team() {
    let found = problems(
        base()
            .user(
                User::new("bot2", "acme")
                    .user_type(UserType::Interface)
                    .member_of("ops"),
            )
            .grant(Grantee::team("ops"), "flows", "chief", Effect::Allow),
    );
    assert_eq!(
        ineligible(&found),
        ("chief".to_string(), "bot2".to_string(), UserType::Interface)
    );
}

#[test]
fn a_role_inheriting_a_limited_role_may_not_be_granted_to_the_public() {
    let found = problems(base().grant(Grantee::Public, "flows", "operator", Effect::Allow));
    assert_eq!(
        ineligible(&found),
        (
            "operator".to_string(),
            "the public".to_string(),
            UserType::Public
        )
    );
}

#[test]
fn a_role_is_open_only_to_the_types_that_it_and_every_inherited_role_allow() {
    let limited = |builder: &mut PolicyBuilder| {
        builder
            .role(
                Role::new("crm")
                    .allow([K::Flow], P::EDIT)
                    .only_for(UserTypes::NATIVE | UserTypes::CONNECTED),
            )
            .role(
                Role::new("both")
                    .inherits("crm")
                    .only_for(UserTypes::NATIVE | UserTypes::INTERFACE),
            );
    };
    let mut native = base();
    limited(&mut native);
    build(native.grant(Grantee::user("nat"), "flows", "both", Effect::Allow));
    for (name, user_type) in [("bot", UserType::Interface), ("crm", UserType::Connected)] {
        let mut builder = base();
        limited(&mut builder);
        builder
            .user(User::new("crm", "acme").user_type(UserType::Connected))
            .grant(Grantee::user(name), "flows", "both", Effect::Allow);
        assert_eq!(
            ineligible(&problems(&mut builder)),
            ("both".to_string(), name.to_string(), user_type)
        );
    }
}

#[test]
fn a_deny_of_a_role_inheriting_a_limited_role_still_reaches_every_type() {
    // Eligibility limits who may hold a role, not who may lose one.
    let policy = build(
        base()
            .grant(Grantee::user("bot"), "acme", "viewer", Effect::Allow)
            .grant(Grantee::user("bot"), "flows", "operator", Effect::Deny),
    );
    assert!(!policy
        .authorize(&bot(&policy), Action::View, resource(&policy, "run"))
        .is_allowed());
}

// ---- decisions ----

#[test]
fn an_everyone_grant_of_a_role_inheriting_a_limited_role_gives_ineligible_users_nothing() {
    let policy = build(base().grant(Grantee::Everyone, "flows", "chief", Effect::Allow));
    let run = resource(&policy, "run");
    let bot = bot(&policy);
    assert_eq!(effective(&policy, &bot, "run"), P::empty());
    let decision = policy.authorize(&bot, Action::ExecuteAsOthers, run);
    assert_eq!(decision.reason(), Reason::NotMember);
    // A native user gets the role and what it inherits.
    let nat = user(&policy, "nat");
    assert!(policy
        .authorize(&nat, Action::ExecuteAsOthers, run)
        .is_allowed());
}

// ---- documents ----

fn document() -> PolicyDocument {
    let rule = |kinds: Vec<K>, permissions: P| RuleDocument { kinds, permissions };
    let mut bot = UserDocument::new("bot", "acme");
    bot.user_type = UserType::Interface;
    bot.teams.push("ops".into());
    PolicyDocument {
        roles: vec![
            RoleDocument {
                name: "payroll".into(),
                rules: vec![rule(vec![K::Flow], P::EXECUTE_AS_OTHERS)],
                inherits: vec![],
                only_for: Some(UserTypes::NATIVE),
            },
            RoleDocument {
                name: "operator".into(),
                rules: vec![rule(vec![K::Flow], P::VIEW)],
                inherits: vec!["payroll".into()],
                only_for: None,
            },
        ],
        resources: vec![
            ResourceDocument::new("acme", K::Organization, None),
            ResourceDocument::new("flows", K::Folder, Some("acme")),
        ],
        teams: vec![TeamDocument {
            name: "ops".into(),
            tenant: "acme".into(),
        }],
        users: vec![bot],
        ..PolicyDocument::new()
    }
}

#[test]
fn a_document_may_not_grant_a_role_inheriting_a_limited_role_to_an_ineligible_user() {
    for to in [Grantee::user("bot"), Grantee::team("ops"), Grantee::Public] {
        let mut document = document();
        document.grants.push(GrantDocument::new(
            to.clone(),
            "flows",
            "operator",
            Effect::Allow,
        ));
        let Err(DocumentError::Invalid { problems, .. }) = Policy::from_document(&document) else {
            panic!("a grant of operator to {to} must be refused");
        };
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].path, "grants[0]");
        assert!(
            matches!(&problems[0].problem, Problem::IneligibleRole { role, .. } if role == "operator"),
            "{problems:#?}"
        );
    }
}

// ---- changes ----

#[test]
fn a_change_may_not_grant_a_role_inheriting_a_limited_role_to_an_ineligible_user() {
    let mut policy = build(
        base().user(
            User::new("bot2", "acme")
                .user_type(UserType::Interface)
                .member_of("ops"),
        ),
    );
    let problem = refused(&mut policy, grant(Grantee::user("bot"), "flows", "chief"));
    assert_ineligible(&problem, "chief", "bot", UserType::Interface);
    let problem = refused(
        &mut policy,
        grant(Grantee::team("ops"), "flows", "operator"),
    );
    assert_ineligible(&problem, "operator", "bot2", UserType::Interface);
    let problem = refused(&mut policy, grant(Grantee::Public, "flows", "operator"));
    assert_ineligible(&problem, "operator", "the public", UserType::Public);
}

#[test]
fn can_grant_refuses_a_role_inheriting_a_limited_role_for_an_ineligible_user() {
    let policy = build(&mut base());
    let nat = user(&policy, "nat");
    let decision = policy.can_grant(
        &nat,
        &Grant {
            principal: Principal::User(user_id(&policy, "bot")),
            scope: resource(&policy, "flows"),
            role: role_id(&policy, "operator"),
            effect: Effect::Allow,
        },
    );
    assert_eq!(decision.reason(), Reason::RoleNotEligible);
    // The same grant, authored, is refused the same way.
    let mut policy = policy;
    let problem = refused(
        &mut policy,
        Change::Grant {
            grantee: Grantee::user("bot"),
            scope: "flows".into(),
            role: "operator".into(),
            effect: Effect::Allow,
            when: Condition::Always,
            by: Some(Author::web("nat", 0)),
        },
    );
    assert_ineligible(&problem, "operator", "bot", UserType::Interface);
}

#[test]
fn a_user_may_not_join_a_team_holding_a_role_inheriting_a_role_closed_to_its_type() {
    let mut policy = build(base().grant(Grantee::team("ops"), "flows", "chief", Effect::Allow));
    let problem = refused(
        &mut policy,
        Change::AddMembership {
            user: "bot".into(),
            team: "ops".into(),
        },
    );
    assert_ineligible(&problem, "chief", "bot", UserType::Interface);
    let problem = refused(
        &mut policy,
        Change::AddUser(
            User::new("bot3", "acme")
                .user_type(UserType::Interface)
                .member_of("ops"),
        ),
    );
    assert_ineligible(&problem, "chief", "bot3", UserType::Interface);
}

#[test]
fn updating_a_role_to_inherit_a_limited_role_is_refused_while_an_ineligible_user_holds_it() {
    let held = [Grantee::user("bot"), Grantee::team("ops"), Grantee::Public];
    for to in held {
        let mut builder = base();
        builder
            .user(
                User::new("bot2", "acme")
                    .user_type(UserType::Interface)
                    .member_of("ops"),
            )
            .grant(to.clone(), "flows", "viewer", Effect::Allow);
        let mut policy = build(&mut builder);
        let problem = refused(
            &mut policy,
            Change::UpdateRole(
                Role::new("viewer")
                    .allow_everywhere(P::VIEW)
                    .inherits("payroll"),
            ),
        );
        assert!(
            matches!(&problem, ChangeProblem::IneligibleRole { role, .. } if role == "viewer"),
            "{to}: {problem:?}"
        );
    }
}

#[test]
fn limiting_a_role_is_refused_while_an_ineligible_user_holds_a_role_inheriting_it() {
    let limit = || {
        Change::UpdateRole(
            Role::new("viewer")
                .allow_everywhere(P::VIEW)
                .only_for(UserTypes::NATIVE),
        )
    };
    for to in [Grantee::user("bot"), Grantee::team("ops"), Grantee::Public] {
        let mut builder = base();
        builder
            .role(Role::new("reader").inherits("viewer"))
            .role(Role::new("deep reader").inherits("reader"))
            .user(
                User::new("bot2", "acme")
                    .user_type(UserType::Interface)
                    .member_of("ops"),
            )
            .grant(to.clone(), "flows", "deep reader", Effect::Allow);
        let mut policy = build(&mut builder);
        let problem = refused(&mut policy, limit());
        assert!(
            matches!(&problem, ChangeProblem::IneligibleRole { role, .. } if role == "deep reader"),
            "{to}: {problem:?}"
        );
    }
}

#[test]
fn an_everyone_grant_follows_its_roles_eligibility_when_an_inherited_role_changes() {
    let mut builder = base();
    builder.role(Role::new("reader").inherits("viewer")).grant(
        Grantee::Everyone,
        "flows",
        "reader",
        Effect::Allow,
    );
    let mut policy = build(&mut builder);
    let bot = bot(&policy);
    assert_eq!(effective(&policy, &bot, "run"), P::VIEW);
    // Limiting the inherited role limits the heir's Everyone grant.
    policy
        .apply(Change::UpdateRole(
            Role::new("viewer")
                .allow_everywhere(P::VIEW)
                .only_for(UserTypes::NATIVE),
        ))
        .unwrap();
    assert_eq!(effective(&policy, &bot, "run"), P::empty());
    assert_eq!(
        policy
            .authorize(&bot, Action::View, resource(&policy, "run"))
            .reason(),
        Reason::NotMember
    );
    assert_eq!(effective(&policy, &user(&policy, "nat"), "run"), P::all());
    // Lifting the limit opens it again.
    policy
        .apply(Change::UpdateRole(
            Role::new("viewer").allow_everywhere(P::VIEW),
        ))
        .unwrap();
    assert_eq!(effective(&policy, &bot, "run"), P::VIEW);
    // Making the heir inherit a limited role limits it too.
    policy
        .apply(Change::UpdateRole(
            Role::new("reader").inherits("viewer").inherits("payroll"),
        ))
        .unwrap();
    assert_eq!(effective(&policy, &bot, "run"), P::empty());
    // A snapshot keeps the same answers.
    let reloaded = Policy::from_document(&policy.to_document()).unwrap();
    assert_eq!(effective(&reloaded, &bot, "run"), P::empty());
}

#[test]
fn dropping_an_inherited_limit_lets_the_role_be_granted_to_every_type() {
    let mut policy = build(&mut base());
    refused(
        &mut policy,
        grant(Grantee::user("bot"), "flows", "operator"),
    );
    policy
        .apply(Change::UpdateRole(
            Role::new("operator").allow([K::Flow], P::VIEW),
        ))
        .unwrap();
    policy
        .apply(grant(Grantee::user("bot"), "flows", "operator"))
        .unwrap();
    let bot = bot(&policy);
    assert!(policy
        .authorize(&bot, Action::View, resource(&policy, "run"))
        .is_allowed());
}

// ---- cost ----

/// A team of `members` members holding `grants` grants: the model is
/// checked once per (role, team), not once per grant and member, so this
/// builds at once (it took seconds when every grant scanned every member).
#[test]
fn eligibility_of_team_grants_is_checked_per_team_not_per_grant_and_member() {
    const GRANTS: usize = 3_000;
    const MEMBERS: usize = 3_000;
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .team("all", "acme")
        .role(
            Role::new("native")
                .allow_everywhere(P::VIEW)
                .only_for(UserTypes::NATIVE),
        );
    for index in 0..GRANTS {
        let name = format!("f{index}");
        builder.resource(name.clone(), K::Folder, "acme").grant(
            Grantee::team("all"),
            name,
            "native",
            Effect::Allow,
        );
    }
    for index in 0..MEMBERS {
        builder.user(User::new(format!("u{index}"), "acme").member_of("all"));
    }
    build(&mut builder);
    // One connected member: one problem for the (role, team) pair, not one
    // per grant.
    builder.user(
        User::new("crm", "acme")
            .user_type(UserType::Connected)
            .member_of("all"),
    );
    let error = builder.build().unwrap_err();
    assert_eq!(error.problems().len(), 1, "{error}");
}
