//! The subject: who is asking, right now.
//! The concept is documented on [`Subject`], where users read it.

use crate::directory::{Channel, KeyId, LinkId, UserId};

/// Which kind of credential is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub enum Credential {
    /// A logged-in user.
    User(UserId),
    /// An API key, acting for its owner.
    Key(KeyId),
    /// Whoever holds a public link.
    Link(LinkId),
}

/// Who is asking now.
///
/// A [`Subject`] is built by the host for each request from what it already
/// knows: the authenticated user, API key or public link; the channel the
/// request came through; whether the session passed multi-factor
/// authentication; and the current time, which `clearance` never reads
/// itself (it has no clock), so that expiries are decided deterministically.
/// It is small and `Copy`.
///
/// ```
/// use clearance::{Channel, Subject, UserId};
/// # let alice = UserId::from_index(0);
///
/// let web = Subject::user(alice, Channel::Web).with_mfa(true).at(1_700_000_000);
/// assert_eq!(web.channel(), Channel::Web);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Subject {
    credential: Credential,
    channel: Channel,
    mfa: bool,
    now: u64,
}

impl Subject {
    /// A user asking through `channel`, without MFA, at time 0.
    #[must_use]
    pub const fn user(user: UserId, channel: Channel) -> Subject {
        Subject {
            credential: Credential::User(user),
            channel,
            mfa: false,
            now: 0,
        }
    }

    /// An API key asking (always through [`Channel::Api`]), without MFA, at time 0.
    ///
    /// A key has no session, so MFA-guarded permissions
    /// ([`PolicyBuilder::mfa_required`](crate::PolicyBuilder::mfa_required))
    /// are refused to it unless the host vouches for the key with
    /// [`with_mfa(true)`](Subject::with_mfa), for example because it was
    /// created, or is confirmed per request, in an MFA session.
    #[must_use]
    pub const fn key(key: KeyId) -> Subject {
        Subject {
            credential: Credential::Key(key),
            channel: Channel::Api,
            mfa: false,
            now: 0,
        }
    }

    /// The holder of a public link asking (always through
    /// [`Channel::Link`]), at time 0.
    #[must_use]
    pub const fn link(link: LinkId) -> Subject {
        Subject {
            credential: Credential::Link(link),
            channel: Channel::Link,
            mfa: false,
            now: 0,
        }
    }

    /// Whether the session passed multi-factor authentication. Without it,
    /// the policy's MFA-guarded permissions are removed
    /// ([`PolicyBuilder::mfa_required`](crate::PolicyBuilder::mfa_required)).
    #[must_use]
    pub const fn with_mfa(mut self, mfa: bool) -> Subject {
        self.mfa = mfa;
        self
    }

    /// The current time, in seconds on the host's clock, for expiries of
    /// invitations, keys and links.
    #[must_use]
    pub const fn at(mut self, now: u64) -> Subject {
        self.now = now;
        self
    }

    /// The credential asking.
    #[must_use]
    pub const fn credential(&self) -> Credential {
        self.credential
    }

    /// The channel of the request.
    #[must_use]
    pub const fn channel(&self) -> Channel {
        self.channel
    }

    /// Whether the session passed MFA.
    #[must_use]
    pub const fn mfa(&self) -> bool {
        self.mfa
    }

    /// The time of the request, in seconds.
    #[must_use]
    pub const fn now(&self) -> u64 {
        self.now
    }
}
