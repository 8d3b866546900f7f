//! Dial plans: from what a user dialed to an E.164 number.

use crate::model::{AccessPrefixMode, DialPlan, RoutingSettings};
use crate::pattern::limit::LimitHits;

use super::translate::first_match_into;

/// What a dial plan made of a dialed string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The number after normalization (E.164 when a rule made it so).
    pub number: String,
    /// The rule that applied, as an index into the plan's rules.
    pub rule: Option<usize>,
    /// Whether the external access prefix was removed first.
    pub prefix_stripped: bool,
    /// The string was already E.164 and no rule was tested.
    pub already_e164: bool,
    /// Rules passed over at the matching limit.
    pub limit_hits: LimitHits,
}

/// Removes the visual separators users type (`(425) 555-0100`), as Lync
/// clients do before applying rules.
pub fn clean_dialed(settings: &RoutingSettings, dialed: &str) -> String {
    let mut out = String::with_capacity(dialed.len());
    clean_dialed_into(settings, dialed, &mut out);
    out
}

/// As [`clean_dialed`], into `out` (cleared first).
pub fn clean_dialed_into(settings: &RoutingSettings, dialed: &str, out: &mut String) {
    let t = dialed.trim();
    let t = t.strip_prefix("tel:").unwrap_or(t);
    let separator = |b: u8| matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'\t');
    out.clear();
    if settings.strip_visual_separators && t.bytes().any(separator) {
        out.extend(t.chars().filter(|c| !c.is_ascii() || !separator(*c as u8)));
    } else {
        out.push_str(t);
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

/// The external access prefix `plan` removes before its rules, per the
/// `[routing] external_access_prefix_mode` setting.
pub fn access_prefix<'p>(settings: &RoutingSettings, plan: &'p DialPlan) -> Option<&'p str> {
    let strip = match settings.external_access_prefix_mode {
        AccessPrefixMode::WhenOptimized => plan.optimize_device_dialing,
        AccessPrefixMode::Always => true,
        AccessPrefixMode::Never => false,
    };
    plan.external_access_prefix.as_deref().filter(|_| strip)
}

/// Normalizes a cleaned dialed string with `plan`: E.164 input is left
/// alone; otherwise the external access prefix is stripped (per the
/// setting) and the first matching rule, in priority order, applies once;
/// when none takes the stripped string, the first that takes it as dialed.
pub fn normalize(settings: &RoutingSettings, plan: &DialPlan, dialed: &str) -> Normalized {
    let mut n = Normalized::default();
    normalize_into(settings, plan, dialed, &mut n);
    n
}

/// As [`normalize`], into `out` (its number's buffer is reused).
pub fn normalize_into(settings: &RoutingSettings, plan: &DialPlan, dialed: &str, out: &mut Normalized) {
    out.prefix_stripped = false;
    out.rule = None;
    out.limit_hits.clear();
    out.already_e164 = is_e164(dialed);
    if out.already_e164 {
        out.number.clear();
        out.number.push_str(dialed);
        return;
    }
    let mut input = dialed;
    if let Some(prefix) = access_prefix(settings, plan) {
        if let Some(rest) = dialed.strip_prefix(prefix) {
            if !rest.is_empty() {
                input = rest;
                out.prefix_stripped = true;
            }
        }
    }
    out.rule = first_match_into(&plan.normalization_rules, input, &mut out.number, &mut out.limit_hits);
    // A number that only looks prefixed (999 with prefix 9) and that no
    // rule takes without the prefix is tried as dialed, so a rule written
    // for it applies (an inference: docs/lync-behaviour.md, "External
    // access prefix").
    if out.rule.is_none() && out.prefix_stripped {
        let mut whole = String::new();
        if let Some(rule) = first_match_into(&plan.normalization_rules, dialed, &mut whole, &mut out.limit_hits) {
            out.rule = Some(rule);
            out.number = whole;
            out.prefix_stripped = false;
        }
    }
}
