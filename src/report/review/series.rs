//! A run's CSV series in the report: each kind of element's utilization
//! over time (`timeseries.csv`), the calls offered and blocked
//! (`calls.csv`), the mean MOS (`mos.csv`), and the failover timeline
//! (`timeline.csv`).

use std::collections::BTreeMap;

use crate::analysis::findings::{GOS_TARGET, HIGH_UTILIZATION, POOR_MOS};
use crate::analysis::schema::series::{CacRow, CallsRow, MosRow, SeriesKind, SeriesRow, StateChangeRow};
use crate::analysis::schema::summary::Summary;
use crate::analysis::schema::table::{CsvRow, Number};

use super::super::charts::{self, Frame, Limit, Series};
use super::super::folder::Completed;
use super::super::limits::{self, Cut};
use super::{pct_of, push, rows, ReportError, Review};

/// Where each bucket of a run's series falls in clock time, and which
/// buckets were measured: a bucket that starts in the warm-up is not
/// drawn (the ramp from an empty network would read as an outage), and
/// the warm-up is shaded instead.
#[derive(Debug, Clone, Copy)]
pub(super) struct Clock {
    /// `None` when the results do not say (no `summary.json`).
    pub start_hour: Option<u8>,
    pub warm_up_s: f64,
    pub end_s: f64,
    pub bucket_s: f64,
}

impl Clock {
    pub fn of(summary: Option<&Summary>, last_bucket_s: f64) -> Self {
        match summary {
            Some(s) => Clock {
                start_hour: Some(s.scenario.start_hour),
                warm_up_s: s.scenario.warm_up_s,
                end_s: s.scenario.duration_s,
                bucket_s: s.scenario.bucket_s,
            },
            None => Clock { start_hour: None, warm_up_s: 0.0, end_s: last_bucket_s, bucket_s: 0.0 },
        }
    }

    /// Whether the bucket starting at `s` lies in the measured window.
    pub fn measured(&self, s: f64) -> bool {
        s >= self.warm_up_s - 1e-6 && s < self.end_s
    }

    /// Where a bucket's point is drawn: its middle.
    pub fn x(&self, s: f64) -> f64 {
        s + self.bucket_s / 2.0
    }

    /// A chart framed in clock time, the warm-up shaded.
    pub fn frame(&self, title: &str, y_desc: &str) -> Frame {
        let x_desc = match self.start_hour {
            Some(h) => format!("Clock time (the run starts at {})", ticks_label(h)),
            None => "Time into the run (h:mm)".to_owned(),
        };
        Frame {
            clock: Some(self.start_hour.unwrap_or(0)),
            shade: (self.warm_up_s > 0.0).then(|| (0.0, self.warm_up_s, "warm-up, not measured".to_owned())),
            x_range: Some((0.0, self.end_s.max(1.0))),
            y_floor_zero: true,
            ..Frame::new(title, &x_desc, y_desc)
        }
    }
}

fn ticks_label(h: u8) -> String {
    format!("{h:02}:00")
}

/// Each kind's lines of `timeseries.csv`, the measured buckets only, in
/// the elements' colours: % of capacity for peers, trunks and pools;
/// kbps for WAN links. The busiest by their peak first, at most
/// [`limits::LINES`] of a kind.
pub(super) fn utilization_series(
    ts: &[SeriesRow],
    clock: &Clock,
    palette: &charts::Palette,
) -> BTreeMap<SeriesKind, Cut<Series>> {
    let mut by_kind: BTreeMap<SeriesKind, BTreeMap<String, Series>> = BTreeMap::new();
    for row in ts.iter().filter(|row| clock.measured(row.bucket_start_s.value)) {
        let wan = row.kind == SeriesKind::WanLink;
        let cap = row.capacity.map_or(f64::NAN, |c| c.value);
        if !wan && (cap.is_nan() || cap <= 0.0) {
            continue;
        }
        let scale = if wan { 1.0 } else { 100.0 / cap };
        let s = by_kind.entry(row.kind).or_default().entry(row.element.clone()).or_insert_with(|| Series {
            label: row.element.clone(),
            points: vec![],
            band: Some(vec![]),
            band_on_x: false,
            reference: false,
            color: Some(palette.color(&row.element)),
        });
        s.points.push((clock.x(row.bucket_start_s.value), row.mean_occupancy.value * scale));
        if let Some(b) = s.band.as_mut() {
            b.push((row.ci95_low.value * scale, row.ci95_high.value * scale));
        }
    }
    by_kind
        .into_iter()
        .map(|(kind, series)| {
            let mut series: Vec<Series> = series.into_values().collect();
            series.sort_by(|a, b| {
                let peak = |s: &Series| s.points.iter().map(|p| p.1).fold(0.0, f64::max);
                peak(b).total_cmp(&peak(a)).then(a.label.cmp(&b.label))
            });
            (kind, limits::first(series, limits::LINES))
        })
        .collect()
}

