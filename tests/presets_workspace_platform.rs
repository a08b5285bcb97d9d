//! The workspace platform preset (`002_*.txt`, `PRODUCTS.md` §3): its
//! permission matrix checked cell by cell, and one test per special rule.
#![expect(
    clippy::expect_used,
    reason = "fixture helpers outside #[test] fns stop the test loudly on a broken fixture"
)]

mod common;

use clearance::presets::workspace_platform::{
    self as wp, FlowPermission, KeyExpiry, KeyScope, DEMO_NOW,
};
use clearance::{
    Action, Change, ChangeProblem, Channel, Effect, Grantee, Matrix, Permissions as P, Policy,
    Reason, ResourceId, ResourceKind as K, Subject, User,
};
use common::{assert_allowed, assert_denied};

/// The table of `PRODUCTS.md` §3, as written there: the one copy, which
/// `examples/matrix.rs` checks and prints too.
#[path = "../examples/tables/workspace_platform.rs"]
mod product_table;

/// Checks the named actions of a preset's docs against a product table.
#[path = "../examples/tables/named.rs"]
mod named;

/// The flow-level table of `002_*.txt` ("Control access per flow"), with
/// a row for the limited run the preset defines.
const FLOW_MATRIX: &str = "
| Permission | Owner | Editor | Viewer | None |
|---|---|---|---|---|
| Can View | Yes | Yes | Yes | No |
| Can Edit | Yes | Yes | No | No |
| Can Execute | Yes | Yes | Limited | No |
| Can Execute (limited) | Yes | Yes | Yes | No |
";

fn demo() -> Policy {
    wp::demo().expect("the demo builds")
}

fn at(policy: &Policy, name: &str) -> ResourceId {
    policy.resource_id(name).expect("a known resource")
}

/// The member `name` of the demo on the web, with MFA, at `DEMO_NOW`.
fn web(policy: &Policy, name: &str) -> Subject {
    let id = policy
        .user_id(&format!("{name}@northwind.test"))
        .expect("a known member");
    Subject::user(id, Channel::Web).with_mfa(true).at(DEMO_NOW)
}

fn key(policy: &Policy, name: &str) -> Subject {
    Subject::key(policy.key_id(name).expect("a known key")).at(DEMO_NOW)
}

#[test]
fn permission_matrix_matches_products_md() {
    let policy = demo();
    // `limited` settings are the Viewer's own settings only: no "All settings".
    wp::matrix(&policy)
        .check_with(product_table::TABLE, wp::read_cell)
        .expect("the matrix of PRODUCTS.md §3");
}

