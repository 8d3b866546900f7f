//! Stub: users from `Get-CsUser | Export-Csv`.

use std::path::Path;

use super::error::ImportError;
use super::{Imported, Platform};

pub fn read(path: &Path, _platform: Platform, _imported: &mut Imported) -> Result<(), ImportError> {
    Err(ImportError::File { path: path.display().to_string(), message: "not yet imported".into() })
}
