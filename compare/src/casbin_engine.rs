//! The model in casbin ([`casbin`]): RBAC with role links for subjects
//! (`g`), resources (`g2`) and actions (`g3`), and an effect that lets a
//! deny win over every allow.
//!
//! - `g`: a user is linked to each of its teams (`user:ann` → `team:ops`),
//!   and an account that is not active to `status:inactive`;
//! - `g2`: a resource is linked to the resource it is in
//!   (`Flow:launch` → `Folder:campaigns`), so a rule on a folder matches the
//!   folder and everything below it;
//! - `g3`: an action on a kind of resource (`Flow.edit`) is linked to each
//!   role whose own rules give it (`role:editor`), and a role to each role
//!   that inherits it (`role:viewer` → `role:editor`); every action is also
//!   linked to `actions:all`;
//! - `p`: a grant is `holder, scope, role, allow` (or `deny`), and each
//!   tenant root has `status:inactive, root, actions:all, deny`.
//!
//! A request is `(user:NAME, Kind:NAME, Kind.verb)`: the host knows the kind
//! of the resource it asks about. Prefixes keep names of different things
//! apart, which matters because casbin-rs keeps the links of `g`, `g2` and
//! `g3` in one role manager.

use std::collections::{BTreeSet, HashMap};

use casbin::{CoreApi, DefaultModel, Enforcer, MemoryAdapter, MgmtApi};

use crate::model::{kind_name, verb, Holder, Model, NamedRequest};
use crate::Error;

/// The casbin model: request, policy and role definitions, the
/// deny-overrides effect and the matcher.
pub const MODEL: &str = "\
[request_definition]
r = sub, obj, act

[policy_definition]
p = sub, obj, act, eft

[role_definition]
g = _, _
g2 = _, _
g3 = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = g(r.sub, p.sub) && g2(r.obj, p.obj) && g3(r.act, p.act)
";

/// The role every action of every kind is linked to, for the rule that
/// denies everything to inactive accounts.
const ALL_ACTIONS: &str = "actions:all";
/// The group of the accounts that are not active.
const INACTIVE: &str = "status:inactive";

/// A request in casbin's shape: subject, object and action strings. Build it
/// once, outside a timed loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasbinRequest {
    /// `user:NAME`.
    pub subject: String,
    /// `Kind:NAME`.
    pub object: String,
    /// `Kind.verb`.
    pub action: String,
}

/// The standard model as casbin rules, and casbin's enforcer.
pub struct CasbinEngine {
    enforcer: Enforcer,
    rules: usize,
}

impl CasbinEngine {
    /// Encodes `model` (see the module docs). casbin's constructors are
    /// async; nothing here does I/O, so they run to completion at once.
    ///
    /// # Errors
    ///
    /// An [`Error`] if casbin refuses the model or a rule.
    pub fn new(model: &Model) -> Result<CasbinEngine, Error> {
        pollster::block_on(CasbinEngine::build(model))
    }

