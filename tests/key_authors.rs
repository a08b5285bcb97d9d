//! API keys as authors of changes: an [`Author`] is a user or a key, and a
//! key gives, or gives back, only what it may do itself: within its scope,
//! inside its subtree, while it is neither revoked nor expired and its
//! owner may act, and never lifting its owner's own restrictions. A public
//! link never authors. (The property that an accepted change gives no one
//! anything its author, user or key, lacks is in
//! `tests/attack_author_authority.rs`.)

mod common;

use clearance::{
    ApiKey, Author, AuthorCredential, Change, ChangeProblem, Channel, Channels, Condition,
    Credentials, Effect, Entity, Grantee, Permissions as P, Policy, PolicyBuilder, PublicLink,
    Reason, ResourceKind as K, Role, Subject, User,
};

use common::{build, key_id, link_id, resource, user_id};

const NOW: u64 = 1_700_000_000;

/// acme / ws / f / flow, acme / ws / g, acme / other; ann administers
/// acme, save that she may not edit "flow" (her own deny); bob holds
/// nothing. Ann's keys: "members" (view, edit, manage members), "f-only"
/// (everything, within f), "viewing" (view only), "expired", "revoked",
/// "soon" (expires after NOW).
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("f", K::Folder, "ws")
            .resource("flow", K::Flow, "f")
            .resource("g", K::Folder, "ws")
            .resource("other", K::Workspace, "acme")
            .role(Role::new("admin").allow_everywhere(P::all()))
            .role(Role::new("viewer").allow_everywhere(P::VIEW))
            .role(Role::new("editor").allow_everywhere(P::VIEW | P::EDIT))
            .role(Role::new("deleter").allow_everywhere(P::DELETE))
            .role(Role::new("edit").allow_everywhere(P::EDIT))
            .user(User::new("ann", "acme"))
            .user(User::new("bob", "acme"))
            .grant(Grantee::user("ann"), "acme", "admin", Effect::Allow)
            .grant(Grantee::user("ann"), "flow", "edit", Effect::Deny)
            .api_key(ApiKey::new("members", "ann").scope(P::VIEW | P::EDIT | P::MANAGE_MEMBERS))
            .api_key(ApiKey::new("f-only", "ann").within("f"))
            .api_key(ApiKey::new("viewing", "ann").scope(P::VIEW))
            .api_key(ApiKey::new("expired", "ann").expires_at(NOW))
            .api_key(ApiKey::new("revoked", "ann").revoked(true))
            .api_key(ApiKey::new("soon", "ann").expires_at(NOW + 1))
            .link(PublicLink::new("share", "ws", P::all())),
    )
}

fn grant(role: &str, scope: &str, by: Author) -> Change {
    Change::Grant {
        grantee: Grantee::user("bob"),
        scope: scope.into(),
        role: role.into(),
        effect: Effect::Allow,
        when: Condition::Always,
        by: Some(by),
    }
}

/// What `apply` says to `change` on a fresh model: `Ok(())`, or the problem.
/// A refusal's named explanation is left out (its text is the business of
/// tests/caller_explanations.rs): the rows compare the author and reason.
fn outcome(change: Change) -> Result<(), ChangeProblem> {
    let mut policy = model();
    policy
        .apply(change)
        .map(|_| ())
        .map_err(|error| problem(&error))
}

/// The problem of a refused change, its named explanation left out.
fn problem(error: &clearance::ChangeError) -> ChangeProblem {
    match error.problem() {
        ChangeProblem::Refused { author, reason, .. } => ChangeProblem::Refused {
            author: author.clone(),
            reason: *reason,
            explanation: String::new(),
        },
        other => other.clone(),
    }
}

fn refused(author: &str, reason: Reason) -> Result<(), ChangeProblem> {
    Err(ChangeProblem::Refused {
        author: author.into(),
        reason,
        explanation: String::new(),
    })
}

