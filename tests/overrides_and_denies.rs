//! Overrides and denies: an `Override` grant cuts inheritance for its own
//! principal only, and a `Deny` grant removes its permissions whatever any
//! allow says, overrides included (DESIGN.md §2, steps 5 and 6).

mod common;

use clearance::{
    Action, Effect, Grantee, Permissions as P, Policy, PolicyBuilder, Reason, ResourceKind as K,
    Role, User, UserType, UserTypes,
};
use common::{assert_rows, build, effective, user, By, Expected, Row};
use Expected::{Denied, Granted, Is, Overridden};

/// ```text
/// acme (organization)        bo: admin
/// └── eng (workspace)        writers: editor; leads: editor;
/// │                          ann: deny no-delete; cal: deny no-delete
/// ├── roadmap (flow)
/// └── secret (folder)        writers: viewer (override) and runner (allow);
///     │                      contractors: deny no-delete
///     ├── plan (flow)        ann: everything; cal: everything
///     ├── draft (flow)       ann: everything (override)
///     └── vault (folder)     writers: viewer (override); everyone: deny no-export
///         └── keys (flow)
/// ```
///
/// wes is in writers; lea in writers and leads; cal and dan in contractors.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("eng", K::Workspace, "acme")
            .resource("roadmap", K::Flow, "eng")
            .resource("secret", K::Folder, "eng")
            .resource("plan", K::Flow, "secret")
            .resource("draft", K::Flow, "secret")
            .resource("vault", K::Folder, "secret")
            .resource("keys", K::Flow, "vault")
            .role(Role::new("viewer").allow([K::Workspace, K::Folder, K::Flow], P::VIEW))
            .role(
                Role::new("editor")
                    .inherits("viewer")
                    .allow([K::Folder, K::Flow], P::EDIT | P::DELETE),
            )
            .role(Role::new("runner").allow([K::Flow], P::EXECUTE))
            .role(Role::new("everything").allow_everywhere(P::all_named()))
            .role(Role::new("no-delete").allow([K::Flow], P::DELETE))
            .role(Role::new("no-export").allow_everywhere(P::EXPORT))
            .team("writers", "acme")
            .team("leads", "acme")
            .team("contractors", "acme")
            .user(User::new("wes", "acme").member_of("writers"))
            .user(
                User::new("lea", "acme")
                    .member_of("writers")
                    .member_of("leads"),
            )
            .user(User::new("ann", "acme"))
            .user(User::new("bo", "acme"))
            .user(User::new("cal", "acme").member_of("contractors"))
            .user(User::new("dan", "acme").member_of("contractors"))
            .grant(Grantee::user("bo"), "acme", "everything", Effect::Allow)
            .grant(Grantee::team("writers"), "eng", "editor", Effect::Allow)
            .grant(Grantee::team("leads"), "eng", "editor", Effect::Allow)
            .grant(Grantee::user("ann"), "eng", "no-delete", Effect::Deny)
            .grant(Grantee::user("cal"), "eng", "no-delete", Effect::Deny)
            .grant(
                Grantee::team("writers"),
                "secret",
                "viewer",
                Effect::Override,
            )
            .grant(Grantee::team("writers"), "secret", "runner", Effect::Allow)
            .grant(
                Grantee::team("contractors"),
                "secret",
                "no-delete",
                Effect::Deny,
            )
            .grant(Grantee::user("ann"), "plan", "everything", Effect::Allow)
            .grant(Grantee::user("cal"), "plan", "everything", Effect::Allow)
            .grant(
                Grantee::user("ann"),
                "draft",
                "everything",
                Effect::Override,
            )
            .grant(
                Grantee::team("writers"),
                "vault",
                "viewer",
                Effect::Override,
            )
            .grant(Grantee::Everyone, "vault", "no-export", Effect::Deny),
    )
}

