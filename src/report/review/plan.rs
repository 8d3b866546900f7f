//! A plan's `plan.json` in the report: what the plan is of (the header),
//! what to buy at each growth step in the unit it is bought in, the N-1
//! routing gaps no size closes, whether every target is met, a size table
//! per step, and one chart per unit: today beside the plan at each step
//! and the N-1 plan beside it.

use plotters::style::RGBColor;

use crate::analysis::schema::plan::{ElementKind, ElementPlan, FailureCase, PlanResults, PlanStep, SizeBasis, Unit};

use super::super::charts::{self, BarGroup, BarSeries, GroupedBars};
use super::super::figure::share;
use super::super::limits;
use super::super::plan::{missed, why};
use super::{pct_of, push, Review};

/// The charts, one per unit family: the units on its axis, its file and
/// its title.
const CHARTS: [(&[Unit], &str, &str); 5] = [
    (&[Unit::E1Span, Unit::T1Span], "plan.svg", "Gateway spans: today and planned"),
    (&[Unit::Channel], "plan-channels.svg", "Gateway channels: today and planned"),
    (&[Unit::Session, Unit::Call], "plan-sessions.svg", "SIP sessions: today and planned"),
    (&[Unit::Server], "plan-servers.svg", "Mediation Servers: today and planned"),
    (&[Unit::Kbps], "plan-bandwidth.svg", "Bandwidth: today and planned"),
];

/// At most this many growth steps on a chart (the tables have all).
const MAX_STEPS: usize = 4;
/// At most this many elements on a chart, those the plan changes first.
const MAX_ELEMENTS: usize = limits::PLAN_ELEMENTS;

pub(super) fn section(r: &mut Review, p: &PlanResults) {
    if r.title.is_empty() {
        r.title = match network(p) {
            "" => "Capacity plan".into(),
            n => format!("Capacity plan: {n}"),
        };
    }
    if r.header.is_empty() {
        r.header = header(p);
    }
    // Each element's colour, by kind in the model's order (the order of
    // `elements`), as a run of the same network colours it.
    if let Some(step) = p.steps.first() {
        for kind in ["peer", "trunk", "pool", "policy", "link"] {
            r.palette.add(kind, step.elements.iter().filter(|e| palette_kind(e.kind) == kind).map(|e| e.name.as_str()));
        }
    }
    r.findings.extend(findings(p));
    r.tables.extend(tables(p));
    for (units, file, title) in CHARTS {
        if let Some(chart) = chart(p, units, title) {
            // Bars that all say "today's size" are no chart: a sentence.
            let unchanged = chart.groups.iter().all(|g| g.values.iter().flatten().all(|v| Some(*v) == g.base));
            if unchanged {
                r.findings.push(format!(
                    "{}: no change at any growth step{}; today's sizes hold.",
                    chart.title.split(':').next().unwrap_or(&chart.title),
                    if p.steps.iter().any(|s| s.n_minus_1.is_some()) { ", N-1 included" } else { "" }
                ));
            } else {
                push(r, file, title, charts::grouped_bars(&chart));
            }
        }
    }
}

/// The network's name, or where the model came from in an older file.
fn network(p: &PlanResults) -> &str {
    if p.network.is_empty() {
        &p.model
    } else {
        &p.network
    }
}

fn palette_kind(k: ElementKind) -> &'static str {
    match k {
        ElementKind::PstnGateway | ElementKind::IpPbx | ElementKind::ItspSbc => "peer",
        ElementKind::Trunk => "trunk",
        ElementKind::MediationPool => "pool",
        ElementKind::BandwidthPolicy => "policy",
        ElementKind::WanLink => "link",
    }
}

/// `1×`, `1.5×`.
fn x(growth: f64) -> String {
    format!("{growth}×")
}

