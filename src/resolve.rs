//! From what a host knows about a request to the [`Subject`] decisions
//! take: the name of a user, API key or public link, the channel, whether
//! the session passed MFA, and the time. The concept is documented on
//! [`Credentials`], where users read it.

use alloc::string::{String, ToString};
use core::fmt;

use crate::directory::Channel;
use crate::policy::Policy;
use crate::subject::{time_of, Subject};

/// Which kind of credential a name stands for: the three ways in of a
/// [`Subject`] ([`Credential`](crate::Credential) is the same, by id).
///
/// It displays and serializes in one spelling: `user`, `key`, `link`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CredentialKind {
    /// A user's account.
    User,
    /// An API key, acting for its owner.
    Key,
    /// A public link.
    Link,
}

impl CredentialKind {
    /// The kind as people read it in a sentence: `user`, `API key`,
    /// `public link`.
    fn noun(self) -> &'static str {
        match self {
            CredentialKind::User => "user",
            CredentialKind::Key => "API key",
            CredentialKind::Link => "public link",
        }
    }
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CredentialKind::User => "user",
            CredentialKind::Key => "key",
            CredentialKind::Link => "link",
        })
    }
}

/// What a host knows about who is asking, by name: the input of
/// [`Policy::resolve`], which turns it into the [`Subject`] every decision
/// takes, in one call.
///
/// Each constructor asks for everything its credential needs, the time
/// included, so that no subject leaves the resolver without a clock (an
/// expired key, link or invitation is then decided as expired, never as
/// [`Reason::TimeUnknown`](crate::Reason::TimeUnknown) because a call was
/// forgotten); a host that has truly no time passes `u64::MAX`, which is
/// no time ([`Subject::at`]). MFA starts as not passed, as for a
/// [`Subject`]: vouch for the session with
/// [`with_mfa`](Credentials::with_mfa).
///
/// - [`user`](Credentials::user) takes the channel the request came
///   through, which the user's account must be allowed to use.
/// - [`key`](Credentials::key) and [`link`](Credentials::link) take none:
///   a key always acts through [`Channel::Api`], a link through
///   [`Channel::Link`] (as [`Subject::key`] and [`Subject::link`] do), so
///   there is no channel to get wrong.
///
/// ```
/// use clearance::*;
///
/// let policy = PolicyBuilder::new()
///     .tenant("acme", ResourceKind::Organization)
///     .resource("ws", ResourceKind::Workspace, "acme")
///     .role(Role::new("viewer").allow([ResourceKind::Workspace], Permissions::VIEW))
///     .user(User::new("ann@acme.test", "acme"))
///     .grant(Grantee::user("ann@acme.test"), "ws", "viewer", Effect::Allow)
///     .api_key(ApiKey::new("ci-deploy", "ann@acme.test").scope(Permissions::VIEW))
///     .build()?;
/// let now = 1_700_000_000;
/// let ws = policy.resource_id("ws").unwrap();
///
/// let ann = policy.resolve(Credentials::user("ann@acme.test", Channel::Web, now).with_mfa(true))?;
/// assert!(policy.authorize(&ann, Action::View, ws).is_allowed());
/// let ci = policy.resolve(Credentials::key("ci-deploy", now))?;
/// assert_eq!(ci.channel(), Channel::Api);
///
/// let nobody = policy.resolve(Credentials::key("guessed", now)).unwrap_err();
/// assert_eq!(nobody.to_string(), r#"unknown API key "guessed""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use]
pub struct Credentials<'a> {
    kind: CredentialKind,
    name: &'a str,
    channel: Channel,
    mfa: bool,
    now: u64,
}

