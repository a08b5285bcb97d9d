//! A caller whose own credential or account fails (a revoked or expired
//! key, a suspended or deactivated user) is told so the same way whatever
//! resource he names: one of his tenant, an unknown name, another tenant's.
//! Otherwise a dead credential could still tell the names of its tenant
//! from unknown ones.
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers fail the test by panicking"
)]

mod common;

use clearance::{ApiKey, Change, Permissions};
use common::{get_as, serve, As, Reply, NOW};

/// The flows a caller of acme may name: one of acme, none, one of globex.
const NAMED: [&str; 3] = ["/flows/invoices", "/flows/no-such-flow", "/flows/merger"];

/// Every answer `who` gets for `NAMED`, after `changes`.
async fn answers(changes: Vec<Change>, who: As) -> Vec<Reply> {
    let clearance = common::clearance();
    for change in changes {
        clearance.live().apply(change).unwrap();
    }
    let addr = serve(common::routes(clearance)).await;
    let mut replies = Vec::new();
    for path in NAMED {
        replies.push(get_as(addr, who, path).await);
    }
    replies
}

/// Status, revision header and body alike for the three.
fn assert_same_answer(replies: &[Reply], status: u16, code: &str) {
    for (path, reply) in NAMED.iter().zip(replies) {
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (status, code),
            "{path}"
        );
        assert_eq!(reply, &replies[0], "{path} answers like {}", NAMED[0]);
        assert_eq!(
            reply.revision, None,
            "{path}: no revision about a dead credential"
        );
    }
}

#[tokio::test]
async fn a_revoked_key_is_answered_key_revoked_whatever_resource_it_names() {
    let revoke = Change::RevokeKey {
        name: "ada-readonly".into(),
    };
    let replies = answers(vec![revoke], As::Key("ada-readonly")).await;
    assert_same_answer(&replies, 401, "key_revoked");
}

#[tokio::test]
async fn an_expired_key_is_answered_key_expired_whatever_resource_it_names() {
    let expired = ApiKey::new("ada-old", "ada@acme.test")
        .scope(Permissions::VIEW)
        .expires_at(NOW - 1);
    let replies = answers(vec![Change::AddKey(expired)], As::Key("ada-old")).await;
    assert_same_answer(&replies, 401, "key_expired");
}

#[tokio::test]
async fn a_suspended_user_is_answered_suspended_whatever_resource_he_names() {
    let suspend = Change::Suspend {
        user: "ada@acme.test".into(),
        by: None,
    };
    let replies = answers(vec![suspend], As::User("ada@acme.test")).await;
    assert_same_answer(&replies, 403, "suspended");
}

#[tokio::test]
async fn a_suspended_user_without_any_grant_is_answered_suspended_whatever_resource_he_names() {
    let suspend = Change::Suspend {
        user: "cy@acme.test".into(),
        by: None,
    };
    let replies = answers(vec![suspend], As::User("cy@acme.test")).await;
    assert_same_answer(&replies, 403, "suspended");
}

#[tokio::test]
async fn a_deactivated_user_is_answered_the_same_whatever_resource_he_names() {
    let deactivate = Change::Deactivate {
        user: "bo@acme.test".into(),
        by: None,
    };
    let replies = answers(vec![deactivate], As::User("bo@acme.test")).await;
    assert_same_answer(&replies, 403, "deactivated");
}

#[tokio::test]
async fn a_caller_in_good_standing_still_gets_404_for_unknown_and_other_tenants_names() {
    let replies = answers(vec![], As::User("bo@acme.test")).await;
    let [own, unknown, other] = &replies[..] else {
        panic!("three answers")
    };
    // Bo may not view billing's flow: hidden, as the other two.
    assert_eq!(own.status, 404);
    assert_eq!(unknown, own);
    assert_eq!(other, own);
    assert_eq!(own.code(), "unknown_resource");
}
