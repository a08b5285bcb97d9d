//! Preset: Smartflow — forms, views, flows and datasets, with mobile apps
//! that work offline (PRODUCTS.md §2, source `001_*.txt`).
//!
//! # How Smartflow maps onto `clearance`
//!
//! Every Smartflow user has exactly one **user group** and any number of
//! **system roles**. The two are independent, and the preset keeps them
//! apart:
//!
//! | Smartflow | `clearance` |
//! |---|---|
//! | a company (domain) | a tenant: an [`Organization`](ResourceKind::Organization) root, declared with [`add_tenant`] |
//! | user group **Public** | not an account: whoever holds a [`PublicLink`] to a form, asking through [`Channel::Link`] as [`Grantee::Public`] |
//! | user group **Portal** | a [`Native`](UserType::Native) user narrowed to [`Channels::WEB`], member of the tenant's Portal team |
//! | user group **Normal** | a native user narrowed to web and apps, member of the tenant's Normal team, which holds the Default role |
//! | user group **Domain Admin** | a native user (every channel) holding the Domain Admin role by a grant of its own on the tenant |
//! | user group **Interface** | a [`UserType::Interface`] user (the API and nothing else), member of the tenant's Interface team |
//! | system roles Default, Builder, Maintenance | [`Role`]s granted on the tenant root ([`DEFAULT`], [`BUILDER`], [`MAINTENANCE`]) |
//! | "equivalent permissions" of the access maintenance page | the access roles the system roles are made of ([`ACCESS_BUILD`], [`ACCESS_DATASETS`], [`ACCESS_KNOWLEDGE_BASE`], [`ACCESS_QUEUES`]), granted to a user directly, on the tenant or on one resource |
//! | a form template and its Public group permission | a [`Template`](ResourceKind::Template) with a [`Grantee::Public`] grant of [`PUBLIC_READ`] or [`PUBLIC_EDIT`] ([`add_form_template`]) |
//! | a (filled-in) form | a [`Form`](ResourceKind::Form) below its template |
//! | the distribution query of a form | [`Labels`] on the form and on users, and grants made [`when`](Condition::LabelsContain) the user has every label of the form |
//! | logging in to the portal, to the apps | two product-specific permission bits, [`LOG_IN_TO_PORTAL`] and [`LOG_IN_TO_APPS`], on the tenant root, behind the channel check |
//!
//! No grant uses [`Effect::Override`] or [`Effect::Deny`]: Smartflow's
//! rules only ever add permissions.
//!
//! **Groups as user types, channels and teams.** The user group fixes how an
//! account may come in, which is what a channel is: Portal users use the
//! web portal only, Normal users the portal and the apps, Interface users
//! the Web API only ([`UserType::Interface`] allows nothing else, so an
//! Interface user asking through the web is refused with
//! [`ChannelNotAllowed`](crate::Reason::ChannelNotAllowed) before any grant is
//! looked at). What a group may *do* comes from a grant to the group's team
//! on the tenant root, made once by [`add_tenant`]; [`user`] builds the
//! account of a group and [`add_user`] declares it. Domain Admin is the one
//! group held as a grant to the user itself, because making someone Domain
//! Admin must be an authorized change ([`make_domain_admin`]), and only
//! grants are authorized ([`Policy::can_grant`]); team memberships are not.
//!
//! **Logging in.** The source says the Default role "grants the required
//! permissions to access the Smartflow portal and the apps", so logging in
//! is a permission: [`LOG_IN_TO_PORTAL`] and [`LOG_IN_TO_APPS`] are unnamed
//! high bits of [`Permissions`], asked for on the tenant root
//! ([`log_in`] gives the action for a channel). Two locks guard the apps:
//! a Portal user lacks the permission, and cannot use the apps channel at all.
//!
//! **The conditional cells ² and ³.** A Normal user may build forms, views
//! and flows and maintain datasets only with the **Builder** role (²), and
//! add to the knowledge base and view queues only with the **Maintenance**
//! role (³), "or equivalent permissions granted directly". Builder inherits
//! [`ACCESS_BUILD`] and [`ACCESS_DATASETS`]; Maintenance inherits
//! [`ACCESS_KNOWLEDGE_BASE`] and [`ACCESS_QUEUES`]. Granting the access roles
//! to a user directly is the equivalent: on the tenant root it is the same
//! as the system role; on one dataset or one queue it is narrower.
//! [`system_roles_matrix`] shows the four cases side by side.
//!
//! **Public links.** A Public user reaches one form through a direct link,
//! without logging in. The link's permissions are capped by what the form's
//! template grants to [`Grantee::Public`]: [`PUBLIC_READ`] (read the form)
//! or [`PUBLIC_EDIT`] (edit and save it). A link to a form whose template
//! grants the public nothing gives nothing; a link never reaches anything
//! outside its form (the log-in rows, the views, the datasets).
//!
//! **The distribution query** is an attribute filter over Portal and Public
//! users. The preset reads a form's query as a set of attributes a user
//! must all have: the host evaluates the query into [`Labels`] on each form
//! (a form without labels is distributed to everyone) and gives users the
//! labels of their attributes. The Portal team's form permissions
//! ([`PORTAL_FORMS`]) and every template's Public grant are made
//! [`when`](Condition::LabelsContain) the user has every label of the form
//! asked about. A link holder is anonymous and has no labels, so it reaches
//! only forms distributed to everyone. Normal users and Domain Admins are
//! not filtered (the source names only Public and Portal).
//!
//! # Where each cell comes from
//!
//! Every cell of Smartflow's table in PRODUCTS.md is **S** (stated in the
//! source's permission overview): there is no cell marked I or ?, so the
//! preset makes no choice about a cell's value. It does choose how each
//! row is asked, and these choices are documented here.
//!
//! ## Action → action and resource to ask
//!
//! [`matrix`] asks each row's first entry. Every action listed gives the
//! row's answer in each column (`tests/presets_smartflow.rs` checks them
//! all), so a host calling a named action gets the product's answer.
//!
//! | Product action | Ask | At |
//! |---|---|---|
//! | Log in to web portal | `Action::Custom(`[`LOG_IN_TO_PORTAL`]`)` ([`log_in`]`(Channel::Web)`) | the tenant root |
//! | Log in to apps | `Action::Custom(`[`LOG_IN_TO_APPS`]`)` ([`log_in`]`(Channel::App)`) | the tenant root |
//! | Open views | [`Action::View`] | a view |
//! | Fill in forms | [`Action::Edit`] | a form distributed to everyone, whose template lets the public edit and save |
//! | View knowledge base | [`Action::View`] | the knowledge base |
//! | Add to knowledge base | [`Action::Create`] and [`Action::Edit`] | the knowledge base |
//! | Build forms, views or flows | [`Action::Edit`] | a form template, a view, a flow |
//! | Maintain datasets | [`Action::Edit`], [`Action::Create`] and [`Action::Delete`] | a dataset |
//! | Maintain users, roles, permissions | [`Action::ManageMembers`] | the tenant root |
//! | View queues | [`Action::View`] | a queue |
//!
//! Logging in has no named action, so it is the preset's two custom bits,
//! which mean nothing else here; every other row is a named action.
//!
//! - **Log in to web portal / to apps**: each column asks through its
//!   group's usual channel (web for Portal, Normal and Domain Admin, the API
//!   for Interface, the link for Public); the channel locks are tested
//!   separately.
//! - **Fill in forms**: the Public column is the holder of a link to the
//!   form.
//! - **The Normal column** is a Normal user holding Builder and Maintenance,
//!   so that the cells Y² and Y³ are allowed; [`system_roles_matrix`] shows
//!   a Normal user with the Default role only (denied there), with each
//!   system role, and with the equivalent direct grants.
//! - Normal users may not use the Web API (the source names only the portal
//!   and the apps); Domain Admins may ("unrestricted access to all
//!   applications"), and their role gives every permission on every kind.
//! - "Maintain users, roles and permissions" is [`Permissions::MANAGE_MEMBERS`];
//!   an Interface user holds it, but [`Policy::can_grant`] lets no one hand
//!   out more than it holds itself, so an Interface user can grant only
//!   roles within its own API permissions (never Builder, Maintenance or
//!   Domain Admin).
//!
//! # The special rules, and what proves them
//!
//! `tests/presets_smartflow.rs` checks the table cell by cell and has one
//! test per rule:
//!
//! - the five user groups and their channels: Portal users cannot use the
//!   apps, Interface users only the Web API, link holders cannot log in;
//! - the cells ² and ³: a role or the equivalent direct grants;
//! - a public link is limited by the template's Public permission;
//! - only a Domain Admin can make a Domain Admin: [`make_domain_admin`] is a
//!   [`Change::Grant`] with an author, which [`Policy::can_grant`] refuses
//!   to anyone who does not hold every permission of the role (escalation);
//! - the Default role cannot be removed from a Normal user: it is held
//!   through the user's group (the Normal team) and
//!   [required](PolicyBuilder::require_role) of its members, so no change
//!   takes it away (a revoke of the team's grant, a deny, an override), and
//!   a Normal user built without it may do nothing, whatever else (Builder)
//!   it holds;
//! - the distribution query filters forms for Portal and Public users;
//! - an inactive user cannot log in.
//!
//! # Limits of the model (library gaps)
//!
//! - **Leaving the Normal group is leaving the requirement.** Default is
//!   required of the Normal team's members, so removing a user from the
//!   team (which is how a user leaves the Normal group) is accepted: the
//!   user is no longer a Normal user.
//! - **A Domain Admin's role is a grant, apart from its group.** Each user
//!   is in exactly one group's team (the four teams are
//!   [exclusive](PolicyBuilder::exclusive_teams)), but
//!   [`make_domain_admin`] grants the role to a user of any group, who then
//!   keeps that group's channels (a Portal user, the web only). A host
//!   that wants the group to follow applies [`move_to_group`] with it.
//! - **Moving between groups is two changes, applied as one batch.**
//!   [`move_to_group`] is the membership move ([`Change::MoveMembership`],
//!   one change, never leaving the user in none or two groups) and the new
//!   group's type and channels ([`Change::SetUserType`]), for
//!   [`Policy::apply_all`].
//!
//! # Example
//!
//! ```
//! use clearance::presets::smartflow::{self, Group};
//! use clearance::{Channel, Labels, Subject};
//!
//! let mut builder = smartflow::builder();
//! smartflow::add_tenant(&mut builder, "acme");
//! smartflow::add_user(&mut builder, "pat", "acme", Group::Portal, Labels::empty());
//! smartflow::add_user(&mut builder, "nick", "acme", Group::Normal, Labels::empty());
//! let policy = builder.build()?;
//! let acme = policy.resource_id("acme").unwrap();
//! let as_user = |name, channel| Subject::user(policy.user_id(name).unwrap(), channel).at(1_700_000_000);
//!
//! // The Default role of the Normal group opens the apps; a Portal user may
//! // not even use the apps' channel.
//! let apps = smartflow::log_in(Channel::App).unwrap();
//! assert!(policy.authorize(&as_user("nick", Channel::App), apps, acme).is_allowed());
//! assert!(!policy.authorize(&as_user("pat", Channel::App), apps, acme).is_allowed());
//! # Ok::<(), clearance::BuildError>(())
//! ```

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::{
    Action, Author, BuildError, Change, Channel, Channels, Condition, Effect, Grantee, Labels,
    LinkId, Matrix, Permissions as P, Policy, PolicyBuilder, PublicLink, RequiredOf, ResourceId,
    ResourceKind as K, Role, Subject, User, UserType, UserTypes,
};

