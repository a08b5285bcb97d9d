//! Building a policy: declare a model by names, compile it to dense ids.
//! The concept is documented on [`PolicyBuilder`], where users read it.

use alloc::collections::btree_map::Entry;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::directory::{ApiKey, PublicLink, Status, TeamId, User, UserId, UserType, UserTypes};
use crate::error::{lookup, resolved, BuildError, Entity, Problem, Problems};
use crate::grant::{Effect, GrantDecl, Grantee, Principal};
use crate::label::{Condition, Labels};
use crate::names::{HashSeed, NameTable, TextFull};
use crate::permission::Permissions;
use crate::policy::{
    grant_identity, key, set_own_grant_count, set_wide_filter, Catalog, GrantEntry, GrantIdentity,
    KeyRecord, LinkRecord, Node, Policy, Seats, State, UserGrant, UserRecord, LINEAR_RUN,
    MAX_TEAMS_PER_USER, NONE, NO_WIDE, REMOVED,
};
use crate::resource::{ResourceDecl, ResourceKind};
use crate::role::{Role, TeamTypes};

/// Declares a model by names and builds a [`Policy`].
///
/// A [`PolicyBuilder`] takes declarations in any order (a resource may name
/// a parent declared later) and [`build`](PolicyBuilder::build) checks the
/// whole model at once. It refuses a model with unknown references,
/// duplicate names, the same grant twice (one principal, scope, role and
/// effect, whatever the conditions: see [`Grant`](crate::Grant)), cycles
/// among resources or role inheritance, anything
/// that crosses tenants, or a role given to a user type that may not hold
/// it (or a role it inherits may not), and it reports all such problems
/// at once, each naming the entities involved (the first
/// [`BuildError::MAX_PROBLEMS`], and how many more). A model that builds is
/// compiled once into the flat layout of [`Policy`]: names resolved to ids,
/// roles flattened, grants sorted.
///
/// No step recurses: a 100,000-deep folder chain builds like a flat one.
/// Checking and compiling take time and memory in proportion to the model
/// (up to a logarithm), whatever its shape: a model that would report
/// millions of problems reports each cycle once, each role and team once,
/// and keeps the first of them.
///
/// ```
/// use clearance::*;
///
/// let policy = PolicyBuilder::new()
///     .tenant("acme", ResourceKind::Organization)
///     .resource("marketing", ResourceKind::Workspace, "acme")
///     .resource("campaigns", ResourceKind::Folder, "marketing")
///     .resource("launch", ResourceKind::Flow, "campaigns")
///     .role(Role::new("editor").allow([ResourceKind::Folder, ResourceKind::Flow], Permissions::VIEW | Permissions::EDIT))
///     .team("writers", "acme")
///     .user(User::new("ann", "acme").member_of("writers"))
///     .grant(Grantee::team("writers"), "campaigns", "editor", Effect::Allow)
///     .build()?;
///
/// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
/// let launch = policy.resource_id("launch").unwrap();
/// assert!(policy.authorize(&ann, Action::Edit, launch).is_allowed());
/// assert!(!policy.authorize(&ann, Action::Delete, launch).is_allowed());
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyBuilder {
    resources: Vec<ResourceDecl>,
    roles: Vec<Role>,
    teams: Vec<(String, String)>,
    users: Vec<User>,
    grants: Vec<GrantDecl>,
    keys: Vec<ApiKey>,
    links: Vec<PublicLink>,
    mfa_required: Permissions,
    seats: Option<Seats>,
    /// Labels of resources, by name.
    labels: Vec<(String, Labels)>,
    /// Where each declaration came from, when it came from a document
    /// (`grants[3]`): problems name that place instead of the entity.
    origins: BTreeMap<(Entity, usize), String>,
    /// The declarations (kind, position) that stand for removed entities,
    /// from a document's [`RemovedDocument`](crate::RemovedDocument).
    removed: BTreeSet<(Entity, usize)>,
    /// The host's key for the name tables' hash, if it gave one.
    hash_seed: Option<HashSeed>,
}

impl PolicyBuilder {
    /// An empty model.
    #[must_use]
    pub fn new() -> PolicyBuilder {
        PolicyBuilder::default()
    }

