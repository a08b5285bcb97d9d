//! Policy documents: the whole model as plain data, by names, to store,
//! ship and edit. The shape is documented on [`PolicyDocument`], where
//! users read it; the conversions are [`Policy::from_document`] and
//! [`Policy::to_document`]. A document written by a policy is a lossless
//! snapshot: it keeps the ids of removed entities ([`RemovedDocument`])
//! and the revision, and `==` between policies compares their documents.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::directory::{ApiKey, Channels, PublicLink, Status, User, UserType, UserTypes};
use crate::error::{BuildError, DocumentError, DocumentProblem, Entity, Problem};
use crate::grant::{Effect, Grantee, Principal};
use crate::label::{Condition, Labels};
use crate::names::Names as NameTable;
use crate::permission::Permissions;
use crate::policy::{key, Policy, Seats};
use crate::resource::ResourceKind;
use crate::role::Role;
use crate::PolicyBuilder;

/// The whole model as plain data, by names: what a host stores, ships to
/// its replicas and lets people edit, and what [`Policy::from_document`]
/// compiles.
///
/// The shape is flat and stable: one list per kind of entity, each entry
/// naming the entities it refers to (a resource names its parent, a grant
/// its scope and role). Nothing nests, so a 100,000-deep folder chain is an
/// ordinary document, and every entry has a short path (`grants[3]`,
/// `users[0].channels`) that errors point at. Optional fields may be left
/// out, and are left out when written, so documents stay short.
///
/// With the `serde` feature, the types (de)serialize in this shape (shown
/// as JSON; unknown fields are refused, so a misspelt field is an error,
/// not a silently ignored line):
///
/// ```json
/// {
///   "version": 1,
///   "mfa_required": "manage_members | manage_billing",
///   "seats": { "limit": 25, "counted": "native | connected" },
///   "roles": [
///     { "name": "viewer", "rules": [{ "kinds": ["workspace", "folder", "flow"], "permissions": "view" }] },
///     { "name": "editor", "inherits": ["viewer"],
///       "rules": [{ "kinds": ["folder", "flow"], "permissions": "view | edit | execute" }] },
///     { "name": "super user", "rules": [{ "kinds": ["flow"], "permissions": "execute_as_others" }],
///       "only_for": "native" }
///   ],
///   "resources": [
///     { "name": "acme", "kind": "organization" },
///     { "name": "marketing", "kind": "workspace", "parent": "acme" },
///     { "name": "campaigns", "kind": "folder", "parent": "marketing" },
///     { "name": "launch", "kind": "flow", "parent": "campaigns" }
///   ],
///   "teams": [{ "name": "writers", "tenant": "acme" }],
///   "users": [
///     { "name": "ann", "tenant": "acme", "user_type": "native", "status": "active", "teams": ["writers"] },
///     { "name": "pat", "tenant": "acme", "user_type": "native", "status": { "invited": { "until": 1700000000 } },
///       "channels": "web" }
///   ],
///   "grants": [
///     { "to": { "team": "writers" }, "scope": "campaigns", "role": "editor", "effect": "allow" },
///     { "to": { "user": "pat" }, "scope": "launch", "role": "viewer", "effect": "override" },
///     { "to": "everyone", "scope": "marketing", "role": "viewer", "effect": "allow" },
///     { "to": "public", "scope": "launch", "role": "viewer", "effect": "allow" }
///   ],
///   "keys": [{ "name": "ci", "owner": "ann", "scope": "view | execute", "within": "campaigns", "expires_at": 1800000000 }],
///   "links": [{ "name": "launch-link", "resource": "launch", "permissions": "view", "revoked": false }],
///   "removed": { "users": [[1, "bo"]], "keys": [[0, "bo-key"]] },
///   "revision": 42
/// }
/// ```
///
/// - `version` (required): the shape's version, [`PolicyDocument::VERSION`].
/// - Names are unique per kind of entity, and any string (unicode too).
/// - Enumerations are `snake_case` strings, spelt as their `Display` and
///   `FromStr` spell them (see [`ParseError`](crate::ParseError)): kinds
///   (`"knowledge_base"`), user types (`"native_admin"`), effects,
///   statuses (`"active"`, `"suspended"`, `"deactivated"`, or
///   `{ "invited": { "until": seconds } }`).
/// - Sets of flags ([`Permissions`], [`Channels`], [`UserTypes`]) are
///   strings of `snake_case` flag names joined by `|` (`"view | edit"`,
///   `"web | api"`), `"nothing"` for the empty set; a host's own unnamed
///   permission bits are written in hexadecimal (`"view | 0x10000000000"`).
///   Permission names are the action names ([`Action`](crate::Action)).
///   Other spellings (`"VIEW"`, `""`) are refused.
/// - A grant's `to` is `{ "user": name }`, `{ "team": name }`,
///   `"everyone"` or `"public"`.
/// - `seats` is a [`Seats`] limit: at most `limit` active users of the
///   `counted` types.
/// - Ids follow the lists: the n-th entry of `users` is the n-th user id
///   not listed in `removed.users`. `removed` lists, per kind, the ids of
///   removed entities as `[id, name]` pairs, increasing (see
///   [`RemovedDocument`]): [`Policy::to_document`] writes them so that a
///   reloaded snapshot keeps every id. Above, `users[0]` (ann) is user 0,
///   id 1 is the removed bo, `users[1]` (pat) is user 2.
/// - `revision` is the policy's [`revision`](Policy::revision), at most
///   [`PolicyDocument::MAX_REVISION`].
/// - Left out means: no MFA-guarded permissions, no seat limit, no rules, no inheritance,
///   a role open to every user type, a tenant root (no `parent`), the user
///   type's channels, no teams, a key with its owner's full rights
///   (`scope`) anywhere in its tenant (`within`), no expiry, not revoked,
///   nothing removed, revision 0; and every list empty.
///
/// ```
/// use clearance::{Action, Channel, Effect, Grantee, Permissions as P, Policy, PolicyDocument,
///     ResourceDocument, ResourceKind as K, RoleDocument, RuleDocument, GrantDocument,
///     Subject, UserDocument};
///
/// let document = PolicyDocument {
///     roles: vec![RoleDocument {
///         name: "viewer".into(),
///         rules: vec![RuleDocument { kinds: vec![K::Workspace], permissions: P::VIEW }],
///         inherits: vec![],
///         only_for: None,
///     }],
///     resources: vec![
///         ResourceDocument::new("acme", K::Organization, None),
///         ResourceDocument::new("sales", K::Workspace, Some("acme")),
///     ],
///     users: vec![UserDocument::new("ann", "acme")],
///     grants: vec![GrantDocument::new(Grantee::user("ann"), "sales", "viewer", Effect::Allow)],
///     ..PolicyDocument::new()
/// };
/// let policy = Policy::from_document(&document)?;
/// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
/// assert!(policy.authorize(&ann, Action::View, policy.resource_id("sales").unwrap()).is_allowed());
/// assert_eq!(policy.to_document(), document);
///
/// # #[cfg(feature = "serde")]
/// # {
/// let json = r#"{ "version": 1, "resources": [{ "name": "acme", "kind": "organization" }] }"#;
/// let parsed: PolicyDocument = serde_json::from_str(json).unwrap();
/// assert_eq!(parsed.resources[0].kind, K::Organization);
/// # }
/// # Ok::<(), clearance::DocumentError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PolicyDocument {
    /// The version of this shape; [`Policy::from_document`] reads
    /// [`PolicyDocument::VERSION`] only.
    pub version: u32,
    /// Permissions that need a session that passed multi-factor
    /// authentication ([`PolicyBuilder::mfa_required`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Permissions::is_empty")
    )]
    pub mfa_required: Permissions,
    /// The licence seat limit, if any ([`PolicyBuilder::seats`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub seats: Option<Seats>,
    /// Every role.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub roles: Vec<RoleDocument>,
    /// Every resource, tenant roots included, in any order.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub resources: Vec<ResourceDocument>,
    /// Every team.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub teams: Vec<TeamDocument>,
    /// Every user, with its team memberships.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub users: Vec<UserDocument>,
    /// Every grant.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub grants: Vec<GrantDocument>,
    /// Every API key.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub keys: Vec<KeyDocument>,
    /// Every public link.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub links: Vec<LinkDocument>,
    /// The ids of removed entities, so that the live ones keep theirs
    /// (see [`RemovedDocument`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "RemovedDocument::is_empty")
    )]
    pub removed: RemovedDocument,
    /// The policy's [`revision`](Policy::revision): how many changes were
    /// applied to it; at most [`PolicyDocument::MAX_REVISION`].
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_zero"))]
    pub revision: u64,
}

