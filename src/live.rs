//! A policy shared by threads while changes arrive: reads never wait for a
//! writer, writes are applied in order and visible when `apply` returns.
//! The concept is documented on [`LivePolicy`], where users read it.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::convert::Infallible;
use core::fmt;
use core::ops::Deref;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;

use crate::change::{Change, Revision};
use crate::decision::Decision;
use crate::error::ChangeError;
use crate::permission::{Action, Permissions};
use crate::policy::Policy;
use crate::resource::ResourceId;
use crate::subject::Subject;

/// How long a write waits at least for readers to let go of the copy it
/// reuses, before it weighs copying the policy instead (see
/// [`LivePolicy::reclaim`]).
const MIN_GRACE: Duration = Duration::from_micros(50);

/// How long a write spins for a reader to let go before it sleeps.
const SPIN: Duration = Duration::from_micros(2);

/// How long a write sleeps between looks while a paused reader holds the
/// copy it reuses.
const NAP: Duration = Duration::from_micros(10);

/// A [`Policy`] that many threads read while changes arrive: the shared
/// state of a service that authorizes every request and changes its model
/// at runtime.
///
/// `LivePolicy` is `Send + Sync`; share it as an `Arc<LivePolicy>`. Every
/// method takes `&self`.
///
/// - **Reads never wait for a writer.** [`authorize`](LivePolicy::authorize),
///   [`effective`](LivePolicy::effective) and [`read`](LivePolicy::read)
///   take the current policy without a lock (a few nanoseconds on top of
///   the decision) and answer from it, whatever a writer is doing.
/// - **Writes are applied in order**, one writer at a time, whole or not
///   at all like [`Policy::apply`], and are visible to every read that
///   starts after [`apply`](LivePolicy::apply) returns: a change takes
///   effect at once, whatever the size of the model.
/// - **Read your writes**: `apply` returns the change's [`Revision`];
///   [`wait_for_revision`](LivePolicy::wait_for_revision) waits (up to a
///   timeout) until the policy is at least that new, for a request that
///   must see a write made through another handle or replica.
/// - **Durability first**: [`apply_logged`](LivePolicy::apply_logged)
///   validates a change, hands it to the host's change log with the
///   revision it will have, and publishes it only once the log has it.
///
/// # How
///
/// The handle keeps two copies of the policy. Readers use the *front* copy,
/// published through an atomically swappable pointer (the `arc-swap`
/// crate). A writer brings the *back* copy up to date with the change it
/// has not seen yet (the previous write), applies the new change to it, and
/// swaps it in as the front; the old front becomes the back. Each change
/// is thus applied twice, in place, and the model is never copied: memory
/// is two policies plus the last write's changes, and a write costs two
/// `Policy::apply`s however large the model.
///
/// A write reuses the old front only once no reader holds it any more:
/// decisions hold it for nanoseconds, so it is free by the next write,
/// unless the operating system paused a reader mid-decision (on a busy
/// machine, for milliseconds). The write then waits for that reader as long
/// as a copy of the policy would take, and copies the front if the reader
/// is still paused: at worst twice the cost of the better choice. Memory is
/// then, for as long as the reader stays paused, the two copies plus the
/// one it holds. A [`PolicyGuard`] kept across writes (for example across
/// an `.await` on I/O) does the same to every other write: keep a guard
/// for one request, and clone the [`Policy`] behind it to keep a copy.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use clearance::{
///     Action, Change, Channel, Effect, Grantee, LivePolicy, PolicyBuilder, ResourceKind as K,
///     Role, Permissions as P, Subject, User,
/// };
///
/// let policy = PolicyBuilder::new()
///     .tenant("acme", K::Organization)
///     .resource("ops", K::Workspace, "acme")
///     .role(Role::new("viewer").allow([K::Workspace], P::VIEW))
///     .user(User::new("ann", "acme"))
///     .build()?;
/// let live = Arc::new(LivePolicy::new(policy));
///
/// // Ids stay valid across changes: resolve once, ask many times.
/// let ann = Subject::user(live.read().user_id("ann").unwrap(), Channel::Web);
/// let ops = live.read().resource_id("ops").unwrap();
/// assert!(!live.authorize(&ann, Action::View, ops).is_allowed());
///
/// // Another thread grants; the grant is visible as soon as `apply` returns.
/// let writer = Arc::clone(&live);
/// let written = std::thread::spawn(move || {
///     writer.apply(Change::Grant {
///         grantee: Grantee::user("ann"),
///         scope: "ops".into(),
///         role: "viewer".into(),
///         effect: Effect::Allow,
///         when: Default::default(),
///         by: None,
///     })
/// })
/// .join()
/// .unwrap()?;
///
/// // Read your writes: wait until the policy is at least that new.
/// live.wait_for_revision(written, Duration::from_secs(1))?;
/// assert!(live.authorize(&ann, Action::View, ops).is_allowed());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct LivePolicy {
    /// The copy readers use.
    front: ArcSwap<Policy>,
    /// Held by writers only; readers never touch it.
    writer: Mutex<Back>,
    /// How many threads wait in `wait_for_revision`, so that a write wakes
    /// them only when there are some.
    waiting: Mutex<usize>,
    /// Signalled after each write when someone waits.
    advanced: Condvar,
}

