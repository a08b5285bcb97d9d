//! Decisions and their reasons.
//! The concept is documented on [`Reason`], where users read it.

use core::fmt;

use crate::directory::Channel;
use crate::grant::Principal;
use crate::permission::Permissions;
use crate::resource::ResourceId;
use crate::role::RoleId;

/// Why a request was allowed or denied.
///
/// Every answer of [`Policy::authorize`](crate::Policy::authorize) is a
/// [`Decision`]: allowed or not, and the one [`Reason`] that decided it. An
/// allow names the grant that supplied the permission; a deny names the
/// first check that failed, in the order of the evaluation steps. A
/// `Decision` is 16 bytes and `Copy`: producing one allocates nothing.
///
/// `Reason` implements [`Display`](core::fmt::Display) with a sentence that a
/// support engineer can read to a customer ("the account is suspended"); it
/// names entities by id. For the same sentence with names, use
/// [`Policy::explain`](crate::Policy::explain). A [`Decision`] displays as
/// its verdict, then its reason: `denied: the account is suspended`.
///
/// The deny variants are listed in the order the checks run: the first that
/// fails decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Reason {
    /// Allowed: this grant supplied the permission asked for (the nearest
    /// one to the resource, if several did).
    Granted {
        /// Who the grant is for: the subject itself, one of its teams, or everyone.
        principal: Principal,
        /// Where the grant was made (the resource or an ancestor).
        scope: ResourceId,
        /// The role it gives.
        role: RoleId,
    },
    /// The user, key or link is not in the policy.
    UnknownSubject,
    /// The resource is not in the policy.
    UnknownResource,
    /// The account (for a key: its owner's) is suspended.
    Suspended,
    /// The account has an invitation that was not accepted yet.
    InvitationPending,
    /// The account's invitation expired before it was accepted.
    InvitationExpired,
    /// The account is deactivated or removed.
    Deactivated,
    /// The API key was revoked.
    KeyRevoked,
    /// The API key expired.
    KeyExpired,
    /// The public link was revoked.
    LinkRevoked,
    /// The public link expired.
    LinkExpired,
    /// The resource belongs to another tenant than the account (or link).
    WrongTenant,
    /// This kind of account may not use the request's channel.
    ChannelNotAllowed {
        /// The channel of the request.
        channel: Channel,
    },
    /// The resource is outside the subtree the API key is limited to (checked
    /// before grants: a key reaches nothing outside it).
    KeyOutOfScope,
    /// The resource is outside the public link's resource and its
    /// subtree (checked before grants).
    LinkOutOfScope,
    /// The action asks for no permission at all (an empty
    /// [`Action::Custom`](crate::Action::Custom)); nothing empty is allowed.
    EmptyAction,
    /// No grant to the subject, its teams or everyone reaches this resource.
    NotMember,
    /// Grants reach the resource, but their roles lack these permissions.
    RoleLacks {
        /// The permissions asked for that no role supplied.
        missing: Permissions,
    },
    /// A grant higher up would have given the permission, but an `Override`
    /// grant for the same principal at `at` cut inheritance.
    Overridden {
        /// Where the override grant stands.
        at: ResourceId,
    },
    /// A `Deny` grant removed the permission.
    Denied {
        /// Where the deny grant stands (the resource or an ancestor).
        at: ResourceId,
        /// Who it denies: the subject, one of its teams, or everyone.
        principal: Principal,
    },
    /// The API key's scope lacks these permissions.
    KeyLacks {
        /// The permissions asked for that the key's scope excludes.
        missing: Permissions,
    },
    /// The public link's own permissions lack these. (When the resource's
    /// `Public` grants lack them, the reason is
    /// [`RoleLacks`](Reason::RoleLacks): grants are checked first.)
    LinkLacks {
        /// The permissions asked for that the link does not give.
        missing: Permissions,
    },
    /// These permissions need a session that passed multi-factor authentication.
    MfaRequired {
        /// The MFA-guarded permissions asked for.
        missing: Permissions,
    },
    /// [`Policy::can_grant`](crate::Policy::can_grant): the grant would give
    /// permissions the granter does not hold there (privilege escalation).
    WouldEscalate {
        /// What the grant gives beyond the granter's own permissions.
        missing: Permissions,
    },
    /// [`Policy::can_grant`](crate::Policy::can_grant): the role is not in
    /// the policy.
    UnknownRole,
    /// [`Policy::can_grant`](crate::Policy::can_grant): the role may not be
    /// held by the grantee's user type (or a member's, for a team).
    RoleNotEligible,
}

impl Reason {
    /// Whether this reason allows the request (only [`Reason::Granted`] does).
    #[must_use]
    pub const fn is_allowed(&self) -> bool {
        matches!(self, Reason::Granted { .. })
    }
}

