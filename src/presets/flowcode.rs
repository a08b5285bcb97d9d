//! Preset: Flowcode 2, QR-code conversion flows managed at two levels, the
//! organization and its workspaces. Source: `004_*.txt` and §5 of
//! `PRODUCTS.md`.
//!
//! # How Flowcode maps onto clearance
//!
//! | Flowcode | clearance |
//! |---|---|
//! | an organization | a tenant root of kind [`Organization`](crate::ResourceKind::Organization) |
//! | a workspace | a [`Workspace`](crate::ResourceKind::Workspace) below the organization |
//! | flows, assets, brand kits, audience data | [`Flow`](crate::ResourceKind::Flow)s, [`Asset`](crate::ResourceKind::Asset)s, [`BrandKit`](crate::ResourceKind::BrandKit)s and [`Audience`](crate::ResourceKind::Audience) resources inside a workspace |
//! | organization roles Admin, User | the [`Role`]s [`ORG_ADMIN`] and [`ORG_USER`], granted on the organization root |
//! | workspace roles Admin, Editor, Viewer (the primary role) | the roles [`WS_ADMIN`], [`WS_EDITOR`], [`WS_VIEWER`] ([`WorkspaceRole`]), granted on a workspace with [`member`] |
//! | the fine-grained permissions Flows Manager, Brand Kits Manager, Audience Viewer | three more roles ([`FineGrained`]), granted per member per workspace; each also gives a custom bit on the workspace ([`FLOWS_MANAGER`], [`BRAND_KITS_MANAGER`], [`AUDIENCE_VIEWER`], bits 40 to 42), so [`Policy::effective`] at a workspace tells a UI which toggles a member holds |
//! | toggling a fine-grained permission | [`toggle`]: a [`Change::Grant`] or [`Change::Revoke`] of its role, authorized as the person toggling ([`Policy::can_grant`]) |
//! | org admin acts as Workspace Admin everywhere (D) | [`ORG_ADMIN`] inherits [`WS_ADMIN`] and is granted on the organization root: it reaches every workspace, present and future |
//! | org-level permissions apply to every workspace, overridden per workspace (D) | a workspace role granted on the organization root (an org default); at one workspace, [`member`] with [`Effect::Override`] replaces it for that member |
//! | teams | teams of the organization, given a workspace role on a workspace like a member |
//! | the org console sections | permissions on the organization: Dashboard `VIEW_ANALYTICS`, Workspaces `CREATE` (and `DELETE` on a workspace), Teams and Users `MANAGE_MEMBERS`, Activity `VIEW_AUDIT`, Settings `MANAGE_SETTINGS` and `MANAGE_INTEGRATIONS` (domains, SSO, integrations) |
//!
//! Creating a conversion flow in a workspace is asked as [`CREATE_FLOW`]
//! (the Flows Manager bit on the workspace), so that it is told apart from
//! creating assets ([`Action::Create`] on the workspace).
//!
//! # The primary role and the fine-grained permissions
//!
//! The fine-grained permissions hold the powers over their resources: a
//! primary role gives what it always gives (the Viewer: view analytics and
//! download flows; the Editor: also create, edit and delete assets; the
//! Admin: also the Manage page), and choosing it switches on its default
//! toggles. Which toggles a role switches on is ? in `PRODUCTS.md`; the
//! preset's choice ([`WorkspaceRole::default_toggles`]):
//!
//! | Primary role | Flows Manager | Brand Kits Manager | Audience Viewer |
//! |---|---|---|---|
//! | Admin | on | on | on |
//! | Editor | on | on | off |
//! | Viewer | off | off | off |
//!
//! The Editor's flows come from Flows Manager, its brand kits from Brand Kits
//! Manager; audience data is personal data, so it is off unless an admin
//! turns it on. Turning a toggle off takes its powers away (an Editor
//! without Flows Manager edits assets, not flows); turning one on gives a
//! Viewer that one power. [`WS_ADMIN`] *inherits* the three roles, so an
//! Admin's toggles are always on: the Admin hands them out, and
//! [`Policy::can_grant`] lets a granter give only what it holds.
//!
//! # Action → action and resource to ask
//!
//! Each row of the table in `PRODUCTS.md` §5, and what a host asks for it.
//! [`matrix`] asks each row's first entry (its actions together), with the
//! columns `WS Admin` (`uma`), `WS Editor` (`eddie`) and `WS Viewer`
//! (`vic`) of the workspace `retail`, each on the web. Every action listed
//! gives the row's answer in each column (`tests/presets_flowcode.rs`
//! checks them all), so a host calling a named action gets the product's
//! answer.
//!
//! | Product action | Ask | At |
//! |---|---|---|
//! | Manage page: members, teams, domains, integrations, settings | [`Action::ManageMembers`], [`Action::ManageIntegrations`] and [`Action::ManageSettings`] (together, [`MANAGE_PAGE`]) | the workspace |
//! | Create, edit, delete flows and assets | [`Action::Edit`] and [`Action::Delete`]; [`Action::Create`] (an asset) and [`CREATE_FLOW`] (a flow) on the workspace | a flow, an asset, the workspace |
//! | View analytics, download flows | [`Action::ViewAnalytics`] and [`Action::Export`]; [`Action::ViewAnalytics`] on the workspace (its analytics page) | a flow, the workspace |
//! | Toggle fine-grained permissions of members | [`Action::ManageMembers`] (what [`Policy::can_grant`] needs) | the workspace |
//!
//! The org console, for the organization roles (Admin: every section;
//! User: none):
//!
//! | Console section | Ask | At |
//! |---|---|---|
//! | Dashboard | [`Action::ViewAnalytics`] | the organization |
//! | Workspaces | [`Action::Create`]; [`Action::Delete`] on a workspace | the organization, a workspace |
//! | Teams, Users | [`Action::ManageMembers`] | the organization |
//! | Activity | [`Action::ViewAudit`] | the organization |
//! | Settings (integrations, SSO, domains) | [`Action::ManageSettings`] and [`Action::ManageIntegrations`] | the organization |
//!
//! `MANAGE_MEMBERS` is managing a workspace's (or the organization's)
//! members, which includes toggling their fine-grained permissions: the
//! same role holds both rows. The three fine-grained permissions have no
//! named action, so they are custom bits ([`FLOWS_MANAGER`],
//! [`BRAND_KITS_MANAGER`], [`AUDIENCE_VIEWER`]), each meaning its toggle
//! and nothing else.
//!
//! # Cells that are the preset's choice
//!
//! Every cell of the table is S. The ? of `PRODUCTS.md` is the default set
//! of toggles above. Two more choices (I): a workspace Viewer does not see
//! brand kits or audience data unless a toggle gives it; and
//! [`ORG_USER`] gives only a view of the organization itself, so an org
//! User sees no workspace until it is made a member of one (S: "only see
//! the specific Workspaces they are invited to").
//!
//! # Gaps
//!
//! None for the rules of the issue. One caution: an [`Effect::Override`] at
//! a workspace cuts *every* grant the member holds above it, so an
//! override restates the member's whole standing there (its primary role
//! and its toggles, which [`member`] does). The library does not stop a
//! host from overriding an org admin at a workspace; the preset never
//! does, and an org admin's standing is "Workspace Admin everywhere" only
//! as long as the host keeps it so. A "may not be overridden" mark on a
//! grant would let the library enforce it.
//!
//! # Example
//!
//! ```
//! use clearance::presets::flowcode::{self, WorkspaceRole};
//! use clearance::{Action, Channel, Effect, Grantee, ResourceKind as K, Subject, User};
//!
//! let mut builder = flowcode::builder();
//! builder
//!     .tenant("brightside", K::Organization)
//!     .resource("retail", K::Workspace, "brightside")
//!     .resource("menu", K::Flow, "retail")
//!     .user(User::new("vic", "brightside"));
//! flowcode::member(&mut builder, Grantee::user("vic"), "retail", WorkspaceRole::Viewer, Effect::Allow);
//! let policy = builder.build()?;
//!
//! let vic = Subject::user(policy.user_id("vic").unwrap(), Channel::Web).at(1_700_000_000);
//! let menu = policy.resource_id("menu").unwrap();
//! assert!(policy.authorize(&vic, Action::Export, menu).is_allowed());
//! assert!(!policy.authorize(&vic, Action::Edit, menu).is_allowed());
//! # Ok::<(), clearance::BuildError>(())
//! ```

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::{
    Action, Author, BuildError, Change, Channel, Effect, Grantee, Matrix, Permissions as P, Policy,
    PolicyBuilder, ResourceId, ResourceKind as K, Role, Subject, User,
};

