//! Attacks on the authority of an author (issue 13, items 3 and 4): a user
//! who may manage members tries to give himself, or someone else, more than
//! he holds, through an authorized [`Change::Grant`] or [`Change::Revoke`].
//!
//! - lifting a restriction placed on himself: his own deny, his team's,
//!   everyone's, or a narrowing override;
//! - lifting someone else's restriction that gives back what he lacks;
//! - granting on a folder a role that reaches, below it, resources where a
//!   deny or override leaves him without it;
//! - passing on unconditionally what he holds only under a condition.
//!
//! Then a property: on random models, whatever authored grant or revoke
//! `apply` accepts gives no one, anywhere it reaches, a permission its
//! author lacked there; the author being a user or one of his API keys
//! (limited in scope, and sometimes to a subtree).

// clippy.toml allows these in `#[test]` functions only; the property's
// helpers index the models they generated.
#![expect(
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers over generated models"
)]

mod common;
mod generate;
#[allow(dead_code, reason = "only the model and its names are used here")]
mod reference;

use clearance::{
    Action, ApiKey, Author, Change, ChangeProblem, Channel, Condition, Effect, Grant, Grantee,
    Labels, Permissions as P, Policy, PolicyBuilder, Principal, Reason, ResourceKind as K, Role,
    Status, Subject, User, UserType, UserTypes,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

use common::{build, resource, role_id, team_id, user, user_id};

const EU: Labels = Labels::bit(0);
const US: Labels = Labels::bit(1);

/// acme / ws / folder / sub / flow, and ws / folder / side. Everything is
/// labelled EU except "flow" (US). "mia" is in team "leads" and labelled
/// EU; "eve" is labelled EU, "uma" US, "ned" has no label. `extra`
/// declares the grants of each attack.
fn model(extra: impl FnOnce(&mut PolicyBuilder)) -> Policy {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .resource("folder", K::Folder, "ws")
        .resource("sub", K::Folder, "folder")
        .resource("flow", K::Flow, "sub")
        .resource("side", K::Flow, "folder")
        .role(Role::new("manager").allow(
            [K::Workspace, K::Folder, K::Flow],
            P::VIEW | P::EDIT | P::DELETE | P::MANAGE_MEMBERS,
        ))
        // A lead manages members and edits, but may not delete.
        .role(Role::new("lead").allow(
            [K::Workspace, K::Folder, K::Flow],
            P::VIEW | P::EDIT | P::MANAGE_MEMBERS,
        ))
        .role(Role::new("deleter").allow([K::Folder, K::Flow], P::DELETE))
        .role(Role::new("editor").allow([K::Folder, K::Flow], P::VIEW | P::EDIT))
        .role(Role::new("narrow").allow([K::Folder, K::Flow], P::VIEW))
        .team("leads", "acme")
        .user(User::new("mia", "acme").member_of("leads").labels(EU))
        .user(User::new("zed", "acme"))
        .user(User::new("ned", "acme"))
        .user(User::new("eve", "acme").labels(EU))
        .user(User::new("uma", "acme").labels(US));
    for name in ["ws", "folder", "sub", "side"] {
        builder.labels(name, EU);
    }
    builder.labels("flow", US);
    extra(&mut builder);
    build(&mut builder)
}

/// `name` through the web portal, with MFA (as [`Author`] is below).
fn web(policy: &Policy, name: &str) -> Subject {
    user(policy, name).with_mfa(true)
}

fn author(name: &str) -> Option<Author> {
    Some(Author {
        mfa: true,
        ..Author::web(name, 0)
    })
}

fn grant(by: &str, to: Grantee, scope: &str, role: &str, when: Condition) -> Change {
    Change::Grant {
        grantee: to,
        scope: scope.into(),
        role: role.into(),
        effect: Effect::Allow,
        when,
        by: author(by),
    }
}

fn revoke(by: &str, of: Grantee, scope: &str, role: &str, effect: Effect) -> Change {
    Change::Revoke {
        grantee: of,
        scope: scope.into(),
        role: role.into(),
        effect,
        by: author(by),
    }
}

/// The compiled grant of a principal, for `can_grant` and `can_revoke`.
fn compiled(policy: &Policy, to: Principal, scope: &str, role: &str, effect: Effect) -> Grant {
    Grant {
        principal: to,
        scope: resource(policy, scope),
        role: role_id(policy, role),
        effect,
    }
}

/// Applies a change that its author may not make, and returns why, after
/// checking that the policy did not change.
#[track_caller]
fn refused(policy: &mut Policy, change: Change) -> Reason {
    let before = policy.clone();
    let description = change.to_string();
    match policy.apply(change) {
        Ok(_) => panic!("{description}: applied, but its author may not make it"),
        Err(error) => {
            assert_eq!(*policy, before, "a refused change changed the policy");
            match error.problem() {
                ChangeProblem::Refused { reason, .. } => *reason,
                other => panic!("{description}: refused for another reason: {other}"),
            }
        }
    }
}

#[track_caller]
fn applies(policy: &mut Policy, change: Change) {
    let description = change.to_string();
    if let Err(error) = policy.apply(change) {
        panic!("{description}: {error}");
    }
}

#[track_caller]
fn may(policy: &Policy, who: &str, action: Action, on: &str) -> bool {
    policy
        .authorize(&web(policy, who), action, resource(policy, on))
        .is_allowed()
}

// ---- item 3: lifting a restriction ----

#[test]
fn an_author_may_not_lift_a_deny_placed_on_himself() {
    let cases = [
        (Grantee::user("mia"), "directly"),
        (Grantee::team("leads"), "through a team"),
        (Grantee::Everyone, "through everyone"),
    ];
    for (denied, how) in cases {
        let mut policy = model(|b| {
            b.grant(Grantee::user("mia"), "ws", "manager", Effect::Allow)
                .grant(Grantee::user("zed"), "ws", "manager", Effect::Allow)
                .grant(denied.clone(), "folder", "deleter", Effect::Deny);
        });
        let principal = match &denied {
            Grantee::User(_) => Principal::User(user_id(&policy, "mia")),
            Grantee::Team(_) => Principal::Team(team_id(&policy, "leads")),
            _ => Principal::Everyone,
        };
        let own = Reason::OwnRestriction {
            at: resource(&policy, "folder"),
            principal,
        };
        assert!(!may(&policy, "mia", Action::Delete, "flow"), "{how}");
        let deny = compiled(&policy, principal, "folder", "deleter", Effect::Deny);
        assert_eq!(policy.can_revoke(&web(&policy, "mia"), &deny).reason(), own);
        if how == "through a team" {
            assert_eq!(
                policy.explain(own).to_string(),
                "the restriction of team \"leads\" on folder \"folder\" applies to the \
                 author, who may not lift it"
            );
        }
        let lift = revoke("mia", denied.clone(), "folder", "deleter", Effect::Deny);
        assert_eq!(refused(&mut policy, lift), own, "{how}");
        assert!(!may(&policy, "mia", Action::Delete, "flow"), "{how}");
    }
}

#[test]
fn another_manager_may_lift_a_deny_that_does_not_apply_to_him() {
    let mut policy = model(|b| {
        b.grant(Grantee::user("mia"), "ws", "manager", Effect::Allow)
            .grant(Grantee::user("zed"), "ws", "manager", Effect::Allow)
            .grant(Grantee::team("leads"), "folder", "deleter", Effect::Deny);
    });
    applies(
        &mut policy,
        revoke(
            "zed",
            Grantee::team("leads"),
            "folder",
            "deleter",
            Effect::Deny,
        ),
    );
    assert!(may(&policy, "mia", Action::Delete, "flow"));
    // Everyone's restriction applies to every member: only the host (an
    // unauthorized revoke) lifts it.
    let mut policy = model(|b| {
        b.grant(Grantee::user("zed"), "ws", "manager", Effect::Allow)
            .grant(Grantee::Everyone, "folder", "deleter", Effect::Deny);
    });
    assert_eq!(
        refused(
            &mut policy,
            revoke("zed", Grantee::Everyone, "folder", "deleter", Effect::Deny)
        ),
        Reason::OwnRestriction {
            at: resource(&policy, "folder"),
            principal: Principal::Everyone
        }
    );
    applies(
        &mut policy,
        Change::Revoke {
            grantee: Grantee::Everyone,
            scope: "folder".into(),
            role: "deleter".into(),
            effect: Effect::Deny,
            by: None,
        },
    );
}

#[test]
fn an_author_may_not_lift_a_narrowing_override_placed_on_himself() {
    // mia's override holds her to viewing below "folder"; she still
    // manages members there through her team, which it does not cut.
    let mut policy = model(|b| {
        b.grant(Grantee::user("mia"), "ws", "manager", Effect::Allow)
            .grant(Grantee::user("mia"), "folder", "narrow", Effect::Override)
            .grant(Grantee::team("leads"), "folder", "lead", Effect::Allow);
    });
    assert!(!may(&policy, "mia", Action::Delete, "flow"));
    let lift = revoke(
        "mia",
        Grantee::user("mia"),
        "folder",
        "narrow",
        Effect::Override,
    );
    assert_eq!(
        refused(&mut policy, lift),
        Reason::OwnRestriction {
            at: resource(&policy, "folder"),
            principal: Principal::User(user_id(&policy, "mia"))
        }
    );
    assert!(!may(&policy, "mia", Action::Delete, "flow"));
}

#[test]
fn an_author_may_not_lift_an_everyone_override_that_a_closed_override_above_seems_to_void() {
    // Everyone administers acme; on "ws" an override of a role open to
    // native users only, which neither gives nor cuts anything for cole
    // (connected); on "f" an override to viewing, which cuts everyone's
    // administration for cole. Cole manages members of "f".
    let all_kinds = [K::Organization, K::Workspace, K::Folder, K::Flow];
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .resource("f", K::Folder, "ws")
        .resource("flow", K::Flow, "f")
        .role(Role::new("admin").allow(all_kinds, P::all()))
        .role(
            Role::new("nview")
                .allow(all_kinds, P::VIEW)
                .only_for(UserTypes::NATIVE),
        )
        .role(Role::new("viewer").allow(all_kinds, P::VIEW))
        .role(Role::new("mgr").allow(all_kinds, P::VIEW | P::MANAGE_MEMBERS))
        .user(User::new("cole", "acme").user_type(UserType::Connected))
        .user(User::new("ned", "acme"))
        .grant(Grantee::Everyone, "acme", "admin", Effect::Allow)
        .grant(Grantee::Everyone, "ws", "nview", Effect::Override)
        .grant(Grantee::Everyone, "f", "viewer", Effect::Override)
        .grant(Grantee::user("cole"), "f", "mgr", Effect::Allow);
    let mut policy = build(&mut builder);
    assert!(!may(&policy, "cole", Action::Delete, "flow"));
    // Removing the override on "f" gives cole back everyone's
    // administration: the one on "ws" does not cut it for him.
    let lift = revoke("cole", Grantee::Everyone, "f", "viewer", Effect::Override);
    assert_eq!(
        refused(&mut policy, lift),
        Reason::OwnRestriction {
            at: resource(&policy, "f"),
            principal: Principal::Everyone,
        }
    );
    assert!(!may(&policy, "cole", Action::Delete, "flow"));
}

#[test]
fn lifting_a_deny_is_checked_as_granting_what_it_restores() {
    // mia leads the workspace (no DELETE); ned may delete, except in "folder".
    let mut policy = model(|b| {
        b.grant(Grantee::user("mia"), "ws", "lead", Effect::Allow)
            .grant(Grantee::user("zed"), "ws", "manager", Effect::Allow)
            .grant(Grantee::user("ned"), "ws", "deleter", Effect::Allow)
            .grant(Grantee::user("ned"), "folder", "deleter", Effect::Deny);
    });
    let lift = || {
        revoke(
            "mia",
            Grantee::user("ned"),
            "folder",
            "deleter",
            Effect::Deny,
        )
    };
    let deny = compiled(
        &policy,
        Principal::User(user_id(&policy, "ned")),
        "folder",
        "deleter",
        Effect::Deny,
    );
    let escalation = Reason::WouldEscalate { missing: P::DELETE };
    assert_eq!(
        policy.can_revoke(&web(&policy, "mia"), &deny).reason(),
        escalation
    );
    assert_eq!(refused(&mut policy, lift()), escalation);
    assert!(!may(&policy, "ned", Action::Delete, "flow"));
    // Someone who may delete there may give it back.
    assert!(policy.can_revoke(&web(&policy, "zed"), &deny).is_allowed());
    applies(
        &mut policy,
        revoke(
            "zed",
            Grantee::user("ned"),
            "folder",
            "deleter",
            Effect::Deny,
        ),
    );
    assert!(may(&policy, "ned", Action::Delete, "flow"));
}

#[test]
fn lifting_a_narrowing_override_is_checked_as_granting_what_it_restores() {
    // ned manages the workspace, held to viewing in "folder" by an override.
    let mut policy = model(|b| {
        b.grant(Grantee::user("mia"), "ws", "lead", Effect::Allow)
            .grant(Grantee::user("ned"), "ws", "manager", Effect::Allow)
            .grant(Grantee::user("ned"), "folder", "narrow", Effect::Override)
            .grant(Grantee::user("eve"), "ws", "narrow", Effect::Allow)
            .grant(Grantee::user("eve"), "folder", "editor", Effect::Override);
    });
    // Lifting it gives back VIEW, EDIT, DELETE and MANAGE_MEMBERS less the
    // VIEW it gave: mia lacks DELETE.
    let lift = revoke(
        "mia",
        Grantee::user("ned"),
        "folder",
        "narrow",
        Effect::Override,
    );
    assert_eq!(
        refused(&mut policy, lift),
        Reason::WouldEscalate { missing: P::DELETE }
    );
    assert!(!may(&policy, "ned", Action::Delete, "flow"));
    // An override that gave at least as much as it cut restores nothing:
    // removing it only takes away.
    applies(
        &mut policy,
        revoke(
            "mia",
            Grantee::user("eve"),
            "folder",
            "editor",
            Effect::Override,
        ),
    );
    assert!(!may(&policy, "eve", Action::Edit, "flow"));
}

#[test]
fn a_conditional_deny_is_lifted_only_by_who_holds_what_it_restores_where_it_applied() {
    // ned's deny applies only where his labels meet the resource's: as he
    // has none, nowhere; eve's applies on the EU resources.
    let mut policy = model(|b| {
        b.grant_when(
            Grantee::user("mia"),
            "ws",
            "manager",
            Effect::Allow,
            Condition::LabelsIntersect,
        )
        .grant(Grantee::user("mia"), "ws", "lead", Effect::Allow)
        .grant(Grantee::user("eve"), "ws", "deleter", Effect::Allow)
        .grant(Grantee::user("uma"), "ws", "deleter", Effect::Allow)
        .grant_when(
            Grantee::user("eve"),
            "folder",
            "deleter",
            Effect::Deny,
            Condition::LabelsIntersect,
        )
        .grant_when(
            Grantee::user("uma"),
            "folder",
            "deleter",
            Effect::Deny,
            Condition::LabelsIntersect,
        );
    });
    // mia may delete where the labels meet hers (EU): lifting eve's deny
    // (EU, as mia) gives back only what mia holds.
    applies(
        &mut policy,
        revoke(
            "mia",
            Grantee::user("eve"),
            "folder",
            "deleter",
            Effect::Deny,
        ),
    );
    assert!(may(&policy, "eve", Action::Delete, "sub"));
    // uma's (US) would give back DELETE on "flow" (US), where mia lacks it.
    assert_eq!(
        refused(
            &mut policy,
            revoke(
                "mia",
                Grantee::user("uma"),
                "folder",
                "deleter",
                Effect::Deny
            )
        ),
        Reason::WouldEscalate { missing: P::DELETE }
    );
}

// ---- item 4: a grant reaches the whole subtree ----

#[test]
fn a_grant_gives_nothing_below_its_scope_that_a_deny_of_the_author_holds_off() {
    let denied = [
        (Grantee::user("mia"), "directly"),
        (Grantee::team("leads"), "through a team"),
        (Grantee::Everyone, "through everyone"),
    ];
    for (who, how) in denied {
        let mut policy = model(|b| {
            b.grant(Grantee::user("mia"), "ws", "manager", Effect::Allow)
                .grant(who.clone(), "sub", "deleter", Effect::Deny);
        });
        let principal = match &who {
            Grantee::User(_) => Principal::User(user_id(&policy, "mia")),
            Grantee::Team(_) => Principal::Team(team_id(&policy, "leads")),
            _ => Principal::Everyone,
        };
        let below = Reason::RestrictedBelow {
            at: resource(&policy, "sub"),
            principal,
        };
        let to_ned = compiled(
            &policy,
            Principal::User(user_id(&policy, "ned")),
            "ws",
            "deleter",
            Effect::Allow,
        );
        assert_eq!(
            policy.can_grant(&web(&policy, "mia"), &to_ned).reason(),
            below,
            "{how}"
        );
        let change = grant(
            "mia",
            Grantee::user("ned"),
            "ws",
            "deleter",
            Condition::Always,
        );
        assert_eq!(refused(&mut policy, change), below, "{how}");
        if how == "directly" {
            assert_eq!(
                policy.explain(below).to_string(),
                "the change reaches folder \"sub\", where a restriction of user \"mia\" \
                 leaves its author without some of what it gives"
            );
        }
        assert!(!may(&policy, "ned", Action::Delete, "side"), "{how}");
        // What the deny leaves her, she may pass on.
        let editor = grant(
            "mia",
            Grantee::user("ned"),
            "ws",
            "editor",
            Condition::Always,
        );
        applies(&mut policy, editor);
        assert!(may(&policy, "ned", Action::Edit, "flow"), "{how}");
    }
}

#[test]
fn a_grant_gives_nothing_below_its_scope_that_an_override_of_the_author_cuts_off() {
    let mut policy = model(|b| {
        b.grant(Grantee::user("mia"), "ws", "manager", Effect::Allow)
            .grant(Grantee::user("mia"), "sub", "narrow", Effect::Override);
    });
    let change = grant(
        "mia",
        Grantee::user("ned"),
        "ws",
        "editor",
        Condition::Always,
    );
    assert_eq!(
        refused(&mut policy, change),
        Reason::RestrictedBelow {
            at: resource(&policy, "sub"),
            principal: Principal::User(user_id(&policy, "mia"))
        }
    );
    assert!(!may(&policy, "ned", Action::Edit, "flow"));
    applies(
        &mut policy,
        grant(
            "mia",
            Grantee::user("ned"),
            "ws",
            "narrow",
            Condition::Always,
        ),
    );
}

#[test]
fn a_restriction_of_someone_else_below_the_scope_does_not_limit_the_author() {
    let mut policy = model(|b| {
        b.grant(Grantee::user("mia"), "ws", "manager", Effect::Allow)
            .grant(Grantee::user("ned"), "sub", "deleter", Effect::Deny)
            .grant(Grantee::team("leads"), "side", "deleter", Effect::Allow);
    });
    applies(
        &mut policy,
        grant(
            "mia",
            Grantee::user("eve"),
            "ws",
            "deleter",
            Condition::Always,
        ),
    );
    assert!(may(&policy, "eve", Action::Delete, "flow"));
}

#[test]
fn rights_from_a_conditional_grant_are_not_passed_on_unconditionally() {
    // mia manages the workspace only where the labels meet hers (EU): not
    // on "flow" (US).
    let mut policy = model(|b| {
        b.grant_when(
            Grantee::user("mia"),
            "ws",
            "manager",
            Effect::Allow,
            Condition::LabelsIntersect,
        );
    });
    assert!(!may(&policy, "mia", Action::Edit, "flow"));
    let to_ned = compiled(
        &policy,
        Principal::User(user_id(&policy, "ned")),
        "ws",
        "editor",
        Effect::Allow,
    );
    let escalation = Reason::WouldEscalate {
        missing: P::VIEW | P::EDIT,
    };
    assert_eq!(
        policy.can_grant(&web(&policy, "mia"), &to_ned).reason(),
        escalation
    );
    let change = grant(
        "mia",
        Grantee::user("ned"),
        "ws",
        "editor",
        Condition::Always,
    );
    assert_eq!(refused(&mut policy, change), escalation);
    assert!(!may(&policy, "ned", Action::Edit, "flow"));

    // Under the same condition, to a grantee with no label she lacks, she
    // may: wherever it applies to the grantee, hers applies to her.
    let same = Condition::LabelsIntersect;
    assert!(policy
        .can_grant_when(&web(&policy, "mia"), &to_ned, same)
        .is_allowed());
    applies(
        &mut policy,
        grant("mia", Grantee::user("eve"), "ws", "editor", same),
    );
    assert!(may(&policy, "eve", Action::Edit, "sub"));
    assert!(!may(&policy, "eve", Action::Edit, "flow"));
    // Not to a grantee with a label she lacks (uma: US would reach "flow"),
    // nor to a team or everyone with such a member, nor under another
    // condition.
    let refusals = [
        grant("mia", Grantee::user("uma"), "ws", "editor", same),
        grant("mia", Grantee::Everyone, "ws", "editor", same),
        grant(
            "mia",
            Grantee::user("eve"),
            "ws",
            "editor",
            Condition::LabelsContain,
        ),
    ];
    for change in refusals {
        assert_eq!(refused(&mut policy, change), escalation);
    }
    assert!(!may(&policy, "uma", Action::Edit, "flow"));
}

// ---- the property ----

const NOW: u64 = 50;

/// The raw material of one case: labels for resources and users, extra
/// conditional grants, the author's own grants, and the authored change.
#[derive(Debug, Clone)]
struct Extras {
    resource_labels: Vec<u8>,
    user_labels: Vec<u8>,
    /// (who kind, holder, scope, role, effect roll, condition).
    conditional: Vec<(u8, Index, Index, Index, u8, u8)>,
    author: Index,
    /// Where the author holds everything (or only manages members), and under
    /// which condition.
    author_scope: Index,
    author_condition: u8,
    author_mfa: bool,
    /// Whether the author's grant there only manages members, so that what
    /// else he holds comes from the model's grants (to him, his teams and
    /// everyone), restrictions included.
    author_only_manages: bool,
    /// Author the change through an API key of the author's instead:
    /// (the bits of its scope beside `MANAGE_MEMBERS`, the resource of
    /// his tenant it is limited to).
    author_key: Option<(u8, Option<Index>)>,
    /// Revoke an existing grant (which one) instead of granting.
    revoke: Option<Index>,
    /// (who kind, holder, scope, role, effect roll, condition).
    change: (u8, Index, Index, Index, u8, u8),
}

fn extras() -> impl Strategy<Value = Extras> {
    let grant = || {
        (
            generate::who_kind(),
            any::<Index>(),
            any::<Index>(),
            any::<Index>(),
            0..10u8,
            0..3u8,
        )
    };
    (
        vec(0..4u8, 30),
        vec(0..4u8, 12),
        vec(grant(), 0..=5),
        (
            any::<Index>(),
            any::<Index>(),
            0..6u8,
            proptest::bool::weighted(0.8),
            proptest::bool::weighted(0.5),
        ),
        proptest::option::weighted(
            0.3,
            (any::<u8>(), proptest::option::weighted(0.5, any::<Index>())),
        ),
        proptest::option::weighted(0.4, any::<Index>()),
        grant(),
    )
        .prop_map(
            |(resource_labels, user_labels, conditional, author, author_key, revoke, change)| {
                Extras {
                    resource_labels,
                    user_labels,
                    conditional,
                    author: author.0,
                    author_scope: author.1,
                    author_condition: author.2,
                    author_mfa: author.3,
                    author_only_manages: author.4,
                    author_key,
                    revoke,
                    change,
                }
            },
        )
}

fn condition(roll: u8) -> Condition {
    match roll % 3 {
        0 => Condition::Always,
        1 => Condition::LabelsIntersect,
        _ => Condition::LabelsContain,
    }
}

fn grantee(who: reference::Who) -> Grantee {
    match who {
        reference::Who::User(user) => Grantee::user(reference::user_name(user)),
        reference::Who::Team(team) => Grantee::team(reference::team_name(team)),
        reference::Who::Everyone => Grantee::Everyone,
        reference::Who::Public => Grantee::Public,
    }
}

/// Every subject of the model, as the property asks them: each user on
/// each channel with MFA, each key, each link.
fn subjects(policy: &Policy, model: &reference::Model) -> Vec<Subject> {
    let mut subjects = Vec::new();
    for user in 0..model.users.len() {
        let Some(id) = policy.user_id(&reference::user_name(user)) else {
            continue;
        };
        for channel in [Channel::Web, Channel::App, Channel::Api] {
            subjects.push(Subject::user(id, channel).with_mfa(true).at(NOW));
        }
    }
    for key in 0..model.keys.len() {
        if let Some(id) = policy.key_id(&reference::key_name(key)) {
            subjects.push(Subject::key(id).with_mfa(true).at(NOW));
        }
    }
    for link in 0..model.links.len() {
        if let Some(id) = policy.link_id(&reference::link_name(link)) {
            subjects.push(Subject::link(id).at(NOW));
        }
    }
    subjects
}

/// Sets up the case on the built model and returns the authored change.
fn prepare(
    policy: &mut Policy,
    model: &reference::Model,
    extras: &Extras,
) -> Option<(Change, Subject, usize)> {
    let host = |policy: &mut Policy, change: Change| {
        // Some generated grants are invalid (ineligible, duplicate): skip them.
        let _ = policy.apply(change);
    };
    for (index, bits) in extras.resource_labels.iter().enumerate() {
        if index < model.resources.len() {
            host(
                policy,
                Change::SetLabels {
                    resource: reference::resource_name(index),
                    labels: Labels::from_bits_truncate(u64::from(*bits)),
                },
            );
        }
    }
    for (index, bits) in extras.user_labels.iter().enumerate() {
        if index < model.users.len() {
            host(
                policy,
                Change::SetUserLabels {
                    user: reference::user_name(index),
                    labels: Labels::from_bits_truncate(u64::from(*bits)),
                },
            );
        }
    }
    let every_bit = generate::BITS
        .iter()
        .fold(P::MANAGE_MEMBERS, |all, &bit| all | bit);
    host(
        policy,
        Change::AddRole(Role::new("all").allow(
            generate::ROOT_KINDS.iter().chain(&generate::KINDS).copied(),
            every_bit,
        )),
    );
    host(
        policy,
        Change::AddRole(Role::new("manage").allow(
            generate::ROOT_KINDS.iter().chain(&generate::KINDS).copied(),
            P::MANAGE_MEMBERS,
        )),
    );
    let grant_of =
        |scopes: &[usize],
         (who, holder, scope, role, roll, when): (u8, Index, Index, Index, u8, u8)| {
            let scope = scopes[scope.index(scopes.len())];
            let who = generate::who_in_tenant(model, who, holder, model.tenant_of(scope));
            (
                scope,
                grantee(who),
                reference::resource_name(scope),
                reference::role_name(role.index(model.roles.len())),
                generate::effect(roll, false),
                condition(when),
            )
        };
    let mut existing: Vec<(Grantee, String, String, Effect)> = model
        .grants
        .iter()
        .map(|g| {
            (
                grantee(g.who),
                reference::resource_name(g.scope),
                reference::role_name(g.role),
                g.effect,
            )
        })
        .collect();
    let everywhere: Vec<usize> = (0..model.resources.len()).collect();
    let mut existing_scopes: Vec<usize> = model.grants.iter().map(|g| g.scope).collect();
    for &raw in &extras.conditional {
        let (scope_index, to, scope, role, effect, when) = grant_of(&everywhere, raw);
        let change = Change::Grant {
            grantee: to.clone(),
            scope: scope.clone(),
            role: role.clone(),
            effect,
            when,
            by: None,
        };
        if policy.apply(change).is_ok() {
            existing.push((to, scope, role, effect));
            existing_scopes.push(scope_index);
        }
    }
    // An active author, holding everything on a part of his tenant (but
    // what the model's denies and overrides take away), who changes
    // something inside that part.
    let active: Vec<usize> = (0..model.users.len())
        .filter(|&u| model.users[u].status == Status::Active)
        .collect();
    if active.is_empty() {
        return None;
    }
    let author = active[extras.author.index(active.len())];
    let tenant = model.users[author].tenant;
    let of_tenant: Vec<usize> = (0..model.resources.len())
        .filter(|&r| model.tenant_of(r) == tenant)
        .collect();
    let author_scope = of_tenant[extras.author_scope.index(of_tenant.len())];
    let inside: Vec<usize> = (0..model.resources.len())
        .filter(|&r| model.path(r).contains(&author_scope))
        .collect();
    host(
        policy,
        Change::Grant {
            grantee: Grantee::user(reference::user_name(author)),
            scope: reference::resource_name(author_scope),
            role: if extras.author_only_manages {
                "manage"
            } else {
                "all"
            }
            .into(),
            effect: Effect::Allow,
            when: condition(extras.author_condition.saturating_sub(3)),
            by: None,
        },
    );
    let channels = model.channels_of(author);
    let channel = [Channel::Web, Channel::App, Channel::Api]
        .into_iter()
        .find(|channel| channels.contains(channel.as_set()))?;
    let (by, subject) = match extras.author_key {
        None => {
            let by = Author {
                channel,
                ..Author::web(reference::user_name(author), NOW).with_mfa(extras.author_mfa)
            };
            let subject = Subject::user(policy.user_id(by.credential.name())?, channel)
                .with_mfa(extras.author_mfa)
                .at(NOW);
            (by, subject)
        }
        // A key of the author's: it may give no more than it may do
        // itself, within its scope and its subtree.
        Some((mask, within)) => {
            let mut key = ApiKey::new("author-key", reference::user_name(author))
                .scope(generate::permissions_from_mask(mask) | P::MANAGE_MEMBERS);
            if let Some(within) = within {
                let within = of_tenant[within.index(of_tenant.len())];
                key = key.within(reference::resource_name(within));
            }
            policy.apply(Change::AddKey(key)).ok()?;
            let id = policy.key_id("author-key")?;
            let by = Author::key("author-key", NOW).with_mfa(extras.author_mfa);
            let subject = Subject::key(id).with_mfa(extras.author_mfa).at(NOW);
            (by, subject)
        }
    };
    let revocable: Vec<usize> = (0..existing.len())
        .filter(|&g| inside.contains(&existing_scopes[g]))
        .collect();
    let (change, scope) = match extras.revoke {
        Some(which) if !revocable.is_empty() => {
            let chosen = revocable[which.index(revocable.len())];
            let (to, scope, role, effect) = existing[chosen].clone();
            let scope_index = existing_scopes[chosen];
            (
                Change::Revoke {
                    grantee: to,
                    scope,
                    role,
                    effect,
                    by: Some(by),
                },
                scope_index,
            )
        }
        _ => {
            let (scope_index, to, scope, role, effect, when) = grant_of(&inside, extras.change);
            (
                Change::Grant {
                    grantee: to,
                    scope,
                    role,
                    effect,
                    when,
                    by: Some(by),
                },
                scope_index,
            )
        }
    };
    Some((change, subject, scope))
}

fn authored_changes_give_nothing_the_author_lacks(
    model: &reference::Model,
    extras: &Extras,
) -> Result<(), TestCaseError> {
    let mut policy = reference::builder(model)
        .build()
        .map_err(|error| TestCaseError::fail(format!("the model does not build: {error}")))?;
    let Some((change, author, scope)) = prepare(&mut policy, model, extras) else {
        return Ok(());
    };
    let before = policy.clone();
    let description = change.to_string();
    if policy.apply(change).is_err() {
        return Ok(());
    }
    let below: Vec<usize> = (0..model.resources.len())
        .filter(|&r| model.path(r).contains(&scope))
        .collect();
    for subject in subjects(&before, model) {
        for &r in &below {
            let id = before
                .resource_id(&reference::resource_name(r))
                .ok_or_else(|| TestCaseError::fail("a resource vanished"))?;
            let gained = policy.effective(&subject, id) - before.effective(&subject, id);
            let held = before.effective(&author, id);
            prop_assert!(
                held.contains(gained),
                "{description}: {subject:?} gained {gained} on {}, where the author holds only {held}",
                reference::resource_name(r)
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(generate::config(512))]

    /// If `apply` accepts an authored grant or revoke, then on every
    /// resource the change reaches, every subject's new permissions less
    /// its old ones are within what the author held there.
    #[test]
    fn an_accepted_authored_change_gives_no_one_what_its_author_lacks(
        model in generate::model(),
        extras in extras(),
    ) {
        authored_changes_give_nothing_the_author_lacks(&model, &extras)?;
    }

    /// The same on models whose grants, mostly overrides and many to
    /// everyone, stand on one path, with many roles closed to some user
    /// types: an author's restrictions stack, and some of them neither give
    /// nor cut anything for him.
    #[test]
    fn an_accepted_authored_change_on_stacked_overrides_gives_no_one_what_its_author_lacks(
        model in generate::stacked_model(),
        extras in extras(),
    ) {
        authored_changes_give_nothing_the_author_lacks(&model, &extras)?;
    }
}

#[test]
fn a_made_up_user_id_is_never_taken_for_the_revoker() {
    let policy = model(|b| {
        b.grant(Grantee::user("mia"), "ws", "manager", Effect::Allow);
    });
    let mia = user(&policy, "mia").with_mfa(true);
    let index = user_id(&policy, "mia").index();
    // The same low bits as mia's index, and a bit past every packed id.
    let made_up = clearance::UserId::from_index(index | 1 << 30);
    let grant = Grant {
        principal: Principal::User(made_up),
        scope: resource(&policy, "folder"),
        role: role_id(&policy, "deleter"),
        effect: Effect::Deny,
    };
    assert_ne!(
        policy.can_revoke(&mia, &grant).reason(),
        Reason::OwnRestriction {
            at: resource(&policy, "folder"),
            principal: Principal::User(made_up),
        },
        "an id past the user table names no one, least of all the revoker"
    );
}
