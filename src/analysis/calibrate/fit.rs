//! Holding-time (and ring-time) distributions fitted to recorded calls:
//! a lognormal by maximum likelihood, its goodness of fit by the
//! Kolmogorov–Smirnov statistic on a bounded sample, and an empirical
//! table of equal-probability bins when the lognormal fits poorly.
//!
//! Everything is streamed: the moments of the values and of their
//! logarithms take every call, the KS sample is a reservoir of at most
//! [`SAMPLE`] values drawn from a PCG stream of its own, so a fit's
//! memory does not grow with the calls and the same data give the same
//! fit.

use rand::RngExt;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

use crate::analysis::stats::{t_975, Estimate};
use crate::rng::Stream;

/// The most values the goodness-of-fit test keeps per stream.
pub const SAMPLE: usize = 10_000;
/// Fewer answered calls than this give no fit of their own: the figure
/// says so and the network's fit stands in.
pub const MIN_CALLS: u64 = 30;
/// Bins of the empirical table written when the lognormal fits poorly.
pub const EMPIRICAL_BINS: usize = 20;
/// A lognormal fits poorly when the KS statistic is beyond its 1%
/// critical value *and* above this: with tens of thousands of calls the
/// test rejects differences no plan would notice.
pub const KS_PRACTICAL: f64 = 0.03;
/// Durations below this (ms) are taken as this in the logarithm: a
/// zero-length call has no logarithm, and a millisecond is below any
/// CDR's resolution.
const FLOOR_S: f64 = 0.001;

/// Running moments of durations (seconds) and of their logarithms, and a
/// reservoir sample.
#[derive(Debug, Clone, Default)]
pub struct Durations {
    n: u64,
    sum: f64,
    sum_sq: f64,
    sum_ln: f64,
    sum_ln_sq: f64,
    sample: Vec<f64>,
}

impl Durations {
    /// Adds one duration (seconds, at least 0); `rng` draws the reservoir.
    pub fn add(&mut self, s: f64, rng: &mut Stream) {
        let s = s.max(0.0);
        self.n += 1;
        self.sum += s;
        self.sum_sq += s * s;
        let l = s.max(FLOOR_S).ln();
        self.sum_ln += l;
        self.sum_ln_sq += l * l;
        if self.sample.len() < SAMPLE {
            self.sample.push(s);
        } else {
            let j = rng.random_range(0..self.n);
            if (j as usize) < SAMPLE {
                self.sample[j as usize] = s;
            }
        }
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    /// The mean with its Student-t interval (seconds); `None` without calls.
    pub fn mean(&self) -> Option<Estimate> {
        if self.n == 0 {
            return None;
        }
        let n = self.n as f64;
        let mean = self.sum / n;
        if self.n < 2 {
            return Some(Estimate { mean, ci95_low: 0.0, ci95_high: f64::INFINITY });
        }
        let var = ((self.sum_sq - n * mean * mean) / (n - 1.0)).max(0.0);
        let h = t_975(self.n as usize - 1) * (var / n).sqrt();
        Some(Estimate { mean, ci95_low: (mean - h).max(0.0), ci95_high: mean + h })
    }

    /// The fit: a lognormal, or the empirical table when it fits poorly;
    /// `None` below [`MIN_CALLS`].
    pub fn fit(&self) -> Option<Fit> {
        if self.n < MIN_CALLS {
            return None;
        }
        let n = self.n as f64;
        let mu = self.sum_ln / n;
        let var_ln = ((self.sum_ln_sq - n * mu * mu) / (n - 1.0)).max(0.0);
        let sigma = var_ln.sqrt();
        let lognormal = lognormal_fit(mu, var_ln, self.n);
        let mut sorted = self.sample.clone();
        sorted.sort_by(f64::total_cmp);
        let d = ks_statistic(&sorted, |x| lognormal_cdf(x, mu, sigma));
        let m = sorted.len() as f64;
        let p = kolmogorov_p(d, m);
        let critical = 1.628 / (m.sqrt() + 0.12 + 0.11 / m.sqrt());
        let poor = d > critical && d > KS_PRACTICAL;
        let empirical = poor.then(|| empirical_table(&sorted));
        Some(Fit {
            calls: self.n,
            mean: self.mean().unwrap_or(Estimate::exact(0.0)),
            lognormal,
            ks: Ks { statistic: d, p_value: p, sample: sorted.len() as u64, critical_1pct: critical },
            empirical,
        })
    }

    /// The reservoir sample, sorted (for charts).
    pub fn sorted_sample(&self) -> Vec<f64> {
        let mut s = self.sample.clone();
        s.sort_by(f64::total_cmp);
        s
    }
}

/// A fitted distribution with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// Answered calls the fit took.
    pub calls: u64,
    /// The sample mean (seconds) and its interval: what Erlang B needs.
    pub mean: Estimate,
    pub lognormal: Lognormal,
    pub ks: Ks,
    /// Equal-probability bins (value in seconds, weight), when the
    /// lognormal fits poorly: what the scenario then uses.
    pub empirical: Option<Vec<(f64, f64)>>,
}

