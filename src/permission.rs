//! Permissions and actions.
//!
//! A [`Permissions`] value is a set of verbs, stored as one `u64`: checking
//! whether a set of grants covers a request is one `AND` and one compare.
//! The named flags cover the verbs the reference products need; the unnamed
//! high bits are kept (not truncated), so a host may give them meanings of
//! its own and they flow through roles, grants, keys and links unchanged.
//!
//! An [`Action`] is the typed verb a host asks about. Each action needs a
//! fixed set of bits ([`Action::permissions`]); a request is allowed when the
//! subject's effective permissions on the resource contain all of them.

bitflags::bitflags! {
    /// A set of permission bits (verbs).
    ///
    /// Behaves like a set: `contains`, `intersects`, `|`, `&`, `-`, and
    /// iteration over the named flags that are set.
    ///
    /// ```
    /// use clearance::Permissions;
    ///
    /// let editor = Permissions::VIEW | Permissions::EDIT | Permissions::EXECUTE;
    /// assert!(editor.contains(Permissions::VIEW | Permissions::EDIT));
    /// assert!(!editor.contains(Permissions::DELETE));
    /// assert_eq!(editor - Permissions::EDIT, Permissions::VIEW | Permissions::EXECUTE);
    ///
    /// // Bits without a name are kept, so a host can define its own verbs.
    /// let custom = Permissions::from_bits_retain(1 << 60);
    /// assert!((editor | custom).contains(custom));
    /// ```
    ///
    /// It is written as the names of its flags in `snake_case` joined by
    /// `|` (`"view | edit"`), in `Display`, `FromStr` and serde alike: see
    /// [`ParseError`](crate::ParseError) and the crate's spellings.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
    pub struct Permissions: u64 {
        /// See the resource and its metadata (open a view, read a flow).
        const VIEW = 1 << 0;
        /// Create children inside the resource (flows in a folder).
        const CREATE = 1 << 1;
        /// Change the resource (edit a flow, fill in and save a form).
        const EDIT = 1 << 2;
        /// Delete the resource.
        const DELETE = 1 << 3;
        /// Run a flow, or submit a form, as oneself and in full.
        const EXECUTE = 1 << 4;
        /// Run a flow in a limited way only (for example, manual runs only).
        /// A product defines what "limited" means; `EXECUTE` does not imply it.
        const EXECUTE_LIMITED = 1 << 5;
        /// Run other users' flows, or run as another user.
        const EXECUTE_AS_OTHERS = 1 << 6;
        /// See every user's executions, not only one's own.
        const VIEW_EXECUTIONS = 1 << 7;
        /// Share the resource with others (grant access to it).
        const SHARE = 1 << 8;
        /// Publish the resource (deploy a flow to a runtime, make a form public).
        const PUBLISH = 1 << 9;
        /// Export or download the resource.
        const EXPORT = 1 << 10;
        /// Import content into the resource.
        const IMPORT = 1 << 11;
        /// Invite, remove, suspend members and change their roles.
        const MANAGE_MEMBERS = 1 << 12;
        /// Change settings of the resource.
        const MANAGE_SETTINGS = 1 << 13;
        /// See and change billing and licensing.
        const MANAGE_BILLING = 1 << 14;
        /// Create and revoke API keys.
        const MANAGE_API_KEYS = 1 << 15;
        /// Configure integrations (connections, identity providers, domains).
        const MANAGE_INTEGRATIONS = 1 << 16;
        /// Read the audit log.
        const VIEW_AUDIT = 1 << 17;
        /// See analytics and reporting.
        const VIEW_ANALYTICS = 1 << 18;
        /// Use the resource through its connection or credentials
        /// (attach a connection to a flow) without seeing its secrets.
        const USE = 1 << 19;

        // Keep every bit, named or not: hosts may define their own verbs.
        const _ = !0;
    }
}

