//! Varying a file field by field: a sweep sets any numeric field of the
//! model or the scenario, a plan resizes gateways, pools and links, and a
//! planned model is written out. Every variation goes through here: the
//! file's text is edited (comments and layout kept) and then loaded again
//! by the caller, so a varied model or scenario is checked exactly like a
//! file a user wrote, and the edited text is the file that reproduces it.

use std::fmt;

use toml_edit::{DocumentMut, Item, TableLike};

use super::{load_str, Model, ModelError};

/// A field of a TOML file: `peer[gw-red-1].t1_spans`, `duration`,
/// `source[redmond-out].bhca_per_user`. A `[selector]` picks the entry of
/// an array of tables whose `name`, `fqdn` or `scope` equals it, ignoring
/// case as Lync's identities do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// Table keys, each with the entry selector when it names a list.
    steps: Vec<(String, Option<String>)>,
}

/// A number to write into a field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldValue {
    Integer(i64),
    Float(f64),
}

/// One field set to a value.
#[derive(Debug, Clone)]
pub struct Edit {
    pub path: FieldPath,
    pub value: FieldValue,
    /// Fields of the same table that this one stands in for and that are
    /// removed (a gateway's `channels` replaces `t1_spans` and `e1_spans`).
    pub replaces: &'static [&'static str],
}

/// Why an edit could not be made; `edit` is its index in the list given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    pub edit: usize,
    pub message: String,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Entry keys a selector is compared with.
const SELECTOR_KEYS: [&str; 3] = ["name", "fqdn", "scope"];

impl FieldPath {
    /// Parses a path; dots inside brackets belong to the selector
    /// (selectors are often FQDNs).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let (mut depth, mut start) = (0usize, 0usize);
        for (i, c) in text.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => depth = depth.saturating_sub(1),
                '.' if depth == 0 => {
                    parts.push(&text[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&text[start..]);
        let steps: Vec<(String, Option<String>)> = parts
            .into_iter()
            .map(|seg| match seg.split_once('[') {
                Some((key, sel)) => (key.to_owned(), Some(sel.trim_end_matches(']').to_owned())),
                None => (seg.to_owned(), None),
            })
            .collect();
        if steps.iter().any(|(k, _)| k.is_empty()) {
            return Err("an empty step in the path".into());
        }
        if steps.last().is_some_and(|(_, sel)| sel.is_some()) {
            return Err("the path ends in a selector".into());
        }
        Ok(Self { steps })
    }

    /// The field `field` of the entry of the list `list` named `name`.
    pub fn entry(list: &str, name: &str, field: &str) -> Self {
        Self { steps: vec![(list.to_owned(), Some(name.to_owned())), (field.to_owned(), None)] }
    }
}

impl Edit {
    pub fn set(path: FieldPath, value: FieldValue) -> Self {
        Self { path, value, replaces: &[] }
    }
}

/// Finds the table a path's last step is in and the field's name;
/// `at` gets where it is, entries by position (`peer#2.e1_spans`), so
/// that two paths naming one field are told apart from two fields.
fn locate<'d>(doc: &'d mut DocumentMut, path: &FieldPath, at: &mut String) -> Result<&'d mut dyn TableLike, String> {
    let mut table: &mut dyn TableLike = doc.as_table_mut();
    let (_, steps) = path.steps.split_last().expect("a parsed path has a step");
    for (key, sel) in steps {
        at.push_str(key);
        let item = table.get_mut(key).ok_or_else(|| format!("no `{key}` in the file"))?;
        let listed = item.is_array_of_tables() || item.as_array().is_some();
        table = match (sel, listed) {
            (None, false) if item.is_table_like() => item.as_table_like_mut().expect("checked"),
            (Some(sel), true) => {
                let (i, t) = entries(item)
                    .enumerate()
                    .find(|(_, t)| {
                        SELECTOR_KEYS
                            .iter()
                            .any(|k| t.get(k).and_then(Item::as_str).is_some_and(|n| super::same_name(n, sel)))
                    })
                    .ok_or_else(|| format!("no `{key}` entry named `{sel}`"))?;
                at.push_str(&format!("#{i}"));
                t
            }
            (None, true) => return Err(format!("`{key}` is a list of entries; pick one, as in `{key}[NAME]`")),
            (Some(_), false) if item.is_table_like() => {
                return Err(format!("`{key}` is a single table; write it without `[...]`"))
            }
            _ => return Err(format!("`{key}` is a value, not a table the path can go into")),
        };
        at.push('.');
    }
    Ok(table)
}

/// The tables of a list: `[[key]]` sections or an inline array.
fn entries(item: &mut Item) -> Box<dyn Iterator<Item = &mut dyn TableLike> + '_> {
    match item {
        Item::ArrayOfTables(a) => Box::new(a.iter_mut().map(|t| t as &mut dyn TableLike)),
        Item::Value(toml_edit::Value::Array(a)) => {
            Box::new(a.iter_mut().filter_map(|v| v.as_inline_table_mut()).map(|t| t as &mut dyn TableLike))
        }
        _ => Box::new(std::iter::empty()),
    }
}

