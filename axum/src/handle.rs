//! The service's handle on its live policy: who the caller is, what the
//! route may do, and writes. The concept is documented on [`Clearance`].

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clearance::{
    Action, Author, Change, Class, Credentials, Decision, LivePolicy, LoggedChangeError, Policy,
    Reason, ResourceId, Revision, Subject,
};
use http::request::Parts;
use http::StatusCode;

use crate::extract::Authorized;
use crate::rejection::Rejection;
use crate::require::{Require, Resource};
use crate::revision::{self, Written};

/// The host's function from a request to who is asking: the request's
/// parts and the time (seconds, from the handle's clock) in, the
/// [`Credentials`] out, or `None` when the request carries none (answered
/// `401 unauthenticated`).
///
/// It only reads what the host's authentication established (a verified
/// session's user, the key a token stands for); the policy resolves the
/// names ([`Clearance`] answers an unknown one `401 unknown_credential`).
pub type CredentialsFn = dyn for<'a> Fn(&'a Parts, u64) -> Option<Credentials<'a>> + Send + Sync;

type LogFn = dyn FnMut(Revision, &Change) -> Result<(), String> + Send;

/// The handle a service shares between its routes: the live policy, how
/// to tell who is asking, and where changes are logged. Cloning it is
/// cheap (one reference count); it is the router's state, or part of it
/// (`Clearance: FromRef<YourState>`).
///
/// - [`require`](Clearance::require) makes the layer a route declares its
///   action and resource with; the handler receives [`Authorized`].
/// - [`Caller`](crate::Caller) is the extractor for handlers that decide
///   themselves (a list filtered by what the caller may view).
/// - [`apply`](Clearance::apply) writes a change: logged first when a log
///   is set ([`with_log`](Clearance::with_log)), then published, answered
///   with its revision ([`Written`]).
///
/// ```
/// use axum::{routing::get, Router};
/// use clearance::{Action, Channel, PolicyBuilder, ResourceKind};
/// use clearance_axum::{header, Authorized, Clearance, Credentials, LivePolicy, Resource};
///
/// let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
/// let clearance = Clearance::new(LivePolicy::new(policy), |parts, now| {
///     Some(Credentials::user(header(parts, "x-user")?, Channel::Web, now))
/// });
/// let app: Router = Router::new()
///     .route(
///         "/orgs/{org}",
///         get(|who: Authorized| async move { format!("{:?}", who.resource()) })
///             .route_layer(clearance.require(Action::View, Resource::param("org"))),
///     )
///     .with_state(clearance);
/// # Ok::<(), clearance::BuildError>(())
/// ```
#[derive(Clone)]
pub struct Clearance {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    live: Arc<LivePolicy>,
    credentials: Arc<CredentialsFn>,
    clock: fn() -> u64,
    max_wait: Duration,
    log: Option<Arc<Mutex<Box<LogFn>>>>,
}

/// Seconds since the Unix epoch; no time (`u64::MAX`, denied whatever
/// expires) should the system clock stand before it.
fn system_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(u64::MAX, |since| since.as_secs())
}

