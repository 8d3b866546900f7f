//! The engine's speed, one replication on one core: the kernel alone on
//! the textbook loss system (one E1, 20.34 Erlangs), the whole engine with
//! routing on the same system, and the contoso busy hour with full routing.
//! `cargo bench --bench simulation`; the README records the figures.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use voicetwin::scenario::{builtin, load_str};
use voicetwin::sim::loss::LossSystem;
use voicetwin::sim::run_replication;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("simulation");
    g.sample_size(10);

    // The kernel alone on the same system: queue, clock, streams, occupancy.
    let kernel = LossSystem::e1();
    let calls = 1_000_000;
    g.throughput(Throughput::Elements(calls));
    g.bench_function(format!("kernel: loss system E1 20.34 E, no routing ({calls} calls)"), |b| {
        b.iter(|| kernel.run(calls, 2013, 0))
    });

    let text = builtin("single-trunk-group").unwrap().replace("duration = \"24h\"", "duration = \"500h\"");
    let (sc, model) = load_str(&text, "single-trunk-group", None, &Default::default()).unwrap();
    let calls = run_replication(&model, &sc, 0).calls;
    g.throughput(Throughput::Elements(calls));
    g.bench_function(format!("loss system E1 20.34 E ({calls} calls)"), |b| b.iter(|| run_replication(&model, &sc, 0)));

    let text = builtin("busy-hour").unwrap().replace("duration = \"1h\"", "duration = \"10h\"");
    let (sc, model) = load_str(&text, "busy-hour", None, &Default::default()).unwrap();
    let calls = run_replication(&model, &sc, 0).calls;
    g.throughput(Throughput::Elements(calls));
    g.bench_function(format!("contoso busy hour, full routing ({calls} calls)"), |b| {
        b.iter(|| run_replication(&model, &sc, 0))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
