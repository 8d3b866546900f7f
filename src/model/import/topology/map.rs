//! The topology document's records resolved into the model's tables:
//! sites, Registrar and Mediation pools, gateways (peers) and the trunks
//! the document itself lists. Every reference that does not resolve is a
//! problem naming the element, its line and the attribute.

use std::collections::BTreeMap;

use super::super::error::Problems;
use super::super::Todo;
use super::xml::{element_at, XClusterRef, XService, XServiceId, XTrunk, Xml};
use super::{TopoSite, Topology};
use crate::model::file::{MediationPoolFile, PeerFile, RegistrarPoolFile, TrunkFile};

type Key = (String, String, String);

/// Lookups the trunk readers need after the document is resolved.
#[derive(Debug, Default)]
pub struct Index {
    /// SiteId → site name.
    sites: BTreeMap<String, String>,
    /// Cluster (SiteId, Number) → (FQDN, site name, machines, single).
    clusters: BTreeMap<(String, String), (String, String, usize, bool)>,
    /// Every service, by its ServiceId.
    services: BTreeMap<Key, usize>,
    /// Voice Registrar services → pool FQDN.
    registrars: BTreeMap<Key, String>,
    /// Mediation services → pool FQDN.
    mediation: BTreeMap<Key, String>,
    /// PSTN gateway services → peer name (its FQDN).
    gateways: BTreeMap<Key, String>,
}

impl Index {
    /// A site's name from its SiteId or its name (any case).
    pub fn site(&self, id_or_name: &str) -> Option<String> {
        let v = id_or_name.trim();
        self.sites.get(v).cloned().or_else(|| self.sites.values().find(|n| n.eq_ignore_ascii_case(v)).cloned())
    }
}

/// The role of a ServiceId, as the resolver knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Registrar,
    Mediation,
    Gateway,
    Other,
}

fn role(id: &XServiceId) -> Role {
    match id.role.to_ascii_lowercase().as_str() {
        "registrar" => Role::Registrar,
        "mediationserver" | "mediation" => Role::Mediation,
        "pstngateway" | "pstngatewayserver" => Role::Gateway,
        _ => Role::Other,
    }
}

