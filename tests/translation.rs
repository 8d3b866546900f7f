//! Per-attempt translation: trunk configuration scope, called number from
//! E.164 on every attempt, caller ID suppression, calling-number rules,
//! RemovePlusFromUri (docs/lync-behaviour.md, "Trunks and trunk
//! configurations", "Trunk translation rules").

mod common;

use common::*;
use voicetwin::voice::{prepare, Attempt};

fn attempts(dialed: &str, group: &str) -> (voicetwin::model::Model, Vec<Attempt>) {
    let m = small();
    let d = decide(&m, user(&m, group), dialed);
    let a = d.candidates.iter().map(|c| prepare(&m, *c, &d.normalized.number, d.calling_number.as_deref())).collect();
    (m, a)
}

#[test]
fn each_attempt_translates_from_e164_with_its_own_trunk_configuration() {
    let (m, a) = attempts("+14255551234", "hq");
    for at in &a {
        let trunk = &m.trunk(at.candidate.trunk).name;
        let (called, config) = match trunk.as_str() {
            "gw2" => ("5551234", "PstnGateway:gw2"),
            "gw1" | "gw3" => ("14255551234", "Global"),
            "itsp" => ("14255551234", "PstnGateway:itsp"),
            other => panic!("{other}"),
        };
        assert_eq!(at.called, called, "{trunk}");
        assert_eq!(m.trunk_config(at.config).identity, config, "{trunk}");
    }
}

#[test]
fn calling_number_rules_apply_to_the_callers_line_uri() {
    let (m, a) = attempts("+14255551234", "hq");
    let gw2 = a.iter().find(|x| m.trunk(x.candidate.trunk).name == "gw2").unwrap();
    assert_eq!(gw2.calling.as_deref(), Some("4255550100"));
    let gw1 = a.iter().find(|x| m.trunk(x.candidate.trunk).name == "gw1").unwrap();
    assert_eq!(gw1.calling.as_deref(), Some("+14255550100"), "no calling rule on the global configuration");
}

#[test]
fn remove_plus_from_uri_acts_after_the_rules() {
    let (m, a) = attempts("+14255551234", "hq");
    let itsp = a.iter().find(|x| m.trunk(x.candidate.trunk).name == "itsp").unwrap();
    assert_eq!(itsp.called, "14255551234");
    assert_eq!(itsp.calling.as_deref(), Some("14255550100"));
}

#[test]
fn suppress_caller_id_presents_the_routes_alternate_id() {
    let (_, a) = attempts("+442071234567", "intl");
    assert_eq!(a.len(), 1);
    assert!(a[0].caller_id_suppressed);
    assert_eq!(a[0].calling.as_deref(), Some("+14255550100"));
    // A route without suppression keeps the caller's own number.
    let (_, a) = attempts("+14255551234", "intl");
    assert!(a.iter().all(|x| !x.caller_id_suppressed));
    assert!(a.iter().all(|x| x.calling.as_deref().unwrap().ends_with("4255559000")));
}
