//! An imported model as a TOML model file: the raw model serialized, rule
//! lists written inline the way `models/contoso.toml` writes them, and
//! every [`Todo`] a `# TODO field: why` comment directly above its object
//! (or in the header for the model as a whole), where `voicetwin check`
//! finds them (`model::todo`).

use toml_edit::{DocumentMut, Item, Value};

use super::{Imported, Todo};

/// The fields naming an object, in the order tables use them.
const KEYS: [&str; 4] = ["name", "fqdn", "scope", "prefix"];

/// Rule lists, written one inline table per line.
const RULE_LISTS: [&str; 4] = [
    "normalization_rules",
    "outbound_translation_rules",
    "outbound_calling_number_translation_rules",
    "sip_response_code_translation_rules",
];

/// The model file's text, `header` lines first (without their `# `).
pub fn to_toml(imported: &Imported, header: &[String]) -> Result<String, String> {
    let text = toml::to_string(&imported.model).map_err(|e| format!("cannot write the model: {e}"))?;
    let mut doc: DocumentMut = text.parse().map_err(|e| format!("cannot write the model: {e}"))?;
    for (_, item) in doc.iter_mut() {
        if let Item::ArrayOfTables(tables) = item {
            for t in tables.iter_mut() {
                for list in RULE_LISTS {
                    if let Some(Item::ArrayOfTables(rules)) = t.get(list) {
                        let mut arr = rules.clone().into_array();
                        for v in arr.iter_mut() {
                            v.decor_mut().set_prefix("\n  ");
                        }
                        arr.set_trailing_comma(true);
                        arr.set_trailing("\n");
                        t.insert(list, Item::Value(Value::Array(arr)));
                    }
                }
            }
        }
    }
    let mut whole: Vec<&Todo> = Vec::new();
    for todo in &imported.todos {
        if todo.table.is_empty() || !attach(&mut doc, todo) {
            whole.push(todo);
        }
    }
    let mut out = String::new();
    for line in header {
        out.push_str(&comment(line));
    }
    if !whole.is_empty() {
        out.push_str("#\n");
        for todo in whole {
            let what = if todo.table.is_empty() { String::new() } else { format!("{} \"{}\": ", todo.table, todo.key) };
            let field = if todo.field.is_empty() { String::new() } else { format!(" {}", todo.field) };
            out.push_str(&comment(&format!("TODO{field}: {what}{}", todo.why)));
        }
    }
    out.push('\n');
    out.push_str(&doc.to_string());
    Ok(out)
}

fn comment(line: &str) -> String {
    if line.is_empty() {
        "#\n".into()
    } else {
        format!("# {line}\n")
    }
}

/// Puts `todo` directly above its object's header; false when there is
/// no such object.
fn attach(doc: &mut DocumentMut, todo: &Todo) -> bool {
    let Some(Item::ArrayOfTables(tables)) = doc.get_mut(&todo.table) else { return false };
    let Some(t) =
        tables.iter_mut().find(|t| KEYS.iter().any(|k| t.get(k).and_then(Item::as_str).is_some_and(|v| v == todo.key)))
    else {
        return false;
    };
    let before = t.decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_owned();
    let before = if before.trim().is_empty() { "\n".to_owned() } else { before };
    let field = if todo.field.is_empty() { String::new() } else { format!(" {}", todo.field) };
    t.decor_mut().set_prefix(format!("{before}# TODO{field}: {}\n", todo.why));
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::file::{DialPlanFile, RegionFile, RuleFile, SiteFile};

    fn imported() -> Imported {
        let mut m = crate::model::file::ModelFile { pstn_usages: vec!["Local".into()], ..Default::default() };
        m.regions.push(RegionFile { name: "NA".into(), central_site: "Redmond".into(), description: String::new() });
        m.sites.push(SiteFile {
            name: "Redmond".into(),
            kind: "central".into(),
            region: "NA".into(),
            bandwidth_policy: None,
            country: "US".into(),
            emergency_numbers: None,
            location_policy: None,
            time_zone: None,
            description: String::new(),
        });
        m.dial_plans.push(DialPlanFile {
            scope: "global".into(),
            description: String::new(),
            external_access_prefix: None,
            optimize_device_dialing: false,
            normalization_rules: vec![RuleFile {
                name: "4digit".into(),
                pattern: r"^(\d{4})$".into(),
                translation: "+1425555$1".into(),
                priority: None,
                is_internal_extension: true,
                description: String::new(),
            }],
        });
        Imported {
            model: m,
            todos: vec![
                Todo::new("site", "Redmond", "country", "the topology gives no country"),
                Todo::new("", "", "user_group", "no user list"),
                Todo::new("peer", "nowhere", "channels", "a peer the model lacks"),
            ],
            notes: Vec::new(),
        }
    }

    #[test]
    fn the_written_model_reads_back_and_check_finds_each_todo() {
        let text = to_toml(&imported(), &["Imported".to_owned()]).unwrap();
        assert!(text.starts_with("# Imported\n"), "{text}");
        assert!(text.contains("# TODO country: the topology gives no country\n[[site]]"), "{text}");
        assert!(text.contains("normalization_rules = [\n  {"), "rule lists inline: {text}");
        let raw = crate::model::read_raw(&text, "m.toml").unwrap();
        assert_eq!(raw.sites[0].name, "Redmond");
        assert_eq!(raw.dial_plans[0].normalization_rules[0].translation, "+1425555$1");
        let lints = crate::model::todo::todos(&text);
        let seen: Vec<(&str, &str)> = lints.iter().map(|l| (l.object.as_str(), l.field.as_str())).collect();
        assert_eq!(
            seen,
            vec![("model", "user_group"), ("model", "channels"), ("site \"Redmond\"", "country")],
            "{text}"
        );
    }
}
