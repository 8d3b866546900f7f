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
    // The stand-alone Redmond Mediation pool carries the most: it ranks first.
    assert_eq!(r.results[0].elements, ["mediation-pool:med-red.contoso.com"]);
    assert!(r.results[0].dropped.mean > 0.0, "calls in progress on it are dropped");
    assert!(r.results[0].inbound_cut.contains(&"pstn-to-redmond".to_owned()));
    // Ranks follow calls lost, whatever a case cuts off.
    for w in r.results.windows(2) {
        assert!(w[0].calls_lost.mean >= w[1].calls_lost.mean, "{} before {}", w[0].label(), w[1].label());
    }
    // Cutting Dallas off from Redmond leaves Dallas users no Registrar
    // (their pool and its backup are both through Redmond): flagged, with
    // every one of Dallas's PSTN calls left without a route, but ranked
    // by its calls lost, below failures that lose more.
    let dallas = r.results.iter().find(|c| c.elements == ["wan-link:redmond-dallas"]).unwrap();
    assert_eq!(dallas.isolated_sites, ["Dallas"]);
    assert_eq!(dallas.pstn_cut.len(), 1);
    assert_eq!((dallas.pstn_cut[0].site.as_str(), dallas.pstn_cut[0].share), ("Dallas", 1.0));
    assert!(dallas.rank > 1 && r.results[0].calls_lost.mean > dallas.calls_lost.mean);
    // Losing London's pool leaves Paris its own gateway only: its UK calls
    // (weight 15) have no route left, its French calls (70) still go
    // through its gateway, and its extensions (15) are internal calls, not
    // PSTN calls: 15 of its 85 PSTN calls, every one of which has a route
    // without the failure.
    let lon = r.results.iter().find(|c| c.elements == ["mediation-pool:fe-lon.contoso.com"]).unwrap();
    let paris = lon.pstn_cut.iter().find(|c| c.site == "Paris").expect("Paris partly cut off");
    assert!((paris.share - 15.0 / 85.0).abs() < 1e-9, "{paris:?}");
    assert!(lon.isolated_sites.is_empty());
    // The ITSP is only a backup usage at this load: its loss is absorbed.
    let itsp = r.results.iter().find(|c| c.elements == ["peer:itsp"]).unwrap();
    assert!(itsp.absorbed, "{itsp:?}");
    assert_eq!(itsp.calls_lost.mean, 0.0);
    assert!(itsp.pstn_cut.is_empty());
}

