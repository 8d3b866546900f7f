//! `check` lints on models that load but would surprise an administrator.

mod common;

use common::*;
use voicetwin::model::lint::lint;
use voicetwin::model::{load_str, Model};

fn codes(m: &Model) -> Vec<(String, String, String)> {
    lint(m).into_iter().map(|l| (l.code.to_owned(), l.object, l.field)).collect()
}

#[test]
fn contoso_is_clean() {
    // The model's own lints find nothing (the Paris extension rule makes
    // its users' 11-digit numbers); the emergency lints of `check` are in
    // tests/cli.rs.
    assert_eq!(lint(&Model::contoso()), vec![]);
}

#[test]
fn a_rule_behind_a_broader_rule_can_never_match() {
    // Table 1's 7digitcallingDallas after 7digitcallingRedmond: same pattern.
    let text = small_with(
        "{ name = \"IntlCallingUS\", pattern = '^011(\\d*)$', translation = '+$1' },\n]",
        "{ name = \"IntlCallingUS\", pattern = '^011(\\d*)$', translation = '+$1' },\n  { name = \"7digitcallingDallas\", pattern = '^(\\d{7})$', translation = '+1972$1' },\n  { name = \"Any11\", pattern = '^1\\d{10}$', translation = '+$1' },\n  { name = \"Odd\", pattern = '^2\\d{3}$', translation = '+1$2' },\n]",
    );
    let m = load_str(&text, "t.toml").unwrap();
    let found = lint(&m);
    let shadow: Vec<_> = found.iter().filter(|l| l.code == "shadowed-rule").collect();
    assert_eq!(shadow.len(), 3, "{found:#?}");
    assert!(shadow[0].field.contains("7digitcallingDallas") && shadow[0].message.contains("7digitcallingRedmond"));
    assert!(shadow[1].field.contains("Any11") && shadow[1].message.contains("LDCallingUS"));
    // ^2\d{3}$ is inside ^(\d{4})$ (4digitExtension).
    assert!(shadow[2].field.contains("Odd") && shadow[2].message.contains("4digitExtension"));
    assert!(found.iter().any(|l| l.code == "literal-group-reference" && l.message.contains("`$2`")));
}

#[test]
fn unused_routes_usages_trunks_and_empty_policies_are_reported() {
    let text = small_with(
        "pstn_usages = [\"Local\", \"LD\", \"Backup\", \"Intl\"]",
        "pstn_usages = [\"Local\", \"LD\", \"Backup\", \"Intl\", \"Nothing\"]",
    );
    let text = text.replacen(
        "scope = \"tag:Intl\"\npstn_usages = [\"Intl\", \"Local\"]",
        "scope = \"tag:Intl\"\npstn_usages = [\"Nothing\"]",
        1,
    );
    let m = load_str(&text, "t.toml").unwrap();
    let c = codes(&m);
    assert!(
        c.contains(&("usage-without-route".into(), "PSTN usage \"Nothing\"".into(), "pstn_usages".into())),
        "{c:#?}"
    );
    assert!(c.contains(&("unreachable-route".into(), "voice_route \"Intl\"".into(), "pstn_usages".into())), "{c:#?}");
    assert!(
        c.contains(&("policy-leads-nowhere".into(), "voice_policy \"Intl\"".into(), "pstn_usages".into())),
        "{c:#?}"
    );
    // gw3 is still on LocalB; make a trunk that no route lists.
    let text = small_with("pstn_gateways = [\"gw3\"]\npriority = 1", "pstn_gateways = [\"gw1\"]\npriority = 1");
    let text = text.replacen(
        "pstn_gateways = [\"gw3\"]\nsuppress_caller_id",
        "pstn_gateways = [\"gw1\"]\nsuppress_caller_id",
        1,
    );
    let m = load_str(&text, "t.toml").unwrap();
    assert!(codes(&m).contains(&("trunk-in-no-route".into(), "trunk \"gw3\"".into(), "name".into())));
}

#[test]
fn a_gateway_trunk_routing_back_to_the_pstn_is_a_toll_fraud_warning() {
    let text = small_with("scope = \"PstnGateway:itsp\"", "scope = \"PstnGateway:itsp\"\npstn_usages = [\"Intl\"]");
    let m = load_str(&text, "t.toml").unwrap();
    let found = lint(&m);
    assert!(
        found.iter().any(|l| l.code == "pstn-to-pstn" && l.object == "trunk_configuration \"PstnGateway:itsp\""),
        "{found:#?}"
    );
}

/// The small model with one more per-user dial plan, `Extra`, of `rules`.
fn with_plan(rules: &str) -> Model {
    let text = format!("{SMALL}\n[[dial_plan]]\nscope = \"tag:Extra\"\nnormalization_rules = [\n{rules}\n]\n");
    load_str(&text, "t.toml").unwrap()
}

