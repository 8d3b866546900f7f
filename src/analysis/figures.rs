//! What every figure is: which calls or attempts it counts in each
//! replication, which running sums (`sums`) it folds them into, and which
//! estimator of `stats` states it, in one place. `run`, `whatif`, `plan`,
//! `sweep` and the report all take their figures from here, and
//! docs/results.md says the same in words.
//!
//! The central figure, the **grade of service** of a stream of calls, is
//! the calls blocked over the calls offered that needed the PSTN side (a
//! trunk, gateway channel, ITSP or PBX session, Mediation session), less
//! those no route authorizes: outbound, inbound and inter-trunk calls,
//! never internal ones. Over replications it is the ratio of the totals.
//!
//! Each `*Sums` type here is folded one replication at a time and keeps
//! only running sums, so its size is fixed by the model and the scenario,
//! never by the number of replications.

use crate::sim::engine::Replication;
use crate::sim::metrics::{Counts, DelayHistogram, FailureCounts, Occupancy, RouteCounts, Tally, Window};
use crate::sim::scoring::MosStats;

use super::stats::{Counted, Estimate, Pooled, Range, Ratio, Values};

/// Shares of calls at which a MOS distribution is given.
pub const CDF_SHARES: [f64; 15] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99];

/// The place of the 5th percentile in [`CDF_SHARES`].
const P5: usize = 2;

/// The MOS range: E-model scores lie in [1, 4.5].
const MOS: Range = Range::Within(1.0, 4.5);

/// A grade of service's terms in one replication: blocked over offered
/// less not authorized.
pub fn grade_of_service_terms(c: &Counts) -> (u64, u64) {
    (c.blocked, c.routable())
}

/// Caller loss's terms, when callers redial: the attempts whose callers
/// gave up blocked over the first attempts offered.
pub fn caller_loss_terms(c: &Counts) -> (u64, u64) {
    (c.given_up, c.routable() - c.redials.min(c.routable()))
}

/// The grade of service's terms of the calls needing the PSTN side that
/// arrived in time buckets `[from, to)` (a failure's window).
pub fn window_terms(r: &Replication, from: usize, to: usize) -> (u64, u64) {
    let to = to.min(r.bucket_offered.len());
    let from = from.min(to);
    (r.bucket_blocked[from..to].iter().sum(), r.bucket_offered[from..to].iter().sum())
}

/// Mean occupancy of an element in time bucket `b` (warm-up included),
/// times `scale` (0.1 for a WAN link's tenths of a kbps).
pub fn occupancy_in_bucket(o: &Occupancy, w: &Window, b: usize, scale: f64) -> f64 {
    let len = (w.end.min((b as u64 + 1) * w.bucket) - b as u64 * w.bucket) as f64;
    o.buckets[b] / len * scale
}

/// Attempts refused for want of room, and attempts, of several elements
/// together in one replication (the elements a bandwidth policy polices).
pub fn refusal_terms<'a>(elements: impl IntoIterator<Item = &'a Occupancy>) -> (u64, u64) {
    elements.into_iter().fold((0, 0), |(r, a), o| (r + o.rejected, a + o.attempts))
}

/// The figures of one stream of calls (every call, the PSTN calls, one
/// direction; overall, of a site or of a source): every count per
/// replication and the shares of the calls routing could place.
#[derive(Debug, Clone, Default)]
pub struct StreamSums {
    pub offered: Counted,
    pub carried: Counted,
    pub blocked: Counted,
    pub blocked_full: Counted,
    pub not_authorized: Counted,
    pub failed: Counted,
    pub dropped: Counted,
    pub failed_over: Counted,
    pub completed: Counted,
    pub redials: Counted,
    pub given_up: Counted,
    gos: Ratio,
    caller_loss: Ratio,
    full: Ratio,
    gap: Ratio,
}

