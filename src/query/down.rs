//! The walk down a subtree behind [`Policy::accessible`] and the access
//! reviews: a subject's grants carried from each resource to its children,
//! instead of a walk up from every resource.
//!
//! Owns: carrying grants down (kinds, conditions, overrides per principal)
//! so that each resource below costs the same however many grants its path
//! holds. Must never: answer differently from a walk up
//! ([`Policy::effective`]): `tests/queries.rs` and the properties compare
//! the two.

use alloc::vec::Vec;

use crate::decision::Reason;
use crate::grant::Effect;
use crate::label::{Condition, Labels};
use crate::permission::Permissions;
use crate::resource::{ResourceId, ResourceKind};
use crate::role::Flattened;
use crate::subject::Subject;

use crate::policy::*;

/// The conditions a grant may be made under, indexed by `Condition as usize`.
const CONDITIONS: [Condition; 3] = [
    Condition::Always,
    Condition::LabelsIntersect,
    Condition::LabelsContain,
];

/// No permissions on any kind.
const NOTHING: Flattened = [Permissions::empty(); ResourceKind::COUNT];

/// One of the subject's principals, as [`Policy::accessible_down`] carries
/// it down the tree: the union of its allow and override grants on the
/// path, kept apart by what can still decide whether they count at a
/// resource below (the resource's kind, and its labels through
/// conditions), so that deciding a resource costs the same however many
/// grants the path holds.
#[derive(Clone)]
struct Carried {
    /// `allow[cut][when]`: per kind, the permissions of the principal's
    /// allow and override grants on the path made under `CONDITIONS[when]`,
    /// at or below its deepest override made under `CONDITIONS[cut]` (an
    /// override cuts the grants of its principal above it, wherever its own
    /// condition holds).
    allow: [[Flattened; 3]; 3],
    /// The depth of that deepest override, for each condition; 0 (the
    /// tenant root: nothing above to cut) when there is none.
    cut_depth: [u32; 3],
}

/// How to leave a node: what entering it changed.
enum Undo {
    Allow {
        slot: u8,
        cut: u8,
        when: u8,
        old: Flattened,
    },
    Deny {
        when: u8,
        old: Flattened,
    },
    Cut {
        slot: u8,
        cut: u8,
        old: u32,
    },
}

/// The state of one walk down the tree ([`Policy::accessible_down`]).
struct Down<'p> {
    policy: &'p Policy,
    principals: Principals<'p>,
    /// The index in `carried` of each principal position, or `u8::MAX`.
    slot_of: [u8; 128],
    carried: Vec<Carried>,
    /// Per condition, the permissions the deny grants on the path remove
    /// (a deny is never cut).
    deny: [Flattened; 3],
    undo: Vec<Undo>,
}

/// `cell |= add`, remembering the old value when it changes.
fn or_into(
    cell: &mut Flattened,
    add: &Flattened,
    undo: &mut Vec<Undo>,
    how: impl FnOnce(Flattened) -> Undo,
) {
    let old = *cell;
    for (slot, &more) in cell.iter_mut().zip(add) {
        *slot |= more;
    }
    if *cell != old {
        undo.push(how(old));
    }
}

