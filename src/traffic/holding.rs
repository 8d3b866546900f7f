//! Durations drawn per call: conversation (holding) time, ring time.

use rand::RngExt;
use rand_distr::{Distribution, Exp, LogNormal};

use crate::limits::scenario::MAX_DRAW;
use crate::rng::Stream;

/// A distribution of durations, in microseconds.
#[derive(Debug, Clone)]
pub enum Holding {
    Constant(u64),
    Exponential {
        mean: u64,
        dist: Exp<f64>,
    },
    /// Lognormal given by its mean and standard deviation (not by mu, sigma).
    LogNormal {
        mean: u64,
        sd: u64,
        dist: LogNormal<f64>,
    },
    /// Values with weights; `cumulative[i]` is the share up to value `i`.
    Empirical {
        values: Vec<u64>,
        cumulative: Vec<f64>,
    },
}

impl Holding {
    pub fn constant(us: u64) -> Self {
        Holding::Constant(us)
    }

    pub fn exponential(mean_us: u64) -> Result<Self, String> {
        if mean_us == 0 {
            return Err("the mean must be longer than zero".into());
        }
        let dist = Exp::new(1.0 / mean_us as f64).map_err(|e| e.to_string())?;
        Ok(Holding::Exponential { mean: mean_us, dist })
    }

    pub fn lognormal(mean_us: u64, sd_us: u64) -> Result<Self, String> {
        if mean_us == 0 {
            return Err("the mean must be longer than zero".into());
        }
        let (m, s) = (mean_us as f64, sd_us as f64);
        let sigma2 = (1.0 + (s * s) / (m * m)).ln();
        let mu = m.ln() - sigma2 / 2.0;
        let dist = LogNormal::new(mu, sigma2.sqrt()).map_err(|e| e.to_string())?;
        Ok(Holding::LogNormal { mean: mean_us, sd: sd_us, dist })
    }

    pub fn empirical(points: &[(u64, f64)]) -> Result<Self, String> {
        if points.is_empty() {
            return Err("an empirical table needs at least one [duration, weight] pair".into());
        }
        if points.iter().any(|(_, w)| !(w.is_finite() && *w >= 0.0)) {
            return Err("weights must be zero or positive".into());
        }
        let total: f64 = points.iter().map(|p| p.1).sum();
        if total <= 0.0 {
            return Err("the weights add up to zero".into());
        }
        let mut acc = 0.0;
        let cumulative = points
            .iter()
            .map(|p| {
                acc += p.1 / total;
                acc
            })
            .collect();
        Ok(Holding::Empirical { values: points.iter().map(|p| p.0).collect(), cumulative })
    }

    /// The mean, in microseconds.
    pub fn mean(&self) -> f64 {
        match self {
            Holding::Constant(v) => *v as f64,
            Holding::Exponential { mean, .. } | Holding::LogNormal { mean, .. } => *mean as f64,
            Holding::Empirical { values, cumulative } => {
                let mut prev = 0.0;
                values
                    .iter()
                    .zip(cumulative)
                    .map(|(v, c)| {
                        let w = c - prev;
                        prev = *c;
                        *v as f64 * w
                    })
                    .sum()
            }
        }
    }

    /// One draw, in whole microseconds, at most [`MAX_DRAW`]: a heavy
    /// tail cannot carry a call past the clock's range.
    #[inline]
    pub fn sample(&self, rng: &mut Stream) -> u64 {
        match self {
            Holding::Constant(v) => (*v).min(MAX_DRAW.0),
            Holding::Exponential { dist, .. } => (dist.sample(rng) as u64).min(MAX_DRAW.0),
            Holding::LogNormal { dist, .. } => (dist.sample(rng) as u64).min(MAX_DRAW.0),
            Holding::Empirical { values, cumulative } => {
                let u: f64 = rng.random();
                let i = cumulative.partition_point(|c| *c < u).min(values.len() - 1);
                values[i].min(MAX_DRAW.0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    fn sample_mean(h: &Holding, n: usize) -> f64 {
        let mut r = stream(1, 0, "t");
        (0..n).map(|_| h.sample(&mut r) as f64).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_the_declared_means() {
        let exp = Holding::exponential(180_000_000).unwrap();
        assert!((sample_mean(&exp, 200_000) / 180e6 - 1.0).abs() < 0.01);
        let ln = Holding::lognormal(120_000_000, 90_000_000).unwrap();
        assert!((sample_mean(&ln, 200_000) / 120e6 - 1.0).abs() < 0.02);
        let emp = Holding::empirical(&[(30_000_000, 1.0), (90_000_000, 3.0)]).unwrap();
        assert_eq!(emp.mean(), 75_000_000.0);
        assert!((sample_mean(&emp, 100_000) / 75e6 - 1.0).abs() < 0.01);
    }

    #[test]
    fn no_draw_is_longer_than_the_cap() {
        let mut r = stream(1, 0, "t");
        // A spread of a million times the mean: its tail would reach years.
        let heavy = Holding::lognormal(1_000_000, 1_000_000_000_000).unwrap();
        assert!((0..100_000).all(|_| heavy.sample(&mut r) <= MAX_DRAW.0));
        assert_eq!(Holding::constant(u64::MAX).sample(&mut r), MAX_DRAW.0);
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert!(Holding::exponential(0).is_err());
        assert!(Holding::empirical(&[]).is_err());
        assert!(Holding::empirical(&[(1, -1.0)]).is_err());
        assert!(Holding::empirical(&[(1, 0.0)]).is_err());
    }
}
