//! Every number has a range checked at load: values that used to panic,
//! hang or grow memory without bound are refused with exit status 2 and a
//! message naming the file, the object and the field (or the flag), and
//! values just inside the ranges are accepted.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use voicetwin::model::{load_str as load_model, Model};
use voicetwin::scenario::{builtin, load_for_model};

const CONTOSO: &str = include_str!("../models/contoso.toml");
const LOSS_MODEL: &str = include_str!("../models/single-trunk-group.toml");
const LOSS_SCENARIO: &str = include_str!("../scenarios/single-trunk-group.toml");

/// A scratch folder of this test process.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("voicetwin-ranges-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(name: &str, text: &str) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// `text` with one edit, which must apply.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "edit target not found: {from}");
    text.replacen(from, to, 1)
}

/// Runs the binary; a run that has not ended within a minute is a hang
/// (what these inputs used to cause), killed and failed.
fn voicetwin(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("voicetwin {args:?} did not end within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Exit status 2, no panic, and every needle in the message.
fn refused(o: &Output, needles: &[&str]) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(o.status.code(), Some(2), "{err}");
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in:\n{err}");
    }
}

/// A results folder of this test alone: a folder left by an earlier
/// process with the same id is removed first.
fn out_dir(name: &str) -> String {
    let dir = scratch().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir.display().to_string()
}

#[test]
fn a_mediation_pool_of_four_billion_servers_is_refused_by_every_command() {
    let path = write(
        "servers.toml",
        &edit(CONTOSO, "servers = 2\ncalls_per_server = 1500", "servers = 4294967295\ncalls_per_server = 1500"),
    );
    let model = path.to_str().unwrap();
    let needles = ["servers.toml", "mediation_pool \"med-red.contoso.com\"", "field `servers`", "between 1 and 100"];
    refused(&voicetwin(&["check", "--model", model]), &needles);
    let out = out_dir("servers-out");
    refused(&voicetwin(&["run", "busy-hour", "--model", model, "--out", &out]), &needles);
    refused(&voicetwin(&["whatif", "--model", model, "--out", &out]), &needles);
    refused(&voicetwin(&["plan", "--model", model, "--out", &out]), &needles);
}

