//! Capacity planning: the fewest channels or sessions per limited peer,
//! Mediation Servers per pool, audio bandwidth per CAC policy and
//! bandwidth per WAN link that meet the targets, for each growth of the
//! scenario's load.
//!
//! 1. A run with today's sizes measures each element's offered load where
//!    the routes send it, overflow included: carried load / (1 - the share
//!    of its attempts it refused).
//! 2. Inverse Erlang B on that load gives each element's analytic size (as
//!    if its traffic were Poisson): channels, servers at the per-server
//!    capacity, and sessions times the mean session bandwidth for CAC.
//! 3. Simulation confirms: while the run's grade of service (its upper
//!    95% bound) misses the target, the peer, trunk or pool that refused
//!    most grows; while some CAC element's denied share misses it, its
//!    policy grows. Overflow and failover traffic is peakier than Poisson,
//!    so step 2 alone can under-size; step 3 corrects it.
//! 4. WAN links: the voice the confirmed plan puts on each link, at the
//!    target by Erlang B, divided by the share of the link voice may take;
//!    with a MOS target, links whose calls' 5th-percentile MOS misses it
//!    grow until it is met or more bandwidth stops helping (delay and loss
//!    then bound the MOS, not the size).
//! 5. Optionally N-1 (`n_minus_1`), from the plan's sizes.
//!
//! Submodules: `grow` (who grows), `links` (step 4), `n_minus_1`,
//! `model_file` (the planned model); what is found is the result
//! schema's `PlanResults` (`plan.json`, `plan.csv`).

use crate::analysis::AnalysisError;

use crate::model::edit::{edited_model, Edit};
use crate::model::{CacElementKind, MediationPoolId, PeerId};
use crate::model::{Model, PeerKind};
use crate::scenario::Precision;
use crate::scenario::{Failure, FailureMode, FailureTarget, FailureTiming, Scenario};

use super::erlang::channels_for;
use super::results::Results;
use super::run::{fold_range, run_until, Goal};
use super::stats::Estimate;
use super::workers::Workers;

mod grow;
mod links;
mod model_file;
mod n_minus_1;

pub use super::schema::plan::*;
use grow::{grow, grow_for_failure, Class, Refusal};
use links::plan_links;
use model_file::span_kind;
pub use model_file::{planned_model, span_channels};
use n_minus_1::plan_n_minus_1;

/// Most confirmation rounds per growth step.
pub(super) const MAX_ROUNDS: usize = 60;

/// What `voicetwin plan` sizes for, and how.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// Largest share of calls blocked (and of sessions CAC denies).
    pub target_gos: f64,
    /// Growth factors of the scenario's load.
    pub growth: Vec<f64>,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Also size so that any one peer, Mediation pool or Mediation Server
    /// failed still meets the target.
    pub n_minus_1: bool,
    /// Smallest 5th-percentile MOS of the calls crossing each WAN link.
    pub min_mos: Option<f64>,
    /// Largest share of a WAN link that voice may take (e.g. 0.33 for a
    /// priority queue of a third of the link).
    pub voice_share: f64,
    /// How precisely a confirming run must place a grade of service
    /// against the target: replications are added until its interval
    /// leaves the target or its half-width is at most `relative` of the
    /// target (then its mean decides).
    pub precision: Precision,
}

impl PlanOptions {
    /// Sizing at `target_gos` for these growth factors: no N-1, no MOS
    /// target, voice may fill a WAN link.
    pub fn new(target_gos: f64, growth: &[f64], threads: usize) -> Self {
        Self {
            target_gos,
            growth: growth.to_vec(),
            threads,
            n_minus_1: false,
            min_mos: None,
            voice_share: 1.0,
            precision: Self::DEFAULT_PRECISION,
        }
    }

    /// A confirming run places each share within a fifth of the target,
    /// with at most 200 replications (past them, a share whose interval
    /// still holds the target misses it, and its element grows).
    pub const DEFAULT_PRECISION: Precision =
        Precision { relative: 0.2, absolute: Precision::DEFAULT_ABSOLUTE, max_replications: 200 };

    /// Whether a share meets the target: its whole interval is under it,
    /// or it is as precise as asked and its mean is under it. A share
    /// with no event at all meets it: nothing was refused, so no size
    /// would change what was seen (its interval still says how little
    /// traffic stood behind that).
    pub fn meets(&self, e: &Estimate) -> bool {
        e.mean == 0.0
            || e.ci95_high <= self.target_gos
            || (e.half_width() <= self.precision.relative * self.target_gos && e.mean <= self.target_gos)
    }

