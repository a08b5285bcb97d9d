//! Authorized grants: `can_grant` says whether a user may make a grant
//! (`MANAGE_MEMBERS` at its scope, no escalation, a role its grantee may
//! hold), and a grant or revoke that carries its author is applied only
//! when he may make it (DESIGN.md, "Changing the model"; issue 3,
//! "Changes").

mod common;

use clearance::{
    Action, Author, Change, ChangeProblem, Channel, Effect, Entity, Grant, Grantee,
    Permissions as P, Policy, Reason, ResourceKind as K, Role,
};
use common::changes::{apply, grant_change, membership, model, refused, remove_user};
use common::{assert_decision, resource, role_id, user, user_id, By, Expected};

/// A grant by names, compiled against `policy`, for `can_grant`.
#[track_caller]
fn grant(policy: &Policy, to: By, scope: &str, role: &str, effect: Effect) -> Grant {
    Grant {
        principal: to.principal(policy),
        scope: resource(policy, scope),
        role: role_id(policy, role),
        effect,
    }
}

#[test]
fn granting_needs_manage_members_at_the_scope() {
    let policy = model();
    let viewer_for_cy = grant(&policy, By::User("cy"), "ws", "viewer", Effect::Allow);
    let cases = [
        (
            "bob",
            Reason::RoleLacks {
                missing: P::MANAGE_MEMBERS,
            },
        ),
        ("cy", Reason::NotMember),
        ("dee", Reason::Suspended),
        ("gus", Reason::WrongTenant),
    ];
    for (granter, reason) in cases {
        let decision = policy.can_grant(&user(&policy, granter), &viewer_for_cy);
        assert_eq!(decision.reason(), reason, "{granter}");
        assert!(!decision.is_allowed());
    }
    // With MANAGE_MEMBERS, the decision names the grant that gives it.
    let decision = policy.can_grant(&user(&policy, "ann"), &viewer_for_cy);
    assert_eq!(
        decision.reason(),
        Expected::Granted(By::User("ann"), "ws", "ws-admin").reason(&policy)
    );
    // ... at the grant's scope, not elsewhere.
    let on_ws2 = grant(&policy, By::User("cy"), "ws2", "viewer", Effect::Allow);
    assert_eq!(
        policy.can_grant(&user(&policy, "ann"), &on_ws2).reason(),
        Reason::NotMember
    );
}

#[test]
fn granting_more_than_the_granter_holds_would_escalate() {
    let mut policy = model();
    apply(
        &mut policy,
        Change::AddRole(Role::new("ws-editor").allow([K::Workspace], P::EDIT)),
    );
    let ann = user(&policy, "ann");
    let cases = [
        // The workspace admin holds no DELETE on flows.
        ("deleter", "ws", Some(P::DELETE)),
        ("deleter", "folder", Some(P::DELETE)),
        // It holds EDIT on folders and flows, but not on the workspace: a
        // role is checked for every kind it covers.
        ("ws-editor", "ws", Some(P::EDIT)),
        ("editor", "ws", None),
        ("ws-admin", "ws", None),
        ("viewer", "flow", None),
    ];
    for (role, scope, missing) in cases {
        let decision = policy.can_grant(
            &ann,
            &grant(&policy, By::User("cy"), scope, role, Effect::Allow),
        );
        match missing {
            Some(missing) => {
                assert_eq!(
                    decision.reason(),
                    Reason::WouldEscalate { missing },
                    "{role} on {scope}"
                );
                assert!(!decision.is_allowed());
            }
            None => assert!(decision.is_allowed(), "{role} on {scope}: {decision}"),
        }
    }
    // An override gives as much as an allow.
    let decision = policy.can_grant(
        &ann,
        &grant(&policy, By::User("cy"), "ws", "deleter", Effect::Override),
    );
    assert_eq!(
        decision.reason(),
        Reason::WouldEscalate { missing: P::DELETE }
    );
}

#[test]
fn a_deny_needs_only_manage_members() {
    let policy = model();
    let deny = grant(&policy, By::Team("ops"), "folder", "deleter", Effect::Deny);
    assert!(policy.can_grant(&user(&policy, "ann"), &deny).is_allowed());
    assert_eq!(
        policy.can_grant(&user(&policy, "bob"), &deny).reason(),
        Reason::RoleLacks {
            missing: P::MANAGE_MEMBERS
        }
    );
}

#[test]
fn granting_a_role_the_grantee_may_not_hold_is_refused() {
    let mut policy = model();
    let ann = user(&policy, "ann");
    let cases = [
        (By::User("cy"), Reason::RoleNotEligible),
        (By::Public, Reason::RoleNotEligible),
        (
            By::User("bob"),
            Expected::Granted(By::User("ann"), "ws", "ws-admin").reason(&policy),
        ),
        // Everyone reaches only the members the role is open to.
        (
            By::Everyone,
            Expected::Granted(By::User("ann"), "ws", "ws-admin").reason(&policy),
        ),
        (
            By::Team("ops"),
            Expected::Granted(By::User("ann"), "ws", "ws-admin").reason(&policy),
        ),
    ];
    for (to, reason) in cases {
        let wanted = grant(&policy, to, "ws", "native-viewer", Effect::Allow);
        assert_eq!(policy.can_grant(&ann, &wanted).reason(), reason, "{to:?}");
    }
    // Once a connected user is in the team, the team may not hold it.
    apply(&mut policy, membership("cy", "ops"));
    let to_ops = grant(
        &policy,
        By::Team("ops"),
        "ws",
        "native-viewer",
        Effect::Allow,
    );
    assert_eq!(
        policy.can_grant(&ann, &to_ops).reason(),
        Reason::RoleNotEligible
    );
}