/// The ids of removed entities, per kind, each with the name it had:
/// `{"users": [[1, "bo"]], "resources": [[4, "drafts"], [5, "old"]]}`.
///
/// Ids are dense and never reused: removing an entity leaves its id taken,
/// naming nothing a decision can reach (a subject or resource with that id
/// decides as unknown), and its name free for a new entity with a new id.
/// A document keeps those ids so that a policy rebuilt from
/// [`Policy::to_document`] numbers everything as the original does: an id
/// a session kept across a reload, or took from a replica started from the
/// same snapshot and log, names the same entity or none.
///
/// For each kind, the ids `0..n` (`n` = live entries of the kind's list +
/// removed ones) are given in order: the removed ids listed here, each
/// once and increasing, each below `n`; the entries of the kind's list, in
/// order, take the others. The name is what
/// [`Policy::user_name`](Policy::user_name) and the like still answer for
/// the removed id (for explaining old decisions); it stands for nothing.
/// Every removed id is spelt out, so a document costs memory in proportion
/// to its length, never to a number it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RemovedDocument {
    /// Removed resources: `[id, name]` pairs, ids increasing.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub resources: Vec<(u32, String)>,
    /// Removed roles.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub roles: Vec<(u32, String)>,
    /// Removed teams.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub teams: Vec<(u32, String)>,
    /// Removed users.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub users: Vec<(u32, String)>,
    /// Removed API keys.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub keys: Vec<(u32, String)>,
    /// Removed public links.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub links: Vec<(u32, String)>,
}

