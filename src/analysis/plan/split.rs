//! Confirming runs in the network's independent parts.
//!
//! Each confirming round and each trimming trial changes the sizes of a
//! few elements, and a size changes only the calls of the part of the
//! network ([`Interaction`]) its element is in. So each part is
//! simulated alone, and kept, at the sizes in force, and a trial runs
//! only the parts it changes: its figures are the sum of theirs and the
//! other parts' kept ones.
//!
//! Every number a decision reads (each check's blocked and routable
//! calls, or a policy's refused and attempted sessions; each sized
//! element's refused calls) is a whole-number sum over
//! calls, and a part's calls are the same alone as in the whole network
//! (each source, peer, pool and policy draws from streams of its own).
//! So a trial decides exactly what a run of the whole network decides:
//! the same replications, the same shares, the same sizes.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::analysis::figures::{grade_of_service_terms, refusal_terms};
use crate::analysis::interaction::Interaction;
use crate::analysis::run::run_until;
use crate::analysis::stats::Ratio;
use crate::analysis::whatif::part_scenario;
use crate::scenario::Stream;
use crate::sim::engine::Replication;
use crate::sim::metrics::Direction;
use crate::sim::run_replication;

use super::sizes::{Ref, Sizes};
use super::streams::{Check, Targets};
use super::*;

/// What a confirming run decides with.
#[derive(Debug, Clone)]
pub(super) struct Confirmation {
    /// Each check's share, in the order of the targets' checks.
    pub(super) shares: Vec<Option<Estimate>>,
    /// Each sized element's refused calls (sessions, for a bandwidth
    /// policy), over every replication: what `grow` picks by.
    pub(super) refused: Vec<u64>,
    pub(super) replications: u32,
}

/// One replication's numbers: two per check (blocked and routable
/// calls, or refused and attempted sessions), then one per sized element
/// (refused).
type Terms = Vec<u64>;

/// A part's terms alone: the numbers that are not zero, by place.
type Sparse = Vec<(u32, u64)>;

/// Where each number of a replication's terms comes from.
struct Layout {
    checks: Vec<Check>,
    refs: Vec<Ref>,
    /// The check of each source's own stream, if it has one.
    source_check: Vec<Option<usize>>,
    /// The CAC elements each bandwidth policy polices.
    policy_elements: Vec<Vec<usize>>,
}

impl Layout {
    fn new(model: &Model, sc: &Scenario, targets: &Targets, sizes: &Sizes) -> Self {
        let checks: Vec<Check> = targets.checks.iter().map(|(c, _)| *c).collect();
        let mut source_check = vec![None; sc.sources.len()];
        for (j, c) in checks.iter().enumerate() {
            if let Check::Stream(Stream::Source(i)) = c {
                source_check[*i] = Some(j);
            }
        }
        Self {
            checks,
            refs: sizes.0.iter().map(|s| s.r).collect(),
            source_check,
            policy_elements: (0..model.bandwidth_policies.len()).map(|p| policy_elements(model, p).collect()).collect(),
        }
    }

    fn len(&self) -> usize {
        2 * self.checks.len() + self.refs.len()
    }

    /// The terms of replication `r`, whose sources are the scenario's
    /// sources `sources` (by place), in order.
    fn terms(&self, r: &Replication, sources: &[usize]) -> Terms {
        let mut t = vec![0u64; self.len()];
        let mut put = |slot: usize, (a, b): (u64, u64)| {
            t[2 * slot] = a;
            t[2 * slot + 1] = b;
        };
        let policy = |p: usize| refusal_terms(self.policy_elements[p].iter().map(|e| &r.cac_audio[*e]));
        for (j, c) in self.checks.iter().enumerate() {
            match *c {
                Check::Stream(Stream::Overall) => put(j, grade_of_service_terms(&r.counts.pstn())),
                Check::Stream(Stream::SiteOutbound(s)) => {
                    put(j, grade_of_service_terms(r.per_site[s.index()].get(Direction::Outbound)))
                }
                // Each source's own, below.
                Check::Stream(Stream::Source(_)) => {}
                Check::Policy(p) => put(j, policy(p)),
            }
        }
        for (tally, &g) in r.per_source.iter().zip(sources) {
            if let Some(j) = self.source_check[g] {
                put(j, grade_of_service_terms(&tally.pstn()));
            }
        }
        let first = 2 * self.checks.len();
        for (k, r_) in self.refs.iter().enumerate() {
            t[first + k] = match *r_ {
                Ref::Peer(i) => r.peers[i].rejected,
                Ref::Trunk(i) => r.trunks[i].rejected,
                Ref::Pool(i) => r.mediation_pools[i].rejected,
                Ref::Policy(p) => policy(p).0,
                Ref::Link(_) => 0,
            };
        }
        t
    }
}

