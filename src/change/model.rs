//! Changes to the resource tree and the roles: adding, moving and removing
//! resources; adding, redefining and removing roles, with the checks that
//! keep every holder eligible.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::directory::{KeyId, LinkId, UserId, UserType, UserTypes};
use crate::error::{ChangeProblem, Entity, Problems};
use crate::grant::{Effect, Principal};
use crate::policy::rules::{may_hold, role_eligibility};
use crate::policy::{
    id_at, principal_key, GrantEntry, Missing, Policy, UserGrant, MAX_ENTITIES, NONE,
};
use crate::resource::{ResourceId, ResourceKind};
use crate::role::{Role, RoleId, TeamTypes};

use super::apply::*;

impl Policy {
    // ---- resources ----

    pub(super) fn live_resource(&self, name: &str) -> Outcome<ResourceId> {
        find(&self.catalog.resources, Entity::Resource, name).map(ResourceId)
    }

    /// The tenant of resource `id` as a bare `u32` ([`NONE`] for none,
    /// [`REMOVED`](crate::policy::REMOVED) once removed), for
    /// [`authority`](crate::authority), which still reads it so; changes
    /// read [`tenant_of`](Policy::tenant_of).
    pub(crate) fn tenant_of_node(&self, id: u32) -> u32 {
        self.nodes.get(id as usize).map_or(NONE, |node| node.tenant)
    }

    /// Whether `id` is a tenant root: a resource without a parent.
    fn is_tenant_root(&self, id: ResourceId) -> bool {
        self.nodes
            .get(id.0 as usize)
            .is_some_and(|node| node.parent_id().is_none())
    }

    pub(super) fn tenant_root(&self, name: &str) -> Outcome<ResourceId> {
        let id = self.live_resource(name)?;
        if self.is_tenant_root(id) {
            Ok(id)
        } else {
            Err(ChangeProblem::NotATenant {
                name: name.to_string(),
            })
        }
    }

    pub(super) fn add_resource(
        &mut self,
        name: &str,
        kind: ResourceKind,
        parent: Option<&str>,
    ) -> Outcome<()> {
        fresh(&self.catalog.resources, Entity::Resource, name)?;
        let id = next_id(self.nodes.len(), Entity::Resource, MAX_ENTITIES).map(ResourceId)?;
        let parent = match parent {
            Some(parent) => Some(self.live_resource(parent)?),
            None => None,
        };
        remember(
            &mut self.catalog.resources,
            Entity::Resource,
            name,
            MAX_ENTITIES,
        )?;
        let pushed = self.push_resource(kind, parent);
        debug_assert_eq!(pushed, id);
        Ok(())
    }

    pub(super) fn move_resource(&mut self, name: &str, parent: &str) -> Outcome<()> {
        let id = self.live_resource(name)?;
        let new_parent = self.live_resource(parent)?;
        let tenant = self.tenant_of(id);
        if self.is_tenant_root(id) {
            return Err(ChangeProblem::TenantRoot {
                name: name.to_string(),
            });
        }
        if self.tenant_of(new_parent) != tenant {
            return Err(self.crossing(parent, new_parent, tenant));
        }
        if self.is_within(new_parent.0, id.0) {
            return Err(ChangeProblem::Cycle {
                name: name.to_string(),
                parent: parent.to_string(),
            });
        }
        self.keeps_protected_moving(id, new_parent)?;
        self.set_parent(id, new_parent)
            .map_err(|Missing| unknown(Entity::Resource, name))
    }

    /// The name of resource `id` (empty for none).
    pub(super) fn name_of_resource(&self, id: Option<ResourceId>) -> String {
        id.map_or_else(String::new, |ResourceId(id)| {
            self.catalog.resources.owned(id)
        })
    }

    /// Resource `what` (id `what_id`), named by a change in `tenant`.
    pub(super) fn crossing(
        &self,
        what: &str,
        what_id: ResourceId,
        tenant: Option<ResourceId>,
    ) -> ChangeProblem {
        self.crossing_of(Entity::Resource, what, self.tenant_of(what_id), tenant)
    }

    /// `name`, an `entity` of `other_tenant`, named by a change in `tenant`.
    pub(super) fn crossing_of(
        &self,
        entity: Entity,
        name: &str,
        other_tenant: Option<ResourceId>,
        tenant: Option<ResourceId>,
    ) -> ChangeProblem {
        ChangeProblem::CrossesTenants {
            entity,
            name: name.to_string(),
            tenant: self.name_of_resource(tenant),
            other_tenant: self.name_of_resource(other_tenant),
        }
    }

