//! Emergency calls through the location policy (New-CsLocationPolicy):
//! the dial string and masks as dialed or after the dial plan, `+` and the
//! dial string routed with the policy's usage first; contoso reaches every
//! emergency number from every user group however a user dials it.

mod common;

use common::{decide, trunk_names, usage_names, user};
use voicetwin::model::{load_str, Model};
use voicetwin::voice::{Caller, Outcome};

/// Every contoso user group dials its site's emergency numbers and its
/// location policy's dial string and masks, as dialed and after its
/// external access prefix: each is an emergency call, routed.
#[test]
fn every_contoso_user_group_reaches_its_emergency_numbers_however_dialed() {
    let m = Model::contoso();
    for (i, g) in m.user_groups.iter().enumerate() {
        let caller = Caller::User { group: voicetwin::model::UserGroupId::from_index(i), index: 0 };
        let plan = m.dial_plan(g.dial_plan);
        let location = m.location_policy(g.location_policy);
        assert!(location.enhanced_emergency_services, "{}: E9-1-1 on", g.name);
        let dial = location.emergency_dial_string.clone().unwrap();
        let mut numbers = m.site(g.site).emergency_numbers.clone();
        numbers.push(dial.clone());
        numbers.extend(location.emergency_dial_masks.iter().cloned());
        assert!(numbers.len() >= 2, "{}: {numbers:?}", g.name);
        for n in numbers {
            let mut ways = vec![n.clone()];
            if let (Some(p), true) = (&plan.external_access_prefix, plan.optimize_device_dialing) {
                ways.push(format!("{p}{n}"));
            }
            for dialed in ways {
                let d = decide(&m, caller, &dialed);
                assert_eq!(d.outcome, Outcome::Routed, "{} dialing {dialed}: {d:?}", g.name);
                let e = d.emergency.as_ref().unwrap_or_else(|| panic!("{} dialing {dialed}: not emergency", g.name));
                assert_eq!(d.normalized.number, format!("+{dial}"), "{} dialing {dialed}", g.name);
                assert_eq!(e.mask.is_some(), n != dial, "{} dialing {dialed}", g.name);
                // The location policy's usage is tried first.
                let first = location.pstn_usage.map(|u| m.usage(u).to_owned());
                assert_eq!(usage_names(&m, &d).first().cloned(), first, "{} dialing {dialed}", g.name);
            }
        }
    }
}

#[test]
fn contoso_emergency_calls_go_where_each_sites_policy_says() {
    let m = Model::contoso();
    // Redmond: 911 through the Redmond gateways, even with prefix 9 (which
    // the dial plan would otherwise strip to 11).
    let d = decide(&m, user(&m, "redmond-staff"), "911");
    assert!(d.emergency.as_ref().is_some_and(|e| e.as_dialed));
    assert_eq!(trunk_names(&m, &d), ["gw-red-1", "gw-red-2"]);
    // 9 911 through the dial plan's rule, recognised after normalization.
    let d = decide(&m, user(&m, "redmond-staff"), "9911");
    assert!(d.emergency.as_ref().is_some_and(|e| !e.as_dialed));
    assert!(d.normalized.prefix_stripped);
    // Dallas users are homed on the Redmond pool: the global policy.
    let d = decide(&m, user(&m, "dallas-staff"), "112");
    assert_eq!(d.normalized.number, "+911");
    assert_eq!(d.emergency.as_ref().unwrap().mask.as_deref(), Some("112"));
    // New York's SBA first, then the voice policy's US-Emergency.
    let d = decide(&m, user(&m, "newyork-staff"), "911");
    assert_eq!(usage_names(&m, &d)[..2], ["NYC-Emergency", "US-Emergency"]);
    assert_eq!(trunk_names(&m, &d), ["gw-nyc", "gw-red-1", "gw-red-2"]);
    // London: 999, and 112 or a visitor's 911 as masks; Paris: 112.
    assert_eq!(decide(&m, user(&m, "london-staff"), "911").normalized.number, "+999");
    assert_eq!(decide(&m, user(&m, "paris-staff"), "999").normalized.number, "+112");
    // Not an emergency number: normal routing, no emergency flag.
    let d = decide(&m, user(&m, "redmond-staff"), "94255550199");
    assert!(d.emergency.is_none());
}

