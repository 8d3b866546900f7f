//! `voicetwin plan` results: the table, `plan.json`, `plan.csv`.

use super::folder::{FolderError, ResultsFolder};
use std::fmt::Write as _;

use crate::analysis::schema::plan::{Decider, ElementPlan, PlanResults, PlanRow, PlanStep, SizeBasis};
use crate::analysis::schema::table::CsvRow;
use crate::analysis::schema::ResultFile;

use super::figure::share as pct;

/// Today's resources against the needed ones, per growth step, each in
/// the unit it is bought in.
pub fn render(p: &PlanResults) -> String {
    let runs = if p.max_replications > p.replications {
        format!(
            "from {} replications, adding up to {} until each confirmation is clear of its target or within \
             {:.0}% of it",
            p.replications,
            p.max_replications,
            p.precision_relative * 100.0
        )
    } else {
        format!("{} replications per confirmation", p.replications)
    };
    let mut s = format!(
        "{}: the fewest spans, sessions, servers and kbps for a grade of service of {:.2}% on every stream \
         ({runs}; seed {})\n",
        p.scenario,
        p.target_gos * 100.0,
        p.seed
    );
    if !p.targets.is_empty() {
        let own: Vec<String> =
            p.targets.iter().map(|t| format!("{} {:.2}%", t.stream, t.grade_of_service * 100.0)).collect();
        let _ = writeln!(s, "Streams with their own target: {}", own.join(", "));
    }
    if !p.allow_shrink {
        let _ = writeln!(s, "No size goes below today's (--allow-shrink lets it, and lists what could be released).");
    }
    for step in &p.steps {
        step_text(&mut s, step);
    }
    s
}

fn step_text(s: &mut String, step: &PlanStep) {
    let _ = writeln!(
        s,
        "\ngrowth x{}: {}; overall grade of service with the plan {} ({} replications)",
        step.growth,
        if step.met { "every target met" } else { "targets NOT met within the rounds allowed" },
        pct(&step.grade_of_service),
        step.replications,
    );
    if let Some(w) = step.pattern_limit_hits.warning() {
        let _ = writeln!(s, "WARNING: {w}");
    }
    let _ = writeln!(s, "{:<34} {:>7} {:>26} {:>26}", "stream (grade of service)", "target", "today", "with the plan");
    for st in &step.streams {
        let _ = writeln!(
            s,
            "{:<34} {:>6.2}% {:>26} {:>26}{}",
            st.stream,
            st.target * 100.0,
            pct(&st.today),
            pct(&st.planned),
            if st.planned.is_none() {
                "  (no PSTN calls in this stream)"
            } else if st.met {
                ""
            } else {
                "  MISSED"
            }
        );
    }
    for g in &step.groups {
        let _ = writeln!(
            s,
            "Load-shared by {}: {}, sized together on {:.1} E offered: {} channels by Erlang B",
            g.routes.join(", "),
            g.name,
            g.demand_erlangs,
            g.erlang_b_channels
        );
    }
    let n1 = step.n_minus_1.is_some();
    let _ = writeln!(
        s,
        "{:<28} {:<16} {:<9} {:>9} {:>7} {:>8} {:>7} {:>7}  {:<22} why",
        "element",
        "kind",
        "unit",
        "demand E",
        "today",
        "Erlang B",
        "plan",
        if n1 { "N-1" } else { "" },
        "to buy"
    );
    for e in &step.elements {
        let buy = match e.n_minus_1.filter(|n| *n != e.needed) {
            Some(n) => format!("{} (N-1: {})", e.change_text(e.needed), e.change_text(n)),
            None => e.change_text(e.needed),
        };
        let _ = writeln!(
            s,
            "{:<28} {:<16} {:<9} {:>9.2} {:>7} {:>8} {:>7} {:>7}  {:<22} {}",
            e.name,
            e.kind.label(),
            e.unit.label(),
            e.demand_erlangs,
            e.today,
            e.erlang_b,
            e.needed,
            e.n_minus_1.map(|n| n.to_string()).unwrap_or_default(),
            buy,
            match (e.n_minus_1.filter(|n| *n != e.needed), e.n_minus_1_basis) {
                (Some(_), Some(b)) => format!(
                    "{}; N-1 {}",
                    why(e.basis, e.decided_by.as_ref(), e),
                    why(b, e.n_minus_1_decided_by.as_ref(), e)
                ),
                _ => why(e.basis, e.decided_by.as_ref(), e),
            }
        );
        if let Some(m) = &e.p5_mos {
            let _ = writeln!(
                s,
                "{:<28} 5th-percentile MOS of its calls {:.2} [{:.2}, {:.2}]{}",
                "",
                m.mean,
                m.ci95_low,
                m.ci95_high,
                if e.bound_by_delay_and_loss { ": bound by delay and loss, not bandwidth" } else { "" }
            );
        }
    }
    let buys = |n1: bool| -> Vec<String> {
        step.elements
            .iter()
            .filter_map(|e| {
                let n = if n1 { e.n_minus_1? } else { e.needed };
                (n > e.today).then(|| format!("{}: {}", e.what(), e.change_text(n)))
            })
            .collect()
    };
    let plain = buys(false);
    let _ = writeln!(
        s,
        "To buy at x{}: {}",
        step.growth,
        if plain.is_empty() { "nothing; today's sizes meet every target".into() } else { plain.join("; ") }
    );
    let release: Vec<String> = step
        .elements
        .iter()
        .filter_map(|e| {
            let keep = e.needed.max(e.n_minus_1.unwrap_or(0));
            (keep < e.today).then(|| format!("{}: {}", e.what(), e.change_text(keep)))
        })
        .collect();
    if !release.is_empty() {
        let n1 = if step.n_minus_1.is_some() { " (N-1 sizes kept)" } else { "" };
        let _ = writeln!(s, "Could be released at x{}{n1}: {}", step.growth, release.join("; "));
    }
    if let Some(n) = &step.n_minus_1 {
        let extra = buys(true);
        let _ = writeln!(
            s,
            "N-1 (any one peer, Mediation pool or Mediation Server failed for the whole run){}: to buy {}",
            if n.met { "" } else { ", target NOT met within the rounds allowed" },
            if extra.is_empty() { "nothing beyond today's sizes".into() } else { extra.join("; ") }
        );
        let _ = writeln!(s, "  {:<44} {:>26} {:>26}", "failed", "blocked", "of which for want of capacity");
        for c in &n.cases {
            let _ = writeln!(
                s,
                "  {:<44} {:>26} {:>26}{}{}",
                c.failure,
                pct(&c.grade_of_service),
                pct(&c.blocked_full),
                if c.routing_gap { "  routing gap: the rest is lost whatever the sizes" } else { "" },
                c.missed.as_ref().map(|d| format!("  MISSED: {}", missed(d))).unwrap_or_default()
            );
        }
    }
}

