//! Call admission control: a link sized for exactly k calls admits k, and
//! call k+1 is rerouted the documented way.

#[path = "common/cac.rs"]
mod two_sites;

use two_sites::{edit, run, two_sites, A_CALLS_B as SCENARIO};
use voicetwin::model::load_str as load_model;

/// Two sites over a link whose policy holds exactly `k` internal calls
/// (RTAudio wideband, 57 kbps each); users at A call users at B.
fn model(k: u32, pstn_rerouting: bool, voicemail: bool) -> voicetwin::model::Model {
    let limit = format!("audio_limit_kbps = {}\n", 57 * k);
    let rerouting = format!("pstn_usages = [\"PSTN\"]\nallow_pstn_rerouting = {pstn_rerouting}\n\n[[user_group]]");
    let text = two_sites(
        &format!("voicemail = {voicemail}"),
        &[("audio_limit_kbps = 100000\n", &limit), ("pstn_usages = [\"PSTN\"]\n\n[[user_group]]", &rerouting)],
    );
    two_sites::model(&text, "cac.toml")
}

#[test]
fn a_link_sized_for_k_calls_admits_k_and_reroutes_the_rest_over_the_pstn() {
    let k = 5;
    let m = model(k, true, true);
    for r in run(&m, SCENARIO, "cac.toml") {
        let offered = r.counts.total().offered;
        assert!(offered > u64::from(k) + 3, "enough calls to fill the link: {offered}");
        assert_eq!(r.cac.rerouted_pstn, offered - u64::from(k));
        assert_eq!(r.cac.voicemail, 0);
        assert_eq!(r.cac_denials[0], offered - u64::from(k));
        assert_eq!(r.links[0].peak, 570 * k, "exactly k sessions of 57.0 kbps held");
        assert_eq!(r.counts.total().carried, offered, "rerouted calls are still carried");
    }
}

#[test]
fn without_pstn_rerouting_call_k_plus_1_goes_to_voicemail_or_fails() {
    let k = 3;
    let m = model(k, false, true);
    for r in run(&m, SCENARIO, "cac.toml") {
        assert_eq!(r.cac.rerouted_pstn, 0);
        assert_eq!(r.cac.voicemail, r.counts.total().offered - u64::from(k));
    }
    let m = model(k, false, false);
    for r in run(&m, SCENARIO, "cac.toml") {
        let c = &r.counts.total();
        assert_eq!(r.cac.failed, c.offered - u64::from(k));
        assert_eq!(c.blocked, c.offered - u64::from(k), "call k+1 fails");
        assert_eq!(c.offered, c.carried + c.blocked + c.not_authorized + c.failed + c.dropped);
    }
}

/// Region R1 (central A, branch B with a site policy of `site_k` calls),
/// region R2 (central C), a region link R1-R2 of `region_k` calls, and,
/// when `inter_site`, an inter-site policy A-C of 100 calls. Users at A
/// call users at B and C; B's users are located by their subnet.
fn spec_model(site_k: u32, region_k: u32, inter_site: bool) -> voicetwin::model::Model {
    let inter = if inter_site {
        "[[bandwidth_policy]]\nname = \"wide\"\naudio_limit_kbps = 5700\n\n[[inter_site_policy]]\nname = \"a-c\"\nsite_a = \"A\"\nsite_b = \"C\"\nbandwidth_policy = \"wide\"\n"
    } else {
        ""
    };
    let text = format!(
        r#"
pstn_usages = ["PSTN"]

[[bandwidth_policy]]
name = "branch"
audio_limit_kbps = {site_limit}

[[bandwidth_policy]]
name = "ocean"
audio_limit_kbps = {region_limit}

[[region]]
name = "R1"
central_site = "A"

[[region]]
name = "R2"
central_site = "C"

[[site]]
name = "A"
kind = "central"
region = "R1"

[[site]]
name = "B"
kind = "branch"
region = "R1"
bandwidth_policy = "branch"

[[site]]
name = "C"
kind = "central"
region = "R2"

[[region_link]]
name = "r1-r2"
region_a = "R1"
region_b = "R2"
bandwidth_policy = "ocean"

[[inter_region_route]]
name = "r1-to-r2"
region_a = "R1"
region_b = "R2"
region_links = ["r1-r2"]

{inter}

[[subnet]]
prefix = "10.2.0.0/16"
site = "B"

[[wan_link]]
name = "a-b"
site_a = "A"
site_b = "B"
bandwidth_kbps = 10000
one_way_delay = "10ms"

[[wan_link]]
name = "a-c"
site_a = "A"
site_b = "C"
bandwidth_kbps = 100000
one_way_delay = "70ms"

[[registrar_pool]]
fqdn = "fe.example.com"
site = "A"
kind = "front-end"

[[voice_policy]]
scope = "global"
pstn_usages = ["PSTN"]
allow_pstn_rerouting = true

[[user_group]]
name = "a-users"
site = "A"
registrar_pool = "fe.example.com"
users = 100
first_number = "+14255550000"

[[user_group]]
name = "b-users"
subnet = "10.2.0.0/16"
registrar_pool = "fe.example.com"
users = 100
first_number = "+14255551000"

[[user_group]]
name = "c-users"
site = "C"
registrar_pool = "fe.example.com"
users = 100
first_number = "+442079460000"
"#,
        site_limit = 57 * site_k,
        region_limit = 57 * region_k
    );
    load_model(&text, "spec-cac.toml").unwrap()
}

fn calls_to(template: &str) -> String {
    edit(SCENARIO, &[("+142555510XX", template)])
}

#[test]
fn a_site_policy_limits_calls_into_its_site() {
    let m = spec_model(4, 50, false);
    assert_eq!(m.user_group(m.find_user("b-users").unwrap().0).site, m.site_by_name("B").unwrap(), "located by subnet");
    for r in run(&m, &calls_to("+142555510XX"), "cac.toml") {
        let site_b = m.cac_elements.iter().position(|e| e.name == "site:B").unwrap();
        assert_eq!(r.cac_denials[site_b], r.counts.total().offered - 4);
        assert_eq!(r.cac_audio[site_b].peak, 570 * 4);
        assert_eq!(r.cac.rerouted_pstn, r.counts.total().offered - 4);
    }
}

#[test]
fn a_region_link_limits_calls_between_regions_unless_an_inter_site_policy_applies() {
    let m = spec_model(50, 3, false);
    for r in run(&m, &calls_to("+4420794600XX"), "cac.toml") {
        let link = m.cac_elements.iter().position(|e| e.name == "region-link:r1-r2").unwrap();
        assert_eq!(r.cac_denials[link], r.counts.total().offered - 3);
    }
    // The inter-site policy A-C replaces the region path for that pair.
    let m = spec_model(50, 3, true);
    for r in run(&m, &calls_to("+4420794600XX"), "cac.toml") {
        assert_eq!(r.cac.denials, 0);
        let inter = m.cac_elements.iter().position(|e| e.name == "inter-site:a-c").unwrap();
        assert!(r.cac_audio[inter].peak >= 570 * 4);
    }
}

#[test]
fn policies_on_wan_links_and_cac_network_objects_do_not_mix() {
    // Contoso uses site policies and a region link; a policy on a WAN link too is an error.
    let text = voicetwin::model::CONTOSO_TOML.replacen(
        "one_way_delay = \"70ms\"\n",
        "one_way_delay = \"70ms\"\nbandwidth_policy = \"transatlantic\"\n",
        1,
    );
    let e = load_model(&text, "mixed.toml").unwrap_err().to_string();
    assert!(e.contains("use either bandwidth policies on WAN links or the CAC network objects"), "{e}");
}
