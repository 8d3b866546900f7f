//! Lints: configurations that load but that an administrator would want to
//! know about. Each names the object and field, like a load error, but
//! `voicetwin check` exits 0 on them.

use std::collections::HashMap;

use serde::Serialize;

use super::{AccessPrefixMode, Model, NumberRule, PeerKind, UsageId};
use crate::pattern::language::{net_syntax, witness, Language, Witness};
use crate::pattern::limit::{backtracking_risk, BACKTRACK_LIMIT};
use crate::pattern::shadow::{shadowed_and_overlaps, Shadow};

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
    routes_matching_no_number(model, &mut out);
    trunks(model, &mut out);
    dial_plans(model, &mut out);
    out.extend(super::scope_lint::unused_site_scopes(model));
    out.extend(model.load_lints.iter().cloned());
    out.extend(super::todo::todos(&model.text));
    out
}

fn push(out: &mut Vec<Lint>, code: &'static str, object: String, field: impl Into<String>, message: String) {
    out.push(Lint { code, object, field: field.into(), message });
}

fn rule_lists(model: &Model, out: &mut Vec<Lint>) {
    // Sites repeat the same lists of rules: each is checked once.
    let mut checked = HashMap::new();
    let mut extensions = Extensions::new(model);
    for p in &model.dial_plans {
        let obj = format!("dial_plan \"{}\"", p.identity);
        check_rules(&obj, "normalization_rules", &p.normalization_rules, &mut checked, out);
        for rule in p.normalization_rules.iter().filter(|r| r.is_internal_extension) {
            if let Some(message) = extensions.reaches_no_user(rule) {
                let f = format!("normalization_rules[{}]", rule.name);
                push(out, "extension-reaches-no-user", obj.clone(), f, message);
            }
        }
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

/// What the list checks found for each rule: that it can never apply, that
/// an earlier rule takes some of its numbers.
#[derive(Default, Clone)]
struct RuleFindings {
    shadowed: Option<String>,
    partly: Option<String>,
}

/// Findings by list of (pattern, translation).
type Checked<'m> = HashMap<Vec<(&'m str, &'m str)>, Vec<RuleFindings>>;

/// Rules that can never apply (an earlier rule always wins), rules that an
/// earlier rule takes some numbers from with another result, and
/// translations that refer to groups the pattern does not have.
fn check_rules<'m>(obj: &str, field: &str, rules: &'m [NumberRule], checked: &mut Checked<'m>, out: &mut Vec<Lint>) {
    let key: Vec<(&str, &str)> =
        rules.iter().map(|r| (r.rewrite.pattern().as_str(), r.rewrite.translation())).collect();
    let findings = checked.entry(key).or_insert_with(|| list_findings(rules));
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
        let found = findings.get(j).cloned().unwrap_or_default();
        if let Some(message) = found.shadowed {
            push(out, "shadowed-rule", obj.to_owned(), f.clone(), message);
        }
        if let Some(message) = found.partly {
            push(out, "partially-shadowed-rule", obj.to_owned(), f, message);
        }
    }
}

/// Pairs of rules per list checked for "special case of" before the
/// partial-shadowing check stops looking (each check is a bounded
/// product search).
const CONTAINMENT_CHECKS: usize = 200;

