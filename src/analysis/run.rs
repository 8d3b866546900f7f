//! Replications of a scenario, in parallel, and as many as a precision
//! target needs, each folded into the run's [`Results`] as it comes and
//! then dropped.

use crate::analysis::AnalysisError;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::model::Model;
use crate::scenario::{Precision, Scenario};
use crate::sim::cdr::CdrSink;
use crate::sim::metrics::Direction;
use crate::sim::{run_replication, run_replication_with, Replication};

use super::paired::ImpactSums;
use super::results::Results;
use super::stats::Estimate;
use super::workers::Workers;

/// The scenario's replications themselves (no precision target), in
/// order, on `threads` threads (0: one per core). Each replication draws
/// only from its own streams, so they are the same whatever the thread
/// count. Memory grows with their number: this is for looking at single
/// replications (tests); the commands fold them into [`Results`] instead.
pub fn replications(model: &Model, scenario: &Scenario, threads: usize) -> Result<Vec<Replication>, AnalysisError> {
    let mut reps = Vec::with_capacity(scenario.replications as usize);
    let one = |i| run_replication(model, scenario, i);
    Workers::new(threads)?.in_order(0..scenario.replications, one, |r| reps.push(r));
    Ok(reps)
}

/// Folds replications `range` of `scenario` into `results`, in index
/// order, a batch at a time.
pub fn fold_range(model: &Model, scenario: &Scenario, range: Range<u32>, workers: &Workers, results: &mut Results) {
    fold_range_with(model, scenario, range, workers, results, None)
}

/// Where replication 1's call detail records go (`run --cdr`): taken by
/// the replication when it runs, given back when it ends.
pub type CdrSlot = std::sync::Mutex<Option<Box<dyn CdrSink>>>;

/// Replication `i`, replication 1 (index 0) handing its records to `cdr`.
fn replicate(model: &Model, scenario: &Scenario, i: u32, cdr: Option<&CdrSlot>) -> Replication {
    let sink = match cdr {
        Some(slot) if i == 0 => slot.lock().unwrap_or_else(|e| e.into_inner()).take(),
        _ => None,
    };
    let Some(sink) = sink else { return run_replication(model, scenario, i) };
    let (r, sink) = run_replication_with(model, scenario, i, Some(sink), None);
    if let Some(slot) = cdr {
        *slot.lock().unwrap_or_else(|e| e.into_inner()) = sink;
    }
    r
}

fn fold_range_with(
    model: &Model,
    scenario: &Scenario,
    range: Range<u32>,
    workers: &Workers,
    results: &mut Results,
    cdr: Option<&CdrSlot>,
) {
    workers.in_order(range, |i| replicate(model, scenario, i, cdr), |r| results.fold(&r));
}

/// Runs the scenario's replications, or with a precision target as many
/// as its headline figures need.
pub fn run(model: &Model, scenario: &Scenario, threads: usize) -> Result<Results, AnalysisError> {
    Ok(run_precise(model, scenario, threads)?.0)
}

/// One figure a precision target applies to, and how precise it must be.
#[derive(Debug, Clone)]
pub struct Goal {
    pub figure: String,
    pub estimate: Estimate,
    /// It is as precise as asked.
    pub met: bool,
    /// The half-width that would meet it (for the replications to add).
    pub half_width: f64,
}

impl Goal {
    /// Half-width at most `relative` of the value, or at most `absolute`.
    pub fn relative(figure: String, estimate: Estimate, p: &Precision) -> Self {
        let half_width = (p.relative * estimate.mean.abs()).max(p.absolute);
        Self { figure, estimate, met: estimate.half_width() <= half_width, half_width }
    }
}

/// What a precision target took.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrecisionOutcome {
    pub relative: f64,
    pub absolute: f64,
    pub max_replications: u32,
    /// Replications run.
    pub replications: u32,
    /// Every figure it applies to is as precise as asked.
    pub met: bool,
    /// The figure that decided how many replications ran: the least
    /// precise against its goal at the end.
    pub deciding_figure: Option<String>,
    pub deciding_estimate: Option<Estimate>,
    /// The half-width the deciding figure had to reach.
    pub deciding_goal: Option<f64>,
}

/// The headline figures of a run, each with its goal: the grade of
/// service overall, of each PSTN direction, of each site and of each
/// source (those with calls needing the PSTN side).
pub fn headline_goals(model: &Model, scenario: &Scenario, results: &Results, p: &Precision) -> Vec<Goal> {
    let mut goals = Vec::new();
    let mut push = |name: String, e: Option<Estimate>| {
        if let Some(e) = e {
            goals.push(Goal::relative(name, e, p));
        }
    };
    push("grade of service".into(), results.grade_of_service());
    for d in Direction::ALL.into_iter().filter(|d| d.needs_pstn()) {
        push(format!("{} grade of service", d.label()), results.counts.directions[d as usize].grade_of_service());
    }
    for (site, sums) in model.sites.iter().zip(&results.sites) {
        push(format!("site {} grade of service", site.name), sums.pstn.grade_of_service());
    }
    for (src, sums) in scenario.sources.iter().zip(&results.sources) {
        push(format!("source {} grade of service", src.name), sums.pstn.grade_of_service());
    }
    goals
}