use super::{resource_or_unknown as resource, user_asking as member};

#[cfg(doc)]
use crate::{Permissions, ResourceKind};

/// Log in to the Smartflow web portal: a product-specific permission bit,
/// asked for on the tenant root. The Default role, the Portal group and
/// Domain Admins hold it.
pub const LOG_IN_TO_PORTAL: P = P::from_bits_retain(1 << 40);

/// Log in to the Smartflow apps (mobile, offline-capable): a
/// product-specific permission bit, asked for on the tenant root. The
/// Default role and Domain Admins hold it; the Portal group does not.
pub const LOG_IN_TO_APPS: P = P::from_bits_retain(1 << 41);

/// The Default system role: portal and app access, views, filling in forms,
/// reading the knowledge base. Every Normal user holds it through the
/// tenant's Normal team.
pub const DEFAULT: &str = "default";
/// The Builder system role: build forms, views and flows; maintain datasets.
pub const BUILDER: &str = "builder";
/// The Maintenance system role: add to the knowledge base; view queues.
pub const MAINTENANCE: &str = "maintenance";
/// The role of the Domain Admin group: every permission on everything.
pub const DOMAIN_ADMIN: &str = "domain admin";
/// The role of the Portal group on everything but forms: log in to the
/// portal, open views, read the knowledge base.
pub const PORTAL: &str = "portal";
/// The role of the Portal group on form templates and forms: read, fill in
/// and save. Granted only when the form's distribution query matches.
pub const PORTAL_FORMS: &str = "portal forms";
/// The role of the Interface group: forms, datasets and user maintenance,
/// through the Web API.
pub const INTERFACE: &str = "interface";
/// A form template's Public permission "read": link holders may read the form.
pub const PUBLIC_READ: &str = "public: read";
/// A form template's Public permission "edit and save": link holders may
/// read, fill in and save the form.
pub const PUBLIC_EDIT: &str = "public: edit and save";
/// Access maintenance: build form templates, views and flows (part of Builder).
pub const ACCESS_BUILD: &str = "access: build";
/// Access maintenance: maintain datasets (part of Builder).
pub const ACCESS_DATASETS: &str = "access: datasets";
/// Access maintenance: add to the knowledge base (part of Maintenance).
pub const ACCESS_KNOWLEDGE_BASE: &str = "access: knowledge base";
/// Access maintenance: view and work queues (part of Maintenance).
pub const ACCESS_QUEUES: &str = "access: queues";

