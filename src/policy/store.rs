//! The only code that writes the compiled layout: runs of group grants
//! with their filters and wide filters, users' teams and own grants with
//! theirs, child lists, tombstones of removed entities, and compaction of
//! the arenas.
//!
//! Owns: keeping each derived field (filter, wide filter, restriction
//! index, grant count, child list) true of the data it summarises, in the
//! same call that writes the data. Must never: validate (the builder and
//! [`change`](crate::change) refuse bad input before calling it) or
//! decide anything.
//!
//! Its bulk half, [`assemble`], lays out a whole model
//! for the builder with the summaries written here ([`team_filter`],
//! [`summarise_group_run`], [`summarise_own_run`], [`grandparent`],
//! [`child_lists`], [`summarise_paths`]).
//!
//! Its boundary is typed: a method that names an entity takes (and one
//! that adds an entity returns) its public id, [`ResourceId`], [`UserId`],
//! [`TeamId`], [`KeyId`], [`LinkId`] or [`RoleId`], so that one kind of id
//! cannot be passed for another; a resource that may have no parent is an
//! `Option<ResourceId>`, converted to [`NONE`] only here and in
//! [`assemble`]. Behind the boundary the records keep packed `u32`s (a
//! node's parent, a key's owner, the runs of teams) for the hot path, with
//! two sentinels: [`NONE`] (no parent, no child) and [`REMOVED`] (a
//! tombstone), read through the records' `is_live` (is it a tombstone?),
//! [`id_at`] (an arena index as an id) and
//! [`Policy::first_child_of`]/[`Policy::next_sibling_of`] (the child lists).
//!
//! An id the store is given comes from a lookup by name made just before;
//! where a change could get here with one the store does not hold, the
//! method says so ([`Missing`], which the change reports as a refusal),
//! and the others `debug_assert!` that they hold it, so a test that breaks
//! the rule fails instead of advancing the revision for nothing.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::directory::{ApiKey, Channels, KeyId, LinkId, Status, TeamId, UserId, UserType};
use crate::label::Labels;
use crate::resource::ResourceId;
use crate::role::RoleId;

use super::*;

/// Gives `node` the wide filter of its long `run`: rewritten in place when
/// the node has one, else appended while `filters` holds fewer than
/// [`NO_WIDE`]. Past those, a long run is searched for each of the
/// subject's principals without a filter: slower, never wrong.
fn set_wide_filter(filters: &mut Vec<[u64; 4]>, node: &mut Node, run: &[GrantEntry]) {
    let mut wide = [0u64; 4];
    for entry in run {
        let (word, bit) = principal_key::wide_bit(entry.key);
        if let Some(w) = wide.get_mut(word) {
            *w |= bit;
        }
    }
    let count = filters.len();
    match filters.get_mut(usize::from(node.wide)) {
        Some(slot) => *slot = wide,
        None if count < usize::from(NO_WIDE) => {
            node.wide = u16::try_from(count).unwrap_or(NO_WIDE);
            filters.push(wide);
        }
        None => {}
    }
}

/// Records that user `user` (whose record is `record`) holds `count`
/// grants of its own.
fn set_own_grant_count(
    record: &mut UserRecord,
    long_runs: &mut BTreeMap<u32, u32>,
    user: u32,
    count: usize,
) {
    match u16::try_from(count) {
        Ok(short) if short < LONG_RUN => {
            record.grants_len = short;
            long_runs.remove(&user);
        }
        _ => {
            record.grants_len = LONG_RUN;
            long_runs.insert(user, u32::try_from(count).unwrap_or(u32::MAX));
        }
    }
}

/// The filter bits of a user in `teams`: its teams' and `Everyone`'s.
pub(super) fn team_filter(teams: &[u32]) -> u64 {
    teams.iter().fold(
        principal_key::filter_bit(principal_key::EVERYONE),
        |filter, &team| filter | principal_key::filter_bit(principal_key::TEAM | team),
    )
}

/// Gives `node` the summaries of its run `entries` of group grants: its
/// filter, and its wide filter when the run is long.
pub(super) fn summarise_group_run(
    wide_filters: &mut Vec<[u64; 4]>,
    node: &mut Node,
    entries: &[GrantEntry],
) {
    node.filter = entries
        .iter()
        .fold(0, |filter, entry| filter | 1 << entry.filter_bit);
    if entries.len() > LINEAR_RUN {
        set_wide_filter(wide_filters, node, entries);
    }
}

