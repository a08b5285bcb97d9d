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
/// It is small and `Copy`. [`Policy::resolve`](crate::Policy::resolve)
/// builds one in one call from what a host knows by name
/// ([`Credentials`](crate::Credentials)), the time included.
///
/// # Safe defaults
///
/// Every constructor starts from the answer that lets the least through:
///
/// - **No time.** Until [`at`](Subject::at) gives the time, the subject has
///   none, and anything that expires (an API key or public link with an
///   expiry, a pending invitation) is denied with
///   [`Reason::TimeUnknown`](crate::Reason::TimeUnknown): a forgotten clock
///   fails closed, never as "nothing has expired yet". Accounts, keys and
///   links without an expiry do not need the time.
/// - **No MFA.** Until [`with_mfa(true)`](Subject::with_mfa), MFA-guarded
///   permissions are refused. A public link has no session, so it never
///   passes an MFA guard, whatever `with_mfa` says.
///
/// ```
/// use clearance::{Channel, Subject, UserId};
/// # let alice = UserId::from_index(0);
///
/// let web = Subject::user(alice, Channel::Web).with_mfa(true).at(1_700_000_000);
/// assert_eq!(web.channel(), Channel::Web);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(from = "SubjectFields", into = "SubjectFields")
)]
pub struct Subject {
    credential: Credential,
    channel: Channel,
    mfa: bool,
    // The time, or `NO_TIME`: a sentinel keeps the subject at 24 bytes and
    // the hot path's expiry checks at one comparison, since `NO_TIME` is
    // later than every expiry (so it fails closed even before the check
    // that names it).
    now: u64,
}

/// The time of a subject that was never given one. It compares as later
/// than every expiry, so whatever expires is refused.
pub(crate) const NO_TIME: u64 = u64::MAX;

/// The time a clock reading stands for: `None` for [`NO_TIME`].
pub(crate) const fn time_of(now: u64) -> Option<u64> {
    if now == NO_TIME {
        None
    } else {
        Some(now)
    }
}

/// A subject as it serializes: the time is `null` or absent when the host
/// never gave it.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectFields {
    credential: Credential,
    channel: Channel,
    mfa: bool,
    #[serde(default)]
    now: Option<u64>,
}

#[cfg(feature = "serde")]
impl From<SubjectFields> for Subject {
    fn from(fields: SubjectFields) -> Subject {
        Subject {
            credential: fields.credential,
            channel: fields.channel,
            mfa: fields.mfa,
            now: fields.now.unwrap_or(NO_TIME),
        }
    }
}

#[cfg(feature = "serde")]
impl From<Subject> for SubjectFields {
    fn from(subject: Subject) -> SubjectFields {
        SubjectFields {
            credential: subject.credential,
            channel: subject.channel,
            mfa: subject.mfa,
            now: subject.now(),
        }
    }
}

impl Subject {
    /// A user asking through `channel`, without MFA, with no time yet
    /// (give it with [`at`](Subject::at)).
    #[must_use]
    pub const fn user(user: UserId, channel: Channel) -> Subject {
        Subject {
            credential: Credential::User(user),
            channel,
            mfa: false,
            now: NO_TIME,
        }
    }

    /// An API key asking (always through [`Channel::Api`]), without MFA,
    /// with no time yet (give it with [`at`](Subject::at)).
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
            now: NO_TIME,
        }
    }

    /// The holder of a public link asking (always through
    /// [`Channel::Link`]), with no time yet (give it with
    /// [`at`](Subject::at)).
    #[must_use]
    pub const fn link(link: LinkId) -> Subject {
        Subject {
            credential: Credential::Link(link),
            channel: Channel::Link,
            mfa: false,
            now: NO_TIME,
        }
    }

    /// Whether the session passed multi-factor authentication. Without it,
    /// the policy's MFA-guarded permissions are removed
    /// ([`PolicyBuilder::mfa_required`](crate::PolicyBuilder::mfa_required)).
    ///
    /// A public link has no session: for a [`link`](Subject::link) subject
    /// this is ignored, and [`mfa`](Subject::mfa) stays `false`.
    #[must_use]
    pub const fn with_mfa(mut self, mfa: bool) -> Subject {
        self.mfa = mfa;
        self
    }

    /// The current time, in seconds on the host's clock, for expiries of
    /// invitations, keys and links. Without it, whatever has an expiry is
    /// denied ([`Reason::TimeUnknown`](crate::Reason::TimeUnknown)).
    ///
    /// `u64::MAX` is not a time: a subject at it is one without a time
    /// (every expiry has passed by then anyway, so nothing it would allow
    /// changes).
    ///
    /// ```
    /// # use clearance::{Channel, Subject, UserId};
    /// let ann = Subject::user(UserId::from_index(0), Channel::Web);
    /// assert_eq!(ann.now(), None);
    /// assert_eq!(ann.at(1_700_000_000).now(), Some(1_700_000_000));
    /// assert_eq!(ann.at(u64::MAX).now(), None);
    /// ```
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

    /// Whether the session passed MFA: what [`with_mfa`](Subject::with_mfa)
    /// said, and always `false` for a public link (it has no session, also
    /// when a deserialized subject claims one).
    #[must_use]
    pub const fn mfa(&self) -> bool {
        self.mfa && !matches!(self.credential, Credential::Link(_))
    }

    /// The time of the request, in seconds, or `None` when the host never
    /// gave it with [`at`](Subject::at).
    #[must_use]
    pub const fn now(&self) -> Option<u64> {
        time_of(self.now)
    }

    /// The time, [`NO_TIME`] when none was given: what the evaluator compares.
    #[inline]
    pub(crate) const fn clock(&self) -> u64 {
        self.now
    }
}
