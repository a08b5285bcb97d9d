//! The model in Cedar ([`cedar_policy`]), in the two ways Cedar's
//! documentation teaches role-based access over a resource hierarchy, and a
//! third that trades generality for speed. All share the entities:
//!
//! - every resource is an entity whose parent is the resource it is in
//!   (`Flow::"f"` in `Folder::"d"` in `Workspace::"w"` in
//!   `Organization::"o"`);
//! - every user is an entity whose parents are its teams, with an `active`
//!   attribute;
//! - every action is an action entity (`Action::"edit"`), and a role is one
//!   action group per kind of resource (`Action::"editor/Flow"`) that holds
//!   the actions its own rules give on that kind; role inheritance is group
//!   membership (`Action::"viewer/Flow"` is in `Action::"editor/Flow"`);
//! - one static policy forbids everything to accounts that are not active.
//!
//! They differ in where the grants live ([`CedarEncoding`]): in the policies
//! (one template-linked policy per grant) or in the entities (sets of
//! holders on each resource, read by one policy per role, effect and kind up
//! the whole tree, or, for one kind of resource asked about, by one policy
//! per role and effect along fixed paths to the levels holding such grants,
//! with the tenant root's grants as groups of their holders).
//!
//! Requests carry the user, the action and the resource as entity ids and
//! an empty context.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid, Policy,
    PolicyId, PolicySet, Request, Response, RestrictedExpression, SlotId, Template,
};
use clearance::ResourceKind;

use crate::model::{kind_name, verb, Holder, Model, ModelResource, ModelRole, NamedRequest};
use crate::Error;

/// Where the grants live in Cedar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CedarEncoding {
    /// Each grant is a policy: a role is a template,
    /// `permit(principal in ?principal, action, resource in ?resource) when
    /// { resource is Flow && action in Action::"editor/Flow" || … }` (`forbid`
    /// for deny grants), and a grant links it to its holder and scope.
    /// Cedar evaluates every link on every request.
    TemplateLinks,
    /// Grants are data: each resource entity has, per role, the set of
    /// users and teams granted it there (`"allow:editor"`) and the set
    /// denied it (`"deny:editor"`), plus a `parent` attribute; one policy
    /// per role, effect and kind reads them up the tree, such as
    /// `permit(principal, action in Action::"editor/Flow", resource is Flow)
    /// when { principal in resource["allow:editor"] || principal in
    /// resource.parent["allow:editor"] || … }`. The policies name every
    /// level up to the deepest resource of the kind.
    EntityAttributes,
    /// Grants are data read by fixed paths, for requests about one kind of
    /// resource only (the kind given, flows in the benchmarks): the fewest
    /// policies Cedar needs for the model. Each resource has its parent as
    /// an attribute named after the parent's kind (`resource.folder`,
    /// `resource.folder.workspace`) and, per role and effect granted on
    /// its kind, the set of users and teams granted it there
    /// (`allow_editor`, `deny_editor`). One policy per role and effect
    /// names only the levels above the asked kind where such grants exist,
    /// such as `permit(principal, action in Action::"editor/Flow", resource
    /// is Flow) when { principal in resource.folder.allow_editor ||
    /// principal in resource.folder.workspace.allow_editor };`. Grants on
    /// the tenant root, when there is one tenant, are a group of their
    /// holders instead (`Holders::"allow admin"`), read by a policy without
    /// a condition: `permit(principal in Holders::"allow admin", action in
    /// Action::"admin/Flow", resource is Flow);`. Every resource of the kind
    /// must have the same kinds above it; other kinds are refused in
    /// requests.
    FixedPaths(ResourceKind),
}

impl CedarEncoding {
    /// The benchmark's name for the encoding: `cedar`,
    /// `cedar_attributes` and `cedar_fixed_paths`.
    #[must_use]
    pub const fn engine_name(self) -> &'static str {
        match self {
            CedarEncoding::TemplateLinks => "cedar",
            CedarEncoding::EntityAttributes => "cedar_attributes",
            CedarEncoding::FixedPaths(_) => "cedar_fixed_paths",
        }
    }
}

