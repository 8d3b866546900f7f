//! Reading CDR files as a stream: one reused row and record, so memory
//! is flat in the number of rows. A row that is wrong is skipped and
//! counted ([`RowTally`]); only a file that cannot be read at all is an
//! error ([`CdrError`]).

use std::fs::File;
use std::io::{BufRead, Cursor, Read};
use std::path::{Path, PathBuf};

use csv::StringRecord;
use jiff::tz::TimeZone;

use super::error::CdrError;
use super::layout::{recognize, ColumnMap, Field, Layout};
use super::tally::{shorten, ProblemKind, RowProblem, RowTally};
use super::text::{decoded, sniff_delimiter, MAX_HEADER_BYTES};
use super::time::TimeParser;
use super::{CdrDirection, CdrOutcome, CdrRecord};

/// The longest call a row may record: longer is a clock or export error.
pub const MAX_DURATION_US: i64 = 24 * 3600 * 1_000_000;

/// How CDR files are read (the CLI's `--columns`, `--time-zone`,
/// `--day-first`).
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// A column map for a layout no preset knows.
    pub columns: Option<ColumnMap>,
    /// The zone of times written without an offset (default UTC).
    pub time_zone: TimeZone,
    /// `24/11/2026` is day first.
    pub day_first: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self { columns: None, time_zone: TimeZone::UTC, day_first: false }
    }
}

/// Anything that yields CDR records: one file, a folder of them, or the
/// start-order adapter over either.
pub trait CdrSource {
    /// Fills `rec` with the next usable row; false at the end. Wrong rows
    /// are skipped and counted, never an `Err`.
    fn next_record(&mut self, rec: &mut CdrRecord) -> Result<bool, CdrError>;
    /// What was read so far, summed over files.
    fn tally(&self) -> RowTally;
    /// Counts a problem found in `rec` after it was read (by the resolver,
    /// say), against the file and row it came from.
    fn count(&mut self, rec: &CdrRecord, problem: &RowProblem);
    /// The name of the file a record's `file` index points at.
    fn file_name(&self, file: u32) -> &str;
}

/// One CDR file, read row by row.
pub struct CdrReader {
    name: String,
    file_index: u32,
    csv: csv::Reader<Box<dyn Read + Send>>,
    layout: Layout,
    parser: TimeParser,
    raw: StringRecord,
    tally: RowTally,
    /// Data rows seen (the row number of the last one).
    row: u64,
    /// The offset the file's first offset-carrying time wrote.
    first_offset: Option<i32>,
    /// A time without an offset was read (before any with one).
    seen_naive: bool,
}

