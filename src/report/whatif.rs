//! `voicetwin whatif` results: the ranked table, `whatif.json`, `whatif.csv`.

use super::folder::{FolderError, ResultsFolder};
use std::fmt::Write as _;

use crate::analysis::schema::table::CsvRow;
use crate::analysis::schema::whatif::{CaseResult, WhatIfResults, WhatIfRow};
use crate::analysis::schema::ResultFile;
use crate::scenario::FailureMode;

use super::figure::{count as pm, share};

/// The ranked table for a terminal.
pub fn render(r: &WhatIfResults) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: N-{} what-if over {} case(s), each element {} from {:.0} s to {:.0} s, {} paired replication(s), seed {}",
        r.scenario,
        r.k,
        r.results.len(),
        if r.mode == FailureMode::Silent { "silent (stops answering)" } else { "rejecting (503)" },
        r.window_from_s,
        r.window_to_s,
        r.replications,
        r.seed
    );
    if let Some(w) = r.pattern_limit_hits.warning() {
        let _ = writeln!(s, "WARNING: {w}");
    }
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
            notes.push(format!("NO PSTN ACCESS: {}", c.isolated_sites.join("; ")));
        }
        if !c.inbound_cut.is_empty() {
            notes.push(format!("inbound cut: {}", c.inbound_cut.join("; ")));
        }
        if c.absorbed {
            notes.push("absorbed".into());
        }
        let _ = writeln!(
            s,
            "{:>4}  {:<44} {:>20} {:>20} {:>20} {:>22} {:>11}  {}",
            c.rank,
            c.label(),
            pm(&c.calls_lost),
            pm(&c.blocked),
            pm(&c.dropped),
            share(&c.grade_of_service_during),
            c.pdd_delta_ms.map_or("-".into(), |e| super::figure::number(e.mean, 0)),
            notes.join("; ")
        );
    }
    s
}

/// The files of a what-if folder.
pub const FILES: [&str; 2] = [WhatIfResults::FILE, WhatIfRow::FILE];

/// Writes `whatif.json` and `whatif.csv`.
pub fn write_folder(folder: &mut ResultsFolder, r: &WhatIfResults) -> Result<(), FolderError> {
    folder.write_json(r)?;
    folder.write_csv(r.results.iter().map(CaseResult::row))
}
