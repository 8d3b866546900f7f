//! Memory grows with the network, not with its square: loading and
//! checking an enterprise of 5,000 sites takes about five times what one
//! of 1,000 takes (a table per pair of sites would take 25 times), and
//! asking for the CAC and WAN paths of a site's sessions adds a tree per
//! site asked about.
//!
//! The heap is measured by this test binary's own allocator: its peak
//! while loading, above what was in use before. One test only, so that
//! nothing else allocates meanwhile.

#[path = "common/synthetic.rs"]
mod synthetic;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use synthetic::{enterprise, Size};
use voicetwin::model::lint::lint;
use voicetwin::model::{load_str, SiteId};

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
fn loading_memory_grows_with_the_sites_not_their_pairs() {
    let peak = |sites: usize| {
        let size = Size { sites, trunks: 100, rules: 1000, pbxs: 4, policed: true };
        let text = enterprise(size);
        peak_of(|| {
            let m = load_str(&text, "sites.toml").unwrap();
            assert_eq!(lint(&m), vec![]);
            // The sessions of ten sites, to every site: ten trees.
            let mut elements = 0;
            for a in (0..sites).step_by(sites / 10) {
                for b in 0..sites {
                    let (a, b) = (SiteId::from_index(a), SiteId::from_index(b));
                    elements += m.cac_path(a, b).len();
                }
            }
            assert!(elements > sites);
        })
    };
    let (small, large) = (peak(1000), peak(5000));
    eprintln!("peak heap: {small} bytes with 1,000 sites, {large} with 5,000");
    assert!(large < 7 * small, "{small} bytes with 1,000 sites, {large} with 5,000");
    assert!(large < 200 << 20, "{large} bytes with 5,000 sites");
}