/// The role name of an organization Admin.
pub const ORG_ADMIN: &str = "org admin";
/// The role name of an organization User.
pub const ORG_USER: &str = "org user";
/// The role name of a Workspace Admin.
pub const WS_ADMIN: &str = "workspace admin";
/// The role name of a Workspace Editor.
pub const WS_EDITOR: &str = "workspace editor";
/// The role name of a Workspace Viewer.
pub const WS_VIEWER: &str = "workspace viewer";
/// The role name of the fine-grained permission Flows Manager.
pub const FLOWS_MANAGER_ROLE: &str = "flows manager";
/// The role name of the fine-grained permission Brand Kits Manager.
pub const BRAND_KITS_MANAGER_ROLE: &str = "brand kits manager";
/// The role name of the fine-grained permission Audience Viewer.
pub const AUDIENCE_VIEWER_ROLE: &str = "audience viewer";

/// Flows Manager, on a workspace: create conversion flows in it (a custom
/// bit: bit 40). Its holder also views, edits and deletes the flows.
pub const FLOWS_MANAGER: P = P::from_bits_retain(1 << 40);
/// Brand Kits Manager, on a workspace: create brand kits in it (a custom
/// bit: bit 41). Its holder also views, edits and deletes them.
pub const BRAND_KITS_MANAGER: P = P::from_bits_retain(1 << 41);
/// Audience Viewer, on a workspace (a custom bit: bit 42). Its holder views,
/// manages and exports the workspace's audience data.
pub const AUDIENCE_VIEWER: P = P::from_bits_retain(1 << 42);

