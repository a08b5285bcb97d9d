//! Build errors: `PolicyBuilder::build` checks the whole model and reports
//! every problem at once, each naming the entities involved, and never
//! recurses, so a very deep model builds and decides like a flat one.

mod common;

use clearance::{
    Action, ApiKey, Channels, Effect, Entity, Grantee, Permissions as P, PolicyBuilder, Problem,
    PublicLink, Reason, ResourceKind as K, Role, User, UserType, UserTypes, MAX_TEAMS_PER_USER,
};
use common::{assert_decision, build, effective, problems, user, By, Expected};

/// A tenant with a workspace, a viewer role and one user: a valid start.
fn base() -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .user(User::new("ann", "acme"));
    builder
}

#[test]
fn empty_builder_builds_an_empty_policy() {
    let policy = build(&mut PolicyBuilder::new());
    assert_eq!(policy.resource_count(), 0);
    assert_eq!(policy.user_count(), 0);
    assert_eq!(policy.resource_id("anything"), None);
    assert_eq!(policy.user_id("anyone"), None);
}

#[test]
fn build_reports_every_problem_not_only_the_first() {
    let found = problems(
        base()
            // 1: an unknown parent.
            .resource("orphan", K::Folder, "nowhere")
            // 2: a duplicate user name.
            .user(User::new("ann", "acme"))
            // 3: roles inheriting each other.
            .role(Role::new("a").inherits("b"))
            .role(Role::new("b").inherits("a"))
            // 4: an API-only account given the web portal.
            .user(
                User::new("bot", "acme")
                    .user_type(UserType::Interface)
                    .channels(Channels::WEB),
            ),
    );
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found.iter().any(|p| matches!(p,
        Problem::UnknownReference { entity: Entity::Resource, name, .. } if name == "nowhere")));
    assert!(found.contains(&Problem::DuplicateName {
        entity: Entity::User,
        name: "ann".into()
    }));
    assert!(found.iter().any(|p| matches!(p, Problem::RoleCycle { .. })));
    assert!(found
        .iter()
        .any(|p| matches!(p, Problem::ChannelsNotAllowed { user, .. } if user == "bot")));
}

#[test]
fn unknown_references_name_what_refers_and_what_is_missing() {
    let found = problems(
        base()
            .resource("orphan", K::Folder, "no-parent")
            .user(User::new("bo", "acme").member_of("no-team"))
            .user(User::new("cy", "no-tenant"))
            .role(Role::new("custom").inherits("no-base-role"))
            .grant(Grantee::user("ann"), "no-scope", "viewer", Effect::Allow)
            .grant(Grantee::user("ann"), "ws", "no-role", Effect::Allow)
            .grant(Grantee::user("no-user"), "ws", "viewer", Effect::Allow)
            .grant(
                Grantee::team("no-grantee-team"),
                "ws",
                "viewer",
                Effect::Allow,
            )
            .api_key(ApiKey::new("key", "no-owner"))
            .api_key(ApiKey::new("scoped-key", "ann").within("no-subtree"))
            .link(PublicLink::new("link", "no-resource", P::VIEW)),
    );
    // (what refers, the kind expected, the missing name)
    let mut expected = vec![
        ("orphan", Entity::Resource, "no-parent"),
        ("bo", Entity::Team, "no-team"),
        ("cy", Entity::Resource, "no-tenant"),
        ("custom", Entity::Role, "no-base-role"),
        ("grant", Entity::Resource, "no-scope"),
        ("grant", Entity::Role, "no-role"),
        ("grant", Entity::User, "no-user"),
        ("grant", Entity::Team, "no-grantee-team"),
        ("key", Entity::User, "no-owner"),
        ("scoped-key", Entity::Resource, "no-subtree"),
        ("link", Entity::Resource, "no-resource"),
    ];
    let mut reported: Vec<(&str, Entity, &str)> = Vec::new();
    for problem in &found {
        let Problem::UnknownReference {
            referrer,
            entity,
            name,
        } = problem
        else {
            panic!("only unknown references were expected, got {problem:?}");
        };
        let (from, ..) = expected
            .iter()
            .find(|(_, e, n)| e == entity && n == name)
            .copied()
            .unwrap_or_else(|| panic!("unexpected {problem:?}"));
        assert!(referrer.contains(from), "{referrer:?} should name {from:?}");
        reported.push((from, *entity, name));
    }
    let order = |a: &(&str, Entity, &str), b: &(&str, Entity, &str)| {
        (a.2, a.0, a.1 as u8).cmp(&(b.2, b.0, b.1 as u8))
    };
    expected.sort_by(order);
    reported.sort_by(order);
    assert_eq!(reported, expected, "each unknown reference exactly once");
}

