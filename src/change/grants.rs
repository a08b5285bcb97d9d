//! Grants and revokes: who may make them (the author's authority), who may
//! hold them (eligibility), and the identity that makes one grant unique.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::decision::Reason;
use crate::directory::{TeamId, UserId, UserType};
use crate::error::{ChangeProblem, Entity};
use crate::grant::{Effect, Grant, Grantee, Principal};
use crate::label::Condition;
use crate::policy::rules::crosses_tenants;
use crate::policy::{GrantEntry, GrantIdentity, Policy, UserGrant};
use crate::resource::ResourceId;
use crate::role::RoleId;

use super::apply::*;
use super::Author;

impl Policy {
    // ---- grants ----

    /// Adds a grant applying `when` the condition holds, or with `None`
    /// revokes the grant of the same principal, scope, role and effect.
    pub(super) fn grant(
        &mut self,
        grantee: &Grantee,
        scope: &str,
        role: &str,
        effect: Effect,
        when: Option<Condition>,
        by: Option<&Author>,
    ) -> Outcome<()> {
        let edit = self.prepare_grant(grantee, scope, role, effect, when, by)?;
        self.write_grants(grantee, scope, &[edit])
    }

    /// Replaces the grant of role `from` with effect `effect` on `scope`
    /// to `grantee` by one of role `to` (applying `when`), checked as a
    /// whole: both halves, and the author's right to make each, against
    /// the policy as it is before either, so that an author changing his
    /// own role keeps the right to finish; then both are written, or
    /// neither.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn replace_role(
        &mut self,
        grantee: &Grantee,
        scope: &str,
        (from, to): (&str, &str),
        effect: Effect,
        when: Condition,
        by: Option<&Author>,
    ) -> Outcome<()> {
        let old = self.prepare_grant(grantee, scope, from, effect, None, by)?;
        let new = self.prepare_grant(grantee, scope, to, effect, Some(when), by)?;
        self.write_grants(grantee, scope, &[old, new])
    }

    /// Every check of a grant (`when` given) or a revoke (`None`), and the
    /// author's right to make it, against the policy as it is: what
    /// [`write_grants`](Policy::write_grants) then writes.
    fn prepare_grant(
        &self,
        grantee: &Grantee,
        scope: &str,
        role: &str,
        effect: Effect,
        when: Option<Condition>,
        by: Option<&Author>,
    ) -> Outcome<GrantEdit> {
        let add = when.is_some();
        let condition = when.unwrap_or_default();
        // An author is told nothing about other tenants (item 9): his own
        // tenant is found first, and the scope and grantee must be in it
        // before anything else is checked about them or about his rights,
        // so that one of another tenant fails where, and as, a missing name
        // does (`CrossesTenants`, which `for_caller` reads as `Unknown`).
        let author = match by {
            Some(author) => Some((author, author.subject(self)?)),
            None => None,
        };
        let scope_id = self.live_resource(scope)?;
        let tenant = self.tenant_of(scope_id);
        if let Some((_, (_, author_tenant))) = author {
            if tenant != author_tenant {
                return Err(self.crossing(scope, scope_id, author_tenant));
            }
        }
        let role_id = self.role_named(role)?;
        let principal = match grantee {
            Grantee::User(name) => {
                let user = self.user_named(name)?;
                let user_tenant = self.user_tenant(user);
                if crosses_tenants(user_tenant, tenant) {
                    return Err(self.crossing_of(Entity::User, name, user_tenant, tenant));
                }
                Principal::User(user)
            }
            Grantee::Team(name) => {
                let team = self.team_named(name)?;
                self.check_team_tenant(name, team, tenant)?;
                Principal::Team(team)
            }
            Grantee::Everyone => Principal::Everyone,
            Grantee::Public => Principal::Public,
        };
        let grant = Grant {
            principal,
            scope: scope_id,
            role: role_id,
            effect,
        };
        if add {
            if let Err(Reason::RoleNotEligible) = self.eligible(principal, role_id, effect) {
                return Err(self.ineligible_grant(grantee, role_id));
            }
        }
        if let Some((author, (subject, _))) = author {
            let decision = if add {
                self.can_grant_when(&subject, &grant, condition)
            } else {
                self.can_revoke(&subject, &grant)
            };
            if !decision.is_allowed() {
                return Err(ChangeProblem::Refused {
                    author: author.credential.name().to_string(),
                    reason: decision.reason(),
                    explanation: self.explain(decision.reason()).to_string(),
                });
            }
        }
        // After the author's rights: one who may not make the grant learns
        // nothing of which accounts are protected, or of their teams.
        self.keeps_protected(grantee, principal, tenant, add, effect, || {
            format!("the {effect} of role {role:?} on {scope:?}")
        })?;
        Ok(GrantEdit {
            principal,
            scope: scope_id,
            role: role_id,
            effect,
            condition,
            add,
        })
    }

    /// Writes `edits` (prepared for one grantee and scope), in order, to
    /// the grantee's run: refused whole, before anything is written, when
    /// one adds a grant the run holds or removes one it does not.
    fn write_grants(&mut self, grantee: &Grantee, scope: &str, edits: &[GrantEdit]) -> Outcome<()> {
        let Some(first) = edits.first() else {
            return Ok(());
        };
        let (principal, scope_id) = (first.principal, first.scope);
        match principal {
            Principal::User(UserId(user)) => {
                let Some(record) = self.users.get(user as usize) else {
                    return Err(unknown(Entity::User, &grantee.to_string()));
                };
                let before = self.own_grants(user, record);
                let mut next = before.to_vec();
                for edit in edits {
                    let entry = UserGrant {
                        scope: scope_id.0,
                        effect: edit.effect,
                        role: edit.role.0,
                        condition: edit.condition,
                    };
                    // The condition is not part of a grant's identity.
                    next = with_or_without(before, &next, entry, edit.add, |g| g.identity(user))?;
                }
                self.room(next.len())?;
                self.set_user_grants(UserId(user), &next);
            }
            _ => {
                let Some(node) = self.nodes.get(scope_id.0 as usize) else {
                    return Err(unknown(Entity::Resource, scope));
                };
                let before = self.group_grants(node);
                let mut next = before.to_vec();
                for edit in edits {
                    let eligible = self.role_eligibility(edit.role.0);
                    let entry = GrantEntry::new(
                        principal,
                        edit.effect,
                        edit.role.0,
                        eligible,
                        edit.condition,
                    );
                    next = with_or_without(before, &next, entry, edit.add, |e| {
                        e.identity(scope_id.0)
                    })?;
                }
                self.room(next.len())?;
                self.set_node_run(scope_id, &next);
            }
        }
        Ok(())
    }

    pub(super) fn ineligible_grant(
        &self,
        grantee: &Grantee,
        RoleId(role): RoleId,
    ) -> ChangeProblem {
        let decl = self.catalog.roles.get(role as usize);
        let open = self.role_eligibility(role);
        let role_name = decl.map_or_else(String::new, |decl| decl.name.clone());
        let who = |UserId(user): UserId| {
            let record = self.users.get(user as usize);
            (
                self.catalog.users.owned(user),
                record.map_or(UserType::Native, |r| r.user_type()),
            )
        };
        let nobody = || (String::new(), UserType::Native);
        let (user, user_type) = match grantee {
            Grantee::User(name) => self.user_id(name).map_or_else(nobody, who),
            Grantee::Team(name) => self
                .team_id(name)
                .and_then(|TeamId(team)| {
                    self.members(team).find(|&m| {
                        self.users
                            .get(m as usize)
                            .is_some_and(|r| !open.contains(r.user_types()))
                    })
                })
                .map_or_else(nobody, |m| who(UserId(m))),
            Grantee::Everyone | Grantee::Public => ("the public".to_string(), UserType::Public),
        };
        ChangeProblem::IneligibleRole {
            role: role_name,
            user,
            user_type,
        }
    }
}

