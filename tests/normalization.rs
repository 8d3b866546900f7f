//! Dial plans: scope resolution and normalization rules
//! (docs/lync-behaviour.md, "Dial plans and normalization").

mod common;

use common::*;
use voicetwin::model::Model;
use voicetwin::voice::normalize::{clean_dialed, normalize};

fn plan_rule(model: &Model, d: &voicetwin::voice::Decision) -> Option<String> {
    d.normalized.rule.map(|i| model.dial_plan(d.dial_plan).normalization_rules[i].name.clone())
}

#[test]
fn documented_table_1_examples_on_the_global_plan() {
    let m = small();
    // A site caller at HQ gets the global plan (no site plan at HQ).
    let hq_site = voicetwin::voice::Caller::Site(m.site_by_name("HQ").unwrap());
    for (dialed, expected) in [
        ("0100", "+14255550100"),
        ("5550100", "+14255550100"),
        ("2065550100", "+12065550100"),
        ("12145550100", "+2145550100"), // implemented literally, as documented
        ("01191445550100", "+91445550100"),
    ] {
        let d = decide(&m, hq_site, dialed);
        assert_eq!(d.normalized.number, expected, "{dialed}");
    }
}

#[test]
fn scope_is_user_then_pool_then_site_then_global() {
    let m = small();
    // User scope: "dallas" group has a per-user plan.
    let d = decide(&m, user(&m, "dallas"), "5550100");
    assert_eq!(m.dial_plan(d.dial_plan).identity, "Dallas");
    assert_eq!(d.normalized.number, "+19725550100");
    // Pool scope: hq users are homed on fe.hq, which has a Registrar plan.
    let d = decide(&m, user(&m, "hq"), "50100");
    assert_eq!(m.dial_plan(d.dial_plan).identity, "Registrar:fe.hq.example.com");
    assert_eq!(d.normalized.number, "+14255550100");
    assert_eq!(plan_rule(&m, &d).as_deref(), Some("5digitExtension"));
    // Site scope: branch users (on the SBA, no pool plan) get site:Branch.
    let d = decide(&m, user(&m, "branch"), "5550100");
    assert_eq!(m.dial_plan(d.dial_plan).identity, "site:Branch");
    assert_eq!(d.normalized.number, "+19725550100");
}

#[test]
fn first_matching_rule_applies_once_without_chaining() {
    let m = small();
    // 7 digits: both "7digitcallingRedmond" and nothing else; its result
    // (+1425...) is not normalized again.
    let d = decide(&m, user(&m, "hq"), "5550100");
    assert_eq!(d.normalized.number, "+14255550100");
    assert_eq!(plan_rule(&m, &d).as_deref(), Some("7digitcallingRedmond"));
    // The operator rule is last but only it matches "0".
    let d = decide(&m, user(&m, "hq"), "0");
    assert_eq!(d.normalized.number, "+14255550100");
    assert_eq!(plan_rule(&m, &d).as_deref(), Some("RedmondOperator"));
}

#[test]
fn no_matching_rule_leaves_the_string_as_dialed() {
    let m = small();
    let d = decide(&m, user(&m, "hq"), "*72");
    assert_eq!(d.normalized.number, "*72");
    assert_eq!(d.normalized.rule, None);
}

#[test]
fn external_access_prefix_is_stripped_only_with_optimize_device_dialing() {
    let m = small();
    // fe.hq's plan: prefix 9, optimized: 9 + 7 digits normalizes as 7 digits.
    let d = decide(&m, user(&m, "hq"), "95550100");
    assert!(d.normalized.prefix_stripped);
    assert_eq!(d.normalized.number, "+14255550100");
    // No rule takes 425550100 (9 digits) once the 9 is stripped: the rules
    // are tried on the string as dialed, and the 10-digit rule takes it.
    let d = decide(&m, user(&m, "hq"), "9425550100");
    assert!(!d.normalized.prefix_stripped);
    assert_eq!(d.normalized.number, "+19425550100");
    assert_eq!(plan_rule(&m, &d).as_deref(), Some("10digitcallingUS"));
    // The global plan has no prefix: 95550100 (8 digits) matches nothing.
    let site = voicetwin::voice::Caller::Site(m.site_by_name("HQ").unwrap());
    let d = decide(&m, site, "95550100");
    assert!(!d.normalized.prefix_stripped);
    assert_eq!(d.normalized.number, "95550100");
    // Optimize off: the prefix stays and the rules see it.
    let m2 = voicetwin::model::load_str(
        &small_with("optimize_device_dialing = true", "optimize_device_dialing = false"),
        "t.toml",
    )
    .unwrap();
    let d = decide(&m2, user(&m2, "hq"), "95550100");
    assert!(!d.normalized.prefix_stripped);
    assert_eq!(d.normalized.number, "95550100");
}

#[test]
fn e164_input_is_not_normalized_and_separators_are_removed() {
    let m = small();
    let d = decide(&m, user(&m, "hq"), "+1 (206) 555-0100");
    assert_eq!(d.dialed, "+12065550100");
    assert!(d.normalized.already_e164);
    assert_eq!(d.normalized.number, "+12065550100");
    assert_eq!(clean_dialed(&m.settings, "tel:+1.425.555.0100"), "+14255550100");
    let plan = m.dial_plan(m.site_dial_plan[0]);
    assert_eq!(normalize(&m.settings, plan, "+14255550100;ext=12").number, "+14255550100;ext=12");
}

/// contoso's Paris users (+33140208000 to +33140208399) reach each other by
/// their four-digit extensions, and the busy hour has internal calls at
/// Paris where its dial mix says (15 in a hundred).
#[test]
fn contoso_paris_extensions_are_its_users_numbers() {
    use voicetwin::analysis::{run::run, summary::summarize};
    use voicetwin::scenario::{builtin, load_for_model};
    let m = voicetwin::model::Model::contoso();
    let d = decide(&m, user(&m, "paris-staff"), "8100");
    assert_eq!(d.normalized.number, "+33140208100");
    assert_eq!(d.outcome, voicetwin::voice::Outcome::Internal);
    assert_eq!(d.internal.map(|e| (m.user_group(e.group).name.as_str(), e.index)), Some(("paris-staff", 100)));
    let mut sc = load_for_model(builtin("busy-hour").unwrap(), "busy-hour.toml", &m).unwrap();
    sc.replications = 4;
    let s = summarize(&m, &sc, &run(&m, &sc, 2).unwrap());
    let paris = s.sources.iter().find(|g| g.name == "paris-out").unwrap();
    let internal = paris.directions.iter().find(|d| d.direction == voicetwin::sim::metrics::Direction::Internal);
    let internal = internal.expect("Paris has internal calls").calls.offered.mean;
    let share = internal / paris.calls.offered.mean;
    assert!((0.08..0.25).contains(&share), "{share}");
}
