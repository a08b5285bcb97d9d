//! What a caller may be told: stable codes, a class per kind of answer,
//! and sentences with names, never another tenant's entities, and never
//! telling another tenant's resource from a missing one.

#![expect(
    clippy::expect_used,
    reason = "the shared model and subjects fail the test when the model is wrong"
)]

use clearance::{
    Action, ApiKey, Author, Change, ChangeProblem, Channel, Class, Condition, Effect, Entity,
    Grantee, Permissions as P, Policy, PolicyBuilder, Principal, PublicLink, Reason, ResourceId,
    ResourceKind as K, Role, Status, Subject, TeamId, User, UserId,
};
use proptest::prelude::*;
use std::collections::HashSet;

const NOW: u64 = 1_700_000_000;

/// Every reason, with its code and class: renaming a code fails here.
fn reasons() -> Vec<(Reason, &'static str, Class)> {
    let r = ResourceId::from_index(1);
    let team = Principal::Team(TeamId::from_index(0));
    vec![
        (
            Reason::Granted {
                principal: team,
                scope: r,
                role: policy().role_id("admin").expect("admin"),
            },
            "granted",
            Class::Allowed,
        ),
        (
            Reason::UnknownSubject,
            "unknown_subject",
            Class::Unauthenticated,
        ),
        (Reason::UnknownResource, "unknown_resource", Class::NotFound),
        (Reason::WrongTenant, "wrong_tenant", Class::NotFound),
        (Reason::Suspended, "suspended", Class::Forbidden),
        (
            Reason::InvitationPending,
            "invitation_pending",
            Class::Forbidden,
        ),
        (
            Reason::InvitationExpired,
            "invitation_expired",
            Class::Forbidden,
        ),
        (Reason::Deactivated, "deactivated", Class::Forbidden),
        (Reason::KeyRevoked, "key_revoked", Class::Unauthenticated),
        (Reason::KeyExpired, "key_expired", Class::Unauthenticated),
        (Reason::LinkRevoked, "link_revoked", Class::Unauthenticated),
        (Reason::LinkExpired, "link_expired", Class::Unauthenticated),
        (Reason::TimeUnknown, "time_unknown", Class::Unauthenticated),
        (
            Reason::ChannelNotAllowed {
                channel: Channel::Api,
            },
            "channel_not_allowed",
            Class::Forbidden,
        ),
        (Reason::KeyOutOfScope, "key_out_of_scope", Class::Forbidden),
        (Reason::LinkOutOfScope, "link_out_of_scope", Class::NotFound),
        (Reason::EmptyAction, "empty_action", Class::Forbidden),
        (Reason::NotMember, "not_member", Class::Forbidden),
        (
            Reason::RoleLacks { missing: P::EDIT },
            "role_lacks",
            Class::Forbidden,
        ),
        (Reason::Overridden { at: r }, "overridden", Class::Forbidden),
        (
            Reason::Denied {
                at: r,
                principal: team,
            },
            "denied",
            Class::Forbidden,
        ),
        (
            Reason::KeyLacks { missing: P::EDIT },
            "key_lacks",
            Class::Forbidden,
        ),
        (
            Reason::LinkLacks { missing: P::EDIT },
            "link_lacks",
            Class::Forbidden,
        ),
        (
            Reason::MfaRequired { missing: P::EDIT },
            "mfa_required",
            Class::Forbidden,
        ),
        (
            Reason::WouldEscalate { missing: P::EDIT },
            "would_escalate",
            Class::Forbidden,
        ),
        (
            Reason::RestrictedBelow {
                at: r,
                principal: team,
            },
            "restricted_below",
            Class::Forbidden,
        ),
        (
            Reason::OwnRestriction {
                at: r,
                principal: team,
            },
            "own_restriction",
            Class::Forbidden,
        ),
        (Reason::UnknownRole, "unknown_role", Class::NotFound),
        (
            Reason::GranteeOfAnotherTenant,
            "grantee_of_another_tenant",
            Class::Unauthenticated,
        ),
        (
            Reason::RoleNotEligible,
            "role_not_eligible",
            Class::Forbidden,
        ),
        (
            Reason::ConditionUnmet {
                principal: team,
                scope: r,
            },
            "condition_unmet",
            Class::Forbidden,
        ),
        (
            Reason::RequiredRoleMissing {
                role: clearance::RoleId::from_index(0),
            },
            "required_role_missing",
            Class::Forbidden,
        ),
    ]
}

