//! One function per command: the wiring from arguments to the library
//! and back to the terminal and the results folder.

use std::io::Write as _;
use std::path::PathBuf;

use voicetwin::limits;
use voicetwin::model;
use voicetwin::pattern::{limit::BACKTRACK_LIMIT, netregex::Rewrite};
use voicetwin::voice::{explain, Caller, Router, TrunkStates};
use voicetwin::{analysis, report, scenario};

use super::args::*;
use super::setup::*;
use super::Failure;

pub fn whatif(mut a: WhatifArgs) -> Result<(), Failure> {
    let (mut sc, model, slug) = load_scenario(&a.scenario, &mut a.sim, None)?;
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
    if a.all_pairs && sc.whatif.k < 2 {
        return Err(Failure::Input("--all-pairs: only with N-2 (--k 2, or k = 2 in the scenario's [whatif])".into()));
    }
    sc.whatif.all_pairs |= a.all_pairs;
    let dir = a.sim.out.clone().unwrap_or_else(|| PathBuf::from(&sc.out).join(format!("{slug}-whatif")));
    use super::study::{self, Study};
    let shard = a.shard.shard;
    let folder = match shard {
        Some(s) => study::open_shard(&a.sim, &dir, "whatif", s)?,
        None => open_folder(&a.sim, &dir, "whatif", &report::whatif::FILES)?,
    };
    // Prepared once: every local part shares the route check, the parts
    // and the cases.
    let whatif = analysis::whatif::WhatIfStudy::new(&model, &sc);
    for note in whatif.notes() {
        eprintln!("note: {note}");
    }
    let n = whatif.case_count();
    let st = Study::new("whatif", &model, &sc, &study::WhatifOptions::of(&sc), n)?;
    let (per_rep, threads, at_least) = (sc.work().calls, a.sim.threads, sc.precision.is_some());
    // Cases cost the share of the calls their parts make; each shard (and
    // each local part) runs the baseline and the parts alone besides, and
    // the singles of its pairs that are sums.
    let work = whatif.case_work();
    let overhead = whatif.part_overhead();
    let per_case = work / n.max(1) as f64;
    if let Some(shard) = shard {
        let mine = study::shard_cases(n, shard);
        let runs = (mine as f64 * per_case + overhead).ceil() as u64;
        study::estimate("whatif", &model, &sc, n, Some((shard, mine)), mine, runs, per_rep, threads, at_least);
        let progress = study::Progress::new(mine);
        progress.part(0, mine);
        let part = whatif.run_part(threads, shard, &|m, t| progress.report(m, t));
        progress.finish();
        return st.write_shard(folder, shard, part?);
    }
    // No more local parts than keep what each runs besides its cases
    // under a tenth of the cases' own work.
    let count = study::local_count(n, study::CASES_PER_PART).min((work / (10.0 * overhead)).max(1.0) as u32);
    let (left, parts_left) = st.left(&dir, count);
    let runs = (left as f64 * per_case + overhead * f64::from(parts_left)).ceil() as u64;
    study::estimate("whatif", &model, &sc, n, None, left, runs, per_rep, threads, at_least);
    let progress = study::Progress::new(n);
    let parts = st.run_local(&dir, count, |shard, before| {
        progress.part(before, study::shard_cases(n, shard));
        Ok(whatif.run_part(threads, shard, &|m, t| progress.report(m, t))?)
    });
    progress.finish();
    let spill = analysis::whatif::Spill::file(folder.scratch_path("whatif-pairs"));
    let report = whatif.assemble(parts?.read(), threads, spill)?;
    study::finish_whatif(&a.sim, folder, &report)?;
    study::clean_local(&dir);
    Ok(())
}

/// How often a running sweep rewrites `sweep.csv` with its finished points.
const SWEEP_WRITE_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

