//! Changing a compiled policy in place: one membership, grant or status
//! change on the standard model, without a rebuild.
//!
//! Each benchmark alternates a change and its inverse (add, then remove),
//! so the model stays the same size however long criterion runs; one
//! iteration is one applied change.
//!
//! `authority/*`: what an authorized grant costs on a folder whose subtree
//! holds 100,000 resources and a few restrictions of the author (denies and
//! overrides of his own, his team's and everyone's, deep down), beside many
//! restrictions of other users: the check visits the author's restrictions,
//! never the subtree. `authority/chain_of_*`: a grant on the root of a
//! chain of everyone's restrictions (1,000 and 10,000 deep), each visited
//! once.
//!
//! `required/*`: changes in a model that requires a role of 20,000
//! members of a team, on the tenant root or on each of 1,000 workspaces:
//! a membership added and removed (each may take the role, so each is
//! tried on a copy and the accounts rechecked), also where each account
//! adds a grant of its own to its team's 999, and a workspace added with
//! its grant in one batch, then removed.

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]
#![expect(
    clippy::expect_used,
    reason = "the bench's own model: a missing name is a broken bench"
)]

mod common;

use std::hint::black_box;

use clearance::{
    Author, Change, Channel, Condition, Effect, Grant, Grantee, Permissions as P, Policy,
    PolicyBuilder, Principal, ResourceKind as K, Role, Subject, User,
};
use criterion::{criterion_group, criterion_main, Criterion};

fn toggle(
    c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: &str,
    mut policy: clearance::Policy,
    on: impl Fn() -> Change,
    off: impl Fn() -> Change,
) {
    let mut applied = false;
    c.bench_function(id, |b| {
        b.iter(|| {
            let change = if applied { off() } else { on() };
            applied = !applied;
            black_box(policy.apply(black_box(change)).is_ok())
        })
    });
}

fn apply(c: &mut Criterion) {
    let policy = common::standard_policy();
    // user-3 is active and not in team-49 (the standard model gives users
    // at most 3 of 50 teams; checked below).
    let user = common::user_name(3);
    let team = common::team_name(49);
    let mut group = c.benchmark_group("apply");
    let mut probe = policy.clone();
    assert!(
        probe
            .apply(Change::AddMembership {
                user: user.clone(),
                team: team.clone()
            })
            .is_ok(),
        "the standard model changed"
    );
    toggle(
        &mut group,
        "add_membership",
        policy.clone(),
        || Change::AddMembership {
            user: user.clone(),
            team: team.clone(),
        },
        || Change::RemoveMembership {
            user: user.clone(),
            team: team.clone(),
        },
    );

    let folder = common::folder_name(4, 2);
    let grant = |revoke: bool| {
        let grantee = Grantee::team(common::team_name(48));
        let (scope, role, effect) = (folder.clone(), "viewer".to_string(), Effect::Allow);
        if revoke {
            Change::Revoke {
                grantee,
                scope,
                role,
                effect,
                by: None,
            }
        } else {
            Change::Grant {
                grantee,
                scope,
                role,
                effect,
                when: clearance::Condition::Always,
                by: None,
            }
        }
    };
    toggle(
        &mut group,
        "grant",
        policy.clone(),
        || grant(false),
        || grant(true),
    );

    toggle(
        &mut group,
        "suspend_user",
        policy,
        || Change::Suspend {
            user: user.clone(),
            by: None,
        },
        || Change::Reactivate {
            user: user.clone(),
            by: None,
        },
    );
    group.finish();
}

/// Folders below "big", each with this many flows: 1,000 × 100 = 100,000
/// resources (plus the folders).
const BIG_FOLDERS: usize = 1_000;
const FLOWS_PER_BIG_FOLDER: usize = 99;

