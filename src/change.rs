//! Changing a compiled policy: typed, validated, atomic changes.
//! The concept is documented on [`Change`], where users read it.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::decision::{Decision, Reason};
use crate::directory::{
    ApiKey, Channel, KeyId, PublicLink, Status, TeamId, User, UserId, UserType, UserTypes,
};
use crate::error::{ChangeError, ChangeProblem, Entity, Problems};
use crate::grant::{Effect, Grant, Grantee, Principal};
use crate::label::{Condition, Labels};
use crate::names::{Ids, NameTable, TextFull};
use crate::permission::{Action, Permissions};
use crate::policy::{
    key, own_grant_count, set_own_grant_count, set_wide_filter, GrantEntry, KeyRecord, LinkRecord,
    Node, Policy, Seats, State, UserGrant, UserRecord, LINEAR_RUN, MAX_TEAMS_PER_USER, NONE,
    NO_WIDE, REMOVED,
};
use crate::resource::{ResourceId, ResourceKind};
use crate::role::{Role, RoleId, TeamTypes};
use crate::subject::{Credential, Subject};

/// A policy's version. Every applied change advances it by one.
///
/// A host can hand the revision to a client after a write and later require
/// a replica's policy to be at least that new before answering (read your
/// writes across replicas, like Zanzibar's zookies).
///
/// ```
/// use clearance::{Change, PolicyBuilder, ResourceKind, Revision};
///
/// let mut policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
/// assert_eq!(policy.revision(), Revision::new(0));
/// let written = policy.apply(Change::AddTeam { name: "ops".into(), tenant: "acme".into() })?;
/// assert_eq!(written, Revision::new(1));
/// assert!(policy.revision() >= written);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Revision(u64);

impl Revision {
    /// The revision with this number.
    #[must_use]
    pub const fn new(number: u64) -> Revision {
        Revision(number)
    }

    /// The number: how many changes the policy has applied since it was built.
    #[must_use]
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "revision {}", self.0)
    }
}

/// Who makes a change that is itself authorized ([`Change::Grant`],
/// [`Change::Revoke`]): a user or an API key, by name, and the request it
/// came with. [`Policy::apply`] checks the change as that
/// [`Subject`] would be decided ([`Policy::can_grant_when`],
/// [`Policy::can_revoke`]): an API key gives, or gives back, only what it
/// may do itself, within its [`scope`](crate::ApiKey::scope) and
/// [`within`](crate::ApiKey::within) subtree, and not once it is revoked
/// or expired or its owner may not act. A public link has no account
/// behind it and never authors a change: there is no author for it.
///
/// An author is plain data by names, so that a change log replays it onto
/// any copy of the policy. Serialized, it is
/// `{"user": "ann", "channel": "web", "mfa": true, "at": 1700000000}` or
/// `{"key": "ci-deploy", "channel": "api", "at": 1700000000}`: exactly one
/// of `user` and `key`; `mfa` left out is `false` (the safe default).
///
/// ```
/// use clearance::*;
///
/// let mut policy = PolicyBuilder::new()
///     .tenant("acme", ResourceKind::Organization)
///     .resource("ws", ResourceKind::Workspace, "acme")
///     .role(Role::new("admin").allow_everywhere(Permissions::all()))
///     .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
///     .user(User::new("ann", "acme"))
///     .user(User::new("bob", "acme"))
///     .grant(Grantee::user("ann"), "acme", "admin", Effect::Allow)
///     // A key of ann's that may only view and manage members.
///     .api_key(ApiKey::new("ci", "ann").scope(Permissions::VIEW | Permissions::MANAGE_MEMBERS))
///     .build()?;
/// let grant = |role: &str, by: Author| Change::Grant {
///     grantee: Grantee::user("bob"),
///     scope: "ws".into(),
///     role: role.into(),
///     effect: Effect::Allow,
///     when: Condition::Always,
///     by: Some(by),
/// };
/// let ci = Author::key("ci", 1_700_000_000);
/// policy.apply(grant("viewer", ci.clone()))?;
/// // Beyond the key's scope, whatever its owner holds:
/// let error = policy.apply(grant("admin", ci)).unwrap_err();
/// assert!(matches!(error.problem(), ChangeProblem::Refused { reason: Reason::WouldEscalate { .. }, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "AuthorFields", into = "AuthorFields")
)]
pub struct Author {
    /// The user or API key making the change.
    pub credential: AuthorCredential,
    /// The channel the change came through. Not read for an API key,
    /// which always acts through [`Channel::Api`] (as [`Subject::key`]).
    pub channel: Channel,
    /// Whether the session passed multi-factor authentication (`false` if
    /// omitted in a serialized author: the safe default). For an API key,
    /// whether the host vouches for it (see [`Subject::key`]).
    pub mfa: bool,
    /// The time of the change (seconds, the host's clock); `u64::MAX` is
    /// no time ([`Subject::at`]).
    pub at: u64,
}

/// Who an [`Author`] is, by name: a user, or an API key acting for its
/// owner.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthorCredential {
    /// The user of this name.
    User(String),
    /// The API key of this name.
    Key(String),
}

impl AuthorCredential {
    /// The user's or key's name.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            AuthorCredential::User(name) | AuthorCredential::Key(name) => name,
        }
    }
}

impl fmt::Display for AuthorCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthorCredential::User(name) => write!(f, "user {name:?}"),
            AuthorCredential::Key(name) => write!(f, "API key {name:?}"),
        }
    }
}

/// An [`Author`] as it serializes: the credential as a `user` or `key`
/// field beside the others, so that an author written before keys could
/// author (`{"user": ..}`) reads the same.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    channel: Channel,
    #[serde(default)]
    mfa: bool,
    at: u64,
}

#[cfg(feature = "serde")]
impl TryFrom<AuthorFields> for Author {
    type Error = &'static str;

    fn try_from(fields: AuthorFields) -> Result<Author, &'static str> {
        let credential = match (fields.user, fields.key) {
            (Some(user), None) => AuthorCredential::User(user),
            (None, Some(key)) => AuthorCredential::Key(key),
            (Some(_), Some(_)) => return Err("an author is a `user` or a `key`, not both"),
            (None, None) => return Err("an author names a `user` or a `key`"),
        };
        Ok(Author {
            credential,
            channel: fields.channel,
            mfa: fields.mfa,
            at: fields.at,
        })
    }
}

#[cfg(feature = "serde")]
impl From<Author> for AuthorFields {
    fn from(author: Author) -> AuthorFields {
        let (user, key) = match author.credential {
            AuthorCredential::User(user) => (Some(user), None),
            AuthorCredential::Key(key) => (None, Some(key)),
        };
        AuthorFields {
            user,
            key,
            channel: author.channel,
            mfa: author.mfa,
            at: author.at,
        }
    }
}

impl Author {
    /// `user` changing the model through the web portal at `at`, without
    /// MFA, the same safe default as [`Subject::user`]: a change that needs
    /// an MFA-guarded permission is refused until the host vouches for the
    /// session with [`with_mfa`](Author::with_mfa).
    ///
    /// ```
    /// use clearance::Author;
    ///
    /// assert!(!Author::web("ann", 1_700_000_000).mfa);
    /// assert!(Author::web("ann", 1_700_000_000).with_mfa(true).mfa);
    /// ```
    pub fn web(user: impl Into<String>, at: u64) -> Author {
        Author {
            credential: AuthorCredential::User(user.into()),
            channel: Channel::Web,
            mfa: false,
            at,
        }
    }

    /// The API key `key` changing the model (through the API) at `at`,
    /// without MFA, as [`Subject::key`].
    pub fn key(key: impl Into<String>, at: u64) -> Author {
        Author {
            credential: AuthorCredential::Key(key.into()),
            channel: Channel::Api,
            mfa: false,
            at,
        }
    }

    /// The author a request's subject makes: its user or API key by name,
    /// with its channel, MFA and time (`u64::MAX` when it has none).
    /// `None` for a public link, which never authors a change, and for an
    /// id the policy does not hold (removed ones included).
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .user(User::new("ann", "acme"))
    ///     .api_key(ApiKey::new("ci", "ann"))
    ///     .link(PublicLink::new("share", "acme", Permissions::VIEW))
    ///     .build()?;
    /// let ci = policy.resolve(Credentials::key("ci", 1_700_000_000))?;
    /// assert_eq!(Author::from_subject(&policy, &ci), Some(Author::key("ci", 1_700_000_000)));
    /// let share = policy.resolve(Credentials::link("share", 1_700_000_000))?;
    /// assert_eq!(Author::from_subject(&policy, &share), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn from_subject(policy: &Policy, subject: &Subject) -> Option<Author> {
        let credential = match subject.credential() {
            Credential::User(user) => {
                let user = policy.user(user)?;
                AuthorCredential::User(user.name().to_string())
            }
            Credential::Key(key) => {
                let key = policy.key(key)?;
                AuthorCredential::Key(key.name().to_string())
            }
            Credential::Link(_) => return None,
        };
        Some(Author {
            credential,
            channel: subject.channel(),
            mfa: subject.mfa(),
            at: subject.clock(),
        })
    }

    /// Whether the author's session passed multi-factor authentication.
    #[must_use]
    pub fn with_mfa(mut self, mfa: bool) -> Author {
        self.mfa = mfa;
        self
    }

    /// The subject the author acts as, by id, and its tenant: what
    /// [`Policy::apply`] checks the change with.
    fn subject(&self, policy: &Policy) -> Outcome<(Subject, u32)> {
        let (subject, user) = match &self.credential {
            AuthorCredential::User(name) => {
                let user = find(&policy.catalog.users, Entity::User, name)?;
                (Subject::user(UserId(user), self.channel), user)
            }
            AuthorCredential::Key(name) => {
                let key = find(&policy.catalog.keys, Entity::Key, name)?;
                let owner = policy.keys.get(key as usize).map_or(NONE, |k| k.owner);
                (Subject::key(KeyId(key)), owner)
            }
        };
        let tenant = policy.users.get(user as usize).map_or(NONE, |r| r.tenant);
        Ok((subject.with_mfa(self.mfa).at(self.at), tenant))
    }
}

