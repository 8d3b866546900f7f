//! Failures: what a failed gateway does to calls, how it is noticed, and
//! conservation with dropped calls.

use proptest::prelude::*;
use voicetwin::analysis::erlang::erlang_b;
use voicetwin::analysis::results::Results;
use voicetwin::analysis::run::replications;
use voicetwin::analysis::summary::summarize;
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::{builtin, load_str};

/// The single-trunk-group model with a second gateway of `n2` channels in
/// the same route (one stage of two trunks).
fn two_gateways(n1: u32, n2: u32) -> voicetwin::model::Model {
    let text = include_str!("../models/single-trunk-group.toml")
        .replacen("e1_spans = 1", &format!("channels = {n1}"), 1)
        .replacen(
            "[[trunk]]\nname = \"gw\"\nmediation_pool = \"med.example.com\"\npeer = \"gw\"\n",
            &format!(
                "[[peer]]\nname = \"gw2\"\nfqdn = \"gw2.example.com\"\nkind = \"pstn-gateway\"\nsite = \"HQ\"\nchannels = {n2}\n\n\
                 [[trunk]]\nname = \"gw\"\nmediation_pool = \"med.example.com\"\npeer = \"gw\"\n\n\
                 [[trunk]]\nname = \"gw2\"\nmediation_pool = \"med.example.com\"\npeer = \"gw2\"\n"
            ),
            1,
        )
        .replacen("pstn_gateways = [\"gw\"]", "pstn_gateways = [\"gw\", \"gw2\"]", 1);
    load_model(&text, "two-gateways.toml").unwrap()
}

fn scenario(extra: &str, erlangs: f64, hours: u32, warm_up: &str) -> voicetwin::scenario::Scenario {
    let text = builtin("single-trunk-group")
        .unwrap()
        .replace("erlangs = 20.34", &format!("erlangs = {erlangs}"))
        .replace("duration = \"24h\"", &format!("duration = \"{hours}h\""))
        .replace("warm_up = \"1h\"", &format!("warm_up = \"{warm_up}\""))
        + extra;
    load_str(&text, "failure-test.toml", None, &Default::default()).unwrap().0
}

#[test]
fn a_gateway_down_for_the_whole_run_leaves_erlang_b_of_the_survivor() {
    let model = two_gateways(10, 20);
    let failure = "\n[[failure]]\nelement = \"peer:gw\"\nkind = \"scheduled\"\nmode = \"silent\"\nat = \"0s\"\n";
    let sc = scenario(failure, 14.0, 100, "1h");
    let reps = replications(&model, &sc, 2).unwrap();
    let s = summarize(&model, &sc, &Results::of(&model, &sc, &reps));
    // Before the mark-down, calls that tried the dead gateway and then
    // found the survivor full are lost to the failure.
    assert!(reps.iter().all(|r| r.failures[0].lost <= r.failures[0].undetected_attempts));
    let b20 = erlang_b(20, 14.0);
    let gos = s.grade_of_service.expect("calls were offered");
    assert!(gos.contains(b20), "Erlang B(20) {b20:.5} outside {gos:?}");
    assert!(!gos.contains(erlang_b(30, 14.0)));
    let f = &s.failures[0];
    assert_eq!(f.episodes.mean, 1.0);
    let detect = f.time_to_detect_s.expect("marked down").mean;
    assert!((120.0..=150.0).contains(&detect), "5 missed OPTIONS at 30 s: {detect}");
}

#[test]
fn undetected_attempts_pay_the_fast_failover_timer_and_none_follow_detection() {
    let model = two_gateways(30, 30);
    let failure = "\n[[failure]]\nelement = \"peer:gw\"\nkind = \"scheduled\"\nmode = \"silent\"\nat = \"2h\"\nduration = \"1h\"\n";
    let sc = scenario(failure, 20.0, 6, "1h");
    let reps = replications(&model, &sc, 2).unwrap();
    for r in &reps {
        let f = &r.failures[0];
        assert!(f.undetected_attempts > 0);
        // Each one waited exactly the 10 s timer.
        assert_eq!(f.extra_pdd_us, f.undetected_attempts * 10_000_000);
        // With a second gateway, every one of them was rescued or at least
        // retried: none is lost for want of candidates at this load.
        assert!(f.rescued > 0 && f.rescued <= f.undetected_attempts);
        assert!(f.rescued + f.lost <= f.undetected_attempts, "each hit call is rescued, lost, or unanswered");
        // Only calls arriving before the mark-down (plus those already
        // routed) hit it: the rate of hits is bounded by the arrival rate
        // over the detection window (20 E / 180 s per second, half on gw).
        let detect_s = f.detect_us as f64 / 1e6;
        let expected = 20.0 / 180.0 * detect_s / 2.0;
        assert!(
            (f.undetected_attempts as f64) < expected * 2.0 + 10.0,
            "{} hits in {detect_s} s",
            f.undetected_attempts
        );
        // Calls up on the gateway when it failed were dropped.
        assert!(f.dropped > 0);
        assert_eq!(f.dropped, r.counts.total().dropped);
        assert!(r.pdd.quantile_ms(1.0) >= 10_000.0, "the timer shows in post-dial delay");
    }
    // Three strikes make it less preferred, so few calls try it after
    // that; without that rule, slower detection sends more calls to it.
    assert!(reps.iter().all(|r| r.failures[0].undetected_attempts <= 3 + 1));
    let hits = |missed: u32| {
        let text = format!("{failure}\n[detection]\nmissed_options = {missed}\nless_preferred_after = 1000\n");
        replications(&model, &scenario(&text, 20.0, 6, "1h"), 2)
            .unwrap()
            .iter()
            .map(|r| r.failures[0].undetected_attempts)
            .sum::<u64>()
    };
    let (fast, slow) = (hits(5), hits(10));
    assert!(fast > 10 * 3 && slow > fast + fast / 2, "5 missed: {fast}, 10 missed: {slow}");
}

