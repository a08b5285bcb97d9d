//! Attacks on the issue-16 rules (protected accounts, required roles,
//! authored changes of standing): each test names the rule it checks and
//! builds the smallest model that a host's input could break it with.

mod common;

use clearance::{
    Action, Author, Change, ChangeProblem, Condition, Effect, Grantee, Labels, Permissions as P,
    Policy, PolicyBuilder, RequiredOf, ResourceKind as K, Role, Subject, User, UserType, UserTypes,
};
use common::build;
use common::changes::{apply, refused};
use common::{resource, user_id};

/// acme: ws › folder, and ws2. "sync" is a protected native user in team
/// ops, holding editor on ws (its own grant, and ops's); "ann" is admin of
/// acme; "eve" holds nothing.
fn protected_model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("folder", K::Folder, "ws")
            .resource("ws2", K::Workspace, "acme")
            .role(Role::new("editor").allow([K::Workspace, K::Folder], P::VIEW | P::EDIT))
            .role(Role::new("nothing").allow([K::Workspace], P::empty()))
            .role(Role::new("admin").allow_everywhere(P::all()))
            .team("ops", "acme")
            .user(
                User::new("sync", "acme")
                    .user_type(UserType::Native)
                    .member_of("ops")
                    .protected(),
            )
            .user(User::new("ann", "acme"))
            .user(User::new("eve", "acme"))
            .grant(Grantee::user("sync"), "ws", "editor", Effect::Allow)
            .grant(Grantee::team("ops"), "ws", "editor", Effect::Allow)
            .grant(Grantee::user("ann"), "acme", "admin", Effect::Allow),
    )
}

fn sync_may(policy: &Policy, action: Action, on: &str) -> bool {
    let sync = Subject::user(user_id(policy, "sync"), clearance::Channel::Api).at(0);
    policy
        .authorize(&sync, action, resource(policy, on))
        .is_allowed()
}

/// "no change may ... revoke or narrow its grants": redefining the role a
/// protected account holds so that it gives less narrows what the account
/// holds as surely as revoking it (the Native Admin's "Administrator"
/// redefined to give nothing locks the emergency account out).
#[test]
fn updating_a_role_may_not_narrow_what_a_protected_account_holds() {
    let mut policy = protected_model();
    assert!(sync_may(&policy, Action::Edit, "folder"));
    let narrowed = Role::new("editor").allow([K::Workspace, K::Folder], P::VIEW);
    let problem = refused(&mut policy, Change::UpdateRole(narrowed));
    assert!(
        matches!(&problem, ChangeProblem::Protected { user, .. } if user == "sync"),
        "{problem}"
    );
    // Giving more stays open.
    let widened =
        Role::new("editor").allow([K::Workspace, K::Folder], P::VIEW | P::EDIT | P::DELETE);
    apply(&mut policy, Change::UpdateRole(widened));
}

/// The same through a role it does not hold but that a deny reaching it
/// names: a deny built to a protected account's team, of a role that gives
/// nothing, widened to take everything.
#[test]
fn updating_a_role_may_not_widen_a_deny_that_reaches_a_protected_account() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .role(Role::new("editor").allow([K::Workspace], P::VIEW | P::EDIT))
        .role(Role::new("nothing").allow([K::Workspace], P::empty()))
        .team("ops", "acme")
        .user(
            User::new("sync", "acme")
                .user_type(UserType::Native)
                .member_of("ops")
                .protected(),
        )
        .grant(Grantee::user("sync"), "ws", "editor", Effect::Allow)
        .grant(Grantee::team("ops"), "ws", "nothing", Effect::Deny);
    let mut policy = build(&mut builder);
    assert!(sync_may(&policy, Action::Edit, "ws"));
    let widened = Role::new("nothing").allow([K::Workspace], P::EDIT);
    let problem = refused(&mut policy, Change::UpdateRole(widened));
    assert!(
        matches!(&problem, ChangeProblem::Protected { user, .. } if user == "sync"),
        "{problem}"
    );
}

