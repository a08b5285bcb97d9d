//! The Boomi Flow preset: its permission matrix from `PRODUCTS.md` §4 and
//! the 14 privileges of the source document, checked cell by cell, and one
//! test per rule special to the product.
#![expect(
    clippy::expect_used,
    reason = "fixture helpers outside #[test] fns stop the test loudly on a broken fixture"
)]

use clearance::presets::boomi_flow::{
    self, member, ADMINISTRATOR, ADMINISTRATOR_PRIVILEGES, PRIVILEGES, STANDARD_PRIVILEGES,
    STANDARD_USER, TENANT,
};
use clearance::{
    Action, Author, Change, ChangeProblem, Channel, Effect, Grant, Grantee, Permissions as P,
    Policy, Principal, Problem, Reason, ResourceId, Subject,
};

/// The table of `PRODUCTS.md` §4, as written there: the one copy, which
/// `examples/matrix.rs` checks and prints too.
#[path = "../examples/tables/boomi_flow.rs"]
mod product_table;

/// Checks the named actions of a preset's docs against a product table.
#[path = "../examples/tables/named.rs"]
mod named;

/// The source document's table (`003_*.txt`), one privilege a row, with
/// the cells of the product's fuller docs (D).
const PRIVILEGE_TABLE: &str = "
| Privilege     | Administrator | Standard user |
|---------------|---------------|---------------|
| Flows         | Y (D)         | Y (D)         |
| Pages         | Y (D)         | Y (D)         |
| Values        | Y (D)         | Y (D)         |
| Connectors    | Y (D)         | Y (D)         |
| Assets        | Y (D)         | Y (D)         |
| Organization  | Y (D)         | N (D)         |
| Tenant        | Y (D)         | N (D)         |
| Environments  | Y (D)         | N (D)         |
| API           | Y (D)         | N (D)         |
| Import/Export | Y (D)         | Y (D)         |
| Players       | Y (D)         | Y (D)         |
| Macros        | Y (D)         | Y (D)         |
| Dashboards    | Y (D)         | Y (D)         |
| Auditing      | Y (D)         | Y (D)         |
";

fn demo() -> Policy {
    boomi_flow::demo().expect("the Boomi Flow demo builds")
}

fn user(policy: &Policy, tenant: &str, email: &str, channel: Channel) -> Subject {
    let id = policy.user_id(&member(tenant, email)).expect("a demo user");
    Subject::user(id, channel)
}

fn resource(policy: &Policy, name: &str) -> ResourceId {
    policy.resource_id(name).expect("a demo resource")
}

#[test]
fn matrix_matches_products_md_cell_by_cell() {
    let policy = demo();
    boomi_flow::matrix(&policy)
        .check(product_table::TABLE)
        .unwrap_or_else(|error| panic!("{error}"));
}

#[test]
fn each_of_the_14_privileges_matches_the_source_table() {
    let policy = demo();
    boomi_flow::privilege_matrix(&policy)
        .check(PRIVILEGE_TABLE)
        .unwrap_or_else(|error| panic!("{error}"));
    // No bit stands for two privileges, and the two roles' sets split them.
    let all = PRIVILEGES
        .iter()
        .fold(P::empty(), |all, (name, privilege)| {
            assert!(!privilege.is_empty(), "{name}");
            assert!(!all.intersects(*privilege), "{name} shares a bit");
            all | *privilege
        });
    assert_eq!(STANDARD_PRIVILEGES | ADMINISTRATOR_PRIVILEGES, all);
    assert!(!STANDARD_PRIVILEGES.intersects(ADMINISTRATOR_PRIVILEGES));
}

