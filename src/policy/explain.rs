//! Reasons written with the names the host gave: [`Policy::explain`].
//!
//! Owns: naming the entities a [`Reason`] mentions. Must never: decide.

use alloc::vec::Vec;
use core::fmt;

use crate::decision::{write_reason, Names, Reason};
use crate::grant::Principal;
use crate::resource::ResourceId;
use crate::role::RoleId;

use super::*;

impl Policy {
    /// The reason's sentence with entities named by the names the host gave
    /// them, rather than by id.
    ///
    /// ```
    /// # use clearance::*;
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("sales", ResourceKind::Workspace, "acme")
    ///     .role(Role::new("viewer").allow([ResourceKind::Workspace], Permissions::VIEW))
    ///     .user(User::new("ann", "acme"))
    ///     .grant(Grantee::user("ann"), "sales", "viewer", Effect::Allow)
    ///     .build()?;
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
    /// let sales = policy.resource_id("sales").unwrap();
    /// let decision = policy.authorize(&ann, Action::View, sales);
    /// assert_eq!(
    ///     policy.explain(decision.reason()).to_string(),
    ///     r#"user "ann" holds the role "viewer" on workspace "sales""#,
    /// );
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn explain(&self, reason: Reason) -> Explanation<'_> {
        Explanation {
            policy: self,
            reason,
        }
    }
}

/// A [`Reason`] with the names of the entities it mentions; see
/// [`Policy::explain`]. Formatting it allocates nothing.
#[derive(Clone, Copy)]
pub struct Explanation<'p> {
    policy: &'p Policy,
    reason: Reason,
}

impl fmt::Debug for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Explanation")
            .field("reason", &self.reason)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_reason(f, &self.reason, self.policy)
    }
}

impl Names for Policy {
    fn resource(&self, f: &mut fmt::Formatter<'_>, id: ResourceId) -> fmt::Result {
        match (self.resource_kind(id), self.resource_name(id)) {
            (Some(kind), Some(name)) => write!(f, "{} {name:?}", kind.label()),
            _ => fmt::Display::fmt(&id, f),
        }
    }

    fn principal(&self, f: &mut fmt::Formatter<'_>, principal: Principal) -> fmt::Result {
        match principal {
            Principal::User(id) => match self.user_name(id) {
                Some(name) => write!(f, "user {name:?}"),
                None => fmt::Display::fmt(&id, f),
            },
            Principal::Team(id) => match self.team_name(id) {
                Some(name) => write!(f, "team {name:?}"),
                None => fmt::Display::fmt(&id, f),
            },
            Principal::Everyone | Principal::Public => fmt::Display::fmt(&principal, f),
        }
    }

    fn role(&self, f: &mut fmt::Formatter<'_>, id: RoleId) -> fmt::Result {
        match self.role_name(id) {
            Some(name) => write!(f, "the role {name:?}"),
            None => fmt::Display::fmt(&id, f),
        }
    }

    fn conditional_grant(
        &self,
        f: &mut fmt::Formatter<'_>,
        principal: Principal,
        scope: ResourceId,
    ) -> fmt::Result {
        let matches = |&(grant, condition): &(crate::Grant, crate::Condition)| {
            grant.principal == principal
                && grant.scope == scope
                && grant.effect != crate::Effect::Deny
                && condition != crate::Condition::Always
        };
        // The reason names the principal and scope, not the role (a
        // `Decision` stays 16 bytes): with several conditional grants
        // there, each is named, none picked as the one that failed.
        let grants: Vec<(crate::Grant, crate::Condition)> = match principal {
            Principal::User(user) => self
                .user(user)
                .map(|user| user.grants().filter(matches).collect())
                .unwrap_or_default(),
            _ => self
                .resource(scope)
                .map(|resource| resource.group_grants().filter(matches).collect())
                .unwrap_or_default(),
        };
        match grants.as_slice() {
            [] => f.write_str("a grant applies only under its condition"),
            [(grant, condition)] => {
                f.write_str("the grant of ")?;
                Names::role(self, f, grant.role)?;
                f.write_str(" to ")?;
                Names::principal(self, f, principal)?;
                f.write_str(" on ")?;
                Names::resource(self, f, scope)?;
                write!(f, " applies only {condition}")
            }
            several => {
                f.write_str("a condition of the grants to ")?;
                Names::principal(self, f, principal)?;
                f.write_str(" on ")?;
                Names::resource(self, f, scope)?;
                for (at, (grant, condition)) in several.iter().enumerate() {
                    f.write_str(if at == 0 { " (" } else { "; " })?;
                    Names::role(self, f, grant.role)?;
                    write!(f, " {condition}")?;
                }
                f.write_str(")")
            }
        }
    }
}
