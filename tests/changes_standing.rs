//! Changes of an account's standing (issue 16, item 4): `Suspend`,
//! `Reactivate`, `Deactivate`, `RemoveUser`, `SetUserType` and
//! `SetChannels` take an optional author like grants do, and an authored
//! one is checked: "only an admin may suspend" is enforced by `apply`, not
//! by the host. A user's type and channels are set by a change, checked as
//! the builder checks a declared user.

mod common;

use clearance::{
    Action, Author, Change, ChangeProblem, Channel, Channels, Effect, Grantee, Permissions as P,
    Policy, PolicyBuilder, Reason, ResourceKind as K, Role, Seats, Status, User, UserType,
    UserTypes,
};
use common::changes::{apply, refused};
use common::{assert_decision, build, user_id};

const NOW: u64 = 1_700_000_000;

/// acme: ws. "root" holds admin (everything, MANAGE_MEMBERS included) on
/// acme; "lead" holds admin on ws only; "ann" and "bob" are native users;
/// "cy" is connected and holds native-only on ws. globex: "gus" (connected), admin of
/// globex. Seats: 4 native users.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .tenant("globex", K::Organization)
            .role(Role::new("admin").allow_everywhere(P::all()))
            .role(Role::new("viewer").allow_everywhere(P::VIEW))
            .role(
                Role::new("native-only")
                    .allow_everywhere(P::VIEW)
                    .only_for(UserTypes::NATIVE),
            )
            .team("natives", "acme")
            .user(User::new("root", "acme"))
            .user(User::new("lead", "acme"))
            .user(User::new("ann", "acme"))
            .user(User::new("bob", "acme").member_of("natives"))
            .user(User::new("cy", "acme").user_type(UserType::Connected))
            .user(User::new("gus", "globex").user_type(UserType::Connected))
            .grant(Grantee::user("root"), "acme", "admin", Effect::Allow)
            .grant(Grantee::user("lead"), "ws", "admin", Effect::Allow)
            .grant(Grantee::user("ann"), "ws", "viewer", Effect::Allow)
            .grant(Grantee::team("natives"), "ws", "native-only", Effect::Allow)
            .grant(Grantee::user("gus"), "globex", "admin", Effect::Allow)
            .seats(Seats {
                limit: 4,
                counted: UserTypes::NATIVE,
            }),
    )
}

/// The host's own change of `user`'s type and channels.
fn set_type(user: &str, user_type: UserType, channels: Option<Channels>) -> Change {
    Change::SetUserType {
        user: user.into(),
        user_type,
        channels,
        by: None,
    }
}

fn by(author: &str) -> Option<Author> {
    Some(Author::web(author, NOW))
}

/// Each change of standing, of "ann", by `author`.
fn standing_changes(author: Option<Author>) -> Vec<Change> {
    vec![
        Change::Suspend {
            user: "ann".into(),
            by: author.clone(),
        },
        Change::Deactivate {
            user: "ann".into(),
            by: author.clone(),
        },
        Change::RemoveUser {
            name: "ann".into(),
            by: author.clone(),
        },
        Change::SetUserType {
            user: "ann".into(),
            user_type: UserType::Connected,
            channels: None,
            by: author.clone(),
        },
        Change::SetChannels {
            user: "ann".into(),
            channels: Some(Channels::WEB),
            by: author,
        },
    ]
}

#[test]
fn only_an_author_who_manages_members_at_the_tenant_root_may_change_a_standing() {
    for change in standing_changes(by("lead")) {
        // "lead" manages members of ws, not of acme, where users live.
        let mut policy = model();
        let problem = refused(&mut policy, change.clone());
        let ChangeProblem::Refused { author, reason, .. } = &problem else {
            panic!("{change}: {problem}");
        };
        assert_eq!(author, "lead");
        assert_eq!(*reason, Reason::NotMember, "{change}: {problem}");
        // The tenant's admin may.
        let by_root = match change {
            Change::Suspend { user, .. } => Change::Suspend {
                user,
                by: by("root"),
            },
            Change::Deactivate { user, .. } => Change::Deactivate {
                user,
                by: by("root"),
            },
            Change::RemoveUser { name, .. } => Change::RemoveUser {
                name,
                by: by("root"),
            },
            Change::SetUserType {
                user,
                user_type,
                channels,
                ..
            } => Change::SetUserType {
                user,
                user_type,
                channels,
                by: by("root"),
            },
            Change::SetChannels { user, channels, .. } => Change::SetChannels {
                user,
                channels,
                by: by("root"),
            },
            other => panic!("not a change of standing: {other}"),
        };
        apply(&mut policy, by_root);
    }
}