/// The utilization of each kind of element, the calls, the grade of
/// service, CAC bandwidth and the MOS over time, in clock time.
pub(super) fn utilization_calls_and_mos(
    r: &mut Review,
    dir: &Completed,
    summary: Option<&Summary>,
) -> Result<(), ReportError> {
    if let Some(ts) = rows::<SeriesRow>(dir)? {
        let last = ts.iter().map(|row| row.bucket_start_s.value).fold(0.0, f64::max);
        let clock = Clock::of(summary, last);
        for (kind, cut) in utilization_series(&ts, &clock, &r.palette) {
            let (noun, y_desc) = match kind {
                SeriesKind::Peer => ("gateways, ITSPs and PBXs", "Channels or sessions in use (% of capacity)"),
                SeriesKind::Trunk => ("trunks", "Calls in progress (% of the trunk's limit)"),
                SeriesKind::MediationPool => ("Mediation pools", "Calls in progress (% of the pool's capacity)"),
                SeriesKind::WanLink => ("WAN links", "Voice and video media (kbps)"),
            };
            let (one, many, measure) = match kind {
                SeriesKind::Peer => ("peer", "peers", "peak utilization"),
                SeriesKind::Trunk => ("trunk", "trunks", "peak share of its limit"),
                SeriesKind::MediationPool => ("pool", "Mediation pools", "peak utilization"),
                SeriesKind::WanLink => ("link", "WAN links", "peak media kbps"),
            };
            let note = limits::note(&cut, "busiest", one, many, measure, SeriesRow::FILE);
            let mut series = cut.kept;
            let title = format!("{}: {noun}, mean over replications (95% CI)", kind_title(kind));
            let mut frame = clock.frame(&title, y_desc);
            frame.note = note;
            if kind == SeriesKind::WanLink {
                // Each link's label says its bandwidth: the media of a
                // call are far below a link's, and the CAC chart carries
                // the limits that decide.
                if let Some(s) = summary {
                    for line in &mut series {
                        if let Some(l) = s.links.iter().find(|l| l.name == line.label) {
                            line.label = format!("{} (of {})", line.label, kbps_text(f64::from(l.bandwidth_kbps)));
                        }
                    }
                }
            } else {
                frame.y_range = Some((0.0, 100.0));
                frame.limits.push(Limit {
                    y: HIGH_UTILIZATION * 100.0,
                    label: format!("{:.0}% planning limit", HIGH_UTILIZATION * 100.0),
                    color: None,
                });
            }
            push(r, &format!("utilization-{}.svg", kind.label()), &title, charts::chart(&frame, &series));
        }
        cac(r, dir, &clock, summary)?;
        if let Some(cs) = rows::<CallsRow>(dir)? {
            calls(r, &cs, &clock);
        }
        if let Some(ms) = rows::<MosRow>(dir)? {
            mos(r, &ms, &clock);
        }
    } else {
        let clock = Clock::of(summary, 0.0);
        if let Some(cs) = rows::<CallsRow>(dir)? {
            calls(r, &cs, &clock);
        }
        if let Some(ms) = rows::<MosRow>(dir)? {
            mos(r, &ms, &clock);
        }
    }
    Ok(())
}

fn kind_title(kind: SeriesKind) -> &'static str {
    match kind {
        SeriesKind::WanLink => "Media bandwidth over time",
        _ => "Utilization over time",
    }
}