/// A lognormal by maximum likelihood: the parameters of the logarithm
/// (`mu`, `sigma`), and the mean and standard deviation they imply
/// (seconds), each with its 95% interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lognormal {
    pub mu: Estimate,
    pub sigma: Estimate,
    pub mean_s: Estimate,
    pub sd_s: Estimate,
}

/// The Kolmogorov–Smirnov test of the lognormal on the sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ks {
    pub statistic: f64,
    pub p_value: f64,
    pub sample: u64,
    pub critical_1pct: f64,
}

impl Fit {
    /// Whether the scenario uses the empirical table.
    pub fn poor(&self) -> bool {
        self.empirical.is_some()
    }
}

/// The lognormal's parameters and implied moments with their intervals:
/// `mu` by Student's t, `sigma` by the chi-square interval of the
/// variance, the mean by Cox's method (the interval of mu + sigma²/2),
/// the standard deviation at the ends of sigma's interval with the mean.
fn lognormal_fit(mu: f64, var: f64, n: u64) -> Lognormal {
    let nf = n as f64;
    let df = nf - 1.0;
    let h = t_975(n as usize - 1) * (var / nf).sqrt();
    let (chi_lo, chi_hi) = match ChiSquared::new(df) {
        Ok(c) => (c.inverse_cdf(0.025), c.inverse_cdf(0.975)),
        Err(_) => (df, df),
    };
    let sigma = var.sqrt();
    let (s_lo, s_hi) =
        if chi_lo > 0.0 { ((df * var / chi_hi).sqrt(), (df * var / chi_lo).sqrt()) } else { (0.0, f64::INFINITY) };
    let z = Normal::standard().inverse_cdf(0.975);
    let ln_mean = mu + var / 2.0;
    let se = (var / nf + var * var / (2.0 * df.max(1.0))).sqrt();
    let mean = ln_mean.exp();
    let sd = |m: f64, s: f64| m * ((s * s).exp() - 1.0).max(0.0).sqrt();
    Lognormal {
        mu: Estimate { mean: mu, ci95_low: mu - h, ci95_high: mu + h },
        sigma: Estimate { mean: sigma, ci95_low: s_lo, ci95_high: s_hi },
        mean_s: Estimate { mean, ci95_low: (ln_mean - z * se).exp(), ci95_high: (ln_mean + z * se).exp() },
        sd_s: Estimate {
            mean: sd(mean, sigma),
            ci95_low: sd((ln_mean - z * se).exp(), s_lo),
            ci95_high: sd((ln_mean + z * se).exp(), s_hi),
        },
    }
}

/// The lognormal CDF at `x` seconds.
pub fn lognormal_cdf(x: f64, mu: f64, sigma: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if sigma <= 0.0 {
        return if x.max(FLOOR_S).ln() >= mu { 1.0 } else { 0.0 };
    }
    let z = (x.max(FLOOR_S).ln() - mu) / sigma;
    0.5 * libm_erfc(-z / std::f64::consts::SQRT_2)
}

fn libm_erfc(x: f64) -> f64 {
    statrs::function::erf::erfc(x)
}

/// The largest distance between the empirical CDF of `sorted` and `cdf`.
pub fn ks_statistic(sorted: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let n = sorted.len() as f64;
    let mut d: f64 = 0.0;
    for (i, &x) in sorted.iter().enumerate() {
        let f = cdf(x);
        d = d.max(f - i as f64 / n).max((i + 1) as f64 / n - f);
    }
    d
}

/// The asymptotic p-value of a KS statistic `d` on `n` values (the
/// Kolmogorov distribution with Stephens' small-sample correction). With
/// parameters estimated from the same data the test is conservative.
pub fn kolmogorov_p(d: f64, n: f64) -> f64 {
    if n <= 0.0 || d <= 0.0 {
        return 1.0;
    }
    let lambda = (n.sqrt() + 0.12 + 0.11 / n.sqrt()) * d;
    if lambda < 0.2 {
        return 1.0;
    }
    let mut sum = 0.0;
    for k in 1..=100 {
        let k = k as f64;
        let term = 2.0 * (-1f64).powi(k as i32 - 1) * (-2.0 * k * k * lambda * lambda).exp();
        sum += term;
        if term.abs() < 1e-12 {
            break;
        }
    }
    sum.clamp(0.0, 1.0)
}