/// "no change may ... narrow its grants": moving a resource out from under
/// a protected account's grant takes the resource from it.
#[test]
fn moving_a_resource_may_not_take_it_from_under_a_protected_accounts_grant() {
    let mut policy = protected_model();
    assert!(sync_may(&policy, Action::Edit, "folder"));
    let problem = refused(
        &mut policy,
        Change::MoveResource {
            name: "folder".into(),
            parent: "ws2".into(),
        },
    );
    assert!(
        matches!(&problem, ChangeProblem::Protected { user, .. } if user == "sync"),
        "{problem}"
    );
    // A move that leaves it under the same grants still applies.
    apply(&mut policy, add_resource("sub", "ws"));
    apply(&mut policy, add_resource("elsewhere", "ws2"));
    apply(
        &mut policy,
        Change::MoveResource {
            name: "folder".into(),
            parent: "sub".into(),
        },
    );
    assert!(sync_may(&policy, Action::Edit, "folder"));
    apply(
        &mut policy,
        Change::MoveResource {
            name: "elsewhere".into(),
            parent: "acme".into(),
        },
    );
}

fn add_resource(name: &str, parent: &str) -> Change {
    Change::AddResource {
        name: name.into(),
        kind: K::Folder,
        parent: Some(parent.into()),
    }
}

/// An author is checked before anything is said about the accounts a grant
/// reaches: one without MANAGE_MEMBERS is refused as such, and does not
/// learn from a `Protected` refusal which accounts are protected and which
/// teams they are in.
#[test]
fn an_author_without_manage_members_learns_nothing_of_protected_accounts() {
    let mut policy = protected_model();
    let by = Some(Author::web("eve", 0));
    let changes = [
        Change::Revoke {
            grantee: Grantee::team("ops"),
            scope: "ws".into(),
            role: "editor".into(),
            effect: Effect::Allow,
            by: by.clone(),
        },
        Change::Grant {
            grantee: Grantee::Everyone,
            scope: "ws".into(),
            role: "editor".into(),
            effect: Effect::Deny,
            when: Condition::Always,
            by: by.clone(),
        },
        Change::Revoke {
            grantee: Grantee::user("sync"),
            scope: "ws".into(),
            role: "editor".into(),
            effect: Effect::Allow,
            by,
        },
    ];
    for change in changes {
        let problem = refused(&mut policy, change);
        assert!(
            matches!(problem, ChangeProblem::Refused { .. }),
            "an author without rights was told: {problem}"
        );
    }
}

/// As for a role's permissions, so for who may hold it: closing a role
/// given to everyone to a protected account's type takes it from the
/// account ("everyone reaches only the members a role is open to").
#[test]
fn closing_a_role_given_to_everyone_may_not_cut_a_protected_account_off() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .role(Role::new("member").allow_everywhere(P::VIEW))
        .role(Role::new("other").allow_everywhere(P::VIEW))
        .user(User::new("sync", "acme").protected())
        .user(User::new("boss", "acme").user_type(UserType::NativeAdmin))
        .grant(Grantee::Everyone, "acme", "member", Effect::Allow)
        .grant(Grantee::Everyone, "acme", "other", Effect::Allow);
    let mut policy = build(&mut builder);
    assert!(sync_may(&policy, Action::View, "ws"));
    let closed = Role::new("member")
        .allow_everywhere(P::VIEW)
        .only_for(UserTypes::NATIVE_ADMIN);
    let problem = refused(&mut policy, Change::UpdateRole(closed));
    assert!(
        matches!(&problem, ChangeProblem::Protected { user, .. } if user == "sync"),
        "{problem}"
    );
    // Closing it to a type no protected account has still applies, and so
    // does narrowing a role that reaches no protected account.
    let open_to_natives = Role::new("other")
        .allow_everywhere(P::VIEW)
        .only_for(UserTypes::NATIVE);
    apply(&mut policy, Change::UpdateRole(open_to_natives));
}

