//! `[[tariff]]`: what a call costs on a carrier, by destination
//! (docs/scenario.md, "Tariffs"): a per-minute price for the numbers
//! beginning with a prefix of the normalized E.164 number, on one peer or
//! on every peer (`"*"`), with a setup charge and billing increments.

use std::collections::HashSet;

use serde::Deserialize;

use crate::limits::scenario::{BILLING_INCREMENT as INCREMENT, MAX_TARIFFS, PRICE};
use crate::model::{Micros, PeerId};

use super::load::Validator;

/// `[[tariff]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TariffFile {
    /// A peer's name, or `"*"` for every peer without a tariff of its own
    /// for the number.
    pub peer: String,
    /// The start of the normalized number (`"+44"`); `"+"` (the default)
    /// prices every number.
    #[serde(default = "plus")]
    pub prefix: String,
    pub per_minute: f64,
    #[serde(default)]
    pub setup: f64,
    /// Billing increment after the first.
    #[serde(default = "minute")]
    pub increment: Micros,
    /// The first billing increment (default: `increment`).
    #[serde(default)]
    pub first_increment: Option<Micros>,
}

fn plus() -> String {
    "+".into()
}
fn minute() -> Micros {
    Micros::from_secs(60)
}

/// A price per minute of conversation, per call, and how it is billed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    pub per_minute: f64,
    pub setup: f64,
    /// In whole seconds.
    pub first_increment_s: u64,
    pub increment_s: u64,
}

impl Price {
    /// What a call of `conversation_us` costs: the setup charge, and the
    /// conversation rounded up to the first increment, then to whole
    /// increments after it, at the price per minute. A call with no
    /// conversation pays the setup alone.
    pub fn cost(&self, conversation_us: u64) -> f64 {
        let s = conversation_us.div_ceil(1_000_000);
        let billed = if s == 0 {
            0
        } else if s <= self.first_increment_s {
            self.first_increment_s
        } else {
            self.first_increment_s + (s - self.first_increment_s).div_ceil(self.increment_s) * self.increment_s
        };
        self.setup + self.per_minute * billed as f64 / 60.0
    }
}

/// One tariff: a prefix and its price.
#[derive(Debug, Clone, PartialEq)]
pub struct Tariff {
    pub prefix: String,
    pub price: Price,
}

/// Every tariff, by peer: a peer's own, then those for every peer, each
/// list longest prefix first. Empty when the scenario has none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tariffs {
    /// Per peer index.
    own: Vec<Vec<Tariff>>,
    every: Vec<Tariff>,
}

impl Tariffs {
    pub fn is_empty(&self) -> bool {
        self.every.is_empty() && self.own.iter().all(Vec::is_empty)
    }

    /// The price of a call to `number` (normalized) on `peer`: the peer's
    /// own tariff with the longest prefix of the number, else the longest
    /// of those for every peer; `None` when no tariff prices it.
    pub fn price(&self, peer: PeerId, number: &str) -> Option<Price> {
        let find = |list: &[Tariff]| list.iter().find(|t| number.starts_with(t.prefix.as_str())).map(|t| t.price);
        self.own.get(peer.index()).and_then(|l| find(l)).or_else(|| find(&self.every))
    }
}

impl Validator<'_> {
    pub(super) fn tariffs(&mut self, raw: &[TariffFile]) -> Tariffs {
        let m = self.model;
        let mut out =
            Tariffs { own: vec![Vec::new(); if raw.is_empty() { 0 } else { m.peers.len() }], every: Vec::new() };
        if raw.len() > MAX_TARIFFS {
            self.err("the scenario", "tariff", format!("{} tariffs are more than {MAX_TARIFFS}", raw.len()));
            return Tariffs::default();
        }
        let mut seen = HashSet::new();
        for (n, t) in raw.iter().enumerate() {
            let obj = format!("[[tariff]] #{} (peer \"{}\", prefix \"{}\")", n + 1, t.peer, t.prefix);
            let peer = if t.peer == "*" { None } else { m.peer_by_name(&t.peer) };
            if t.peer != "*" && peer.is_none() {
                let known: Vec<&str> = m.peers.iter().map(|p| p.name.as_str()).collect();
                self.err(
                    &obj,
                    "peer",
                    format!(
                        "no peer \"{}\" in the model (known: {}; or \"*\" for every peer)",
                        t.peer,
                        known.join(", ")
                    ),
                );
                continue;
            }
            let p = &t.prefix;
            if !p.starts_with('+') || p.len() > 16 || !p[1..].bytes().all(|b| b.is_ascii_digit()) {
                self.err(
                    &obj,
                    "prefix",
                    "write the start of a normalized E.164 number: \"+\" and up to 15 digits (\"+44\", \"+1425\")",
                );
                continue;
            }
            if !seen.insert((peer.map(|p| p.index()), p.clone())) {
                self.err(&obj, "prefix", "another [[tariff]] has this peer and prefix: give each one price");
                continue;
            }
            let ok = [self.real(&obj, "per_minute", t.per_minute, PRICE), self.real(&obj, "setup", t.setup, PRICE)];
            let first = t.first_increment.unwrap_or(t.increment);
            let spans = [
                self.span(&obj, "increment", t.increment, INCREMENT),
                self.span(&obj, "first_increment", first, INCREMENT),
            ];
            let whole = |d: Micros| d.0 % 1_000_000 == 0;
            if !whole(t.increment) || !whole(first) {
                self.err(&obj, "increment", "billing increments are whole seconds (\"60s\", \"1s\")");
                continue;
            }
            if ok.contains(&false) || spans.contains(&false) {
                continue;
            }
            let tariff = Tariff {
                prefix: p.clone(),
                price: Price {
                    per_minute: t.per_minute,
                    setup: t.setup,
                    first_increment_s: first.0 / 1_000_000,
                    increment_s: t.increment.0 / 1_000_000,
                },
            };
            match peer {
                Some(p) => out.own[p.index()].push(tariff),
                None => out.every.push(tariff),
            }
        }
        for list in out.own.iter_mut().chain([&mut out.every]) {
            // Longest prefix first; equal lengths keep the file's order.
            list.sort_by_key(|t| std::cmp::Reverse(t.prefix.len()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_billed_in_increments() {
        let p = Price { per_minute: 0.10, setup: 0.05, first_increment_s: 60, increment_s: 60 };
        assert_eq!(p.cost(0), 0.05);
        assert!((p.cost(1) - 0.15).abs() < 1e-12);
        assert!((p.cost(60_000_000) - 0.15).abs() < 1e-12);
        assert!((p.cost(90_000_000) - 0.25).abs() < 1e-12);
        let s = Price { per_minute: 0.6, setup: 0.0, first_increment_s: 30, increment_s: 6 };
        // 31 s: 30 + 6 = 36 s billed.
        assert!((s.cost(31_000_000) - 0.36).abs() < 1e-12);
        // A part of a second is a whole second.
        assert!((s.cost(36_000_001) - 0.42).abs() < 1e-12);
    }
}