/// Create a conversion flow in a workspace: asked at the workspace.
pub const CREATE_FLOW: Action = Action::Custom(FLOWS_MANAGER);

/// The Manage page of a workspace: members, teams, domains, integrations,
/// settings.
pub const MANAGE_PAGE: P = P::MANAGE_MEMBERS
    .union(P::MANAGE_INTEGRATIONS)
    .union(P::MANAGE_SETTINGS);

/// The org console: Dashboard, Workspaces, Teams, Users, Activity, Settings.
pub const ORG_CONSOLE: P = P::VIEW
    .union(P::VIEW_ANALYTICS)
    .union(P::CREATE)
    .union(P::MANAGE_MEMBERS)
    .union(P::VIEW_AUDIT)
    .union(P::MANAGE_SETTINGS)
    .union(P::MANAGE_INTEGRATIONS);

/// The product's roles: two at the organization, three primary roles of a
/// workspace, and the three fine-grained permissions.
///
/// - **Workspace Viewer** (S): sees the workspace and its analytics, views
///   the analytics of its flows and downloads them; sees its assets.
/// - **Workspace Editor** (S): a Viewer that also creates, edits and
///   deletes assets; its flows and brand kits come with its default toggles.
/// - **Workspace Admin** (S): an Editor with the Manage page
///   ([`MANAGE_PAGE`]), and every fine-grained permission (it inherits the
///   three roles).
/// - **Flows Manager, Brand Kits Manager, Audience Viewer** (S): a custom bit
///   on the workspace each, and view, create, edit and delete of flows
///   (with analytics and download); of brand kits; view, manage (edit) and
///   export of audience data.
/// - **Org Admin** (S, D): the org console ([`ORG_CONSOLE`]), deleting
///   workspaces, and Workspace Admin in every workspace.
/// - **Org User** (S): sees the organization only.
///
/// ```
/// assert_eq!(clearance::presets::flowcode::roles().len(), 8);
/// ```
#[must_use]
pub fn roles() -> Vec<Role> {
    vec![
        Role::new(FLOWS_MANAGER_ROLE)
            .allow([K::Workspace], FLOWS_MANAGER)
            .allow(
                [K::Flow],
                P::VIEW | P::EDIT | P::DELETE | P::VIEW_ANALYTICS | P::EXPORT,
            ),
        Role::new(BRAND_KITS_MANAGER_ROLE)
            .allow([K::Workspace], BRAND_KITS_MANAGER)
            .allow([K::BrandKit], P::VIEW | P::EDIT | P::DELETE),
        Role::new(AUDIENCE_VIEWER_ROLE)
            .allow([K::Workspace], AUDIENCE_VIEWER)
            .allow([K::Audience], P::VIEW | P::EDIT | P::EXPORT),
        Role::new(WS_VIEWER)
            .allow([K::Workspace], P::VIEW | P::VIEW_ANALYTICS)
            .allow([K::Flow], P::VIEW | P::VIEW_ANALYTICS | P::EXPORT)
            .allow([K::Asset], P::VIEW),
        Role::new(WS_EDITOR)
            .inherits(WS_VIEWER)
            .allow([K::Workspace], P::CREATE)
            .allow([K::Asset], P::EDIT | P::DELETE),
        Role::new(WS_ADMIN)
            .inherits(WS_EDITOR)
            .inherits(FLOWS_MANAGER_ROLE)
            .inherits(BRAND_KITS_MANAGER_ROLE)
            .inherits(AUDIENCE_VIEWER_ROLE)
            .allow([K::Workspace], MANAGE_PAGE),
        Role::new(ORG_ADMIN)
            .inherits(WS_ADMIN)
            .allow([K::Organization], ORG_CONSOLE)
            .allow([K::Workspace], P::DELETE),
        Role::new(ORG_USER).allow([K::Organization], P::VIEW),
    ]
}

