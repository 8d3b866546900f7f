//! `voicetwin plan` results: the table, `plan.json`, `plan.csv`.

use super::folder::{FolderError, ResultsFolder};
use std::fmt::Write as _;

use crate::analysis::plan::span_channels;
use crate::analysis::schema::plan::{PlanResults, PlanRow, PlanStep, PlannedSize};
use crate::analysis::schema::table::CsvRow;
use crate::analysis::schema::ResultFile;

use super::figure::share as pct;

/// Today's resources against the needed ones, per growth step.
pub fn render(p: &PlanResults) -> String {
    let runs = if p.max_replications > p.replications {
        format!(
            "from {} replications, adding up to {} until each confirmation is clear of the target or within \
             {:.0}% of it",
            p.replications,
            p.max_replications,
            p.precision_relative * 100.0
        )
    } else {
        format!("{} replications per confirmation", p.replications)
    };
    let mut s = format!(
        "{}: capacity for a grade of service of {:.2}% ({runs}; seed {})\n",
        p.scenario,
        p.target_gos * 100.0,
        p.seed
    );
    for step in &p.steps {
        let _ = writeln!(
            s,
            "\ngrowth x{}: grade of service with the plan {} ({} replications){}",
            step.growth,
            pct(&step.grade_of_service),
            step.replications,
            if step.met { "" } else { "  (target NOT met within the rounds allowed)" }
        );
        if let Some(w) = step.pattern_limit_hits.warning() {
            let _ = writeln!(s, "WARNING: {w}");
        }
        let _ = writeln!(
            s,
            "{:<16} {:<13} {:>10} {:>7} {:>9} {:>8} {:>8} {:>10}",
            "peer", "kind", "offered E", "today", "Erlang B", "needed", "margin", "spans"
        );
        for r in &step.peers {
            let spans = r.spans.map(|(n, k)| format!("{n} x {k}")).unwrap_or_default();
            let _ = writeln!(
                s,
                "{:<16} {:<13} {:>10.2} {:>7} {:>9} {:>8} {:>+8} {:>10}",
                r.name, r.kind, r.offered_erlangs, r.today, r.erlang_b, r.needed, r.margin, spans
            );
        }
        if !step.trunks.is_empty() {
            let _ = writeln!(
                s,
                "{:<30} {:>10} {:>7} {:>9} {:>8} {:>8}",
                "trunk (call limit)", "offered E", "today", "Erlang B", "needed", "margin"
            );
            for r in &step.trunks {
                let _ = writeln!(
                    s,
                    "{:<30} {:>10.2} {:>7} {:>9} {:>8} {:>+8}",
                    r.name, r.offered_erlangs, r.today, r.erlang_b, r.needed, r.margin
                );
            }
        }
        let _ = writeln!(
            s,
            "{:<30} {:>10} {:>13} {:>7} {:>9} {:>8} {:>8}",
            "mediation pool (servers)", "offered E", "calls/server", "today", "Erlang B", "needed", "margin"
        );
        for r in &step.mediation_pools {
            let _ = writeln!(
                s,
                "{:<30} {:>10.2} {:>13} {:>7} {:>9} {:>8} {:>+8}",
                r.fqdn, r.offered_erlangs, r.calls_per_server, r.today, r.erlang_b, r.needed, r.margin
            );
        }
        if !step.bandwidth_policies.is_empty() {
            let _ = writeln!(
                s,
                "{:<16} {:<20} {:>10} {:>9} {:>7} {:>9} {:>8} {:>8}",
                "CAC policy (kbps)", "worst element", "sessions E", "kbps/ses", "today", "Erlang B", "needed", "margin"
            );
            for r in &step.bandwidth_policies {
                let _ = writeln!(
                    s,
                    "{:<16} {:<20} {:>10.2} {:>9.1} {:>7} {:>9} {:>8} {:>+8}",
                    r.name, r.element, r.offered_sessions, r.session_kbps, r.today, r.erlang_b, r.needed, r.margin
                );
            }
        }
        if !step.wan_links.is_empty() {
            let _ = writeln!(
                s,
                "{:<16} {:>8} {:>9} {:>8} {:>9} {:>8} {:>8}  5th pct MOS",
                "WAN link (kbps)", "voice E", "kbps/ses", "today", "Erlang B", "needed", "margin"
            );
            for r in &step.wan_links {
                let mos = match &r.p5_mos {
                    Some(m) => format!(
                        "{:.2} [{:.2}, {:.2}]{}",
                        m.mean,
                        m.ci95_low,
                        m.ci95_high,
                        if r.bound_by_delay_and_loss { "  bound by delay and loss, not bandwidth" } else { "" }
                    ),
                    None => "no calls".into(),
                };
                let _ = writeln!(
                    s,
                    "{:<16} {:>8.2} {:>9.1} {:>8} {:>9} {:>8} {:>+8}  {mos}",
                    r.name, r.voice_erlangs, r.session_kbps, r.today, r.erlang_b, r.needed, r.margin
                );
            }
        }
        if let Some(n1) = &step.n_minus_1 {
            let sizes: Vec<String> = step
                .peers
                .iter()
                .zip(&n1.peers)
                .map(|(r, n)| format!("{} {n}", r.name))
                .chain(step.trunks.iter().zip(&n1.trunks).map(|(r, n)| format!("trunk {} {n} calls", r.name)))
                .chain(
                    step.mediation_pools
                        .iter()
                        .zip(&n1.mediation_pools)
                        .map(|(r, n)| format!("{} {n} server(s)", r.fqdn)),
                )
                .chain(
                    step.bandwidth_policies
                        .iter()
                        .zip(&n1.bandwidth_policies)
                        .map(|(r, n)| format!("{} {n} kbps", r.name)),
                )
                .collect();
            let _ = writeln!(
                s,
                "N-1 (any one peer, Mediation pool or Mediation Server failed for the whole run){}: {}",
                if n1.met { "" } else { ", target NOT met within the rounds allowed" },
                sizes.join(", ")
            );
            let _ = writeln!(s, "  {:<44} {:>26} {:>26}", "failed", "blocked", "of which for want of capacity");
            for c in &n1.cases {
                let _ = writeln!(
                    s,
                    "  {:<44} {:>26} {:>26}{}",
                    c.failure,
                    pct(&c.grade_of_service),
                    pct(&c.blocked_full),
                    if c.routing_gap { "  routing gap: the rest is lost whatever the sizes" } else { "" }
                );
            }
        }
    }
    s
}