    /// A goal for a share compared with the target: decided when its
    /// interval leaves the target, when it is precise to `relative` of
    /// it, or when it saw no event (see [`meets`](Self::meets)).
    pub fn goal(&self, figure: String, e: Estimate) -> Goal {
        let floor = self.precision.relative * self.target_gos;
        let met = e.mean == 0.0 || !e.contains(self.target_gos) || e.half_width() <= floor;
        Goal { figure, estimate: e, met, half_width: (e.mean - self.target_gos).abs().max(floor) }
    }

    /// Runs `scenario` on `model` until the grade of service and every
    /// CAC element's denied share are placed against the target.
    pub(super) fn confirm(&self, model: &Model, scenario: &Scenario) -> Result<Results, AnalysisError> {
        self.confirm_shares(model, scenario, |results| {
            std::iter::once(results.grade_of_service())
                .chain(results.cac.elements.iter().map(|e| e.audio.figures.rejected_share()))
                .collect::<Vec<_>>()
        })
    }

    /// Runs `scenario` on `model` until every share `shares` gives is
    /// placed against the target (a share that is absent needs nothing).
    pub(super) fn confirm_shares<I: IntoIterator<Item = Option<Estimate>>>(
        &self,
        model: &Model,
        scenario: &Scenario,
        shares: impl Fn(&Results) -> I,
    ) -> Result<Results, AnalysisError> {
        let sc = Scenario { precision: None, ..scenario.clone() };
        let goals = |results: &Results| {
            shares(results)
                .into_iter()
                .enumerate()
                .filter_map(|(k, e)| e.map(|e| self.goal(format!("share {k}"), e)))
                .collect()
        };
        let workers = Workers::new(self.threads)?;
        let mut results = Results::new(model, &sc);
        let advance = |results: &mut Results, range| fold_range(model, &sc, range, &workers, results);
        run_until(sc.replications, &self.precision, &mut results, advance, goals);
        Ok(results)
    }
}

/// The sizes planning changes, in model order (peers: index and size).
#[derive(Debug, Clone)]
pub(super) struct Sizes {
    pub(super) peers: Vec<(usize, u32)>,
    /// Trunks with a call limit (`max_calls`): index and limit.
    pub(super) trunks: Vec<(usize, u32)>,
    pub(super) servers: Vec<u32>,
    pub(super) policies: Vec<u32>,
    pub(super) links: Vec<u32>,
}

impl Sizes {
    fn today(model: &Model) -> Self {
        Sizes {
            peers: limited(model),
            trunks: model.trunks.iter().enumerate().filter_map(|(i, t)| t.max_calls.map(|n| (i, n))).collect(),
            servers: model.mediation_pools.iter().map(|p| p.servers).collect(),
            policies: model.bandwidth_policies.iter().map(|p| p.audio_limit_kbps).collect(),
            links: model.links.iter().map(|l| l.bandwidth_kbps).collect(),
        }
    }

    /// `model` with these sizes, made through its file and checked as a
    /// file is (a size out of its field's range is an error, not a run).
    fn apply(&self, model: &Model) -> Result<Model, AnalysisError> {
        let mut edits: Vec<Edit> = Vec::new();
        for &(i, n) in self.peers.iter().filter(|(i, n)| model.peers[*i].kind.capacity() != Some(*n)) {
            edits.push(model_file::peer_size(&model.peers[i], n, None));
        }
        for &(i, n) in self.trunks.iter().filter(|(i, n)| model.trunks[*i].max_calls != Some(*n)) {
            edits.push(model_file::size("trunk", &model.trunks[i].name, "max_calls", n));
        }
        for (p, n) in model.mediation_pools.iter().zip(&self.servers).filter(|(p, n)| p.servers != **n) {
            edits.push(model_file::size("mediation_pool", &p.fqdn, "servers", *n));
        }
        for (p, n) in model.bandwidth_policies.iter().zip(&self.policies).filter(|(p, n)| p.audio_limit_kbps != **n) {
            edits.push(model_file::size("bandwidth_policy", &p.name, "audio_limit_kbps", *n));
        }
        for (l, n) in model.links.iter().zip(&self.links).filter(|(l, n)| l.bandwidth_kbps != **n) {
            edits.push(model_file::size("wan_link", &l.name, "bandwidth_kbps", *n));
        }
        edited_model(model, &edits, &format!("{} with planned sizes", model.source))
            .map_err(|e| AnalysisError::Input(e.to_string()))
    }
}

/// Peers whose capacity planning sizes, with today's size.
pub(super) fn limited(model: &Model) -> Vec<(usize, u32)> {
    model.peers.iter().enumerate().filter_map(|(i, p)| p.kind.capacity().map(|c| (i, c))).collect()
}