impl StreamSums {
    pub fn fold(&mut self, c: &Counts) {
        for (sums, x) in [
            (&mut self.offered, c.offered),
            (&mut self.carried, c.carried),
            (&mut self.blocked, c.blocked),
            (&mut self.blocked_full, c.blocked_full),
            (&mut self.not_authorized, c.not_authorized),
            (&mut self.failed, c.failed),
            (&mut self.dropped, c.dropped),
            (&mut self.failed_over, c.failed_over),
            (&mut self.completed, c.completed),
            (&mut self.redials, c.redials),
            (&mut self.given_up, c.given_up),
        ] {
            sums.add(x);
        }
        let (blocked, routable) = grade_of_service_terms(c);
        self.gos.add(blocked, routable);
        let (given_up, first) = caller_loss_terms(c);
        self.caller_loss.add(given_up, first);
        self.full.add(c.blocked_full, routable);
        self.gap.add(c.blocked - c.blocked_full, routable);
    }

    /// Blocked over offered less not authorized; `None` when none was
    /// offered.
    pub fn grade_of_service(&self) -> Option<Estimate> {
        Estimate::proportion(&self.gos)
    }

    /// The share of first attempts whose callers gave up blocked.
    pub fn caller_loss(&self) -> Option<Estimate> {
        Estimate::proportion(&self.caller_loss)
    }

    /// The share of the routable calls blocked though a full resource
    /// refused them: what more capacity would have carried.
    pub fn blocked_full_share(&self) -> Option<Estimate> {
        Estimate::proportion(&self.full)
    }

    /// The share of the routable calls blocked with no full resource in
    /// the way (failed elements, no candidate): what no capacity fixes.
    pub fn routing_gap_share(&self) -> Option<Estimate> {
        Estimate::proportion(&self.gap)
    }
}

/// The streams of a group of callers (every call, a site, a source): all
/// directions together, the calls needing the PSTN side, each direction.
#[derive(Debug, Clone, Default)]
pub struct TallySums {
    pub total: StreamSums,
    pub pstn: StreamSums,
    pub directions: [StreamSums; 4],
}

impl TallySums {
    pub fn fold(&mut self, t: &Tally) {
        self.total.fold(&t.total());
        self.pstn.fold(&t.pstn());
        for (sums, c) in self.directions.iter_mut().zip(&t.directions) {
            sums.fold(c);
        }
    }
}

/// A finite resource's figures (a peer, trunk or Mediation pool; a WAN
/// link's or a CAC element's bandwidth): its attempts and refusals, and
/// its occupancy over the measured window.
#[derive(Debug, Clone, Default)]
pub struct OccupancySums {
    /// `None` when unlimited.
    pub capacity: Option<u32>,
    pub attempts: Counted,
    pub rejected: Counted,
    pub overflowed: Counted,
    pub lost: Counted,
    rejected_share: Ratio,
    lost_share: Ratio,
    /// Mean occupancy over the measured window, per replication.
    carried: Values,
    peak: Values,
    /// Carried over the capacity, when there is one.
    utilization: Values,
    /// Units added at once, over every replication.
    added: u128,
}

impl OccupancySums {
    pub fn fold(&mut self, o: &Occupancy, w: &Window) {
        self.capacity = o.capacity;
        self.attempts.add(o.attempts);
        self.rejected.add(o.rejected);
        self.overflowed.add(o.overflowed);
        self.lost.add(o.lost);
        self.rejected_share.add(o.rejected, o.attempts);
        self.lost_share.add(o.lost, o.attempts);
        let mean = o.mean(w);
        self.carried.add(mean);
        self.peak.add(f64::from(o.peak));
        if let Some(c) = o.capacity {
            self.utilization.add(mean / f64::from(c.max(1)));
        }
        self.added += u128::from(o.added);
    }

    /// The share of its attempts it refused for want of room. Most
    /// refused attempts overflow to another trunk and are carried: this is
    /// not a share of lost calls.
    pub fn rejected_share(&self) -> Option<Estimate> {
        Estimate::proportion(&self.rejected_share)
    }

