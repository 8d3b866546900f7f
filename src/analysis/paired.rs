//! Paired replications: a run with failures against the same
//! replications without them (the same seed, so the same calls), folded
//! pair by pair into the sums of each difference. Failures draw from
//! streams of their own, so the difference of each pair is the failures'
//! effect and not noise (common random numbers).

use crate::model::Model;
use crate::scenario::{FailureTiming, Scenario};
use crate::sim::Replication;

use super::figures::{grade_of_service_terms, window_terms};
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
            sites: vec![SiteImpactSums::default(); model.sites.len()],
            windows,
        }
    }

    /// Adds one pair: replication `i` with the failures and without.
    pub fn fold(&mut self, with: &Replication, without: &Replication) {
        let (a, b) = (with.counts.total(), without.counts.total());
        let lost = |c: &crate::sim::metrics::Counts| (c.blocked + c.dropped + c.failed) as f64;
        self.calls_lost.add(lost(&a) - lost(&b));
        self.blocked.add(a.blocked as f64 - b.blocked as f64);
        self.dropped.add(a.dropped as f64 - b.dropped as f64);
        self.grade_of_service
            .add(grade_of_service_terms(&with.counts.pstn()), grade_of_service_terms(&without.counts.pstn()));
        // Only pairs where both sides answered a call have a delay to
        // compare; a failure that leaves no call ringing has none.
        if with.pdd.count() > 0 && without.pdd.count() > 0 {
            self.pdd_mean_ms.add(with.pdd.mean_ms() - without.pdd.mean_ms());
        }
        for (i, site) in self.sites.iter_mut().enumerate() {
            let (a, b) = (&with.per_site[i], &without.per_site[i]);
            site.blocked.add(a.total().blocked as f64 - b.total().blocked as f64);
            site.grade_of_service.add(grade_of_service_terms(&a.pstn()), grade_of_service_terms(&b.pstn()));
        }
        for w in &mut self.windows {
            let (b0, b1) = w.buckets;
            let (with_blocked, with_offered) = window_terms(with, b0, b1);
            let (without_blocked, without_offered) = window_terms(without, b0, b1);
            w.blocked_with.add(with_blocked);
            w.blocked_without.add(without_blocked);
            w.blocked_difference.add(with_blocked as f64 - without_blocked as f64);
            w.grade_of_service_with.add(with_blocked, with_offered);
            w.grade_of_service_without.add(without_blocked, without_offered);
        }
    }
}
