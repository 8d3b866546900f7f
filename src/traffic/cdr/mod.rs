//! Call detail records: the network's own account of its calls, read to
//! calibrate a scenario (`voicetwin calibrate`) and to replay a trace
//! (`voicetwin replay`), and written by `voicetwin run --cdr` in the
//! layout voicetwin reads back (docs/cdr.md).
//!
//! A CDR file is read as a stream, one row at a time into a reused
//! [`CdrRecord`]: memory does not grow with the rows. What a row says is
//! kept as recorded (names and numbers as text); [`resolve`] ties it to
//! the model's objects.
//!
//! - [`time`]: timestamps (RFC 3339, SQL Server, en-US, day-first) to UTC.
//! - [`layout`]: which column is which, recognized from the header.
//! - [`read`]: [`CdrReader`] (one file), [`CdrFiles`] (a file or folder).
//! - [`order`]: [`StartOrder`], records by start time within a window.
//! - [`tally`]: [`RowTally`], the rows skipped or noted, by kind.
//! - [`resolve`]: [`Resolver`], rows to peers, trunks, users, sites.
//! - [`write`]: [`CdrWriter`], voicetwin's own layout.

pub mod error;
pub mod layout;
pub mod order;
pub mod read;
pub mod resolve;
pub mod tally;
pub mod text;
pub mod time;
pub mod write;

pub use error::CdrError;
pub use layout::{ColumnMap, Field, Layout};
pub use order::{StartOrder, DEFAULT_WINDOW_US};
pub use read::{CdrFiles, CdrReader, CdrSource, ReadOptions};
pub use resolve::{ResolvedCall, Resolver};
pub use tally::{Example, ProblemCount, ProblemKind, RowProblem, RowTally};
pub use time::{parse_time_zone, TimeParser};
pub use write::CdrWriter;

/// One call as a CDR row records it, times in UTC microseconds since the
/// Unix epoch. Text fields are empty when the layout has no such column
/// or the row leaves it blank.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CdrRecord {
    /// The data row in its file, counted from 1 after the header.
    pub row: u64,
    /// Which file it came from: an index into [`CdrFiles::files`] (0 for
    /// a single [`CdrReader`]).
    pub file: u32,
    /// When the call was placed (the first INVITE).
    pub start_us: i64,
    /// When ringback came, if the layout records it (voicetwin's does).
    pub ringback_us: Option<i64>,
    /// When the callee answered (none: never answered).
    pub answer_us: Option<i64>,
    /// When the call ended (released, or given up).
    pub end_us: Option<i64>,
    /// The final SIP response (200 for an answered call), if recorded.
    pub response_code: Option<u16>,
    /// How the call ended, from the layout's own column or the response code.
    pub outcome: CdrOutcome,
    /// The call's stream, when the layout says it; else inferred from the
    /// gateways ([`CdrRecord::inferred_direction`]).
    pub direction: Option<CdrDirection>,
    /// The calling party: a Line URI or a PSTN caller's number (`+14255550100`,
    /// `tel:+1...`, `sip:alice@contoso.com`).
    pub caller: String,
    /// What the caller dialed, as dialed when the layout has it.
    pub dialed: String,
    /// The called number after normalization (Lync's `ToPhone`).
    pub called: String,
    /// The gateway (peer) a call arrived from, and the one it left by:
    /// a name, FQDN or address as the layout writes it.
    pub from_gateway: String,
    pub to_gateway: String,
    /// Trunks, when the layout names them (voicetwin's does).
    pub from_trunk: String,
    pub to_trunk: String,
    /// The Mediation Server or pool of each side, when recorded.
    pub from_mediation: String,
    pub to_mediation: String,
    /// The caller's site, when the layout names it (voicetwin's does).
    pub site: String,
    /// The redial number of this attempt (0: a first attempt), when recorded.
    pub attempt: Option<u32>,
}

/// How a call ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum CdrOutcome {
    /// Answered (200).
    #[default]
    Answered,
    /// Rang and was not answered, or the caller hung up first (480, 408, 487).
    NoAnswer,
    /// The far end answered a final response that ends the call (486, 404, other 4xx/6xx).
    Failed,
    /// No trunk, channel or session took it (503 and other 5xx).
    Blocked,
    /// Cut off in progress by a failure.
    Dropped,
    /// The caller's policy does not allow the number (403).
    NotAuthorized,
}

/// The stream a call belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CdrDirection {
    Outbound,
    Inbound,
    InterTrunk,
    Internal,
}

impl CdrRecord {
    /// The direction the row says, else what its gateways show: a call
    /// from a gateway to a gateway is inter-trunk, from one inbound, to
    /// one outbound, through none internal.
    pub fn inferred_direction(&self) -> CdrDirection {
        if let Some(d) = self.direction {
            return d;
        }
        match (self.from_gateway.is_empty(), self.to_gateway.is_empty()) {
            (false, false) => CdrDirection::InterTrunk,
            (false, true) => CdrDirection::Inbound,
            (true, false) => CdrDirection::Outbound,
            (true, true) => CdrDirection::Internal,
        }
    }
}

/// voicetwin's own CDR layout (`voicetwin run --cdr` writes it; every
/// command reads it), in column order. Times are RFC 3339 in UTC with
/// microseconds (`2026-01-05T09:00:00.000000Z`); `result` is one of
/// [`CdrOutcome::as_str`]; `direction` one of [`CdrDirection::as_str`].
pub const NATIVE_COLUMNS: [&str; 18] = [
    "call_id",
    "attempt",
    "start",
    "ringback",
    "answer",
    "end",
    "result",
    "response_code",
    "direction",
    "site",
    "caller",
    "dialed",
    "called",
    "from_gateway",
    "from_trunk",
    "to_gateway",
    "to_trunk",
    "mediation_pool",
];

impl CdrOutcome {
    pub const ALL: [CdrOutcome; 6] = [
        CdrOutcome::Answered,
        CdrOutcome::NoAnswer,
        CdrOutcome::Failed,
        CdrOutcome::Blocked,
        CdrOutcome::Dropped,
        CdrOutcome::NotAuthorized,
    ];

    /// Its name in voicetwin's layout.
    pub fn as_str(self) -> &'static str {
        match self {
            CdrOutcome::Answered => "answered",
            CdrOutcome::NoAnswer => "no_answer",
            CdrOutcome::Failed => "failed",
            CdrOutcome::Blocked => "blocked",
            CdrOutcome::Dropped => "dropped",
            CdrOutcome::NotAuthorized => "not_authorized",
        }
    }
}

impl CdrDirection {
    pub const ALL: [CdrDirection; 4] =
        [CdrDirection::Outbound, CdrDirection::Inbound, CdrDirection::InterTrunk, CdrDirection::Internal];

    /// Its name in voicetwin's layout.
    pub fn as_str(self) -> &'static str {
        match self {
            CdrDirection::Outbound => "outbound",
            CdrDirection::Inbound => "inbound",
            CdrDirection::InterTrunk => "inter-trunk",
            CdrDirection::Internal => "internal",
        }
    }
}
