//! Spellings: the one way each value a host exchanges as text is written.
//!
//! A host reads actions, channels, kinds, effects, user types, statuses and
//! permissions from URLs, headers, configuration and documents, and writes
//! them to logs and answers. Each has one spelling, in `snake_case`, shared
//! by [`Display`](fmt::Display), [`FromStr`] and serde (and so by policy
//! documents): `Action::ManageApiKeys` is `manage_api_keys` everywhere, the
//! permission it needs is `manage_api_keys` too, and `"view | edit"` is a
//! set of permissions. Formatting a value and parsing the text gives the
//! value back.
//!
//! Parsing is strict: no other case, no aliases, no old spellings (as
//! documents refuse unknown fields, they refuse unknown spellings). Bad text
//! is a [`ParseError`] naming what was being parsed, the text (escaped and
//! cut to [`ParseError::MAX_INPUT`] characters, so a hostile header cannot
//! make a huge error) and the accepted spellings.
//!
//! | type | spellings |
//! |---|---|
//! | [`Action`] | `view`, `execute_limited`, `manage_api_keys`, …; `custom(<permissions>)` |
//! | [`Permissions`] | permission names joined by `\|` (`view \| edit`), a host's unnamed bits in hexadecimal (`0x10000000000`), `nothing` for the empty set |
//! | [`Channel`], [`Channels`] | `web`, `app`, `api`, `link`; sets as for permissions |
//! | [`ResourceKind`] | `organization`, `knowledge_base`, `brand_kit`, … |
//! | [`Effect`] | `allow`, `override`, `deny` |
//! | [`UserType`], [`UserTypes`] | `native`, `native_admin`, `connected`, `system`, `interface`, `public`; sets as for permissions |
//! | [`Status`] | `active`, `suspended`, `deactivated`, `invited until <seconds>` |
//! | [`Class`] | `allowed`, `unauthenticated`, `not_found`, `forbidden`, `invalid` |
//!
//! The permission names are the action names: [`Action::ALL`]`[i]` needs
//! bit `i`, and both are spelt alike. Around `|`, spaces are optional when
//! parsing and written as one space. In serde, a [`Status`] keeps its
//! tagged shape (`"active"`, `{"invited": {"until": 1700000000}}`), with the
//! same names.
//!
//! ```
//! use clearance::{Action, Permissions, ResourceKind};
//!
//! assert_eq!(Action::ManageApiKeys.to_string(), "manage_api_keys");
//! assert_eq!("manage_api_keys".parse(), Ok(Action::ManageApiKeys));
//! assert_eq!("view|edit".parse(), Ok(Permissions::VIEW | Permissions::EDIT));
//! assert_eq!((Permissions::VIEW | Permissions::EDIT).to_string(), "view | edit");
//! assert_eq!(ResourceKind::KnowledgeBase.to_string(), "knowledge_base");
//!
//! let error = "Veiw".parse::<Action>().unwrap_err();
//! assert!(error.to_string().starts_with(r#"unknown action "Veiw"; the accepted spellings are view, create, edit,"#));
//! ```

use alloc::string::String;
use core::fmt;
use core::str::FromStr;

use crate::caller::Class;
use crate::directory::{Channel, Channels, Status, UserType, UserTypes};
use crate::grant::Effect;
use crate::permission::{Action, Permissions};
use crate::resource::ResourceKind;

/// Text that is not a spelling of the value asked for: what was being
/// parsed, the text (escaped, cut to [`ParseError::MAX_INPUT`] characters)
/// and the spellings accepted.
///
/// ```
/// use clearance::{Channel, ParseError};
///
/// let error: ParseError = "WEB".parse::<Channel>().unwrap_err();
/// assert_eq!(error.what(), "channel");
/// assert_eq!(error.input(), "WEB");
/// assert_eq!(error.accepted(), ["web", "app", "api", "link"]);
/// assert_eq!(error.to_string(), r#"unknown channel "WEB"; the accepted spellings are web, app, api, link"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParseError {
    what: &'static str,
    input: String,
    truncated: bool,
    accepted: &'static [&'static str],
}

