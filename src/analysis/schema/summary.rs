//! `summary.json`: every figure of a run, those that vary between
//! replications as `{mean, ci95_low, ci95_high}` ([`Estimate`]). Each
//! figure is defined in `analysis::figures` and filled in by
//! `analysis::summary`; docs/results.md documents the file.

use serde::{Deserialize, Serialize};

use crate::analysis::run::PrecisionOutcome;
use crate::analysis::stats::Estimate;
use crate::sim::metrics::Direction;

use super::ResultFile;

/// Version of the `summary.json` schema.
pub const SCHEMA_VERSION: u32 = 2;

/// `summary.json`: every figure of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// Calls ended by a trunk attempt's final response that does not fail
    /// over, per response code after translation: the codes some
    /// replication saw, lowest first (docs/results.md).
    #[serde(default)]
    pub final_responses: Vec<FinalResponseFigures>,
    /// With failures against the same calls without them (paired
    /// replications, same seed); null when the scenario has no failures.
    pub failure_impact: Option<Impact>,
    pub work: Work,
    /// Pattern evaluations that reached the matching limit in all
    /// replications, and the first (docs/results.md).
    pub pattern_limit_hits: crate::pattern::limit::LimitHits,
    /// With `[[tariff]]`s: what the carried calls cost; absent without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<CostFigures>,
}

/// Differences (with failures - without) of paired replications: each
/// estimate is over the per-replication differences.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Impact {
    /// Blocked + dropped + failed calls lost to the failures.
    pub calls_lost: Estimate,
    pub blocked: Estimate,
    pub dropped: Estimate,
    /// Change of the grade of service (calls needing the PSTN side).
    pub grade_of_service: Option<Estimate>,
    /// Over the replications where calls reached ringback with the
    /// failures and without (null when none did).
    pub pdd_mean_ms: Option<Estimate>,
    /// Per site: extra blocked calls.
    pub sites: Vec<SiteImpact>,
    /// Blocked calls arriving while each scheduled failure lasted, with and
    /// without it (by time bucket: the window is widened to whole buckets).
    pub windows: Vec<WindowImpact>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SiteImpact {
    pub name: String,
    pub blocked: Estimate,
    pub grade_of_service: Option<Estimate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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

/// Bandwidth on a WAN link (media of the calls using it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkFigures {
    pub name: String,
    pub bandwidth_kbps: u32,
    pub mean_kbps: Estimate,
    pub peak_kbps: Estimate,
    /// Mean over the link's bandwidth.
    pub utilization: Estimate,
}

/// One place call admission control counts audio.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacElementFigures {
    /// `site:<name>`, `region-link:<name>`, `inter-site:<name>` or a WAN link's name.
    pub name: String,
    pub policy: String,
    /// Null: no aggregate audio limit (a session limit alone).
    pub audio_limit_kbps: Option<u32>,
    /// Null: the policy does not check audio.
    pub audio_session_limit_kbps: Option<u32>,
    /// Admitted audio.
    pub mean_kbps: Estimate,
    pub peak_kbps: Estimate,
    pub denials: Estimate,
    /// Video, present only when the model has video (`[media] video_share`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<CacVideoFigures>,
}

/// Video on one CAC element, per replication.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacVideoFigures {
    /// The policy's video limits; null when it has none.
    pub video_limit_kbps: Option<u32>,
    pub video_session_limit_kbps: Option<u32>,
    /// Admitted video.
    pub mean_kbps: Estimate,
    pub peak_kbps: Estimate,
    /// Video sessions admitted and denied on it.
    pub admitted: Estimate,
    pub denied: Estimate,
}

/// Video of calls between users, per replication.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VideoFigures {
    /// Calls whose users added video.
    pub sessions: Estimate,
    /// Of those, calls whose video call admission control denied (they
    /// went on with audio only).
    pub denied: Estimate,
}

/// Voice quality of answered calls (see src/sim/scoring.rs for the model).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MosFigures {
    /// Calls scored per replication.
    pub scored: Estimate,
    /// Null when no call was scored.
    pub mean: Option<Estimate>,
    pub p5: Option<Estimate>,
    /// Share of calls under MOS 3.1 (R 60).
    pub poor_share: Option<Estimate>,
    /// The distribution: the MOS at or below which each share of the
    /// scored calls falls (shares in [`CDF_SHARES`](crate::analysis::figures::CDF_SHARES)).
    pub cdf: Vec<CdfPoint>,
    pub sites: Vec<MosGroup>,
    pub trunks: Vec<MosGroup>,
    /// Calls whose media crossed each WAN link.
    pub links: Vec<MosGroup>,
}

