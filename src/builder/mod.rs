//! Building a policy: declare a model by names, compile it to dense ids.
//! The concept is documented on [`PolicyBuilder`], where users read it.
//!
//! [`PolicyBuilder::build`] runs in named phases, one file each, in the
//! order problems are reported:
//!
//! 1. [`catalog`]: names to ids; duplicate names, too many of a kind.
//! 2. [`tree`]: resources' parents and tenants; cycles.
//! 3. roles flattened ([`crate::role::flatten`]): inheritance, cycles.
//! 4. [`members`]: teams' tenants; users' tenants, channels and teams,
//!    each user's record made by the store.
//! 5. [`grants`]: grants resolved and checked (tenants, eligibility).
//! 6. [`access`]: API keys and public links; then resources' labels
//!    ([`tree`]) and the seats users take ([`members`]).
//! 7. [`sort`]: grant runs sorted; duplicate grants found.
//! 8. without problems, the store lays the model out
//!    ([`Policy::assemble`]).
//!
//! Owns: checking a declared model, and resolving it to ids. Must never:
//! write a field of [`Policy`]'s layout (the store does, from the
//! [`Model`] built here), or state a rule that changes also check (those
//! are in [`crate::policy::rules`]).

mod access;
mod catalog;
mod grants;
mod members;
mod sort;
mod tree;

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

