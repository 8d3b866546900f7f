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
use super::interaction::Interaction;
use super::paired::{ImpactSums, OverallTerms, PairedFigures, PartFigures};
use super::results::Results;
use super::run::PrecisionOutcome;
pub use super::schema::whatif::{CaseResult, WhatIfResults, SCHEMA_VERSION};
use super::schema::whatif::{EmergencyLost, EmergencyRoute};
use super::shard::Shard;
use super::stats::Estimate;
use super::summary::impact;
use super::workers::Workers;

mod assemble;
mod cases;
pub mod ranked;
pub mod routes;
mod same;

pub use cases::{cases, cases_where, elements, CasePlan, Cases, LeftOut};
use ranked::{digest, Key, PairHeld, Place, Slot};
pub use ranked::{RankedCases, Spill};
use same::SameFailures;

/// Pairs that are sums put together at a time: a batch's results are held
/// until written to the scratch file.
const SUMS_AT_ONCE: usize = 4096;

/// The time buckets of the what-if window: from the one it starts in to
/// the one it ends in.
fn window_buckets(sc: &Scenario) -> (usize, usize) {
    let w = &sc.whatif;
    let bucket = sc.bucket.0;
    ((w.at / bucket) as usize, (w.at + w.duration).div_ceil(bucket) as usize)
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
pub fn case_scenario(model: &Model, base: &Scenario, case: &[FailureTarget]) -> Scenario {
    failed_scenario(model, base, case, &Streams::new())
}

/// Per element failing exactly what an earlier element fails, the earlier
/// one's label: what its random streams are named after.
type Streams = std::collections::HashMap<FailureTarget, String>;

/// [`case_scenario`], each element's random streams named as `streams`
/// says (else after itself).
fn failed_scenario(model: &Model, base: &Scenario, case: &[FailureTarget], streams: &Streams) -> Scenario {
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
            stream: streams.get(t).cloned(),
        })
        .collect();
    Scenario { failures, ..base.clone() }
}

/// `scenario` without sources, failures or text: what a case's scenario
/// is built on.
fn skeleton(scenario: &Scenario) -> Scenario {
    Scenario { sources: Vec::new(), failures: Vec::new(), text: String::new(), ..scenario.clone() }
}

/// A part of the network and its sources' scenario without failures.
type PartToRun = (u32, Option<Scenario>);

/// Builds the scenario a case runs when it runs: the study's scenario
/// without sources, failures or text (`skeleton`), with the case's
/// failures and the sources of the parts it touches. Built per batch and
/// dropped, not kept per case: a scenario carries every peer's responses
/// and (for the results folder) its text, which over thousands of cases
/// was most of a large study's memory.
struct CaseScenarios<'a> {
    model: &'a Model,
    skeleton: Scenario,
    sources: &'a [crate::traffic::Source],
    of_source: &'a [u32],
    streams: &'a Streams,
}

impl CaseScenarios<'_> {
    /// A case's scenario: `None` when no source is in its parts.
    fn case(&self, case: &Case) -> Option<Scenario> {
        let failed = failed_scenario(self.model, &self.skeleton, &case.plan.targets, self.streams);
        part_scenario(&failed, self.sources, &case.touched, self.of_source)
    }

    /// Part `part`'s sources alone, without failures.
    fn alone(&self, part: u32) -> Option<Scenario> {
        part_scenario(&self.skeleton, self.sources, &[part], self.of_source)
    }
}
/// A part and its figures alone in each replication of a batch.
type PartAlone = (u32, Vec<PartFigures>);

/// One simulated case on its way: its sums so far.
struct Case {
    index: usize,
    plan: CasePlan,
    /// The parts of the network it touches.
    touched: Vec<u32>,
    /// Whether it runs its parts with its failures: a source is in them
    /// (else nothing changes).
    runs: bool,
    sums: ImpactSums,
    /// Matching-limit hits of its replications with the failure.
    limit_hits: LimitHits,
    /// Blocked, dropped and failed calls of each replication so far, with
    /// the failure.
    lost: Vec<[u64; 3]>,
    /// For a single that a pair of the study is the sum of, its overall
    /// terms with the failure in each replication so far.
    terms: Option<Vec<OverallTerms>>,
}

impl Case {
    /// Folds one replication: the whole baseline's figures `without`,
    /// and the same with the case's `change` written in.
    fn fold(&mut self, without: &PairedFigures, change: &PartFigures) {
        let mut with = without.clone();
        with.apply(change);
        self.sums.fold_figures(&with, without);
        let c = with.counts.total();
        self.lost.push([c.blocked, c.dropped, c.failed]);
        if let Some(terms) = &mut self.terms {
            terms.push(OverallTerms::of(&with, &self.sums.window_ranges()));
        }
    }
}

