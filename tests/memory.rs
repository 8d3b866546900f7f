//! Memory is flat in replications: a run folds each replication into
//! running sums and drops it, so ten times the replications need no more
//! memory (docs/results.md, "How a figure is estimated").
//!
//! The heap is measured by this test binary's own allocator: its peak
//! over a run, above what was in use before it. One test only, so that
//! nothing else allocates meanwhile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use voicetwin::analysis::run::{run, run_paired};
use voicetwin::analysis::summary::summarize;
use voicetwin::scenario::{builtin, load_str};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = IN_USE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is passed on to `System` unchanged; only counters
// are updated beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            IN_USE.fetch_sub(layout.size(), Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak heap while `f` runs, above the heap in use before it.
fn peak_of(f: impl FnOnce()) -> usize {
    let before = IN_USE.load(Relaxed);
    PEAK.store(before, Relaxed);
    f();
    PEAK.load(Relaxed) - before
}

#[test]
fn ten_times_the_replications_need_no_more_memory() {
    // Three hours of the textbook loss system: a replication holds about
    // 300 kB (its post-dial delay histogram, MOS bins, time buckets).
    let text = builtin("single-trunk-group").unwrap().replace("duration = \"24h\"", "duration = \"3h\"");
    let (mut sc, m) = load_str(&text, "short.toml", None, &Default::default()).unwrap();
    let mut peak = |reps: u32| {
        sc.replications = reps;
        peak_of(|| {
            let results = run(&m, &sc, 2).unwrap();
            assert_eq!(summarize(&m, &sc, &results).scenario.replications, reps);
        })
    };
    let (few, many) = (peak(40), peak(400));
    eprintln!("peak heap: {few} bytes with 40 replications, {many} with 400");
    // Kept replications would take ten times as much; a batch at a time,
    // the same.
    assert!(many * 4 < few * 5, "{few} bytes with 40 replications, {many} with 400");

    // Paired runs (a failure and its baseline) too.
    let failure = "\n[[failure]]\nelement = \"peer:gw\"\nkind = \"scheduled\"\nat = \"1h30m\"\nduration = \"10m\"\n";
    let (mut sc, m) = load_str(&(text + failure), "failure.toml", None, &Default::default()).unwrap();
    let mut peak = |reps: u32| {
        sc.replications = reps;
        peak_of(|| {
            let paired = run_paired(&m, &sc, 2).unwrap();
            assert_eq!(paired.with.replications(), reps);
        })
    };
    let (few, many) = (peak(40), peak(400));
    eprintln!("paired peak heap: {few} bytes with 40 replications, {many} with 400");
    assert!(many * 4 < few * 5, "{few} bytes with 40 replications, {many} with 400");
}
