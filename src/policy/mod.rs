//! The compiled policy: the [`Policy`] type, its lookups between names and
//! ids, and what it costs in memory.
//!
//! The layout is split by who may touch it (see ARCHITECTURE.md):
//!
//! - [`layout`]: the records a decision reads (nodes, grant entries, user
//!   records, packed principal keys, filters) and their size asserts, and
//!   the one reader of each run; no code here writes a policy.
//! - [`store`]: the only code that writes the layout (runs, filters, wide
//!   filters, child lists, tombstones, compaction). The builder and changes
//!   call it; they never assign a layout field themselves.
//!   [`assemble`] is its bulk half: it lays out a whole model the builder
//!   checked, with the store's own functions for each derived field.
//! - [`rules`]: the rules of a valid model (channels, tenants, who may
//!   hold a role, seats), written once for the builder and changes.
//! - [`evaluate`]: the hot path, [`Policy::authorize`] and
//!   [`Policy::effective`], and nothing else: it only reads.
//! - [`explain`]: reasons written with the names the host gave.
//! - [`denials`]: the cold paths that name why a request was denied (a
//!   condition that did not hold, an override, a required role missing).
//! - [`required`]: required roles, and which accounts lack one.

pub(crate) mod assemble;
mod batch;
mod denials;
mod evaluate;
mod explain;
pub(crate) mod layout;
pub(crate) mod required;
pub(crate) mod rules;
pub(crate) mod store;
#[cfg(test)]
mod summary_tests;
mod walk;

pub(crate) use evaluate::{Audience, Context, Prepared, Principals};
pub use explain::Explanation;
pub use layout::MAX_TEAMS_PER_USER;
pub(crate) use layout::*;
pub(crate) use required::{Holders, Lacking, Requirement};
pub(crate) use store::*;

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

use crate::directory::{KeyId, LinkId, Status, TeamId, UserId, UserTypes};
use crate::label::Labels;
use crate::names::NameTable;
use crate::permission::Permissions;
use crate::resource::{ResourceId, ResourceKind};
use crate::role::{Flattened, Role, RoleId};

/// Names of every entity and the lookups from name to id. Never touched by
/// a decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Catalog {
    pub(crate) resources: NameTable,
    pub(crate) users: NameTable,
    pub(crate) teams: NameTable,
    /// Roles as declared (rules and inheritance), to re-flatten after a change.
    pub(crate) roles: Vec<Role>,
    pub(crate) keys: NameTable,
    pub(crate) links: NameTable,
    pub(crate) role_ids: BTreeMap<String, u32>,
    /// The tenant of each team ([`REMOVED`] once removed).
    pub(crate) team_tenants: Vec<u32>,
    /// Each role's effective eligibility, flattened like its permissions
    /// (see [`FlatRoles`](crate::role::FlatRoles)): every check of who may
    /// hold a role reads it here, never the role's own `only_for`.
    pub(crate) role_eligible: Vec<UserTypes>,
}

