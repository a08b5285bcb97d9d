//! Inheritance: a grant reaches its scope and everything below it, roles
//! give permissions per kind of resource and inherit other roles, and the
//! grants of a user, its teams and `Everyone` combine by union (DESIGN.md §2,
//! step 5).

mod common;

use clearance::{
    Action, ApiKey, Channel, Effect, Grantee, Permissions as P, Policy, PolicyBuilder, PublicLink,
    Reason, ResourceKind as K, Role, Status, Subject, User, UserType, UserTypes,
};
use common::{assert_decision, assert_rows, build, effective, link, user, By, Expected, Row};
use Expected::{Granted, Is};

/// ```text
/// acme (organization)                         bo: admin
/// ├── marketing (workspace)                   eve: analyst
/// │   ├── campaigns (folder)                  writers: flow-editor
/// │   │   ├── launch (flow)
/// │   │   └── drafts (folder)
/// │   │       └── archive (folder)
/// │   │           └── teaser (flow)
/// │   └── brand (form)
/// └── sales (workspace)                       reviewers: viewer
///     └── leads (folder)                      runners: runner
///         └── scoring (flow)
/// globex (organization)
/// └── ops (workspace)
///     └── nightly (flow)
/// ```
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("marketing", K::Workspace, "acme")
            .resource("campaigns", K::Folder, "marketing")
            .resource("launch", K::Flow, "campaigns")
            .resource("drafts", K::Folder, "campaigns")
            .resource("archive", K::Folder, "drafts")
            .resource("teaser", K::Flow, "archive")
            .resource("brand", K::Form, "marketing")
            .resource("sales", K::Workspace, "acme")
            .resource("leads", K::Folder, "sales")
            .resource("scoring", K::Flow, "leads")
            .tenant("globex", K::Organization)
            .resource("ops", K::Workspace, "globex")
            .resource("nightly", K::Flow, "ops")
            .role(Role::new("viewer").allow([K::Workspace, K::Folder, K::Flow], P::VIEW))
            // Edits flows, but only sees the workspace, and has no rule for folders.
            .role(
                Role::new("flow-editor")
                    .allow([K::Flow], P::VIEW | P::EDIT | P::EXECUTE)
                    .allow([K::Workspace], P::VIEW),
            )
            .role(Role::new("runner").allow([K::Flow], P::EXECUTE))
            .role(
                Role::new("exporter")
                    .inherits("viewer")
                    .allow([K::Flow], P::EXPORT),
            )
            .role(
                Role::new("analyst")
                    .inherits("exporter")
                    .allow([K::Workspace], P::VIEW_ANALYTICS),
            )
            .role(Role::new("admin").allow_everywhere(P::all_named()))
            .team("writers", "acme")
            .team("reviewers", "acme")
            .team("runners", "acme")
            .user(User::new("ann", "acme").member_of("writers"))
            .user(User::new("bo", "acme"))
            .user(
                User::new("cy", "acme")
                    .member_of("reviewers")
                    .member_of("runners"),
            )
            .user(User::new("dee", "acme").member_of("reviewers"))
            .user(User::new("eve", "acme"))
            .user(User::new("hal", "globex"))
            .grant(
                Grantee::team("writers"),
                "campaigns",
                "flow-editor",
                Effect::Allow,
            )
            .grant(Grantee::user("bo"), "acme", "admin", Effect::Allow)
            .grant(Grantee::team("reviewers"), "sales", "viewer", Effect::Allow)
            .grant(Grantee::team("runners"), "leads", "runner", Effect::Allow)
            .grant(Grantee::user("eve"), "marketing", "analyst", Effect::Allow),
    )
}

#[test]
fn grant_on_a_folder_reaches_the_flows_in_it() {
    let policy = model();
    let by_writers = Granted(By::Team("writers"), "campaigns", "flow-editor");
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("ann", Action::View, "launch", by_writers),
        ("ann", Action::Edit, "launch", by_writers),
        ("ann", Action::Execute, "launch", by_writers),
        // The role does not give DELETE: inheritance carries the role, not more.
        ("ann", Action::Delete, "launch", Is(Reason::RoleLacks { missing: P::DELETE })),
    ];
    assert_rows(&policy, user, rows);
    assert_eq!(
        effective(&policy, &user(&policy, "ann"), "launch"),
        P::VIEW | P::EDIT | P::EXECUTE
    );
}

#[test]
fn grant_reaches_through_nested_folders_to_any_depth() {
    let policy = model();
    let by_writers = Granted(By::Team("writers"), "campaigns", "flow-editor");
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("ann", Action::Edit, "teaser", by_writers),
        ("ann", Action::Execute, "teaser", by_writers),
    ];
    assert_rows(&policy, user, rows);
}