/// A small network: an E9-1-1 provider trunk and a local gateway.
const MODEL: &str = r#"
pstn_usages = ["E911", "Local"]

[[region]]
name = "R"
central_site = "HQ"

[[site]]
name = "HQ"
kind = "central"
region = "R"
country = "US"

[[site]]
name = "Lab"
kind = "branch"
region = "R"
location_policy = "Lab-Visitors"

[[registrar_pool]]
fqdn = "fe.example.com"
site = "HQ"
kind = "front-end"
servers = 2

[[mediation_pool]]
fqdn = "med.example.com"
site = "HQ"
kind = "stand-alone"
servers = 2

[[peer]]
name = "e911-provider"
fqdn = "sbc.e911.example.net"
kind = "itsp-sbc"
site = "HQ"
session_limit = 10

[[peer]]
name = "gw"
fqdn = "gw.example.com"
kind = "pstn-gateway"
site = "HQ"
t1_spans = 1

[[trunk]]
name = "e911-provider"
mediation_pool = "med.example.com"
peer = "e911-provider"

[[trunk]]
name = "gw"
mediation_pool = "med.example.com"
peer = "gw"

[[voice_route]]
name = "EmergencyRoute"
number_pattern = '^\+911$'
pstn_usages = ["E911"]
pstn_gateways = ["e911-provider"]

[[voice_route]]
name = "LocalEmergencyRoute"
number_pattern = '^\+911$'
pstn_usages = ["Local"]
pstn_gateways = ["gw"]

[[voice_route]]
name = "Local"
number_pattern = '^\+1\d{10}$'
pstn_usages = ["Local"]
pstn_gateways = ["gw"]

[[voice_policy]]
scope = "global"
pstn_usages = ["Local"]

[[dial_plan]]
scope = "global"
normalization_rules = [
  { name = "10digit", pattern = '^([2-9]\d{9})$', translation = '+1$1' },
]

[[location_policy]]
scope = "global"
enhanced_emergency_services_enabled = true
emergency_dial_string = "911"
emergency_dial_mask = "212;414"
pstn_usage = "E911"

[[location_policy]]
scope = "tag:Reno"
emergency_dial_string = "911"
pstn_usage = "E911"

[[location_policy]]
scope = "tag:Lab-Visitors"
enhanced_emergency_services_enabled = true
emergency_dial_string = "911"
emergency_dial_mask = "112"
pstn_usage = "E911"

[[user_group]]
name = "hq"
site = "HQ"
registrar_pool = "fe.example.com"
users = 10
first_number = "+14255550000"

[[user_group]]
name = "reno"
site = "HQ"
registrar_pool = "fe.example.com"
users = 10
first_number = "+17755550000"
location_policy = "Reno"

[[user_group]]
name = "lab"
site = "Lab"
registrar_pool = "fe.example.com"
users = 10
first_number = "+12065550000"
location_policy = "Reno"
"#;

#[test]
fn the_documented_dial_mask_example_and_the_fallback_route() {
    let m = load_str(MODEL, "e911.toml").unwrap();
    // New-CsLocationPolicy: mask 212 with dial string 911, dialing 212
    // calls 911; several masks separated by semicolons.
    for dialed in ["911", "212", "414", "+911"] {
        let d = decide(&m, user(&m, "hq"), dialed);
        assert_eq!(d.normalized.number, "+911", "{dialed}");
        // The E9-1-1 provider's route first, then the local route of the
        // voice policy's usage (Configure an E9-1-1 voice route).
        assert_eq!(trunk_names(&m, &d), ["e911-provider", "gw"], "{dialed}");
        assert_eq!(usage_names(&m, &d), ["E911", "Local"]);
    }
    // With the provider's trunk down, the local route still takes it.
    let states = voicetwin::voice::TrunkStates::with_down(&m, &["e911-provider".to_owned()]).unwrap();
    let caller = user(&m, "hq");
    let d = voicetwin::voice::Router::new(&m).decide(caller, "911", None, &states, 0);
    assert_eq!(trunk_names(&m, &d), ["gw"]);
}

