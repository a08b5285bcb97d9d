//! The Flowcode 2 preset (`004_*.txt`, `PRODUCTS.md` §5): its permission
//! matrix checked cell by cell, and one test per special rule.
#![expect(
    clippy::expect_used,
    reason = "fixture helpers outside #[test] fns stop the test loudly on a broken fixture"
)]

mod common;

use clearance::presets::flowcode::{self, FineGrained, WorkspaceRole, CREATE_FLOW};
use clearance::{
    Action, Author, Change, Channel, Effect, Grantee, Matrix, Permissions as P, Policy, Reason,
    ResourceId, ResourceKind as K, Subject,
};
use common::{assert_allowed, assert_denied};

/// The table of `PRODUCTS.md` §5, as written there: the one copy, which
/// `examples/matrix.rs` checks and prints too.
#[path = "../examples/tables/flowcode.rs"]
mod product_table;

/// Checks the named actions of a preset's docs against a product table.
#[path = "../examples/tables/named.rs"]
mod named;

fn demo() -> Policy {
    flowcode::demo().expect("the demo builds")
}

fn at(policy: &Policy, name: &str) -> ResourceId {
    policy.resource_id(name).expect("a known resource")
}

/// The member `name` of the demo, on the web.
fn web(policy: &Policy, name: &str) -> Subject {
    let id = policy
        .user_id(&format!("{name}@brightside.test"))
        .expect("a known member");
    Subject::user(id, Channel::Web)
}

fn by(name: &str) -> Option<Author> {
    Some(Author::web(format!("{name}@brightside.test"), 0))
}

#[test]
fn permission_matrix_matches_products_md() {
    let policy = demo();
    flowcode::matrix(&policy)
        .check(product_table::TABLE)
        .expect("the matrix of PRODUCTS.md §5");
}

/// "Workspace Admin: ... Members: Set user permissions and add/remove users
/// from the workspace ... Integrations ... Settings." "Workspace Editor:
/// Can create, edit, and delete flows and assets, but cannot manage users."
/// "Workspace Viewer: Read-only access to view analytics and download
/// flows." Each action the module docs' table names for a row, asked by
/// each workspace role, gives that row's answer: a Viewer may call
/// `Action::ViewAnalytics` on the workspace as on a flow.
#[test]
fn each_named_action_of_the_workspace_table_gives_the_products_answer() {
    let policy = demo();
    let (workspace, flow) = (at(&policy, "retail"), at(&policy, "spring-menu"));
    let asset = at(&policy, "logo-pack");
    let manage = "Manage page: members, teams, domains, integrations, settings";
    let content = "Create, edit, delete flows and assets";
    let analytics = "View analytics, download flows";
    let asks = [
        (manage, Action::ManageMembers, workspace),
        (manage, Action::ManageIntegrations, workspace),
        (manage, Action::ManageSettings, workspace),
        (content, Action::Edit, flow),
        (content, Action::Delete, flow),
        (content, Action::Edit, asset),
        (content, Action::Delete, asset),
        (content, Action::Create, workspace),
        (content, CREATE_FLOW, workspace),
        (analytics, Action::ViewAnalytics, flow),
        (analytics, Action::Export, flow),
        (analytics, Action::ViewAnalytics, workspace),
        (
            "Toggle fine-grained permissions of members",
            Action::ManageMembers,
            workspace,
        ),
    ];
    let columns = [
        ("WS Admin", web(&policy, "uma")),
        ("WS Editor", web(&policy, "eddie")),
        ("WS Viewer", web(&policy, "vic")),
    ];
    named::check(&policy, product_table::TABLE, |_| None, &asks, &columns)
        .unwrap_or_else(|report| panic!("{report}"));
}

