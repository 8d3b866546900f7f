//! Capacity planning: the fewest spans, sessions, calls, Mediation
//! Servers and kbps that meet every target, for each growth of the
//! scenario's load, in the unit each element is bought in.
//!
//! 1. A run with nothing sized in the way measures each element's demand:
//!    what the routes offer it first, with no refusal and so no overflow
//!    counted twice. A run with today's sizes says what today refuses.
//! 2. Inverse Erlang B on that demand gives the analytic size (as if the
//!    traffic were Poisson). Peers that routes load-share (`groups`) are
//!    sized as one group on the sum of their demand and shared out in
//!    proportion; a Mediation pool in servers, a bandwidth policy in
//!    sessions times the mean session bandwidth. Nothing goes below
//!    today's size unless shrinking is allowed.
//! 3. Simulation confirms: while a target is missed (a stream's grade of
//!    service, its upper 95% bound; a policy's denied share), the element
//!    serving it that refused most grows by one unit. Overflow and
//!    failover traffic is peakier than Poisson, so step 2 alone can
//!    under-size; step 3 corrects it.
//! 4. Trimming (`trim`): each element in turn is run one unit smaller,
//!    with the same replications, and kept smaller while every target is
//!    still met. Each size is then minimal (one fewer missed a target,
//!    named) or at its floor.
//! 5. WAN links: the voice the plan puts on each link, at the target by
//!    Erlang B, over the share of the link voice may take; with a MOS
//!    target, links whose calls' 5th-percentile MOS misses it grow until
//!    it is met or more bandwidth stops helping.
//! 6. Optionally N-1 (`n_minus_1`), from the plan's sizes, also trimmed.
//!
//! Steps 3 and 4 run in the network's independent parts (`split`): a
//! round or trial simulates only the parts whose sizes it changes, and
//! decides exactly as a run of the whole network would.
//!
//! Submodules: `sizes` (the elements and their units), `streams` (the
//! targets), `groups`, `grow`, `split`, `trim`, `links`, `n_minus_1`,
//! `model_file` (the planned model); what is found is the result
//! schema's `PlanResults` (`plan.json`, `plan.csv`).

use crate::analysis::AnalysisError;

use crate::model::Model;
use crate::model::{CacElementKind, MediationPoolId, PeerId};
use crate::scenario::Precision;
use crate::scenario::{Failure, FailureMode, FailureTarget, FailureTiming, Scenario};

use super::erlang::channels_for;
use super::results::Results;
use super::run::{fold_range, run_until, Goal};
use super::shard::Shard;
use super::stats::Estimate;
use super::workers::Workers;

mod groups;
mod grow;
mod links;
mod model_file;
mod n_minus_1;
mod sizes;
mod split;
mod streams;
mod trim;

pub use super::schema::plan::*;
use grow::grow;
use links::plan_links;
pub use model_file::planned_model;
use n_minus_1::plan_n_minus_1;
use sizes::{Ref, Sizes};
use split::PartRuns;
use streams::{Check, Targets};

/// Most confirmation rounds per growth step.
pub(super) const MAX_ROUNDS: usize = 60;

/// What `voicetwin plan` sizes for, and how.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// Largest share of calls blocked (and of sessions CAC denies), for
    /// every stream the scenario's `[[target]]` does not name.
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
    /// Sizes may fall below today's (what could be released is listed).
    pub allow_shrink: bool,
    /// How precisely a confirming run must place a grade of service
    /// against the target: replications are added until its interval
    /// leaves the target or its half-width is at most `relative` of the
    /// target (then its mean decides).
    pub precision: Precision,
    /// Whether confirming runs and trimming trials simulate only the
    /// parts of the network a change of size touches (`split`). The
    /// figures are the same either way; false runs the whole network
    /// every time (what the tests compare with).
    pub in_parts: bool,
}