/// One edit of a compiled [`Policy`], by names, as a host's product makes
/// them all day: people are invited, accept, get suspended, leave; teams and
/// grants change; keys are created and revoked.
///
/// [`Policy::apply`] validates a change first and applies it whole or not at
/// all: on an error the policy is exactly as before, and the [`ChangeError`]
/// says which change failed and why, by name. [`Policy::apply_all`] does the
/// same for a batch. Changes are plain data (serializable with the `serde`
/// feature), so a host can keep a change log in its own store and replay it
/// onto the starting model to get the same policy anywhere. Read back, a
/// change with a field this crate does not know is refused (the error
/// names the field, `expires` for `expires_at`), as is any value of every
/// type that deserializes: a misspelt field never silently means its
/// default.
///
/// Removing never leaves anything dangling: removing a user removes its
/// memberships, grants and keys; removing a resource removes its subtree and
/// the grants, keys and links within it; removing a team removes its
/// memberships and grants. Ids of removed entities are never reused: a
/// decision about one is denied as unknown.
///
/// ```
/// use clearance::*;
///
/// let mut policy = PolicyBuilder::new()
///     .tenant("acme", ResourceKind::Organization)
///     .resource("ws", ResourceKind::Workspace, "acme")
///     .role(Role::new("viewer").allow([ResourceKind::Workspace], Permissions::VIEW))
///     .build()?;
/// policy.apply_all([
///     Change::AddUser(User::new("ann", "acme")),
///     Change::Grant {
///         grantee: Grantee::user("ann"),
///         scope: "ws".into(),
///         role: "viewer".into(),
///         effect: Effect::Allow,
///         when: Condition::Always,
///         by: None,
///     },
/// ])?;
/// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
/// let ws = policy.resource_id("ws").unwrap();
/// assert!(policy.authorize(&ann, Action::View, ws).is_allowed());
///
/// policy.apply(Change::Suspend { user: "ann".into() })?;
/// assert_eq!(policy.authorize(&ann, Action::View, ws).reason(), Reason::Suspended);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Change {
    /// Adds a resource below `parent`, or a tenant root when `parent` is `None`.
    AddResource {
        /// The new resource's name (unique among resources).
        name: String,
        /// What it is.
        kind: ResourceKind,
        /// Its parent, in the same tenant; `None` for a new tenant.
        parent: Option<String>,
    },
    /// Moves a resource (and its subtree) below another parent of the same tenant.
    MoveResource {
        /// The resource to move; not a tenant root.
        name: String,
        /// Its new parent; not inside the moved subtree.
        parent: String,
    },
    /// Removes a resource, its subtree, and every grant, key and link within
    /// it. A tenant root can be removed only once it has no users or teams.
    RemoveResource {
        /// The resource.
        name: String,
    },
    /// Adds a role.
    AddRole(Role),
    /// Replaces a role's rules, inheritance and eligibility (found by name).
    /// Every grant of the role must stay valid.
    UpdateRole(Role),
    /// Removes a role no grant uses and no role inherits.
    RemoveRole {
        /// The role.
        name: String,
    },
    /// Adds a team to a tenant.
    AddTeam {
        /// The team's name (unique among teams).
        name: String,
        /// The tenant (a root resource).
        tenant: String,
    },
    /// Removes a team, its memberships and its grants.
    RemoveTeam {
        /// The team.
        name: String,
    },
    /// Adds a user, with the status, channels and teams it declares.
    AddUser(User),
    /// Removes a user, its memberships, its grants and its API keys.
    RemoveUser {
        /// The user.
        name: String,
    },
    /// Adds a user to a team of its tenant.
    AddMembership {
        /// The user.
        user: String,
        /// The team.
        team: String,
    },
    /// Removes a user from a team.
    RemoveMembership {
        /// The user.
        user: String,
        /// The team.
        team: String,
    },
    /// Invites a new user: it exists, holds nothing until it accepts, and
    /// the invitation expires at `until`.
    Invite {
        /// The invited user (its status is replaced by the invitation).
        user: User,
        /// When the invitation stops being valid (exclusive).
        until: u64,
    },
    /// The invited user accepts at `at`, before the invitation expired.
    AcceptInvitation {
        /// The user.
        user: String,
        /// When it accepts (seconds).
        at: u64,
    },
    /// Expires a pending invitation now, whatever its date: it can no
    /// longer be accepted at any time. An invitation expired already
    /// whatever the time (by an earlier `ExpireInvitation`, or sent to
    /// expire at 0) is refused ([`ChangeProblem::AlreadyExpired`]). One
    /// only past its date is not: the change carries no time, and it still
    /// changes the model (acceptance at an earlier time is no longer
    /// possible).
    ExpireInvitation {
        /// The user.
        user: String,
    },
    /// Withdraws a pending invitation: the invited user is removed.
    RevokeInvitation {
        /// The user.
        user: String,
    },
    /// Suspends an active user: reversible, effective immediately.
    Suspend {
        /// The user.
        user: String,
    },
    /// Makes a suspended or deactivated user active again.
    Reactivate {
        /// The user.
        user: String,
    },
    /// Deactivates an active or suspended user (it keeps its grants, for a
    /// later reactivation). A pending invitation is expired or revoked instead.
    Deactivate {
        /// The user.
        user: String,
    },
    /// Grants `role` on `scope` to `grantee`. With an author, the grant must
    /// pass [`Policy::can_grant_when`] (under its condition) for that author.
    /// Refused with [`AlreadyGranted`](ChangeProblem::AlreadyGranted) when
    /// the grantee holds the role on the scope with that effect already,
    /// under any condition: the condition is no part of a grant's identity
    /// ([`Grant`](crate::Grant)).
    Grant {
        /// Who receives it.
        grantee: Grantee,
        /// Where (this resource and below).
        scope: String,
        /// Which role.
        role: String,
        /// How it combines.
        effect: Effect,
        /// When it applies (labels of subject and resource); `Always` if
        /// omitted in a serialized change.
        #[cfg_attr(feature = "serde", serde(default))]
        when: Condition,
        /// Who grants it, if the grant is to be authorized.
        by: Option<Author>,
    },
    /// Removes the grant of `role` on `scope` to `grantee` with `effect`,
    /// whatever its condition: a policy holds at most one grant of that
    /// identity ([`Grant`](crate::Grant)), so after an `Ok` none is left.
    /// Refused with [`NotGranted`](ChangeProblem::NotGranted) when there is
    /// none. With an author, the removal must pass [`Policy::can_revoke`]
    /// for that author: removing a deny or a narrowing override gives back
    /// what it held off, and is checked as a grant of that; no one lifts a
    /// restriction placed on himself.
    Revoke {
        /// Who holds it.
        grantee: Grantee,
        /// Where.
        scope: String,
        /// Which role.
        role: String,
        /// With which effect.
        effect: Effect,
        /// Who revokes it, if the revocation is to be authorized.
        by: Option<Author>,
    },
    /// Adds an API key.
    AddKey(ApiKey),
    /// Revokes an API key: refused at once, kept for the record. A key
    /// revoked already is refused ([`ChangeProblem::AlreadyRevoked`]).
    RevokeKey {
        /// The key.
        name: String,
    },
    /// Removes an API key.
    RemoveKey {
        /// The key.
        name: String,
    },
    /// Adds a public link.
    AddLink(PublicLink),
    /// Revokes a public link: refused at once, kept for the record. A
    /// link revoked already is refused ([`ChangeProblem::AlreadyRevoked`]).
    RevokeLink {
        /// The link.
        name: String,
    },
    /// Removes a public link.
    RemoveLink {
        /// The link.
        name: String,
    },
    /// Sets a resource's labels (compared by conditional grants).
    SetLabels {
        /// The resource.
        resource: String,
        /// Its labels, replacing the old ones.
        labels: Labels,
    },
    /// Sets a user's labels (compared by conditional grants).
    SetUserLabels {
        /// The user.
        user: String,
        /// Its labels, replacing the old ones.
        labels: Labels,
    },
    /// Sets the permissions that need an MFA session.
    SetMfaRequired(Permissions),
    /// Sets or lifts the licence seat limit.
    SetSeats(Option<Seats>),
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::AddResource { name, kind, .. } => write!(f, "add {} {name:?}", kind.label()),
            Change::MoveResource { name, parent } => write!(f, "move {name:?} under {parent:?}"),
            Change::RemoveResource { name } => write!(f, "remove resource {name:?}"),
            Change::AddRole(role) => write!(f, "add role {:?}", role.name),
            Change::UpdateRole(role) => write!(f, "update role {:?}", role.name),
            Change::RemoveRole { name } => write!(f, "remove role {name:?}"),
            Change::AddTeam { name, .. } => write!(f, "add team {name:?}"),
            Change::RemoveTeam { name } => write!(f, "remove team {name:?}"),
            Change::AddUser(user) => write!(f, "add user {:?}", user.name),
            Change::RemoveUser { name } => write!(f, "remove user {name:?}"),
            Change::AddMembership { user, team } => write!(f, "add {user:?} to team {team:?}"),
            Change::RemoveMembership { user, team } => {
                write!(f, "remove {user:?} from team {team:?}")
            }
            Change::Invite { user, .. } => write!(f, "invite {:?}", user.name),
            Change::AcceptInvitation { user, .. } => write!(f, "{user:?} accepts the invitation"),
            Change::ExpireInvitation { user } => write!(f, "expire the invitation of {user:?}"),
            Change::RevokeInvitation { user } => write!(f, "revoke the invitation of {user:?}"),
            Change::Suspend { user } => write!(f, "suspend {user:?}"),
            Change::Reactivate { user } => write!(f, "reactivate {user:?}"),
            Change::Deactivate { user } => write!(f, "deactivate {user:?}"),
            Change::Grant {
                grantee,
                scope,
                role,
                effect,
                ..
            } => write!(f, "{effect} {grantee} the role {role:?} on {scope:?}"),
            Change::Revoke {
                grantee,
                scope,
                role,
                effect,
                ..
            } => write!(
                f,
                "revoke the {effect} of role {role:?} on {scope:?} from {grantee}"
            ),
            Change::AddKey(api_key) => write!(f, "add API key {:?}", api_key.name),
            Change::RevokeKey { name } => write!(f, "revoke API key {name:?}"),
            Change::RemoveKey { name } => write!(f, "remove API key {name:?}"),
            Change::AddLink(link) => write!(f, "add link {:?}", link.name),
            Change::RevokeLink { name } => write!(f, "revoke link {name:?}"),
            Change::RemoveLink { name } => write!(f, "remove link {name:?}"),
            Change::SetLabels { resource, labels } => {
                write!(f, "set the labels of {resource:?} to {labels}")
            }
            Change::SetUserLabels { user, labels } => {
                write!(f, "set the labels of user {user:?} to {labels}")
            }
            Change::SetMfaRequired(permissions) => write!(f, "require MFA for {permissions}"),
            Change::SetSeats(Some(seats)) => write!(f, "limit seats to {}", seats.limit),
            Change::SetSeats(None) => f.write_str("lift the seat limit"),
        }
    }
}

