//! The simulator against teletraffic theory: a single trunk group under
//! Poisson load blocks as Erlang B says, within the confidence interval.

use voicetwin::analysis::erlang::erlang_b;
use voicetwin::analysis::run::run;
use voicetwin::analysis::summary::summarize;
use voicetwin::scenario::{builtin, load_str};

/// The built-in single-trunk-group scenario with `channels` channels
/// offered `erlangs`, measured over `hours`.
fn blocking(channels: u32, erlangs: f64, hours: u32) -> (f64, voicetwin::analysis::stats::Estimate) {
    let text = builtin("single-trunk-group")
        .unwrap()
        .replace("erlangs = 20.34", &format!("erlangs = {erlangs}"))
        .replace("duration = \"24h\"", &format!("duration = \"{hours}h\""));
    let (scenario, mut model) = load_str(&text, "test.toml", None, &Default::default()).unwrap();
    // Resize the gateway.
    if let voicetwin::model::PeerKind::PstnGateway { channels: c } = &mut model.peers[0].kind {
        *c = channels;
    }
    let s = summarize(&model, &scenario, &run(&model, &scenario, 2).unwrap());
    (erlang_b(channels, erlangs), s.grade_of_service.expect("calls were offered"))
}

#[test]
fn e1_at_one_percent() {
    let (theory, sim) = blocking(30, 20.34, 200);
    assert!(sim.contains(theory), "Erlang B {theory:.5} outside {sim:?}");
    assert!(sim.half_width() < 0.002, "interval too wide to mean anything: {sim:?}");
}

#[test]
fn t1_at_one_percent() {
    let (theory, sim) = blocking(23, 14.47, 200);
    assert!(sim.contains(theory), "Erlang B {theory:.5} outside {sim:?}");
}

#[test]
fn heavy_and_light_loads() {
    for (n, e) in [(10, 12.0), (5, 2.0), (60, 50.0)] {
        let (theory, sim) = blocking(n, e, 100);
        assert!(sim.contains(theory), "{n} channels, {e} E: Erlang B {theory:.5} outside {sim:?}");
    }
}

#[test]
fn the_check_can_fail() {
    // 29 channels' theory is not 30 channels' simulation: the interval is
    // narrow enough to tell them apart.
    let (_, sim) = blocking(30, 20.34, 200);
    assert!(!sim.contains(erlang_b(29, 20.34)), "{sim:?}");
    assert!(!sim.contains(erlang_b(31, 20.34)), "{sim:?}");
    eprintln!("E1 20.34 E: simulated {sim:?}, Erlang B {:.5}", erlang_b(30, 20.34));
}

/// The kernel alone (queue, clock, streams, occupancy; no routing) on the
/// same systems: ten replications of `calls` calls each.
fn kernel_blocking(channels: u32, erlangs: f64, calls: u64) -> voicetwin::analysis::stats::Estimate {
    let system = voicetwin::sim::loss::LossSystem { channels, erlangs, mean_holding_us: 180_000_000 };
    let b: voicetwin::analysis::stats::Ratio = (0..10)
        .map(|r| {
            let run = system.run(calls, 2013, r);
            (run.blocked, run.offered)
        })
        .collect();
    voicetwin::analysis::stats::Estimate::proportion(&b).expect("calls were offered")
}

#[test]
fn the_kernel_alone_blocks_as_erlang_b() {
    for (n, e) in [(30, 20.34), (23, 14.47), (10, 12.0)] {
        let sim = kernel_blocking(n, e, 200_000);
        assert!(sim.contains(erlang_b(n, e)), "{n} channels, {e} E: Erlang B {:.5} outside {sim:?}", erlang_b(n, e));
    }
    // And it can tell 30 channels from 29.
    let sim = kernel_blocking(30, 20.34, 200_000);
    assert!(!sim.contains(erlang_b(29, 20.34)) && !sim.contains(erlang_b(31, 20.34)), "{sim:?}");
}
