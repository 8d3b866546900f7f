//! A what-if's `whatif.json` in the report: emergency numbers that lose
//! their route first, then the costliest failures and the sites they cut
//! off from the PSTN, the ranking drawn with its order stated, and the
//! tables.

use crate::analysis::schema::whatif::{CaseResult, WhatIfResults, ORDER};
use crate::model::emergency::EmergencySource;
use ranking::Ranking;

use super::super::charts::{self, Bar, FlaggedBar};
use super::super::figure::{calls, calls_sentence, percent, share};
use super::super::whatif::{no_route_why, pairs, pstn_cut, window, PSTN_CUT};
use super::{pct_of, push, Review, GOS_TARGET};
use crate::scenario::FailureMode;

use crate::report::limits::{self, WHATIF_NAMED as NAMED};

mod ranking;

/// The page's what-if results: the header's fields whole, the cases
/// folded into what the page shows ([`Ranking`]).
pub(super) type Results = WhatIfResults<Ranking>;

/// `a, b, c and 4 more`.
fn some_of(names: &[String]) -> String {
    if names.len() <= NAMED {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..NAMED].join(", "), names.len() - NAMED)
    }
}

/// A case past the three told in full that cuts a site off from all or
/// part of the PSTN, as a finding.
fn cutting_finding(c: &CaseResult) -> Option<String> {
    cut_words(c).map(|cut| {
        format!("Losing {} {cut}: rank {}, {}.", c.label(), c.rank, calls_sentence(&c.calls_lost, "calls lost"))
    })
}

/// What a case cuts off, in words: "cuts Dallas off from the PSTN and
/// leaves 30% of Paris's PSTN calls without a route".
fn cut_words(c: &CaseResult) -> Option<String> {
    let mut parts = Vec::new();
    if !c.isolated_sites.is_empty() {
        parts.push(format!("cuts {} off from the PSTN", some_of(&c.isolated_sites)));
    }
    let partial: Vec<String> = c
        .pstn_cut
        .iter()
        .filter(|p| p.share < 1.0)
        .map(|p| format!("{} of {}'s PSTN calls", percent(p.share), p.site))
        .collect();
    if !partial.is_empty() {
        parts.push(format!("leaves {} without a route", some_of(&partial)));
    }
    (!parts.is_empty()).then(|| parts.join(" and "))
}

/// Whether a case loses calls: at least one whole call per replication
/// on average (the mean rounds to 1 or more, as the tables write it).
fn loses_calls(c: &CaseResult) -> bool {
    c.calls_lost.mean >= 0.5
}

/// A case's flag beside its bar, in words, and how grave it is (2: a
/// site isolated or an emergency number left without a route; 1: part of
/// a site's PSTN calls left without a route; 0: neither).
fn flag(c: &CaseResult) -> (String, u8) {
    let mut parts = Vec::new();
    if !c.isolated_sites.is_empty() {
        parts.push(format!("site isolated: {}", c.isolated_sites.join(", ")));
    }
    let mut sites: Vec<&str> = Vec::new();
    for e in &c.emergency_lost {
        if !sites.contains(&e.site.as_str()) {
            sites.push(&e.site);
        }
    }
    if !sites.is_empty() {
        parts.push(format!("emergency unreachable at {}", sites.join(", ")));
    }
    let partial: Vec<String> =
        c.pstn_cut.iter().filter(|p| p.share < 1.0).map(|p| format!("{} {}", p.site, percent(p.share))).collect();
    if !partial.is_empty() {
        parts.push(format!("PSTN cut: {}", partial.join(", ")));
    }
    match c.inbound_cut.as_slice() {
        [] => {}
        [one] => parts.push(format!("inbound cut: {one}")),
        many => parts.push(format!("inbound cut: {} sources", many.len())),
    }
    if c.absorbed {
        parts.push("absorbed: the rest carried its calls".into());
    }
    let level =
        if !c.isolated_sites.is_empty() || !c.emergency_lost.is_empty() { 2 } else { u8::from(!partial.is_empty()) };
    (parts.join(" · "), level)
}