impl Clearance {
    /// A handle on `live`, telling callers apart with `credentials`.
    ///
    /// Defaults: the system clock, at most one second of waiting for a
    /// revision, no change log.
    pub fn new(
        live: impl Into<Arc<LivePolicy>>,
        credentials: impl for<'a> Fn(&'a Parts, u64) -> Option<Credentials<'a>> + Send + Sync + 'static,
    ) -> Clearance {
        Clearance {
            inner: Arc::new(Inner {
                live: live.into(),
                credentials: Arc::new(credentials),
                clock: system_clock,
                max_wait: Duration::from_secs(1),
                log: None,
            }),
        }
    }

    /// Uses `clock` (seconds) for the time of each request instead of the
    /// system clock: for tests, or a host with a clock of its own.
    #[must_use]
    pub fn with_clock(mut self, clock: fn() -> u64) -> Clearance {
        Arc::make_mut(&mut self.inner).clock = clock;
        self
    }

    /// How long a request carrying a [`REVISION`](crate::REVISION) header
    /// waits for the live policy to reach it before it is answered
    /// `503 revision_not_reached` (one second by default). A wait too long
    /// for the clock to hold its end (`Duration::MAX`) has no deadline.
    #[must_use]
    pub fn with_max_wait(mut self, max_wait: Duration) -> Clearance {
        Arc::make_mut(&mut self.inner).max_wait = max_wait;
        self
    }

    /// Logs every change [`apply`](Clearance::apply) writes with `append`
    /// before publishing it: `append` gets the revision the change will
    /// have and the change, as [`LivePolicy::apply_logged`]'s hook, so a
    /// change is visible to reads, and acknowledged, only once the log has
    /// it. A change whose append fails is not made, and is answered
    /// `500 log_failed`. Appends are called one at a time, in revision
    /// order, without gaps.
    ///
    /// With `clearance-log`'s SQLite log (any `ChangeLog`), the hook is its
    /// append:
    ///
    /// ```no_run
    /// use clearance_axum::{Clearance, LivePolicy};
    /// use clearance_log::{recover, ChangeLog, SqliteLog};
    /// # fn credentials(_: &http::request::Parts, _: u64) -> Option<clearance::Credentials<'_>> { None }
    ///
    /// let mut log = SqliteLog::open("policy.db")?;
    /// let live = LivePolicy::new(recover(&log)?);
    /// let clearance = Clearance::new(live, credentials)
    ///     .with_log(move |revision, change| log.append(revision, change));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_log<E: fmt::Display>(
        mut self,
        mut append: impl FnMut(Revision, &Change) -> Result<(), E> + Send + 'static,
    ) -> Clearance {
        let append: Box<LogFn> =
            Box::new(move |revision, change| append(revision, change).map_err(|e| e.to_string()));
        Arc::make_mut(&mut self.inner).log = Some(Arc::new(Mutex::new(append)));
        self
    }

    /// The live policy.
    #[must_use]
    pub fn live(&self) -> &LivePolicy {
        &self.inner.live
    }

    /// The policy now, for a handler's own questions (hold it for one
    /// request at most, and never across an `.await`).
    pub fn policy(&self) -> impl Deref<Target = Policy> + '_ {
        self.inner.live.read()
    }

    /// The layer for a route: every request is answered by the route only
    /// if its caller may do `action` on the resource `resource` finds; the
    /// handler receives [`Authorized`]. Put it on the route with
    /// `route_layer` (or on a handler with `.layer`).
    ///
    /// In order, a request is answered:
    /// `401` without credentials, or with ones the policy does not know (at
    /// once, without a revision); with a [`REVISION`](crate::REVISION)
    /// header, the refusal of a caller whose own state fails (below) at
    /// once, then `400` if the header is not a number or is more than a
    /// million ahead, `503` if it is not reached in time; then as the
    /// policy decides, each with its code, all from one read of the live
    /// policy: a refusal about the caller himself (a revoked or expired key
    /// or link, `401`; suspended, deactivated, invited, a channel not
    /// allowed, `403`) the same whatever resource he named, existing,
    /// unknown or another tenant's, and without a revision;
    /// `404` for an unknown resource, another
    /// tenant's, **or one the caller may not even view** (oso's rule: the
    /// answer is byte for byte the one for a missing resource, so it never
    /// confirms that a resource exists to a caller who may not see it);
    /// `403` for the rest (he may view it but not do this, or would once he
    /// passes MFA).
    ///
    /// The 404-or-403 choice and the caller's own state cost one more
    /// decision each, on the denial path only.
    #[must_use]
    pub fn require(&self, action: Action, resource: Resource) -> Require {
        Require::new(self.clone(), action, resource)
    }

    /// Applies `change` to the live policy (after logging it, with a log),
    /// answering with the revision it produced.
    ///
    /// This blocks for the log's append (an fsync); a service with many
    /// writes calls it in `tokio::task::spawn_blocking`.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] from the change's caller-facing explanation (`404`
    /// for an unknown name or another tenant's, `403` for an author who may
    /// not, `422` otherwise), with the precise error as its
    /// [`detail`](Rejection::detail); `500 log_failed` when the log's append
    /// failed (nothing was applied).
    pub fn apply(&self, change: Change) -> Result<Written, Rejection> {
        let live = &self.inner.live;
        let written = match &self.inner.log {
            None => live.apply(change).map_err(LoggedChangeError::Refused),
            // Writers take turns inside `apply_logged`, so this lock is
            // never waited for; it only makes the `FnMut` callable from
            // every request.
            Some(log) => live.apply_logged(change, |revision, change| {
                let mut append = log.lock().unwrap_or_else(PoisonError::into_inner);
                append(revision, change)
            }),
        };
        match written {
            Ok(revision) => Ok(Written(revision)),
            Err(LoggedChangeError::Refused(error)) => {
                Err(Rejection::explained(&error.to_caller()).with_detail(error.to_string()))
            }
            Err(LoggedChangeError::NotLogged { revision, error }) => Err(Rejection::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "log_failed",
                "the change could not be recorded, and was not made",
            )
            .with_detail(format!("the change log did not record {revision}: {error}"))),
        }
    }

    /// The author of a change `subject` makes ([`Author::from_subject`]),
    /// for the `by` of [`Change::Grant`], [`Change::Revoke`] and the
    /// changes of an account's standing ([`Change::Suspend`] and the
    /// like), so that the policy checks that the author may make it: that
    /// he holds what
    /// he gives, and for an API key, that the key's scope holds it too (a
    /// key scoped to `view | manage_members` may grant a viewer role, not
    /// an editor one).
    ///
    /// # Errors
    ///
    /// `403 not_an_author` for a subject that cannot author a change (a
    /// public link, or a user or key removed since): never leave `by` empty
    /// instead, which would make the change the host's own, unchecked.
    pub fn author(&self, subject: &Subject) -> Result<Author, Rejection> {
        Author::from_subject(&self.policy(), subject).ok_or_else(|| {
            Rejection::new(
                StatusCode::FORBIDDEN,
                "not_an_author",
                "these credentials cannot make changes",
            )
        })
    }

    /// Waits for the revision the request asks for, if any: only once the
    /// caller is known (a request without credentials, or with ones the
    /// policy does not know, is answered `401` at once and never waits),
    /// and only for a revision the policy may still reach
    /// ([`revision::reach`]).
    pub(crate) async fn reach_asked(&self, parts: &Parts) -> Result<(), Rejection> {
        if !parts.headers.contains_key(&revision::REVISION) {
            return Ok(());
        }
        // The caller first, and his own state: a dead credential is
        // answered at once too, so that no one learns from the wait how far
        // the policy is. The read is dropped before the wait; the decision
        // reads the policy again once the revision is reached.
        {
            let (subject, policy) = self.resolve(parts)?;
            if let Some(own) = callers_own_refusal(&policy, &subject) {
                return Err(refused_himself(&policy, own, own));
            }
        }
        match revision::asked(&parts.headers)? {
            Some(wanted) => revision::reach(&self.inner.live, wanted, self.inner.max_wait).await,
            None => Ok(()),
        }
    }

    /// Who asks, and the policy read that resolved it (one read per
    /// request: decide with the same one). A `401` carries no revision:
    /// the revision is told only to callers the policy knows.
    fn resolve<'s>(
        &'s self,
        parts: &Parts,
    ) -> Result<(Subject, impl Deref<Target = Policy> + 's), Rejection> {
        let now = (self.inner.clock)();
        let credentials =
            (self.inner.credentials)(parts, now).ok_or_else(Rejection::unauthenticated)?;
        let policy = self.inner.live.read();
        match policy.resolve(credentials) {
            Ok(subject) => Ok((subject, policy)),
            Err(_) => Err(Rejection::unknown_credential()),
        }
    }

    /// Who asks, and the revision the answer is at.
    pub(crate) fn caller(&self, parts: &Parts) -> Result<(Subject, Revision), Rejection> {
        let (subject, policy) = self.resolve(parts)?;
        Ok((subject, policy.revision()))
    }

    /// Resolves the caller and decides `action` on the resource named
    /// `resource`, all from one read of the live policy.
    pub(crate) fn authorize(
        &self,
        parts: &Parts,
        action: Action,
        resource: &str,
    ) -> Result<Authorized, Rejection> {
        let (subject, policy) = self.resolve(parts)?;
        let revision = policy.revision();
        let id = policy.resource_id(resource).unwrap_or(MISSING);
        let decision = policy.authorize(&subject, action, id);
        if decision.is_allowed() {
            return Ok(Authorized::new(subject, id, revision));
        }
        if let Some(own) = own_state(decision) {
            return Err(refused_himself(&policy, own, decision));
        }
        let told = if hides_resource(&policy, &subject, id, decision) {
            policy.explain_for_caller(policy.authorize(&subject, action, MISSING))
        } else {
            policy.explain_for_caller(decision)
        };
        Err(Rejection::explained(&told)
            .with_detail(policy.explain(decision.reason()).to_string())
            .at(revision))
    }
}

