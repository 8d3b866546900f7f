//! A sweep's `sweep.json` in the report: the grade of service against the
//! last parameter, one series per combination of the others.

use std::collections::BTreeMap;

use crate::analysis::schema::sweep::SweepResults;

use super::super::charts;
use super::{est, pct_of, push, Review, GOS_TARGET};

/// A swept value as given: `20.34`, `2`.
fn value(v: f64) -> String {
    format!("{v}")
}

fn header(r: &mut Review, s: &SweepResults) {
    if !r.header.is_empty() {
        return;
    }
    r.header = vec![
        ("Network".into(), super::whatif::network(&s.network, &s.model)),
        ("Scenario".into(), s.scenario.clone()),
        ("Seed".into(), s.seed.to_string()),
        ("Replications".into(), s.replications.to_string()),
        ("Target".into(), format!("grade of service at most {}", pct_of(GOS_TARGET))),
        (
            "Swept".into(),
            s.params
                .iter()
                .map(|p| format!("{} = {}", p.name, p.values.iter().map(|v| value(*v)).collect::<Vec<_>>().join(", ")))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    ];
}

pub(super) fn section(r: &mut Review, s: &SweepResults) {
    let Some((x, others)) = s.params.split_last() else { return };
    let mut groups: BTreeMap<String, Vec<(f64, f64, f64, f64)>> = BTreeMap::new();
    for pt in &s.points {
        let key = others
            .iter()
            .zip(&pt.values)
            .map(|(p, v)| format!("{} = {}", p.name, value(*v)))
            .collect::<Vec<_>>()
            .join(", ");
        let (gos, lo, hi) = est(&pt.grade_of_service);
        if gos.is_finite() {
            let at = pt.values.last().copied().unwrap_or(f64::NAN);
            groups.entry(key).or_default().push((at, gos * 100.0, lo * 100.0, hi * 100.0));
        }
    }
    let pts: Vec<charts::PointSeries> =
        groups.into_iter().map(|(k, v)| (if k.is_empty() { "simulated".into() } else { k }, v)).collect();
    if r.title.is_empty() {
        r.title = format!("Sweep: {}", if s.network.is_empty() { s.scenario.as_str() } else { s.network.as_str() });
    }
    header(r, s);
    let over: Vec<String> = s
        .points
        .iter()
        .filter(|p| p.grade_of_service.is_some_and(|g| g.mean > GOS_TARGET))
        .map(|p| {
            s.params
                .iter()
                .zip(&p.values)
                .map(|(q, v)| format!("{} = {}", q.name, value(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    r.findings.push(if over.is_empty() {
        format!(
            "Every point of the sweep meets the {} grade-of-service target on average (chart sweep.svg).",
            pct_of(GOS_TARGET)
        )
    } else {
        format!(
            "{} of the {} points miss the {} grade-of-service target on average: {} (chart sweep.svg).",
            over.len(),
            s.points.len(),
            pct_of(GOS_TARGET),
            over.join("; ")
        )
    });
    let title = format!("Grade of service against {} (95% CI)", x.name);
    let target = format!("target {}", pct_of(GOS_TARGET));
    push(
        r,
        "sweep.svg",
        &title,
        charts::grid(
            &title,
            &format!("{} (the swept value)", x.name),
            "Calls blocked (% of PSTN calls)",
            &pts,
            Some((GOS_TARGET * 100.0, &target)),
        ),
    );
}
