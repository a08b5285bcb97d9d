//! Preset: the workflow automation platform of `002_*.txt` (FactoryThread's
//! user management), §3 of `PRODUCTS.md`: workspace roles, flow-level
//! permissions, connection access, folders, teams, invitations,
//! suspension, MFA for admins and scoped, expiring API keys.
//!
//! # How the platform maps onto clearance
//!
//! | The platform | clearance |
//! |---|---|
//! | a workspace | a tenant root of kind [`Workspace`](crate::ResourceKind::Workspace): members, teams, statuses and invitations are per workspace, and nothing crosses workspaces |
//! | a workspace member | a [`User`] of that workspace. A person in two workspaces is two members (user names are unique, so a host names them, say, `workspace/email`) |
//! | folders, flows, connections | [`Folder`](crate::ResourceKind::Folder)s (nesting), [`Flow`](crate::ResourceKind::Flow)s and [`Connection`](crate::ResourceKind::Connection)s below the workspace |
//! | Admin, Editor, Viewer | three [`Role`]s ([`ADMIN`], [`EDITOR`], [`VIEWER`]) granted on the workspace root with [`assign`] |
//! | custom roles (enterprise) | more [`Role`]s that [`inherits`](Role::inherits) one of the three; [`operator_role`] is an example |
//! | folder permissions | the same roles granted on a folder: its contents inherit them |
//! | flow-level Owner, Editor, Viewer, None | [`FlowPermission`]: an [`Effect::Override`] grant of [`FLOW_OWNER`], [`FLOW_EDITOR`], [`FLOW_VIEWER`] or [`FLOW_NONE`] on the item, made with [`set_flow_permission`]: it replaces, for that user or team, whatever it inherits from the folder or the workspace |
//! | teams (enterprise) | teams of the workspace, holding roles like users; a member gets the union of its own and all its teams' grants |
//! | connection access | [`ConnectionAccess`], set with [`set_connection_access`]: all members (the default), specific users or teams, admins only |
//! | "limited" execution of a flow Viewer | [`Permissions::EXECUTE_LIMITED`](crate::Permissions::EXECUTE_LIMITED), defined below |
//! | the Viewer's "limited settings access" | the custom bit [`PERSONAL_SETTINGS`] (bit 40), which every role holds |
//! | billing | [`Action::ManageBilling`] on the workspace (there is no custom billing bit: [`VIEW_BILLING`] is deprecated) |
//! | Active / Suspended; invitations Pending, Accepted, Expired, Revoked | [`Status`] and the [`Change`](crate::Change)s `Suspend`, `Reactivate`, `Invite`, `AcceptInvitation`, `ExpireInvitation`, `RevokeInvitation` |
//! | MFA required for Admins | [`PolicyBuilder::mfa_required`]`(`[`ADMIN_POWERS`]`)`: the admin powers need a session that passed MFA |
//! | API keys: expiry, scope, revocation | [`api_key`] with a [`KeyScope`] and a [`KeyExpiry`]; [`Change::RevokeKey`](crate::Change::RevokeKey) |
//!
//! ## Limited execution
//!
//! A flow Viewer (and a workspace Viewer) runs a flow in a *limited* way:
//! **by hand only** — the Run button, with the flow's saved inputs. It may
//! not run with inputs of its own, schedule the flow, attach triggers or
//! webhooks, or start it through the API. The host asks
//! [`Action::ExecuteLimited`] for a manual run and [`Action::Execute`] for
//! everything else; the Owner and Editor hold both.
//!
//! ## Connection access
//!
//! A connection open to **all workspace members** needs nothing: members
//! reach it through their workspace role (Admins and Editors use and manage
//! it, Viewers see that it exists). A connection for **specific users or
//! teams**, or for **admins only**, carries the label [`RESTRICTED`]. Every
//! workspace role but Admin is granted with the condition
//! [`MEMBER_CONDITION`] (the subject's labels contain the resource's), and no
//! member carries `RESTRICTED`, so those grants do not reach a restricted
//! connection: only the Admin's grant (unconditional) and the grants of
//! [`CONNECTION_USER`] made on the connection itself to the users and teams
//! named. [`assign`] picks the condition; grant workspace roles with it.
//! The preset's choice (I): on a restricted connection, the named users and
//! teams *use* it in their flows; editing or deleting it stays with Admins.
//!
//! # Capability → action and resource to ask
//!
//! Each row of the table in `PRODUCTS.md` §3, and what a host asks for it.
//! [`matrix`] asks each row's first entry (both actions together where a
//! row names two), with the columns `Admin` (`ada`), `Editor` (`eddie`)
//! and `Viewer` (`vera`), each on the web in a session that passed MFA.
//! Every action listed gives the row's answer in each column
//! (`tests/presets_workspace_platform.rs` checks them all), so a host
//! calling a named action gets the product's answer.
//!
//! | Capability | Ask | At |
//! |---|---|---|
//! | User management: invite, change role, suspend, remove | [`Action::ManageMembers`] | the workspace |
//! | All settings | [`Action::ManageSettings`] (the Viewer's "limited" settings are `Action::Custom(`[`PERSONAL_SETTINGS`]`)`, which every role holds) | the workspace |
//! | View flows and executions | [`Action::View`] and [`Action::ViewExecutions`] | a flow |
//! | Create and edit flows | [`Action::Edit`] on a flow; [`Action::Create`] on the workspace | a flow, the workspace |
//! | Manage connections | [`Action::Edit`] and [`Action::Delete`] | a connection open to all members |
//! | Create and manage API keys | [`Action::ManageApiKeys`] | the workspace |
//! | Configure integrations | [`Action::ManageIntegrations`] | the workspace |
//! | Billing | [`Action::ManageBilling`] | the workspace |
//!
//! Each named permission means one thing here: managing a connection is
//! editing or deleting that connection, and `MANAGE_INTEGRATIONS` on the
//! workspace is configuring its integrations (an Editor does the first,
//! not the second). The audit log, not a row of the table, is
//! [`Action::ViewAudit`] on the workspace: an Admin's (and the example
//! [`operator_role`]'s). The only custom bit is [`PERSONAL_SETTINGS`], which
//! no named action describes.
//!
//! # Cells that are the preset's choice
//!
//! Cells marked S or D follow the source. The others (I and ?), and the
//! product's own words:
//!
//! - **Admin: Create and edit flows, Manage connections**: Y (I). The Admin
//!   has "full workspace control" and [`ADMIN`] inherits [`EDITOR`].
//! - **Editor: All settings**: ? → N. The Editor holds
//!   [`PERSONAL_SETTINGS`] only, like the Viewer.
//! - **Viewer: All settings**: *limited* (S). The preset defines it as
//!   [`PERSONAL_SETTINGS`]: one's own profile, notifications and MFA, not the
//!   workspace's settings. [`read_cell`] reads `limited` in the "All
//!   settings" row as a deny.
//! - **Editor: Create and manage API keys, Configure integrations**: ? → N.
//! - **Viewer: Create and manage API keys, Configure integrations, Billing**:
//!   N (I).
//! - **Admin: Billing**: Y (D: view). The Admin holds
//!   [`MANAGE_BILLING`](crate::Permissions::MANAGE_BILLING), which sees and
//!   changes billing: the only role that reaches billing at all (I).
//! - **Flow Viewer: Can Execute**: *Limited* (S), defined above.
//! - **Flow Owner**: the same as Editor (S), and also deletes and shares
//!   (sets the item-level permissions of) its flow (I).
//!
//! # Gaps
//!
//! Every rule of the issue is expressed and tested. What stays with the host:
//!
//! - **Restricted connections use a reserved label.** "Inherited access does
//!   not reach this item, except for Admins" has no first-class form: the
//!   preset builds it from a conditional grant and the label [`RESTRICTED`]
//!   (bit 63), which a host must not give to users. A per-resource
//!   "restricted: inherited grants stop here, except for roles marked
//!   unrestricted" would say it directly.
//! - **Plans, audit retention, off-boarding chores.** Teams and custom
//!   roles being enterprise-only, audit retention by plan (Free 30 days, Pro
//!   90, Enterprise 1 year+) and "review shared credentials" are the host's.
//!   Audit records of decisions and changes are
//!   [`AuditRecord`](crate::AuditRecord)s; removing a member
//!   ([`Change::RemoveUser`](crate::Change::RemoveUser)) removes its API keys
//!   with it.
//!
//! # Example
//!
//! ```
//! use clearance::presets::workspace_platform::{self as wp, FlowPermission};
//! use clearance::{Action, Channel, Grantee, ResourceKind as K, Subject, User};
//!
//! let mut builder = wp::builder();
//! builder
//!     .tenant("ops", K::Workspace)
//!     .resource("reports", K::Folder, "ops")
//!     .resource("weekly", K::Flow, "reports")
//!     .user(User::new("ed", "ops"));
//! wp::assign(&mut builder, Grantee::user("ed"), "ops", wp::EDITOR);
//! // On this one flow, Ed is only a Viewer: runs it by hand, edits nothing.
//! wp::set_flow_permission(&mut builder, Grantee::user("ed"), "weekly", FlowPermission::Viewer);
//! let policy = builder.build()?;
//!
//! let ed = Subject::user(policy.user_id("ed").unwrap(), Channel::Web).at(1_700_000_000);
//! let weekly = policy.resource_id("weekly").unwrap();
//! assert!(policy.authorize(&ed, Action::ExecuteLimited, weekly).is_allowed());
//! assert!(!policy.authorize(&ed, Action::Edit, weekly).is_allowed());
//! # Ok::<(), clearance::BuildError>(())
//! ```

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::{
    Action, ApiKey, BuildError, Channel, Condition, Effect, Grantee, Labels, Matrix,
    Permissions as P, Policy, PolicyBuilder, ResourceId, ResourceKind as K, Role, Status, Subject,
    User,
};

