//! Validation and resolution: [`ModelFile`] (names) to [`Model`] (ids).
//!
//! Every problem found is collected, so a user fixes a file in one pass.
//! Stages that later stages index into stop the load when they fail, so a
//! dangling reference can never be followed.

use std::collections::HashMap;
use std::path::Path;

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use super::file::*;
use super::language::{witness, Language, Witness};
use super::netregex::{NetRegex, Rewrite};
use super::*;

/// Reads and validates a model file.
pub fn load_file(path: &Path) -> Result<Model, ModelError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ModelError::Read {
        file: file.clone(),
        message: e.to_string(),
    })?;
    load_str(&text, &file)
}

/// Validates model text; `file` names it in errors.
pub fn load_str(text: &str, file: &str) -> Result<Model, ModelError> {
    let raw: ModelFile = toml::from_str(text).map_err(|e| ModelError::Syntax {
        file: file.to_owned(),
        message: e.to_string().trim_end().to_owned(),
    })?;
    let mut b = Builder { problems: Vec::new() };
    match b.build(raw, file) {
        Some(mut model) if b.problems.is_empty() => {
            model.text = text.to_owned();
            Ok(model)
        }
        _ => Err(ModelError::Invalid {
            file: file.to_owned(),
            problems: b.problems,
        }),
    }
}

struct Builder {
    problems: Vec<Problem>,
}

/// A name index, lowercase keys (Lync identities are case-insensitive).
type Names = HashMap<String, usize>;

fn label(kind: &str, name: &str) -> String {
    format!("{kind} \"{name}\"")
}

