//! What callers dialed, as the scenario's dial templates and as
//! destination categories (internal, emergency, local, national, mobile,
//! international).
//!
//! A template keeps the start of a number and turns the rest of its
//! digits into `X` ([`generalize`]): enough to reach the same routes, not
//! so much that every number is its own template. Calls to a user of the
//! model become templates that cover that user group's numbers exactly
//! ([`range_templates`]), so a simulated call reaches a user as the
//! recorded one did.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// The destination categories the calibration reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Internal,
    Emergency,
    Local,
    National,
    Mobile,
    International,
    /// Not a number in E.164 (`+` and digits) after normalization.
    Other,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Internal,
        Category::Emergency,
        Category::Local,
        Category::National,
        Category::Mobile,
        Category::International,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Internal => "internal",
            Category::Emergency => "emergency",
            Category::Local => "local",
            Category::National => "national",
            Category::Mobile => "mobile",
            Category::International => "international",
            Category::Other => "other",
        }
    }
}

/// The country calling code that starts `digits` (E.164 without `+`):
/// one digit for 1 and 7, two for the codes ITU-T E.164 assigns two, else
/// three.
pub fn country_code(digits: &str) -> &str {
    const TWO: [&str; 44] = [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
        "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    let len = match digits.as_bytes().first() {
        Some(b'1') | Some(b'7') => 1,
        _ if digits.len() >= 2 && TWO.contains(&&digits[..2]) => 2,
        _ => 3,
    };
    &digits[..len.min(digits.len())]
}

/// Mobile prefixes of the national number, for the countries whose
/// mobile numbers a prefix tells apart (elsewhere, and in the North
/// American plan, mobiles count as national calls).
const MOBILE: [(&str, &[&str]); 17] = [
    ("44", &["7"]),
    ("33", &["6", "7"]),
    ("49", &["15", "16", "17"]),
    ("39", &["3"]),
    ("34", &["6", "7"]),
    ("31", &["6"]),
    ("32", &["4"]),
    ("41", &["7"]),
    ("43", &["6"]),
    ("46", &["7"]),
    ("45", &["2", "3", "4", "5", "6", "7", "8", "9"]),
    ("47", &["4", "9"]),
    ("353", &["8"]),
    ("61", &["4"]),
    ("91", &["6", "7", "8", "9"]),
    ("81", &["70", "80", "90"]),
    ("86", &["1"]),
];

/// The category of a call to `called` (normalized, E.164) from a caller
/// whose own number is `home` (E.164; empty when unknown). Local: the
/// same country code and the next three digits (the area code of the
/// North American plan) or, elsewhere, the next two: a prefix heuristic
/// the report states.
pub fn categorize(called: &str, home: &str, internal: bool, emergency: bool) -> Category {
    if internal {
        return Category::Internal;
    }
    if emergency {
        return Category::Emergency;
    }
    let Some(digits) = e164_digits(called) else { return Category::Other };
    let cc = country_code(digits);
    let national = &digits[cc.len()..];
    let Some(home) = e164_digits(home) else {
        return if is_mobile(cc, national) { Category::Mobile } else { Category::National };
    };
    let home_cc = country_code(home);
    if cc != home_cc {
        return Category::International;
    }
    if is_mobile(cc, national) {
        return Category::Mobile;
    }
    let area = if cc == "1" { 3 } else { 2 };
    let home_national = &home[home_cc.len()..];
    if national.len() >= area && home_national.len() >= area && national[..area] == home_national[..area] {
        Category::Local
    } else {
        Category::National
    }
}

fn is_mobile(cc: &str, national: &str) -> bool {
    MOBILE.iter().any(|(c, prefixes)| *c == cc && prefixes.iter().any(|p| national.starts_with(p)))
}

