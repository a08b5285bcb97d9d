//! The account lifecycle, changed: invitations are accepted in time,
//! expired or revoked, and suspending, reactivating and deactivating follow
//! the lifecycle, every other status change being refused (DESIGN.md,
//! "Changing the model"; issue 3, "Changes").

mod common;

use clearance::{
    Action, Change, ChangeProblem, Effect, Grantee, Permissions as P, PolicyBuilder, Reason,
    ResourceKind as K, Role, Status, User,
};
use common::changes::{
    accept, apply, deactivate, expire, model, reactivate, refused, revoke_invitation, suspend,
    EXPIRY,
};
use common::{
    assert_decision, assert_gets_nothing, assert_nothing_dangles, build, check, resource, user,
    user_id, By, Expected,
};

#[test]
fn an_invited_user_holds_nothing_until_it_accepts_in_time() {
    let mut policy = model();
    apply(
        &mut policy,
        Change::Invite {
            // The invitation replaces whatever status the user declares.
            user: User::new("ivo", "acme")
                .member_of("ops")
                .status(Status::Suspended),
            until: EXPIRY,
        },
    );
    let ivo = user(&policy, "ivo");
    assert_gets_nothing(&policy, &ivo, "flow", Reason::InvitationPending);
    assert_gets_nothing(
        &policy,
        &ivo.at(EXPIRY - 1),
        "flow",
        Reason::InvitationPending,
    );
    assert_gets_nothing(&policy, &ivo.at(EXPIRY), "flow", Reason::InvitationExpired);
    apply(&mut policy, accept("ivo", EXPIRY - 1));
    let by_ops = Expected::Granted(By::Team("ops"), "ws", "editor").reason(&policy);
    assert_decision(&policy, &ivo, Action::Edit, "flow", by_ops);
    assert_decision(&policy, &ivo.at(EXPIRY + 1), Action::Edit, "flow", by_ops);
}

#[test]
fn accepting_at_or_after_the_expiry_is_refused_as_expired() {
    let mut policy = model();
    for at in [EXPIRY, EXPIRY + 1, u64::MAX] {
        assert_eq!(
            refused(&mut policy, accept("ivy", at)),
            ChangeProblem::InvitationExpired { user: "ivy".into() },
            "at {at}"
        );
    }
    assert_gets_nothing(
        &policy,
        &user(&policy, "ivy").at(EXPIRY),
        "ws",
        Reason::InvitationExpired,
    );
}

#[test]
fn expiring_an_invitation_expires_it_at_once() {
    let mut policy = model();
    apply(&mut policy, expire("ivy"));
    assert_gets_nothing(
        &policy,
        &user(&policy, "ivy"),
        "ws",
        Reason::InvitationExpired,
    );
    assert_eq!(
        refused(&mut policy, accept("ivy", 0)),
        ChangeProblem::InvitationExpired { user: "ivy".into() }
    );
}

#[test]
fn revoking_an_invitation_removes_the_invited_user() {
    let mut policy = model();
    let ivy = user(&policy, "ivy");
    let old = user_id(&policy, "ivy");
    apply(&mut policy, revoke_invitation("ivy"));
    assert_eq!(policy.user_id("ivy"), None);
    assert_gets_nothing(&policy, &ivy, "ws", Reason::UnknownSubject);
    apply(
        &mut policy,
        Change::Invite {
            user: User::new("ivy", "acme"),
            until: EXPIRY,
        },
    );
    assert_ne!(user_id(&policy, "ivy"), old, "user ids are never reused");
    assert_nothing_dangles(&policy);
}

/// A starting status, a lifecycle change, and what it must do.
type LifecycleRow = (Status, fn(&str) -> Change, Outcome);

/// What a lifecycle change does to a user.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    /// It applies, and the user's decision at time 0 is then this.
    Becomes(Expected),
    /// It is refused as the wrong status, which needs this.
    Refused(&'static str),
    /// It applies and removes the user.
    Removed,
}