/// The writer's side: the copy readers do not use (any more), and the
/// changes it has not seen.
struct Back {
    /// The previous front, which readers may still hold for a moment.
    /// `None` only while a writer works on it, or after a writer panicked
    /// (in the host's log hook) with it: the next writer then starts from a
    /// copy of the front.
    policy: Option<Arc<Policy>>,
    /// The changes the front has and `policy` does not: the last write's.
    pending: Vec<Change>,
    /// How long the last copy of the whole policy took: how long a write
    /// waits for readers before it copies instead.
    copy_cost: Duration,
}

/// Why [`LivePolicy::apply_logged`] (or
/// [`apply_all_logged`](LivePolicy::apply_all_logged)) did not publish a
/// change: it was refused, or the host's change log failed to record it.
/// Either way, nothing was published and the live policy is as before.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoggedChangeError<E> {
    /// The change is invalid; the log was not asked to record it.
    #[error(transparent)]
    Refused(ChangeError),
    /// The change is valid but the log failed to record it (its error is
    /// the source), so it was not published.
    #[error("the change log did not record the change at {revision}")]
    NotLogged {
        /// The revision the change would have had (for a batch, its first
        /// change's).
        revision: Revision,
        /// The log's error.
        #[source]
        error: E,
    },
}

/// [`LivePolicy::wait_for_revision`] gave up: the policy did not reach the
/// wanted revision in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("timed out waiting for {wanted}: the policy is at {current}")]
pub struct RevisionTimeout {
    wanted: Revision,
    current: Revision,
}

impl RevisionTimeout {
    /// The revision that was waited for.
    #[must_use]
    pub fn wanted(&self) -> Revision {
        self.wanted
    }

    /// The policy's revision when the wait gave up.
    #[must_use]
    pub fn current(&self) -> Revision {
        self.current
    }
}

/// The live policy as it was when [`LivePolicy::read`] was called: derefs
/// to the [`Policy`], for any question the handle does not forward.
///
/// Hold it for one request, not across I/O or a write of your own: while a
/// guard is alive, the policy it reads cannot be reused by the next write
/// (see [`LivePolicy`]). To keep a copy, clone the policy:
/// `live.read().clone()`.
pub struct PolicyGuard(arc_swap::Guard<Arc<Policy>>);

impl Deref for PolicyGuard {
    type Target = Policy;

    #[inline]
    fn deref(&self) -> &Policy {
        &self.0
    }
}

impl fmt::Debug for PolicyGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PolicyGuard")
            .field(&self.revision())
            .finish()
    }
}

impl fmt::Debug for LivePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LivePolicy")
            .field("revision", &self.revision())
            .finish_non_exhaustive()
    }
}

impl From<Policy> for LivePolicy {
    fn from(policy: Policy) -> LivePolicy {
        LivePolicy::new(policy)
    }
}

