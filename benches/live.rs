//! The live policy (`LivePolicy`) beside a bare `&Policy` and the other
//! designs it was chosen over, on the standard model.
//!
//! - `authorize/allowed_team_folder` and `live/authorize`: one decision on
//!   a bare policy and through the live handle, in the same run.
//! - `live/read_under_writes/{0,10000}`: two reader threads deciding the
//!   10,000 random requests, without writes and with one writer applying
//!   10,000 changes a second (a grant and its revocation, in turn).
//! - `designs/*`: the same reads and writes against `RwLock<Policy>` (the
//!   status quo of a host) and an arc-swap of a copy made per change.
//! - `live_alternating` (printed, not a criterion benchmark): the designs
//!   measured in alternation, round after round, so that a shared
//!   machine's noise hits every side alike: decision cost, reader
//!   throughput with and without writes (by the wall clock, as the issue
//!   states its target, and per second of the readers' own CPU time, with
//!   the writer's CPU share: on a machine with no spare core the writer's
//!   CPU comes out of the readers' wall-clock throughput, and on a shared
//!   one so does everyone else's; `live_idle_writer` is the control, a
//!   writer waking as often that applies nothing), write cost and the time from
//!   `apply` returning to another thread seeing the change. At 10,000
//!   users, and at 1,000,000 with `LIVE_MILLION=1` (it builds the model
//!   for about a minute).

#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]
#![expect(
    clippy::expect_used,
    reason = "the bench's own model: a broken model must stop the run loudly"
)]

mod common;

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use clearance::{
    Action, Change, Condition, Decision, Effect, Grantee, LivePolicy, Policy, ResourceId, Revision,
    Subject,
};
use common::scale::{self, Spec};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

type Request = (Subject, Action, ResourceId);

/// One round of `read_under_writes` on one design: the reads without
/// writes, and with them.
type Round = Box<dyn FnMut() -> (Reads, Reads)>;

/// A way to share a changing policy between threads.
trait Design: Send + Sync + Sized + 'static {
    const NAME: &'static str;
    fn new(policy: Policy) -> Self;
    fn authorize(&self, subject: &Subject, action: Action, resource: ResourceId) -> Decision;
    fn apply(&self, change: Change) -> Revision;
    fn revision(&self) -> Revision;
}

impl Design for LivePolicy {
    const NAME: &'static str = "live";
    fn new(policy: Policy) -> Self {
        LivePolicy::new(policy)
    }
    fn authorize(&self, subject: &Subject, action: Action, resource: ResourceId) -> Decision {
        LivePolicy::authorize(self, subject, action, resource)
    }
    fn apply(&self, change: Change) -> Revision {
        LivePolicy::apply(self, change).expect("the change applies")
    }
    fn revision(&self) -> Revision {
        LivePolicy::revision(self)
    }
}

/// The status quo: a host's `RwLock<Policy>`, one read lock per decision.
struct Locked(RwLock<Policy>);

impl Design for Locked {
    const NAME: &'static str = "rwlock";
    fn new(policy: Policy) -> Self {
        Locked(RwLock::new(policy))
    }
    fn authorize(&self, subject: &Subject, action: Action, resource: ResourceId) -> Decision {
        let policy = self.0.read().unwrap_or_else(PoisonError::into_inner);
        policy.authorize(subject, action, resource)
    }
    fn apply(&self, change: Change) -> Revision {
        let mut policy = self.0.write().unwrap_or_else(PoisonError::into_inner);
        policy.apply(change).expect("the change applies")
    }
    fn revision(&self) -> Revision {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .revision()
    }
}

/// Copy on write: each change is applied to a copy of the policy, which
/// is then published (reads as `LivePolicy`'s, writes copy the model).
struct Copied {
    front: ArcSwap<Policy>,
    writer: Mutex<()>,
}

