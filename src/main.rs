//! The `voicetwin` command: argument parsing, output format and exit codes.
//! Everything else lives in the library.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use voicetwin::limits::{self, approx, grouped};
use voicetwin::model::{self, netregex::Rewrite, Model};
use voicetwin::report::folder::ResultsFolder;
use voicetwin::voice::{explain, Caller, Router, TrunkStates};
use voicetwin::{analysis, report, scenario};

#[derive(Parser)]
#[command(name = "voicetwin", version, about = "Digital twin of a Lync Server 2013 Enterprise Voice network")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario: replications in parallel, summary, run folder.
    Run(RunArgs),
    /// Fail each element (N-1) or each pair (N-2) in turn and rank them by impact.
    Whatif(WhatifArgs),
    /// Find the fewest channels per gateway (sessions per ITSP or PBX) meeting a grade of service.
    Plan(PlanArgs),
    /// Run a scenario over a grid of model or scenario values, same seeds at every point.
    Sweep(SweepArgs),
    /// Explain where a dialed number goes, step by step, as Lync would route it.
    Route(RouteArgs),
    /// Test a normalization or translation rule on numbers (like Test-CsVoiceNormalizationRule).
    Rule(RuleArgs),
    /// Validate a model and list what an administrator would want to fix.
    Check(CheckArgs),
    /// Write the design-review report (report.html, report.md, charts/) of a results folder.
    Report(ReportArgs),
    /// Score one media path with the ITU-T G.107 E-model (R and MOS).
    Qos(QosArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(Args)]
struct ModelArg {
    /// Model file (TOML); the built-in contoso example when omitted.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("caller").required(true).args(["user", "site", "from_trunk"])))]
struct RouteArgs {
    #[command(flatten)]
    model: ModelArg,
    /// Caller: a user group (its first user), GROUP#INDEX, or a Line URI (+14255550100).
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
    /// Caller: a user at this site with only site or global dial plan and policy.
    #[arg(long, value_name = "NAME")]
    site: Option<String>,
    /// Caller: a call arriving from the peer of this trunk (inbound or inter-trunk).
    #[arg(long, value_name = "NAME")]
    from_trunk: Option<String>,
    /// The string dialed (as the user typed it, or as the peer sent it).
    #[arg(long, value_name = "STRING", allow_hyphen_values = true)]
    dial: String,
    /// The calling number (defaults to the user's Line URI).
    #[arg(long, value_name = "NUMBER")]
    calling: Option<String>,
    /// Trunks (or peers: all their trunks) to treat as down.
    #[arg(long, value_name = "TRUNK,...", value_delimiter = ',')]
    down: Vec<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Args)]
struct ReportArgs {
    /// A results folder written by run, whatif, sweep or plan.
    dir: PathBuf,
}

/// Options shared by the commands that simulate.
#[derive(Args)]
struct SimArgs {
    /// Model file replacing the scenario's model.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Seed replacing the scenario's.
    #[arg(long, allow_negative_numbers = true)]
    seed: Option<u64>,
    /// Replications replacing the scenario's (with --precision, the first batch).
    #[arg(long, allow_negative_numbers = true)]
    replications: Option<u32>,
    /// Add replications until every headline grade of service has a 95%
    /// half-width under this share of its value (or under --precision-floor).
    #[arg(long, value_name = "REL", allow_negative_numbers = true)]
    precision: Option<f64>,
    /// With a precision target: a half-width this small is precise enough
    /// whatever the value (a share: 0.001 is a tenth of a percentage point).
    #[arg(long, value_name = "SHARE", allow_negative_numbers = true)]
    precision_floor: Option<f64>,
    /// With a precision target: the most replications to run.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    max_replications: Option<u32>,
    /// Worker threads (0: one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    threads: usize,
    /// Output folder (default: the scenario's `out` folder / the scenario's name).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Also write the design-review report (report.html, report.md, charts/) into the results folder.
    #[arg(long)]
    report: bool,
}

#[derive(Args)]
struct RunArgs {
    /// Scenario file, or a built-in scenario (busy-hour, single-trunk-group, gateway-failover, n-minus-1).
    #[arg(default_value = "busy-hour")]
    scenario: String,
    /// Multiply every source's load, e.g. 1.5 to confirm a plan's growth step with its planned model.
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR", allow_negative_numbers = true)]
    load_factor: f64,
    #[command(flatten)]
    sim: SimArgs,
}

