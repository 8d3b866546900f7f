//! `voicetwin replay`: a CDR file's calls through the model
//! (docs/commands.md, "replay").

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use voicetwin::analysis::replay::{self as rp, Options};
use voicetwin::analysis::results::Results;
use voicetwin::analysis::workers::Workers;
use voicetwin::model::{self, Micros, Model};
use voicetwin::report::folder::ResultsFolder;
use voicetwin::sim::run_replication_with;
use voicetwin::{analysis, limits, report, scenario};

use super::args::{Format, ReplayArgs};
use super::setup::{capped_threads, emit, json};
use super::Failure;

const HOUR_US: i64 = 3_600_000_000;

/// A time on the command line: a UTC instant (`2026-11-24T10:00:00Z`) or
/// a clock time in `zone` (`2026-11-24T10:00`), in UTC µs.
fn clock(flag: &str, text: &str, zone: &jiff::tz::TimeZone) -> Result<i64, Failure> {
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Ok(t.as_microsecond());
    }
    let dt = text.parse::<jiff::civil::DateTime>().map_err(|_| {
        Failure::Input(format!("{flag} {text}: give a time such as 2026-11-24T10:00 (or 2026-11-24T10:00:00Z)"))
    })?;
    let t = zone.to_timestamp(dt).map_err(|e| Failure::Input(format!("{flag} {text}: {e}")))?;
    Ok(t.as_microsecond())
}

/// `ELEMENT@TIME[+DURATION][:MODE]` as a scenario `[[failure]]` table;
/// TIME a duration from the start or a clock time in the trace.
fn failure(spec: &str, base_us: i64, zone: &jiff::tz::TimeZone) -> Result<toml_edit::Table, Failure> {
    let flag = format!("--failure {spec}");
    let bad = |why: &str| {
        Failure::Input(format!("{flag}: {why}; write ELEMENT@TIME[+DURATION][:MODE], e.g. peer:gw-red-1@2h+30m:silent"))
    };
    let (element, rest) = spec.split_once('@').ok_or_else(|| bad("no @TIME"))?;
    let (rest, mode) = match rest.rsplit_once(':') {
        Some((r, m)) if ["silent", "reject", "respond"].contains(&m) => (r, Some(m)),
        _ => (rest, None),
    };
    let (at, duration) = match rest.rsplit_once('+') {
        Some((a, d)) => (a, Some(d)),
        None => (rest, None),
    };
    let at_us = match Micros::parse(at) {
        Ok(m) => m.0,
        Err(_) => {
            let t = clock("--failure", at, zone)?;
            u64::try_from(t - base_us).map_err(|_| bad("the time is before the replay starts"))?
        }
    };
    let mut t = toml_edit::Table::new();
    t["element"] = toml_edit::value(element);
    t["kind"] = toml_edit::value("scheduled");
    t["at"] = toml_edit::value(Micros(at_us).to_string());
    if let Some(d) = duration {
        let d = Micros::parse(d).map_err(|e| bad(&format!("duration `{d}`: {e}")))?;
        t["duration"] = toml_edit::value(d.to_string());
    }
    if let Some(m) = mode {
        t["mode"] = toml_edit::value(m);
    }
    Ok(t)
}

/// The files a replay writes: a run's, and its comparison and notes.
fn files() -> Vec<&'static str> {
    let mut f = report::run::FILES.to_vec();
    f.extend(["replay.csv", "replay-notes.md"]);
    f
}

