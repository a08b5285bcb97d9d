//! Preset: Smart Flows (Experlogix, formerly Xpertdoc), document generation
//! and automation on top of a CRM. Source: `000_*.txt` and §1 of
//! `PRODUCTS.md`.
//!
//! # How Smart Flows maps onto clearance
//!
//! | Smart Flows | clearance |
//! |---|---|
//! | an installation (one customer's Smart Flows) | a tenant root of kind [`Organization`](crate::ResourceKind::Organization), declared with [`installation`] |
//! | a project (what the Project Console edits) | a [`Project`](crate::ResourceKind::Project) below the installation |
//! | a flow, a document template | a [`Flow`](crate::ResourceKind::Flow), a [`Template`](crate::ResourceKind::Template) inside a project |
//! | the four user roles | four [`Role`]s ([`roles`]), granted per user at the installation root, so a role holds in every project |
//! | the four user types | [`UserType`]: `Native`, `NativeAdmin`, `Connected`, `System` |
//! | Super User: native users only | [`Role::only_for`]`(`[`UserTypes::NATIVE`]`)`: granting it (or a role inheriting it) to another user or a team with another member is a build error; an `Everyone` grant reaches native users only |
//! | the Project Console, the Flow Execution Panel | [`Channel::Web`]; the Template Builder add-in is an Office add-in, [`Channel::App`]; the API and its keys, [`Channel::Api`] |
//! | API keys (per user) | [`ApiKey`]s with the default scope: exactly their owner's rights |
//! | licences | [`seats`]: native and connected users count |
//! | the Project Console, which no named action describes | custom permission bits: [`PROJECT_CONSOLE`], [`PROJECT_CHANGES`] |
//! | every other capability | a named [`Action`]: see *Capability → action and resource to ask* |
//!
//! Smart Flows has no groups, no item-level exceptions and no attribute
//! filters in its documentation, so the preset declares no team, no
//! [`Effect::Override`] grant and no label. A host that wants, say, one
//! project closed to a Designer can add an `Override` grant of a narrower
//! role on that project: it replaces the Designer's installation-wide role
//! there, for that user only.
//!
//! # Capability → action and resource to ask
//!
//! Each row of the table in `PRODUCTS.md` §1, and what a host asks for it.
//! [`matrix`] asks each row's first entry; every action listed gives
//! the row's answer in each column (`tests/presets_smart_flows.rs` checks
//! them all), so a host calling a named action gets the product's answer.
//!
//! | Capability | Ask | At |
//! |---|---|---|
//! | Project Console (full) | [`FULL_PROJECT_CONSOLE`]; its major changes are also [`Action::ManageSettings`] and [`Action::Delete`] | the project |
//! | Template Builder add-in | [`Action::Edit`] | a template |
//! | Flow Execution Panel, run own flows | [`Action::Execute`] | a flow |
//! | Run other users' flows | [`Action::ExecuteAsOthers`] | a flow |
//! | See all executions (reporting) | [`Action::ViewExecutions`]; the reports, [`Action::ViewAnalytics`] | the project |
//! | Assign and manage other users' roles | [`Action::ManageMembers`] | the installation |
//! | Settings and licensing pages | [`Action::ManageSettings`] and [`Action::ManageBilling`] (together, [`SETTINGS_AND_LICENSING`]) | the installation |
//! | Create/deactivate native users, set passwords | [`Action::ManageMembers`] | the installation |
//! | Generate or remove API keys | [`Action::ManageApiKeys`] | the installation |
//!
//! The two user-management rows are one permission,
//! [`MANAGE_MEMBERS`](crate::Permissions::MANAGE_MEMBERS), held by the same
//! role (the Administrator): it is what the library checks when an author
//! suspends, deactivates or removes a user, or changes a role. The Project
//! Console has no named action, so it keeps two custom bits, which mean
//! nothing else in this preset.
//!
//! # Cells that are the preset's choice
//!
//! Cells marked S or D follow the source. The others (I and ?):
//!
//! - **Designer, Project Console (full)**: *reduced* (S). A Designer holds
//!   [`PROJECT_CONSOLE`] (open the console, make the changes that cannot
//!   break the project: edit flows and templates) but not
//!   [`PROJECT_CHANGES`] (the major ones: settings, deleting, anything that
//!   could break the project). So the full console is denied and the
//!   reduced one ([`REDUCED_PROJECT_CONSOLE`]) allowed; tests read the word
//!   "reduced" in the full row as a deny.
//! - **Super User, Template Builder add-in**: N (I). A Super User is "like a
//!   user" that can also run other users' flows; designing templates is
//!   not part of that.
//! - **Administrator, Designer: Flow Execution Panel, run own flows**: Y (I).
//!   An Administrator has access to everything (S); a Designer builds the
//!   flows it runs to try them.
//! - **Administrator, Run other users' flows**: Y (I): no restrictions.
//! - **Designer, Run other users' flows**: ? → N. Only the Super User is
//!   documented to do it; the preset does not extend it.
//! - **Designer, See all executions**: ? → N. **Super User, User**: N (I).
//!   Everyone sees their own executions in the Flow Execution Panel; the
//!   host filters those by who started them. [`Permissions::VIEW_EXECUTIONS`](crate::Permissions::VIEW_EXECUTIONS)
//!   (every user's executions) is the Administrator's alone.
//! - **Designer, Assign and manage other users' roles**: N (I).
//! - **Designer, Settings and licensing pages; Create/deactivate native
//!   users; Generate or remove API keys**: ? → N.
//!
//! # User types
//!
//! - **Native**: the default [`User`] type. The only type that may hold
//!   Super User (S), enforced by the build (and by [`Policy::apply`]).
//! - **Native Admin**: one per installation, always Administrator (S).
//!   [`installation`] declares the installation together with its native
//!   admin and the Administrator grant, so a model built with it has both,
//!   and the account is [protected](User::protected): no change may
//!   suspend, deactivate or remove it, revoke its Administrator grant, or
//!   hold it off with a deny or override (its own, or everyone's), so the
//!   emergency login cannot be locked out by one `Revoke`.
//! - **Connected**: synced from the CRM, whose role is the one that counts
//!   (D). The host's CRM sync is the only writer of a connected user's role
//!   grant: it revokes the old role and grants the new one.
//! - **System**: [`UserType::System`] has no channel at all, so every
//!   request of a system account, or of a key it owns, is denied with
//!   [`Reason::ChannelNotAllowed`](crate::Reason::ChannelNotAllowed),
//!   whatever role it holds. Declare system users
//!   [protected](User::protected) ([`demo`] does): "you cannot edit their
//!   settings or remove them", so every change of their standing, type,
//!   channels, teams or grants is refused with
//!   [`ChangeProblem::Protected`](crate::ChangeProblem::Protected).
//!
//! # Gaps
//!
//! Two documented rules are not enforced by the library and stay with the
//! host:
//!
//! - **Exactly one Native Admin** (S). The builder counts no user type:
//!   [`installation`] declares one, protected, and a host must not add a
//!   second account of type `NativeAdmin`. "Always Administrator" is
//!   enforced (the account is protected, above); changing the
//!   Administrator role itself ([`Change::UpdateRole`](crate::Change::UpdateRole))
//!   is a change of the model for everyone, which protection does not
//!   cover.
//! - **The CRM role overrides the local role** (D). It is a statement about
//!   who writes the grant, not about how grants combine: two roles at the
//!   same scope always add up. A "managed by the directory" mark on a
//!   user's grants, refused to local changes, would close it.
//!
//! # Example
//!
//! ```
//! use clearance::presets::smart_flows;
//! use clearance::{Action, Channel, Effect, Grantee, ResourceKind, Subject, User, UserType};
//!
//! let mut builder = smart_flows::builder();
//! smart_flows::installation(&mut builder, "contoso", "admin@contoso");
//! builder
//!     .resource("quotes", ResourceKind::Project, "contoso")
//!     .resource("quote", ResourceKind::Flow, "quotes")
//!     .user(User::new("sam", "contoso"))
//!     .grant(Grantee::user("sam"), "contoso", smart_flows::SUPER_USER, Effect::Allow);
//! let policy = builder.build()?;
//!
//! let sam = Subject::user(policy.user_id("sam").unwrap(), Channel::Api).at(1_700_000_000);
//! let quote = policy.resource_id("quote").unwrap();
//! assert!(policy.authorize(&sam, Action::ExecuteAsOthers, quote).is_allowed());
//!
//! // Super User is for native users only: a connected user cannot hold it.
//! let mut builder = smart_flows::builder();
//! smart_flows::installation(&mut builder, "contoso", "admin@contoso");
//! builder
//!     .user(User::new("cy", "contoso").user_type(UserType::Connected))
//!     .grant(Grantee::user("cy"), "contoso", smart_flows::SUPER_USER, Effect::Allow);
//! assert!(builder.build().is_err());
//! # Ok::<(), clearance::BuildError>(())
//! ```

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::{
    Action, ApiKey, BuildError, Channel, Matrix, Permissions as P, Policy, PolicyBuilder,
    ResourceId, ResourceKind as K, Role, Seats, Subject, User, UserType, UserTypes,
};