/// The findings of one list of rules, from one walk of its automaton.
fn list_findings(rules: &[NumberRule]) -> Vec<RuleFindings> {
    let mut found = vec![RuleFindings::default(); rules.len()];
    // A rule can only be shadowed by one above it.
    if rules.len() < 2 {
        return found;
    }
    let patterns: Vec<&str> = rules.iter().map(|r| r.rewrite.pattern().as_str()).collect();
    let Some((shadows, overlaps)) = shadowed_and_overlaps(&patterns) else { return found };
    // A number the earlier rule takes from rule `j`, with both results:
    // `: "X" becomes "A" by rule "I", not "B" as this rule would make it`.
    let example = |earlier: Option<usize>, j: usize| -> String {
        overlaps
            .iter()
            .filter(|o| o.later == j && earlier.is_none_or(|e| e == o.earlier))
            .find_map(|o| {
                let first = rules.iter().position(|r| r.rewrite.is_match(&o.example))?;
                let taken = rules[first].rewrite.apply(&o.example)?;
                let own = rules[j].rewrite.apply(&o.example)?;
                Some(if taken == own {
                    format!(
                        ": e.g. \"{}\" becomes \"{taken}\" by rule \"{}\", as it would by this one",
                        o.example, rules[first].name
                    )
                } else {
                    format!(
                        ": e.g. \"{}\" becomes \"{taken}\" by rule \"{}\", not \"{own}\" as this rule would make it",
                        o.example, rules[first].name
                    )
                })
            })
            .unwrap_or_default()
    };
    for (j, shadow) in shadows.iter().enumerate() {
        found[j].shadowed = match shadow {
            Some(Shadow::ByRule(i)) => Some(format!(
                "can never apply: every number it matches is matched first by rule \"{}\"{}",
                rules[*i].name,
                example(Some(*i), j)
            )),
            Some(Shadow::ByRules) => Some(format!(
                "can never apply: every number it matches is matched first by the rules above it{}",
                example(None, j)
            )),
            None => None,
        };
    }
    // Partly shadowed: the first overlap (shortest number, earliest rule)
    // on which the earlier rule really applies first and gives another
    // result. Rules above with look-around were left out of the walk, so
    // the list is run on the number itself. An earlier rule that is a
    // special case of the later one (every number it matches, the later
    // one matches too: `^\+1(\d{10})$` before `^\+(\d{7,15})$`) is the
    // usual order, specific before general, and is not reported.
    let mut languages: HashMap<usize, Option<Language>> = HashMap::new();
    let mut special_case: HashMap<(usize, usize), bool> = HashMap::new();
    for o in &overlaps {
        let j = o.later;
        if found[j].shadowed.is_some() || found[j].partly.is_some() {
            continue;
        }
        if special_case.len() >= CONTAINMENT_CHECKS && !special_case.contains_key(&(o.earlier, j)) {
            continue;
        }
        let inside = *special_case.entry((o.earlier, j)).or_insert_with(|| {
            for k in [o.earlier, j] {
                languages
                    .entry(k)
                    .or_insert_with(|| Language::new(&[&net_syntax(rules[k].rewrite.pattern().as_str())]));
            }
            match (&languages[&o.earlier], &languages[&j]) {
                (Some(a), Some(b)) => !matches!(witness(&[a], &[b]), Witness::Found(_)),
                // Undecided: not reported.
                _ => true,
            }
        });
        if inside {
            continue;
        }
        let first = rules.iter().position(|r| r.rewrite.is_match(&o.example));
        if first != Some(o.earlier) {
            continue;
        }
        let (Some(taken), Some(own)) = (rules[o.earlier].rewrite.apply(&o.example), rules[j].rewrite.apply(&o.example))
        else {
            continue;
        };
        if taken != own {
            found[j].partly = Some(format!(
                "rule \"{}\" above it takes some of its numbers: \"{}\" matches both and becomes \"{taken}\" by \"{}\", not \"{own}\" as this rule would make it",
                rules[o.earlier].name, o.example, rules[o.earlier].name
            ));
        }
    }
    found
}

/// The numbers users hold, for the `extension-reaches-no-user` lint:
/// Line URI ranges by number of digits, sorted, so that a rule's output
/// is compared only with the ranges its literal prefix can reach.
struct Extensions {
    /// (first, last) numbers by digit count (index 0 unused).
    ranges: Vec<Vec<(u64, u64)>>,
    any_user: bool,
    /// The patterns of the routes to an IP-PBX: numbers held behind a PBX
    /// are extensions too.
    pbx_patterns: Vec<String>,
    /// Their language, built when first needed; `Err` when one of them has
    /// no automaton (then the lint says nothing).
    pbx: Option<Result<Option<Language>, ()>>,
    /// Findings by (pattern, translation): sites repeat the same rules.
    done: HashMap<(String, String), Option<String>>,
}

impl Extensions {
    fn new(model: &Model) -> Self {
        let mut ranges = vec![Vec::new(); 20];
        for g in &model.user_groups {
            let d = usize::from(g.number_digits).min(19);
            ranges[d].push((g.first_number, g.first_number + u64::from(g.users).saturating_sub(1)));
        }
        ranges.iter_mut().for_each(|r| r.sort_unstable());
        let mut pbx_patterns: Vec<String> = model
            .routes
            .iter()
            .filter(|r| {
                r.trunks.iter().any(|t| matches!(model.peer(model.trunk(*t).peer).kind, PeerKind::IpPbx { .. }))
            })
            .map(|r| net_syntax(r.number_pattern.as_str()))
            .collect();
        pbx_patterns.sort();
        pbx_patterns.dedup();
        Self { ranges, any_user: !model.user_groups.is_empty(), pbx_patterns, pbx: None, done: HashMap::new() }
    }