/// A builder holding the product's [`roles`], ready for an organization,
/// its workspaces, members and grants.
///
/// ```
/// let mut builder = clearance::presets::flowcode::builder();
/// builder.tenant("brightside", clearance::ResourceKind::Organization);
/// assert!(builder.build().is_ok());
/// ```
#[must_use]
pub fn builder() -> PolicyBuilder {
    super::builder_with(roles())
}

/// A fine-grained permission, toggled per member per workspace (S).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FineGrained {
    /// Create and manage conversion flows.
    FlowsManager,
    /// Manage brand assets, colours and styles.
    BrandKitsManager,
    /// View, manage and export audience data.
    AudienceViewer,
}

impl FineGrained {
    /// All three, in the order the product lists them.
    pub const ALL: [FineGrained; 3] = [
        FineGrained::FlowsManager,
        FineGrained::BrandKitsManager,
        FineGrained::AudienceViewer,
    ];

    /// The name of the role behind this toggle.
    ///
    /// ```
    /// use clearance::presets::flowcode::{FineGrained, AUDIENCE_VIEWER_ROLE};
    ///
    /// assert_eq!(FineGrained::AudienceViewer.role(), AUDIENCE_VIEWER_ROLE);
    /// ```
    #[must_use]
    pub const fn role(self) -> &'static str {
        match self {
            FineGrained::FlowsManager => FLOWS_MANAGER_ROLE,
            FineGrained::BrandKitsManager => BRAND_KITS_MANAGER_ROLE,
            FineGrained::AudienceViewer => AUDIENCE_VIEWER_ROLE,
        }
    }

    /// The custom bit on the workspace that says a member holds this toggle.
    ///
    /// ```
    /// use clearance::presets::flowcode::{FineGrained, FLOWS_MANAGER};
    ///
    /// assert_eq!(FineGrained::FlowsManager.bit(), FLOWS_MANAGER);
    /// ```
    #[must_use]
    pub const fn bit(self) -> P {
        match self {
            FineGrained::FlowsManager => FLOWS_MANAGER,
            FineGrained::BrandKitsManager => BRAND_KITS_MANAGER,
            FineGrained::AudienceViewer => AUDIENCE_VIEWER,
        }
    }
}

/// A primary role in a workspace (S).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkspaceRole {
    /// Workspace Admin.
    Admin,
    /// Workspace Editor.
    Editor,
    /// Workspace Viewer.
    Viewer,
}

