//! A run's `summary.json` in the report: its key figures, the peers'
//! table and findings, grade of service against load beside Erlang B,
//! voice quality per site and its distribution.

use std::fmt::Write as _;

use crate::analysis::erlang::erlang_b;
use crate::analysis::findings::{GOS_TARGET, HIGH_UTILIZATION, POOR_MOS, POOR_SHARE};
use crate::analysis::schema::summary::{MosFigures, Summary};
use crate::analysis::schema::ResultFile;

use super::super::charts::clock_label;
use super::super::charts::{self, Bar, Series};
use super::super::figure::calls_sentence;
use super::super::limits;
use super::{above_target, est, num, pct, pct_of, push, Review};

/// The key figures, the peers and the findings of a run.
pub(super) fn summary(r: &mut Review, s: &Summary) {
    let sc = &s.scenario;
    r.title = sc.name.clone();
    if let Some(warning) = s.pattern_limit_hits.warning() {
        r.findings.push(warning);
    }
    let c = &s.calls;
    r.header = vec![
        ("Network".into(), sc.model.clone()),
        ("Scenario".into(), format!("{} ({})", sc.name, sc.source)),
        (
            "Window".into(),
            format!(
                "{} to {}, measured from {}",
                clock_label(sc.start_hour, 0.0),
                clock_label(sc.start_hour, sc.duration_s),
                clock_label(sc.start_hour, sc.warm_up_s)
            ),
        ),
        ("Load".into(), format!("x{}", (sc.load_factor * 1e6).round() / 1e6)),
        ("Seed".into(), sc.seed.to_string()),
        ("Replications".into(), sc.replications.to_string()),
        ("Target".into(), format!("grade of service {}, MOS {POOR_MOS} or better", pct_of(GOS_TARGET))),
    ];
    r.figures = vec![
        ("Calls offered".into(), num(&Some(c.offered), 1)),
        ("Calls needing the PSTN side".into(), num(&Some(s.pstn_calls.offered), 1)),
        ("Calls blocked".into(), num(&Some(c.blocked), 1)),
        ("Calls dropped".into(), num(&Some(c.dropped), 1)),
        ("Calls failed (no route, no user, refused)".into(), num(&Some(c.failed), 1)),
        ("Grade of service".into(), pct(&s.grade_of_service)),
        ("Mean post-dial delay (ms)".into(), num(&s.pdd_ms.mean, 0)),
        ("Mean MOS".into(), num(&s.mos.mean, 2)),
    ];
    // Each direction's grade of service under the overall one.
    let at = r.figures.iter().position(|f| f.0 == "Grade of service").map_or(r.figures.len(), |i| i + 1);
    let directions: Vec<(String, String)> = s
        .directions
        .iter()
        .filter(|d| d.grade_of_service.is_some() && d.calls.offered.mean > 0.0)
        .map(|d| (format!("Grade of service, {} calls", d.direction.label()), pct(&d.grade_of_service)))
        .collect();
    r.figures.splice(at..at, directions);
    peers(r, s);
    if let Some(cost) = &s.cost {
        cost_table(r, cost);
    }
    let (poor, ..) = est(&s.mos.poor_share);
    if poor > POOR_SHARE {
        r.findings.push(format!(
            "{:.1}% of scored calls have a MOS below {POOR_MOS} (poor). (chart: mos-poor-share.svg)",
            poor * 100.0
        ));
    }
    // Calls that failed are in no grade of service (nothing was full):
    // a number no user has, a route missing, a peer's refusal. Say so
    // when they are more than the target's share of the calls.
    if c.offered.mean > 0.0 && c.failed.mean / c.offered.mean > GOS_TARGET {
        let codes: Vec<String> = s
            .final_responses
            .iter()
            .filter(|f| f.code >= 400 && f.calls.mean >= 0.5)
            .map(|f| format!("{} ({})", f.code, calls_sentence(&f.calls, "calls")))
            .collect();
        let by = if codes.is_empty() { String::new() } else { format!(", ended by {}", codes.join(", ")) };
        r.findings.push(format!(
            "{} failed ({:.1}% of the calls offered){by}: they found no route, no user with the number or a \
             refusal, not a full resource, so no grade of service counts them. Check the dial plans and routes \
             with `voicetwin route`.",
            calls_sentence(&c.failed, "calls"),
            c.failed.mean / c.offered.mean * 100.0
        ));
    }
    for f in &s.failures {
        let (detect, ..) = est(&f.time_to_detect_s);
        let mut text = format!("{}: {}", f.name, calls_sentence(&f.dropped, "calls dropped"));
        if detect.is_finite() && detect > 0.0 {
            let _ = write!(text, ", the peer marked down after {detect:.0} s on average");
        }
        r.findings.push(text + ". (chart: failover-timeline.svg)");
    }
    if let Some(i) = &s.failure_impact {
        r.findings.push(format!(
            "Against the same calls without the failure, {}.",
            calls_sentence(&i.calls_lost, "calls are lost")
        ));
    }
    // The poor-call share per site.
    let bars: Vec<Bar> = s
        .mos
        .sites
        .iter()
        .map(|site| {
            let (m, lo, hi) = est(&site.poor_share);
            Bar { label: site.name.clone(), value: m * 100.0, low: lo * 100.0, high: hi * 100.0 }
        })
        .collect();
    if !bars.is_empty() && bars.iter().all(|b| b.value == 0.0) {
        // Whiskers alone are no chart: the sentence gives their reach.
        let high = bars.iter().map(|b| b.high).fold(0.0, f64::max);
        r.findings.push(if charts::all_zero(&bars) {
            format!("No site had a scored call with a MOS below {POOR_MOS} (poor).")
        } else {
            format!(
                "No site had a scored call with a MOS below {POOR_MOS} (poor); the 95% intervals reach {high:.2}% at \
                 most."
            )
        });
    } else if !bars.is_empty() {
        let cut = limits::worst(bars, limits::SITE_BARS, |b| b.value, |b| b.label.as_str());
        let note =
            limits::note(&cut, "worst", "site", "sites", "poor-MOS share", &format!("{} (mos.sites)", Summary::FILE));
        let bars: Vec<charts::FlaggedBar> =
            cut.kept.into_iter().map(|bar| charts::FlaggedBar { bar, flag: String::new(), level: 0 }).collect();
        push(
            r,
            "mos-poor-share.svg",
            "Share of calls with poor quality per site",
            charts::ranking(
                &format!("Calls with MOS below {POOR_MOS}, per site (% of scored calls, 95% CI)"),
                &note.iter().map(String::as_str).collect::<Vec<_>>(),
                "Poor calls (%)",
                &bars,
                false,
            ),
        );
    }
    mos_distribution(r, &s.mos);
    // The headline first, then every stream above the target: the overall
    // figure can hide a small stream that fares badly.
    let mut head = vec![format!(
        "Overall, {} of the calls needing the PSTN side (outbound, inbound, inter-trunk) were blocked. (chart: \
         gos-over-time.svg)",
        pct(&s.grade_of_service)
    )];
    for d in &s.directions {
        if let Some(note) = above_target(&d.grade_of_service) {
            let name = d.direction.label();
            head.push(format!("{name} calls: grade of service {}, {note}.", pct(&d.grade_of_service)));
        }
    }
    for (what, many, field, groups) in
        [("Site", "sites", "sites", &s.sites), ("Source", "sources", "sources", &s.sources)]
    {
        let above: Vec<(String, f64, String)> = groups
            .iter()
            .filter_map(|g| {
                let note = above_target(&g.grade_of_service)?;
                let text = format!("{what} {}: grade of service {}, {note}.", g.name, pct(&g.grade_of_service));
                Some((g.name.clone(), est(&g.grade_of_service).0, text))
            })
            .collect();
        head.extend(limits::findings(above, |n| {
            format!(
                "And {n} more {many} with a grade of service above {}, listed in {} ({field}).",
                pct_of(GOS_TARGET),
                Summary::FILE
            )
        }));
    }
    r.findings.splice(0..0, head);
}

