//! A long study (`whatif`, `plan`, `sweep`) in parts: one shard into its
//! own folder (`--shard I/N`), a local run kept as parts inside its
//! results folder so that an interrupted run resumes, the `merge` of a
//! set of shards, and the estimate said before the work.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use voicetwin::report::folder::{write_atomic, TEMP_PREFIX};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use voicetwin::analysis::parts::{self, Header, Inputs, PartFile};
use voicetwin::analysis::shard::Shard;
use voicetwin::limits::{approx, grouped};
use voicetwin::model::Model;
use voicetwin::report::folder::{Completed, ResultsFolder};
use voicetwin::scenario::Scenario;
use voicetwin::{analysis, limits, report, scenario};

use super::args::*;
use super::setup::*;
use super::Failure;

/// The folder, inside a results folder, where a local run keeps the
/// parts it has finished until the results are written.
pub const LOCAL_DIR: &str = ".voicetwin-parts";
/// Cases a local run computes per part: each part it finishes is kept,
/// so an interrupted run loses at most one part's work (a what-if part
/// also runs the baseline's replications again: one case in fifty).
pub const CASES_PER_PART: usize = 50;

/// The number of local parts of a study of `cases` cases, `per_part` to
/// a part.
pub fn local_count(cases: usize, per_part: usize) -> u32 {
    u32::try_from(cases.div_ceil(per_part.max(1))).unwrap_or(u32::MAX).clamp(1, Shard::MAX_COUNT)
}

/// The command a shard's folder is written as: a part, not results.
fn part_command(command: &str) -> String {
    format!("{command}-part")
}

/// Opens a shard's `--out` folder before any work (a part, never the
/// report: that is the merged folder's).
pub fn open_shard(sim: &SimArgs, dir: &Path, command: &str, shard: Shard) -> Result<ResultsFolder, Failure> {
    if sim.report {
        return Err(Failure::Input(format!(
            "--report with --shard {shard}: a shard writes a part; add --report to `voicetwin merge`"
        )));
    }
    let names = [parts::FILE.to_owned()];
    ResultsFolder::create(dir, &part_command(command), &names).map_err(|e| match e {
        report::folder::FolderError::Io(m) => Failure::Input(format!("--out: {m}")),
        e => Failure::Folder(e),
    })
}

/// The cases of `cases` that `shard` owns.
pub fn shard_cases(cases: usize, shard: Shard) -> usize {
    (0..cases).filter(|&i| shard.owns(i)).count()
}

/// What a study is: its command, inputs and number of cases.
pub struct Study {
    pub command: &'static str,
    pub inputs: Inputs,
    pub cases: usize,
}

impl Study {
    pub fn new<O: Serialize>(
        command: &'static str,
        model: &Model,
        sc: &Scenario,
        options: &O,
        cases: usize,
    ) -> Result<Self, Failure> {
        let inputs = Inputs::new(model, sc, options).map_err(|e| Failure::Output(e.to_string()))?;
        Ok(Self { command, inputs, cases })
    }

    /// Writes a shard's part into its folder and says so.
    pub fn write_shard<T: Serialize + DeserializeOwned>(
        &self,
        mut folder: ResultsFolder,
        shard: Shard,
        part: T,
    ) -> Result<(), Failure> {
        let shard_cases = shard_cases(self.cases, shard);
        let file = PartFile::new(self.command, self.inputs.clone(), shard, self.cases, shard_cases, part);
        let text = file.to_json().map_err(|e| Failure::Output(format!("{}: {e}", parts::FILE)))?;
        folder.write(parts::FILE, text)?;
        let dir = folder.commit()?;
        emit(&format!(
            "shard {shard}: {shard_cases} of the study's {} case(s) in {}\nmerge every shard's folder with `voicetwin \
             merge DIR... --out OUT`\n",
            self.cases,
            dir.join(parts::FILE).display()
        ))
    }

    /// The cases and parts a local run of `count` parts in `out` has
    /// left to compute: those of the parts an earlier run of the same
    /// study did not finish.
    pub fn left(&self, out: &Path, count: u32) -> (usize, u32) {
        if count <= 1 {
            return (self.cases, 1);
        }
        let fingerprint = self.inputs.fingerprint(self.command, self.cases);
        let mut done = vec![false; count as usize];
        for (_, h) in read_local(&out.join(LOCAL_DIR)) {
            if h.command == self.command && h.fingerprint == fingerprint && h.shard.count == count {
                done[h.shard.index as usize] = true;
            }
        }
        let left: Vec<Shard> = Shard::all(count).filter(|s| !done[s.index as usize]).collect();
        (left.iter().map(|s| shard_cases(self.cases, *s)).sum(), left.len() as u32)
    }

