//! `summary.json`: every figure of a run, those that vary between
//! replications as `{mean, ci95_low, ci95_high}`, each defined in
//! `figures` and read from the run's [`Results`]. The schema is
//! documented in docs/results.md.

use serde::Serialize;

use crate::model::Model;
use crate::scenario::Scenario;
use crate::sim::metrics::Direction;

pub use super::figures::CDF_SHARES;
use super::figures::{count, level, MosSums, StreamSums, TallySums};
use super::paired::ImpactSums;
use super::results::{ElementSums, Results};
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
    pub pattern_limit_hits: crate::pattern::limit::LimitHits,
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
pub fn impact(model: &Model, sums: &ImpactSums) -> Impact {
    Impact {
        calls_lost: Estimate::difference(&sums.calls_lost),
        blocked: Estimate::difference(&sums.blocked),
        dropped: Estimate::difference(&sums.dropped),
        grade_of_service: Estimate::proportion_difference(&sums.grade_of_service),
        pdd_mean_ms: Estimate::difference(&sums.pdd_mean_ms),
        sites: model
            .sites
            .iter()
            .zip(&sums.sites)
            .map(|(site, s)| SiteImpact {
                name: site.name.clone(),
                blocked: Estimate::difference(&s.blocked),
                grade_of_service: Estimate::proportion_difference(&s.grade_of_service),
            })
            .collect(),
        windows: sums
            .windows
            .iter()
            .map(|w| WindowImpact {
                failure: w.failure.clone(),
                from_s: w.from_s,
                to_s: w.to_s,
                blocked_with: count(&w.blocked_with),
                blocked_without: count(&w.blocked_without),
                blocked_difference: Estimate::difference(&w.blocked_difference),
                grade_of_service_with: Estimate::proportion(&w.grade_of_service_with),
                grade_of_service_without: Estimate::proportion(&w.grade_of_service_without),
            })
            .collect(),
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

/// One point of a MOS distribution: `share` of the calls score `mos` or
/// less.
#[derive(Debug, Clone, Serialize)]
pub struct CdfPoint {
    pub share: f64,
    pub mos: Estimate,
}

fn cdf(m: &MosSums) -> Vec<CdfPoint> {
    m.cdf().into_iter().map(|(share, mos)| CdfPoint { share, mos }).collect()
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

fn mos_groups(names: Vec<String>, sums: &[MosSums]) -> Vec<MosGroup> {
    names
        .into_iter()
        .zip(sums)
        .filter(|(_, m)| m.any())
        .map(|(name, m)| MosGroup { name, mean: m.mean(), p5: m.p5(), poor_share: m.poor_share(), cdf: cdf(m) })
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

fn calls(s: &StreamSums) -> CallFigures {
    CallFigures {
        offered: count(&s.offered),
        carried: count(&s.carried),
        blocked: count(&s.blocked),
        blocked_full: count(&s.blocked_full),
        not_authorized: count(&s.not_authorized),
        failed: count(&s.failed),
        dropped: count(&s.dropped),
        failed_over: count(&s.failed_over),
        completed: count(&s.completed),
        redials: count(&s.redials),
        given_up: count(&s.given_up),
    }
}

/// Each direction's figures.
fn directions(t: &TallySums) -> Vec<DirectionFigures> {
    Direction::ALL
        .into_iter()
        .zip(&t.directions)
        .map(|(d, s)| DirectionFigures { direction: d, calls: calls(s), grade_of_service: s.grade_of_service() })
        .collect()
}

/// A site's or source's figures.
fn group(name: String, t: &TallySums) -> GroupFigures {
    GroupFigures {
        name,
        calls: calls(&t.total),
        pstn_calls: calls(&t.pstn),
        grade_of_service: t.pstn.grade_of_service(),
        caller_loss: t.pstn.caller_loss(),
        directions: directions(t),
    }
}

fn elements(names: Vec<(String, String)>, sums: &[ElementSums]) -> Vec<ElementFigures> {
    names
        .into_iter()
        .zip(sums)
        .map(|((name, kind), e)| {
            let f = &e.figures;
            ElementFigures {
                name,
                kind,
                capacity: f.capacity,
                attempts: count(&f.attempts),
                rejected: count(&f.rejected),
                rejected_share: f.rejected_share(),
                overflowed: count(&f.overflowed),
                lost: count(&f.lost),
                lost_share: f.lost_share(),
                carried_erlangs: f.carried_erlangs(),
                peak_occupancy: f.peak_occupancy(),
                utilization: f.utilization(),
            }
        })
        .collect()
}

/// Builds the summary of a run from its results.
pub fn summarize(model: &Model, scenario: &Scenario, results: &Results) -> Summary {
    let s = |us: u64| us as f64 / 1e6;
    let c = &results.cac;
    Summary {
        schema_version: SCHEMA_VERSION,
        scenario: ScenarioInfo {
            name: scenario.name.clone(),
            source: scenario.source.clone(),
            model: model.source.clone(),
            duration_s: s(scenario.duration.0),
            warm_up_s: s(scenario.warm_up.0),
            measured_s: s(scenario.duration.0 - scenario.warm_up.0),
            replications: results.replications(),
            seed: scenario.seed,
            bucket_s: s(scenario.bucket.0),
            load_factor: scenario.load_factor,
        },
        precision: None,
        calls: calls(&results.counts.total),
        pstn_calls: calls(&results.counts.pstn),
        grade_of_service: results.grade_of_service(),
        caller_loss: results.counts.pstn.caller_loss(),
        directions: directions(&results.counts),
        pdd_ms: PddFigures { mean: results.pdd.mean_ms(), p95: results.pdd.p95_ms() },
        sites: model.sites.iter().zip(&results.sites).map(|(site, t)| group(site.name.clone(), t)).collect(),
        sources: scenario.sources.iter().zip(&results.sources).map(|(src, t)| group(src.name.clone(), t)).collect(),
        routes: model
            .routes
            .iter()
            .zip(&results.routes)
            .map(|(route, r)| RouteFigures {
                name: route.name.clone(),
                offered: count(&r.offered),
                overflowed: count(&r.overflowed),
                blocked: count(&r.blocked),
                grade_of_service: r.grade_of_service(),
                overflow_share: r.overflow_share(),
            })
            .collect(),
        peers: elements(
            model.peers.iter().map(|p| (p.name.clone(), p.kind.label().to_owned())).collect(),
            &results.peers,
        ),
        trunks: elements(model.trunks.iter().map(|t| (t.name.clone(), "trunk".to_owned())).collect(), &results.trunks),
        mediation_pools: elements(
            model.mediation_pools.iter().map(|p| (p.fqdn.clone(), "mediation-pool".to_owned())).collect(),
            &results.mediation_pools,
        ),
        links: model
            .links
            .iter()
            .zip(&results.links)
            .map(|(l, sums)| LinkFigures {
                name: l.name.clone(),
                bandwidth_kbps: l.bandwidth_kbps,
                mean_kbps: level(&sums.mean_kbps),
                peak_kbps: level(&sums.peak_kbps),
                // Media is reserved, never refused, on a link: it can be
                // over 1.
                utilization: level(&sums.utilization),
            })
            .collect(),
        mos: MosFigures {
            scored: count(&results.mos.scored),
            mean: results.mos.mean(),
            p5: results.mos.p5(),
            poor_share: results.mos.poor_share(),
            cdf: cdf(&results.mos),
            sites: mos_groups(model.sites.iter().map(|s| s.name.clone()).collect(), &results.mos_sites),
            trunks: mos_groups(model.trunks.iter().map(|t| t.name.clone()).collect(), &results.mos_trunks),
            links: mos_groups(model.links.iter().map(|l| l.name.clone()).collect(), &results.mos_links),
        },
        cac: CacFigures {
            denials: count(&c.denials),
            trunk_failovers: count(&c.trunk_failovers),
            rerouted_pstn: count(&c.rerouted_pstn),
            voicemail: count(&c.voicemail),
            failed: count(&c.failed),
            elements: model
                .cac_elements
                .iter()
                .zip(&c.elements)
                .map(|(e, sums)| {
                    let p = &model.bandwidth_policies[e.policy];
                    CacElementFigures {
                        name: e.name.clone(),
                        policy: p.name.clone(),
                        audio_limit_kbps: p.audio_limit_kbps,
                        audio_session_limit_kbps: p.audio_session_limit_kbps,
                        mean_kbps: level(&sums.mean_kbps),
                        peak_kbps: level(&sums.peak_kbps),
                        denials: count(&sums.denials),
                    }
                })
                .collect(),
        },
        failures: scenario
            .failures
            .iter()
            .zip(&results.failures)
            .map(|(f, sums)| FailureFigures {
                name: f.name.clone(),
                element: f.target.label(model),
                episodes: count(&sums.episodes),
                dropped: count(&sums.dropped),
                attempts_on_failed_element: count(&sums.undetected_attempts),
                rescued: count(&sums.rescued),
                lost: count(&sums.lost),
                extra_pdd_s: level(&sums.extra_pdd_s),
                time_to_detect_s: sums.time_to_detect_s(),
                time_to_recover_s: sums.time_to_recover_s(),
            })
            .collect(),
        failure_impact: None,
        work: Work {
            calls: results.work.calls,
            events: results.work.events,
            peak_calls_in_progress: results.work.peak_calls_in_progress,
        },
        pattern_limit_hits: results.pattern_limit_hits.clone(),
    }
}
