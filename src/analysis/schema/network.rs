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
}

/// A WAN link between two sites.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetworkLink {
    pub name: String,
    pub sites: [String; 2],
    pub bandwidth_kbps: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetworkPool {
    pub fqdn: String,
    pub site: String,
}

/// A gateway, IP-PBX or ITSP.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetworkPeer {
    pub name: String,
    /// `pstn-gateway`, `ip-pbx` or `itsp-sbc`.
    pub kind: String,
    pub site: String,
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
        let site = |s: crate::model::SiteId| m.sites[s.index()].name.clone();
        Self {
            schema_version: SCHEMA_VERSION,
            name: m.name.clone(),
            source: m.source.clone(),
            sites: m
                .sites
                .iter()
                .map(|s| NetworkSite {
                    name: s.name.clone(),
                    region: m.regions[s.region.index()].name.clone(),
                    kind: match s.kind {
                        crate::model::SiteKind::Central => "central",
                        crate::model::SiteKind::Branch => "branch",
                    }
                    .to_owned(),
                })
                .collect(),
            links: m
                .links
                .iter()
                .map(|l| NetworkLink {
                    name: l.name.clone(),
                    sites: [site(l.sites.0), site(l.sites.1)],
                    bandwidth_kbps: l.bandwidth_kbps,
                })
                .collect(),
            mediation_pools: m
                .mediation_pools
                .iter()
                .map(|p| NetworkPool { fqdn: p.fqdn.clone(), site: site(p.site) })
                .collect(),
            peers: m
                .peers
                .iter()
                .map(|p| NetworkPeer { name: p.name.clone(), kind: p.kind.label().to_owned(), site: site(p.site) })
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