#[test]
fn an_authored_grant_is_applied_only_when_its_author_may_grant_it() {
    let mut policy = model();
    let by = |author: &str| Some(Author::web(author, 0));
    let authored = |role: &str, author: Option<Author>| Change::Grant {
        grantee: Grantee::user("cy"),
        scope: "ws".into(),
        role: role.into(),
        effect: Effect::Allow,
        when: clearance::Condition::Always,
        by: author,
    };
    let refusals = [
        (
            authored("deleter", by("ann")),
            "ann",
            Reason::WouldEscalate { missing: P::DELETE },
        ),
        (
            authored("viewer", by("bob")),
            "bob",
            Reason::RoleLacks {
                missing: P::MANAGE_MEMBERS,
            },
        ),
        (authored("viewer", by("dee")), "dee", Reason::Suspended),
    ];
    for (change, author, reason) in refusals {
        assert_eq!(
            refused(&mut policy, change),
            ChangeProblem::Refused {
                author: author.into(),
                reason,
                // None of these reasons names an entity.
                explanation: reason.to_string(),
            }
        );
    }
    // A scope of another tenant than the author's is refused before his
    // rights are asked, as a crossing (which his caller-facing error reads
    // as an unknown resource: see tests/attack_tenant_existence.rs).
    assert_eq!(
        refused(&mut policy, authored("viewer", by("gus"))),
        ChangeProblem::CrossesTenants {
            entity: Entity::Resource,
            name: "ws".into(),
            tenant: "globex".into(),
            other_tenant: "acme".into(),
        }
    );
    // Without MFA, an MFA-guarded MANAGE_MEMBERS is refused to the author.
    apply(&mut policy, Change::SetMfaRequired(P::MANAGE_MEMBERS));
    let without_mfa = Author {
        mfa: false,
        ..Author::web("ann", 0)
    };
    assert_eq!(
        refused(&mut policy, authored("viewer", Some(without_mfa))),
        ChangeProblem::Refused {
            author: "ann".into(),
            reason: Reason::MfaRequired {
                missing: P::MANAGE_MEMBERS
            },
            explanation: "manage_members requires signing in with multi-factor authentication"
                .into(),
        }
    );
    // A grant its author may make applies, through the API as well.
    let through_api = Author {
        channel: Channel::Api,
        ..Author::web("ann", 0).with_mfa(true)
    };
    apply(&mut policy, authored("viewer", Some(through_api)));
    assert_decision(
        &policy,
        &user(&policy, "cy"),
        Action::View,
        "flow",
        Expected::Granted(By::User("cy"), "ws", "viewer").reason(&policy),
    );
}

#[test]
fn an_authored_revoke_needs_manage_members_at_the_scope() {
    let mut policy = model();
    let revoke = |author: &str| Change::Revoke {
        grantee: Grantee::user("bob"),
        scope: "folder".into(),
        role: "deleter".into(),
        effect: Effect::Allow,
        by: Some(Author::web(author, 0)),
    };
    assert_eq!(
        refused(&mut policy, revoke("cy")),
        ChangeProblem::Refused {
            author: "cy".into(),
            reason: Reason::NotMember,
            explanation: Reason::NotMember.to_string(),
        }
    );
    // Taking a grant away is no escalation: ann lacks DELETE, and may.
    apply(&mut policy, revoke("ann"));
    assert_decision(
        &policy,
        &user(&policy, "bob"),
        Action::Delete,
        "flow",
        Reason::RoleLacks { missing: P::DELETE },
    );
}

#[test]
fn can_grant_refuses_a_grant_that_could_not_be_made() {
    let mut policy = model();
    let ann = user(&policy, "ann");
    let cy = user_id(&policy, "cy");
    let to_gus = grant(&policy, By::User("gus"), "ws", "viewer", Effect::Allow);
    apply(&mut policy, remove_user("cy"));
    let to_removed = Grant {
        principal: clearance::Principal::User(cy),
        ..grant(&policy, By::Everyone, "ws", "viewer", Effect::Allow)
    };
    assert_eq!(
        policy.can_grant(&ann, &to_removed).reason(),
        Reason::UnknownSubject
    );
    assert_eq!(
        policy.can_grant(&ann, &to_gus).reason(),
        Reason::GranteeOfAnotherTenant
    );
}

#[test]
fn a_deny_needs_only_manage_members_even_for_a_role_the_grantee_may_not_hold() {
    let mut policy = model();
    let deny = grant(&policy, By::User("cy"), "ws", "native-viewer", Effect::Deny);
    assert!(policy.can_grant(&user(&policy, "ann"), &deny).is_allowed());
    apply(
        &mut policy,
        grant_change(Grantee::user("cy"), "ws", "native-viewer", Effect::Deny),
    );
}