impl RemovedDocument {
    /// Whether no id of any kind is removed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lists().iter().all(|(_, list)| list.is_empty())
    }

    /// Each kind's list, with its kind.
    fn lists(&self) -> [(Entity, &Vec<(u32, String)>); 6] {
        [
            (Entity::Resource, &self.resources),
            (Entity::Role, &self.roles),
            (Entity::Team, &self.teams),
            (Entity::User, &self.users),
            (Entity::Key, &self.keys),
            (Entity::Link, &self.links),
        ]
    }
}

/// A role: `{"name", "rules"?, "inherits"?, "only_for"?}`. See
/// [`Role`] for what each part means.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RoleDocument {
    /// The role's name, unique among roles.
    pub name: String,
    /// What the role gives, per kind of resource; several rules add up.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub rules: Vec<RuleDocument>,
    /// Names of the roles whose permissions this one adds (transitively).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub inherits: Vec<String>,
    /// The user types that may hold the role; `None` (left out) for every
    /// type ([`Role::only_for`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub only_for: Option<UserTypes>,
}

/// One rule of a role: `{"kinds": [...], "permissions": "view | edit"}`
/// gives these permissions on resources of these kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RuleDocument {
    /// The kinds of resources the rule applies to.
    pub kinds: Vec<ResourceKind>,
    /// The permissions it gives on them.
    pub permissions: Permissions,
}

/// A resource: `{"name", "kind", "parent"?}`; without a parent it is a
/// tenant root.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ResourceDocument {
    /// The resource's name, unique among resources.
    pub name: String,
    /// What the resource is.
    pub kind: ResourceKind,
    /// The name of the resource it is in; `None` (left out) for a tenant.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub parent: Option<String>,
    /// Its labels, for conditional grants; left out when empty.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Labels::is_empty")
    )]
    pub labels: Labels,
}

/// A team: `{"name", "tenant"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TeamDocument {
    /// The team's name, unique among teams.
    pub name: String,
    /// The name of the tenant (a root resource) the team belongs to.
    pub tenant: String,
}

/// A user: `{"name", "tenant", "user_type", "status", "channels"?,
/// "teams"?}`. See [`User`] for what each part means.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct UserDocument {
    /// The user's name, unique among users.
    pub name: String,
    /// The name of the tenant (a root resource) the account belongs to.
    pub tenant: String,
    /// How the account exists.
    pub user_type: UserType,
    /// Whether it may act now.
    pub status: Status,
    /// The channels it may use when narrower than its type's; `None` (left
    /// out) for all of its type's channels.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub channels: Option<Channels>,
    /// Names of the teams it is in (of its tenant).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub teams: Vec<String>,
    /// Its labels, for conditional grants; left out when empty.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Labels::is_empty")
    )]
    pub labels: Labels,
}

