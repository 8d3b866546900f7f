//! The design-review report of a results folder: charts (`charts/*.svg`),
//! `report.html` (one self-contained page, the charts inlined) and
//! `report.md` (for design documents, the charts linked).
//!
//! It reads only the files a command wrote (`summary.json`, the CSVs,
//! `whatif.csv`, `sweep.csv`, `plan.csv`), so any results folder, old or
//! new, can be reported on again without re-running.

use crate::analysis::findings::{GOS_TARGET, HIGH_UTILIZATION, POOR_MOS, POOR_SHARE};
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::charts::{self, Bar, Series};
use super::folder::{Completed, FolderError, ResultsFolder};
use crate::analysis::erlang::erlang_b;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}: not a results folder (no summary.json, whatif.csv, sweep.csv or plan.csv)")]
    NotResults(String),
    #[error("{file}: {msg}")]
    Bad { file: String, msg: String },
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Folder(#[from] FolderError),
}

/// One chart of the report.
pub struct Chart {
    pub file: String,
    pub title: String,
    pub svg: String,
}

/// What `build` found and drew.
pub struct Review {
    pub title: String,
    pub figures: Vec<(String, String)>,
    pub findings: Vec<String>,
    pub tables: Vec<(String, Vec<String>, Vec<Vec<String>>)>,
    pub charts: Vec<Chart>,
}

struct Csv {
    file: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    /// A CSV file of the results (`None` when the results have none).
    fn read(dir: &Completed, name: &str) -> Result<Option<Self>, ReportError> {
        let path = dir.dir().join(name);
        let Some(text) = dir.text(name)? else { return Ok(None) };
        let bad = |e: csv::Error| ReportError::Bad { file: path.display().to_string(), msg: e.to_string() };
        // Quoted fields (a name with a comma) as RFC 4180 has them; a row
        // of another length than the header is an error of the crate's.
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().map_err(bad)?.iter().map(str::to_owned).collect();
        let rows = reader
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_owned).collect::<Vec<String>>()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(bad)?;
        Ok(Some(Self { file: path.display().to_string(), header, rows }))
    }
    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
    /// A column the chart cannot do without.
    fn need(&self, name: &str) -> Result<usize, ReportError> {
        self.col(name).ok_or_else(|| ReportError::Bad { file: self.file.clone(), msg: format!("no `{name}` column") })
    }
    fn num(&self, row: &[String], col: usize) -> f64 {
        row[col].parse().unwrap_or(f64::NAN)
    }
}

fn est(v: &Value) -> (f64, f64, f64) {
    let f = |k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
    (f("mean"), f("ci95_low"), f("ci95_high"))
}

/// A share with its 95% interval, or "-" when there was nothing to share
/// (the same format as every text output: `super::figure`).
fn pct(v: &Value) -> String {
    super::figure::share(&as_estimate(v))
}

fn num(v: &Value, d: usize) -> String {
    as_estimate(v).map_or_else(|| "-".into(), |e| super::figure::interval(&e, 1.0, d, ""))
}

/// An estimate as `summary.json` writes it, or `None` (null, missing).
fn as_estimate(v: &Value) -> Option<crate::analysis::stats::Estimate> {
    let (mean, ci95_low, ci95_high) = est(v);
    mean.is_finite().then_some(crate::analysis::stats::Estimate { mean, ci95_low, ci95_high })
}

