//! Capacity planning against teletraffic theory.

use voicetwin::analysis::erlang::channels_for;
use voicetwin::analysis::plan::{plan, PlanOptions};
use voicetwin::analysis::run::run;
use voicetwin::model::{load_str as load_model, PeerKind};
use voicetwin::report::folder::{Completed, ResultsFolder};
use voicetwin::scenario::{builtin, load_for_model, load_str};

/// Writes a plan folder as `voicetwin plan` does.
fn write_plan(dir: &std::path::Path, p: &voicetwin::analysis::plan::PlanResults, model: &voicetwin::model::Model) {
    let mut folder = ResultsFolder::create(dir, "plan", &[]).unwrap();
    voicetwin::report::plan::write_folder(&mut folder, p, model).unwrap();
    folder.commit().unwrap();
}

#[test]
fn the_single_trunk_group_plans_to_inverse_erlang_b() {
    for (erlangs, gos) in [(20.34, 0.01), (10.0, 0.02)] {
        let text = builtin("single-trunk-group").unwrap().replace("erlangs = 20.34", &format!("erlangs = {erlangs}"));
        let (sc, model) = load_str(&text, "stg.toml", None, &Default::default()).unwrap();
        let p = plan(&model, &sc, &PlanOptions::new(gos, &[1.0], 2)).unwrap();
        let needed = p.steps[0].peers[0].needed;
        let theory = channels_for(erlangs, gos);
        assert!(needed.abs_diff(theory) <= 1, "{erlangs} E at {gos}: planned {needed}, Erlang B {theory}");
        assert!(p.steps[0].met);
    }
}

#[test]
fn growth_needs_more_and_the_planned_model_meets_the_target() {
    let (sc, model) = load_str(builtin("single-trunk-group").unwrap(), "stg.toml", None, &Default::default()).unwrap();
    let p = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0, 1.5, 2.0], 2)).unwrap();
    let needs: Vec<u32> = p.steps.iter().map(|s| s.peers[0].needed).collect();
    assert!(needs.windows(2).all(|w| w[0] < w[1]), "{needs:?}");
    assert_eq!(p.steps[0].peers[0].spans, Some((2, "E1")), "31 channels need two E1s");
}

/// gw first, gw2 only for gw's overflow (two usages in order).
fn overflow_model() -> voicetwin::model::Model {
    let text = include_str!("../models/single-trunk-group.toml")
        .replacen("pstn_usages = [\"PSTN\"]\n", "pstn_usages = [\"First\", \"Overflow\"]\n", 1)
        .replacen(
            "[[trunk]]\nname = \"gw\"\nmediation_pool = \"med.example.com\"\npeer = \"gw\"\n",
            "[[peer]]\nname = \"gw2\"\nfqdn = \"gw2.example.com\"\nkind = \"pstn-gateway\"\nsite = \"HQ\"\nchannels = 10\n\n\
             [[trunk]]\nname = \"gw\"\nmediation_pool = \"med.example.com\"\npeer = \"gw\"\n\n\
             [[trunk]]\nname = \"gw2\"\nmediation_pool = \"med.example.com\"\npeer = \"gw2\"\n",
            1,
        )
        .replacen("e1_spans = 1", "channels = 10", 1)
        .replacen(
            "pstn_usages = [\"PSTN\"]\npstn_gateways = [\"gw\"]",
            "pstn_usages = [\"First\"]\npstn_gateways = [\"gw\"]\n\n[[voice_route]]\nname = \"Second\"\nnumber_pattern = '^\\+'\npstn_usages = [\"Overflow\"]\npstn_gateways = [\"gw2\"]",
            1,
        )
        .replacen("scope = \"global\"\npstn_usages = [\"PSTN\"]", "scope = \"global\"\npstn_usages = [\"First\", \"Overflow\"]", 1);
    load_model(&text, "overflow.toml").unwrap()
}

