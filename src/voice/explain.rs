//! A routing decision spelled out with names, for `voicetwin route` and for
//! design reviews. The JSON form is a stable schema (docs/commands.md).

use serde::Serialize;

use crate::model::{Model, NumberRule, TrunkConfig, TrunkId};
use crate::pattern::limit::LimitHits;

use super::attempt::prepare;
use super::decide::{usages_into, Caller, Decision, Outcome, UsageSource};
use super::response::{verdict, AttemptResult};
use super::sip::outbound_invite;

/// A rule that applied, by name with its pattern and translation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RuleRef {
    pub name: String,
    pub pattern: String,
    pub translation: String,
}

impl RuleRef {
    fn of(rules: &[NumberRule], i: Option<usize>) -> Option<Self> {
        i.map(|i| {
            let r = &rules[i];
            RuleRef {
                name: r.name.clone(),
                pattern: r.rewrite.pattern().as_str().to_owned(),
                translation: r.rewrite.translation().to_owned(),
            }
        })
    }
}

/// One trunk attempt, with the numbers the peer would receive.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AttemptExplained {
    /// 1 for the first trunk tried.
    pub order: usize,
    pub usage: String,
    pub route: String,
    pub trunk: String,
    pub mediation_pool: String,
    pub peer: String,
    pub peer_kind: &'static str,
    pub trunk_configuration: String,
    pub called: String,
    pub called_rule: Option<RuleRef>,
    pub calling: Option<String>,
    pub calling_rule: Option<RuleRef>,
    pub caller_id_suppressed: bool,
}

/// How a dialed number became an emergency call.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EmergencyExplained {
    pub location_policy: String,
    pub dial_string: String,
    /// The dial mask dialed, when not the dial string.
    pub mask: Option<String>,
    /// Recognized as dialed (before the dial plan), or in the normalized
    /// number.
    pub as_dialed: bool,
}

/// A whole decision, explained.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Explanation {
    pub caller: String,
    pub dialed: String,
    pub dial_plan: String,
    pub prefix_stripped: bool,
    pub already_e164: bool,
    /// The normalization rule that applied.
    pub rule: Option<RuleRef>,
    pub normalized: String,
    /// Reverse number lookup found an Enterprise Voice user.
    pub internal: bool,
    /// The caller's location policy made it an emergency call.
    pub emergency: Option<EmergencyExplained>,
    /// That user, as `group #index`.
    pub user: Option<String>,
    /// The voice policy whose usages were walked (or the trunk
    /// configuration, for inter-trunk routing).
    pub policy: Option<String>,
    pub usages: Vec<String>,
    pub outcome: Outcome,
    pub attempts: Vec<AttemptExplained>,
    /// The INVITE of the first attempt, as the Mediation Server sends it.
    pub invite: Option<String>,
    /// Patterns that reached the matching limit in the decision or an
    /// attempt and were taken as not matching: Lync may decide otherwise.
    pub limit_hits: LimitHits,
    /// What a given response on one attempt does (`route --response`);
    /// null without one.
    pub response: Option<ResponseExplained>,
}

/// A response-code translation rule that applied.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ResponseRuleRef {
    pub name: String,
    /// 0: any code.
    pub received_response_code: u16,
    /// null: any cause.
    pub received_isup_cause: Option<u8>,
    pub translated_response_code: u16,
}

/// What routing does with one response on one trunk attempt: the
/// response-code translation, then the failover class.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ResponseExplained {
    /// The attempt it answers (its `order`) and its trunk.
    pub order: usize,
    pub trunk: String,
    pub trunk_configuration: String,
    /// The response received: a code (and ISUP cause), or none at all.
    pub received_code: Option<u16>,
    pub received_isup_cause: Option<u8>,
    pub no_answer: bool,
    /// The response-code translation rule that applied.
    pub rule: Option<ResponseRuleRef>,
    /// The code routing acts on: after translation; 504 when the fast
    /// failover timer gives up, 408 when the transaction times out.
    pub code: u16,
    pub fails_over: bool,
    /// How long the attempt waits for it, in ms (no answer: the timer).
    pub waited_ms: u64,
    /// The attempt tried next (its `order`) and its trunk, when it fails
    /// over and one is left.
    pub next_order: Option<usize>,
    pub next_trunk: Option<String>,
}

impl ResponseRuleRef {
    fn of(config: &TrunkConfig, i: Option<usize>) -> Option<Self> {
        i.map(|i| {
            let r = &config.sip_response_code_translation_rules[i];
            ResponseRuleRef {
                name: r.name.clone(),
                received_response_code: r.received_response_code,
                received_isup_cause: r.received_isup_cause,
                translated_response_code: r.translated_response_code,
            }
        })
    }
}

