//! The outbound INVITE of an attempt, parsed back with rsip.

mod common;

use common::*;
use rsip::prelude::*;
use voicetwin::model::Model;
use voicetwin::voice::{prepare, sip::outbound_invite};

#[test]
fn invite_carries_the_translated_numbers_at_the_peers_address() {
    let m = small();
    let d = decide(&m, user(&m, "hq"), "+14255551234");
    let c = *d.candidates.iter().find(|c| m.trunk(c.trunk).name == "gw2").unwrap();
    let a = prepare(&m, c, &d.normalized.number, d.calling_number.as_deref());
    let text = outbound_invite(&m, &a, "call-1").to_string();
    let parsed = rsip::SipMessage::try_from(text.as_str()).expect("the INVITE parses");
    let rsip::SipMessage::Request(req) = parsed else { panic!("not a request") };
    assert_eq!(req.method, rsip::Method::Invite);
    assert_eq!(req.uri.user(), Some("5551234"));
    assert_eq!(req.uri.host_with_port.to_string(), "gw2.example.com:5066");
    let from = req.from_header().unwrap().to_string();
    assert!(from.contains("sip:4255550100@med.hq.example.com"), "{from}");
    assert!(text.contains("P-Asserted-Identity: <sip:4255550100@med.hq.example.com;user=phone>"), "{text}");
    assert!(text.contains("Via: SIP/2.0/TLS med.hq.example.com:5067;branch=z9hG4bK"), "{text}");
    assert_eq!(req.call_id_header().unwrap().to_string(), "Call-ID: call-1");
}

#[test]
fn invite_is_deterministic_and_escapes_odd_characters() {
    let m = Model::contoso();
    let d = decide(&m, user(&m, "redmond-staff"), "912065550100");
    let a = prepare(&m, d.candidates[0], &d.normalized.number, d.calling_number.as_deref());
    assert_eq!(outbound_invite(&m, &a, "x").to_string(), outbound_invite(&m, &a, "x").to_string());
    let mut odd = a.clone();
    odd.called = "12#34 5".into();
    let text = outbound_invite(&m, &odd, "x").to_string();
    assert!(text.starts_with("INVITE sip:12%2334%205@"), "{text}");
}
