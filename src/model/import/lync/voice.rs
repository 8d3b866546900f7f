//! The routing cmdlets: dial plans and their normalization rules, voice
//! policies, PSTN usages, voice routes, trunk configurations and location
//! policies, each onto its model table (docs/import-lync.md).

use super::super::error::{ImportError, Problems};
use super::super::folder::Exports;
use super::super::identity;
use super::super::object::CmdletObject;
use super::rules::{self, Standalone};
use crate::model::file::{
    DialPlanFile, LocationPolicyFile, ResponseCodeRuleFile, RuleFile, TrunkConfigurationFile, VoicePolicyFile,
    VoiceRouteFile,
};

/// The routing objects of one export folder.
#[derive(Debug, Default)]
pub struct Voice {
    pub dial_plans: Vec<DialPlanFile>,
    pub voice_policies: Vec<VoicePolicyFile>,
    /// `Get-CsPstnUsage`'s `Usage`; `None` when the folder lacks the export.
    pub pstn_usages: Option<Vec<String>>,
    pub voice_routes: Vec<VoiceRouteFile>,
    pub trunk_configurations: Vec<TrunkConfigurationFile>,
    pub location_policies: Vec<LocationPolicyFile>,
}

/// `SRTPMode`'s .NET names in their documented order (Set-CsTrunkConfiguration:
/// `Required | Optional | NotSupported`), and the model's names for them.
pub const SRTP_MODES: [&str; 3] = ["Required", "Optional", "NotSupported"];
const SRTP_MODEL: [&str; 3] = ["required", "optional", "not-supported"];

/// The model's scope of an object's `Identity` (`Site:Redmond` → `site:Redmond`).
pub fn scope(o: &CmdletObject, problems: &mut Problems) -> Option<String> {
    let id = o.required_text("Identity", problems)?;
    match identity::parse(&id) {
        Ok((scope, None)) => Some(scope.to_model()),
        Ok((_, Some(_))) => {
            problems.push(&o.file, &o.label, "Identity", format!("`{id}` is a rule's identity, not a scope"));
            None
        }
        Err(e) => {
            problems.push(&o.file, &o.label, "Identity", e);
            None
        }
    }
}

pub fn read(exports: &Exports, problems: &mut Problems) -> Result<Voice, ImportError> {
    let pstn_usages = if exports.has("Get-CsPstnUsage") {
        let mut usages: Vec<String> = Vec::new();
        for o in exports.objects("Get-CsPstnUsage", problems)? {
            usages.extend(o.texts("Usage", problems));
        }
        Some(usages)
    } else {
        None
    };
    Ok(Voice {
        dial_plans: dial_plans(exports, problems)?,
        voice_policies: read_all(exports, "Get-CsVoicePolicy", problems, voice_policy)?,
        pstn_usages,
        voice_routes: read_all(exports, "Get-CsVoiceRoute", problems, voice_route)?,
        trunk_configurations: trunk_configurations(exports, problems)?,
        location_policies: read_all(exports, "Get-CsLocationPolicy", problems, location_policy)?,
    })
}

fn read_all<T>(
    exports: &Exports,
    cmdlet: &str,
    problems: &mut Problems,
    read: fn(&CmdletObject, &mut Problems) -> Option<T>,
) -> Result<Vec<T>, ImportError> {
    Ok(exports.objects(cmdlet, problems)?.iter().filter_map(|o| read(o, problems)).collect())
}

/// The rules nested in `property`, in their order (the order is the priority).
fn nested<T>(
    o: &CmdletObject,
    property: &str,
    problems: &mut Problems,
    read: fn(&CmdletObject, &mut Problems) -> Option<T>,
) -> Vec<T> {
    o.objects(property, problems).iter().filter_map(|r| read(r, problems)).collect()
}