/// The standard model as Cedar entities and policies, and Cedar's
/// authorizer.
pub struct CedarEngine {
    authorizer: Authorizer,
    policies: PolicySet,
    entities: Entities,
    /// The entity type of each kind of resource.
    types: BTreeMap<ResourceKind, EntityTypeName>,
    user_type: EntityTypeName,
    action_type: EntityTypeName,
    /// The only kind of resource requests may be about, if limited.
    asked: Option<ResourceKind>,
}

/// The entity ids of one model: types, and how names become ids.
struct Ids {
    types: BTreeMap<ResourceKind, EntityTypeName>,
    /// Each resource's kind.
    kinds: HashMap<String, ResourceKind>,
    user: EntityTypeName,
    team: EntityTypeName,
    action: EntityTypeName,
}

impl Ids {
    fn new(model: &Model) -> Result<Ids, Error> {
        Ok(Ids {
            types: model
                .kinds
                .iter()
                .map(|&kind| Ok((kind, type_name(&kind_name(kind))?)))
                .collect::<Result<_, Error>>()?,
            kinds: model
                .resources
                .iter()
                .map(|resource| (resource.name.clone(), resource.kind))
                .collect(),
            user: type_name("User")?,
            team: type_name("Team")?,
            action: type_name("Action")?,
        })
    }

    fn resource(&self, name: &str) -> Result<EntityUid, Error> {
        let kind = self
            .kinds
            .get(name)
            .ok_or_else(|| Error::new(format!("unknown resource {name:?}")))?;
        let type_name = self
            .types
            .get(kind)
            .ok_or_else(|| Error::new(format!("no entity type for {kind}")))?;
        Ok(uid(type_name, name))
    }

    fn holder(&self, holder: &Holder) -> EntityUid {
        match holder {
            Holder::User(name) => uid(&self.user, name),
            Holder::Team(name) => uid(&self.team, name),
        }
    }

    /// The action group of `role` on resources of `kind`.
    fn group(&self, role: &str, kind: ResourceKind) -> EntityUid {
        uid(&self.action, &format!("{role}/{}", kind_name(kind)))
    }
}

impl CedarEngine {
    /// Encodes `model` with the grants where `encoding` puts them (see the
    /// module docs).
    ///
    /// # Errors
    ///
    /// An [`Error`] if Cedar refuses a name, an entity or a policy.
    pub fn new(model: &Model, encoding: CedarEncoding) -> Result<CedarEngine, Error> {
        let ids = Ids::new(model)?;
        let mut policies = PolicySet::new();
        add_policy(
            &mut policies,
            "inactive accounts get nothing",
            "forbid(principal, action, resource) unless { principal.active };",
        )?;
        let no_groups = BTreeMap::new();
        let entities = match encoding {
            CedarEncoding::TemplateLinks => {
                link_grants(model, &ids, &mut policies)?;
                entities(model, &ids, |_| Ok(HashMap::new()), &no_groups)?
            }
            CedarEncoding::EntityAttributes => {
                read_grants(model, &mut policies)?;
                let attributes = grant_attributes(model, &ids)?;
                entities(
                    model,
                    &ids,
                    |name| Ok(attributes.get(name).cloned().unwrap_or_default()),
                    &no_groups,
                )?
            }
            CedarEncoding::FixedPaths(kind) => {
                let fixed = fixed_paths(model, &ids, kind, &mut policies)?;
                entities(
                    model,
                    &ids,
                    |name| Ok(fixed.attributes.get(name).cloned().unwrap_or_default()),
                    &fixed.groups,
                )?
            }
        };
        let asked = match encoding {
            CedarEncoding::FixedPaths(kind) => Some(kind),
            _ => None,
        };
        Ok(CedarEngine {
            authorizer: Authorizer::new(),
            policies,
            entities,
            types: ids.types,
            user_type: ids.user,
            action_type: ids.action,
            asked,
        })
    }