    /// Calls it refused that were then blocked, over its attempts.
    pub fn lost_share(&self) -> Option<Estimate> {
        Estimate::proportion(&self.lost_share)
    }

    /// Mean occupancy over the measured window: carried Erlangs.
    pub fn carried_erlangs(&self) -> Estimate {
        Estimate::level(&self.carried)
    }

    /// Highest occupancy; never above the capacity, when there is one.
    pub fn peak_occupancy(&self) -> Estimate {
        match self.capacity {
            Some(c) => Estimate::bounded(&self.peak, 0.0, f64::from(c)),
            None => Estimate::level(&self.peak),
        }
    }

    /// Carried Erlangs over the capacity, when there is one.
    pub fn utilization(&self) -> Option<Estimate> {
        self.capacity.map(|_| Estimate::bounded(&self.utilization, 0.0, 1.0))
    }

    /// Attempts refused and attempts, over every replication.
    pub fn refusals(&self) -> (u64, u64) {
        (self.rejected.total() as u64, self.attempts.total() as u64)
    }

    /// The offered load over the replications (what the routes send it,
    /// overflow included): what it carried over the share of its attempts
    /// it accepted.
    pub fn offered_load(&self) -> f64 {
        use super::stats::Sample;
        if self.carried.reps() == 0 {
            return 0.0;
        }
        let carried = self.carried.mean();
        let (rejected, attempts) = self.refusals();
        if attempts > rejected {
            carried * attempts as f64 / (attempts - rejected) as f64
        } else {
            carried
        }
    }

    /// For a bandwidth occupancy (tenths of a kbps): the sessions offered
    /// (Erlangs) and their mean bandwidth (kbps), over the replications.
    pub fn sessions(&self) -> (f64, f64) {
        let (rejected, attempts) = self.refusals();
        let admitted = attempts - rejected;
        if admitted == 0 {
            return (0.0, 0.0);
        }
        let unit = self.added as f64 / admitted as f64;
        (self.offered_load() / unit, unit / 10.0)
    }
}

/// Voice quality of a set of answered calls: calls scored, mean MOS
/// pooled over them, each replication's quantiles, the poor share.
#[derive(Debug, Clone, Default)]
pub struct MosSums {
    /// Calls scored per replication.
    pub scored: Counted,
    mean: Pooled,
    /// The MOS at each of [`CDF_SHARES`], over the replications that
    /// scored a call.
    quantiles: [Values; CDF_SHARES.len()],
    poor: Ratio,
}

impl MosSums {
    pub fn fold(&mut self, m: &MosStats) {
        self.scored.add(m.count);
        self.mean.add(m.sum, m.count);
        if m.count > 0 {
            for (sums, q) in self.quantiles.iter_mut().zip(CDF_SHARES) {
                sums.add(m.quantile(q));
            }
        }
        self.poor.add(m.poor, m.count);
    }

    /// Whether any call was scored.
    pub fn any(&self) -> bool {
        self.scored.total() > 0
    }

    /// Mean MOS of the calls scored (pooled over replications).
    pub fn mean(&self) -> Option<Estimate> {
        Estimate::weighted_mean(&self.mean, MOS)
    }

    /// The MOS at share `CDF_SHARES[k]`: each replication's, averaged over
    /// the replications that scored a call.
    fn quantile(&self, k: usize) -> Option<Estimate> {
        let s = &self.quantiles[k];
        (super::stats::Sample::reps(s) > 0).then(|| Estimate::bounded(s, 1.0, 4.5))
    }

    /// 5th percentile: 95% of the calls score this or better.
    pub fn p5(&self) -> Option<Estimate> {
        self.quantile(P5)
    }

    /// The distribution: (share, MOS at or below which that share falls).
    pub fn cdf(&self) -> Vec<(f64, Estimate)> {
        CDF_SHARES.iter().enumerate().filter_map(|(k, &q)| self.quantile(k).map(|e| (q, e))).collect()
    }

