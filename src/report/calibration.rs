//! The calibration report: `calibration.md` (what each figure of the
//! written scenario rests on, with its interval), `calibration.json`
//! (the same figures, [`Calibration`]'s schema) and two charts: calls per
//! hour over the days with the busy hour marked, and the fitted holding
//! time drawn on the recorded one.

use std::fmt::Write as _;

use crate::analysis::calibrate::fit::{lognormal_cdf, Fit};
use crate::analysis::calibrate::{Calibration, StreamFigures};
use crate::analysis::stats::Estimate;

use super::charts::{self, Frame, Points, Series};
use super::figure::{interval, share};
use super::folder::{FolderError, ResultsFolder};

/// The files the report writes, for the folder to check before any is.
pub fn names() -> Vec<String> {
    let mut n = vec!["calibration.md".to_string(), "calibration.json".to_string()];
    for c in CHARTS {
        n.push(format!("charts/{c}.svg"));
        n.push(format!("charts/{c}.png"));
    }
    n
}

const CHARTS: [&str; 2] = ["calls-per-hour", "holding-time"];

/// What the charts draw besides the figures.
pub struct Samples<'a> {
    /// The network's calls per absolute hour (hours since the epoch, UTC).
    pub hourly: Vec<(i64, u64)>,
    /// Recorded holding times (a sorted sample, seconds) and their fit:
    /// the network's, then each stream's.
    pub holding: Vec<(String, Vec<f64>, Option<&'a Fit>)>,
}

/// What was read, for the report's first section.
pub struct Input<'a> {
    pub files: &'a str,
    pub model: &'a str,
    pub scenario: &'a str,
    /// Rows read, used, and the problems, as the reader counted them.
    pub rows: &'a str,
}

/// Writes the report into `folder`.
pub fn write(folder: &mut ResultsFolder, c: &Calibration, input: &Input, samples: &Samples) -> Result<(), FolderError> {
    let json = serde_json::to_vec_pretty(c).map_err(|e| FolderError::Io(format!("calibration.json: {e}")))?;
    folder.write("calibration.json", json)?;
    let charts =
        [("calls-per-hour", hourly_chart(c, &samples.hourly)), ("holding-time", holding_chart(&samples.holding))];
    for (name, svg) in charts {
        let svg = svg.map_err(FolderError::Io)?;
        let png = super::png::from_svg(&svg).map_err(|e| FolderError::Io(format!("charts/{name}.png: {e}")))?;
        folder.write(&format!("charts/{name}.svg"), svg)?;
        folder.write(&format!("charts/{name}.png"), png)?;
    }
    folder.write("calibration.md", markdown(c, input))
}

