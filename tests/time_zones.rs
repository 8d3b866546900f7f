//! A time zone per site: a source's day profile is read in its site's
//! local time (docs/model.md, "Local time"), so two sites twelve hours
//! apart reach their busy hours twelve hours apart in one run.

use std::path::PathBuf;
use std::process::Command;

/// Two sites, each with its own gateway and users; `east` and `west` are
/// their `time_zone` lines.
fn model(east: &str, west: &str) -> String {
    let site = |name: &str, zone: &str, n: u32| {
        format!(
            r#"
[[site]]
name = "{name}"
kind = "central"
region = "R{n}"
{zone}

[[region]]
name = "R{n}"
central_site = "{name}"

[[registrar_pool]]
fqdn = "fe{n}.example.com"
site = "{name}"
kind = "front-end"
servers = 2

[[mediation_pool]]
fqdn = "med{n}.example.com"
site = "{name}"
kind = "stand-alone"
servers = 2
calls_per_server = 1500

[[peer]]
name = "gw-{name}"
fqdn = "gw{n}.example.com"
kind = "pstn-gateway"
site = "{name}"
e1_spans = 4

[[trunk]]
name = "gw-{name}"
mediation_pool = "med{n}.example.com"
peer = "gw-{name}"

[[user_group]]
name = "users-{name}"
site = "{name}"
registrar_pool = "fe{n}.example.com"
users = 1000
first_number = "+1425555{n}000"
"#
        )
    };
    format!(
        r#"pstn_usages = ["PSTN"]

[network]
name = "Two time zones"

[[voice_route]]
name = "All"
number_pattern = '^\+'
pstn_usages = ["PSTN"]
pstn_gateways = ["gw-east", "gw-west"]

[[voice_policy]]
scope = "global"
pstn_usages = ["PSTN"]

[[dial_plan]]
scope = "global"
normalization_rules = [
  {{ name = "10digit", pattern = '^([2-9]\d{{9}})$', translation = '+1$1' }},
]
{}{}"#,
        site("east", east, 1),
        site("west", west, 2)
    )
}

/// Calls from the PSTN for each site's users on its own gateway, 20 E at
/// local 10:00 and 1 E at every other hour.
fn scenario() -> String {
    let mut profile = vec!["0.05"; 24];
    profile[10] = "1";
    let profile = profile.join(", ");
    let source = |name: &str, n: u32| {
        format!(
            r#"
[[source]]
name = "{name}"
trunk = "gw-{name}"
erlangs = 20
holding = {{ constant = "120s" }}
ring_time = {{ constant = "0s" }}
profile = [{profile}]
dial = [{{ template = "425555{n}XXX" }}]
calling = "2065550XXX"
"#
        )
    };
    format!(
        r#"name = "Two time zones"
model = "model.toml"
duration = "24h"
replications = 2
bucket = "1h"
start_hour = 0

[signalling]
hop_latency = "0s"
pstn_setup = "0s"
{}{}"#,
        source("east", 1),
        source("west", 2)
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("voicetwin-zones-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the scenario on the model and returns, per trunk, the hour of
/// the run (0-23) with the most calls up.
fn busiest_hours(name: &str, model_text: &str) -> (usize, usize) {
    let dir = scratch(name);
    std::fs::write(dir.join("model.toml"), model_text).unwrap();
    std::fs::write(dir.join("scenario.toml"), scenario()).unwrap();
    let out = dir.join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["run", dir.join("scenario.toml").to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let series = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    let peak = |trunk: &str| {
        let mut best = (0usize, f64::MIN);
        for line in series.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if f[1] == "trunk" && f[2] == trunk {
                let (at, calls): (f64, f64) = (f[0].parse().unwrap(), f[4].parse().unwrap());
                if calls > best.1 {
                    best = ((at / 3600.0) as usize, calls);
                }
            }
        }
        best.0
    };
    let hours = (peak("gw-east"), peak("gw-west"));
    let _ = std::fs::remove_dir_all(&dir);
    hours
}

#[test]
fn two_sites_twelve_hours_apart_peak_twelve_hours_apart() {
    // Local 10:00 is 01:00 UTC at +09:00 and 13:00 UTC at -03:00.
    let (east, west) = busiest_hours("fixed", &model("time_zone = \"+09:00\"", "time_zone = \"-03:00\""));
    assert_eq!((east, west), (1, 13));
    // Without zones both peak at 10:00 of the clock, as before zones.
    assert_eq!(busiest_hours("none", &model("", "")), (10, 10));
}

#[test]
fn iana_zones_and_half_hour_offsets() {
    // Tokyo is +09:00 all year; New York is -05:00 in January (the run
    // starts on 2026-01-05): local 10:00 is 01:00 and 15:00 UTC.
    let (east, west) = busiest_hours("iana", &model("time_zone = \"Asia/Tokyo\"", "time_zone = \"America/New_York\""));
    assert_eq!((east, west), (1, 15));
    // +05:30: local 10:00-11:00 is 04:30-05:30 UTC, half in each hour
    // bucket; -06:30 is 16:30-17:30: the busiest bucket is one of the two.
    let (east, west) = busiest_hours("half", &model("time_zone = \"+05:30\"", "time_zone = \"-06:30\""));
    assert!((4..=5).contains(&east), "{east}");
    assert!((16..=17).contains(&west), "{west}");
}

#[test]
fn a_bad_time_zone_names_the_site_and_the_field() {
    let dir = scratch("bad");
    std::fs::write(dir.join("model.toml"), model("time_zone = \"+15:00\"", "")).unwrap();
    std::fs::write(dir.join("scenario.toml"), scenario()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["run", dir.join("scenario.toml").to_str().unwrap(), "--out", dir.join("out").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("east") && err.contains("time_zone") && err.contains("+14:00"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