/// A user group that a named account can have. The fifth group, Public, is
/// not an account: it is whoever holds a [`PublicLink`], asking through
/// [`Channel::Link`].
///
/// ```
/// use clearance::presets::smartflow::Group;
/// use clearance::{Channels, UserType};
///
/// assert_eq!(Group::Portal.channels(), Channels::WEB);
/// assert_eq!(Group::Interface.user_type(), UserType::Interface);
/// assert_eq!(Group::default(), Group::Normal);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Group {
    /// Logs in to the web portal only: views, forms (as the distribution
    /// query allows), the knowledge base. The least permissive group.
    Portal,
    /// The default group: the portal and the apps, with the Default role
    /// and any other system roles.
    #[default]
    Normal,
    /// Unrestricted access to everything; the only group that can make
    /// another user Domain Admin.
    DomainAdmin,
    /// An integration: the Web API only.
    Interface,
}

impl Group {
    /// Every group of a named account.
    pub const ALL: [Group; 4] = [
        Group::Portal,
        Group::Normal,
        Group::DomainAdmin,
        Group::Interface,
    ];

    /// The group's name, as Smartflow shows it (and as the matrix columns are named).
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Group::Portal => "Portal",
            Group::Normal => "Normal",
            Group::DomainAdmin => "Domain Admin",
            Group::Interface => "Interface",
        }
    }

    /// How an account of the group exists.
    #[must_use]
    pub const fn user_type(self) -> UserType {
        match self {
            Group::Interface => UserType::Interface,
            Group::Portal | Group::Normal | Group::DomainAdmin => UserType::Native,
        }
    }

    /// The channels an account of the group may use.
    #[must_use]
    pub const fn channels(self) -> Channels {
        match self {
            Group::Portal => Channels::WEB,
            Group::Normal => Channels::WEB.union(Channels::APP),
            Group::DomainAdmin | Group::Interface => self.user_type().channels(),
        }
    }
}