impl CdrReader {
    /// Opens a file and recognizes its header.
    pub fn open(path: &Path, options: &ReadOptions) -> Result<Self, CdrError> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| CdrError::new(&name, format!("cannot open: {e}")))?;
        Self::from_reader(&name, Box::new(file), options)
    }

    /// Reads a stream as a CDR file named `name` (in messages).
    pub fn from_reader(name: &str, input: Box<dyn Read + Send>, options: &ReadOptions) -> Result<Self, CdrError> {
        let mut text = decoded(input).map_err(|e| CdrError::new(name, format!("cannot read: {e}")))?;
        let mut header = Vec::new();
        (&mut text)
            .take(MAX_HEADER_BYTES)
            .read_until(b'\n', &mut header)
            .map_err(|e| CdrError::new(name, format!("cannot read: {e}")).at_row(0))?;
        if header.iter().all(u8::is_ascii_whitespace) {
            return Err(CdrError::new(name, "the file is empty: a CDR file starts with a header row").at_row(0));
        }
        if !header.ends_with(b"\n") && header.len() as u64 >= MAX_HEADER_BYTES {
            return Err(CdrError::new(name, "no header row (the first line is over 64 KiB): not a CSV file").at_row(0));
        }
        if header.contains(&0) || std::str::from_utf8(&header).is_err() {
            return Err(CdrError::new(name, "not text: a CDR file is CSV in UTF-8 or UTF-16").at_row(0));
        }
        let delimiter = sniff_delimiter(&header);
        let stream: Box<dyn Read + Send> = Box::new(Cursor::new(header).chain(text));
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(64 * 1024)
            .from_reader(stream);
        let mut raw = StringRecord::new();
        match csv.read_record(&mut raw) {
            Ok(true) => {}
            Ok(false) => return Err(CdrError::new(name, "no header row").at_row(0)),
            Err(e) => return Err(CdrError::new(name, format!("not CSV: {e}")).at_row(0)),
        }
        let cols: Vec<String> =
            raw.iter().map(|c| c.trim_start_matches('\u{feff}').trim().trim_matches('"').to_string()).collect();
        let layout = recognize(&cols, options.columns.as_ref()).map_err(|e| {
            let err = CdrError::new(name, e.message).at_row(0);
            match e.column {
                Some(c) => err.at_column(&c),
                None => err,
            }
        })?;
        Ok(Self {
            name: name.to_string(),
            file_index: 0,
            csv,
            layout,
            parser: TimeParser::new(options.time_zone.clone(), options.day_first),
            raw,
            tally: RowTally::default(),
            row: 0,
            first_offset: None,
            seen_naive: false,
        })
    }

    /// The layout's name (`voicetwin`, `lync-voipdetails`, `sbc`, `columns`).
    pub fn layout(&self) -> &str {
        &self.layout.name
    }

    /// The recognized layout: which column holds what.
    pub fn layout_detail(&self) -> &Layout {
        &self.layout
    }

    /// This file's tally.
    pub fn file_tally(&self) -> &RowTally {
        &self.tally
    }

    /// A problem found after reading (by the resolver), its column named
    /// as this file's header names it (`ToGateway`, not `to_gateway`).
    fn in_file_terms(&self, problem: &RowProblem) -> RowProblem {
        in_terms_of(&self.layout, problem)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn with_file_index(mut self, i: u32) -> Self {
        self.file_index = i;
        self
    }

    /// Reads the next raw row; false at the end. Not UTF-8 and ragged
    /// rows are errors: the file is not what its header says.
    fn next_raw(&mut self) -> Result<bool, CdrError> {
        loop {
            match self.csv.read_record(&mut self.raw) {
                Ok(false) => return Ok(false),
                Ok(true) => {}
                Err(e) => {
                    let row = self.row + 1;
                    let (message, column) = match e.kind() {
                        csv::ErrorKind::Utf8 { err: u, .. } => (
                            "not UTF-8 text: save the export as UTF-8 (Export-Csv -Encoding UTF8)".to_string(),
                            self.layout.header.get(u.field()).cloned(),
                        ),
                        _ => (format!("not CSV: {e}"), None),
                    };
                    let mut err = CdrError::new(&self.name, message).at_row(row);
                    if let Some(c) = column {
                        err = err.at_column(&c);
                    }
                    return Err(err);
                }
            }
            if is_sqlcmd_decoration(&self.raw) {
                continue;
            }
            self.row += 1;
            let width = self.layout.header.len();
            if self.raw.len() != width {
                let at = self.layout.header.get(self.raw.len().min(width.saturating_sub(1))).cloned();
                let mut err = CdrError::new(
                    &self.name,
                    format!(
                        "{} fields where the header has {width}: a delimiter inside an unquoted value, \
                         or a truncated file",
                        self.raw.len()
                    ),
                )
                .at_row(self.row);
                if let Some(c) = at {
                    err = err.at_column(&c);
                }
                return Err(err);
            }
            return Ok(true);
        }
    }

    /// The cell of a field: trimmed, `None` when blank or `NULL` (sqlcmd).
    fn cell(&self, f: Field) -> Option<&str> {
        let v = self.raw.get(self.layout.column(f)?)?.trim();
        (!v.is_empty() && !v.eq_ignore_ascii_case("null")).then_some(v)
    }

    fn problem(&self, kind: ProblemKind, f: Field, detail: &str) -> RowProblem {
        RowProblem::new(kind, self.layout.column_name(f), detail)
    }

    /// A time field: none when blank; a bad one is a problem. An offset
    /// other than the file's first is noted.
    fn time(&mut self, f: Field, mixed: &mut Option<RowProblem>) -> Result<Option<i64>, RowProblem> {
        let parsed = match self.cell(f) {
            None => return Ok(None),
            Some(text) => self
                .parser
                .parse(text)
                .map_err(|why| self.problem(ProblemKind::BadTimestamp, f, &format!("{}: {why}", shorten(text))))?,
        };
        // Times with an offset other than the first one, and times with
        // an offset among times without one (read in --time-zone) or the
        // other way round, are a mixed file.
        let text = self.cell(f).unwrap_or_default();
        let note = match (parsed.offset_seconds, self.first_offset) {
            (Some(_), None) if self.seen_naive => {
                Some(format!("{text} (earlier times had no offset and were read in --time-zone)"))
            }
            (Some(off), None) => {
                self.first_offset = Some(off);
                None
            }
            (Some(off), Some(first)) if first != off => {
                Some(format!("{text} (the file's first offset was {})", fmt_offset(first)))
            }
            (None, Some(first)) => Some(format!(
                "{text} (no offset, read in --time-zone; the file's first offset was {})",
                fmt_offset(first)
            )),
            (None, None) => {
                self.seen_naive = true;
                None
            }
            _ => None,
        };
        if let (Some(d), None) = (note, mixed.as_ref()) {
            *mixed = Some(self.problem(ProblemKind::MixedTimeZone, f, &d));
        }
        Ok(Some(parsed.us))
    }

    /// Fills `rec` from the current row, or says why the row is skipped.
    fn fill(&mut self, rec: &mut CdrRecord, mixed: &mut Option<RowProblem>) -> Result<(), RowProblem> {
        rec.row = self.row;
        rec.file = self.file_index;
        let start = self.time(Field::Start, mixed)?;
        let ringback = self.time(Field::Ringback, mixed)?;
        let answer = self.time(Field::Answer, mixed)?;
        let end = self.time(Field::End, mixed)?;
        let response_time = self.time(Field::ResponseTime, mixed)?;
        let Some(start) = start else {
            return Err(self.problem(ProblemKind::MissingStart, Field::Start, "blank"));
        };
        let code = match self.cell(Field::ResponseCode) {
            None => None,
            Some(t) => match t.parse::<u16>() {
                Ok(c) if (100..=699).contains(&c) => Some(c),
                _ => return Err(self.problem(ProblemKind::BadResponseCode, Field::ResponseCode, t)),
            },
        };
        // Lync's ResponseTime is the answer of a 200; for another final
        // response it is when the call ended, if the end is blank.
        let mut answer = answer;
        let mut end = end;
        if let Some(rt) = response_time {
            match code {
                Some(200..=299) => answer = answer.or(Some(rt)),
                Some(_) => end = end.or(Some(rt)),
                None => {}
            }
        }
        let Some(end) = end else {
            return Err(self.problem(ProblemKind::MissingEnd, Field::End, "blank"));
        };
        if end < start {
            let d = format!("ends {:.3} s before it starts", (start - end) as f64 / 1e6);
            return Err(self.problem(ProblemKind::NegativeDuration, Field::End, &d));
        }
        if end - start > MAX_DURATION_US {
            let d = format!("lasts {:.1} h", (end - start) as f64 / 3.6e9);
            return Err(self.problem(ProblemKind::TooLong, Field::End, &d));
        }
        for (t, f) in [(answer, Field::Answer), (ringback, Field::Ringback)] {
            if let Some(t) = t {
                if t < start || t > end {
                    let f = if f == Field::Answer && !self.layout.has(Field::Answer) { Field::ResponseTime } else { f };
                    return Err(self.problem(ProblemKind::AnswerOutside, f, "outside the call's start..end"));
                }
            }
        }
        rec.start_us = start;
        rec.ringback_us = ringback;
        rec.answer_us = answer;
        rec.end_us = Some(end);
        rec.response_code = code;
        rec.outcome = self.outcome(code, answer)?;
        rec.direction =
            match self.cell(Field::Direction) {
                None => None,
                Some(t) => Some(parse_direction(t).ok_or_else(|| {
                    self.problem(ProblemKind::BadValue, Field::Direction, &format!("direction {t:?}"))
                })?),
            };
        rec.attempt = match self.cell(Field::Attempt) {
            None => None,
            Some(t) => Some(
                t.parse::<u32>()
                    .map_err(|_| self.problem(ProblemKind::BadValue, Field::Attempt, &format!("attempt {t:?}")))?,
            ),
        };
        self.text_fields(rec);
        Ok(())
    }

    /// How the call ended: the layout's own result, else the response
    /// code, else the Q.850 cause, else whether it was answered.
    fn outcome(&self, code: Option<u16>, answer: Option<i64>) -> Result<CdrOutcome, RowProblem> {
        if let Some(t) = self.cell(Field::Outcome) {
            return CdrOutcome::ALL
                .iter()
                .copied()
                .find(|o| o.as_str().eq_ignore_ascii_case(t))
                .ok_or_else(|| self.problem(ProblemKind::BadValue, Field::Outcome, &format!("result {t:?}")));
        }
        if let Some(c) = code {
            return Ok(outcome_of_response(c));
        }
        if let Some(t) = self.cell(Field::Q850Cause) {
            let cause =
                t.parse::<u8>().ok().filter(|c| (1..=127).contains(c)).ok_or_else(|| {
                    self.problem(ProblemKind::BadValue, Field::Q850Cause, &format!("Q.850 cause {t:?}"))
                })?;
            return Ok(outcome_of_cause(cause, answer.is_some()));
        }
        if self.layout.has(Field::Answer) || self.layout.has(Field::ResponseTime) {
            return Ok(if answer.is_some() { CdrOutcome::Answered } else { CdrOutcome::NoAnswer });
        }
        Ok(CdrOutcome::Answered)
    }

    fn text_fields(&self, rec: &mut CdrRecord) {
        let set = |dst: &mut String, v: Option<&str>| {
            dst.clear();
            if let Some(v) = v {
                dst.push_str(v);
            }
        };
        let number = |dst: &mut String, v: Option<&str>| {
            dst.clear();
            if let Some(v) = v {
                dst.push_str(clean_number(v));
            }
        };
        number(&mut rec.caller, self.cell(Field::Caller).or_else(|| self.cell(Field::CallerUri)));
        number(&mut rec.called, self.cell(Field::Called).or_else(|| self.cell(Field::CalledUri)));
        set(&mut rec.dialed, self.cell(Field::Dialed));
        set(&mut rec.from_gateway, self.cell(Field::FromGateway));
        set(&mut rec.to_gateway, self.cell(Field::ToGateway));
        set(&mut rec.from_trunk, self.cell(Field::FromTrunk));
        set(&mut rec.to_trunk, self.cell(Field::ToTrunk));
        set(&mut rec.from_mediation, self.cell(Field::FromMediation));
        set(&mut rec.to_mediation, self.cell(Field::ToMediation));
        set(&mut rec.site, self.cell(Field::Site));
        // voicetwin's one mediation_pool column is the gateway side's.
        if let Some(pool) = self.cell(Field::MediationPool) {
            let dst = match rec.inferred_direction() {
                CdrDirection::Inbound => &mut rec.from_mediation,
                _ => &mut rec.to_mediation,
            };
            dst.clear();
            dst.push_str(pool);
        }
    }
}