/// The numbers of `t` that are not zero.
fn sparse(t: Terms) -> Sparse {
    t.into_iter().enumerate().filter(|(_, v)| *v != 0).map(|(i, v)| (i as u32, v)).collect()
}

/// Adds a part's terms to `t`.
fn combine(t: &mut Terms, part: &Sparse) {
    for &(i, v) in part {
        t[i as usize] += v;
    }
}

/// A confirming run's sums, one replication at a time in index order.
struct Sums {
    reps: u32,
    ratios: Vec<Ratio>,
    refused: Vec<u64>,
}

impl Sums {
    fn new(layout: &Layout) -> Self {
        Self { reps: 0, ratios: vec![Ratio::default(); layout.checks.len()], refused: vec![0; layout.refs.len()] }
    }

    fn fold(&mut self, t: &[u64]) {
        self.reps += 1;
        for (j, ratio) in self.ratios.iter_mut().enumerate() {
            ratio.add(t[2 * j], t[2 * j + 1]);
        }
        let first = 2 * self.ratios.len();
        for (r, x) in self.refused.iter_mut().zip(&t[first..]) {
            *r += x;
        }
    }

    fn shares(&self) -> impl Iterator<Item = Option<Estimate>> + '_ {
        self.ratios.iter().map(Estimate::proportion)
    }

    fn confirmation(&self) -> Confirmation {
        Confirmation { shares: self.shares().collect(), refused: self.refused.clone(), replications: self.reps }
    }
}

/// A part's replications at some sizes, in index order.
struct PartRun {
    terms: Vec<Sparse>,
    /// When the part is the whole network (every source is in it), the
    /// results of its replications as a run of the whole network folds
    /// them: what the plan reports, when these sizes are the last put in
    /// force, with no run again.
    results: Option<Results>,
}

impl PartRun {
    fn new(whole: bool, model: &Model, sc: &Scenario) -> Self {
        Self { terms: Vec::new(), results: whole.then(|| Results::new(model, sc)) }
    }

    fn len(&self) -> u32 {
        self.terms.len() as u32
    }
}

/// A confirming run at sizes not yet in force: the parts it changed and
/// their terms with the change, in each replication it ran.
pub(super) struct Trial {
    sizes: Sizes,
    /// The model at those sizes; `None` when they are the sizes in force.
    model: Option<Model>,
    until_miss: bool,
    replications: u32,
    parts: Vec<u32>,
    runs: Vec<PartRun>,
}

/// The network's runs at the sizes in force, part by part.
pub(super) struct PartRuns<'a> {
    model: &'a Model,
    /// The scenario confirming runs run (without a precision target of
    /// its own: the plan's decides).
    sc: Scenario,
    /// The scenario without its sources: a part's is built on it.
    skeleton: Scenario,
    o: &'a PlanOptions,
    limits: Vec<f64>,
    layout: Layout,
    workers: Workers,
    /// The part of each source.
    of_source: Vec<u32>,
    /// The parts with a source, in order.
    with_source: Vec<u32>,
    /// The parts with a source that a change of each sized element's
    /// size can change.
    of_element: Vec<Vec<u32>>,
    /// The sizes in force, the model at those sizes, and whether their
    /// confirming run stopped at the first miss.
    current: Sizes,
    current_model: Model,
    until_miss: bool,
    /// Each part's terms alone at the sizes in force, in each replication
    /// run so far.
    alone: BTreeMap<u32, PartRun>,
    /// Replications of the confirming run of the sizes in force.
    replications: u32,
}