pub fn sweep(mut a: SweepArgs) -> Result<(), Failure> {
    use super::study::{self, Study};
    let params = study::parse_params(&a.params)?;
    let (sc, model, slug) = load_scenario(&a.scenario, &mut a.sim, None)?;
    let dir = a.sim.out.clone().unwrap_or_else(|| PathBuf::from(&sc.out).join(format!("{slug}-sweep")));
    let shard = a.shard.shard;
    let mut folder = match shard {
        Some(s) => study::open_shard(&a.sim, &dir, "sweep", s)?,
        None => open_folder(&a.sim, &dir, "sweep", &report::sweep::FILES)?,
    };
    // Every point is built (and its edited files validated) before any runs,
    // so an error here is always about the input.
    let grid = analysis::sweep::Grid::prepare(&model, &sc, params.clone())
        .map_err(|e| Failure::Input(format!("--param {e}")))?;
    let n = grid.points();
    let st = Study::new("sweep", &model, &sc, &study::SweepOptions { params: a.params.clone() }, n)?;
    let per_rep = grid.calls_per_replication / n.max(1) as f64;
    let at_least = sc.precision.is_some();
    let threads = a.sim.threads;
    // Every point was built and checked above: what fails now is
    // voicetwin's own (exit 1), not the input.
    if let Some(shard) = shard {
        let mine = grid.points_of(shard);
        study::estimate("sweep", &model, &sc, n, Some((shard, mine)), mine, mine as u64, per_rep, threads, at_least);
        let progress = study::Progress::new(mine);
        progress.part(0, mine);
        let part = grid.run_part(&model, &sc, threads, shard, &|| progress.report(1, mine as u64), &mut |_| ())?;
        progress.finish();
        return st.write_shard(folder, shard, part);
    }
    let count = study::local_count(n, study::CASES_PER_PART);
    let left = st.left(&dir, count).0;
    study::estimate("sweep", &model, &sc, n, None, left, left as u64, per_rep, threads, at_least);
    let progress = study::Progress::new(n);
    // The points finished so far go to `sweep.csv` as the sweep runs, at
    // most every few seconds; a failure to write them shows at the end,
    // when the whole folder is written.
    let mut last_write = std::time::Instant::now();
    let mut earlier: Vec<(usize, analysis::sweep::Point)> = Vec::new();
    let parts = st.run_local(&dir, count, |shard, before| {
        let mine = grid.points_of(shard);
        progress.part(before, mine);
        let mut finished = |points: &[analysis::sweep::Point]| {
            if points.len() < mine && last_write.elapsed() >= SWEEP_WRITE_EVERY {
                let mut all = earlier.clone();
                all.extend(
                    points
                        .iter()
                        .enumerate()
                        .map(|(j, p)| (shard.index as usize + j * shard.count as usize, p.clone())),
                );
                all.sort_by_key(|p| p.0);
                let all: Vec<_> = all.into_iter().map(|p| p.1).collect();
                let _ = report::sweep::write_finished(&mut folder, &params, &all);
                last_write = std::time::Instant::now();
            }
        };
        let part = grid.run_part(&model, &sc, threads, shard, &|| progress.report(1, mine as u64), &mut finished)?;
        earlier.extend(part.points.iter().map(|p| (p.index, p.point.clone())));
        Ok(part)
    })?;
    progress.finish();
    let report = analysis::sweep::assemble_sweep(&model, &sc, grid.params(), parts.all()?)?;
    report::sweep::write_folder(&mut folder, &report)?;
    study::finish_study(&a.sim, folder, &report, report::sweep::render(&report), "Results")?;
    study::clean_local(&dir);
    Ok(())
}

