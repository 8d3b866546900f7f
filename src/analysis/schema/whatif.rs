//! `whatif.json` and `whatif.csv`: what failing each element (or each
//! pair) for the scenario's what-if window costs, against the same calls
//! without the failure, ranked (`analysis::whatif` runs them).

use serde::{Deserialize, Serialize};

use crate::analysis::run::PrecisionOutcome;
use crate::analysis::stats::Estimate;
use crate::model::emergency::EmergencySource;
use crate::scenario::{ElementClass, FailureMode};

use super::table::{estimate_cells, CsvRow, Number};
use super::ResultFile;

/// Version of the `whatif.json` schema (and of `whatif.csv`'s columns).
/// Version 2 ranks by calls lost alone, flags the sites cut off from the
/// PSTN with a share, checks emergency numbers, folds and skips pairs,
/// and gives the window in clock time. Version 3 says how many
/// independent parts the network has and which pairs are the sum of
/// their singles. Version 4 gives each case only the emergency routes it
/// changes (`emergency_changed`), so a case's size follows what it does,
/// not the size of the network, and with k = 2 leaves out the pairs with
/// an element that alone cuts a site off (`pairs_dominated`).
pub const SCHEMA_VERSION: u32 = 4;

/// The ordering of the cases, as the text, the report and the chart
/// state it.
pub const ORDER: &str = "Ranked by calls lost (most first), then by the change of grade of service, then by the \
                         change of post-dial delay, then by name; the PSTN-cut flag does not change the order.";

/// `whatif.json`: the cases ranked by what their failure costs. `C` holds
/// the ranked cases: a vector when read back, or the what-if's own store
/// when written ([`CaseList`]), which keeps the pairs out of memory.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WhatIfResults<C = Vec<CaseResult>> {
    pub schema_version: u32,
    pub scenario: String,
    /// Where the model came from: its path, or `... (built in)`.
    pub model: String,
    /// The model's `[network] name` (empty in files written before it
    /// was added).
    #[serde(default)]
    pub network: String,
    pub classes: Vec<ElementClass>,
    pub k: u8,
    /// `silent` (stops answering) or `reject` (503s).
    pub mode: FailureMode,
    /// The window, in seconds from the start of the run.
    pub window_from_s: f64,
    pub window_to_s: f64,
    /// The same in the scenario's clock time (`start_hour` at the start):
    /// `10:22:30`, or `day 2 09:15` past midnight.
    pub window_from_clock: String,
    pub window_to_clock: String,
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
    /// With k = 2: pairs not run because one element is a part of the
    /// other (failing both is failing the larger).
    pub pairs_skipped: usize,
    /// With k = 2: pairs not run because one of their elements alone cuts
    /// a site off from the PSTN (0 with `all_pairs`).
    pub pairs_dominated: usize,
    /// With k = 2: pairs not run because one element fails exactly what
    /// an earlier element fails (the same trunks, WAN links, Registrar
    /// pools and Mediation server: a gateway and its one trunk), or
    /// because the two fail together exactly what one element fails (the
    /// two trunks of a gateway with no other); 0 with `all_pairs`. Each
    /// single lists its `equivalent` elements and pairs (with `all_pairs`
    /// too).
    pub pairs_equivalent: usize,
    /// Whether those pairs were run (`[whatif] pairs = "all"`,
    /// `--all-pairs`).
    pub all_pairs: bool,
    /// With k = 2: pairs run whose calls equal one of their singles'
    /// (each listed in that single's `folded_pairs`, not ranked).
    pub pairs_folded: usize,
    /// Independent parts of the network: sets of sources and the
    /// resources their calls can hold, sharing none with another set
    /// (`analysis::interaction`). A failure is simulated on the parts it
    /// touches only.
    pub components: u32,
    /// Pairs whose elements touch different parts: their figures are the
    /// sum of their singles' changes, replication by replication, not
    /// simulated (`sum_of_singles` on each).
    pub pairs_summed: usize,
    /// The sites whose users the emergency check dials for, and their
    /// numbers.
    pub emergency_sites: Vec<EmergencySite>,
    /// Each site's emergency numbers without failures.
    pub emergency: Vec<EmergencyRoute>,
    /// Worst first: the case losing the most calls at rank 1 ([`ORDER`]).
    pub results: C,
    /// Pattern evaluations that reached the matching limit, over the
    /// baseline's and every case's replications (docs/model.md, "The
    /// matching limit").
    pub pattern_limit_hits: crate::pattern::limit::LimitHits,
}