/// Gives user `user` (whose record is `record`) the summaries of its own
/// `grants`: their count and the filter of their scopes.
pub(super) fn summarise_own_run(
    record: &mut UserRecord,
    long_runs: &mut BTreeMap<u32, u32>,
    UserId(user): UserId,
    grants: &[UserGrant],
) {
    set_own_grant_count(record, long_runs, user, grants.len());
    record.scope_filter = grants.iter().fold(0, |filter, grant| {
        filter | 1 << principal_key::filter_shift(grant.scope)
    });
}

/// Adds to the path summaries ([`Node::path_filter`], [`Node::path_scopes`])
/// of `root` and of the nodes below it the bits of their parents'
/// summaries (none for a tenant root) and of their own filter and scope
/// bit. Below a node whose summaries gain nothing, nothing is rewritten:
/// its subtree's already hold them.
///
/// Summaries only gain bits: a revoked grant's bit, or a former
/// ancestor's after a move, stays until the policy is built again (from
/// its document), which costs a decision a walk that finds nothing, never
/// a different answer. So however a host's users churn grants (a team's
/// grant on a tenant root made and revoked again and again), each node's
/// summaries are rewritten at most 128 times in a policy's life, once per
/// bit, not once per change. Fresh nodes (summaries 0) get their exact
/// ones: a whole model is summarised by calling this on each root.
pub(super) fn summarise_paths(
    nodes: &mut [Node],
    first_child: &[u32],
    next_sibling: &[u32],
    root: u32,
) {
    // Most changes give `root` nothing new: no list of pending nodes then.
    if !widen_path(nodes, root) {
        return;
    }
    let mut pending = Vec::new();
    let children = |at: u32, pending: &mut Vec<u32>| {
        let mut child = first_child.get(at as usize).copied().unwrap_or(NONE);
        while child != NONE {
            pending.push(child);
            child = next_sibling.get(child as usize).copied().unwrap_or(NONE);
        }
    };
    children(root, &mut pending);
    while let Some(at) = pending.pop() {
        if widen_path(nodes, at) {
            children(at, &mut pending);
        }
    }
}

/// Adds to node `at`'s path summaries its parent's and its own bits;
/// whether they gained any.
fn widen_path(nodes: &mut [Node], at: u32) -> bool {
    let above = nodes
        .get(at as usize)
        .and_then(|node| nodes.get(node.parent as usize))
        .map_or((0, 0), |parent| (parent.path_filter, parent.path_scopes));
    let Some(node) = nodes.get_mut(at as usize) else {
        return false;
    };
    let path = (
        node.path_filter | above.0 | node.filter,
        node.path_scopes | above.1 | 1 << node.scope_bit,
    );
    let gained = (node.path_filter, node.path_scopes) != path;
    (node.path_filter, node.path_scopes) = path;
    gained
}

/// The grandparent link of a node below `parent`: `parent`'s parent, or
/// [`NONE`].
pub(super) fn grandparent(nodes: &[Node], parent: u32) -> u32 {
    nodes.get(parent as usize).map_or(NONE, |node| node.parent)
}

impl Policy {
    /// Sets a user's status, and its invitation's expiry.
    pub(crate) fn set_user_status(&mut self, UserId(user): UserId, status: Status) {
        debug_assert!(
            (user as usize) < self.users.len(),
            "no user {user} in the store"
        );
        if let Some(record) = self.users.get_mut(user as usize) {
            record.set_state(State::of(status));
            match status {
                Status::Invited { until } => {
                    self.invitations.insert(user, until);
                }
                _ => {
                    self.invitations.remove(&user);
                }
            }
        }
    }

    /// Protects user `user` ([`User::protected`](crate::User::protected)):
    /// for good, as no change lifts it.
    pub(crate) fn protect_user(&mut self, UserId(user): UserId) {
        debug_assert!(
            (user as usize) < self.users.len(),
            "no user {user} in the store"
        );
        self.protected.insert(user);
    }