/// An id no policy holds: a name the policy does not know is decided as
/// this id, so that it is answered exactly as the policy answers an unknown
/// resource, in its own order of checks.
const MISSING: ResourceId = ResourceId::from_index(u32::MAX);

/// The refusal of the caller himself, if his own state is what fails
/// (a revoked or expired key or link, a suspended, deactivated or invited
/// account, no time, a channel he may not use: [`Reason::is_about_the_caller`]).
/// The core checks the caller's state before anything about the resource,
/// so such a denial is the same whatever resource he named (one of his
/// tenant, an unknown name, another tenant's), and is answered as it is.
fn own_state(denied: Decision) -> Option<Decision> {
    denied.reason().is_about_the_caller().then_some(denied)
}

/// The refusal of `subject` for his own state, if any, before he asks
/// about anything: decided on an id no policy holds, which the core
/// refuses for the caller's state first, and as unknown otherwise.
fn callers_own_refusal(policy: &Policy, subject: &Subject) -> Option<Decision> {
    own_state(policy.authorize(subject, Action::View, MISSING))
}

/// The answer to a caller refused for his own state (`own`), whatever he
/// asked: no revision, as for any answer about a credential; `denied` is
/// the precise refusal, for the logs.
fn refused_himself(policy: &Policy, own: Decision, denied: Decision) -> Rejection {
    Rejection::explained(&policy.explain_for_caller(own))
        .with_detail(policy.explain(denied.reason()).to_string())
}

