//! Records in start-time order from files written in another order.
//!
//! SBCs and the Monitoring database write a row when a call ends, so rows
//! arrive roughly ordered by end time. A replay needs them by start time.
//! A bounded reorder window does it in one pass: records wait in a heap
//! and are released once the newest start seen is more than the window
//! past theirs. Memory grows with the calls started within one window,
//! not with the file.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::read::CdrSource;
use super::tally::{ProblemKind, RowProblem, RowTally};
use super::{CdrError, CdrRecord};

/// The default reorder window: one hour (a call longer than that, written
/// at its end, may come after calls started later).
pub const DEFAULT_WINDOW_US: i64 = 3600 * 1_000_000;

/// A [`CdrSource`] adapter yielding records in start order (ties in the
/// order they were read). A record that started before one already
/// released is counted as [`ProblemKind::OutOfOrder`] and skipped.
pub struct StartOrder<S> {
    inner: S,
    window_us: i64,
    /// (start, sequence read, slot in `slots`).
    heap: BinaryHeap<Reverse<(i64, u64, usize)>>,
    slots: Vec<CdrRecord>,
    free: Vec<usize>,
    seq: u64,
    newest_start: i64,
    released_until: Option<i64>,
    done: bool,
    peak: usize,
}

impl<S: CdrSource> StartOrder<S> {
    /// Orders `inner` with a window of `window_us` (at least 0).
    pub fn new(inner: S, window_us: i64) -> Self {
        Self {
            inner,
            window_us: window_us.max(0),
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            seq: 0,
            newest_start: i64::MIN,
            released_until: None,
            done: false,
            peak: 0,
        }
    }

    pub fn with_default_window(inner: S) -> Self {
        Self::new(inner, DEFAULT_WINDOW_US)
    }

    /// The source being ordered.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    pub fn into_inner(self) -> S {
        self.inner
    }

    /// The most records held at once so far (memory is this times a record).
    pub fn peak_pending(&self) -> usize {
        self.peak
    }

    fn ready(&self) -> bool {
        match self.heap.peek() {
            Some(Reverse((start, _, _))) => self.done || self.newest_start.saturating_sub(*start) > self.window_us,
            None => false,
        }
    }
}

impl<S: CdrSource> CdrSource for StartOrder<S> {
    fn next_record(&mut self, rec: &mut CdrRecord) -> Result<bool, CdrError> {
        loop {
            if self.ready() {
                let Some(Reverse((start, _, slot))) = self.heap.pop() else { continue };
                std::mem::swap(rec, &mut self.slots[slot]);
                self.free.push(slot);
                self.released_until = Some(start);
                return Ok(true);
            }
            if self.done {
                return Ok(false);
            }
            let slot = match self.free.pop() {
                Some(s) => s,
                None => {
                    self.slots.push(CdrRecord::default());
                    self.slots.len() - 1
                }
            };
            if !self.inner.next_record(&mut self.slots[slot])? {
                self.free.push(slot);
                self.done = true;
                continue;
            }
            let r = &self.slots[slot];
            if self.released_until.is_some_and(|t| r.start_us < t) {
                let p = RowProblem::new(
                    ProblemKind::OutOfOrder,
                    "start",
                    &format!(
                        "started more than the {} s reorder window before calls already read",
                        self.window_us / 1_000_000
                    ),
                );
                let r = self.slots[slot].clone();
                self.inner.count(&r, &p);
                self.free.push(slot);
                continue;
            }
            self.newest_start = self.newest_start.max(r.start_us);
            self.heap.push(Reverse((r.start_us, self.seq, slot)));
            self.seq += 1;
            self.peak = self.peak.max(self.heap.len());
        }
    }

    fn tally(&self) -> RowTally {
        self.inner.tally()
    }

    fn count(&mut self, rec: &CdrRecord, problem: &RowProblem) {
        self.inner.count(rec, problem);
    }

    fn file_name(&self, file: u32) -> &str {
        self.inner.file_name(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::cdr::read::{CdrReader, ReadOptions};

    #[test]
    fn rows_ordered_by_end_come_out_by_start() {
        // Starts (minutes): 10, 0, 20, 5 (5 is within the window of 20), then 1 h
        // later 90, then 2 (too late: 90 released everything before it).
        let mut text = String::from("start,end,caller,called,from_gateway,to_gateway\n");
        for m in [10, 0, 20, 5, 90, 2, 95] {
            text.push_str(&format!("2026-01-01T{:02}:{:02}:00Z,2026-01-01T03:00:00Z,a,b,,\n", m / 60, m % 60));
        }
        let r =
            CdrReader::from_reader("t.csv", Box::new(std::io::Cursor::new(text.into_bytes())), &ReadOptions::default())
                .unwrap();
        let mut o = StartOrder::new(r, 30 * 60 * 1_000_000);
        let mut rec = CdrRecord::default();
        let mut mins = Vec::new();
        while o.next_record(&mut rec).unwrap() {
            mins.push((rec.start_us / 60_000_000) % (24 * 60));
        }
        assert_eq!(mins, [0, 5, 10, 20, 90, 95]);
        let t = o.tally();
        assert_eq!(t.count_of(ProblemKind::OutOfOrder), 1);
        assert_eq!(t.problem(ProblemKind::OutOfOrder).examples[0].row, 6);
        assert_eq!(t.rows_used(), 6);
    }
}
