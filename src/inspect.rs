//! Reading a compiled policy back, entity by entity, without writing a
//! whole [document](crate::PolicyDocument): an admin screen listing a
//! tenant's users, a role's rules, a user's teams and grants, the keys
//! about to expire.
//!
//! Each kind of entity has a borrowed view ([`UserView`], [`RoleView`],
//! ...): a reference into the policy, `Copy`, that reads its fields on
//! demand and allocates nothing. [`Policy::user`] and the like give the
//! view of one id; [`Policy::users`] and the like iterate over the live
//! entities of a kind, in id order. An entity that was removed has no view
//! (its id is never reused, and it names nothing). This module also owns
//! the one rule of which ids are live, which [`Policy::to_document`]
//! (written on top of these views) and [`Policy::resolve`] share.

use core::fmt;

use crate::directory::{Channels, KeyId, LinkId, Status, TeamId, UserId, UserType, UserTypes};
use crate::grant::{Effect, Grant, Principal};
use crate::label::{Condition, Labels};
use crate::permission::Permissions;
use crate::policy::{principal_key, KeyRecord, LinkRecord, Node, Policy, UserRecord, REMOVED};
use crate::resource::{ResourceId, ResourceKind};
use crate::role::{Role, RoleId};

/// Which ids are live: the one rule, read by the views, the document
/// writer and the resolver. A removed entity keeps its slot (ids are
/// never reused), marked as such.
impl Policy {
    /// Whether resource `id` exists and was not removed.
    pub(crate) fn resource_is_live(&self, id: u32) -> bool {
        self.nodes
            .get(id as usize)
            .is_some_and(|node| node.is_live())
    }

    /// Whether user `id` exists and was not removed.
    pub(crate) fn user_is_live(&self, id: u32) -> bool {
        self.users
            .get(id as usize)
            .is_some_and(|user| user.is_live())
    }

    /// Whether team `id` exists and was not removed.
    pub(crate) fn team_is_live(&self, id: u32) -> bool {
        self.team_tenant(id).is_some()
    }

    /// The tenant of team `id`; `None` if it was removed or never existed
    /// (a removed team keeps its slot, its tenant set to [`REMOVED`]).
    fn team_tenant(&self, id: u32) -> Option<ResourceId> {
        self.catalog
            .team_tenants
            .get(id as usize)
            .filter(|&&tenant| tenant != REMOVED)
            .map(|&tenant| ResourceId(tenant))
    }

    /// Whether role `id` exists and was not removed: a removed role keeps
    /// its declaration (and name) in the list, but not its id.
    pub(crate) fn role_is_live(&self, id: u32) -> bool {
        self.catalog
            .roles
            .get(id as usize)
            .is_some_and(|decl| self.catalog.role_ids.get(&decl.name) == Some(&id))
    }

    /// Whether API key `id` exists and was not removed (removing a key, or
    /// its owner, or the resource it is limited to, removes its owner from
    /// its record).
    pub(crate) fn key_is_live(&self, id: u32) -> bool {
        self.keys
            .get(id as usize)
            .and_then(KeyRecord::owner_id)
            .is_some_and(|UserId(owner)| self.user_is_live(owner))
    }

    /// Whether public link `id` exists and was not removed.
    pub(crate) fn link_is_live(&self, id: u32) -> bool {
        self.links
            .get(id as usize)
            .and_then(LinkRecord::resource_id)
            .is_some_and(|ResourceId(resource)| self.resource_is_live(resource))
    }
}

/// The ids `0..count` as `u32` (a policy never holds more entities of a
/// kind than `u32` counts).
pub(crate) fn ids(count: usize) -> impl Iterator<Item = u32> {
    (0..count).map_while(|index| u32::try_from(index).ok())
}

