//! What-if analysis: fail each element (or each pair) for the scenario's
//! window, one case at a time, each paired with the same calls without the
//! failure, and rank the elements by what their loss costs.

use crate::analysis::AnalysisError;
use std::collections::BTreeSet;

use crate::model::{Model, TrunkId};
use crate::pattern::limit::LimitHits;
use crate::scenario::{ElementClass, Failure, FailureTarget, FailureTiming, Scenario};
use crate::sim::{run_replication, WanState};
use crate::traffic::Origin;

use super::figures::count;
use super::paired::ImpactSums;
use super::results::Results;
pub use super::schema::whatif::{CaseResult, WhatIfResults, SCHEMA_VERSION};
use super::stats::Estimate;
use super::summary::impact;
use super::workers::Workers;

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

/// Every element of `classes`, in model order.
pub fn elements(model: &Model, classes: &[ElementClass]) -> Vec<FailureTarget> {
    classes.iter().flat_map(|c| FailureTarget::all_of(*c, model)).collect()
}

/// The cases: each element alone, or each pair.
pub fn cases(elements: &[FailureTarget], k: u8) -> Vec<Vec<FailureTarget>> {
    if k <= 1 {
        return elements.iter().map(|e| vec![*e]).collect();
    }
    let mut out = Vec::new();
    for i in 0..elements.len() {
        for j in i + 1..elements.len() {
            out.push(vec![elements[i], elements[j]]);
        }
    }
    out
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

/// Sites whose users have no PSTN access left: no Registrar they can
/// reach, or no trunk of the routes their policies reach that is up and
/// reachable over the WAN (signalling from the Registrar, media from the
/// users, Mediation to peer).
fn isolated_sites(
    model: &Model,
    down: &BTreeSet<TrunkId>,
    cuts: &[crate::model::LinkId],
    registrars_down: &[crate::model::RegistrarPoolId],
) -> Vec<String> {
    let mut wan = WanState::new(model);
    for l in cuts {
        wan.set(model, *l, true);
    }
    let registrar = |g: &crate::model::UserGroup| {
        let primary = &model.registrar_pools[g.registrar_pool.index()];
        if wan.connected(g.site, primary.site) && !registrars_down.contains(&g.registrar_pool) {
            return Some(primary.site);
        }
        let b = primary.backup_registrar.filter(|b| !registrars_down.contains(b))?;
        let backup = model.registrar_pools[b.index()].site;
        wan.connected(g.site, backup).then_some(backup)
    };
    let mut out = Vec::new();
    for (s, site) in model.sites.iter().enumerate() {
        let groups: Vec<_> = model.user_groups.iter().filter(|g| g.site.index() == s).collect();
        if groups.is_empty() {
            continue;
        }
        let any_access = groups.iter().any(|g| {
            let Some(anchor) = registrar(g) else { return false };
            model
                .voice_policy(g.voice_policy)
                .pstn_usages
                .iter()
                .flat_map(|u| model.usage_routes[u.index()].iter())
                .flat_map(|r| model.route(*r).trunks.iter())
                .any(|t| {
                    let trunk = model.trunk(*t);
                    let ms = model.mediation_pool(trunk.mediation_pool).site;
                    !down.contains(t)
                        && wan.connected(anchor, ms)
                        && wan.connected(g.site, ms)
                        && wan.connected(ms, model.peer(trunk.peer).site)
                })
        });
        if !any_access {
            out.push(site.name.clone());
        }
    }
    out
}

/// One case on its way: its scenario and the sums of its pairs so far.
struct Case {
    targets: Vec<FailureTarget>,
    scenario: Scenario,
    sums: ImpactSums,
    /// Matching-limit hits of its replications with the failure.
    limit_hits: LimitHits,
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
    let mut cases: Vec<Case> = cases(&elements(model, &scenario.whatif.classes), scenario.whatif.k)
        .into_iter()
        .map(|targets| {
            let sc = scenario_for(model, scenario, &targets);
            Case { sums: ImpactSums::new(model, &sc), scenario: sc, targets, limit_hits: LimitHits::default() }
        })
        .collect();
    fold_pairs(model, &baseline_sc, reps, &workers, &mut baseline, &mut cases, progress);
    let mut results: Vec<CaseResult> = cases.iter().map(|c| case_result(model, &c.scenario, c)).collect();
    // Sites cut off first, then calls lost, grade of service, PDD, name.
    let pdd = |c: &CaseResult| c.pdd_delta_ms.map_or(0.0, |e| e.mean);
    results.sort_by(|a, b| {
        b.isolated_sites
            .len()
            .cmp(&a.isolated_sites.len())
            .then(b.calls_lost.mean.total_cmp(&a.calls_lost.mean))
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
    Ok(WhatIfResults {
        schema_version: SCHEMA_VERSION,
        scenario: scenario.name.clone(),
        model: model.source.clone(),
        classes: w.classes.clone(),
        k: w.k,
        mode: w.mode,
        window_from_s: w.at as f64 / 1e6,
        window_to_s: (w.at + w.duration).min(scenario.duration.0) as f64 / 1e6,
        replications: reps,
        seed: scenario.seed,
        precision,
        baseline_grade_of_service: baseline.grade_of_service(),
        baseline_blocked: count(&baseline.counts.total.blocked),
        baseline_grade_of_service_during: baseline.window_grade_of_service(0),
        results,
        pattern_limit_hits,
    })
}

/// Folds replications `0..reps` of the baseline into `baseline` and,
/// paired with each, the same replication of every case into the case's
/// sums: a batch of baselines at a time, each case running the batch in
/// one thread, in index order.
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
            for without in &batch {
                let with = run_replication(model, &case.scenario, without.index);
                case.sums.fold(&with, without);
                case.limit_hits.add(&with.pattern_limit_hits);
            }
            progress(u64::from(end - start), total);
        });
        start = end;
    }
}

/// A case's figures: its paired differences, and what its failure cuts
/// off. Its window is the what-if window ([`scenario_for`]).
fn case_result(model: &Model, sc: &Scenario, case: &Case) -> CaseResult {
    let imp = impact(model, &case.sums);
    let down: BTreeSet<TrunkId> = case.targets.iter().flat_map(|t| t.trunks(model)).collect();
    let window = imp.windows.first();
    let blocked_in_window = window.map(|w| w.blocked_difference).unwrap_or(imp.blocked);
    CaseResult {
        rank: 0,
        elements: case.targets.iter().map(|t| t.label(model)).collect(),
        trunks_down: down.len(),
        calls_lost: imp.calls_lost,
        blocked: imp.blocked,
        dropped: imp.dropped,
        grade_of_service_during: window.and_then(|w| w.grade_of_service_with),
        grade_of_service_delta: imp.grade_of_service,
        pdd_delta_ms: imp.pdd_mean_ms,
        isolated_sites: isolated_sites(
            model,
            &down,
            &case
                .targets
                .iter()
                .filter_map(|t| match t {
                    FailureTarget::WanLink(l) => Some(*l),
                    _ => None,
                })
                .collect::<Vec<_>>(),
            &case
                .targets
                .iter()
                .filter_map(|t| match t {
                    FailureTarget::RegistrarPool(r) => Some(*r),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        ),
        inbound_cut: sc
            .sources
            .iter()
            .filter(|s| matches!(s.origin, Origin::Trunk(t) if down.contains(&t)))
            .map(|s| s.name.clone())
            .collect(),
        absorbed: blocked_in_window.ci95_low <= 0.0 && blocked_in_window.mean < 0.5,
    }
}