#[test]
fn pairs_rank_by_calls_lost_and_flag_the_sites_they_cut_off() {
    let (mut sc, model) = n_minus_1(3);
    sc.whatif.classes = vec![ElementClass::MediationPool];
    sc.whatif.k = 2;
    let r = run_whatif(&model, &sc, 2, &|_, _| ()).unwrap();
    // 4 pools, none a part of another: 4 singles and 6 pairs run, less
    // those folded into a single.
    assert_eq!(r.pairs_skipped, 0);
    assert_eq!(r.results.len() + r.pairs_folded, 4 + 6);
    // London's pool and Paris's SBA together leave Paris users no trunk.
    let both = ["mediation-pool:fe-lon.contoso.com", "mediation-pool:sba-par.contoso.com"];
    let cut = r.results.iter().find(|c| c.elements == both).expect("the pair is not folded: it loses more");
    assert_eq!(cut.isolated_sites, ["Paris"]);
    // Pairs with Redmond's pool lose more calls and rank above it.
    assert!(r.results[0].elements.contains(&"mediation-pool:med-red.contoso.com".to_owned()));
    assert!(r.results[0].calls_lost.mean > cut.calls_lost.mean);
    for w in r.results.windows(2) {
        assert!(w[0].calls_lost.mean >= w[1].calls_lost.mean);
    }
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
    // The window in clock time (the scenario starts at 10:00), the order
    // stated, calls as whole calls.
    assert!(text.contains("from 10:20 to 11:00 (1200 s to 3600 s of the run)"), "{text}");
    assert!(text.contains("Ranked by calls lost (most first)"), "{text}");
    assert!(!text.contains("-0 ") && !text.contains(".0 ["), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("whatif.json")).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 4);
    assert_eq!(json["results"][0]["rank"], 1);
    assert_eq!((json["window_from_clock"].as_str(), json["window_to_clock"].as_str()), (Some("10:20"), Some("11:00")));
    assert_eq!(json["window_from_s"], 1200.0);
    let csv = std::fs::read_to_string(dir.join("whatif.csv")).unwrap();
    assert!(csv.starts_with("rank,elements,trunks_down,calls_lost,calls_lost_ci95_low,calls_lost_ci95_high,blocked,"));
    // Whole calls in the CSV: no decimals in the count columns.
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        for c in &cells[3..12] {
            assert!(c.parse::<i64>().is_ok(), "{c} in {line}");
        }
    }
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(["whatif", "--elements", "router"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not an element class"));
}

#[test]
fn the_default_window_starts_a_quarter_into_the_measured_period_and_sees_drops() {
    // The busy hour has no [whatif] section: the default window.
    let (mut sc, model) = load_str(builtin("busy-hour").unwrap(), "busy-hour.toml", None, &Default::default()).unwrap();
    sc.replications = 3;
    sc.whatif.classes = vec![ElementClass::Peer];
    // 10 min warm-up, 50 min measured: from 22 min 30 s (10:22:30).
    assert_eq!(sc.whatif.at, 1350 * 1_000_000);
    assert_eq!(sc.whatif.at, voicetwin::scenario::default_whatif_start(sc.warm_up.0, sc.duration.0));
    let r = run_whatif(&model, &sc, 2, &|_, _| ()).unwrap();
    assert_eq!((r.window_from_clock.as_str(), r.window_to_clock.as_str()), ("10:22:30", "11:00"));
    let red = r.results.iter().find(|c| c.elements == ["peer:gw-red-1"]).unwrap();
    assert!(red.dropped.ci95_low > 0.0, "measured calls in progress are dropped: {:?}", red.dropped);
    // Failing at the warm-up's end, as the default did, drops only calls
    // placed in the warm-up, which are not measured.
    sc.whatif.at = sc.warm_up.0;
    let r = run_whatif(&model, &sc, 2, &|_, _| ()).unwrap();
    assert!(r.results.iter().all(|c| c.dropped.mean == 0.0), "no measured call is in progress at the warm-up's end");
    // Inside the warm-up, `whatif` says so before it runs.
    assert!(sc.whatif_window_note().is_none(), "at the warm-up's end is not inside it");
    let dir = std::env::temp_dir().join(format!("voicetwin-whatif-early-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let early = builtin("n-minus-1").unwrap().replace("at = \"20m\"", "at = \"5m\"");
    std::fs::write(dir.join("early.toml"), early).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["whatif", "early.toml", "--elements", "peer", "--replications", "1", "--out", "out"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("note: the what-if's failures start 300 s into the run, inside the 600 s warm-up"), "{err}");
    // And `merge`, which the user may read alone on a cluster.
    let run =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).current_dir(&dir).output().unwrap();
    let shard = ["whatif", "early.toml", "--elements", "peer", "--replications", "1", "--shard", "0/1", "--out", "s0"];
    assert!(run(&shard).status.success());
    let out = run(&["merge", "s0", "--out", "merged"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("note: the what-if's failures start 300 s into the run"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
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

/// The HQ-and-branch network with a dial its users may not make (an
/// international number no route carries) and HQ's Front End pool down.
fn no_registrar_with_unauthorized_dials() -> (voicetwin::scenario::Scenario, voicetwin::model::Model) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hq-and-branch-busy-hour.toml");
    let text = std::fs::read_to_string(path).unwrap().replacen(
        "dial = [ { template = \"9 NXX NXX XXXX\", weight = 3 }",
        "dial = [ { template = \"9 011 44 20 XXXX XXXX\", weight = 1 }, { template = \"9 NXX NXX XXXX\", weight = 3 }",
        1,
    ) + "\n[whatif]\nelements = [\"registrar-pool\", \"mediation-server\"]\nk = 2\n";
    let model = voicetwin::model::load_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/hq-and-branch.toml"
    )))
    .unwrap();
    let mut sc = voicetwin::scenario::load_for_model(&text, path, &model).unwrap();
    sc.replications = 3;
    (sc, model)
}

#[test]
fn a_call_blocked_before_routing_counts_once_in_the_grade_of_service_during_a_failure() {
    // Unauthorized calls of users whose Registrar is down are blocked
    // (no Registrar to place them): they count as offered and blocked
    // alike, so no share goes above 100%.
    let (sc, model) = no_registrar_with_unauthorized_dials();
    let w = voicetwin::analysis::whatif::run_whatif(&model, &sc, 2, &|_, _| {}).unwrap();
    let fe = w.results.iter().find(|c| c.elements == ["registrar-pool:fe-hq.example.com"]).expect("the FE case");
    let during = fe.grade_of_service_during.unwrap();
    assert!(during.mean > 0.5 && during.ci95_high <= 1.0, "{during:?}");
    for c in &w.results {
        if let Some(g) = c.grade_of_service_during {
            assert!(g.mean <= 1.0 && g.ci95_high <= 1.0 && g.ci95_low <= g.mean, "{}: {g:?}", c.label());
        }
    }
    // Its inbound callers cannot reach Lync: the pool's next hop is down.
    assert_eq!(fe.inbound_cut, ["pstn-in-hq"], "{fe:?}");
    // Every server of HQ's Mediation pool failed is the pool failed, for
    // the routes too: its gateways' inbound callers are cut off.
    let both = w
        .results
        .iter()
        .find(|c| c.elements == ["mediation-server:med-hq.example.com#1", "mediation-server:med-hq.example.com#2"])
        .expect("both servers");
    assert_eq!(both.inbound_cut, ["pstn-in-hq"], "{both:?}");
    assert!(both.pstn_cut.iter().any(|p| p.site == "HQ" && p.share > 0.0), "{both:?}");
    let one = w.results.iter().find(|c| c.elements == ["mediation-server:med-hq.example.com#1"]).unwrap();
    assert!(one.inbound_cut.is_empty() && one.pstn_cut.is_empty(), "a sibling takes the calls: {one:?}");
}
