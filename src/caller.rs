//! What a caller may be told: the host's answer to whoever asked.
//!
//! A [`Decision`] and a [`ChangeError`] are for the host: precise, with ids
//! and with what other tenants hold (for its logs). The caller gets a
//! [`CallerExplanation`]: whether the request is allowed, a stable `code`,
//! a [`Class`] that picks the kind of answer (over HTTP, its status), and a
//! sentence that names entities by name. It is made from the
//! [`for_caller`](Decision::for_caller) form, so it never names, nor tells
//! apart from a missing one, anything of another tenant.
//!
//! What a caller is told, and why that is safe to tell:
//!
//! - the entities of his own tenant that decided, by name: the resource
//!   where a `Deny` or `Override` stands, the principal it restricts (he,
//!   one of his teams, or everyone), the role and scope of the grant that
//!   allowed him. They are his tenant's, and knowing which restriction
//!   stops him is what lets him ask the right person to lift it;
//! - the state of his own credential (suspended, key expired, …): he holds
//!   it;
//! - nothing about other tenants: another tenant's resource reads as an
//!   unknown one, with the same code, class and message byte for byte, and
//!   another tenant's grantee as an unknown subject.
//!
//! One thing a shared policy cannot hide: **names are one namespace per
//! policy**, for every kind of entity, so a change that adds a name
//! another tenant already uses is refused as
//! [`DuplicateName`](crate::ChangeProblem::DuplicateName) (`duplicate_name`),
//! which tells its author that the name is taken, though not by whom. A
//! host that lets users choose names either keeps one policy per tenant
//! (the sharding the README recommends, where the question does not arise)
//! or makes names unique per tenant itself, for example by prefixing them
//! with the tenant's (`acme/reports`), so that the names its users type
//! reach the policy prefixed.

use alloc::string::{String, ToString};
use core::fmt;

use crate::decision::Decision;
use crate::error::ChangeError;
use crate::policy::Policy;

/// The kind of answer a decision or a refused change is, for a host that
/// answers a caller. A later version may add classes.
///
/// | class | `code()` | `http_status()` | what the caller should do |
/// |---|---|---|---|
/// | [`Allowed`](Class::Allowed) | `allowed` | 200 | nothing |
/// | [`Unauthenticated`](Class::Unauthenticated) | `unauthenticated` | 401 | present a valid credential |
/// | [`NotFound`](Class::NotFound) | `not_found` | 404 | nothing: as far as he may know, it does not exist |
/// | [`Forbidden`](Class::Forbidden) | `forbidden` | 403 | ask for access |
/// | [`Invalid`](Class::Invalid) | `invalid` | 422 | fix the request (a change that is malformed or conflicts with the policy) |
///
/// See [`Reason::class`](crate::Reason::class) and
/// [`ChangeError::class`] for which reasons and problems fall where.
///
/// ```
/// use clearance::Class;
///
/// assert_eq!(Class::NotFound.to_string(), "not_found");
/// assert_eq!("not_found".parse(), Ok(Class::NotFound));
/// assert_eq!(Class::NotFound.http_status(), 404);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Class {
    /// The request is allowed.
    Allowed,
    /// The credential stands for no one the policy knows, or no longer
    /// (a revoked or expired key or link), or cannot be checked (no time).
    Unauthenticated,
    /// What the request is about does not exist as far as the caller may
    /// know: unknown, of another tenant, or outside a public link.
    NotFound,
    /// The caller is known, and may not do this.
    Forbidden,
    /// A change is malformed or conflicts with the policy (a name taken, a
    /// grant that exists already, a cycle), rather than refused to its
    /// author.
    Invalid,
}

impl Class {
    /// Every class, in declaration order.
    pub const ALL: [Class; 5] = [
        Class::Allowed,
        Class::Unauthenticated,
        Class::NotFound,
        Class::Forbidden,
        Class::Invalid,
    ];

    /// The class's stable `snake_case` identifier (also its `Display`).
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Class::Allowed => "allowed",
            Class::Unauthenticated => "unauthenticated",
            Class::NotFound => "not_found",
            Class::Forbidden => "forbidden",
            Class::Invalid => "invalid",
        }
    }

    /// The HTTP status that answers it: 200, 401, 404, 403, 422. (A host
    /// that prefers 409 for conflicts can tell them by the explanation's
    /// code, `already_granted`, `duplicate_name`, ….)
    #[must_use]
    pub const fn http_status(self) -> u16 {
        match self {
            Class::Allowed => 200,
            Class::Unauthenticated => 401,
            Class::NotFound => 404,
            Class::Forbidden => 403,
            Class::Invalid => 422,
        }
    }
}