#[test]
fn a_mediation_pool_at_its_largest_runs() {
    let text = edit(LOSS_MODEL, "servers = 2\ncalls_per_server = 1500", "servers = 100\ncalls_per_server = 10000");
    write("servers-100.toml", &text);
    let scenario = edit(LOSS_SCENARIO, "replications = 10", "replications = 2");
    let scenario = edit(&scenario, "model = \"single-trunk-group\"", "model = \"servers-100.toml\"");
    let path = write("servers-100-scenario.toml", &scenario);
    let o = voicetwin(&["run", path.to_str().unwrap(), "--out", &out_dir("servers-100-out"), "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Every server can fail on its own.
    let m = load_model(&text, "servers-100.toml").unwrap();
    let failures = "\n[[failure]]\nelement = \"mediation-server:*\"\nkind = \"random\"\nmtbf = \"1h\"\nmttr = \"5m\"\n";
    let sc = load_for_model(&format!("{scenario}{failures}"), "s.toml", &m).unwrap();
    assert_eq!(sc.failures.len(), 100);
    let r = voicetwin::sim::run_replication(&m, &sc, 0);
    assert!(r.calls > 0);
}

/// The scenario file `name` with one edit, run.
fn run_edited(name: &str, base: &str, from: &str, to: &str) -> Output {
    let path = write(name, &edit(base, from, to));
    voicetwin(&["run", path.to_str().unwrap(), "--out", &out_dir(&format!("{name}-out"))])
}

#[test]
fn rates_that_would_stop_the_clock_are_refused_at_load() {
    let o = run_edited("cph.toml", LOSS_SCENARIO, "erlangs = 20.34", "calls_per_hour = 1e15");
    refused(&o, &["cph.toml", "source \"users\"", "field `calls_per_hour`", "1e15", "3,600,000"]);
    let o = run_edited("bhca.toml", LOSS_SCENARIO, "erlangs = 20.34", "bhca_per_user = 1e15");
    refused(&o, &["bhca.toml", "source \"users\"", "field `bhca_per_user`", "1e15"]);
    let o = run_edited(
        "zero.toml",
        LOSS_SCENARIO,
        "holding = { exponential = \"180s\" }",
        "holding = { constant = \"0s\" }",
    );
    refused(&o, &["zero.toml", "source \"users\"", "field `holding`", "its mean \"0s\""]);
}

#[test]
fn two_billion_users_are_refused_in_the_model_the_scenario_names() {
    write("users.toml", &edit(LOSS_MODEL, "users = 1000", "users = 2147483648"));
    let o =
        run_edited("users-scenario.toml", LOSS_SCENARIO, "model = \"single-trunk-group\"", "model = \"users.toml\"");
    refused(
        &o,
        &["users-scenario.toml", "field `model`", "users.toml", "user_group \"users\"", "field `users`", "10,000,000"],
    );
}

#[test]
fn a_failure_every_microsecond_is_refused() {
    let failure = "\n[[failure]]\nelement = \"peer:gw\"\nkind = \"random\"\nmtbf = \"1us\"\nmttr = \"1us\"\n";
    let path = write("mtbf.toml", &format!("{LOSS_SCENARIO}{failure}"));
    let o = voicetwin(&["run", path.to_str().unwrap(), "--out", &out_dir("mtbf-out")]);
    refused(&o, &["mtbf.toml", "failure \"peer:gw\"", "field `mtbf`", "field `mttr`", "\"1us\""]);
}

#[test]
fn a_hop_latency_that_wraps_the_clock_is_refused() {
    let o = run_edited("hop.toml", LOSS_SCENARIO, "hop_latency = \"0s\"", "hop_latency = \"5000000000h\"");
    refused(&o, &["hop.toml", "[signalling]", "field `hop_latency`", "\"5000000000h\"", "\"10s\""]);
}

#[test]
fn every_bad_whatif_field_is_named_one_way() {
    // A value the validator refuses and one of the wrong type (refused
    // while reading) name the file, the section and the field alike.
    for (name, line, field) in [
        ("pairs-choice.toml", "pairs = \"some\"", "pairs"),
        ("pairs-type.toml", "pairs = 3", "pairs"),
        ("mode-choice.toml", "mode = \"loud\"", "mode"),
        ("k-type.toml", "k = \"two\"", "k"),
        ("unknown.toml", "bogus = 1", "bogus"),
    ] {
        let path = write(name, &format!("{LOSS_SCENARIO}\n[whatif]\n{line}\n"));
        let o = voicetwin(&["whatif", path.to_str().unwrap(), "--out", &out_dir(&format!("{name}-out"))]);
        let named = format!("{name}: [whatif], field `{field}`: ");
        refused(&o, &[&named]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("whatif."), "{line}: {err}");
    }
}

#[test]
fn a_missing_model_names_the_scenario_and_its_model_field() {
    let o = run_edited("lost.toml", LOSS_SCENARIO, "model = \"single-trunk-group\"", "model = \"nowhere.toml\"");
    refused(&o, &["lost.toml: the scenario, field `model`", "nowhere.toml", "cannot read the model file"]);
    // An invalid one, too.
    write("broken.toml", &edit(LOSS_MODEL, "e1_spans = 1", "e1_spans = 0"));
    let o =
        run_edited("broken-scenario.toml", LOSS_SCENARIO, "model = \"single-trunk-group\"", "model = \"broken.toml\"");
    refused(
        &o,
        &["broken-scenario.toml: the scenario, field `model`", "broken.toml", "peer \"gw\"", "field `e1_spans`"],
    );
}

#[test]
fn flags_are_checked_against_the_files_ranges() {
    let out = out_dir("flags-out");
    let o = voicetwin(&["run", "single-trunk-group", "--replications", "1000000000", "--out", &out]);
    refused(&o, &["--replications 1000000000", "100,000"]);
    let o =
        voicetwin(&["run", "single-trunk-group", "--precision", "0.1", "--max-replications", "1000000", "--out", &out]);
    refused(&o, &["--max-replications", "100,000"]);
    let o = voicetwin(&["run", "single-trunk-group", "--load-factor", "1e308", "--out", &out]);
    refused(&o, &["--load-factor 1e308", "1,000"]);
    let o = voicetwin(&["plan", "single-trunk-group", "--growth", "1,1e308", "--out", &out]);
    refused(&o, &["--growth 1e308", "1,000"]);
}

#[test]
fn a_load_factor_is_checked_on_the_scaled_scenario() {
    // 833 calls a second: inside the bounds, but not twice over.
    let text = edit(LOSS_SCENARIO, "erlangs = 20.34", "calls_per_hour = 3000000");
    let text = edit(&text, "holding = { exponential = \"180s\" }", "holding = { constant = \"1s\" }");
    let text = edit(&text, "duration = \"24h\"", "duration = \"2h\"");
    let path = write("fast.toml", &text);
    let out = out_dir("fast-out");
    let o = voicetwin(&["run", path.to_str().unwrap(), "--load-factor", "2", "--out", &out]);
    refused(&o, &["--load-factor 2", "fast.toml", "source \"users\"", "field `calls_per_hour`", "1,000 a second"]);
    let o = voicetwin(&["plan", path.to_str().unwrap(), "--growth", "1,2", "--out", &out]);
    refused(&o, &["--growth 2", "source \"users\"", "field `calls_per_hour`"]);
    // The library's own check says the same.
    let m = Model::contoso();
    let sc = load_for_model(builtin("busy-hour").unwrap(), "busy-hour", &m).unwrap();
    assert!(sc.clone().scale_load(f64::INFINITY).is_err());
    let e = sc.clone().scale_load(1e6).unwrap_err();
    assert!(e.contains("source \""), "{e}");
}

#[test]
fn too_many_threads_are_capped_with_a_note() {
    let o = voicetwin(&[
        "run",
        "single-trunk-group",
        "--replications",
        "2",
        "--threads",
        "10000",
        "--out",
        &out_dir("threads-out"),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("--threads 10000: this machine has") && err.contains("; using "), "{err}");
}

#[test]
fn a_long_run_says_how_many_calls_it_simulates_before_it_starts() {
    use std::io::{BufRead, BufReader};
    let text = edit(LOSS_SCENARIO, "erlangs = 20.34", "calls_per_hour = 3600000");
    let text = edit(&text, "holding = { exponential = \"180s\" }", "holding = { constant = \"1s\" }");
    let text = edit(&text, "duration = \"24h\"", "duration = \"27h\"");
    let path = write("long.toml", &text);
    let out = out_dir("long-out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["run", path.to_str().unwrap(), "--replications", "1", "--out", &out])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap()).read_line(&mut line).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        line.trim_end(),
        "simulating ~9.7e7 calls (1 replication of ~9.7e7), roughly 3 min on 1 thread; Ctrl-C to stop"
    );
}

fn loss() -> Model {
    load_model(LOSS_MODEL, "single-trunk-group.toml").unwrap()
}

/// The loss scenario with edits, validated against `m`.
fn scenario(m: &Model, edits: &[(&str, &str)]) -> Result<voicetwin::scenario::Scenario, String> {
    let text = edits.iter().fold(LOSS_SCENARIO.to_owned(), |t, (from, to)| edit(&t, from, to));
    load_for_model(&text, "edited.toml", m).map_err(|e| e.to_string())
}

#[test]
fn values_just_inside_the_ranges_are_accepted() {
    let m = loss();
    let fast = [
        ("erlangs = 20.34", "calls_per_hour = 3600000"),
        ("holding = { exponential = \"180s\" }", "holding = { constant = \"1s\" }"),
    ];
    for edits in [
        vec![("replications = 10", "replications = 100000")],
        vec![("hop_latency = \"0s\"", "hop_latency = \"10s\""), ("pstn_setup = \"0s\"", "pstn_setup = \"10m\"")],
        vec![("duration = \"24h\"", "duration = \"100000h\""), ("bucket = \"1h\"", "bucket = \"1000h\"")],
        vec![("erlangs = 20.34", "erlangs = 100000")],
        vec![("holding = { exponential = \"180s\" }", "holding = { exponential = \"24h\" }")],
        // 3.6 million calls an hour for 27 hours: 97 million calls.
        [fast.as_slice(), &[("duration = \"24h\"", "duration = \"27h\"")]].concat(),
    ] {
        scenario(&m, &edits).unwrap_or_else(|e| panic!("{edits:?}: {e}"));
    }
    let failure = "\n[[failure]]\nelement = \"peer:gw\"\nkind = \"random\"\nmtbf = \"1s\"\nmttr = \"1s\"\n";
    let text = edit(LOSS_SCENARIO, "duration = \"24h\"", "duration = \"50h\"");
    load_for_model(&format!("{text}{failure}"), "f.toml", &m).unwrap();
    // The model's largest values.
    for (from, to) in [
        ("users = 1000", "users = 10000000"),
        ("e1_spans = 1", "e1_spans = 1000\nt1_spans = 1000\nchannels = 1000000"),
        ("servers = 2\ncalls_per_server = 1500", "servers = 100\ncalls_per_server = 10000"),
    ] {
        load_model(&edit(LOSS_MODEL, from, to), "edited-model.toml").unwrap_or_else(|e| panic!("{to}: {e}"));
    }
}

#[test]
fn the_work_of_a_replication_is_counted_and_bounded() {
    let m = loss();
    let fast = [
        ("erlangs = 20.34", "calls_per_hour = 3600000"),
        ("holding = { exponential = \"180s\" }", "holding = { constant = \"1s\" }"),
    ];
    let sc = scenario(&m, &[fast.as_slice(), &[("duration = \"24h\"", "duration = \"27h\"")]].concat()).unwrap();
    let w = sc.work();
    assert!((w.calls - 97.2e6).abs() < 1.0, "{w:?}");
    assert_eq!(w.calls, w.attempts, "no redials");
    assert!((w.erlangs - 1000.0).abs() < 1e-6, "{w:?}");
    // An hour more is past the bound, and the message says how much.
    let e = scenario(&m, &[fast.as_slice(), &[("duration = \"24h\"", "duration = \"28h\"")]].concat()).unwrap_err();
    for needle in ["the scenario, field `duration`", "~1.0e8 calls", "at most 100,000,000"] {
        assert!(e.contains(needle), "missing {needle:?} in {e}");
    }
    // Redials count as the attempts they could be.
    let redials = "finite_sources = false\nretry_probability = 0.5\nmax_redials = 2\ndial";
    let sc = scenario(&m, &[("finite_sources = false\ndial", redials)]).unwrap();
    let w = sc.work();
    assert!((w.attempts / w.calls - 1.75).abs() < 1e-12, "{w:?}");
    // Offered Erlangs beyond the bound, from a rate within its own.
    let e =
        scenario(&m, &[("erlangs = 20.34", "calls_per_hour = 3600000"), ("duration = \"24h\"", "duration = \"2h\"")])
            .unwrap_err();
    assert!(e.contains("field `source`") && e.contains("Erlangs"), "{e}");
}

#[test]
fn every_unbounded_field_of_a_scenario_names_its_field() {
    let m = loss();
    for (from, to, field) in [
        ("duration = \"24h\"", "duration = \"200000h\"", "duration"),
        ("bucket = \"1h\"", "bucket = \"1ms\"", "bucket"),
        ("pstn_setup = \"0s\"", "pstn_setup = \"1h\"", "pstn_setup"),
        ("erlangs = 20.34", "erlangs = -1", "erlangs"),
        ("erlangs = 20.34", "erlangs = nan", "erlangs"),
        ("answer_probability = 1.0", "answer_probability = 1.5", "answer_probability"),
        ("ring_time = { constant = \"0s\" }", "ring_time = { constant = \"2h\" }", "ring_time"),
        (
            "holding = { exponential = \"180s\" }",
            "holding = { lognormal = { mean = \"180s\", sd = \"48h\" } }",
            "holding",
        ),
        ("dial = [{ template = \"NXXNXXXXXX\" }]", "dial = [{ template = \"NXXNXXXXXX\", weight = 1e300 }]", "dial"),
    ] {
        let e = scenario(&m, &[(from, to)]).unwrap_err();
        assert!(e.contains(&format!("field `{field}`")), "{to}: {e}");
    }
}

#[test]
fn the_shipped_examples_are_inside_every_range() {
    let m = Model::contoso();
    for name in ["busy-hour", "gateway-failover", "n-minus-1"] {
        load_for_model(builtin(name).unwrap(), name, &m).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    load_for_model(LOSS_SCENARIO, "single-trunk-group", &loss()).unwrap();
}

#[test]
fn every_bad_field_of_a_source_is_reported_at_once() {
    let m = loss();
    let e = scenario(
        &m,
        &[
            ("erlangs = 20.34", "erlangs = 1e9\nretry_probability = 2\nmax_redials = 500"),
            ("answer_probability = 1.0", "answer_probability = 1.5"),
        ],
    )
    .unwrap_err();
    for field in ["`erlangs`", "`answer_probability`", "`retry_probability`", "`max_redials`"] {
        assert!(e.contains(field), "{field} missing from:\n{e}");
    }
}
