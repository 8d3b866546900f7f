//! The import layer's one error type: what is wrong with an export, named
//! by file, object and property as the administrator's files name them.

use std::fmt;

/// One thing wrong with one property of one exported object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportProblem {
    /// The file, as found in the export folder.
    pub file: String,
    /// The object, by its `Identity` when it has one (`Tag:RedmondPolicy`),
    /// else by its place in the file (`object 3`).
    pub object: String,
    /// The cmdlet's property (`NumberPattern`), or the XML element.
    pub property: String,
    /// What is wrong, and what would be right.
    pub message: String,
}

impl fmt::Display for ExportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.object.is_empty(), self.property.is_empty()) {
            (true, _) => write!(f, "{}: {}", self.file, self.message),
            (false, true) => write!(f, "{}: {}: {}", self.file, self.object, self.message),
            (false, false) => {
                write!(f, "{}: {}, property `{}`: {}", self.file, self.object, self.property, self.message)
            }
        }
    }
}

/// Why an export folder could not be imported (or a model exported). The
/// CLI exits with status 2 on any of these.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The folder or a file in it could not be read or is not what it should be.
    #[error("{path}: {message}")]
    File { path: String, message: String },
    /// The files read, but objects in them are wrong; every problem found.
    #[error("{}", render(problems))]
    Invalid { problems: Vec<ExportProblem> },
}

fn render(problems: &[ExportProblem]) -> String {
    let n = problems.len();
    let mut s = format!("{n} problem{} in the exported configuration", if n == 1 { "" } else { "s" });
    for p in problems {
        s.push_str(&format!("\n  {p}"));
    }
    s
}

/// Problems collected while reading, so one run names them all.
#[derive(Debug, Default)]
pub struct Problems {
    list: Vec<ExportProblem>,
}

/// Enough problems to fix in one go; more would drown the first.
const MOST: usize = 100;

impl Problems {
    pub fn push(&mut self, file: &str, object: &str, property: &str, message: impl Into<String>) {
        if self.list.len() < MOST {
            self.list.push(ExportProblem {
                file: file.to_owned(),
                object: object.to_owned(),
                property: property.to_owned(),
                message: message.into(),
            });
        }
    }

    /// Takes in another stage's error, so one run still names every
    /// problem of the folder.
    pub fn absorb(&mut self, error: ImportError) {
        match error {
            ImportError::File { path, message } => self.push(&path, "", "", message),
            ImportError::Invalid { problems } => {
                for p in problems {
                    self.push(&p.file, &p.object, &p.property, p.message);
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// `Ok(value)` when nothing was wrong, else every problem.
    pub fn finish<T>(self, value: T) -> Result<T, ImportError> {
        if self.list.is_empty() {
            Ok(value)
        } else {
            Err(ImportError::Invalid { problems: self.list })
        }
    }
}