    /// Marks the accounts of `lacking` (user, required role) as lacking it,
    /// and every other one as not: a lacking account's record holds no
    /// channel (its declared ones are kept in [`Policy::lacking`]), so that
    /// a decision denies it before anything else.
    pub(crate) fn mark_lacking(&mut self, lacking: &BTreeMap<u32, u32>) {
        let cured: Vec<u32> = self
            .lacking
            .keys()
            .copied()
            .filter(|user| !lacking.contains_key(user))
            .collect();
        for user in cured {
            if let Some(was) = self.lacking.remove(&user) {
                if let Some(record) = self.users.get_mut(user as usize) {
                    record.set_kind(record.user_type(), was.channels);
                }
            }
        }
        for (&user, &role) in lacking {
            let Some(record) = self.users.get_mut(user as usize) else {
                continue;
            };
            let channels = match self.lacking.get(&user) {
                Some(was) => was.channels,
                None => record.channels(),
            };
            record.set_kind(record.user_type(), Channels::empty());
            self.lacking.insert(user, Lacking { role, channels });
        }
    }

    /// Sets a user's type and channels (checked by the caller: the
    /// channels within the type's, every role it holds open to the type).
    pub(crate) fn set_user_kind(
        &mut self,
        UserId(user): UserId,
        user_type: UserType,
        channels: Channels,
    ) {
        debug_assert!(
            (user as usize) < self.users.len(),
            "no user {user} in the store"
        );
        if let Some(record) = self.users.get_mut(user as usize) {
            match self.lacking.get_mut(&user) {
                // A lacking account keeps no channel on its record.
                Some(lacking) => {
                    lacking.channels = channels;
                    record.set_kind(user_type, Channels::empty());
                }
                None => record.set_kind(user_type, channels),
            }
        }
    }

    /// Sets a user's labels, giving every user a slot the first time.
    pub(crate) fn set_user_labels(&mut self, UserId(user): UserId, labels: Labels) {
        if self.user_labels.is_empty() && labels.is_empty() {
            return;
        }
        if self.user_labels.len() < self.users.len() {
            self.user_labels.resize(self.users.len(), Labels::empty());
        }
        if let Some(slot) = self.user_labels.get_mut(user as usize) {
            *slot = labels;
        }
    }
}

/// The child lists: see `Policy::first_child`.
impl Policy {
    /// The child of `parent` before the first one `stop` accepts, and
    /// that one: ([`NONE`], first child) when it is the first, (last
    /// child, [`NONE`]) when none is accepted.
    fn find_in_children(&self, parent: u32, stop: impl Fn(u32) -> bool) -> (u32, u32) {
        let mut before = NONE;
        let mut at = self.first_child_of(parent);
        while at != NONE && !stop(at) {
            before = at;
            at = self.next_sibling_of(at);
        }
        (before, at)
    }

    /// Makes the link after `before` in `parent`'s list (its head when
    /// `before` is [`NONE`]) point at `to`.
    fn relink(&mut self, parent: u32, before: u32, to: u32) {
        let link = if before == NONE {
            self.first_child.get_mut(parent as usize)
        } else {
            self.next_sibling.get_mut(before as usize)
        };
        if let Some(link) = link {
            *link = to;
        }
    }

    /// Puts `child` in the list of `parent`, keeping it ordered.
    fn link_child(&mut self, ResourceId(parent): ResourceId, ResourceId(child): ResourceId) {
        if self.next_sibling.len() <= child as usize {
            self.next_sibling.resize(child as usize + 1, NONE);
            self.first_child.resize(child as usize + 1, NONE);
        }
        // After the last child with a higher id than `child`.
        let (before, at) = self.find_in_children(parent, |at| at <= child);
        if let Some(slot) = self.next_sibling.get_mut(child as usize) {
            *slot = at;
        }
        self.relink(parent, before, child);
    }

    /// Takes `child` out of the list of `parent`.
    fn unlink_child(&mut self, ResourceId(parent): ResourceId, ResourceId(child): ResourceId) {
        let (before, at) = self.find_in_children(parent, |at| at == child);
        if at == NONE {
            return;
        }
        let after = self.next_sibling_of(child);
        self.relink(parent, before, after);
        if let Some(slot) = self.next_sibling.get_mut(child as usize) {
            *slot = NONE;
        }
    }
}

