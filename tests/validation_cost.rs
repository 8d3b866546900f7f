//! Validation stays cheap on every valid model, and still finds what is
//! wrong in a large one: a hub of gateways with a full mesh of IP-PBXs
//! (whose trunk graph has more cycles than can be listed), long rule
//! lists, many sites on policed WAN links. Times are printed (run with
//! `--nocapture`), never asserted.

#[path = "common/synthetic.rs"]
mod synthetic;

use std::time::Instant;

use synthetic::{enterprise, pbx_pattern, Size, PBX_OUT_PATTERN};
use voicetwin::model::lint::lint;
use voicetwin::model::{load_str, CacElementKind, Model, ModelError, SiteId};

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    eprintln!("{what}: {:?}", start.elapsed());
    out
}

fn problems(text: &str) -> Vec<String> {
    match load_str(text, "mesh.toml") {
        Ok(_) => Vec::new(),
        Err(ModelError::Invalid { problems, .. }) => problems.iter().map(|p| p.to_string()).collect(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn a_hub_and_a_full_mesh_of_14_pbxs_loads() {
    for pbxs in [12, 13, 14] {
        let text = enterprise(Size::mesh(4, pbxs));
        let m = timed(&format!("load: hub of 4 and mesh of {pbxs} PBXs"), || load_str(&text, "mesh.toml").unwrap());
        assert_eq!(m.trunks.len(), 4 + pbxs);
        let lints = timed("lint", || lint(&m));
        assert_eq!(lints, vec![], "a loop-free mesh is proven loop-free");
    }
}

#[test]
fn a_real_loop_in_a_large_mesh_is_still_found() {
    let text = enterprise(Size::mesh(4, 40));
    assert!(timed("load: mesh of 40", || problems(&text)).is_empty());

    // PBX 37's route also takes PBX 38's numbers: a call for one of them
    // arriving from PBX 38 goes to 37, which sends it back to 38.
    let wide = pbx_pattern(37).replace("037", "03[78]");
    let looped = text.replacen(&pbx_pattern(37), &wide, 1);
    let found = timed("load: mesh of 40 with a loop", || problems(&looped));
    assert_eq!(found.len(), 1, "{found:#?}");
    let p = &found[0];
    assert!(p.contains("trunk_configuration \"PstnGateway:pbx-37\""), "{p}");
    assert!(p.contains("inter-trunk routing can loop: pbx-37 -> pbx-38 -> pbx-37 (e.g. +14250380000)"), "{p}");

    // The PBXs' way to the PSTN no longer leaves out area code 425: every
    // PBX's numbers go gateway -> PBX -> gateway, 160 loops. Ten are
    // listed, shortest numbers first, and the last says there are more.
    let looped = text.replacen(PBX_OUT_PATTERN, r"^\+1\d{10}$", 1);
    let found = timed("load: mesh of 40, PBXs to the PSTN unrestricted", || problems(&looped));
    assert_eq!(found.len(), 10, "{found:#?}");
    for (k, p) in found.iter().take(4).enumerate() {
        assert!(p.contains(&format!("gw-{k} -> pbx-0 -> gw-{k} (e.g. +14250000000)")), "{p}");
    }
    assert!(found[4].contains("gw-0 -> pbx-1 -> gw-0 (e.g. +14250010000)"), "{}", found[4]);
    assert!(found[9].contains("further loops are not listed"), "{}", found[9]);
    assert!(!found[8].contains("further loops"), "{}", found[8]);
}

/// A finding's message without the example number it ends with.
fn without_example(message: &str) -> &str {
    message.split(": e.g.").next().unwrap_or(message)
}

#[test]
fn a_long_rule_list_is_linted_with_the_same_findings() {
    // The global plan holds 1,500 rules; add three that can never apply
    // at its end.
    let size = Size { sites: 4, trunks: 4, rules: 3000, pbxs: 0, policed: false };
    let text = enterprise(size).replacen(
        "  { name = \"g1499\"",
        "  { name = \"dup\", pattern = '^80042(\\d{4})$', translation = '+1$1' },\n  { name = \"ext\", pattern = '^1\\d{3}$', translation = '+1$1' },\n  { name = \"covered\", pattern = '^8001\\d{5}$', translation = '+1$1' },\n  { name = \"g1499\"",
        1,
    );
    let m = load_str(&text, "rules.toml").unwrap();
    let found = timed("lint: 1,503 rules in one list", || lint(&m));
    let shadowed: Vec<(&str, &str)> = found
        .iter()
        .filter(|l| l.code == "shadowed-rule")
        .map(|l| (l.field.as_str(), without_example(&l.message)))
        .collect();
    assert_eq!(
        shadowed,
        [
            ("normalization_rules[dup]", "can never apply: every number it matches is matched first by rule \"g42\""),
            ("normalization_rules[ext]", "can never apply: every number it matches is matched first by rule \"g0\""),
            (
                "normalization_rules[covered]",
                "can never apply: every number it matches is matched first by the rules above it"
            ),
        ],
        "{found:#?}"
    );
}

#[test]
fn call_admission_control_counts_each_pairs_lowest_delay_path() {
    let size = Size { sites: 60, trunks: 8, rules: 20, pbxs: 2, policed: true };
    let m: Model = load_str(&enterprise(size), "cac.toml").unwrap();
    let element = |link: usize| {
        m.cac_elements.iter().position(|e| matches!(e.kind, CacElementKind::WanLink(l) if l == link)).unwrap() as u32
    };
    for a in 0..m.sites.len() {
        for b in 0..m.sites.len() {
            let path = m.wan.path(SiteId::from_index(a), SiteId::from_index(b), &m.links).unwrap();
            let expected: Vec<u32> = path.iter().map(|l| element(l.index())).collect();
            let found = m.cac_path(SiteId::from_index(a), SiteId::from_index(b));
            assert_eq!(&*found, expected.as_slice(), "site {a} to site {b}");
        }
    }
}

#[test]
fn a_large_enterprise_loads_and_checks_clean() {
    // A tenth of the large enterprise of `cargo bench --bench load`.
    let size = Size { sites: 300, trunks: 300, rules: 3000, pbxs: 14, policed: true };
    let text = enterprise(size);
    let m = timed("load: 300 sites, 300 trunks, 3,000 rules", || load_str(&text, "large.toml").unwrap());
    assert_eq!(m.sites.len(), 300);
    assert_eq!(timed("lint", || lint(&m)), vec![]);
}