/// Sets `key` of `table` to `value`, keeping the comment and spacing
/// around the old value (`e1_spans = 2 # the carrier's spans`).
pub fn set_value(table: &mut dyn TableLike, key: &str, value: toml_edit::Value) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// `text` with `edits` made in order; with each, where its field is (see
/// [`locate`]). A field that holds something other than a number is not
/// changed: an edit sets numbers only.
pub fn edit_text(text: &str, edits: &[Edit]) -> Result<(String, Vec<String>), EditError> {
    let mut doc: DocumentMut =
        text.parse().map_err(|e| EditError { edit: 0, message: format!("the file does not parse: {e}") })?;
    let mut places = Vec::with_capacity(edits.len());
    for (i, e) in edits.iter().enumerate() {
        let fail = |message| EditError { edit: i, message };
        let mut at = String::new();
        let table = locate(&mut doc, &e.path, &mut at).map_err(fail)?;
        let field = &e.path.steps.last().expect("a parsed path has a step").0;
        if let Some(old) = table.get(field) {
            if !(old.is_integer() || old.is_float()) {
                // The value as written, without its comment.
                let mut shown = old.clone();
                if let Some(v) = shown.as_value_mut() {
                    v.decor_mut().clear();
                }
                let shown = shown.to_string();
                return Err(fail(format!(
                    "`{field}` holds {} ({}), not a number; only numeric fields are varied",
                    old.type_name(),
                    shown.trim()
                )));
            }
        }
        for other in e.replaces {
            table.remove(other);
        }
        let value = match e.value {
            FieldValue::Integer(n) => toml_edit::Value::from(n),
            FieldValue::Float(x) => toml_edit::Value::from(x),
        };
        set_value(table, field, value);
        at.push_str(field);
        places.push(at);
    }
    Ok((doc.to_string(), places))
}

/// `model` with `edits` made to its file and loaded again, checked as any
/// model file is; `source` names it in errors.
pub fn edited_model(model: &Model, edits: &[Edit], source: &str) -> Result<Model, EditedError> {
    let (text, _) = edit_text(&model.text, edits).map_err(EditedError::Edit)?;
    load_str(&text, source).map_err(EditedError::Invalid)
}

/// Why an edited model is not a model.
#[derive(Debug, thiserror::Error)]
pub enum EditedError {
    #[error("{0}")]
    Edit(EditError),
    #[error("{0}")]
    Invalid(ModelError),
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# a network\nname = \"n\"\n\n[[peer]]\nname = \"gw-a\" # first\ne1_spans = 2\n\n[[peer]]\nname = \"GW.b\"\nchannels = 10 # a comment\nkind = \"pstn-gateway\"\n\n[settings]\nlimit = 3\n";

    fn set(path: &str, v: FieldValue) -> Edit {
        Edit::set(FieldPath::parse(path).unwrap(), v)
    }

    #[test]
    fn an_edit_keeps_the_rest_of_the_file_and_says_where_it_was() {
        let mut e = set("peer[gw.B].channels", FieldValue::Integer(23));
        e.replaces = &["e1_spans"];
        let (text, at) = edit_text(TEXT, &[e, set("settings.limit", FieldValue::Float(2.5))]).unwrap();
        assert!(text.starts_with("# a network\n"), "{text}");
        assert!(text.contains("channels = 23 # a comment"), "the value's comment is kept: {text}");
        assert!(text.contains("limit = 2.5"), "{text}");
        assert!(text.contains("e1_spans = 2"), "only the edited entry loses what it replaces: {text}");
        assert_eq!(at, ["peer#1.channels", "settings.limit"]);
    }

    #[test]
    fn a_path_that_does_not_fit_the_file_says_why() {
        let cases = [
            ("nothing.x", "no `nothing` in the file"),
            ("peer[gw-c].channels", "no `peer` entry named `gw-c`"),
            ("peer.channels", "`peer` is a list of entries; pick one, as in `peer[NAME]`"),
            ("settings[x].limit", "`settings` is a single table; write it without `[...]`"),
            ("name.x", "`name` is a value, not a table the path can go into"),
            ("peer[gw-a].name", "`name` holds string (\"gw-a\"), not a number; only numeric fields are varied"),
        ];
        for (path, message) in cases {
            let e = edit_text(TEXT, &[set(path, FieldValue::Integer(1))]).unwrap_err();
            assert_eq!(e.message, message, "{path}");
        }
        assert_eq!(FieldPath::parse("a..b").unwrap_err(), "an empty step in the path");
        assert_eq!(FieldPath::parse("peer[x]").unwrap_err(), "the path ends in a selector");
    }
}