/// The element classes and k, as the command line gives them:
/// `peer, trunk; k = 1`.
fn elements(w: &Results) -> String {
    let classes: Vec<String> = w
        .classes
        .iter()
        .map(|c| serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())
        .collect();
    format!("{}; k = {}", classes.join(", "), w.k)
}

/// The network a results file is of: its name and where it came from.
pub(super) fn network(name: &str, model: &str) -> String {
    match (name.is_empty(), model.is_empty()) {
        (false, false) => format!("{name}, from {model}"),
        (false, true) => name.to_owned(),
        _ => model.to_owned(),
    }
}

/// The window in clock time: `10:20 to 11:00, each element silent`.
fn window_clock(w: &Results) -> String {
    format!(
        "{} to {} ({:.0} s to {:.0} s of the run), each element {}",
        w.window_from_clock,
        w.window_to_clock,
        w.window_from_s,
        w.window_to_s,
        if w.mode == FailureMode::Silent { "silent (stops answering)" } else { "rejecting calls (503)" }
    )
}

fn header(r: &mut Review, w: &Results) {
    if !r.header.is_empty() {
        return;
    }
    r.header = vec![
        ("Network".into(), network(&w.network, &w.model)),
        ("Scenario".into(), w.scenario.clone()),
        ("Seed".into(), w.seed.to_string()),
        ("Replications".into(), w.replications.to_string()),
        ("Target".into(), format!("grade of service at most {}", pct_of(GOS_TARGET))),
        ("Window".into(), window_clock(w)),
        ("Elements".into(), elements(w)),
    ];
}

