//! Reasons: every decision names the one fact that decided it. Every
//! `Reason` variant is reachable, an allow always names the grant behind it,
//! and reasons read as sentences, by id or (through `Policy::explain`) by
//! name (DESIGN.md §2, step 8).

mod common;

use std::collections::HashSet;
use std::mem::discriminant;

use clearance::{
    Action, ApiKey, Channel, Effect, Grantee, KeyId, LinkId, Permissions as P, Policy,
    PolicyBuilder, Principal, PublicLink, Reason, ResourceId, ResourceKind as K, Role, Status,
    Subject, User, UserId, UserType,
};
use common::{
    assert_cases, assert_rows, build, key, key_id, link, resource, role_id, team_id, user, user_id,
    By, Case, Expected, Row,
};

/// Invitations, keys and links that expire do so at this time.
const EXPIRY: u64 = 100;

/// ```text
/// acme (organization)
/// └── ws (workspace)          staff: editor; the public: public-editor
///     ├── flow (flow)
///     ├── kept (flow)         staff: no-delete (deny)
///     ├── locked (folder)     staff: viewer (override)
///     │   └── secret (flow)
///     └── drafts (folder)
///         └── draft (flow)
/// globex (organization)
/// └── far (flow)
/// ```
///
/// ann and int (an API-only account) are in staff; bob holds nothing; sus,
/// inv and dea are suspended, invited and deactivated. MANAGE_SETTINGS
/// needs MFA.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("flow", K::Flow, "ws")
            .resource("kept", K::Flow, "ws")
            .resource("locked", K::Folder, "ws")
            .resource("secret", K::Flow, "locked")
            .resource("drafts", K::Folder, "ws")
            .resource("draft", K::Flow, "drafts")
            .tenant("globex", K::Organization)
            .resource("far", K::Flow, "globex")
            .role(Role::new("editor").allow(
                [K::Workspace, K::Folder, K::Flow],
                P::VIEW | P::EDIT | P::DELETE | P::EXECUTE | P::MANAGE_SETTINGS,
            ))
            .role(Role::new("viewer").allow([K::Workspace, K::Folder, K::Flow], P::VIEW))
            .role(Role::new("no-delete").allow([K::Flow], P::DELETE))
            .role(
                Role::new("public-editor")
                    .allow([K::Workspace, K::Folder, K::Flow], P::VIEW | P::EDIT),
            )
            .team("staff", "acme")
            .user(User::new("ann", "acme").member_of("staff"))
            .user(User::new("bob", "acme"))
            .user(
                User::new("int", "acme")
                    .member_of("staff")
                    .user_type(UserType::Interface),
            )
            .user(
                User::new("sus", "acme")
                    .member_of("staff")
                    .status(Status::Suspended),
            )
            .user(
                User::new("inv", "acme")
                    .member_of("staff")
                    .status(Status::Invited { until: EXPIRY }),
            )
            .user(
                User::new("dea", "acme")
                    .member_of("staff")
                    .status(Status::Deactivated),
            )
            .grant(Grantee::team("staff"), "ws", "editor", Effect::Allow)
            .grant(Grantee::Public, "ws", "public-editor", Effect::Allow)
            .grant(Grantee::team("staff"), "kept", "no-delete", Effect::Deny)
            .grant(Grantee::team("staff"), "locked", "viewer", Effect::Override)
            .api_key(ApiKey::new("ann-key", "ann"))
            .api_key(ApiKey::new("revoked-key", "ann").revoked(true))
            .api_key(ApiKey::new("old-key", "ann").expires_at(EXPIRY))
            .api_key(ApiKey::new("drafts-key", "ann").within("drafts"))
            .api_key(ApiKey::new("view-key", "ann").scope(P::VIEW))
            .link(PublicLink::new("flow-link", "flow", P::VIEW))
            .link(PublicLink::new("revoked-link", "flow", P::VIEW).revoked(true))
            .link(PublicLink::new("old-link", "flow", P::VIEW).expires_at(EXPIRY))
            .mfa_required(P::MANAGE_SETTINGS),
    )
}

/// How many variants `Reason` has. A new variant needs a row in
/// [`every_reason_is_reachable`], and this number raised.
const REASON_VARIANTS: usize = 24;