    /// `request` as a Cedar request: entity ids for the user, the action
    /// and the resource, and an empty context. Build it once, outside a
    /// timed loop.
    ///
    /// # Errors
    ///
    /// An [`Error`] if the resource's kind is not in the model or Cedar
    /// refuses the request.
    pub fn request(&self, request: &NamedRequest) -> Result<Request, Error> {
        if self.asked.is_some_and(|kind| kind != request.kind) {
            return Err(Error::new(format!(
                "{request}: this encoding answers requests about {} only",
                kind_name(self.asked.unwrap_or(request.kind))
            )));
        }
        let resource_type = self
            .types
            .get(&request.kind)
            .ok_or_else(|| Error::new(format!("no {} in the model", request.kind)))?;
        Request::new(
            uid(&self.user_type, &request.user),
            uid(&self.action_type, &request.verb),
            uid(resource_type, &request.resource),
            Context::empty(),
            None,
        )
        .map_err(|error| Error::new(format!("{request}: {error}")))
    }

    /// Cedar's answer to `request`: the decision, the policies that decided
    /// it and any evaluation errors.
    #[must_use]
    pub fn response(&self, request: &Request) -> Response {
        self.authorizer
            .is_authorized(request, &self.policies, &self.entities)
    }

    /// Whether Cedar allows `request`: what a host does on the hot path.
    #[must_use]
    pub fn is_allowed(&self, request: &Request) -> bool {
        self.response(request).decision() == Decision::Allow
    }

    /// Cedar's answer in a line: the decision, the deciding policies, and
    /// the errors if any.
    #[must_use]
    pub fn explain(&self, request: &Request) -> String {
        let response = self.response(request);
        let mut line = format!("{:?}", response.decision());
        let reasons: Vec<String> = response
            .diagnostics()
            .reason()
            .map(ToString::to_string)
            .collect();
        if !reasons.is_empty() {
            let _ = write!(line, " by {}", reasons.join(", "));
        }
        let errors: Vec<String> = response
            .diagnostics()
            .errors()
            .map(ToString::to_string)
            .collect();
        if !errors.is_empty() {
            let _ = write!(line, "; errors: {}", errors.join("; "));
        }
        line
    }

    /// How many policies Cedar evaluates per request: the static ones and
    /// every template link.
    #[must_use]
    pub fn policy_count(&self) -> usize {
        self.policies.policies().count()
    }

    /// Every policy in Cedar's syntax, one after the other.
    #[must_use]
    pub fn policy_text(&self) -> String {
        self.policies.to_string()
    }
}

/// Every entity: resources in their parents (with `attributes(name)`),
/// teams, users in their teams, actions in their roles' groups, and the
/// groups of holders `groups` lists (each holder in its groups).
fn entities(
    model: &Model,
    ids: &Ids,
    attributes: impl Fn(&str) -> Result<HashMap<String, RestrictedExpression>, Error>,
    groups: &BTreeMap<Holder, HashSet<EntityUid>>,
) -> Result<Entities, Error> {
    let groups_of = |holder: Holder| groups.get(&holder).into_iter().flatten().cloned();
    let mut entities = Vec::new();
    for resource in &model.resources {
        let parents = match &resource.parent {
            Some(parent) => HashSet::from([ids.resource(parent)?]),
            None => HashSet::new(),
        };
        let entity = Entity::new(
            ids.resource(&resource.name)?,
            attributes(&resource.name)?,
            parents,
        )
        .map_err(|error| Error::new(format!("resource {:?}: {error}", resource.name)))?;
        entities.push(entity);
    }
    for team in &model.teams {
        let parents = groups_of(Holder::Team(team.clone())).collect();
        entities.push(Entity::new_no_attrs(uid(&ids.team, team), parents));
    }
    let every_group: HashSet<&EntityUid> = groups.values().flatten().collect();
    for group in every_group {
        entities.push(Entity::new_no_attrs(group.clone(), HashSet::new()));
    }
    for user in &model.users {
        let active = HashMap::from([(
            "active".to_owned(),
            RestrictedExpression::new_bool(user.active),
        )]);
        let teams = user
            .teams
            .iter()
            .map(|team| uid(&ids.team, team))
            .chain(groups_of(Holder::User(user.name.clone())))
            .collect();
        let entity = Entity::new(uid(&ids.user, &user.name), active, teams)
            .map_err(|error| Error::new(format!("user {:?}: {error}", user.name)))?;
        entities.push(entity);
    }
    // Actions in the groups of the roles that give them, per kind; a role's
    // group in the groups of the roles that inherit it.
    for action in clearance::Action::ALL {
        let Some(name) = verb(action) else { continue };
        let mut groups = HashSet::new();
        for role in &model.roles {
            for (&kind, &permissions) in &role.own {
                if model.kinds.contains(&kind) && permissions.contains(action.permissions()) {
                    groups.insert(ids.group(&role.name, kind));
                }
            }
        }
        entities.push(Entity::new_no_attrs(uid(&ids.action, &name), groups));
    }
    for role in &model.roles {
        for &kind in &model.kinds {
            let heirs = model
                .roles
                .iter()
                .filter(|heir| heir.inherits.contains(&role.name))
                .map(|heir| ids.group(&heir.name, kind))
                .collect();
            entities.push(Entity::new_no_attrs(ids.group(&role.name, kind), heirs));
        }
    }
    Entities::from_entities(entities, None)
        .map_err(|error| Error::new(format!("entities: {error}")))
}

