//! Confidence intervals over independent replications (Student t).

use serde::Serialize;

/// A simulated figure with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub mean: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
}

impl Estimate {
    /// Mean and Student-t 95% interval of `samples` (one per replication).
    /// With one sample the interval is the point itself.
    pub fn of(samples: &[f64]) -> Self {
        let n = samples.len();
        if n == 0 {
            return Self { mean: 0.0, ci95_low: 0.0, ci95_high: 0.0 };
        }
        let mean = samples.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Self { mean, ci95_low: mean, ci95_high: mean };
        }
        let var = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let half = t_975(n - 1) * (var / n as f64).sqrt();
        Self { mean, ci95_low: mean - half, ci95_high: mean + half }
    }

    /// Half-width of the interval.
    pub fn half_width(&self) -> f64 {
        (self.ci95_high - self.ci95_low) / 2.0
    }

    /// Whether `x` lies in the interval.
    pub fn contains(&self, x: f64) -> bool {
        self.ci95_low <= x && x <= self.ci95_high
    }
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom.
pub fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df - 1],
        // Cornish-Fisher expansion around the normal quantile.
        _ => {
            let z: f64 = 1.959_964;
            let d = df as f64;
            z + (z.powi(3) + z) / (4.0 * d) + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * d * d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_from_known_samples() {
        let e = Estimate::of(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.mean, 3.0);
        // s = sqrt(2.5), t(4) = 2.776, half = 2.776 * sqrt(2.5/5).
        assert!((e.half_width() - 2.776 * 0.5f64.sqrt()).abs() < 1e-9);
        assert!(e.contains(3.0) && !e.contains(5.0));
    }

    #[test]
    fn t_quantiles() {
        assert_eq!(t_975(10), 2.228);
        assert!((t_975(60) - 2.000).abs() < 0.002);
        assert!((t_975(120) - 1.980).abs() < 0.002);
    }
}
