//! The directory: who can ask. Users, their type, status and channels;
//! teams; API keys; public links.
//!
//! Three attributes of a user are independent, as in every reference product:
//!
//! - its [`UserType`] says how the account exists (native, synced from a CRM,
//!   a system account, an API-only integration, …) and fixes the
//!   [`Channels`] it may ever use;
//! - its [`Status`] says whether it may act now (only `Active` may);
//! - its teams and grants say what it may do.
//!
//! An [`ApiKey`] acts for its owner, never with more than the owner has; a
//! [`PublicLink`] lets anyone holding it reach one resource and its subtree.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::label::Labels;
use crate::permission::Permissions;

macro_rules! dense_id {
    ($(#[$doc:meta])* $name:ident, $label:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(transparent))]
        pub struct $name(pub(crate) u32);

        impl $name {
            /// The raw dense index (starting at 0), for a host's own tables.
            #[must_use]
            pub const fn index(self) -> u32 {
                self.0
            }

            /// An id from a raw index. Nothing is checked here: an index the
            /// policy does not know is answered with a deny, never a panic.
            #[must_use]
            pub const fn from_index(index: u32) -> $name {
                $name(index)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($label, " #{}"), self.0)
            }
        }
    };
}

dense_id!(
    /// A compiled user. Obtain one with [`Policy::user_id`](crate::Policy::user_id).
    UserId,
    "user"
);
dense_id!(
    /// A compiled team (group). Obtain one with [`Policy::team_id`](crate::Policy::team_id).
    TeamId,
    "team"
);
dense_id!(
    /// A compiled API key. Obtain one with [`Policy::key_id`](crate::Policy::key_id).
    KeyId,
    "API key"
);
dense_id!(
    /// A compiled public link. Obtain one with [`Policy::link_id`](crate::Policy::link_id).
    LinkId,
    "public link"
);

/// A way in: the channel a request arrives through.
///
/// Written `web`, `app`, `api` or `link` by `Display`, `FromStr` and serde.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// The web portal or console.
    Web,
    /// A mobile or desktop app.
    App,
    /// The HTTP API (every API key request arrives here).
    Api,
    /// A direct public link (every public link request arrives here).
    Link,
}

impl Channel {
    /// The one-element set of this channel.
    #[must_use]
    pub const fn as_set(self) -> Channels {
        match self {
            Channel::Web => Channels::WEB,
            Channel::App => Channels::APP,
            Channel::Api => Channels::API,
            Channel::Link => Channels::LINK,
        }
    }
}

bitflags::bitflags! {
    /// A set of [`Channel`]s, written `"web | api"` (`"nothing"` when
    /// empty) by `Display`, `FromStr` and serde.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Channels: u8 {
        /// [`Channel::Web`].
        const WEB = 1 << 0;
        /// [`Channel::App`].
        const APP = 1 << 1;
        /// [`Channel::Api`].
        const API = 1 << 2;
        /// [`Channel::Link`].
        const LINK = 1 << 3;
    }
}

/// How an account exists, independent of what it may do.
///
/// The type fixes the channels an account may ever use
/// ([`UserType::channels`]); a user may be narrowed further
/// ([`User::channels`]), never widened.
///
/// Written in `snake_case` (`native`, `native_admin`, …) by `Display`,
/// `FromStr` and serde.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum UserType {
    /// Created and managed in the product itself. Web, apps and API.
    Native,
    /// The installation's own administrator account (Smart Flows' Native
    /// Admin), kept so the customer can always log in. Web, apps and API.
    NativeAdmin,
    /// Synced from an outside directory or CRM. Web, apps and API.
    Connected,
    /// Needed by the system itself; can never log in: no channel at all.
    System,
    /// An integration principal that uses only the API (Smartflow's Interface
    /// users).
    Interface,
    /// An anonymous visitor account that only arrives through public links.
    Public,
}

impl UserType {
    /// Every user type, in declaration order.
    pub const ALL: [UserType; 6] = [
        UserType::Native,
        UserType::NativeAdmin,
        UserType::Connected,
        UserType::System,
        UserType::Interface,
        UserType::Public,
    ];

