//! How a figure and its 95% interval are written for people, one way in
//! every text and page: `mean [low, high]`, never `mean ± half-width`
//! (intervals of counts and shares are not symmetric), with decimals
//! enough that a bound above zero never reads as zero.

use crate::analysis::schema::whatif::WholeCalls;
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

/// `mean [low, high]` times `scale`, with `unit` after each number. The
/// decimals are those the mean and the bounds need, leaving out a value
/// under a thousandth of the largest: such a value is written `<0.01`
/// (at the decimals shown) rather than dragging six decimals into
/// every number (`0.3 [<0.1, 6.6]`, not `0.333333 [0.000000, 6.605968]`).
pub fn interval(e: &Estimate, scale: f64, min_decimals: usize, unit: &str) -> String {
    let (m, l, h) = (e.mean * scale, e.ci95_low * scale, e.ci95_high * scale);
    let largest = [m, l, h].iter().filter(|v| v.is_finite()).map(|v| v.abs()).fold(0.0, f64::max);
    let shown: Vec<f64> = [m, l, h].into_iter().filter(|v| v.abs() >= largest / 1000.0).collect();
    let d = decimals(&shown, min_decimals);
    let write = |x: f64| {
        let s = fixed(x, d);
        // Above zero but too small for the decimals shown: never `0`.
        if x > 0.0 && s.chars().all(|c| c == '0' || c == '.') {
            format!("<{}", fixed(10f64.powi(-(d as i32)), d))
        } else {
            s
        }
    };
    format!("{}{unit} [{}{unit}, {}{unit}]", write(m), write(l), write(h))
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

/// A whole number with thousands separated: `3,469`, `-12`.
pub fn thousands(n: i64) -> String {
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

/// A count of calls as whole calls with its interval, for a table:
/// `3,469 [3,380, 3,560]` (rounded as `WholeCalls` says).
pub fn calls(e: &Estimate) -> String {
    let w = WholeCalls::of(e);
    format!("{} [{}, {}]", thousands(w.mean), thousands(w.low), thousands(w.high))
}

/// A count of calls in a sentence: `3,469 calls lost (95% CI 3,380–3,560)`,
/// `what` naming them ("calls lost"); the bounds joined by "to" when one
/// is negative.
pub fn calls_sentence(e: &Estimate, what: &str) -> String {
    let w = WholeCalls::of(e);
    let join = if w.low < 0 { " to " } else { "–" };
    format!("{} {what} (95% CI {}{join}{})", thousands(w.mean), thousands(w.low), thousands(w.high))
}

/// A share of whole things in percent, to a tenth of a point, never
/// rounded to 0% or 100% when it is not: `62%`, `12.5%`, `<1%`, `>99%`,
/// `100%`.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if share >= 1.0 {
        "100%".into()
    } else if share <= 0.0 {
        "0%".into()
    } else if p < 1.0 {
        "<1%".into()
    } else if p > 99.0 {
        ">99%".into()
    } else {
        let text = format!("{p:.1}");
        format!("{}%", text.strip_suffix(".0").unwrap_or(&text))
    }
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

    #[test]
    fn a_bound_far_below_the_others_does_not_set_the_decimals_and_never_reads_as_zero() {
        let e = Estimate { mean: 1.0 / 3.0, ci95_low: 0.000_000_4, ci95_high: 6.605_968 };
        assert_eq!(count(&e), "0.3 [<0.1, 6.6]");
        let s = Estimate { mean: 0.004_424_78, ci95_low: 0.0, ci95_high: 0.082_942 };
        assert_eq!(share(&Some(s)), "0.44% [0.00%, 8.29%]");
        // A bound near the mean still counts: as many decimals as before.
        let near = Estimate { mean: 0.000_033, ci95_low: 0.000_004, ci95_high: 0.000_173 };
        assert_eq!(share(&Some(near)), "0.0033% [0.0004%, 0.0173%]");
    }

    #[test]
    fn calls_are_whole_with_thousands_and_shares_never_round_to_the_ends() {
        let e = Estimate { mean: 3468.7, ci95_low: 3381.2, ci95_high: 3559.4 };
        assert_eq!(calls(&e), "3,469 [3,380, 3,560]");
        assert_eq!(calls_sentence(&e, "calls lost"), "3,469 calls lost (95% CI 3,380–3,560)");
        let small = Estimate { mean: -0.3, ci95_low: -2.2, ci95_high: 1.5 };
        assert_eq!(calls_sentence(&small, "calls lost"), "0 calls lost (95% CI -3 to 2)");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(-999), "-999");
        assert_eq!(
            (percent(0.621), percent(0.004), percent(0.996), percent(1.0)),
            ("62.1%".into(), "<1%".into(), ">99%".into(), "100%".into())
        );
        assert_eq!((percent(0.125), percent(0.3), percent(1.0 / 3.0)), ("12.5%".into(), "30%".into(), "33.3%".into()));
    }
}
