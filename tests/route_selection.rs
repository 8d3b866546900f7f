//! Outbound route selection: usages in order, route priority within a
//! usage, search-semantics patterns, load sharing, trunk health,
//! authorization (docs/lync-behaviour.md, "Voice policies and PSTN
//! usages", "Route selection").

mod common;

use std::collections::BTreeSet;

use common::*;
use voicetwin::model::load_str;
use voicetwin::voice::{Outcome, Router, TrunkHealth, TrunkStates};

fn set(v: &[String]) -> BTreeSet<String> {
    v.iter().cloned().collect()
}

#[test]
fn usages_are_stages_in_policy_order() {
    let m = small();
    // +1425 number: Local (3 trunks), then LD (gw2, already offered), then Backup (itsp).
    let d = decide(&m, user(&m, "hq"), "+14255551234");
    assert_eq!(d.outcome, Outcome::Routed);
    let usages = usage_names(&m, &d);
    assert_eq!(usages, ["Local", "Local", "Local", "Backup"]);
    let trunks = trunk_names(&m, &d);
    assert_eq!(set(&trunks[..3]), set(&["gw1".into(), "gw2".into(), "gw3".into()]), "the stage is a set");
    assert_eq!(trunks[3], "itsp");
}

#[test]
fn equal_cost_union_rotates_over_the_whole_stage() {
    let m = small();
    let states = TrunkStates::all_up(&m);
    let caller = user(&m, "hq");
    let mut router = Router::new(&m);
    let firsts: BTreeSet<String> = (0..3)
        .map(|r| {
            let d = router.decide(caller, "+14255551234", None, &states, r);
            m.trunk(d.candidates[0].trunk).name.clone()
        })
        .collect();
    assert_eq!(firsts.len(), 3, "round robin starts on each trunk of the usage in turn: {firsts:?}");
}

#[test]
fn priority_ordered_mode_tries_routes_by_priority() {
    let text = small_with(
        "pstn_usages = [\"Local\", \"LD\", \"Backup\", \"Intl\"]",
        "pstn_usages = [\"Local\", \"LD\", \"Backup\", \"Intl\"]\n[routing]\nintra_usage_mode = \"priority-ordered\"",
    );
    let m = load_str(&text, "t.toml").unwrap();
    let states = TrunkStates::all_up(&m);
    let mut router = Router::new(&m);
    for rotation in 0..4 {
        let d = router.decide(user(&m, "hq"), "+14255551234", None, &states, rotation);
        let trunks = trunk_names(&m, &d);
        // LocalA (priority 0: gw1, gw2 shared) before LocalB (priority 1: gw3).
        assert_eq!(set(&trunks[..2]), set(&["gw1".into(), "gw2".into()]));
        assert_eq!(trunks[2], "gw3");
        assert_eq!(m.route(d.candidates[2].route).name, "LocalB");
    }
}

#[test]
fn number_pattern_is_a_search_not_a_full_match() {
    let m = small();
    // Branch users have only LD (^\+1\d{10}$); a UK number fails it.
    let d = decide(&m, user(&m, "branch"), "+442071234567");
    assert_eq!(d.outcome, Outcome::NotAuthorized);
    // HQ users have Backup, whose unanchored [0-9]{10} matches inside
    // the 12-digit UK number.
    let d = decide(&m, user(&m, "hq"), "+442071234567");
    assert_eq!(d.outcome, Outcome::Routed);
    assert_eq!(trunk_names(&m, &d), ["itsp"]);
    // Fewer than 10 digits: nothing matches.
    let d = decide(&m, user(&m, "hq"), "+4420712");
    assert_eq!(d.outcome, Outcome::NotAuthorized);
    assert!(d.candidates.is_empty());
}

#[test]
fn down_trunks_are_skipped_and_less_preferred_go_last_in_their_stage() {
    let m = small();
    let mut states = TrunkStates::all_up(&m);
    states.set(m.trunk_by_name("gw1").unwrap(), TrunkHealth::Down);
    states.set(m.trunk_by_name("gw3").unwrap(), TrunkHealth::LessPreferred);
    let mut router = Router::new(&m);
    for rotation in 0..3 {
        let d = router.decide(user(&m, "hq"), "+14255551234", None, &states, rotation);
        assert_eq!(trunk_names(&m, &d), ["gw2", "gw3", "itsp"], "rotation {rotation}");
    }
}