    /// The channels an account of this type may ever use.
    #[must_use]
    pub const fn channels(self) -> Channels {
        match self {
            UserType::Native | UserType::NativeAdmin | UserType::Connected => {
                Channels::WEB.union(Channels::APP).union(Channels::API)
            }
            UserType::System => Channels::empty(),
            UserType::Interface => Channels::API,
            UserType::Public => Channels::LINK,
        }
    }

    /// The one-element set of this type.
    #[must_use]
    pub const fn as_set(self) -> UserTypes {
        UserTypes::from_bits_retain(1 << self as u8)
    }
}

bitflags::bitflags! {
    /// A set of [`UserType`]s: who may hold a role ([`Role::only_for`](crate::Role::only_for)).
    /// Written `"native | connected"` (`"nothing"` when empty) by
    /// `Display`, `FromStr` and serde.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct UserTypes: u8 {
        /// [`UserType::Native`].
        const NATIVE = 1 << 0;
        /// [`UserType::NativeAdmin`].
        const NATIVE_ADMIN = 1 << 1;
        /// [`UserType::Connected`].
        const CONNECTED = 1 << 2;
        /// [`UserType::System`].
        const SYSTEM = 1 << 3;
        /// [`UserType::Interface`].
        const INTERFACE = 1 << 4;
        /// [`UserType::Public`].
        const PUBLIC = 1 << 5;
    }
}

/// Whether an account may act now. Only [`Status::Active`] may.
///
/// `Display` and `FromStr` write and read `active`, `suspended`,
/// `deactivated` and `invited until <seconds>`; serde writes the same names
/// in its tagged shape (`"active"`, `{"invited": {"until": 1700000000}}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Status {
    /// Invited, not yet accepted. The invitation expires at `until`
    /// (seconds, on the host's clock, compared with [`Subject::at`](crate::Subject::at)).
    Invited {
        /// When the invitation stops being valid (exclusive).
        until: u64,
    },
    /// A member who may act.
    #[default]
    Active,
    /// Suspended: reversible, and effective immediately.
    Suspended,
    /// Deactivated or removed.
    Deactivated,
}

/// A user as declared to a [`PolicyBuilder`](crate::PolicyBuilder).
///
/// ```
/// use clearance::{Channels, Status, User, UserType};
///
/// let portal = User::new("pat@example.com", "acme")
///     .user_type(UserType::Native)
///     .channels(Channels::WEB) // a portal user: web only
///     .member_of("support");
/// let invited = User::new("new@example.com", "acme").status(Status::Invited { until: 1_700_000_000 });
/// # let _ = (portal, invited);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[must_use]
pub struct User {
    pub(crate) name: String,
    pub(crate) tenant: String,
    pub(crate) user_type: UserType,
    pub(crate) status: Status,
    pub(crate) channels: Option<Channels>,
    pub(crate) teams: Vec<String>,
    #[cfg_attr(feature = "serde", serde(default))]
    pub(crate) labels: Labels,
    /// Whether no change may alter the account ([`User::protected`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub(crate) protected: bool,
}

impl User {
    /// A native, active user of the tenant named `tenant` (a root resource).
    pub fn new(name: impl Into<String>, tenant: impl Into<String>) -> User {
        User {
            name: name.into(),
            tenant: tenant.into(),
            user_type: UserType::Native,
            status: Status::Active,
            channels: None,
            teams: Vec::new(),
            labels: Labels::empty(),
            protected: false,
        }
    }

    /// Sets how the account exists (default [`UserType::Native`]).
    pub fn user_type(mut self, user_type: UserType) -> User {
        self.user_type = user_type;
        self
    }

    /// Sets the account status (default [`Status::Active`]).
    pub fn status(mut self, status: Status) -> User {
        self.status = status;
        self
    }

    /// Narrows the channels below those of the user type (a Smartflow
    /// Portal user: web only). Channels outside the type's are a build error.
    pub fn channels(mut self, channels: Channels) -> User {
        self.channels = Some(channels);
        self
    }

