//! Estimates over independent replications, each with its 95% interval.
//!
//! One estimator per kind of figure, so that every command states a figure
//! the same way (docs/results.md, "How a figure is estimated"):
//!
//! - [`Estimate::proportion`]: events over trials (calls blocked over calls
//!   offered). The ratio of the totals, never a mean of per-replication
//!   ratios, with a Korn–Graubard interval: Clopper–Pearson at the
//!   effective number of trials that the spread between replications
//!   implies. It stays inside [0, 1]; with no event it is the exact
//!   binomial upper bound over every trial, not [0, 0].
//! - [`Estimate::count`]: events per replication (calls, failovers). The
//!   mean, with a Garwood (exact Poisson) interval at the effective number
//!   of events the spread implies: never below zero, and with no event the
//!   Poisson upper bound.
//! - [`Estimate::level`]: a quantity of zero or more measured per
//!   replication (Erlangs, kbps, milliseconds): as a count, without the
//!   zero rule (a level that is zero in every replication has no scale).
//! - [`Estimate::bounded`]: a quantity that lies in a range (utilization,
//!   MOS): a Student-t interval on the logit of its place in the range.
//! - [`Estimate::weighted_mean`]: a mean over events pooled across
//!   replications (mean MOS of scored calls, mean post-dial delay): the
//!   ratio of the totals with a delta-method interval.
//! - [`Estimate::difference`] and [`Estimate::proportion_difference`]:
//!   paired differences (with a failure, without it); these may be
//!   negative.
//!
//! Each estimator reads running sums over the replications (`sums`), not
//! the replications themselves: a figure's memory does not grow with the
//! replications it is estimated from.
//!
//! The inverse Beta, Gamma and Student-t functions come from `statrs`.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Gamma, StudentsT};

pub use super::sums::{Counted, Pooled, Ratio, RatioPair, Sample, Values};

/// The normal 97.5% quantile.
const Z: f64 = 1.959_963_984_540_054;
/// Two-sided 95%: each tail holds this much.
const TAIL: f64 = 0.025;
/// From this many effective events on, the Gamma quantiles come from the
/// Wilson–Hilferty approximation (relative error below 5e-5 there, far
/// below the digits a figure is given with): the exact inversion costs
/// more as the shape grows, and time series ask for thousands.
const WILSON_HILFERTY_FROM: f64 = 100.0;

/// A simulated figure with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub mean: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
}

/// The range a figure can take, which its interval respects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Range {
    /// Any real number (a paired difference).
    Real,
    /// Zero or more.
    NonNegative,
    /// Between two bounds.
    Within(f64, f64),
}

impl Estimate {
    /// A value known exactly (no spread), e.g. one computed, not sampled.
    pub fn exact(x: f64) -> Self {
        Self { mean: x, ci95_low: x, ci95_high: x }
    }

    /// Half-width of the interval.
    pub fn half_width(&self) -> f64 {
        (self.ci95_high - self.ci95_low) / 2.0
    }

    /// Whether `x` lies in the interval.
    pub fn contains(&self, x: f64) -> bool {
        self.ci95_low <= x && x <= self.ci95_high
    }

    /// Events over trials, from each replication's `(events, trials)`:
    /// the ratio of the totals with its Korn–Graubard interval. `None` when
    /// there was no trial at all: the proportion of nothing is not 0.
    pub fn proportion(sums: &Ratio) -> Option<Self> {
        let r = sums.reps();
        let (events, trials) = (sums.events(), sums.trials());
        if trials == 0 {
            return None;
        }
        let n = trials as f64;
        let p = events as f64 / n;
        // Effective trials: the binomial variance over the variance the
        // replications show (the linearized ratio estimator's), reduced by
        // (z / t)² for the few degrees of freedom that variance has.
        let effective = if r >= 2 && events > 0 && events < trials {
            let variance = r as f64 / (r - 1) as f64 * sums.spread() / (n * n);
            if variance > 0.0 {
                let df_adjust = (Z / t_975(r as usize - 1)).powi(2);
                (p * (1.0 - p) / variance * df_adjust).min(n)
            } else {
                n
            }
        } else {
            n
        };
        let x = p * effective;
        let low = if events == 0 { 0.0 } else { beta_quantile(x, effective - x + 1.0, TAIL) };
        let high = if events == trials { 1.0 } else { beta_quantile(x + 1.0, effective - x, 1.0 - TAIL) };
        Some(Self { mean: p, ci95_low: low.min(p), ci95_high: high.max(p) })
    }