    /// Runs a local study as `count` parts in `out`'s [`LOCAL_DIR`],
    /// skipping the parts an earlier run of the same study finished
    /// there, keeping each part as it finishes; returns every part in
    /// shard order, each read from its file when its turn comes (memory
    /// holds one part at a time, however many cases the study has).
    pub fn run_local<T: Serialize + DeserializeOwned>(
        &self,
        out: &Path,
        count: u32,
        mut run: impl FnMut(Shard, usize) -> Result<T, Failure>,
    ) -> Result<LocalParts<T>, Failure> {
        if count <= 1 {
            return Ok(LocalParts { one: Some(run(Shard::WHOLE, 0)?), files: Vec::new() });
        }
        let dir = out.join(LOCAL_DIR);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Failure::Input(format!(
                    "{}: is not a folder voicetwin made (a file or a link); move it away or choose another --out",
                    dir.display()
                )))
            }
            Err(_) => fs::create_dir(&dir)
                .map_err(|e| Failure::Output(format!("{}: cannot create the folder: {e}", dir.display())))?,
        }
        let fingerprint = self.inputs.fingerprint(self.command, self.cases);
        let mut done: Vec<Option<PathBuf>> = (0..count).map(|_| None).collect();
        let mut stale: Option<String> = None;
        for (path, header) in read_local(&dir) {
            let name = path.display().to_string();
            if header.command == self.command && header.fingerprint == fingerprint && header.shard.count == count {
                let text = fs::read_to_string(&path).unwrap_or_default();
                if PartFile::<T>::from_json(&text, &name).is_ok() {
                    done[header.shard.index as usize] = Some(path);
                    continue;
                }
            }
            if stale.is_none() {
                stale = Some(if header.fingerprint != fingerprint {
                    header.fingerprint.difference(&fingerprint)
                } else {
                    format!("split {} ways, this run {count}", header.shard.count)
                });
            }
        }
        if let Some(why) = stale {
            eprintln!(
                "{}: parts of an earlier run of another study ({why} changed); they are not used, and are removed \
                 once this run's results are written",
                dir.display()
            );
        }
        let resumed = done.iter().filter(|d| d.is_some()).count();
        if resumed > 0 {
            eprintln!(
                "resuming: {resumed} of {count} parts already done by an earlier run of the same study ({}); \
                 computing the other {}",
                dir.display(),
                count as usize - resumed
            );
        }
        let mut before: usize =
            Shard::all(count).filter(|s| done[s.index as usize].is_some()).map(|s| shard_cases(self.cases, s)).sum();
        for shard in Shard::all(count) {
            let slot = &mut done[shard.index as usize];
            if slot.is_some() {
                continue;
            }
            let part = run(shard, before)?;
            let mine = shard_cases(self.cases, shard);
            before += mine;
            let file = PartFile::new(self.command, self.inputs.clone(), shard, self.cases, mine, part);
            let text = file.to_json().map_err(|e| Failure::Output(e.to_string()))?;
            let path = dir.join(local_name(shard));
            write_atomic(&path, text.as_bytes())
                .map_err(|e| Failure::Output(format!("{}: cannot write it: {e}", path.display())))?;
            *slot = Some(path);
        }
        Ok(LocalParts { one: None, files: done.into_iter().flatten().collect() })
    }
}

/// A local study's parts: the one part of a study run whole, or the files
/// of its parts, read one at a time.
pub struct LocalParts<T> {
    one: Option<T>,
    files: Vec<PathBuf>,
}

impl<T: Serialize + DeserializeOwned> LocalParts<T> {
    /// Each part in shard order, read when its turn comes.
    pub fn read(self) -> impl Iterator<Item = Result<T, Failure>> {
        self.one.into_iter().map(Ok).chain(self.files.into_iter().map(|path| {
            let name = path.display().to_string();
            let text =
                fs::read_to_string(&path).map_err(|e| Failure::Output(format!("{name}: cannot read it back: {e}")))?;
            PartFile::<T>::from_json(&text, &name).map(|f| f.part).map_err(Failure::Output)
        }))
    }