    /// Sets the user's labels, compared by conditional grants
    /// ([`Condition`](crate::Condition)).
    pub fn labels(mut self, labels: Labels) -> User {
        self.labels = labels;
        self
    }

    /// Adds the user to the team named `team` (of the same tenant).
    pub fn member_of(mut self, team: impl Into<String>) -> User {
        self.teams.push(team.into());
        self
    }

    /// Protects the account: no [`Change`](crate::Change) may suspend,
    /// deactivate or remove it (nor revoke or expire its invitation),
    /// change its type, channels, labels or teams, or narrow what it holds:
    /// revoke an allow or override that reaches it (its own, one of its
    /// teams', everyone's in its tenant), add a deny or override that
    /// would, or remove a resource where it holds a grant of its own; nor
    /// redefine a role so that a grant reaching it gives less (or a deny
    /// reaching it takes more), move a resource from under a grant
    /// reaching it, or relabel a resource so that a conditional grant of
    /// its no longer matches. Each is refused with
    /// [`ChangeProblem::Protected`](crate::ChangeProblem::Protected), which
    /// says what the change would have done. It may still be given more
    /// (an allow), and a deny that holds it off may be lifted. Smart
    /// Flows' system users and its Native Admin are protected: "You cannot
    /// edit their settings or remove them - they just exist."
    ///
    /// Protection is a fact of the model, set where the account is
    /// declared (here, or `"protected": true` in a
    /// [`UserDocument`](crate::UserDocument)); no change removes it, so
    /// lifting it is a new model from the host's operator, not an action
    /// of the product's users. Whether the account may log in is its
    /// [`UserType`]'s business, as for any account.
    ///
    /// ```
    /// use clearance::{Change, ChangeProblem, PolicyBuilder, ResourceKind, User, UserType};
    ///
    /// let mut policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .user(User::new("sync", "acme").user_type(UserType::System).protected())
    ///     .build()?;
    /// let refused = policy.apply(Change::RemoveUser { name: "sync".into(), by: None }).unwrap_err();
    /// assert!(matches!(refused.problem(), ChangeProblem::Protected { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn protected(mut self) -> User {
        self.protected = true;
        self
    }
}

/// An API key as declared to a [`PolicyBuilder`](crate::PolicyBuilder).
///
/// A key acts for its owner: its rights are the owner's rights ∩ its
/// [`scope`](ApiKey::scope) (all permissions unless narrowed), optionally
/// only within one resource's subtree. Requests with a key always arrive
/// through [`Channel::Api`].
///
/// ```
/// use clearance::{ApiKey, Permissions};
///
/// let read_only = ApiKey::new("ci-key", "alice@example.com")
///     .scope(Permissions::VIEW | Permissions::EXECUTE)
///     .within("billing-flows")
///     .expires_at(1_800_000_000);
/// # let _ = read_only;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[must_use]
pub struct ApiKey {
    pub(crate) name: String,
    pub(crate) owner: String,
    pub(crate) scope: Permissions,
    /// The resources whose subtrees the key is limited to (none: no limit).
    /// Serialized as one name, or a list of names for several.
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "one_or_many", skip_serializing_if = "Vec::is_empty")
    )]
    pub(crate) within: Vec<String>,
    pub(crate) expires_at: Option<u64>,
    pub(crate) revoked: bool,
}

impl ApiKey {
    /// A key named `name` owned by the user named `owner`, with the owner's
    /// full rights, no subtree limit and no expiry.
    pub fn new(name: impl Into<String>, owner: impl Into<String>) -> ApiKey {
        ApiKey {
            name: name.into(),
            owner: owner.into(),
            scope: Permissions::all(),
            within: Vec::new(),
            expires_at: None,
            revoked: false,
        }
    }

    /// Limits the key to these permissions (∩ the owner's).
    pub fn scope(mut self, scope: Permissions) -> ApiKey {
        self.scope = scope;
        self
    }