/// Active users of the counted types.
pub(crate) fn seats_used(users: &[UserRecord], seats: Seats) -> usize {
    users
        .iter()
        .filter(|user| {
            user.tenant != REMOVED
                && user.state() == State::Active
                && seats.counted.contains(user.user_types())
        })
        .count()
}

type Outcome<T> = Result<T, ChangeProblem>;

fn unknown(entity: Entity, name: &str) -> ChangeProblem {
    ChangeProblem::Unknown {
        entity,
        name: name.to_string(),
    }
}

fn duplicate(entity: Entity, name: &str) -> ChangeProblem {
    ChangeProblem::DuplicateName {
        entity,
        name: name.to_string(),
    }
}

fn find(ids: &impl Ids, entity: Entity, name: &str) -> Outcome<u32> {
    ids.id_of(name).ok_or_else(|| unknown(entity, name))
}

/// Marks a key or link revoked; one revoked already is refused, so that a
/// replayed revocation neither passes silently nor advances the revision.
fn revoke(revoked: Option<&mut bool>, entity: Entity, name: &str) -> Outcome<()> {
    match revoked {
        Some(true) => Err(ChangeProblem::AlreadyRevoked {
            entity,
            name: name.to_string(),
        }),
        Some(revoked) => {
            *revoked = true;
            Ok(())
        }
        None => Err(unknown(entity, name)),
    }
}

fn fresh(ids: &impl Ids, entity: Entity, name: &str) -> Outcome<()> {
    if ids.id_of(name).is_some() {
        return Err(duplicate(entity, name));
    }
    Ok(())
}

/// Gives `name` the next id of `names`, checked fresh before. The last
/// step that can fail, so callers make it before their first mutation.
fn remember(names: &mut NameTable, entity: Entity, name: &str, max: usize) -> Outcome<()> {
    names
        .push(name)
        .map(|_| ())
        .map_err(|TextFull| ChangeProblem::TooMany { entity, max })
}

fn next_id(len: usize, entity: Entity, max: usize) -> Outcome<u32> {
    if len >= max {
        return Err(ChangeProblem::TooMany { entity, max });
    }
    u32::try_from(len).map_err(|_| ChangeProblem::TooMany { entity, max })
}

/// Replaces the run `items[start..start + old]` with `new`: in place when
/// it fits, otherwise at the end (the old slots become garbage). The
/// caller records the new length.
fn replace_run<T: Copy>(
    items: &mut Vec<T>,
    start: &mut u32,
    old: usize,
    new: &[T],
    garbage: &mut usize,
) {
    let at = *start as usize;
    match items.get_mut(at..at + new.len()) {
        Some(slots) if new.len() <= old => {
            slots.copy_from_slice(new);
            *garbage += old - new.len();
        }
        _ => {
            // Checked by `Policy::room` before any change mutates.
            *start = u32::try_from(items.len()).unwrap_or(NONE);
            items.extend_from_slice(new);
            *garbage += old;
        }
    }
}

fn run<T>(items: &[T], start: u32, len: usize) -> &[T] {
    let start = start as usize;
    items.get(start..start + len).unwrap_or(&[])
}

impl Policy {
    /// The current revision: how many changes were applied since the build.
    #[must_use]
    pub fn revision(&self) -> Revision {
        Revision(self.revision)
    }

    /// How many licence seats are taken: active users of the counted types
    /// (0 without a seat limit).
    #[must_use]
    pub fn seats_used(&self) -> usize {
        self.seats.map_or(0, |seats| seats_used(&self.users, seats))
    }

    /// The licence seat limit, if any.
    #[must_use]
    pub fn seats(&self) -> Option<Seats> {
        self.seats
    }

    /// `Ok` while one more change fits below
    /// [`PolicyDocument::MAX_REVISION`](crate::PolicyDocument::MAX_REVISION),
    /// the largest revision a snapshot may hold: past it, the policy's own
    /// snapshot would no longer load. Only a document that starts at the
    /// limit gets there (a change a nanosecond takes 292 years).
    fn revision_left(&self) -> Outcome<()> {
        if self.revision >= crate::PolicyDocument::MAX_REVISION {
            return Err(ChangeProblem::RevisionLimit {
                revision: self.revision,
            });
        }
        Ok(())
    }

    /// Validates and applies one change, whole or not at all.
    ///
    /// # Errors
    ///
    /// A [`ChangeError`] naming the change and what is wrong with it; the
    /// policy is then exactly as before.
    pub fn apply(&mut self, change: Change) -> Result<Revision, ChangeError> {
        self.revision_left()
            .and_then(|()| self.apply_one(&change))
            .map_err(|problem| ChangeError::new(0, change.to_string(), problem))?;
        self.revision += 1;
        self.compact_if_wasteful();
        Ok(self.revision())
    }

    /// Validates and applies a batch of changes, all or nothing: on the
    /// first error the policy is exactly as before, and the error names the
    /// change (by its position in the batch) that failed.
    ///
    /// The batch is applied to a copy that replaces the policy on success,
    /// so it costs one copy of the policy; single changes through
    /// [`apply`](Policy::apply) work in place.
    ///
    /// # Errors
    ///
    /// A [`ChangeError`] for the first change that failed.
    pub fn apply_all(
        &mut self,
        changes: impl IntoIterator<Item = Change>,
    ) -> Result<Revision, ChangeError> {
        let mut next = self.clone();
        for (index, change) in changes.into_iter().enumerate() {
            next.revision_left()
                .and_then(|()| next.apply_one(&change))
                .map_err(|problem| ChangeError::new(index, change.to_string(), problem))?;
            next.revision += 1;
            // As `apply` does, so a batch and the same changes one by one
            // leave identical policies.
            next.compact_if_wasteful();
        }
        *self = next;
        Ok(self.revision())
    }

