//! A run's `summary.json` in the report: its key figures, the peers'
//! table and findings, grade of service against load beside Erlang B,
//! voice quality per site and its distribution.

use std::fmt::Write as _;

use crate::analysis::erlang::erlang_b;
use crate::analysis::findings::{GOS_TARGET, HIGH_UTILIZATION, POOR_MOS, POOR_SHARE};
use crate::analysis::schema::summary::{MosFigures, Summary};

use super::super::charts::{self, Bar, Series};
use super::super::figure::calls_sentence;
use super::{above_target, est, num, pct, pct_of, push, Review};

/// The key figures, the peers and the findings of a run.
pub(super) fn summary(r: &mut Review, s: &Summary) {
    let sc = &s.scenario;
    r.title = sc.name.clone();
    if let Some(warning) = s.pattern_limit_hits.warning() {
        r.findings.push(warning);
    }
    let c = &s.calls;
    r.figures = vec![
        ("Scenario".into(), format!("{} ({})", sc.source, sc.model)),
        ("Load factor".into(), format!("x{}", (sc.load_factor * 1e6).round() / 1e6)),
        ("Replications, seed".into(), format!("{}, {}", sc.replications, sc.seed)),
        ("Measured".into(), format!("{:.0} h after {:.0} min warm-up", sc.measured_s / 3600.0, sc.warm_up_s / 60.0)),
        ("Calls offered".into(), num(&Some(c.offered), 1)),
        ("Calls needing the PSTN side".into(), num(&Some(s.pstn_calls.offered), 1)),
        ("Calls blocked".into(), num(&Some(c.blocked), 1)),
        ("Calls dropped".into(), num(&Some(c.dropped), 1)),
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
    let (poor, ..) = est(&s.mos.poor_share);
    if poor > POOR_SHARE {
        r.findings.push(format!("{:.1}% of scored calls have a MOS below {POOR_MOS} (poor).", poor * 100.0));
    }
    for f in &s.failures {
        let (detect, ..) = est(&f.time_to_detect_s);
        let mut text = format!("{}: {}", f.name, calls_sentence(&f.dropped, "calls dropped"));
        if detect.is_finite() && detect > 0.0 {
            let _ = write!(text, ", the peer marked down after {detect:.0} s on average");
        }
        r.findings.push(text + ".");
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
    mos_distribution(r, &s.mos);
    // The headline first, then every stream above the target: the overall
    // figure can hide a small stream that fares badly.
    let mut head = vec![format!(
        "Overall, {} of the calls needing the PSTN side (outbound, inbound, inter-trunk) were blocked.",
        pct(&s.grade_of_service)
    )];
    for d in &s.directions {
        if let Some(note) = above_target(&d.grade_of_service) {
            let name = d.direction.label();
            head.push(format!("{name} calls: grade of service {}, {note}.", pct(&d.grade_of_service)));
        }
    }
    for (what, groups) in [("Site", &s.sites), ("Source", &s.sources)] {
        for g in groups {
            if let Some(note) = above_target(&g.grade_of_service) {
                head.push(format!("{what} {}: grade of service {}, {note}.", g.name, pct(&g.grade_of_service)));
            }
        }
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
            r.findings.push(format!(
                "{name} refuses {} of its attempts for want of room; {} of its attempts are lost (calls \
                 from the PSTN it refused, calls no other trunk took), above {}: run `voicetwin plan` for \
                 its size.",
                pct(&p.rejected_share),
                pct(&p.lost_share),
                pct_of(GOS_TARGET)
            ));
        } else if g > GOS_TARGET {
            r.findings.push(format!(
                "{name} refuses {} of its attempts for want of room; {} of its attempts are lost, the \
                 rest of those it refuses overflow to another trunk and are carried.",
                pct(&p.rejected_share),
                pct(&p.lost_share)
            ));
        }
        if u > HIGH_UTILIZATION {
            r.findings.push(format!(
                "{name} runs at {:.0}% mean utilization: little room for growth or failover.",
                u * 100.0
            ));
        }
        if let Some(cap) = p.capacity.filter(|c| *c > 0) {
            let offered = if g < 1.0 { carried / (1.0 - g) } else { carried };
            if g.is_finite() {
                pts.push((format!("{name} ({cap} ch)"), vec![(offered, g * 100.0, glo * 100.0, ghi * 100.0)]));
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
                color: None,
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
                "Attempts rejected per peer (most overflow and are carried), 95% CI; dashed: Erlang B",
                "Offered load (Erlangs)",
                "Attempts rejected by the peer (%)",
                &pts,
                &curves,
            ),
        );
    }
}

/// The MOS distribution (CDF) of all scored calls and of each site's,
/// each quantile with its interval.
fn mos_distribution(r: &mut Review, mos: &MosFigures) {
    let curve = |label: String, cdf: &[crate::analysis::schema::summary::CdfPoint]| {
        let pts: Vec<(f64, f64, f64, f64)> =
            cdf.iter().map(|p| (p.share * 100.0, p.mos.mean, p.mos.ci95_low, p.mos.ci95_high)).collect();
        Series {
            label,
            points: pts.iter().map(|p| (p.1, p.0)).collect(),
            band: Some(pts.iter().map(|p| (p.2, p.3)).collect()),
            band_on_x: true,
            reference: false,
            color: None,
        }
    };
    let mut series = vec![curve("all calls".into(), &mos.cdf)];
    for site in &mos.sites {
        series.push(curve(site.name.clone(), &site.cdf));
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
            color: None,
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
