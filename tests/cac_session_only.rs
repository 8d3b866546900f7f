//! A bandwidth policy profile with a session limit alone: accepted, as
//! New-CsNetworkBandwidthPolicyProfile accepts it; it caps each session
//! with no aggregate cap, and still makes its link constrained for media
//! bypass (docs/model.md, `[[bandwidth_policy]]`).

use voicetwin::analysis::run::replications;
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::load_for_model;

/// Two sites of one region over a link whose policy has only `limits`;
/// users at A call users at B.
fn text(limits: &str) -> String {
    format!(
        r#"
pstn_usages = ["PSTN"]

[media]
bypass = "site-and-region"

[[bandwidth_policy]]
name = "branch"
{limits}

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
bandwidth_kbps = 100000
one_way_delay = "20ms"
bandwidth_policy = "branch"

[[registrar_pool]]
fqdn = "fe.example.com"
site = "A"
kind = "front-end"

[[voice_policy]]
scope = "global"
pstn_usages = ["PSTN"]
allow_pstn_rerouting = false

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
"#
    )
}

const SCENARIO: &str = r#"
name = "Session limit only"
duration = "10m"
replications = 3
[signalling]
hop_latency = "0s"
[[source]]
name = "a-to-b"
user_group = "a-users"
calls_per_hour = 120
finite_sources = false
holding = { constant = "2h" }
ring_time = { constant = "0s" }
dial = [{ template = "+142555510XX" }]
"#;

#[test]
fn a_session_limit_alone_caps_each_session_and_not_the_total() {
    // RTAudio wideband, 57 kbps a call: under a 60 kbps session limit every
    // call is admitted, with no aggregate cap.
    let m = load_model(&text("audio_session_limit_kbps = 60"), "session-only.toml").unwrap();
    let p = &m.bandwidth_policies[0];
    assert_eq!((p.audio_limit_kbps, p.audio_session_limit_kbps), (None, Some(60)));
    let sc = load_for_model(SCENARIO, "session-only.toml", &m).unwrap();
    for r in replications(&m, &sc, 2).unwrap() {
        let offered = r.counts.total().offered;
        assert!(offered > 10);
        assert_eq!(r.cac.denials, 0);
        assert_eq!(u64::from(r.cac_audio[0].peak), 570 * offered, "every call held at once");
    }
    // Over a 50 kbps session limit, none is.
    let m = load_model(&text("audio_session_limit_kbps = 50"), "session-only.toml").unwrap();
    let sc = load_for_model(SCENARIO, "session-only.toml", &m).unwrap();
    for r in replications(&m, &sc, 2).unwrap() {
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
