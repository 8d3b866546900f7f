//! The topology document: sites, one cluster per pool and gateway, and
//! Registrar, Mediation and PstnGateway services, each gateway's trunks
//! inside its service, in the shape `voicetwin import` reads
//! (`model::import::topology::xml`).

use std::fmt::Write;

use crate::model::file::ModelFile;

/// Services' and clusters' identities: numbered per site as Topology
/// Builder numbers them.
struct Ids {
    /// Site name → SiteId.
    sites: Vec<(String, usize)>,
    /// Next cluster number and service instance, per site.
    clusters: Vec<(usize, usize)>,
}

impl Ids {
    fn site(&self, name: &str) -> usize {
        self.sites.iter().find(|(n, _)| n == name).map_or(0, |(_, id)| *id)
    }
}

/// A service's `<ServiceId>` text.
fn service_id(site: usize, role: &str, instance: usize) -> String {
    format!("<ServiceId SiteId=\"{site}\" RoleName=\"{role}\" Instance=\"{instance}\" />")
}

pub fn document(m: &ModelFile) -> String {
    let mut ids = Ids { sites: Vec::new(), clusters: Vec::new() };
    for (i, s) in m.sites.iter().enumerate() {
        ids.sites.push((s.name.clone(), i + 1));
        ids.clusters.push((0, 0));
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<Topology xmlns=\"urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008\">\n  <InternalDomains />\n  <Sites>\n");
    for s in &m.sites {
        let id = ids.site(&s.name);
        let central = s.kind == "central";
        let parent = m
            .regions
            .iter()
            .find(|r| r.name == s.region)
            .map(|r| ids.site(&r.central_site))
            .filter(|p| !central && *p != 0);
        let tag = if central { "CentralSite" } else { "BranchSite" };
        let _ = write!(out, "    <{tag} SiteId=\"{id}\"");
        if let Some(p) = parent {
            let _ = write!(out, " CentralSiteId=\"{p}\"");
        }
        let _ = writeln!(out, ">\n      <Name>{}</Name>", esc(&s.name));
        if !s.country.is_empty() {
            let _ = writeln!(out, "      <Location CountryCode=\"{}\" />", esc(&s.country));
        }
        let _ = writeln!(out, "    </{tag}>");
    }
    out.push_str("  </Sites>\n  <Clusters>\n");
    // Clusters: each Registrar pool, each stand-alone Mediation pool, each peer.
    let mut clusters: Vec<(String, usize, usize)> = Vec::new(); // fqdn, site id, number
    let mut add = |out: &mut String, ids: &mut Ids, fqdn: &str, site: &str, machines: i64, single: bool| {
        let site = ids.site(site);
        let Some(slot) = ids.clusters.get_mut(site.wrapping_sub(1)) else { return };
        slot.0 += 1;
        let number = slot.0;
        clusters.push((fqdn.to_owned(), site, number));
        let _ = writeln!(
            out,
            "    <Cluster Fqdn=\"{}\" IsSingleMachineOnly=\"{single}\">\n      <ClusterId SiteId=\"{site}\" Number=\"{number}\" />",
            esc(fqdn)
        );
        let (host, domain) = fqdn.split_once('.').unwrap_or((fqdn, ""));
        for k in 1..=machines.max(1) {
            let machine = if domain.is_empty() { format!("{host}-{k}") } else { format!("{host}-{k}.{domain}") };
            let _ = writeln!(out, "      <Machine OrdinalInCluster=\"{k}\" Fqdn=\"{}\" />", esc(&machine));
        }
        out.push_str("    </Cluster>\n");
    };
    for p in &m.registrar_pools {
        add(&mut out, &mut ids, &p.fqdn, &p.site, p.servers, p.kind != "front-end");
    }
    for p in m.mediation_pools.iter().filter(|p| p.kind != "collocated") {
        add(&mut out, &mut ids, &p.fqdn, &p.site, p.servers.unwrap_or(1), false);
    }
    for p in &m.peers {
        add(&mut out, &mut ids, &p.fqdn, &p.site, 1, true);
    }
    out.push_str("  </Clusters>\n  <Services>\n");
    let cluster = |fqdn: &str| clusters.iter().find(|(f, _, _)| f == fqdn).map(|(_, s, n)| (*s, *n));
    // Services: (role, key) → ServiceId text, for dependencies.
    let mut services: Vec<(&str, String, String)> = Vec::new();
    let instance = |ids: &mut Ids, site: usize| {
        ids.clusters.get_mut(site.wrapping_sub(1)).map_or(1, |slot| {
            slot.1 += 1;
            slot.1
        })
    };
    for p in &m.registrar_pools {
        let site = ids.site(&p.site);
        let sid = service_id(site, "Registrar", instance(&mut ids, site));
        services.push(("Registrar", p.fqdn.clone(), sid));
    }
    for p in &m.mediation_pools {
        let site = ids.site(&p.site);
        let sid = service_id(site, "MediationServer", instance(&mut ids, site));
        services.push(("MediationServer", p.fqdn.clone(), sid));
    }
    for p in &m.peers {
        let site = ids.site(&p.site);
        let sid = service_id(site, "PstnGateway", instance(&mut ids, site));
        services.push(("PstnGateway", p.name.clone(), sid));
    }
    let find =
        |role: &str, key: &str| services.iter().find(|(r, k, _)| *r == role && k == key).map(|(_, _, s)| s.clone());
    let installed = |fqdn: &str| {
        cluster(fqdn).map_or(String::new(), |(s, n)| {
            format!("      <InstalledOn>\n        <ClusterId SiteId=\"{s}\" Number=\"{n}\" />\n      </InstalledOn>\n")
        })
    };
    let depends = |deps: &[(&str, Option<String>)]| {
        let deps: Vec<String> = deps
            .iter()
            .filter_map(|(usage, sid)| {
                sid.as_ref().map(|sid| {
                    format!("        <Dependency Usage=\"{usage}\">\n          {sid}\n        </Dependency>\n")
                })
            })
            .collect();
        if deps.is_empty() {
            String::new()
        } else {
            format!("      <DependsOn>\n{}      </DependsOn>\n", deps.concat())
        }
    };
    let service = |out: &mut String, kind: &str, sid: &str, body: String| {
        let _ = write!(
            out,
            "    <Service Type=\"Microsoft.Rtc.Management.Deploy.Internal.ServiceRoles.{kind}\">\n      {sid}\n{body}    </Service>\n"
        );
    };
    for p in &m.registrar_pools {
        let Some(sid) = find("Registrar", &p.fqdn) else { continue };
        let backup = p.backup_registrar.as_deref().and_then(|b| find("Registrar", b));
        service(&mut out, "RegistrarService", &sid, depends(&[("BackupRegistrar", backup)]) + &installed(&p.fqdn));
    }
    for p in &m.mediation_pools {
        let Some(sid) = find("MediationServer", &p.fqdn) else { continue };
        let host = if p.kind == "collocated" { p.collocated_with.as_deref().unwrap_or(&p.fqdn) } else { &p.fqdn };
        let next_hop = p
            .next_hop_registrar
            .as_deref()
            .or(p.collocated_with.as_deref())
            .or_else(|| m.registrar_pools.iter().find(|r| r.site == p.site).map(|r| r.fqdn.as_str()));
        let registrar = next_hop.and_then(|r| find("Registrar", r));
        service(&mut out, "MediationService", &sid, depends(&[("Default", registrar)]) + &installed(host));
    }
    for p in &m.peers {
        let Some(sid) = find("PstnGateway", &p.name) else { continue };
        let trunks: Vec<_> = m.trunks.iter().filter(|t| t.peer == p.name).collect();
        let first = trunks.first().and_then(|t| find("MediationServer", &t.mediation_pool));
        let mut body = depends(&[("Default", first)]) + &installed(&p.fqdn);
        if !trunks.is_empty() {
            body.push_str("      <Trunks>\n");
            for t in trunks {
                let _ = write!(body, "        <Trunk TrunkName=\"{}\"", esc(&t.name));
                if let Some(port) = t.peer_port {
                    let _ = write!(body, " GatewaySipPort=\"{port}\"");
                }
                let protocol = if t.transport.eq_ignore_ascii_case("tcp") { "Tcp" } else { "Tls" };
                let _ = write!(body, " GatewaySipProtocol=\"{protocol}\"");
                if let Some(port) = t.mediation_port {
                    let _ = write!(body, " MediationServerPort=\"{port}\"");
                }
                match find("MediationServer", &t.mediation_pool) {
                    Some(sid) => {
                        let _ = write!(body, ">\n          {sid}\n        </Trunk>\n");
                    }
                    None => body.push_str(" />\n"),
                }
            }
            body.push_str("      </Trunks>\n");
        }
        service(&mut out, "PstnGatewayService", &sid, body);
    }
    out.push_str("  </Services>\n</Topology>\n");
    out
}

/// Text escaped for an attribute or element.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
