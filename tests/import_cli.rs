//! `voicetwin import` and `voicetwin export` as a user runs them: the
//! export of contoso imports into a model that loads and routes, what is
//! left to fill is listed by `check`, and no user file is ever replaced.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("voicetwin-import-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn contoso_exported_imports_checks_and_routes() {
    let dir = scratch("contoso");
    let exports = dir.join("exports");
    let o = voicetwin(&["export", "--out", s(&exports)]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["Get-CsVoiceRoute.json", "Get-CsDialPlan.json", "Get-CsTopology.xml", "Get-CsUser.csv"] {
        assert!(exports.join(f).is_file(), "{f} missing");
    }
    // Exporting again into the same folder replaces only its own files.
    let o = voicetwin(&["export", "--out", s(&exports)]);
    assert!(o.status.success(), "{}", stderr(&o));

    let model = dir.join("contoso.toml");
    let o = voicetwin(&["import", s(&exports), "--out", s(&model)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("left to fill"), "{out}");
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(text.starts_with("# Imported by `voicetwin import`"), "{text}");

    // check lists each TODO of the file as a `todo` lint naming its object.
    let o = voicetwin(&["check", "--model", s(&model), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let todos: Vec<&serde_json::Value> =
        v["lints"].as_array().unwrap().iter().filter(|l| l["code"] == "todo").collect();
    let comments = text.lines().filter(|l| l.trim_start().starts_with("# TODO")).count();
    assert_eq!(todos.len(), comments, "one lint per TODO comment");
    assert!(todos.iter().any(|l| l["object"].as_str().unwrap().starts_with("wan_link ")), "{todos:?}");

    // The imported model routes as contoso does (the documented example of cli.rs).
    let o = voicetwin(&[
        "route",
        "--model",
        s(&model),
        "--user",
        "+14255550100",
        "--dial",
        "9 1 (212) 555-0100",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["normalized"], "+12125550100");
    assert_eq!(v["outcome"], "routed");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn import_never_replaces_a_file() {
    let dir = scratch("replace");
    let exports = dir.join("exports");
    assert!(voicetwin(&["export", "--out", s(&exports)]).status.success());
    let model = dir.join("mine.toml");
    std::fs::write(&model, "# my own model\n").unwrap();
    let o = voicetwin(&["import", s(&exports), "--out", s(&model)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&model).unwrap(), "# my own model\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_never_replaces_a_file_of_the_users() {
    let dir = scratch("user-folder");
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    std::fs::write(dir.join("Get-CsVoiceRoute.json"), "[]").unwrap();
    let o = voicetwin(&["export", "--out", s(&dir)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("Get-CsVoiceRoute.json"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(dir.join("Get-CsVoiceRoute.json")).unwrap(), "[]");
    assert!(!dir.join("Get-CsDialPlan.json").exists(), "nothing written when a file is in the way");
    // Beside files of the user's own, an export writes its files and leaves theirs.
    std::fs::remove_file(dir.join("Get-CsVoiceRoute.json")).unwrap();
    let o = voicetwin(&["export", "--out", s(&dir)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_without_exports_or_with_both_products_is_refused() {
    let dir = scratch("empty");
    let o = voicetwin(&["import", s(&dir), "--out", s(&dir.join("m.toml"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no cmdlet exports"), "{}", stderr(&o));
    std::fs::write(dir.join("Get-CsVoiceRoute.json"), "[]").unwrap();
    std::fs::write(dir.join("Get-CsOnlineVoiceRoute.json"), "[]").unwrap();
    let o = voicetwin(&["import", s(&dir), "--out", s(&dir.join("m.toml"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format"), "{}", stderr(&o));
    assert!(!dir.join("m.toml").exists());
    let o = voicetwin(&["import", s(&dir.join("missing")), "--out", s(&dir.join("m.toml"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn broken_json_names_the_file() {
    let dir = scratch("broken");
    std::fs::write(dir.join("Get-CsVoiceRoute.json"), "[{\"Identity\": ").unwrap();
    let o = voicetwin(&["import", s(&dir), "--out", s(&dir.join("m.toml")), "--format", "lync"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("Get-CsVoiceRoute.json") && e.contains("not JSON"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_unreadable_file_is_named_in_one_run() {
    let dir = scratch("two-broken");
    std::fs::write(dir.join("Get-CsVoiceRoute.json"), "[{\"Identity\": ").unwrap();
    std::fs::write(dir.join("Get-CsVoicePolicy.json"), "{\"Identity\": \"Global\",}").unwrap();
    std::fs::write(dir.join("Get-CsDialPlan.json"), "{\"Identity\": \"Global\", \"OptimizeDeviceDialing\": \"maybe\"}")
        .unwrap();
    let o = voicetwin(&["import", s(&dir), "--out", s(&dir.join("m.toml"))]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("3 problems"), "{e}");
    assert!(e.contains("Get-CsVoiceRoute.json: not JSON"), "{e}");
    assert!(e.contains("Get-CsVoicePolicy.json: not JSON"), "{e}");
    assert!(e.contains("Get-CsDialPlan.json: Global, property `OptimizeDeviceDialing`"), "{e}");
    assert!(!dir.join("m.toml").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_simulation_on_a_model_with_todos_says_its_figures_rest_on_placeholders() {
    let dir = scratch("todo-run");
    let text = std::fs::read_to_string("models/single-trunk-group.toml").unwrap();
    let text = text.replacen("[[peer]]", "# TODO e1_spans: placeholder: one E1 span\n[[peer]]", 1);
    let model = dir.join("m.toml");
    std::fs::write(&model, text).unwrap();
    let out = dir.join("run");
    let o = voicetwin(&["run", "single-trunk-group", "--model", s(&model), "--replications", "2", "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("1 value(s) left to fill") && e.contains("peer \"gw\", field `e1_spans`"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
