//! Stage 3 of loading: trunk configurations, dial plans, voice policies,
//! usages, routes, effective scopes and user groups.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::super::file::*;
use super::super::*;
use super::scopes::{canonical_scope, gateways_by_fqdn, Scope, ScopeNames};
use super::{label, Builder, Names, Network, VoiceConfig};
use crate::pattern::netregex::{NetRegex, Rewrite};

impl Builder {
    pub(super) fn voice_config(&mut self, raw: &ModelFile, net: &Network, trunk_names: &Names) -> VoiceConfig {
        let Network { site_names, registrar_names, .. } = net;
        let usage_names = self.names("pstn_usages", "entry", &raw.pstn_usages, |u| u);
        let usages = raw.pstn_usages.clone();
        let gateways = gateways_by_fqdn(raw, net);
        let ctx =
            ScopeNames { sites: site_names, registrars: registrar_names, trunks: trunk_names, gateways: &gateways };

        let (trunk_configs, _) = self.scoped(
            "trunk_configuration",
            &raw.trunk_configurations,
            |c| &c.scope,
            |b, c, obj| b.trunk_config(c, obj, &ctx, &usage_names),
            |c| (&c.identity, c.scope == TrunkConfigScope::Global),
            default_trunk_config,
        );
        // The global plan always exists in Lync; an empty one leaves
        // dialed strings as they are.
        let (dial_plans, plan_scopes) = self.scoped(
            "dial_plan",
            &raw.dial_plans,
            |d| &d.scope,
            |b, d, obj| b.dial_plan(d, obj, &ctx),
            |p| (&p.identity, p.scope == DialPlanScope::Global),
            || DialPlan {
                identity: "Global".into(),
                scope: DialPlanScope::Global,
                external_access_prefix: None,
                optimize_device_dialing: false,
                normalization_rules: Vec::new(),
            },
        );
        // One trunk by two identities (its name, its gateway's FQDN).
        self.same_trunk_twice(
            "trunk_configuration",
            trunk_configs
                .iter()
                .map(|c| (&c.identity, if let TrunkConfigScope::Trunk(t) = c.scope { Some(t) } else { None })),
        );
        self.same_trunk_twice(
            "dial_plan",
            dial_plans
                .iter()
                .map(|p| (&p.identity, if let DialPlanScope::Trunk(t) = p.scope { Some(t) } else { None })),
        );
        // Global always exists; with no usages it allows no PSTN calls.
        let (voice_policies, policy_scopes) = self.scoped(
            "voice_policy",
            &raw.voice_policies,
            |p| &p.scope,
            |b, p, obj| b.voice_policy(p, obj, &ctx, &usage_names),
            |p| (&p.identity, p.scope == VoicePolicyScope::Global),
            || VoicePolicy {
                identity: "Global".into(),
                scope: VoicePolicyScope::Global,
                pstn_usages: Vec::new(),
                allow_pstn_rerouting: true,
                allow_call_forwarding: true,
                allow_simul_ring: true,
                enable_bw_policy_override: false,
                prevent_pstn_toll_bypass: false,
            },
        );

        let (location_policies, location_scopes) = self.scoped(
            "location_policy",
            &raw.location_policies,
            |p| &p.scope,
            |b, p, obj| b.location_policy(p, obj, &ctx, &usage_names),
            |p| (&p.identity, p.scope == LocationPolicyScope::Global),
            super::location::default_location_policy,
        );

        self.names("voice_route", "name", &raw.voice_routes, |r| &r.name); // duplicate names
        let routes: Vec<VoiceRoute> =
            raw.voice_routes.iter().map(|r| self.voice_route(r, &usage_names, &ctx)).collect();
        let mut usage_routes: Vec<Vec<RouteId>> = vec![Vec::new(); usages.len()];
        for (i, r) in routes.iter().enumerate() {
            for u in &r.pstn_usages {
                usage_routes[u.index()].push(RouteId::from_index(i));
            }
        }
        for list in &mut usage_routes {
            list.sort_by_key(|r| (routes[r.index()].priority, r.0));
        }
        VoiceConfig {
            usages,
            trunk_configs,
            dial_plans,
            plan_scopes,
            voice_policies,
            policy_scopes,
            location_policies,
            location_scopes,
            routes,
            usage_routes,
        }
    }

