//! A model as the cmdlets' exports (docs/import.md): the folder
//! `voicetwin import` reads, so a model round-trips. Reads the model as
//! written ([`ModelFile`]: names, not ids).

pub mod json;
pub mod topology;

use super::file::ModelFile;

/// One file of the export: its name and bytes.
#[derive(Debug, Clone)]
pub struct ExportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The files of `model`'s export, in a stable order.
pub fn export(model: &ModelFile) -> Vec<ExportFile> {
    let mut files = json::files(model);
    files.extend(topology::files(model));
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}
