//! Timestamps as CDR exports write them, turned into UTC microseconds
//! since the Unix epoch (docs/cdr.md, "Times").
//!
//! The common shapes are parsed by hand rather than by format strings:
//! a million rows carry three or four times each, and one pass over the
//! bytes that knows every accepted shape is both fast and exact about
//! what it rejects. jiff does the calendar and time-zone work, so a
//! naive time in `Europe/Paris` is right on both sides of a DST change.

use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};

/// The earliest year a CDR time may carry.
pub const MIN_YEAR: i16 = 1970;
/// The latest year a CDR time may carry.
pub const MAX_YEAR: i16 = 2200;

/// How naive times (no offset written) are read.
#[derive(Debug, Clone)]
pub struct TimeParser {
    /// The zone a time without an offset is in.
    pub time_zone: TimeZone,
    /// `24/11/2026` is day first (only when the user says so; en-US
    /// month-first is the default, as PowerShell's Export-Csv writes it).
    pub day_first: bool,
}

impl Default for TimeParser {
    fn default() -> Self {
        Self { time_zone: TimeZone::UTC, day_first: false }
    }
}

/// A parsed time: UTC microseconds, and the offset the text wrote, if
/// it wrote one (a file's offsets are compared to find mixed zones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedTime {
    pub us: i64,
    pub offset_seconds: Option<i32>,
}

/// The parts of a timestamp before time-zone resolution.
struct Parts {
    year: i32,
    month: i32,
    day: i32,
    hour: i32,
    minute: i32,
    second: i32,
    nanos: i32,
    offset_seconds: Option<i32>,
}

/// Reads `--time-zone`: `UTC`, a fixed offset (`+01:00`, `-0500`) or an
/// IANA name (`Europe/Paris`) from the bundled tz database.
pub fn parse_time_zone(text: &str) -> Result<TimeZone, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") {
        return Ok(TimeZone::UTC);
    }
    if t.starts_with('+') || t.starts_with('-') {
        let secs = parse_offset(t.as_bytes())
            .ok_or_else(|| format!("time zone {t:?}: an offset is written +HH:MM or -HH:MM (at most 18 hours)"))?;
        let off = Offset::from_seconds(secs).map_err(|e| format!("time zone {t:?}: {e}"))?;
        return Ok(TimeZone::fixed(off));
    }
    TimeZone::get(t).map_err(|_| {
        format!("time zone {t:?} is not a fixed offset (+01:00) nor a time zone name (Europe/Paris, America/New_York)")
    })
}

impl TimeParser {
    pub fn new(time_zone: TimeZone, day_first: bool) -> Self {
        Self { time_zone, day_first }
    }

    /// Parses one timestamp; the error says what was expected.
    pub fn parse(&self, text: &str) -> Result<ParsedTime, String> {
        let t = text.trim();
        let parts = if t.len() >= 10 && t.as_bytes()[4] == b'-' {
            parse_iso(t.as_bytes())
        } else {
            parse_slashed(t.as_bytes(), self.day_first)
        }
        .ok_or_else(|| self.expected())?;
        self.resolve(&parts).map(|us| ParsedTime { us, offset_seconds: parts.offset_seconds })
    }

    fn expected(&self) -> String {
        let slashed = if self.day_first { "24/11/2026 10:00:00" } else { "11/24/2026 10:00:00 AM" };
        format!(
            "not a time voicetwin reads: write 2026-11-24T10:00:00Z (or an offset, +01:00), \
             2026-11-24 10:00:00.123, or {slashed}"
        )
    }

    fn resolve(&self, p: &Parts) -> Result<i64, String> {
        if !(i32::from(MIN_YEAR)..=i32::from(MAX_YEAR)).contains(&p.year) {
            return Err(format!("year {} is outside {MIN_YEAR}..{MAX_YEAR}", p.year));
        }
        // Every part fits an i8/i16: the parsers read at most two digits
        // for each and four for the year.
        let dt = DateTime::new(
            p.year as i16,
            p.month as i8,
            p.day as i8,
            p.hour as i8,
            p.minute as i8,
            p.second as i8,
            p.nanos,
        )
        .map_err(|_| {
            format!(
                "no such date or time: {:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                p.year, p.month, p.day, p.hour, p.minute, p.second
            )
        })?;
        let ts = match p.offset_seconds {
            Some(secs) => {
                let off = Offset::from_seconds(secs).map_err(|_| "offset out of range".to_string())?;
                off.to_timestamp(dt).map_err(|e| e.to_string())?
            }
            // A time in a DST gap is moved forward, one written twice in
            // the fall-back hour is the first (jiff's "compatible", as
            // RFC 5545 and java.time do).
            None => self.time_zone.to_ambiguous_timestamp(dt).compatible().map_err(|e| e.to_string())?,
        };
        Ok(ts.as_microsecond())
    }
}

