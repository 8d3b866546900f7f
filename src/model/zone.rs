//! A site's local time (`time_zone`): a fixed offset from UTC or an IANA
//! zone of the bundled time-zone database (docs/model.md, "Sites").
//!
//! The simulator reads a source's day profile in its site's local time at
//! one offset per run: the offset in force when the run starts (an IANA
//! zone's daylight-saving changes during a run are not followed).

use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

/// The largest fixed offset east or west of UTC, in minutes, as the zones
/// in use span them: UTC-12:00 to UTC+14:00.
pub const WEST_MOST_MINUTES: i32 = -12 * 60;
pub const EAST_MOST_MINUTES: i32 = 14 * 60;

/// A site's time zone as written and as understood.
#[derive(Debug, Clone)]
pub struct SiteZone {
    /// As written in the model.
    pub name: String,
    zone: TimeZone,
}

impl SiteZone {
    /// `"UTC"`, `"+09:00"`, `"-05:00"`, `"+05:30"` (`±HH:MM` from
    /// -12:00 to +14:00), or an IANA zone name such as `"Asia/Tokyo"`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let zone = if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") {
            TimeZone::UTC
        } else if t.starts_with(['+', '-']) {
            TimeZone::fixed(Self::fixed(t)?)
        } else {
            TimeZone::get(t).map_err(|_| {
                format!(
                    "\"{text}\" is neither an offset (\"+09:00\", \"-05:00\", \"UTC\") nor a time zone of the IANA \
                     database (\"Asia/Tokyo\", \"America/New_York\")"
                )
            })?
        };
        Ok(Self { name: t.to_owned(), zone })
    }

    fn fixed(t: &str) -> Result<Offset, String> {
        let bad = || {
            format!(
                "\"{t}\" is not an offset from UTC; write ±HH:MM from -12:00 to +14:00 (\"+09:00\", \"-05:00\", \
                 \"+05:30\")"
            )
        };
        let sign = if t.starts_with('-') { -1 } else { 1 };
        let (h, m) = t[1..].split_once(':').ok_or_else(bad)?;
        let two =
            |s: &str| (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<i32>().ok()).flatten();
        let (Some(h), Some(m)) = (two(h), two(m)) else { return Err(bad()) };
        let minutes = sign * (h * 60 + m);
        if m >= 60 || !(WEST_MOST_MINUTES..=EAST_MOST_MINUTES).contains(&minutes) {
            return Err(bad());
        }
        Offset::from_seconds(minutes * 60).map_err(|_| bad())
    }

    /// The offset from UTC in force at `unix_s` seconds since the epoch,
    /// in seconds (east positive).
    pub fn offset_s_at(&self, unix_s: i64) -> i32 {
        let at = Timestamp::from_second(unix_s).unwrap_or(Timestamp::UNIX_EPOCH);
        self.zone.to_offset(at).seconds()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-01-05 00:00 and 2026-07-06 00:00 UTC.
    const WINTER: i64 = 1_767_571_200;
    const SUMMER: i64 = 1_783_296_000;

    #[test]
    fn fixed_offsets_and_iana_names_give_their_offsets() {
        assert_eq!(SiteZone::parse("UTC").unwrap().offset_s_at(WINTER), 0);
        assert_eq!(SiteZone::parse("+09:00").unwrap().offset_s_at(WINTER), 9 * 3600);
        assert_eq!(SiteZone::parse("-05:00").unwrap().offset_s_at(WINTER), -5 * 3600);
        assert_eq!(SiteZone::parse("+05:30").unwrap().offset_s_at(WINTER), 5 * 3600 + 1800);
        assert_eq!(SiteZone::parse("+14:00").unwrap().offset_s_at(WINTER), 14 * 3600);
        assert_eq!(SiteZone::parse("Asia/Tokyo").unwrap().offset_s_at(WINTER), 9 * 3600);
        let ny = SiteZone::parse("America/New_York").unwrap();
        assert_eq!(ny.offset_s_at(WINTER), -5 * 3600);
        assert_eq!(ny.offset_s_at(SUMMER), -4 * 3600);
    }

    #[test]
    fn malformed_or_out_of_range_zones_say_what_is_right() {
        for bad in ["+15:00", "-13:00", "+9:00", "+09:60", "+0900", "Mars/Olympus", "", "+"] {
            let e = SiteZone::parse(bad).unwrap_err();
            assert!(e.contains("+09:00"), "{bad}: {e}");
        }
    }
}
