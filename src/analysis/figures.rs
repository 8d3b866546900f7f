//! What every figure is: which calls or attempts it counts and which
//! estimator of `stats` states it, in one place. `run`, `whatif`, `plan`,
//! `sweep` and the report all take their figures from here, and
//! docs/results.md says the same in words.
//!
//! The central figure, the **grade of service** of a stream of calls, is
//! the calls blocked over the calls offered that needed the PSTN side (a
//! trunk, gateway channel, ITSP or PBX session, Mediation session), less
//! those no route authorizes: outbound, inbound and inter-trunk calls,
//! never internal ones. Over replications it is the ratio of the totals.

use crate::sim::metrics::{Counts, Occupancy};
use crate::sim::quality::MosStats;
use crate::sim::Replication;

use super::stats::{Estimate, Range};

/// Grade of service of the calls `pick` chooses in each replication:
/// blocked over offered less not authorized. `None` when none was offered.
pub fn grade_of_service(reps: &[Replication], pick: impl Fn(&Replication) -> Counts) -> Option<Estimate> {
    share_of_routable(reps, pick, |c| c.blocked)
}

/// The share of the routable calls `pick` chooses that `num` counts
/// (blocked for want of capacity, say): the same denominator as the
/// grade of service.
pub fn share_of_routable(
    reps: &[Replication],
    pick: impl Fn(&Replication) -> Counts,
    num: impl Fn(&Counts) -> u64,
) -> Option<Estimate> {
    Estimate::proportion(
        &reps
            .iter()
            .map(|r| {
                let c = pick(r);
                (num(&c), c.routable())
            })
            .collect::<Vec<_>>(),
    )
}

/// Grade of service of the whole run: every call that needed the PSTN side.
pub fn overall_grade_of_service(reps: &[Replication]) -> Option<Estimate> {
    grade_of_service(reps, |r| r.counts.pstn())
}

/// Blocked share of the first attempts, when callers redial: the calls
/// whose callers gave up blocked over the first attempts offered.
pub fn caller_loss(reps: &[Replication], pick: impl Fn(&Replication) -> Counts) -> Option<Estimate> {
    Estimate::proportion(
        &reps
            .iter()
            .map(|r| {
                let c = pick(r);
                (c.given_up, c.routable() - c.redials.min(c.routable()))
            })
            .collect::<Vec<_>>(),
    )
}

/// Grade of service of the calls needing the PSTN side that arrived in
/// time buckets `[from, to)` (a failure's window).
pub fn grade_of_service_between(reps: &[Replication], from: usize, to: usize) -> Option<Estimate> {
    Estimate::proportion(
        &reps
            .iter()
            .map(|r| {
                let to = to.min(r.bucket_offered.len());
                let from = from.min(to);
                (r.bucket_blocked[from..to].iter().sum(), r.bucket_offered[from..to].iter().sum())
            })
            .collect::<Vec<_>>(),
    )
}

/// Calls (or other events) per replication.
pub fn count(reps: &[Replication], f: impl Fn(&Replication) -> u64) -> Estimate {
    Estimate::count(&reps.iter().map(|r| f(r) as f64).collect::<Vec<_>>())
}

/// A quantity of zero or more per replication (Erlangs, kbps, seconds).
pub fn level(reps: &[Replication], f: impl Fn(&Replication) -> f64) -> Estimate {
    Estimate::level(&reps.iter().map(f).collect::<Vec<_>>())
}

/// The share of its attempts an element (or several together) refused
/// for want of room. Most refused attempts overflow to another trunk and
/// are carried: this is not a share of lost calls.
pub fn rejected_share(reps: &[Replication], pick: impl Fn(&Replication) -> Vec<&Occupancy>) -> Option<Estimate> {
    Estimate::proportion(
        &reps
            .iter()
            .map(|r| {
                let o = pick(r);
                (o.iter().map(|x| x.rejected).sum(), o.iter().map(|x| x.attempts).sum())
            })
            .collect::<Vec<_>>(),
    )
}

/// Calls an element refused that were then blocked, over its attempts.
pub fn lost_share(reps: &[Replication], pick: impl Fn(&Replication) -> &Occupancy) -> Option<Estimate> {
    Estimate::proportion(&reps.iter().map(|r| (pick(r).lost, pick(r).attempts)).collect::<Vec<_>>())
}

/// Mean occupancy over the measured window: carried Erlangs.
pub fn carried_erlangs(reps: &[Replication], pick: impl Fn(&Replication) -> &Occupancy) -> Estimate {
    level(reps, |r| pick(r).mean(&r.window))
}

