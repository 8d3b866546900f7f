//! `voicetwin import` of Lync Server 2013 / Skype for Business Server
//! exports: fixtures written from Microsoft's cmdlet documentation, in
//! every form ConvertTo-Json and Windows PowerShell write them; the
//! imported model loads, `check` lists what is left to fill, and `route`
//! gives the documented results. Bad exports exit 2 naming file, object
//! and property. And contoso's routing and CAC objects survive export and
//! import unchanged.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use voicetwin::model::export::json;
use voicetwin::model::file::ModelFile;
use voicetwin::model::import::{self, Options, Platform};

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("voicetwin-import-lync-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Imports `dir` with the binary; the model file written.
fn import_ok(dir: &Path, name: &str) -> PathBuf {
    let out = scratch(name).join("model.toml");
    let o = voicetwin(&["import", dir.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "import failed: {}", String::from_utf8_lossy(&o.stderr));
    out
}

fn route(model: &Path, site: &str, dial: &str) -> Value {
    let o =
        voicetwin(&["route", "--model", model.to_str().unwrap(), "--site", site, "--dial", dial, "--format", "json"]);
    assert!(o.status.success(), "route failed: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn trunks(v: &Value) -> Vec<String> {
    v["attempts"].as_array().unwrap().iter().map(|a| a["trunk"].as_str().unwrap().to_owned()).collect()
}

fn raw(model: &Path) -> ModelFile {
    let text = std::fs::read_to_string(model).unwrap();
    voicetwin::model::read_raw(&text, &model.display().to_string()).unwrap()
}

#[test]
fn microsofts_documented_rule_and_route_route_a_four_digit_extension() {
    // Get-CsDialPlan.json: a lone object, UTF-8 with BOM, its rule flattened;
    // Get-CsPstnUsage.json: UTF-16LE with BOM.
    let model = import_ok(&fixture("lync-documented"), "documented");
    let m = raw(&model);
    assert_eq!(m.pstn_usages, ["Local", "Long Distance"]);
    let rule = &m.dial_plans[0].normalization_rules[0];
    assert_eq!(
        (rule.name.as_str(), rule.pattern.as_str(), rule.translation.as_str()),
        ("4digit", r"^(\d{4})$", "+1425555$1")
    );
    assert_eq!(m.voice_routes[0].pstn_gateways, ["redmondpool.litwareinc.com"]);
    assert_eq!(m.voice_routes[0].number_pattern, "[0-9]{10}");

    let o = voicetwin(&["check", "--model", model.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "check failed: {}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let todos: Vec<&Value> = v["lints"].as_array().unwrap().iter().filter(|l| l["code"] == "todo").collect();
    // The stand-in gateway and the users are listed as left to fill.
    assert!(
        todos.iter().any(|l| l["object"].as_str().unwrap_or("").contains("redmondpool.litwareinc.com")),
        "{todos:?}"
    );
    assert!(todos.iter().any(|l| l["field"] == "user_group"), "{todos:?}");

    let v = route(&model, "Imported", "1234");
    assert_eq!(v["normalized"], "+14255551234");
    assert_eq!(v["rule"]["name"], "4digit");
    assert_eq!(v["outcome"], "routed");
    assert_eq!(v["attempts"][0]["route"], "Route1");
    assert_eq!(v["attempts"][0]["usage"], "Long Distance");
    assert_eq!(trunks(&v), ["redmondpool.litwareinc.com"]);
}

#[test]
fn standalone_rules_nested_objects_and_network_configuration_import_as_documented() {
    let model = import_ok(&fixture("lync-branch"), "branch");
    let m = raw(&model);
    // Get-CsVoiceNormalizationRule is the authority: its priorities order
    // the rules and it adds one the dial plan's own list lacks.
    let names: Vec<&str> = m.dial_plans[0].normalization_rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["4digit", "7digit", "11digit"]);
    assert_eq!(m.dial_plans[0].scope, "site:Redmond");
    assert_eq!(m.dial_plans[0].external_access_prefix.as_deref(), Some("9"));

    let tag = m.voice_policies.iter().find(|p| p.scope == "tag:RedmondPolicy").unwrap();
    assert_eq!(tag.pstn_usages, ["Emergency", "Local"]);
    assert!(!tag.allow_simul_ring && !tag.allow_pstn_rerouting && tag.enable_bw_policy_override);
    assert!(tag.prevent_pstn_toll_bypass);

    let ld = m.voice_routes.iter().find(|r| r.name == "LDRoute").unwrap();
    assert_eq!(ld.pstn_gateways, ["192.168.0.240", "gw2.litwareinc.com"]);
    assert_eq!(
        (ld.priority, ld.suppress_caller_id, ld.alternate_caller_id.as_deref()),
        (1, true, Some("+14255550100"))
    );

    let gw = m.trunk_configurations.iter().find(|c| c.scope == "PstnGateway:192.168.0.240").unwrap();
    assert_eq!(gw.srtp_mode, "optional");
    assert!(gw.enable_bypass && gw.remove_plus_from_uri && gw.forward_pai && !gw.enable_fast_failover_timer);
    assert_eq!(gw.outbound_translation_rules[0].name, "StripPlus1");
    assert_eq!(gw.outbound_calling_number_translation_rules[0].pattern, r"^\+1(\d{10})$");
    let nc = &gw.sip_response_code_translation_rules[0];
    assert_eq!((nc.received_response_code, nc.received_isup_cause_value, nc.translated_response_code), (486, 34, 503));

    let lp = &m.location_policies[0];
    assert_eq!((lp.emergency_dial_string.as_deref(), lp.pstn_usage.as_deref()), (Some("911"), Some("Emergency")));

    // CAC from Get-CsNetworkConfiguration's nested lists.
    assert_eq!(m.media.bypass, "site-and-region");
    assert_eq!(m.bandwidth_policies[0].audio_limit_kbps, Some(2000));
    assert_eq!(m.bandwidth_policies[0].video_session_limit_kbps, Some(500));
    assert_eq!(m.subnets[0].prefix, "172.11.12.0/24");
    let dallas = m.sites.iter().find(|s| s.name == "Dallas").unwrap();
    assert_eq!((dallas.kind.as_str(), dallas.region.as_str()), ("branch", "NorthAmerica"));
    assert_eq!(dallas.bandwidth_policy.as_deref(), Some("LowBWLimits"));
    let redmond = m.sites.iter().find(|s| s.name == "Redmond").unwrap();
    assert_eq!(redmond.kind, "central");
    // The branch's WAN link: a placeholder sized by its CAC policy, marked TODO.
    assert_eq!(m.wan_links.len(), 1);
    assert_eq!(m.wan_links[0].bandwidth_kbps, 3400);
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(text.contains("# TODO bandwidth_kbps: a placeholder of 3400 kbit/s"), "{text}");
    assert!(text.contains("# TODO country:"), "{text}");

    // 7 digits at Redmond: the Puget Sound route first (its usage comes
    // first in the policy); 11 digits: long distance over both gateways.
    let v = route(&model, "Redmond", "5550100");
    assert_eq!(v["normalized"], "+14255550100");
    assert_eq!(v["attempts"][0]["route"], "LocalRoute");
    assert_eq!(v["attempts"][0]["usage"], "Local");
    assert_eq!(trunks(&v)[0], "192.168.0.240");
    let v = route(&model, "Redmond", "12065550100");
    assert_eq!(v["normalized"], "+12065550100");
    let mut t = trunks(&v);
    t.sort();
    assert_eq!(t, ["192.168.0.240", "gw2.litwareinc.com"]);
}

/// Imports a folder of `files` with the binary and expects exit 2 and
/// every `needles` in the error.
fn bad(name: &str, files: &[(&str, &[u8])], needles: &[&str]) {
    let dir = scratch(name);
    for (f, bytes) in files {
        std::fs::write(dir.join(f), bytes).unwrap();
    }
    let out = dir.join("out.toml");
    let o = voicetwin(&["import", dir.to_str().unwrap(), "--out", out.to_str().unwrap(), "--format", "lync"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{name}: {err}");
    for n in needles {
        assert!(err.contains(n), "{name}: missing {n:?} in\n{err}");
    }
    assert!(!out.exists(), "{name}: no model is written");
}

#[test]
fn bad_exports_exit_2_naming_file_object_and_property() {
    bad(
        "wrong-type",
        &[("Get-CsVoiceRoute.json", br#"[{"Identity":"Route1","NumberPattern":"^\\+1","Priority":"high"}]"#)],
        &["Get-CsVoiceRoute.json: Route1, property `Priority`", "whole number"],
    );
    bad(
        "no-identity",
        &[("Get-CsDialPlan.json", br#"[{"Description":"x","NormalizationRules":[]}]"#)],
        &["Get-CsDialPlan.json: object 1, property `Identity`: missing"],
    );
    bad(
        "cut-off",
        &[(
            "Get-CsDialPlan.json",
            br#"{"Identity":"Global","NormalizationRules":"Microsoft.Rtc.Management.WritableConfig.Policy.Voice.NormalizationRule"}"#,
        )],
        &["Get-CsDialPlan.json: Global, property `NormalizationRules`", "-Depth"],
    );
    bad("broken", &[("Get-CsVoiceRoute.json", b"[{\"Identity\": \"Route1\",")], &["Get-CsVoiceRoute.json", "not JSON"]);
    bad(
        "unknown-usage",
        &[
            ("Get-CsPstnUsage.json", br#"{"Identity":"Global","Usage":["Local"]}"#),
            (
                "Get-CsVoiceRoute.json",
                br#"{"Identity":"Route1","NumberPattern":"^\\+1","PstnUsages":["Long Distance"],"PstnGatewayList":["PstnGateway:gw1"]}"#,
            ),
        ],
        &["Get-CsVoiceRoute.json: Route1, property `PstnUsages`", "`Long Distance`"],
    );
    bad(
        "bad-pattern",
        &[(
            "Get-CsVoiceRoute.json",
            br#"{"Identity":"Route1","NumberPattern":"^(\\+1","PstnGatewayList":["PstnGateway:gw1"]}"#,
        )],
        &["Get-CsVoiceRoute.json: Route1, property `NumberPattern`"],
    );
    bad(
        "bad-enum",
        &[("Get-CsTrunkConfiguration.json", br#"{"Identity":"Global","SRTPMode":"Sometimes"}"#)],
        &["Get-CsTrunkConfiguration.json: Global, property `SRTPMode`", "Required, Optional, NotSupported"],
    );
}

/// Contoso's routing and CAC objects, exported as the cmdlets write them
/// and imported again, field by field. Sites compare without `country`
/// (the topology's); WAN links and servers are the topology's.
#[test]
fn contoso_routing_and_cac_survive_export_and_import() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/contoso.toml");
    let original = raw(&path);
    let dir = scratch("roundtrip");
    for f in json::files(&original) {
        std::fs::write(dir.join(&f.name), &f.bytes).unwrap();
    }
    let options = Options { platform: Some(Platform::Lync), users_csv: None };
    let (_, imported) = import::import(&dir, &options).expect("the export imports");
    let back = imported.model;

    assert_eq!(back.pstn_usages, original.pstn_usages);
    assert_eq!(back.media.bypass, original.media.bypass);
    same("dial_plan", &original.dial_plans, &back.dial_plans);
    same("voice_policy", &original.voice_policies, &back.voice_policies);
    same("location_policy", &original.location_policies, &back.location_policies);
    same("trunk_configuration", &original.trunk_configurations, &back.trunk_configurations);
    same("bandwidth_policy", &original.bandwidth_policies, &back.bandwidth_policies);
    same("region", &original.regions, &back.regions);
    same("region_link", &original.region_links, &back.region_links);
    same("inter_region_route", &original.inter_region_routes, &back.inter_region_routes);
    same("inter_site_policy", &original.inter_site_policies, &back.inter_site_policies);
    same("subnet", &original.subnets, &back.subnets);
    // Routes: a gateway written `PstnGateway:NAME` in the model comes back as NAME.
    let mut routes = original.voice_routes.clone();
    for r in &mut routes {
        for g in &mut r.pstn_gateways {
            *g = import::identity::service_fqdn(g);
        }
    }
    same("voice_route", &routes, &back.voice_routes);
    let mut sites = original.sites.clone();
    for s in &mut sites {
        s.country.clear();
        s.emergency_numbers = None;
    }
    same("site", &sites, &back.sites);
}

/// The serialized form of both lists, object by object.
fn same<T: serde::Serialize>(table: &str, a: &[T], b: &[T]) {
    assert_eq!(a.len(), b.len(), "{table}: {} exported, {} imported", a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert_eq!(serde_json::to_value(x).unwrap(), serde_json::to_value(y).unwrap(), "{table}");
    }
}