/// `resource is K && action in Action::"role/K"` for each kind the role
/// gives something on, or `None` when it gives nothing anywhere.
fn role_condition(role: &ModelRole, ids: &Ids) -> Option<String> {
    let cases: Vec<String> = ids
        .types
        .iter()
        .filter(|&(&kind, _)| !role.on(kind).is_empty())
        .map(|(&kind, type_name)| {
            format!(
                "(resource is {type_name} && action in {})",
                ids.group(&role.name, kind)
            )
        })
        .collect();
    (!cases.is_empty()).then(|| cases.join(" || "))
}

/// [`CedarEncoding::TemplateLinks`]: a template per role and effect, a
/// link per grant.
fn link_grants(model: &Model, ids: &Ids, policies: &mut PolicySet) -> Result<(), Error> {
    let mut templates = BTreeMap::<(&str, bool), Option<PolicyId>>::new();
    for (index, grant) in model.grants.iter().enumerate() {
        let template = match templates.entry((grant.role.as_str(), grant.deny)) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                let role = model.role(&grant.role).ok_or_else(|| {
                    Error::new(format!("grants[{index}]: unknown role {:?}", grant.role))
                })?;
                entry.insert(add_template(role, grant.deny, ids, policies)?)
            }
        };
        // A role that gives nothing anywhere has no template: nothing to link.
        let Some(template) = template.clone() else {
            continue;
        };
        let slots = HashMap::from([
            (SlotId::principal(), ids.holder(&grant.to)),
            (SlotId::resource(), ids.resource(&grant.scope)?),
        ]);
        policies
            .link(template, PolicyId::new(format!("grants[{index}]")), slots)
            .map_err(|error| Error::new(format!("grants[{index}]: {error}")))?;
    }
    Ok(())
}

/// Adds the template of `role` (`forbid` when `deny`), or nothing when the
/// role gives nothing anywhere.
fn add_template(
    role: &ModelRole,
    deny: bool,
    ids: &Ids,
    policies: &mut PolicySet,
) -> Result<Option<PolicyId>, Error> {
    let Some(condition) = role_condition(role, ids) else {
        return Ok(None);
    };
    let effect = if deny { "forbid" } else { "permit" };
    let id = PolicyId::new(format!("{effect} {}", role.name));
    let text = format!(
        "{effect}(principal in ?principal, action, resource in ?resource)\n\
         when {{ {condition} }};"
    );
    let template = Template::parse(Some(id.clone()), text)
        .map_err(|error| Error::new(format!("template {id}: {error}")))?;
    policies
        .add_template(template)
        .map_err(|error| Error::new(format!("template {id}: {error}")))?;
    Ok(Some(id))
}

/// The attribute holding the users and teams granted (or denied) `role` on
/// a resource.
fn grant_attribute(role: &str, deny: bool) -> String {
    format!("{}:{role}", if deny { "deny" } else { "allow" })
}

