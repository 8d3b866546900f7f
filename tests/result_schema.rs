//! The result schema: every file `run`, `whatif`, `plan` and `sweep` write
//! is read back through its own type, names with commas, quotes, pipes
//! and non-ASCII letters come back exactly, and a file of another schema
//! version is refused, naming it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use voicetwin::analysis::schema::network::Network;
use voicetwin::analysis::schema::plan::{ElementKind, PlanResults, PlanRow};
use voicetwin::analysis::schema::series::{CacRow, CallsRow, MosRow, SeriesKind, SeriesRow, StateChangeRow};
use voicetwin::analysis::schema::summary::Summary;
use voicetwin::analysis::schema::sweep::{self, SweepResults};
use voicetwin::analysis::schema::table::{read_csv, CsvRow};
use voicetwin::analysis::schema::whatif::{WhatIfResults, WhatIfRow};
use voicetwin::analysis::schema::{from_json, to_json, ResultFile};
use voicetwin::report::folder::{Completed, ResultsFolder};
use voicetwin::sim::metrics::ElementState;

const PEER: &str = r#"gw, "east" | ü"#;
const TRUNK: &str = r#"trunk, "east" | ü"#;
const SITE: &str = r#"HQ, "main" | ü"#;
const BRANCH: &str = "Branch, 2 | ö";
const LINK: &str = r#"hq-branch, "wan" | ü"#;
const POLICY: &str = r#"branch, "slow" | ö"#;
const ROUTE: &str = r#"Emergency, "110|112" | ü"#;
const PATTERN: &str = r"^\+(110|112)$";
const USAGE: &str = "Emergency | 112";
const FAILURE: &str = r#"gw, "east" | ü fails"#;
const SOURCE: &str = r#"hq, "out" | ü"#;

/// A name as a TOML basic string.
fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\\\""))
}

/// Two sites across a WAN link with call admission control, two
/// gateways, an emergency route whose pattern holds a `|`; every name
/// that can be hostile is.
fn model() -> String {
    format!(
        r#"pstn_usages = ["PSTN", {usage}]

[network]
name = "Hostile, \"names\" | ü"

[[bandwidth_policy]]
name = {policy}
audio_limit_kbps = 500
audio_session_limit_kbps = 175

[[region]]
name = "Region, \"one\" | é"
central_site = {site}

[[site]]
name = {site}
kind = "central"
region = "Region, \"one\" | é"

[[site]]
name = {branch}
kind = "branch"
region = "Region, \"one\" | é"
bandwidth_policy = {policy}

[[wan_link]]
name = {link}
site_a = {site}
site_b = {branch}
bandwidth_kbps = 2000
one_way_delay = "20ms"
jitter = "2ms"
loss_percent = 0.1

[[registrar_pool]]
fqdn = "fe.example.com"
site = {site}
kind = "front-end"
servers = 2

[[mediation_pool]]
fqdn = "med.example.com"
site = {site}
kind = "stand-alone"
servers = 2
calls_per_server = 1500

[[peer]]
name = {peer}
fqdn = "gw1.example.com"
kind = "pstn-gateway"
site = {site}
e1_spans = 1

[[peer]]
name = "gw-west"
fqdn = "gw2.example.com"
kind = "pstn-gateway"
site = {site}
e1_spans = 1

[[trunk]]
name = {trunk}
mediation_pool = "med.example.com"
peer = {peer}

[[trunk]]
name = "gw-west"
mediation_pool = "med.example.com"
peer = "gw-west"

[[voice_route]]
name = {route}
number_pattern = '{pattern}'
pstn_usages = [{usage}]
pstn_gateways = [{trunk}]

[[voice_route]]
name = "All"
number_pattern = '^\+'
pstn_usages = ["PSTN"]
pstn_gateways = [{trunk}, "gw-west"]

[[voice_policy]]
scope = "global"
pstn_usages = [{usage}, "PSTN"]

[[dial_plan]]
scope = "global"
normalization_rules = [
  {{ name = "10digitcallingUS", pattern = '^([2-9]\d{{9}})$', translation = '+1$1' }},
  {{ name = "Emergency", pattern = '^(110|112)$', translation = '+$1' }},
]

[[user_group]]
name = "hq users"
site = {site}
registrar_pool = "fe.example.com"
users = 500
first_number = "+14255550000"

[[user_group]]
name = "branch users"
site = {branch}
registrar_pool = "fe.example.com"
users = 200
first_number = "+14255560000"
"#,
        usage = q(USAGE),
        policy = q(POLICY),
        site = q(SITE),
        branch = q(BRANCH),
        link = q(LINK),
        peer = q(PEER),
        trunk = q(TRUNK),
        route = q(ROUTE),
        pattern = PATTERN,
    )
}

