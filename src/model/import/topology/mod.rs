//! The topology of a Lync Server 2013 / Skype for Business deployment:
//! sites, pools, PSTN gateways and trunks, from `Get-CsTopology -AsXml`,
//! with the trunks of `Get-CsTrunk` (Lync Server 2013) or, for Lync
//! Server 2010's one trunk per gateway, `Get-CsService -PstnGateway`
//! when the document itself lists none (docs/import-topology.md).
//!
//! [`xml`] reads the document into records, [`map`] resolves them into
//! the model's tables, [`trunks`] reads the JSON trunk lists.

pub mod map;
pub mod trunks;
pub mod xml;

use super::error::{ImportError, Problems};
use super::folder::Exports;
use super::Todo;
use crate::model::file::{MediationPoolFile, PeerFile, RegistrarPoolFile, TrunkFile};

/// A topology site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopoSite {
    pub name: String,
    /// A central site (else a branch site).
    pub central: bool,
    /// A branch site's central site.
    pub parent: Option<String>,
    /// ISO 3166 country code when the topology gives the site's location.
    pub country: Option<String>,
}

/// What the topology says; every reference between objects by name (site
/// names, pool FQDNs, peer names = gateway FQDNs, trunk names).
#[derive(Debug, Clone, Default)]
pub struct Topology {
    pub sites: Vec<TopoSite>,
    pub registrar_pools: Vec<RegistrarPoolFile>,
    pub mediation_pools: Vec<MediationPoolFile>,
    pub peers: Vec<PeerFile>,
    pub trunks: Vec<TrunkFile>,
    /// Values the topology cannot give (gateway spans, ...).
    pub todos: Vec<Todo>,
    /// Lines for the model file's header.
    pub notes: Vec<String>,
}

/// The topology of the folder; `None` when it holds no `Get-CsTopology`
/// XML (the trunk lists refer to its sites and pools, so they are read
/// only beside it).
pub fn read(exports: &Exports) -> Result<Option<Topology>, ImportError> {
    let Some((file, text)) = exports.text("Get-CsTopology", "xml")? else {
        for cmdlet in ["Get-CsTrunk", "Get-CsService-PstnGateway", "Get-CsService"] {
            if exports.has(cmdlet) {
                return Err(ImportError::File {
                    path: exports.dir.display().to_string(),
                    message: format!(
                        "holds {cmdlet}.json but no Get-CsTopology.xml, whose sites and Mediation pools its trunks \
                         refer to; add `Get-CsTopology -AsXml > Get-CsTopology.xml`"
                    ),
                });
            }
        }
        return Ok(None);
    };
    let mut problems = Problems::default();
    let records = xml::parse(&file, &text, &mut problems)?;
    let (mut topology, index) = map::resolve(&file, &records, &mut problems);
    // Trunks: the document's own, else Get-CsTrunk, else Get-CsService
    // -PstnGateway, else each gateway's root trunk in the document.
    let listed = records.services.iter().any(|s| !s.trunks.is_empty());
    let mut from_json = false;
    if !listed {
        for cmdlet in ["Get-CsTrunk", "Get-CsService-PstnGateway", "Get-CsService"] {
            let objects = exports.objects(cmdlet, &mut problems)?;
            let gateways = trunks::gateway_objects(&objects, cmdlet);
            if gateways.is_empty() {
                continue;
            }
            trunks::read(&gateways, cmdlet == "Get-CsTrunk", &mut topology, &index, &mut problems);
            topology.notes.push(format!("Trunks: as {cmdlet} lists them ({} trunk(s)).", topology.trunks.len()));
            from_json = true;
            break;
        }
    }
    if !from_json {
        map::trunks(&file, &records, &mut topology, &index, &mut problems);
    }
    map::check_trunk_names(&topology, &file, &mut problems);
    problems.finish(topology).map(Some)
}
