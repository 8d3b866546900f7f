//! The design-review report of a results folder: charts (`charts/*.svg`),
//! `report.html` (one self-contained page, the charts inlined) and
//! `report.md` (for design documents, the charts linked).
//!
//! It reads only the results files the folder's manifest lists, each
//! through its type of the result schema (`analysis::schema`): a run's
//! `summary.json`, `network.json` and CSV series, `whatif.json`,
//! `sweep.json`, `plan.json`. It never reads the model again: what it
//! shows of the network is the run's `network.json`. A file of another
//! schema version is refused, naming it.
//!
//! One module a kind of results: `run` (the summary's figures, tables
//! and findings), `series` (the run's CSV series), `network` (the model's
//! tables and topology), `whatif`, `sweep`, `plan`; `page` writes the
//! page and the Markdown.

use crate::analysis::findings::GOS_TARGET;
use crate::analysis::schema::network::Network;
use crate::analysis::schema::plan::PlanResults;
use crate::analysis::schema::summary::Summary;
use crate::analysis::schema::sweep::SweepResults;
use crate::analysis::schema::table::{read_csv, CsvRow};
use crate::analysis::schema::whatif::WhatIfResults;
use crate::analysis::schema::{from_json, from_json_reader, ResultFile, SchemaError};
use crate::analysis::stats::Estimate;

use super::charts;
use super::folder::{Completed, FolderError};

mod network;
mod page;
mod plan;
mod run;
mod series;
mod sweep;
mod whatif;

pub use page::write;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    NotResults(String),
    #[error("{file}: {msg}")]
    Bad { file: String, msg: String },
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Folder(#[from] FolderError),
}

impl From<SchemaError> for ReportError {
    fn from(e: SchemaError) -> Self {
        ReportError::Bad { file: e.file, msg: e.msg }
    }
}

/// One chart of the report.
pub struct Chart {
    pub file: String,
    pub title: String,
    pub svg: String,
}

/// A table of the report: its title, header and rows (as many cells as
/// the header).
pub type Table = (String, Vec<String>, Vec<Vec<String>>);

/// What `build` found and drew.
#[derive(Default)]
pub struct Review {
    pub title: String,
    /// What the results are of, shown above everything: the network, the
    /// scenario, the seed, the replications, the target.
    pub header: Vec<(String, String)>,
    /// One colour per element on every chart.
    pub palette: charts::Palette,
    pub figures: Vec<(String, String)>,
    pub findings: Vec<String>,
    pub tables: Vec<Table>,
    pub charts: Vec<Chart>,
}

/// A JSON results file of the folder through its schema type, `None`
/// when the results have none.
fn json<T: ResultFile>(dir: &Completed) -> Result<Option<T>, ReportError> {
    let Some(text) = dir.text(T::FILE)? else { return Ok(None) };
    Ok(Some(from_json(&text, &dir.dir().join(T::FILE).display().to_string())?))
}

/// A JSON results file of the folder, `name` of schema `version`, read a
/// block at a time into `T` (which may keep less than the file holds),
/// `None` when the results have none.
fn streamed<T: serde::de::DeserializeOwned>(
    dir: &Completed,
    name: &str,
    version: u32,
) -> Result<Option<T>, ReportError> {
    if !dir.has(name) {
        return Ok(None);
    }
    let path = dir.dir().join(name);
    let open = || match dir.reader(name) {
        Ok(Some(f)) => Ok(f),
        Ok(None) => Err(std::io::Error::other("no longer among the results")),
        Err(e) => Err(std::io::Error::other(e.to_string())),
    };
    Ok(Some(from_json_reader(open, &path.display().to_string(), name, version)?))
}

/// A CSV results file of the folder through its row type, `None` when
/// the results have none.
fn rows<R: CsvRow>(dir: &Completed) -> Result<Option<Vec<R>>, ReportError> {
    let Some(text) = dir.text(R::FILE)? else { return Ok(None) };
    Ok(Some(read_csv(&text, &dir.dir().join(R::FILE).display().to_string())?))
}

