//! `sweep`: a grid of model and scenario values, each point the same as a
//! separate run of the edited files with the same seeds.

use std::process::Command;

use voicetwin::analysis::run::run;
use voicetwin::analysis::summary::summarize;
use voicetwin::analysis::sweep::{run_sweep, Grid, Param};
use voicetwin::model;
use voicetwin::scenario::{builtin, load_for_model, load_str, Scenario};

fn single_trunk_group(replications: u32) -> (Scenario, model::Model) {
    let (mut sc, m) =
        load_str(builtin("single-trunk-group").unwrap(), "single-trunk-group.toml", None, &Default::default()).unwrap();
    sc.replications = replications;
    (sc, m)
}

fn params() -> Vec<Param> {
    vec![
        Param::parse("model:peer[gw].e1_spans=1,2").unwrap(),
        Param::parse("scenario:source[users].erlangs=20.34,30").unwrap(),
    ]
}

#[test]
fn each_point_equals_a_separate_run_of_the_edited_files_with_the_same_seeds() {
    let (sc, m) = single_trunk_group(3);
    let r = run_sweep(&m, &sc, params(), 2).unwrap();
    let grid: Vec<Vec<f64>> = r.points.iter().map(|p| p.values.clone()).collect();
    assert_eq!(grid, [vec![1.0, 20.34], vec![1.0, 30.0], vec![2.0, 20.34], vec![2.0, 30.0]]);
    for pt in &r.points {
        let (spans, erlangs) = (pt.values[0] as u32, pt.values[1]);
        let mtext = m.text.replace("e1_spans = 1", &format!("e1_spans = {spans}"));
        assert_ne!(spans == 2, mtext == m.text, "the edit took");
        let m2 = model::load_str(&mtext, "edited.toml").unwrap();
        let stext = sc.text.replace("erlangs = 20.34", &format!("erlangs = {erlangs}"));
        let mut sc2 = load_for_model(&stext, "edited-scenario.toml", &m2).unwrap();
        sc2.replications = sc.replications;
        let s = summarize(&m2, &sc2, &run(&m2, &sc2, 1).unwrap());
        assert_eq!(pt.offered, s.calls.offered, "{:?}", pt.values);
        assert_eq!(pt.blocked, s.calls.blocked, "{:?}", pt.values);
        assert_eq!(pt.grade_of_service, s.grade_of_service, "{:?}", pt.values);
        assert_eq!(pt.pdd_mean_ms, s.pdd_ms.mean, "{:?}", pt.values);
        assert_eq!(pt.mos_mean, s.mos.mean, "{:?}", pt.values);
    }
    // Common random numbers: the load is the same whatever the spans.
    assert_eq!(r.points[0].offered, r.points[2].offered);
    // One E1 at its 1% load blocks about 1% (Erlang B); a second span clears it.
    let gos = |k: usize| r.points[k].grade_of_service.unwrap().mean;
    assert!(gos(0) > 0.002 && gos(0) < 0.03);
    assert!(gos(1) > 0.08, "30 E on 30 channels blocks ~13%");
    assert_eq!(r.points[2].blocked.mean, 0.0);
}

