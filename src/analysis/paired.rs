//! Paired replications: a run with failures against the same
//! replications without them (the same seed, so the same calls), folded
//! pair by pair into the sums of each difference. Failures draw from
//! streams of their own, so the difference of each pair is the failures'
//! effect and not noise (common random numbers).

use crate::model::Model;
use crate::scenario::{FailureTiming, Scenario};
use crate::sim::metrics::{Counts, Tally};
use crate::sim::Replication;

use super::figures::grade_of_service_terms;
use super::stats::{Counted, Ratio, RatioPair, Values};

/// A site's extra blocked calls and change of grade of service.
#[derive(Debug, Clone, Default)]
pub struct SiteImpactSums {
    pub blocked: Values,
    pub grade_of_service: RatioPair,
}

/// The calls needing the PSTN side arriving while one scheduled failure
/// lasted (its window widened to whole time buckets), with and without it.
#[derive(Debug, Clone)]
pub struct WindowSums {
    pub failure: String,
    /// Time buckets `[from, to)`.
    pub buckets: (usize, usize),
    pub from_s: f64,
    pub to_s: f64,
    pub blocked_with: Counted,
    pub blocked_without: Counted,
    pub blocked_difference: Values,
    pub grade_of_service_with: Ratio,
    pub grade_of_service_without: Ratio,
}

/// Sums of the paired differences (with failures − without).
#[derive(Debug, Clone)]
pub struct ImpactSums {
    /// Blocked + dropped + failed calls.
    pub calls_lost: Values,
    pub blocked: Values,
    pub dropped: Values,
    /// Of the calls needing the PSTN side.
    pub grade_of_service: RatioPair,
    pub pdd_mean_ms: Values,
    pub sites: Vec<SiteImpactSums>,
    pub windows: Vec<WindowSums>,
}

impl ImpactSums {
    /// No pair yet; a window for each scheduled failure of `scenario`.
    pub fn new(model: &Model, scenario: &Scenario) -> Self {
        Self::with_sites(model.sites.len(), scenario)
    }

    fn with_sites(sites: usize, scenario: &Scenario) -> Self {
        let w = scenario.bucket.0;
        let windows = scenario
            .failures
            .iter()
            .filter_map(|f| match f.timing {
                FailureTiming::Scheduled { at, duration } => Some((f.name.clone(), at, at + duration)),
                FailureTiming::Random { .. } => None,
            })
            .map(|(failure, from, to)| {
                let (b0, b1) = ((from / w) as usize, to.div_ceil(w) as usize);
                WindowSums {
                    failure,
                    buckets: (b0, b1),
                    from_s: (b0 as u64 * w) as f64 / 1e6,
                    to_s: ((b1 as u64 * w).min(scenario.duration.0)) as f64 / 1e6,
                    blocked_with: Counted::default(),
                    blocked_without: Counted::default(),
                    blocked_difference: Values::default(),
                    grade_of_service_with: Ratio::default(),
                    grade_of_service_without: Ratio::default(),
                }
            })
            .collect();
        Self {
            calls_lost: Values::default(),
            blocked: Values::default(),
            dropped: Values::default(),
            grade_of_service: RatioPair::default(),
            pdd_mean_ms: Values::default(),
            sites: vec![SiteImpactSums::default(); sites],
            windows,
        }
    }

    /// Like [`ImpactSums::new`] without the per-site sums: for a study of
    /// many cases that reports each case's figures over the whole network.
    pub fn overall(scenario: &Scenario) -> Self {
        Self::with_sites(0, scenario)
    }

    /// Adds one pair: replication `i` with the failures and without.
    pub fn fold(&mut self, with: &Replication, without: &Replication) {
        self.fold_figures(&PairedFigures::of(with), &PairedFigures::of(without));
    }

