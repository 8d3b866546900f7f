//! A sweep's `sweep.json` in the report: the grade of service against the
//! last parameter, one series per combination of the others.

use std::collections::BTreeMap;

use crate::analysis::schema::sweep::SweepResults;

use super::super::charts;
use super::{est, push, Review};

pub(super) fn section(r: &mut Review, s: &SweepResults) {
    let Some((x, others)) = s.params.split_last() else { return };
    let mut groups: BTreeMap<String, Vec<(f64, f64, f64, f64)>> = BTreeMap::new();
    for pt in &s.points {
        let key = others.iter().zip(&pt.values).map(|(p, v)| format!("{}={v}", p.name)).collect::<Vec<_>>().join(", ");
        let (gos, lo, hi) = est(&pt.grade_of_service);
        if gos.is_finite() {
            let at = pt.values.last().copied().unwrap_or(f64::NAN);
            groups.entry(key).or_default().push((at, gos * 100.0, lo * 100.0, hi * 100.0));
        }
    }
    let pts: Vec<charts::PointSeries> =
        groups.into_iter().map(|(k, v)| (if k.is_empty() { "simulated".into() } else { k }, v)).collect();
    if r.title.is_empty() {
        r.title = "Sweep".into();
    }
    let title = format!("Grade of service against {}", x.name);
    push(
        r,
        "sweep.svg",
        &title,
        charts::points_and_curves(&title, &x.name, "Calls blocked (% of calls needing the PSTN side)", &pts, &[]),
    );
}
