//! N-1 sizing: any one peer, Mediation pool or Mediation Server failed.

use super::*;
use crate::analysis::AnalysisError;

/// `scenario` with `target` failed (rejecting every call with a 503) for
/// the whole run, so its traffic overflows as the routes send it.
pub(super) fn with_failure(model: &Model, scenario: &Scenario, target: FailureTarget) -> Scenario {
    let failure = Failure {
        name: target.label(model),
        target,
        trunks: target.trunks(model),
        timing: FailureTiming::Scheduled { at: 0, duration: scenario.duration.0 },
        mode: Some(FailureMode::Reject),
        reject_fraction: 0.0,
        slow_fraction: 0.0,
    };
    Scenario { failures: vec![failure], ..scenario.clone() }
}

/// Whether a second server of this pool would take calls when one fails:
/// a stand-alone pool behind DNS load balancing (a collocated pool has the
/// servers of what it is collocated on).
pub(super) fn can_add_servers(pool: &crate::model::MediationPool) -> bool {
    pool.kind == crate::model::MediationKind::StandAlone && pool.dns_load_balancing
}

/// The single failures N-1 sizes for: every sized peer, every Mediation
/// pool, and one server of each pool of more than one or that can have
/// more.
pub(super) fn n_minus_1_cases(model: &Model, sizes: &Sizes) -> Vec<FailureTarget> {
    let peers = sizes.peers.iter().map(|&(i, _)| FailureTarget::Peer(PeerId::from_index(i)));
    let pools = (0..model.mediation_pools.len()).map(|q| FailureTarget::MediationPool(MediationPoolId::from_index(q)));
    let servers = (0..model.mediation_pools.len())
        .filter(|q| sizes.servers[*q] > 1 || can_add_servers(&model.mediation_pools[*q]))
        .map(|q| FailureTarget::MediationServer(MediationPoolId::from_index(q), 0));
    peers.chain(pools).chain(servers).collect()
}

/// N-1: starting from the plan's sizes, while some single failure blocks
/// more than the target for want of capacity, the surviving element that
/// refused most in each such case grows. Calls lost to the failure
/// itself (no surviving candidate) are a routing gap: reported, not sized.
pub(super) fn plan_n_minus_1(
    model: &Model,
    sc: &Scenario,
    o: &PlanOptions,
    plan: &Sizes,
    progress: &dyn Fn(&str),
) -> Result<NMinus1, AnalysisError> {
    let mut sizes = plan.clone();
    // A server failure in a one-server pool is the pool's failure; where a
    // sibling would take the calls, N-1 needs one.
    for (n, pool) in sizes.servers.iter_mut().zip(&model.mediation_pools) {
        if *n == 1 && can_add_servers(pool) {
            *n = 2;
        }
    }
    let targets = n_minus_1_cases(model, &sizes);
    // Every case of every round is a run: each places its share with at
    // most a fifth of the plan's replications (an undecided share misses
    // the target, so the sizes err on the large side, never the small).
    let o = &PlanOptions {
        precision: crate::scenario::Precision {
            max_replications: (o.precision.max_replications / 5).max(sc.replications),
            ..o.precision
        },
        ..o.clone()
    };
    let mut result: Option<NMinus1> = None;
    for round in 1..=MAX_ROUNDS {
        let m = sizes.apply(model)?;
        let mut runs: Vec<(FailureCase, FailureTarget, Results)> = Vec::new();
        for (k, &target) in targets.iter().enumerate() {
            progress(&format!("round {round}, failure {}/{}: {}", k + 1, targets.len(), target.label(model)));
            let failed = with_failure(&m, sc, target);
            // Only what sizing fixes needs placing against the target; a
            // routing gap is reported as it stands.
            let results = o.confirm_shares(&m, &failed, |r| [r.counts.pstn.blocked_full_share()])?;
            let pstn = &results.counts.pstn;
            let case = FailureCase {
                failure: target.label(model),
                grade_of_service: pstn.grade_of_service(),
                blocked_full: pstn.blocked_full_share(),
                routing_gap: pstn.routing_gap_share().is_some_and(|g| !o.meets(&g)),
            };
            runs.push((case, target, results));
        }
        // Most capacity blocking first.
        let high = |e: &Option<Estimate>| e.map_or(0.0, |e| e.ci95_high);
        runs.sort_by(|a, b| high(&b.0.blocked_full).total_cmp(&high(&a.0.blocked_full)));
        let met = runs.iter().all(|w| w.0.blocked_full.is_none_or(|e| o.meets(&e)));
        let mut cases: Vec<FailureCase> = runs.iter().map(|r| r.0.clone()).collect();
        let mean = |e: &Option<Estimate>| e.map_or(0.0, |e| e.mean);
        cases.sort_by(|a, b| mean(&b.grade_of_service).total_cmp(&mean(&a.grade_of_service)));
        result = Some(NMinus1 {
            met,
            worst_failure: runs.first().map(|w| w.0.failure.clone()).unwrap_or_default(),
            worst_blocked_full: runs.first().and_then(|w| w.0.blocked_full),
            cases,
            peers: sizes.peers.iter().map(|s| s.1).collect(),
            trunks: sizes.trunks.iter().map(|s| s.1).collect(),
            mediation_pools: sizes.servers.clone(),
            bandwidth_policies: sizes.policies.clone(),
        });
        if met {
            break;
        }
        // Every failure that misses the target grows its worst refuser.
        let mut grown = false;
        for (case, target, results) in &runs {
            if case.blocked_full.is_some_and(|e| !o.meets(&e)) {
                grown |= grow_for_failure(model, results, &mut sizes, *target, o.target_gos);
            }
        }
        if !grown {
            break;
        }
    }
    Ok(result.unwrap_or_else(|| NMinus1 {
        met: true,
        worst_failure: String::new(),
        worst_blocked_full: None,
        cases: Vec::new(),
        peers: sizes.peers.iter().map(|s| s.1).collect(),
        trunks: sizes.trunks.iter().map(|s| s.1).collect(),
        mediation_pools: sizes.servers.clone(),
        bandwidth_policies: sizes.policies.clone(),
    }))
}