impl Design for Copied {
    const NAME: &'static str = "arcswap_copy";
    fn new(policy: Policy) -> Self {
        Copied {
            front: ArcSwap::from_pointee(policy),
            writer: Mutex::new(()),
        }
    }
    fn authorize(&self, subject: &Subject, action: Action, resource: ResourceId) -> Decision {
        self.front.load().authorize(subject, action, resource)
    }
    fn apply(&self, change: Change) -> Revision {
        let _turn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let mut next = Policy::clone(&self.front.load());
        let revision = next.apply(change).expect("the change applies");
        self.front.store(Arc::new(next));
        revision
    }
    fn revision(&self) -> Revision {
        self.front.load().revision()
    }
}

/// A grant of `viewer` on `scope` to `team`, and its revocation, in turn:
/// the model stays the same size however long a benchmark writes.
struct Toggle {
    grant: Change,
    revoke: Change,
    on: bool,
}

impl Toggle {
    fn new(team: String, scope: String) -> Toggle {
        Toggle {
            grant: Change::Grant {
                grantee: Grantee::team(team.clone()),
                scope: scope.clone(),
                role: "viewer".into(),
                effect: Effect::Allow,
                when: Condition::Always,
                by: None,
            },
            revoke: Change::Revoke {
                grantee: Grantee::team(team),
                scope,
                role: "viewer".into(),
                effect: Effect::Allow,
                by: None,
            },
            on: false,
        }
    }

    fn standard() -> Toggle {
        Toggle::new(common::team_name(48), common::folder_name(4, 2))
    }

    fn scale(spec: Spec) -> Toggle {
        Toggle::new(
            scale::team_name(0, 0),
            scale::folder_name(0, spec.workspaces_per_tenant() - 1, 9, 0),
        )
    }

    fn next(&mut self) -> Change {
        self.on = !self.on;
        if self.on {
            self.grant.clone()
        } else {
            self.revoke.clone()
        }
    }
}

fn decide_all<D: Design>(design: &D, requests: &[Request]) -> u32 {
    let allowed = requests
        .iter()
        .map(|(subject, action, resource)| {
            u32::from(design.authorize(subject, *action, *resource).is_allowed())
        })
        .sum();
    black_box(allowed)
}

/// Applies a change every `1 / rate` seconds on its own thread until
/// `stop`, sleeping in between (on an absolute schedule, so the rate holds
/// however long each write takes and however late a sleep ends), and
/// counts the writes. With `apply` false it wakes on the same schedule and
/// applies nothing: the control that shows what the wake-ups alone cost.
/// Returns the toggle and the thread's CPU time.
fn writer<D: Design>(
    design: Arc<D>,
    mut toggle: Toggle,
    rate: u64,
    apply: bool,
    stop: Arc<AtomicBool>,
    writes: Arc<AtomicU64>,
) -> thread::JoinHandle<(Toggle, Option<Duration>)> {
    thread::spawn(move || {
        let cpu = thread_cpu();
        let period = Duration::from_secs(1) / rate as u32;
        let mut next = Instant::now();
        while !stop.load(Ordering::Relaxed) {
            if apply {
                design.apply(toggle.next());
            }
            writes.fetch_add(1, Ordering::Relaxed);
            next += period;
            // A late wake-up (the machine's timer slack, other work) is
            // made up by writing without sleeping, up to 10 ms behind.
            let now = Instant::now();
            if next > now {
                thread::sleep(next - now);
            } else if now - next > Duration::from_millis(10) {
                next = now;
            }
        }
        (toggle, cpu_since(cpu))
    })
}

/// The CPU time the calling thread has run (Linux's
/// `/proc/thread-self/schedstat`, in nanoseconds), `None` elsewhere.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// The calling thread's CPU time since `start` (a [`thread_cpu`]).
fn cpu_since(start: Option<Duration>) -> Option<Duration> {
    Some(thread_cpu()?.saturating_sub(start?))
}

