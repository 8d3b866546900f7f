//! A model's topology and users as Lync exports them: `Get-CsTopology
//! -AsXml`, `Get-CsTrunk | ConvertTo-Json` and `Get-CsUser | Export-Csv`,
//! so `voicetwin import` reads back the sites, pools, gateways (named by
//! FQDN), trunks and user groups (docs/import-topology.md says what Lync
//! has no place for and is lost).

pub mod trunks;
pub mod users;
pub mod xml;

use super::ExportFile;
use crate::model::file::ModelFile;

pub fn files(model: &ModelFile) -> Vec<ExportFile> {
    vec![
        ExportFile { name: "Get-CsTopology.xml".into(), bytes: xml::document(model).into_bytes() },
        ExportFile { name: "Get-CsTrunk.json".into(), bytes: trunks::json(model).into_bytes() },
        ExportFile { name: "Get-CsUser.csv".into(), bytes: users::csv(model) },
    ]
}
