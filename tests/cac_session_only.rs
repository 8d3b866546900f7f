//! A bandwidth policy profile with a session limit alone: accepted, as
//! New-CsNetworkBandwidthPolicyProfile accepts it; it caps each session
//! with no aggregate cap, and still makes its link constrained for media
//! bypass (docs/model.md, `[[bandwidth_policy]]`).

#[path = "common/cac.rs"]
mod two_sites;

use two_sites::{edit, run, two_sites, A_CALLS_B};
use voicetwin::model::load_str as load_model;

/// Two sites of one region over a link whose policy has only `limits`;
/// users at A call users at B.
fn text(limits: &str) -> String {
    two_sites(
        "bypass = \"site-and-region\"",
        &[
            ("audio_limit_kbps = 100000\n", &format!("{limits}\n")),
            ("bandwidth_kbps = 10000\n", "bandwidth_kbps = 100000\n"),
            (
                "pstn_usages = [\"PSTN\"]\n\n[[user_group]]",
                "pstn_usages = [\"PSTN\"]\nallow_pstn_rerouting = false\n\n[[user_group]]",
            ),
        ],
    )
}

fn scenario() -> String {
    edit(A_CALLS_B, &[("name = \"CAC\"", "name = \"Session limit only\"")])
}

#[test]
fn a_session_limit_alone_caps_each_session_and_not_the_total() {
    // RTAudio wideband, 57 kbps a call: under a 60 kbps session limit every
    // call is admitted, with no aggregate cap.
    let m = load_model(&text("audio_session_limit_kbps = 60"), "session-only.toml").unwrap();
    let p = &m.bandwidth_policies[0];
    assert_eq!((p.audio_limit_kbps, p.audio_session_limit_kbps), (None, Some(60)));
    for r in run(&m, &scenario(), "session-only.toml") {
        let offered = r.counts.total().offered;
        assert!(offered > 10);
        assert_eq!(r.cac.denials, 0);
        assert_eq!(u64::from(r.cac_audio[0].peak), 570 * offered, "every call held at once");
    }
    // Over a 50 kbps session limit, none is.
    let m = load_model(&text("audio_session_limit_kbps = 50"), "session-only.toml").unwrap();
    for r in run(&m, &scenario(), "session-only.toml") {
        assert_eq!(r.cac.denials, r.counts.total().offered);
        assert_eq!(r.cac_audio[0].rejected, 0, "a session limit is no aggregate refusal");
        assert_eq!(r.cac_audio[0].peak, 0);
    }
}

#[test]
fn a_session_limit_alone_still_constrains_the_link_for_bypass() {
    let m = load_model(&text("audio_session_limit_kbps = 60"), "session-only.toml").unwrap();
    let (a, b) = (m.site_by_name("A").unwrap(), m.site_by_name("B").unwrap());
    assert_ne!(m.bypass_id[a.index()], m.bypass_id[b.index()]);
}

#[test]
fn an_aggregate_alone_gets_the_documented_session_default_and_no_limit_is_an_error() {
    let m = load_model(&text("audio_limit_kbps = 500"), "aggregate.toml").unwrap();
    let p = &m.bandwidth_policies[0];
    assert_eq!((p.audio_limit_kbps, p.audio_session_limit_kbps), (Some(500), Some(175)));
    assert_eq!((p.video_limit_kbps, p.video_session_limit_kbps), (None, None), "no video policy");
    let m = load_model(&text("video_limit_kbps = 2000"), "video.toml").unwrap();
    assert_eq!(m.bandwidth_policies[0].video_session_limit_kbps, Some(700));
    assert_eq!(m.bandwidth_policies[0].audio_session_limit_kbps, None, "no audio policy");
    let e = load_model(&text(""), "empty.toml").unwrap_err().to_string();
    assert!(e.contains("bandwidth_policy \"branch\"") && e.contains("sets no limit"), "{e}");
    let e = load_model(&text("video_session_limit_kbps = 99"), "small.toml").unwrap_err().to_string();
    assert!(e.contains("video_session_limit_kbps"), "{e}");
}
