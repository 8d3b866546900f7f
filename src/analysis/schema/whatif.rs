//! `whatif.json` and `whatif.csv`: what failing each element (or each
//! pair) for the scenario's what-if window costs, against the same calls
//! without the failure, ranked (`analysis::whatif` runs them).

use serde::{Deserialize, Serialize};

use crate::analysis::run::PrecisionOutcome;
use crate::analysis::stats::Estimate;
use crate::scenario::{ElementClass, FailureMode};

use super::table::{estimate_cells, CsvRow, Number};
use super::ResultFile;

/// Version of the `whatif.json` schema.
pub const SCHEMA_VERSION: u32 = 1;

/// `whatif.json`: the cases ranked by what their failure costs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WhatIfResults {
    pub schema_version: u32,
    pub scenario: String,
    pub model: String,
    pub classes: Vec<ElementClass>,
    pub k: u8,
    /// `silent` (stops answering) or `reject` (503s).
    pub mode: FailureMode,
    pub window_from_s: f64,
    pub window_to_s: f64,
    pub replications: u32,
    pub seed: u64,
    /// With a precision target: what the baseline took (null without).
    pub precision: Option<PrecisionOutcome>,
    /// The baseline's grade of service and blocked calls, for scale.
    pub baseline_grade_of_service: Option<Estimate>,
    pub baseline_blocked: Estimate,
    /// The baseline's grade of service over the calls arriving in the
    /// what-if window (each case's `grade_of_service_during` compares
    /// with this).
    pub baseline_grade_of_service_during: Option<Estimate>,
    /// Best first: the worst failure at rank 1.
    pub results: Vec<CaseResult>,
    /// Pattern evaluations that reached the matching limit, over the
    /// baseline's and every case's replications (docs/model.md, "The
    /// matching limit"); absent in older files.
    #[serde(default)]
    pub pattern_limit_hits: crate::pattern::limit::LimitHits,
}

/// One failure case, against the baseline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseResult {
    pub rank: usize,
    /// `peer:gw-red-1`, or two of them for N-2.
    pub elements: Vec<String>,
    pub trunks_down: usize,
    /// Blocked + dropped + failed calls lost to the failure (paired difference).
    pub calls_lost: Estimate,
    pub blocked: Estimate,
    pub dropped: Estimate,
    /// Grade of service of the calls needing the PSTN side that arrived
    /// while it lasted (by time bucket: the window widened to whole
    /// buckets).
    pub grade_of_service_during: Option<Estimate>,
    /// Change of the whole run's grade of service (paired).
    pub grade_of_service_delta: Option<Estimate>,
    /// Null when no call reached ringback with the failure.
    pub pdd_delta_ms: Option<Estimate>,
    /// Sites whose users have no trunk left for any PSTN number: every
    /// trunk of every route their voice policies reach is down.
    pub isolated_sites: Vec<String>,
    /// Inbound traffic sources whose trunk is down (their callers cannot
    /// reach Lync at all).
    pub inbound_cut: Vec<String>,
    /// No call that arrived during the failure was blocked for it: the
    /// rest of the network carried its load (calls in progress on it are
    /// still dropped).
    pub absorbed: bool,
}

impl ResultFile for WhatIfResults {
    const FILE: &'static str = "whatif.json";
    const SCHEMA_VERSION: u32 = SCHEMA_VERSION;
}

/// One line of `whatif.csv`: a case, its lists joined (elements with
/// ` + `, sites and sources with `; `).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WhatIfRow {
    pub rank: usize,
    pub elements: String,
    pub trunks_down: usize,
    pub calls_lost: Number,
    pub calls_lost_ci95_low: Number,
    pub calls_lost_ci95_high: Number,
    pub blocked: Number,
    pub dropped: Number,
    pub grade_of_service_during: Option<Number>,
    pub grade_of_service_during_ci95_low: Option<Number>,
    pub grade_of_service_during_ci95_high: Option<Number>,
    pub grade_of_service_delta: Option<Number>,
    pub pdd_delta_ms: Option<Number>,
    pub isolated_sites: String,
    pub inbound_cut: String,
    pub absorbed: bool,
}

impl CsvRow for WhatIfRow {
    const FILE: &'static str = "whatif.csv";
}

impl CaseResult {
    /// The failed elements as one label: `peer:gw-red-1 + trunk:gw-red-2`.
    pub fn label(&self) -> String {
        self.elements.join(" + ")
    }

    /// Its line of `whatif.csv`.
    pub fn row(&self) -> WhatIfRow {
        let [during, during_low, during_high] = estimate_cells(self.grade_of_service_during, Some(6));
        WhatIfRow {
            rank: self.rank,
            elements: self.label(),
            trunks_down: self.trunks_down,
            calls_lost: Number::fixed(self.calls_lost.mean, 3),
            calls_lost_ci95_low: Number::fixed(self.calls_lost.ci95_low, 3),
            calls_lost_ci95_high: Number::fixed(self.calls_lost.ci95_high, 3),
            blocked: Number::fixed(self.blocked.mean, 3),
            dropped: Number::fixed(self.dropped.mean, 3),
            grade_of_service_during: during,
            grade_of_service_during_ci95_low: during_low,
            grade_of_service_during_ci95_high: during_high,
            grade_of_service_delta: self.grade_of_service_delta.map(|e| Number::fixed(e.mean, 6)),
            pdd_delta_ms: self.pdd_delta_ms.map(|e| Number::fixed(e.mean, 1)),
            isolated_sites: self.isolated_sites.join("; "),
            inbound_cut: self.inbound_cut.join("; "),
            absorbed: self.absorbed,
        }
    }
}
