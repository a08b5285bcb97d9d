//! Attack family: a host that forgets the clock.
//!
//! `clearance` has no clock: the host gives the time with `Subject::at`. A
//! subject whose time was never given must not be taken as asking at the
//! start of the clock, when nothing has expired yet: whatever has an expiry
//! (an API key, a public link, a pending invitation) is denied with
//! `Reason::TimeUnknown`, and whatever has none is decided as usual.

mod common;

use clearance::{
    Action, ApiKey, Channel, Effect, Grantee, Permissions as P, Policy, PolicyBuilder, PublicLink,
    Reason, ResourceKind as K, Role, Status, Subject, User,
};
use common::{assert_decision, assert_gets_nothing, build, key_id, link_id, user_id, By, Expected};

/// Keys, links and invitations that expire do so at this time.
const EXPIRY: u64 = 1_000;

/// ann is active and in staff (editor on ws); ivo is invited until
/// `EXPIRY`. ann holds a key that expires and one that does not; flow has
/// a link that expires and one that does not.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("flow", K::Flow, "ws")
            .role(Role::new("editor").allow([K::Workspace, K::Flow], P::VIEW | P::EDIT))
            .role(Role::new("viewer").allow([K::Workspace, K::Flow], P::VIEW))
            .team("staff", "acme")
            .user(User::new("ann", "acme").member_of("staff"))
            .user(
                User::new("ivo", "acme")
                    .member_of("staff")
                    .status(Status::Invited { until: EXPIRY }),
            )
            .grant(Grantee::team("staff"), "ws", "editor", Effect::Allow)
            .grant(Grantee::Public, "ws", "viewer", Effect::Allow)
            .api_key(ApiKey::new("old-key", "ann").expires_at(EXPIRY))
            .api_key(ApiKey::new("lasting-key", "ann"))
            .link(PublicLink::new("old-link", "flow", P::VIEW).expires_at(EXPIRY))
            .link(PublicLink::new("lasting-link", "flow", P::VIEW)),
    )
}

#[test]
fn an_expired_key_is_not_let_in_when_the_host_forgets_the_time() {
    let policy = model();
    let untimed = Subject::key(key_id(&policy, "old-key"));
    assert_gets_nothing(&policy, &untimed, "flow", Reason::TimeUnknown);
    // With the time, the same key is decided by it.
    assert_gets_nothing(&policy, &untimed.at(EXPIRY), "flow", Reason::KeyExpired);
    let by_staff = Expected::Granted(By::Team("staff"), "ws", "editor").reason(&policy);
    assert_decision(
        &policy,
        &untimed.at(EXPIRY - 1),
        Action::Edit,
        "flow",
        by_staff,
    );
}

#[test]
fn an_expired_link_is_not_let_in_when_the_host_forgets_the_time() {
    let policy = model();
    let untimed = Subject::link(link_id(&policy, "old-link"));
    assert_gets_nothing(&policy, &untimed, "flow", Reason::TimeUnknown);
    assert_gets_nothing(&policy, &untimed.at(EXPIRY), "flow", Reason::LinkExpired);
    let by_public = Expected::Granted(By::Public, "ws", "viewer").reason(&policy);
    assert_decision(&policy, &untimed.at(0), Action::View, "flow", by_public);
}

#[test]
fn an_invitation_is_not_read_as_pending_when_the_host_forgets_the_time() {
    let policy = model();
    let untimed = Subject::user(user_id(&policy, "ivo"), Channel::Web);
    assert_gets_nothing(&policy, &untimed, "flow", Reason::TimeUnknown);
    assert_gets_nothing(
        &policy,
        &untimed.at(EXPIRY),
        "flow",
        Reason::InvitationExpired,
    );
}

#[test]
fn what_never_expires_needs_no_time() {
    let policy = model();
    let by_staff = Expected::Granted(By::Team("staff"), "ws", "editor").reason(&policy);
    let ann = Subject::user(user_id(&policy, "ann"), Channel::Web);
    assert_decision(&policy, &ann, Action::Edit, "flow", by_staff);
    let lasting_key = Subject::key(key_id(&policy, "lasting-key"));
    assert_decision(&policy, &lasting_key, Action::Edit, "flow", by_staff);
    let by_public = Expected::Granted(By::Public, "ws", "viewer").reason(&policy);
    let lasting_link = Subject::link(link_id(&policy, "lasting-link"));
    assert_decision(&policy, &lasting_link, Action::View, "flow", by_public);
}

#[test]
fn a_subject_has_no_time_until_the_host_gives_it() {
    let policy = model();
    let ann = Subject::user(user_id(&policy, "ann"), Channel::Web);
    assert_eq!(ann.now(), None);
    assert_eq!(ann.at(0).now(), Some(0));
    assert_eq!(Subject::key(key_id(&policy, "old-key")).now(), None);
    assert_eq!(Subject::link(link_id(&policy, "old-link")).now(), None);
}

#[cfg(feature = "serde")]
#[test]
fn a_serialized_subject_without_a_time_stays_without_one() {
    let policy = model();
    let untimed = Subject::key(key_id(&policy, "old-key"));
    let json = serde_json::to_string(&untimed).expect("a subject serializes");
    let back: Subject = serde_json::from_str(&json).expect("and reads back");
    assert_eq!(back, untimed);
    assert_eq!(back.now(), None);
    // A record written by hand without `now` has no time either.
    let id = key_id(&policy, "old-key").index();
    let written = format!(r#"{{"credential":{{"Key":{id}}},"channel":"api","mfa":false}}"#);
    let read: Subject = serde_json::from_str(&written).expect("a subject without a time reads");
    assert_gets_nothing(&policy, &read, "flow", Reason::TimeUnknown);
    let timed: Subject = serde_json::from_str(&json.replace("null", "999")).expect("timed reads");
    assert_eq!(timed.now(), Some(999));
}
