//! Running sums over replications: what each estimator of `stats` needs,
//! and nothing per replication, so that a run's memory does not grow with
//! its replications.
//!
//! - [`Moments`]: integer values (calls, attempts): their sums and sums of
//!   products, kept exactly in 128-bit integers. Exact sums do not depend
//!   on the order replications are added in, and the spreads the
//!   estimators need (Σ(x − p·n)² of a ratio at the ratio of the totals,
//!   say) come out of them in double-double arithmetic, without the
//!   cancellation that sums of squares in floating point suffer when the
//!   spread is small against the values.
//! - [`Counted`] (one value) and [`Ratio`] (events and trials) are the
//!   two uses of [`Moments`] most figures need.
//! - [`Values`]: real values (Erlangs, MOS quantiles, differences): their
//!   sum, for the mean, and the sum of squared deviations, updated
//!   replication by replication (Welford).
//! - [`Pooled`]: a (sum, count) pair per replication, for a mean pooled
//!   over events (mean MOS over the calls scored): the totals, and the
//!   centred second moments (Welford) of the count and of the sum less
//!   the first replication's mean times the count, which stays small
//!   when every replication has about the same mean.
//!
//! Floating-point sums depend on the order of their terms: replications
//! are always added in index order (`workers`), so a figure is the same
//! on any thread count.

mod double;

use double::Dd;

/// Sums of `K` non-negative integers per replication and of their
/// products, exact.
///
/// Each value is at most 2^64; realistic counts stay below 2^40, so the
/// sums of products stay far below 2^128 for any number of replications a
/// run can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moments<const K: usize> {
    reps: u64,
    sum: [u128; K],
    products: [[u128; K]; K],
}

impl<const K: usize> Default for Moments<K> {
    fn default() -> Self {
        Self { reps: 0, sum: [0; K], products: [[0; K]; K] }
    }
}

impl<const K: usize> Moments<K> {
    /// Adds one replication's values.
    pub fn add(&mut self, v: [u64; K]) {
        self.reps += 1;
        for j in 0..K {
            self.sum[j] += u128::from(v[j]);
            for k in j..K {
                self.products[j][k] += u128::from(v[j]) * u128::from(v[k]);
            }
        }
    }

    /// Replications added.
    pub fn reps(&self) -> u64 {
        self.reps
    }

    /// The total of value `j` over the replications.
    pub fn sum(&self, j: usize) -> u128 {
        self.sum[j]
    }

    /// r·Σ v_j v_k − Σ v_j · Σ v_k: r times the centred sum of products
    /// Σ (v_j − mean_j)(v_k − mean_k), exactly; `None` if it does not fit
    /// in 128 bits.
    fn centred_times_reps(&self, j: usize, k: usize) -> Option<i128> {
        let (j, k) = (j.min(k), j.max(k));
        let r = i128::from(self.reps);
        let a = i128::try_from(self.products[j][k]).ok()?.checked_mul(r)?;
        let b = i128::try_from(self.sum[j]).ok()?.checked_mul(i128::try_from(self.sum[k]).ok()?)?;
        a.checked_sub(b)
    }

    /// Σ (v_j − mean_j)(v_k − mean_k): the centred sum of products.
    pub fn centred(&self, j: usize, k: usize) -> f64 {
        if self.reps == 0 {
            return 0.0;
        }
        let r = self.reps as f64;
        match self.centred_times_reps(j, k) {
            Some(n) => n as f64 / r,
            None => {
                let (j, k) = (j.min(k), j.max(k));
                self.products[j][k] as f64 - self.sum[j] as f64 * self.sum[k] as f64 / r
            }
        }
    }

    /// Σ_i (Σ_j w_j (v_ij − mean_j))² times r: the spread of a linear
    /// combination of the values, in double-double arithmetic on the
    /// exact centred moments (so close to exact even when the
    /// combination nearly cancels). Weights up to 2^106 are exact, larger
    /// ones within 2^-106 of themselves. `None` if a centred moment does
    /// not fit in 128 bits.
    fn combination_times_reps(&self, w: [u128; K], negative: [bool; K]) -> Option<f64> {
        let mut total = Dd::ZERO;
        for j in 0..K {
            for k in 0..K {
                let d = Dd::from_i128(self.centred_times_reps(j, k)?);
                let sign = if negative[j] != negative[k] { -1.0 } else { 1.0 };
                total = total + Dd::from_u128(w[j]) * Dd::from_u128(w[k]) * d * sign;
            }
        }
        Some(total.value())
    }
}

