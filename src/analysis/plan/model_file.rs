//! The model file rewritten with a step's planned sizes.

use super::*;

/// Channels of a span: a T1 carries 23 (PRI), an E1 30.
pub fn span_channels(kind: &str) -> u32 {
    if kind == "T1" {
        23
    } else {
        30
    }
}

/// T1 or E1 when a gateway's channels are a whole number of such spans
/// in the model, with the channels of one.
pub(super) fn span_kind(model: &Model, i: usize) -> Option<(u32, &'static str)> {
    let PeerKind::PstnGateway { channels } = model.peers[i].kind else { return None };
    ["E1", "T1"].into_iter().map(|k| (span_channels(k), k)).find(|(per, _)| channels % per == 0)
}

/// The model file with a step's planned sizes: gateways in whole spans
/// where they are built of them (else channels), ITSP and PBX session
/// limits, Mediation servers, bandwidth policies' audio limits and WAN
/// links' bandwidth. Written from the parsed file, so its
/// comments are not kept.
pub fn planned_model(model: &Model, step: &PlanStep) -> Result<String, String> {
    let mut doc: toml::Table = model.text.parse().map_err(|e| format!("the model text does not parse: {e}"))?;
    if let Some(toml::Value::Array(peers)) = doc.get_mut("peer") {
        for p in peers.iter_mut().filter_map(|v| v.as_table_mut()) {
            let name = p.get("name").and_then(|n| n.as_str()).unwrap_or_default().to_owned();
            let Some(plan) = step.peers.iter().find(|r| r.name == name) else { continue };
            let kind = p.get("kind").and_then(|k| k.as_str()).unwrap_or_default().to_owned();
            if kind == "pstn-gateway" {
                for k in ["t1_spans", "e1_spans", "channels"] {
                    p.remove(k);
                }
                match plan.spans {
                    Some((n, "T1")) => p.insert("t1_spans".into(), toml::Value::Integer(i64::from(n))),
                    Some((n, _)) => p.insert("e1_spans".into(), toml::Value::Integer(i64::from(n))),
                    None => p.insert("channels".into(), toml::Value::Integer(i64::from(plan.needed))),
                };
            } else {
                p.insert("session_limit".into(), toml::Value::Integer(i64::from(plan.needed)));
            }
        }
    }
    if let Some(toml::Value::Array(pools)) = doc.get_mut("mediation_pool") {
        for p in pools.iter_mut().filter_map(|v| v.as_table_mut()) {
            let fqdn = p.get("fqdn").and_then(|n| n.as_str()).unwrap_or_default().to_owned();
            if let Some(plan) = step.mediation_pools.iter().find(|r| r.fqdn == fqdn) {
                p.insert("servers".into(), toml::Value::Integer(i64::from(plan.needed)));
            }
        }
    }
    let mut set = |table: &str, key: &str, field: &str, sizes: Vec<(&str, u32)>| {
        if let Some(toml::Value::Array(items)) = doc.get_mut(table) {
            for t in items.iter_mut().filter_map(|v| v.as_table_mut()) {
                let name = t.get(key).and_then(|n| n.as_str()).unwrap_or_default().to_owned();
                if let Some((_, n)) = sizes.iter().find(|(k, _)| *k == name) {
                    t.insert(field.into(), toml::Value::Integer(i64::from(*n)));
                }
            }
        }
    };
    let policies = step.bandwidth_policies.iter().map(|p| (p.name.as_str(), p.needed)).collect();
    set("bandwidth_policy", "name", "audio_limit_kbps", policies);
    set("trunk", "name", "max_calls", step.trunks.iter().map(|t| (t.name.as_str(), t.needed)).collect());
    set("wan_link", "name", "bandwidth_kbps", step.wan_links.iter().map(|l| (l.name.as_str(), l.needed)).collect());
    let body = toml::to_string(&doc).map_err(|e| e.to_string())?;
    Ok(format!("# {} with the sizes planned for growth x{} by `voicetwin plan`.\n\n{body}", model.name, step.growth))
}