/// The ranked cases of a what-if, however they are held: a vector, or
/// the what-if's store that keeps pairs in a scratch file
/// (`analysis::whatif::RankedCases`).
pub trait CaseList: CaseCounts {
    /// Calls `f` with each case in rank order, its rank set; stops at the
    /// first error, `f`'s or the store's.
    fn each(&self, f: &mut dyn FnMut(&CaseResult) -> std::io::Result<()>) -> std::io::Result<()>;
}

/// How many cases are ranked, and how many are single elements: what a
/// reader that does not keep every case (the design-review page) can
/// still say.
pub trait CaseCounts {
    /// How many cases are ranked.
    fn count(&self) -> usize;
    /// How many of them are single elements.
    fn singles(&self) -> usize;
}

impl CaseCounts for Vec<CaseResult> {
    fn count(&self) -> usize {
        self.len()
    }

    fn singles(&self) -> usize {
        self.iter().filter(|c| c.elements.len() == 1).count()
    }
}

impl CaseList for Vec<CaseResult> {
    fn each(&self, f: &mut dyn FnMut(&CaseResult) -> std::io::Result<()>) -> std::io::Result<()> {
        self.iter().try_for_each(f)
    }
}

impl<C> WhatIfResults<C> {
    /// The same results with their cases held as `results`.
    pub fn with_results<D>(self, results: D) -> WhatIfResults<D> {
        let Self {
            results: _,
            schema_version,
            scenario,
            model,
            network,
            classes,
            k,
            mode,
            window_from_s,
            window_to_s,
            window_from_clock,
            window_to_clock,
            replications,
            seed,
            precision,
            baseline_grade_of_service,
            baseline_blocked,
            baseline_grade_of_service_during,
            pairs_skipped,
            pairs_dominated,
            pairs_equivalent,
            all_pairs,
            pairs_folded,
            components,
            pairs_summed,
            emergency_sites,
            emergency,
            pattern_limit_hits,
        } = self;
        WhatIfResults {
            results,
            schema_version,
            scenario,
            model,
            network,
            classes,
            k,
            mode,
            window_from_s,
            window_to_s,
            window_from_clock,
            window_to_clock,
            replications,
            seed,
            precision,
            baseline_grade_of_service,
            baseline_blocked,
            baseline_grade_of_service_during,
            pairs_skipped,
            pairs_dominated,
            pairs_equivalent,
            all_pairs,
            pairs_folded,
            components,
            pairs_summed,
            emergency_sites,
            emergency,
            pattern_limit_hits,
        }
    }
}

/// A site whose users the emergency check dials for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EmergencySite {
    pub site: String,
    pub country: String,
    /// `model` (`emergency_numbers`), `country` (the table of
    /// docs/model.md) or `unknown` (no number: the country is not in the
    /// table, and the model gives none).
    pub source: EmergencySource,
    pub numbers: Vec<String>,
}

/// An emergency number of a site, dialed as its users dial it, with or
/// without a failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergencyRoute {
    pub site: String,
    pub number: String,
    /// What the users' dial plans make of it (one entry per distinct
    /// result): `+911`, or `11` when an external access prefix ate the 9.
    pub normalized: Vec<String>,
    /// Every caller at the site has a trunk for it that is up and
    /// reachable.
    pub reached: bool,
    /// The peers (gateways) those trunks reach, in the order tried.
    pub peers: Vec<String>,
    /// The site's user groups with no such trunk.
    pub without_route: Vec<String>,
}

