//! Preset: Boomi Flow, a low-code platform for flows, pages and their
//! players, organised in tenants and subtenants. Source: `003_*.txt` and §4
//! of `PRODUCTS.md`.
//!
//! # How Boomi Flow maps onto clearance
//!
//! | Boomi Flow | clearance |
//! |---|---|
//! | a tenant, a subtenant | each a tenant root of kind [`Tenant`](crate::ResourceKind::Tenant), declared with [`tenant`]: nothing crosses from one to another |
//! | flows, pages, values, connectors, assets, environments, local runtimes, players, macros, dashboards | resources of the kinds of those names below their tenant |
//! | the two tenant user roles | two [`Role`]s ([`roles`]): [`ADMINISTRATOR`] and [`STANDARD_USER`], granted per user on the tenant |
//! | the 14 tenant privileges | permissions on the tenant resource ([`PRIVILEGES`]): the library's named permission where one means the privilege (Connectors, Tenant, Import/Export, Dashboards, Auditing), a custom bit otherwise (bits 40 to 51): see *Privilege → action and resource to ask* below |
//! | "included: the page, the feature and the API endpoints" | privileges do not depend on the [`Channel`]: the web UI and the API (a user's session or an API key) get the same answer |
//! | a user of several tenants | one [`User`] per tenant membership, named by [`member`] (`tenant/email`) |
//! | a user provisioned by SAML | a [`UserType::Connected`] user holding Standard user ([`provision`]) |
//! | publishing a flow to a local runtime | [`Action::Publish`] on the flow *and* on the [`Runtime`](crate::ResourceKind::Runtime): [`publish_to_local_runtime`] |
//!
//! Boomi Flow's documentation has no teams, item-level exceptions or
//! attribute filters at the tenant-role level, so the preset uses no team,
//! no [`Effect::Override`] grant and no label.
//!
//! A privilege is a feature of the whole tenant, so the matrix asks it at
//! the tenant: `Action::Custom(FLOWS)` "may use the Flows page, feature and
//! API". What a user may then do to one flow (view, edit, publish, …) is
//! given by the same role on the [`Flow`](crate::ResourceKind::Flow) kind.
//!
//! # Privilege → action and resource to ask
//!
//! Where the library has a named action that means the privilege, the
//! privilege *is* that action's permission, so a host that asks the named
//! action gets the product's answer (an Administrator and a Standard user
//! may both call [`Action::ViewAudit`] on the tenant, since both have
//! Auditing); the other privileges are custom bits, asked with
//! [`Action::Custom`]. No bit stands for two privileges.
//!
//! | Privilege | Ask | At | Administrator | Standard user |
//! |---|---|---|---|---|
//! | Flows | `Action::Custom(`[`FLOWS`]`)` | the tenant | Y | Y |
//! | Pages | `Action::Custom(`[`PAGES`]`)` | the tenant | Y | Y |
//! | Values | `Action::Custom(`[`VALUES`]`)` | the tenant | Y | Y |
//! | Connectors | [`Action::ManageIntegrations`] ([`CONNECTORS`]) | the tenant | Y | Y |
//! | Assets | `Action::Custom(`[`ASSETS`]`)` | the tenant | Y | Y |
//! | Organization | `Action::Custom(`[`ORGANIZATION`]`)` | the tenant | Y | N |
//! | Tenant | [`Action::ManageSettings`] and [`Action::ManageMembers`] ([`TENANT`]) | the tenant | Y | N |
//! | Environments | `Action::Custom(`[`ENVIRONMENTS`]`)` | the tenant | Y | N |
//! | API (the API tool) | `Action::Custom(`[`API_TOOL`]`)` | the tenant | Y | N |
//! | Import/Export | [`Action::Import`] and [`Action::Export`] ([`IMPORT_EXPORT`]) | the tenant | Y | Y |
//! | Players | `Action::Custom(`[`PLAYERS`]`)` | the tenant | Y | Y |
//! | Macros | `Action::Custom(`[`MACROS`]`)` | the tenant | Y | Y |
//! | Dashboards | [`Action::ViewAnalytics`] ([`DASHBOARDS`]) | the tenant | Y | Y |
//! | Auditing | [`Action::ViewAudit`] ([`AUDITING`]) | the tenant | Y | Y |
//!
//! The choices in this table (I): Boomi Flow's connectors are how flows
//! integrate with other systems, so Connectors is "configure
//! integrations"; the Tenant page holds the tenant's settings and its
//! users, so Tenant is both managing settings and managing members. The API privilege is the API tool, not
//! API keys, so it stays a custom bit, as do the features no named action
//! describes.
//!
//! # The matrix
//!
//! [`matrix`] has the six rows of `PRODUCTS.md` §4; a row that groups
//! several privileges asks for all of them at once (an
//! [`Action::Custom`] of their union). [`privilege_matrix`] has the 14 rows
//! of the source document's table, one privilege each. The columns are
//! `Administrator` and `Standard user`.
//!
//! Every cell of §4 is D (the full version of the excerpt's table), so the
//! preset makes no choice of its own there. The choices it does make, about
//! what the excerpt leaves open:
//!
//! - **Local runtimes** (I): a Standard user cannot see them at all (the
//!   drop-down is not available), so the role gives nothing on the
//!   `Runtime` kind; an Administrator may view, edit and publish to them.
//! - **Publishing elsewhere** (I): a Standard user may publish a flow
//!   (to the cloud), so `PUBLISH` on flows is in Standard user; only the
//!   local runtime needs more.
//! - **Members** (I): managing the tenant's users is part of the Tenant
//!   privilege, which is `MANAGE_SETTINGS | MANAGE_MEMBERS` on the tenant
//!   (see above): Administrators hold it and Standard users do not.
//!
//! # Gaps
//!
//! None for the rules of the issue. One consequence of the mapping to note:
//! since a user belongs to one tenant, a person in three subtenants is three
//! users, and suspending that person is three changes.
//!
//! # Example
//!
//! ```
//! use clearance::presets::boomi_flow::{self, TENANT};
//! use clearance::{Action, Channel, Subject};
//!
//! let mut builder = boomi_flow::builder();
//! boomi_flow::tenant(&mut builder, "acme", "olivia@acme.test");
//! boomi_flow::add_user(&mut builder, "acme", "sam@acme.test");
//! let policy = builder.build()?;
//!
//! let acme = policy.resource_id("acme").unwrap();
//! let ask = |email: &str| {
//!     let id = policy.user_id(&boomi_flow::member("acme", email)).unwrap();
//!     policy.authorize(&Subject::user(id, Channel::Api).at(1_700_000_000), Action::Custom(TENANT), acme)
//! };
//! assert!(ask("olivia@acme.test").is_allowed()); // the creator: Administrator
//! assert!(!ask("sam@acme.test").is_allowed()); // added later: Standard user
//! # Ok::<(), clearance::BuildError>(())
//! ```

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::{
    Action, ApiKey, BuildError, Change, Channel, Decision, Grantee, Matrix, Permissions as P,
    Policy, PolicyBuilder, ResourceId, ResourceKind as K, Role, Subject, User, UserType,
};

