//! Stub: replaced by the teams importer.

use super::error::ImportError;
use super::folder::Exports;
use super::Imported;

pub fn read(exports: &Exports) -> Result<Imported, ImportError> {
    Err(ImportError::File { path: exports.dir.display().to_string(), message: "not yet imported".into() })
}
