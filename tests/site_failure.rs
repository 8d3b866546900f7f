//! `site:X` fails everything at the site: its Registrar pools (their
//! users go to their backup Registrar, if they can reach it), its
//! Mediation pools and peers (their trunks) and its WAN links; calls in
//! progress through them are dropped. In `run` scenarios and in `whatif`.

use voicetwin::analysis::run::replications;
use voicetwin::analysis::whatif::run_whatif;
use voicetwin::model::{load_str as load_model, Model};
use voicetwin::scenario::{load_for_model, ElementClass};
use voicetwin::sim::metrics::Counts;
use voicetwin::sim::Replication;

/// HQ (Front End pool, stand-alone Mediation pool, gateway), Branch (an
/// SBA with its own gateway) and Far (users homed on HQ's pool), Far and
/// Branch each linked to HQ only. HQ's pool backs up to the Branch SBA.
/// HQ and Far users route through HQ's gateway, then Branch's; Branch
/// users through their own gateway only.
const MODEL: &str = r#"
pstn_usages = ["Local", "Branch"]

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
country = "US"

[[site]]
name = "Far"
kind = "branch"
region = "R"
country = "US"

[[wan_link]]
name = "hq-branch"
site_a = "HQ"
site_b = "Branch"
bandwidth_kbps = 100000
one_way_delay = "10ms"

[[wan_link]]
name = "hq-far"
site_a = "HQ"
site_b = "Far"
bandwidth_kbps = 100000
one_way_delay = "10ms"

[[registrar_pool]]
fqdn = "fe.hq.example.com"
site = "HQ"
kind = "front-end"
servers = 2
backup_registrar = "sba.branch.example.com"

[[registrar_pool]]
fqdn = "sba.branch.example.com"
site = "Branch"
kind = "sba"
backup_registrar = "fe.hq.example.com"

[[mediation_pool]]
fqdn = "med.hq.example.com"
site = "HQ"
kind = "stand-alone"
servers = 2
next_hop_registrar = "fe.hq.example.com"

[[mediation_pool]]
fqdn = "sba.branch.example.com"
site = "Branch"
kind = "collocated"
collocated_with = "sba.branch.example.com"

[[peer]]
name = "gw-hq"
fqdn = "gw.hq.example.com"
kind = "pstn-gateway"
site = "HQ"
e1_spans = 2

[[peer]]
name = "gw-br"
fqdn = "gw.branch.example.com"
kind = "pstn-gateway"
site = "Branch"
e1_spans = 2

[[trunk]]
name = "gw-hq"
mediation_pool = "med.hq.example.com"
peer = "gw-hq"

[[trunk]]
name = "gw-br"
mediation_pool = "sba.branch.example.com"
peer = "gw-br"

[[voice_route]]
name = "Local"
number_pattern = '^\+1\d{10}$'
pstn_usages = ["Local"]
pstn_gateways = ["gw-hq", "gw-br"]

[[voice_route]]
name = "Branch"
number_pattern = '^\+1\d{10}$'
pstn_usages = ["Branch"]
pstn_gateways = ["gw-br"]

[[voice_policy]]
scope = "global"
pstn_usages = ["Local"]

[[voice_policy]]
scope = "tag:Branch-Users"
pstn_usages = ["Branch"]

[[dial_plan]]
scope = "global"
normalization_rules = [
  { name = "10digit", pattern = '^([2-9]\d{9})$', translation = '+1$1' },
]

[[user_group]]
name = "hq"
site = "HQ"
registrar_pool = "fe.hq.example.com"
users = 300
first_number = "+14255550000"

[[user_group]]
name = "far"
site = "Far"
registrar_pool = "fe.hq.example.com"
users = 200
first_number = "+19725550000"

[[user_group]]
name = "branch"
site = "Branch"
registrar_pool = "sba.branch.example.com"
users = 200
first_number = "+12125550000"
voice_policy = "Branch-Users"
"#;

fn scenario(failure: &str) -> String {
    let mut text = String::from(
        r#"
name = "Site failure"
model = "site-failure.toml"
duration = "1h"
warm_up = "10m"
replications = 2
seed = 11
bucket = "10m"

[[source]]
name = "hq-out"
user_group = "hq"
erlangs = 10
holding = { exponential = "180s" }
dial = [{ template = "NXXNXXXXXX" }]

[[source]]
name = "far-out"
user_group = "far"
erlangs = 5
holding = { exponential = "180s" }
dial = [{ template = "NXXNXXXXXX" }]

[[source]]
name = "branch-out"
user_group = "branch"
erlangs = 5
holding = { exponential = "180s" }
dial = [{ template = "NXXNXXXXXX" }]
"#,
    );
    text += failure;
    text
}

