//! Attack family: a field the crate does not know, in data read from
//! outside (a change log, an audit store, a document). A misspelt field
//! silently dropped changes what the data means (a key logged with
//! `"expires"` instead of `"expires_at"` would never expire), so every type
//! that deserializes refuses unknown fields, and the error names the field.
//!
//! The table holds one value of every such type (every variant of `Change`
//! and of `Reason` with fields); the test writes each as JSON, then puts an
//! unknown field into every JSON object of it in turn, at any depth.
#![cfg(feature = "serde")]
#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "helpers outside #[test] fns stop the test loudly, naming the row"
)]

use std::collections::BTreeSet;
use std::fmt::Debug;

use clearance::{
    Action, ApiKey, AuditRecord, Author, Change, Channel, Channels, Condition, Credential,
    Difference, Effect, Grant, GrantDocument, Grantee, KeyDocument, KeyId, Labels, LinkDocument,
    LinkId, Permissions as P, PolicyBuilder, PolicyDocument, Principal, PublicLink, Reason,
    ResourceDocument, ResourceId, ResourceKind as K, Role, RoleDocument, RuleDocument, Seats,
    Status, Subject, TeamDocument, TeamId, User, UserDocument, UserId, UserType, UserTypes,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

const UNKNOWN: &str = "not_a_field";

/// Whether the object at `pointer` stands for an externally tagged enum
/// value (`{"AddKey": {..}}`, `{"invited": {..}}`): one key, a variant. A
/// second key there is refused too, but serde then says what it expected
/// rather than naming the key, since an enum value has no fields of its
/// own. Capitalized tags are variants of the crate's enums; the
/// `snake_case` ones (a grantee's `user`/`team`, a status' `invited`) only
/// where a grantee or status stands, since they are field names elsewhere.
fn is_variant_tag(object: &serde_json::Map<String, Value>, pointer: &str) -> bool {
    let Some(key) = object.keys().next().filter(|_| object.len() == 1) else {
        return false;
    };
    let parent = pointer.rsplit('/').next().unwrap_or("");
    VARIANTS.contains(&key.as_str())
        || (SNAKE_CASE_VARIANTS.contains(&key.as_str())
            && ["grantee", "to", "status", ""].contains(&parent))
}

/// The JSON pointers of every object in `value`.
fn objects(value: &Value, at: String, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            found.push(at.clone());
            for (key, inner) in object {
                objects(inner, format!("{at}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                objects(inner, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

/// Every enum variant name that can appear as a tag in the table's JSON.
const VARIANTS: &[&str] = &[
    // Change
    "AddResource",
    "MoveResource",
    "RemoveResource",
    "AddRole",
    "UpdateRole",
    "RemoveRole",
    "AddTeam",
    "RemoveTeam",
    "AddUser",
    "RemoveUser",
    "AddMembership",
    "RemoveMembership",
    "Invite",
    "AcceptInvitation",
    "ExpireInvitation",
    "RevokeInvitation",
    "Suspend",
    "Reactivate",
    "Deactivate",
    "Grant",
    "Revoke",
    "AddKey",
    "RevokeKey",
    "RemoveKey",
    "AddLink",
    "RevokeLink",
    "RemoveLink",
    "SetLabels",
    "SetUserLabels",
    "SetMfaRequired",
    "SetSeats",
    // Reason
    "Granted",
    "ChannelNotAllowed",
    "RoleLacks",
    "Overridden",
    "Denied",
    "KeyLacks",
    "LinkLacks",
    "MfaRequired",
    "WouldEscalate",
    // Principal, Credential, Action
    "User",
    "Team",
    "Key",
    "Link",
    "Custom",
];

/// Variants of `Status` and `Grantee`, written in `snake_case`.
const SNAKE_CASE_VARIANTS: &[&str] = &["invited", "user", "team"];

/// `value` survives JSON, and with an unknown field added to any object of
/// it, is refused with an error that names the field (and, from
/// `serde_json`, its line and column).
#[track_caller]
fn refuses_unknown_fields<T>(what: &str, value: &T)
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_value(value).expect("serializes");
    let text = json.to_string();
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {text}: {e}"));
    assert_eq!(&back, value, "{what} survives JSON");
    let mut pointers = Vec::new();
    objects(&json, String::new(), &mut pointers);
    assert!(!pointers.is_empty(), "{what}: {text} holds no object");
    for pointer in pointers {
        let mut tampered = json.clone();
        let Some(Value::Object(object)) = tampered.pointer_mut(&pointer) else {
            unreachable!("{pointer} is an object");
        };
        let tag = is_variant_tag(object, &pointer);
        object.insert(UNKNOWN.into(), Value::from(1));
        let tampered = tampered.to_string();
        let error = match serde_json::from_str::<T>(&tampered) {
            Ok(read) => panic!(
                "{what}: the unknown field at {pointer:?} was dropped: {tampered} read as {read:?}"
            ),
            Err(error) => error.to_string(),
        };
        if !tag {
            assert!(
                error.contains(&format!("unknown field `{UNKNOWN}`")) && error.contains(" line "),
                "{what}: the error for {pointer:?} does not name the field: {error}"
            );
        }
    }
}

fn change_table() -> Vec<Change> {
    let author = Some(Author::web("root", 20));
    vec![
        Change::AddResource {
            name: "ws".into(),
            kind: K::Workspace,
            parent: Some("acme".into()),
        },
        Change::MoveResource {
            name: "ws".into(),
            parent: "acme".into(),
        },
        Change::RemoveResource { name: "ws".into() },
        Change::AddRole(Role::new("viewer").allow([K::Flow], P::VIEW)),
        Change::UpdateRole(Role::new("viewer").only_for(UserTypes::NATIVE)),
        Change::RemoveRole {
            name: "viewer".into(),
        },
        Change::AddTeam {
            name: "ops".into(),
            tenant: "acme".into(),
        },
        Change::RemoveTeam { name: "ops".into() },
        Change::AddUser(
            User::new("ann", "acme")
                .member_of("ops")
                .status(Status::Invited { until: 5 }),
        ),
        Change::RemoveUser {
            name: "ann".into(),
            by: None,
        },
        Change::AddMembership {
            user: "ann".into(),
            team: "ops".into(),
        },
        Change::RemoveMembership {
            user: "ann".into(),
            team: "ops".into(),
        },
        Change::Invite {
            user: User::new("bo", "acme"),
            until: 1_000,
        },
        Change::AcceptInvitation {
            user: "bo".into(),
            at: 10,
        },
        Change::ExpireInvitation { user: "bo".into() },
        Change::RevokeInvitation { user: "bo".into() },
        Change::Suspend {
            user: "bo".into(),
            by: None,
        },
        Change::Reactivate {
            user: "bo".into(),
            by: None,
        },
        Change::Deactivate {
            user: "bo".into(),
            by: None,
        },
        Change::Grant {
            grantee: Grantee::team("ops"),
            scope: "ws".into(),
            role: "viewer".into(),
            effect: Effect::Allow,
            when: Condition::LabelsIntersect,
            by: author.clone(),
        },
        Change::Revoke {
            grantee: Grantee::user("ann"),
            scope: "ws".into(),
            role: "viewer".into(),
            effect: Effect::Deny,
            by: author,
        },
        Change::AddKey(ApiKey::new("ci", "ann").within("ws").expires_at(99)),
        Change::RevokeKey { name: "ci".into() },
        Change::RemoveKey { name: "ci".into() },
        Change::AddLink(PublicLink::new("share", "ws", P::VIEW).expires_at(5)),
        Change::RevokeLink {
            name: "share".into(),
        },
        Change::RemoveLink {
            name: "share".into(),
        },
        Change::SetLabels {
            resource: "ws".into(),
            labels: Labels::bit(3),
        },
        Change::SetUserLabels {
            user: "ann".into(),
            labels: Labels::bit(3),
        },
        Change::SetMfaRequired(P::MANAGE_MEMBERS),
        Change::SetSeats(Some(Seats {
            limit: 10,
            counted: UserTypes::NATIVE,
        })),
    ]
}

#[test]
fn every_change_refuses_unknown_fields() {
    let table = change_table();
    // The table holds every variant of `Change` (each is one JSON tag).
    let tags: BTreeSet<String> = table
        .iter()
        .map(
            |change| match serde_json::to_value(change).expect("serializes") {
                Value::Object(object) => object.keys().next().cloned().expect("a tag"),
                Value::String(tag) => tag,
                other => panic!("{other}"),
            },
        )
        .collect();
    let expected: BTreeSet<String> = VARIANTS
        .iter()
        .take_while(|&&variant| variant != "Granted")
        .map(|&variant| variant.to_string())
        .collect();
    assert_eq!(tags, expected, "the table lists every change");
    for change in &table {
        refuses_unknown_fields(&change.to_string(), change);
    }
    // And as a log: a list of changes.
    refuses_unknown_fields("a change log", &table);
}

#[test]
fn a_logged_key_with_a_misspelt_expiry_is_refused_naming_the_field() {
    let logged = r#"{"AddKey": {"name": "ci", "owner": "ann", "scope": "view", "within": null,
        "expires": 1800000000, "revoked": false}}"#;
    let error = serde_json::from_str::<Change>(logged).expect_err("refused");
    let message = error.to_string();
    assert!(message.starts_with("unknown field `expires`"), "{message}");
    assert!(message.contains("`expires_at`"), "{message}");
    assert!(message.contains("line 2 column"), "{message}");
}

#[test]
fn every_record_a_host_stores_refuses_unknown_fields() {
    let policy = PolicyBuilder::new()
        .tenant("acme", K::Organization)
        .role(Role::new("admin").allow_everywhere(P::VIEW))
        .user(User::new("ann", "acme"))
        .grant(Grantee::user("ann"), "acme", "admin", Effect::Allow)
        .build()
        .expect("builds");
    let role = policy.role_id("admin").expect("admin");
    let ann = UserId::from_index(0);
    let acme = ResourceId::from_index(0);
    let subject = Subject::user(ann, Channel::Web).with_mfa(true).at(7);
    let reasons = [
        Reason::Granted {
            principal: Principal::User(ann),
            scope: acme,
            role,
        },
        Reason::ChannelNotAllowed {
            channel: Channel::Api,
        },
        Reason::RoleLacks { missing: P::EDIT },
        Reason::Overridden { at: acme },
        Reason::Denied {
            at: acme,
            principal: Principal::Team(TeamId::from_index(2)),
        },
        Reason::KeyLacks { missing: P::EDIT },
        Reason::LinkLacks { missing: P::EDIT },
        Reason::MfaRequired {
            missing: P::MANAGE_MEMBERS,
        },
        Reason::WouldEscalate { missing: P::EDIT },
    ];
    for reason in reasons {
        refuses_unknown_fields("a reason", &reason);
    }
    let decision = policy.authorize(&subject, Action::View, acme);
    refuses_unknown_fields("a decision", &decision);
    refuses_unknown_fields("a record", &policy.audit(&subject, Action::View, acme));
    refuses_unknown_fields(
        "a record of a key",
        &AuditRecord {
            subject: Subject::key(KeyId::from_index(1)).at(3),
            action: Action::Custom(P::from_bits_retain(1 << 40)),
            resource: acme,
            decision,
            revision: policy.revision(),
            at: Some(3),
        },
    );
    refuses_unknown_fields("a subject", &Subject::link(LinkId::from_index(0)));
    refuses_unknown_fields("a credential", &Credential::Key(KeyId::from_index(0)));
    refuses_unknown_fields(
        "a grant",
        &Grant {
            principal: Principal::User(ann),
            scope: acme,
            role,
            effect: Effect::Override,
        },
    );
    refuses_unknown_fields(
        "a difference",
        &Difference {
            user: ann,
            resource: acme,
            gained: P::VIEW,
            lost: P::EDIT,
        },
    );
    refuses_unknown_fields("an author", &Author::web("ann", 3));
    refuses_unknown_fields(
        "a user",
        &User::new("ann", "acme")
            .user_type(UserType::Connected)
            .channels(Channels::API)
            .labels(Labels::bit(1))
            .status(Status::Invited { until: 9 }),
    );
    refuses_unknown_fields("a status", &Status::Invited { until: 9 });
    refuses_unknown_fields("a role", &Role::new("r").allow([K::Flow], P::VIEW));
    refuses_unknown_fields("a key", &ApiKey::new("ci", "ann").revoked(true));
    refuses_unknown_fields("a link", &PublicLink::new("l", "acme", P::VIEW));
    refuses_unknown_fields(
        "seats",
        &Seats {
            limit: 1,
            counted: UserTypes::all(),
        },
    );
}

#[test]
fn every_part_of_a_document_refuses_unknown_fields() {
    let mut document = PolicyDocument::new();
    document.seats = Some(Seats {
        limit: 3,
        counted: UserTypes::NATIVE,
    });
    document.roles.push(RoleDocument {
        name: "viewer".into(),
        rules: vec![RuleDocument {
            kinds: vec![K::Workspace],
            permissions: P::VIEW,
        }],
        inherits: vec![],
        only_for: Some(UserTypes::NATIVE),
    });
    document
        .resources
        .push(ResourceDocument::new("acme", K::Organization, None));
    document.teams.push(TeamDocument {
        name: "ops".into(),
        tenant: "acme".into(),
    });
    document.users.push(UserDocument::new("ann", "acme"));
    document.grants.push(GrantDocument::new(
        Grantee::user("ann"),
        "acme",
        "viewer",
        Effect::Allow,
    ));
    document.keys.push(KeyDocument {
        name: "ci".into(),
        owner: "ann".into(),
        scope: Some(P::VIEW),
        within: Vec::new(),
        expires_at: Some(9),
        revoked: false,
    });
    document.links.push(LinkDocument {
        name: "l".into(),
        resource: "acme".into(),
        permissions: P::VIEW,
        expires_at: None,
        revoked: true,
    });
    refuses_unknown_fields("a document", &document);
}
