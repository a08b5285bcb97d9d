//! Documents: a `PolicyDocument` is the whole model by names, in a flat
//! shape. `Policy::from_document` reports every problem with its path in
//! the document, `Policy::to_document` gives the model back, and the two
//! round-trip: `from_document(to_document(p)) == p`. Bad input of any kind
//! is an error, never a panic.
//!
//! Tests that read or write JSON need the `serde` feature; the others run
//! in every build.

use clearance::{
    Action, Change, Channel, Channels, DocumentError, Effect, GrantDocument, Grantee, KeyDocument,
    LinkDocument, Permissions as P, Policy, PolicyDocument, ResourceDocument, ResourceKind as K,
    RoleDocument, RuleDocument, Status, Subject, TeamDocument, UserDocument, UserType, UserTypes,
};

/// The problems of a document that must not build, as displayed, one per line.
#[track_caller]
#[expect(clippy::panic, reason = "a test helper fails the test by panicking")]
fn problem_lines(document: &PolicyDocument) -> Vec<String> {
    match Policy::from_document(document) {
        Ok(_) => panic!("the document built, but it has mistakes from_document must report"),
        Err(DocumentError::Invalid { problems, .. }) => {
            problems.iter().map(ToString::to_string).collect()
        }
        Err(other) => panic!("expected an invalid model, got {other}"),
    }
}

/// Builds the document, or fails the test with every problem.
#[track_caller]
#[expect(clippy::panic, reason = "a test helper fails the test by panicking")]
fn build(document: &PolicyDocument) -> Policy {
    match Policy::from_document(document) {
        Ok(policy) => policy,
        Err(error) => panic!("the test document does not build: {error}"),
    }
}

/// `from_document(to_document(p)) == p`, and `to_document` is stable:
/// writing the rebuilt policy gives the same document again.
#[track_caller]
fn assert_round_trips(policy: &Policy) {
    let document = policy.to_document();
    let rebuilt = build(&document);
    assert!(rebuilt == *policy, "the rebuilt policy differs");
    assert!(
        rebuilt.to_document() == document,
        "to_document is not stable"
    );
}

fn resource(name: &str, kind: K, parent: Option<&str>) -> ResourceDocument {
    ResourceDocument {
        name: name.into(),
        kind,
        parent: parent.map(Into::into),
        labels: clearance::Labels::empty(),
    }
}

fn user(name: &str, tenant: &str) -> UserDocument {
    UserDocument::new(name, tenant)
}

fn role(name: &str, kinds: &[K], permissions: P) -> RoleDocument {
    RoleDocument {
        name: name.into(),
        rules: vec![RuleDocument {
            kinds: kinds.to_vec(),
            permissions,
        }],
        inherits: Vec::new(),
        only_for: None,
    }
}

fn grant(to: Grantee, scope: &str, role: &str, effect: Effect) -> GrantDocument {
    GrantDocument {
        to,
        scope: scope.into(),
        role: role.into(),
        effect,
        when: clearance::Condition::Always,
    }
}

/// A folder chain `DEPTH` deep below one tenant, with a grant at the top.
fn chain(depth: usize) -> PolicyDocument {
    let mut document = PolicyDocument::new();
    document
        .resources
        .push(resource("acme", K::Organization, None));
    for level in 0..depth {
        let parent = match level {
            0 => "acme".to_string(),
            _ => format!("folder-{}", level - 1),
        };
        document.resources.push(resource(
            &format!("folder-{level}"),
            K::Folder,
            Some(&parent),
        ));
    }
    document.roles.push(role("viewer", &[K::Folder], P::VIEW));
    document.users.push(user("ann", "acme"));
    document.grants.push(grant(
        Grantee::user("ann"),
        "folder-0",
        "viewer",
        Effect::Allow,
    ));
    document
}

#[test]
fn an_empty_document_builds_an_empty_policy_and_comes_back_empty() {
    let policy = build(&PolicyDocument::new());
    assert_eq!(policy.resource_count(), 0);
    assert_eq!(policy.user_count(), 0);
    assert_eq!(policy.to_document(), PolicyDocument::new());
    assert_eq!(PolicyDocument::default(), PolicyDocument::new());
}

#[test]
fn an_unsupported_version_is_refused_before_anything_else() {
    for version in [0, 2, u32::MAX] {
        let mut document = chain(1);
        document.version = version;
        // Even a mistake in the model is not looked at.
        document.grants[0].role = "nobody".into();
        let error = Policy::from_document(&document).unwrap_err();
        assert_eq!(
            error,
            DocumentError::UnsupportedVersion {
                found: version,
                supported: PolicyDocument::VERSION
            }
        );
        assert_eq!(
            error.to_string(),
            format!("version: unsupported document version {version}; this version of clearance reads version 1")
        );
    }
}

#[test]
fn a_100_000_deep_folder_chain_builds_decides_and_round_trips() {
    const DEPTH: usize = 100_000;
    let document = chain(DEPTH);
    let policy = build(&document);
    let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web);
    let bottom = policy
        .resource_id(&format!("folder-{}", DEPTH - 1))
        .unwrap();
    assert!(policy.authorize(&ann, Action::View, bottom).is_allowed());
    assert_eq!(policy.to_document(), document);
    assert_round_trips(&policy);
}

