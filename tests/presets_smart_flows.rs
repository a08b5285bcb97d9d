//! The Smart Flows preset: its permission matrix from `PRODUCTS.md` §1,
//! checked cell by cell, and one test per rule special to the product.
#![expect(
    clippy::expect_used,
    reason = "fixture helpers outside #[test] fns stop the test loudly on a broken fixture"
)]

use clearance::presets::smart_flows::{
    self, ADMINISTRATOR, DESIGNER, FULL_PROJECT_CONSOLE, PROJECT_CHANGES, REDUCED_PROJECT_CONSOLE,
    SETTINGS_AND_LICENSING, SUPER_USER, USER,
};
use clearance::{
    Action, ApiKey, Author, BuildError, Change, ChangeProblem, Channel, Effect, Grant, Grantee,
    Policy, Principal, Problem, Reason, ResourceId, ResourceKind as K, Subject, User, UserType,
};

/// The table of `PRODUCTS.md` §1, as written there: the one copy, which
/// `examples/matrix.rs` checks and prints too.
#[path = "../examples/tables/smart_flows.rs"]
mod product_table;

/// Checks the named actions of a preset's docs against a product table.
#[path = "../examples/tables/named.rs"]
mod named;

fn demo() -> Policy {
    smart_flows::demo().expect("the Smart Flows demo builds")
}

fn web(policy: &Policy, name: &str) -> Subject {
    Subject::user(policy.user_id(name).expect("a demo user"), Channel::Web)
}

fn resource(policy: &Policy, name: &str) -> ResourceId {
    policy.resource_id(name).expect("a demo resource")
}

fn key(policy: &Policy, name: &str) -> Subject {
    Subject::key(policy.key_id(name).expect("a demo key"))
}

/// A model with one user of `user_type` granted `role` on the installation.
fn one_user(user_type: UserType, role: &str) -> Result<Policy, BuildError> {
    let mut builder = smart_flows::builder();
    smart_flows::installation(&mut builder, "contoso", "admin@contoso.test");
    builder
        .user(User::new("cy", "contoso").user_type(user_type))
        .grant(Grantee::user("cy"), "contoso", role, Effect::Allow);
    builder.build()
}

#[test]
fn matrix_matches_products_md_cell_by_cell() {
    let policy = demo();
    smart_flows::matrix(&policy)
        .check_with(product_table::TABLE, product_table::read)
        .unwrap_or_else(|error| panic!("{error}"));
}