/// Sites, pools and gateways of the document; trunks come later ([`trunks`]).
pub fn resolve(file: &str, xml: &Xml, problems: &mut Problems) -> (Topology, Index) {
    let mut t = Topology::default();
    let mut ix = Index::default();
    sites(file, xml, &mut t, &mut ix, problems);
    for c in &xml.clusters {
        let Some(site) = ix.sites.get(&c.site).cloned() else {
            problems.push(file, &element_at("Cluster", c.line), "SiteId", format!("no site has SiteId \"{}\"", c.site));
            continue;
        };
        let key = (c.site.clone(), c.number.clone());
        if ix.clusters.insert(key, (c.fqdn.clone(), site, c.machines, c.single)).is_some() {
            problems.push(
                file,
                &element_at("Cluster", c.line),
                "Number",
                format!("a second cluster with SiteId \"{}\" Number \"{}\"", c.site, c.number),
            );
        }
    }
    for (i, s) in xml.services.iter().enumerate() {
        if ix.services.insert(s.id.key(), i).is_some() && role(&s.id) != Role::Other {
            problems.push(
                file,
                &element_at("ServiceId", s.id.line),
                "Instance",
                format!("a second service with {}", s.id.describe()),
            );
        }
    }
    let mut directors = 0;
    for s in xml.services.iter().filter(|s| role(&s.id) == Role::Registrar) {
        if s.director {
            directors += 1;
            continue;
        }
        let Some((fqdn, site, machines, single)) = cluster_of(file, s, &ix, problems) else { continue };
        ix.registrars.insert(s.id.key(), fqdn.clone());
        if t.registrar_pools.iter().any(|p| p.fqdn.eq_ignore_ascii_case(&fqdn)) {
            continue;
        }
        let central = t.sites.iter().any(|x| x.name == site && x.central);
        let kind = match (central, single) {
            (true, false) => "front-end",
            (true, true) => "standard-edition",
            (false, _) => "sba",
        };
        let servers = if kind == "front-end" { machines.max(1) as i64 } else { 1 };
        t.registrar_pools.push(RegistrarPoolFile { fqdn, site, kind: kind.into(), servers, backup_registrar: None });
    }
    backups(file, xml, &mut t, &ix, problems);
    for s in xml.services.iter().filter(|s| role(&s.id) == Role::Mediation) {
        let Some((fqdn, site, machines, _)) = cluster_of(file, s, &ix, problems) else { continue };
        ix.mediation.insert(s.id.key(), fqdn.clone());
        if t.mediation_pools.iter().any(|p| p.fqdn.eq_ignore_ascii_case(&fqdn)) {
            continue;
        }
        let collocated = t.registrar_pools.iter().any(|p| p.fqdn.eq_ignore_ascii_case(&fqdn));
        let next_hop = depends_on(file, s, Role::Registrar, &ix, problems).and_then(|k| ix.registrars.get(&k).cloned());
        t.mediation_pools.push(if collocated {
            MediationPoolFile {
                fqdn: fqdn.clone(),
                site,
                kind: "collocated".into(),
                collocated_with: Some(fqdn.clone()),
                next_hop_registrar: next_hop.filter(|h| !h.eq_ignore_ascii_case(&fqdn)),
                servers: None,
                calls_per_server: None,
                dns_load_balancing: true,
            }
        } else {
            MediationPoolFile {
                fqdn,
                site,
                kind: "stand-alone".into(),
                collocated_with: None,
                next_hop_registrar: next_hop,
                servers: Some(machines.max(1) as i64),
                calls_per_server: None,
                dns_load_balancing: true,
            }
        });
    }
    for s in xml.services.iter().filter(|s| role(&s.id) == Role::Gateway) {
        let Some((fqdn, site, _, _)) = cluster_of(file, s, &ix, problems) else { continue };
        ix.gateways.insert(s.id.key(), fqdn.clone());
        if !t.peers.iter().any(|p| p.fqdn.eq_ignore_ascii_case(&fqdn)) {
            add_peer(&mut t, &fqdn, &site);
        }
    }
    t.notes.push(format!(
        "Topology: {} site(s), {} Registrar pool(s), {} Mediation pool(s), {} gateway(s) from {}{}.",
        t.sites.len(),
        t.registrar_pools.len(),
        t.mediation_pools.len(),
        t.peers.len(),
        file_name(file),
        if directors > 0 {
            format!("; {directors} Director Registrar(s) left out (they home no users)")
        } else {
            String::new()
        }
    ));
    (t, ix)
}

fn file_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

fn sites(file: &str, xml: &Xml, t: &mut Topology, ix: &mut Index, problems: &mut Problems) {
    for s in &xml.sites {
        let element = if s.central { "CentralSite" } else { "BranchSite" };
        if ix.sites.insert(s.id.clone(), s.name.clone()).is_some() {
            problems.push(
                file,
                &element_at(element, s.line),
                "SiteId",
                format!("a second site with SiteId \"{}\"", s.id),
            );
            continue;
        }
        if t.sites.iter().any(|x| x.name.eq_ignore_ascii_case(&s.name)) {
            problems.push(file, &element_at(element, s.line), "Name", format!("a second site named \"{}\"", s.name));
            continue;
        }
        t.sites.push(TopoSite { name: s.name.clone(), central: s.central, parent: None, country: s.country.clone() });
    }
    for s in xml.sites.iter().filter(|s| !s.central) {
        let Some((attr, value)) = &s.parent else { continue };
        let parent = ix.site(value);
        let central = parent.as_ref().and_then(|p| xml.sites.iter().find(|x| &x.name == p)).is_some_and(|x| x.central);
        match parent {
            Some(p) if central => {
                if let Some(x) = t.sites.iter_mut().find(|x| x.name == s.name) {
                    x.parent = Some(p);
                }
            }
            Some(p) => problems.push(
                file,
                &element_at("BranchSite", s.line),
                attr,
                format!("names the branch site \"{p}\"; a branch site's parent is a central site"),
            ),
            None => problems.push(
                file,
                &element_at("BranchSite", s.line),
                attr,
                format!("no site has SiteId or Name \"{value}\""),
            ),
        }
    }
}