/// The child lists of `nodes` (see [`Policy::first_child`]), built in one
/// pass.
pub(super) fn child_lists(nodes: &[Node]) -> (Vec<u32>, Vec<u32>) {
    let mut first_child = alloc::vec![NONE; nodes.len()];
    let mut next_sibling = alloc::vec![NONE; nodes.len()];
    // Ascending ids, each put first: every list ends highest id first.
    for (index, node) in nodes.iter().enumerate() {
        if !node.is_live() || node.parent == NONE {
            continue;
        }
        let id = id_at(index);
        if let (Some(slot), Some(head)) = (
            next_sibling.get_mut(index),
            first_child.get(node.parent as usize).copied(),
        ) {
            *slot = head;
        }
        if let Some(head) = first_child.get_mut(node.parent as usize) {
            *head = id;
        }
    }
    (first_child, next_sibling)
}

/// Runs, tombstones and compaction: what changes write through.
/// Replaces the run `items[start..start + old]` with `new`: in place when
/// it fits, otherwise at the end (the old slots become garbage). The
/// caller records the new length.
fn replace_run<T: Copy>(
    items: &mut Vec<T>,
    start: &mut u32,
    old: usize,
    new: &[T],
    garbage: &mut usize,
) {
    let at = *start as usize;
    match items.get_mut(at..at + new.len()) {
        Some(slots) if new.len() <= old => {
            slots.copy_from_slice(new);
            *garbage += old - new.len();
        }
        _ => {
            // Checked by `Policy::room` before any change mutates.
            *start = id_at(items.len());
            items.extend_from_slice(new);
            *garbage += old;
        }
    }
}

fn run<T>(items: &[T], start: u32, len: usize) -> &[T] {
    let start = start as usize;
    items.get(start..start + len).unwrap_or(&[])
}

impl Policy {
    /// Adds a team of `tenant` (a live tenant root): the next team id.
    pub(crate) fn push_team(&mut self, tenant: u32) -> TeamId {
        let id = TeamId(id_at(self.catalog.team_tenants.len()));
        self.catalog.team_tenants.push(tenant);
        id
    }

    /// Removes team `id`: out of every user's teams and every node's run,
    /// its name forgotten and its slot a tombstone.
    pub(crate) fn remove_team(&mut self, TeamId(id): TeamId) {
        debug_assert!(
            (id as usize) < self.catalog.team_tenants.len(),
            "no team {id} in the store"
        );
        for user in 0..self.users.len() {
            let Some(record) = self.users.get(user) else {
                continue;
            };
            let teams = self.teams_of(record);
            if teams.contains(&id) {
                let kept: Vec<u32> = teams.iter().copied().filter(|&t| t != id).collect();
                self.set_user_teams(UserId(id_at(user)), &kept);
            }
        }
        let team_key = principal_key::TEAM | id;
        for node in 0..self.nodes.len() {
            let Some(record) = self.nodes.get(node) else {
                continue;
            };
            let entries = self.group_grants(record);
            if entries.iter().any(|entry| entry.key == team_key) {
                let kept: Vec<GrantEntry> = entries
                    .iter()
                    .copied()
                    .filter(|e| e.key != team_key)
                    .collect();
                self.set_node_run(ResourceId(id_at(node)), &kept);
            }
        }
        self.catalog.teams.forget(id);
        if let Some(tenant) = self.catalog.team_tenants.get_mut(id as usize) {
            *tenant = REMOVED;
        }
    }

    /// Removes user `id`: its teams, its own grants and its keys; its slot
    /// a deactivated tombstone without labels, its name forgotten.
    pub(crate) fn remove_user(&mut self, id: UserId) {
        self.set_user_teams(id, &[]);
        self.set_user_grants(id, &[]);
        for key_id in 0..self.keys.len() {
            if self.keys.get(key_id).is_some_and(|k| k.owner == id.0) {
                self.remove_key(KeyId(id_at(key_id)));
            }
        }
        if let Some(record) = self.users.get_mut(id.0 as usize) {
            record.tenant = REMOVED;
        }
        self.set_user_status(id, Status::Deactivated);
        self.set_user_labels(id, Labels::empty());
        self.catalog.users.forget(id.0);
    }