/// A grant: `{"to", "scope", "role", "effect", "when"?}` gives `role` on
/// the resource named `scope` and everything below it to `to`. See
/// [`Effect`].
///
/// `to`, `scope`, `role` and `effect` are the grant's identity
/// ([`Grant`](crate::Grant)): two grants of a document may not share all
/// four, whatever their `when`
/// ([`Problem::DuplicateGrant`](crate::Problem::DuplicateGrant), naming
/// both entries: `grants[4]: the same grant as grants[1] …`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct GrantDocument {
    /// Who holds it: `{"user": name}`, `{"team": name}`, `"everyone"` or
    /// `"public"`.
    pub to: Grantee,
    /// The name of the resource it is on.
    pub scope: String,
    /// The name of the role it gives.
    pub role: String,
    /// How it combines with other grants.
    pub effect: Effect,
    /// When it applies (see [`Condition`]); left out when always.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_always"))]
    pub when: Condition,
}

#[cfg(feature = "serde")]
fn is_always(condition: &Condition) -> bool {
    *condition == Condition::Always
}

/// An API key: `{"name", "owner", "scope"?, "within"?, "expires_at"?,
/// "revoked"?}`. See [`ApiKey`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct KeyDocument {
    /// The key's name, unique among keys.
    pub name: String,
    /// The name of the user it acts for.
    pub owner: String,
    /// The most it may do; `None` (left out) for all of its owner's rights.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub scope: Option<Permissions>,
    /// The name of the resource whose subtree it is limited to; `None`
    /// (left out) for no limit.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub within: Option<String>,
    /// When it stops working (seconds on the host's clock, exclusive);
    /// `None` (left out) for never.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub expires_at: Option<u64>,
    /// Whether it was revoked (left out: `false`).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_false"))]
    pub revoked: bool,
}

/// A public link: `{"name", "resource", "permissions", "expires_at"?,
/// "revoked"?}`. See [`PublicLink`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct LinkDocument {
    /// The link's name, unique among links.
    pub name: String,
    /// The name of the resource it opens (with its subtree).
    pub resource: String,
    /// The most it gives, further limited by the resource's grants to the
    /// public.
    pub permissions: Permissions,
    /// When it stops working (seconds on the host's clock, exclusive);
    /// `None` (left out) for never.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub expires_at: Option<u64>,
    /// Whether it was revoked (left out: `false`).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_false"))]
    pub revoked: bool,
}

/// Whether a flag is unset, for `skip_serializing_if` (which passes a
/// reference).
#[cfg(feature = "serde")]
fn is_false(value: &bool) -> bool {
    !*value
}

/// Whether a number is 0, for `skip_serializing_if`.
#[cfg(feature = "serde")]
fn is_zero(value: &u64) -> bool {
    *value == 0
}

impl PolicyDocument {
    /// The version of the document shape this crate reads and writes.
    pub const VERSION: u32 = 1;

    /// The largest [`revision`](PolicyDocument::revision) a document may
    /// hold: `i64::MAX`, so that it fits a signed 64-bit column and a
    /// policy loaded at it can still count its changes.
    pub const MAX_REVISION: u64 = i64::MAX as u64;