#[cfg(doc)]
use crate::Effect;

/// The role name of an Administrator.
pub const ADMINISTRATOR: &str = "Administrator";
/// The role name of a Designer.
pub const DESIGNER: &str = "Designer";
/// The role name of a Super User.
pub const SUPER_USER: &str = "Super User";
/// The role name of a User.
pub const USER: &str = "User";

/// Open the Project Console and make the changes that cannot break the
/// project (a custom bit: bit 40).
pub const PROJECT_CONSOLE: P = P::from_bits_retain(1 << 40);
/// Make the major changes in the Project Console that could break the
/// project: project settings, deleting, restructuring (a custom bit: bit 41).
pub const PROJECT_CHANGES: P = P::from_bits_retain(1 << 41);
/// Create and deactivate native users and set their passwords: managing
/// members, [`Permissions::MANAGE_MEMBERS`](crate::Permissions::MANAGE_MEMBERS)
/// (it was the custom bit 42).
///
/// Deprecated: ask [`Action::ManageMembers`], which the library also
/// checks when an author deactivates or removes a user. The constant is
/// that permission now, so `Action::Custom(MANAGE_USERS)` still gets the
/// product's answer.
#[deprecated(
    note = "ask Action::ManageMembers: creating and deactivating users is managing members"
)]
pub const MANAGE_USERS: P = P::MANAGE_MEMBERS;

