//! `report`: charts, report.html and report.md of results folders.

use std::path::{Path, PathBuf};
use std::process::Command;

fn voicetwin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn fresh(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("voicetwin-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Every chart parses as SVG with a title and axis labels, and the page
/// inlines each one.
fn check_report(dir: &Path, expected: &[&str]) {
    let charts = dir.join("charts");
    let all: Vec<String> =
        std::fs::read_dir(&charts).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let mut found: Vec<String> = all.iter().filter(|f| f.ends_with(".svg")).cloned().collect();
    found.sort();
    assert_eq!(all.len(), 2 * found.len(), "an SVG and a PNG of each chart: {all:?}");
    let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(found, expected);
    // Every chart drawn is one a command with `--report` checks before it runs.
    let checked = voicetwin::report::review::files();
    for f in &all {
        assert!(checked.contains(&format!("charts/{f}")), "{f} is not among the files checked before a run");
    }
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    // Every row of a Markdown table has its header's cells: a `|` in a
    // number pattern is escaped, not a column.
    let mut columns = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let n = line.replace("\\|", "").matches('|').count();
        assert_eq!(*columns.get_or_insert(n), n, "a row with other columns than its header: {line}");
    }
    assert!(!html.contains("<script src") && !html.contains("<link "), "self-contained");
    for f in &found {
        let svg = std::fs::read_to_string(charts.join(f)).unwrap();
        assert!(svg.len() > 1000, "{f} is nearly empty");
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{f}: not valid SVG: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg", "{f}");
        let width: u32 = doc.root_element().attribute("width").unwrap().parse().unwrap();
        let height: u32 = doc.root_element().attribute("height").unwrap().parse().unwrap();
        // The PNG: a valid header and the SVG's own size.
        let png = std::fs::read(charts.join(f.replace(".svg", ".png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{f}: PNG signature");
        assert_eq!(&png[12..16], b"IHDR");
        let dim = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
        assert_eq!((dim(16), dim(20)), (width, height), "{f}: PNG size");
        assert!(png.len() > 5000, "{f}: a PNG with something drawn");
        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(texts.len() >= 5, "{f}: a title and axis labels");
        assert!(html.contains(&format!("id=\"{f}\"")), "{f} in report.html");
        assert!(md.contains(&format!("(charts/{f})")), "{f} in report.md");
    }
    assert_eq!(html.matches("<figure class=\"chart\"").count(), found.len());
    assert_eq!(html.matches("<svg").count(), found.len(), "each chart inlined once");
}

#[test]
fn a_run_with_report_draws_every_chart_and_states_the_findings() {
    let dir = fresh("run");
    // Ten replications: gw-nyc's Erlang B is 2.5%, three can fall under 1%.
    let out = voicetwin(&["run", "busy-hour", "--replications", "10", "--report", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    check_report(
        &dir,
        &[
            "cac.svg",
            "calls.svg",
            "gos-over-time.svg",
            "gos-vs-load.svg",
            "mos.svg",
            "mos-distribution.svg",
            "topology.svg",
            "utilization-mediation-pool.svg",
            "utilization-peer.svg",
            "utilization-trunk.svg",
            "utilization-wan-link.svg",
        ],
    );
    // The busy hour's one-minute buckets: the axis says so.
    let calls = std::fs::read_to_string(dir.join("charts/calls.svg")).unwrap();
    assert!(calls.contains("Calls per minute"), "the calls chart's y axis");
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("| Grade of service |"), "{md}");
    assert!(md.contains("Overall, ") && md.contains("of the calls needing the PSTN side"), "{md}");
    // gw-nyc (23 channels) is the one peer the busy hour overloads: its
    // inbound callers see about 2%.
    assert!(md.contains("gw-nyc refuses"), "{md}");
    // No site has a poor call: a sentence, not a chart of zeros.
    assert!(md.contains("No site had a scored call with a MOS below 3.1 (poor)"), "{md}");
    assert!(md.contains("Source pstn-to-newyork: grade of service "), "{md}");
    assert!(md.contains("| gw-red-1 | pstn-gateway | 92 |"), "{md}");
    // The model: sites, trunks and routes as tables.
    assert!(md.contains("## Sites") && md.contains("| Redmond | "), "{md}");
    assert!(md.contains("## Trunks") && md.contains("| gw-red-1 | med-red.contoso.com | gw-red-1 |"), "{md}");
    assert!(md.contains("## Voice routes"), "{md}");
    // Reporting again from the folder alone gives the same page.
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let again = voicetwin(&["report", dir.to_str().unwrap()]);
    assert!(again.status.success());
    assert_eq!(std::fs::read_to_string(dir.join("report.html")).unwrap(), html);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn whatif_sweep_and_plan_folders_get_their_charts() {
    let w = fresh("whatif");
    assert!(voicetwin(&["whatif", "--replications", "2", "--report", "--out", w.to_str().unwrap()]).status.success());
    check_report(&w, &["whatif-ranking.svg"]);
    // Reporting again redraws the same charts; a file of the user's in
    // `charts/` is neither drawn over nor removed.
    std::fs::write(w.join("charts/network-diagram.svg"), "<svg/>").unwrap();
    assert!(voicetwin(&["report", w.to_str().unwrap()]).status.success());
    assert_eq!(std::fs::read_to_string(w.join("charts/network-diagram.svg")).unwrap(), "<svg/>");
    std::fs::remove_file(w.join("charts/network-diagram.svg")).unwrap();
    check_report(&w, &["whatif-ranking.svg"]);
    let md = std::fs::read_to_string(w.join("report.md")).unwrap();
    assert!(md.contains("Losing wan-link:redmond-dallas cuts Dallas off from the PSTN: rank "), "{md}");
    assert!(md.contains("Ranked by calls lost (most first)"), "{md}");
    // Emergency findings come first: Paris's 112 has its SBA's gateway
    // alone.
    let findings = md.split("## Findings").nth(1).unwrap();
    assert!(findings.trim_start().starts_with("- EMERGENCY: "), "{md}");
    assert!(
        md.contains("Paris's emergency number 112 loses its route when any of these fails: mediation-pool:sba-par.contoso.com, peer:gw-par, trunk:gw-par"),
        "{md}"
    );
    let svg = std::fs::read_to_string(w.join("charts/whatif-ranking.svg")).unwrap();
    assert!(svg.contains("Ranked by calls lost") && svg.contains("site isolated: Dallas"), "the order and flags");
    let s = fresh("sweep");
    let args = ["sweep", "--param", "scenario:source[users].erlangs=15,25", "--replications", "2", "--report", "--out"];
    assert!(voicetwin(&[&args[..], &[s.to_str().unwrap()]].concat()).status.success());
    check_report(&s, &["sweep.svg"]);
    let p = fresh("plan");
    let args = ["plan", "single-trunk-group", "--growth", "1,1.5", "--replications", "2", "--report", "--out"];
    assert!(voicetwin(&[&args[..], &[p.to_str().unwrap()]].concat()).status.success());
    check_report(&p, &["plan.svg"]);
    let md = std::fs::read_to_string(p.join("report.md")).unwrap();
    // The pool's servers change at no step: a sentence instead of a chart.
    assert!(md.contains("- Mediation Servers: no change at any growth step; today's sizes hold."), "{md}");
    // What today's E1 does at 1.5× (30.5 E: Erlang B 12%), then the spans.
    assert!(
        md.contains("At 1.5× load, gateway gw needs 1 more E1 span (2 in all); at today's 1 E1 span it refuses "),
        "{md}"
    );
    assert!(md.contains("of the attempts offered to it."), "{md}");
    for d in [w, s, p] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn a_failover_run_gets_its_timeline_and_impact() {
    let dir = fresh("failover");
    let out =
        voicetwin(&["run", "gateway-failover", "--replications", "3", "--report", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let charts: Vec<String> = std::fs::read_dir(dir.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert!(charts.contains(&"failover-timeline.svg".to_owned()), "{charts:?}");
    let svg = std::fs::read_to_string(dir.join("charts/failover-timeline.svg")).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    for state in ["failed", "marked-down", "peer:gw-red-1"] {
        assert!(svg.contains(state), "{state} on the timeline");
    }
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("gw-red-1 stops answering: ") && md.contains("calls dropped"), "{md}");
    assert!(md.contains("Against the same calls without the failure"), "{md}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_without_results_is_an_input_error() {
    let dir = fresh("empty");
    std::fs::create_dir_all(&dir).unwrap();
    let out = voicetwin(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a complete results folder"));
    // Files a user put there are not results without voicetwin's manifest.
    std::fs::write(dir.join("whatif.csv"), "rank,elements\n1,gw\n").unwrap();
    let out = voicetwin(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a complete results folder"));
    std::fs::remove_file(dir.join("whatif.csv")).unwrap();
    // A results file that does not parse names the file.
    let mut folder = voicetwin::report::folder::ResultsFolder::create(&dir, "whatif", &[]).unwrap();
    folder.write("whatif.csv", "rank,elements\n1\n").unwrap();
    folder.commit().unwrap();
    let out = voicetwin(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("whatif.csv"), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn names_with_commas_and_quotes_are_written_and_read_back() {
    let dir = fresh("hostile-names");
    std::fs::create_dir_all(&dir).unwrap();
    let name = r#"gw, red "one""#;
    let toml_name = name.replace('"', "\\\"");
    let model = include_str!("../models/contoso.toml")
        .replace("\"gw-red-1\"", &format!("\"{toml_name}\""))
        .replace("PstnGateway:gw-red-1", &format!("PstnGateway:{toml_name}"));
    std::fs::write(dir.join("model.toml"), model).unwrap();
    let scenario = include_str!("../scenarios/busy-hour.toml")
        .replace("\"gw-red-1\"", &format!("\"{toml_name}\""))
        .replace("model = \"contoso\"", "model = \"model.toml\"");
    std::fs::write(dir.join("scenario.toml"), scenario).unwrap();
    let out = dir.join("run");
    for args in [vec!["run"], vec!["whatif", "--elements", "peer"]] {
        let o = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
            .args(&args)
            .arg(dir.join("scenario.toml"))
            .args(["--replications", "2", "--report", "--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        let csv = if args[0] == "run" { "timeseries.csv" } else { "whatif.csv" };
        let text = std::fs::read_to_string(out.join(csv)).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let width = reader.headers().unwrap().len();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(rows.iter().all(|r| r.len() == width), "{csv}: every row its header's width");
        assert!(rows.iter().any(|r| r.iter().any(|f| f.contains(name))), "{csv} holds the name as written");
        let md = std::fs::read_to_string(out.join("report.md")).unwrap();
        assert!(md.contains("gw, red"), "{args:?}: the report names it");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