    pub(super) fn remove_resource(&mut self, name: &str) -> Outcome<()> {
        let id = self.live_resource(name)?;
        if self.is_tenant_root(id) {
            let users = self.users.iter().any(|user| user.tenant_id() == Some(id));
            let teams = self.catalog.team_tenants.contains(&id.0);
            if users || teams {
                return Err(ChangeProblem::InUse {
                    entity: Entity::Resource,
                    name: name.to_string(),
                    by: "its users or teams".to_string(),
                });
            }
        }
        let mut subtree = self.subtree(id.0);
        subtree.sort_unstable();
        let inside = |resource: u32| subtree.binary_search(&resource).is_ok();
        // A protected account keeps its grants: the subtree stays while it
        // holds one there.
        for &user in &self.protected {
            let record = self.users.get(user as usize);
            let holds = record.is_some_and(|record| {
                self.own_grants(user, record)
                    .iter()
                    .any(|grant| inside(grant.scope))
            });
            if holds {
                let user_name = self.catalog.users.owned(user);
                self.unprotected(UserId(user), &user_name, || {
                    format!("stripped of its grants in {name:?} (by removing it)")
                })?;
            }
        }
        let inside_id = |resource: Option<ResourceId>| resource.is_some_and(|r| inside(r.0));
        // Grants of users on the subtree.
        for user in 0..self.users.len() {
            let Some(record) = self.users.get(user) else {
                continue;
            };
            let own = self.own_grants(id_at(user), record);
            if own.iter().any(|grant| inside(grant.scope)) {
                let kept: Vec<UserGrant> = own
                    .iter()
                    .copied()
                    .filter(|grant| !inside(grant.scope))
                    .collect();
                self.set_user_grants(UserId(id_at(user)), &kept);
            }
        }
        // Keys limited to the subtree lose it; one limited to nothing else
        // goes (it would otherwise reach everything). Links into it go.
        for key_id in 0..self.keys.len() {
            let Some(key) = self.keys.get(key_id).filter(|key| key.is_live()) else {
                continue;
            };
            let roots = self.key_roots(key);
            if !roots.iter().any(|&root| inside(root)) {
                continue;
            }
            let kept: Vec<u32> = roots
                .iter()
                .copied()
                .filter(|&root| !inside(root))
                .collect();
            if kept.is_empty() {
                self.remove_key(KeyId(id_at(key_id)));
            } else {
                self.set_key_roots(KeyId(id_at(key_id)), &kept);
            }
        }
        for link_id in 0..self.links.len() {
            let link = self.links.get(link_id);
            if link.is_some_and(|l| inside_id(l.resource_id())) {
                self.remove_link(LinkId(id_at(link_id)));
            }
        }
        self.remove_subtree(id, &subtree);
        Ok(())
    }

    // ---- roles ----

    pub(super) fn set_role(&mut self, role: &Role, add: bool) -> Outcome<()> {
        let id = if add {
            fresh(&self.catalog.role_ids, Entity::Role, &role.name)?;
            next_id(self.catalog.roles.len(), Entity::Role, MAX_ENTITIES).map(RoleId)?
        } else {
            self.role_named(&role.name)?
        };
        let mut roles = self.catalog.roles.clone();
        let mut ids = self.catalog.role_ids.clone();
        if add {
            roles.push(role.clone());
            ids.insert(role.name.clone(), id.0);
        } else if let Some(slot) = roles.get_mut(id.0 as usize) {
            *slot = role.clone();
        }
        // Removed roles keep their declarations, but no name maps to them:
        // inheriting one is an unknown reference.
        let mut problems = Problems::default();
        let flat = crate::role::flatten(&roles, &ids, &mut problems);
        if let Some(problem) = problems.into_first() {
            return Err(ChangeProblem::Invalid(problem));
        }
        // A role's eligibility follows what it inherits: changing one role
        // may close every role inheriting it to some user types.
        let narrowed: Vec<bool> = flat
            .eligible
            .iter()
            .enumerate()
            .map(|(index, &open)| !open.contains(self.role_eligibility(id_at(index))))
            .collect();
        if narrowed.contains(&true) {
            self.check_role_holders(&narrowed, &flat.eligible, &roles)?;
        }
        self.keeps_protected_roles(&flat)?;
        self.catalog.roles = roles;
        self.catalog.role_ids = ids;
        self.set_flat_roles(flat);
        Ok(())
    }

