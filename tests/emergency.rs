//! Emergency reachability in `whatif`: each site's emergency numbers,
//! dialed as its users dial them through the routing code, with and
//! without each failure; numbers from the model or the site's country.

use std::process::Command;

use voicetwin::analysis::whatif::run_whatif;
use voicetwin::model::emergency::EmergencySource;
use voicetwin::model::{load_str as load_model, Model};
use voicetwin::scenario::{load_for_model, ElementClass};

/// HQ's 911 goes through either gateway; Branch's only through its own.
/// Annex users dial with an external access prefix that eats the 9 of
/// 911, and their plan has no rule for 911 (nor a location policy). Lab
/// is in a country the table does not know.
const MODEL: &str = r#"
pstn_usages = ["HQ-Emergency", "BR-Emergency", "Local"]

[[region]]
name = "R"
central_site = "HQ"

[[site]]
name = "HQ"
kind = "central"
region = "R"
country = "US"

[[site]]
name = "Branch"
kind = "branch"
region = "R"
country = "us"

[[site]]
name = "Annex"
kind = "branch"
region = "R"
emergency_numbers = ["911"]

[[site]]
name = "Lab"
kind = "branch"
region = "R"
country = "ZZ"

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
name = "gw-hq"
fqdn = "gw.hq.example.com"
kind = "pstn-gateway"
site = "HQ"
e1_spans = 1

[[peer]]
name = "gw-br"
fqdn = "gw.branch.example.com"
kind = "pstn-gateway"
site = "Branch"
e1_spans = 1

[[trunk]]
name = "gw-hq"
mediation_pool = "med.example.com"
peer = "gw-hq"

[[trunk]]
name = "gw-br"
mediation_pool = "med.example.com"
peer = "gw-br"

[[voice_route]]
name = "HQ-911"
number_pattern = '^\+911$'
pstn_usages = ["HQ-Emergency"]
pstn_gateways = ["gw-hq", "gw-br"]

[[voice_route]]
name = "BR-911"
number_pattern = '^\+911$'
pstn_usages = ["BR-Emergency"]
pstn_gateways = ["gw-br"]

[[voice_route]]
name = "Local"
number_pattern = '^\+1\d{10}$'
pstn_usages = ["Local"]
pstn_gateways = ["gw-hq", "gw-br"]

[[voice_policy]]
scope = "global"
pstn_usages = ["HQ-Emergency", "Local"]

[[voice_policy]]
scope = "tag:Branch-Users"
pstn_usages = ["BR-Emergency", "Local"]

[[dial_plan]]
scope = "global"
normalization_rules = [
  { name = "Emergency", pattern = '^(911)$', translation = '+$1' },
  { name = "10digit", pattern = '^([2-9]\d{9})$', translation = '+1$1' },
]

[[dial_plan]]
scope = "tag:Prefix9"
external_access_prefix = "9"
optimize_device_dialing = true
normalization_rules = [
  { name = "10digit", pattern = '^([2-9]\d{9})$', translation = '+1$1' },
]

[[user_group]]
name = "hq"
site = "HQ"
registrar_pool = "fe.example.com"
users = 100
first_number = "+14255550000"

[[user_group]]
name = "branch"
site = "Branch"
registrar_pool = "fe.example.com"
users = 50
first_number = "+12125550000"
voice_policy = "Branch-Users"

[[user_group]]
name = "annex"
site = "Annex"
registrar_pool = "fe.example.com"
users = 20
first_number = "+13125550000"
dial_plan = "Prefix9"

[[user_group]]
name = "lab"
site = "Lab"
registrar_pool = "fe.example.com"
users = 10
first_number = "+16175550000"
"#;

const SCENARIO: &str = r#"
name = "Emergency"
model = "emergency.toml"
duration = "30m"
warm_up = "5m"
replications = 2
seed = 3
bucket = "5m"

[[source]]
name = "hq-out"
user_group = "hq"
erlangs = 5
holding = { exponential = "120s" }
dial = [{ template = "NXXNXXXXXX" }]

[[source]]
name = "branch-out"
user_group = "branch"
erlangs = 3
holding = { exponential = "120s" }
dial = [{ template = "NXXNXXXXXX" }]
"#;

fn model() -> Model {
    load_model(MODEL, "emergency.toml").unwrap()
}

#[test]
fn numbers_come_from_the_model_or_the_country() {
    let m = model();
    let site = |name: &str| m.site(m.site_by_name(name).unwrap());
    assert_eq!(
        (site("HQ").emergency_numbers.clone(), site("HQ").emergency_source),
        (vec!["911".to_owned()], EmergencySource::Country)
    );
    assert_eq!(site("Branch").emergency_numbers, ["911"], "country codes are case-insensitive");
    assert_eq!(site("Annex").emergency_source, EmergencySource::Model);
    assert!(site("Lab").emergency_numbers.is_empty());
    assert_eq!(site("Lab").emergency_source, EmergencySource::Unknown);
    let gb = MODEL.replace("country = \"ZZ\"", "country = \"GB\"");
    let gb = load_model(&gb, "gb.toml").unwrap();
    assert_eq!(gb.site(gb.site_by_name("Lab").unwrap()).emergency_numbers, ["999", "112"]);
}

