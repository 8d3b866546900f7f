//! `network.json`: the network a run simulated, as the design review
//! shows it (its sites, trunks and routes as tables, its topology drawn),
//! taken from the loaded model when the run is written, so the report
//! never reads `model.toml` again. Objects refer to each other by name.

use serde::{Deserialize, Serialize};

use crate::model::Model;

use super::ResultFile;

/// Version of the `network.json` schema.
pub const SCHEMA_VERSION: u32 = 1;

/// `network.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Network {
    pub schema_version: u32,
    /// The model's `name`.
    pub name: String,
    /// Where the model came from (a path, or the built-in name).
    pub source: String,
    pub sites: Vec<NetworkSite>,
    pub links: Vec<NetworkLink>,
    pub mediation_pools: Vec<NetworkPool>,
    pub peers: Vec<NetworkPeer>,
    pub trunks: Vec<NetworkTrunk>,
    pub routes: Vec<NetworkRoute>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetworkSite {
    pub name: String,
    pub region: String,
    /// `central` or `branch`.
    pub kind: String,
    /// Enterprise Voice users at the site (its user groups' users).
    #[serde(default)]
    pub users: u64,
    /// The aggregate audio limit, in kbps, of the bandwidth policy on the
    /// site's link to its region (call admission control); null when the
    /// site has none or its policy sets no aggregate limit.
    #[serde(default)]
    pub cac_audio_limit_kbps: Option<u32>,
}

/// A WAN link between two sites.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetworkLink {
    pub name: String,
    pub sites: [String; 2],
    pub bandwidth_kbps: u32,
    /// One-way delay, in milliseconds (null in files written before it).
    #[serde(default)]
    pub one_way_delay_ms: Option<f64>,
    /// Jitter, in milliseconds.
    #[serde(default)]
    pub jitter_ms: Option<f64>,
    /// Packet loss, in percent (0.5 is 0.5%).
    #[serde(default)]
    pub loss_percent: Option<f64>,
    /// The aggregate audio limit, in kbps, of the bandwidth policy call
    /// admission control enforces on the link itself; null when it has
    /// none (CAC may then count on site or region links instead).
    #[serde(default)]
    pub cac_audio_limit_kbps: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetworkPool {
    pub fqdn: String,
    pub site: String,
    /// `stand-alone` or `collocated` (null in files written before it).
    #[serde(default)]
    pub kind: Option<String>,
    /// Mediation Servers in the pool.
    #[serde(default)]
    pub servers: Option<u32>,
    /// Concurrent non-bypass calls one server carries.
    #[serde(default)]
    pub calls_per_server: Option<u32>,
}