impl CdrSource for CdrReader {
    fn next_record(&mut self, rec: &mut CdrRecord) -> Result<bool, CdrError> {
        while self.next_raw()? {
            self.tally.rows_read += 1;
            let mut mixed = None;
            let filled = self.fill(rec, &mut mixed);
            if let Some(note) = mixed {
                self.tally.count(&self.name, self.row, &note);
            }
            match filled {
                Ok(()) => return Ok(true),
                Err(p) => self.tally.count(&self.name, self.row, &p),
            }
        }
        Ok(false)
    }

    fn tally(&self) -> RowTally {
        self.tally.clone()
    }

    fn count(&mut self, rec: &CdrRecord, problem: &RowProblem) {
        let problem = self.in_file_terms(problem);
        self.tally.count(&self.name, rec.row, &problem);
    }

    fn file_name(&self, _file: u32) -> &str {
        &self.name
    }
}

/// `problem` with its column named as `layout`'s header names it.
fn in_terms_of(layout: &Layout, problem: &RowProblem) -> RowProblem {
    let mut p = problem.clone();
    if let Some(f) = Field::from_name(&p.column).filter(|f| layout.has(*f)) {
        p.column = layout.column_name(f).to_owned();
    }
    p
}

/// sqlcmd's column underline (`-----,----`) and its `(12 rows affected)`
/// footer are not rows.
fn is_sqlcmd_decoration(raw: &StringRecord) -> bool {
    let dashes = raw.iter().all(|c| !c.trim().is_empty() && c.trim().bytes().all(|b| b == b'-'));
    let footer = raw.len() == 1
        && raw.get(0).is_some_and(|c| {
            let c = c.trim();
            c.starts_with('(') && (c.ends_with("affected)") || c.ends_with("affected.)"))
        });
    dashes || footer
}

