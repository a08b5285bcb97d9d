//! Reading a document: [`Policy::from_document`] checks the document's own
//! parts (its version, revision and removed ids), declares its entries to a
//! [`PolicyBuilder`] in id order, each marked with its path, and builds.
//!
//! This file owns the way from a document to a policy. It must never check
//! the model itself (the builder does, once, for code and documents alike)
//! nor word a problem's path (`locate.rs` does), and it must never write a
//! policy's fields other than the revision the document carries.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::locate::locate;
use super::shape::{entry_path, list_name};
use super::PolicyDocument;
use crate::directory::{ApiKey, PublicLink, User};
use crate::error::{BuildError, DocumentError, DocumentProblem, Entity, Problem};
use crate::permission::Permissions;
use crate::policy::Policy;
use crate::role::Role;
use crate::PolicyBuilder;

#[cfg(doc)]
use super::RemovedDocument;

impl PolicyDocument {
    /// How many entries the list of `entity` holds.
    fn live(&self, entity: Entity) -> usize {
        match entity {
            Entity::Resource => self.resources.len(),
            Entity::Role => self.roles.len(),
            Entity::Team => self.teams.len(),
            Entity::User => self.users.len(),
            Entity::Key => self.keys.len(),
            Entity::Link => self.links.len(),
            Entity::Grant => self.grants.len(),
        }
    }

    /// Every removed id out of place: not above the one before it, or not
    /// below the number of ids of its kind (live and removed).
    fn removed_problems(&self) -> (Vec<DocumentProblem>, usize) {
        let mut problems = Vec::new();
        let mut omitted = 0usize;
        for (entity, list) in self.removed.lists() {
            let ids = self.live(entity).saturating_add(list.len());
            let mut previous: Option<u32> = None;
            for (position, &(id, _)) in list.iter().enumerate() {
                if id as usize >= ids || previous.is_some_and(|before| id <= before) {
                    // Capped as a build error's problems are.
                    if problems.len() >= BuildError::MAX_PROBLEMS {
                        omitted += 1;
                        continue;
                    }
                    problems.push(DocumentProblem {
                        path: format!("removed.{}[{position}]", list_name(entity)),
                        problem: Problem::MisplacedRemovedId { entity, id, ids },
                    });
                }
                previous = Some(id);
            }
        }
        (problems, omitted)
    }

    /// The document's declarations, each marked with its path so that the
    /// builder's problems name the place in the document.
    fn builder(&self) -> PolicyBuilder {
        let mut builder = PolicyBuilder::new();
        builder.mfa_required(self.mfa_required);
        if let Some(seats) = self.seats {
            builder.seats(seats);
        }
        for set in &self.exclusive_teams {
            builder.exclusive_teams(set.iter().cloned());
        }
        for required in &self.required_roles {
            match required.on_each {
                None => builder.require_role(required.of.clone(), required.role.clone()),
                Some(kind) => {
                    builder.require_role_on_each(required.of.clone(), required.role.clone(), kind)
                }
            };
        }
        let removed = &self.removed;
        in_id_order(
            &mut builder,
            Entity::Resource,
            &removed.resources,
            &self.resources,
            |builder, resource| {
                match &resource.parent {
                    None => builder.tenant(resource.name.clone(), resource.kind),
                    Some(parent) => {
                        builder.resource(resource.name.clone(), resource.kind, parent.clone())
                    }
                };
                if !resource.labels.is_empty() {
                    builder.labels(resource.name.clone(), resource.labels);
                }
            },
        );
        in_id_order(
            &mut builder,
            Entity::Role,
            &removed.roles,
            &self.roles,
            |builder, role| {
                let mut declared = Role::new(role.name.clone());
                for rule in &role.rules {
                    declared = declared.allow(rule.kinds.iter().copied(), rule.permissions);
                }
                for parent in &role.inherits {
                    declared = declared.inherits(parent.clone());
                }
                if let Some(user_types) = role.only_for {
                    declared = declared.only_for(user_types);
                }
                builder.role(declared);
            },
        );
        in_id_order(
            &mut builder,
            Entity::Team,
            &removed.teams,
            &self.teams,
            |builder, team| {
                builder.team(team.name.clone(), team.tenant.clone());
            },
        );
        in_id_order(
            &mut builder,
            Entity::User,
            &removed.users,
            &self.users,
            |builder, user| {
                let mut declared = User::new(user.name.clone(), user.tenant.clone())
                    .user_type(user.user_type)
                    .status(user.status);
                if let Some(channels) = user.channels {
                    declared = declared.channels(channels);
                }
                for team in &user.teams {
                    declared = declared.member_of(team.clone());
                }
                declared = declared.labels(user.labels);
                if user.protected {
                    declared = declared.protected();
                }
                builder.user(declared);
            },
        );
        for (index, grant) in self.grants.iter().enumerate() {
            builder.grant_when(
                grant.to.clone(),
                grant.scope.clone(),
                grant.role.clone(),
                grant.effect,
                grant.when,
            );
            builder.set_origin(Entity::Grant, entry_path(Entity::Grant, index));
        }
        in_id_order(
            &mut builder,
            Entity::Key,
            &removed.keys,
            &self.keys,
            |builder, key| {
                let mut declared = ApiKey::new(key.name.clone(), key.owner.clone())
                    .scope(key.scope.unwrap_or(Permissions::all()))
                    .revoked(key.revoked);
                for within in &key.within {
                    declared = declared.within(within.clone());
                }
                if let Some(at) = key.expires_at {
                    declared = declared.expires_at(at);
                }
                builder.api_key(declared);
            },
        );
        in_id_order(
            &mut builder,
            Entity::Link,
            &removed.links,
            &self.links,
            |builder, link| {
                let mut declared =
                    PublicLink::new(link.name.clone(), link.resource.clone(), link.permissions)
                        .revoked(link.revoked);
                if let Some(at) = link.expires_at {
                    declared = declared.expires_at(at);
                }
                builder.link(declared);
            },
        );
        builder
    }
}