/// One entity of a policy and the model around it, read on demand.
impl Policy {
    /// The resource `id`, or `None` if it was removed or never existed.
    /// [`resources`](Policy::resources) lists every id, removed ones
    /// included: `policy.resources().filter_map(|id| policy.resource(id))`
    /// gives the live ones.
    #[must_use]
    pub fn resource(&self, id: ResourceId) -> Option<ResourceView<'_>> {
        let node = self.nodes.get(id.0 as usize)?;
        self.resource_is_live(id.0).then_some(ResourceView {
            policy: self,
            id: id.0,
            node,
        })
    }

    /// The user `id`, or `None` if it was removed or never existed.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .team("ops", "acme")
    ///     .user(User::new("ann", "acme").member_of("ops").channels(Channels::WEB))
    ///     .build()?;
    /// let ann = policy.user(policy.user_id("ann").unwrap()).unwrap();
    /// assert_eq!(ann.name(), "ann");
    /// assert_eq!(ann.status(), Status::Active);
    /// assert_eq!(ann.channels(), Channels::WEB);
    /// assert_eq!(policy.resource_name(ann.tenant()), Some("acme"));
    /// assert_eq!(ann.teams().collect::<Vec<_>>(), [policy.team_id("ops").unwrap()]);
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn user(&self, id: UserId) -> Option<UserView<'_>> {
        let record = self.users.get(id.0 as usize)?;
        self.user_is_live(id.0).then_some(UserView {
            policy: self,
            id: id.0,
            record,
        })
    }

    /// Every live user, in id order.
    pub fn users(&self) -> impl Iterator<Item = UserView<'_>> + '_ {
        ids(self.users.len()).filter_map(|id| self.user(UserId(id)))
    }

    /// The team `id`, or `None` if it was removed or never existed.
    #[must_use]
    pub fn team(&self, id: TeamId) -> Option<TeamView<'_>> {
        let tenant = self.team_tenant(id.0)?;
        Some(TeamView {
            policy: self,
            id: id.0,
            tenant,
        })
    }

    /// Every live team, in id order.
    pub fn teams(&self) -> impl Iterator<Item = TeamView<'_>> + '_ {
        ids(self.catalog.team_tenants.len()).filter_map(|id| self.team(TeamId(id)))
    }

    /// The role `id`, or `None` if it was removed or never existed.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .role(Role::new("viewer").allow([ResourceKind::Flow], Permissions::VIEW))
    ///     .role(Role::new("runner").inherits("viewer").allow([ResourceKind::Flow], Permissions::EXECUTE))
    ///     .build()?;
    /// let runner = policy.role(policy.role_id("runner").unwrap()).unwrap();
    /// assert_eq!(runner.inherits().collect::<Vec<_>>(), ["viewer"]);
    /// // What it allows, after inheritance:
    /// assert_eq!(runner.allows(ResourceKind::Flow), Permissions::VIEW | Permissions::EXECUTE);
    /// assert_eq!(runner.allows(ResourceKind::Folder), Permissions::empty());
    /// assert_eq!(runner.open_to(), UserTypes::all());
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn role(&self, id: RoleId) -> Option<RoleView<'_>> {
        let role = self.catalog.roles.get(id.0 as usize)?;
        self.role_is_live(id.0).then_some(RoleView {
            policy: self,
            id: id.0,
            role,
        })
    }

    /// Every live role, in id order.
    pub fn roles(&self) -> impl Iterator<Item = RoleView<'_>> + '_ {
        ids(self.catalog.roles.len()).filter_map(|id| self.role(RoleId(id)))
    }

    /// The API key `id`, or `None` if it was removed or never existed. A
    /// revoked or expired key is kept (for the record), and has a view.
    #[must_use]
    pub fn key(&self, id: KeyId) -> Option<KeyView<'_>> {
        let record = self.keys.get(id.0 as usize)?;
        self.user_is_live(record.owner).then_some(KeyView {
            policy: self,
            id: id.0,
            record,
        })
    }

    /// Every live API key, in id order.
    pub fn keys(&self) -> impl Iterator<Item = KeyView<'_>> + '_ {
        ids(self.keys.len()).filter_map(|id| self.key(KeyId(id)))
    }

    /// The public link `id`, or `None` if it was removed or never existed.
    /// A revoked or expired link is kept (for the record), and has a view.
    #[must_use]
    pub fn link(&self, id: LinkId) -> Option<LinkView<'_>> {
        let record = self.links.get(id.0 as usize)?;
        self.resource_is_live(record.resource).then_some(LinkView {
            policy: self,
            id: id.0,
            record,
        })
    }

    /// Every live public link, in id order.
    pub fn links(&self) -> impl Iterator<Item = LinkView<'_>> + '_ {
        ids(self.links.len()).filter_map(|id| self.link(LinkId(id)))
    }

    /// Every grant of the policy, with the condition under which it
    /// applies: first the grants to groups (teams, `Everyone`, `Public`),
    /// resource by resource in id order, then the grants to single users,
    /// user by user in id order (each user's by scope). A grant is listed
    /// once; grants of removed entities are not listed.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
    ///     .user(User::new("ann", "acme"))
    ///     .grant(Grantee::Everyone, "acme", "viewer", Effect::Allow)
    ///     .grant(Grantee::user("ann"), "acme", "viewer", Effect::Override)
    ///     .build()?;
    /// let principals: Vec<Principal> = policy.grants().map(|(grant, _)| grant.principal).collect();
    /// assert_eq!(principals, [Principal::Everyone, Principal::User(policy.user_id("ann").unwrap())]);
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    pub fn grants(&self) -> impl Iterator<Item = (Grant, Condition)> + '_ {
        let groups = ids(self.nodes.len())
            .filter_map(|id| self.resource(ResourceId(id)))
            .flat_map(|resource| resource.group_grants());
        groups.chain(self.users().flat_map(|user| user.grants()))
    }
}

