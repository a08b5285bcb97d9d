//! The model as the other engines need it, read back from a built
//! [`Policy`], and requests by name.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use clearance::{
    Action, Channel, Condition, Credential, Effect, Grantee, Permissions, Policy, ResourceId,
    ResourceKind, Status, Subject,
};

use crate::Error;

/// Everything the other engines encode: roles, the resource tree, teams,
/// users and grants, by name, exactly as the policy holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// Every role.
    pub roles: Vec<ModelRole>,
    /// Every resource, parents before children (tenant roots first).
    pub resources: Vec<ModelResource>,
    /// Every team's name.
    pub teams: Vec<String>,
    /// Every user.
    pub users: Vec<ModelUser>,
    /// Every grant.
    pub grants: Vec<ModelGrant>,
    /// The kinds of resource the model has; roles are encoded for these only.
    pub kinds: BTreeSet<ResourceKind>,
}

/// A role: what it gives itself per kind of resource, the roles it
/// inherits, and the result of both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRole {
    /// Its name.
    pub name: String,
    /// The permissions its own rules give, per kind.
    pub own: BTreeMap<ResourceKind, Permissions>,
    /// The roles whose permissions it adds.
    pub inherits: Vec<String>,
    /// Its own permissions and every inherited role's, per kind (what
    /// clearance flattens the role to at build).
    pub flattened: BTreeMap<ResourceKind, Permissions>,
}

impl ModelRole {
    /// What the role gives on resources of `kind`, inheritance included.
    #[must_use]
    pub fn on(&self, kind: ResourceKind) -> Permissions {
        self.flattened.get(&kind).copied().unwrap_or_default()
    }
}

/// A resource: a node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelResource {
    /// Its name, unique among resources.
    pub name: String,
    /// What it is.
    pub kind: ResourceKind,
    /// The resource it is in; `None` for a tenant root.
    pub parent: Option<String>,
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelUser {
    /// Its name.
    pub name: String,
    /// Whether it may act: only `Active` accounts may (a suspended,
    /// invited or deactivated one gets nothing).
    pub active: bool,
    /// The teams it is in.
    pub teams: Vec<String>,
}

/// Who holds a grant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Holder {
    /// The user with this name.
    User(String),
    /// The team with this name: every member holds the grant.
    Team(String),
}

/// A grant: `role` on `scope` and everything below it, allowed or denied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelGrant {
    /// Who holds it.
    pub to: Holder,
    /// The resource it is on.
    pub scope: String,
    /// The role it gives or takes away.
    pub role: String,
    /// `true` for a `Deny` grant: the role's permissions are removed at the
    /// scope and below, whatever allows them.
    pub deny: bool,
}