#[test]
fn reactivating_is_checked_like_suspending() {
    let mut policy = model();
    apply(
        &mut policy,
        Change::Suspend {
            user: "ann".into(),
            by: by("root"),
        },
    );
    let problem = refused(
        &mut policy,
        Change::Reactivate {
            user: "ann".into(),
            by: by("lead"),
        },
    );
    assert!(
        matches!(problem, ChangeProblem::Refused { .. }),
        "{problem}"
    );
    apply(
        &mut policy,
        Change::Reactivate {
            user: "ann".into(),
            by: by("root"),
        },
    );
    assert_eq!(
        policy.user(user_id(&policy, "ann")).unwrap().status(),
        Status::Active
    );
}

#[test]
fn an_author_of_another_tenant_is_told_the_user_does_not_exist() {
    for change in standing_changes(by("gus")) {
        let mut policy = model();
        let problem = refused(&mut policy, change.clone());
        assert!(
            matches!(problem, ChangeProblem::CrossesTenants { .. }),
            "{change}: {problem}"
        );
        assert_eq!(
            problem.for_caller(),
            ChangeProblem::Unknown {
                entity: clearance::Entity::User,
                name: "ann".into(),
            }
        );
    }
}

#[test]
fn an_unknown_author_is_refused_before_anything_is_changed() {
    let mut policy = model();
    let problem = refused(
        &mut policy,
        Change::Suspend {
            user: "ann".into(),
            by: by("nobody"),
        },
    );
    assert!(
        matches!(problem, ChangeProblem::Unknown { .. }),
        "{problem}"
    );
}

#[test]
fn a_new_user_type_brings_its_channels_and_keeps_narrower_ones_given() {
    let mut policy = model();
    apply(&mut policy, set_type("ann", UserType::Interface, None));
    let ann = policy.user(user_id(&policy, "ann")).unwrap();
    assert_eq!(ann.user_type(), UserType::Interface);
    assert_eq!(ann.channels(), Channels::API);
    let on_web = clearance::Subject::user(user_id(&policy, "ann"), Channel::Web).at(NOW);
    assert_decision(
        &policy,
        &on_web,
        Action::View,
        "ws",
        Reason::ChannelNotAllowed {
            channel: Channel::Web,
        },
    );
    apply(
        &mut policy,
        set_type("ann", UserType::Native, Some(Channels::WEB)),
    );
    let ann = policy.user(user_id(&policy, "ann")).unwrap();
    assert_eq!(ann.channels(), Channels::WEB);
    assert!(policy
        .authorize(&on_web, Action::View, common::resource(&policy, "ws"))
        .is_allowed());
}

#[test]
fn channels_beyond_the_type_are_refused() {
    let mut policy = model();
    let problem = refused(
        &mut policy,
        Change::SetChannels {
            user: "ann".into(),
            channels: Some(Channels::LINK),
            by: None,
        },
    );
    assert_eq!(
        problem,
        ChangeProblem::ChannelsNotAllowed {
            user: "ann".into(),
            user_type: UserType::Native,
            extra: Channels::LINK,
        }
    );
    let problem = refused(
        &mut policy,
        set_type("ann", UserType::Interface, Some(Channels::WEB)),
    );
    assert!(matches!(problem, ChangeProblem::ChannelsNotAllowed { .. }));
}

#[test]
fn a_type_that_may_not_hold_a_role_the_user_holds_is_refused() {
    let mut policy = model();
    // bob holds native-only through his team.
    let problem = refused(&mut policy, set_type("bob", UserType::Connected, None));
    assert_eq!(
        problem,
        ChangeProblem::IneligibleRole {
            role: "native-only".into(),
            user: "bob".into(),
            user_type: UserType::Connected,
        }
    );
    // Its own grant counts as well.
    apply(
        &mut policy,
        Change::Grant {
            grantee: Grantee::user("ann"),
            scope: "ws".into(),
            role: "native-only".into(),
            effect: Effect::Allow,
            when: clearance::Condition::Always,
            by: None,
        },
    );
    assert!(matches!(
        refused(&mut policy, set_type("ann", UserType::Connected, None),),
        ChangeProblem::IneligibleRole { .. }
    ));
}

#[test]
fn a_type_that_takes_a_seat_needs_one_left() {
    let mut policy = model();
    // Four native users take the four seats; cy is connected (not counted).
    let problem = refused(&mut policy, set_type("cy", UserType::Native, None));
    assert_eq!(problem, ChangeProblem::SeatsExceeded { limit: 4, used: 5 });
    // A seated user changing to an uncounted type frees its seat.
    apply(&mut policy, set_type("ann", UserType::Connected, None));
    assert_eq!(policy.seats_used(), 3);
    apply(&mut policy, set_type("cy", UserType::Native, None));
    assert_eq!(policy.seats_used(), 4);
}
