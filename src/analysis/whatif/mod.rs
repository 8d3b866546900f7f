//! What-if analysis: fail each element (or each pair) for the scenario's
//! window, one case at a time, each paired with the same calls without the
//! failure, and rank the elements by the calls their loss costs.
//!
//! Beside the simulated figures, each case says what it leaves of the
//! routes (`routes`): the share of each site's PSTN calls with no route
//! left, and each site's emergency numbers.

use crate::analysis::AnalysisError;

use crate::model::Model;
use crate::pattern::limit::LimitHits;
use crate::scenario::{Failure, FailureTarget, FailureTiming, Scenario};
use crate::sim::run_replication;
use crate::traffic::Origin;

use super::figures::count;
use super::paired::ImpactSums;
use super::results::Results;
use super::schema::whatif::EmergencyLost;
pub use super::schema::whatif::{CaseResult, WhatIfResults, SCHEMA_VERSION};
use super::stats::Estimate;
use super::summary::impact;
use super::workers::Workers;

mod cases;
pub mod routes;

pub use cases::{cases, elements, CasePlan, Cases};

/// The time buckets of the what-if window: from the one it starts in to
/// the one it ends in.
fn window_buckets(sc: &Scenario) -> (usize, usize) {
    let w = &sc.whatif;
    let bucket = sc.bucket.0;
    ((w.at / bucket) as usize, (w.at + w.duration).div_ceil(bucket) as usize)
}

/// A grade of service for ranking: none counts as no change.
fn gos_mean(e: &Option<Estimate>) -> f64 {
    e.map_or(0.0, |e| e.mean)
}