impl<'p> Down<'p> {
    fn new(policy: &'p Policy, principals: Principals<'p>) -> Down<'p> {
        Down {
            policy,
            principals,
            slot_of: [u8::MAX; 128],
            carried: Vec::new(),
            deny: [NOTHING; 3],
            undo: Vec::new(),
        }
    }

    /// The slot of the principal at `position`, made on first use.
    fn slot(&mut self, position: u32) -> Option<u8> {
        let index = self.slot_of.get_mut(position as usize)?;
        if *index == u8::MAX {
            // At most 128 positions: a slot index fits below u8::MAX.
            *index = u8::try_from(self.carried.len()).ok()?;
            self.carried.push(Carried {
                allow: [[NOTHING; 3]; 3],
                cut_depth: [0; 3],
            });
        }
        Some(*index)
    }

    /// Adds the subject's grants at `node`, at `depth` below the tenant
    /// root: its own grants there (found by binary search, however many it
    /// holds) and the group grants of its principals that may reach it.
    fn enter(&mut self, node: u32, depth: u32) {
        let policy = self.policy;
        let Some(record) = policy.nodes.get(node as usize) else {
            return;
        };
        let principals = self.principals;
        // (position, role, effect, condition) of each grant here.
        let mut here: smallvec::SmallVec<[(u32, u32, Effect, Condition); 8]> =
            smallvec::SmallVec::new();
        if principals.scope_filter & (1u64 << record.scope_bit) != 0 {
            let grants = principals.grants(policy);
            let first = grants.partition_point(|grant| grant.scope < node);
            for grant in grants.iter().skip(first) {
                if grant.scope != node {
                    break;
                }
                here.push((0, grant.role, grant.effect, grant.condition));
            }
        }
        if record.filter & principals.filter != 0 {
            let audience = principals.audience(policy);
            for entry in policy.group_grants(record) {
                if (1u64 << entry.filter_bit) & principals.filter == 0 {
                    continue;
                }
                let Some(position) = principals.position(entry.key) else {
                    continue;
                };
                // The resource-independent half of the rule; the
                // condition is asked per resource, in `permissions`.
                if audience.may_hold(entry.effect, entry.eligible) {
                    here.push((position, entry.role, entry.effect, entry.condition));
                }
            }
        }
        // Overrides first: they cut what their principal holds above,
        // not what it holds here.
        for &(position, _, effect, condition) in &here {
            if effect != Effect::Override {
                continue;
            }
            let Some(slot) = self.slot(position) else {
                continue;
            };
            let cut = condition as u8;
            let Some(carried) = self.carried.get_mut(usize::from(slot)) else {
                continue;
            };
            let (Some(deepest), Some(cells)) = (
                carried.cut_depth.get_mut(usize::from(cut)),
                carried.allow.get_mut(usize::from(cut)),
            ) else {
                continue;
            };
            if *deepest == depth {
                continue;
            }
            self.undo.push(Undo::Cut {
                slot,
                cut,
                old: *deepest,
            });
            *deepest = depth;
            for (when, cell) in (0u8..).zip(cells.iter_mut()) {
                let old = core::mem::replace(cell, NOTHING);
                if old != NOTHING {
                    self.undo.push(Undo::Allow {
                        slot,
                        cut,
                        when,
                        old,
                    });
                }
            }
        }
        for &(position, role, effect, condition) in &here {
            let Some(permissions) = policy.roles.get(role as usize) else {
                continue;
            };
            let when = condition as u8;
            if effect == Effect::Deny {
                if let Some(cell) = self.deny.get_mut(usize::from(when)) {
                    or_into(cell, permissions, &mut self.undo, |old| Undo::Deny {
                        when,
                        old,
                    });
                }
                continue;
            }
            let Some(slot) = self.slot(position) else {
                continue;
            };
            let Some(carried) = self.carried.get_mut(usize::from(slot)) else {
                continue;
            };
            for (cut, cells) in (0u8..).zip(carried.allow.iter_mut()) {
                if let Some(cell) = cells.get_mut(usize::from(when)) {
                    or_into(cell, permissions, &mut self.undo, |old| Undo::Allow {
                        slot,
                        cut,
                        when,
                        old,
                    });
                }
            }
        }
    }

    /// Undoes every `enter` since the undo log was `mark` long.
    fn rewind(&mut self, mark: usize) {
        while self.undo.len() > mark {
            let Some(undo) = self.undo.pop() else {
                break;
            };
            match undo {
                Undo::Allow {
                    slot,
                    cut,
                    when,
                    old,
                } => {
                    if let Some(cell) = self
                        .carried
                        .get_mut(usize::from(slot))
                        .and_then(|carried| carried.allow.get_mut(usize::from(cut)))
                        .and_then(|cells| cells.get_mut(usize::from(when)))
                    {
                        *cell = old;
                    }
                }
                Undo::Deny { when, old } => {
                    if let Some(cell) = self.deny.get_mut(usize::from(when)) {
                        *cell = old;
                    }
                }
                Undo::Cut { slot, cut, old } => {
                    if let Some(depth) = self
                        .carried
                        .get_mut(usize::from(slot))
                        .and_then(|carried| carried.cut_depth.get_mut(usize::from(cut)))
                    {
                        *depth = old;
                    }
                }
            }
        }
    }

    /// The permissions the grants carried so far give on a resource of
    /// kind index `kind` labelled `target`, before ceilings: for each
    /// principal, its grants at or below its deepest override that holds
    /// here, whose own condition holds here, less the denies that hold here.
    fn permissions(&self, kind: usize, target: Labels) -> Permissions {
        let audience = self.principals.audience(self.policy);
        let holds = CONDITIONS.map(|condition| audience.meets(condition, || target));
        let at = |cells: &[Flattened; 3]| {
            cells
                .iter()
                .zip(holds)
                .filter(|&(_, held)| held)
                .fold(Permissions::empty(), |all, (cell, _)| {
                    all | cell.get(kind).copied().unwrap_or(Permissions::empty())
                })
        };
        let mut allow = Permissions::empty();
        for carried in &self.carried {
            // The deepest override that holds here cuts the most.
            let mut cut = 0;
            let mut deepest = 0;
            for (index, (&depth, held)) in carried.cut_depth.iter().zip(holds).enumerate() {
                if held && depth >= deepest {
                    (cut, deepest) = (index, depth);
                }
            }
            if let Some(cells) = carried.allow.get(cut) {
                allow |= at(cells);
            }
        }
        allow - at(&self.deny)
    }
}