/// The compiled authorization model: answers [`Policy::authorize`] and
/// [`Policy::effective`].
///
/// Built once by a [`PolicyBuilder`](crate::PolicyBuilder), then only read.
/// `Policy` is `Send + Sync + Clone`: share one behind an `Arc` across
/// threads; every question takes `&self`.
///
/// Everything a decision needs is laid out in flat arrays indexed by dense
/// ids, so that a decision allocates nothing, hashes no string, takes no
/// lock and never recurses:
///
/// - one 64-byte node (a cache line) per resource: its parent and
///   grandparent, tenant and kind, where its grants to groups (teams,
///   `Everyone`, `Public`) start, a 64-bit *filter* of which groups hold
///   grants there, and the same summarised for its whole path;
/// - each user's own grants, kept with the user (most users hold few), with
///   a 64-bit filter of the resources they are on;
/// - each user's teams, sorted, and the filter bits of its groups;
/// - each role flattened to one [`Permissions`] per [`ResourceKind`].
///
/// A decision whose subject holds nothing on the resource's path (the
/// most common denial) is answered from its record and the resource's
/// node alone. Otherwise it walks from the resource up to its tenant root,
/// two levels per step (a node names its grandparent, so that the next two
/// nodes are read at once and a deep tree's cache misses overlap), and
/// stops where nothing above may hold a grant of the subject's; a node
/// whose filters share no bit with the subject's is passed without
/// touching its grants, which is most folders and flows.
///
/// Two policies are equal (`==`) when they hold the same model under the
/// same ids at the same revision, whatever their layout in memory: see
/// [`Policy::to_document`].
#[derive(Debug, Clone)]
pub struct Policy {
    pub(crate) nodes: Vec<Node>,
    /// The children of each live resource, as a list threaded through
    /// [`Policy::next_sibling`], highest id first: walks down a subtree
    /// (`accessible`, removals) touch only that subtree. Never read by a
    /// decision.
    pub(crate) first_child: Vec<u32>,
    /// The next child of the same parent, or [`NONE`].
    pub(crate) next_sibling: Vec<u32>,
    /// Each resource's labels, read only when a conditional grant matches.
    pub(crate) labels: Vec<Labels>,
    pub(crate) grants: Vec<GrantEntry>,
    /// Where each group principal holds a `Deny` or `Override` grant, as
    /// (principal key, tenant, resource): the places below a scope where an
    /// author may hold less than at the scope ([`crate::authority`]). Kept
    /// by whatever writes a node's run; never read by a decision.
    pub(crate) restrictions: BTreeSet<(u32, u32, u32)>,
    /// 256-bit principal filters of the nodes with long grant runs.
    pub(crate) wide_filters: Vec<[u64; 4]>,
    pub(crate) roles: Vec<Flattened>,
    pub(crate) users: Vec<UserRecord>,
    /// Each user's team indices, sorted; `users[u].teams_start..+teams_len`.
    pub(crate) user_teams: Vec<u32>,
    /// Each user's own grants, sorted by scope; see [`UserRecord::grants_start`].
    pub(crate) user_grants: Vec<UserGrant>,
    /// How many grants of their own the users holding [`LONG_RUN`] or
    /// more have (their records cannot say).
    pub(crate) long_runs: BTreeMap<u32, u32>,
    /// When each invited user's invitation expires.
    pub(crate) invitations: BTreeMap<u32, u64>,
    /// The protected accounts ([`User::protected`](crate::User::protected)):
    /// read by changes, never by a decision.
    pub(crate) protected: BTreeSet<u32>,
    /// The roles the model requires of its accounts
    /// ([`PolicyBuilder::require_role`](crate::PolicyBuilder::require_role)).
    pub(crate) required: Vec<Requirement>,
    /// The accounts that lack a required role, with their declared
    /// channels: their records hold no channel, so that a decision denies
    /// them at no cost to the others (`evaluate.rs`'s cold
    /// `own_reason` says why).
    pub(crate) lacking: BTreeMap<u32, Lacking>,
    /// The sets of exclusive teams
    /// ([`PolicyBuilder::exclusive_teams`](crate::PolicyBuilder::exclusive_teams)):
    /// read by changes, never by a decision.
    pub(crate) exclusive: Vec<rules::ExclusiveTeams>,
    /// Each user's labels: empty until some user has labels, then one per
    /// user. Read by a decision only through a conditional grant.
    pub(crate) user_labels: Vec<Labels>,
    pub(crate) keys: Vec<KeyRecord>,
    /// The roots of each key limited to several subtrees
    /// ([`KeyRecord::subtrees`]).
    pub(crate) key_subtrees: Vec<Vec<u32>>,
    pub(crate) links: Vec<LinkRecord>,
    pub(crate) mfa_required: Permissions,
    pub(crate) seats: Option<Seats>,
    pub(crate) catalog: Catalog,
    /// Advanced by every applied change.
    pub(crate) revision: u64,
    /// Slots of `grants`, `user_teams` and `user_grants` that runs moved
    /// away from; compacted when they outgrow the live ones.
    pub(crate) garbage: usize,
}

/// A licence seat limit: at most `limit` active users of the `counted` types.
///
/// ```
/// use clearance::{Seats, UserTypes};
///
/// // Smart Flows: native and connected users count against the licence.
/// let seats = Seats { limit: 25, counted: UserTypes::NATIVE | UserTypes::CONNECTED };
/// # let _ = seats;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Seats {
    /// How many counted users may be active at once.
    pub limit: u32,
    /// Which user types count.
    pub counted: UserTypes,
}

impl Policy {
    /// A user's status (`Deactivated` for an unknown id).
    pub(crate) fn user_status(&self, user: u32) -> Status {
        match self.users.get(user as usize).map(UserRecord::state) {
            Some(State::Invited) => Status::Invited {
                until: self.invitations.get(&user).copied().unwrap_or(0),
            },
            Some(State::Active) => Status::Active,
            Some(State::Suspended) => Status::Suspended,
            Some(State::Deactivated) | None => Status::Deactivated,
        }
    }
}