/// Locks `mutex`, whatever a panicking holder left: every state behind
/// this module's mutexes is valid at every point a panic can unwind from
/// (the back copy is taken out while a writer works on it).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl LivePolicy {
    /// A live policy that starts as `policy`: one freshly built, or
    /// recovered from a snapshot and a change log.
    ///
    /// Copies the policy once, for the writers' back copy: memory is twice
    /// the policy's from here on.
    #[must_use]
    pub fn new(policy: Policy) -> LivePolicy {
        let started = Instant::now();
        let back = policy.clone();
        let copy_cost = started.elapsed();
        LivePolicy {
            front: ArcSwap::from_pointee(policy),
            writer: Mutex::new(Back {
                policy: Some(Arc::new(back)),
                pending: Vec::new(),
                copy_cost,
            }),
            waiting: Mutex::new(0),
            advanced: Condvar::new(),
        }
    }

    /// The current policy, for any question besides
    /// [`authorize`](LivePolicy::authorize) and
    /// [`effective`](LivePolicy::effective), or several questions that
    /// must see the same revision. Never waits for a writer.
    ///
    /// Hold the guard for one request (see [`PolicyGuard`]).
    ///
    /// ```
    /// # use clearance::{LivePolicy, PolicyBuilder, ResourceKind, Revision};
    /// let live = LivePolicy::new(PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?);
    /// let policy = live.read();
    /// assert!(policy.resource_id("acme").is_some());
    /// // A snapshot for a change log: the document and its revision.
    /// let snapshot = policy.to_document();
    /// assert_eq!(policy.revision(), Revision::new(0));
    /// # let _ = snapshot;
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    #[inline]
    pub fn read(&self) -> PolicyGuard {
        PolicyGuard(self.front.load())
    }

    /// [`Policy::authorize`] on the current policy. Never waits for a writer.
    #[inline]
    pub fn authorize(&self, subject: &Subject, action: Action, resource: ResourceId) -> Decision {
        self.front.load().authorize(subject, action, resource)
    }

    /// [`Policy::effective`] on the current policy. Never waits for a writer.
    #[must_use]
    #[inline]
    pub fn effective(&self, subject: &Subject, resource: ResourceId) -> Permissions {
        self.front.load().effective(subject, resource)
    }

    /// The current revision: how many changes the policy has applied since
    /// it was built.
    #[must_use]
    #[inline]
    pub fn revision(&self) -> Revision {
        self.front.load().revision()
    }

    /// Waits until the policy is at `revision` or newer, for at most
    /// `timeout`, and returns the revision it is at: read your writes,
    /// given the revision a write returned (or a client sent back).
    ///
    /// Returns at once when the policy is already that new. Blocks the
    /// calling thread; readers and writers go on meanwhile.
    ///
    /// # Errors
    ///
    /// [`RevisionTimeout`] when `timeout` passed first, with the revision
    /// reached.
    pub fn wait_for_revision(
        &self,
        revision: Revision,
        timeout: Duration,
    ) -> Result<Revision, RevisionTimeout> {
        let now = self.revision();
        if now >= revision {
            return Ok(now);
        }
        // No deadline when `timeout` is too long for the clock: wait forever.
        let deadline = Instant::now().checked_add(timeout);
        let mut waiting = lock(&self.waiting);
        *waiting += 1;
        let reached = loop {
            // Checked under the lock writers take to signal, after they
            // publish: a write that lands after this check signals us.
            let now = self.revision();
            if now >= revision {
                break Ok(now);
            }
            let left = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => Duration::MAX,
            };
            if left.is_zero() {
                break Err(RevisionTimeout {
                    wanted: revision,
                    current: now,
                });
            }
            waiting = match self.advanced.wait_timeout(waiting, left) {
                Ok((waiting, _)) => waiting,
                Err(poisoned) => poisoned.into_inner().0,
            };
        };
        *waiting -= 1;
        reached
    }

    /// Validates and applies one change, whole or not at all, and publishes
    /// it: every read that starts after this returns sees it. Writers take
    /// turns; readers never wait.
    ///
    /// # Errors
    ///
    /// A [`ChangeError`] naming the change and what is wrong with it; the
    /// policy is then exactly as before.
    pub fn apply(&self, change: Change) -> Result<Revision, ChangeError> {
        self.write(Vec::from([change]), |_, _| Ok::<(), Infallible>(()))
            .map_err(refused)
    }

    /// Validates and applies a batch of changes, all or nothing, and
    /// publishes them at once: no read sees part of the batch.
    ///
    /// A refused batch costs a copy of the policy (its first changes were
    /// applied to the back copy, which is then copied afresh from the
    /// front), unless the first change is the one refused.
    ///
    /// # Errors
    ///
    /// A [`ChangeError`] for the first change that failed (by its position
    /// in the batch); the policy is then exactly as before.
    pub fn apply_all(
        &self,
        changes: impl IntoIterator<Item = Change>,
    ) -> Result<Revision, ChangeError> {
        self.write(changes.into_iter().collect(), |_, _| {
            Ok::<(), Infallible>(())
        })
        .map_err(refused)
    }

    /// Validates `change`, then asks the host's change log to record it
    /// (`log` gets the revision the change will have and the change), and
    /// publishes it only if the log did: a service that acknowledges a
    /// write once it is published never acknowledges one a crash can lose.
    ///
    /// Writers take turns, so revisions reach the log in order and without
    /// gaps. `log` runs while the write holds the writers' turn (readers
    /// never wait for it): keep it to recording the change.
    ///
    /// A failed log costs a copy of the policy (the change was already
    /// applied to the back copy, which is copied afresh from the front).
    ///
    /// ```
    /// use clearance::{Change, LivePolicy, LoggedChangeError, PolicyBuilder, ResourceKind, Revision};
    ///
    /// let live = LivePolicy::new(PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?);
    /// let mut log: Vec<(Revision, Change)> = Vec::new();
    /// let team = Change::AddTeam { name: "ops".into(), tenant: "acme".into() };
    /// let written = live.apply_logged(team, |revision, change| {
    ///     log.push((revision, change.clone()));
    ///     Ok::<(), std::io::Error>(())
    /// })?;
    /// assert_eq!(log[0].0, written);
    ///
    /// // A log that fails: nothing is published.
    /// let team = Change::AddTeam { name: "dev".into(), tenant: "acme".into() };
    /// let failed = live.apply_logged(team, |_, _| Err(std::io::Error::other("disk full")));
    /// assert!(matches!(failed, Err(LoggedChangeError::NotLogged { .. })));
    /// assert_eq!(live.revision(), written);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`LoggedChangeError::Refused`] for an invalid change (the log was
    /// not asked), [`LoggedChangeError::NotLogged`] with the log's error.
    /// Either way the policy is exactly as before.
    pub fn apply_logged<E>(
        &self,
        change: Change,
        log: impl FnOnce(Revision, &Change) -> Result<(), E>,
    ) -> Result<Revision, LoggedChangeError<E>> {
        self.write(Vec::from([change]), |revision, changes| match changes {
            [change] => log(revision, change),
            // `write` passes back the one change it was given.
            _ => Ok(()),
        })
    }

    /// [`apply_all`](LivePolicy::apply_all) with a change log, as
    /// [`apply_logged`](LivePolicy::apply_logged): `log` gets the revision
    /// of the batch's first change (the `i`-th change has that plus `i`)
    /// and the batch, and the batch is published only if it succeeded.
    ///
    /// # Errors
    ///
    /// As [`apply_logged`](LivePolicy::apply_logged); the policy is then
    /// exactly as before.
    pub fn apply_all_logged<E>(
        &self,
        changes: impl IntoIterator<Item = Change>,
        log: impl FnOnce(Revision, &[Change]) -> Result<(), E>,
    ) -> Result<Revision, LoggedChangeError<E>> {
        self.write(changes.into_iter().collect(), log)
    }

    /// Every write, as a list of phases: take the back copy, bring it up to
    /// the front, apply the changes, log them, publish, signal.
    fn write<E>(
        &self,
        changes: Vec<Change>,
        log: impl FnOnce(Revision, &[Change]) -> Result<(), E>,
    ) -> Result<Revision, LoggedChangeError<E>> {
        let mut back = lock(&self.writer);
        // After this, `policy` is the front's model at the front's revision,
        // owned by this writer alone.
        let mut policy = self.reclaim(&mut back);
        if changes.is_empty() {
            let revision = policy.revision();
            back.policy = Some(Arc::new(policy));
            return Ok(revision);
        }
        let first = Revision::new(policy.revision().get().saturating_add(1));
        // After this, `policy` holds every change, or the error names the
        // first refused and `policy` holds those before it.
        for (index, change) in changes.iter().enumerate() {
            if let Err(error) = policy.apply(change.clone()) {
                let error = ChangeError::new(index, error.change().into(), error.problem().clone());
                // Whole or nothing: a half-applied batch is thrown away.
                let restored = if index == 0 {
                    policy
                } else {
                    self.copy_front(&mut back)
                };
                back.policy = Some(Arc::new(restored));
                return Err(LoggedChangeError::Refused(error));
            }
        }
        // After this, the host's log has the changes, or nothing changed.
        if let Err(error) = log(first, &changes) {
            let restored = self.copy_front(&mut back);
            back.policy = Some(Arc::new(restored));
            return Err(LoggedChangeError::NotLogged {
                revision: first,
                error,
            });
        }
        // After this, every new read sees the changes.
        let written = policy.revision();
        let old = self.front.swap(Arc::new(policy));
        back.policy = Some(old);
        back.pending = changes;
        drop(back);
        // Wake the threads waiting for a revision, if any.
        let waiting = lock(&self.waiting);
        if *waiting > 0 {
            self.advanced.notify_all();
        }
        Ok(written)
    }

    /// The back copy, owned and brought up to the front: waits for readers
    /// still holding it to let go, then applies the changes it has not seen.
    ///
    /// Readers hold a copy for one decision, so the wait is nothing unless
    /// the operating system paused a reader mid-decision, which on a busy
    /// machine can last milliseconds. The write then waits as long as a
    /// copy of the policy takes (at least [`MIN_GRACE`]), and copies the
    /// front if the reader is still paused: never worse than twice the
    /// better choice (the ski-rental rule). The paused reader's copy is
    /// freed when it resumes.
    ///
    /// Also copies the front when the back copy is missing (a writer
    /// panicked in the host's log) or does not end up equal to the front
    /// (never, short of a bug: `Policy::apply` is deterministic).
    fn reclaim(&self, back: &mut Back) -> Policy {
        let pending = core::mem::take(&mut back.pending);
        let Some(mut shared) = back.policy.take() else {
            return self.copy_front(back);
        };
        let grace = back.copy_cost.max(MIN_GRACE);
        let mut start = None;
        let mut policy = loop {
            // `ArcSwap::swap` turned every reader's hold on the old front
            // into a strong count, so this succeeds once they are gone.
            match Arc::try_unwrap(shared) {
                Ok(policy) => break policy,
                Err(held) => shared = held,
            }
            let since = *start.get_or_insert_with(Instant::now);
            if since.elapsed() > grace {
                return self.copy_front(back);
            }
            // A reader running on another core lets go within nanoseconds:
            // spin for it. Past that, the reader was paused, and needs a
            // CPU to go on: sleep briefly, so as not to take one from it
            // (yielding instead can cost a whole time slice).
            if since.elapsed() < SPIN {
                core::hint::spin_loop();
            } else {
                std::thread::sleep(NAP);
            }
        };
        for change in pending {
            if policy.apply(change).is_err() {
                return self.copy_front(back);
            }
        }
        if policy.revision() != self.revision() {
            return self.copy_front(back);
        }
        policy
    }

    /// A copy of the front, timed for [`reclaim`](LivePolicy::reclaim)'s
    /// next grace.
    fn copy_front(&self, back: &mut Back) -> Policy {
        let started = Instant::now();
        let policy = self.front.load().as_ref().clone();
        back.copy_cost = started.elapsed();
        policy
    }
}

/// The [`ChangeError`] of a write without a log.
fn refused(error: LoggedChangeError<Infallible>) -> ChangeError {
    match error {
        LoggedChangeError::Refused(error) => error,
        LoggedChangeError::NotLogged { error, .. } => match error {},
    }
}
