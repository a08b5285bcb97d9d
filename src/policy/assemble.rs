//! Laying out a whole policy at once, for the builder: the bulk half of
//! the [`store`]. The builder resolves and checks a model
//! and hands it here in ids ([`Model`]); this makes every record through
//! its one constructor ([`Node::new`], [`UserRecord::new`] by
//! [`user_record`]), lays out the runs, and derives each summary (filters,
//! wide filters, grant counts, grandparent links, child lists,
//! restrictions) with the same function the store uses when a change
//! writes one entity.
//!
//! Owns: the layout of a freshly built policy, and the counting sort that
//! gathers each user's own grants ([`OwnRuns`]). Must never: validate
//! (the builder refuses a model with problems before it gets here),
//! resolve a name, or decide anything.
//!
//! Like the store's, its boundary is typed where an entity is named: a
//! resource's parent is an `Option<ResourceId>`, a group grant carries its
//! scope as a [`ResourceId`] and an own grant its holder as a [`UserId`].
//! What is already laid out like a record (a tenant, [`REMOVED`] once
//! removed; the runs of teams) stays packed `u32`.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec;
use alloc::vec::Vec;

use crate::directory::{Channels, Status, UserId, UserType};
use crate::label::Labels;
use crate::permission::Permissions;
use crate::resource::{ResourceId, ResourceKind};
use crate::role::Flattened;

use super::rules::ExclusiveTeams;
use super::store::{
    child_lists, grandparent, summarise_group_run, summarise_own_run, summarise_paths, team_filter,
};
use super::*;

/// A resource, resolved: what the builder hands the store to make its node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResourceParts {
    /// Its parent, `None` for a tenant root.
    pub(crate) parent: Option<ResourceId>,
    /// Its tenant, or [`REMOVED`] for a removed resource.
    pub(crate) tenant: u32,
    pub(crate) kind: ResourceKind,
}

/// The record of a user of `tenant` ([`REMOVED`] for a removed one), of
/// `user_type`, using `channels`, with `status`, in `teams` (sorted, their
/// run starting at `teams_start` in the teams arena), without grants of its
/// own yet: what the builder makes each user's record with.
pub(crate) fn user_record(
    tenant: u32,
    user_type: UserType,
    channels: Channels,
    status: Status,
    teams_start: usize,
    teams: &[u32],
) -> UserRecord {
    UserRecord::new(
        tenant,
        team_filter(teams),
        id_at(teams_start),
        teams.len(),
        State::of(status),
        user_type,
        channels,
    )
}

/// Every user's own grants, gathered by user and each user's run sorted
/// (by scope first): the arena of [`Policy::user_grants`] and where each
/// user's run sits in it.
#[derive(Debug, Clone, Default)]
pub(crate) struct OwnRuns {
    grants: Vec<UserGrant>,
    /// Where each user's run starts (0 for a user without grants of its
    /// own, as a change leaves it).
    starts: Vec<u32>,
    /// How long each user's run is.
    counts: Vec<u32>,
}

impl OwnRuns {
    /// Gathers `own` ((user, grant) pairs, in any order) for `users`
    /// users: a counting sort by user, linear where sorting ten million
    /// pairs is not, then each run sorted.
    pub(crate) fn sort(own: Vec<(UserId, UserGrant)>, users: usize) -> OwnRuns {
        let mut grants: Vec<UserGrant> = match own.first() {
            Some(&(_, filler)) => vec![filler; own.len()],
            None => Vec::new(),
        };
        let mut counts = vec![0u32; users];
        for &(UserId(user), _) in &own {
            if let Some(count) = counts.get_mut(user as usize) {
                *count += 1;
            }
        }
        let mut next = 0u32;
        let starts: Vec<u32> = counts
            .iter()
            .map(|&count| {
                let start = if count == 0 { 0 } else { next };
                next += count;
                start
            })
            .collect();
        let mut fill = starts.clone();
        for (UserId(user), grant) in own {
            let Some(position) = fill.get_mut(user as usize) else {
                continue;
            };
            if let Some(slot) = grants.get_mut(*position as usize) {
                *slot = grant;
            }
            *position += 1;
        }
        for (&start, &count) in starts.iter().zip(&counts) {
            let start = start as usize;
            if let Some(run) = grants.get_mut(start..start + count as usize) {
                run.sort_unstable();
            }
        }
        OwnRuns {
            grants,
            starts,
            counts,
        }
    }

    /// Each user's id and run, in id order.
    pub(crate) fn runs(&self) -> impl Iterator<Item = (UserId, &[UserGrant])> + '_ {
        (0u32..)
            .zip(self.starts.iter().zip(&self.counts))
            .map(|(user, (&start, &count))| {
                let start = start as usize;
                let run = self
                    .grants
                    .get(start..start + count as usize)
                    .unwrap_or(&[]);
                (UserId(user), run)
            })
    }
}

