//! What every command shares: loading a scenario with the command line's
//! overrides, the results folder, announcing long work, printing.

use std::io::Write as _;
use std::path::Path;

use voicetwin::limits::{self, approx, grouped};
use voicetwin::model::{self, Model};
use voicetwin::report::folder::ResultsFolder;
use voicetwin::{analysis, report, scenario};

use super::args::*;
use super::Failure;

/// Prints to stdout. A reader that stops reading (`| head`) ends the
/// output, not the command: the folder is written by then, so a closed
/// stdout is a normal end.
pub fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Output(format!("cannot write to standard output: {e}"))),
    }
}

/// Opens the output folder before any simulation, so a folder that
/// cannot be written fails at once: a path voicetwin cannot create or
/// lock, or a file in the way that is not voicetwin's, is bad input.
pub fn open_folder(sim: &SimArgs, dir: &Path, command: &str, names: &[&str]) -> Result<ResultsFolder, Failure> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    if sim.report {
        names.extend(report::review::files());
    }
    ResultsFolder::create(dir, command, &names).map_err(|e| match e {
        report::folder::FolderError::Io(m) => Failure::Input(format!("--out: {m}")),
        e => Failure::Folder(e),
    })
}

pub fn load(arg: &ModelArg) -> Result<Model, Failure> {
    match &arg.model {
        Some(path) => Ok(model::load_file(path)?),
        None => Ok(Model::contoso()),
    }
}

pub fn json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::Output(e.to_string()))?;
    Ok(text + "\n")
}

/// Loads a scenario file or a built-in scenario with the command line's
/// overrides (`load_factor`: `run --load-factor`), which scenario loading
/// checks and records like the file's values, and caps `--threads` at the
/// machine's cores; returns it with its model and a folder name for its
/// results.
pub fn load_scenario(
    name: &str,
    sim: &mut SimArgs,
    load_factor: Option<f64>,
) -> Result<(scenario::Scenario, Model, String), Failure> {
    sim.threads = capped_threads(sim.threads);
    let overrides = scenario::Overrides {
        model: sim.model.clone(),
        seed: sim.seed,
        replications: sim.replications,
        load_factor,
        precision: sim.precision,
        precision_floor: sim.precision_floor,
        max_replications: sim.max_replications,
    };
    let path = std::path::Path::new(name);
    let (loaded, slug) = if path.exists() {
        let slug = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "run".into());
        (scenario::load_file(path, &overrides), slug)
    } else if let Some(text) = scenario::builtin(name) {
        let label = format!("scenarios/{name}.toml (built in)");
        (scenario::load_str(text, &label, None, &overrides), name.to_owned())
    } else {
        let names: Vec<&str> = scenario::BUILTIN_SCENARIOS.iter().map(|(n, _)| *n).collect();
        return Err(Failure::Input(format!(
            "{name}: no such scenario file, and not a built-in scenario ({})",
            names.join(", ")
        )));
    };
    let (sc, model) = loaded?;
    let todos = model::todo::todos(&model.text);
    if let Some(first) = todos.first() {
        // An imported model's placeholders (docs/import.md) make figures
        // that look as sound as measured ones: say so every time.
        let _ = writeln!(
            std::io::stderr(),
            "warning: the model has {} value(s) left to fill (TODO, first: {}{}): the figures depend on their \
             placeholders; `voicetwin check` lists them",
            todos.len(),
            first.object,
            if first.field.is_empty() { String::new() } else { format!(", field `{}`", first.field) },
        );
    }
    let risks = model::lint::backtracking_risks(&model);
    if let Some(first) = risks.first() {
        let _ = writeln!(
            std::io::stderr(),
            "warning: {} pattern(s) can reach the matching limit ({}, field `{}`{}): each new number that \
             reaches it takes tens of milliseconds of routing instead of microseconds, and is taken as not \
             matching; \
             `voicetwin check` lists them (backtracking-limit-risk)",
            risks.len(),
            first.object,
            first.field,
            if risks.len() > 1 { ", ..." } else { "" }
        );
    }
    let most = sc.precision.map_or(sc.replications, |p| p.max_replications.max(sc.replications));
    results_fit(&sc, &model, most, sim.threads, || {
        match (sim.max_replications, sim.precision, sim.replications, sc.precision) {
            (Some(n), ..) => format!("--max-replications {n}"),
            (None, Some(rel), ..) => {
                format!("--precision {rel} (up to {most} replications; --max-replications sets fewer)")
            }
            (None, None, _, Some(_)) => format!("{}: [precision], field `max_replications`", sc.source),
            (None, None, Some(n), None) => format!("--replications {n}"),
            (None, None, None, None) => format!("{}: the scenario, field `replications`", sc.source),
        }
    })?;
    Ok((sc, model, slug))
}

