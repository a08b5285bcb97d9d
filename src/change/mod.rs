//! Changing a compiled policy: typed, validated, atomic changes.
//! The concept is documented on [`Change`], where users read it.
//!
//! The public data of a change lives here; applying one is in [`apply`]
//! (checks and dispatch), [`model`] (resources and roles), [`members`]
//! (teams, users, keys and links) and [`grants`], each writing the layout
//! only through [`store`](crate::policy::store).

mod apply;
mod grants;
mod lifecycle;
mod members;
mod model;

use apply::Outcome;

use alloc::string::{String, ToString};
use core::fmt;

use crate::directory::{ApiKey, Channel, PublicLink, User};
use crate::grant::{Effect, Grantee};
use crate::label::{Condition, Labels};
use crate::permission::Permissions;
use crate::policy::{KeyRecord, Policy, Seats};
use crate::resource::{ResourceId, ResourceKind};
use crate::role::Role;
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
    fn subject(&self, policy: &Policy) -> Outcome<(Subject, Option<ResourceId>)> {
        let (subject, user) = match &self.credential {
            AuthorCredential::User(name) => {
                let user = policy.user_named(name)?;
                (Subject::user(user, self.channel), Some(user))
            }
            AuthorCredential::Key(name) => {
                let key = policy.key_named(name)?;
                let owner = policy
                    .keys
                    .get(key.0 as usize)
                    .and_then(KeyRecord::owner_id);
                (Subject::key(key), owner)
            }
        };
        let tenant = user.and_then(|user| policy.user_tenant(user));
        Ok((subject.with_mfa(self.mfa).at(self.at), tenant))
    }
}