/// What the plan is of: the network, the scenario, the runs, the targets.
pub(super) fn header(p: &PlanResults) -> Vec<(String, String)> {
    let mut h = vec![("Network".to_owned(), network(p).to_owned())];
    if !p.network.is_empty() && p.model != p.network {
        h.push(("Model".into(), p.model.clone()));
    }
    h.push(("Scenario".into(), p.scenario.clone()));
    h.push(("Growth steps".into(), p.steps.iter().map(|s| x(s.growth)).collect::<Vec<_>>().join(", ")));
    h.push(("Seed".into(), p.seed.to_string()));
    h.push((
        "Replications".into(),
        if p.max_replications > p.replications {
            format!(
                "{} per confirming run, more up to {} until each share is clear of its target or within {:.0}% of it",
                p.replications,
                p.max_replications,
                p.precision_relative * 100.0
            )
        } else {
            format!("{} per confirming run", p.replications)
        },
    ));
    let mut target = format!("grade of service at most {} on every stream and bandwidth policy", pct_of(p.target_gos));
    if !p.targets.is_empty() {
        let own: Vec<String> =
            p.targets.iter().map(|t| format!("{} {}", t.stream, pct_of(t.grade_of_service))).collect();
        target.push_str(&format!("; own targets: {}", own.join(", ")));
    }
    if let Some(m) = p.min_mos {
        target.push_str(&format!("; 5th-percentile MOS of each WAN link's calls at least {m}"));
    }
    h.push(("Target".into(), target));
    if p.steps.iter().any(|s| s.n_minus_1.is_some()) {
        h.push(("N-1".into(), "sized for any one peer, Mediation pool or Mediation Server failed".into()));
    }
    h.push((
        "Sizes".into(),
        if p.allow_shrink { "may fall below today's".into() } else { "never below today's".into() },
    ));
    h
}

/// `2 more T1 spans (6 in all)`; a trunk's call limit is raised, not
/// bought: `a call limit 68 calls higher (108 in all)`.
fn more(e: &ElementPlan, n: u32) -> String {
    let d = n.saturating_sub(e.today);
    let all = crate::limits::grouped(i64::from(n));
    match e.unit {
        Unit::Call => format!("a call limit {} higher ({all} in all)", e.unit.count(d)),
        Unit::Kbps => format!("{} more ({all} kbps in all)", e.unit.count(d)),
        u => format!("{} more {} ({all} in all)", crate::limits::grouped(i64::from(d)), u.name(d)),
    }
}

/// What today's size refuses at this growth, if anything: `at today's 4
/// T1 spans it refuses 16.41% [..] of the attempts offered to it`.
fn refused_today(e: &ElementPlan) -> Option<String> {
    let x = e.today_rejected.filter(|x| x.mean > 0.0)?;
    let (verb, of) = if e.kind == ElementKind::BandwidthPolicy {
        ("denies", "its audio sessions")
    } else {
        ("refuses", "the attempts offered to it")
    };
    Some(format!("at today's {} it {verb} {} of {of}", e.unit.count(e.today), share(&Some(x))))
}

