//! Outbound routing: `Get-CsOnlinePstnUsage`, `Get-CsOnlineVoiceRoutingPolicy`
//! and `Get-CsOnlineVoiceRoute`, onto the model's usages, voice policies
//! and voice routes. The structure is Lync's (policy → ordered usages →
//! routes → gateways), so the mapping is one to one; where Teams walks
//! it differently is said in `docs/import-teams.md`.

use crate::model::file::{VoicePolicyFile, VoiceRouteFile};
use crate::model::import::error::Problems;
use crate::model::import::identity::{self, Scope};
use crate::model::import::object::CmdletObject;

use super::gateways::Sbc;

/// `NumberPattern` when a route has none (New-CsOnlineVoiceRoute).
const DEFAULT_PATTERN: &str = "[0-9]{10}";
/// The model's largest route priority.
const MOST_PRIORITY: i64 = 1_000_000;

/// The global usage list: every `Usage` of the export (one `Global`
/// object), each once, in order.
pub fn usages(objects: &[CmdletObject], problems: &mut Problems) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in objects {
        for u in o.texts("Usage", problems) {
            let u = u.trim().to_owned();
            if !u.is_empty() && !out.iter().any(|x| x.eq_ignore_ascii_case(&u)) {
                out.push(u);
            }
        }
    }
    out
}

/// Checks the usages an object names against the global list (when the
/// folder has one, else adds them to it), each once, in order.
fn named_usages(
    o: &CmdletObject,
    property: &str,
    known: &mut Vec<String>,
    listed: bool,
    problems: &mut Problems,
    notes: &mut Vec<String>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, u) in o.texts(property, problems).into_iter().enumerate() {
        let u = u.trim().to_owned();
        if u.is_empty() {
            continue;
        }
        if out.iter().any(|x| x.eq_ignore_ascii_case(&u)) {
            notes.push(format!("{} {}: the usage \"{u}\" is listed twice in {property}; kept once", o.file, o.label));
            continue;
        }
        match known.iter().find(|k| k.eq_ignore_ascii_case(&u)) {
            Some(k) => out.push(k.clone()),
            None if listed => problems.push(
                &o.file,
                &o.label,
                &format!("{property}[{}]", i + 1),
                format!("names the PSTN usage \"{u}\", which Get-CsOnlinePstnUsage does not list"),
            ),
            None => {
                known.push(u.clone());
                out.push(u);
            }
        }
    }
    out
}

/// The voice routing policies; `Global` and `Tag:NAME` are the scopes Teams has.
pub fn policies(
    objects: &[CmdletObject],
    known: &mut Vec<String>,
    listed: bool,
    problems: &mut Problems,
    notes: &mut Vec<String>,
) -> Vec<VoicePolicyFile> {
    let mut out: Vec<VoicePolicyFile> = Vec::new();
    for o in objects {
        let Some(scope) = scope(o, problems) else { continue };
        if out.iter().any(|p| p.scope.eq_ignore_ascii_case(&scope)) {
            problems.push(&o.file, &o.label, "Identity", "this policy is given twice");
            continue;
        }
        let pstn_usages = named_usages(o, "OnlinePstnUsages", known, listed, problems, notes);
        out.push(VoicePolicyFile {
            scope,
            description: o.text("Description", problems).unwrap_or_default(),
            pstn_usages,
            allow_pstn_rerouting: true,
            allow_call_forwarding: true,
            allow_simul_ring: true,
            enable_bw_policy_override: false,
            prevent_pstn_toll_bypass: false,
        });
    }
    out
}

/// The model scope of a policy or plan `Identity`: `global` or `tag:NAME`.
pub fn scope(o: &CmdletObject, problems: &mut Problems) -> Option<String> {
    let Some(id) = o.text("Identity", problems) else {
        problems.push(&o.file, &o.label, "Identity", "missing: expected Global or Tag:NAME");
        return None;
    };
    match identity::parse(&id) {
        Ok((s @ (Scope::Global | Scope::Tag(_)), None)) => Some(s.to_model()),
        _ => {
            problems.push(
                &o.file,
                &o.label,
                "Identity",
                format!("`{id}` is not an identity Teams gives a policy or dial plan; expected Global or Tag:NAME"),
            );
            None
        }
    }
}

