//! A branch whose own `[[site]] bandwidth_policy` constrains its link to its
//! region is its own media bypass zone: its users' PSTN calls through the
//! central site's gateway do not bypass, and call admission control counts
//! them (docs/lync-behaviour.md, "Media bypass").

use voicetwin::analysis::run::replications;
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::load_for_model;

/// Region R: central site A with the gateway (bypass enabled on its trunk)
/// and branch B, whose site policy holds `k` RTAudio narrowband legs
/// (39.8 kbps each) when `policy`. B's users call the PSTN.
fn model(k: u32, policy: bool) -> voicetwin::model::Model {
    let site_policy = if policy { "bandwidth_policy = \"branch\"" } else { "" };
    let text = format!(
        r#"
pstn_usages = ["PSTN"]

[media]
bypass = "site-and-region"

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
{site_policy}

[[wan_link]]
name = "a-b"
site_a = "A"
site_b = "B"
bandwidth_kbps = 10000
one_way_delay = "10ms"

[[registrar_pool]]
fqdn = "fe.example.com"
site = "A"
kind = "front-end"

[[mediation_pool]]
fqdn = "med.example.com"
site = "A"
kind = "stand-alone"

[[peer]]
name = "gw"
fqdn = "gw.example.com"
kind = "pstn-gateway"
site = "A"
channels = 500

[[trunk]]
name = "gw"
mediation_pool = "med.example.com"
peer = "gw"

[[trunk_configuration]]
scope = "global"
enable_bypass = true

[[voice_route]]
name = "All"
number_pattern = '^\+'
pstn_usages = ["PSTN"]
pstn_gateways = ["gw"]

[[voice_policy]]
scope = "global"
pstn_usages = ["PSTN"]

[[user_group]]
name = "b-users"
site = "B"
registrar_pool = "fe.example.com"
users = 100
first_number = "+14255551000"
"#,
        // k legs of 39.8 kbps fit; k + 1 do not.
        limit = (398 * k).div_ceil(10)
    );
    load_model(&text, "site-bypass.toml").unwrap()
}

/// Every call stays up for the whole run.
const SCENARIO: &str = r#"
name = "Site bypass"
duration = "10m"
replications = 3
[signalling]
hop_latency = "0s"
[[source]]
name = "b-out"
user_group = "b-users"
calls_per_hour = 120
finite_sources = false
holding = { constant = "2h" }
ring_time = { constant = "0s" }
dial = [{ template = "+12065550XXX" }]
"#;

#[test]
fn a_branch_with_its_own_site_policy_does_not_bypass_and_cac_counts_its_calls() {
    let k = 4;
    let m = model(k, true);
    let (a, b) = (m.site_by_name("A").unwrap(), m.site_by_name("B").unwrap());
    assert_ne!(m.bypass_id[a.index()], m.bypass_id[b.index()], "B is its own bypass zone");
    let sc = load_for_model(SCENARIO, "site-bypass.toml", &m).unwrap();
    let site_b = m.cac_elements.iter().position(|e| e.name == "site:B").unwrap();
    for r in replications(&m, &sc, 2).unwrap() {
        let c = r.counts.total();
        assert!(c.offered > u64::from(k) + 3, "enough calls to fill the policy: {}", c.offered);
        // Not bypassed: the calls carried hold Mediation sessions.
        assert_eq!(r.mediation_pools[0].peak, k);
        // CAC denies every call after the k-th on B's site link.
        assert_eq!(r.cac_denials[site_b], c.offered - u64::from(k));
        assert_eq!(r.cac.trunk_failovers, c.offered - u64::from(k));
        assert_eq!(r.cac_audio[site_b].peak, 398 * k, "exactly k legs of 39.8 kbps admitted");
        assert_eq!(c.carried, u64::from(k));
    }
}

#[test]
fn without_a_site_policy_the_branch_shares_its_regions_zone_and_bypasses() {
    let m = model(4, false);
    let (a, b) = (m.site_by_name("A").unwrap(), m.site_by_name("B").unwrap());
    assert_eq!(m.bypass_id[a.index()], m.bypass_id[b.index()]);
    let sc = load_for_model(SCENARIO, "site-bypass.toml", &m).unwrap();
    for r in replications(&m, &sc, 2).unwrap() {
        let c = r.counts.total();
        assert_eq!(c.carried, c.offered, "bypassed calls are never checked");
        assert_eq!(r.mediation_pools[0].peak, 0, "bypassed calls take no Mediation session");
    }
}