/// The mean and spread of a value measured once per replication, as the
/// estimators of counts, levels and bounded figures read it.
pub trait Sample {
    /// Replications measured.
    fn reps(&self) -> usize;
    /// The mean over the replications (0 with none).
    fn mean(&self) -> f64;
    /// The unbiased variance between replications (with two or more).
    fn variance(&self) -> f64;
}

/// A count per replication (calls, attempts, denials).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted(Moments<1>);

impl Counted {
    pub fn add(&mut self, x: u64) {
        self.0.add([x]);
    }

    /// The total over the replications.
    pub fn total(&self) -> u128 {
        self.0.sum(0)
    }
}

impl Sample for Counted {
    fn reps(&self) -> usize {
        self.0.reps() as usize
    }

    fn mean(&self) -> f64 {
        match self.0.reps() {
            0 => 0.0,
            r => self.0.sum(0) as f64 / r as f64,
        }
    }

    fn variance(&self) -> f64 {
        self.0.centred(0, 0) / (self.0.reps().max(2) - 1) as f64
    }
}

impl FromIterator<u64> for Counted {
    fn from_iter<I: IntoIterator<Item = u64>>(iter: I) -> Self {
        let mut c = Self::default();
        iter.into_iter().for_each(|x| c.add(x));
        c
    }
}

/// Events and trials per replication (blocked and offered calls): the
/// terms of a ratio of totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ratio(Moments<2>);

impl Ratio {
    pub fn add(&mut self, events: u64, trials: u64) {
        self.0.add([events, trials]);
    }

    pub fn reps(&self) -> u64 {
        self.0.reps()
    }

    pub fn events(&self) -> u128 {
        self.0.sum(0)
    }

    pub fn trials(&self) -> u128 {
        self.0.sum(1)
    }

    /// Σ (x_i − p·n_i)² over the replications at p the ratio of the
    /// totals X / N: the spread of the linearized ratio estimator. It is
    /// (N² Σ(x − x̄)² − 2NX Σ(x − x̄)(n − n̄) + X² Σ(n − n̄)²) / N², from
    /// the exact centred moments.
    pub fn spread(&self) -> f64 {
        let (x, n) = (self.events(), self.trials());
        if n == 0 || self.reps() == 0 {
            return 0.0;
        }
        match self.0.combination_times_reps([n, x], [false, true]) {
            Some(s) => (s / self.reps() as f64 / n as f64 / n as f64).max(0.0),
            None => {
                let p = x as f64 / n as f64;
                let m = &self.0;
                (m.centred(0, 0) - 2.0 * p * m.centred(0, 1) + p * p * m.centred(1, 1)).max(0.0)
            }
        }
    }
}

impl FromIterator<(u64, u64)> for Ratio {
    fn from_iter<I: IntoIterator<Item = (u64, u64)>>(iter: I) -> Self {
        let mut r = Self::default();
        iter.into_iter().for_each(|(x, n)| r.add(x, n));
        r
    }
}

/// Events and trials per replication on two paired sides (with a
/// failure, and the same replication without it): the terms of a
/// difference of ratios of totals and of its paired spread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RatioPair(Moments<4>);

impl RatioPair {
    pub fn add(&mut self, with: (u64, u64), without: (u64, u64)) {
        self.0.add([with.0, with.1, without.0, without.1]);
    }

    pub fn reps(&self) -> u64 {
        self.0.reps()
    }

    /// Events and trials of each side: (with, without).
    pub fn totals(&self) -> ((u128, u128), (u128, u128)) {
        ((self.0.sum(0), self.0.sum(1)), (self.0.sum(2), self.0.sum(3)))
    }