    async fn build(model: &Model) -> Result<CasbinEngine, Error> {
        let refused = |what: &str, error: casbin::Error| Error::new(format!("{what}: {error}"));
        let casbin_model = DefaultModel::from_str(MODEL)
            .await
            .map_err(|error| refused("the model", error))?;
        let mut enforcer = Enforcer::new(casbin_model, MemoryAdapter::default())
            .await
            .map_err(|error| refused("the enforcer", error))?;

        let kinds: HashMap<&str, String> = model
            .resources
            .iter()
            .map(|resource| (resource.name.as_str(), kind_name(resource.kind)))
            .collect();
        let object = |name: &str| -> Result<String, Error> {
            let kind = kinds
                .get(name)
                .ok_or_else(|| Error::new(format!("unknown resource {name:?}")))?;
            Ok(format!("{kind}:{name}"))
        };

        // Sets: casbin refuses a batch that repeats a rule it already has.
        let mut subjects = BTreeSet::new();
        for user in &model.users {
            for team in &user.teams {
                subjects.insert(pair(format!("user:{}", user.name), format!("team:{team}")));
            }
            if !user.active {
                subjects.insert(pair(format!("user:{}", user.name), INACTIVE.to_owned()));
            }
        }
        let mut resources = BTreeSet::new();
        for resource in &model.resources {
            if let Some(parent) = &resource.parent {
                resources.insert(pair(object(&resource.name)?, object(parent)?));
            }
        }
        let mut actions = BTreeSet::new();
        for action in clearance::Action::ALL {
            let Some(name) = verb(action) else { continue };
            for &kind in &model.kinds {
                let token = format!("{}.{name}", kind_name(kind));
                for role in &model.roles {
                    if role
                        .own
                        .get(&kind)
                        .is_some_and(|own| own.contains(action.permissions()))
                    {
                        actions.insert(pair(token.clone(), format!("role:{}", role.name)));
                    }
                }
                actions.insert(pair(token, ALL_ACTIONS.to_owned()));
            }
        }
        for role in &model.roles {
            for parent in &role.inherits {
                actions.insert(pair(
                    format!("role:{parent}"),
                    format!("role:{}", role.name),
                ));
            }
        }
        let mut policies = BTreeSet::new();
        for grant in &model.grants {
            let holder = match &grant.to {
                Holder::User(name) => format!("user:{name}"),
                Holder::Team(name) => format!("team:{name}"),
            };
            let effect = if grant.deny { "deny" } else { "allow" };
            policies.insert(vec![
                holder,
                object(&grant.scope)?,
                format!("role:{}", grant.role),
                effect.to_owned(),
            ]);
        }
        for tenant in model.tenants() {
            policies.insert(vec![
                INACTIVE.to_owned(),
                object(&tenant.name)?,
                ALL_ACTIONS.to_owned(),
                "deny".to_owned(),
            ]);
        }

        let rules = subjects.len() + resources.len() + actions.len() + policies.len();
        for (kind, set) in [("g", subjects), ("g2", resources), ("g3", actions)] {
            let added = enforcer
                .add_named_grouping_policies(kind, set.into_iter().collect())
                .await
                .map_err(|error| refused(kind, error))?;
            if !added {
                return Err(Error::new(format!("casbin added no {kind} rule")));
            }
        }
        let added = enforcer
            .add_named_policies("p", policies.into_iter().collect())
            .await
            .map_err(|error| refused("p", error))?;
        if !added {
            return Err(Error::new("casbin added no p rule"));
        }
        Ok(CasbinEngine { enforcer, rules })
    }

    /// `request` in casbin's shape.
    #[must_use]
    pub fn request(&self, request: &NamedRequest) -> CasbinRequest {
        let kind = kind_name(request.kind);
        CasbinRequest {
            subject: format!("user:{}", request.user),
            object: format!("{kind}:{}", request.resource),
            action: format!("{kind}.{}", request.verb),
        }
    }

    /// Whether casbin allows `request`: one `enforce` call, what a host does
    /// on the hot path.
    ///
    /// # Errors
    ///
    /// casbin's error, if evaluating the matcher fails.
    pub fn is_allowed(&self, request: &CasbinRequest) -> Result<bool, Error> {
        self.enforcer
            .enforce((
                request.subject.as_str(),
                request.object.as_str(),
                request.action.as_str(),
            ))
            .map_err(|error| Error::new(format!("casbin: {error}")))
    }

    /// How many rules casbin holds: `g`, `g2`, `g3` links and `p` rules.
    /// It evaluates the matcher once per `p` rule on every request.
    #[must_use]
    pub fn rule_count(&self) -> usize {
        self.rules
    }

    /// How many `p` rules the matcher runs over per request.
    #[must_use]
    pub fn policy_count(&self) -> usize {
        self.enforcer.get_policy().len()
    }
}

/// A casbin link: `member` is in `group`.
fn pair(member: String, group: String) -> Vec<String> {
    vec![member, group]
}