/// [`CedarEncoding::EntityAttributes`]: each resource's grants as sets of
/// holders per role and effect, every set present (empty when nobody holds
/// it there) so that reading it never fails, and its `parent`.
fn grant_attributes(
    model: &Model,
    ids: &Ids,
) -> Result<HashMap<String, HashMap<String, RestrictedExpression>>, Error> {
    let mut holders = HashMap::<(&str, String), Vec<EntityUid>>::new();
    for grant in &model.grants {
        holders
            .entry((
                grant.scope.as_str(),
                grant_attribute(&grant.role, grant.deny),
            ))
            .or_default()
            .push(ids.holder(&grant.to));
    }
    let mut all = HashMap::with_capacity(model.resources.len());
    for resource in &model.resources {
        let mut attributes = HashMap::new();
        for role in &model.roles {
            for deny in [false, true] {
                let name = grant_attribute(&role.name, deny);
                let set = holders
                    .get(&(resource.name.as_str(), name.clone()))
                    .cloned()
                    .unwrap_or_default();
                attributes.insert(
                    name,
                    RestrictedExpression::new_set(
                        set.into_iter().map(RestrictedExpression::new_entity_uid),
                    ),
                );
            }
        }
        if let Some(parent) = &resource.parent {
            attributes.insert(
                "parent".to_owned(),
                RestrictedExpression::new_entity_uid(ids.resource(parent)?),
            );
        }
        all.insert(resource.name.clone(), attributes);
    }
    Ok(all)
}

/// [`CedarEncoding::EntityAttributes`]: per role, effect and kind, one
/// policy that looks for the principal in the grant sets from the resource
/// up to its root.
fn read_grants(model: &Model, policies: &mut PolicySet) -> Result<(), Error> {
    // Each kind's shallowest and deepest resource (a root is at depth 0).
    let mut depth = HashMap::<&str, usize>::new();
    let mut depths = BTreeMap::<ResourceKind, (usize, usize)>::new();
    for resource in &model.resources {
        // Parents come first, so the parent's depth is known.
        let at = resource
            .parent
            .as_deref()
            .and_then(|parent| depth.get(parent))
            .map_or(0, |parent| parent + 1);
        depth.insert(&resource.name, at);
        let range = depths.entry(resource.kind).or_insert((at, at));
        *range = (range.0.min(at), range.1.max(at));
    }
    for role in &model.roles {
        for (&kind, &(shallowest, deepest)) in &depths {
            if role.on(kind).is_empty() {
                continue;
            }
            for deny in [false, true] {
                let attribute = grant_attribute(&role.name, deny);
                let condition = up_the_tree(&format!("[{attribute:?}]"), 0, shallowest, deepest);
                let effect = if deny { "forbid" } else { "permit" };
                let kind_type = kind_name(kind);
                let text = format!(
                    "{effect}(principal, action in Action::{:?}, resource is {kind_type})\n\
                     when {{ {condition} }};",
                    format!("{}/{kind_type}", role.name),
                );
                add_policy(
                    policies,
                    &format!("{effect} {} on {kind_type}", role.name),
                    &text,
                )?;
            }
        }
    }
    Ok(())
}

/// `principal in resource<attribute> || principal in
/// resource.parent<attribute> || …` from `level` up to `deepest`, guarding
/// with `has parent` the levels that some resources of the kind (those no
/// deeper than `shallowest`) do not have.
fn up_the_tree(attribute: &str, level: usize, shallowest: usize, deepest: usize) -> String {
    let path = format!("resource{}", ".parent".repeat(level));
    let here = format!("principal in {path}{attribute}");
    if level >= deepest {
        return here;
    }
    let above = up_the_tree(attribute, level + 1, shallowest, deepest);
    if level < shallowest {
        format!("{here} || {above}")
    } else {
        format!("{here} || ({path} has parent && ({above}))")
    }
}