/// A form template's permission for the Public user group.
///
/// ```
/// use clearance::presets::smartflow::{PublicAccess, PUBLIC_READ};
///
/// assert_eq!(PublicAccess::Read.role(), PUBLIC_READ);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicAccess {
    /// Link holders may read the form.
    Read,
    /// Link holders may read, fill in and save the form.
    EditAndSave,
}

impl PublicAccess {
    /// The name of the role granted to [`Grantee::Public`] on the template.
    #[must_use]
    pub const fn role(self) -> &'static str {
        match self {
            PublicAccess::Read => PUBLIC_READ,
            PublicAccess::EditAndSave => PUBLIC_EDIT,
        }
    }
}

/// The name of the team of `group` in `tenant`: its members are the
/// group's users, and it holds the group's grants (none for Domain Admin,
/// whose role is granted per user; see [`make_domain_admin`]). The four
/// teams of a tenant are [exclusive](PolicyBuilder::exclusive_teams): "a
/// user must be associated with a user group", one.
///
/// ```
/// use clearance::presets::smartflow::{group_team, Group};
///
/// assert_eq!(group_team("acme", Group::Normal), "acme/normal");
/// assert_eq!(group_team("acme", Group::DomainAdmin), "acme/domain-admin");
/// ```
#[must_use]
pub fn group_team(tenant: &str, group: Group) -> String {
    let suffix = match group {
        Group::Portal => "portal",
        Group::Normal => "normal",
        Group::Interface => "interface",
        Group::DomainAdmin => "domain-admin",
    };
    format!("{tenant}/{suffix}")
}

/// The changes that move `user` of `tenant` from group `from` to group
/// `to`, for [`Policy::apply_all`] (all or nothing): the move between the
/// groups' teams ([`Change::MoveMembership`], one change, so the user is
/// never in none or two), then the new group's type and channels
/// ([`Change::SetUserType`]). Making a Domain Admin also takes the grant
/// of its role ([`make_domain_admin`]), which only a Domain Admin may
/// make; leaving Normal leaves Default's requirement, and joining Normal
/// needs nothing more (the team holds Default).
///
/// ```
/// use clearance::presets::smartflow::{self, Group};
/// use clearance::{Channels, Labels};
///
/// let mut builder = smartflow::builder();
/// smartflow::add_tenant(&mut builder, "acme");
/// smartflow::add_user(&mut builder, "pat", "acme", Group::Portal, Labels::empty());
/// let mut policy = builder.build()?;
/// policy.apply_all(smartflow::move_to_group("pat", "acme", Group::Portal, Group::Normal))?;
/// let pat = policy.user(policy.user_id("pat").unwrap()).unwrap();
/// assert_eq!(pat.channels(), Channels::WEB | Channels::APP);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn move_to_group(user: &str, tenant: &str, from: Group, to: Group) -> [Change; 2] {
    [
        Change::MoveMembership {
            user: user.into(),
            from: group_team(tenant, from),
            to: group_team(tenant, to),
        },
        Change::SetUserType {
            user: user.into(),
            user_type: to.user_type(),
            channels: Some(to.channels()),
            by: None,
        },
    ]
}

