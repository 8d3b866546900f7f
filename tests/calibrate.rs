//! `voicetwin calibrate`: a scenario with known parameters is run, its
//! calls written as CDRs, and calibration must find the parameters again
//! within the intervals it states.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("voicetwin-calibrate-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Hour 10 is the busiest of the day; every other hour is lighter.
const PROFILE: [f64; 24] = [
    0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 0.8, 1.0, 0.9, 0.6, 0.8, 0.85, 0.7, 0.5, 0.3, 0.2, 0.1, 0.1,
    0.05, 0.05, 0.05,
];

fn known_scenario(seed: u64) -> String {
    let profile: Vec<String> = PROFILE.iter().map(|p| p.to_string()).collect();
    let profile = profile.join(", ");
    format!(
        r#"name = "known"
model = "contoso"
duration = "24h"
replications = 1
seed = {seed}
bucket = "1h"

[[source]]
name = "redmond-out"
user_group = "redmond-staff"
bhca_per_user = 0.2
finite_sources = false
holding = {{ lognormal = {{ mean = "180s", sd = "150s" }} }}
ring_time = {{ constant = "6s" }}
answer_probability = 0.8
profile = [{profile}]
dial = [
  {{ weight = 6, template = "9NXXXXXX" }},
  {{ weight = 3, template = "91206NXXXXXX" }},
  {{ weight = 1, template = "9011 44 20 7XXX XXXX" }},
]

[[source]]
name = "pstn-in"
trunk = "gw-red-1"
calls_per_hour = 300
holding = {{ exponential = "120s" }}
answer_probability = 0.9
profile = [{profile}]
calling = "+1206NXXXXXX"
dial = [{{ template = "+1425555XXXX" }}]
"#
    )
}

fn run_known(dir: &Path, seed: u64) -> PathBuf {
    let scenario = dir.join("known.toml");
    std::fs::write(&scenario, known_scenario(seed)).unwrap();
    let run = dir.join("run");
    let o = voicetwin(&["run", scenario.to_str().unwrap(), "--cdr", "--out", run.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    run.join("cdr.csv")
}

fn stream<'a>(c: &'a Value, source: &str) -> &'a Value {
    c["streams"].as_array().unwrap().iter().find(|s| s["source"] == source).unwrap_or_else(|| panic!("{source}: {c}"))
}

fn contains(e: &Value, x: f64) -> bool {
    e["ci95_low"].as_f64().unwrap() <= x && x <= e["ci95_high"].as_f64().unwrap()
}

