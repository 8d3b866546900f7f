//! A what-if runs each failure on the parts of the network it touches
//! and writes their change into the whole baseline's figures: exactly
//! what simulating the whole network with the failure gives, call for
//! call. Pairs whose elements touch different parts are the sum of their
//! singles, again exactly. Shards assemble into the one-piece result.

use std::path::Path;

use voicetwin::analysis::interaction::Interaction;
use voicetwin::analysis::paired::{PairedFigures, PartFigures};
use voicetwin::analysis::run::run_paired;
use voicetwin::analysis::shard::Shard;
use voicetwin::analysis::summary::impact;
use voicetwin::analysis::whatif::{
    assemble_whatif, case_scenario, cases, elements, part_scenario, run_whatif, run_whatif_part,
};
use voicetwin::model::Model;
use voicetwin::scenario::{load_file, ElementClass, FailureTarget, Overrides, Scenario};
use voicetwin::sim::run_replication;

fn two_countries() -> (Scenario, Model) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/two-countries/scenario.toml");
    load_file(&path, &Overrides::default()).unwrap()
}

/// The whole network with `targets` failed, as the what-if computes it
/// from the parts the failure touches.
fn from_parts(model: &Model, sc: &Scenario, targets: &[FailureTarget], rep: u32) -> PairedFigures {
    let interaction = Interaction::of(model, sc);
    let of_source = interaction.source_components();
    let baseline = Scenario { failures: Vec::new(), ..sc.clone() };
    let mut whole = PairedFigures::of(&run_replication(model, &baseline, rep));
    let touched = interaction.touched(model, targets);
    let failed = case_scenario(model, sc, targets);
    if let Some(part) = part_scenario(&failed, &sc.sources, &touched, of_source) {
        let mut change = PartFigures::of(&run_replication(model, &part, rep));
        for p in &touched {
            if let Some(alone) = part_scenario(&baseline, &sc.sources, &[*p], of_source) {
                change.combine(&PartFigures::of(&run_replication(model, &alone, rep)), false);
            }
        }
        whole.apply(&change);
    }
    whole
}

#[test]
fn the_two_countries_are_independent_parts() {
    let (sc, model) = two_countries();
    let i = Interaction::of(&model, &sc);
    let c = i.source_components();
    // us-hq-out, us-br-out, us-in | uk-hq-out, uk-br-out.
    assert_eq!(c[0], c[1]);
    assert_eq!(c[0], c[2]);
    assert_eq!(c[3], c[4]);
    assert_ne!(c[0], c[3]);
    let trunk = |name: &str| {
        FailureTarget::Trunk(voicetwin::model::TrunkId::from_index(
            model.trunks.iter().position(|t| t.name == name).unwrap(),
        ))
    };
    assert_eq!(i.touched(&model, &[trunk("uk-gw1")]), vec![c[3]]);
    // The backbone carries no call of either country: cutting it changes
    // nothing; cutting a branch link changes its own country.
    let link = |name: &str| {
        FailureTarget::WanLink(voicetwin::model::LinkId::from_index(
            model.links.iter().position(|l| l.name == name).unwrap(),
        ))
    };
    assert!(i.touched(&model, &[link("backbone")]).is_empty());
    assert_eq!(i.touched(&model, &[link("us-hq-br")]), vec![c[0]]);
}

