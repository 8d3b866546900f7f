//! A plan confirms and trims in the network's independent parts: each
//! round or trial runs only the parts whose sizes it changes, the others'
//! replications kept from before. The plan is exactly the one running
//! the whole network every time finds: the same sizes, the same deciding
//! figures, the same replications.

use std::path::Path;

use voicetwin::analysis::interaction::Interaction;
use voicetwin::analysis::plan::{plan, PlanOptions, PlanResults, SizeBasis};
use voicetwin::scenario::{load_file, Overrides};

fn two_countries() -> (voicetwin::scenario::Scenario, voicetwin::model::Model) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/two-countries/scenario.toml");
    load_file(&path, &Overrides::default()).unwrap()
}

fn planned(in_parts: bool) -> PlanResults {
    let (sc, model) = two_countries();
    let o = PlanOptions { allow_shrink: true, in_parts, ..PlanOptions::new(0.01, &[1.0, 1.5], 2) };
    plan(&model, &sc, &o).unwrap()
}

#[test]
fn a_plan_in_parts_is_the_plan_of_the_whole_network() {
    let (sc, model) = two_countries();
    assert_eq!(Interaction::of(&model, &sc).components(), 2, "the fixture's two countries share nothing");
    let parts = planned(true);
    let whole = planned(false);
    assert_eq!(serde_json::to_string_pretty(&parts).unwrap(), serde_json::to_string_pretty(&whole).unwrap());
    // Trials ran in each country alone and across both (the branch
    // bandwidth policy polices a link in each).
    for step in &parts.steps {
        assert!(step.met, "{step:?}");
        let trimmed = |prefix: &str| {
            step.elements
                .iter()
                .any(|e| e.name.starts_with(prefix) && e.needed < e.today && e.basis != SizeBasis::Today)
        };
        assert!(trimmed("uk-") && trimmed("us-"), "{step:?}");
        let branch = step.elements.iter().find(|e| e.name == "branch").unwrap();
        assert_eq!(branch.basis, SizeBasis::Minimal, "{branch:?}");
        assert!(step.elements.iter().any(|e| e.name.starts_with("us-") && e.basis == SizeBasis::Minimal));
        // No voice crosses the backbone (the countries share nothing): it
        // keeps today's bandwidth, though shrinking is allowed.
        let backbone = step.elements.iter().find(|e| e.name == "backbone").unwrap();
        assert_eq!(backbone.demand_erlangs, 0.0, "{backbone:?}");
        assert_eq!((backbone.erlang_b, backbone.needed, backbone.basis), (0, backbone.today, SizeBasis::Today));
    }
}