#[cfg(doc)]
use crate::Effect;

/// The role name of a tenant Administrator.
pub const ADMINISTRATOR: &str = "Administrator";
/// The role name of a Standard user.
pub const STANDARD_USER: &str = "Standard user";

/// The Flows privilege: the main Flows page, feature and API endpoints
/// (a custom bit: bit 40).
pub const FLOWS: P = P::from_bits_retain(1 << 40);
/// The Pages privilege: the Page Layouts page, feature and API endpoints
/// (a custom bit: bit 41).
pub const PAGES: P = P::from_bits_retain(1 << 41);
/// The Values privilege (a custom bit: bit 42).
pub const VALUES: P = P::from_bits_retain(1 << 42);
/// The Connectors privilege: the connectors that integrate flows with
/// other systems, asked as [`Action::ManageIntegrations`] on the tenant.
pub const CONNECTORS: P = P::MANAGE_INTEGRATIONS;
/// The Assets privilege (a custom bit: bit 44).
pub const ASSETS: P = P::from_bits_retain(1 << 44);
/// The Organization privilege: Organization Settings (a custom bit: bit 45).
pub const ORGANIZATION: P = P::from_bits_retain(1 << 45);
/// The Tenant privilege: the Tenant page, its settings and its users,
/// asked as [`Action::ManageSettings`] and [`Action::ManageMembers`] on the
/// tenant (both bits together in `Action::Custom(TENANT)`).
pub const TENANT: P = P::MANAGE_SETTINGS.union(P::MANAGE_MEMBERS);
/// The Environments privilege (a custom bit: bit 47).
pub const ENVIRONMENTS: P = P::from_bits_retain(1 << 47);
/// The API privilege: the API tool page and feature (a custom bit: bit 48).
/// Not API keys: a user's API key acts with its owner's privileges.
pub const API_TOOL: P = P::from_bits_retain(1 << 48);
/// The Import/Export privilege, asked as [`Action::Import`] and
/// [`Action::Export`] on the tenant (both bits together in
/// `Action::Custom(IMPORT_EXPORT)`).
pub const IMPORT_EXPORT: P = P::IMPORT.union(P::EXPORT);
/// The Players privilege (a custom bit: bit 50).
pub const PLAYERS: P = P::from_bits_retain(1 << 50);
/// The Macros privilege (a custom bit: bit 51).
pub const MACROS: P = P::from_bits_retain(1 << 51);
/// The Dashboards privilege: the Dashboard page and feature, asked as
/// [`Action::ViewAnalytics`] on the tenant.
pub const DASHBOARDS: P = P::VIEW_ANALYTICS;
/// The Auditing privilege: the Auditing page and feature, asked as
/// [`Action::ViewAudit`] on the tenant.
pub const AUDITING: P = P::VIEW_AUDIT;