/// "Included: The user role can access this tenant feature. For example,
/// navigating to the relevant page within Flow or interacting with it via
/// the API." The privileges the library has a named action for (Connectors,
/// Tenant, Import/Export, Dashboards: "Access to the Dashboard page and
/// feature", Auditing: "Access to the Auditing page and feature") give the
/// product's answer to a host that calls the named action on the tenant,
/// as the module docs' table says: both roles may call
/// `Action::ViewAudit`, only an Administrator `Action::ManageSettings`.
#[test]
fn each_named_action_of_the_privilege_table_gives_the_products_answer() {
    let policy = demo();
    let acme = resource(&policy, "acme");
    let asks = [
        ("Flows", Action::Custom(boomi_flow::FLOWS)),
        ("Pages", Action::Custom(boomi_flow::PAGES)),
        ("Values", Action::Custom(boomi_flow::VALUES)),
        ("Connectors", Action::ManageIntegrations),
        ("Assets", Action::Custom(boomi_flow::ASSETS)),
        ("Organization", Action::Custom(boomi_flow::ORGANIZATION)),
        ("Tenant", Action::ManageSettings),
        ("Tenant", Action::ManageMembers),
        ("Environments", Action::Custom(boomi_flow::ENVIRONMENTS)),
        ("API", Action::Custom(boomi_flow::API_TOOL)),
        ("Import/Export", Action::Import),
        ("Import/Export", Action::Export),
        ("Players", Action::Custom(boomi_flow::PLAYERS)),
        ("Macros", Action::Custom(boomi_flow::MACROS)),
        ("Dashboards", Action::ViewAnalytics),
        ("Auditing", Action::ViewAudit),
    ]
    .map(|(row, action)| (row, action, acme));
    let columns = [
        (
            ADMINISTRATOR,
            user(&policy, "acme", "olivia@acme.test", Channel::Web),
        ),
        (
            STANDARD_USER,
            user(&policy, "acme", "sam@acme.test", Channel::Web),
        ),
    ];
    named::check(&policy, PRIVILEGE_TABLE, |_| None, &asks, &columns)
        .unwrap_or_else(|report| panic!("{report}"));
    // Every privilege the table names is asked.
    for (name, _) in PRIVILEGES {
        assert!(asks.iter().any(|(row, ..)| *row == name), "{name}");
    }
}

#[test]
fn administrator_and_standard_user_are_the_two_roles() {
    assert_eq!(boomi_flow::roles().len(), 2);
    let policy = demo();
    for role in [ADMINISTRATOR, STANDARD_USER] {
        assert!(policy.role_id(role).is_some(), "{role}");
    }
}

#[test]
fn a_privilege_covers_the_page_the_feature_and_the_api_alike() {
    let policy = demo();
    let acme = resource(&policy, "acme");
    let key = Subject::key(policy.key_id("acme/sam-key").expect("the key"));
    for (name, privilege) in PRIVILEGES {
        for email in ["olivia@acme.test", "sam@acme.test"] {
            let web = user(&policy, "acme", email, Channel::Web);
            let api = user(&policy, "acme", email, Channel::Api);
            let action = Action::Custom(privilege);
            assert_eq!(
                policy.authorize(&web, action, acme).is_allowed(),
                policy.authorize(&api, action, acme).is_allowed(),
                "{name} for {email}",
            );
        }
        // Sam's API key: Sam's answer.
        let sam = user(&policy, "acme", "sam@acme.test", Channel::Api);
        assert_eq!(
            policy
                .authorize(&key, Action::Custom(privilege), acme)
                .is_allowed(),
            policy
                .authorize(&sam, Action::Custom(privilege), acme)
                .is_allowed(),
            "{name} for Sam's key",
        );
    }
    // Excluded means excluded through the API too (the excerpt's example).
    assert_eq!(
        policy
            .authorize(&key, Action::Custom(TENANT), acme)
            .reason(),
        Reason::RoleLacks { missing: TENANT },
    );
}

#[test]
fn only_administrators_publish_to_a_local_runtime() {
    let policy = demo();
    let flow = resource(&policy, "acme/onboarding");
    let runtime = resource(&policy, "acme/local-runtime");
    let olivia = user(&policy, "acme", "olivia@acme.test", Channel::Web);
    let sam = user(&policy, "acme", "sam@acme.test", Channel::Web);

    assert!(boomi_flow::publish_to_local_runtime(&policy, &olivia, flow, runtime).is_allowed());
    assert_eq!(
        boomi_flow::publish_to_local_runtime(&policy, &sam, flow, runtime).reason(),
        Reason::RoleLacks {
            missing: P::PUBLISH
        },
    );
    // A Standard user publishes the flow itself (to the cloud), and does not
    // even see the local runtime.
    assert!(policy.authorize(&sam, Action::Publish, flow).is_allowed());
    assert!(!policy.authorize(&sam, Action::View, runtime).is_allowed());
    // Nor can a Standard user's key.
    let key = Subject::key(policy.key_id("acme/sam-key").expect("the key"));
    assert!(!boomi_flow::publish_to_local_runtime(&policy, &key, flow, runtime).is_allowed());
    // An Administrator of another tenant cannot publish to this runtime.
    let tess = user(&policy, "acme-test", "tess@acme.test", Channel::Web);
    assert_eq!(
        boomi_flow::publish_to_local_runtime(&policy, &tess, flow, runtime).reason(),
        Reason::WrongTenant,
    );
}

