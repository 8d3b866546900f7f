//! Call detail records out of a replication: one record per call attempt
//! (a redial is its own), handed as it ends to a [`CdrSink`], which
//! writes it (`voicetwin run --cdr`, [`CdrFile`]) or tallies it
//! (`voicetwin replay`). Off, the engine holds `None` and does nothing
//! more than test it.
//!
//! The record is made in one place, where an attempt ends
//! (`Simulation::end_attempt`); what it needs of the attempt that the
//! call record does not keep (its call's number, ringback, final
//! response, the normalized number) is noted per slot here.

use std::io::{self, BufWriter, Write};

use crate::model::{Model, PeerId, SiteId, TrunkId, UserGroupId};
use crate::traffic::cdr::{CdrDirection, CdrOutcome, NATIVE_COLUMNS};

use super::metrics::Direction;

/// Who placed an attempt.
#[derive(Debug, Clone, Copy)]
pub enum CdrCaller<'a> {
    /// An Enterprise Voice user (group, index): its Line URI.
    User(UserGroupId, u32),
    /// A site or trunk caller's raw calling number (empty: none sent).
    Number(&'a str),
}

/// One attempt as it ended, times in simulated µs.
#[derive(Debug, Clone, Copy)]
pub struct AttemptRecord<'a> {
    /// The call's number in its replication, from 1; its redials share it.
    pub call_id: u64,
    /// 0 for a first attempt, else its redial number.
    pub attempt: u32,
    pub start: u64,
    pub ringback: Option<u64>,
    pub answer: Option<u64>,
    pub end: u64,
    pub outcome: CdrOutcome,
    pub response_code: Option<u16>,
    pub direction: Direction,
    /// The caller's site, or the inbound trunk's.
    pub site: SiteId,
    pub caller: CdrCaller<'a>,
    pub dialed: &'a str,
    /// The normalized number (empty when routing found none).
    pub called: &'a str,
    /// The trunk the call came in by, and the one that carried it out.
    pub from_trunk: Option<TrunkId>,
    pub to_trunk: Option<TrunkId>,
}

impl AttemptRecord<'_> {
    /// The peer of the outbound trunk, else of the inbound one.
    pub fn peers(&self, model: &Model) -> (Option<PeerId>, Option<PeerId>) {
        (self.from_trunk.map(|t| model.trunk(t).peer), self.to_trunk.map(|t| model.trunk(t).peer))
    }
}

/// Where a replication's records go.
pub trait CdrSink: Send {
    fn record(&mut self, model: &Model, r: &AttemptRecord<'_>);

    /// Done: what is buffered written out; the records taken.
    fn finish(self: Box<Self>) -> io::Result<u64> {
        Ok(0)
    }
}

/// The CDR direction of a stream.
pub fn cdr_direction(d: Direction) -> CdrDirection {
    match d {
        Direction::Outbound => CdrDirection::Outbound,
        Direction::Inbound => CdrDirection::Inbound,
        Direction::InterTrunk => CdrDirection::InterTrunk,
        Direction::Internal => CdrDirection::Internal,
    }
}

/// What a record needs of an attempt in progress, per call slot.
#[derive(Debug, Default)]
pub(super) struct Slot {
    pub call_id: u64,
    pub ringback: Option<u64>,
    pub code: Option<u16>,
    pub called: String,
}

/// The engine's side: the sink and each slot's notes.
pub(super) struct Recorder {
    pub sink: Box<dyn CdrSink>,
    pub slots: Vec<Slot>,
    calls: u64,
}

impl Recorder {
    pub fn new(sink: Box<dyn CdrSink>) -> Self {
        Self { sink, slots: Vec::new(), calls: 0 }
    }

    pub fn slot(&mut self, id: u32) -> &mut Slot {
        let i = id as usize;
        if i >= self.slots.len() {
            self.slots.resize_with(i + 1, Slot::default);
        }
        &mut self.slots[i]
    }

    /// Slot `id` holds a new call.
    pub fn new_call(&mut self, id: u32) {
        self.calls += 1;
        let n = self.calls;
        self.slot(id).call_id = n;
    }

