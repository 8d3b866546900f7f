//! `start_date`: the calendar day simulated time 0 falls on (with
//! `start_hour`, the UTC instant of time 0), for the times a run's call
//! detail records carry (docs/scenario.md).

/// The first and last dates a scenario may start on.
pub const FIRST: (i64, u32, u32) = (2000, 1, 1);
pub const LAST: (i64, u32, u32) = (2099, 12, 31);

/// The default: Monday 5 January 2026.
pub const DEFAULT: &str = "2026-01-05";

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses `"YYYY-MM-DD"` into days since 1970-01-01, within
/// [`FIRST`]..=[`LAST`].
pub fn parse(text: &str) -> Result<i64, String> {
    let bad = || format!("\"{text}\" is not a date written YYYY-MM-DD, e.g. \"{DEFAULT}\"");
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<u32, String> {
        let s = &text[r];
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, m, d) = (i64::from(num(0..4)?), num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d == 0 || d > days_in[m as usize - 1] {
        return Err(format!("\"{text}\" is not a day of the calendar"));
    }
    if (y, m, d) < FIRST || (y, m, d) > LAST {
        return Err(format!("\"{text}\" is out of range: a date from 2000-01-01 to 2099-12-31"));
    }
    Ok(days_from_civil(y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_within_their_range() {
        assert_eq!(parse("2026-01-05"), Ok(20_458));
        assert_eq!(civil_from_days(20_458), (2026, 1, 5));
        assert!(parse("2024-02-29").is_ok());
        for bad in ["2023-02-29", "2026-1-05", "1999-12-31", "2100-01-01", "2026-13-01", "yesterday"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        for d in [-1, 0, 59, 365, 11_016, 40_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}
