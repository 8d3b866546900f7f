//! A peer's own answer in a run (`[[response]]`, `mode = "respond"`): a
//! 503 fails over to the next trunk, a 486 ends the call
//! (docs/lync-behaviour.md, "Failover responses"). Every call tries gw1
//! first and gw2 only when gw1's answer fails over.

#[path = "common/responses.rs"]
mod responses;

use responses::*;

const GW1: usize = 0;
const GW2: usize = 1;

#[test]
fn a_486_ends_the_call_and_the_next_trunk_carries_none_of_them() {
    let m = two_gateways();
    let sc = scenario(&m, 20.0, 2, 2, &response("gw1", "code = 486", 1.0));
    for r in run(&m, &sc) {
        let c = r.counts.total();
        assert!(c.offered > 500, "{c:?}");
        assert_eq!(r.peers[GW1].attempts, c.offered, "every call reaches gw1");
        assert_eq!(c.failed, c.offered, "every call ends on gw1's 486");
        assert_eq!(ended_by(&r, 486), c.failed);
        assert_eq!((c.carried, c.failed_over, c.blocked), (0, 0, 0));
        assert_eq!(r.peers[GW2].attempts, 0, "no call that gw1 answered 486 reaches gw2");
    }
}

#[test]
fn a_503_fails_over_and_the_next_trunk_carries_the_calls() {
    let m = two_gateways();
    let sc = scenario(&m, 20.0, 2, 2, &response("gw1", "code = 503", 1.0));
    for r in run(&m, &sc) {
        let c = r.counts.total();
        assert!(c.offered > 500, "{c:?}");
        assert_eq!(r.peers[GW2].attempts, c.offered, "every call fails over to gw2");
        assert_eq!((c.carried, c.failed_over, c.failed), (c.offered, c.offered, 0));
        assert!(r.final_codes.iter().all(|n| *n == 0));
        // gw1 gave each channel back at once: it carries nothing.
        assert_eq!(r.peers[GW1].area(), 0.0);
    }
}

#[test]
fn a_share_of_486_ends_that_share_and_gw2_still_carries_none() {
    let m = two_gateways();
    let sc = scenario(&m, 20.0, 2, 2, &response("gw1", "code = 486, isup_cause = 17", 0.3));
    for r in run(&m, &sc) {
        let c = r.counts.total();
        let share = c.failed as f64 / c.offered as f64;
        assert!((0.2..0.4).contains(&share), "{share}");
        assert_eq!(c.carried + c.failed, c.offered);
        assert_eq!(r.peers[GW2].attempts, 0);
    }
}

#[test]
fn a_responding_failure_answers_its_response_and_is_never_marked_down() {
    let m = two_gateways();
    let failure = |response: &str| {
        format!(
            "[[failure]]\nelement = \"peer:gw1\"\nkind = \"scheduled\"\nmode = \"respond\"\n{response}\nat = \"1h\"\nduration = \"1h\"\n"
        )
    };
    // A carrier answering 486 for an hour: those calls end.
    let sc = scenario(&m, 20.0, 3, 2, &failure("response = 486"));
    for r in run(&m, &sc) {
        let f = &r.failures[0];
        assert!(f.undetected_attempts > 100, "{f:?}");
        assert_eq!(f.lost, f.undetected_attempts, "each call it answered 486 ended");
        assert_eq!((f.rescued, f.detections, f.dropped), (0, 0, 0), "up: OPTIONS answered, calls kept");
        assert_eq!(r.peers[GW2].attempts, 0);
        assert_eq!(ended_by(&r, 486), f.lost);
        assert_eq!(r.counts.total().failed, f.lost);
    }
    // The same with ISUP cause 34: gw1's rule makes it 503, so the calls
    // fail over to gw2 and are carried there.
    let sc = scenario(&m, 20.0, 3, 2, &failure("response = 486\nisup_cause = 34"));
    for r in run(&m, &sc) {
        let f = &r.failures[0];
        assert!(f.undetected_attempts > 0);
        assert_eq!(f.lost, 0);
        assert_eq!(r.peers[GW2].attempts, f.undetected_attempts, "{f:?}");
        assert_eq!(r.counts.total().failed, 0);
    }
}

#[test]
fn only_answers_that_fail_over_make_a_trunk_less_preferred() {
    // gw1 and gw2 share one stage (round robin), gw2 again after it.
    let text = TWO_GATEWAYS.replacen("pstn_gateways = [\"gw1\"]", "pstn_gateways = [\"gw1\", \"gw2\"]", 1);
    let m = voicetwin::model::load_str(&text, "one-stage.toml").unwrap();
    let attempts_on_gw1 = |answer: &str| -> Vec<(u64, u64)> {
        let sc = voicetwin::scenario::load_for_model(
            &scenario_text(20.0, 2, 2, &response("gw1", answer, 1.0)),
            "one-stage-responses.toml",
            &m,
        )
        .unwrap();
        run(&m, &sc).iter().map(|r| (r.peers[GW1].attempts, r.counts.total().offered)).collect()
    };
    // Three 503s in a row, then gw1 is tried last in its stage: gw2 has
    // room, so gw1 sees (almost) no call after them.
    for (gw1, offered) in attempts_on_gw1("code = 503") {
        assert!(gw1 <= 3 + 1, "{gw1} of {offered}");
    }
    // A 486 ends the call without counting against gw1: it keeps its
    // half of the calls.
    for (gw1, offered) in attempts_on_gw1("code = 486") {
        let share = gw1 as f64 / offered as f64;
        assert!((0.4..0.6).contains(&share), "{gw1} of {offered}");
    }
}
