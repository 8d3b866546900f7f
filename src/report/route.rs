//! `voicetwin route` as text: the decision step by step.

use std::fmt::Write;

use crate::voice::explain::{Explanation, RuleRef};
use crate::voice::Outcome;

fn rule_text(r: &Option<RuleRef>) -> String {
    match r {
        Some(r) => format!("rule {} ({} -> {})", r.name, r.pattern, r.translation),
        None => "no rule matched (unchanged)".to_owned(),
    }
}

/// Renders an explanation for a terminal.
pub fn render(e: &Explanation) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Caller      {}", e.caller);
    let _ = writeln!(s, "Dialed      {}", e.dialed);
    let _ = writeln!(s, "Dial plan   {}", e.dial_plan);
    if let Some(em) = e.emergency.as_ref().filter(|em| em.as_dialed) {
        let what = match &em.mask {
            Some(m) => format!("dial mask {m} of emergency dial string {}", em.dial_string),
            None => format!("emergency dial string {}", em.dial_string),
        };
        let _ = writeln!(s, "            {what} (location policy {}): no rule tested", em.location_policy);
    } else if e.already_e164 {
        let _ = writeln!(s, "            already E.164: no normalization rule tested");
    } else {
        if e.prefix_stripped {
            let _ = writeln!(s, "            external access prefix removed");
        }
        let _ = writeln!(s, "            {}", rule_text(&e.rule));
    }
    if let Some(em) = e.emergency.as_ref().filter(|em| !em.as_dialed) {
        let what = match &em.mask {
            Some(m) => format!("dial mask {m} of emergency dial string {}", em.dial_string),
            None => format!("emergency dial string {}", em.dial_string),
        };
        let _ = writeln!(s, "            the result is the {what} (location policy {})", em.location_policy);
    }
    let _ = writeln!(s, "Normalized  {}", e.normalized);
    if e.emergency.is_some() {
        let _ = writeln!(s, "EMERGENCY CALL: routed with the location policy's usage first");
    }
    if let Some(user) = &e.user {
        let _ = writeln!(s, "Reverse number lookup: Enterprise Voice user {user}: internal call, no PSTN routing");
    } else {
        let _ = writeln!(s, "Reverse number lookup: no user has this number");
    }
    if let Some(p) = &e.policy {
        let _ = writeln!(
            s,
            "Usages from {p}: {}",
            if e.usages.is_empty() { "(none)".to_owned() } else { e.usages.join(" > ") }
        );
    }
    let outcome = match e.outcome {
        Outcome::Internal => "INTERNAL: delivered to the user".to_owned(),
        Outcome::Routed => format!("ROUTED: {} trunk attempt(s) in order", e.attempts.len()),
        Outcome::NoTrunkAvailable => "NO TRUNK AVAILABLE: routes match, but every trunk on them is down".to_owned(),
        Outcome::NotAuthorized => "NOT AUTHORIZED: no usage of the caller has a route matching the number".to_owned(),
        Outcome::NotFound => {
            "NOT FOUND: no user has the number and the trunk has no inter-trunk usages (404)".to_owned()
        }
    };
    let _ = writeln!(s, "Outcome     {outcome}");
    if let Some(hit) = &e.limit_hits.first {
        let _ = writeln!(
            s,
            "  MATCHING LIMIT REACHED: pattern `{}` gave up on `{}` after {} backtracking steps ({} time(s) in this call); \
             it was taken as not matching, so Lync may decide otherwise. Rewrite the pattern without nested repetition.",
            hit.pattern,
            hit.input,
            crate::pattern::limit::BACKTRACK_LIMIT,
            e.limit_hits.count
        );
    }
    for a in &e.attempts {
        let _ = writeln!(
            s,
            "  {}. usage {} / route {} / trunk {} ({} -> {} {})",
            a.order, a.usage, a.route, a.trunk, a.mediation_pool, a.peer_kind, a.peer
        );
        let _ = writeln!(s, "       called  {}   [{}: {}]", a.called, a.trunk_configuration, rule_text(&a.called_rule));
        let calling = a.calling.as_deref().unwrap_or("(none)");
        let suppressed = if a.caller_id_suppressed { ", caller ID replaced by the route's alternate ID" } else { "" };
        let _ = writeln!(s, "       calling {}   [{}{suppressed}]", calling, rule_text(&a.calling_rule));
    }
    if let Some(invite) = &e.invite {
        let _ = writeln!(s, "\nINVITE of the first attempt (Mediation Server -> peer):");
        for line in invite.lines() {
            let _ = writeln!(s, "  {line}");
        }
    }
    s
}