pub(super) fn section(r: &mut Review, w: &Results) {
    if let Some(warning) = w.pattern_limit_hits.warning() {
        r.findings.push(warning);
    }
    if r.title.is_empty() {
        r.title = format!("What-if: {}", if w.network.is_empty() { w.scenario.as_str() } else { w.network.as_str() });
    }
    header(r, w);
    let ranked = &w.results;
    // Every case of the study's list, as the terminal and a shard count
    // them; the folded pairs are not ranked.
    let cases = match w.pairs_folded {
        0 => format!("{} case(s)", ranked.total),
        n => format!("{} case(s) ({} ranked, {n} pair(s) folded into a single)", ranked.total + n, ranked.total),
    };
    r.figures.push(("What-if".into(), format!("N-{}, {cases}, {}", w.k, window(w))));
    r.figures.push(("Replications, seed".into(), format!("{}, {}", w.replications, w.seed)));
    r.figures.push(("Grade of service without failures".into(), share(&w.baseline_grade_of_service)));
    r.figures
        .push(("Grade of service in the window, without failures".into(), share(&w.baseline_grade_of_service_during)));
    emergency(r, w);
    let chart = "(chart whatif-ranking.svg)";
    if ranked.shown.is_empty() {
        r.findings.push(format!(
            "No failure tried loses a call: each of the {} failures from {} to {} is carried by the rest of the \
             network (under half a call lost per replication on average, 0 as the tables round it; the ranking table \
             has the intervals). \
             No ranking chart is drawn.",
            ranked.total, w.window_from_clock, w.window_to_clock
        ));
    }
    for (i, c) in ranked.shown.iter().take(3).enumerate() {
        let mut cuts: Vec<String> = cut_words(c).into_iter().collect();
        if !c.emergency_lost.is_empty() {
            let lost: Vec<String> = c.emergency_lost.iter().map(|e| format!("{} {}", e.site, e.number)).collect();
            cuts.push(format!("leaves emergency calls without a route ({})", lost.join(", ")));
        }
        let cut = if cuts.is_empty() { String::new() } else { format!("; it {}", cuts.join(" and ")) };
        let gos = match (&c.grade_of_service_during, &w.baseline_grade_of_service_during) {
            (Some(_), Some(_)) => format!(
                "; grade of service during the failure {} against {} without it",
                share(&c.grade_of_service_during),
                share(&w.baseline_grade_of_service_during)
            ),
            _ => String::new(),
        };
        let lead = if i == 0 {
            format!("The costliest failure is {}", c.label())
        } else {
            format!("Rank {}: {}", c.rank, c.label())
        };
        r.findings.push(format!(
            "{lead}, from {} to {}: {} per replication{cut}{gos} {chart}.",
            w.window_from_clock,
            w.window_to_clock,
            calls_sentence(&c.calls_lost, "calls lost")
        ));
    }
    r.findings.extend(ranked.cutting.first.iter().flatten().cloned());
    if ranked.cutting.total > NAMED {
        r.findings.push(format!(
            "{} more failures cut a site off from all or part of the PSTN (the ranking table).",
            ranked.cutting.total - NAMED
        ));
    }
    let over = &ranked.over;
    let already = w.baseline_grade_of_service_during.is_some_and(|g| g.mean > GOS_TARGET);
    if already {
        // Every failure would count: say what the comparison is against.
        r.findings.push(format!(
            "Without failures the calls arriving in the window already miss the {} target (grade of service {}): \
             compare each failure's grade of service during it with that, not with the target.",
            pct_of(GOS_TARGET),
            share(&w.baseline_grade_of_service_during)
        ));
    } else if over.total > 0 {
        r.findings.push(format!(
            "{} of the {} failures push the grade of service of the calls arriving during the failure above the {} \
             target: {}.",
            over.total,
            ranked.total,
            pct_of(GOS_TARGET),
            over.words()
        ));
    }
    if ranked.more > 0 {
        let (lo, hi) = ranked.more_range;
        r.findings.push(format!(
            "{} more failures, past the chart's {}, lose {} to {} calls each on average (the ranking table).",
            ranked.more,
            ranked.shown.len(),
            lo.round(),
            hi.round()
        ));
    }
    let none = &ranked.none;
    if none.total > 0 && !ranked.shown.is_empty() {
        r.findings.push(format!(
            "{} other failure{} lose{} no calls (under half a call per replication on average, 0 as the tables round \
             it): {}.",
            none.total,
            if none.total == 1 { "" } else { "s" },
            if none.total == 1 { "s" } else { "" },
            none.words()
        ));
    }
    if let Some(p) = pairs(w) {
        r.findings.push(p);
    }
    r.findings.push(format!("{ORDER} {PSTN_CUT}"));
    ranking_table(r, w);
    if ranked.shown.is_empty() {
        return;
    }
    let bars = flagged_bars(&ranked.shown);
    let title = if ranked.shown.len() < ranked.total {
        format!("Calls lost per failure: the {} worst of {} failures (95% CI)", ranked.shown.len(), ranked.total)
    } else {
        format!("Calls lost per failure, all {} failures (95% CI)", ranked.total)
    };
    let when = format!(
        "{} {} from {} to {}; {} replications, seed {}; against the same calls without the failure.",
        if w.k >= 2 { "Each element, and each pair,".to_owned() } else { "Each element".to_owned() },
        if w.mode == FailureMode::Silent { "fails silent" } else { "rejects calls" },
        w.window_from_clock,
        w.window_to_clock,
        w.replications,
        w.seed
    );
    let rest = match (ranked.more, ranked.none.total) {
        (0, 0) => String::new(),
        (0, n) => format!(" {n} other failures lose no calls (findings)."),
        (m, 0) => format!(" {m} more lose fewer calls (the ranking table)."),
        (m, n) => format!(" {m} more lose fewer calls, {n} lose none (the ranking table)."),
    };
    let colours = format!(
        "Red: a site isolated (no route to the PSTN) or an emergency number without a route; orange: part of a \
         site's PSTN calls without a route; blue: neither.{rest}"
    );
    push(
        r,
        "whatif-ranking.svg",
        "Failure impact ranking",
        charts::ranking(
            &title,
            &[&when, ORDER, &colours],
            "Calls lost per replication (whole calls: blocked + dropped + failed)",
            &bars,
            true,
        ),
    );
}