    /// Declares a tenant: a root resource (an organization, a Boomi tenant
    /// or subtenant). Nothing crosses from one tenant to another.
    pub fn tenant(&mut self, name: impl Into<String>, kind: ResourceKind) -> &mut PolicyBuilder {
        self.resources.push(ResourceDecl {
            name: name.into(),
            kind,
            parent: None,
        });
        self
    }

    /// Declares a resource below the resource named `parent`.
    pub fn resource(
        &mut self,
        name: impl Into<String>,
        kind: ResourceKind,
        parent: impl Into<String>,
    ) -> &mut PolicyBuilder {
        self.resources.push(ResourceDecl {
            name: name.into(),
            kind,
            parent: Some(parent.into()),
        });
        self
    }

    /// Declares a role.
    pub fn role(&mut self, role: Role) -> &mut PolicyBuilder {
        self.roles.push(role);
        self
    }

    /// Declares a team of the tenant named `tenant`.
    pub fn team(
        &mut self,
        name: impl Into<String>,
        tenant: impl Into<String>,
    ) -> &mut PolicyBuilder {
        self.teams.push((name.into(), tenant.into()));
        self
    }

    /// Declares a user.
    pub fn user(&mut self, user: User) -> &mut PolicyBuilder {
        self.users.push(user);
        self
    }

    /// Grants `role` on the resource named `scope` (and everything below
    /// it) to `grantee`, with the given effect.
    pub fn grant(
        &mut self,
        grantee: Grantee,
        scope: impl Into<String>,
        role: impl Into<String>,
        effect: Effect,
    ) -> &mut PolicyBuilder {
        self.grant_when(grantee, scope, role, effect, Condition::Always)
    }

    /// Like [`grant`](PolicyBuilder::grant), but the grant applies only
    /// when `condition` holds between the subject's labels and the labels
    /// of the resource asked about (an attribute filter, such as
    /// Smartflow's distribution query).
    pub fn grant_when(
        &mut self,
        grantee: Grantee,
        scope: impl Into<String>,
        role: impl Into<String>,
        effect: Effect,
        condition: Condition,
    ) -> &mut PolicyBuilder {
        self.grants.push(GrantDecl {
            grantee,
            scope: scope.into(),
            role: role.into(),
            effect,
            condition,
        });
        self
    }

    /// Sets the labels of the resource named `resource` (declared before or
    /// after), compared by conditional grants.
    pub fn labels(&mut self, resource: impl Into<String>, labels: Labels) -> &mut PolicyBuilder {
        self.labels.push((resource.into(), labels));
        self
    }

    /// Declares an API key.
    pub fn api_key(&mut self, key: ApiKey) -> &mut PolicyBuilder {
        self.keys.push(key);
        self
    }

    /// Declares a public link.
    pub fn link(&mut self, link: PublicLink) -> &mut PolicyBuilder {
        self.links.push(link);
        self
    }

    /// These permissions need a session that passed multi-factor
    /// authentication ([`Subject::with_mfa`](crate::Subject::with_mfa));
    /// without it they are removed, with the reason
    /// [`MfaRequired`](crate::Reason::MfaRequired).
    pub fn mfa_required(&mut self, permissions: Permissions) -> &mut PolicyBuilder {
        self.mfa_required |= permissions;
        self
    }

    /// Limits how many users of the counted types may be active at once
    /// (a licence seat cap); a model beyond it does not build.
    pub fn seats(&mut self, seats: Seats) -> &mut PolicyBuilder {
        self.seats = Some(seats);
        self
    }

    /// Keys the hash of the policy's name tables with `seed` (128 bits the
    /// host keeps secret, fresh for each process or policy) instead of a
    /// key of its own choosing.
    ///
    /// Names are looked up through hash tables; if whoever picks the names
    /// (users of an admin screen, the author of a document) could predict
    /// the hash, they could choose thousands of names that collide and
    /// make every build and every `*_id` lookup walk all of them. With the
    /// `std` feature (the default) each policy draws its own random key
    /// and there is no need to call this. Without `std` the crate has no
    /// source of randomness and uses a fixed key: call this with a seed
    /// from the platform's random source whenever names come from people
    /// who are not trusted ([`Policy::from_document_seeded`] does the same
    /// for documents). The seed only decides where names sit in the
    /// tables, never ids or decisions: policies built with different seeds
    /// are equal.
    ///
    /// ```
    /// use clearance::{PolicyBuilder, ResourceKind};
    ///
    /// let seed = 0x5eed_u128; // on a real device: 16 bytes from its random source
    /// let policy = PolicyBuilder::new()
    ///     .hash_seed(seed)
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .build()?;
    /// let random = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
    /// assert_eq!(policy, random);
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    pub fn hash_seed(&mut self, seed: u128) -> &mut PolicyBuilder {
        self.hash_seed = Some(HashSeed::new(seed));
        self
    }