/// A live resource of a policy ([`Policy::resource`]).
#[derive(Clone, Copy)]
pub struct ResourceView<'p> {
    policy: &'p Policy,
    id: u32,
    node: &'p Node,
}

impl<'p> ResourceView<'p> {
    /// Its id.
    #[must_use]
    pub fn id(&self) -> ResourceId {
        ResourceId(self.id)
    }

    /// Its name.
    #[must_use]
    pub fn name(&self) -> &'p str {
        self.policy
            .catalog
            .resources
            .name(self.id)
            .unwrap_or_default()
    }

    /// What it is.
    #[must_use]
    pub fn kind(&self) -> ResourceKind {
        self.node.kind
    }

    /// The resource it is in; `None` for a tenant root.
    #[must_use]
    pub fn parent(&self) -> Option<ResourceId> {
        self.node.parent_id()
    }

    /// The tenant (root) it belongs to; itself for a root.
    #[must_use]
    pub fn tenant(&self) -> ResourceId {
        ResourceId(self.node.tenant)
    }

    /// Its labels, compared by conditional grants.
    #[must_use]
    pub fn labels(&self) -> Labels {
        self.policy.labels_of(self.id)
    }

    /// The grants to groups (teams, `Everyone`, `Public`) on this resource,
    /// with their conditions; grants to single users are kept with the
    /// users ([`UserView::grants`]).
    pub fn group_grants(&self) -> impl Iterator<Item = (Grant, Condition)> + 'p {
        let (policy, scope) = (self.policy, self.id);
        policy
            .group_grants(self.node)
            .iter()
            .filter_map(move |entry| {
                let principal = principal_key::unpack(entry.key);
                let live = match principal {
                    Principal::User(user) => policy.user_is_live(user.0),
                    Principal::Team(team) => policy.team_is_live(team.0),
                    Principal::Everyone | Principal::Public => true,
                };
                live.then_some((
                    grant(principal, scope, entry.role, entry.effect),
                    entry.condition,
                ))
            })
    }
}

/// A live user of a policy ([`Policy::user`]).
#[derive(Clone, Copy)]
pub struct UserView<'p> {
    policy: &'p Policy,
    id: u32,
    record: &'p UserRecord,
}

impl<'p> UserView<'p> {
    /// Its id.
    #[must_use]
    pub fn id(&self) -> UserId {
        UserId(self.id)
    }

