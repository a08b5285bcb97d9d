//! Decisions and their reasons.
//! The concept is documented on [`Reason`], where users read it.

use core::fmt;

use crate::caller::Class;
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
    /// The resource belongs to another tenant than the account (or link).
    ///
    /// Checked right after the resource is found, which comes after the
    /// caller's own state (lifecycle, key or link, channel): a caller that
    /// may act gets this reason for every request about another tenant's
    /// resource. It is the precise reason, for the host's logs; what the
    /// caller is told should not confirm that the resource exists
    /// elsewhere: see [`Reason::for_caller`].
    WrongTenant,
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
    /// The subject carries no time ([`Subject::at`](crate::Subject::at) was
    /// never called) and the account's invitation, the API key or the
    /// public link has an expiry: without the time nothing can tell whether
    /// it has passed, so the request is denied rather than taken as made
    /// at the start of the clock.
    TimeUnknown,
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
    /// [`Policy::can_grant`](crate::Policy::can_grant),
    /// [`Policy::can_revoke`](crate::Policy::can_revoke): the change would
    /// give, at its scope, permissions its author does not surely hold
    /// there (privilege escalation).
    WouldEscalate {
        /// What the change gives beyond the author's own permissions.
        missing: Permissions,
    },
    /// [`Policy::can_grant`](crate::Policy::can_grant),
    /// [`Policy::can_revoke`](crate::Policy::can_revoke): the author holds
    /// at the scope what the change gives, but the change also reaches
    /// `at`, below the scope, where a `Deny` or `Override` of `principal`
    /// leaves the author without some of it (privilege escalation below
    /// the scope). A resource below the scope is named rather than the
    /// permissions: a `Decision` stays 16 bytes.
    RestrictedBelow {
        /// The first resource below the scope (by id) where the author
        /// lacks some of what the change gives.
        at: ResourceId,
        /// Whose restriction stands there: the author, one of his teams,
        /// or everyone.
        principal: Principal,
    },
    /// [`Policy::can_revoke`](crate::Policy::can_revoke): the grant to
    /// remove is a restriction (a `Deny`, or an `Override` that cuts
    /// inheritance) of a principal the author acts as: the author himself,
    /// one of his teams, or everyone in his organization. No one lifts a
    /// restriction placed on himself.
    OwnRestriction {
        /// Where the restriction stands.
        at: ResourceId,
        /// Who it restricts: the author, one of his teams, or everyone.
        principal: Principal,
    },
    /// [`Policy::can_grant`](crate::Policy::can_grant): the role is not in
    /// the policy.
    UnknownRole,
    /// [`Policy::can_grant`](crate::Policy::can_grant): the grantee (a user
    /// or team) belongs to another tenant than the grant's scope.
    ///
    /// The precise reason, for the host's logs; the caller is told
    /// [`UnknownSubject`](Reason::UnknownSubject), as for a grantee that
    /// does not exist (see [`Reason::for_caller`]).
    GranteeOfAnotherTenant,
    /// [`Policy::can_grant`](crate::Policy::can_grant): the role may not be
    /// held by the grantee's user type (or a member's, for a team).
    RoleNotEligible,
    /// A grant that would have given what was asked for does not apply
    /// here: its [`Condition`](crate::Condition) does not hold for this
    /// subject and resource (a distribution query that does not match, a
    /// connection restricted to some). The nearest such grant of the
    /// subject's principals, found walking up from the resource;
    /// [`Policy::explain`](crate::Policy::explain) names its role and its
    /// condition (the role is not carried here, so that a [`Decision`]
    /// stays 16 bytes). Given where [`NotMember`](Reason::NotMember) or
    /// [`RoleLacks`](Reason::RoleLacks) would be, when such a grant exists.
    ConditionUnmet {
        /// Whom the grant is to: the subject, one of its teams, everyone.
        principal: Principal,
        /// Where it is.
        scope: ResourceId,
    },
    /// The account lacks a role the model requires of it
    /// ([`PolicyBuilder::require_role`](crate::PolicyBuilder::require_role),
    /// [`require_role_on_each`](crate::PolicyBuilder::require_role_on_each)),
    /// so it may do nothing, whatever else it holds ("must have at least
    /// the Default system role to be able to access"). Changes refuse to
    /// leave an account so; only a model built that way has one.
    RequiredRoleMissing {
        /// The role it lacks.
        role: RoleId,
    },
}