#[test]
fn a_key_grants_only_what_it_may_do_itself_where_it_may_do_it() {
    let everything_but = |given: P| P::all() - given;
    let rows: Vec<(&str, &str, &str, Result<(), ChangeProblem>)> = vec![
        // key, role granted to bob, scope, outcome
        ("members", "viewer", "ws", Ok(())),
        ("members", "editor", "g", Ok(())),
        // Beyond the key's scope, though its owner holds it all.
        (
            "members",
            "admin",
            "ws",
            refused(
                "members",
                Reason::WouldEscalate {
                    missing: everything_but(P::VIEW | P::EDIT | P::MANAGE_MEMBERS),
                },
            ),
        ),
        (
            "members",
            "deleter",
            "g",
            refused("members", Reason::WouldEscalate { missing: P::DELETE }),
        ),
        // The owner's own restriction below the scope binds the key too.
        (
            "members",
            "editor",
            "ws",
            refused(
                "members",
                Reason::RestrictedBelow {
                    at: resource(&model(), "flow"),
                    principal: clearance::Principal::User(user_id(&model(), "ann")),
                },
            ),
        ),
        // Inside its subtree, everything its owner holds there.
        ("f-only", "admin", "f", refused_below_flow("f-only")),
        ("f-only", "deleter", "f", Ok(())),
        // Outside its subtree, nothing, not even above it.
        (
            "f-only",
            "viewer",
            "g",
            refused("f-only", Reason::KeyOutOfScope),
        ),
        (
            "f-only",
            "viewer",
            "ws",
            refused("f-only", Reason::KeyOutOfScope),
        ),
        // A key that may not manage members grants nothing.
        (
            "viewing",
            "viewer",
            "ws",
            refused(
                "viewing",
                Reason::KeyLacks {
                    missing: P::MANAGE_MEMBERS,
                },
            ),
        ),
        // A key that may not act authors nothing.
        (
            "expired",
            "viewer",
            "ws",
            refused("expired", Reason::KeyExpired),
        ),
        (
            "revoked",
            "viewer",
            "ws",
            refused("revoked", Reason::KeyRevoked),
        ),
        ("soon", "viewer", "ws", Ok(())),
        (
            "nope",
            "viewer",
            "ws",
            Err(ChangeProblem::Unknown {
                entity: Entity::Key,
                name: "nope".into(),
            }),
        ),
    ];
    for (row, (key, role, scope, expected)) in rows.into_iter().enumerate() {
        let got = outcome(grant(role, scope, Author::key(key, NOW)));
        assert_eq!(got, expected, "row {row}: {key} grants {role} on {scope}");
    }
}

/// Ann's deny of "edit" on flow, below f: what an admin grant on f meets.
fn refused_below_flow(key: &str) -> Result<(), ChangeProblem> {
    let policy = model();
    refused(
        key,
        Reason::RestrictedBelow {
            at: resource(&policy, "flow"),
            principal: clearance::Principal::User(user_id(&policy, "ann")),
        },
    )
}

#[test]
fn a_key_of_an_owner_who_may_not_act_authors_nothing() {
    for (change, reason) in [
        (
            Change::Suspend {
                user: "ann".into(),
                by: None,
            },
            Reason::Suspended,
        ),
        (
            Change::Deactivate {
                user: "ann".into(),
                by: None,
            },
            Reason::Deactivated,
        ),
    ] {
        let mut policy = model();
        assert!(policy.apply(change.clone()).is_ok(), "{change}");
        let error = policy
            .apply(grant("viewer", "ws", Author::key("members", NOW)))
            .map(|_| ())
            .map_err(|error| problem(&error));
        assert_eq!(error, refused("members", reason), "after {change}");
    }
}

#[test]
fn a_removed_key_or_a_key_of_a_removed_owner_is_an_unknown_author() {
    for removal in [
        Change::RemoveKey {
            name: "members".into(),
        },
        Change::RemoveUser {
            name: "ann".into(),
            by: None,
        },
    ] {
        let mut policy = model();
        assert!(policy.apply(removal.clone()).is_ok(), "{removal}");
        let error = policy
            .apply(grant("viewer", "ws", Author::key("members", NOW)))
            .map(|_| ())
            .map_err(|error| problem(&error));
        assert_eq!(
            error,
            Err(ChangeProblem::Unknown {
                entity: Entity::Key,
                name: "members".into()
            }),
            "after {removal}"
        );
    }
}