#[test]
fn override_cuts_inheritance_for_that_principal_only() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // Outside the override, writers' workspace grant still counts.
        ("wes", Action::Edit, "roadmap", Granted(By::Team("writers"), "eng", "editor")),
        // Below it, writers get the override's role and nothing from above.
        ("wes", Action::View, "plan", Granted(By::Team("writers"), "secret", "viewer")),
        ("wes", Action::Edit, "plan", Overridden("secret")),
        ("wes", Action::Delete, "plan", Overridden("secret")),
        // lea is also in leads, whose workspace grant is not cut.
        ("lea", Action::Edit, "plan", Granted(By::Team("leads"), "eng", "editor")),
        ("lea", Action::Delete, "plan", Granted(By::Team("leads"), "eng", "editor")),
        // The nearest grant giving VIEW is writers' override.
        ("lea", Action::View, "plan", Granted(By::Team("writers"), "secret", "viewer")),
    ];
    assert_rows(&policy, user, rows);
    assert_eq!(
        effective(&policy, &user(&policy, "wes"), "plan"),
        P::VIEW | P::EXECUTE
    );
    assert_eq!(
        effective(&policy, &user(&policy, "lea"), "plan"),
        P::VIEW | P::EDIT | P::DELETE | P::EXECUTE
    );
}

#[test]
fn override_and_allow_at_the_same_node_both_count() {
    let policy = model();
    // On "secret", writers hold viewer as an override and runner as an allow.
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("wes", Action::View, "plan", Granted(By::Team("writers"), "secret", "viewer")),
        ("wes", Action::Execute, "plan", Granted(By::Team("writers"), "secret", "runner")),
        // Only what is above the override's node is cut.
        ("wes", Action::Edit, "plan", Overridden("secret")),
    ];
    assert_rows(&policy, user, rows);
}

#[test]
fn nearest_override_cuts_every_grant_above_it_including_overrides() {
    let policy = model();
    // On "vault", writers hold viewer as an override again: runner (an allow
    // on "secret") and editor (an allow on "eng") are both above it.
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("wes", Action::View, "keys", Granted(By::Team("writers"), "vault", "viewer")),
        ("wes", Action::Execute, "keys", Overridden("vault")),
        ("wes", Action::Edit, "keys", Overridden("vault")),
        ("wes", Action::Execute, "plan", Granted(By::Team("writers"), "secret", "runner")),
    ];
    assert_rows(&policy, user, rows);
    assert_eq!(effective(&policy, &user(&policy, "wes"), "keys"), P::VIEW);
}

#[test]
fn override_on_an_item_counts_for_its_principal() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("ann", Action::Edit, "draft", Granted(By::User("ann"), "draft", "everything")),
        ("ann", Action::Publish, "draft", Granted(By::User("ann"), "draft", "everything")),
    ];
    assert_rows(&policy, user, rows);
}

#[test]
fn deny_on_an_ancestor_beats_an_allow_on_the_item() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("ann", Action::Delete, "plan", Denied("eng", By::User("ann"))),
        // Only the deny role's permissions are removed.
        ("ann", Action::Edit, "plan", Granted(By::User("ann"), "plan", "everything")),
        ("ann", Action::Custom(P::EDIT.union(P::DELETE)), "plan", Denied("eng", By::User("ann"))),
    ];
    assert_rows(&policy, user, rows);
    assert_eq!(
        effective(&policy, &user(&policy, "ann"), "plan"),
        P::all_named() - P::DELETE
    );
}

#[test]
fn deny_for_a_team_beats_an_allow_for_the_user() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // cal is denied DELETE both as a contractor (on "secret") and as
        // himself (on "eng"): the reason names the nearest deny.
        ("cal", Action::Delete, "plan", Denied("secret", By::Team("contractors"))),
        ("cal", Action::Edit, "plan", Granted(By::User("cal"), "plan", "everything")),
    ];
    assert_rows(&policy, user, rows);
}

