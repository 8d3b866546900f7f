//! `PstnGateway:<gateway FQDN>`, Lync's own identity of a gateway's root
//! trunk, names the peer's trunk wherever the model takes a trunk
//! identity: trunk configuration and dial plan scopes, route trunk lists.

mod common;

use common::*;
use voicetwin::model::load_str;

#[test]
fn a_gateway_fqdn_scope_is_the_gateways_trunk() {
    let short = small();
    let text = small_with("scope = \"PstnGateway:gw2\"", "scope = \"PstnGateway:gw2.example.com\"");
    let text = text.replacen("scope = \"PstnGateway:gw1\"", "scope = \"service:PstnGateway:GW1.example.com\"", 1);
    let fqdn = load_str(&text, "fqdn.toml").expect("an FQDN scope loads");
    for name in ["gw1", "gw2", "gw3", "itsp"] {
        let (a, b) = (short.trunk_by_name(name).unwrap(), fqdn.trunk_by_name(name).unwrap());
        let (ca, cb) = (short.trunk_config(short.trunk(a).config), fqdn.trunk_config(fqdn.trunk(b).config));
        assert_eq!(ca.scope, cb.scope, "{name}: the same trunk configuration");
        assert_eq!(ca.outbound_translation_rules.len(), cb.outbound_translation_rules.len());
        let (pa, pb) =
            (short.dial_plan(short.trunk(a).inbound_dial_plan), fqdn.dial_plan(fqdn.trunk(b).inbound_dial_plan));
        assert_eq!(pa.scope, pb.scope, "{name}: the same inbound dial plan");
    }
    let gw2 = fqdn.trunk_by_name("gw2").unwrap();
    assert_eq!(fqdn.trunk_config(fqdn.trunk(gw2).config).identity, "PstnGateway:gw2.example.com");
}

#[test]
fn a_route_may_list_a_gateway_by_its_fqdn() {
    let text =
        small_with("pstn_gateways = [\"gw1\", \"gw2\"]", "pstn_gateways = [\"PstnGateway:gw1.example.com\", \"gw2\"]");
    let m = load_str(&text, "route.toml").expect("an FQDN in a route loads");
    let short = small();
    let route = |m: &voicetwin::model::Model| {
        let r = m.routes.iter().find(|r| r.name == "LocalA").unwrap();
        r.trunks.iter().map(|t| m.trunk(*t).name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(route(&m), route(&short));
    assert_eq!(route(&m), ["gw1", "gw2"]);
}

#[test]
fn the_fqdn_of_a_gateway_with_several_trunks_names_them() {
    let text = small_with(
        "[[trunk]]\nname = \"gw2\"",
        "[[trunk]]\nname = \"gw1-b\"\nmediation_pool = \"med.hq.example.com\"\npeer = \"gw1\"\npeer_port = 5067\n\n[[trunk]]\nname = \"gw2\"",
    );
    let text = text.replacen("scope = \"PstnGateway:gw1\"", "scope = \"PstnGateway:gw1.example.com\"", 1);
    let err = load_str(&text, "two.toml").unwrap_err().to_string();
    assert!(err.contains("dial_plan \"PstnGateway:gw1.example.com\""), "{err}");
    assert!(err.contains("peer \"gw1\", which has 2 trunks (\"gw1\", \"gw1-b\")"), "{err}");
}

#[test]
fn one_trunk_by_two_identities_is_a_duplicate() {
    let text = small_with(
        "[[trunk_configuration]]\nscope = \"PstnGateway:itsp\"",
        "[[trunk_configuration]]\nscope = \"PstnGateway:sbc.itsp.example.net\"\n\n[[trunk_configuration]]\nscope = \"PstnGateway:itsp\"",
    );
    let err = load_str(&text, "dup.toml").unwrap_err().to_string();
    assert!(
        err.contains("trunk_configuration \"PstnGateway:itsp\", field `scope`: names the same trunk as trunk_configuration \"PstnGateway:sbc.itsp.example.net\""),
        "{err}"
    );
}

/// Commands that take a trunk (`route --on-trunk`, `--from-trunk`) take
/// its gateway's FQDN too when the gateway has that one trunk.
#[test]
fn a_trunk_is_found_by_its_gateways_fqdn() {
    let m = voicetwin::model::Model::contoso();
    let red1 = m.trunk_by_name("gw-red-1").unwrap();
    assert_eq!(m.trunk_by_name("PstnGateway:gw1.red.contoso.com"), Some(red1));
    assert_eq!(m.trunk_by_name("gw1.red.contoso.com"), Some(red1));
    // gw-red-2 has two trunks (gw-red-2, gw-red-2-ld): its FQDN names none.
    let fqdn = &m.peer(m.trunk(m.trunk_by_name("gw-red-2-ld").unwrap()).peer).fqdn;
    assert_eq!(m.trunk_by_name(fqdn), None);
}
