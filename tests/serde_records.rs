//! Changes, decisions and audit records are plain data a host can store:
//! they survive a trip through JSON unchanged (feature `serde`).
#![cfg(feature = "serde")]
#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "fixture helpers outside #[test] fns stop the test loudly on a broken fixture"
)]

use clearance::{
    Action, ApiKey, AuditRecord, Author, Change, Channel, Effect, Grantee, Permissions as P,
    PolicyBuilder, PublicLink, ResourceKind as K, Role, Seats, Subject, User, UserTypes,
};

#[track_caller]
fn through_json<T>(value: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let text = serde_json::to_string(value).expect("serializes");
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

/// A tenant with one administrator, "root", who authors the grants.
fn start() -> clearance::Policy {
    PolicyBuilder::new()
        .tenant("acme", K::Organization)
        .role(Role::new("admin").allow_everywhere(P::all_named()))
        .user(User::new("root", "acme"))
        .grant(Grantee::user("root"), "acme", "admin", Effect::Allow)
        .build()
        .expect("builds")
}

fn change_log() -> Vec<Change> {
    vec![
        Change::AddResource {
            name: "ws".into(),
            kind: K::Workspace,
            parent: Some("acme".into()),
        },
        Change::AddRole(
            Role::new("viewer")
                .allow([K::Workspace, K::Flow], P::VIEW)
                .only_for(UserTypes::NATIVE | UserTypes::CONNECTED),
        ),
        Change::AddTeam {
            name: "ops".into(),
            tenant: "acme".into(),
        },
        Change::AddUser(User::new("ann", "acme").member_of("ops")),
        Change::Invite {
            user: User::new("bo", "acme"),
            until: 1_000,
        },
        Change::AcceptInvitation {
            user: "bo".into(),
            at: 10,
        },
        Change::Grant {
            grantee: Grantee::team("ops"),
            scope: "ws".into(),
            role: "viewer".into(),
            effect: Effect::Allow,
            when: clearance::Condition::Always,
            by: Some(Author::web("root", 20)),
        },
        Change::Grant {
            grantee: Grantee::Everyone,
            scope: "ws".into(),
            role: "viewer".into(),
            effect: Effect::Deny,
            when: clearance::Condition::Always,
            by: None,
        },
        Change::AddKey(
            ApiKey::new("ci", "ann")
                .scope(P::VIEW)
                .within("ws")
                .expires_at(99),
        ),
        Change::AddLink(PublicLink::new("share", "ws", P::VIEW).revoked(true)),
        Change::Suspend {
            user: "bo".into(),
            by: None,
        },
        Change::SetMfaRequired(P::MANAGE_MEMBERS | P::from_bits_retain(1 << 50)),
        Change::SetSeats(Some(Seats {
            limit: 10,
            counted: UserTypes::NATIVE,
        })),
        Change::RemoveUser {
            name: "bo".into(),
            by: None,
        },
    ]
}

#[test]
fn a_change_log_survives_json() {
    let log = change_log();
    assert_eq!(through_json(&log), log);
}

#[test]
fn replaying_a_change_log_read_back_from_json_gives_the_same_policy() {
    let start = start();
    let mut written = start.clone();
    written.apply_all(change_log()).expect("the log applies");
    let mut replayed = start;
    replayed
        .apply_all(through_json(&change_log()))
        .expect("the log applies");
    assert_eq!(replayed, written);
    assert_eq!(replayed.revision(), written.revision());
}

#[test]
fn decisions_and_audit_records_survive_json() {
    let mut policy = start();
    policy.apply_all(change_log()).expect("the log applies");
    policy
        .apply(Change::Invite {
            user: User::new("cy", "acme"),
            until: 50,
        })
        .expect("invites");
    let ann = policy.user_id("ann").expect("ann");
    let subjects = [
        Subject::user(ann, Channel::Web).at(7),
        Subject::user(ann, Channel::Api).with_mfa(true).at(8),
        Subject::key(policy.key_id("ci").expect("key")).at(9),
        Subject::link(policy.link_id("share").expect("link")),
    ];
    for subject in subjects {
        for resource in policy.resources() {
            for action in [
                Action::View,
                Action::Edit,
                Action::Custom(P::from_bits_retain(1 << 40)),
            ] {
                let record: AuditRecord = policy.audit(&subject, action, resource);
                assert_eq!(through_json(&record), record);
                assert_eq!(through_json(&record.decision), record.decision);
                assert_eq!(record.revision, policy.revision());
            }
        }
    }
}
