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
    #[error("{}", render_problems(file, problems, "model"))]
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

/// All of a file's problems, each on its own line naming the file; `what`
/// the file is ("model", "scenario").
pub fn render_problems(file: &str, problems: &[Problem], what: &str) -> String {
    let mut s =
        format!("{file}: {} problem{} in the {what}", problems.len(), if problems.len() == 1 { "" } else { "s" });
    for p in problems {
        s.push_str(&format!("\n  {file}: {p}"));
    }
    s
}

/// Reads `text` into `T`, a file's raw form (`whole` names the file's
/// top level: "the model"); the error says where, as [`syntax_message`]
/// does, and names the object and field by the path serde was at
/// (`peer "gw-osl", field `e1_spans``).
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, whole: &str) -> Result<T, String> {
    let de = toml::Deserializer::parse(text).map_err(|e| syntax_message(&e))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let mut message = syntax_message(e.inner());
        if let Some(hint) = top_level_hint::<T>(text, e.path(), &e.inner().to_string()) {
            message = format!("{}\n{hint}", message.trim_end());
        }
        match located(text, e.path(), whole) {
            Some(at) => format!("{at}: {message}"),
            None => message,
        }
    })
}

/// For a field unknown in a table but known at the top level, why: in
/// TOML every key after a `[table]` or `[[table]]` header belongs to that
/// table, so a top-level key written below one lands in it. Found by
/// moving the key to the top level and reading the file again.
fn top_level_hint<T: serde::de::DeserializeOwned>(
    text: &str,
    path: &serde_path_to_error::Path,
    inner: &str,
) -> Option<String> {
    use serde_path_to_error::Segment;
    let key = inner.split("unknown field `").nth(1)?.split('`').next()?;
    let mut doc: toml::Table = text.parse().ok()?;
    if doc.contains_key(key) {
        return None;
    }
    let Some(Segment::Map { key: first }) = path.iter().next() else { return None };
    let header = match doc.get(first)? {
        toml::Value::Array(_) => format!("[[{first}]]"),
        _ => format!("[{first}]"),
    };
    let mut at = doc.get_mut(first)?;
    // The path may end at the unknown key itself.
    let segments: Vec<&Segment> = path.iter().collect();
    let inside = match segments.last() {
        Some(Segment::Map { key: last }) if last == key && segments.len() > 1 => &segments[1..segments.len() - 1],
        _ => &segments[1..],
    };
    for seg in inside {
        at = match seg {
            Segment::Map { key } | Segment::Enum { variant: key } => at.get_mut(key.as_str())?,
            Segment::Seq { index } => at.get_mut(*index)?,
            Segment::Unknown => return None,
        };
    }
    let value = at.as_table_mut()?.remove(key)?;
    doc.insert(key.to_owned(), value);
    let unknown = format!("unknown field `{key}`");
    match serde_path_to_error::deserialize::<_, T>(toml::Value::Table(doc)) {
        Err(e) if e.inner().to_string().contains(&unknown) => None,
        _ => Some(format!(
            "`{key}` is a top-level field: in TOML a key below a `{header}` header belongs to that table; \
             write top-level fields above the first header"
        )),
    }
}

/// Type errors reported from one file before the reading stops.
const TYPE_ERRORS: usize = 50;

/// As [`parse_toml`], but every entry's type errors, not only the first:
/// each error's field (or, for a missing field, its entry) is taken out of
/// the parsed table and the rest read again, up to 50 errors. The first
/// message gives the line and column; the others name the object and
/// field (the table read again has no positions).
pub fn parse_toml_all<T: serde::de::DeserializeOwned>(text: &str, whole: &str) -> Result<T, Vec<String>> {
    let first = match parse_toml::<T>(text, whole) {
        Ok(v) => return Ok(v),
        Err(m) => m,
    };
    let mut messages = vec![first];
    // Not TOML at all: the parser's one error is all there is.
    let Ok(table) = text.parse::<toml::Table>() else { return Err(messages) };
    let mut doc = toml::Value::Table(table);
    for round in 0..=TYPE_ERRORS {
        let e = match serde_path_to_error::deserialize::<_, T>(doc.clone()) {
            Ok(_) => break,
            Err(e) => e,
        };
        let inner = e.inner().to_string();
        if round > 0 {
            if round == TYPE_ERRORS {
                messages.push(format!("(stopped after {TYPE_ERRORS} type errors)"));
                break;
            }
            let message = syntax_message(e.inner());
            let message = message.trim_end();
            let doc_table = doc.as_table().cloned().unwrap_or_default();
            match located_in(&doc_table, e.path(), whole) {
                Some(at) => messages.push(format!("{at}: {message}")),
                None => messages.push(message.to_owned()),
            }
        }
        let segments: Vec<serde_path_to_error::Segment> = e.path().iter().cloned().collect();
        if !take_out(&mut doc, &segments, &inner) {
            break;
        }
    }
    Err(messages)
}