/// One shard of a what-if, computed: the baseline's figures and the
/// cases the shard owns (`voicetwin merge` assembles shards).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct WhatIfPart {
    pub shard: Shard,
    /// Cases in the whole study.
    pub cases: usize,
    pub replications: u32,
    pub precision: Option<PrecisionOutcome>,
    pub components: u32,
    pub baseline_grade_of_service: Option<Estimate>,
    pub baseline_blocked: Estimate,
    pub baseline_grade_of_service_during: Option<Estimate>,
    pub baseline_limit_hits: LimitHits,
    /// The baseline's overall terms in each replication, when a pair of
    /// the study is a sum of singles (else empty).
    #[serde(default)]
    pub baseline_terms: Vec<OverallTerms>,
    /// The cases the shard owns, but the pairs that are sums of singles:
    /// `assemble` puts those together from their singles' terms.
    pub done: Vec<CaseDone>,
}

/// A case of a shard, computed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CaseDone {
    /// Its place in the study's case list.
    pub index: usize,
    pub result: CaseResult,
    pub limit_hits: LimitHits,
    /// Blocked, dropped and failed calls in each replication with the
    /// failure: a pair with the same as one of its singles is folded
    /// into it.
    pub lost: Vec<[u64; 3]>,
    /// For a single that a pair of the study is the sum of, its overall
    /// terms with the failure in each replication (else empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<OverallTerms>,
}

