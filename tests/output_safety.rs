//! What voicetwin writes: only its own files, never through a link, never
//! a folder that reads as complete when it is not, and a closed stdout is
//! a normal end.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use voicetwin::report::folder::{Completed, ResultsFolder};

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn fresh(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("voicetwin-safety-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn a_users_files_in_the_folder_and_in_charts_are_kept() {
    let dir = fresh("user-files");
    std::fs::create_dir_all(dir.join("charts")).unwrap();
    std::fs::write(dir.join("charts/network-diagram.svg"), "mine").unwrap();
    std::fs::write(dir.join("charts/photo.png"), "mine too").unwrap();
    std::fs::write(dir.join("notes.md"), "my notes").unwrap();
    for args in [
        vec!["run", "gateway-failover", "--replications", "2", "--report", "--out", s(&dir)],
        vec!["report", s(&dir)],
        vec!["run", "single-trunk-group", "--replications", "2", "--out", s(&dir)],
        vec!["run", "single-trunk-group", "--replications", "2", "--report", "--out", s(&dir)],
    ] {
        let out = voicetwin(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(std::fs::read_to_string(dir.join("charts/network-diagram.svg")).unwrap(), "mine");
        assert_eq!(std::fs::read_to_string(dir.join("charts/photo.png")).unwrap(), "mine too");
        assert_eq!(std::fs::read_to_string(dir.join("notes.md")).unwrap(), "my notes");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_second_run_leaves_nothing_of_the_first() {
    let dir = fresh("mixed");
    let out = voicetwin(&["run", "gateway-failover", "--replications", "2", "--report", "--out", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("timeline.csv").exists() && dir.join("charts/failover-timeline.svg").exists());
    // The same folder, a run without failures: the first run's timeline,
    // and its whole report (it described the first results), go.
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--out", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dir.join("timeline.csv").exists());
    assert!(!dir.join("report.html").exists());
    assert!(listing(&dir.join("charts")).is_empty(), "{:?}", listing(&dir.join("charts")));
    let out = voicetwin(&["report", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dir.join("charts/failover-timeline.svg").exists());
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(!md.contains("stops answering"), "{md}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn links_are_never_followed() {
    let dir = fresh("links");
    let elsewhere = fresh("links-target");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("precious.svg"), "precious").unwrap();
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--report", "--out", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    // `charts` replaced by a link to another folder: refused, nothing there touched.
    std::fs::remove_dir_all(dir.join("charts")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("charts")).unwrap();
    let out = voicetwin(&["report", s(&dir)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("charts: is a symbolic link"), "{}", stderr(&out));
    assert_eq!(listing(&elsewhere), ["precious.svg"]);
    assert_eq!(std::fs::read_to_string(elsewhere.join("precious.svg")).unwrap(), "precious");
    std::fs::remove_file(dir.join("charts")).unwrap();
    // `model.toml` replaced by a link: the link's target is never written.
    std::fs::remove_file(dir.join("model.toml")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("precious.svg"), dir.join("model.toml")).unwrap();
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--out", s(&dir)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("model.toml: is a symbolic link"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(elsewhere.join("precious.svg")).unwrap(), "precious");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&elsewhere);
}

#[test]
fn a_file_voicetwin_did_not_write_is_never_replaced() {
    let dir = fresh("not-ours");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("summary.json"), "{\"mine\": true}").unwrap();
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--out", s(&dir)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("summary.json: exists and voicetwin has no record of writing it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(dir.join("summary.json")).unwrap(), "{\"mine\": true}");
    // A manifest naming files outside the folder is not voicetwin's.
    std::fs::remove_file(dir.join("summary.json")).unwrap();
    let hostile = r#"{"format":1,"written_by":"x","command":"run","state":"complete","files":[{"name":"../victim","role":"results","bytes":0,"fnv1a64":"cbf29ce484222325"}]}"#;
    std::fs::write(dir.join("manifest.json"), hostile).unwrap();
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--out", s(&dir)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not a name voicetwin writes"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unfinished_or_damaged_folder_is_not_reported_on() {
    let dir = fresh("unfinished");
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--out", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(Completed::open(&dir).is_ok());
    // A truncated file.
    let calls = std::fs::read_to_string(dir.join("calls.csv")).unwrap();
    std::fs::write(dir.join("calls.csv"), &calls[..calls.len() / 2]).unwrap();
    let out = voicetwin(&["report", s(&dir)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("calls.csv: changed since voicetwin wrote it ("), "{}", stderr(&out));
    assert!(stderr(&out).contains("where manifest.json records"), "{}", stderr(&out));
    // An edit of the same size says so rather than quoting the size.
    let edited = calls.replacen(',', ";", 1);
    assert_eq!(edited.len(), calls.len());
    std::fs::write(dir.join("calls.csv"), &edited).unwrap();
    let out = voicetwin(&["report", s(&dir)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("(the same"), "{}", stderr(&out));
    // A missing one.
    std::fs::remove_file(dir.join("calls.csv")).unwrap();
    let out = voicetwin(&["report", s(&dir)]);
    assert!(stderr(&out).contains("calls.csv: missing"), "{}", stderr(&out));
    std::fs::write(dir.join("calls.csv"), &calls).unwrap();
    assert!(voicetwin(&["report", s(&dir)]).status.success());
    // A writer that stops after its first file (killed, disk full): the
    // folder says so, and a new run can still replace every file.
    {
        let mut folder = ResultsFolder::create(&dir, "run", &[]).unwrap();
        folder.write("summary.json", "{}").unwrap();
    }
    let out = voicetwin(&["report", s(&dir)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("did not finish"), "{}", stderr(&out));
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--report", "--out", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_the_earlier_results_or_an_unfinished_folder() {
    let dir = fresh("killed");
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--out", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = std::fs::read_to_string(dir.join("summary.json")).unwrap();
    for wait_ms in [50, 400] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
            .args(["run", "busy-hour", "--replications", "400", "--out", s(&dir)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        // Killed before or while writing: either the earlier results,
        // whole, or a folder `report` refuses; never a mix.
        match Completed::open(&dir) {
            Ok(_) => assert_eq!(std::fs::read_to_string(dir.join("summary.json")).unwrap(), summary),
            Err(e) => assert!(e.to_string().contains("did not finish"), "{e}"),
        }
    }
    // The dead writer's lock does not block the next run.
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--out", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_writers_never_share_a_folder() {
    let dir = fresh("two-writers");
    let held = ResultsFolder::create(&dir, "run", &[]).unwrap();
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--out", s(&dir)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("another voicetwin"), "{}", stderr(&out));
    assert!(!dir.join("summary.json").exists());
    drop(held);
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--out", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_closed_stdout_is_a_normal_end_with_the_folder_written() {
    let dir = fresh("pipe");
    let mut child = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["run", "single-trunk-group", "--replications", "2", "--format", "json", "--out", s(&dir)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away at once, as `| head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert!(Completed::open(&dir).is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_output_folder_that_cannot_be_written_fails_before_simulating() {
    let file = fresh("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    for out_dir in ["/proc/voicetwin-nope", s(&file)] {
        for args in [
            vec!["run", "busy-hour", "--out", out_dir],
            vec!["plan", "busy-hour", "--n-minus-1", "--out", out_dir],
            vec!["whatif", "--k", "2", "--out", out_dir],
            vec!["sweep", "--param", "scenario:source[users].erlangs=15,25", "--out", out_dir],
        ] {
            let out = voicetwin(&args);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
            assert!(stderr(&out).contains(out_dir), "{args:?}: {}", stderr(&out));
            assert!(out.stdout.is_empty(), "{args:?}: nothing printed");
        }
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
    let _ = std::fs::remove_file(&file);
}

#[test]
fn a_report_in_the_way_is_found_before_anything_is_simulated_or_drawn() {
    let dir = fresh("report-in-the-way");
    std::fs::create_dir_all(dir.join("charts")).unwrap();
    std::fs::write(dir.join("charts/calls.svg"), "mine").unwrap();
    // A run long enough that reaching its end would show: refused at once.
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "5000", "--report", "--out", s(&dir)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("charts/calls.svg: exists and voicetwin has no record"), "{}", stderr(&out));
    assert_eq!(listing(&dir), ["charts"], "nothing written");
    assert_eq!(listing(&dir.join("charts")), ["calls.svg"]);
    assert_eq!(std::fs::read_to_string(dir.join("charts/calls.svg")).unwrap(), "mine");
    // `report` on a complete folder with a user's file at a chart's name:
    // refused before any chart is drawn, the results left complete.
    std::fs::remove_file(dir.join("charts/calls.svg")).unwrap();
    let out = voicetwin(&["run", "single-trunk-group", "--replications", "2", "--out", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(dir.join("charts/topology.svg"), "mine").unwrap();
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let out = voicetwin(&["report", s(&dir)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("charts/topology.svg: exists"), "{}", stderr(&out));
    assert_eq!(listing(&dir.join("charts")), ["topology.svg"], "no chart drawn");
    assert_eq!(std::fs::read_to_string(dir.join("manifest.json")).unwrap(), manifest, "the manifest untouched");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_changed_since_voicetwin_wrote_it_is_the_users() {
    let dir = fresh("changed");
    let out = voicetwin(&["run", "gateway-failover", "--replications", "2", "--report", "--out", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A result the user edited is not written over: the run is refused.
    let mut notes = std::fs::read_to_string(dir.join("report.md")).unwrap();
    notes.push_str("\nReviewed by the design board.\n");
    std::fs::write(dir.join("report.md"), &notes).unwrap();
    let out = voicetwin(&["run", "gateway-failover", "--replications", "2", "--report", "--out", s(&dir)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("report.md: has changed since voicetwin wrote it"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.join("report.md")).unwrap(), notes);
    // Nor removed as stale: new results without a report remove the old
    // report's files, but keep the chart the user edited and no longer
    // list it.
    std::fs::rename(dir.join("report.md"), dir.join("reviewed.md")).unwrap();
    std::fs::write(dir.join("charts/calls.svg"), "<svg>mine now</svg>").unwrap();
    let out = voicetwin(&["run", "gateway-failover", "--replications", "2", "--out", s(&dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.join("charts/calls.svg")).unwrap(), "<svg>mine now</svg>");
    assert!(!dir.join("report.html").exists(), "the unchanged report, stale, is gone");
    assert_eq!(listing(&dir.join("charts")), ["calls.svg"]);
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    assert!(!manifest.contains("calls.svg"), "{manifest}");
    assert_eq!(std::fs::read_to_string(dir.join("reviewed.md")).unwrap(), notes);
    let _ = std::fs::remove_dir_all(&dir);
}