impl<'a> PartRuns<'a> {
    /// Runs at `sizes`, none simulated yet. With `o.in_parts` false the
    /// network is one part: every trial runs all of it.
    pub(super) fn new(
        model: &'a Model,
        sc: &Scenario,
        o: &'a PlanOptions,
        targets: &Targets,
        sizes: &Sizes,
    ) -> Result<Self, AnalysisError> {
        let sc = Scenario { precision: None, ..sc.clone() };
        let (of_source, of_element) = if o.in_parts {
            let interaction = Interaction::of(model, &sc);
            let of_source = interaction.source_components().to_vec();
            let mut with_source = vec![false; interaction.components() as usize];
            of_source.iter().for_each(|c| with_source[*c as usize] = true);
            let of_element = sizes
                .0
                .iter()
                .map(|s| {
                    let mut parts: Vec<u32> = match s.r {
                        Ref::Peer(i) => vec![interaction.peer_component(i)],
                        Ref::Trunk(i) => vec![interaction.trunk_component(i)],
                        Ref::Pool(i) => vec![interaction.pool_component(i)],
                        Ref::Policy(p) => policy_elements(model, p).map(|e| interaction.cac_component(e)).collect(),
                        // A link's bandwidth changes no call's outcome;
                        // taken to change every part all the same.
                        Ref::Link(_) => (0..interaction.components()).collect(),
                    };
                    parts.retain(|c| with_source[*c as usize]);
                    parts.sort_unstable();
                    parts.dedup();
                    parts
                })
                .collect();
            (of_source, of_element)
        } else {
            let one = if sc.sources.is_empty() { Vec::new() } else { vec![0] };
            (vec![0; sc.sources.len()], vec![one; sizes.0.len()])
        };
        Ok(Self {
            model,
            skeleton: Scenario { sources: Vec::new(), text: String::new(), ..sc.clone() },
            o,
            limits: targets.checks.iter().map(|(_, limit)| *limit).collect(),
            layout: Layout::new(model, &sc, targets, sizes),
            workers: Workers::new(o.threads)?,
            with_source: {
                let mut parts = of_source.clone();
                parts.sort_unstable();
                parts.dedup();
                parts
            },
            of_source,
            of_element,
            current: sizes.clone(),
            current_model: sizes.apply(model)?,
            until_miss: false,
            alone: BTreeMap::new(),
            replications: 0,
            sc,
        })
    }

    /// Confirms `sizes` as [`PlanOptions::confirm_targets`] does on the
    /// whole network (the same replications, the same shares), running
    /// only the parts where they differ from the sizes in force. The
    /// trial is put in force by [`commit`](Self::commit).
    pub(super) fn confirm(&mut self, sizes: &Sizes, until_miss: bool) -> Result<(Confirmation, Trial), AnalysisError> {
        let changed: Vec<usize> = (0..sizes.0.len()).filter(|k| sizes.0[*k].size != self.current.0[*k].size).collect();
        let mut parts: Vec<u32> = changed.iter().flat_map(|k| self.of_element[*k].iter().copied()).collect();
        parts.sort_unstable();
        parts.dedup();
        let model = if changed.is_empty() { None } else { Some(sizes.apply(self.model)?) };
        let mut runs: Vec<PartRun> = match &model {
            Some(m) => parts.iter().map(|_| PartRun::new(self.is_whole(), m, &self.sc)).collect(),
            None => Vec::new(),
        };
        let mut sums = Sums::new(&self.layout);
        let (o, limits, first) = (self.o, self.limits.clone(), self.sc.replications);
        let goals = |s: &Sums| o.goals(s.shares().zip(limits.iter().copied()), until_miss);
        let advance = |s: &mut Sums, range| self.advance(model.as_ref(), &parts, &mut runs, s, range);
        run_until(first, &o.precision, &mut sums, advance, goals);
        let trial = Trial { sizes: sizes.clone(), model, until_miss, replications: sums.reps, parts, runs };
        Ok((sums.confirmation(), trial))
    }