/// Every change problem but `Refused` (which takes its reason's code and
/// class), with its code and class.
fn problems() -> Vec<(ChangeProblem, &'static str, Class)> {
    let name = || "x".to_string();
    vec![
        (
            ChangeProblem::Unknown {
                entity: Entity::User,
                name: name(),
            },
            "unknown_name",
            Class::NotFound,
        ),
        (
            ChangeProblem::DuplicateName {
                entity: Entity::User,
                name: name(),
            },
            "duplicate_name",
            Class::Invalid,
        ),
        (
            ChangeProblem::NotATenant { name: name() },
            "not_a_tenant",
            Class::Invalid,
        ),
        (
            ChangeProblem::TenantRoot { name: name() },
            "tenant_root",
            Class::Invalid,
        ),
        (
            ChangeProblem::CrossesTenants {
                entity: Entity::User,
                name: name(),
                tenant: name(),
                other_tenant: name(),
            },
            "crosses_tenants",
            Class::NotFound,
        ),
        (
            ChangeProblem::Cycle {
                name: name(),
                parent: name(),
            },
            "cycle",
            Class::Invalid,
        ),
        (
            ChangeProblem::IneligibleRole {
                role: name(),
                user: name(),
                user_type: clearance::UserType::Public,
            },
            "ineligible",
            Class::Invalid,
        ),
        (
            ChangeProblem::ChannelsNotAllowed {
                user: name(),
                user_type: clearance::UserType::Interface,
                extra: clearance::Channels::WEB,
            },
            "channels_not_allowed",
            Class::Invalid,
        ),
        (
            ChangeProblem::TooManyTeams {
                user: name(),
                max: 1,
            },
            "too_many_teams",
            Class::Invalid,
        ),
        (
            ChangeProblem::TooMany {
                entity: Entity::User,
                max: 1,
            },
            "too_many",
            Class::Invalid,
        ),
        (
            ChangeProblem::AlreadyMember {
                user: name(),
                team: name(),
            },
            "already_member",
            Class::Invalid,
        ),
        (
            ChangeProblem::NotInTeam {
                user: name(),
                team: name(),
            },
            "not_in_team",
            Class::NotFound,
        ),
        (
            ChangeProblem::WrongStatus {
                user: name(),
                status: Status::Suspended,
                expected: "active",
            },
            "wrong_status",
            Class::Invalid,
        ),
        (
            ChangeProblem::InvitationExpired { user: name() },
            "expired_invitation",
            Class::Invalid,
        ),
        (
            ChangeProblem::SeatsExceeded { limit: 1, used: 2 },
            "seat_limit",
            Class::Invalid,
        ),
        (
            ChangeProblem::AlreadyGranted,
            "already_granted",
            Class::Invalid,
        ),
        (ChangeProblem::NotGranted, "not_granted", Class::NotFound),
        (
            ChangeProblem::InUse {
                entity: Entity::Role,
                name: name(),
                by: name(),
            },
            "in_use",
            Class::Invalid,
        ),
        (
            ChangeProblem::AlreadyRevoked {
                entity: Entity::Key,
                name: name(),
            },
            "already_revoked",
            Class::Invalid,
        ),
        (
            ChangeProblem::RevisionLimit { revision: 1 },
            "revision_limit",
            Class::Invalid,
        ),
        (
            ChangeProblem::AlreadyExpired { user: name() },
            "already_expired",
            Class::Invalid,
        ),
        (
            ChangeProblem::Protected {
                user: name(),
                what: name(),
            },
            "protected",
            Class::Invalid,
        ),
        (
            ChangeProblem::RequiredRole {
                user: name(),
                role: name(),
            },
            "required_role",
            Class::Invalid,
        ),
        (
            ChangeProblem::Invalid(clearance::Problem::DuplicateName {
                entity: Entity::Role,
                name: name(),
            }),
            "invalid_model",
            Class::Invalid,
        ),
    ]
}