/// acme / ws / big / folder-i / flow-i-j. "mia" (in team "leads") manages
/// the workspace; below "big", she is denied deleting in 3 folders, her team
/// in 2 and everyone in 1, and held to viewing by an override in 1; 1,000
/// other users are each denied in one folder.
fn big_subtree() -> Policy {
    let mut b = PolicyBuilder::new();
    b.tenant("acme", K::Organization)
        .resource("ws", K::Workspace, "acme")
        .resource("big", K::Folder, "ws")
        .role(Role::new("manager").allow(
            [K::Workspace, K::Folder, K::Flow],
            P::VIEW | P::EDIT | P::DELETE | P::MANAGE_MEMBERS,
        ))
        .role(Role::new("editor").allow([K::Folder, K::Flow], P::VIEW | P::EDIT))
        .role(Role::new("deleter").allow([K::Folder, K::Flow], P::DELETE))
        .role(Role::new("narrow").allow([K::Folder, K::Flow], P::VIEW))
        .team("leads", "acme")
        .user(User::new("mia", "acme").member_of("leads"))
        .user(User::new("ned", "acme"))
        .grant(Grantee::user("mia"), "ws", "manager", Effect::Allow);
    for f in 0..BIG_FOLDERS {
        let folder = format!("big-{f}");
        b.resource(folder.clone(), K::Folder, "big");
        for i in 0..FLOWS_PER_BIG_FOLDER {
            b.resource(format!("big-{f}-{i}"), K::Flow, folder.clone());
        }
        let other = format!("other-{f}");
        b.user(User::new(other.clone(), "acme"));
        b.grant(Grantee::user(other), folder, "deleter", Effect::Deny);
    }
    for f in [10, 400, 990] {
        b.grant(
            Grantee::user("mia"),
            format!("big-{f}-3"),
            "deleter",
            Effect::Deny,
        );
    }
    for f in [20, 500] {
        b.grant(
            Grantee::team("leads"),
            format!("big-{f}"),
            "deleter",
            Effect::Deny,
        );
    }
    b.grant(Grantee::Everyone, "big-600-7", "deleter", Effect::Deny);
    b.grant(Grantee::user("mia"), "big-700", "narrow", Effect::Override);
    b.build().expect("the bench model builds")
}

/// A chain of `n` folders below acme, each holding a restriction of
/// everyone (a deny, or an override, of a role that gives nothing), as a
/// member manager may plant with authorized grants; "root" administers
/// acme.
fn chain_of_restrictions(n: usize, effect: Effect) -> Policy {
    let mut b = PolicyBuilder::new();
    b.tenant("acme", K::Organization)
        .role(Role::new("admin").allow_everywhere(P::all()))
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .role(Role::new("noop"))
        .user(User::new("root", "acme"))
        .user(User::new("bob", "acme"))
        .grant(Grantee::user("root"), "acme", "admin", Effect::Allow);
    let mut parent = "acme".to_string();
    for i in 0..n {
        let name = format!("f{i}");
        b.resource(name.clone(), K::Folder, parent.clone());
        b.grant(Grantee::Everyone, name.clone(), "noop", effect);
        parent = name;
    }
    b.build().expect("the chain builds")
}

/// `authority/chain_of_{denies,overrides}_{n}`: a grant on the root of a
/// chain of `n` restrictions, at two sizes 10x apart.
fn authority_chain(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    // Before the fix, the 10,000-deep chains took seconds per grant.
    group.sample_size(10);
    for (effect, shape) in [(Effect::Deny, "denies"), (Effect::Override, "overrides")] {
        for n in [1_000, 10_000] {
            let policy = chain_of_restrictions(n, effect);
            let root = Subject::user(policy.user_id("root").expect("root"), Channel::Web)
                .with_mfa(true)
                .at(1);
            let grant = Grant {
                principal: Principal::User(policy.user_id("bob").expect("bob")),
                scope: policy.resource_id("acme").expect("acme"),
                role: policy.role_id("viewer").expect("viewer"),
                effect: Effect::Allow,
            };
            assert!(policy.can_grant(&root, &grant).is_allowed());
            group.bench_function(format!("chain_of_{shape}_{n}"), |b| {
                b.iter(|| black_box(policy.can_grant(black_box(&root), black_box(&grant))))
            });
        }
    }
}

fn authority(c: &mut Criterion) {
    let policy = big_subtree();
    let mut group = c.benchmark_group("authority");
    let mia = Subject::user(policy.user_id("mia").expect("mia"), Channel::Web).with_mfa(true);
    let editor_for_ned = |role: &str| Grant {
        principal: Principal::User(policy.user_id("ned").expect("ned")),
        scope: policy.resource_id("big").expect("big"),
        role: policy.role_id(role).expect("the role"),
        effect: Effect::Allow,
    };
    // "narrow" (VIEW) passes every restriction, so all of them are
    // checked; "editor" is refused at the override, "deleter" at the first
    // deny.
    let narrow = editor_for_ned("narrow");
    assert!(policy.can_grant(&mia, &narrow).is_allowed());
    assert!(!policy
        .can_grant(&mia, &editor_for_ned("editor"))
        .is_allowed());
    group.bench_function("can_grant_100k_subtree", |b| {
        b.iter(|| black_box(policy.can_grant(black_box(&mia), black_box(&narrow))))
    });
    let deleter = editor_for_ned("deleter");
    group.bench_function("can_grant_100k_subtree_refused", |b| {
        b.iter(|| black_box(policy.can_grant(black_box(&mia), black_box(&deleter))))
    });
    let change = |revoke: bool| {
        let by = Some(Author {
            mfa: true,
            ..Author::web("mia", 0)
        });
        let (grantee, scope, role) = (
            Grantee::user("ned"),
            "big".to_string(),
            "narrow".to_string(),
        );
        if revoke {
            Change::Revoke {
                grantee,
                scope,
                role,
                effect: Effect::Allow,
                by,
            }
        } else {
            Change::Grant {
                grantee,
                scope,
                role,
                effect: Effect::Allow,
                when: Condition::Always,
                by,
            }
        }
    };
    toggle(
        &mut group,
        "authorized_grant_and_revoke_100k_subtree",
        policy.clone(),
        || change(false),
        || change(true),
    );
    authority_chain(&mut group);
    group.finish();
}