    /// Adds one pair of replications, given by the figures read of them.
    pub fn fold_figures(&mut self, with: &PairedFigures, without: &PairedFigures) {
        let ranges = self.window_ranges();
        self.fold_terms(&OverallTerms::of(with, &ranges), &OverallTerms::of(without, &ranges));
        for (i, site) in self.sites.iter_mut().enumerate() {
            let (a, b) = (&with.per_site[i], &without.per_site[i]);
            site.blocked.add(a.total().blocked as f64 - b.total().blocked as f64);
            site.grade_of_service.add(grade_of_service_terms(&a.pstn()), grade_of_service_terms(&b.pstn()));
        }
    }

    /// The time-bucket ranges of the windows, each once, in order: what
    /// [`OverallTerms`] reads of a replication for these sums.
    pub fn window_ranges(&self) -> Vec<(usize, usize)> {
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for w in &self.windows {
            if !ranges.contains(&w.buckets) {
                ranges.push(w.buckets);
            }
        }
        ranges
    }

    /// Adds one pair of replications, given by their overall terms (read
    /// for [`ImpactSums::window_ranges`]); the per-site sums are left
    /// as they are. Terms read for other ranges are the caller's error,
    /// and add nothing to the windows.
    pub fn fold_terms(&mut self, with: &OverallTerms, without: &OverallTerms) {
        let (a, b) = (with, without);
        let lost = |t: &OverallTerms| (t.blocked + t.dropped + t.failed) as f64;
        self.calls_lost.add(lost(a) - lost(b));
        self.blocked.add(a.blocked as f64 - b.blocked as f64);
        self.dropped.add(a.dropped as f64 - b.dropped as f64);
        self.grade_of_service.add((a.pstn_blocked, a.pstn_routable), (b.pstn_blocked, b.pstn_routable));
        // Only pairs where both sides answered a call have a delay to
        // compare; a failure that leaves no call ringing has none.
        if a.pdd_count > 0 && b.pdd_count > 0 {
            self.pdd_mean_ms.add(a.pdd_mean_ms() - b.pdd_mean_ms());
        }
        let ranges = self.window_ranges();
        for w in &mut self.windows {
            let Some(r) = ranges.iter().position(|r| *r == w.buckets) else { continue };
            let (Some(&(with_blocked, with_offered)), Some(&(without_blocked, without_offered))) =
                (a.windows.get(r), b.windows.get(r))
            else {
                continue;
            };
            w.blocked_with.add(with_blocked);
            w.blocked_without.add(without_blocked);
            w.blocked_difference.add(with_blocked as f64 - without_blocked as f64);
            w.grade_of_service_with.add(with_blocked, with_offered);
            w.grade_of_service_without.add(without_blocked, without_offered);
        }
    }
}

/// The few counts of a replication that a case's overall figures read
/// (calls lost, grade of service, post-dial delay, each window's calls
/// needing the PSTN side): all of them sums over calls, so two failures
/// in independent parts of the network add up exactly: the pair's terms
/// are the two singles' less the baseline's, in wrapping arithmetic.
/// Small enough to keep per replication for every single a pair needs,
/// so that a pair that is a sum is put together without simulating.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OverallTerms {
    pub blocked: u64,
    pub dropped: u64,
    pub failed: u64,
    /// Of the calls needing the PSTN side: blocked, and routable (the
    /// grade of service's terms).
    pub pstn_blocked: u64,
    pub pstn_routable: u64,
    pub pdd_count: u64,
    pub pdd_sum_us: u128,
    /// Blocked and offered calls needing the PSTN side in each window's
    /// time buckets, in the order of the ranges read for.
    pub windows: Vec<(u64, u64)>,
}

impl OverallTerms {
    /// The terms of `f`, with the windows of bucket ranges `ranges`.
    pub fn of(f: &PairedFigures, ranges: &[(usize, usize)]) -> Self {
        let total = f.counts.total();
        let (pstn_blocked, pstn_routable) = grade_of_service_terms(&f.counts.pstn());
        Self {
            blocked: total.blocked,
            dropped: total.dropped,
            failed: total.failed,
            pstn_blocked,
            pstn_routable,
            pdd_count: f.pdd_count,
            pdd_sum_us: f.pdd_sum_us,
            windows: ranges.iter().map(|&(b0, b1)| f.window_terms(b0, b1)).collect(),
        }
    }

