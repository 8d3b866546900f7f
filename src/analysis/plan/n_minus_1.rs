//! N-1 sizing: any one peer, Mediation pool or Mediation Server failed.

use super::grow::grow_for_failure;
use super::sizes::{Ref, Sizes};
use super::streams::{self, Targets};
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
        stream: None,
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
    let mut peers = Vec::new();
    let mut servers = Vec::new();
    for s in &sizes.0 {
        match s.r {
            Ref::Peer(i) => peers.push(FailureTarget::Peer(PeerId::from_index(i))),
            Ref::Pool(q) if s.size > 1 || can_add_servers(&model.mediation_pools[q]) => {
                servers.push(FailureTarget::MediationServer(MediationPoolId::from_index(q), 0))
            }
            _ => {}
        }
    }
    let pools = (0..model.mediation_pools.len()).map(|q| FailureTarget::MediationPool(MediationPoolId::from_index(q)));
    peers.into_iter().chain(pools).chain(servers).collect()
}

/// One failure's run: what it found, the failure, its results.
type CaseRun = (FailureCase, FailureTarget, Results);

/// What N-1 runs: the model, the scenario at this growth, the options,
/// the targets, the failures.
pub(super) struct Cases<'a> {
    pub(super) model: &'a Model,
    pub(super) sc: &'a Scenario,
    pub(super) o: &'a PlanOptions,
    pub(super) targets: &'a Targets,
    pub(super) cases: Vec<FailureTarget>,
}

impl Cases<'_> {
    /// Every case run at `sizes`, most capacity blocking first, and
    /// whether each meets every target: each stream's share blocked for
    /// want of capacity, each policy's denied share, within its limit.
    /// With `until_miss`, stops at the first case that misses.
    fn evaluate(
        &self,
        sizes: &Sizes,
        progress: &dyn Fn(&str),
        what: &str,
        until_miss: bool,
    ) -> Result<(Vec<CaseRun>, bool), AnalysisError> {
        let (model, o, targets) = (self.model, self.o, self.targets);
        let m = sizes.apply(model)?;
        let mut runs: Vec<CaseRun> = Vec::new();
        for (k, &target) in self.cases.iter().enumerate() {
            progress(&format!("{what}, failure {}/{}: {}", k + 1, self.cases.len(), target.label(model)));
            let failed = with_failure(&m, self.sc, target);
            // Only what sizing fixes needs placing against the targets; a
            // routing gap is reported as it stands.
            let shares = |r: &Results| {
                targets.shares_by(r, Targets::capacity_share).into_iter().map(|(_, l, e)| (e, l)).collect::<Vec<_>>()
            };
            let results = o.confirm_shares_until(&m, &failed, shares, until_miss)?;
            let pstn = &results.counts.pstn;
            let worst = targets.missed_by(&results, o, Targets::capacity_share).into_iter().next();
            let failure = target.label(model);
            // What the failure cuts off: each stream (not the overall
            // figure, their sum) whose routing gap misses its target.
            let mut cut: Vec<StreamCut> = targets
                .shares_by(&results, Targets::gap_share)
                .into_iter()
                .filter(|(c, _, _)| !matches!(c, streams::Check::Stream(crate::scenario::Stream::Overall)))
                .filter_map(|(c, limit, e)| {
                    e.filter(|e| !o.meets_at(e, limit)).map(|share| StreamCut {
                        stream: Targets::label(model, self.sc, c),
                        share,
                        limit,
                    })
                })
                .collect();
            cut.sort_by(|a, b| b.share.mean.total_cmp(&a.share.mean));
            let case = FailureCase {
                routing_gap_share: pstn.routing_gap_share(),
                cut,
                grade_of_service: pstn.grade_of_service(),
                blocked_full: pstn.blocked_full_share(),
                routing_gap: pstn.routing_gap_share().is_some_and(|g| !o.meets(&g)),
                missed: worst.map(|(c, limit, share)| Decider {
                    target: format!("{} with {failure} failed", Targets::label(model, self.sc, c)),
                    share,
                    limit,
                    replications: results.replications(),
                }),
                failure,
            };
            let missed = case.missed.is_some();
            runs.push((case, target, results));
            // A trial that fails one case needs no other.
            if until_miss && missed {
                break;
            }
        }
        // Missed cases first, then most capacity blocking.
        let high = |e: &Option<Estimate>| e.map_or(0.0, |e| e.ci95_high);
        runs.sort_by(|a, b| {
            (b.0.missed.is_some())
                .cmp(&a.0.missed.is_some())
                .then(high(&b.0.blocked_full).total_cmp(&high(&a.0.blocked_full)))
        });
        let met = runs.iter().all(|w| w.0.missed.is_none());
        Ok((runs, met))
    }
}

/// N-1 sizes: each element's size, and why.
pub(super) struct NMinus1Plan {
    pub(super) result: NMinus1,
    pub(super) sizes: Sizes,
    pub(super) bases: Vec<(SizeBasis, Option<Decider>)>,
}