#[test]
fn every_reason_is_reachable() {
    let policy = model();
    let r = |name: &str| resource(&policy, name);
    let ann = user(&policy, "ann");
    let staff = Principal::Team(team_id(&policy, "staff"));
    let cases: &[Case] = &[
        (
            ann,
            Action::Edit,
            r("flow"),
            Reason::Granted {
                principal: staff,
                scope: r("ws"),
                role: role_id(&policy, "editor"),
            },
        ),
        (
            Subject::user(UserId::from_index(9999), Channel::Web),
            Action::View,
            r("flow"),
            Reason::UnknownSubject,
        ),
        (
            ann,
            Action::View,
            ResourceId::from_index(9999),
            Reason::UnknownResource,
        ),
        (
            user(&policy, "sus"),
            Action::View,
            r("flow"),
            Reason::Suspended,
        ),
        (
            user(&policy, "inv"),
            Action::View,
            r("flow"),
            Reason::InvitationPending,
        ),
        (
            user(&policy, "inv").at(EXPIRY),
            Action::View,
            r("flow"),
            Reason::InvitationExpired,
        ),
        (
            user(&policy, "dea"),
            Action::View,
            r("flow"),
            Reason::Deactivated,
        ),
        (
            key(&policy, "revoked-key"),
            Action::View,
            r("flow"),
            Reason::KeyRevoked,
        ),
        (
            key(&policy, "old-key").at(EXPIRY),
            Action::View,
            r("flow"),
            Reason::KeyExpired,
        ),
        (
            Subject::key(key_id(&policy, "old-key")),
            Action::View,
            r("flow"),
            Reason::TimeUnknown,
        ),
        (
            link(&policy, "revoked-link"),
            Action::View,
            r("flow"),
            Reason::LinkRevoked,
        ),
        (
            link(&policy, "old-link").at(EXPIRY),
            Action::View,
            r("flow"),
            Reason::LinkExpired,
        ),
        (ann, Action::View, r("far"), Reason::WrongTenant),
        (
            user(&policy, "int"),
            Action::View,
            r("flow"),
            Reason::ChannelNotAllowed {
                channel: Channel::Web,
            },
        ),
        (
            ann,
            Action::Custom(P::empty()),
            r("flow"),
            Reason::EmptyAction,
        ),
        (
            user(&policy, "bob"),
            Action::View,
            r("flow"),
            Reason::NotMember,
        ),
        (
            ann,
            Action::Publish,
            r("flow"),
            Reason::RoleLacks {
                missing: P::PUBLISH,
            },
        ),
        (
            ann,
            Action::Edit,
            r("secret"),
            Reason::Overridden { at: r("locked") },
        ),
        (
            ann,
            Action::Delete,
            r("kept"),
            Reason::Denied {
                at: r("kept"),
                principal: staff,
            },
        ),
        (
            key(&policy, "drafts-key"),
            Action::View,
            r("flow"),
            Reason::KeyOutOfScope,
        ),
        (
            key(&policy, "view-key"),
            Action::Edit,
            r("flow"),
            Reason::KeyLacks { missing: P::EDIT },
        ),
        (
            link(&policy, "flow-link"),
            Action::View,
            r("draft"),
            Reason::LinkOutOfScope,
        ),
        (
            link(&policy, "flow-link"),
            Action::Edit,
            r("flow"),
            Reason::LinkLacks { missing: P::EDIT },
        ),
        (
            ann,
            Action::ManageSettings,
            r("ws"),
            Reason::MfaRequired {
                missing: P::MANAGE_SETTINGS,
            },
        ),
    ];
    assert_cases(&policy, cases);
    let variants: HashSet<_> = cases
        .iter()
        .map(|&(_, _, _, reason)| discriminant(&reason))
        .collect();
    assert_eq!(variants.len(), REASON_VARIANTS, "one row per variant");
}

#[test]
fn unknown_users_keys_links_and_resources_are_denied_never_a_panic() {
    let policy = model();
    let nobody = Subject::user(UserId::from_index(9999), Channel::Web);
    let no_key = Subject::key(KeyId::from_index(9999));
    let no_link = Subject::link(LinkId::from_index(9999));
    let flow = resource(&policy, "flow");
    let nowhere = ResourceId::from_index(9999);
    let ann = user(&policy, "ann");
    let cases: &[Case] = &[
        (nobody, Action::View, flow, Reason::UnknownSubject),
        (no_key, Action::View, flow, Reason::UnknownSubject),
        (no_link, Action::View, flow, Reason::UnknownSubject),
        // The subject is checked before the resource.
        (nobody, Action::View, nowhere, Reason::UnknownSubject),
        (ann, Action::View, nowhere, Reason::UnknownResource),
        (
            key(&policy, "ann-key"),
            Action::View,
            nowhere,
            Reason::UnknownResource,
        ),
        (
            link(&policy, "flow-link"),
            Action::View,
            nowhere,
            Reason::UnknownResource,
        ),
        // The account's own state is reported before anything about the
        // resource, even that it does not exist.
        (
            user(&policy, "sus"),
            Action::View,
            nowhere,
            Reason::Suspended,
        ),
        (
            Subject::user(UserId::from_index(u32::MAX), Channel::Api),
            Action::View,
            flow,
            Reason::UnknownSubject,
        ),
        (
            ann,
            Action::View,
            ResourceId::from_index(u32::MAX),
            Reason::UnknownResource,
        ),
    ];
    assert_cases(&policy, cases);
}