fn dial_plans(exports: &Exports, problems: &mut Problems) -> Result<Vec<DialPlanFile>, ImportError> {
    let mut standalone = rules::standalone(exports, "Get-CsVoiceNormalizationRule", problems, rules::number_rule)?;
    let mut plans = Vec::new();
    for o in exports.objects("Get-CsDialPlan", problems)? {
        let Some(scope) = scope(&o, problems) else { continue };
        let normalization_rules = match &mut standalone {
            Some(s) => s.take(&scope),
            None => nested(&o, "NormalizationRules", problems, rules::number_rule),
        };
        plans.push(DialPlanFile {
            description: o.text("Description", problems).unwrap_or_default(),
            external_access_prefix: o.text("ExternalAccessPrefix", problems),
            optimize_device_dialing: o.flag("OptimizeDeviceDialing", problems).unwrap_or(false),
            normalization_rules,
            scope,
        });
    }
    if let Some(s) = standalone {
        orphans(s, "Get-CsDialPlan", exports.has("Get-CsDialPlan"), problems, |scope, rules| {
            plans.push(DialPlanFile {
                scope,
                description: String::new(),
                external_access_prefix: None,
                optimize_device_dialing: false,
                normalization_rules: rules,
            })
        });
    }
    Ok(plans)
}

/// Standalone rules whose parent the parent's export lacks: an error when
/// the folder holds that export (Lync keeps no rule without its parent),
/// else the parent is made from its rules alone.
fn orphans<T>(
    s: Standalone<T>,
    parent: &str,
    parent_exported: bool,
    problems: &mut Problems,
    mut make: impl FnMut(String, Vec<T>),
) {
    for (_, (scope, rules)) in s.by_scope {
        if parent_exported {
            let id = identity::parse(&scope).map(|(s, _)| s.to_identity()).unwrap_or(scope.clone());
            problems.push(
                &s.file,
                &format!("{id}/*"),
                "Identity",
                format!("{parent} has no object `{id}` for these rules"),
            );
        } else {
            make(scope, rules);
        }
    }
}

fn voice_policy(o: &CmdletObject, problems: &mut Problems) -> Option<VoicePolicyFile> {
    Some(VoicePolicyFile {
        scope: scope(o, problems)?,
        description: o.text("Description", problems).unwrap_or_default(),
        pstn_usages: o.texts("PstnUsages", problems),
        allow_pstn_rerouting: o.flag("AllowPSTNReRouting", problems).unwrap_or(true),
        allow_call_forwarding: o.flag("AllowCallForwarding", problems).unwrap_or(true),
        allow_simul_ring: o.flag("AllowSimulRing", problems).unwrap_or(true),
        enable_bw_policy_override: o.flag("EnableBWPolicyOverride", problems).unwrap_or(false),
        prevent_pstn_toll_bypass: o.flag("PreventPSTNTollBypass", problems).unwrap_or(false),
    })
}

/// A voice route: global, named by `Name` (else its `Identity`); its
/// gateways are trunks by name (`PstnGateway:NAME` → `NAME`).
fn voice_route(o: &CmdletObject, problems: &mut Problems) -> Option<VoiceRouteFile> {
    let name = o.text("Name", problems).or_else(|| o.text("Identity", problems));
    if name.is_none() {
        problems.push(&o.file, &o.label, "Identity", "missing: every voice route has a name");
    }
    let number_pattern = o.required_text("NumberPattern", problems);
    let pstn_gateways = o.texts("PstnGatewayList", problems).iter().map(|g| identity::service_fqdn(g)).collect();
    Some(VoiceRouteFile {
        name: name?,
        number_pattern: number_pattern?,
        pstn_usages: o.texts("PstnUsages", problems),
        pstn_gateways,
        priority: o.whole("Priority", problems).unwrap_or(0),
        suppress_caller_id: o.flag("SuppressCallerId", problems).unwrap_or(false),
        alternate_caller_id: o.text("AlternateCallerId", problems),
        description: o.text("Description", problems).unwrap_or_default(),
    })
}