/// The role name of a workspace Admin.
pub const ADMIN: &str = "admin";
/// The role name of a workspace Editor.
pub const EDITOR: &str = "editor";
/// The role name of a workspace Viewer.
pub const VIEWER: &str = "viewer";
/// The role name of a flow's Owner (flow-level permission).
pub const FLOW_OWNER: &str = "flow owner";
/// The role name of a flow's Editor (flow-level permission).
pub const FLOW_EDITOR: &str = "flow editor";
/// The role name of a flow's Viewer (flow-level permission).
pub const FLOW_VIEWER: &str = "flow viewer";
/// The role name of the flow-level permission None: a role that gives
/// nothing, granted as an [`Effect::Override`].
pub const FLOW_NONE: &str = "flow none";
/// The role name of a user or team given access to a restricted connection.
pub const CONNECTION_USER: &str = "connection user";
/// The role name of the example custom role ([`operator_role`]).
pub const OPERATOR: &str = "operator";

/// Change one's own profile, notification and MFA settings: the Viewer's
/// "limited settings access" (a custom bit: bit 40). Every role holds it.
pub const PERSONAL_SETTINGS: P = P::from_bits_retain(1 << 40);
/// See the plan, invoices and usage of the workspace: billing,
/// [`Permissions::MANAGE_BILLING`](crate::Permissions::MANAGE_BILLING) (it
/// was the custom bit 41).
///
/// Deprecated: ask [`Action::ManageBilling`]. The constant is that
/// permission now, so `Action::Custom(VIEW_BILLING)` still gets the
/// product's answer (the Admin's alone).
#[deprecated(note = "ask Action::ManageBilling: the Admin's billing is that permission")]
pub const VIEW_BILLING: P = P::MANAGE_BILLING;