impl ParseError {
    /// The most characters of the text kept in the error.
    pub const MAX_INPUT: usize = 64;

    fn new(what: &'static str, input: &str, accepted: &'static [&'static str]) -> ParseError {
        let mut chars = input.chars();
        let kept: String = chars.by_ref().take(ParseError::MAX_INPUT).collect();
        ParseError {
            what,
            input: kept,
            truncated: chars.next().is_some(),
            accepted,
        }
    }

    /// What was being parsed: `"action"`, `"permission"`, `"resource kind"`, …
    #[must_use]
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// The text that was refused (for a set, the one name in it that was),
    /// at most [`MAX_INPUT`](ParseError::MAX_INPUT) characters of it.
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The spellings accepted; `<...>` stands for a part the host fills in.
    #[must_use]
    pub fn accepted(&self) -> &'static [&'static str] {
        self.accepted
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.what, self.input)?;
        if self.truncated {
            f.write_str(" (cut short)")?;
        }
        f.write_str("; the accepted spellings are ")?;
        for (i, spelling) in self.accepted.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(spelling)?;
        }
        Ok(())
    }
}

impl core::error::Error for ParseError {}

/// The names of the named actions, and of the permission bits they need:
/// `ACTION_NAMES[i]` is [`Action::ALL`]`[i]` and bit `i`.
const ACTION_NAMES: [&str; 20] = [
    "view",
    "create",
    "edit",
    "delete",
    "execute",
    "execute_limited",
    "execute_as_others",
    "view_executions",
    "share",
    "publish",
    "export",
    "import",
    "manage_members",
    "manage_settings",
    "manage_billing",
    "manage_api_keys",
    "manage_integrations",
    "view_audit",
    "view_analytics",
    "use",
];

/// The spellings of an action: the names, or a custom set of permissions.
const ACTION_SPELLINGS: [&str; 21] = spellings(ACTION_NAMES, ["custom(<permissions>)"]);

/// The spellings of a set of permissions: the names, a host's bits, or
/// the empty set.
const PERMISSION_SPELLINGS: [&str; 22] = spellings(ACTION_NAMES, ["0x<hexadecimal bits>", NOTHING]);

/// Bit `i` of [`Channels`] is `CHANNEL_NAMES[i]`.
const CHANNEL_NAMES: [&str; 4] = ["web", "app", "api", "link"];
const CHANNEL_SET_SPELLINGS: [&str; 5] = spellings(CHANNEL_NAMES, [NOTHING]);
const CHANNELS: [Channel; 4] = [Channel::Web, Channel::App, Channel::Api, Channel::Link];

/// Bit `i` of [`UserTypes`] is `USER_TYPE_NAMES[i]`.
const USER_TYPE_NAMES: [&str; 6] = [
    "native",
    "native_admin",
    "connected",
    "system",
    "interface",
    "public",
];
const USER_TYPE_SET_SPELLINGS: [&str; 7] = spellings(USER_TYPE_NAMES, [NOTHING]);

const RESOURCE_KIND_NAMES: [&str; ResourceKind::COUNT] = [
    "organization",
    "tenant",
    "workspace",
    "project",
    "folder",
    "flow",
    "form",
    "page",
    "view",
    "dataset",
    "value",
    "connection",
    "connector",
    "template",
    "asset",
    "brand_kit",
    "audience",
    "queue",
    "knowledge_base",
    "environment",
    "runtime",
    "player",
    "macro",
    "dashboard",
    "execution",
];

const EFFECT_NAMES: [&str; 3] = ["allow", "override", "deny"];
const EFFECTS: [Effect; 3] = [Effect::Allow, Effect::Override, Effect::Deny];

const CLASS_NAMES: [&str; 5] = [
    "allowed",
    "unauthenticated",
    "not_found",
    "forbidden",
    "invalid",
];

