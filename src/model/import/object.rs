//! One object of a cmdlet's export, read by the cmdlet's property names.
//!
//! `ConvertTo-Json` writes what PowerShell had: a lone object without the
//! surrounding array, booleans as JSON booleans, .NET enumerations as
//! numbers (or as names with `-EnumsAsStrings`), and, past its default
//! depth of 2, nested objects as their `ToString()`: a normalization rule
//! inside a dial plan becomes
//! `Description=;Pattern=^(\d{4})$;Translation=+1425555$1;Name=4digit;IsInternalExtension=False`.
//! Every getter takes each of these forms, and names the file, object and
//! property when a value is of none of them.

use serde_json::{Map, Value};

use super::error::Problems;

/// An exported object with where it came from.
#[derive(Debug, Clone)]
pub struct CmdletObject {
    /// The file it was read from, as errors name it.
    pub file: String,
    /// How errors name the object: its `Identity`, else its place.
    pub label: String,
    map: Map<String, Value>,
}

impl CmdletObject {
    /// `value`'s objects: an array of them, or a lone one.
    pub fn all_in(file: &str, value: Value, problems: &mut Problems) -> Vec<CmdletObject> {
        let items = match value {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            other => vec![other],
        };
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let place = format!("object {}", i + 1);
            match item {
                Value::Object(map) => out.push(CmdletObject::new(file, &place, map)),
                other => problems.push(
                    file,
                    &place,
                    "",
                    format!("expected an object with the cmdlet's properties, found {}", kind(&other)),
                ),
            }
        }
        out
    }

    /// An object named by its `Identity`, or by `place` without one.
    pub fn new(file: &str, place: &str, map: Map<String, Value>) -> Self {
        let mut o = Self { file: file.to_owned(), label: place.to_owned(), map };
        if let Some(Value::String(id)) = o.get("Identity") {
            if !id.trim().is_empty() {
                o.label = id.trim().to_owned();
            }
        }
        o
    }

    /// The property, by its name in any case; JSON null is absent.
    pub fn get(&self, property: &str) -> Option<&Value> {
        let v = self
            .map
            .get(property)
            .or_else(|| self.map.iter().find(|(k, _)| k.eq_ignore_ascii_case(property)).map(|(_, v)| v))?;
        (!v.is_null()).then_some(v)
    }

    /// Whether the object has the property (null or not).
    pub fn has(&self, property: &str) -> bool {
        self.map.keys().any(|k| k.eq_ignore_ascii_case(property))
    }

    fn wrong(&self, problems: &mut Problems, property: &str, expected: &str, found: &Value) {
        problems.push(&self.file, &self.label, property, format!("expected {expected}, found {}", kind(found)));
    }

    /// A text property; numbers read as their text. Absent or empty: None.
    pub fn text(&self, property: &str, problems: &mut Problems) -> Option<String> {
        match self.get(property)? {
            Value::String(s) => (!s.is_empty()).then(|| s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_owned()),
            other => {
                self.wrong(problems, property, "text", other);
                None
            }
        }
    }

    /// A text property the object must have.
    pub fn required_text(&self, property: &str, problems: &mut Problems) -> Option<String> {
        let v = self.text(property, problems);
        if v.is_none() && self.get(property).is_none_or(|v| v.is_string()) {
            problems.push(&self.file, &self.label, property, "missing: the cmdlet always writes it");
        }
        v
    }

    /// A boolean: JSON's, or PowerShell's text (`True`, `$false`, `1`).
    pub fn flag(&self, property: &str, problems: &mut Problems) -> Option<bool> {
        let v = self.get(property)?;
        let parsed = match v {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => n.as_i64().map(|n| n != 0),
            Value::String(s) => match s.trim().trim_start_matches('$').to_ascii_lowercase().as_str() {
                "true" | "1" => Some(true),
                "false" | "0" | "" => Some(false),
                _ => None,
            },
            _ => None,
        };
        if parsed.is_none() {
            self.wrong(problems, property, "True or False", v);
        }
        parsed
    }

    /// A whole number, from a JSON number or its text.
    pub fn whole(&self, property: &str, problems: &mut Problems) -> Option<i64> {
        let v = self.get(property)?;
        let parsed = match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) if s.trim().is_empty() => return None,
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.wrong(problems, property, "a whole number", v);
        }
        parsed
    }

    /// A .NET enumeration: its name (any case) or its number, an index
    /// into `names` in the enumeration's order.
    pub fn choice(&self, property: &str, names: &[&str], problems: &mut Problems) -> Option<usize> {
        let v = self.get(property)?;
        let found = match v {
            Value::Number(n) => n.as_u64().and_then(|i| usize::try_from(i).ok()).filter(|&i| i < names.len()),
            Value::String(s) => names.iter().position(|n| n.eq_ignore_ascii_case(s.trim())),
            _ => None,
        };
        if found.is_none() {
            self.wrong(problems, property, &format!("one of {}", names.join(", ")), v);
        }
        found
    }

    /// A list of texts: a JSON array, a lone text, or PowerShell's
    /// `{"value": [...], "Count": n}` wrapping of a collection.
    pub fn texts(&self, property: &str, problems: &mut Problems) -> Vec<String> {
        let Some(v) = self.get(property) else { return Vec::new() };
        let v = unwrap_collection(v);
        match v {
            Value::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => out.push(s.clone()),
                        Value::Number(n) => out.push(n.to_string()),
                        Value::Null => {}
                        other => self.wrong(problems, &format!("{property}[{}]", i + 1), "text", other),
                    }
                }
                out
            }
            Value::String(s) if truncated(s) => {
                self.cut_off(problems, property);
                Vec::new()
            }
            Value::String(s) if s.is_empty() => Vec::new(),
            Value::String(s) => vec![s.clone()],
            other => {
                self.wrong(problems, property, "a list of texts", other);
                Vec::new()
            }
        }
    }

    /// A nested list of objects: objects, their flattened `ToString()`
    /// forms, or one of either alone. Each is named `Identity Property[n]`.
    pub fn objects(&self, property: &str, problems: &mut Problems) -> Vec<CmdletObject> {
        let Some(v) = self.get(property) else { return Vec::new() };
        let items: Vec<&Value> = match unwrap_collection(v) {
            Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let place = format!("{} {property}[{}]", self.label, i + 1);
            match item {
                Value::Object(map) => {
                    let mut o = CmdletObject::new(&self.file, &place, map.clone());
                    o.label = place;
                    out.push(o);
                }
                Value::String(s) if s.trim().is_empty() => {}
                Value::String(s) if truncated(s) => self.cut_off(problems, property),
                Value::String(s) => match flattened(s) {
                    Some(map) => out.push(CmdletObject { file: self.file.clone(), label: place, map }),
                    None => problems.push(
                        &self.file,
                        &self.label,
                        &format!("{property}[{}]", i + 1),
                        format!("`{s}` is neither an object nor its Name=Value;Name=Value form"),
                    ),
                },
                Value::Null => {}
                other => self.wrong(problems, &format!("{property}[{}]", i + 1), "an object", other),
            }
        }
        out
    }

    fn cut_off(&self, problems: &mut Problems, property: &str) {
        problems.push(
            &self.file,
            &self.label,
            property,
            "holds a .NET type name, not the values: the export was cut off at ConvertTo-Json's depth; \
             export again with `ConvertTo-Json -Depth 10`",
        );
    }
}