/// Runs the scenario's replications; with a precision target, adds
/// replications until every headline figure meets it.
pub fn run_precise(
    model: &Model,
    scenario: &Scenario,
    threads: usize,
) -> Result<(Results, Option<PrecisionOutcome>), AnalysisError> {
    run_precise_with(model, scenario, threads, None)
}

fn run_precise_with(
    model: &Model,
    scenario: &Scenario,
    threads: usize,
    cdr: Option<&CdrSlot>,
) -> Result<(Results, Option<PrecisionOutcome>), AnalysisError> {
    let workers = Workers::new(threads)?;
    let mut results = Results::new(model, scenario);
    let advance = |results: &mut Results, range| fold_range_with(model, scenario, range, &workers, results, cdr);
    let outcome = match scenario.precision {
        None => {
            advance(&mut results, 0..scenario.replications);
            None
        }
        Some(p) => Some(run_until(scenario.replications, &p, &mut results, advance, |r| {
            headline_goals(model, scenario, r, &p)
        })),
    };
    Ok((results, outcome))
}

/// Runs replications from `first` upwards, `advance` folding each new
/// range into `state`, until every goal `goals` reads from `state` is
/// met, or `p.max_replications` have run. The count only depends on the
/// replications' results, which are folded in index order, and
/// replication i always draws the same streams: the outcome is
/// deterministic.
pub fn run_until<S>(
    first: u32,
    p: &Precision,
    state: &mut S,
    mut advance: impl FnMut(&mut S, Range<u32>),
    goals: impl Fn(&S) -> Vec<Goal>,
) -> PrecisionOutcome {
    let max = p.max_replications.max(first);
    // Two replications at least: one shows no spread.
    let mut n = first.max(2).min(max);
    advance(state, 0..n);
    loop {
        let now = goals(state);
        let worst = now.iter().max_by(|a, b| {
            let ratio = |g: &Goal| g.estimate.half_width() / g.half_width;
            ratio(a).total_cmp(&ratio(b)).then(b.figure.cmp(&a.figure))
        });
        let met = now.iter().all(|g| g.met);
        if met || n >= max {
            return PrecisionOutcome {
                relative: p.relative,
                absolute: p.absolute,
                max_replications: max,
                replications: n,
                met,
                deciding_figure: worst.map(|g| g.figure.clone()),
                deciding_estimate: worst.map(|g| g.estimate),
                deciding_goal: worst.map(|g| g.half_width),
            };
        }
        // Half-widths shrink as one over the root of the replications:
        // aim a tenth past what the least precise figure needs, at most
        // four times as many at once (an early spread is itself noisy).
        let ratio = worst.map_or(1.0, |g| g.estimate.half_width() / g.half_width);
        let wanted = (f64::from(n) * ratio * ratio * 1.1).ceil().min(f64::from(max)) as u32;
        let next = wanted.clamp(n + 1, n.saturating_mul(4)).min(max);
        advance(state, n..next);
        n = next;
    }
}

/// A run with failures and, paired with it, its baseline: the same
/// replications (the same seed, so the same calls) without the failures.
pub struct Paired {
    /// The run with its failures.
    pub with: Results,
    /// Sums of the paired differences; `None` without failures.
    pub impact: Option<ImpactSums>,
    pub precision: Option<PrecisionOutcome>,
}

/// Runs `scenario` and, when it has failures, each replication's
/// baseline beside it (as many replications as the run takes).
pub fn run_paired(model: &Model, scenario: &Scenario, threads: usize) -> Result<Paired, AnalysisError> {
    run_paired_with(model, scenario, threads, None)
}

/// [`run_paired`], replication 1 of the run (with its failures) handing
/// each attempt's record to `cdr` as it ends. Records draw nothing: every
/// figure is the same with or without them.
pub fn run_paired_with(
    model: &Model,
    scenario: &Scenario,
    threads: usize,
    cdr: Option<&CdrSlot>,
) -> Result<Paired, AnalysisError> {
    if scenario.failures.is_empty() {
        let (with, precision) = run_precise_with(model, scenario, threads, cdr)?;
        return Ok(Paired { with, impact: None, precision });
    }
    let workers = Workers::new(threads)?;
    let baseline = Scenario { failures: Vec::new(), ..scenario.clone() };
    let mut state = (Results::new(model, scenario), ImpactSums::new(model, scenario));
    let advance = |(with, impact): &mut (Results, ImpactSums), range| {
        let pair = |i| (replicate(model, scenario, i, cdr), run_replication(model, &baseline, i));
        workers.in_order(range, pair, |(a, b)| {
            with.fold(&a);
            impact.fold(&a, &b);
        });
    };
    let precision = match scenario.precision {
        None => {
            advance(&mut state, 0..scenario.replications);
            None
        }
        Some(p) => Some(run_until(scenario.replications, &p, &mut state, advance, |(with, _)| {
            headline_goals(model, scenario, with, &p)
        })),
    };
    let (with, impact) = state;
    Ok(Paired { with, impact: Some(impact), precision })
}