/// The action that logs in through `channel`: the portal for
/// [`Channel::Web`], the apps for [`Channel::App`]. `None` for the API and
/// links, which have no log-in (an Interface user authenticates each
/// request; a link holder never logs in). Ask for it on the tenant root.
///
/// ```
/// use clearance::presets::smartflow::{log_in, LOG_IN_TO_APPS};
/// use clearance::{Action, Channel};
///
/// assert_eq!(log_in(Channel::App), Some(Action::Custom(LOG_IN_TO_APPS)));
/// assert_eq!(log_in(Channel::Link), None);
/// ```
#[must_use]
pub const fn log_in(channel: Channel) -> Option<Action> {
    match channel {
        Channel::Web => Some(Action::Custom(LOG_IN_TO_PORTAL)),
        Channel::App => Some(Action::Custom(LOG_IN_TO_APPS)),
        Channel::Api | Channel::Link => None,
    }
}

/// Smartflow's roles: the three system roles (Default, Builder,
/// Maintenance), the access roles they are made of, the roles of the
/// Portal, Domain Admin and Interface groups, and the two Public
/// permissions of a form template.
///
/// Every role is limited to the user types of the groups that may hold it
/// ([`Role::only_for`]): system and access roles to native accounts, the
/// Interface role to Interface users, the Public roles to link holders.
///
/// ```
/// use clearance::presets::smartflow;
///
/// let policy = smartflow::builder().build()?;
/// for name in [smartflow::DEFAULT, smartflow::BUILDER, smartflow::MAINTENANCE] {
///     assert!(policy.role_id(name).is_some());
/// }
/// assert_eq!(smartflow::roles().len(), 13);
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[must_use]
pub fn roles() -> Vec<Role> {
    let native = UserTypes::NATIVE;
    let build = P::VIEW | P::CREATE | P::EDIT | P::DELETE | P::PUBLISH;
    let fill_in = P::VIEW | P::CREATE | P::EDIT;
    vec![
        // Access maintenance: the permission sets behind the system roles.
        Role::new(ACCESS_BUILD)
            .allow([K::Template, K::View, K::Flow], build)
            .only_for(native),
        Role::new(ACCESS_DATASETS)
            .allow(
                [K::Dataset],
                P::VIEW | P::CREATE | P::EDIT | P::DELETE | P::IMPORT | P::EXPORT,
            )
            .only_for(native),
        Role::new(ACCESS_KNOWLEDGE_BASE)
            .allow(
                [K::KnowledgeBase],
                P::VIEW | P::CREATE | P::EDIT | P::DELETE,
            )
            .only_for(native),
        Role::new(ACCESS_QUEUES)
            .allow([K::Queue], P::VIEW | P::EDIT)
            .only_for(native),
        // System roles.
        Role::new(DEFAULT)
            .allow([K::Organization], LOG_IN_TO_PORTAL | LOG_IN_TO_APPS)
            .allow([K::View, K::Template, K::KnowledgeBase], P::VIEW)
            .allow([K::Form], fill_in)
            .only_for(native),
        Role::new(BUILDER)
            .inherits(ACCESS_BUILD)
            .inherits(ACCESS_DATASETS)
            .only_for(native),
        Role::new(MAINTENANCE)
            .inherits(ACCESS_KNOWLEDGE_BASE)
            .inherits(ACCESS_QUEUES)
            .only_for(native),
        // Groups.
        Role::new(PORTAL)
            .allow([K::Organization], LOG_IN_TO_PORTAL)
            .allow([K::View, K::KnowledgeBase], P::VIEW)
            .only_for(native),
        Role::new(PORTAL_FORMS)
            .allow([K::Template], P::VIEW)
            .allow([K::Form], fill_in)
            .only_for(native),
        Role::new(DOMAIN_ADMIN)
            .allow_everywhere(P::all())
            .only_for(native),
        Role::new(INTERFACE)
            .allow([K::Organization], P::MANAGE_MEMBERS)
            .allow([K::Template], P::VIEW)
            .allow([K::Form], fill_in | P::DELETE)
            .allow([K::Dataset], P::VIEW | P::CREATE | P::EDIT | P::DELETE)
            .only_for(UserTypes::INTERFACE),
        // A form template's permission for the Public group.
        Role::new(PUBLIC_READ)
            .allow([K::Form], P::VIEW)
            .only_for(UserTypes::PUBLIC),
        Role::new(PUBLIC_EDIT)
            .allow([K::Form], P::VIEW | P::EDIT)
            .only_for(UserTypes::PUBLIC),
    ]
}