/// The step with its N-1 sizes in place of the plain ones.
fn n_minus_1_step(step: &PlanStep) -> Option<PlanStep> {
    let n1 = step.n_minus_1.as_ref()?;
    fn set<T: PlannedSize>(rows: &mut [T], sizes: &[u32]) {
        for (r, n) in rows.iter_mut().zip(sizes) {
            r.set_needed(*n);
        }
    }
    let mut out = step.clone();
    set(&mut out.peers, &n1.peers);
    for r in &mut out.peers {
        r.spans = r.spans.map(|(_, k)| (r.needed.div_ceil(span_channels(k)), k));
    }
    set(&mut out.mediation_pools, &n1.mediation_pools);
    set(&mut out.trunks, &n1.trunks);
    set(&mut out.bandwidth_policies, &n1.bandwidth_policies);
    Some(out)
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
        let text = crate::analysis::plan::planned_model(model, step).map_err(|e| FolderError::Io(e.to_string()))?;
        folder.write("planned-model.toml", text)?;
    }
    for step in &p.steps {
        let text = crate::analysis::plan::planned_model(model, step).map_err(|e| FolderError::Io(e.to_string()))?;
        folder.write(&format!("planned-model-x{}.toml", step.growth), text)?;
        if let Some(n1) = n_minus_1_step(step) {
            let text = crate::analysis::plan::planned_model(model, &n1).map_err(|e| FolderError::Io(e.to_string()))?;
            folder.write(&format!("planned-model-n-minus-1-x{}.toml", step.growth), text)?;
        }
    }
    Ok(())
}
