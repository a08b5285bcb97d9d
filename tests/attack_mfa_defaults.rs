//! Attack family: defaults that let a session skip multi-factor
//! authentication.
//!
//! Every way to describe who acts starts without MFA, the safe default:
//! `Subject::user`, `Subject::key` and `Author::web` alike. A public link
//! has no session at all, so it never passes an MFA guard, whatever the
//! host (or a serialized subject) claims.

mod common;

use clearance::{
    Action, Author, Change, ChangeProblem, Channel, Condition, Effect, Grantee, Permissions as P,
    Policy, PolicyBuilder, PublicLink, Reason, ResourceKind as K, Role, Subject, User,
};
use common::{assert_decision, build, link_id, user_id, By, Expected};

/// ann administers ws (MANAGE_MEMBERS is MFA-guarded); the public may view
/// and edit flow through a link that gives both.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("flow", K::Flow, "ws")
            .role(Role::new("admin").allow(
                [K::Workspace, K::Flow],
                P::VIEW | P::EDIT | P::MANAGE_MEMBERS,
            ))
            .role(Role::new("public-editor").allow([K::Flow], P::VIEW | P::EDIT))
            .role(Role::new("viewer").allow([K::Workspace, K::Flow], P::VIEW))
            .user(User::new("ann", "acme"))
            .user(User::new("cy", "acme"))
            .grant(Grantee::user("ann"), "ws", "admin", Effect::Allow)
            .grant(Grantee::Public, "flow", "public-editor", Effect::Allow)
            .link(PublicLink::new("flow-link", "flow", P::VIEW | P::EDIT))
            .mfa_required(P::MANAGE_MEMBERS | P::EDIT),
    )
}

fn grant_by(author: Author) -> Change {
    Change::Grant {
        grantee: Grantee::user("cy"),
        scope: "ws".into(),
        role: "viewer".into(),
        effect: Effect::Allow,
        when: Condition::Always,
        by: Some(author),
    }
}

#[test]
fn an_author_built_the_short_way_has_not_passed_mfa() {
    let mut policy = model();
    let before = policy.clone();
    let error = policy
        .apply(grant_by(Author::web("ann", 0)))
        .expect_err("an MFA-guarded grant needs an MFA session");
    assert_eq!(
        *error.problem(),
        ChangeProblem::Refused {
            author: "ann".into(),
            reason: Reason::MfaRequired {
                missing: P::MANAGE_MEMBERS
            },
            explanation: "manage_members requires signing in with multi-factor authentication"
                .into(),
        }
    );
    assert_eq!(policy, before, "a refused change changes nothing");
    policy
        .apply(grant_by(Author::web("ann", 0).with_mfa(true)))
        .expect("with MFA vouched for, ann may grant");
}

#[test]
fn authors_and_subjects_share_the_safe_mfa_default() {
    let policy = model();
    let ann = user_id(&policy, "ann");
    assert!(!Subject::user(ann, Channel::Web).mfa());
    assert!(!Author::web("ann", 0).mfa);
}

#[cfg(feature = "serde")]
#[test]
fn a_serialized_author_without_mfa_has_not_passed_it() {
    let author: Author = serde_json::from_str(r#"{"user":"ann","channel":"web","at":0}"#)
        .expect("an author without mfa reads");
    assert!(!author.mfa);
}

#[test]
fn a_link_holder_never_passes_an_mfa_guard() {
    let policy = model();
    let link = Subject::link(link_id(&policy, "flow-link")).at(0);
    let claimed = link.with_mfa(true);
    assert!(!claimed.mfa(), "a link has no session to pass MFA");
    assert_eq!(
        policy
            .authorize(&claimed, Action::Edit, common::resource(&policy, "flow"))
            .reason(),
        Reason::MfaRequired { missing: P::EDIT }
    );
    assert_eq!(
        policy.effective(&claimed, common::resource(&policy, "flow")),
        P::VIEW
    );
    let by_public = Expected::Granted(By::Public, "flow", "public-editor").reason(&policy);
    assert_decision(&policy, &claimed, Action::View, "flow", by_public);
}

#[cfg(feature = "serde")]
#[test]
fn a_serialized_link_subject_claiming_mfa_does_not_pass_it() {
    let policy = model();
    let id = link_id(&policy, "flow-link").index();
    let json = format!(r#"{{"credential":{{"Link":{id}}},"channel":"link","mfa":true,"now":0}}"#);
    let claimed: Subject = serde_json::from_str(&json).expect("a link subject reads");
    assert!(!claimed.mfa());
    assert_eq!(
        policy
            .authorize(&claimed, Action::Edit, common::resource(&policy, "flow"))
            .reason(),
        Reason::MfaRequired { missing: P::EDIT }
    );
}
