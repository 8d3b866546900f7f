//! What `voicetwin plan` finds, as written to `plan.json`: per growth
//! step, each element's load, today's size, the Erlang B size, the size
//! confirmed by simulation, and the N-1 sizes.

use super::*;

#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub scenario: String,
    pub model: String,
    pub target_gos: f64,
    /// A confirming run adds replications until each share it checks is
    /// clear of the target or within this share of it.
    pub precision_relative: f64,
    pub max_replications: u32,
    pub min_mos: Option<f64>,
    pub voice_share: f64,
    pub replications: u32,
    pub seed: u64,
    pub steps: Vec<PlanStep>,
}

/// The plan for one growth factor.
#[derive(Debug, Clone, Serialize)]
pub struct PlanStep {
    pub growth: f64,
    /// The confirming run's grade of service with the planned sizes
    /// (null when no call needed the PSTN side).
    pub grade_of_service: Option<Estimate>,
    /// Replications the confirming run took.
    pub replications: u32,
    /// Whether the targets were met within the rounds allowed.
    pub met: bool,
    pub peers: Vec<PeerPlan>,
    /// Trunks with a call limit (`max_calls`).
    pub trunks: Vec<TrunkPlan>,
    pub mediation_pools: Vec<PoolPlan>,
    pub bandwidth_policies: Vec<PolicyPlan>,
    pub wan_links: Vec<LinkPlan>,
    /// With `--n-minus-1`: the sizes that meet the target with any one
    /// peer, Mediation pool or Mediation Server failed for the whole run.
    pub n_minus_1: Option<NMinus1>,
}

/// Sizing for N-1: with any single failure, the calls blocked for want
/// of capacity still meet the target.
#[derive(Debug, Clone, Serialize)]
pub struct NMinus1 {
    /// Every failure's capacity blocking meets the target.
    pub met: bool,
    /// The failure with the most capacity blocking at these sizes.
    pub worst_failure: String,
    pub worst_blocked_full: Option<Estimate>,
    /// Every failure at these sizes, most calls blocked first.
    pub cases: Vec<FailureCase>,
    /// Channels or sessions per peer, in the order of `peers`.
    pub peers: Vec<u32>,
    /// Call limits, in the order of `trunks`.
    pub trunks: Vec<u32>,
    /// Servers per Mediation pool, in model order.
    pub mediation_pools: Vec<u32>,
    /// Audio limit (kbps) per bandwidth policy, in model order.
    pub bandwidth_policies: Vec<u32>,
}

/// One failure of the N-1 sizing, at the N-1 sizes.
#[derive(Debug, Clone, Serialize)]
pub struct FailureCase {
    pub failure: String,
    /// Grade of service (calls needing the PSTN side).
    pub grade_of_service: Option<Estimate>,
    /// Of those calls, the share blocked after a full resource refused
    /// them: what sizing fixes.
    pub blocked_full: Option<Estimate>,
    /// The rest (calls that met only failed elements or no route) is
    /// above the target: a routing gap no size fixes, such as the failed
    /// peer's inbound traffic or routes without an alternative.
    pub routing_gap: bool,
}

/// The call limit a trunk with one (`max_calls`) needs.
#[derive(Debug, Clone, Serialize)]
pub struct TrunkPlan {
    pub name: String,
    /// Offered load measured with today's sizes (overflow included).
    pub offered_erlangs: f64,
    pub today: u32,
    /// Share of its attempts it rejects with today's sizes at this growth.
    pub today_rejected: Option<Estimate>,
    pub erlang_b: u32,
    pub needed: u32,
    pub margin: i64,
}

/// Mediation Servers a pool needs at its per-server capacity.
#[derive(Debug, Clone, Serialize)]
pub struct PoolPlan {
    pub fqdn: String,
    /// Non-bypass sessions offered, with today's sizes.
    pub offered_erlangs: f64,
    pub calls_per_server: u32,
    pub today: u32,
    /// Share of its attempts it rejects with today's sizes at this growth.
    pub today_rejected: Option<Estimate>,
    /// Inverse Erlang B on the sessions, in whole servers.
    pub erlang_b: u32,
    pub needed: u32,
    pub margin: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeerPlan {
    pub name: String,
    pub kind: &'static str,
    /// Offered load measured with today's sizes (overflow included).
    pub offered_erlangs: f64,
    pub today: u32,
    /// Share of its attempts it rejects with today's sizes at this growth.
    pub today_rejected: Option<Estimate>,
    /// Inverse Erlang B on the offered load.
    pub erlang_b: u32,
    /// After confirmation by simulation.
    pub needed: u32,
    /// For a gateway built of spans: the spans needed (T1 = 23, E1 = 30).
    pub spans: Option<(u32, &'static str)>,
    /// needed - today (negative: spare).
    pub margin: i64,
}

/// The audio limit a bandwidth policy profile needs: enough for every CAC
/// element it polices (site links, region links, inter-site policies).
#[derive(Debug, Clone, Serialize)]
pub struct PolicyPlan {
    pub name: String,
    /// The element that needs the most, with today's sizes.
    pub element: String,
    /// Audio sessions offered to that element (Erlangs), and their mean
    /// bandwidth (kbps).
    pub offered_sessions: f64,
    pub session_kbps: f64,
    /// `AudioBWLimit` today (kbps).
    pub today: u32,
    /// Share of its elements' sessions CAC denies with today's sizes at
    /// this growth.
    pub today_rejected: Option<Estimate>,
    /// Inverse Erlang B sessions times the session bandwidth (kbps).
    pub erlang_b: u32,
    pub needed: u32,
    pub margin: i64,
}

/// The bandwidth a WAN link needs for the voice the plan puts on it.
#[derive(Debug, Clone, Serialize)]
pub struct LinkPlan {
    pub name: String,
    /// Voice sessions on the link with the planned sizes (Erlangs), and
    /// their mean bandwidth (kbps).
    pub voice_erlangs: f64,
    pub session_kbps: f64,
    /// Bandwidth today (kbps).
    pub today: u32,
    /// Inverse Erlang B sessions times the session bandwidth, divided by
    /// the voice share, and at least the audio limit of a policy on it.
    pub erlang_b: u32,
    /// After the MOS target, if any.
    pub needed: u32,
    pub margin: i64,
    /// 5th percentile of the MOS of calls crossing the link at `needed`
    /// (absent when no call crossed it).
    pub p5_mos: Option<Estimate>,
    /// The MOS target is missed and more bandwidth does not help: the
    /// link's delay and loss bound the MOS.
    pub bound_by_delay_and_loss: bool,
}

/// Needed less today (negative: spare).
pub fn margin(needed: u32, today: u32) -> i64 {
    i64::from(needed) - i64::from(today)
}

/// Today, Erlang B, needed and margin of a planned element.
pub trait PlannedSize {
    fn sizes(&self) -> (u32, u32, u32, i64);
    /// Sets the size needed, and the margin with it.
    fn set_needed(&mut self, needed: u32);
}

macro_rules! planned_size {
    ($($t:ty),*) => {$(
        impl PlannedSize for $t {
            fn sizes(&self) -> (u32, u32, u32, i64) {
                (self.today, self.erlang_b, self.needed, self.margin)
            }
            fn set_needed(&mut self, needed: u32) {
                self.needed = needed;
                self.margin = margin(needed, self.today);
            }
        }
    )*};
}

planned_size!(PeerPlan, TrunkPlan, PoolPlan, PolicyPlan, LinkPlan);