/// One point of a MOS distribution: `share` of the calls score `mos` or
/// less.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CdfPoint {
    pub share: f64,
    pub mos: Estimate,
}

/// MOS of the calls of one site or trunk (sites and trunks with scored calls).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MosGroup {
    pub name: String,
    pub mean: Option<Estimate>,
    /// 5th percentile: 95% of the calls score this or better.
    pub p5: Option<Estimate>,
    pub poor_share: Option<Estimate>,
    pub cdf: Vec<CdfPoint>,
}

/// What call admission control did, per replication.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacFigures {
    pub denials: Estimate,
    /// PSTN trunk attempts that failed over because a media leg was denied.
    pub trunk_failovers: Estimate,
    /// Internal calls rerouted over the PSTN.
    pub rerouted_pstn: Estimate,
    pub voicemail: Estimate,
    /// Calls that failed for want of bandwidth and of a reroute.
    pub failed: Estimate,
    /// Present only when the model has video (`[media] video_share`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoFigures>,
    pub elements: Vec<CacElementFigures>,
}

/// What one scenario failure did, per replication.
#[derive(Debug, Clone, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// The hour of day (0-23) at the run's start, for clock time on the
    /// report's charts; 0 in files written before it was recorded.
    #[serde(default)]
    pub start_hour: u8,
}

/// Call outcomes per replication, each a count.
#[derive(Debug, Clone, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PddFigures {
    /// Null when no call got ringback from a trunk.
    pub mean: Option<Estimate>,
    pub p95: Option<Estimate>,
}

/// The calls of one direction and their grade of service.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DirectionFigures {
    pub direction: Direction,
    pub calls: CallFigures,
    /// Blocked over offered less not authorized (for internal calls, the
    /// share blocked by the WAN or call admission control).
    pub grade_of_service: Option<Estimate>,
}

/// Call figures of a site or a traffic source.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// A source hunting over `trunks`: where the carrier delivered its
    /// calls (absent for any other source and for sites).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hunting: Option<HuntingFigures>,
}

/// What the carried calls cost on the scenario's `[[tariff]]`s
/// (docs/results.md, "Cost"): overall, per route and per peer (routes and
/// peers that answered a call).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CostFigures {
    pub total: CostGroup,
    pub routes: Vec<CostGroup>,
    pub peers: Vec<CostGroup>,
}

/// One group's costs, in the tariffs' currency per replication.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CostGroup {
    pub name: String,
    /// Measured answered outbound and inter-trunk calls priced.
    pub calls: Estimate,
    /// Those whose carrying peer had no tariff for the number (not in the
    /// costs).
    pub unpriced: Estimate,
    /// On the trunks that carried them.
    pub cost: Estimate,
    /// Each on its first candidate trunk.
    pub cost_first_choice: Estimate,
    /// Each on its dearest candidate trunk.
    pub cost_dearest: Estimate,
    /// `cost - cost_first_choice`, paired: what the failover routes cost.
    pub failover_cost: Estimate,
    /// `cost_dearest - cost`, paired: what least-cost routing saves.
    pub routing_savings: Estimate,
}

/// Carrier hunting of one source over its `trunks` (docs/results.md,
/// "Carrier hunting"): call attempts per trunk they landed on, in the
/// list's order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HuntingFigures {
    pub trunks: Vec<HuntedTrunk>,
    /// Attempts delivered to a later trunk than the first.
    pub hunted: Estimate,
    /// Attempts no trunk of the list could take (all busy or down).
    pub blocked_at_carrier: Estimate,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HuntedTrunk {
    pub name: String,
    pub landed: Estimate,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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

/// Calls ended by one final response code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FinalResponseFigures {
    /// The response code after the trunk configuration's response-code
    /// translation rules.
    pub code: u16,
    /// Calls per replication.
    pub calls: Estimate,
}

/// How much was simulated (identical for identical inputs).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Work {
    pub calls: u64,
    pub events: u64,
    pub peak_calls_in_progress: usize,
}

impl ResultFile for Summary {
    const FILE: &'static str = "summary.json";
    const SCHEMA_VERSION: u32 = SCHEMA_VERSION;
}
