//! `Get-CsTopology -AsXml` read into plain records, each with its line.
//!
//! The public record of the document's schema is thin, so the reader is
//! tolerant: elements and attributes are matched by local name in any
//! case (whatever the namespace), and where the documentation does not
//! settle a spelling every plausible one is accepted (docs/import-topology.md
//! lists them). Nothing is resolved here; [`super::map`] does that.

use roxmltree::{Document, Node};

use super::super::error::{ImportError, Problems};

/// A `<CentralSite>` or `<BranchSite>`.
#[derive(Debug, Clone)]
pub struct XSite {
    pub id: String,
    pub name: String,
    pub central: bool,
    /// A branch site's central site: the attribute's name, its value (a
    /// SiteId or a site name) and the line.
    pub parent: Option<(String, String)>,
    pub country: Option<String>,
    pub line: u32,
}

/// A `<Cluster>`: a pool, or a gateway (every machine is in a cluster).
#[derive(Debug, Clone)]
pub struct XCluster {
    pub site: String,
    pub number: String,
    pub fqdn: String,
    pub machines: usize,
    /// `IsSingleMachineOnly`: a Standard Edition server (or an SBA/SBS).
    pub single: bool,
    pub line: u32,
}

/// A `<ServiceId>`: site, role and instance name one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XServiceId {
    pub site: String,
    pub role: String,
    pub instance: String,
    pub line: u32,
}

impl XServiceId {
    pub fn key(&self) -> (String, String, String) {
        (self.site.clone(), self.role.to_ascii_lowercase(), self.instance.clone())
    }

    pub fn describe(&self) -> String {
        format!("SiteId=\"{}\" RoleName=\"{}\" Instance=\"{}\"", self.site, self.role, self.instance)
    }
}

/// A `<ClusterId>` reference (`InstalledOn`).
#[derive(Debug, Clone)]
pub struct XClusterRef {
    pub site: String,
    pub number: String,
    pub line: u32,
}

/// A `<Port>` of a service.
#[derive(Debug, Clone)]
pub struct XPort {
    pub port: Option<i64>,
    pub protocol: Option<String>,
    pub line: u32,
}

/// A `<Trunk>` inside a PSTN gateway's service (Lync Server 2013).
#[derive(Debug, Clone)]
pub struct XTrunk {
    pub name: Option<String>,
    pub gateway_port: Option<i64>,
    pub protocol: Option<(String, String)>,
    /// The Mediation service: a `<ServiceId>` child, or an attribute
    /// (`MediationServer="MediationServer:med.contoso.com"`).
    pub mediation: Option<XServiceId>,
    pub mediation_attr: Option<(String, String)>,
    pub mediation_port: Option<i64>,
    pub line: u32,
}

/// A `<Service>`.
#[derive(Debug, Clone)]
pub struct XService {
    pub id: XServiceId,
    /// A Director's Registrar: not a voice Registrar.
    pub director: bool,
    pub installed_on: Option<XClusterRef>,
    /// `<DependsOn><Dependency Usage=..><ServiceId/>`.
    pub depends: Vec<(String, XServiceId)>,
    pub ports: Vec<XPort>,
    pub trunks: Vec<XTrunk>,
    pub line: u32,
}

/// The records of one topology document.
#[derive(Debug, Default)]
pub struct Xml {
    pub sites: Vec<XSite>,
    pub clusters: Vec<XCluster>,
    pub services: Vec<XService>,
}

/// Reads the document `text` of `file`; a document that is not XML is a
/// file error, missing attributes are problems.
pub fn parse(file: &str, text: &str, problems: &mut Problems) -> Result<Xml, ImportError> {
    let doc = Document::parse(text)
        .map_err(|e| ImportError::File { path: file.to_owned(), message: format!("not XML: {e}") })?;
    let root = doc.root_element();
    if !is(root, "Topology") {
        return Err(ImportError::File {
            path: file.to_owned(),
            message: format!(
                "the document's root element is <{}>, not <Topology> as Get-CsTopology -AsXml writes it",
                root.tag_name().name()
            ),
        });
    }
    let r = Reader { doc: &doc, file };
    let mut xml = Xml::default();
    for sites in children(root, "Sites") {
        for s in sites.children().filter(Node::is_element) {
            let central = is(s, "CentralSite");
            if central || is(s, "BranchSite") || is(s, "BranchOfficeSite") {
                if let Some(site) = r.site(s, central, problems) {
                    xml.sites.push(site);
                }
            }
        }
    }
    for clusters in children(root, "Clusters") {
        for c in children(clusters, "Cluster") {
            if let Some(cluster) = r.cluster(c, problems) {
                xml.clusters.push(cluster);
            }
        }
    }
    for services in children(root, "Services") {
        for s in children(services, "Service") {
            if let Some(service) = r.service(s, problems) {
                xml.services.push(service);
            }
        }
    }
    Ok(xml)
}

