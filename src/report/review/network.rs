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
    // The topology: every name it draws refers to something.
    for (what, site) in n
        .mediation_pools
        .iter()
        .map(|p| (&p.fqdn, &p.site))
        .chain(n.peers.iter().map(|p| (&p.name, &p.site)))
        .chain(n.links.iter().flat_map(|l| l.sites.iter().map(move |s| (&l.name, s))))
    {
        if !n.sites.iter().any(|s| &s.name == site) {
            return Err(format!("`{what}` is at `{site}`, not among its sites"));
        }
    }
    for t in &n.trunks {
        if !n.mediation_pools.iter().any(|p| p.fqdn == t.mediation_pool) {
            return Err(format!("trunk `{}` names Mediation pool `{}`, not among its pools", t.name, t.mediation_pool));
        }
    }
    push(r, "topology.svg", "The network: sites, WAN links, Mediation pools and PSTN peers", charts::topology(n));
    Ok(())
}