/// A number or URI as a bare number: `tel:`, `sip:`, parameters
/// (`;user=phone`) and `@domain` dropped.
pub fn clean_number(v: &str) -> &str {
    let mut s = v.trim();
    for prefix in ["tel:", "sip:", "sips:"] {
        if s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes()) {
            s = &s[prefix.len()..];
            break;
        }
    }
    if let Some(i) = s.find(';') {
        s = &s[..i];
    }
    if let Some(i) = s.find('@') {
        s = &s[..i];
    }
    s
}

fn parse_direction(t: &str) -> Option<CdrDirection> {
    let t = t.replace('_', "-");
    CdrDirection::ALL.iter().copied().find(|d| d.as_str().eq_ignore_ascii_case(&t))
}

/// docs/cdr.md, "Outcomes": 2xx answered; 403 not authorized; 408, 480,
/// 487 no answer; other 4xx, 6xx, 1xx, 3xx failed; 5xx blocked.
pub fn outcome_of_response(code: u16) -> CdrOutcome {
    match code {
        200..=299 => CdrOutcome::Answered,
        403 => CdrOutcome::NotAuthorized,
        408 | 480 | 487 => CdrOutcome::NoAnswer,
        500..=599 => CdrOutcome::Blocked,
        _ => CdrOutcome::Failed,
    }
}