    /// Records where the most recent declaration of `entity` came from, so
    /// that problems with it name that place (a path in a document).
    pub(crate) fn set_origin(&mut self, entity: Entity, origin: String) -> &mut PolicyBuilder {
        let count = match entity {
            Entity::Resource => self.resources.len(),
            Entity::User => self.users.len(),
            Entity::Team => self.teams.len(),
            Entity::Role => self.roles.len(),
            Entity::Key => self.keys.len(),
            Entity::Link => self.links.len(),
            Entity::Grant => self.grants.len(),
        };
        if let Some(index) = count.checked_sub(1) {
            self.origins.insert((entity, index), origin);
        }
        self
    }

    /// Declares a removed entity of kind `entity` that was named `name`: it
    /// takes the next id of its kind, which names nothing a decision can
    /// reach, as removing one with a [`Change`](crate::Change) leaves it.
    /// `name` stays the id's name (for explanations) but stands for
    /// nothing. Documents declare their removed ids this way, so that a
    /// rebuilt policy keeps every id.
    pub(crate) fn removed(&mut self, entity: Entity, name: String) -> &mut PolicyBuilder {
        let index = match entity {
            Entity::Resource => {
                self.resources.push(ResourceDecl {
                    name,
                    kind: ResourceKind::Organization,
                    parent: None,
                });
                self.resources.len()
            }
            Entity::Role => {
                self.roles.push(Role::new(name));
                self.roles.len()
            }
            Entity::Team => {
                self.teams.push((name, String::new()));
                self.teams.len()
            }
            Entity::User => {
                self.users
                    .push(User::new(name, String::new()).status(Status::Deactivated));
                self.users.len()
            }
            Entity::Key => {
                self.keys
                    .push(ApiKey::new(name, String::new()).revoked(true));
                self.keys.len()
            }
            Entity::Link => {
                self.links
                    .push(PublicLink::new(name, String::new(), Permissions::empty()).revoked(true));
                self.links.len()
            }
            Entity::Grant => return self,
        };
        self.removed.insert((entity, index - 1));
        self
    }

    /// Whether declaration `index` of `entity` stands for a removed entity.
    fn is_removed(&self, entity: Entity, index: usize) -> bool {
        !self.removed.is_empty() && self.removed.contains(&(entity, index))
    }

    /// The origin of declaration `index` of `entity`, or a description of it.
    fn origin_or(&self, entity: Entity, index: usize, describe: impl FnOnce() -> String) -> String {
        match self.origins.get(&(entity, index)) {
            Some(origin) => origin.clone(),
            None => describe(),
        }
    }

