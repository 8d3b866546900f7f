//! `voicetwin calibrate`: a scenario from call detail records, with the
//! report of what it assumed.

use std::path::{Path, PathBuf};

use voicetwin::analysis::calibrate::{self, scenario as written};
use voicetwin::report;
use voicetwin::traffic::cdr::{CdrFiles, CdrSource, StartOrder};

use super::args::CalibrateArgs;
use super::commands::write_new;
use super::setup::{emit, load};
use super::Failure;

pub fn calibrate(a: CalibrateArgs) -> Result<(), Failure> {
    if a.out.symlink_metadata().is_ok() {
        return Err(Failure::Input(format!(
            "--out {}: already exists; voicetwin writes a new scenario file and never replaces one (choose another name)",
            a.out.display()
        )));
    }
    let window = voicetwin::model::Micros::parse(&a.redial_window)
        .ok()
        .filter(|w| (1_000_000..=86_400_000_000).contains(&w.0))
        .ok_or_else(|| {
            Failure::Input(format!("--redial-window {}: a duration from 1s to 24h (e.g. \"10m\")", a.redial_window))
        })?;
    let options = super::cdr_options::read_options(&a.cdr)?;
    let model = load(&a.model)?;
    let report_dir = a.report.clone().unwrap_or_else(|| beside(&a.out, "-calibration"));
    let mut folder = report::folder::ResultsFolder::create(&report_dir, "calibrate", &report::calibration::names())
        .map_err(|e| match e {
            report::folder::FolderError::Io(m) => Failure::Input(format!("--report: {m}")),
            e => Failure::Folder(e),
        })?;
    let files = CdrFiles::open(&a.cdrs, &options)?;
    let mut ordered = StartOrder::with_default_window(files);
    // Each call's hour in its site's local time, at the offset in force
    // when it was made (daylight saving included).
    let local = |site: usize, at_us: i64| {
        model.sites[site]
            .time_zone
            .as_ref()
            .map_or(0, |z| i64::from(z.offset_s_at(at_us.div_euclid(1_000_000))) * 1_000_000)
    };
    let obs = calibrate::drive::observe(&mut ordered, &model, window.0 as i64, local)?;
    let tally = ordered.tally();
    super::cdr_options::warn_if_mostly_skipped(&tally);
    let layout = ordered.inner().layout().to_owned();
    let Some(c) = calibrate::estimate(&obs, &model) else {
        return Err(Failure::Input(format!(
            "{}: no usable call in {} row(s) read: nothing to calibrate\n{tally}",
            a.cdrs.display(),
            tally.rows_read
        )));
    };
    let name = a.out.file_stem().and_then(|s| s.to_str()).unwrap_or("calibrated").to_owned();
    let model_field = model_field(&a.model.model, &a.out);
    let from = a.cdrs.display().to_string();
    let span = if a.day { written::Span::Day } else { written::Span::BusyHour };
    let text = written::write(&c, &written::Written { name: &name, model: &model_field, from: &from, span });
    // What the scenario says must load as any scenario does: a figure out
    // of range is a defect here, not the user's.
    voicetwin::scenario::load_for_model(&text, &a.out.display().to_string(), &model)
        .map_err(|e| Failure::Output(format!("the calibrated scenario does not load: {e}")))?;
    let rows = format!("CDRs read ({layout} layout): {}", tally.to_string().trim_end().replace('\n', "\n    "));
    let samples = report::calibration::Samples {
        hourly: obs.overall.series().map(|(h, n, _)| (h, n)).collect(),
        holding: std::iter::once(("network".to_string(), obs.holding.sorted_sample(), c.holding.as_ref()))
            .chain(
                c.streams
                    .iter()
                    .zip(obs.streams.values())
                    .map(|(f, o)| (f.source.clone(), o.holding.sorted_sample(), f.holding.as_ref())),
            )
            .collect(),
    };
    let input = report::calibration::Input {
        files: &from,
        model: &model.source,
        scenario: &a.out.display().to_string(),
        rows: &rows,
    };
    report::calibration::write(&mut folder, &c, &input, &samples)?;
    write_new(&a.out, &text, "scenario")?;
    let dir = folder.commit()?;
    eprint!("{tally}");
    emit(&format!(
        "{}: {} source(s) from {} call attempts; busy hour {:02}:00 UTC ({:.1} calls/h [{:.1}, {:.1}]); report in {}\n",
        a.out.display(),
        c.streams.len(),
        c.calls,
        c.busy_hour.hour,
        c.busy_hour.calls_per_hour.mean,
        c.busy_hour.calls_per_hour.ci95_low,
        c.busy_hour.calls_per_hour.ci95_high,
        dir.display()
    ))
}

/// `<out's stem><suffix>` beside `out`.
fn beside(out: &Path, suffix: &str) -> PathBuf {
    let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("calibrated");
    out.with_file_name(format!("{stem}{suffix}"))
}

/// The scenario's `model` field: the model file relative to the scenario
/// file's folder (as scenario files name their models), or the built-in.
fn model_field(model: &Option<PathBuf>, out: &Path) -> String {
    let Some(m) = model else { return "contoso".into() };
    let base = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match (std::path::absolute(m), std::path::absolute(base)) {
        (Ok(m), Ok(base)) => relative(&m, &base).display().to_string(),
        _ => m.display().to_string(),
    }
}

/// `path` relative to `base` (both absolute).
fn relative(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut r = PathBuf::new();
    for _ in common..b.len() {
        r.push("..");
    }
    for c in &p[common..] {
        r.push(c.as_os_str());
    }
    r
}