/// Reads the folder and draws every chart its files allow.
pub fn build(dir: &Completed) -> Result<Review, ReportError> {
    let mut r = Review::default();
    let summary = json::<Summary>(dir)?;
    let network = json::<Network>(dir)?;
    if let Some(n) = &network {
        r.palette.add("site", n.sites.iter().map(|s| s.name.as_str()));
        r.palette.add("peer", n.peers.iter().map(|p| p.name.as_str()));
        r.palette.add("trunk", n.trunks.iter().map(|t| t.name.as_str()));
        r.palette.add("pool", n.mediation_pools.iter().map(|p| p.fqdn.as_str()));
        r.palette.add("link", n.links.iter().map(|l| l.name.as_str()));
    }
    if let Some(s) = &summary {
        r.palette.add("site", s.sites.iter().map(|g| g.name.as_str()));
        r.palette.add("peer", s.peers.iter().map(|p| p.name.as_str()));
        r.palette.add("trunk", s.trunks.iter().map(|t| t.name.as_str()));
        r.palette.add("pool", s.mediation_pools.iter().map(|p| p.name.as_str()));
        r.palette.add("link", s.links.iter().map(|l| l.name.as_str()));
        r.palette.add("cac", s.cac.elements.iter().map(|e| e.name.as_str()));
    }
    if let Some(s) = &summary {
        run::summary(&mut r, s);
    }
    if let (Some(n), Some(h)) = (&network, r.header.iter_mut().find(|h| h.0 == "Network")) {
        h.1 = format!("{} ({})", n.name, h.1);
    }
    match network {
        Some(n) => network::section(&mut r, &n, summary.as_ref())
            .map_err(|msg| ReportError::Bad { file: dir.dir().join(Network::FILE).display().to_string(), msg })?,
        None if summary.is_some() => r.findings.push(format!(
            "The results have no {} (an earlier voicetwin wrote them): run again for the network's tables and \
             topology.",
            Network::FILE
        )),
        None => {}
    }
    series::utilization_calls_and_mos(&mut r, dir, summary.as_ref())?;
    series::timeline(&mut r, dir, summary.as_ref())?;
    // Read a case at a time: the page keeps what it shows, not every case.
    if let Some(w) = streamed::<whatif::Results>(
        dir,
        <WhatIfResults as ResultFile>::FILE,
        <WhatIfResults as ResultFile>::SCHEMA_VERSION,
    )? {
        whatif::section(&mut r, &w);
    }
    if let Some(s) = json::<SweepResults>(dir)? {
        sweep::section(&mut r, &s);
    }
    if let Some(p) = json::<PlanResults>(dir)? {
        plan::section(&mut r, &p);
    }
    // Results with nothing to chart (a plan where nothing changes) still
    // have their findings and tables.
    if r.charts.is_empty() && r.figures.is_empty() && r.findings.is_empty() && r.tables.is_empty() {
        let known = [Summary::FILE, WhatIfResults::FILE, SweepResults::FILE, PlanResults::FILE];
        let held: Vec<&str> = dir.results().collect();
        return Err(ReportError::NotResults(format!(
            "{}: no results a report reads ({}); the folder's results are {}",
            dir.dir().display(),
            known.join(", "),
            if held.is_empty() { "none".to_owned() } else { held.join(", ") }
        )));
    }
    if r.title.is_empty() {
        r.title = dir.dir().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    }
    Ok(r)
}

/// Every chart a report can draw. A command run with `--report` checks
/// them all (and their `.png`) before it simulates, so that a user's file
/// in the way is found before the work, not after.
const CHARTS: [&str; 20] = [
    "gos-vs-load.svg",
    "mos-poor-share.svg",
    "mos-distribution.svg",
    "topology.svg",
    "failover-timeline.svg",
    "utilization-peer.svg",
    "utilization-trunk.svg",
    "utilization-mediation-pool.svg",
    "utilization-wan-link.svg",
    "calls.svg",
    "gos-over-time.svg",
    "cac.svg",
    "mos.svg",
    "whatif-ranking.svg",
    "sweep.svg",
    "plan.svg",
    "plan-channels.svg",
    "plan-sessions.svg",
    "plan-servers.svg",
    "plan-bandwidth.svg",
];

/// Every file a report may write: `report.html`, `report.md`, each chart
/// and its PNG.
pub fn files() -> Vec<String> {
    let mut names = vec!["report.html".to_owned(), "report.md".to_owned()];
    for c in CHARTS {
        names.push(format!("charts/{c}"));
        names.push(format!("charts/{}", c.replace(".svg", ".png")));
    }
    names
}

fn push(r: &mut Review, file: &str, title: &str, svg: Result<String, String>) {
    debug_assert!(files().contains(&format!("charts/{file}")), "{file} is not in CHARTS");
    match svg {
        Ok(svg) => r.charts.push(Chart { file: file.into(), title: title.into(), svg }),
        Err(e) => r.findings.push(format!("The chart {file} could not be drawn: {e}.")),
    }
}

/// Mean, low and high of an estimate; NaN when there is none (a share
/// with nothing to share), so that no comparison with it holds.
fn est(e: &Option<Estimate>) -> (f64, f64, f64) {
    e.map_or((f64::NAN, f64::NAN, f64::NAN), |e| (e.mean, e.ci95_low, e.ci95_high))
}

/// A share with its 95% interval, or "-" when there was nothing to share
/// (the same format as every text output: `super::figure`).
fn pct(e: &Option<Estimate>) -> String {
    super::figure::share(e)
}

/// A figure with its interval and `d` decimals at least, or "-".
fn num(e: &Option<Estimate>, d: usize) -> String {
    e.as_ref().map_or_else(|| "-".into(), |e| super::figure::interval(e, 1.0, d, ""))
}

/// For a grade of service whose mean is above the target
/// ([`GOS_TARGET`]): whether its whole interval is, or only its mean.
fn above_target(e: &Option<Estimate>) -> Option<String> {
    let (m, lo, _) = est(e);
    if m.is_nan() || m <= GOS_TARGET {
        return None;
    }
    let target = pct_of(GOS_TARGET);
    Some(if lo > GOS_TARGET {
        format!("above {target}")
    } else {
        format!("above {target} on average, though the interval reaches below it")
    })
}

/// A threshold as a percentage: "1%", "0.5%".
fn pct_of(share: f64) -> String {
    format!("{}%", share * 100.0)
}
