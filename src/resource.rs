//! Resources: the things permissions are about.
//!
//! Resources form a forest. Each root is a **tenant** (an organization, a
//! Boomi tenant or subtenant): nothing ever crosses from one tree to another.
//! Below a root hang workspaces, projects, folders and items (flows, forms,
//! connections, …) to any depth. A grant on a resource reaches everything
//! below it, which is how "folder permissions are inherited by contents"
//! falls out of the model.
//!
//! A resource is declared by name with [`PolicyBuilder::resource`](crate::PolicyBuilder::resource)
//! and compiled to a dense [`ResourceId`]; the [`ResourceKind`] decides which
//! of a role's rules apply to it.

use core::fmt;

/// A compiled resource: a dense index into a [`Policy`](crate::Policy).
///
/// Obtain one with [`Policy::resource_id`](crate::Policy::resource_id). An id
/// is only meaningful for the policy that issued it; an id that the policy
/// does not know is answered with
/// [`Reason::UnknownResource`](crate::Reason::UnknownResource), never a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct ResourceId(pub(crate) u32);

impl ResourceId {
    /// The raw index, for a host's own tables (dense, starting at 0).
    #[must_use]
    pub const fn index(self) -> u32 {
        self.0
    }

    /// An id from a raw index. Nothing is checked here: an index the policy
    /// does not know is denied with `UnknownResource` when used.
    #[must_use]
    pub const fn from_index(index: u32) -> ResourceId {
        ResourceId(index)
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "resource #{}", self.0)
    }
}

macro_rules! resource_kinds {
    ($($(#[$doc:meta])* $variant:ident => $label:literal,)*) => {
        /// What a resource is. A role's rules name the kinds they apply to,
        /// so one role can give `EDIT` on flows but only `VIEW` on a workspace.
        ///
        /// The list covers the five reference products; the tenant root is
        /// usually an [`Organization`](ResourceKind::Organization).
        ///
        /// Written in `snake_case` (`folder`, `knowledge_base`) by
        /// `Display`, `FromStr` and serde; [`label`](ResourceKind::label)
        /// is the same in words, for sentences.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum ResourceKind {
            $($(#[$doc])* $variant,)*
        }

        impl ResourceKind {
            /// Every kind, in declaration order.
            pub const ALL: [ResourceKind; ResourceKind::COUNT] = [$(ResourceKind::$variant,)*];

            /// A lowercase label for messages (`"knowledge base"`).
            #[must_use]
            pub const fn label(self) -> &'static str {
                match self {
                    $(ResourceKind::$variant => $label,)*
                }
            }
        }
    };
}

resource_kinds! {
    /// A tenant: an organization or account. Usually a root.
    Organization => "organization",
    /// A Boomi-style tenant or subtenant (a root of its own).
    Tenant => "tenant",
    /// A workspace inside an organization.
    Workspace => "workspace",
    /// A project (Smart Flows' Project Console).
    Project => "project",
    /// A folder; folders nest.
    Folder => "folder",
    /// A flow (workflow, automation, conversion flow).
    Flow => "flow",
    /// A form.
    Form => "form",
    /// A page of a flow or a site.
    Page => "page",
    /// A view (a list or report over data).
    View => "view",
    /// A dataset.
    Dataset => "dataset",
    /// A stored value or variable (Boomi values).
    Value => "value",
    /// A connection with credentials to an outside system.
    Connection => "connection",
    /// A connector (the type of a connection).
    Connector => "connector",
    /// A document or form template.
    Template => "template",
    /// A file or other asset.
    Asset => "asset",
    /// A brand kit (assets, colours, styles).
    BrandKit => "brand kit",
    /// Audience data (contacts, scans, analytics subjects).
    Audience => "audience",
    /// A work queue.
    Queue => "queue",
    /// A knowledge base.
    KnowledgeBase => "knowledge base",
    /// A deployment environment.
    Environment => "environment",
    /// A runtime that flows are published to.
    Runtime => "runtime",
    /// A player (the UI that runs a flow).
    Player => "player",
    /// A macro.
    Macro => "macro",
    /// A dashboard.
    Dashboard => "dashboard",
    /// An execution (a run of a flow).
    Execution => "execution",
}

impl ResourceKind {
    /// How many kinds there are.
    pub const COUNT: usize = 25;

    /// The kind's position in [`ResourceKind::ALL`]: a dense index for tables.
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// A resource as declared to a [`PolicyBuilder`](crate::PolicyBuilder): by
/// name, with its parent by name (`None` for a tenant root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResourceDecl {
    pub(crate) name: alloc::string::String,
    pub(crate) kind: ResourceKind,
    pub(crate) parent: Option<alloc::string::String>,
}