/// A checked model in ids, as the builder hands it to the store.
#[derive(Debug)]
pub(crate) struct Model {
    /// Every resource, by id.
    pub(crate) resources: Vec<ResourceParts>,
    /// Every resource's labels, by id.
    pub(crate) labels: Vec<Labels>,
    /// Every group grant with its scope, sorted by identity
    /// ([`GrantEntry::identity`]): each node's run is contiguous.
    pub(crate) group_grants: Vec<(ResourceId, GrantEntry)>,
    /// Every user's own grants.
    pub(crate) own_grants: OwnRuns,
    /// Every user's record, from [`user_record`].
    pub(crate) users: Vec<UserRecord>,
    /// The teams arena the records point into.
    pub(crate) user_teams: Vec<u32>,
    pub(crate) invitations: BTreeMap<u32, u64>,
    /// The protected accounts.
    pub(crate) protected: BTreeSet<u32>,
    /// The roles required of accounts.
    pub(crate) required: Vec<Requirement>,
    /// The sets of exclusive teams.
    pub(crate) exclusive: Vec<ExclusiveTeams>,
    pub(crate) user_labels: Vec<Labels>,
    pub(crate) roles: Vec<Flattened>,
    pub(crate) keys: Vec<KeyRecord>,
    /// The roots of the keys limited to several subtrees.
    pub(crate) key_subtrees: Vec<Vec<u32>>,
    pub(crate) links: Vec<LinkRecord>,
    pub(crate) mfa_required: Permissions,
    pub(crate) seats: Option<Seats>,
    pub(crate) catalog: Catalog,
}

impl Policy {
    /// Lays out `model` as a policy at revision 0.
    pub(crate) fn assemble(model: Model) -> Policy {
        let Model {
            resources,
            labels,
            group_grants,
            own_grants,
            mut users,
            mut user_teams,
            invitations,
            protected,
            required,
            exclusive,
            user_labels,
            roles,
            keys,
            key_subtrees,
            links,
            mfa_required,
            seats,
            catalog,
        } = model;
        let (mut nodes, grants, wide_filters) = lay_out_nodes(&resources, group_grants);
        let mut long_runs = BTreeMap::new();
        for ((user, run), record) in own_grants.runs().zip(&mut users) {
            record.grants_start = own_grants.starts.get(user.0 as usize).copied().unwrap_or(0);
            summarise_own_run(record, &mut long_runs, user, run);
        }
        user_teams.shrink_to_fit();
        let (first_child, next_sibling) = child_lists(&nodes);
        for root in 0..nodes.len() {
            if nodes
                .get(root)
                .is_some_and(|node| node.is_live() && node.parent == NONE)
            {
                summarise_paths(&mut nodes, &first_child, &next_sibling, id_at(root));
            }
        }
        let restrictions = crate::authority::restrictions_of(&nodes, &grants);
        let mut policy = Policy {
            nodes,
            first_child,
            next_sibling,
            labels,
            grants,
            restrictions,
            wide_filters,
            roles,
            users,
            user_teams,
            user_grants: own_grants.grants,
            long_runs,
            invitations,
            protected,
            required,
            exclusive,
            lacking: BTreeMap::new(),
            user_labels,
            keys,
            key_subtrees,
            links,
            mfa_required,
            seats,
            catalog,
            revision: 0,
            garbage: 0,
        };
        // An account built without a role required of it may do nothing.
        let lacking = policy.lacking_now();
        policy.mark_lacking(&lacking);
        policy
    }
}

/// The nodes of `resources`, with their grandparent links, and the runs of
/// `group_grants` (sorted by identity) with their filters: (nodes, grant
/// arena, wide filters).
fn lay_out_nodes(
    resources: &[ResourceParts],
    group_grants: Vec<(ResourceId, GrantEntry)>,
) -> (Vec<Node>, Vec<GrantEntry>, Vec<[u64; 4]>) {
    let mut nodes: Vec<Node> = (0u32..)
        .zip(resources)
        .map(|(id, parts)| {
            let parent = parts.parent.map_or(NONE, |ResourceId(parent)| parent);
            Node::new(id, parent, NONE, parts.tenant, parts.kind)
        })
        .collect();
    for id in 0..nodes.len() {
        let parent = nodes.get(id).map_or(NONE, |node| node.parent);
        let link = grandparent(&nodes, parent);
        if let Some(node) = nodes.get_mut(id) {
            node.grandparent = link;
        }
    }
    let mut grants = Vec::with_capacity(group_grants.len());
    for (position, (ResourceId(scope), entry)) in group_grants.into_iter().enumerate() {
        if let Some(node) = nodes.get_mut(scope as usize) {
            if node.grants_len == 0 {
                node.grants_start = id_at(position);
            }
            node.grants_len += 1;
        }
        grants.push(entry);
    }
    let mut wide_filters = Vec::new();
    for node in &mut nodes {
        let start = node.grants_start as usize;
        let run = grants
            .get(start..start + node.grants_len as usize)
            .unwrap_or(&[]);
        summarise_group_run(&mut wide_filters, node, run);
    }
    wide_filters.shrink_to_fit();
    (nodes, grants, wide_filters)
}