impl WorkspaceRole {
    /// The name of the role.
    ///
    /// ```
    /// use clearance::presets::flowcode::{WorkspaceRole, WS_EDITOR};
    ///
    /// assert_eq!(WorkspaceRole::Editor.role(), WS_EDITOR);
    /// ```
    #[must_use]
    pub const fn role(self) -> &'static str {
        match self {
            WorkspaceRole::Admin => WS_ADMIN,
            WorkspaceRole::Editor => WS_EDITOR,
            WorkspaceRole::Viewer => WS_VIEWER,
        }
    }

    /// The fine-grained permissions that choosing this role switches on
    /// (the preset's choice: ? in `PRODUCTS.md`; see the module docs).
    ///
    /// ```
    /// use clearance::presets::flowcode::{FineGrained, WorkspaceRole};
    ///
    /// assert_eq!(
    ///     WorkspaceRole::Editor.default_toggles(),
    ///     &[FineGrained::FlowsManager, FineGrained::BrandKitsManager][..],
    /// );
    /// assert!(WorkspaceRole::Viewer.default_toggles().is_empty());
    /// ```
    #[must_use]
    pub const fn default_toggles(self) -> &'static [FineGrained] {
        match self {
            WorkspaceRole::Admin => &FineGrained::ALL,
            WorkspaceRole::Editor => &[FineGrained::FlowsManager, FineGrained::BrandKitsManager],
            WorkspaceRole::Viewer => &[],
        }
    }
}

/// Makes `grantee` (a user or a team) a member of `scope` with a primary
/// `role` and its default toggles ([`WorkspaceRole::default_toggles`]).
///
/// `scope` is a workspace, or the organization root for an org-level
/// default that holds in every workspace. With [`Effect::Override`] at a
/// workspace, it replaces the member's org-level default there.
///
/// ```
/// use clearance::presets::flowcode::{self, WorkspaceRole};
/// use clearance::{Effect, Grantee, ResourceKind as K, User};
///
/// let mut builder = flowcode::builder();
/// builder.tenant("org", K::Organization).resource("ws", K::Workspace, "org").user(User::new("ed", "org"));
/// flowcode::member(&mut builder, Grantee::user("ed"), "ws", WorkspaceRole::Editor, Effect::Allow);
/// assert!(builder.build().is_ok());
/// ```
pub fn member<'b>(
    builder: &'b mut PolicyBuilder,
    grantee: Grantee,
    scope: &str,
    role: WorkspaceRole,
    effect: Effect,
) -> &'b mut PolicyBuilder {
    member_with(
        builder,
        grantee,
        scope,
        role,
        role.default_toggles(),
        effect,
    )
}

/// Like [`member`], with exactly the fine-grained permissions `toggles`
/// instead of the role's defaults.
///
/// ```
/// use clearance::presets::flowcode::{self, FineGrained, WorkspaceRole};
/// use clearance::{Effect, Grantee, ResourceKind as K, User};
///
/// let mut builder = flowcode::builder();
/// builder.tenant("org", K::Organization).resource("ws", K::Workspace, "org").user(User::new("ana", "org"));
/// // A Viewer who also sees the audience data.
/// flowcode::member_with(
///     &mut builder,
///     Grantee::user("ana"),
///     "ws",
///     WorkspaceRole::Viewer,
///     &[FineGrained::AudienceViewer],
///     Effect::Allow,
/// );
/// assert!(builder.build().is_ok());
/// ```
pub fn member_with<'b>(
    builder: &'b mut PolicyBuilder,
    grantee: Grantee,
    scope: &str,
    role: WorkspaceRole,
    toggles: &[FineGrained],
    effect: Effect,
) -> &'b mut PolicyBuilder {
    for toggle in toggles {
        builder.grant(grantee.clone(), scope, toggle.role(), effect);
    }
    builder.grant(grantee, scope, role.role(), effect)
}

