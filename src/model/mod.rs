//! The twin's description: model files turned into one validated, indexed
//! [`Model`]. Every name is resolved to a typed id and every pattern is
//! compiled once, here, so nothing later looks a name up on a hot path.

pub mod cac_paths;
pub mod directory;
pub mod duration;
pub mod edit;
pub mod emergency;
pub mod error;
pub mod export;
pub mod file;
pub mod ids;
pub mod import;
pub mod lint;
mod load;
pub mod objects;
pub mod scope_lint;
pub mod shortlist;
pub mod todo;
pub mod topology;
pub mod zone;

pub use directory::{Directory, DirectoryEntry};
pub use duration::Micros;
pub use error::{ModelError, Problem};
pub use ids::*;
pub use load::{load_file, load_str, read_raw};
pub use objects::*;
pub use shortlist::ShortList;
pub use topology::{SiteTree, Wan};

/// The example network shipped with the binary (`models/contoso.toml`).
pub const CONTOSO_TOML: &str = include_str!("../../models/contoso.toml");

/// Name under which the built-in example is reported.
pub const CONTOSO_NAME: &str = "models/contoso.toml (built in)";

/// How trunks of one usage stage are ordered (docs/lync-behaviour.md, "Route
/// selection": an inference made a setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntraUsageMode {
    /// All trunks of the usage's matching routes form one set; calls are
    /// shared round robin over the set, then the rest of the set is tried.
    EqualCostUnion,
    /// Routes are tried by Priority ascending; the trunks of one route are
    /// shared round robin among themselves.
    PriorityOrdered,
}

/// When the dial plan's external access prefix is stripped before
/// normalization (docs/lync-behaviour.md, "Dial plans and normalization":
/// documented only for OptimizeDeviceDialing; the rest is inference).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessPrefixMode {
    /// Strip only when the plan has `optimize_device_dialing` (default).
    WhenOptimized,
    /// Strip whenever the plan has a prefix.
    Always,
    /// Never strip; the rules must handle the prefix.
    Never,
}

/// Inferred behaviours, each a documented setting whose default is the one
/// docs/lync-behaviour.md describes.
#[derive(Debug, Clone)]
pub struct RoutingSettings {
    pub intra_usage_mode: IntraUsageMode,
    /// Remove spaces, dashes, dots and parentheses from dialed strings, as
    /// Lync clients do before normalization.
    pub strip_visual_separators: bool,
    pub external_access_prefix_mode: AccessPrefixMode,
    /// `EnableFastFailoverTimer` wait before rerouting (10 s documented).
    pub fast_failover_timeout: Micros,
    /// 5xx final responses fail over (a field report: docs/lync-behaviour.md,
    /// "Failover responses").
    pub failover_on_5xx: bool,
    /// Further codes that fail over (after response-code translation).
    pub failover_codes: Vec<u16>,
    /// Codes that end the call even when `failover_on_5xx` would fail over.
    pub final_codes: Vec<u16>,
    /// Later usages are tried when every trunk of an earlier one fails
    /// (Lync); false: only the first usage with a matching route (Teams).
    pub usage_fallthrough: bool,
}