#[test]
fn the_sweep_does_not_depend_on_the_thread_count() {
    let (sc, m) = single_trunk_group(2);
    let a = serde_json::to_string(&run_sweep(&m, &sc, params(), 1).unwrap()).unwrap();
    let b = serde_json::to_string(&run_sweep(&m, &sc, params(), 2).unwrap()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn bad_parameters_name_the_field() {
    let (sc, m) = single_trunk_group(1);
    let e = Param::parse("peer[gw].e1_spans=1").unwrap_err().to_string();
    assert!(e.contains("model: or scenario:"), "{e}");
    let e = Param::parse("model:peer[gw].e1_spans=1,x").unwrap_err().to_string();
    assert!(e.contains("`x` is not a number"), "{e}");
    let p = vec![Param::parse("model:peer[nope].e1_spans=1").unwrap()];
    let e = run_sweep(&m, &sc, p, 1).unwrap_err().to_string();
    assert!(e.contains("peer") && e.contains("nope"), "{e}");
    // A value the model rejects is reported with the model's own message.
    let p = vec![Param::parse("model:peer[gw].e1_spans=0").unwrap()];
    let e = run_sweep(&m, &sc, p, 1).unwrap_err().to_string();
    assert!(e.contains("e1_spans") && e.contains("e1_spans=0"), "{e}");
    // One field named twice, the same way or not, would let one silently win.
    let twice = |a: &str, b: &str| {
        let p = vec![Param::parse(a).unwrap(), Param::parse(b).unwrap()];
        run_sweep(&m, &sc, p, 1).unwrap_err().to_string()
    };
    let e = twice("model:peer[gw].e1_spans=1", "model:peer[gw].e1_spans=2");
    assert!(e.contains("given twice"), "{e}");
    let e = twice("model:peer[gw].e1_spans=1", "model:peer[GW].e1_spans=2");
    assert!(e.contains("names the same field as model:peer[gw].e1_spans"), "{e}");
    let p = vec![Param::parse("model:peer[gw].e1_spans=1,2,2").unwrap()];
    assert!(run_sweep(&m, &sc, p, 1).unwrap_err().to_string().contains("the value 2 is given twice"));
}

#[test]
fn selectors_match_names_whatever_their_case() {
    let (sc, m) = single_trunk_group(1);
    let p = vec![Param::parse("model:peer[GW].e1_spans=2").unwrap()];
    let r = run_sweep(&m, &sc, p, 1).unwrap();
    assert_eq!(r.points[0].blocked.mean, 0.0, "two E1s at 20 E block nothing: the edit took");
}

#[test]
fn the_command_writes_json_and_csv_and_exits_2_on_bad_input() {
    let dir = std::env::temp_dir().join(format!("voicetwin-sweep-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["sweep", "single-trunk-group", "--param", "model:peer[gw].e1_spans=1,2", "--replications", "2"])
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("sweep over 2 point(s)"), "{text}");
    let csv = std::fs::read_to_string(dir.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.starts_with("model:peer[gw].e1_spans,offered,"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sweep.json")).unwrap()).unwrap();
    assert_eq!(json["points"].as_array().unwrap().len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
    let bad = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["sweep", "single-trunk-group", "--param", "model:peer[gw].t1_spans=x"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("t1_spans"));
}

#[test]
fn selectors_may_be_fqdns_with_dots() {
    let (sc, m) = single_trunk_group(1);
    let p = vec![Param::parse("model:mediation_pool[med.example.com].calls_per_server=10,1500").unwrap()];
    let r = run_sweep(&m, &sc, p, 1).unwrap();
    assert_eq!(r.points.len(), 2);
    // Two servers of 10 calls each: 20 channels at 20.34 E, Erlang B 16.7%;
    // at 1500 per server only the E1 blocks (1%).
    let gos = |k: usize| r.points[k].grade_of_service.unwrap().mean;
    assert!(gos(0) > 0.12 && gos(0) < 0.22, "{:?}", r.points[0]);
    assert!(gos(1) < 0.03, "{:?}", r.points[1]);
}

#[test]
fn finished_points_are_handed_on_in_grid_order_as_batches_end() {
    let (sc, m) = single_trunk_group(1);
    // 20 points: more than one batch of 8 per thread on one thread.
    let p = vec![
        Param::parse("scenario:source[users].erlangs=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20").unwrap()
    ];
    let mut seen: Vec<Vec<f64>> = Vec::new();
    let r = Grid::prepare(&m, &sc, p)
        .unwrap()
        .run(&m, &sc, 1, &|| (), &mut |done| {
            seen.push(done.iter().map(|pt| pt.values[0]).collect());
        })
        .unwrap();
    let lengths: Vec<usize> = seen.iter().map(Vec::len).collect();
    assert_eq!(lengths, [8, 16, 20]);
    let all: Vec<f64> = r.points.iter().map(|pt| pt.values[0]).collect();
    for prefix in &seen {
        assert_eq!(prefix[..], all[..prefix.len()], "each hand-over is the grid's start, in order");
    }
}