fn model() -> Model {
    load_model(MODEL, "site-failure.toml").unwrap()
}

/// Each replication's outcomes at site `site`, with the scenario's
/// failure and without it.
fn at_site(model: &Model, failure: &str, site: &str) -> Vec<(Counts, Counts)> {
    let with = load_for_model(&scenario(failure), "with.toml", model).unwrap();
    let without = load_for_model(&scenario(""), "without.toml", model).unwrap();
    let s = model.site_by_name(site).unwrap().index();
    let counts = |reps: Vec<Replication>| reps.iter().map(|r| r.per_site[s].total()).collect::<Vec<_>>();
    let a = counts(replications(model, &with, 2).unwrap());
    let b = counts(replications(model, &without, 2).unwrap());
    a.into_iter().zip(b).collect()
}

const SITE_HQ: &str = "\n[[failure]]\nelement = \"site:HQ\"\nkind = \"scheduled\"\nat = \"0s\"\n";
const FE_HQ: &str =
    "\n[[failure]]\nelement = \"registrar-pool:fe.hq.example.com\"\nkind = \"scheduled\"\nat = \"0s\"\n";

#[test]
fn a_site_failure_leaves_its_users_and_those_homed_on_it_no_registrar() {
    let m = model();
    // HQ's users: their pool is down, and its backup is across a cut link.
    for (with, without) in at_site(&m, SITE_HQ, "HQ") {
        assert!(with.offered > 50 && without.carried > 50, "{with:?}");
        assert_eq!(with.carried, 0, "no HQ user can call out: {with:?}");
    }
    // Far's users are homed on HQ's pool: its backup (the Branch SBA) is
    // reached only through HQ, whose links are down with it.
    for (with, _) in at_site(&m, SITE_HQ, "Far") {
        assert!(with.offered > 20);
        assert_eq!(with.carried, 0, "{with:?}");
    }
    // Branch users, on their own SBA and gateway, are untouched: the same
    // calls, the same outcomes.
    for (with, without) in at_site(&m, SITE_HQ, "Branch") {
        assert!(with.carried > 20);
        assert_eq!((with.offered, with.carried, with.blocked), (without.offered, without.carried, without.blocked));
    }
}

#[test]
fn the_registrar_pool_alone_sends_its_users_to_their_backup() {
    // HQ's pool down but its links up: HQ and Far users register at the
    // Branch SBA and still call out (through either gateway). So what
    // the site failure adds is its links and its gateway.
    let m = model();
    for site in ["HQ", "Far"] {
        for (with, without) in at_site(&m, FE_HQ, site) {
            assert!(with.carried > with.offered / 2, "{site}: {with:?}");
            assert!(without.carried > 0);
        }
    }
}

#[test]
fn calls_in_progress_through_the_site_are_dropped() {
    let m = model();
    let failure = "\n[[failure]]\nelement = \"site:HQ\"\nkind = \"scheduled\"\nat = \"30m\"\nduration = \"10m\"\n";
    let sc = load_for_model(&scenario(failure), "mid.toml", &m).unwrap();
    for r in replications(&m, &sc, 2).unwrap() {
        assert!(r.failures[0].dropped > 0, "calls up through HQ's gateway and pool are cut off");
        let branch = &r.per_site[m.site_by_name("Branch").unwrap().index()].total();
        assert_eq!(branch.dropped, 0, "Branch calls use nothing at HQ");
    }
}

#[test]
fn whatif_on_a_site_counts_its_pools_and_links_and_flags_the_sites_cut_off() {
    let m = model();
    let mut sc = load_for_model(&scenario(""), "whatif.toml", &m).unwrap();
    sc.replications = 2;
    sc.whatif.classes = vec![ElementClass::Site, ElementClass::RegistrarPool];
    let r = run_whatif(&m, &sc, 2, &|_, _| ()).unwrap();
    let hq = r.results.iter().find(|c| c.elements == ["site:HQ"]).unwrap();
    assert_eq!((hq.trunks_down, hq.registrar_pools_down, hq.links_down), (1, 1, 2));
    assert_eq!(hq.isolated_sites, ["HQ", "Far"]);
    assert!(hq.pstn_cut.iter().all(|c| c.site != "Branch"));
    assert!(hq.dropped.ci95_low > 0.0, "calls in progress at HQ are dropped");
    // The pool alone cuts no one off, and loses fewer calls.
    let fe = r.results.iter().find(|c| c.elements == ["registrar-pool:fe.hq.example.com"]).unwrap();
    assert!(fe.pstn_cut.is_empty(), "{:?}", fe.pstn_cut);
    assert!(hq.calls_lost.mean > fe.calls_lost.mean);
    assert!(hq.rank < fe.rank);
}