    /// Two failures' terms in independent parts, `a` and `b`, each with
    /// the same replication `base` without failures: both together.
    pub fn both(a: &Self, b: &Self, base: &Self) -> Self {
        let f = |a: u64, b: u64, base: u64| a.wrapping_add(b).wrapping_sub(base);
        Self {
            blocked: f(a.blocked, b.blocked, base.blocked),
            dropped: f(a.dropped, b.dropped, base.dropped),
            failed: f(a.failed, b.failed, base.failed),
            pstn_blocked: f(a.pstn_blocked, b.pstn_blocked, base.pstn_blocked),
            pstn_routable: f(a.pstn_routable, b.pstn_routable, base.pstn_routable),
            pdd_count: f(a.pdd_count, b.pdd_count, base.pdd_count),
            pdd_sum_us: a.pdd_sum_us.wrapping_add(b.pdd_sum_us).wrapping_sub(base.pdd_sum_us),
            windows: a
                .windows
                .iter()
                .zip(&b.windows)
                .zip(&base.windows)
                .map(|((a, b), base)| (f(a.0, b.0, base.0), f(a.1, b.1, base.1)))
                .collect(),
        }
    }

    /// Blocked, dropped and failed calls.
    pub fn lost(&self) -> [u64; 3] {
        [self.blocked, self.dropped, self.failed]
    }

    fn pdd_mean_ms(&self) -> f64 {
        if self.pdd_count == 0 {
            0.0
        } else {
            self.pdd_sum_us as f64 / self.pdd_count as f64 / 1000.0
        }
    }
}

/// What a paired difference reads of a replication: call outcomes overall
/// and per site, the post-dial delays' count and sum, and the calls
/// needing the PSTN side offered and blocked per time bucket. Counts
/// only, so the figures of independent parts of a network add up
/// exactly, and a part's change can be written into the whole's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairedFigures {
    pub counts: Tally,
    pub per_site: Vec<Tally>,
    pub pdd_count: u64,
    pub pdd_sum_us: u128,
    pub bucket_offered: Vec<u64>,
    pub bucket_blocked: Vec<u64>,
}

impl PairedFigures {
    pub fn of(r: &Replication) -> Self {
        Self {
            counts: r.counts,
            per_site: r.per_site.clone(),
            pdd_count: r.pdd.count(),
            pdd_sum_us: r.pdd.sum_us(),
            bucket_offered: r.bucket_offered.clone(),
            bucket_blocked: r.bucket_blocked.clone(),
        }
    }

    /// The grade of service's terms of the calls needing the PSTN side
    /// that arrived in time buckets `[from, to)`.
    pub fn window_terms(&self, from: usize, to: usize) -> (u64, u64) {
        let to = to.min(self.bucket_offered.len());
        let from = from.min(to);
        (self.bucket_blocked[from..to].iter().sum(), self.bucket_offered[from..to].iter().sum())
    }

    /// Adds a part's change `d` (wrapping, as a change's counts may be
    /// "negative": the sum is exact, and never below zero).
    pub fn apply(&mut self, d: &PartFigures) {
        let add = true;
        let f = |a: &mut u64, b: u64| *a = if add { a.wrapping_add(b) } else { a.wrapping_sub(b) };
        tally(&mut self.counts, &d.counts, add);
        for (site, t) in &d.per_site {
            tally(&mut self.per_site[*site as usize], t, add);
        }
        f(&mut self.pdd_count, d.pdd_count);
        self.pdd_sum_us =
            if add { self.pdd_sum_us.wrapping_add(d.pdd_sum_us) } else { self.pdd_sum_us.wrapping_sub(d.pdd_sum_us) };
        for (a, b) in self.bucket_offered.iter_mut().zip(&d.bucket_offered) {
            f(a, *b);
        }
        for (a, b) in self.bucket_blocked.iter_mut().zip(&d.bucket_blocked) {
            f(a, *b);
        }
    }
}