/// A small cursor over ASCII bytes.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// Between `min` and `max` digits.
    fn num(&mut self, min: usize, max: usize) -> Option<i32> {
        let start = self.i;
        let mut n: i32 = 0;
        while self.i - start < max {
            match self.peek() {
                Some(c @ b'0'..=b'9') => {
                    n = n * 10 + i32::from(c - b'0');
                    self.i += 1;
                }
                _ => break,
            }
        }
        (self.i - start >= min).then_some(n)
    }
    /// `.123456789`: up to nine digits kept, more read and dropped.
    fn fraction(&mut self) -> Option<i32> {
        if !(self.eat(b'.') || self.eat(b',')) {
            return Some(0);
        }
        let mut nanos: i32 = 0;
        let mut digits = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            if digits < 9 {
                nanos = nanos * 10 + i32::from(c - b'0');
            }
            digits += 1;
            self.i += 1;
        }
        if digits == 0 {
            return None;
        }
        for _ in digits..9 {
            nanos *= 10;
        }
        Some(nanos)
    }
    fn spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }
    fn rest(&self) -> &[u8] {
        &self.b[self.i.min(self.b.len())..]
    }
}

/// `HH:MM[:SS[.frac]]`.
fn parse_clock(c: &mut Cur<'_>) -> Option<(i32, i32, i32, i32)> {
    let h = c.num(1, 2)?;
    if !c.eat(b':') {
        return None;
    }
    let mi = c.num(2, 2)?;
    let (s, ns) = if c.eat(b':') {
        let s = c.num(2, 2)?;
        (s, c.fraction()?)
    } else {
        (0, 0)
    };
    Some((h, mi, s, ns))
}

/// `2026-11-24T10:00:00.123456Z`, `2026-11-24 10:00:00.123`,
/// `2026-11-24T10:00:00+01:00`.
fn parse_iso(b: &[u8]) -> Option<Parts> {
    let mut c = Cur { b, i: 0 };
    let year = c.num(4, 4)?;
    c.eat(b'-').then_some(())?;
    let month = c.num(2, 2)?;
    c.eat(b'-').then_some(())?;
    let day = c.num(2, 2)?;
    if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
        return None;
    }
    let (hour, minute, second, nanos) = parse_clock(&mut c)?;
    c.spaces();
    let rest = c.rest();
    let offset_seconds = match rest {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        _ if rest.eq_ignore_ascii_case(b"utc") => Some(0),
        _ => Some(parse_offset(rest)?),
    };
    Some(Parts { year, month, day, hour, minute, second, nanos, offset_seconds })
}

/// `11/24/2026 10:00:00 AM` (en-US, month first), or day first
/// (`24/11/2026 10:00:00`, `24.11.2026 10:00`) when asked.
fn parse_slashed(b: &[u8], day_first: bool) -> Option<Parts> {
    let mut c = Cur { b, i: 0 };
    let first = c.num(1, 2)?;
    let sep = c.peek()?;
    if !(sep == b'/' || (day_first && sep == b'.')) {
        return None;
    }
    c.i += 1;
    let second_part = c.num(1, 2)?;
    c.eat(sep).then_some(())?;
    let year = c.num(4, 4)?;
    let (month, day) = if day_first { (second_part, first) } else { (first, second_part) };
    c.spaces();
    let (mut hour, minute, second, nanos) = parse_clock(&mut c)?;
    c.spaces();
    let rest = c.rest();
    if rest.eq_ignore_ascii_case(b"am") || rest.eq_ignore_ascii_case(b"pm") {
        if !(1..=12).contains(&hour) {
            return None;
        }
        let pm = rest.eq_ignore_ascii_case(b"pm");
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, false) => h,
            (h, true) => h + 12,
        };
    } else if !rest.is_empty() {
        return None;
    }
    Some(Parts { year, month, day, hour, minute, second, nanos, offset_seconds: None })
}