    /// An empty document of the current [`VERSION`](PolicyDocument::VERSION).
    #[must_use]
    pub fn new() -> PolicyDocument {
        PolicyDocument {
            version: PolicyDocument::VERSION,
            mfa_required: Permissions::empty(),
            seats: None,
            roles: Vec::new(),
            resources: Vec::new(),
            teams: Vec::new(),
            users: Vec::new(),
            grants: Vec::new(),
            keys: Vec::new(),
            links: Vec::new(),
            removed: RemovedDocument::default(),
            revision: 0,
        }
    }

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
        let removed = &self.removed;
        in_id_order(
            &mut builder,
            Entity::Resource,
            &removed.resources,
            &self.resources,
            |builder, index, resource| {
                match &resource.parent {
                    None => builder.tenant(resource.name.clone(), resource.kind),
                    Some(parent) => {
                        builder.resource(resource.name.clone(), resource.kind, parent.clone())
                    }
                };
                builder.set_origin(Entity::Resource, format!("resources[{index}]"));
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
            |builder, index, role| {
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
                builder.set_origin(Entity::Role, format!("roles[{index}]"));
            },
        );
        in_id_order(
            &mut builder,
            Entity::Team,
            &removed.teams,
            &self.teams,
            |builder, index, team| {
                builder.team(team.name.clone(), team.tenant.clone());
                builder.set_origin(Entity::Team, format!("teams[{index}]"));
            },
        );
        in_id_order(
            &mut builder,
            Entity::User,
            &removed.users,
            &self.users,
            |builder, index, user| {
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
                builder.user(declared);
                builder.set_origin(Entity::User, format!("users[{index}]"));
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
            builder.set_origin(Entity::Grant, format!("grants[{index}]"));
        }
        in_id_order(
            &mut builder,
            Entity::Key,
            &removed.keys,
            &self.keys,
            |builder, index, key| {
                let mut declared = ApiKey::new(key.name.clone(), key.owner.clone())
                    .scope(key.scope.unwrap_or(Permissions::all()))
                    .revoked(key.revoked);
                if let Some(within) = &key.within {
                    declared = declared.within(within.clone());
                }
                if let Some(at) = key.expires_at {
                    declared = declared.expires_at(at);
                }
                builder.api_key(declared);
                builder.set_origin(Entity::Key, format!("keys[{index}]"));
            },
        );
        in_id_order(
            &mut builder,
            Entity::Link,
            &removed.links,
            &self.links,
            |builder, index, link| {
                let mut declared =
                    PublicLink::new(link.name.clone(), link.resource.clone(), link.permissions)
                        .revoked(link.revoked);
                if let Some(at) = link.expires_at {
                    declared = declared.expires_at(at);
                }
                builder.link(declared);
                builder.set_origin(Entity::Link, format!("links[{index}]"));
            },
        );
        builder
    }
}

/// Declares the entities of one kind in id order: the `removed` ids (checked
/// by [`PolicyDocument::removed_problems`]: increasing, below their count
/// and the entries') as removed slots, and the `entries` through `declare`
/// (with their position in their list) in the other ids, in order.
fn in_id_order<T>(
    builder: &mut PolicyBuilder,
    entity: Entity,
    removed: &[(u32, String)],
    entries: &[T],
    mut declare: impl FnMut(&mut PolicyBuilder, usize, &T),
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
                Some((index, entry)) => declare(builder, index, entry),
                None => break,
            },
        }
    }
}

impl Default for PolicyDocument {
    /// [`PolicyDocument::new`]: empty, of the current version.
    fn default() -> PolicyDocument {
        PolicyDocument::new()
    }
}

/// Documents in and out.
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

    /// The model as a document, by names: a snapshot, which
    /// [`from_document`](Policy::from_document) compiles back into an
    /// equal policy (`==`): the same entities under the same ids, and the
    /// same [`revision`](Policy::revision).
    ///
    /// Entities come in id order, and the ids of removed entities are
    /// listed in [`PolicyDocument::removed`], so the ids of the rebuilt
    /// policy are those of this one, after any changes: an id kept across
    /// a reload names the same entity, or (removed) none. What the compiled
    /// policy no longer distinguishes is written in one canonical way:
    /// grants are listed by scope, a user's teams in id order without
    /// repeats, and a user's channels only when narrower than its type's.
    ///
    /// Two policies are equal exactly when their documents are.
    #[must_use]
    pub fn to_document(&self) -> PolicyDocument {
        let writer = Writer { policy: self };
        PolicyDocument {
            version: PolicyDocument::VERSION,
            mfa_required: self.mfa_required,
            seats: self.seats,
            roles: writer.role_documents(),
            resources: writer.resource_documents(),
            teams: writer.team_documents(),
            users: writer.user_documents(),
            grants: writer.grant_documents(),
            keys: writer.key_documents(),
            links: writer.link_documents(),
            removed: writer.removed_document(),
            revision: self.revision,
        }
    }
}

/// Two policies are equal when they hold the same model: the same
/// [document](Policy::to_document), so the same entities under the same
/// ids (removed ones included), the same grants, and the same
/// [`revision`](Policy::revision). How each lays the model out in memory
/// (the order of its arenas, space left by changes) does not count: a
/// policy changed step by step equals the one its snapshot rebuilds.
///
/// Comparing writes both documents: a cost in proportion to the policies'
/// size, for tests and checks, never for a decision.
impl PartialEq for Policy {
    fn eq(&self, other: &Policy) -> bool {
        self.revision == other.revision && self.to_document() == other.to_document()
    }
}