/// "Administrators have access to all components of Smart Flows with no
/// restrictions. They are also able to assign and manage the roles of
/// other users." "Designers have a reduced number of Project Console
/// abilities- they are unable to make major changes that could break the
/// project." Each action the module docs' table names for a capability,
/// asked by each role, gives that capability's answer: creating and
/// deactivating users is `Action::ManageMembers`, the settings and
/// licensing pages are `ManageSettings` and `ManageBilling`.
#[test]
fn each_named_action_of_the_capability_table_gives_the_products_answer() {
    let policy = demo();
    let (contoso, quotes) = (resource(&policy, "contoso"), resource(&policy, "quotes"));
    let (quote, template) = (
        resource(&policy, "quote"),
        resource(&policy, "quote-template"),
    );
    let console = "Project Console (full)";
    let executions = "See all executions (reporting)";
    let settings = "Settings and licensing pages";
    let asks = [
        (console, FULL_PROJECT_CONSOLE, quotes),
        (console, Action::ManageSettings, quotes),
        (console, Action::Delete, quotes),
        ("Template Builder add-in", Action::Edit, template),
        (
            "Flow Execution Panel, run own flows",
            Action::Execute,
            quote,
        ),
        ("Run other users' flows", Action::ExecuteAsOthers, quote),
        (executions, Action::ViewExecutions, quotes),
        (executions, Action::ViewAnalytics, quotes),
        (
            "Assign and manage other users' roles",
            Action::ManageMembers,
            contoso,
        ),
        (settings, Action::ManageSettings, contoso),
        (settings, Action::ManageBilling, contoso),
        (settings, SETTINGS_AND_LICENSING, contoso),
        (
            "Create/deactivate native users, set passwords",
            Action::ManageMembers,
            contoso,
        ),
        (
            "Generate or remove API keys",
            Action::ManageApiKeys,
            contoso,
        ),
    ];
    let columns = [
        (ADMINISTRATOR, web(&policy, "alice@contoso.test")),
        (DESIGNER, web(&policy, "dora@contoso.test")),
        (SUPER_USER, web(&policy, "sam@contoso.test")),
        (USER, web(&policy, "uri@contoso.test")),
    ];
    named::check(
        &policy,
        product_table::TABLE,
        product_table::read,
        &asks,
        &columns,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn the_four_roles_are_administrator_designer_super_user_and_user() {
    assert_eq!(smart_flows::roles().len(), 4);
    let policy = demo();
    for role in [ADMINISTRATOR, DESIGNER, SUPER_USER, USER] {
        assert!(policy.role_id(role).is_some(), "{role}");
    }
}

#[test]
fn the_four_user_types_each_behave_as_documented() {
    let policy = demo();
    let contoso = resource(&policy, "contoso");
    let quote = resource(&policy, "quote");
    // Native and connected users log in; only they count against licences
    // (alice, dora, sam, uri, nina): the Native Admin and the system user do not.
    assert_eq!(policy.seats_used(), 5);
    for name in ["nina@contoso.test", "uri@contoso.test"] {
        assert!(policy
            .authorize(&web(&policy, name), Action::Execute, quote)
            .is_allowed());
    }
    // The Native Admin logs in, as Administrator.
    let admin = web(&policy, "admin@contoso.test");
    assert!(policy
        .authorize(&admin, Action::ManageMembers, contoso)
        .is_allowed());
    // The system user never does.
    assert_eq!(
        policy
            .authorize(&web(&policy, "system@contoso.test"), Action::View, quote)
            .reason(),
        Reason::ChannelNotAllowed {
            channel: Channel::Web
        },
    );
}

#[test]
fn super_user_only_for_native_users_a_build_error_otherwise() {
    assert!(one_user(UserType::Native, SUPER_USER).is_ok());
    for user_type in [UserType::Connected, UserType::NativeAdmin, UserType::System] {
        let error = one_user(user_type, SUPER_USER).expect_err("not a native user");
        assert!(
            matches!(
                error.problems(),
                [Problem::IneligibleRole { role, user_type: t, .. }] if role == SUPER_USER && *t == user_type
            ),
            "{user_type}: {error}",
        );
    }
    // The other roles are open to every type.
    for role in [ADMINISTRATOR, DESIGNER, USER] {
        assert!(one_user(UserType::Connected, role).is_ok(), "{role}");
    }
}

#[test]
fn super_user_only_for_native_users_also_when_granted_later() {
    let mut policy = demo();
    let grant = Change::Grant {
        grantee: Grantee::user("uri@contoso.test"),
        scope: "contoso".into(),
        role: SUPER_USER.into(),
        effect: Effect::Allow,
        when: Default::default(),
        by: Some(Author::web("alice@contoso.test", 0)),
    };
    let error = policy.apply(grant).expect_err("uri is a connected user");
    assert_eq!(
        error.problem(),
        &ChangeProblem::IneligibleRole {
            role: SUPER_USER.into(),
            user: "uri@contoso.test".into(),
            user_type: UserType::Connected,
        },
    );

    // What an Administrator sees before trying: the grant is not eligible.
    let grant = Grant {
        principal: Principal::User(policy.user_id("uri@contoso.test").expect("uri")),
        scope: resource(&policy, "contoso"),
        role: policy.role_id(SUPER_USER).expect("the role"),
        effect: Effect::Allow,
    };
    let alice = web(&policy, "alice@contoso.test");
    assert_eq!(
        policy.can_grant(&alice, &grant).reason(),
        Reason::RoleNotEligible
    );
    // The same grant to a native user is fine.
    let grant = Grant {
        principal: Principal::User(policy.user_id("nina@contoso.test").expect("nina")),
        ..grant
    };
    assert!(policy.can_grant(&alice, &grant).is_allowed());
}

#[test]
fn super_user_runs_other_users_flows_user_and_designer_do_not() {
    let policy = demo();
    let quote = resource(&policy, "quote");
    for (name, allowed) in [
        ("sam@contoso.test", true),
        ("alice@contoso.test", true),
        ("admin@contoso.test", true),
        ("dora@contoso.test", false),
        ("uri@contoso.test", false),
        ("nina@contoso.test", false),
    ] {
        let decision = policy.authorize(&web(&policy, name), Action::ExecuteAsOthers, quote);
        assert_eq!(decision.is_allowed(), allowed, "{name}: {decision}");
    }
    // Through the API too, where Super Users mostly work.
    let sam = Subject::user(
        policy.user_id("sam@contoso.test").expect("sam"),
        Channel::Api,
    );
    assert!(policy
        .authorize(&sam, Action::ExecuteAsOthers, quote)
        .is_allowed());
}

#[test]
fn system_user_can_never_log_in() {
    let mut policy = demo();
    let system = policy.user_id("system@contoso.test").expect("system");
    let quote = resource(&policy, "quote");
    for channel in [Channel::Web, Channel::App, Channel::Api, Channel::Link] {
        let decision = policy.authorize(&Subject::user(system, channel), Action::View, quote);
        assert_eq!(decision.reason(), Reason::ChannelNotAllowed { channel });
    }
    // Not even with a key of its own.
    policy
        .apply(Change::AddKey(ApiKey::new(
            "system-key",
            "system@contoso.test",
        )))
        .expect("a key may be declared");
    assert_eq!(
        policy
            .authorize(&key(&policy, "system-key"), Action::View, quote)
            .reason(),
        Reason::ChannelNotAllowed {
            channel: Channel::Api
        },
    );
}

#[test]
fn api_keys_carry_their_owners_rights() {
    let policy = demo();
    for (owner, key_name) in [
        ("sam@contoso.test", "sam-integration"),
        ("uri@contoso.test", "uri-key"),
    ] {
        let owner = Subject::user(policy.user_id(owner).expect("owner"), Channel::Api);
        for resource in policy.resources() {
            assert_eq!(
                policy.effective(&key(&policy, key_name), resource),
                policy.effective(&owner, resource),
                "{key_name} at {resource}",
            );
        }
    }
    let quote = resource(&policy, "quote");
    assert!(policy
        .authorize(
            &key(&policy, "sam-integration"),
            Action::ExecuteAsOthers,
            quote
        )
        .is_allowed());
    assert!(!policy
        .authorize(&key(&policy, "uri-key"), Action::ExecuteAsOthers, quote)
        .is_allowed());
}

#[test]
fn a_removed_or_revoked_api_key_is_invalid_at_once() {
    let mut policy = demo();
    let quote = resource(&policy, "quote");
    let sam_key = key(&policy, "sam-integration");
    let uri_key = key(&policy, "uri-key");
    assert!(policy
        .authorize(&sam_key, Action::Execute, quote)
        .is_allowed());
    policy
        .apply(Change::RemoveKey {
            name: "sam-integration".into(),
        })
        .expect("the key exists");
    assert!(!policy
        .authorize(&sam_key, Action::Execute, quote)
        .is_allowed());
    policy
        .apply(Change::RevokeKey {
            name: "uri-key".into(),
        })
        .expect("the key exists");
    assert_eq!(
        policy.authorize(&uri_key, Action::Execute, quote).reason(),
        Reason::KeyRevoked
    );
}

#[test]
fn designer_has_the_reduced_project_console_only() {
    let policy = demo();
    let quotes = resource(&policy, "quotes");
    let dora = web(&policy, "dora@contoso.test");
    assert!(policy
        .authorize(&dora, REDUCED_PROJECT_CONSOLE, quotes)
        .is_allowed());
    assert_eq!(
        policy
            .authorize(&dora, FULL_PROJECT_CONSOLE, quotes)
            .reason(),
        Reason::RoleLacks {
            missing: PROJECT_CHANGES
        },
    );
    // Administrators have the full console, Users and Super Users none.
    let alice = web(&policy, "alice@contoso.test");
    assert!(policy
        .authorize(&alice, FULL_PROJECT_CONSOLE, quotes)
        .is_allowed());
    for name in ["sam@contoso.test", "uri@contoso.test"] {
        assert!(!policy
            .authorize(&web(&policy, name), REDUCED_PROJECT_CONSOLE, quotes)
            .is_allowed());
    }
}

#[test]
fn the_native_admin_is_always_an_administrator() {
    let mut builder = smart_flows::builder();
    smart_flows::installation(&mut builder, "fabrikam", "admin@fabrikam.test");
    let policy = builder.build().expect("an installation alone builds");
    let admin = web(&policy, "admin@fabrikam.test");
    let fabrikam = resource(&policy, "fabrikam");
    let decision = policy.authorize(&admin, Action::ManageMembers, fabrikam);
    assert_eq!(
        policy.explain(decision.reason()).to_string(),
        r#"user "admin@fabrikam.test" holds the role "Administrator" on organization "fabrikam""#,
    );
}

/// "This user type always has the Administrator user role and ensures
/// that customers can login into Smart Flows if they change their CRM
/// system." No change takes it away, whoever makes it: not a revoke, not
/// a deny or override to the account or to everyone, not suspending or
/// removing the account, and not even another Administrator.
#[test]
fn no_change_takes_the_administrator_role_from_the_native_admin() {
    let mut policy = demo();
    let admin = "admin@contoso.test";
    let alice = Some(Author::web("alice@contoso.test", 1_700_000_000));
    let on_contoso = |grantee: Grantee, effect: Effect, add: bool| {
        if add {
            Change::Grant {
                grantee,
                scope: "contoso".into(),
                role: ADMINISTRATOR.into(),
                effect,
                when: clearance::Condition::Always,
                by: alice.clone(),
            }
        } else {
            Change::Revoke {
                grantee,
                scope: "contoso".into(),
                role: ADMINISTRATOR.into(),
                effect,
                by: alice.clone(),
            }
        }
    };
    let attempts = [
        on_contoso(Grantee::user(admin), Effect::Allow, false),
        on_contoso(Grantee::user(admin), Effect::Deny, true),
        on_contoso(Grantee::user(admin), Effect::Override, true),
        on_contoso(Grantee::Everyone, Effect::Deny, true),
        Change::Suspend {
            user: admin.into(),
            by: alice.clone(),
        },
        Change::Deactivate {
            user: admin.into(),
            by: alice.clone(),
        },
        Change::RemoveUser {
            name: admin.into(),
            by: alice.clone(),
        },
        Change::SetUserType {
            user: admin.into(),
            user_type: UserType::Native,
            channels: None,
            by: alice.clone(),
        },
    ];
    for change in attempts {
        let described = change.to_string();
        let error = policy.apply(change).expect_err(&described);
        assert!(
            matches!(error.problem(), ChangeProblem::Protected { user, .. } if user == admin),
            "{described}: {error}"
        );
    }
    let contoso = resource(&policy, "contoso");
    assert!(policy
        .authorize(
            &web(&policy, admin).at(1_700_000_000),
            Action::ManageMembers,
            contoso
        )
        .is_allowed());
}

/// "System users are users that are required for the system to function,
/// but you cannot use them to login to Smart Flows. You cannot edit their
/// settings or remove them - they just exist."
#[test]
fn system_users_cannot_be_edited_or_removed() {
    let mut policy = demo();
    let system = "system@contoso.test";
    let attempts = [
        Change::RemoveUser {
            name: system.into(),
            by: None,
        },
        Change::Suspend {
            user: system.into(),
            by: None,
        },
        Change::Deactivate {
            user: system.into(),
            by: None,
        },
        Change::SetUserType {
            user: system.into(),
            user_type: UserType::Native,
            channels: None,
            by: None,
        },
        Change::SetUserLabels {
            user: system.into(),
            labels: clearance::Labels::bit(0),
        },
        Change::Revoke {
            grantee: Grantee::user(system),
            scope: "contoso".into(),
            role: USER.into(),
            effect: Effect::Allow,
            by: None,
        },
    ];
    for change in attempts {
        let described = change.to_string();
        let error = policy.apply(change).expect_err(&described);
        assert_eq!(error.code(), "protected", "{described}: {error}");
    }
    let view = policy
        .user(policy.user_id(system).expect("the system user"))
        .expect("still there");
    assert!(view.is_protected());
    assert_eq!(view.user_type(), UserType::System);
}

#[test]
fn only_an_administrator_assigns_roles() {
    let policy = demo();
    let grant = Grant {
        principal: Principal::User(policy.user_id("uri@contoso.test").expect("uri")),
        scope: resource(&policy, "contoso"),
        role: policy.role_id(DESIGNER).expect("the role"),
        effect: Effect::Allow,
    };
    assert!(policy
        .can_grant(&web(&policy, "alice@contoso.test"), &grant)
        .is_allowed());
    for name in ["dora@contoso.test", "sam@contoso.test", "nina@contoso.test"] {
        assert!(
            !policy.can_grant(&web(&policy, name), &grant).is_allowed(),
            "{name}"
        );
    }
}

#[test]
fn at_the_seat_cap_no_more_users_are_created_or_synced() {
    let mut builder = smart_flows::builder();
    smart_flows::installation(&mut builder, "contoso", "admin@contoso.test");
    builder
        .seats(smart_flows::seats(1))
        .user(User::new("nina", "contoso"))
        .user(User::new("system", "contoso").user_type(UserType::System));
    let mut policy = builder.build().expect("one counted user, one seat");
    for user in [
        User::new("ned", "contoso"),
        User::new("uri", "contoso").user_type(UserType::Connected),
    ] {
        let error = policy
            .apply(Change::AddUser(user))
            .expect_err("no seat left");
        assert!(
            matches!(
                error.problem(),
                ChangeProblem::SeatsExceeded { limit: 1, .. }
            ),
            "{error}"
        );
    }
    // The seat check is on building too.
    let mut builder = smart_flows::builder();
    smart_flows::installation(&mut builder, "contoso", "admin@contoso.test");
    builder
        .seats(smart_flows::seats(1))
        .user(User::new("nina", "contoso"))
        .user(User::new("uri", "contoso").user_type(UserType::Connected));
    assert!(builder.build().is_err());
}

#[test]
fn the_template_builder_add_in_is_for_administrators_and_designers() {
    let policy = demo();
    let template = resource(&policy, "quote-template");
    for (name, allowed) in [
        ("alice@contoso.test", true),
        ("dora@contoso.test", true),
        ("sam@contoso.test", false),
        ("uri@contoso.test", false),
    ] {
        let subject = Subject::user(policy.user_id(name).expect("user"), Channel::App);
        assert_eq!(
            policy
                .authorize(&subject, Action::Edit, template)
                .is_allowed(),
            allowed,
            "{name}"
        );
    }
    assert_eq!(policy.resource_kind(template), Some(K::Template));
}
