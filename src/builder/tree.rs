//! Phase 2 of [`build`](super::PolicyBuilder::build): the resource
//! tree. Each resource's parent is resolved, each gets its tenant (the
//! root above it) without recursion, and each cycle is reported once;
//! resources' labels are resolved here too.
//!
//! Owns: parents, tenants and cycles of declared resources. Must never:
//! make a node or a child list (the store lays them out from
//! [`ResourceParts`]).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::error::{lookup, Entity, Problem, Problems};
use crate::label::Labels;
use crate::policy::assemble::ResourceParts;
use crate::policy::rules::crosses_tenants;
use crate::policy::{Catalog, NONE, REMOVED};
use crate::resource::{ResourceDecl, ResourceId};

use super::PolicyBuilder;

/// The resources' parents and tenants, by id ([`NONE`] for a root's
/// parent, and for the tenant of a resource on or below a cycle or an
/// unknown parent).
pub(super) struct Tree {
    parents: Vec<u32>,
    tenants: Vec<u32>,
}

impl Tree {
    /// The id of the tenant named `name`, if `name` is a root.
    pub(super) fn tenant_named(&self, catalog: &Catalog, name: &str) -> Option<u32> {
        let id = catalog.resources.id(name)?;
        (*self.parents.get(id as usize)? == NONE).then_some(id)
    }

    /// The tenant of resource `id` ([`NONE`] when unresolved).
    pub(super) fn tenant_of(&self, id: u32) -> u32 {
        self.tenants.get(id as usize).copied().unwrap_or(NONE)
    }
}

impl PolicyBuilder {
    /// Resolves every resource's parent and tenant.
    pub(super) fn tree(&self, catalog: &Catalog, problems: &mut Problems) -> Tree {
        let parents: Vec<u32> = self
            .resources
            .iter()
            .enumerate()
            .map(|(index, decl)| match &decl.parent {
                None => NONE,
                Some(parent) => lookup(
                    &catalog.resources,
                    parent,
                    Entity::Resource,
                    || {
                        self.origin_or(Entity::Resource, index, || {
                            format!("resource {:?}", decl.name)
                        })
                    },
                    problems,
                ),
            })
            .collect();
        let tenants = resolve_tenants(&parents, &self.resources, problems);
        Tree { parents, tenants }
    }

    /// The declared name of resource `id` (`?` for none).
    pub(super) fn resource_name(&self, id: u32) -> &str {
        self.resources
            .get(id as usize)
            .map_or("?", |decl| decl.name.as_str())
    }

    /// Records a problem when `what` (of tenant `theirs`) is used where
    /// tenant `ours` is expected ([`crosses_tenants`]).
    pub(super) fn cross_check(
        &self,
        theirs: u32,
        ours: u32,
        what: &str,
        referrer: impl FnOnce() -> String,
        problems: &mut Problems,
    ) {
        if crosses_tenants(resolved(theirs), resolved(ours)) {
            problems.push_with(|| Problem::CrossesTenants {
                referrer: referrer(),
                what: what.to_string(),
                tenant: self.resource_name(ours).to_string(),
                other_tenant: self.resource_name(theirs).to_string(),
            });
        }
    }

    /// Every resource's labels, by id.
    pub(super) fn resource_labels(
        &self,
        catalog: &Catalog,
        problems: &mut Problems,
    ) -> Vec<Labels> {
        let mut labels = vec![Labels::empty(); self.resources.len()];
        for (index, (name, set)) in self.labels.iter().enumerate() {
            let resource = lookup(
                &catalog.resources,
                name,
                Entity::Resource,
                || format!("labels #{index}"),
                problems,
            );
            if let Some(slot) = labels.get_mut(resource as usize) {
                *slot = *set;
            }
        }
        labels
    }

    /// The resources as the store lays them out: a removed resource is a
    /// root without a tenant.
    pub(super) fn resource_parts(&self, tree: &Tree) -> Vec<ResourceParts> {
        self.resources
            .iter()
            .zip(tree.parents.iter().zip(&tree.tenants))
            .enumerate()
            .map(|(index, (decl, (&parent, &tenant)))| ResourceParts {
                parent: (parent != NONE).then_some(ResourceId(parent)),
                tenant: if self.is_removed(Entity::Resource, index) {
                    REMOVED
                } else {
                    tenant
                },
                kind: decl.kind,
            })
            .collect()
    }
}

/// The tenant (root) of every resource, without recursion. Resources on or
/// below a cycle, or below an unknown parent, get [`NONE`]; cycles are
/// reported once each.
fn resolve_tenants(parents: &[u32], decls: &[ResourceDecl], problems: &mut Problems) -> Vec<u32> {
    const UNKNOWN: u32 = NONE - 1;
    let mut tenants = vec![UNKNOWN; parents.len()];
    // Which start visited a node on the current walk, to see cycles.
    let mut seen_by = vec![NONE; parents.len()];
    let mut path = Vec::new();
    for start in 0..parents.len() {
        if tenants.get(start) != Some(&UNKNOWN) {
            continue;
        }
        path.clear();
        let mut at = start;
        let tenant = loop {
            match tenants.get(at) {
                Some(&UNKNOWN) => {}
                Some(&known) => break known,
                None => break NONE,
            }
            if seen_by.get(at) == Some(&(start as u32)) {
                // `at` is on the current path: the path from `at` on is a cycle.
                let from = path.iter().position(|&p| p == at).unwrap_or(0);
                problems.push_with(|| Problem::ResourceCycle {
                    names: path
                        .get(from..)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|&p: &usize| decls.get(p).map(|d| d.name.clone()))
                        .collect(),
                });
                break NONE;
            }
            if let Some(slot) = seen_by.get_mut(at) {
                *slot = start as u32;
            }
            path.push(at);
            match parents.get(at) {
                Some(&NONE) => break at as u32,
                Some(&parent) => at = parent as usize,
                None => break NONE,
            }
        };
        for &p in &path {
            if let Some(slot) = tenants.get_mut(p) {
                *slot = tenant;
            }
        }
    }
    tenants
}

/// A tenant from the builder's resolution arrays as an id: `None` for one
/// that did not resolve ([`NONE`]). What the tenant checks
/// ([`crosses_tenants`]) take; the arrays keep their `u32`s, 4 bytes a slot.
/// A removed entity's [`REMOVED`] never reaches here: its name is forgotten
/// in the catalog, so no reference resolves to it.
pub(super) fn resolved(tenant: u32) -> Option<ResourceId> {
    (tenant != NONE).then_some(ResourceId(tenant))
}
