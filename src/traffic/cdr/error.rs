//! The one error of the CDR layer: a file that cannot be read at all.
//! Rows that are merely wrong are not errors; they are counted in a
//! [`super::RowTally`]. The CLI exits with status 2 on a `CdrError`.

use std::fmt;

/// A CDR file that cannot be read: it names the file, and the row and
/// column where it can (`cdr/week1.csv: row 17, column "InviteTime": ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdrError {
    pub file: String,
    /// The data row (from 1 after the header); `Some(0)` is the header.
    pub row: Option<u64>,
    /// The column's name in the file's header (or the field's name).
    pub column: Option<String>,
    pub message: String,
}

impl CdrError {
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        Self { file: file.to_string(), row: None, column: None, message: message.into() }
    }

    pub fn at_row(mut self, row: u64) -> Self {
        self.row = Some(row);
        self
    }

    pub fn at_column(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }
}

impl fmt::Display for CdrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        let mut sep = ": ";
        match self.row {
            Some(0) => {
                write!(f, "{sep}header row")?;
                sep = ", ";
            }
            Some(r) => {
                write!(f, "{sep}row {r}")?;
                sep = ", ";
            }
            None => {}
        }
        if let Some(c) = &self.column {
            write!(f, "{sep}column {c:?}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for CdrError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_row_and_column() {
        let e = CdrError::new("cdr/week1.csv", "not UTF-8").at_row(17).at_column("InviteTime");
        assert_eq!(e.to_string(), "cdr/week1.csv: row 17, column \"InviteTime\": not UTF-8");
        assert_eq!(CdrError::new("a.csv", "empty").to_string(), "a.csv: empty");
        assert_eq!(CdrError::new("a.csv", "x").at_row(0).to_string(), "a.csv: header row: x");
    }
}