#[test]
fn problems_deep_in_a_long_chain_name_their_path() {
    let mut document = chain(100_000);
    // folder-60000 (resources[60001]) and folder-60001 point at each other.
    document.resources[60_001].parent = Some("folder-60001".into());
    let lines = problem_lines(&document);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(
        lines[0],
        r#"resources[60001]: resources ["folder-60000", "folder-60001"] form a cycle through their parents; every chain must end at a tenant root"#
    );
}

#[test]
fn unicode_names_are_names_like_any_other() {
    let names = [
        "Ünïcödé",
        "工作区",
        "🚀 launch",
        "a \"quoted\" name",
        "back\\slash",
        "tab\tand\nnewline",
        "",
        "grants[0]",
    ];
    let mut document = PolicyDocument::new();
    document
        .resources
        .push(resource("организация", K::Organization, None));
    document.roles.push(role("читатель", &K::ALL, P::VIEW));
    for name in names {
        document
            .resources
            .push(resource(name, K::Flow, Some("организация")));
        document.users.push(user(name, "организация"));
        document
            .grants
            .push(grant(Grantee::user(name), name, "читатель", Effect::Allow));
    }
    let policy = build(&document);
    for name in names {
        let subject = Subject::user(policy.user_id(name).unwrap(), Channel::Web);
        let flow = policy.resource_id(name).unwrap();
        assert!(policy.authorize(&subject, Action::View, flow).is_allowed());
    }
    assert_round_trips(&policy);

    // A name that looks like a path is still reported as a name.
    document.users.push(user("grants[0]", "nowhere"));
    assert_eq!(
        problem_lines(&document),
        [
            r#"users[8]: user "grants[0]" is declared more than once; names must be unique per kind"#,
            r#"users[8]: unknown resource "nowhere""#,
        ]
    );
}

#[test]
fn very_long_names_build_and_are_reported_whole() {
    let long = "x".repeat(1 << 20);
    let mut document = chain(2);
    document
        .resources
        .push(resource(&long, K::Flow, Some("folder-1")));
    document.teams.push(TeamDocument {
        name: long.clone(),
        tenant: "acme".into(),
    });
    document.users[0].teams.push(long.clone());
    let policy = build(&document);
    assert!(policy.resource_id(&long).is_some());
    assert_round_trips(&policy);

    document
        .grants
        .push(grant(Grantee::team(&long), "acme", &long, Effect::Allow));
    let lines = problem_lines(&document);
    assert_eq!(lines, [format!("grants[1]: unknown role {long:?}")]);
}

#[test]
fn to_document_writes_one_canonical_form() {
    let mut document = PolicyDocument::new();
    document.resources.extend([
        resource("acme", K::Organization, None),
        resource("ws", K::Workspace, Some("acme")),
    ]);
    document.roles.push(role("viewer", &K::ALL, P::VIEW));
    document.teams.push(TeamDocument {
        name: "writers".into(),
        tenant: "acme".into(),
    });
    // Channels equal to the type's, a team named twice, a key with every
    // permission: the compiled policy cannot tell them from the defaults.
    let mut ann = user("ann", "acme");
    ann.channels = Some(UserType::Native.channels());
    ann.teams = vec!["writers".into(), "writers".into()];
    let mut bot = user("bot", "acme");
    bot.user_type = UserType::Interface;
    bot.channels = Some(Channels::API);
    let mut portal = user("portal", "acme");
    portal.channels = Some(Channels::WEB);
    document.users.extend([ann, bot, portal]);
    // Grants out of order.
    document.grants.extend([
        grant(Grantee::Public, "ws", "viewer", Effect::Allow),
        grant(Grantee::user("bot"), "ws", "viewer", Effect::Deny),
        grant(Grantee::Everyone, "acme", "viewer", Effect::Allow),
        grant(Grantee::team("writers"), "ws", "viewer", Effect::Override),
        grant(Grantee::user("ann"), "ws", "viewer", Effect::Allow),
    ]);
    document.keys.push(KeyDocument {
        name: "full".into(),
        owner: "ann".into(),
        scope: Some(P::all()),
        within: Vec::new(),
        expires_at: None,
        revoked: false,
    });

    let written = build(&document).to_document();
    assert_eq!(written.users[0].channels, None);
    assert_eq!(written.users[0].teams, ["writers"]);
    assert_eq!(
        written.users[1].channels, None,
        "an interface user's channels are the API"
    );
    assert_eq!(written.users[2].channels, Some(Channels::WEB));
    assert_eq!(written.keys[0].scope, None);
    assert_eq!(
        written.grants,
        [
            grant(Grantee::Everyone, "acme", "viewer", Effect::Allow),
            grant(Grantee::user("ann"), "ws", "viewer", Effect::Allow),
            grant(Grantee::user("bot"), "ws", "viewer", Effect::Deny),
            grant(Grantee::team("writers"), "ws", "viewer", Effect::Override),
            grant(Grantee::Public, "ws", "viewer", Effect::Allow),
        ]
    );
    assert_round_trips(&build(&document));
}

