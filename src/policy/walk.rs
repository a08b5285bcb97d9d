//! One walk from a resource up to its root: [`WalkUp`], the state of the
//! walk and its visit of each node that may hold a grant of the
//! subject's, and [`Findings`], what the walk found.
//!
//! Owns: which of a node's grants are the subject's (its own grants
//! there, its groups' in the node's run), applying each (the one rule of
//! [`Audience::reached_by`], overrides cutting inheritance per principal,
//! denies) and what is remembered for the reason. Must never: choose the
//! nodes visited (that is [`Policy::walk_from`]'s loop, in
//! [`evaluate`](super::evaluate)), name a reason, allocate, or write the
//! policy.

use crate::grant::Effect;
use crate::label::Condition;
use crate::permission::Permissions;
use crate::resource::ResourceKind;

use super::*;

/// What one walk from a resource to its root found: [`WalkUp`] fills it.
#[derive(Clone, Copy)]
pub(super) struct Findings {
    /// Permissions from every counted allow and override grant.
    pub(super) allow: Permissions,
    /// Permissions removed by deny grants.
    pub(super) deny: Permissions,
    /// Permissions of allow grants that an override below cut off, as far
    /// as they intersect the permissions asked for.
    pub(super) lost: Permissions,
    /// The first principal whose cut-off grant would have given something asked for.
    pub(super) lost_principal: u32,
    /// Whether any allow or override grant of the subject's principals is on
    /// the path, counted or cut off (a deny alone is no membership).
    pub(super) matched: bool,
    /// Whether a grant of the subject's principals on the path was passed
    /// over for its condition: only then may a denial be
    /// [`Reason::ConditionUnmet`](crate::Reason::ConditionUnmet) (see `denials.rs`).
    pub(super) unmet: bool,
    /// The nearest counted grant giving something asked for:
    /// (principal, scope, role), or [`NONE`]s.
    pub(super) granted: (u32, u32, u32),
    /// The nearest deny grant removing something asked for: (principal,
    /// scope), or [`NONE`]s.
    pub(super) denied: (u32, u32),
}

impl Findings {
    /// What a walk that found nothing leaves.
    pub(super) const NOTHING: Findings = Findings {
        allow: Permissions::empty(),
        deny: Permissions::empty(),
        lost: Permissions::empty(),
        lost_principal: NONE,
        matched: false,
        unmet: false,
        granted: (NONE, NONE, NONE),
        denied: (NONE, NONE),
    };
}

/// One walk from a resource up to its root ([`Policy::walk`]): the
/// subject's principals (moved in, not borrowed from a `Context`), what
/// the walk has found so far, and the node being visited. One value for
/// the whole walk: visiting a node sets `at`, it builds no visitor of its
/// own.
pub(super) struct WalkUp<'p> {
    policy: &'p Policy,
    principals: Principals<'p>,
    /// The kind asked about, kept as the enum so that indexing a role's
    /// permissions by it needs no bounds check.
    kind: ResourceKind,
    needed: Permissions,
    /// The resource asked about, whose labels conditions compare.
    resource: u32,
    found: Findings,
    /// The node being visited.
    at: u32,
    /// Principals cut by overrides on the nodes visited so far, `at`
    /// included (bit i: principal i, as [`Principals::position`]); 0 on
    /// most walks, which meet no override.
    cut: u128,
    /// The part of `cut` made by overrides at `cut_at`: an override cuts
    /// inheritance above its node only, so at `cut_at` these do not count.
    cut_here: u128,
    /// The node of the last override applied, or [`NONE`].
    cut_at: u32,
}