/// docs/cdr.md, "Outcomes": Q.850 16 and 31 (normal clearing) answered
/// when a connect time is there, else no answer; 18, 19 no answer; 34,
/// 38, 41, 42, 44, 47 (no circuit, network out of order, congestion)
/// blocked; others (17 busy, 1 unallocated, 21 rejected, ...) failed.
pub fn outcome_of_cause(cause: u8, answered: bool) -> CdrOutcome {
    match cause {
        16 | 31 if answered => CdrOutcome::Answered,
        16 | 31 | 18 | 19 => CdrOutcome::NoAnswer,
        34 | 38 | 41 | 42 | 44 | 47 => CdrOutcome::Blocked,
        _ => CdrOutcome::Failed,
    }
}

fn fmt_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
}

/// CDRS: one file, or a folder's `*.csv` files in name order, read one
/// after the other; row numbers are per file, tallies per file and summed.
pub struct CdrFiles {
    paths: Vec<PathBuf>,
    names: Vec<String>,
    options: ReadOptions,
    /// The tally of each file (the current one's is in its reader).
    tallies: Vec<RowTally>,
    current: Option<CdrReader>,
    /// The layout of each file read to its end, to name a column of a
    /// row counted after its file was read (a reordered one).
    layouts: Vec<Option<Layout>>,
    next: usize,
    first_layout: String,
}

