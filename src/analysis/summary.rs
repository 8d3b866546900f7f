//! `summary.json`: every figure of a run, those that vary between
//! replications as `{mean, ci95_low, ci95_high}`, each defined in
//! `figures`. The schema is documented in docs/results.md.

use serde::Serialize;

use crate::model::Model;
use crate::scenario::Scenario;
use crate::sim::metrics::{Counts, Direction, Occupancy, Tally};
use crate::sim::Replication;

use super::figures::{self, count, level, paired};
use super::run::PrecisionOutcome;
use super::stats::Estimate;

/// Version of the `summary.json` schema.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub schema_version: u32,
    pub scenario: ScenarioInfo,
    /// How many replications a precision target took (null without one).
    pub precision: Option<PrecisionOutcome>,
    /// Every call, all directions together.
    pub calls: CallFigures,
    /// The calls that needed the PSTN side (outbound, inbound and
    /// inter-trunk together).
    pub pstn_calls: CallFigures,
    /// Blocked over offered (less not authorized) of the calls that needed
    /// the PSTN side; null when none did.
    pub grade_of_service: Option<Estimate>,
    /// With redials: the share of first attempts whose caller gave up
    /// blocked.
    pub caller_loss: Option<Estimate>,
    /// Each direction's calls and grade of service.
    pub directions: Vec<DirectionFigures>,
    pub pdd_ms: PddFigures,
    pub sites: Vec<GroupFigures>,
    pub sources: Vec<GroupFigures>,
    pub routes: Vec<RouteFigures>,
    pub peers: Vec<ElementFigures>,
    pub trunks: Vec<ElementFigures>,
    pub mediation_pools: Vec<ElementFigures>,
    /// Bandwidth on each WAN link.
    pub links: Vec<LinkFigures>,
    /// Call admission control outcomes.
    pub cac: CacFigures,
    /// Voice quality (E-model MOS) of answered calls.
    pub mos: MosFigures,
    pub failures: Vec<FailureFigures>,
    /// With failures against the same calls without them (paired
    /// replications, same seed); null when the scenario has no failures.
    pub failure_impact: Option<Impact>,
    pub work: Work,
    /// Pattern evaluations that reached the matching limit in all
    /// replications, and the first (docs/results.md).
    pub pattern_limit_hits: crate::model::limit::LimitHits,
}