impl PlanOptions {
    /// Sizing at `target_gos` for these growth factors: no N-1, no MOS
    /// target, voice may fill a WAN link, never below today's sizes.
    pub fn new(target_gos: f64, growth: &[f64], threads: usize) -> Self {
        Self {
            target_gos,
            growth: growth.to_vec(),
            threads,
            n_minus_1: false,
            min_mos: None,
            voice_share: 1.0,
            allow_shrink: false,
            precision: Self::DEFAULT_PRECISION,
            in_parts: true,
        }
    }

    /// A confirming run places each share within a fifth of the target,
    /// with at most 200 replications (past them, a share whose interval
    /// still holds the target misses it, and its element grows).
    pub const DEFAULT_PRECISION: Precision =
        Precision { relative: 0.2, absolute: Precision::DEFAULT_ABSOLUTE, max_replications: 200 };

    /// Whether a share meets the overall target ([`meets_at`](Self::meets_at)).
    pub fn meets(&self, e: &Estimate) -> bool {
        self.meets_at(e, self.target_gos)
    }

    /// Whether a share meets `limit`: its whole interval is under it, or
    /// it is as precise as asked and its mean is under it. A share with
    /// no event at all meets it: nothing was refused, so no size would
    /// change what was seen (its interval still says how little traffic
    /// stood behind that).
    pub fn meets_at(&self, e: &Estimate, limit: f64) -> bool {
        e.mean == 0.0 || e.ci95_high <= limit || (e.half_width() <= self.precision.relative * limit && e.mean <= limit)
    }

    /// A goal for a share compared with `limit`: decided when its
    /// interval leaves the limit, when it is precise to `relative` of
    /// it, or when it saw no event (see [`meets_at`](Self::meets_at)).
    pub fn goal_at(&self, figure: String, e: Estimate, limit: f64) -> Goal {
        let floor = self.precision.relative * limit;
        let met = e.mean == 0.0 || !e.contains(limit) || e.half_width() <= floor;
        Goal { figure, estimate: e, met, half_width: (e.mean - limit).abs().max(floor) }
    }

    /// The goals of a confirming run whose shares are `shares`, each with
    /// its limit (an absent share needs nothing); with `until_miss`, none
    /// once a share is placed above its limit (a trial that fails needs
    /// no more).
    pub(super) fn goals(
        &self,
        shares: impl IntoIterator<Item = (Option<Estimate>, f64)>,
        until_miss: bool,
    ) -> Vec<Goal> {
        let goals: Vec<(Goal, f64)> = shares
            .into_iter()
            .enumerate()
            .filter_map(|(k, (e, limit))| e.map(|e| (self.goal_at(format!("share {k}"), e, limit), limit)))
            .collect();
        // A share placed above its limit decides a trial: stop there.
        if until_miss && goals.iter().any(|(g, limit)| g.met && !self.meets_at(&g.estimate, *limit)) {
            return Vec::new();
        }
        goals.into_iter().map(|(g, _)| g).collect()
    }

    /// Runs `scenario` on `model` until every target's share is placed
    /// against its limit; with `until_miss`, only until one is placed
    /// above it (a trial that fails needs no more).
    fn confirm_targets(
        &self,
        model: &Model,
        scenario: &Scenario,
        targets: &Targets,
        until_miss: bool,
    ) -> Result<Results, AnalysisError> {
        let shares = |r: &Results| targets.shares(r).into_iter().map(|(_, limit, e)| (e, limit)).collect::<Vec<_>>();
        self.confirm_shares_until(model, scenario, shares, until_miss)
    }

