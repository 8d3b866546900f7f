//! A what-if's `whatif.json` in the report: emergency numbers that lose
//! their route first, then the costliest failures and the sites they cut
//! off from the PSTN, the ranking drawn with its order stated, and the
//! tables.

use crate::analysis::schema::whatif::{CaseResult, WhatIfResults, ORDER};
use crate::model::emergency::EmergencySource;

use super::super::charts::{self, Bar, FlaggedBar};
use super::super::figure::{calls, calls_sentence, percent, share};
use super::super::whatif::{no_route_why, pairs, pstn_cut, window, PSTN_CUT};
use super::{push, Review};

/// Most failures named in one finding.
const NAMED: usize = 8;

/// `a, b, c and 4 more`.
fn some_of(names: &[String]) -> String {
    if names.len() <= NAMED {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..NAMED].join(", "), names.len() - NAMED)
    }
}

/// What a case cuts off, in words: "cuts Dallas off from the PSTN and
/// leaves 30% of Paris's PSTN calls without a route".
fn cut_words(c: &CaseResult) -> Option<String> {
    let mut parts = Vec::new();
    if !c.isolated_sites.is_empty() {
        parts.push(format!("cuts {} off from the PSTN", c.isolated_sites.join(" and ")));
    }
    let partial: Vec<String> = c
        .pstn_cut
        .iter()
        .filter(|p| p.share < 1.0)
        .map(|p| format!("{} of {}'s PSTN calls", percent(p.share), p.site))
        .collect();
    if !partial.is_empty() {
        parts.push(format!("leaves {} without a route", partial.join(" and ")));
    }
    (!parts.is_empty()).then(|| parts.join(" and "))
}

pub(super) fn section(r: &mut Review, w: &WhatIfResults) {
    if let Some(warning) = w.pattern_limit_hits.warning() {
        r.findings.push(warning);
    }
    if r.title.is_empty() {
        r.title = "What-if".into();
    }
    r.figures.push(("What-if".into(), format!("N-{}, {} case(s), {}", w.k, w.results.len(), window(w))));
    r.figures.push(("Replications, seed".into(), format!("{}, {}", w.replications, w.seed)));
    r.figures.push(("Grade of service without failures".into(), share(&w.baseline_grade_of_service)));
    emergency(r, w);
    for c in w.results.iter().take(3) {
        let cut = cut_words(c).map(|t| format!("; it {t}")).unwrap_or_default();
        r.findings.push(format!("Losing {} costs {}{cut}.", c.label(), calls_sentence(&c.calls_lost, "calls lost")));
    }
    let more: Vec<&CaseResult> = w.results.iter().skip(3).filter(|c| !c.pstn_cut.is_empty()).collect();
    for c in more.iter().take(NAMED) {
        if let Some(cut) = cut_words(c) {
            r.findings.push(format!(
                "Losing {} {cut}: rank {}, {}.",
                c.label(),
                c.rank,
                calls_sentence(&c.calls_lost, "calls lost")
            ));
        }
    }
    if more.len() > NAMED {
        r.findings.push(format!(
            "{} more failures cut a site off from all or part of the PSTN (the ranking table).",
            more.len() - NAMED
        ));
    }
    if let Some(p) = pairs(w) {
        r.findings.push(p);
    }
    r.findings.push(format!("{ORDER} {PSTN_CUT}"));
    ranking_table(r, w);
    let bars: Vec<FlaggedBar> = w
        .results
        .iter()
        .take(15)
        .map(|c| {
            // Emergency numbers first: a cut-short flag keeps them.
            let mut flags: Vec<String> =
                c.emergency_lost.iter().map(|e| format!("EMERGENCY {} {} lost", e.site, e.number)).collect();
            let cut = pstn_cut(c);
            if !cut.is_empty() {
                flags.push(format!("PSTN cut: {cut}"));
            }
            let level = if !c.isolated_sites.is_empty() || !c.emergency_lost.is_empty() {
                2
            } else {
                u8::from(!c.pstn_cut.is_empty())
            };
            FlaggedBar {
                bar: Bar {
                    label: c.label(),
                    value: c.calls_lost.mean,
                    low: c.calls_lost.ci95_low,
                    high: c.calls_lost.ci95_high,
                },
                flag: flags.join("; "),
                level,
            }
        })
        .collect();
    push(
        r,
        "whatif-ranking.svg",
        "Failure impact ranking",
        charts::ranking(
            "Calls lost when each element fails (95% CI), the fifteen worst",
            &[
                ORDER,
                "Red: a site cut off from the PSTN, or an emergency number left without a route; orange: part of a \
                 site's PSTN calls left without a route (share written beside the bar).",
            ],
            "Calls lost (per replication, against the same calls without the failure)",
            &bars,
        ),
    );
}