/// The full Project Console: [`PROJECT_CONSOLE`] and [`PROJECT_CHANGES`].
pub const FULL_PROJECT_CONSOLE: Action = Action::Custom(PROJECT_CONSOLE.union(PROJECT_CHANGES));
/// The Designer's reduced Project Console: [`PROJECT_CONSOLE`] only.
pub const REDUCED_PROJECT_CONSOLE: Action = Action::Custom(PROJECT_CONSOLE);
/// The settings and licensing pages: settings and billing together.
pub const SETTINGS_AND_LICENSING: Action =
    Action::Custom(P::MANAGE_SETTINGS.union(P::MANAGE_BILLING));

/// The four user roles.
///
/// - **User** (S): the Flow Execution Panel: see projects and flows, run
///   flows as oneself.
/// - **Super User** (S): a User who also runs other users' flows
///   ([`Permissions::EXECUTE_AS_OTHERS`](crate::Permissions::EXECUTE_AS_OTHERS)); native users only.
/// - **Designer** (S): a User with the reduced Project Console
///   ([`PROJECT_CONSOLE`], without [`PROJECT_CHANGES`]) and the Template
///   Builder add-in: creates and edits flows and templates.
/// - **Administrator** (S): "access to all components with no
///   restrictions": every permission on every kind of resource, custom bits
///   included, so it also assigns roles and may grant any of them.
///
/// ```
/// assert_eq!(clearance::presets::smart_flows::roles().len(), 4);
/// ```
#[must_use]
pub fn roles() -> Vec<Role> {
    vec![
        Role::new(USER)
            .allow([K::Project, K::Flow, K::Template], P::VIEW)
            .allow([K::Flow], P::EXECUTE),
        Role::new(SUPER_USER)
            .inherits(USER)
            .allow([K::Flow], P::EXECUTE_AS_OTHERS)
            .only_for(UserTypes::NATIVE),
        Role::new(DESIGNER)
            .inherits(USER)
            .allow([K::Project], PROJECT_CONSOLE)
            .allow([K::Project, K::Flow, K::Template], P::CREATE | P::EDIT),
        Role::new(ADMINISTRATOR).allow_everywhere(P::all()),
    ]
}