/// A [`PolicyBuilder`] holding Smartflow's [`roles`], ready for tenants
/// ([`add_tenant`]), users ([`add_user`]), form templates
/// ([`add_form_template`]) and the rest of a model. Smartflow has no MFA
/// rule and no seat cap in its user-management pages, so none is set.
///
/// ```
/// use clearance::presets::smartflow;
///
/// let policy = smartflow::builder().build()?;
/// assert!(policy.role_id(smartflow::DEFAULT).is_some());
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[must_use]
pub fn builder() -> PolicyBuilder {
    super::builder_with(roles())
}

/// Declares a Smartflow tenant named `tenant`: its root, the teams of its
/// four groups ([`group_team`]), exclusive (each user is in exactly one),
/// and the grants of those groups on the root: [`DEFAULT`] to the Normal team, [`PORTAL`] to the Portal team
/// and [`PORTAL_FORMS`] to it when the form's distribution query matches
/// ([`Condition::LabelsContain`]), [`INTERFACE`] to the Interface team.
///
/// Default is [required](PolicyBuilder::require_role) of the Normal
/// team's members: "A Normal user must have at least the Default system
/// role to be able to access Smartflow. You may add additional roles to
/// the user, but must not remove the Default role from the user." No
/// change may take it from a Normal user (a revoke of the team's grant, a
/// deny, an override), and a Normal user built without it may do nothing.
pub fn add_tenant<'b>(builder: &'b mut PolicyBuilder, tenant: &str) -> &'b mut PolicyBuilder {
    builder.tenant(tenant, K::Organization);
    for group in Group::ALL {
        builder.team(group_team(tenant, group), tenant);
    }
    let team = |group| Grantee::team(group_team(tenant, group));
    builder
        .exclusive_teams(Group::ALL.map(|group| group_team(tenant, group)))
        .require_role(RequiredOf::Team(group_team(tenant, Group::Normal)), DEFAULT)
        .grant(team(Group::Normal), tenant, DEFAULT, Effect::Allow)
        .grant(team(Group::Portal), tenant, PORTAL, Effect::Allow)
        .grant_when(
            team(Group::Portal),
            tenant,
            PORTAL_FORMS,
            Effect::Allow,
            Condition::LabelsContain,
        )
        .grant(team(Group::Interface), tenant, INTERFACE, Effect::Allow)
}

/// The account of a user named `name` of `tenant` in `group`: its user
/// type, its channels, and its membership in the group's team. A Domain
/// Admin's role is a grant, not part of the account: declare the user with
/// [`add_user`], or apply [`make_domain_admin`] after
/// [`Change::AddUser`].
///
/// ```
/// use clearance::presets::smartflow::{self, Group};
///
/// let mut builder = smartflow::builder();
/// smartflow::add_tenant(&mut builder, "acme");
/// builder.user(smartflow::user("ivy", "acme", Group::Interface));
/// let policy = builder.build()?;
/// assert!(policy.user_id("ivy").is_some());
/// # Ok::<(), clearance::BuildError>(())
/// ```
pub fn user(name: &str, tenant: &str, group: Group) -> User {
    let user = User::new(name, tenant)
        .user_type(group.user_type())
        .channels(group.channels());
    user.member_of(group_team(tenant, group))
}

/// Declares a user of `tenant` in `group`, with the labels of its
/// attributes (compared with forms' distribution queries): the [`user`]
/// account, and for a Domain Admin the grant of [`DOMAIN_ADMIN`] on the
/// tenant.
pub fn add_user<'b>(
    builder: &'b mut PolicyBuilder,
    name: &str,
    tenant: &str,
    group: Group,
    labels: Labels,
) -> &'b mut PolicyBuilder {
    builder.user(user(name, tenant, group).labels(labels));
    if group == Group::DomainAdmin {
        builder.grant(Grantee::user(name), tenant, DOMAIN_ADMIN, Effect::Allow);
    }
    builder
}

/// Declares a form template named `name` below `parent`, with its
/// permission for the Public group (`None`: link holders get nothing). The
/// Public grant applies only to forms distributed to everyone: a link
/// holder has no labels, so it matches no distribution query.
pub fn add_form_template<'b>(
    builder: &'b mut PolicyBuilder,
    name: &str,
    parent: &str,
    public: Option<PublicAccess>,
) -> &'b mut PolicyBuilder {
    builder.resource(name, K::Template, parent);
    if let Some(access) = public {
        builder.grant_when(
            Grantee::Public,
            name,
            access.role(),
            Effect::Allow,
            Condition::LabelsContain,
        );
    }
    builder
}