use crate::directory::{ApiKey, PublicLink, Status, User};
use crate::error::{BuildError, Entity, Problems};
use crate::grant::{Effect, GrantDecl, Grantee};
use crate::label::{Condition, Labels};
use crate::names::HashSeed;
use crate::permission::Permissions;
use crate::policy::assemble::Model;
use crate::policy::{Catalog, Policy, Seats};
use crate::resource::{ResourceDecl, ResourceKind};
use crate::role::{RequiredOf, Role};

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
    /// The roles required of accounts, by names, and the kind of resource
    /// they are required on (`None`: the tenant root).
    required: Vec<(RequiredOf, String, Option<ResourceKind>)>,
    /// Sets of exclusive teams, by names.
    exclusive: Vec<Vec<String>>,
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

    /// Requires `role` of some accounts (`of`: of some user types, or the
    /// members of a team): each must hold it on its tenant root, or it may
    /// do nothing. An account holds the role when a grant of it on its
    /// tenant root reaches it (its own, one of its teams', everyone's),
    /// unconditionally, and no deny of a role sharing a permission with it
    /// reaches the account anywhere in its tenant, nor an override below
    /// the root cuts every such grant (see the rules in
    /// [`Reason::RequiredRoleMissing`](crate::Reason::RequiredRoleMissing)).
    /// To require it on every resource of a kind (each workspace) instead,
    /// see [`require_role_on_each`](PolicyBuilder::require_role_on_each).
    ///
    /// An account built without it builds, and is denied everything with
    /// [`Reason::RequiredRoleMissing`](crate::Reason::RequiredRoleMissing),
    /// whatever else it holds; no change may leave an account without it
    /// ([`ChangeProblem::RequiredRole`](crate::ChangeProblem::RequiredRole)),
    /// whatever the path: a revoke, a deny, an override, leaving or
    /// removing the team that carries it, a new type. A requirement
    /// declared twice is kept once.
    ///
    /// Smartflow: "A Normal user must have at least the Default system
    /// role to be able to access Smartflow."
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let mut policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .role(Role::new("default").allow_everywhere(Permissions::VIEW))
    ///     .team("normal", "acme")
    ///     .user(User::new("ann", "acme").member_of("normal"))
    ///     .grant(Grantee::team("normal"), "acme", "default", Effect::Allow)
    ///     .require_role(RequiredOf::Team("normal".into()), "default")
    ///     .build()?;
    /// let revoke = Change::Revoke {
    ///     grantee: Grantee::team("normal"),
    ///     scope: "acme".into(),
    ///     role: "default".into(),
    ///     effect: Effect::Allow,
    ///     by: None,
    /// };
    /// let refused = policy.apply(revoke).unwrap_err();
    /// assert!(matches!(refused.problem(), ChangeProblem::RequiredRole { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn require_role(&mut self, of: RequiredOf, role: impl Into<String>) -> &mut PolicyBuilder {
        self.required.push((of, role.into(), None));
        self
    }

    /// Requires `role` of some accounts on every resource of `kind` in
    /// their tenant: as [`require_role`](PolicyBuilder::require_role) does
    /// on the tenant root, each account must hold it on each such resource
    /// and everywhere below it, or it may do nothing. A grant on the root
    /// holds it on all of them; grants on the resources themselves (or on
    /// a resource above some of them) hold it on those they are on or
    /// above. A tenant without a resource of `kind` requires nothing.
    ///
    /// So a change that adds a resource of `kind`, or moves one, is refused
    /// when an account would not hold the role there: add it and grant the
    /// role in one [`apply_all`](Policy::apply_all) batch, which is checked
    /// as a whole.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let mut policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("sales", ResourceKind::Workspace, "acme")
    ///     .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
    ///     .team("staff", "acme")
    ///     .user(User::new("ann", "acme").member_of("staff"))
    ///     .grant(Grantee::team("staff"), "sales", "viewer", Effect::Allow)
    ///     .require_role_on_each(RequiredOf::Team("staff".into()), "viewer", ResourceKind::Workspace)
    ///     .build()?;
    /// let add = || Change::AddResource {
    ///     name: "ops".into(),
    ///     kind: ResourceKind::Workspace,
    ///     parent: Some("acme".into()),
    /// };
    /// // Staff would not hold viewer on the new workspace.
    /// let refused = policy.apply(add()).unwrap_err();
    /// assert!(matches!(refused.problem(), ChangeProblem::RequiredRole { .. }));
    /// // Added with its grant, as one batch, it is accepted.
    /// policy.apply_all([
    ///     add(),
    ///     Change::Grant {
    ///         grantee: Grantee::team("staff"),
    ///         scope: "ops".into(),
    ///         role: "viewer".into(),
    ///         effect: Effect::Allow,
    ///         when: Condition::Always,
    ///         by: None,
    ///     },
    /// ])?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn require_role_on_each(
        &mut self,
        of: RequiredOf,
        role: impl Into<String>,
        kind: ResourceKind,
    ) -> &mut PolicyBuilder {
        self.required.push((of, role.into(), Some(kind)));
        self
    }

    /// Makes `teams` (of one tenant) exclusive: every user of their tenant
    /// is in exactly one of them, as Smartflow's user groups are. A model
    /// where a user is in none or several does not build
    /// ([`Problem::NotInExactlyOneTeam`](crate::Problem::NotInExactlyOneTeam)),
    /// and no change may leave one so
    /// ([`ChangeProblem::NotInExactlyOneTeam`](crate::ChangeProblem::NotInExactlyOneTeam)):
    /// a user moves from one to another with one
    /// [`Change::MoveMembership`](crate::Change::MoveMembership).
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let mut builder = PolicyBuilder::new();
    /// builder
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .team("portal", "acme")
    ///     .team("normal", "acme")
    ///     .exclusive_teams(["portal", "normal"])
    ///     .user(User::new("pat", "acme").member_of("portal"));
    /// let mut policy = builder.build()?;
    /// let join = Change::AddMembership { user: "pat".into(), team: "normal".into() };
    /// assert!(matches!(
    ///     policy.apply(join).unwrap_err().problem(),
    ///     ChangeProblem::NotInExactlyOneTeam { count: 2, .. }
    /// ));
    /// let moved = Change::MoveMembership { user: "pat".into(), from: "portal".into(), to: "normal".into() };
    /// policy.apply(moved)?;
    ///
    /// builder.user(User::new("ivy", "acme")); // in neither
    /// assert!(builder.build().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn exclusive_teams<I, S>(&mut self, teams: I) -> &mut PolicyBuilder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.exclusive
            .push(teams.into_iter().map(Into::into).collect());
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
    /// A [`BuildError`] listing every [`Problem`](crate::Problem) found.
    pub fn build(&self) -> Result<Policy, BuildError> {
        let mut problems = Problems::default();
        let catalog = self.catalog(&mut problems);
        let tree = self.tree(&catalog, &mut problems);
        let roles = crate::role::flatten(&self.roles, &catalog.role_ids, &mut problems);
        let members = self.members(&catalog, &tree, &mut problems);
        let grants = self.grants(&catalog, &tree, &roles.eligible, &members, &mut problems);
        let (keys, key_subtrees) = self.keys(&catalog, &tree, &members, &mut problems);
        let links = self.links(&catalog, &mut problems);
        let labels = self.resource_labels(&catalog, &mut problems);
        self.check_seats(&members, &mut problems);
        let runs = self.sort(grants, &catalog, members.users.len(), &mut problems);
        let required = self.requirements(&catalog, &mut problems);
        let exclusive = self.exclusive_sets(&catalog, &members, &mut problems);
        if !problems.is_empty() {
            return Err(BuildError::new(problems));
        }
        Ok(Policy::assemble(Model {
            resources: self.resource_parts(&tree),
            labels,
            group_grants: runs.group_grants,
            own_grants: runs.own_grants,
            users: members.users,
            user_teams: members.user_teams,
            invitations: members.invitations,
            protected: members.protected,
            user_labels: members.user_labels,
            roles: roles.permissions,
            keys,
            key_subtrees,
            links,
            mfa_required: self.mfa_required,
            seats: self.seats,
            required,
            exclusive,
            catalog: Catalog {
                team_tenants: members.team_tenants,
                role_eligible: roles.eligible,
                ..catalog
            },
        }))
    }
}