#[test]
fn empty_action_is_never_allowed() {
    let policy = model();
    // Even for a subject allowed everything in reach.
    let empty = Action::Custom(P::empty());
    let cases: &[Case] = &[
        (
            user(&policy, "ann").with_mfa(true),
            empty,
            resource(&policy, "flow"),
            Reason::EmptyAction,
        ),
        (
            user(&policy, "ann"),
            empty,
            resource(&policy, "ws"),
            Reason::EmptyAction,
        ),
        (
            link(&policy, "flow-link"),
            empty,
            resource(&policy, "flow"),
            Reason::EmptyAction,
        ),
    ];
    assert_cases(&policy, cases);
}

#[test]
fn not_member_means_no_grant_reaches_any_of_the_subjects_principals() {
    let policy = model();
    // bob holds nothing; ann's team holds grants, so ann lacks a role instead.
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("bob", Action::View, "ws", Expected::Is(Reason::NotMember)),
        ("bob", Action::View, "secret", Expected::Is(Reason::NotMember)),
        ("ann", Action::Publish, "ws", Expected::Is(Reason::RoleLacks { missing: P::PUBLISH })),
    ];
    assert_rows(&policy, user, rows);
}

#[test]
fn granted_names_the_nearest_grant_that_gives_the_permission() {
    let policy = build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("folder", K::Folder, "ws")
            .resource("flow", K::Flow, "folder")
            .role(Role::new("viewer").allow([K::Workspace, K::Folder, K::Flow], P::VIEW))
            .role(Role::new("editor").allow([K::Workspace, K::Folder, K::Flow], P::VIEW | P::EDIT))
            .team("staff", "acme")
            .user(User::new("ann", "acme").member_of("staff"))
            .grant(Grantee::user("ann"), "ws", "editor", Effect::Allow)
            .grant(Grantee::user("ann"), "folder", "editor", Effect::Allow)
            .grant(Grantee::team("staff"), "flow", "viewer", Effect::Allow),
    );
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("ann", Action::View, "flow", Expected::Granted(By::Team("staff"), "flow", "viewer")),
        // The nearest grant (on the flow) does not give EDIT: the next one up does.
        ("ann", Action::Edit, "flow", Expected::Granted(By::User("ann"), "folder", "editor")),
        ("ann", Action::Edit, "ws", Expected::Granted(By::User("ann"), "ws", "editor")),
    ];
    assert_rows(&policy, user, rows);
}

#[test]
fn allowed_decision_always_has_a_granted_reason_on_the_resource_or_an_ancestor() {
    let policy = model();
    let mut subjects: Vec<Subject> = ["ann", "bob", "int", "sus", "inv", "dea"]
        .iter()
        .map(|name| user(&policy, name))
        .collect();
    subjects.push(Subject::user(user_id(&policy, "int"), Channel::Api));
    subjects.extend(
        [
            "ann-key",
            "revoked-key",
            "old-key",
            "drafts-key",
            "view-key",
        ]
        .iter()
        .map(|name| key(&policy, name)),
    );
    subjects.extend(
        ["flow-link", "revoked-link", "old-link"]
            .iter()
            .map(|name| link(&policy, name)),
    );
    let mut allowed = 0;
    for subject in &subjects {
        for mfa in [false, true] {
            let subject = subject.with_mfa(mfa);
            for index in 0..policy.resource_count() {
                let id = ResourceId::from_index(u32::try_from(index).unwrap());
                for action in Action::ALL {
                    let decision = policy.authorize(&subject, action, id);
                    assert_eq!(bool::from(decision), decision.is_allowed());
                    let Reason::Granted { scope, .. } = decision.reason() else {
                        assert!(
                            !decision.is_allowed(),
                            "{subject:?} {action:?} {id:?}: {decision:?}"
                        );
                        continue;
                    };
                    allowed += 1;
                    assert!(decision.is_allowed(), "{subject:?} {action:?} {id:?}");
                    let on_path = std::iter::successors(Some(id), |&at| policy.parent(at))
                        .any(|at| at == scope);
                    assert!(
                        on_path,
                        "{subject:?} {action:?} {id:?}: {scope:?} is not on the path"
                    );
                }
            }
        }
    }
    assert!(
        allowed > 100,
        "the model should allow many requests, allowed {allowed}"
    );
}