impl Builder {
    fn err(&mut self, object: &str, field: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            object: object.to_owned(),
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn names<'a, T>(&mut self, kind: &str, field: &str, items: &'a [T], key: impl Fn(&'a T) -> &'a str) -> Names {
        let mut map = Names::new();
        for (i, it) in items.iter().enumerate() {
            let name = key(it);
            if name.trim().is_empty() {
                self.err(&format!("{kind} #{}", i + 1), field, "must not be empty");
            } else if map.insert(name.to_lowercase(), i).is_some() {
                self.err(
                    &label(kind, name),
                    field,
                    format!("duplicate: another {kind} already has the {field} \"{name}\""),
                );
            }
        }
        map
    }

    /// Resolves `name` in `map`, reporting a reference to nothing.
    fn resolve(&mut self, map: &Names, kind: &str, name: &str, object: &str, field: &str) -> Option<usize> {
        let found = map.get(&name.trim().to_lowercase()).copied();
        if found.is_none() {
            let mut known: Vec<&String> = map.keys().collect();
            known.sort();
            let hint = if known.is_empty() {
                format!("the model defines no {kind}")
            } else {
                let list: Vec<&str> = known.iter().take(12).map(|s| s.as_str()).collect();
                format!("known: {}", list.join(", "))
            };
            self.err(
                object,
                field,
                format!("refers to {kind} \"{name}\", which does not exist ({hint})"),
            );
        }
        found
    }

    fn count(&mut self, object: &str, field: &str, v: i64) -> u32 {
        if v <= 0 {
            self.err(object, field, format!("must be a positive number, not {v}"));
            1
        } else if v > i64::from(u32::MAX) {
            self.err(object, field, format!("{v} is too large"));
            1
        } else {
            v as u32
        }
    }

    fn port(&mut self, object: &str, field: &str, v: Option<i64>, default: u16) -> u16 {
        match v {
            None => default,
            Some(p) if (1..=65535).contains(&p) => p as u16,
            Some(p) => {
                self.err(object, field, format!("{p} is not a TCP port (1-65535)"));
                default
            }
        }
    }

    fn build(&mut self, raw: ModelFile, file: &str) -> Option<Model> {
        let settings = self.settings(&raw.routing);

        // Stage 1: topology and servers.
        let region_names = self.names("region", "name", &raw.regions, |r| &r.name);
        let site_names = self.names("site", "name", &raw.sites, |s| &s.name);
        let link_names = self.names("wan_link", "name", &raw.wan_links, |l| &l.name);
        let _ = link_names;
        let registrar_names = self.names("registrar_pool", "fqdn", &raw.registrar_pools, |p| &p.fqdn);
        let mediation_names = self.names("mediation_pool", "fqdn", &raw.mediation_pools, |p| &p.fqdn);
        let peer_names = self.names("peer", "name", &raw.peers, |p| &p.name);
        if raw.sites.is_empty() {
            self.err(
                "the model",
                "site",
                "defines no site; a network needs at least one [[site]]",
            );
        }

        let sites: Vec<Site> = raw
            .sites
            .iter()
            .map(|s| {
                let obj = label("site", &s.name);
                let kind = match s.kind.to_lowercase().as_str() {
                    "central" => SiteKind::Central,
                    "branch" => SiteKind::Branch,
                    other => {
                        self.err(
                            &obj,
                            "kind",
                            format!("\"{other}\" is not a site kind; use \"central\" or \"branch\""),
                        );
                        SiteKind::Branch
                    }
                };
                let region = self
                    .resolve(&region_names, "region", &s.region, &obj, "region")
                    .unwrap_or(0);
                Site {
                    name: s.name.clone(),
                    kind,
                    region: RegionId::from_index(region),
                    country: s.country.clone(),
                }
            })
            .collect();
        let regions: Vec<Region> = raw
            .regions
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let obj = label("region", &r.name);
                let c = self
                    .resolve(&site_names, "site", &r.central_site, &obj, "central_site")
                    .unwrap_or(0);
                if let Some(site) = sites.get(c) {
                    if site.kind != SiteKind::Central || site.region.index() != ri {
                        self.err(
                            &obj,
                            "central_site",
                            format!("\"{}\" must be a central site of this region", r.central_site),
                        );
                    }
                }
                Region {
                    name: r.name.clone(),
                    central_site: SiteId::from_index(c),
                }
            })
            .collect();
        let links: Vec<WanLink> = raw
            .wan_links
            .iter()
            .map(|l| {
                let obj = label("wan_link", &l.name);
                let a = self
                    .resolve(&site_names, "site", &l.site_a, &obj, "site_a")
                    .unwrap_or(0);
                let b = self
                    .resolve(&site_names, "site", &l.site_b, &obj, "site_b")
                    .unwrap_or(0);
                if a == b && !l.site_a.is_empty() {
                    self.err(&obj, "site_b", "a WAN link joins two different sites");
                }
                let bandwidth_kbps = self.count(&obj, "bandwidth_kbps", l.bandwidth_kbps);
                if !(0.0..=100.0).contains(&l.loss_percent) {
                    self.err(
                        &obj,
                        "loss_percent",
                        format!("{} is not a percentage (0-100)", l.loss_percent),
                    );
                }
                WanLink {
                    name: l.name.clone(),
                    sites: (SiteId::from_index(a), SiteId::from_index(b)),
                    bandwidth_kbps,
                    one_way_delay: l.one_way_delay,
                    jitter: l.jitter,
                    loss_percent: l.loss_percent,
                }
            })
            .collect();
        let registrar_pools: Vec<RegistrarPool> = raw
            .registrar_pools
            .iter()
            .map(|p| {
                let obj = label("registrar_pool", &p.fqdn);
                let site = self.resolve(&site_names, "site", &p.site, &obj, "site").unwrap_or(0);
                let kind = match p.kind.to_lowercase().as_str() {
                    "front-end" => RegistrarKind::FrontEnd,
                    "standard-edition" => RegistrarKind::StandardEdition,
                    "sba" => RegistrarKind::Sba,
                    "sbs" => RegistrarKind::Sbs,
                    other => {
                        self.err(&obj, "kind", format!("\"{other}\" is not a pool kind; use \"front-end\", \"standard-edition\", \"sba\" or \"sbs\""));
                        RegistrarKind::FrontEnd
                    }
                };
                let servers = self.count(&obj, "servers", p.servers);
                let max = if kind == RegistrarKind::FrontEnd { 12 } else { 1 };
                if servers > max {
                    self.err(&obj, "servers", format!("a {} pool holds at most {max} server(s), not {servers}", p.kind));
                }
                RegistrarPool { fqdn: p.fqdn.clone(), site: SiteId::from_index(site), kind, servers, backup_registrar: None }
            })
            .collect();
        let mut registrar_pools = registrar_pools;
        for (i, p) in raw.registrar_pools.iter().enumerate() {
            if let Some(b) = &p.backup_registrar {
                let obj = label("registrar_pool", &p.fqdn);
                let id = self.resolve(&registrar_names, "registrar_pool", b, &obj, "backup_registrar");
                if id == Some(i) {
                    self.err(&obj, "backup_registrar", "a pool cannot be its own backup Registrar");
                }
                registrar_pools[i].backup_registrar = id.map(RegistrarPoolId::from_index);
            }
        }
        let mediation_pools: Vec<MediationPool> = raw
            .mediation_pools
            .iter()
            .map(|m| {
                let obj = label("mediation_pool", &m.fqdn);
                let site = self.resolve(&site_names, "site", &m.site, &obj, "site").unwrap_or(0);
                let kind = match m.kind.to_lowercase().as_str() {
                    "stand-alone" => MediationKind::StandAlone,
                    "collocated" => MediationKind::Collocated,
                    other => {
                        self.err(
                            &obj,
                            "kind",
                            format!("\"{other}\" is not a Mediation pool kind; use \"stand-alone\" or \"collocated\""),
                        );
                        MediationKind::StandAlone
                    }
                };
                let collocated_with = match (&m.collocated_with, kind) {
                    (Some(r), MediationKind::Collocated) => {
                        self.resolve(&registrar_names, "registrar_pool", r, &obj, "collocated_with")
                    }
                    (None, MediationKind::Collocated) => {
                        self.err(
                            &obj,
                            "collocated_with",
                            "a collocated Mediation pool names the Registrar pool it runs on",
                        );
                        None
                    }
                    (Some(_), MediationKind::StandAlone) => {
                        self.err(
                            &obj,
                            "collocated_with",
                            "only a collocated Mediation pool runs on a Registrar pool",
                        );
                        None
                    }
                    (None, MediationKind::StandAlone) => None,
                };
                let next_hop = match &m.next_hop_registrar {
                    Some(r) => self.resolve(&registrar_names, "registrar_pool", r, &obj, "next_hop_registrar"),
                    None => collocated_with.or_else(|| {
                        let found = registrar_pools.iter().position(|p| p.site.index() == site);
                        if found.is_none() {
                            self.err(
                                &obj,
                                "next_hop_registrar",
                                "no Registrar pool at this site; name the next-hop Registrar pool",
                            );
                        }
                        found
                    }),
                };
                let host_servers = collocated_with.and_then(|r| registrar_pools.get(r)).map(|p| p.servers);
                let servers = match (m.servers, host_servers) {
                    (Some(n), _) => self.count(&obj, "servers", n),
                    (None, Some(n)) => n,
                    (None, None) => 1,
                };
                let default_calls = if kind == MediationKind::Collocated { 150 } else { 1500 };
                let calls_per_server = match m.calls_per_server {
                    Some(n) => self.count(&obj, "calls_per_server", n),
                    None => default_calls,
                };
                MediationPool {
                    fqdn: m.fqdn.clone(),
                    site: SiteId::from_index(site),
                    kind,
                    collocated_with: collocated_with.map(RegistrarPoolId::from_index),
                    next_hop_registrar: RegistrarPoolId::from_index(next_hop.unwrap_or(0)),
                    servers,
                    calls_per_server,
                    dns_load_balancing: m.dns_load_balancing,
                }
            })
            .collect();
        let peers: Vec<Peer> = raw.peers.iter().map(|p| self.peer(p, &site_names)).collect();
        if !self.problems.is_empty() {
            return None;
        }