/// A validated, indexed voice network.
#[derive(Debug, Clone)]
pub struct Model {
    /// Where the model came from (a path, or the built-in name).
    pub source: String,
    /// The model file's text, as read (written into run folders).
    pub text: String,
    pub name: String,
    pub description: String,
    pub settings: RoutingSettings,
    pub media: MediaSettings,
    pub bandwidth_policies: Vec<BandwidthPolicy>,
    /// Media bypass ID of each site (equal IDs: media may bypass the
    /// Mediation Server between them).
    pub bypass_id: Vec<u32>,
    /// Where call admission control counts audio, and which of them a
    /// session between two sites crosses ([`cac_path`](Self::cac_path)).
    pub cac_elements: Vec<CacElement>,
    pub cac_paths: cac_paths::CacPaths,
    pub regions: Vec<Region>,
    pub sites: Vec<Site>,
    pub links: Vec<WanLink>,
    pub registrar_pools: Vec<RegistrarPool>,
    pub mediation_pools: Vec<MediationPool>,
    pub peers: Vec<Peer>,
    pub trunks: Vec<Trunk>,
    pub trunk_configs: Vec<TrunkConfig>,
    pub dial_plans: Vec<DialPlan>,
    pub voice_policies: Vec<VoicePolicy>,
    pub location_policies: Vec<LocationPolicy>,
    /// The global PSTN usage list.
    pub usages: Vec<String>,
    pub routes: Vec<VoiceRoute>,
    pub user_groups: Vec<UserGroup>,
    pub wan: Wan,
    /// Routes carrying each usage, by Priority then file order.
    pub usage_routes: Vec<Vec<RouteId>>,
    /// Every route's `NumberPattern`, by [`RouteId`], decided in one pass.
    pub route_patterns: crate::pattern::patternset::PatternSet,
    /// Per usage, its routes (positions in `usage_routes`) by the leading
    /// characters a number must have for their pattern to match: a call
    /// tests only the routes it can match.
    pub route_index: Vec<crate::pattern::prefixindex::PrefixIndex>,
    pub directory: Directory,
    /// Effective dial plan of a caller at each site (site > global).
    pub site_dial_plan: Vec<DialPlanId>,
    /// Effective voice policy of a caller at each site (site > global).
    pub site_voice_policy: Vec<VoicePolicyId>,
    /// Effective location policy of a caller at each site (the network
    /// site's assigned policy > site > global).
    pub site_location_policy: Vec<LocationPolicyId>,
    /// Lints found while loading: checks that reached their cap (the
    /// inter-trunk loop check), reported by [`lint::lint`].
    pub load_lints: Vec<lint::Lint>,
}

impl Model {
    /// The CAC elements (indices into `cac_elements`) a session from site
    /// `a` to site `b` crosses, in order.
    #[inline]
    pub fn cac_path(&self, a: SiteId, b: SiteId) -> ShortList<u32> {
        self.cac_paths.path(&self.wan, a, b)
    }

    /// The built-in contoso example.
    pub fn contoso() -> Self {
        load_str(CONTOSO_TOML, CONTOSO_NAME).expect("the built-in contoso model is valid (tested)")
    }

    pub fn site(&self, id: SiteId) -> &Site {
        &self.sites[id.index()]
    }
    pub fn trunk(&self, id: TrunkId) -> &Trunk {
        &self.trunks[id.index()]
    }
    pub fn peer(&self, id: PeerId) -> &Peer {
        &self.peers[id.index()]
    }
    pub fn mediation_pool(&self, id: MediationPoolId) -> &MediationPool {
        &self.mediation_pools[id.index()]
    }
    pub fn trunk_config(&self, id: TrunkConfigId) -> &TrunkConfig {
        &self.trunk_configs[id.index()]
    }
    pub fn dial_plan(&self, id: DialPlanId) -> &DialPlan {
        &self.dial_plans[id.index()]
    }
    pub fn location_policy(&self, id: LocationPolicyId) -> &LocationPolicy {
        &self.location_policies[id.index()]
    }
    pub fn voice_policy(&self, id: VoicePolicyId) -> &VoicePolicy {
        &self.voice_policies[id.index()]
    }
    pub fn route(&self, id: RouteId) -> &VoiceRoute {
        &self.routes[id.index()]
    }
    pub fn usage(&self, id: UsageId) -> &str {
        &self.usages[id.index()]
    }
    pub fn user_group(&self, id: UserGroupId) -> &UserGroup {
        &self.user_groups[id.index()]
    }

