//! Memory is flat in replications: a run folds each replication into
//! running sums and drops it, so ten times the replications need no more
//! memory (docs/results.md, "How a figure is estimated").
//!
//! The heap is measured by this test binary's own allocator: its peak
//! over a run, above what was in use before it. One test only, so that
//! nothing else allocates meanwhile.

#[path = "common/counting.rs"]
mod counting;

use counting::peak_of;

use voicetwin::analysis::run::{run, run_paired};
use voicetwin::analysis::summary::summarize;
use voicetwin::scenario::{builtin, load_str};

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