    /// Events per replication: the mean with a Garwood interval at the
    /// effective number of events. With no event in any replication, the
    /// exact Poisson upper bound (3.69 events over all replications).
    pub fn count(samples: &impl Sample) -> Self {
        let r = samples.reps();
        if r == 0 {
            return Self::exact(0.0);
        }
        let mean = samples.mean();
        if mean <= 0.0 {
            return Self { mean: 0.0, ci95_low: 0.0, ci95_high: gamma_quantile(1.0, 1.0 - TAIL) / r as f64 };
        }
        if r == 1 {
            // One replication: Poisson, the spread it cannot show.
            return Self::garwood(mean, mean);
        }
        Self::level(samples)
    }

    /// A quantity of zero or more per replication: the mean with an
    /// interval that never goes below zero. A level that is zero in every
    /// replication is exactly zero; with one replication there is no
    /// spread to measure and the interval is the point.
    pub fn level(samples: &impl Sample) -> Self {
        let r = samples.reps();
        if r == 0 {
            return Self::exact(0.0);
        }
        let mean = samples.mean();
        if r == 1 || mean <= 0.0 {
            return Self::exact(mean.max(0.0));
        }
        Self::from_mean(mean, (samples.variance() / r as f64).sqrt(), r - 1, Range::NonNegative)
    }

    /// A quantity within `[lo, hi]` per replication (utilization, MOS): the
    /// mean with an interval inside the range.
    pub fn bounded(samples: &impl Sample, lo: f64, hi: f64) -> Self {
        let r = samples.reps();
        if r == 0 {
            return Self::exact(lo);
        }
        let mean = samples.mean();
        if r == 1 {
            return Self::exact(mean.clamp(lo, hi));
        }
        Self::from_mean(mean, (samples.variance() / r as f64).sqrt(), r - 1, Range::Within(lo, hi))
    }

    /// A mean over events pooled across replications, from each
    /// replication's `(sum, count)`: total sum over total count, with the
    /// delta-method standard error. `None` when nothing was counted.
    pub fn weighted_mean(sums: &Pooled, range: Range) -> Option<Self> {
        let r = sums.reps();
        let (sum, count) = sums.totals();
        if count == 0 {
            return None;
        }
        let n = count as f64;
        let mean = sum / n;
        if r < 2 {
            return Some(Self::exact(mean));
        }
        let se = (r as f64 / (r - 1) as f64 * sums.spread()).sqrt() / n;
        Some(Self::from_mean(mean, se, r as usize - 1, range))
    }

    /// Paired differences (with - without, one per replication): the mean
    /// with its Student-t interval; it may be negative.
    pub fn difference(samples: &impl Sample) -> Self {
        let r = samples.reps();
        if r == 0 {
            return Self::exact(0.0);
        }
        let mean = samples.mean();
        if r == 1 {
            return Self::exact(mean);
        }
        Self::from_mean(mean, (samples.variance() / r as f64).sqrt(), r - 1, Range::Real)
    }

    /// The paired difference of two proportions (ratios of totals), from
    /// each replication's `(events, trials)` on each side: the
    /// delta-method interval of the difference, from the replications'
    /// paired linearized values z = (x_w − p_w n_w) / m_w − (x_o − p_o n_o) / m_o
    /// (m the mean trials per replication). `None` when either side had
    /// no trial.
    pub fn proportion_difference(sums: &RatioPair) -> Option<Self> {
        let r = sums.reps();
        let ((xw, nw), (xo, no)) = sums.totals();
        if nw == 0 || no == 0 {
            return None;
        }
        let mean = xw as f64 / nw as f64 - xo as f64 / no as f64;
        if r < 2 {
            return Some(Self::exact(mean));
        }
        let var = sums.linearized_squares() / (r - 1) as f64;
        Some(Self::from_mean(mean, (var / r as f64).sqrt(), r as usize - 1, Range::Real))
    }

    /// The interval of a mean with standard error `se` on `df` degrees of
    /// freedom, shaped by the figure's range: symmetric on the real line,
    /// Garwood at the effective count for a figure of zero or more, on the
    /// logit scale within bounds.
    pub fn from_mean(mean: f64, se: f64, df: usize, range: Range) -> Self {
        if se.is_nan() || se <= 0.0 || !mean.is_finite() {
            return Self::exact(mean);
        }
        let t = t_975(df);
        match range {
            Range::Real => Self { mean, ci95_low: mean - t * se, ci95_high: mean + t * se },
            Range::NonNegative => {
                if mean <= 0.0 {
                    return Self::exact(0.0);
                }
                // Effective events: (mean / se)², as many as a Poisson count
                // of this precision would hold, less for the t's few df.
                let effective = (mean / se).powi(2) * (Z / t).powi(2);
                Self::garwood(mean, effective)
            }
            Range::Within(lo, hi) => {
                let width = hi - lo;
                let u = (mean - lo) / width;
                if u <= 0.0 || u >= 1.0 {
                    return Self::exact(mean.clamp(lo, hi));
                }
                let (l, s) = ((u / (1.0 - u)).ln(), se / width / (u * (1.0 - u)));
                let back = |x: f64| lo + width / (1.0 + (-x).exp());
                Self { mean, ci95_low: back(l - t * s), ci95_high: back(l + t * s) }
            }
        }
    }