/// A builder holding the four roles, ready for installations
/// ([`installation`]), projects, users and grants.
///
/// ```
/// use clearance::presets::smart_flows;
///
/// let mut builder = smart_flows::builder();
/// smart_flows::installation(&mut builder, "contoso", "admin@contoso");
/// let policy = builder.build()?;
/// assert!(policy.role_id(smart_flows::DESIGNER).is_some());
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[must_use]
pub fn builder() -> PolicyBuilder {
    super::builder_with(roles())
}

/// Declares an installation (a tenant root) with its Native Admin, who is
/// always Administrator (S): the user named `native_admin`, of type
/// [`UserType::NativeAdmin`], granted [`ADMINISTRATOR`] on the installation.
///
/// ```
/// use clearance::presets::smart_flows;
/// use clearance::{Action, Channel, Subject};
///
/// let mut builder = smart_flows::builder();
/// smart_flows::installation(&mut builder, "contoso", "admin@contoso");
/// let policy = builder.build()?;
/// let admin = Subject::user(policy.user_id("admin@contoso").unwrap(), Channel::Web).at(1_700_000_000);
/// let contoso = policy.resource_id("contoso").unwrap();
/// assert!(policy.authorize(&admin, Action::ManageMembers, contoso).is_allowed());
/// # Ok::<(), clearance::BuildError>(())
/// ```
pub fn installation<'b>(
    builder: &'b mut PolicyBuilder,
    name: &str,
    native_admin: &str,
) -> &'b mut PolicyBuilder {
    builder.tenant(name, K::Organization);
    super::user_holding(
        builder,
        User::new(native_admin, name)
            .user_type(UserType::NativeAdmin)
            .protected(),
        ADMINISTRATOR,
    )
}

/// The licence seat cap: at most `limit` active native and connected users
/// (S: both count against licences). The Native Admin and system users are
/// the preset's choice (I): they come with the product, so they do not
/// count. At the cap, adding or reactivating a counted user is refused.
///
/// ```
/// use clearance::presets::smart_flows;
/// use clearance::{Change, ChangeProblem, User, UserType};
///
/// let mut builder = smart_flows::builder();
/// smart_flows::installation(&mut builder, "contoso", "admin@contoso");
/// builder.seats(smart_flows::seats(1)).user(User::new("nina", "contoso"));
/// let mut policy = builder.build()?;
/// let sync = Change::AddUser(User::new("uri", "contoso").user_type(UserType::Connected));
/// assert!(matches!(policy.apply(sync).unwrap_err().problem(), ChangeProblem::SeatsExceeded { .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn seats(limit: u32) -> Seats {
    Seats {
        limit,
        counted: UserTypes::NATIVE | UserTypes::CONNECTED,
    }
}