#[test]
fn a_caller_reaching_the_other_countrys_users_joins_the_parts() {
    let (mut sc, model) = two_countries();
    // A UK user calling a US user's number is an internal call between
    // countries: the two parts now share users (and CAC on both sides).
    let uk = sc.sources.iter().position(|s| s.name == "uk-hq-out").unwrap();
    sc.sources[uk].dial = voicetwin::traffic::DialMix::new(vec![
        (1.0, voicetwin::traffic::DialTemplate::new("+4420NXXXXXXX").unwrap()),
        (1.0, voicetwin::traffic::DialTemplate::new("+14255500XX").unwrap()),
        (1.0, voicetwin::traffic::DialTemplate::new("+1425555010X").unwrap()),
    ])
    .unwrap();
    let c = Interaction::of(&model, &sc).source_components().to_vec();
    assert!(c.iter().all(|x| *x == c[0]), "{c:?}");
    // A template the analysis cannot read (a dial plan's rules would
    // decide) is taken to reach every user: one part.
    sc.sources[uk].dial =
        voicetwin::traffic::DialMix::new(vec![(1.0, voicetwin::traffic::DialTemplate::new("0020NXXXXXXX").unwrap())])
            .unwrap();
    let i = Interaction::of(&model, &sc);
    let c = i.source_components().to_vec();
    assert!(c.iter().all(|x| *x == c[0]), "{c:?}");
    // ... and the what-if says which source, and what the parts could be.
    assert_eq!(i.unbounded(), &[(uk, "0020NXXXXXXX".to_owned())]);
    assert_eq!((i.components(), i.components_if_bounded()), (1, 2));
    let note = voicetwin::analysis::whatif::WhatIfStudy::new(&model, &sc).unbounded_note().expect("a note");
    assert!(
        note.contains("1 template(s) of 1 traffic source(s)")
            && note.contains("`uk-hq-out` dialing `0020NXXXXXXX`")
            && note.contains("leaves the network one part where it could be up to 2"),
        "{note}"
    );
    // Bounded templates: no note.
    let (sc, model) = two_countries();
    assert!(voicetwin::analysis::whatif::WhatIfStudy::new(&model, &sc).unbounded_note().is_none());
}

#[test]
fn every_case_from_its_parts_equals_the_whole_network_simulated() {
    let (sc, model) = two_countries();
    let plan = cases(&model, &elements(&model, &ElementClass::ALL), 2);
    let mut checked_pairs_across = 0;
    for case in plan.iter() {
        let singles_apart = case.singles.is_some() && {
            let i = Interaction::of(&model, &sc);
            let (a, b) = (i.touched(&model, &case.targets[..1]), i.touched(&model, &case.targets[1..]));
            a.iter().all(|x| !b.contains(x))
        };
        // Pairs: only those across parts (the what-if sums them), and a
        // few within one.
        if case.singles.is_some() && !singles_apart && case.targets.iter().any(|t| matches!(t, FailureTarget::Site(_)))
        {
            continue;
        }
        for rep in 0..2 {
            let whole = PairedFigures::of(&run_replication(&model, &case_scenario(&model, &sc, &case.targets), rep));
            assert_eq!(whole, from_parts(&model, &sc, &case.targets, rep), "{:?} replication {rep}", case.targets);
            if singles_apart {
                // The sum of the singles' changes.
                let base =
                    PairedFigures::of(&run_replication(&model, &Scenario { failures: vec![], ..sc.clone() }, rep));
                let mut sum = base.clone();
                for t in case.targets.iter() {
                    let single = from_parts(&model, &sc, std::slice::from_ref(t), rep);
                    sum = add_change(&sum, &single, &base);
                }
                assert_eq!(whole, sum, "{:?} replication {rep}: not the sum of its singles", case.targets);
                checked_pairs_across += 1;
            }
        }
    }
    assert!(checked_pairs_across > 20, "{checked_pairs_across}");
}

/// `sum` + (`single` − `base`), field by field.
fn add_change(sum: &PairedFigures, single: &PairedFigures, base: &PairedFigures) -> PairedFigures {
    let mut out = sum.clone();
    let as_part = |f: &PairedFigures| PartFigures {
        counts: f.counts,
        per_site: f.per_site.iter().enumerate().map(|(i, t)| (i as u32, *t)).collect(),
        pdd_count: f.pdd_count,
        pdd_sum_us: f.pdd_sum_us,
        bucket_offered: f.bucket_offered.clone(),
        bucket_blocked: f.bucket_blocked.clone(),
    };
    let mut change = as_part(single);
    change.combine(&as_part(base), false);
    out.apply(&change);
    out
}