impl Eq for Policy {}

/// Writes a policy's parts for [`Policy::to_document`], one per kind of
/// entity, from the policy's views ([`crate::inspect`]): each lists the
/// live entities of its kind, and `removed` every other id, by the one
/// rule of which ids are live.
struct Writer<'p> {
    policy: &'p Policy,
}

impl core::ops::Deref for Writer<'_> {
    type Target = Policy;

    fn deref(&self) -> &Policy {
        self.policy
    }
}

impl Writer<'_> {
    /// The ids (and names) of removed entities: every id of a kind that
    /// is not live.
    fn removed_document(&self) -> RemovedDocument {
        let removed = |count: usize, names: &NameTable, live: &dyn Fn(u32) -> bool| {
            (0..count)
                .filter_map(|index| u32::try_from(index).ok())
                .filter(|&id| !live(id))
                .map(|id| (id, name_of(names, id)))
                .collect()
        };
        let roles = (0..)
            .zip(&self.catalog.roles)
            .filter(|&(id, _)| !self.role_is_live(id))
            .map(|(id, role)| (id, role.name.clone()))
            .collect();
        RemovedDocument {
            resources: removed(self.nodes.len(), &self.catalog.resources, &|id| {
                self.resource_is_live(id)
            }),
            roles,
            teams: removed(
                self.catalog.team_tenants.len(),
                &self.catalog.teams,
                &|id| self.team_is_live(id),
            ),
            users: removed(self.users.len(), &self.catalog.users, &|id| {
                self.user_is_live(id)
            }),
            keys: removed(self.keys.len(), &self.catalog.keys, &|id| {
                self.key_is_live(id)
            }),
            links: removed(self.links.len(), &self.catalog.links, &|id| {
                self.link_is_live(id)
            }),
        }
    }

    fn role_documents(&self) -> Vec<RoleDocument> {
        self.roles()
            .map(|role| RoleDocument {
                name: role.name().to_string(),
                rules: role
                    .rules()
                    .map(|(kinds, permissions)| RuleDocument {
                        kinds: kinds.to_vec(),
                        permissions,
                    })
                    .collect(),
                inherits: role.inherits().map(ToString::to_string).collect(),
                only_for: (role.only_for() != UserTypes::all()).then_some(role.only_for()),
            })
            .collect()
    }

    fn resource_documents(&self) -> Vec<ResourceDocument> {
        self.resources()
            .filter_map(|id| self.resource(id))
            .map(|resource| ResourceDocument {
                name: resource.name().to_string(),
                kind: resource.kind(),
                parent: resource
                    .parent()
                    .map(|parent| self.resource_name_of(parent)),
                labels: resource.labels(),
            })
            .collect()
    }

    fn team_documents(&self) -> Vec<TeamDocument> {
        self.teams()
            .map(|team| TeamDocument {
                name: team.name().to_string(),
                tenant: self.resource_name_of(team.tenant()),
            })
            .collect()
    }

    fn user_documents(&self) -> Vec<UserDocument> {
        self.users()
            .map(|user| UserDocument {
                name: user.name().to_string(),
                tenant: self.resource_name_of(user.tenant()),
                user_type: user.user_type(),
                status: user.status(),
                channels: (user.channels() != user.user_type().channels())
                    .then_some(user.channels()),
                teams: user
                    .teams()
                    .map(|team| self.team_name(team).unwrap_or_default().to_string())
                    .collect(),
                labels: user.labels(),
            })
            .collect()
    }

    fn grant_documents(&self) -> Vec<GrantDocument> {
        // (scope, principal key, grant): sorted by the first two, grants
        // read like the model: resource by resource, principals in order.
        let mut grants: Vec<(u32, u32, GrantDocument)> = self
            .grants()
            .map(|(grant, when)| {
                let to = match grant.principal {
                    Principal::User(user) => {
                        Grantee::User(self.user_name(user).unwrap_or_default().to_string())
                    }
                    Principal::Team(team) => {
                        Grantee::Team(self.team_name(team).unwrap_or_default().to_string())
                    }
                    Principal::Everyone => Grantee::Everyone,
                    Principal::Public => Grantee::Public,
                };
                let document = GrantDocument {
                    to,
                    scope: self.resource_name_of(grant.scope),
                    role: self.role_name(grant.role).unwrap_or_default().to_string(),
                    effect: grant.effect,
                    when,
                };
                (grant.scope.0, key::pack(grant.principal), document)
            })
            .collect();
        // Stable: a principal's grants on one scope keep their compiled
        // order (by effect, then role).
        grants.sort_by_key(|&(scope, principal, _)| (scope, principal));
        grants.into_iter().map(|(_, _, grant)| grant).collect()
    }

    fn key_documents(&self) -> Vec<KeyDocument> {
        self.keys()
            .map(|key| KeyDocument {
                name: key.name().to_string(),
                owner: self.user_name(key.owner()).unwrap_or_default().to_string(),
                scope: (key.scope() != Permissions::all()).then_some(key.scope()),
                within: key.within().map(|within| self.resource_name_of(within)),
                expires_at: key.expires_at(),
                revoked: key.is_revoked(),
            })
            .collect()
    }

    fn link_documents(&self) -> Vec<LinkDocument> {
        self.links()
            .map(|link| LinkDocument {
                name: link.name().to_string(),
                resource: self.resource_name_of(link.resource()),
                permissions: link.permissions(),
                expires_at: link.expires_at(),
                revoked: link.is_revoked(),
            })
            .collect()
    }

    /// The name of resource `id`, owned.
    fn resource_name_of(&self, id: crate::ResourceId) -> String {
        name_of(&self.catalog.resources, id.0)
    }
}