/// Gateways, ITSPs and PBXs: a table, findings, and the share of
/// attempts each refuses against its offered load beside its Erlang B
/// curve.
fn peers(r: &mut Review, s: &Summary) {
    let mut rows = Vec::new();
    let mut pts = Vec::new();
    let mut curves = Vec::new();
    let mut refusing = Vec::new();
    let mut busy = Vec::new();
    // The peers drawn on gos-vs-load.svg: above the limit, those that
    // refuse the largest share of their attempts.
    let drawn = limits::worst(
        s.peers.iter().filter(|p| p.capacity.is_some_and(|c| c > 0)).collect(),
        limits::LOAD_POINTS,
        |p| est(&p.rejected_share).0,
        |p| p.name.as_str(),
    );
    let load_note = limits::note(
        &drawn,
        "worst",
        "peer",
        "peers of known capacity",
        "share of attempts rejected",
        &format!("{} (peers)", Summary::FILE),
    );
    let drawn: Vec<&str> = drawn.kept.iter().map(|p| p.name.as_str()).collect();
    for p in &s.peers {
        let name = &p.name;
        let (g, glo, ghi) = est(&p.rejected_share);
        let (lost, ..) = est(&p.lost_share);
        let carried = p.carried_erlangs.mean;
        let (u, ..) = est(&p.utilization);
        rows.push(vec![
            name.clone(),
            p.kind.clone(),
            p.capacity.map(|c| c.to_string()).unwrap_or_else(|| "unlimited".into()),
            num(&Some(p.carried_erlangs), 2),
            pct(&p.rejected_share),
            pct(&p.lost_share),
            pct(&p.utilization),
        ]);
        if lost > GOS_TARGET {
            refusing.push((
                name.clone(),
                g,
                format!(
                    "{name} refuses {} of its attempts for want of room; {} of its attempts are lost (calls \
                 from the PSTN it refused, calls no other trunk took), above {}: run `voicetwin plan` for \
                 its size. (chart: gos-vs-load.svg)",
                    pct(&p.rejected_share),
                    pct(&p.lost_share),
                    pct_of(GOS_TARGET)
                ),
            ));
        } else if g > GOS_TARGET {
            refusing.push((
                name.clone(),
                g,
                format!(
                    "{name} refuses {} of its attempts for want of room; {} of its attempts are lost, the \
                 rest of those it refuses overflow to another trunk and are carried. (chart: gos-vs-load.svg)",
                    pct(&p.rejected_share),
                    pct(&p.lost_share)
                ),
            ));
        }
        if u > HIGH_UTILIZATION {
            busy.push((
                name.clone(),
                u,
                format!(
                    "{name} runs at {:.0}% mean utilization: little room for growth or failover. (chart: \
                     utilization-peer.svg)",
                    u * 100.0
                ),
            ));
        }
        if let Some(cap) = p.capacity.filter(|c| *c > 0 && drawn.contains(&name.as_str())) {
            let offered = if g < 1.0 { carried / (1.0 - g) } else { carried };
            if g.is_finite() {
                pts.push(charts::Points {
                    label: format!("{name} ({cap} ch)"),
                    color: Some(r.palette.color(name)),
                    points: vec![(offered, g * 100.0, glo * 100.0, ghi * 100.0)],
                });
            }
            let hi = (f64::from(cap) * 1.2).max(offered * 1.1);
            let curve = (0..=60).map(|i| {
                let a = hi * i as f64 / 60.0;
                (a, erlang_b(cap, a) * 100.0)
            });
            curves.push(Series {
                // Same colour as the peer's point; the legend names the point.
                label: String::new(),
                points: curve.collect(),
                band: None,
                band_on_x: false,
                reference: true,
                color: Some(r.palette.color(name)),
            });
        }
    }
    r.findings.extend(limits::findings(refusing, |n| {
        format!(
            "And {n} more peers refusing over {} of their attempts, listed in {} (peers). (chart: gos-vs-load.svg)",
            pct_of(GOS_TARGET),
            Summary::FILE
        )
    }));
    r.findings.extend(limits::findings(busy, |n| {
        format!(
            "And {n} more peers above {:.0}% mean utilization, listed in {} (peers). (chart: utilization-peer.svg)",
            HIGH_UTILIZATION * 100.0,
            Summary::FILE
        )
    }));
    // The table: above the limit, the busiest peers.
    let total = rows.len();
    let table = limits::worst(
        rows.into_iter().zip(&s.peers).collect(),
        limits::TABLE_ROWS,
        |(_, p)| est(&p.utilization).0,
        |(_, p)| p.name.as_str(),
    );
    let rows: Vec<Vec<String>> = table.kept.into_iter().map(|(row, _)| row).collect();
    if !rows.is_empty() {
        r.tables.push((
            limits::table_title(
                "PSTN peers",
                rows.len(),
                total,
                "the busiest by utilization,",
                &format!("{} (peers)", Summary::FILE),
            ),
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
            "Attempts each peer rejects against the load offered to it, beside its Erlang B curve",
            charts::points_in(
                &charts::Frame {
                    y_floor_zero: true,
                    limits: vec![charts::Limit {
                        y: GOS_TARGET * 100.0,
                        label: format!("{} blocking (sizing target)", pct_of(GOS_TARGET)),
                        color: None,
                    }],
                    note: load_note,
                    ..charts::Frame::new(
                        "Attempts rejected per peer (most overflow and are carried), 95% CI; dashed: Erlang B",
                        "Offered load (Erlangs)",
                        "Attempts rejected by the peer (%)",
                    )
                },
                &pts,
                &curves,
            ),
        );
    }
}

/// The MOS distribution of all scored calls and of each site's: the
/// middle 90%, the 1st and 99th percentiles and the median, over
/// G.107's bands of user satisfaction, the axis from below the poor
/// threshold to the E-model's best.
/// With tariffs: what the carried calls cost, overall, per route and per
/// peer, beside what they would have cost on their first choices and on
/// their dearest candidates (docs/results.md, "Cost").
fn cost_table(r: &mut Review, cost: &crate::analysis::schema::summary::CostFigures) {
    let row = |kind: &str, g: &crate::analysis::schema::summary::CostGroup| {
        vec![
            format!("{kind} {}", g.name).trim().to_owned(),
            num(&Some(g.calls), 1),
            num(&Some(g.cost), 2),
            num(&Some(g.cost_first_choice), 2),
            num(&Some(g.cost_dearest), 2),
            num(&Some(g.failover_cost), 2),
            num(&Some(g.routing_savings), 2),
        ]
    };
    // Above the limit, the dearest routes and peers.
    fn dearest(
        groups: &[crate::analysis::schema::summary::CostGroup],
    ) -> limits::Cut<&crate::analysis::schema::summary::CostGroup> {
        limits::worst(groups.iter().collect(), limits::TABLE_ROWS, |g| g.cost.mean, |g| g.name.as_str())
    }
    let (routes, peers) = (dearest(&cost.routes), dearest(&cost.peers));
    let mut rows = vec![row("", &cost.total)];
    rows.extend(routes.kept.iter().map(|g| row("route", g)));
    rows.extend(peers.kept.iter().map(|g| row("peer", g)));
    let (kept, total) = (routes.kept.len() + peers.kept.len(), routes.total + peers.total);
    r.tables.push((
        limits::table_title(
            "Cost of the carried calls (per replication, 95% intervals)",
            kept,
            total,
            "the dearest routes and peers,",
            &format!("{} (cost)", Summary::FILE),
        ),
        ["calls of", "answered calls", "cost", "on first choices", "on dearest", "failover cost", "LCR saves"]
            .map(String::from)
            .to_vec(),
        rows,
    ));
}

fn mos_distribution(r: &mut Review, mos: &MosFigures) {
    use crate::analysis::schema::summary::CdfPoint;
    let at = |cdf: &[CdfPoint], share: f64| {
        cdf.iter().find(|p| (p.share - share).abs() < 1e-9).map(|p| p.mos.mean).unwrap_or(f64::NAN)
    };
    let spread = |label: String, color, cdf: &[CdfPoint]| charts::Spread {
        label,
        color,
        p1: at(cdf, 0.01),
        p5: at(cdf, 0.05),
        p50: at(cdf, 0.5),
        p95: at(cdf, 0.95),
        p99: at(cdf, 0.99),
    };
    let finite = |s: &charts::Spread| [s.p1, s.p5, s.p50, s.p95, s.p99].iter().all(|v| v.is_finite());
    let mut rows = vec![spread("all calls".into(), charts::PALETTE[19], &mos.cdf)];
    rows.retain(finite);
    let sites: Vec<charts::Spread> = mos
        .sites
        .iter()
        .map(|site| spread(site.name.clone(), r.palette.color(&site.name), &site.cdf))
        .filter(finite)
        .collect();
    // Above the limit, the sites whose worst calls are worst.
    let cut = limits::worst(sites, limits::SPREAD_ROWS, |s| -s.p5, |s| s.label.as_str());
    let note = limits::note(
        &cut,
        "worst",
        "site",
        "sites",
        "lowest 5th-percentile MOS",
        &format!("{} (mos.sites)", Summary::FILE),
    );
    rows.extend(cut.kept);
    if rows.is_empty() {
        return;
    }
    // From a little below the poor threshold, or below the lowest 1st
    // percentile, to the E-model's best.
    let low = rows.iter().map(|s| s.p1 - 0.1).fold(POOR_MOS - 0.3, f64::min);
    let x0 = (low * 10.0).floor() / 10.0;
    push(
        r,
        "mos-distribution.svg",
        "MOS distribution of scored calls, overall and per site",
        charts::spreads(
            "MOS of scored calls: bar 5th to 95th percentile, whiskers 1st to 99th, dot median",
            note.as_deref(),
            "MOS (ITU-T G.107 E-model)",
            &rows,
            &mos_bands(),
            (x0.max(1.0), 4.5),
        ),
    );
}

/// ITU-T G.107's user satisfaction by rating R (Annex B: 90, 80, 70,
/// 60, 50), as MOS through the E-model's own conversion: the bands of the
/// MOS chart. The poor threshold ([`POOR_MOS`]) is R = 60's MOS, where
/// "nearly all users dissatisfied" begins.
fn mos_bands() -> Vec<charts::Band> {
    use crate::qos::emodel::mos;
    vec![
        (1.0, mos(50.0), "not recommended"),
        (mos(50.0), mos(60.0), "nearly all dissatisfied"),
        (mos(60.0), mos(70.0), "many dissatisfied"),
        (mos(70.0), mos(80.0), "some dissatisfied"),
        (mos(80.0), mos(90.0), "satisfied"),
        (mos(90.0), 4.5, "very satisfied"),
    ]
}
