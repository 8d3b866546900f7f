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