/// The 14 tenant privileges, named and ordered as in the source
/// document's table.
///
/// ```
/// use clearance::presets::boomi_flow::{PRIVILEGES, TENANT};
///
/// assert_eq!(PRIVILEGES.len(), 14);
/// assert!(PRIVILEGES.contains(&("Tenant", TENANT)));
/// ```
pub const PRIVILEGES: [(&str, P); 14] = [
    ("Flows", FLOWS),
    ("Pages", PAGES),
    ("Values", VALUES),
    ("Connectors", CONNECTORS),
    ("Assets", ASSETS),
    ("Organization", ORGANIZATION),
    ("Tenant", TENANT),
    ("Environments", ENVIRONMENTS),
    ("API", API_TOOL),
    ("Import/Export", IMPORT_EXPORT),
    ("Players", PLAYERS),
    ("Macros", MACROS),
    ("Dashboards", DASHBOARDS),
    ("Auditing", AUDITING),
];

/// The privileges of a Standard user (D): all but Organization, Tenant,
/// Environments and API.
pub const STANDARD_PRIVILEGES: P = FLOWS
    .union(PAGES)
    .union(VALUES)
    .union(CONNECTORS)
    .union(ASSETS)
    .union(IMPORT_EXPORT)
    .union(PLAYERS)
    .union(MACROS)
    .union(DASHBOARDS)
    .union(AUDITING);

/// The privileges only an Administrator holds (D).
pub const ADMINISTRATOR_PRIVILEGES: P = ORGANIZATION
    .union(TENANT)
    .union(ENVIRONMENTS)
    .union(API_TOOL);

