//! Trunks from the JSON trunk lists: `Get-CsTrunk` (Lync Server 2013:
//! many trunks per gateway, each `PstnGateway:NAME`) and `Get-CsService
//! -PstnGateway` (Lync Server 2010: a gateway is its one trunk). Read when
//! the topology document lists no `<Trunk>`; they name the topology's
//! Mediation pools and sites.

use super::super::error::Problems;
use super::super::identity::{parse, service_fqdn, Scope};
use super::super::object::CmdletObject;
use super::map::{add_peer, transport, Index};
use super::Topology;
use crate::model::file::TrunkFile;

/// The gateway objects of a cmdlet's export: all of `Get-CsTrunk`'s; of
/// `Get-CsService`'s those whose Identity (or `Role`) is a PSTN gateway.
pub fn gateway_objects<'a>(objects: &'a [CmdletObject], cmdlet: &str) -> Vec<&'a CmdletObject> {
    let mut ignore = Problems::default();
    objects
        .iter()
        .filter(|o| {
            cmdlet == "Get-CsTrunk"
                || o.text("Role", &mut ignore).is_some_and(|r| r.to_ascii_lowercase().starts_with("pstngateway"))
                || o.text("Identity", &mut ignore).is_some_and(
                    |id| matches!(parse(&id), Ok((Scope::Service { role, .. }, _)) if role == "PstnGateway"),
                )
        })
        .collect()
}

/// The spellings read, first found first.
const GATEWAY: [&str; 3] = ["PoolFqdn", "PstnGateway", "Gateway"];
const GATEWAY_PORT: [&str; 5] =
    ["GatewaySipPort", "GatewayPort", "Port", "GatewaySipClientTlsPort", "GatewaySipClientTcpPort"];
const PROTOCOL: [&str; 4] = ["GatewaySipProtocol", "GatewayProtocol", "Protocol", "Transport"];
const MEDIATION_PORT: [&str; 2] = ["MediationServerPort", "MediationPort"];

/// Adds each object's trunk (and its gateway, when the topology lacks it).
/// `named`: the objects are trunks with names of their own (`Get-CsTrunk`);
/// else each is a gateway's one trunk, named after the gateway.
pub fn read(objects: &[&CmdletObject], named: bool, t: &mut Topology, ix: &Index, problems: &mut Problems) {
    for o in objects {
        let identity = o.required_text("Identity", problems).map(|id| service_fqdn(&id));
        let name = if named { o.text("TrunkName", problems).or(identity.clone()) } else { identity.clone() };
        let Some(name) = name else { continue };
        let gateway = first_text(o, &GATEWAY, problems).map(|(_, v)| service_fqdn(&v)).unwrap_or_else(|| name.clone());
        let peer = match t.peers.iter().find(|p| p.fqdn.eq_ignore_ascii_case(&gateway)) {
            Some(p) => p.name.clone(),
            None => {
                let site = o.text("SiteId", problems).map(|s| match parse(&s) {
                    Ok((Scope::Site(x), _)) => x,
                    _ => s,
                });
                match site.as_deref().and_then(|s| ix.site(s)) {
                    Some(site) => {
                        add_peer(t, &gateway, &site);
                        gateway.clone()
                    }
                    None => {
                        problems.push(
                            &o.file,
                            &o.label,
                            "SiteId",
                            format!(
                                "the gateway {gateway} is not in Get-CsTopology.xml, and SiteId ({}) names no site of it",
                                site.as_deref().unwrap_or("absent")
                            ),
                        );
                        continue;
                    }
                }
            }
        };
        let pool = o.required_text("MediationServer", problems).map(|m| service_fqdn(&m));
        let Some(pool) = pool else { continue };
        let Some(pool) = t.mediation_pools.iter().find(|p| p.fqdn.eq_ignore_ascii_case(&pool)).map(|p| p.fqdn.clone())
        else {
            problems.push(
                &o.file,
                &o.label,
                "MediationServer",
                format!("no Mediation pool in Get-CsTopology.xml has the FQDN {pool}"),
            );
            continue;
        };
        let port = first_whole(o, &GATEWAY_PORT, problems);
        let transport = match first_text(o, &PROTOCOL, problems) {
            Some((property, v)) => match transport(&v) {
                Ok(v) => v,
                Err(m) => {
                    problems.push(&o.file, &o.label, property, m);
                    continue;
                }
            },
            None if port.is_some_and(|(p, _)| p == "GatewaySipClientTcpPort") => "tcp".into(),
            None => "tls".into(),
        };
        t.trunks.push(TrunkFile {
            name,
            mediation_pool: pool,
            mediation_port: first_whole(o, &MEDIATION_PORT, problems).map(|(_, v)| v),
            peer,
            peer_port: port.map(|(_, v)| v),
            transport,
            max_calls: None,
        });
    }
}

fn first_text(o: &CmdletObject, names: &[&'static str], problems: &mut Problems) -> Option<(&'static str, String)> {
    names.iter().find_map(|n| o.text(n, problems).map(|v| (*n, v)))
}

/// The first of `names` holding a whole number (0 is Lync's "none").
fn first_whole(o: &CmdletObject, names: &[&'static str], problems: &mut Problems) -> Option<(&'static str, i64)> {
    names.iter().find_map(|n| o.whole(n, problems).filter(|v| *v != 0).map(|v| (*n, v)))
}
