//! Attacks on the issue-16 rules (protected accounts, required roles,
//! authored changes of standing): each test names the rule it checks and
//! builds the smallest model that a host's input could break it with.

mod common;

use clearance::{
    Author, Change, ChangeProblem, Condition, Effect, Grantee, Permissions as P, Policy,
    PolicyBuilder, ResourceKind as K, Role, User, UserType,
};
use common::build;
use common::changes::refused;

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
