//! Reverse questions: which resources a subject may act on, and who may act
//! on a resource. The concept is documented on [`Policy::accessible`] and
//! [`Policy::who_can`], where users read it.

use alloc::vec;
use alloc::vec::Vec;

use crate::decision::Reason;
use crate::directory::{Channel, UserId};
use crate::permission::Action;
use crate::policy::{Policy, NONE, REMOVED};
use crate::resource::{ResourceId, ResourceKind};
use crate::subject::Subject;

impl Policy {
    /// Every resource at or below `within` that `subject` may do `action`
    /// on, in id order: list filtering, like SpiceDB's LookupResources.
    ///
    /// It agrees with [`authorize`](Policy::authorize) on every resource
    /// (a property test checks it). The subtree is found in one pass over
    /// the resources, and each member of it is decided once.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("shared", ResourceKind::Folder, "acme")
    ///     .resource("a", ResourceKind::Flow, "shared")
    ///     .resource("private", ResourceKind::Folder, "acme")
    ///     .resource("b", ResourceKind::Flow, "private")
    ///     .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
    ///     .user(User::new("ann", "acme"))
    ///     .grant(Grantee::user("ann"), "shared", "viewer", Effect::Allow)
    ///     .build()?;
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web);
    /// let acme = policy.resource_id("acme").unwrap();
    /// let flows = policy.accessible_of_kind(&ann, Action::View, acme, ResourceKind::Flow);
    /// assert_eq!(flows, vec![policy.resource_id("a").unwrap()]);
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn accessible(
        &self,
        subject: &Subject,
        action: Action,
        within: ResourceId,
    ) -> Vec<ResourceId> {
        self.accessible_filtered(subject, action, within, None)
    }

    /// [`accessible`](Policy::accessible), keeping only resources of `kind`
    /// (every flow a user may open, for a list page).
    #[must_use]
    pub fn accessible_of_kind(
        &self,
        subject: &Subject,
        action: Action,
        within: ResourceId,
        kind: ResourceKind,
    ) -> Vec<ResourceId> {
        self.accessible_filtered(subject, action, within, Some(kind))
    }

    fn accessible_filtered(
        &self,
        subject: &Subject,
        action: Action,
        within: ResourceId,
        kind: Option<ResourceKind>,
    ) -> Vec<ResourceId> {
        let mut found = Vec::new();
        // One pass: a resource is inside when its parent is (parents first
        // is not guaranteed, so undecided ones are settled by walking up
        // to the nearest decided ancestor, each node settled once).
        const UNKNOWN: u8 = 0;
        const INSIDE: u8 = 1;
        const OUTSIDE: u8 = 2;
        let mut state = vec![UNKNOWN; self.nodes.len()];
        let mut path = Vec::new();
        for start in 0..self.nodes.len() {
            let mut at = start;
            let settled = loop {
                match state.get(at) {
                    Some(&UNKNOWN) => {}
                    Some(&known) => break known,
                    None => break OUTSIDE,
                }
                path.push(at);
                if at == within.0 as usize {
                    break INSIDE;
                }
                match self.nodes.get(at) {
                    Some(node) if node.tenant != REMOVED && node.parent != NONE => {
                        at = node.parent as usize;
                    }
                    _ => break OUTSIDE,
                }
            };
            for &node in &path {
                if let Some(slot) = state.get_mut(node) {
                    *slot = settled;
                }
            }
            path.clear();
        }
        for (index, &inside) in state.iter().enumerate() {
            if inside != INSIDE {
                continue;
            }
            let Ok(id) = u32::try_from(index) else {
                break;
            };
            let Some(node) = self.nodes.get(index) else {
                continue;
            };
            if node.tenant == REMOVED || kind.is_some_and(|kind| node.kind != kind) {
                continue;
            }
            if self.authorize(subject, action, ResourceId(id)).is_allowed() {
                found.push(ResourceId(id));
            }
        }
        found
    }

    /// Every user allowed to do `action` on `resource`, each with the
    /// reason (the grant: direct, through a team, `Everyone`, or an org
    /// admin's grant higher up), as an access review asks "who can touch
    /// this?". Each user is asked through the first channel its account may
    /// use (web, apps, API, link, in that order), with MFA passed, at time
    /// `now` (for invitations); users of other tenants, and accounts that
    /// may use no channel, are skipped without a decision.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("payroll", ResourceKind::Flow, "acme")
    ///     .role(Role::new("admin").allow_everywhere(Permissions::all_named()))
    ///     .user(User::new("ann", "acme"))
    ///     .user(User::new("bob", "acme"))
    ///     .grant(Grantee::user("ann"), "acme", "admin", Effect::Allow)
    ///     .build()?;
    /// let payroll = policy.resource_id("payroll").unwrap();
    /// let who = policy.who_can(Action::Delete, payroll, 0);
    /// assert_eq!(who.len(), 1);
    /// assert_eq!(who[0].0, policy.user_id("ann").unwrap());
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn who_can(&self, action: Action, resource: ResourceId, now: u64) -> Vec<(UserId, Reason)> {
        let Some(tenant) = self.tenant_of(resource) else {
            return Vec::new();
        };
        self.users
            .iter()
            .enumerate()
            .filter(|(_, record)| record.tenant == tenant.0)
            .filter_map(|(index, record)| {
                let user = UserId(u32::try_from(index).ok()?);
                let channel = [Channel::Web, Channel::App, Channel::Api, Channel::Link]
                    .into_iter()
                    .find(|channel| record.channels.contains(channel.as_set()))?;
                let subject = Subject::user(user, channel).with_mfa(true).at(now);
                let decision = self.authorize(&subject, action, resource);
                decision.is_allowed().then(|| (user, decision.reason()))
            })
            .collect()
    }
}
