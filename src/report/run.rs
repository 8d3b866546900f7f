//! A run's results: the terminal summary and the run folder
//! (`summary.json`, `network.json`, CSV time series, the scenario and
//! model that ran), each file written through its schema type.

use super::folder::{FolderError, ResultsFolder};
use std::fmt::Write as _;

use crate::analysis::figures;
use crate::analysis::results::{ElementSums, Results};
use crate::analysis::schema::network::Network;
use crate::analysis::schema::series::{CacRow, CallsRow, MosRow, SeriesKind, SeriesRow, StateChangeRow};
use crate::analysis::schema::table::{estimate_cells, CsvRow, Number};
use crate::analysis::schema::ResultFile;
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
        if label == "failed" {
            for f in &sum.final_responses {
                let _ = writeln!(s, "{:<24} {:>24}", format!("  ended by {}", f.code), pm(&f.calls));
            }
        }
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
        let pdd = i.pdd_mean_ms.as_ref().map_or("no call reached ringback".into(), pm);
        let _ = writeln!(s, "{:<24} {:>24}", "mean PDD (ms)", pdd);
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
pub const FILES: [&str; 9] = [
    Summary::FILE,
    Network::FILE,
    "scenario.toml",
    "model.toml",
    SeriesRow::FILE,
    CallsRow::FILE,
    MosRow::FILE,
    CacRow::FILE,
    StateChangeRow::FILE,
];

/// Selects one kind of element's sums from a run's results.
type PickElements = fn(&Results) -> Vec<&ElementSums>;

/// Writes the run folder: `summary.json`, `network.json` (the network as
/// the report shows it), `timeseries.csv` (mean occupancy of every peer,
/// trunk, Mediation pool and WAN link per bucket), `calls.csv` (offered
/// and blocked per bucket), `mos.csv`, `cac.csv` and `timeline.csv` when
/// there is something to put in them, `scenario.toml`, `model.toml`.
pub fn write_folder(
    folder: &mut ResultsFolder,
    model: &Model,
    scenario: &Scenario,
    results: &Results,
    sum: &Summary,
) -> Result<(), FolderError> {
    folder.write_json(sum)?;
    folder.write_json(&Network::of(model))?;
    folder.write("scenario.toml", scenario.recorded_text("model.toml"))?;
    folder.write("model.toml", &model.text)?;

    if results.replications() == 0 {
        return Ok(());
    }
    let w = results.window;
    let bucket_s = w.bucket as f64 / 1e6;
    let start = |b: usize| Number::plain(b as f64 * bucket_s);
    let fixed = |v: f64, d: u8| Number::fixed(v, d);
    // Peers, trunks and pools count calls; WAN links count tenths of a
    // kbps, written in kbps (their series are kept in kbps).
    let groups: [(SeriesKind, Vec<String>, PickElements, f64); 4] = [
        (SeriesKind::Peer, model.peers.iter().map(|p| p.name.clone()).collect(), |r| r.peers.iter().collect(), 1.0),
        (SeriesKind::Trunk, model.trunks.iter().map(|t| t.name.clone()).collect(), |r| r.trunks.iter().collect(), 1.0),
        (
            SeriesKind::MediationPool,
            model.mediation_pools.iter().map(|p| p.fqdn.clone()).collect(),
            |r| r.mediation_pools.iter().collect(),
            1.0,
        ),
        (
            SeriesKind::WanLink,
            model.links.iter().map(|l| l.name.clone()).collect(),
            |r| r.links.iter().map(|l| &l.occupancy).collect(),
            0.1,
        ),
    ];
    let mut series = Vec::new();
    for (kind, names, pick, scale) in &groups {
        let elements = pick(results);
        for (i, name) in names.iter().enumerate() {
            let capacity = elements[i].figures.capacity.map(|c| Number::plain(f64::from(c) * scale));
            for b in 0..w.buckets() {
                let e = figures::level(&elements[i].per_bucket[b]);
                series.push(SeriesRow {
                    bucket_start_s: start(b),
                    kind: *kind,
                    element: name.clone(),
                    capacity,
                    mean_occupancy: fixed(e.mean, 4),
                    ci95_low: fixed(e.ci95_low, 4),
                    ci95_high: fixed(e.ci95_high, 4),
                });
            }
        }
    }
    folder.write_csv(series)?;

    let calls = (0..w.buckets()).map(|b| {
        if (b as u64 + 1) * w.bucket <= w.warm_up {
            // Wholly in the warm-up: nothing is measured there.
            let zero = Number::plain(0.0);
            return CallsRow {
                bucket_start_s: start(b),
                offered: zero,
                offered_ci95_low: zero,
                offered_ci95_high: zero,
                blocked: zero,
                blocked_ci95_low: zero,
                blocked_ci95_high: zero,
                grade_of_service: None,
                grade_of_service_ci95_low: None,
                grade_of_service_ci95_high: None,
            };
        }
        let calls_in = &results.calls_per_bucket[b];
        let o = figures::count(&calls_in.offered);
        let k = figures::count(&calls_in.blocked);
        let [g, g_low, g_high] = estimate_cells(Estimate::proportion(&calls_in.grade_of_service), Some(6));
        CallsRow {
            bucket_start_s: start(b),
            offered: fixed(o.mean, 3),
            offered_ci95_low: fixed(o.ci95_low, 3),
            offered_ci95_high: fixed(o.ci95_high, 3),
            blocked: fixed(k.mean, 3),
            blocked_ci95_low: fixed(k.ci95_low, 3),
            blocked_ci95_high: fixed(k.ci95_high, 3),
            grade_of_service: g,
            grade_of_service_ci95_low: g_low,
            grade_of_service_ci95_high: g_high,
        }
    });
    folder.write_csv(calls)?;

    let mos = (0..w.buckets()).filter_map(|b| {
        let e = results.mos_in_bucket(b)?;
        Some(MosRow {
            bucket_start_s: start(b),
            mos_mean: fixed(e.mean, 4),
            ci95_low: fixed(e.ci95_low, 4),
            ci95_high: fixed(e.ci95_high, 4),
        })
    });
    folder.write_csv(mos)?;

    if !model.cac_elements.is_empty() {
        let cac = model.cac_elements.iter().zip(&results.cac.elements).flat_map(|(e, sums)| {
            (0..w.buckets()).map(move |b| {
                let kbps = figures::level(&sums.audio.per_bucket[b]);
                let d = figures::count(&sums.denials_per_bucket[b]);
                CacRow {
                    bucket_start_s: start(b),
                    element: e.name.clone(),
                    admitted_kbps: fixed(kbps.mean, 3),
                    denials: fixed(d.mean, 3),
                    ci95_low: fixed(d.ci95_low, 3),
                    ci95_high: fixed(d.ci95_high, 3),
                }
            })
        });
        folder.write_csv(cac)?;
    }

    if !scenario.failures.is_empty() {
        let timeline = results.timeline.iter().map(|row| {
            let failure = &sum.failures[row.failure as usize];
            StateChangeRow {
                replication: row.replication,
                time_s: fixed(row.time_us as f64 / 1e6, 3),
                failure: failure.name.clone(),
                element: failure.element.clone(),
                state: row.state,
            }
        });
        folder.write_csv(timeline)?;
    }
    Ok(())
}
