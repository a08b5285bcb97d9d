//! Promises of the public types that a change must not break silently: the
//! traits and sizes users build on (DESIGN.md §4, STYLE.md "compile-time
//! promises"), determinism, and `effective` agreeing with `authorize`.

mod common;

use std::mem::size_of;
use std::sync::Arc;

use clearance::{
    Action, ApiKey, BuildError, Channel, Decision, Effect, Grantee, KeyId, LinkId,
    Permissions as P, Policy, PolicyBuilder, PublicLink, Reason, ResourceId, ResourceKind as K,
    Role, RoleId, Status, Subject, TeamId, User, UserId,
};
use common::{build, key, link, resource, user};

fn assert_traits<T: Send + Sync + Clone>() {}

fn assert_copy<T: Copy + Send + Sync>() {}

fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn policy_is_send_sync_and_clone() {
    assert_traits::<Policy>();
    assert_traits::<PolicyBuilder>();
}

#[test]
fn subject_decision_reason_and_ids_are_copy() {
    assert_copy::<Subject>();
    assert_copy::<Decision>();
    assert_copy::<Reason>();
    assert_copy::<Action>();
    assert_copy::<P>();
    assert_copy::<ResourceId>();
    assert_copy::<UserId>();
    assert_copy::<TeamId>();
    assert_copy::<RoleId>();
    assert_copy::<KeyId>();
    assert_copy::<LinkId>();
}

#[test]
fn decision_is_at_most_16_bytes() {
    assert!(
        size_of::<Decision>() <= 16,
        "{} bytes",
        size_of::<Decision>()
    );
    assert!(size_of::<Subject>() <= 24, "{} bytes", size_of::<Subject>());
}

#[test]
fn build_error_is_a_std_error_that_crosses_threads() {
    assert_error::<BuildError>();
}

/// ```text
/// acme (organization)        everyone: viewer; bo: owner
/// └── ws (workspace)         writers: editor; den: no-delete (deny)
///     ├── folder (folder)    writers: viewer (override)
///     │   └── flow (flow)    the public: viewer
///     └── other (flow)
/// globex (organization)
/// └── far (flow)
/// ```
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("folder", K::Folder, "ws")
            .resource("flow", K::Flow, "folder")
            .resource("other", K::Flow, "ws")
            .tenant("globex", K::Organization)
            .resource("far", K::Flow, "globex")
            .role(Role::new("viewer").allow_everywhere(P::VIEW))
            .role(Role::new("editor").inherits("viewer").allow(
                [K::Folder, K::Flow],
                P::EDIT | P::DELETE | P::EXECUTE | P::SHARE,
            ))
            // An owner, including a verb of the host's own (an unnamed bit).
            .role(
                Role::new("owner").allow_everywhere(P::all_named() | P::from_bits_retain(1 << 40)),
            )
            .role(Role::new("no-delete").allow_everywhere(P::DELETE))
            .team("writers", "acme")
            .user(User::new("ann", "acme").member_of("writers"))
            .user(User::new("bo", "acme"))
            .user(User::new("den", "acme").member_of("writers"))
            .user(
                User::new("sus", "acme")
                    .member_of("writers")
                    .status(Status::Suspended),
            )
            .user(User::new("hal", "globex"))
            .grant(Grantee::Everyone, "acme", "viewer", Effect::Allow)
            .grant(Grantee::user("bo"), "acme", "owner", Effect::Allow)
            .grant(Grantee::team("writers"), "ws", "editor", Effect::Allow)
            .grant(Grantee::user("den"), "ws", "no-delete", Effect::Deny)
            .grant(
                Grantee::team("writers"),
                "folder",
                "viewer",
                Effect::Override,
            )
            .grant(Grantee::Public, "flow", "viewer", Effect::Allow)
            .api_key(ApiKey::new("ann-key", "ann").scope(P::VIEW | P::EDIT))
            .api_key(ApiKey::new("bo-folder-key", "bo").within("folder"))
            .link(PublicLink::new("flow-link", "flow", P::VIEW | P::EDIT))
            .mfa_required(P::SHARE | P::MANAGE_BILLING),
    )
}