#[test]
fn a_shadowed_rule_is_shown_on_a_number_with_both_results() {
    // The issue's example: a local rule for 5 to 13 digits above the
    // national rule takes 0891234567 and makes +49890891234567; it takes
    // every national number (10 or 11 digits), so the national rule is
    // shadowed outright.
    let m = with_plan(
        "  { name = \"MunichLocal\", pattern = '^(\\d{5,13})$', translation = '+4989$1' },\n  { name = \"National\", pattern = '^0(\\d{9,10})$', translation = '+49$1' },",
    );
    let found = lint(&m);
    let l = found
        .iter()
        .find(|l| l.object == "dial_plan \"Extra\"" && l.field == "normalization_rules[National]")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(l.code, "shadowed-rule");
    assert!(
        l.message.contains("\"0000000000\" becomes \"+49890000000000\" by rule \"MunichLocal\", not \"+49000000000\""),
        "{}",
        l.message
    );
}

#[test]
fn an_earlier_rule_that_takes_some_of_a_later_rules_numbers() {
    // The same with a local rule of 5 to 10 digits: the national rule
    // keeps the 11-digit numbers, and loses the 10-digit ones.
    let m = with_plan(
        "  { name = \"MunichLocal\", pattern = '^(\\d{5,10})$', translation = '+4989$1' },\n  { name = \"National\", pattern = '^0(\\d{9,10})$', translation = '+49$1' },",
    );
    let found = lint(&m);
    let partly: Vec<_> =
        found.iter().filter(|l| l.code == "partially-shadowed-rule" && l.object == "dial_plan \"Extra\"").collect();
    assert_eq!(partly.len(), 1, "{found:#?}");
    let l = partly[0];
    assert_eq!(l.field, "normalization_rules[National]");
    // The shortest such number, both results.
    assert!(l.message.contains("\"MunichLocal\""), "{}", l.message);
    assert!(l.message.contains("\"0000000000\""), "{}", l.message);
    assert!(l.message.contains("\"+49890000000000\"") && l.message.contains("\"+49000000000\""), "{}", l.message);
    assert!(!found.iter().any(|l| l.code == "shadowed-rule" && l.object == "dial_plan \"Extra\""), "{found:#?}");
}

#[test]
fn a_specific_rule_before_a_general_one_is_not_partial_shadowing() {
    // The usual order: the earlier rule is a special case of the later one.
    let m = with_plan(
        "  { name = \"NANP\", pattern = '^1(\\d{10})$', translation = '+1$1' },\n  { name = \"Any\", pattern = '^(\\d{7,15})$', translation = '+$1' },",
    );
    let found = lint(&m);
    assert!(!found.iter().any(|l| l.object == "dial_plan \"Extra\""), "{found:#?}");
    // The same results on the shared numbers: nothing to report either.
    let m = with_plan(
        "  { name = \"Short\", pattern = '^(\\d{4,6})$', translation = '+1425$1' },\n  { name = \"Long\", pattern = '^(\\d{6,8})$', translation = '+1425$1' },",
    );
    assert!(!lint(&m).iter().any(|l| l.object == "dial_plan \"Extra\""));
}

#[test]
fn a_route_pattern_that_matches_no_number() {
    // Valid .NET: `{6,13` opens no quantifier, so it is literal text.
    let text = small_with(r"number_pattern = '^\+44\d+$'", r"number_pattern = '^\+49\d{6,13$'");
    let m = load_str(&text, "t.toml").unwrap();
    let found = lint(&m);
    let l = found.iter().find(|l| l.code == "route-matches-no-number").unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!((l.object.as_str(), l.field.as_str()), ("voice_route \"Intl\"", "number_pattern"));
    assert!(l.message.contains("\"+490{6,13\"") && l.message.contains("literal brace"), "{}", l.message);
    assert_eq!(found.iter().filter(|l| l.code == "route-matches-no-number").count(), 1);
}

#[test]
fn an_extension_rule_that_reaches_no_user() {
    let m = with_plan(
        "  { name = \"Ext6\", pattern = '^(6\\d{3})$', translation = '+1425999$1', is_internal_extension = true },\n  { name = \"Ext01\", pattern = '^(01\\d{2})$', translation = '+1425555$1', is_internal_extension = true },",
    );
    let found = lint(&m);
    let ext: Vec<_> = found.iter().filter(|l| l.code == "extension-reaches-no-user").collect();
    assert_eq!(ext.len(), 1, "{found:#?}");
    assert_eq!(ext[0].object, "dial_plan \"Extra\"");
    assert_eq!(ext[0].field, "normalization_rules[Ext6]");
    assert!(ext[0].message.contains("\"6000\" becomes \"+14259996000\""), "{}", ext[0].message);
}

#[test]
fn a_policy_without_usages_is_reported_only_when_someone_holds_it() {
    let spare = "[[voice_policy]]\nscope = \"tag:Spare\"\npstn_usages = []\n\n[[voice_policy]]\nscope = \"tag:Intl\"";
    let text = small_with("[[voice_policy]]\nscope = \"tag:Intl\"", spare);
    let c = codes(&load_str(&text, "t.toml").unwrap());
    assert!(!c.iter().any(|l| l.1.contains("Spare")), "{c:#?}");
    // The same policy held by the Intl users' group is reported.
    let held = text.replacen("voice_policy = \"Intl\"", "voice_policy = \"Spare\"", 1);
    let c = codes(&load_str(&held, "t.toml").unwrap());
    assert!(
        c.contains(&("policy-without-usages".into(), "voice_policy \"Spare\"".into(), "pstn_usages".into())),
        "{c:#?}"
    );
}
