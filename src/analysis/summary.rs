//! `summary.json`: every figure of a run, those that vary between
//! replications as `{mean, ci95_low, ci95_high}`. The schema is documented
//! in docs/results.md and only ever grows.

use serde::Serialize;

use crate::model::Model;
use crate::scenario::Scenario;
use crate::sim::metrics::{ratio, Counts, Occupancy};
use crate::sim::Replication;

use super::stats::Estimate;

/// Version of the `summary.json` schema.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub schema_version: u32,
    pub scenario: ScenarioInfo,
    pub calls: CallFigures,
    /// Blocked share of the calls that needed a trunk.
    pub grade_of_service: Estimate,
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
}

/// Differences (with failures - without) of paired replications: each
/// estimate is over the per-replication differences.
#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    /// Blocked + dropped + failed calls lost to the failures.
    pub calls_lost: Estimate,
    pub blocked: Estimate,
    pub dropped: Estimate,
    pub grade_of_service: Estimate,
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
    pub grade_of_service: Estimate,
}

#[derive(Debug, Clone, Serialize)]
pub struct WindowImpact {
    pub failure: String,
    pub from_s: f64,
    pub to_s: f64,
    pub blocked_with: Estimate,
    pub blocked_without: Estimate,
    pub blocked_difference: Estimate,
}

fn paired(with: &[Replication], without: &[Replication], f: impl Fn(&Replication) -> f64) -> Estimate {
    Estimate::of(&with.iter().zip(without).map(|(a, b)| f(a) - f(b)).collect::<Vec<_>>())
}

