//! A peer that takes a call and never answers it: the attempt waits for
//! the fast-failover timer (10 s), then the call fails over; with the
//! timer off it waits for the transaction timeout (32 s) and the 408 ends
//! it. The peer is up (it answers OPTIONS): it is never marked down.

#[path = "common/responses.rs"]
mod responses;

use responses::*;

#[test]
fn no_answer_waits_for_the_fast_failover_timer_then_fails_over() {
    let m = two_gateways();
    let sc = scenario(&m, 10.0, 2, 2, &response("gw1", "no_answer = true", 1.0));
    for r in run(&m, &sc) {
        let c = r.counts.total();
        assert!(c.offered > 200);
        assert_eq!(r.peers[1].attempts, c.offered, "every call fails over to gw2");
        assert_eq!((c.carried, c.failed_over, c.failed), (c.offered, c.offered, 0));
        // Each post-dial delay is the timer (no signalling delay here).
        assert_eq!(r.pdd.quantile_ms(0.0), 10_000.0);
        assert_eq!(r.pdd.quantile_ms(1.0), 10_000.0);
        assert!(r.failures.is_empty() && r.timeline.is_empty(), "no failure, nothing marked down");
    }
}

#[test]
fn with_the_timer_off_no_answer_times_out_and_the_408_ends_the_call() {
    let text = TWO_GATEWAYS
        .replace("scope = \"PstnGateway:gw1\"\n", "scope = \"PstnGateway:gw1\"\nenable_fast_failover_timer = false\n");
    let m = voicetwin::model::load_str(&text, "timer-off.toml").unwrap();
    let sc = scenario(&m, 10.0, 2, 2, &response("gw1", "no_answer = true", 0.5));
    for r in run(&m, &sc) {
        let c = r.counts.total();
        assert_eq!(r.peers[1].attempts, 0);
        assert_eq!(c.failed, ended_by(&r, 408));
        let share = c.failed as f64 / c.offered as f64;
        assert!((0.4..0.6).contains(&share), "{share}");
    }
}
