//! Dial plans: from what a user dialed to an E.164 number.

use crate::model::{AccessPrefixMode, DialPlan, RoutingSettings};

use super::translate::first_match;

/// What a dial plan made of a dialed string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The number after normalization (E.164 when a rule made it so).
    pub number: String,
    /// The rule that applied, as an index into the plan's rules.
    pub rule: Option<usize>,
    /// Whether the external access prefix was removed first.
    pub prefix_stripped: bool,
    /// The string was already E.164 and no rule was tested.
    pub already_e164: bool,
}

/// Removes the visual separators users type (`(425) 555-0100`), as Lync
/// clients do before applying rules.
pub fn clean_dialed(settings: &RoutingSettings, dialed: &str) -> String {
    let t = dialed.trim();
    let t = t.strip_prefix("tel:").unwrap_or(t);
    let separator = |b: u8| matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'\t');
    if settings.strip_visual_separators && t.bytes().any(separator) {
        t.chars().filter(|c| !c.is_ascii() || !separator(*c as u8)).collect()
    } else {
        t.to_owned()
    }
}

/// Whether `s` is already an E.164 number (`+` then digits, optional `;ext=`).
pub fn is_e164(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('+') else {
        return false;
    };
    let (num, ext) = match rest.split_once(";ext=") {
        Some((n, e)) => (n, Some(e)),
        None => (rest, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    digits(num) && ext.is_none_or(digits)
}

/// Normalizes a cleaned dialed string with `plan`: E.164 input is left
/// alone; otherwise the external access prefix is stripped (per the
/// setting) and the first matching rule, in priority order, applies once.
pub fn normalize(settings: &RoutingSettings, plan: &DialPlan, dialed: &str) -> Normalized {
    if is_e164(dialed) {
        return Normalized {
            number: dialed.to_owned(),
            rule: None,
            prefix_stripped: false,
            already_e164: true,
        };
    }
    let strip = match settings.external_access_prefix_mode {
        AccessPrefixMode::WhenOptimized => plan.optimize_device_dialing,
        AccessPrefixMode::Always => true,
        AccessPrefixMode::Never => false,
    };
    let mut input = dialed;
    let mut prefix_stripped = false;
    if let (true, Some(prefix)) = (strip, plan.external_access_prefix.as_deref()) {
        if let Some(rest) = dialed.strip_prefix(prefix) {
            if !rest.is_empty() {
                input = rest;
                prefix_stripped = true;
            }
        }
    }
    let t = first_match(&plan.normalization_rules, input);
    Normalized {
        number: t.number,
        rule: t.rule,
        prefix_stripped,
        already_e164: false,
    }
}
