//! Where an axis is labelled: at round numbers, at whole numbers for
//! counts (never "0.5 servers"), at round clock times for time.

/// At most `max` ticks at multiples of 1, 2 or 5 times a power of ten
/// within `lo..=hi`.
pub fn nice(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || max < 2 {
        return vec![];
    }
    let rough = (hi - lo) / (max - 1) as f64;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * power).find(|s| (hi - lo) / s <= (max - 1) as f64);
    let step = step.unwrap_or(10.0 * power);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).map(|v| if v.abs() < step * 1e-9 { 0.0 } else { v }).collect()
}

/// Ticks for counts: whole numbers only, at most `max` of them.
pub fn whole(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let mut t: Vec<f64> = nice(lo, hi.max(lo + 1.0), max).into_iter().filter(|v| v.fract() == 0.0).collect();
    if t.len() < 2 {
        t = (lo.ceil() as i64..=hi.floor() as i64).map(|v| v as f64).collect();
    }
    t
}

/// Clock ticks for `lo..hi` seconds into a run: every 1, 2, 5, 10, 15,
/// 20 or 30 minutes, or 1, 2, 3, 4, 6 or 12 hours, whichever gives at
/// most `max`; on whole multiples of the step from the run's start hour.
pub fn clock(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || max < 2 {
        return vec![];
    }
    let steps = [60.0, 120.0, 300.0, 600.0, 900.0, 1200.0, 1800.0, 3600.0, 7200.0, 10800.0, 14400.0, 21600.0, 43200.0];
    let step = steps.iter().copied().find(|s| (hi - lo) / s <= (max - 1) as f64).unwrap_or(86400.0);
    ((lo / step).ceil() as i64..=(hi / step).floor() as i64).map(|k| k as f64 * step).collect()
}

