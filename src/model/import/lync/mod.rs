//! Lync Server 2013 / Skype for Business Server: the routing and call
//! admission control cmdlets' exports onto the model (docs/import-lync.md),
//! merged with the topology when the folder holds one.
//!
//! [`voice`] reads the routing objects, [`cac`] the network objects,
//! [`sites`] merges the topology's sites with CAC's, [`refs`] checks what
//! one cmdlet's objects say of another's, and [`standin`] stands servers in
//! for a folder without a topology so the model loads all the same.

pub mod cac;
pub mod refs;
pub mod rules;
pub mod sites;
pub mod standin;
pub mod voice;

use super::error::{ImportError, Problems};
use super::folder::Exports;
use super::{topology, Imported};
use crate::model::file::ModelFile;

pub fn read(exports: &Exports) -> Result<Imported, ImportError> {
    let mut problems = Problems::default();
    let voice = voice::read(exports, &mut problems)?;
    let cac = cac::read(exports, &mut problems)?;
    let topology = topology::read(exports).unwrap_or_else(|e| {
        problems.absorb(e);
        None
    });
    let mut imported = Imported::default();
    let m = &mut imported.model;
    m.dial_plans = voice.dial_plans;
    m.voice_policies = voice.voice_policies;
    m.voice_routes = voice.voice_routes;
    m.trunk_configurations = voice.trunk_configurations;
    m.location_policies = voice.location_policies;
    let usages_exported = voice.pstn_usages.is_some();
    m.pstn_usages = voice.pstn_usages.unwrap_or_default();
    if !usages_exported {
        for (_, _, _, u) in refs::usage_refs(exports, m) {
            if !m.pstn_usages.contains(&u) {
                m.pstn_usages.push(u);
            }
        }
        if !m.pstn_usages.is_empty() {
            imported.notes.push(
                "No Get-CsPstnUsage export: the PSTN usages are those the policies, routes and trunk \
                 configurations name."
                    .into(),
            );
        }
    }
    if let Some(b) = &cac.bypass {
        m.media.bypass = b.clone();
    }
    let scoped: Vec<String> = refs::scope_refs(exports, m).into_iter().filter(|r| r.2 == "site").map(|r| r.3).collect();
    let files = sites::CacFiles {
        region: cac_file(exports, "Get-CsNetworkRegion"),
        site: cac_file(exports, "Get-CsNetworkSite"),
    };
    let network = sites::build(topology.as_ref(), &cac, &scoped, &files, &mut imported.todos, &mut problems);
    let m = &mut imported.model;
    m.sites = network.sites;
    m.regions = network.regions;
    m.wan_links = network.wan_links;
    m.bandwidth_policies = cac.policies;
    m.subnets = cac.subnets;
    m.region_links = cac.region_links;
    m.inter_region_routes = cac.inter_region_routes;
    m.inter_site_policies = cac.inter_site_policies;
    if usages_exported {
        refs::usages(exports, m, &mut problems);
    }
    refs::within(exports, m, &mut problems);
    match topology {
        Some(t) => {
            refs::against_topology(exports, m, &t, &mut problems);
            m.registrar_pools = t.registrar_pools;
            m.mediation_pools = t.mediation_pools;
            m.peers = t.peers;
            m.trunks = t.trunks;
            imported.todos.extend(t.todos);
            imported.notes.extend(t.notes);
        }
        None => stand_in(exports, &mut imported),
    }
    problems.finish(imported)
}

/// The file a CAC object came from: its own cmdlet's, else the network configuration's.
fn cac_file(exports: &Exports, cmdlet: &str) -> String {
    if exports.has(cmdlet) {
        refs::file(exports, cmdlet)
    } else {
        refs::file(exports, "Get-CsNetworkConfiguration")
    }
}

/// Servers stood in for the missing topology, with a note saying so.
fn stand_in(exports: &Exports, imported: &mut Imported) {
    let m: &ModelFile = &imported.model;
    let mut gateways: Vec<String> = Vec::new();
    for (_, _, _, g) in refs::gateway_refs(exports, m) {
        if !gateways.iter().any(|k| k.eq_ignore_ascii_case(&g)) {
            gateways.push(g);
        }
    }
    let registrars: Vec<String> =
        refs::scope_refs(exports, m).into_iter().filter(|r| r.2 == "registrar").map(|r| r.3).collect();
    imported.notes.push(
        "No topology export (Get-CsTopology -AsXml): the Registrar and Mediation pools and every gateway are \
         stand-ins marked TODO."
            .into(),
    );
    standin::add(&mut imported.model, &gateways, &registrars, &mut imported.todos);
}
