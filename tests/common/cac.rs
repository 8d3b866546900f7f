//! Two sites of one region over one WAN link, for call admission control,
//! media bypass, video and quality tests; each test states its own
//! differences from [`TWO_SITES`] as explicit edits.
#![allow(dead_code)]

use voicetwin::analysis::run::replications;
use voicetwin::model::{load_str, Model};
use voicetwin::scenario::load_for_model;
use voicetwin::sim::Replication;

/// Central site A and branch B of region R over the link "a-b" (10 Mbit/s,
/// 20 ms one way) whose policy "branch" has a 100 Mbit/s audio limit; one
/// Front End pool at A; a global voice policy with the usage "PSTN"; 100
/// users at A (+14255550000...) and 100 at B (+14255551000...).
pub const TWO_SITES: &str = r#"
pstn_usages = ["PSTN"]

[[bandwidth_policy]]
name = "branch"
audio_limit_kbps = 100000

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
fqdn = "fe.example.com"
site = "A"
kind = "front-end"

[[voice_policy]]
scope = "global"
pstn_usages = ["PSTN"]

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
"#;

/// Users at A call users at B for 10 minutes, 120 calls an hour, each held
/// for the whole run, so a constrained link fills and stays full.
pub const A_CALLS_B: &str = r#"
name = "CAC"
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

/// `text` with each `(from, to)` applied in turn; each `from` must occur
/// exactly once, so an edit can never silently miss.
pub fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from:?} occurs exactly once in:\n{text}");
        text = text.replacen(from, to, 1);
    }
    text
}

/// [`TWO_SITES`] with `edits` and a `[media]` table holding `media`.
pub fn two_sites(media: &str, edits: &[(&str, &str)]) -> String {
    format!("{}\n[media]\n{media}\n", edit(TWO_SITES, edits))
}

/// The model `text`, which must load.
pub fn model(text: &str, file: &str) -> Model {
    load_str(text, file).unwrap()
}

/// The replications of `scenario` on `m`, on two threads.
pub fn run(m: &Model, scenario: &str, file: &str) -> Vec<Replication> {
    let sc = load_for_model(scenario, file, m).unwrap();
    replications(m, &sc, 2).unwrap()
}
