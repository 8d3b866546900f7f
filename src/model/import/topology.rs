//! Stub: the topology (`Get-CsTopology -AsXml`, `Get-CsTrunk`,
//! `Get-CsService -PstnGateway`): sites, pools, gateways and trunks.

use super::error::ImportError;
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

/// The topology of the folder; `None` when it holds no topology export.
pub fn read(_exports: &Exports) -> Result<Option<Topology>, ImportError> {
    Ok(None)
}