/// The Admin's powers, which need a session that passed MFA (S: "required
/// for Admins"): user management, all settings, billing, API keys,
/// integrations and the audit log.
pub const ADMIN_POWERS: P = P::MANAGE_MEMBERS
    .union(P::MANAGE_SETTINGS)
    .union(P::MANAGE_BILLING)
    .union(P::MANAGE_API_KEYS)
    .union(P::MANAGE_INTEGRATIONS)
    .union(P::VIEW_AUDIT);

/// The label of a connection open only to Admins and to the users and teams
/// named on it (bit 63, reserved by this preset: give it to no user).
pub const RESTRICTED: Labels = Labels::bit(63);

/// The condition every workspace role but Admin is granted with: the
/// subject's labels contain the resource's, so such grants do not reach a
/// [`RESTRICTED`] connection.
pub const MEMBER_CONDITION: Condition = Condition::LabelsContain;

/// The permissions of a flow's Viewer: see it and its executions, run it by
/// hand.
const FLOW_READ: P = P::VIEW.union(P::VIEW_EXECUTIONS).union(P::EXECUTE_LIMITED);
/// What an Editor adds on a flow: change it and run it in full.
const FLOW_WRITE: P = P::EDIT.union(P::EXECUTE);

/// The product's roles: the three workspace roles, the four flow-level
/// permissions and the connection user.
///
/// - **Viewer** (S): sees the workspace, folders, flows and their
///   executions, and connections; runs flows by hand only
///   ([`Permissions::EXECUTE_LIMITED`](crate::Permissions::EXECUTE_LIMITED));
///   its own settings only ([`PERSONAL_SETTINGS`]).
/// - **Editor** (S): a Viewer that creates, edits and deletes folders and
///   flows, runs flows in full, and uses and manages connections.
/// - **Admin** (S): an Editor with every admin power ([`ADMIN_POWERS`]) on
///   the workspace, and who shares (sets item-level permissions on) folders,
///   flows and connections.
/// - **Flow Owner, Flow Editor, Flow Viewer, Flow None** (S, Owner's extras
///   I): view, edit and execute; view and execute limited; nothing.
/// - **Connection user**: sees and uses a connection.
///
/// ```
/// use clearance::presets::workspace_platform;
///
/// let roles = workspace_platform::roles();
/// assert_eq!(roles.len(), 8);
/// ```
#[must_use]
pub fn roles() -> Vec<Role> {
    vec![
        Role::new(VIEWER)
            .allow([K::Workspace], P::VIEW | PERSONAL_SETTINGS)
            .allow([K::Folder, K::Connection], P::VIEW)
            .allow([K::Flow], FLOW_READ),
        Role::new(EDITOR)
            .inherits(VIEWER)
            .allow([K::Workspace], P::CREATE)
            .allow([K::Folder], P::CREATE | P::EDIT | P::DELETE)
            .allow([K::Flow], FLOW_WRITE | P::DELETE)
            .allow([K::Connection], P::USE | P::EDIT | P::DELETE),
        Role::new(ADMIN)
            .inherits(EDITOR)
            .allow([K::Workspace], ADMIN_POWERS)
            .allow([K::Folder, K::Flow, K::Connection], P::SHARE),
        Role::new(FLOW_VIEWER)
            .allow([K::Folder], P::VIEW)
            .allow([K::Flow], FLOW_READ),
        Role::new(FLOW_EDITOR)
            .inherits(FLOW_VIEWER)
            .allow([K::Folder], P::CREATE | P::EDIT)
            .allow([K::Flow], FLOW_WRITE),
        Role::new(FLOW_OWNER)
            .inherits(FLOW_EDITOR)
            .allow([K::Folder, K::Flow], P::DELETE | P::SHARE),
        Role::new(FLOW_NONE),
        Role::new(CONNECTION_USER).allow([K::Connection], P::VIEW | P::USE),
    ]
}