#[test]
fn roles_keys_and_links_keep_every_detail() {
    let mut document = chain(2);
    let mut limited = role("super user", &[K::Flow, K::Folder], P::EXECUTE_AS_OTHERS);
    limited.only_for = Some(UserTypes::NATIVE);
    limited.inherits = vec!["viewer".into()];
    limited.rules.push(RuleDocument {
        kinds: Vec::new(),
        permissions: P::from_bits_retain(1 << 63),
    });
    document.roles.push(limited);
    document.mfa_required = P::MANAGE_MEMBERS | P::from_bits_retain(1 << 40);
    document.keys.push(KeyDocument {
        name: "ci".into(),
        owner: "ann".into(),
        scope: Some(P::VIEW | P::from_bits_retain(1 << 50)),
        within: vec!["folder-1".into()],
        expires_at: Some(u64::MAX),
        revoked: true,
    });
    document.links.push(LinkDocument {
        name: "share".into(),
        resource: "folder-0".into(),
        permissions: P::empty(),
        expires_at: Some(0),
        revoked: false,
    });
    let policy = build(&document);
    assert_eq!(policy.to_document(), document);
    assert_round_trips(&policy);
}

/// Two tenants with folders, teams, users, grants of every kind, keys and
/// links: something to remove things from.
fn populated() -> PolicyDocument {
    let mut document = chain(3);
    document.resources.extend([
        resource("globex", K::Organization, None),
        resource("lab", K::Workspace, Some("globex")),
        resource("notes", K::Form, Some("folder-2")),
    ]);
    document
        .roles
        .push(role("editor", &K::ALL, P::VIEW | P::EDIT));
    document.roles.push(role("unused", &K::ALL, P::DELETE));
    for (team, tenant) in [
        ("writers", "acme"),
        ("readers", "acme"),
        ("labbies", "globex"),
    ] {
        document.teams.push(TeamDocument {
            name: team.into(),
            tenant: tenant.into(),
        });
    }
    let mut bo = user("bo", "acme");
    bo.teams = vec!["writers".into(), "readers".into()];
    let mut cy = user("cy", "acme");
    cy.teams = vec!["readers".into()];
    let mut gus = user("gus", "globex");
    gus.teams = vec!["labbies".into()];
    document.users.extend([bo, cy, gus]);
    document.grants.extend([
        grant(
            Grantee::team("writers"),
            "folder-1",
            "editor",
            Effect::Allow,
        ),
        grant(Grantee::team("readers"), "acme", "viewer", Effect::Allow),
        grant(Grantee::user("cy"), "folder-2", "editor", Effect::Override),
        grant(Grantee::Everyone, "folder-2", "viewer", Effect::Deny),
        grant(Grantee::Public, "notes", "editor", Effect::Allow),
        grant(Grantee::team("labbies"), "lab", "editor", Effect::Allow),
        grant(Grantee::user("gus"), "globex", "viewer", Effect::Allow),
    ]);
    document.keys.extend([
        KeyDocument {
            name: "bo-key".into(),
            owner: "bo".into(),
            scope: None,
            within: vec!["folder-1".into()],
            expires_at: None,
            revoked: false,
        },
        KeyDocument {
            name: "gus-key".into(),
            owner: "gus".into(),
            scope: Some(P::VIEW),
            within: Vec::new(),
            expires_at: None,
            revoked: false,
        },
    ]);
    document.links.extend([
        LinkDocument {
            name: "notes-link".into(),
            resource: "notes".into(),
            permissions: P::VIEW | P::EDIT,
            expires_at: None,
            revoked: false,
        },
        LinkDocument {
            name: "folder-link".into(),
            resource: "folder-0".into(),
            permissions: P::VIEW,
            expires_at: None,
            revoked: false,
        },
    ]);
    document
}

/// Every decision of every user, key and link of `document` on every
/// resource, by names, in `policy`.
#[expect(
    clippy::unwrap_used,
    reason = "a test helper over names it was given by the test"
)]
fn decisions(policy: &Policy, document: &PolicyDocument) -> Vec<String> {
    let mut subjects: Vec<(String, Subject)> = Vec::new();
    for user in &document.users {
        let id = policy.user_id(&user.name).unwrap();
        subjects.push((user.name.clone(), Subject::user(id, Channel::Web)));
    }
    for key in &document.keys {
        subjects.push((
            key.name.clone(),
            Subject::key(policy.key_id(&key.name).unwrap()),
        ));
    }
    for link in &document.links {
        subjects.push((
            link.name.clone(),
            Subject::link(policy.link_id(&link.name).unwrap()),
        ));
    }
    let mut lines = Vec::new();
    for (name, subject) in &subjects {
        for resource in &document.resources {
            let id = policy.resource_id(&resource.name).unwrap();
            for action in Action::ALL {
                let decision = policy.authorize(subject, action, id);
                lines.push(format!(
                    "{name} {action:?} {}: {}",
                    resource.name,
                    policy.explain(decision.reason())
                ));
            }
        }
    }
    lines
}

