//! A cost per route (`[[tariff]]`; docs/results.md, "Cost"): a model
//! whose every call is hand-computable. Users call out through two
//! carriers in order, a cheap one first; each call talks exactly 90 s,
//! billed 60/60 as two minutes.

use voicetwin::analysis::run::run;
use voicetwin::analysis::summary::{summarize, Summary};
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::load_for_model;

const MODEL: &str = r#"
pstn_usages = ["Cheap", "Dear"]

[network]
name = "Two carriers"

[[region]]
name = "Region"
central_site = "HQ"

[[site]]
name = "HQ"
kind = "central"
region = "Region"

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
calls_per_server = 1500

[[peer]]
name = "cheap"
fqdn = "cheap.example.com"
kind = "pstn-gateway"
site = "HQ"
channels = 1000

[[peer]]
name = "dear"
fqdn = "dear.example.com"
kind = "pstn-gateway"
site = "HQ"
channels = 1000

[[trunk]]
name = "cheap"
mediation_pool = "med.example.com"
peer = "cheap"

[[trunk]]
name = "dear"
mediation_pool = "med.example.com"
peer = "dear"

[[voice_route]]
name = "Via cheap"
number_pattern = '^\+'
pstn_usages = ["Cheap"]
pstn_gateways = ["cheap"]

[[voice_route]]
name = "Via dear"
number_pattern = '^\+'
pstn_usages = ["Dear"]
pstn_gateways = ["dear"]

[[voice_policy]]
scope = "global"
pstn_usages = ["Cheap", "Dear"]

[[dial_plan]]
scope = "global"
normalization_rules = [
  { name = "10digit", pattern = '^([2-9]\d{9})$', translation = '+1$1' },
]

[[user_group]]
name = "users"
site = "HQ"
registrar_pool = "fe.example.com"
users = 1000
first_number = "+14255550000"
"#;

/// Cheap: 0.02 a minute and 0.01 a call; dear: 0.05 a minute and 0.01 a
/// call; both 60/60. A fallback for every peer that no call should use.
const TARIFFS: &str = r#"
[[tariff]]
peer = "cheap"
prefix = "+1"
per_minute = 0.02
setup = 0.01
increment = "60s"

[[tariff]]
peer = "dear"
prefix = "+1"
per_minute = 0.05
setup = 0.01
increment = "60s"
first_increment = "60s"

[[tariff]]
peer = "*"
per_minute = 9.0
"#;

fn scenario(extra: &str) -> String {
    format!(
        r#"
name = "Two carriers"
model = "model.toml"
duration = "2h"
replications = 5

[signalling]
hop_latency = "0s"
pstn_setup = "0s"

[[source]]
name = "users"
user_group = "users"
finite_sources = false
calls_per_hour = 600
holding = {{ constant = "90s" }}
ring_time = {{ constant = "0s" }}
dial = [{{ template = "2065550XXX" }}]
{extra}
"#
    )
}

fn simulate(text: &str) -> Summary {
    let model = load_model(MODEL, "model.toml").unwrap();
    let sc = load_for_model(text, "scenario.toml", &model).unwrap();
    summarize(&model, &sc, &run(&model, &sc, 2).unwrap())
}

/// Hand computation: 90 s billed 60/60 is 2 minutes.
const CHEAP: f64 = 0.01 + 2.0 * 0.02;
const DEAR: f64 = 0.01 + 2.0 * 0.05;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn every_call_costs_what_the_tariff_says() {
    let s = simulate(&(scenario("") + TARIFFS));
    let c = s.cost.as_ref().expect("a scenario with tariffs has costs");
    let t = &c.total;
    // Every call was answered on the cheap carrier, its first choice.
    assert!(t.calls.mean > 1000.0, "{:?}", t.calls);
    assert_eq!(t.calls.mean, s.calls.completed.mean);
    assert_eq!(t.unpriced.mean, 0.0);
    assert!(close(t.cost.mean, CHEAP * t.calls.mean), "{:?} vs {}", t.cost, CHEAP * t.calls.mean);
    assert!(close(t.cost_first_choice.mean, t.cost.mean));
    assert!(close(t.cost_dearest.mean, DEAR * t.calls.mean));
    assert!(close(t.routing_savings.mean, (DEAR - CHEAP) * t.calls.mean));
    assert!(t.failover_cost.mean.abs() < 1e-9);
    // The interval is the calls' own, scaled: each call costs the same.
    assert!(close(t.cost.ci95_low, CHEAP * t.calls.ci95_low), "{:?} {:?}", t.cost, t.calls);
    assert_eq!(c.routes.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["Via cheap"]);
    assert_eq!(c.peers.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["cheap"]);
}

#[test]
fn failover_routes_cost_what_the_dear_carrier_charges_more() {
    let failure = r#"
[[failure]]
element = "peer:cheap"
kind = "scheduled"
mode = "reject"
"#;
    let s = simulate(&(scenario(failure) + TARIFFS));
    let t = &s.cost.as_ref().unwrap().total;
    assert!(t.calls.mean > 1000.0);
    assert!(close(t.cost.mean, DEAR * t.calls.mean), "{:?}", t.cost);
    assert!(close(t.cost_first_choice.mean, CHEAP * t.calls.mean));
    assert!(close(t.failover_cost.mean, (DEAR - CHEAP) * t.calls.mean));
    assert!(t.failover_cost.ci95_low > 0.0, "{:?}", t.failover_cost);
    // Carried on the dearest: least-cost routing saved nothing.
    assert!(t.routing_savings.mean.abs() < 1e-9);
}

#[test]
fn without_tariffs_there_is_no_cost_and_bad_tariffs_are_named() {
    let s = simulate(&scenario(""));
    assert!(s.cost.is_none());
    assert!(!serde_json::to_string(&s).unwrap().contains("\"cost\""));
    let model = load_model(MODEL, "model.toml").unwrap();
    for (from, to, field) in [
        ("peer = \"dear\"", "peer = \"nobody\"", "peer"),
        ("prefix = \"+1\"\nper_minute = 0.05", "prefix = \"1\"\nper_minute = 0.05", "prefix"),
        ("per_minute = 0.05", "per_minute = -1", "per_minute"),
        ("increment = \"60s\"\nfirst", "increment = \"1500ms\"\nfirst", "increment"),
        ("first_increment = \"60s\"", "first_increment = \"2h\"", "first_increment"),
    ] {
        let text = scenario("") + &TARIFFS.replacen(from, to, 1);
        assert_ne!(text, scenario("") + TARIFFS, "{from}");
        let e = load_for_model(&text, "scenario.toml", &model).unwrap_err().to_string();
        assert!(e.contains("[[tariff]] #2") && e.contains(field), "{field}: {e}");
    }
}
