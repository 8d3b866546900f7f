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

fn known_scenario() -> String {
    let profile: Vec<String> = PROFILE.iter().map(|p| p.to_string()).collect();
    let profile = profile.join(", ");
    format!(
        r#"name = "known"
model = "contoso"
duration = "24h"
replications = 1
seed = 11
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

fn run_known(dir: &Path) -> PathBuf {
    let scenario = dir.join("known.toml");
    std::fs::write(&scenario, known_scenario()).unwrap();
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

#[test]
fn a_run_s_cdrs_give_back_the_scenario_s_parameters_within_their_intervals() {
    let dir = temp("roundtrip");
    let cdr = run_known(&dir);
    let out = dir.join("calibrated.toml");
    let o = voicetwin(&["calibrate", cdr.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = dir.join("calibrated-calibration");
    for f in ["calibration.md", "calibration.json", "charts/calls-per-hour.svg", "charts/holding-time.svg"] {
        assert!(report.join(f).is_file(), "{f} missing");
    }
    let c: Value = serde_json::from_str(&std::fs::read_to_string(report.join("calibration.json")).unwrap()).unwrap();
    assert_eq!(c["busy_hour"]["hour"], 10, "{}", c["busy_hour"]);

    // Redmond's users: 0.2 attempts each at the busy hour, 4,000 users.
    let red = stream(&c, "redmond-staff-out");
    assert!(contains(&red["bhca_per_user"], 0.2), "{}", red["bhca_per_user"]);
    let l = &red["holding"]["lognormal"];
    let sigma = (1.0f64 + (150.0f64 / 180.0).powi(2)).ln().sqrt();
    assert!(contains(&l["mean_s"], 180.0), "{l}");
    assert!(contains(&l["sd_s"], 150.0), "{l}");
    assert!(contains(&l["sigma"], sigma), "{l}");
    assert!(red["holding"]["empirical"].is_null(), "a lognormal sample fits");
    assert!(contains(&red["answer_share"], 0.8), "{}", red["answer_share"]);
    let share = |cat: &str| {
        red["destinations"].as_array().unwrap().iter().find(|d| d["category"] == cat).map(|d| d["share"].clone())
    };
    assert!(contains(&share("local").unwrap(), 0.6), "{}", red["destinations"]);
    assert!(contains(&share("national").unwrap(), 0.3), "{}", red["destinations"]);
    assert!(contains(&share("international").unwrap(), 0.1), "{}", red["destinations"]);
    // The profile: the other hours relative to hour 10, within the
    // Poisson spread of one day's calls.
    let p = red["profile"].as_array().unwrap();
    assert_eq!(p[10].as_f64().unwrap(), 1.0);
    assert!((p[13].as_f64().unwrap() - 0.8).abs() < 0.15, "{p:?}");

    // Inbound on gw-red-1: 300 calls an hour at the busy hour.
    let inbound = stream(&c, "gw-red-1-in");
    assert!(contains(&inbound["at_busy_hour"]["calls_per_hour"], 300.0), "{}", inbound["at_busy_hour"]);
    assert!(contains(&inbound["holding"]["mean"], 120.0), "{}", inbound["holding"]["mean"]);
    assert!(contains(&inbound["answer_share"], 0.9));

    // The scenario written loads and runs.
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("start_hour = 10"), "{text}");
    let o =
        voicetwin(&["run", out.to_str().unwrap(), "--replications", "2", "--out", dir.join("again").to_str().unwrap()]);
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