/// Carried Erlangs over a capacity.
pub fn utilization(reps: &[Replication], pick: impl Fn(&Replication) -> &Occupancy, capacity: u32) -> Estimate {
    Estimate::bounded(
        &reps.iter().map(|r| pick(r).mean(&r.window) / f64::from(capacity.max(1))).collect::<Vec<_>>(),
        0.0,
        1.0,
    )
}

/// An element's offered load over the replications (what the routes send
/// it, overflow included): what it carried over the share of its attempts
/// it accepted.
pub fn offered_load(reps: &[Replication], pick: impl Fn(&Replication) -> &Occupancy) -> f64 {
    if reps.is_empty() {
        return 0.0;
    }
    let carried = reps.iter().map(|r| pick(r).mean(&r.window)).sum::<f64>() / reps.len() as f64;
    let attempts: u64 = reps.iter().map(|r| pick(r).attempts).sum();
    let rejected: u64 = reps.iter().map(|r| pick(r).rejected).sum();
    if attempts > rejected {
        carried * attempts as f64 / (attempts - rejected) as f64
    } else {
        carried
    }
}

/// Mean post-dial delay of the trunk calls that got ringback, in ms.
pub fn pdd_mean_ms(reps: &[Replication]) -> Option<Estimate> {
    Estimate::weighted_mean(
        &reps.iter().map(|r| (r.pdd.sum_ms(), r.pdd.count())).collect::<Vec<_>>(),
        Range::NonNegative,
    )
}

/// A quantile of post-dial delay (ms): each replication's, averaged over
/// the replications that measured one.
pub fn pdd_quantile_ms(reps: &[Replication], q: f64) -> Option<Estimate> {
    let xs: Vec<f64> = reps.iter().filter(|r| r.pdd.count() > 0).map(|r| r.pdd.quantile_ms(q)).collect();
    (!xs.is_empty()).then(|| Estimate::level(&xs))
}

/// Mean MOS of the calls scored.
pub fn mos_mean(reps: &[Replication], pick: impl Fn(&Replication) -> &MosStats) -> Option<Estimate> {
    Estimate::weighted_mean(
        &reps.iter().map(|r| (pick(r).sum, pick(r).count)).collect::<Vec<_>>(),
        Range::Within(1.0, 4.5),
    )
}

/// A quantile of MOS: each replication's, averaged over the replications
/// that scored a call.
pub fn mos_quantile(reps: &[Replication], pick: impl Fn(&Replication) -> &MosStats, q: f64) -> Option<Estimate> {
    let xs: Vec<f64> = reps.iter().map(&pick).filter(|m| m.count > 0).map(|m| m.quantile(q)).collect();
    (!xs.is_empty()).then(|| Estimate::bounded(&xs, 1.0, 4.5))
}

/// Share of the scored calls under MOS 3.1 (R 60).
pub fn poor_share(reps: &[Replication], pick: impl Fn(&Replication) -> &MosStats) -> Option<Estimate> {
    Estimate::proportion(&reps.iter().map(|r| (pick(r).poor, pick(r).count)).collect::<Vec<_>>())
}

/// A paired difference per replication (with a failure - without it).
pub fn paired(with: &[Replication], without: &[Replication], f: impl Fn(&Replication) -> f64) -> Estimate {
    Estimate::difference(&with.iter().zip(without).map(|(a, b)| f(a) - f(b)).collect::<Vec<_>>())
}

/// The paired difference of a grade of service (with - without).
pub fn paired_grade_of_service(
    with: &[Replication],
    without: &[Replication],
    pick: impl Fn(&Replication) -> Counts,
) -> Option<Estimate> {
    let pairs = |reps: &[Replication]| {
        reps.iter()
            .map(|r| {
                let c = pick(r);
                (c.blocked, c.routable())
            })
            .collect::<Vec<_>>()
    };
    Estimate::proportion_difference(&pairs(with), &pairs(without))
}

/// Mean occupancy of one element in time bucket `b` (warm-up included),
/// times `scale` (0.1 for a WAN link's tenths of a kbps).
pub fn occupancy_in_bucket(
    reps: &[Replication],
    pick: impl Fn(&Replication) -> &Occupancy,
    b: usize,
    scale: f64,
) -> Estimate {
    level(reps, |r| {
        let w = r.window;
        let len = (w.end.min((b as u64 + 1) * w.bucket) - b as u64 * w.bucket) as f64;
        pick(r).buckets[b] / len * scale
    })
}

/// Mean MOS of the calls answered in time bucket `b`.
pub fn mos_in_bucket(reps: &[Replication], b: usize) -> Option<Estimate> {
    Estimate::weighted_mean(
        &reps.iter().map(|r| (r.bucket_mos[b].0, r.bucket_mos[b].1)).collect::<Vec<_>>(),
        Range::Within(1.0, 4.5),
    )
}
