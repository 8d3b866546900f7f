//! `plan.json` and `plan.csv`: what `voicetwin plan` finds
//! (`analysis::plan`): per growth step, each element's demand, today's
//! size, the Erlang B size and the size confirmed and trimmed by
//! simulation, all in the unit the element is bought in, and the N-1
//! sizes.

use serde::{Deserialize, Serialize};

use crate::analysis::stats::Estimate;

use super::table::{estimate_cells, CsvRow, Number};
use super::ResultFile;

/// Version of the `plan.json` schema.
pub const SCHEMA_VERSION: u32 = 2;

/// `plan.json`: the plan of every growth step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanResults {
    pub schema_version: u32,
    pub scenario: String,
    /// Where the model came from: its file, or `<file> (built in)`.
    pub model: String,
    /// The network's name (the model's `[network] name`); empty in a file
    /// written before it was recorded.
    #[serde(default)]
    pub network: String,
    /// The grade of service every stream is held to unless `targets`
    /// names it.
    pub target_gos: f64,
    /// Streams held to their own grade of service (`[[target]]`).
    pub targets: Vec<StreamTarget>,
    /// Whether sizes may fall below today's (`--allow-shrink`).
    pub allow_shrink: bool,
    /// A confirming run adds replications until each share it checks is
    /// clear of its target or within this share of it.
    pub precision_relative: f64,
    pub max_replications: u32,
    pub min_mos: Option<f64>,
    pub voice_share: f64,
    pub replications: u32,
    pub seed: u64,
    pub steps: Vec<PlanStep>,
}

/// A stream's own grade of service.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StreamTarget {
    /// `overall`, `site:<name>` or `source:<name>`.
    pub stream: String,
    pub grade_of_service: f64,
}

/// The plan for one growth factor.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanStep {
    pub growth: f64,
    /// The confirming run's overall grade of service with the planned
    /// sizes (null when no call needed the PSTN side).
    pub grade_of_service: Option<Estimate>,
    /// Replications the confirming run took.
    pub replications: u32,
    /// Pattern evaluations that reached the matching limit in the
    /// confirming run (docs/model.md, "The matching limit").
    #[serde(default)]
    pub pattern_limit_hits: crate::pattern::limit::LimitHits,
    /// Whether every target was met within the rounds allowed.
    pub met: bool,
    /// Every stream held to a target: today and with the plan.
    pub streams: Vec<StreamPlan>,
    /// Peers the routes load-share, sized together.
    pub groups: Vec<LoadShareGroup>,
    /// Every sized element: limited peers, trunks with a call limit,
    /// Mediation pools, bandwidth policies, WAN links, in that order.
    pub elements: Vec<ElementPlan>,
    /// With `--n-minus-1`: the failures sized for (the sizes are each
    /// element's `n_minus_1`).
    pub n_minus_1: Option<NMinus1>,
}

/// One stream's grade of service against its target.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StreamPlan {
    pub stream: String,
    pub target: f64,
    /// With today's sizes at this growth.
    pub today: Option<Estimate>,
    /// With the planned sizes (the confirming run).
    pub planned: Option<Estimate>,
    pub met: bool,
}

/// Peers that one or more routes load-share (Lync spreads a route's
/// calls over its gateways and tries the next when one refuses), sized
/// as one group on the load the routes offer it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoadShareGroup {
    /// Its members joined with ` + `.
    pub name: String,
    pub members: Vec<String>,
    /// The routes that share the load.
    pub routes: Vec<String>,
    /// Erlangs the routes offer the group with no size in the way.
    pub demand_erlangs: f64,
    /// Channels (or sessions) of the whole group by inverse Erlang B.
    pub erlang_b_channels: u32,
}

/// What kind of element a size is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElementKind {
    PstnGateway,
    IpPbx,
    ItspSbc,
    /// A trunk's call limit (`max_calls`).
    Trunk,
    MediationPool,
    /// A bandwidth policy profile's audio limit.
    BandwidthPolicy,
    WanLink,
}

impl ElementKind {
    pub fn label(self) -> &'static str {
        match self {
            ElementKind::PstnGateway => "pstn-gateway",
            ElementKind::IpPbx => "ip-pbx",
            ElementKind::ItspSbc => "itsp-sbc",
            ElementKind::Trunk => "trunk",
            ElementKind::MediationPool => "mediation-pool",
            ElementKind::BandwidthPolicy => "bandwidth-policy",
            ElementKind::WanLink => "wan-link",
        }
    }
}

/// The unit an element is bought in: every size of it is a count of
/// these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// A T1 span: 23 channels (PRI).
    T1Span,
    /// An E1 span: 30 channels.
    E1Span,
    /// A gateway's channel, where it is not written in whole spans.
    Channel,
    /// An ITSP or IP-PBX session.
    Session,
    /// A call of a trunk's call limit.
    Call,
    /// A Mediation Server.
    Server,
    Kbps,
}

