//! Inclusive ranges of whole numbers, real numbers and durations, each with
//! the reason for its bounds, and the messages a value outside one gets.

use std::fmt;

use crate::model::Micros;

/// An inclusive range of a whole-number field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whole {
    pub min: i64,
    pub max: i64,
    /// Why the bounds are where they are, for messages and docs.
    pub why: &'static str,
}

impl Whole {
    pub const fn new(min: i64, max: i64, why: &'static str) -> Self {
        Self { min, max, why }
    }

    pub fn contains(&self, v: i64) -> bool {
        (self.min..=self.max).contains(&v)
    }

    /// `v` when it is in range, else what is wrong with it.
    pub fn check(&self, v: i64) -> Result<i64, String> {
        let range = format!("between {} and {}", grouped(self.min), grouped(self.max));
        if v < self.min && self.min == 1 {
            Err(format!("{v} is not positive; it must be {range} ({})", self.why))
        } else if v < self.min {
            Err(format!("{v} is less than {}; it must be {range} ({})", grouped(self.min), self.why))
        } else if v > self.max {
            Err(format!("{v} is more than {}; it must be {range} ({})", grouped(self.max), self.why))
        } else {
            Ok(v)
        }
    }
}

impl fmt::Display for Whole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", grouped(self.min), grouped(self.max))
    }
}

/// An inclusive range of a real-number field; NaN and infinities are
/// never in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Real {
    pub min: f64,
    pub max: f64,
    pub why: &'static str,
}

impl Real {
    pub const fn new(min: f64, max: f64, why: &'static str) -> Self {
        Self { min, max, why }
    }

    pub fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.min && v <= self.max
    }

    /// `v` when it is in range, else what is wrong with it.
    pub fn check(&self, v: f64) -> Result<f64, String> {
        let range = format!("between {} and {}", real(self.min), real(self.max));
        if self.contains(v) {
            Ok(v)
        } else if v < self.min {
            Err(format!("{} is less than {}; it must be {range} ({})", number(v), real(self.min), self.why))
        } else if v > self.max {
            Err(format!("{} is more than {}; it must be {range} ({})", number(v), real(self.max), self.why))
        } else {
            Err(format!("{v} is not a number {range} ({})", self.why))
        }
    }
}

impl fmt::Display for Real {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", real(self.min), real(self.max))
    }
}

/// An inclusive range of a duration field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub min: Micros,
    pub max: Micros,
    pub why: &'static str,
}

impl Span {
    pub const fn new(min: Micros, max: Micros, why: &'static str) -> Self {
        Self { min, max, why }
    }

    pub fn contains(&self, v: Micros) -> bool {
        v >= self.min && v <= self.max
    }

    /// `v` when it is in range, else what is wrong with it.
    pub fn check(&self, v: Micros) -> Result<Micros, String> {
        let (min, max) = (short(self.min), short(self.max));
        if v < self.min {
            Err(format!(
                "\"{}\" is shorter than \"{min}\"; it must be between \"{min}\" and \"{max}\" ({})",
                short(v),
                self.why
            ))
        } else if v > self.max {
            Err(format!(
                "\"{}\" is longer than \"{max}\"; it must be between \"{min}\" and \"{max}\" ({})",
                short(v),
                self.why
            ))
        } else {
            Ok(v)
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", short(self.min), short(self.max))
    }
}

/// A duration in the largest unit that writes it exactly, as a file would:
/// `"100000h"`, `"90s"`, `"250ms"`, `"0s"` (humantime's long form would
/// say "11years 4months ...").
pub fn short(d: Micros) -> String {
    const UNITS: [(u64, &str); 5] =
        [(3_600_000_000, "h"), (60_000_000, "m"), (1_000_000, "s"), (1_000, "ms"), (1, "us")];
    if d.0 == 0 {
        return "0s".into();
    }
    let (size, unit) = UNITS.iter().find(|(size, _)| d.0 % size == 0).copied().unwrap_or((1, "us"));
    format!("{}{unit}", d.0 / size)
}

/// A whole number with thousands separators: `10,000,000`.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number as given, in scientific form when its digits would not fit
/// a line: `1.5`, `1e15`, `1e308`.
pub fn number(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// A figure the size of which matters more than its digits: whole and
/// grouped below a million (`600,000`), else in scientific form (`1.2e9`).
pub fn approx(x: f64) -> String {
    if x.is_finite() && x.abs() < 1e6 {
        grouped(x.round() as i64)
    } else {
        format!("{x:.1e}")
    }
}

/// A bound of a real range: whole bounds grouped, others as written.
fn real(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        grouped(v as i64)
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_ranges_are_inclusive_and_say_why() {
        let r = Whole::new(1, 100, "a handful of servers");
        assert!(r.contains(1) && r.contains(100));
        assert!(!r.contains(0) && !r.contains(101));
        assert_eq!(r.check(7), Ok(7));
        let e = r.check(4_294_967_295).unwrap_err();
        assert_eq!(e, "4294967295 is more than 100; it must be between 1 and 100 (a handful of servers)");
        assert_eq!(r.check(0).unwrap_err(), "0 is not positive; it must be between 1 and 100 (a handful of servers)");
        let e = Whole::new(40, 100, "minimum").check(39).unwrap_err();
        assert_eq!(e, "39 is less than 40; it must be between 40 and 100 (minimum)");
        assert_eq!(Whole::new(1, 10_000_000, "").to_string(), "1–10,000,000");
    }

    #[test]
    fn real_ranges_reject_nan_and_infinities() {
        let r = Real::new(0.0, 3_600_000.0, "why");
        assert!(r.contains(0.0) && r.contains(3_600_000.0));
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1e-9, 1e15] {
            assert!(r.check(v).is_err(), "{v}");
        }
        assert_eq!(r.check(1e15).unwrap_err(), "1e15 is more than 3,600,000; it must be between 0 and 3,600,000 (why)");
        assert_eq!(r.check(f64::NAN).unwrap_err(), "NaN is not a number between 0 and 3,600,000 (why)");
        assert_eq!(Real::new(0.0, 0.5, "").to_string(), "0–0.5");
    }

    #[test]
    fn spans_print_as_files_write_them() {
        let r = Span::new(Micros(0), Micros::from_secs(10), "delay");
        assert!(r.contains(Micros(0)) && r.contains(Micros::from_secs(10)));
        assert!(!r.contains(Micros(10_000_001)));
        let e = r.check(Micros(5_000_000_000 * 3_600_000_000)).unwrap_err();
        assert_eq!(e, "\"5000000000h\" is longer than \"10s\"; it must be between \"0s\" and \"10s\" (delay)");
        assert_eq!(short(Micros::from_millis(250)), "250ms");
        assert_eq!(short(Micros::from_secs(90)), "90s");
        assert_eq!(short(Micros::from_secs(900)), "15m");
        assert_eq!(short(Micros(7)), "7us");
    }

    #[test]
    fn numbers_as_given() {
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(1e308), "1e308");
        assert_eq!(number(-2.5e-9), "-2.5e-9");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(f64::NAN), "NaN");
    }

    #[test]
    fn approximate_figures() {
        assert_eq!(approx(600_000.4), "600,000");
        assert_eq!(approx(1.2e9), "1.2e9");
        assert_eq!(approx(2.78e11), "2.8e11");
        assert_eq!(approx(f64::INFINITY), "inf");
    }

    #[test]
    fn grouping() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(100_000), "100,000");
        assert_eq!(grouped(-1_234_567), "-1,234,567");
        assert_eq!(grouped(i64::MIN), "-9,223,372,036,854,775,808");
    }
}
