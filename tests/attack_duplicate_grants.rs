//! Attack: the same grant declared twice, so that a revoke removes one copy
//! and the other keeps the access (issue 13, item 1).
//!
//! A grant's identity is (principal, scope, role, effect): the condition is
//! not part of it. The builder, documents and changes agree on that one
//! definition: a model or document holding two grants of one identity does
//! not build (naming both places), a change adding a second one is refused
//! (`AlreadyGranted`), and after an `Ok` revoke no grant of that identity is
//! left.

mod common;

use clearance::{
    Action, Change, ChangeProblem, Condition, Effect, GrantDocument, Grantee, Permissions as P,
    Policy, PolicyBuilder, PolicyDocument, Problem, ResourceDocument, ResourceKind as K, Role,
    RoleDocument, RuleDocument, TeamDocument, User, UserDocument,
};
use common::{build, problems, resource, user};

fn base() -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .role(Role::new("viewer").allow([K::Workspace], P::VIEW))
        .team("ops", "acme")
        .user(User::new("ann", "acme").member_of("ops"));
    builder
}

fn grantees() -> [Grantee; 4] {
    [
        Grantee::user("ann"),
        Grantee::team("ops"),
        Grantee::Everyone,
        Grantee::Public,
    ]
}

/// `Problem::DuplicateGrant`, by its message (so that this file also
/// compiles, and fails, on a crate without that variant).
fn is_duplicate(problem: &Problem) -> bool {
    problem.to_string().contains("the same grant as")
}

#[test]
fn a_builder_refuses_the_same_grant_twice_for_every_principal() {
    for grantee in grantees() {
        let mut builder = base();
        builder
            .grant(grantee.clone(), "ws", "viewer", Effect::Allow)
            .grant(grantee.clone(), "ws", "viewer", Effect::Allow);
        let found = problems(&mut builder);
        assert_eq!(found.len(), 1, "{grantee}: {found:?}");
        assert!(is_duplicate(&found[0]), "{grantee}: {found:?}");
        let message = found[0].to_string();
        assert!(
            message.contains("grant #0") && message.contains("grant #1"),
            "names both declarations: {message}"
        );
    }
}

#[test]
fn a_builder_refuses_the_same_grant_twice_under_different_conditions() {
    for grantee in grantees() {
        let mut builder = base();
        builder
            .grant(grantee.clone(), "ws", "viewer", Effect::Allow)
            .grant_when(
                grantee.clone(),
                "ws",
                "viewer",
                Effect::Allow,
                Condition::LabelsIntersect,
            );
        let found = problems(&mut builder);
        assert!(
            found.len() == 1 && is_duplicate(&found[0]),
            "{grantee}: {found:?}"
        );
    }
}

#[test]
fn grants_differing_in_effect_role_scope_or_principal_are_distinct() {
    let mut builder = base();
    builder
        .role(Role::new("other").allow([K::Workspace], P::EDIT))
        .resource("ws2", K::Workspace, "acme")
        .grant(Grantee::user("ann"), "ws", "viewer", Effect::Allow)
        .grant(Grantee::user("ann"), "ws", "viewer", Effect::Override)
        .grant(Grantee::user("ann"), "ws", "viewer", Effect::Deny)
        .grant(Grantee::user("ann"), "ws", "other", Effect::Allow)
        .grant(Grantee::user("ann"), "ws2", "viewer", Effect::Allow)
        .grant(Grantee::team("ops"), "ws", "viewer", Effect::Allow)
        .grant(Grantee::Everyone, "ws", "viewer", Effect::Allow);
    build(&mut builder);
}

fn document() -> PolicyDocument {
    PolicyDocument {
        roles: vec![RoleDocument {
            name: "viewer".into(),
            rules: vec![RuleDocument {
                kinds: vec![K::Workspace],
                permissions: P::VIEW,
            }],
            inherits: vec![],
            only_for: None,
        }],
        resources: vec![
            ResourceDocument::new("acme", K::Organization, None),
            ResourceDocument::new("ws", K::Workspace, Some("acme")),
        ],
        teams: vec![TeamDocument {
            name: "ops".into(),
            tenant: "acme".into(),
        }],
        users: vec![UserDocument {
            teams: vec!["ops".into()],
            ..UserDocument::new("ann", "acme")
        }],
        ..PolicyDocument::new()
    }
}

#[test]
fn a_document_refuses_the_same_grant_twice_naming_both_places() {
    for grantee in grantees() {
        let mut document = document();
        let grant = GrantDocument::new(grantee.clone(), "ws", "viewer", Effect::Allow);
        document.grants = vec![
            grant.clone(),
            GrantDocument::new(grantee.clone(), "ws", "viewer", Effect::Deny),
            GrantDocument::new(grantee.clone(), "acme", "viewer", Effect::Allow),
            GrantDocument {
                when: Condition::LabelsContain,
                ..grant
            },
        ];
        let error = Policy::from_document(&document).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "the document has 1 problem\n- grants[3]: the same grant as grants[0] \
                 ({grantee} on \"ws\", role \"viewer\", allow); a grant is one principal, \
                 scope, role and effect, whatever its condition"
            ),
        );
    }
}

/// The attack itself: without the duplicate check, a document with two
/// copies builds, one revoke returns `Ok`, and access stays.
#[test]
fn a_revoked_grant_leaves_no_copy_behind() {
    for grantee in grantees() {
        let mut document = document();
        let grant = GrantDocument::new(grantee.clone(), "ws", "viewer", Effect::Allow);
        document.grants = vec![grant.clone(), grant];
        let Ok(mut policy) = Policy::from_document(&document) else {
            // Refused at build: no copy can survive a revoke.
            continue;
        };
        policy
            .apply(Change::Revoke {
                grantee: grantee.clone(),
                scope: "ws".into(),
                role: "viewer".into(),
                effect: Effect::Allow,
                by: None,
            })
            .unwrap();
        assert!(
            policy.to_document().grants.is_empty(),
            "{grantee}: a copy of the revoked grant is left"
        );
        let ann = user(&policy, "ann");
        assert!(
            !policy
                .authorize(&ann, Action::View, resource(&policy, "ws"))
                .is_allowed(),
            "{grantee}: a copy of the revoked grant still gives access"
        );
    }
}

/// Changes follow the same identity: a second grant differing only in its
/// condition is refused, and a revoke (which names no condition) removes
/// the grant whatever its condition.
#[test]
fn changes_treat_a_grant_under_another_condition_as_the_same_grant() {
    for grantee in grantees() {
        let mut policy = build(&mut base());
        let grant = |when| Change::Grant {
            grantee: grantee.clone(),
            scope: "ws".into(),
            role: "viewer".into(),
            effect: Effect::Allow,
            when,
            by: None,
        };
        policy.apply(grant(Condition::LabelsIntersect)).unwrap();
        let error = policy.apply(grant(Condition::Always)).unwrap_err();
        assert_eq!(error.problem(), &ChangeProblem::AlreadyGranted, "{grantee}");
        policy
            .apply(Change::Revoke {
                grantee: grantee.clone(),
                scope: "ws".into(),
                role: "viewer".into(),
                effect: Effect::Allow,
                by: None,
            })
            .unwrap();
        assert!(
            policy.to_document().grants.is_empty(),
            "{grantee}: the revoke left a grant"
        );
        let ann = user(&policy, "ann");
        assert!(!policy
            .authorize(&ann, Action::View, resource(&policy, "ws"))
            .is_allowed());
    }
}