/// Lookups between names and ids, and names for explanations.
impl Policy {
    /// How far past their home slots the names of the policy's hash tables
    /// sit, in all (probe steps beyond the first, to look every name up
    /// once). For tests of resistance to chosen collisions: a count does
    /// not flake as a timing does. Not part of the stable API.
    #[doc(hidden)]
    #[must_use]
    pub fn name_probe_steps(&self) -> u64 {
        let catalog = &self.catalog;
        [
            &catalog.resources,
            &catalog.users,
            &catalog.teams,
            &catalog.keys,
            &catalog.links,
        ]
        .iter()
        .map(|names| names.probe_steps())
        .sum()
    }

    /// The id of the resource named `name`.
    #[must_use]
    pub fn resource_id(&self, name: &str) -> Option<ResourceId> {
        self.catalog.resources.id(name).map(ResourceId)
    }

    /// The id of the user named `name`. To build a request's subject from
    /// a name, see [`resolve`](Policy::resolve).
    #[must_use]
    pub fn user_id(&self, name: &str) -> Option<UserId> {
        self.catalog.users.id(name).map(UserId)
    }

    /// The id of the team named `name`.
    #[must_use]
    pub fn team_id(&self, name: &str) -> Option<TeamId> {
        self.catalog.teams.id(name).map(TeamId)
    }

    /// The id of the role named `name`.
    #[must_use]
    pub fn role_id(&self, name: &str) -> Option<RoleId> {
        self.catalog.role_ids.get(name).copied().map(RoleId)
    }

    /// The id of the API key named `name`.
    #[must_use]
    pub fn key_id(&self, name: &str) -> Option<KeyId> {
        self.catalog.keys.id(name).map(KeyId)
    }

    /// The id of the public link named `name`.
    #[must_use]
    pub fn link_id(&self, name: &str) -> Option<LinkId> {
        self.catalog.links.id(name).map(LinkId)
    }

    /// The name of a resource.
    #[must_use]
    pub fn resource_name(&self, id: ResourceId) -> Option<&str> {
        self.catalog.resources.name(id.0)
    }

    /// The name of a user.
    #[must_use]
    pub fn user_name(&self, id: UserId) -> Option<&str> {
        self.catalog.users.name(id.0)
    }

    /// The tenant a user belongs to (`None` for an unknown or removed user).
    #[must_use]
    pub fn user_tenant(&self, id: UserId) -> Option<ResourceId> {
        self.users
            .get(id.0 as usize)
            .and_then(UserRecord::tenant_id)
    }

    /// The name of a team.
    #[must_use]
    pub fn team_name(&self, id: TeamId) -> Option<&str> {
        self.catalog.teams.name(id.0)
    }

    /// The name of an API key.
    #[must_use]
    pub fn key_name(&self, id: KeyId) -> Option<&str> {
        self.catalog.keys.name(id.0)
    }

    /// The user an API key acts for (`None` once the key is removed).
    #[must_use]
    pub fn key_owner(&self, id: KeyId) -> Option<UserId> {
        self.keys
            .get(id.0 as usize)
            .filter(|key| key.is_live())
            .map(|key| UserId(key.owner))
    }

    /// The name of a public link.
    #[must_use]
    pub fn link_name(&self, id: LinkId) -> Option<&str> {
        self.catalog.links.name(id.0)
    }

    /// The name of a role.
    #[must_use]
    pub fn role_name(&self, id: RoleId) -> Option<&str> {
        self.catalog
            .roles
            .get(id.0 as usize)
            .map(|role| role.name.as_str())
    }

    /// The kind of a resource.
    #[must_use]
    pub fn resource_kind(&self, id: ResourceId) -> Option<ResourceKind> {
        self.nodes.get(id.0 as usize).map(|node| node.kind)
    }

    /// The parent of a resource (`None` for a tenant root or an unknown id).
    #[must_use]
    pub fn parent(&self, id: ResourceId) -> Option<ResourceId> {
        self.nodes.get(id.0 as usize).and_then(Node::parent_id)
    }

    /// The tenant (root) a resource belongs to (`None` once removed).
    #[must_use]
    pub fn tenant_of(&self, id: ResourceId) -> Option<ResourceId> {
        self.nodes.get(id.0 as usize).and_then(Node::tenant_id)
    }

