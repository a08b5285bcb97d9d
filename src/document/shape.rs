//! The document's shape: the plain data types of a policy document
//! ([`PolicyDocument`] and one type per kind of entry), their serde form,
//! their constructors, and the names of their lists.
//!
//! This file owns what a document *is*. It must never read a document into
//! a policy or write one from a policy (that is `read.rs` and `write.rs`),
//! and it must never check a model: a document holds whatever it is given,
//! and only [`Policy::from_document`] says whether it builds.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::directory::{Channels, Status, User, UserType, UserTypes};
use crate::error::Entity;
use crate::grant::{Effect, Grantee};
use crate::label::{Condition, Labels};
use crate::permission::Permissions;
use crate::policy::Seats;
use crate::resource::ResourceKind;
use crate::role::RequiredOf;

#[cfg(doc)]
use crate::{ApiKey, Policy, PolicyBuilder, PublicLink, Role};

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
///   "required_roles": [{ "of": { "team": "writers" }, "role": "viewer" }],
///   "resources": [
///     { "name": "acme", "kind": "organization" },
///     { "name": "marketing", "kind": "workspace", "parent": "acme" },
///     { "name": "campaigns", "kind": "folder", "parent": "marketing" },
///     { "name": "launch", "kind": "flow", "parent": "campaigns" }
///   ],
///   "teams": [{ "name": "writers", "tenant": "acme" }, { "name": "readers", "tenant": "acme" }],
///   "exclusive_teams": [["writers", "readers"]],
///   "users": [
///     { "name": "ann", "tenant": "acme", "user_type": "native", "status": "active", "teams": ["writers"] },
///     { "name": "pat", "tenant": "acme", "user_type": "native", "status": { "invited": { "until": 1700000000 } },
///       "channels": "web", "teams": ["readers"] }
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
/// - `required_roles` lists [`RequiredRoleDocument`]s: `of` is
///   `{ "types": "native | connected" }` or `{ "team": name }`, and
///   `on_each`, when present, a resource kind (`"workspace"`): the role is
///   then required on every resource of that kind instead of the tenant
///   root.
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
    /// The roles required of accounts ([`PolicyBuilder::require_role`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub required_roles: Vec<RequiredRoleDocument>,
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
    /// Sets of exclusive teams ([`PolicyBuilder::exclusive_teams`]), each
    /// by its teams' names.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub exclusive_teams: Vec<Vec<String>>,
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
    pub(super) fn lists(&self) -> [(Entity, &Vec<(u32, String)>); 6] {
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

/// A role required of some accounts: `{"of", "role", "on_each"?}`; see
/// [`PolicyBuilder::require_role`] and
/// [`PolicyBuilder::require_role_on_each`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RequiredRoleDocument {
    /// Whom it is required of.
    pub of: RequiredOf,
    /// The role's name.
    pub role: String,
    /// The kind of resource it is required on, each of them; absent, it is
    /// required on the tenant root.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub on_each: Option<ResourceKind>,
}

/// A user: `{"name", "tenant", "user_type", "status", "channels"?,
/// "teams"?, "labels"?, "protected"?}`. See [`User`] for what each part means.
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
    /// Whether the account is protected ([`User::protected`]): no change
    /// may suspend, deactivate, remove or narrow it. Left out when false.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "core::ops::Not::not")
    )]
    pub protected: bool,
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
    /// The names of the resources whose subtrees it is limited to; empty
    /// (left out) for no limit. Written as one name for one subtree
    /// (`"within": "campaigns"`), as a list for several.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            with = "crate::directory::one_or_many",
            skip_serializing_if = "Vec::is_empty"
        )
    )]
    pub within: Vec<String>,
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
            required_roles: Vec::new(),
            resources: Vec::new(),
            teams: Vec::new(),
            exclusive_teams: Vec::new(),
            users: Vec::new(),
            grants: Vec::new(),
            keys: Vec::new(),
            links: Vec::new(),
            removed: RemovedDocument::default(),
            revision: 0,
        }
    }
}

impl Default for PolicyDocument {
    /// [`PolicyDocument::new`]: empty, of the current version.
    fn default() -> PolicyDocument {
        PolicyDocument::new()
    }
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
        // A new user's defaults are written once, in `User::new`.
        let User {
            name,
            tenant,
            user_type,
            status,
            channels,
            teams,
            labels,
            protected,
        } = User::new(name, tenant);
        UserDocument {
            name,
            tenant,
            user_type,
            status,
            channels,
            teams,
            labels,
            protected,
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

/// The name of a document's list of `entity`.
pub(super) fn list_name(entity: Entity) -> &'static str {
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

/// The path of entry `index` (from 0) of the document's list of `entity`:
/// `grants[3]`.
pub(super) fn entry_path(entity: Entity, index: usize) -> String {
    format!("{}[{index}]", list_name(entity))
}
