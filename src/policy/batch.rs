//! Many decisions at once ([`Policy::authorize_many`]): exactly the
//! answers of [`Policy::authorize`], one per request and in order, with
//! the first memory reads of the requests further down the batch started
//! early, so that their cache misses overlap instead of following one
//! another.
//!
//! Owns: the order in which a batch first reads memory. Must never: decide
//! (each decision is [`Policy::authorize`]'s, unchanged), allocate, or
//! branch on data still on its way from memory (a branch on data that has
//! just missed the cache is what makes a cold decision slow, BENCHMARKS.md
//! "Two levels per step"): a pass reads only what the pass before brought
//! in.
//!
//! Group prefetching, as in hash joins: the requests are taken [`GROUP`]
//! at a time, and before any of a group is decided, three passes over it
//! read (1) each request's user record and resource node, (2) what those
//! name: the parent and grandparent nodes, the user's teams and own
//! grants, and (3) the grant runs of the three nodes. Passes 2 and 3 skip
//! a request whose node's path summaries say nothing on its path may hold
//! a grant of its user's: its decision reads nothing more (read from the
//! record and node pass 1 brought in). The reads of one
//! pass are independent of each other, so their misses overlap, and each
//! pass finds in cache what the one before named. The crate has no
//! `unsafe` (so no prefetch instruction): the reads are ordinary loads
//! whose values go nowhere but [`core::hint::black_box`]. A run is read at
//! most [`LINES`] cache lines deep, so a long run costs the reads a search
//! of it would make, not its length.
//!
//! Tried and measured (BENCHMARKS.md, issue 17): reading one request ahead
//! per decision (each read then blocks retirement behind a decision; 7%
//! faster instead of 21%), and running the passes on later groups than
//! the one decided (slower: 139 against 123 ns).

use core::hint::black_box;

use crate::decision::Decision;
use crate::permission::Action;
use crate::resource::ResourceId;
use crate::subject::{Credential, Subject};

use super::Policy;

/// How many of a user's own grants one cache line holds, at least.
const LINE_OF_GRANTS: usize = max_one(64 / core::mem::size_of::<super::layout::UserGrant>());

/// How many grants of a node's run one cache line holds, at least.
const LINE_OF_ENTRIES: usize = max_one(64 / core::mem::size_of::<super::layout::GrantEntry>());

/// `count`, or 1 for 0 (a step of 0 would never advance).
const fn max_one(count: usize) -> usize {
    if count == 0 {
        1
    } else {
        count
    }
}

/// How many cache lines of one run are read ahead, at most: a long run is
/// searched, not read through.
const LINES: usize = 4;

/// The size of the hot arrays ([`Policy::hot_bytes`]) above which a batch
/// reads ahead: about what a core's share of the last-level cache holds.
const READ_AHEAD_ABOVE: usize = 8 << 20;

/// How many requests are read ahead together.
const GROUP: usize = 32;