    /// A second object of `kind` scoped to a trunk that an earlier one
    /// names another way: Lync would refuse the second identity.
    fn same_trunk_twice<'a>(&mut self, kind: &str, items: impl Iterator<Item = (&'a String, Option<TrunkId>)>) {
        let mut seen: std::collections::HashMap<TrunkId, &String> = std::collections::HashMap::new();
        for (identity, trunk) in items {
            let Some(t) = trunk else { continue };
            match seen.get(&t) {
                // The same text twice: `scoped` has said so.
                Some(first) if first.eq_ignore_ascii_case(identity) => {}
                Some(first) => self.err(
                    &label(kind, identity),
                    "scope",
                    format!("names the same trunk as {kind} \"{first}\"; a trunk has one {kind} of its own"),
                ),
                None => {
                    seen.insert(t, identity);
                }
            }
        }
    }

    fn rules(&mut self, obj: &str, field: &str, list: &[RuleFile], normalization: bool) -> Vec<NumberRule> {
        self.names(&format!("{obj}: {field} rule"), "name", list, |r| &r.name); // duplicate names
        let with_priority = list.iter().filter(|r| r.priority.is_some()).count();
        if with_priority != 0 && with_priority != list.len() {
            self.err(obj, field, "give every rule a priority, or none (then file order is priority order)");
        }
        let mut order: Vec<usize> = (0..list.len()).collect();
        order.sort_by_key(|&i| (list[i].priority.unwrap_or(i as i64), i));
        for w in order.windows(2) {
            if let (Some(a), Some(b)) = (list[w[0]].priority, list[w[1]].priority) {
                if a == b {
                    self.err(
                        obj,
                        &format!("{field}[{}].priority", list[w[1]].name),
                        format!("priority {a} is used twice; each rule has its own"),
                    );
                }
            }
        }
        order
            .into_iter()
            .filter_map(|i| {
                let r = &list[i];
                if r.is_internal_extension && !normalization {
                    self.err(
                        obj,
                        &format!("{field}[{}].is_internal_extension", r.name),
                        "only normalization rules have this flag",
                    );
                }
                match self.compile(&r.pattern) {
                    Ok(pattern) => Some(NumberRule {
                        name: r.name.clone(),
                        rewrite: Rewrite::with_pattern(pattern, &r.translation),
                        is_internal_extension: r.is_internal_extension,
                        description: r.description.clone(),
                    }),
                    Err(e) => {
                        self.err(
                            obj,
                            &format!("{field}[{}].pattern", r.name),
                            format!("`{}` is not a valid regular expression: {e}", r.pattern),
                        );
                        None
                    }
                }
            })
            .collect()
    }

    pub(super) fn usages(&mut self, obj: &str, field: &str, list: &[String], usage_names: &Names) -> Vec<UsageId> {
        let mut out: Vec<UsageId> = Vec::new();
        let mut listed = HashSet::new();
        for u in list {
            if let Some(i) = self.resolve(usage_names, "PSTN usage", u, obj, field) {
                let id = UsageId::from_index(i);
                if !listed.insert(id) {
                    self.err(obj, field, format!("usage \"{u}\" is listed twice"));
                } else {
                    out.push(id);
                }
            }
        }
        out
    }

    fn trunk_config(
        &mut self,
        c: &TrunkConfigurationFile,
        obj: &str,
        ctx: &ScopeNames,
        usage_names: &Names,
    ) -> Option<TrunkConfig> {
        let scope = match self.scope(obj, &c.scope, ctx, &["global", "site", "trunk"])? {
            Scope::Global => TrunkConfigScope::Global,
            Scope::Site(s) => TrunkConfigScope::Site(s),
            Scope::Trunk(t) => TrunkConfigScope::Trunk(t),
            _ => unreachable!("scope() returns only the allowed kinds"),
        };
        let srtp_mode = match c.srtp_mode.to_lowercase().as_str() {
            "required" => SrtpMode::Required,
            "optional" => SrtpMode::Optional,
            "not-supported" | "notsupported" => SrtpMode::NotSupported,
            other => {
                self.err(
                    obj,
                    "srtp_mode",
                    format!("\"{other}\" is not an SRTP mode; use \"required\", \"optional\" or \"not-supported\""),
                );
                SrtpMode::Required
            }
        };
        // Set-CsTrunkConfiguration: bypass only with a concentrated
        // topology, and with REFER support, or without it only when the
        // peer sends no RTCP for active calls or calls on hold.
        if c.enable_bypass && !c.concentrated_topology {
            self.err(
                obj,
                "enable_bypass",
                "media bypass needs concentrated_topology = true (centralized media processing)",
            );
        }
        if c.enable_bypass && !c.enable_refer_support && (c.rtcp_active_calls || c.rtcp_calls_on_hold) {
            self.err(
                obj,
                "enable_bypass",
                "media bypass without enable_refer_support needs rtcp_active_calls = false and \
                 rtcp_calls_on_hold = false (Lync accepts bypass only with REFER support, or with RTCP off for \
                 active calls and calls on hold)",
            );
        }
        let pstn_usages = self.usages(obj, "pstn_usages", &c.pstn_usages, usage_names);
        let outbound_translation_rules =
            self.rules(obj, "outbound_translation_rules", &c.outbound_translation_rules, false);
        let outbound_calling_number_translation_rules = self.rules(
            obj,
            "outbound_calling_number_translation_rules",
            &c.outbound_calling_number_translation_rules,
            false,
        );
        let sip_response_code_translation_rules = self.response_rules(obj, &c.sip_response_code_translation_rules);
        Some(TrunkConfig {
            scope,
            identity: canonical_scope(&c.scope),
            enable_bypass: c.enable_bypass,
            concentrated_topology: c.concentrated_topology,
            enable_refer_support: c.enable_refer_support,
            enable_fast_failover_timer: c.enable_fast_failover_timer,
            remove_plus_from_uri: c.remove_plus_from_uri,
            forward_pai: c.forward_pai,
            srtp_mode,
            pstn_usages,
            outbound_translation_rules,
            outbound_calling_number_translation_rules,
            sip_response_code_translation_rules,
        })
    }

    fn response_rules(&mut self, obj: &str, list: &[ResponseCodeRuleFile]) -> Vec<ResponseCodeRule> {
        let field = "sip_response_code_translation_rules";
        let mut order: Vec<usize> = (0..list.len()).collect();
        order.sort_by_key(|&i| (list[i].priority.unwrap_or(i as i64), i));
        order
            .into_iter()
            .map(|i| {
                let r = &list[i];
                let f = |name: &str| format!("{field}[{}].{name}", r.name);
                if r.received_response_code != 0 && !(400..=699).contains(&r.received_response_code) {
                    self.err(
                        obj,
                        &f("received_response_code"),
                        format!("{} is not 0 (any) or a final failure code 400-699", r.received_response_code),
                    );
                }
                if !(-1..=127).contains(&r.received_isup_cause_value) {
                    self.err(
                        obj,
                        &f("received_isup_cause_value"),
                        format!("{} is not -1 (any) or an ISUP cause 0-127", r.received_isup_cause_value),
                    );
                }
                if !(400..=699).contains(&r.translated_response_code) {
                    self.err(
                        obj,
                        &f("translated_response_code"),
                        format!("{} is not a final failure code 400-699", r.translated_response_code),
                    );
                }
                ResponseCodeRule {
                    name: r.name.clone(),
                    received_response_code: r.received_response_code.clamp(0, 699) as u16,
                    received_isup_cause: u8::try_from(r.received_isup_cause_value).ok().filter(|c| *c <= 127),
                    translated_response_code: r.translated_response_code.clamp(400, 699) as u16,
                }
            })
            .collect()
    }

    fn dial_plan(&mut self, d: &DialPlanFile, obj: &str, ctx: &ScopeNames) -> Option<DialPlan> {
        let scope = match self.scope(obj, &d.scope, ctx, &["global", "site", "registrar", "trunk", "user"])? {
            Scope::Global => DialPlanScope::Global,
            Scope::Site(s) => DialPlanScope::Site(s),
            Scope::Registrar(r) => DialPlanScope::Registrar(r),
            Scope::Trunk(t) => DialPlanScope::Trunk(t),
            Scope::User => DialPlanScope::User,
        };
        if let Some(p) = &d.external_access_prefix {
            let ok = (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit() || b == b'#' || b == b'*');
            if !ok {
                self.err(obj, "external_access_prefix", format!("\"{p}\" is not 1 to 4 of 0-9, # or *"));
            }
        }
        let normalization_rules = self.rules(obj, "normalization_rules", &d.normalization_rules, true);
        Some(DialPlan {
            identity: canonical_scope(&d.scope),
            scope,
            external_access_prefix: d.external_access_prefix.clone(),
            optimize_device_dialing: d.optimize_device_dialing,
            normalization_rules,
        })
    }

    fn voice_policy(
        &mut self,
        p: &VoicePolicyFile,
        obj: &str,
        ctx: &ScopeNames,
        usage_names: &Names,
    ) -> Option<VoicePolicy> {
        let scope = match self.scope(obj, &p.scope, ctx, &["global", "site", "user"])? {
            Scope::Global => VoicePolicyScope::Global,
            Scope::Site(s) => VoicePolicyScope::Site(s),
            Scope::User => VoicePolicyScope::User,
            _ => unreachable!("scope() returns only the allowed kinds"),
        };
        let pstn_usages = self.usages(obj, "pstn_usages", &p.pstn_usages, usage_names);
        Some(VoicePolicy {
            identity: canonical_scope(&p.scope),
            scope,
            pstn_usages,
            allow_pstn_rerouting: p.allow_pstn_rerouting,
            allow_call_forwarding: p.allow_call_forwarding,
            allow_simul_ring: p.allow_simul_ring,
            enable_bw_policy_override: p.enable_bw_policy_override,
            prevent_pstn_toll_bypass: p.prevent_pstn_toll_bypass,
        })
    }

    fn voice_route(&mut self, r: &VoiceRouteFile, usage_names: &Names, ctx: &ScopeNames) -> VoiceRoute {
        let obj = label("voice_route", &r.name);
        let number_pattern = self.compile(&r.number_pattern).unwrap_or_else(|e| {
            self.err(&obj, "number_pattern", format!("`{}` is not a valid regular expression: {e}", r.number_pattern));
            NetRegex::new("$^").expect("a pattern that never matches compiles")
        });
        let pstn_usages = self.usages(&obj, "pstn_usages", &r.pstn_usages, usage_names);
        let mut trunks: Vec<TrunkId> = Vec::new();
        let mut listed = HashSet::new();
        for g in &r.pstn_gateways {
            if let Some(i) = self.trunk_identity(ctx, strip_service_prefix(g), &obj, "pstn_gateways") {
                let id = TrunkId::from_index(i);
                if !listed.insert(id) {
                    self.err(&obj, "pstn_gateways", format!("trunk \"{g}\" is listed twice"));
                } else {
                    trunks.push(id);
                }
            }
        }
        // The cmdlet's own check (New-CsVoiceRoute), compiled once.
        static ALT_FORM: LazyLock<regex::Regex> =
            LazyLock::new(|| regex::Regex::new(r"^(\+)?[1-9]\d*(;ext=[1-9]\d*)?$").expect("constant pattern"));
        let alt_form = &*ALT_FORM;
        if let Some(alt) = &r.alternate_caller_id {
            if !alt_form.is_match(alt) {
                self.err(
                    &obj,
                    "alternate_caller_id",
                    format!("\"{alt}\" is not of the form (\\+)?[1-9]\\d*(;ext=[1-9]\\d*)?, e.g. \"+14255550100\""),
                );
            }
        } else if r.suppress_caller_id {
            self.err(
                &obj,
                "alternate_caller_id",
                "suppress_caller_id = true needs an alternate_caller_id to present instead",
            );
        }
        VoiceRoute {
            name: r.name.clone(),
            number_pattern,
            pstn_usages,
            trunks,
            priority: r.priority,
            suppress_caller_id: r.suppress_caller_id,
            alternate_caller_id: r.alternate_caller_id.clone(),
            description: r.description.clone(),
        }
    }
}

fn default_trunk_config() -> TrunkConfig {
    TrunkConfig {
        scope: TrunkConfigScope::Global,
        identity: "Global".into(),
        enable_bypass: false,
        concentrated_topology: true,
        enable_refer_support: true,
        enable_fast_failover_timer: true,
        remove_plus_from_uri: false,
        forward_pai: false,
        srtp_mode: SrtpMode::Required,
        pstn_usages: Vec::new(),
        outbound_translation_rules: Vec::new(),
        outbound_calling_number_translation_rules: Vec::new(),
        sip_response_code_translation_rules: Vec::new(),
    }
}
