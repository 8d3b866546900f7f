//! `Get-CsTrunk | ConvertTo-Json`: each trunk as Lync Server 2013 lists
//! it, its gateway by FQDN and its Mediation pool as a service identity.

use serde_json::{json, Value};

use crate::model::file::ModelFile;

pub fn json(m: &ModelFile) -> String {
    let trunks: Vec<Value> = m
        .trunks
        .iter()
        .map(|t| {
            let peer = m.peers.iter().find(|p| p.name == t.peer);
            json!({
                "Identity": format!("PstnGateway:{}", t.name),
                "TrunkName": t.name,
                "PoolFqdn": peer.map_or(t.peer.as_str(), |p| p.fqdn.as_str()),
                "SiteId": peer.map(|p| format!("Site:{}", p.site)),
                "GatewaySipPort": t.peer_port,
                "GatewaySipProtocol": if t.transport.eq_ignore_ascii_case("tcp") { "Tcp" } else { "Tls" },
                "MediationServer": format!("MediationServer:{}", t.mediation_pool),
                "MediationServerPort": t.mediation_port,
                "Routable": true,
            })
        })
        .collect();
    serde_json::to_string_pretty(&Value::Array(trunks)).unwrap_or_else(|_| "[]".into())
}
