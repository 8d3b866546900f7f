//! `voicetwin route` as text: the decision step by step.

use std::fmt::Write;

use crate::voice::explain::{Explanation, ResponseExplained, ResponseRuleRef, RuleRef};
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
    if let Some(r) = &e.response {
        render_response(&mut s, r);
    }
    if let Some(invite) = &e.invite {
        let _ = writeln!(s, "\nINVITE of the first attempt (Mediation Server -> peer):");
        for line in invite.lines() {
            let _ = writeln!(s, "  {line}");
        }
    }
    s
}

/// A response code with its ISUP cause, as `486 (ISUP cause 34)`.
fn code_text(code: u16, cause: Option<u8>) -> String {
    match cause {
        Some(c) => format!("{code} (ISUP cause {c})"),
        None => code.to_string(),
    }
}

fn response_rule_text(r: &ResponseRuleRef) -> String {
    let code = if r.received_response_code == 0 { "any code".to_owned() } else { r.received_response_code.to_string() };
    let cause = r.received_isup_cause.map(|c| format!(", ISUP cause {c}")).unwrap_or_default();
    format!("response-code rule {} ({code}{cause} -> {})", r.name, r.translated_response_code)
}

/// What one response on one attempt does (`route --response`).
fn render_response(s: &mut String, r: &ResponseExplained) {
    let received = match r.received_code {
        Some(code) => code_text(code, r.received_isup_cause),
        None => "none (no answer)".to_owned(),
    };
    let _ =
        writeln!(s, "Response    {received} on attempt {}, trunk {}   [{}]", r.order, r.trunk, r.trunk_configuration);
    if r.no_answer {
        let how = if r.code == 504 {
            format!("the fast failover timer gives up after {} ms (504)", r.waited_ms)
        } else {
            format!("the INVITE transaction times out after {} ms (408)", r.waited_ms)
        };
        let _ = writeln!(s, "            {how}");
    }
    match &r.rule {
        Some(rule) => {
            let _ = writeln!(s, "            {}: now {}", response_rule_text(rule), r.code);
        }
        None if !r.no_answer || r.code != 504 => {
            let _ = writeln!(s, "            no response-code rule matched (unchanged: {})", r.code);
        }
        None => {}
    }
    let then = match (r.fails_over, r.next_order, &r.next_trunk) {
        (true, Some(n), Some(t)) => format!("FAILS OVER: next, attempt {n}, trunk {t}"),
        (true, _, _) => "FAILS OVER, but no trunk is left: the call is blocked".to_owned(),
        (false, _, _) => format!("ENDS THE CALL: {} is a final response that does not fail over", r.code),
    };
    let _ = writeln!(s, "Then        {then}");
}