/// Narrowing a role that reaches no protected account still applies.
#[test]
fn updating_a_role_no_protected_account_holds_still_applies() {
    let mut policy = protected_model();
    let narrowed = Role::new("admin").allow_everywhere(P::VIEW);
    apply(&mut policy, Change::UpdateRole(narrowed));
    let emptied = Role::new("nothing").allow([K::Workspace], P::VIEW);
    apply(&mut policy, Change::UpdateRole(emptied));
}

/// A model with a required role of every native user, for the cost checks.
fn required_model(users: usize) -> Policy {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .role(Role::new("default").allow_everywhere(P::VIEW))
        .grant(Grantee::Everyone, "acme", "default", Effect::Allow)
        .require_role(RequiredOf::Types(UserTypes::NATIVE), "default");
    for index in 0..users {
        builder.user(User::new(format!("u{index}"), "acme"));
    }
    build(&mut builder)
}

/// A requirement declared twice is one requirement: it is kept once, so
/// that a document repeating it cannot multiply the cost of every change.
#[test]
fn a_requirement_declared_twice_is_kept_once() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .role(Role::new("default").allow_everywhere(P::VIEW))
        .user(User::new("ann", "acme"))
        .grant(Grantee::Everyone, "acme", "default", Effect::Allow);
    for _ in 0..3 {
        builder.require_role(RequiredOf::Types(UserTypes::NATIVE), "default");
    }
    let policy = build(&mut builder);
    assert_eq!(policy.to_document().required_roles.len(), 1);
    assert_eq!(required_model(1).to_document().required_roles.len(), 1);
}

/// "no change may ... narrow its grants": a protected account's own
/// labels may not change ("relabelled"), and no more may the labels of a
/// resource where a conditional grant of its matches them.
#[test]
fn relabelling_a_resource_may_not_take_a_conditional_grant_from_a_protected_account() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .resource("ws2", K::Workspace, "acme")
        .role(Role::new("editor").allow([K::Workspace], P::VIEW | P::EDIT))
        .user(User::new("sync", "acme").labels(Labels::bit(0)).protected())
        .grant_when(
            Grantee::user("sync"),
            "acme",
            "editor",
            Effect::Allow,
            Condition::LabelsIntersect,
        );
    let mut policy = build(&mut builder);
    let relabel = |resource: &str, labels: Labels| Change::SetLabels {
        resource: resource.into(),
        labels,
    };
    apply(&mut policy, relabel("ws", Labels::bit(0)));
    assert!(sync_may(&policy, Action::Edit, "ws"));
    let problem = refused(&mut policy, relabel("ws", Labels::empty()));
    assert!(
        matches!(&problem, ChangeProblem::Protected { user, .. } if user == "sync"),
        "{problem}"
    );
    assert!(sync_may(&policy, Action::Edit, "ws"));
    // Labels that keep the match, or on a resource it holds nothing on
    // anyway, still apply.
    apply(&mut policy, relabel("ws", Labels::bit(0) | Labels::bit(1)));
    apply(&mut policy, relabel("ws2", Labels::bit(1)));
}

/// "A change that would leave an account without it is refused": a role
/// that an account holds by a grant of its own (the Native Admin's
/// Administrator) can only be granted once the account exists, so an
/// account of that type can be added only in a batch that grants it the
/// role too: a batch is checked for required roles as a whole, after its
/// last change.
#[test]
fn a_batch_may_add_an_account_together_with_the_role_required_of_it() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .role(Role::new("admin").allow_everywhere(P::all()))
        .user(User::new("root", "acme").user_type(UserType::NativeAdmin))
        .grant(Grantee::user("root"), "acme", "admin", Effect::Allow)
        .require_role(RequiredOf::Types(UserTypes::NATIVE_ADMIN), "admin");
    let mut policy = build(&mut builder);
    let added = policy.apply_all([
        Change::AddUser(User::new("root2", "acme").user_type(UserType::NativeAdmin)),
        Change::Grant {
            grantee: Grantee::user("root2"),
            scope: "acme".into(),
            role: "admin".into(),
            effect: Effect::Allow,
            when: Condition::Always,
            by: None,
        },
    ]);
    assert!(added.is_ok(), "{added:?}");
}