#[test]
fn subtenants_are_isolated_from_each_other() {
    let policy = demo();
    let tenants = ["acme", "acme-dev", "acme-test"];
    // Every account sees its own tenant's flow and none of the others',
    // whatever its role there: Olivia administers acme and acme-dev, yet
    // each of her accounts stays in its tenant.
    let accounts = [
        ("acme", "olivia@acme.test"),
        ("acme", "sam@acme.test"),
        ("acme-dev", "olivia@acme.test"),
        ("acme-dev", "dev@acme.test"),
        ("acme-test", "tess@acme.test"),
        ("acme-test", "sam@acme.test"),
    ];
    for (home, email) in accounts {
        let subject = user(&policy, home, email, Channel::Web);
        for tenant in tenants {
            let flow = resource(&policy, &format!("{tenant}/onboarding"));
            let decision = policy.authorize(&subject, Action::View, flow);
            if tenant == home {
                assert!(decision.is_allowed(), "{home}/{email} in {tenant}");
            } else {
                assert_eq!(
                    decision.reason(),
                    Reason::WrongTenant,
                    "{home}/{email} in {tenant}"
                );
            }
        }
    }
    // A key stays in its owner's tenant.
    let key = Subject::key(policy.key_id("acme/sam-key").expect("the key"));
    let elsewhere = resource(&policy, "acme-test/onboarding");
    assert_eq!(
        policy.authorize(&key, Action::View, elsewhere).reason(),
        Reason::WrongTenant
    );
}

#[test]
fn subtenants_are_isolated_no_grant_may_cross_them() {
    // At build time.
    let mut builder = boomi_flow::builder();
    boomi_flow::tenant(&mut builder, "acme-dev", "olivia@acme.test");
    boomi_flow::tenant(&mut builder, "acme-test", "tess@acme.test");
    builder.grant(
        Grantee::user(member("acme-dev", "olivia@acme.test")),
        "acme-test",
        ADMINISTRATOR,
        Effect::Allow,
    );
    let error = builder.build().expect_err("a grant across tenants");
    assert!(
        matches!(error.problems(), [Problem::CrossesTenants { .. }]),
        "{error}"
    );

    // And as a change, even by an Administrator of the target tenant.
    let mut policy = demo();
    let error = policy
        .apply(Change::Grant {
            grantee: Grantee::user(member("acme-dev", "dev@acme.test")),
            scope: "acme-test".into(),
            role: STANDARD_USER.into(),
            effect: Effect::Allow,
            when: Default::default(),
            by: Some(Author::web(member("acme-test", "tess@acme.test"), 0)),
        })
        .expect_err("a grant across tenants");
    assert!(
        matches!(error.problem(), ChangeProblem::CrossesTenants { .. }),
        "{error}"
    );
}

#[test]
fn a_tenants_creator_becomes_administrator_later_and_saml_users_standard() {
    let mut builder = boomi_flow::builder();
    boomi_flow::tenant(&mut builder, "globex", "hank@globex.test");
    boomi_flow::add_user(&mut builder, "globex", "homer@globex.test");
    let mut policy = builder.build().expect("a tenant, its creator and a user");
    policy
        .apply_all(boomi_flow::provision("globex", "marge@globex.test"))
        .expect("SAML provisioning");
    let globex = resource(&policy, "globex");
    let tenant_settings = |email: &str| {
        let subject = user(&policy, "globex", email, Channel::Web);
        let decision = policy.authorize(&subject, Action::Custom(TENANT), globex);
        let flows = policy.authorize(&subject, Action::Custom(STANDARD_PRIVILEGES), globex);
        assert!(flows.is_allowed(), "{email} has the standard privileges");
        decision.is_allowed()
    };
    assert!(tenant_settings("hank@globex.test"));
    assert!(!tenant_settings("homer@globex.test"));
    assert!(!tenant_settings("marge@globex.test"));
}

#[test]
fn only_administrators_manage_the_tenants_users() {
    let policy = demo();
    let acme = resource(&policy, "acme");
    let promote = Grant {
        principal: Principal::User(
            policy
                .user_id(&member("acme", "kim@acme.test"))
                .expect("kim"),
        ),
        scope: acme,
        role: policy.role_id(ADMINISTRATOR).expect("the role"),
        effect: Effect::Allow,
    };
    let olivia = user(&policy, "acme", "olivia@acme.test", Channel::Web);
    let sam = user(&policy, "acme", "sam@acme.test", Channel::Web);
    assert!(policy.can_grant(&olivia, &promote).is_allowed());
    assert_eq!(
        policy.can_grant(&sam, &promote).reason(),
        Reason::RoleLacks {
            missing: P::MANAGE_MEMBERS
        },
    );
}