#[test]
fn removed_entities_are_left_out_and_the_rest_decides_the_same() {
    let mut policy = build(&populated());
    policy
        .apply_all([
            Change::RemoveUser {
                name: "bo".into(),
                by: None,
            },
            Change::RemoveTeam {
                name: "readers".into(),
            },
            Change::RemoveResource {
                name: "folder-2".into(),
            },
            Change::RemoveRole {
                name: "unused".into(),
            },
            Change::RemoveKey {
                name: "gus-key".into(),
            },
            Change::RemoveLink {
                name: "folder-link".into(),
            },
            // A name removed and declared again is one entity.
            Change::AddUser(clearance::User::new("bo", "acme").member_of("writers")),
        ])
        .unwrap();
    let document = policy.to_document();
    let names = |list: Vec<&String>| -> Vec<String> { list.into_iter().cloned().collect() };
    assert_eq!(
        names(document.resources.iter().map(|r| &r.name).collect()),
        ["acme", "folder-0", "folder-1", "globex", "lab"]
    );
    assert_eq!(
        names(document.roles.iter().map(|r| &r.name).collect()),
        ["viewer", "editor"]
    );
    assert_eq!(
        names(document.teams.iter().map(|t| &t.name).collect()),
        ["writers", "labbies"]
    );
    assert_eq!(
        names(document.users.iter().map(|u| &u.name).collect()),
        ["ann", "cy", "gus", "bo"]
    );
    assert_eq!(
        document.users[1].teams,
        Vec::<String>::new(),
        "cy's team is gone"
    );
    assert!(document.keys.is_empty(), "bo's key went with bo");
    assert!(document.links.is_empty(), "notes went with folder-2");
    assert_eq!(
        document.grants,
        [
            grant(Grantee::user("ann"), "folder-0", "viewer", Effect::Allow),
            grant(
                Grantee::team("writers"),
                "folder-1",
                "editor",
                Effect::Allow
            ),
            grant(Grantee::user("gus"), "globex", "viewer", Effect::Allow),
            grant(Grantee::team("labbies"), "lab", "editor", Effect::Allow),
        ]
    );
    // The removed ids are kept, so the rebuilt policy numbers everything
    // as the changed one does, and equals it.
    assert_eq!(
        document.removed.users,
        [(1, "bo".to_string())],
        "the first bo's id stays taken"
    );
    let rebuilt = build(&document);
    assert!(rebuilt == policy, "the rebuilt policy differs");
    assert_eq!(rebuilt.user_id("bo"), policy.user_id("bo"));
    assert_eq!(
        decisions(&rebuilt, &document),
        decisions(&policy, &document)
    );
    assert_round_trips(&rebuilt);
    assert_round_trips(&policy);
}

#[test]
fn a_changed_policy_writes_what_it_now_holds() {
    let mut policy = build(&populated());
    policy
        .apply_all([
            Change::MoveResource {
                name: "folder-2".into(),
                parent: "acme".into(),
            },
            Change::Suspend {
                user: "cy".into(),
                by: None,
            },
            Change::AddResource {
                name: "new".into(),
                kind: K::Flow,
                parent: Some("folder-2".into()),
            },
            Change::Grant {
                grantee: Grantee::team("readers"),
                scope: "new".into(),
                role: "editor".into(),
                effect: Effect::Override,
                when: clearance::Condition::Always,
                by: None,
            },
            Change::RevokeKey {
                name: "bo-key".into(),
            },
            Change::SetMfaRequired(P::DELETE),
        ])
        .unwrap();
    let document = policy.to_document();
    assert_eq!(document.resources[3].parent.as_deref(), Some("acme"));
    assert_eq!(document.users[2].status, Status::Suspended);
    assert!(document.keys[0].revoked);
    assert_eq!(document.mfa_required, P::DELETE);
    let rebuilt = build(&document);
    assert!(rebuilt == policy, "the rebuilt policy differs");
    assert_eq!(
        decisions(&rebuilt, &document),
        decisions(&policy, &document)
    );
    assert_round_trips(&rebuilt);
    assert_round_trips(&policy);
}

/// Documents as JSON: the samples, the table of mistakes, and input that is
/// not a document at all.
#[cfg(feature = "serde")]
#[expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers over the samples and documents they built fail the test by panicking"
)]
mod json {
    use std::path::PathBuf;

    use super::*;