/// The name of entity `id` in `names`, or `""` if it has none (never, in
/// a policy that built).
fn name_of(names: &NameTable, id: u32) -> String {
    names.owned(id)
}

/// Gives each problem of a document's build the path of the entry it is
/// about. Problems that name an entry by its origin (`grants[3]: …`) carry
/// their path already; the others name entities, found here by name.
fn locate(document: &PolicyDocument, problems: &[Problem]) -> Vec<DocumentProblem> {
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
                Problem::TooManyTeams { user, .. } => {
                    format!("{}.teams", finder.path(Entity::User, user, 0))
                }
                Problem::TooMany { entity, .. } => list_name(*entity).to_string(),
                Problem::MisplacedRemovedId { entity, .. } => {
                    format!("removed.{}", list_name(*entity))
                }
                Problem::SeatsExceeded { .. } => "seats".to_string(),
            };
            DocumentProblem {
                path,
                problem: problem.clone(),
            }
        })
        .collect()
}

/// The name of a document's list of `entity`.
fn list_name(entity: Entity) -> &'static str {
    match entity {
        Entity::Resource => "resources",
        Entity::Role => "roles",
        Entity::Team => "teams",
        Entity::User => "users",
        Entity::Key => "keys",
        Entity::Link => "links",
        Entity::Grant => "grants",
    }
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
        let list = list_name(entity);
        match self
            .names
            .get(&(entity, name))
            .and_then(|positions| positions.get(nth))
        {
            Some(position) => format!("{list}[{position}]"),
            None => list.to_string(),
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

impl ResourceDocument {
    /// A resource without labels; `parent` is `None` for a tenant.
    pub fn new(
        name: impl Into<String>,
        kind: ResourceKind,
        parent: Option<&str>,
    ) -> ResourceDocument {
        ResourceDocument {
            name: name.into(),
            kind,
            parent: parent.map(ToString::to_string),
            labels: Labels::empty(),
        }
    }
}

impl UserDocument {
    /// An active native user of `tenant`, in no team, without labels.
    pub fn new(name: impl Into<String>, tenant: impl Into<String>) -> UserDocument {
        UserDocument {
            name: name.into(),
            tenant: tenant.into(),
            user_type: UserType::Native,
            status: Status::Active,
            channels: None,
            teams: Vec::new(),
            labels: Labels::empty(),
        }
    }
}

impl GrantDocument {
    /// A grant that always applies.
    pub fn new(
        to: Grantee,
        scope: impl Into<String>,
        role: impl Into<String>,
        effect: Effect,
    ) -> GrantDocument {
        GrantDocument {
            to,
            scope: scope.into(),
            role: role.into(),
            effect,
            when: Condition::Always,
        }
    }
}