/// What a target missed: `site:Paris 2.84% [1.86%, 4.15%] misses its
/// 1.00% (40 replications)`; a share whose interval still holds the
/// limit was not shown within it at the most replications allowed.
pub fn missed(d: &Decider) -> String {
    let verb = if d.share.ci95_low > d.limit { "misses" } else { "is not shown within" };
    format!("{} {} {verb} its {:.2}% ({} replications)", d.target, pct(&Some(d.share)), d.limit * 100.0, d.replications)
}

/// One grow or trim step of an element: a unit, or a policy's session.
pub fn one_step(e: &ElementPlan) -> String {
    match e.session_kbps.filter(|_| e.kind == crate::analysis::schema::plan::ElementKind::BandwidthPolicy) {
        Some(kbps) => format!("session ({:.0} kbps)", kbps.ceil()),
        None => e.unit.name(1),
    }
}

/// Why a size is what it is, in a few words.
pub fn why(basis: SizeBasis, decided_by: Option<&Decider>, e: &ElementPlan) -> String {
    match (basis, decided_by) {
        (SizeBasis::Minimal, Some(d)) => format!("minimal: with one {} fewer, {}", one_step(e), missed(d)),
        (SizeBasis::Minimal, None) => "minimal".into(),
        (SizeBasis::Today, _)
            if e.kind == crate::analysis::schema::plan::ElementKind::WanLink && e.demand_erlangs == 0.0 =>
        {
            "today's size: no voice crosses it".into()
        }
        (SizeBasis::Today, _) => "today's size (the floor)".into(),
        (SizeBasis::Smallest, _) => "the smallest it can be".into(),
        (SizeBasis::Unconfirmed, _) => "not confirmed: targets not met".into(),
        (SizeBasis::ErlangB, _) => "its planned voice by Erlang B".into(),
        (SizeBasis::Mos, _) => "grown for the MOS target".into(),
        (SizeBasis::Plan, _) => "the plan's size".into(),
        (SizeBasis::SiblingServer, _) => "N-1: a sibling server".into(),
    }
}

/// The files a plan folder may hold for these growth steps.
pub fn files(growth: &[f64]) -> Vec<String> {
    let mut names = vec![PlanResults::FILE.to_owned(), PlanRow::FILE.to_owned(), "planned-model.toml".to_owned()];
    for g in growth {
        names.push(format!("planned-model-x{g}.toml"));
        names.push(format!("planned-model-n-minus-1-x{g}.toml"));
    }
    names
}

/// Writes `plan.json`, `plan.csv`, one `planned-model-x<growth>.toml` per
/// growth step and `planned-model.toml` (the largest growth) into `dir`.
pub fn write_folder(
    folder: &mut ResultsFolder,
    p: &PlanResults,
    model: &crate::model::Model,
) -> Result<(), FolderError> {
    folder.write_json(p)?;
    folder.write_csv(p.rows())?;
    // `planned-model.toml`: the largest growth asked for, the one to build to.
    if let Some(step) = p.steps.iter().max_by(|a, b| a.growth.total_cmp(&b.growth)) {
        let text =
            crate::analysis::plan::planned_model(model, step, false).map_err(|e| FolderError::Io(e.to_string()))?;
        folder.write("planned-model.toml", text)?;
    }
    for step in &p.steps {
        let text =
            crate::analysis::plan::planned_model(model, step, false).map_err(|e| FolderError::Io(e.to_string()))?;
        folder.write(&format!("planned-model-x{}.toml", step.growth), text)?;
        if step.n_minus_1.is_some() {
            let text =
                crate::analysis::plan::planned_model(model, step, true).map_err(|e| FolderError::Io(e.to_string()))?;
            folder.write(&format!("planned-model-n-minus-1-x{}.toml", step.growth), text)?;
        }
    }
    Ok(())
}
