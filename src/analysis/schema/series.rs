//! The CSV files of a run folder: figures per time bucket
//! (`timeseries.csv`, `calls.csv`, `mos.csv`, `cac.csv`) and the failed
//! elements' state changes (`timeline.csv`). Times are seconds from the
//! start of the run, warm-up included.

use serde::{Deserialize, Serialize};

use crate::sim::metrics::ElementState;

use super::table::{CsvRow, Number};

/// What a line of `timeseries.csv` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeriesKind {
    /// Calls on a gateway, PBX or ITSP.
    Peer,
    /// Calls on a trunk.
    Trunk,
    /// Calls on a Mediation pool.
    MediationPool,
    /// Media bandwidth on a WAN link, in kbps.
    WanLink,
}

impl SeriesKind {
    pub const ALL: [SeriesKind; 4] =
        [SeriesKind::Peer, SeriesKind::Trunk, SeriesKind::MediationPool, SeriesKind::WanLink];

    /// As written in the file: `peer`, `mediation-pool`.
    pub fn label(self) -> &'static str {
        match self {
            SeriesKind::Peer => "peer",
            SeriesKind::Trunk => "trunk",
            SeriesKind::MediationPool => "mediation-pool",
            SeriesKind::WanLink => "wan-link",
        }
    }
}

/// One line of `timeseries.csv`: an element's mean occupancy in one time
/// bucket, with its interval (calls; kbps for a WAN link).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeriesRow {
    pub bucket_start_s: Number,
    pub kind: SeriesKind,
    pub element: String,
    /// Empty when unlimited.
    pub capacity: Option<Number>,
    pub mean_occupancy: Number,
    pub ci95_low: Number,
    pub ci95_high: Number,
}

impl CsvRow for SeriesRow {
    const FILE: &'static str = "timeseries.csv";
}

/// One line of `calls.csv`: the calls needing the PSTN side arriving in
/// one time bucket. Buckets wholly in the warm-up are 0 with no grade of
/// service.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallsRow {
    pub bucket_start_s: Number,
    pub offered: Number,
    pub offered_ci95_low: Number,
    pub offered_ci95_high: Number,
    pub blocked: Number,
    pub blocked_ci95_low: Number,
    pub blocked_ci95_high: Number,
    /// Empty where nothing was offered.
    pub grade_of_service: Option<Number>,
    pub grade_of_service_ci95_low: Option<Number>,
    pub grade_of_service_ci95_high: Option<Number>,
}

impl CsvRow for CallsRow {
    const FILE: &'static str = "calls.csv";
}

/// One line of `mos.csv`: the mean MOS of the calls answered in one time
/// bucket (buckets with no scored call have no line).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MosRow {
    pub bucket_start_s: Number,
    pub mos_mean: Number,
    pub ci95_low: Number,
    pub ci95_high: Number,
}

impl CsvRow for MosRow {
    const FILE: &'static str = "mos.csv";
}

/// One line of `cac.csv`: a call admission control element's admitted
/// audio and denials in one time bucket.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacRow {
    pub bucket_start_s: Number,
    pub element: String,
    pub admitted_kbps: Number,
    pub denials: Number,
    pub ci95_low: Number,
    pub ci95_high: Number,
}

impl CsvRow for CacRow {
    const FILE: &'static str = "cac.csv";
}

/// One line of `timeline.csv`: a failed element's change of state in one
/// replication.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StateChangeRow {
    pub replication: u32,
    pub time_s: Number,
    /// The scenario failure's name.
    pub failure: String,
    /// `peer:gw-red-1`.
    pub element: String,
    pub state: ElementState,
}

impl CsvRow for StateChangeRow {
    const FILE: &'static str = "timeline.csv";
}