#[test]
fn duplicate_names_are_reported_per_kind() {
    let found = problems(
        base()
            .resource("ws", K::Folder, "acme")
            .user(User::new("ann", "acme"))
            .team("ops", "acme")
            .team("ops", "acme")
            .role(Role::new("viewer"))
            .api_key(ApiKey::new("k", "ann"))
            .api_key(ApiKey::new("k", "ann"))
            .link(PublicLink::new("l", "ws", P::VIEW))
            .link(PublicLink::new("l", "ws", P::VIEW)),
    );
    let expected = [
        (Entity::Resource, "ws"),
        (Entity::User, "ann"),
        (Entity::Team, "ops"),
        (Entity::Role, "viewer"),
        (Entity::Key, "k"),
        (Entity::Link, "l"),
    ];
    for (entity, name) in expected {
        let duplicate = Problem::DuplicateName {
            entity,
            name: name.into(),
        };
        assert!(
            found.contains(&duplicate),
            "{duplicate:?} missing from {found:#?}"
        );
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn the_same_name_may_be_used_by_entities_of_different_kinds() {
    let policy = build(
        PolicyBuilder::new()
            .tenant("ops", K::Organization)
            .role(Role::new("ops").allow_everywhere(P::VIEW))
            .team("ops", "ops")
            .user(User::new("ops", "ops").member_of("ops"))
            .grant(Grantee::team("ops"), "ops", "ops", Effect::Allow)
            .api_key(ApiKey::new("ops", "ops"))
            .link(PublicLink::new("ops", "ops", P::VIEW)),
    );
    let granted = Expected::Granted(By::Team("ops"), "ops", "ops").reason(&policy);
    assert_decision(&policy, &user(&policy, "ops"), Action::View, "ops", granted);
}

#[test]
fn resource_cycles_are_reported_once_each() {
    let found = problems(
        base()
            .resource("a", K::Folder, "b")
            .resource("b", K::Folder, "a")
            .resource("c", K::Folder, "c")
            // Below a cycle, but not on it.
            .resource("d", K::Flow, "a"),
    );
    let mut cycles: Vec<Vec<String>> = found
        .iter()
        .map(|problem| match problem {
            Problem::ResourceCycle { names } => {
                let mut names = names.clone();
                names.sort();
                names
            }
            other => panic!("only resource cycles were expected, got {other:?}"),
        })
        .collect();
    cycles.sort();
    assert_eq!(cycles, [vec!["a", "b"], vec!["c"]]);
}

#[test]
fn role_inheritance_cycles_are_reported() {
    let found = problems(
        base()
            .role(Role::new("a").inherits("b"))
            .role(Role::new("b").inherits("a"))
            .role(Role::new("c").inherits("c"))
            .role(Role::new("d").inherits("a")),
    );
    let mut cycles: Vec<Vec<String>> = found
        .iter()
        .map(|problem| match problem {
            Problem::RoleCycle { names } => {
                let mut names = names.clone();
                names.sort();
                names
            }
            other => panic!("only role cycles were expected, got {other:?}"),
        })
        .collect();
    cycles.sort();
    assert_eq!(cycles, [vec!["a", "b"], vec!["c"]]);
}

#[test]
fn tenant_of_a_user_or_team_must_be_a_root() {
    let found = problems(base().user(User::new("bo", "ws")).team("ops", "ws"));
    assert_eq!(found.len(), 2, "{found:#?}");
    for who in ["bo", "ops"] {
        assert!(
            found.iter().any(|p| matches!(p,
                Problem::NotATenant { referrer, name } if referrer.contains(who) && name == "ws")),
            "NotATenant for {who:?} missing from {found:#?}"
        );
    }
}

#[test]
fn channels_beyond_the_user_type_are_a_build_error() {
    let found = problems(
        base()
            .user(
                User::new("bot", "acme")
                    .user_type(UserType::Interface)
                    .channels(Channels::WEB | Channels::API),
            )
            .user(
                User::new("sys", "acme")
                    .user_type(UserType::System)
                    .channels(Channels::WEB),
            )
            .user(
                User::new("visitor", "acme")
                    .user_type(UserType::Public)
                    .channels(Channels::APP),
            )
            // Narrowing is fine.
            .user(User::new("portal", "acme").channels(Channels::WEB)),
    );
    let expected = [
        Problem::ChannelsNotAllowed {
            user: "bot".into(),
            user_type: UserType::Interface,
            extra: Channels::WEB,
        },
        Problem::ChannelsNotAllowed {
            user: "sys".into(),
            user_type: UserType::System,
            extra: Channels::WEB,
        },
        Problem::ChannelsNotAllowed {
            user: "visitor".into(),
            user_type: UserType::Public,
            extra: Channels::APP,
        },
    ];
    assert_eq!(found, expected);
}

#[test]
fn role_limited_to_some_user_types_may_not_be_given_to_others_directly_or_through_a_team() {
    let found = problems(
        base()
            .role(
                Role::new("super user")
                    .allow_everywhere(P::all_named())
                    .only_for(UserTypes::NATIVE),
            )
            .team("crm-sync", "acme")
            .user(
                User::new("crm", "acme")
                    .user_type(UserType::Connected)
                    .member_of("crm-sync"),
            )
            .user(User::new("nat", "acme").member_of("crm-sync"))
            // Directly and through a team: two problems.
            .grant(Grantee::user("crm"), "ws", "super user", Effect::Allow)
            .grant(Grantee::team("crm-sync"), "ws", "super user", Effect::Allow)
            // A native user may hold it; an Everyone grant of it reaches only
            // the members who may hold it (see tests/inheritance.rs).
            .grant(Grantee::user("nat"), "ws", "super user", Effect::Allow)
            .grant(Grantee::Everyone, "ws", "super user", Effect::Allow),
    );
    assert_eq!(found.len(), 2, "{found:#?}");
    let through = |how: &str| {
        found.iter().any(|p| {
            matches!(p,
            Problem::IneligibleRole { referrer, role, user, user_type: UserType::Connected }
                if role == "super user" && user == "crm" && referrer.contains(how))
        })
    };
    assert!(through("user \"crm\""), "directly: {found:#?}");
    assert!(through("team \"crm-sync\""), "through the team: {found:#?}");
}

#[test]
fn role_for_the_public_must_be_open_to_public_accounts() {
    let found = problems(
        base()
            .role(
                Role::new("members only")
                    .allow_everywhere(P::VIEW)
                    .only_for(UserTypes::NATIVE),
            )
            .grant(Grantee::Public, "ws", "members only", Effect::Allow),
    );
    let [Problem::IneligibleRole {
        role, user_type, ..
    }] = found.as_slice()
    else {
        panic!("one IneligibleRole problem expected: {found:#?}");
    };
    assert_eq!(
        (role.as_str(), *user_type),
        ("members only", UserType::Public)
    );
}

#[test]
fn a_user_may_be_in_at_most_max_teams_per_user_teams() {
    let teams = |builder: &mut PolicyBuilder, count: usize| {
        for team in 0..count {
            builder.team(format!("team-{team}"), "acme");
        }
    };
    let member = |count: usize| {
        (0..count).fold(User::new("busy", "acme"), |user, team| {
            user.member_of(format!("team-{team}"))
        })
    };

    let mut at_limit = base();
    teams(&mut at_limit, MAX_TEAMS_PER_USER + 1);
    // Naming the same team twice counts once.
    at_limit.user(member(MAX_TEAMS_PER_USER).member_of("team-0"));
    let last = format!("team-{}", MAX_TEAMS_PER_USER - 1);
    at_limit
        .role(Role::new("editor").allow_everywhere(P::VIEW | P::EDIT))
        .grant(
            Grantee::team(last.as_str()),
            "acme",
            "editor",
            Effect::Allow,
        )
        .grant(
            Grantee::team(last.as_str()),
            "ws",
            "viewer",
            Effect::Override,
        );
    let policy = build(&mut at_limit);
    // The last of the user's teams still counts, and its override still cuts.
    let busy = user(&policy, "busy");
    assert_eq!(effective(&policy, &busy, "acme"), P::VIEW | P::EDIT);
    assert_eq!(effective(&policy, &busy, "ws"), P::VIEW);
    assert_decision(
        &policy,
        &busy,
        Action::Edit,
        "ws",
        Reason::Overridden {
            at: common::resource(&policy, "ws"),
        },
    );

    let mut over = base();
    teams(&mut over, MAX_TEAMS_PER_USER + 1);
    over.user(member(MAX_TEAMS_PER_USER + 1));
    assert_eq!(
        problems(&mut over),
        [Problem::TooManyTeams {
            user: "busy".into(),
            count: MAX_TEAMS_PER_USER + 1,
            max: MAX_TEAMS_PER_USER,
        }]
    );
}

#[test]
fn build_error_display_lists_every_problem() {
    let error = base()
        .user(User::new("ann", "acme"))
        .grant(Grantee::user("ann"), "ws", "owner", Effect::Allow)
        .build()
        .unwrap_err();
    assert_eq!(error.problems().len(), 2);
    let first = error.problems()[0].to_string();
    let second = error.problems()[1].to_string();
    assert_eq!(
        error.to_string(),
        format!("the model has 2 problems\n- {first}\n- {second}")
    );
    assert_eq!(
        first,
        r#"user "ann" is declared more than once; names must be unique per kind"#
    );
    assert!(second.contains(r#"unknown role "owner""#), "{second}");

    let one = base()
        .resource("x", K::Flow, "nowhere")
        .build()
        .unwrap_err();
    assert!(
        one.to_string().starts_with("the model has 1 problem\n- "),
        "{one}"
    );
    // A BuildError is a std error, for `?` into any error type.
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(one);
    assert!(boxed.to_string().contains("nowhere"));
}

#[test]
fn a_100_000_deep_folder_chain_builds_and_decides_without_recursion() {
    const DEPTH: usize = 100_000;
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .user(User::new("ann", "acme"))
        .grant(Grantee::user("ann"), "acme", "viewer", Effect::Allow);
    builder.resource("folder-0", K::Folder, "acme");
    for depth in 1..DEPTH {
        builder.resource(
            format!("folder-{depth}"),
            K::Folder,
            format!("folder-{}", depth - 1),
        );
    }
    let policy = build(&mut builder);
    let deepest = format!("folder-{}", DEPTH - 1);
    let granted = Expected::Granted(By::User("ann"), "acme", "viewer").reason(&policy);
    assert_decision(
        &policy,
        &user(&policy, "ann"),
        Action::View,
        &deepest,
        granted,
    );
    assert_decision(
        &policy,
        &user(&policy, "ann"),
        Action::Edit,
        &deepest,
        Reason::RoleLacks { missing: P::EDIT },
    );
}

#[test]
fn a_100_000_long_resource_cycle_and_role_chain_are_handled_without_recursion() {
    const LENGTH: usize = 100_000;
    let mut builder = PolicyBuilder::new();
    builder.tenant("acme", K::Organization);
    for index in 0..LENGTH {
        builder.resource(
            format!("r-{index}"),
            K::Folder,
            format!("r-{}", (index + 1) % LENGTH),
        );
    }
    let found = problems(&mut builder);
    assert!(
        matches!(found.as_slice(), [Problem::ResourceCycle { names }] if names.len() == LENGTH),
        "one cycle of {LENGTH} resources expected"
    );

    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .role(Role::new("role-0").allow_everywhere(P::VIEW))
        .user(User::new("ann", "acme"));
    for index in 1..LENGTH {
        builder.role(Role::new(format!("role-{index}")).inherits(format!("role-{}", index - 1)));
    }
    let last = format!("role-{}", LENGTH - 1);
    builder.grant(Grantee::user("ann"), "acme", last.as_str(), Effect::Allow);
    let policy = build(&mut builder);
    assert_eq!(effective(&policy, &user(&policy, "ann"), "acme"), P::VIEW);
}
