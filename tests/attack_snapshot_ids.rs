//! Attack: ids kept across a snapshot reload (issue 13, item 2).
//!
//! A session keeps a `UserId`; the host reloads its policy from a snapshot
//! (`to_document`, then `from_document`), or a replica starts from one.
//! If the reload renumbered what is left after a removal, the kept id
//! would name another user, who would then be granted. A snapshot round
//! trip is lossless: every id names the same entity as before, or (removed)
//! none; the revision is kept; and a hostile document cannot make removed
//! ids cost out of proportion to its size.

mod common;

use clearance::{
    Action, ApiKey, Change, ChangeProblem, DocumentError, Effect, Grantee, KeyId, LinkId,
    Permissions as P, Policy, PolicyBuilder, PolicyDocument, PublicLink, Reason, RemovedDocument,
    ResourceId, ResourceKind as K, Role, Subject, TeamId, User, UserId,
};
use common::{build, resource};

/// acme › ws › (folder, other); roles viewer, editor, spare; teams ops,
/// devs; users ann, bo, cy (cy alone holds a grant: viewer on ws); keys
/// and links on each.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("folder", K::Folder, "ws")
            .resource("other", K::Folder, "ws")
            .role(Role::new("viewer").allow([K::Workspace, K::Folder], P::VIEW))
            .role(Role::new("editor").allow([K::Folder], P::EDIT))
            .role(Role::new("spare"))
            .team("ops", "acme")
            .team("devs", "acme")
            .user(User::new("ann", "acme").member_of("ops"))
            .user(User::new("bo", "acme"))
            .user(User::new("cy", "acme").member_of("devs"))
            .grant(Grantee::user("cy"), "ws", "viewer", Effect::Allow)
            .grant(Grantee::team("devs"), "other", "editor", Effect::Allow)
            .api_key(ApiKey::new("ann-key", "ann"))
            .api_key(ApiKey::new("cy-key", "cy"))
            .link(PublicLink::new("folder-link", "folder", P::VIEW))
            .link(PublicLink::new("other-link", "other", P::VIEW)),
    )
}

#[track_caller]
#[expect(clippy::panic, reason = "a test helper fails the test by panicking")]
fn reload(policy: &Policy) -> Policy {
    match Policy::from_document(&policy.to_document()) {
        Ok(policy) => policy,
        Err(error) => panic!("a snapshot does not reload: {error}"),
    }
}

#[test]
fn a_kept_user_id_names_the_same_user_or_none_after_a_reload() {
    let mut policy = model();
    let ann = policy.user_id("ann").unwrap();
    let bo = policy.user_id("bo").unwrap();
    let cy = policy.user_id("cy").unwrap();
    let ws = resource(&policy, "ws");
    // bo's session keeps its id; ann leaves.
    policy
        .apply(Change::RemoveUser {
            name: "ann".into(),
            by: None,
        })
        .unwrap();
    let reloaded = reload(&policy);
    assert_eq!(reloaded.user_name(bo), Some("bo"), "bo's id names bo");
    assert_eq!(reloaded.user_id("bo"), Some(bo));
    assert_eq!(reloaded.user_id("cy"), Some(cy));
    assert_eq!(reloaded.user_id("ann"), None);
    let session = Subject::user(bo, clearance::Channel::Web);
    assert!(
        !reloaded.authorize(&session, Action::View, ws).is_allowed(),
        "bo's kept id is granted cy's access"
    );
    assert_eq!(
        reloaded
            .authorize(
                &Subject::user(ann, clearance::Channel::Web),
                Action::View,
                ws
            )
            .reason(),
        Reason::UnknownSubject,
        "a removed user decides as unknown"
    );
    assert!(reloaded == policy, "the reloaded policy differs");
}