    /// Its name.
    #[must_use]
    pub fn name(&self) -> &'p str {
        self.policy.catalog.users.name(self.id).unwrap_or_default()
    }

    /// The tenant (a root resource) the account belongs to.
    #[must_use]
    pub fn tenant(&self) -> ResourceId {
        ResourceId(self.record.tenant)
    }

    /// How the account exists.
    #[must_use]
    pub fn user_type(&self) -> UserType {
        self.record.user_type()
    }

    /// Whether it may act now (an invitation with its expiry).
    #[must_use]
    pub fn status(&self) -> Status {
        self.policy.user_status(self.id)
    }

    /// The channels it may use: its type's, or fewer when narrowed. An
    /// account that lacks a required role may use none while it does
    /// ([`lacks_required_role`](UserView::lacks_required_role)); this is
    /// what it was given.
    #[must_use]
    pub fn channels(&self) -> Channels {
        self.policy.declared_channels(self.id, self.record)
    }

    /// The role required of the account that it lacks, if any
    /// ([`PolicyBuilder::require_role`](crate::PolicyBuilder::require_role)):
    /// while it does, every request of it is denied with
    /// [`Reason::RequiredRoleMissing`](crate::Reason::RequiredRoleMissing).
    #[must_use]
    pub fn lacks_required_role(&self) -> Option<RoleId> {
        self.policy
            .lacking
            .get(&self.id)
            .map(|lacking| RoleId(lacking.role))
    }

    /// Its labels, compared by conditional grants.
    #[must_use]
    pub fn labels(&self) -> Labels {
        self.policy.user_labels_of(self.id)
    }

    /// Whether the account is protected ([`User::protected`](crate::User::protected)):
    /// no change may suspend, deactivate, remove or narrow it.
    #[must_use]
    pub fn is_protected(&self) -> bool {
        self.policy.protected.contains(&self.id)
    }

    /// The teams it is in, in id order.
    pub fn teams(&self) -> impl Iterator<Item = TeamId> + 'p {
        let policy = self.policy;
        policy
            .teams_of(self.record)
            .iter()
            .filter(move |&&team| policy.team_is_live(team))
            .map(|&team| TeamId(team))
    }

    /// The grants to this user itself, by scope, with their conditions.
    /// Grants to its teams or to everyone reach it too: see
    /// [`Policy::review_user`] for every grant that reaches a user.
    pub fn grants(&self) -> impl Iterator<Item = (Grant, Condition)> + 'p {
        let (policy, user) = (self.policy, self.id);
        policy
            .own_grants(user, self.record)
            .iter()
            .filter(move |own| policy.resource_is_live(own.scope))
            .map(move |own| {
                (
                    grant(
                        Principal::User(UserId(user)),
                        own.scope,
                        own.role,
                        own.effect,
                    ),
                    own.condition,
                )
            })
    }
}

/// A live team of a policy ([`Policy::team`]).
#[derive(Clone, Copy)]
pub struct TeamView<'p> {
    policy: &'p Policy,
    id: u32,
    tenant: ResourceId,
}

impl<'p> TeamView<'p> {
    /// Its id.
    #[must_use]
    pub fn id(&self) -> TeamId {
        TeamId(self.id)
    }

    /// Its name.
    #[must_use]
    pub fn name(&self) -> &'p str {
        self.policy.catalog.teams.name(self.id).unwrap_or_default()
    }

    /// The tenant (a root resource) it belongs to.
    #[must_use]
    pub fn tenant(&self) -> ResourceId {
        self.tenant
    }

    /// Its members, in id order. Cost: one pass over the users (a user
    /// keeps its teams, a team does not keep its members).
    pub fn members(&self) -> impl Iterator<Item = UserId> + 'p {
        self.policy.members(self.id).map(UserId)
    }
}

/// A live role of a policy ([`Policy::role`]): its rules and inheritance
/// as declared, and what it allows and who may hold it after inheritance.
#[derive(Clone, Copy)]
pub struct RoleView<'p> {
    policy: &'p Policy,
    id: u32,
    role: &'p Role,
}

impl<'p> RoleView<'p> {
    /// Its id.
    #[must_use]
    pub fn id(&self) -> RoleId {
        RoleId(self.id)
    }

    /// Its name.
    #[must_use]
    pub fn name(&self) -> &'p str {
        &self.role.name
    }

    /// Its own rules as declared, in order: the kinds of resources, and
    /// the permissions it gives on them ([`Role::allow`]).
    pub fn rules(&self) -> impl Iterator<Item = (&'p [ResourceKind], Permissions)> + 'p {
        self.role
            .rules
            .iter()
            .map(|(kinds, permissions)| (kinds.as_slice(), *permissions))
    }

    /// The names of the roles it inherits, as declared ([`Role::inherits`]).
    pub fn inherits(&self) -> impl Iterator<Item = &'p str> + 'p {
        self.role.inherits.iter().map(alloc::string::String::as_str)
    }

    /// The user types it is limited to, as declared ([`Role::only_for`]):
    /// every type when it is not limited.
    #[must_use]
    pub fn only_for(&self) -> UserTypes {
        self.role.eligible
    }

    /// The user types that may hold it: those that it and every role it
    /// inherits allow.
    #[must_use]
    pub fn open_to(&self) -> UserTypes {
        self.policy.role_eligibility(self.id)
    }

    /// What it allows on resources of `kind`, its own rules and every
    /// inherited role's together: what a grant of it gives there.
    #[must_use]
    pub fn allows(&self, kind: ResourceKind) -> Permissions {
        self.policy.role_permissions(self.id, kind.index())
    }
}