    /// The sample documents shipped in `examples/policies/`, by file name.
    fn samples() -> Vec<(String, String)> {
        let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/policies");
        let mut samples: Vec<(String, String)> = std::fs::read_dir(&directory)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .map(|path| {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&path).unwrap())
            })
            .collect();
        samples.sort();
        samples
    }

    #[track_caller]
    fn parse(text: &str) -> PolicyDocument {
        match serde_json::from_str(text) {
            Ok(document) => document,
            Err(error) => panic!("not a document: {error}\n{text}"),
        }
    }

    #[test]
    fn every_sample_parses_builds_and_round_trips() {
        let samples = samples();
        assert!(samples.len() >= 2, "examples/policies holds the samples");
        for (name, text) in &samples {
            let document = parse(text);
            let policy = match Policy::from_document(&document) {
                Ok(policy) => policy,
                Err(error) => panic!("{name} does not build: {error}"),
            };
            assert!(policy.resource_count() > 0, "{name}");
            assert_round_trips(&policy);
            // Through JSON text too.
            let written = serde_json::to_string_pretty(&policy.to_document()).unwrap();
            let reread = parse(&written);
            assert_eq!(reread, policy.to_document(), "{name}");
            assert!(build(&reread) == policy, "{name}");
        }
    }

    #[test]
    fn the_shape_is_the_documented_one() {
        let document = parse(
            r#"{
              "version": 1,
              "mfa_required": "manage_members",
              "roles": [{ "name": "admin", "rules": [{ "kinds": ["knowledge_base", "brand_kit"], "permissions": "view | edit" }],
                          "inherits": [], "only_for": "native | native_admin" }],
              "resources": [{ "name": "acme", "kind": "organization" }, { "name": "kb", "kind": "knowledge_base", "parent": "acme" }],
              "teams": [{ "name": "ops", "tenant": "acme" }],
              "users": [
                { "name": "ann", "tenant": "acme", "user_type": "native_admin", "status": "active", "teams": ["ops"] },
                { "name": "bo", "tenant": "acme", "user_type": "native", "status": { "invited": { "until": 99 } }, "channels": "web | app" }
              ],
              "grants": [
                { "to": { "user": "ann" }, "scope": "kb", "role": "admin", "effect": "override" },
                { "to": { "team": "ops" }, "scope": "acme", "role": "admin", "effect": "deny" },
                { "to": "everyone", "scope": "acme", "role": "admin", "effect": "allow" }
              ],
              "keys": [{ "name": "k", "owner": "ann", "scope": "view", "within": "kb", "expires_at": 5, "revoked": true }],
              "links": [{ "name": "l", "resource": "kb", "permissions": "view" }]
            }"#,
        );
        assert_eq!(
            document.roles[0].only_for,
            Some(UserTypes::NATIVE | UserTypes::NATIVE_ADMIN)
        );
        assert_eq!(
            document.roles[0].rules[0].kinds,
            [K::KnowledgeBase, K::BrandKit]
        );
        assert_eq!(document.users[0].user_type, UserType::NativeAdmin);
        assert_eq!(document.users[1].status, Status::Invited { until: 99 });
        assert_eq!(
            document.users[1].channels,
            Some(Channels::WEB | Channels::APP)
        );
        assert_eq!(document.grants[1].to, Grantee::team("ops"));
        assert_eq!(document.grants[2].to, Grantee::Everyone);
        assert_eq!(document.grants[0].effect, Effect::Override);
        assert_eq!(document.keys[0].expires_at, Some(5));
        assert!(!document.links[0].revoked);
        build(&document);

        // Written back short: left-out fields stay left out.
        let written = serde_json::to_value(parse(
            r#"{ "version": 1, "resources": [{ "name": "acme", "kind": "organization" }],
                 "users": [{ "name": "ann", "tenant": "acme", "user_type": "native", "status": "suspended" }],
                 "keys": [{ "name": "k", "owner": "ann" }] }"#,
        ))
        .unwrap();
        assert_eq!(
            written,
            serde_json::json!({
                "version": 1,
                "resources": [{ "name": "acme", "kind": "organization" }],
                "users": [{ "name": "ann", "tenant": "acme", "user_type": "native", "status": "suspended" }],
                "keys": [{ "name": "k", "owner": "ann" }],
            })
        );
        assert_eq!(
            serde_json::to_string(&PolicyDocument::new()).unwrap(),
            r#"{"version":1}"#
        );
    }

    /// A valid document that the rows of the table add to: two tenants,
    /// a role, a team and a user in each, one grant.
    const BASE: &str = r#"{
      "version": 1,
      "roles": [{ "name": "viewer", "rules": [{ "kinds": ["workspace", "folder"], "permissions": "view" }] }],
      "resources": [
        { "name": "acme", "kind": "organization" },
        { "name": "sales", "kind": "workspace", "parent": "acme" },
        { "name": "globex", "kind": "organization" }
      ],
      "teams": [{ "name": "writers", "tenant": "acme" }, { "name": "hackers", "tenant": "globex" }],
      "users": [
        { "name": "ann", "tenant": "acme", "user_type": "native", "status": "active", "teams": ["writers"] },
        { "name": "gus", "tenant": "globex", "user_type": "native", "status": "active" }
      ],
      "grants": [{ "to": { "team": "writers" }, "scope": "sales", "role": "viewer", "effect": "allow" }]
    }"#;

    /// `BASE` with `patch` merged in: the patch's lists are appended to the
    /// base's, its other fields replace the base's.
    fn patched(patch: &str) -> PolicyDocument {
        let mut base: serde_json::Value = serde_json::from_str(BASE).unwrap();
        let patch: serde_json::Value = serde_json::from_str(patch).unwrap();
        for (field, value) in patch.as_object().unwrap() {
            match (base.get_mut(field), value) {
                (Some(serde_json::Value::Array(list)), serde_json::Value::Array(more)) => {
                    list.extend(more.iter().cloned());
                }
                _ => {
                    base[field] = value.clone();
                }
            }
        }
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn the_base_of_the_table_builds() {
        build(&patched("{}"));
    }

    /// Each row: what is wrong, the patch that adds it to `BASE`, and every
    /// problem `from_document` must report, exactly, in order.
    const BAD_DOCUMENTS: &[(&str, &str, &[&str])] = &[
        (
            "unknown team",
            r#"{ "grants": [{ "to": { "team": "ops" }, "scope": "sales", "role": "viewer", "effect": "allow" }] }"#,
            &[r#"grants[1]: unknown team "ops""#],
        ),
        (
            "unknown role",
            r#"{ "grants": [{ "to": { "user": "ann" }, "scope": "sales", "role": "owner", "effect": "allow" }] }"#,
            &[r#"grants[1]: unknown role "owner""#],
        ),
        (
            "unknown user and scope",
            r#"{ "grants": [{ "to": { "user": "zed" }, "scope": "hr", "role": "viewer", "effect": "deny" }] }"#,
            &[
                r#"grants[1]: unknown resource "hr""#,
                r#"grants[1]: unknown user "zed""#,
            ],
        ),
        (
            "unknown parent",
            r#"{ "resources": [{ "name": "q3", "kind": "folder", "parent": "marketing" }] }"#,
            &[r#"resources[3]: unknown resource "marketing""#],
        ),
        (
            "unknown tenant and team of a user",
            r#"{ "users": [{ "name": "cy", "tenant": "initech", "user_type": "native", "status": "active", "teams": ["ghosts"] }] }"#,
            &[
                r#"users[2]: unknown resource "initech""#,
                r#"users[2]: unknown team "ghosts""#,
            ],
        ),
        (
            "a tenant that is not a root",
            r#"{ "teams": [{ "name": "sellers", "tenant": "sales" }] }"#,
            &[r#"teams[2]: "sales" is not a tenant (a resource without a parent)"#],
        ),
        (
            "unknown inherited role",
            r#"{ "roles": [{ "name": "editor", "inherits": ["viewer", "base"] }] }"#,
            &[r#"roles[1].inherits[1]: role "editor": unknown role "base""#],
        ),
        (
            "duplicate names",
            r#"{ "users": [{ "name": "ann", "tenant": "acme", "user_type": "native", "status": "active" }],
                 "resources": [{ "name": "sales", "kind": "folder", "parent": "acme" }],
                 "roles": [{ "name": "viewer" }],
                 "teams": [{ "name": "writers", "tenant": "acme" }] }"#,
            &[
                r#"resources[3]: resource "sales" is declared more than once; names must be unique per kind"#,
                r#"users[2]: user "ann" is declared more than once; names must be unique per kind"#,
                r#"teams[2]: team "writers" is declared more than once; names must be unique per kind"#,
                r#"roles[1]: role "viewer" is declared more than once; names must be unique per kind"#,
            ],
        ),
        (
            "a name declared three times",
            r#"{ "keys": [{ "name": "k", "owner": "ann" }, { "name": "k", "owner": "ann" }, { "name": "k", "owner": "ann" }] }"#,
            &[
                r#"keys[1]: API key "k" is declared more than once; names must be unique per kind"#,
                r#"keys[2]: API key "k" is declared more than once; names must be unique per kind"#,
            ],
        ),
        (
            "a cycle of resources",
            r#"{ "resources": [{ "name": "a", "kind": "folder", "parent": "b" }, { "name": "b", "kind": "folder", "parent": "a" }] }"#,
            &[
                r#"resources[3]: resources ["a", "b"] form a cycle through their parents; every chain must end at a tenant root"#,
            ],
        ),
        (
            "a cycle of roles",
            r#"{ "roles": [{ "name": "x", "inherits": ["y"] }, { "name": "y", "inherits": ["x"] }] }"#,
            &[r#"roles[1]: roles ["x", "y"] inherit from each other in a cycle"#],
        ),
        (
            "a grant crossing tenants",
            r#"{ "grants": [{ "to": { "user": "gus" }, "scope": "sales", "role": "viewer", "effect": "allow" }] }"#,
            &[
                r#"grants[1]: "gus" belongs to tenant "globex", not "acme"; nothing may cross tenants"#,
            ],
        ),
        (
            "a membership crossing tenants",
            r#"{ "users": [{ "name": "hal", "tenant": "acme", "user_type": "native", "status": "active", "teams": ["hackers"] }] }"#,
            &[
                r#"users[2] (membership in team "hackers"): "hackers" belongs to tenant "globex", not "acme"; nothing may cross tenants"#,
            ],
        ),
        (
            "a key crossing tenants",
            r#"{ "keys": [{ "name": "k", "owner": "gus", "within": "sales" }] }"#,
            &[
                r#"keys[0]: "sales" belongs to tenant "acme", not "globex"; nothing may cross tenants"#,
            ],
        ),
        (
            "a role its holder may not hold",
            r#"{ "roles": [{ "name": "super", "only_for": "native" }],
                 "users": [{ "name": "bot", "tenant": "acme", "user_type": "interface", "status": "active", "teams": ["writers"] }],
                 "grants": [{ "to": { "team": "writers" }, "scope": "sales", "role": "super", "effect": "allow" },
                            { "to": "public", "scope": "sales", "role": "super", "effect": "allow" }] }"#,
            &[
                r#"grants[1] through team "writers": role "super" may not be held by interface user "bot""#,
                r#"grants[2]: role "super" may not be held by public user "the public""#,
            ],
        ),
        (
            "channels beyond the user type",
            r#"{ "users": [{ "name": "bot", "tenant": "acme", "user_type": "interface", "status": "active", "channels": "web | api" }] }"#,
            &[
                r#"users[2].channels: user "bot": an account of type interface may never use these channels: web"#,
            ],
        ),
        (
            "keys and links to nothing",
            r#"{ "keys": [{ "name": "k", "owner": "nobody", "within": "nowhere" }],
                 "links": [{ "name": "l", "resource": "nowhere", "permissions": "view" }] }"#,
            &[
                r#"keys[0]: unknown user "nobody""#,
                r#"keys[0]: unknown resource "nowhere""#,
                r#"links[0]: unknown resource "nowhere""#,
            ],
        ),
    ];

    #[test]
    fn bad_documents_report_every_problem_with_its_path() {
        let mut failures = Vec::new();
        for (row, (what, patch, expected)) in BAD_DOCUMENTS.iter().enumerate() {
            let lines = problem_lines(&patched(patch));
            if lines != *expected {
                failures.push(format!(
                    "row {row} ({what}):\n  expected {expected:#?}\n  found    {lines:#?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn the_error_lists_every_problem_under_one_heading() {
        let document = patched(
            r#"{ "grants": [{ "to": { "team": "ops" }, "scope": "sales", "role": "viewer", "effect": "allow" }],
                 "users": [{ "name": "ann", "tenant": "acme", "user_type": "native", "status": "active" }] }"#,
        );
        let error = Policy::from_document(&document).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the document has 2 problems\n\
             - users[2]: user \"ann\" is declared more than once; names must be unique per kind\n\
             - grants[1]: unknown team \"ops\""
        );
        let DocumentError::Invalid { problems, .. } = error else {
            panic!("not an invalid model")
        };
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["users[2]", "grants[1]"]);
    }

    #[test]
    fn unsupported_version_in_json() {
        let document = patched(r#"{ "version": 7 }"#);
        assert_eq!(
            Policy::from_document(&document).unwrap_err().to_string(),
            "version: unsupported document version 7; this version of clearance reads version 1"
        );
    }

    /// What is not a document is a serde error with a place, never a panic.
    #[test]
    fn malformed_json_is_a_serde_error() {
        let cases = [
            ("", "EOF while parsing"),
            ("{}", "missing field `version`"),
            // serde reads a struct from a sequence too: an empty one is short.
            ("[]", "invalid length 0"),
            ("null", "invalid type"),
            (r#"{"version": -1}"#, "invalid value"),
            (r#"{"version": 4294967296}"#, "invalid value"),
            (r#"{"version": 1, "extra": true}"#, "unknown field `extra`"),
            (
                r#"{"version": 1, "resources": [{"name": "a", "kind": "planet"}]}"#,
                r#"unknown resource kind "planet"; the accepted spellings are organization, tenant,"#,
            ),
            (
                r#"{"version": 1, "resources": [{"name": "a", "kind": "Organization"}]}"#,
                r#"unknown resource kind "Organization""#,
            ),
            (
                r#"{"version": 1, "resources": [{"name": "a", "kind": "organization", "colour": 1}]}"#,
                "unknown field `colour`",
            ),
            (
                r#"{"version": 1, "mfa_required": "view | fly"}"#,
                r#"unknown permission "fly"; the accepted spellings are view, create,"#,
            ),
            (
                r#"{"version": 1, "grants": [{"to": "nobody", "scope": "a", "role": "r", "effect": "allow"}]}"#,
                "unknown variant `nobody`",
            ),
            (
                r#"{"version": 1, "grants": [{"to": {"team": "a", "user": "b"}, "scope": "a", "role": "r", "effect": "allow"}]}"#,
                "",
            ),
            (
                r#"{"version": 1, "keys": [{"name": "k", "owner": "a", "expires_at": 18446744073709551616}]}"#,
                "",
            ),
            (
                r#"{"version": 1, "users": [{"name": "a", "tenant": "t", "user_type": "native", "status": "invited"}]}"#,
                "",
            ),
            (
                "{\"version\": 1, \"roles\": [{\"name\": \"\u{0}\"",
                "control character",
            ),
        ];
        for (text, needle) in cases {
            let error = serde_json::from_str::<PolicyDocument>(text).unwrap_err();
            assert!(error.to_string().contains(needle), "{text}: {error}");
        }
    }

    #[test]
    fn deep_json_nesting_is_a_serde_error_not_a_stack_overflow() {
        for depth in [200, 100_000] {
            let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            for text in [
                nested.clone(),
                format!(r#"{{"version": 1, "resources": {nested}}}"#),
                format!(
                    r#"{{"version": 1, "roles": [{{"name": "r", "rules": [{{"kinds": {nested}}}]}}]}}"#
                ),
                format!(r#"{{"version": 1, "extra": {nested}}}"#),
            ] {
                assert!(serde_json::from_str::<PolicyDocument>(&text).is_err());
            }
        }
    }

    /// SplitMix64, so the garbage is the same on every run.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Parses and, if it parses, builds: errors are fine, panics are not.
    fn try_everything(bytes: &[u8]) {
        if let Ok(document) = serde_json::from_slice::<PolicyDocument>(bytes) {
            match Policy::from_document(&document) {
                Ok(policy) => assert_round_trips(&policy),
                Err(error) => {
                    let _message = error.to_string();
                }
            }
        }
    }

    #[test]
    fn arbitrary_garbage_and_mutated_samples_never_panic() {
        let mut rng = Rng(0x6A5B_A6E0);
        for _ in 0..2_000 {
            let length = rng.below(64);
            let bytes: Vec<u8> = (0..length).map(|_| rng.next() as u8).collect();
            try_everything(&bytes);
        }
        // Mutations of valid documents reach far deeper than random bytes:
        // swapped names, dropped quotes, changed kinds.
        let tokens: [&[u8]; 12] = [
            b"\"acme\"",
            b"\"sales\"",
            b"\"ann\"",
            b"\"viewer\"",
            b"\"writers\"",
            b"null",
            b"[]",
            b"{}",
            b"\"deny\"",
            b"\"public\"",
            b"0",
            b"\"suspended\"",
        ];
        let mut texts: Vec<Vec<u8>> = samples()
            .into_iter()
            .map(|(_, text)| text.into_bytes())
            .collect();
        texts.push(BASE.as_bytes().to_vec());
        for text in &texts {
            for _ in 0..300 {
                let mut bytes = text.clone();
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(bytes.len());
                    match rng.below(3) {
                        0 => bytes[at] = rng.next() as u8,
                        1 => {
                            let end = (at + rng.below(16)).min(bytes.len());
                            bytes.drain(at..end);
                        }
                        _ => {
                            let token = tokens[rng.below(tokens.len())];
                            bytes.splice(at..at, token.iter().copied());
                        }
                    }
                }
                try_everything(&bytes);
            }
        }
    }

    /// Every JSON pointer to a string, and to an array element, in `value`.
    fn pointers(
        value: &serde_json::Value,
        at: String,
        strings: &mut Vec<String>,
        elements: &mut Vec<String>,
    ) {
        match value {
            serde_json::Value::String(_) => strings.push(at),
            serde_json::Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let here = format!("{at}/{index}");
                    elements.push(here.clone());
                    pointers(item, here, strings, elements);
                }
            }
            serde_json::Value::Object(fields) => {
                for (field, item) in fields {
                    pointers(item, format!("{at}/{field}"), strings, elements);
                }
            }
            _ => {}
        }
    }

    /// Whether `path` points into `document`: a list, an entry of it, or a
    /// field of an entry.
    fn path_exists(document: &PolicyDocument, path: &str) -> bool {
        let (head, _field) = path.split_once('.').unwrap_or((path, ""));
        let (list, index) = match head.split_once('[') {
            Some((list, rest)) => (
                list,
                rest.strip_suffix(']').and_then(|i| i.parse::<usize>().ok()),
            ),
            None => (head, None),
        };
        let len = match list {
            "resources" => document.resources.len(),
            "roles" => document.roles.len(),
            "teams" => document.teams.len(),
            "users" => document.users.len(),
            "grants" => document.grants.len(),
            "keys" => document.keys.len(),
            "links" => document.links.len(),
            _ => return false,
        };
        index.map_or(!head.contains('['), |index| index < len)
    }

    #[test]
    fn swapped_strings_and_dropped_entries_give_problems_with_real_paths() {
        let mut rng = Rng(0x5EED_D0C5);
        let (mut built, mut refused, mut unreadable) = (0, 0, 0);
        for (name, text) in samples() {
            let original: serde_json::Value = serde_json::from_str(&text).unwrap();
            let (mut strings, mut elements) = (Vec::new(), Vec::new());
            pointers(&original, String::new(), &mut strings, &mut elements);
            let pool: Vec<serde_json::Value> = strings
                .iter()
                .map(|p| original.pointer(p).unwrap().clone())
                .chain([serde_json::json!("ghost")])
                .collect();
            for _ in 0..300 {
                let mut value = original.clone();
                for _ in 0..1 + rng.below(4) {
                    if rng.below(4) == 0 {
                        // Drop an entry of some list.
                        let pointer = &elements[rng.below(elements.len())];
                        let (parent, index) = pointer.rsplit_once('/').unwrap();
                        if let Some(serde_json::Value::Array(items)) = value.pointer_mut(parent) {
                            let index: usize = index.parse().unwrap();
                            if index < items.len() {
                                items.remove(index);
                            }
                        }
                    } else if let Some(slot) = value.pointer_mut(&strings[rng.below(strings.len())])
                    {
                        *slot = pool[rng.below(pool.len())].clone();
                    }
                }
                let Ok(document) = serde_json::from_value::<PolicyDocument>(value) else {
                    unreadable += 1;
                    continue;
                };
                match Policy::from_document(&document) {
                    Ok(policy) => {
                        built += 1;
                        assert_round_trips(&policy);
                    }
                    Err(DocumentError::Invalid { problems, .. }) => {
                        refused += 1;
                        for problem in &problems {
                            assert!(path_exists(&document, &problem.path), "{name}: {problem}");
                            assert!(
                                problem.to_string().starts_with(&problem.path),
                                "{name}: {problem}"
                            );
                        }
                    }
                    Err(other) => panic!("{name}: {other}"),
                }
            }
        }
        // The mutations reach the model, not only the parser.
        assert!(
            refused > 100 && built > 10,
            "built {built}, refused {refused}, unreadable {unreadable}"
        );
    }

    #[test]
    fn string_replacements_in_a_sample_give_errors_with_paths() {
        // Renaming one declaration breaks every reference to it: each is
        // reported at its own path.
        let text = BASE.replace(r#""name": "writers""#, r#""name": "authors""#);
        assert_eq!(
            problem_lines(&parse(&text)),
            [
                r#"users[0]: unknown team "writers""#,
                r#"grants[0]: unknown team "writers""#,
            ]
        );
    }
}