        // Stage 2: trunks.
        let trunk_names = self.names("trunk", "name", &raw.trunks, |t| &t.name);
        let mut seen_assoc: HashMap<(usize, u16, usize, u16), String> = HashMap::new();
        let mut trunks: Vec<Trunk> = Vec::with_capacity(raw.trunks.len());
        for t in &raw.trunks {
            let obj = label("trunk", &t.name);
            let pool = self
                .resolve(
                    &mediation_names,
                    "mediation_pool",
                    &t.mediation_pool,
                    &obj,
                    "mediation_pool",
                )
                .unwrap_or(0);
            let peer = self.resolve(&peer_names, "peer", &t.peer, &obj, "peer").unwrap_or(0);
            let transport = match t.transport.to_lowercase().as_str() {
                "tls" => Transport::Tls,
                "tcp" => Transport::Tcp,
                other => {
                    self.err(
                        &obj,
                        "transport",
                        format!("\"{other}\" is not a transport; use \"tls\" or \"tcp\""),
                    );
                    Transport::Tls
                }
            };
            // Topology Builder's usual ports (an inference, see the spec).
            let default_ms_port = if transport == Transport::Tls { 5067 } else { 5068 };
            let mediation_port = self.port(&obj, "mediation_port", t.mediation_port, default_ms_port);
            let peer_port = self.port(&obj, "peer_port", t.peer_port, 5066);
            if let Some(other) = seen_assoc.insert((pool, mediation_port, peer, peer_port), t.name.clone()) {
                self.err(&obj, "peer_port", format!("trunk \"{other}\" already associates the same Mediation pool, port, peer and port; give this trunk another port"));
            }
            let max_calls = t.max_calls.map(|n| self.count(&obj, "max_calls", n));
            let site = peers.get(peer).map(|p| p.site).unwrap_or(SiteId(0));
            trunks.push(Trunk {
                name: t.name.clone(),
                mediation_pool: MediationPoolId::from_index(pool),
                mediation_port,
                peer: PeerId::from_index(peer),
                peer_port,
                transport,
                max_calls,
                site,
                config: TrunkConfigId(0),
                inbound_dial_plan: DialPlanId(0),
            });
        }
        if !self.problems.is_empty() {
            return None;
        }

        // Stage 3: voice configuration.
        let usage_names = self.names("pstn_usages", "entry", &raw.pstn_usages, |u| u);
        let usages = raw.pstn_usages.clone();
        let ctx = ScopeNames {
            sites: &site_names,
            registrars: &registrar_names,
            trunks: &trunk_names,
        };