/// An example custom role (enterprise): an **operator** inherits
/// [`VIEWER`] and adds full runs of flows and the audit log. Custom roles
/// are plain [`Role`]s that inherit; declare them on the [`builder`] and
/// grant them with [`assign`].
///
/// ```
/// use clearance::presets::workspace_platform as wp;
///
/// let mut builder = wp::builder();
/// builder.role(wp::operator_role());
/// # builder.tenant("ops", clearance::ResourceKind::Workspace);
/// assert!(builder.build()?.role_id(wp::OPERATOR).is_some());
/// # Ok::<(), clearance::BuildError>(())
/// ```
pub fn operator_role() -> Role {
    Role::new(OPERATOR)
        .inherits(VIEWER)
        .allow([K::Flow], P::EXECUTE)
        .allow([K::Workspace], P::VIEW_AUDIT)
}

/// A builder holding the product's [`roles`] and its security policy: the
/// [`ADMIN_POWERS`] need a session that passed MFA.
///
/// ```
/// use clearance::presets::workspace_platform as wp;
///
/// let mut builder = wp::builder();
/// builder.tenant("ops", clearance::ResourceKind::Workspace);
/// assert_eq!(builder.build()?.mfa_required(), wp::ADMIN_POWERS);
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[must_use]
pub fn builder() -> PolicyBuilder {
    let mut builder = super::builder_with(roles());
    builder.mfa_required(ADMIN_POWERS);
    builder
}

/// Grants a workspace role (or a custom one) to a user or team on `scope`
/// (the workspace, or a folder for folder-level access). [`ADMIN`] is
/// granted as is; every other role with [`MEMBER_CONDITION`], so that it
/// does not reach [`RESTRICTED`] connections.
///
/// ```
/// use clearance::presets::workspace_platform as wp;
/// use clearance::{Grantee, ResourceKind as K, User};
///
/// let mut builder = wp::builder();
/// builder.tenant("ops", K::Workspace).team("engineering", "ops").user(User::new("al", "ops"));
/// wp::assign(&mut builder, Grantee::user("al"), "ops", wp::ADMIN);
/// wp::assign(&mut builder, Grantee::team("engineering"), "ops", wp::EDITOR);
/// assert!(builder.build().is_ok());
/// ```
pub fn assign<'b>(
    builder: &'b mut PolicyBuilder,
    grantee: Grantee,
    scope: &str,
    role: &str,
) -> &'b mut PolicyBuilder {
    let condition = if role == ADMIN {
        Condition::Always
    } else {
        MEMBER_CONDITION
    };
    builder.grant_when(grantee, scope, role, Effect::Allow, condition)
}

/// A flow-level permission (S): what one user or team may do with one flow
/// (or with a folder's flows), whatever it inherits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlowPermission {
    /// View, edit, execute; and delete and share (I).
    Owner,
    /// View, edit, execute.
    Editor,
    /// View, and execute limited: by hand only.
    Viewer,
    /// Nothing.
    None,
}

impl FlowPermission {
    /// The name of the role behind this permission.
    ///
    /// ```
    /// use clearance::presets::workspace_platform::{FlowPermission, FLOW_NONE};
    ///
    /// assert_eq!(FlowPermission::None.role(), FLOW_NONE);
    /// ```
    #[must_use]
    pub const fn role(self) -> &'static str {
        match self {
            FlowPermission::Owner => FLOW_OWNER,
            FlowPermission::Editor => FLOW_EDITOR,
            FlowPermission::Viewer => FLOW_VIEWER,
            FlowPermission::None => FLOW_NONE,
        }
    }
}