/// Runs the known scenario with `seed`, calibrates its CDRs, and returns
/// which checks held (name, held), with the calibration folder.
fn round_trip(seed: u64) -> (Vec<(&'static str, bool)>, PathBuf) {
    let dir = temp(&format!("roundtrip-{seed}"));
    let cdr = run_known(&dir, seed);
    let out = dir.join("calibrated.toml");
    let o = voicetwin(&["calibrate", cdr.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = dir.join("calibrated-calibration");
    let c: Value = serde_json::from_str(&std::fs::read_to_string(report.join("calibration.json")).unwrap()).unwrap();
    let red = stream(&c, "redmond-staff-out");
    let l = &red["holding"]["lognormal"];
    let sigma = (1.0f64 + (150.0f64 / 180.0).powi(2)).ln().sqrt();
    let share = |cat: &str| {
        red["destinations"].as_array().unwrap().iter().find(|d| d["category"] == cat).map(|d| d["share"].clone())
    };
    let inbound = stream(&c, "gw-red-1-in");
    let p = red["profile"].as_array().unwrap();
    let checks = vec![
        ("busy hour 10", c["busy_hour"]["hour"] == 10),
        // Redmond's users: 0.2 attempts each at the busy hour, 4,000 users.
        ("bhca_per_user 0.2", contains(&red["bhca_per_user"], 0.2)),
        ("holding mean 180 s", contains(&l["mean_s"], 180.0)),
        ("holding sd 150 s", contains(&l["sd_s"], 150.0)),
        ("holding sigma", contains(&l["sigma"], sigma)),
        ("lognormal fits", red["holding"]["empirical"].is_null()),
        ("answer share 0.8", contains(&red["answer_share"], 0.8)),
        // 9NXXXXXX is local, except the few numbers that land on a user.
        ("local share 0.6", share("local").is_some_and(|e| e["ci95_low"].as_f64().unwrap() <= 0.6)),
        ("national share 0.3", share("national").is_some_and(|e| contains(&e, 0.3))),
        ("international share 0.1", share("international").is_some_and(|e| contains(&e, 0.1))),
        // The profile: hour 13 relative to hour 10, within the Poisson
        // spread of one day's calls (about 5%).
        ("profile", p[10].as_f64() == Some(1.0) && (p[13].as_f64().unwrap() - 0.7).abs() < 0.15),
        // Inbound on gw-red-1: 300 calls an hour at the busy hour.
        ("inbound 300/h", contains(&inbound["at_busy_hour"]["calls_per_hour"], 300.0)),
        ("inbound holding 120 s", contains(&inbound["holding"]["mean"], 120.0)),
        ("inbound answered 0.9", contains(&inbound["answer_share"], 0.9)),
    ];
    (checks, dir)
}

#[test]
fn a_run_s_cdrs_give_back_the_scenario_s_parameters_within_their_intervals() {
    // Each interval is a 95% one: one sample misses now and then. Five
    // independent runs: every parameter must be inside its interval in
    // at least three (a parameter that is right misses in three of five
    // about once in a thousand; one estimated wrongly misses in most).
    let runs: Vec<_> = (11..16).map(round_trip).collect();
    let names: Vec<&str> = runs[0].0.iter().map(|(n, _)| *n).collect();
    for (i, name) in names.iter().enumerate() {
        let held = runs.iter().filter(|(checks, _)| checks[i].1).count();
        assert!(held >= 3, "{name}: within its interval in {held} of 5 runs");
    }

    // The report and the scenario of one run: the scenario loads and runs.
    let dir = &runs[0].1;
    let report = dir.join("calibrated-calibration");
    for f in ["calibration.md", "calibration.json", "charts/calls-per-hour.svg", "charts/holding-time.svg"] {
        assert!(report.join(f).is_file(), "{f} missing");
    }
    let out = dir.join("calibrated.toml");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("start_hour = 10"), "{text}");
    let o =
        voicetwin(&["run", out.to_str().unwrap(), "--replications", "2", "--out", dir.join("again").to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // --day: 24 hours, each source with its profile (1 at its busy hour).
    let day = dir.join("day.toml");
    let cdr = dir.join("run").join("cdr.csv");
    let o = voicetwin(&["calibrate", cdr.to_str().unwrap(), "--day", "--out", day.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&day).unwrap();
    assert!(text.contains("duration = \"24h\"") && text.contains("start_hour = 0"), "{text}");
    let profiles = text.lines().filter(|l| l.starts_with("profile = [")).count();
    assert_eq!(profiles, text.matches("[[source]]").count(), "{text}");
    let o =
        voicetwin(&["run", day.to_str().unwrap(), "--replications", "1", "--out", dir.join("day").to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn calibrate_never_replaces_a_file_and_names_an_unreadable_one() {
    let dir = temp("refusals");
    let out = dir.join("mine.toml");
    std::fs::write(&out, "# the user's\n").unwrap();
    let cdr = dir.join("cdr.csv");
    std::fs::write(&cdr, "call_id,start\n").unwrap();
    let o = voicetwin(&["calibrate", cdr.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "# the user's\n");

    let garbage = dir.join("garbage.csv");
    std::fs::write(&garbage, b"\x00\x01\x02\xff\xfe\x00binary").unwrap();
    let o = voicetwin(&["calibrate", garbage.to_str().unwrap(), "--out", dir.join("new.toml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("garbage.csv"), "{err}");
    assert!(!dir.join("new.toml").exists());
}
