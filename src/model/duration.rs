//! Durations as humans write them in model and scenario files.
//!
//! The simulator clock counts integer microseconds; files say `"90s"`,
//! `"15m"`, `"1h 30m"` or `"250ms"` (parsed by `humantime`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A span of simulated time in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Micros(pub u64);

impl Micros {
    /// One millisecond.
    pub const MS: u64 = 1_000;
    /// One second.
    pub const SECOND: u64 = 1_000_000;

    /// From whole milliseconds.
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms * Self::MS)
    }

    /// From whole seconds.
    pub const fn from_secs(s: u64) -> Self {
        Self(s * Self::SECOND)
    }

    /// As fractional milliseconds (for reports).
    pub fn as_millis_f64(self) -> f64 {
        self.0 as f64 / Self::MS as f64
    }

    /// Parses `"10s"`, `"250ms"`, `"1h 30m"`; a bare `"0"` is zero.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t == "0" {
            return Ok(Self(0));
        }
        let d = humantime::parse_duration(t).map_err(|e| {
            format!("`{text}` is not a duration ({e}); write it like \"250ms\", \"10s\", \"15m\" or \"1h\"")
        })?;
        u64::try_from(d.as_micros()).map(Self).map_err(|_| format!("`{text}` is too long a duration"))
    }
}

impl fmt::Display for Micros {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = std::time::Duration::from_micros(self.0);
        write!(f, "{}", humantime::format_duration(d))
    }
}

impl<'de> Deserialize<'de> for Micros {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Micros::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Micros {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_humans_write() {
        assert_eq!(Micros::parse("10s").unwrap(), Micros::from_secs(10));
        assert_eq!(Micros::parse("250ms").unwrap(), Micros::from_millis(250));
        assert_eq!(Micros::parse("15m").unwrap(), Micros::from_secs(900));
        assert_eq!(Micros::parse("1h 30m").unwrap(), Micros::from_secs(5400));
        assert_eq!(Micros::parse("0").unwrap(), Micros(0));
    }

    #[test]
    fn rejects_numbers_without_units() {
        let e = Micros::parse("90").unwrap_err();
        assert!(e.contains("\"10s\""), "{e}");
        assert!(Micros::parse("-5s").is_err());
    }
}