#[test]
fn a_rejecting_gateway_fails_over_at_once_and_is_never_marked_down() {
    let model = two_gateways(30, 30);
    let failure = "\n[[failure]]\nelement = \"peer:gw\"\nkind = \"scheduled\"\nmode = \"reject\"\nat = \"2h\"\nduration = \"1h\"\n";
    let sc = scenario(failure, 20.0, 6, "1h");
    for r in replications(&model, &sc, 2).unwrap() {
        let f = &r.failures[0];
        assert!(f.undetected_attempts > 0);
        assert_eq!(f.extra_pdd_us, 0, "a 503 costs no timer (hop latency is 0 here)");
        assert_eq!(f.detections, 0);
    }
}

#[test]
fn a_degraded_gateway_rejects_its_share_of_calls() {
    let model = two_gateways(60, 60);
    // (Never made less preferred here, so its share of calls stays.)
    let failure = "\n[[failure]]\nelement = \"peer:gw\"\nkind = \"degraded\"\nreject_fraction = 0.3\nslow_fraction = 0.1\n\n[detection]\nless_preferred_after = 1000\n";
    let sc = scenario(failure, 20.0, 20, "1h");
    let reps = replications(&model, &sc, 2).unwrap();
    for r in &reps {
        let f = &r.failures[0];
        let tried = r.peers[0].attempts + f.undetected_attempts;
        let share = f.undetected_attempts as f64 / tried as f64;
        assert!((share - 0.4).abs() < 0.03, "30% rejected + 10% slow of the calls offered to it: {share}");
        assert_eq!(f.dropped, 0, "degraded is not down");
        assert_eq!(f.detections, 0);
        assert!(f.extra_pdd_us > 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Random failures of any contoso gateway: every call is counted once,
    /// dropped ones included, and capacity holds.
    #[test]
    fn conservation_holds_with_failures(seed in any::<u64>(), peer in 0usize..8, silent in any::<bool>()) {
        let (mut sc, model) = load_str(builtin("busy-hour").unwrap(), "busy-hour.toml", None, &Default::default()).unwrap();
        let name = model.peers[peer % model.peers.len()].name.clone();
        let mode = if silent { "silent" } else { "reject" };
        let text = format!(
            "{}\n[[failure]]\nelement = \"peer:{name}\"\nkind = \"random\"\nmode = \"{mode}\"\nmtbf = \"15m\"\nmttr = \"5m\"\n",
            builtin("busy-hour").unwrap()
        );
        let (with_failures, _) = load_str(&text, "busy-hour.toml", None, &Default::default()).unwrap();
        sc = voicetwin::scenario::Scenario { failures: with_failures.failures, ..sc };
        sc.seed = seed;
        sc.replications = 2;
        for r in replications(&model, &sc, 1).unwrap() {
            let c = &r.counts.total();
            prop_assert_eq!(c.offered, c.carried + c.blocked + c.not_authorized + c.failed + c.dropped, "{:?}", c);
            prop_assert_eq!(r.failures[0].dropped, c.dropped);
            for o in r.peers.iter().chain(&r.trunks).chain(&r.mediation_pools) {
                prop_assert_eq!(o.in_use, 0);
                if let Some(cap) = o.capacity {
                    prop_assert!(o.peak <= cap);
                }
            }
        }
    }
}

#[test]
fn the_paired_comparison_is_exactly_zero_for_an_element_no_call_uses() {
    // A spare gateway with a trunk that no route lists.
    let text = include_str!("../models/single-trunk-group.toml").to_owned()
        + "\n[[peer]]\nname = \"spare\"\nfqdn = \"spare.example.com\"\nkind = \"pstn-gateway\"\nsite = \"HQ\"\nt1_spans = 1\n\n\
           [[trunk]]\nname = \"spare\"\nmediation_pool = \"med.example.com\"\npeer = \"spare\"\n";
    let model = load_model(&text, "spare.toml").unwrap();
    let failure = "\n[[failure]]\nelement = \"peer:spare\"\nkind = \"scheduled\"\nat = \"2h\"\nduration = \"3h\"\n";
    let text = builtin("single-trunk-group").unwrap().replace("duration = \"24h\"", "duration = \"10h\"") + failure;
    let sc = voicetwin::scenario::load_for_model(&text, "spare.toml", &model).unwrap();
    let p = voicetwin::analysis::run::run_paired(&model, &sc, 2).unwrap();
    let i = voicetwin::analysis::summary::impact(&model, p.impact.as_ref().unwrap());
    for e in [i.calls_lost, i.blocked, i.dropped, i.grade_of_service.unwrap(), i.pdd_mean_ms.unwrap()] {
        assert_eq!((e.mean, e.ci95_low, e.ci95_high), (0.0, 0.0, 0.0));
    }
    assert_eq!(i.windows[0].blocked_difference.mean, 0.0);
    // And the same failure on the gateway everyone uses is not zero.
    let sc = voicetwin::scenario::load_for_model(&text.replace("peer:spare", "peer:gw"), "gw.toml", &model).unwrap();
    let p = voicetwin::analysis::run::run_paired(&model, &sc, 2).unwrap();
    let i = voicetwin::analysis::summary::impact(&model, p.impact.as_ref().unwrap());
    assert!(i.calls_lost.ci95_low > 0.0, "{:?}", i.calls_lost);
}

#[test]
fn repeated_503s_make_a_gateway_less_preferred_until_it_is_repaired() {
    let model = two_gateways(60, 60);
    let failure = "\n[[failure]]\nelement = \"peer:gw\"\nkind = \"scheduled\"\nmode = \"reject\"\nat = \"2h\"\nduration = \"1h\"\n";
    let sc = scenario(failure, 20.0, 6, "1h");
    for r in replications(&model, &sc, 2).unwrap() {
        let states: Vec<_> = r.timeline.iter().map(|(_, _, s)| *s).collect();
        use voicetwin::sim::metrics::ElementState::*;
        assert_eq!(states, [Failed, LessPreferred, Up], "never marked down: it answers OPTIONS");
        // Three 503s, then it is tried last: its sibling has room, so no more.
        assert_eq!(r.failures[0].undetected_attempts, 3);
        // After the repair it takes its share again.
        assert!(r.peers[0].buckets[4] > 0.0, "occupied in the fifth hour");
    }
}

#[test]
fn a_class_wildcard_gives_every_element_its_own_random_failures() {
    let text = builtin("busy-hour").unwrap().to_owned()
        + "\n[[failure]]\nname = \"gateways\"\nelement = \"peer:*\"\nkind = \"random\"\nmtbf = \"20m\"\nmttr = \"5m\"\n";
    let (mut sc, model) = load_str(&text, "wild.toml", None, &Default::default()).unwrap();
    assert_eq!(sc.failures.len(), model.peers.len());
    assert_eq!(sc.failures[0].name, "gateways/peer:gw-red-1");
    sc.replications = 2;
    let reps = replications(&model, &sc, 2).unwrap();
    // Independent streams: the elements do not all fail together.
    let episodes: Vec<u64> = reps[0].failures.iter().map(|f| f.episodes).collect();
    assert!(episodes.iter().any(|e| *e != episodes[0]) || episodes[0] > 0, "{episodes:?}");
    let bad = builtin("busy-hour").unwrap().to_owned()
        + "\n[[failure]]\nelement = \"router:*\"\nkind = \"random\"\nmtbf = \"1h\"\nmttr = \"1m\"\n";
    let e = load_str(&bad, "bad.toml", None, &Default::default()).unwrap_err().to_string();
    assert!(e.contains("not an element class"), "{e}");
}

#[test]
fn a_failure_lasting_to_the_end_of_the_run_is_never_repaired_in_it() {
    let text = voicetwin::scenario::builtin("busy-hour").unwrap().to_owned()
        + "\n[[failure]]\nname = \"to-the-end\"\nelement = \"peer:gw-red-1\"\nkind = \"scheduled\"\nat = \"30m\"\n";
    let (mut sc, model) = voicetwin::scenario::load_str(&text, "end.toml", None, &Default::default()).unwrap();
    sc.replications = 2;
    let r = voicetwin::analysis::run::run(&model, &sc, 2).unwrap();
    use voicetwin::sim::metrics::ElementState;
    assert!(r.timeline.iter().any(|t| t.state == ElementState::MarkedDown), "{:?}", r.timeline);
    assert!(
        r.timeline.iter().all(|t| !matches!(t.state, ElementState::Repaired | ElementState::Up)),
        "{:?}",
        r.timeline
    );
    assert!(r.failures[0].time_to_recover_s().is_none());
}