/// `us` µs into a run that starts at `start_hour` o'clock, as a clock
/// time: `10:22:30` (`10:22` on the minute), `day 2 09:15` past midnight.
pub fn clock(start_hour: u8, us: u64) -> String {
    let s = us / 1_000_000 + u64::from(start_hour) * 3600;
    let (day, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    let time = if sec == 0 { format!("{h:02}:{m:02}") } else { format!("{h:02}:{m:02}:{sec:02}") };
    if day == 0 {
        time
    } else {
        format!("day {} {time}", day + 1)
    }
}

/// `base` with only the case's failures, over the what-if window.
fn scenario_for(model: &Model, base: &Scenario, case: &[FailureTarget]) -> Scenario {
    let w = &base.whatif;
    let failures = case
        .iter()
        .map(|t| Failure {
            name: t.label(model),
            target: *t,
            trunks: t.trunks(model),
            timing: FailureTiming::Scheduled { at: w.at, duration: w.duration },
            mode: Some(w.mode),
            reject_fraction: 0.0,
            slow_fraction: 0.0,
        })
        .collect();
    Scenario { failures, ..base.clone() }
}

/// One case on its way: its scenario and the sums of its pairs so far.
struct Case {
    plan: CasePlan,
    scenario: Scenario,
    sums: ImpactSums,
    /// Matching-limit hits of its replications with the failure.
    limit_hits: LimitHits,
    /// Blocked, dropped and failed calls of each replication of the
    /// current batch, with the failure.
    batch: Vec<[u64; 3]>,
    /// For a pair: whether each of its singles has had the same calls in
    /// every replication so far.
    same_as_single: [bool; 2],
}

/// Runs the what-if analysis of `scenario` on `threads` threads, telling
/// `progress` each time some case replications have run: how many more,
/// and how many there are in all. Results do not depend on the thread
/// count.
///
/// A batch of baseline replications at a time is run and kept; every
/// case then runs the same replications and folds each pair (with its
/// failure, without) in index order. Memory holds one batch of
/// baselines and each case's sums, whatever the number of replications.
pub fn run_whatif(
    model: &Model,
    scenario: &Scenario,
    threads: usize,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<WhatIfResults, AnalysisError> {
    let workers = Workers::new(threads)?;
    let baseline_sc = Scenario { failures: Vec::new(), ..scenario.clone() };
    // With a precision target, the baseline's headline figures decide how
    // many replications every case runs (the pairs below run the same
    // replications again, in the same order: the same figures).
    let (reps, precision) = match scenario.precision {
        Some(_) => {
            let (results, precision) = crate::analysis::run::run_precise(model, &baseline_sc, threads)?;
            (results.replications(), precision)
        }
        None => (scenario.replications, None),
    };
    let (b0, b1) = window_buckets(scenario);
    let mut baseline = Results::new(model, &baseline_sc).with_window(b0, b1);
    let plan = cases(model, &elements(model, &scenario.whatif.classes), scenario.whatif.k);
    let mut cases: Vec<Case> = plan
        .cases
        .into_iter()
        .map(|plan| {
            let sc = scenario_for(model, scenario, &plan.targets);
            Case {
                sums: ImpactSums::new(model, &sc),
                scenario: sc,
                same_as_single: [plan.singles.is_some(); 2],
                plan,
                limit_hits: LimitHits::default(),
                batch: Vec::new(),
            }
        })
        .collect();
    fold_pairs(model, &baseline_sc, reps, &workers, &mut baseline, &mut cases, progress);
    let prepared = routes::Prepared::new(model, scenario);
    let mut results: Vec<Option<CaseResult>> = vec![None; cases.len()];
    {
        let mut slots: Vec<(&Case, &mut Option<CaseResult>)> = cases.iter().zip(results.iter_mut()).collect();
        workers.for_each_mut(&mut slots, |(case, slot)| **slot = Some(case_result(model, &prepared, case)));
    }
    let mut results: Vec<CaseResult> = results.into_iter().flatten().collect();
    // A pair with the same calls as one of its singles in every
    // replication is folded into that single (the first, if both).
    let mut pairs_folded = 0;
    let mut keep = vec![true; cases.len()];
    for (i, case) in cases.iter().enumerate() {
        let Some(singles) = case.plan.singles else { continue };
        if let Some(k) = (0..2).find(|&k| case.same_as_single[k]) {
            keep[i] = false;
            pairs_folded += 1;
            let label = results[i].label();
            results[singles[k]].folded_pairs.push(label);
        }
    }
    let mut results: Vec<CaseResult> =
        results.into_iter().zip(keep).filter_map(|(r, keep)| keep.then_some(r)).collect();
    // Calls lost, then grade of service, PDD, name (schema::whatif::ORDER).
    let pdd = |c: &CaseResult| c.pdd_delta_ms.map_or(0.0, |e| e.mean);
    results.sort_by(|a, b| {
        b.calls_lost
            .mean
            .total_cmp(&a.calls_lost.mean)
            .then(gos_mean(&b.grade_of_service_delta).total_cmp(&gos_mean(&a.grade_of_service_delta)))
            .then(pdd(b).total_cmp(&pdd(a)))
            .then(a.elements.cmp(&b.elements))
    });
    for (i, r) in results.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    let mut pattern_limit_hits = baseline.pattern_limit_hits.clone();
    cases.iter().for_each(|c| pattern_limit_hits.add(&c.limit_hits));
    let w = &scenario.whatif;
    let to = (w.at + w.duration).min(scenario.duration.0);
    Ok(WhatIfResults {
        schema_version: SCHEMA_VERSION,
        scenario: scenario.name.clone(),
        model: model.source.clone(),
        network: model.name.clone(),
        classes: w.classes.clone(),
        k: w.k,
        mode: w.mode,
        window_from_s: w.at as f64 / 1e6,
        window_to_s: to as f64 / 1e6,
        window_from_clock: clock(scenario.start_hour, w.at),
        window_to_clock: clock(scenario.start_hour, to),
        replications: reps,
        seed: scenario.seed,
        precision,
        baseline_grade_of_service: baseline.grade_of_service(),
        baseline_blocked: count(&baseline.counts.total.blocked),
        baseline_grade_of_service_during: baseline.window_grade_of_service(0),
        pairs_skipped: plan.pairs_skipped,
        pairs_folded,
        emergency_sites: prepared.emergency_sites.clone(),
        emergency: prepared.baseline.clone(),
        results,
        pattern_limit_hits,
    })
}

/// Folds replications `0..reps` of the baseline into `baseline` and,
/// paired with each, the same replication of every case into the case's
/// sums: a batch of baselines at a time, each case running the batch in
/// one thread, in index order. After each batch, each pair's calls are
/// compared with its singles', replication by replication.
fn fold_pairs(
    model: &Model,
    baseline_sc: &Scenario,
    reps: u32,
    workers: &Workers,
    baseline: &mut Results,
    cases: &mut [Case],
    progress: &(dyn Fn(u64, u64) + Sync),
) {
    let total = cases.len() as u64 * u64::from(reps);
    let mut start = 0;
    while start < reps {
        let end = start.saturating_add(workers.batch()).min(reps);
        let mut batch = Vec::with_capacity((end - start) as usize);
        workers.in_order(start..end, |i| run_replication(model, baseline_sc, i), |r| batch.push(r));
        batch.iter().for_each(|r| baseline.fold(r));
        workers.for_each_mut(cases, |case| {
            case.batch.clear();
            for without in &batch {
                let with = run_replication(model, &case.scenario, without.index);
                case.sums.fold(&with, without);
                case.limit_hits.add(&with.pattern_limit_hits);
                let c = with.counts.total();
                case.batch.push([c.blocked, c.dropped, c.failed]);
            }
            progress(u64::from(end - start), total);
        });
        for i in 0..cases.len() {
            let Some(singles) = cases[i].plan.singles else { continue };
            for (k, &s) in singles.iter().enumerate() {
                let same = cases[i].batch == cases[s].batch;
                cases[i].same_as_single[k] &= same;
            }
        }
        start = end;
    }
}

/// A case's figures: its paired differences, and what its failure cuts
/// off. Its window is the what-if window ([`scenario_for`]).
fn case_result(model: &Model, prepared: &routes::Prepared, case: &Case) -> CaseResult {
    let imp = impact(model, &case.sums);
    let targets = &case.plan.targets;
    // A pool with every server failed takes its trunks down too.
    let down = routes::trunks_down(model, targets);
    let reach = routes::Down::of(model, targets);
    let count_of = |f: &dyn Fn(&FailureTarget) -> Vec<usize>| {
        let mut all: Vec<usize> = targets.iter().flat_map(f).collect();
        all.sort_unstable();
        all.dedup();
        all.len()
    };
    let window = imp.windows.first();
    let blocked_in_window = window.map(|w| w.blocked_difference).unwrap_or(imp.blocked);
    let routes = prepared.check(targets);
    let emergency_lost = routes
        .emergency
        .iter()
        .zip(&prepared.baseline)
        .filter(|(now, before)| before.reached && !now.reached)
        .map(|(now, before)| EmergencyLost {
            site: now.site.clone(),
            number: now.number.clone(),
            peers_without_failure: before.peers.clone(),
        })
        .collect();
    CaseResult {
        rank: 0,
        elements: targets.iter().map(|t| t.label(model)).collect(),
        trunks_down: down.len(),
        links_down: count_of(&|t| t.links(model).iter().map(|l| l.index()).collect()),
        registrar_pools_down: count_of(&|t| t.registrar_pools(model).iter().map(|r| r.index()).collect()),
        calls_lost: imp.calls_lost,
        blocked: imp.blocked,
        dropped: imp.dropped,
        grade_of_service_during: window.and_then(|w| w.grade_of_service_with),
        grade_of_service_delta: imp.grade_of_service,
        pdd_delta_ms: imp.pdd_mean_ms,
        isolated_sites: routes.pstn_cut.iter().filter(|c| c.share >= 1.0).map(|c| c.site.clone()).collect(),
        pstn_cut: routes.pstn_cut,
        emergency_lost,
        emergency: routes.emergency,
        inbound_cut: case
            .scenario
            .sources
            .iter()
            .filter(|s| matches!(s.origin, Origin::Trunk(t) if !reach.inbound(t)))
            .map(|s| s.name.clone())
            .collect(),
        absorbed: blocked_in_window.ci95_low <= 0.0 && blocked_in_window.mean < 0.5,
        folded_pairs: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn the_window_is_written_in_clock_time() {
        assert_eq!(clock(9, 15 * 60 * 1_000_000), "09:15");
        assert_eq!(clock(10, 1350 * 1_000_000), "10:22:30");
        assert_eq!(clock(23, 2 * 3600 * 1_000_000), "day 2 01:00");
        assert_eq!(clock(0, 0), "00:00");
    }
}