impl CdrFiles {
    /// Opens a file or a folder; every file's header is checked now, so
    /// a bad file is found before any work.
    pub fn open(path: &Path, options: &ReadOptions) -> Result<Self, CdrError> {
        let name = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| CdrError::new(&name, format!("cannot open: {e}")))?;
        let paths = if meta.is_dir() {
            let mut v = Vec::new();
            let dir = std::fs::read_dir(path).map_err(|e| CdrError::new(&name, format!("cannot list: {e}")))?;
            for entry in dir {
                let p = entry.map_err(|e| CdrError::new(&name, format!("cannot list: {e}")))?.path();
                let csv = p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("csv"));
                if csv && p.is_file() {
                    v.push(p);
                }
            }
            v.sort();
            if v.is_empty() {
                return Err(CdrError::new(&name, "the folder has no .csv files"));
            }
            v
        } else {
            vec![path.to_path_buf()]
        };
        if paths.len() > u32::MAX as usize {
            return Err(CdrError::new(&name, "too many files"));
        }
        let mut first_layout = String::new();
        for (i, p) in paths.iter().enumerate() {
            let r = CdrReader::open(p, options)?;
            if i == 0 {
                first_layout = r.layout().to_string();
            }
        }
        let names = paths.iter().map(|p| p.display().to_string()).collect();
        let tallies = vec![RowTally::default(); paths.len()];
        let layouts = vec![None; paths.len()];
        Ok(Self { paths, names, options: options.clone(), tallies, current: None, layouts, next: 0, first_layout })
    }

    /// The first file's layout name.
    pub fn layout(&self) -> &str {
        &self.first_layout
    }

    /// The files, in reading order.
    pub fn files(&self) -> &[String] {
        &self.names
    }

    /// Each file's tally so far.
    pub fn file_tallies(&self) -> Vec<(&str, RowTally)> {
        (0..self.names.len()).map(|i| (self.names[i].as_str(), self.tally_of(i))).collect()
    }

    fn tally_of(&self, i: usize) -> RowTally {
        match &self.current {
            Some(r) if r.file_index as usize == i => r.tally.clone(),
            _ => self.tallies[i].clone(),
        }
    }
}

impl CdrSource for CdrFiles {
    fn next_record(&mut self, rec: &mut CdrRecord) -> Result<bool, CdrError> {
        loop {
            if self.current.is_none() {
                if self.next >= self.paths.len() {
                    return Ok(false);
                }
                let r = CdrReader::open(&self.paths[self.next], &self.options)?;
                self.current = Some(r.with_file_index(self.next as u32));
                self.next += 1;
            }
            let Some(r) = self.current.as_mut() else { continue };
            if r.next_record(rec)? {
                return Ok(true);
            }
            let i = r.file_index as usize;
            self.tallies[i] = std::mem::take(&mut r.tally);
            self.layouts[i] = Some(r.layout.clone());
            self.current = None;
        }
    }

    fn tally(&self) -> RowTally {
        let mut sum = RowTally::default();
        for i in 0..self.names.len() {
            sum.add(&self.tally_of(i));
        }
        sum
    }

    fn count(&mut self, rec: &CdrRecord, problem: &RowProblem) {
        let i = rec.file as usize;
        let Some(name) = self.names.get(i) else { return };
        match &mut self.current {
            Some(r) if r.file_index as usize == i => {
                let problem = r.in_file_terms(problem);
                r.tally.count(name, rec.row, &problem)
            }
            _ => {
                let problem = match &self.layouts[i] {
                    Some(layout) => in_terms_of(layout, problem),
                    None => problem.clone(),
                };
                self.tallies[i].count(name, rec.row, &problem)
            }
        }
    }

    fn file_name(&self, file: u32) -> &str {
        self.names.get(file as usize).map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<CdrRecord>, RowTally) {
        let mut r =
            CdrReader::from_reader("t.csv", Box::new(Cursor::new(text.as_bytes().to_vec())), &Default::default())
                .unwrap();
        let mut rec = CdrRecord::default();
        let mut out = Vec::new();
        while r.next_record(&mut rec).unwrap() {
            out.push(rec.clone());
        }
        (out, r.tally())
    }