impl Model {
    /// Reads the model back from `policy`, refusing anything the other
    /// engines' encodings do not cover (see the crate docs).
    ///
    /// # Errors
    ///
    /// An [`Error`] naming the first declaration that cannot be encoded.
    pub fn read(policy: &Policy) -> Result<Model, Error> {
        let document = policy.to_document();
        if !document.mfa_required.is_empty() {
            return Err(Error::new(format!(
                "MFA-guarded permissions ({}) are not encoded",
                document.mfa_required
            )));
        }

        let mut roles = Vec::with_capacity(document.roles.len());
        for role in &document.roles {
            if role.only_for.is_some() {
                return Err(Error::new(format!(
                    "role {:?} is limited to some user types; eligibility is not encoded",
                    role.name
                )));
            }
            let mut own = BTreeMap::<ResourceKind, Permissions>::new();
            for rule in &role.rules {
                for &kind in &rule.kinds {
                    *own.entry(kind).or_default() |= rule.permissions;
                }
            }
            roles.push(ModelRole {
                name: role.name.clone(),
                own,
                inherits: role.inherits.clone(),
                flattened: BTreeMap::new(),
            });
        }
        flatten(&mut roles)?;

        let resources = parents_first(
            document
                .resources
                .iter()
                .map(|resource| ModelResource {
                    name: resource.name.clone(),
                    kind: resource.kind,
                    parent: resource.parent.clone(),
                })
                .collect(),
        )?;
        let kinds = resources.iter().map(|resource| resource.kind).collect();

        let mut users = Vec::with_capacity(document.users.len());
        for user in &document.users {
            let channels = user.channels.unwrap_or(user.user_type.channels());
            if !channels.contains(Channel::Web.as_set()) {
                return Err(Error::new(format!(
                    "user {:?} may not use the web; only web requests are encoded",
                    user.name
                )));
            }
            users.push(ModelUser {
                name: user.name.clone(),
                active: matches!(user.status, Status::Active),
                teams: user.teams.clone(),
            });
        }

        let mut grants = Vec::with_capacity(document.grants.len());
        for (index, grant) in document.grants.iter().enumerate() {
            let place = || format!("grants[{index}] ({} on {:?})", grant.to, grant.scope);
            if grant.when != Condition::Always {
                return Err(Error::new(format!(
                    "{}: conditional grants are not encoded",
                    place()
                )));
            }
            let to = match &grant.to {
                Grantee::User(name) => Holder::User(name.clone()),
                Grantee::Team(name) => Holder::Team(name.clone()),
                Grantee::Everyone | Grantee::Public => {
                    return Err(Error::new(format!(
                        "{}: grants to everyone or the public are not encoded",
                        place()
                    )))
                }
            };
            let deny = match grant.effect {
                Effect::Allow => false,
                Effect::Deny => true,
                Effect::Override => {
                    return Err(Error::new(format!(
                        "{}: override grants are not encoded",
                        place()
                    )))
                }
            };
            grants.push(ModelGrant {
                to,
                scope: grant.scope.clone(),
                role: grant.role.clone(),
                deny,
            });
        }

        Ok(Model {
            roles,
            resources,
            teams: document
                .teams
                .iter()
                .map(|team| team.name.clone())
                .collect(),
            users,
            grants,
            kinds,
        })
    }

    /// The role named `name`.
    #[must_use]
    pub fn role(&self, name: &str) -> Option<&ModelRole> {
        self.roles.iter().find(|role| role.name == name)
    }

    /// The names of the tenant roots.
    pub fn tenants(&self) -> impl Iterator<Item = &ModelResource> {
        self.resources
            .iter()
            .filter(|resource| resource.parent.is_none())
    }
}

/// Fills every role's `flattened` with its own permissions and its
/// ancestors', kind by kind, as clearance does at build.
fn flatten(roles: &mut [ModelRole]) -> Result<(), Error> {
    let index: BTreeMap<String, usize> = roles
        .iter()
        .enumerate()
        .map(|(i, role)| (role.name.clone(), i))
        .collect();
    let mut flattened = Vec::with_capacity(roles.len());
    for start in 0..roles.len() {
        // Every role reachable from `start` through `inherits`, once each.
        let mut seen = BTreeSet::from([start]);
        let mut stack = vec![start];
        let mut total = BTreeMap::<ResourceKind, Permissions>::new();
        while let Some(at) = stack.pop() {
            let Some(role) = roles.get(at) else { continue };
            for (&kind, &permissions) in &role.own {
                *total.entry(kind).or_default() |= permissions;
            }
            for parent in &role.inherits {
                let &parent = index.get(parent).ok_or_else(|| {
                    Error::new(format!(
                        "role {:?} inherits the unknown role {parent:?}",
                        role.name
                    ))
                })?;
                if seen.insert(parent) {
                    stack.push(parent);
                }
            }
        }
        flattened.push(total);
    }
    for (role, total) in roles.iter_mut().zip(flattened) {
        role.flattened = total;
    }
    Ok(())
}

