//! Honest statistics: the grade of service is the ratio of totals over
//! replications (unbiased however short the window), its 95% interval
//! covers the truth about 95% of the time even with two blocked calls
//! per replication, nothing observed still has an upper bound, and no
//! figure of any results file has a bound outside its range.

use voicetwin::analysis::erlang::{erlang_b, offered_for};
use voicetwin::analysis::results::Results;
use voicetwin::analysis::run::replications;
use voicetwin::model::{load_str as load_model, Model};
use voicetwin::scenario::{builtin, load_for_model, Scenario};

fn gateway(channels: u32) -> Model {
    let text =
        include_str!("../models/single-trunk-group.toml").replace("e1_spans = 1", &format!("channels = {channels}"));
    load_model(&text, "stg.toml").unwrap()
}

/// The single-trunk-group scenario (Poisson, 180 s calls) at `erlangs`,
/// `warm_up` then `measured`, `reps` replications, `seed`.
fn loss(m: &Model, erlangs: f64, warm_up: &str, duration: &str, reps: u32, seed: u64) -> Scenario {
    let text = builtin("single-trunk-group")
        .unwrap()
        .replace("erlangs = 20.34", &format!("erlangs = {erlangs}"))
        .replace("duration = \"24h\"", &format!("duration = \"{duration}\""))
        .replace("warm_up = \"1h\"", &format!("warm_up = \"{warm_up}\""))
        .replace("replications = 10", &format!("replications = {reps}"))
        .replace("seed = 2013", &format!("seed = {seed}"));
    load_for_model(&text, "loss.toml", m).unwrap()
}

#[test]
fn a_short_window_is_unbiased_against_erlang_b() {
    // An E1 offered 20.34 E (Erlang B 1.001%) measured for 10 minutes
    // after an hour's warm-up: 68 calls and 0.7 blocked per replication,
    // so most replications block nothing and their ratios are skewed.
    let m = gateway(30);
    let sc = loss(&m, 20.34, "1h", "70m", 6000, 7);
    let reps = replications(&m, &sc, 0).unwrap();
    let gos = Results::of(&m, &sc, &reps).grade_of_service().unwrap();
    let theory = erlang_b(30, 20.34);
    assert!(gos.contains(theory), "Erlang B {theory:.5} outside {gos:?}");
    // The mean of the per-replication ratios is biased low, outside the
    // interval: the estimator is what matters.
    let ratios: Vec<f64> = reps
        .iter()
        .filter(|r| r.counts.pstn().offered > 0)
        .map(|r| r.counts.pstn().blocked as f64 / r.counts.pstn().offered as f64)
        .collect();
    let mean_of_ratios = ratios.iter().sum::<f64>() / reps.len() as f64;
    assert!(mean_of_ratios < gos.ci95_low, "mean of ratios {mean_of_ratios:.5}, pooled {gos:?}");
}

/// Of `experiments` independent runs of `reps` replications (`measured`
/// after a half-hour warm-up), how many 95% intervals hold Erlang B.
fn coverage(channels: u32, target: f64, measured_h: u32, reps: u32, experiments: u64) -> (u64, u64) {
    let m = gateway(channels);
    let erlangs = offered_for(channels, target);
    let theory = erlang_b(channels, erlangs);
    let duration = format!("{}m", 30 + 60 * measured_h);
    let (mut covered, mut naive) = (0, 0);
    for seed in 0..experiments {
        let sc = loss(&m, erlangs, "30m", &duration, reps, 1000 + seed);
        let reps = replications(&m, &sc, 1).unwrap();
        let gos = Results::of(&m, &sc, &reps).grade_of_service().unwrap();
        assert!(gos.ci95_low >= 0.0 && gos.ci95_high <= 1.0 && gos.ci95_high > 0.0, "{gos:?}");
        covered += u64::from(gos.contains(theory));
        // For comparison, what a Student-t interval on the mean of the
        // replications' ratios does with the same replications.
        let ratios: Vec<f64> =
            reps.iter().map(|r| r.counts.pstn().blocked as f64 / r.counts.pstn().offered.max(1) as f64).collect();
        let ratios: voicetwin::analysis::stats::Values = ratios.into_iter().collect();
        naive += u64::from(voicetwin::analysis::stats::Estimate::difference(&ratios).contains(theory));
    }
    eprintln!(
        "{channels} channels at {target}: {covered} of {experiments} intervals hold Erlang B {theory:.5} \
         (Student t on the mean of ratios: {naive})"
    );
    (covered, experiments)
}