#[test]
fn grants_reach_down_the_tree_never_up_or_sideways() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // The workspace above the folder grant.
        ("ann", Action::View, "marketing", Is(Reason::NotMember)),
        // A sibling of the folder, under the same workspace.
        ("ann", Action::View, "brand", Is(Reason::NotMember)),
        // Another workspace of the same tenant.
        ("ann", Action::View, "scoring", Is(Reason::NotMember)),
    ];
    assert_rows(&policy, user, rows);
}

#[test]
fn organization_grant_acts_on_every_resource_of_its_tenant() {
    let policy = model();
    let by_admin = Granted(By::User("bo"), "acme", "admin");
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("bo", Action::ManageBilling, "acme", by_admin),
        ("bo", Action::ManageMembers, "marketing", by_admin),
        ("bo", Action::Delete, "campaigns", by_admin),
        ("bo", Action::Publish, "teaser", by_admin),
        ("bo", Action::Edit, "brand", by_admin),
        ("bo", Action::ExecuteAsOthers, "scoring", by_admin),
        // ... and nowhere else: another tenant is another tree.
        ("bo", Action::View, "nightly", Is(Reason::WrongTenant)),
    ];
    assert_rows(&policy, user, rows);
    assert_eq!(
        effective(&policy, &user(&policy, "bo"), "teaser"),
        P::all_named()
    );
}

#[test]
fn role_gives_the_permissions_of_its_rule_for_the_kind_of_resource_asked_about() {
    let policy = model();
    // flow-editor: VIEW | EDIT | EXECUTE on flows, VIEW on workspaces, nothing on folders.
    // Granted on a workspace, it must still apply its flow rule to the flows below.
    let policy_with_workspace_grant = build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("marketing", K::Workspace, "acme")
            .resource("campaigns", K::Folder, "marketing")
            .resource("launch", K::Flow, "campaigns")
            .role(
                Role::new("flow-editor")
                    .allow([K::Flow], P::VIEW | P::EDIT | P::EXECUTE)
                    .allow([K::Workspace], P::VIEW),
            )
            .user(User::new("ann", "acme"))
            .grant(
                Grantee::user("ann"),
                "marketing",
                "flow-editor",
                Effect::Allow,
            ),
    );
    let by_ann = Granted(By::User("ann"), "marketing", "flow-editor");
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("ann", Action::View, "marketing", by_ann),
        ("ann", Action::Edit, "marketing", Is(Reason::RoleLacks { missing: P::EDIT })),
        ("ann", Action::View, "campaigns", Is(Reason::RoleLacks { missing: P::VIEW })),
        ("ann", Action::Edit, "launch", by_ann),
    ];
    assert_rows(&policy_with_workspace_grant, user, rows);

    // The same role granted on a folder: the folder itself gets the folder rule (none).
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("ann", Action::View, "campaigns", Is(Reason::RoleLacks { missing: P::VIEW })),
    ];
    assert_rows(&policy, user, rows);
}

#[test]
fn custom_role_gives_everything_it_inherits_transitively() {
    let policy = model();
    // analyst inherits exporter, which inherits viewer.
    let by_eve = Granted(By::User("eve"), "marketing", "analyst");
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // Its own rule.
        ("eve", Action::ViewAnalytics, "marketing", by_eve),
        // exporter's rule.
        ("eve", Action::Export, "launch", by_eve),
        // viewer's rule, two levels up the inheritance.
        ("eve", Action::View, "teaser", by_eve),
        ("eve", Action::View, "campaigns", by_eve),
        // Inheritance adds rules; it does not widen them to other kinds.
        ("eve", Action::Export, "campaigns", Is(Reason::RoleLacks { missing: P::EXPORT })),
        ("eve", Action::Edit, "launch", Is(Reason::RoleLacks { missing: P::EDIT })),
    ];
    assert_rows(&policy, user, rows);
    assert_eq!(
        effective(&policy, &user(&policy, "eve"), "launch"),
        P::VIEW | P::EXPORT
    );
}

#[test]
fn team_memberships_combine_by_union() {
    let policy = model();
    // cy is in reviewers (viewer on sales) and runners (runner on leads); dee only in reviewers.
    let view_and_execute = Action::Custom(P::VIEW | P::EXECUTE);
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("cy", Action::View, "scoring", Granted(By::Team("reviewers"), "sales", "viewer")),
        ("cy", Action::Execute, "scoring", Granted(By::Team("runners"), "leads", "runner")),
        // One action needing bits from both teams is allowed.
        ("cy", view_and_execute, "scoring", Granted(By::Team("runners"), "leads", "runner")),
        ("dee", Action::View, "scoring", Granted(By::Team("reviewers"), "sales", "viewer")),
        ("dee", Action::Execute, "scoring", Is(Reason::RoleLacks { missing: P::EXECUTE })),
        ("dee", view_and_execute, "scoring", Is(Reason::RoleLacks { missing: P::EXECUTE })),
    ];
    assert_rows(&policy, user, rows);
    assert_eq!(
        effective(&policy, &user(&policy, "cy"), "scoring"),
        P::VIEW | P::EXECUTE
    );
    assert_eq!(
        effective(&policy, &user(&policy, "dee"), "scoring"),
        P::VIEW
    );
}

