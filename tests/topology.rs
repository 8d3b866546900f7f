//! The report's topology chart names what a design review looks for:
//! every site, peer and WAN link, with their figures.

use std::process::Command;

#[test]
fn the_busy_hour_topology_names_every_site_peer_and_link() {
    let dir = std::env::temp_dir().join(format!("voicetwin-topology-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["run", "busy-hour", "--replications", "2", "--report", "--out", dir.to_str().unwrap()])
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = std::fs::read_to_string(dir.join("charts/topology.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).map(str::trim).collect();
    let expected = [
        // Sites, their kind and users, a branch's CAC limit.
        "Redmond",
        "London",
        "NewYork",
        "Dallas",
        "Paris",
        "central · 4,020 users",
        "branch · 800 users",
        "CAC audio 1.5 Mbps",
        // Mediation pools and their servers.
        "med-red",
        "Mediation · 2 servers",
        "fe-lon",
        // Peers and their capacity.
        "gw-red-1",
        "gw-red-2",
        "gw-lon-1",
        "gw-lon-2",
        "gw-nyc",
        "gw-par",
        "pbx-red",
        "itsp",
        "4 T1 · 92 ch",
        "2 E1 · 60 ch",
        "T1 · 23 ch",
        "SIP · 60 sessions",
        "SIP · 120 sessions",
        // WAN links: bandwidth, one-way delay, loss.
        "100 Mbps · 70 ms · 0.1%",
        "20 Mbps · 35 ms · 0.05%",
        "10 Mbps · 25 ms · 0.05%",
        "10 Mbps · 8 ms · 0.05%",
    ];
    for e in expected {
        assert!(texts.contains(&e), "the topology does not say {e:?}: {texts:?}");
    }
    // The network.json it was drawn from holds the figures.
    let network = std::fs::read_to_string(dir.join("network.json")).unwrap();
    for field in ["\"users\": 4020", "\"one_way_delay_ms\": 70.0", "\"loss_percent\": 0.1", "\"span_kind\": \"T1\""] {
        assert!(network.contains(field), "network.json lacks {field}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