/// What a bucket of `width` seconds is called: "minute", "hour", "30 s".
fn interval_name(width: f64) -> String {
    match width.round() {
        60.0 => "minute".to_owned(),
        3600.0 => "hour".to_owned(),
        w if w > 0.0 => format!("{w} s"),
        _ => "interval".to_owned(),
    }
}

/// kbps as a buyer reads it, exactly: "512 kbps", "1.5 Mbps",
/// "100 Mbps", and "2,048 kbps" (never "2 Mbps").
pub(super) fn kbps_text(kbps: f64) -> String {
    if kbps >= 1000.0 && (kbps / 100.0).fract() == 0.0 {
        format!("{} Mbps", kbps / 1000.0)
    } else {
        format!("{} kbps", super::super::figure::thousands(kbps.round() as i64))
    }
}

/// The bandwidth each CAC policy admitted over time, each beside its
/// audio limit, in the element's colour.
fn cac(r: &mut Review, dir: &Completed, clock: &Clock, summary: Option<&Summary>) -> Result<(), ReportError> {
    let Some(rows) = rows::<CacRow>(dir)? else { return Ok(()) };
    let mut lines: BTreeMap<String, Series> = BTreeMap::new();
    for row in rows.iter().filter(|row| clock.measured(row.bucket_start_s.value)) {
        lines
            .entry(row.element.clone())
            .or_insert_with(|| Series {
                label: row.element.clone(),
                points: vec![],
                band: None,
                band_on_x: false,
                reference: false,
                color: Some(r.palette.color(&row.element)),
            })
            .points
            .push((clock.x(row.bucket_start_s.value), row.admitted_kbps.value));
    }
    if lines.values().all(|s| s.points.iter().all(|p| p.1 == 0.0)) {
        return Ok(());
    }
    let limit_of = |name: &str| {
        summary.and_then(|s| s.cac.elements.iter().find(|e| e.name == name)).and_then(|e| e.audio_limit_kbps)
    };
    // Above the limit, the links nearest their limit at their peak.
    let ratio = |line: &Series| {
        let peak = line.points.iter().map(|p| p.1).fold(0.0, f64::max);
        limit_of(&line.label).filter(|l| *l > 0).map_or(f64::NAN, |l| peak / f64::from(l))
    };
    let cut = limits::worst(lines.into_values().collect(), limits::CAC_PANELS, ratio, |l| l.label.as_str());
    // A panel is one policed link (a site's link to its region, a region
    // link, an inter-site link or a WAN link), not a policy: one policy
    // is often applied to many links, so the note counts links.
    let note = limits::note(&cut, "highest", "link", "CAC-policed links", "peak admitted / audio limit", CacRow::FILE);
    // One panel per policy, each on its own scale against its own limit:
    // a 20 Mbps region link beside a 1.5 Mbps branch would flatten the
    // branch, whose limit is the one that decides.
    let cells: Vec<(Frame, Vec<Series>)> = cut
        .kept
        .into_iter()
        .map(|line| {
            let name = line.label.clone();
            let limit = limit_of(&name);
            let title = match limit {
                Some(l) => format!("{name}: audio limit {}", kbps_text(f64::from(l))),
                None => name.clone(),
            };
            let mut frame = clock.frame(&title, "Admitted (kbps)");
            let peak = line.points.iter().map(|p| p.1).fold(0.0, f64::max);
            if let Some(l) = limit {
                let l = f64::from(l);
                frame.limits.push(Limit { y: l, label: "audio limit".into(), color: None });
                frame.y_range = Some((0.0, l.max(peak) * 1.08));
            }
            frame.x_desc = String::new();
            (frame, vec![line])
        })
        .collect();
    let title = "CAC bandwidth admitted per policy, mean of replications (dashed: audio limit; grey: warm-up)";
    push(
        r,
        "cac.svg",
        "Bandwidth admitted by call admission control over time",
        charts::panels(title, note.as_deref(), &cells, 2),
    );
    Ok(())
}

