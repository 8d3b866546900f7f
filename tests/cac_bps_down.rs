//! Call admission control is not enforced while the Front End pool running
//! its region's Bandwidth Policy Service is down: every session is
//! admitted, and still counted, so the link shows the oversubscription
//! (docs/lync-behaviour.md, "Call admission control").

#[path = "common/cac.rs"]
mod two_sites;

use two_sites::{edit, run, A_CALLS_B, TWO_SITES};

/// Two sites over a link whose policy holds exactly `k` calls between users
/// (RTAudio wideband, 57 kbps). The central site A has three Front End
/// pools: fe1 (the first: it runs the Bandwidth Policy Service), fe2 (idle)
/// and fe3 (where the users are homed, so a failure of fe1 or fe2 blocks
/// no caller).
fn model(k: u32) -> voicetwin::model::Model {
    let limit = format!("audio_limit_kbps = {}\n", 57 * k);
    let pools = ["fe1", "fe2", "fe3"]
        .map(|fe| format!("[[registrar_pool]]\nfqdn = \"{fe}.example.com\"\nsite = \"A\"\nkind = \"front-end\"\n"));
    let text = edit(
        TWO_SITES,
        &[
            ("audio_limit_kbps = 100000\n", &limit),
            ("[[registrar_pool]]\nfqdn = \"fe.example.com\"\nsite = \"A\"\nkind = \"front-end\"\n", &pools.join("\n")),
            (
                "pstn_usages = [\"PSTN\"]\n\n[[user_group]]",
                "pstn_usages = [\"PSTN\"]\nallow_pstn_rerouting = true\n\n[[user_group]]",
            ),
            ("site = \"A\"\nregistrar_pool = \"fe.example.com\"", "site = \"A\"\nregistrar_pool = \"fe3.example.com\""),
            ("site = \"B\"\nregistrar_pool = \"fe.example.com\"", "site = \"B\"\nregistrar_pool = \"fe3.example.com\""),
        ],
    );
    two_sites::model(&text, "bps.toml")
}

/// Three 10-minute buckets; `pool` fails in the second. Every call stays
/// up to the end, so the link fills before the failure and stays full.
fn scenario(pool: &str) -> String {
    let failure = format!(
        "[[failure]]\nelement = \"registrar-pool:{pool}\"\nkind = \"scheduled\"\nmode = \"silent\"\nat = \"10m\"\nduration = \"10m\"\n"
    );
    let text = edit(
        A_CALLS_B,
        &[(
            "name = \"CAC\"\nduration = \"10m\"\n",
            "name = \"Bandwidth Policy Service down\"\nduration = \"30m\"\nbucket = \"10m\"\n",
        )],
    );
    text + &failure
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
    for r in run(&m, &scenario("fe1.example.com"), "bps.toml") {
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
    for r in run(&m, &scenario("fe2.example.com"), "bps.toml") {
        let denials = &r.bucket_cac_denials[0];
        assert!(denials.iter().all(|d| *d > 0), "denied in every bucket: {denials:?}");
        assert_eq!(r.cac_audio[0].peak, 570 * k, "never more than k calls");
        assert_eq!(r.cac_denials[0], r.counts.total().offered - u64::from(k));
    }
}
