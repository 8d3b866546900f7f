//! A run's results: the terminal summary and the run folder
//! (`summary.json`, CSV time series, the scenario and model that ran).

use super::cells::csv_text;
use super::folder::{FolderError, ResultsFolder};
use std::fmt::Write as _;

use crate::analysis::results::{ElementSums, Results};
use crate::analysis::stats::Estimate;
use crate::analysis::summary::{ElementFigures, Summary};
use crate::model::Model;
use crate::scenario::Scenario;

use super::figure::{count as pm, share as pct};

fn element_rows(s: &mut String, title: &str, rows: &[ElementFigures]) {
    let used: Vec<&ElementFigures> = rows.iter().filter(|r| r.attempts.mean > 0.0).collect();
    if used.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\n{title:<24} {:>8} {:>24} {:>11} {:>8} {:>24} {:>24}",
        "capacity", "carried Erlangs", "utilization", "peak", "refused (overflow+lost)", "lost"
    );
    for r in used {
        let cap = r.capacity.map(|c| c.to_string()).unwrap_or_else(|| "-".into());
        let util = r.utilization.map(|u| format!("{:.1}%", u.mean * 100.0)).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            s,
            "{:<24} {:>8} {:>24} {:>11} {:>8.0} {:>24} {:>24}",
            r.name,
            cap,
            pm(&r.carried_erlangs),
            util,
            r.peak_occupancy.mean,
            pct(&r.rejected_share),
            pct(&r.lost_share)
        );
    }
}

