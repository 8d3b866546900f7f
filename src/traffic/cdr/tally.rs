//! What was wrong with the rows that were read: counted per kind, with
//! the first few examples, so a calibration says how much of the data it
//! used and a user can find the rows it did not (docs/cdr.md, "Rows
//! skipped or noted").

use std::fmt;

/// Examples kept per kind of problem: enough to find the rows, bounded
/// whatever the file's size.
pub const EXAMPLES_PER_KIND: usize = 5;

/// A kind of problem a row can have. All but [`ProblemKind::MixedTimeZone`]
/// skip the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProblemKind {
    /// No start time (the column is blank).
    MissingStart,
    /// No end time.
    MissingEnd,
    /// A time that is not one voicetwin reads, or out of 1970..2200.
    BadTimestamp,
    /// The end is before the start.
    NegativeDuration,
    /// The call lasted more than 24 hours (the longest a row may say).
    TooLong,
    /// The answer (or ringback) time is outside start..end.
    AnswerOutside,
    /// A response code that is not a number in 100..699.
    BadResponseCode,
    /// A `result`, `direction` or `attempt` value that is not one voicetwin
    /// knows.
    BadValue,
    /// A time written with an offset other than the file's first one:
    /// converted to UTC and used; a note, not a skip.
    MixedTimeZone,
    /// A row that started before rows already released in start order
    /// (further back than the reorder window).
    OutOfOrder,
    /// A gateway, trunk or peer name the model lacks.
    UnknownGateway,
    /// An outbound or internal call whose caller is no user of the model
    /// and whose row names no known site.
    UnknownCaller,
}

impl ProblemKind {
    pub const ALL: [ProblemKind; 12] = [
        ProblemKind::MissingStart,
        ProblemKind::MissingEnd,
        ProblemKind::BadTimestamp,
        ProblemKind::NegativeDuration,
        ProblemKind::TooLong,
        ProblemKind::AnswerOutside,
        ProblemKind::BadResponseCode,
        ProblemKind::BadValue,
        ProblemKind::MixedTimeZone,
        ProblemKind::OutOfOrder,
        ProblemKind::UnknownGateway,
        ProblemKind::UnknownCaller,
    ];

    /// Its name in reports (`missing_end`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::MissingStart => "missing_start",
            ProblemKind::MissingEnd => "missing_end",
            ProblemKind::BadTimestamp => "bad_timestamp",
            ProblemKind::NegativeDuration => "negative_duration",
            ProblemKind::TooLong => "too_long",
            ProblemKind::AnswerOutside => "answer_outside_call",
            ProblemKind::BadResponseCode => "bad_response_code",
            ProblemKind::BadValue => "bad_value",
            ProblemKind::MixedTimeZone => "mixed_time_zone",
            ProblemKind::OutOfOrder => "out_of_order",
            ProblemKind::UnknownGateway => "unknown_gateway",
            ProblemKind::UnknownCaller => "unknown_caller",
        }
    }

    /// What it means, for a report.
    pub fn describe(self) -> &'static str {
        match self {
            ProblemKind::MissingStart => "no start time: skipped",
            ProblemKind::MissingEnd => "no end time: skipped",
            ProblemKind::BadTimestamp => "a time voicetwin cannot read: skipped",
            ProblemKind::NegativeDuration => "ends before it starts: skipped",
            ProblemKind::TooLong => "lasts more than 24 hours: skipped",
            ProblemKind::AnswerOutside => "answered (or rang) outside its start..end: skipped",
            ProblemKind::BadResponseCode => "a response code that is not 100..699: skipped",
            ProblemKind::BadValue => "a result, direction or attempt value voicetwin does not know: skipped",
            ProblemKind::MixedTimeZone => "an offset other than the file's first one: converted to UTC and used",
            ProblemKind::OutOfOrder => "started before calls already released in start order: skipped",
            ProblemKind::UnknownGateway => "a gateway or trunk the model lacks: skipped",
            ProblemKind::UnknownCaller => "a caller that is no user of the model, at no known site: skipped",
        }
    }

    /// Whether a row with this problem is still used.
    pub fn is_note(self) -> bool {
        self == ProblemKind::MixedTimeZone
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One problem found in one row, before it is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub kind: ProblemKind,
    /// The column (the file's own header name) or field it is in.
    pub column: String,
    /// The text found there (shortened), or what was wrong.
    pub detail: String,
}

