//! A run's CSV series in the report: each kind of element's utilization
//! over time (`timeseries.csv`), the calls offered and blocked
//! (`calls.csv`), the mean MOS (`mos.csv`), and the failover timeline
//! (`timeline.csv`).

use std::collections::BTreeMap;

use crate::analysis::findings::POOR_MOS;
use crate::analysis::schema::series::{CallsRow, MosRow, SeriesKind, SeriesRow, StateChangeRow};
use crate::analysis::schema::summary::Summary;
use crate::analysis::schema::table::Number;

use super::super::charts::{self, Series};
use super::super::folder::Completed;
use super::{push, rows, ReportError, Review};

/// The utilization of each kind of element, the calls and the MOS over
/// time.
pub(super) fn utilization_calls_and_mos(r: &mut Review, dir: &Completed) -> Result<(), ReportError> {
    if let Some(ts) = rows::<SeriesRow>(dir)? {
        // Kinds in the order of their names, elements too.
        let mut by_kind: BTreeMap<&str, (SeriesKind, BTreeMap<String, Series>)> = BTreeMap::new();
        for row in &ts {
            let cap = row.capacity.map_or(f64::NAN, |c| c.value);
            if cap.is_nan() || cap <= 0.0 {
                continue;
            }
            let x = row.bucket_start_s.value / 3600.0;
            let (_, series) = by_kind.entry(row.kind.label()).or_insert_with(|| (row.kind, BTreeMap::new()));
            let s = series.entry(row.element.clone()).or_insert_with(|| Series {
                label: row.element.clone(),
                points: vec![],
                band: Some(vec![]),
                band_on_x: false,
                reference: false,
                color: None,
            });
            s.points.push((x, row.mean_occupancy.value / cap * 100.0));
            if let Some(b) = s.band.as_mut() {
                b.push((row.ci95_low.value / cap * 100.0, row.ci95_high.value / cap * 100.0));
            }
        }
        for (label, (kind, series)) in by_kind {
            let mut series: Vec<Series> = series.into_values().collect();
            // The busiest eight: more lines than that do not read.
            series.sort_by(|a, b| {
                let peak = |s: &Series| s.points.iter().map(|p| p.1).fold(0.0, f64::max);
                peak(b).total_cmp(&peak(a)).then(a.label.cmp(&b.label))
            });
            series.truncate(8);
            let noun = match kind {
                SeriesKind::Peer => "gateways, ITSPs and PBXs (channels or sessions)",
                SeriesKind::Trunk => "trunks (calls)",
                SeriesKind::MediationPool => "Mediation pools (calls)",
                SeriesKind::WanLink => "WAN links (bandwidth)",
            };
            let title = format!("Utilization over time: {noun}");
            push(
                r,
                &format!("utilization-{label}.svg"),
                &title,
                charts::lines(&title, "Time (h)", "Mean occupancy (% of capacity)", &series, true),
            );
        }
    }
    if let Some(cs) = rows::<CallsRow>(dir)? {
        // Each figure of a line: its mean and interval.
        type Figure = fn(&CallsRow) -> [Number; 3];
        let line = |name: &str, figure: Figure| Series {
            label: format!("PSTN calls {name}"),
            points: cs.iter().map(|row| (row.bucket_start_s.value / 3600.0, figure(row)[0].value)).collect(),
            band: Some(cs.iter().map(figure).map(|[_, lo, hi]| (lo.value, hi.value)).collect()),
            band_on_x: false,
            reference: false,
            color: None,
        };
        let offered = line("offered", |r| [r.offered, r.offered_ci95_low, r.offered_ci95_high]);
        let blocked = line("blocked", |r| [r.blocked, r.blocked_ci95_low, r.blocked_ci95_high]);
        // The axis says what an interval is: the buckets' width.
        let width = match cs.as_slice() {
            [a, b, ..] => (b.bucket_start_s.value - a.bucket_start_s.value).round(),
            _ => 0.0,
        };
        let per = match width {
            60.0 => "Calls per minute".to_owned(),
            3600.0 => "Calls per hour".to_owned(),
            w if w > 0.0 => format!("Calls per {w} s"),
            _ => "Calls per interval".to_owned(),
        };
        let title = "Calls needing the PSTN side, offered and blocked per interval (95% CI)";
        push(r, "calls.svg", title, charts::lines(title, "Time (h)", &per, &[offered, blocked], true));
    }
    if let Some(ms) = rows::<MosRow>(dir)? {
        let s = Series {
            label: "mean MOS (G.107 E-model)".into(),
            points: ms.iter().map(|row| (row.bucket_start_s.value / 3600.0, row.mos_mean.value)).collect(),
            band: Some(ms.iter().map(|row| (row.ci95_low.value, row.ci95_high.value)).collect()),
            band_on_x: false,
            reference: false,
            color: None,
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
            color: None,
        };
        let title = "Mean MOS of the calls answered per interval (95% CI)";
        push(r, "mos.svg", title, charts::lines(title, "Time (h)", "MOS (1-5)", &[s, poor], false));
    }
    Ok(())
}

/// The failover timeline of the first replication, to the end of the run.
pub(super) fn timeline(r: &mut Review, dir: &Completed, summary: Option<&Summary>) -> Result<(), ReportError> {
    let Some(t) = rows::<StateChangeRow>(dir)? else { return Ok(()) };
    let mut lanes: BTreeMap<String, Vec<(f64, String)>> = BTreeMap::new();
    let mut end: f64 = 0.0;
    for row in t.iter().filter(|row| row.replication == 0) {
        let x = row.time_s.value / 3600.0;
        end = end.max(x);
        let state = serde_json::to_value(row.state).ok().and_then(|v| v.as_str().map(str::to_owned));
        lanes.entry(row.element.clone()).or_default().push((x, state.unwrap_or_default()));
    }
    if lanes.is_empty() {
        return Ok(());
    }
    let summary_end = summary.map(|s| s.scenario.duration_s / 3600.0);
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
