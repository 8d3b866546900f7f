//! One trunk attempt: the numbers the Mediation Server sends the peer.
//!
//! Translation happens after the trunk is chosen, with *that* trunk's
//! effective configuration, and always starts from the E.164 number, so a
//! failover never reuses another trunk's translated number
//! (docs/lync-behaviour.md, "Trunk translation rules").

use crate::model::{Model, TrunkConfigId};
use crate::pattern::limit::LimitHits;

use super::selection::Candidate;
use super::translate::first_match_into;

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
    /// Translation rules passed over at the matching limit.
    pub limit_hits: LimitHits,
}

/// Prepares the attempt on `candidate` for E.164 `number` from a caller
/// whose number is `caller_number`.
pub fn prepare(model: &Model, candidate: Candidate, number: &str, caller_number: Option<&str>) -> Attempt {
    let mut a = Attempt {
        candidate,
        config: TrunkConfigId::default(),
        called: String::new(),
        called_rule: None,
        calling: None,
        calling_rule: None,
        caller_id_suppressed: false,
        limit_hits: LimitHits::default(),
    };
    prepare_into(model, candidate, number, caller_number, &mut a);
    a
}

/// As [`prepare`], into `a`, reusing its buffers.
pub fn prepare_into(model: &Model, candidate: Candidate, number: &str, caller_number: Option<&str>, a: &mut Attempt) {
    let trunk = model.trunk(candidate.trunk);
    let config = model.trunk_config(trunk.config);
    let route = model.route(candidate.route);
    a.candidate = candidate;
    a.config = trunk.config;

    a.limit_hits.clear();
    a.called_rule = first_match_into(&config.outbound_translation_rules, number, &mut a.called, &mut a.limit_hits);
    let (presented, suppressed) = match (route.suppress_caller_id, &route.alternate_caller_id) {
        (true, Some(alt)) => (Some(alt.as_str()), true),
        _ => (caller_number, false),
    };
    a.caller_id_suppressed = suppressed;
    let mut calling = a.calling.take().unwrap_or_default();
    a.calling_rule = None;
    if let Some(n) = presented {
        let rules = &config.outbound_calling_number_translation_rules;
        a.calling_rule = first_match_into(rules, n, &mut calling, &mut a.limit_hits);
        a.calling = Some(calling);
    }
    // RemovePlusFromUri acts on what the rules produced (an inference).
    if config.remove_plus_from_uri {
        for s in std::iter::once(&mut a.called).chain(a.calling.as_mut()) {
            if s.starts_with('+') {
                s.remove(0);
            }
        }
    }
}
