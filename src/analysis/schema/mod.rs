//! The result schema: every file a command writes in its results folder,
//! as the types it is written from and read back into. `run`, `whatif`,
//! `plan` and `sweep` fill them; the writers (`report::{run, whatif,
//! plan, sweep}`) write them; the design-review report
//! (`report::review`) reads the folder through them alone. docs/results.md
//! documents each file.
//!
//! Each JSON file ([`ResultFile`]) carries a `schema_version`: fields are
//! added, never renamed or removed, within a version, and a reader refuses
//! any version but its own, naming the file. Each CSV file is a list of
//! rows of one type ([`table::CsvRow`]) read and written by the `csv`
//! crate, so a name with a comma, a quote or a line break is quoted and
//! comes back as it was.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub mod network;
pub mod plan;
pub mod series;
pub mod summary;
pub mod sweep;
pub mod table;
pub mod whatif;

/// A JSON file of a results folder.
pub trait ResultFile: Serialize + DeserializeOwned {
    /// Its name in the folder.
    const FILE: &'static str;
    /// The version it is written with: the only one read.
    const SCHEMA_VERSION: u32;
}

/// A results file that could not be read, named.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {msg}")]
pub struct SchemaError {
    /// The file, as given to the reader (its path).
    pub file: String,
    pub msg: String,
}

impl SchemaError {
    pub fn new(file: &str, msg: impl Into<String>) -> Self {
        Self { file: file.to_owned(), msg: msg.into() }
    }
}

/// `value` as its file holds it: pretty JSON and a final line break.
pub fn to_json<T: ResultFile>(value: &T) -> Result<String, serde_json::Error> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

/// Reads a JSON results file written as `T`; `file` names it in errors.
/// A file of another schema version, or of none (written before files
/// had one), is refused before its fields are read.
pub fn from_json<T: ResultFile>(text: &str, file: &str) -> Result<T, SchemaError> {
    #[derive(Deserialize)]
    struct Version {
        schema_version: Option<u32>,
    }
    let version: Version = serde_json::from_str(text).map_err(|e| SchemaError::new(file, e.to_string()))?;
    match version.schema_version {
        Some(v) if v == T::SCHEMA_VERSION => {}
        Some(v) => {
            return Err(SchemaError::new(
                file,
                format!(
                    "schema version {v}, and this voicetwin reads version {} of {}: run the command again with this \
                     voicetwin, or report with the one that wrote it",
                    T::SCHEMA_VERSION,
                    T::FILE
                ),
            ))
        }
        None => {
            return Err(SchemaError::new(
                file,
                format!(
                    "no schema_version (written by an earlier voicetwin); this one reads version {} of {}: run the \
                     command again",
                    T::SCHEMA_VERSION,
                    T::FILE
                ),
            ))
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let at = e.path().to_string();
        SchemaError::new(file, format!("at `{at}`: {}", e.into_inner()))
    })
}