/// The demo model: one installation, `contoso`, with a project of quotes
/// (a flow and its template), a user of every type and role, two API keys
/// and a licence for ten seats.
///
/// | user | type | role |
/// |---|---|---|
/// | `admin@contoso.test` | Native Admin | Administrator |
/// | `alice@contoso.test` | Connected | Administrator |
/// | `dora@contoso.test` | Connected | Designer |
/// | `sam@contoso.test` | Native | Super User (owns the key `sam-integration`) |
/// | `uri@contoso.test` | Connected | User (owns the key `uri-key`) |
/// | `nina@contoso.test` | Native | User |
/// | `system@contoso.test` | System | User (yet never allowed anything) |
///
/// # Errors
///
/// None in practice: the model is fixed and builds. The `Result` is the
/// builder's.
///
/// ```
/// let policy = clearance::presets::smart_flows::demo()?;
/// assert_eq!(policy.user_count(), 7);
/// # Ok::<(), clearance::BuildError>(())
/// ```
pub fn demo() -> Result<Policy, BuildError> {
    let mut builder = builder();
    installation(&mut builder, "contoso", "admin@contoso.test");
    builder
        .seats(seats(10))
        .resource("quotes", K::Project, "contoso")
        .resource("quote", K::Flow, "quotes")
        .resource("quote-template", K::Template, "quotes");
    let people = [
        ("alice@contoso.test", UserType::Connected, ADMINISTRATOR),
        ("dora@contoso.test", UserType::Connected, DESIGNER),
        ("sam@contoso.test", UserType::Native, SUPER_USER),
        ("uri@contoso.test", UserType::Connected, USER),
        ("nina@contoso.test", UserType::Native, USER),
        ("system@contoso.test", UserType::System, USER),
    ];
    for (name, user_type, role) in people {
        let user = User::new(name, "contoso").user_type(user_type);
        // System users "just exist": no change may edit or remove them.
        let user = if user_type == UserType::System {
            user.protected()
        } else {
            user
        };
        super::user_holding(&mut builder, user, role);
    }
    builder
        .api_key(ApiKey::new("sam-integration", "sam@contoso.test"))
        .api_key(ApiKey::new("uri-key", "uri@contoso.test"));
    builder.build()
}

/// The permission matrix of `PRODUCTS.md` §1 over the [`demo`] model: its
/// nine rows (each asking the first action the module docs give for it) and
/// the columns `Administrator` (`alice`), `Designer` (`dora`), `Super User`
/// (`sam`) and `User` (`uri`), each asking through the web.
///
/// A policy without the demo's names gives a matrix of denials whose
/// reasons say what is unknown, never a panic.
///
/// ```
/// use clearance::presets::smart_flows;
///
/// let policy = smart_flows::demo()?;
/// let matrix = smart_flows::matrix(&policy);
/// assert!(matrix.decision("Run other users' flows", "Super User").unwrap().is_allowed());
/// assert!(!matrix.decision("Run other users' flows", "User").unwrap().is_allowed());
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[must_use]
pub fn matrix(policy: &Policy) -> Matrix<'_> {
    let resource = |name: &str| super::resource_or_unknown(policy, name);
    let user = |name: &str| super::user_asking(policy, name, Channel::Web);
    let (contoso, quotes) = (resource("contoso"), resource("quotes"));
    let (quote, template) = (resource("quote"), resource("quote-template"));
    let rows: [(&str, Action, ResourceId); 9] = [
        ("Project Console (full)", FULL_PROJECT_CONSOLE, quotes),
        ("Template Builder add-in", Action::Edit, template),
        (
            "Flow Execution Panel, run own flows",
            Action::Execute,
            quote,
        ),
        ("Run other users' flows", Action::ExecuteAsOthers, quote),
        (
            "See all executions (reporting)",
            Action::ViewExecutions,
            quotes,
        ),
        (
            "Assign and manage other users' roles",
            Action::ManageMembers,
            contoso,
        ),
        (
            "Settings and licensing pages",
            SETTINGS_AND_LICENSING,
            contoso,
        ),
        (
            "Create/deactivate native users, set passwords",
            Action::ManageMembers,
            contoso,
        ),
        (
            "Generate or remove API keys",
            Action::ManageApiKeys,
            contoso,
        ),
    ];
    let columns: [(String, Subject); 4] = [
        (ADMINISTRATOR.into(), user("alice@contoso.test")),
        (DESIGNER.into(), user("dora@contoso.test")),
        (SUPER_USER.into(), user("sam@contoso.test")),
        (USER.into(), user("uri@contoso.test")),
    ];
    Matrix::compute(policy, rows, columns)
}
