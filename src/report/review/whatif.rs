//! A what-if's `whatif.json` in the report: the costliest failures, and
//! the ranking drawn.

use crate::analysis::schema::whatif::WhatIfResults;

use super::super::charts::{self, Bar};
use super::{push, Review};

pub(super) fn section(r: &mut Review, w: &WhatIfResults) {
    if let Some(warning) = w.pattern_limit_hits.warning() {
        r.findings.push(warning);
    }
    let bars: Vec<Bar> = w
        .results
        .iter()
        .take(15)
        .map(|c| Bar {
            label: c.label(),
            value: c.calls_lost.mean,
            low: c.calls_lost.ci95_low,
            high: c.calls_lost.ci95_high,
        })
        .collect();
    for c in w.results.iter().take(3) {
        let lost = &c.calls_lost;
        r.findings.push(if c.isolated_sites.is_empty() {
            format!(
                "Losing {} costs {:.1} calls (95% CI {:.1} to {:.1}).",
                c.label(),
                lost.mean,
                lost.ci95_low,
                lost.ci95_high
            )
        } else {
            format!(
                "Losing {} leaves {} without PSTN access ({:.1} calls lost).",
                c.label(),
                c.isolated_sites.join("; "),
                lost.mean
            )
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
}