/// What [`read_throughput`] measured.
struct Reads {
    /// Decisions a second of wall-clock time, both readers together.
    per_second: f64,
    /// Decisions per second of the readers' own CPU time (NaN where the
    /// OS does not say): what the readers get done with the CPU they get,
    /// whatever else the machine runs.
    per_cpu_second: f64,
    /// Writes a second.
    writes: f64,
    /// The writer's CPU time as a share of one core (0 without a writer).
    writer_cpu: f64,
}

/// Decisions per second of two reader threads over `requests` for
/// `duration`, with a writer at `rate` changes a second (none at 0; with
/// `apply` false, one that wakes as often and applies nothing), and the
/// writes per second it reached.
fn read_throughput<D: Design>(
    design: &Arc<D>,
    requests: &Arc<Vec<Request>>,
    toggle: Toggle,
    (rate, apply): (u64, bool),
    duration: Duration,
) -> (Reads, Toggle) {
    let stop = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(AtomicU64::new(0));
    let (writing, idle) = if rate > 0 {
        let writing = writer(
            Arc::clone(design),
            toggle,
            rate,
            apply,
            Arc::clone(&stop),
            Arc::clone(&writes),
        );
        (Some(writing), None)
    } else {
        (None, Some(toggle))
    };
    let start = Instant::now();
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (design, requests) = (Arc::clone(design), Arc::clone(requests));
            thread::spawn(move || {
                let cpu = thread_cpu();
                let mut decided = 0u64;
                while start.elapsed() < duration {
                    decide_all(&*design, &requests);
                    decided += requests.len() as u64;
                }
                (decided, cpu_since(cpu))
            })
        })
        .collect();
    let (decided, cpu) = readers
        .into_iter()
        .map(|reader| reader.join().expect("reader"))
        .fold((0u64, Some(Duration::ZERO)), |(n, cpu), (decided, used)| {
            (n + decided, cpu.zip(used).map(|(a, b)| a + b))
        });
    let elapsed = start.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let (toggle, writer_cpu) = match (writing, idle) {
        (Some(writing), _) => writing.join().expect("writer"),
        (None, Some(toggle)) => (toggle, Some(Duration::ZERO)),
        (None, None) => unreachable!("one of the two holds the toggle"),
    };
    let reads = Reads {
        per_second: decided as f64 / elapsed,
        per_cpu_second: cpu.map_or(f64::NAN, |cpu| decided as f64 / cpu.as_secs_f64()),
        writes: writes.load(Ordering::Relaxed) as f64 / elapsed,
        writer_cpu: writer_cpu.map_or(f64::NAN, |cpu| cpu.as_secs_f64() / elapsed),
    };
    (reads, toggle)
}

/// Per write: how long `apply` took, and how long after it returned a
/// reader spinning on another thread saw the new revision (0 when it saw
/// it before `apply` returned). Medians and maxima over `writes` writes,
/// spaced out so that each starts with the reader idle.
fn write_latency<D: Design>(design: &Arc<D>, toggle: &mut Toggle, writes: usize) -> Latency {
    let stop = Arc::new(AtomicBool::new(false));
    let seen_at = Arc::new(Mutex::new(Vec::<(Revision, Instant)>::with_capacity(
        writes,
    )));
    let watcher = {
        let (design, stop, seen_at) = (Arc::clone(design), Arc::clone(&stop), Arc::clone(&seen_at));
        thread::spawn(move || {
            let mut last = design.revision();
            let mut seen = Vec::with_capacity(writes);
            while !stop.load(Ordering::Relaxed) {
                let now = design.revision();
                if now != last {
                    seen.push((now, Instant::now()));
                    last = now;
                }
            }
            *seen_at.lock().expect("watcher") = seen;
        })
    };
    let mut returned = Vec::with_capacity(writes);
    let mut took = Vec::with_capacity(writes);
    for _ in 0..writes {
        thread::sleep(Duration::from_millis(2));
        let start = Instant::now();
        let revision = design.apply(toggle.next());
        let end = Instant::now();
        returned.push((revision, end));
        took.push(end - start);
    }
    thread::sleep(Duration::from_millis(5));
    stop.store(true, Ordering::Relaxed);
    watcher.join().expect("watcher");
    let seen = seen_at.lock().expect("watcher");
    let mut visible: Vec<Duration> = returned
        .iter()
        .filter_map(|(revision, end)| {
            let (_, at) = seen.iter().find(|(seen, _)| seen == revision)?;
            Some(at.saturating_duration_since(*end))
        })
        .collect();
    Latency {
        apply: summary(&mut took),
        visible: summary(&mut visible),
        missed: writes - visible.len(),
    }
}