/// [`EMPIRICAL_BINS`] equal-probability bins of the sorted sample, each
/// as (its mean, weight 1): the table keeps the sample's mean exactly.
fn empirical_table(sorted: &[f64]) -> Vec<(f64, f64)> {
    let n = sorted.len();
    let bins = EMPIRICAL_BINS.min(n.max(1));
    (0..bins)
        .filter_map(|b| {
            let (lo, hi) = (b * n / bins, (b + 1) * n / bins);
            (hi > lo).then(|| (sorted[lo..hi].iter().sum::<f64>() / (hi - lo) as f64, (hi - lo) as f64))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_distr::{Distribution, LogNormal};

    fn draw_with(seed: u64, n: usize, mut f: impl FnMut(&mut Stream) -> f64) -> Durations {
        let mut rng = crate::rng::stream(seed, 0, "test");
        let mut reservoir = crate::rng::stream(seed, 0, "reservoir");
        let mut d = Durations::default();
        for _ in 0..n {
            let x = f(&mut rng);
            d.add(x, &mut reservoir);
        }
        d
    }

    fn draw(n: usize, f: impl FnMut(&mut Stream) -> f64) -> Durations {
        draw_with(7, n, f)
    }

    #[test]
    fn lognormal_intervals_cover_the_true_parameters_as_often_as_they_say() {
        // Mean 180 s, sd 150 s: sigma² = ln(1 + (150/180)²). 60 samples of
        // 2,000 calls: a 95% interval misses about 3 times; more than 8
        // misses would happen by chance less than once in a thousand runs.
        let sigma = (1.0f64 + (150.0f64 / 180.0).powi(2)).ln().sqrt();
        let mu = 180f64.ln() - sigma * sigma / 2.0;
        let dist = LogNormal::new(mu, sigma).unwrap();
        let mut misses = [0; 5];
        for seed in 0..60 {
            let fit = draw_with(seed, 2_000, |r| dist.sample(r)).fit().unwrap();
            let l = &fit.lognormal;
            for (i, ok) in [
                l.mu.contains(mu),
                l.sigma.contains(sigma),
                l.mean_s.contains(180.0),
                l.sd_s.contains(150.0),
                fit.mean.contains(180.0),
            ]
            .into_iter()
            .enumerate()
            {
                misses[i] += u32::from(!ok);
            }
            assert!(!fit.poor(), "{:?}", fit.ks);
        }
        assert!(misses.iter().all(|m| *m <= 8), "misses of mu, sigma, mean, sd, sample mean: {misses:?}");
    }

    #[test]
    fn a_two_humped_sample_fits_poorly_and_gets_a_table_keeping_its_mean() {
        // Half 10 s calls, half 600 s calls: no lognormal looks like it.
        let mut i = 0u32;
        let d = draw(5_000, |_| {
            i += 1;
            if i % 2 == 0 {
                10.0
            } else {
                600.0
            }
        });
        let fit = d.fit().unwrap();
        assert!(fit.poor(), "{:?}", fit.ks);
        let table = fit.empirical.unwrap();
        let (sum, w): (f64, f64) = table.iter().fold((0.0, 0.0), |(s, w), &(v, x)| (s + v * x, w + x));
        assert!((sum / w - 305.0).abs() < 1e-9);
    }

    #[test]
    fn thin_data_gives_no_fit() {
        assert!(draw(29, |_| 100.0).fit().is_none());
        assert!(draw(30, |_| 100.0).fit().is_some());
    }

    #[test]
    fn ks_statistic_by_hand() {
        // Uniform CDF on [0, 1] against 0.1, 0.5, 0.9: the largest gap is
        // at 0.5 (2/3 - 0.5) or 0.9 (1 - 0.9) or 0.1 (0.1 - 0, 1/3 - 0.1).
        let d = ks_statistic(&[0.1, 0.5, 0.9], |x| x);
        assert!((d - (1.0 / 3.0 - 0.1)).abs() < 1e-12);
        assert!((kolmogorov_p(0.0, 10.0) - 1.0).abs() < 1e-12);
        // λ = 1.36 is the 5% point of the Kolmogorov distribution.
        let n: f64 = 10_000.0;
        let d = 1.358 / (n.sqrt() + 0.12 + 0.11 / n.sqrt());
        assert!((kolmogorov_p(d, n) - 0.05).abs() < 0.001);
    }
}
