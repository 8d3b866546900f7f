//! `plan.json` and `plan.csv`: what `voicetwin plan` finds
//! (`analysis::plan`): per growth step, each element's load, today's size,
//! the Erlang B size, the size confirmed by simulation, and the N-1 sizes.

use serde::{Deserialize, Serialize};

use crate::analysis::stats::Estimate;

use super::table::{estimate_cells, CsvRow, Number};
use super::ResultFile;

/// Version of the `plan.json` schema.
pub const SCHEMA_VERSION: u32 = 1;

/// `plan.json`: the plan of every growth step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanResults {
    pub schema_version: u32,
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
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanStep {
    pub growth: f64,
    /// The confirming run's grade of service with the planned sizes
    /// (null when no call needed the PSTN side).
    pub grade_of_service: Option<Estimate>,
    /// Replications the confirming run took.
    pub replications: u32,
    /// Pattern evaluations that reached the matching limit in the
    /// confirming run (docs/model.md, "The matching limit"); absent in
    /// older files.
    #[serde(default)]
    pub pattern_limit_hits: crate::pattern::limit::LimitHits,
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PeerPlan {
    pub name: String,
    /// `pstn-gateway`, `ip-pbx` or `itsp-sbc`.
    pub kind: String,
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
    #[serde(deserialize_with = "spans")]
    pub spans: Option<(u32, &'static str)>,
    /// needed - today (negative: spare).
    pub margin: i64,
}

/// The audio limit a bandwidth policy profile needs: enough for every CAC
/// element it polices (site links, region links, inter-site policies).
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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

/// The spans of a gateway, as `plan.json` has them: `[2, "E1"]`.
fn spans<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<(u32, &'static str)>, D::Error> {
    let Some((n, kind)) = Option::<(u32, String)>::deserialize(d)? else { return Ok(None) };
    match SPAN_KINDS.into_iter().find(|k| *k == kind) {
        Some(k) => Ok(Some((n, k))),
        None => Err(serde::de::Error::custom(format!("span kind `{kind}`: {}", SPAN_KINDS.join(" or ")))),
    }
}

/// The spans a gateway is built of: a T1 carries 23 channels (PRI), an
/// E1 30.
const SPAN_KINDS: [&str; 2] = ["T1", "E1"];

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

impl ResultFile for PlanResults {
    const FILE: &'static str = "plan.json";
    const SCHEMA_VERSION: u32 = SCHEMA_VERSION;
}

/// One line of `plan.csv`: one element at one growth step. Peers, trunks
/// with a call limit, Mediation pools, bandwidth policies and WAN links
/// share the columns; `kind` tells them apart, and the column `peer`
/// holds any element's name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanRow {
    pub growth: Number,
    #[serde(rename = "peer")]
    pub name: String,
    /// A peer's kind, or `trunk-max-calls`, `mediation-pool-servers`,
    /// `bandwidth-policy-kbps`, `wan-link-kbps`.
    pub kind: String,
    /// Erlangs (sessions for a bandwidth policy, voice for a WAN link).
    pub offered_erlangs: Number,
    pub today: u32,
    pub erlang_b: u32,
    pub needed: u32,
    pub margin: i64,
    pub spans: Option<u32>,
    pub span_kind: Option<String>,
    pub needed_n_minus_1: Option<u32>,
    pub p5_mos: Option<Number>,
    pub today_rejected: Option<Number>,
    pub today_rejected_ci95_low: Option<Number>,
    pub today_rejected_ci95_high: Option<Number>,
}

impl CsvRow for PlanRow {
    const FILE: &'static str = "plan.csv";
}

impl PlanStep {
    /// Its lines of `plan.csv`, in the file's order: peers, trunks,
    /// Mediation pools, bandwidth policies, WAN links.
    pub fn rows(&self) -> Vec<PlanRow> {
        let n1 = self.n_minus_1.as_ref();
        let row = |name: &str, kind: &str, offered: f64, sizes: (u32, u32, u32, i64), rejected: Option<Estimate>| {
            let (today, erlang_b, needed, margin) = sizes;
            let [today_rejected, today_rejected_ci95_low, today_rejected_ci95_high] = estimate_cells(rejected, Some(6));
            PlanRow {
                growth: Number::plain(self.growth),
                name: name.to_owned(),
                kind: kind.to_owned(),
                offered_erlangs: Number::fixed(offered, 4),
                today,
                erlang_b,
                needed,
                margin,
                spans: None,
                span_kind: None,
                needed_n_minus_1: None,
                p5_mos: None,
                today_rejected,
                today_rejected_ci95_low,
                today_rejected_ci95_high,
            }
        };
        let mut rows = Vec::new();
        for (i, r) in self.peers.iter().enumerate() {
            rows.push(PlanRow {
                spans: r.spans.map(|s| s.0),
                span_kind: r.spans.map(|s| s.1.to_owned()),
                needed_n_minus_1: n1.map(|n| n.peers[i]),
                ..row(&r.name, &r.kind, r.offered_erlangs, r.sizes(), r.today_rejected)
            });
        }
        for (i, r) in self.trunks.iter().enumerate() {
            rows.push(PlanRow {
                needed_n_minus_1: n1.map(|n| n.trunks[i]),
                ..row(&r.name, "trunk-max-calls", r.offered_erlangs, r.sizes(), r.today_rejected)
            });
        }
        for (i, r) in self.mediation_pools.iter().enumerate() {
            rows.push(PlanRow {
                needed_n_minus_1: n1.map(|n| n.mediation_pools[i]),
                ..row(&r.fqdn, "mediation-pool-servers", r.offered_erlangs, r.sizes(), r.today_rejected)
            });
        }
        for (i, r) in self.bandwidth_policies.iter().enumerate() {
            rows.push(PlanRow {
                needed_n_minus_1: n1.map(|n| n.bandwidth_policies[i]),
                ..row(&r.name, "bandwidth-policy-kbps", r.offered_sessions, r.sizes(), r.today_rejected)
            });
        }
        for r in &self.wan_links {
            rows.push(PlanRow {
                p5_mos: r.p5_mos.map(|m| Number::fixed(m.mean, 2)),
                ..row(&r.name, "wan-link-kbps", r.voice_erlangs, r.sizes(), None)
            });
        }
        rows
    }
}

impl PlanResults {
    /// Every line of `plan.csv`, growth step by growth step.
    pub fn rows(&self) -> Vec<PlanRow> {
        self.steps.iter().flat_map(PlanStep::rows).collect()
    }
}
