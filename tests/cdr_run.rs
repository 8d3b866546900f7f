//! `voicetwin run --cdr`: every call attempt of replication 1 in
//! voicetwin's CDR layout, and not one other figure changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("voicetwin-cdr-run-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn run(scenario: &str, dir: &Path, extra: &[&str]) {
    let mut args = vec!["run", scenario, "--out", dir.to_str().unwrap()];
    args.extend(extra);
    let o = voicetwin(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The CDR's rows as maps from column to value.
fn rows(dir: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(dir.join("cdr.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    r.records().map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(str::to_owned)).collect()).collect()
}

#[test]
fn the_cdr_changes_no_figure_and_does_not_depend_on_threads() {
    let (plain, one, two) = (temp("plain"), temp("one"), temp("two"));
    run("busy-hour", &plain, &["--replications", "2"]);
    run("busy-hour", &one, &["--replications", "2", "--cdr", "--threads", "1"]);
    run("busy-hour", &two, &["--replications", "2", "--cdr", "--threads", "2"]);
    let read = |d: &Path, f: &str| std::fs::read(d.join(f)).unwrap();
    assert_eq!(read(&plain, "summary.json"), read(&one, "summary.json"));
    assert_eq!(read(&one, "summary.json"), read(&two, "summary.json"));
    assert_eq!(read(&one, "cdr.csv"), read(&two, "cdr.csv"));
    assert!(!plain.join("cdr.csv").exists());
    // Listed in the manifest like every other file.
    let manifest = String::from_utf8(read(&one, "manifest.json")).unwrap();
    assert!(manifest.contains("\"cdr.csv\""), "{manifest}");
    // A second run into the same folder replaces it (it is voicetwin's).
    run("busy-hour", &one, &["--replications", "1", "--cdr"]);
}

#[test]
fn one_row_per_attempt_and_the_answered_rows_are_what_the_gateway_carried() {
    let dir = temp("single");
    run("single-trunk-group", &dir, &["--replications", "1", "--cdr"]);
    let rows = rows(&dir);
    let header = std::fs::read_to_string(dir.join("cdr.csv")).unwrap();
    assert!(header.starts_with(
        "call_id,attempt,start,ringback,answer,end,result,response_code,direction,site,caller,dialed,called,\
         from_gateway,from_trunk,to_gateway,to_trunk,mediation_pool\n"
    ));
    // Calls are numbered from 1 without a gap; a redial shares its call's number.
    let ids: BTreeSet<u64> = rows.iter().map(|r| r["call_id"].parse().unwrap()).collect();
    assert_eq!(ids.len() as u64, *ids.last().unwrap());
    assert!(rows.len() >= ids.len());
    for r in &rows {
        let code = &r["response_code"];
        match r["result"].as_str() {
            "answered" => assert!(code == "200" && !r["answer"].is_empty() && !r["to_gateway"].is_empty()),
            "no_answer" => assert!(code == "480" && r["answer"].is_empty()),
            "blocked" => assert!(code == "503" && r["to_gateway"].is_empty()),
            other => panic!("unexpected result {other}"),
        }
        assert!(r["start"].ends_with('Z') && r["start"].len() == "2026-01-05T00:00:00.000000Z".len());
        assert!(r["caller"].starts_with('+') && r["called"].starts_with('+'));
    }
    // The gateway's seizures in the measured window (after the warm-up)
    // are the rows it carried that started in it.
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    let (warm, end, hour) = (
        s["scenario"]["warm_up_s"].as_f64().unwrap(),
        s["scenario"]["duration_s"].as_f64().unwrap(),
        s["scenario"]["start_hour"].as_u64().unwrap(),
    );
    let base = format!("2026-01-05T{hour:02}:00:00Z").parse::<jiff::Timestamp>().unwrap();
    let measured = |r: &BTreeMap<String, String>| {
        let t = r["start"].parse::<jiff::Timestamp>().unwrap().duration_since(base).as_secs_f64();
        t >= warm && t < end
    };
    for peer in s["peers"].as_array().unwrap() {
        let name = peer["name"].as_str().unwrap();
        let seized = peer["attempts"]["mean"].as_f64().unwrap() - peer["rejected"]["mean"].as_f64().unwrap();
        let carried = rows.iter().filter(|r| r["to_gateway"] == name && measured(r)).count();
        assert_eq!(seized, carried as f64, "{name}");
    }
}

#[test]
fn start_date_is_checked() {
    let dir = temp("date");
    let sc = dir.with_extension("toml");
    let text = include_str!("../scenarios/single-trunk-group.toml")
        .replace("model = \"single-trunk-group\"", "model = \"single-trunk-group\"\nstart_date = \"2026-02-30\"");
    std::fs::write(&sc, text).unwrap();
    let o = voicetwin(&["run", sc.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("start_date"), "{}", String::from_utf8_lossy(&o.stderr));
}
