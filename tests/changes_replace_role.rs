//! A role change is one change (issue 16, item 5): "Replacing the role a
//! principal holds at a scope is a single `Change`, checked as a whole: an
//! author changing his own role does not lose his right to finish
//! halfway, and the result is checked against escalation like a grant."

mod common;

use clearance::{
    Action, Author, Change, ChangeProblem, Condition, Effect, Grantee, Permissions as P, Reason,
};
use common::changes::{apply, model, refused, revoke_change};
use common::{resource, user};

fn replace(grantee: Grantee, scope: &str, from: &str, to: &str, by: Option<Author>) -> Change {
    Change::ReplaceRole {
        grantee,
        scope: scope.into(),
        from: from.into(),
        to: to.into(),
        effect: Effect::Allow,
        when: Condition::Always,
        by,
    }
}

fn ann() -> Option<Author> {
    Some(Author::web("ann", 0))
}

#[test]
fn an_author_changing_his_own_role_keeps_the_right_to_finish() {
    let mut policy = model();
    // As two changes, the revoke takes away the MANAGE_MEMBERS the grant
    // needs: the batch is refused at its second change.
    let grant_editor = Change::Grant {
        grantee: Grantee::user("ann"),
        scope: "ws".into(),
        role: "editor".into(),
        effect: Effect::Allow,
        when: Condition::Always,
        by: ann(),
    };
    let mut revoke_own = revoke_change(Grantee::user("ann"), "ws", "ws-admin", Effect::Allow);
    if let Change::Revoke { by, .. } = &mut revoke_own {
        *by = ann();
    }
    let halfway = policy.apply_all([revoke_own, grant_editor]).unwrap_err();
    assert_eq!(halfway.index(), 1);
    assert!(
        matches!(halfway.problem(), ChangeProblem::Refused { .. }),
        "{halfway}"
    );
    // As one change, both halves are checked against the policy before it.
    apply(
        &mut policy,
        replace(Grantee::user("ann"), "ws", "ws-admin", "editor", ann()),
    );
    let ann_web = user(&policy, "ann").at(1);
    let ws = resource(&policy, "ws");
    assert!(!policy
        .authorize(&ann_web, Action::ManageMembers, ws)
        .is_allowed());
    assert!(policy
        .authorize(&ann_web, Action::Edit, resource(&policy, "folder"))
        .is_allowed());
}

#[test]
fn the_new_role_is_checked_against_escalation_like_a_grant() {
    let mut policy = model();
    // ann does not hold DELETE: she may not give it, even in exchange.
    let problem = refused(
        &mut policy,
        replace(Grantee::team("ops"), "ws", "editor", "deleter", ann()),
    );
    let ChangeProblem::Refused { reason, .. } = problem else {
        panic!("{problem}");
    };
    assert!(
        matches!(reason, Reason::WouldEscalate { missing } if missing.contains(P::DELETE)),
        "{reason:?}"
    );
    // Without an author (the host's own change) it applies.
    apply(
        &mut policy,
        replace(Grantee::team("ops"), "ws", "editor", "deleter", None),
    );
}

#[test]
fn a_replacement_is_refused_whole_when_either_half_is() {
    let mut policy = model();
    // bob does not hold viewer on ws himself (his team holds editor).
    assert_eq!(
        refused(
            &mut policy,
            replace(Grantee::user("bob"), "ws", "viewer", "editor", None),
        ),
        ChangeProblem::NotGranted
    );
    // ops holds editor; replacing viewer (not held) is refused too, and
    // replacing editor by editor under another condition changes it.
    assert_eq!(
        refused(
            &mut policy,
            replace(Grantee::team("ops"), "ws", "viewer", "editor", None),
        ),
        ChangeProblem::NotGranted
    );
    apply(
        &mut policy,
        Change::Grant {
            grantee: Grantee::team("ops"),
            scope: "ws".into(),
            role: "viewer".into(),
            effect: Effect::Allow,
            when: Condition::Always,
            by: None,
        },
    );
    assert_eq!(
        refused(
            &mut policy,
            replace(Grantee::team("ops"), "ws", "viewer", "editor", None),
        ),
        ChangeProblem::AlreadyGranted
    );
}

#[test]
fn a_replacement_reads_as_one_change() {
    let change = replace(Grantee::team("ops"), "ws", "editor", "viewer", None);
    assert_eq!(
        change.to_string(),
        r#"give team "ops" the role "viewer" instead of "editor" on "ws""#
    );
    #[cfg(feature = "serde")]
    {
        let json = r#"{"ReplaceRole": {"grantee": {"team": "ops"}, "scope": "ws",
            "from": "editor", "to": "viewer", "by": null}}"#;
        let read: Change = serde_json::from_str(json).unwrap();
        assert_eq!(read, change);
    }
}