    /// Every resource id, in id order (parents are not necessarily first),
    /// removed ones included; [`resource`](Policy::resource) gives the view
    /// of each live one.
    pub fn resources(&self) -> impl ExactSizeIterator<Item = ResourceId> + '_ {
        (0..self.nodes.len()).map(|index| ResourceId(id_at(index)))
    }

    /// How many resources the policy holds (ids are `0..count`).
    #[must_use]
    pub fn resource_count(&self) -> usize {
        self.nodes.len()
    }

    /// How many users the policy holds (ids are `0..count`).
    #[must_use]
    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// The permissions guarded by MFA: removed unless the session passed it.
    #[must_use]
    pub fn mfa_required(&self) -> Permissions {
        self.mfa_required
    }

    /// Bytes of heap memory this policy holds: every array by its
    /// capacity, the names, and the roles as declared. Use it to plan how
    /// many tenants one process can hold (see the README's "Beyond one
    /// machine"); the allocator's own overhead per allocation is not
    /// counted, and there are a few dozen allocations in all, whatever the
    /// size of the model.
    ///
    /// ```
    /// # use clearance::*;
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .user(User::new("ann", "acme"))
    ///     .build()?;
    /// assert!(policy.heap_bytes() > 0);
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        fn array<T>(items: &Vec<T>) -> usize {
            items.capacity() * core::mem::size_of::<T>()
        }
        let catalog = &self.catalog;
        let roles: usize = catalog
            .roles
            .iter()
            .map(|role| {
                role.name.capacity()
                    + array(&role.rules)
                    + role
                        .rules
                        .iter()
                        .map(|(kinds, _)| array(kinds))
                        .sum::<usize>()
                    + array(&role.inherits)
                    + role.inherits.iter().map(String::capacity).sum::<usize>()
            })
            .sum::<usize>()
            + array(&catalog.roles)
            + catalog
                .role_ids
                .keys()
                .map(|name| name.capacity() + core::mem::size_of::<(String, u32)>())
                .sum::<usize>();
        array(&self.nodes)
            + array(&self.first_child)
            + array(&self.next_sibling)
            + array(&self.labels)
            + array(&self.grants)
            + self.restrictions.len() * 2 * core::mem::size_of::<(u32, u32, u32)>()
            + array(&self.wide_filters)
            + array(&self.roles)
            + array(&self.users)
            + array(&self.user_teams)
            + array(&self.user_grants)
            + self.invitations.len() * 2 * core::mem::size_of::<(u32, u64)>()
            + self.protected.len() * 2 * core::mem::size_of::<u32>()
            + array(&self.required)
            + self
                .exclusive
                .iter()
                .map(|set| core::mem::size_of_val(set) + array(&set.teams))
                .sum::<usize>()
            + self.lacking.len() * 2 * core::mem::size_of::<(u32, Lacking)>()
            + self.long_runs.len() * 2 * core::mem::size_of::<(u32, u32)>()
            + array(&self.user_labels)
            + array(&self.keys)
            + self
                .key_subtrees
                .iter()
                .map(|roots| core::mem::size_of_val(roots) + array(roots))
                .sum::<usize>()
            + array(&self.links)
            + catalog.resources.heap_bytes()
            + catalog.users.heap_bytes()
            + catalog.teams.heap_bytes()
            + catalog.keys.heap_bytes()
            + catalog.links.heap_bytes()
            + array(&catalog.team_tenants)
            + array(&catalog.role_eligible)
            + roles
    }
}

/// The child lists (`Policy::first_child`, `Policy::next_sibling`):
/// each live resource is in its parent's list, highest id first, so that
/// a policy built from declarations and one reached by changes hold the
/// same lists.
impl Policy {
    /// The first child of `node`, [`NONE`] when it has none.
    pub(crate) fn first_child_of(&self, node: u32) -> u32 {
        self.first_child.get(node as usize).copied().unwrap_or(NONE)
    }

    /// The child after `child` in its parent's list, [`NONE`] after the
    /// last.
    pub(crate) fn next_sibling_of(&self, child: u32) -> u32 {
        self.next_sibling
            .get(child as usize)
            .copied()
            .unwrap_or(NONE)
    }

    /// The children of `node`, highest id first.
    pub(crate) fn children(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        let first = self.first_child_of(node);
        core::iter::successors((first != NONE).then_some(first), move |&child| {
            let next = self.next_sibling_of(child);
            (next != NONE).then_some(next)
        })
    }

    /// `root` and every live resource below it, in no particular order;
    /// linear in the size of the subtree, whatever its depth.
    pub(crate) fn subtree(&self, root: u32) -> Vec<u32> {
        let mut subtree = alloc::vec![root];
        let mut next = 0;
        while let Some(&at) = subtree.get(next) {
            next += 1;
            let below: smallvec::SmallVec<[u32; 16]> = self.children(at).collect();
            subtree.extend_from_slice(&below);
        }
        subtree
    }
}