fn trunk_configurations(
    exports: &Exports,
    problems: &mut Problems,
) -> Result<Vec<TrunkConfigurationFile>, ImportError> {
    let mut outbound = rules::standalone(exports, "Get-CsOutboundTranslationRule", problems, rules::number_rule)?;
    let mut calling =
        rules::standalone(exports, "Get-CsOutboundCallingNumberTranslationRule", problems, rules::number_rule)?;
    let mut responses =
        rules::standalone(exports, "Get-CsSipResponseCodeTranslationRule", problems, rules::response_rule)?;
    let mut configs = Vec::new();
    for o in exports.objects("Get-CsTrunkConfiguration", problems)? {
        let Some(scope) = scope(&o, problems) else { continue };
        let srtp = o.choice("SRTPMode", &SRTP_MODES, problems).unwrap_or(0);
        configs.push(TrunkConfigurationFile {
            enable_bypass: o.flag("EnableBypass", problems).unwrap_or(false),
            concentrated_topology: o.flag("ConcentratedTopology", problems).unwrap_or(true),
            enable_refer_support: o.flag("EnableReferSupport", problems).unwrap_or(true),
            rtcp_active_calls: o.flag("RTCPActiveCalls", problems).unwrap_or(true),
            rtcp_calls_on_hold: o.flag("RTCPCallsOnHold", problems).unwrap_or(true),
            enable_fast_failover_timer: o.flag("EnableFastFailoverTimer", problems).unwrap_or(true),
            remove_plus_from_uri: o.flag("RemovePlusFromUri", problems).unwrap_or(false),
            forward_pai: o.flag("ForwardPAI", problems).unwrap_or(false),
            srtp_mode: SRTP_MODEL[srtp].to_owned(),
            pstn_usages: o.texts("PstnUsages", problems),
            outbound_translation_rules: match &mut outbound {
                Some(s) => s.take(&scope),
                None => nested(&o, "OutboundTranslationRulesList", problems, rules::number_rule),
            },
            outbound_calling_number_translation_rules: match &mut calling {
                Some(s) => s.take(&scope),
                None => nested(&o, "OutboundCallingNumberTranslationRulesList", problems, rules::number_rule),
            },
            sip_response_code_translation_rules: match &mut responses {
                Some(s) => s.take(&scope),
                None => nested(&o, "SIPResponseCodeTranslationRulesList", problems, rules::response_rule),
            },
            scope,
        });
    }
    let exported = exports.has("Get-CsTrunkConfiguration");
    // Rules without their trunk configuration: see `orphans`.
    type Lists = (Vec<RuleFile>, Vec<RuleFile>, Vec<ResponseCodeRuleFile>);
    let mut extra: Vec<(String, Lists)> = Vec::new();
    if let Some(s) = outbound {
        orphans(s, "Get-CsTrunkConfiguration", exported, problems, |sc, r| extra.push((sc, (r, vec![], vec![]))));
    }
    if let Some(s) = calling {
        orphans(s, "Get-CsTrunkConfiguration", exported, problems, |sc, r| extra.push((sc, (vec![], r, vec![]))));
    }
    if let Some(s) = responses {
        orphans(s, "Get-CsTrunkConfiguration", exported, problems, |sc, r| extra.push((sc, (vec![], vec![], r))));
    }
    for (scope, (out, call, resp)) in extra {
        let i = match configs.iter().position(|c| c.scope.eq_ignore_ascii_case(&scope)) {
            Some(i) => i,
            None => {
                configs.push(TrunkConfigurationFile::with_defaults(scope));
                configs.len() - 1
            }
        };
        let c = &mut configs[i];
        c.outbound_translation_rules.extend(out);
        c.outbound_calling_number_translation_rules.extend(call);
        c.sip_response_code_translation_rules.extend(resp);
    }
    Ok(configs)
}

fn location_policy(o: &CmdletObject, problems: &mut Problems) -> Option<LocationPolicyFile> {
    Some(LocationPolicyFile {
        scope: scope(o, problems)?,
        description: o.text("Description", problems).unwrap_or_default(),
        enhanced_emergency_services_enabled: o.flag("EnhancedEmergencyServicesEnabled", problems).unwrap_or(false),
        emergency_dial_string: o.text("EmergencyDialString", problems),
        emergency_dial_mask: o.text("EmergencyDialMask", problems),
        pstn_usage: o.text("PstnUsage", problems),
    })
}