    /// Σ z_i² over the replications, z the paired linearized value of
    /// the difference of the sides' ratios of totals:
    /// z = (x_w − p_w n_w) / m_w − (x_o − p_o n_o) / m_o, with p the
    /// side's ratio of totals X / N and m = N / r its mean trials. Times
    /// N_w² N_o² / r, z is an integer combination of the four values, whose
    /// spread comes from the exact centred moments (Σ z = 0).
    pub fn linearized_squares(&self) -> f64 {
        let ((xw, nw), (xo, no)) = self.totals();
        let r = self.reps();
        if nw == 0 || no == 0 || r == 0 {
            return 0.0;
        }
        let weights = (|| {
            let (nw2, no2) = (nw.checked_mul(nw)?, no.checked_mul(no)?);
            Some([nw.checked_mul(no2)?, xw.checked_mul(no2)?, no.checked_mul(nw2)?, xo.checked_mul(nw2)?])
        })();
        let exact = weights.and_then(|w| self.0.combination_times_reps(w, [false, true, true, false]));
        match exact {
            // Σ (z N_w² N_o² / r)² = spread / r, so Σ z² = spread · r / (N_w⁴ N_o⁴).
            Some(s) => {
                let (nw, no) = (nw as f64, no as f64);
                (s * r as f64 / (nw * nw * no * no) / (nw * nw * no * no)).max(0.0)
            }
            None => {
                let c = |j: usize, k: usize| self.0.centred(j, k);
                let (pw, po) = (xw as f64 / nw as f64, xo as f64 / no as f64);
                let (mw, mo) = (nw as f64 / r as f64, no as f64 / r as f64);
                let aa = c(0, 0) - 2.0 * pw * c(0, 1) + pw * pw * c(1, 1);
                let bb = c(2, 2) - 2.0 * po * c(2, 3) + po * po * c(3, 3);
                let ab = c(0, 2) - po * c(0, 3) - pw * c(1, 2) + pw * po * c(1, 3);
                (aa / (mw * mw) - 2.0 * ab / (mw * mo) + bb / (mo * mo)).max(0.0)
            }
        }
    }
}

impl FromIterator<((u64, u64), (u64, u64))> for RatioPair {
    fn from_iter<I: IntoIterator<Item = ((u64, u64), (u64, u64))>>(iter: I) -> Self {
        let mut r = Self::default();
        iter.into_iter().for_each(|(a, b)| r.add(a, b));
        r
    }
}

/// A real value per replication: its sum (the mean is the sum over the
/// replications, as a mean of a list is) and, by Welford's update, its
/// running mean and sum of squared deviations.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Values {
    reps: u64,
    sum: f64,
    running_mean: f64,
    squares: f64,
}

impl Values {
    pub fn add(&mut self, x: f64) {
        self.reps += 1;
        self.sum += x;
        let d = x - self.running_mean;
        self.running_mean += d / self.reps as f64;
        self.squares += d * (x - self.running_mean);
    }
}

impl Sample for Values {
    fn reps(&self) -> usize {
        self.reps as usize
    }

    fn mean(&self) -> f64 {
        match self.reps {
            0 => 0.0,
            r => self.sum / r as f64,
        }
    }

    fn variance(&self) -> f64 {
        self.squares / (self.reps.max(2) - 1) as f64
    }
}

impl FromIterator<f64> for Values {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut v = Self::default();
        iter.into_iter().for_each(|x| v.add(x));
        v
    }
}

/// A sum of event values and the events' count per replication (the MOS
/// of the calls scored, and how many): the totals; and, by Welford's
/// update, the centred second moments of the count c and of
/// e = s − m₀·c, with m₀ the mean of the first replication with an
/// event. e stays small when replications have about the same mean, so
/// the spread around the pooled mean does not cancel away.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pooled {
    reps: u64,
    sum: f64,
    count: u128,
    /// m₀, once an event was counted.
    reference: Option<f64>,
    /// Running means of e and c.
    mean: (f64, f64),
    /// Σ(e − ē)², Σ(e − ē)(c − c̄), Σ(c − c̄)².
    ee: f64,
    ec: f64,
    cc: f64,
}

impl Pooled {
    pub fn add(&mut self, sum: f64, count: u64) {
        self.reps += 1;
        self.sum += sum;
        self.count += u128::from(count);
        let c = count as f64;
        if self.reference.is_none() && count > 0 {
            // Earlier replications counted nothing: their e is their sum
            // whatever m₀ is.
            self.reference = Some(sum / c);
        }
        let e = sum - self.reference.unwrap_or(0.0) * c;
        let r = self.reps as f64;
        let (de, dc) = (e - self.mean.0, c - self.mean.1);
        self.mean.0 += de / r;
        self.mean.1 += dc / r;
        self.ee += de * (e - self.mean.0);
        self.ec += de * (c - self.mean.1);
        self.cc += dc * (c - self.mean.1);
    }

    pub fn reps(&self) -> u64 {
        self.reps
    }

    /// The totals: the sum of the values, and the count of events.
    pub fn totals(&self) -> (f64, u128) {
        (self.sum, self.count)
    }