pub(super) fn scaled(scenario: &Scenario, growth: f64) -> Result<Scenario, AnalysisError> {
    let mut s = scenario.clone();
    s.scale_load(growth).map_err(AnalysisError::Input)?;
    s.failures.clear();
    Ok(s)
}

/// The CAC elements (indices) a bandwidth policy polices.
pub(super) fn policy_elements(model: &Model, policy: usize) -> impl Iterator<Item = usize> + '_ {
    (0..model.cac_elements.len()).filter(move |e| model.cac_elements[*e].policy == policy)
}

/// Bandwidth (kbps) of `channels_for(erlangs)` sessions of `kbps` each.
pub(super) fn kbps_for(erlangs: f64, kbps: f64, target_gos: f64) -> u32 {
    (f64::from(channels_for(erlangs, target_gos)) * kbps).ceil() as u32
}

/// For each bandwidth policy, whether some element of it denies more
/// sessions than the target allows ([`PlanOptions::meets`]).
pub(super) fn cac_missed(model: &Model, results: &Results, o: &PlanOptions) -> Vec<bool> {
    let mut missed = vec![false; model.bandwidth_policies.len()];
    for (el, sums) in model.cac_elements.iter().zip(&results.cac.elements) {
        if let Some(share) = sums.audio.figures.rejected_share() {
            missed[el.policy] |= !o.meets(&share);
        }
    }
    missed
}

/// Plans every growth step of `scenario`.
pub fn plan(model: &Model, scenario: &Scenario, o: &PlanOptions) -> Result<PlanResults, AnalysisError> {
    plan_observed(model, scenario, o, &|_| {})
}

