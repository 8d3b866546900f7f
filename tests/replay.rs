//! `voicetwin replay`: a run's CDR replayed through the same model gives
//! the same calls per gateway; a failure moves them to the backups; a
//! file that cannot be read exits 2.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("voicetwin-replay-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// One run of the contoso busy hour with its CDR, shared by the tests.
fn cdr() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = temp("run");
        let o = voicetwin(&["run", "busy-hour", "--replications", "1", "--cdr", "--out", dir.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        dir.join("cdr.csv")
    })
}

fn replay(name: &str, extra: &[&str]) -> (PathBuf, BTreeMap<String, Vec<f64>>) {
    let dir = temp(name);
    let mut args = vec!["replay", cdr().to_str().unwrap(), "--out", dir.to_str().unwrap()];
    args.extend(extra);
    let o = voicetwin(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut r = csv::Reader::from_path(dir.join("replay.csv")).unwrap();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[0].to_owned(), rec.iter().skip(1).map(|v| v.parse().unwrap()).collect())
        })
        .collect();
    (dir, rows)
}

#[test]
fn replaying_a_runs_cdr_gives_the_same_calls_per_gateway() {
    let (dir, rows) = replay("same", &[]);
    assert!(rows.len() >= 5, "{rows:?}");
    for (gw, v) in &rows {
        // observed_calls, simulated_calls, observed_erlangs, simulated_erlangs, observed_blocked, simulated_blocked
        assert_eq!(v[0], v[1], "{gw} calls");
        assert!((v[2] - v[3]).abs() < 1e-9, "{gw} Erlangs");
        assert_eq!(v[4], v[5], "{gw} blocked");
    }
    for f in ["summary.json", "replay.csv", "replay-notes.md", "manifest.json"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let notes = std::fs::read_to_string(dir.join("replay-notes.md")).unwrap();
    assert!(notes.contains("rows read") && notes.contains("late (out of start order"), "{notes}");
}

#[test]
fn a_failed_gateway_carries_less_and_its_backup_more() {
    let (_, rows) = replay("failed", &["--failure", "peer:gw-red-1@10m", "--threads", "1"]);
    let (red1, red2) = (&rows["gw-red-1"], &rows["gw-red-2"]);
    assert!(red1[1] < red1[0] / 2.0, "{red1:?}");
    assert!(red2[1] > red2[0], "{red2:?}");
    // The same on two threads, two replications deterministic.
    let (_, a) =
        replay("failed-a", &["--failure", "peer:gw-red-1@10m+20m:silent", "--replications", "2", "--threads", "1"]);
    let (_, b) =
        replay("failed-b", &["--failure", "peer:gw-red-1@10m+20m:silent", "--replications", "2", "--threads", "2"]);
    assert_eq!(a, b);
}

#[test]
fn a_load_factor_below_one_thins_the_trace() {
    let (_, rows) = replay("half", &["--load-factor", "0.5"]);
    let (obs, sim): (f64, f64) = rows.values().fold((0.0, 0.0), |(o, s), v| (o + v[0], s + v[1]));
    assert!(sim > 0.35 * obs && sim < 0.65 * obs, "{obs} {sim}");
}

#[test]
fn files_that_cannot_be_read_exit_2_and_malformed_rows_are_counted() {
    let dir = temp("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("out");
    let o = voicetwin(&["replay", dir.join("missing.csv").to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.csv"));

    let headless = dir.join("headless.csv");
    std::fs::write(&headless, "when,finished,result\n1,2,answered\n").unwrap();
    let o = voicetwin(&["replay", headless.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("headless.csv") && err.contains("header") && err.contains("--columns"), "{err}");

    // Good rows kept, bad ones counted.
    let text = std::fs::read_to_string(cdr()).unwrap();
    let mut lines: Vec<String> = text.lines().take(200).map(str::to_owned).collect();
    lines.push("999999,0,yesterday,,,2026-01-05T10:00:00Z,answered,200,outbound,Redmond,+14255550100,1,,,,,,".into());
    lines.push(lines[1].replace("gw-red-1", "gw-nowhere"));
    let mixed = dir.join("mixed.csv");
    std::fs::write(&mixed, lines.join("\n") + "\n").unwrap();
    let o = voicetwin(&["replay", mixed.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    // Counted by kind, with the row and column of the first of each.
    assert!(err.contains("1 bad_timestamp") && err.contains("1 unknown_gateway"), "{err}");
    assert!(err.contains("row 201") && err.contains("gw-nowhere"), "{err}");
}