/// An hour of calls from both sites, some to the emergency route, with
/// the hostile gateway failing for ten minutes.
fn scenario() -> String {
    format!(
        r#"name = "Hostile, \"names\" | ü"
model = "model.toml"
duration = "1h"
warm_up = "10m"
replications = 2
seed = 7
bucket = "10m"

[[source]]
name = {source}
user_group = "hq users"
erlangs = 30
holding = {{ exponential = "180s" }}
dial = [{{ weight = 9, template = "NXXNXXXXXX" }}, {{ weight = 1, template = "112" }}]

[[source]]
name = "branch out"
user_group = "branch users"
erlangs = 8
holding = {{ exponential = "180s" }}
dial = [{{ template = "NXXNXXXXXX" }}]

[[failure]]
name = {failure}
element = {element}
kind = "scheduled"
at = "20m"
duration = "10m"
"#,
        source = q(SOURCE),
        failure = q(FAILURE),
        element = q(&format!("peer:{PEER}")),
    )
}

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fresh(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("voicetwin-schema-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A JSON file of a complete folder, read through its type; written
/// again, it is the same text: reading lost nothing.
fn json<T: ResultFile>(dir: &Completed) -> T {
    let text = dir.text(T::FILE).unwrap().unwrap_or_else(|| panic!("{} in the results", T::FILE));
    let value: T = from_json(&text, T::FILE).unwrap_or_else(|e| panic!("{e}"));
    let again = to_json(&value).unwrap();
    let differ = again.lines().zip(text.lines()).enumerate().find(|(_, (a, b))| a != b);
    assert!(differ.is_none() && again.len() == text.len(), "{} written again from what was read: {differ:?}", T::FILE);
    value
}

/// A CSV file of a complete folder, read through its row type.
fn csv<R: CsvRow>(dir: &Completed) -> Vec<R> {
    let text = dir.text(R::FILE).unwrap().unwrap_or_else(|| panic!("{} in the results", R::FILE));
    read_csv(&text, R::FILE).unwrap_or_else(|e| panic!("{e}"))
}

/// The cells of a Markdown table row, unescaped: a `\`-escaped character
/// is text, an unescaped `|` ends a cell.
fn md_cells(line: &str) -> Vec<String> {
    let inner = line.trim().strip_prefix('|').and_then(|l| l.strip_suffix('|')).expect("a table row");
    let (mut cells, mut cell, mut chars) = (Vec::new(), String::new(), inner.chars());
    while let Some(c) = chars.next() {
        match c {
            '\\' => cell.extend(chars.next()),
            '|' => cells.push(std::mem::take(&mut cell).trim().to_owned()),
            c => cell.push(c),
        }
    }
    cells.push(cell.trim().to_owned());
    cells
}

/// Every table of `report.md`: each row has its header's cells. Returns
/// every row's cells.
fn md_tables(dir: &Path) -> Vec<Vec<String>> {
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let mut rows = Vec::new();
    let mut width = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            width = None;
            continue;
        }
        let cells = md_cells(line);
        assert_eq!(*width.get_or_insert(cells.len()), cells.len(), "a row with other cells than its header: {line}");
        rows.push(cells);
    }
    rows
}