/// Runs the what-if analysis of `scenario` on `threads` threads, telling
/// `progress` each time some case replications have run: how many more,
/// and how many there are in all. Results do not depend on the thread
/// count, nor on how the study is split into shards.
pub fn run_whatif(
    model: &Model,
    scenario: &Scenario,
    threads: usize,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<WhatIfResults, AnalysisError> {
    let study = WhatIfStudy::new(model, scenario);
    let part = study.run_part(threads, Shard::WHOLE, progress)?;
    in_memory(study.assemble([Ok(part)], threads, Spill::memory())?)
}

/// Results whose ranked cases are all in memory.
fn in_memory(r: WhatIfResults<RankedCases>) -> Result<WhatIfResults, AnalysisError> {
    let mut r = r;
    let cases = std::mem::replace(&mut r.results, RankedCases::empty());
    let all =
        cases.into_vec().map_err(|e| AnalysisError::Scratch { path: "in memory".into(), message: e.to_string() })?;
    Ok(r.with_results(all))
}

/// The number of cases of `scenario`'s what-if.
pub fn case_count(model: &Model, scenario: &Scenario) -> usize {
    WhatIfStudy::new(model, scenario).case_count()
}

/// Runs shard `shard` of `scenario`'s what-if ([`WhatIfStudy::run_part`]).
pub fn run_whatif_part(
    model: &Model,
    scenario: &Scenario,
    threads: usize,
    shard: Shard,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<WhatIfPart, AnalysisError> {
    WhatIfStudy::new(model, scenario).run_part(threads, shard, progress)
}

/// The what-if's results from the parts of all its shards
/// ([`WhatIfStudy::assemble`]).
pub fn assemble_whatif(
    model: &Model,
    scenario: &Scenario,
    parts: Vec<WhatIfPart>,
    threads: usize,
) -> Result<WhatIfResults, AnalysisError> {
    in_memory(WhatIfStudy::new(model, scenario).assemble(parts.into_iter().map(Ok), threads, Spill::memory())?)
}

/// A what-if study, prepared once for all its shards in a process: the
/// route check's sampled calls, the network's independent parts, the
/// cases and the parts each touches. None of it is simulated, and all
/// of it is the same in every shard.
pub struct WhatIfStudy<'a> {
    model: &'a Model,
    scenario: &'a Scenario,
    prepared: routes::Prepared<'a>,
    interaction: Interaction,
    plan: Cases,
    /// Per single, the parts of the network it touches (a pair's are
    /// merged from its singles' when needed: [`WhatIfStudy::touched`]).
    touched: Vec<Vec<u32>>,
    /// With k = 2, per single, the emergency routes it changes: a pair
    /// lists only what failing both changes beyond each of them.
    singles_emergency: Vec<Vec<EmergencyRoute>>,
    /// With k = 2, per single, the first single with the same failure
    /// ([`SameFailures`]); else empty.
    same: Vec<usize>,
    /// With k = 2, the pairs that together fail exactly what one single
    /// fails, each with that single: (single, a, b).
    same_pairs: Vec<[usize; 3]>,
    /// With k = 2, the pairs failing exactly what an earlier pair run
    /// fails: (that pair's case index, the later pair's elements), sorted.
    pair_equivalents: Vec<(usize, [usize; 2])>,
    /// Elements failing exactly what an earlier one fails draw from the
    /// earlier one's streams: both give the same calls, so a pair left
    /// out as equivalent is exactly the pair kept in its place.
    streams: Streams,
    /// Per case, whether it is a single that a pair that is a sum needs:
    /// it keeps its terms per replication.
    summed: Vec<bool>,
}

impl<'a> WhatIfStudy<'a> {
    /// The cases of `scenario`'s what-if: every element of its classes
    /// and, with k = 2, every pair but those of an element with a part of
    /// itself and (unless `all_pairs`) those with an element that alone
    /// cuts a site off from the PSTN, as the route check finds.
    pub fn new(model: &'a Model, scenario: &'a Scenario) -> Self {
        let prepared = routes::Prepared::new(model, scenario);
        let interaction = Interaction::of(model, scenario);
        let w = &scenario.whatif;
        let elements = elements(model, &w.classes);
        // The singles first; the pairs, decided as they are generated, after.
        let mut plan = cases(model, &elements, 1);
        let singles: Vec<Vec<u32>> = plan.iter().map(|c| interaction.touched(model, &c.targets)).collect();
        let mut singles_emergency = Vec::new();
        let mut same = Vec::new();
        let mut same_pairs = Vec::new();
        let mut pair_equivalents = Vec::new();
        let same_as = SameFailures::of(model, &elements);
        let first_same = same_as.first();
        let streams: Streams = first_same
            .iter()
            .enumerate()
            .filter(|(i, first)| i != *first)
            .map(|(i, &first)| (elements[i], elements[first].label(model)))
            .collect();
        if w.k >= 2 {
            let of_source = interaction.source_components();
            let mut isolates = Vec::new();
            for (c, touched) in plan.iter().zip(&singles) {
                let check = prepared.check(&c.targets, &|s| touched.binary_search(&of_source[s]).is_ok());
                isolates.push(check.pstn_cut.iter().any(|p| p.share >= 1.0));
                singles_emergency.push(changed(check.emergency, &prepared.baseline, &[]));
            }
            // The first pair run of each failure (by its hash), with its
            // case index and elements: a later pair failing exactly the same
            // is left out in its favour. Rebuilt in the listing pass; about
            // 30 bytes a pair run, while the cases are listed.
            let mut first_pair: std::collections::HashMap<u64, (u32, [u32; 2])> = Default::default();
            let (n, mut listed, mut listing_started) = (elements.len(), 0usize, false);
            let mut left_out = |a: usize, b: usize, listing: bool| {
                if listing && !listing_started {
                    first_pair.clear();
                    listing_started = true;
                }
                let single = same_as.of_pair(a, b);
                let mut why = if isolates[a] || isolates[b] {
                    LeftOut::Dominated
                } else if first_same[a] != a || first_same[b] != b || single.is_some() {
                    LeftOut::Equivalent
                } else {
                    LeftOut::No
                };
                match (why, single) {
                    // Named on the single it stands for; not a pair of two
                    // elements each failing what it fails (named one by one).
                    (LeftOut::Equivalent, Some(s)) if listing && (first_same[a] != s || first_same[b] != s) => {
                        same_pairs.push([s, a, b])
                    }
                    (LeftOut::No, _) => match same_as.pair_hash(a, b).map(|h| (h, first_pair.get(&h).copied())) {
                        Some((_, Some((case, [c, d])))) if same_as.same_pairs([a, b], [c as usize, d as usize]) => {
                            why = LeftOut::Equivalent;
                            if listing {
                                pair_equivalents.push((case as usize, [a, b]));
                            }
                        }
                        Some((h, None)) => {
                            first_pair.insert(h, ((n + listed) as u32, [a as u32, b as u32]));
                        }
                        _ => {}
                    },
                    _ => {}
                }
                // The same names either way; `--all-pairs` runs them all.
                if w.all_pairs {
                    why = LeftOut::No;
                }
                if listing && why == LeftOut::No {
                    listed += 1;
                }
                why
            };
            plan = cases_where(model, &elements, w.k, &mut left_out);
            pair_equivalents.sort_unstable();
            // Named on each single, with all pairs run or not.
            same = first_same.to_vec();
        }
        let touched = singles;
        let mut study = Self {
            model,
            scenario,
            prepared,
            interaction,
            plan,
            touched,
            singles_emergency,
            same,
            same_pairs,
            pair_equivalents,
            streams,
            summed: Vec::new(),
        };
        study.summed = vec![false; study.plan.len()];
        let pairs: Vec<[usize; 2]> = (0..study.plan.len()).filter_map(|i| study.is_sum(i)).collect();
        for [a, b] in pairs {
            study.summed[a] = true;
            study.summed[b] = true;
        }
        study
    }

    /// Case `i`'s elements, as the results name them.
    fn label(&self, i: usize) -> String {
        self.plan.get(i).targets.iter().map(|t| t.label(self.model)).collect::<Vec<_>>().join(" + ")
    }

    pub fn case_count(&self) -> usize {
        self.plan.len()
    }

    /// The parts of the network case `i` touches, sorted. What a pair
    /// touches is what its elements touch, each on its own
    /// (`Interaction::touched` is that union): merged from its singles'
    /// here rather than kept for each of hundreds of thousands of pairs.
    fn touched(&self, i: usize) -> std::borrow::Cow<'_, [u32]> {
        match self.plan.get(i).singles {
            None => std::borrow::Cow::Borrowed(&self.touched[i]),
            Some([a, b]) => {
                let mut both: Vec<u32> = self.touched[a].iter().chain(&self.touched[b]).copied().collect();
                both.sort_unstable();
                both.dedup();
                std::borrow::Cow::Owned(both)
            }
        }
    }

    /// What the user should know before the study's figures: its window
    /// starting in the warm-up, templates that cost it parts. Said by
    /// `whatif` and by `merge` alike.
    pub fn notes(&self) -> Vec<String> {
        [self.scenario.whatif_window_note(), self.unbounded_note()].into_iter().flatten().collect()
    }

    /// When some sources' dial templates could not be bounded (taken to
    /// reach every user) and that joins parts of the network that could
    /// otherwise be apart, a note saying which and what to do.
    pub fn unbounded_note(&self) -> Option<String> {
        let found = self.interaction.unbounded();
        let (now, could) = (self.interaction.components(), self.interaction.components_if_bounded());
        if found.is_empty() || could <= now {
            return None;
        }
        let mut sources: Vec<usize> = found.iter().map(|(s, _)| *s).collect();
        sources.dedup();
        let named: Vec<String> = found
            .iter()
            .take(3)
            .map(|(s, template)| format!("`{}` dialing `{template}`", self.scenario.sources[*s].name))
            .collect();
        let more = found.len().saturating_sub(named.len());
        let parts = |n: u32| if n == 1 { "one part".to_owned() } else { format!("{n} parts") };
        Some(format!(
            "{} template(s) of {} traffic source(s) cannot be bounded by the what-if (neither in E.164 form nor few \
             enough strings to try one by one): {}{}. Their calls are taken to reach every user, which leaves the \
             network {} where it could be up to {could}. Written in E.164 form (a `+` and the country code first, \
             as the numbers are after the dial plan), they let each case run on fewer parts; an E.164 template \
             that covers another site's numbers still joins them (docs/scenario.md, \"Templates and the \
             what-if's parts\").",
            found.len(),
            sources.len(),
            named.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() },
            parts(now),
        ))
    }

    /// Case `i`'s singles when it is a pair whose elements touch
    /// different parts: the sum of its singles.
    fn is_sum(&self, i: usize) -> Option<[usize; 2]> {
        let [a, b] = self.plan.get(i).singles?;
        self.touched[a].iter().all(|p| self.touched[b].binary_search(p).is_err()).then_some([a, b])
    }

    /// The simulation every shard (or local part) does besides its own
    /// cases, in whole-network replication sets: the baseline, and each
    /// part alone. (A pair that is a sum is put together from its
    /// singles' terms, simulating nothing, wherever its singles ran.)
    pub fn part_overhead(&self) -> f64 {
        2.0
    }

    /// The simulation cases `cases` cost, as [`WhatIfStudy::case_work`].
    fn work_of(&self, cases: impl Iterator<Item = usize>) -> f64 {
        let rate: Vec<f64> = self.scenario.sources.iter().map(|s| s.rate_per_s).collect();
        let all: f64 = rate.iter().sum();
        let of_source = self.interaction.source_components();
        cases
            .map(|i| {
                if all <= 0.0 {
                    return 1.0;
                }
                let touched = self.touched(i);
                let share: f64 =
                    rate.iter().zip(of_source).filter(|(_, c)| touched.binary_search(c).is_ok()).map(|(r, _)| r).sum();
                share / all
            })
            .sum()
    }

    /// The simulation the cases cost, in whole-network replication sets:
    /// each case counts the share of the scenario's calls its parts make
    /// (all of them for a network of one part); a pair that is a sum
    /// costs nothing. The baseline, and each part alone, come on top
    /// (once per shard).
    pub fn case_work(&self) -> f64 {
        self.work_of((0..self.plan.len()).filter(|i| self.is_sum(*i).is_none()))
    }

    /// Runs shard `shard` of the what-if: the baseline, then the shard's
    /// cases (and, for its pairs that are sums, their singles).
    ///
    /// A batch of baseline replications at a time is run and kept; each part
    /// of the network a case touches is run alone for the same replications
    /// without failures, once for all cases; every case then runs its parts
    /// with its failure and folds each pair (with, without) in index order,
    /// its change written into the whole baseline's figures. Memory holds one
    /// batch of baselines and parts, and each case's sums, whatever the
    /// number of replications.
    pub fn run_part(
        &self,
        threads: usize,
        shard: Shard,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<WhatIfPart, AnalysisError> {
        let (model, scenario) = (self.model, self.scenario);
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
        let total = self.plan.len();
        let of_source = self.interaction.source_components();
        let with_sources: std::collections::BTreeSet<u32> = of_source.iter().copied().collect();
        let scenarios = CaseScenarios {
            model,
            skeleton: skeleton(scenario),
            sources: &scenario.sources,
            of_source,
            streams: &self.streams,
        };
        // The shard's cases but its pairs that are sums: those simulate
        // nothing, and are put together from their singles' terms.
        let mut cases: Vec<Case> = (0..total)
            .filter(|i| shard.owns(*i) && self.is_sum(*i).is_none())
            .map(|index| {
                let (plan, touched) = (self.plan.get(index), self.touched(index).into_owned());
                // Only the figures a case reports: no per-site sums, which
                // over thousands of cases of a network of thousands of sites
                // would be the study's largest table.
                let sums = ImpactSums::overall(&case_scenario(model, &scenarios.skeleton, &plan.targets));
                let runs = touched.iter().any(|p| with_sources.contains(p));
                Case {
                    index,
                    sums,
                    plan,
                    touched,
                    runs,
                    limit_hits: LimitHits::default(),
                    lost: Vec::new(),
                    terms: self.summed[index].then(Vec::new),
                }
            })
            .collect();
        // The parts any case runs, each alone without failures.
        let mut parts: Vec<u32> = cases.iter().filter(|c| c.runs).flat_map(|c| c.touched.clone()).collect();
        parts.sort_unstable();
        parts.dedup();
        let parts: Vec<(u32, Option<Scenario>)> = parts.into_iter().map(|p| (p, scenarios.alone(p))).collect();
        // The baseline's terms, read over the what-if window as every
        // case's sums read theirs, when a pair is a sum.
        let ranges = self.summed.iter().any(|s| *s).then(|| vec![window_buckets(scenario)]);
        let baseline_terms = fold_pairs(
            &scenarios,
            &baseline_sc,
            reps,
            &workers,
            &mut baseline,
            &parts,
            &mut cases,
            ranges.as_deref(),
            progress,
        );
        let mut done: Vec<Option<CaseDone>> = vec![None; cases.len()];
        {
            let mut slots: Vec<(&mut Case, &mut Option<CaseDone>)> = cases.iter_mut().zip(done.iter_mut()).collect();
            workers.for_each_mut(&mut slots, |(case, slot)| {
                **slot = Some(CaseDone {
                    index: case.index,
                    result: self.case_result(case.index, &case.sums, false),
                    limit_hits: std::mem::take(&mut case.limit_hits),
                    lost: std::mem::take(&mut case.lost),
                    terms: case.terms.take().unwrap_or_default(),
                })
            });
        }
        Ok(WhatIfPart {
            shard,
            cases: total,
            replications: reps,
            precision,
            components: self.interaction.components(),
            baseline_grade_of_service: baseline.grade_of_service(),
            baseline_blocked: count(&baseline.counts.total.blocked),
            baseline_grade_of_service_during: baseline.window_grade_of_service(0),
            baseline_limit_hits: baseline.pattern_limit_hits.clone(),
            baseline_terms,
            done: done.into_iter().flatten().collect(),
        })
    }
}