#[test]
fn every_reason_has_its_stable_code_and_class() {
    for (reason, code, class) in reasons() {
        assert_eq!(reason.code(), code, "{reason:?}");
        assert_eq!(reason.class(), class, "{reason:?}");
        assert_eq!(reason.is_allowed(), class == Class::Allowed, "{reason:?}");
    }
}

#[test]
fn every_change_problem_has_its_stable_code_and_class_and_a_refusal_takes_its_reasons() {
    for (problem, code, class) in problems() {
        assert_eq!(problem.code(), code, "{problem:?}");
        assert_eq!(problem.class(), class, "{problem:?}");
    }
    for (reason, code, class) in reasons() {
        let refused = ChangeProblem::Refused {
            author: "ann".into(),
            reason,
            explanation: String::new(),
        };
        assert_eq!(
            (refused.code(), refused.class()),
            (code, class),
            "{reason:?}"
        );
    }
}

#[test]
fn codes_are_unique_across_reasons_and_change_problems() {
    let mut seen = HashSet::new();
    for code in reasons()
        .into_iter()
        .map(|r| r.1)
        .chain(problems().into_iter().map(|p| p.1))
    {
        assert!(seen.insert(code), "{code} is used twice");
        assert!(
            code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{code} is not snake_case"
        );
    }
}

/// The class never tells what `for_caller` hides.
#[test]
fn what_for_caller_hides_keeps_its_class() {
    for (reason, _, class) in reasons() {
        assert_eq!(reason.for_caller().class(), class, "{reason:?}");
    }
    for (problem, _, class) in problems() {
        assert_eq!(problem.for_caller().class(), class, "{problem:?}");
    }
}

#[test]
fn each_class_answers_with_its_http_status() {
    let table = [
        (Class::Allowed, "allowed", 200),
        (Class::Unauthenticated, "unauthenticated", 401),
        (Class::NotFound, "not_found", 404),
        (Class::Forbidden, "forbidden", 403),
        (Class::Invalid, "invalid", 422),
    ];
    assert_eq!(table.len(), Class::ALL.len());
    for (class, code, status) in table {
        assert_eq!(
            (
                class.code(),
                class.to_string().as_str(),
                class.http_status()
            ),
            (code, code, status)
        );
    }
}

/// Two tenants. In acme: ann (team ops, admin on acme, a deny of editor
/// for ops on drafts), bo, a key and a link. In globex: a secret folder.
fn policy() -> Policy {
    PolicyBuilder::new()
        .tenant("acme", K::Organization)
        .tenant("globex", K::Organization)
        .resource("drafts", K::Folder, "acme")
        .resource("plan", K::Flow, "drafts")
        .resource("secret", K::Folder, "globex")
        .role(Role::new("admin").allow_everywhere(P::VIEW | P::EDIT | P::MANAGE_MEMBERS))
        .role(Role::new("editor").allow_everywhere(P::EDIT))
        .team("ops", "acme")
        .team("spies", "globex")
        .user(User::new("ann", "acme").member_of("ops"))
        .user(User::new("bo", "acme"))
        .user(User::new("sus", "acme").status(Status::Suspended))
        .user(User::new("gil", "globex"))
        .grant(Grantee::team("ops"), "acme", "admin", Effect::Allow)
        .grant(Grantee::team("ops"), "drafts", "editor", Effect::Deny)
        .grant(Grantee::Public, "plan", "admin", Effect::Allow)
        .api_key(ApiKey::new("ci", "ann").scope(P::VIEW).within("drafts"))
        .api_key(ApiKey::new("old", "ann").revoked(true))
        .link(PublicLink::new("share", "plan", P::VIEW))
        .build()
        .expect("the model builds")
}

fn subjects(policy: &Policy) -> Vec<Subject> {
    let user = |name: &str| policy.user_id(name).expect("user");
    vec![
        Subject::user(user("ann"), Channel::Web).at(NOW),
        Subject::user(user("bo"), Channel::Web).at(NOW),
        Subject::user(user("sus"), Channel::Web).at(NOW),
        Subject::user(user("ann"), Channel::Web),
        Subject::user(UserId::from_index(99), Channel::Web).at(NOW),
        Subject::key(policy.key_id("ci").expect("key")).at(NOW),
        Subject::key(policy.key_id("old").expect("key")).at(NOW),
        Subject::link(policy.link_id("share").expect("link")).at(NOW),
    ]
}