/// The two tenant roles.
///
/// - **Standard user** (D): the ten standard privileges on the tenant, and
///   the content they open: view, create, edit and delete flows, pages,
///   values, connectors, assets, players and macros; run, publish (not to a
///   local runtime), import and export flows; view dashboards.
/// - **Administrator** (D): everything a Standard user has, the four
///   administrator privileges (Tenant is managing the tenant's settings and
///   members), environments, and local runtimes, the only way to publish to
///   one (S).
///
/// ```
/// assert_eq!(clearance::presets::boomi_flow::roles().len(), 2);
/// ```
#[must_use]
pub fn roles() -> Vec<Role> {
    let content = [
        K::Flow,
        K::Page,
        K::Value,
        K::Connector,
        K::Asset,
        K::Player,
        K::Macro,
    ];
    vec![
        Role::new(STANDARD_USER)
            .allow([K::Tenant], P::VIEW | STANDARD_PRIVILEGES)
            .allow(content, P::VIEW | P::CREATE | P::EDIT | P::DELETE)
            .allow(
                [K::Flow],
                P::EXECUTE | P::PUBLISH | P::IMPORT | P::EXPORT | P::VIEW_EXECUTIONS,
            )
            .allow([K::Dashboard], P::VIEW | P::VIEW_ANALYTICS),
        Role::new(ADMINISTRATOR)
            .inherits(STANDARD_USER)
            .allow([K::Tenant], ADMINISTRATOR_PRIVILEGES)
            .allow([K::Environment], P::VIEW | P::CREATE | P::EDIT | P::DELETE)
            .allow([K::Runtime], P::VIEW | P::EDIT | P::PUBLISH),
    ]
}

/// A builder holding the two roles, ready for tenants ([`tenant`]), their
/// content and users ([`add_user`]).
///
/// ```
/// let policy = clearance::presets::boomi_flow::builder().build()?;
/// assert!(policy.role_id("Standard user").is_some());
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[must_use]
pub fn builder() -> PolicyBuilder {
    super::builder_with(roles())
}

/// The name of the user that stands for the person `email` in the tenant
/// `tenant`: `tenant/email`. A person in several tenants (or subtenants) is
/// one user per tenant, since nothing crosses tenants.
///
/// ```
/// use clearance::presets::boomi_flow::member;
///
/// assert_eq!(member("acme-dev", "olivia@acme.test"), "acme-dev/olivia@acme.test");
/// ```
#[must_use]
pub fn member(tenant: &str, email: &str) -> String {
    format!("{tenant}/{email}")
}

/// Declares a tenant or subtenant (a root of kind
/// [`Tenant`](crate::ResourceKind::Tenant)) and its creator, who becomes its
/// Administrator (D).
///
/// ```
/// use clearance::presets::boomi_flow;
///
/// let mut builder = boomi_flow::builder();
/// boomi_flow::tenant(&mut builder, "acme", "olivia@acme.test");
/// boomi_flow::tenant(&mut builder, "acme-dev", "olivia@acme.test"); // a subtenant
/// let policy = builder.build()?;
/// assert_eq!(policy.user_count(), 2);
/// # Ok::<(), clearance::BuildError>(())
/// ```
pub fn tenant<'b>(
    builder: &'b mut PolicyBuilder,
    name: &str,
    creator: &str,
) -> &'b mut PolicyBuilder {
    let creator = member(name, creator);
    builder.tenant(name, K::Tenant);
    super::user_holding(builder, User::new(creator, name), ADMINISTRATOR)
}

/// Adds the person `email` to the tenant `tenant` as a Standard user, the
/// role of every user added after the tenant was created (D).
///
/// ```
/// use clearance::presets::boomi_flow;
///
/// let mut builder = boomi_flow::builder();
/// boomi_flow::tenant(&mut builder, "acme", "olivia@acme.test");
/// boomi_flow::add_user(&mut builder, "acme", "sam@acme.test");
/// assert!(builder.build().is_ok());
/// ```
pub fn add_user<'b>(
    builder: &'b mut PolicyBuilder,
    tenant: &str,
    email: &str,
) -> &'b mut PolicyBuilder {
    let name = member(tenant, email);
    super::user_holding(builder, User::new(name, tenant), STANDARD_USER)
}

