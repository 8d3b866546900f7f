//! Peers' own answers (`[[response]]`, `mode = "respond"`) on the
//! two-gateways-in-turn model (tests/data/two-gateways-in-turn.toml).
#![allow(dead_code)]

use voicetwin::analysis::run::replications;
use voicetwin::model::{load_str, Model};
use voicetwin::scenario::{load_for_model, Scenario};
use voicetwin::sim::Replication;

pub const TWO_GATEWAYS: &str = include_str!("../data/two-gateways-in-turn.toml");

/// gw1, then gw2 when gw1's answer fails over.
pub fn two_gateways() -> Model {
    load_str(TWO_GATEWAYS, "two-gateways-in-turn.toml").expect("the test model loads")
}

/// `erlangs` of 180 s calls for `hours` (after a 10 min warm-up), `reps`
/// replications, no signalling delay, a Poisson source; `extra` is added
/// at the end (a `[[response]]`, a `[[failure]]`, ...).
pub fn scenario_text(erlangs: f64, hours: u32, reps: u32, extra: &str) -> String {
    format!(
        r#"
duration = "{hours}h"
warm_up = "10m"
replications = {reps}
seed = 15
bucket = "10m"
[signalling]
hop_latency = "0s"
pstn_setup = "0s"
[[source]]
name = "users"
user_group = "users"
erlangs = {erlangs}
holding = {{ exponential = "180s" }}
ring_time = {{ constant = "0s" }}
finite_sources = false
dial = [{{ template = "NXXNXXXXXX" }}]
{extra}
"#
    )
}

pub fn scenario(model: &Model, erlangs: f64, hours: u32, reps: u32, extra: &str) -> Scenario {
    load_for_model(&scenario_text(erlangs, hours, reps, extra), "responses.toml", model).unwrap()
}

/// The replications of a run on 2 threads.
pub fn run(model: &Model, sc: &Scenario) -> Vec<Replication> {
    replications(model, sc, 2).unwrap()
}

/// A `[[response]]` giving `peer` one answer (an inline table's fields,
/// e.g. `code = 486, isup_cause = 34`) for `share` of its calls.
pub fn response(peer: &str, answer: &str, share: f64) -> String {
    format!("[[response]]\npeer = \"{peer}\"\nanswers = [{{ {answer}, share = {share} }}]\n")
}

/// Calls ended by final response `code` in a replication.
pub fn ended_by(r: &Replication, code: u16) -> u64 {
    r.final_codes[usize::from(code - 400)]
}