    /// May `granter` make `grant`, unconditionally? Granting is itself
    /// authorized: the granter needs [`Permissions::MANAGE_MEMBERS`] at the
    /// grant's scope; an allow or override may not give anyone, anywhere it
    /// reaches, a permission the granter lacks there (no privilege
    /// escalation); and the role must be open to the grantee's user type. A
    /// deny needs only the first: eligibility limits who may hold a role,
    /// not who may lose one. The role must exist (else `UnknownRole`), and
    /// the grantee must exist (else `UnknownSubject`) in the scope's tenant
    /// (else [`GranteeOfAnotherTenant`](Reason::GranteeOfAnotherTenant),
    /// which [`for_caller`](Decision::for_caller) reads as
    /// `UnknownSubject`: the caller cannot tell another tenant's user or
    /// team from a missing one). These are checked after the granter's
    /// `MANAGE_MEMBERS` at the scope, so a granter without it learns nothing
    /// about the role or the grantee.
    ///
    /// The decision explains itself like any other: allowed with the grant
    /// that gives the granter `MANAGE_MEMBERS`, or denied with the reason:
    /// [`Reason::WouldEscalate`] names what the granter lacks at the scope,
    /// [`Reason::RestrictedBelow`] the first resource below it where he
    /// lacks some of it, and whose restriction. For a conditional grant, see
    /// [`can_grant_when`](Policy::can_grant_when), which this is with
    /// [`Condition::Always`].
    pub fn can_grant(&self, granter: &Subject, grant: &Grant) -> Decision {
        self.can_grant_when(granter, grant, Condition::Always)
    }

    /// May `granter` make `grant`, applying `when` the condition holds?
    /// [`can_grant`](Policy::can_grant)'s rules, where "the granter lacks
    /// there" reads as follows.
    ///
    /// A grant reaches its scope and every resource below it, so the
    /// granter must hold what it gives everywhere there, not only at the
    /// scope: a deny or override of his (his own, one of his teams' or
    /// everyone's) below the scope leaves him less there, and the grant may
    /// give no more than that ([`Reason::RestrictedBelow`] names the first
    /// such resource, by id, and whose restriction stands there). Each kind
    /// the role covers is checked, whether or not the subtree holds a
    /// resource of that kind.
    ///
    /// Only what the granter *surely* holds may be passed on. His
    /// unconditional grants count. A conditional grant of his counts only
    /// toward a grant under the *same* condition, to a grantee whose users
    /// (the user, each member of the team, everyone in the organization)
    /// have no label the granter lacks: then wherever the new grant
    /// applies, his applies too. Otherwise his conditional allow counts for
    /// nothing, and his conditional deny or override counts as if it always
    /// applied. So rights that come only from a conditional grant are never
    /// passed on unconditionally, and a condition is passed on only as far
    /// as the granter's own labels reach.
    ///
    /// Cost: a decision at the scope and one walk from it to the root; then
    /// the resources of the scope's tenant where the granter, one of his
    /// teams or everyone holds an override, or a deny that takes some of
    /// what the role gives (found in an index, not by visiting the
    /// subtree), and the resources on the paths from those up to the scope
    /// (or, for those outside the subtree, up to where a path already
    /// walked or the root is met), each read once, what the granter holds
    /// being carried down from the one above: O(d + (r + p) log n) for r
    /// such restrictions in the tenant, p resources on their paths (at most
    /// the tenant, at most r times its depth) and a scope d deep, whatever
    /// the size of the subtree. A grantee that is a team, for a role
    /// limited by [`only_for`](crate::Role::only_for), costs one pass over
    /// the users; a conditional grant that relies on a conditional grant of
    /// the granter also reads the labels of the grantee's users, once (for
    /// a team or everyone, one pass over the users).
    pub fn can_grant_when(&self, granter: &Subject, grant: &Grant, when: Condition) -> Decision {
        let decision = self.authorize(granter, Action::ManageMembers, grant.scope);
        if !decision.is_allowed() {
            return decision;
        }
        if !self.role_is_live(grant.role.0) {
            return Decision::new(Reason::UnknownRole);
        }
        // The grantee must exist and belong to the scope's tenant.
        let scope_tenant = self.tenant_of_node(grant.scope.0);
        let grantee_tenant = match grant.principal {
            Principal::User(UserId(user)) => self.users.get(user as usize).map(|r| r.tenant),
            Principal::Team(TeamId(team)) => self.catalog.team_tenants.get(team as usize).copied(),
            Principal::Everyone | Principal::Public => Some(scope_tenant),
        };
        match grantee_tenant {
            None | Some(REMOVED) => return Decision::new(Reason::UnknownSubject),
            Some(tenant) if tenant != scope_tenant => {
                return Decision::new(Reason::GranteeOfAnotherTenant)
            }
            Some(_) => {}
        }
        if grant.effect == Effect::Deny {
            return decision;
        }
        if let Err(reason) = self.eligible(grant.principal, grant.role.0) {
            return Decision::new(reason);
        }
        let given = self.roles.get(grant.role.0 as usize).copied();
        let given = given.unwrap_or([Permissions::empty(); ResourceKind::COUNT]);
        if let Err(reason) = self.passes_on(granter, grant.principal, grant.scope.0, &given, when) {
            return Decision::new(reason);
        }
        decision
    }

    /// Whether every user `principal` stands for may hold `role`.
    fn eligible(&self, principal: Principal, role: u32) -> Result<(), Reason> {
        let open = self.role_eligibility(role);
        if open == UserTypes::all() {
            return Ok(());
        }
        let member_types: UserTypes = match principal {
            Principal::User(UserId(user)) => self
                .users
                .get(user as usize)
                .map_or(UserTypes::empty(), |record| record.user_types()),
            Principal::Team(team) => self
                .members(team.0)
                .filter_map(|user| self.users.get(user as usize))
                .fold(UserTypes::empty(), |types, record| {
                    types | record.user_types()
                }),
            // Everyone reaches only the members a role is open to.
            Principal::Everyone => UserTypes::empty(),
            Principal::Public => UserType::Public.as_set(),
        };
        if open.contains(member_types) {
            Ok(())
        } else {
            Err(Reason::RoleNotEligible)
        }
    }