    #[test]
    fn numbers_are_cleaned() {
        assert_eq!(clean_number("sip:+14255550100@contoso.com;user=phone"), "+14255550100");
        assert_eq!(clean_number("tel:+14255550100"), "+14255550100");
        assert_eq!(clean_number("TEL:+1;ext=2"), "+1");
        assert_eq!(clean_number("é"), "é");
    }

    #[test]
    fn sqlcmd_output_reads_with_nulls_underline_and_footer() {
        let text = "InviteTime,ResponseTime,EndTime,ResponseCode,FromUri,ToUri,FromPhone,ToPhone,FromGateway,ToGateway\n\
                    ----------,------------,-------,------------,-------,-----,---------,-------,-----------,---------\n\
                    2026-11-24 10:00:00.000,2026-11-24 10:00:05.000,2026-11-24 10:03:00.000,200,sip:a@contoso.com,sip:+12065550100@contoso.com;user=phone,+14255550001,NULL,NULL,gw1.red.contoso.com\n\
                    2026-11-24 10:01:00.000,2026-11-24 10:01:20.000,NULL,486,sip:a@contoso.com,sip:b,+14255550001,NULL,NULL,gw1.red.contoso.com\n\
                    \n\
                    (2 rows affected)\n";
        let (recs, t) = read(text);
        assert_eq!(t.rows_read, 2);
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].called, "+12065550100");
        assert_eq!(recs[0].caller, "+14255550001");
        assert_eq!(recs[0].answer_us, Some(recs[0].start_us + 5_000_000));
        assert_eq!(recs[0].inferred_direction(), CdrDirection::Outbound);
        assert_eq!(recs[1].outcome, CdrOutcome::Failed);
        assert_eq!(recs[1].end_us, Some(recs[1].start_us + 20_000_000), "a 486 ends at its response");
        assert_eq!(recs[1].answer_us, None);
    }

    #[test]
    fn unreadable_files_name_row_and_column() {
        let bad = |bytes: &[u8]| {
            CdrReader::from_reader("x.csv", Box::new(Cursor::new(bytes.to_vec())), &Default::default())
                .and_then(|mut r| {
                    let mut rec = CdrRecord::default();
                    while r.next_record(&mut rec)? {}
                    Ok(())
                })
                .unwrap_err()
        };
        assert_eq!(bad(b"").row, Some(0));
        assert!(bad(b"\x00\x01\x02\xff\xfe garbage").to_string().contains("not text"));
        assert!(bad(b"when,who\n1,2\n").to_string().contains("--columns"));
        let e = bad(b"start,end,caller,called,from_gateway,to_gateway\n2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,a,b,c,d\nx,y\n");
        assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("caller")), "{e}");
        let e = bad(
            b"start,end,caller,called,from_gateway,to_gateway\n2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,a,\xff,c,d\n",
        );
        assert_eq!((e.row, e.column.as_deref()), (Some(1), Some("called")), "{e}");
    }

    #[test]
    fn semicolons_and_outcomes() {
        let text = "start_time;connect_time;disconnect_time;calling_number;called_number;ingress_peer;egress_peer;q850_cause\n\
                    2026-11-24T10:00:00Z;2026-11-24T10:00:04Z;2026-11-24T10:02:00Z;+1;+2;a;b;16\n\
                    2026-11-24T10:00:00Z;;2026-11-24T10:00:30Z;+1;+2;a;b;34\n\
                    2026-11-24T10:00:00Z;;2026-11-24T10:00:30Z;+1;+2;a;b;999\n";
        let (recs, t) = read(text);
        assert_eq!(recs.iter().map(|r| r.outcome).collect::<Vec<_>>(), [CdrOutcome::Answered, CdrOutcome::Blocked]);
        assert_eq!(t.count_of(ProblemKind::BadValue), 1);
        assert_eq!(outcome_of_response(487), CdrOutcome::NoAnswer);
        assert_eq!(outcome_of_response(503), CdrOutcome::Blocked);
        assert_eq!(outcome_of_response(403), CdrOutcome::NotAuthorized);
    }
}