/// The change that makes `user` a Domain Admin of `tenant`, made by
/// `author`. Applied with [`Policy::apply`], it passes
/// [`Policy::can_grant`] first: the author needs to maintain users and to
/// hold every permission of the Domain Admin role on the tenant, which only
/// a Domain Admin of that tenant does. Anyone else is refused and nothing
/// changes.
///
/// ```
/// use clearance::presets::smartflow::{self, Group};
/// use clearance::{Author, Labels};
///
/// let mut builder = smartflow::builder();
/// smartflow::add_tenant(&mut builder, "acme");
/// smartflow::add_user(&mut builder, "dana", "acme", Group::DomainAdmin, Labels::empty());
/// smartflow::add_user(&mut builder, "nick", "acme", Group::Normal, Labels::empty());
/// let mut policy = builder.build()?;
///
/// // A Normal user cannot promote anyone, not even itself.
/// let by_nick = smartflow::make_domain_admin("nick", "acme", Author::web("nick", 1_700_000_000));
/// assert!(policy.apply(by_nick).is_err());
/// // A Domain Admin can.
/// policy.apply(smartflow::make_domain_admin("nick", "acme", Author::web("dana", 1_700_000_000)))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn make_domain_admin(user: &str, tenant: &str, author: Author) -> Change {
    super::grant_change(Grantee::user(user), tenant, DOMAIN_ADMIN, Some(author))
}

/// The demo's distribution attribute "region: Europe" (label 0).
pub const EUROPE: Labels = Labels::bit(0);
/// The demo's distribution attribute "region: Americas" (label 1).
pub const AMERICAS: Labels = Labels::bit(1);

/// A small Smartflow model: two companies.
///
/// `acme` has form templates `inspection` (the public may edit and save),
/// `feedback` (the public may read) and `audit` (nothing for the public),
/// with forms distributed to everyone (`inspection-0042`, `feedback-0001`,
/// `audit-0001`), to Europe (`inspection-eu-7`) and to the Americas
/// (`inspection-us-3`); a view `open-orders`, a flow `approval`, a dataset
/// `customers`, a knowledge base `handbook` and a queue `approvals`; a
/// public link to each of the forms `inspection-0042` (`inspection-link`),
/// `feedback-0001` (`feedback-link`), `audit-0001` (`audit-link`) and
/// `inspection-eu-7` (`inspection-eu-link`), each asking to read, edit and
/// save. Its users:
///
/// | user | group | system roles, grants | labels |
/// |---|---|---|---|
/// | `pia` | Portal | — | Europe |
/// | `pete` | Portal | — | Americas |
/// | `nora` | Normal | Default | — |
/// | `ben` | Normal | Default, Builder | — |
/// | `mia` | Normal | Default, Maintenance | — |
/// | `nina` | Normal | Default, Builder, Maintenance | — |
/// | `otto` | Normal | Default, and the four access roles granted directly | — |
/// | `dana` | Domain Admin | — | — |
/// | `ivan` | Interface | — | — |
///
/// `globex` has a Domain Admin `gus` and a Normal user `gwen`.
///
/// # Errors
///
/// None in practice: the model is fixed and builds. The `Result` keeps
/// library code free of panics.
pub fn demo() -> Result<Policy, BuildError> {
    let mut builder = builder();
    let b = &mut builder;
    add_tenant(b, "acme");
    add_form_template(b, "inspection", "acme", Some(PublicAccess::EditAndSave));
    add_form_template(b, "feedback", "acme", Some(PublicAccess::Read));
    add_form_template(b, "audit", "acme", None);
    b.resource("inspection-0042", K::Form, "inspection")
        .resource("inspection-eu-7", K::Form, "inspection")
        .labels("inspection-eu-7", EUROPE)
        .resource("inspection-us-3", K::Form, "inspection")
        .labels("inspection-us-3", AMERICAS)
        .resource("feedback-0001", K::Form, "feedback")
        .resource("audit-0001", K::Form, "audit")
        .resource("open-orders", K::View, "acme")
        .resource("approval", K::Flow, "acme")
        .resource("customers", K::Dataset, "acme")
        .resource("handbook", K::KnowledgeBase, "acme")
        .resource("approvals", K::Queue, "acme");
    let fill = P::VIEW | P::EDIT;
    b.link(PublicLink::new("inspection-link", "inspection-0042", fill))
        .link(PublicLink::new("feedback-link", "feedback-0001", fill))
        .link(PublicLink::new("audit-link", "audit-0001", fill))
        .link(PublicLink::new(
            "inspection-eu-link",
            "inspection-eu-7",
            fill,
        ));

    let none = Labels::empty();
    add_user(b, "pia", "acme", Group::Portal, EUROPE);
    add_user(b, "pete", "acme", Group::Portal, AMERICAS);
    for name in ["nora", "ben", "mia", "nina", "otto"] {
        add_user(b, name, "acme", Group::Normal, none);
    }
    add_user(b, "dana", "acme", Group::DomainAdmin, none);
    add_user(b, "ivan", "acme", Group::Interface, none);
    let system_roles = [
        ("ben", BUILDER),
        ("mia", MAINTENANCE),
        ("nina", BUILDER),
        ("nina", MAINTENANCE),
        // The access maintenance page: the same permissions, granted directly.
        ("otto", ACCESS_BUILD),
        ("otto", ACCESS_DATASETS),
        ("otto", ACCESS_KNOWLEDGE_BASE),
        ("otto", ACCESS_QUEUES),
    ];
    for (name, role) in system_roles {
        b.grant(Grantee::user(name), "acme", role, Effect::Allow);
    }

    add_tenant(b, "globex");
    add_user(b, "gus", "globex", Group::DomainAdmin, none);
    add_user(b, "gwen", "globex", Group::Normal, none);
    builder.build()
}

