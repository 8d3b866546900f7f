//! A run's results: the terminal summary and the run folder
//! (`summary.json`, CSV time series, the scenario and model that ran).

use std::fmt::Write as _;
use std::path::Path;

use crate::analysis::stats::Estimate;
use crate::analysis::summary::{ElementFigures, Summary};
use crate::model::Model;
use crate::scenario::Scenario;
use crate::sim::Replication;

fn pm(e: &Estimate) -> String {
    format!("{:.1} ± {:.1}", e.mean, e.half_width())
}

fn pct(e: &Estimate) -> String {
    format!("{:.2}% [{:.2}%, {:.2}%]", e.mean * 100.0, e.ci95_low * 100.0, e.ci95_high * 100.0)
}

fn element_rows(s: &mut String, title: &str, rows: &[ElementFigures]) {
    let used: Vec<&ElementFigures> = rows.iter().filter(|r| r.attempts.mean > 0.0).collect();
    if used.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\n{title:<24} {:>8} {:>16} {:>11} {:>8} {:>22}",
        "capacity", "carried Erlangs", "utilization", "peak", "grade of service"
    );
    for r in used {
        let cap = r.capacity.map(|c| c.to_string()).unwrap_or_else(|| "-".into());
        let util = r.utilization.map(|u| format!("{:.1}%", u.mean * 100.0)).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            s,
            "{:<24} {:>8} {:>16} {:>11} {:>8.0} {:>22}",
            r.name,
            cap,
            pm(&r.carried_erlangs),
            util,
            r.peak_occupancy.mean,
            pct(&r.grade_of_service)
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
    let _ = writeln!(s, "Figures per replication, mean ± 95% confidence half-width.\n");
    let c = &sum.calls;
    for (label, e) in [
        ("offered", &c.offered),
        ("carried", &c.carried),
        ("  of which internal", &c.internal),
        ("blocked", &c.blocked),
        ("not authorized", &c.not_authorized),
        ("failed", &c.failed),
        ("dropped", &c.dropped),
        ("failed over", &c.failed_over),
        ("completed (answered)", &c.completed),
    ] {
        let _ = writeln!(s, "{label:<24} {:>16}", pm(e));
    }
    let _ = writeln!(s, "{:<24} {:>16}", "grade of service", pct(&sum.grade_of_service));
    let _ =
        writeln!(s, "{:<24} {:>16}   p95 {:.0} ms", "post-dial delay (ms)", pm(&sum.pdd_ms.mean), sum.pdd_ms.p95.mean);
    if sum.mos.scored.mean > 0.0 {
        let _ = writeln!(
            s,
            "{:<24} {:>16}   p5 {:.2}, poor (< 3.1) {:.2}%",
            "MOS (E-model)",
            format!("{:.2} ± {:.2}", sum.mos.mean.mean, sum.mos.mean.half_width()),
            sum.mos.p5.mean,
            sum.mos.poor_share.mean * 100.0
        );
    }
    let _ = writeln!(s, "\n{:<24} {:>16} {:>16} {:>22}", "site", "offered", "blocked", "grade of service");
    for g in sum.sites.iter().filter(|g| g.calls.offered.mean > 0.0) {
        let _ = writeln!(
            s,
            "{:<24} {:>16} {:>16} {:>22}",
            g.name,
            pm(&g.calls.offered),
            pm(&g.calls.blocked),
            pct(&g.grade_of_service)
        );
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
            "\n{:<24} {:>10} {:>16} {:>11} {:>10}",
            "WAN link", "kbps", "mean kbps", "utilization", "peak kbps"
        );
        for l in &sum.links {
            let _ = writeln!(
                s,
                "{:<24} {:>10} {:>16} {:>10.1}% {:>10.0}",
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
        let _ = writeln!(s, "{:<24} {:>16}", "calls lost", pm(&i.calls_lost));
        let _ = writeln!(s, "{:<24} {:>16}", "  blocked", pm(&i.blocked));
        let _ = writeln!(s, "{:<24} {:>16}", "  dropped", pm(&i.dropped));
        let _ = writeln!(s, "{:<24} {:>22}", "grade of service", pct(&i.grade_of_service));
        let _ = writeln!(s, "{:<24} {:>16}", "mean PDD (ms)", pm(&i.pdd_mean_ms));
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

/// Selects one kind of element's occupancies from a replication.
type PickOccupancy = fn(&Replication) -> &[crate::sim::metrics::Occupancy];

/// Writes the run folder `dir`: `summary.json`, `timeseries.csv` (mean
/// occupancy of every peer, trunk and Mediation pool per bucket),
/// `calls.csv` (offered and blocked per bucket), `scenario.toml`,
/// `model.toml`.
pub fn write_folder(
    dir: &Path,
    model: &Model,
    scenario: &Scenario,
    reps: &[Replication],
    sum: &Summary,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_string_pretty(sum).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("summary.json"), json + "\n")?;
    std::fs::write(dir.join("scenario.toml"), &scenario.text)?;
    std::fs::write(dir.join("model.toml"), &model.text)?;

    let Some(first) = reps.first() else { return Ok(()) };
    let w = first.window;
    let bucket_s = w.bucket as f64 / 1e6;
    let mut ts = String::from("bucket_start_s,kind,element,capacity,mean_occupancy,ci95_low,ci95_high\n");
    // Peers, trunks and pools count calls; WAN links count tenths of a
    // kbps, written in kbps.
    let groups: [(&str, Vec<String>, PickOccupancy, f64); 4] = [
        ("peer", model.peers.iter().map(|p| p.name.clone()).collect(), |r| &r.peers, 1.0),
        ("trunk", model.trunks.iter().map(|t| t.name.clone()).collect(), |r| &r.trunks, 1.0),
        ("mediation-pool", model.mediation_pools.iter().map(|p| p.fqdn.clone()).collect(), |r| &r.mediation_pools, 1.0),
        ("wan-link", model.links.iter().map(|l| l.name.clone()).collect(), |r| &r.links, 0.1),
    ];
    for (kind, names, pick, scale) in &groups {
        for (i, name) in names.iter().enumerate() {
            let cap = pick(first)[i].capacity.map(|c| (f64::from(c) * scale).to_string()).unwrap_or_default();
            for b in 0..w.buckets() {
                let len = (w.end.min((b as u64 + 1) * w.bucket) - b as u64 * w.bucket) as f64;
                let e = Estimate::of(&reps.iter().map(|r| pick(r)[i].buckets[b] / len * scale).collect::<Vec<_>>());
                let _ = writeln!(
                    ts,
                    "{},{kind},{name},{cap},{:.4},{:.4},{:.4}",
                    b as f64 * bucket_s,
                    e.mean,
                    e.ci95_low,
                    e.ci95_high
                );
            }
        }
    }
    std::fs::write(dir.join("timeseries.csv"), ts)?;

    let mut calls = String::from(
        "bucket_start_s,offered,offered_ci95_low,offered_ci95_high,blocked,blocked_ci95_low,blocked_ci95_high\n",
    );
    for b in 0..w.buckets() {
        let o = Estimate::of(&reps.iter().map(|r| r.bucket_offered[b] as f64).collect::<Vec<_>>());
        let k = Estimate::of(&reps.iter().map(|r| r.bucket_blocked[b] as f64).collect::<Vec<_>>());
        let _ = writeln!(
            calls,
            "{},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3}",
            b as f64 * bucket_s,
            o.mean,
            o.ci95_low,
            o.ci95_high,
            k.mean,
            k.ci95_low,
            k.ci95_high
        );
    }
    std::fs::write(dir.join("calls.csv"), calls)?;

    let mut mos = String::from("bucket_start_s,mos_mean,ci95_low,ci95_high\n");
    for b in 0..w.buckets() {
        let xs: Vec<f64> = reps
            .iter()
            .filter(|r| r.bucket_mos[b].1 > 0)
            .map(|r| r.bucket_mos[b].0 / r.bucket_mos[b].1 as f64)
            .collect();
        if xs.is_empty() {
            continue;
        }
        let e = Estimate::of(&xs);
        let _ = writeln!(mos, "{},{:.4},{:.4},{:.4}", b as f64 * bucket_s, e.mean, e.ci95_low, e.ci95_high);
    }
    std::fs::write(dir.join("mos.csv"), mos)?;

    if !model.cac_elements.is_empty() {
        let mut cac = String::from("bucket_start_s,element,admitted_kbps,denials,ci95_low,ci95_high\n");
        for (i, e) in model.cac_elements.iter().enumerate() {
            for b in 0..w.buckets() {
                let len = (w.end.min((b as u64 + 1) * w.bucket) - b as u64 * w.bucket) as f64;
                let kbps =
                    Estimate::of(&reps.iter().map(|r| r.cac_audio[i].buckets[b] / len / 10.0).collect::<Vec<_>>());
                let d = Estimate::of(&reps.iter().map(|r| f64::from(r.bucket_cac_denials[i][b])).collect::<Vec<_>>());
                let _ = writeln!(
                    cac,
                    "{},{},{:.3},{:.3},{:.3},{:.3}",
                    b as f64 * bucket_s,
                    e.name,
                    kbps.mean,
                    d.mean,
                    d.ci95_low,
                    d.ci95_high
                );
            }
        }
        std::fs::write(dir.join("cac.csv"), cac)?;
    }

    if !scenario.failures.is_empty() {
        let mut tl = String::from("replication,time_s,failure,element,state\n");
        for r in reps {
            for (t, f, state) in &r.timeline {
                let failure = &sum.failures[*f as usize];
                let state =
                    serde_json::to_value(state).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                let _ = writeln!(tl, "{},{:.3},{},{},{state}", r.index, *t as f64 / 1e6, failure.name, failure.element);
            }
        }
        std::fs::write(dir.join("timeline.csv"), tl)?;
    }
    Ok(())
}