/// For a grade of service whose mean is above the target
/// ([`GOS_TARGET`]): whether its whole interval is, or only its mean.
fn above_one_percent(v: &Value) -> Option<String> {
    let (m, lo, _) = est(v);
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

/// Reads the folder and draws every chart its files allow.
pub fn build(dir: &Completed) -> Result<Review, ReportError> {
    let mut r = Review { title: String::new(), figures: vec![], findings: vec![], tables: vec![], charts: vec![] };
    if let Some(s) = summary(dir)? {
        run_summary(&mut r, &s);
    }
    model_section(&mut r, dir);
    run_series(&mut r, dir)?;
    timeline(&mut r, dir)?;
    whatif(&mut r, dir)?;
    sweep(&mut r, dir)?;
    plan(&mut r, dir)?;
    if r.charts.is_empty() && r.figures.is_empty() {
        return Err(ReportError::NotResults(dir.dir().display().to_string()));
    }
    if r.title.is_empty() {
        r.title = dir.dir().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    }
    Ok(r)
}

/// The run's `summary.json`, when the results have one.
fn summary(dir: &Completed) -> Result<Option<Value>, ReportError> {
    let Some(text) = dir.text("summary.json")? else { return Ok(None) };
    serde_json::from_str(&text).map(Some).map_err(|e| ReportError::Bad {
        file: dir.dir().join("summary.json").display().to_string(),
        msg: e.to_string(),
    })
}

/// The kinds of element whose utilization `timeseries.csv` holds, each
/// drawn as `utilization-<kind>.svg`.
const UTILIZATION_KINDS: [&str; 4] = ["peer", "trunk", "mediation-pool", "wan-link"];

/// Every chart a report can draw. A command run with `--report` checks
/// them all (and their `.png`) before it simulates, so that a user's file
/// in the way is found before the work, not after.
const CHARTS: [&str; 16] = [
    "gos-vs-load.svg",
    "mos-poor-share.svg",
    "mos-cdf.svg",
    "topology.svg",
    "failover-timeline.svg",
    "utilization-peer.svg",
    "utilization-trunk.svg",
    "utilization-mediation-pool.svg",
    "utilization-wan-link.svg",
    "calls.svg",
    "mos.svg",
    "whatif-ranking.svg",
    "sweep.svg",
    "plan.svg",
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

fn run_summary(r: &mut Review, s: &Value) {
    let sc = &s["scenario"];
    r.title = sc["name"].as_str().unwrap_or("Run").to_owned();
    let hits = &s["pattern_limit_hits"];
    if let (Some(count), Some(pattern), Some(input)) =
        (hits["count"].as_u64(), hits["first"]["pattern"].as_str(), hits["first"]["input"].as_str())
    {
        r.findings.push(crate::pattern::limit::limit_warning(count, pattern, input));
    }
    let c = &s["calls"];
    r.figures = vec![
        (
            "Scenario".into(),
            format!("{} ({})", sc["source"].as_str().unwrap_or(""), sc["model"].as_str().unwrap_or("")),
        ),
        (
            "Replications, seed".into(),
            format!("{}, {}", sc["replications"].as_u64().unwrap_or(0), sc["seed"].as_u64().unwrap_or(0)),
        ),
        (
            "Measured".into(),
            format!(
                "{:.0} h after {:.0} min warm-up",
                sc["measured_s"].as_f64().unwrap_or(0.0) / 3600.0,
                sc["warm_up_s"].as_f64().unwrap_or(0.0) / 60.0
            ),
        ),
        ("Calls offered".into(), num(&c["offered"], 1)),
        ("Calls needing the PSTN side".into(), num(&s["pstn_calls"]["offered"], 1)),
        ("Calls blocked".into(), num(&c["blocked"], 1)),
        ("Calls dropped".into(), num(&c["dropped"], 1)),
        ("Grade of service".into(), pct(&s["grade_of_service"])),
        ("Mean post-dial delay (ms)".into(), num(&s["pdd_ms"]["mean"], 0)),
        ("Mean MOS".into(), num(&s["mos"]["mean"], 2)),
    ];
    // Each direction's grade of service under the overall one.
    let at = r.figures.iter().position(|f| f.0 == "Grade of service").map_or(r.figures.len(), |i| i + 1);
    let directions: Vec<(String, String)> = s["directions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| !d["grade_of_service"].is_null() && est(&d["calls"]["offered"]).0 > 0.0)
        .map(|d| {
            let name = d["direction"].as_str().unwrap_or("?");
            (format!("Grade of service, {name} calls"), pct(&d["grade_of_service"]))
        })
        .collect();
    r.figures.splice(at..at, directions);
    // Gateways, ITSPs and PBXs: a table, findings, and GoS against offered
    // load beside each one's Erlang B curve.
    let mut rows = Vec::new();
    let mut pts = Vec::new();
    let mut curves = Vec::new();
    for p in s["peers"].as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap_or("?");
        let cap = p["capacity"].as_u64();
        let (g, glo, ghi) = est(&p["rejected_share"]);
        let (lost, ..) = est(&p["lost_share"]);
        let (carried, ..) = est(&p["carried_erlangs"]);
        let (u, ..) = est(&p["utilization"]);
        rows.push(vec![
            name.to_owned(),
            p["kind"].as_str().unwrap_or("").to_owned(),
            cap.map(|c| c.to_string()).unwrap_or_else(|| "unlimited".into()),
            num(&p["carried_erlangs"], 2),
            pct(&p["rejected_share"]),
            pct(&p["lost_share"]),
            pct(&p["utilization"]),
        ]);
        if lost > GOS_TARGET {
            r.findings.push(format!(
                "{name} refuses {} of its attempts for want of room; {} of its attempts are lost (calls \
                 from the PSTN it refused, calls no other trunk took), above {}: run `voicetwin plan` for \
                 its size.",
                pct(&p["rejected_share"]),
                pct(&p["lost_share"]),
                pct_of(GOS_TARGET)
            ));
        } else if g > GOS_TARGET {
            r.findings.push(format!(
                "{name} refuses {} of its attempts for want of room; {} of its attempts are lost, the \
                 rest of those it refuses overflow to another trunk and are carried.",
                pct(&p["rejected_share"]),
                pct(&p["lost_share"])
            ));
        }
        if u > HIGH_UTILIZATION {
            r.findings.push(format!(
                "{name} runs at {:.0}% mean utilization: little room for growth or failover.",
                u * 100.0
            ));
        }
        if let Some(cap) = cap.filter(|c| *c > 0) {
            let offered = if g < 1.0 { carried / (1.0 - g) } else { carried };
            if g.is_finite() {
                pts.push((format!("{name} ({cap} ch)"), vec![(offered, g * 100.0, glo * 100.0, ghi * 100.0)]));
            }
            let cap32 = cap as u32;
            let hi = (cap as f64 * 1.2).max(offered * 1.1);
            let curve = (0..=60).map(|i| {
                let a = hi * i as f64 / 60.0;
                (a, erlang_b(cap32, a) * 100.0)
            });
            curves.push(Series {
                // Same colour as the peer's point; the legend names the point.
                label: String::new(),
                points: curve.collect(),
                band: None,
                band_on_x: false,
                reference: true,
            });
        }
    }
    if !rows.is_empty() {
        r.tables.push((
            "PSTN peers".into(),
            [
                "peer",
                "kind",
                "channels",
                "carried E",
                "attempts refused (most overflow)",
                "attempts lost",
                "utilization",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        ));
    }
    if !pts.is_empty() {
        push(
            r,
            "gos-vs-load.svg",
            "Grade of service against offered load, per peer, beside Erlang B",
            charts::points_and_curves(
                "Calls rejected against offered load: simulated (95% CI), dashed: Erlang B",
                "Offered load (Erlangs)",
                "Calls rejected (%)",
                &pts,
                &curves,
            ),
        );
    }
    let (poor, ..) = est(&s["mos"]["poor_share"]);
    if poor > POOR_SHARE {
        r.findings.push(format!("{:.1}% of scored calls have a MOS below {POOR_MOS} (poor).", poor * 100.0));
    }
    for f in s["failures"].as_array().into_iter().flatten() {
        let name = f["name"].as_str().unwrap_or("a failure");
        let (dropped, dlo, dhi) = est(&f["dropped"]);
        let (detect, ..) = est(&f["time_to_detect_s"]);
        let mut text = format!("{name}: {dropped:.1} calls dropped (95% CI {dlo:.1} to {dhi:.1})");
        if detect.is_finite() && detect > 0.0 {
            let _ = write!(text, ", the peer marked down after {detect:.0} s on average");
        }
        r.findings.push(text + ".");
    }
    if let Some(i) = s.get("failure_impact").filter(|v| !v.is_null()) {
        let (lost, lo, hi) = est(&i["calls_lost"]);
        r.findings.push(format!(
            "Against the same calls without the failure, {lost:.1} calls are lost (95% CI {lo:.1} to {hi:.1})."
        ));
    }
    // Mean MOS and the poor-call share per site.
    let bars: Vec<Bar> = s["mos"]["sites"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|site| {
            let (m, lo, hi) = est(&site["poor_share"]);
            Bar {
                label: site["name"].as_str().unwrap_or("?").to_owned(),
                value: m * 100.0,
                low: lo * 100.0,
                high: hi * 100.0,
            }
        })
        .collect();
    if !bars.is_empty() {
        push(
            r,
            "mos-poor-share.svg",
            "Share of calls with poor quality per site",
            charts::bars(
                &format!("Calls with MOS below {POOR_MOS}, per site (% of scored calls, 95% CI)"),
                "Poor calls (%)",
                &bars,
            ),
        );
    }
    mos_distribution(r, &s["mos"]);
    // The headline first, then every stream above 1%: the overall figure
    // can hide a small stream that fares badly.
    let mut head = vec![format!(
        "Overall, {} of the calls needing the PSTN side (outbound, inbound, inter-trunk) were blocked.",
        pct(&s["grade_of_service"])
    )];
    for d in s["directions"].as_array().into_iter().flatten() {
        if let Some(note) = above_one_percent(&d["grade_of_service"]) {
            let name = d["direction"].as_str().unwrap_or("?");
            head.push(format!("{name} calls: grade of service {}, {note}.", pct(&d["grade_of_service"])));
        }
    }
    for (what, key) in [("Site", "sites"), ("Source", "sources")] {
        for g in s[key].as_array().into_iter().flatten() {
            if let Some(note) = above_one_percent(&g["grade_of_service"]) {
                head.push(format!(
                    "{what} {}: grade of service {}, {note}.",
                    g["name"].as_str().unwrap_or("?"),
                    pct(&g["grade_of_service"])
                ));
            }
        }
    }
    r.findings.splice(0..0, head);
}

/// The MOS distribution (CDF) of all scored calls and of each site's,
/// each quantile with its interval.
fn mos_distribution(r: &mut Review, mos: &Value) {
    let curve = |label: String, cdf: &Value| {
        let pts: Vec<(f64, f64, f64, f64)> = cdf
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                let (m, lo, hi) = est(&p["mos"]);
                (p["share"].as_f64().unwrap_or(0.0) * 100.0, m, lo, hi)
            })
            .collect();
        Series {
            label,
            points: pts.iter().map(|p| (p.1, p.0)).collect(),
            band: Some(pts.iter().map(|p| (p.2, p.3)).collect()),
            band_on_x: true,
            reference: false,
        }
    };
    let mut series = vec![curve("all calls".into(), &mos["cdf"])];
    for site in mos["sites"].as_array().into_iter().flatten() {
        series.push(curve(site["name"].as_str().unwrap_or("?").to_owned(), &site["cdf"]));
    }
    series.retain(|s| !s.points.is_empty());
    if series.is_empty() {
        return;
    }
    if series.iter().flat_map(|s| &s.points).any(|p| p.0 < 3.4) {
        series.push(Series {
            label: format!("poor below {POOR_MOS}"),
            points: vec![(POOR_MOS, 0.0), (POOR_MOS, 100.0)],
            band: None,
            band_on_x: false,
            reference: true,
        });
    }
    push(
        r,
        "mos-cdf.svg",
        "MOS distribution of scored calls, overall and per site",
        charts::lines(
            "MOS distribution: share of calls at or below each MOS (95% CI)",
            "MOS (G.107 E-model, 1 to 4.5)",
            "Calls at or below (%)",
            &series,
            true,
        ),
    );
}

/// Tables of the model's sites, trunks and routes, and its topology drawn.
fn model_section(r: &mut Review, dir: &Completed) {
    let path = dir.dir().join("model.toml");
    let Ok(Some(text)) = dir.text("model.toml") else { return };
    let m = match crate::model::load_str(&text, &path.display().to_string()) {
        Ok(m) => m,
        Err(e) => {
            r.findings.push(format!("The model in the folder could not be read again: {e}"));
            return;
        }
    };
    let kind = |v: serde_json::Result<Value>| {
        v.ok()
            .map(|v| v.get("kind").cloned().unwrap_or(v))
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    let sites = m
        .sites
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let peers: Vec<&str> = m.peers.iter().filter(|p| p.site.index() == i).map(|p| p.name.as_str()).collect();
            vec![
                st.name.clone(),
                m.regions[st.region.index()].name.clone(),
                kind(serde_json::to_value(st.kind)),
                peers.join(", "),
            ]
        })
        .collect();
    r.tables.push(("Sites".into(), ["site", "region", "kind", "PSTN peers"].map(String::from).to_vec(), sites));
    let trunks = m
        .trunks
        .iter()
        .map(|t| {
            let peer = &m.peers[t.peer.index()];
            vec![
                t.name.clone(),
                m.mediation_pools[t.mediation_pool.index()].fqdn.clone(),
                peer.name.clone(),
                kind(serde_json::to_value(peer.kind)),
                t.max_calls.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    r.tables.push((
        "Trunks".into(),
        ["trunk", "Mediation pool", "peer", "peer kind", "max calls"].map(String::from).to_vec(),
        trunks,
    ));
    let routes = m
        .routes
        .iter()
        .map(|v| {
            vec![
                v.name.clone(),
                v.number_pattern.as_str().to_owned(),
                v.pstn_usages.iter().map(|u| m.usages[u.index()].clone()).collect::<Vec<_>>().join(", "),
                v.trunks.iter().map(|t| m.trunks[t.index()].name.clone()).collect::<Vec<_>>().join(", "),
            ]
        })
        .collect();
    r.tables.push((
        "Voice routes".into(),
        ["route", "number pattern", "PSTN usages", "trunks"].map(String::from).to_vec(),
        routes,
    ));
    // The topology.
    let mut nodes: Vec<charts::Node> =
        m.sites.iter().enumerate().map(|(i, st)| charts::Node { label: st.name.clone(), tier: 0, site: i }).collect();
    let pool0 = nodes.len();
    nodes.extend(m.mediation_pools.iter().map(|p| charts::Node {
        label: p.fqdn.split('.').next().unwrap_or(&p.fqdn).to_owned(),
        tier: 1,
        site: p.site.index(),
    }));
    let peer0 = nodes.len();
    nodes.extend(m.peers.iter().map(|p| charts::Node { label: p.name.clone(), tier: 2, site: p.site.index() }));
    let mut edges: Vec<(usize, usize, String)> = m
        .links
        .iter()
        .map(|l| (l.sites.0.index(), l.sites.1.index(), format!("{} Mbps", l.bandwidth_kbps as f64 / 1000.0)))
        .collect();
    edges.extend(m.trunks.iter().map(|t| (pool0 + t.mediation_pool.index(), peer0 + t.peer.index(), String::new())));
    let title = format!("Topology: {}", m.name);
    push(
        r,
        "topology.svg",
        "The network: sites, WAN links, Mediation pools and PSTN peers",
        charts::topology(&title, &nodes, &edges),
    );
}

/// The failover timeline of the first replication.
fn timeline(r: &mut Review, dir: &Completed) -> Result<(), ReportError> {
    let Some(t) = Csv::read(dir, "timeline.csv")? else { return Ok(()) };
    let rep = t.need("replication")?;
    let time = t.need("time_s")?;
    let el = t.need("element")?;
    let state = t.need("state")?;
    let mut lanes: BTreeMap<String, Vec<(f64, String)>> = BTreeMap::new();
    let mut end: f64 = 0.0;
    for row in t.rows.iter().filter(|row| row[rep] == "0") {
        let x = t.num(row, time) / 3600.0;
        end = end.max(x);
        lanes.entry(row[el].clone()).or_default().push((x, row[state].clone()));
    }
    if lanes.is_empty() {
        return Ok(());
    }
    let summary_end = summary(dir)?.and_then(|v| v["scenario"]["duration_s"].as_f64()).map(|d| d / 3600.0);
    let end = summary_end.unwrap_or(end * 1.1).max(end);
    let rows: Vec<charts::StateRow> = lanes
        .into_iter()
        .map(|(name, mut events)| {
            events.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut spans = vec![(0.0, events[0].0, "up".to_owned())];
            for (i, (x, s)) in events.iter().enumerate() {
                let next = events.get(i + 1).map(|e| e.0).unwrap_or(end);
                spans.push((*x, next, s.clone()));
            }
            (name, spans)
        })
        .collect();
    let title = "Failover timeline (replication 0): element states";
    push(r, "failover-timeline.svg", title, charts::timeline(title, "Time (h)", &rows, end));
    Ok(())
}

fn run_series(r: &mut Review, dir: &Completed) -> Result<(), ReportError> {
    if let Some(ts) = Csv::read(dir, "timeseries.csv")? {
        let t = ts.need("bucket_start_s")?;
        let k = ts.need("kind")?;
        let e = ts.need("element")?;
        let c = ts.need("capacity")?;
        let m = ts.need("mean_occupancy")?;
        let lo = ts.need("ci95_low")?;
        let hi = ts.need("ci95_high")?;
        let mut by_kind: BTreeMap<String, BTreeMap<String, Series>> = BTreeMap::new();
        for row in &ts.rows {
            let cap = ts.num(row, c);
            if cap.is_nan() || cap <= 0.0 {
                continue;
            }
            let x = ts.num(row, t) / 3600.0;
            let s = by_kind.entry(row[k].clone()).or_default().entry(row[e].clone()).or_insert_with(|| Series {
                label: row[e].clone(),
                points: vec![],
                band: Some(vec![]),
                band_on_x: false,
                reference: false,
            });
            s.points.push((x, ts.num(row, m) / cap * 100.0));
            if let Some(b) = s.band.as_mut() {
                b.push((ts.num(row, lo) / cap * 100.0, ts.num(row, hi) / cap * 100.0));
            }
        }
        for (kind, series) in by_kind {
            if !UTILIZATION_KINDS.contains(&kind.as_str()) {
                continue;
            }
            let mut series: Vec<Series> = series.into_values().collect();
            // The busiest eight: more lines than that do not read.
            series.sort_by(|a, b| {
                let peak = |s: &Series| s.points.iter().map(|p| p.1).fold(0.0, f64::max);
                peak(b).total_cmp(&peak(a)).then(a.label.cmp(&b.label))
            });
            series.truncate(8);
            let noun = match kind.as_str() {
                "peer" => "gateways, ITSPs and PBXs (channels or sessions)",
                "trunk" => "trunks (calls)",
                "mediation-pool" => "Mediation pools (calls)",
                "wan-link" => "WAN links (bandwidth)",
                _ => kind.as_str(),
            };
            let title = format!("Utilization over time: {noun}");
            push(
                r,
                &format!("utilization-{kind}.svg"),
                &title,
                charts::lines(&title, "Time (h)", "Mean occupancy (% of capacity)", &series, true),
            );
        }
    }
    if let Some(cs) = Csv::read(dir, "calls.csv")? {
        let mut series = Vec::new();
        for name in ["offered", "blocked"] {
            if let (Some(t), Some(m), Some(lo), Some(hi)) = (
                cs.col("bucket_start_s"),
                cs.col(name),
                cs.col(&format!("{name}_ci95_low")),
                cs.col(&format!("{name}_ci95_high")),
            ) {
                series.push(Series {
                    label: format!("PSTN calls {name}"),
                    points: cs.rows.iter().map(|row| (cs.num(row, t) / 3600.0, cs.num(row, m))).collect(),
                    band: Some(cs.rows.iter().map(|row| (cs.num(row, lo), cs.num(row, hi))).collect()),
                    band_on_x: false,
                    reference: false,
                });
            }
        }
        if !series.is_empty() {
            let title = "Calls needing the PSTN side, offered and blocked per interval (95% CI)";
            push(r, "calls.svg", title, charts::lines(title, "Time (h)", "Calls per interval", &series, true));
        }
    }
    if let Some(ms) = Csv::read(dir, "mos.csv")? {
        if let (Some(t), Some(m), Some(lo), Some(hi)) =
            (ms.col("bucket_start_s"), ms.col("mos_mean"), ms.col("ci95_low"), ms.col("ci95_high"))
        {
            let s = Series {
                label: "mean MOS (G.107 E-model)".into(),
                points: ms.rows.iter().map(|row| (ms.num(row, t) / 3600.0, ms.num(row, m))).collect(),
                band: Some(ms.rows.iter().map(|row| (ms.num(row, lo), ms.num(row, hi))).collect()),
                band_on_x: false,
                reference: false,
            };
            let poor = Series {
                label: format!("poor below {POOR_MOS}"),
                points: s
                    .points
                    .first()
                    .zip(s.points.last())
                    .map(|(a, b)| vec![(a.0, POOR_MOS), (b.0, POOR_MOS)])
                    .unwrap_or_default(),
                band: None,
                band_on_x: false,
                reference: true,
            };
            let title = "Mean MOS of the calls answered per interval (95% CI)";
            push(r, "mos.svg", title, charts::lines(title, "Time (h)", "MOS (1-5)", &[s, poor], false));
        }
    }
    Ok(())
}

fn whatif(r: &mut Review, dir: &Completed) -> Result<(), ReportError> {
    let Some(w) = Csv::read(dir, "whatif.csv")? else { return Ok(()) };
    let e = w.need("elements")?;
    let m = w.need("calls_lost")?;
    let lo = w.need("calls_lost_ci95_low")?;
    let hi = w.need("calls_lost_ci95_high")?;
    let isolated = w.col("isolated_sites");
    let bars: Vec<Bar> = w
        .rows
        .iter()
        .take(15)
        .map(|row| Bar { label: row[e].clone(), value: w.num(row, m), low: w.num(row, lo), high: w.num(row, hi) })
        .collect();
    for row in w.rows.iter().take(3) {
        let iso = isolated.map(|i| row[i].clone()).unwrap_or_default();
        r.findings.push(if iso.is_empty() {
            format!(
                "Losing {} costs {:.1} calls (95% CI {:.1} to {:.1}).",
                row[e],
                w.num(row, m),
                w.num(row, lo),
                w.num(row, hi)
            )
        } else {
            format!("Losing {} leaves {} without PSTN access ({:.1} calls lost).", row[e], iso, w.num(row, m))
        });
    }
    if r.title.is_empty() {
        r.title = "What-if".into();
    }
    push(
        r,
        "whatif-ranking.svg",
        "Failure impact ranking",
        charts::bars("Calls lost when each element fails (95% CI), worst first", "Calls lost", &bars),
    );
    Ok(())
}

fn sweep(r: &mut Review, dir: &Completed) -> Result<(), ReportError> {
    let Some(s) = Csv::read(dir, "sweep.csv")? else { return Ok(()) };
    let first_figure = s.need("offered")?;
    let g = s.need("grade_of_service")?;
    let (lo, hi) = (s.need("grade_of_service_ci95_low")?, s.need("grade_of_service_ci95_high")?);
    if first_figure == 0 {
        return Ok(());
    }
    // x: the last parameter; one series per combination of the others.
    let x = first_figure - 1;
    let mut groups: BTreeMap<String, Vec<(f64, f64, f64, f64)>> = BTreeMap::new();
    for row in &s.rows {
        let key = (0..x).map(|i| format!("{}={}", s.header[i], row[i])).collect::<Vec<_>>().join(", ");
        let gos = s.num(row, g) * 100.0;
        if gos.is_finite() {
            groups.entry(key).or_default().push((s.num(row, x), gos, s.num(row, lo) * 100.0, s.num(row, hi) * 100.0));
        }
    }
    let pts: Vec<charts::PointSeries> =
        groups.into_iter().map(|(k, v)| (if k.is_empty() { "simulated".into() } else { k }, v)).collect();
    if r.title.is_empty() {
        r.title = "Sweep".into();
    }
    let title = format!("Grade of service against {}", s.header[x]);
    push(
        r,
        "sweep.svg",
        &title,
        charts::points_and_curves(&title, &s.header[x], "Calls blocked (% of calls needing the PSTN side)", &pts, &[]),
    );
    Ok(())
}

fn plan(r: &mut Review, dir: &Completed) -> Result<(), ReportError> {
    let Some(p) = Csv::read(dir, "plan.csv")? else { return Ok(()) };
    let gr = p.need("growth")?;
    let el = p.need("peer")?;
    let kind = p.col("kind");
    let today = p.need("today")?;
    let needed = p.need("needed")?;
    // One chart per unit, one axis cannot show channels, servers and kbps;
    // series in the file's order (peers first).
    let mut charts: [Vec<Series>; 3] = Default::default();
    let spans = p.col("spans");
    let span_kind = p.col("span_kind");
    let rejected = p.col("today_rejected");
    let (low, high) = (p.col("today_rejected_ci95_low"), p.col("today_rejected_ci95_high"));
    for row in &p.rows {
        let k = kind.map(|c| row[c].as_str()).unwrap_or_default();
        let (what, unit, chart) = match k {
            "bandwidth-policy-kbps" => (format!("bandwidth policy {}", row[el]), " kbps", 2),
            "wan-link-kbps" => (format!("WAN link {}", row[el]), " kbps", 2),
            "mediation-pool-servers" => (row[el].clone(), " servers", 1),
            "trunk-max-calls" => (format!("trunk {}", row[el]), " calls", 0),
            "pstn-gateway" => (row[el].clone(), " channels", 0),
            "itsp-sbc" | "ip-pbx" => (row[el].clone(), " sessions", 0),
            _ => (row[el].clone(), "", 0),
        };
        let (t, n) = (p.num(row, today), p.num(row, needed));
        // Today's size in the legend: the margin reads off the chart.
        let label = format!("{what} (today {t}{unit})");
        let list = &mut charts[chart];
        match list.iter_mut().find(|s| s.label == label) {
            Some(s) => s.points.push((p.num(row, gr), n)),
            None => list.push(Series {
                label,
                points: vec![(p.num(row, gr), n)],
                band: None,
                band_on_x: false,
                reference: false,
            }),
        }
        if n > t {
            let refused = rejected.map(|c| p.num(row, c)).filter(|v| v.is_finite() && *v > 0.0);
            let bound = |c: Option<usize>| c.map(|c| p.num(row, c)).filter(|v| v.is_finite());
            let refused = refused.map(|x| (x, bound(low).unwrap_or(x), bound(high).unwrap_or(x)));
            let span = spans.zip(span_kind).map(|(a, b)| (p.num(row, a), row[b].as_str()));
            let span = span.filter(|s| s.0.is_finite() && !s.1.is_empty());
            let policy = k == "bandwidth-policy-kbps";
            r.findings.push(format!(
                "At {}× load, {}",
                row[gr],
                plan_finding(&what, unit, t, n, refused, span, policy)
            ));
        }
        if let Some(n1) = p.col("needed_n_minus_1").map(|c| p.num(row, c)).filter(|v| v.is_finite()) {
            if n1 > n.max(t) {
                r.findings.push(format!(
                    "At {}× load, with any one element failed, {what} needs {n1}{unit} (today {t}{unit}).",
                    row[gr]
                ));
            }
        }
    }
    if r.title.is_empty() {
        r.title = "Capacity plan".into();
    }
    let [counts, servers, kbps] = charts;
    let specs = [
        ("plan.svg", "Needed channels, sessions or calls against growth", "Needed", counts),
        ("plan-servers.svg", "Needed Mediation Servers against growth", "Servers", servers),
        ("plan-bandwidth.svg", "Needed bandwidth against growth", "Needed (kbps)", kbps),
    ];
    for (file, title, y, series) in specs {
        if !series.is_empty() {
            let series: Vec<Series> = series.into_iter().take(10).collect();
            push(r, file, title, charts::lines(title, "Growth factor of the load", y, &series, true));
        }
    }
    Ok(())
}

/// What today's size of an element refuses at a growth step, then what
/// to add: in whole spans for a gateway built of them.
fn plan_finding(
    what: &str,
    unit: &str,
    today: f64,
    needed: f64,
    refused: Option<(f64, f64, f64)>,
    span: Option<(f64, &str)>,
    policy: bool,
) -> String {
    let now = match refused {
        Some((x, lo, hi)) => {
            let (verb, of) =
                if policy { ("denies", "its audio sessions") } else { ("refuses", "the attempts offered to it") };
            let e = crate::analysis::stats::Estimate { mean: x, ci95_low: lo, ci95_high: hi };
            format!("{what} {verb} {} of {of} with today's {today}{unit};", super::figure::share(&Some(e)))
        }
        None => format!("{what} (today {today}{unit}):"),
    };
    let add = match span {
        Some((spans, kind)) => {
            let more = spans - (today / f64::from(crate::analysis::plan::span_channels(kind))).ceil();
            let s = if more > 1.0 { "s" } else { "" };
            format!("it needs {needed}{unit} ({spans} × {kind}): add {more} {kind}{s}.")
        }
        None => format!("it needs {needed}{unit}: add {}{unit}.", needed - today),
    };
    format!("{now} {add}")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Text for one cell of a Markdown table: a `|` (as in a number pattern's
/// alternation, `^\+(110|112)$`) would end the cell, and a line break
/// the row.
fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Writes `charts/*.svg` (and `.png`), `report.html` and `report.md` into
/// the folder; the charts of an earlier report that this one does not
/// draw go when the folder is committed, and only those.
pub fn write(folder: &mut ResultsFolder, r: &Review) -> Result<(), ReportError> {
    for c in &r.charts {
        folder.write(&format!("charts/{}", c.file), &c.svg)?;
        let png = super::png::from_svg(&c.svg).map_err(|e| ReportError::Io(format!("{}: {e}", c.file)))?;
        folder.write(&format!("charts/{}", c.file.replace(".svg", ".png")), png)?;
    }
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\n<style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}}table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}figure{{margin:2em 0}}figure svg{{max-width:100%;height:auto}}</style></head><body>\n<h1>{t}</h1>\n",
        t = esc(&r.title)
    );
    if !r.figures.is_empty() {
        h.push_str("<h2>Key figures</h2>\n<table>\n");
        for (k, v) in &r.figures {
            let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v));
        }
        h.push_str("</table>\n<p>Intervals are 95% confidence intervals over the replications.</p>\n");
    }
    if !r.findings.is_empty() {
        h.push_str("<h2>Findings</h2>\n<ul>\n");
        for f in &r.findings {
            let _ = writeln!(h, "<li>{}</li>", esc(f));
        }
        h.push_str("</ul>\n");
    }
    for (title, head, rows) in &r.tables {
        let _ = writeln!(
            h,
            "<h2>{}</h2>\n<table><tr>{}</tr>",
            esc(title),
            head.iter().map(|c| format!("<th>{}</th>", esc(c))).collect::<String>()
        );
        for row in rows {
            let _ = writeln!(h, "<tr>{}</tr>", row.iter().map(|c| format!("<td>{}</td>", esc(c))).collect::<String>());
        }
        h.push_str("</table>\n");
    }
    if !r.charts.is_empty() {
        h.push_str("<h2>Charts</h2>\n");
    }
    for c in &r.charts {
        let svg = c.svg.find("<svg").map(|i| &c.svg[i..]).unwrap_or(&c.svg);
        let _ = writeln!(
            h,
            "<figure class=\"chart\" id=\"{}\">{}<figcaption>{}</figcaption></figure>",
            esc(&c.file),
            svg,
            esc(&c.title)
        );
    }
    h.push_str("</body></html>\n");
    folder.write("report.html", h)?;

    let mut m = format!("# {}\n\n", r.title);
    if !r.figures.is_empty() {
        m.push_str("| Figure | Value (95% CI) |\n|---|---|\n");
        for (k, v) in &r.figures {
            let _ = writeln!(m, "| {} | {} |", md_cell(k), md_cell(v));
        }
        m.push('\n');
    }
    if !r.findings.is_empty() {
        m.push_str("## Findings\n\n");
        for f in &r.findings {
            let _ = writeln!(m, "- {f}");
        }
        m.push('\n');
    }
    for (title, head, rows) in &r.tables {
        let cells = |row: &[String]| row.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ");
        let _ = writeln!(m, "## {title}\n\n| {} |\n|{}|", cells(head), vec!["---"; head.len()].join("|"));
        for row in rows {
            let _ = writeln!(m, "| {} |", cells(row));
        }
        m.push('\n');
    }
    for c in &r.charts {
        let _ = writeln!(m, "![{}](charts/{})\n", c.title, c.file);
    }
    folder.write("report.md", m)?;
    Ok(())
}