#[derive(Args)]
struct WhatifArgs {
    /// Scenario file, or a built-in scenario; its [whatif] section sets the defaults.
    #[arg(default_value = "n-minus-1")]
    scenario: String,
    /// Element classes to fail: peer, trunk, mediation-pool, mediation-server, registrar-pool, wan-link, site.
    #[arg(long, value_name = "CLASS,...", value_delimiter = ',')]
    elements: Vec<String>,
    /// 1: each element alone (N-1); 2: each pair (N-2).
    #[arg(long, allow_negative_numbers = true)]
    k: Option<u8>,
    #[command(flatten)]
    sim: SimArgs,
}

#[derive(Args)]
struct SweepArgs {
    /// Scenario file, or a built-in scenario.
    #[arg(default_value = "single-trunk-group")]
    scenario: String,
    /// A field and its values, e.g. `model:peer[gw].e1_spans=1,2,3` or
    /// `scenario:source[redmond-out].bhca_per_user=1.5,2`; repeat for a grid.
    #[arg(long = "param", value_name = "PATH=V1,V2,...", required = true)]
    params: Vec<String>,
    #[command(flatten)]
    sim: SimArgs,
}

#[derive(Args)]
struct PlanArgs {
    /// Scenario file, or a built-in scenario.
    #[arg(default_value = "busy-hour")]
    scenario: String,
    /// Target grade of service (blocked share of calls needing a trunk).
    #[arg(long, default_value_t = 0.01, allow_negative_numbers = true)]
    target_gos: f64,
    /// Growth factors of the scenario's load.
    #[arg(long, value_delimiter = ',', default_value = "1.0", allow_negative_numbers = true)]
    growth: Vec<f64>,
    /// Also size for N-1: the target met with any one peer, Mediation pool or Mediation Server failed for the whole run.
    #[arg(long)]
    n_minus_1: bool,
    /// Size WAN links so the calls crossing each have a 5th-percentile MOS of at least this.
    #[arg(long, value_name = "MOS", allow_negative_numbers = true)]
    min_mos: Option<f64>,
    /// Largest share of a WAN link voice may take (e.g. 0.33 for a priority queue of a third).
    #[arg(long, default_value_t = 1.0, value_name = "SHARE", allow_negative_numbers = true)]
    voice_share: f64,
    #[command(flatten)]
    sim: SimArgs,
}

#[derive(Args)]
struct RuleArgs {
    /// The rule's pattern (.NET regular expression).
    #[arg(long, allow_hyphen_values = true)]
    pattern: String,
    /// The rule's translation ($1, ${1}, $$, $& ...).
    #[arg(long, allow_hyphen_values = true)]
    translation: String,
    /// Numbers to test.
    #[arg(required = true)]
    numbers: Vec<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Args)]
struct QosArgs {
    /// Codec, from the documented table (G.711, G.711-PLC, G.729A, G.723.1).
    #[arg(long)]
    codec: String,
    /// One-way mouth-to-ear delay Ta in ms (T = Ta, Tr = 2 Ta).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    delay_ms: f64,
    /// Packet loss Ppl in percent.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    loss_pct: f64,
    /// Burst ratio BurstR (1: random loss).
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    burst_ratio: f64,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    model: ModelArg,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// How a command failed: bad input (exit 2) or anything else (exit 1).
enum Failure {
    Input(String),
    Other(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => run(a),
        Command::Whatif(a) => whatif(a),
        Command::Plan(a) => plan(a),
        Command::Sweep(a) => sweep(a),
        Command::Route(a) => route(a),
        Command::Rule(a) => rule(a),
        Command::Check(a) => check(a),
        Command::Report(a) => review(&a.dir, true),
        Command::Qos(a) => qos(a),
    };
    let (code, msg) = match result {
        Ok(()) => return ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => (2, msg),
        Err(Failure::Other(msg)) => (1, msg),
    };
    // A closed stderr is no reason to panic either.
    let _ = writeln!(std::io::stderr(), "error: {msg}");
    ExitCode::from(code)
}

/// Prints to stdout. A reader that stops reading (`| head`) ends the
/// output, not the command: the folder is written by then, so a closed
/// stdout is a normal end.
fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Other(format!("cannot write to standard output: {e}"))),
    }
}