    /// Removes key `id`: revoked, its slot a tombstone, its name forgotten.
    pub(crate) fn remove_key(&mut self, KeyId(id): KeyId) {
        debug_assert!(
            (id as usize) < self.keys.len(),
            "no API key {id} in the store"
        );
        if let Some(record) = self.keys.get_mut(id as usize) {
            record.owner = REMOVED;
            record.revoked = true;
        }
        self.catalog.keys.forget(id);
    }

    /// Removes link `id`: revoked, its slot a tombstone, its name forgotten.
    pub(crate) fn remove_link(&mut self, LinkId(id): LinkId) {
        debug_assert!(
            (id as usize) < self.links.len(),
            "no public link {id} in the store"
        );
        if let Some(record) = self.links.get_mut(id as usize) {
            record.resource = REMOVED;
            record.revoked = true;
        }
        self.catalog.links.forget(id);
    }

    /// Replaces a node's group grants, with its filters.
    pub(crate) fn set_node_run(&mut self, ResourceId(node): ResourceId, entries: &[GrantEntry]) {
        debug_assert!(
            (node as usize) < self.nodes.len(),
            "no resource {node} in the store"
        );
        let Some(record) = self.nodes.get_mut(node as usize) else {
            return;
        };
        crate::authority::reindex(
            &mut self.restrictions,
            (record.tenant, node),
            run(
                &self.grants,
                record.grants_start,
                record.grants_len as usize,
            ),
            entries,
        );
        replace_run(
            &mut self.grants,
            &mut record.grants_start,
            record.grants_len as usize,
            entries,
            &mut self.garbage,
        );
        record.grants_len = u32::try_from(entries.len()).unwrap_or(0);
        summarise_group_run(&mut self.wide_filters, record, entries);
        self.summarise_paths_from(node);
    }

    /// Adds to the path summaries of `node` and below what its filter or
    /// its new parent brings ([`summarise_paths`]).
    fn summarise_paths_from(&mut self, node: u32) {
        summarise_paths(&mut self.nodes, &self.first_child, &self.next_sibling, node);
    }

    /// Replaces a user's teams (sorted), with its filter.
    pub(crate) fn set_user_teams(&mut self, UserId(user): UserId, teams: &[u32]) {
        debug_assert!(
            (user as usize) < self.users.len(),
            "no user {user} in the store"
        );
        let Some(record) = self.users.get_mut(user as usize) else {
            return;
        };
        let old = record.teams_len();
        replace_run(
            &mut self.user_teams,
            &mut record.teams_start,
            old,
            teams,
            &mut self.garbage,
        );
        record.set_teams_len(teams.len());
        record.filter = team_filter(teams);
    }

    /// Replaces a user's own grants (sorted), with its filter.
    pub(crate) fn set_user_grants(&mut self, id: UserId, grants: &[UserGrant]) {
        let UserId(user) = id;
        debug_assert!(
            (user as usize) < self.users.len(),
            "no user {user} in the store"
        );
        let Some(record) = self.users.get_mut(user as usize) else {
            return;
        };
        let old = own_grant_count(record, &self.long_runs, user);
        replace_run(
            &mut self.user_grants,
            &mut record.grants_start,
            old,
            grants,
            &mut self.garbage,
        );
        summarise_own_run(record, &mut self.long_runs, id, grants);
    }

    /// Copies every live run into fresh arenas once garbage outweighs them,
    /// so memory stays proportional to the model however long it changes.
    pub(crate) fn compact_if_wasteful(&mut self) {
        let live = self.grants.len() + self.user_teams.len() + self.user_grants.len();
        if self.garbage <= live / 2 + 1024 {
            return;
        }
        let mut grants = Vec::with_capacity(self.grants.len());
        // Field by field: the arenas are read while the owners are written.
        for node in &mut self.nodes {
            let entries = run(&self.grants, node.grants_start, node.grants_len as usize);
            node.grants_start = id_at(grants.len());
            grants.extend_from_slice(entries);
        }
        let mut user_teams = Vec::with_capacity(self.user_teams.len());
        let mut user_grants = Vec::with_capacity(self.user_grants.len());
        for (user, record) in (0u32..).zip(&mut self.users) {
            let teams = run(&self.user_teams, record.teams_start, record.teams_len());
            record.teams_start = id_at(user_teams.len());
            user_teams.extend_from_slice(teams);
            let count = own_grant_count(record, &self.long_runs, user);
            let own = run(&self.user_grants, record.grants_start, count);
            record.grants_start = id_at(user_grants.len());
            user_grants.extend_from_slice(own);
        }
        self.grants = grants;
        self.user_teams = user_teams;
        self.user_grants = user_grants;
        self.garbage = 0;
    }
}