/// The calls needing the PSTN side per interval, and their grade of
/// service per interval against the target (a sentence when nothing was
/// blocked).
fn calls(r: &mut Review, cs: &[CallsRow], clock: &Clock) {
    let measured: Vec<&CallsRow> = cs.iter().filter(|row| clock.measured(row.bucket_start_s.value)).collect();
    let width = match cs {
        [a, b, ..] => (b.bucket_start_s.value - a.bucket_start_s.value).round(),
        _ => 0.0,
    };
    // The axis says what an interval is: the buckets' width.
    let per = interval_name(width);
    let offered = Series {
        label: "offered".into(),
        points: measured.iter().map(|row| (clock.x(row.bucket_start_s.value), row.offered.value)).collect(),
        band: Some(measured.iter().map(|row| (row.offered_ci95_low.value, row.offered_ci95_high.value)).collect()),
        band_on_x: false,
        reference: false,
        color: None,
    };
    let title = format!("Calls needing the PSTN side per {per}, mean over replications (95% CI)");
    let frame = clock.frame(&title, &format!("Calls per {per}"));
    push(r, "calls.svg", &title, charts::chart(&frame, &[offered]));
    let blocked: f64 = measured.iter().map(|row| row.blocked.value).sum();
    if blocked == 0.0 {
        r.findings.push(format!("No call needing the PSTN side was blocked in any {per} of the measured window."));
        return;
    }
    let gos: Vec<&&CallsRow> = measured.iter().filter(|row| row.grade_of_service.is_some()).collect();
    let pct = |n: Option<Number>| n.map_or(0.0, |n| n.value * 100.0);
    let line = Series {
        label: "grade of service".into(),
        points: gos.iter().map(|row| (clock.x(row.bucket_start_s.value), pct(row.grade_of_service))).collect(),
        band: Some(
            gos.iter().map(|row| (pct(row.grade_of_service_ci95_low), pct(row.grade_of_service_ci95_high))).collect(),
        ),
        band_on_x: false,
        reference: false,
        color: None,
    };
    let title = format!("Grade of service per {per}: calls blocked (% of those needing the PSTN side, 95% CI)");
    let mut frame = clock.frame(&title, "Calls blocked (%)");
    frame.limits.push(Limit { y: GOS_TARGET * 100.0, label: format!("target {}", pct_of(GOS_TARGET)), color: None });
    push(r, "gos-over-time.svg", &title, charts::chart(&frame, &[line]));
}

/// The mean MOS per interval beside the poor threshold.
fn mos(r: &mut Review, ms: &[MosRow], clock: &Clock) {
    let measured: Vec<&MosRow> = ms.iter().filter(|row| clock.measured(row.bucket_start_s.value)).collect();
    if measured.is_empty() {
        return;
    }
    let s = Series {
        label: "mean MOS".into(),
        points: measured.iter().map(|row| (clock.x(row.bucket_start_s.value), row.mos_mean.value)).collect(),
        band: Some(measured.iter().map(|row| (row.ci95_low.value, row.ci95_high.value)).collect()),
        band_on_x: false,
        reference: false,
        color: None,
    };
    let low = measured.iter().map(|row| row.ci95_low.value).fold(POOR_MOS, f64::min);
    let per = match ms {
        [a, b, ..] => interval_name(b.bucket_start_s.value - a.bucket_start_s.value),
        _ => "interval".to_owned(),
    };
    let title = format!("Mean MOS of the calls answered per {per} (G.107 E-model, 95% CI)");
    let title = title.as_str();
    let mut frame = clock.frame(title, "Mean MOS");
    frame.y_floor_zero = false;
    frame.y_range = Some(((low - 0.2).max(1.0).floor(), 4.5));
    frame.limits.push(Limit { y: POOR_MOS, label: format!("poor below {POOR_MOS}"), color: None });
    push(r, "mos.svg", title, charts::chart(&frame, &[s]));
}