/// A results folder's problem: the folder is the user's or not a
/// complete result (exit 2), or the system refused (exit 1).
fn folder_failure(e: report::folder::FolderError) -> Failure {
    use report::folder::FolderError;
    match e {
        FolderError::Refused(m) | FolderError::Incomplete(m) => Failure::Input(m),
        FolderError::Io(m) => Failure::Other(m),
    }
}

/// Opens the output folder before any simulation, so a folder that
/// cannot be written fails at once: a path voicetwin cannot create or
/// lock, or a file in the way that is not voicetwin's, is bad input.
fn open_folder(sim: &SimArgs, dir: &Path, command: &str, names: &[&str]) -> Result<ResultsFolder, Failure> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    if sim.report {
        names.extend(report::review::files());
    }
    ResultsFolder::create(dir, command, &names).map_err(|e| match e {
        report::folder::FolderError::Io(m) => Failure::Input(format!("--out: {m}")),
        e => folder_failure(e),
    })
}

fn load(arg: &ModelArg) -> Result<Model, Failure> {
    match &arg.model {
        Some(path) => model::load_file(path).map_err(|e| Failure::Input(e.to_string())),
        None => Ok(Model::contoso()),
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::Other(e.to_string()))?;
    Ok(text + "\n")
}

/// Loads a scenario file or a built-in scenario, applying the overrides
/// (each checked against the file's range, naming the flag) and capping
/// `--threads` at the machine's cores; returns it with its model and a
/// folder name for its results.
fn load_scenario(name: &str, sim: &mut SimArgs) -> Result<(scenario::Scenario, Model, String), Failure> {
    sim.threads = capped_threads(sim.threads);
    let (model, seed, replications) = (sim.model.as_deref(), sim.seed, sim.replications);
    let path = std::path::Path::new(name);
    let (loaded, slug) = if path.exists() {
        let slug = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "run".into());
        (scenario::load_file(path, model), slug)
    } else if let Some(text) = scenario::builtin(name) {
        let label = format!("scenarios/{name}.toml (built in)");
        (scenario::load_str(text, &label, None, model), name.to_owned())
    } else {
        let names: Vec<&str> = scenario::BUILTIN_SCENARIOS.iter().map(|(n, _)| *n).collect();
        return Err(Failure::Input(format!(
            "{name}: no such scenario file, and not a built-in scenario ({})",
            names.join(", ")
        )));
    };
    let (mut sc, model) = loaded.map_err(|e| Failure::Input(e.to_string()))?;
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
    if let Some(seed) = seed {
        // A TOML integer, as the file's: a run folder records it.
        if i64::try_from(seed).is_err() {
            return Err(Failure::Input(format!(
                "--seed {seed}: more than {}; it must be between 0 and {} (the file's `seed` range)",
                i64::MAX,
                i64::MAX
            )));
        }
        sc.seed = seed;
    }
    if let Some(n) = replications {
        limits::scenario::REPLICATIONS
            .check(i64::from(n))
            .map_err(|e| Failure::Input(format!("--replications {n}: {e}")))?;
        sc.replications = n;
    }
    // The command line's precision replaces the scenario's, field by field.
    let relative = sim.precision.or(sc.precision.map(|p| p.relative));
    if relative.is_none() && (sim.precision_floor.is_some() || sim.max_replications.is_some()) {
        return Err(Failure::Input(
            "--precision-floor and --max-replications need a precision target: --precision REL or the \
             scenario's [precision]"
                .into(),
        ));
    }
    if let Some(rel) = relative {
        let max = sim.max_replications.or(sc.precision.map(|p| p.max_replications)).map(i64::from);
        let floor = sim.precision_floor.or(sc.precision.map(|p| p.absolute));
        let p = scenario::Precision::new(rel, floor, max, sc.replications).map_err(|(field, message)| {
            let flag = match field.as_str() {
                "relative" => "--precision",
                "absolute" => "--precision-floor",
                _ => "--max-replications",
            };
            Failure::Input(format!("{flag}: {message}"))
        })?;
        sc.precision = Some(p);
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
fn capped_threads(asked: usize) -> usize {
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
fn results_fit(
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
fn announce(sc: &scenario::Scenario, runs: u64, per_replication: f64, threads: usize, at_least: bool) -> bool {
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
fn rough_time(seconds: f64) -> String {
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

fn whatif(mut a: WhatifArgs) -> Result<(), Failure> {
    let (mut sc, model, slug) = load_scenario(&a.scenario, &mut a.sim)?;
    if !a.elements.is_empty() {
        sc.whatif.classes = a
            .elements
            .iter()
            .map(|c| scenario::ElementClass::parse(c).map_err(|e| Failure::Input(format!("--elements: {e}"))))
            .collect::<Result<_, _>>()?;
    }
    if let Some(k) = a.k {
        if !(1..=2).contains(&k) {
            return Err(Failure::Input(format!("--k {k}: use 1 (N-1) or 2 (N-2)")));
        }
        sc.whatif.k = k;
    }
    let dir = a.sim.out.clone().unwrap_or_else(|| PathBuf::from(&sc.out).join(format!("{slug}-whatif")));
    let mut folder = open_folder(&a.sim, &dir, "whatif", &report::whatif::FILES)?;
    let n = analysis::whatif::cases(&analysis::whatif::elements(&model, &sc.whatif.classes), sc.whatif.k).len();
    announce(&sc, n as u64 + 1, sc.work().calls, a.sim.threads, false);
    let bar = progress_bar(n);
    let progress = |more, total| {
        bar.set_length(total);
        bar.inc(more);
    };
    let report = analysis::whatif::run_whatif(&model, &sc, a.sim.threads, &progress).map_err(Failure::Other)?;
    bar.finish_and_clear();
    report::whatif::write_folder(&mut folder, &report).map_err(folder_failure)?;
    let out = match a.sim.format {
        Format::Text => report::whatif::render(&report),
        Format::Json => json(&report)?,
    };
    finish(&a.sim, folder, out, "Results")
}

/// A progress bar on a terminal, hidden otherwise (pipes, CI logs).
fn progress_bar(n: usize) -> indicatif::ProgressBar {
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::new(n as u64)
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// The end every simulating command shares: the folder completed, the
/// report made when asked, then (only then) the output printed and the
/// folder named.
fn finish(sim: &SimArgs, folder: ResultsFolder, out: String, label: &str) -> Result<(), Failure> {
    let dir = folder.commit().map_err(folder_failure)?;
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
fn review(dir: &Path, announce: bool) -> Result<(), Failure> {
    use report::review::ReportError;
    let failure = |e: ReportError| match e {
        ReportError::Io(m) => Failure::Other(m),
        ReportError::Folder(e) => folder_failure(e),
        e => Failure::Input(e.to_string()),
    };
    let (mut folder, results) = ResultsFolder::for_report(dir, &report::review::files()).map_err(folder_failure)?;
    let r = report::review::build(&results).map_err(failure)?;
    report::review::write(&mut folder, &r).map_err(failure)?;
    folder.commit().map_err(folder_failure)?;
    if announce {
        emit(&format!("{} ({} chart(s))\n", dir.join("report.html").display(), r.charts.len()))?;
    }
    Ok(())
}

/// How often a running sweep rewrites `sweep.csv` with its finished points.
const SWEEP_WRITE_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

fn sweep(mut a: SweepArgs) -> Result<(), Failure> {
    let params = a
        .params
        .iter()
        .map(|p| analysis::sweep::Param::parse(p).map_err(|e| Failure::Input(format!("--param {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let (sc, model, slug) = load_scenario(&a.scenario, &mut a.sim)?;
    let dir = a.sim.out.clone().unwrap_or_else(|| PathBuf::from(&sc.out).join(format!("{slug}-sweep")));
    let mut folder = open_folder(&a.sim, &dir, "sweep", &report::sweep::FILES)?;
    let n = analysis::sweep::grid_size(&params).map_err(|e| Failure::Input(format!("--param: {e}")))?;
    // Every point is built (and its edited files validated) before any runs,
    // so an error here is always about the input.
    let calls = analysis::sweep::prepare(&model, &sc, &params).map_err(|e| Failure::Input(format!("--param {e}")))?;
    announce(&sc, n as u64, calls / n.max(1) as f64, a.sim.threads, false);
    let bar = progress_bar(n);
    // The points finished so far go to `sweep.csv` as the sweep runs, at
    // most every few seconds; a failure to write them shows at the end,
    // when the whole folder is written.
    let params_kept = params.clone();
    let mut last_write = std::time::Instant::now();
    let mut finished = |points: &[analysis::sweep::Point]| {
        if points.len() < n && last_write.elapsed() >= SWEEP_WRITE_EVERY {
            let _ = report::sweep::write_finished(&mut folder, &params_kept, points);
            last_write = std::time::Instant::now();
        }
    };
    // Every point was built and checked above: what fails now is
    // voicetwin's own (exit 1), not the input.
    let report = analysis::sweep::run_prepared(&model, &sc, params, a.sim.threads, &|| bar.inc(1), &mut finished)
        .map_err(Failure::Other)?;
    bar.finish_and_clear();
    report::sweep::write_folder(&mut folder, &report).map_err(folder_failure)?;
    let out = match a.sim.format {
        Format::Text => report::sweep::render(&report),
        Format::Json => json(&report)?,
    };
    finish(&a.sim, folder, out, "Results")
}

fn plan(mut a: PlanArgs) -> Result<(), Failure> {
    if !(a.target_gos > 0.0 && a.target_gos < 1.0) {
        return Err(Failure::Input(format!("--target-gos {}: give a share between 0 and 1, e.g. 0.01", a.target_gos)));
    }
    if a.growth.len() > limits::scenario::MAX_GROWTH_STEPS {
        return Err(Failure::Input(format!(
            "--growth: {} steps, more than the {} a plan sizes (each is a whole search); give fewer",
            a.growth.len(),
            limits::scenario::MAX_GROWTH_STEPS
        )));
    }
    for (k, g) in a.growth.iter().enumerate() {
        let flag = format!("--growth {}", limits::number(*g));
        limits::scenario::LOAD_FACTOR.check(*g).map_err(|e| Failure::Input(format!("{flag}: {e}")))?;
        if a.growth[..k].contains(g) {
            return Err(Failure::Input(format!("{flag}: given twice")));
        }
    }
    let (sc, model, slug) = load_scenario(&a.scenario, &mut a.sim)?;
    // Each growth step's load must still be one a replication can run.
    let mut calls = 0.0;
    for g in &a.growth {
        let mut step = sc.clone();
        step.scale_load(*g).map_err(|e| Failure::Input(format!("--growth {g}: {e}")))?;
        calls += step.work().calls;
    }
    if let Some(m) = a.min_mos.filter(|m| !(1.0..=4.5).contains(m)) {
        return Err(Failure::Input(format!("--min-mos {m}: give a MOS between 1 and 4.5, e.g. 3.6")));
    }
    if !(a.voice_share > 0.0 && a.voice_share <= 1.0) {
        return Err(Failure::Input(format!(
            "--voice-share {}: give a share above 0 and at most 1, e.g. 0.33",
            a.voice_share
        )));
    }
    let dir = a.sim.out.clone().unwrap_or_else(|| PathBuf::from(&sc.out).join(format!("{slug}-plan")));
    let files = report::plan::files(&a.growth);
    let mut folder = open_folder(&a.sim, &dir, "plan", &files.iter().map(String::as_str).collect::<Vec<_>>())?;
    let options = analysis::plan::PlanOptions {
        target_gos: a.target_gos,
        growth: a.growth.clone(),
        threads: a.sim.threads,
        n_minus_1: a.n_minus_1,
        min_mos: a.min_mos,
        voice_share: a.voice_share,
        precision: sc.precision.unwrap_or(analysis::plan::PlanOptions::DEFAULT_PRECISION),
    };
    // Confirming runs add replications up to the plan's own bound.
    let most = options.precision.max_replications.max(sc.replications);
    results_fit(&sc, &model, most, a.sim.threads, || {
        format!("plan's confirming runs (up to {most} replications; --max-replications)")
    })?;
    announce(&sc, a.growth.len() as u64, calls / a.growth.len().max(1) as f64, a.sim.threads, true);
    // Which simulation a long plan is at, on a terminal only.
    let spinner = progress_bar(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        spinner.set_style(style);
    }
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let plan = analysis::plan::plan_observed(&model, &sc, &options, &|m| spinner.set_message(m.to_owned()));
    spinner.finish_and_clear();
    let plan = plan.map_err(Failure::Other)?;
    report::plan::write_folder(&mut folder, &plan, &model).map_err(folder_failure)?;
    let out = match a.sim.format {
        Format::Json => json(&plan)?,
        Format::Text => report::plan::render(&plan),
    };
    finish(&a.sim, folder, out, "Plan")
}

fn run(mut a: RunArgs) -> Result<(), Failure> {
    let flag = format!("--load-factor {}", limits::number(a.load_factor));
    limits::scenario::LOAD_FACTOR.check(a.load_factor).map_err(|e| Failure::Input(format!("{flag}: {e}")))?;
    let (mut sc, model, slug) = load_scenario(&a.scenario, &mut a.sim)?;
    if a.load_factor != 1.0 {
        // The folder's scenario.toml records it (`load_factor`).
        sc.scale_load(a.load_factor).map_err(|e| Failure::Input(format!("{flag}: {e}")))?;
    }
    let dir = a.sim.out.clone().unwrap_or_else(|| PathBuf::from(&sc.out).join(slug));
    let mut folder = open_folder(&a.sim, &dir, "run", &report::run::FILES)?;
    // A long run shows it is at work, on a terminal only.
    let spinner = progress_bar(0);
    if announce(&sc, if sc.failures.is_empty() { 1 } else { 2 }, sc.work().calls, a.sim.threads, false) {
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} simulating") {
            spinner.set_style(style);
        }
        spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    }
    let paired = analysis::run::run_paired(&model, &sc, a.sim.threads);
    spinner.finish_and_clear();
    let paired = paired.map_err(Failure::Other)?;
    let mut summary = analysis::summary::summarize(&model, &sc, &paired.with);
    summary.precision = paired.precision;
    if let Some(impact) = &paired.impact {
        summary.failure_impact = Some(analysis::summary::impact(&model, impact));
    }
    report::run::write_folder(&mut folder, &model, &sc, &paired.with, &summary).map_err(folder_failure)?;
    let out = match a.sim.format {
        Format::Text => report::run::render(&summary),
        Format::Json => json(&summary)?,
    };
    finish(&a.sim, folder, out, "Run folder")
}

fn route(a: RouteArgs) -> Result<(), Failure> {
    let model = load(&a.model)?;
    let caller = if let Some(u) = &a.user {
        let (group, index) = model.find_user(u).map_err(|e| Failure::Input(format!("--user: {e}")))?;
        Caller::User { group, index }
    } else if let Some(s) = &a.site {
        let site = model.site_by_name(s).ok_or_else(|| Failure::Input(format!("--site: no site \"{s}\"")))?;
        Caller::Site(site)
    } else {
        let name = a.from_trunk.as_deref().unwrap_or_default();
        let trunk =
            model.trunk_by_name(name).ok_or_else(|| Failure::Input(format!("--from-trunk: no trunk \"{name}\"")))?;
        Caller::Trunk(trunk)
    };
    let states = TrunkStates::with_down(&model, &a.down).map_err(Failure::Input)?;
    let decision = Router::new(&model).decide(caller, &a.dial, a.calling.as_deref(), &states, 0);
    let explanation = explain(&model, caller, &decision);
    emit(&match a.format {
        Format::Text => report::route::render(&explanation),
        Format::Json => json(&explanation)?,
    })
}

#[derive(serde::Serialize)]
struct RuleResult {
    input: String,
    matched: bool,
    output: Option<String>,
    /// The pattern reached the matching limit: no answer (`matched` false).
    limit_reached: bool,
}

fn rule(a: RuleArgs) -> Result<(), Failure> {
    let rewrite = Rewrite::new(&a.pattern, &a.translation)
        .map_err(|e| Failure::Input(format!("--pattern `{}` is not a valid regular expression: {e}", a.pattern)))?;
    let results: Vec<RuleResult> = a
        .numbers
        .iter()
        .map(|n| {
            let (output, limit_reached) = match rewrite.try_apply(n) {
                Ok(output) => (output, false),
                Err(_) => (None, true),
            };
            RuleResult { input: n.clone(), matched: output.is_some(), output, limit_reached }
        })
        .collect();
    match a.format {
        Format::Json => emit(&json(&results)?)?,
        Format::Text => {
            for lit in rewrite.literal_references() {
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: `{lit}` names no group of the pattern; it stays literal text"
                );
            }
            let mut out = String::new();
            for r in &results {
                match &r.output {
                    Some(o) => out.push_str(&format!("{}  ->  {o}\n", r.input)),
                    None if r.limit_reached => {
                        out.push_str(&format!("{}  ->  (matching limit reached: no answer)\n", r.input))
                    }
                    None => out.push_str(&format!("{}  ->  (no match)\n", r.input)),
                }
            }
            emit(&out)?;
        }
    }
    let limited: Vec<&str> = results.iter().filter(|r| r.limit_reached).map(|r| r.input.as_str()).collect();
    if !limited.is_empty() {
        return Err(Failure::Input(format!(
            "pattern `{}` reached the matching limit ({} backtracking steps) on {}: voicetwin cannot tell whether it matches, and .NET (no such limit) may match it; routing takes it as not matching. Rewrite the pattern without nested repetition (such as `(1|1)*`)",
            a.pattern,
            model::limit::BACKTRACK_LIMIT,
            limited.join(", ")
        )));
    }
    Ok(())
}

fn qos(a: QosArgs) -> Result<(), Failure> {
    use voicetwin::qos::{codecs, emodel};
    let codec = codecs::codec(&a.codec).ok_or_else(|| {
        let known: Vec<&str> = codecs::CODECS.iter().map(|c| c.name).collect();
        Failure::Input(format!("--codec {}: not in the table (known: {})", a.codec, known.join(", ")))
    })?;
    if !(a.delay_ms.is_finite() && a.delay_ms >= 0.0) {
        return Err(Failure::Input(format!("--delay-ms {}: give a delay of zero or more", a.delay_ms)));
    }
    if !(0.0..=100.0).contains(&a.loss_pct) {
        return Err(Failure::Input(format!("--loss-pct {}: give a percentage (0-100)", a.loss_pct)));
    }
    if !(a.burst_ratio.is_finite() && a.burst_ratio >= 1.0) {
        return Err(Failure::Input(format!("--burst-ratio {}: 1 is random loss, more is burstier", a.burst_ratio)));
    }
    let p = emodel::Params {
        Ie: codec.ie,
        Bpl: codec.bpl,
        Ta: a.delay_ms,
        T: a.delay_ms,
        Tr: 2.0 * a.delay_ms,
        Ppl: a.loss_pct,
        BurstR: a.burst_ratio,
        ..emodel::Params::default()
    };
    let r = emodel::rating(&p);
    emit(&match a.format {
        Format::Json => json(&serde_json::json!({
            "codec": codec.name,
            "delay_ms": a.delay_ms,
            "loss_pct": a.loss_pct,
            "burst_ratio": a.burst_ratio,
            "r": r.r,
            "mos": r.mos,
            "ie": codec.ie,
            "bpl": codec.bpl,
            "ie_eff": r.ie_eff,
            "id": r.id,
            "is": r.is,
            "ro": r.ro,
        }))?,
        Format::Text => format!(
            "{} ({}): Ie {}, Bpl {}\none-way delay {} ms, packet loss {}% (burst ratio {})\n\
             R = {:.1}  (Ro {:.1} - Is {:.1} - Id {:.1} - Ie,eff {:.1})\nMOS = {:.2}\n",
            codec.name,
            codec.note,
            codec.ie,
            codec.bpl,
            a.delay_ms,
            a.loss_pct,
            a.burst_ratio,
            r.r,
            r.ro,
            r.is,
            r.id,
            r.ie_eff,
            r.mos
        ),
    })
}

fn check(a: CheckArgs) -> Result<(), Failure> {
    let model = load(&a.model)?;
    let lints = model::lint::lint(&model);
    emit(&match a.format {
        Format::Text => report::lint::render(&model, &lints),
        Format::Json => json(&serde_json::json!({ "model": model.source, "valid": true, "lints": lints }))?,
    })
}