#[test]
fn overflow_between_two_gateways_is_sized_above_plain_erlang_b_and_confirmed() {
    let model = overflow_model();
    let sc = load_for_model(builtin("single-trunk-group").unwrap(), "stg.toml", &model).unwrap();
    let p = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0], 2)).unwrap();
    let total: u32 = p.steps[0].peers.iter().map(|r| r.needed).sum();
    assert!(total > channels_for(20.34, 0.01), "overflow is sized above plain Erlang B: {total}");
    assert!(p.steps[0].met);
    // The planned model, run again, meets the target within its interval.
    let mut planned = model.clone();
    for (i, r) in p.steps[0].peers.iter().enumerate() {
        planned.peers[i].kind = PeerKind::PstnGateway { channels: r.needed };
    }
    let gos = run(&planned, &sc, 2).unwrap().grade_of_service().unwrap();
    assert!(gos.ci95_low <= 0.01, "{gos:?}");
}

#[test]
fn n_minus_1_sizes_each_gateway_to_carry_the_whole_load_alone() {
    let model = overflow_model();
    let mut sc = load_for_model(builtin("single-trunk-group").unwrap(), "stg.toml", &model).unwrap();
    sc.replications = 5;
    let plain = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0], 2)).unwrap();
    assert!(plain.steps[0].n_minus_1.is_none());
    let p = plan(&model, &sc, &PlanOptions { n_minus_1: true, ..PlanOptions::new(0.01, &[1.0], 2) }).unwrap();
    let n1 = p.steps[0].n_minus_1.as_ref().expect("sized for N-1");
    assert!(n1.met, "{n1:?}");
    assert!(n1.worst_blocked_full.unwrap().mean <= 0.01);
    // With either gateway down the other carries all 20.34 E: Erlang B
    // asks 30 channels at 1%.
    let alone = channels_for(20.34, 0.01);
    for (k, n) in n1.peers.iter().enumerate() {
        assert!(*n + 1 >= alone, "gateway {k}: {n} channels, Erlang B alone {alone}");
        assert!(*n >= p.steps[0].peers[k].needed, "N-1 never sizes below the plan");
    }
    // Both gateways hang off the one Mediation pool: its failure loses
    // every call whatever the sizes, a routing gap listed but not sized.
    let pool = n1.cases.iter().find(|c| c.failure == "mediation-pool:med.example.com").expect("the pool is a case");
    assert!(pool.routing_gap && pool.grade_of_service.unwrap().mean > 0.99, "{pool:?}");
    assert!(n1.cases.iter().filter(|c| c.failure.starts_with("peer:")).all(|c| !c.routing_gap), "{:?}", n1.cases);
    // One Mediation Server down: its sibling takes the calls, so the pool
    // keeps two servers (the plan alone needs one at 1500 calls each).
    assert_eq!(p.steps[0].mediation_pools[0].needed, 1);
    assert_eq!(n1.mediation_pools, [2]);
    let server = n1.cases.iter().find(|c| c.failure == "mediation-server:med.example.com#1").expect("a server case");
    assert!(!server.routing_gap && server.grade_of_service.unwrap().mean <= 0.01, "{server:?}");
    // The N-1 planned model is written beside the plain one and loads with those sizes.
    let dir = std::env::temp_dir().join(format!("voicetwin-plan-n1-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_plan(&dir, &p, &model);
    let planned = load_model(
        &std::fs::read_to_string(dir.join("planned-model-n-minus-1-x1.toml")).unwrap(),
        "planned-model-n-minus-1-x1.toml",
    )
    .unwrap();
    for (peer, n) in planned.peers.iter().zip(&n1.peers) {
        assert_eq!(peer.kind, PeerKind::PstnGateway { channels: *n });
    }
    let csv = std::fs::read_to_string(dir.join("plan.csv")).unwrap();
    let header = "growth,peer,kind,offered_erlangs,today,erlang_b,needed,margin,spans,span_kind,needed_n_minus_1,p5_mos,today_rejected,today_rejected_ci95_low,today_rejected_ci95_high";
    assert_eq!(csv.lines().next().unwrap(), header);
    assert!(csv.lines().all(|l| l.split(',').count() == 15), "{csv}");
    let review = voicetwin::report::review::build(&Completed::open(&dir).unwrap()).unwrap();
    assert!(
        review.findings.iter().any(|f| f.starts_with("At 1× load, with any one element failed, gw2 needs ")),
        "{:?}",
        review.findings
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Contoso's busy hour, five replications.
fn contoso(edit: impl Fn(String) -> String) -> (voicetwin::scenario::Scenario, voicetwin::model::Model) {
    let model = load_model(&edit(include_str!("../models/contoso.toml").to_owned()), "contoso.toml").unwrap();
    let mut sc = load_for_model(builtin("busy-hour").unwrap(), "busy-hour.toml", &model).unwrap();
    sc.replications = 5;
    (sc, model)
}

#[test]
fn a_bandwidth_policy_too_small_is_raised_until_cac_denials_meet_the_target() {
    let (sc, model) = contoso(|t| t.replacen("audio_limit_kbps = 1000", "audio_limit_kbps = 200", 1));
    let before = run(&model, &sc, 2).unwrap();
    let paris = model.cac_elements.iter().position(|e| e.name == "site:Paris").unwrap();
    let denied = before.cac.elements[paris].denials.total();
    assert!(denied > 0, "200 kbps is about five calls: Paris is denied");
    let p = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0], 2)).unwrap();
    let step = &p.steps[0];
    assert!(step.met, "{:?}", step.grade_of_service);
    let policy = step.bandwidth_policies.iter().find(|b| b.name == "branch-1000").unwrap();
    assert_eq!(policy.element, "site:Paris");
    assert!(policy.session_kbps > 30.0 && policy.session_kbps < 100.0, "{policy:?}");
    // Inverse Erlang B on the sessions offered, then confirmed.
    let analytic = (f64::from(channels_for(policy.offered_sessions, 0.01)) * policy.session_kbps).ceil() as u32;
    assert_eq!(policy.erlang_b, analytic);
    assert!(policy.needed >= policy.erlang_b && policy.needed > 200, "{policy:?}");
    // The planned model, run again, denies at most 1% at Paris.
    let dir = std::env::temp_dir().join(format!("voicetwin-plan-cac-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_plan(&dir, &p, &model);
    let text = std::fs::read_to_string(dir.join("planned-model-x1.toml")).unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("planned-model.toml")).unwrap(), text, "one step: the same plan");
    let planned = load_model(&text, "planned-model-x1.toml").unwrap();
    let limit = planned.bandwidth_policies.iter().find(|b| b.name == "branch-1000").unwrap().audio_limit_kbps;
    assert_eq!(limit, policy.needed);
    let after = run(&planned, &sc, 2).unwrap();
    let (refused, attempts) = after.cac.elements[paris].audio.figures.refusals();
    assert!((refused as f64) <= 0.01 * attempts as f64, "{refused} of {attempts}");
    let csv = std::fs::read_to_string(dir.join("plan.csv")).unwrap();
    assert!(csv.lines().any(|l| l.starts_with("1,branch-1000,bandwidth-policy-kbps,")), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("1,london-paris,wan-link-kbps,")), "{csv}");
    // The review draws bandwidth apart from counts and says what to add.
    let review = voicetwin::report::review::build(&Completed::open(&dir).unwrap()).unwrap();
    let files: Vec<&str> = review.charts.iter().map(|c| c.file.as_str()).collect();
    assert_eq!(files, ["plan.svg", "plan-servers.svg", "plan-bandwidth.svg"]);
    let finding = format!("kbps; it needs {} kbps: add {} kbps.", policy.needed, policy.needed - 200);
    assert!(
        review.findings.iter().any(|f| f.starts_with("At 1× load, bandwidth policy branch-1000 denies ")
            && f.contains(" of its audio sessions with today's 200")
            && f.ends_with(&finding)),
        "{:?}",
        review.findings
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn wan_links_carry_the_planned_voice_and_grow_for_a_mos_target_until_bandwidth_stops_helping() {
    let (sc, model) = contoso(|t| t);
    let plain = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0], 2)).unwrap();
    for l in &plain.steps[0].wan_links {
        // Without a MOS target: Erlang B sessions at the session bandwidth.
        let voice = (f64::from(channels_for(l.voice_erlangs, 0.01)) * l.session_kbps).ceil() as u32;
        assert!(l.needed == l.erlang_b && l.erlang_b >= voice, "{l:?}");
        assert!(l.p5_mos.is_some(), "every contoso link carries calls: {l:?}");
    }
    // A third of the link for voice triples it.
    let third =
        plan(&model, &sc, &PlanOptions { voice_share: 1.0 / 3.0, ..PlanOptions::new(0.01, &[1.0], 2) }).unwrap();
    for (a, b) in plain.steps[0].wan_links.iter().zip(&third.steps[0].wan_links) {
        assert!(b.erlang_b >= 3 * a.erlang_b - 3 && b.erlang_b <= 3 * a.erlang_b + 3, "{a:?} {b:?}");
    }
    // A MOS no path reaches: each link grows while the MOS improves, then
    // is marked bound by its delay and loss.
    let strict = plan(&model, &sc, &PlanOptions { min_mos: Some(4.45), ..PlanOptions::new(0.01, &[1.0], 2) }).unwrap();
    for (a, b) in plain.steps[0].wan_links.iter().zip(&strict.steps[0].wan_links) {
        assert!(b.bound_by_delay_and_loss, "{b:?}");
        assert!(b.needed >= a.needed, "{a:?} {b:?}");
    }
    assert!(
        plain.steps[0]
            .wan_links
            .iter()
            .zip(&strict.steps[0].wan_links)
            .any(|(a, b)| b.needed > a.needed && b.p5_mos.as_ref().unwrap().mean > a.p5_mos.as_ref().unwrap().mean),
        "queueing on a link sized at its voice peak costs MOS that bandwidth buys back"
    );
    // A MOS every link already meets changes nothing.
    let easy = plan(&model, &sc, &PlanOptions { min_mos: Some(2.0), ..PlanOptions::new(0.01, &[1.0], 2) }).unwrap();
    for (a, b) in plain.steps[0].wan_links.iter().zip(&easy.steps[0].wan_links) {
        assert_eq!(a.needed, b.needed);
        assert!(!b.bound_by_delay_and_loss);
    }
}