/// The emergency findings, first of all: numbers a failure leaves without
/// a route, numbers with no route even without failures, sites with no
/// number to check; and their table.
fn emergency(r: &mut Review, w: &WhatIfResults) {
    let mut head = Vec::new();
    let mut rows = Vec::new();
    for e in &w.emergency {
        let lost_by: Vec<String> = w
            .results
            .iter()
            .filter(|c| c.emergency_lost.iter().any(|l| l.site == e.site && l.number == e.number))
            .map(CaseResult::label)
            .collect();
        if !e.reached {
            head.push(format!("EMERGENCY: {}.", no_route_why(e)));
        } else if !lost_by.is_empty() {
            head.push(format!(
                "EMERGENCY: {}'s emergency number {} loses its route when any of these fails: {} (without failures it \
                 goes through {}).",
                e.site,
                e.number,
                some_of(&lost_by),
                e.peers.join(", ")
            ));
        }
        rows.push(vec![
            e.site.clone(),
            e.number.clone(),
            e.normalized.join(", "),
            if e.reached { e.peers.join(", ") } else { "no route even without failures".into() },
            if lost_by.is_empty() { "-".into() } else { some_of(&lost_by) },
        ]);
    }
    for s in w.emergency_sites.iter().filter(|s| s.source == EmergencySource::Unknown) {
        head.push(format!(
            "EMERGENCY: site {} has no emergency number to check: its country \"{}\" is not in voicetwin's table \
             (docs/model.md); set [[site]] emergency_numbers.",
            s.site, s.country
        ));
    }
    r.findings.splice(0..0, head);
    if !rows.is_empty() {
        r.tables.push((
            "Emergency numbers".into(),
            vec![
                "site".into(),
                "number".into(),
                "normalized".into(),
                "through, without failures".into(),
                "failures that leave it no route".into(),
            ],
            rows,
        ));
    }
}

/// Every case in rank order, with its flags.
fn ranking_table(r: &mut Review, w: &WhatIfResults) {
    let rows = w
        .results
        .iter()
        .map(|c| {
            let cut = pstn_cut(c);
            vec![
                c.rank.to_string(),
                c.label(),
                calls(&c.calls_lost),
                calls(&c.blocked),
                calls(&c.dropped),
                share(&c.grade_of_service_during),
                if cut.is_empty() { "-".into() } else { cut },
                if c.emergency_lost.is_empty() {
                    "-".into()
                } else {
                    c.emergency_lost.iter().map(|e| format!("{} {}", e.site, e.number)).collect::<Vec<_>>().join("; ")
                },
                {
                    // Emergency losses have their own column.
                    let notes: Vec<String> = super::super::whatif::notes(w, c)
                        .into_iter()
                        .filter(|n| !n.starts_with("EMERGENCY "))
                        .collect();
                    if notes.is_empty() {
                        "-".into()
                    } else {
                        notes.join("; ")
                    }
                },
            ]
        })
        .collect();
    r.tables.push((
        "What-if ranking, by calls lost".into(),
        vec![
            "rank".into(),
            "failed element(s)".into(),
            "calls lost [95% CI]".into(),
            "blocked".into(),
            "dropped".into(),
            "GoS during".into(),
            "PSTN cut".into(),
            "emergency lost".into(),
            "notes".into(),
        ],
        rows,
    ));
}
