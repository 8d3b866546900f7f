//! Emergency numbers: what a site's users dial for the emergency services,
//! given in the model (`[[site]] emergency_numbers`) or taken from the
//! site's `country` (docs/model.md, "Emergency numbers").

use serde::Serialize;

/// Where a site's emergency numbers came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmergencySource {
    /// Written in the model (`emergency_numbers`).
    Model,
    /// Taken from the site's `country` (the table below).
    Country,
    /// None: the site has no `country`, or one the table does not know,
    /// and the model gives none.
    Unknown,
}

/// Emergency numbers by ISO 3166-1 alpha-2 country code, as dialed from a
/// fixed line. The European Union's single number 112 works in every member
/// state; countries whose national numbers are better known list them too.
const TABLE: &[(&[&str], &[&str])] = &[
    // North American Numbering Plan and 911 countries.
    (&["US", "CA", "PR", "MX"], &["911"]),
    (&["GB", "UK", "IE"], &["999", "112"]),
    (&["AU"], &["000"]),
    (&["NZ"], &["111"]),
    // European Union member states, and the EEA and Switzerland.
    (
        &[
            "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IT", "LV", "LT", "LU", "MT",
            "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "CH",
        ],
        &["112"],
    ),
    (&["IN"], &["112"]),
    (&["JP"], &["110", "119"]),
    (&["CN"], &["110", "119", "120"]),
    (&["HK"], &["999"]),
    (&["SG"], &["999", "995"]),
    (&["ZA"], &["10111", "112"]),
    (&["BR"], &["190", "192", "193"]),
];

/// The emergency numbers of `country` (case-insensitive ISO code), if the
/// table knows it.
pub fn for_country(country: &str) -> Option<&'static [&'static str]> {
    let c = country.trim();
    TABLE.iter().find(|(codes, _)| codes.iter().any(|k| k.eq_ignore_ascii_case(c))).map(|(_, n)| *n)
}

/// Most emergency numbers a site may list.
pub const MAX_NUMBERS: usize = 10;
/// Longest emergency number, in characters.
pub const MAX_LENGTH: usize = 15;

/// Why `number` is not an emergency number a user can dial, if it is not:
/// 1 to 15 characters of digits, `+`, `*` and `#`.
pub fn problem(number: &str) -> Option<String> {
    if number.is_empty() {
        return Some("an emergency number must not be empty".into());
    }
    if number.chars().count() > MAX_LENGTH {
        return Some(format!("\"{number}\" is longer than {MAX_LENGTH} characters"));
    }
    if !number.bytes().all(|b| b.is_ascii_digit() || b"+*#".contains(&b)) {
        return Some(format!("\"{number}\" is not a number users dial: digits, +, * and # only, e.g. \"911\""));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_give_their_numbers_and_unknown_ones_none() {
        assert_eq!(for_country("US"), Some(&["911"][..]));
        assert_eq!(for_country("gb"), Some(&["999", "112"][..]));
        assert_eq!(for_country("AU"), Some(&["000"][..]));
        assert_eq!(for_country("FR"), Some(&["112"][..]));
        assert_eq!(for_country(""), None);
        assert_eq!(for_country("ZZ"), None);
        assert!(problem("911").is_none() && problem("+112").is_none());
        assert!(problem("").is_some() && problem("9 1 1").is_some() && problem("1234567890123456").is_some());
    }
}