    /// Limits the key to the subtree of the resource named `resource`;
    /// called again, to that subtree too: a key may be limited to several
    /// (the workspace platform's "specific flows", scattered across
    /// folders), and reaches each of them and nothing else.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("a", ResourceKind::Folder, "acme")
    ///     .resource("b", ResourceKind::Folder, "acme")
    ///     .resource("c", ResourceKind::Folder, "acme")
    ///     .user(User::new("ann", "acme"))
    ///     .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
    ///     .grant(Grantee::user("ann"), "acme", "viewer", Effect::Allow)
    ///     .api_key(ApiKey::new("two", "ann").within("a").within("c"))
    ///     .build()?;
    /// let key = Subject::key(policy.key_id("two").unwrap());
    /// let view = |name| policy.authorize(&key, Action::View, policy.resource_id(name).unwrap());
    /// assert!(view("a").is_allowed() && view("c").is_allowed());
    /// assert_eq!(view("b").reason(), Reason::KeyOutOfScope);
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    pub fn within(mut self, resource: impl Into<String>) -> ApiKey {
        self.within.push(resource.into());
        self
    }

    /// The key stops working at `at` (seconds, exclusive).
    pub fn expires_at(mut self, at: u64) -> ApiKey {
        self.expires_at = Some(at);
        self
    }

    /// Marks the key revoked: it is refused at once.
    pub fn revoked(mut self, revoked: bool) -> ApiKey {
        self.revoked = revoked;
        self
    }
}

/// A public link as declared to a [`PolicyBuilder`](crate::PolicyBuilder).
///
/// Whoever holds the link may act on its resource (and the resource's
/// subtree) with the link's permissions ∩ what the resource grants to
/// [`Principal::Public`](crate::Principal::Public): a link never gives more
/// than the resource's own public permission. Requests arrive through
/// [`Channel::Link`].
///
/// ```
/// use clearance::{Permissions, PublicLink};
///
/// let survey = PublicLink::new("survey-link", "feedback-form", Permissions::VIEW | Permissions::EDIT);
/// # let _ = survey;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[must_use]
pub struct PublicLink {
    pub(crate) name: String,
    pub(crate) resource: String,
    pub(crate) permissions: Permissions,
    pub(crate) expires_at: Option<u64>,
    pub(crate) revoked: bool,
}

impl PublicLink {
    /// A link named `name` to the resource named `resource`, giving at most
    /// `permissions`.
    pub fn new(
        name: impl Into<String>,
        resource: impl Into<String>,
        permissions: Permissions,
    ) -> PublicLink {
        PublicLink {
            name: name.into(),
            resource: resource.into(),
            permissions,
            expires_at: None,
            revoked: false,
        }
    }

    /// The link stops working at `at` (seconds, exclusive).
    pub fn expires_at(mut self, at: u64) -> PublicLink {
        self.expires_at = Some(at);
        self
    }

    /// Marks the link revoked: it is refused at once.
    pub fn revoked(mut self, revoked: bool) -> PublicLink {
        self.revoked = revoked;
        self
    }
}

/// A list of names serialized as one name when it holds one, and as a
/// list otherwise: [`ApiKey`]'s subtrees, read back from either form.
#[cfg(feature = "serde")]
pub(crate) mod one_or_many {
    use alloc::string::String;
    use alloc::vec::Vec;
    use core::fmt;

    use serde::de::{SeqAccess, Visitor};
    use serde::{Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        names: &[String],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match names {
            [one] => one.serialize(serializer),
            many => many.serialize(serializer),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<String>, D::Error> {
        struct Names;

        impl<'de> Visitor<'de> for Names {
            type Value = Vec<String>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a resource name or a list of resource names")
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Vec<String>, E> {
                Ok(alloc::vec![String::from(name)])
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }

            fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Vec<String>, D::Error> {
                inner.deserialize_any(Names)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
                // Grown as elements arrive, not from the size the input claims.
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Ok(names)
            }
        }

        deserializer.deserialize_any(Names)
    }
}
