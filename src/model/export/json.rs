//! Stub: the routing configuration as `Get-Cs* | ConvertTo-Json` writes it.

use super::ExportFile;
use crate::model::file::ModelFile;

pub fn files(_model: &ModelFile) -> Vec<ExportFile> {
    Vec::new()
}
