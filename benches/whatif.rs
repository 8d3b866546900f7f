//! N-1 what-if on generated enterprises of 10, 50 and 200 sites: every
//! peer, trunk, Mediation pool and WAN link failed in turn, each case
//! against the same calls without it. `cargo bench --bench whatif`
//! (`-- 10`, `-- 50`, `-- 200` for one size); the README records the
//! figures.
//!
//! Each iteration is a whole `voicetwin whatif` minus its output: 2
//! paired replications of a 20-minute busy hour (5 minutes of warm-up,
//! failures from minute 8), on the machine's cores.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use voicetwin::generate::{generate, Options};
use voicetwin::model::{self, Model};
use voicetwin::scenario::{load_for_model, Scenario};

/// Sites, and the time criterion has for its 10 samples of one iteration
/// each (flat sampling): about ten iterations' time (on 2026-12-02, on a
/// shared 2-core machine, 0.2 s, 3 s and up to 90 s).
const SIZES: [(u32, u64); 3] = [(10, 5), (50, 40), (200, 1_000)];

/// The generated network of `sites` and its scenario, shortened for the
/// bench.
fn network(sites: u32) -> (Model, Scenario) {
    let g = generate(&Options { sites, seed: 2013 }).expect("in range");
    let model = model::load_str(&g.model, "generated model.toml").expect("a generated model loads");
    let text = g
        .scenario
        .replace("duration = \"1h\"", "duration = \"20m\"")
        .replace("warm_up = \"10m\"", "warm_up = \"5m\"")
        .replace("at = \"20m\"", "at = \"8m\"")
        .replace("replications = 5", "replications = 2");
    let sc = load_for_model(&text, "generated scenario.toml", &model).expect("a generated scenario loads");
    assert_eq!(sc.whatif.k, 1, "N-1");
    (model, sc)
}

/// The one call to the what-if analysis: all of N-1, on every core.
fn n_minus_1(model: &Model, sc: &Scenario) -> usize {
    voicetwin::analysis::whatif::run_whatif(model, sc, 0, &|_, _| {}).expect("the what-if runs").results.len()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("whatif N-1");
    g.sample_size(10);
    // Ten iterations in all, not criterion's 55 of linear sampling: an
    // iteration is seconds to a minute.
    g.sampling_mode(SamplingMode::Flat);
    for (sites, seconds) in SIZES {
        let (model, sc) = network(sites);
        g.measurement_time(Duration::from_secs(seconds));
        g.bench_function(format!("{sites} sites"), |b| b.iter(|| n_minus_1(&model, &sc)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