/// The changes that provision the person `email` into `tenant` by SAML: a
/// [`UserType::Connected`] user (its account comes from the identity
/// provider) holding Standard user (D). Apply them with
/// [`Policy::apply_all`].
///
/// ```
/// use clearance::presets::boomi_flow;
/// use clearance::{Action, Channel, Subject};
///
/// let mut builder = boomi_flow::builder();
/// boomi_flow::tenant(&mut builder, "acme", "olivia@acme.test");
/// let mut policy = builder.build()?;
/// policy.apply_all(boomi_flow::provision("acme", "kim@acme.test"))?;
///
/// let kim = policy.user_id("acme/kim@acme.test").unwrap();
/// let acme = policy.resource_id("acme").unwrap();
/// let flows = Action::Custom(boomi_flow::FLOWS);
/// assert!(policy.authorize(&Subject::user(kim, Channel::Web).at(1_700_000_000), flows, acme).is_allowed());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn provision(tenant: &str, email: &str) -> [Change; 2] {
    let name = member(tenant, email);
    [
        Change::AddUser(User::new(name.as_str(), tenant).user_type(UserType::Connected)),
        super::grant_change(Grantee::User(name), tenant, STANDARD_USER, None),
    ]
}

/// May `subject` publish `flow` to the local runtime `runtime`? Only tenant
/// Administrators may (S): it needs [`Action::Publish`] on the flow and on
/// the runtime. The decision is the first denial, or the runtime's allow.
///
/// ```
/// use clearance::presets::boomi_flow;
/// use clearance::{Channel, Subject};
///
/// let policy = boomi_flow::demo()?;
/// let flow = policy.resource_id("acme/onboarding").unwrap();
/// let runtime = policy.resource_id("acme/local-runtime").unwrap();
/// let as_user = |email: &str| {
///     let id = policy.user_id(&boomi_flow::member("acme", email)).unwrap();
///     boomi_flow::publish_to_local_runtime(&policy, &Subject::user(id, Channel::Web).at(1_700_000_000), flow, runtime)
/// };
/// assert!(as_user("olivia@acme.test").is_allowed());
/// assert!(!as_user("sam@acme.test").is_allowed());
/// # Ok::<(), clearance::BuildError>(())
/// ```
pub fn publish_to_local_runtime(
    policy: &Policy,
    subject: &Subject,
    flow: ResourceId,
    runtime: ResourceId,
) -> Decision {
    let decision = policy.authorize(subject, Action::Publish, flow);
    if !decision.is_allowed() {
        return decision;
    }
    policy.authorize(subject, Action::Publish, runtime)
}

/// The demo model: a tenant `acme` and two subtenants, `acme-dev` and
/// `acme-test`, each with a flow, a page, a connector, an environment and a
/// local runtime (named `tenant/item`).
///
/// | tenant | Administrator (creator) | Standard users |
/// |---|---|---|
/// | `acme` | `olivia@acme.test` | `sam@acme.test` (added; owns the key `acme/sam-key`), `kim@acme.test` (SAML) |
/// | `acme-dev` | `olivia@acme.test` | `dev@acme.test` |
/// | `acme-test` | `tess@acme.test` | `sam@acme.test` |
///
/// # Errors
///
/// None in practice: the model is fixed and builds. The `Result` is the
/// builder's.
///
/// ```
/// let policy = clearance::presets::boomi_flow::demo()?;
/// assert_eq!(policy.user_count(), 7);
/// # Ok::<(), clearance::BuildError>(())
/// ```
pub fn demo() -> Result<Policy, BuildError> {
    let mut builder = builder();
    let tenants = [
        ("acme", "olivia@acme.test", &["sam@acme.test"][..]),
        ("acme-dev", "olivia@acme.test", &["dev@acme.test"][..]),
        ("acme-test", "tess@acme.test", &["sam@acme.test"][..]),
    ];
    for (name, creator, users) in tenants {
        tenant(&mut builder, name, creator);
        for email in users {
            add_user(&mut builder, name, email);
        }
        for (item, kind) in [
            ("onboarding", K::Flow),
            ("welcome-page", K::Page),
            ("salesforce", K::Connector),
            ("production", K::Environment),
            ("local-runtime", K::Runtime),
        ] {
            builder.resource(format!("{name}/{item}"), kind, name);
        }
    }
    let kim = member("acme", "kim@acme.test");
    super::user_holding(
        &mut builder,
        User::new(kim, "acme").user_type(UserType::Connected),
        STANDARD_USER,
    )
    .api_key(ApiKey::new("acme/sam-key", member("acme", "sam@acme.test")));
    builder.build()
}

