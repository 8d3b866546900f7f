//! `whatif --k 2`: no pair of an element and a part of itself is run
//! (they are counted and said to be skipped); the singles run too; a
//! pair whose calls equal one of its singles' in every replication is
//! folded into it, named, and not ranked.

use std::process::Command;

use voicetwin::analysis::whatif::run_whatif;
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::{builtin, load_for_model, ElementClass};

#[test]
fn no_peer_is_paired_with_its_own_trunk_and_the_skipped_are_counted() {
    let dir = std::env::temp_dir().join(format!("voicetwin-pairs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["whatif", "--elements", "peer,trunk", "--k", "2", "--all-pairs", "--replications", "2"])
        .args(["--out", dir.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r: voicetwin::analysis::schema::whatif::WhatIfResults = serde_json::from_slice(&o.stdout).unwrap();
    // contoso: 8 peers, 10 trunks, each trunk to one peer: 153 pairs, of
    // which the 10 of a peer with its own trunk are skipped.
    assert_eq!(r.pairs_skipped, 10);
    let singles = r.results.iter().filter(|c| c.elements.len() == 1).count();
    assert_eq!(singles, 18, "the singles run in k = 2 too");
    let folded: Vec<&String> = r.results.iter().flat_map(|c| &c.folded_pairs).collect();
    assert_eq!(folded.len(), r.pairs_folded);
    assert_eq!(r.results.len() - singles + r.pairs_folded, 153 - 10);
    let own = |a: &str, b: &str| {
        let (peer, trunk) = (a.strip_prefix("peer:"), b.strip_prefix("trunk:"));
        peer.zip(trunk).is_some_and(|(p, t)| t == p || t.starts_with(&format!("{p}-")))
    };
    let pairs = r
        .results
        .iter()
        .filter(|c| c.elements.len() == 2)
        .map(|c| c.elements.clone())
        .chain(folded.iter().map(|l| l.split(" + ").map(str::to_owned).collect()));
    let mut seen = 0;
    for p in pairs {
        assert!(!own(&p[0], &p[1]), "{p:?} pairs a peer with its own trunk");
        seen += 1;
    }
    assert_eq!(seen, 143);
    // gw-red-2 and its long-distance trunk are one failure; gw-red-1's
    // trunk with gw-red-2 is not.
    assert!(!r.results.iter().any(|c| c.elements == ["peer:gw-red-2", "trunk:gw-red-2-ld"]));
    let text = voicetwin::report::whatif::render(&r);
    assert!(text.contains("10 pairs skipped: an element with a part of itself"), "{text}");
    let json = std::fs::read_to_string(dir.join("whatif.json")).unwrap();
    assert!(json.contains("\"pairs_skipped\": 10"), "{json}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The single trunk group's model with two load-shared gateways and a
/// spare one that no route uses.
fn spare_model() -> voicetwin::model::Model {
    let text = include_str!("../models/single-trunk-group.toml")
        .replacen("pstn_gateways = [\"gw\"]", "pstn_gateways = [\"gw\", \"gw2\"]", 1)
        .to_owned()
        + "\n[[peer]]\nname = \"gw2\"\nfqdn = \"gw2.example.com\"\nkind = \"pstn-gateway\"\nsite = \"HQ\"\nchannels = 20\n\n\
           [[trunk]]\nname = \"gw2\"\nmediation_pool = \"med.example.com\"\npeer = \"gw2\"\n\n\
           [[peer]]\nname = \"spare\"\nfqdn = \"spare.example.com\"\nkind = \"pstn-gateway\"\nsite = \"HQ\"\nt1_spans = 1\n\n\
           [[trunk]]\nname = \"spare\"\nmediation_pool = \"med.example.com\"\npeer = \"spare\"\n";
    load_model(&text, "spare.toml").unwrap()
}

#[test]
fn a_pair_with_the_calls_of_one_of_its_singles_is_folded_into_it() {
    let m = spare_model();
    let text = builtin("single-trunk-group").unwrap().replace("duration = \"24h\"", "duration = \"4h\"");
    let mut sc = load_for_model(&text, "spare-scenario.toml", &m).unwrap();
    sc.replications = 3;
    sc.whatif.classes = vec![ElementClass::Peer];
    sc.whatif.k = 2;
    let r = run_whatif(&m, &sc, 2, &|_, _| ()).unwrap();
    // gw + spare and gw2 + spare lose exactly what gw and gw2 lose: the
    // spare carries nothing. gw + gw2 loses more than either: it stays.
    assert_eq!(r.pairs_folded, 2);
    let labels: Vec<String> = r.results.iter().map(|c| c.label()).collect();
    assert_eq!(labels.len(), 4, "{labels:?}");
    assert!(labels.contains(&"peer:gw + peer:gw2".to_owned()));
    let gw = r.results.iter().find(|c| c.elements == ["peer:gw"]).unwrap();
    assert_eq!(gw.folded_pairs, ["peer:gw + peer:spare"]);
    let gw2 = r.results.iter().find(|c| c.elements == ["peer:gw2"]).unwrap();
    assert_eq!(gw2.folded_pairs, ["peer:gw2 + peer:spare"]);
    let both = r.results.iter().find(|c| c.elements.len() == 2).unwrap();
    assert!(both.calls_lost.mean > gw.calls_lost.mean.max(gw2.calls_lost.mean));
    assert_eq!(both.rank, 1);
    let text = voicetwin::report::whatif::render(&r);
    assert!(text.contains("2 pairs folded into one of their singles"), "{text}");
    assert!(text.contains("peer:gw + peer:spare  =  peer:gw"), "{text}");
}

/// Runs contoso's what-if with `args` and reads its results.
fn contoso_whatif(args: &[&str], name: &str) -> voicetwin::analysis::schema::whatif::WhatIfResults {
    let dir = std::env::temp_dir().join(format!("voicetwin-pairs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["whatif", "--replications", "1"])
        .args(args)
        .args(["--out", dir.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Every pair a what-if ran, ranked or folded, sorted.
fn pairs_of(r: &voicetwin::analysis::schema::whatif::WhatIfResults) -> Vec<Vec<String>> {
    let mut p: Vec<Vec<String>> = r
        .results
        .iter()
        .filter(|c| c.elements.len() == 2)
        .map(|c| c.elements.clone())
        .chain(r.results.iter().flat_map(|c| &c.folded_pairs).map(|l| l.split(" + ").map(str::to_owned).collect()))
        .collect();
    p.sort();
    p
}

#[test]
fn pairs_with_an_element_that_alone_cuts_a_site_off_are_left_out_unless_asked() {
    let classes = ["--elements", "site,wan-link,peer", "--k", "2"];
    let all = contoso_whatif(&[&classes[..], &["--all-pairs"]].concat(), "all");
    let pruned = contoso_whatif(&classes, "pruned");
    assert!(all.all_pairs && !pruned.all_pairs);
    assert_eq!(all.pairs_dominated, 0);
    // The singles that cut a site off, from the singles' own results.
    let isolating: Vec<&str> = all
        .results
        .iter()
        .filter(|c| c.elements.len() == 1 && !c.isolated_sites.is_empty())
        .map(|c| c.elements[0].as_str())
        .collect();
    assert!(isolating.len() >= 2, "contoso has sites to cut off: {isolating:?}");
    assert!(isolating.iter().all(|e| pruned.results.iter().any(|c| c.elements == [*e])), "singles still run");
    let dominated = |p: &Vec<String>| p.iter().any(|e| isolating.contains(&e.as_str()));
    let (gone, kept): (Vec<_>, Vec<_>) = pairs_of(&all).into_iter().partition(dominated);
    assert!(!gone.is_empty());
    assert_eq!(pruned.pairs_dominated, gone.len());
    assert_eq!(pairs_of(&pruned), kept, "exactly the pairs without an isolating element run");
    assert_eq!(pruned.pairs_skipped, all.pairs_skipped);
    // Leaving pairs out changes nothing of the others.
    for c in &pruned.results {
        let same = all.results.iter().find(|a| a.elements == c.elements).unwrap();
        assert_eq!(same.calls_lost, c.calls_lost, "{}", c.label());
    }
    let text = voicetwin::report::whatif::render(&pruned);
    assert!(
        text.contains(&format!("{} pairs left out as dominated: one element alone cuts a site off", gone.len())),
        "{text}"
    );
}

#[test]
fn a_pairs_choice_that_is_not_one_is_an_error_naming_the_field() {
    let m = spare_model();
    let text = builtin("single-trunk-group").unwrap().to_owned() + "\n[whatif]\nk = 2\npairs = \"most\"\n";
    let e = load_for_model(&text, "pairs.toml", &m).unwrap_err().to_string();
    assert!(e.contains("pairs.toml") && e.contains("[whatif]") && e.contains("pairs") && e.contains("\"most\""), "{e}");
    let all = load_for_model(&text.replace("\"most\"", "\"all\""), "pairs.toml", &m).unwrap();
    assert!(all.whatif.all_pairs);
}

#[test]
fn pairs_of_an_element_failing_what_an_earlier_one_fails_are_left_out_and_named() {
    let classes = ["--elements", "peer,trunk", "--k", "2"];
    let all = contoso_whatif(&[&classes[..], &["--all-pairs"]].concat(), "eq-all");
    let pruned = contoso_whatif(&classes, "eq-pruned");
    assert_eq!(all.pairs_equivalent, 0);
    // contoso: a peer with one trunk fails what that trunk fails (peers
    // come first in element order, so the peer stands for the trunk).
    // Elements equivalent to a single, and pairs failing together exactly
    // what a single fails ("a + b").
    let (pair_equivalents, later): (Vec<String>, Vec<String>) =
        pruned.results.iter().flat_map(|c| c.equivalent.clone()).partition(|e| e.contains(" + "));
    assert!(!later.is_empty());
    for c in pruned.results.iter().filter(|c| !c.equivalent.is_empty()) {
        let peer = c.elements[0].strip_prefix("peer:").expect("a peer stands for its trunk");
        for e in c.equivalent.iter().filter(|e| !e.contains(" + ")) {
            let trunk = e.strip_prefix("trunk:").unwrap();
            assert!(trunk == peer || trunk.starts_with(&format!("{peer}-")), "{peer} and {trunk}");
        }
    }
    // With every pair run, the singles still name their equivalents.
    let named = |r: &voicetwin::analysis::schema::whatif::WhatIfResults| {
        let mut v: Vec<(String, Vec<String>)> =
            r.results.iter().filter(|c| c.elements.len() == 1).map(|c| (c.label(), c.equivalent.clone())).collect();
        v.sort();
        v
    };
    assert_eq!(named(&all), named(&pruned));
    // gw-red-2 has two trunks: failing it is not failing either one, but
    // failing both (the ITSP's two trunks are the ITSP too).
    let equivalent_of = |e: &str| pruned.results.iter().find(|c| c.elements == [e]).unwrap().equivalent.clone();
    assert_eq!(equivalent_of("peer:gw-red-2"), ["trunk:gw-red-2 + trunk:gw-red-2-ld"]);
    assert_eq!(equivalent_of("peer:itsp"), ["trunk:itsp-red + trunk:itsp-lon"]);
    assert_eq!(pair_equivalents.len(), 2, "{pair_equivalents:?}");
    let (gone, kept): (Vec<_>, Vec<_>) = pairs_of(&all)
        .into_iter()
        .partition(|p| p.iter().any(|e| later.contains(e)) || pair_equivalents.contains(&p.join(" + ")));
    assert_eq!(pruned.pairs_equivalent, gone.len());
    assert_eq!(pairs_of(&pruned), kept);
    // Every single still runs.
    assert_eq!(
        pruned.results.iter().filter(|c| c.elements.len() == 1).count(),
        all.results.iter().filter(|c| c.elements.len() == 1).count()
    );
    let text = voicetwin::report::whatif::render(&pruned);
    assert!(text.contains(&format!("{} pairs left out as equivalent", gone.len())), "{text}");
    assert!(text.contains("same failure as trunk:"), "{text}");
    // Exact, not a likeness: an element failing what an earlier one fails
    // draws from the earlier one's streams, so in the run of every pair
    // each left-out single and pair has the figures of the one kept in
    // its place, bit for bit.
    let figures = |elements: &[String]| {
        let mut key = elements.to_vec();
        key.sort();
        let case = all
            .results
            .iter()
            .find(|c| {
                let mut e = c.elements.clone();
                e.sort();
                e == key
            })
            .map(|c| (c.calls_lost, c.blocked, c.dropped, c.grade_of_service_delta, c.pdd_delta_ms));
        case.unwrap_or_else(|| panic!("{key:?} not ranked in the run of every pair"))
    };
    let stands_for: Vec<(String, String)> = pruned
        .results
        .iter()
        .flat_map(|c| c.equivalent.iter().filter(|e| !e.contains(" + ")).map(|e| (e.clone(), c.elements[0].clone())))
        .collect();
    // A pair failing what one element fails is the same failure to
    // routing, simulated with its own elements' draws (when each peer's
    // keep-alives notice it): close to the single's figures, not equal.
    for pair in &pair_equivalents {
        let single = pruned.results.iter().find(|c| c.equivalent.contains(pair)).unwrap();
        let single = all.results.iter().find(|c| c.elements == single.elements).unwrap();
        match all.results.iter().find(|c| c.label() == *pair) {
            Some(p) => assert!(
                p.calls_lost.ci95_low <= single.calls_lost.mean && single.calls_lost.mean <= p.calls_lost.ci95_high,
                "{pair}: {:?} against {:?}",
                p.calls_lost,
                single.calls_lost
            ),
            None => {
                assert!(all.results.iter().any(|c| c.folded_pairs.contains(pair)), "{pair} neither ranked nor folded")
            }
        }
    }
    let mut compared = 0;
    for (later, first) in &stands_for {
        assert_eq!(figures(std::slice::from_ref(later)), figures(std::slice::from_ref(first)), "{later} and {first}");
    }
    for pair in gone.iter().filter(|p| !pair_equivalents.contains(&p.join(" + "))) {
        let kept: Vec<String> = pair
            .iter()
            .map(|e| stands_for.iter().find(|(l, _)| l == e).map_or(e.clone(), |(_, f)| f.clone()))
            .collect();
        // Folded pairs are not ranked; a pair of two equivalents of one
        // element has no pair in its place.
        if kept[0] == kept[1]
            || [pair.clone(), kept.clone()].iter().any(|p| {
                all.results
                    .iter()
                    .flat_map(|c| &c.folded_pairs)
                    .any(|f| *f == p.join(" + ") || *f == format!("{} + {}", p[1], p[0]))
            })
        {
            continue;
        }
        assert_eq!(figures(pair), figures(&kept), "{pair:?} and {kept:?}");
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} left-out pairs compared");
}

#[test]
fn all_pairs_without_n_minus_2_is_refused() {
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(["whatif", "--all-pairs"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("--all-pairs") && e.contains("--k 2"), "{e}");
}

#[test]
fn a_pair_failing_exactly_what_an_earlier_pair_fails_is_left_out_and_named_on_it() {
    let classes = ["--elements", "peer,trunk,mediation-pool", "--k", "2"];
    let all = contoso_whatif(&[&classes[..], &["--all-pairs"]].concat(), "pp-all");
    let pruned = contoso_whatif(&classes, "pp-pruned");
    let named: Vec<(String, String)> = pruned
        .results
        .iter()
        .filter(|c| c.elements.len() == 2)
        .flat_map(|c| c.equivalent.iter().map(move |e| (e.clone(), c.label())))
        .chain(pruned.results.iter().filter(|c| c.elements.len() == 1).flat_map(|c| {
            // Pairs named on a pair that was folded into this single.
            c.equivalent.iter().filter(|e| e.contains(" + ")).map(move |e| (e.clone(), c.label()))
        }))
        .collect();
    // The pool's failure takes the ITSP's Redmond trunk down: the ITSP
    // with it is its London trunk with it.
    let itsp = named.iter().find(|(later, _)| later == "trunk:itsp-lon + mediation-pool:med-red.contoso.com");
    assert_eq!(
        itsp.map(|(_, first)| first.as_str()),
        Some("peer:itsp + mediation-pool:med-red.contoso.com"),
        "{named:?}"
    );
    let run_pruned: Vec<String> = pairs_of(&pruned).iter().map(|p| p.join(" + ")).collect();
    let run_all: Vec<String> = pairs_of(&all).iter().map(|p| p.join(" + ")).collect();
    let calls_lost = |label: &str| {
        all.results.iter().find(|c| c.label() == label).map(|c| c.calls_lost.mean).unwrap_or_else(|| {
            // Folded: the single's figures.
            all.results.iter().find(|c| c.folded_pairs.iter().any(|f| f == label)).unwrap().calls_lost.mean
        })
    };
    let mut pair_to_pair = 0;
    for (later, first) in named.iter().filter(|(_, first)| first.contains(" + ")) {
        pair_to_pair += 1;
        assert!(!run_pruned.contains(later), "{later} was run");
        assert!(run_all.contains(later), "{later} not run with --all-pairs");
        assert!(run_pruned.contains(first) || pruned.results.iter().any(|c| c.label() == *first));
        // The same failure, drawn from its own elements' streams: close.
        let (a, b) = (calls_lost(later), calls_lost(first));
        assert!((a - b).abs() <= 0.02 * a.max(b) + 1.0, "{later}: {a} calls lost against {b} for {first}");
    }
    assert!(pair_to_pair >= 2, "{named:?}");
    // Named the same with every pair run; counted as equivalent.
    let named_all: usize =
        all.results.iter().filter(|c| c.elements.len() == 2).map(|c| c.equivalent.len()).sum::<usize>();
    assert!(named_all >= pair_to_pair);
    assert_eq!(all.pairs_equivalent, 0);
    assert_eq!(run_all.len(), run_pruned.len() + pruned.pairs_equivalent);
}
