//! One `check` run reports all of a model's problems: ranges, references,
//! trunk-configuration rules and scopes together; and every entry's type
//! errors, each naming its object and field.

use std::process::Command;

const CONTOSO: &str = include_str!("../models/contoso.toml");

fn check(name: &str, text: &str) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(format!("voicetwin-one-pass-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(["check", "--model"]).arg(&path).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (o.status.code(), err)
}

fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "edit target not found: {from}");
    text.replacen(from, to, 1)
}

#[test]
fn range_reference_bypass_and_scope_errors_in_one_run() {
    let text = edit(CONTOSO, "e1_spans = 4", "e1_spans = 5000"); // range: 1-1,000
    let text = edit(&text, r#"pstn_gateways = ["gw-nyc"]"#, r#"pstn_gateways = ["gw-nowhere"]"#);
    let text = edit(
        &text,
        "scope = \"site:NewYork\"\nenable_bypass = true\n",
        "scope = \"site:NewYork\"\nenable_bypass = true\nconcentrated_topology = false\n",
    );
    let text = edit(&text, "[[dial_plan]]\nscope = \"site:London\"", "[[dial_plan]]\nscope = \"site:Londn\"");
    let (code, err) = check("four", &text);
    assert_eq!(code, Some(2), "{err}");
    for needle in [
        "peer \"gw-lon-1\", field `e1_spans`",
        "field `pstn_gateways`: refers to trunk \"gw-nowhere\"",
        "trunk_configuration \"site:NewYork\", field `enable_bypass`: media bypass needs concentrated_topology",
        "dial_plan \"site:Londn\", field `scope`: refers to site \"Londn\"",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert!(err.contains("4 problems"), "nothing else: {err}");
}

#[test]
fn a_model_without_sites_says_what_was_not_checked() {
    let text = "[[registrar_pool]]\nfqdn = \"fe\"\nsite = \"HQ\"\nkind = \"front-end\"\nservers = 1\n\n[[user_group]]\nname = \"u\"\nsite = \"HQ\"\nregistrar_pool = \"fe\"\nusers = 1\nfirst_number = \"+14255550100\"\n";
    let (code, err) = check("no-site", text);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("defines no site"), "{err}");
    assert!(err.contains("user groups and inter-trunk routing not checked: the model defines no site"), "{err}");
}

#[test]
fn every_entrys_type_errors_are_reported_with_their_objects() {
    let text = edit(CONTOSO, "t1_spans = 4", "t1_spans = \"four\"");
    let text = edit(&text, "session_limit = 120", "session_limit = \"many\"");
    let text = edit(&text, "mediation_port = 5067", "mediation_port = 5067\nmedia_port = 1");
    let (code, err) = check("types", &text);
    assert_eq!(code, Some(2), "{err}");
    for needle in [
        "field `t1_spans`",
        "invalid type: string \"four\"",
        "peer \"itsp\", field `session_limit`",
        "invalid type: string \"many\"",
        "field `media_port`",
        "not validated further",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    // The first says where, by line.
    assert!(err.contains("line"), "{err}");
}