/// Differences (with failures - without) of paired replications: each
/// estimate is over the per-replication differences.
#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    /// Blocked + dropped + failed calls lost to the failures.
    pub calls_lost: Estimate,
    pub blocked: Estimate,
    pub dropped: Estimate,
    /// Change of the grade of service (calls needing the PSTN side).
    pub grade_of_service: Option<Estimate>,
    pub pdd_mean_ms: Estimate,
    /// Per site: extra blocked calls.
    pub sites: Vec<SiteImpact>,
    /// Blocked calls arriving while each scheduled failure lasted, with and
    /// without it (by time bucket: the window is widened to whole buckets).
    pub windows: Vec<WindowImpact>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteImpact {
    pub name: String,
    pub blocked: Estimate,
    pub grade_of_service: Option<Estimate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WindowImpact {
    pub failure: String,
    pub from_s: f64,
    pub to_s: f64,
    pub blocked_with: Estimate,
    pub blocked_without: Estimate,
    pub blocked_difference: Estimate,
    /// Grade of service of the calls arriving in the window, with and
    /// without the failure.
    pub grade_of_service_with: Option<Estimate>,
    pub grade_of_service_without: Option<Estimate>,
}

/// The paired comparison of a run with failures and its baseline.
pub fn impact(model: &Model, scenario: &Scenario, with: &[Replication], without: &[Replication]) -> Impact {
    let lost = |r: &Replication| {
        let c = r.counts.total();
        (c.blocked + c.dropped + c.failed) as f64
    };
    let windows = scenario
        .failures
        .iter()
        .filter_map(|f| match f.timing {
            crate::scenario::FailureTiming::Scheduled { at, duration } => Some((f.name.clone(), at, at + duration)),
            crate::scenario::FailureTiming::Random { .. } => None,
        })
        .map(|(name, from, to)| {
            let w = scenario.bucket.0;
            let (b0, b1) = ((from / w) as usize, to.div_ceil(w) as usize);
            let blocked = |r: &Replication| {
                r.bucket_blocked[b0.min(r.bucket_blocked.len())..b1.min(r.bucket_blocked.len())].iter().sum::<u64>()
                    as f64
            };
            WindowImpact {
                failure: name,
                from_s: (b0 as u64 * w) as f64 / 1e6,
                to_s: ((b1 as u64 * w).min(scenario.duration.0)) as f64 / 1e6,
                blocked_with: count(with, |r| blocked(r) as u64),
                blocked_without: count(without, |r| blocked(r) as u64),
                blocked_difference: paired(with, without, blocked),
                grade_of_service_with: figures::grade_of_service_between(with, b0, b1),
                grade_of_service_without: figures::grade_of_service_between(without, b0, b1),
            }
        })
        .collect();
    Impact {
        calls_lost: paired(with, without, lost),
        blocked: paired(with, without, |r| r.counts.total().blocked as f64),
        dropped: paired(with, without, |r| r.counts.total().dropped as f64),
        grade_of_service: figures::paired_grade_of_service(with, without, |r| r.counts.pstn()),
        pdd_mean_ms: paired(with, without, |r| r.pdd.mean_ms()),
        sites: (0..model.sites.len())
            .map(|i| SiteImpact {
                name: model.sites[i].name.clone(),
                blocked: paired(with, without, |r| r.per_site[i].total().blocked as f64),
                grade_of_service: figures::paired_grade_of_service(with, without, |r| r.per_site[i].pstn()),
            })
            .collect(),
        windows,
    }
}

/// Bandwidth on a WAN link (media of the calls using it).
#[derive(Debug, Clone, Serialize)]
pub struct LinkFigures {
    pub name: String,
    pub bandwidth_kbps: u32,
    pub mean_kbps: Estimate,
    pub peak_kbps: Estimate,
    /// Mean over the link's bandwidth.
    pub utilization: Estimate,
}

/// One place call admission control counts audio.
#[derive(Debug, Clone, Serialize)]
pub struct CacElementFigures {
    /// `site:<name>`, `region-link:<name>`, `inter-site:<name>` or a WAN link's name.
    pub name: String,
    pub policy: String,
    pub audio_limit_kbps: u32,
    pub audio_session_limit_kbps: u32,
    /// Admitted audio.
    pub mean_kbps: Estimate,
    pub peak_kbps: Estimate,
    pub denials: Estimate,
}

/// Voice quality of answered calls (see src/sim/quality.rs for the model).
#[derive(Debug, Clone, Serialize)]
pub struct MosFigures {
    /// Calls scored per replication.
    pub scored: Estimate,
    /// Null when no call was scored.
    pub mean: Option<Estimate>,
    pub p5: Option<Estimate>,
    /// Share of calls under MOS 3.1 (R 60).
    pub poor_share: Option<Estimate>,
    /// The distribution: the MOS at or below which each share of the
    /// scored calls falls (shares in [`CDF_SHARES`]).
    pub cdf: Vec<CdfPoint>,
    pub sites: Vec<MosGroup>,
    pub trunks: Vec<MosGroup>,
    /// Calls whose media crossed each WAN link.
    pub links: Vec<MosGroup>,
}

/// Shares of calls at which the MOS distribution is given.
pub const CDF_SHARES: [f64; 15] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99];

/// One point of a MOS distribution: `share` of the calls score `mos` or
/// less.
#[derive(Debug, Clone, Serialize)]
pub struct CdfPoint {
    pub share: f64,
    pub mos: Estimate,
}

fn cdf(reps: &[Replication], pick: impl Fn(&Replication) -> &crate::sim::quality::MosStats) -> Vec<CdfPoint> {
    CDF_SHARES
        .iter()
        .filter_map(|&q| figures::mos_quantile(reps, &pick, q).map(|mos| CdfPoint { share: q, mos }))
        .collect()
}