/// Switches the fine-grained permission `permission` of the user named
/// `user` in `workspace` on or off, as a [`Change`] for
/// [`Policy::apply`]. With an author, the change is authorized: switching
/// on must pass [`Policy::can_grant`] (an Org Admin or that workspace's
/// Admin may; anyone else is refused), switching off needs
/// [`Permissions::MANAGE_MEMBERS`](crate::Permissions::MANAGE_MEMBERS) there.
///
/// ```
/// use clearance::presets::flowcode::{self, FineGrained, WorkspaceRole};
/// use clearance::{Author, Effect, Grantee, ResourceKind as K, User};
///
/// let mut builder = flowcode::builder();
/// builder
///     .tenant("org", K::Organization)
///     .resource("ws", K::Workspace, "org")
///     .user(User::new("boss", "org"))
///     .user(User::new("vic", "org"));
/// flowcode::member(&mut builder, Grantee::user("boss"), "ws", WorkspaceRole::Admin, Effect::Allow);
/// flowcode::member(&mut builder, Grantee::user("vic"), "ws", WorkspaceRole::Viewer, Effect::Allow);
/// let mut policy = builder.build()?;
///
/// let on = flowcode::toggle("vic", "ws", FineGrained::FlowsManager, true, Some(Author::web("boss", 1_700_000_000)));
/// policy.apply(on)?;
/// // Vic may not toggle anyone.
/// let refused = flowcode::toggle("boss", "ws", FineGrained::AudienceViewer, false, Some(Author::web("vic", 1_700_000_000)));
/// assert!(policy.apply(refused).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn toggle(
    user: &str,
    workspace: &str,
    permission: FineGrained,
    on: bool,
    by: Option<Author>,
) -> Change {
    let (grantee, scope, role) = (
        Grantee::user(user),
        String::from(workspace),
        String::from(permission.role()),
    );
    if on {
        super::grant_change(grantee, scope, role, by)
    } else {
        Change::Revoke {
            grantee,
            scope,
            role,
            effect: Effect::Allow,
            by,
        }
    }
}