/// The paired comparison of a run with failures and its baseline.
pub fn impact(model: &Model, scenario: &Scenario, with: &[Replication], without: &[Replication]) -> Impact {
    let lost = |r: &Replication| (r.counts.blocked + r.counts.dropped + r.counts.failed) as f64;
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
                blocked_with: est(with, blocked),
                blocked_without: est(without, blocked),
                blocked_difference: paired(with, without, blocked),
            }
        })
        .collect();
    Impact {
        calls_lost: paired(with, without, lost),
        blocked: paired(with, without, |r| r.counts.blocked as f64),
        dropped: paired(with, without, |r| r.counts.dropped as f64),
        grade_of_service: paired(with, without, |r| r.counts.grade_of_service()),
        pdd_mean_ms: paired(with, without, |r| r.pdd.mean_ms()),
        sites: (0..model.sites.len())
            .map(|i| SiteImpact {
                name: model.sites[i].name.clone(),
                blocked: paired(with, without, |r| r.per_site[i].blocked as f64),
                grade_of_service: paired(with, without, |r| r.per_site[i].grade_of_service()),
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
    pub mean: Estimate,
    pub p5: Estimate,
    /// Share of calls under MOS 3.1 (R 60).
    pub poor_share: Estimate,
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
    CDF_SHARES.iter().map(|&q| CdfPoint { share: q, mos: est(reps, |r| pick(r).quantile(q)) }).collect()
}

/// MOS of the calls of one site or trunk (sites and trunks with scored calls).
#[derive(Debug, Clone, Serialize)]
pub struct MosGroup {
    pub name: String,
    pub mean: Estimate,
    /// 5th percentile: 95% of the calls score this or better.
    pub p5: Estimate,
    pub poor_share: Estimate,
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
            mean: est(reps, |r| pick(r)[i].mean()),
            p5: est(reps, |r| pick(r)[i].quantile(0.05)),
            poor_share: est(reps, |r| pick(r)[i].poor_share()),
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
    /// Mean time from failure to mark-down, over replications where it
    /// was marked down (null when it never was).
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

#[derive(Debug, Clone, Serialize)]
pub struct CallFigures {
    pub offered: Estimate,
    pub carried: Estimate,
    pub internal: Estimate,
    pub blocked: Estimate,
    /// Of blocked: refused by a full resource at least once.
    pub blocked_full: Estimate,
    pub not_authorized: Estimate,
    pub failed: Estimate,
    pub dropped: Estimate,
    pub failed_over: Estimate,
    pub completed: Estimate,
}

#[derive(Debug, Clone, Serialize)]
pub struct PddFigures {
    pub mean: Estimate,
    pub p95: Estimate,
}

/// Call figures of a site or a traffic source.
#[derive(Debug, Clone, Serialize)]
pub struct GroupFigures {
    pub name: String,
    pub calls: CallFigures,
    pub grade_of_service: Estimate,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteFigures {
    pub name: String,
    /// Calls that tried at least one trunk of the route.
    pub offered: Estimate,
    /// Of those, calls the route did not carry (all its trunks tried were full).
    pub overflowed: Estimate,
    pub grade_of_service: Estimate,
}

/// A finite resource: a peer (gateway channels, ITSP sessions), a trunk
/// or a Mediation pool.
#[derive(Debug, Clone, Serialize)]
pub struct ElementFigures {
    pub name: String,
    pub kind: String,
    pub capacity: Option<u32>,
    pub attempts: Estimate,
    pub rejected: Estimate,
    /// Rejected share of attempts.
    pub grade_of_service: Estimate,
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

fn est(reps: &[Replication], f: impl Fn(&Replication) -> f64) -> Estimate {
    Estimate::of(&reps.iter().map(f).collect::<Vec<_>>())
}

fn calls(reps: &[Replication], pick: impl Fn(&Replication) -> &Counts) -> CallFigures {
    let e = |f: fn(&Counts) -> u64| est(reps, |r| f(pick(r)) as f64);
    CallFigures {
        offered: e(|c| c.offered),
        carried: e(|c| c.carried),
        internal: e(|c| c.internal),
        blocked: e(|c| c.blocked),
        blocked_full: e(|c| c.blocked_full),
        not_authorized: e(|c| c.not_authorized),
        failed: e(|c| c.failed),
        dropped: e(|c| c.dropped),
        failed_over: e(|c| c.failed_over),
        completed: e(|c| c.completed),
    }
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
            let occ: Vec<(&Occupancy, &Replication)> = reps.iter().map(|r| (&pick(r)[i], r)).collect();
            let e = |f: &dyn Fn(&Occupancy, &Replication) -> f64| {
                Estimate::of(&occ.iter().map(|(o, r)| f(o, r)).collect::<Vec<_>>())
            };
            let capacity = occ.first().and_then(|(o, _)| o.capacity);
            ElementFigures {
                name,
                kind,
                capacity,
                attempts: e(&|o, _| o.attempts as f64),
                rejected: e(&|o, _| o.rejected as f64),
                grade_of_service: e(&|o, _| ratio(o.rejected, o.attempts)),
                carried_erlangs: e(&|o, r| o.mean(&r.window)),
                peak_occupancy: e(&|o, _| f64::from(o.peak)),
                utilization: capacity.map(|c| e(&|o, r| o.mean(&r.window) / f64::from(c))),
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
            replications: scenario.replications,
            seed: scenario.seed,
            bucket_s: s(scenario.bucket.0),
            load_factor: scenario.load_factor,
        },
        calls: calls(reps, |r| &r.counts),
        grade_of_service: est(reps, |r| r.counts.grade_of_service()),
        pdd_ms: PddFigures { mean: est(reps, |r| r.pdd.mean_ms()), p95: est(reps, |r| r.pdd.quantile_ms(0.95)) },
        sites: (0..model.sites.len())
            .map(|i| GroupFigures {
                name: model.sites[i].name.clone(),
                calls: calls(reps, |r| &r.per_site[i]),
                grade_of_service: est(reps, |r| r.per_site[i].grade_of_service()),
            })
            .collect(),
        sources: (0..scenario.sources.len())
            .map(|i| GroupFigures {
                name: scenario.sources[i].name.clone(),
                calls: calls(reps, |r| &r.per_source[i]),
                grade_of_service: est(reps, |r| r.per_source[i].grade_of_service()),
            })
            .collect(),
        routes: (0..model.routes.len())
            .map(|i| RouteFigures {
                name: model.routes[i].name.clone(),
                offered: est(reps, |r| r.per_route[i].offered as f64),
                overflowed: est(reps, |r| r.per_route[i].overflowed as f64),
                grade_of_service: est(reps, |r| ratio(r.per_route[i].overflowed, r.per_route[i].offered)),
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
                mean_kbps: est(reps, |r| r.links[i].mean(&r.window) / 10.0),
                peak_kbps: est(reps, |r| f64::from(r.links[i].peak) / 10.0),
                utilization: est(reps, |r| r.links[i].mean(&r.window) / 10.0 / f64::from(l.bandwidth_kbps)),
            })
            .collect(),
        mos: MosFigures {
            scored: est(reps, |r| r.mos.count as f64),
            mean: est(reps, |r| r.mos.mean()),
            p5: est(reps, |r| r.mos.quantile(0.05)),
            poor_share: est(reps, |r| r.mos.poor_share()),
            cdf: cdf(reps, |r| &r.mos),
            sites: mos_groups(model.sites.iter().map(|s| s.name.clone()).collect(), reps, |r| &r.mos_per_site),
            trunks: mos_groups(model.trunks.iter().map(|t| t.name.clone()).collect(), reps, |r| &r.mos_per_trunk),
            links: mos_groups(model.links.iter().map(|l| l.name.clone()).collect(), reps, |r| &r.mos_per_link),
        },
        cac: CacFigures {
            denials: est(reps, |r| r.cac.denials as f64),
            trunk_failovers: est(reps, |r| r.cac.trunk_failovers as f64),
            rerouted_pstn: est(reps, |r| r.cac.rerouted_pstn as f64),
            voicemail: est(reps, |r| r.cac.voicemail as f64),
            failed: est(reps, |r| r.cac.failed as f64),
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
                        mean_kbps: est(reps, |r| r.cac_audio[i].mean(&r.window) / 10.0),
                        peak_kbps: est(reps, |r| f64::from(r.cac_audio[i].peak) / 10.0),
                        denials: est(reps, |r| r.cac_denials[i] as f64),
                    }
                })
                .collect(),
        },
        failures: scenario
            .failures
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let per = |num: fn(&crate::sim::metrics::FailureCounts) -> u64,
                           den: fn(&crate::sim::metrics::FailureCounts) -> u64| {
                    let xs: Vec<f64> = reps
                        .iter()
                        .map(|r| &r.failures[i])
                        .filter(|c| den(c) > 0)
                        .map(|c| num(c) as f64 / den(c) as f64 / 1e6)
                        .collect();
                    (!xs.is_empty()).then(|| Estimate::of(&xs))
                };
                FailureFigures {
                    name: f.name.clone(),
                    element: f.target.label(model),
                    episodes: est(reps, |r| r.failures[i].episodes as f64),
                    dropped: est(reps, |r| r.failures[i].dropped as f64),
                    attempts_on_failed_element: est(reps, |r| r.failures[i].undetected_attempts as f64),
                    rescued: est(reps, |r| r.failures[i].rescued as f64),
                    lost: est(reps, |r| r.failures[i].lost as f64),
                    extra_pdd_s: est(reps, |r| r.failures[i].extra_pdd_us as f64 / 1e6),
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
    }
}