/// An internal id that names no record: what a writer answers when a
/// lookup its caller made first has missed. Never expected; a change turns
/// it into a refusal, never into a silent success that advances the
/// revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Missing;

/// Writes of single entities, for changes.
impl Policy {
    /// Adds the next resource, of `kind`, below `parent` and in its tenant
    /// (a tenant root, whose tenant is its own id, when `parent` is
    /// `None`), without grants or labels; returns its id.
    pub(crate) fn push_resource(
        &mut self,
        kind: ResourceKind,
        parent: Option<ResourceId>,
    ) -> ResourceId {
        let id = id_at(self.nodes.len());
        let (parent_id, tenant) = match parent {
            Some(ResourceId(parent)) => (
                parent,
                self.nodes
                    .get(parent as usize)
                    .map_or(NONE, |node| node.tenant),
            ),
            None => (NONE, id),
        };
        let grandparent = grandparent(&self.nodes, parent_id);
        self.labels.push(Labels::empty());
        self.nodes
            .push(Node::new(id, parent_id, grandparent, tenant, kind));
        self.first_child.push(NONE);
        self.next_sibling.push(NONE);
        if let Some(parent) = parent {
            self.link_child(parent, ResourceId(id));
        }
        self.summarise_paths_from(id);
        ResourceId(id)
    }

    /// The parent of resource `id`: `None` for a tenant root, and for an
    /// id that names no resource.
    fn parent_of(&self, ResourceId(id): ResourceId) -> Option<ResourceId> {
        let parent = self.nodes.get(id as usize)?.parent;
        (parent != NONE).then_some(ResourceId(parent))
    }

    /// Moves resource `id` below `parent`: its grandparent link, its
    /// children's (whose grandparent is now `parent`), and both child lists.
    pub(crate) fn set_parent(&mut self, id: ResourceId, parent: ResourceId) -> Result<(), Missing> {
        if self.nodes.get(id.0 as usize).is_none() || self.nodes.get(parent.0 as usize).is_none() {
            return Err(Missing);
        }
        let old = self.parent_of(id);
        let grandparent = grandparent(&self.nodes, parent.0);
        if let Some(node) = self.nodes.get_mut(id.0 as usize) {
            node.parent = parent.0;
            node.grandparent = grandparent;
        }
        let children: smallvec::SmallVec<[u32; 16]> = self.children(id.0).collect();
        for child in children {
            if let Some(node) = self.nodes.get_mut(child as usize) {
                node.grandparent = parent.0;
            }
        }
        if let Some(old) = old {
            self.unlink_child(old, id);
        }
        self.link_child(parent, id);
        self.summarise_paths_from(id.0);
        Ok(())
    }

    /// Removes the resources of `subtree` (`root` and everything below it,
    /// as [`Policy::subtree`] lists them): each loses its grants, tenant,
    /// place in the tree and name; ids are never reused.
    pub(crate) fn remove_subtree(&mut self, root: ResourceId, subtree: &[u32]) {
        if let Some(parent) = self.parent_of(root) {
            self.unlink_child(parent, root);
        }
        for &node in subtree {
            self.set_node_run(ResourceId(node), &[]);
            if let Some(record) = self.nodes.get_mut(node as usize) {
                record.tenant = REMOVED;
                record.parent = NONE;
                record.grandparent = NONE;
            }
            for list in [&mut self.first_child, &mut self.next_sibling] {
                if let Some(slot) = list.get_mut(node as usize) {
                    *slot = NONE;
                }
            }
            self.catalog.resources.forget(node);
        }
    }