const REQUIRED_USERS: usize = 20_000;
const REQUIRED_WORKSPACES: usize = 1_000;

/// Where the required role is required and held.
#[derive(Clone, Copy)]
enum Required {
    /// On the root, held by staff on acme.
    Root,
    /// On each workspace, held by staff on each.
    Each,
    /// On each workspace, held by staff on all but ws-0, where each user
    /// holds it by a grant of its own: every account's own carrier is
    /// added to its team's 999.
    EachOwn,
    /// As `EachOwn`, but each user holds ws-0 through a team of its own:
    /// 20,000 sets of carrying teams, each with staff's 999 carriers.
    EachPersonalTeam,
}

/// acme with 1,000 workspaces; 20,000 users in team "staff", which must
/// hold viewer (see [`Required`]); an empty team "other".
fn required_model(shape: Required) -> Policy {
    let mut b = PolicyBuilder::new();
    b.tenant("acme", K::Organization)
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .team("staff", "acme")
        .team("other", "acme");
    for w in 0..REQUIRED_WORKSPACES {
        let name = format!("ws-{w}");
        b.resource(&name, K::Workspace, "acme");
        let by_team = match shape {
            Required::Root => false,
            Required::Each => true,
            Required::EachOwn | Required::EachPersonalTeam => w > 0,
        };
        if by_team {
            b.grant(Grantee::team("staff"), &name, "viewer", Effect::Allow);
        }
    }
    for u in 0..REQUIRED_USERS {
        let name = format!("user-{u}");
        let mut user = User::new(&name, "acme").member_of("staff");
        match shape {
            Required::EachOwn => {
                b.grant(Grantee::user(&name), "ws-0", "viewer", Effect::Allow);
            }
            Required::EachPersonalTeam => {
                let team = format!("team-of-{name}");
                b.team(&team, "acme")
                    .grant(Grantee::team(&team), "ws-0", "viewer", Effect::Allow);
                user = user.member_of(&team);
            }
            Required::Root | Required::Each => {}
        }
        b.user(user);
    }
    let staff = || clearance::RequiredOf::Team("staff".into());
    match shape {
        Required::Root => {
            b.grant(Grantee::team("staff"), "acme", "viewer", Effect::Allow)
                .require_role(staff(), "viewer");
        }
        Required::Each | Required::EachOwn | Required::EachPersonalTeam => {
            b.require_role_on_each(staff(), "viewer", K::Workspace);
        }
    }
    b.build().expect("the model builds")
}

fn required(c: &mut Criterion) {
    let mut group = c.benchmark_group("required");
    group.sample_size(10);
    for (name, shape) in [
        ("on_root", Required::Root),
        ("on_each_workspace", Required::Each),
        ("on_each_workspace_own_grants", Required::EachOwn),
        (
            "on_each_workspace_personal_teams",
            Required::EachPersonalTeam,
        ),
    ] {
        let policy = required_model(shape);
        toggle(
            &mut group,
            &format!("membership_{name}"),
            policy.clone(),
            || Change::AddMembership {
                user: "user-7".into(),
                team: "other".into(),
            },
            || Change::RemoveMembership {
                user: "user-7".into(),
                team: "other".into(),
            },
        );
    }
    let mut policy = required_model(Required::Each);
    let mut added = false;
    let mut probe = policy.clone();
    assert!(
        probe
            .apply(Change::AddResource {
                name: "ws-new".into(),
                kind: K::Workspace,
                parent: Some("acme".into()),
            })
            .is_err(),
        "a workspace without its grant is refused"
    );
    group.bench_function("add_workspace_with_grant_on_each_workspace", |b| {
        b.iter(|| {
            let done = if added {
                policy.apply(Change::RemoveResource {
                    name: "ws-new".into(),
                })
            } else {
                policy.apply_all([
                    Change::AddResource {
                        name: "ws-new".into(),
                        kind: K::Workspace,
                        parent: Some("acme".into()),
                    },
                    Change::Grant {
                        grantee: Grantee::team("staff"),
                        scope: "ws-new".into(),
                        role: "viewer".into(),
                        effect: Effect::Allow,
                        when: Condition::Always,
                        by: None,
                    },
                ])
            };
            added = !added;
            assert!(done.is_ok(), "the workspace and its grant come and go");
            black_box(done)
        })
    });
    group.finish();
}

criterion_group!(benches, apply, authority, required);
criterion_main!(benches);