/// The cluster a service is installed on: (FQDN, site, machines, single).
fn cluster_of(file: &str, s: &XService, ix: &Index, problems: &mut Problems) -> Option<(String, String, usize, bool)> {
    let Some(XClusterRef { site, number, line }) = &s.installed_on else {
        problems.push(
            file,
            &element_at("Service", s.line),
            "InstalledOn",
            format!("the service {} is installed on no cluster (<InstalledOn><ClusterId .../>)", s.id.describe()),
        );
        return None;
    };
    let found = ix.clusters.get(&(site.clone(), number.clone())).cloned();
    if found.is_none() {
        problems.push(
            file,
            &element_at("ClusterId", *line),
            "Number",
            format!("no <Cluster> has <ClusterId SiteId=\"{site}\" Number=\"{number}\">"),
        );
    }
    found
}

/// The first service of `want`'s role that `s` depends on; a dependency
/// on a service the document does not hold is a problem.
fn depends_on(file: &str, s: &XService, want: Role, ix: &Index, problems: &mut Problems) -> Option<Key> {
    let (_, id) = s.depends.iter().find(|(_, id)| role(id) == want)?;
    known(file, id, ix, problems).then(|| id.key())
}

/// Whether the document holds the service a dependency names; a problem
/// naming the dependency's line when it does not.
fn known(file: &str, id: &XServiceId, ix: &Index, problems: &mut Problems) -> bool {
    let found = ix.services.contains_key(&id.key());
    if !found {
        problems.push(
            file,
            &element_at("ServiceId", id.line),
            "Instance",
            format!("no <Service> has <ServiceId {}>", id.describe()),
        );
    }
    found
}

/// A Registrar's dependency on another Registrar of `Usage` naming a
/// backup (`BackupRegistrar`; Lync's resiliency pairing) is its backup.
fn backups(file: &str, xml: &Xml, t: &mut Topology, ix: &Index, problems: &mut Problems) {
    for s in xml.services.iter().filter(|s| role(&s.id) == Role::Registrar && !s.director) {
        let Some(own) = ix.registrars.get(&s.id.key()) else { continue };
        for (usage, id) in &s.depends {
            let u = usage.to_ascii_lowercase();
            if role(id) != Role::Registrar || !(u.contains("backup") || u.contains("resilien")) {
                continue;
            }
            if !known(file, id, ix, problems) {
                continue;
            }
            if let Some(backup) = ix.registrars.get(&id.key()) {
                if let Some(p) = t.registrar_pools.iter_mut().find(|p| &p.fqdn == own) {
                    p.backup_registrar.get_or_insert_with(|| backup.clone());
                }
            }
        }
    }
}

/// T1 countries: a placeholder gateway there has one T1 span, elsewhere one E1.
const T1_COUNTRIES: [&str; 4] = ["US", "CA", "PR", "JP"];

/// A gateway as a peer of kind `pstn-gateway` with one span as a
/// placeholder, and the two Todos saying so.
pub fn add_peer(t: &mut Topology, fqdn: &str, site: &str) {
    let country = t.sites.iter().find(|s| s.name == site).and_then(|s| s.country.clone()).unwrap_or_default();
    let t1 = T1_COUNTRIES.iter().any(|c| c.eq_ignore_ascii_case(&country));
    let (field, span) = if t1 { ("t1_spans", "T1") } else { ("e1_spans", "E1") };
    t.peers.push(PeerFile {
        name: fqdn.to_owned(),
        fqdn: fqdn.to_owned(),
        kind: "pstn-gateway".into(),
        site: site.to_owned(),
        t1_spans: t1.then_some(1),
        e1_spans: (!t1).then_some(1),
        channels: None,
        session_limit: None,
        description: String::new(),
    });
    t.todos.push(Todo::new(
        "peer",
        fqdn,
        field,
        format!(
            "placeholder: one {span} span; the topology does not give a gateway's spans or channels \
             (set t1_spans, e1_spans or channels)"
        ),
    ));
    t.todos.push(Todo::new(
        "peer",
        fqdn,
        "kind",
        "the topology lists PSTN gateways, IP-PBXs and ITSP SBCs alike as PstnGateway services: set \
         kind = \"ip-pbx\" (session_limit optional) or \"itsp-sbc\" (session_limit required) and drop the spans \
         if this is one",
    ));
}

/// The model's transport for a protocol as Lync writes it (`Tls`, `Tcp`).
pub fn transport(protocol: &str) -> Result<String, String> {
    match protocol.trim().to_ascii_lowercase().as_str() {
        "tls" | "mtls" => Ok("tls".into()),
        "tcp" => Ok("tcp".into()),
        other => Err(format!("`{other}` is not a trunk transport: Tls or Tcp")),
    }
}