/// PowerShell 5.1 sometimes writes a collection as `{"value": [...], "Count": n}`.
fn unwrap_collection(v: &Value) -> &Value {
    if let Value::Object(m) = v {
        if m.len() <= 2 && m.keys().any(|k| k.eq_ignore_ascii_case("count")) {
            if let Some((_, inner)) = m.iter().find(|(k, _)| k.eq_ignore_ascii_case("value")) {
                return inner;
            }
        }
    }
    v
}

/// A nested value past the depth, written as its type's name.
fn truncated(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("Microsoft.Rtc.") || s.starts_with("System.Collections.") || s.starts_with("Deserialized."))
        && !s.contains('=')
}

/// `Name=Value;Name=Value` as an object. A `;` not followed by a
/// `Name=` belongs to the value before it (an emergency dial mask `112;911`).
pub fn flattened(s: &str) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    let mut last: Option<String> = None;
    for part in s.split(';') {
        match part.split_once('=') {
            Some((key, value)) if is_name(key) => {
                map.insert(key.to_owned(), Value::String(value.to_owned()));
                last = Some(key.to_owned());
            }
            _ => {
                let key = last.as_ref()?;
                if let Some(Value::String(v)) = map.get_mut(key) {
                    v.push(';');
                    v.push_str(part);
                }
            }
        }
    }
    (!map.is_empty()).then_some(map)
}