fn markdown(c: &Calibration, input: &Input) -> String {
    let mut m = String::new();
    let bh = c.busy_hour.hour;
    let _ = writeln!(m, "# Calibration\n");
    let _ = writeln!(
        m,
        "From {} (model `{}`): {} call attempts over {} day(s), {} to {} (UTC). The scenario written: `{}`.\n",
        input.files,
        input.model,
        c.calls,
        c.days,
        clock(c.span.first_hour),
        clock(c.span.last_hour + 1),
        input.scenario
    );
    let _ = writeln!(m, "{}\n", input.rows);
    let _ = writeln!(
        m,
        "Every figure is given with its 95% interval; docs/results.md (\"`calibration.json`\") defines each.\n"
    );
    let _ = writeln!(m, "## Busy hour\n");
    let _ = writeln!(
        m,
        "The time-consistent busy hour is **{bh:02}:00-{:02}:00 UTC**: {} calls per hour and {:.2} Erlangs on average over {} day(s).",
        (bh + 1) % 24,
        interval(&c.busy_hour.calls_per_hour, 1.0, 1, ""),
        c.busy_hour.erlangs,
        c.busy_hour.days
    );
    if let Some(r) = &c.runner_up {
        let _ = writeln!(
            m,
            "The next busiest hour, {:02}:00, has {} calls per hour and {:.2} Erlangs: {}.",
            r.hour,
            interval(&r.calls_per_hour, 1.0, 1, ""),
            r.erlangs,
            if c.busy_hour_clear {
                "the busy hour's interval lies above it, the choice is clear"
            } else {
                "within the busy hour's interval, so the two are not told apart by these data; plan for either"
            }
        );
    }
    let _ = writeln!(m, "\n![Calls per hour](charts/calls-per-hour.svg)\n");
    let _ = writeln!(m, "| hour (UTC) | days | calls per hour | Erlangs |\n|---|---|---|---|");
    for r in c.day.iter().filter(|r| r.days > 0) {
        let _ = writeln!(
            m,
            "| {:02}:00{} | {} | {} | {:.2} |",
            r.hour,
            if r.hour == bh { " (busy)" } else { "" },
            r.days,
            interval(&r.calls_per_hour, 1.0, 1, ""),
            r.erlangs
        );
    }
    let _ = writeln!(m, "\n## Holding time\n");
    match &c.holding {
        Some(f) => {
            let _ = writeln!(m, "Every answered call together: {}\n", fit_sentence(f));
        }
        None => {
            let _ = writeln!(m, "Too few answered calls to fit a holding time.\n");
        }
    }
    let _ = writeln!(m, "![Holding time](charts/holding-time.svg)\n");
    let _ = writeln!(m, "## Sources\n");
    let _ = writeln!(
        m,
        "| source | from | attempts | calls/h at the busy hour | per user | own busy hour | holding | answered | ring |\n|---|---|---|---|---|---|---|---|---|"
    );
    for s in &c.streams {
        let _ = writeln!(
            m,
            "| {} | {} `{}` | {} | {} | {} | {} | {} | {} | {} |",
            s.source,
            s.origin,
            s.object,
            s.attempts,
            interval(&s.at_busy_hour.calls_per_hour, 1.0, 2, ""),
            s.bhca_per_user.map_or("-".into(), |e| interval(&e, 1.0, 3, "")),
            s.own_busy_hour.map_or("-".into(), |b| format!("{:02}:00 local", b.hour)),
            s.holding.as_ref().map_or("network's".into(), |f| interval(&f.mean, 1.0, 0, " s")),
            share(&s.answer_share),
            s.ring.map_or("-".into(), |e| interval(&e, 1.0, 1, " s")),
        );
    }
    for s in &c.streams {
        stream_section(&mut m, s);
    }
    if !c.notes.is_empty() {
        let _ = writeln!(m, "\n## Notes\n");
        for n in &c.notes {
            let _ = writeln!(m, "- {n}");
        }
    }
    m
}

fn stream_section(m: &mut String, s: &StreamFigures) {
    let _ = writeln!(m, "\n### {}\n", s.source);
    let _ = writeln!(m, "{} `{}` at site `{}`.", s.origin, s.object, s.site);
    if let Some(f) = &s.holding {
        let _ = writeln!(m, "Holding time: {}", fit_sentence(f));
    }
    if !s.ring_from_ringback && s.ring.is_some() {
        let _ = writeln!(
            m,
            "Ring times run from the INVITE (the CDRs record no ringback): they include the post-dial delay."
        );
    }
    let _ = writeln!(m, "\n| destination | calls | share |\n|---|---|---|");
    for d in &s.destinations {
        let _ = writeln!(m, "| {} | {} | {} |", d.category.as_str(), d.calls, share(&Some(d.share)));
    }
    if let Some(r) = &s.redial {
        let _ = writeln!(
            m,
            "\nRedials: {} blocked attempt(s), {} redialed{}.",
            r.blocked,
            share(&Some(r.probability)),
            r.delay_s.map_or(String::new(), |d| format!(", after {}", interval(&d, 1.0, 0, " s")))
        );
    }
    let outcomes: Vec<String> = s.outcomes.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(m, "\nOutcomes: {}.", outcomes.join(", "));
    for n in &s.notes {
        let _ = writeln!(m, "\n- {n}");
    }
}

