//! Stand-in servers for a folder without a topology export: one Registrar
//! pool and one stand-alone Mediation pool at the first central site, and
//! a PSTN gateway and its trunk for every gateway the routing objects
//! name, so the imported model loads and `voicetwin route` explains calls
//! at once. Every stand-in carries a TODO saying what to replace.

use super::super::Todo;
use crate::model::file::{MediationPoolFile, ModelFile, PeerFile, RegistrarPoolFile, TrunkFile};

/// A stand-in gateway's channels: one T1's.
pub const STAND_IN_CHANNELS: i64 = 23;

/// Adds the stand-ins to `model` (whose sites are built): `gateways` are
/// the trunk names routes and trunk-scoped objects use, `registrars` the
/// pools registrar-scoped objects name.
pub fn add(model: &mut ModelFile, gateways: &[String], registrars: &[String], todos: &mut Vec<Todo>) {
    let Some(home) = model.sites.iter().find(|s| s.kind == "central").or(model.sites.first()) else { return };
    let home = home.name.clone();
    let host = home.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let registrar = format!("registrar.{host}.invalid");
    let mediation = format!("mediation.{host}.invalid");
    let why = "a stand-in: the folder holds no topology (Get-CsTopology -AsXml); replace it with the real pool";
    model.registrar_pools.push(RegistrarPoolFile {
        fqdn: registrar.clone(),
        site: home.clone(),
        kind: "front-end".into(),
        servers: 1,
        backup_registrar: None,
    });
    todos.push(Todo::new("registrar_pool", &registrar, "", why));
    for fqdn in registrars {
        if !model.registrar_pools.iter().any(|p| p.fqdn.eq_ignore_ascii_case(fqdn)) {
            model.registrar_pools.push(RegistrarPoolFile {
                fqdn: fqdn.clone(),
                site: home.clone(),
                kind: "front-end".into(),
                servers: 1,
                backup_registrar: None,
            });
            todos.push(Todo::new(
                "registrar_pool",
                fqdn,
                "site",
                "a stand-in site and size: the folder holds no topology",
            ));
        }
    }
    if gateways.is_empty() {
        return;
    }
    model.mediation_pools.push(MediationPoolFile {
        fqdn: mediation.clone(),
        site: home.clone(),
        kind: "stand-alone".into(),
        collocated_with: None,
        next_hop_registrar: Some(registrar),
        servers: Some(1),
        calls_per_server: None,
        dns_load_balancing: true,
    });
    todos.push(Todo::new("mediation_pool", &mediation, "", why));
    for g in gateways {
        model.peers.push(PeerFile {
            name: g.clone(),
            fqdn: g.clone(),
            kind: "pstn-gateway".into(),
            site: home.clone(),
            t1_spans: None,
            e1_spans: None,
            channels: Some(STAND_IN_CHANNELS),
            session_limit: None,
            description: String::new(),
        });
        todos.push(Todo::new(
            "peer",
            g,
            "channels",
            format!(
                "a stand-in PSTN gateway of {STAND_IN_CHANNELS} channels at site {home}: the folder holds no topology \
                 saying its kind (gateway, IP-PBX, ITSP SBC), site and size"
            ),
        ));
        model.trunks.push(TrunkFile {
            name: g.clone(),
            mediation_pool: mediation.clone(),
            mediation_port: None,
            peer: g.clone(),
            peer_port: None,
            transport: "tls".into(),
            max_calls: None,
        });
        todos.push(Todo::new("trunk", g, "mediation_pool", "a stand-in: the folder holds no topology (Get-CsTrunk)"));
    }
}
