//! The cold paths that name why a request was denied, run only once a
//! denial is known: the grant a condition passed over
//! ([`Reason::ConditionUnmet`]), the override that cut a grant off
//! ([`Reason::Overridden`]), a required role missing
//! ([`Reason::RequiredRoleMissing`]), a deactivated or invited account
//! ([`Reason::Deactivated`], [`Reason::InvitationPending`]) and an expiry
//! ([`Reason::TimeUnknown`] when the subject has no time).
//!
//! Owns: finding, after a denial, what to name. Must never: run on an
//! allowed request, or change a decision (only its reason).

use crate::decision::Reason;
use crate::directory::{KeyId, UserId};
use crate::grant::Effect;
use crate::label::Condition;
use crate::permission::Permissions;
use crate::resource::ResourceId;
use crate::role::RoleId;
use crate::subject::{Credential, Subject, NO_TIME};

use super::*;

impl Policy {
    /// The reason for a denial where a grant of the subject's principals
    /// was passed over for its condition (the walk's `unmet`): that
    /// grant, if its role would have given some of `missing`, else what
    /// `decide` says without it (not a member, overridden, or the roles
    /// lacking it).
    #[cold]
    #[inline(never)]
    pub(crate) fn unmet_or_lacking(
        &self,
        context: &Context<'_>,
        resource: u32,
        missing: Permissions,
        (matched, lost): (bool, Permissions),
    ) -> Reason {
        if let Some(reason) = self.condition_unmet(context, resource, missing) {
            return reason;
        }
        if !matched {
            return Reason::NotMember;
        }
        if missing.intersects(lost) {
            return self.overridden(context, resource, missing);
        }
        Reason::RoleLacks { missing }
    }

    /// The grant that would have given some of `missing` on `resource`
    /// but for its condition, nearest first, as
    /// [`Reason::ConditionUnmet`]; `None` when there is none. A grant of a
    /// principal that an override below cut off counts for nothing, as in
    /// the walk.
    #[cold]
    #[inline(never)]
    pub(crate) fn condition_unmet(
        &self,
        context: &Context<'_>,
        resource: u32,
        missing: Permissions,
    ) -> Option<Reason> {
        let principals = &context.principals;
        let audience = principals.audience(self);
        let kind = context.kind.index();
        let target = || self.labels_of(resource);
        let gives = |role: u32| self.role_permissions(role, kind).intersects(missing);
        let unmet = |condition: Condition| !audience.meets(condition, target);
        // Bit i: principal i (0: the user or `Public`) was cut below.
        let mut cut: u128 = 0;
        let mut at = resource;
        while let Some(node) = self.nodes.get(at as usize) {
            let mut cut_here: u128 = 0;
            // The subject's own grants here (sorted by scope: found by
            // binary search, not a scan at every ancestor), at position 0,
            // then its groups' that may reach it: one rule for both.
            let own: &[UserGrant] = if principals.public {
                &[]
            } else {
                let grants = principals.grants(self);
                let first = grants.partition_point(|grant| grant.scope < at);
                grants.get(first..).unwrap_or(&[])
            };
            let own = own
                .iter()
                .take_while(|grant| grant.scope == at)
                .map(|grant| {
                    (
                        principals.user,
                        0,
                        grant.role,
                        grant.effect,
                        grant.condition,
                    )
                });
            let groups = self.group_grants(node).iter().filter_map(|entry| {
                let position = principals.position(entry.key)?;
                audience.may_hold(entry.effect, entry.eligible).then_some((
                    entry.key,
                    position,
                    entry.role,
                    entry.effect,
                    entry.condition,
                ))
            });
            for (key, position, role, effect, condition) in own.chain(groups) {
                let bit = 1u128 << position;
                if effect == Effect::Deny || cut & bit != 0 {
                    continue;
                }
                if unmet(condition) {
                    if gives(role) {
                        return Some(Reason::ConditionUnmet {
                            principal: principal_key::unpack(key),
                            scope: ResourceId(at),
                        });
                    }
                } else if effect == Effect::Override {
                    cut_here |= bit;
                }
            }
            cut |= cut_here;
            at = node.parent;
        }
        None
    }
}