/// What `result` on the attempt on `trunk` (the first attempt when
/// `None`) of an explained decision does; an error, for people, when the
/// call tries no trunk or not that one.
pub fn explain_response(
    model: &Model,
    e: &Explanation,
    trunk: Option<TrunkId>,
    result: AttemptResult,
) -> Result<ResponseExplained, String> {
    if e.attempts.is_empty() {
        return Err("the call tries no trunk, so no peer answers it".to_owned());
    }
    let k = match trunk {
        None => 0,
        Some(t) => {
            let name = &model.trunk(t).name;
            e.attempts.iter().position(|a| &a.trunk == name).ok_or_else(|| {
                let tried: Vec<&str> = e.attempts.iter().map(|a| a.trunk.as_str()).collect();
                format!("trunk \"{name}\" is not one this call tries (it tries {})", tried.join(", "))
            })?
        }
    };
    let a = &e.attempts[k];
    let t = model.trunk_by_name(&a.trunk).expect("an explained attempt names a trunk of the model");
    let config = model.trunk_config(model.trunk(t).config);
    let v = verdict(&model.settings, config, result);
    let (received_code, received_isup_cause) = match result {
        AttemptResult::Response { code, isup_cause } => (Some(code), isup_cause),
        AttemptResult::NoProgress => (None, None),
    };
    let next = e.attempts.get(k + 1).filter(|_| v.failover);
    Ok(ResponseExplained {
        order: a.order,
        trunk: a.trunk.clone(),
        trunk_configuration: config.identity.clone(),
        received_code,
        received_isup_cause,
        no_answer: result == AttemptResult::NoProgress,
        rule: ResponseRuleRef::of(config, v.rule),
        code: v.code,
        fails_over: v.failover,
        waited_ms: v.waited.0 / 1000,
        next_order: next.map(|n| n.order),
        next_trunk: next.map(|n| n.trunk.clone()),
    })
}

/// Describes a caller for people.
pub fn describe_caller(model: &Model, caller: Caller, calling: Option<&str>) -> String {
    match caller {
        Caller::User { group, index } => {
            let g = model.user_group(group);
            format!("user {} of group {} ({})", index, g.name, g.number(index))
        }
        Caller::Site(s) => format!("a user at site {}", model.site(s).name),
        Caller::Trunk(t) => {
            let t = model.trunk(t);
            let from = calling.map(|c| format!(" from {c}")).unwrap_or_default();
            format!("a call arriving on trunk {} (peer {}){from}", t.name, model.peer(t.peer).name)
        }
    }
}

/// Spells out `decision` for `caller`, preparing every attempt in order.
pub fn explain(model: &Model, caller: Caller, decision: &Decision) -> Explanation {
    let plan = model.dial_plan(decision.dial_plan);
    let (policy, usages) = match decision.usage_source {
        Some(UsageSource::Policy(p)) => {
            let p = model.voice_policy(p);
            let mut usages = Vec::new();
            usages_into(model, decision.emergency.as_ref(), &p.pstn_usages, &mut usages);
            let policy = match decision.emergency.as_ref().map(|e| model.location_policy(e.location_policy)) {
                Some(l) if l.pstn_usage.is_some() => {
                    format!("location policy {} (emergency usage), then voice policy {}", l.identity, p.identity)
                }
                _ => format!("voice policy {}", p.identity),
            };
            (Some(policy), usages)
        }
        Some(UsageSource::TrunkConfig(c)) => {
            let c = model.trunk_config(c);
            (Some(format!("trunk configuration {}", c.identity)), c.pstn_usages.clone())
        }
        None => (None, Vec::new()),
    };
    let attempts: Vec<_> = decision
        .candidates
        .iter()
        .map(|c| prepare(model, *c, &decision.normalized.number, decision.calling_number.as_deref()))
        .collect();
    let invite = attempts.first().map(|a| outbound_invite(model, a, "voicetwin-route-1").to_string());
    let mut limit_hits = decision.limit_hits.clone();
    attempts.iter().for_each(|a| limit_hits.add(&a.limit_hits));
    let attempts = attempts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let trunk = model.trunk(a.candidate.trunk);
            let config = model.trunk_config(a.config);
            AttemptExplained {
                order: i + 1,
                usage: model.usage(a.candidate.usage).to_owned(),
                route: model.route(a.candidate.route).name.clone(),
                trunk: trunk.name.clone(),
                mediation_pool: model.mediation_pool(trunk.mediation_pool).fqdn.clone(),
                peer: model.peer(trunk.peer).name.clone(),
                peer_kind: model.peer(trunk.peer).kind.label(),
                trunk_configuration: config.identity.clone(),
                called: a.called.clone(),
                called_rule: RuleRef::of(&config.outbound_translation_rules, a.called_rule),
                calling: a.calling.clone(),
                calling_rule: RuleRef::of(&config.outbound_calling_number_translation_rules, a.calling_rule),
                caller_id_suppressed: a.caller_id_suppressed,
            }
        })
        .collect();
    Explanation {
        caller: describe_caller(model, caller, decision.calling_number.as_deref()),
        dialed: decision.dialed.clone(),
        dial_plan: plan.identity.clone(),
        prefix_stripped: decision.normalized.prefix_stripped,
        already_e164: decision.normalized.already_e164,
        rule: RuleRef::of(&plan.normalization_rules, decision.normalized.rule),
        normalized: decision.normalized.number.clone(),
        internal: decision.internal.is_some(),
        emergency: decision.emergency.as_ref().map(|e| {
            let l = model.location_policy(e.location_policy);
            EmergencyExplained {
                location_policy: l.identity.clone(),
                dial_string: l.emergency_dial_string.clone().unwrap_or_default(),
                mask: e.mask.clone(),
                as_dialed: e.as_dialed,
            }
        }),
        user: decision.internal.map(|e| format!("{} #{}", model.user_group(e.group).name, e.index)),
        policy,
        usages: usages.iter().map(|u| model.usage(*u).to_owned()).collect(),
        outcome: decision.outcome,
        attempts,
        invite,
        limit_hits,
        response: None,
    }
}