#[test]
fn shards_assemble_into_the_one_piece_result() {
    let (mut sc, model) = two_countries();
    sc.whatif.k = 2;
    sc.whatif.classes = vec![ElementClass::Peer, ElementClass::WanLink];
    sc.replications = 3;
    let whole = run_whatif(&model, &sc, 2, &|_, _| {}).unwrap();
    assert_eq!(whole.components, 2);
    assert!(whole.pairs_summed > 0);
    assert!(whole.results.iter().any(|r| r.sum_of_singles));
    let one = serde_json::to_string(&whole).unwrap();
    for n in [2, 3] {
        let mut parts: Vec<_> =
            Shard::all(n).map(|s| run_whatif_part(&model, &sc, 1, s, &|_, _| {}).unwrap()).collect();
        parts.reverse();
        let merged = assemble_whatif(&model, &sc, parts, 1).unwrap();
        assert_eq!(serde_json::to_string(&merged).unwrap(), one, "{n} shards");
    }
    // A shard missing is named.
    let parts = vec![run_whatif_part(&model, &sc, 1, Shard { index: 0, count: 2 }, &|_, _| {}).unwrap()];
    let e = assemble_whatif(&model, &sc, parts, 1).unwrap_err().to_string();
    assert!(e.contains("shard 1 of 2 is missing"), "{e}");
}

/// A pair that is a sum of singles is put together from the few counts
/// each single keeps per replication, simulating nothing: its figures are
/// those of the pair simulated on the whole network, paired with the
/// same replications without failures, bit for bit.
#[test]
fn a_pair_put_together_from_its_singles_reports_the_pair_simulated_whole() {
    let (mut sc, model) = two_countries();
    sc.whatif.k = 2;
    sc.whatif.classes = vec![ElementClass::Peer, ElementClass::WanLink];
    sc.replications = 3;
    let whatif = run_whatif(&model, &sc, 2, &|_, _| {}).unwrap();
    let plan = cases(&model, &elements(&model, &sc.whatif.classes), 2);
    let mut checked = 0;
    for r in whatif.results.iter().filter(|r| r.sum_of_singles) {
        let case = plan
            .iter()
            .find(|c| c.targets.iter().map(|t| t.label(&model)).collect::<Vec<_>>() == r.elements)
            .expect("a case of the plan");
        let paired = run_paired(&model, &case_scenario(&model, &sc, &case.targets), 1).unwrap();
        let whole = impact(&model, paired.impact.as_ref().unwrap());
        assert_eq!(r.calls_lost, whole.calls_lost, "{}", r.label());
        assert_eq!(r.blocked, whole.blocked, "{}", r.label());
        assert_eq!(r.dropped, whole.dropped, "{}", r.label());
        assert_eq!(r.grade_of_service_delta, whole.grade_of_service, "{}", r.label());
        assert_eq!(r.pdd_delta_ms, whole.pdd_mean_ms, "{}", r.label());
        let w = &whole.windows[0];
        assert_eq!(r.grade_of_service_during, w.grade_of_service_with, "{}", r.label());
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} pairs were sums");
}

/// A shard simulates only its own cases: a pair that is a sum needs no
/// shard to run its singles again. A part whose single lost its terms
/// (edited by hand, or of another version) is refused, not misread.
#[test]
fn shards_run_no_single_twice_and_a_part_without_terms_is_refused() {
    let (mut sc, model) = two_countries();
    sc.whatif.k = 2;
    sc.whatif.classes = vec![ElementClass::Peer, ElementClass::WanLink];
    sc.replications = 2;
    let parts: Vec<_> = Shard::all(3).map(|s| run_whatif_part(&model, &sc, 1, s, &|_, _| {}).unwrap()).collect();
    for p in &parts {
        assert!(
            p.done.iter().all(|d| d.index % 3 == p.shard.index as usize),
            "shard {} ran others' cases",
            p.shard.index
        );
        assert!(!p.baseline_terms.is_empty());
    }
    let mut broken = parts.clone();
    let single = broken.iter_mut().flat_map(|p| p.done.iter_mut()).find(|d| !d.terms.is_empty()).unwrap();
    single.terms.pop();
    let index = single.index;
    let e = assemble_whatif(&model, &sc, broken, 1).unwrap_err().to_string();
    assert!(e.contains(&format!("case {index} (")) && e.contains("has no terms"), "{e}");
    assert!(e.contains(&format!("shard {} of 3", index % 3)), "{e}");
    // Each shard ran the same baseline: one whose terms differ is refused.
    let mut broken = parts.clone();
    broken[1].baseline_terms[0].blocked += 7;
    let e = assemble_whatif(&model, &sc, broken, 1).unwrap_err().to_string();
    assert!(e.contains("shard 1 of 3: its baseline's terms differ"), "{e}");
}
