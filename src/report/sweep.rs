//! `voicetwin sweep` results: one row per grid point, `sweep.json`, `sweep.csv`.

use super::folder::{FolderError, ResultsFolder};
use std::fmt::Write as _;

use crate::analysis::schema::sweep::{self, Point, SweepResults};
use crate::analysis::schema::ResultFile;
use crate::analysis::stats::Estimate;
use crate::analysis::sweep::Param;

/// A figure with its interval, or "-" when there was nothing to measure.
fn interval(e: &Option<Estimate>, scale: f64, decimals: usize) -> String {
    e.as_ref().map_or_else(|| "-".into(), |e| super::figure::interval(e, scale, decimals, ""))
}

fn value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// The table for a terminal: each parameter's value, then the figures with
/// their 95% confidence intervals.
pub fn render(r: &SweepResults) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: sweep over {} point(s), {} replication(s) {}, seed {} (same seeds at every point)\n",
        r.scenario,
        r.points.len(),
        r.replications,
        if r.points.iter().any(|p| p.replications != r.replications) {
            "at first, each point adding what its precision target needs (last column)"
        } else {
            "each"
        },
        r.seed
    );
    let widths: Vec<usize> = r.params.iter().map(|p| p.name.len().max(8)).collect();
    for (p, w) in r.params.iter().zip(&widths) {
        let _ = write!(s, "{:>w$}  ", p.name, w = w);
    }
    let _ = writeln!(
        s,
        "{:>26} {:>22} {:>26} {:>24} {:>20} {:>6}",
        "PSTN offered", "blocked", "GoS %", "PDD ms", "MOS", "reps"
    );
    if let Some(pt) = r.points.iter().find(|p| p.pattern_limit_hits > 0) {
        let total: u64 = r.points.iter().map(|p| p.pattern_limit_hits).sum();
        let _ = writeln!(
            s,
            "WARNING: a pattern reached the matching limit {total} time(s) over the sweep (first at {}): routing \
             took it as not matching; see `voicetwin check` (backtracking-limit-risk)\n",
            r.params
                .iter()
                .zip(&pt.values)
                .map(|(p, v)| format!("{}={}", p.name, value(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for pt in &r.points {
        for (v, w) in pt.values.iter().zip(&widths) {
            let _ = write!(s, "{:>w$}  ", value(*v), w = w);
        }
        let _ = writeln!(
            s,
            "{:>26} {:>22} {:>26} {:>24} {:>20} {:>6}",
            interval(&Some(pt.offered), 1.0, 1),
            interval(&Some(pt.blocked), 1.0, 1),
            interval(&pt.grade_of_service, 100.0, 3),
            interval(&pt.pdd_mean_ms, 1.0, 0),
            interval(&pt.mos_mean, 1.0, 2),
            pt.replications
        );
    }
    s
}

/// The files of a sweep folder.
pub const FILES: [&str; 2] = [SweepResults::FILE, sweep::CSV];

/// Writes `sweep.json` and `sweep.csv`.
pub fn write_folder(folder: &mut ResultsFolder, r: &SweepResults) -> Result<(), FolderError> {
    folder.write_json(r)?;
    let names: Vec<&str> = r.params.iter().map(|p| p.name.as_str()).collect();
    write_points(folder, &names, &r.points)
}

/// Writes `sweep.csv` with the points finished so far, while the sweep
/// runs: the folder's manifest still says `writing`, so `report` and
/// readers of the manifest never take it for the whole grid.
pub fn write_finished(folder: &mut ResultsFolder, params: &[Param], points: &[Point]) -> Result<(), FolderError> {
    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    write_points(folder, &names, points)
}

/// `sweep.csv`: one line per point, each parameter's value, then each
/// figure with its interval, then the replications run.
fn write_points(folder: &mut ResultsFolder, names: &[&str], points: &[Point]) -> Result<(), FolderError> {
    let text = sweep::write_csv(names, points).map_err(|e| FolderError::Io(format!("{}: {e}", sweep::CSV)))?;
    folder.write(sweep::CSV, text)
}
