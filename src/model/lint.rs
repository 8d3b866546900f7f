//! Lints: configurations that load but that an administrator would want to
//! know about. Each names the object and field, like a load error, but
//! `voicetwin check` exits 0 on them.

use std::collections::HashMap;

use serde::Serialize;

use super::{AccessPrefixMode, Model, NumberRule, PeerKind, UsageId};
use crate::pattern::limit::{backtracking_risk, BACKTRACK_LIMIT};
use crate::pattern::shadow::{shadowed, Shadow};

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lint {
    /// Stable identifier of the kind of finding (docs/commands.md).
    pub code: &'static str,
    pub object: String,
    pub field: String,
    pub message: String,
}

/// Every lint of `model`, in a stable order.
pub fn lint(model: &Model) -> Vec<Lint> {
    let mut out = Vec::new();
    rule_lists(model, &mut out);
    out.extend(backtracking_risks(model));
    usages_and_routes(model, &mut out);
    trunks(model, &mut out);
    dial_plans(model, &mut out);
    out.extend(super::scope_lint::unused_site_scopes(model));
    out.extend(model.load_lints.iter().cloned());
    out
}

fn push(out: &mut Vec<Lint>, code: &'static str, object: String, field: impl Into<String>, message: String) {
    out.push(Lint { code, object, field: field.into(), message });
}

fn rule_lists(model: &Model, out: &mut Vec<Lint>) {
    // Sites repeat the same lists of patterns: each is checked once.
    let mut checked = HashMap::new();
    for p in &model.dial_plans {
        let obj = format!("dial_plan \"{}\"", p.identity);
        check_rules(&obj, "normalization_rules", &p.normalization_rules, &mut checked, out);
    }
    for c in &model.trunk_configs {
        let obj = format!("trunk_configuration \"{}\"", c.identity);
        check_rules(&obj, "outbound_translation_rules", &c.outbound_translation_rules, &mut checked, out);
        check_rules(
            &obj,
            "outbound_calling_number_translation_rules",
            &c.outbound_calling_number_translation_rules,
            &mut checked,
            out,
        );
    }
}

/// Shadowed rules by list of patterns.
type Checked<'m> = HashMap<Vec<&'m str>, Vec<Option<Shadow>>>;

/// Rules that can never apply (an earlier rule always wins), and
/// translations that refer to groups the pattern does not have.
fn check_rules<'m>(obj: &str, field: &str, rules: &'m [NumberRule], checked: &mut Checked<'m>, out: &mut Vec<Lint>) {
    let patterns: Vec<&str> = rules.iter().map(|r| r.rewrite.pattern().as_str()).collect();
    let shadows = checked.entry(patterns).or_insert_with_key(|p| {
        // A rule can only be shadowed by one above it.
        if p.len() < 2 {
            return Vec::new();
        }
        shadowed(p).unwrap_or_default()
    });
    for (j, rule) in rules.iter().enumerate() {
        let f = format!("{field}[{}]", rule.name);
        for lit in rule.rewrite.literal_references() {
            push(
                out,
                "literal-group-reference",
                obj.to_owned(),
                format!("{f}.translation"),
                format!(
                    "`{lit}` names a group the pattern does not have ({} group(s)); .NET keeps it as literal text",
                    rule.rewrite.pattern().groups_len() - 1
                ),
            );
        }
        let message = match shadows.get(j).copied().flatten() {
            Some(Shadow::ByRule(i)) => {
                format!("can never apply: every number it matches is matched first by rule \"{}\"", rules[i].name)
            }
            Some(Shadow::ByRules) => {
                "can never apply: every number it matches is matched first by the rules above it".to_owned()
            }
            None => continue,
        };
        push(out, "shadowed-rule", obj.to_owned(), f, message);
    }
}

/// The patterns that can reach the matching limit (lint
/// `backtracking-limit-risk`): a walk of the model's patterns alone,
/// cheap enough for every simulating command to warn of them first.
pub fn backtracking_risks(model: &Model) -> Vec<Lint> {
    let mut out = Vec::new();
    let mut rules = |obj: &str, field: &str, list: &[NumberRule]| {
        for rule in list {
            if let Some(why) = backtracking_risk(rule.rewrite.pattern()) {
                let f = format!("{field}[{}].pattern", rule.name);
                push(&mut out, "backtracking-limit-risk", obj.to_owned(), f, risk_message(&why));
            }
        }
    };
    for p in &model.dial_plans {
        rules(&format!("dial_plan \"{}\"", p.identity), "normalization_rules", &p.normalization_rules);
    }
    for c in &model.trunk_configs {
        let obj = format!("trunk_configuration \"{}\"", c.identity);
        rules(&obj, "outbound_translation_rules", &c.outbound_translation_rules);
        rules(&obj, "outbound_calling_number_translation_rules", &c.outbound_calling_number_translation_rules);
    }
    for r in &model.routes {
        if let Some(why) = backtracking_risk(&r.number_pattern) {
            let obj = format!("voice_route \"{}\"", r.name);
            push(&mut out, "backtracking-limit-risk", obj, "number_pattern", risk_message(&why));
        }
    }
    out
}

/// What a pattern that can reach the matching limit means for routing.
fn risk_message(why: &str) -> String {
    format!(
        "needs the backtracking engine and has {why}: on some numbers matching can stop at its limit of {BACKTRACK_LIMIT} steps, where .NET still answers; routing then takes the pattern as not matching (counted as a pattern limit hit). Rewrite it without nested repetition"
    )
}