/// Removes what the error at `path` is about: the unknown field it names,
/// else the field at the path, else its entry (a missing field). False
/// when nothing could be removed (the reading must stop).
fn take_out(v: &mut toml::Value, path: &[serde_path_to_error::Segment], inner: &str) -> bool {
    use serde_path_to_error::Segment;
    match path.split_first() {
        None => {
            let unknown = inner.strip_prefix("unknown field `").and_then(|r| r.split('`').next());
            match (unknown, v.as_table_mut()) {
                (Some(key), Some(t)) => t.remove(key).is_some(),
                _ => false,
            }
        }
        Some((seg, rest)) => {
            let child = match seg {
                Segment::Map { key } | Segment::Enum { variant: key } => v.get_mut(key.as_str()),
                Segment::Seq { index } => v.get_mut(*index),
                Segment::Unknown => None,
            };
            let Some(child) = child else { return false };
            if take_out(child, rest, inner) {
                return true;
            }
            // Nothing to remove inside: remove this field or entry whole.
            match (seg, v) {
                (Segment::Map { key }, toml::Value::Table(t)) => t.remove(key).is_some(),
                (Segment::Seq { index }, toml::Value::Array(a)) if *index < a.len() => {
                    a.remove(*index);
                    true
                }
                _ => false,
            }
        }
    }
}

/// `source[2].holding.exponential` as the object and field a user knows:
/// an entry by its `name`, `fqdn`, `identity` or `scope` where it has one.
fn located(text: &str, path: &serde_path_to_error::Path, whole: &str) -> Option<String> {
    let doc: toml::Table = text.parse().ok()?;
    located_in(&doc, path, whole)
}

fn located_in(doc: &toml::Table, path: &serde_path_to_error::Path, whole: &str) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut object = whole.to_owned();
    let mut field: Vec<String> = Vec::new();
    let mut value: Option<&toml::Value> = None;
    let mut top = true;
    for seg in path.iter() {
        match seg {
            Segment::Map { key } | Segment::Enum { variant: key } => {
                value = if top { doc.get(key) } else { value.and_then(|v| v.get(key)) };
                top = false;
                field.push(key.clone());
            }
            Segment::Seq { index } => {
                let entry = value.and_then(|v| v.get(*index));
                let name = entry.and_then(|e| {
                    ["name", "fqdn", "identity", "scope"].iter().find_map(|k| e.get(*k).and_then(|n| n.as_str()))
                });
                let list = field.join(".");
                object = match name {
                    Some(n) => format!("{list} \"{n}\""),
                    None => format!("{list}[{index}]"),
                };
                field.clear();
                value = entry;
            }
            Segment::Unknown => break,
        }
    }
    if field.is_empty() {
        return Some(object);
    }
    // A field of a top-level table is named as the validator names it
    // (`[whatif], field `pairs``), not by its dotted path from the top.
    if object == whole && field.len() > 1 && doc.get(&field[0]).is_some_and(toml::Value::is_table) {
        object = format!("[{}]", field.remove(0));
    }
    Some(format!("{object}, field `{}`", field.join(".")))
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

#[cfg(test)]
mod tests {
    use super::parse_toml;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Top {
        name: Option<String>,
        seed: Option<u64>,
        #[serde(default)]
        source: Vec<Entry>,
        settings: Option<Entry>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Entry {
        name: String,
    }

    #[test]
    fn a_top_level_key_below_a_table_header_is_explained() {
        let e = parse_toml::<Top>("name = \"x\"\n[[source]]\nname = \"a\"\nseed = 3\n", "the file").unwrap_err();
        assert!(e.contains("`seed` is a top-level field") && e.contains("`[[source]]` header"), "{e}");
        let e = parse_toml::<Top>("[settings]\nname = \"a\"\nseed = 3\n", "the file").unwrap_err();
        assert!(e.contains("`[settings]` header"), "{e}");
        // Not a top-level field, or one given already: no such hint.
        for text in ["[[source]]\nname = \"a\"\nbogus = 1\n", "seed = 1\n[[source]]\nname = \"a\"\nseed = 3\n"] {
            let e = parse_toml::<Top>(text, "the file").unwrap_err();
            assert!(e.contains("unknown field") && !e.contains("top-level"), "{e}");
        }
    }
}
