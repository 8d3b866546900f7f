//! Stub: the topology as `Get-CsTopology -AsXml`, `Get-CsTrunk` and users
//! as `Get-CsUser | Export-Csv` write them.

use super::ExportFile;
use crate::model::file::ModelFile;

pub fn files(_model: &ModelFile) -> Vec<ExportFile> {
    Vec::new()
}