impl Policy {
    /// The reason for a denial where an override cut off a grant that
    /// would have given some of `missing` (a cold path: it walks again).
    #[cold]
    #[inline(never)]
    pub(super) fn overridden(
        &self,
        context: &Context<'_>,
        resource: u32,
        missing: Permissions,
    ) -> Reason {
        // Walking for just the missing bits remembers the first principal
        // whose cut-off grant would have given one of them.
        let walk = self.walk(context, resource, missing);
        let principal = walk.lost_principal;
        let audience = context.principals.audience(self);
        let target = || self.labels_of(resource);
        let own: &[UserGrant] = if principal == context.principals.user {
            context.principals.grants(self)
        } else {
            &[]
        };
        // The nearest override that principal held (and could hold) is the
        // one that cut it off.
        let mut at = resource;
        while let Some(node) = self.nodes.get(at as usize) {
            let run = self.group_grants(node);
            let in_run = run.iter().any(|entry| {
                entry.key == principal
                    && entry.effect == Effect::Override
                    && audience.reached_by(entry.effect, entry.eligible, entry.condition, target)
            });
            let in_own = own.iter().any(|grant| {
                grant.scope == at
                    && grant.effect == Effect::Override
                    && audience.meets(grant.condition, target)
            });
            if in_run || in_own {
                return Reason::Overridden { at: ResourceId(at) };
            }
            at = node.parent;
        }
        // Unreachable while `lost` implies a cut; a sound answer regardless.
        Reason::RoleLacks { missing }
    }

    /// `reason`, or, for a channel refused to an account (or its key)
    /// that lacks a required role, [`Reason::RequiredRoleMissing`]: such an
    /// account's record holds no channel (see [`Policy::mark_lacking`]),
    /// so that the check costs the others nothing, and the reason is found
    /// here, off the path of every allowed request.
    #[cold]
    pub(super) fn own_reason(&self, subject: &Subject, reason: Reason) -> Reason {
        if !matches!(reason, Reason::ChannelNotAllowed { .. }) || self.lacking.is_empty() {
            return reason;
        }
        let user = match subject.credential() {
            Credential::User(UserId(user)) => Some(user),
            Credential::Key(KeyId(key)) => self
                .keys
                .get(key as usize)
                .and_then(KeyRecord::owner_id)
                .map(|UserId(owner)| owner),
            Credential::Link(_) => None,
        };
        match user.and_then(|user| self.lacking.get(&user)) {
            Some(lacking) => Reason::RequiredRoleMissing {
                role: RoleId(lacking.role),
            },
            None => reason,
        }
    }

    /// Why a deactivated or invited account may not act.
    #[cold]
    pub(super) fn inactive(&self, user: u32, state: State, now: u64) -> Result<(), Reason> {
        match state {
            State::Deactivated => Err(Reason::Deactivated),
            State::Invited => self.invitation(user, now),
            State::Active => Ok(()),
            State::Suspended => Err(Reason::Suspended),
        }
    }

    /// An invited user: the invitation's expiry is kept off the record.
    #[cold]
    fn invitation(&self, user: u32, now: u64) -> Result<(), Reason> {
        match self.invitations.get(&user) {
            Some(&until) if now < until => Err(Reason::InvitationPending),
            Some(_) => Err(expired(now, Reason::InvitationExpired)),
            None => Err(Reason::InvitationExpired),
        }
    }
}

/// Why something that expired at the subject's time `now`
/// ([`Subject::clock`]) is refused: `expired_reason`, or
/// [`Reason::TimeUnknown`] when the host gave no time, so that a forgotten
/// clock never reads as "nothing has expired yet". `NO_TIME` is later than
/// every expiry, so the hot path's check stays one comparison and this runs
/// only once it has failed.
#[cold]
pub(super) fn expired(now: u64, expired_reason: Reason) -> Reason {
    if now == NO_TIME {
        Reason::TimeUnknown
    } else {
        expired_reason
    }
}
