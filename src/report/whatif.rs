//! `voicetwin whatif` results: the ranked table, `whatif.json`, `whatif.csv`.

use super::cells::csv_text;
use super::folder::{FolderError, ResultsFolder};
use std::fmt::Write as _;

use crate::analysis::whatif::WhatIfReport;

use super::figure::{count as pm, share};

/// A CSV cell: the value, or empty.
fn cell(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.6}")).unwrap_or_default()
}
/// The ranked table for a terminal.
pub fn render(r: &WhatIfReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: N-{} what-if over {} case(s), each element {} from {:.0} s to {:.0} s, {} paired replication(s), seed {}",
        r.scenario,
        r.k,
        r.results.len(),
        if r.mode == "silent" { "silent (stops answering)" } else { "rejecting (503)" },
        r.window_from_s,
        r.window_to_s,
        r.replications,
        r.seed
    );
    if let Some(p) = &r.precision {
        let _ = writeln!(
            s,
            "Precision {:.0}% (or {}) of the baseline: {} after {} replication(s), which every case runs; \
             deciding figure: {}",
            p.relative * 100.0,
            p.absolute,
            if p.met { "reached" } else { "NOT reached" },
            p.replications,
            p.deciding_figure.as_deref().unwrap_or("-")
        );
    }
    let _ = writeln!(
        s,
        "Baseline grade of service {} overall, {} in the window. Figures are differences against the same \
         calls without the failure; GoS during is the grade of service of the calls arriving in the window.\n",
        share(&r.baseline_grade_of_service),
        share(&r.baseline_grade_of_service_during)
    );
    let _ = writeln!(
        s,
        "{:>4}  {:<44} {:>20} {:>20} {:>20} {:>22} {:>11}  notes",
        "rank", "failed element(s)", "calls lost", "blocked", "dropped", "GoS during", "PDD +ms"
    );
    for c in &r.results {
        let mut notes = Vec::new();
        if !c.isolated_sites.is_empty() {
            notes.push(format!("NO PSTN ACCESS: {}", c.isolated_sites.join(", ")));
        }
        if !c.inbound_cut.is_empty() {
            notes.push(format!("inbound cut: {}", c.inbound_cut.join(", ")));
        }
        if c.absorbed {
            notes.push("absorbed".into());
        }
        let _ = writeln!(
            s,
            "{:>4}  {:<44} {:>20} {:>20} {:>20} {:>22} {:>11}  {}",
            c.rank,
            csv_text(&c.elements.join(" + ")),
            pm(&c.calls_lost),
            pm(&c.blocked),
            pm(&c.dropped),
            share(&c.grade_of_service_during),
            super::figure::number(c.pdd_delta_ms.mean, 0),
            notes.join("; ")
        );
    }
    s
}

/// The files of a what-if folder.
pub const FILES: [&str; 2] = ["whatif.json", "whatif.csv"];

/// Writes `whatif.json` and `whatif.csv` into `dir`.
pub fn write_folder(folder: &mut ResultsFolder, r: &WhatIfReport) -> Result<(), FolderError> {
    let json = serde_json::to_string_pretty(r).map_err(|e| FolderError::Io(e.to_string()))?;
    folder.write("whatif.json", json + "\n")?;
    let mut csv = String::from(
        "rank,elements,trunks_down,calls_lost,calls_lost_ci95_low,calls_lost_ci95_high,blocked,dropped,grade_of_service_during,grade_of_service_during_ci95_low,grade_of_service_during_ci95_high,grade_of_service_delta,pdd_delta_ms,isolated_sites,inbound_cut,absorbed\n",
    );
    for c in &r.results {
        let _ = writeln!(
            csv,
            "{},{},{},{:.3},{:.3},{:.3},{:.3},{:.3},{},{},{},{},{:.1},{},{},{}",
            c.rank,
            csv_text(&c.elements.join(" + ")),
            c.trunks_down,
            c.calls_lost.mean,
            c.calls_lost.ci95_low,
            c.calls_lost.ci95_high,
            c.blocked.mean,
            c.dropped.mean,
            cell(c.grade_of_service_during.map(|e| e.mean)),
            cell(c.grade_of_service_during.map(|e| e.ci95_low)),
            cell(c.grade_of_service_during.map(|e| e.ci95_high)),
            cell(c.grade_of_service_delta.map(|e| e.mean)),
            c.pdd_delta_ms.mean,
            csv_text(&c.isolated_sites.join(" ")),
            csv_text(&c.inbound_cut.join(" ")),
            c.absorbed
        );
    }
    folder.write("whatif.csv", csv)
}
