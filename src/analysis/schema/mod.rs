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
    let version: Version = serde_json::from_str(text).map_err(|e| SchemaError::new(file, e.to_string()))?;
    version.check(file, T::FILE, T::SCHEMA_VERSION)?;
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| at_path(file, e))
}

/// Reads a JSON results file named `name` of version `version` as `T`,
/// a block at a time, never holding its text: `open` is called twice,
/// once for the version and once for the fields. `T` may keep less than
/// the file holds (the design-review page folds a what-if's cases as it
/// reads them), so the file's size does not decide the memory.
pub fn from_json_reader<T: DeserializeOwned, R: std::io::Read>(
    mut open: impl FnMut() -> std::io::Result<R>,
    file: &str,
    name: &str,
    version: u32,
) -> Result<T, SchemaError> {
    let io = |e: std::io::Error| SchemaError::new(file, format!("cannot read it: {e}"));
    let found: Version =
        serde_json::from_reader(open().map_err(io)?).map_err(|e| SchemaError::new(file, e.to_string()))?;
    found.check(file, name, version)?;
    let mut de = serde_json::Deserializer::from_reader(open().map_err(io)?);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| at_path(file, e))?;
    de.end().map_err(|e| SchemaError::new(file, e.to_string()))?;
    Ok(value)
}

/// A results file's `schema_version`, read before its fields.
#[derive(Deserialize)]
struct Version {
    schema_version: Option<u32>,
}

impl Version {
    /// Refuses a file of another version than `version` of `name`, or of
    /// none (written before files had one).
    fn check(&self, file: &str, name: &str, version: u32) -> Result<(), SchemaError> {
        match self.schema_version {
            Some(v) if v == version => Ok(()),
            Some(v) => Err(SchemaError::new(
                file,
                format!(
                    "schema version {v}, and this voicetwin reads version {version} of {name}: run the command again \
                     with this voicetwin, or report with the one that wrote it"
                ),
            )),
            None => Err(SchemaError::new(
                file,
                format!(
                    "no schema_version (written by an earlier voicetwin); this one reads version {version} of {name}: \
                     run the command again"
                ),
            )),
        }
    }
}

/// A field's error with the path to it: ``at `results[3].rank`: ...``.
fn at_path(file: &str, e: serde_path_to_error::Error<serde_json::Error>) -> SchemaError {
    let at = e.path().to_string();
    SchemaError::new(file, format!("at `{at}`: {}", e.into_inner()))
}