/// Sets the flow-level permission of `grantee` on `item` (a flow, or a
/// folder whose flows inherit it): an [`Effect::Override`] grant, so that
/// it replaces, for that user or team, what it inherits from above
/// ("inherited by contents, overridden at item level"). Other principals
/// are untouched: a member's teams keep their own access to the item.
///
/// ```
/// use clearance::presets::workspace_platform::{self as wp, FlowPermission};
/// use clearance::{Action, Channel, Grantee, Reason, ResourceKind as K, Subject, User};
///
/// let mut builder = wp::builder();
/// builder.tenant("ops", K::Workspace).resource("payroll", K::Flow, "ops").user(User::new("vi", "ops"));
/// wp::assign(&mut builder, Grantee::user("vi"), "ops", wp::VIEWER);
/// wp::set_flow_permission(&mut builder, Grantee::user("vi"), "payroll", FlowPermission::None);
/// let policy = builder.build()?;
/// let vi = Subject::user(policy.user_id("vi").unwrap(), Channel::Web).at(1_700_000_000);
/// let payroll = policy.resource_id("payroll").unwrap();
/// assert!(matches!(policy.authorize(&vi, Action::View, payroll).reason(), Reason::Overridden { .. }));
/// # Ok::<(), clearance::BuildError>(())
/// ```
pub fn set_flow_permission<'b>(
    builder: &'b mut PolicyBuilder,
    grantee: Grantee,
    item: &str,
    permission: FlowPermission,
) -> &'b mut PolicyBuilder {
    builder.grant(grantee, item, permission.role(), Effect::Override)
}

/// Who may use a connection (S).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConnectionAccess {
    /// Every workspace member, through its workspace role (the default).
    AllMembers,
    /// Admins, and these users and teams ([`CONNECTION_USER`]).
    Specific(Vec<Grantee>),
    /// Admins only.
    AdminsOnly,
}

/// Sets who may use the connection named `connection`; see the module docs.
///
/// ```
/// use clearance::presets::workspace_platform::{self as wp, ConnectionAccess};
/// use clearance::{Action, Channel, Grantee, ResourceKind as K, Subject, User};
///
/// let mut builder = wp::builder();
/// builder.tenant("ops", K::Workspace).resource("stripe", K::Connection, "ops");
/// builder.user(User::new("ed", "ops")).user(User::new("flo", "ops"));
/// wp::assign(&mut builder, Grantee::user("ed"), "ops", wp::EDITOR);
/// wp::assign(&mut builder, Grantee::user("flo"), "ops", wp::EDITOR);
/// wp::set_connection_access(&mut builder, "stripe", ConnectionAccess::Specific(vec![Grantee::user("flo")]));
/// let policy = builder.build()?;
/// let stripe = policy.resource_id("stripe").unwrap();
/// let web = |name| Subject::user(policy.user_id(name).unwrap(), Channel::Web).at(1_700_000_000);
/// assert!(!policy.authorize(&web("ed"), Action::Use, stripe).is_allowed());
/// assert!(policy.authorize(&web("flo"), Action::Use, stripe).is_allowed());
/// # Ok::<(), clearance::BuildError>(())
/// ```
pub fn set_connection_access<'b>(
    builder: &'b mut PolicyBuilder,
    connection: &str,
    access: ConnectionAccess,
) -> &'b mut PolicyBuilder {
    match access {
        ConnectionAccess::AllMembers => builder.labels(connection, Labels::empty()),
        ConnectionAccess::AdminsOnly => builder.labels(connection, RESTRICTED),
        ConnectionAccess::Specific(grantees) => {
            builder.labels(connection, RESTRICTED);
            for grantee in grantees {
                builder.grant(grantee, connection, CONNECTION_USER, Effect::Allow);
            }
            builder
        }
    }
}

/// What an API key may do (D), always within its owner's rights.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeyScope {
    /// Work with every flow: view, create, edit, delete, run, use
    /// connections ([`FLOW_WORK`]).
    AllFlows,
    /// [`FLOW_WORK`] within the subtrees of the named folders and flows
    /// ("specific flows", anywhere in the workspace: the key reaches each,
    /// and nothing else; [`ApiKey::within`]). Naming none, the key may do
    /// nothing.
    Flows(Vec<String>),
    /// See flows and their executions ([`READ_ONLY`]).
    ReadOnly,
}

/// The permissions of a key that works with flows: never an admin power.
pub const FLOW_WORK: P = P::VIEW
    .union(P::VIEW_EXECUTIONS)
    .union(P::CREATE)
    .union(P::EDIT)
    .union(P::DELETE)
    .union(P::EXECUTE)
    .union(P::EXECUTE_LIMITED)
    .union(P::USE);