        let mut trunk_configs = Vec::new();
        let mut config_scopes: HashMap<String, usize> = HashMap::new();
        for c in &raw.trunk_configurations {
            let obj = label("trunk_configuration", &c.scope);
            let Some(cfg) = self.trunk_config(c, &obj, &ctx, &usage_names) else {
                continue;
            };
            if config_scopes
                .insert(cfg.identity.to_lowercase(), trunk_configs.len())
                .is_some()
            {
                self.err(&obj, "scope", "duplicate: another trunk_configuration has this scope");
            }
            trunk_configs.push(cfg);
        }
        if !trunk_configs.iter().any(|c| c.scope == TrunkConfigScope::Global) {
            trunk_configs.push(default_trunk_config());
        }

        let mut dial_plans = Vec::new();
        let mut plan_scopes: HashMap<String, usize> = HashMap::new();
        for d in &raw.dial_plans {
            let obj = label("dial_plan", &d.scope);
            let Some(plan) = self.dial_plan(d, &obj, &ctx) else {
                continue;
            };
            if plan_scopes
                .insert(plan.identity.to_lowercase(), dial_plans.len())
                .is_some()
            {
                self.err(&obj, "scope", "duplicate: another dial_plan has this scope");
            }
            dial_plans.push(plan);
        }
        if !dial_plans.iter().any(|p| p.scope == DialPlanScope::Global) {
            // The global plan always exists in Lync; an empty one leaves
            // dialed strings as they are.
            dial_plans.push(DialPlan {
                identity: "Global".into(),
                scope: DialPlanScope::Global,
                external_access_prefix: None,
                optimize_device_dialing: false,
                normalization_rules: Vec::new(),
            });
        }

        let mut voice_policies = Vec::new();
        let mut policy_scopes: HashMap<String, usize> = HashMap::new();
        for p in &raw.voice_policies {
            let obj = label("voice_policy", &p.scope);
            let Some(pol) = self.voice_policy(p, &obj, &ctx, &usage_names) else {
                continue;
            };
            if policy_scopes
                .insert(pol.identity.to_lowercase(), voice_policies.len())
                .is_some()
            {
                self.err(&obj, "scope", "duplicate: another voice_policy has this scope");
            }
            voice_policies.push(pol);
        }
        if !voice_policies.iter().any(|p| p.scope == VoicePolicyScope::Global) {
            // Global always exists; with no usages it allows no PSTN calls.
            voice_policies.push(VoicePolicy {
                identity: "Global".into(),
                scope: VoicePolicyScope::Global,
                pstn_usages: Vec::new(),
                allow_pstn_rerouting: true,
                allow_call_forwarding: true,
                allow_simul_ring: true,
                enable_bw_policy_override: false,
                prevent_pstn_toll_bypass: false,
            });
        }

        let route_names = self.names("voice_route", "name", &raw.voice_routes, |r| &r.name);
        let _ = route_names;
        let routes: Vec<VoiceRoute> = raw
            .voice_routes
            .iter()
            .map(|r| self.voice_route(r, &usage_names, &trunk_names))
            .collect();
        let mut usage_routes: Vec<Vec<RouteId>> = vec![Vec::new(); usages.len()];
        for (i, r) in routes.iter().enumerate() {
            for u in &r.pstn_usages {
                usage_routes[u.index()].push(RouteId::from_index(i));
            }
        }
        for list in &mut usage_routes {
            list.sort_by_key(|r| (routes[r.index()].priority, r.0));
        }

        // Effective scopes, resolved once.
        let global_config = trunk_configs
            .iter()
            .position(|c| c.scope == TrunkConfigScope::Global)
            .expect("added above");
        let global_plan = dial_plans
            .iter()
            .position(|p| p.scope == DialPlanScope::Global)
            .expect("added above");
        let global_policy = voice_policies
            .iter()
            .position(|p| p.scope == VoicePolicyScope::Global)
            .expect("added above");
        let find_config = |s: TrunkConfigScope| trunk_configs.iter().position(|c| c.scope == s);
        let find_plan = |s: DialPlanScope| dial_plans.iter().position(|p| p.scope == s);
        let find_policy = |s: VoicePolicyScope| voice_policies.iter().position(|p| p.scope == s);
        for (i, t) in trunks.iter_mut().enumerate() {
            let id = TrunkId::from_index(i);
            let cfg = find_config(TrunkConfigScope::Trunk(id))
                .or_else(|| find_config(TrunkConfigScope::Site(t.site)))
                .unwrap_or(global_config);
            t.config = TrunkConfigId::from_index(cfg);
            let plan = find_plan(DialPlanScope::Trunk(id))
                .or_else(|| find_plan(DialPlanScope::Site(t.site)))
                .unwrap_or(global_plan);
            t.inbound_dial_plan = DialPlanId::from_index(plan);
        }
        let site_dial_plan: Vec<DialPlanId> = (0..sites.len())
            .map(|s| {
                DialPlanId::from_index(find_plan(DialPlanScope::Site(SiteId::from_index(s))).unwrap_or(global_plan))
            })
            .collect();
        let site_voice_policy: Vec<VoicePolicyId> = (0..sites.len())
            .map(|s| {
                VoicePolicyId::from_index(
                    find_policy(VoicePolicyScope::Site(SiteId::from_index(s))).unwrap_or(global_policy),
                )
            })
            .collect();

