//! Arbitrary bytes through JSON into `Policy::from_document` never panic;
//! a document that builds round-trips and answers every question.
//!
//! Run: `cargo +nightly fuzz run document_json` from the repository root
//! (seed corpus: `examples/policies/*.json`).
#![no_main]

use clearance::{Action, Channel, Policy, PolicyDocument, ResourceId, Subject, UserId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(document) = serde_json::from_slice::<PolicyDocument>(data) else {
        return;
    };
    let policy = match Policy::from_document(&document) {
        Ok(policy) => policy,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    let again = Policy::from_document(&policy.to_document());
    assert!(again.as_ref() == Ok(&policy), "a built document round-trips");
    let resources = policy.resource_count() as u32 + 1;
    let users = policy.user_count() as u32 + 1;
    for resource in 0..resources {
        for user in 0..users {
            let subject = Subject::user(UserId::from_index(user), Channel::Web);
            let decision = policy.authorize(&subject, Action::Edit, ResourceId::from_index(resource));
            let _ = policy.explain(decision.reason()).to_string();
        }
    }
});