/// One grant or revoke, checked and authorized, to write.
#[derive(Debug, Clone, Copy)]
struct GrantEdit {
    principal: Principal,
    scope: ResourceId,
    role: RoleId,
    effect: Effect,
    condition: Condition,
    /// Added (`true`) or revoked.
    add: bool,
}

/// `run` (sorted by identity) with `entry` added (`add`) or the entry of
/// its identity removed: refused as [`ChangeProblem::AlreadyGranted`] when
/// adding an identity the run holds, [`ChangeProblem::NotGranted`] when
/// removing one it does not. An add is also refused when `before` (the
/// run before every edit of the change) holds its identity: replacing a
/// role by itself holds the new role already, and is not a way to rewrite
/// a grant's condition. The one rule of grant identity for changes, for a
/// user's own grants and a node's group grants alike.
fn with_or_without<T: Copy>(
    before: &[T],
    run: &[T],
    entry: T,
    add: bool,
    identity: impl Fn(&T) -> GrantIdentity,
) -> Outcome<Vec<T>> {
    let wanted = identity(&entry);
    let position = run.binary_search_by(|held| identity(held).cmp(&wanted));
    let held_before = || {
        before
            .binary_search_by(|held| identity(held).cmp(&wanted))
            .is_ok()
    };
    if add && position.is_err() && held_before() {
        return Err(ChangeProblem::AlreadyGranted);
    }
    let mut next = run.to_vec();
    match (add, position) {
        (true, Ok(_)) => return Err(ChangeProblem::AlreadyGranted),
        (false, Err(_)) => return Err(ChangeProblem::NotGranted),
        (true, Err(at)) => next.insert(at, entry),
        (false, Ok(at)) => {
            next.remove(at);
        }
    }
    Ok(next)
}
