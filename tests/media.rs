//! Media paths: bypass and Mediation capacity, bandwidth per codec on WAN links.

use voicetwin::analysis::run::run;
use voicetwin::analysis::summary::summarize;
use voicetwin::model::{load_str as load_model, Model};
use voicetwin::scenario::{builtin, load_for_model};

/// Contoso with its `[media]` section replaced.
fn contoso_with(media: &str) -> Model {
    let own = "[media]\nbypass = \"site-and-region\"\nlync_codec = \"rtaudio-nb\"\n";
    assert!(voicetwin::model::CONTOSO_TOML.contains(own));
    let text = voicetwin::model::CONTOSO_TOML.replacen(own, media, 1);
    load_model(&text, "contoso-media.toml").unwrap()
}

fn run_sources(model: &Model, sources: &[&str]) -> voicetwin::analysis::summary::Summary {
    let mut sc = load_for_model(builtin("busy-hour").unwrap(), "busy-hour.toml", model).unwrap();
    sc.sources.retain(|s| sources.contains(&s.name.as_str()));
    sc.replications = 3;
    summarize(model, &sc, &run(model, &sc, 2).unwrap())
}

fn pool<'a>(
    s: &'a voicetwin::analysis::summary::Summary,
    fqdn: &str,
) -> &'a voicetwin::analysis::summary::ElementFigures {
    s.mediation_pools.iter().find(|p| p.name == fqdn).unwrap()
}

fn link<'a>(s: &'a voicetwin::analysis::summary::Summary, name: &str) -> &'a voicetwin::analysis::summary::LinkFigures {
    s.links.iter().find(|l| l.name == name).unwrap()
}

#[test]
fn bypassed_calls_leave_the_mediation_server_untouched() {
    // New York's trunk configuration enables bypass; with bypass on
    // globally its users' calls through the SBA gateway skip its Mediation.
    let on = run_sources(&contoso_with("[media]\nbypass = \"site-and-region\"\n"), &["newyork-out"]);
    let off = run_sources(&contoso_with("[media]\nbypass = \"off\"\n"), &["newyork-out"]);
    assert_eq!(pool(&on, "sba-nyc.contoso.com").carried_erlangs.mean, 0.0);
    assert_eq!(pool(&on, "sba-nyc.contoso.com").attempts.mean, 0.0);
    assert!(pool(&off, "sba-nyc.contoso.com").carried_erlangs.mean > 5.0);
    // The gateway carries the same calls either way.
    let gw = |s: &voicetwin::analysis::summary::Summary| {
        s.peers.iter().find(|p| p.name == "gw-nyc").unwrap().carried_erlangs.mean
    };
    assert_eq!(gw(&on), gw(&off));
    // Redmond's trunks do not enable bypass: Redmond's pool carries New York's long-distance calls either way.
    assert!(pool(&on, "med-red.contoso.com").carried_erlangs.mean > 0.0);
}

#[test]
fn link_bandwidth_follows_codec_and_fec() {
    let plain = run_sources(&contoso_with("[media]\nlync_codec = \"rtaudio-nb\"\n"), &["dallas-out"]);
    let g711 = run_sources(&contoso_with("[media]\nlync_codec = \"g711\"\n"), &["dallas-out"]);
    let fec = run_sources(&contoso_with("[media]\nlync_codec = \"rtaudio-nb\"\nfec = true\n"), &["dallas-out"]);
    let kbps = |s| link(s, "redmond-dallas").mean_kbps.mean;
    // Dallas users' PSTN calls cross the link to Redmond's Mediation pool:
    // RTAudio narrowband 39.8 kbps a call, G.711 92.0, RTAudio with FEC 51.6.
    // Internal calls to Redmond users (RTAudio wideband) add the same in all three.
    assert!(kbps(&plain) > 0.0);
    assert!(kbps(&g711) > kbps(&plain));
    assert!(kbps(&fec) > kbps(&plain) && kbps(&fec) < kbps(&g711));
    // Same calls (same seed): the difference is the PSTN legs' codec alone.
    let calls = |s: &voicetwin::analysis::summary::Summary| s.peers.iter().map(|p| p.carried_erlangs.mean).sum::<f64>();
    let e = calls(&plain);
    assert!(
        ((kbps(&g711) - kbps(&plain)) / e - (92.0 - 39.8)).abs() < 3.0,
        "{} kbps per Erlang",
        (kbps(&g711) - kbps(&plain)) / e
    );
    // A site's own calls stay off other links.
    assert_eq!(link(&plain, "london-paris").mean_kbps.mean, 0.0);
}

#[test]
fn always_bypass_with_cac_is_a_load_error() {
    // Contoso has bandwidth policies on its branch links.
    let text = voicetwin::model::CONTOSO_TOML.replacen("bypass = \"site-and-region\"", "bypass = \"always\"", 1);
    let e = load_model(&text, "bad.toml").unwrap_err().to_string();
    assert!(e.contains("[media], field `bypass`") && e.contains("not allowed with call admission control"), "{e}");
}