const STATUS_SPELLINGS: [&str; 4] = [
    "active",
    "suspended",
    "deactivated",
    "invited until <seconds>",
];

/// The empty set of permissions, channels or user types.
const NOTHING: &str = "nothing";

/// The spellings a parser accepts: the `names`, then the `more` it also
/// reads, so that each name is written once. `M` is `N + E`, checked when
/// the crate compiles.
#[expect(
    clippy::indexing_slicing,
    reason = "evaluated at compile time, where an index out of bounds fails the build"
)]
const fn spellings<const N: usize, const E: usize, const M: usize>(
    names: [&'static str; N],
    more: [&'static str; E],
) -> [&'static str; M] {
    assert!(N + E == M, "the spellings are the names and the more");
    let mut all = [""; M];
    let mut i = 0;
    while i < N {
        all[i] = names[i];
        i += 1;
    }
    while i < M {
        all[i] = more[i - N];
        i += 1;
    }
    all
}

/// The position of `text` in `names`.
fn position(names: &[&str], text: &str) -> Option<usize> {
    names.iter().position(|name| *name == text)
}

/// Reads one of `values`, spelt `names[i]` for `values[i]`; the error
/// names `what` was parsed and accepts `names`.
fn parse_one<T: Copy>(
    text: &str,
    names: &'static [&'static str],
    values: &[T],
    what: &'static str,
) -> Result<T, ParseError> {
    position(names, text)
        .and_then(|i| values.get(i).copied())
        .ok_or_else(|| ParseError::new(what, text, names))
}

/// Writes the set `bits` (bit `i` named `names[i]`; other bits in
/// hexadecimal) as `a | b | 0x..`, or `nothing`.
fn write_set(f: &mut fmt::Formatter<'_>, bits: u64, names: &[&str]) -> fmt::Result {
    if bits == 0 {
        return f.write_str(NOTHING);
    }
    let mut named = 0u64;
    let mut first = true;
    for (i, name) in names.iter().enumerate() {
        let bit = 1u64 << i;
        if bits & bit != 0 {
            named |= bit;
            if !first {
                f.write_str(" | ")?;
            }
            first = false;
            f.write_str(name)?;
        }
    }
    let unnamed = bits & !named;
    if unnamed != 0 {
        if !first {
            f.write_str(" | ")?;
        }
        write!(f, "{unnamed:#x}")?;
    }
    Ok(())
}

/// Reads a set of at most 8 named bits (channels, user types) written by
/// [`write_set`], without hexadecimal bits.
fn parse_small_set(
    text: &str,
    names: &[&str],
    what: &'static str,
    accepted: &'static [&'static str],
) -> Result<u8, ParseError> {
    let bits = parse_set(text, names, false, what, accepted)?;
    // Only the named bits are parsed, so the bits fit a `u8`.
    Ok(bits as u8)
}

/// Reads a set written by [`write_set`]; hexadecimal bits only when `hex`.
fn parse_set(
    text: &str,
    names: &[&str],
    hex: bool,
    what: &'static str,
    accepted: &'static [&'static str],
) -> Result<u64, ParseError> {
    if text.trim() == NOTHING {
        return Ok(0);
    }
    let mut bits = 0u64;
    for part in text.split('|') {
        let part = part.trim();
        if let Some(i) = position(names, part) {
            bits |= 1u64 << i;
            continue;
        }
        match part.strip_prefix("0x") {
            Some(digits) if hex && !digits.is_empty() && !digits.starts_with(['+', '-']) => {
                bits |= u64::from_str_radix(digits, 16)
                    .map_err(|_| ParseError::new(what, part, accepted))?;
            }
            _ => return Err(ParseError::new(what, part, accepted)),
        }
    }
    Ok(bits)
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Custom(bits) => write!(f, "custom({bits})"),
            // A named action needs exactly the bit of its position.
            named => {
                let position = named.permissions().bits().trailing_zeros() as usize;
                f.write_str(ACTION_NAMES.get(position).copied().unwrap_or("custom"))
            }
        }
    }
}