/// The attributes naming a branch site's central site, as spellings vary.
pub const PARENT_ATTRIBUTES: [&str; 5] = ["CentralSiteId", "ParentSiteId", "CentralSite", "ParentSite", "Parent"];

struct Reader<'d, 'i> {
    doc: &'d Document<'i>,
    file: &'d str,
}

impl Reader<'_, '_> {
    fn line(&self, n: Node) -> u32 {
        self.doc.text_pos_at(n.range().start).row
    }

    /// How problems name an element.
    fn object(&self, n: Node) -> String {
        element_at(n.tag_name().name(), self.line(n))
    }

    /// An attribute the element must have.
    fn required(&self, n: Node, names: &[&str], problems: &mut Problems) -> Option<String> {
        let v = attr(n, names).map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty());
        if v.is_none() {
            problems.push(self.file, &self.object(n), names[0], "missing: Get-CsTopology -AsXml always writes it");
        }
        v
    }

    fn number(&self, n: Node, names: &[&str], problems: &mut Problems) -> Option<i64> {
        let (name, v) = attr(n, names)?;
        match v.trim().parse::<i64>() {
            Ok(p) => Some(p),
            Err(_) => {
                problems.push(self.file, &self.object(n), name, format!("`{v}` is not a whole number"));
                None
            }
        }
    }

    fn site(&self, s: Node, central: bool, problems: &mut Problems) -> Option<XSite> {
        let id = self.required(s, &["SiteId"], problems)?;
        let name = child_text(s, "Name").or_else(|| attr(s, &["Name"]).map(|(_, v)| v.trim().to_owned()));
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            problems.push(self.file, &self.object(s), "Name", "missing: a site has a <Name> element");
            return None;
        };
        let parent = if central {
            None
        } else {
            attr(s, &PARENT_ATTRIBUTES).map(|(k, v)| (k.to_owned(), v.trim().to_owned())).or_else(|| {
                // Or a child element: <CentralSite SiteId="1"/> or <ParentSite>1</ParentSite>.
                s.children().filter(Node::is_element).find_map(|c| {
                    let local = c.tag_name().name();
                    PARENT_ATTRIBUTES.iter().any(|p| p.eq_ignore_ascii_case(local)).then(|| {
                        let v = attr(c, &["SiteId", "Name"])
                            .map(|(_, v)| v.to_owned())
                            .or_else(|| c.text().map(str::to_owned));
                        (local.to_owned(), v.unwrap_or_default().trim().to_owned())
                    })
                })
            })
        };
        let country = children(s, "Location")
            .find_map(|l| attr(l, &["CountryCode", "Country"]).map(|(_, v)| v.trim().to_owned()))
            .filter(|c| !c.is_empty());
        Some(XSite { id, name, central, parent, country, line: self.line(s) })
    }

    fn cluster(&self, c: Node, problems: &mut Problems) -> Option<XCluster> {
        let fqdn = self.required(c, &["Fqdn"], problems);
        let Some(id) = children(c, "ClusterId").next() else {
            problems.push(self.file, &self.object(c), "ClusterId", "missing: a <Cluster> has a <ClusterId>");
            return None;
        };
        let site = self.required(id, &["SiteId"], problems);
        let number = self.required(id, &["Number"], problems);
        let single = attr(c, &["IsSingleMachineOnly"]).is_some_and(|(_, v)| v.trim().eq_ignore_ascii_case("true"));
        Some(XCluster {
            site: site?,
            number: number?,
            fqdn: fqdn?,
            machines: children(c, "Machine").count(),
            single,
            line: self.line(c),
        })
    }

    fn service_id(&self, n: Node, problems: &mut Problems) -> Option<XServiceId> {
        let site = self.required(n, &["SiteId"], problems);
        let role = self.required(n, &["RoleName"], problems);
        let instance = attr(n, &["Instance"]).map(|(_, v)| v.trim().to_owned()).unwrap_or_else(|| "1".into());
        Some(XServiceId { site: site?, role: role?, instance, line: self.line(n) })
    }

    fn service(&self, s: Node, problems: &mut Problems) -> Option<XService> {
        let Some(id_node) = children(s, "ServiceId").next() else {
            problems.push(self.file, &self.object(s), "ServiceId", "missing: a <Service> has a <ServiceId>");
            return None;
        };
        let id = self.service_id(id_node, problems)?;
        let kind = attr(s, &["Type"]).map(|(_, v)| v.to_ascii_lowercase()).unwrap_or_default();
        let director = id.role.to_ascii_lowercase().contains("director")
            || kind.contains("director")
            || s.descendants()
                .any(|d| attr(d, &["IsDirector"]).is_some_and(|(_, v)| v.trim().eq_ignore_ascii_case("true")));
        let installed_on = children(s, "InstalledOn").flat_map(|i| children(i, "ClusterId")).next().and_then(|c| {
            let site = self.required(c, &["SiteId"], problems);
            let number = self.required(c, &["Number"], problems);
            Some(XClusterRef { site: site?, number: number?, line: self.line(c) })
        });
        let mut depends = Vec::new();
        for d in children(s, "DependsOn").flat_map(|d| children(d, "Dependency")) {
            let usage = attr(d, &["Usage"]).map(|(_, v)| v.to_owned()).unwrap_or_default();
            for sid in children(d, "ServiceId") {
                if let Some(id) = self.service_id(sid, problems) {
                    depends.push((usage.clone(), id));
                }
            }
        }
        let ports = children(s, "Ports")
            .flat_map(|p| children(p, "Port"))
            .map(|p| XPort {
                port: self.number(p, &["Port"], problems),
                protocol: attr(p, &["Protocol"]).map(|(_, v)| v.trim().to_owned()),
                line: self.line(p),
            })
            .collect();
        let trunks = s.descendants().filter(|d| is(*d, "Trunk")).map(|t| self.trunk(t, problems)).collect();
        Some(XService { id, director, installed_on, depends, ports, trunks, line: self.line(s) })
    }

    fn trunk(&self, t: Node, problems: &mut Problems) -> XTrunk {
        let owned = |o: Option<(&str, &str)>| o.map(|(k, v)| (k.to_owned(), v.trim().to_owned()));
        XTrunk {
            name: attr(t, &TRUNK_NAME).map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty()),
            gateway_port: self.number(t, &GATEWAY_PORT, problems),
            protocol: owned(attr(t, &PROTOCOL)),
            mediation: t.descendants().find(|d| is(*d, "ServiceId")).and_then(|d| self.service_id(d, problems)),
            mediation_attr: owned(attr(t, &["MediationServer", "MediationPool"])),
            mediation_port: self.number(t, &MEDIATION_PORT, problems),
            line: self.line(t),
        }
    }
}