#[test]
fn deny_for_everyone_beats_even_the_organization_admin() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("bo", Action::Export, "keys", Denied("vault", By::Everyone)),
        ("bo", Action::Export, "vault", Denied("vault", By::Everyone)),
        // Not above the deny's scope, and not other permissions.
        ("bo", Action::Export, "plan", Granted(By::User("bo"), "acme", "everything")),
        ("bo", Action::Delete, "keys", Granted(By::User("bo"), "acme", "everything")),
    ];
    assert_rows(&policy, user, rows);
    assert!(!effective(&policy, &user(&policy, "bo"), "keys").contains(P::EXPORT));
}

#[test]
fn deny_is_not_cut_by_an_override() {
    let policy = model();
    // ann's override on "draft" cuts her allows above it, not her deny on "eng".
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("ann", Action::Delete, "draft", Denied("eng", By::User("ann"))),
        ("ann", Action::Edit, "draft", Granted(By::User("ann"), "draft", "everything")),
    ];
    assert_rows(&policy, user, rows);
    assert_eq!(
        effective(&policy, &user(&policy, "ann"), "draft"),
        P::all_named() - P::DELETE
    );
}

#[test]
fn deny_grant_alone_gives_nothing() {
    let policy = model();
    // dan's only grant is his team's deny: a deny never allows anything, and
    // a deny alone does not make him a member, so nothing gives access here.
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("dan", Action::View, "plan", Is(Reason::NotMember)),
        ("dan", Action::Delete, "plan", Is(Reason::NotMember)),
    ];
    assert_rows(&policy, user, rows);
    assert_eq!(
        effective(&policy, &user(&policy, "dan"), "plan"),
        P::empty()
    );
}

#[test]
fn overrides_and_denies_hold_on_a_node_with_many_grants() {
    // A workspace with many teams holding grants: its grants are searched
    // rather than scanned, and the rules must not change with their number.
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("eng", K::Workspace, "acme")
        .resource("secret", K::Folder, "eng")
        .resource("plan", K::Flow, "secret")
        .role(Role::new("viewer").allow([K::Workspace, K::Folder, K::Flow], P::VIEW))
        .role(
            Role::new("editor")
                .inherits("viewer")
                .allow([K::Folder, K::Flow], P::EDIT | P::DELETE),
        )
        .role(Role::new("runner").allow([K::Flow], P::EXECUTE))
        .role(Role::new("no-delete").allow([K::Flow], P::DELETE))
        .team("writers", "acme")
        .team("leads", "acme")
        .team("contractors", "acme")
        .grant(Grantee::team("writers"), "eng", "editor", Effect::Allow)
        .grant(Grantee::team("leads"), "eng", "editor", Effect::Allow)
        .grant(
            Grantee::team("contractors"),
            "eng",
            "no-delete",
            Effect::Deny,
        )
        .grant(
            Grantee::team("writers"),
            "secret",
            "viewer",
            Effect::Override,
        );
    for index in 0..20 {
        let team = format!("t{index}");
        let member = format!("u{index}");
        builder
            .team(team.as_str(), "acme")
            .grant(Grantee::team(team.as_str()), "eng", "viewer", Effect::Allow)
            .grant(
                Grantee::team(team.as_str()),
                "secret",
                "runner",
                Effect::Allow,
            )
            .user(User::new(member.as_str(), "acme").member_of(team.as_str()));
        if index < 12 {
            builder.grant(
                Grantee::user(member.as_str()),
                "plan",
                "runner",
                Effect::Allow,
            );
        }
    }
    builder
        .user(
            User::new("wes", "acme")
                .member_of("writers")
                .member_of("t5"),
        )
        .user(
            User::new("lea", "acme")
                .member_of("writers")
                .member_of("leads"),
        )
        .user(
            User::new("cal", "acme")
                .member_of("writers")
                .member_of("leads")
                .member_of("contractors"),
        );
    let policy = build(&mut builder);
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("wes", Action::View, "plan", Granted(By::Team("writers"), "secret", "viewer")),
        ("wes", Action::Edit, "plan", Overridden("secret")),
        // writers' override does not cut t5's grants.
        ("wes", Action::Execute, "plan", Granted(By::Team("t5"), "secret", "runner")),
        ("lea", Action::Edit, "plan", Granted(By::Team("leads"), "eng", "editor")),
        ("cal", Action::Delete, "plan", Denied("eng", By::Team("contractors"))),
        ("cal", Action::Edit, "plan", Granted(By::Team("leads"), "eng", "editor")),
        ("u3", Action::View, "plan", Granted(By::Team("t3"), "eng", "viewer")),
        ("u3", Action::Execute, "plan", Granted(By::User("u3"), "plan", "runner")),
        ("u15", Action::Execute, "plan", Granted(By::Team("t15"), "secret", "runner")),
        ("u15", Action::Edit, "plan", Is(Reason::RoleLacks { missing: P::EDIT })),
    ];
    assert_rows(&policy, user, rows);
}

