//! A plan's `plan.json` in the report: what each element needs against
//! growth, one chart per unit it is bought in (spans, sessions, servers,
//! kbps), and what to buy where today's size falls short, N-1 included.

use crate::analysis::schema::plan::{ElementPlan, PlanResults, SizeBasis, Unit};

use super::super::charts::{self, Series};
use super::{push, Review};

/// The charts: units that share an axis, their file, title and axis.
const CHARTS: [(&[Unit], &str, &str, &str); 5] = [
    (&[Unit::E1Span, Unit::T1Span], "plan.svg", "Gateway spans needed against growth", "Spans"),
    (
        &[Unit::Channel, Unit::Session, Unit::Call],
        "plan-sessions.svg",
        "Channels, sessions and call limits needed against growth",
        "Channels, sessions or calls",
    ),
    (&[Unit::Server], "plan-servers.svg", "Mediation Servers needed against growth", "Servers"),
    (&[Unit::Kbps], "plan-bandwidth.svg", "Bandwidth needed against growth", "kbps"),
    (&[], "", "", ""),
];

pub(super) fn section(r: &mut Review, p: &PlanResults) {
    let mut charts: Vec<Vec<Series>> = CHARTS.iter().map(|_| Vec::new()).collect();
    let n1 = p.steps.iter().any(|s| s.n_minus_1.is_some());
    for step in &p.steps {
        let growth = step.growth;
        for e in &step.elements {
            let chart = CHARTS.iter().position(|c| c.0.contains(&e.unit)).unwrap_or(CHARTS.len() - 1);
            // Today's size in the legend: the change reads off the chart.
            let label = format!("{} (today {})", e.name, e.unit.count(e.today));
            add(&mut charts[chart], label, growth, f64::from(e.needed), false);
            if let Some(n) = e.n_minus_1 {
                add(&mut charts[chart], format!("{} N-1", e.name), growth, f64::from(n), true);
            }
            if let Some(f) = finding(e, growth, p.allow_shrink) {
                r.findings.push(f);
            }
        }
        for st in step.streams.iter().filter(|s| !s.met) {
            r.findings.push(format!(
                "At {growth}× load, stream {} misses its {:.2}% target even with the plan: {}.",
                st.stream,
                st.target * 100.0,
                super::super::figure::share(&st.planned)
            ));
        }
    }
    if r.title.is_empty() {
        r.title = "Capacity plan".into();
    }
    for ((_, file, title, y), series) in CHARTS.iter().zip(charts) {
        if !series.is_empty() && !file.is_empty() {
            let series: Vec<Series> = series.into_iter().take(if n1 { 12 } else { 10 }).collect();
            push(r, file, title, charts::count_lines(title, "Growth factor of the load", y, &series));
        }
    }
}

fn add(list: &mut Vec<Series>, label: String, x: f64, y: f64, reference: bool) {
    match list.iter_mut().find(|s| s.label == label) {
        Some(s) => s.points.push((x, y)),
        None => list.push(Series { label, points: vec![(x, y)], band: None, band_on_x: false, reference, color: None }),
    }
}

/// What to buy for an element at a growth step, in its unit, and why:
/// what today's size refuses, the plan, and N-1 beyond it; with
/// shrinking allowed, what could be released.
fn finding(e: &ElementPlan, growth: f64, allow_shrink: bool) -> Option<String> {
    let what = e.what();
    let today = e.unit.count(e.today);
    let n1 = e.n_minus_1.filter(|n| *n > e.needed.max(e.today));
    if e.needed > e.today {
        let now = match e.today_rejected.filter(|x| x.mean > 0.0) {
            Some(x) => {
                let (verb, of) = if e.kind == crate::analysis::schema::plan::ElementKind::BandwidthPolicy {
                    ("denies", "its audio sessions")
                } else {
                    ("refuses", "the attempts offered to it")
                };
                format!("{what} {verb} {} of {of} with today's {today};", super::super::figure::share(&Some(x)))
            }
            None => format!("{what} (today {today}):"),
        };
        let mut text =
            format!("At {growth}× load, {now} it needs {}: {}.", e.unit.count(e.needed), e.change_text(e.needed));
        if let Some(n) = n1 {
            text.push_str(&format!(" With any one element failed: {}, {}.", e.unit.count(n), e.change_text(n)));
        }
        return Some(text);
    }
    if let Some(n) = n1 {
        return Some(format!(
            "At {growth}× load, with any one element failed, {what} needs {} (today {today}): {}.",
            e.unit.count(n),
            e.change_text(n)
        ));
    }
    // What could be released keeps the N-1 size when there is one.
    let keep = e.needed.max(e.n_minus_1.unwrap_or(0));
    if allow_shrink && keep < e.today && e.basis != SizeBasis::Unconfirmed {
        let n1 = if e.n_minus_1.is_some() { " with any one element failed" } else { "" };
        return Some(format!(
            "At {growth}× load, {what} could {} (today {today}; the plan needs {}{n1}).",
            e.change_text(keep),
            e.unit.count(keep)
        ));
    }
    None
}