/// What to buy for an element at a growth step, in its unit: the plan
/// and N-1 beside it, and what today's size refuses; with shrinking
/// allowed, what could be released.
pub(super) fn buy(e: &ElementPlan, growth: f64, allow_shrink: bool) -> Option<String> {
    let what = e.what();
    let today = e.unit.count(e.today);
    let n1 = e.n_minus_1.filter(|n| *n > e.needed.max(e.today));
    let why = refused_today(e).map(|t| format!("; {t}")).unwrap_or_default();
    if e.needed > e.today {
        let beside = match (e.n_minus_1, n1) {
            (_, Some(n)) => format!(", with N-1 {}", more(e, n)),
            (Some(_), None) => ", the same with N-1".into(),
            (None, None) => String::new(),
        };
        return Some(format!("At {growth}× load, {what} needs {}{beside}{why}.", more(e, e.needed)));
    }
    if let Some(n) = n1 {
        return Some(format!(
            "At {growth}× load, {what} needs {} with N-1 only; today's {today} meet the targets when nothing fails.",
            more(e, n)
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

/// A failure's name in words: `gateway gw-red-1`, `Mediation pool
/// med.example.com`, `one Mediation Server of pool med.example.com`.
fn failure_name(failure: &str, step: &PlanStep) -> String {
    let Some((kind, name)) = failure.split_once(':') else { return failure.into() };
    match kind {
        "peer" => step
            .elements
            .iter()
            .find(|e| e.name == name && palette_kind(e.kind) == "peer")
            .map_or_else(|| format!("peer {name}"), ElementPlan::what),
        "mediation-pool" => format!("Mediation pool {name}"),
        "mediation-server" => {
            format!("one Mediation Server of pool {}", name.rsplit_once('#').map_or(name, |(pool, _)| pool))
        }
        _ => format!("{kind} {name}"),
    }
}

/// A stream in words: `the outbound PSTN calls of site Redmond`,
/// `the calls of traffic source pstn-to-redmond`.
fn stream_name(stream: &str) -> String {
    match stream.split_once(':') {
        Some(("site", s)) => format!("the outbound PSTN calls of site {s}"),
        Some(("source", s)) => format!("the PSTN calls of traffic source {s}"),
        _ if stream == "overall" => "all calls needing the PSTN side".into(),
        _ => stream.into(),
    }
}

/// Every routing gap of the N-1 cases, one finding per failure, its
/// figure at each growth step it was found at: a single point of failure
/// that no capacity fixes.
pub(super) fn routing_gaps(p: &PlanResults) -> Vec<String> {
    let mut order: Vec<&str> = Vec::new();
    for step in &p.steps {
        for c in step.n_minus_1.iter().flat_map(|n| &n.cases).filter(|c| c.routing_gap) {
            if !order.contains(&c.failure.as_str()) {
                order.push(&c.failure);
            }
        }
    }
    order
        .into_iter()
        .map(|failure| {
            let found: Vec<(&PlanStep, &FailureCase)> = p
                .steps
                .iter()
                .filter_map(|s| {
                    let c = s.n_minus_1.as_ref()?.cases.iter().find(|c| c.failure == failure && c.routing_gap)?;
                    Some((s, c))
                })
                .collect();
            let (step, case) = found[found.len() - 1];
            // An older plan.json has no routing-gap share: the blocked
            // share, most of it with no route left, stands for it.
            let old = case.routing_gap_share.is_none();
            let lost: Vec<String> = found
                .iter()
                .enumerate()
                .map(|(k, (s, c))| {
                    let at = if k == 0 { format!("at {}× load", s.growth) } else { format!("at {}×", s.growth) };
                    format!("{} {at}", share(if old { &c.grade_of_service } else { &c.routing_gap_share }))
                })
                .collect();
            let lost = match lost.split_first() {
                Some((a, [])) => a.clone(),
                Some((a, rest)) => format!("{a} ({})", rest.join(", ")),
                None => String::new(),
            };
            let what = if old { "are blocked, most of them with no route left" } else { "have no route left" };
            let cuts = match (&case.cut[..], old) {
                (_, true) => String::new(),
                ([], false) => ", spread over several streams, none beyond its own target".into(),
                (cut, false) => {
                    let each: Vec<String> = cut
                        .iter()
                        .map(|c| match c.share.ci95_low >= 0.995 {
                            true => format!("{} (all of them)", stream_name(&c.stream)),
                            false => format!("{} ({} of them)", stream_name(&c.stream), share(&Some(c.share))),
                        })
                        .collect();
                    let at = if found.len() > 1 { format!(" at {}× load", step.growth) } else { String::new() };
                    format!(": it cuts off{at} {}", each.join(", "))
                }
            };
            format!(
                "Single point of failure: {}. With it failed, {lost} of the calls needing the PSTN side {what}{cuts}. \
                 No size fixes this: only another path for these calls does.",
                failure_name(failure, step),
            )
        })
        .collect()
}

/// Whether the plan meets every target at a growth step, with the
/// figures; and with N-1, whether every failure does.
pub(super) fn met(p: &PlanResults, step: &PlanStep) -> Vec<String> {
    let g = step.growth;
    let mut out = Vec::new();
    let worst = step
        .streams
        .iter()
        .filter(|s| s.stream != "overall")
        .filter_map(|s| s.planned.map(|e| (s, e.mean / s.target)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let worst = worst.map_or_else(String::new, |(s, _)| {
        format!(
            "; the stream nearest its target, {}, is at {} (target {})",
            s.stream,
            share(&s.planned),
            pct_of(s.target)
        )
    });
    let overall = format!(
        "overall grade of service {} (target {}, {} replications){worst}",
        share(&step.grade_of_service),
        pct_of(p.target_gos),
        step.replications
    );
    if step.met {
        out.push(format!("At {g}× load the plan meets every target: {overall}."));
    } else {
        out.push(format!("At {g}× load the plan does NOT meet every target within the rounds allowed: {overall}."));
        for st in step.streams.iter().filter(|s| !s.met) {
            out.push(format!(
                "At {g}× load, stream {} misses its {} target even with the plan: {}.",
                st.stream,
                pct_of(st.target),
                share(&st.planned)
            ));
        }
    }
    if let Some(n) = &step.n_minus_1 {
        let worst = n.cases.iter().find(|c| c.failure == n.worst_failure);
        let worst = worst.map_or_else(String::new, |c| {
            format!(
                " (the most, with {} failed: {} of the calls needing the PSTN side)",
                failure_name(&c.failure, step),
                share(&c.blocked_full)
            )
        });
        if n.met {
            out.push(format!(
                "At {g}× load with the N-1 sizes, every single failure keeps the calls blocked for want of capacity \
                 within every target{worst}."
            ));
        } else {
            let misses: Vec<String> = n.cases.iter().filter_map(|c| c.missed.as_ref()).map(missed).collect();
            out.push(format!(
                "At {g}× load the N-1 sizes do NOT meet every target within the rounds allowed: {}.",
                misses.join("; ")
            ));
        }
    }
    out
}

/// Every finding of the plan: what to buy (or release) at each step,
/// the routing gaps, then whether the targets are met.
pub(super) fn findings(p: &PlanResults) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for step in &p.steps {
        out.extend(step.elements.iter().filter_map(|e| buy(e, step.growth, p.allow_shrink)));
    }
    if let Some(last) = p.steps.last() {
        if out.is_empty() {
            out.push(format!("Today's sizes meet every target up to {}× load: nothing to buy.", last.growth));
        }
    }
    out.extend(routing_gaps(p));
    for step in &p.steps {
        out.extend(met(p, step));
    }
    out
}

/// `+2`, `0`, `-1`.
fn signed(d: i64) -> String {
    if d > 0 {
        format!("+{}", crate::limits::grouped(d))
    } else {
        crate::limits::grouped(d)
    }
}

/// An element's unit as the table says it: `T1 spans (23 channels
/// each)`, `servers (1,500 calls each)`, `kbps`.
fn unit_cell(e: &ElementPlan) -> String {
    let plural = e.unit.name(2);
    match e.unit {
        Unit::E1Span | Unit::T1Span => format!("{plural} ({} channels each)", e.capacity_per_unit),
        Unit::Server => format!("{plural} ({} calls each)", crate::limits::grouped(i64::from(e.capacity_per_unit))),
        _ => plural,
    }
}

/// The size table of each step (one row per element) and, with N-1, the
/// table of its failures.
pub(super) fn tables(p: &PlanResults) -> Vec<super::Table> {
    let mut out = Vec::new();
    for step in &p.steps {
        let n1 = step.n_minus_1.is_some();
        let mut head: Vec<String> =
            ["Element", "Kind", "Unit", "Today", "Planned", "Change"].iter().map(|s| s.to_string()).collect();
        if n1 {
            head.extend(["N-1 planned", "N-1 change"].map(String::from));
        }
        head.push("Why the planned size".into());
        if n1 {
            head.push("Why the N-1 size".into());
        }
        let n = |v: u32| crate::limits::grouped(i64::from(v));
        // Above the limit, the elements the plan changes first, each
        // kept in the model's order.
        let changes = |e: &&ElementPlan| e.needed != e.today || e.n_minus_1.is_some_and(|v| v != e.today);
        let mut kept: Vec<&ElementPlan> = step.elements.iter().filter(changes).collect();
        kept.extend(step.elements.iter().filter(|e| !changes(e)));
        let total = kept.len();
        kept.truncate(limits::TABLE_ROWS);
        let kept: Vec<&ElementPlan> =
            step.elements.iter().filter(|e| kept.iter().any(|k| std::ptr::eq(*k, *e))).collect();
        let rows = kept
            .iter()
            .map(|e| {
                let mut row = vec![
                    e.name.clone(),
                    e.kind.label().into(),
                    unit_cell(e),
                    n(e.today),
                    n(e.needed),
                    signed(e.change),
                ];
                if n1 {
                    row.push(e.n_minus_1.map_or_else(|| "-".into(), n));
                    row.push(e.n_minus_1.map_or_else(|| "-".into(), |v| signed(i64::from(v) - i64::from(e.today))));
                }
                row.push(why(e.basis, e.decided_by.as_ref(), e));
                if n1 {
                    row.push(match e.n_minus_1_basis {
                        Some(b) => why(b, e.n_minus_1_decided_by.as_ref(), e),
                        None => "-".into(),
                    });
                }
                row
            })
            .collect();
        let title = format!("Sizes at {}× load", step.growth);
        let file = <crate::analysis::schema::plan::PlanRow as crate::analysis::schema::table::CsvRow>::FILE;
        out.push((
            limits::table_title(&title, kept.len(), total, "the elements the plan changes first,", file),
            head,
            rows,
        ));
    }
    for step in &p.steps {
        let Some(n) = &step.n_minus_1 else { continue };
        let head =
            ["Failed", "Blocked", "For want of capacity", "No route left", "Cuts off"].map(String::from).to_vec();
        let rows = n
            .cases
            .iter()
            .map(|c| {
                let cut: Vec<String> =
                    c.cut.iter().map(|s| format!("{} {}", s.stream, share(&Some(s.share)))).collect();
                vec![
                    c.failure.clone(),
                    share(&c.grade_of_service),
                    share(&c.blocked_full),
                    match (c.routing_gap, c.routing_gap_share) {
                        (true, Some(g)) => format!("{} (routing gap)", share(&Some(g))),
                        (true, None) => "routing gap".into(),
                        (false, g) => share(&g),
                    },
                    if cut.is_empty() { "-".into() } else { cut.join("; ") },
                ]
            })
            .collect();
        out.push((format!("N-1 failures at {}× load (with the N-1 sizes)", step.growth), head, rows));
    }
    out
}

/// The steps a chart shows: all up to [`MAX_STEPS`], else the first, the
/// last and evenly spaced ones between.
fn shown_steps(p: &PlanResults) -> Vec<&PlanStep> {
    let n = p.steps.len();
    if n <= MAX_STEPS {
        return p.steps.iter().collect();
    }
    let mut idx: Vec<usize> = (0..MAX_STEPS).map(|k| (k * (n - 1) + (MAX_STEPS - 1) / 2) / (MAX_STEPS - 1)).collect();
    idx.dedup();
    idx.into_iter().map(|i| &p.steps[i]).collect()
}

/// Shades from light to dark of one hue for `n` steps.
fn shade(from: (u8, u8, u8), to: (u8, u8, u8), k: usize, n: usize) -> RGBColor {
    let t = if n <= 1 { 0.75 } else { k as f64 / (n - 1) as f64 };
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
}

/// An element's label on a chart: its name and, where the chart mixes
/// them, what it is.
fn group_label(e: &ElementPlan) -> String {
    let what = match (e.kind, e.unit) {
        (ElementKind::PstnGateway, Unit::E1Span) => "E1",
        (ElementKind::PstnGateway, Unit::T1Span) => "T1",
        (ElementKind::IpPbx, _) => "IP-PBX",
        (ElementKind::ItspSbc, _) => "ITSP",
        (ElementKind::Trunk, _) => "trunk call limit",
        (ElementKind::BandwidthPolicy, _) => "CAC policy",
        (ElementKind::WanLink, _) => "WAN link",
        _ => return e.name.clone(),
    };
    format!("{} ({what})", e.name)
}

/// The axis of a chart of these units, with the unit.
fn axis(units: &[Unit]) -> String {
    match units {
        [Unit::E1Span] => "E1 spans (30 channels each)".into(),
        [Unit::T1Span] => "T1 spans (23 channels each)".into(),
        [_, _] if units.contains(&Unit::E1Span) => "Spans (E1: 30 channels, T1: 23 channels)".into(),
        [Unit::Channel] => "Channels".into(),
        [Unit::Session] => "Concurrent SIP sessions".into(),
        [Unit::Call] => "Concurrent calls (trunk call limit)".into(),
        [_, _] => "Concurrent SIP sessions (peers' session limits, trunks' call limits)".into(),
        [Unit::Server] => "Mediation Servers".into(),
        [Unit::Kbps] => "kbps".into(),
        _ => String::new(),
    }
}

/// The chart of the elements bought in `units`, if the plan has any: a
/// group per element (those the plan changes first, up to
/// [`MAX_ELEMENTS`]), today's bar, then per step shown the plan and,
/// where sized, the N-1 plan beside it.
pub(super) fn chart(p: &PlanResults, units: &[Unit], title: &str) -> Option<GroupedBars> {
    let first = p.steps.first()?;
    let elements: Vec<&ElementPlan> = first.elements.iter().filter(|e| units.contains(&e.unit)).collect();
    if elements.is_empty() {
        return None;
    }
    let steps = shown_steps(p);
    let n1 = |s: &PlanStep| s.n_minus_1.is_some();
    let (blue, orange) = (((158, 202, 225), (8, 69, 148)), ((253, 174, 107), (166, 54, 3)));
    let mut series = vec![BarSeries { label: "today".into(), color: RGBColor(160, 160, 160), hatched: false }];
    for (k, s) in steps.iter().enumerate() {
        series.push(BarSeries {
            label: format!("plan at {}", x(s.growth)),
            color: shade(blue.0, blue.1, k, steps.len()),
            hatched: false,
        });
        if n1(s) {
            series.push(BarSeries {
                label: format!("N-1 at {}", x(s.growth)),
                color: shade(orange.0, orange.1, k, steps.len()),
                hatched: true,
            });
        }
    }
    let find = |s: &'_ PlanStep, e: &ElementPlan| -> Option<(u32, Option<u32>)> {
        s.elements.iter().find(|f| f.name == e.name && f.kind == e.kind).map(|f| (f.needed, f.n_minus_1))
    };
    let mut groups: Vec<(bool, BarGroup)> = elements
        .iter()
        .map(|e| {
            let mut values = vec![Some(u64::from(e.today))];
            let mut changed = false;
            for s in &steps {
                let (needed, n) = find(s, e).map_or((None, None), |(a, b)| (Some(a), b));
                changed |= needed.is_some_and(|v| v != e.today) || n.is_some_and(|v| v != e.today);
                values.push(needed.map(u64::from));
                if n1(s) {
                    values.push(n.map(u64::from));
                }
            }
            (changed, BarGroup { label: group_label(e), values, base: Some(u64::from(e.today)) })
        })
        .collect();
    let total = groups.len();
    if total > MAX_ELEMENTS {
        // Keep the model's order among those kept.
        let mut keep: Vec<usize> = (0..total).filter(|k| groups[*k].0).collect();
        keep.extend((0..total).filter(|k| !groups[*k].0));
        keep.truncate(MAX_ELEMENTS);
        keep.sort_unstable();
        groups = keep.into_iter().map(|k| groups[k].clone()).collect();
    }
    let mut notes = vec![if p.steps.iter().any(n1) {
        "Each element: today's size, then the plan at each growth step and beside it (hatched) the N-1 plan, \
         sized for any one peer, Mediation pool or Mediation Server failed."
            .to_owned()
    } else {
        "Each element: today's size, then the plan at each growth step.".to_owned()
    }];
    notes.push("Each bar says the size and, in brackets, the change from today.".into());
    if steps.len() < p.steps.len() {
        notes.push(format!(
            "{} of the {} growth steps shown; the size tables have every one.",
            steps.len(),
            p.steps.len()
        ));
    }
    if total > groups.len() {
        notes.push(format!(
            "{} of {total} elements shown, those the plan changes first; every element in plan.csv.",
            groups.len()
        ));
    }
    Some(GroupedBars {
        title: title.into(),
        notes,
        axis: axis(&units.iter().copied().filter(|u| elements.iter().any(|e| e.unit == *u)).collect::<Vec<_>>()),
        series,
        groups: groups.into_iter().map(|g| g.1).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small plan by hand: a T1 gateway and a Mediation pool at two
    /// growth steps, sized for N-1 at the second, whose pool failure is a
    /// routing gap cutting off one inbound source.
    fn plan() -> PlanResults {
        let e = |mean: f64, lo: f64, hi: f64| format!(r#"{{"mean": {mean}, "ci95_low": {lo}, "ci95_high": {hi}}}"#);
        let gw = |needed: u32, n1: &str, rejected: &str| {
            format!(
                r#"{{"name": "gw-red", "kind": "pstn-gateway", "unit": "t1-span", "capacity_per_unit": 23,
                "group": null, "demand_erlangs": 60.0, "session_kbps": null, "element": null, "today": 2,
                "today_rejected": {rejected}, "erlang_b": {needed}, "needed": {needed}, "change": {},
                "basis": "minimal", "decided_by": {{"target": "source:pstn-in", "share": {}, "limit": 0.01,
                "replications": 10}}, "n_minus_1": {n1}, "n_minus_1_basis": null, "n_minus_1_decided_by": null,
                "p5_mos": null, "bound_by_delay_and_loss": false}}"#,
                i64::from(needed) - 2,
                e(0.03, 0.02, 0.04)
            )
        };
        let pool = |n1: &str| {
            format!(
                r#"{{"name": "med.example.com", "kind": "mediation-pool", "unit": "server",
                "capacity_per_unit": 1500, "group": null, "demand_erlangs": 60.0, "session_kbps": null,
                "element": null, "today": 1, "today_rejected": null, "erlang_b": 1, "needed": 1, "change": 0,
                "basis": "today", "decided_by": null, "n_minus_1": {n1}, "n_minus_1_basis": null,
                "n_minus_1_decided_by": null, "p5_mos": null, "bound_by_delay_and_loss": false}}"#
            )
        };
        let stream = format!(
            r#"{{"stream": "overall", "target": 0.01, "today": {}, "planned": {}, "met": true}}"#,
            e(0.05, 0.04, 0.06),
            e(0.004, 0.002, 0.006)
        );
        let n1 = format!(
            r#"{{"met": true, "worst_failure": "peer:gw-red", "worst_blocked_full": {b},
            "cases": [{{"failure": "mediation-pool:med.example.com", "grade_of_service": {g},
            "blocked_full": {b}, "routing_gap": true, "routing_gap_share": {g},
            "cut": [{{"stream": "source:pstn-in", "share": {c}, "limit": 0.01}}], "missed": null}}]}}"#,
            b = e(0.001, 0.0, 0.003),
            g = e(0.4, 0.38, 0.42),
            c = e(0.6, 0.55, 0.65)
        );
        let json = format!(
            r#"{{"schema_version": 2, "scenario": "Busy hour", "model": "models/hq.toml", "network": "HQ",
            "target_gos": 0.01, "targets": [], "allow_shrink": false, "precision_relative": 0.2,
            "max_replications": 200, "min_mos": null, "voice_share": 1.0, "replications": 10, "seed": 7,
            "steps": [
              {{"growth": 1.0, "grade_of_service": {g1}, "replications": 10, "met": true, "streams": [{stream}],
                "groups": [], "elements": [{gw1}, {pool1}], "n_minus_1": null}},
              {{"growth": 1.5, "grade_of_service": {g1}, "replications": 12, "met": true, "streams": [{stream}],
                "groups": [], "elements": [{gw2}, {pool2}], "n_minus_1": {n1}}}
            ]}}"#,
            g1 = e(0.004, 0.002, 0.006),
            gw1 = gw(3, "null", &e(0.02, 0.01, 0.03)),
            pool1 = pool("null"),
            gw2 = gw(4, "6", &e(0.16, 0.14, 0.18)),
            pool2 = pool("2"),
        );
        crate::analysis::schema::from_json(&json, "plan.json").unwrap()
    }

    #[test]
    fn the_size_table_has_a_row_per_element_and_step_with_its_numbers() {
        let p = plan();
        let t = tables(&p);
        let (title, head, rows) = &t[0];
        assert_eq!(title, "Sizes at 1× load");
        assert!(!head.contains(&"N-1 planned".to_owned()), "no N-1 at 1×: {head:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][..6], ["gw-red", "pstn-gateway", "T1 spans (23 channels each)", "2", "3", "+1"]);
        assert!(rows[0][6].contains("source:pstn-in"), "decided by: {:?}", rows[0]);
        let (title, head, rows) = &t[1];
        assert_eq!(title, "Sizes at 1.5× load");
        assert_eq!(head[6..8], ["N-1 planned", "N-1 change"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][3..8], ["2", "4", "+2", "6", "+4"]);
        assert_eq!(
            rows[1][..8],
            ["med.example.com", "mediation-pool", "servers (1,500 calls each)", "1", "1", "0", "2", "+1"]
        );
        // The failures of N-1 at 1.5×: the pool's routing gap and what it cuts.
        let (title, _, rows) = &t[2];
        assert_eq!(title, "N-1 failures at 1.5× load (with the N-1 sizes)");
        assert_eq!(rows[0][0], "mediation-pool:med.example.com");
        assert!(rows[0][3].contains("routing gap") && rows[0][4].starts_with("source:pstn-in 60"), "{:?}", rows[0]);
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn charts_count_whole_units_with_the_n_minus_1_size_beside_the_plan() {
        let p = plan();
        let c = chart(&p, &[Unit::E1Span, Unit::T1Span], "Spans").unwrap();
        let labels: Vec<&str> = c.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["today", "plan at 1×", "plan at 1.5×", "N-1 at 1.5×"]);
        assert_eq!(c.axis, "T1 spans (23 channels each)");
        assert_eq!(c.groups.len(), 1);
        assert_eq!(c.groups[0].label, "gw-red (T1)");
        assert_eq!(c.groups[0].values, [Some(2), Some(3), Some(4), Some(6)]);
        assert!(c.series[3].hatched && !c.series[2].hatched);
        let servers = chart(&p, &[Unit::Server], "Servers").unwrap();
        assert_eq!(servers.axis, "Mediation Servers");
        assert_eq!(servers.groups[0].values, [Some(1), Some(1), Some(1), Some(2)]);
        // Whole ticks on every count axis: never "0.5 servers".
        let max = servers.groups.iter().flat_map(|g| g.values.iter().flatten()).max().copied().unwrap();
        assert_eq!(charts::integer_ticks(max), [0, 1, 2]);
        let svg = charts::grouped_bars(&servers).unwrap();
        // Every number the chart writes is whole.
        let texts: Vec<&str> =
            svg.split("</text>").filter_map(|t| t.rsplit_once('>').map(|(_, text)| text.trim())).collect();
        assert!(texts.contains(&"2 (+1)") && texts.contains(&"Mediation Servers"), "{texts:?}");
        let numbers: Vec<&&str> = texts.iter().filter(|t| t.starts_with(|c: char| c.is_ascii_digit())).collect();
        assert!(numbers.len() >= 7 && numbers.iter().all(|t| !t.contains('.')), "{numbers:?}");
        // No element in a unit: no chart.
        assert!(chart(&p, &[Unit::Kbps], "kbps").is_none());
    }

    #[test]
    fn findings_say_what_to_buy_the_routing_gaps_and_the_targets() {
        let p = plan();
        let f = findings(&p);
        assert!(f.iter().any(|f| f.starts_with("At 1.5× load, gateway gw-red needs 2 more T1 spans (4 in all), with N-1 4 more T1 spans (6 in all); at today's 2 T1 spans it refuses 16.00% [14.00%, 18.00%]")), "{f:#?}");
        assert!(f.iter().any(|f| f == "At 1.5× load, Mediation pool med.example.com needs 1 more server (2 in all) with N-1 only; today's 1 server meet the targets when nothing fails."), "{f:#?}");
        let gap: Vec<&String> = f.iter().filter(|f| f.starts_with("Single point of failure")).collect();
        assert_eq!(gap.len(), 1, "{f:#?}");
        assert!(
            gap[0].contains("Mediation pool med.example.com")
                && gap[0].contains("40.00% [38.00%, 42.00%] at 1.5× load")
                && gap[0]
                    .contains("it cuts off the PSTN calls of traffic source pstn-in (60.00% [55.00%, 65.00%] of them)"),
            "{}",
            gap[0]
        );
        assert!(
            f.iter().any(|f| f.starts_with(
                "At 1.5× load the plan meets every target: overall grade of service 0.40% [0.20%, 0.60%]"
            )),
            "{f:#?}"
        );
        assert!(
            f.iter().any(|f| f.starts_with("At 1.5× load with the N-1 sizes, every single failure keeps")),
            "{f:#?}"
        );
    }

    #[test]
    fn the_header_names_the_network_and_an_older_file_its_model() {
        let mut p = plan();
        let h = header(&p);
        let get = |h: &[(String, String)], k: &str| h.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
        assert_eq!(get(&h, "Network").as_deref(), Some("HQ"));
        assert_eq!(get(&h, "Scenario").as_deref(), Some("Busy hour"));
        assert_eq!(get(&h, "Seed").as_deref(), Some("7"));
        assert!(get(&h, "Target").unwrap().contains("at most 1%"), "{h:?}");
        assert!(get(&h, "Replications").unwrap().starts_with("10 per confirming run"), "{h:?}");
        assert!(get(&h, "N-1").is_some());
        p.network.clear();
        assert_eq!(get(&header(&p), "Network").as_deref(), Some("models/hq.toml"));
    }
}