fn fit_sentence(f: &Fit) -> String {
    let l = &f.lognormal;
    let verdict = if f.poor() {
        format!(
            "fits poorly (Kolmogorov-Smirnov D = {:.3} on {} calls, above its 1% critical value {:.3} and {}): the scenario uses the recorded distribution ({} equal-probability bins)",
            f.ks.statistic,
            f.ks.sample,
            f.ks.critical_1pct,
            crate::analysis::calibrate::fit::KS_PRACTICAL,
            f.empirical.as_ref().map_or(0, Vec::len)
        )
    } else {
        format!("fits (Kolmogorov-Smirnov D = {:.3} on {} calls, p = {:.3})", f.ks.statistic, f.ks.sample, f.ks.p_value)
    };
    format!(
        "{} answered calls, mean {}; lognormal mean {}, standard deviation {} (mu {}, sigma {}) {verdict}.",
        f.calls,
        interval(&f.mean, 1.0, 1, " s"),
        interval(&l.mean_s, 1.0, 1, " s"),
        interval(&l.sd_s, 1.0, 1, " s"),
        est(&l.mu),
        est(&l.sigma)
    )
}

fn est(e: &Estimate) -> String {
    interval(e, 1.0, 3, "")
}

/// An absolute hour as a UTC date and time.
fn clock(hour: i64) -> String {
    match jiff::Timestamp::from_second(hour * 3600) {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M").to_string(),
        Err(_) => format!("hour {hour}"),
    }
}

fn hourly_chart(c: &Calibration, hourly: &[(i64, u64)]) -> Result<String, String> {
    let start = c.span.first_hour;
    let x = |h: i64| ((h - start) * 3600) as f64;
    let mut points: Vec<(f64, f64)> = Vec::new();
    for h in start..=c.span.last_hour {
        let n = hourly.iter().find(|(a, _)| *a == h).map_or(0, |(_, n)| *n);
        points.push((x(h), n as f64));
    }
    let busy: Vec<(f64, f64, f64, f64)> = points
        .iter()
        .enumerate()
        .filter(|(i, _)| (start + *i as i64).rem_euclid(24) == i64::from(c.busy_hour.hour))
        .map(|(_, (x, y))| (*x, *y, *y, *y))
        .collect();
    let frame = Frame {
        y_floor_zero: true,
        whole: true,
        clock: Some(start.rem_euclid(24) as u8),
        ..Frame::new(
            &format!("Calls per hour, {} to {} UTC", clock(start), clock(c.span.last_hour + 1)),
            "time (UTC)",
            "call attempts per hour",
        )
    };
    let series =
        [Series { label: "call attempts".into(), points, band: None, band_on_x: false, reference: false, color: None }];
    let marks = [Points { label: format!("busy hour ({:02}:00 UTC)", c.busy_hour.hour), color: None, points: busy }];
    charts::points_in(&frame, &marks, &series)
}

fn holding_chart(samples: &[(String, Vec<f64>, Option<&Fit>)]) -> Result<String, String> {
    let mut series = Vec::new();
    let top =
        samples.iter().flat_map(|(_, s, _)| s.get(s.len().saturating_sub(1) * 99 / 100)).fold(0.0f64, |a, b| a.max(*b));
    let top = if top > 0.0 { top } else { 600.0 };
    for (label, sorted, fit) in samples.iter().filter(|(_, s, _)| !s.is_empty()).take(5) {
        let n = sorted.len() as f64;
        let step = (sorted.len() / 200).max(1);
        let points: Vec<(f64, f64)> = sorted
            .iter()
            .enumerate()
            .step_by(step)
            .filter(|(_, x)| **x <= top)
            .map(|(i, x)| (*x, (i + 1) as f64 / n))
            .collect();
        series.push(Series {
            label: format!("{label}: recorded"),
            points,
            band: None,
            band_on_x: false,
            reference: false,
            color: None,
        });
        if let Some(f) = fit {
            let (mu, sigma) = (f.lognormal.mu.mean, f.lognormal.sigma.mean);
            let curve = (0..=100).map(|i| top * i as f64 / 100.0).map(|x| (x, lognormal_cdf(x, mu, sigma))).collect();
            let what = if f.poor() { "lognormal (poor fit: not used)" } else { "lognormal fit" };
            series.push(Series {
                label: format!("{label}: {what}"),
                points: curve,
                band: None,
                band_on_x: false,
                reference: true,
                color: None,
            });
        }
    }
    let frame = Frame {
        y_range: Some((0.0, 1.0)),
        x_range: Some((0.0, top)),
        ..Frame::new(
            "Holding time of answered calls: recorded and fitted",
            "holding time (s)",
            "share of calls at most this long",
        )
    };
    charts::chart(&frame, &series)
}
