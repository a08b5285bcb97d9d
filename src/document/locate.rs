//! The document's error mapping: the path (`grants[3]`,
//! `users[1].channels`, `roles[2].inherits[0]`) of the entry each problem
//! of a document's build is about, so that a [`DocumentError`] points at
//! the place to fix.
//!
//! This file owns turning a builder's [`Problem`] into a
//! [`DocumentProblem`]. It must never find problems of its own nor change
//! one: the problem is the builder's, only its path is added here.
//!
//! [`DocumentError`]: crate::DocumentError

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::shape::{entry_path, list_name};
use super::PolicyDocument;
use crate::error::{DocumentProblem, Entity, Problem};

/// Gives each problem of a document's build the path of the entry it is
/// about. Problems that name an entry by its origin (`grants[3]: …`) carry
/// their path already; the others name entities, found here by name.
pub(super) fn locate(document: &PolicyDocument, problems: &[Problem]) -> Vec<DocumentProblem> {
    let finder = Finder::new(document);
    // How many duplicates of each name were met so far: the builder
    // reports every declaration after the first, in order.
    let mut duplicates: BTreeMap<(Entity, &str), usize> = BTreeMap::new();
    problems
        .iter()
        .map(|problem| {
            let path = match problem {
                Problem::UnknownReference {
                    referrer,
                    entity: Entity::Role,
                    name,
                } if origin(referrer).is_none() => finder
                    .inheritance(referrer, name)
                    .unwrap_or_else(|| referrer.clone()),
                Problem::UnknownReference { referrer, .. }
                | Problem::NotATenant { referrer, .. }
                | Problem::CrossesTenants { referrer, .. }
                | Problem::DuplicateGrant { referrer, .. }
                | Problem::IneligibleRole { referrer, .. } => {
                    origin(referrer).unwrap_or(referrer).to_string()
                }
                Problem::DuplicateName { entity, name } => {
                    let seen = duplicates.entry((*entity, name.as_str())).or_insert(0);
                    *seen += 1;
                    finder.path(*entity, name, *seen)
                }
                Problem::ResourceCycle { names } => finder.path(
                    Entity::Resource,
                    names.first().map_or("", String::as_str),
                    0,
                ),
                Problem::RoleCycle { names } => {
                    finder.path(Entity::Role, names.first().map_or("", String::as_str), 0)
                }
                Problem::ChannelsNotAllowed { user, .. } => {
                    format!("{}.channels", finder.path(Entity::User, user, 0))
                }
                Problem::TooManyTeams { user, .. } | Problem::NotInExactlyOneTeam { user, .. } => {
                    format!("{}.teams", finder.path(Entity::User, user, 0))
                }
                Problem::TooMany { entity, .. } => list_name(*entity).to_string(),
                Problem::MisplacedRemovedId { entity, .. } => {
                    format!("removed.{}", list_name(*entity))
                }
                Problem::SeatsExceeded { .. } => "seats".to_string(),
                Problem::EmptyExclusiveSet { index } => format!("exclusive_teams[{index}]"),
            };
            DocumentProblem {
                path,
                problem: problem.clone(),
            }
        })
        .collect()
}

/// Positions of a document's entries by name, to turn a problem that names
/// an entity into a path.
struct Finder<'d> {
    document: &'d PolicyDocument,
    names: BTreeMap<(Entity, &'d str), Vec<usize>>,
    /// Roles by the way problems name them (`role "editor"`).
    role_referrers: BTreeMap<String, Vec<usize>>,
}

impl<'d> Finder<'d> {
    fn new(document: &'d PolicyDocument) -> Finder<'d> {
        let mut names: BTreeMap<(Entity, &str), Vec<usize>> = BTreeMap::new();
        let mut add = |entity: Entity, list: &mut dyn Iterator<Item = &'d String>| {
            for (position, name) in list.enumerate() {
                names
                    .entry((entity, name.as_str()))
                    .or_default()
                    .push(position);
            }
        };
        add(
            Entity::Resource,
            &mut document.resources.iter().map(|r| &r.name),
        );
        add(Entity::Role, &mut document.roles.iter().map(|r| &r.name));
        add(Entity::Team, &mut document.teams.iter().map(|t| &t.name));
        add(Entity::User, &mut document.users.iter().map(|u| &u.name));
        add(Entity::Key, &mut document.keys.iter().map(|k| &k.name));
        add(Entity::Link, &mut document.links.iter().map(|l| &l.name));
        let mut role_referrers: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (position, role) in document.roles.iter().enumerate() {
            role_referrers
                .entry(format!("role {:?}", role.name))
                .or_default()
                .push(position);
        }
        Finder {
            document,
            names,
            role_referrers,
        }
    }

    /// The path of the `nth` entry (from 0) of `entity` named `name`, or
    /// of the whole list if there is no such entry.
    fn path(&self, entity: Entity, name: &str, nth: usize) -> String {
        match self
            .names
            .get(&(entity, name))
            .and_then(|positions| positions.get(nth))
        {
            Some(&position) => entry_path(entity, position),
            None => list_name(entity).to_string(),
        }
    }

    /// The path of a role's unknown parent (`roles[2].inherits[0]`): roles
    /// check their inheritance by name, so the problem names the role
    /// (`role "editor"`), not its origin.
    fn inheritance(&self, referrer: &str, parent: &str) -> Option<String> {
        self.role_referrers
            .get(referrer)?
            .iter()
            .find_map(|&index| {
                let role = self.document.roles.get(index)?;
                let position = role.inherits.iter().position(|p| p == parent)?;
                Some(format!("roles[{index}].inherits[{position}]"))
            })
    }
}

/// The origin a referrer starts with (`grants[3]` of `grants[3] through
/// team "ops"`), if it starts with one.
fn origin(referrer: &str) -> Option<&str> {
    let head = referrer.split(' ').next()?;
    let (list, rest) = head.split_once('[')?;
    let digits = rest.strip_suffix(']')?;
    let well_formed = !list.is_empty()
        && list.bytes().all(|b| b.is_ascii_lowercase())
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit());
    well_formed.then_some(head)
}