/// The digits of an E.164 number (`+` then 1-15 digits), or `None`.
pub fn e164_digits(s: &str) -> Option<&str> {
    let d = s.strip_prefix('+')?;
    (!d.is_empty() && d.len() <= 15 && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')).then_some(d)
}

/// A template for `number` as dialed: the first digits kept (all but the
/// last seven, at least one and at most six), every later digit an `X`,
/// every other character as it is (users type spaces and parentheses,
/// and the template reproduces them).
pub fn generalize(number: &str) -> String {
    let digits = number.bytes().filter(u8::is_ascii_digit).count();
    let keep = digits.saturating_sub(7).clamp(1, 6);
    generalize_keeping(number, keep)
}

/// [`generalize`] keeping the first `keep` digits.
pub fn generalize_keeping(number: &str, keep: usize) -> String {
    let mut seen = 0;
    number
        .chars()
        .filter(|c| !matches!(c, '[' | ']'))
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen > keep {
                    return 'X';
                }
            }
            c
        })
        .collect()
}

/// Templates that cover exactly the numbers `first..=last` (same digit
/// count), each with the share of the range it covers: the decimal
/// analogue of splitting an address range into prefixes.
pub fn range_templates(first: u64, last: u64) -> Vec<(String, f64)> {
    let width = first.to_string().len();
    if last < first || last.to_string().len() != width {
        return vec![(format!("+{first}"), 1.0)];
    }
    let total = (last - first + 1) as f64;
    let mut out = Vec::new();
    let mut lo = first;
    while lo <= last {
        // The largest block 10^k starting at lo that stays within last.
        let mut k = 0u32;
        while k < 18 {
            let size = 10u64.pow(k + 1);
            if lo % size != 0 || lo + size - 1 > last {
                break;
            }
            k += 1;
        }
        let size = 10u64.pow(k);
        let digits = lo.to_string();
        let kept = &digits[..width - k as usize];
        out.push((format!("+{kept}{}", "X".repeat(k as usize)), size as f64 / total));
        match lo.checked_add(size) {
            Some(next) => lo = next,
            None => break,
        }
    }
    out
}

/// Templates counted for one source, bounded: past [`MAX_DISTINCT`]
/// distinct templates, new ones are kept at their first three digits.
#[derive(Debug, Clone, Default)]
pub struct TemplateCounts {
    counts: HashMap<String, f64>,
}

/// The most distinct templates one source keeps while reading.
pub const MAX_DISTINCT: usize = 4096;
/// The most dialed templates a source's dial mix keeps as they are.
pub const MAX_TOP: usize = 30;
/// The most templates a source's dial mix is written with, the folded
/// ones included, unless even first-digit folding leaves more (one per
/// first digit and length).
pub const MAX_WRITTEN: usize = 50;

impl TemplateCounts {
    pub fn add(&mut self, template: &str, weight: f64) {
        if let Some(c) = self.counts.get_mut(template) {
            *c += weight;
        } else if self.counts.len() < MAX_DISTINCT {
            self.counts.insert(template.to_owned(), weight);
        } else {
            *self.counts.entry(generalize_keeping(template, 3)).or_default() += weight;
        }
    }

    pub fn total(&self) -> f64 {
        self.counts.values().sum()
    }