/// [`PairedFigures`] of a part of the network simulated alone: the sites
/// its calls counted at, only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartFigures {
    pub counts: Tally,
    pub per_site: Vec<(u32, Tally)>,
    pub pdd_count: u64,
    pub pdd_sum_us: u128,
    pub bucket_offered: Vec<u64>,
    pub bucket_blocked: Vec<u64>,
}

impl PartFigures {
    /// Adds `o` (or takes it away), in wrapping arithmetic: a part with a
    /// failure less the same part without is a change, whose counts may
    /// pass below zero; written into the whole's figures, they never do.
    pub fn combine(&mut self, o: &PartFigures, add: bool) {
        let f = |a: &mut u64, b: u64| *a = if add { a.wrapping_add(b) } else { a.wrapping_sub(b) };
        tally(&mut self.counts, &o.counts, add);
        let mut merged = Vec::with_capacity(self.per_site.len().max(o.per_site.len()));
        let (mut i, mut j) = (0, 0);
        while i < self.per_site.len() || j < o.per_site.len() {
            let (a, b) = (self.per_site.get(i), o.per_site.get(j));
            match (a, b) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    let mut t = x.1;
                    tally(&mut t, &y.1, add);
                    merged.push((x.0, t));
                    i += 1;
                    j += 1;
                }
                (Some(x), None) => {
                    merged.push(*x);
                    i += 1;
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    merged.push(*x);
                    i += 1;
                }
                (_, Some(y)) => {
                    let mut t = Tally::default();
                    tally(&mut t, &y.1, add);
                    merged.push((y.0, t));
                    j += 1;
                }
                (None, None) => break,
            }
        }
        self.per_site = merged;
        f(&mut self.pdd_count, o.pdd_count);
        self.pdd_sum_us =
            if add { self.pdd_sum_us.wrapping_add(o.pdd_sum_us) } else { self.pdd_sum_us.wrapping_sub(o.pdd_sum_us) };
        for (v, w) in [(&mut self.bucket_offered, &o.bucket_offered), (&mut self.bucket_blocked, &o.bucket_blocked)] {
            if v.len() < w.len() {
                v.resize(w.len(), 0);
            }
            for (a, b) in v.iter_mut().zip(w) {
                f(a, *b);
            }
        }
    }

    pub fn of(r: &Replication) -> Self {
        let zero = Tally::default();
        Self {
            counts: r.counts,
            per_site: (0..r.per_site.len() as u32)
                .map(|s| (s, r.per_site[s as usize]))
                .filter(|(_, t)| *t != zero)
                .collect(),
            pdd_count: r.pdd.count(),
            pdd_sum_us: r.pdd.sum_us(),
            bucket_offered: r.bucket_offered.clone(),
            bucket_blocked: r.bucket_blocked.clone(),
        }
    }
}

fn tally(a: &mut Tally, b: &Tally, add: bool) {
    for (x, y) in a.directions.iter_mut().zip(&b.directions) {
        counts(x, y, add);
    }
}

fn counts(a: &mut Counts, b: &Counts, add: bool) {
    let f = |a: &mut u64, b: u64| *a = if add { a.wrapping_add(b) } else { a.wrapping_sub(b) };
    f(&mut a.offered, b.offered);
    f(&mut a.carried, b.carried);
    f(&mut a.blocked, b.blocked);
    f(&mut a.blocked_full, b.blocked_full);
    f(&mut a.not_authorized, b.not_authorized);
    f(&mut a.failed, b.failed);
    f(&mut a.dropped, b.dropped);
    f(&mut a.failed_over, b.failed_over);
    f(&mut a.completed, b.completed);
    f(&mut a.redials, b.redials);
    f(&mut a.given_up, b.given_up);
}