/// `s` seconds into a run that starts at `start_hour` o'clock, as the
/// clock shows it: "10:05", "00:30" the next day.
pub fn clock_label(start_hour: u8, s: f64) -> String {
    let minutes = (s / 60.0).round() as i64 + i64::from(start_hour) * 60;
    let m = minutes.rem_euclid(24 * 60);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The ticks of an axis from 0 that must reach `max`: a round step (1,
/// 2, 2.5 or 5 times a power of ten) giving at most six intervals, a whole
/// number at least when `whole` (counts), the last tick at or past
/// `max`; and the decimals the step's labels need.
pub fn from_zero(max: f64, whole: bool) -> (Vec<f64>, usize) {
    let max = if max.is_finite() && max > 0.0 { max } else { 0.0 };
    let raw = if max > 0.0 { max / 6.0 } else { 0.2 };
    let mag = 10f64.powf(raw.log10().floor());
    // 2.5 only where it stays a whole number of the unit counted.
    let steps: &[f64] = if whole && mag < 10.0 { &[1.0, 2.0, 5.0, 10.0] } else { &[1.0, 2.0, 2.5, 5.0, 10.0] };
    let mut step = steps.iter().map(|m| m * mag).find(|s| *s >= raw * (1.0 - 1e-9)).unwrap_or(10.0 * mag);
    if whole {
        step = step.max(1.0).round();
    }
    // The fewest decimals that write the step exactly (0.25: 2).
    let decimals = (0..6).find(|d| {
        let v = step * 10f64.powi(*d);
        (v - v.round()).abs() < 1e-6
    });
    let decimals = decimals.unwrap_or(6) as usize;
    let n = ((max / step) - 1e-9).ceil().max(1.0) as usize;
    // Rounded to their decimals: 0.3, not 0.30000000000000004.
    let f = 10f64.powi(decimals as i32);
    ((0..=n).map(|i| (i as f64 * step * f).round() / f).collect(), decimals)
}

/// A tick's label: as few decimals as the ticks need (0 for whole
/// numbers, so a count never reads "160.0").
pub fn label(v: f64, ticks: &[f64]) -> String {
    let exact = |k: i32| {
        ticks.iter().all(|t| {
            let scaled = t * 10f64.powi(k);
            (scaled - scaled.round()).abs() < 1e-6
        })
    };
    let d = (0..=6).find(|k| exact(*k)).unwrap_or(6) as usize;
    format!("{v:.d$}")
}

/// An axis labelled at the ticks given and nowhere else (no minor grid
/// lines).
pub struct Axis {
    range: std::ops::Range<f64>,
    ticks: Vec<f64>,
}

impl Axis {
    pub fn new(lo: f64, hi: f64, ticks: Vec<f64>) -> Self {
        Self { range: lo..hi, ticks }
    }
}

impl plotters::coord::ranged1d::Ranged for Axis {
    type ValueType = f64;
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;

    fn range(&self) -> std::ops::Range<f64> {
        self.range.clone()
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        if span <= 0.0 {
            return limit.0;
        }
        let t = (value - self.range.start) / span;
        limit.0 + (t * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: plotters::coord::ranged1d::KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            vec![]
        } else {
            self.ticks.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_are_round_and_within_the_range() {
        assert_eq!(nice(0.0, 100.0, 11), (0..=10).map(|k| f64::from(k) * 10.0).collect::<Vec<_>>());
        let t = nice(0.0, 1.0, 6);
        assert_eq!(t.iter().map(|v| label(*v, &t)).collect::<Vec<_>>(), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        for (lo, hi) in [(0.0, 7.3), (3.2, 4.5), (0.0, 0.013), (1.0, 5000.0)] {
            let t = nice(lo, hi, 10);
            assert!(t.len() >= 2 && t.len() <= 10, "{lo}..{hi}: {t:?}");
            assert!(t.iter().all(|v| *v >= lo - 1e-12 && *v <= hi + 1e-12), "{t:?}");
        }
    }

    #[test]
    fn counts_are_labelled_at_whole_numbers_only() {
        for (lo, hi) in [(0.0, 1.0), (0.0, 2.0), (0.0, 3.0), (0.0, 7.0), (0.0, 160.0), (0.0, 0.4)] {
            let t = whole(lo, hi, 10);
            assert!(t.iter().all(|v| v.fract() == 0.0), "{lo}..{hi}: {t:?}");
            assert!(t.len() >= 2, "{lo}..{hi}: {t:?}");
            assert!(t.iter().all(|v| label(*v, &t).parse::<i64>().is_ok()), "{t:?}");
        }
    }

    #[test]
    fn ticks_of_counts_are_whole_numbers_from_zero_past_the_largest() {
        for max in [0.0, 0.3, 1.0, 2.5, 4.0, 7.0, 17.2, 99.0, 1276.4, 45_000.0] {
            let (ticks, decimals) = from_zero(max, true);
            assert_eq!(decimals, 0, "{max}");
            assert_eq!(ticks[0], 0.0);
            assert!(ticks.iter().all(|t| t.fract() == 0.0), "{max}: {ticks:?}");
            assert!(*ticks.last().unwrap() >= max, "{max}: {ticks:?}");
            assert!(ticks.len() <= 8, "{max}: {ticks:?}");
        }
        assert_eq!(from_zero(1276.4, true).0, vec![0.0, 250.0, 500.0, 750.0, 1000.0, 1250.0, 1500.0]);
        assert_eq!(from_zero(3.0, true).0, vec![0.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn ticks_of_shares_get_the_decimals_their_step_needs() {
        let (t, d) = from_zero(0.236, false);
        assert_eq!(d, 2);
        assert_eq!(t, vec![0.0, 0.05, 0.1, 0.15, 0.2, 0.25]);
        let (t, d) = from_zero(2.7, false);
        assert_eq!((d, t.last().copied()), (1, Some(3.0)));
        assert_eq!(from_zero(42.0, false).1, 0);
        // A step of 0.25 is written with both its decimals.
        let (t, d) = from_zero(1.3, false);
        assert_eq!((d, t[1]), (2, 0.25));
    }

    #[test]
    fn clock_ticks_fall_on_round_times_from_the_start_hour() {
        let t = clock(0.0, 3600.0, 13);
        assert_eq!(t.len(), 13);
        assert_eq!(clock_label(10, t[1]), "10:05");
        assert_eq!(clock_label(10, 3600.0), "11:00");
        assert_eq!(clock_label(23, 5400.0), "00:30");
        let day = clock(0.0, 86400.0, 13);
        assert!(day.len() <= 13 && day.len() >= 5, "{day:?}");
        assert!(day.iter().all(|s| s % 3600.0 == 0.0));
    }
}