/// `--threads` at most the machine's cores: more only adds contention
/// (results never depend on it), so a larger value is capped with a note.
pub fn capped_threads(asked: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if asked <= cores {
        return asked;
    }
    eprintln!("--threads {asked}: this machine has {cores} core{}; using {cores}", if cores == 1 { "" } else { "s" });
    cores
}

/// Replications are folded into running sums a batch at a time, so a run
/// holds at most one batch of results (`threads` ×
/// `analysis::workers::BATCH_PER_THREAD`, fewer when it makes fewer):
/// that batch times one replication's results must fit
/// `limits::scenario::MAX_RESULTS_BYTES`; `who` names what asked for them.
pub fn results_fit(
    sc: &scenario::Scenario,
    model: &Model,
    most: u32,
    threads: usize,
    who: impl FnOnce() -> String,
) -> Result<(), Failure> {
    let threads = if threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { threads };
    let batch = u32::try_from(threads).unwrap_or(u32::MAX).saturating_mul(analysis::workers::BATCH_PER_THREAD);
    let most = most.min(batch);
    let each = voicetwin::sim::results_bytes(model, sc);
    let total = u64::from(most).saturating_mul(each);
    if total <= limits::scenario::MAX_RESULTS_BYTES {
        return Ok(());
    }
    Err(Failure::Input(format!(
        "{}: the {} replications held at once would keep ~{:.1} GB of results (~{} KB each: every element's time \
         buckets and the delay histogram); at most {} GB: run fewer threads, or make `bucket` wider",
        who(),
        grouped(i64::from(most)),
        total as f64 / 1e9,
        grouped((each / 1024) as i64),
        limits::scenario::MAX_RESULTS_BYTES >> 30
    )))
}

/// Says how many calls a command is about to simulate when that is a
/// lot (`limits::scenario::ANNOUNCE_CALLS`): `runs` sets of the
/// scenario's replications, each replication `per_replication` calls.
/// Whether it said so.
/// `at_least`: the command may simulate more than its first runs (a
/// plan's searches and confirming runs), so the figures are a floor.
pub fn announce(sc: &scenario::Scenario, runs: u64, per_replication: f64, threads: usize, at_least: bool) -> bool {
    let reps = u64::from(sc.replications) * runs;
    let total = reps as f64 * per_replication;
    let most = sc.precision.map(|p| u64::from(p.max_replications.max(sc.replications)) * runs);
    if total.max(most.unwrap_or(0) as f64 * per_replication) < limits::scenario::ANNOUNCE_CALLS {
        return false;
    }
    let upto = match most {
        Some(m) if m > reps => format!(
            ", up to ~{} in {} replications for the precision asked",
            approx(m as f64 * per_replication),
            grouped(m as i64)
        ),
        _ => String::new(),
    };
    let cores = if threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { threads };
    let used = (cores as u64).clamp(1, reps.max(1));
    let seconds = total / (limits::scenario::ESTIMATE_CALLS_PER_SECOND * used as f64);
    let (floor, rough) = if at_least { ("at least ", "at least") } else { ("", "roughly") };
    eprintln!(
        "simulating {floor}~{} calls ({} replication{} of ~{}){upto}, {rough} {} on {used} thread{}; Ctrl-C to stop",
        approx(total),
        grouped(reps as i64),
        if reps == 1 { "" } else { "s" },
        approx(per_replication),
        rough_time(seconds),
        if used == 1 { "" } else { "s" },
    );
    true
}

/// A duration in seconds, roughly, for an estimate: "40 s", "7 min", "3.5 h".
pub fn rough_time(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{:.0} s", seconds.max(1.0))
    } else if seconds < 90.0 * 60.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 48.0 * 3600.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.0} days", seconds / 86_400.0)
    }
}

/// A progress bar on a terminal, hidden otherwise (pipes, CI logs).
pub fn progress_bar(n: usize) -> indicatif::ProgressBar {
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::new(n as u64)
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// The end every simulating command shares: the folder completed, the
/// report made when asked, then (only then) the output printed and the
/// folder named.
pub fn finish(sim: &SimArgs, folder: ResultsFolder, out: String, label: &str) -> Result<(), Failure> {
    let dir = folder.commit()?;
    if sim.report {
        review(&dir, false)?;
    }
    emit(&out)?;
    if sim.format == Format::Text {
        emit(&format!("\n{label}: {}\n", dir.display()))?;
    }
    Ok(())
}

/// Writes the design-review report of a complete results folder.
pub fn review(dir: &Path, announce: bool) -> Result<(), Failure> {
    let (mut folder, results) = ResultsFolder::for_report(dir, &report::review::files())?;
    let r = report::review::build(&results)?;
    report::review::write(&mut folder, &r)?;
    folder.commit()?;
    if announce {
        emit(&format!("{} ({} chart(s))\n", dir.join("report.html").display(), r.charts.len()))?;
    }
    Ok(())
}