fn usages_and_routes(model: &Model, out: &mut Vec<Lint>) {
    let mut used_by_caller = vec![false; model.usages.len()];
    for p in &model.voice_policies {
        for u in &p.pstn_usages {
            used_by_caller[u.index()] = true;
        }
    }
    for c in &model.trunk_configs {
        for u in &c.pstn_usages {
            used_by_caller[u.index()] = true;
        }
    }
    let has_route = |u: &UsageId| !model.usage_routes[u.index()].is_empty();
    for (i, name) in model.usages.iter().enumerate() {
        if model.usage_routes[i].is_empty() {
            push(
                out,
                "usage-without-route",
                format!("PSTN usage \"{name}\""),
                "pstn_usages",
                "no voice route carries this usage; policies listing it gain nothing from it".into(),
            );
        }
    }
    for r in &model.routes {
        let obj = format!("voice_route \"{}\"", r.name);
        if !r.pstn_usages.iter().any(|u| used_by_caller[u.index()]) {
            push(
                out,
                "unreachable-route",
                obj.clone(),
                "pstn_usages",
                "no voice policy or trunk configuration lists any of its usages, so no call can take it".into(),
            );
        }
        if r.trunks.is_empty() {
            push(
                out,
                "route-without-trunk",
                obj,
                "pstn_gateways",
                "lists no trunk; calls matching only this route cannot be placed".into(),
            );
        }
    }
    for p in &model.voice_policies {
        let obj = format!("voice_policy \"{}\"", p.identity);
        if p.pstn_usages.is_empty() {
            push(
                out,
                "policy-without-usages",
                obj,
                "pstn_usages",
                "has no PSTN usage: its users cannot make PSTN calls".into(),
            );
        } else if !p.pstn_usages.iter().any(has_route) {
            push(
                out,
                "policy-leads-nowhere",
                obj,
                "pstn_usages",
                "none of its usages is carried by a voice route: every PSTN call of its users is rejected".into(),
            );
        }
    }
}

fn trunks(model: &Model, out: &mut Vec<Lint>) {
    let mut in_route = vec![false; model.trunks.len()];
    model.routes.iter().flat_map(|r| &r.trunks).for_each(|t| in_route[t.index()] = true);
    // Per trunk configuration: its usages route to a PSTN gateway or ITSP.
    let pstn_trunk = |x: &super::TrunkId| {
        matches!(model.peer(model.trunk(*x).peer).kind, PeerKind::PstnGateway { .. } | PeerKind::ItspSbc { .. })
    };
    let reaches_pstn: Vec<bool> = model
        .trunk_configs
        .iter()
        .map(|c| {
            c.pstn_usages
                .iter()
                .flat_map(|u| &model.usage_routes[u.index()])
                .any(|r| model.route(*r).trunks.iter().any(pstn_trunk))
        })
        .collect();
    let mut peer_has_trunk = vec![false; model.peers.len()];
    model.trunks.iter().for_each(|t| peer_has_trunk[t.peer.index()] = true);
    for (i, t) in model.trunks.iter().enumerate() {
        let obj = format!("trunk \"{}\"", t.name);
        if !in_route[i] {
            push(
                out,
                "trunk-in-no-route",
                obj.clone(),
                "name",
                "no voice route lists this trunk: it carries inbound calls only".into(),
            );
        }
        let peer = model.peer(t.peer);
        let config = model.trunk_config(t.config);
        let pstn_peer = matches!(peer.kind, PeerKind::PstnGateway { .. } | PeerKind::ItspSbc { .. });
        if pstn_peer {
            let reaches_pstn = reaches_pstn[t.config.index()];
            if reaches_pstn {
                push(out, "pstn-to-pstn", format!("trunk_configuration \"{}\"", config.identity), "pstn_usages",
                    format!("calls arriving from {} \"{}\" (trunk \"{}\") can be routed back to the PSTN: a toll-fraud risk Microsoft advises against", peer.kind.label(), peer.name, t.name));
            }
        }
        if t.transport == super::Transport::Tcp && config.srtp_mode != super::SrtpMode::NotSupported {
            push(
                out,
                "tcp-forces-no-srtp",
                obj,
                "transport",
                format!(
                    "TCP transport forces SRTPMode NotSupported; trunk configuration \"{}\" asks for {:?}",
                    config.identity, config.srtp_mode
                ),
            );
        }
    }
    for (i, p) in model.peers.iter().enumerate() {
        if let PeerKind::PstnGateway { channels } = p.kind {
            if !(2..=960).contains(&channels) {
                push(
                    out,
                    "gateway-size",
                    format!("peer \"{}\"", p.name),
                    "channels",
                    format!("{channels} channels is outside the documented gateway range of 2 to 960 ports"),
                );
            }
        }
        if !peer_has_trunk[i] {
            push(
                out,
                "peer-without-trunk",
                format!("peer \"{}\"", p.name),
                "name",
                "no trunk reaches this peer: every gateway needs at least one Mediation Server".into(),
            );
        }
    }
}

fn dial_plans(model: &Model, out: &mut Vec<Lint>) {
    if model.settings.external_access_prefix_mode != AccessPrefixMode::WhenOptimized {
        return;
    }
    for p in &model.dial_plans {
        if p.external_access_prefix.is_some() && !p.optimize_device_dialing {
            push(
                out,
                "prefix-without-optimize",
                format!("dial_plan \"{}\"", p.identity),
                "external_access_prefix",
                "takes effect only with optimize_device_dialing = true; the rules must handle the prefix themselves"
                    .into(),
            );
        }
    }
}