/// The failover timeline of the first replication, to the end of the run.
pub(super) fn timeline(r: &mut Review, dir: &Completed, summary: Option<&Summary>) -> Result<(), ReportError> {
    let Some(t) = rows::<StateChangeRow>(dir)? else { return Ok(()) };
    let mut lanes: BTreeMap<String, Vec<(f64, String)>> = BTreeMap::new();
    let mut end: f64 = 0.0;
    for row in t.iter().filter(|row| row.replication == 0) {
        let x = row.time_s.value;
        end = end.max(x);
        let state = serde_json::to_value(row.state).ok().and_then(|v| v.as_str().map(str::to_owned));
        lanes.entry(row.element.clone()).or_default().push((x, state.unwrap_or_default()));
    }
    if lanes.is_empty() {
        return Ok(());
    }
    let summary_end = summary.map(|s| s.scenario.duration_s);
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
    let clock = Clock::of(summary, end);
    let x_desc = clock.frame("", "").x_desc;
    push(
        r,
        "failover-timeline.svg",
        title,
        charts::timeline(title, &x_desc, &rows, end, Some(clock.start_hour.unwrap_or(0))),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: SeriesKind, element: &str, start: f64, capacity: Option<f64>, mean: f64) -> SeriesRow {
        SeriesRow {
            bucket_start_s: Number::plain(start),
            kind,
            element: element.into(),
            capacity: capacity.map(Number::plain),
            mean_occupancy: Number::plain(mean),
            ci95_low: Number::plain(mean * 0.9),
            ci95_high: Number::plain(mean * 1.1),
        }
    }

    fn clock() -> Clock {
        Clock { start_hour: Some(10), warm_up_s: 600.0, end_s: 3600.0, bucket_s: 300.0 }
    }

    #[test]
    fn the_warm_up_is_not_drawn_and_points_sit_mid_bucket_in_clock_time() {
        let rows: Vec<SeriesRow> =
            (0..12).map(|k| row(SeriesKind::Peer, "gw-a", f64::from(k) * 300.0, Some(30.0), 15.0)).collect();
        let series = utilization_series(&rows, &clock(), &charts::Palette::default());
        let gw = &series[&SeriesKind::Peer].kept[0];
        // Buckets at 0 and 300 s are in the 10-minute warm-up.
        assert_eq!(gw.points.len(), 10);
        assert_eq!(gw.points[0], (750.0, 50.0));
        assert!(gw.points.iter().all(|p| p.0 > 600.0));
        let frame = clock().frame("t", "y");
        assert_eq!(frame.shade.as_ref().map(|s| (s.0, s.1)), Some((0.0, 600.0)));
        assert_eq!(frame.clock, Some(10));
        assert!(frame.x_desc.contains("10:00"), "{}", frame.x_desc);
    }

    #[test]
    fn an_element_keeps_its_colour_on_every_chart_and_links_are_in_kbps() {
        let mut palette = charts::Palette::default();
        palette.add("peer", ["gw-a", "gw-b"]);
        palette.add("link", ["a-b"]);
        let rows = vec![
            row(SeriesKind::Peer, "gw-b", 900.0, Some(60.0), 30.0),
            row(SeriesKind::Peer, "gw-a", 900.0, Some(30.0), 3.0),
            row(SeriesKind::WanLink, "a-b", 900.0, Some(10000.0), 240.0),
        ];
        let series = utilization_series(&rows, &clock(), &palette);
        // The busier first, each in its own colour whatever its place.
        let peers = &series[&SeriesKind::Peer].kept;
        assert_eq!(peers[0].label, "gw-b");
        assert_eq!(peers[0].color, Some(palette.color("gw-b")));
        assert_eq!(peers[1].color, Some(palette.color("gw-a")));
        assert_ne!(peers[0].color, peers[1].color);
        assert_eq!(series[&SeriesKind::WanLink].kept[0].points, [(1050.0, 240.0)]);
        assert_eq!(series[&SeriesKind::WanLink].kept[0].color, Some(palette.color("a-b")));
    }

    #[test]
    fn bandwidth_reads_in_a_buyers_units() {
        assert_eq!(kbps_text(512.0), "512 kbps");
        assert_eq!(kbps_text(1500.0), "1.5 Mbps");
        assert_eq!(kbps_text(100_000.0), "100 Mbps");
        assert_eq!(kbps_text(2048.0), "2,048 kbps");
    }
}