/// What [`CedarEncoding::FixedPaths`] puts in the entities: each
/// resource's attributes, and the groups each holder is in.
struct FixedPaths {
    attributes: HashMap<String, HashMap<String, RestrictedExpression>>,
    groups: BTreeMap<Holder, HashSet<EntityUid>>,
}

/// [`CedarEncoding::FixedPaths`]: adds its policies for requests about
/// `asked` and returns what the entities must hold for them.
fn fixed_paths(
    model: &Model,
    ids: &Ids,
    asked: ResourceKind,
    policies: &mut PolicySet,
) -> Result<FixedPaths, Error> {
    let by_name: HashMap<&str, &ModelResource> = model
        .resources
        .iter()
        .map(|resource| (resource.name.as_str(), resource))
        .collect();
    // The kinds from a resource of the asked kind up to its root: the same
    // for every one, or fixed paths cannot reach the grants.
    let mut chain: Option<Vec<ResourceKind>> = None;
    for resource in model.resources.iter().filter(|r| r.kind == asked) {
        let mut kinds = vec![resource.kind];
        let mut at = resource;
        while let Some(parent) = at.parent.as_deref() {
            at = by_name
                .get(parent)
                .ok_or_else(|| Error::new(format!("unknown resource {parent:?}")))?;
            kinds.push(at.kind);
        }
        match &chain {
            None => chain = Some(kinds),
            Some(chain) if *chain == kinds => {}
            Some(_) => {
                return Err(Error::new(format!(
                    "resources of kind {asked} sit under different kinds: \
                     fixed paths cannot reach their grants"
                )))
            }
        }
    }
    let chain = chain.ok_or_else(|| Error::new(format!("no resource of kind {asked}")))?;
    let root_level = chain.len() - 1;
    // With one tenant, its root's grants are groups of their holders.
    let root_groups = model.tenants().count() == 1;
    let holders_type = type_name("Holders")?;

    // Per role and effect: the levels read, whether a group is, and the
    // holders on each resource.
    let mut levels = BTreeMap::<(&str, bool), BTreeSet<usize>>::new();
    let mut grouped = BTreeSet::<(&str, bool)>::new();
    let mut groups = BTreeMap::<Holder, HashSet<EntityUid>>::new();
    let mut holders = HashMap::<(&str, String), Vec<EntityUid>>::new();
    for grant in &model.grants {
        let key = (grant.role.as_str(), grant.deny);
        let scope = by_name
            .get(grant.scope.as_str())
            .ok_or_else(|| Error::new(format!("unknown resource {:?}", grant.scope)))?;
        if root_groups && scope.parent.is_none() {
            grouped.insert(key);
            groups
                .entry(grant.to.clone())
                .or_default()
                .insert(uid(&holders_type, &holders_group(&grant.role, grant.deny)));
            continue;
        }
        let read = levels.entry(key).or_default();
        for (level, &kind) in chain.iter().enumerate() {
            if kind == scope.kind && !(root_groups && level == root_level) {
                read.insert(level);
            }
        }
        holders
            .entry((
                scope.name.as_str(),
                fixed_attribute(&grant.role, grant.deny)?,
            ))
            .or_default()
            .push(ids.holder(&grant.to));
    }

    // Each resource: its parent under the parent's kind, and every set a
    // policy may read on its kind (empty when nobody holds it there).
    let mut attributes = HashMap::with_capacity(model.resources.len());
    for resource in &model.resources {
        let mut own = HashMap::new();
        if let Some(parent) = &resource.parent {
            let parent = by_name
                .get(parent.as_str())
                .ok_or_else(|| Error::new(format!("unknown resource {parent:?}")))?;
            own.insert(
                parent.kind.to_string(),
                RestrictedExpression::new_entity_uid(ids.resource(&parent.name)?),
            );
        }
        for (&(role, deny), read) in &levels {
            if !read
                .iter()
                .any(|&level| chain.get(level) == Some(&resource.kind))
            {
                continue;
            }
            let name = fixed_attribute(role, deny)?;
            let set = holders
                .get(&(resource.name.as_str(), name.clone()))
                .cloned()
                .unwrap_or_default();
            own.insert(
                name,
                RestrictedExpression::new_set(
                    set.into_iter().map(RestrictedExpression::new_entity_uid),
                ),
            );
        }
        attributes.insert(resource.name.clone(), own);
    }

    // The policies: per role and effect, one on the group and one reading
    // the levels, each only for the actions the role gives on the kind.
    let kind_type = kind_name(asked);
    for role in &model.roles {
        if role.on(asked).is_empty() {
            continue;
        }
        let actions = ids.group(&role.name, asked);
        for deny in [false, true] {
            let key = (role.name.as_str(), deny);
            let effect = if deny { "forbid" } else { "permit" };
            if grouped.contains(&key) {
                let group = uid(&holders_type, &holders_group(&role.name, deny));
                add_policy(
                    policies,
                    &format!(
                        "{effect} {} on {kind_type} to the root's holders",
                        role.name
                    ),
                    &format!(
                        "{effect}(principal in {group}, action in {actions}, \
                         resource is {kind_type});"
                    ),
                )?;
            }
            let Some(read) = levels.get(&key).filter(|read| !read.is_empty()) else {
                continue;
            };
            let attribute = fixed_attribute(&role.name, deny)?;
            let condition: Vec<String> = read
                .iter()
                .map(|&level| {
                    let path: String = chain
                        .iter()
                        .take(level + 1)
                        .skip(1)
                        .map(|kind| format!(".{kind}"))
                        .collect();
                    format!("principal in resource{path}.{attribute}")
                })
                .collect();
            add_policy(
                policies,
                &format!("{effect} {} on {kind_type}", role.name),
                &format!(
                    "{effect}(principal, action in {actions}, resource is {kind_type})\n\
                     when {{ {} }};",
                    condition.join(" || ")
                ),
            )?;
        }
    }
    Ok(FixedPaths { attributes, groups })
}

