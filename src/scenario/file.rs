//! The scenario file as written (`scenarios/*.toml`), before validation.
//! `docs/scenario.md` documents every field.

use serde::Deserialize;

use crate::model::Micros;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// `"contoso"` / `"single-trunk-group"` (built in) or a path relative to
    /// the scenario file.
    #[serde(default = "contoso")]
    pub model: String,
    pub duration: Micros,
    #[serde(default)]
    pub warm_up: Micros,
    #[serde(default = "ten")]
    pub replications: i64,
    #[serde(default = "seed")]
    pub seed: u64,
    /// Every source's load multiplied by this (`run --load-factor` writes
    /// it into a run folder's scenario, so that the folder reproduces the
    /// run).
    #[serde(default = "one")]
    pub load_factor: f64,
    #[serde(default = "minute")]
    pub bucket: Micros,
    #[serde(default)]
    pub start_hour: i64,
    /// The day simulated time 0 falls on, `"YYYY-MM-DD"` (UTC).
    #[serde(default = "start_date")]
    pub start_date: String,
    #[serde(default = "reports")]
    pub out: String,
    #[serde(default)]
    pub signalling: SignallingFile,
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceFile>,
    #[serde(default)]
    pub detection: DetectionFile,
    #[serde(default, rename = "failure")]
    pub failures: Vec<FailureFile>,
    #[serde(default)]
    pub whatif: WhatIfFile,
    #[serde(default)]
    pub precision: Option<PrecisionFile>,
    #[serde(default, rename = "target")]
    pub targets: Vec<TargetFile>,
    #[serde(default, rename = "response")]
    pub responses: Vec<ResponseFile>,
    #[serde(default, rename = "tariff")]
    pub tariffs: Vec<super::TariffFile>,
}

/// `[[response]]`: how a peer (or every peer, `"*"`) answers the calls it
/// takes: a share of them with a final response, or with none at all.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseFile {
    /// A peer's name, or `"*"` for every peer without its own entry.
    pub peer: String,
    pub answers: Vec<AnswerFile>,
}

/// One answer of a `[[response]]` mix: `{ code = 486, isup_cause = 17,
/// share = 0.03 }` or `{ no_answer = true, share = 0.01 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerFile {
    #[serde(default)]
    pub code: Option<i64>,
    #[serde(default)]
    pub isup_cause: Option<i64>,
    #[serde(default)]
    pub no_answer: Option<bool>,
    pub share: f64,
}

/// `[[target]]`: the grade of service a plan holds one stream to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetFile {
    /// `overall`, `site:<name>` or `source:<name>`.
    pub stream: String,
    pub grade_of_service: f64,
}

/// `[precision]`: replications are added until every headline figure is
/// this precise.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrecisionFile {
    /// Largest half-width of the 95% interval, as a share of the figure.
    pub relative: f64,
    /// ... or at most this, in the figure's own unit (a share for a grade
    /// of service).
    #[serde(default)]
    pub absolute: Option<f64>,
    /// Most replications to run.
    #[serde(default)]
    pub max_replications: Option<i64>,
}

/// `[whatif]`: the failure set `voicetwin whatif` tries.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct WhatIfFile {
    #[serde(default)]
    pub elements: Option<Vec<String>>,
    #[serde(default)]
    pub k: Option<i64>,
    #[serde(default)]
    pub at: Option<Micros>,
    #[serde(default)]
    pub duration: Option<Micros>,
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub pairs: Option<String>,
}

/// How Mediation Servers notice a peer that stopped answering (a field
/// report: 5 unanswered OPTIONS mark it down; re-probed every minute;
/// docs/lync-behaviour.md, "Peer detection (OPTIONS)").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DetectionFile {
    pub options_interval: Micros,
    pub missed_options: i64,
    pub down_probe_interval: Micros,
    pub less_preferred_after: i64,
}

impl Default for DetectionFile {
    fn default() -> Self {
        Self {
            options_interval: Micros::from_secs(30),
            missed_options: 5,
            down_probe_interval: Micros::from_secs(60),
            less_preferred_after: 3,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureFile {
    #[serde(default)]
    pub name: Option<String>,
    /// `class:name`, or `class:*` for every element of the class.
    pub element: String,
    /// `scheduled`, `random` or `degraded`.
    pub kind: String,
    /// `silent` (stops answering), `reject` (answers 503) or `respond`
    /// (answers `response`, with `isup_cause`).
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub response: Option<i64>,
    #[serde(default)]
    pub isup_cause: Option<i64>,
    #[serde(default)]
    pub at: Option<Micros>,
    #[serde(default)]
    pub duration: Option<Micros>,
    #[serde(default)]
    pub mtbf: Option<Micros>,
    #[serde(default)]
    pub mttr: Option<Micros>,
    #[serde(default)]
    pub reject_fraction: Option<f64>,
    #[serde(default)]
    pub slow_fraction: Option<f64>,
}

fn contoso() -> String {
    "contoso".into()
}
fn start_date() -> String {
    super::date::DEFAULT.into()
}
fn ten() -> i64 {
    10
}
fn seed() -> u64 {
    2013
}
fn minute() -> Micros {
    Micros::from_secs(60)
}
fn reports() -> String {
    "reports".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignallingFile {
    pub hop_latency: Micros,
    pub pstn_setup: Micros,
}

impl Default for SignallingFile {
    fn default() -> Self {
        Self { hop_latency: Micros::from_millis(10), pstn_setup: Micros::from_millis(2000) }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
pub enum HoldingFile {
    Constant(Micros),
    Exponential(Micros),
    Lognormal { mean: Micros, sd: Micros },
    Empirical(Vec<(Micros, f64)>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DialFile {
    pub template: String,
    #[serde(default = "one")]
    pub weight: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFile {
    pub name: String,
    #[serde(default)]
    pub user_group: Option<String>,
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub trunk: Option<String>,
    /// An inbound DID range the carrier delivers over these trunks,
    /// hunting in order (instead of `trunk`).
    #[serde(default)]
    pub trunks: Option<Vec<String>>,
    #[serde(default)]
    pub bhca_per_user: Option<f64>,
    #[serde(default)]
    pub users: Option<i64>,
    #[serde(default)]
    pub calls_per_hour: Option<f64>,
    #[serde(default)]
    pub erlangs: Option<f64>,
    pub holding: HoldingFile,
    #[serde(default)]
    pub ring_time: Option<HoldingFile>,
    #[serde(default = "one")]
    pub answer_probability: f64,
    #[serde(default = "no_answer")]
    pub no_answer_timeout: Micros,
    #[serde(default)]
    pub profile: Option<Vec<f64>>,
    pub dial: Vec<DialFile>,
    #[serde(default)]
    pub calling: Option<String>,
    /// Each user holds at most one call at a time (default: true for a
    /// user-group source).
    #[serde(default)]
    pub finite_sources: Option<bool>,
    /// Blocked callers redial with this probability (default 0: never).
    #[serde(default)]
    pub retry_probability: Option<f64>,
    /// Mean of the exponential delay before a redial.
    #[serde(default)]
    pub retry_delay: Option<Micros>,
    /// Most redials of one call.
    #[serde(default)]
    pub max_redials: Option<i64>,
}

fn no_answer() -> Micros {
    Micros::from_secs(30)
}
