//! Video between users: a share of the calls add a video session, which
//! call admission control admits under the video limits, apart from audio;
//! a call whose video is denied goes on with audio only (docs/model.md,
//! `[media]`; docs/lync-behaviour.md, "Call admission control").

#[path = "common/cac.rs"]
mod two_sites;

use two_sites::{edit, run, two_sites, A_CALLS_B};
use voicetwin::analysis::results::Results;
use voicetwin::analysis::run::replications;
use voicetwin::analysis::summary::summarize;
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::load_for_model;

/// Two sites over a link whose policy has a large audio limit and the
/// given video limits; users at A call users at B.
fn model(media: &str, video: &str) -> voicetwin::model::Model {
    let text = two_sites(
        media,
        &[
            ("audio_limit_kbps = 100000\n", &format!("audio_limit_kbps = 100000\n{video}\n")),
            ("bandwidth_kbps = 10000\n", "bandwidth_kbps = 100000\n"),
        ],
    );
    two_sites::model(&text, "video.toml")
}

/// Every call stays up to the end.
fn scenario() -> String {
    edit(
        A_CALLS_B,
        &[(
            "name = \"CAC\"\nduration = \"10m\"\nreplications = 3\n",
            "name = \"Video\"\nduration = \"10m\"\nreplications = 4\n",
        )],
    )
}

#[test]
fn a_1000_kbps_video_limit_with_500_kbps_sessions_admits_exactly_two() {
    // 640x360 asks up to 800 kbps, at least 300: the 500 kbps session
    // limit brings each session to 500, so two fill 1000 kbps.
    let m = model(
        "video_share = 1.0\nvideo_resolution = \"640x360\"",
        "video_limit_kbps = 1000\nvideo_session_limit_kbps = 500",
    );
    for r in run(&m, &scenario(), "video.toml") {
        let offered = r.counts.total().offered;
        assert!(offered > 5, "{offered}");
        assert_eq!(r.video.sessions, offered, "every call adds video");
        assert_eq!(r.video.denied, offered - 2);
        assert_eq!(r.cac_video_admitted[0], 2);
        assert_eq!(r.cac_video_denials[0], offered - 2);
        assert_eq!(r.cac_video[0].peak, 10_000, "two sessions of 500.0 kbps");
        // Audio is admitted apart: every call carried, audio only when its
        // video was denied.
        assert_eq!(r.cac.denials, 0);
        assert_eq!(r.counts.total().carried, offered);
        assert_eq!(u64::from(r.cac_audio[0].peak), 570 * offered);
        // The link carries both.
        assert_eq!(u64::from(r.links[0].peak), 570 * offered + 10_000);
    }
}

#[test]
fn video_whose_minimum_exceeds_the_session_limit_is_always_denied() {
    // 1920x1080 needs at least 1500 kbps; a 1000 kbps session limit denies it.
    let m = model(
        "video_share = 1.0\nvideo_resolution = \"1920x1080\"",
        "video_limit_kbps = 100000\nvideo_session_limit_kbps = 1000",
    );
    for r in run(&m, &scenario(), "video.toml") {
        assert_eq!(r.video.denied, r.video.sessions);
        assert_eq!(r.cac_video[0].peak, 0);
        assert_eq!(r.cac_video[0].rejected, 0, "a session limit is no aggregate refusal");
    }
}

#[test]
fn a_share_of_the_calls_adds_video_from_its_own_stream() {
    let m = model("video_share = 0.3", "video_limit_kbps = 100000");
    let off = model("", "video_limit_kbps = 100000");
    let mut sc = load_for_model(&scenario(), "video.toml", &m).unwrap();
    sc.replications = 20;
    let on = replications(&m, &sc, 2).unwrap();
    let without = replications(&off, &sc, 2).unwrap();
    let (mut sessions, mut offered) = (0, 0);
    for (a, b) in on.iter().zip(&without) {
        // Video draws take nothing from the other streams: the same calls.
        assert_eq!(a.counts.total().offered, b.counts.total().offered);
        assert_eq!(a.cac_audio[0].peak, b.cac_audio[0].peak);
        assert_eq!(b.video.sessions, 0);
        assert!(b.cac_video.is_empty(), "nothing kept for video when it is off");
        sessions += a.video.sessions;
        offered += a.counts.total().offered;
    }
    let share = sessions as f64 / offered as f64;
    assert!((0.2..0.4).contains(&share), "{share}");
}

#[test]
fn video_results_are_the_same_for_any_thread_count_and_absent_when_video_is_off() {
    let m = model("video_share = 0.5", "video_limit_kbps = 2000\nvideo_session_limit_kbps = 500");
    let sc = load_for_model(&scenario(), "video.toml", &m).unwrap();
    let json = |threads| {
        let reps = replications(&m, &sc, threads).unwrap();
        serde_json::to_string(&summarize(&m, &sc, &Results::of(&m, &sc, &reps))).unwrap()
    };
    let one = json(1);
    assert_eq!(one, json(2));
    assert!(one.contains("\"video\""));
    let off = model("", "video_limit_kbps = 2000");
    let reps = replications(&off, &sc, 2).unwrap();
    let text = serde_json::to_string(&summarize(&off, &sc, &Results::of(&off, &sc, &reps))).unwrap();
    assert!(!text.contains("\"video\""), "no video figures without video");
}

#[test]
fn video_settings_are_checked() {
    let text = |media: &str| {
        format!("[media]\n{media}\n[[region]]\nname = \"R\"\ncentral_site = \"A\"\n[[site]]\nname = \"A\"\nkind = \"central\"\nregion = \"R\"\n")
    };
    let e = load_model(&text("video_share = 1.5"), "bad.toml").unwrap_err().to_string();
    assert!(e.contains("[media]") && e.contains("video_share"), "{e}");
    let e = load_model(&text("video_resolution = \"4k\""), "bad.toml").unwrap_err().to_string();
    assert!(e.contains("video_resolution") && e.contains("1280x720"), "{e}");
}