#[test]
fn a_bad_emergency_number_is_an_error_naming_the_site_and_field() {
    let bad = MODEL.replace("emergency_numbers = [\"911\"]", "emergency_numbers = [\"9 1 1\", \"\"]");
    let e = load_model(&bad, "bad.toml").unwrap_err().to_string();
    assert!(e.contains("site \"Annex\"") && e.contains("emergency_numbers") && e.contains("\"9 1 1\""), "{e}");
    assert!(e.contains("must not be empty"), "{e}");
    let dir = std::env::temp_dir().join(format!("voicetwin-emergency-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bad.toml"), &bad).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["check", "--model", dir.join("bad.toml").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("field `emergency_numbers`"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failure_that_takes_a_sites_only_emergency_gateway_is_reported() {
    let m = model();
    let mut sc = load_for_model(SCENARIO, "emergency-scenario.toml", &m).unwrap();
    sc.whatif.classes = vec![ElementClass::Peer];
    let r = run_whatif(&m, &sc, 2, &|_, _| ()).unwrap();
    // Without failures: HQ through either gateway, Branch through its
    // own; Annex's 911 becomes 11, which no route takes.
    let base = |site: &str| r.emergency.iter().find(|e| e.site == site).unwrap();
    assert!(base("HQ").reached && base("HQ").peers == ["gw-hq", "gw-br"]);
    assert!(base("Branch").reached && base("Branch").peers == ["gw-br"]);
    assert!(!base("Annex").reached);
    assert_eq!(
        (base("Annex").normalized.clone(), base("Annex").without_route.clone()),
        (vec!["11".to_owned()], vec!["annex".to_owned()])
    );
    assert!(r.emergency.iter().all(|e| e.site != "Lab"));
    let lab = r.emergency_sites.iter().find(|s| s.site == "Lab").unwrap();
    assert_eq!(lab.source, EmergencySource::Unknown);

    // gw-br down: Branch's 911 has no route left; HQ's goes through gw-hq.
    let br = r.results.iter().find(|c| c.elements == ["peer:gw-br"]).unwrap();
    assert_eq!(br.emergency_lost.len(), 1, "{:?}", br.emergency_lost);
    assert_eq!((br.emergency_lost[0].site.as_str(), br.emergency_lost[0].number.as_str()), ("Branch", "911"));
    assert_eq!(br.emergency_lost[0].peers_without_failure, ["gw-br"]);
    // A case lists only the routes it changes; every other keeps its
    // route without failures.
    let under = |c: &voicetwin::analysis::whatif::CaseResult, site: &str| {
        c.emergency_changed.iter().find(|e| e.site == site).unwrap_or_else(|| base(site)).clone()
    };
    for c in &r.results {
        for e in &c.emergency_changed {
            assert_ne!(e, base(&e.site), "{}: {} {} listed but unchanged", c.label(), e.site, e.number);
        }
    }
    assert!(!under(br, "Branch").reached);
    assert!(br.emergency_changed.iter().all(|e| e.site != "Annex"), "Annex never had a route: unchanged");
    let hq = under(br, "HQ");
    assert!(hq.reached && hq.peers == ["gw-hq"]);
    // gw-hq down: every site that had a route keeps one.
    let hq_down = r.results.iter().find(|c| c.elements == ["peer:gw-hq"]).unwrap();
    assert!(hq_down.emergency_lost.is_empty());
    assert_eq!(under(hq_down, "HQ").peers, ["gw-br"]);

    // The text says so, plainly, and says Annex never had a route and Lab
    // has no number.
    let text = voicetwin::report::whatif::render(&r);
    assert!(text.contains("EMERGENCY ROUTES LOST under a failure:"), "{text}");
    assert!(text.contains("peer:gw-br: Branch 911 has no route left (without failures: via gw-br)"), "{text}");
    assert!(text.contains("EMERGENCY Branch 911 LOST"), "{text}");
    assert!(text.contains("Annex 911: no route even without failures for annex (normalized to 11)"), "{text}");
    assert!(text.contains("Lab: no emergency number (country \"ZZ\""), "{text}");
    assert!(text.contains("emergency HQ 911 via gw-hq"), "{text}");
}

#[test]
fn a_pair_lists_the_emergency_routes_it_changes_beyond_its_singles_and_every_number_it_loses() {
    let m = model();
    let mut sc = load_for_model(SCENARIO, "emergency-scenario.toml", &m).unwrap();
    sc.whatif.classes = vec![ElementClass::Peer];
    sc.whatif.k = 2;
    sc.whatif.all_pairs = true;
    sc.replications = 1;
    let r = run_whatif(&m, &sc, 2, &|_, _| ()).unwrap();
    let pair = r.results.iter().find(|c| c.elements == ["peer:gw-hq", "peer:gw-br"]).expect("the pair of gateways");
    // Both down: HQ's 911 is lost (each single left it the other
    // gateway); Branch's is lost too, but gw-br alone already lost it.
    let lost: Vec<&str> = pair.emergency_lost.iter().map(|e| e.site.as_str()).collect();
    assert_eq!(lost, ["HQ", "Branch"]);
    let changed: Vec<&str> = pair.emergency_changed.iter().map(|e| e.site.as_str()).collect();
    assert_eq!(changed, ["HQ"], "only what failing both adds to its singles");
    assert!(!pair.emergency_changed[0].reached);
    let br = r.results.iter().find(|c| c.elements == ["peer:gw-br"]).unwrap();
    assert!(br.emergency_changed.iter().any(|e| e.site == "Branch" && !e.reached), "a single lists its own");
}
