//! Voice quality of simulated calls: MOS falls with a link's loss, delay
//! and load.

#[path = "common/cac.rs"]
mod two_sites;

use two_sites::{edit, TWO_SITES};
use voicetwin::analysis::run::run;
use voicetwin::analysis::summary::summarize;
use voicetwin::scenario::load_for_model;

/// Users at A call users at B over one link, with no bandwidth policy.
fn model(delay_ms: u32, loss: f64, bandwidth_kbps: u32) -> voicetwin::model::Model {
    let link = format!("bandwidth_kbps = {bandwidth_kbps}\none_way_delay = \"{delay_ms}ms\"\njitter = \"2ms\"\nloss_percent = {loss}\n");
    let text = edit(
        TWO_SITES,
        &[
            ("[[bandwidth_policy]]\nname = \"branch\"\naudio_limit_kbps = 100000\n\n", ""),
            ("bandwidth_kbps = 10000\none_way_delay = \"20ms\"\nbandwidth_policy = \"branch\"\n", &link),
            ("[[voice_policy]]\nscope = \"global\"\npstn_usages = [\"PSTN\"]\n\n", ""),
            ("users = 100\nfirst_number = \"+14255550000\"", "users = 500\nfirst_number = \"+14255550000\""),
            ("users = 100\nfirst_number = \"+14255551000\"", "users = 500\nfirst_number = \"+14255551000\""),
        ],
    );
    two_sites::model(&text, "quality.toml")
}

fn mean_mos(m: &voicetwin::model::Model, calls_per_hour: u32) -> f64 {
    let text = format!(
        r#"
duration = "2h"
warm_up = "20m"
replications = 3
[[source]]
name = "a-to-b"
user_group = "a-users"
calls_per_hour = {calls_per_hour}
holding = {{ exponential = "180s" }}
dial = [{{ template = "+14255551XXX" }}]
"#
    );
    let sc = load_for_model(&text, "q.toml", m).unwrap();
    let s = summarize(m, &sc, &run(m, &sc, 2).unwrap());
    assert!(s.mos.scored.mean > 0.0);
    s.mos.mean.expect("calls were scored").mean
}

#[test]
fn mos_falls_as_loss_rises() {
    let mut last = f64::INFINITY;
    for loss in [0.0, 0.5, 2.0, 5.0] {
        let mos = mean_mos(&model(20, loss, 100_000), 200);
        assert!(mos < last, "{loss}%: {mos}");
        last = mos;
    }
}

#[test]
fn mos_falls_as_delay_rises() {
    let mut last = f64::INFINITY;
    for delay in [10, 100, 200, 300] {
        let mos = mean_mos(&model(delay, 0.0, 100_000), 200);
        assert!(mos < last, "{delay} ms: {mos}");
        last = mos;
    }
    assert!(last < 4.0, "300 ms one way is well below toll quality: {last}");
}

#[test]
fn mos_falls_as_the_link_fills() {
    // 2 Mbit/s: ~3 Erlangs of RTAudio wideband barely load it, ~30 fill it.
    let light = mean_mos(&model(20, 0.0, 2000), 60);
    let heavy = mean_mos(&model(20, 0.0, 2000), 600);
    assert!(heavy < light, "light {light}, heavy {heavy}");
}