    /// Every direct, team and public grant of a `narrowed` role stays
    /// eligible under the roles' new eligibility (`eligible`, of roles
    /// declared as `roles`). One pass over users' grants, memberships and
    /// group grants: linear in the policy, not team grants times users.
    pub(super) fn check_role_holders(
        &self,
        narrowed: &[bool],
        eligible: &[UserTypes],
        roles: &[Role],
    ) -> Outcome<()> {
        let is_narrowed = |role: u32| narrowed.get(role as usize) == Some(&true);
        let open = |role: u32| role_eligibility(eligible, role);
        let refuse = |role: u32, user: String, user_type: UserType| ChangeProblem::IneligibleRole {
            role: roles
                .get(role as usize)
                .map_or_else(String::new, |decl| decl.name.clone()),
            user,
            user_type,
        };
        for (user, record) in (0..).zip(&self.users) {
            if !record.is_live() {
                continue;
            }
            for grant in self.own_grants(user, record) {
                if is_narrowed(grant.role)
                    && !may_hold(record.user_type(), grant.effect, open(grant.role))
                {
                    return Err(refuse(
                        grant.role,
                        self.catalog.users.owned(user),
                        record.user_type(),
                    ));
                }
            }
        }
        let mut team_types: Option<TeamTypes> = None;
        for entry in self.grants_live() {
            if entry.effect == Effect::Deny || !is_narrowed(entry.role) {
                continue;
            }
            match principal_key::unpack(entry.key) {
                Principal::Team(team) => {
                    let types = team_types.get_or_insert_with(|| self.team_types());
                    if let Some((member, user_type)) =
                        types.ineligible(team.0, entry.effect, open(entry.role))
                    {
                        return Err(refuse(
                            entry.role,
                            self.catalog.users.owned(member),
                            user_type,
                        ));
                    }
                }
                Principal::Public
                    if !may_hold(UserType::Public, entry.effect, open(entry.role)) =>
                {
                    return Err(refuse(
                        entry.role,
                        "the public".to_string(),
                        UserType::Public,
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The user types of every team's live members (see [`TeamTypes`]), in
    /// one pass over the users.
    pub(super) fn team_types(&self) -> TeamTypes {
        let mut types = TeamTypes::new(self.catalog.team_tenants.len());
        for (user, record) in (0..).zip(&self.users) {
            if !record.is_live() {
                continue;
            }
            for &team in self.teams_of(record) {
                types.add(team, user, record.user_type());
            }
        }
        types
    }

    /// Every group grant in a live node's run.
    pub(super) fn grants_live(&self) -> impl Iterator<Item = &GrantEntry> + '_ {
        self.nodes
            .iter()
            .filter(|node| node.is_live())
            .flat_map(|node| self.group_grants(node))
    }

    pub(super) fn remove_role(&mut self, name: &str) -> Outcome<()> {
        let RoleId(id) = self.role_named(name)?;
        let in_use = |by: String| ChangeProblem::InUse {
            entity: Entity::Role,
            name: name.to_string(),
            by,
        };
        if let Some(heir) = self
            .catalog
            .roles
            .iter()
            .enumerate()
            .find_map(|(index, role)| {
                let live = self.catalog.role_ids.get(&role.name) == Some(&id_at(index));
                (live && role.inherits.iter().any(|parent| parent == name))
                    .then(|| role.name.clone())
            })
        {
            return Err(in_use(format!("role {heir:?}, which inherits it")));
        }
        let granted = self.grants_live().any(|entry| entry.role == id)
            || (0..).zip(&self.users).any(|(user, record)| {
                record.is_live()
                    && self
                        .own_grants(user, record)
                        .iter()
                        .any(|grant| grant.role == id)
            });
        if granted {
            return Err(in_use("grants; revoke them first".to_string()));
        }
        if self.required.iter().any(|required| required.role == id) {
            return Err(in_use("the model, which requires it".to_string()));
        }
        // The fallible step first, so that a refusal leaves the role whole.
        self.clear_role(RoleId(id))
            .map_err(|Missing| unknown(Entity::Role, name))?;
        self.catalog.role_ids.remove(name);
        // Keep only the name (for explanations of old decisions): a removed
        // role inherits nothing, so later flattening never trips over it.
        if let Some(decl) = self.catalog.roles.get_mut(id as usize) {
            *decl = Role::new(name);
        }
        Ok(())
    }
}
