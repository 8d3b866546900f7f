//! Dial plans and their normalization rules, voice policies, PSTN usages,
//! voice routes, trunk configurations with their rules, location policies.

use serde_json::{json, Value};

use super::{file, identity, text};
use crate::model::export::ExportFile;
use crate::model::file::{ModelFile, ResponseCodeRuleFile, RuleFile};
use crate::model::import::identity::service_fqdn;

/// `SRTPMode`'s numbers, as ConvertTo-Json writes the enumeration.
fn srtp(mode: &str) -> i64 {
    match mode.to_ascii_lowercase().as_str() {
        "optional" => 1,
        "not-supported" | "notsupported" => 2,
        _ => 0,
    }
}

/// Rules in priority order (the loader's: by priority, else file order).
fn ordered<T>(list: &[T], priority: impl Fn(&T) -> Option<i64>) -> Vec<&T> {
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&i| (priority(&list[i]).unwrap_or(i as i64), i));
    order.into_iter().map(|i| &list[i]).collect()
}

fn rule(r: &RuleFile, normalization: bool) -> Value {
    let mut v = json!({
        "Description": r.description,
        "Pattern": r.pattern,
        "Translation": r.translation,
        "Name": r.name,
    });
    if normalization {
        v["IsInternalExtension"] = json!(r.is_internal_extension);
    }
    v
}

fn response_rule(r: &ResponseCodeRuleFile) -> Value {
    json!({
        "Name": r.name,
        "ReceivedResponseCode": r.received_response_code,
        "ReceivedISUPCauseValue": r.received_isup_cause_value,
        "TranslatedResponseCode": r.translated_response_code,
    })
}

/// A standalone rule: its parent's identity and name, and its priority.
fn standalone(scope: &str, priority: usize, mut v: Value) -> Value {
    let name = v["Name"].as_str().unwrap_or("").to_owned();
    v["Identity"] = json!(format!("{}/{name}", identity(scope)));
    v["Priority"] = json!(priority);
    v
}

pub fn files(m: &ModelFile) -> Vec<ExportFile> {
    let mut plans = Vec::new();
    let mut normalization = Vec::new();
    for p in &m.dial_plans {
        let rules = ordered(&p.normalization_rules, |r| r.priority);
        normalization.extend(rules.iter().enumerate().map(|(i, r)| standalone(&p.scope, i, rule(r, true))));
        let id = identity(&p.scope);
        plans.push(json!({
            "Identity": id,
            "Description": p.description,
            "ExternalAccessPrefix": text(p.external_access_prefix.as_ref()),
            "NormalizationRules": rules.iter().map(|r| rule(r, true)).collect::<Vec<_>>(),
            "OptimizeDeviceDialing": p.optimize_device_dialing,
            "SimpleName": id.rsplit(':').next().unwrap_or(&id),
        }));
    }
    let policies: Vec<Value> = m
        .voice_policies
        .iter()
        .map(|p| {
            json!({
                "Identity": identity(&p.scope),
                "PstnUsages": p.pstn_usages,
                "Description": p.description,
                "AllowSimulRing": p.allow_simul_ring,
                "AllowCallForwarding": p.allow_call_forwarding,
                "AllowPSTNReRouting": p.allow_pstn_rerouting,
                "EnableBWPolicyOverride": p.enable_bw_policy_override,
                "PreventPSTNTollBypass": p.prevent_pstn_toll_bypass,
            })
        })
        .collect();
    let routes: Vec<Value> = m
        .voice_routes
        .iter()
        .map(|r| {
            let gateways: Vec<String> =
                r.pstn_gateways.iter().map(|g| format!("PstnGateway:{}", service_fqdn(g))).collect();
            json!({
                "Identity": r.name,
                "Priority": r.priority,
                "Description": r.description,
                "NumberPattern": r.number_pattern,
                "PstnUsages": r.pstn_usages,
                "PstnGatewayList": gateways,
                "Name": r.name,
                "SuppressCallerId": r.suppress_caller_id,
                "AlternateCallerId": text(r.alternate_caller_id.as_ref()),
            })
        })
        .collect();
    let (mut configs, mut outbound, mut calling, mut responses) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for c in &m.trunk_configurations {
        let out = ordered(&c.outbound_translation_rules, |r| r.priority);
        let call = ordered(&c.outbound_calling_number_translation_rules, |r| r.priority);
        let resp = ordered(&c.sip_response_code_translation_rules, |r| r.priority);
        outbound.extend(out.iter().enumerate().map(|(i, r)| standalone(&c.scope, i, rule(r, false))));
        calling.extend(call.iter().enumerate().map(|(i, r)| standalone(&c.scope, i, rule(r, false))));
        responses.extend(resp.iter().enumerate().map(|(i, r)| standalone(&c.scope, i, response_rule(r))));
        configs.push(json!({
            "Identity": identity(&c.scope),
            "OutboundTranslationRulesList": out.iter().map(|r| rule(r, false)).collect::<Vec<_>>(),
            "SipResponseCodeTranslationRulesList": resp.iter().map(|r| response_rule(r)).collect::<Vec<_>>(),
            "OutboundCallingNumberTranslationRulesList": call.iter().map(|r| rule(r, false)).collect::<Vec<_>>(),
            "PstnUsages": c.pstn_usages,
            "Description": "",
            "ConcentratedTopology": c.concentrated_topology,
            "EnableBypass": c.enable_bypass,
            "EnableFastFailoverTimer": c.enable_fast_failover_timer,
            "EnableReferSupport": c.enable_refer_support,
            "ForwardPAI": c.forward_pai,
            "RemovePlusFromUri": c.remove_plus_from_uri,
            "RTCPActiveCalls": c.rtcp_active_calls,
            "RTCPCallsOnHold": c.rtcp_calls_on_hold,
            "SRTPMode": srtp(&c.srtp_mode),
        }));
    }
    let locations: Vec<Value> = m
        .location_policies
        .iter()
        .map(|l| {
            json!({
                "Identity": identity(&l.scope),
                "Description": l.description,
                "EnhancedEmergencyServicesEnabled": l.enhanced_emergency_services_enabled,
                "EmergencyDialString": text(l.emergency_dial_string.as_ref()),
                "EmergencyDialMask": text(l.emergency_dial_mask.as_ref()),
                "PstnUsage": text(l.pstn_usage.as_ref()),
            })
        })
        .collect();
    vec![
        file("Get-CsDialPlan", Value::Array(plans)),
        file("Get-CsVoiceNormalizationRule", Value::Array(normalization)),
        file("Get-CsVoicePolicy", Value::Array(policies)),
        file("Get-CsPstnUsage", json!({ "Identity": "Global", "Usage": m.pstn_usages })),
        file("Get-CsVoiceRoute", Value::Array(routes)),
        file("Get-CsTrunkConfiguration", Value::Array(configs)),
        file("Get-CsOutboundTranslationRule", Value::Array(outbound)),
        file("Get-CsOutboundCallingNumberTranslationRule", Value::Array(calling)),
        file("Get-CsSipResponseCodeTranslationRule", Value::Array(responses)),
        file("Get-CsLocationPolicy", Value::Array(locations)),
    ]
}