/// Orders resources so that each comes after its parent.
fn parents_first(resources: Vec<ModelResource>) -> Result<Vec<ModelResource>, Error> {
    let mut children = BTreeMap::<&str, Vec<usize>>::new();
    let mut order = Vec::with_capacity(resources.len());
    for (i, resource) in resources.iter().enumerate() {
        match &resource.parent {
            Some(parent) => children.entry(parent.as_str()).or_default().push(i),
            None => order.push(i),
        }
    }
    let mut next = 0;
    while let Some(&at) = order.get(next) {
        next += 1;
        if let Some(name) = resources.get(at).map(|resource| resource.name.as_str()) {
            order.extend(children.get(name).into_iter().flatten());
        }
    }
    if order.len() != resources.len() {
        return Err(Error::new("some resources are not below a tenant root"));
    }
    let mut slots: Vec<Option<ModelResource>> = resources.into_iter().map(Some).collect();
    Ok(order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect())
}

/// The name both other engines give a kind of resource: its label in
/// `CamelCase` (`Flow`, `KnowledgeBase`), a valid Cedar type name.
#[must_use]
pub fn kind_name(kind: ResourceKind) -> String {
    kind.label()
        .split(' ')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

/// The name both other engines give an action: its permission flag in
/// lower case (`view`, `execute_limited`); `None` for a custom action.
#[must_use]
pub fn verb(action: Action) -> Option<String> {
    let bits = action.permissions();
    let mut names = bits.iter_names();
    match (names.next(), names.next()) {
        (Some((name, flag)), None) if flag == bits => Some(name.to_lowercase()),
        _ => None,
    }
}

/// One request by names, as every engine can take it: a user asks to do
/// an action on a resource (of a kind) through the web.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedRequest {
    /// The user's name.
    pub user: String,
    /// The action.
    pub action: Action,
    /// The action's name ([`verb`]).
    pub verb: String,
    /// The resource's kind.
    pub kind: ResourceKind,
    /// The resource's name.
    pub resource: String,
}

impl NamedRequest {
    /// Names clearance's request `(subject, action, resource)` in `policy`.
    ///
    /// # Errors
    ///
    /// An [`Error`] for what the other engines' encodings do not cover: a
    /// key or a link, a channel other than the web, a custom action, or an
    /// id `policy` does not know.
    pub fn of(
        policy: &Policy,
        subject: &Subject,
        action: Action,
        resource: ResourceId,
    ) -> Result<NamedRequest, Error> {
        let Credential::User(user) = subject.credential() else {
            return Err(Error::new("only users' requests are encoded"));
        };
        if subject.channel() != Channel::Web {
            return Err(Error::new("only web requests are encoded"));
        }
        let user = policy
            .user_name(user)
            .ok_or_else(|| Error::new(format!("unknown {user}")))?;
        let verb = verb(action)
            .ok_or_else(|| Error::new(format!("the {action} is not a named action")))?;
        let kind = policy
            .resource_kind(resource)
            .ok_or_else(|| Error::new(format!("unknown {resource}")))?;
        let name = policy
            .resource_name(resource)
            .ok_or_else(|| Error::new(format!("unknown {resource}")))?;
        Ok(NamedRequest {
            user: user.to_owned(),
            action,
            verb,
            kind,
            resource: name.to_owned(),
        })
    }
}

impl fmt::Display for NamedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "user {:?} asks to {} {} {:?}",
            self.user, self.verb, self.kind, self.resource
        )
    }
}

#[cfg(test)]
mod tests {
    use clearance::{Action, Permissions, ResourceKind};

    use super::{kind_name, verb};

    #[test]
    fn kinds_are_named_in_camel_case_from_their_labels() {
        assert_eq!(kind_name(ResourceKind::Flow), "Flow");
        assert_eq!(kind_name(ResourceKind::KnowledgeBase), "KnowledgeBase");
        assert_eq!(kind_name(ResourceKind::BrandKit), "BrandKit");
    }

    #[test]
    fn named_actions_are_their_flag_in_lower_case_and_custom_ones_have_no_name() {
        assert_eq!(verb(Action::View).as_deref(), Some("view"));
        assert_eq!(
            verb(Action::ExecuteLimited).as_deref(),
            Some("execute_limited")
        );
        let two = Action::Custom(Permissions::VIEW | Permissions::EDIT);
        assert_eq!(verb(two), None);
    }
}
