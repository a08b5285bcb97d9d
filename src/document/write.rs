//! Writing a document: [`Policy::to_document`], the snapshot of a policy
//! by names (removed ids included), and the equality of policies, which
//! is the equality of their documents.
//!
//! This file owns the way from a policy to a document. It reads the policy
//! through its views and name tables, and must never change a policy, nor
//! write anything a reloaded snapshot would not rebuild to the same ids.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{
    GrantDocument, KeyDocument, LinkDocument, PolicyDocument, RemovedDocument,
    RequiredRoleDocument, ResourceDocument, RoleDocument, RuleDocument, TeamDocument, UserDocument,
};
use crate::directory::UserTypes;
use crate::grant::{Grantee, Principal};
use crate::inspect::ids;
use crate::names::NameTable;
use crate::permission::Permissions;
use crate::policy::{principal_key, Holders, Policy};
use crate::role::{RequiredOf, RoleId};

/// Documents out.
impl Policy {
    /// The model as a document, by names: a snapshot, which
    /// [`from_document`](Policy::from_document) compiles back into an
    /// equal policy (`==`): the same entities under the same ids, and the
    /// same [`revision`](Policy::revision).
    ///
    /// Entities come in id order, and the ids of removed entities are
    /// listed in [`PolicyDocument::removed`], so the ids of the rebuilt
    /// policy are those of this one, after any changes: an id kept across
    /// a reload names the same entity, or (removed) none. What the compiled
    /// policy no longer distinguishes is written in one canonical way:
    /// grants are listed by scope, a user's teams in id order without
    /// repeats, and a user's channels only when narrower than its type's.
    ///
    /// Two policies are equal exactly when their documents are.
    #[must_use]
    pub fn to_document(&self) -> PolicyDocument {
        let writer = Writer { policy: self };
        PolicyDocument {
            version: PolicyDocument::VERSION,
            mfa_required: self.mfa_required,
            seats: self.seats,
            roles: writer.role_documents(),
            required_roles: writer.required_role_documents(),
            resources: writer.resource_documents(),
            teams: writer.team_documents(),
            exclusive_teams: self
                .exclusive
                .iter()
                .map(|set| {
                    set.teams
                        .iter()
                        .map(|&team| self.catalog.teams.owned(team))
                        .collect()
                })
                .collect(),
            users: writer.user_documents(),
            grants: writer.grant_documents(),
            keys: writer.key_documents(),
            links: writer.link_documents(),
            removed: writer.removed_document(),
            revision: self.revision,
        }
    }
}

/// Two policies are equal when they hold the same model: the same
/// [document](Policy::to_document), so the same entities under the same
/// ids (removed ones included), the same grants, and the same
/// [`revision`](Policy::revision). How each lays the model out in memory
/// (the order of its arenas, space left by changes) does not count: a
/// policy changed step by step equals the one its snapshot rebuilds.
///
/// Comparing writes both documents: a cost in proportion to the policies'
/// size, for tests and checks, never for a decision.
impl PartialEq for Policy {
    fn eq(&self, other: &Policy) -> bool {
        self.revision == other.revision && self.to_document() == other.to_document()
    }
}

impl Eq for Policy {}

/// Writes a policy's parts for [`Policy::to_document`], one per kind of
/// entity, from the policy's views ([`crate::inspect`]): each lists the
/// live entities of its kind, and `removed` every other id, by the one
/// rule of which ids are live.
struct Writer<'p> {
    policy: &'p Policy,
}

impl core::ops::Deref for Writer<'_> {
    type Target = Policy;

    fn deref(&self) -> &Policy {
        self.policy
    }
}

