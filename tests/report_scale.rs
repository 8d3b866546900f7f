//! `report` of a large network: every chart stays the size of a page,
//! a chart that leaves elements out names its measure and the file that
//! holds them all, the topology draws regions, the findings and tables
//! name the worst and count the rest; a small network is drawn whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

fn voicetwin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn ok(out: std::process::Output) {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A generated network of 150 sites in 10 regions, half an hour at 1.3
/// times its load (so that some sites block), two replications, with
/// its report: made once for every test of the file.
fn large() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("voicetwin-report-scale-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let gen = root.join("gen");
        ok(voicetwin(&["generate", "--sites", "150", "--seed", "7", "--out", gen.to_str().unwrap()]));
        let scenario = gen.join("scenario.toml");
        let text = std::fs::read_to_string(&scenario).unwrap();
        let short: Vec<String> = text
            .lines()
            .map(|l| match l {
                l if l.starts_with("duration = ") => "duration = \"30m\"".to_owned(),
                l if l.starts_with("warm_up = ") => "warm_up = \"2m\"".to_owned(),
                l => l.to_owned(),
            })
            .collect();
        std::fs::write(&scenario, short.join("\n")).unwrap();
        let out = root.join("out");
        ok(voicetwin(&[
            "run",
            scenario.to_str().unwrap(),
            "--replications",
            "2",
            "--load-factor",
            "1.3",
            "--threads",
            "2",
            "--report",
            "--out",
            out.to_str().unwrap(),
        ]));
        out
    })
}

fn json(dir: &Path, file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap()
}

fn svg(dir: &Path, chart: &str) -> String {
    std::fs::read_to_string(dir.join("charts").join(chart)).unwrap_or_else(|e| panic!("{chart}: {e}"))
}

/// The texts of an SVG, in document order.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).map(|s| s.trim().to_owned()).collect()
}

fn mean(v: &Value) -> f64 {
    v.get("mean").and_then(Value::as_f64).unwrap_or(f64::NAN)
}

#[test]
fn every_chart_of_a_large_network_fits_a_page() {
    let dir = large();
    let mut charts = 0;
    for e in std::fs::read_dir(dir.join("charts")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "svg") {
            charts += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            let doc = roxmltree::Document::parse(&text).unwrap();
            let size = |a: &str| doc.root_element().attribute(a).unwrap().parse::<f64>().unwrap();
            let (w, h) = (size("width"), size("height"));
            assert!(w <= 1400.0 && h <= 2000.0, "{}: {w} x {h}", path.display());
            let png = std::fs::read(path.with_extension("png")).unwrap();
            let dim = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
            assert_eq!((f64::from(dim(16)), f64::from(dim(20))), (w, h), "{}", path.display());
        }
    }
    assert!(charts >= 8, "{charts} charts");
    let html = std::fs::metadata(dir.join("report.html")).unwrap().len();
    assert!(html < 1_000_000, "report.html of {html} bytes");
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.lines().count() < 250, "report.md of {} lines", md.lines().count());
}