/// The answer to one request: allowed or denied, and why.
///
/// Only a [`Reason::Granted`] makes a decision allowed, so an allow always
/// has a grant behind it.
///
/// ```
/// # use clearance::*;
/// # let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build().unwrap();
/// # let acme = policy.resource_id("acme").unwrap();
/// let nobody = Subject::user(UserId::from_index(99), Channel::Web);
/// let decision = policy.authorize(&nobody, Action::View, acme);
/// assert!(!decision.is_allowed());
/// assert_eq!(decision.reason(), Reason::UnknownSubject);
/// assert_eq!(decision.to_string(), "denied: the user, API key or link is not known to this policy");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[must_use]
pub struct Decision {
    reason: Reason,
}

impl Decision {
    pub(crate) const fn new(reason: Reason) -> Decision {
        Decision { reason }
    }

    /// Whether the request is allowed.
    #[must_use]
    pub const fn is_allowed(&self) -> bool {
        self.reason.is_allowed()
    }

    /// Why.
    #[must_use]
    pub const fn reason(&self) -> Reason {
        self.reason
    }
}

impl From<Decision> for bool {
    fn from(decision: Decision) -> bool {
        decision.is_allowed()
    }
}

/// Writes the names of entities in explanations. Ids by default; a
/// [`Policy`](crate::Policy) writes names.
pub(crate) trait Names {
    fn resource(&self, f: &mut fmt::Formatter<'_>, id: ResourceId) -> fmt::Result {
        fmt::Display::fmt(&id, f)
    }
    fn principal(&self, f: &mut fmt::Formatter<'_>, principal: Principal) -> fmt::Result {
        fmt::Display::fmt(&principal, f)
    }
    fn role(&self, f: &mut fmt::Formatter<'_>, id: RoleId) -> fmt::Result {
        fmt::Display::fmt(&id, f)
    }
}

/// Names entities by their ids.
pub(crate) struct ByIds;

impl Names for ByIds {}

/// The one place where reasons become sentences.
pub(crate) fn write_reason(
    f: &mut fmt::Formatter<'_>,
    reason: &Reason,
    names: &dyn Names,
) -> fmt::Result {
    match *reason {
        Reason::Granted {
            principal,
            scope,
            role,
        } => {
            names.principal(f, principal)?;
            f.write_str(" holds ")?;
            names.role(f, role)?;
            f.write_str(" on ")?;
            names.resource(f, scope)
        }
        Reason::UnknownSubject => {
            f.write_str("the user, API key or link is not known to this policy")
        }
        Reason::UnknownResource => f.write_str("the resource is not known to this policy"),
        Reason::Suspended => f.write_str("the account is suspended"),
        Reason::InvitationPending => f.write_str("the invitation has not been accepted yet"),
        Reason::InvitationExpired => f.write_str("the invitation expired before it was accepted"),
        Reason::Deactivated => f.write_str("the account is deactivated"),
        Reason::KeyRevoked => f.write_str("the API key was revoked"),
        Reason::KeyExpired => f.write_str("the API key has expired"),
        Reason::LinkRevoked => f.write_str("the link was revoked"),
        Reason::LinkExpired => f.write_str("the link has expired"),
        Reason::WrongTenant => f.write_str("the resource belongs to another organization"),
        Reason::ChannelNotAllowed { channel } => {
            write!(f, "this kind of account may not use {channel}")
        }
        Reason::EmptyAction => f.write_str("the action asks for no permission"),
        Reason::NotMember => f.write_str(
            "nothing gives access here to the account, its teams, everyone or the public",
        ),
        Reason::RoleLacks { missing } => {
            write!(f, "the roles held here do not include {}", missing)
        }
        Reason::Overridden { at } => {
            f.write_str("access from higher up was overridden at ")?;
            names.resource(f, at)
        }
        Reason::Denied { at, principal } => {
            f.write_str("access was explicitly denied to ")?;
            names.principal(f, principal)?;
            f.write_str(" on ")?;
            names.resource(f, at)
        }
        Reason::KeyOutOfScope => f.write_str("the resource is outside the API key's scope"),
        Reason::KeyLacks { missing } => {
            write!(f, "the API key's scope does not include {}", missing)
        }
        Reason::LinkOutOfScope => f.write_str("the resource is not the one the link points to"),
        Reason::LinkLacks { missing } => write!(f, "the link does not give {}", missing),
        Reason::WouldEscalate { missing } => write!(
            f,
            "the grant would give {missing}, which the granter does not hold there"
        ),
        Reason::UnknownRole => f.write_str("the role is not known to this policy"),
        Reason::RoleNotEligible => f.write_str("the role may not be held by this kind of account"),
        Reason::MfaRequired { missing } => write!(
            f,
            "{} requires signing in with multi-factor authentication",
            missing
        ),
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_reason(f, self, &ByIds)
    }
}

/// `allowed: ` or `denied: `, then the reason's sentence.
impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.is_allowed() {
            "allowed"
        } else {
            "denied"
        };
        write!(f, "{verdict}: {}", self.reason)
    }
}