/// "Admin: Full workspace control: Access all settings, Manage users and
/// roles, View all flows and connections, Create and manage API keys,
/// Configure integrations." "Editor: Create and edit flows, Manage
/// connections, View execution history, Cannot manage users, Cannot access
/// billing." "Viewer: View flows and executions, Cannot create or edit,
/// Cannot manage connections, Limited settings access." Each action the
/// module docs' table names for a capability, asked by each role, gives
/// that capability's answer: billing is `Action::ManageBilling`.
#[test]
fn each_named_action_of_the_capability_table_gives_the_products_answer() {
    let policy = demo();
    let (workspace, flow) = (at(&policy, "northwind"), at(&policy, "lead-sync"));
    let connection = at(&policy, "salesforce");
    let users = "User management: invite, change role, suspend, remove";
    let asks = [
        (users, Action::ManageMembers, workspace),
        ("All settings", Action::ManageSettings, workspace),
        ("View flows and executions", Action::View, flow),
        ("View flows and executions", Action::ViewExecutions, flow),
        ("Create and edit flows", Action::Edit, flow),
        ("Create and edit flows", Action::Create, workspace),
        ("Manage connections", Action::Edit, connection),
        ("Manage connections", Action::Delete, connection),
        (
            "Create and manage API keys",
            Action::ManageApiKeys,
            workspace,
        ),
        (
            "Configure integrations",
            Action::ManageIntegrations,
            workspace,
        ),
        ("Billing", Action::ManageBilling, workspace),
    ];
    let columns = [
        ("Admin", web(&policy, "ada")),
        ("Editor", web(&policy, "eddie")),
        ("Viewer", web(&policy, "vera")),
    ];
    named::check(
        &policy,
        product_table::TABLE,
        wp::read_cell,
        &asks,
        &columns,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn flow_level_owner_and_editor_view_edit_execute_and_viewer_executes_limited() {
    let policy = demo();
    // "Limited" in the full-execution row: no full run.
    wp::flow_matrix(&policy)
        .check_with(FLOW_MATRIX, |cell| (cell == "Limited").then_some(false))
        .expect("the flow-level table of 002");
}

#[test]
fn limited_execution_is_a_manual_run_only() {
    let policy = demo();
    let vera = web(&policy, "vera");
    assert_allowed(&policy, &vera, Action::ExecuteLimited, "lead-sync");
    assert_eq!(
        assert_denied(&policy, &vera, Action::Execute, "lead-sync"),
        Reason::RoleLacks {
            missing: P::EXECUTE
        }
    );
    // An Editor runs in full and by hand.
    let eddie = web(&policy, "eddie");
    assert_allowed(
        &policy,
        &eddie,
        Action::Custom(P::EXECUTE | P::EXECUTE_LIMITED),
        "lead-sync",
    );
}

#[test]
fn flow_level_none_overrides_the_workspace_role() {
    let policy = demo();
    let vera = web(&policy, "vera");
    let payroll = at(&policy, "payroll-run");
    assert_eq!(
        assert_denied(&policy, &vera, Action::View, "payroll-run"),
        Reason::Overridden { at: payroll }
    );
    assert_eq!(
        policy.effective(&vera, payroll),
        P::empty(),
        "None is nothing"
    );
}

#[test]
fn flow_level_permission_can_raise_a_viewer_to_editor_on_one_flow() {
    let policy = demo();
    let vera = web(&policy, "vera");
    assert_allowed(&policy, &vera, Action::Edit, "invoice-export");
    assert_denied(&policy, &vera, Action::Edit, "lead-sync");
}

#[test]
fn custom_role_inherits_viewer_and_adds_its_own_permissions() {
    let policy = demo();
    let otis = web(&policy, "otis");
    // Inherited from Viewer.
    assert_allowed(&policy, &otis, Action::View, "lead-sync");
    assert_allowed(&policy, &otis, Action::ExecuteLimited, "lead-sync");
    // Its own: full runs and the audit log.
    assert_allowed(&policy, &otis, Action::Execute, "lead-sync");
    assert_allowed(&policy, &otis, Action::ViewAudit, "northwind");
    // Not an Editor.
    assert_denied(&policy, &otis, Action::Edit, "lead-sync");
}

#[test]
fn connection_access_all_members_specific_users_or_teams_or_admins_only() {
    let policy = demo();
    let (ada, eddie, omar, pia, erin, vera) = (
        web(&policy, "ada"),
        web(&policy, "eddie"),
        web(&policy, "omar"),
        web(&policy, "pia"),
        web(&policy, "erin"),
        web(&policy, "vera"),
    );
    // All members: through their workspace roles.
    assert_allowed(&policy, &ada, Action::Use, "salesforce");
    assert_allowed(&policy, &eddie, Action::Use, "salesforce");
    assert_allowed(&policy, &vera, Action::View, "salesforce");
    assert_denied(&policy, &vera, Action::Use, "salesforce");

    // Specific: the team operations and eddie, and admins.
    assert_allowed(&policy, &ada, Action::Use, "warehouse-db");
    assert_allowed(&policy, &eddie, Action::Use, "warehouse-db");
    assert_allowed(&policy, &omar, Action::Use, "warehouse-db");
    assert_allowed(&policy, &pia, Action::Use, "warehouse-db");
    assert_denied(&policy, &erin, Action::Use, "warehouse-db");
    assert_denied(&policy, &vera, Action::View, "warehouse-db");
    // Those named use it; managing it stays with admins.
    assert_denied(&policy, &eddie, Action::Edit, "warehouse-db");
    assert_allowed(&policy, &ada, Action::Edit, "warehouse-db");

    // Admins only: even an Editor does not reach it.
    assert_allowed(&policy, &ada, Action::Use, "stripe-live");
    assert_allowed(&policy, &ada, Action::Edit, "stripe-live");
    assert_denied(&policy, &eddie, Action::Use, "stripe-live");
    assert_denied(&policy, &eddie, Action::View, "stripe-live");
    assert_denied(&policy, &vera, Action::View, "stripe-live");
    // The denial names the grant that does not reach the connection and
    // its condition, not "nothing gives access here" (issue 16, item 7).
    let reason = assert_denied(&policy, &eddie, Action::Use, "stripe-live");
    assert!(
        matches!(reason, Reason::ConditionUnmet { .. }),
        "{reason:?}"
    );
    let explained = policy.explain(reason).to_string();
    assert!(
        explained.contains("applies only when the subject has every label of the resource"),
        "{explained}"
    );
}

#[test]
fn folder_permissions_are_inherited_by_contents_and_overridden_at_item_level() {
    let policy = demo();
    let omar = web(&policy, "omar");
    // Operations holds Editor on the production folder: its flows inherit it.
    assert_allowed(&policy, &omar, Action::Edit, "order-routing");
    // And Viewer on development.
    assert_allowed(&policy, &omar, Action::View, "lead-sync");
    assert_denied(&policy, &omar, Action::Edit, "lead-sync");

    // Eddie, a workspace Editor, is overridden to Viewer on payroll-run
    // only: the override cuts his inherited Editor role there.
    let eddie = web(&policy, "eddie");
    assert_allowed(&policy, &eddie, Action::Edit, "order-routing");
    assert_eq!(
        assert_denied(&policy, &eddie, Action::Edit, "payroll-run"),
        Reason::Overridden {
            at: at(&policy, "payroll-run")
        }
    );
    assert_allowed(&policy, &eddie, Action::ExecuteLimited, "payroll-run");

    // A folder-level override reaches the folder's contents.
    let mut builder = wp::builder();
    builder
        .tenant("ops", K::Workspace)
        .resource("secret", K::Folder, "ops")
        .resource("inside", K::Flow, "secret")
        .user(User::new("ed", "ops"));
    wp::assign(&mut builder, Grantee::user("ed"), "ops", wp::EDITOR);
    wp::set_flow_permission(
        &mut builder,
        Grantee::user("ed"),
        "secret",
        FlowPermission::Viewer,
    );
    let policy = builder.build().expect("builds");
    let ed = Subject::user(policy.user_id("ed").expect("ed"), Channel::Web);
    assert_allowed(&policy, &ed, Action::View, "inside");
    assert_denied(&policy, &ed, Action::Edit, "inside");
}

#[test]
fn team_members_inherit_team_access_and_memberships_combine() {
    let policy = demo();
    let (erin, omar, pia) = (
        web(&policy, "erin"),
        web(&policy, "omar"),
        web(&policy, "pia"),
    );
    // Engineering: Editor on development and its test connection.
    assert_allowed(&policy, &erin, Action::Edit, "lead-sync");
    assert_allowed(&policy, &erin, Action::Use, "sandbox-db");
    assert_eq!(
        assert_denied(&policy, &erin, Action::View, "order-routing"),
        Reason::NotMember
    );
    // Operations: Editor on production, Viewer on development.
    assert_denied(&policy, &omar, Action::Edit, "lead-sync");
    // Pia is in both: the union.
    assert_allowed(&policy, &pia, Action::Edit, "lead-sync");
    assert_allowed(&policy, &pia, Action::Edit, "order-routing");
    assert_allowed(&policy, &pia, Action::Use, "warehouse-db");
}

#[test]
fn suspension_removes_access_immediately_and_reactivation_restores_it() {
    let mut policy = demo();
    let sam = web(&policy, "sam");
    assert_eq!(
        assert_denied(&policy, &sam, Action::View, "lead-sync"),
        Reason::Suspended
    );

    let eddie = web(&policy, "eddie");
    assert_allowed(&policy, &eddie, Action::Edit, "lead-sync");
    policy
        .apply(Change::Suspend {
            user: "eddie@northwind.test".into(),
            by: None,
        })
        .expect("suspends");
    assert_eq!(
        assert_denied(&policy, &eddie, Action::View, "lead-sync"),
        Reason::Suspended
    );
    // The keys of a suspended member are refused too.
    policy
        .apply(Change::Suspend {
            user: "ada@northwind.test".into(),
            by: None,
        })
        .expect("suspends");
    assert_eq!(
        assert_denied(
            &policy,
            &key(&policy, "ada-all-flows"),
            Action::View,
            "lead-sync"
        ),
        Reason::Suspended
    );

    policy
        .apply(Change::Reactivate {
            user: "eddie@northwind.test".into(),
            by: None,
        })
        .expect("reactivates");
    assert_allowed(&policy, &eddie, Action::Edit, "lead-sync");
}

#[test]
fn only_an_accepted_invitation_is_membership() {
    let mut policy = demo();
    let ivy = web(&policy, "ivy");
    // Pending.
    assert_eq!(
        assert_denied(&policy, &ivy, Action::View, "lead-sync"),
        Reason::InvitationPending
    );
    // Expired: by the clock, before anyone marks it.
    let later = ivy.at(DEMO_NOW + 8 * 86_400);
    assert_eq!(
        assert_denied(&policy, &later, Action::View, "lead-sync"),
        Reason::InvitationExpired
    );
    let late = policy.apply(Change::AcceptInvitation {
        user: "ivy@northwind.test".into(),
        at: DEMO_NOW + 8 * 86_400,
    });
    assert!(matches!(
        late.expect_err("too late").problem(),
        ChangeProblem::InvitationExpired { .. }
    ));
    // Accepted: a member with the role the invitation named.
    policy
        .apply(Change::AcceptInvitation {
            user: "ivy@northwind.test".into(),
            at: DEMO_NOW + 86_400,
        })
        .expect("accepts in time");
    assert_allowed(&policy, &ivy, Action::Edit, "lead-sync");

    // Revoked: the invited user is gone.
    policy
        .apply(Change::Invite {
            user: User::new("rex@northwind.test", "northwind"),
            until: DEMO_NOW + 86_400,
        })
        .expect("invites");
    let rex = web(&policy, "rex");
    assert_eq!(
        assert_denied(&policy, &rex, Action::View, "northwind"),
        Reason::InvitationPending
    );
    policy
        .apply(Change::RevokeInvitation {
            user: "rex@northwind.test".into(),
        })
        .expect("revokes");
    assert_eq!(
        assert_denied(&policy, &rex, Action::View, "northwind"),
        Reason::UnknownSubject
    );

    // Expired by hand.
    policy
        .apply(Change::Invite {
            user: User::new("uma@northwind.test", "northwind"),
            until: DEMO_NOW + 86_400,
        })
        .expect("invites");
    policy
        .apply(Change::ExpireInvitation {
            user: "uma@northwind.test".into(),
        })
        .expect("expires");
    assert_eq!(
        assert_denied(&policy, &web(&policy, "uma"), Action::View, "northwind"),
        Reason::InvitationExpired
    );
}

#[test]
fn admin_powers_require_mfa() {
    let policy = demo();
    let ada = web(&policy, "ada");
    let without = ada.with_mfa(false);
    for action in [
        Action::ManageMembers,
        Action::ManageSettings,
        Action::ManageApiKeys,
        Action::ManageIntegrations,
        Action::ManageBilling,
        Action::ViewAudit,
    ] {
        assert_allowed(&policy, &ada, action, "northwind");
        assert!(matches!(
            assert_denied(&policy, &without, action, "northwind"),
            Reason::MfaRequired { .. }
        ));
    }
    // Work with flows needs no MFA.
    assert_allowed(&policy, &without, Action::Edit, "lead-sync");
}

#[test]
fn api_keys_expire_after_30_days_90_days_a_year_a_custom_date_or_never() {
    let policy = demo();
    let day = 86_400;
    let cases = [
        ("ada-dev-flows", 30 * day),
        ("ada-all-flows", 90 * day),
        ("ada-reporting", 365 * day),
        ("ada-quarter-close", 1_759_190_400 - DEMO_NOW),
    ];
    for (name, lifetime) in cases {
        let before = key(&policy, name).at(DEMO_NOW + lifetime - 1);
        let after = key(&policy, name).at(DEMO_NOW + lifetime);
        assert_allowed(&policy, &before, Action::View, "lead-sync");
        assert_eq!(
            assert_denied(&policy, &after, Action::View, "lead-sync"),
            Reason::KeyExpired,
            "{name}"
        );
    }
    let forever = key(&policy, "ada-forever").at(DEMO_NOW + 100 * 365 * day);
    assert_allowed(&policy, &forever, Action::Execute, "lead-sync");
}

#[test]
fn api_key_scopes_all_flows_specific_flows_or_read_only() {
    let policy = demo();
    // All flows: work with any flow, never an admin power.
    let all = key(&policy, "ada-all-flows");
    assert_allowed(&policy, &all, Action::Execute, "payroll-run");
    assert_allowed(&policy, &all, Action::Edit, "lead-sync");
    assert!(matches!(
        assert_denied(
            &policy,
            &all.with_mfa(true),
            Action::ManageMembers,
            "northwind"
        ),
        Reason::KeyLacks { .. }
    ));
    // Specific flows: the development folder only.
    let dev = key(&policy, "ada-dev-flows");
    assert_allowed(&policy, &dev, Action::Execute, "lead-sync");
    assert_eq!(
        assert_denied(&policy, &dev, Action::Execute, "order-routing"),
        Reason::KeyOutOfScope
    );
    // Read-only.
    let read = key(&policy, "ada-reporting");
    assert_allowed(&policy, &read, Action::ViewExecutions, "order-routing");
    assert_eq!(
        assert_denied(&policy, &read, Action::Execute, "order-routing"),
        Reason::KeyLacks {
            missing: P::EXECUTE
        }
    );
    // A key never exceeds its owner: a Viewer's all-flows key cannot edit.
    let mut builder = wp::builder();
    builder
        .tenant("ops", K::Workspace)
        .resource("f", K::Flow, "ops")
        .user(User::new("vi", "ops"));
    wp::assign(&mut builder, Grantee::user("vi"), "ops", wp::VIEWER);
    builder.api_key(wp::api_key(
        "vi-key",
        "vi",
        KeyScope::AllFlows,
        KeyExpiry::Never,
        0,
    ));
    let policy = builder.build().expect("builds");
    let vi_key = Subject::key(policy.key_id("vi-key").expect("key"));
    assert_allowed(&policy, &vi_key, Action::View, "f");
    assert_denied(&policy, &vi_key, Action::Edit, "f");
}

/// "API keys (D): expiry (none, 30 d, 90 d, 1 y, custom date), scope (all
/// flows, specific flows, read-only), revocable." Specific flows may be
/// anywhere in the workspace: a key limited to a flow of development and
/// one of production reaches those two, and nothing else.
#[test]
fn a_specific_flows_key_reaches_flows_in_several_folders_and_nothing_else() {
    let mut builder = wp::builder();
    builder
        .tenant("ops", K::Workspace)
        .resource("dev", K::Folder, "ops")
        .resource("dev-flow", K::Flow, "dev")
        .resource("dev-other", K::Flow, "dev")
        .resource("prod", K::Folder, "ops")
        .resource("prod-flow", K::Flow, "prod")
        .user(User::new("ed", "ops"));
    wp::assign(&mut builder, Grantee::user("ed"), "ops", wp::EDITOR);
    builder.api_key(wp::api_key(
        "two-flows",
        "ed",
        KeyScope::Flows(vec!["dev-flow".into(), "prod-flow".into()]),
        KeyExpiry::Never,
        0,
    ));
    let policy = builder.build().expect("builds");
    let key = Subject::key(policy.key_id("two-flows").expect("key"));
    assert_allowed(&policy, &key, Action::Edit, "dev-flow");
    assert_allowed(&policy, &key, Action::Execute, "prod-flow");
    for elsewhere in ["dev-other", "dev", "prod", "ops"] {
        assert_eq!(
            assert_denied(&policy, &key, Action::View, elsewhere),
            Reason::KeyOutOfScope,
            "{elsewhere}"
        );
    }
}

#[test]
fn api_keys_are_revocable_and_go_with_their_owner() {
    let mut policy = demo();
    let all = key(&policy, "ada-all-flows");
    policy
        .apply(Change::RevokeKey {
            name: "ada-all-flows".into(),
        })
        .expect("revokes");
    assert_eq!(
        assert_denied(&policy, &all, Action::View, "lead-sync"),
        Reason::KeyRevoked
    );
    // Off-boarding: removing the member removes its keys with it.
    let reporting = key(&policy, "ada-reporting");
    policy
        .apply(Change::RemoveUser {
            name: "ada@northwind.test".into(),
            by: None,
        })
        .expect("removes");
    assert!(policy.key_id("ada-reporting").is_none());
    assert!(!policy
        .authorize(&reporting, Action::View, at(&policy, "lead-sync"))
        .is_allowed());
}

#[test]
fn access_denied_names_each_troubleshooting_cause() {
    let mut policy = demo();
    policy
        .apply(Change::AddUser(User::new(
            "new@northwind.test",
            "northwind",
        )))
        .expect("adds");
    // 1. Not added to the workspace (a member with no role yet).
    assert_eq!(
        assert_denied(&policy, &web(&policy, "new"), Action::View, "lead-sync"),
        Reason::NotMember
    );
    // 2. Role lacks permission.
    assert_eq!(
        assert_denied(
            &policy,
            &web(&policy, "eddie"),
            Action::ManageMembers,
            "northwind"
        ),
        Reason::RoleLacks {
            missing: P::MANAGE_MEMBERS
        }
    );
    // 3. Account suspended.
    assert_eq!(
        assert_denied(&policy, &web(&policy, "sam"), Action::View, "lead-sync"),
        Reason::Suspended
    );
    // 4. Wrong workspace.
    assert_eq!(
        assert_denied(&policy, &web(&policy, "ada"), Action::View, "billing-sync"),
        Reason::WrongTenant
    );
    // 5. Item-level permission.
    assert!(matches!(
        assert_denied(&policy, &web(&policy, "vera"), Action::View, "payroll-run"),
        Reason::Overridden { .. }
    ));
    // 6. Team membership: erin's team does not reach production.
    assert_eq!(
        assert_denied(
            &policy,
            &web(&policy, "erin"),
            Action::View,
            "order-routing"
        ),
        Reason::NotMember
    );
}

#[test]
fn editors_create_flows_in_folders_and_viewers_do_not() {
    let policy = demo();
    assert_allowed(
        &policy,
        &web(&policy, "eddie"),
        Action::Create,
        "development",
    );
    assert_allowed(&policy, &web(&policy, "eddie"), Action::Create, "northwind");
    assert_denied(
        &policy,
        &web(&policy, "vera"),
        Action::Create,
        "development",
    );
}

#[test]
fn viewer_settings_access_is_limited_to_personal_settings() {
    let policy = demo();
    let personal = Action::Custom(wp::PERSONAL_SETTINGS);
    for name in ["ada", "eddie", "vera"] {
        assert_allowed(&policy, &web(&policy, name), personal, "northwind");
    }
    assert_denied(
        &policy,
        &web(&policy, "vera"),
        Action::ManageSettings,
        "northwind",
    );
}

#[test]
fn matrix_of_a_policy_without_the_demo_names_is_all_denials() {
    let mut builder = wp::builder();
    builder.tenant("empty", K::Workspace);
    let policy = builder.build().expect("builds");
    let matrix: Matrix<'_> = wp::matrix(&policy);
    assert!(matrix
        .cells()
        .all(|(_, _, decision)| !decision.is_allowed()));
}

#[test]
fn workspace_roles_grant_with_admin_unconditional() {
    // Granting the Admin role through `assign` reaches a restricted
    // connection; granting Editor the same way does not.
    let mut builder = wp::builder();
    builder
        .tenant("ops", K::Workspace)
        .resource("vault", K::Connection, "ops")
        .user(User::new("a", "ops"))
        .user(User::new("e", "ops"));
    wp::assign(&mut builder, Grantee::user("a"), "ops", wp::ADMIN);
    wp::assign(&mut builder, Grantee::user("e"), "ops", wp::EDITOR);
    wp::set_connection_access(&mut builder, "vault", wp::ConnectionAccess::AdminsOnly);
    // A grant made without `assign` is the host's own business.
    builder.grant(
        Grantee::user("e"),
        "vault",
        wp::CONNECTION_USER,
        Effect::Allow,
    );
    let policy = builder.build().expect("builds");
    let user = |name| Subject::user(policy.user_id(name).expect("user"), Channel::Web);
    assert_allowed(&policy, &user("a"), Action::Edit, "vault");
    assert_allowed(&policy, &user("e"), Action::Use, "vault");
    assert_denied(&policy, &user("e"), Action::Edit, "vault");
}