#[test]
fn direct_and_team_grants_combine_by_union() {
    let policy = build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("sales", K::Workspace, "acme")
            .resource("scoring", K::Flow, "sales")
            .role(Role::new("viewer").allow([K::Workspace, K::Flow], P::VIEW))
            .role(Role::new("runner").allow([K::Flow], P::EXECUTE))
            .team("reviewers", "acme")
            .user(User::new("cy", "acme").member_of("reviewers"))
            .grant(Grantee::team("reviewers"), "sales", "viewer", Effect::Allow)
            .grant(Grantee::user("cy"), "scoring", "runner", Effect::Allow),
    );
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("cy", Action::View, "scoring", Granted(By::Team("reviewers"), "sales", "viewer")),
        ("cy", Action::Execute, "scoring", Granted(By::User("cy"), "scoring", "runner")),
    ];
    assert_rows(&policy, user, rows);
    assert_eq!(
        effective(&policy, &user(&policy, "cy"), "scoring"),
        P::VIEW | P::EXECUTE
    );
}

#[test]
fn everyone_grant_reaches_every_active_member_of_its_tenant_only() {
    let policy = build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("handbook", K::Flow, "acme")
            .tenant("globex", K::Organization)
            .resource("nightly", K::Flow, "globex")
            .role(Role::new("viewer").allow([K::Organization, K::Flow], P::VIEW))
            .user(User::new("ann", "acme"))
            .user(User::new("int", "acme").user_type(UserType::Interface))
            .user(User::new("gus", "acme").status(Status::Suspended))
            .user(User::new("hal", "globex"))
            .api_key(ApiKey::new("ann-key", "ann"))
            .link(PublicLink::new("handbook-link", "handbook", P::VIEW))
            .grant(Grantee::Everyone, "acme", "viewer", Effect::Allow),
    );
    let by_everyone = Granted(By::Everyone, "acme", "viewer");
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("ann", Action::View, "handbook", by_everyone),
        ("ann", Action::View, "acme", by_everyone),
        ("gus", Action::View, "handbook", Is(Reason::Suspended)),
        // A member of another tenant: not reached in acme ...
        ("hal", Action::View, "handbook", Is(Reason::WrongTenant)),
        // ... and acme's Everyone grant gives nothing in hal's own tenant.
        ("hal", Action::View, "nightly", Is(Reason::NotMember)),
    ];
    assert_rows(&policy, user, rows);
    // Every kind of member: an API-only account, and a key acting for a member.
    let int = Subject::user(common::user_id(&policy, "int"), Channel::Api);
    let everyone = by_everyone.reason(&policy);
    assert_decision(&policy, &int, Action::View, "handbook", everyone);
    assert_decision(
        &policy,
        &common::key(&policy, "ann-key"),
        Action::View,
        "handbook",
        everyone,
    );
    // A link holder is not a member: only `Public` grants reach links.
    assert_decision(
        &policy,
        &link(&policy, "handbook-link"),
        Action::View,
        "handbook",
        Reason::NotMember,
    );
}

#[test]
fn everyone_grant_of_a_role_limited_to_some_user_types_reaches_only_those_members() {
    let policy = build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("flows", K::Folder, "acme")
            .resource("payroll", K::Flow, "flows")
            .role(
                Role::new("super user")
                    .allow([K::Flow], P::EXECUTE | P::EXECUTE_AS_OTHERS)
                    .only_for(UserTypes::NATIVE),
            )
            .user(User::new("nat", "acme"))
            .user(User::new("crm", "acme").user_type(UserType::Connected))
            .grant(Grantee::Everyone, "flows", "super user", Effect::Allow),
    );
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("nat", Action::ExecuteAsOthers, "payroll", Granted(By::Everyone, "flows", "super user")),
        // The grant is not the connected user's, and nothing else reaches it.
        ("crm", Action::ExecuteAsOthers, "payroll", Is(Reason::NotMember)),
    ];
    assert_rows(&policy, user, rows);
    assert_eq!(
        effective(&policy, &user(&policy, "crm"), "payroll"),
        P::empty()
    );
}
