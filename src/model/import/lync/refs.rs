//! References between cmdlets' objects, checked where the written model
//! would otherwise fail to load: a usage `Get-CsPstnUsage` lacks, a
//! gateway no trunk is, a site or pool the topology lacks, a pattern that
//! is no regular expression. Each is named by the file, object and
//! property the administrator fixes.

use super::super::error::Problems;
use super::super::folder::Exports;
use super::super::identity;
use super::super::topology::Topology;
use crate::model::file::ModelFile;
use crate::pattern::netregex::NetRegex;

/// The file of `cmdlet`'s export as errors name it.
pub fn file(exports: &Exports, cmdlet: &str) -> String {
    exports.path(cmdlet, "json").map(|p| p.display().to_string()).unwrap_or_else(|| format!("{cmdlet}.json"))
}

/// A model scope as Lync's `Identity` (`site:X` → `Site:X`).
pub fn identity_of(scope: &str) -> String {
    identity::parse(scope).map(|(s, _)| s.to_identity()).unwrap_or_else(|_| scope.to_owned())
}

/// Every (file, object, property, usage) naming a PSTN usage, in file order.
pub fn usage_refs(exports: &Exports, m: &ModelFile) -> Vec<(String, String, &'static str, String)> {
    let mut out = Vec::new();
    let f = file(exports, "Get-CsVoicePolicy");
    for p in &m.voice_policies {
        out.extend(p.pstn_usages.iter().map(|u| (f.clone(), identity_of(&p.scope), "PstnUsages", u.clone())));
    }
    let f = file(exports, "Get-CsVoiceRoute");
    for r in &m.voice_routes {
        out.extend(r.pstn_usages.iter().map(|u| (f.clone(), r.name.clone(), "PstnUsages", u.clone())));
    }
    let f = file(exports, "Get-CsTrunkConfiguration");
    for c in &m.trunk_configurations {
        out.extend(c.pstn_usages.iter().map(|u| (f.clone(), identity_of(&c.scope), "PstnUsages", u.clone())));
    }
    let f = file(exports, "Get-CsLocationPolicy");
    for l in &m.location_policies {
        out.extend(l.pstn_usage.iter().map(|u| (f.clone(), identity_of(&l.scope), "PstnUsage", u.clone())));
    }
    out
}

/// Checks usages against `Get-CsPstnUsage`'s list.
pub fn usages(exports: &Exports, m: &ModelFile, problems: &mut Problems) {
    for (f, object, property, u) in usage_refs(exports, m) {
        if !m.pstn_usages.iter().any(|k| k == &u) {
            problems.push(
                &f,
                &object,
                property,
                format!("names PSTN usage `{u}`, which Get-CsPstnUsage does not list"),
            );
        }
    }
}

/// Every (file, object, property, name) naming a trunk: a route's
/// gateways, and trunk-scoped dial plans and trunk configurations.
pub fn gateway_refs(exports: &Exports, m: &ModelFile) -> Vec<(String, String, &'static str, String)> {
    let mut out = Vec::new();
    let f = file(exports, "Get-CsVoiceRoute");
    for r in &m.voice_routes {
        out.extend(r.pstn_gateways.iter().map(|g| (f.clone(), r.name.clone(), "PstnGatewayList", g.clone())));
    }
    let scoped = m
        .dial_plans
        .iter()
        .map(|p| ("Get-CsDialPlan", &p.scope))
        .chain(m.trunk_configurations.iter().map(|c| ("Get-CsTrunkConfiguration", &c.scope)));
    for (cmdlet, scope) in scoped {
        if let Ok((identity::Scope::Service { role, fqdn }, _)) = identity::parse(scope) {
            if role == "PstnGateway" {
                out.push((file(exports, cmdlet), identity_of(scope), "Identity", fqdn));
            }
        }
    }
    out
}

