//! The network of a run in the report, from its `network.json`: its
//! sites, trunks and voice routes as tables, and its topology drawn.

use crate::analysis::schema::network::Network;

use super::super::charts;
use super::{push, Review};

/// The tables and the topology; an error names what `network.json`
/// refers to that it does not hold.
pub(super) fn section(r: &mut Review, n: &Network) -> Result<(), String> {
    let sites = n
        .sites
        .iter()
        .map(|st| {
            let peers: Vec<&str> = n.peers.iter().filter(|p| p.site == st.name).map(|p| p.name.as_str()).collect();
            vec![st.name.clone(), st.region.clone(), st.kind.clone(), peers.join("; ")]
        })
        .collect();
    r.tables.push(("Sites".into(), ["site", "region", "kind", "PSTN peers"].map(String::from).to_vec(), sites));
    let peer = |name: &str| {
        n.peers
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| format!("a trunk names peer `{name}`, not among its peers"))
    };
    let mut trunks = Vec::new();
    for t in &n.trunks {
        let p = &n.peers[peer(&t.peer)?];
        trunks.push(vec![
            t.name.clone(),
            t.mediation_pool.clone(),
            p.name.clone(),
            p.kind.clone(),
            t.max_calls.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
        ]);
    }
    r.tables.push((
        "Trunks".into(),
        ["trunk", "Mediation pool", "peer", "peer kind", "max calls"].map(String::from).to_vec(),
        trunks,
    ));
    let routes = n
        .routes
        .iter()
        .map(|v| vec![v.name.clone(), v.number_pattern.clone(), v.pstn_usages.join("; "), v.trunks.join("; ")])
        .collect();
    r.tables.push((
        "Voice routes".into(),
        ["route", "number pattern", "PSTN usages", "trunks"].map(String::from).to_vec(),
        routes,
    ));
    // The topology: sites, then Mediation pools, then peers.
    let site = |name: &str| {
        n.sites.iter().position(|s| s.name == name).ok_or_else(|| format!("`{name}` is not among its sites"))
    };
    let mut nodes: Vec<charts::Node> =
        n.sites.iter().enumerate().map(|(i, st)| charts::Node { label: st.name.clone(), tier: 0, site: i }).collect();
    let pool0 = nodes.len();
    for p in &n.mediation_pools {
        let label = p.fqdn.split('.').next().unwrap_or(&p.fqdn).to_owned();
        nodes.push(charts::Node { label, tier: 1, site: site(&p.site)? });
    }
    let peer0 = nodes.len();
    for p in &n.peers {
        nodes.push(charts::Node { label: p.name.clone(), tier: 2, site: site(&p.site)? });
    }
    let mut edges: Vec<(usize, usize, String)> = Vec::new();
    for l in &n.links {
        let label = format!("{} Mbps", l.bandwidth_kbps as f64 / 1000.0);
        edges.push((site(&l.sites[0])?, site(&l.sites[1])?, label));
    }
    for t in &n.trunks {
        let pool = n.mediation_pools.iter().position(|p| p.fqdn == t.mediation_pool).ok_or_else(|| {
            format!("trunk `{}` names Mediation pool `{}`, not among its pools", t.name, t.mediation_pool)
        })?;
        edges.push((pool0 + pool, peer0 + peer(&t.peer)?, String::new()));
    }
    let title = format!("Topology: {}", n.name);
    push(
        r,
        "topology.svg",
        "The network: sites, WAN links, Mediation pools and PSTN peers",
        charts::topology(&title, &nodes, &edges),
    );
    Ok(())
}