    /// Puts a trial's sizes in force: its parts keep the replications it
    /// ran (a later trial runs more of them if it needs more).
    pub(super) fn commit(&mut self, trial: Trial) {
        let Trial { sizes, model, until_miss, replications, parts, runs } = trial;
        if let Some(model) = model {
            if parts.is_empty() {
                // Only elements no call reaches changed: the kept runs'
                // figures still hold, but their results name the old
                // sizes (capacities), so the plan's run is made again.
                self.alone.values_mut().for_each(|run| run.results = None);
            }
            self.alone.extend(parts.into_iter().zip(runs));
            self.current_model = model;
        }
        self.current = sizes;
        self.until_miss = until_miss;
        self.replications = replications;
    }

    /// Whether the network is one part: its run is the whole network's.
    fn is_whole(&self) -> bool {
        self.with_source.len() == 1
    }

    /// The whole network's run at the sizes in force, as their confirming
    /// run ran it: what the plan reports and sizes WAN links on. A
    /// network of one part has it already.
    pub(super) fn into_results(mut self, targets: &Targets) -> Result<Results, AnalysisError> {
        let kept = self.with_source.first().and_then(|d| self.alone.remove(d)).and_then(|run| run.results);
        match kept {
            Some(r) if self.is_whole() && r.replications() == self.replications => Ok(r),
            _ => self.o.confirm_targets(&self.current_model, &self.sc, targets, self.until_miss),
        }
    }

    /// Replications `range` of a trial: the other parts' at the sizes in
    /// force (run as far as needed), the changed parts' at the trial's
    /// sizes, and their sum, folded in order.
    fn advance(
        &mut self,
        model: Option<&Model>,
        parts: &[u32],
        runs: &mut [PartRun],
        sums: &mut Sums,
        range: Range<u32>,
    ) {
        for d in self.with_source.clone() {
            if parts.binary_search(&d).is_err() {
                self.extend_alone(d, range.end);
            }
        }
        for (d, run) in parts.iter().zip(runs.iter_mut()) {
            let model = model.expect("a trial with changed parts has its model");
            self.run_part(model, *d, range.clone(), run);
        }
        for i in range {
            let i = i as usize;
            let mut t = vec![0u64; self.layout.len()];
            for (d, alone) in &self.alone {
                if parts.binary_search(d).is_err() {
                    combine(&mut t, &alone.terms[i]);
                }
            }
            for run in runs.iter() {
                combine(&mut t, &run.terms[i]);
            }
            sums.fold(&t);
        }
    }

    /// Runs part `d` alone at the sizes in force up to replication `n`.
    fn extend_alone(&mut self, d: u32, n: u32) {
        let start = self.alone.get(&d).map_or(0, PartRun::len);
        if start < n {
            let mut run =
                self.alone.remove(&d).unwrap_or_else(|| PartRun::new(self.is_whole(), &self.current_model, &self.sc));
            self.run_part(&self.current_model, d, start..n, &mut run);
            self.alone.insert(d, run);
        }
    }

    /// Runs replications `range` of part `d` on `model`, in order, onto
    /// `out`.
    fn run_part(&self, model: &Model, d: u32, range: Range<u32>, out: &mut PartRun) {
        let sources: Vec<usize> = (0..self.of_source.len()).filter(|s| self.of_source[*s] == d).collect();
        let part = if self.is_whole() {
            self.sc.clone()
        } else {
            part_scenario(&self.skeleton, &self.sc.sources, &[d], &self.of_source)
                .expect("only parts with a source are run")
        };
        let keep = out.results.is_some();
        let one = |i: u32| {
            let r = run_replication(model, &part, i);
            (sparse(self.layout.terms(&r, &sources)), keep.then_some(r))
        };
        let PartRun { terms, results } = out;
        self.workers.in_order(range, one, |(t, r)| {
            terms.push(t);
            if let (Some(results), Some(r)) = (results.as_mut(), r) {
                results.fold(&r);
            }
        });
    }
}