    /// A site by name (case-insensitive, as Lync identities are).
    pub fn site_by_name(&self, name: &str) -> Option<SiteId> {
        find(&self.sites, |s| &s.name, name).map(SiteId::from_index)
    }
    /// A trunk by its simple name (an optional `PstnGateway:` is ignored).
    /// A trunk by name, or by its gateway's FQDN when the gateway has that
    /// one trunk (`PstnGateway:<fqdn>`, as Lync names a root trunk).
    pub fn trunk_by_name(&self, name: &str) -> Option<TrunkId> {
        let name = strip_service_prefix(name);
        find(&self.trunks, |t| &t.name, name).map(TrunkId::from_index).or_else(|| {
            let peer = find(&self.peers, |p| &p.fqdn, name).map(PeerId::from_index)?;
            let mut trunks = self.trunks_of_peer(peer);
            match (trunks.next(), trunks.next()) {
                (Some(t), None) => Some(t),
                _ => None,
            }
        })
    }
    /// A peer by name or FQDN.
    pub fn peer_by_name(&self, name: &str) -> Option<PeerId> {
        find(&self.peers, |p| &p.name, name).or_else(|| find(&self.peers, |p| &p.fqdn, name)).map(PeerId::from_index)
    }
    /// A user group by name.
    pub fn user_group_by_name(&self, name: &str) -> Option<UserGroupId> {
        find(&self.user_groups, |g| &g.name, name).map(UserGroupId::from_index)
    }
    /// The trunks whose peer is `peer`.
    pub fn trunks_of_peer(&self, peer: PeerId) -> impl Iterator<Item = TrunkId> + '_ {
        (0..self.trunks.len()).map(TrunkId::from_index).filter(move |t| self.trunk(*t).peer == peer)
    }
}

fn find<T>(items: &[T], key: impl Fn(&T) -> &String, name: &str) -> Option<usize> {
    items.iter().position(|it| same_name(key(it), name))
}

/// Whether two names are one: names and identities are case-insensitive,
/// as the model loads them (accented letters included: `ZÜRICH` is
/// `Zürich`).
pub fn same_name(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// `PstnGateway:gw1` and `service:PstnGateway:gw1` both name trunk `gw1`.
pub(crate) fn strip_service_prefix(name: &str) -> &str {
    let n = name.trim();
    let n = strip_prefix_ci(n, "service:").unwrap_or(n);
    strip_prefix_ci(n, "PstnGateway:").unwrap_or(n)
}

pub(crate) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len() && s.is_char_boundary(prefix.len()) && s[..prefix.len()].eq_ignore_ascii_case(prefix))
        .then(|| &s[prefix.len()..])
}

impl Model {
    /// The Registrar pool running region `r`'s Bandwidth Policy Service:
    /// the first Front End or Standard Edition pool, in file order, of its
    /// central site, or none (docs/lync-behaviour.md, "Call admission
    /// control").
    pub fn bandwidth_policy_pool(&self, r: RegionId) -> Option<RegistrarPoolId> {
        let central = self.regions.get(r.index())?.central_site;
        self.registrar_pools
            .iter()
            .position(|p| {
                p.site == central && matches!(p.kind, RegistrarKind::FrontEnd | RegistrarKind::StandardEdition)
            })
            .map(RegistrarPoolId::from_index)
    }

    /// A user by group name (its first user), `group#index`, or Line URI.
    pub fn find_user(&self, text: &str) -> Result<(UserGroupId, u32), String> {
        let t = text.trim();
        let t = t.strip_prefix("tel:").unwrap_or(t);
        if t.starts_with('+') {
            return self
                .directory
                .lookup(t)
                .map(|e| (e.group, e.index))
                .ok_or_else(|| format!("no Enterprise Voice user has the Line URI {t}"));
        }
        let (name, index) = match t.split_once('#') {
            Some((n, i)) => (n, i.parse::<u32>().map_err(|_| format!("`{i}` is not a user index in `{t}`"))?),
            None => (t, 0),
        };
        let group = self.user_group_by_name(name).ok_or_else(|| {
            let known: Vec<&str> = self.user_groups.iter().map(|g| g.name.as_str()).collect();
            format!("no user group \"{name}\" (known: {})", known.join(", "))
        })?;
        let users = self.user_group(group).users;
        if index >= users {
            return Err(format!("user group \"{name}\" has {users} users; index {index} is out of range"));
        }
        Ok((group, index))
    }
}