/// A site's share of PSTN calls left without a route by a failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PstnCut {
    pub site: String,
    /// Of the site's users' outbound calls that have a route without
    /// failures (by the scenario's destination mix over the window), the
    /// share with no route left: every trunk of it down or unreachable,
    /// or no Registrar for the users. 1: the site is cut off from the
    /// PSTN.
    pub share: f64,
}

/// A site's emergency number that had a route without failures and has
/// none under a failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergencyLost {
    pub site: String,
    pub number: String,
    /// The peers that serve it without failures.
    pub peers_without_failure: Vec<String>,
}

/// One failure case, against the baseline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseResult {
    pub rank: usize,
    /// `peer:gw-red-1`, or two of them for N-2.
    pub elements: Vec<String>,
    pub trunks_down: usize,
    pub links_down: usize,
    pub registrar_pools_down: usize,
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
    /// Sites cut off from the PSTN: none of their users' calls that have
    /// a route without failures has one left (`pstn_cut` share 1).
    pub isolated_sites: Vec<String>,
    /// Sites cut off from all or part of the PSTN, with the share of
    /// their calls left without a route (only sites above 0).
    pub pstn_cut: Vec<PstnCut>,
    /// Emergency numbers that lose their route.
    pub emergency_lost: Vec<EmergencyLost>,
    /// The emergency numbers whose route the failure changes (reached or
    /// not, peers, normalized numbers, user groups without a route), as
    /// they are under it; every other number keeps its route of the
    /// top-level `emergency`. For a pair, only those whose route also
    /// differs from under each of its singles: what failing both adds
    /// (`emergency_lost` still lists every number the pair loses).
    pub emergency_changed: Vec<EmergencyRoute>,
    /// Inbound traffic sources whose callers cannot reach Lync at all:
    /// their trunk (every trunk their carrier hunts over) is down (a pool with every server failed takes its
    /// trunks down), or its Mediation pool cannot reach its peer or its
    /// next-hop Registrar, or that Registrar is down.
    pub inbound_cut: Vec<String>,
    /// No call that arrived during the failure was blocked for it: the
    /// rest of the network carried its load (calls in progress on it are
    /// still dropped).
    pub absorbed: bool,
    /// With k = 2, for a single element: the pairs with it whose calls
    /// were the same as its own in every replication (`a + b`).
    pub folded_pairs: Vec<String>,
    /// With k = 2, for a single: the later elements whose failure is the
    /// same as its own, and whose pairs it stands for; then the pairs
    /// (`a + b`) failing together exactly what it fails, which it stands
    /// for (left out, unless `all_pairs`).
    pub equivalent: Vec<String>,
    /// A pair whose elements touch different parts of the network: its
    /// calls lost, blocked and dropped, grades of service and delay are
    /// its singles' changes added replication by replication (exactly
    /// what simulating it gives, as the parts share nothing).
    pub sum_of_singles: bool,
}

impl ResultFile for WhatIfResults {
    const FILE: &'static str = "whatif.json";
    const SCHEMA_VERSION: u32 = SCHEMA_VERSION;
}

/// A count of calls as whole calls: the mean rounded to the nearest call,
/// the interval widened outwards to whole calls, and above 999 to three
/// significant digits (3,380 to 3,560), so it never claims more precision
/// than it has and still holds the interval it rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WholeCalls {
    pub mean: i64,
    pub low: i64,
    pub high: i64,
}

impl WholeCalls {
    pub fn of(e: &Estimate) -> Self {
        let widest = e.ci95_low.abs().max(e.ci95_high.abs()).max(e.mean.abs());
        let digits = if widest >= 1.0 { widest.log10().floor() as i32 + 1 } else { 1 };
        let step = 10f64.powi((digits - 3).max(0));
        let whole = |x: f64| if x.is_finite() { x as i64 } else { 0 };
        Self {
            mean: whole(e.mean.round()),
            low: whole((e.ci95_low / step).floor() * step),
            high: whole((e.ci95_high / step).ceil() * step),
        }
    }
}

