//! The live policy (issue 14, "A live policy shared by threads"): reads on
//! many threads while changes arrive; writes in order, whole or nothing,
//! visible once `apply` returns; read-your-writes through revisions; and a
//! change log that must record a change before it is published.

#![expect(
    clippy::expect_used,
    reason = "test helpers: a broken test model must stop the test"
)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use clearance::{
    Action, Change, Channel, Condition, Effect, Grantee, LivePolicy, LoggedChangeError,
    Permissions as P, Policy, PolicyBuilder, ResourceKind as K, Revision, Role, Subject, User,
};

/// acme (organization) ⊃ ops (workspace); a viewer role; ann, nothing granted.
fn policy() -> Policy {
    PolicyBuilder::new()
        .tenant("acme", K::Organization)
        .resource("ops", K::Workspace, "acme")
        .role(Role::new("viewer").allow([K::Organization, K::Workspace], P::VIEW))
        .user(User::new("ann", "acme"))
        .build()
        .expect("the test model is valid")
}

fn grant_ann() -> Change {
    Change::Grant {
        grantee: Grantee::user("ann"),
        scope: "ops".into(),
        role: "viewer".into(),
        effect: Effect::Allow,
        when: Condition::Always,
        by: None,
    }
}

fn add_team(name: &str) -> Change {
    Change::AddTeam {
        name: name.into(),
        tenant: "acme".into(),
    }
}

fn add_workspace(name: &str) -> Change {
    Change::AddResource {
        name: name.into(),
        kind: K::Workspace,
        parent: Some("acme".into()),
    }
}

fn ann(live: &LivePolicy) -> Subject {
    Subject::user(
        live.read().user_id("ann").expect("ann exists"),
        Channel::Web,
    )
}

#[test]
fn the_live_policy_and_its_guard_can_be_shared_by_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<LivePolicy>();
    fn sent<T: Send>() {}
    sent::<LoggedChangeError<std::io::Error>>();
}

#[test]
fn a_write_is_visible_to_the_next_read_on_another_thread() {
    let live = Arc::new(LivePolicy::new(policy()));
    let ann = ann(&live);
    let ops = live.read().resource_id("ops").expect("ops exists");
    assert!(!live.authorize(&ann, Action::View, ops).is_allowed());
    let (sender, receiver) = mpsc::channel();
    let reader = {
        let live = Arc::clone(&live);
        thread::spawn(move || {
            let written: Revision = receiver.recv().expect("the writer sends");
            // No wait: the write was published before `apply` returned.
            assert!(live.revision() >= written);
            assert!(live.authorize(&ann, Action::View, ops).is_allowed());
            assert_eq!(live.effective(&ann, ops), P::VIEW);
        })
    };
    let written = live.apply(grant_ann()).expect("the grant is valid");
    assert_eq!(written, Revision::new(1));
    sender.send(written).expect("the reader listens");
    reader.join().expect("the reader saw the write");
}

#[test]
fn the_live_policy_equals_a_policy_given_the_same_changes() {
    // Each write goes to the other copy: comparing after every write checks
    // both, and the refused changes between them change neither.
    let live = LivePolicy::new(policy());
    let mut plain = policy();
    for i in 0..20 {
        let change = if i % 3 == 0 {
            add_workspace(&format!("ws-{i}"))
        } else {
            add_team(&format!("team-{i}"))
        };
        assert_eq!(live.apply(change.clone()), plain.apply(change));
        assert!(live.apply(add_workspace("ops")).is_err(), "ops exists");
        assert_eq!(*live.read(), plain, "after change {i}");
    }
    assert_eq!(live.revision(), Revision::new(20));
}

