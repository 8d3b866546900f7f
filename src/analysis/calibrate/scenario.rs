//! The scenario a calibration writes: the network's busy hour (or, with
//! `--day`, the whole day's profile) with one source per stream, every
//! value from the data and a comment saying what it rests on.

use std::fmt::Write as _;

use super::fit::Fit;
use super::{Calibration, StreamFigures};

/// How the scenario simulates the data's traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The busy hour, at its rates, after a 15-minute warm-up.
    BusyHour,
    /// 24 hours, each source following its day profile.
    Day,
}

/// Settings of the scenario written.
pub struct Written<'a> {
    pub name: &'a str,
    /// The `model` field: a path relative to the scenario file, or a built-in name.
    pub model: &'a str,
    /// The CDR files, for the description.
    pub from: &'a str,
    pub span: Span,
}

/// Ranges the scenario loader checks (docs/scenario.md); a figure beyond
/// one is written at the bound, with a note.
const MAX_BHCA: f64 = 1_000.0;
const MAX_CALLS_PER_HOUR: f64 = 3_600_000.0;
const MAX_HOLDING_S: f64 = 24.0 * 3600.0;
const MAX_RING_S: f64 = 3600.0;

/// The scenario as TOML text.
pub fn write(c: &Calibration, w: &Written) -> String {
    let mut out = String::new();
    let bh = c.busy_hour.hour;
    let _ = writeln!(out, "# Calibrated by `voicetwin calibrate` from {} call attempts in {}.", c.calls, w.from);
    let _ = writeln!(
        out,
        "# Busy hour {bh:02}:00-{:02}:00 UTC (time-consistent over {} day(s)): {:.1} calls/h [{:.1}, {:.1}]. calibration.md says what each figure rests on.",
        (bh + 1) % 24,
        c.busy_hour.days,
        c.busy_hour.calls_per_hour.mean,
        c.busy_hour.calls_per_hour.ci95_low,
        c.busy_hour.calls_per_hour.ci95_high
    );
    let _ = writeln!(out, "name = {}", q(w.name));
    let what = match w.span {
        Span::BusyHour => format!("The busy hour ({bh:02}:00 UTC) of {}", w.from),
        Span::Day => format!("A day of {}, hour by hour", w.from),
    };
    let _ = writeln!(out, "description = {}", q(&what));
    let _ = writeln!(out, "model = {}", q(w.model));
    match w.span {
        Span::BusyHour => {
            let _ = writeln!(out, "duration = \"75m\"\nwarm_up = \"15m\"\nstart_hour = {bh}");
        }
        Span::Day => {
            let _ = writeln!(out, "duration = \"24h\"\nwarm_up = \"15m\"\nstart_hour = 0");
        }
    }
    let _ = writeln!(out, "replications = 10\nseed = 2013");
    for s in &c.streams {
        out.push('\n');
        source(&mut out, s, c.holding.as_ref(), w.span);
    }
    out
}

