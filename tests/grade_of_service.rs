//! One grade of service: blocked over offered of the calls that needed the
//! PSTN side, for every stream (overall, direction, site, source), used
//! alike by `run`, `whatif` and the time series. Checked by hand on a
//! small model where every stream must block as Erlang B says.

use voicetwin::analysis::erlang::erlang_b;
use voicetwin::analysis::results::Results;
use voicetwin::analysis::run::{replications, run};
use voicetwin::analysis::summary::summarize;
use voicetwin::model::{load_str as load_model, Model};
use voicetwin::scenario::{load_for_model, Scenario};
use voicetwin::sim::metrics::Direction;

/// One gateway of `channels` channels, 1000 users on +14255550000-0999.
fn model(channels: u32) -> Model {
    let text =
        include_str!("../models/single-trunk-group.toml").replace("e1_spans = 1", &format!("channels = {channels}"));
    load_model(&text, "gos.toml").unwrap()
}

/// Users call out (`out` E) and to each other (`internal` calls per hour),
/// PSTN callers reach users' DIDs through the gateway (`inbound` E); all
/// Poisson, held 180 s on average, no signalling delay.
fn scenario(m: &Model, out: f64, inbound: f64, internal: f64, reps: u32) -> Scenario {
    let text = format!(
        r#"
duration = "40h"
warm_up = "1h"
replications = {reps}
seed = 11
bucket = "1h"
[signalling]
hop_latency = "0s"
pstn_setup = "0s"
[[source]]
name = "out"
user_group = "users"
erlangs = {out}
finite_sources = false
holding = {{ exponential = "180s" }}
ring_time = {{ constant = "0s" }}
dial = [{{ template = "NXXNXXXXXX" }}]
[[source]]
name = "in"
trunk = "gw"
erlangs = {inbound}
holding = {{ exponential = "180s" }}
ring_time = {{ constant = "0s" }}
dial = [{{ template = "+14255550XXX" }}]
calling = "+1206555XXXX"
[[source]]
name = "internal"
user_group = "users"
calls_per_hour = {internal}
finite_sources = false
holding = {{ exponential = "180s" }}
ring_time = {{ constant = "0s" }}
dial = [{{ template = "+14255550XXX" }}]
"#
    );
    load_for_model(&text, "gos.toml", m).unwrap()
}

#[test]
fn inbound_calls_delivered_to_users_count_in_their_grade_of_service() {
    // 2.5 E out and 2.5 E in share 5 channels: each Poisson stream sees
    // the time congestion, Erlang B(5, 5) = 28.5%.
    let m = model(5);
    let sc = scenario(&m, 2.5, 2.5, 600.0, 10);
    let reps = replications(&m, &sc, 2).unwrap();
    let s = summarize(&m, &sc, &Results::of(&m, &sc, &reps));
    let theory = erlang_b(5, 5.0);
    let inbound = s.sources.iter().find(|g| g.name == "in").unwrap();
    let gos = inbound.grade_of_service.unwrap();
    assert!(gos.contains(theory), "inbound: Erlang B {theory:.4} outside {gos:?}");
    // By hand from the counts: blocked over offered, pooled.
    let (mut blocked, mut offered) = (0u64, 0u64);
    for r in &reps {
        let c = r.per_source[1].pstn();
        assert_eq!(c.offered, c.carried + c.blocked, "an inbound call is carried to a user or blocked");
        blocked += c.blocked;
        offered += c.offered;
        // Every inbound call is of the inbound direction.
        assert_eq!(r.per_source[1].get(Direction::Inbound).offered, c.offered);
    }
    assert!((gos.mean - blocked as f64 / offered as f64).abs() < 1e-15);
    for d in &s.directions {
        match d.direction {
            Direction::Outbound | Direction::Inbound => {
                let g = d.grade_of_service.unwrap();
                assert!(g.contains(theory), "{:?}: {g:?}", d.direction);
            }
            // Internal calls take no channel and are never blocked here.
            Direction::Internal => {
                assert!(d.calls.offered.mean > 500.0);
                assert_eq!(d.grade_of_service.unwrap().mean, 0.0);
            }
            Direction::InterTrunk => assert!(d.grade_of_service.is_none(), "no inter-trunk call: no figure"),
        }
    }
    // Overall, per site: the same, internal calls left out.
    for g in [s.grade_of_service.unwrap(), s.sites[0].grade_of_service.unwrap()] {
        assert!(g.contains(theory), "{g:?}");
    }
    // The PSTN calls are exactly the outbound and inbound ones.
    assert!((s.pstn_calls.offered.mean - inbound.calls.offered.mean - s.sources[0].calls.offered.mean).abs() < 1e-9);
}

