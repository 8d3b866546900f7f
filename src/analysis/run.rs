//! Replications of a scenario, in parallel.

use rayon::prelude::*;

use crate::model::Model;
use crate::scenario::Scenario;
use crate::sim::{run_replication, Replication};

/// Runs every replication of `scenario` on `threads` threads (0: one per
/// core). Each replication draws only from its own streams and the
/// results are kept in replication order, so the figures are the same
/// whatever the thread count.
pub fn run(model: &Model, scenario: &Scenario, threads: usize) -> Result<Vec<Replication>, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start {threads} worker threads: {e}"))?;
    Ok(pool
        .install(|| (0..scenario.replications).into_par_iter().map(|i| run_replication(model, scenario, i)).collect()))
}

/// A run with failures and its baseline: the same replications (the same
/// seed, so the same calls) without the failures. Failures draw from
/// streams of their own, so the difference of each pair is the failures'
/// effect and not noise (common random numbers).
pub struct Paired {
    pub with: Vec<Replication>,
    pub without: Option<Vec<Replication>>,
}

/// Runs `scenario` and, when it has failures, its baseline.
pub fn run_paired(model: &Model, scenario: &Scenario, threads: usize) -> Result<Paired, String> {
    let with = run(model, scenario, threads)?;
    if scenario.failures.is_empty() {
        return Ok(Paired { with, without: None });
    }
    let baseline = Scenario { failures: Vec::new(), ..scenario.clone() };
    let without = run(model, &baseline, threads)?;
    Ok(Paired { with, without: Some(without) })
}