/// The columns of both matrices: the Administrator and a Standard user of
/// the demo's tenant `acme`, asking through the web.
fn columns(policy: &Policy) -> [(&'static str, Subject); 2] {
    let user = |email: &str| super::user_asking(policy, &member("acme", email), Channel::Web);
    [
        (ADMINISTRATOR, user("olivia@acme.test")),
        (STANDARD_USER, user("sam@acme.test")),
    ]
}

/// The demo's tenant `acme`, or an id no policy knows (every cell denied
/// with the reason "unknown resource").
fn acme(policy: &Policy) -> ResourceId {
    super::resource_or_unknown(policy, "acme")
}

/// The permission matrix of `PRODUCTS.md` §4 over the [`demo`] model: six
/// rows, a grouped row asking for all of its privileges at once, at the
/// tenant `acme`; columns `Administrator` and `Standard user`.
///
/// ```
/// use clearance::presets::boomi_flow;
///
/// let policy = boomi_flow::demo()?;
/// let matrix = boomi_flow::matrix(&policy);
/// assert!(!matrix.decision("Environments", "Standard user").unwrap().is_allowed());
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[must_use]
pub fn matrix(policy: &Policy) -> Matrix<'_> {
    let rows = [
        (
            "Flows, Pages, Values, Connectors, Assets",
            FLOWS | PAGES | VALUES | CONNECTORS | ASSETS,
        ),
        ("Organization", ORGANIZATION),
        ("Tenant", TENANT),
        ("Environments", ENVIRONMENTS),
        ("API (the API tool)", API_TOOL),
        (
            "Import/Export, Players, Macros, Dashboards, Auditing",
            IMPORT_EXPORT | PLAYERS | MACROS | DASHBOARDS | AUDITING,
        ),
    ]
    .map(|(label, privileges)| (label, ask(privileges)));
    Matrix::compute_at(policy, acme(policy), rows, columns(policy)).with_heading("Privilege")
}

/// The 14 privileges of the source document's table, one row each, over
/// the [`demo`] model at the tenant `acme`; the columns of [`matrix`].
///
/// ```
/// use clearance::presets::boomi_flow;
///
/// let policy = boomi_flow::demo()?;
/// let matrix = boomi_flow::privilege_matrix(&policy);
/// assert_eq!(matrix.rows().len(), 14);
/// assert!(matrix.decision("Auditing", "Standard user").unwrap().is_allowed());
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[must_use]
pub fn privilege_matrix(policy: &Policy) -> Matrix<'_> {
    let rows = PRIVILEGES.map(|(label, privilege)| (label, ask(privilege)));
    Matrix::compute_at(policy, acme(policy), rows, columns(policy)).with_heading("Privilege")
}

/// The action that asks for `privilege`: the named action whose permission
/// it is (Auditing is [`Action::ViewAudit`]), or [`Action::Custom`] of its
/// bits. Both need the same bits, so the decision is the same; the named
/// one is what the module's table tells a host to ask.
fn ask(privilege: P) -> Action {
    Action::ALL
        .into_iter()
        .find(|action| action.permissions() == privilege)
        .unwrap_or(Action::Custom(privilege))
}
