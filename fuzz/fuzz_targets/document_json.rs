//! Arbitrary bytes through JSON into `Policy::from_document` never panic;
//! reading and building a document of n bytes stays within a budget of
//! time and memory linear in n; a document that builds round-trips and
//! answers every question.
//!
//! The budget is counted by a global allocator that records the bytes live
//! and allocated while the document is read and built: the peak may not
//! pass [`PEAK_PER_BYTE`] times n (plus a constant), nor the bytes
//! allocated in all [`ALLOCATED_PER_BYTE`] times n, nor the wall time
//! [`NANOS_PER_BYTE`] per byte (a generous bound, for quadratic work that
//! allocates nothing). The seeds are small; to reach shapes that used to be
//! quadratic (role cycles, team grants times members), let inputs grow.
//!
//! Run: `cargo +nightly fuzz run document_json -- -max_len=65536` from the
//! repository root (seed corpus: `examples/policies/*.json`).
#![no_main]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use clearance::{Action, Channel, Policy, PolicyDocument, ResourceId, Subject, UserId};
use libfuzzer_sys::fuzz_target;

/// Peak heap bytes of reading and building, per byte of the document. A
/// built policy keeps about 200 bytes per role (a permission set per kind)
/// and the document and builder each hold a copy of every name, so a
/// document of short entries takes up to about 25 bytes per byte.
const PEAK_PER_BYTE: usize = 64;
/// Bytes allocated in all (freed or not), per byte of the document: the
/// work done, as far as it allocates.
const ALLOCATED_PER_BYTE: usize = 256;
/// Wall time per byte of the document, in nanoseconds (a 64 KiB document
/// may take 0.65 s, a hundred times what it needs, for instrumented builds).
const NANOS_PER_BYTE: u64 = 10_000;
/// What any document may take besides: the fixed costs of small ones.
const SLACK_BYTES: usize = 1 << 20;
const SLACK_TIME: Duration = Duration::from_millis(250);

/// Counts the bytes live, their peak, and the bytes allocated in all.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to `System` unchanged; only counters are
// added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Relaxed);
        record(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn record(size: usize) {
    let live = LIVE.fetch_add(size, Relaxed) + size;
    PEAK.fetch_max(live, Relaxed);
    ALLOCATED.fetch_add(size, Relaxed);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Reads and builds `data`, and checks that it stayed within the budget.
fn read_and_build(data: &[u8]) -> Option<Result<Policy, String>> {
    let live = LIVE.load(Relaxed);
    PEAK.store(live, Relaxed);
    let allocated = ALLOCATED.load(Relaxed);
    let started = Instant::now();
    let built = serde_json::from_slice::<PolicyDocument>(data)
        .ok()
        .map(|document| Policy::from_document(&document).map_err(|error| error.to_string()));
    let elapsed = started.elapsed();
    let peak = PEAK.load(Relaxed) - live;
    let allocated = ALLOCATED.load(Relaxed) - allocated;
    let n = data.len();
    assert!(
        peak <= PEAK_PER_BYTE * n + SLACK_BYTES,
        "a {n}-byte document peaked at {peak} bytes of heap"
    );
    assert!(
        allocated <= ALLOCATED_PER_BYTE * n + SLACK_BYTES,
        "a {n}-byte document allocated {allocated} bytes"
    );
    assert!(
        elapsed <= SLACK_TIME + Duration::from_nanos(NANOS_PER_BYTE * n as u64),
        "a {n}-byte document took {elapsed:?}"
    );
    built
}

fuzz_target!(|data: &[u8]| {
    let policy = match read_and_build(data) {
        None => return,
        Some(Ok(policy)) => policy,
        // The message was made within the budget: it is short.
        Some(Err(_)) => return,
    };
    let again = Policy::from_document(&policy.to_document());
    assert!(again.as_ref() == Ok(&policy), "a built document round-trips");
    // Every pair, up to 200 of each (one past the last id included), so
    // that large inputs stay quick.
    let resources = (policy.resource_count() as u32 + 1).min(200);
    let users = (policy.user_count() as u32 + 1).min(200);
    for resource in 0..resources {
        for user in 0..users {
            let subject = Subject::user(UserId::from_index(user), Channel::Web);
            let decision = policy.authorize(&subject, Action::Edit, ResourceId::from_index(resource));
            let _ = policy.explain(decision.reason()).to_string();
        }
    }
});