impl FromStr for Action {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Action, ParseError> {
        if let Some(i) = position(&ACTION_NAMES, text) {
            if let Some(action) = Action::ALL.get(i) {
                return Ok(*action);
            }
        }
        match text
            .strip_prefix("custom(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            Some(bits) => bits.parse().map(Action::Custom),
            None => Err(ParseError::new("action", text, &ACTION_SPELLINGS)),
        }
    }
}

/// Formats the set as it is written in documents: the permission names
/// joined by ` | `, the host's unnamed bits in hexadecimal, and `nothing`
/// for the empty set. [`FromStr`] reads it back (spaces around `|` are
/// optional).
///
/// ```
/// use clearance::Permissions;
///
/// assert_eq!((Permissions::VIEW | Permissions::EDIT).to_string(), "view | edit");
/// assert_eq!(Permissions::empty().to_string(), "nothing");
/// assert_eq!(Permissions::from_bits_retain(1 << 40).to_string(), "0x10000000000");
/// assert_eq!("view|0x10000000000".parse(), Ok(Permissions::VIEW | Permissions::from_bits_retain(1 << 40)));
/// ```
impl fmt::Display for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_set(f, self.bits(), &ACTION_NAMES)
    }
}

impl FromStr for Permissions {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Permissions, ParseError> {
        parse_set(
            text,
            &ACTION_NAMES,
            true,
            "permission",
            &PERMISSION_SPELLINGS,
        )
        .map(Permissions::from_bits_retain)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let index = CHANNELS.iter().position(|c| c == self).unwrap_or(0);
        f.write_str(CHANNEL_NAMES.get(index).copied().unwrap_or("web"))
    }
}

impl FromStr for Channel {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Channel, ParseError> {
        parse_one(text, &CHANNEL_NAMES, &CHANNELS, "channel")
    }
}

/// Lists the channels as documents write them: `web | api`, or `nothing`.
impl fmt::Display for Channels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_set(f, u64::from(self.bits()), &CHANNEL_NAMES)
    }
}

impl FromStr for Channels {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Channels, ParseError> {
        parse_small_set(text, &CHANNEL_NAMES, "channel", &CHANNEL_SET_SPELLINGS)
            .map(Channels::from_bits_truncate)
    }
}

impl fmt::Display for UserType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let index = *self as usize;
        f.write_str(USER_TYPE_NAMES.get(index).copied().unwrap_or("native"))
    }
}

impl FromStr for UserType {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<UserType, ParseError> {
        parse_one(text, &USER_TYPE_NAMES, &UserType::ALL, "user type")
    }
}

/// Lists the user types as documents write them: `native | connected`, or
/// `nothing`.
impl fmt::Display for UserTypes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_set(f, u64::from(self.bits()), &USER_TYPE_NAMES)
    }
}

impl FromStr for UserTypes {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<UserTypes, ParseError> {
        parse_small_set(
            text,
            &USER_TYPE_NAMES,
            "user type",
            &USER_TYPE_SET_SPELLINGS,
        )
        .map(UserTypes::from_bits_truncate)
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            RESOURCE_KIND_NAMES
                .get(self.index())
                .copied()
                .unwrap_or("organization"),
        )
    }
}

impl FromStr for ResourceKind {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<ResourceKind, ParseError> {
        parse_one(
            text,
            &RESOURCE_KIND_NAMES,
            &ResourceKind::ALL,
            "resource kind",
        )
    }
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let index = *self as usize;
        f.write_str(EFFECT_NAMES.get(index).copied().unwrap_or("deny"))
    }
}

impl FromStr for Effect {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Effect, ParseError> {
        parse_one(text, &EFFECT_NAMES, &EFFECTS, "effect")
    }
}

