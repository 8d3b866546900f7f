//! A plan's `plan.json` in the report: what each element needs against
//! growth (one chart per unit), and what to add where today's size falls
//! short, line by line as `plan.csv` has them.

use crate::analysis::schema::plan::PlanResults;

use super::super::charts::{self, Series};
use super::{push, Review};

pub(super) fn section(r: &mut Review, p: &PlanResults) {
    // One chart per unit, one axis cannot show channels, servers and kbps;
    // series in the file's order (peers first).
    let mut charts: [Vec<Series>; 3] = Default::default();
    for row in p.rows() {
        let name = &row.name;
        let (what, unit, chart) = match row.kind.as_str() {
            "bandwidth-policy-kbps" => (format!("bandwidth policy {name}"), " kbps", 2),
            "wan-link-kbps" => (format!("WAN link {name}"), " kbps", 2),
            "mediation-pool-servers" => (name.clone(), " servers", 1),
            "trunk-max-calls" => (format!("trunk {name}"), " calls", 0),
            "pstn-gateway" => (name.clone(), " channels", 0),
            "itsp-sbc" | "ip-pbx" => (name.clone(), " sessions", 0),
            _ => (name.clone(), "", 0),
        };
        let (t, n, growth) = (f64::from(row.today), f64::from(row.needed), row.growth.value);
        // Today's size in the legend: the margin reads off the chart.
        let label = format!("{what} (today {t}{unit})");
        let list = &mut charts[chart];
        match list.iter_mut().find(|s| s.label == label) {
            Some(s) => s.points.push((growth, n)),
            None => {
                list.push(Series { label, points: vec![(growth, n)], band: None, band_on_x: false, reference: false })
            }
        }
        if n > t {
            let value =
                |c: Option<crate::analysis::schema::table::Number>| c.map(|c| c.value).filter(|v| v.is_finite());
            let refused = value(row.today_rejected).filter(|v| *v > 0.0);
            let refused = refused.map(|x| {
                (x, value(row.today_rejected_ci95_low).unwrap_or(x), value(row.today_rejected_ci95_high).unwrap_or(x))
            });
            let span = row.spans.zip(row.span_kind.as_deref()).map(|(a, b)| (f64::from(a), b));
            let span = span.filter(|s| !s.1.is_empty());
            let policy = row.kind == "bandwidth-policy-kbps";
            r.findings.push(format!("At {growth}× load, {}", finding(&what, unit, t, n, refused, span, policy)));
        }
        if let Some(n1) = row.needed_n_minus_1.map(f64::from) {
            if n1 > n.max(t) {
                r.findings.push(format!(
                    "At {growth}× load, with any one element failed, {what} needs {n1}{unit} (today {t}{unit})."
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
}

/// What today's size of an element refuses at a growth step, then what
/// to add: in whole spans for a gateway built of them.
fn finding(
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
            format!("{what} {verb} {} of {of} with today's {today}{unit};", super::super::figure::share(&Some(e)))
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