#[test]
fn concurrent_readers_never_see_half_a_batch_or_a_revision_going_back() {
    const BATCHES: usize = 300;
    let live = Arc::new(LivePolicy::new(policy()));
    let done = Arc::new(AtomicBool::new(false));
    let start = Arc::new(Barrier::new(3));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (live, done, start) = (Arc::clone(&live), Arc::clone(&done), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                let mut last = Revision::new(0);
                let mut reads = 0u64;
                while !done.load(Ordering::Acquire) || reads == 0 {
                    let policy = live.read();
                    let revision = policy.revision();
                    assert!(revision >= last, "{revision} after {last}");
                    last = revision;
                    // Batch k adds x-k and y-k: two changes.
                    assert_eq!(revision.get() % 2, 0, "half a batch at {revision}");
                    let batches = revision.get() / 2;
                    for k in [batches.checked_sub(1), Some(batches)]
                        .into_iter()
                        .flatten()
                    {
                        let x = policy.team_id(&format!("x-{k}")).is_some();
                        let y = policy.resource_id(&format!("y-{k}")).is_some();
                        assert_eq!(x, k < batches, "x-{k} at {revision}");
                        assert_eq!(y, k < batches, "y-{k} at {revision}");
                    }
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    start.wait();
    for k in 0..BATCHES {
        let written = live
            .apply_all([
                add_team(&format!("x-{k}")),
                add_workspace(&format!("y-{k}")),
            ])
            .expect("the batch is valid");
        assert_eq!(written, Revision::new(2 * (k as u64 + 1)));
    }
    done.store(true, Ordering::Release);
    for reader in readers {
        assert!(reader.join().expect("the reader's checks hold") > 0);
    }
}

#[test]
fn wait_for_revision_returns_at_once_when_the_policy_is_that_new() {
    let live = LivePolicy::new(policy());
    let written = live.apply(add_team("ops-team")).expect("valid");
    let started = Instant::now();
    assert_eq!(
        live.wait_for_revision(written, Duration::from_secs(60)),
        Ok(written)
    );
    assert_eq!(
        live.wait_for_revision(Revision::new(0), Duration::ZERO),
        Ok(written)
    );
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn wait_for_revision_times_out_with_the_revision_reached() {
    let live = LivePolicy::new(policy());
    live.apply(add_team("ops-team")).expect("valid");
    let started = Instant::now();
    let error = live
        .wait_for_revision(Revision::new(5), Duration::from_millis(50))
        .expect_err("nobody writes");
    assert!(started.elapsed() >= Duration::from_millis(50));
    assert_eq!(error.wanted(), Revision::new(5));
    assert_eq!(error.current(), Revision::new(1));
    assert_eq!(
        error.to_string(),
        "timed out waiting for revision 5: the policy is at revision 1"
    );
}

#[test]
fn wait_for_revision_wakes_when_another_thread_writes_it() {
    let live = Arc::new(LivePolicy::new(policy()));
    let writer = {
        let live = Arc::clone(&live);
        thread::spawn(move || {
            for i in 0..3 {
                thread::sleep(Duration::from_millis(20));
                live.apply(add_team(&format!("t-{i}"))).expect("valid");
            }
        })
    };
    let started = Instant::now();
    let reached = live
        .wait_for_revision(Revision::new(3), Duration::from_secs(30))
        .expect("the writer gets there");
    assert!(reached >= Revision::new(3));
    assert!(started.elapsed() < Duration::from_secs(10));
    writer.join().expect("the writer succeeds");
}

#[test]
fn the_log_gets_each_change_with_the_revision_it_then_has() {
    let live = LivePolicy::new(policy());
    let mut log: Vec<(Revision, Change)> = Vec::new();
    for i in 0..4 {
        let written = live
            .apply_logged(add_team(&format!("t-{i}")), |revision, change| {
                // Not yet published when the log is asked.
                assert_eq!(live.revision().get() + 1, revision.get());
                log.push((revision, change.clone()));
                Ok::<(), std::io::Error>(())
            })
            .expect("valid and logged");
        assert_eq!(log.last().map(|(revision, _)| *revision), Some(written));
    }
    let batch = [add_team("b-0"), add_team("b-1")];
    let written = live
        .apply_all_logged(batch.clone(), |first, changes| {
            for (i, change) in changes.iter().enumerate() {
                log.push((Revision::new(first.get() + i as u64), change.clone()));
            }
            Ok::<(), std::io::Error>(())
        })
        .expect("valid and logged");
    assert_eq!(written, Revision::new(6));
    let revisions: Vec<u64> = log.iter().map(|(revision, _)| revision.get()).collect();
    assert_eq!(revisions, [1, 2, 3, 4, 5, 6]);
    // Replaying the log onto the starting policy gives the live one.
    let mut replayed = policy();
    for (revision, change) in log {
        assert_eq!(replayed.apply(change), Ok(revision));
    }
    assert_eq!(*live.read(), replayed);
}

#[test]
fn a_failed_log_publishes_nothing_and_the_next_change_takes_its_revision() {
    let live = LivePolicy::new(policy());
    let ann = ann(&live);
    let ops = live.read().resource_id("ops").expect("ops exists");
    live.apply(add_team("first")).expect("valid");
    let before = live.read().clone();

    let failed = live.apply_logged(grant_ann(), |_, _| Err("disk full"));
    assert_eq!(
        failed,
        Err(LoggedChangeError::NotLogged {
            revision: Revision::new(2),
            error: "disk full"
        })
    );
    assert_eq!(*live.read(), before);
    assert!(!live.authorize(&ann, Action::View, ops).is_allowed());

    // The handle is consistent: both copies take the next changes, and the
    // revisions stay contiguous.
    let mut plain = before;
    for change in [grant_ann(), add_team("second"), add_team("third")] {
        let mut logged = None;
        let written = live
            .apply_logged(change.clone(), |revision, _| {
                logged = Some(revision);
                Ok::<(), &str>(())
            })
            .expect("valid and logged");
        assert_eq!(Some(written), logged);
        assert_eq!(plain.apply(change), Ok(written));
        assert_eq!(*live.read(), plain);
    }
    assert_eq!(live.revision(), Revision::new(4));
    assert!(live.authorize(&ann, Action::View, ops).is_allowed());
}

#[test]
fn a_refused_change_leaves_everything_as_before_and_the_log_is_not_asked() {
    let live = LivePolicy::new(policy());
    live.apply(add_team("ops-team")).expect("valid");
    let before = live.read().clone();
    let mut asked = false;
    let refused = live.apply_logged(add_team("ops-team"), |_, _| {
        asked = true;
        Ok::<(), &str>(())
    });
    assert!(matches!(refused, Err(LoggedChangeError::Refused(ref e)) if e.index() == 0));
    assert!(!asked);
    assert_eq!(*live.read(), before);
    assert_eq!(
        live.apply(add_team("ops-team")).map_err(|e| e.index()),
        Err(0)
    );
    // Both copies still take the next change.
    let mut plain = before;
    for name in ["a", "b"] {
        assert_eq!(live.apply(add_team(name)), plain.apply(add_team(name)));
        assert_eq!(*live.read(), plain);
    }
}

#[test]
fn a_refused_batch_publishes_none_of_it_and_names_the_change_by_its_index() {
    let live = LivePolicy::new(policy());
    let before = live.read().clone();
    let error = live
        .apply_all([add_team("a"), add_team("b"), add_team("a")])
        .expect_err("the third change repeats the first");
    assert_eq!(error.index(), 2);
    assert_eq!(*live.read(), before);
    let mut plain = before;
    for name in ["a", "b", "c"] {
        assert_eq!(live.apply(add_team(name)), plain.apply(add_team(name)));
        assert_eq!(*live.read(), plain);
    }
    // An empty batch changes nothing.
    assert_eq!(live.apply_all([]), Ok(Revision::new(3)));
    assert_eq!(*live.read(), plain);
}

#[test]
fn a_guard_held_across_writes_delays_them_but_never_blocks_them() {
    let live = LivePolicy::new(policy());
    let held = live.read();
    // The first write reuses the back copy; the second would reuse the
    // held one, waits briefly, then copies the policy instead.
    let mut plain = policy();
    for name in ["a", "b", "c"] {
        assert_eq!(live.apply(add_team(name)), plain.apply(add_team(name)));
        assert_eq!(*live.read(), plain);
    }
    assert_eq!(held.revision(), Revision::new(0));
    drop(held);
    assert_eq!(live.apply(add_team("d")), plain.apply(add_team("d")));
    assert_eq!(*live.read(), plain);
}

#[test]
fn a_log_that_panics_leaves_the_handle_usable() {
    let live = LivePolicy::new(policy());
    live.apply(add_team("a")).expect("valid");
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        live.apply_logged(add_team("b"), |_, _| -> Result<(), &str> {
            panic!("the log's own bug")
        })
    }));
    assert!(panicked.is_err());
    assert_eq!(live.revision(), Revision::new(1));
    let mut plain = policy();
    plain.apply(add_team("a")).expect("valid");
    for name in ["b", "c"] {
        assert_eq!(live.apply(add_team(name)), plain.apply(add_team(name)));
        assert_eq!(*live.read(), plain);
    }
}
