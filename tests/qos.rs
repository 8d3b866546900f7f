//! `voicetwin qos` and the E-model as a user meets them.

use std::process::Command;

use proptest::prelude::*;
use voicetwin::qos::{codecs, emodel};

fn qos(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).arg("qos").args(args).output().unwrap()
}

#[test]
fn g711_with_every_default_is_r_93_2() {
    let o = qos(&["--codec", "G.711", "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!((v["r"].as_f64().unwrap() - 93.2).abs() < 0.05);
    assert!((v["mos"].as_f64().unwrap() - 4.41).abs() < 0.01);
    assert_eq!(v["ie"], 0.0);
    assert_eq!(v["bpl"], 4.3);
}

#[test]
fn the_codec_table_is_g113_appendix_i() {
    let c = |n: &str| codecs::codec(n).map(|c| (c.ie, c.bpl)).unwrap();
    assert_eq!(c("G.711"), (0.0, 4.3));
    assert_eq!(c("g.711-plc"), (0.0, 25.1));
    assert_eq!(c("G.729A"), (11.0, 19.0));
    assert_eq!(c("G.723.1"), (15.0, 16.1));
    assert!(codecs::codec("RTAudio").is_none(), "no published value, no invented one");
}

#[test]
fn bad_input_exits_2() {
    for args in [
        &["--codec", "SILK"][..],
        &["--codec", "G.711", "--loss-pct", "120"],
        &["--codec", "G.711", "--burst-ratio", "0.5"],
        &["--codec", "G.711", "--delay-ms", "-1"],
    ] {
        let o = qos(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

proptest! {
    /// MOS never rises with more delay or more loss, for any codec.
    #[test]
    fn more_delay_or_loss_never_sounds_better(codec in 0usize..4, ta in 0.0f64..600.0, dta in 0.0f64..200.0, ppl in 0.0f64..20.0, dppl in 0.0f64..10.0) {
        let c = &codecs::CODECS[codec];
        let at = |ta: f64, ppl: f64| emodel::rating(&emodel::Params { Ie: c.ie, Bpl: c.bpl, Ta: ta, T: ta, Tr: 2.0 * ta, Ppl: ppl, ..Default::default() });
        prop_assert!(at(ta + dta, ppl).r <= at(ta, ppl).r + 1e-9);
        prop_assert!(at(ta, ppl + dppl).r <= at(ta, ppl).r + 1e-9);
        let m = at(ta, ppl).mos;
        prop_assert!((1.0..=4.5).contains(&m));
    }
}