#[test]
fn the_planned_model_of_a_growth_step_meets_the_target_when_run_at_that_load() {
    let (sc, model) = load_str(builtin("single-trunk-group").unwrap(), "stg.toml", None, &Default::default()).unwrap();
    let p = plan(&model, &sc, &PlanOptions::new(0.01, &[1.5], 2)).unwrap();
    let dir = std::env::temp_dir().join(format!("voicetwin-plan-growth-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_plan(&dir, &p, &model);
    let planned = dir.join("planned-model.toml");
    // `voicetwin run --load-factor 1.5` with the planned model, as a user confirms it.
    let run_at = |factor: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_voicetwin"))
            .args(["run", "single-trunk-group", "--model", planned.to_str().unwrap(), "--load-factor", factor])
            .args(["--format", "json", "--out", dir.join("run").to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let s = run_at("1.5");
    assert_eq!(s["scenario"]["load_factor"], 1.5);
    let text = std::fs::read_to_string(dir.join("run/scenario.toml")).unwrap();
    assert!(text.contains("\nload_factor = 1.5\n") && text.contains("model = \"model.toml\""), "{text}");
    assert!(s["grade_of_service"]["ci95_high"].as_f64().unwrap() <= 0.01, "{}", s["grade_of_service"]);
    // The offered load is half again the file's.
    let base = run_at("1");
    let ratio = s["calls"]["offered"]["mean"].as_f64().unwrap() / base["calls"]["offered"]["mean"].as_f64().unwrap();
    assert!((ratio - 1.5).abs() < 0.03, "{ratio}");
    let _ = std::fs::remove_dir_all(&dir);
}