/// "Organization Admin: The 'Super User' with full visibility into every
/// workspace and the Organization Admin console": Dashboard ("Aggregate
/// data from all Workspaces"), Workspaces ("Create/delete workspaces"),
/// Teams, Users ("Invite and remove users from the Org"), Activity ("Track
/// all actions performed in any Workspace"), Settings ("Manage
/// integrations", "View Single Sign On", "Create domains").
/// "Organization User: Standard members who only see the specific
/// Workspaces they are invited to." Each section's named action, asked by
/// an org Admin and by an org User (a Workspace Admin of `retail`).
#[test]
fn each_named_action_of_the_org_console_gives_the_products_answer() {
    let policy = demo();
    let (org, retail) = (at(&policy, "brightside"), at(&policy, "retail"));
    let asks = [
        ("Dashboard", Action::ViewAnalytics, org),
        ("Workspaces", Action::Create, org),
        ("Workspaces", Action::Delete, retail),
        ("Teams", Action::ManageMembers, org),
        ("Users", Action::ManageMembers, org),
        ("Activity", Action::ViewAudit, org),
        ("Settings", Action::ManageSettings, org),
        ("Settings", Action::ManageIntegrations, org),
    ];
    let columns = [
        ("Org Admin", web(&policy, "olga")),
        ("Org User", web(&policy, "uma")),
    ];
    let console = "
        | Section    | Org Admin | Org User |
        |------------|-----------|----------|
        | Dashboard  | Y (S)     | N (S)    |
        | Workspaces | Y (S)     | N (S)    |
        | Teams      | Y (S)     | N (S)    |
        | Users      | Y (S)     | N (S)    |
        | Activity   | Y (S)     | N (S)    |
        | Settings   | Y (S)     | N (S)    |
    ";
    named::check(&policy, console, |_| None, &asks, &columns)
        .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn org_admin_acts_as_workspace_admin_everywhere() {
    let mut policy = demo();
    let olga = web(&policy, "olga");
    // The same rows, asked by the org admin, in the workspace she is no
    // member of: every cell is a WS Admin's.
    let rows: Vec<(String, Action, ResourceId)> = flowcode::matrix(&policy)
        .rows()
        .map(|(label, action, resource)| (label.to_string(), action, resource))
        .collect();
    Matrix::compute(&policy, rows, [("Org Admin", olga)])
        .check(
            "
            | Action | Org Admin |
            |---|---|
            | Manage page: members, teams, domains, integrations, settings | Y (D) |
            | Create, edit, delete flows and assets | Y (D) |
            | View analytics, download flows | Y (D) |
            | Toggle fine-grained permissions of members | Y (D) |
            ",
        )
        .expect("the org admin is a workspace admin in retail");
    for action in [
        Action::Custom(flowcode::MANAGE_PAGE),
        CREATE_FLOW,
        Action::Edit,
    ] {
        let resource = if action == Action::Edit {
            "expo-badge"
        } else {
            "events"
        };
        assert_allowed(&policy, &olga, action, resource);
    }
    // A workspace created later too.
    policy
        .apply(Change::AddResource {
            name: "pop-up".into(),
            kind: K::Workspace,
            parent: Some("brightside".into()),
        })
        .expect("adds a workspace");
    assert_allowed(
        &policy,
        &olga,
        Action::Custom(flowcode::MANAGE_PAGE),
        "pop-up",
    );
    assert_allowed(&policy, &olga, Action::Delete, "pop-up");
}

#[test]
fn org_console_is_for_org_admins_only() {
    let policy = demo();
    let console = Action::Custom(flowcode::ORG_CONSOLE);
    assert_allowed(&policy, &web(&policy, "olga"), console, "brightside");
    for name in ["uma", "eddie", "vic", "otto"] {
        let who = web(&policy, name);
        assert_allowed(&policy, &who, Action::View, "brightside");
        assert!(matches!(
            assert_denied(&policy, &who, console, "brightside"),
            Reason::RoleLacks { .. }
        ));
        // Creating and deleting workspaces are the console's.
        assert_denied(&policy, &who, Action::Create, "brightside");
    }
    // A workspace admin may not delete its workspace.
    assert_denied(&policy, &web(&policy, "uma"), Action::Delete, "retail");
}

#[test]
fn org_user_sees_only_workspaces_invited_to() {
    let policy = demo();
    let uma = web(&policy, "uma");
    assert_allowed(&policy, &uma, Action::View, "retail");
    assert_eq!(
        assert_denied(&policy, &uma, Action::View, "events"),
        Reason::RoleLacks { missing: P::VIEW }
    );
    assert_denied(&policy, &uma, Action::View, "expo-badge");
}

#[test]
fn choosing_a_primary_role_switches_on_its_default_fine_grained_permissions() {
    let policy = demo();
    let retail = at(&policy, "retail");
    let toggles = |name: &str| {
        let held = policy.effective(&web(&policy, name), retail);
        FineGrained::ALL
            .into_iter()
            .filter(|toggle| held.contains(toggle.bit()))
            .collect::<Vec<_>>()
    };
    assert_eq!(toggles("uma"), FineGrained::ALL);
    assert_eq!(
        toggles("eddie"),
        [FineGrained::FlowsManager, FineGrained::BrandKitsManager]
    );
    assert_eq!(toggles("vic"), []);
    assert_eq!(
        WorkspaceRole::Admin.default_toggles(),
        FineGrained::ALL.as_slice()
    );
}

#[test]
fn fine_grained_permissions_are_per_member_per_workspace() {
    let policy = demo();
    let ana = web(&policy, "ana");
    // Audience Viewer in retail: view, manage and export its audience.
    assert_allowed(
        &policy,
        &ana,
        Action::Custom(P::VIEW | P::EDIT | P::EXPORT),
        "retail-audience",
    );
    // Not in events, where she is a plain Viewer.
    assert_allowed(&policy, &ana, Action::View, "expo-badge");
    assert_denied(&policy, &ana, Action::View, "events-audience");
    // And not for vic, a plain Viewer of retail.
    assert_denied(
        &policy,
        &web(&policy, "vic"),
        Action::View,
        "retail-audience",
    );
}

#[test]
fn turning_off_a_default_toggle_takes_its_power_away() {
    let policy = demo();
    let fay = web(&policy, "fay");
    // An Editor without Flows Manager: assets and brand kits, not flows.
    assert_allowed(&policy, &fay, Action::Edit, "logo-pack");
    assert_allowed(&policy, &fay, Action::Create, "retail");
    assert_allowed(&policy, &fay, Action::Edit, "retail-brand");
    assert_denied(&policy, &fay, Action::Edit, "spring-menu");
    assert_denied(&policy, &fay, CREATE_FLOW, "retail");
    // She still views analytics and downloads flows.
    assert_allowed(
        &policy,
        &fay,
        Action::Custom(P::VIEW_ANALYTICS | P::EXPORT),
        "spring-menu",
    );

    // Turned off later, for an Editor who had it: the same.
    let mut policy = demo();
    policy
        .apply(flowcode::toggle(
            "eddie@brightside.test",
            "retail",
            FineGrained::FlowsManager,
            false,
            by("uma"),
        ))
        .expect("the workspace admin toggles");
    let eddie = web(&policy, "eddie");
    assert_denied(&policy, &eddie, Action::Edit, "spring-menu");
    assert_allowed(&policy, &eddie, Action::Edit, "logo-pack");
}

#[test]
fn turning_on_a_toggle_gives_a_viewer_that_power_only() {
    let mut policy = demo();
    let vic = web(&policy, "vic");
    assert_denied(&policy, &vic, CREATE_FLOW, "retail");
    policy
        .apply(flowcode::toggle(
            "vic@brightside.test",
            "retail",
            FineGrained::FlowsManager,
            true,
            by("uma"),
        ))
        .expect("the workspace admin toggles");
    assert_allowed(&policy, &vic, CREATE_FLOW, "retail");
    assert_allowed(&policy, &vic, Action::Edit, "spring-menu");
    // Still no assets, brand kits or audience.
    assert_denied(&policy, &vic, Action::Edit, "logo-pack");
    assert_denied(&policy, &vic, Action::Edit, "retail-brand");
    assert_denied(&policy, &vic, Action::View, "retail-audience");
}

#[test]
fn only_org_admins_and_workspace_admins_toggle_fine_grained_permissions() {
    let mut policy = demo();
    let audience = |user: &str, workspace: &str, author: &str| {
        flowcode::toggle(
            &format!("{user}@brightside.test"),
            workspace,
            FineGrained::AudienceViewer,
            true,
            by(author),
        )
    };
    // A workspace admin, in its workspace.
    policy
        .apply(audience("vic", "retail", "uma"))
        .expect("uma is admin of retail");
    // The org admin, in any workspace.
    policy
        .apply(audience("ana", "events", "olga"))
        .expect("olga is org admin");
    // Refused: a workspace admin elsewhere, an editor, a viewer.
    let refused = [
        audience("otto", "events", "uma"),
        audience("vic", "retail", "eddie"),
        audience("eddie", "retail", "vic"),
    ];
    for change in refused {
        let before = policy.revision();
        assert!(policy.apply(change).is_err());
        assert_eq!(policy.revision(), before, "a refusal changes nothing");
    }
    // The same answers from can_grant, as a UI would ask before showing
    // the toggle.
    let grant = |user: &str, workspace: &str| clearance::Grant {
        principal: clearance::Principal::User(
            policy
                .user_id(&format!("{user}@brightside.test"))
                .expect("user"),
        ),
        scope: at(&policy, workspace),
        role: policy.role_id(flowcode::FLOWS_MANAGER_ROLE).expect("role"),
        effect: Effect::Allow,
    };
    let uma = web(&policy, "uma");
    assert!(policy.can_grant(&uma, &grant("vic", "retail")).is_allowed());
    assert!(!policy.can_grant(&uma, &grant("ana", "events")).is_allowed());
    assert!(!policy
        .can_grant(&web(&policy, "eddie"), &grant("vic", "retail"))
        .is_allowed());
    assert!(policy
        .can_grant(&web(&policy, "olga"), &grant("ana", "events"))
        .is_allowed());
}

#[test]
fn org_defaults_are_overridden_per_workspace() {
    let policy = demo();
    let otto = web(&policy, "otto");
    // The org default: Editor (with Flows Manager) in every workspace.
    assert_allowed(&policy, &otto, Action::Edit, "spring-menu");
    assert_allowed(&policy, &otto, CREATE_FLOW, "retail");
    // Overridden in events: a Viewer there.
    assert_allowed(&policy, &otto, Action::View, "expo-badge");
    assert_allowed(&policy, &otto, Action::Export, "expo-badge");
    assert_eq!(
        assert_denied(&policy, &otto, Action::Edit, "expo-badge"),
        Reason::Overridden {
            at: at(&policy, "events")
        }
    );
    assert_denied(&policy, &otto, CREATE_FLOW, "events");
}

#[test]
fn teams_hold_workspace_roles_for_their_members() {
    let policy = demo();
    let tess = web(&policy, "tess");
    assert_allowed(&policy, &tess, Action::View, "expo-badge");
    assert_allowed(&policy, &tess, Action::Export, "events-audience");
    assert_denied(&policy, &tess, Action::Edit, "expo-badge");
    assert_denied(&policy, &tess, Action::View, "spring-menu");
    // A team may be given a role with Grantee::team, like a member.
    let mut builder = flowcode::builder();
    builder
        .tenant("org", K::Organization)
        .resource("ws", K::Workspace, "org")
        .team("design", "org");
    flowcode::member(
        &mut builder,
        Grantee::team("design"),
        "ws",
        WorkspaceRole::Editor,
        Effect::Allow,
    );
    assert!(builder.build().is_ok());
}

#[test]
fn matrix_of_a_policy_without_the_demo_names_is_all_denials() {
    let mut builder = flowcode::builder();
    builder.tenant("empty", K::Organization);
    let policy = builder.build().expect("builds");
    assert!(flowcode::matrix(&policy)
        .cells()
        .all(|(_, _, decision)| !decision.is_allowed()));
}
