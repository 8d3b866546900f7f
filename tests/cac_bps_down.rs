//! Call admission control is not enforced while the Front End pool running
//! its region's Bandwidth Policy Service is down: every session is
//! admitted, and still counted, so the link shows the oversubscription
//! (docs/lync-behaviour.md, "Call admission control").

use voicetwin::analysis::run::replications;
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::load_for_model;

/// Two sites over a link whose policy holds exactly `k` calls between users
/// (RTAudio wideband, 57 kbps). The central site A has three Front End
/// pools: fe1 (the first: it runs the Bandwidth Policy Service), fe2 (idle)
/// and fe3 (where the users are homed, so a failure of fe1 or fe2 blocks
/// no caller).
fn model(k: u32) -> voicetwin::model::Model {
    let text = format!(
        r#"
pstn_usages = ["PSTN"]

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
fqdn = "fe1.example.com"
site = "A"
kind = "front-end"

[[registrar_pool]]
fqdn = "fe2.example.com"
site = "A"
kind = "front-end"

[[registrar_pool]]
fqdn = "fe3.example.com"
site = "A"
kind = "front-end"

[[voice_policy]]
scope = "global"
pstn_usages = ["PSTN"]
allow_pstn_rerouting = true

[[user_group]]
name = "a-users"
site = "A"
registrar_pool = "fe3.example.com"
users = 100
first_number = "+14255550000"

[[user_group]]
name = "b-users"
site = "B"
registrar_pool = "fe3.example.com"
users = 100
first_number = "+14255551000"
"#,
        limit = 57 * k
    );
    load_model(&text, "bps.toml").unwrap()
}

/// Three 10-minute buckets; `pool` fails in the second. Every call stays
/// up to the end, so the link fills before the failure and stays full.
fn scenario(pool: &str) -> String {
    format!(
        r#"
name = "Bandwidth Policy Service down"
duration = "30m"
bucket = "10m"
replications = 3
[signalling]
hop_latency = "0s"
[[source]]
name = "a-to-b"
user_group = "a-users"
calls_per_hour = 120
finite_sources = false
holding = {{ constant = "2h" }}
ring_time = {{ constant = "0s" }}
dial = [{{ template = "+142555510XX" }}]
[[failure]]
element = "registrar-pool:{pool}"
kind = "scheduled"
mode = "silent"
at = "10m"
duration = "10m"
"#
    )
}

#[test]
fn the_first_front_end_pool_of_the_central_site_runs_the_service() {
    let m = model(2);
    let r = voicetwin::model::RegionId::from_index(0);
    let pool = m.bandwidth_policy_pool(r).unwrap();
    assert_eq!(m.registrar_pools[pool.index()].fqdn, "fe1.example.com");
}

#[test]
fn cac_is_off_while_its_pool_is_down_and_on_before_and_after() {
    let k = 2;
    let m = model(k);
    let sc = load_for_model(&scenario("fe1.example.com"), "bps.toml", &m).unwrap();
    for r in replications(&m, &sc, 2).unwrap() {
        let denials = &r.bucket_cac_denials[0];
        assert!(denials[0] > 0, "denied before the failure: {denials:?}");
        assert_eq!(denials[1], 0, "every call admitted while the service is down: {denials:?}");
        assert!(denials[2] > 0, "denied again after the repair: {denials:?}");
        // Admitted during the failure and counted: the policy is oversubscribed.
        assert!(r.cac_audio[0].peak > 570 * k, "peak {}", r.cac_audio[0].peak);
        assert_eq!(r.cac.denials, r.cac_denials[0]);
        assert_eq!(r.cac.rerouted_pstn, r.cac.denials, "each denial rerouted over the PSTN");
    }
}

#[test]
fn another_pool_of_the_central_site_failing_leaves_cac_on() {
    let k = 2;
    let m = model(k);
    let sc = load_for_model(&scenario("fe2.example.com"), "bps.toml", &m).unwrap();
    for r in replications(&m, &sc, 2).unwrap() {
        let denials = &r.bucket_cac_denials[0];
        assert!(denials.iter().all(|d| *d > 0), "denied in every bucket: {denials:?}");
        assert_eq!(r.cac_audio[0].peak, 570 * k, "never more than k calls");
        assert_eq!(r.cac_denials[0], r.counts.total().offered - u64::from(k));
    }
}
