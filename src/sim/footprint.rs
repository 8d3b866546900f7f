//! What one replication's results take in memory. A run keeps every
//! replication's results until it ends (the intervals need them all), so
//! the replications a run may make times this is bounded
//! (`limits::scenario::MAX_RESULTS_BYTES`) before it starts.

use std::mem::size_of;

use crate::model::Model;
use crate::scenario::Scenario;

use super::engine::{Replication, Simulation, TIMELINE_LIMIT};
use super::metrics::{ElementState, Occupancy};

/// Bytes the results of one replication of `scenario` on `model` take:
/// a fresh replication's, plus the failure timeline at its longest.
pub fn results_bytes(model: &Model, scenario: &Scenario) -> u64 {
    let out = Simulation::new(model, scenario, 0).into_replication();
    let timeline =
        if scenario.failures.is_empty() { 0 } else { TIMELINE_LIMIT * size_of::<(u64, u16, ElementState)>() };
    (out.memory_bytes() + timeline) as u64
}

impl Replication {
    /// Bytes these results take: the struct and every vector's heap.
    pub fn memory_bytes(&self) -> usize {
        fn heap<T>(v: &Vec<T>) -> usize {
            v.capacity() * size_of::<T>()
        }
        let occupancy = |v: &Vec<Occupancy>| heap(v) + v.iter().map(|o| heap(&o.buckets)).sum::<usize>();
        let mos = self.mos.heap_bytes()
            + [&self.mos_per_site, &self.mos_per_trunk, &self.mos_per_link]
                .iter()
                .map(|v| heap(v) + v.iter().map(|m| m.heap_bytes()).sum::<usize>())
                .sum::<usize>();
        size_of::<Self>()
            + heap(&self.per_site)
            + heap(&self.per_source)
            + heap(&self.per_route)
            + occupancy(&self.peers)
            + occupancy(&self.trunks)
            + occupancy(&self.mediation_pools)
            + occupancy(&self.links)
            + occupancy(&self.cac_audio)
            + mos
            + heap(&self.bucket_mos)
            + heap(&self.cac_denials)
            + heap(&self.bucket_cac_denials)
            + self.bucket_cac_denials.iter().map(heap).sum::<usize>()
            + self.pdd.heap_bytes()
            + heap(&self.bucket_offered)
            + heap(&self.bucket_blocked)
            + heap(&self.final_codes)
            + heap(&self.failures)
            + heap(&self.timeline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_hour_replication_takes_a_few_hundred_kilobytes() {
        let model = Model::contoso();
        let text = crate::scenario::builtin("busy-hour").unwrap();
        let sc = crate::scenario::load_for_model(text, "busy-hour", &model).unwrap();
        let bytes = results_bytes(&model, &sc);
        // Most of it is the post-dial delay histogram (65,536 bins of 4 bytes).
        assert!((262_144..1_000_000).contains(&bytes), "{bytes}");
        // A finished replication takes the same.
        let done = crate::sim::run_replication(&model, &sc, 0);
        assert!(done.memory_bytes() as u64 <= bytes + 4096, "{} > {bytes}", done.memory_bytes());
    }
}