#[test]
fn a_denial_is_explained_to_its_caller_with_names() {
    let policy = policy();
    let ann = subjects(&policy)[0];
    let plan = policy.resource_id("plan").expect("plan");
    let told = policy.explain_for_caller(policy.authorize(&ann, Action::Edit, plan));
    assert!(!told.allowed());
    assert_eq!((told.code(), told.class()), ("denied", Class::Forbidden));
    assert_eq!(
        told.message(),
        r#"access was explicitly denied to team "ops" on folder "drafts""#
    );

    let allowed = policy.explain_for_caller(policy.authorize(&ann, Action::View, plan));
    assert!(allowed.allowed());
    assert_eq!(
        (allowed.code(), allowed.class()),
        ("granted", Class::Allowed)
    );
    assert_eq!(
        allowed.message(),
        r#"team "ops" holds the role "admin" on organization "acme""#
    );
}

#[cfg(feature = "serde")]
#[test]
fn a_caller_explanation_serializes_as_allowed_code_and_message() {
    let policy = policy();
    let ann = subjects(&policy)[0];
    let secret = policy.resource_id("secret").expect("secret");
    let told = policy.explain_for_caller(policy.authorize(&ann, Action::View, secret));
    assert_eq!(
        serde_json::to_string(&told).unwrap(),
        r#"{"allowed":false,"code":"unknown_resource","message":"the resource is not known to this policy"}"#
    );
}

proptest! {
    /// Another tenant's resource and one that does not exist read the
    /// same to every caller, byte for byte, whatever is asked.
    #[test]
    fn another_tenants_resource_reads_as_a_missing_one(
        who in 0usize..8,
        action in 0usize..Action::ALL.len(),
        missing in 5u32..u32::MAX,
    ) {
        let policy = policy();
        let subject = subjects(&policy)[who];
        let action = Action::ALL[action];
        for theirs in ["globex", "secret"] {
            let theirs = policy.resource_id(theirs).expect("resource");
            let told = policy.explain_for_caller(policy.authorize(&subject, action, theirs));
            let nowhere = policy.explain_for_caller(
                policy.authorize(&subject, action, ResourceId::from_index(missing)),
            );
            prop_assert_eq!(&told, &nowhere);
            prop_assert!(!told.message().contains("globex") && !told.message().contains("secret"));
        }
    }

    /// A caller's explanation names entities, never `#id`.
    #[test]
    fn caller_explanations_name_entities_not_ids(who in 0usize..8, action in 0usize..Action::ALL.len()) {
        let policy = policy();
        let subject = subjects(&policy)[who];
        for resource in policy.resources() {
            let told = policy.explain_for_caller(policy.authorize(&subject, Action::ALL[action], resource));
            prop_assert!(!told.message().contains('#'), "{}", told.message());
        }
    }
}

fn grant(grantee: Grantee, scope: &str, role: &str, effect: Effect, by: &str) -> Change {
    Change::Grant {
        grantee,
        scope: scope.into(),
        role: role.into(),
        effect,
        when: Condition::Always,
        by: Some(Author::web(by, NOW)),
    }
}

#[test]
fn a_refused_change_names_entities_by_name() {
    let mut policy = policy();
    // ann holds EDIT on acme, but her team's deny takes it on drafts.
    let error = policy
        .apply(grant(
            Grantee::user("bo"),
            "acme",
            "editor",
            Effect::Allow,
            "ann",
        ))
        .unwrap_err();
    assert_eq!(
        (error.code(), error.class()),
        ("restricted_below", Class::Forbidden)
    );
    assert_eq!(
        error.problem().to_string(),
        r#""ann" may not make this change: the change reaches folder "drafts", where a restriction of team "ops" leaves its author without some of what it gives"#
    );
    assert!(!error.problem().to_string().contains('#'));
    let told = error.to_caller();
    assert_eq!(told.message(), error.problem().to_string());
    assert_eq!(
        (told.code(), told.class(), told.allowed()),
        ("restricted_below", Class::Forbidden, false)
    );

    // No one lifts a restriction placed on himself.
    let mut revoke = grant(
        Grantee::team("ops"),
        "drafts",
        "editor",
        Effect::Deny,
        "ann",
    );
    if let Change::Grant {
        grantee,
        scope,
        role,
        effect,
        by,
        ..
    } = revoke
    {
        revoke = Change::Revoke {
            grantee,
            scope,
            role,
            effect,
            by,
        };
    }
    let error = policy.apply(revoke).unwrap_err();
    assert_eq!(
        error.to_caller().message(),
        r#""ann" may not make this change: the restriction of team "ops" on folder "drafts" applies to the author, who may not lift it"#
    );
}