    /// Σ (s_i − m·c_i)² over the replications at m the pooled mean
    /// Σs / Σc: the spread of its linearization. With d = m − m₀ it is
    /// Σ(e − ē)² − 2d Σ(e − ē)(c − c̄) + d² Σ(c − c̄)².
    pub fn spread(&self) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let d = self.sum / self.count as f64 - self.reference.unwrap_or(0.0);
        (self.ee - 2.0 * d * self.ec + d * d * self.cc).max(0.0)
    }
}

impl FromIterator<(f64, u64)> for Pooled {
    fn from_iter<I: IntoIterator<Item = (f64, u64)>>(iter: I) -> Self {
        let mut p = Self::default();
        iter.into_iter().for_each(|(s, c)| p.add(s, c));
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Σ(x − x̄)² of a list, two passes.
    fn two_pass(xs: &[f64]) -> f64 {
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        xs.iter().map(|x| (x - m).powi(2)).sum()
    }

    #[test]
    fn centred_moments_are_exact_for_counts() {
        let xs = [1_000_000_007u64, 1_000_000_009, 1_000_000_001, 1_000_000_003];
        let c: Counted = xs.iter().copied().collect();
        // Deviations 2, 4, -4, -2 from 1,000,000,005: 40 / 3.
        assert_eq!(c.variance(), 40.0 / 3.0);
        assert_eq!(c.mean(), 1_000_000_005.0);
        assert_eq!(c.total(), 4_000_000_020);
    }

    #[test]
    fn a_ratio_spread_is_the_sum_of_squared_linearized_values() {
        let pairs = [(3u64, 100u64), (5, 120), (0, 90), (9, 130)];
        let r: Ratio = pairs.iter().copied().collect();
        let p = r.events() as f64 / r.trials() as f64;
        let direct: f64 = pairs.iter().map(|&(x, n)| (x as f64 - p * n as f64).powi(2)).sum();
        assert!((r.spread() - direct).abs() < 1e-12 * direct, "{} {direct}", r.spread());
        // A spread tiny against the values: every replication a million
        // of three but the last, one more. p = (10⁹ + 1) / (3·10⁹): 999
        // residuals of −0.001 and one of 0.999, 0.999 in all.
        let close: Ratio = (0..999).map(|_| (1_000_000, 3_000_000)).chain([(1_000_001, 3_000_000)]).collect();
        assert!((close.spread() - 0.999).abs() < 1e-14, "{}", close.spread());
    }

    #[test]
    fn paired_linearized_values_are_summed_squared() {
        let with = [(5u64, 100u64), (7, 100), (2, 80)];
        let without = [(1u64, 100u64), (2, 100), (1, 80)];
        let pair: RatioPair = with.iter().copied().zip(without.iter().copied()).collect();
        let ((xw, nw), (xo, no)) = pair.totals();
        let (p, q) = (xw as f64 / nw as f64, xo as f64 / no as f64);
        let (mw, mo) = (nw as f64 / 3.0, no as f64 / 3.0);
        let direct: f64 = with
            .iter()
            .zip(&without)
            .map(|(a, b)| ((a.0 as f64 - p * a.1 as f64) / mw - (b.0 as f64 - q * b.1 as f64) / mo).powi(2))
            .sum();
        assert!((pair.linearized_squares() - direct).abs() < 1e-12 * direct, "{} {direct}", pair.linearized_squares());
    }

    #[test]
    fn welford_agrees_with_two_passes() {
        let xs: Vec<f64> = (0..1000).map(|i| 1e3 + f64::from(i % 17) * 0.01).collect();
        let v: Values = xs.iter().copied().collect();
        let exact = two_pass(&xs);
        assert!((v.variance() * 999.0 - exact).abs() < 1e-9 * exact);
        assert_eq!(v.mean(), xs.iter().sum::<f64>() / 1000.0);
    }

    #[test]
    fn pooled_spread_is_the_sum_of_squared_linearized_values() {
        let pairs = [(4.2 * 100.0 + 0.3, 100u64), (4.1 * 90.0, 90), (4.3 * 110.0 - 0.2, 110)];
        let p: Pooled = pairs.iter().copied().collect();
        let (s, c) = p.totals();
        let m = s / c as f64;
        let direct: f64 = pairs.iter().map(|&(s, c)| (s - m * c as f64).powi(2)).sum();
        assert!((p.spread() - direct).abs() < 1e-9 * direct, "{} {direct}", p.spread());
        // Every call the same score: no spread, not rounding noise.
        let same: Pooled = (0..100).map(|i| (4.379_613 * f64::from(900 + i), 900 + i as u64)).collect();
        assert!(same.spread() < 1e-18, "{}", same.spread());
    }
}
