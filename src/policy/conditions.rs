//! Why a request was denied when a conditional grant did not apply: the
//! cold search behind [`Reason::ConditionUnmet`].
//!
//! Owns: finding, after a denial, the nearest allow or override of the
//! subject's principals whose condition does not hold here and whose role
//! would have given some of what was missing. Must never: run on an
//! allowed request, or change a decision (only its reason).

use crate::decision::Reason;
use crate::grant::Effect;
use crate::label::Condition;
use crate::permission::Permissions;
use crate::resource::ResourceId;

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
        let audience = principals.audience();
        let kind = context.kind.index();
        let target = || self.labels_of(resource);
        let gives = |role: u32| self.role_permissions(role, kind).intersects(missing);
        let unmet = |condition: Condition| !audience.meets(condition, target);
        // Bit i: principal i (0: the user or `Public`) was cut below.
        let mut cut: u128 = 0;
        let mut at = resource;
        while let Some(node) = self.nodes.get(at as usize) {
            let mut cut_here: u128 = 0;
            if !principals.public {
                // Sorted by scope: those here found by binary search, not
                // a scan of every own grant at every ancestor.
                let first = principals.grants.partition_point(|grant| grant.scope < at);
                let here = principals.grants.get(first..).unwrap_or(&[]);
                for grant in here.iter().take_while(|grant| grant.scope == at) {
                    if grant.effect == Effect::Deny || cut & 1 != 0 {
                        continue;
                    }
                    if unmet(grant.condition) {
                        if gives(grant.role) {
                            return Some(Reason::ConditionUnmet {
                                principal: principal_key::unpack(principals.user),
                                scope: ResourceId(at),
                            });
                        }
                    } else if grant.effect == Effect::Override {
                        cut_here |= 1;
                    }
                }
            }
            for entry in self.group_grants(node) {
                let Some(position) = principals.position(entry.key) else {
                    continue;
                };
                let bit = 1u128 << position;
                if entry.effect == Effect::Deny
                    || cut & bit != 0
                    || !audience.may_hold(entry.effect, entry.eligible)
                {
                    continue;
                }
                if unmet(entry.condition) {
                    if gives(entry.role) {
                        return Some(Reason::ConditionUnmet {
                            principal: principal_key::unpack(entry.key),
                            scope: ResourceId(at),
                        });
                    }
                } else if entry.effect == Effect::Override {
                    cut_here |= bit;
                }
            }
            cut |= cut_here;
            at = node.parent;
        }
        None
    }
}