#[test]
fn reason_reads_as_a_sentence_naming_entities_by_id() {
    let policy = model();
    let team = team_id(&policy, "staff");
    let role = role_id(&policy, "editor");
    let ws = resource(&policy, "ws");
    let granted = Reason::Granted {
        principal: Principal::Team(team),
        scope: ws,
        role,
    };
    assert_eq!(
        granted.to_string(),
        format!(
            "team #{} holds role #{} on resource #{}",
            team.index(),
            role.index(),
            ws.index()
        )
    );
    let denied_everyone = format!(
        "access was explicitly denied to everyone in the organization on resource #{}",
        ws.index()
    );
    let cases = [
        (
            Reason::RoleLacks {
                missing: P::PUBLISH,
            },
            "the roles held here do not include publish",
        ),
        (
            Reason::RoleLacks {
                missing: P::EDIT | P::DELETE,
            },
            "the roles held here do not include edit | delete",
        ),
        (
            Reason::KeyLacks {
                missing: P::from_bits_retain(1 << 40),
            },
            "the API key's scope does not include 0x10000000000",
        ),
        (
            Reason::ChannelNotAllowed {
                channel: Channel::Web,
            },
            "this kind of account may not use the web channel",
        ),
        (
            Reason::MfaRequired {
                missing: P::MANAGE_SETTINGS,
            },
            "manage_settings requires signing in with multi-factor authentication",
        ),
        (Reason::Suspended, "the account is suspended"),
        (
            Reason::WrongTenant,
            "the resource belongs to another organization",
        ),
        (
            Reason::Denied {
                at: ws,
                principal: Principal::Everyone,
            },
            &denied_everyone,
        ),
    ];
    for (reason, sentence) in cases {
        assert_eq!(reason.to_string(), sentence, "{reason:?}");
    }
}

#[test]
fn explain_names_entities_by_the_names_the_model_gave_them() {
    let policy = model();
    let ann = user(&policy, "ann");
    let sentence = |action, name: &str| {
        let decision = policy.authorize(&ann, action, resource(&policy, name));
        policy.explain(decision.reason()).to_string()
    };
    assert_eq!(
        sentence(Action::Edit, "flow"),
        r#"team "staff" holds the role "editor" on workspace "ws""#
    );
    assert_eq!(
        sentence(Action::Delete, "kept"),
        r#"access was explicitly denied to team "staff" on flow "kept""#
    );
    assert_eq!(
        sentence(Action::Edit, "secret"),
        r#"access from higher up was overridden at folder "locked""#
    );
    assert_eq!(
        sentence(Action::Publish, "flow"),
        "the roles held here do not include publish"
    );
    // Ids the policy does not know are named by id, not a panic.
    let unknown = Reason::Denied {
        at: ResourceId::from_index(9999),
        principal: Principal::User(UserId::from_index(9999)),
    };
    assert_eq!(
        policy.explain(unknown).to_string(),
        "access was explicitly denied to user #9999 on resource #9999"
    );
}

#[test]
fn a_decision_reads_as_its_verdict_then_its_reason() {
    let policy = model();
    let subjects = [
        user(&policy, "ann"),
        user(&policy, "bob"),
        user(&policy, "sus"),
        user(&policy, "int"),
        key(&policy, "view-key"),
        link(&policy, "flow-link"),
    ];
    for subject in subjects {
        for name in ["ws", "flow", "kept", "secret", "draft", "far"] {
            for action in Action::ALL {
                let decision = policy.authorize(&subject, action, resource(&policy, name));
                let verdict = if decision.is_allowed() {
                    "allowed"
                } else {
                    "denied"
                };
                assert_eq!(
                    decision.to_string(),
                    format!("{verdict}: {}", decision.reason())
                );
                // The reason alone carries no verdict, with ids or with names.
                for sentence in [
                    decision.reason().to_string(),
                    policy.explain(decision.reason()).to_string(),
                ] {
                    assert!(
                        !sentence.starts_with("allowed") && !sentence.starts_with("denied:"),
                        "{sentence:?}"
                    );
                }
            }
        }
    }
}