/// The voice routes, their gateways named by the SBCs' FQDNs; disabled
/// SBCs are left out of every route (docs/import-teams.md, "Enabled").
pub fn routes(
    objects: &[CmdletObject],
    sbcs: &[Sbc],
    known: &mut Vec<String>,
    listed: bool,
    problems: &mut Problems,
    notes: &mut Vec<String>,
) -> Vec<VoiceRouteFile> {
    let mut out: Vec<VoiceRouteFile> = Vec::new();
    for o in objects {
        let name = o.text("Identity", problems).or_else(|| o.text("Name", problems));
        let Some(name) = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) else {
            problems.push(&o.file, &o.label, "Identity", "missing: every voice route has a name");
            continue;
        };
        if out.iter().any(|r| r.name.eq_ignore_ascii_case(&name)) {
            problems.push(&o.file, &o.label, "Identity", "this voice route is given twice");
            continue;
        }
        if let Some(bridge) = o.text("BridgeSourcePhoneNumber", problems) {
            notes.push(format!(
                "voice route \"{name}\": not imported, it routes Operator Connect Conferencing from {bridge} \
                 (BridgeSourcePhoneNumber), not users' calls"
            ));
            continue;
        }
        // New-CsOnlineVoiceRoute's default, unanchored.
        let number_pattern = o.text("NumberPattern", problems).unwrap_or_else(|| DEFAULT_PATTERN.to_owned());
        let priority = match o.whole("Priority", problems) {
            Some(p) if (0..=MOST_PRIORITY).contains(&p) => p,
            Some(p) => {
                problems.push(&o.file, &o.label, "Priority", format!("{p} is outside 0 to {MOST_PRIORITY}"));
                0
            }
            None => 0,
        };
        let pstn_usages = named_usages(o, "OnlinePstnUsages", known, listed, problems, notes);
        let mut pstn_gateways: Vec<String> = Vec::new();
        let mut disabled: Vec<String> = Vec::new();
        for (i, g) in o.texts("OnlinePstnGatewayList", problems).into_iter().enumerate() {
            let g = identity::service_fqdn(&g);
            match sbcs.iter().find(|s| s.fqdn.eq_ignore_ascii_case(&g)) {
                Some(s) if pstn_gateways.contains(&s.fqdn) || disabled.contains(&s.fqdn) => {}
                Some(s) if s.enabled == Some(false) => disabled.push(s.fqdn.clone()),
                Some(s) => pstn_gateways.push(s.fqdn.clone()),
                None => problems.push(
                    &o.file,
                    &o.label,
                    &format!("OnlinePstnGatewayList[{}]", i + 1),
                    format!("names the SBC `{g}`, which Get-CsOnlinePSTNGateway does not hold"),
                ),
            }
        }
        if !disabled.is_empty() {
            notes.push(format!(
                "voice route \"{name}\": left out {} (Enabled = False: it takes no new calls)",
                disabled.join(", ")
            ));
        }
        if pstn_usages.is_empty() {
            notes.push(format!("voice route \"{name}\": not imported, it has no PSTN usage (no policy reaches it)"));
            continue;
        }
        if pstn_gateways.is_empty() {
            notes.push(format!(
                "voice route \"{name}\": not imported, none of its SBCs takes calls (its numbers go to the \
                 next route of the usage, or are not routed)"
            ));
            continue;
        }
        out.push(VoiceRouteFile {
            name,
            number_pattern,
            pstn_usages,
            pstn_gateways,
            priority,
            suppress_caller_id: false,
            alternate_caller_id: None,
            description: o.text("Description", problems).unwrap_or_default(),
        });
    }
    out
}
