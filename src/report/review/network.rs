//! The network of a run in the report, from its `network.json`: its
//! sites, trunks and voice routes as tables, and its topology drawn, by
//! site up to [`limits::TOPOLOGY_SITES`], by region above.

use std::collections::BTreeMap;

use crate::analysis::schema::network::Network;
use crate::analysis::schema::summary::Summary;
use crate::analysis::schema::ResultFile;

use super::super::charts;
use super::super::limits;
use super::{push, Review};

/// The tables and the topology; an error names what `network.json`
/// refers to that it does not hold.
pub(super) fn section(r: &mut Review, n: &Network, summary: Option<&Summary>) -> Result<(), String> {
    let sites = n
        .sites
        .iter()
        .map(|st| {
            let peers: Vec<&str> = n.peers.iter().filter(|p| p.site == st.name).map(|p| p.name.as_str()).collect();
            vec![st.name.clone(), st.region.clone(), st.kind.clone(), peers.join("; ")]
        })
        .collect();
    let file = Network::FILE;
    let sites = limits::first(sites, limits::TABLE_ROWS);
    r.tables.push((
        limits::table_title("Sites", sites.kept.len(), sites.total, "the first", file),
        ["site", "region", "kind", "PSTN peers"].map(String::from).to_vec(),
        sites.kept,
    ));
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
    let trunks = limits::first(trunks, limits::TABLE_ROWS);
    r.tables.push((
        limits::table_title("Trunks", trunks.kept.len(), trunks.total, "the first", file),
        ["trunk", "Mediation pool", "peer", "peer kind", "max calls"].map(String::from).to_vec(),
        trunks.kept,
    ));
    let routes = n
        .routes
        .iter()
        .map(|v| vec![v.name.clone(), v.number_pattern.clone(), v.pstn_usages.join("; "), v.trunks.join("; ")])
        .collect();
    let routes = limits::first(routes, limits::TABLE_ROWS);
    r.tables.push((
        limits::table_title("Voice routes", routes.kept.len(), routes.total, "the first", file),
        ["route", "number pattern", "PSTN usages", "trunks"].map(String::from).to_vec(),
        routes.kept,
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
    if n.sites.len() <= limits::TOPOLOGY_SITES {
        push(r, "topology.svg", "The network: sites, WAN links, Mediation pools and PSTN peers", charts::topology(n));
    } else {
        let figures = summary.map(site_figures).unwrap_or_default();
        push(
            r,
            "topology.svg",
            "The network by region: sites, users and peers of each, the worst sites named, WAN links between regions",
            charts::regions(n, &figures),
        );
    }
    Ok(())
}

/// Each site's grade of service and poor-MOS share (means), the figures
/// that name a region's worst sites.
fn site_figures(s: &Summary) -> BTreeMap<String, charts::SiteFigures> {
    let mut out: BTreeMap<String, charts::SiteFigures> = BTreeMap::new();
    for g in &s.sites {
        out.entry(g.name.clone()).or_default().grade_of_service = g.grade_of_service.map(|e| e.mean);
    }
    for m in &s.mos.sites {
        out.entry(m.name.clone()).or_default().poor_share = m.poor_share.map(|e| e.mean);
    }
    out
}