    /// A Garwood interval for `mean` scaled from `effective` Poisson events.
    fn garwood(mean: f64, effective: f64) -> Self {
        let low = gamma_quantile(effective, TAIL) / effective * mean;
        let high = gamma_quantile(effective + 1.0, 1.0 - TAIL) / effective * mean;
        Self { mean, ci95_low: low.min(mean), ci95_high: high.max(mean) }
    }
}

/// The `q` quantile of Beta(a, b), by a safeguarded Newton iteration
/// (Numerical Recipes' `rtsafe`) on statrs' regularized incomplete beta:
/// a Newton step where it stays inside the bracket, bisection otherwise,
/// at most 300 steps. statrs' own inverse (`inv_beta_reg`) can loop for
/// ever at the extreme shapes a nearly all-blocked element gives (statrs
/// issue 435); this always ends.
fn beta_quantile(a: f64, b: f64, q: f64) -> f64 {
    let fallback = if q < 0.5 { 0.0 } else { 1.0 };
    if !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite() && q > 0.0 && q < 1.0) {
        return fallback;
    }
    // Closed forms: Beta(1, b)'s CDF is 1 − (1 − x)^b (no event at all
    // gives the exact bound 1 − 0.025^(1/n)), Beta(a, 1)'s is x^a.
    if a == 1.0 {
        return -((-q).ln_1p() / b).exp_m1();
    }
    if b == 1.0 {
        return (q.ln() / a).exp();
    }
    if a > b {
        // Near 1, work on the other tail, near 0, where floats are dense.
        return 1.0 - beta_quantile(b, a, 1.0 - q);
    }
    let ln_beta = statrs::function::beta::ln_beta(a, b);
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    let mut x = a / (a + b);
    for _ in 0..300 {
        let Ok(cdf) = statrs::function::beta::checked_beta_reg(a, b, x) else { return fallback };
        let f = cdf - q;
        if !f.is_finite() {
            return fallback;
        }
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        if hi - lo <= 4.0 * f64::EPSILON * x.max(f64::MIN_POSITIVE) {
            break;
        }
        let pdf = ((a - 1.0) * x.ln() + (b - 1.0) * (-x).ln_1p() - ln_beta).exp();
        let newton = x - f / pdf;
        // Bisection in the logarithm while the bracket spans decades: a
        // small first shape puts the quantile many decades below 1.
        let bisect = if lo == 0.0 {
            hi / 1024.0
        } else if hi > 2.0 * lo {
            (lo * hi).sqrt()
        } else {
            0.5 * (lo + hi)
        };
        x = if newton.is_finite() && newton > lo && newton < hi { newton } else { bisect };
    }
    x.clamp(0.0, 1.0)
}

/// The `q` quantile of Gamma(shape, rate 1): half a chi-square quantile
/// on 2·shape degrees of freedom.
fn gamma_quantile(shape: f64, q: f64) -> f64 {
    if shape <= 0.0 {
        return 0.0;
    }
    if shape >= WILSON_HILFERTY_FROM {
        let z = if q < 0.5 { -Z } else { Z };
        let c = 1.0 / (9.0 * shape);
        return shape * (1.0 - c + z * c.sqrt()).powi(3);
    }
    match Gamma::new(shape, 1.0) {
        Ok(d) => d.inverse_cdf(q).max(0.0),
        Err(_) => shape,
    }
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom (exact,
/// from `statrs`, kept for df up to 1000; beyond, the normal quantile's
/// Cornish–Fisher expansion, which agrees to 1e-8).
pub fn t_975(df: usize) -> f64 {
    const KEPT: usize = 1000;
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    match df {
        0 => f64::INFINITY,
        1..=KEPT => TABLE.get_or_init(|| {
            (1..=KEPT)
                .map(|d| StudentsT::new(0.0, 1.0, d as f64).map(|t| t.inverse_cdf(1.0 - TAIL)).unwrap_or(Z))
                .collect()
        })[df - 1],
        _ => {
            let d = df as f64;
            let z = Z;
            z + (z.powi(3) + z) / (4.0 * d)
                + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * d * d)
                + (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / (384.0 * d.powi(3))
        }
    }
}

#[cfg(test)]
mod tests;