/// MOS of the calls of one site or trunk (sites and trunks with scored calls).
#[derive(Debug, Clone, Serialize)]
pub struct MosGroup {
    pub name: String,
    pub mean: Option<Estimate>,
    /// 5th percentile: 95% of the calls score this or better.
    pub p5: Option<Estimate>,
    pub poor_share: Option<Estimate>,
    pub cdf: Vec<CdfPoint>,
}

fn mos_groups(
    names: Vec<String>,
    reps: &[Replication],
    pick: impl Fn(&Replication) -> &[crate::sim::quality::MosStats],
) -> Vec<MosGroup> {
    names
        .into_iter()
        .enumerate()
        .filter(|(i, _)| reps.iter().any(|r| pick(r)[*i].count > 0))
        .map(|(i, name)| MosGroup {
            name,
            mean: figures::mos_mean(reps, |r| &pick(r)[i]),
            p5: figures::mos_quantile(reps, |r| &pick(r)[i], 0.05),
            poor_share: figures::poor_share(reps, |r| &pick(r)[i]),
            cdf: cdf(reps, |r| &pick(r)[i]),
        })
        .collect()
}

/// What call admission control did, per replication.
#[derive(Debug, Clone, Serialize)]
pub struct CacFigures {
    pub denials: Estimate,
    /// PSTN trunk attempts that failed over because a media leg was denied.
    pub trunk_failovers: Estimate,
    /// Internal calls rerouted over the PSTN.
    pub rerouted_pstn: Estimate,
    pub voicemail: Estimate,
    /// Calls that failed for want of bandwidth and of a reroute.
    pub failed: Estimate,
    pub elements: Vec<CacElementFigures>,
}

/// What one scenario failure did, per replication.
#[derive(Debug, Clone, Serialize)]
pub struct FailureFigures {
    pub name: String,
    pub element: String,
    pub episodes: Estimate,
    /// Calls in progress cut off.
    pub dropped: Estimate,
    /// Attempts sent to it while failed (before it was marked down, or
    /// while degraded).
    pub attempts_on_failed_element: Estimate,
    /// Calls that hit it and then completed through another trunk.
    pub rescued: Estimate,
    /// Calls that hit it and then never connected.
    pub lost: Estimate,
    /// Post-dial delay those attempts added, in seconds per replication.
    pub extra_pdd_s: Estimate,
    /// Mean time from failure to mark-down over every episode marked
    /// down (null when none was).
    pub time_to_detect_s: Option<Estimate>,
    /// Mean time from repair to mark-up (null when never).
    pub time_to_recover_s: Option<Estimate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub source: String,
    pub model: String,
    pub duration_s: f64,
    pub warm_up_s: f64,
    pub measured_s: f64,
    pub replications: u32,
    pub seed: u64,
    pub bucket_s: f64,
    /// Every source's load as a multiple of the scenario file's.
    pub load_factor: f64,
}

/// Call outcomes per replication, each a count.
#[derive(Debug, Clone, Serialize)]
pub struct CallFigures {
    pub offered: Estimate,
    pub carried: Estimate,
    pub blocked: Estimate,
    /// Of blocked: refused by a full resource at least once.
    pub blocked_full: Estimate,
    pub not_authorized: Estimate,
    pub failed: Estimate,
    pub dropped: Estimate,
    pub failed_over: Estimate,
    pub completed: Estimate,
    /// Of offered: redials of blocked calls.
    pub redials: Estimate,
    /// Of blocked: attempts after which the caller did not redial.
    pub given_up: Estimate,
}

#[derive(Debug, Clone, Serialize)]
pub struct PddFigures {
    /// Null when no call got ringback from a trunk.
    pub mean: Option<Estimate>,
    pub p95: Option<Estimate>,
}

/// The calls of one direction and their grade of service.
#[derive(Debug, Clone, Serialize)]
pub struct DirectionFigures {
    pub direction: Direction,
    pub calls: CallFigures,
    /// Blocked over offered less not authorized (for internal calls, the
    /// share blocked by the WAN or call admission control).
    pub grade_of_service: Option<Estimate>,
}

