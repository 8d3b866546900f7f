//! The three commands on the built-in contoso model, run as a user would.

use std::process::{Command, Output};

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "exit {:?}: {}", o.status, String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

#[test]
fn route_explains_a_least_cost_long_distance_call() {
    let o = voicetwin(&["route", "--user", "redmond-staff", "--dial", "9 1 (212) 555-0100", "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["normalized"], "+12125550100");
    assert_eq!(v["internal"], false);
    assert_eq!(v["rule"]["name"], "LDCallingUS");
    assert_eq!(v["policy"], "voice policy Global");
    assert_eq!(v["outcome"], "routed");
    let attempts = v["attempts"].as_array().unwrap();
    // Stage US-LongDistance = {gw-nyc, gw-red-2-ld, gw-red-1}, then the ITSP backup.
    let stage: std::collections::BTreeSet<&str> = attempts[..3].iter().map(|a| a["trunk"].as_str().unwrap()).collect();
    assert_eq!(stage, ["gw-nyc", "gw-red-1", "gw-red-2-ld"].into_iter().collect());
    assert!(attempts[..3].iter().all(|a| a["usage"] == "US-LongDistance"));
    assert_eq!(attempts[3]["usage"], "ITSP-Backup");
    for a in attempts {
        let expected = match a["trunk"].as_str().unwrap() {
            "gw-red-2-ld" => "12125550100",
            "itsp-red" | "itsp-lon" => "+12125550100",
            _ => "2125550100",
        };
        assert_eq!(a["called"], expected, "{a}");
        assert!(a["calling"].as_str().unwrap().contains("4255550000"));
        assert!(a["route"].is_string());
    }
    assert!(v["invite"].as_str().unwrap().starts_with("INVITE sip:"));
}

#[test]
fn route_text_shows_every_step_and_the_invite() {
    let o = voicetwin(&["route", "--user", "london-staff", "--dial", "900442071234567"]);
    assert!(o.status.success());
    let s = stdout(&o);
    for needle in [
        "Dial plan   site:London",
        "rule UKInternational",
        "Normalized  +442071234567",
        "usage UK-National",
        "called  02071234567",
        "INVITE sip:02071234567@gw1.lon.contoso.com:5066",
    ] {
        assert!(s.contains(needle), "missing {needle:?} in\n{s}");
    }
}

#[test]
fn route_internal_and_down_trunks_and_inbound() {
    let v = json(&voicetwin(&["route", "--user", "redmond-staff", "--dial", "0042", "--format", "json"]));
    assert_eq!(v["internal"], true);
    assert_eq!(v["outcome"], "internal");
    assert_eq!(v["attempts"].as_array().unwrap().len(), 0);

    let v = json(&voicetwin(&[
        "route",
        "--site",
        "Paris",
        "--dial",
        "+33142000000",
        "--down",
        "gw-par",
        "--format",
        "json",
    ]));
    // A Paris *site* caller has the global (US) policy: the US-International
    // stage is {gw-par (LCR-FR), gw-red-2-ld}; with gw-par down one remains.
    assert_eq!(v["outcome"], "routed");
    let trunks: Vec<&str> = v["attempts"].as_array().unwrap().iter().map(|a| a["trunk"].as_str().unwrap()).collect();
    assert_eq!(trunks, ["gw-red-2-ld"]);
    let v = json(&voicetwin(&[
        "route",
        "--site",
        "Paris",
        "--dial",
        "+33142000000",
        "--down",
        "gw-par,peer:gw-red-2",
        "--format",
        "json",
    ]));
    assert_eq!(v["outcome"], "no-trunk-available");

    let v = json(&voicetwin(&[
        "route",
        "--user",
        "paris-staff",
        "--dial",
        "0142000000",
        "--down",
        "gw-par",
        "--format",
        "json",
    ]));
    assert_eq!(v["normalized"], "+33142000000");
    let trunks: Vec<&str> = v["attempts"].as_array().unwrap().iter().map(|a| a["trunk"].as_str().unwrap()).collect();
    let usages: Vec<&str> = v["attempts"].as_array().unwrap().iter().map(|a| a["usage"].as_str().unwrap()).collect();
    // FR-National: LCR-FR (gw-par, down) and its fallback through London;
    // then UK-International, whose pattern also takes +33.
    assert_eq!(trunks, ["gw-lon-1", "gw-lon-2"]);
    assert_eq!(usages, ["FR-National", "UK-International"]);

    let v = json(&voicetwin(&[
        "route",
        "--from-trunk",
        "gw-red-1",
        "--dial",
        "0042",
        "--calling",
        "2065550100",
        "--format",
        "json",
    ]));
    assert_eq!(v["normalized"], "+14255550042");
    assert_eq!(v["outcome"], "internal");

    let v = json(&voicetwin(&["route", "--user", "redmond-lobby", "--dial", "011442071234567", "--format", "json"]));
    assert_eq!(v["outcome"], "not-authorized");
}

#[test]
fn rule_tests_a_pattern_like_test_csvoicenormalizationrule() {
    let o = voicetwin(&[
        "rule",
        "--pattern",
        r"^\+(\d{9}\d+)$",
        "--translation",
        "011$1",
        "+441235551010",
        "12345",
        "--format",
        "json",
    ]);
    let v = json(&o);
    assert_eq!(v[0]["input"], "+441235551010");
    assert_eq!(v[0]["matched"], true);
    assert_eq!(v[0]["output"], "011441235551010");
    assert_eq!(v[1]["matched"], false);
    assert!(v[1]["output"].is_null());

    let o = voicetwin(&["rule", "--pattern", r"^(\d)", "--translation", "$10", "5"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).trim(), "5  ->  $10");
    assert!(String::from_utf8_lossy(&o.stderr).contains("`$10` names no group"));

    let o = voicetwin(&["rule", "--pattern", r"^(\d", "--translation", "$1", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--pattern"));
}

#[test]
fn check_validates_contoso() {
    let o = voicetwin(&["check"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("valid. 5 sites"), "{}", stdout(&o));
    let v = json(&voicetwin(&["check", "--format", "json"]));
    assert_eq!(v["valid"], true);
    // contoso's one finding, left for its maintainers: the Paris users'
    // 4-digit extension rule makes 12-digit numbers where they hold 11.
    let lints: Vec<_> = v["lints"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| !(l["code"] == "extension-reaches-no-user" && l["object"] == "dial_plan \"Paris-Users\""))
        .collect();
    assert_eq!(lints.len(), 0, "{lints:#?}");
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &["route", "--user", "nobody", "--dial", "123"][..],
        &["route", "--site", "Atlantis", "--dial", "123"],
        &["route", "--from-trunk", "nope", "--dial", "123"],
        &["route", "--user", "redmond-staff", "--dial", "123", "--down", "gw-x"],
        &["route", "--dial", "123"],
        &["route", "--model", "/nonexistent/model.toml", "--site", "X", "--dial", "1"],
    ] {
        let o = voicetwin(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    }
}