impl Reason {
    /// Whether this reason allows the request (only [`Reason::Granted`] does).
    #[must_use]
    pub const fn is_allowed(&self) -> bool {
        matches!(self, Reason::Granted { .. })
    }

    /// A stable `snake_case` identifier of the variant, for logs, metrics
    /// and the `code` of an answer to a caller
    /// ([`CallerExplanation`](crate::CallerExplanation)).
    ///
    /// Codes are part of the crate's stable interface: a code is never
    /// renamed or reused for another variant, so hosts and their clients
    /// may match on it. Each variant's code is its name in `snake_case`:
    ///
    /// | code | | code |
    /// |---|---|---|
    /// | `granted` | | `not_member` |
    /// | `unknown_subject` | | `role_lacks` |
    /// | `unknown_resource` | | `overridden` |
    /// | `wrong_tenant` | | `denied` |
    /// | `suspended` | | `key_lacks` |
    /// | `invitation_pending` | | `link_lacks` |
    /// | `invitation_expired` | | `mfa_required` |
    /// | `deactivated` | | `would_escalate` |
    /// | `key_revoked` | | `restricted_below` |
    /// | `key_expired` | | `own_restriction` |
    /// | `link_revoked` | | `unknown_role` |
    /// | `link_expired` | | `grantee_of_another_tenant` |
    /// | `time_unknown` | | `role_not_eligible` |
    /// | `channel_not_allowed` | | `empty_action` |
    /// | `key_out_of_scope` | | `link_out_of_scope` |
    /// | `required_role_missing` | | `condition_unmet` |
    ///
    /// `wrong_tenant` and `grantee_of_another_tenant` are for the host's
    /// logs: a caller is answered with [`for_caller`](Reason::for_caller)'s
    /// reason, whose code is `unknown_resource` or `unknown_subject`.
    ///
    /// ```
    /// use clearance::Reason;
    ///
    /// assert_eq!(Reason::KeyRevoked.code(), "key_revoked");
    /// ```
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Reason::Granted { .. } => "granted",
            Reason::UnknownSubject => "unknown_subject",
            Reason::UnknownResource => "unknown_resource",
            Reason::WrongTenant => "wrong_tenant",
            Reason::Suspended => "suspended",
            Reason::InvitationPending => "invitation_pending",
            Reason::InvitationExpired => "invitation_expired",
            Reason::Deactivated => "deactivated",
            Reason::KeyRevoked => "key_revoked",
            Reason::KeyExpired => "key_expired",
            Reason::LinkRevoked => "link_revoked",
            Reason::LinkExpired => "link_expired",
            Reason::TimeUnknown => "time_unknown",
            Reason::ChannelNotAllowed { .. } => "channel_not_allowed",
            Reason::KeyOutOfScope => "key_out_of_scope",
            Reason::LinkOutOfScope => "link_out_of_scope",
            Reason::EmptyAction => "empty_action",
            Reason::NotMember => "not_member",
            Reason::RoleLacks { .. } => "role_lacks",
            Reason::Overridden { .. } => "overridden",
            Reason::Denied { .. } => "denied",
            Reason::KeyLacks { .. } => "key_lacks",
            Reason::LinkLacks { .. } => "link_lacks",
            Reason::MfaRequired { .. } => "mfa_required",
            Reason::WouldEscalate { .. } => "would_escalate",
            Reason::RestrictedBelow { .. } => "restricted_below",
            Reason::OwnRestriction { .. } => "own_restriction",
            Reason::UnknownRole => "unknown_role",
            Reason::GranteeOfAnotherTenant => "grantee_of_another_tenant",
            Reason::RoleNotEligible => "role_not_eligible",
            Reason::RequiredRoleMissing { .. } => "required_role_missing",
            Reason::ConditionUnmet { .. } => "condition_unmet",
        }
    }

    /// What kind of answer the reason is, for a host that answers a caller
    /// (over HTTP: [`Class::http_status`]).
    ///
    /// | class | reasons | why |
    /// |---|---|---|
    /// | [`Allowed`](Class::Allowed) | `Granted` | |
    /// | [`Unauthenticated`](Class::Unauthenticated) | `UnknownSubject`, `KeyRevoked`, `KeyExpired`, `LinkRevoked`, `LinkExpired`, `TimeUnknown`, `GranteeOfAnotherTenant` | the credential does not (or no longer, or not provably) stand for anyone: the caller must present another |
    /// | [`NotFound`](Class::NotFound) | `UnknownResource`, `WrongTenant`, `LinkOutOfScope`, `UnknownRole` | the caller may not learn that the resource exists: another tenant's reads as a missing one, and so does one outside the public link an anonymous holder has |
    /// | [`Forbidden`](Class::Forbidden) | every other reason | the caller is known, and the answer is no |
    ///
    /// A reason and its [`for_caller`](Reason::for_caller) form always
    /// have the same class, so the class tells nothing `for_caller` hides
    /// (`GranteeOfAnotherTenant` is `Unauthenticated` because it reads as
    /// `UnknownSubject`). `TimeUnknown` means the host forgot
    /// [`Subject::at`](crate::Subject::at): whether the credential is still
    /// valid cannot be told, so it is not taken as valid; log it as the
    /// host's bug it is. A suspended, deactivated or invited account is
    /// `Forbidden`: the credential names a known account, whose state
    /// refuses the request. `NotMember` is `Forbidden` too: within its own
    /// tenant a caller is not hidden which resources exist.
    ///
    /// ```
    /// use clearance::{Class, Reason};
    ///
    /// assert_eq!(Reason::WrongTenant.class(), Class::NotFound);
    /// assert_eq!(Reason::KeyExpired.class(), Class::Unauthenticated);
    /// assert_eq!(Reason::NotMember.class().http_status(), 403);
    /// ```
    #[must_use]
    pub const fn class(&self) -> Class {
        match self {
            Reason::Granted { .. } => Class::Allowed,
            Reason::UnknownSubject
            | Reason::KeyRevoked
            | Reason::KeyExpired
            | Reason::LinkRevoked
            | Reason::LinkExpired
            | Reason::TimeUnknown
            | Reason::GranteeOfAnotherTenant => Class::Unauthenticated,
            Reason::UnknownResource
            | Reason::WrongTenant
            | Reason::LinkOutOfScope
            | Reason::UnknownRole => Class::NotFound,
            Reason::Suspended
            | Reason::InvitationPending
            | Reason::InvitationExpired
            | Reason::Deactivated
            | Reason::ChannelNotAllowed { .. }
            | Reason::KeyOutOfScope
            | Reason::EmptyAction
            | Reason::NotMember
            | Reason::RoleLacks { .. }
            | Reason::Overridden { .. }
            | Reason::Denied { .. }
            | Reason::KeyLacks { .. }
            | Reason::LinkLacks { .. }
            | Reason::MfaRequired { .. }
            | Reason::WouldEscalate { .. }
            | Reason::RestrictedBelow { .. }
            | Reason::OwnRestriction { .. }
            | Reason::RoleNotEligible
            | Reason::RequiredRoleMissing { .. }
            | Reason::ConditionUnmet { .. } => Class::Forbidden,
        }
    }

    /// Whether the reason is about the subject itself, not about what it
    /// asked: its account (suspended, deactivated, invited, lacking a
    /// required role), its key or link (revoked, expired), the time it
    /// lacks, or a channel it may not use.
    /// A decision checks these before anything about the resource, so such
    /// a reason is the same whatever resource the subject asks about, its
    /// tenant's, another tenant's or one that does not exist.
    ///
    /// ```
    /// use clearance::{Channel, Reason};
    ///
    /// assert!(Reason::Suspended.is_about_the_caller());
    /// assert!(Reason::ChannelNotAllowed { channel: Channel::Web }.is_about_the_caller());
    /// assert!(!Reason::UnknownResource.is_about_the_caller());
    /// assert!(!Reason::NotMember.is_about_the_caller());
    /// ```
    #[must_use]
    pub const fn is_about_the_caller(&self) -> bool {
        matches!(
            self,
            Reason::Suspended
                | Reason::Deactivated
                | Reason::InvitationPending
                | Reason::InvitationExpired
                | Reason::KeyRevoked
                | Reason::KeyExpired
                | Reason::LinkRevoked
                | Reason::LinkExpired
                | Reason::TimeUnknown
                | Reason::ChannelNotAllowed { .. }
                | Reason::RequiredRoleMissing { .. }
        )
    }

    /// The reason as the caller may be told it: the same, except that
    /// anything of another tenant reads as something that does not exist: a
    /// resource ([`WrongTenant`](Reason::WrongTenant) becomes
    /// [`UnknownResource`](Reason::UnknownResource)) and, for
    /// [`Policy::can_grant`](crate::Policy::can_grant), a grantee
    /// ([`GranteeOfAnotherTenant`](Reason::GranteeOfAnotherTenant) becomes
    /// [`UnknownSubject`](Reason::UnknownSubject)).
    ///
    /// Keep the precise reason for the host's logs and audit trail, and
    /// answer the caller with this one: whoever probes names or ids learns
    /// nothing about other tenants, since a request about another tenant's
    /// resource is denied before anything about the caller's own account is
    /// checked, exactly as a request about an unknown resource is.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .tenant("globex", ResourceKind::Organization)
    ///     .user(User::new("ann", "acme"))
    ///     .build()?;
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
    /// let theirs = policy.authorize(&ann, Action::View, policy.resource_id("globex").unwrap());
    /// let nowhere = policy.authorize(&ann, Action::View, ResourceId::from_index(99));
    /// assert_eq!(theirs.reason(), Reason::WrongTenant); // for the logs
    /// assert_eq!(theirs.for_caller(), nowhere.for_caller()); // for the caller
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub const fn for_caller(self) -> Reason {
        match self {
            Reason::WrongTenant => Reason::UnknownResource,
            Reason::GranteeOfAnotherTenant => Reason::UnknownSubject,
            other => other,
        }
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
/// let nobody = Subject::user(UserId::from_index(99), Channel::Web).at(1_700_000_000);
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

    /// The decision as the caller may be told it: the same verdict, with
    /// [`Reason::for_caller`]'s reason, in which another tenant's resource
    /// is indistinguishable from one that does not exist. Log
    /// [`reason`](Decision::reason); answer with this.
    pub const fn for_caller(&self) -> Decision {
        Decision {
            reason: self.reason.for_caller(),
        }
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
    /// The conditional grant (allow or override) to `principal` on
    /// `scope`: its role and condition.
    fn conditional_grant(
        &self,
        f: &mut fmt::Formatter<'_>,
        principal: Principal,
        scope: ResourceId,
    ) -> fmt::Result {
        f.write_str("a grant to ")?;
        self.principal(f, principal)?;
        f.write_str(" on ")?;
        self.resource(f, scope)?;
        f.write_str(" applies only under its condition")
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
        Reason::TimeUnknown => {
            f.write_str("the request carries no time, and what it relies on expires")
        }
        Reason::WrongTenant => f.write_str("the resource belongs to another organization"),
        Reason::ChannelNotAllowed { channel } => {
            write!(f, "this kind of account may not use the {channel} channel")
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
            "the change would give {missing}, which its author does not hold there"
        ),
        Reason::RestrictedBelow { at, principal } => {
            f.write_str("the change reaches ")?;
            names.resource(f, at)?;
            f.write_str(", where a restriction of ")?;
            names.principal(f, principal)?;
            f.write_str(" leaves its author without some of what it gives")
        }
        Reason::OwnRestriction { at, principal } => {
            f.write_str("the restriction of ")?;
            names.principal(f, principal)?;
            f.write_str(" on ")?;
            names.resource(f, at)?;
            f.write_str(" applies to the author, who may not lift it")
        }
        Reason::UnknownRole => f.write_str("the role is not known to this policy"),
        Reason::GranteeOfAnotherTenant => {
            f.write_str("the grantee belongs to another organization than the scope")
        }
        Reason::RoleNotEligible => f.write_str("the role may not be held by this kind of account"),
        Reason::ConditionUnmet { principal, scope } => {
            names.conditional_grant(f, principal, scope)?;
            f.write_str(", which does not hold here")
        }
        Reason::RequiredRoleMissing { role } => {
            f.write_str("the account lacks ")?;
            names.role(f, role)?;
            f.write_str(", which its model requires it to hold, and may do nothing without it")
        }
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