impl Writer<'_> {
    /// The ids (and names) of removed entities: every id of a kind that
    /// is not live.
    fn removed_document(&self) -> RemovedDocument {
        let removed = |count: usize, names: &NameTable, live: &dyn Fn(u32) -> bool| {
            ids(count)
                .filter(|&id| !live(id))
                .map(|id| (id, name_of(names, id)))
                .collect()
        };
        let roles = (0..)
            .zip(&self.catalog.roles)
            .filter(|&(id, _)| !self.role_is_live(id))
            .map(|(id, role)| (id, role.name.clone()))
            .collect();
        RemovedDocument {
            resources: removed(self.nodes.len(), &self.catalog.resources, &|id| {
                self.resource_is_live(id)
            }),
            roles,
            teams: removed(
                self.catalog.team_tenants.len(),
                &self.catalog.teams,
                &|id| self.team_is_live(id),
            ),
            users: removed(self.users.len(), &self.catalog.users, &|id| {
                self.user_is_live(id)
            }),
            keys: removed(self.keys.len(), &self.catalog.keys, &|id| {
                self.key_is_live(id)
            }),
            links: removed(self.links.len(), &self.catalog.links, &|id| {
                self.link_is_live(id)
            }),
        }
    }

    fn role_documents(&self) -> Vec<RoleDocument> {
        self.roles()
            .map(|role| RoleDocument {
                name: role.name().to_string(),
                rules: role
                    .rules()
                    .map(|(kinds, permissions)| RuleDocument {
                        kinds: kinds.to_vec(),
                        permissions,
                    })
                    .collect(),
                inherits: role.inherits().map(ToString::to_string).collect(),
                only_for: (role.only_for() != UserTypes::all()).then_some(role.only_for()),
            })
            .collect()
    }

    fn resource_documents(&self) -> Vec<ResourceDocument> {
        self.resources()
            .filter_map(|id| self.resource(id))
            .map(|resource| ResourceDocument {
                name: resource.name().to_string(),
                kind: resource.kind(),
                parent: resource
                    .parent()
                    .map(|parent| self.resource_name_of(parent)),
                labels: resource.labels(),
            })
            .collect()
    }

    fn required_role_documents(&self) -> Vec<RequiredRoleDocument> {
        self.required
            .iter()
            .map(|required| RequiredRoleDocument {
                of: match required.holders {
                    Holders::Types(types) => RequiredOf::Types(types),
                    Holders::Team(team) => RequiredOf::Team(self.catalog.teams.owned(team)),
                },
                role: self
                    .role_name(RoleId(required.role))
                    .unwrap_or_default()
                    .to_string(),
                on_each: required.on,
            })
            .collect()
    }

    fn team_documents(&self) -> Vec<TeamDocument> {
        self.teams()
            .map(|team| TeamDocument {
                name: team.name().to_string(),
                tenant: self.resource_name_of(team.tenant()),
            })
            .collect()
    }

    fn user_documents(&self) -> Vec<UserDocument> {
        self.users()
            .map(|user| UserDocument {
                name: user.name().to_string(),
                tenant: self.resource_name_of(user.tenant()),
                user_type: user.user_type(),
                status: user.status(),
                channels: (user.channels() != user.user_type().channels())
                    .then_some(user.channels()),
                teams: user
                    .teams()
                    .map(|team| self.team_name(team).unwrap_or_default().to_string())
                    .collect(),
                labels: user.labels(),
                protected: user.is_protected(),
            })
            .collect()
    }

    fn grant_documents(&self) -> Vec<GrantDocument> {
        // (scope, principal key, grant): sorted by the first two, grants
        // read like the model: resource by resource, principals in order.
        let mut grants: Vec<(u32, u32, GrantDocument)> = self
            .grants()
            .map(|(grant, when)| {
                let to = match grant.principal {
                    Principal::User(user) => {
                        Grantee::User(self.user_name(user).unwrap_or_default().to_string())
                    }
                    Principal::Team(team) => {
                        Grantee::Team(self.team_name(team).unwrap_or_default().to_string())
                    }
                    Principal::Everyone => Grantee::Everyone,
                    Principal::Public => Grantee::Public,
                };
                let document = GrantDocument {
                    to,
                    scope: self.resource_name_of(grant.scope),
                    role: self.role_name(grant.role).unwrap_or_default().to_string(),
                    effect: grant.effect,
                    when,
                };
                (
                    grant.scope.0,
                    principal_key::pack(grant.principal),
                    document,
                )
            })
            .collect();
        // Stable: a principal's grants on one scope keep their compiled
        // order (by effect, then role).
        grants.sort_by_key(|&(scope, principal, _)| (scope, principal));
        grants.into_iter().map(|(_, _, grant)| grant).collect()
    }

    fn key_documents(&self) -> Vec<KeyDocument> {
        self.keys()
            .map(|key| KeyDocument {
                name: key.name().to_string(),
                owner: self.user_name(key.owner()).unwrap_or_default().to_string(),
                scope: (key.scope() != Permissions::all()).then_some(key.scope()),
                within: key
                    .within()
                    .map(|within| self.resource_name_of(within))
                    .collect(),
                expires_at: key.expires_at(),
                revoked: key.is_revoked(),
            })
            .collect()
    }

    fn link_documents(&self) -> Vec<LinkDocument> {
        self.links()
            .map(|link| LinkDocument {
                name: link.name().to_string(),
                resource: self.resource_name_of(link.resource()),
                permissions: link.permissions(),
                expires_at: link.expires_at(),
                revoked: link.is_revoked(),
            })
            .collect()
    }

    /// The name of resource `id`, owned.
    fn resource_name_of(&self, id: crate::ResourceId) -> String {
        name_of(&self.catalog.resources, id.0)
    }
}

/// The name of entity `id` in `names`, or `""` if it has none (never, in
/// a policy that built).
fn name_of(names: &NameTable, id: u32) -> String {
    names.owned(id)
}