    /// Every part, in shard order.
    pub fn all(self) -> Result<Vec<T>, Failure> {
        self.read().collect()
    }
}

/// The name of a local part file.
fn local_name(shard: Shard) -> String {
    format!("part-{}-of-{}.json", shard.index, shard.count)
}

/// The part files in a local parts folder, with their headers: files of
/// another name, or that do not read as parts, are not voicetwin's and
/// are left alone.
fn read_local(dir: &Path) -> Vec<(PathBuf, Header)> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<(PathBuf, Header)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let (i, n) = name.strip_prefix("part-")?.strip_suffix(".json")?.split_once("-of-")?;
            let shard = Shard { index: i.parse().ok()?, count: n.parse().ok()? };
            let text = fs::read_to_string(e.path()).ok()?;
            let header = parts::header(&text, &name).ok()?;
            (local_name(header.shard) == name && header.shard == shard).then(|| (e.path(), header))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// Removes a finished local run's parts (only files that read as
/// voicetwin's parts, and its own temporaries) and their folder when
/// nothing else is left in it.
pub fn clean_local(out: &Path) {
    let dir = out.join(LOCAL_DIR);
    if !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
        return;
    }
    for (path, _) in read_local(&dir) {
        let _ = fs::remove_file(path);
    }
    if let Ok(entries) = fs::read_dir(&dir) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(TEMP_PREFIX) && e.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    let _ = fs::remove_dir(&dir);
}

/// A progress bar over a study's cases, on a terminal only, fed by each
/// part's (more, total) reports: the position is the cases finished.
pub struct Progress {
    bar: indicatif::ProgressBar,
    /// Cases of the parts finished before the current one.
    before: AtomicU64,
    /// The current part's units done and its total, and its cases.
    units: AtomicU64,
    part_cases: AtomicU64,
}

impl Progress {
    pub fn new(cases: usize) -> Self {
        let bar = progress_bar(cases);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} cases {elapsed} (eta {eta})") {
            bar.set_style(style);
        }
        Self { bar, before: AtomicU64::new(0), units: AtomicU64::new(0), part_cases: AtomicU64::new(0) }
    }

    /// A part of `cases` cases begins (after `before` finished cases).
    pub fn part(&self, before: usize, cases: usize) {
        self.before.store(before as u64, Ordering::Relaxed);
        self.units.store(0, Ordering::Relaxed);
        self.part_cases.store(cases as u64, Ordering::Relaxed);
        self.bar.set_position(before as u64);
    }

    /// `more` of the part's `total` units are done.
    pub fn report(&self, more: u64, total: u64) {
        let done = self.units.fetch_add(more, Ordering::Relaxed) + more;
        let cases = self.part_cases.load(Ordering::Relaxed);
        let at = self.before.load(Ordering::Relaxed) + (done * cases).checked_div(total).unwrap_or(0);
        self.bar.set_position(at);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Says, before a long study, how many cases it has (and how many this
/// shard runs), the simulations and calls that makes, and an estimate of
/// the time from one replication of the scenario timed on this machine.
/// Said on a terminal, for a shard (its log tells the cluster's user),
/// or for a study past `limits::scenario::ANNOUNCE_CALLS` calls.
/// `left`: cases a local run has left to compute (resuming);
/// `runs`: replication sets the shard (or what is left) runs (each of the scenario's
/// replications); `at_least`: a precision target or a search may run more.
#[allow(clippy::too_many_arguments)]
pub fn estimate(
    what: &str,
    model: &Model,
    sc: &Scenario,
    cases: usize,
    shard: Option<(Shard, usize)>,
    left: usize,
    runs: u64,
    calls_per_replication: f64,
    threads: usize,
    at_least: bool,
) {
    let reps = u64::from(sc.replications) * runs;
    let calls = reps as f64 * calls_per_replication;
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    if !(terminal || shard.is_some() || calls >= limits::scenario::ANNOUNCE_CALLS) {
        return;
    }
    let baseline = Scenario { failures: Vec::new(), ..sc.clone() };
    let t0 = std::time::Instant::now();
    let _ = voicetwin::sim::run_replication(model, &baseline, 0);
    let each = t0.elapsed().as_secs_f64();
    let cores = if threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { threads };
    let used = (cores as u64).clamp(1, reps.max(1));
    let seconds = each * reps as f64 / used as f64;
    let of = match shard {
        Some((s, n)) => format!(" (shard {s}: {n} of them)"),
        None if left < cases => format!(" ({} left after an earlier run)", grouped(left as i64)),
        None => String::new(),
    };
    let floor = if at_least { "at least " } else { "" };
    eprintln!(
        "{what}: {} case(s){of}: {floor}{} replication(s) to simulate, ~{} calls; {floor}about {} on {used} \
         thread{} (estimated from one replication of the scenario timed here: {}); Ctrl-C to stop{}",
        grouped(cases as i64),
        grouped(reps as i64),
        approx(calls),
        rough_time(seconds),
        if used == 1 { "" } else { "s" },
        // A tiny scenario's replication takes milliseconds, not "0.00 s".
        if each >= 0.1 { format!("{each:.2} s") } else { format!("{:.1} ms", each * 1e3) },
        if shard.is_none() { ", a re-run resumes" } else { "" },
    );
}

/// A what-if's own options, as its parts record them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WhatifOptions {
    pub classes: Vec<scenario::ElementClass>,
    pub k: u8,
    pub all_pairs: bool,
}

impl WhatifOptions {
    pub fn of(sc: &Scenario) -> Self {
        Self { classes: sc.whatif.classes.clone(), k: sc.whatif.k, all_pairs: sc.whatif.all_pairs }
    }
}

/// A plan's own options, as its parts record them (not its threads:
/// the plan does not depend on them).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanPartOptions {
    pub target_gos: f64,
    pub growth: Vec<f64>,
    pub n_minus_1: bool,
    pub min_mos: Option<f64>,
    pub voice_share: f64,
    pub allow_shrink: bool,
    pub precision_relative: f64,
    pub precision_absolute: f64,
    pub precision_max_replications: u32,
}