#[test]
fn a_key_author_without_a_time_is_refused_what_expires() {
    let got = outcome(grant("viewer", "ws", Author::key("soon", u64::MAX)));
    assert_eq!(got, refused("soon", Reason::TimeUnknown));
    // A key without an expiry needs no time.
    let got = outcome(grant("viewer", "ws", Author::key("members", u64::MAX)));
    assert_eq!(got, Ok(()));
}

#[test]
fn a_key_author_passes_an_mfa_guard_only_when_the_host_vouches_for_it() {
    let guarded = |author: Author| {
        let mut policy = model();
        let guard = policy.apply(Change::SetMfaRequired(P::MANAGE_MEMBERS));
        assert!(guard.is_ok(), "{guard:?}");
        policy
            .apply(grant("viewer", "ws", author))
            .map(|_| ())
            .map_err(|error| problem(&error))
    };
    assert_eq!(
        guarded(Author::key("members", NOW)),
        refused(
            "members",
            Reason::MfaRequired {
                missing: P::MANAGE_MEMBERS
            }
        )
    );
    assert_eq!(guarded(Author::key("members", NOW).with_mfa(true)), Ok(()));
}

#[test]
fn a_key_author_acts_through_the_api_whatever_channel_it_names() {
    // Ann may use the web portal only: her keys may not act at all.
    let mut policy = build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .role(Role::new("admin").allow_everywhere(P::all()))
            .user(User::new("ann", "acme").channels(Channels::WEB))
            .user(User::new("bob", "acme"))
            .grant(Grantee::user("ann"), "acme", "admin", Effect::Allow)
            .api_key(ApiKey::new("ci", "ann")),
    );
    let claims_web = Author {
        channel: Channel::Web,
        ..Author::key("ci", NOW)
    };
    let error = policy
        .apply(grant("admin", "acme", claims_web))
        .map(|_| ())
        .map_err(|error| problem(&error));
    assert_eq!(
        error,
        refused(
            "ci",
            Reason::ChannelNotAllowed {
                channel: Channel::Api
            }
        )
    );
}

#[test]
fn a_key_revokes_only_inside_its_subtree_and_never_its_owners_restriction() {
    let revoke = |grantee: Grantee, scope: &str, role: &str, effect: Effect, key: &str| {
        let mut policy = model();
        let setup = policy.apply(Change::Grant {
            grantee: Grantee::user("bob"),
            scope: "g".into(),
            role: "viewer".into(),
            effect: Effect::Allow,
            when: Condition::Always,
            by: None,
        });
        assert!(setup.is_ok(), "{setup:?}");
        policy
            .apply(Change::Revoke {
                grantee,
                scope: scope.into(),
                role: role.into(),
                effect,
                by: Some(Author::key(key, NOW)),
            })
            .map(|_| ())
            .map_err(|error| problem(&error))
    };
    let bob = || Grantee::user("bob");
    let ann = || Grantee::user("ann");
    assert_eq!(
        revoke(bob(), "g", "viewer", Effect::Allow, "members"),
        Ok(())
    );
    assert_eq!(
        revoke(bob(), "g", "viewer", Effect::Allow, "f-only"),
        refused("f-only", Reason::KeyOutOfScope)
    );
    let policy = model();
    assert_eq!(
        revoke(ann(), "flow", "edit", Effect::Deny, "f-only"),
        refused(
            "f-only",
            Reason::OwnRestriction {
                at: resource(&policy, "flow"),
                principal: clearance::Principal::User(user_id(&policy, "ann")),
            }
        )
    );
}

#[test]
fn an_author_is_made_from_any_subject_but_a_link() {
    let policy = model();
    let ann = user_id(&policy, "ann");
    let members = key_id(&policy, "members");
    let rows: &[(Subject, Option<Author>)] = &[
        (
            Subject::user(ann, Channel::App).with_mfa(true).at(NOW),
            Some(Author {
                channel: Channel::App,
                ..Author::web("ann", NOW).with_mfa(true)
            }),
        ),
        (
            Subject::key(members).at(NOW),
            Some(Author::key("members", NOW)),
        ),
        (
            Subject::key(members).with_mfa(true).at(NOW),
            Some(Author::key("members", NOW).with_mfa(true)),
        ),
        // No time: the author has none either.
        (
            Subject::key(members),
            Some(Author::key("members", u64::MAX)),
        ),
        // A link never authors; an id the policy does not hold is no one.
        (Subject::link(link_id(&policy, "share")).at(NOW), None),
        (
            Subject::user(clearance::UserId::from_index(99), Channel::Web).at(NOW),
            None,
        ),
        (Subject::key(clearance::KeyId::from_index(99)).at(NOW), None),
    ];
    for (row, (subject, expected)) in rows.iter().enumerate() {
        assert_eq!(
            Author::from_subject(&policy, subject),
            *expected,
            "row {row}"
        );
    }
}