/// [`plan`], telling `progress` what it is doing (a plan with N-1 runs
/// hundreds of simulations: a terminal shows which).
pub fn plan_observed(
    model: &Model,
    scenario: &Scenario,
    o: &PlanOptions,
    progress: &dyn Fn(&str),
) -> Result<PlanResults, AnalysisError> {
    let target = o.target_gos;
    let today = Sizes::today(model);
    let mut steps = Vec::new();
    for &g in &o.growth {
        let sc = scaled(scenario, g)?;
        progress(&format!("growth x{g}: offered load with today's sizes"));
        // 1. Offered load as the routes send it today, overflow included.
        let results = crate::analysis::run::run(model, &sc, o.threads)?;
        let peer = |i: usize| &results.peers[i].figures;
        let trunk = |i: usize| &results.trunks[i].figures;
        let offered: Vec<f64> = today.peers.iter().map(|&(i, _)| peer(i).offered_load()).collect();
        let peer_rejected: Vec<Option<Estimate>> = today.peers.iter().map(|&(i, _)| peer(i).rejected_share()).collect();
        let trunk_rejected: Vec<Option<Estimate>> =
            today.trunks.iter().map(|&(i, _)| trunk(i).rejected_share()).collect();
        let pool_rejected: Vec<Option<Estimate>> =
            results.mediation_pools.iter().map(|p| p.figures.rejected_share()).collect();
        let policy_rejected: Vec<Option<Estimate>> = results.cac.policies.iter().map(Estimate::proportion).collect();
        let pools = &model.mediation_pools;
        let pool_offered: Vec<f64> = results.mediation_pools.iter().map(|p| p.figures.offered_load()).collect();
        // 2. Inverse Erlang B.
        let analytic: Vec<u32> = offered.iter().map(|a| channels_for(*a, target).max(1)).collect();
        let trunk_offered: Vec<f64> = today.trunks.iter().map(|&(i, _)| trunk(i).offered_load()).collect();
        let trunk_analytic: Vec<u32> = trunk_offered.iter().map(|a| channels_for(*a, target).max(1)).collect();
        let pool_analytic: Vec<u32> = pools
            .iter()
            .zip(&pool_offered)
            .map(|(p, a)| channels_for(*a, target).div_ceil(p.calls_per_server).max(1))
            .collect();
        // Each policy: the most any of its elements needs.
        let mut policy_need: Vec<Option<(usize, f64, f64, u32)>> = vec![None; model.bandwidth_policies.len()];
        for (e, el) in model.cac_elements.iter().enumerate() {
            let (a, kbps) = results.cac.elements[e].audio.figures.sessions();
            if kbps > 0.0 {
                let need = kbps_for(a, kbps, target);
                if policy_need[el.policy].is_none_or(|p| need > p.3) {
                    policy_need[el.policy] = Some((e, a, kbps, need));
                }
            }
        }
        let policy_analytic: Vec<u32> =
            policy_need.iter().zip(&today.policies).map(|(n, t)| n.map_or(*t, |n| n.3.max(1))).collect();
        let mut sizes = Sizes {
            peers: today.peers.iter().zip(&analytic).map(|(&(i, _), &n)| (i, n)).collect(),
            trunks: today.trunks.iter().zip(&trunk_analytic).map(|(&(i, _), &n)| (i, n)).collect(),
            servers: pool_analytic.clone(),
            policies: policy_analytic.clone(),
            links: today.links.clone(),
        };
        // 3. Confirm by simulation.
        let mut gos = None;
        let mut met = false;
        let mut confirmed = results;
        for round in 1..=MAX_ROUNDS {
            progress(&format!("growth x{g}: confirming by simulation, round {round}"));
            confirmed = o.confirm(&sizes.apply(model)?, &sc)?;
            gos = confirmed.grade_of_service();
            let missed = cac_missed(model, &confirmed, o);
            let gos_met = gos.is_none_or(|e| o.meets(&e));
            if gos_met && !missed.contains(&true) {
                met = true;
                break;
            }
            // Blocking grows channels, sessions, calls or servers; denials
            // grow the policies that miss: neither grows for the other.
            let may = |r: &Refusal| if r.class == Class::Policy { missed[r.k] } else { !gos_met };
            if !grow(model, &confirmed, &mut sizes, may) {
                break;
            }
        }
        // 4. WAN links.
        progress(&format!("growth x{g}: WAN links"));
        let links = plan_links(model, &sc, o, &mut sizes, &confirmed)?;
        let n1 = if o.n_minus_1 {
            let on = |m: &str| progress(&format!("growth x{g}: N-1, {m}"));
            Some(plan_n_minus_1(model, &sc, o, &sizes, &on)?)
        } else {
            None
        };
        steps.push(PlanStep {
            n_minus_1: n1,
            growth: g,
            grade_of_service: gos,
            replications: confirmed.replications(),
            pattern_limit_hits: confirmed.pattern_limit_hits.clone(),
            met,
            peers: today
                .peers
                .iter()
                .zip(&offered)
                .zip(&analytic)
                .zip(&sizes.peers)
                .enumerate()
                .map(|(k, (((&(i, now), &a), &e), &(_, n)))| {
                    let p = &model.peers[i];
                    PeerPlan {
                        name: p.name.clone(),
                        kind: p.kind.label().to_owned(),
                        offered_erlangs: a,
                        today: now,
                        today_rejected: peer_rejected[k],
                        erlang_b: e,
                        needed: n,
                        spans: span_kind(model, i).map(|(per, name)| (n.div_ceil(per), name)),
                        margin: margin(n, now),
                    }
                })
                .collect(),
            trunks: today
                .trunks
                .iter()
                .enumerate()
                .map(|(k, &(i, now))| {
                    let n = sizes.trunks[k].1;
                    TrunkPlan {
                        name: model.trunks[i].name.clone(),
                        offered_erlangs: trunk_offered[k],
                        today: now,
                        today_rejected: trunk_rejected[k],
                        erlang_b: trunk_analytic[k],
                        needed: n,
                        margin: margin(n, now),
                    }
                })
                .collect(),
            mediation_pools: pools
                .iter()
                .enumerate()
                .map(|(i, p)| PoolPlan {
                    fqdn: p.fqdn.clone(),
                    offered_erlangs: pool_offered[i],
                    calls_per_server: p.calls_per_server,
                    today: p.servers,
                    today_rejected: pool_rejected[i],
                    erlang_b: pool_analytic[i],
                    needed: sizes.servers[i],
                    margin: margin(sizes.servers[i], p.servers),
                })
                .collect(),
            bandwidth_policies: model
                .bandwidth_policies
                .iter()
                .enumerate()
                .map(|(k, p)| {
                    let (e, a, kbps, _) = policy_need[k].unwrap_or((usize::MAX, 0.0, 0.0, 0));
                    PolicyPlan {
                        name: p.name.clone(),
                        element: model.cac_elements.get(e).map(|e| e.name.clone()).unwrap_or_default(),
                        offered_sessions: a,
                        session_kbps: kbps,
                        today: p.audio_limit_kbps,
                        today_rejected: policy_rejected[k],
                        erlang_b: policy_analytic[k],
                        needed: sizes.policies[k],
                        margin: margin(sizes.policies[k], p.audio_limit_kbps),
                    }
                })
                .collect(),
            wan_links: links,
        });
    }
    Ok(PlanResults {
        schema_version: SCHEMA_VERSION,
        scenario: scenario.name.clone(),
        model: model.source.clone(),
        target_gos: target,
        precision_relative: o.precision.relative,
        // A first batch beyond the cap is run whole and not added to.
        max_replications: o.precision.max_replications.max(scenario.replications),
        min_mos: o.min_mos,
        voice_share: o.voice_share,
        replications: scenario.replications,
        seed: scenario.seed,
        steps,
    })
}
