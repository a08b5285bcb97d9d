//! Attacks by document size: small documents shaped so that checking them
//! would report millions of problems or gigabytes of text. Every problem is
//! reported once (each cycle of role inheritance, each role and team whose
//! member may not hold it), the list of problems is capped
//! ([`BuildError::MAX_PROBLEMS`] problems, at most [`BuildError::MAX_TEXT`]
//! bytes of text, "and N more"), and the report stays a small multiple of
//! the document, whatever its shape.
//!
//! These check structure (how many problems, how long a message), not time:
//! each shape here used to cost seconds and gigabytes, quadratically in its
//! size, through the problems it produced.

// clippy.toml allows panics in `#[test]` functions only; the helpers below
// fail the test the way `assert!` does.
#![expect(clippy::panic, reason = "test helpers fail the test by panicking")]

use clearance::{
    BuildError, DocumentError, DocumentProblem, Effect, Grantee, Permissions as P, Policy,
    PolicyBuilder, PolicyDocument, Problem, ResourceDocument, ResourceKind as K, Role,
    RoleDocument, TeamDocument, User, UserDocument, UserType, UserTypes,
};

/// The error of a document that must not build: its listed problems and
/// how many more were found.
#[track_caller]
fn refused(document: &PolicyDocument) -> (Vec<DocumentProblem>, usize, String) {
    match Policy::from_document(document) {
        Ok(_) => panic!("the document built, but it must be refused"),
        Err(error @ DocumentError::Invalid { .. }) => {
            let message = error.to_string();
            let DocumentError::Invalid { problems, omitted } = error else {
                unreachable!()
            };
            (problems, omitted, message)
        }
        Err(other) => panic!("Invalid expected, got {other}"),
    }
}

/// The error of a model that must not build.
#[track_caller]
fn build_error(builder: &PolicyBuilder) -> BuildError {
    match builder.build() {
        Ok(_) => panic!("the model built, but it must be refused"),
        Err(error) => error,
    }
}

fn role(name: String, inherits: Vec<String>) -> RoleDocument {
    RoleDocument {
        name,
        rules: vec![],
        inherits,
        only_for: None,
    }
}

/// A rough size of a document as JSON: its names and a few bytes per entry.
fn size(document: &PolicyDocument) -> usize {
    let roles: usize = document
        .roles
        .iter()
        .map(|r| 30 + r.name.len() + r.inherits.iter().map(|p| 3 + p.len()).sum::<usize>())
        .sum();
    let resources: usize = document
        .resources
        .iter()
        .map(|r| 40 + r.name.len() + r.parent.as_ref().map_or(0, String::len))
        .sum();
    let users: usize = document
        .users
        .iter()
        .map(|u| {
            30 + u.name.len() + u.tenant.len() + u.teams.iter().map(|t| 3 + t.len()).sum::<usize>()
        })
        .sum();
    let teams: usize = document
        .teams
        .iter()
        .map(|t| 30 + t.name.len() + t.tenant.len())
        .sum();
    let grants: usize = document
        .grants
        .iter()
        .map(|g| 50 + g.scope.len() + g.role.len() + g.to.to_string().len())
        .sum();
    roles + resources + users + teams + grants
}

/// 8,000 roles in a chain that each also inherit the first: 8,000 edges
/// close cycles, every one through the whole chain. Reported from a cloned
/// search stack, that was 32 million names (4.6 s, 3.7 GB, a 280 MB
/// message); it is one problem naming each role once.
#[test]
fn a_group_of_roles_inheriting_each_other_is_reported_once_however_many_edges_close_it() {
    const ROLES: usize = 8_000;
    let mut document = PolicyDocument::new();
    for index in 0..ROLES {
        document.roles.push(role(
            format!("r{index}"),
            vec![format!("r{}", (index + 1) % ROLES), "r0".to_string()],
        ));
    }
    let (problems, omitted, message) = refused(&document);
    assert_eq!(omitted, 0);
    let [DocumentProblem {
        problem: Problem::RoleCycle { names },
        ..
    }] = problems.as_slice()
    else {
        panic!("one role cycle expected, got {} problems", problems.len());
    };
    assert_eq!(names.len(), ROLES);
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ROLES, "each role named once");
    assert!(
        message.len() < 2 * size(&document),
        "{} bytes of message for a {} byte document",
        message.len(),
        size(&document)
    );
}

#[test]
fn roles_that_each_inherit_every_other_are_one_problem() {
    const ROLES: usize = 300;
    let names: Vec<String> = (0..ROLES).map(|index| format!("r{index}")).collect();
    let mut builder = PolicyBuilder::new();
    for name in &names {
        let mut declared = Role::new(name.clone());
        for parent in &names {
            declared = declared.inherits(parent.clone());
        }
        builder.role(declared);
    }
    let error = build_error(&builder);
    assert!(
        matches!(error.problems(), [Problem::RoleCycle { names }] if names.len() == ROLES),
        "{error}"
    );
    assert_eq!(error.omitted(), 0);
}

#[test]
fn separate_role_cycles_are_reported_once_each_and_the_list_is_capped() {
    const CYCLES: usize = 1_000;
    let mut builder = PolicyBuilder::new();
    for index in 0..CYCLES {
        builder
            .role(Role::new(format!("a{index}")).inherits(format!("b{index}")))
            .role(Role::new(format!("b{index}")).inherits(format!("a{index}")));
    }
    let error = build_error(&builder);
    assert_eq!(error.problems().len(), BuildError::MAX_PROBLEMS);
    assert_eq!(error.omitted(), CYCLES - BuildError::MAX_PROBLEMS);
    for (index, problem) in error.problems().iter().enumerate() {
        let Problem::RoleCycle { names } = problem else {
            panic!("role cycles only: {problem}");
        };
        assert_eq!(names, &[format!("a{index}"), format!("b{index}")]);
    }
    let message = error.to_string();
    assert!(
        message.starts_with("the model has 1000 problems"),
        "{message}"
    );
    assert!(message.ends_with("\n- and 900 more"), "{message}");
}