impl PlanPartOptions {
    pub fn of(o: &analysis::plan::PlanOptions) -> Self {
        Self {
            target_gos: o.target_gos,
            growth: o.growth.clone(),
            n_minus_1: o.n_minus_1,
            min_mos: o.min_mos,
            voice_share: o.voice_share,
            allow_shrink: o.allow_shrink,
            precision_relative: o.precision.relative,
            precision_absolute: o.precision.absolute,
            precision_max_replications: o.precision.max_replications,
        }
    }

    pub fn options(&self, threads: usize) -> analysis::plan::PlanOptions {
        analysis::plan::PlanOptions {
            target_gos: self.target_gos,
            growth: self.growth.clone(),
            threads,
            n_minus_1: self.n_minus_1,
            min_mos: self.min_mos,
            voice_share: self.voice_share,
            allow_shrink: self.allow_shrink,
            precision: scenario::Precision {
                relative: self.precision_relative,
                absolute: self.precision_absolute,
                max_replications: self.precision_max_replications,
            },
            in_parts: true,
        }
    }
}

/// A sweep's own options: its `--param` values as given (an integer
/// written as `2` and as `2.0` edit the file differently).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SweepOptions {
    pub params: Vec<String>,
}

/// A part found in a shard's folder: where, and its header; its text is
/// read again when its turn comes, so merging holds one part at a time.
struct Found {
    name: String,
    header: Header,
    source: PathBuf,
}

impl Found {
    /// The part's text, read from where it was found (a shard's folder is
    /// checked against its manifest again).
    fn text(&self) -> Result<String, Failure> {
        part_text(&self.source)
    }

    /// The part, read.
    fn part<T: Serialize + DeserializeOwned>(&self) -> Result<PartFile<T>, Failure> {
        PartFile::<T>::from_json(&self.text()?, &self.name).map_err(Failure::Input)
    }
}

/// The text of the part in `dir` (a shard's `--out` folder, complete), or
/// of the part file `dir` names.
fn part_text(dir: &Path) -> Result<String, Failure> {
    let name = dir.display().to_string();
    if fs::metadata(dir).is_ok_and(|m| m.is_file()) {
        return fs::read_to_string(dir).map_err(|e| Failure::Input(format!("{name}: cannot read it: {e}")));
    }
    let done = Completed::open(dir)?;
    if !done.command().ends_with("-part") {
        return Err(Failure::Input(format!(
            "{name}: the results of a `{}`, not a shard's part (a shard is run with --shard I/N)",
            done.command()
        )));
    }
    done.text(parts::FILE)?.ok_or_else(|| Failure::Input(format!("{name}: has no {}", parts::FILE)))
}