/// Call figures of a site or a traffic source.
#[derive(Debug, Clone, Serialize)]
pub struct GroupFigures {
    pub name: String,
    /// Every call, all directions together.
    pub calls: CallFigures,
    /// The calls that needed the PSTN side.
    pub pstn_calls: CallFigures,
    /// Their grade of service; null when none needed it.
    pub grade_of_service: Option<Estimate>,
    pub caller_loss: Option<Estimate>,
    pub directions: Vec<DirectionFigures>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteFigures {
    pub name: String,
    /// Calls that tried at least one trunk of the route.
    pub offered: Estimate,
    /// Of those, calls the route did not carry (all its trunks tried were
    /// full or down): most go on to a later route.
    pub overflowed: Estimate,
    /// Of those, calls then blocked.
    pub blocked: Estimate,
    /// Blocked over offered; null when no call tried the route.
    pub grade_of_service: Option<Estimate>,
    /// Overflowed over offered.
    pub overflow_share: Option<Estimate>,
}

/// A finite resource: a peer (gateway channels, ITSP sessions), a trunk
/// or a Mediation pool.
#[derive(Debug, Clone, Serialize)]
pub struct ElementFigures {
    pub name: String,
    pub kind: String,
    pub capacity: Option<u32>,
    pub attempts: Estimate,
    /// Attempts it refused for want of room (a 503 to the Mediation
    /// Server): most overflow to another trunk.
    pub rejected: Estimate,
    /// Rejected over attempts: not a share of lost calls.
    pub rejected_share: Option<Estimate>,
    /// Calls it refused that another trunk then carried.
    pub overflowed: Estimate,
    /// Calls it refused that were then blocked: lost.
    pub lost: Estimate,
    /// Lost over attempts.
    pub lost_share: Option<Estimate>,
    /// Mean occupancy over the measured window (carried Erlangs).
    pub carried_erlangs: Estimate,
    pub peak_occupancy: Estimate,
    /// Carried Erlangs over capacity, when limited.
    pub utilization: Option<Estimate>,
}

/// How much was simulated (identical for identical inputs).
#[derive(Debug, Clone, Serialize)]
pub struct Work {
    pub calls: u64,
    pub events: u64,
    pub peak_calls_in_progress: usize,
}

fn calls(reps: &[Replication], pick: impl Fn(&Replication) -> Counts) -> CallFigures {
    let e = |f: fn(&Counts) -> u64| count(reps, |r| f(&pick(r)));
    CallFigures {
        offered: e(|c| c.offered),
        carried: e(|c| c.carried),
        blocked: e(|c| c.blocked),
        blocked_full: e(|c| c.blocked_full),
        not_authorized: e(|c| c.not_authorized),
        failed: e(|c| c.failed),
        dropped: e(|c| c.dropped),
        failed_over: e(|c| c.failed_over),
        completed: e(|c| c.completed),
        redials: e(|c| c.redials),
        given_up: e(|c| c.given_up),
    }
}

/// Each direction's figures of the tally `pick` chooses.
fn directions(reps: &[Replication], pick: impl Fn(&Replication) -> &Tally) -> Vec<DirectionFigures> {
    Direction::ALL
        .into_iter()
        .map(|d| DirectionFigures {
            direction: d,
            calls: calls(reps, |r| *pick(r).get(d)),
            grade_of_service: figures::grade_of_service(reps, |r| *pick(r).get(d)),
        })
        .collect()
}

/// A site's or source's figures.
fn group(name: String, reps: &[Replication], pick: impl Fn(&Replication) -> &Tally) -> GroupFigures {
    GroupFigures {
        name,
        calls: calls(reps, |r| pick(r).total()),
        pstn_calls: calls(reps, |r| pick(r).pstn()),
        grade_of_service: figures::grade_of_service(reps, |r| pick(r).pstn()),
        caller_loss: figures::caller_loss(reps, |r| pick(r).pstn()),
        directions: directions(reps, &pick),
    }
}

/// The `i`th occupancy of those `pick` chooses.
fn nth<'p>(
    pick: &'p impl for<'r> Fn(&'r Replication) -> &'r [Occupancy],
    i: usize,
) -> impl for<'r> Fn(&'r Replication) -> &'r Occupancy + 'p {
    move |r| &pick(r)[i]
}

