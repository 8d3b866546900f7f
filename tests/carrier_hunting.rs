//! Carrier hunting: an inbound DID range delivered over two trunks in
//! order (a source's `trunks`, docs/scenario.md, "Carrier hunting") is
//! one trunk group to the caller, blocking as Erlang B for all channels;
//! the first trunk carries what overflow theory says; a failed first
//! trunk sends everything to the second.

use voicetwin::analysis::erlang::erlang_b;
use voicetwin::analysis::run::run;
use voicetwin::analysis::summary::{summarize, Summary};
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::load_for_model;

const MODEL: &str = r#"
pstn_usages = ["PSTN"]

[network]
name = "Two gateways hunted by the carrier"

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
name = "gw-a"
fqdn = "gwa.example.com"
kind = "pstn-gateway"
site = "HQ"
channels = 10

[[peer]]
name = "gw-b"
fqdn = "gwb.example.com"
kind = "pstn-gateway"
site = "HQ"
channels = 10

[[trunk]]
name = "gw-a"
mediation_pool = "med.example.com"
peer = "gw-a"

[[trunk]]
name = "gw-b"
mediation_pool = "med.example.com"
peer = "gw-b"

[[voice_route]]
name = "All"
number_pattern = '^\+'
pstn_usages = ["PSTN"]
pstn_gateways = ["gw-a", "gw-b"]

[[voice_policy]]
scope = "global"
pstn_usages = ["PSTN"]

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

fn scenario(erlangs: f64, hours: u32, extra: &str) -> String {
    format!(
        r#"
name = "Carrier hunting"
model = "model.toml"
duration = "{hours}h"
warm_up = "1h"
replications = 10
bucket = "1h"

[signalling]
hop_latency = "0s"
pstn_setup = "0s"

[[source]]
name = "did"
trunks = ["gw-a", "gw-b"]
erlangs = {erlangs}
holding = {{ exponential = "180s" }}
ring_time = {{ constant = "0s" }}
dial = [{{ template = "4255550XXX" }}]
calling = "2065550XXX"
{extra}
"#
    )
}

fn simulate(text: &str) -> Summary {
    let model = load_model(MODEL, "model.toml").unwrap();
    let sc = load_for_model(text, "scenario.toml", &model).unwrap();
    summarize(&model, &sc, &run(&model, &sc, 2).unwrap())
}

#[test]
fn two_hunted_trunks_block_as_one_group_and_the_first_carries_what_overflow_theory_says() {
    let a = 15.0;
    let s = simulate(&scenario(a, 100, ""));
    let src = &s.sources[0];
    let offered = src.calls.offered.mean;
    let blocked = &src.calls.blocked;
    // The pair blocks as Erlang B for 20 channels.
    let b20 = erlang_b(20, a);
    let gos = src.grade_of_service.as_ref().expect("calls were offered");
    assert!(gos.contains(b20), "Erlang B(20, {a}) = {b20:.5} outside {gos:?}");
    // The first trunk carries A(1 - B(10, A)) Erlangs, and overflows
    // B(10, A) of the calls to the second.
    let first = s.trunks.iter().find(|t| t.name == "gw-a").unwrap();
    let carried = a * (1.0 - erlang_b(10, a));
    assert!(first.carried_erlangs.contains(carried), "{carried:.4} outside {:?}", first.carried_erlangs);
    let h = src.hunting.as_ref().expect("a hunting source has hunting figures");
    assert_eq!(h.trunks.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["gw-a", "gw-b"]);
    let landed_first = h.trunks[0].landed.mean / offered;
    let expected = 1.0 - erlang_b(10, a);
    assert!((landed_first - expected).abs() < 0.01, "{landed_first:.4} vs {expected:.4}");
    // Conservation: every attempt landed somewhere or was blocked at the
    // carrier, and those are the source's blocked calls.
    let landed: f64 = h.trunks.iter().map(|t| t.landed.mean).sum();
    assert!((landed + h.blocked_at_carrier.mean - offered).abs() < 1e-6 * offered);
    assert!((h.blocked_at_carrier.mean - blocked.mean).abs() < 1e-6 * offered);
    assert!((h.hunted.mean - h.trunks[1].landed.mean).abs() < 1e-9);
    eprintln!("B(20,{a}) = {b20:.5}, simulated {gos:?}; first trunk {carried:.3} E, {:?}", first.carried_erlangs);
}

#[test]
fn a_failed_first_trunk_sends_everything_to_the_second() {
    let failure = r#"
[[failure]]
element = "peer:gw-a"
kind = "scheduled"
"#;
    let s = simulate(&scenario(5.0, 20, failure));
    let h = s.sources[0].hunting.as_ref().unwrap();
    assert_eq!(h.trunks[0].landed.mean, 0.0);
    assert!(h.trunks[1].landed.mean > 0.0);
    assert_eq!(h.hunted.mean, h.trunks[1].landed.mean);
    let first = s.trunks.iter().find(|t| t.name == "gw-a").unwrap();
    assert_eq!(first.carried_erlangs.mean, 0.0);
    // 10 channels offered 5 E: Erlang B.
    let gos = s.sources[0].grade_of_service.as_ref().unwrap();
    assert!(gos.contains(erlang_b(10, 5.0)), "{gos:?}");
}

#[test]
fn sources_without_trunks_lists_have_no_hunting_figures_and_bad_lists_are_named() {
    let text = scenario(5.0, 2, "").replace("trunks = [\"gw-a\", \"gw-b\"]", "trunk = \"gw-a\"");
    let s = simulate(&text);
    assert!(s.sources[0].hunting.is_none());
    let json = serde_json::to_string(&s).unwrap();
    assert!(!json.contains("\"hunting\""));
    let model = load_model(MODEL, "model.toml").unwrap();
    for (list, says) in [("[\"gw-a\", \"gw-c\"]", "gw-c"), ("[\"gw-a\", \"gw-a\"]", "twice"), ("[]", "1 to 64")] {
        let text = scenario(5.0, 2, "").replace("[\"gw-a\", \"gw-b\"]", list);
        let e = load_for_model(&text, "scenario.toml", &model).unwrap_err().to_string();
        assert!(e.contains("trunks") && e.contains(says), "{list}: {e}");
    }
}

#[test]
fn a_whatif_says_a_hunting_carrier_is_cut_only_when_every_trunk_it_hunts_is() {
    let model = load_model(MODEL, "model.toml").unwrap();
    let text = scenario(5.0, 2, "\n[whatif]\nelements = [\"peer\"]\nk = 2\npairs = \"all\"\nat = \"90m\"\n");
    let mut sc = load_for_model(&text, "scenario.toml", &model).unwrap();
    sc.replications = 2;
    let r = voicetwin::analysis::whatif::run_whatif(&model, &sc, 2, &|_, _| ()).unwrap();
    let case = |e: &[&str]| r.results.iter().find(|c| c.elements == e).unwrap_or_else(|| panic!("{e:?}"));
    // The first trunk's gateway down: the carrier lands its calls on the second.
    assert!(case(&["peer:gw-a"]).inbound_cut.is_empty(), "{:?}", case(&["peer:gw-a"]));
    assert!(case(&["peer:gw-b"]).inbound_cut.is_empty());
    assert_eq!(case(&["peer:gw-a", "peer:gw-b"]).inbound_cut, ["did"]);
}
