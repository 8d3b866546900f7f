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
    Ok(pool.install(|| {
        (0..scenario.replications)
            .into_par_iter()
            .map(|i| run_replication(model, scenario, i))
            .collect()
    }))
}
