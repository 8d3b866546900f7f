//! Invariants of every run: calls are conserved, occupancy stays within
//! capacity, the same seed gives the same numbers on any thread count.

use proptest::prelude::*;
use voicetwin::analysis::results::Results;
use voicetwin::analysis::run::{replications, run, run_paired};
use voicetwin::analysis::summary::{impact, summarize};
use voicetwin::scenario::{builtin, load_str};
use voicetwin::sim::metrics::{Counts, Direction, Tally};

fn conserved_counts(c: &Counts) -> bool {
    c.offered == c.carried + c.blocked + c.not_authorized + c.failed + c.dropped
        && c.completed <= c.carried + c.dropped
        && c.blocked_full <= c.blocked
        && c.given_up <= c.blocked
        && c.redials <= c.offered
}

/// Every direction conserves its calls, and internal calls never need an
/// authorization nor come from a trunk.
fn conserved(t: &Tally) -> bool {
    t.directions.iter().all(conserved_counts)
        && conserved_counts(&t.total())
        && t.get(Direction::Internal).not_authorized == 0
}

fn busy_hour(seed: u64, scale: f64, reps: u32) -> (voicetwin::scenario::Scenario, voicetwin::model::Model) {
    let (mut sc, model) = load_str(builtin("busy-hour").unwrap(), "busy-hour.toml", None, &Default::default()).unwrap();
    sc.seed = seed;
    sc.replications = reps;
    for s in &mut sc.sources {
        s.rate_per_s *= scale;
    }
    (sc, model)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Under any load, up to heavy overload: offered = carried + blocked +
    /// not authorized + failed, overall, per site and per source; no
    /// resource is ever above its capacity.
    #[test]
    fn calls_are_conserved_and_capacity_holds(seed in any::<u64>(), scale in 0.05f64..4.0) {
        let (sc, model) = busy_hour(seed, scale, 2);
        for r in replications(&model, &sc, 1).unwrap() {
            prop_assert!(conserved(&r.counts), "{:?}", r.counts);
            for c in r.per_site.iter().chain(&r.per_source) {
                prop_assert!(conserved(c), "{c:?}");
            }
            let per_site: u64 = r.per_site.iter().map(|c| c.total().offered).sum();
            prop_assert_eq!(per_site, r.counts.total().offered);
            let per_source: u64 = r.per_source.iter().map(|c| c.pstn().blocked).sum();
            prop_assert_eq!(per_source, r.counts.pstn().blocked);
            for o in r.peers.iter().chain(&r.trunks).chain(&r.mediation_pools) {
                if let Some(cap) = o.capacity {
                    prop_assert!(o.peak <= cap, "peak {} over capacity {cap}", o.peak);
                }
                prop_assert_eq!(o.in_use, 0, "every seized resource is released by the end");
                prop_assert!(o.area() >= 0.0 && o.rejected <= o.attempts);
                // A refused call either overflowed or was lost, once per element.
                prop_assert!(o.overflowed + o.lost <= o.rejected);
            }
        }
    }
}

#[test]
fn overload_blocks_and_still_conserves() {
    let (sc, model) = busy_hour(7, 6.0, 2);
    let reps = replications(&model, &sc, 2).unwrap();
    let s = summarize(&model, &sc, &Results::of(&model, &sc, &reps));
    let gos = s.grade_of_service.expect("calls needed the PSTN side");
    assert!(gos.mean > 0.05, "six times the busy hour must block: {gos:?}");
    assert!(s.calls.failed_over.mean > 0.0);
    for r in &reps {
        assert!(conserved(&r.counts));
    }
}

#[test]
fn same_seed_same_numbers_on_any_thread_count() {
    // 20 replications: batches of 8 per thread end at 8, 16 or 24, so
    // the folds cross batch edges at different places.
    let (sc, model) = busy_hour(2013, 0.5, 20);
    let summary =
        |threads| serde_json::to_string(&summarize(&model, &sc, &run(&model, &sc, threads).unwrap())).unwrap();
    let one = summary(1);
    assert_eq!(one, summary(2));
    assert_eq!(one, summary(3));
    // Folded as they come, or all kept and folded after: the same.
    let kept = Results::of(&model, &sc, &replications(&model, &sc, 2).unwrap());
    assert_eq!(one, serde_json::to_string(&summarize(&model, &sc, &kept)).unwrap());
    let (sc2, _) = busy_hour(2014, 0.5, 20);
    let other = serde_json::to_string(&summarize(&model, &sc2, &run(&model, &sc2, 2).unwrap())).unwrap();
    assert_ne!(one, other, "another seed draws other samples");
}

#[test]
fn paired_runs_are_the_same_on_any_thread_count() {
    let (mut sc, model) =
        load_str(builtin("gateway-failover").unwrap(), "gateway-failover.toml", None, &Default::default()).unwrap();
    sc.replications = 20;
    let summary = |threads| {
        let p = run_paired(&model, &sc, threads).unwrap();
        let mut s = summarize(&model, &sc, &p.with);
        s.failure_impact = p.impact.as_ref().map(|i| impact(&model, i));
        serde_json::to_string(&s).unwrap()
    };
    let one = summary(1);
    assert!(one.contains("\"failure_impact\":{"), "the failures' impact is measured");
    assert_eq!(one, summary(2));
    assert_eq!(one, summary(3));
}

#[test]
fn replications_differ_from_each_other() {
    let (sc, model) = busy_hour(1, 1.0, 3);
    let reps = replications(&model, &sc, 2).unwrap();
    assert_ne!(reps[0].counts, reps[1].counts);
    assert_ne!(reps[1].counts, reps[2].counts);
}