#[test]
fn a_change_about_another_tenant_reads_to_its_author_as_one_about_a_missing_name() {
    let mut policy = policy();
    let cases = [
        (
            Grantee::user("bo"),
            "secret",
            Grantee::user("bo"),
            "nowhere",
            ("secret", "nowhere"),
        ),
        (
            Grantee::user("gil"),
            "acme",
            Grantee::user("nobody"),
            "acme",
            ("gil", "nobody"),
        ),
        (
            Grantee::team("spies"),
            "acme",
            Grantee::team("nobody"),
            "acme",
            ("spies", "nobody"),
        ),
    ];
    for (their_grantee, their_scope, no_grantee, no_scope, (their_name, no_name)) in cases {
        let theirs = policy
            .apply(grant(
                their_grantee,
                their_scope,
                "editor",
                Effect::Allow,
                "ann",
            ))
            .unwrap_err();
        let missing = policy
            .apply(grant(no_grantee, no_scope, "editor", Effect::Allow, "ann"))
            .unwrap_err();
        assert_eq!(theirs.code(), "crosses_tenants");
        let (told, nowhere) = (theirs.to_caller(), missing.to_caller());
        assert_eq!(
            (told.code(), told.class()),
            ("unknown_name", Class::NotFound)
        );
        assert_eq!(
            (nowhere.code(), nowhere.class()),
            ("unknown_name", Class::NotFound)
        );
        // The author's own words are echoed; the other tenant never is.
        assert!(!told.message().contains("globex"), "{}", told.message());
        assert_eq!(
            told.message().replace(their_name, no_name),
            nowhere.message()
        );
    }
}

#[test]
fn malformed_and_conflicting_changes_are_invalid() {
    let mut policy = policy();
    let error = policy
        .apply(Change::AddTeam {
            name: "ops".into(),
            tenant: "acme".into(),
        })
        .unwrap_err();
    assert_eq!(
        (error.code(), error.class()),
        ("duplicate_name", Class::Invalid)
    );
    let error = policy
        .apply(Change::Grant {
            grantee: Grantee::team("ops"),
            scope: "acme".into(),
            role: "admin".into(),
            effect: Effect::Allow,
            when: Condition::Always,
            by: None,
        })
        .unwrap_err();
    assert_eq!(
        (error.code(), error.class()),
        ("already_granted", Class::Invalid)
    );
    assert_eq!(error.to_caller().message(), "the grant exists already");
}

#[test]
fn a_caller_message_is_bounded_whatever_the_caller_sent() {
    let mut policy = policy();
    // A grant to a user whose made-up name is 100,000 bytes (and multi-byte,
    // so that the cut must find a character boundary).
    let long = "é".repeat(50_000);
    let error = policy
        .apply(grant(
            Grantee::user(long.as_str()),
            "drafts",
            "editor",
            Effect::Allow,
            "ann",
        ))
        .expect_err("no such user");
    let told = error.to_caller();
    assert_eq!(told.code(), "unknown_name");
    assert!(told.message().len() <= clearance::CallerExplanation::MAX_MESSAGE);
    assert!(told.message().ends_with('…'), "{}", told.message());
    // The host's own error keeps the whole name, for its logs.
    assert!(error.to_string().len() > 100_000);
}

#[test]
fn a_taken_name_tells_its_author_that_it_is_taken_not_by_whom() {
    let mut policy = policy();
    // "secret" is globex's folder; ann of acme tries the name for hers.
    let error = policy
        .apply(Change::AddResource {
            name: "secret".into(),
            kind: K::Folder,
            parent: Some("acme".into()),
        })
        .expect_err("names are one namespace per policy");
    let told = error.to_caller();
    assert_eq!(
        (told.code(), told.class()),
        ("duplicate_name", Class::Invalid)
    );
    assert!(!told.message().contains("globex"), "{}", told.message());
}