/// A live API key of a policy ([`Policy::key`]), revoked or expired ones
/// included.
#[derive(Clone, Copy)]
pub struct KeyView<'p> {
    policy: &'p Policy,
    id: u32,
    record: &'p KeyRecord,
}

impl<'p> KeyView<'p> {
    /// Its id.
    #[must_use]
    pub fn id(&self) -> KeyId {
        KeyId(self.id)
    }

    /// Its name.
    #[must_use]
    pub fn name(&self) -> &'p str {
        self.policy.catalog.keys.name(self.id).unwrap_or_default()
    }

    /// The user it acts for.
    #[must_use]
    pub fn owner(&self) -> UserId {
        UserId(self.record.owner)
    }

    /// The most it may do (all permissions unless narrowed).
    #[must_use]
    pub fn scope(&self) -> Permissions {
        self.record.scope
    }

    /// The resources whose subtrees it is limited to, in id order; none
    /// when it has no limit.
    pub fn within(&self) -> impl Iterator<Item = ResourceId> + 'p {
        self.policy
            .key_roots(self.record)
            .iter()
            .map(|&root| ResourceId(root))
    }

    /// When it stops working (exclusive), if ever.
    #[must_use]
    pub fn expires_at(&self) -> Option<u64> {
        self.record.expires_at
    }

    /// Whether it was revoked.
    #[must_use]
    pub fn is_revoked(&self) -> bool {
        self.record.revoked
    }
}

/// A live public link of a policy ([`Policy::link`]), revoked or expired
/// ones included.
#[derive(Clone, Copy)]
pub struct LinkView<'p> {
    policy: &'p Policy,
    id: u32,
    record: &'p LinkRecord,
}

impl<'p> LinkView<'p> {
    /// Its id.
    #[must_use]
    pub fn id(&self) -> LinkId {
        LinkId(self.id)
    }

    /// Its name.
    #[must_use]
    pub fn name(&self) -> &'p str {
        self.policy.catalog.links.name(self.id).unwrap_or_default()
    }

    /// The resource it opens, with its subtree.
    #[must_use]
    pub fn resource(&self) -> ResourceId {
        ResourceId(self.record.resource)
    }

    /// The most it gives (further limited by the resource's grants to the
    /// public).
    #[must_use]
    pub fn permissions(&self) -> Permissions {
        self.record.permissions
    }

    /// When it stops working (exclusive), if ever.
    #[must_use]
    pub fn expires_at(&self) -> Option<u64> {
        self.record.expires_at
    }

    /// Whether it was revoked.
    #[must_use]
    pub fn is_revoked(&self) -> bool {
        self.record.revoked
    }
}

fn grant(principal: Principal, scope: u32, role: u32, effect: Effect) -> Grant {
    Grant {
        principal,
        scope: ResourceId(scope),
        role: RoleId(role),
        effect,
    }
}

// `Debug` shows what the view reads, not the whole policy it borrows.

impl fmt::Debug for ResourceView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResourceView")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("kind", &self.kind())
            .field("parent", &self.parent())
            .field("tenant", &self.tenant())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for UserView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserView")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("tenant", &self.tenant())
            .field("user_type", &self.user_type())
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for TeamView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TeamView")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("tenant", &self.tenant())
            .finish()
    }
}

impl fmt::Debug for RoleView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RoleView")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("open_to", &self.open_to())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for KeyView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyView")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("owner", &self.owner())
            .field("scope", &self.scope())
            .field("within", &self.within().collect::<alloc::vec::Vec<_>>())
            .field("expires_at", &self.expires_at())
            .field("revoked", &self.is_revoked())
            .finish()
    }
}

impl fmt::Debug for LinkView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LinkView")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("resource", &self.resource())
            .field("permissions", &self.permissions())
            .field("expires_at", &self.expires_at())
            .field("revoked", &self.is_revoked())
            .finish()
    }
}
