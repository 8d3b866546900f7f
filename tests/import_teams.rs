//! `voicetwin import --format teams` on Direct Routing exports written
//! from Microsoft's documentation, then `check` and `route` on the model
//! it writes: the documented SBCs, in the documented order, with the
//! documented translated numbers.
//!
//! Fixtures (tests/fixtures/import/):
//! - `teams-routing`: "Configure call routing for Direct Routing"
//!   (usages "US and Canada" and "International", routes Redmond 1,
//!   Redmond 2, Other +1 and International over sbc1..sbc6.contoso.com,
//!   policies "US Only" and "No Restrictions"), with sbc1 carrying the
//!   rules of "Translate phone numbers to an alternate format", and the
//!   sample normalization rules of "What are dial plans?" (nested in the
//!   Global plan, flattened in the Tag:Redmond one).
//! - `teams-utf16`: the same kind of exports as Windows PowerShell's `>`
//!   writes them (UTF-16LE with a byte-order mark), each cmdlet's lone
//!   object without an array, lists as lone strings or `{value, Count}`;
//!   a drained SBC, SBCs at an LBR site, SBCs that disagree on failover.
//! - `teams-bad`: exports with wrong values.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

/// A new folder for each call: the tests run in parallel.
fn temp(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("voicetwin-import-teams-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Imports `fixture` and returns the model's path and text.
fn import(fixture_name: &str) -> (PathBuf, String) {
    let out = temp(fixture_name).join("model.toml");
    let o = voicetwin(&[
        "import",
        fixture(fixture_name).to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "teams",
    ]);
    assert!(o.status.success(), "import failed: {}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    (out, text)
}

/// The documented users, added to an imported model: Alice (+1 206 555
/// 0100) with the "US Only" policy and the Redmond dial plan, John Woods
/// with "No Restrictions".
const USERS: &str = r#"
[[user_group]]
name = "alice"
site = "Teams"
registrar_pool = "teams.microsoft.com"
users = 1
first_number = "+12065550100"
voice_policy = "US Only"
dial_plan = "Redmond"

[[user_group]]
name = "john"
site = "Teams"
registrar_pool = "teams.microsoft.com"
users = 1
first_number = "+12065550101"
voice_policy = "No Restrictions"
"#;

fn with_users(fixture_name: &str) -> PathBuf {
    let (path, text) = import(fixture_name);
    let users = path.with_file_name("with-users.toml");
    std::fs::write(&users, format!("{text}\n{USERS}")).unwrap();
    users
}

fn route(model: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["route", "--model", model.to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(args);
    let o = voicetwin(&all);
    assert!(o.status.success(), "route {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn trunks(attempts: &[serde_json::Value]) -> BTreeSet<&str> {
    attempts.iter().map(|a| a["trunk"].as_str().unwrap()).collect()
}

fn set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

#[test]
fn the_documented_routes_try_the_documented_sbcs_in_order() {
    let model = with_users("teams-routing");
    // "US Only", +1 425: Redmond 1 (sbc1, sbc2 in random order), then the
    // backup route Redmond 2 (sbc3, sbc4), then Other +1 (sbc5, sbc6).
    let v = route(&model, &["--user", "alice", "--dial", "+14255550100"]);
    assert_eq!(v["outcome"], "routed");
    assert_eq!(v["policy"], "voice policy US Only");
    let a = v["attempts"].as_array().unwrap();
    assert_eq!(a.len(), 6, "{a:?}");
    assert_eq!(trunks(&a[0..2]), set(&["sbc1.contoso.com", "sbc2.contoso.com"]));
    assert_eq!(trunks(&a[2..4]), set(&["sbc3.contoso.com", "sbc4.contoso.com"]));
    assert_eq!(trunks(&a[4..6]), set(&["sbc5.contoso.com", "sbc6.contoso.com"]));
    assert!(a[0..2].iter().all(|x| x["route"] == "Redmond 1"));
    assert!(a.iter().all(|x| x["usage"] == "US and Canada"));

    // +1 324 567 89 89 matches Other +1 only.
    let v = route(&model, &["--user", "alice", "--dial", "+13245678989"]);
    assert_eq!(trunks(v["attempts"].as_array().unwrap()), set(&["sbc5.contoso.com", "sbc6.contoso.com"]));

    // With sbc1 and sbc2 down, the backup route's SBCs come first.
    let v =
        route(&model, &["--user", "alice", "--dial", "+14255550100", "--down", "sbc1.contoso.com,sbc2.contoso.com"]);
    let a = v["attempts"].as_array().unwrap();
    assert_eq!(trunks(&a[0..2]), set(&["sbc3.contoso.com", "sbc4.contoso.com"]));
}

#[test]
fn the_usage_order_decides_between_the_documented_policies() {
    let model = with_users("teams-routing");
    // "US Only" routes no number outside +1.
    let v = route(&model, &["--user", "alice", "--dial", "+441632960000"]);
    assert_eq!(v["outcome"], "not-authorized");
    // "No Restrictions": International's sbc2 and sbc5.
    let v = route(&model, &["--user", "john", "--dial", "+441632960000"]);
    let a = v["attempts"].as_array().unwrap();
    assert_eq!(trunks(a), set(&["sbc2.contoso.com", "sbc5.contoso.com"]));
    assert!(a.iter().all(|x| x["usage"] == "International"));
    // "US and Canada" comes first, so +1 425 takes Redmond 1 first; the
    // International SBCs were already offered by it.
    let v = route(&model, &["--user", "john", "--dial", "+14255550100"]);
    let a = v["attempts"].as_array().unwrap();
    assert_eq!(trunks(&a[0..2]), set(&["sbc1.contoso.com", "sbc2.contoso.com"]));
    assert_eq!(a[0]["usage"], "US and Canada");
    assert_eq!(a.len(), 6);
}

#[test]
fn sbc1_translates_as_the_documented_examples() {
    let model = with_users("teams-routing");
    // Example 3: Alice calls +1 425 555 0100; OutboundPstnNumberTranslationRules
    // StripPlus1 sends 4255550100, OutboundTeamsNumberTranslationRules
    // StripPlus1 presents Alice as 2065550100. The other SBCs translate nothing.
    let v = route(&model, &["--user", "alice", "--dial", "+14255550100"]);
    for a in v["attempts"].as_array().unwrap() {
        if a["trunk"] == "sbc1.contoso.com" {
            assert_eq!(a["called"], "4255550100", "{a}");
            assert_eq!(a["called_rule"]["name"], "StripPlus1");
            assert_eq!(a["calling"], "2065550100", "{a}");
        } else {
            assert_eq!(a["called"], "+14255550100", "{a}");
            assert_eq!(a["calling"], "+12065550100", "{a}");
        }
    }
    // Example 1: Bob dials ten digits; InboundTeamsNumberTranslationRules
    // AddPlus1 makes +12065550100, Alice's number.
    let v = route(&model, &["--from-trunk", "sbc1.contoso.com", "--dial", "2065550100", "--calling", "4255550100"]);
    assert_eq!(v["normalized"], "+12065550100");
    assert_eq!(v["rule"]["name"], "AddPlus1");
    assert_eq!(v["outcome"], "internal");
    assert_eq!(v["dial_plan"], "PstnGateway:sbc1.contoso.com");
    // Example 2: four digits; AddE164SeattleAreaCode.
    let v = route(&model, &["--from-trunk", "sbc1.contoso.com", "--dial", "0100", "--calling", "4255550100"]);
    assert_eq!(v["normalized"], "+12065550100");
    assert_eq!(v["rule"]["name"], "AddE164SeattleAreaCode");
    // An SBC without inbound rules does not get the tenant's Global plan
    // (its 4digitExtension rule would make 0100 a Redmond number).
    let v = route(&model, &["--from-trunk", "sbc2.contoso.com", "--dial", "0100", "--calling", "4255550100"]);
    assert_eq!(v["normalized"], "0100");
    assert_eq!(v["outcome"], "not-found");
}

#[test]
fn tenant_dial_plans_normalize_and_the_country_plan_is_missing() {
    let model = with_users("teams-routing");
    // Tag:Redmond, flattened in the export: 7digitcallingRedmond.
    let v = route(&model, &["--user", "alice", "--dial", "5550100"]);
    assert_eq!(v["normalized"], "+14255550100");
    assert_eq!(v["rule"]["name"], "7digitcallingRedmond");
    assert_eq!(v["outcome"], "routed");
    let v = route(&model, &["--user", "alice", "--dial", "0"]);
    assert_eq!(v["normalized"], "+14255550100");
    // Global, nested: 4digitExtension for John.
    let v = route(&model, &["--user", "john", "--dial", "0101"]);
    assert_eq!(v["normalized"], "+14255550101");
    // Ten digits are the US country plan's to normalize: not exported, so
    // the twin leaves them as dialed and no route takes them.
    let v = route(&model, &["--user", "alice", "--dial", "4255550100"]);
    assert_eq!(v["normalized"], "4255550100");
    assert_eq!(v["outcome"], "not-authorized");
}

#[test]
fn the_model_says_what_it_stands_in_and_check_lists_it() {
    let (path, text) = import("teams-routing");
    for needle in [
        "intra_usage_mode = \"priority-ordered\"",
        "failover_on_5xx = false",
        "failover_codes = [408, 503, 504]",
        "fast_failover_timeout = \"10s\"",
        "fqdn = \"sip.pstnhub.microsoft.com\"",
        "scope = \"PstnGateway:sbc1.contoso.com\"",
        "session_limit = 100",
        "# TODO normalization_rules: Teams merges this tenant plan with the user's service country dial plan",
        "InboundPstnNumberTranslationRules (AddPlus1)",
        "Teams uses MaxConcurrentSessions only to alert",
        "Teams evaluates no later usage",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let o = voicetwin(&["check", "--model", path.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let todos: Vec<&serde_json::Value> =
        v["lints"].as_array().unwrap().iter().filter(|l| l["code"] == "todo").collect();
    for object in ["dial_plan \"global\"", "dial_plan \"tag:Redmond\"", "site \"Teams\"", "peer \"sbc1.contoso.com\""] {
        assert!(todos.iter().any(|l| l["object"] == object), "no todo for {object}: {todos:?}");
    }
    // Teams tries no later usage once one matched: a setting, not a TODO.
    assert!(text.contains("usage_fallthrough = false"), "{text}");
    assert!(!todos.iter().any(|l| l["object"].as_str().unwrap().starts_with("voice_policy")), "{todos:?}");
}

#[test]
fn utf16_lone_objects_drained_and_disagreeing_sbcs() {
    let (path, text) = import("teams-utf16");
    let model: toml::Value = toml::from_str(&text).unwrap();
    let route = &model["voice_route"][0];
    assert_eq!(route["name"].as_str(), Some("Redmond 1"));
    // sbc2 is drained (Enabled = False): left out of the route.
    let gws: Vec<&str> = route["pstn_gateways"].as_array().unwrap().iter().map(|g| g.as_str().unwrap()).collect();
    assert_eq!(gws, ["sbc1.contoso.com", "sbc3.contoso.com"]);
    assert!(text.contains("sbc2.contoso.com: Enabled = False"), "{text}");
    // No usage export: the usages named are the list.
    assert_eq!(model["pstn_usages"].as_array().unwrap().len(), 1);
    // Most SBCs fail over on 408, 503, 504 after 10 s; sbc3 is named.
    assert_eq!(model["routing"]["failover_codes"].as_array().unwrap().len(), 3);
    assert!(
        text.contains("FailoverResponseCodes differ between SBCs") && text.contains("; sbc3.contoso.com fail over")
    );
    assert!(text.contains("FailoverTimeSeconds differ between SBCs"));
    // GatewaySiteId makes a site, linked to the cloud by a stand-in.
    let peers = model["peer"].as_array().unwrap();
    assert_eq!(peers[0]["site"].as_str(), Some("Seattle"));
    assert_eq!(peers[1]["site"].as_str(), Some("Teams"));
    assert!(text.contains("# TODO bandwidth_kbps: stand-in"));
    assert!(text.contains("# TODO session_limit: placeholder 1000000"));
    assert!(text.contains("GatewaySiteLbrEnabled"));
    // The trunk port is the SBC's SipSignalingPort, given as text.
    assert_eq!(model["trunk"][2]["peer_port"].as_integer(), Some(5063));
    // Lone string, {value, Count} and flattened forms all read.
    let configs = model["trunk_configuration"].as_array().unwrap();
    assert_eq!(configs[0]["outbound_translation_rules"][0]["name"].as_str(), Some("StripPlus1"));
    assert_eq!(configs[0]["forward_pai"].as_bool(), Some(true));
    let plans = model["dial_plan"].as_array().unwrap();
    assert_eq!(plans[0]["normalization_rules"][0]["name"].as_str(), Some("TenDigits"));
    // An inbound rule on E.164 numbers is flagged: the twin leaves them be.
    assert!(text.contains("StripE164SeattleAreaCode match numbers with a +"));
    assert!(
        text.contains("not read: Get-CsTeamsEmergencyCallRoutingPolicy (emergency call routing policies not modelled")
    );
    let o = voicetwin(&["check", "--model", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn wrong_exports_exit_2_naming_file_object_and_property() {
    let out = temp("bad").join("model.toml");
    let o = voicetwin(&["import", fixture("teams-bad").to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stdout));
    let e = String::from_utf8_lossy(&o.stderr);
    for needle in [
        "Get-CsOnlineVoiceRoute.json: Redmond 1, property `Priority`: expected a whole number",
        "Get-CsOnlineVoiceRoute.json: Redmond 1, property `OnlinePstnGatewayList[2]`: names the SBC `sbc9.contoso.com`",
        "Get-CsOnlinePSTNGateway.json: sbc1.contoso.com, property `OutboundPstnNumberTranslationRules[1]`: names the translation rule `StripPlus1`",
        "Get-CsOnlineVoiceRoutingPolicy.json: Tag:US Only, property `OnlinePstnUsages[2]`: names the PSTN usage \"Europe\"",
        "Get-CsTenantDialPlan.json: Site:Redmond, property `Identity`",
    ] {
        assert!(e.contains(needle), "missing {needle:?} in\n{e}");
    }
    assert!(!out.exists(), "no model is written");
}

/// Written as Lync cmdlets, a Teams model would come back with Lync's
/// routing: export refuses it instead.
#[test]
fn a_teams_model_is_not_exported_as_lync_cmdlets() {
    let dir = temp("export");
    let model = dir.join("teams.toml");
    let o = voicetwin(&["import", fixture("teams-routing").to_str().unwrap(), "--out", model.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = dir.join("exports");
    let o = voicetwin(&["export", "--model", model.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("Teams Direct Routing model") && e.contains("not written yet"), "{e}");
    assert!(!out.join("Get-CsVoiceRoute.json").exists());
}

/// `Get-CsOnlineUser | Export-Csv` with usage locations in two countries:
/// a site per country, each with its country's emergency numbers.
#[test]
fn teams_users_are_placed_at_a_site_per_usage_location() {
    let dir = temp("usage-location");
    let users = dir.join("Get-CsOnlineUser.csv");
    std::fs::write(
        &users,
        "\"UserPrincipalName\",\"LineUri\",\"TenantDialPlan\",\"OnlineVoiceRoutingPolicy\",\"UsageLocation\"\n\
         \"alice@contoso.com\",\"tel:+12065550100\",\"Redmond\",\"US Only\",\"US\"\n\
         \"bob@contoso.com\",\"tel:+12065550101\",\"Redmond\",\"US Only\",\"US\"\n\
         \"carol@contoso.com\",\"tel:+442079460100\",\"\",\"No Restrictions\",\"gb\"\n",
    )
    .unwrap();
    let out = dir.join("model.toml");
    let o = voicetwin(&[
        "import",
        fixture("teams-routing").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--users-csv",
        users.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let raw = voicetwin::model::read_raw(&std::fs::read_to_string(&out).unwrap(), "model.toml").unwrap();
    let site = |n: &str| raw.sites.iter().find(|s| s.name == n).unwrap_or_else(|| panic!("no site {n}"));
    assert_eq!(site("Teams-US").country, "US");
    assert_eq!(site("Teams-GB").country, "GB");
    let placed: Vec<(&str, &str, i64)> =
        raw.user_groups.iter().map(|g| (g.site.as_deref().unwrap(), g.first_number.as_str(), g.users)).collect();
    assert!(placed.contains(&("Teams-US", "+12065550100", 2)), "{placed:?}");
    assert!(placed.contains(&("Teams-GB", "+442079460100", 1)), "{placed:?}");
    // Carol, in Great Britain, has 999 and 112 as her emergency numbers; the
    // US users 911: check judges each group by its site's country.
    let o = voicetwin(&["check", "--model", out.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    let lints: serde_json::Value = serde_json::from_str(&text).unwrap();
    let emergency: Vec<String> = lints["lints"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["code"] == "emergency-unreachable")
        .map(|l| l["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(emergency.iter().any(|m| m.contains("999")), "{emergency:?}");
    assert!(!emergency.iter().any(|m| m.contains("999") && m.contains("Teams-US")), "{emergency:?}");
}
