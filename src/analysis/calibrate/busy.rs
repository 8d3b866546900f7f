//! Calls per hour over the days of the data: the time-consistent busy
//! hour (the clock hour whose mean traffic over the days is highest, as
//! ITU-T E.500 defines it), the day profile, and each stream's rate at a
//! given clock hour with its interval.
//!
//! Counts are kept per absolute hour (hours since the Unix epoch, on the
//! scenario clock): memory grows with the hours the data spans, not with
//! its calls.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::stats::{t_975, Estimate};

const HOUR_US: i64 = 3_600_000_000;

/// Calls and conversation seconds per absolute hour, by the hour of
/// each call's start.
#[derive(Debug, Clone, Default)]
pub struct Hourly {
    hours: BTreeMap<i64, (u64, f64)>,
}

impl Hourly {
    /// Adds a call starting at `start_us` (UTC, plus the clock's offset)
    /// that held `seconds` of conversation.
    pub fn add(&mut self, start_us: i64, seconds: f64) {
        let e = self.hours.entry(start_us.div_euclid(HOUR_US)).or_default();
        e.0 += 1;
        e.1 += seconds;
    }

    pub fn calls(&self) -> u64 {
        self.hours.values().map(|v| v.0).sum()
    }

    /// (absolute hour, calls, Erlangs) in time order.
    pub fn series(&self) -> impl Iterator<Item = (i64, u64, f64)> + '_ {
        self.hours.iter().map(|(h, (c, s))| (*h, *c, s / 3600.0))
    }

    pub fn get(&self, hour: i64) -> (u64, f64) {
        self.hours.get(&hour).copied().unwrap_or_default()
    }
}

/// The span of hours the data covers (first to last call's hour), which
/// days count, and their hours of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub first_hour: i64,
    pub last_hour: i64,
}

impl Span {
    /// The covered days with data at clock hour `h` (0-23): the absolute
    /// hours of that clock hour within the span.
    pub fn hours_at(&self, h: u8) -> impl Iterator<Item = i64> + '_ {
        let first_day = self.first_hour.div_euclid(24);
        let last_day = self.last_hour.div_euclid(24);
        (first_day..=last_day)
            .map(move |d| d * 24 + i64::from(h))
            .filter(|a| *a >= self.first_hour && *a <= self.last_hour)
    }

    pub fn days(&self) -> i64 {
        self.last_hour.div_euclid(24) - self.first_hour.div_euclid(24) + 1
    }
}

/// A stream's calls per hour at one clock hour, over the days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HourRate {
    pub hour: u8,
    /// Days the data covers at that hour.
    pub days: u64,
    pub calls: u64,
    /// Mean calls per hour, with the wider of the exact Poisson interval
    /// on the calls and (from three days) the Student-t interval over the
    /// days' counts: a day-to-day spread larger than Poisson's widens it.
    pub calls_per_hour: Estimate,
    /// Mean Erlangs in that hour (conversation seconds / 3600).
    pub erlangs: f64,
}

/// The rate of `hourly` at clock hour `h` over `span`.
pub fn rate_at(hourly: &Hourly, span: &Span, h: u8) -> HourRate {
    let (mut days, mut calls, mut seconds) = (0u64, 0u64, 0.0);
    let mut per_day = Vec::new();
    for a in span.hours_at(h) {
        let (c, e) = hourly.get(a);
        days += 1;
        calls += c;
        seconds += e;
        per_day.push(c as f64);
    }
    if days == 0 {
        return HourRate { hour: h, days, calls, calls_per_hour: Estimate::exact(0.0), erlangs: 0.0 };
    }
    let d = days as f64;
    let mean = calls as f64 / d;
    let poisson = garwood(calls);
    let mut low = poisson.0 / d;
    let mut high = poisson.1 / d;
    if days >= 3 {
        let var = per_day.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (d - 1.0);
        let h = t_975(days as usize - 1) * (var / d).sqrt();
        low = low.min((mean - h).max(0.0));
        high = high.max(mean + h);
    }
    HourRate {
        hour: h,
        days,
        calls,
        calls_per_hour: Estimate { mean, ci95_low: low, ci95_high: high },
        erlangs: seconds / 3600.0 / d,
    }
}

