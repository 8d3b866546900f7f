//! What a trunk attempt's outcome means for routing: fail over to the next
//! candidate, or end the call.
//!
//! Final responses first pass through the trunk configuration's
//! `SipResponseCodeTranslationRulesList` (first match, Priority order), then
//! are classed: 503 (which a full gateway sends) and by field report other
//! 5xx fail over; 486 and other 4xx and 6xx end the call
//! (docs/lync-behaviour.md, "Failover responses"). A peer that shows no
//! progress within the fast-failover timer is rerouted when the timer is
//! enabled.

use crate::model::{Micros, RoutingSettings, TrunkConfig};

/// How a trunk attempt ended, as the Mediation Server sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptResult {
    /// A final failure response, with the ISUP cause when the peer sent one.
    Response { code: u16, isup_cause: Option<u8> },
    /// No provisional response from the peer at all.
    NoProgress,
}

/// What routing does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// Try the next candidate (the same stage, then the next usage).
    pub failover: bool,
    /// The response code after translation (408 for an expired transaction).
    pub code: u16,
    /// The response-code translation rule that applied.
    pub rule: Option<usize>,
    /// How long the attempt held the call before this verdict.
    pub waited: Micros,
}

/// SIP transaction timeout (Timer B = 64 x T1) when no fast failover timer.
pub const TIMER_B: Micros = Micros::from_secs(32);

/// Translates a final response with the configuration's rules.
pub fn translate_response(config: &TrunkConfig, code: u16, isup_cause: Option<u8>) -> (u16, Option<usize>) {
    for (i, r) in config.sip_response_code_translation_rules.iter().enumerate() {
        let code_ok = r.received_response_code == 0 || r.received_response_code == code;
        let isup_ok = r.received_isup_cause.is_none() || r.received_isup_cause == isup_cause;
        if code_ok && isup_ok {
            return (r.translated_response_code, Some(i));
        }
    }
    (code, None)
}

/// Whether a (translated) final response code fails over.
pub fn code_fails_over(settings: &RoutingSettings, code: u16) -> bool {
    if settings.final_codes.contains(&code) {
        return false;
    }
    settings.failover_codes.contains(&code) || (settings.failover_on_5xx && (500..600).contains(&code))
}

/// The routing verdict for one attempt's result on a trunk with `config`.
pub fn verdict(settings: &RoutingSettings, config: &TrunkConfig, result: AttemptResult) -> Verdict {
    match result {
        AttemptResult::Response { code, isup_cause } => {
            let (code, rule) = translate_response(config, code, isup_cause);
            Verdict { failover: code_fails_over(settings, code), code, rule, waited: Micros(0) }
        }
        AttemptResult::NoProgress if config.enable_fast_failover_timer => {
            Verdict { failover: true, code: 504, rule: None, waited: settings.fast_failover_timeout }
        }
        AttemptResult::NoProgress => {
            // Without the timer the transaction expires; Lync treats the
            // resulting 408 like any 4xx unless a rule remaps it.
            let (code, rule) = translate_response(config, 408, None);
            Verdict { failover: code_fails_over(settings, code), code, rule, waited: TIMER_B }
        }
    }
}