/// The chart's bars, with their flags.
fn flagged_bars(cases: &[CaseResult]) -> Vec<FlaggedBar> {
    cases
        .iter()
        .map(|c| {
            let (flag, level) = flag(c);
            FlaggedBar {
                bar: Bar {
                    label: c.label(),
                    value: c.calls_lost.mean,
                    low: c.calls_lost.ci95_low,
                    high: c.calls_lost.ci95_high,
                },
                flag,
                level,
            }
        })
        .collect()
}

/// The emergency findings, first of all: numbers a failure leaves without
/// a route, numbers with no route even without failures, sites with no
/// number to check; and their table.
fn emergency(r: &mut Review, w: &Results) {
    // The failures that leave each number without a route, in rank order.
    let none = (0, ranking::Named::default());
    let mut head = Vec::new();
    let mut rows = Vec::new();
    let mut kept = Vec::new();
    for e in &w.emergency {
        let (costliest, lost_by) = w.results.lost_by.get(&(e.site.clone(), e.number.clone())).unwrap_or(&none);
        // Worst first: no route at all, then lost under the most failures,
        // then under the costliest (a fraction under one: ranks tie-break).
        let badness = match (e.reached, lost_by.total) {
            (false, _) => f64::INFINITY,
            (true, 0) => 0.0,
            (true, n) => n as f64 + 0.5 / (*costliest).max(1) as f64,
        };
        let name = format!("{} {}", e.site, e.number);
        if !e.reached {
            head.push((name.clone(), f64::INFINITY, format!("EMERGENCY: {}.", no_route_why(e))));
        } else if lost_by.total > 0 {
            head.push((
                name.clone(),
                badness,
                format!(
                    "EMERGENCY: {}'s emergency number {} loses its route when any of these fails: {} (without \
                     failures it goes through {}).",
                    e.site,
                    e.number,
                    lost_by.words(),
                    e.peers.join(", ")
                ),
            ));
        }
        if e.reached && lost_by.total == 0 {
            kept.push(format!("{} {} (via {})", e.site, e.number, e.peers.join(", ")));
        }
        rows.push((
            name,
            badness,
            vec![
                e.site.clone(),
                e.number.clone(),
                e.normalized.join(", "),
                if e.reached { e.peers.join(", ") } else { "no route even without failures".into() },
                if lost_by.total == 0 { "-".into() } else { lost_by.words() },
            ],
        ));
    }
    let mut head = limits::findings(head, |n| {
        format!(
            "EMERGENCY: {n} more emergency numbers have no route without failures or lose it under some failure \
             (worst first: no route at all, then lost under the most failures, then under the costliest); every one \
             in whatif.json (emergency, and each case's emergency_lost) and whatif.csv."
        )
    });
    for s in w.emergency_sites.iter().filter(|s| s.source == EmergencySource::Unknown) {
        head.push(format!(
            "EMERGENCY: site {} has no emergency number to check: its country \"{}\" is not in voicetwin's table \
             (docs/model.md); set [[site]] emergency_numbers.",
            s.site, s.country
        ));
    }
    if !kept.is_empty() {
        let all = kept.len() == w.emergency.len();
        let named = if kept.len() <= NAMED {
            kept.join("; ")
        } else {
            format!("{} and {} more", kept[..NAMED].join("; "), kept.len() - NAMED)
        };
        head.push(format!(
            "{} emergency number{} keep{} a route under every failure tried: {named}.",
            if all { "Every" } else { "These" },
            if all { "" } else { "s" },
            if all { "s" } else { "" },
        ));
    }
    r.findings.splice(0..0, head);
    if !rows.is_empty() {
        let cut = limits::worst(rows, limits::TABLE_ROWS, |r| r.1, |r| r.0.as_str());
        r.tables.push((
            limits::table_title(
                "Emergency numbers",
                cut.kept.len(),
                cut.total,
                "the worst",
                "whatif.json (emergency, emergency_lost)",
            ),
            vec![
                "site".into(),
                "number".into(),
                "normalized".into(),
                "through, without failures".into(),
                "failures that leave it no route".into(),
            ],
            cut.kept.into_iter().map(|r| r.2).collect(),
        ));
    }
}