struct Latency {
    apply: (Duration, Duration),
    visible: (Duration, Duration),
    /// Writes the watcher did not see on their own (overtaken by the next).
    missed: usize,
}

/// (median, maximum)
fn summary(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let median = samples.get(samples.len() / 2).copied().unwrap_or_default();
    (median, samples.last().copied().unwrap_or_default())
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN)
}

fn authorize(c: &mut Criterion) {
    let policy = common::standard_policy();
    let (subject, action, resource) = common::cases(&policy).allowed_team_folder;
    let live = LivePolicy::new(policy.clone());
    assert!(live.authorize(&subject, action, resource).is_allowed());

    let mut group = c.benchmark_group("authorize");
    group.bench_function("allowed_team_folder", |b| {
        b.iter(|| policy.authorize(black_box(&subject), black_box(action), black_box(resource)))
    });
    group.finish();
    let mut group = c.benchmark_group("live");
    group.bench_function("authorize", |b| {
        b.iter(|| live.authorize(black_box(&subject), black_box(action), black_box(resource)))
    });
    group.finish();

    let mut group = c.benchmark_group("designs");
    let rwlock = Locked::new(policy.clone());
    group.bench_function("rwlock/authorize", |b| {
        b.iter(|| rwlock.authorize(black_box(&subject), black_box(action), black_box(resource)))
    });
    let copied = Copied::new(policy);
    group.bench_function("arcswap_copy/authorize", |b| {
        b.iter(|| copied.authorize(black_box(&subject), black_box(action), black_box(resource)))
    });
    group.finish();
}

/// Two readers, with and without a writer at 10,000 changes a second; one
/// iteration is both readers deciding the 10,000 random requests.
fn read_under_writes(c: &mut Criterion) {
    let policy = common::standard_policy();
    let requests = Arc::new(common::random_requests(&policy, 10_000));
    let live = Arc::new(LivePolicy::new(policy));
    let mut group = c.benchmark_group("live");
    group.sample_size(20);
    group.throughput(Throughput::Elements(2 * requests.len() as u64));
    for rate in [0u64, 10_000] {
        group.bench_with_input(
            BenchmarkId::new("read_under_writes", rate),
            &rate,
            |b, &rate| {
                b.iter_custom(|iters| {
                    let stop = Arc::new(AtomicBool::new(false));
                    let writes = Arc::new(AtomicU64::new(0));
                    let writing = (rate > 0).then(|| {
                        writer(
                            Arc::clone(&live),
                            Toggle::standard(),
                            rate,
                            true,
                            Arc::clone(&stop),
                            writes,
                        )
                    });
                    let start = Instant::now();
                    thread::scope(|scope| {
                        for _ in 0..2 {
                            scope.spawn(|| {
                                for _ in 0..iters {
                                    decide_all(&*live, &requests);
                                }
                            });
                        }
                    });
                    let elapsed = start.elapsed();
                    stop.store(true, Ordering::Relaxed);
                    if let Some(writing) = writing {
                        // The toggle may end granted: the next sample's
                        // writer then starts with a revoke that fails, so
                        // put it back.
                        let (toggle, _) = writing.join().expect("writer");
                        if toggle.on {
                            Design::apply(&*live, toggle.revoke);
                        }
                    }
                    elapsed
                })
            },
        );
    }
    group.finish();
}

