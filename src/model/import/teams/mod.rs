//! Teams Direct Routing exports to a model (docs/import-teams.md).
//!
//! The routing objects map one to one onto Lync's: voice routing policies
//! onto voice policies, online PSTN usages and voice routes onto usages
//! and routes, tenant dial plans onto dial plans. What Direct Routing
//! lacks (Mediation pools, sites, regions) is stood in by [`network`];
//! what it does differently is set in `[routing]` ([`failover`]) or
//! written as notes and TODOs, never silently approximated.

pub mod dial_plans;
pub mod failover;
pub mod gateways;
pub mod network;
pub mod routing;
pub mod rules;

use super::error::{ImportError, Problems};
use super::folder::Exports;
use super::{Imported, Todo};
use crate::model::file::{ModelFile, NetworkFile};

/// The cmdlets read here, by export key (`folder::key`).
const READ: [&str; 6] = [
    "Get-CsTenantDialPlan",
    "Get-CsOnlineVoiceRoutingPolicy",
    "Get-CsOnlinePstnUsage",
    "Get-CsOnlineVoiceRoute",
    "Get-CsOnlinePSTNGateway",
    "Get-CsTeamsTranslationRule",
];

/// Exports that change Teams routing but are not modelled, and why.
const REFUSED: [(&str, &str); 6] = [
    (
        "Get-CsTeamsEmergencyCallRoutingPolicy",
        "emergency call routing policies not modelled: emergency numbers route by the users' voice routing \
         policy in the twin",
    ),
    (
        "Get-CsCallingLineIdentity",
        "caller ID policies not modelled: the calling number is the user's own, before the SBC's \
         OutboundTeamsNumberTranslationRules",
    ),
    (
        "Get-CsTenantNetworkSite",
        "Location-Based Routing network sites not modelled (only an SBC's GatewaySiteId names a site)",
    ),
    ("Get-CsTenantNetworkSubnet", "Location-Based Routing subnets not modelled"),
    ("Get-CsTenantNetworkRegion", "Location-Based Routing network regions not modelled"),
    ("Get-CsTeamsEmergencyCallingPolicy", "emergency calling policies not modelled"),
];

/// Reads the Teams exports of `exports`.
pub fn read(exports: &Exports) -> Result<Imported, ImportError> {
    let mut problems = Problems::default();
    let mut todos: Vec<Todo> = Vec::new();
    let mut notes: Vec<String> = Vec::new();

    let rule_objects = exports.objects("Get-CsTeamsTranslationRule", &mut problems)?;
    let rules = rules::TranslationRules::read(&rule_objects, &mut problems);
    let sbcs = gateways::read(&exports.objects("Get-CsOnlinePSTNGateway", &mut problems)?, &rules, &mut problems);

    let listed = exports.has("Get-CsOnlinePstnUsage");
    let mut usages = routing::usages(&exports.objects("Get-CsOnlinePstnUsage", &mut problems)?, &mut problems);
    let policy_objects = exports.objects("Get-CsOnlineVoiceRoutingPolicy", &mut problems)?;
    let voice_policies = routing::policies(&policy_objects, &mut usages, listed, &mut problems, &mut notes);
    let route_objects = exports.objects("Get-CsOnlineVoiceRoute", &mut problems)?;
    let voice_routes = routing::routes(&route_objects, &sbcs, &mut usages, listed, &mut problems, &mut notes);
    if !listed && !usages.is_empty() {
        notes.push("no Get-CsOnlinePstnUsage export: the usage list is the usages the policies and routes name".into());
    }
    let tenant_plans =
        dial_plans::read(&exports.objects("Get-CsTenantDialPlan", &mut problems)?, &mut problems, &mut todos);
    problems.finish(())?;

    let mut model = ModelFile {
        network: NetworkFile { name: "Teams Direct Routing".into(), description: String::new() },
        routing: failover::settings(&sbcs, &mut notes),
        pstn_usages: usages,
        voice_policies,
        voice_routes,
        dial_plans: tenant_plans,
        ..ModelFile::default()
    };
    network::build(&mut model, &sbcs, &mut todos, &mut notes);
    behaviour_notes(&sbcs, &model, &mut notes);
    for key in exports.keys() {
        if let Some(note) = unread(key) {
            notes.push(note);
        }
    }
    Ok(Imported { model, todos, notes })
}

/// How Teams routing differs from what the model does, said once in the
/// header of every imported model.
fn behaviour_notes(sbcs: &[gateways::Sbc], model: &ModelFile, notes: &mut Vec<String>) {
    notes.push(
        "Routes of a usage are tried by Priority, lowest first, and the SBCs of one route in random order: \
         [routing] intra_usage_mode = \"priority-ordered\" (the twin rotates the SBCs of a route)."
            .into(),
    );
    notes.push(
        "Teams fails over only on the SBCs' FailoverResponseCodes (default 408, 503, 504) and after \
         FailoverTimeSeconds without an answer: [routing] failover_on_5xx = false, failover_codes, \
         fast_failover_timeout."
            .into(),
    );
    notes.push(
        "Teams uses MaxConcurrentSessions only to alert at 90%; the twin refuses calls beyond it (session_limit): \
         it stands for what the SBC itself can carry."
            .into(),
    );
    if model.voice_policies.iter().any(|p| p.pstn_usages.len() > 1) {
        notes.push(
            "Teams evaluates no later usage once a route of an earlier usage matched: [routing] \
             usage_fallthrough = false."
                .into(),
        );
    }
    if sbcs.iter().any(|s| [&s.inbound_teams, &s.outbound_teams, &s.outbound_pstn].iter().any(|l| l.len() > 1)) {
        notes.push(
            "An SBC's translation rules apply in the listed order; Microsoft does not say whether a number goes \
             through more than one. The twin applies the first that matches, once (as Lync's trunk rules)."
                .into(),
        );
    }
    notes.push(
        "Not modelled: a Calling Plan licence's automatic last route (numbers no route matches are not routed \
         here), and the ingress SBC preferred for forwarded and transferred calls (the twin places none)."
            .into(),
    );
}

/// A note for an export this importer does not read.
fn unread(key: &str) -> Option<String> {
    let is = |cmdlet: &str, ext: &str| key == format!("{}.{ext}", super::folder::key(cmdlet));
    if READ.iter().any(|c| is(c, "json")) || is("Get-CsOnlineUser", "csv") {
        return None;
    }
    for (cmdlet, why) in REFUSED {
        if is(cmdlet, "json") {
            return Some(format!("not read: {cmdlet} ({why})"));
        }
    }
    Some(format!("not read: {key} (the Teams importer reads {})", READ.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_exports_say_why_and_read_ones_say_nothing() {
        assert_eq!(unread("csonlinevoiceroute.json"), None);
        assert_eq!(unread("csonlineuser.csv"), None);
        let n = unread("csteamsemergencycallroutingpolicy.json").unwrap();
        assert!(n.contains("Get-CsTeamsEmergencyCallRoutingPolicy") && n.contains("not modelled"), "{n}");
        assert!(unread("csonlinevoicemailpolicy.json").unwrap().contains("the Teams importer reads"));
    }
}