/// Every case in rank order, with its flags.
fn ranking_table(r: &mut Review, w: &Results) {
    let cut = limits::Cut { kept: w.results.first.iter().collect::<Vec<_>>(), total: w.results.total };
    let rows = cut
        .kept
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
        limits::table_title("What-if ranking, by calls lost", cut.kept.len(), cut.total, "the first", "whatif.csv"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::schema::whatif::{EmergencyLost, PstnCut};
    use crate::analysis::stats::Estimate;

    fn est(mean: f64) -> Estimate {
        Estimate { mean, ci95_low: (mean - 2.0).max(0.0), ci95_high: mean + 2.0 }
    }

    fn case(rank: usize, name: &str, lost: f64) -> CaseResult {
        CaseResult {
            rank,
            elements: vec![name.into()],
            trunks_down: 1,
            links_down: 0,
            registrar_pools_down: 0,
            calls_lost: if lost == 0.0 { Estimate { mean: 0.0, ci95_low: 0.0, ci95_high: 0.0 } } else { est(lost) },
            blocked: est(lost),
            dropped: est(0.0),
            grade_of_service_during: Some(Estimate { mean: 0.02, ci95_low: 0.01, ci95_high: 0.03 }),
            grade_of_service_delta: None,
            pdd_delta_ms: None,
            isolated_sites: vec![],
            pstn_cut: vec![],
            emergency_lost: vec![],
            emergency_changed: vec![],
            inbound_cut: vec![],
            absorbed: lost == 0.0,
            folded_pairs: vec![],
            equivalent: vec![],
            sum_of_singles: false,
        }
    }

    fn results(cases: Vec<CaseResult>) -> Results {
        WhatIfResults {
            schema_version: 2,
            scenario: "busy hour".into(),
            model: "models/hq.toml".into(),
            network: "HQ".into(),
            classes: vec![crate::scenario::ElementClass::Peer, crate::scenario::ElementClass::WanLink],
            k: 1,
            mode: FailureMode::Silent,
            window_from_s: 1200.0,
            window_to_s: 3600.0,
            window_from_clock: "10:20".into(),
            window_to_clock: "11:00".into(),
            replications: 10,
            seed: 7,
            precision: None,
            baseline_grade_of_service: Some(Estimate { mean: 0.001, ci95_low: 0.0, ci95_high: 0.002 }),
            baseline_blocked: est(1.0),
            baseline_grade_of_service_during: Some(Estimate { mean: 0.001, ci95_low: 0.0, ci95_high: 0.002 }),
            pairs_skipped: 0,
            pairs_dominated: 0,
            pairs_equivalent: 0,
            all_pairs: false,
            pairs_folded: 0,
            components: 1,
            pairs_summed: 0,
            emergency_sites: vec![],
            emergency: vec![],
            results: Ranking::of(&cases),
            pattern_limit_hits: Default::default(),
        }
    }

    fn review() -> Review {
        Review::default()
    }

    #[test]
    fn the_chart_shows_the_top_cases_that_lose_calls_and_names_the_rest() {
        let cases: Vec<CaseResult> = (0..20)
            .map(|i| case(i + 1, &format!("peer:gw-{i}"), if i < 17 { 200.0 - 10.0 * i as f64 } else { 0.0 }))
            .collect();
        let sel = Ranking::of(&cases);
        assert_eq!(sel.shown.len(), 15);
        assert_eq!(sel.shown[0].elements, ["peer:gw-0"]);
        assert_eq!(sel.more, 2);
        assert_eq!(sel.more_range, (40.0, 50.0));
        assert_eq!(sel.none.total, 3);
        assert_eq!((sel.total, sel.first.len()), (20, 20));
        assert!(sel.shown.iter().all(loses_calls));
        // A mean that rounds to no call is no loss.
        assert!(!loses_calls(&case(1, "x", 0.4)));
        let w = results(cases);
        let mut r = review();
        section(&mut r, &w);
        assert_eq!(r.charts.len(), 1);
        let all = r.findings.join("\n");
        assert!(all.contains("3 other failures lose no calls"), "{all}");
        assert!(all.contains("peer:gw-17, peer:gw-18, peer:gw-19"), "{all}");
        assert!(all.contains("2 more failures, past the chart's 15"), "{all}");
        assert!(all.contains("The costliest failure is peer:gw-0, from 10:20 to 11:00: 200 calls lost"), "{all}");
        let svg = &r.charts[0].svg;
        assert!(svg.contains("the 15 worst of 20 failures"), "{svg}");
        assert!(svg.contains("from 10:20 to 11:00"));
        assert!(!svg.contains(">peer:gw-17<"), "a case losing no call has no bar");
        // The header: network, scenario, seed, replications, target, window, elements.
        let keys: Vec<&str> = r.header.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["Network", "Scenario", "Seed", "Replications", "Target", "Window", "Elements"]);
        assert_eq!(r.header[0].1, "HQ, from models/hq.toml");
        assert!(r.header[5].1.starts_with("10:20 to 11:00"));
        assert_eq!(r.header[6].1, "peer, wan-link; k = 1");
    }

    #[test]
    fn flags_say_what_a_failure_cuts_off() {
        let mut c = case(1, "wan-link:hq-branch", 50.0);
        c.isolated_sites = vec!["Branch".into()];
        c.pstn_cut = vec![PstnCut { site: "Branch".into(), share: 1.0 }, PstnCut { site: "Depot".into(), share: 0.25 }];
        c.emergency_lost =
            vec![EmergencyLost { site: "Branch".into(), number: "911".into(), peers_without_failure: vec![] }];
        c.inbound_cut = vec!["pstn-in".into()];
        let (text, level) = flag(&c);
        assert_eq!(level, 2);
        assert_eq!(
            text,
            "site isolated: Branch · emergency unreachable at Branch · PSTN cut: Depot 25% · inbound cut: pstn-in"
        );
        let mut partial = case(2, "peer:gw", 10.0);
        partial.pstn_cut = vec![PstnCut { site: "Depot".into(), share: 0.5 }];
        assert_eq!(flag(&partial), ("PSTN cut: Depot 50%".to_owned(), 1));
        let absorbed = case(3, "peer:gw-2", 0.0);
        assert_eq!(flag(&absorbed), ("absorbed: the rest carried its calls".to_owned(), 0));
        let mut many = case(4, "peer:gw-3", 5.0);
        many.inbound_cut = vec!["a".into(), "b".into()];
        assert_eq!(flag(&many).0, "inbound cut: 2 sources");
    }

    #[test]
    fn a_window_already_over_the_target_without_failures_is_said_once_not_blamed_on_every_failure() {
        let over = Some(Estimate { mean: 0.04, ci95_low: 0.03, ci95_high: 0.05 });
        let mut cases = vec![case(1, "peer:a", 10.0), case(2, "peer:b", 0.0)];
        cases.iter_mut().for_each(|c| c.grade_of_service_during = over);
        let mut w = results(cases.clone());
        w.baseline_grade_of_service_during = over;
        let mut r = review();
        section(&mut r, &w);
        assert!(r.findings.iter().any(|f| f.contains("already miss the 1% target")), "{:?}", r.findings);
        assert!(!r.findings.iter().any(|f| f.contains("failures push the grade of service")), "{:?}", r.findings);
        // Below the target without failures, the failures above it are named.
        let mut r = review();
        section(&mut r, &results(cases));
        assert!(
            r.findings.iter().any(|f| f.starts_with("2 of the 2 failures push the grade of service")),
            "{:?}",
            r.findings
        );
    }

    #[test]
    fn no_chart_when_no_failure_loses_a_call_but_a_sentence() {
        let w = results(vec![case(1, "peer:a", 0.0), case(2, "peer:b", 0.0)]);
        let mut r = review();
        section(&mut r, &w);
        assert!(r.charts.is_empty(), "an all-zero ranking is not drawn");
        assert!(r.findings.iter().any(|f| f.starts_with("No failure tried loses a call")), "{:?}", r.findings);
        let bars = flagged_bars(&w.results.first);
        assert!(charts::all_zero(&bars.into_iter().map(|b| b.bar).collect::<Vec<_>>()));
    }
}