#[test]
fn without_e911_the_dial_string_does_nothing_and_a_network_site_policy_overrides() {
    let m = load_str(MODEL, "e911.toml").unwrap();
    // Reno's per-user policy has E9-1-1 off: 911 is an ordinary string
    // that no rule normalizes and no route takes.
    let d = decide(&m, user(&m, "reno"), "911");
    assert!(d.emergency.is_none());
    assert_eq!(d.outcome, Outcome::NotAuthorized);
    // Lab users have the same per-user policy, but calls placed from the
    // Lab network site take the policy assigned to it.
    let d = decide(&m, user(&m, "lab"), "112");
    assert_eq!(d.normalized.number, "+911");
    assert_eq!(m.location_policy(m.user_group(m.find_user("lab").unwrap().0).location_policy).identity, "Lab-Visitors");
    // `check` names the group that cannot reach its number.
    let lints = voicetwin::voice::lint::emergency_lints(&m);
    assert!(lints.iter().any(|l| l.code == "emergency-unreachable" && l.object == "user_group \"reno\""), "{lints:?}");
    assert!(!lints.iter().any(|l| l.object == "user_group \"hq\"" && l.code == "emergency-unreachable"), "{lints:?}");
}

#[test]
fn bad_location_policies_are_errors_naming_the_object_and_field() {
    for (from, to, field, says) in [
        (
            "emergency_dial_string = \"911\"\nemergency_dial_mask = \"212;414\"",
            "emergency_dial_mask = \"212\"",
            "emergency_dial_string",
            "no emergency_dial_string",
        ),
        ("emergency_dial_mask = \"212;414\"", "emergency_dial_mask = \"21a\"", "emergency_dial_mask", "\"21a\""),
        (
            "emergency_dial_string = \"911\"\nemergency_dial_mask = \"212;414\"",
            "emergency_dial_string = \"+911\"",
            "emergency_dial_string",
            "1 to 10 digits",
        ),
        (
            "pstn_usage = \"E911\"\n\n[[location_policy]]\nscope = \"tag:Reno\"",
            "pstn_usage = \"Nowhere\"\n\n[[location_policy]]\nscope = \"tag:Reno\"",
            "pstn_usage",
            "Nowhere",
        ),
        ("location_policy = \"Lab-Visitors\"", "location_policy = \"Global\"", "location_policy", "not a per-user"),
    ] {
        assert!(MODEL.contains(from), "{from}");
        let e = load_str(&MODEL.replacen(from, to, 1), "bad.toml").unwrap_err().to_string();
        assert!(e.contains("bad.toml") && e.contains(field) && e.contains(says), "{to}: {e}");
    }
}

/// An extension rule that takes 999 makes an ordinary call that routes:
/// not an emergency call, so `check` and `whatif` say 999 has no route.
#[test]
fn a_number_that_only_looks_like_an_emergency_call_is_no_route_for_it() {
    let text = MODEL
        .replace(
            "  { name = \"10digit\", pattern = '^([2-9]\\d{9})$', translation = '+1$1' },",
            "  { name = \"Ext3\", pattern = '^(\\d{3})$', translation = '+14255550$1' },\n  { name = \"10digit\", pattern = '^([2-9]\\d{9})$', translation = '+1$1' },",
        )
        .replace("emergency_numbers = [\"911\"]", "");
    assert!(text.contains("Ext3"));
    let text = text.replacen("country = \"US\"", "emergency_numbers = [\"999\"]", 1);
    let m = load_str(&text, "e911.toml").unwrap();
    let d = decide(&m, user(&m, "hq"), "999");
    assert_eq!((d.outcome, d.normalized.number.as_str()), (Outcome::Routed, "+14255550999"));
    assert!(!voicetwin::voice::decide::is_emergency_call(&d, "999"));
    let lints = voicetwin::voice::lint::emergency_lints(&m);
    let hq = lints.iter().find(|l| l.code == "emergency-unreachable" && l.object == "user_group \"hq\"");
    assert!(hq.is_some_and(|l| l.message.contains("as an ordinary call")), "{lints:?}");
    // 911, the location policy's dial string, still is one.
    assert!(voicetwin::voice::decide::is_emergency_call(&decide(&m, user(&m, "hq"), "911"), "911"));
}