    /// Runs `scenario` on `model` until every share `shares` gives is
    /// placed against its limit (a share that is absent needs nothing);
    /// with `until_miss`, only until one is placed above it.
    pub(super) fn confirm_shares_until<I: IntoIterator<Item = (Option<Estimate>, f64)>>(
        &self,
        model: &Model,
        scenario: &Scenario,
        shares: impl Fn(&Results) -> I,
        until_miss: bool,
    ) -> Result<Results, AnalysisError> {
        let sc = Scenario { precision: None, ..scenario.clone() };
        let goals = |results: &Results| self.goals(shares(results), until_miss);
        let workers = Workers::new(self.threads)?;
        let mut results = Results::new(model, &sc);
        let advance = |results: &mut Results, range| fold_range(model, &sc, range, &workers, results);
        run_until(sc.replications, &self.precision, &mut results, advance, goals);
        Ok(results)
    }
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

/// Plans every growth step of `scenario`.
pub fn plan(model: &Model, scenario: &Scenario, o: &PlanOptions) -> Result<PlanResults, AnalysisError> {
    plan_observed(model, scenario, o, &|_| {})
}

/// A bandwidth policy's demand: its element that needs the most, the
/// audio sessions offered to it (Erlangs), their mean kbps, and the kbps
/// inverse Erlang B asks.
#[derive(Debug, Clone, Copy)]
struct PolicyDemand {
    element: usize,
    sessions: f64,
    kbps: f64,
    need: u32,
}

fn policy_demand(model: &Model, free: &Results, p: usize, target: f64) -> Option<PolicyDemand> {
    let mut best: Option<PolicyDemand> = None;
    for e in policy_elements(model, p) {
        let (a, kbps) = free.cac.elements[e].audio.figures.sessions();
        if kbps > 0.0 {
            let need = kbps_for(a, kbps, target);
            if best.is_none_or(|b| need > b.need) {
                best = Some(PolicyDemand { element: e, sessions: a, kbps, need });
            }
        }
    }
    best
}

/// [`plan`], telling `progress` what it is doing (a plan runs tens to
/// hundreds of simulations: a terminal shows which).
pub fn plan_observed(
    model: &Model,
    scenario: &Scenario,
    o: &PlanOptions,
    progress: &dyn Fn(&str),
) -> Result<PlanResults, AnalysisError> {
    let part = run_plan_part(model, scenario, o, Shard::WHOLE, progress)?;
    assemble_plan(model, scenario, o, vec![part])
}

/// One growth step of a plan, by its place in `--growth`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct IndexedStep {
    /// Its index in the growth factors, in the order given.
    pub index: usize,
    pub step: PlanStep,
}

/// A shard's share of a plan: the growth steps it owns. A plan's cases
/// are its growth steps: each is a whole search (Erlang B, confirming
/// rounds, trimming, WAN links, N-1) whose rounds each depend on the
/// last, while the steps depend on nothing but the model, the scenario
/// and the options.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PlanPart {
    /// Growth steps of the whole plan.
    pub growth_steps: usize,
    pub steps: Vec<IndexedStep>,
}

/// Plans the growth steps `shard` owns ([`Shard::owns`] over the order of
/// `o.growth`): each step's plan is the one [`plan`] finds for it.
pub fn run_plan_part(
    model: &Model,
    scenario: &Scenario,
    o: &PlanOptions,
    shard: Shard,
    progress: &dyn Fn(&str),
) -> Result<PlanPart, AnalysisError> {
    let mut steps = Vec::new();
    for (index, &g) in o.growth.iter().enumerate() {
        if shard.owns(index) {
            let step = plan_step(model, scenario, o, g, &|m| progress(&format!("growth x{g}: {m}")))?;
            steps.push(IndexedStep { index, step });
        }
    }
    Ok(PlanPart { growth_steps: o.growth.len(), steps })
}