/// Finds the part in `dir` and reads its header.
fn read_part(dir: &Path) -> Result<Found, Failure> {
    let name = dir.display().to_string();
    let header = parts::header(&part_text(dir)?, &name).map_err(Failure::Input)?;
    Ok(Found { name, header, source: dir.to_path_buf() })
}

/// The parts of one study, checked, in shard order.
fn parts_of<T: Serialize + DeserializeOwned>(found: Vec<Found>) -> Result<(Inputs, Vec<T>), Failure> {
    let mut files = Vec::with_capacity(found.len());
    for f in found {
        files.push(f.part::<T>()?);
    }
    files.sort_by_key(|f| f.header.shard.index);
    let inputs = files[0].inputs.clone();
    Ok((inputs, files.into_iter().map(|f| f.part).collect()))
}

/// The model and scenario of a set of parts, loaded from their recorded
/// texts and checked to give the fingerprint the parts were made with.
fn load_inputs(inputs: &Inputs, name: &str) -> Result<(Model, Scenario), Failure> {
    let (model, sc) =
        inputs.load().map_err(|e| Failure::Input(format!("{name}: the model or scenario it records: {e}")))?;
    Ok((model, sc))
}

/// `voicetwin merge`: the parts of one study, checked, put together and
/// written as the study run in one piece writes its folder.
pub fn merge(a: MergeArgs) -> Result<(), Failure> {
    let found = a.dirs.iter().map(|d| read_part(d)).collect::<Result<Vec<_>, _>>()?;
    let headers: Vec<(String, Header)> = found.iter().map(|f| (f.name.clone(), f.header.clone())).collect();
    parts::check_set(&headers).map_err(Failure::Input)?;
    let first = found[0].header.clone();
    let first_name = found[0].name.clone();
    let sim = SimArgs {
        model: None,
        seed: None,
        replications: None,
        precision: None,
        precision_floor: None,
        max_replications: None,
        threads: capped_threads(a.threads),
        out: Some(a.out.clone()),
        format: a.format,
        report: a.report,
    };
    let check = |inputs: &Inputs, sc: &Scenario, model: &Model| -> Result<(), Failure> {
        let again = Inputs { options: inputs.options.clone(), ..Inputs::new(model, sc, &()).unwrap_or(inputs.clone()) };
        if again.fingerprint(&first.command, first.cases) != first.fingerprint {
            return Err(Failure::Input(format!(
                "{first_name}: the model and scenario it records do not read back as the study it was made from \
                 (edited, or written by another version of voicetwin); run the shards again"
            )));
        }
        Ok(())
    };
    match first.command.as_str() {
        "whatif" => merge_whatif(&sim, found, &first, &first_name, &check),
        "plan" => {
            let (inputs, parts) = parts_of::<analysis::plan::PlanPart>(found)?;
            let (model, sc) = load_inputs(&inputs, &first_name)?;
            check(&inputs, &sc, &model)?;
            let opts: PlanPartOptions = serde_json::from_value(inputs.options.clone())
                .map_err(|e| Failure::Input(format!("{first_name}: its plan options: {e}")))?;
            let o = opts.options(sim.threads);
            let mut folder = open_plan_folder(&sim, &a.out, &o.growth)?;
            let plan = analysis::plan::assemble_plan(&model, &sc, &o, parts)?;
            finish_plan(&sim, &mut folder, &plan, &model)?;
            finish_study(&sim, folder, &plan, report::plan::render(&plan), "Plan")
        }
        "sweep" => {
            let (inputs, parts) = parts_of::<analysis::sweep::SweepPart>(found)?;
            let (model, sc) = load_inputs(&inputs, &first_name)?;
            check(&inputs, &sc, &model)?;
            let opts: SweepOptions = serde_json::from_value(inputs.options.clone())
                .map_err(|e| Failure::Input(format!("{first_name}: its sweep options: {e}")))?;
            let params = parse_params(&opts.params)?;
            let mut folder = open_folder(&sim, &a.out, "sweep", &report::sweep::FILES)?;
            let r = analysis::sweep::assemble_sweep(&model, &sc, &params, parts)?;
            report::sweep::write_folder(&mut folder, &r)?;
            finish_study(&sim, folder, &r, report::sweep::render(&r), "Results")
        }
        other => Err(Failure::Input(format!("{first_name}: a part of `{other}`, which voicetwin cannot merge"))),
    }
}