/// One line of `whatif.csv`: a case, its lists joined (elements with
/// ` + `, sites and sources with `; `); calls as whole calls
/// ([`WholeCalls`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WhatIfRow {
    pub rank: usize,
    pub elements: String,
    pub trunks_down: usize,
    pub calls_lost: i64,
    pub calls_lost_ci95_low: i64,
    pub calls_lost_ci95_high: i64,
    pub blocked: i64,
    pub blocked_ci95_low: i64,
    pub blocked_ci95_high: i64,
    pub dropped: i64,
    pub dropped_ci95_low: i64,
    pub dropped_ci95_high: i64,
    pub grade_of_service_during: Option<Number>,
    pub grade_of_service_during_ci95_low: Option<Number>,
    pub grade_of_service_during_ci95_high: Option<Number>,
    pub grade_of_service_delta: Option<Number>,
    pub pdd_delta_ms: Option<Number>,
    pub isolated_sites: String,
    /// `site share` pairs, the share with 4 decimals: `Paris 1.0000; London 0.2500`.
    pub pstn_cut: String,
    /// `site number` pairs: `Paris 112`.
    pub emergency_lost: String,
    pub inbound_cut: String,
    pub absorbed: bool,
    pub folded_pairs: String,
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
        let (lost, blocked, dropped) =
            (WholeCalls::of(&self.calls_lost), WholeCalls::of(&self.blocked), WholeCalls::of(&self.dropped));
        WhatIfRow {
            rank: self.rank,
            elements: self.label(),
            trunks_down: self.trunks_down,
            calls_lost: lost.mean,
            calls_lost_ci95_low: lost.low,
            calls_lost_ci95_high: lost.high,
            blocked: blocked.mean,
            blocked_ci95_low: blocked.low,
            blocked_ci95_high: blocked.high,
            dropped: dropped.mean,
            dropped_ci95_low: dropped.low,
            dropped_ci95_high: dropped.high,
            grade_of_service_during: during,
            grade_of_service_during_ci95_low: during_low,
            grade_of_service_during_ci95_high: during_high,
            grade_of_service_delta: self.grade_of_service_delta.map(|e| Number::fixed(e.mean, 6)),
            pdd_delta_ms: self.pdd_delta_ms.map(|e| Number::fixed(e.mean, 1)),
            isolated_sites: self.isolated_sites.join("; "),
            pstn_cut: self.pstn_cut.iter().map(|c| format!("{} {:.4}", c.site, c.share)).collect::<Vec<_>>().join("; "),
            emergency_lost: self
                .emergency_lost
                .iter()
                .map(|e| format!("{} {}", e.site, e.number))
                .collect::<Vec<_>>()
                .join("; "),
            inbound_cut: self.inbound_cut.join("; "),
            absorbed: self.absorbed,
            folded_pairs: self.folded_pairs.join("; "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_whole_and_their_interval_holds_the_estimate() {
        let w = |mean, ci95_low, ci95_high| WholeCalls::of(&Estimate { mean, ci95_low, ci95_high });
        assert_eq!(w(3468.7, 3381.2, 3559.4), WholeCalls { mean: 3469, low: 3380, high: 3560 });
        assert_eq!(w(12.4, 9.6, 15.2), WholeCalls { mean: 12, low: 9, high: 16 });
        assert_eq!(w(0.3, 0.0, 1.4), WholeCalls { mean: 0, low: 0, high: 2 });
        assert_eq!(w(-0.4, -1.2, 0.3), WholeCalls { mean: 0, low: -2, high: 1 });
        assert_eq!(w(0.0, 0.0, 0.0), WholeCalls { mean: 0, low: 0, high: 0 });
        assert_eq!(w(123_456.0, 120_001.0, 126_999.0), WholeCalls { mean: 123_456, low: 120_000, high: 127_000 });
    }
}