/// Whether a denial must be answered as if the resource did not exist
/// (oso's rule: never confirm existence to a caller who may not see it):
/// the caller is refused the action *and* may not view the resource, for
/// a reason about this resource (no grant here, a `Deny` or `Override`,
/// his key's scope or subtree). Called on the denial path only; it costs
/// one more decision.
///
/// A caller who may view it is told the real denial (`403 role_lacks`, ...),
/// and so is one whose refusal is about himself rather than the resource
/// (suspended, an invitation pending, a channel not allowed) or who would
/// view it once he passes MFA: he is entitled to know it exists, and
/// needs the reason to do something about it.
fn hides_resource(policy: &Policy, subject: &Subject, id: ResourceId, denied: Decision) -> bool {
    if denied.reason().class() != Class::Forbidden {
        return false;
    }
    let view = policy.authorize(subject, Action::View, id);
    matches!(
        view.reason(),
        Reason::NotMember
            | Reason::RoleLacks { .. }
            | Reason::Overridden { .. }
            | Reason::Denied { .. }
            | Reason::KeyLacks { .. }
            | Reason::LinkLacks { .. }
            | Reason::KeyOutOfScope
    )
}

impl fmt::Debug for Clearance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clearance")
            .field("revision", &self.inner.live.revision())
            .field("max_wait", &self.inner.max_wait)
            .field("logged", &self.inner.log.is_some())
            .finish_non_exhaustive()
    }
}
