//! Two gateways tried in sequence (first usage, then second): the pair
//! blocks as Erlang B of the summed channels, the first gateway as Erlang B
//! of its own, and the second carries exactly the first one's overflow.

use voicetwin::analysis::erlang::erlang_b;
use voicetwin::analysis::results::Results;
use voicetwin::analysis::run::replications;
use voicetwin::analysis::summary::summarize;
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::{builtin, load_str};

const MODEL_EDITS: &[(&str, &str)] = &[
    ("pstn_usages = [\"PSTN\"]\n", "pstn_usages = [\"First\", \"Overflow\"]\n"),
    (
        "[[trunk]]\nname = \"gw\"\nmediation_pool = \"med.example.com\"\npeer = \"gw\"\n",
        "[[peer]]\nname = \"gw2\"\nfqdn = \"gw2.example.com\"\nkind = \"pstn-gateway\"\nsite = \"HQ\"\nchannels = 20\n\n\
         [[trunk]]\nname = \"gw\"\nmediation_pool = \"med.example.com\"\npeer = \"gw\"\n\n\
         [[trunk]]\nname = \"gw2\"\nmediation_pool = \"med.example.com\"\npeer = \"gw2\"\n",
    ),
    ("e1_spans = 1", "channels = 10"),
    (
        "pstn_usages = [\"PSTN\"]\npstn_gateways = [\"gw\"]",
        "pstn_usages = [\"First\"]\npstn_gateways = [\"gw\"]\n\n[[voice_route]]\nname = \"Second\"\nnumber_pattern = '^\\+'\npstn_usages = [\"Overflow\"]\npstn_gateways = [\"gw2\"]",
    ),
    ("scope = \"global\"\npstn_usages = [\"PSTN\"]", "scope = \"global\"\npstn_usages = [\"First\", \"Overflow\"]"),
];

#[test]
fn sequential_gateways_follow_erlang_b_and_the_second_takes_the_overflow() {
    let mut text = include_str!("../models/single-trunk-group.toml").to_owned();
    for (from, to) in MODEL_EDITS {
        assert!(text.contains(from), "edit target missing: {from}");
        text = text.replacen(from, to, 1);
    }
    let model = load_model(&text, "two-gateways.toml").unwrap();
    let erlangs = 22.0;
    let sc_text = builtin("single-trunk-group")
        .unwrap()
        .replace("erlangs = 20.34", &format!("erlangs = {erlangs}"))
        .replace("duration = \"24h\"", "duration = \"200h\"");
    let (scenario, _) = load_str(&sc_text, "test.toml", None, &Default::default()).unwrap();
    let reps = replications(&model, &scenario, 2).unwrap();
    let s = summarize(&model, &scenario, &Results::of(&model, &scenario, &reps));

    let total = erlang_b(30, erlangs);
    let gos = s.grade_of_service.unwrap();
    assert!(gos.contains(total), "pair: Erlang B(30) {total:.5} outside {gos:?}");
    let first = &s.peers[0];
    let b10 = erlang_b(10, erlangs);
    let rejected = first.rejected_share.unwrap();
    assert!(rejected.contains(b10), "first: Erlang B(10) {b10:.4} outside {rejected:?}");
    // Its lost share is the pair's blocking, not its own rejections.
    assert!(first.lost_share.unwrap().contains(total), "{:?}", first.lost_share);
    // Every call the first rejects is offered to the second, in order.
    let second = &s.peers[1];
    for r in &reps {
        let (a, b) = (&r.peers[0], &r.peers[1]);
        assert_eq!(b.attempts, a.rejected, "the second gateway sees exactly the overflow");
        // What the first refused either overflowed and was carried by the
        // second, or was lost with it.
        assert_eq!(a.overflowed + a.lost, a.rejected);
        assert_eq!(a.lost, b.rejected);
        assert_eq!((b.lost, b.overflowed), (b.rejected, 0), "nothing after the second");
        assert_eq!(b.lost, r.counts.pstn().blocked);
    }
    assert!(second.carried_erlangs.mean > 0.0);
    // Carried load of the pair: E (1 - B(30)).
    let carried = first.carried_erlangs.mean + second.carried_erlangs.mean;
    assert!((carried / (erlangs * (1.0 - total)) - 1.0).abs() < 0.02, "carried {carried:.2} E");
}
