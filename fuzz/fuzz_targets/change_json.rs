//! Arbitrary bytes read as a JSON change log (`Vec<Change>`, as a host
//! keeps one) never panic; what is read writes back to the same changes;
//! each change is applied whole or refused with the policy (and its
//! revision) untouched; every message about a change is one line with no
//! raw control character, whatever the names; and the accepted changes
//! replay, as one batch, to an equal policy.
//!
//! Run: `cargo +nightly fuzz run change_json fuzz/corpus/change_json fuzz/seeds/change_json`
//! from the repository root (the seeds are change logs of every kind).
#![no_main]

use clearance::{Change, Effect, Grantee, Permissions, Policy, PolicyBuilder, ResourceKind, Role, User};
use libfuzzer_sys::fuzz_target;

/// The names the seeds use exist here, so that changes often apply.
fn start() -> Policy {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", ResourceKind::Organization)
        .tenant("globex", ResourceKind::Organization)
        .resource("ws", ResourceKind::Workspace, "acme")
        .resource("f1", ResourceKind::Folder, "ws")
        .resource("far", ResourceKind::Workspace, "globex")
        .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
        .role(Role::new("admin").allow_everywhere(Permissions::all_named()))
        .team("ops", "acme")
        .user(User::new("root", "acme"))
        .user(User::new("ann", "acme").member_of("ops"))
        .user(User::new("gus", "globex"))
        .grant(Grantee::user("root"), "acme", "admin", Effect::Allow)
        .grant(Grantee::team("ops"), "ws", "viewer", Effect::Allow);
    match builder.build() {
        Ok(policy) => policy,
        Err(error) => panic!("the fuzz target's starting model is valid: {error}"),
    }
}

/// A message for logs: one line, no raw control character (names are
/// escaped, never written raw).
fn assert_one_line(what: &str, message: &str) {
    assert!(
        !message.chars().any(char::is_control),
        "{what} holds a raw control character: {message:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(changes) = serde_json::from_slice::<Vec<Change>>(data) else {
        return;
    };
    // Nothing read is dropped: written back and read again, the same log.
    let written = match serde_json::to_string(&changes) {
        Ok(written) => written,
        Err(error) => panic!("a change read from JSON writes back: {error}"),
    };
    match serde_json::from_str::<Vec<Change>>(&written) {
        Ok(again) => assert!(again == changes, "a change log survives JSON: {written}"),
        Err(error) => panic!("a written change log reads back: {error}: {written}"),
    }
    let mut policy = start();
    let mut accepted = Vec::new();
    for change in changes {
        assert_one_line("a change", &change.to_string());
        let before = policy.clone();
        match policy.apply(change.clone()) {
            Ok(revision) => {
                assert!(revision == policy.revision(), "apply returns the new revision");
                assert!(revision.get() == before.revision().get() + 1, "one change, one revision");
                accepted.push(change);
            }
            Err(error) => {
                assert_one_line("a change error", &error.to_string());
                assert!(policy == before, "a refused change changed the policy: {error}");
                assert!(policy.revision() == before.revision(), "a refused change advanced the revision");
            }
        }
    }
    // The accepted changes replay, as one batch, to the same policy.
    let mut replayed = start();
    if let Err(error) = replayed.apply_all(accepted) {
        panic!("accepted changes must replay: {error}");
    }
    assert!(replayed == policy, "a replayed change log gives the same policy");
});