#[test]
fn a_removed_subject_makes_no_author() {
    let mut policy = model();
    let members = Subject::key(key_id(&policy, "members")).at(NOW);
    let bob = Subject::user(user_id(&policy, "bob"), Channel::Web).at(NOW);
    for change in [
        Change::RemoveKey {
            name: "members".into(),
        },
        Change::RemoveUser {
            name: "bob".into(),
            by: None,
        },
    ] {
        assert!(policy.apply(change.clone()).is_ok(), "{change}");
    }
    assert_eq!(Author::from_subject(&policy, &members), None);
    assert_eq!(Author::from_subject(&policy, &bob), None);
}

#[test]
fn the_author_of_a_resolved_key_is_checked_as_that_key() {
    // From the request's credentials to an authored change, as a host does.
    let mut policy = model();
    let subject = match policy.resolve(Credentials::key("members", NOW)) {
        Ok(subject) => subject,
        Err(error) => panic!("{error}"),
    };
    let Some(author) = Author::from_subject(&policy, &subject) else {
        panic!("a key authors");
    };
    assert_eq!(author.credential, AuthorCredential::Key("members".into()));
    let bob = user_id(&policy, "bob");
    let ws = resource(&policy, "ws");
    let viewer = clearance::Grant {
        principal: clearance::Principal::User(bob),
        scope: ws,
        role: common::role_id(&policy, "viewer"),
        effect: Effect::Allow,
    };
    assert!(policy.can_grant(&subject, &viewer).is_allowed());
    assert!(policy.apply(grant("viewer", "ws", author.clone())).is_ok());
    let admin = clearance::Grant {
        role: common::role_id(&policy, "admin"),
        ..viewer
    };
    let decision = policy.can_grant(&subject, &admin);
    let error = policy
        .apply(grant("admin", "ws", author))
        .map(|_| ())
        .map_err(|error| problem(&error));
    assert_eq!(error, refused("members", decision.reason()));
}

#[cfg(feature = "serde")]
mod serialized {
    use super::*;

    #[test]
    fn an_author_is_a_user_or_a_key_by_name_and_reads_back_equal() {
        let rows = [
            (
                Author::web("ann", 7),
                r#"{"user":"ann","channel":"web","mfa":false,"at":7}"#,
            ),
            (
                Author::key("ci", 7).with_mfa(true),
                r#"{"key":"ci","channel":"api","mfa":true,"at":7}"#,
            ),
        ];
        for (author, json) in rows {
            assert_eq!(serde_json::to_string(&author).ok().as_deref(), Some(json));
            assert_eq!(serde_json::from_str::<Author>(json).ok(), Some(author));
        }
    }

    #[test]
    fn an_author_written_before_keys_could_author_reads_the_same() {
        let old = r#"{"user":"ann","channel":"web","at":0}"#;
        assert_eq!(
            serde_json::from_str::<Author>(old).ok(),
            Some(Author::web("ann", 0))
        );
    }

    #[test]
    fn an_author_names_exactly_one_user_or_key_and_no_unknown_field() {
        let rows = [
            (
                r#"{"user":"ann","key":"ci","channel":"web","at":0}"#,
                "not both",
            ),
            (r#"{"channel":"web","at":0}"#, "names a `user` or a `key`"),
            (r#"{"link":"share","channel":"link","at":0}"#, "link"),
            (
                r#"{"key":"ci","channel":"api","at":0,"scope":"VIEW"}"#,
                "scope",
            ),
        ];
        for (json, says) in rows {
            match serde_json::from_str::<Author>(json) {
                Ok(author) => panic!("{json} read as {author:?}"),
                Err(error) => assert!(error.to_string().contains(says), "{json}: {error}"),
            }
        }
    }
}