fn elements(
    reps: &[Replication],
    names: Vec<(String, String)>,
    pick: impl for<'r> Fn(&'r Replication) -> &'r [Occupancy],
) -> Vec<ElementFigures> {
    names
        .into_iter()
        .enumerate()
        .map(|(i, (name, kind))| {
            let one = nth(&pick, i);
            let capacity = reps.first().and_then(|r| one(r).capacity);
            ElementFigures {
                name,
                kind,
                capacity,
                attempts: count(reps, |r| one(r).attempts),
                rejected: count(reps, |r| one(r).rejected),
                rejected_share: figures::rejected_share(reps, |r| vec![one(r)]),
                overflowed: count(reps, |r| one(r).overflowed),
                lost: count(reps, |r| one(r).lost),
                lost_share: figures::lost_share(reps, &one),
                carried_erlangs: figures::carried_erlangs(reps, &one),
                // Never above the capacity, when there is one.
                peak_occupancy: match capacity {
                    Some(c) => Estimate::bounded(
                        &reps.iter().map(|r| f64::from(one(r).peak)).collect::<Vec<_>>(),
                        0.0,
                        f64::from(c),
                    ),
                    None => level(reps, |r| f64::from(one(r).peak)),
                },
                utilization: capacity.map(|c| figures::utilization(reps, &one, c)),
            }
        })
        .collect()
}

