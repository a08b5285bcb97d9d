//! Phase 6 of [`build`](super::PolicyBuilder::build): API keys and
//! public links. Each key's owner and subtree, and each link's resource,
//! are resolved; a key limited to a subtree of another tenant than its
//! owner's is refused.
//!
//! Owns: resolving keys and links. Must never: restate a rule of
//! [`rules`](crate::policy::rules).

use alloc::format;
use alloc::vec::Vec;

use crate::directory::UserId;
use crate::error::{lookup, Entity, Problems};
use crate::policy::{Catalog, KeyRecord, LinkRecord};
use crate::resource::ResourceId;

use super::members::Members;
use super::tree::Tree;
use super::PolicyBuilder;

impl PolicyBuilder {
    /// Resolves every API key.
    pub(super) fn keys(
        &self,
        catalog: &Catalog,
        tree: &Tree,
        members: &Members,
        problems: &mut Problems,
    ) -> (Vec<KeyRecord>, Vec<Vec<u32>>) {
        let mut keys = Vec::with_capacity(self.keys.len());
        let mut subtrees = Vec::new();
        for (index, api_key) in self.keys.iter().enumerate() {
            if self.is_removed(Entity::Key, index) {
                keys.push(KeyRecord::removed(api_key));
                continue;
            }
            let referrer =
                || self.origin_or(Entity::Key, index, || format!("API key {:?}", api_key.name));
            let owner = lookup(
                &catalog.users,
                &api_key.owner,
                Entity::User,
                referrer,
                problems,
            );
            let mut roots: Vec<ResourceId> = Vec::with_capacity(api_key.within.len());
            for name in &api_key.within {
                let within = lookup(
                    &catalog.resources,
                    name,
                    Entity::Resource,
                    referrer,
                    problems,
                );
                let owner_tenant = members.tenant_of_user(owner);
                let within_tenant = tree.tenant_of(within);
                self.cross_check(within_tenant, owner_tenant, name, referrer, problems);
                roots.push(ResourceId(within));
            }
            roots.sort_unstable();
            roots.dedup();
            keys.push(KeyRecord::new(
                UserId(owner),
                &roots,
                api_key,
                &mut subtrees,
            ));
        }
        (keys, subtrees)
    }

    /// Resolves every public link.
    pub(super) fn links(&self, catalog: &Catalog, problems: &mut Problems) -> Vec<LinkRecord> {
        let mut links = Vec::with_capacity(self.links.len());
        for (index, link) in self.links.iter().enumerate() {
            if self.is_removed(Entity::Link, index) {
                links.push(LinkRecord::removed(link));
                continue;
            }
            let resource = lookup(
                &catalog.resources,
                &link.resource,
                Entity::Resource,
                || self.origin_or(Entity::Link, index, || format!("link {:?}", link.name)),
                problems,
            );
            links.push(LinkRecord::new(ResourceId(resource), link));
        }
        links
    }
}