/// 2,000 grants of a native-only role to one team of 2,000 connected users:
/// once 4 million problems, one per grant and member; one now.
#[test]
fn a_role_given_to_a_team_with_ineligible_members_is_one_problem_per_role_and_team() {
    const GRANTS: usize = 2_000;
    const MEMBERS: usize = 2_000;
    let mut document = PolicyDocument::new();
    document.roles.push(RoleDocument {
        only_for: Some(UserTypes::NATIVE),
        ..role("native".into(), vec![])
    });
    document
        .resources
        .push(ResourceDocument::new("acme", K::Organization, None));
    document.teams.push(TeamDocument {
        name: "all".into(),
        tenant: "acme".into(),
    });
    for index in 0..GRANTS {
        let name = format!("f{index}");
        document
            .resources
            .push(ResourceDocument::new(name.clone(), K::Folder, Some("acme")));
        document.grants.push(clearance::GrantDocument::new(
            Grantee::team("all"),
            name,
            "native",
            Effect::Allow,
        ));
    }
    for index in 0..MEMBERS {
        let mut user = UserDocument::new(format!("u{index}"), "acme");
        user.user_type = UserType::Connected;
        user.teams.push("all".into());
        document.users.push(user);
    }
    let (problems, omitted, message) = refused(&document);
    assert_eq!((problems.len(), omitted), (1, 0), "{message}");
    assert_eq!(problems[0].path, "grants[0]");
    assert!(
        matches!(&problems[0].problem,
            Problem::IneligibleRole { role, user, user_type: UserType::Connected, .. }
                if role == "native" && user == "u0"),
        "{message}"
    );
}

#[test]
fn many_roles_given_to_a_team_with_an_ineligible_member_are_capped() {
    const ROLES: usize = 150;
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .team("all", "acme")
        .user(User::new("nat", "acme").member_of("all"))
        .user(
            User::new("crm", "acme")
                .user_type(UserType::Connected)
                .member_of("all"),
        );
    for index in 0..ROLES {
        let name = format!("native{index}");
        builder
            .role(
                Role::new(name.clone())
                    .allow_everywhere(P::VIEW)
                    .only_for(UserTypes::NATIVE),
            )
            // Twice each: still one problem per role and team.
            .grant(Grantee::team("all"), "acme", name.clone(), Effect::Allow)
            .grant(Grantee::team("all"), "acme", name, Effect::Override);
    }
    let error = build_error(&builder);
    assert_eq!(error.problems().len(), BuildError::MAX_PROBLEMS);
    assert_eq!(error.omitted(), ROLES - BuildError::MAX_PROBLEMS);
    assert!(error
        .problems()
        .iter()
        .all(|p| matches!(p, Problem::IneligibleRole { user, .. } if user == "crm")));
}

#[test]
fn duplicate_entries_are_capped_and_the_report_says_how_many_more() {
    const USERS: usize = 20_000;
    let mut document = PolicyDocument::new();
    document
        .resources
        .push(ResourceDocument::new("acme", K::Organization, None));
    for _ in 0..USERS {
        document.users.push(UserDocument::new("ann", "acme"));
    }
    let (problems, omitted, message) = refused(&document);
    assert_eq!(problems.len(), BuildError::MAX_PROBLEMS);
    assert_eq!(omitted, USERS - 1 - BuildError::MAX_PROBLEMS);
    assert_eq!(problems[0].path, "users[1]");
    assert_eq!(problems[99].path, "users[100]");
    assert!(
        message.starts_with("the document has 19999 problems\n- users[1]: "),
        "{message}"
    );
    assert!(message.ends_with("\n- and 19899 more"), "{message}");
    assert!(message.lines().count() == BuildError::MAX_PROBLEMS + 2);
}

/// Problems that repeat a long name (here a tenant's, 64 KiB, named by
/// every membership crossing into it) keep at most `MAX_TEXT` bytes of
/// text, however many there are: 10,000 of them were 640 MB.
#[test]
fn problems_repeating_a_long_name_keep_a_bounded_text() {
    const USERS: usize = 10_000;
    let long = "g".repeat(64 * 1024);
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .tenant(long.clone(), K::Organization)
        .team("theirs", long.clone());
    for index in 0..USERS {
        builder.user(User::new(format!("u{index}"), "acme").member_of("theirs"));
    }
    let error = build_error(&builder);
    assert!(!error.problems().is_empty());
    assert_eq!(error.problems().len() + error.omitted(), USERS);
    let message = error.to_string();
    assert!(
        message.len() <= BuildError::MAX_TEXT + 2 * long.len() + 1024,
        "{} bytes",
        message.len()
    );
    assert!(
        message.ends_with(" more"),
        "{}",
        &message[message.len() - 100..]
    );
}

#[test]
fn a_problem_is_never_dropped_for_its_length_alone() {
    // The first problem is always listed, however long.
    let long = "r".repeat(BuildError::MAX_TEXT * 2);
    let error =
        build_error(PolicyBuilder::new().role(Role::new(long.clone()).inherits(long.clone())));
    assert_eq!(error.problems().len(), 1);
    assert_eq!(error.omitted(), 0);
}
