//! `whatif --report` on contoso: the ranking chart flags the site a
//! failure isolates, states the window, and the page has a header of
//! what the results are of.

use std::process::Command;

#[test]
fn the_whatif_report_has_the_header_the_window_and_the_isolation_flag() {
    let dir = std::env::temp_dir().join(format!("voicetwin-whatif-report-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["whatif", "--replications", "4", "--report", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    // The header: the network by its name, the scenario, the target, the
    // window in clock time and what was failed.
    let head = md.lines().find(|l| l.starts_with("**Network:**")).unwrap_or_else(|| panic!("no header:\n{md}"));
    for part in [
        "**Network:** Contoso",
        "**Scenario:**",
        "**Seed:** 2013",
        "**Replications:** 4",
        "**Target:** grade of service at most 1%",
        "**Window:** 10:20 to 11:00",
        "**Elements:** peer, trunk, mediation-pool, wan-link; k = 1",
    ] {
        assert!(head.contains(part), "{part} not in {head}");
    }
    // The worst failure named with its interval, and the chart linked by name.
    assert!(md.contains("The costliest failure is mediation-pool:med-red.contoso.com, from 10:20 to 11:00:"), "{md}");
    assert!(md.contains("(95% CI") && md.contains("(chart whatif-ranking.svg)"), "{md}");
    // Emergency reachability in sentences.
    assert!(md.contains("Dallas's emergency number 911 loses its route when any of these fails:"), "{md}");
    assert!(md.contains("keep a route under every failure tried: NewYork 911"), "{md}");
    // The failures losing no calls named in a sentence, not drawn.
    assert!(md.contains("other failures lose no calls"), "{md}");
    assert!(md.contains("![Failure impact ranking](charts/whatif-ranking.svg)"), "{md}");
    let svg = std::fs::read_to_string(dir.join("charts/whatif-ranking.svg")).unwrap();
    assert!(svg.contains("from 10:20 to 11:00"), "the window in the subtitle");
    assert!(svg.contains("site isolated: Dallas"), "the isolation flag beside its bar");
    assert!(svg.contains("emergency unreachable at Dallas"));
    assert!(svg.contains(">\nwan-link:redmond-dallas\n</text>"));
    assert!(!svg.contains(">\npeer:itsp\n</text>"), "a failure losing no calls has no bar");
    // Whole numbers on the axis of calls.
    assert!(svg.contains(">\n1,000\n</text>"), "{svg}");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("<dt>Network</dt><dd>Contoso, from"), "the header on the page");
    let _ = std::fs::remove_dir_all(&dir);
}