pub fn replay(a: ReplayArgs) -> Result<(), Failure> {
    let read = super::cdr_options::read_options(&a.cdr)?;
    let replications = u32::try_from(a.replications)
        .ok()
        .filter(|n| limits::scenario::REPLICATIONS.check(i64::from(*n)).is_ok() || *n == 1)
        .ok_or_else(|| Failure::Input(format!("--replications {}: give 1 to 1000", a.replications)))?;
    let load_factor = a.load_factor.unwrap_or(1.0);
    if !(load_factor > 0.0 && load_factor <= 100.0) {
        return Err(Failure::Input(format!("--load-factor {load_factor}: give a factor above 0 and at most 100")));
    }
    let zone = read.time_zone.clone();
    let threads = capped_threads(a.threads);
    // The base scenario: its settings and failures, not its sources.
    let overrides = scenario::Overrides { model: a.model.clone(), ..Default::default() };
    let (base_text, label, base_dir, model): (String, String, Option<PathBuf>, Model) = match &a.scenario {
        Some(name) => {
            let path = Path::new(name);
            let (text, label, dir) = if path.exists() {
                let text = std::fs::read_to_string(path).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
                (text, name.clone(), path.parent().map(Path::to_owned))
            } else if let Some(t) = scenario::builtin(name) {
                (t.to_owned(), format!("scenarios/{name}.toml (built in)"), None)
            } else {
                return Err(Failure::Input(format!(
                    "--scenario {name}: no such scenario file, and not a built-in scenario"
                )));
            };
            let (_, model) = scenario::load_str(&text, &label, dir.as_deref(), &overrides)?;
            (text, label, dir, model)
        }
        None => {
            let model = match &a.model {
                Some(p) => model::load_file(p)?,
                None => Model::contoso(),
            };
            ("duration = \"1h\"\n".into(), "replay".into(), None, model)
        }
    };
    let pdd = {
        let sig = voicetwin::scenario::file::SignallingFile::default();
        let doc: toml::Table = toml::from_str(&base_text).unwrap_or_default();
        let get = |k: &str, d: Micros| {
            doc.get("signalling")
                .and_then(|s| s.get(k))
                .and_then(|v| v.as_str())
                .and_then(|v| Micros::parse(v).ok())
                .unwrap_or(d)
        };
        3 * get("hop_latency", sig.hop_latency).0 + get("pstn_setup", sig.pstn_setup).0
    };
    let mut o = Options { from_us: None, to_us: None, load_factor, pdd_us: pdd };
    if let Some(f) = &a.from {
        o.from_us = Some(clock("--from", f, &zone)?);
    }
    if let Some(t) = &a.to {
        o.to_us = Some(clock("--to", t, &zone)?);
    }
    let file = a.cdrs.display().to_string();
    let survey = rp::survey(&model, &a.cdrs, &read, &o)?;
    let skipped = survey.tally.rows_skipped();
    super::cdr_options::warn_if_mostly_skipped(&survey.tally);
    if skipped > 0 || survey.tally.seen().next().is_some() {
        eprint!("{file} ({} layout): {}", survey.layout, survey.tally);
    }
    let (Some(first), Some(last)) = (survey.first_start_us, survey.last_start_us) else {
        return Err(Failure::Input(format!(
            "{file}: no row to replay ({} read, {} skipped, {} outside --from/--to)",
            survey.tally.rows_read, skipped, survey.outside
        )));
    };
    let base_us = o.from_us.unwrap_or(first.div_euclid(HOUR_US) * HOUR_US);
    let end_us = o.to_us.unwrap_or((last.div_euclid(HOUR_US) + 1) * HOUR_US);
    let duration = u64::try_from(end_us - base_us).unwrap_or(0).max(1);
    let failures = a.failures.iter().map(|s| failure(s, base_us, &zone)).collect::<Result<Vec<_>, _>>()?;
    let stem = a.cdrs.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "cdr".into());
    let name = format!("replay of {}", a.cdrs.display());
    let text = rp::scenario_text(&model, &base_text, &name, &survey, (base_us, duration), replications, &failures)
        .map_err(|e| Failure::Input(format!("{label}: {e}")))?;
    let mut overrides = overrides;
    overrides.seed = a.seed.map(i128::from);
    let (sc, model) = scenario::load_str(&text, &format!("{label} (replay)"), base_dir.as_deref(), &overrides)?;

    let dir = a.out.clone().unwrap_or_else(|| PathBuf::from(&sc.out).join(format!("{stem}-replay")));
    let mut folder =
        ResultsFolder::create(&dir, "replay", &files().iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).map_err(
            |e| match e {
                report::folder::FolderError::Io(m) => Failure::Input(format!("--out: {m}")),
                e => Failure::Folder(e),
            },
        )?;

    let workers = Workers::new(threads)?;
    let mut results = Results::new(&model, &sc);
    let simulated = Arc::new(Mutex::new(rp::GatewayTally::new(model.peers.len())));
    let late = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let one = |i: u32| {
        let feed = rp::Feed::new(&model, &a.cdrs, &read, o, base_us, &survey.origins, sc.seed, i)
            .map_err(|e| e.to_string())?;
        let late_rows = feed.late.clone();
        let sink: Box<dyn voicetwin::sim::cdr::CdrSink> =
            Box::new(rp::TallySink::new(simulated.clone(), model.peers.len()));
        let (r, sink) = run_replication_with(
            &model,
            &sc,
            i,
            Some(sink),
            Some(Box::new(feed) as Box<dyn voicetwin::sim::trace::TraceFeed>),
        );
        if let Some(s) = sink {
            let _ = s.finish();
        }
        // Every replication reads the same rows: the first one's late
        // rows are the trace's.
        if i == 0 {
            late.fetch_add(late_rows.load(std::sync::atomic::Ordering::Relaxed), std::sync::atomic::Ordering::Relaxed);
        }
        Ok::<_, String>(r)
    };
    let mut failed = None;
    workers.in_order(0..replications, one, |r| match r {
        Ok(r) => results.fold(&r),
        Err(e) => failed = Some(e),
    });
    if let Some(e) = failed {
        return Err(Failure::Input(e));
    }
    let simulated = simulated.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let rows = rp::compare(&model, &survey.observed, &simulated, replications, duration);
    let summary = analysis::summary::summarize(&model, &sc, &results);
    report::run::write_folder(&mut folder, &model, &sc, &results, &summary)?;
    let mut csv = String::from(
        "gateway,observed_calls,simulated_calls,observed_erlangs,simulated_erlangs,observed_blocked,simulated_blocked\n",
    );
    for r in &rows {
        let _ = writeln!(
            csv,
            "{},{},{},{:.4},{:.4},{},{}",
            r.gateway,
            r.observed_calls,
            r.simulated_calls,
            r.observed_erlangs,
            r.simulated_erlangs,
            r.observed_blocked,
            r.simulated_blocked
        );
    }
    folder.write("replay.csv", &csv)?;
    let late = late.load(std::sync::atomic::Ordering::Relaxed);
    let mut notes = format!(
        "# Replay of {file}\n\n- layout: {}\n- rows replayed: {}\n- outside --from/--to: {}\n- late (out of start order by more than {} h, skipped): {late}\n- simulated time 0: {}\n- measured: {:.0} s\n- load factor: {load_factor}\n- replications: {replications}\n\n",
        survey.layout,
        survey.used,
        survey.outside,
        rp::REORDER_WINDOW_US / HOUR_US,
        jiff::Timestamp::from_microsecond(base_us).map(|t| t.to_string()).unwrap_or_default(),
        duration as f64 / 1e6,
    );
    let _ = write!(notes, "Rows (docs/cdr.md says why a row is skipped):\n\n```\n{}```\n", survey.tally);
    folder.write("replay-notes.md", &notes)?;
    let out = match a.format {
        Format::Json => json(&serde_json::json!({ "summary": summary, "gateways": rows }))?,
        Format::Text => {
            let mut s = report::run::render(&summary);
            let _ = writeln!(
                s,
                "\n{:<24} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
                "gateway (per replication)", "calls obs", "calls sim", "E obs", "E sim", "blk obs", "blk sim"
            );
            for r in &rows {
                let _ = writeln!(
                    s,
                    "{:<24} {:>10} {:>10.1} {:>10.2} {:>10.2} {:>10} {:>10.1}",
                    r.gateway,
                    r.observed_calls,
                    r.simulated_calls,
                    r.observed_erlangs,
                    r.simulated_erlangs,
                    r.observed_blocked,
                    r.simulated_blocked
                );
            }
            s
        }
    };
    let dir = folder.commit()?;
    emit(&out)?;
    if a.format == Format::Text {
        emit(&format!("\nRun folder: {}\n", dir.display()))?;
    }
    Ok(())
}