impl RowProblem {
    pub fn new(kind: ProblemKind, column: &str, detail: &str) -> Self {
        Self { kind, column: column.to_string(), detail: shorten(detail) }
    }
}

/// Where one problem was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub file: String,
    /// The data row, counted from 1 after the header.
    pub row: u64,
    pub column: String,
    pub detail: String,
}

impl fmt::Display for Example {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: row {}, column {:?}: {}", self.file, self.row, self.column, self.detail)
    }
}

/// The rows of one kind of problem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProblemCount {
    pub count: u64,
    /// The first [`EXAMPLES_PER_KIND`] rows.
    pub examples: Vec<Example>,
}

/// Rows read, used, and what was wrong with the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowTally {
    /// Data rows read (the header, blank lines and sqlcmd's underline and
    /// "rows affected" lines are not rows).
    pub rows_read: u64,
    problems: [ProblemCount; ProblemKind::ALL.len()],
}

impl RowTally {
    /// Rows read and not skipped for any problem.
    pub fn rows_used(&self) -> u64 {
        self.rows_read.saturating_sub(self.rows_skipped())
    }

    /// Rows skipped: each skipped row is counted under one kind.
    pub fn rows_skipped(&self) -> u64 {
        ProblemKind::ALL.iter().filter(|k| !k.is_note()).map(|k| self.problems[k.index()].count).sum()
    }

    pub fn problem(&self, kind: ProblemKind) -> &ProblemCount {
        &self.problems[kind.index()]
    }

    /// How many rows had this problem.
    pub fn count_of(&self, kind: ProblemKind) -> u64 {
        self.problems[kind.index()].count
    }

    /// The kinds seen, with their counts, in [`ProblemKind::ALL`] order.
    pub fn seen(&self) -> impl Iterator<Item = (ProblemKind, &ProblemCount)> {
        ProblemKind::ALL.iter().map(|k| (*k, &self.problems[k.index()])).filter(|(_, p)| p.count > 0)
    }

    /// Counts one problem of the row `row` of `file`. A row found wrong
    /// after it was read (by the resolver, or out of order) is counted
    /// here too, once, so [`RowTally::rows_used`] stays right.
    pub fn count(&mut self, file: &str, row: u64, problem: &RowProblem) {
        let p = &mut self.problems[problem.kind.index()];
        p.count += 1;
        if p.examples.len() < EXAMPLES_PER_KIND {
            p.examples.push(Example {
                file: file.to_string(),
                row,
                column: problem.column.clone(),
                detail: problem.detail.clone(),
            });
        }
    }

    /// Adds another tally (another file's) into this one; examples are
    /// kept in order, up to the bound.
    pub fn add(&mut self, other: &RowTally) {
        self.rows_read += other.rows_read;
        for (mine, theirs) in self.problems.iter_mut().zip(&other.problems) {
            mine.count += theirs.count;
            let room = EXAMPLES_PER_KIND.saturating_sub(mine.examples.len());
            mine.examples.extend(theirs.examples.iter().take(room).cloned());
        }
    }
}

impl fmt::Display for RowTally {
    /// A short account: rows read and used, then each kind seen.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} rows read, {} used", self.rows_read, self.rows_used())?;
        for (kind, p) in self.seen() {
            writeln!(f, "  {} {}: {}", p.count, kind.as_str(), kind.describe())?;
            for e in &p.examples {
                writeln!(f, "    {e}")?;
            }
        }
        Ok(())
    }
}

/// At most 160 characters of a cell, for examples and messages.
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 160;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_do_not_skip_and_examples_are_bounded() {
        let mut t = RowTally { rows_read: 20, ..Default::default() };
        for row in 1..=8 {
            t.count("a.csv", row, &RowProblem::new(ProblemKind::MissingEnd, "end", ""));
        }
        t.count("a.csv", 9, &RowProblem::new(ProblemKind::MixedTimeZone, "start", "+02:00"));
        assert_eq!(t.count_of(ProblemKind::MissingEnd), 8);
        assert_eq!(t.problem(ProblemKind::MissingEnd).examples.len(), EXAMPLES_PER_KIND);
        assert_eq!(t.rows_used(), 12);
        let mut sum = RowTally::default();
        sum.add(&t);
        sum.add(&t);
        assert_eq!(sum.rows_read, 40);
        assert_eq!(sum.rows_used(), 24);
        assert_eq!(sum.problem(ProblemKind::MissingEnd).examples.len(), EXAMPLES_PER_KIND);
        assert!(shorten(&"é".repeat(200)).ends_with("..."));
    }
}