pub fn plan(mut a: PlanArgs) -> Result<(), Failure> {
    if !(a.target_gos > 0.0 && a.target_gos < 1.0) {
        return Err(Failure::Input(format!(
            "--target-gos {}: give a share above 0 and below 1, e.g. 0.01",
            a.target_gos
        )));
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
    // A plan always places its confirmations with a precision: its bound
    // and floor alone apply to the plan's own.
    if a.sim.precision.is_none() && (a.sim.max_replications.is_some() || a.sim.precision_floor.is_some()) {
        a.sim.precision = Some(analysis::plan::PlanOptions::DEFAULT_PRECISION.relative);
    }
    let (sc, model, slug) = load_scenario(&a.scenario, &mut a.sim, None)?;
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
    use super::study::{self, Study};
    let shard = a.shard.shard;
    let mut folder = match shard {
        Some(s) => study::open_shard(&a.sim, &dir, "plan", s)?,
        None => study::open_plan_folder(&a.sim, &dir, &a.growth)?,
    };
    let options = analysis::plan::PlanOptions {
        target_gos: a.target_gos,
        growth: a.growth.clone(),
        threads: a.sim.threads,
        n_minus_1: a.n_minus_1,
        min_mos: a.min_mos,
        voice_share: a.voice_share,
        allow_shrink: a.allow_shrink,
        precision: sc.precision.unwrap_or(analysis::plan::PlanOptions::DEFAULT_PRECISION),
        in_parts: true,
    };
    // Confirming runs add replications up to the plan's own bound.
    let most = options.precision.max_replications.max(sc.replications);
    results_fit(&sc, &model, most, a.sim.threads, || {
        format!("plan's confirming runs (up to {most} replications; --max-replications)")
    })?;
    // A plan's cases are its growth steps (each a whole search).
    let n = a.growth.len();
    let st = Study::new("plan", &model, &sc, &study::PlanPartOptions::of(&options), n)?;
    let per_step = calls / n.max(1) as f64;
    // Each step runs today's sizes, the demand and at least one confirming run.
    let mine = match shard {
        Some(s) => study::shard_cases(n, s),
        None => st.left(&dir, study::local_count(n, 1)).0,
    };
    let of = shard.map(|s| (s, mine));
    study::estimate("plan", &model, &sc, n, of, mine, 3 * mine as u64, per_step, a.sim.threads, true);
    // Which simulation a long plan is at, on a terminal only.
    let spinner = progress_bar(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        spinner.set_style(style);
    }
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let observe = |m: &str| spinner.set_message(m.to_owned());
    if let Some(shard) = shard {
        let part = analysis::plan::run_plan_part(&model, &sc, &options, shard, &observe);
        spinner.finish_and_clear();
        return st.write_shard(folder, shard, part?);
    }
    let parts = st.run_local(&dir, study::local_count(n, 1), |shard, _| {
        Ok(analysis::plan::run_plan_part(&model, &sc, &options, shard, &observe)?)
    });
    spinner.finish_and_clear();
    let plan = analysis::plan::assemble_plan(&model, &sc, &options, parts?.all()?)?;
    study::finish_plan(&a.sim, &mut folder, &plan, &model)?;
    study::finish_study(&a.sim, folder, &plan, report::plan::render(&plan), "Plan")?;
    study::clean_local(&dir);
    Ok(())
}

pub fn run(mut a: RunArgs) -> Result<(), Failure> {
    let (sc, model, slug) = load_scenario(&a.scenario, &mut a.sim, a.load_factor)?;
    let dir = a.sim.out.clone().unwrap_or_else(|| PathBuf::from(&sc.out).join(slug));
    let mut names = report::run::FILES.to_vec();
    if a.cdr {
        names.push(CDR_FILE);
    }
    let mut folder = open_folder(&a.sim, &dir, "run", &names)?;
    let cdr = if a.cdr { Some(begin_cdr(&mut folder, &sc)?) } else { None };
    // A long run shows it is at work, on a terminal only.
    let spinner = progress_bar(0);
    if announce(&sc, if sc.failures.is_empty() { 1 } else { 2 }, sc.work().calls, a.sim.threads, false) {
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} simulating") {
            spinner.set_style(style);
        }
        spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    }
    let paired = analysis::run::run_paired_with(&model, &sc, a.sim.threads, cdr.as_ref().map(|c| &c.1));
    spinner.finish_and_clear();
    let paired = paired?;
    if let Some(c) = cdr {
        finish_cdr(&mut folder, c)?;
    }
    let mut summary = analysis::summary::summarize(&model, &sc, &paired.with);
    summary.precision = paired.precision;
    if let Some(impact) = &paired.impact {
        summary.failure_impact = Some(analysis::summary::impact(&model, impact));
    }
    report::run::write_folder(&mut folder, &model, &sc, &paired.with, &summary)?;
    let out = match a.sim.format {
        Format::Text => report::run::render(&summary),
        Format::Json => json(&summary)?,
    };
    finish(&a.sim, folder, out, "Run folder")
}

/// The call detail records `run --cdr` writes.
const CDR_FILE: &str = "cdr.csv";

/// `cdr.csv` begun in the run folder, and the slot replication 1 takes
/// its writer from.
fn begin_cdr(
    folder: &mut report::folder::ResultsFolder,
    sc: &scenario::Scenario,
) -> Result<(report::folder::Streamed, analysis::run::CdrSlot), Failure> {
    use voicetwin::sim::cdr::{epoch_us, CdrFile};
    let (streamed, file) = folder.begin_stream(CDR_FILE)?;
    let sink = CdrFile::new(file, epoch_us(sc.start_date, sc.start_hour));
    Ok((streamed, std::sync::Mutex::new(Some(Box::new(sink)))))
}