    /// Checks the whole model and compiles it.
    ///
    /// # Errors
    ///
    /// A [`BuildError`] listing every [`Problem`] found.
    pub fn build(&self) -> Result<Policy, BuildError> {
        let mut problems = Problems::default();
        let catalog = self.catalog(&mut problems);

        // Resources: parents, cycles, tenants.
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
                    &mut problems,
                ),
            })
            .collect();
        let tenants = resolve_tenants(&parents, &self.resources, &mut problems);
        let tenant_of_name = |name: &str| -> Option<u32> {
            let id = catalog.resources.id(name)?;
            (*parents.get(id as usize)? == NONE).then_some(id)
        };
        let resource_name = |id: u32| -> &str {
            self.resources
                .get(id as usize)
                .map_or("?", |decl| decl.name.as_str())
        };

        let flat = crate::role::flatten(&self.roles, &catalog.role_ids, &mut problems);
        let (roles, role_eligible) = (flat.permissions, flat.eligible);

        // Teams and users.
        let team_tenants: Vec<u32> = self
            .teams
            .iter()
            .enumerate()
            .map(|(index, (name, tenant))| {
                if self.is_removed(Entity::Team, index) {
                    return REMOVED;
                }
                tenant_or_problem(&catalog, tenant_of_name(tenant), tenant, || {
                    self.origin_or(Entity::Team, index, || format!("team {name:?}"))
                })
                .map_err(|problem| problems.push(problem))
                .unwrap_or(NONE)
            })
            .collect();
        let mut users = Vec::with_capacity(self.users.len());
        let mut user_teams: Vec<u32> = Vec::new();
        let mut team_types = TeamTypes::new(self.teams.len());
        let mut invitations: BTreeMap<u32, u64> = BTreeMap::new();
        let mut user_labels: Vec<Labels> = Vec::new();
        for (index, user) in self.users.iter().enumerate() {
            let id = u32::try_from(index).unwrap_or(NONE);
            if self.is_removed(Entity::User, index) {
                // What removing a user leaves: no tenant, teams or labels.
                let start = u32::try_from(user_teams.len()).unwrap_or(NONE);
                users.push(UserRecord::new(
                    REMOVED,
                    key::filter_bit(key::EVERYONE),
                    start,
                    0,
                    State::Deactivated,
                    user.user_type,
                    user.user_type.channels(),
                ));
                continue;
            }
            let referrer =
                || self.origin_or(Entity::User, index, || format!("user {:?}", user.name));
            let tenant = tenant_or_problem(
                &catalog,
                tenant_of_name(&user.tenant),
                &user.tenant,
                referrer,
            )
            .map_err(|problem| problems.push(problem))
            .unwrap_or(NONE);
            let type_channels = user.user_type.channels();
            let channels = match user.channels {
                Some(asked) if !type_channels.contains(asked) => {
                    problems.push_with(|| Problem::ChannelsNotAllowed {
                        user: user.name.clone(),
                        user_type: user.user_type,
                        extra: asked - type_channels,
                    });
                    asked & type_channels
                }
                Some(asked) => asked,
                None => type_channels,
            };
            let start = user_teams.len();
            for team in &user.teams {
                let team_id = lookup(&catalog.teams, team, Entity::Team, referrer, &mut problems);
                let Some(&team_tenant) = team_tenants.get(team_id as usize) else {
                    continue;
                };
                if tenant != NONE && team_tenant != NONE && team_tenant != tenant {
                    problems.push_with(|| Problem::CrossesTenants {
                        referrer: format!("{} (membership in team {team:?})", referrer()),
                        what: team.clone(),
                        tenant: user.tenant.clone(),
                        other_tenant: resource_name(team_tenant).to_string(),
                    });
                    continue;
                }
                user_teams.push(team_id);
            }
            let teams = user_teams.get_mut(start..).unwrap_or(&mut []);
            teams.sort_unstable();
            let mut unique = teams.len();
            if unique > 1 {
                // Dedup in place (a user named a team twice).
                let mut write = 1;
                for read in 1..teams.len() {
                    if teams.get(read) != teams.get(write - 1) {
                        teams.swap(read, write);
                        write += 1;
                    }
                }
                unique = write;
            }
            user_teams.truncate(start + unique);
            if unique > MAX_TEAMS_PER_USER {
                problems.push_with(|| Problem::TooManyTeams {
                    user: user.name.clone(),
                    count: unique,
                    max: MAX_TEAMS_PER_USER,
                });
            }
            let mut filter = key::filter_bit(key::EVERYONE);
            for &team in user_teams.get(start..).unwrap_or(&[]) {
                filter |= key::filter_bit(key::TEAM | team);
                team_types.add(team, id, user.user_type);
            }
            users.push(UserRecord::new(
                tenant,
                filter,
                u32::try_from(start).unwrap_or(NONE),
                unique,
                State::of(user.status),
                user.user_type,
                channels,
            ));
            if let Status::Invited { until } = user.status {
                invitations.insert(id, until);
            }
            if !user.labels.is_empty() {
                if user_labels.is_empty() {
                    user_labels = vec![Labels::empty(); self.users.len()];
                }
                if let Some(slot) = user_labels.get_mut(index) {
                    *slot = user.labels;
                }
            }
        }

        // Grants. Their scopes and users resolved in bulk first: with
        // millions of grants, resolving names is most of building.
        let scopes = catalog
            .resources
            .ids(self.grants.iter().map(|grant| grant.scope.as_str()));
        let grantees = catalog
            .users
            .ids(self.grants.iter().map(|grant| match &grant.grantee {
                Grantee::User(name) => name.as_str(),
                _ => "",
            }));
        let mut entries: Vec<(u32, GrantEntry)> = Vec::with_capacity(self.grants.len());
        let mut own_grants: Vec<(u32, UserGrant)> = Vec::new();
        // Each role given to a team with a member it is not open to is
        // reported once, at its first grant: not once per grant and member.
        let mut ineligible_teams: BTreeSet<(u32, u32)> = BTreeSet::new();
        for (index, grant) in self.grants.iter().enumerate() {
            let referrer = || {
                self.origin_or(Entity::Grant, index, || {
                    format!(
                        "grant #{index} ({} on {:?}, role {:?})",
                        grant.grantee, grant.scope, grant.role
                    )
                })
            };
            let scope = resolved(
                scopes.get(index).copied().filter(|&id| id != NONE),
                &grant.scope,
                Entity::Resource,
                referrer,
                &mut problems,
            );
            let role = lookup(
                &catalog.role_ids,
                &grant.role,
                Entity::Role,
                referrer,
                &mut problems,
            );
            let scope_tenant = tenants.get(scope as usize).copied().unwrap_or(NONE);
            let role_decl = self.roles.get(role as usize);
            // Who may hold the role: its own limit and every inherited one.
            // Eligibility limits who may hold a role, not who may lose one.
            let eligible = match grant.effect {
                Effect::Deny => UserTypes::all(),
                _ => role_eligible
                    .get(role as usize)
                    .copied()
                    .unwrap_or(UserTypes::all()),
            };
            let ineligible = |user: u32,
                              user_type: UserType,
                              through: Option<&Grantee>,
                              problems: &mut Problems| {
                let Some(decl) = role_decl else {
                    return;
                };
                problems.push_with(|| Problem::IneligibleRole {
                    referrer: match through {
                        Some(team) => format!("{} through {team}", referrer()),
                        None => referrer(),
                    },
                    role: decl.name.clone(),
                    user: self
                        .users
                        .get(user as usize)
                        .map_or_else(String::new, |holder| holder.name.clone()),
                    user_type,
                });
            };
            let principal = match &grant.grantee {
                Grantee::User(name) => {
                    let user = resolved(
                        grantees.get(index).copied().filter(|&id| id != NONE),
                        name,
                        Entity::User,
                        referrer,
                        &mut problems,
                    );
                    if let Some(record) = users.get(user as usize) {
                        cross_check(
                            record.tenant,
                            scope_tenant,
                            name,
                            &resource_name,
                            referrer,
                            &mut problems,
                        );
                    }
                    if let Some(holder) = self.users.get(user as usize) {
                        if !eligible.contains(holder.user_type.as_set()) {
                            ineligible(user, holder.user_type, None, &mut problems);
                        }
                    }
                    Principal::User(UserId(user))
                }
                Grantee::Team(name) => {
                    let team = lookup(&catalog.teams, name, Entity::Team, referrer, &mut problems);
                    if let Some(&team_tenant) = team_tenants.get(team as usize) {
                        cross_check(
                            team_tenant,
                            scope_tenant,
                            name,
                            &resource_name,
                            referrer,
                            &mut problems,
                        );
                    }
                    if let Some((member, user_type)) = team_types.ineligible(team, eligible) {
                        if ineligible_teams.insert((role, team)) {
                            ineligible(member, user_type, Some(&grant.grantee), &mut problems);
                        }
                    }
                    Principal::Team(TeamId(team))
                }
                // A role limited to some user types reaches, through
                // `Everyone`, only the members of those types: no error
                // (see `Role::only_for`).
                Grantee::Everyone => Principal::Everyone,
                Grantee::Public => {
                    if let (Some(decl), false) =
                        (role_decl, eligible.contains(UserType::Public.as_set()))
                    {
                        problems.push_with(|| Problem::IneligibleRole {
                            referrer: referrer(),
                            role: decl.name.clone(),
                            user: "the public".to_string(),
                            user_type: UserType::Public,
                        });
                    }
                    Principal::Public
                }
            };
            match principal {
                Principal::User(UserId(user)) => own_grants.push((
                    user,
                    UserGrant {
                        scope,
                        effect: grant.effect,
                        role,
                        condition: grant.condition,
                    },
                )),
                _ => entries.push((
                    scope,
                    GrantEntry {
                        key: key::pack(principal),
                        effect: grant.effect,
                        role,
                        filter_bit: key::filter_shift(key::pack(principal)),
                        eligible: role_eligible
                            .get(role as usize)
                            .copied()
                            .unwrap_or(UserTypes::all()),
                        condition: grant.condition,
                    },
                )),
            }
        }

        // Keys and links.
        let mut keys = Vec::with_capacity(self.keys.len());
        for (index, api_key) in self.keys.iter().enumerate() {
            if self.is_removed(Entity::Key, index) {
                keys.push(KeyRecord {
                    owner: REMOVED,
                    within: NONE,
                    scope: api_key.scope,
                    expires_at: None,
                    revoked: true,
                });
                continue;
            }
            let referrer =
                || self.origin_or(Entity::Key, index, || format!("API key {:?}", api_key.name));
            let owner = lookup(
                &catalog.users,
                &api_key.owner,
                Entity::User,
                referrer,
                &mut problems,
            );
            let within = match &api_key.within {
                None => NONE,
                Some(name) => {
                    let within = lookup(
                        &catalog.resources,
                        name,
                        Entity::Resource,
                        referrer,
                        &mut problems,
                    );
                    let owner_tenant = users.get(owner as usize).map_or(NONE, |u| u.tenant);
                    let within_tenant = tenants.get(within as usize).copied().unwrap_or(NONE);
                    cross_check(
                        within_tenant,
                        owner_tenant,
                        name,
                        &resource_name,
                        referrer,
                        &mut problems,
                    );
                    within
                }
            };
            keys.push(KeyRecord {
                owner,
                within,
                scope: api_key.scope,
                expires_at: api_key.expires_at,
                revoked: api_key.revoked,
            });
        }
        let mut links = Vec::with_capacity(self.links.len());
        for (index, link) in self.links.iter().enumerate() {
            if self.is_removed(Entity::Link, index) {
                links.push(LinkRecord {
                    resource: REMOVED,
                    permissions: link.permissions,
                    expires_at: None,
                    revoked: true,
                });
                continue;
            }
            let resource = lookup(
                &catalog.resources,
                &link.resource,
                Entity::Resource,
                || self.origin_or(Entity::Link, index, || format!("link {:?}", link.name)),
                &mut problems,
            );
            links.push(LinkRecord {
                resource,
                permissions: link.permissions,
                expires_at: link.expires_at,
                revoked: link.revoked,
            });
        }

        let mut labels = vec![Labels::empty(); self.resources.len()];
        for (index, (name, set)) in self.labels.iter().enumerate() {
            let resource = lookup(
                &catalog.resources,
                name,
                Entity::Resource,
                || format!("labels #{index}"),
                &mut problems,
            );
            if let Some(slot) = labels.get_mut(resource as usize) {
                *slot = *set;
            }
        }

        if let Some(seats) = self.seats {
            let used = crate::change::seats_used(&users, seats);
            if used > seats.limit as usize {
                problems.push(Problem::SeatsExceeded {
                    used,
                    limit: seats.limit,
                });
            }
        }

        // Compile the grant runs: sorted by scope, then principal, so a
        // principal's grants are contiguous and a long run can be searched.
        // Sorted by identity, two grants of one identity are side by side.
        // (Done before the problems are returned, to report duplicates with
        // the rest; with problems, nothing sorted here is kept.)
        entries.sort_unstable_by_key(|(scope, e)| e.identity(*scope));
        // Each user's own grants together (a counting sort by user: linear,
        // where sorting ten million pairs is not), then sorted by scope.
        let mut user_grants: Vec<UserGrant> = match own_grants.first() {
            Some(&(_, filler)) => vec![filler; own_grants.len()],
            None => Vec::new(),
        };
        let mut counts = vec![0u32; users.len()];
        for &(user, _) in &own_grants {
            if let Some(count) = counts.get_mut(user as usize) {
                *count += 1;
            }
        }
        let mut long_runs = BTreeMap::new();
        let mut next = 0u32;
        for (user, (record, &count)) in users.iter_mut().zip(&counts).enumerate() {
            // A user without grants of its own keeps start 0, as a change
            // leaves it.
            record.grants_start = if count == 0 { 0 } else { next };
            next += count;
            let user = u32::try_from(user).unwrap_or(NONE);
            set_own_grant_count(record, &mut long_runs, user, count as usize);
        }
        let mut fill: Vec<u32> = users.iter().map(|record| record.grants_start).collect();
        for (user, grant) in own_grants {
            let (Some(position), Some(record)) =
                (fill.get_mut(user as usize), users.get_mut(user as usize))
            else {
                continue;
            };
            if let Some(slot) = user_grants.get_mut(*position as usize) {
                *slot = grant;
            }
            *position += 1;
            record.scope_filter |= 1 << key::filter_shift(grant.scope);
        }
        let mut duplicated = entries.windows(2).any(|pair| {
            matches!(pair, [(a_scope, a), (b_scope, b)] if a.identity(*a_scope) == b.identity(*b_scope))
        });
        for (user, (record, &count)) in (0..).zip(users.iter().zip(&counts)) {
            let start = record.grants_start as usize;
            if let Some(run) = user_grants.get_mut(start..start + count as usize) {
                run.sort_unstable();
                duplicated |= run
                    .windows(2)
                    .any(|pair| matches!(pair, [a, b] if a.identity(user) == b.identity(user)));
            }
        }
        if duplicated {
            self.duplicate_grants(&catalog, &scopes, &grantees, &mut problems);
        }
        if !problems.is_empty() {
            return Err(BuildError::new(problems));
        }
        let mut nodes: Vec<Node> = self
            .resources
            .iter()
            .zip(parents.iter().zip(&tenants))
            .enumerate()
            .map(|(index, (decl, (&parent, &tenant)))| Node {
                filter: 0,
                parent,
                grandparent: parents.get(parent as usize).copied().unwrap_or(NONE),
                // A removed resource is a root without a tenant.
                tenant: if self.is_removed(Entity::Resource, index) {
                    REMOVED
                } else {
                    tenant
                },
                grants_start: 0,
                grants_len: 0,
                wide: NO_WIDE,
                kind: decl.kind,
                scope_bit: 0,
            })
            .collect();
        let mut grants = Vec::with_capacity(entries.len());
        for (position, (scope, entry)) in entries.into_iter().enumerate() {
            if let Some(node) = nodes.get_mut(scope as usize) {
                if node.grants_len == 0 {
                    node.grants_start = u32::try_from(position).unwrap_or(NONE);
                }
                node.grants_len += 1;
                node.filter |= key::filter_bit(entry.key);
            }
            grants.push(entry);
        }
        let mut wide_filters = Vec::new();
        for (id, node) in nodes.iter_mut().enumerate() {
            node.scope_bit = key::filter_shift(u32::try_from(id).unwrap_or(NONE));
            if node.grants_len as usize > LINEAR_RUN {
                let start = node.grants_start as usize;
                let run = grants
                    .get(start..start + node.grants_len as usize)
                    .unwrap_or(&[]);
                set_wide_filter(&mut wide_filters, node, run);
            }
        }

        user_teams.shrink_to_fit();
        wide_filters.shrink_to_fit();
        let (first_child, next_sibling) = crate::policy::child_lists(&nodes);
        let restrictions = crate::authority::restrictions_of(&nodes, &grants);
        Ok(Policy {
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
            user_grants,
            long_runs,
            invitations,
            user_labels,
            keys,
            links,
            mfa_required: self.mfa_required,
            seats: self.seats,
            catalog: Catalog {
                team_tenants,
                role_eligible,
                ..catalog
            },
            revision: 0,
            garbage: 0,
        })
    }

    /// Every grant declared again with the identity of an earlier one
    /// ([`GrantIdentity`](crate::policy::GrantIdentity)), each naming both
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

    /// Names and ids of every entity; duplicate names and id-space overflows
    /// become problems.
    fn catalog(&self, problems: &mut Problems) -> Catalog {
        fn names<'a>(
            seed: HashSeed,
            declared: impl ExactSizeIterator<Item = &'a String>,
            entity: Entity,
            max: usize,
            is_removed: &dyn Fn(Entity, usize) -> bool,
            problems: &mut Problems,
        ) -> NameTable {
            let count = declared.len();
            let mut table = NameTable::with_seed(seed);
            table.reserve(count);
            for (index, name) in declared.enumerate() {
                if is_removed(entity, index) {
                    // The id keeps its name, which stands for nothing.
                    match table.push(name) {
                        Ok((id, true)) => table.forget(id),
                        Ok((_, false)) => {}
                        Err(TextFull) => {
                            problems.push(Problem::TooMany { entity, count, max });
                            break;
                        }
                    }
                    continue;
                }
                match table.push(name) {
                    Ok((_, true)) => {}
                    // The first declaration keeps the name.
                    Ok((_, false)) => problems.push_with(|| Problem::DuplicateName {
                        entity,
                        name: name.clone(),
                    }),
                    Err(TextFull) => {
                        problems.push(Problem::TooMany { entity, count, max });
                        break;
                    }
                }
            }
            if count > max {
                problems.push(Problem::TooMany { entity, count, max });
            }
            table.shrink_to_fit();
            table
        }
        let is_removed = |entity: Entity, index: usize| self.is_removed(entity, index);
        // One key for the policy's tables: the host's, or a fresh random one.
        let seed = self.hash_seed.unwrap_or_else(HashSeed::random);
        let ids_max = NONE as usize - 1;
        let resources = names(
            seed,
            self.resources.iter().map(|d| &d.name),
            Entity::Resource,
            ids_max,
            &is_removed,
            problems,
        );
        let users = names(
            seed,
            self.users.iter().map(|u| &u.name),
            Entity::User,
            key::MAX_INDEX,
            &is_removed,
            problems,
        );
        let teams = names(
            seed,
            self.teams.iter().map(|t| &t.0),
            Entity::Team,
            key::MAX_INDEX,
            &is_removed,
            problems,
        );
        let mut role_ids = BTreeMap::new();
        for (index, role) in self.roles.iter().enumerate() {
            if self.is_removed(Entity::Role, index) {
                // A removed role keeps its name in the list, not its id.
                continue;
            }
            match role_ids.entry(role.name.clone()) {
                Entry::Vacant(slot) => {
                    slot.insert(u32::try_from(index).unwrap_or(NONE));
                }
                Entry::Occupied(_) => problems.push_with(|| Problem::DuplicateName {
                    entity: Entity::Role,
                    name: role.name.clone(),
                }),
            }
        }
        if self.roles.len() > ids_max {
            problems.push(Problem::TooMany {
                entity: Entity::Role,
                count: self.roles.len(),
                max: ids_max,
            });
        }
        let keys = names(
            seed,
            self.keys.iter().map(|k| &k.name),
            Entity::Key,
            ids_max,
            &is_removed,
            problems,
        );
        let links = names(
            seed,
            self.links.iter().map(|l| &l.name),
            Entity::Link,
            ids_max,
            &is_removed,
            problems,
        );
        Catalog {
            resources,
            users,
            teams,
            roles: self.roles.clone(),
            keys,
            links,
            role_ids,
            team_tenants: Vec::new(),
            role_eligible: Vec::new(),
        }
    }
}

fn tenant_or_problem(
    catalog: &Catalog,
    tenant: Option<u32>,
    name: &str,
    referrer: impl FnOnce() -> String,
) -> Result<u32, Problem> {
    match tenant {
        Some(id) => Ok(id),
        None if catalog.resources.contains(name) => Err(Problem::NotATenant {
            referrer: referrer(),
            name: name.to_string(),
        }),
        None => Err(Problem::UnknownReference {
            referrer: referrer(),
            entity: Entity::Resource,
            name: name.to_string(),
        }),
    }
}

/// Records a problem when `what` (of tenant `theirs`) is used where tenant
/// `ours` is expected. Unresolved tenants ([`NONE`]) were reported already.
fn cross_check<'a>(
    theirs: u32,
    ours: u32,
    what: &str,
    resource_name: &impl Fn(u32) -> &'a str,
    referrer: impl FnOnce() -> String,
    problems: &mut Problems,
) {
    if theirs != NONE && ours != NONE && theirs != ours {
        problems.push_with(|| Problem::CrossesTenants {
            referrer: referrer(),
            what: what.to_string(),
            tenant: resource_name(ours).to_string(),
            other_tenant: resource_name(theirs).to_string(),
        });
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
