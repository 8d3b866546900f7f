//! Call admission control: a link sized for exactly k calls admits k, and
//! call k+1 is rerouted the documented way.

use voicetwin::analysis::run::run;
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::load_for_model;

/// Two sites over a link whose policy holds exactly `k` internal calls
/// (RTAudio wideband, 57 kbps each); users at A call users at B.
fn model(k: u32, pstn_rerouting: bool, voicemail: bool) -> voicetwin::model::Model {
    let text = format!(
        r#"
pstn_usages = ["PSTN"]

[media]
voicemail = {voicemail}

[[bandwidth_policy]]
name = "branch"
audio_limit_kbps = {limit}

[[region]]
name = "R"
central_site = "A"

[[site]]
name = "A"
kind = "central"
region = "R"

[[site]]
name = "B"
kind = "branch"
region = "R"

[[wan_link]]
name = "a-b"
site_a = "A"
site_b = "B"
bandwidth_kbps = 10000
one_way_delay = "20ms"
bandwidth_policy = "branch"

[[registrar_pool]]
fqdn = "fe.example.com"
site = "A"
kind = "front-end"

[[voice_policy]]
scope = "global"
pstn_usages = ["PSTN"]
allow_pstn_rerouting = {pstn_rerouting}

[[user_group]]
name = "a-users"
site = "A"
registrar_pool = "fe.example.com"
users = 100
first_number = "+14255550000"

[[user_group]]
name = "b-users"
site = "B"
registrar_pool = "fe.example.com"
users = 100
first_number = "+14255551000"
"#,
        limit = 57 * k
    );
    load_model(&text, "cac.toml").unwrap()
}

/// Every call stays up for the whole run, so the link fills and stays full.
const SCENARIO: &str = r#"
name = "CAC"
duration = "10m"
replications = 3
[signalling]
hop_latency = "0s"
[[source]]
name = "a-to-b"
user_group = "a-users"
calls_per_hour = 120
holding = { constant = "2h" }
ring_time = { constant = "0s" }
dial = [{ template = "+142555510XX" }]
"#;

#[test]
fn a_link_sized_for_k_calls_admits_k_and_reroutes_the_rest_over_the_pstn() {
    let k = 5;
    let m = model(k, true, true);
    let sc = load_for_model(SCENARIO, "cac.toml", &m).unwrap();
    for r in run(&m, &sc, 2).unwrap() {
        let offered = r.counts.offered;
        assert!(offered > u64::from(k) + 3, "enough calls to fill the link: {offered}");
        assert_eq!(r.cac.rerouted_pstn, offered - u64::from(k));
        assert_eq!(r.cac.voicemail, 0);
        assert_eq!(r.cac_denials[0], offered - u64::from(k));
        assert_eq!(r.links[0].peak, 570 * k, "exactly k sessions of 57.0 kbps held");
        assert_eq!(r.counts.carried, offered, "rerouted calls are still carried");
    }
}

#[test]
fn without_pstn_rerouting_call_k_plus_1_goes_to_voicemail_or_fails() {
    let k = 3;
    let m = model(k, false, true);
    let sc = load_for_model(SCENARIO, "cac.toml", &m).unwrap();
    for r in run(&m, &sc, 2).unwrap() {
        assert_eq!(r.cac.rerouted_pstn, 0);
        assert_eq!(r.cac.voicemail, r.counts.offered - u64::from(k));
    }
    let m = model(k, false, false);
    let sc = load_for_model(SCENARIO, "cac.toml", &m).unwrap();
    for r in run(&m, &sc, 2).unwrap() {
        let c = &r.counts;
        assert_eq!(r.cac.failed, c.offered - u64::from(k));
        assert_eq!(c.blocked, c.offered - u64::from(k), "call k+1 fails");
        assert_eq!(c.offered, c.carried + c.blocked + c.not_authorized + c.failed + c.dropped);
    }
}