impl Policy {
    /// Every resource at or below `within` (of `kind`, if given) whose
    /// permissions for `subject` contain `needed`, in id order: one walk
    /// down the tree, carrying the subject's grants from each resource to
    /// its children instead of walking up from every resource.
    ///
    /// # Cost
    ///
    /// That of [`walk_down`](Policy::walk_down) over the subtree, then
    /// sorting what is found. A key or link limited to a subtree below
    /// `within` is asked about that subtree only.
    pub(crate) fn accessible_down(
        &self,
        subject: &Subject,
        needed: Permissions,
        within: ResourceId,
        kind: Option<ResourceKind>,
    ) -> Vec<ResourceId> {
        let mut found = Vec::new();
        let Ok(prepared) = self.prepare(subject) else {
            return found;
        };
        // `place` on `within` settles every check that does not depend on
        // the resource; below it only a key's or link's subtree limit could
        // differ, and `within` being inside the limit puts all of it inside.
        let context = match self.place(&prepared, within) {
            Ok(context) => context,
            Err(Reason::KeyOutOfScope | Reason::LinkOutOfScope) => {
                // Limited to subtrees below `within`: exactly those.
                let link_root;
                let limits: &[u32] = match prepared {
                    Prepared::Account { key: Some(key), .. } => self.key_roots(key),
                    Prepared::Link { link, .. } => {
                        link_root = link.resource_id().map(|ResourceId(root)| root);
                        link_root.as_slice()
                    }
                    Prepared::Account { key: None, .. } => &[],
                };
                for &limit in limits {
                    if limit != within.0 && self.outermost_below(limit, within.0, limits) {
                        found.extend(self.accessible_down(
                            subject,
                            needed,
                            ResourceId(limit),
                            kind,
                        ));
                    }
                }
                found.sort_unstable();
                found.dedup();
                return found;
            }
            Err(_) => return found,
        };
        if needed.is_empty() {
            return found;
        }
        let tree = (&self.first_child[..], &self.next_sibling[..]);
        self.walk_down(
            subject,
            &context,
            within.0,
            tree,
            |node, record, permissions| {
                if !kind.is_some_and(|kind| record.kind != kind) && permissions.contains(needed) {
                    found.push(ResourceId(node));
                }
            },
        );
        found.sort_unstable();
        found
    }

    /// Whether `limit`, one of the sorted `limits` of a key or link, is
    /// below `within` with none of the others between: the subtrees to
    /// search, once each (one nested in another is searched with it, so
    /// that a key of nested subtrees costs no more than the outermost).
    fn outermost_below(&self, limit: u32, within: u32, limits: &[u32]) -> bool {
        let mut at = self.nodes.get(limit as usize).map(|node| node.parent);
        while let Some(node) = at {
            if node == within {
                return true;
            }
            if limits.binary_search(&node).is_ok() {
                return false;
            }
            at = self.nodes.get(node as usize).map(|node| node.parent);
        }
        false
    }

    /// Calls `each` with the permissions `subject` (placed by `context`)
    /// holds on `within` and on every resource below it that `tree` lists,
    /// parents before children: `tree` is a pair of child lists in the
    /// form of [`Policy::first_child`] and [`Policy::next_sibling`] (all of
    /// the subtree, or only the part a caller needs).
    ///
    /// # Cost
    ///
    /// Linear in the path above `within` and the resources `tree` lists:
    /// each is entered once (its group grants scanned once, the subject's
    /// own grants there found by binary search) and decided in time bounded
    /// by the number of the subject's principals, whatever the depth, the
    /// overrides (conditional or not) or the number of grants on the path.
    pub(crate) fn walk_down(
        &self,
        subject: &Subject,
        context: &Context<'_>,
        within: u32,
        (first_child, next_sibling): (&[u32], &[u32]),
        mut each: impl FnMut(u32, &Node, Permissions),
    ) {
        let ceiling = context.ceiling;
        let mut down = Down::new(self, context.principals);
        // The path from the tenant root down to `within`.
        let mut path = Vec::new();
        let mut at = within;
        while let Some(node) = self.nodes.get(at as usize) {
            path.push(at);
            at = node.parent;
        }
        for (depth, &node) in (0u32..).zip(path.iter().rev()) {
            down.enter(node, depth);
        }
        let mut visit = |down: &Down<'_>, node: u32| {
            let Some(record) = self.nodes.get(node as usize) else {
                return;
            };
            let mut permissions =
                down.permissions(record.kind.index(), self.labels_of(node)) & ceiling;
            if !subject.mfa() {
                permissions -= self.mfa_required;
            }
            each(node, record, permissions);
        };
        visit(&down, within);
        // Depth-first below `within`: (depth, undo mark, next child).
        let first = |node: u32| first_child.get(node as usize).copied().unwrap_or(NONE);
        let top = u32::try_from(path.len().saturating_sub(1)).unwrap_or(NONE);
        let mut frames: Vec<(u32, usize, u32)> = alloc::vec![(top, down.undo.len(), first(within))];
        while let Some(frame) = frames.last_mut() {
            let child = frame.2;
            if child == NONE {
                let mark = frame.1;
                frames.pop();
                down.rewind(mark);
                continue;
            }
            frame.2 = next_sibling.get(child as usize).copied().unwrap_or(NONE);
            let depth = frame.0.saturating_add(1);
            let mark = down.undo.len();
            down.enter(child, depth);
            visit(&down, child);
            frames.push((depth, mark, first(child)));
        }
    }
}
