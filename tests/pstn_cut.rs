//! The PSTN-cut flag of `whatif`: per site, the share of its users'
//! outbound calls that have a route without failures (by the scenario's
//! destination mix) and none under the failure. Checked by hand on one
//! site with a US and a UK gateway.

use voicetwin::analysis::whatif::run_whatif;
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::{load_for_model, ElementClass};

const MODEL: &str = r#"
pstn_usages = ["PSTN"]

[[region]]
name = "R"
central_site = "HQ"

[[site]]
name = "HQ"
kind = "central"
region = "R"

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
name = "gw-us"
fqdn = "gw-us.example.com"
kind = "pstn-gateway"
site = "HQ"
e1_spans = 2

[[peer]]
name = "gw-uk"
fqdn = "gw-uk.example.com"
kind = "pstn-gateway"
site = "HQ"
e1_spans = 2

[[trunk]]
name = "gw-us"
mediation_pool = "med.example.com"
peer = "gw-us"

[[trunk]]
name = "gw-uk"
mediation_pool = "med.example.com"
peer = "gw-uk"

[[voice_route]]
name = "US"
number_pattern = '^\+1\d{10}$'
pstn_usages = ["PSTN"]
pstn_gateways = ["gw-us"]

[[voice_route]]
name = "UK"
number_pattern = '^\+44\d{10}$'
pstn_usages = ["PSTN"]
pstn_gateways = ["gw-uk"]

[[voice_policy]]
scope = "global"
pstn_usages = ["PSTN"]

[[dial_plan]]
scope = "global"
normalization_rules = [
  { name = "Extension", pattern = '^(0\d{3})$', translation = '+1425555$1' },
  { name = "10digit", pattern = '^([2-9]\d{9})$', translation = '+1$1' },
  { name = "International", pattern = '^00(\d+)$', translation = '+$1' },
]

[[user_group]]
name = "staff"
site = "HQ"
registrar_pool = "fe.example.com"
users = 1000
first_number = "+14255550000"
"#;

/// Source "mixed" (10 Erlangs): 3 parts US, 1 part UK, 4 parts calls to
/// colleagues (internal) and 2 parts France (no route: not authorized).
/// Source "uk" (1 Erlang, the same holding time): UK only. So of the
/// calls that have a route, 3 + 1 parts (x10) are the mixed source's and
/// 1 part (x10) the UK source's: UK is 2 of 5, US 3 of 5.
const SCENARIO: &str = r#"
name = "PSTN cut"
model = "pstn-cut.toml"
duration = "40m"
warm_up = "10m"
replications = 1
seed = 5
bucket = "10m"

[[source]]
name = "mixed"
user_group = "staff"
erlangs = 10
finite_sources = false
holding = { exponential = "120s" }
dial = [
  { weight = 3, template = "NXXNXXXXXX" },
  { weight = 1, template = "0044NXXXXXXXXX" },
  { weight = 4, template = "0XXX" },
  { weight = 2, template = "0033NXXXXXXXX" },
]

[[source]]
name = "uk"
user_group = "staff"
erlangs = 1
finite_sources = false
holding = { exponential = "120s" }
dial = [{ template = "0044NXXXXXXXXX" }]
"#;

#[test]
fn the_share_of_a_sites_pstn_calls_left_without_a_route_is_by_its_destination_mix() {
    let m = load_model(MODEL, "pstn-cut.toml").unwrap();
    let mut sc = load_for_model(SCENARIO, "pstn-cut-scenario.toml", &m).unwrap();
    sc.whatif.classes = vec![ElementClass::Peer];
    sc.whatif.k = 2;
    let r = run_whatif(&m, &sc, 1, &|_, _| ()).unwrap();
    let case = |elements: &[&str]| r.results.iter().find(|c| c.elements == elements).unwrap();
    let share = |elements: &[&str]| {
        let c = case(elements);
        assert_eq!(c.pstn_cut.len(), 1, "{:?}", c.pstn_cut);
        assert_eq!(c.pstn_cut[0].site, "HQ");
        c.pstn_cut[0].share
    };
    assert!((share(&["peer:gw-uk"]) - 2.0 / 5.0).abs() < 1e-9, "{}", share(&["peer:gw-uk"]));
    assert!((share(&["peer:gw-us"]) - 3.0 / 5.0).abs() < 1e-9, "{}", share(&["peer:gw-us"]));
    assert!(case(&["peer:gw-uk"]).isolated_sites.is_empty());
    // Both: cut off from the PSTN altogether.
    assert_eq!(share(&["peer:gw-us", "peer:gw-uk"]), 1.0);
    assert_eq!(case(&["peer:gw-us", "peer:gw-uk"]).isolated_sites, ["HQ"]);
    // The flag does not rank: losing the US gateway loses more calls than
    // losing the UK one, and both pairs rank by calls lost.
    for w in r.results.windows(2) {
        assert!(w[0].calls_lost.mean >= w[1].calls_lost.mean);
    }
    let text = voicetwin::report::whatif::render(&r);
    assert!(text.contains("HQ 40%") && text.contains("HQ 60%") && text.contains("HQ 100%"), "{text}");
}
