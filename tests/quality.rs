//! Voice quality of simulated calls: MOS falls with a link's loss, delay
//! and load.

use voicetwin::analysis::run::run;
use voicetwin::analysis::summary::summarize;
use voicetwin::model::load_str as load_model;
use voicetwin::scenario::load_for_model;

/// Users at A call users at B over one link.
fn model(delay_ms: u32, loss: f64, bandwidth_kbps: u32) -> voicetwin::model::Model {
    let text = format!(
        r#"
pstn_usages = ["PSTN"]
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
bandwidth_kbps = {bandwidth_kbps}
one_way_delay = "{delay_ms}ms"
jitter = "2ms"
loss_percent = {loss}
[[registrar_pool]]
fqdn = "fe.example.com"
site = "A"
kind = "front-end"
[[user_group]]
name = "a-users"
site = "A"
registrar_pool = "fe.example.com"
users = 500
first_number = "+14255550000"
[[user_group]]
name = "b-users"
site = "B"
registrar_pool = "fe.example.com"
users = 500
first_number = "+14255551000"
"#
    );
    load_model(&text, "quality.toml").unwrap()
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