/// The routes of `now` (every emergency number under a failure) that
/// differ from `baseline` (without failures) and from the route under
/// each of `singles` (for a pair: each single's changed routes; a number
/// a single leaves unchanged has its baseline route).
fn changed(
    now: Vec<EmergencyRoute>,
    baseline: &[EmergencyRoute],
    singles: &[&[EmergencyRoute]],
) -> Vec<EmergencyRoute> {
    // Collected into a new vector: filtered in place, it would keep the
    // room of every number of the network, per case (most of a large
    // N-2's memory).
    let mut out = Vec::new();
    out.extend(
        now.into_iter()
            .zip(baseline)
            .filter(|(now, before)| {
                now != *before
                    && singles.iter().all(|single| {
                        single.iter().find(|r| r.site == now.site && r.number == now.number).is_none_or(|r| r != now)
                    })
            })
            .map(|(now, _)| now),
    );
    out
}

/// `skeleton` (a case's scenario, or the baseline's, its sources aside)
/// with those of `sources` in parts `parts`: `None` when none is there.
pub fn part_scenario(
    skeleton: &Scenario,
    sources: &[crate::traffic::Source],
    parts: &[u32],
    of_source: &[u32],
) -> Option<Scenario> {
    let sources: Vec<_> =
        sources.iter().zip(of_source).filter(|(_, c)| parts.binary_search(c).is_ok()).map(|(s, _)| s.clone()).collect();
    (!sources.is_empty()).then(|| Scenario { sources, ..skeleton.clone() })
}