/// A typed verb a host asks about in [`Policy::authorize`](crate::Policy::authorize).
///
/// Each action needs a fixed set of [`Permissions`]; see
/// [`Action::permissions`]. For a verb of your own, use
/// [`Action::Custom`] with bits of your choosing.
///
/// ```
/// use clearance::{Action, Permissions};
///
/// assert_eq!(Action::Edit.permissions(), Permissions::EDIT);
/// let approve = Action::Custom(Permissions::from_bits_retain(1 << 40));
/// assert_eq!(approve.permissions().bits(), 1 << 40);
/// ```
///
/// An action is written in `snake_case` (`"view"`, `"manage_api_keys"`,
/// `"custom(view | 0x10000000000)"`) by `Display` and serde, and read back
/// by `FromStr`:
///
/// ```
/// use clearance::Action;
///
/// assert_eq!(Action::ExecuteAsOthers.to_string(), "execute_as_others");
/// assert_eq!("execute_as_others".parse(), Ok(Action::ExecuteAsOthers));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Needs [`Permissions::VIEW`].
    View,
    /// Needs [`Permissions::CREATE`].
    Create,
    /// Needs [`Permissions::EDIT`].
    Edit,
    /// Needs [`Permissions::DELETE`].
    Delete,
    /// Needs [`Permissions::EXECUTE`].
    Execute,
    /// Needs [`Permissions::EXECUTE_LIMITED`].
    ExecuteLimited,
    /// Needs [`Permissions::EXECUTE_AS_OTHERS`].
    ExecuteAsOthers,
    /// Needs [`Permissions::VIEW_EXECUTIONS`].
    ViewExecutions,
    /// Needs [`Permissions::SHARE`].
    Share,
    /// Needs [`Permissions::PUBLISH`].
    Publish,
    /// Needs [`Permissions::EXPORT`].
    Export,
    /// Needs [`Permissions::IMPORT`].
    Import,
    /// Needs [`Permissions::MANAGE_MEMBERS`].
    ManageMembers,
    /// Needs [`Permissions::MANAGE_SETTINGS`].
    ManageSettings,
    /// Needs [`Permissions::MANAGE_BILLING`].
    ManageBilling,
    /// Needs [`Permissions::MANAGE_API_KEYS`].
    ManageApiKeys,
    /// Needs [`Permissions::MANAGE_INTEGRATIONS`].
    ManageIntegrations,
    /// Needs [`Permissions::VIEW_AUDIT`].
    ViewAudit,
    /// Needs [`Permissions::VIEW_ANALYTICS`].
    ViewAnalytics,
    /// Needs [`Permissions::USE`].
    Use,
    /// Needs exactly the given bits (all of them). An empty set is never
    /// allowed: an action must ask for something.
    Custom(Permissions),
}

impl Action {
    /// Every named action, in declaration order (without [`Action::Custom`]).
    pub const ALL: [Action; 20] = [
        Action::View,
        Action::Create,
        Action::Edit,
        Action::Delete,
        Action::Execute,
        Action::ExecuteLimited,
        Action::ExecuteAsOthers,
        Action::ViewExecutions,
        Action::Share,
        Action::Publish,
        Action::Export,
        Action::Import,
        Action::ManageMembers,
        Action::ManageSettings,
        Action::ManageBilling,
        Action::ManageApiKeys,
        Action::ManageIntegrations,
        Action::ViewAudit,
        Action::ViewAnalytics,
        Action::Use,
    ];

    /// The bits this action needs; the request is allowed only if the
    /// effective permissions contain all of them.
    #[must_use]
    #[inline]
    pub const fn permissions(self) -> Permissions {
        // Each named action needs exactly the flag at its own position
        // (`Action::ALL[i]` needs bit `i`), so this compiles to a shift
        // rather than a jump table: no mispredicted branch when actions vary.
        match self {
            Action::Custom(bits) => bits,
            named => Permissions::from_bits_retain(1 << named.position()),
        }
    }

    /// The position of a named action in [`Action::ALL`].
    const fn position(self) -> u32 {
        match self {
            Action::View => 0,
            Action::Create => 1,
            Action::Edit => 2,
            Action::Delete => 3,
            Action::Execute => 4,
            Action::ExecuteLimited => 5,
            Action::ExecuteAsOthers => 6,
            Action::ViewExecutions => 7,
            Action::Share => 8,
            Action::Publish => 9,
            Action::Export => 10,
            Action::Import => 11,
            Action::ManageMembers => 12,
            Action::ManageSettings => 13,
            Action::ManageBilling => 14,
            Action::ManageApiKeys => 15,
            Action::ManageIntegrations => 16,
            Action::ViewAudit => 17,
            Action::ViewAnalytics => 18,
            Action::Use => 19,
            // Not reached: `permissions` handles `Custom` first.
            Action::Custom(_) => 63,
        }
    }
}

impl Permissions {
    /// The union of every named flag (without the host's unnamed bits).
    #[must_use]
    pub fn all_named() -> Permissions {
        Permissions::all()
            .iter_names()
            .fold(Permissions::empty(), |all, (_, flag)| all | flag)
    }
}

#[cfg(test)]
mod tests {
    use super::{Action, Permissions};

    #[test]
    fn each_named_action_needs_the_flag_of_its_name() {
        let expected = [
            Permissions::VIEW,
            Permissions::CREATE,
            Permissions::EDIT,
            Permissions::DELETE,
            Permissions::EXECUTE,
            Permissions::EXECUTE_LIMITED,
            Permissions::EXECUTE_AS_OTHERS,
            Permissions::VIEW_EXECUTIONS,
            Permissions::SHARE,
            Permissions::PUBLISH,
            Permissions::EXPORT,
            Permissions::IMPORT,
            Permissions::MANAGE_MEMBERS,
            Permissions::MANAGE_SETTINGS,
            Permissions::MANAGE_BILLING,
            Permissions::MANAGE_API_KEYS,
            Permissions::MANAGE_INTEGRATIONS,
            Permissions::VIEW_AUDIT,
            Permissions::VIEW_ANALYTICS,
            Permissions::USE,
        ];
        for (action, flag) in Action::ALL.into_iter().zip(expected) {
            assert_eq!(action.permissions(), flag, "{action:?}");
        }
    }
}