#[test]
fn every_id_names_what_it_named_before_a_reload() {
    let mut policy = model();
    let old_spare = policy.role_id("spare").unwrap();
    policy
        .apply_all([
            Change::RemoveResource {
                name: "folder".into(),
            },
            Change::RemoveRole {
                name: "spare".into(),
            },
            Change::RemoveTeam { name: "ops".into() },
            Change::RemoveKey {
                name: "ann-key".into(),
            },
            Change::RemoveUser {
                name: "bo".into(),
                by: None,
            },
            // A name removed and declared again: a new id.
            Change::AddUser(User::new("bo", "acme")),
            Change::AddTeam {
                name: "ops".into(),
                tenant: "acme".into(),
            },
            Change::AddRole(Role::new("spare")),
        ])
        .unwrap();
    let reloaded = reload(&policy);
    assert!(reloaded == policy, "the reloaded policy differs");
    for index in 0..12 {
        assert_eq!(
            reloaded.resource_name(ResourceId::from_index(index)),
            policy.resource_name(ResourceId::from_index(index)),
            "resource #{index}"
        );
        assert_eq!(
            reloaded.user_name(UserId::from_index(index)),
            policy.user_name(UserId::from_index(index)),
            "user #{index}"
        );
        assert_eq!(
            reloaded.team_name(TeamId::from_index(index)),
            policy.team_name(TeamId::from_index(index)),
            "team #{index}"
        );
        assert_eq!(
            reloaded.key_name(KeyId::from_index(index)),
            policy.key_name(KeyId::from_index(index)),
            "key #{index}"
        );
        assert_eq!(
            reloaded.link_name(LinkId::from_index(index)),
            policy.link_name(LinkId::from_index(index)),
            "link #{index}"
        );
    }
    for name in ["acme", "ws", "folder", "other"] {
        assert_eq!(
            reloaded.resource_id(name),
            policy.resource_id(name),
            "{name}"
        );
    }
    for name in ["ann", "bo", "cy"] {
        assert_eq!(reloaded.user_id(name), policy.user_id(name), "{name}");
    }
    for name in ["ops", "devs"] {
        assert_eq!(reloaded.team_id(name), policy.team_id(name), "{name}");
    }
    for name in ["viewer", "editor", "spare"] {
        assert_eq!(reloaded.role_id(name), policy.role_id(name), "{name}");
    }
    assert_ne!(policy.role_id("spare"), Some(old_spare));
    assert_eq!(reloaded.role_name(old_spare), Some("spare"));
    for name in ["ann-key", "cy-key"] {
        assert_eq!(reloaded.key_id(name), policy.key_id(name), "{name}");
    }
    for name in ["folder-link", "other-link"] {
        assert_eq!(reloaded.link_id(name), policy.link_id(name), "{name}");
    }
}

/// A replica built from the snapshot and the same log is the writer's
/// policy: the ids the writer hands out name the same entities there.
#[test]
fn a_replica_from_a_snapshot_and_the_log_numbers_like_the_writer() {
    let mut writer = model();
    writer
        .apply(Change::RemoveUser {
            name: "ann".into(),
            by: None,
        })
        .unwrap();
    let mut replica = reload(&writer);
    let log = [
        Change::AddUser(User::new("dee", "acme")),
        Change::AddResource {
            name: "new".into(),
            kind: K::Folder,
            parent: Some("ws".into()),
        },
    ];
    writer.apply_all(log.clone()).unwrap();
    replica.apply_all(log).unwrap();
    assert_eq!(replica.user_id("dee"), writer.user_id("dee"));
    assert_eq!(replica.resource_id("new"), writer.resource_id("new"));
    assert_eq!(replica.revision(), writer.revision());
    assert!(replica == writer, "the replica differs from the writer");
}

#[test]
fn a_snapshot_keeps_the_revision() {
    let mut policy = model();
    policy
        .apply(Change::Suspend {
            user: "bo".into(),
            by: None,
        })
        .unwrap();
    policy
        .apply(Change::Suspend {
            user: "cy".into(),
            by: None,
        })
        .unwrap();
    let document = policy.to_document();
    assert_eq!(document.revision, 2);
    assert_eq!(reload(&policy).revision(), policy.revision());
}

