//! What an imported model leaves to fill: its `# TODO` comments, as lints
//! naming the object and field (`voicetwin check` lists them).
//!
//! `voicetwin import` writes `# TODO field: why` directly above the object
//! a value is missing from, and the model-wide ones in the file's header.
//! A TODO comment directly above a table's header belongs to that table;
//! any other belongs to the table it is in (the model before the first).

use super::lint::Lint;

/// The `todo` lints of a model file's text, in file order.
pub fn todos(text: &str) -> Vec<Lint> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut current = "model".to_owned();
    let mut pending: Vec<&str> = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if let Some(todo) = line.strip_prefix('#').map(str::trim).and_then(|c| c.strip_prefix("TODO")) {
            pending.push(todo);
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            current = object(&lines, i);
        }
        for todo in pending.drain(..) {
            out.push(lint(&current, todo));
        }
    }
    for todo in pending {
        out.push(lint(&current, todo));
    }
    out
}

fn lint(object: &str, todo: &str) -> Lint {
    // `TODO: why` is about the object; `TODO field: why` about a field.
    let todo = todo.trim();
    let (field, message) = match todo.strip_prefix(':') {
        Some(m) => (String::new(), m.trim().to_owned()),
        None => match todo.split_once(':') {
            Some((f, m)) if !f.trim().contains(char::is_whitespace) => (f.trim().to_owned(), m.trim().to_owned()),
            _ => (String::new(), todo.to_owned()),
        },
    };
    Lint { code: "todo", object: object.to_owned(), field, message: format!("left to fill: {message}") }
}

/// The object a header line opens: `wan_link "redmond-london"`, by the
/// first naming field of its table.
fn object(lines: &[&str], header: usize) -> String {
    let kind = lines[header].trim().trim_matches(|c| c == '[' || c == ']').trim().to_owned();
    for line in &lines[header + 1..] {
        let l = line.trim();
        if l.starts_with('[') {
            break;
        }
        if let Some((k, v)) = l.split_once('=') {
            if ["name", "fqdn", "scope", "prefix"].contains(&k.trim()) {
                return format!("{kind} {}", v.trim());
            }
        }
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_todo_names_its_object_and_field() {
        let text = "# Imported\n#\n# TODO user_group: no user list\n\npstn_usages = [\"Local\"]\n\n\
                    [[site]]\nname = \"Redmond\"\n\n\
                    # TODO one_way_delay: not in the exports\n# TODO bandwidth_kbps: not in the exports\n\
                    [[wan_link]]\nname = \"red-lon\"\n# TODO: check this link\n";
        let got = todos(text);
        let seen: Vec<(&str, &str)> = got.iter().map(|l| (l.object.as_str(), l.field.as_str())).collect();
        assert_eq!(
            seen,
            vec![
                ("model", "user_group"),
                ("wan_link \"red-lon\"", "one_way_delay"),
                ("wan_link \"red-lon\"", "bandwidth_kbps"),
                ("wan_link \"red-lon\"", ""),
            ]
        );
        assert_eq!(got[0].message, "left to fill: no user list");
        assert!(got.iter().all(|l| l.code == "todo"));
        assert!(todos("[[site]]\nname = \"a\"\n").is_empty());
    }
}