    /// An attempt of slot `id` is placed: routing normalized `called`.
    pub fn placed(&mut self, id: u32, called: &str) {
        let s = self.slot(id);
        s.ringback = None;
        s.code = None;
        s.called.clear();
        s.called.push_str(called);
    }
}

/// The first instant of simulated time, in UTC µs since the Unix epoch:
/// midnight of `days` (since 1970-01-01) plus `start_hour`.
pub fn epoch_us(days: i64, start_hour: u8) -> i64 {
    days * 86_400_000_000 + i64::from(start_hour) * 3_600_000_000
}

pub use crate::scenario::date::{civil_from_days, days_from_civil};

/// Writes `us` (UTC µs since the epoch) as RFC 3339 with microseconds:
/// `2026-01-05T09:00:00.000000Z`.
pub fn write_rfc3339(us: i64, out: &mut String) {
    use std::fmt::Write as _;
    let days = us.div_euclid(86_400_000_000);
    let rest = us.rem_euclid(86_400_000_000);
    let (y, m, d) = civil_from_days(days);
    let s = rest / 1_000_000;
    let _ =
        write!(out, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}Z", s / 3600, s / 60 % 60, s % 60, rest % 1_000_000);
}

/// Records written in voicetwin's CDR layout (`NATIVE_COLUMNS`), through
/// a buffer, as attempts end. A write error is kept and the rest
/// skipped: [`CdrFile::finish`] returns it.
pub struct CdrFile<W: Write + Send> {
    out: BufWriter<W>,
    /// Simulated time 0, in UTC µs since the epoch.
    base_us: i64,
    line: String,
    number: String,
    error: Option<io::Error>,
    rows: u64,
}

impl<W: Write + Send> CdrFile<W> {
    /// Writes the header; `base_us` is simulated time 0 ([`epoch_us`]).
    pub fn new(w: W, base_us: i64) -> Self {
        let mut f = Self {
            out: BufWriter::with_capacity(1 << 16, w),
            base_us,
            line: String::new(),
            number: String::new(),
            error: None,
            rows: 0,
        };
        f.line = NATIVE_COLUMNS.join(",") + "\n";
        f.emit();
        f
    }

    fn emit(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(self.line.as_bytes()) {
                self.error = Some(e);
            }
        }
    }

    /// Rows written.
    pub fn rows(&self) -> u64 {
        self.rows
    }
}

/// A CSV field: quoted when it holds a comma, quote or line break.
fn field(out: &mut String, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

impl<W: Write + Send> CdrSink for CdrFile<W> {
    fn record(&mut self, m: &Model, r: &AttemptRecord<'_>) {
        use std::fmt::Write as _;
        let mut l = std::mem::take(&mut self.line);
        l.clear();
        let base = self.base_us;
        let time = |l: &mut String, t: Option<u64>| {
            if let Some(t) = t {
                write_rfc3339(base + t as i64, l);
            }
            l.push(',');
        };
        let _ = write!(l, "{},{},", r.call_id, r.attempt);
        time(&mut l, Some(r.start));
        time(&mut l, r.ringback);
        time(&mut l, r.answer);
        time(&mut l, Some(r.end));
        l.push_str(r.outcome.as_str());
        l.push(',');
        if let Some(c) = r.response_code {
            let _ = write!(l, "{c}");
        }
        l.push(',');
        l.push_str(cdr_direction(r.direction).as_str());
        l.push(',');
        field(&mut l, &m.sites[r.site.index()].name);
        l.push(',');
        match r.caller {
            CdrCaller::User(g, i) => {
                self.number.clear();
                self.number.push_str(&m.user_group(g).number(i));
                field(&mut l, &self.number);
            }
            CdrCaller::Number(n) => field(&mut l, n),
        }
        l.push(',');
        field(&mut l, r.dialed);
        l.push(',');
        field(&mut l, r.called);
        l.push(',');
        for t in [r.from_trunk, r.to_trunk] {
            match t {
                Some(t) => {
                    field(&mut l, &m.peer(m.trunk(t).peer).name);
                    l.push(',');
                    field(&mut l, &m.trunk(t).name);
                }
                None => l.push(','),
            }
            l.push(',');
        }
        if let Some(t) = r.to_trunk.or(r.from_trunk) {
            field(&mut l, &m.mediation_pool(m.trunk(t).mediation_pool).fqdn);
        }
        l.push('\n');
        self.line = l;
        self.emit();
        self.rows += 1;
    }

    /// Flushes; the first write error, if any, else the rows written.
    fn finish(mut self: Box<Self>) -> io::Result<u64> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_rfc3339_utc() {
        let mut s = String::new();
        write_rfc3339(epoch_us(days_from_civil(2026, 1, 5), 9) + 61_000_123, &mut s);
        assert_eq!(s, "2026-01-05T09:01:01.000123Z");
    }
}