/// Hand-picked requests covering every step: grants through a team, an
/// override, a deny, key and link ceilings, MFA, lifecycle and tenants.
fn requests(policy: &Policy) -> Vec<(Subject, ResourceId)> {
    let subjects = [
        user(policy, "ann"),
        user(policy, "ann").with_mfa(true),
        user(policy, "bo"),
        user(policy, "bo").with_mfa(true),
        user(policy, "den").with_mfa(true),
        user(policy, "sus"),
        user(policy, "hal"),
        Subject::user(common::user_id(policy, "ann"), Channel::Link),
        key(policy, "ann-key"),
        key(policy, "bo-folder-key").with_mfa(true),
        link(policy, "flow-link"),
    ];
    let resources = ["acme", "ws", "folder", "flow", "other", "far"];
    subjects
        .iter()
        .flat_map(|&subject| {
            resources
                .iter()
                .map(move |&name| (subject, resource(policy, name)))
        })
        .collect()
}

#[test]
fn effective_agrees_with_authorize_for_every_action() {
    let policy = model();
    let host_verb = P::from_bits_retain(1 << 40);
    for (subject, id) in requests(&policy) {
        let effective = policy.effective(&subject, id);
        let mut allowed = P::empty();
        for action in Action::ALL {
            let decision = policy.authorize(&subject, action, id);
            assert_eq!(
                decision.is_allowed(),
                effective.contains(action.permissions()),
                "{subject:?} {action:?} on {:?}: authorize says {:?}, effective is {effective:?}",
                policy.resource_name(id),
                decision.reason()
            );
            if decision.is_allowed() {
                allowed |= action.permissions();
            }
        }
        // Every named bit is some action's: effective is exactly what they allow.
        assert_eq!(effective & P::all_named(), allowed, "{subject:?} on {id:?}");
        for custom in [
            P::VIEW | P::EDIT,
            P::EDIT | P::SHARE,
            host_verb,
            host_verb | P::VIEW,
        ] {
            let decision = policy.authorize(&subject, Action::Custom(custom), id);
            assert_eq!(
                decision.is_allowed(),
                effective.contains(custom),
                "{subject:?} Custom({custom:?}) on {id:?}: {:?}",
                decision.reason()
            );
        }
    }
}

#[test]
fn requests_cover_allowed_and_denied_answers() {
    // Guards the test above against a model that allows nothing or everything.
    let policy = model();
    let answers: Vec<P> = requests(&policy)
        .iter()
        .map(|(subject, id)| policy.effective(subject, *id))
        .collect();
    assert!(answers.iter().any(|p| p.is_empty()));
    assert!(answers.iter().any(|p| !p.is_empty() && *p != P::all()));
    assert!(answers
        .iter()
        .any(|p| p.contains(P::from_bits_retain(1 << 40))));
}

#[test]
fn same_model_builds_the_same_policy_and_decides_the_same() {
    let first = model();
    let second = model();
    assert_eq!(first, second);
    let copy = first.clone();
    for (subject, id) in requests(&first) {
        for action in Action::ALL {
            let decision = first.authorize(&subject, action, id);
            assert_eq!(decision, second.authorize(&subject, action, id));
            assert_eq!(decision, copy.authorize(&subject, action, id));
        }
    }
}

#[test]
fn policy_answers_the_same_from_several_threads() {
    let policy = Arc::new(model());
    let requests = requests(&policy);
    let answer = |policy: &Policy| -> Vec<Decision> {
        requests
            .iter()
            .flat_map(|(subject, id)| {
                Action::ALL
                    .iter()
                    .map(move |&action| policy.authorize(subject, action, *id))
            })
            .collect()
    };
    let expected = answer(&policy);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let policy = Arc::clone(&policy);
                scope.spawn(move || answer(&policy))
            })
            .collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), expected);
        }
    });
}