/// Builds the summary of a run's replications.
pub fn summarize(model: &Model, scenario: &Scenario, reps: &[Replication]) -> Summary {
    let s = |us: u64| us as f64 / 1e6;
    Summary {
        schema_version: SCHEMA_VERSION,
        scenario: ScenarioInfo {
            name: scenario.name.clone(),
            source: scenario.source.clone(),
            model: model.source.clone(),
            duration_s: s(scenario.duration.0),
            warm_up_s: s(scenario.warm_up.0),
            measured_s: s(scenario.duration.0 - scenario.warm_up.0),
            replications: reps.len() as u32,
            seed: scenario.seed,
            bucket_s: s(scenario.bucket.0),
            load_factor: scenario.load_factor,
        },
        precision: None,
        calls: calls(reps, |r| r.counts.total()),
        pstn_calls: calls(reps, |r| r.counts.pstn()),
        grade_of_service: figures::overall_grade_of_service(reps),
        caller_loss: figures::caller_loss(reps, |r| r.counts.pstn()),
        directions: directions(reps, |r| &r.counts),
        pdd_ms: PddFigures { mean: figures::pdd_mean_ms(reps), p95: figures::pdd_quantile_ms(reps, 0.95) },
        sites: (0..model.sites.len()).map(|i| group(model.sites[i].name.clone(), reps, |r| &r.per_site[i])).collect(),
        sources: (0..scenario.sources.len())
            .map(|i| group(scenario.sources[i].name.clone(), reps, |r| &r.per_source[i]))
            .collect(),
        routes: (0..model.routes.len())
            .map(|i| {
                let pair = |r: &Replication, f: fn(&crate::sim::metrics::RouteCounts) -> u64| {
                    (f(&r.per_route[i]), r.per_route[i].offered)
                };
                RouteFigures {
                    name: model.routes[i].name.clone(),
                    offered: count(reps, |r| r.per_route[i].offered),
                    overflowed: count(reps, |r| r.per_route[i].overflowed),
                    blocked: count(reps, |r| r.per_route[i].blocked),
                    grade_of_service: Estimate::proportion(
                        &reps.iter().map(|r| pair(r, |c| c.blocked)).collect::<Vec<_>>(),
                    ),
                    overflow_share: Estimate::proportion(
                        &reps.iter().map(|r| pair(r, |c| c.overflowed)).collect::<Vec<_>>(),
                    ),
                }
            })
            .collect(),
        peers: elements(reps, model.peers.iter().map(|p| (p.name.clone(), p.kind.label().to_owned())).collect(), |r| {
            &r.peers
        }),
        trunks: elements(reps, model.trunks.iter().map(|t| (t.name.clone(), "trunk".to_owned())).collect(), |r| {
            &r.trunks
        }),
        mediation_pools: elements(
            reps,
            model.mediation_pools.iter().map(|p| (p.fqdn.clone(), "mediation-pool".to_owned())).collect(),
            |r| &r.mediation_pools,
        ),
        links: model
            .links
            .iter()
            .enumerate()
            .map(|(i, l)| LinkFigures {
                name: l.name.clone(),
                bandwidth_kbps: l.bandwidth_kbps,
                mean_kbps: level(reps, |r| r.links[i].mean(&r.window) / 10.0),
                peak_kbps: level(reps, |r| f64::from(r.links[i].peak) / 10.0),
                // Media is reserved, never refused, on a link: it can be
                // over 1.
                utilization: level(reps, |r| r.links[i].mean(&r.window) / 10.0 / f64::from(l.bandwidth_kbps.max(1))),
            })
            .collect(),
        mos: MosFigures {
            scored: count(reps, |r| r.mos.count),
            mean: figures::mos_mean(reps, |r| &r.mos),
            p5: figures::mos_quantile(reps, |r| &r.mos, 0.05),
            poor_share: figures::poor_share(reps, |r| &r.mos),
            cdf: cdf(reps, |r| &r.mos),
            sites: mos_groups(model.sites.iter().map(|s| s.name.clone()).collect(), reps, |r| &r.mos_per_site),
            trunks: mos_groups(model.trunks.iter().map(|t| t.name.clone()).collect(), reps, |r| &r.mos_per_trunk),
            links: mos_groups(model.links.iter().map(|l| l.name.clone()).collect(), reps, |r| &r.mos_per_link),
        },
        cac: CacFigures {
            denials: count(reps, |r| r.cac.denials),
            trunk_failovers: count(reps, |r| r.cac.trunk_failovers),
            rerouted_pstn: count(reps, |r| r.cac.rerouted_pstn),
            voicemail: count(reps, |r| r.cac.voicemail),
            failed: count(reps, |r| r.cac.failed),
            elements: model
                .cac_elements
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let p = &model.bandwidth_policies[e.policy];
                    CacElementFigures {
                        name: e.name.clone(),
                        policy: p.name.clone(),
                        audio_limit_kbps: p.audio_limit_kbps,
                        audio_session_limit_kbps: p.audio_session_limit_kbps,
                        mean_kbps: level(reps, |r| r.cac_audio[i].mean(&r.window) / 10.0),
                        peak_kbps: level(reps, |r| f64::from(r.cac_audio[i].peak) / 10.0),
                        denials: count(reps, |r| r.cac_denials[i]),
                    }
                })
                .collect(),
        },
        failures: scenario
            .failures
            .iter()
            .enumerate()
            .map(|(i, f)| {
                // Mean time per episode, pooled over the replications.
                let per = |num: fn(&crate::sim::metrics::FailureCounts) -> u64,
                           den: fn(&crate::sim::metrics::FailureCounts) -> u64| {
                    let pairs: Vec<(f64, u64)> =
                        reps.iter().map(|r| (num(&r.failures[i]) as f64 / 1e6, den(&r.failures[i]))).collect();
                    Estimate::weighted_mean(&pairs, super::stats::Range::NonNegative)
                };
                FailureFigures {
                    name: f.name.clone(),
                    element: f.target.label(model),
                    episodes: count(reps, |r| r.failures[i].episodes),
                    dropped: count(reps, |r| r.failures[i].dropped),
                    attempts_on_failed_element: count(reps, |r| r.failures[i].undetected_attempts),
                    rescued: count(reps, |r| r.failures[i].rescued),
                    lost: count(reps, |r| r.failures[i].lost),
                    extra_pdd_s: level(reps, |r| r.failures[i].extra_pdd_us as f64 / 1e6),
                    time_to_detect_s: per(|c| c.detect_us, |c| c.detections),
                    time_to_recover_s: per(|c| c.recover_us, |c| c.recoveries),
                }
            })
            .collect(),
        failure_impact: None,
        work: Work {
            calls: reps.iter().map(|r| r.calls).sum(),
            events: reps.iter().map(|r| r.events).sum(),
            peak_calls_in_progress: reps.iter().map(|r| r.peak_calls).max().unwrap_or(0),
        },
        pattern_limit_hits: reps.iter().fold(Default::default(), |mut all, r| {
            all.add(&r.pattern_limit_hits);
            all
        }),
    }
}
