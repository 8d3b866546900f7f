//! A branch whose own `[[site]] bandwidth_policy` constrains its link to its
//! region is its own media bypass zone: its users' PSTN calls through the
//! central site's gateway do not bypass, and call admission control counts
//! them (docs/lync-behaviour.md, "Media bypass").

#[path = "common/cac.rs"]
mod two_sites;

use two_sites::{edit, run, two_sites, A_CALLS_B};

/// The gateway at A, its Mediation pool and trunk (bypass enabled), and a
/// route for every number through it.
const GATEWAY: &str = r#"[[mediation_pool]]
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

[[voice_policy]]"#;

/// Region R: central site A with the gateway (bypass enabled on its trunk)
/// and branch B, whose site policy holds `k` RTAudio narrowband legs
/// (39.8 kbps each) when `policy`. B's users call the PSTN.
fn model(k: u32, policy: bool) -> voicetwin::model::Model {
    let site_policy = if policy { "bandwidth_policy = \"branch\"\n" } else { "" };
    // k legs of 39.8 kbps fit; k + 1 do not.
    let limit = format!("audio_limit_kbps = {}\n", (398 * k).div_ceil(10));
    let site_b = format!("kind = \"branch\"\nregion = \"R\"\n{site_policy}");
    let a_users = "[[user_group]]\nname = \"a-users\"\nsite = \"A\"\nregistrar_pool = \"fe.example.com\"\nusers = 100\nfirst_number = \"+14255550000\"\n\n";
    let text = two_sites(
        "bypass = \"site-and-region\"",
        &[
            ("audio_limit_kbps = 100000\n", &limit),
            ("kind = \"branch\"\nregion = \"R\"\n", &site_b),
            ("one_way_delay = \"20ms\"\nbandwidth_policy = \"branch\"\n", "one_way_delay = \"10ms\"\n"),
            ("[[voice_policy]]", GATEWAY),
            (a_users, ""),
        ],
    );
    two_sites::model(&text, "site-bypass.toml")
}

/// Every call stays up for the whole run; B's users call the PSTN.
fn scenario() -> String {
    edit(
        A_CALLS_B,
        &[
            ("name = \"CAC\"", "name = \"Site bypass\""),
            ("name = \"a-to-b\"\nuser_group = \"a-users\"", "name = \"b-out\"\nuser_group = \"b-users\""),
            ("+142555510XX", "+12065550XXX"),
        ],
    )
}

#[test]
fn a_branch_with_its_own_site_policy_does_not_bypass_and_cac_counts_its_calls() {
    let k = 4;
    let m = model(k, true);
    let (a, b) = (m.site_by_name("A").unwrap(), m.site_by_name("B").unwrap());
    assert_ne!(m.bypass_id[a.index()], m.bypass_id[b.index()], "B is its own bypass zone");
    let site_b = m.cac_elements.iter().position(|e| e.name == "site:B").unwrap();
    for r in run(&m, &scenario(), "site-bypass.toml") {
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
    for r in run(&m, &scenario(), "site-bypass.toml") {
        let c = r.counts.total();
        assert_eq!(c.carried, c.offered, "bypassed calls are never checked");
        assert_eq!(r.mediation_pools[0].peak, 0, "bypassed calls take no Mediation session");
    }
}

/// A gateway that answers 486 (`respond`) answers only the calls that
/// reach it: once the k calls up before the failure fill B's link, every
/// later call is denied by CAC (and blocked, no trunk left), not ended by
/// the gateway's 486.
#[test]
fn a_responding_gateway_answers_only_calls_cac_let_through() {
    let k = 4;
    let m = model(k, true);
    let sc = format!(
        "{}\n[[failure]]\nelement = \"peer:gw\"\nkind = \"scheduled\"\nmode = \"respond\"\nresponse = 486\nat = \"10m\"\n",
        edit(&scenario(), &[("duration = \"10m\"", "duration = \"30m\"")])
    );
    let site_b = m.cac_elements.iter().position(|e| e.name == "site:B").unwrap();
    for r in run(&m, &sc, "site-bypass.toml") {
        let c = r.counts.total();
        assert!(c.offered > u64::from(k) + 20, "calls after the failure began: {}", c.offered);
        assert_eq!(c.carried, u64::from(k), "the first k, before the failure, hold the link");
        assert_eq!(c.failed, 0, "no call reached the gateway to get its 486");
        assert_eq!(r.cac_denials[site_b], c.offered - u64::from(k));
    }
}