#[test]
fn internal_calls_change_no_grade_of_service() {
    // The same PSTN calls with and without a flood of internal calls.
    let m = model(5);
    let quiet = scenario(&m, 2.5, 2.5, 0.0, 4);
    let busy = scenario(&m, 2.5, 2.5, 5000.0, 4);
    let g = |sc: &Scenario| run(&m, sc, 2).unwrap().grade_of_service().unwrap();
    let (a, b) = (g(&quiet), g(&busy));
    // Other draws, same law: the two estimates agree within their intervals.
    assert!(a.ci95_low < b.ci95_high && b.ci95_low < a.ci95_high, "{a:?} {b:?}");
    assert!(b.mean > 0.2, "a dilution by internal calls would show here: {b:?}");
}

#[test]
fn the_time_series_and_the_what_if_window_use_the_same_calls() {
    let m = model(5);
    let sc = scenario(&m, 2.5, 2.5, 600.0, 3);
    let reps = replications(&m, &sc, 2).unwrap();
    for r in &reps {
        let c = r.counts.pstn();
        assert_eq!(r.bucket_offered.iter().sum::<u64>(), c.routable());
        assert_eq!(r.bucket_blocked.iter().sum::<u64>(), c.blocked);
    }
    let mut results = Results::new(&m, &sc).with_window(0, usize::MAX);
    reps.iter().for_each(|r| results.fold(r));
    let whole = results.window_grade_of_service(0).unwrap();
    assert_eq!(whole, results.grade_of_service().unwrap());
    // what-if's baseline over its window: the same definition.
    let mut sc = sc;
    sc.whatif.classes = vec![voicetwin::scenario::ElementClass::Trunk];
    // From a bucket's start to the end, so the window's buckets are the
    // failure's.
    sc.whatif.at = sc.warm_up.0;
    sc.whatif.duration = sc.duration.0 - sc.warm_up.0;
    let w = voicetwin::analysis::whatif::run_whatif(&m, &sc, 2, &|_, _| ()).unwrap();
    let during = w.baseline_grade_of_service_during.unwrap();
    assert!(during.contains(erlang_b(5, 5.0)), "{during:?}");
    // The gateway down for the window: every PSTN call in it is lost.
    let case = &w.results[0];
    assert!(case.grade_of_service_during.unwrap().mean > 0.99, "{case:?}");
}

#[test]
fn a_gateway_reports_what_it_refused_and_what_was_lost_apart() {
    let m = model(5);
    let sc = scenario(&m, 2.5, 2.5, 0.0, 3);
    let s = summarize(&m, &sc, &run(&m, &sc, 2).unwrap());
    let gw = &s.peers[0];
    // One gateway: whatever it refuses is lost, and that is the blocking.
    assert_eq!(gw.overflowed.mean, 0.0);
    assert!((gw.lost.mean - gw.rejected.mean).abs() < 1e-9);
    assert!((gw.lost.mean - s.pstn_calls.blocked.mean).abs() < 1e-9);
    assert!(gw.rejected_share.unwrap().contains(erlang_b(5, 5.0)));
}