/// The summary for a terminal.
pub fn render(sum: &Summary) -> String {
    let sc = &sum.scenario;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} replication(s) of {:.0} s ({:.0} s warm-up cut), seed {}, model {}{}",
        sc.name,
        sc.replications,
        sc.duration_s,
        sc.warm_up_s,
        sc.seed,
        sc.model,
        if sc.load_factor == 1.0 { String::new() } else { format!(", load x{}", sc.load_factor) }
    );
    if let Some(p) = &sum.precision {
        let _ = writeln!(
            s,
            "Precision {:.0}% (or {}): {} after {} replication(s); deciding figure: {}",
            p.relative * 100.0,
            p.absolute,
            if p.met { "reached" } else { "NOT reached" },
            p.replications,
            p.deciding_figure.as_deref().unwrap_or("-")
        );
    }
    if let Some(w) = sum.pattern_limit_hits.warning() {
        let _ = writeln!(s, "WARNING: {w}");
    }
    let _ = writeln!(s, "Figures per replication: mean [95% confidence interval].\n");
    let c = &sum.calls;
    for (label, e) in [
        ("offered", &c.offered),
        ("carried", &c.carried),
        ("blocked", &c.blocked),
        ("not authorized", &c.not_authorized),
        ("failed", &c.failed),
        ("dropped", &c.dropped),
        ("failed over", &c.failed_over),
        ("completed (answered)", &c.completed),
    ] {
        let _ = writeln!(s, "{label:<24} {:>24}", pm(e));
    }
    if c.redials.mean > 0.0 {
        let _ = writeln!(s, "{:<24} {:>24}", "  redials (of offered)", pm(&c.redials));
        let _ = writeln!(s, "{:<24} {:>24}", "  given up (of blocked)", pm(&c.given_up));
    }
    let _ = writeln!(s, "{:<24} {:>24}", "grade of service", pct(&sum.grade_of_service));
    let _ = writeln!(s, "  (blocked / offered of the calls needing the PSTN side, less not authorized)");
    if c.redials.mean > 0.0 {
        let _ = writeln!(s, "{:<24} {:>24}", "callers lost", pct(&sum.caller_loss));
    }
    if let (Some(mean), Some(p95)) = (&sum.pdd_ms.mean, &sum.pdd_ms.p95) {
        let _ = writeln!(s, "{:<24} {:>24}   p95 {:.0} ms", "post-dial delay (ms)", pm(mean), p95.mean);
    }
    if let (Some(mean), Some(p5), Some(poor)) = (&sum.mos.mean, &sum.mos.p5, &sum.mos.poor_share) {
        let _ = writeln!(
            s,
            "{:<24} {:>24}   p5 {:.2}, poor (< {}) {:.2}%",
            "MOS (E-model)",
            super::figure::interval(mean, 1.0, 2, ""),
            p5.mean,
            crate::analysis::findings::POOR_MOS,
            poor.mean * 100.0
        );
    }
    let _ = writeln!(s, "\n{:<24} {:>24} {:>24} {:>24}", "direction", "offered", "blocked", "grade of service");
    for d in sum.directions.iter().filter(|d| d.calls.offered.mean > 0.0) {
        let _ = writeln!(
            s,
            "{:<24} {:>24} {:>24} {:>24}",
            d.direction.label(),
            pm(&d.calls.offered),
            pm(&d.calls.blocked),
            pct(&d.grade_of_service)
        );
    }
    for (title, groups) in [("site", &sum.sites), ("source", &sum.sources)] {
        let _ = writeln!(
            s,
            "\n{:<24} {:>24} {:>24} {:>24}",
            format!("{title} (PSTN calls)"),
            "offered",
            "blocked",
            "grade of service"
        );
        for g in groups.iter().filter(|g| g.pstn_calls.offered.mean > 0.0) {
            let _ = writeln!(
                s,
                "{:<24} {:>24} {:>24} {:>24}",
                g.name,
                pm(&g.pstn_calls.offered),
                pm(&g.pstn_calls.blocked),
                pct(&g.grade_of_service)
            );
        }
    }
    element_rows(&mut s, "peer", &sum.peers);
    element_rows(&mut s, "trunk", &sum.trunks);
    element_rows(&mut s, "mediation pool", &sum.mediation_pools);
    if sum.cac.denials.mean > 0.0 {
        let c = &sum.cac;
        let _ = writeln!(
            s,
            "\ncall admission control: {} denials; {} trunk failovers, {} rerouted over the PSTN, {} to voice mail, {} failed",
            pm(&c.denials),
            pm(&c.trunk_failovers),
            pm(&c.rerouted_pstn),
            pm(&c.voicemail),
            pm(&c.failed)
        );
    }
    if sum.links.iter().any(|l| l.mean_kbps.mean > 0.0) {
        let _ = writeln!(
            s,
            "\n{:<24} {:>10} {:>24} {:>11} {:>10}",
            "WAN link", "kbps", "mean kbps", "utilization", "peak kbps"
        );
        for l in &sum.links {
            let _ = writeln!(
                s,
                "{:<24} {:>10} {:>24} {:>10.1}% {:>10.0}",
                l.name,
                l.bandwidth_kbps,
                pm(&l.mean_kbps),
                l.utilization.mean * 100.0,
                l.peak_kbps.mean
            );
        }
    }
    if !sum.failures.is_empty() {
        let _ = writeln!(
            s,
            "\n{:<24} {:>10} {:>14} {:>14} {:>14} {:>12} {:>12}",
            "failure", "episodes", "dropped", "attempts on it", "extra PDD (s)", "detect (s)", "recover (s)"
        );
        for f in &sum.failures {
            let opt = |e: &Option<Estimate>| e.map(|e| format!("{:.1}", e.mean)).unwrap_or_else(|| "-".into());
            let _ = writeln!(
                s,
                "{:<24} {:>10.1} {:>14} {:>14} {:>14} {:>12} {:>12}",
                f.name,
                f.episodes.mean,
                pm(&f.dropped),
                pm(&f.attempts_on_failed_element),
                pm(&f.extra_pdd_s),
                opt(&f.time_to_detect_s),
                opt(&f.time_to_recover_s)
            );
        }
    }
    if let Some(i) = &sum.failure_impact {
        let _ = writeln!(s, "\nImpact of the failures (paired with the same calls without them):");
        let _ = writeln!(s, "{:<24} {:>24}", "calls lost", pm(&i.calls_lost));
        let _ = writeln!(s, "{:<24} {:>24}", "  blocked", pm(&i.blocked));
        let _ = writeln!(s, "{:<24} {:>24}", "  dropped", pm(&i.dropped));
        let _ = writeln!(s, "{:<24} {:>24}", "grade of service", pct(&i.grade_of_service));
        let _ = writeln!(s, "{:<24} {:>24}", "mean PDD (ms)", pm(&i.pdd_mean_ms));
        for w in &i.windows {
            let _ = writeln!(
                s,
                "  {} ({:.0}-{:.0} s): blocked {} with, {} without, difference {}",
                w.failure,
                w.from_s,
                w.to_s,
                pm(&w.blocked_with),
                pm(&w.blocked_without),
                pm(&w.blocked_difference)
            );
        }
    }
    s
}

/// Every file a run folder may hold, checked before the run starts.
pub const FILES: [&str; 8] = [
    "summary.json",
    "scenario.toml",
    "model.toml",
    "timeseries.csv",
    "calls.csv",
    "mos.csv",
    "cac.csv",
    "timeline.csv",
];

/// Selects one kind of element's sums from a run's results.
type PickElements = fn(&Results) -> Vec<&ElementSums>;