impl Unit {
    /// `E1 span`, `session`, ... (`n` of them: the plural when not one).
    pub fn name(self, n: u32) -> String {
        let one = match self {
            Unit::T1Span => "T1 span",
            Unit::E1Span => "E1 span",
            Unit::Channel => "channel",
            Unit::Session => "session",
            Unit::Call => "call",
            Unit::Server => "server",
            Unit::Kbps => return "kbps".into(),
        };
        if n == 1 {
            one.into()
        } else {
            format!("{one}s")
        }
    }

    /// `3 E1 spans`, `1 server`, `640 kbps`.
    pub fn count(self, n: u32) -> String {
        format!("{} {}", grouped(n), self.name(n))
    }

    pub fn label(self) -> &'static str {
        match self {
            Unit::T1Span => "t1-span",
            Unit::E1Span => "e1-span",
            Unit::Channel => "channel",
            Unit::Session => "session",
            Unit::Call => "call",
            Unit::Server => "server",
            Unit::Kbps => "kbps",
        }
    }
}

/// `12,345`.
fn grouped(n: u32) -> String {
    crate::limits::grouped(i64::from(n))
}

/// Why a planned size is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SizeBasis {
    /// One unit fewer was run and missed a target (`decided_by`).
    Minimal,
    /// Today's size, the floor without `--allow-shrink`: the plan never
    /// buys less than there is.
    Today,
    /// One unit (or a policy's one session): it cannot be smaller.
    Smallest,
    /// The targets were not met within the rounds allowed: not trimmed.
    Unconfirmed,
    /// A WAN link: its planned voice at the target by Erlang B, over the
    /// voice share (at least a CAC policy's limit on it).
    ErlangB,
    /// A WAN link grown until its calls' 5th-percentile MOS met the target.
    Mos,
    /// N-1: the plain plan's size already meets every failure.
    Plan,
    /// N-1: a second Mediation Server, so that one server failed leaves
    /// a sibling to take its calls.
    SiblingServer,
}

impl SizeBasis {
    pub fn label(self) -> &'static str {
        match self {
            SizeBasis::Minimal => "minimal",
            SizeBasis::Today => "today",
            SizeBasis::Smallest => "smallest",
            SizeBasis::Unconfirmed => "unconfirmed",
            SizeBasis::ErlangB => "erlang-b",
            SizeBasis::Mos => "mos",
            SizeBasis::Plan => "plan",
            SizeBasis::SiblingServer => "sibling-server",
        }
    }
}

/// The target one unit fewer missed: what decided a minimal size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Decider {
    /// A stream (`site:Paris`) or a CAC policy's denials
    /// (`bandwidth-policy:branch-1000`), or under N-1 a failure.
    pub target: String,
    /// Its share with one unit fewer.
    pub share: Estimate,
    /// The share it must stay within.
    pub limit: f64,
    /// Replications that run took (run the same sizes with as many to
    /// see the same figure).
    pub replications: u32,
}

/// One element's plan at one growth step. Sizes count `unit`s.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ElementPlan {
    pub name: String,
    pub kind: ElementKind,
    pub unit: Unit,
    /// Channels of a span, calls a Mediation Server takes, 1 otherwise.
    pub capacity_per_unit: u32,
    /// The load-sharing group it was sized with, if any.
    pub group: Option<String>,
    /// Erlangs the routes offer it with no size in the way (a policy's
    /// worst element's audio sessions; a link's voice with the plan).
    pub demand_erlangs: f64,
    /// A policy's or link's mean audio session (kbps).
    pub session_kbps: Option<f64>,
    /// A policy's element that needs the most.
    pub element: Option<String>,
    pub today: u32,
    /// Share of its attempts it refuses with today's sizes at this growth
    /// (a policy: of its elements' sessions).
    pub today_rejected: Option<Estimate>,
    /// Inverse Erlang B on the demand (a group member: its share of the
    /// group's), in units.
    pub erlang_b: u32,
    pub needed: u32,
    /// needed - today.
    pub change: i64,
    pub basis: SizeBasis,
    pub decided_by: Option<Decider>,
    /// With `--n-minus-1`: the size that meets every single failure.
    pub n_minus_1: Option<u32>,
    pub n_minus_1_basis: Option<SizeBasis>,
    pub n_minus_1_decided_by: Option<Decider>,
    /// A WAN link: 5th percentile of its calls' MOS at `needed`.
    pub p5_mos: Option<Estimate>,
    /// A WAN link whose MOS target more bandwidth does not reach.
    pub bound_by_delay_and_loss: bool,
}

impl ElementPlan {
    /// `add 1 E1 span`, `release 2 servers`, `no change` for a move from
    /// `today` to `n`.
    pub fn change_text(&self, n: u32) -> String {
        match n.cmp(&self.today) {
            std::cmp::Ordering::Greater => format!("add {}", self.unit.count(n - self.today)),
            std::cmp::Ordering::Less => format!("release {}", self.unit.count(self.today - n)),
            std::cmp::Ordering::Equal => "no change".into(),
        }
    }

