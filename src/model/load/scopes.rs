//! Effective scopes: which trunk configuration and inbound dial plan
//! each trunk has, which dial plan and voice policy each site's callers
//! and each user group get (docs/lync-behaviour.md, "Dial plans and
//! normalization", "Voice policies and PSTN usages"), and the
//! user groups with their Line URI ranges.

use std::collections::HashMap;

use super::super::file::*;
use super::super::*;
use super::{label, Builder, Names, Network, VoiceConfig};

/// Each scope's object, by position (the first, should a scope be
/// duplicated), so that resolving every trunk's and site's scopes costs
/// one look-up each.
pub(super) fn by_scope<S: std::hash::Hash + Eq>(scopes: impl Iterator<Item = S>) -> HashMap<S, usize> {
    let mut map = HashMap::new();
    for (i, s) in scopes.enumerate() {
        map.entry(s).or_insert(i);
    }
    map
}

/// What [`Builder::scopes_and_users`] resolves.
pub(super) struct Scoped {
    pub site_dial_plan: Vec<DialPlanId>,
    pub site_voice_policy: Vec<VoicePolicyId>,
    pub site_location_policy: Vec<LocationPolicyId>,
    pub user_groups: Vec<UserGroup>,
    pub directory: Directory,
}

pub(super) struct ScopeNames<'a> {
    pub(super) sites: &'a Names,
    pub(super) registrars: &'a Names,
    pub(super) trunks: &'a Names,
    /// Lower-cased peer FQDN to the peer's name and its trunks (file
    /// order): `PstnGateway:<gateway FQDN>` is Lync's own identity of a
    /// gateway's root trunk.
    pub(super) gateways: &'a Gateways,
}

/// Lower-cased peer FQDN to the peer's name and its trunks (position and
/// name, file order).
pub(super) type Gateways = HashMap<String, (String, Vec<(usize, String)>)>;

/// Each peer's trunks by the peer's lower-cased FQDN, for
/// [`ScopeNames::gateways`]. A trunk whose peer does not resolve is left
/// out (its own error says so).
pub(super) fn gateways_by_fqdn(raw: &ModelFile, net: &Network) -> Gateways {
    let mut map = Gateways::new();
    for (i, t) in raw.trunks.iter().enumerate() {
        let Some(peer) = net.peer_names.get(&t.peer.trim().to_lowercase()).and_then(|&p| net.peers.get(p)) else {
            continue;
        };
        let fqdn = peer.fqdn.trim().to_lowercase();
        if fqdn.is_empty() {
            continue;
        }
        map.entry(fqdn).or_insert_with(|| (peer.name.clone(), Vec::new())).1.push((i, t.name.clone()));
    }
    map
}

pub(super) enum Scope {
    Global,
    Site(SiteId),
    Registrar(RegistrarPoolId),
    Trunk(TrunkId),
    User,
}