impl<'p> WalkUp<'p> {
    /// The start of a walk for `principals` asking for `needed` on
    /// `resource` (of kind `kind`), at node `at`, having
    /// found nothing.
    #[inline(always)]
    pub(super) fn new(
        policy: &'p Policy,
        principals: Principals<'p>,
        kind: ResourceKind,
        needed: Permissions,
        resource: u32,
        at: u32,
    ) -> WalkUp<'p> {
        WalkUp {
            policy,
            principals,
            kind,
            needed,
            resource,
            found: Findings::NOTHING,
            at,
            cut: 0,
            cut_here: 0,
            cut_at: NONE,
        }
    }

    /// What the walk found.
    #[inline(always)]
    pub(super) fn findings(&self) -> Findings {
        self.found
    }

    /// Applies one grant of `role` with `effect` held by the subject's
    /// principal `principal` at `position`.
    #[inline]
    fn grant(&mut self, principal: u32, role: u32, effect: Effect, position: u32) {
        let permissions = self.policy.role_permissions(role, self.kind.index());
        if effect == Effect::Deny {
            let found = &mut self.found;
            found.deny |= permissions;
            if found.denied.0 == NONE && permissions.intersects(self.needed) {
                found.denied = (principal, self.at);
            }
            return;
        }
        self.found.matched = true;
        // Most walks meet no override: no 128-bit shift then.
        if self.cut != 0 && self.is_cut(position) {
            let found = &mut self.found;
            let lost = permissions & self.needed;
            if !lost.is_empty() && found.lost.is_empty() {
                found.lost_principal = principal;
            }
            found.lost |= lost;
            return;
        }
        if effect == Effect::Override {
            self.cut_from_here(position);
        }
        self.count(principal, role, permissions);
    }

    /// Counts the `permissions` of a grant of `role` to `principal` that
    /// reaches the subject and is not cut off, remembering it for the
    /// reason if it is the nearest to give something asked for.
    #[inline(always)]
    fn count(&mut self, principal: u32, role: u32, permissions: Permissions) {
        let found = &mut self.found;
        found.allow |= permissions;
        if found.granted.0 == NONE && permissions.intersects(self.needed) {
            found.granted = (principal, self.at, role);
        }
    }

    /// Whether the principal at `position` was cut by an override below
    /// `at`.
    #[inline]
    fn is_cut(&self, position: u32) -> bool {
        let below = if self.cut_at == self.at {
            self.cut & !self.cut_here
        } else {
            self.cut
        };
        (below >> position) & 1 != 0
    }

    /// Records an override at `at` of the principal at `position`: it
    /// cuts that principal's grants above `at`. The cuts are kept per
    /// override, not merged per node, so that a walk without one pays
    /// nothing for them.
    #[cold]
    #[inline(never)]
    fn cut_from_here(&mut self, position: u32) {
        if self.cut_at != self.at {
            self.cut_at = self.at;
            self.cut_here = 0;
        }
        let bit = 1u128 << position;
        self.cut_here |= bit;
        self.cut |= bit;
    }

    /// Applies a group grant if it reaches the subject
    /// ([`Audience::reached_by`]).
    ///
    /// The common grant (an allow of a role the subject's type may hold,
    /// without a condition, on a walk that met no override) is counted
    /// here, inline; every other ([`visit_other`](WalkUp::visit_other))
    /// out of line.
    // The whole of it inline(always) (it was out of line): team 396 → 442
    // instr/decision, admin 345 → 367; the common case alone inline, with
    // the cuts kept per override: team 396 → 373, admin 345 → 339,
    // effective_team 362 → 325, random 202.65 → 196.74; cachegrind, issue 17.
    #[inline(always)]
    fn visit_entry(&mut self, entry: &GrantEntry, position: u32) {
        if entry.effect == Effect::Allow
            && entry.condition == Condition::Always
            && self.cut == 0
            && entry.eligible.intersects(self.principals.user_type)
        {
            // What `grant` does for it: matched, and counted.
            let permissions = self.policy.role_permissions(entry.role, self.kind.index());
            self.found.matched = true;
            self.count(entry.key, entry.role, permissions);
        } else {
            self.visit_other(entry, position);
        }
    }

    /// [`visit_entry`](WalkUp::visit_entry) for a deny, an override, a
    /// conditional grant, a role the subject's type may not hold, or a walk
    /// that met an override.
    // No #[inline] here: with it (copied into every codegen unit) +1.5
    // instr/request (bare) and +26 KB of code, and inline(always) here with
    // `user_grants` made the random batch 7% slower; cachegrind and
    // `benches/authorize.rs`, issue 15. `search` and `user_grants` are
    // inline(always): see theirs.
    #[inline(never)]
    fn visit_other(&mut self, entry: &GrantEntry, position: u32) {
        let (policy, target) = (self.policy, self.resource);
        if self.principals.audience(policy).reached_by(
            entry.effect,
            entry.eligible,
            entry.condition,
            || policy.labels_of(target),
        ) {
            self.grant(entry.key, entry.role, entry.effect, position);
        } else if entry.condition != Condition::Always {
            self.found.unmet = true;
        }
    }

    /// Applies every grant of `principal` in a sorted run.
    // inline(always), with `user_grants`: random 299.63 → 291.47
    // instr/request, team 417 → 411, admin 388 → 370; org_admin 18.8–19.3 →
    // 15.7–16.1 ns, allowed_team_folder 19.1–20.0 → 19.0–19.1 ns, the random
    // batch unchanged (alternating rounds); issue 15, measured again after
    // issue 16 changed the walk (before it, this cost +47 instr bare).
    #[inline(always)]
    fn search(&mut self, run: &[GrantEntry], principal: u32, position: u32) {
        let first = run.partition_point(|entry| entry.key < principal);
        for entry in run.iter().skip(first) {
            if entry.key != principal {
                break;
            }
            self.visit_entry(entry, position);
        }
    }

    /// Applies the user's own grants at `at`.
    // inline(always): see `search`; alone it gave org_admin 16.3–16.7 ns.
    #[inline(always)]
    fn user_grants(&mut self) {
        let (policy, user, at) = (self.policy, self.principals.user, self.at);
        // Read here, at a node whose scope bit the user's filter has: most
        // walks never need them.
        let grants = self.principals.grants(policy);
        let first = if grants.len() <= LINEAR_RUN {
            grants
                .iter()
                .position(|g| g.scope >= at)
                .unwrap_or(grants.len())
        } else {
            grants.partition_point(|g| g.scope < at)
        };
        for grant in grants.iter().skip(first) {
            if grant.scope != at {
                break;
            }
            // A user's own grants were checked eligible when made: only
            // the resource-dependent half of the rule applies, and the
            // user's labels are read only for a condition.
            let target = self.resource;
            if grant.condition == Condition::Always
                || self
                    .principals
                    .audience(policy)
                    .meets(grant.condition, || policy.labels_of(target))
            {
                self.grant(user, grant.role, grant.effect, 0);
            } else {
                self.found.unmet = true;
            }
        }
    }

    /// Whether `node` or a node above it may hold a grant of the
    /// subject's ([`Node::path_filter`]): when not, the walk is over.
    #[inline(always)]
    pub(super) fn may_hold_above(&self, node: &Node) -> bool {
        node.path_filter & self.principals.filter != 0
            || node.path_scopes & self.principals.scope_filter != 0
    }

    /// Applies the grants of node `at`: the user's own grants there, then
    /// its group grants, both skipped when their filters share no bit with
    /// the subject's.
    // inline(always): as plain #[inline], +66 instr/request (bare), +57 (team),
    // +77 (effective); cachegrind, issue 15
    #[inline(always)]
    pub(super) fn visit(&mut self, at: u32, node: &Node) {
        let filter = self.principals.filter;
        let own = self.principals.scope_filter & (1u64 << node.scope_bit) != 0;
        let group = node.filter & filter != 0;
        if own || group {
            self.at = at;
            if own {
                self.user_grants();
            }
            let policy = self.policy;
            let run = if group {
                policy.group_grants(node)
            } else {
                &[]
            };
            if run.len() <= LINEAR_RUN {
                for entry in run {
                    if (1u64 << entry.filter_bit) & filter == 0 {
                        continue;
                    }
                    if let Some(position) = self.principals.position(entry.key) {
                        self.visit_entry(entry, position);
                    }
                }
            } else {
                // A long run (a workspace with many members): search it
                // for each of the subject's principals that its wide
                // filter may hold.
                let wide = policy
                    .wide_filters
                    .get(usize::from(node.wide))
                    .unwrap_or(&[u64::MAX; 4]);
                let (public, teams) = (self.principals.public, self.principals.teams);
                let mut search = |principal: u32, position: u32| {
                    if principal_key::wide_contains(wide, principal) {
                        self.search(run, principal, position);
                    }
                };
                // In key order, as a scan would visit them: teams
                // (sorted), then Everyone, so both name the same grant.
                if public {
                    search(principal_key::PUBLIC, 0);
                } else {
                    for (i, team) in teams.iter().enumerate() {
                        search(principal_key::TEAM | team, 2 + i as u32);
                    }
                    search(principal_key::EVERYONE, 1);
                }
            }
        }
    }
}
