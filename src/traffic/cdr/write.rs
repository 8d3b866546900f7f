//! Writing CDRs in voicetwin's own layout ([`super::NATIVE_COLUMNS`]),
//! as `voicetwin run` writes `cdr.csv`; the reader reads it back exactly.

use std::io::{self, Write};

use super::{CdrDirection, CdrRecord, NATIVE_COLUMNS};

/// A CSV writer of CDR rows: the header is written when it is made.
pub struct CdrWriter<W: Write> {
    csv: csv::Writer<W>,
    buf: [String; 4],
}

impl<W: Write> CdrWriter<W> {
    /// Writes the header.
    pub fn new(w: W) -> io::Result<Self> {
        let mut csv = csv::WriterBuilder::new().from_writer(w);
        csv.write_record(NATIVE_COLUMNS).map_err(io::Error::other)?;
        Ok(Self { csv, buf: Default::default() })
    }

    /// Writes one call; `call_id` is the run's own number for it.
    pub fn write(&mut self, rec: &CdrRecord, call_id: u64) -> io::Result<()> {
        let [start, ringback, answer, end] = &mut self.buf;
        write_time(start, Some(rec.start_us));
        write_time(ringback, rec.ringback_us);
        write_time(answer, rec.answer_us);
        write_time(end, rec.end_us);
        let direction = rec.inferred_direction();
        let pool = match direction {
            CdrDirection::Inbound => &rec.from_mediation,
            _ => &rec.to_mediation,
        };
        let mut id = itoa::Buffer::new();
        let mut attempt = itoa::Buffer::new();
        let mut code = itoa::Buffer::new();
        let attempt = match rec.attempt {
            Some(a) => attempt.format(a),
            None => "",
        };
        let code = match rec.response_code {
            Some(c) => code.format(c),
            None => "",
        };
        let row: [&str; 18] = [
            id.format(call_id),
            attempt,
            start.as_str(),
            ringback.as_str(),
            answer.as_str(),
            end.as_str(),
            rec.outcome.as_str(),
            code,
            direction.as_str(),
            &rec.site,
            &rec.caller,
            &rec.dialed,
            &rec.called,
            &rec.from_gateway,
            &rec.from_trunk,
            &rec.to_gateway,
            &rec.to_trunk,
            pool,
        ];
        self.csv.write_record(row).map_err(io::Error::other)
    }

    /// Flushes and gives the writer back.
    pub fn into_inner(self) -> io::Result<W> {
        self.csv.into_inner().map_err(|e| io::Error::other(e.to_string()))
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.csv.flush()
    }
}

/// RFC 3339 in UTC with microseconds (`2026-01-05T09:00:00.000000Z`);
/// blank for none. A time outside jiff's range is written blank rather
/// than wrong (the reader then counts the row).
pub fn write_time(out: &mut String, us: Option<i64>) {
    out.clear();
    let Some(us) = us else { return };
    let Ok(ts) = jiff::Timestamp::from_microsecond(us) else { return };
    let dt = jiff::tz::Offset::UTC.to_datetime(ts);
    use std::fmt::Write as _;
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.subsec_nanosecond() / 1000
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_utc_microseconds() {
        let mut s = String::new();
        write_time(&mut s, Some(1_764_577_800_123_456));
        assert_eq!(s, "2025-12-01T08:30:00.123456Z");
        write_time(&mut s, None);
        assert_eq!(s, "");
        write_time(&mut s, Some(i64::MAX));
        assert_eq!(s, "");
    }
}