/// The plan from its parts: every growth step present in exactly one
/// part, in the order of `o.growth`.
pub fn assemble_plan(
    model: &Model,
    scenario: &Scenario,
    o: &PlanOptions,
    parts: Vec<PlanPart>,
) -> Result<PlanResults, AnalysisError> {
    let n = o.growth.len();
    let mut slots: Vec<Option<PlanStep>> = vec![None; n];
    for part in parts {
        if part.growth_steps != n {
            return Err(AnalysisError::Input(format!(
                "a part of a plan of {} growth steps, not of this plan's {n}",
                part.growth_steps
            )));
        }
        for s in part.steps {
            match slots.get_mut(s.index) {
                None => return Err(AnalysisError::Input(format!("growth step {} is outside the plan's {n}", s.index))),
                Some(Some(_)) => return Err(AnalysisError::Input(format!("growth step {} is in two parts", s.index))),
                Some(slot) => *slot = Some(s.step),
            }
        }
    }
    if let Some(missing) = slots.iter().position(Option::is_none) {
        return Err(AnalysisError::Input(format!("growth step {missing} (x{}) is in no part", o.growth[missing])));
    }
    let steps = slots.into_iter().flatten().collect();
    Ok(PlanResults {
        schema_version: SCHEMA_VERSION,
        scenario: scenario.name.clone(),
        model: model.source.clone(),
        network: model.name.clone(),
        target_gos: o.target_gos,
        targets: scenario
            .targets
            .iter()
            .map(|t| StreamTarget {
                stream: t.stream.label(model, &scenario.sources),
                grade_of_service: t.grade_of_service,
            })
            .collect(),
        allow_shrink: o.allow_shrink,
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

/// One growth step's plan.
fn plan_step(
    model: &Model,
    scenario: &Scenario,
    o: &PlanOptions,
    g: f64,
    progress: &dyn Fn(&str),
) -> Result<PlanStep, AnalysisError> {
    let target = o.target_gos;
    let sc = scaled(scenario, g)?;
    let targets = Targets::new(model, &sc, o);
    // 1. What today's sizes refuse, and the demand with nothing in the way.
    progress("today's sizes");
    let now = crate::analysis::run::run(model, &sc, o.threads)?;
    let mut sizes = Sizes::today(model, o.allow_shrink);
    progress("demand, with no size in the way");
    let free = crate::analysis::run::run(&sizes.unconstrained(model)?, &sc, o.threads)?;
    let policy: Vec<Option<PolicyDemand>> =
        (0..model.bandwidth_policies.len()).map(|p| policy_demand(model, &free, p, target)).collect();
    let demand: Vec<f64> = sizes
        .0
        .iter()
        .map(|s| match s.r {
            Ref::Peer(i) => free.peers[i].figures.carried_erlangs().mean,
            Ref::Trunk(i) => free.trunks[i].figures.carried_erlangs().mean,
            Ref::Pool(i) => free.mediation_pools[i].figures.carried_erlangs().mean,
            Ref::Policy(p) => policy[p].map_or(0.0, |d| d.sessions),
            Ref::Link(_) => 0.0,
        })
        .collect();
    // A policy grows and shrinks by one of its mean sessions.
    for s in &mut sizes.0 {
        if let Ref::Policy(p) = s.r {
            if let Some(d) = policy[p] {
                s.step = (d.kbps.ceil() as u32).max(1);
                if o.allow_shrink {
                    s.floor = s.step.min(s.today).max(1);
                }
            }
        }
    }
    // 2. Inverse Erlang B: load-sharing groups together, the rest alone.
    let mut erlang_b = vec![0u32; sizes.0.len()];
    let mut group_of: Vec<Option<String>> = vec![None; sizes.0.len()];
    let mut groups_out = Vec::new();
    for grp in groups::groups(model, &sizes) {
        let (group, shares) = groups::size_group(model, &mut sizes, &grp, &demand, target);
        for (k, units) in shares {
            erlang_b[k] = units;
            group_of[k] = Some(group.name.clone());
        }
        groups_out.push(group);
    }
    for (k, s) in sizes.0.iter_mut().enumerate() {
        if group_of[k].is_some() || matches!(s.r, Ref::Link(_)) {
            continue;
        }
        let units = match s.r {
            Ref::Policy(p) => policy[p].map_or(s.today, |d| d.need),
            _ => channels_for(demand[k], target).div_ceil(s.per_unit),
        };
        erlang_b[k] = units.max(1);
        s.size = erlang_b[k].max(s.floor);
    }
    // 3. Confirm by simulation, growing what serves a missed target.
    // Each round after the first runs only the parts its growth changed.
    let mut runs = PartRuns::new(model, &sc, o, &targets, &sizes)?;
    let mut met = false;
    for round in 1..=MAX_ROUNDS {
        progress(&format!("confirming by simulation, round {round}"));
        let (c, trial) = runs.confirm(&sizes, false)?;
        runs.commit(trial);
        let missed = targets.missed_of(&c.shares, o);
        let grown = !missed.is_empty() && grow(model, &sc, &c.refused, &mut sizes, &missed);
        met = missed.is_empty();
        if !grown {
            break;
        }
    }
    // 4. Trim to the fewest that still meet every target.
    let mut bases = if met {
        trim::trim(model, &sc, o, &targets, &mut sizes, &mut runs, progress)?
    } else {
        vec![(SizeBasis::Unconfirmed, None); sizes.0.len()]
    };
    // The sizes last confirmed, run whole: what the plan reports.
    progress("the plan's sizes, whole");
    let confirmed = runs.into_results(&targets)?;
    // 5. WAN links.
    progress("WAN links");
    let links = plan_links(model, &sc, o, &mut sizes, &confirmed)?;
    for l in &links {
        bases[l.k] = (l.basis, None);
    }
    // 6. N-1.
    let n1 = if o.n_minus_1 {
        let on = |m: &str| progress(&format!("N-1, {m}"));
        Some(plan_n_minus_1(model, &sc, o, &targets, &sizes, &on)?)
    } else {
        None
    };
    let streams = targets
        .checks
        .iter()
        .filter(|(c, _)| matches!(c, Check::Stream(_)))
        .map(|&(c, limit)| {
            let planned = Targets::share(&confirmed, c);
            StreamPlan {
                stream: Targets::label(model, &sc, c),
                target: limit,
                today: Targets::share(&now, c),
                planned,
                met: planned.is_none_or(|e| o.meets_at(&e, limit)),
            }
        })
        .collect();
    let elements = sizes
        .0
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let link = links.iter().find(|l| l.k == k);
            let (today_rejected, session_kbps, element) = match s.r {
                Ref::Peer(i) => (now.peers[i].figures.rejected_share(), None, None),
                Ref::Trunk(i) => (now.trunks[i].figures.rejected_share(), None, None),
                Ref::Pool(i) => (now.mediation_pools[i].figures.rejected_share(), None, None),
                Ref::Policy(p) => (
                    now.cac.policies.get(p).and_then(Estimate::proportion),
                    policy[p].map(|d| d.kbps),
                    policy[p].map(|d| model.cac_elements[d.element].name.clone()),
                ),
                Ref::Link(_) => (None, link.map(|l| l.session_kbps), None),
            };
            let n1_size = n1.as_ref().map(|n| n.sizes.0[k].size);
            let n1_basis = n1.as_ref().map(|n| n.bases[k].clone());
            ElementPlan {
                name: Sizes::name(model, s.r).to_owned(),
                kind: s.kind,
                unit: s.unit,
                capacity_per_unit: s.per_unit,
                group: group_of[k].clone(),
                demand_erlangs: link.map_or(demand[k], |l| l.voice_erlangs),
                session_kbps,
                element,
                today: s.today,
                today_rejected,
                erlang_b: link.map_or(erlang_b[k], |l| l.erlang_b),
                needed: s.size,
                change: i64::from(s.size) - i64::from(s.today),
                basis: bases[k].0,
                decided_by: bases[k].1.clone(),
                n_minus_1: n1_size,
                n_minus_1_basis: n1_basis.as_ref().map(|b| b.0),
                n_minus_1_decided_by: n1_basis.and_then(|b| b.1),
                p5_mos: link.and_then(|l| l.p5_mos),
                bound_by_delay_and_loss: link.is_some_and(|l| l.bound_by_delay_and_loss),
            }
        })
        .collect();
    Ok(PlanStep {
        growth: g,
        grade_of_service: confirmed.grade_of_service(),
        replications: confirmed.replications(),
        pattern_limit_hits: confirmed.pattern_limit_hits.clone(),
        met,
        streams,
        groups: groups_out,
        elements,
        n_minus_1: n1.map(|n| n.result),
    })
}