    /// The live users in `team`.
    pub(crate) fn members(&self, team: u32) -> impl Iterator<Item = u32> + '_ {
        self.users
            .iter()
            .enumerate()
            .filter_map(move |(index, record)| {
                let teams = self.teams_of(record);
                (record.tenant != REMOVED && teams.contains(&team))
                    .then(|| u32::try_from(index).unwrap_or(NONE))
            })
    }

    /// Who may hold `role`: the types that it and every role it inherits
    /// allow.
    pub(crate) fn role_eligibility(&self, role: u32) -> UserTypes {
        self.catalog
            .role_eligible
            .get(role as usize)
            .copied()
            .unwrap_or(UserTypes::all())
    }

    pub(crate) fn role_permissions_of(&self, role: u32, kind: usize) -> Permissions {
        self.roles
            .get(role as usize)
            .and_then(|kinds| kinds.get(kind))
            .copied()
            .unwrap_or_else(Permissions::empty)
    }

    /// Fails when one more run of `extra` slots would overflow the dense
    /// indices of the run arenas (checked before anything mutates).
    fn room(&self, extra: usize) -> Outcome<()> {
        let largest = self
            .grants
            .len()
            .max(self.user_teams.len())
            .max(self.user_grants.len());
        if largest + extra >= NONE as usize {
            return Err(ChangeProblem::TooMany {
                entity: Entity::Grant,
                max: NONE as usize,
            });
        }
        Ok(())
    }

    fn apply_one(&mut self, change: &Change) -> Outcome<()> {
        match change {
            Change::AddResource { name, kind, parent } => {
                self.add_resource(name, *kind, parent.as_deref())
            }
            Change::MoveResource { name, parent } => self.move_resource(name, parent),
            Change::RemoveResource { name } => self.remove_resource(name),
            Change::AddRole(role) => self.set_role(role, true),
            Change::UpdateRole(role) => self.set_role(role, false),
            Change::RemoveRole { name } => self.remove_role(name),
            Change::AddTeam { name, tenant } => self.add_team(name, tenant),
            Change::RemoveTeam { name } => self.remove_team(name),
            Change::AddUser(user) => self.add_user(user),
            Change::RemoveUser { name } => {
                let user = find(&self.catalog.users, Entity::User, name)?;
                self.remove_user(user);
                Ok(())
            }
            Change::AddMembership { user, team } => self.set_membership(user, team, true),
            Change::RemoveMembership { user, team } => self.set_membership(user, team, false),
            Change::Invite { user, until } => self.add_user(&User {
                status: Status::Invited { until: *until },
                ..user.clone()
            }),
            Change::AcceptInvitation { user, at } => {
                let id = find(&self.catalog.users, Entity::User, user)?;
                match self.user_status(id) {
                    Status::Invited { until } if *at < until => {
                        self.activate(id)?;
                        Ok(())
                    }
                    Status::Invited { .. } => {
                        Err(ChangeProblem::InvitationExpired { user: user.clone() })
                    }
                    status => Err(self.wrong_status(user, status, "invited")),
                }
            }
            Change::ExpireInvitation { user } => {
                let id = find(&self.catalog.users, Entity::User, user)?;
                match self.user_status(id) {
                    // Expired whatever the time: expiring again changes nothing.
                    Status::Invited { until: 0 } => {
                        Err(ChangeProblem::AlreadyExpired { user: user.clone() })
                    }
                    Status::Invited { .. } => {
                        self.set_user_status(id, Status::Invited { until: 0 });
                        Ok(())
                    }
                    status => Err(self.wrong_status(user, status, "invited")),
                }
            }
            Change::RevokeInvitation { user } => {
                let id = find(&self.catalog.users, Entity::User, user)?;
                match self.user_status(id) {
                    Status::Invited { .. } => {
                        self.remove_user(id);
                        Ok(())
                    }
                    status => Err(self.wrong_status(user, status, "invited")),
                }
            }
            Change::Suspend { user } => {
                let id = find(&self.catalog.users, Entity::User, user)?;
                match self.user_status(id) {
                    Status::Active => {
                        self.set_user_status(id, Status::Suspended);
                        Ok(())
                    }
                    status => Err(self.wrong_status(user, status, "active")),
                }
            }
            Change::Reactivate { user } => {
                let id = find(&self.catalog.users, Entity::User, user)?;
                match self.user_status(id) {
                    Status::Suspended | Status::Deactivated => self.activate(id),
                    status => Err(self.wrong_status(user, status, "suspended or deactivated")),
                }
            }
            Change::Deactivate { user } => {
                let id = find(&self.catalog.users, Entity::User, user)?;
                match self.user_status(id) {
                    Status::Active | Status::Suspended => {
                        self.set_user_status(id, Status::Deactivated);
                        Ok(())
                    }
                    // An invitation is expired or revoked, never deactivated:
                    // reactivating would skip accepting it.
                    status => Err(self.wrong_status(user, status, "active or suspended")),
                }
            }
            Change::Grant {
                grantee,
                scope,
                role,
                effect,
                when,
                by,
            } => self.grant(grantee, scope, role, *effect, Some(*when), by.as_ref()),
            Change::Revoke {
                grantee,
                scope,
                role,
                effect,
                by,
            } => self.grant(grantee, scope, role, *effect, None, by.as_ref()),
            Change::SetLabels { resource, labels } => {
                let id = self.live_resource(resource)?;
                if let Some(slot) = self.labels.get_mut(id as usize) {
                    *slot = *labels;
                }
                Ok(())
            }
            Change::SetUserLabels { user, labels } => {
                let id = find(&self.catalog.users, Entity::User, user)?;
                self.set_user_labels(id, *labels);
                Ok(())
            }
            Change::AddKey(api_key) => self.add_key(api_key),
            Change::RevokeKey { name } => {
                let id = find(&self.catalog.keys, Entity::Key, name)?;
                let record = self.keys.get_mut(id as usize);
                revoke(record.map(|record| &mut record.revoked), Entity::Key, name)
            }
            Change::RemoveKey { name } => {
                let id = find(&self.catalog.keys, Entity::Key, name)?;
                self.remove_key(id);
                Ok(())
            }
            Change::AddLink(link) => self.add_link(link),
            Change::RevokeLink { name } => {
                let id = find(&self.catalog.links, Entity::Link, name)?;
                let record = self.links.get_mut(id as usize);
                revoke(record.map(|record| &mut record.revoked), Entity::Link, name)
            }
            Change::RemoveLink { name } => {
                let id = find(&self.catalog.links, Entity::Link, name)?;
                self.remove_link(id);
                Ok(())
            }
            Change::SetMfaRequired(permissions) => {
                self.mfa_required = *permissions;
                Ok(())
            }
            Change::SetSeats(seats) => {
                if let Some(seats) = seats {
                    let used = seats_used(&self.users, *seats);
                    if used > seats.limit as usize {
                        return Err(ChangeProblem::SeatsExceeded {
                            limit: seats.limit,
                            used,
                        });
                    }
                }
                self.seats = *seats;
                Ok(())
            }
        }
    }

    // ---- resources ----

    fn live_resource(&self, name: &str) -> Outcome<u32> {
        find(&self.catalog.resources, Entity::Resource, name)
    }

    pub(crate) fn tenant_of_node(&self, id: u32) -> u32 {
        self.nodes.get(id as usize).map_or(NONE, |node| node.tenant)
    }

    fn tenant_root(&self, name: &str) -> Outcome<u32> {
        let id = self.live_resource(name)?;
        match self.nodes.get(id as usize) {
            Some(node) if node.parent == NONE => Ok(id),
            _ => Err(ChangeProblem::NotATenant {
                name: name.to_string(),
            }),
        }
    }

    fn add_resource(
        &mut self,
        name: &str,
        kind: ResourceKind,
        parent: Option<&str>,
    ) -> Outcome<()> {
        fresh(&self.catalog.resources, Entity::Resource, name)?;
        let id = next_id(self.nodes.len(), Entity::Resource, REMOVED as usize)?;
        let (parent, tenant) = match parent {
            Some(parent) => {
                let parent = self.live_resource(parent)?;
                (parent, self.tenant_of_node(parent))
            }
            None => (NONE, id),
        };
        remember(
            &mut self.catalog.resources,
            Entity::Resource,
            name,
            REMOVED as usize,
        )?;
        self.labels.push(Labels::empty());
        let grandparent = self
            .nodes
            .get(parent as usize)
            .map_or(NONE, |node| node.parent);
        self.nodes.push(Node {
            filter: 0,
            parent,
            grandparent,
            tenant,
            grants_start: 0,
            grants_len: 0,
            wide: NO_WIDE,
            kind,
            scope_bit: key::filter_shift(id),
        });
        self.first_child.push(NONE);
        self.next_sibling.push(NONE);
        if parent != NONE {
            self.link_child(parent, id);
        }
        Ok(())
    }

    fn move_resource(&mut self, name: &str, parent: &str) -> Outcome<()> {
        let id = self.live_resource(name)?;
        let new_parent = self.live_resource(parent)?;
        let tenant = self.tenant_of_node(id);
        if self
            .nodes
            .get(id as usize)
            .is_some_and(|node| node.parent == NONE)
        {
            return Err(ChangeProblem::TenantRoot {
                name: name.to_string(),
            });
        }
        if self.tenant_of_node(new_parent) != tenant {
            return Err(self.crossing(parent, new_parent, tenant));
        }
        if self.is_within(new_parent, id) {
            return Err(ChangeProblem::Cycle {
                name: name.to_string(),
                parent: parent.to_string(),
            });
        }
        let old_parent = self.nodes.get(id as usize).map_or(NONE, |node| node.parent);
        let grandparent = self
            .nodes
            .get(new_parent as usize)
            .map_or(NONE, |node| node.parent);
        if let Some(node) = self.nodes.get_mut(id as usize) {
            node.parent = new_parent;
            node.grandparent = grandparent;
        }
        // The children's grandparent is the new parent.
        let children: smallvec::SmallVec<[u32; 16]> = self.children(id).collect();
        for child in children {
            if let Some(node) = self.nodes.get_mut(child as usize) {
                node.grandparent = new_parent;
            }
        }
        self.unlink_child(old_parent, id);
        self.link_child(new_parent, id);
        Ok(())
    }

    fn name_of_resource(&self, id: u32) -> String {
        self.catalog.resources.owned(id)
    }

    fn crossing(&self, what: &str, what_id: u32, tenant: u32) -> ChangeProblem {
        self.crossing_of(Entity::Resource, what, self.tenant_of_node(what_id), tenant)
    }

    /// `name`, an `entity` of `other_tenant`, named by a change in `tenant`.
    fn crossing_of(
        &self,
        entity: Entity,
        name: &str,
        other_tenant: u32,
        tenant: u32,
    ) -> ChangeProblem {
        ChangeProblem::CrossesTenants {
            entity,
            name: name.to_string(),
            tenant: self.name_of_resource(tenant),
            other_tenant: self.name_of_resource(other_tenant),
        }
    }

    fn remove_resource(&mut self, name: &str) -> Outcome<()> {
        let id = self.live_resource(name)?;
        let is_root = self
            .nodes
            .get(id as usize)
            .is_some_and(|n| n.parent == NONE);
        if is_root {
            let users = self.users.iter().any(|user| user.tenant == id);
            let teams = self.catalog.team_tenants.contains(&id);
            if users || teams {
                return Err(ChangeProblem::InUse {
                    entity: Entity::Resource,
                    name: name.to_string(),
                    by: "its users or teams".to_string(),
                });
            }
        }
        let mut subtree = self.subtree(id);
        subtree.sort_unstable();
        let inside = |resource: u32| subtree.binary_search(&resource).is_ok();
        // Grants of users on the subtree.
        for user in 0..self.users.len() {
            let Some(record) = self.users.get(user) else {
                continue;
            };
            let own = self.own_grants(user as u32, record);
            if own.iter().any(|grant| inside(grant.scope)) {
                let kept: Vec<UserGrant> = own
                    .iter()
                    .copied()
                    .filter(|grant| !inside(grant.scope))
                    .collect();
                self.set_user_grants(user, &kept);
            }
        }
        // Keys limited to the subtree, links into it.
        for key_id in 0..self.keys.len() {
            let within = self.keys.get(key_id).map_or(NONE, |k| k.within);
            let live = self.keys.get(key_id).is_some_and(|k| k.owner != REMOVED);
            if live && within != NONE && inside(within) {
                self.remove_key(u32::try_from(key_id).unwrap_or(NONE));
            }
        }
        for link_id in 0..self.links.len() {
            let resource = self.links.get(link_id).map_or(NONE, |l| l.resource);
            if resource != REMOVED && inside(resource) {
                self.remove_link(u32::try_from(link_id).unwrap_or(NONE));
            }
        }
        let parent = self.nodes.get(id as usize).map_or(NONE, |node| node.parent);
        self.unlink_child(parent, id);
        for &node in &subtree {
            self.set_node_run(node, &[]);
            if let Some(record) = self.nodes.get_mut(node as usize) {
                record.tenant = REMOVED;
                record.parent = NONE;
                record.grandparent = NONE;
            }
            for list in [&mut self.first_child, &mut self.next_sibling] {
                if let Some(slot) = list.get_mut(node as usize) {
                    *slot = NONE;
                }
            }
            self.catalog.resources.forget(node);
        }
        Ok(())
    }

    // ---- roles ----

    fn set_role(&mut self, role: &Role, add: bool) -> Outcome<()> {
        let id = if add {
            fresh(&self.catalog.role_ids, Entity::Role, &role.name)?;
            next_id(self.catalog.roles.len(), Entity::Role, REMOVED as usize)?
        } else {
            find(&self.catalog.role_ids, Entity::Role, &role.name)?
        };
        let mut roles = self.catalog.roles.clone();
        let mut ids = self.catalog.role_ids.clone();
        if add {
            roles.push(role.clone());
            ids.insert(role.name.clone(), id);
        } else if let Some(slot) = roles.get_mut(id as usize) {
            *slot = role.clone();
        }
        // Removed roles keep their declarations, but no name maps to them:
        // inheriting one is an unknown reference.
        let mut problems = Problems::default();
        let flat = crate::role::flatten(&roles, &ids, &mut problems);
        if let Some(problem) = problems.into_first() {
            return Err(ChangeProblem::Invalid(problem));
        }
        // A role's eligibility follows what it inherits: changing one role
        // may close every role inheriting it to some user types.
        let narrowed: Vec<bool> = flat
            .eligible
            .iter()
            .enumerate()
            .map(|(index, &open)| !open.contains(self.role_eligibility(index as u32)))
            .collect();
        if narrowed.contains(&true) {
            self.check_role_holders(&narrowed, &flat.eligible, &roles)?;
        }
        self.catalog.roles = roles;
        self.catalog.role_ids = ids;
        self.roles = flat.permissions;
        self.catalog.role_eligible = flat.eligible;
        // Group grants carry their role's eligibility.
        for entry in &mut self.grants {
            if let Some(&open) = self.catalog.role_eligible.get(entry.role as usize) {
                entry.eligible = open;
            }
        }
        Ok(())
    }

    /// Every direct, team and public grant of a `narrowed` role stays
    /// eligible under the roles' new eligibility (`eligible`, of roles
    /// declared as `roles`). One pass over users' grants, memberships and
    /// group grants: linear in the policy, not team grants times users.
    fn check_role_holders(
        &self,
        narrowed: &[bool],
        eligible: &[UserTypes],
        roles: &[Role],
    ) -> Outcome<()> {
        let is_narrowed = |role: u32| narrowed.get(role as usize) == Some(&true);
        let open = |role: u32| {
            eligible
                .get(role as usize)
                .copied()
                .unwrap_or(UserTypes::all())
        };
        let refuse = |role: u32, user: String, user_type: UserType| ChangeProblem::IneligibleRole {
            role: roles
                .get(role as usize)
                .map_or_else(String::new, |decl| decl.name.clone()),
            user,
            user_type,
        };
        for (user, record) in (0..).zip(&self.users) {
            if record.tenant == REMOVED {
                continue;
            }
            for grant in self.own_grants(user, record) {
                if grant.effect != Effect::Deny
                    && is_narrowed(grant.role)
                    && !open(grant.role).contains(record.user_types())
                {
                    return Err(refuse(
                        grant.role,
                        self.catalog.users.owned(user),
                        record.user_type(),
                    ));
                }
            }
        }
        let mut team_types: Option<TeamTypes> = None;
        for entry in self.grants_live() {
            if entry.effect == Effect::Deny || !is_narrowed(entry.role) {
                continue;
            }
            match key::unpack(entry.key) {
                Principal::Team(team) => {
                    let types = team_types.get_or_insert_with(|| self.team_types());
                    if let Some((member, user_type)) = types.ineligible(team.0, open(entry.role)) {
                        return Err(refuse(
                            entry.role,
                            self.catalog.users.owned(member),
                            user_type,
                        ));
                    }
                }
                Principal::Public if !open(entry.role).contains(UserTypes::PUBLIC) => {
                    return Err(refuse(
                        entry.role,
                        "the public".to_string(),
                        UserType::Public,
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The user types of every team's live members (see [`TeamTypes`]), in
    /// one pass over the users.
    fn team_types(&self) -> TeamTypes {
        let mut types = TeamTypes::new(self.catalog.team_tenants.len());
        for (user, record) in (0..).zip(&self.users) {
            if record.tenant == REMOVED {
                continue;
            }
            for &team in self.teams_of(record) {
                types.add(team, user, record.user_type());
            }
        }
        types
    }

    /// Every group grant in a live node's run.
    fn grants_live(&self) -> impl Iterator<Item = &GrantEntry> + '_ {
        self.nodes
            .iter()
            .filter(|node| node.tenant != REMOVED)
            .flat_map(|node| self.group_grants(node))
    }

    fn remove_role(&mut self, name: &str) -> Outcome<()> {
        let id = find(&self.catalog.role_ids, Entity::Role, name)?;
        let in_use = |by: String| ChangeProblem::InUse {
            entity: Entity::Role,
            name: name.to_string(),
            by,
        };
        if let Some(heir) = self
            .catalog
            .roles
            .iter()
            .enumerate()
            .find_map(|(index, role)| {
                let live = self.catalog.role_ids.get(&role.name)
                    == Some(&u32::try_from(index).unwrap_or(NONE));
                (live && role.inherits.iter().any(|parent| parent == name))
                    .then(|| role.name.clone())
            })
        {
            return Err(in_use(format!("role {heir:?}, which inherits it")));
        }
        let granted = self.grants_live().any(|entry| entry.role == id)
            || (0..).zip(&self.users).any(|(user, record)| {
                record.tenant != REMOVED
                    && self
                        .own_grants(user, record)
                        .iter()
                        .any(|grant| grant.role == id)
            });
        if granted {
            return Err(in_use("grants; revoke them first".to_string()));
        }
        self.catalog.role_ids.remove(name);
        if let Some(flat) = self.roles.get_mut(id as usize) {
            *flat = [Permissions::empty(); ResourceKind::COUNT];
        }
        // Keep only the name (for explanations of old decisions): a removed
        // role inherits nothing, so later flattening never trips over it.
        if let Some(decl) = self.catalog.roles.get_mut(id as usize) {
            *decl = Role::new(name);
        }
        Ok(())
    }

    // ---- teams and users ----

    fn add_team(&mut self, name: &str, tenant: &str) -> Outcome<()> {
        fresh(&self.catalog.teams, Entity::Team, name)?;
        let tenant = self.tenant_root(tenant)?;
        next_id(self.catalog.teams.len(), Entity::Team, key::MAX_INDEX)?;
        remember(&mut self.catalog.teams, Entity::Team, name, key::MAX_INDEX)?;
        self.catalog.team_tenants.push(tenant);
        Ok(())
    }

    fn remove_team(&mut self, name: &str) -> Outcome<()> {
        let id = find(&self.catalog.teams, Entity::Team, name)?;
        self.room(0)?;
        for user in 0..self.users.len() {
            let Some(record) = self.users.get(user) else {
                continue;
            };
            let teams = self.teams_of(record);
            if teams.contains(&id) {
                let kept: Vec<u32> = teams.iter().copied().filter(|&t| t != id).collect();
                self.set_user_teams(user, &kept);
            }
        }
        let team_key = key::TEAM | id;
        for node in 0..self.nodes.len() {
            let Some(record) = self.nodes.get(node) else {
                continue;
            };
            let entries = self.group_grants(record);
            if entries.iter().any(|entry| entry.key == team_key) {
                let kept: Vec<GrantEntry> = entries
                    .iter()
                    .copied()
                    .filter(|e| e.key != team_key)
                    .collect();
                self.set_node_run(u32::try_from(node).unwrap_or(NONE), &kept);
            }
        }
        self.catalog.teams.forget(id);
        if let Some(tenant) = self.catalog.team_tenants.get_mut(id as usize) {
            *tenant = REMOVED;
        }
        Ok(())
    }

    fn add_user(&mut self, user: &User) -> Outcome<()> {
        fresh(&self.catalog.users, Entity::User, &user.name)?;
        let id = next_id(self.users.len(), Entity::User, key::MAX_INDEX)?;
        let tenant = self.tenant_root(&user.tenant)?;
        let type_channels = user.user_type.channels();
        let channels = match user.channels {
            Some(asked) if !type_channels.contains(asked) => {
                return Err(ChangeProblem::ChannelsNotAllowed {
                    user: user.name.clone(),
                    user_type: user.user_type,
                    extra: asked - type_channels,
                })
            }
            Some(asked) => asked,
            None => type_channels,
        };
        let mut teams = Vec::with_capacity(user.teams.len());
        for team in &user.teams {
            let team_id = find(&self.catalog.teams, Entity::Team, team)?;
            self.check_team_for(team, team_id, tenant, &user.name, user.user_type)?;
            teams.push(team_id);
        }
        teams.sort_unstable();
        teams.dedup();
        if teams.len() > MAX_TEAMS_PER_USER {
            return Err(ChangeProblem::TooManyTeams {
                user: user.name.clone(),
                max: MAX_TEAMS_PER_USER,
            });
        }
        if user.status == Status::Active {
            self.check_seat(user.user_type)?;
        }
        self.room(teams.len())?;
        remember(
            &mut self.catalog.users,
            Entity::User,
            &user.name,
            key::MAX_INDEX,
        )?;
        self.users.push(UserRecord::new(
            tenant,
            0,
            0,
            0,
            State::Active,
            user.user_type,
            channels,
        ));
        self.set_user_status(id, user.status);
        self.set_user_labels(id, user.labels);
        self.set_user_teams(id as usize, &teams);
        Ok(())
    }

    /// A user of `tenant` and type `user_type` may join `team`: same tenant,
    /// and every role the team holds is open to the user's type.
    fn check_team_for(
        &self,
        team: &str,
        team_id: u32,
        tenant: u32,
        user: &str,
        user_type: UserType,
    ) -> Outcome<()> {
        let team_tenant = self
            .catalog
            .team_tenants
            .get(team_id as usize)
            .copied()
            .unwrap_or(NONE);
        if team_tenant != tenant {
            return Err(self.crossing_team(team, team_tenant, tenant));
        }
        // Most models limit no role to some user types: nothing to scan.
        if self
            .catalog
            .role_eligible
            .iter()
            .all(|open| open.contains(user_type.as_set()))
        {
            return Ok(());
        }
        let team_key = key::TEAM | team_id;
        // Whether the team's grant would reach the user: the rule decisions use.
        let audience = crate::policy::Audience {
            user_type: user_type.as_set(),
            labels: Labels::empty(),
        };
        for entry in self.grants_live() {
            if entry.key == team_key && !audience.may_hold(entry.effect, entry.eligible) {
                let role = self
                    .catalog
                    .roles
                    .get(entry.role as usize)
                    .map_or_else(String::new, |role| role.name.clone());
                return Err(ChangeProblem::IneligibleRole {
                    role,
                    user: user.to_string(),
                    user_type,
                });
            }
        }
        Ok(())
    }

    fn crossing_team(&self, team: &str, team_tenant: u32, tenant: u32) -> ChangeProblem {
        self.crossing_of(Entity::Team, team, team_tenant, tenant)
    }

    fn check_seat(&self, user_type: UserType) -> Outcome<()> {
        if let Some(seats) = self.seats {
            let used = seats_used(&self.users, seats);
            if seats.counted.contains(user_type.as_set()) && used >= seats.limit as usize {
                return Err(ChangeProblem::SeatsExceeded {
                    limit: seats.limit,
                    used: used + 1,
                });
            }
        }
        Ok(())
    }

    fn remove_user(&mut self, user: u32) {
        let index = user as usize;
        self.set_user_teams(index, &[]);
        self.set_user_grants(index, &[]);
        for key_id in 0..self.keys.len() {
            if self.keys.get(key_id).is_some_and(|k| k.owner == user) {
                self.remove_key(u32::try_from(key_id).unwrap_or(NONE));
            }
        }
        if let Some(record) = self.users.get_mut(index) {
            record.tenant = REMOVED;
        }
        self.set_user_status(user, Status::Deactivated);
        self.set_user_labels(user, Labels::empty());
        self.catalog.users.forget(user);
    }

    fn set_membership(&mut self, user: &str, team: &str, member: bool) -> Outcome<()> {
        let user_id = find(&self.catalog.users, Entity::User, user)?;
        let team_id = find(&self.catalog.teams, Entity::Team, team)?;
        let Some(record) = self.users.get(user_id as usize) else {
            return Err(unknown(Entity::User, user));
        };
        let teams = self.teams_of(record);
        let position = teams.binary_search(&team_id);
        let mut next = teams.to_vec();
        match (member, position) {
            (true, Ok(_)) => {
                return Err(ChangeProblem::AlreadyMember {
                    user: user.to_string(),
                    team: team.to_string(),
                })
            }
            (false, Err(_)) => {
                return Err(ChangeProblem::NotInTeam {
                    user: user.to_string(),
                    team: team.to_string(),
                })
            }
            (true, Err(at)) => {
                self.check_team_for(team, team_id, record.tenant, user, record.user_type())?;
                if teams.len() >= MAX_TEAMS_PER_USER {
                    return Err(ChangeProblem::TooManyTeams {
                        user: user.to_string(),
                        max: MAX_TEAMS_PER_USER,
                    });
                }
                next.insert(at, team_id);
            }
            (false, Ok(at)) => {
                next.remove(at);
            }
        }
        self.room(next.len())?;
        self.set_user_teams(user_id as usize, &next);
        Ok(())
    }

    fn activate(&mut self, user: u32) -> Outcome<()> {
        let user_type = self
            .users
            .get(user as usize)
            .map_or(UserType::Native, |record| record.user_type());
        self.check_seat(user_type)?;
        self.set_user_status(user, Status::Active);
        Ok(())
    }

    fn wrong_status(&self, user: &str, status: Status, expected: &'static str) -> ChangeProblem {
        ChangeProblem::WrongStatus {
            user: user.to_string(),
            status,
            expected,
        }
    }

    // ---- grants ----

    /// Adds a grant applying `when` the condition holds, or with `None`
    /// revokes the grant of the same principal, scope, role and effect.
    fn grant(
        &mut self,
        grantee: &Grantee,
        scope: &str,
        role: &str,
        effect: Effect,
        when: Option<Condition>,
        by: Option<&Author>,
    ) -> Outcome<()> {
        let add = when.is_some();
        let condition = when.unwrap_or_default();
        // An author is told nothing about other tenants (item 9): his own
        // tenant is found first, and the scope and grantee must be in it
        // before anything else is checked about them or about his rights,
        // so that one of another tenant fails where, and as, a missing name
        // does (`CrossesTenants`, which `for_caller` reads as `Unknown`).
        let author = match by {
            Some(author) => Some((author, author.subject(self)?)),
            None => None,
        };
        let scope_id = self.live_resource(scope)?;
        let tenant = self.tenant_of_node(scope_id);
        if let Some((_, (_, author_tenant))) = author {
            if tenant != author_tenant {
                return Err(self.crossing(scope, scope_id, author_tenant));
            }
        }
        let role_id = find(&self.catalog.role_ids, Entity::Role, role)?;
        let principal = match grantee {
            Grantee::User(name) => {
                let user = find(&self.catalog.users, Entity::User, name)?;
                let user_tenant = self.users.get(user as usize).map_or(NONE, |r| r.tenant);
                if user_tenant != tenant {
                    return Err(self.crossing_of(Entity::User, name, user_tenant, tenant));
                }
                Principal::User(UserId(user))
            }
            Grantee::Team(name) => {
                let team = find(&self.catalog.teams, Entity::Team, name)?;
                let team_tenant = self
                    .catalog
                    .team_tenants
                    .get(team as usize)
                    .copied()
                    .unwrap_or(NONE);
                if team_tenant != tenant {
                    return Err(self.crossing_team(name, team_tenant, tenant));
                }
                Principal::Team(TeamId(team))
            }
            Grantee::Everyone => Principal::Everyone,
            Grantee::Public => Principal::Public,
        };
        let grant = Grant {
            principal,
            scope: ResourceId(scope_id),
            role: RoleId(role_id),
            effect,
        };
        if add && effect != Effect::Deny {
            if let Err(Reason::RoleNotEligible) = self.eligible(principal, role_id) {
                return Err(self.ineligible_grant(grantee, role_id));
            }
        }
        if let Some((author, (subject, _))) = author {
            let decision = if add {
                self.can_grant_when(&subject, &grant, condition)
            } else {
                self.can_revoke(&subject, &grant)
            };
            if !decision.is_allowed() {
                return Err(ChangeProblem::Refused {
                    author: author.credential.name().to_string(),
                    reason: decision.reason(),
                    explanation: self.explain(decision.reason()).to_string(),
                });
            }
        }
        match principal {
            Principal::User(UserId(user)) => {
                let Some(record) = self.users.get(user as usize) else {
                    return Err(unknown(Entity::User, &grantee.to_string()));
                };
                let own = self.own_grants(user, record);
                let entry = UserGrant {
                    scope: scope_id,
                    effect,
                    role: role_id,
                    condition,
                };
                // The condition is not part of a grant's identity.
                let identity = entry.identity(user);
                let mut next = own.to_vec();
                match (
                    add,
                    own.binary_search_by(|g| g.identity(user).cmp(&identity)),
                ) {
                    (true, Ok(_)) => return Err(ChangeProblem::AlreadyGranted),
                    (false, Err(_)) => return Err(ChangeProblem::NotGranted),
                    (true, Err(at)) => next.insert(at, entry),
                    (false, Ok(at)) => {
                        next.remove(at);
                    }
                }
                self.room(next.len())?;
                self.set_user_grants(user as usize, &next);
            }
            _ => {
                let Some(node) = self.nodes.get(scope_id as usize) else {
                    return Err(unknown(Entity::Resource, scope));
                };
                let packed = key::pack(principal);
                let eligible = self.role_eligibility(role_id);
                let entry = GrantEntry {
                    key: packed,
                    effect,
                    role: role_id,
                    filter_bit: key::filter_shift(packed),
                    eligible,
                    condition,
                };
                let entries = self.group_grants(node);
                let identity = entry.identity(scope_id);
                let position = entries.binary_search_by(|e| e.identity(scope_id).cmp(&identity));
                let mut next = entries.to_vec();
                match (add, position) {
                    (true, Ok(_)) => return Err(ChangeProblem::AlreadyGranted),
                    (false, Err(_)) => return Err(ChangeProblem::NotGranted),
                    (true, Err(at)) => next.insert(at, entry),
                    (false, Ok(at)) => {
                        next.remove(at);
                    }
                }
                self.room(next.len())?;
                self.set_node_run(scope_id, &next);
            }
        }
        Ok(())
    }

    fn ineligible_grant(&self, grantee: &Grantee, role: u32) -> ChangeProblem {
        let decl = self.catalog.roles.get(role as usize);
        let open = self.role_eligibility(role);
        let role_name = decl.map_or_else(String::new, |decl| decl.name.clone());
        let who = |user: u32| {
            let record = self.users.get(user as usize);
            (
                self.catalog.users.owned(user),
                record.map_or(UserType::Native, |r| r.user_type()),
            )
        };
        let (user, user_type) = match grantee {
            Grantee::User(name) => {
                let id = self.catalog.users.id(name).unwrap_or(NONE);
                who(id)
            }
            Grantee::Team(name) => {
                let team = self.catalog.teams.id(name).unwrap_or(NONE);
                self.members(team)
                    .find(|&m| {
                        self.users
                            .get(m as usize)
                            .is_some_and(|r| !open.contains(r.user_types()))
                    })
                    .map_or_else(|| (String::new(), UserType::Native), who)
            }
            Grantee::Everyone | Grantee::Public => ("the public".to_string(), UserType::Public),
        };
        ChangeProblem::IneligibleRole {
            role: role_name,
            user,
            user_type,
        }
    }

    // ---- keys and links ----

    fn add_key(&mut self, api_key: &ApiKey) -> Outcome<()> {
        fresh(&self.catalog.keys, Entity::Key, &api_key.name)?;
        next_id(self.keys.len(), Entity::Key, REMOVED as usize)?;
        let owner = find(&self.catalog.users, Entity::User, &api_key.owner)?;
        let owner_tenant = self.users.get(owner as usize).map_or(NONE, |r| r.tenant);
        let within = match &api_key.within {
            None => NONE,
            Some(name) => {
                let within = self.live_resource(name)?;
                if self.tenant_of_node(within) != owner_tenant {
                    return Err(self.crossing(name, within, owner_tenant));
                }
                within
            }
        };
        remember(
            &mut self.catalog.keys,
            Entity::Key,
            &api_key.name,
            REMOVED as usize,
        )?;
        self.keys.push(KeyRecord {
            owner,
            within,
            scope: api_key.scope,
            expires_at: api_key.expires_at,
            revoked: api_key.revoked,
        });
        Ok(())
    }

    fn remove_key(&mut self, id: u32) {
        if let Some(record) = self.keys.get_mut(id as usize) {
            record.owner = REMOVED;
            record.revoked = true;
        }
        self.catalog.keys.forget(id);
    }

    fn add_link(&mut self, link: &PublicLink) -> Outcome<()> {
        fresh(&self.catalog.links, Entity::Link, &link.name)?;
        next_id(self.links.len(), Entity::Link, REMOVED as usize)?;
        let resource = self.live_resource(&link.resource)?;
        remember(
            &mut self.catalog.links,
            Entity::Link,
            &link.name,
            REMOVED as usize,
        )?;
        self.links.push(LinkRecord {
            resource,
            permissions: link.permissions,
            expires_at: link.expires_at,
            revoked: link.revoked,
        });
        Ok(())
    }

    fn remove_link(&mut self, id: u32) {
        if let Some(record) = self.links.get_mut(id as usize) {
            record.resource = REMOVED;
            record.revoked = true;
        }
        self.catalog.links.forget(id);
    }

    // ---- runs ----

    /// Replaces a node's group grants, with its filters.
    fn set_node_run(&mut self, node: u32, entries: &[GrantEntry]) {
        let Some(record) = self.nodes.get_mut(node as usize) else {
            return;
        };
        crate::authority::reindex(
            &mut self.restrictions,
            (record.tenant, node),
            run(
                &self.grants,
                record.grants_start,
                record.grants_len as usize,
            ),
            entries,
        );
        replace_run(
            &mut self.grants,
            &mut record.grants_start,
            record.grants_len as usize,
            entries,
            &mut self.garbage,
        );
        record.grants_len = u32::try_from(entries.len()).unwrap_or(0);
        record.filter = entries
            .iter()
            .fold(0, |filter, entry| filter | 1 << entry.filter_bit);
        if entries.len() > LINEAR_RUN {
            set_wide_filter(&mut self.wide_filters, record, entries);
        }
    }

    /// Replaces a user's teams (sorted), with its filter.
    fn set_user_teams(&mut self, user: usize, teams: &[u32]) {
        let Some(record) = self.users.get_mut(user) else {
            return;
        };
        let old = record.teams_len();
        replace_run(
            &mut self.user_teams,
            &mut record.teams_start,
            old,
            teams,
            &mut self.garbage,
        );
        record.set_teams_len(teams.len());
        record.filter = teams
            .iter()
            .fold(key::filter_bit(key::EVERYONE), |filter, &team| {
                filter | key::filter_bit(key::TEAM | team)
            });
    }

    /// Replaces a user's own grants (sorted), with its filter.
    fn set_user_grants(&mut self, user: usize, grants: &[UserGrant]) {
        let user = u32::try_from(user).unwrap_or(NONE);
        let Some(record) = self.users.get_mut(user as usize) else {
            return;
        };
        let old = own_grant_count(record, &self.long_runs, user);
        replace_run(
            &mut self.user_grants,
            &mut record.grants_start,
            old,
            grants,
            &mut self.garbage,
        );
        set_own_grant_count(record, &mut self.long_runs, user, grants.len());
        record.scope_filter = grants.iter().fold(0, |filter, grant| {
            filter | 1 << key::filter_shift(grant.scope)
        });
    }

    /// Copies every live run into fresh arenas once garbage outweighs them,
    /// so memory stays proportional to the model however long it changes.
    fn compact_if_wasteful(&mut self) {
        let live = self.grants.len() + self.user_teams.len() + self.user_grants.len();
        if self.garbage <= live / 2 + 1024 {
            return;
        }
        let mut grants = Vec::with_capacity(self.grants.len());
        // Field by field: the arenas are read while the owners are written.
        for node in &mut self.nodes {
            let entries = run(&self.grants, node.grants_start, node.grants_len as usize);
            node.grants_start = u32::try_from(grants.len()).unwrap_or(NONE);
            grants.extend_from_slice(entries);
        }
        let mut user_teams = Vec::with_capacity(self.user_teams.len());
        let mut user_grants = Vec::with_capacity(self.user_grants.len());
        for (user, record) in (0u32..).zip(&mut self.users) {
            let teams = run(&self.user_teams, record.teams_start, record.teams_len());
            record.teams_start = u32::try_from(user_teams.len()).unwrap_or(NONE);
            user_teams.extend_from_slice(teams);
            let count = own_grant_count(record, &self.long_runs, user);
            let own = run(&self.user_grants, record.grants_start, count);
            record.grants_start = u32::try_from(user_grants.len()).unwrap_or(NONE);
            user_grants.extend_from_slice(own);
        }
        self.grants = grants;
        self.user_teams = user_teams;
        self.user_grants = user_grants;
        self.garbage = 0;
    }
}