#[test]
fn intervals_cover_erlang_b_at_one_percent_with_two_blocked_calls_per_replication() {
    // 10 channels at 4.46 E, 2 h: about 180 calls and 1.8 blocked per
    // replication, ten replications per experiment.
    let (covered, n) = coverage(10, 0.01, 2, 10, 200);
    assert!(covered * 100 >= 90 * n, "{covered} of {n} intervals hold Erlang B");
}

#[test]
fn intervals_cover_erlang_b_at_a_tenth_of_a_percent() {
    // 10 channels at 0.1%: most replications block nothing at all.
    let (covered, n) = coverage(10, 0.001, 2, 10, 200);
    assert!(covered * 100 >= 90 * n, "{covered} of {n} intervals hold Erlang B");
}

#[test]
fn nothing_blocked_is_not_blocking_exactly_zero() {
    // 60 channels at 5 E: Erlang B is 1e-40; no call is blocked.
    let m = gateway(60);
    let sc = loss(&m, 5.0, "10m", "2h", 5, 3);
    let reps = replications(&m, &sc, 2).unwrap();
    let offered: u64 = reps.iter().map(|r| r.counts.pstn().offered).sum();
    let results = Results::of(&m, &sc, &reps);
    let gos = results.grade_of_service().unwrap();
    assert_eq!((gos.mean, gos.ci95_low), (0.0, 0.0));
    // The exact binomial bound over every call offered: about 3.7 / n.
    let bound = 1.0 - 0.025f64.powf(1.0 / offered as f64);
    assert!((gos.ci95_high - bound).abs() < 1e-9 && gos.ci95_high > 0.0, "{gos:?}, {offered} calls");
    let blocked = voicetwin::analysis::figures::count(&results.counts.pstn.blocked);
    assert!(blocked.ci95_high > 0.0 && blocked.ci95_high < 1.0, "{blocked:?}");
}

/// Checks every `{mean, ci95_low, ci95_high}` under `v` (`key` the field
/// holding it): the mean inside its interval; unless a paired
/// difference, nothing below zero, and shares at most one.
fn check_estimates(v: &serde_json::Value, path: &str, key: &str, checked: &mut usize) {
    use serde_json::Value;
    match v {
        Value::Object(o) if o.contains_key("ci95_low") => {
            let f = |k: &str| o[k].as_f64().unwrap_or_else(|| panic!("{path}.{k} is not a number"));
            let (m, lo, hi) = (f("mean"), f("ci95_low"), f("ci95_high"));
            assert!(lo <= m && m <= hi, "{path}: {lo} <= {m} <= {hi}");
            let difference = path.contains("failure_impact")
                || key.contains("_delta")
                || key.ends_with("_difference")
                || (path.contains(".results[") && ["calls_lost", "blocked", "dropped"].contains(&key));
            let share = key.contains("grade_of_service")
                || key.ends_with("_share")
                || ["caller_loss", "today_rejected", "worst_blocked_full"].contains(&key)
                || (key == "blocked_full" && path.contains(".cases["))
                || (key == "utilization" && !path.contains(".links["));
            if !difference {
                assert!(lo >= 0.0, "{path}: a count or share below zero: {lo}");
                if share {
                    assert!(hi <= 1.0, "{path}: a share above one: {hi}");
                }
            }
            *checked += 1;
        }
        Value::Object(o) => {
            for (k, x) in o {
                check_estimates(x, &format!("{path}.{k}"), k, checked);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                check_estimates(x, &format!("{path}[{i}]"), key, checked);
            }
        }
        _ => {}
    }
}

fn voicetwin(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().unwrap()
}

#[test]
fn no_results_file_has_a_bound_outside_its_range() {
    let base = std::env::temp_dir().join(format!("voicetwin-ranges-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let runs: [(&str, &[&str]); 5] = [
        ("summary.json", &["run", "busy-hour", "--replications", "3"]),
        ("summary.json", &["run", "gateway-failover", "--replications", "3"]),
        ("whatif.json", &["whatif", "--replications", "2", "--elements", "peer,mediation-pool"]),
        ("plan.json", &["plan", "busy-hour", "--replications", "3", "--min-mos", "4.3"]),
        ("plan.json", &["plan", "single-trunk-group", "--replications", "2", "--growth", "1,1.3", "--n-minus-1"]),
    ];
    for (i, (file, args)) in runs.iter().enumerate() {
        let dir = base.join(i.to_string());
        let out = voicetwin(&[args, &["--out", dir.to_str().unwrap()][..]].concat());
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        let mut checked = 0;
        check_estimates(&v, file, "", &mut checked);
        assert!(checked >= 10, "{file}: only {checked} estimates");
    }
    let _ = std::fs::remove_dir_all(&base);
}