/// `active`, `suspended`, `deactivated`, or `invited until <seconds>`.
///
/// ```
/// use clearance::Status;
///
/// let invited = Status::Invited { until: 1_700_000_000 };
/// assert_eq!(invited.to_string(), "invited until 1700000000");
/// assert_eq!("invited until 1700000000".parse(), Ok(invited));
/// assert_eq!("suspended".parse(), Ok(Status::Suspended));
/// ```
impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Invited { until } => write!(f, "invited until {until}"),
            Status::Active => f.write_str("active"),
            Status::Suspended => f.write_str("suspended"),
            Status::Deactivated => f.write_str("deactivated"),
        }
    }
}

impl FromStr for Status {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Status, ParseError> {
        match text {
            "active" => return Ok(Status::Active),
            "suspended" => return Ok(Status::Suspended),
            "deactivated" => return Ok(Status::Deactivated),
            _ => {}
        }
        text.strip_prefix("invited until ")
            // Digits only: `u64::from_str` would also take a leading `+`.
            .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse().ok())
            .map(|until| Status::Invited { until })
            .ok_or_else(|| ParseError::new("status", text, &STATUS_SPELLINGS))
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Class {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Class, ParseError> {
        Class::ALL
            .into_iter()
            .find(|class| class.code() == text)
            .ok_or_else(|| ParseError::new("class", text, &CLASS_NAMES))
    }
}

/// Serde through the spelling: a string written by `Display`, read by
/// `FromStr`, so that documents and `to_string` never disagree.
#[cfg(feature = "serde")]
macro_rules! serde_as_text {
    ($($ty:ty => $expecting:literal,)*) => {$(
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                struct Visitor;

                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }

                    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$ty, E> {
                        text.parse().map_err(E::custom)
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    )*};
}

#[cfg(feature = "serde")]
serde_as_text! {
    Action => "an action such as \"view\" or \"custom(view | 0x10000000000)\"",
    Permissions => "permissions such as \"view | edit\"",
    Channel => "a channel: \"web\", \"app\", \"api\" or \"link\"",
    Channels => "channels such as \"web | api\"",
    UserType => "a user type such as \"native\"",
    UserTypes => "user types such as \"native | connected\"",
    ResourceKind => "a resource kind such as \"folder\"",
    Effect => "an effect: \"allow\", \"override\" or \"deny\"",
    Class => "a class such as \"not_found\"",
}

#[cfg(test)]
mod tests {
    use super::{ACTION_NAMES, CHANNEL_NAMES, USER_TYPE_NAMES};
    use crate::{Action, Channel, Channels, Permissions, UserType, UserTypes};

    #[test]
    fn permission_names_are_the_lowercase_flag_names_and_the_action_names() {
        let flags: alloc::vec::Vec<_> = Permissions::all().iter_names().collect();
        assert_eq!(flags.len(), ACTION_NAMES.len());
        for (i, ((flag_name, flag), name)) in flags.into_iter().zip(ACTION_NAMES).enumerate() {
            assert_eq!(flag_name.to_ascii_lowercase(), name);
            assert_eq!(flag.bits(), 1 << i);
            assert_eq!(Action::ALL[i].permissions(), flag);
        }
    }

    #[test]
    fn channel_and_user_type_names_follow_their_bits() {
        for (i, name) in CHANNEL_NAMES.into_iter().enumerate() {
            let channel: Channel = name.parse().unwrap();
            assert_eq!(u32::from(channel.as_set().bits()), 1 << i);
            let flag = Channels::all().iter_names().nth(i).unwrap();
            assert_eq!(flag.0.to_ascii_lowercase(), name);
        }
        for (i, name) in USER_TYPE_NAMES.into_iter().enumerate() {
            let user_type: UserType = name.parse().unwrap();
            assert_eq!(u32::from(user_type.as_set().bits()), 1 << i);
            let flag = UserTypes::all().iter_names().nth(i).unwrap();
            assert_eq!(flag.0.to_ascii_lowercase(), name);
        }
    }
}