/// Folds replications `0..reps` of the baseline into `baseline` and,
/// paired with each, the same replication of every case into the case's
/// sums: a batch at a time. Each batch runs the baseline, then each part
/// alone, then every case on its parts (one thread per case, in index
/// order); a case's figures are the baseline's with its parts' change
/// written in. Returns the baseline's overall terms over `ranges` in
/// each replication (none without ranges).
#[allow(clippy::too_many_arguments)]
fn fold_pairs(
    scenarios: &CaseScenarios,
    baseline_sc: &Scenario,
    reps: u32,
    workers: &Workers,
    baseline: &mut Results,
    parts: &[(u32, Option<Scenario>)],
    cases: &mut [Case],
    ranges: Option<&[(usize, usize)]>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Vec<OverallTerms> {
    let model = scenarios.model;
    let total = cases.len() as u64 * u64::from(reps);
    let mut baseline_terms = Vec::new();
    let mut start = 0;
    while start < reps {
        let end = start.saturating_add(workers.batch()).min(reps);
        let mut batch = Vec::with_capacity((end - start) as usize);
        workers.in_order(start..end, |i| run_replication(model, baseline_sc, i), |r| batch.push(r));
        batch.iter().for_each(|r| baseline.fold(r));
        let whole: Vec<PairedFigures> = batch.iter().map(PairedFigures::of).collect();
        if let Some(ranges) = ranges {
            baseline_terms.extend(whole.iter().map(|w| OverallTerms::of(w, ranges)));
        }
        // Each part alone, without failures.
        let mut alone: Vec<(u32, Vec<PartFigures>)> = parts.iter().map(|(p, _)| (*p, Vec::new())).collect();
        {
            let mut slots: Vec<(&PartToRun, &mut PartAlone)> = parts.iter().zip(alone.iter_mut()).collect();
            workers.for_each_mut(&mut slots, |((_, sc), (_, out))| {
                *out = (start..end)
                    .map(|i| {
                        sc.as_ref()
                            .map_or_else(PartFigures::default, |sc| PartFigures::of(&run_replication(model, sc, i)))
                    })
                    .collect();
            });
        }
        let part = |p: u32| &alone[alone.binary_search_by_key(&p, |(q, _)| *q).expect("every touched part ran")].1;
        workers.for_each_mut(cases, |case| {
            let scenario = if case.runs { scenarios.case(case) } else { None };
            for (k, i) in (start..end).enumerate() {
                let mut change = PartFigures::default();
                if let Some(sc) = &scenario {
                    let with = run_replication(model, sc, i);
                    case.limit_hits.add(&with.pattern_limit_hits);
                    change = PartFigures::of(&with);
                    for p in &case.touched {
                        change.combine(&part(*p)[k], false);
                    }
                }
                case.fold(&whole[k], &change);
            }
            progress(u64::from(end - start), total);
        });
        start = end;
    }
    baseline_terms
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
