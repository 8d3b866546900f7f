//! The documented example of New-CsSipResponseCodeTranslationRule in a
//! run: gw1's trunk configuration maps 486 with ISUP cause 34 ("no
//! circuit/channel available") to 503, so those calls are retried on gw2,
//! while a plain 486 (or one with cause 17, user busy) ends the call.

#[path = "common/responses.rs"]
mod responses;

use responses::*;

#[test]
fn a_486_with_isup_34_fails_over_by_the_rule_and_a_plain_486_does_not() {
    let m = two_gateways();
    let mix = "[[response]]\npeer = \"gw1\"\nanswers = [\n  { code = 486, isup_cause = 34, share = 0.2 },\n  { code = 486, share = 0.1 },\n  { code = 486, isup_cause = 17, share = 0.1 },\n]\n";
    let sc = scenario(&m, 20.0, 3, 3, mix);
    for r in run(&m, &sc) {
        let c = r.counts.total();
        // gw2 sees exactly the calls gw1 answered 486 + 34 (translated
        // to 503); the other 486s ended there.
        let gw2 = r.peers[1].attempts;
        assert_eq!(c.failed_over, gw2);
        assert_eq!(c.failed, ended_by(&r, 486));
        assert_eq!(c.carried + c.failed, c.offered);
        let (moved, ended) = (gw2 as f64 / c.offered as f64, c.failed as f64 / c.offered as f64);
        assert!((0.15..0.25).contains(&moved), "486+34 share moved to gw2: {moved}");
        assert!((0.15..0.25).contains(&ended), "plain 486 and 486+17 share ended: {ended}");
        assert_eq!(ended_by(&r, 503), 0, "the translated 503s failed over, none ended a call");
    }
}

#[test]
fn without_the_rule_the_same_486_with_isup_34_ends_the_call() {
    let text = TWO_GATEWAYS.replace(
        "  { name = \"NoCircuit\", received_response_code = 486, received_isup_cause_value = 34, translated_response_code = 503 },\n",
        "",
    );
    let m = voicetwin::model::load_str(&text, "no-rule.toml").unwrap();
    let sc = scenario(&m, 20.0, 2, 2, &response("gw1", "code = 486, isup_cause = 34", 1.0));
    for r in run(&m, &sc) {
        let c = r.counts.total();
        assert_eq!((c.failed, c.failed_over), (c.offered, 0));
        assert_eq!(r.peers[1].attempts, 0);
    }
}