    /// Why an internal-extension rule makes no user's number, with an
    /// example; `None` when some user holds a number it can make, or the
    /// rule's results cannot be told (look-around, whole-match references).
    fn reaches_no_user(&mut self, rule: &NumberRule) -> Option<String> {
        if !self.any_user {
            return None;
        }
        if self.pbx.is_none() {
            let refs: Vec<&str> = self.pbx_patterns.iter().map(String::as_str).collect();
            self.pbx = Some(if refs.is_empty() { Ok(None) } else { Language::new(&refs).map(Some).ok_or(()) });
        }
        if matches!(self.pbx, Some(Err(()))) {
            return None;
        }
        let key = (rule.rewrite.pattern().as_str().to_owned(), rule.rewrite.translation().to_owned());
        if let Some(done) = self.done.get(&key) {
            return done.clone();
        }
        let found = self.check(rule);
        self.done.insert(key, found.clone());
        found
    }

    fn check(&self, rule: &NumberRule) -> Option<String> {
        let output = rule.rewrite.output_pattern()?;
        let lang = Language::new(&[&output])?;
        // The output's literal start, `+` and digits: only ranges whose
        // numbers can begin so are compared.
        let lead: String = output
            .strip_prefix("^\\+")
            .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
            .unwrap_or_default();
        for (digits, list) in self.ranges.iter().enumerate().skip(1) {
            if list.is_empty() || lead.len() > digits {
                continue;
            }
            let (lo, hi) = if lead.is_empty() {
                (0, u64::MAX)
            } else {
                let scale = 10u64.checked_pow((digits - lead.len()) as u32)?;
                let p: u64 = lead.parse().ok()?;
                (p.checked_mul(scale)?, p.checked_mul(scale)?.checked_add(scale - 1)?)
            };
            // Ranges do not overlap: sorted by first number, so by last.
            let from = list.partition_point(|&(_, last)| last < lo);
            for &(first, last) in list[from..].iter().take_while(|&&(first, _)| first <= hi) {
                if lang.number_in_range("+", first.max(lo), last.min(hi), digits).is_some() {
                    return None;
                }
            }
        }
        if let Some(Ok(Some(pbx))) = &self.pbx {
            if witness(&[&lang, pbx], &[]) != Witness::None {
                return None;
            }
        }
        let pattern = Language::new(&[&net_syntax(rule.rewrite.pattern().as_str())]);
        let example = pattern
            .and_then(|p| match witness(&[&p], &[]) {
                Witness::Found(n) => Some(n),
                _ => None,
            })
            .and_then(|n| rule.rewrite.apply(&n).map(|r| format!(" (\"{n}\" becomes \"{r}\")")))
            .unwrap_or_default();
        Some(format!(
            "is an internal extension rule, but no user group's Line URI range holds a number it makes{example}: calls to these extensions reach no user"
        ))
    }
}

/// Route patterns no number can match (lint `route-matches-no-number`):
/// the pattern's language holds no `+` and digits, nor digits alone. Read
/// as .NET reads it (a brace that opens no quantifier is literal).
fn routes_matching_no_number(model: &Model, out: &mut Vec<Lint>) {
    let Some(numbers) = Language::new(&[r"^\+?[0-9]+$"]) else { return };
    let mut done: HashMap<&str, Option<String>> = HashMap::new();
    for r in &model.routes {
        let pattern = r.number_pattern.as_str();
        let message = done
            .entry(pattern)
            .or_insert_with(|| {
                let lang = Language::new(&[&net_syntax(pattern)])?;
                if witness(&[&lang, &numbers], &[]) != Witness::None {
                    return None;
                }
                let matches = match lang.shortest() {
                    Some(s) if s.is_empty() => "only the empty string".to_owned(),
                    Some(s) => format!("strings such as \"{s}\""),
                    None => "nothing at all".to_owned(),
                };
                let brace = if net_syntax(pattern) != pattern {
                    " (in .NET a `{` that opens no quantifier, as in `\\d{6,13$`, is a literal brace)"
                } else {
                    ""
                };
                Some(format!(
                    "`{pattern}` matches no number (`+` and digits, or digits), only {matches}{brace}: no call can take this route"
                ))
            })
            .clone();
        if let Some(message) = message {
            push(out, "route-matches-no-number", format!("voice_route \"{}\"", r.name), "number_pattern", message);
        }
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
    // A location policy's usage carries its emergency calls.
    for u in model.location_policies.iter().filter(|p| p.enhanced_emergency_services).filter_map(|p| p.pstn_usage) {
        used_by_caller[u.index()] = true;
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
                "no voice policy, trunk configuration or location policy lists any of its usages, so no call can take it".into(),
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
    // A policy no user group and no site has (the implicit Global one,
    // when every site has its own) places no call: nothing to warn of.
    let mut assigned = vec![false; model.voice_policies.len()];
    model.user_groups.iter().for_each(|g| assigned[g.voice_policy.index()] = true);
    model.site_voice_policy.iter().for_each(|p| assigned[p.index()] = true);
    for (p, _) in model.voice_policies.iter().zip(&assigned).filter(|(_, a)| **a) {
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