    /// The dial mix to write: the most dialed templates (by count, then
    /// text, so the same data give the same list), at most [`MAX_TOP`],
    /// until 99% of the calls are covered; the rest folded into templates
    /// keeping their first three digits (an access code and a country or
    /// area code, so a folded call still goes where its kind goes), or
    /// their first digit when those would be more than [`MAX_WRITTEN`].
    pub fn mix(&self) -> Vec<(String, f64)> {
        let mut all: Vec<(&String, f64)> = self.counts.iter().map(|(t, c)| (t, *c)).collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let total = self.total();
        let mut kept: Vec<(String, f64)> = Vec::new();
        let mut rest: Vec<(&String, f64)> = Vec::new();
        let mut covered = 0.0;
        for (t, c) in all {
            if covered < 0.99 * total && kept.len() < MAX_TOP {
                kept.push((t.clone(), c));
                covered += c;
            } else {
                rest.push((t, c));
            }
        }
        let fold = |keep: usize| {
            let mut m: HashMap<String, f64> = HashMap::new();
            for (t, c) in &rest {
                *m.entry(generalize_keeping(t, keep)).or_default() += c;
            }
            let mut v: Vec<(String, f64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        let mut folded = fold(3);
        if kept.len() + folded.len() > MAX_WRITTEN {
            folded = fold(1);
        }
        for (t, c) in folded {
            match kept.iter().position(|(k, _)| *k == t) {
                Some(i) => kept[i].1 += c,
                None => kept.push((t, c)),
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes() {
        assert_eq!(country_code("14255550100"), "1");
        assert_eq!(country_code("442071234567"), "44");
        assert_eq!(country_code("3531234567"), "353");
        assert_eq!(country_code("74951234567"), "7");
    }

    #[test]
    fn categories_from_a_seattle_caller() {
        let home = "+14255550100";
        assert_eq!(categorize("+14255551234", home, false, false), Category::Local);
        assert_eq!(categorize("+12065551234", home, false, false), Category::National);
        assert_eq!(categorize("+447700900123", home, false, false), Category::International);
        assert_eq!(categorize("+14255551234", home, true, false), Category::Internal);
        assert_eq!(categorize("911", home, false, true), Category::Emergency);
        assert_eq!(categorize("5551234", home, false, false), Category::Other);
        // From London: a UK mobile.
        assert_eq!(categorize("+447700900123", "+442071234567", false, false), Category::Mobile);
        assert_eq!(categorize("+442071239999", "+442071234567", false, false), Category::Local);
        assert_eq!(categorize("+441612345678", "+442071234567", false, false), Category::National);
    }

    #[test]
    fn templates_keep_the_start_and_the_typing() {
        assert_eq!(generalize("9 1 425 555 0100"), "9 1 425 XXX XXXX");
        assert_eq!(generalize("1234"), "1XXX");
        assert_eq!(generalize("+14255550100"), "+1425XXXXXXX");
        assert_eq!(generalize("9011 44 7700 900123"), "9011 44 XXXX XXXXXX");
    }

    #[test]
    fn ranges_become_exact_prefix_blocks() {
        let t = range_templates(14255550100, 14255551099);
        let names: Vec<&str> = t.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            names,
            [
                "+142555501XX",
                "+142555502XX",
                "+142555503XX",
                "+142555504XX",
                "+142555505XX",
                "+142555506XX",
                "+142555507XX",
                "+142555508XX",
                "+142555509XX",
                "+142555510XX"
            ]
        );
        assert!((t.iter().map(|x| x.1).sum::<f64>() - 1.0).abs() < 1e-12);
        let t = range_templates(14255550000, 14255559999);
        assert_eq!(t, vec![("+1425555XXXX".to_string(), 1.0)]);
        let t = range_templates(100, 100);
        assert_eq!(t, vec![("+100".to_string(), 1.0)]);
    }

    #[test]
    fn folding_keeps_the_access_code_and_the_country() {
        // 30% of calls to North America from Germany, spread over many
        // area codes: folded, they stay international (00 1 ...).
        let mut c = TemplateCounts::default();
        c.add("0XXXXXXXXXX", 7000.0);
        for area in 200..800u32 {
            c.add(&format!("001{area}XXXXXXX"), 5.0);
        }
        let mix = c.mix();
        let intl: f64 = mix.iter().filter(|(t, _)| t.starts_with("001")).map(|x| x.1).sum();
        assert!((intl - 3000.0).abs() < 1e-9, "{mix:?}");
        assert!(mix.len() <= MAX_WRITTEN);
    }

    #[test]
    fn the_mix_is_bounded_and_keeps_every_call() {
        let mut c = TemplateCounts::default();
        for i in 0..5000u64 {
            c.add(&format!("9{i:04}XXX"), 1.0 + (i % 7) as f64);
        }
        let mix = c.mix();
        assert!(mix.len() <= MAX_WRITTEN);
        let total: f64 = mix.iter().map(|x| x.1).sum();
        assert!((total - c.total()).abs() < 1e-6);
    }
}
