//! Which trunk-attempt results fail over (docs/lync-behaviour.md, "Failover
//! responses"; New-CsSipResponseCodeTranslationRule).

mod common;

use common::*;
use voicetwin::model::Micros;
use voicetwin::voice::{verdict, AttemptResult};

#[test]
fn a_503_fails_over_and_a_486_does_not() {
    let m = small();
    let cfg = m.trunk_config(m.trunk(m.trunk_by_name("gw1").unwrap()).config);
    let v = verdict(&m.settings, cfg, AttemptResult::Response { code: 503, isup_cause: None });
    assert!(v.failover);
    assert_eq!(v.waited, Micros(0), "a 503 fails over at once");
    assert!(!verdict(&m.settings, cfg, AttemptResult::Response { code: 486, isup_cause: None }).failover);
    assert!(!verdict(&m.settings, cfg, AttemptResult::Response { code: 404, isup_cause: None }).failover);
    assert!(!verdict(&m.settings, cfg, AttemptResult::Response { code: 603, isup_cause: None }).failover);
    assert!(verdict(&m.settings, cfg, AttemptResult::Response { code: 500, isup_cause: None }).failover);
}

#[test]
fn documented_response_code_rule_486_with_isup_34_becomes_503() {
    let m = small();
    let cfg = m.trunk_config(m.trunk(m.trunk_by_name("gw2").unwrap()).config);
    let v = verdict(&m.settings, cfg, AttemptResult::Response { code: 486, isup_cause: Some(34) });
    assert_eq!(v.code, 503);
    assert_eq!(v.rule, Some(0));
    assert!(v.failover);
    // The same 486 with another cause (17, user busy) ends the call.
    let v = verdict(&m.settings, cfg, AttemptResult::Response { code: 486, isup_cause: Some(17) });
    assert_eq!((v.code, v.failover), (486, false));
}

#[test]
fn no_progress_waits_for_the_fast_failover_timer_then_fails_over() {
    let m = small();
    let cfg = m.trunk_config(m.trunk(m.trunk_by_name("gw1").unwrap()).config);
    let v = verdict(&m.settings, cfg, AttemptResult::NoProgress);
    assert!(v.failover);
    assert_eq!(v.waited, Micros::from_secs(10));
    // The ITSP trunk has the timer off: the transaction times out (408), final.
    let cfg = m.trunk_config(m.trunk(m.trunk_by_name("itsp").unwrap()).config);
    let v = verdict(&m.settings, cfg, AttemptResult::NoProgress);
    assert_eq!((v.code, v.failover), (408, false));
    assert_eq!(v.waited, Micros::from_secs(32));
}

#[test]
fn settings_can_make_codes_fail_over_or_end_the_call() {
    let text = small_with(
        "pstn_usages = [\"Local\", \"LD\", \"Backup\", \"Intl\"]",
        "pstn_usages = [\"Local\", \"LD\", \"Backup\", \"Intl\"]\n[routing]\nfailover_codes = [408]\nfinal_codes = [502]",
    );
    let m = voicetwin::model::load_str(&text, "t.toml").unwrap();
    let cfg = m.trunk_config(m.trunk(m.trunk_by_name("gw1").unwrap()).config);
    assert!(verdict(&m.settings, cfg, AttemptResult::Response { code: 408, isup_cause: None }).failover);
    assert!(!verdict(&m.settings, cfg, AttemptResult::Response { code: 502, isup_cause: None }).failover);
}
