//! Each kind of bad model file: exit 2 and a message naming the file, the
//! object and the field.

use std::process::Command;

const CONTOSO: &str = include_str!("../models/contoso.toml");

/// Writes contoso with one edit to a temp file and runs `check` on it.
fn check_with(name: &str, from: &str, to: &str) -> (Option<i32>, String) {
    assert!(CONTOSO.contains(from), "edit target not found: {from}");
    let text = CONTOSO.replacen(from, to, 1);
    let dir = std::env::temp_dir().join(format!("voicetwin-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(["check", "--model"]).arg(&path).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(&format!("{name}.toml")), "the message names the file: {err}");
    (o.status.code(), err)
}

fn assert_names(err: &str, needles: &[&str]) {
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in:\n{err}");
    }
}

#[test]
fn a_pattern_that_does_not_compile() {
    let (code, err) = check_with("bad-regex", r#"number_pattern = '^\+911$'"#, r#"number_pattern = '^\+(911$'"#);
    assert_eq!(code, Some(2));
    assert_names(&err, &["voice_route \"US-Emergency\"", "field `number_pattern`", "not a valid regular expression"]);
    let (code, err) = check_with("bad-rule", r#"pattern = '^(999|112)$'"#, r#"pattern = '^(999|112$'"#);
    assert_eq!(code, Some(2));
    assert_names(&err, &["dial_plan \"site:London\"", "normalization_rules[Emergency].pattern"]);
}

#[test]
fn a_reference_to_nothing() {
    let (code, err) = check_with("dangling", r#"pstn_gateways = ["gw-nyc"]"#, r#"pstn_gateways = ["gw-nowhere"]"#);
    assert_eq!(code, Some(2));
    assert_names(
        &err,
        &["voice_route \"NYC-Emergency\"", "field `pstn_gateways`", "trunk \"gw-nowhere\", which does not exist"],
    );
    let (code, err) = check_with(
        "dangling-usage",
        r#"pstn_usages = ["UK-Emergency", "UK-National""#,
        r#"pstn_usages = ["UK-Emergncy", "UK-National""#,
    );
    assert_eq!(code, Some(2));
    assert_names(&err, &["voice_policy \"site:London\"", "field `pstn_usages`", "UK-Emergncy"]);
}

#[test]
fn a_duplicate_name() {
    let (code, err) = check_with("dup", "name = \"gw-red-2\"\nfqdn", "name = \"gw-red-1\"\nfqdn");
    assert_eq!(code, Some(2));
    assert_names(&err, &["peer \"gw-red-1\"", "field `name`", "duplicate"]);
}

#[test]
fn an_alternate_caller_id_of_the_wrong_form() {
    let (code, err) =
        check_with("alt", r#"alternate_caller_id = "+14255550100""#, r#"alternate_caller_id = "+0425-555""#);
    assert_eq!(code, Some(2));
    assert_names(
        &err,
        &["voice_route \"Helpdesk-Anonymous\"", "field `alternate_caller_id`", "(\\+)?[1-9]\\d*(;ext=[1-9]\\d*)?"],
    );
}

#[test]
fn a_zero_or_negative_capacity() {
    let (code, err) = check_with("zero", "session_limit = 120", "session_limit = 0");
    assert_eq!(code, Some(2));
    assert_names(&err, &["peer \"itsp\"", "field `session_limit`", "positive"]);
    let (code, err) = check_with("negative", "e1_spans = 4", "e1_spans = -4");
    assert_eq!(code, Some(2));
    assert_names(&err, &["peer \"gw-lon-1\"", "field `e1_spans`", "-4"]);
    let (code, err) = check_with("bandwidth", "bandwidth_kbps = 100000", "bandwidth_kbps = -1");
    assert_eq!(code, Some(2));
    assert_names(&err, &["wan_link \"redmond-london\"", "field `bandwidth_kbps`"]);
}

#[test]
fn a_cycle_in_inter_trunk_routing() {
    // The PBX's outbound route no longer excludes the PBX's own numbers:
    // a call for +1 425 882 xxxx can go gateway -> PBX -> gateway.
    let from = r"number_pattern = '^\+1(?:[02-35-9]\d{9}|4[013-9]\d{8}|42[0-46-9]\d{7}|425[0-79]\d{6}|4258[0-79]\d{5}|42588[013-9]\d{4})$'";
    let (code, err) = check_with("loop", from, r"number_pattern = '^\+1\d{10}$'");
    assert_eq!(code, Some(2));
    assert_names(
        &err,
        &["trunk_configuration", "field `pstn_usages`", "inter-trunk routing can loop", "pbx-red", "e.g. +1425882"],
    );
}

#[test]
fn an_unknown_field_and_a_syntax_error() {
    let (code, err) = check_with("unknown", "t1_spans = 4\n", "t1_spans = 4\nchanels = 3\n");
    assert_eq!(code, Some(2));
    assert_names(&err, &["unknown field `chanels`", "line"]);
    let (code, err) = check_with("syntax", "[[site]]\nname = \"Redmond\"", "[[site]\nname = \"Redmond\"");
    assert_eq!(code, Some(2));
    assert_names(&err, &["line"]);
}

#[test]
fn a_bad_duration_and_a_bad_scope() {
    let (code, err) = check_with("duration", "one_way_delay = \"70ms\"", "one_way_delay = \"70\"");
    assert_eq!(code, Some(2));
    assert_names(&err, &["one_way_delay", "\"10s\""]);
    let (code, err) = check_with(
        "scope",
        "scope = \"site:Paris\"\nenable_bypass",
        "scope = \"Registrar:sba-par.contoso.com\"\nenable_bypass",
    );
    assert_eq!(code, Some(2));
    assert_names(
        &err,
        &[
            "trunk_configuration \"Registrar:sba-par.contoso.com\"",
            "field `scope`",
            "PstnGateway:<trunk or gateway FQDN>",
        ],
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = CONTOSO.replacen("session_limit = 120", "session_limit = 0", 1).replacen(
        "t1_spans = 1\n",
        "t1_spans = -1\n",
        1,
    );
    let dir = std::env::temp_dir().join(format!("voicetwin-multi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("two.toml");
    std::fs::write(&path, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(["check", "--model"]).arg(&path).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("2 problems"), "{err}");
}

#[test]
fn a_number_beyond_its_type_is_said_plainly() {
    let (code, err) = check_with("huge-number", "t1_spans = 4", "t1_spans = 99999999999999999999");
    assert_eq!(code, Some(2));
    assert_names(
        &err,
        &["t1_spans = 99999999999999999999", "99999999999999999999 is too large for any whole-number field"],
    );
    assert!(!err.contains("i128"), "no serde wording: {err}");
    let (code, err) = check_with("negative-port", "mediation_port = 5067", "mediation_port = -5067");
    assert_eq!(code, Some(2));
    assert!(err.contains("mediation_port"), "{err}");
}

#[test]
fn a_wrong_type_or_unknown_field_names_its_object_and_field() {
    let (code, err) = check_with("wrong-type", "t1_spans = 4", "t1_spans = \"four\"");
    assert_eq!(code, Some(2));
    assert_names(&err, &["peer \"", "field `t1_spans`", "line", "invalid type: string \"four\""]);
    let (code, err) = check_with("unknown-field", "mediation_port = 5067", "mediation_port = 5067\nmedia_port = 1");
    assert_eq!(code, Some(2));
    assert_names(&err, &["trunk \"", "field `media_port`"]);
}

#[test]
fn a_scope_given_twice() {
    let (code, err) = check_with("duplicate-scope", "scope = \"tag:Paris-Users\"\n", "scope = \"tag:NewYork-Users\"\n");
    assert_eq!(code, Some(2));
    assert_names(&err, &["voice_policy \"tag:NewYork-Users\"", "field `scope`", "duplicate: another voice_policy"]);
}

#[test]
fn media_bypass_without_refer_support_needs_rtcp_off() {
    // Set-CsTrunkConfiguration, EnableBypass: with REFER support, or
    // without it only with RTCP off for active calls and calls on hold.
    let (code, err) = check_with(
        "bypass-no-refer",
        "scope = \"site:NewYork\"\nenable_bypass = true\n",
        "scope = \"site:NewYork\"\nenable_bypass = true\nenable_refer_support = false\n",
    );
    assert_eq!(code, Some(2), "{err}");
    assert_names(&err, &["trunk_configuration", "site:NewYork", "enable_bypass", "rtcp_active_calls"]);
    let text = CONTOSO.replacen(
        "scope = \"site:NewYork\"\nenable_bypass = true\n",
        "scope = \"site:NewYork\"\nenable_bypass = true\nenable_refer_support = false\nrtcp_active_calls = false\nrtcp_calls_on_hold = false\n",
        1,
    );
    voicetwin::model::load_str(&text, "no-rtcp.toml").expect("bypass without REFER, RTCP off: accepted");
}

/// A reference to nothing lists the known names as the file spells them.
#[test]
fn a_bad_reference_lists_known_names_as_written() {
    let text = include_str!("../models/contoso.toml").replacen(
        "site = \"Dallas\"\nregistrar_pool",
        "site = \"Dalas\"\nregistrar_pool",
        1,
    );
    let e = voicetwin::model::load_str(&text, "spelled.toml").unwrap_err().to_string();
    assert!(
        e.contains("refers to site \"Dalas\"") && e.contains("known: Dallas, London, NewYork, Paris, Redmond"),
        "{e}"
    );
}
