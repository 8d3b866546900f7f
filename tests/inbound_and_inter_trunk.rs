//! Calls arriving on a trunk: the PstnGateway dial plan, reverse number
//! lookup, inter-trunk routing through the trunk configuration's usages
//! (docs/lync-behaviour.md, "Inbound calls", "Inter-trunk routing").

mod common;

use common::*;
use voicetwin::model::{load_str, Model};
use voicetwin::voice::{Caller, Outcome, Router, TrunkStates, UsageSource};

fn inbound(m: &Model, trunk: &str, dialed: &str, calling: Option<&str>) -> voicetwin::voice::Decision {
    let t = m.trunk_by_name(trunk).unwrap();
    Router::new(m).decide(Caller::Trunk(t), dialed, calling, &TrunkStates::all_up(m), 0)
}

#[test]
fn the_trunks_service_dial_plan_normalizes_inbound_numbers_to_a_user() {
    let m = small();
    let d = inbound(&m, "gw1", "0142", Some("2065550100"));
    assert_eq!(m.dial_plan(d.dial_plan).identity, "PstnGateway:gw1");
    assert_eq!(d.normalized.number, "+14255550142");
    assert_eq!(d.outcome, Outcome::Internal);
}

#[test]
fn an_inbound_call_for_no_user_on_a_trunk_without_usages_is_not_found() {
    let m = small();
    // gw2 has no service dial plan: site (none at HQ) then global apply.
    let d = inbound(&m, "gw2", "+14255559999", None);
    assert_eq!(m.dial_plan(d.dial_plan).identity, "Global");
    assert_eq!(d.outcome, Outcome::NotFound);
}

#[test]
fn inter_trunk_routing_uses_the_trunk_configurations_usages_not_a_policy() {
    let text = small_with("scope = \"PstnGateway:itsp\"", "scope = \"PstnGateway:itsp\"\npstn_usages = [\"Intl\"]");
    let m = load_str(&text, "t.toml").unwrap();
    let d = inbound(&m, "itsp", "+442071234567", Some("+12065550100"));
    assert_eq!(d.outcome, Outcome::Routed);
    match d.usage_source {
        Some(UsageSource::TrunkConfig(c)) => assert_eq!(m.trunk_config(c).identity, "PstnGateway:itsp"),
        other => panic!("{other:?}"),
    }
    assert_eq!(trunk_names(&m, &d), ["gw3"]);
    // The inbound caller's number is the calling number.
    assert_eq!(d.calling_number.as_deref(), Some("+12065550100"));
    // A number belonging to a user is delivered, not inter-trunk routed.
    let d = inbound(&m, "itsp", "+14255550101", None);
    assert_eq!(d.outcome, Outcome::Internal);
}

#[test]
fn contoso_pbx_users_reach_the_pstn_and_pstn_callers_reach_pbx_users() {
    let m = Model::contoso();
    let d = inbound(&m, "pbx-red", "912065550100", Some("+14258822001"));
    assert_eq!(d.outcome, Outcome::Routed);
    assert!(trunk_names(&m, &d).iter().all(|t| t.starts_with("gw-red")));
    // A PSTN call for a PBX DID arrives on a Redmond gateway and goes on to the PBX.
    let d = inbound(&m, "gw-red-1", "4258822001", Some("2065550100"));
    assert_eq!(d.normalized.number, "+14258822001");
    assert_eq!(trunk_names(&m, &d), ["pbx-red"]);
}