/// The attribute holding the users and teams granted (or denied) `role` on
/// a resource, in [`CedarEncoding::FixedPaths`]: `allow_editor`,
/// `deny_editor`; the role's name must fit in an identifier.
fn fixed_attribute(role: &str, deny: bool) -> Result<String, Error> {
    let fits = role.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !fits {
        return Err(Error::new(format!(
            "role {role:?}: only names of letters, digits and `_` can be attribute names"
        )));
    }
    Ok(format!("{}_{role}", if deny { "deny" } else { "allow" }))
}

/// The id of the group of those granted (or denied) `role` on the tenant
/// root: `Holders::"allow admin"`.
fn holders_group(role: &str, deny: bool) -> String {
    format!("{} {role}", if deny { "deny" } else { "allow" })
}

fn add_policy(policies: &mut PolicySet, id: &str, text: &str) -> Result<(), Error> {
    let policy = Policy::parse(Some(PolicyId::new(id)), text)
        .map_err(|error| Error::new(format!("policy {id:?}: {error}")))?;
    policies
        .add(policy)
        .map_err(|error| Error::new(format!("policy {id:?}: {error}")))
}

fn uid(type_name: &EntityTypeName, id: &str) -> EntityUid {
    EntityUid::from_type_name_and_id(type_name.clone(), EntityId::new(id))
}

fn type_name(name: &str) -> Result<EntityTypeName, Error> {
    EntityTypeName::from_str(name)
        .map_err(|error| Error::new(format!("entity type {name:?}: {error}")))
}

#[cfg(test)]
mod tests {
    use super::up_the_tree;

    #[test]
    fn the_grant_sets_are_read_up_to_the_deepest_level_guarding_the_levels_some_lack() {
        // Every resource of the kind at depth 2: no guard.
        assert_eq!(
            up_the_tree(".a", 0, 2, 2),
            "principal in resource.a || principal in resource.parent.a \
             || principal in resource.parent.parent.a",
        );
        // Resources of the kind at depths 1 and 2: the second level is guarded.
        assert_eq!(
            up_the_tree(".a", 0, 1, 2),
            "principal in resource.a || principal in resource.parent.a \
             || (resource.parent has parent && (principal in resource.parent.parent.a))",
        );
    }
}