/// N-1: starting from the plan's sizes, while some single failure leaves
/// a target missed for want of capacity, the surviving elements that
/// refused most in each such case grow; then each element N-1 grew is
/// tried one step smaller against every failure and kept smaller while
/// all still meet every target. Calls lost to the failure itself (no
/// surviving candidate) are a routing gap: reported, not sized. WAN
/// links grow to hold any policy on them that N-1 grew.
pub(super) fn plan_n_minus_1(
    model: &Model,
    sc: &Scenario,
    o: &PlanOptions,
    targets: &Targets,
    plan: &Sizes,
    progress: &dyn Fn(&str),
) -> Result<NMinus1Plan, AnalysisError> {
    let mut sizes = plan.clone();
    // A server failure in a one-server pool is the pool's failure; where a
    // sibling would take the calls, N-1 needs one.
    let mut sibling = vec![false; sizes.0.len()];
    for (k, s) in sizes.0.iter_mut().enumerate() {
        if let Ref::Pool(q) = s.r {
            if s.size == 1 && can_add_servers(&model.mediation_pools[q]) {
                s.size = 2;
                sibling[k] = true;
            }
        }
    }
    // Every case of every round is a run: each places its shares with at
    // most a fifth of the plan's replications (an undecided share misses
    // the target, so the sizes err on the large side, never the small).
    let o = &PlanOptions {
        precision: crate::scenario::Precision {
            max_replications: (o.precision.max_replications / 5).max(sc.replications),
            ..o.precision
        },
        ..o.clone()
    };
    let cases = Cases { model, sc, o, targets, cases: n_minus_1_cases(model, &sizes) };
    let mut met = false;
    let mut runs = Vec::new();
    for round in 1..=MAX_ROUNDS {
        let (r, m) = cases.evaluate(&sizes, progress, &format!("round {round}"), false)?;
        runs = r;
        met = m;
        if met {
            break;
        }
        // Every failure that misses a target grows its worst refusers.
        let mut grown = false;
        for (case, target, results) in &runs {
            if case.missed.is_some() {
                grown |= grow_for_failure(model, results, &mut sizes, *target, o.target_gos);
            }
        }
        if !grown {
            break;
        }
    }
    let mut bases: Vec<(SizeBasis, Option<Decider>)> = sizes
        .0
        .iter()
        .zip(&plan.0)
        .zip(&sibling)
        .map(|((s, p), sib)| {
            if *sib {
                (SizeBasis::SiblingServer, None)
            } else if s.size == p.size {
                (SizeBasis::Plan, None)
            } else if met {
                (SizeBasis::Minimal, None)
            } else {
                (SizeBasis::Unconfirmed, None)
            }
        })
        .collect();
    // Trim what N-1 grew, one step at a time, against every failure.
    if met {
        for (k, basis) in bases.iter_mut().enumerate() {
            if basis.0 != SizeBasis::Minimal {
                continue;
            }
            loop {
                let s = &sizes.0[k];
                if s.size < plan.0[k].size.saturating_add(s.step) {
                    *basis = (SizeBasis::Plan, None);
                    break;
                }
                let mut trial = sizes.clone();
                trial.0[k].size -= s.step;
                let what = format!("trying {} with {}", Sizes::name(model, s.r), s.unit.count(trial.0[k].size));
                let (r, m) = cases.evaluate(&trial, progress, &what, true)?;
                if m {
                    sizes = trial;
                    runs = r;
                } else {
                    basis.1 = r.into_iter().find_map(|c| c.0.missed);
                    break;
                }
            }
        }
    }
    hold_policies(model, o, &mut sizes);
    let mut found: Vec<FailureCase> = runs.iter().map(|r| r.0.clone()).collect();
    let mean = |e: &Option<Estimate>| e.map_or(0.0, |e| e.mean);
    found.sort_by(|a, b| mean(&b.grade_of_service).total_cmp(&mean(&a.grade_of_service)));
    let result = NMinus1 {
        met,
        worst_failure: runs.first().map(|w| w.0.failure.clone()).unwrap_or_default(),
        worst_blocked_full: runs.first().and_then(|w| w.0.blocked_full),
        cases: found,
    };
    Ok(NMinus1Plan { result, sizes, bases })
}

/// Each WAN link at least the audio limit of a policy on it, over the
/// voice share: a policy N-1 grew needs its link to grow with it.
fn hold_policies(model: &Model, o: &PlanOptions, sizes: &mut Sizes) {
    for i in 0..model.links.len() {
        let Some(k) = sizes.find(Ref::Link(i)) else { continue };
        let policed = model
            .cac_elements
            .iter()
            .filter(|e| e.kind == CacElementKind::WanLink(i))
            .filter_map(|e| sizes.find(Ref::Policy(e.policy)).map(|p| sizes.0[p].size))
            .max()
            .unwrap_or(0);
        let need = (f64::from(policed) / o.voice_share).ceil() as u32;
        sizes.0[k].size = sizes.0[k].size.max(need);
    }
}