        let group_names = self.names("user_group", "name", &raw.user_groups, |g| &g.name);
        let _ = group_names;
        let user_groups: Vec<UserGroup> = raw
            .user_groups
            .iter()
            .map(|g| {
                let obj = label("user_group", &g.name);
                let site = SiteId::from_index(self.resolve(&site_names, "site", &g.site, &obj, "site").unwrap_or(0));
                let pool = RegistrarPoolId::from_index(
                    self.resolve(
                        &registrar_names,
                        "registrar_pool",
                        &g.registrar_pool,
                        &obj,
                        "registrar_pool",
                    )
                    .unwrap_or(0),
                );
                let users = self.count(&obj, "users", g.users);
                let (first_number, number_digits) = self.line_uri_range(&obj, &g.first_number, users);
                let dial_plan = match &g.dial_plan {
                    Some(name) => self.user_scoped(&plan_scopes, name, &obj, "dial_plan", |i| {
                        dial_plans[i].scope == DialPlanScope::User
                    }),
                    None => None,
                }
                .or_else(|| find_plan(DialPlanScope::Registrar(pool)))
                .or_else(|| find_plan(DialPlanScope::Site(site)))
                .unwrap_or(global_plan);
                let voice_policy = match &g.voice_policy {
                    Some(name) => self.user_scoped(&policy_scopes, name, &obj, "voice_policy", |i| {
                        voice_policies[i].scope == VoicePolicyScope::User
                    }),
                    None => None,
                }
                .unwrap_or(site_voice_policy[site.index()].index());
                UserGroup {
                    name: g.name.clone(),
                    site,
                    registrar_pool: pool,
                    users,
                    first_number,
                    number_digits,
                    dial_plan: DialPlanId::from_index(dial_plan),
                    voice_policy: VoicePolicyId::from_index(voice_policy),
                }
            })
            .collect();
        let (directory, overlaps) = Directory::new(&user_groups);
        for (a, b) in overlaps {
            let (a, b) = (&user_groups[a.index()].name, &user_groups[b.index()].name);
            self.err(
                &label("user_group", b),
                "first_number",
                format!("its Line URI range overlaps user_group \"{a}\"; each number belongs to one user"),
            );
        }

        self.check_inter_trunk_cycles(&trunks, &trunk_configs, &usage_routes, &routes);

