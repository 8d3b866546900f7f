//! The model layer's one error type.

use std::fmt;

/// One thing wrong with one field of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The object, as the file names it: `voice_route "US-Local"`.
    pub object: String,
    /// The field within it: `number_pattern`.
    pub field: String,
    /// What is wrong, and what would be right.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, field `{}`: {}", self.object, self.field, self.message)
    }
}

/// Why a model could not be loaded. The CLI exits with status 2 on any of
/// these.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file could not be read.
    #[error("{file}: cannot read the model file: {message}")]
    Read { file: String, message: String },
    /// The TOML does not parse, or has an unknown field or a wrong type.
    #[error("{file}: {message}")]
    Syntax { file: String, message: String },
    /// The TOML parses but describes an invalid network; all problems found.
    #[error("{}", render_problems(file, problems))]
    Invalid { file: String, problems: Vec<Problem> },
}

impl ModelError {
    /// The problems found, when the model parsed but did not validate.
    pub fn problems(&self) -> &[Problem] {
        match self {
            ModelError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

fn render_problems(file: &str, problems: &[Problem]) -> String {
    let mut s =
        format!("{file}: {} problem{} in the model", problems.len(), if problems.len() == 1 { "" } else { "s" });
    for p in problems {
        s.push_str(&format!("\n  {file}: {p}"));
    }
    s
}

/// A TOML parse error as a user reads it: the parser's text (line, column
/// and the line itself), with serde's wording for a number outside a
/// field's type said plainly.
pub fn syntax_message(e: &toml::de::Error) -> String {
    let text = e.to_string();
    let text = text.trim_end();
    let Some(at) = text.rfind("invalid ") else { return text.to_owned() };
    let (head, detail) = text.split_at(at);
    // `invalid type: integer `N` as i128, expected i64`, or
    // `invalid value: integer `-1`, expected u64`.
    let number = detail.split('`').nth(1).unwrap_or("");
    let plain = if detail.contains("as i128, expected") || detail.contains("as u128, expected") {
        format!("{number} is too large for any whole-number field")
    } else if detail.starts_with("invalid value: integer") && detail.contains("expected u") && number.starts_with('-') {
        format!("{number} is negative; this field takes a whole number of 0 or more")
    } else if detail.starts_with("invalid value: integer") && detail.contains("expected u") {
        format!("{number} is too large for this field")
    } else {
        return text.to_owned();
    };
    format!("{head}{plain}")
}
