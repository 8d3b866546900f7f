//! How a figure and its 95% interval are written for people, one way in
//! every text and page: `mean [low, high]`, never `mean ± half-width`
//! (intervals of counts and shares are not symmetric), with decimals
//! enough that a bound above zero never reads as zero.

use crate::analysis::stats::Estimate;

/// Most decimals ever written.
const MAX_DECIMALS: usize = 6;

/// At least `min` decimals, more until the smallest non-zero value shows
/// a significant digit.
fn decimals(values: &[f64], min: usize) -> usize {
    let smallest = values.iter().filter(|v| **v != 0.0 && v.is_finite()).map(|v| v.abs()).fold(f64::INFINITY, f64::min);
    let mut d = min;
    while smallest.is_finite() && d < MAX_DECIMALS && smallest * 10f64.powi(d as i32) < 1.0 {
        d += 1;
    }
    d
}

/// `x` with `d` decimals, never `-0`.
fn fixed(x: f64, d: usize) -> String {
    let s = format!("{:.*}", d, x);
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_owned()
    } else {
        s
    }
}

/// `mean [low, high]` times `scale`, with `unit` after each number.
pub fn interval(e: &Estimate, scale: f64, min_decimals: usize, unit: &str) -> String {
    let (m, l, h) = (e.mean * scale, e.ci95_low * scale, e.ci95_high * scale);
    let d = decimals(&[m, l, h], min_decimals);
    format!("{}{unit} [{}{unit}, {}{unit}]", fixed(m, d), fixed(l, d), fixed(h, d))
}

/// A share in percent with its interval, or `-` when there was nothing
/// to share.
pub fn share(e: &Option<Estimate>) -> String {
    e.as_ref().map_or_else(|| "-".into(), |e| interval(e, 100.0, 2, "%"))
}

/// A count or level with its interval, one decimal at least.
pub fn count(e: &Estimate) -> String {
    interval(e, 1.0, 1, "")
}

/// A single number with `d` decimals (never `-0`).
pub fn number(x: f64, d: usize) -> String {
    fixed(x, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_bound_is_not_written_as_zero() {
        let e = Estimate { mean: 0.0, ci95_low: 0.0, ci95_high: 0.000_02 };
        assert_eq!(share(&Some(e)), "0.000% [0.000%, 0.002%]");
        let c = Estimate { mean: 0.0, ci95_low: 0.0, ci95_high: 0.009 };
        assert_eq!(count(&c), "0.000 [0.000, 0.009]");
        assert_eq!(count(&Estimate { mean: 4242.0, ci95_low: 4190.04, ci95_high: 4294.5 }), "4242.0 [4190.0, 4294.5]");
        assert_eq!(share(&None), "-");
        assert_eq!(number(-0.0001, 0), "0");
        assert_eq!(number(-0.4, 0), "0");
        assert_eq!(number(-2.4, 0), "-2");
    }
}