        let wan = Wan::new(sites.len(), &links);
        Some(Model {
            source: file.to_owned(),
            text: String::new(),
            name: raw.network.name,
            description: raw.network.description,
            settings,
            regions,
            sites,
            links,
            registrar_pools,
            mediation_pools,
            peers,
            trunks,
            trunk_configs,
            dial_plans,
            voice_policies,
            usages,
            routes,
            user_groups,
            wan,
            usage_routes,
            directory,
            site_dial_plan,
            site_voice_policy,
        })
    }

    fn settings(&mut self, r: &RoutingSettingsFile) -> RoutingSettings {
        let obj = "[routing]";
        let intra_usage_mode = match r.intra_usage_mode.as_str() {
            "equal-cost-union" => IntraUsageMode::EqualCostUnion,
            "priority-ordered" => IntraUsageMode::PriorityOrdered,
            other => {
                self.err(
                    obj,
                    "intra_usage_mode",
                    format!("\"{other}\" is not a mode; use \"equal-cost-union\" or \"priority-ordered\""),
                );
                IntraUsageMode::EqualCostUnion
            }
        };
        let external_access_prefix_mode = match r.external_access_prefix_mode.as_str() {
            "when-optimized" => AccessPrefixMode::WhenOptimized,
            "always" => AccessPrefixMode::Always,
            "never" => AccessPrefixMode::Never,
            other => {
                self.err(
                    obj,
                    "external_access_prefix_mode",
                    format!("\"{other}\" is not a mode; use \"when-optimized\", \"always\" or \"never\""),
                );
                AccessPrefixMode::WhenOptimized
            }
        };
        let mut codes = |field: &str, list: &[i64]| -> Vec<u16> {
            list.iter()
                .filter_map(|c| {
                    if (400..=699).contains(c) {
                        Some(*c as u16)
                    } else {
                        self.err(
                            obj,
                            field,
                            format!("{c} is not a final failure response code (400-699)"),
                        );
                        None
                    }
                })
                .collect()
        };
        let failover_codes = codes("failover_codes", &r.failover_codes);
        let final_codes = codes("final_codes", &r.final_codes);
        if r.fast_failover_timeout.0 == 0 {
            self.err(
                obj,
                "fast_failover_timeout",
                "must be longer than zero (Lync uses \"10s\")",
            );
        }
        RoutingSettings {
            intra_usage_mode,
            strip_visual_separators: r.strip_visual_separators,
            external_access_prefix_mode,
            fast_failover_timeout: r.fast_failover_timeout,
            failover_on_5xx: r.failover_on_5xx,
            failover_codes,
            final_codes,
        }
    }

    fn peer(&mut self, p: &PeerFile, site_names: &Names) -> Peer {
        let obj = label("peer", &p.name);
        let site = self.resolve(site_names, "site", &p.site, &obj, "site").unwrap_or(0);
        let tdm = [
            ("t1_spans", p.t1_spans),
            ("e1_spans", p.e1_spans),
            ("channels", p.channels),
        ];
        let kind = match p.kind.to_lowercase().as_str() {
            "pstn-gateway" => {
                if p.session_limit.is_some() {
                    self.err(
                        &obj,
                        "session_limit",
                        "a PSTN gateway is sized by t1_spans, e1_spans or channels",
                    );
                }
                let mut channels: i64 = 0;
                for (field, v) in tdm {
                    if let Some(v) = v {
                        let n = i64::from(self.count(&obj, field, v));
                        channels += n * match field {
                            "t1_spans" => 23,
                            "e1_spans" => 30,
                            _ => 1,
                        };
                    }
                }
                if channels == 0 {
                    self.err(
                        &obj,
                        "channels",
                        "a PSTN gateway needs t1_spans (23 channels each), e1_spans (30 each) or channels",
                    );
                    channels = 1;
                }
                PeerKind::PstnGateway {
                    channels: u32::try_from(channels).unwrap_or(u32::MAX),
                }
            }
            kind @ ("ip-pbx" | "itsp-sbc") => {
                for (field, v) in tdm {
                    if v.is_some() {
                        self.err(
                            &obj,
                            field,
                            format!("an {kind} has no TDM channels; size it with session_limit"),
                        );
                    }
                }
                let limit = p.session_limit.map(|n| self.count(&obj, "session_limit", n));
                if kind == "ip-pbx" {
                    PeerKind::IpPbx { session_limit: limit }
                } else {
                    let session_limit = limit.unwrap_or_else(|| {
                        self.err(&obj, "session_limit", "an ITSP SBC needs its contracted session_limit");
                        1
                    });
                    PeerKind::ItspSbc { session_limit }
                }
            }
            other => {
                self.err(
                    &obj,
                    "kind",
                    format!("\"{other}\" is not a peer kind; use \"pstn-gateway\", \"ip-pbx\" or \"itsp-sbc\""),
                );
                PeerKind::IpPbx { session_limit: None }
            }
        };
        if p.fqdn.trim().is_empty() {
            self.err(&obj, "fqdn", "must not be empty");
        }
        Peer {
            name: p.name.clone(),
            fqdn: p.fqdn.clone(),
            kind,
            site: SiteId::from_index(site),
        }
    }

    fn rules(&mut self, obj: &str, field: &str, list: &[RuleFile], normalization: bool) -> Vec<NumberRule> {
        let names = self.names(&format!("{obj}: {field} rule"), "name", list, |r| &r.name);
        let _ = names;
        let with_priority = list.iter().filter(|r| r.priority.is_some()).count();
        if with_priority != 0 && with_priority != list.len() {
            self.err(
                obj,
                field,
                "give every rule a priority, or none (then file order is priority order)",
            );
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
                match Rewrite::new(&r.pattern, &r.translation) {
                    Ok(rewrite) => Some(NumberRule {
                        name: r.name.clone(),
                        rewrite,
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

    fn usages(&mut self, obj: &str, field: &str, list: &[String], usage_names: &Names) -> Vec<UsageId> {
        let mut out: Vec<UsageId> = Vec::new();
        for u in list {
            if let Some(i) = self.resolve(usage_names, "PSTN usage", u, obj, field) {
                let id = UsageId::from_index(i);
                if out.contains(&id) {
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
        if c.enable_bypass && !c.concentrated_topology {
            self.err(
                obj,
                "enable_bypass",
                "media bypass needs concentrated_topology = true (centralized media processing)",
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
                        format!(
                            "{} is not 0 (any) or a final failure code 400-699",
                            r.received_response_code
                        ),
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
                self.err(
                    obj,
                    "external_access_prefix",
                    format!("\"{p}\" is not 1 to 4 of 0-9, # or *"),
                );
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

    fn voice_route(&mut self, r: &VoiceRouteFile, usage_names: &Names, trunk_names: &Names) -> VoiceRoute {
        let obj = label("voice_route", &r.name);
        let number_pattern = NetRegex::new(&r.number_pattern).unwrap_or_else(|e| {
            self.err(
                &obj,
                "number_pattern",
                format!("`{}` is not a valid regular expression: {e}", r.number_pattern),
            );
            NetRegex::new("$^").expect("a pattern that never matches compiles")
        });
        let pstn_usages = self.usages(&obj, "pstn_usages", &r.pstn_usages, usage_names);
        let mut trunks: Vec<TrunkId> = Vec::new();
        for g in &r.pstn_gateways {
            if let Some(i) = self.resolve(trunk_names, "trunk", strip_service_prefix(g), &obj, "pstn_gateways") {
                let id = TrunkId::from_index(i);
                if trunks.contains(&id) {
                    self.err(&obj, "pstn_gateways", format!("trunk \"{g}\" is listed twice"));
                } else {
                    trunks.push(id);
                }
            }
        }
        // The cmdlet's own check (R21).
        let alt_form = regex::Regex::new(r"^(\+)?[1-9]\d*(;ext=[1-9]\d*)?$").expect("constant pattern");
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

    fn line_uri_range(&mut self, obj: &str, first: &str, users: u32) -> (u64, u8) {
        let digits = first.strip_prefix('+').unwrap_or("");
        let valid =
            (1..=15).contains(&digits.len()) && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit());
        if !valid {
            self.err(
                obj,
                "first_number",
                format!("\"{first}\" is not an E.164 number: '+' then 1 to 15 digits, the first not 0"),
            );
            return (1, 1);
        }
        let n: u64 = digits.parse().expect("checked digits");
        let last = n + u64::from(users) - 1;
        if last.to_string().len() != digits.len() {
            self.err(
                obj,
                "users",
                format!(
                    "{users} users starting at {first} run past the last {}-digit number",
                    digits.len()
                ),
            );
        }
        (n, digits.len() as u8)
    }

    fn user_scoped(
        &mut self,
        scopes: &HashMap<String, usize>,
        name: &str,
        obj: &str,
        field: &str,
        is_user: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let key = canonical_scope(name).to_lowercase();
        match scopes.get(&key) {
            Some(&i) if is_user(i) => Some(i),
            Some(_) => {
                self.err(
                    obj,
                    field,
                    format!("\"{name}\" is not a per-user {field}; site and global ones apply by themselves"),
                );
                None
            }
            None => {
                self.err(
                    obj,
                    field,
                    format!("refers to {field} \"{name}\", which does not exist"),
                );
                None
            }
        }
    }

    fn scope(&mut self, obj: &str, text: &str, ctx: &ScopeNames, allowed: &[&str]) -> Option<Scope> {
        let t = text.trim();
        let (kind, name) = if t.eq_ignore_ascii_case("global") {
            ("global", "")
        } else if let Some(n) = strip_prefix_ci(t, "site:") {
            ("site", n)
        } else if let Some(n) = strip_prefix_ci(t, "service:registrar:").or_else(|| strip_prefix_ci(t, "registrar:")) {
            ("registrar", n)
        } else if let Some(n) =
            strip_prefix_ci(t, "service:pstngateway:").or_else(|| strip_prefix_ci(t, "pstngateway:"))
        {
            ("trunk", n)
        } else if let Some(n) = strip_prefix_ci(t, "tag:") {
            ("user", n)
        } else if !t.is_empty() && !t.contains(':') {
            ("user", t)
        } else {
            ("unknown", t)
        };
        if !allowed.contains(&kind) {
            let forms: Vec<&str> = allowed
                .iter()
                .map(|k| match *k {
                    "global" => "\"global\"",
                    "site" => "\"site:<site>\"",
                    "registrar" => "\"Registrar:<pool fqdn>\"",
                    "trunk" => "\"PstnGateway:<trunk>\"",
                    _ => "a per-user name",
                })
                .collect();
            self.err(
                obj,
                "scope",
                format!("\"{text}\" is not a scope here; use {}", forms.join(", ")),
            );
            return None;
        }
        Some(match kind {
            "global" => Scope::Global,
            "site" => Scope::Site(SiteId::from_index(self.resolve(ctx.sites, "site", name, obj, "scope")?)),
            "registrar" => Scope::Registrar(RegistrarPoolId::from_index(self.resolve(
                ctx.registrars,
                "registrar_pool",
                name,
                obj,
                "scope",
            )?)),
            "trunk" => Scope::Trunk(TrunkId::from_index(
                self.resolve(ctx.trunks, "trunk", name, obj, "scope")?,
            )),
            _ => Scope::User,
        })
    }

    /// A call arriving on trunk A can be routed out of trunk B (inter-trunk
    /// routing); if B's usages lead on and back to A, the call can loop.
    /// A cycle of trunks is a loop when some number matches a route on every
    /// edge of it (the number is assumed to come back as it left). Patterns
    /// with no DFA (look-around) are taken to match everything.
    fn check_inter_trunk_cycles(
        &mut self,
        trunks: &[Trunk],
        configs: &[TrunkConfig],
        usage_routes: &[Vec<RouteId>],
        routes: &[VoiceRoute],
    ) {
        let n = trunks.len();
        // edges[a][b] = routes that send calls arriving on a out of b.
        let mut edges: Vec<HashMap<usize, Vec<usize>>> = vec![HashMap::new(); n];
        for (a, t) in trunks.iter().enumerate() {
            for u in &configs[t.config.index()].pstn_usages {
                for r in &usage_routes[u.index()] {
                    for out in &routes[r.index()].trunks {
                        let list = edges[a].entry(out.index()).or_default();
                        if !list.contains(&r.index()) {
                            list.push(r.index());
                        }
                    }
                }
            }
        }
        let mut g: DiGraph<usize, ()> = DiGraph::new();
        let nodes: Vec<_> = (0..n).map(|i| g.add_node(i)).collect();
        for (a, outs) in edges.iter().enumerate() {
            for b in outs.keys() {
                g.update_edge(nodes[a], nodes[*b], ());
            }
        }
        let mut languages: HashMap<(usize, usize), Option<Language>> = HashMap::new();
        for scc in tarjan_scc(&g) {
            let members: Vec<usize> = scc.iter().map(|x| g[*x]).collect();
            if members.len() == 1 && !edges[members[0]].contains_key(&members[0]) {
                continue;
            }
            for cycle in simple_cycles(&members, &edges, 1000) {
                let mut accept = Vec::new();
                for (i, &a) in cycle.iter().enumerate() {
                    let b = cycle[(i + 1) % cycle.len()];
                    let lang = languages.entry((a, b)).or_insert_with(|| {
                        let pats: Vec<&str> = edges[a][&b]
                            .iter()
                            .map(|r| routes[*r].number_pattern.as_str())
                            .collect();
                        Language::new(&pats)
                    });
                    accept.push((a, b));
                    let _ = lang;
                }
                let langs: Vec<&Language> = accept.iter().filter_map(|k| languages[k].as_ref()).collect();
                let example = match witness(&langs, &[]) {
                    Witness::None => continue,
                    Witness::Found(n) if langs.len() == cycle.len() => format!("e.g. {n}"),
                    _ => "a route pattern on it uses look-around, so no number can be ruled out".to_owned(),
                };
                let mut path: Vec<&str> = cycle.iter().map(|t| trunks[*t].name.as_str()).collect();
                path.push(&trunks[cycle[0]].name);
                let first = &trunks[cycle[0]];
                let cfg = &configs[first.config.index()];
                let via: Vec<&str> = edges[cycle[0]][&cycle[1 % cycle.len()]]
                    .iter()
                    .map(|r| routes[*r].name.as_str())
                    .collect();
                self.err(
                    &label("trunk_configuration", &cfg.identity),
                    "pstn_usages",
                    format!(
                        "inter-trunk routing can loop: {} ({example}), first hop via route(s) {}; exclude the numbers of the far end from the route patterns, or remove the usage",
                        path.join(" -> "),
                        via.join(", ")
                    ),
                );
            }
        }
    }
}

/// Simple cycles through `members`, each listed once (from its smallest
/// member), at most `cap` of them.
fn simple_cycles(members: &[usize], edges: &[HashMap<usize, Vec<usize>>], cap: usize) -> Vec<Vec<usize>> {
    let mut sorted = members.to_vec();
    sorted.sort_unstable();
    let mut out = Vec::new();
    for &s in &sorted {
        let mut stack: Vec<(usize, Vec<usize>)> = vec![(s, vec![s])];
        while let Some((at, path)) = stack.pop() {
            let mut nexts: Vec<usize> = edges[at]
                .keys()
                .copied()
                .filter(|b| sorted.binary_search(b).is_ok())
                .collect();
            nexts.sort_unstable();
            for b in nexts {
                if b == s {
                    out.push(path.clone());
                    if out.len() >= cap {
                        return out;
                    }
                } else if b > s && !path.contains(&b) {
                    let mut p = path.clone();
                    p.push(b);
                    stack.push((b, p));
                }
            }
        }
    }
    out
}

struct ScopeNames<'a> {
    sites: &'a Names,
    registrars: &'a Names,
    trunks: &'a Names,
}

enum Scope {
    Global,
    Site(SiteId),
    Registrar(RegistrarPoolId),
    Trunk(TrunkId),
    User,
}

/// Identity as Lync prints it: `Global`, `site:X`, `PstnGateway:X`, or the
/// per-user name without `tag:`.
fn canonical_scope(text: &str) -> String {
    let t = text.trim();
    if t.eq_ignore_ascii_case("global") {
        "Global".into()
    } else if let Some(n) = strip_prefix_ci(t, "tag:") {
        n.to_owned()
    } else if let Some(n) = strip_prefix_ci(t, "service:") {
        n.to_owned()
    } else {
        t.to_owned()
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