/// The spellings read for a trunk's attributes.
pub const TRUNK_NAME: [&str; 2] = ["TrunkName", "Name"];
pub const GATEWAY_PORT: [&str; 3] = ["GatewaySipPort", "GatewayPort", "Port"];
pub const PROTOCOL: [&str; 4] = ["GatewaySipProtocol", "GatewayProtocol", "Protocol", "Transport"];
pub const MEDIATION_PORT: [&str; 2] = ["MediationServerPort", "MediationPort"];

/// How problems name an element: `<Cluster> at line 12`.
pub fn element_at(name: &str, line: u32) -> String {
    format!("<{name}> at line {line}")
}

fn is(n: Node, local: &str) -> bool {
    n.is_element() && n.tag_name().name().eq_ignore_ascii_case(local)
}

fn children<'a, 'i>(n: Node<'a, 'i>, local: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children().filter(move |c| is(*c, local))
}

fn child_text(n: Node, local: &'static str) -> Option<String> {
    children(n, local).next().and_then(|c| c.text()).map(|t| t.trim().to_owned())
}

/// The first of `names` the element has (any case, any namespace), with
/// the name as written.
fn attr<'a>(n: Node<'a, '_>, names: &[&str]) -> Option<(&'a str, &'a str)> {
    names
        .iter()
        .find_map(|want| n.attributes().find(|a| a.name().eq_ignore_ascii_case(want)).map(|a| (a.name(), a.value())))
}