fn source(out: &mut String, s: &StreamFigures, network: Option<&Fit>, span: Span) {
    let rate = match span {
        Span::BusyHour => s.at_busy_hour,
        Span::Day => s.own_busy_hour.unwrap_or(s.at_busy_hour),
    };
    let r = rate.calls_per_hour;
    let _ = writeln!(
        out,
        "# {}: {} attempts ({} redials); {:.2} calls/h [{:.2}, {:.2}] at {:02}:00 over {} day(s).",
        s.source, s.attempts, s.redials, r.mean, r.ci95_low, r.ci95_high, rate.hour, rate.days
    );
    for n in &s.notes {
        let _ = writeln!(out, "# {n}");
    }
    let _ = writeln!(out, "[[source]]\nname = {}", q(&s.source));
    let _ = writeln!(out, "{} = {}", s.origin, q(&s.object));
    match (s.origin.as_str(), s.users) {
        ("user_group", Some(u)) if u > 0 => {
            let bhca = r.mean / f64::from(u);
            if bhca > MAX_BHCA {
                let _ = writeln!(out, "# {bhca:.3} attempts per user exceed the range: written at its bound.");
            }
            let _ = writeln!(out, "bhca_per_user = {}", num(bhca.min(MAX_BHCA)));
        }
        _ => {
            if r.mean > MAX_CALLS_PER_HOUR {
                let _ = writeln!(out, "# {:.1} calls/h exceed the range: written at its bound.", r.mean);
            }
            let _ = writeln!(out, "calls_per_hour = {}", num(r.mean.min(MAX_CALLS_PER_HOUR)));
        }
    }
    match s.holding.as_ref().or(network) {
        Some(f) => {
            let _ = writeln!(out, "holding = {}", holding(f));
        }
        None => {
            let _ = writeln!(
                out,
                "# No answered call to fit a holding time: 180 s assumed.\nholding = {{ exponential = \"180s\" }}"
            );
        }
    }
    if let Some(ring) = s.ring {
        let _ = writeln!(out, "ring_time = {{ constant = {} }}", q(&duration(ring.mean.min(MAX_RING_S))));
    }
    if let Some(a) = s.answer_share {
        let _ = writeln!(out, "answer_probability = {}", num(a.mean));
    }
    if let Some(t) = s.no_answer_s {
        let _ = writeln!(out, "no_answer_timeout = {}", q(&duration(t.min(MAX_RING_S))));
    }
    if span == Span::Day {
        let p: Vec<String> = s.profile.iter().map(|x| num(*x)).collect();
        let _ = writeln!(out, "profile = [{}]", p.join(", "));
    }
    if let Some(c) = &s.calling {
        let _ = writeln!(out, "calling = {}", q(c));
    }
    if let Some(r) = &s.redial {
        if r.probability.mean > 0.0 {
            let _ = writeln!(out, "retry_probability = {}", num(r.probability.mean));
            if let Some(d) = r.delay_s {
                let _ = writeln!(out, "retry_delay = {}", q(&duration(d.mean.clamp(1.0, MAX_HOLDING_S))));
            }
            let _ = writeln!(out, "max_redials = {}", r.most_redials.clamp(1, 100));
        }
    }
    if s.dial.is_empty() {
        let _ = writeln!(out, "# No number recorded: one placeholder template.\ndial = [{{ template = \"XXXX\" }}]");
    } else {
        let _ = writeln!(out, "dial = [");
        for (t, w) in &s.dial {
            let _ = writeln!(out, "  {{ template = {}, weight = {} }},", q(t), num(*w));
        }
        let _ = writeln!(out, "]");
    }
}

/// The holding distribution a fit gives: its lognormal, or the empirical
/// table when the lognormal fits poorly.
fn holding(f: &Fit) -> String {
    match &f.empirical {
        Some(table) => {
            let rows: Vec<String> =
                table.iter().map(|(v, w)| format!("[{}, {}]", q(&duration(v.min(MAX_HOLDING_S))), num(*w))).collect();
            format!("{{ empirical = [{}] }}", rows.join(", "))
        }
        None => format!(
            "{{ lognormal = {{ mean = {}, sd = {} }} }}",
            q(&duration(f.lognormal.mean_s.mean.clamp(1.0, MAX_HOLDING_S))),
            q(&duration(f.lognormal.sd_s.mean.min(MAX_HOLDING_S)))
        ),
    }
}

/// Seconds as a scenario duration, to the millisecond.
pub fn duration(s: f64) -> String {
    let ms = (s.max(0.0) * 1000.0).round() as u64;
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// A number with the digits it needs (at most six significant decimals).
fn num(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// A TOML basic string.
fn q(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_numbers_read_back() {
        assert_eq!(duration(180.0), "180s");
        assert_eq!(duration(6.1234), "6123ms");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(3.0), "3");
        assert_eq!(toml::from_str::<toml::Table>(&format!("x = {}", q("a\"b"))).unwrap()["x"].as_str(), Some("a\"b"));
    }
}