/// The designs in alternation, printed (see the file's docs).
fn alternating(_: &mut Criterion) {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    if !filters.is_empty()
        && !filters
            .iter()
            .any(|f| "live_alternating".contains(f.as_str()))
    {
        return;
    }
    let rounds: usize = std::env::var("LIVE_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);

    // One decision: bare, live, rwlock, arcswap_copy, in turn, 200,000 of
    // each a round (a few milliseconds: many rounds miss the machine's
    // other work entirely, so the minimum is the undisturbed cost).
    let policy = common::standard_policy();
    let (subject, action, resource) = common::cases(&policy).allowed_team_folder;
    let live = LivePolicy::new(policy.clone());
    let rwlock = Locked::new(policy.clone());
    let copied = Copied::new(policy.clone());
    const DECISIONS: u32 = 200_000;
    fn per_decision(mut decide: impl FnMut() -> Decision) -> f64 {
        let start = Instant::now();
        for _ in 0..DECISIONS {
            let _ = black_box(decide());
        }
        start.elapsed().as_nanos() as f64 / f64::from(DECISIONS)
    }
    let mut times = [(); 4].map(|()| Vec::new());
    for _ in 0..rounds * 6 {
        let (s, a, r) = (&subject, action, resource);
        times[0].push(per_decision(|| {
            policy.authorize(black_box(s), black_box(a), black_box(r))
        }));
        times[1].push(per_decision(|| {
            live.authorize(black_box(s), black_box(a), black_box(r))
        }));
        times[2].push(per_decision(|| {
            rwlock.authorize(black_box(s), black_box(a), black_box(r))
        }));
        times[3].push(per_decision(|| {
            copied.authorize(black_box(s), black_box(a), black_box(r))
        }));
    }
    let minimum = |t: &[f64]| t.iter().copied().fold(f64::INFINITY, f64::min);
    let [bare, live_ns, rwlock_ns, copied_ns] = times.each_mut().map(|t| (median(t), minimum(t)));
    println!(
        "live_alternating/authorize (allowed_team_folder, {} rounds of {DECISIONS}; median / \
         minimum): bare {:.2} / {:.2} ns; live {:.2} / {:.2} ns (+{:.2} / +{:.2}); rwlock \
         {:.2} / {:.2} ns (+{:.2} / +{:.2}); arcswap_copy {:.2} / {:.2} ns (+{:.2} / +{:.2})",
        rounds * 6,
        bare.0,
        bare.1,
        live_ns.0,
        live_ns.1,
        live_ns.0 - bare.0,
        live_ns.1 - bare.1,
        rwlock_ns.0,
        rwlock_ns.1,
        rwlock_ns.0 - bare.0,
        rwlock_ns.1 - bare.1,
        copied_ns.0,
        copied_ns.1,
        copied_ns.0 - bare.0,
        copied_ns.1 - bare.1,
    );
    drop((live, rwlock, copied));

    // Two readers, with and without a writer at 10,000 changes/s; and, as
    // a control, the live handle with a writer that wakes as often and
    // applies nothing (what the wake-ups alone cost the readers).
    let requests = Arc::new(common::random_requests(&policy, 10_000));
    let duration = Duration::from_millis(300);
    fn under_writes<D: Design>(
        policy: &Policy,
        requests: &Arc<Vec<Request>>,
        duration: Duration,
        apply: bool,
    ) -> impl FnMut() -> (Reads, Reads) {
        let design = Arc::new(D::new(policy.clone()));
        let requests = Arc::clone(requests);
        let mut toggle = Some(Toggle::standard());
        move || {
            let t = toggle.take().expect("toggle");
            let (quiet, t) = read_throughput(&design, &requests, t, (0, apply), duration);
            let (busy, t) = read_throughput(&design, &requests, t, (10_000, apply), duration);
            toggle = Some(t);
            (quiet, busy)
        }
    }
    let mut runs: Vec<(&str, Round)> = vec![
        (
            "live",
            Box::new(under_writes::<LivePolicy>(
                &policy, &requests, duration, true,
            )),
        ),
        (
            "live_idle_writer",
            Box::new(under_writes::<LivePolicy>(
                &policy, &requests, duration, false,
            )),
        ),
        (
            "rwlock",
            Box::new(under_writes::<Locked>(&policy, &requests, duration, true)),
        ),
        (
            "arcswap_copy",
            Box::new(under_writes::<Copied>(&policy, &requests, duration, true)),
        ),
    ];
    let mut samples: Vec<[Vec<f64>; 6]> = runs.iter().map(|_| Default::default()).collect();
    for _ in 0..rounds {
        for ((_, run), samples) in runs.iter_mut().zip(&mut samples) {
            let (quiet, busy) = run();
            samples[0].push(quiet.per_second / 1e6);
            samples[1].push(busy.per_second / 1e6);
            samples[2].push(busy.per_second / quiet.per_second);
            samples[3].push(busy.per_cpu_second / quiet.per_cpu_second);
            samples[4].push(busy.writes);
            samples[5].push(busy.writer_cpu);
        }
    }
    for ((name, _), samples) in runs.iter().zip(&mut samples) {
        let [quiet, busy, ratio, per_cpu, rate, writer_cpu] = samples.each_mut().map(|s| median(s));
        println!(
            "live_alternating/read_under_writes/{name}: two readers {quiet:.1} M decisions/s \
             without writes, {busy:.1} M/s with a writer at {rate:.0} changes/s: {:.1}% \
             ({:.1}% per reader CPU-second; the writer used {:.1}% of a core) (median of \
             {rounds} rounds of {} ms each)",
            ratio * 100.0,
            per_cpu * 100.0,
            writer_cpu * 100.0,
            duration.as_millis()
        );
    }
    drop(runs);

    // Write cost and write-to-visible latency.
    let writes = 200;
    let standard = common::standard_policy();
    latencies(
        "standard model (1,000 users)",
        &standard,
        Toggle::standard,
        writes,
    );
    drop(standard);
    let spec = Spec::users(10_000);
    let policy = scale::builder(spec).build().expect("scale model builds");
    latencies("10,000 users", &policy, || Toggle::scale(spec), writes);
    drop(policy);
    if std::env::var_os("LIVE_MILLION").is_some() {
        let spec = Spec::users(1_000_000);
        let policy = scale::builder(spec).build().expect("scale model builds");
        println!("(1,000,000 users: built)");
        latencies("1,000,000 users", &policy, || Toggle::scale(spec), writes);
    }
}

fn latencies(model: &str, policy: &Policy, toggle: impl Fn() -> Toggle, writes: usize) {
    fn one<D: Design>(model: &str, policy: &Policy, mut toggle: Toggle, writes: usize) {
        let build = Instant::now();
        let design = Arc::new(D::new(policy.clone()));
        let built = build.elapsed();
        let latency = write_latency(&design, &mut toggle, writes);
        println!(
            "live_alternating/write/{}: {model}: apply median {:?} (max {:?}), visible after \
             apply returned: median {:?} (max {:?}){}; handle built in {built:?}",
            D::NAME,
            latency.apply.0,
            latency.apply.1,
            latency.visible.0,
            latency.visible.1,
            if latency.missed > 0 {
                format!(", {} writes overtaken", latency.missed)
            } else {
                String::new()
            },
        );
    }
    one::<LivePolicy>(model, policy, toggle(), writes);
    one::<Locked>(model, policy, toggle(), writes);
    // A copy per change: a few writes suffice to see its cost.
    one::<Copied>(model, policy, toggle(), writes.min(10));
}

criterion_group!(benches, authorize, read_under_writes, alternating);
criterion_main!(benches);
