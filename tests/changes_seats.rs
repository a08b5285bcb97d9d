//! Licence seats: a model beyond its seat limit does not build, and a
//! change that would take a seat over the limit is refused; only active
//! users of the counted types take a seat (DESIGN.md, "Changing the
//! model"; issue 3, "Changes").

mod common;

use clearance::{
    Change, ChangeProblem, Effect, Grantee, Permissions as P, PolicyBuilder, Problem,
    ResourceKind as K, Role, Seats, Status, User, UserType, UserTypes,
};
use common::changes::{
    accept, apply, deactivate, reactivate, refused, remove_user, suspend, EXPIRY,
};
use common::{build, problems};

/// acme with two active native users ("n1", "n2") and, uncounted when only
/// native users count, an active connected one ("c1"); a suspended ("s1"),
/// a deactivated ("d1") and an invited ("i1") native user; all in "staff".
fn seated(seats: Option<Seats>) -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .role(Role::new("viewer").allow([K::Workspace], P::VIEW))
        .team("staff", "acme")
        .user(User::new("n1", "acme").member_of("staff"))
        .user(User::new("n2", "acme").member_of("staff"))
        .user(
            User::new("c1", "acme")
                .user_type(UserType::Connected)
                .member_of("staff"),
        )
        .user(
            User::new("s1", "acme")
                .member_of("staff")
                .status(Status::Suspended),
        )
        .user(
            User::new("d1", "acme")
                .member_of("staff")
                .status(Status::Deactivated),
        )
        .user(
            User::new("i1", "acme")
                .member_of("staff")
                .status(Status::Invited { until: EXPIRY }),
        )
        .grant(Grantee::team("staff"), "ws", "viewer", Effect::Allow);
    if let Some(seats) = seats {
        builder.seats(seats);
    }
    builder
}

fn native_seats(limit: u32) -> Seats {
    Seats {
        limit,
        counted: UserTypes::NATIVE,
    }
}

#[test]
fn a_model_beyond_its_seat_limit_does_not_build() {
    assert_eq!(
        problems(&mut seated(Some(native_seats(1)))),
        [Problem::SeatsExceeded { used: 2, limit: 1 }]
    );
    assert_eq!(
        problems(&mut seated(Some(Seats {
            limit: 2,
            counted: UserTypes::NATIVE | UserTypes::CONNECTED,
        }))),
        [Problem::SeatsExceeded { used: 3, limit: 2 }]
    );
    // At the limit builds: inactive and uncounted users take no seat.
    let policy = build(&mut seated(Some(native_seats(2))));
    assert_eq!(policy.seats(), Some(native_seats(2)));
}

#[test]
fn seats_used_counts_the_active_users_of_the_counted_types() {
    let cases = [
        (None, 0),
        (Some(native_seats(10)), 2),
        (
            Some(Seats {
                limit: 10,
                counted: UserTypes::NATIVE | UserTypes::CONNECTED,
            }),
            3,
        ),
        (
            Some(Seats {
                limit: 10,
                counted: UserTypes::CONNECTED,
            }),
            1,
        ),
        (
            Some(Seats {
                limit: 10,
                counted: UserTypes::empty(),
            }),
            0,
        ),
    ];
    for (seats, used) in cases {
        let policy = build(&mut seated(seats));
        assert_eq!(policy.seats_used(), used, "{seats:?}");
        assert_eq!(policy.seats(), seats);
    }
}

#[test]
fn adding_or_activating_a_counted_user_beyond_the_limit_is_refused() {
    let mut policy = build(&mut seated(Some(native_seats(2))));
    let full = ChangeProblem::SeatsExceeded { limit: 2, used: 3 };
    let changes = [
        Change::AddUser(User::new("n3", "acme")),
        accept("i1", 0),
        reactivate("s1"),
        reactivate("d1"),
    ];
    for change in changes.clone() {
        let described = change.to_string();
        assert_eq!(refused(&mut policy, change), full, "{described}");
    }
    assert_eq!(
        ChangeProblem::SeatsExceeded { limit: 2, used: 3 }.to_string(),
        "3 users would hold a licence seat, over the limit of 2; deactivate a user or raise the limit"
    );
    // Inactive counted users take no seat.
    apply(
        &mut policy,
        Change::AddUser(User::new("n4", "acme").status(Status::Suspended)),
    );
    apply(
        &mut policy,
        Change::Invite {
            user: User::new("n5", "acme"),
            until: EXPIRY,
        },
    );
    assert_eq!(policy.seats_used(), 2);
    // Suspending one frees its seat for another, once.
    apply(&mut policy, suspend("n1"));
    assert_eq!(policy.seats_used(), 1);
    apply(&mut policy, reactivate("s1"));
    assert_eq!(policy.seats_used(), 2);
    assert_eq!(refused(&mut policy, reactivate("n1")), full);
    apply(&mut policy, deactivate("n2"));
    apply(&mut policy, accept("i1", 0));
    assert_eq!(policy.seats_used(), 2);
    // Removing a user frees its seat too.
    apply(&mut policy, remove_user("i1"));
    apply(&mut policy, Change::AddUser(User::new("n3", "acme")));
    assert_eq!(policy.seats_used(), 2);
}

#[test]
fn uncounted_user_types_take_no_seat() {
    let mut policy = build(&mut seated(Some(native_seats(2))));
    for (name, user_type) in [
        ("c2", UserType::Connected),
        ("a1", UserType::NativeAdmin),
        ("y1", UserType::System),
        ("f1", UserType::Interface),
    ] {
        apply(
            &mut policy,
            Change::AddUser(User::new(name, "acme").user_type(user_type)),
        );
    }
    assert_eq!(policy.seats_used(), 2);
}

#[test]
fn set_seats_sets_or_lifts_the_limit() {
    let mut policy = build(&mut seated(None));
    assert_eq!(policy.seats(), None);
    assert_eq!(policy.seats_used(), 0);
    assert_eq!(
        refused(&mut policy, Change::SetSeats(Some(native_seats(1)))),
        ChangeProblem::SeatsExceeded { limit: 1, used: 2 }
    );
    apply(&mut policy, Change::SetSeats(Some(native_seats(2))));
    assert_eq!(policy.seats(), Some(native_seats(2)));
    assert_eq!(policy.seats_used(), 2);
    let _ = refused(&mut policy, Change::AddUser(User::new("n3", "acme")));
    apply(&mut policy, Change::SetSeats(None));
    assert_eq!(policy.seats(), None);
    assert_eq!(policy.seats_used(), 0);
    apply(&mut policy, Change::AddUser(User::new("n3", "acme")));
    assert_eq!(
        Change::SetSeats(Some(native_seats(2))).to_string(),
        "limit seats to 2"
    );
    assert_eq!(Change::SetSeats(None).to_string(), "lift the seat limit");
}