/// The exact (Garwood) 95% interval of a Poisson mean from `n` events.
pub fn garwood(n: u64) -> (f64, f64) {
    use statrs::distribution::{ChiSquared, ContinuousCDF};
    let n = n as f64;
    let low = if n == 0.0 { 0.0 } else { ChiSquared::new(2.0 * n).map(|c| c.inverse_cdf(0.025) / 2.0).unwrap_or(n) };
    let high = ChiSquared::new(2.0 * n + 2.0).map(|c| c.inverse_cdf(0.975) / 2.0).unwrap_or(n + 3.69);
    (low, high)
}

/// The time-consistent busy hour of `hourly`: the clock hour with the
/// highest mean traffic (Erlangs; calls when no call was answered) over
/// the days, and the runner-up, so a report can say how clear the choice
/// was. `None` without calls.
pub fn busy_hour(hourly: &Hourly, span: &Span) -> Option<(HourRate, Option<HourRate>)> {
    if hourly.calls() == 0 {
        return None;
    }
    let mut rates: Vec<HourRate> = (0..24).map(|h| rate_at(hourly, span, h)).filter(|r| r.days > 0).collect();
    let by_traffic = rates.iter().any(|r| r.erlangs > 0.0);
    let key = |r: &HourRate| if by_traffic { r.erlangs } else { r.calls_per_hour.mean };
    rates.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.hour.cmp(&b.hour)));
    let mut it = rates.into_iter();
    let first = it.next()?;
    Some((first, it.next()))
}

/// Each clock hour's mean calls per hour relative to hour `busy`'s: the
/// 24 multipliers of a scenario's `profile` (1 at the busy hour).
pub fn profile(hourly: &Hourly, span: &Span, busy: u8) -> [f64; 24] {
    let peak = rate_at(hourly, span, busy).calls_per_hour.mean;
    let mut p = [0.0; 24];
    for (h, v) in p.iter_mut().enumerate() {
        let r = rate_at(hourly, span, h as u8);
        *v = if peak > 0.0 && r.days > 0 { r.calls_per_hour.mean / peak } else { 0.0 };
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY0: i64 = 20_458 * 24; // 2026-01-05, in hours since the epoch

    fn at(day: i64, hour: i64, min: i64) -> i64 {
        ((DAY0 + day * 24 + hour) * 60 + min) * 60_000_000
    }

    #[test]
    fn the_busy_hour_is_the_hour_busiest_over_the_days() {
        let mut h = Hourly::default();
        // Two days: hour 10 has 30 then 34 calls of 100 s; hour 14 has 50 on day 0, 10 on day 1.
        for day in 0..2 {
            for (hour, n) in [(10, if day == 0 { 30 } else { 34 }), (14, if day == 0 { 50 } else { 10 })] {
                for i in 0..n {
                    h.add(at(day, hour, i % 60), 100.0);
                }
            }
        }
        let span = Span { first_hour: DAY0 + 10, last_hour: DAY0 + 24 + 14 };
        let (bh, second) = busy_hour(&h, &span).unwrap();
        assert_eq!((bh.hour, bh.days, bh.calls), (10, 2, 64));
        assert_eq!(bh.calls_per_hour.mean, 32.0);
        assert_eq!(second.unwrap().hour, 14);
        // Garwood for 64 events: [49.29, 81.73], per day.
        assert!((bh.calls_per_hour.ci95_low - 49.2871 / 2.0).abs() < 0.01, "{:?}", bh.calls_per_hour);
        assert!((bh.calls_per_hour.ci95_high - 81.7275 / 2.0).abs() < 0.01, "{:?}", bh.calls_per_hour);
        let p = profile(&h, &span, 10);
        assert_eq!(p[10], 1.0);
        assert!((p[14] - 30.0 / 32.0).abs() < 1e-12);
        assert_eq!(p[3], 0.0);
    }

    #[test]
    fn hours_outside_the_span_do_not_count_as_empty_days() {
        let span = Span { first_hour: DAY0 + 9, last_hour: DAY0 + 24 + 8 };
        assert_eq!(span.hours_at(10).count(), 1);
        assert_eq!(span.hours_at(8).count(), 1);
        assert_eq!(span.days(), 2);
    }
}