/// Declares the entities of one kind in id order: the `removed` ids (checked
/// by [`PolicyDocument::removed_problems`]: increasing, below their count
/// and the entries') as removed slots, and the `entries` through `declare`
/// in the other ids, in order, each marked with its path (its position in
/// its list).
fn in_id_order<T>(
    builder: &mut PolicyBuilder,
    entity: Entity,
    removed: &[(u32, String)],
    entries: &[T],
    mut declare: impl FnMut(&mut PolicyBuilder, &T),
) {
    let mut removed = removed.iter().peekable();
    let mut entries = entries.iter().enumerate();
    for id in 0.. {
        match removed.peek() {
            Some((at, name)) if *at as usize == id => {
                builder.removed(entity, name.clone());
                removed.next();
            }
            _ => match entries.next() {
                Some((index, entry)) => {
                    declare(builder, entry);
                    builder.set_origin(entity, entry_path(entity, index));
                }
                None => break,
            },
        }
    }
}

/// Documents in.
impl Policy {
    /// Checks and compiles a document, as [`PolicyBuilder::build`] does a
    /// model declared in code.
    ///
    /// The problems found are reported at once, each with its path in the
    /// document: `grants[1]: unknown team "ops"`, `users[3].channels: …`;
    /// past [`BuildError::MAX_PROBLEMS`](crate::BuildError::MAX_PROBLEMS)
    /// of them, the error says how many more there are. Time and memory
    /// grow in proportion to the document (up to a logarithm), whatever its
    /// shape.
    ///
    /// ```
    /// use clearance::{DocumentError, Effect, GrantDocument, Grantee, Policy, PolicyDocument,
    ///     ResourceDocument, ResourceKind};
    ///
    /// let mut document = PolicyDocument::new();
    /// document.resources.push(ResourceDocument::new("acme", ResourceKind::Organization, None));
    /// document.grants.push(GrantDocument::new(Grantee::team("ops"), "acme", "admin", Effect::Allow));
    /// let error = Policy::from_document(&document).unwrap_err();
    /// assert_eq!(
    ///     error.to_string(),
    ///     "the document has 2 problems\n\
    ///      - grants[0]: unknown role \"admin\"\n\
    ///      - grants[0]: unknown team \"ops\"",
    /// );
    /// ```
    ///
    /// The ids of the policy are those the document gives (removed ones
    /// included, see [`RemovedDocument`]), and its revision the document's.
    ///
    /// # Errors
    ///
    /// [`DocumentError::UnsupportedVersion`] for a version other than
    /// [`PolicyDocument::VERSION`];
    /// [`DocumentError::RevisionTooLarge`] for a revision above
    /// [`PolicyDocument::MAX_REVISION`]; [`DocumentError::Invalid`] with
    /// the misplaced removed ids or else the problems of the model, each
    /// with its path (the first [`BuildError::MAX_PROBLEMS`](crate::BuildError::MAX_PROBLEMS), and how many more).
    pub fn from_document(document: &PolicyDocument) -> Result<Policy, DocumentError> {
        Policy::compile(document, None)
    }

    /// [`from_document`](Policy::from_document) with the host's key for
    /// the hash of the policy's name tables, as
    /// [`PolicyBuilder::hash_seed`] sets it: for hosts without the `std`
    /// feature that load documents whose names they do not trust. With
    /// `std`, [`from_document`](Policy::from_document) draws a random key
    /// and this is not needed.
    ///
    /// # Errors
    ///
    /// As [`from_document`](Policy::from_document).
    pub fn from_document_seeded(
        document: &PolicyDocument,
        seed: u128,
    ) -> Result<Policy, DocumentError> {
        Policy::compile(document, Some(seed))
    }

    fn compile(document: &PolicyDocument, seed: Option<u128>) -> Result<Policy, DocumentError> {
        if document.version != PolicyDocument::VERSION {
            return Err(DocumentError::UnsupportedVersion {
                found: document.version,
                supported: PolicyDocument::VERSION,
            });
        }
        if document.revision > PolicyDocument::MAX_REVISION {
            return Err(DocumentError::RevisionTooLarge {
                found: document.revision,
                max: PolicyDocument::MAX_REVISION,
            });
        }
        let (problems, omitted) = document.removed_problems();
        if !problems.is_empty() {
            return Err(DocumentError::Invalid { problems, omitted });
        }
        let mut builder = document.builder();
        if let Some(seed) = seed {
            builder.hash_seed(seed);
        }
        let mut policy = builder.build().map_err(|error| DocumentError::Invalid {
            problems: locate(document, error.problems()),
            omitted: error.omitted(),
        })?;
        policy.revision = document.revision;
        Ok(policy)
    }
}
