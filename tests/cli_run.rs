//! `voicetwin run` as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("voicetwin-run-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn default_run_is_the_contoso_busy_hour_and_writes_the_run_folder() {
    let dir = temp("default");
    let o = voicetwin(&["run", "--replications", "3", "--out", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("Contoso busy hour: 3 replication(s)"), "{text}");
    assert!(text.contains("grade of service"));
    assert!(text.contains("gw-nyc"));
    for f in ["summary.json", "timeseries.csv", "calls.csv", "scenario.toml", "model.toml"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["schema_version"], 2);
    assert_eq!(s["scenario"]["replications"], 3);
    let offered = &s["calls"]["offered"];
    assert!(offered["ci95_low"].as_f64().unwrap() <= offered["mean"].as_f64().unwrap());
    assert!(s["peers"].as_array().unwrap().iter().any(|p| p["name"] == "gw-red-1" && p["capacity"] == 92));
    assert!(s["pdd_ms"]["p95"]["mean"].as_f64().unwrap() >= 2000.0);
    let ts = std::fs::read_to_string(dir.join("timeseries.csv")).unwrap();
    assert!(ts.starts_with("bucket_start_s,kind,element,capacity,mean_occupancy"));
    // 60 one-minute buckets per element.
    assert_eq!(ts.lines().filter(|l| l.contains(",peer,gw-nyc,")).count(), 60);
    // The scenario as it ran: the file, with its model the copy beside it
    // and `--replications` recorded; comments and layout kept.
    assert_eq!(
        std::fs::read_to_string(dir.join("scenario.toml")).unwrap(),
        include_str!("../scenarios/busy-hour.toml")
            .replace("model = \"contoso\"", "model = \"model.toml\"")
            .replace("replications = 10", "replications = 3")
    );
}

#[test]
fn same_seed_gives_the_same_summary_on_one_or_two_threads() {
    let (a, b) = (temp("t1"), temp("t2"));
    for (dir, threads) in [(&a, "1"), (&b, "2")] {
        let o = voicetwin(&[
            "run",
            "single-trunk-group",
            "--replications",
            "4",
            "--threads",
            threads,
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(o.status.success());
    }
    let read = |d: &Path| std::fs::read(d.join("summary.json")).unwrap();
    assert_eq!(read(&a), read(&b));
    let c = temp("seed");
    assert!(voicetwin(&[
        "run",
        "single-trunk-group",
        "--replications",
        "4",
        "--seed",
        "99",
        "--out",
        c.to_str().unwrap()
    ])
    .status
    .success());
    assert_ne!(read(&a), read(&c));
}

#[test]
fn json_format_prints_the_summary() {
    let dir = temp("json");
    let o = voicetwin(&[
        "run",
        "single-trunk-group",
        "--replications",
        "2",
        "--format",
        "json",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert_eq!(v["scenario"]["name"], "Single trunk group: E1 at 1% (Erlang B)");
}

fn run_bad(name: &str, from: &str, to: &str) -> String {
    let text = include_str!("../scenarios/busy-hour.toml");
    assert!(text.contains(from), "edit target missing: {from}");
    let dir = temp(name);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    let o = voicetwin(&["run", path.to_str().unwrap(), "--out", dir.join("out").to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(&format!("{name}.toml")), "names the file: {err}");
    err
}

#[test]
fn bad_scenarios_exit_2_naming_file_object_and_field() {
    let e = run_bad("group", "user_group = \"dallas-staff\"", "user_group = \"dallas\"");
    assert!(e.contains("source \"dallas-out\", field `user_group`") && e.contains("no user group \"dallas\""), "{e}");
    let e = run_bad("prob", "answer_probability = 0.8", "answer_probability = 1.8");
    assert!(e.contains("field `answer_probability`"), "{e}");
    let e = run_bad("dur", "duration = \"1h\"", "duration = \"1 fortnight\"");
    assert!(e.contains("duration"), "{e}");
    let e = run_bad("unknown", "seed = 2013", "seed = 2013\nsede = 1");
    assert!(e.contains("unknown field `sede`"), "{e}");
    let e = run_bad("warm", "warm_up = \"10m\"", "warm_up = \"2h\"");
    assert!(e.contains("field `warm_up`"), "{e}");
    let e = run_bad("template", "template = \"9NXXXXXX\"", "template = \"9[NX\"");
    assert!(e.contains("field `dial`"), "{e}");
    let e = run_bad("rates", "calls_per_hour = 900", "calls_per_hour = 900\nerlangs = 3");
    assert!(e.contains("exactly one of"), "{e}");
    let e = run_bad("model", "model = \"contoso\"", "model = \"no-such-model.toml\"");
    assert!(e.contains("no-such-model.toml") && e.contains("cannot read the model"), "{e}");
}

#[test]
fn unknown_scenario_name_exits_2() {
    let o = voicetwin(&["run", "no-such-scenario"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("busy-hour"));
}

#[test]
fn plan_writes_its_folder_and_refuses_bad_targets_with_exit_2() {
    let dir = temp("plan");
    let o = voicetwin(&[
        "plan",
        "single-trunk-group",
        "--replications",
        "3",
        "--min-mos",
        "4.0",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("for a grade of service of 1.00% on every stream"), "{text}");
    assert!(text.contains("To buy at x1: gateway gw: add 1 E1 span"), "{text}");
    for f in ["plan.json", "plan.csv", "planned-model.toml", "planned-model-x1.toml"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let p: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap();
    assert_eq!(p["min_mos"], 4.0);
    assert_eq!(p["steps"][0]["elements"][0]["name"], "gw");
    assert_eq!(p["steps"][0]["elements"][0]["unit"], "e1-span");
    for (flag, value, says) in [
        ("--target-gos", "1.5", "--target-gos 1.5"),
        ("--growth", "0", "--growth 0"),
        ("--min-mos", "5", "--min-mos 5"),
        ("--voice-share", "0", "--voice-share 0"),
    ] {
        let o = voicetwin(&["plan", "single-trunk-group", flag, value, "--out", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{flag} {value}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A run folder's figures, without the paths its files were read from.
fn figures(dir: &Path) -> serde_json::Value {
    let mut s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    let sc = s["scenario"].as_object_mut().unwrap();
    sc.remove("source");
    sc.remove("model");
    s
}

#[test]
fn a_run_folders_scenario_reproduces_the_run_with_its_overrides() {
    for (name, args) in [
        ("overrides", vec!["busy-hour", "--seed", "42", "--replications", "3", "--load-factor", "1.5"]),
        ("precision", vec!["single-trunk-group", "--precision", "0.5", "--max-replications", "12", "--seed", "7"]),
    ] {
        let first = temp(&format!("{name}-first"));
        let again = temp(&format!("{name}-again"));
        let mut run = vec!["run"];
        run.extend(&args);
        run.extend(["--out", first.to_str().unwrap()]);
        let o = voicetwin(&run);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let recorded = first.join("scenario.toml");
        let text = std::fs::read_to_string(&recorded).unwrap();
        assert!(text.contains("model = \"model.toml\""), "{text}");
        let o = voicetwin(&["run", recorded.to_str().unwrap(), "--out", again.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(figures(&first), figures(&again), "{name}: the folder's scenario reproduces the run");
        let s = figures(&first);
        match name {
            "overrides" => {
                assert_eq!(s["scenario"]["seed"], 42);
                assert_eq!(s["scenario"]["replications"], 3);
                assert_eq!(s["scenario"]["load_factor"], 1.5);
            }
            _ => assert!(text.contains("[precision]") && text.contains("max_replications = 12"), "{text}"),
        }
    }
}
