//! `voicetwin route --response`: what one answer from one trunk's peer
//! does, through the trunk configuration's response-code rules and the
//! failover class.

use std::process::{Command, Output};

const MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/two-gateways-in-turn.toml");

fn route(extra: &[&str]) -> Output {
    let mut args = vec!["route", "--model", MODEL, "--user", "users", "--dial", "2065550100"];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(&args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn failed(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_documented_rule_turns_486_with_isup_34_into_a_503_that_fails_over() {
    let text = stdout(&route(&["--response", "486:34"]));
    assert!(text.contains("Response    486 (ISUP cause 34) on attempt 1, trunk gw1   [PstnGateway:gw1]"), "{text}");
    assert!(text.contains("response-code rule NoCircuit (486, ISUP cause 34 -> 503): now 503"), "{text}");
    assert!(text.contains("Then        FAILS OVER: next, attempt 2, trunk gw2"), "{text}");
}

#[test]
fn a_plain_486_ends_the_call() {
    let text = stdout(&route(&["--response", "486"]));
    assert!(text.contains("no response-code rule matched (unchanged: 486)"), "{text}");
    assert!(text.contains("Then        ENDS THE CALL: 486 is a final response that does not fail over"), "{text}");
}

#[test]
fn a_503_on_the_last_trunk_leaves_the_call_blocked() {
    let text = stdout(&route(&["--response", "503", "--on-trunk", "gw2"]));
    assert!(text.contains("on attempt 2, trunk gw2"), "{text}");
    assert!(text.contains("FAILS OVER, but no trunk is left: the call is blocked"), "{text}");
}

#[test]
fn no_answer_waits_for_the_fast_failover_timer() {
    let text = stdout(&route(&["--response", "no-answer"]));
    assert!(text.contains("Response    none (no answer) on attempt 1, trunk gw1"), "{text}");
    assert!(text.contains("the fast failover timer gives up after 10000 ms (504)"), "{text}");
    assert!(text.contains("FAILS OVER: next, attempt 2, trunk gw2"), "{text}");
}

#[test]
fn json_gives_the_received_and_translated_codes() {
    let o = route(&["--response", "486:34", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let r = &v["response"];
    assert_eq!(r["received_code"], 486);
    assert_eq!(r["received_isup_cause"], 34);
    assert_eq!(r["rule"]["name"], "NoCircuit");
    assert_eq!(r["code"], 503);
    assert_eq!(r["fails_over"], true);
    assert_eq!(r["next_trunk"], "gw2");
    // Without --response the field is null.
    let v: serde_json::Value = serde_json::from_str(&stdout(&route(&["--format", "json"]))).unwrap();
    assert!(v["response"].is_null());
}

#[test]
fn a_wrong_trunk_or_code_is_an_error_naming_the_flag() {
    let e = failed(&route(&["--response", "486", "--on-trunk", "gw9"]));
    assert!(e.contains("--on-trunk gw9: no trunk \"gw9\" in the model (known: gw1, gw2)"), "{e}");
    let e = failed(&route(&["--response", "399"]));
    assert!(e.contains("--response 399: 399 is less than 400"), "{e}");
    let e = failed(&route(&["--response", "486:128"]));
    assert!(e.contains("--response 486:128: ISUP cause 128 is more than 127"), "{e}");
    let e = failed(&route(&["--response", "busy"]));
    assert!(e.contains("--response busy: \"busy\" is not a whole number"), "{e}");
    // A trunk of the model this call does not try.
    let e = failed(
        &Command::new(env!("CARGO_BIN_EXE_voicetwin"))
            .args([
                "route",
                "--model",
                MODEL,
                "--user",
                "users",
                "--dial",
                "2065550100",
                "--down",
                "gw2",
                "--response",
                "486",
                "--on-trunk",
                "gw2",
            ])
            .output()
            .unwrap(),
    );
    assert!(e.contains("--on-trunk gw2: trunk \"gw2\" is not one this call tries (it tries gw1)"), "{e}");
}