/// The permissions of a read-only key.
pub const READ_ONLY: P = P::VIEW.union(P::VIEW_EXECUTIONS);

/// When an API key expires (D).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyExpiry {
    /// Never.
    Never,
    /// 30 days after its creation.
    Days30,
    /// 90 days after its creation.
    Days90,
    /// One year (365 days) after its creation.
    OneYear,
    /// At this time (seconds on the host's clock).
    At(u64),
}

/// One day, in seconds.
const DAY: u64 = 24 * 60 * 60;

impl KeyExpiry {
    /// The expiry time of a key created at `created` (seconds), or `None`.
    ///
    /// ```
    /// use clearance::presets::workspace_platform::KeyExpiry;
    ///
    /// assert_eq!(KeyExpiry::Days30.at(1_000), Some(1_000 + 30 * 86_400));
    /// assert_eq!(KeyExpiry::Never.at(1_000), None);
    /// ```
    #[must_use]
    pub const fn at(self, created: u64) -> Option<u64> {
        let days = match self {
            KeyExpiry::Never => return None,
            KeyExpiry::At(at) => return Some(at),
            KeyExpiry::Days30 => 30,
            KeyExpiry::Days90 => 90,
            KeyExpiry::OneYear => 365,
        };
        Some(created.saturating_add(days * DAY))
    }
}

/// An API key named `name` of the member `owner`, created at `created`,
/// with a scope and an expiry. It acts with its owner's rights ∩ its scope,
/// and is refused as soon as it expires or is revoked
/// ([`Change::RevokeKey`](crate::Change::RevokeKey)).
///
/// ```
/// use clearance::presets::workspace_platform::{self as wp, KeyExpiry, KeyScope};
///
/// let key = wp::api_key("ci", "ada", KeyScope::Flows(vec!["reports".into(), "sync".into()]), KeyExpiry::Days90, 0);
/// # let _ = key;
/// ```
pub fn api_key(
    name: &str,
    owner: &str,
    scope: KeyScope,
    expiry: KeyExpiry,
    created: u64,
) -> ApiKey {
    let key = match scope {
        KeyScope::AllFlows => ApiKey::new(name, owner).scope(FLOW_WORK),
        // A key limited to no subtree is a key without a limit: "specific
        // flows" naming none gives no permission instead of every flow.
        KeyScope::Flows(subtrees) if subtrees.is_empty() => {
            ApiKey::new(name, owner).scope(P::empty())
        }
        KeyScope::Flows(subtrees) => subtrees
            .into_iter()
            .fold(ApiKey::new(name, owner).scope(FLOW_WORK), ApiKey::within),
        KeyScope::ReadOnly => ApiKey::new(name, owner).scope(READ_ONLY),
    };
    match expiry.at(created) {
        Some(at) => key.expires_at(at),
        None => key,
    }
}

/// The demo's clock: the time its keys were created and its matrix is
/// asked at (seconds; mid-2025).
pub const DEMO_NOW: u64 = 1_750_000_000;

