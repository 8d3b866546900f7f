//! `voicetwin plan` results: the table, `plan.json`, `plan.csv`.

use std::fmt::Write as _;
use std::path::Path;

use crate::analysis::plan::PlanReport;

/// Today's resources against the needed ones, per growth step.
pub fn render(p: &PlanReport) -> String {
    let mut s = format!(
        "{}: capacity for a grade of service of {:.2}% ({} replications, seed {})\n",
        p.scenario,
        p.target_gos * 100.0,
        p.replications,
        p.seed
    );
    for step in &p.steps {
        let _ = writeln!(
            s,
            "\ngrowth x{}: grade of service with the plan {:.2}% [{:.2}%, {:.2}%]{}",
            step.growth,
            step.grade_of_service.mean * 100.0,
            step.grade_of_service.ci95_low * 100.0,
            step.grade_of_service.ci95_high * 100.0,
            if step.met { "" } else { "  (target NOT met within the rounds allowed)" }
        );
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
    }
    s
}

/// Writes `plan.json`, `plan.csv` and one `planned-model-x<growth>.toml`
/// per growth step into `dir`.
pub fn write_folder(dir: &Path, p: &PlanReport, model: &crate::model::Model) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_string_pretty(p).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("plan.json"), json + "\n")?;
    let mut csv = String::from("growth,peer,kind,offered_erlangs,today,erlang_b,needed,margin,spans,span_kind\n");
    for step in &p.steps {
        for r in &step.peers {
            let (n, k) = r.spans.map(|(n, k)| (n.to_string(), k)).unwrap_or_default();
            let _ = writeln!(
                csv,
                "{},{},{},{:.4},{},{},{},{},{n},{k}",
                step.growth, r.name, r.kind, r.offered_erlangs, r.today, r.erlang_b, r.needed, r.margin
            );
        }
    }
    for step in &p.steps {
        for r in &step.mediation_pools {
            let _ = writeln!(
                csv,
                "{},{},mediation-pool-servers,{:.4},{},{},{},{},,",
                step.growth, r.fqdn, r.offered_erlangs, r.today, r.erlang_b, r.needed, r.margin
            );
        }
    }
    std::fs::write(dir.join("plan.csv"), csv)?;
    for step in &p.steps {
        let text = crate::analysis::plan::planned_model(model, step).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(format!("planned-model-x{}.toml", step.growth)), text)?;
    }
    Ok(())
}