/// Writes the run folder `dir`: `summary.json`, `timeseries.csv` (mean
/// occupancy of every peer, trunk and Mediation pool per bucket),
/// `calls.csv` (offered and blocked per bucket), `scenario.toml`,
/// `model.toml`.
pub fn write_folder(
    folder: &mut ResultsFolder,
    model: &Model,
    scenario: &Scenario,
    results: &Results,
    sum: &Summary,
) -> Result<(), FolderError> {
    let json = serde_json::to_string_pretty(sum).map_err(|e| FolderError::Io(e.to_string()))?;
    folder.write("summary.json", json + "\n")?;
    folder.write("scenario.toml", scenario.recorded_text("model.toml"))?;
    folder.write("model.toml", &model.text)?;

    if results.replications() == 0 {
        return Ok(());
    }
    let w = results.window;
    let bucket_s = w.bucket as f64 / 1e6;
    let mut ts = String::from("bucket_start_s,kind,element,capacity,mean_occupancy,ci95_low,ci95_high\n");
    use crate::analysis::figures;
    // Peers, trunks and pools count calls; WAN links count tenths of a
    // kbps, written in kbps (their series are kept in kbps).
    let groups: [(&str, Vec<String>, PickElements, f64); 4] = [
        ("peer", model.peers.iter().map(|p| p.name.clone()).collect(), |r| r.peers.iter().collect(), 1.0),
        ("trunk", model.trunks.iter().map(|t| t.name.clone()).collect(), |r| r.trunks.iter().collect(), 1.0),
        (
            "mediation-pool",
            model.mediation_pools.iter().map(|p| p.fqdn.clone()).collect(),
            |r| r.mediation_pools.iter().collect(),
            1.0,
        ),
        (
            "wan-link",
            model.links.iter().map(|l| l.name.clone()).collect(),
            |r| r.links.iter().map(|l| &l.occupancy).collect(),
            0.1,
        ),
    ];
    for (kind, names, pick, scale) in &groups {
        let elements = pick(results);
        for (i, name) in names.iter().enumerate() {
            let cap = elements[i].figures.capacity.map(|c| (f64::from(c) * scale).to_string()).unwrap_or_default();
            for b in 0..w.buckets() {
                let e = figures::level(&elements[i].per_bucket[b]);
                let _ = writeln!(
                    ts,
                    "{},{kind},{},{cap},{:.4},{:.4},{:.4}",
                    b as f64 * bucket_s,
                    csv_text(name),
                    e.mean,
                    e.ci95_low,
                    e.ci95_high
                );
            }
        }
    }
    folder.write("timeseries.csv", ts)?;

    let mut calls = String::from(
        "bucket_start_s,offered,offered_ci95_low,offered_ci95_high,blocked,blocked_ci95_low,blocked_ci95_high,\
         grade_of_service,grade_of_service_ci95_low,grade_of_service_ci95_high\n",
    );
    for b in 0..w.buckets() {
        if (b as u64 + 1) * w.bucket <= w.warm_up {
            // Wholly in the warm-up: nothing is measured there.
            let _ = writeln!(calls, "{},0,0,0,0,0,0,,,", b as f64 * bucket_s);
            continue;
        }
        let calls_in = &results.calls_per_bucket[b];
        let o = figures::count(&calls_in.offered);
        let k = figures::count(&calls_in.blocked);
        let g = Estimate::proportion(&calls_in.grade_of_service)
            .map(|g| format!("{:.6},{:.6},{:.6}", g.mean, g.ci95_low, g.ci95_high))
            .unwrap_or_else(|| ",,".into());
        let _ = writeln!(
            calls,
            "{},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3},{g}",
            b as f64 * bucket_s,
            o.mean,
            o.ci95_low,
            o.ci95_high,
            k.mean,
            k.ci95_low,
            k.ci95_high
        );
    }
    folder.write("calls.csv", calls)?;

    let mut mos = String::from("bucket_start_s,mos_mean,ci95_low,ci95_high\n");
    for b in 0..w.buckets() {
        let Some(e) = results.mos_in_bucket(b) else { continue };
        let _ = writeln!(mos, "{},{:.4},{:.4},{:.4}", b as f64 * bucket_s, e.mean, e.ci95_low, e.ci95_high);
    }
    folder.write("mos.csv", mos)?;

    if !model.cac_elements.is_empty() {
        let mut cac = String::from("bucket_start_s,element,admitted_kbps,denials,ci95_low,ci95_high\n");
        for (e, sums) in model.cac_elements.iter().zip(&results.cac.elements) {
            for b in 0..w.buckets() {
                let kbps = figures::level(&sums.audio.per_bucket[b]);
                let d = figures::count(&sums.denials_per_bucket[b]);
                let _ = writeln!(
                    cac,
                    "{},{},{:.3},{:.3},{:.3},{:.3}",
                    b as f64 * bucket_s,
                    csv_text(&e.name),
                    kbps.mean,
                    d.mean,
                    d.ci95_low,
                    d.ci95_high
                );
            }
        }
        folder.write("cac.csv", cac)?;
    }

    if !scenario.failures.is_empty() {
        let mut tl = String::from("replication,time_s,failure,element,state\n");
        for row in &results.timeline {
            let failure = &sum.failures[row.failure as usize];
            let state =
                serde_json::to_value(row.state).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            let _ = writeln!(
                tl,
                "{},{:.3},{},{},{state}",
                row.replication,
                row.time_us as f64 / 1e6,
                csv_text(&failure.name),
                csv_text(&failure.element)
            );
        }
        folder.write("timeline.csv", tl)?;
    }
    Ok(())
}
