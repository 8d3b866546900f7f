//! One trunk attempt: the numbers the Mediation Server sends the peer.
//!
//! Translation happens after the trunk is chosen, with *that* trunk's
//! effective configuration, and always starts from the E.164 number, so a
//! failover never reuses another trunk's translated number
//! (lync-voice-model.md (e)).

use crate::model::{Model, TrunkConfigId};

use super::selection::Candidate;
use super::translate::first_match;

/// The translated numbers of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub candidate: Candidate,
    /// The trunk's effective configuration.
    pub config: TrunkConfigId,
    /// Called number as sent (Request-URI user part).
    pub called: String,
    pub called_rule: Option<usize>,
    /// Calling number as sent; `None` when the caller has none.
    pub calling: Option<String>,
    pub calling_rule: Option<usize>,
    /// The route replaced the caller's number with its alternate caller ID.
    pub caller_id_suppressed: bool,
}

/// Prepares the attempt on `candidate` for E.164 `number` from a caller
/// whose number is `caller_number`.
pub fn prepare(model: &Model, candidate: Candidate, number: &str, caller_number: Option<&str>) -> Attempt {
    let trunk = model.trunk(candidate.trunk);
    let config = model.trunk_config(trunk.config);
    let route = model.route(candidate.route);

    let called = first_match(&config.outbound_translation_rules, number);
    let (presented, suppressed) = match (route.suppress_caller_id, &route.alternate_caller_id) {
        (true, Some(alt)) => (Some(alt.as_str()), true),
        _ => (caller_number, false),
    };
    let calling = presented.map(|n| first_match(&config.outbound_calling_number_translation_rules, n));

    // RemovePlusFromUri acts on what the rules produced (an inference).
    let strip = |s: String| match (config.remove_plus_from_uri, s.strip_prefix('+')) {
        (true, Some(rest)) => rest.to_owned(),
        _ => s,
    };
    Attempt {
        candidate,
        config: trunk.config,
        called: strip(called.number),
        called_rule: called.rule,
        calling_rule: calling.as_ref().and_then(|c| c.rule),
        calling: calling.map(|c| strip(c.number)),
        caller_id_suppressed: suppressed,
    }
}