/// The demo model: the organization `brightside` with two workspaces.
///
/// ```text
/// brightside (organization)
/// ├── retail (workspace)
/// │   ├── spring-menu (flow)
/// │   ├── logo-pack (asset)
/// │   ├── retail-brand (brand kit)
/// │   └── retail-audience (audience)
/// └── events (workspace)
///     ├── expo-badge (flow)
///     └── events-audience (audience)
/// ```
///
/// | member | organization | `retail` | `events` |
/// |---|---|---|---|
/// | `olga@brightside.test` | Admin | (Admin, as org admin) | (Admin, as org admin) |
/// | `uma@brightside.test` | User | Admin | |
/// | `eddie@brightside.test` | User | Editor | |
/// | `vic@brightside.test` | User | Viewer | |
/// | `ana@brightside.test` | User | Viewer + Audience Viewer | Viewer |
/// | `fay@brightside.test` | User | Editor without Flows Manager | |
/// | `otto@brightside.test` | User, Editor in every workspace (org default) | (Editor) | Viewer (overridden) |
/// | `tess@brightside.test` | User, in the team `marketing` | | (Viewer + Audience Viewer, the team's) |
///
/// # Errors
///
/// None in practice: the model is fixed and builds. The `Result` is the
/// builder's.
///
/// ```
/// let policy = clearance::presets::flowcode::demo()?;
/// assert_eq!(policy.user_count(), 8);
/// # Ok::<(), clearance::BuildError>(())
/// ```
pub fn demo() -> Result<Policy, BuildError> {
    let mut builder = builder();
    builder
        .tenant("brightside", K::Organization)
        .resource("retail", K::Workspace, "brightside")
        .resource("spring-menu", K::Flow, "retail")
        .resource("logo-pack", K::Asset, "retail")
        .resource("retail-brand", K::BrandKit, "retail")
        .resource("retail-audience", K::Audience, "retail")
        .resource("events", K::Workspace, "brightside")
        .resource("expo-badge", K::Flow, "events")
        .resource("events-audience", K::Audience, "events")
        .team("marketing", "brightside");
    let people = [
        ("olga@brightside.test", ORG_ADMIN),
        ("uma@brightside.test", ORG_USER),
        ("eddie@brightside.test", ORG_USER),
        ("vic@brightside.test", ORG_USER),
        ("ana@brightside.test", ORG_USER),
        ("fay@brightside.test", ORG_USER),
        ("otto@brightside.test", ORG_USER),
    ];
    for (name, role) in people {
        super::user_holding(&mut builder, User::new(name, "brightside"), role);
    }
    builder
        .user(User::new("tess@brightside.test", "brightside").member_of("marketing"))
        .grant(
            Grantee::user("tess@brightside.test"),
            "brightside",
            ORG_USER,
            Effect::Allow,
        );

    let user = |name: &str| Grantee::user(name);
    let (allow, retail) = (Effect::Allow, "retail");
    member(
        &mut builder,
        user("uma@brightside.test"),
        retail,
        WorkspaceRole::Admin,
        allow,
    );
    member(
        &mut builder,
        user("eddie@brightside.test"),
        retail,
        WorkspaceRole::Editor,
        allow,
    );
    member(
        &mut builder,
        user("vic@brightside.test"),
        retail,
        WorkspaceRole::Viewer,
        allow,
    );
    member_with(
        &mut builder,
        user("ana@brightside.test"),
        retail,
        WorkspaceRole::Viewer,
        &[FineGrained::AudienceViewer],
        allow,
    );
    member(
        &mut builder,
        user("ana@brightside.test"),
        "events",
        WorkspaceRole::Viewer,
        allow,
    );
    member_with(
        &mut builder,
        user("fay@brightside.test"),
        retail,
        WorkspaceRole::Editor,
        &[FineGrained::BrandKitsManager],
        allow,
    );
    // An org-level default (Editor in every workspace), overridden in
    // `events`: there otto is a Viewer, and still an org User.
    member(
        &mut builder,
        user("otto@brightside.test"),
        "brightside",
        WorkspaceRole::Editor,
        allow,
    );
    member(
        &mut builder,
        user("otto@brightside.test"),
        "events",
        WorkspaceRole::Viewer,
        Effect::Override,
    );
    member_with(
        &mut builder,
        Grantee::team("marketing"),
        "events",
        WorkspaceRole::Viewer,
        &[FineGrained::AudienceViewer],
        allow,
    );
    builder.build()
}

/// The permission matrix of `PRODUCTS.md` §5 over the [`demo`] model: its
/// four rows (each asking the first entry the module docs give for it) and
/// the columns `WS Admin` (`uma`), `WS Editor` (`eddie`) and `WS Viewer`
/// (`vic`) of the workspace `retail`, each asking through the web.
///
/// A policy without the demo's names gives a matrix of denials whose
/// reasons say what is unknown, never a panic.
///
/// ```
/// use clearance::presets::flowcode;
///
/// let policy = flowcode::demo()?;
/// let matrix = flowcode::matrix(&policy);
/// assert!(matrix.decision("View analytics, download flows", "WS Viewer").unwrap().is_allowed());
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[must_use]
pub fn matrix(policy: &Policy) -> Matrix<'_> {
    let resource = |name: &str| super::resource_or_unknown(policy, name);
    let user = |name: &str| super::user_asking(policy, name, Channel::Web);
    let (workspace, flow) = (resource("retail"), resource("spring-menu"));
    let rows: [(&str, Action, ResourceId); 4] = [
        (
            "Manage page: members, teams, domains, integrations, settings",
            Action::Custom(MANAGE_PAGE),
            workspace,
        ),
        (
            "Create, edit, delete flows and assets",
            Action::Custom(P::EDIT | P::DELETE),
            flow,
        ),
        (
            "View analytics, download flows",
            Action::Custom(P::VIEW_ANALYTICS | P::EXPORT),
            flow,
        ),
        (
            "Toggle fine-grained permissions of members",
            Action::ManageMembers,
            workspace,
        ),
    ];
    let columns: [(&str, Subject); 3] = [
        ("WS Admin", user("uma@brightside.test")),
        ("WS Editor", user("eddie@brightside.test")),
        ("WS Viewer", user("vic@brightside.test")),
    ];
    Matrix::compute(policy, rows, columns)
}