/// One edit of a compiled [`Policy`], by names, as a host's product makes
/// them all day: people are invited, accept, get suspended, leave; teams and
/// grants change; keys are created and revoked.
///
/// [`Policy::apply`] validates a change first and applies it whole or not at
/// all: on an error the policy is exactly as before, and the [`ChangeError`](crate::ChangeError)
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
/// policy.apply(Change::Suspend { user: "ann".into(), by: None })?;
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
    /// Refused for a protected account.
    RemoveUser {
        /// The user.
        name: String,
        /// Who makes the change, if it is to be authorized: he needs
        /// [`MANAGE_MEMBERS`](crate::Permissions::MANAGE_MEMBERS) at the
        /// user's tenant root, and the user must be of his tenant.
        by: Option<Author>,
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
    /// Moves a user from one team to another, as one change: refused whole
    /// when it is not in `from` or is in `to` already. The way between
    /// exclusive teams ([`PolicyBuilder::exclusive_teams`](crate::PolicyBuilder::exclusive_teams)),
    /// where leaving one and joining another as two changes would leave
    /// the user in none, or two, on the way.
    MoveMembership {
        /// The user.
        user: String,
        /// The team it leaves.
        from: String,
        /// The team it joins.
        to: String,
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
    /// expire at 0) is refused ([`ChangeProblem::AlreadyExpired`](crate::ChangeProblem::AlreadyExpired)). One
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
    /// Refused for a protected account.
    Suspend {
        /// The user.
        user: String,
        /// Who makes the change, if it is to be authorized: he needs
        /// [`MANAGE_MEMBERS`](crate::Permissions::MANAGE_MEMBERS) at the
        /// user's tenant root, and the user must be of his tenant.
        by: Option<Author>,
    },
    /// Makes a suspended or deactivated user active again.
    Reactivate {
        /// The user.
        user: String,
        /// Who makes the change, if it is to be authorized: he needs
        /// [`MANAGE_MEMBERS`](crate::Permissions::MANAGE_MEMBERS) at the
        /// user's tenant root, and the user must be of his tenant.
        by: Option<Author>,
    },
    /// Deactivates an active or suspended user (it keeps its grants, for a
    /// later reactivation). A pending invitation is expired or revoked
    /// instead. Refused for a protected account.
    Deactivate {
        /// The user.
        user: String,
        /// Who makes the change, if it is to be authorized: he needs
        /// [`MANAGE_MEMBERS`](crate::Permissions::MANAGE_MEMBERS) at the
        /// user's tenant root, and the user must be of his tenant.
        by: Option<Author>,
    },
    /// Gives a user another [`UserType`](crate::UserType), with the
    /// channels it may use (`None`: all of the new type's, as
    /// [`User::channels`](crate::User::channels) reads). Refused when the
    /// channels go beyond the type's, when a role the user holds (itself
    /// or through a team) is not open to the type, when the type takes a
    /// licence seat none is left for, and for a protected account.
    SetUserType {
        /// The user.
        user: String,
        /// Its new type.
        user_type: crate::UserType,
        /// Its channels, when narrower than the type's.
        #[cfg_attr(feature = "serde", serde(default))]
        channels: Option<crate::Channels>,
        /// Who makes the change, if it is to be authorized: he needs
        /// [`MANAGE_MEMBERS`](crate::Permissions::MANAGE_MEMBERS) at the
        /// user's tenant root, and the user must be of his tenant.
        by: Option<Author>,
    },
    /// Sets the channels a user may use (`None`: all of its type's), as
    /// [`User::channels`](crate::User::channels) does. Refused when they go
    /// beyond the type's, and for a protected account.
    SetChannels {
        /// The user.
        user: String,
        /// Its channels, when narrower than its type's.
        #[cfg_attr(feature = "serde", serde(default))]
        channels: Option<crate::Channels>,
        /// Who makes the change, if it is to be authorized: he needs
        /// [`MANAGE_MEMBERS`](crate::Permissions::MANAGE_MEMBERS) at the
        /// user's tenant root, and the user must be of his tenant.
        by: Option<Author>,
    },
    /// Grants `role` on `scope` to `grantee`. With an author, the grant must
    /// pass [`Policy::can_grant_when`] (under its condition) for that author.
    /// Refused with [`AlreadyGranted`](crate::ChangeProblem::AlreadyGranted) when
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
    /// Refused with [`NotGranted`](crate::ChangeProblem::NotGranted) when there is
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
    /// Replaces the role `grantee` holds on `scope` (with `effect`) by
    /// another: one change, checked as a whole. With an author, the
    /// revocation must pass [`Policy::can_revoke`] and the new grant
    /// [`Policy::can_grant_when`], both against the policy as it is
    /// before the change, so an author changing his own role keeps the
    /// right to finish, and the new role is checked against escalation
    /// like any grant. Refused, whole, when the grantee does not hold
    /// `from` ([`NotGranted`](crate::ChangeProblem::NotGranted)) or holds
    /// `to` already ([`AlreadyGranted`](crate::ChangeProblem::AlreadyGranted)).
    ReplaceRole {
        /// Who holds it.
        grantee: Grantee,
        /// Where.
        scope: String,
        /// The role held now.
        from: String,
        /// The role to hold instead.
        to: String,
        /// The effect of both grants (`Allow` if omitted in a serialized
        /// change).
        #[cfg_attr(feature = "serde", serde(default = "allow"))]
        effect: Effect,
        /// When the new grant applies; `Always` if omitted in a serialized
        /// change.
        #[cfg_attr(feature = "serde", serde(default))]
        when: Condition,
        /// Who makes the change, if it is to be authorized.
        by: Option<Author>,
    },
    /// Adds an API key.
    AddKey(ApiKey),
    /// Revokes an API key: refused at once, kept for the record. A key
    /// revoked already is refused ([`ChangeProblem::AlreadyRevoked`](crate::ChangeProblem::AlreadyRevoked)).
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
    /// link revoked already is refused ([`ChangeProblem::AlreadyRevoked`](crate::ChangeProblem::AlreadyRevoked)).
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

impl Change {
    /// Whether the change can leave an account without a required role:
    /// it takes a grant away or adds a deny or override, changes
    /// memberships, a role's permissions or an account's type, or adds an
    /// account. Granting an allow or lifting a deny can only give. Where a
    /// role is required on every resource of a kind (`on_kinds`), adding,
    /// moving or removing a resource may also take one.
    pub(crate) fn may_take_a_role(&self, on_kinds: bool) -> bool {
        let resource = matches!(
            self,
            Change::AddResource { .. }
                | Change::MoveResource { .. }
                | Change::RemoveResource { .. }
        );
        (on_kinds && resource)
            || matches!(
                self,
                Change::Grant {
                    effect: Effect::Deny | Effect::Override,
                    ..
                } | Change::Revoke {
                    effect: Effect::Allow | Effect::Override,
                    ..
                } | Change::ReplaceRole { .. }
                    | Change::AddMembership { .. }
                    | Change::RemoveMembership { .. }
                    | Change::MoveMembership { .. }
                    | Change::RemoveTeam { .. }
                    | Change::AddUser(_)
                    | Change::Invite { .. }
                    | Change::SetUserType { .. }
                    | Change::UpdateRole(_)
            )
    }
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
            Change::RemoveUser { name, .. } => write!(f, "remove user {name:?}"),
            Change::AddMembership { user, team } => write!(f, "add {user:?} to team {team:?}"),
            Change::RemoveMembership { user, team } => {
                write!(f, "remove {user:?} from team {team:?}")
            }
            Change::MoveMembership { user, from, to } => {
                write!(f, "move {user:?} from team {from:?} to team {to:?}")
            }
            Change::Invite { user, .. } => write!(f, "invite {:?}", user.name),
            Change::AcceptInvitation { user, .. } => write!(f, "{user:?} accepts the invitation"),
            Change::ExpireInvitation { user } => write!(f, "expire the invitation of {user:?}"),
            Change::RevokeInvitation { user } => write!(f, "revoke the invitation of {user:?}"),
            Change::Suspend { user, .. } => write!(f, "suspend {user:?}"),
            Change::Reactivate { user, .. } => write!(f, "reactivate {user:?}"),
            Change::Deactivate { user, .. } => write!(f, "deactivate {user:?}"),
            Change::SetUserType {
                user, user_type, ..
            } => write!(f, "make {user:?} a {user_type} user"),
            Change::SetChannels {
                user,
                channels: Some(channels),
                ..
            } => write!(f, "let {user:?} use {channels}"),
            Change::SetChannels {
                user,
                channels: None,
                ..
            } => write!(f, "let {user:?} use every channel of its type"),
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
            Change::ReplaceRole {
                grantee,
                scope,
                from,
                to,
                ..
            } => write!(
                f,
                "give {grantee} the role {to:?} instead of {from:?} on {scope:?}"
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

/// The effect of a serialized [`Change::ReplaceRole`] that gives none.
#[cfg(feature = "serde")]
fn allow() -> Effect {
    Effect::Allow
}