#[test]
fn status_changes_follow_the_lifecycle() {
    use Outcome::{Becomes, Refused, Removed};
    let granted = Becomes(Expected::Granted(By::Team("staff"), "ws", "viewer"));
    let is = |reason| Becomes(Expected::Is(reason));
    let invited = Status::Invited { until: 100 };
    let suspend: fn(&str) -> Change = suspend;
    let reactivate: fn(&str) -> Change = reactivate;
    let deactivate: fn(&str) -> Change = deactivate;
    let accept: fn(&str) -> Change = |user| accept(user, 99);
    let expire: fn(&str) -> Change = expire;
    let revoke: fn(&str) -> Change = revoke_invitation;
    let rows: Vec<LifecycleRow> = vec![
        (Status::Active, suspend, is(Reason::Suspended)),
        (
            Status::Active,
            reactivate,
            Refused("suspended or deactivated"),
        ),
        (Status::Active, deactivate, is(Reason::Deactivated)),
        (Status::Active, accept, Refused("invited")),
        (Status::Active, expire, Refused("invited")),
        (Status::Active, revoke, Refused("invited")),
        (Status::Suspended, suspend, Refused("active")),
        (Status::Suspended, reactivate, granted),
        (Status::Suspended, deactivate, is(Reason::Deactivated)),
        (Status::Suspended, accept, Refused("invited")),
        (Status::Suspended, expire, Refused("invited")),
        (Status::Suspended, revoke, Refused("invited")),
        (Status::Deactivated, suspend, Refused("active")),
        (Status::Deactivated, reactivate, granted),
        (
            Status::Deactivated,
            deactivate,
            Refused("active or suspended"),
        ),
        (Status::Deactivated, accept, Refused("invited")),
        (Status::Deactivated, expire, Refused("invited")),
        (Status::Deactivated, revoke, Refused("invited")),
        (invited, suspend, Refused("active")),
        (invited, reactivate, Refused("suspended or deactivated")),
        // An invitation is expired or revoked, never deactivated: a
        // reactivation would skip accepting it.
        (invited, deactivate, Refused("active or suspended")),
        (invited, accept, granted),
        (invited, expire, is(Reason::InvitationExpired)),
        (invited, revoke, Removed),
    ];
    let mut failures = Vec::new();
    for (row, &(status, change, outcome)) in rows.iter().enumerate() {
        let mut policy = build(
            PolicyBuilder::new()
                .tenant("acme", K::Organization)
                .resource("ws", K::Workspace, "acme")
                .role(Role::new("viewer").allow([K::Workspace], P::VIEW))
                .team("staff", "acme")
                .user(User::new("u", "acme").member_of("staff").status(status))
                .grant(Grantee::team("staff"), "ws", "viewer", Effect::Allow),
        );
        let subject = user(&policy, "u");
        let change = change("u");
        let described = change.to_string();
        let before = policy.clone();
        let result = policy.apply(change);
        let ws = resource(&policy, "ws");
        let failure = match (outcome, result) {
            (Becomes(expected), Ok(_)) => check(
                &policy,
                &subject,
                Action::View,
                ws,
                expected.reason(&policy),
            )
            .err(),
            (Removed, Ok(_)) => check(&policy, &subject, Action::View, ws, Reason::UnknownSubject)
                .err()
                .or_else(|| {
                    policy
                        .user_id("u")
                        .map(|id| format!("{id:?} is still there"))
                }),
            (Refused(expected), Err(error)) => {
                let want = ChangeProblem::WrongStatus {
                    user: "u".into(),
                    status,
                    expected,
                };
                if *error.problem() != want {
                    Some(format!("refused with {:?}, not {want:?}", error.problem()))
                } else if policy != before {
                    Some("the refused change changed the policy".into())
                } else {
                    None
                }
            }
            (outcome, Ok(_)) => Some(format!("applied, but expected {outcome:?}")),
            (outcome, Err(error)) => Some(format!("{error}, but expected {outcome:?}")),
        };
        if let Some(failure) = failure {
            failures.push(format!("row {row} ({status:?}, {described}): {failure}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
