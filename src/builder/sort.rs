//! Phase 7 of [`build`](super::PolicyBuilder::build): the grant runs.
//! Group grants are sorted by identity (by scope, then principal: a
//! node's run is contiguous and a principal's grants in it adjacent, so a
//! long run can be searched); users' own grants are gathered by user and
//! sorted ([`OwnRuns`]). Sorted, two grants of one identity sit side by
//! side, so one pass finds whether any grant is declared twice; each such
//! grant is then reported, naming both declarations.
//!
//! Done before the problems are returned, to report duplicates with the
//! rest; with problems, nothing sorted here is kept.
//!
//! Owns: the order of runs and the rule that a grant's identity is
//! declared once. Must never: lay a run out in a policy (the store does).

use alloc::format;
use alloc::vec::Vec;

use crate::directory::{TeamId, UserId};
use crate::error::{Entity, Problem, Problems};
use crate::grant::{Grantee, Principal};
use crate::policy::assemble::OwnRuns;
use crate::policy::{grant_identity, Catalog, GrantEntry, GrantIdentity, NONE};
use crate::resource::ResourceId;

use super::grants::Grants;
use super::PolicyBuilder;

/// The grant runs, sorted.
pub(super) struct Runs {
    /// Every group grant with its scope, sorted by identity.
    pub(super) group_grants: Vec<(ResourceId, GrantEntry)>,
    /// Every user's own grants, gathered and sorted.
    pub(super) own_grants: OwnRuns,
}

impl PolicyBuilder {
    /// Sorts the runs of `grants` (for `users` users) and reports every
    /// grant declared twice.
    pub(super) fn sort(
        &self,
        grants: Grants,
        catalog: &Catalog,
        users: usize,
        problems: &mut Problems,
    ) -> Runs {
        let Grants {
            mut group_grants,
            own_grants,
            scopes,
            grantees,
        } = grants;
        group_grants.sort_unstable_by_key(|(scope, entry)| entry.identity(scope.0));
        let own_grants = OwnRuns::sort(own_grants, users);
        let mut duplicated = group_grants.windows(2).any(|pair| {
            matches!(pair, [(a_scope, a), (b_scope, b)] if a.identity(a_scope.0) == b.identity(b_scope.0))
        });
        for (user, run) in own_grants.runs() {
            duplicated |= run
                .windows(2)
                .any(|pair| matches!(pair, [a, b] if a.identity(user.0) == b.identity(user.0)));
        }
        if duplicated {
            self.duplicate_grants(catalog, &scopes, &grantees, problems);
        }
        Runs {
            group_grants,
            own_grants,
        }
    }

    /// Every grant declared again with the identity of an earlier one
    /// ([`GrantIdentity`]), each naming both
    /// declarations, in declaration order. Run only once the compiled runs
    /// showed a duplicate: it sorts every grant once more. `scopes` and
    /// `grantees` are the grants' scope and user ids, resolved in bulk.
    fn duplicate_grants(
        &self,
        catalog: &Catalog,
        scopes: &[u32],
        grantees: &[u32],
        problems: &mut Problems,
    ) {
        let known = |id: Option<&u32>| id.copied().filter(|&id| id != NONE);
        let mut identities: Vec<(GrantIdentity, usize)> = self
            .grants
            .iter()
            .enumerate()
            .filter_map(|(index, grant)| {
                let scope = known(scopes.get(index))?;
                let role = known(catalog.role_ids.get(&grant.role))?;
                let principal = match &grant.grantee {
                    Grantee::User(_) => Principal::User(UserId(known(grantees.get(index))?)),
                    Grantee::Team(name) => Principal::Team(TeamId(catalog.teams.id(name)?)),
                    Grantee::Everyone => Principal::Everyone,
                    Grantee::Public => Principal::Public,
                };
                Some((grant_identity(principal, scope, role, grant.effect), index))
            })
            .collect();
        identities.sort_unstable();
        let place = |index: usize| match self.origins.get(&(Entity::Grant, index)) {
            Some(origin) => origin.clone(),
            None => format!("grant #{index}"),
        };
        // (later declaration, first declaration) pairs, found in identity
        // order and reported in declaration order; a problem's text is made
        // only for those listed (`Problems` caps them).
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut first: Option<(GrantIdentity, usize)> = None;
        for (identity, index) in identities {
            match first {
                Some((seen, at)) if seen == identity => found.push((index, at)),
                _ => first = Some((identity, index)),
            }
        }
        found.sort_unstable();
        for (index, at) in found {
            let Some(grant) = self.grants.get(index) else {
                continue;
            };
            problems.push_with(|| Problem::DuplicateGrant {
                referrer: place(index),
                first: place(at),
                grant: format!(
                    "{} on {:?}, role {:?}, {}",
                    grant.grantee, grant.scope, grant.role, grant.effect
                ),
            });
        }
    }
}
