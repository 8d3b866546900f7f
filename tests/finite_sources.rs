//! Finite sources and redials: a user holds one call at a time, so a small
//! group blocks as Engset, not Erlang B; blocked callers may redial.

use voicetwin::analysis::erlang::{engset, engset_beta, erlang_b};
use voicetwin::analysis::results::Results;
use voicetwin::analysis::run::{replications, run};
use voicetwin::analysis::summary::summarize;
use voicetwin::model::{load_str as load_model, Model};
use voicetwin::scenario::{load_for_model, Scenario};

/// `users` users on one gateway of `channels` channels.
fn model(users: u32, channels: u32) -> Model {
    let text = include_str!("../models/single-trunk-group.toml")
        .replace("e1_spans = 1", &format!("channels = {channels}"))
        .replace("users = 1000", &format!("users = {users}"));
    load_model(&text, "finite.toml").unwrap()
}

/// The group offers `erlangs` in all, 180 s calls, no signalling delay;
/// `extra` is added to the source.
fn scenario(m: &Model, erlangs: f64, hours: u32, reps: u32, extra: &str) -> Scenario {
    let text = format!(
        r#"
duration = "{hours}h"
warm_up = "1h"
replications = {reps}
seed = 5
bucket = "1h"
[signalling]
hop_latency = "0s"
pstn_setup = "0s"
[[source]]
name = "users"
user_group = "users"
erlangs = {erlangs}
holding = {{ exponential = "180s" }}
ring_time = {{ constant = "0s" }}
dial = [{{ template = "NXXNXXXXXX" }}]
{extra}
"#
    );
    load_for_model(&text, "finite.toml", m).unwrap()
}

#[test]
fn five_users_on_three_channels_block_as_engset() {
    // Five users offering 0.4 E each: an idle user offers b = 0.4/0.6,
    // and a call sees the other four (Engset call congestion).
    let m = model(5, 3);
    let sc = scenario(&m, 2.0, 200, 10, "");
    let s = summarize(&m, &sc, &run(&m, &sc, 2).unwrap());
    let gos = s.grade_of_service.unwrap();
    let theory = engset(3, 5, engset_beta(2.0, 5));
    assert!(gos.contains(theory), "Engset {theory:.4} outside {gos:?}");
    assert!(!gos.contains(erlang_b(3, 2.0)), "not Erlang B: {gos:?}");
    // Attempts come from idle users only, at b per idle user: with Y
    // Erlangs carried, the attempt rate times the holding time is
    // b (S - Y), Y = that (1 - B), so b S / (1 + b (1 - B)).
    let beta = engset_beta(2.0, 5);
    let attempted = beta * 5.0 / (1.0 + beta * (1.0 - theory));
    let measured = s.calls.offered.mean * 180.0 / (199.0 * 3600.0);
    assert!((measured / attempted - 1.0).abs() < 0.02, "attempted {measured:.3} E, Engset {attempted:.3} E");
}

#[test]
fn five_users_never_hold_more_than_five_calls() {
    // Ten channels for five users: with one call each, the peak is five.
    let m = model(5, 10);
    let sc = scenario(&m, 3.0, 50, 3, "");
    for r in replications(&m, &sc, 2).unwrap() {
        assert!(r.peers[0].peak <= 5, "peak {}", r.peers[0].peak);
        assert_eq!(r.counts.pstn().blocked, 0);
    }
    // As an infinite source the same five users would reach more.
    let sc = scenario(&m, 3.0, 50, 3, "finite_sources = false");
    assert!(replications(&m, &sc, 2).unwrap().iter().any(|r| r.peers[0].peak > 5));
}

#[test]
fn a_group_that_cannot_offer_its_load_is_refused_at_load() {
    let m = model(5, 3);
    let text = "duration = \"2h\"\n[[source]]\nname = \"users\"\nuser_group = \"users\"\nerlangs = 6\n\
                holding = { exponential = \"180s\" }\ndial = [{ template = \"NXXNXXXXXX\" }]\n";
    let e = load_for_model(text, "too-much.toml", &m).unwrap_err().to_string();
    assert!(e.contains("source \"users\"") && e.contains("finite_sources") && e.contains("5 users"), "{e}");
    // ... and a growth step that would push it there, too.
    let mut sc = scenario(&m, 2.0, 2, 1, "");
    assert!(sc.scale_load(3.0).unwrap_err().contains("source \"users\""));
}

#[test]
fn blocked_callers_redial_and_the_rest_give_up() {
    // Two channels, heavy load: half the blocked callers try again.
    let m = model(1000, 2);
    let extra = "finite_sources = false\nretry_probability = 0.5\nretry_delay = \"60s\"\nmax_redials = 50";
    let sc = scenario(&m, 2.0, 40, 5, extra);
    let reps = replications(&m, &sc, 2).unwrap();
    let s = summarize(&m, &sc, &Results::of(&m, &sc, &reps));
    let c = &s.calls;
    assert!(c.redials.mean > 0.0 && c.given_up.mean > 0.0);
    let (mut given_up, mut blocked) = (0, 0);
    for r in &reps {
        let t = r.counts.pstn();
        assert_eq!(t.offered, t.carried + t.blocked, "{t:?}");
        given_up += t.given_up;
        blocked += t.blocked;
    }
    // Each blocked attempt is redialled with probability 1/2.
    let share = given_up as f64 / blocked as f64;
    assert!((share - 0.5).abs() < 0.02, "{share}");
    // Redials add load: each attempt blocks more than without them, and
    // a caller is lost less often than an attempt is blocked.
    let plain = scenario(&m, 2.0, 40, 5, "finite_sources = false");
    let without = summarize(&m, &plain, &run(&m, &plain, 2).unwrap()).grade_of_service.unwrap();
    let with = s.grade_of_service.unwrap();
    assert!(with.ci95_low > without.ci95_high, "{with:?} {without:?}");
    assert!(s.caller_loss.unwrap().mean < with.mean);
    assert!(without.contains(erlang_b(2, 2.0)));
}