impl<'a> Credentials<'a> {
    /// The user named `name`, asking through `channel` at time `now`
    /// (seconds on the host's clock), without MFA.
    pub const fn user(name: &'a str, channel: Channel, now: u64) -> Credentials<'a> {
        Credentials {
            kind: CredentialKind::User,
            name,
            channel,
            mfa: false,
            now,
        }
    }

    /// The API key named `name`, asking (through [`Channel::Api`]) at
    /// time `now`, without MFA: see [`Subject::key`] for when a host may
    /// vouch for a key with [`with_mfa`](Credentials::with_mfa).
    pub const fn key(name: &'a str, now: u64) -> Credentials<'a> {
        Credentials {
            kind: CredentialKind::Key,
            name,
            channel: Channel::Api,
            mfa: false,
            now,
        }
    }

    /// The holder of the public link named `name`, asking (through
    /// [`Channel::Link`]) at time `now`. A link has no session: it never
    /// passes MFA, whatever [`with_mfa`](Credentials::with_mfa) says.
    pub const fn link(name: &'a str, now: u64) -> Credentials<'a> {
        Credentials {
            kind: CredentialKind::Link,
            name,
            channel: Channel::Link,
            mfa: false,
            now,
        }
    }

    /// Whether the session passed multi-factor authentication (as
    /// [`Subject::with_mfa`]).
    pub const fn with_mfa(mut self, mfa: bool) -> Credentials<'a> {
        self.mfa = mfa;
        self
    }

    /// Which kind of credential the name stands for.
    #[must_use]
    pub const fn kind(&self) -> CredentialKind {
        self.kind
    }

    /// The name, as the host gave it.
    #[must_use]
    pub const fn name(&self) -> &'a str {
        self.name
    }

    /// The channel: the one given for a user, [`Channel::Api`] for a key,
    /// [`Channel::Link`] for a link.
    #[must_use]
    pub const fn channel(&self) -> Channel {
        self.channel
    }

    /// Whether the session passed MFA (always `false` for a link).
    #[must_use]
    pub const fn mfa(&self) -> bool {
        self.mfa && !matches!(self.kind, CredentialKind::Link)
    }

    /// The time, or `None` for `u64::MAX` (no time, as [`Subject::at`]).
    #[must_use]
    pub const fn now(&self) -> Option<u64> {
        time_of(self.now)
    }
}

/// No user, API key or public link of the policy has the name a host
/// passed to [`Policy::resolve`]: the caller is not known (answer it as
/// unauthenticated).
///
/// A removed entity is unknown like one that never existed (ids are never
/// reused, and a removed name stands for nothing). The error holds only
/// what the caller sent, cut to [`MAX_NAME`](UnknownCredential::MAX_NAME)
/// bytes, and its text shows the name escaped (`{:?}`), so that a hostile
/// header can neither make a huge error nor write control characters into
/// a log.
///
/// ```
/// use clearance::{Channel, Credentials, PolicyBuilder, ResourceKind};
///
/// let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
/// let header = "eve\n[ok] admin logged in";
/// let error = policy.resolve(Credentials::user(header, Channel::Web, 0)).unwrap_err();
/// assert_eq!(error.to_string(), r#"unknown user "eve\n[ok] admin logged in""#);
///
/// let long = "x".repeat(10_000);
/// let error = policy.resolve(Credentials::user(&long, Channel::Web, 0)).unwrap_err();
/// assert!(error.is_truncated());
/// assert!(error.to_string().len() < 200);
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub struct UnknownCredential {
    kind: CredentialKind,
    /// The name sent, cut to `MAX_NAME` bytes at a character boundary.
    name: String,
    /// How many bytes the name sent had.
    sent: usize,
}

impl UnknownCredential {
    /// The most bytes of the name sent that the error keeps.
    pub const MAX_NAME: usize = 128;

    fn new(kind: CredentialKind, name: &str) -> UnknownCredential {
        let mut end = name.len().min(UnknownCredential::MAX_NAME);
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        UnknownCredential {
            kind,
            name: name.get(..end).unwrap_or_default().to_string(),
            sent: name.len(),
        }
    }

    /// Which kind of credential was asked for.
    #[must_use]
    pub fn kind(&self) -> CredentialKind {
        self.kind
    }

    /// The name sent, or its first [`MAX_NAME`](UnknownCredential::MAX_NAME)
    /// bytes (cut at a character boundary) when it was longer.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the name sent was longer than [`name`](UnknownCredential::name).
    #[must_use]
    pub fn is_truncated(&self) -> bool {
        self.sent > self.name.len()
    }
}

impl fmt::Display for UnknownCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.kind.noun(), self.name)?;
        if self.is_truncated() {
            write!(f, " (the first {} of {} bytes)", self.name.len(), self.sent)?;
        }
        Ok(())
    }
}

impl Policy {
    /// The subject `credentials` stand for: the user, API key or public
    /// link of that name, with the channel, MFA and time they carry; or
    /// [`UnknownCredential`] when the policy has none of that name
    /// (removed ones included).
    ///
    /// Resolving only finds *who*; whether the subject may act is every
    /// decision's business. A suspended, deactivated or invited user, a
    /// revoked or expired key or link resolves, and its decisions say why
    /// it is refused ([`Reason::Suspended`](crate::Reason::Suspended),
    /// [`Reason::KeyRevoked`](crate::Reason::KeyRevoked), ...); a channel
    /// the account may not use is refused by decisions too.
    ///
    /// Names are unique per kind across the whole policy, all tenants
    /// together: a name stands for one account, key or link, which acts in
    /// its own tenant only (a decision about another tenant's resource is
    /// [`Reason::WrongTenant`](crate::Reason::WrongTenant), which
    /// [`for_caller`](crate::Decision::for_caller) reads as not found). The
    /// name must therefore come from the host's authentication (a verified
    /// session, the key's secret looked up in the host's store), never
    /// from what a caller merely claims.
    ///
    /// Cost: one lookup in the keyed hash table of that kind's names (one
    /// string compare, as [`user_id`](Policy::user_id)); nothing on
    /// [`authorize`](Policy::authorize)'s path, which takes the resolved
    /// subject. Resolve once per request, then decide as often as needed.
    ///
    /// # Errors
    ///
    /// [`UnknownCredential`], naming the kind and the name sent (cut to
    /// [`UnknownCredential::MAX_NAME`] bytes).
    pub fn resolve(&self, credentials: Credentials<'_>) -> Result<Subject, UnknownCredential> {
        let Credentials {
            kind,
            name,
            channel,
            mfa,
            now,
        } = credentials;
        let subject = match kind {
            CredentialKind::User => self
                .user_id(name)
                .filter(|&id| self.user_is_live(id.0))
                .map(|id| Subject::user(id, channel)),
            CredentialKind::Key => self
                .key_id(name)
                .filter(|&id| self.key_is_live(id.0))
                .map(Subject::key),
            CredentialKind::Link => self
                .link_id(name)
                .filter(|&id| self.link_is_live(id.0))
                .map(Subject::link),
        };
        subject
            .map(|subject| subject.with_mfa(mfa).at(now))
            .ok_or_else(|| UnknownCredential::new(kind, name))
    }
}