#[test]
fn a_cut_chart_names_its_measure_and_the_file_with_every_element() {
    let dir = large();
    let summary = json(dir, "summary.json");
    let sites = summary["mos"]["sites"].as_array().unwrap().len();
    let dist = texts(&svg(dir, "mos-distribution.svg"));
    let note =
        format!("the 25 worst of {sites} sites by lowest 5th-percentile MOS; every site in summary.json (mos.sites)");
    assert!(dist.contains(&note), "{dist:?}");
    // The all-calls row and the 25 sites: the worst 5th percentile by hand.
    let p5 = |site: &Value| {
        site["cdf"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| (p["share"].as_f64().unwrap() - 0.05).abs() < 1e-9)
            .map(|p| mean(&p["mos"]))
    };
    let mut by_p5: Vec<(f64, String)> = summary["mos"]["sites"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| Some((p5(s)?, s["name"].as_str()?.to_owned())))
        .collect();
    by_p5.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    assert!(dist.contains(&by_p5[0].1) && dist.contains(&by_p5[24].1), "{:?}", &by_p5[..25]);
    assert!(!dist.contains(&by_p5[by_p5.len() - 1].1), "the best site is left out");

    let cac = texts(&svg(dir, "cac.svg"));
    // One panel per policed link: the note counts links, not the fewer
    // policies they share.
    let elements = summary["cac"]["elements"].as_array().unwrap();
    let policies: std::collections::BTreeSet<&str> = elements.iter().map(|e| e["policy"].as_str().unwrap()).collect();
    assert!(
        elements.len() > 10 && policies.len() < elements.len(),
        "{} links, {} policies",
        elements.len(),
        policies.len()
    );
    let note = format!(
        "the 10 highest of {} CAC-policed links by peak admitted / audio limit; every link in cac.csv",
        elements.len()
    );
    assert!(cac.contains(&note), "{cac:?}");
    assert_eq!(cac.iter().filter(|t| t.contains(": audio limit ")).count(), 10);
    // The policy nearest its limit by hand, from cac.csv in the measured window.
    let limit: BTreeMap<String, f64> = summary["cac"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| Some((e["name"].as_str()?.to_owned(), e["audio_limit_kbps"].as_f64()?)))
        .collect();
    let warm_up = summary["scenario"]["warm_up_s"].as_f64().unwrap();
    let mut peak: BTreeMap<String, f64> = BTreeMap::new();
    let csv = std::fs::read_to_string(dir.join("cac.csv")).unwrap();
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells[0].parse::<f64>().unwrap() >= warm_up {
            let p = peak.entry(cells[1].to_owned()).or_default();
            *p = p.max(cells[2].parse().unwrap());
        }
    }
    let nearest = peak
        .iter()
        .filter_map(|(name, p)| Some((p / limit.get(name)?, name)))
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)))
        .unwrap();
    assert!(cac.iter().any(|t| t.starts_with(&format!("{}: audio limit", nearest.1))), "{nearest:?} not in {cac:?}");

    let peers = texts(&svg(dir, "utilization-peer.svg"));
    assert!(
        peers.iter().any(|t| t.starts_with("the 8 busiest of ")
            && t.ends_with("peers by peak utilization; every peer in timeseries.csv")),
        "{peers:?}"
    );
    let load = texts(&svg(dir, "gos-vs-load.svg"));
    assert!(
        load.iter().any(|t| t.starts_with("the 10 worst of ")
            && t.contains("by share of attempts rejected; every peer in summary.json (peers)")),
        "{load:?}"
    );
}

#[test]
fn the_lines_of_a_busy_utilization_chart_are_told_apart_and_their_bands_light() {
    let dir = large();
    let chart = svg(dir, "utilization-peer.svg");
    let attr = |tag: &str, name: &str| -> Vec<String> {
        chart
            .split(&format!("<{tag} "))
            .skip(1)
            .filter_map(|t| t.split(&format!("{name}=\"")).nth(1)?.split('"').next().map(String::from))
            .collect()
    };
    // Eight lines, each its own colour (besides black axes and the grey
    // limit), though the peers are more than the palette's twenty.
    let strokes: std::collections::BTreeSet<String> =
        attr("polyline", "stroke").into_iter().filter(|c| c != "#000000" && c != "#5A5A5A").collect();
    assert_eq!(strokes.len(), 8, "{strokes:?}");
    // Eight bands, each lighter than a lone band's 0.15.
    let bands: Vec<f64> = attr("polygon", "opacity").iter().map(|o| o.parse().unwrap()).collect();
    assert_eq!(bands.len(), 8, "{bands:?}");
    assert!(bands.iter().all(|o| *o <= 0.15 / 8f64.sqrt() + 1e-3), "{bands:?}");
}