#[test]
fn users_own_override_cuts_their_own_grants_above_it() {
    // ann holds many grants of her own (more than a short list): an editor
    // allow on the workspace, a runner override on the folder, and a viewer
    // allow on most flows in it.
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("eng", K::Workspace, "acme")
        .resource("secret", K::Folder, "eng")
        .role(Role::new("viewer").allow([K::Workspace, K::Folder, K::Flow], P::VIEW))
        .role(
            Role::new("editor")
                .inherits("viewer")
                .allow([K::Folder, K::Flow], P::EDIT | P::DELETE),
        )
        .role(Role::new("runner").allow([K::Flow], P::EXECUTE))
        .user(User::new("ann", "acme"))
        .grant(Grantee::user("ann"), "eng", "editor", Effect::Allow)
        .grant(Grantee::user("ann"), "secret", "runner", Effect::Override);
    for index in 0..12 {
        let flow = format!("f{index}");
        builder.resource(flow.as_str(), K::Flow, "secret");
        if index < 10 {
            builder.grant(Grantee::user("ann"), flow.as_str(), "viewer", Effect::Allow);
        }
    }
    let policy = build(&mut builder);
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("ann", Action::View, "eng", Granted(By::User("ann"), "eng", "editor")),
        ("ann", Action::View, "f3", Granted(By::User("ann"), "f3", "viewer")),
        ("ann", Action::Execute, "f3", Granted(By::User("ann"), "secret", "runner")),
        ("ann", Action::Edit, "f3", Overridden("secret")),
        ("ann", Action::Execute, "f11", Granted(By::User("ann"), "secret", "runner")),
        ("ann", Action::View, "f11", Overridden("secret")),
        ("ann", Action::View, "secret", Overridden("secret")),
    ];
    assert_rows(&policy, user, rows);
}

#[test]
fn deny_for_everyone_reaches_every_member_even_those_the_role_is_not_open_to() {
    // A role limited to native users, used to deny its permissions to
    // everyone on "payroll": a deny removes permissions, it does not make
    // anyone hold the role, so it must reach connected users too.
    let policy = build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("payroll", K::Flow, "acme")
            .role(
                Role::new("admin")
                    .allow_everywhere(P::DELETE | P::EXECUTE_AS_OTHERS)
                    .only_for(UserTypes::NATIVE),
            )
            .role(Role::new("editor").allow_everywhere(P::VIEW | P::DELETE))
            .user(User::new("nat", "acme"))
            .user(User::new("crm", "acme").user_type(UserType::Connected))
            .grant(Grantee::Everyone, "acme", "editor", Effect::Allow)
            .grant(Grantee::Everyone, "payroll", "admin", Effect::Deny),
    );
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("nat", Action::Delete, "payroll", Denied("payroll", By::Everyone)),
        ("crm", Action::Delete, "payroll", Denied("payroll", By::Everyone)),
        ("crm", Action::View, "payroll", Granted(By::Everyone, "acme", "editor")),
    ];
    assert_rows(&policy, user, rows);
}