/// The demo model: the workspace `northwind` and, to show that nothing
/// crosses workspaces, `globex`.
///
/// ```text
/// northwind (workspace)
/// ├── development (folder)   engineering: Editor; operations: Viewer
/// │   ├── lead-sync
/// │   ├── invoice-export     vera: flow Editor
/// │   └── sandbox-db (connection)
/// ├── production (folder)    operations: Editor
/// │   ├── order-routing      eddie: flow Owner
/// │   └── payroll-run        omar: Owner, erin: Editor, eddie: Viewer, vera: None
/// ├── salesforce (connection, all members)
/// ├── warehouse-db (connection, specific: team operations and eddie)
/// └── stripe-live (connection, admins only)
/// globex (workspace)
/// └── globex-flows (folder)
///     └── billing-sync
/// ```
///
/// | member | workspace role | teams | status |
/// |---|---|---|---|
/// | `ada@northwind.test` | Admin (owns the demo's API keys) | | active |
/// | `eddie@northwind.test` | Editor | | active |
/// | `vera@northwind.test` | Viewer | | active |
/// | `otis@northwind.test` | Operator (custom, inherits Viewer) | | active |
/// | `erin@northwind.test` | | engineering | active |
/// | `omar@northwind.test` | | operations | active |
/// | `pia@northwind.test` | | engineering, operations | active |
/// | `sam@northwind.test` | Editor | | suspended |
/// | `ivy@northwind.test` | Editor | | invited, pending for 7 days |
/// | `gus@globex.test` | Admin of `globex` | | active |
///
/// API keys of `ada`, created at [`DEMO_NOW`]: `ada-all-flows` (all flows,
/// 90 days), `ada-dev-flows` (the `development` folder, 30 days),
/// `ada-reporting` (read-only, one year), `ada-forever` (all flows, no
/// expiry) and `ada-quarter-close` (all flows, until a custom date:
/// 2025-09-30).
///
/// # Errors
///
/// None in practice: the model is fixed and builds. The `Result` is the
/// builder's.
///
/// ```
/// let policy = clearance::presets::workspace_platform::demo()?;
/// assert_eq!(policy.user_count(), 10);
/// # Ok::<(), clearance::BuildError>(())
/// ```
pub fn demo() -> Result<Policy, BuildError> {
    let mut builder = builder();
    builder
        .role(operator_role())
        .tenant("northwind", K::Workspace)
        .resource("development", K::Folder, "northwind")
        .resource("lead-sync", K::Flow, "development")
        .resource("invoice-export", K::Flow, "development")
        .resource("sandbox-db", K::Connection, "development")
        .resource("production", K::Folder, "northwind")
        .resource("order-routing", K::Flow, "production")
        .resource("payroll-run", K::Flow, "production")
        .resource("salesforce", K::Connection, "northwind")
        .resource("warehouse-db", K::Connection, "northwind")
        .resource("stripe-live", K::Connection, "northwind")
        .team("engineering", "northwind")
        .team("operations", "northwind")
        .tenant("globex", K::Workspace)
        .resource("globex-flows", K::Folder, "globex")
        .resource("billing-sync", K::Flow, "globex-flows");

    let members: [(&str, &str, Status); 6] = [
        ("ada@northwind.test", ADMIN, Status::Active),
        ("eddie@northwind.test", EDITOR, Status::Active),
        ("vera@northwind.test", VIEWER, Status::Active),
        ("otis@northwind.test", OPERATOR, Status::Active),
        ("sam@northwind.test", EDITOR, Status::Suspended),
        (
            "ivy@northwind.test",
            EDITOR,
            Status::Invited {
                until: DEMO_NOW + 7 * DAY,
            },
        ),
    ];
    for (name, role, status) in members {
        builder.user(User::new(name, "northwind").status(status));
        assign(&mut builder, Grantee::user(name), "northwind", role);
    }
    builder
        .user(User::new("erin@northwind.test", "northwind").member_of("engineering"))
        .user(User::new("omar@northwind.test", "northwind").member_of("operations"))
        .user(
            User::new("pia@northwind.test", "northwind")
                .member_of("engineering")
                .member_of("operations"),
        )
        .user(User::new("gus@globex.test", "globex"));
    assign(
        &mut builder,
        Grantee::user("gus@globex.test"),
        "globex",
        ADMIN,
    );

    // Teams (S, "Team Examples"): Engineering edits the development flows
    // and their test connection; Operations edits production and views
    // the development flows.
    assign(
        &mut builder,
        Grantee::team("engineering"),
        "development",
        EDITOR,
    );
    assign(
        &mut builder,
        Grantee::team("operations"),
        "production",
        EDITOR,
    );
    assign(
        &mut builder,
        Grantee::team("operations"),
        "development",
        VIEWER,
    );

    let flow_permissions = [
        (
            "vera@northwind.test",
            "invoice-export",
            FlowPermission::Editor,
        ),
        (
            "eddie@northwind.test",
            "order-routing",
            FlowPermission::Owner,
        ),
        ("omar@northwind.test", "payroll-run", FlowPermission::Owner),
        ("erin@northwind.test", "payroll-run", FlowPermission::Editor),
        (
            "eddie@northwind.test",
            "payroll-run",
            FlowPermission::Viewer,
        ),
        ("vera@northwind.test", "payroll-run", FlowPermission::None),
    ];
    for (name, item, permission) in flow_permissions {
        set_flow_permission(&mut builder, Grantee::user(name), item, permission);
    }

    set_connection_access(
        &mut builder,
        "warehouse-db",
        ConnectionAccess::Specific(vec![
            Grantee::team("operations"),
            Grantee::user("eddie@northwind.test"),
        ]),
    );
    set_connection_access(&mut builder, "stripe-live", ConnectionAccess::AdminsOnly);

    let ada = "ada@northwind.test";
    let keys = [
        ("ada-all-flows", KeyScope::AllFlows, KeyExpiry::Days90),
        (
            "ada-dev-flows",
            KeyScope::Flows(vec!["development".into()]),
            KeyExpiry::Days30,
        ),
        ("ada-reporting", KeyScope::ReadOnly, KeyExpiry::OneYear),
        ("ada-forever", KeyScope::AllFlows, KeyExpiry::Never),
        (
            "ada-quarter-close",
            KeyScope::AllFlows,
            // 2025-09-30T00:00:00Z.
            KeyExpiry::At(1_759_190_400),
        ),
    ];
    for (name, scope, expiry) in keys {
        builder.api_key(api_key(name, ada, scope, expiry, DEMO_NOW));
    }
    builder.build()
}