/// The rows of Smartflow's table, each at the demo resource it is about.
fn rows(policy: &Policy) -> Vec<(&'static str, Action, ResourceId)> {
    let acme = resource(policy, "acme");
    vec![
        (
            "Log in to web portal",
            Action::Custom(LOG_IN_TO_PORTAL),
            acme,
        ),
        ("Log in to apps", Action::Custom(LOG_IN_TO_APPS), acme),
        ("Open views", Action::View, resource(policy, "open-orders")),
        (
            "Fill in forms",
            Action::Edit,
            resource(policy, "inspection-0042"),
        ),
        (
            "View knowledge base",
            Action::View,
            resource(policy, "handbook"),
        ),
        (
            "Add to knowledge base",
            Action::Create,
            resource(policy, "handbook"),
        ),
        (
            "Build forms, views or flows",
            Action::Edit,
            resource(policy, "inspection"),
        ),
        (
            "Maintain datasets",
            Action::Edit,
            resource(policy, "customers"),
        ),
        (
            "Maintain users, roles, permissions",
            Action::ManageMembers,
            acme,
        ),
        ("View queues", Action::View, resource(policy, "approvals")),
    ]
}

/// Smartflow's permission matrix over the [`demo`] model: the rows and
/// columns of its table in PRODUCTS.md (heading `Action`; columns Public,
/// Portal, Normal, Domain Admin, Interface).
///
/// Each column is one demo subject asking through its group's channel: the
/// holder of `inspection-link` (Public), `pia` through the web (Portal),
/// `nina` through the web (Normal, with Builder and Maintenance, so that
/// the cells ² and ³ are allowed), `dana` through the web (Domain Admin),
/// `ivan` through the API (Interface). On a policy without the demo's
/// names, the cells of the missing ones are denied as unknown.
///
/// ```
/// use clearance::presets::smartflow;
///
/// let policy = smartflow::demo()?;
/// smartflow::matrix(&policy).check("
///     | Action         | Public | Portal | Normal | Domain Admin | Interface       |
///     |----------------|--------|--------|--------|--------------|-----------------|
///     | Log in to apps | N      | N      | Y      | Y            | N               |
///     | Fill in forms  | Y¹     | Y      | Y      | Y            | Y (Web API)     |
/// ")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn matrix(policy: &Policy) -> Matrix<'_> {
    let link = policy
        .link_id("inspection-link")
        .unwrap_or(LinkId::from_index(u32::MAX));
    let columns = [
        ("Public", Subject::link(link)),
        ("Portal", member(policy, "pia", Channel::Web)),
        ("Normal", member(policy, "nina", Channel::Web)),
        ("Domain Admin", member(policy, "dana", Channel::Web)),
        ("Interface", member(policy, "ivan", Channel::Api)),
    ];
    Matrix::compute(policy, rows(policy), columns).with_heading("Action")
}

/// The footnotes ² and ³ of Smartflow's table, over the [`demo`] model: the
/// same rows as [`matrix`], and a column per way a Normal user may hold the
/// conditional permissions: `Default only` (`nora`), `Builder` (`ben`),
/// `Maintenance` (`mia`), `Direct grants` (`otto`, holding the access roles
/// the system roles are made of, granted directly). Each asks through the
/// web.
///
/// ```
/// use clearance::presets::smartflow;
///
/// let policy = smartflow::demo()?;
/// smartflow::system_roles_matrix(&policy).check("
///     | Action            | Default only | Builder | Maintenance | Direct grants |
///     |-------------------|--------------|---------|-------------|---------------|
///     | Maintain datasets | N            | Y       | N           | Y             |
///     | View queues       | N            | N       | Y           | Y             |
/// ")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn system_roles_matrix(policy: &Policy) -> Matrix<'_> {
    let columns = [
        ("Default only", member(policy, "nora", Channel::Web)),
        ("Builder", member(policy, "ben", Channel::Web)),
        ("Maintenance", member(policy, "mia", Channel::Web)),
        ("Direct grants", member(policy, "otto", Channel::Web)),
    ];
    Matrix::compute(policy, rows(policy), columns).with_heading("Action")
}