    /// Sets a resource's labels.
    pub(crate) fn set_resource_labels(
        &mut self,
        ResourceId(id): ResourceId,
        labels: Labels,
    ) -> Result<(), Missing> {
        let slot = self.labels.get_mut(id as usize).ok_or(Missing)?;
        *slot = labels;
        Ok(())
    }

    /// Marks key `id` revoked; answers whether it was already.
    pub(crate) fn revoke_key(&mut self, KeyId(id): KeyId) -> Result<bool, Missing> {
        let record = self.keys.get_mut(id as usize).ok_or(Missing)?;
        Ok(core::mem::replace(&mut record.revoked, true))
    }

    /// Marks link `id` revoked; answers whether it was already.
    pub(crate) fn revoke_link(&mut self, LinkId(id): LinkId) -> Result<bool, Missing> {
        let record = self.links.get_mut(id as usize).ok_or(Missing)?;
        Ok(core::mem::replace(&mut record.revoked, true))
    }

    /// Sets the permissions that need a session that passed MFA.
    pub(crate) fn set_mfa_required(&mut self, permissions: Permissions) {
        self.mfa_required = permissions;
    }

    /// Sets the seat limit (checked against the users first by the caller).
    pub(crate) fn set_seats(&mut self, seats: Option<Seats>) {
        self.seats = seats;
    }

    /// Replaces every role's flattened permissions and eligibility, and the
    /// eligibility each group grant carries of its role.
    pub(crate) fn set_flat_roles(&mut self, flat: crate::role::FlatRoles) {
        self.roles = flat.permissions;
        self.catalog.role_eligible = flat.eligible;
        for entry in &mut self.grants {
            if let Some(&open) = self.catalog.role_eligible.get(entry.role as usize) {
                entry.eligible = open;
            }
        }
    }

    /// Role `id` gives nothing any more (its grants were revoked first).
    pub(crate) fn clear_role(&mut self, RoleId(id): RoleId) -> Result<(), Missing> {
        let flat = self.roles.get_mut(id as usize).ok_or(Missing)?;
        *flat = [Permissions::empty(); ResourceKind::COUNT];
        Ok(())
    }

    /// Adds the next user: of `tenant`, `user_type`, `channels`, `status`
    /// and `labels`, in `teams` (sorted, at most
    /// [`MAX_TEAMS_PER_USER`]), without grants of its own; returns its id.
    pub(crate) fn push_user(
        &mut self,
        ResourceId(tenant): ResourceId,
        user_type: UserType,
        channels: Channels,
        status: Status,
        labels: Labels,
        teams: &[u32],
    ) -> UserId {
        let id = UserId(id_at(self.users.len()));
        self.users.push(UserRecord::new(
            tenant,
            0,
            0,
            0,
            State::Active,
            user_type,
            channels,
        ));
        self.set_user_status(id, status);
        self.set_user_labels(id, labels);
        self.set_user_teams(id, teams);
        id
    }

    /// Adds the next API key; returns its id.
    /// Adds the next API key, `key`, owned by `owner` and limited to the
    /// subtrees of `roots`; returns its id.
    pub(crate) fn push_key(&mut self, owner: UserId, roots: &[ResourceId], key: &ApiKey) -> KeyId {
        let id = KeyId(id_at(self.keys.len()));
        let record = KeyRecord::new(owner, roots, key, &mut self.key_subtrees);
        self.keys.push(record);
        id
    }

    /// Limits key `id` to the subtrees of `roots` (sorted) instead (a
    /// removed resource's subtree no longer counts; at least one root
    /// remains).
    pub(crate) fn set_key_roots(&mut self, KeyId(id): KeyId, roots: &[u32]) {
        let Some(record) = self.keys.get_mut(id as usize) else {
            return;
        };
        match roots {
            [] => {}
            [root] => {
                record.within = *root;
                record.subtrees = NONE;
            }
            _ => {
                if let Some(held) = self.key_subtrees.get_mut(record.subtrees as usize) {
                    *held = roots.to_vec();
                }
            }
        }
    }

    /// Adds the next public link; returns its id.
    pub(crate) fn push_link(&mut self, link: LinkRecord) -> LinkId {
        let id = LinkId(id_at(self.links.len()));
        self.links.push(link);
        id
    }
}