impl Policy {
    /// The decision of every request of `requests`, in order: each exactly
    /// [`authorize`](Policy::authorize)'s, computed lazily as the iterator
    /// is read, without allocating.
    ///
    /// On a large model whose records do not fit the CPU's caches (a
    /// service checking a page of items, an audit replaying a log), a
    /// batch is faster than the same calls one by one: before a group of
    /// requests is decided, the records each will read are fetched from
    /// memory together, so that their misses overlap (1,000,000 users,
    /// distinct random requests: about 21% less time per decision,
    /// BENCHMARKS.md). A model small enough to fit the caches is decided
    /// as by a loop over `authorize`, with no reads ahead.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("ws", ResourceKind::Workspace, "acme")
    ///     .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
    ///     .user(User::new("ann", "acme"))
    ///     .grant(Grantee::user("ann"), "ws", "viewer", Effect::Allow)
    ///     .build()?;
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web);
    /// let ws = policy.resource_id("ws").unwrap();
    /// let requests = [(ann, Action::View, ws), (ann, Action::Edit, ws)];
    /// let allowed: Vec<bool> = policy
    ///     .authorize_many(&requests)
    ///     .map(|decision| decision.is_allowed())
    ///     .collect();
    /// assert_eq!(allowed, [true, false]);
    /// # Ok::<(), BuildError>(())
    /// ```
    pub fn authorize_many<'p>(
        &'p self,
        requests: &'p [(Subject, Action, ResourceId)],
    ) -> impl Iterator<Item = Decision> + 'p {
        // A model that fits the caches gains nothing from reading ahead
        // and pays for the reads (a branch on its size, not on its data).
        let ahead = self.hot_bytes() > READ_AHEAD_ABOVE;
        requests.chunks(GROUP).flat_map(move |group| {
            if ahead {
                self.read_ahead(group);
            }
            group
                .iter()
                .map(move |(subject, action, resource)| self.authorize(subject, *action, *resource))
        })
    }

    /// The bytes of what decisions read most: resources, users, their
    /// teams and grants.
    fn hot_bytes(&self) -> usize {
        core::mem::size_of_val(self.nodes.as_slice())
            + core::mem::size_of_val(self.users.as_slice())
            + core::mem::size_of_val(self.user_teams.as_slice())
            + core::mem::size_of_val(self.user_grants.as_slice())
            + core::mem::size_of_val(self.grants.as_slice())
    }

    /// The three passes over a group (see the module docs).
    fn read_ahead(&self, group: &[(Subject, Action, ResourceId)]) {
        for request in group {
            self.read_first(request);
        }
        for request in group {
            self.read_second(request);
        }
        for request in group {
            self.read_third(request);
        }
    }

    /// Starts reading the request's user record and resource node.
    #[inline]
    fn read_first(&self, (subject, _, resource): &(Subject, Action, ResourceId)) {
        if let Credential::User(user) = subject.credential() {
            black_box(self.users.get(user.0 as usize).map(|record| record.filter));
        }
        black_box(self.nodes.get(resource.0 as usize).map(|node| node.filter));
    }

    /// Whether the request's resource node may hold, on its path, a grant
    /// of its user's ([`Node::path_filter`](super::layout::Node::path_filter)): read from the record and the
    /// node, which the first pass brought in. When not, its decision reads
    /// nothing more, and neither do the later passes.
    #[inline]
    fn may_hold(&self, (subject, _, resource): &(Subject, Action, ResourceId)) -> bool {
        let Credential::User(user) = subject.credential() else {
            return true;
        };
        match (
            self.users.get(user.0 as usize),
            self.nodes.get(resource.0 as usize),
        ) {
            (Some(record), Some(node)) => {
                node.path_filter & record.filter != 0 || node.path_scopes & record.scope_filter != 0
            }
            _ => false,
        }
    }

    /// Starts reading what the request's user record and resource node
    /// name: the node's parent and grandparent, the user's teams and own
    /// grants.
    #[inline]
    fn read_second(&self, request @ (subject, _, resource): &(Subject, Action, ResourceId)) {
        if !self.may_hold(request) {
            return;
        }
        if let Some(node) = self.nodes.get(resource.0 as usize) {
            for above in [node.parent, node.grandparent] {
                black_box(self.nodes.get(above as usize).map(|node| node.filter));
            }
        }
        if let Credential::User(user) = subject.credential() {
            if let Some(record) = self.users.get(user.0 as usize) {
                black_box(self.teams_of(record).first());
                // A search may read any of them: each cache line, up to
                // `LINES`.
                for grant in self
                    .own_grants(user.0, record)
                    .iter()
                    .step_by(LINE_OF_GRANTS)
                    .take(LINES)
                {
                    black_box(grant.scope);
                }
            }
        }
    }

    /// Starts reading the grants of the request's resource node, its
    /// parent and its grandparent (named by the nodes, now in cache).
    #[inline]
    fn read_third(&self, request @ (_, _, resource): &(Subject, Action, ResourceId)) {
        if !self.may_hold(request) {
            return;
        }
        if let Some(node) = self.nodes.get(resource.0 as usize) {
            for at in [resource.0, node.parent, node.grandparent] {
                if let Some(node) = self.nodes.get(at as usize) {
                    for entry in self
                        .group_grants(node)
                        .iter()
                        .step_by(LINE_OF_ENTRIES)
                        .take(LINES)
                    {
                        black_box(entry.key);
                    }
                }
            }
        }
    }
}
