//! Fuzzing the command as a hostile user would: model and scenario files
//! with fields replaced by extreme, empty, mistyped or duplicated values,
//! and command lines with such flag values. Whatever the input, voicetwin
//! ends within a time bound with exit 0 or 2, never a panic.
//!
//! The cases are drawn by proptest; CI fixes the seed (`.ci/run` sets
//! `PROPTEST_RNG_SEED`), a local run without it explores new ones.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use toml::Value;

/// Far above what any accepted input of these small cases needs.
const TIME_BOUND: Duration = Duration::from_secs(60);

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("voicetwin-fuzz-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the command with a time bound: its exit code and stderr, or a
/// failure of the property (a hang, a crash, a panic).
fn bounded(args: &[String]) -> Result<(i32, String), String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    // Read as it comes: a message longer than the pipe holds (a hostile
    // name repeated in every problem) would otherwise block the child.
    let mut pipe = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = std::io::Read::read_to_end(&mut pipe, &mut bytes);
        bytes
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > TIME_BOUND {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no end within {TIME_BOUND:?}: {args:?}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    let code = status.code().ok_or_else(|| format!("killed by a signal: {args:?}\n{stderr}"))?;
    if !(code == 0 || code == 2) || stderr.contains("panicked") {
        return Err(format!("exit {code}: {args:?}\n{stderr}"));
    }
    if code == 2 && !stderr.starts_with("error: ") {
        return Err(format!("exit 2 without an error message: {args:?}\n{stderr}"));
    }
    Ok((code, stderr))
}

/// A step into a TOML document.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every value's path in the document, leaves and containers alike.
fn paths(v: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match v {
        Value::Table(t) => {
            for (k, child) in t {
                at.push(Step::Key(k.clone()));
                paths(child, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                at.push(Step::Index(i));
                paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, s| match (s, v) {
        (Step::Key(k), Value::Table(t)) => t.get_mut(k),
        (Step::Index(i), Value::Array(a)) => a.get_mut(*i),
        _ => None,
    })
}

/// Values a careless or hostile user might type in any field.
fn hostile(k: usize, like: &Value, names: &[String]) -> Value {
    const INTS: [i64; 12] = [0, -1, 1, 2, 255, 65_535, 1_000_000, 4_294_967_295, 4_294_967_296, i64::MAX, i64::MIN, 30];
    const FLOATS: [f64; 10] = [0.0, -0.0, -1.0, 1e-300, 0.5, 1e15, 1e308, f64::INFINITY, f64::NAN, 1.0000001];
    const STRINGS: [&str; 18] = [
        "",
        "x",
        "0",
        "1us",
        "0s",
        "5000000000h",
        "-1s",
        "1e308s",
        "(",
        "^(?:(1|1)*(?!1)2|1+3)$",
        "$1$2$99",
        "\u{0}",
        "+",
        "^(\\d+)+$",
        "E1",
        "T1",
        "G.711",
        "999999999999d",
    ];
    match k % 6 {
        0 => Value::Integer(INTS[(k / 6) % INTS.len()]),
        1 => Value::Float(FLOATS[(k / 6) % FLOATS.len()]),
        2 => Value::String(STRINGS[(k / 6) % STRINGS.len()].into()),
        // Another object's name: references to the wrong kind of object.
        3 if !names.is_empty() => Value::String(names[(k / 6) % names.len()].clone()),
        // The same type, scaled to an extreme.
        _ => match like {
            Value::Integer(i) => Value::Integer(i.saturating_mul(if k % 2 == 0 { 1_000_000 } else { -1 })),
            Value::Float(f) => Value::Float(f * if k % 2 == 0 { 1e12 } else { -1.0 }),
            Value::String(s) => Value::String(s.repeat(if k % 2 == 0 { 2000 } else { 0 })),
            Value::Boolean(b) => Value::Boolean(!b),
            other => other.clone(),
        },
    }
}

/// One edit of a document.
#[derive(Clone, Debug)]
struct Edit {
    path: usize,
    kind: usize,
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec((any::<usize>(), any::<usize>()).prop_map(|(path, kind)| Edit { path, kind }), 1..4)
}

/// Applies the edits: replace a value, empty or grow an array, drop a key.
/// Returns the edited text and whether an edit could scale the work.
fn mutate(text: &str, edits: &[Edit]) -> (String, bool) {
    let mut doc: Value = Value::Table(text.parse().expect("the base file parses"));
    let mut names = vec![];
    let mut all = vec![];
    paths(&doc, &mut vec![], &mut all);
    for p in &all {
        if let (Some(Step::Key(k)), Some(Value::String(s))) = (p.last(), get_mut(&mut doc.clone(), p).cloned()) {
            if k == "name" || k == "fqdn" {
                names.push(s);
            }
        }
    }
    let mut scales = false;
    for e in edits {
        let mut all = vec![];
        paths(&doc, &mut vec![], &mut all);
        let path = &all[e.path % all.len()];
        let key = path.iter().rev().find_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        });
        scales |= key.is_some_and(|k| SCALES_WORK.contains(&k));
        let Some(v) = get_mut(&mut doc, path) else { continue };
        match (e.kind % 8, &mut *v) {
            (6, Value::Array(a)) if !a.is_empty() => {
                let first = a[0].clone();
                a.extend(std::iter::repeat_n(first, 1 + e.kind % 3));
            }
            (7, Value::Array(a)) => a.clear(),
            (7, Value::Table(t)) if !t.is_empty() => {
                let k = t.keys().nth(e.kind % t.len()).cloned().unwrap_or_default();
                t.remove(&k);
            }
            (_, Value::Table(_) | Value::Array(_)) if path.is_empty() => {}
            _ => *v = hostile(e.kind / 8, v, &names),
        }
    }
    (toml::to_string(&doc).unwrap_or_default(), scales)
}

/// Fields whose legitimate values multiply the work of a run (the number
/// of calls, their length, the replications): a fuzzed run is only timed
/// when none was edited. Their bounds are checked in tests/input_ranges.rs.
const SCALES_WORK: [&str; 15] = [
    "users",
    "calls_per_hour",
    "bhca_per_user",
    "erlangs",
    "duration",
    "replications",
    "max_replications",
    "precision",
    "relative",
    "absolute",
    "holding",
    "mean",
    "sd",
    "source",
    "exponential",
];

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

/// The contoso failover scenario, shortened so a fuzzed run is quick.
fn short_failover() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/gateway-failover.toml"))
        .unwrap()
        .replacen("duration = \"1h\"", "duration = \"10m\"", 1)
        .replacen("warm_up = \"10m\"", "warm_up = \"1m\"", 1)
        .replacen("replications = 10", "replications = 1", 1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// A fuzzed model: `check` ends with 0 or 2; when it is valid, a short
    /// failover run on it ends too.
    #[test]
    fn fuzzed_models_are_checked_and_run(e in edits()) {
        let dir = scratch("model");
        let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/models/contoso.toml")).unwrap();
        let (text, scales) = mutate(&base, &e);
        let model = write(&dir, "model.toml", &text);
        let (code, _) = bounded(&["check".into(), "--model".into(), model.clone()]).map_err(TestCaseError::fail)?;
        if code == 0 && !scales {
            let sc = write(&dir, "scenario.toml", &short_failover());
            let out = dir.join("out").to_str().unwrap().to_owned();
            let args = ["run", &sc, "--model", &model, "--out", &out, "--threads", "1"];
            bounded(&args.map(String::from)).map_err(TestCaseError::fail)?;
        }
    }

    /// A fuzzed scenario: the run ends with 0 or 2.
    #[test]
    fn fuzzed_scenarios_run_or_are_refused(e in edits()) {
        let dir = scratch("scenario");
        let (text, scales) = mutate(&short_failover(), &e);
        let sc = write(&dir, "scenario.toml", &text);
        let out = dir.join("out").to_str().unwrap().to_owned();
        let (code, stderr) = if scales {
            // Only loaded: `whatif` refuses `--k 3` once the scenario is.
            bounded(&["whatif".into(), sc, "--k".into(), "3".into(), "--out".into(), out])
                .map_err(TestCaseError::fail)?
        } else {
            bounded(&["run".into(), sc, "--out".into(), out, "--threads".into(), "1".into()]).map_err(TestCaseError::fail)?
        };
        prop_assert!(code == 0 || stderr.contains("scenario.toml") || stderr.contains("--"), "{stderr}");
    }

    /// Hostile flag values on every command.
    #[test]
    fn fuzzed_command_lines_end_with_0_or_2(cmd in 0usize..12, flag in 0usize..64, value in 0usize..64) {
        const VALUES: [&str; 16] = [
            "0", "-1", "1e308", "nan", "inf", "-0", "4294967296", "18446744073709551616", "", "abc", "1e-300",
            "2", "0.5", "64", "1,2,,3", "1e15",
        ];
        let dir = scratch("cli");
        let out = dir.join("out").to_str().unwrap().to_owned();
        let v = VALUES[value % VALUES.len()].to_owned();
        let base: Vec<&str> = match cmd {
            0 => vec!["run", "single-trunk-group"],
            1 => vec!["whatif", "n-minus-1", "--elements", "peer"],
            2 => vec!["plan", "single-trunk-group"],
            3 => vec!["sweep", "single-trunk-group", "--param", "scenario:source[users].erlangs=15,20"],
            4 => vec!["route", "--user", "redmond-staff", "--dial"],
            5 => vec!["rule", "--translation", "+$1", "--pattern"],
            6 => vec!["qos", "--codec", "G.711"],
            7 => vec!["route", "--from-trunk", "gw-red-1", "--dial", "+14255550100", "--calling"],
            8 => vec!["sweep", "single-trunk-group", "--param"],
            9 => vec!["rule", "--pattern", "^(\\d+)$", "--translation"],
            10 => vec!["check", "--model"],
            _ => vec!["report"],
        };
        let flags: &[&str] = match cmd {
            0..=3 => &["--replications", "--threads", "--seed", "--precision", "--precision-floor", "--max-replications", "--load-factor", "--growth", "--target-gos", "--min-mos", "--voice-share", "--k"],
            6 => &["--delay-ms", "--loss-pct", "--burst-ratio"],
            _ => &[""],
        };
        let mut args: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        let f = flags[flag % flags.len()];
        if f.is_empty() {
            // The command's last word takes the value.
            let candidates = [v.clone(), "^(?:(1|1)*(?!1)2|1+3)$".into(), "model:peer[gw].e1_spans=".into(), "9".repeat(5000), "/proc/nope".into(), "(".into()];
            args.push(candidates[flag % candidates.len()].clone());
            if cmd == 5 || cmd == 9 {
                args.extend(["+1425".into(), "1111111111111111111111111111113".into()]);
            }
        } else {
            args.extend([f.to_owned(), v]);
        }
        if cmd <= 3 {
            args.extend(["--replications".into(), "2".into(), "--out".into(), out]);
            if f == "--replications" {
                // The fuzzed value replaces the default of 2.
                let n = args.len();
                args.drain(n - 4..n - 2);
            }
        }
        bounded(&args).map_err(TestCaseError::fail)?;
    }
}