/// The sweep's parameters from their `--param` texts.
pub fn parse_params(texts: &[String]) -> Result<Vec<analysis::sweep::Param>, Failure> {
    texts.iter().map(|p| analysis::sweep::Param::parse(p).map_err(|e| Failure::Input(format!("--param {e}")))).collect()
}

/// Opens a plan's results folder for its growth steps.
pub fn open_plan_folder(sim: &SimArgs, dir: &Path, growth: &[f64]) -> Result<ResultsFolder, Failure> {
    let files = report::plan::files(growth);
    open_folder(sim, dir, "plan", &files.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Writes a plan's files.
pub fn finish_plan(
    _sim: &SimArgs,
    folder: &mut ResultsFolder,
    plan: &analysis::plan::PlanResults,
    model: &Model,
) -> Result<(), Failure> {
    report::plan::write_folder(folder, plan, model)?;
    Ok(())
}

/// The end of a study's command: the folder committed, the report made
/// when asked, the results printed.
pub fn finish_study<T: Serialize>(
    sim: &SimArgs,
    folder: ResultsFolder,
    value: &T,
    text: String,
    label: &str,
) -> Result<(), Failure> {
    let out = match sim.format {
        Format::Text => text,
        Format::Json => json(value)?,
    };
    finish(sim, folder, out, label)
}

fn merge_whatif(
    sim: &SimArgs,
    mut found: Vec<Found>,
    first: &Header,
    first_name: &str,
    check: &dyn Fn(&Inputs, &Scenario, &Model) -> Result<(), Failure>,
) -> Result<(), Failure> {
    // The parts are read one at a time as they are put together; each is
    // read and checked (its hash) once before, so that a part edited or
    // damaged is refused before the output folder is touched.
    found.sort_by_key(|f| f.header.shard.index);
    for f in &found[1..] {
        f.part::<analysis::whatif::WhatIfPart>()?;
    }
    let inputs = found[0].part::<analysis::whatif::WhatIfPart>()?.inputs;
    let (model, mut sc) = load_inputs(&inputs, first_name)?;
    let opts: WhatifOptions = serde_json::from_value(inputs.options.clone())
        .map_err(|e| Failure::Input(format!("{first_name}: its what-if options: {e}")))?;
    sc.whatif.classes = opts.classes;
    sc.whatif.k = opts.k;
    sc.whatif.all_pairs = opts.all_pairs;
    check(&inputs, &sc, &model)?;
    let whatif = analysis::whatif::WhatIfStudy::new(&model, &sc);
    if whatif.case_count() != first.cases {
        return Err(Failure::Input(format!(
            "{first_name}: lists {} cases, and its model and scenario give {}; run the shards again",
            first.cases,
            whatif.case_count()
        )));
    }
    for note in whatif.notes() {
        eprintln!("note: {note}");
    }
    let dir = sim.out.clone().unwrap_or_default();
    let folder = open_folder(sim, &dir, "whatif", &report::whatif::FILES)?;
    let spill = analysis::whatif::Spill::file(folder.scratch_path("whatif-pairs"));
    let parts = found.iter().map(|f| f.part::<analysis::whatif::WhatIfPart>().map(|p| p.part));
    let r = whatif.assemble(parts, sim.threads, spill)?;
    finish_whatif(sim, folder, &r)
}

/// The end of a what-if: `whatif.json` and `whatif.csv` written and the
/// folder committed, the report made when asked, the ranking printed; each
/// a case at a time, read back from where the what-if holds them.
pub fn finish_whatif(
    sim: &SimArgs,
    mut folder: ResultsFolder,
    r: &analysis::whatif::WhatIfResults<analysis::whatif::RankedCases>,
) -> Result<(), Failure> {
    use std::io::Write as _;
    report::whatif::write_folder(&mut folder, r)?;
    let dir = folder.commit()?;
    if sim.report {
        review(&dir, false)?;
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match sim.format {
        Format::Text => {
            report::whatif::render_to(r, &mut out).and_then(|()| write!(out, "\nResults: {}\n", dir.display()))
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, r).map_err(std::io::Error::other).and_then(|()| out.write_all(b"\n"))
        }
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Output(format!("cannot write the ranking to standard output: {e}"))),
    }
}