/// Identity as Lync prints it: `Global`, `site:X`, `PstnGateway:X`, or the
/// per-user name without `tag:`.
pub(super) fn canonical_scope(text: &str) -> String {
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

impl Builder {
    /// The objects of one scoped kind (trunk configurations, dial plans,
    /// voice policies), each built from its file entry; a second entry
    /// of a scope is an error; the Global one is added when the file has
    /// none, as Lync always has it. Returns them with their positions by
    /// lower-cased identity.
    pub(super) fn scoped<F, T>(
        &mut self,
        kind: &str,
        entries: &[F],
        scope_of: impl Fn(&F) -> &String,
        mut build: impl FnMut(&mut Self, &F, &str) -> Option<T>,
        identity: impl Fn(&T) -> (&String, bool),
        global: impl FnOnce() -> T,
    ) -> (Vec<T>, HashMap<String, usize>) {
        let mut built: Vec<T> = Vec::new();
        let mut positions: HashMap<String, usize> = HashMap::new();
        for e in entries {
            let obj = label(kind, scope_of(e));
            let Some(t) = build(self, e, &obj) else { continue };
            if positions.insert(identity(&t).0.to_lowercase(), built.len()).is_some() {
                self.err(&obj, "scope", format!("duplicate: another {kind} has this scope"));
            }
            built.push(t);
        }
        if !built.iter().any(|t| identity(t).1) {
            built.push(global());
        }
        (built, positions)
    }

    /// Effective scopes (trunk configuration and inbound dial plan of each
    /// trunk, site callers' plan and policies), then the user groups with
    /// theirs. A user's site-scoped objects are those of the site of the
    /// user's home (Registrar) pool, not of where the user sits; only the
    /// location policy a network site is assigned follows the user's
    /// location (docs/lync-behaviour.md, "Scopes").
    pub(super) fn scopes_and_users(
        &mut self,
        raw: &ModelFile,
        net: &Network,
        trunks: &mut [Trunk],
        vc: &VoiceConfig,
        subnets: &HashMap<String, SiteId>,
    ) -> Scoped {
        let Network { sites, site_names, registrar_names, registrar_pools, .. } = net;
        let VoiceConfig {
            trunk_configs,
            dial_plans,
            plan_scopes,
            voice_policies,
            policy_scopes,
            location_policies,
            location_scopes,
            ..
        } = vc;
        // Effective scopes, resolved once.
        let global_config =
            trunk_configs.iter().position(|c| c.scope == TrunkConfigScope::Global).expect("added above");
        let global_plan = dial_plans.iter().position(|p| p.scope == DialPlanScope::Global).expect("added above");
        let global_policy =
            voice_policies.iter().position(|p| p.scope == VoicePolicyScope::Global).expect("added above");
        let global_location =
            location_policies.iter().position(|p| p.scope == LocationPolicyScope::Global).expect("added above");
        let locations = by_scope(location_policies.iter().map(|p| p.scope));
        let find_location = |s: LocationPolicyScope| locations.get(&s).copied();
        // A per-user location policy assigned to a network site.
        let assigned_location: Vec<Option<usize>> = raw
            .sites
            .iter()
            .map(|s| match &s.location_policy {
                Some(name) => {
                    self.user_scoped(location_scopes, name, &label("site", &s.name), "location_policy", |i| {
                        location_policies[i].scope == LocationPolicyScope::User
                    })
                }
                None => None,
            })
            .collect();
        let (configs, plans, policies) = (
            by_scope(trunk_configs.iter().map(|c| c.scope)),
            by_scope(dial_plans.iter().map(|p| p.scope)),
            by_scope(voice_policies.iter().map(|p| p.scope)),
        );
        let find_config = |s: TrunkConfigScope| configs.get(&s).copied();
        let find_plan = |s: DialPlanScope| plans.get(&s).copied();
        let find_policy = |s: VoicePolicyScope| policies.get(&s).copied();
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

        let site_location_policy: Vec<LocationPolicyId> = (0..sites.len())
            .map(|s| {
                let here = assigned_location.get(s).copied().flatten();
                LocationPolicyId::from_index(
                    here.or_else(|| find_location(LocationPolicyScope::Site(SiteId::from_index(s))))
                        .unwrap_or(global_location),
                )
            })
            .collect();

        self.names("user_group", "name", &raw.user_groups, |g| &g.name); // duplicate names
        let user_groups: Vec<UserGroup> = raw
            .user_groups
            .iter()
            .map(|g| {
                let obj = label("user_group", &g.name);
                // Users are where their subnet is, or at their site.
                let by_subnet = g.subnet.as_ref().and_then(|p| {
                    let found = subnets.get(&p.to_lowercase()).copied();
                    if found.is_none() {
                        self.err(&obj, "subnet", format!("no subnet \"{p}\" in the model"));
                    }
                    found
                });
                let by_site = g
                    .site
                    .as_ref()
                    .and_then(|s| self.resolve(site_names, "site", s, &obj, "site"))
                    .map(SiteId::from_index);
                let site = match (by_subnet, by_site, &g.site, &g.subnet) {
                    (Some(a), Some(b), _, _) if a != b => {
                        self.err(&obj, "subnet", "its subnet is at another site than `site` says");
                        a
                    }
                    (Some(s), _, _, _) | (None, Some(s), _, _) => s,
                    (None, None, None, None) => {
                        self.err(&obj, "site", "give the users' site, or their subnet");
                        SiteId(0)
                    }
                    _ => SiteId(0),
                };
                let pool = RegistrarPoolId::from_index(
                    self.resolve(registrar_names, "registrar_pool", &g.registrar_pool, &obj, "registrar_pool")
                        .unwrap_or(0),
                );
                // Site scope follows the home pool's site.
                let home = registrar_pools.get(pool.index()).map_or(site, |p| p.site);
                let users = self.count(&obj, "users", g.users);
                let (first_number, number_digits) = self.line_uri_range(&obj, &g.first_number, users);
                let dial_plan = match &g.dial_plan {
                    Some(name) => self.user_scoped(plan_scopes, name, &obj, "dial_plan", |i| {
                        dial_plans[i].scope == DialPlanScope::User
                    }),
                    None => None,
                }
                .or_else(|| find_plan(DialPlanScope::Registrar(pool)))
                .or_else(|| find_plan(DialPlanScope::Site(home)))
                .unwrap_or(global_plan);
                let voice_policy = match &g.voice_policy {
                    Some(name) => self.user_scoped(policy_scopes, name, &obj, "voice_policy", |i| {
                        voice_policies[i].scope == VoicePolicyScope::User
                    }),
                    None => None,
                }
                .unwrap_or(site_voice_policy[home.index()].index());
                let own_location = match &g.location_policy {
                    Some(name) => self.user_scoped(location_scopes, name, &obj, "location_policy", |i| {
                        location_policies[i].scope == LocationPolicyScope::User
                    }),
                    None => None,
                };
                let location_policy = assigned_location
                    .get(site.index())
                    .copied()
                    .flatten()
                    .or(own_location)
                    .or_else(|| find_location(LocationPolicyScope::Site(home)))
                    .unwrap_or(global_location);
                UserGroup {
                    name: g.name.clone(),
                    site,
                    registrar_pool: pool,
                    users,
                    first_number,
                    number_digits,
                    dial_plan: DialPlanId::from_index(dial_plan),
                    voice_policy: VoicePolicyId::from_index(voice_policy),
                    location_policy: LocationPolicyId::from_index(location_policy),
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
        Scoped { site_dial_plan, site_voice_policy, site_location_policy, user_groups, directory }
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
                format!("{users} users starting at {first} run past the last {}-digit number", digits.len()),
            );
        }
        (n, digits.len() as u8)
    }

    pub(super) fn user_scoped(
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
                self.err(obj, field, format!("refers to {field} \"{name}\", which does not exist"));
                None
            }
        }
    }

    pub(super) fn scope(&mut self, obj: &str, text: &str, ctx: &ScopeNames, allowed: &[&str]) -> Option<Scope> {
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
                    "trunk" => "\"PstnGateway:<trunk or gateway FQDN>\"",
                    _ => "a per-user name",
                })
                .collect();
            self.err(obj, "scope", format!("\"{text}\" is not a scope here; use {}", forms.join(", ")));
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
            "trunk" => Scope::Trunk(TrunkId::from_index(self.trunk_identity(ctx, name, obj, "scope")?)),
            _ => Scope::User,
        })
    }

    /// A trunk by its name, or by its peer's FQDN when no trunk has that
    /// name (`PstnGateway:gw1.contoso.com`, Lync's identity of a gateway's
    /// root trunk; docs/lync-behaviour.md, "Trunks and trunk
    /// configurations"). An FQDN of a peer with several trunks is an error
    /// listing their names: which of them is meant is not for the model to
    /// guess.
    pub(super) fn trunk_identity(&mut self, ctx: &ScopeNames, name: &str, obj: &str, field: &str) -> Option<usize> {
        let key = name.trim().to_lowercase();
        if let Some(&i) = ctx.trunks.get(&key) {
            return Some(i);
        }
        match ctx.gateways.get(&key) {
            Some((_, trunks)) if trunks.len() == 1 => Some(trunks[0].0),
            Some((peer, trunks)) => {
                let names: Vec<String> = trunks.iter().map(|(_, n)| format!("\"{n}\"")).collect();
                self.err(
                    obj,
                    field,
                    format!(
                        "\"{}\" is the FQDN of peer \"{peer}\", which has {} trunks ({}); name the trunk meant, \
                         e.g. \"PstnGateway:{}\"",
                        name.trim(),
                        trunks.len(),
                        names.join(", "),
                        trunks[0].1
                    ),
                );
                None
            }
            None => self.resolve(ctx.trunks, "trunk", name, obj, field),
        }
    }
}