/// A revision a host's `u64` could never reach by applying changes, and
/// one that would overflow at the next change, are refused.
#[test]
fn a_document_revision_beyond_the_largest_is_refused() {
    let mut document = model().to_document();
    document.revision = u64::MAX;
    let error = Policy::from_document(&document).unwrap_err();
    assert!(
        matches!(error, DocumentError::RevisionTooLarge { .. }),
        "{error}"
    );
    assert!(error.to_string().starts_with("revision: "), "{error}");
}

/// A policy never passes the largest revision a snapshot may hold, so its
/// own snapshot always loads: at the limit, a change is refused and
/// nothing moves.
#[test]
fn a_policy_at_the_largest_revision_refuses_changes_and_its_snapshot_loads() {
    let mut document = model().to_document();
    document.revision = PolicyDocument::MAX_REVISION - 1;
    let mut policy = Policy::from_document(&document).unwrap();
    policy
        .apply(Change::Suspend {
            user: "bo".into(),
            by: None,
        })
        .unwrap();
    assert_eq!(policy.revision().get(), PolicyDocument::MAX_REVISION);
    let before = policy.clone();
    for refused in [
        policy.apply(Change::Reactivate {
            user: "bo".into(),
            by: None,
        }),
        policy.apply_all([Change::Reactivate {
            user: "bo".into(),
            by: None,
        }]),
    ] {
        let error = refused.unwrap_err();
        assert_eq!(
            *error.problem(),
            ChangeProblem::RevisionLimit {
                revision: PolicyDocument::MAX_REVISION
            }
        );
    }
    assert_eq!(policy, before, "a refused change changes nothing");
    assert_eq!(
        Policy::from_document(&policy.to_document()).unwrap(),
        policy
    );
}

/// Removed ids are listed one by one, each below the number of ids of its
/// kind (live and removed), in increasing order: a document cannot name a
/// billion removed users in a few bytes.
#[test]
fn removed_ids_cost_what_the_document_spells_out() {
    let mut policy = model();
    policy
        .apply(Change::RemoveUser {
            name: "ann".into(),
            by: None,
        })
        .unwrap();
    let document = policy.to_document();
    assert_eq!(
        document.removed,
        RemovedDocument {
            users: vec![(0, "ann".to_string())],
            keys: vec![(0, "ann-key".to_string())],
            ..RemovedDocument::default()
        }
    );
    let cases: [(Vec<(u32, String)>, &str); 3] = [
        (
            vec![(1_000_000_000, String::new())],
            "removed.users[0]: user id 1000000000 cannot be removed: removed ids increase, \
             each below 3, the number of user ids (live and removed)",
        ),
        (
            vec![(1, String::new()), (1, String::new())],
            "removed.users[1]: user id 1 cannot be removed: removed ids increase, \
             each below 4, the number of user ids (live and removed)",
        ),
        (
            vec![(2, String::new()), (0, String::new())],
            "removed.users[1]: user id 0 cannot be removed: removed ids increase, \
             each below 4, the number of user ids (live and removed)",
        ),
    ];
    for (users, message) in cases {
        let mut hostile = document.clone();
        hostile.removed.users = users;
        let error = Policy::from_document(&hostile).unwrap_err();
        assert!(
            error.to_string().contains(message),
            "expected {message:?} in {error}"
        );
    }
}

#[cfg(feature = "serde")]
#[test]
fn a_snapshot_round_trips_through_json() {
    let mut policy = model();
    policy
        .apply_all([
            Change::RemoveUser {
                name: "ann".into(),
                by: None,
            },
            Change::RemoveResource {
                name: "folder".into(),
            },
        ])
        .unwrap();
    let json = serde_json::to_string(&policy.to_document()).unwrap();
    assert!(json.contains(r#""revision":2"#), "{json}");
    assert!(json.contains(r#""removed":{"#), "{json}");
    let parsed: PolicyDocument = serde_json::from_str(&json).unwrap();
    assert!(Policy::from_document(&parsed).unwrap() == policy);
    // A removed entry that is not a pair is an error naming its path.
    let broken = json.replace(r#"[0,"ann"]"#, r#"[0]"#);
    assert!(serde_json::from_str::<PolicyDocument>(&broken).is_err());
}