fn is_name(key: &str) -> bool {
    key.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && key.chars().all(|c| c.is_ascii_alphanumeric())
}

fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text \"{s}\""),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(json: &str) -> CmdletObject {
        let mut p = Problems::default();
        let v = serde_json::from_str(json).unwrap();
        let mut all = CmdletObject::all_in("f.json", v, &mut p);
        assert!(p.is_empty());
        all.remove(0)
    }

    #[test]
    fn a_flattened_rule_reads_like_a_nested_one() {
        let flat = r#"{"Identity":"Global","NormalizationRules":["Description=;Pattern=^(\\d{4})$;Translation=+1425555$1;Name=4digit;IsInternalExtension=False"]}"#;
        let nested = r#"{"Identity":"Global","NormalizationRules":[{"Description":"","Pattern":"^(\\d{4})$","Translation":"+1425555$1","Name":"4digit","IsInternalExtension":false}]}"#;
        for json in [flat, nested] {
            let mut p = Problems::default();
            let rules = one(json).objects("NormalizationRules", &mut p);
            assert_eq!(rules.len(), 1);
            let r = &rules[0];
            assert_eq!(r.text("pattern", &mut p).as_deref(), Some(r"^(\d{4})$"));
            assert_eq!(r.text("Translation", &mut p).as_deref(), Some("+1425555$1"));
            assert_eq!(r.flag("IsInternalExtension", &mut p), Some(false));
            assert_eq!(r.text("Description", &mut p), None);
            assert_eq!(r.label, "Global NormalizationRules[1]");
            assert!(p.is_empty());
        }
    }

    #[test]
    fn a_lone_object_is_a_list_of_one() {
        let o = one(r#"{"Identity":"Tag:RedmondPolicy","PstnUsages":"Local"}"#);
        let mut p = Problems::default();
        assert_eq!(o.label, "Tag:RedmondPolicy");
        assert_eq!(o.texts("PstnUsages", &mut p), vec!["Local"]);
    }

    #[test]
    fn semicolons_inside_a_value_stay_in_it() {
        let m = flattened("EmergencyDialMask=112;911;Name=x").unwrap();
        assert_eq!(m["EmergencyDialMask"], "112;911");
        assert_eq!(m["Name"], "x");
        assert!(flattened("no pairs here").is_none());
    }

    #[test]
    fn enumerations_read_by_name_or_number() {
        let mut p = Problems::default();
        let names = ["Required", "Optional", "NotSupported"];
        assert_eq!(one(r#"{"SRTPMode":2}"#).choice("SRTPMode", &names, &mut p), Some(2));
        assert_eq!(one(r#"{"SRTPMode":"optional"}"#).choice("srtpmode", &names, &mut p), Some(1));
        assert!(p.is_empty());
        assert_eq!(one(r#"{"SRTPMode":"Sometimes"}"#).choice("SRTPMode", &names, &mut p), None);
        assert!(!p.is_empty());
    }

    #[test]
    fn a_cut_off_export_says_how_to_export_again() {
        let mut p = Problems::default();
        let o = one(
            r#"{"Identity":"Global","NormalizationRules":"Microsoft.Rtc.Management.WritableConfig.Policy.Voice.NormalizationRule"}"#,
        );
        assert!(o.objects("NormalizationRules", &mut p).is_empty());
        let e = p.finish(()).unwrap_err().to_string();
        assert!(e.contains("f.json: Global, property `NormalizationRules`") && e.contains("-Depth"), "{e}");
    }
}