#[test]
fn every_file_kind_is_read_back_through_its_type_with_hostile_names() {
    let base = fresh("hostile");
    std::fs::write(base.join("model.toml"), model()).unwrap();
    std::fs::write(base.join("scenario.toml"), scenario()).unwrap();
    let scenario = base.join("scenario.toml");
    let scenario = scenario.to_str().unwrap();
    let out = |name: &str| base.join(name).to_str().unwrap().to_owned();
    let param = format!("model:peer[{PEER}].e1_spans");
    let commands: [Vec<String>; 4] = [
        vec!["run".into()],
        vec!["whatif".into(), "--elements".into(), "peer,wan-link,site".into()],
        vec!["plan".into(), "--precision".into(), "0.5".into(), "--max-replications".into(), "4".into()],
        vec!["sweep".into(), "--param".into(), format!("{param}=1,2")],
    ];
    for args in &commands {
        let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
        let dir = out(&args[0]);
        all.extend([scenario, "--replications", "2", "--report", "--out", &dir]);
        let o = voicetwin(&all);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }

    // The run: its summary, its network, its series.
    let run = Completed::open(&base.join("run")).unwrap();
    let s: Summary = json(&run);
    assert_eq!(s.scenario.name, r#"Hostile, "names" | ü"#);
    assert!(s.peers.iter().any(|p| p.name == PEER && p.capacity == Some(30)), "{:?}", s.peers);
    assert!(s.trunks.iter().any(|t| t.name == TRUNK));
    assert_eq!(s.sites.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), [SITE, BRANCH]);
    assert!(s.sources.iter().any(|g| g.name == SOURCE));
    assert!(s.routes.iter().any(|r| r.name == ROUTE && r.offered.mean > 0.0), "{:?}", s.routes);
    assert_eq!(s.links[0].name, LINK);
    assert!(s.cac.elements.iter().any(|e| e.name == format!("site:{BRANCH}") && e.policy == POLICY));
    assert_eq!(s.failures[0].name, FAILURE);
    assert_eq!(s.failures[0].element, format!("peer:{PEER}"));
    let n: Network = json(&run);
    assert_eq!(n.name, r#"Hostile, "names" | ü"#);
    assert_eq!(n.sites[0].region, r#"Region, "one" | é"#);
    assert_eq!(n.links[0].sites, [SITE, BRANCH]);
    assert_eq!((n.peers[0].name.as_str(), n.peers[0].site.as_str()), (PEER, SITE));
    assert_eq!((n.trunks[0].name.as_str(), n.trunks[0].peer.as_str()), (TRUNK, PEER));
    let route = &n.routes[0];
    assert_eq!((route.name.as_str(), route.number_pattern.as_str()), (ROUTE, PATTERN));
    assert_eq!(
        (route.pstn_usages.as_slice(), route.trunks.as_slice()),
        (&[USAGE.to_owned()][..], &[TRUNK.to_owned()][..])
    );
    let series: Vec<SeriesRow> = csv(&run);
    // Six ten-minute buckets of each element, its name as written.
    for (kind, name) in [(SeriesKind::Peer, PEER), (SeriesKind::Trunk, TRUNK), (SeriesKind::WanLink, LINK)] {
        assert_eq!(series.iter().filter(|r| r.kind == kind && r.element == name).count(), 6, "{name}");
    }
    let calls: Vec<CallsRow> = csv(&run);
    assert_eq!(calls.len(), 6);
    assert!(calls[0].grade_of_service.is_none(), "the first bucket is warm-up");
    assert!(calls[5].offered.value > 0.0 && calls[5].grade_of_service.is_some());
    let mos: Vec<MosRow> = csv(&run);
    assert!(mos.iter().all(|r| (1.0..=4.5).contains(&r.mos_mean.value)) && !mos.is_empty());
    let cac: Vec<CacRow> = csv(&run);
    assert!(cac.iter().all(|r| r.element == format!("site:{BRANCH}")) && cac.len() == 6);
    let timeline: Vec<StateChangeRow> = csv(&run);
    assert!(timeline.iter().all(|r| r.failure == FAILURE && r.element == format!("peer:{PEER}")));
    assert_eq!(timeline[0].state, ElementState::Failed);
    assert_eq!(timeline[0].time_s.value, 1200.0);
    // Its report: the tables of the network name everything as written.
    let rows = md_tables(&base.join("run"));
    assert!(rows.contains(&vec![ROUTE.to_owned(), PATTERN.to_owned(), USAGE.to_owned(), TRUNK.to_owned()]), "{rows:?}");
    assert!(rows.contains(&vec![
        SITE.to_owned(),
        r#"Region, "one" | é"#.to_owned(),
        "central".into(),
        format!("{PEER}; gw-west")
    ]));
    assert!(rows.iter().any(|r| r[..2] == [PEER, "pstn-gateway"]), "{rows:?}");

    // The what-if: each case as the JSON and the CSV have it.
    let whatif = Completed::open(&base.join("whatif")).unwrap();
    let w: WhatIfResults = json(&whatif);
    let lines: Vec<WhatIfRow> = csv(&whatif);
    assert_eq!(lines.len(), w.results.len());
    let peer = w.results.iter().position(|c| c.elements == [format!("peer:{PEER}")]).expect("the hostile peer's case");
    assert_eq!(lines[peer].elements, format!("peer:{PEER}"));
    assert_eq!(lines[peer].rank, w.results[peer].rank);
    let site = w.results.iter().find(|c| c.elements == [format!("site:{SITE}")]).expect("the site's case");
    assert_eq!(site.isolated_sites, [SITE, BRANCH]);
    let link = w.results.iter().position(|c| c.elements == [format!("wan-link:{LINK}")]).expect("the link's case");
    assert_eq!(w.results[link].isolated_sites, [BRANCH]);
    assert_eq!(lines[link].isolated_sites, BRANCH);
    md_tables(&base.join("whatif"));

    // The plan: the hostile gateway and policy by name, in both files.
    let plan = Completed::open(&base.join("plan")).unwrap();
    let p: PlanResults = json(&plan);
    let step = &p.steps[0];
    let of = |kind: ElementKind| step.elements.iter().find(|e| e.kind == kind).unwrap();
    assert_eq!(of(ElementKind::PstnGateway).name, PEER);
    assert_eq!(of(ElementKind::BandwidthPolicy).name, POLICY);
    assert_eq!(of(ElementKind::BandwidthPolicy).element, Some(format!("site:{BRANCH}")));
    assert_eq!(of(ElementKind::WanLink).name, LINK);
    let lines: Vec<PlanRow> = csv(&plan);
    let names: Vec<(&str, &str)> = lines.iter().map(|r| (r.element.as_str(), r.kind.as_str())).collect();
    let expected: Vec<(String, String)> = p.rows().into_iter().map(|r| (r.element, r.kind)).collect();
    assert_eq!(names, expected.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>());
    assert!(names.contains(&(PEER, "pstn-gateway")) && names.contains(&(POLICY, "bandwidth-policy")));
    assert_eq!((lines[0].unit.as_str(), lines[0].needed), (step.elements[0].unit.label(), step.elements[0].needed));
    md_tables(&base.join("plan"));

    // The sweep: the parameter's path, selector and all, names its column.
    let sw = Completed::open(&base.join("sweep")).unwrap();
    let r: SweepResults = json(&sw);
    assert_eq!(r.params[0].name, param);
    assert_eq!(r.points.iter().map(|p| p.values.clone()).collect::<Vec<_>>(), [vec![1.0], vec![2.0]]);
    let (names, lines) = sweep::read_csv(&sw.text(sweep::CSV).unwrap().unwrap(), sweep::CSV).unwrap();
    assert_eq!(names, std::slice::from_ref(&param));
    assert_eq!(lines.iter().map(|l| l.values.clone()).collect::<Vec<_>>(), [vec![1.0], vec![2.0]]);
    for (line, point) in lines.iter().zip(&r.points) {
        assert_eq!(line.figures.offered.map(|n| n.value), Some(point.offered.mean));
        assert_eq!(line.figures.replications, point.replications);
    }
    md_tables(&base.join("sweep"));
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn a_results_file_of_another_schema_version_is_refused_naming_it() {
    let dir = fresh("versions");
    for (command, file, text, says) in [
        ("run", "summary.json", r#"{"schema_version": 99}"#, "schema version 99"),
        ("plan", "plan.json", r#"{"scenario": "written before plan.json had a version"}"#, "no schema_version"),
        ("sweep", "sweep.json", r#"{"schema_version": 1, "scenario": 3}"#, "scenario"),
    ] {
        let mut folder = ResultsFolder::create(&dir, command, &[]).unwrap();
        folder.write(file, text).unwrap();
        folder.commit().unwrap();
        let o = voicetwin(&["report", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains(&dir.join(file).display().to_string()) && e.contains(says), "{file}: {e}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_name_with_a_comma_or_capital_accents_is_one_name_on_the_command_line() {
    let base = fresh("names");
    std::fs::write(base.join("model.toml"), model()).unwrap();
    let model = base.join("model.toml");
    let model = model.to_str().unwrap();
    let route = |down: &[&str]| {
        let mut args =
            vec!["route", "--model", model, "--user", "hq users", "--dial", "+12065550100", "--format", "json"];
        for d in down {
            args.extend(["--down", d]);
        }
        let o = voicetwin(&args);
        assert!(o.status.success(), "{down:?}: {}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let up = route(&[]);
    assert_ne!(up["outcome"], "no-trunk-available", "{up}");
    // The peer's own name, commas and all, and in capitals (ü as Ü),
    // with the other gateway of the route down too.
    for name in [PEER.to_owned(), format!("peer:{PEER}"), PEER.to_uppercase()] {
        let down = route(&[&name, "gw-west"]);
        assert_eq!(down["outcome"], "no-trunk-available", "--down {name}: {down}");
    }
    // A sweep selector ignores case the same way.
    std::fs::write(base.join("scenario.toml"), scenario()).unwrap();
    let scenario = base.join("scenario.toml");
    let param = format!("model:peer[{}].e1_spans=1", PEER.to_uppercase());
    let out = base.join("sweep");
    let o = voicetwin(&[
        "sweep",
        scenario.to_str().unwrap(),
        "--param",
        &param,
        "--replications",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}
