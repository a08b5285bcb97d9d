//! Attack family: learning that something exists in another tenant.
//!
//! A decision keeps its precise reason (`WrongTenant`) for the host's logs;
//! its caller-facing form (`Decision::for_caller`) must not tell a resource
//! of another tenant from one that does not exist, whatever the state of
//! the account, key or link asking.

mod common;
mod generate;
#[allow(dead_code, reason = "this file uses the model, not the evaluator")]
mod reference;

use clearance::{
    Action, ApiKey, Channel, Effect, Grantee, KeyId, LinkId, Permissions as P, Policy,
    PolicyBuilder, PublicLink, Reason, ResourceId, ResourceKind as K, Role, Status, Subject, User,
    UserId,
};
use common::{build, key, link, resource, user};
use proptest::prelude::*;

fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .tenant("globex", K::Organization)
            .resource("secret-merger", K::Flow, "globex")
            .role(Role::new("viewer").allow([K::Workspace, K::Flow], P::VIEW))
            .user(User::new("ann", "acme"))
            .user(User::new("sus", "acme").status(Status::Suspended))
            .grant(Grantee::user("ann"), "ws", "viewer", Effect::Allow)
            .api_key(ApiKey::new("revoked-key", "ann").revoked(true))
            .api_key(ApiKey::new("old-key", "ann").expires_at(10))
            .link(PublicLink::new("revoked-link", "ws", P::VIEW).revoked(true)),
    )
}

#[test]
fn the_caller_cannot_tell_another_tenants_resource_from_a_missing_one() {
    let policy = model();
    let theirs = resource(&policy, "secret-merger");
    let missing = ResourceId::from_index(10_000);
    for subject in [
        user(&policy, "ann"),
        user(&policy, "sus"),
        key(&policy, "revoked-key"),
        key(&policy, "old-key").at(10),
        Subject::key(common::key_id(&policy, "old-key")),
        link(&policy, "revoked-link"),
    ] {
        let precise = policy.authorize(&subject, Action::View, theirs);
        assert_eq!(
            precise.reason(),
            Reason::WrongTenant,
            "{subject:?}: for the logs"
        );
        assert_eq!(
            precise.for_caller(),
            policy
                .authorize(&subject, Action::View, missing)
                .for_caller(),
            "{subject:?}: the caller is told the same as for a missing resource"
        );
        assert_eq!(precise.for_caller().reason(), Reason::UnknownResource);
    }
}

#[test]
fn the_caller_facing_form_keeps_every_other_reason() {
    let policy = model();
    let ws = resource(&policy, "ws");
    for subject in [
        user(&policy, "ann"),
        user(&policy, "sus"),
        key(&policy, "revoked-key"),
    ] {
        for action in Action::ALL {
            let decision = policy.authorize(&subject, action, ws);
            assert_eq!(decision.for_caller(), decision);
        }
    }
}

/// Every subject the generated model knows, and some it does not.
fn subjects(model: &reference::Model, mfa: bool, now: Option<u64>) -> Vec<Subject> {
    let mut subjects = Vec::new();
    for user in 0..=model.users.len() as u32 {
        subjects.push(Subject::user(UserId::from_index(user), Channel::Web));
    }
    for key in 0..=model.keys.len() as u32 {
        subjects.push(Subject::key(KeyId::from_index(key)));
    }
    for link in 0..=model.links.len() as u32 {
        subjects.push(Subject::link(LinkId::from_index(link)));
    }
    subjects
        .into_iter()
        .map(|subject| {
            let subject = subject.with_mfa(mfa);
            match now {
                Some(now) => subject.at(now),
                None => subject,
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(generate::config(256))]

    /// For every subject, action and resource of another tenant than the
    /// subject's, the caller-facing decision is the one for a resource that
    /// does not exist.
    #[test]
    fn another_tenants_resources_read_as_missing_to_the_caller(
        model in generate::model(),
        mfa in any::<bool>(),
        now in proptest::option::weighted(0.8, 0..120u64),
    ) {
        let policy = match reference::builder(&model).build() {
            Ok(policy) => policy,
            Err(error) => return Err(TestCaseError::fail(format!("{error}"))),
        };
        let missing = ResourceId::from_index(model.resources.len() as u32 + 7);
        for subject in subjects(&model, mfa, now) {
            let Some(tenant) = model.tenant_of_subject(&subject) else { continue };
            for resource in 0..model.resources.len() {
                if model.tenant_of(resource) == tenant {
                    continue;
                }
                let resource = ResourceId::from_index(resource as u32);
                for action in [Action::View, Action::Edit, Action::Delete] {
                    let theirs = policy.authorize(&subject, action, resource);
                    let nowhere = policy.authorize(&subject, action, missing);
                    prop_assert_eq!(theirs.reason(), Reason::WrongTenant);
                    prop_assert_eq!(theirs.for_caller(), nowhere.for_caller());
                }
            }
        }
    }
}