/// `cdr.csv` flushed and put in place.
fn finish_cdr(
    folder: &mut report::folder::ResultsFolder,
    (streamed, slot): (report::folder::Streamed, analysis::run::CdrSlot),
) -> Result<(), Failure> {
    let sink = slot.into_inner().unwrap_or_else(|e| e.into_inner());
    let rows = match sink {
        Some(s) => s.finish().map_err(|e| Failure::Output(format!("{CDR_FILE}: cannot write it: {e}")))?,
        None => 0,
    };
    folder.finish_stream(streamed)?;
    eprintln!("{CDR_FILE}: {rows} call attempt(s) of replication 1");
    Ok(())
}

pub fn route(a: RouteArgs) -> Result<(), Failure> {
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
    let mut explanation = explain(&model, caller, &decision);
    if let Some(text) = &a.response {
        let result = parse_response(text).map_err(|e| Failure::Input(format!("--response {text}: {e}")))?;
        let trunk = match &a.on_trunk {
            None => None,
            Some(name) => Some(model.trunk_by_name(name).ok_or_else(|| {
                let known: Vec<&str> = model.trunks.iter().map(|t| t.name.as_str()).collect();
                Failure::Input(format!(
                    "--on-trunk {name}: no trunk \"{name}\" in the model (known: {})",
                    known.join(", ")
                ))
            })?),
        };
        let flag = match &a.on_trunk {
            Some(name) => format!("--on-trunk {name}"),
            None => format!("--response {text}"),
        };
        let r = explain::explain_response(&model, &explanation, trunk, result)
            .map_err(|e| Failure::Input(format!("{flag}: {e}")))?;
        explanation.response = Some(r);
    }
    emit(&match a.format {
        Format::Text => report::route::render(&explanation),
        Format::Json => json(&explanation)?,
    })
}

/// `CODE`, `CODE:CAUSE` or `no-answer`, each number in its scenario range.
fn parse_response(text: &str) -> Result<voicetwin::voice::AttemptResult, String> {
    use voicetwin::limits::scenario::{ISUP_CAUSE, RESPONSE_CODE};
    use voicetwin::voice::AttemptResult;
    let t = text.trim();
    if t.eq_ignore_ascii_case("no-answer") {
        return Ok(AttemptResult::NoProgress);
    }
    let (code, cause) = match t.split_once(':') {
        Some((c, k)) => (c, Some(k)),
        None => (t, None),
    };
    let whole = |s: &str, what: &str| -> Result<i64, String> {
        s.trim().parse::<i64>().map_err(|_| {
            format!("\"{s}\" is not a whole number; write CODE or CODE:ISUP_CAUSE (e.g. 486:34), or no-answer ({what})")
        })
    };
    let code = RESPONSE_CODE.check(whole(code, "the response code")?)?;
    let cause = match cause {
        Some(k) => Some(ISUP_CAUSE.check(whole(k, "the ISUP cause")?).map_err(|e| format!("ISUP cause {e}"))?),
        None => None,
    };
    Ok(AttemptResult::Response { code: code as u16, isup_cause: cause.map(|c| c as u8) })
}

pub fn rule(a: RuleArgs) -> Result<(), Failure> {
    let rewrite = Rewrite::new(&a.pattern, &a.translation)
        .map_err(|e| Failure::Input(format!("--pattern `{}` is not a valid regular expression: {e}", a.pattern)))?;
    let results = report::rule::apply(&rewrite, &a.numbers);
    match a.format {
        Format::Json => emit(&json(&results)?)?,
        Format::Text => {
            for lit in rewrite.literal_references() {
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: `{lit}` names no group of the pattern; it stays literal text"
                );
            }
            emit(&report::rule::render(&results))?;
        }
    }
    let limited: Vec<&str> = results.iter().filter(|r| r.limit_reached).map(|r| r.input.as_str()).collect();
    if !limited.is_empty() {
        return Err(Failure::Input(format!(
            "pattern `{}` reached the matching limit ({} backtracking steps) on {}: voicetwin cannot tell whether it matches, and .NET (no such limit) may match it; routing takes it as not matching. Rewrite the pattern without nested repetition (such as `(1|1)*`)",
            a.pattern,
            BACKTRACK_LIMIT,
            limited.join(", ")
        )));
    }
    Ok(())
}

pub fn qos(a: QosArgs) -> Result<(), Failure> {
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
    let q = report::qos::QosReport::new(codec, a.delay_ms, a.loss_pct, a.burst_ratio, &emodel::rating(&p));
    emit(&match a.format {
        Format::Json => json(&q)?,
        Format::Text => report::qos::render(&q),
    })
}