/// How [`Matrix::check_with`] reads the product's own word in its table:
/// `limited` (the Viewer's settings access) is a deny of "All settings",
/// since it means [`PERSONAL_SETTINGS`] only. Every other cell is read the
/// usual way.
///
/// ```
/// use clearance::presets::workspace_platform::read_cell;
///
/// assert_eq!(read_cell("limited"), Some(false));
/// assert_eq!(read_cell("Y (I)"), None);
/// ```
#[must_use]
pub fn read_cell(cell: &str) -> Option<bool> {
    cell.eq_ignore_ascii_case("limited").then_some(false)
}

/// The permission matrix of `PRODUCTS.md` §3 over the [`demo`] model: its
/// eight rows (each asking the first entry the module docs give for it) and
/// the columns `Admin` (`ada`), `Editor` (`eddie`) and `Viewer` (`vera`),
/// each asking through the web, in a session that passed MFA, at
/// [`DEMO_NOW`].
///
/// A policy without the demo's names gives a matrix of denials whose
/// reasons say what is unknown, never a panic.
///
/// ```
/// use clearance::presets::workspace_platform as wp;
///
/// let policy = wp::demo()?;
/// let matrix = wp::matrix(&policy);
/// assert!(matrix.decision("Manage connections", "Editor").unwrap().is_allowed());
/// assert!(!matrix.decision("Manage connections", "Viewer").unwrap().is_allowed());
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[must_use]
pub fn matrix(policy: &Policy) -> Matrix<'_> {
    let resource = |name: &str| super::resource_or_unknown(policy, name);
    let (workspace, flow) = (resource("northwind"), resource("lead-sync"));
    let rows: [(&str, Action, ResourceId); 8] = [
        (
            "User management: invite, change role, suspend, remove",
            Action::ManageMembers,
            workspace,
        ),
        ("All settings", Action::ManageSettings, workspace),
        (
            "View flows and executions",
            Action::Custom(P::VIEW | P::VIEW_EXECUTIONS),
            flow,
        ),
        ("Create and edit flows", Action::Edit, flow),
        (
            "Manage connections",
            Action::Custom(P::EDIT | P::DELETE),
            resource("salesforce"),
        ),
        (
            "Create and manage API keys",
            Action::ManageApiKeys,
            workspace,
        ),
        (
            "Configure integrations",
            Action::ManageIntegrations,
            workspace,
        ),
        ("Billing", Action::ManageBilling, workspace),
    ];
    let columns: [(&str, Subject); 3] = [
        ("Admin", member(policy, "ada@northwind.test")),
        ("Editor", member(policy, "eddie@northwind.test")),
        ("Viewer", member(policy, "vera@northwind.test")),
    ];
    Matrix::compute(policy, rows, columns)
}

/// The flow-level permission table of `002_*.txt` ("Control access per
/// flow") over the [`demo`] model, at the flow `payroll-run`: rows `Can
/// View`, `Can Edit`, `Can Execute` (in full) and `Can Execute (limited)`
/// (by hand), columns `Owner` (`omar`), `Editor` (`erin`), `Viewer`
/// (`eddie`, a workspace Editor overridden here) and `None` (`vera`).
///
/// ```
/// use clearance::presets::workspace_platform as wp;
///
/// let policy = wp::demo()?;
/// let matrix = wp::flow_matrix(&policy);
/// assert!(matrix.decision("Can Execute (limited)", "Viewer").unwrap().is_allowed());
/// assert!(!matrix.decision("Can Execute", "Viewer").unwrap().is_allowed());
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[must_use]
pub fn flow_matrix(policy: &Policy) -> Matrix<'_> {
    let flow = super::resource_or_unknown(policy, "payroll-run");
    let rows: [(&str, Action); 4] = [
        ("Can View", Action::View),
        ("Can Edit", Action::Edit),
        ("Can Execute", Action::Execute),
        ("Can Execute (limited)", Action::ExecuteLimited),
    ];
    let columns: [(&str, Subject); 4] = [
        ("Owner", member(policy, "omar@northwind.test")),
        ("Editor", member(policy, "erin@northwind.test")),
        ("Viewer", member(policy, "eddie@northwind.test")),
        ("None", member(policy, "vera@northwind.test")),
    ];
    Matrix::compute_at(policy, flow, rows, columns).with_heading("Permission")
}

/// The member named `name` on the web, with MFA, at [`DEMO_NOW`] (an
/// unknown name gives a subject that is denied as unknown).
fn member(policy: &Policy, name: &str) -> Subject {
    super::user_asking(policy, name, Channel::Web)
        .with_mfa(true)
        .at(DEMO_NOW)
}