/// A decision or a refused change as its caller may be told it: whether
/// it is allowed, a stable code, a [`Class`], and a sentence with names.
///
/// With the `serde` feature it serializes as
/// `{"allowed": false, "code": "denied", "message": "…"}` (the class is for
/// choosing the answer's status, and is not written).
///
/// ```
/// use clearance::*;
///
/// let policy = PolicyBuilder::new()
///     .tenant("acme", ResourceKind::Organization)
///     .tenant("globex", ResourceKind::Organization)
///     .resource("sales", ResourceKind::Workspace, "acme")
///     .role(Role::new("viewer").allow([ResourceKind::Workspace], Permissions::VIEW))
///     .user(User::new("ann", "acme"))
///     .grant(Grantee::user("ann"), "sales", "viewer", Effect::Allow)
///     .build()?;
/// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
///
/// let allowed = policy.explain_for_caller(policy.authorize(&ann, Action::View, policy.resource_id("sales").unwrap()));
/// assert!(allowed.allowed());
/// assert_eq!(allowed.message(), r#"user "ann" holds the role "viewer" on workspace "sales""#);
///
/// let theirs = policy.explain_for_caller(policy.authorize(&ann, Action::View, policy.resource_id("globex").unwrap()));
/// let nowhere = policy.explain_for_caller(policy.authorize(&ann, Action::View, ResourceId::from_index(99)));
/// assert_eq!(theirs, nowhere);
/// assert_eq!((theirs.code(), theirs.class()), ("unknown_resource", Class::NotFound));
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CallerExplanation {
    allowed: bool,
    code: &'static str,
    #[cfg_attr(feature = "serde", serde(skip))]
    class: Class,
    message: String,
}

impl CallerExplanation {
    /// The longest message, in bytes: a longer one is cut at a character
    /// boundary and ends with `…`. A change names what its caller sent
    /// (an unknown user's name, a name already taken), so without a bound
    /// a caller could make the answer as large as his request.
    pub const MAX_MESSAGE: usize = 512;

    fn new(allowed: bool, code: &'static str, class: Class, message: String) -> CallerExplanation {
        CallerExplanation {
            allowed,
            code,
            class,
            message: cut(message),
        }
    }

    /// Whether the request is allowed.
    #[must_use]
    pub fn allowed(&self) -> bool {
        self.allowed
    }

    /// The stable code of the reason or problem ([`Reason::code`](crate::Reason::code),
    /// [`ChangeError::code`]).
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The kind of answer.
    #[must_use]
    pub fn class(&self) -> Class {
        self.class
    }

    /// The sentence, with entities named by their names.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The message.
impl fmt::Display for CallerExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Policy {
    /// The decision as its caller may be told it: [`Decision::for_caller`]'s
    /// reason, explained with names ([`Policy::explain`]), with its code
    /// and class. Log the decision itself; answer with this. See
    /// [`CallerExplanation`].
    ///
    /// Give it a decision of this policy (or of an earlier revision: ids
    /// are never reused, so names stay right).
    #[must_use]
    pub fn explain_for_caller(&self, decision: Decision) -> CallerExplanation {
        let reason = decision.for_caller().reason();
        CallerExplanation::new(
            reason.is_allowed(),
            reason.code(),
            reason.class(),
            self.explain(reason).to_string(),
        )
    }
}

impl ChangeError {
    /// The refused change as its author may be told it: the problem of
    /// [`for_caller`](ChangeError::for_caller) (nothing of another tenant
    /// named or told apart from a missing name), with its
    /// [`code`](ChangeError::code) and [`class`](ChangeError::class). The
    /// message is the problem's sentence, which names entities by name.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let mut policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .role(Role::new("admin").allow_everywhere(Permissions::VIEW | Permissions::MANAGE_MEMBERS))
    ///     .user(User::new("ann", "acme"))
    ///     .build()?;
    /// let error = policy
    ///     .apply(Change::Grant {
    ///         grantee: Grantee::user("ann"),
    ///         scope: "acme".into(),
    ///         role: "admin".into(),
    ///         effect: Effect::Allow,
    ///         when: Condition::Always,
    ///         by: Some(Author::web("ann", 1_700_000_000)),
    ///     })
    ///     .unwrap_err();
    /// let told = error.to_caller();
    /// assert_eq!((told.code(), told.class()), ("not_member", Class::Forbidden));
    /// assert_eq!(told.message(), r#""ann" may not make this change: nothing gives access here to the account, its teams, everyone or the public"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_caller(&self) -> CallerExplanation {
        let problem = self.problem().for_caller();
        CallerExplanation::new(false, problem.code(), problem.class(), problem.to_string())
    }
}

/// `message`, cut to [`CallerExplanation::MAX_MESSAGE`] bytes (with the
/// ellipsis) at a character boundary.
fn cut(mut message: String) -> String {
    const ELLIPSIS: &str = "…";
    if message.len() > CallerExplanation::MAX_MESSAGE {
        let mut end = CallerExplanation::MAX_MESSAGE - ELLIPSIS.len();
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        message.truncate(end);
        message.push_str(ELLIPSIS);
    }
    message
}
