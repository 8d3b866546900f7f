//! A response share is the share of calls that get it: 10% of 486 ends a
//! share of the calls consistent with 10% (its 95% interval, a ratio over
//! replications); the draws come from their own stream, so the calls
//! offered are the same with the mix and without, and the results the
//! same on any thread count.

#[path = "common/responses.rs"]
mod responses;

use responses::*;
use voicetwin::analysis::results::Results;
use voicetwin::analysis::run::replications;
use voicetwin::analysis::summary::summarize;
use voicetwin::analysis::sums::Ratio;

#[test]
fn a_ten_percent_share_of_486_ends_ten_percent_of_the_calls() {
    let m = two_gateways();
    let sc = scenario(&m, 20.0, 4, 10, &response("*", "code = 486, isup_cause = 17", 0.1));
    let reps = run(&m, &sc);
    let s = summarize(&m, &sc, &Results::of(&m, &sc, &reps));
    let ratio: Ratio = reps.iter().map(|r| (r.counts.total().failed, r.counts.total().offered)).collect();
    let ended = voicetwin::analysis::stats::Estimate::proportion(&ratio).unwrap();
    assert!(ended.contains(0.1), "{ended:?}");
    assert!(ended.ci95_high - ended.ci95_low < 0.02, "a narrow interval: {ended:?}");
    // A share far from 10% is outside it: the test can fail.
    assert!(!ended.contains(0.08) && !ended.contains(0.12), "{ended:?}");
    // summary.json: the calls ended, by code.
    assert_eq!(s.final_responses.len(), 1);
    assert_eq!(s.final_responses[0].code, 486);
    assert_eq!(s.final_responses[0].calls.mean, s.calls.failed.mean);
}

#[test]
fn a_response_mix_draws_from_its_own_stream_and_any_thread_count_agrees() {
    let m = two_gateways();
    let without = scenario(&m, 20.0, 2, 4, "");
    let with = scenario(&m, 20.0, 2, 4, &response("gw1", "code = 404", 0.2));
    let a = replications(&m, &without, 1).unwrap();
    let b = replications(&m, &with, 1).unwrap();
    let b4 = replications(&m, &with, 4).unwrap();
    for ((a, b), b4) in a.iter().zip(&b).zip(&b4) {
        // The same calls arrive: arrivals, holding times and dialed
        // numbers come from streams the mix does not draw from.
        assert_eq!(a.counts.total().offered, b.counts.total().offered);
        assert!(b.counts.total().failed > 0);
        assert_eq!(b.counts, b4.counts);
        assert_eq!(b.final_codes, b4.final_codes);
        assert_eq!(b.peers[0].area(), b4.peers[0].area());
    }
}