    /// `gateway gw-1`, `Mediation pool med.example.com`, ...
    pub fn what(&self) -> String {
        let kind = match self.kind {
            ElementKind::PstnGateway => "gateway",
            ElementKind::IpPbx => "IP-PBX",
            ElementKind::ItspSbc => "ITSP",
            ElementKind::Trunk => "trunk",
            ElementKind::MediationPool => "Mediation pool",
            ElementKind::BandwidthPolicy => "bandwidth policy",
            ElementKind::WanLink => "WAN link",
        };
        format!("{kind} {}", self.name)
    }
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
    /// Of the calls needing the PSTN side, the share blocked with no full
    /// resource in the way (they met only the failed element, or no
    /// route): the routing gap's size. Null in older files.
    #[serde(default)]
    pub routing_gap_share: Option<Estimate>,
    /// The streams (sites' outbound calls, traffic sources) whose own
    /// routing-gap share is above their target, largest first: what the
    /// failure cuts off whatever the sizes. Empty in older files.
    #[serde(default)]
    pub cut: Vec<StreamCut>,
    /// The target this failure misses worst for want of capacity (a
    /// stream's share blocked after a full resource refused it, or a
    /// policy's denied share), if any, at these sizes.
    pub missed: Option<Decider>,
}

/// A stream a failure cuts off: the share of its calls needing the
/// PSTN side that have no route left.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StreamCut {
    /// `site:<name>` or `source:<name>`.
    pub stream: String,
    pub share: Estimate,
    /// The stream's target.
    pub limit: f64,
}

impl ResultFile for PlanResults {
    const FILE: &'static str = "plan.json";
    const SCHEMA_VERSION: u32 = SCHEMA_VERSION;
}

/// One line of `plan.csv`: one element at one growth step, sizes in its
/// unit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanRow {
    pub growth: Number,
    pub element: String,
    /// `pstn-gateway`, `ip-pbx`, `itsp-sbc`, `trunk`, `mediation-pool`,
    /// `bandwidth-policy`, `wan-link`.
    pub kind: String,
    /// `e1-span`, `t1-span`, `channel`, `session`, `call`, `server`, `kbps`.
    pub unit: String,
    pub capacity_per_unit: u32,
    pub group: Option<String>,
    pub demand_erlangs: Number,
    pub today: u32,
    pub erlang_b: u32,
    pub needed: u32,
    pub change: i64,
    /// `minimal`, `today`, `smallest`, `unconfirmed`, `erlang-b`, `mos`.
    pub basis: String,
    pub decided_by: Option<String>,
    pub needed_n_minus_1: Option<u32>,
    pub change_n_minus_1: Option<i64>,
    pub basis_n_minus_1: Option<String>,
    pub decided_by_n_minus_1: Option<String>,
    pub p5_mos: Option<Number>,
    pub today_rejected: Option<Number>,
    pub today_rejected_ci95_low: Option<Number>,
    pub today_rejected_ci95_high: Option<Number>,
}

impl CsvRow for PlanRow {
    const FILE: &'static str = "plan.csv";
}

impl PlanStep {
    /// Its lines of `plan.csv`, in the order of `elements`.
    pub fn rows(&self) -> Vec<PlanRow> {
        self.elements
            .iter()
            .map(|e| {
                let [today_rejected, today_rejected_ci95_low, today_rejected_ci95_high] =
                    estimate_cells(e.today_rejected, Some(6));
                PlanRow {
                    growth: Number::plain(self.growth),
                    element: e.name.clone(),
                    kind: e.kind.label().into(),
                    unit: e.unit.label().into(),
                    capacity_per_unit: e.capacity_per_unit,
                    group: e.group.clone(),
                    demand_erlangs: Number::fixed(e.demand_erlangs, 4),
                    today: e.today,
                    erlang_b: e.erlang_b,
                    needed: e.needed,
                    change: e.change,
                    basis: e.basis.label().into(),
                    decided_by: e.decided_by.as_ref().map(|d| d.target.clone()),
                    needed_n_minus_1: e.n_minus_1,
                    change_n_minus_1: e.n_minus_1.map(|n| i64::from(n) - i64::from(e.today)),
                    basis_n_minus_1: e.n_minus_1_basis.map(|b| b.label().into()),
                    decided_by_n_minus_1: e.n_minus_1_decided_by.as_ref().map(|d| d.target.clone()),
                    p5_mos: e.p5_mos.map(|m| Number::fixed(m.mean, 2)),
                    today_rejected,
                    today_rejected_ci95_low,
                    today_rejected_ci95_high,
                }
            })
            .collect()
    }
}

impl PlanResults {
    /// Every line of `plan.csv`, growth step by growth step.
    pub fn rows(&self) -> Vec<PlanRow> {
        self.steps.iter().flat_map(PlanStep::rows).collect()
    }
}
