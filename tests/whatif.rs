//! `whatif`: N-1 and N-2 rankings on contoso.

use std::process::Command;

use voicetwin::analysis::whatif::run_whatif;
use voicetwin::scenario::{builtin, load_str, ElementClass};

fn n_minus_1(replications: u32) -> (voicetwin::scenario::Scenario, voicetwin::model::Model) {
    let (mut sc, model) = load_str(builtin("n-minus-1").unwrap(), "n-minus-1.toml", None, &Default::default()).unwrap();
    sc.replications = replications;
    (sc, model)
}

#[test]
fn the_ranking_is_stable_for_a_seed_and_any_thread_count() {
    let (sc, model) = n_minus_1(4);
    let a = serde_json::to_string(&run_whatif(&model, &sc, 1, &|_, _| ()).unwrap()).unwrap();
    let b = serde_json::to_string(&run_whatif(&model, &sc, 2, &|_, _| ()).unwrap()).unwrap();
    assert_eq!(a, b);
    let r = run_whatif(&model, &sc, 2, &|_, _| ()).unwrap();
    assert_eq!(
        r.results.len(),
        model.peers.len() + model.trunks.len() + model.mediation_pools.len() + model.links.len()
    );
    // Cutting Dallas off from Redmond leaves Dallas users no Registrar
    // (their pool and its backup are both through Redmond): it ranks first.
    assert_eq!(r.results[0].elements, ["wan-link:redmond-dallas"]);
    assert_eq!(r.results[0].isolated_sites, ["Dallas"]);
    assert!(r.results[1..].iter().all(|c| c.isolated_sites.is_empty()));
    // Then the stand-alone Redmond Mediation pool, which carries the most.
    assert_eq!(r.results[1].elements, ["mediation-pool:med-red.contoso.com"]);
    assert!(r.results[1].dropped.mean > 0.0, "calls in progress on it are dropped");
    assert!(r.results[1].inbound_cut.contains(&"pstn-to-redmond".to_owned()));
    // After the isolating failure, ranks follow calls lost.
    for w in r.results[1..].windows(2) {
        assert!(w[0].calls_lost.mean >= w[1].calls_lost.mean);
    }
    // The ITSP is only a backup usage at this load: its loss is absorbed.
    let itsp = r.results.iter().find(|c| c.elements == ["peer:itsp"]).unwrap();
    assert!(itsp.absorbed, "{itsp:?}");
    assert_eq!(itsp.calls_lost.mean, 0.0);
}

#[test]
fn failures_that_leave_a_site_without_pstn_access_rank_first() {
    let (mut sc, model) = n_minus_1(3);
    sc.whatif.classes = vec![ElementClass::MediationPool];
    sc.whatif.k = 2;
    let r = run_whatif(&model, &sc, 2, &|_, _| ()).unwrap();
    assert_eq!(r.results.len(), 6, "4 pools, 6 pairs");
    // London's pool and Paris's SBA together leave Paris users no trunk.
    let first = &r.results[0];
    assert_eq!(first.elements, ["mediation-pool:fe-lon.contoso.com", "mediation-pool:sba-par.contoso.com"]);
    assert_eq!(first.isolated_sites, ["Paris"]);
    assert!(r.results[1..].iter().all(|c| c.isolated_sites.is_empty()));
    // It ranks first although pairs with Redmond's pool lose more calls.
    assert!(r.results[1].calls_lost.mean > first.calls_lost.mean);
}

#[test]
fn whatif_cli_writes_its_results_and_rejects_bad_classes() {
    let dir = std::env::temp_dir().join(format!("voicetwin-whatif-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["whatif", "--elements", "peer", "--replications", "2", "--out", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("N-1 what-if over 8 case(s)"), "{text}");
    assert!(!text.contains("wan-link"), "--elements replaces the scenario's classes");
    assert!(text.contains("peer:gw-red-1"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("whatif.json")).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["results"][0]["rank"], 1);
    assert!(std::fs::read_to_string(dir.join("whatif.csv")).unwrap().starts_with("rank,elements,"));
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(["whatif", "--elements", "router"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not an element class"));
}

#[test]
fn one_mediation_server_down_moves_new_calls_to_its_siblings() {
    let (mut sc, model) = n_minus_1(3);
    sc.whatif.classes = vec![ElementClass::MediationServer];
    let r = run_whatif(&model, &sc, 2, &|_, _| ()).unwrap();
    let red = r.results.iter().find(|c| c.elements == ["mediation-server:med-red.contoso.com#1"]).unwrap();
    assert!(red.dropped.mean > 0.0, "calls on the failed server are dropped");
    assert!(red.absorbed, "its sibling takes the new calls: {red:?}");
    assert_eq!(red.trunks_down, 0);
    // The New York SBA has one server: losing it is losing the branch's Mediation.
    let nyc = r.results.iter().find(|c| c.elements == ["mediation-server:sba-nyc.contoso.com#1"]).unwrap();
    assert!(!nyc.absorbed);
    assert!(nyc.blocked.ci95_low > 0.0);
}

#[test]
fn a_registrar_pool_failure_sends_its_users_to_their_backup() {
    let (mut sc, model) = n_minus_1(3);
    sc.whatif.classes = vec![ElementClass::RegistrarPool];
    let r = run_whatif(&model, &sc, 2, &|_, _| ()).unwrap();
    // fe-red's users register at fe-lon and keep calling; what is lost is
    // inbound traffic through med-red, whose next hop is fe-red.
    let red = r.results.iter().find(|c| c.elements == ["registrar-pool:fe-red.contoso.com"]).unwrap();
    assert!(red.isolated_sites.is_empty());
    assert!(red.blocked.ci95_low > 0.0);
    // fe-lon carries a collocated Mediation pool: its trunks fail with it.
    let lon = r.results.iter().find(|c| c.elements == ["registrar-pool:fe-lon.contoso.com"]).unwrap();
    assert_eq!(lon.trunks_down, 3);
    assert!(lon.dropped.mean > 0.0);
}

#[test]
fn a_failure_that_leaves_no_call_ringing_has_no_delay_difference() {
    // The single trunk group's only gateway down for the whole run: no
    // call reaches ringback, so there is no post-dial delay to compare
    // (not minus the baseline's).
    let (mut sc, model) =
        load_str(builtin("single-trunk-group").unwrap(), "stg.toml", None, &Default::default()).unwrap();
    sc.replications = 2;
    sc.whatif.classes = vec![ElementClass::parse("peer").unwrap()];
    sc.whatif.at = sc.warm_up.0;
    sc.whatif.duration = sc.duration.0;
    let r = run_whatif(&model, &sc, 1, &|_, _| ()).unwrap();
    assert_eq!(r.results.len(), 1);
    assert!(r.results[0].calls_lost.mean > 0.0);
    assert_eq!(r.results[0].pdd_delta_ms, None, "{:?}", r.results[0].pdd_delta_ms);
}
