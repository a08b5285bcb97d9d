//! Arbitrary change sequences never panic, a refused change changes
//! nothing, and every decision afterwards is still answered.
//!
//! Run: `cargo +nightly fuzz run apply_changes` from the repository root.
#![no_main]

use arbitrary::{Result, Unstructured};
use clearance::{
    Action, ApiKey, Author, AuthorCredential, Change, Channel, Effect, Grantee, KeyId, LinkId,
    Permissions, Policy, PolicyBuilder, PublicLink, ResourceId, ResourceKind, Role, Seats, Status,
    Subject, User, UserId, UserType, UserTypes,
};
use libfuzzer_sys::fuzz_target;

/// A small pool of names, so that changes often refer to things that exist.
const NAMES: [&str; 8] = ["acme", "globex", "ws", "f1", "f2", "ann", "ops", "viewer"];

fn name(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(if u.ratio(1, 8)? {
        String::arbitrary_take_rest_free(u)?
    } else {
        (*u.choose(&NAMES)?).to_string()
    })
}

trait Free: Sized {
    fn arbitrary_take_rest_free(u: &mut Unstructured<'_>) -> Result<Self>;
}

impl Free for String {
    fn arbitrary_take_rest_free(u: &mut Unstructured<'_>) -> Result<Self> {
        let len = u.int_in_range(0..=12)?;
        let bytes = u.bytes(len)?;
        Ok(String::from_utf8_lossy(bytes).into_owned())
    }
}

fn permissions(u: &mut Unstructured<'_>) -> Result<Permissions> {
    Ok(Permissions::from_bits_retain(u.arbitrary()?))
}

fn kind(u: &mut Unstructured<'_>) -> Result<ResourceKind> {
    Ok(*u.choose(&ResourceKind::ALL)?)
}

fn user_type(u: &mut Unstructured<'_>) -> Result<UserType> {
    Ok(*u.choose(&UserType::ALL)?)
}

fn status(u: &mut Unstructured<'_>) -> Result<Status> {
    Ok(match u.int_in_range(0..=3)? {
        0 => Status::Active,
        1 => Status::Suspended,
        2 => Status::Deactivated,
        _ => Status::Invited { until: u.arbitrary()? },
    })
}

fn grantee(u: &mut Unstructured<'_>) -> Result<Grantee> {
    Ok(match u.int_in_range(0..=3)? {
        0 => Grantee::User(name(u)?),
        1 => Grantee::Team(name(u)?),
        2 => Grantee::Everyone,
        _ => Grantee::Public,
    })
}

fn effect(u: &mut Unstructured<'_>) -> Result<Effect> {
    Ok(*u.choose(&[Effect::Allow, Effect::Override, Effect::Deny])?)
}

fn author(u: &mut Unstructured<'_>) -> Result<Option<Author>> {
    Ok(if u.arbitrary()? {
        Some(Author {
            credential: if u.arbitrary()? {
                AuthorCredential::Key(name(u)?)
            } else {
                AuthorCredential::User(name(u)?)
            },
            channel: *u.choose(&[Channel::Web, Channel::App, Channel::Api, Channel::Link])?,
            mfa: u.arbitrary()?,
            at: u.arbitrary()?,
        })
    } else {
        None
    })
}

fn user(u: &mut Unstructured<'_>) -> Result<User> {
    let mut user = User::new(name(u)?, name(u)?)
        .user_type(user_type(u)?)
        .status(status(u)?);
    if u.arbitrary()? {
        user = user.channels(clearance::Channels::from_bits_retain(u.arbitrary()?));
    }
    for _ in 0..u.int_in_range(0..=2)? {
        user = user.member_of(name(u)?);
    }
    Ok(user)
}

fn role(u: &mut Unstructured<'_>) -> Result<Role> {
    let mut role = Role::new(name(u)?);
    for _ in 0..u.int_in_range(0..=2)? {
        role = role.allow([kind(u)?], permissions(u)?);
    }
    if u.arbitrary()? {
        role = role.inherits(name(u)?);
    }
    if u.arbitrary()? {
        role = role.only_for(UserTypes::from_bits_retain(u.arbitrary()?));
    }
    Ok(role)
}

fn change(u: &mut Unstructured<'_>) -> Result<Change> {
    Ok(match u.int_in_range(0..=33)? {
        0 => Change::AddResource {
            name: name(u)?,
            kind: kind(u)?,
            parent: if u.arbitrary()? { Some(name(u)?) } else { None },
        },
        1 => Change::MoveResource { name: name(u)?, parent: name(u)? },
        2 => Change::RemoveResource { name: name(u)? },
        3 => Change::AddRole(role(u)?),
        4 => Change::UpdateRole(role(u)?),
        5 => Change::RemoveRole { name: name(u)? },
        6 => Change::AddTeam { name: name(u)?, tenant: name(u)? },
        7 => Change::RemoveTeam { name: name(u)? },
        8 => Change::AddUser(user(u)?),
        9 => Change::RemoveUser { name: name(u)?, by: author(u)? },
        10 => Change::AddMembership { user: name(u)?, team: name(u)? },
        11 => Change::RemoveMembership { user: name(u)?, team: name(u)? },
        12 => Change::Invite { user: user(u)?, until: u.arbitrary()? },
        13 => Change::AcceptInvitation { user: name(u)?, at: u.arbitrary()? },
        14 => Change::ExpireInvitation { user: name(u)? },
        15 => Change::RevokeInvitation { user: name(u)? },
        16 => Change::Suspend { user: name(u)?, by: author(u)? },
        17 => Change::Reactivate { user: name(u)?, by: author(u)? },
        18 => Change::Deactivate { user: name(u)?, by: author(u)? },
        19 | 20 => Change::Grant {
            grantee: grantee(u)?,
            scope: name(u)?,
            role: name(u)?,
            effect: effect(u)?,
            when: clearance::Condition::Always,
            by: author(u)?,
        },
        21 => Change::Revoke {
            grantee: grantee(u)?,
            scope: name(u)?,
            role: name(u)?,
            effect: effect(u)?,
            by: author(u)?,
        },
        22 => {
            let mut key = ApiKey::new(name(u)?, name(u)?).scope(permissions(u)?);
            for _ in 0..u.int_in_range(0..=2)? {
                key = key.within(name(u)?);
            }
            Change::AddKey(key.revoked(u.arbitrary()?))
        }
        23 => Change::RevokeKey { name: name(u)? },
        24 => Change::RemoveKey { name: name(u)? },
        25 => Change::AddLink(PublicLink::new(name(u)?, name(u)?, permissions(u)?)),
        26 => Change::RevokeLink { name: name(u)? },
        27 => Change::RemoveLink { name: name(u)? },
        28 => Change::SetMfaRequired(permissions(u)?),
        29 => Change::SetUserType {
            user: name(u)?,
            user_type: user_type(u)?,
            channels: if u.arbitrary()? { Some(clearance::Channels::from_bits_retain(u.arbitrary()?)) } else { None },
            by: author(u)?,
        },
        30 => Change::SetChannels {
            user: name(u)?,
            channels: if u.arbitrary()? { Some(clearance::Channels::from_bits_retain(u.arbitrary()?)) } else { None },
            by: author(u)?,
        },
        31 => Change::MoveMembership { user: name(u)?, from: name(u)?, to: name(u)? },
        32 => Change::ReplaceRole {
            grantee: grantee(u)?,
            scope: name(u)?,
            from: name(u)?,
            to: name(u)?,
            effect: effect(u)?,
            when: clearance::Condition::Always,
            by: author(u)?,
        },
        _ => Change::SetSeats(if u.arbitrary()? {
            Some(Seats { limit: u.int_in_range(0..=4)?, counted: UserTypes::from_bits_retain(u.arbitrary()?) })
        } else {
            None
        }),
    })
}

fn start() -> Policy {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", ResourceKind::Organization)
        .tenant("globex", ResourceKind::Organization)
        .resource("ws", ResourceKind::Workspace, "acme")
        .resource("f1", ResourceKind::Folder, "ws")
        .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
        .team("ops", "acme")
        .user(User::new("ann", "acme").member_of("ops"))
        .grant(Grantee::team("ops"), "ws", "viewer", Effect::Allow);
    match builder.build() {
        Ok(policy) => policy,
        Err(error) => panic!("the fuzz target's starting model is valid: {error}"),
    }
}

/// Every decision on every id the policy has, and a few it has not.
fn ask_everything(policy: &Policy, u: &mut Unstructured<'_>) -> Result<()> {
    let now = u.arbitrary()?;
    let mfa = u.arbitrary()?;
    let resources = policy.resource_count() as u32 + 2;
    let users = policy.user_count() as u32 + 2;
    for resource in (0..resources).chain([u32::MAX]) {
        let resource = ResourceId::from_index(resource);
        for user in 0..users {
            let subject = Subject::user(UserId::from_index(user), Channel::Web).with_mfa(mfa).at(now);
            let allowed = policy.authorize(&subject, Action::View, resource).is_allowed();
            let effective = policy.effective(&subject, resource);
            assert_eq!(allowed, effective.contains(Permissions::VIEW), "effective agrees with authorize");
        }
        for id in 0..4 {
            let _ = policy.authorize(&Subject::key(KeyId::from_index(id)).at(now), Action::Edit, resource);
            let _ = policy.authorize(&Subject::link(LinkId::from_index(id)).at(now), Action::View, resource);
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut policy = start();
    let mut changes = Vec::new();
    while let Ok(true) = u.arbitrary::<bool>() {
        let Ok(change) = change(&mut u) else { break };
        let before = policy.clone();
        match policy.apply(change.clone()) {
            Ok(_) => changes.push(change),
            Err(error) => {
                let _ = error.to_string();
                assert!(policy == before, "a refused change changed the policy: {error}");
            }
        }
    }
    // The accepted changes replay, as one batch, to the same policy.
    let mut replayed = start();
    if let Err(error) = replayed.apply_all(changes) {
        panic!("accepted changes must replay: {error}");
    }
    assert!(replayed == policy, "a replayed change log gives the same policy");
    let _ = ask_everything(&policy, &mut u);
});