pub fn check(a: CheckArgs) -> Result<(), Failure> {
    let model = load(&a.model)?;
    let mut lints = model::lint::lint(&model);
    lints.extend(voicetwin::voice::lint::emergency_lints(&model));
    emit(&match a.format {
        Format::Text => report::lint::render(&model, &lints),
        Format::Json => json(&serde_json::json!({ "model": model.source, "valid": true, "lints": lints }))?,
    })
}

pub fn import(a: ImportArgs) -> Result<(), Failure> {
    use model::import::{self, Options, Platform as P};
    if a.out.symlink_metadata().is_ok() {
        return Err(Failure::Input(format!(
            "--out {}: already exists; voicetwin writes a new model file and never replaces one (choose another name)",
            a.out.display()
        )));
    }
    let options = Options {
        platform: a.format.map(|f| match f {
            Platform::Lync => P::Lync,
            Platform::Teams => P::Teams,
        }),
        users_csv: a.users_csv.clone(),
    };
    let (platform, imported) = import::import(&a.dir, &options)?;
    let product = match platform {
        P::Lync => "Lync Server 2013 / Skype for Business Server",
        P::Teams => "Teams Direct Routing",
    };
    let mut header = vec![
        format!("Imported by `voicetwin import` from the {product} exports in {}.", a.dir.display()),
        "The routing configuration is as exported; values the exports cannot give are marked TODO".to_owned(),
        "(`voicetwin check --model THIS_FILE` lists them). Every field: docs/model.md; the mapping: docs/import.md."
            .to_owned(),
    ];
    if !imported.notes.is_empty() {
        header.push(String::new());
        header.extend(imported.notes.iter().cloned());
    }
    let text = import::write::to_toml(&imported, &header).map_err(Failure::Output)?;
    write_new(&a.out, &text, "model")?;
    let m = &imported.model;
    emit(&format!(
        "{}: {} site(s), {} Mediation pool(s), {} peer(s), {} trunk(s), {} dial plan(s), {} voice policies, {} route(s), {} user group(s); {} value(s) left to fill (voicetwin check --model {} lists them)\n",
        a.out.display(),
        m.sites.len(),
        m.mediation_pools.len(),
        m.peers.len(),
        m.trunks.len(),
        m.dial_plans.len(),
        m.voice_policies.len(),
        m.voice_routes.len(),
        m.user_groups.len(),
        imported.todos.len(),
        a.out.display(),
    ))
}

/// Writes `text` to `path`, which must not exist: written beside it under
/// a temporary name, then linked into place (never over another file).
pub(crate) fn write_new(path: &std::path::Path, text: &str, what: &str) -> Result<(), Failure> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("voicetwin.toml");
    let temp = dir.join(format!(".voicetwin-tmp-{name}-{}", std::process::id()));
    let fail = |e: std::io::Error| Failure::Output(format!("{}: cannot write the {what}: {e}", path.display()));
    std::fs::write(&temp, text).map_err(fail)?;
    let linked = std::fs::hard_link(&temp, path);
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Failure::Input(format!(
            "--out {}: already exists; voicetwin never replaces a {what} file (choose another name)",
            path.display()
        ))),
        Err(e) => Err(fail(e)),
    }
}

pub fn export(a: ExportArgs) -> Result<(), Failure> {
    let loaded = load(&a.model)?;
    if loaded.mediation_pools.iter().any(|p| p.fqdn.eq_ignore_ascii_case(model::import::TEAMS_SIP_PROXY)) {
        // Written as Lync cmdlets, a Teams model would come back with
        // Lync's routing (failover on any 5xx, every usage tried).
        return Err(Failure::Input(format!(
            "{}: a Teams Direct Routing model (its Mediation pool is the stand-in {}); export writes Lync Server \
             cmdlets and would turn it into a Lync network on import; Teams exports are not written yet",
            loaded.source,
            model::import::TEAMS_SIP_PROXY
        )));
    }
    let raw = model::read_raw(&loaded.text, &loaded.source)?;
    let files = model::export::export(&raw);
    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let mut folder = report::folder::ResultsFolder::create(&a.out, "export", &names)?;
    for f in &files {
        folder.write(&f.name, &f.bytes)?;
    }
    let dir = folder.commit()?;
    emit(&format!(
        "{}: {} file(s) of {} (voicetwin import {} reads them back)\n",
        dir.display(),
        files.len(),
        loaded.source,
        dir.display()
    ))
}