    /// Share of the scored calls under MOS 3.1 (R 60).
    pub fn poor_share(&self) -> Option<Estimate> {
        Estimate::proportion(&self.poor)
    }
}

/// Post-dial delay of the trunk calls that got ringback.
#[derive(Debug, Clone, Default)]
pub struct PddSums {
    mean: Pooled,
    /// Each replication's 95th percentile, over those that measured one.
    p95: Values,
}

impl PddSums {
    pub fn fold(&mut self, h: &DelayHistogram) {
        self.mean.add(h.sum_ms(), h.count());
        if h.count() > 0 {
            self.p95.add(h.quantile_ms(0.95));
        }
    }

    /// Mean post-dial delay in ms, pooled over the calls.
    pub fn mean_ms(&self) -> Option<Estimate> {
        Estimate::weighted_mean(&self.mean, Range::NonNegative)
    }

    /// The 95th percentile in ms: each replication's, averaged over the
    /// replications that measured one.
    pub fn p95_ms(&self) -> Option<Estimate> {
        (super::stats::Sample::reps(&self.p95) > 0).then(|| Estimate::level(&self.p95))
    }
}

/// A route's calls: those that tried it, overflowed it, were blocked.
#[derive(Debug, Clone, Default)]
pub struct RouteSums {
    pub offered: Counted,
    pub overflowed: Counted,
    pub blocked: Counted,
    gos: Ratio,
    overflow: Ratio,
}

impl RouteSums {
    pub fn fold(&mut self, c: &RouteCounts) {
        self.offered.add(c.offered);
        self.overflowed.add(c.overflowed);
        self.blocked.add(c.blocked);
        self.gos.add(c.blocked, c.offered);
        self.overflow.add(c.overflowed, c.offered);
    }

    /// Blocked over offered.
    pub fn grade_of_service(&self) -> Option<Estimate> {
        Estimate::proportion(&self.gos)
    }

    /// Overflowed over offered.
    pub fn overflow_share(&self) -> Option<Estimate> {
        Estimate::proportion(&self.overflow)
    }
}

/// What one scenario failure did.
#[derive(Debug, Clone, Default)]
pub struct FailureSums {
    pub episodes: Counted,
    pub dropped: Counted,
    pub undetected_attempts: Counted,
    pub rescued: Counted,
    pub lost: Counted,
    /// Post-dial delay the attempts on it added, in seconds.
    pub extra_pdd_s: Values,
    /// Time to mark-down and to mark-up, pooled over the episodes.
    detect_s: Pooled,
    recover_s: Pooled,
}

impl FailureSums {
    pub fn fold(&mut self, f: &FailureCounts) {
        self.episodes.add(f.episodes);
        self.dropped.add(f.dropped);
        self.undetected_attempts.add(f.undetected_attempts);
        self.rescued.add(f.rescued);
        self.lost.add(f.lost);
        self.extra_pdd_s.add(f.extra_pdd_us as f64 / 1e6);
        self.detect_s.add(f.detect_us as f64 / 1e6, f.detections);
        self.recover_s.add(f.recover_us as f64 / 1e6, f.recoveries);
    }

    /// Mean time from failure to mark-down, per episode marked down.
    pub fn time_to_detect_s(&self) -> Option<Estimate> {
        Estimate::weighted_mean(&self.detect_s, Range::NonNegative)
    }

    /// Mean time from repair to mark-up.
    pub fn time_to_recover_s(&self) -> Option<Estimate> {
        Estimate::weighted_mean(&self.recover_s, Range::NonNegative)
    }
}

/// Calls (or other events) per replication.
pub fn count(c: &Counted) -> Estimate {
    Estimate::count(c)
}

/// A quantity of zero or more per replication (Erlangs, kbps, seconds).
pub fn level(v: &Values) -> Estimate {
    Estimate::level(v)
}