/// A gateway, IP-PBX or ITSP.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetworkPeer {
    pub name: String,
    /// `pstn-gateway`, `ip-pbx` or `itsp-sbc`.
    pub kind: String,
    pub site: String,
    /// A gateway's TDM voice channels; null for SIP peers.
    #[serde(default)]
    pub channels: Option<u32>,
    /// A gateway written in whole spans: how many, and of which kind
    /// (`span_kind`: `T1`, 23 channels each, or `E1`, 30); null otherwise.
    #[serde(default)]
    pub spans: Option<u32>,
    #[serde(default)]
    pub span_kind: Option<String>,
    /// A SIP peer's session limit (an ITSP's contracted sessions, an
    /// IP-PBX's trunk-group limit); null for a gateway or an IP-PBX
    /// without a limit.
    #[serde(default)]
    pub session_limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetworkTrunk {
    pub name: String,
    /// The Mediation pool's FQDN.
    pub mediation_pool: String,
    pub peer: String,
    /// Null when the trunk has no call limit.
    pub max_calls: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetworkRoute {
    pub name: String,
    /// As written in the model (a .NET regular expression).
    pub number_pattern: String,
    pub pstn_usages: Vec<String>,
    /// Trunk names, in the route's order.
    pub trunks: Vec<String>,
}

impl ResultFile for Network {
    const FILE: &'static str = "network.json";
    const SCHEMA_VERSION: u32 = SCHEMA_VERSION;
}

impl Network {
    /// The network of a loaded model.
    pub fn of(m: &Model) -> Self {
        use crate::model::{MediationKind, PeerKind};
        let site = |s: crate::model::SiteId| m.sites[s.index()].name.clone();
        let audio_limit = |p: Option<usize>| p.and_then(|p| m.bandwidth_policies.get(p)?.audio_limit_kbps);
        let ms = |d: crate::model::Micros| d.0 as f64 / 1000.0;
        Self {
            schema_version: SCHEMA_VERSION,
            name: m.name.clone(),
            source: m.source.clone(),
            sites: m
                .sites
                .iter()
                .enumerate()
                .map(|(i, s)| NetworkSite {
                    name: s.name.clone(),
                    region: m.regions[s.region.index()].name.clone(),
                    kind: match s.kind {
                        crate::model::SiteKind::Central => "central",
                        crate::model::SiteKind::Branch => "branch",
                    }
                    .to_owned(),
                    users: m.user_groups.iter().filter(|g| g.site.index() == i).map(|g| u64::from(g.users)).sum(),
                    cac_audio_limit_kbps: audio_limit(
                        m.cac_elements
                            .iter()
                            .find(|e| e.kind == crate::model::CacElementKind::SiteLink(i))
                            .map(|e| e.policy),
                    ),
                })
                .collect(),
            links: m
                .links
                .iter()
                .map(|l| NetworkLink {
                    name: l.name.clone(),
                    sites: [site(l.sites.0), site(l.sites.1)],
                    bandwidth_kbps: l.bandwidth_kbps,
                    one_way_delay_ms: Some(ms(l.one_way_delay)),
                    jitter_ms: Some(ms(l.jitter)),
                    loss_percent: Some(l.loss_percent),
                    cac_audio_limit_kbps: audio_limit(l.bandwidth_policy),
                })
                .collect(),
            mediation_pools: m
                .mediation_pools
                .iter()
                .map(|p| NetworkPool {
                    fqdn: p.fqdn.clone(),
                    site: site(p.site),
                    kind: Some(
                        match p.kind {
                            MediationKind::StandAlone => "stand-alone",
                            MediationKind::Collocated => "collocated",
                        }
                        .to_owned(),
                    ),
                    servers: Some(p.servers),
                    calls_per_server: Some(p.calls_per_server),
                })
                .collect(),
            peers: m
                .peers
                .iter()
                .map(|p| {
                    let (channels, session_limit) = match p.kind {
                        PeerKind::PstnGateway { channels } => (Some(channels), None),
                        PeerKind::IpPbx { session_limit } => (None, session_limit),
                        PeerKind::ItspSbc { session_limit } => (None, Some(session_limit)),
                    };
                    let spans = p.spans.filter(|_| channels.is_some());
                    NetworkPeer {
                        name: p.name.clone(),
                        kind: p.kind.label().to_owned(),
                        site: site(p.site),
                        channels,
                        spans: spans.zip(channels).map(|(k, c)| c / k.channels()),
                        span_kind: spans.map(|k| k.label().to_owned()),
                        session_limit,
                    }
                })
                .collect(),
            trunks: m
                .trunks
                .iter()
                .map(|t| NetworkTrunk {
                    name: t.name.clone(),
                    mediation_pool: m.mediation_pools[t.mediation_pool.index()].fqdn.clone(),
                    peer: m.peers[t.peer.index()].name.clone(),
                    max_calls: t.max_calls,
                })
                .collect(),
            routes: m
                .routes
                .iter()
                .map(|r| NetworkRoute {
                    name: r.name.clone(),
                    number_pattern: r.number_pattern.as_str().to_owned(),
                    pstn_usages: r.pstn_usages.iter().map(|u| m.usages[u.index()].clone()).collect(),
                    trunks: r.trunks.iter().map(|t| m.trunks[t.index()].name.clone()).collect(),
                })
                .collect(),
        }
    }
}