/// Every `Site:` and `Registrar:` scope: (file, object, kind, name).
pub fn scope_refs(exports: &Exports, m: &ModelFile) -> Vec<(String, String, &'static str, String)> {
    let scopes = m
        .dial_plans
        .iter()
        .map(|p| ("Get-CsDialPlan", &p.scope))
        .chain(m.voice_policies.iter().map(|p| ("Get-CsVoicePolicy", &p.scope)))
        .chain(m.trunk_configurations.iter().map(|c| ("Get-CsTrunkConfiguration", &c.scope)))
        .chain(m.location_policies.iter().map(|l| ("Get-CsLocationPolicy", &l.scope)));
    let mut out = Vec::new();
    for (cmdlet, scope) in scopes {
        match identity::parse(scope) {
            Ok((identity::Scope::Site(s), _)) => out.push((file(exports, cmdlet), identity_of(scope), "site", s)),
            Ok((identity::Scope::Service { role, fqdn }, _)) if role == "Registrar" => {
                out.push((file(exports, cmdlet), identity_of(scope), "registrar", fqdn))
            }
            _ => {}
        }
    }
    out
}

/// Checks trunk, site and pool references against the topology.
pub fn against_topology(exports: &Exports, m: &ModelFile, topology: &Topology, problems: &mut Problems) {
    for (f, object, property, g) in gateway_refs(exports, m) {
        let trunk = topology.trunks.iter().any(|t| t.name.eq_ignore_ascii_case(&g));
        let peer = topology.peers.iter().find(|p| p.fqdn.eq_ignore_ascii_case(&g));
        let peer_trunks = peer.map(|p| topology.trunks.iter().filter(|t| t.peer == p.name).count()).unwrap_or(0);
        if !trunk && peer_trunks != 1 {
            let why = if peer_trunks > 1 {
                format!("`{g}` is a gateway with {peer_trunks} trunks; name the trunk meant (PstnGateway:TRUNK)")
            } else {
                format!("no trunk or PSTN gateway `{g}` in the topology (Get-CsTrunk, Get-CsTopology)")
            };
            problems.push(&f, &object, property, why);
        }
    }
    for (f, object, kind, name) in scope_refs(exports, m) {
        let known = match kind {
            "site" => m.sites.iter().any(|s| s.name.eq_ignore_ascii_case(&name)),
            _ => topology.registrar_pools.iter().any(|p| p.fqdn.eq_ignore_ascii_case(&name)),
        };
        if !known {
            problems.push(&f, &object, "Identity", format!("no {kind} `{name}` in the topology"));
        }
    }
}

/// Checks what the loader would refuse inside one object: patterns that
/// are no regular expression, a suppressed caller ID with nothing to
/// present instead, a network site's location policy that is no per-user one.
pub fn within(exports: &Exports, m: &ModelFile, problems: &mut Problems) {
    let bad = |p: &str| NetRegex::new(p).err();
    let f = file(exports, "Get-CsVoiceRoute");
    for r in &m.voice_routes {
        if let Some(e) = bad(&r.number_pattern) {
            problems.push(
                &f,
                &r.name,
                "NumberPattern",
                format!("`{}` is not a regular expression: {e}", r.number_pattern),
            );
        }
        if r.suppress_caller_id && r.alternate_caller_id.is_none() {
            problems.push(&f, &r.name, "AlternateCallerId", "SuppressCallerId is True: give the number to present");
        }
    }
    let f = file(exports, "Get-CsDialPlan");
    for p in &m.dial_plans {
        for r in &p.normalization_rules {
            if let Some(e) = bad(&r.pattern) {
                let object = format!("{}/{}", identity_of(&p.scope), r.name);
                problems.push(&f, &object, "Pattern", format!("`{}` is not a regular expression: {e}", r.pattern));
            }
        }
    }
    let f = file(exports, "Get-CsTrunkConfiguration");
    for c in &m.trunk_configurations {
        for r in c.outbound_translation_rules.iter().chain(&c.outbound_calling_number_translation_rules) {
            if let Some(e) = bad(&r.pattern) {
                let object = format!("{}/{}", identity_of(&c.scope), r.name);
                problems.push(&f, &object, "Pattern", format!("`{}` is not a regular expression: {e}", r.pattern));
            }
        }
    }
    let f = file(exports, "Get-CsNetworkSite");
    for s in &m.sites {
        if let Some(p) = &s.location_policy {
            let per_user = m.location_policies.iter().any(
                |l| matches!(identity::parse(&l.scope), Ok((identity::Scope::Tag(t), _)) if t.eq_ignore_ascii_case(p)),
            );
            if !per_user {
                problems.push(&f, &s.name, "LocationPolicy", format!("no per-user location policy `Tag:{p}`"));
            }
        }
    }
}