/// `+01:00`, `-0500`, `+01`: seconds east of UTC, at most 18 hours.
fn parse_offset(b: &[u8]) -> Option<i32> {
    let mut c = Cur { b, i: 0 };
    let sign = if c.eat(b'+') {
        1
    } else if c.eat(b'-') {
        -1
    } else {
        return None;
    };
    let h = c.num(2, 2)?;
    c.eat(b':');
    let m = if c.peek().is_some() { c.num(2, 2)? } else { 0 };
    if !c.rest().is_empty() || h > 18 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        s.parse::<jiff::Timestamp>().unwrap().as_microsecond()
    }

    #[test]
    fn rfc3339_with_z_and_offsets() {
        let p = TimeParser::default();
        assert_eq!(p.parse("2026-11-24T10:00:00.123456Z").unwrap().us, utc("2026-11-24T10:00:00.123456Z"));
        let t = p.parse("2026-11-24T11:00:00+01:00").unwrap();
        assert_eq!(t.us, utc("2026-11-24T10:00:00Z"));
        assert_eq!(t.offset_seconds, Some(3600));
        assert_eq!(p.parse("2026-11-24T05:00:00-0500").unwrap().us, utc("2026-11-24T10:00:00Z"));
    }

    #[test]
    fn sql_server_and_en_us_times_are_naive() {
        let p = TimeParser::default();
        let t = p.parse("2026-11-24 10:00:00.123").unwrap();
        assert_eq!(t.us, utc("2026-11-24T10:00:00.123Z"));
        assert_eq!(t.offset_seconds, None);
        assert_eq!(p.parse("11/24/2026 10:00:00 AM").unwrap().us, utc("2026-11-24T10:00:00Z"));
        assert_eq!(p.parse("11/24/2026 12:30:00 AM").unwrap().us, utc("2026-11-24T00:30:00Z"));
        assert_eq!(p.parse("11/24/2026 1:05:09 PM").unwrap().us, utc("2026-11-24T13:05:09Z"));
        assert!(p.parse("24/11/2026 10:00:00").is_err(), "month 24");
        let d = TimeParser::new(TimeZone::UTC, true);
        assert_eq!(d.parse("24/11/2026 10:00:00").unwrap().us, utc("2026-11-24T10:00:00Z"));
        assert_eq!(d.parse("24.11.2026 10:00").unwrap().us, utc("2026-11-24T10:00:00Z"));
    }

    #[test]
    fn naive_times_follow_the_zone_through_dst() {
        let p = TimeParser::new(parse_time_zone("Europe/Paris").unwrap(), false);
        // Winter: +01:00; summer: +02:00.
        assert_eq!(p.parse("2026-01-15 10:00:00").unwrap().us, utc("2026-01-15T09:00:00Z"));
        assert_eq!(p.parse("2026-07-15 10:00:00").unwrap().us, utc("2026-07-15T08:00:00Z"));
        // 02:30 on 29 March 2026 does not exist in Paris: moved forward.
        assert_eq!(p.parse("2026-03-29 02:30:00").unwrap().us, utc("2026-03-29T01:30:00Z"));
        let f = TimeParser::new(parse_time_zone("+05:30").unwrap(), false);
        assert_eq!(f.parse("2026-01-15 10:00:00").unwrap().us, utc("2026-01-15T04:30:00Z"));
        assert!(parse_time_zone("Mars/Olympus").is_err());
        assert!(parse_time_zone("+25:00").is_err());
    }

    #[test]
    fn bad_times_are_errors_not_panics() {
        let p = TimeParser::default();
        for bad in [
            "",
            "yesterday",
            "2026-02-30 10:00:00",
            "2026-11-24T25:00:00Z",
            "1960-01-01T00:00:00Z",
            "2201-01-01T00:00:00Z",
            "13/01/2026 10:00:00 AM",
            "11/24/2026 13:00:00 PM",
            "2026-11-24T10:00:00+99:00",
            "2026-11-24T10:00:00.Z",
            "9999999999999999999",
            "é/é/é",
        ] {
            assert!(p.parse(bad).is_err(), "{bad:?}");
        }
    }
}
