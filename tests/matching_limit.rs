//! The matching limit is never a silent "no match": `rule` fails on it,
//! routing counts it, `route` says so, `check` flags the patterns that
//! can reach it, and the simulation reports its hits.

mod common;

use std::process::Command;

use common::*;
use voicetwin::analysis::run::run;
use voicetwin::analysis::summary::summarize;
use voicetwin::model::lint::lint;
use voicetwin::model::{load_str, Model};
use voicetwin::scenario::load_for_model;
use voicetwin::voice::{Router, TrunkStates};

/// .NET matches `1…13` by the second branch; a backtracking engine tries
/// 2^30 ways through the first.
const HARD: &str = r"^(?:(1|1)*(?!1)2|1+3)$";

fn ones() -> String {
    format!("{}3", "1".repeat(30))
}

fn voicetwin(args: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().unwrap();
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// The small network with `HARD` first in the HQ users' dial plan.
fn hard_rule_model() -> (String, Model) {
    let text = small_with(
        "  { name = \"5digitExtension\"",
        &format!(
            "  {{ name = \"Hard\", pattern = '{HARD}', translation = '+1425555$1' }},\n  {{ name = \"5digitExtension\""
        ),
    );
    let model = load_str(&text, "hard.toml").unwrap();
    (text, model)
}

#[test]
fn rule_reports_the_limit_and_exits_2() {
    let n = ones();
    let (code, out, err) = voicetwin(&["rule", "--pattern", HARD, "--translation", "x", &n, "13"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(out.contains(&format!("{n}  ->  (matching limit reached: no answer)")), "{out}");
    assert!(out.contains("13  ->  x"), "the other numbers still get their answer: {out}");
    assert!(err.contains(HARD) && err.contains(&n) && err.contains("matching limit"), "{err}");

    let (code, out, _) = voicetwin(&["rule", "--pattern", HARD, "--translation", "x", &n, "--format", "json"]);
    assert_eq!(code, Some(2));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["limit_reached"], true);
    assert_eq!(v[0]["matched"], false);
}

#[test]
fn routing_counts_a_normalization_rule_at_the_limit() {
    let (_, m) = hard_rule_model();
    let mut router = Router::new(&m);
    let states = TrunkStates::all_up(&m);
    let d = router.decide(user(&m, "hq"), &ones(), None, &states, 0);
    assert_eq!(d.limit_hits.count, 1);
    let hit = d.limit_hits.first.as_ref().unwrap();
    assert_eq!((hit.pattern.as_str(), hit.input.as_str()), (HARD, ones().as_str()));
    // The rule is passed over: the next rules decide.
    assert_ne!(d.normalized.rule, Some(0));
    let quiet = router.decide(user(&m, "hq"), "5550100", None, &states, 0);
    assert!(quiet.limit_hits.is_empty());
    router.decide(user(&m, "hq"), &ones(), None, &states, 0);
    assert_eq!(router.limit_hits().count, 2, "the router keeps the total");
}

#[test]
fn routing_counts_a_route_pattern_at_the_limit() {
    let text = small_with(r"number_pattern = '^\+1\d{10}$'", r"number_pattern = '^\+(?:(1|1)*(?!1)2|1+3)$'");
    let m = load_str(&text, "hard-route.toml").unwrap();
    let number = format!("+{}", ones());
    let d = decide(&m, user(&m, "hq"), &number);
    assert_eq!(d.limit_hits.count, 1);
    assert_eq!(d.limit_hits.first.unwrap().input, number);
}

#[test]
fn route_explains_the_limit() {
    let (text, _) = hard_rule_model();
    let dir = std::env::temp_dir().join(format!("voicetwin-limit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("hard.toml");
    std::fs::write(&path, text).unwrap();
    let model = path.to_str().unwrap();
    let n = ones();
    let (code, out, err) = voicetwin(&["route", "--model", model, "--user", "hq", "--dial", &n]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("MATCHING LIMIT REACHED") && out.contains(HARD), "{out}");
    let (_, out, _) = voicetwin(&["route", "--model", model, "--user", "hq", "--dial", &n, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["limit_hits"]["count"], 1);
    assert_eq!(v["limit_hits"]["first"]["pattern"], HARD);
}

#[test]
fn check_flags_patterns_that_can_reach_the_limit() {
    let (_, m) = hard_rule_model();
    let found = lint(&m);
    let risky: Vec<_> = found.iter().filter(|l| l.code == "backtracking-limit-risk").collect();
    assert_eq!(risky.len(), 1, "{found:#?}");
    assert_eq!(risky[0].object, "dial_plan \"Registrar:fe.hq.example.com\"");
    assert_eq!(risky[0].field, "normalization_rules[Hard].pattern");
    assert!(lint(&small()).iter().all(|l| l.code != "backtracking-limit-risk"));
}

#[test]
fn the_simulation_reports_limit_hits() {
    // Every long-distance attempt on gw2 meets a translation rule that
    // reaches the limit on any E.164 number.
    let text = small_with(
        r#"{ name = "Local7", pattern = '^\+1425(\d{7})$', translation = '$1' }"#,
        r#"{ name = "Local7", pattern = '^\+1(?:(\d|\d|\d|\d)*(?!\d)x|425(\d{7}))$', translation = '$2' }"#,
    );
    let m = load_str(&text, "hard-translation.toml").unwrap();
    let scenario = r#"
name = "limit hits"
model = "small"
duration = "40m"
warm_up = "10m"
replications = 2
seed = 7
bucket = "10m"

[[source]]
name = "hq"
user_group = "hq"
erlangs = 0.3
holding = { exponential = "180s" }
dial = [{ template = "2065550XXX" }]
"#;
    let sc = load_for_model(scenario, "limit.toml", &m).unwrap();
    // The command line warns before the run and heads its summary with the hits.
    let dir = std::env::temp_dir().join(format!("voicetwin-limit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("small.toml"), &text).unwrap();
    std::fs::write(dir.join("limit.toml"), scenario.replace("model = \"small\"", "model = \"small.toml\"")).unwrap();
    let out = dir.join("out");
    let (code, stdout, stderr) =
        voicetwin(&["run", dir.join("limit.toml").to_str().unwrap(), "--out", out.to_str().unwrap(), "--report"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("warning: 1 pattern(s) can reach the matching limit (trunk_configuration"), "{stderr}");
    assert!(stdout.contains("WARNING: A pattern reached the matching limit"), "{stdout}");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("reached the matching limit") && md.contains("+1206555"), "a finding of the report");
    let _ = std::fs::remove_dir_all(&dir);
    let summary = summarize(&m, &sc, &run(&m, &sc, 2).unwrap());
    let hits = &summary.pattern_limit_hits;
    assert!(hits.count > 0, "{hits:?}");
    let first = hits.first.as_ref().unwrap();
    assert!(first.pattern.contains(r"(\d|\d|\d|\d)*") && first.input.starts_with("+1206555"), "{first:?}");
    let json = serde_json::to_value(&summary).unwrap();
    assert_eq!(json["pattern_limit_hits"]["count"], hits.count);
    // A sweep counts them at each point: the point of today's scenario
    // has exactly the run's hits.
    let p = vec![voicetwin::analysis::sweep::Param::parse("scenario:replications=2,3").unwrap()];
    let r = voicetwin::analysis::sweep::run_sweep(&m, &sc, p, 1).unwrap();
    assert_eq!(r.points[0].pattern_limit_hits, hits.count);
    assert_eq!(r.points[1].replications, 3, "the swept replications hold");
    assert!(r.points[1].pattern_limit_hits >= hits.count, "the first two replications are the same");
    // A what-if counts the baseline's (the run's own) and every case's;
    // a plan, its confirming runs'.
    let mut wsc = sc.clone();
    wsc.whatif.classes = vec![voicetwin::scenario::ElementClass::parse("peer").unwrap()];
    let w = voicetwin::analysis::whatif::run_whatif(&m, &wsc, 1, &|_, _| {}).unwrap();
    assert!(w.pattern_limit_hits.count > hits.count, "{:?} after {}", w.pattern_limit_hits, hits.count);
    assert!(voicetwin::report::whatif::render(&w).contains("WARNING: A pattern reached the matching limit"));
    let o = voicetwin::analysis::plan::PlanOptions::new(0.01, &[1.0], 1);
    let plan = voicetwin::analysis::plan::plan(&m, &sc, &o).unwrap();
    assert!(plan.steps[0].pattern_limit_hits.count > 0, "{:?}", plan.steps[0].pattern_limit_hits);
    assert!(voicetwin::report::plan::render(&plan).contains("WARNING: A pattern reached the matching limit"));
}
