//! `voicetwin plan --n-minus-1 --report`: the report a design review
//! reads: what the plan is of, what to buy, the routing gaps N-1 found
//! and a size table per growth step.

use std::process::Command;

#[test]
fn the_n_minus_1_plan_report_has_its_header_findings_size_tables_and_charts() {
    let dir = std::env::temp_dir().join(format!("voicetwin-plan-report-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let args = ["plan", "single-trunk-group", "--n-minus-1", "--growth", "1,1.5", "--replications", "2", "--report"];
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(args)
        .arg("--out")
        .arg(&dir)
        .output()
        .expect("the binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    // The header: the network by name, the scenario, the seed, the runs, the target.
    assert!(md.starts_with("# Capacity plan: Single trunk group\n"), "{md}");
    for part in [
        "**Network:** Single trunk group",
        "**Scenario:** Single trunk group: E1 at 1% (Erlang B)",
        "**Seed:** 2013",
        "**Replications:** 2 per confirming run",
        "**Target:** grade of service at most 1% on every stream",
        "**N-1:** sized for any one peer",
    ] {
        assert!(md.contains(part), "{part}: {md}");
    }
    // What to buy, in spans: 30.5 E on one E1 at 1.5×.
    assert!(md.contains("- At 1.5× load, gateway gw needs 1 more E1 span (2 in all), the same with N-1; "), "{md}");
    // The one gateway and the one pool are each a single point of failure,
    // cutting off the site's outbound calls.
    for what in ["gateway gw", "Mediation pool med.example.com"] {
        let line = md
            .lines()
            .find(|l| l.starts_with(&format!("- Single point of failure: {what}. ")))
            .unwrap_or_else(|| panic!("no routing gap finding for {what}: {md}"));
        assert!(line.contains("it cuts off at 1.5× load the outbound PSTN calls of site HQ (all of them)"), "{line}");
    }
    // A server of the two: its sibling takes the calls; no gap.
    assert!(!md.contains("Single point of failure: one Mediation Server"), "{md}");
    assert!(md.contains("- At 1.5× load the plan meets every target: overall grade of service "), "{md}");
    assert!(md.contains("- At 1.5× load with the N-1 sizes, every single failure keeps "), "{md}");
    // A size table per step, a row per element, N-1 beside the plan.
    let table = md.split("## Sizes at 1.5× load\n\n").nth(1).expect("the size table at 1.5×");
    let rows: Vec<&str> = table.lines().take_while(|l| l.starts_with('|')).collect();
    assert_eq!(
        rows[0],
        "| Element | Kind | Unit | Today | Planned | Change | N-1 planned | N-1 change | Why the planned size | \
         Why the N-1 size |"
    );
    assert_eq!(rows.len(), 4, "header, rule, the gateway and the pool: {rows:?}");
    assert!(
        rows[2].starts_with("| gw | pstn-gateway | E1 spans (30 channels each) | 1 | 2 | +1 | 2 | +1 | "),
        "{rows:?}"
    );
    assert!(rows[3].starts_with("| med.example.com | mediation-pool | servers "), "{rows:?}");
    assert!(md.contains("## Sizes at 1× load\n"), "{md}");
    assert!(md.contains("## N-1 failures at 1.5× load (with the N-1 sizes)\n"), "{md}");
    // One chart per unit that changes, whole numbers only on its axis;
    // the pool's servers change at no step: a sentence, not a chart.
    assert!(!dir.join("charts/plan-servers.svg").exists());
    assert!(md.contains("- Mediation Servers: no change at any growth step, N-1 included"), "{md}");
    {
        let chart = "plan.svg";
        let svg = std::fs::read_to_string(dir.join("charts").join(chart)).unwrap();
        assert!(svg.contains("N-1 at 1.5×") && svg.contains("today"), "{chart}");
        assert!(!svg.contains(".0</text>") && !svg.contains(".5</text>"), "{chart}: a decimal count");
        assert!(dir.join("charts").join(chart.replace(".svg", ".png")).exists());
    }
    assert!(md.contains("(charts/plan.svg)"), "{md}");
    let _ = std::fs::remove_dir_all(&dir);
}
