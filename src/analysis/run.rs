//! Replications of a scenario, in parallel, and as many as a precision
//! target needs.

use rayon::prelude::*;
use serde::Serialize;

use crate::model::Model;
use crate::scenario::{Precision, Scenario};
use crate::sim::metrics::Direction;
use crate::sim::{run_replication, Replication};

use super::figures;
use super::stats::Estimate;

/// Runs replications `range` of `scenario` on `threads` threads (0: one
/// per core; 1: in the calling thread). Each replication draws only from its own streams and the
/// results are kept in replication order, so the figures are the same
/// whatever the thread count.
pub fn run_range(
    model: &Model,
    scenario: &Scenario,
    range: std::ops::Range<u32>,
    threads: usize,
) -> Result<Vec<Replication>, String> {
    if threads == 1 {
        // No pool of one: this also runs inside another pool's task.
        return Ok(range.map(|i| run_replication(model, scenario, i)).collect());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start {threads} worker threads: {e}"))?;
    Ok(pool.install(|| range.into_par_iter().map(|i| run_replication(model, scenario, i)).collect()))
}

/// Runs the scenario's replications, or with a precision target as many
/// as its headline figures need.
pub fn run(model: &Model, scenario: &Scenario, threads: usize) -> Result<Vec<Replication>, String> {
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
#[derive(Debug, Clone, Serialize)]
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
pub fn headline_goals(model: &Model, scenario: &Scenario, reps: &[Replication], p: &Precision) -> Vec<Goal> {
    let mut goals = Vec::new();
    let mut push = |name: String, e: Option<Estimate>| {
        if let Some(e) = e {
            goals.push(Goal::relative(name, e, p));
        }
    };
    push("grade of service".into(), figures::overall_grade_of_service(reps));
    for d in Direction::ALL.into_iter().filter(|d| d.needs_pstn()) {
        push(format!("{} grade of service", d.label()), figures::grade_of_service(reps, |r| *r.counts.get(d)));
    }
    for (i, site) in model.sites.iter().enumerate() {
        push(format!("site {} grade of service", site.name), figures::grade_of_service(reps, |r| r.per_site[i].pstn()));
    }
    for (i, src) in scenario.sources.iter().enumerate() {
        push(
            format!("source {} grade of service", src.name),
            figures::grade_of_service(reps, |r| r.per_source[i].pstn()),
        );
    }
    goals
}

/// Runs the scenario's replications; with a precision target, adds
/// replications until every headline figure meets it.
pub fn run_precise(
    model: &Model,
    scenario: &Scenario,
    threads: usize,
) -> Result<(Vec<Replication>, Option<PrecisionOutcome>), String> {
    match scenario.precision {
        None => Ok((run_range(model, scenario, 0..scenario.replications, threads)?, None)),
        Some(p) => {
            let (reps, outcome) =
                run_until(model, scenario, threads, &p, &|reps| headline_goals(model, scenario, reps, &p))?;
            Ok((reps, Some(outcome)))
        }
    }
}

/// Runs replications from the scenario's count upwards until every goal
/// `goals` sets on them is met, or `p.max_replications` have run. The
/// count only depends on the replications' results, and replication i
/// always draws the same streams: the outcome is deterministic.
pub fn run_until(
    model: &Model,
    scenario: &Scenario,
    threads: usize,
    p: &Precision,
    goals: &dyn Fn(&[Replication]) -> Vec<Goal>,
) -> Result<(Vec<Replication>, PrecisionOutcome), String> {
    let max = p.max_replications.max(scenario.replications);
    // Two replications at least: one shows no spread.
    let mut reps = run_range(model, scenario, 0..scenario.replications.max(2).min(max), threads)?;
    loop {
        let n = reps.len() as u32;
        let now = goals(&reps);
        let worst = now.iter().max_by(|a, b| {
            let ratio = |g: &Goal| g.estimate.half_width() / g.half_width;
            ratio(a).total_cmp(&ratio(b)).then(b.figure.cmp(&a.figure))
        });
        let met = now.iter().all(|g| g.met);
        if met || n >= max {
            return Ok((
                reps,
                PrecisionOutcome {
                    relative: p.relative,
                    absolute: p.absolute,
                    max_replications: max,
                    replications: n,
                    met,
                    deciding_figure: worst.map(|g| g.figure.clone()),
                    deciding_estimate: worst.map(|g| g.estimate),
                    deciding_goal: worst.map(|g| g.half_width),
                },
            ));
        }
        // Half-widths shrink as one over the root of the replications:
        // aim a tenth past what the least precise figure needs, at most
        // four times as many at once (an early spread is itself noisy).
        let ratio = worst.map_or(1.0, |g| g.estimate.half_width() / g.half_width);
        let wanted = (f64::from(n) * ratio * ratio * 1.1).ceil().min(f64::from(max)) as u32;
        let next = wanted.clamp(n + 1, n.saturating_mul(4)).min(max);
        reps.extend(run_range(model, scenario, n..next, threads)?);
    }
}

/// A run with failures and its baseline: the same replications (the same
/// seed, so the same calls) without the failures. Failures draw from
/// streams of their own, so the difference of each pair is the failures'
/// effect and not noise (common random numbers).
pub struct Paired {
    pub with: Vec<Replication>,
    pub without: Option<Vec<Replication>>,
    pub precision: Option<PrecisionOutcome>,
}

/// Runs `scenario` and, when it has failures, its baseline (as many
/// replications as the run took).
pub fn run_paired(model: &Model, scenario: &Scenario, threads: usize) -> Result<Paired, String> {
    let (with, precision) = run_precise(model, scenario, threads)?;
    if scenario.failures.is_empty() {
        return Ok(Paired { with, without: None, precision });
    }
    let baseline = Scenario { failures: Vec::new(), ..scenario.clone() };
    let without = run_range(model, &baseline, 0..with.len() as u32, threads)?;
    Ok(Paired { with, without: Some(without), precision })
}
