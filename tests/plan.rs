//! Capacity planning against teletraffic theory.

use voicetwin::analysis::erlang::channels_for;
use voicetwin::analysis::plan::{plan, plan_with};
use voicetwin::analysis::run::run;
use voicetwin::model::{load_str as load_model, PeerKind};
use voicetwin::scenario::{builtin, load_for_model, load_str};

#[test]
fn the_single_trunk_group_plans_to_inverse_erlang_b() {
    for (erlangs, gos) in [(20.34, 0.01), (10.0, 0.02)] {
        let text = builtin("single-trunk-group").unwrap().replace("erlangs = 20.34", &format!("erlangs = {erlangs}"));
        let (sc, model) = load_str(&text, "stg.toml", None, None).unwrap();
        let p = plan(&model, &sc, gos, &[1.0], 2).unwrap();
        let needed = p.steps[0].peers[0].needed;
        let theory = channels_for(erlangs, gos);
        assert!(needed.abs_diff(theory) <= 1, "{erlangs} E at {gos}: planned {needed}, Erlang B {theory}");
        assert!(p.steps[0].met);
    }
}

#[test]
fn growth_needs_more_and_the_planned_model_meets_the_target() {
    let (sc, model) = load_str(builtin("single-trunk-group").unwrap(), "stg.toml", None, None).unwrap();
    let p = plan(&model, &sc, 0.01, &[1.0, 1.5, 2.0], 2).unwrap();
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
    let p = plan(&model, &sc, 0.01, &[1.0], 2).unwrap();
    let total: u32 = p.steps[0].peers.iter().map(|r| r.needed).sum();
    assert!(total > channels_for(20.34, 0.01), "overflow is sized above plain Erlang B: {total}");
    assert!(p.steps[0].met);
    // The planned model, run again, meets the target within its interval.
    let mut planned = model.clone();
    for (i, r) in p.steps[0].peers.iter().enumerate() {
        planned.peers[i].kind = PeerKind::PstnGateway { channels: r.needed };
    }
    let reps = run(&planned, &sc, 2).unwrap();
    let gos =
        voicetwin::analysis::stats::Estimate::of(&reps.iter().map(|r| r.counts.grade_of_service()).collect::<Vec<_>>());
    assert!(gos.ci95_high <= 0.01, "{gos:?}");
}

#[test]
fn n_minus_1_sizes_each_gateway_to_carry_the_whole_load_alone() {
    let model = overflow_model();
    let mut sc = load_for_model(builtin("single-trunk-group").unwrap(), "stg.toml", &model).unwrap();
    sc.replications = 5;
    let plain = plan_with(&model, &sc, 0.01, &[1.0], 2, false).unwrap();
    assert!(plain.steps[0].n_minus_1.is_none());
    let p = plan_with(&model, &sc, 0.01, &[1.0], 2, true).unwrap();
    let n1 = p.steps[0].n_minus_1.as_ref().expect("sized for N-1");
    assert!(n1.met, "{n1:?}");
    assert!(n1.worst_grade_of_service.ci95_high <= 0.01);
    // With either gateway down the other carries all 20.34 E: Erlang B
    // asks 30 channels at 1%.
    let alone = channels_for(20.34, 0.01);
    for (k, n) in n1.peers.iter().enumerate() {
        assert!(*n + 1 >= alone, "gateway {k}: {n} channels, Erlang B alone {alone}");
        assert!(*n >= p.steps[0].peers[k].needed, "N-1 never sizes below the plan");
    }
    assert!(!n1.routing_gap);
    // The N-1 planned model is written beside the plain one and loads with those sizes.
    let dir = std::env::temp_dir().join(format!("voicetwin-plan-n1-{}", std::process::id()));
    voicetwin::report::plan::write_folder(&dir, &p, &model).unwrap();
    let planned = load_model(
        &std::fs::read_to_string(dir.join("planned-model-n-minus-1-x1.toml")).unwrap(),
        "planned-model-n-minus-1-x1.toml",
    )
    .unwrap();
    for (peer, n) in planned.peers.iter().zip(&n1.peers) {
        assert_eq!(peer.kind, PeerKind::PstnGateway { channels: *n });
    }
    let csv = std::fs::read_to_string(dir.join("plan.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",needed_n_minus_1"), "{csv}");
    let review = voicetwin::report::review::build(&dir).unwrap();
    assert!(
        review.findings.iter().any(|f| f.starts_with("At 1× load, with any one peer failed, gw2 needs ")),
        "{:?}",
        review.findings
    );
    let _ = std::fs::remove_dir_all(&dir);
}