#[test]
fn next_usage_only_when_the_stage_is_exhausted() {
    let m = small();
    let states = TrunkStates::with_down(&m, &["gw1".into(), "gw2".into(), "gw3".into()]).unwrap();
    let d = Router::new(&m).decide(user(&m, "hq"), "+14255551234", None, &states, 0);
    assert_eq!(trunk_names(&m, &d), ["itsp"]);
    assert_eq!(usage_names(&m, &d), ["Backup"]);
}

#[test]
fn all_trunks_down_is_not_the_same_as_not_authorized() {
    let m = small();
    let states = TrunkStates::with_down(&m, &["gw2".into()]).unwrap();
    let d = Router::new(&m).decide(user(&m, "branch"), "+12065550100", None, &states, 0);
    assert_eq!(d.outcome, Outcome::NoTrunkAvailable);
    let d = Router::new(&m).decide(user(&m, "branch"), "+33140000000", None, &states, 0);
    assert_eq!(d.outcome, Outcome::NotAuthorized);
}

#[test]
fn voice_policy_scope_is_user_then_site_then_global_with_no_pool_scope() {
    let m = small();
    let policy = |c| match decide(&m, c, "+14255551234").usage_source {
        Some(voicetwin::voice::UsageSource::Policy(p)) => m.voice_policy(p).identity.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(policy(user(&m, "intl")), "Intl");
    assert_eq!(policy(user(&m, "branch")), "site:Branch");
    assert_eq!(policy(user(&m, "hq")), "Global");
    // A pool-scoped voice policy is rejected at load.
    let bad = small_with(
        "scope = \"site:Branch\"\npstn_usages = [\"LD\"]",
        "scope = \"Registrar:fe.hq.example.com\"\npstn_usages = [\"LD\"]",
    );
    let err = load_str(&bad, "t.toml").unwrap_err().to_string();
    assert!(err.contains("voice_policy \"Registrar:fe.hq.example.com\", field `scope`"), "{err}");
}

#[test]
fn reverse_number_lookup_makes_a_call_internal_before_routing() {
    let m = small();
    let d = decide(&m, user(&m, "hq"), "50105");
    assert_eq!(d.normalized.number, "+14255550105");
    assert_eq!(d.outcome, Outcome::Internal);
    let e = d.internal.unwrap();
    assert_eq!(m.user_group(e.group).name, "hq");
    assert_eq!(e.index, 5);
    assert!(d.candidates.is_empty());
    // One past the range is a PSTN number.
    let d = decide(&m, user(&m, "hq"), "+14255550200");
    assert_eq!(d.outcome, Outcome::Routed);
}

#[test]
fn a_trunk_listed_by_two_routes_takes_the_lowest_priority_routes_settings() {
    let m = small();
    let d = decide(&m, user(&m, "hq"), "+14255551234");
    for c in &d.candidates[..3] {
        let route = &m.route(c.route).name;
        let trunk = &m.trunk(c.trunk).name;
        let expected = if trunk == "gw3" { "LocalB" } else { "LocalA" };
        assert_eq!(route, expected);
    }
}

/// Teams Direct Routing (`usage_fallthrough = false`): once a route of
/// the first usage matches, no later usage is tried, not even when every
/// trunk of the first is down.
#[test]
fn without_fallthrough_only_the_first_matching_usage_is_tried() {
    let text = format!("{SMALL}\n[routing]\nusage_fallthrough = false\n");
    let m = load_str(&text, "teams-like.toml").unwrap();
    let d = decide(&m, user(&m, "hq"), "+14255551234");
    assert_eq!(usage_names(&m, &d), ["Local", "Local", "Local"], "Backup's ITSP is not offered");
    let mut states = TrunkStates::all_up(&m);
    for t in ["gw1", "gw2", "gw3"] {
        states.set(m.trunk_by_name(t).unwrap(), TrunkHealth::Down);
    }
    let d = Router::new(&m).decide(user(&m, "hq"), "+14255551234", None, &states, 0);
    assert_eq!(d.outcome, Outcome::NoTrunkAvailable);
    // A number no route of Local matches goes on to the first usage that has one.
    let d = decide(&m, user(&m, "hq"), "+12065551234");
    assert_eq!(usage_names(&m, &d), ["LD"]);
    // Lync (the default) goes on to Backup's ITSP.
    let lync = small();
    let mut states = TrunkStates::all_up(&lync);
    for t in ["gw1", "gw2", "gw3"] {
        states.set(lync.trunk_by_name(t).unwrap(), TrunkHealth::Down);
    }
    let d = Router::new(&lync).decide(user(&lync, "hq"), "+14255551234", None, &states, 0);
    assert_eq!(trunk_names(&lync, &d), ["itsp"]);
}