#[test]
fn the_topology_of_a_large_network_draws_its_regions_and_names_their_worst_sites() {
    let dir = large();
    let network = json(dir, "network.json");
    let summary = json(dir, "summary.json");
    let t = texts(&svg(dir, "topology.svg"));
    let mut regions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in network["sites"].as_array().unwrap() {
        regions.entry(s["region"].as_str().unwrap().into()).or_default().push(s["name"].as_str().unwrap().into());
    }
    assert!(regions.len() >= 2 && regions.len() <= 24, "{} regions", regions.len());
    for r in regions.keys() {
        assert!(t.contains(r), "region {r} not drawn: {t:?}");
    }
    // No site drawn as its own container: a branch's name is at most in a
    // region's "worst" lines.
    for s in network["sites"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        assert!(!t.iter().any(|x| x == name), "site {name} drawn on its own");
    }
    assert!(t.iter().any(|x| x.starts_with("CAC region: central site")), "the legend says what a node is");
    assert!(t.iter().any(|x| x.contains("every site in network.json")));
    // The worst site of each region by hand: the highest grade of
    // service, then the highest poor-MOS share, then the name, among the
    // sites that blocked or scored a poor call.
    let gos: BTreeMap<&str, f64> = summary["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), mean(&s["grade_of_service"])))
        .collect();
    let poor: BTreeMap<&str, f64> = summary["mos"]["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), mean(&s["poor_share"])))
        .collect();
    let mut named = 0;
    for (region, sites) in &regions {
        let key = |s: &str| {
            let v = |m: &BTreeMap<&str, f64>| m.get(s).copied().filter(|v| v.is_finite()).unwrap_or(f64::NEG_INFINITY);
            (v(&gos), v(&poor))
        };
        let mut bad: Vec<&String> = sites.iter().filter(|s| key(s).0 > 0.0 || key(s).1 > 0.0).collect();
        bad.sort_by(|a, b| key(b).0.total_cmp(&key(a).0).then(key(b).1.total_cmp(&key(a).1)).then(a.cmp(b)));
        // The node's lines: from its name to the next region's.
        let at = t.iter().position(|x| x == region).unwrap();
        let node = &t[at..(at + 6).min(t.len())];
        match bad.first() {
            Some(worst) => {
                named += 1;
                let line = format!("worst {worst}: GoS ");
                assert!(node.iter().any(|x| x.starts_with(&line)), "{region}: {line} not in {node:?}");
            }
            None => assert!(node.iter().any(|x| x == "no call blocked, none poor"), "{region}: {node:?}"),
        }
        let users: u64 = network["sites"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["region"] == region.as_str())
            .map(|s| s["users"].as_u64().unwrap())
            .sum();
        let count = format!("{} sites · ", sites.len());
        assert!(
            node.iter().any(|x| x.starts_with(&count) && x.contains(&format!("{} users", grouped(users)))),
            "{node:?}"
        );
    }
    assert!(named > 0, "at 1.3 times its load some region has a site that blocks");
}

fn grouped(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn findings_and_tables_name_the_worst_and_count_the_rest() {
    let dir = large();
    let summary = json(dir, "summary.json");
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let busy: Vec<(f64, &str)> = summary["peers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| mean(&p["utilization"]) > 0.8)
        .map(|p| (mean(&p["utilization"]), p["name"].as_str().unwrap()))
        .collect();
    let named = md.lines().filter(|l| l.contains("mean utilization: little room for growth")).count();
    if busy.len() > 5 {
        assert_eq!(named, 5, "{md}");
        let rest =
            format!("And {} more peers above 80% mean utilization, listed in summary.json (peers).", busy.len() - 5);
        assert!(md.contains(&rest), "{rest} not in {md}");
        let worst = busy.iter().max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1))).unwrap();
        assert!(md.contains(&format!("- {} runs at", worst.1)), "{worst:?}");
    } else {
        assert_eq!(named, busy.len());
    }
    let peers = summary["peers"].as_array().unwrap().len();
    let title = format!("## PSTN peers (the busiest by utilization, 30 of {peers}; all in summary.json (peers))");
    assert!(md.contains(&title), "{title} not in {md}");
    let sites = summary["sites"].as_array().unwrap().len();
    assert!(md.contains(&format!("## Sites (the first 30 of {sites}; all in network.json)")), "{md}");
    // A table of 30 rows, its header and its rule.
    let rows = md.split("## Sites (").nth(1).unwrap().lines().skip(2).take_while(|l| l.starts_with('|')).count();
    assert_eq!(rows, 32);
}

#[test]
fn a_small_network_draws_every_site() {
    let dir = std::env::temp_dir().join(format!("voicetwin-report-scale-small-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    ok(voicetwin(&["run", "busy-hour", "--replications", "2", "--report", "--out", dir.to_str().unwrap()]));
    let network = json(&dir, "network.json");
    let t = texts(&svg(&dir, "topology.svg"));
    for s in network["sites"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        assert!(t.iter().any(|x| x == name), "site {name} not drawn: {t:?}");
    }
    assert!(!t.iter().any(|x| x.starts_with("CAC region")), "{t:?}");
    for chart in ["mos-distribution.svg", "utilization-peer.svg", "gos-vs-load.svg", "cac.svg"] {
        let all = texts(&svg(&dir, chart));
        assert!(
            !all.iter().any(|x| x.contains(" worst of ") || x.contains(" busiest of ") || x.contains(" highest of ")),
            "{chart}: {all:?}"
        );
    }
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("## Sites\n") && md.contains("## PSTN peers\n") && !md.contains("more peers"), "{md}");
}