/// The trunks of the document: each `<Trunk>` of a gateway's service, or,
/// for a gateway without any, its root trunk (named after the gateway, to
/// the Mediation service it depends on, on the port of its `<Port>`).
pub fn trunks(file: &str, xml: &Xml, t: &mut Topology, ix: &Index, problems: &mut Problems) {
    let mut roots = 0;
    for s in xml.services.iter().filter(|s| role(&s.id) == Role::Gateway) {
        let Some(peer) = ix.gateways.get(&s.id.key()).cloned() else { continue };
        let fallback = depends_on(file, s, Role::Mediation, ix, problems).and_then(|k| ix.mediation.get(&k).cloned());
        if !s.trunks.is_empty() {
            for x in &s.trunks {
                if let Some(trunk) = listed_trunk(file, x, &peer, fallback.as_deref(), t, ix, problems) {
                    t.trunks.push(trunk);
                }
            }
            continue;
        }
        let Some(pool) = fallback else {
            problems.push(
                file,
                &element_at("Service", s.line),
                "DependsOn",
                format!(
                    "the gateway {peer} is associated with no Mediation pool (a <Dependency> on a MediationServer \
                     <ServiceId>) and lists no <Trunk>"
                ),
            );
            continue;
        };
        let port = s.ports.iter().find(|p| p.port.is_some());
        let transport = match port.and_then(|p| p.protocol.as_deref().map(|v| (p.line, v))) {
            Some((line, v)) => match transport(v) {
                Ok(v) => v,
                Err(m) => {
                    problems.push(file, &element_at("Port", line), "Protocol", m);
                    continue;
                }
            },
            None => "tls".into(),
        };
        roots += 1;
        t.trunks.push(TrunkFile {
            name: peer.clone(),
            mediation_pool: pool,
            mediation_port: None,
            peer: peer.clone(),
            peer_port: port.and_then(|p| p.port),
            transport,
            max_calls: None,
        });
    }
    if roots > 0 {
        t.notes.push(format!(
            "Trunks: {roots} gateway root trunk(s) from the topology's gateway services (Mediation port: the \
             model's default)."
        ));
    }
}

fn listed_trunk(
    file: &str,
    x: &XTrunk,
    peer: &str,
    fallback: Option<&str>,
    t: &Topology,
    ix: &Index,
    problems: &mut Problems,
) -> Option<TrunkFile> {
    let object = element_at("Trunk", x.line);
    let pool = if let Some(id) = &x.mediation {
        let found = ix.mediation.get(&id.key()).cloned();
        if found.is_none() {
            problems.push(
                file,
                &element_at("ServiceId", id.line),
                "Instance",
                format!("no Mediation <Service> has <ServiceId {}>", id.describe()),
            );
        }
        found
    } else if let Some((attr, v)) = &x.mediation_attr {
        let fqdn = super::super::identity::service_fqdn(v);
        let found = t.mediation_pools.iter().find(|p| p.fqdn.eq_ignore_ascii_case(&fqdn)).map(|p| p.fqdn.clone());
        if found.is_none() {
            problems.push(file, &object, attr, format!("no Mediation pool in the topology has the FQDN {fqdn}"));
        }
        found
    } else {
        let found = fallback.map(str::to_owned);
        if found.is_none() {
            problems.push(file, &object, "MediationServer", "names no Mediation pool, and its gateway depends on none");
        }
        found
    };
    let transport = match &x.protocol {
        Some((attr, v)) => match transport(v) {
            Ok(v) => v,
            Err(m) => {
                problems.push(file, &object, attr, m);
                return None;
            }
        },
        None => "tls".into(),
    };
    Some(TrunkFile {
        name: x.name.clone().unwrap_or_else(|| peer.to_owned()),
        mediation_pool: pool?,
        mediation_port: x.mediation_port,
        peer: peer.to_owned(),
        peer_port: x.gateway_port,
        transport,
        max_calls: None,
    })
}

/// Routes name trunks: two of one name are a problem.
pub fn check_trunk_names(t: &Topology, file: &str, problems: &mut Problems) {
    let mut seen: Vec<&str> = Vec::new();
    for trunk in &t.trunks {
        if seen.iter().any(|s| s.eq_ignore_ascii_case(&trunk.name)) {
            problems.push(file, &format!("trunk {}", trunk.name), "TrunkName", "a second trunk of this name");
        } else {
            seen.push(&trunk.name);
        }
    }
}
