//! Number patterns as regular languages, for questions asked of the whole
//! set of numbers rather than of one: can this rule ever apply? can a
//! number travel round this inter-trunk loop?
//!
//! Each question is a search over the product of DFAs (regex-automata),
//! restricted to what can be dialed or routed: the digits, `+`, `*` and `#`.
//! The answer is exact for plain patterns; patterns that need the
//! backtracking engine (look-around, back-references) have no DFA and the
//! caller must treat them conservatively.

use std::collections::HashMap;

use regex_automata::dfa::{dense, Automaton};
use regex_automata::nfa::thompson;
use regex_automata::util::{primitives::StateID, start, syntax};
use regex_automata::Anchored;

/// The characters numbers are made of.
pub(super) const ALPHABET: &[u8] = b"+0123456789*#";

/// Product states explored before giving up.
const STATE_LIMIT: usize = 200_000;

/// The set of strings on which at least one of some patterns `IsMatch`es.
pub struct Language {
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
}

impl Language {
    /// The union of `patterns`, or `None` when one has no DFA (look-around,
    /// back-references) or the DFA would be too large.
    pub fn new(patterns: &[&str]) -> Option<Self> {
        if patterns.is_empty() {
            return None;
        }
        let dfa = dense::Builder::new()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .thompson(thompson::Config::new().utf8(false))
            .configure(dense::Config::new().dfa_size_limit(Some(8 << 20)).determinize_size_limit(Some(16 << 20)))
            .build_many(patterns)
            .ok()?;
        let start = dfa.start_state(&start::Config::new().anchored(Anchored::No)).ok()?;
        Some(Self { dfa, start })
    }

    fn step(&self, (s, matched): (StateID, bool), b: u8) -> (StateID, bool) {
        let n = self.dfa.next_state(s, b);
        (n, matched || self.dfa.is_match_state(n))
    }

    fn accepts_at_end(&self, (s, matched): (StateID, bool)) -> bool {
        matched || self.dfa.is_match_state(self.dfa.next_eoi_state(s))
    }

    fn can_still_match(&self, (s, matched): (StateID, bool)) -> bool {
        matched || !self.dfa.is_dead_state(s)
    }
}

/// The outcome of a witness search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Witness {
    /// A shortest string with the property.
    Found(String),
    /// No string has it.
    None,
    /// The search grew past its limit; no answer.
    Unknown,
}

/// A shortest number matched by every `accept` language and by no `reject`
/// language.
pub fn witness(accept: &[&Language], reject: &[&Language]) -> Witness {
    let langs: Vec<&Language> = accept.iter().chain(reject).copied().collect();
    let n_accept = accept.len();
    let root: Vec<(StateID, bool)> = langs.iter().map(|l| (l.start, false)).collect();
    let mut seen: HashMap<Vec<(StateID, bool)>, (usize, u8)> = HashMap::new();
    let mut order: Vec<Vec<(StateID, bool)>> = vec![root.clone()];
    seen.insert(root, (usize::MAX, 0));
    let mut head = 0;
    while head < order.len() {
        if order.len() > STATE_LIMIT {
            return Witness::Unknown;
        }
        let cur = order[head].clone();
        let is_witness = langs.iter().zip(&cur).enumerate().all(|(i, (l, st))| l.accepts_at_end(*st) == (i < n_accept));
        if is_witness && head != 0 {
            return Witness::Found(spell(&order, &seen, head));
        }
        for &b in ALPHABET {
            let next: Vec<(StateID, bool)> = langs.iter().zip(&cur).map(|(l, st)| l.step(*st, b)).collect();
            // Prune branches that can no longer be witnesses.
            let hopeless =
                next.iter().enumerate().any(|(i, st)| if i < n_accept { !langs[i].can_still_match(*st) } else { st.1 });
            if hopeless || seen.contains_key(&next) {
                continue;
            }
            seen.insert(next.clone(), (head, b));
            order.push(next);
        }
        head += 1;
    }
    Witness::None
}

fn spell(order: &[Vec<(StateID, bool)>], seen: &HashMap<Vec<(StateID, bool)>, (usize, u8)>, mut at: usize) -> String {
    let mut bytes = Vec::new();
    loop {
        let (parent, b) = seen[&order[at]];
        if parent == usize::MAX {
            break;
        }
        bytes.push(b);
        at = parent;
    }
    bytes.reverse();
    String::from_utf8(bytes).expect("the alphabet is ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(p: &[&str]) -> Language {
        Language::new(p).unwrap()
    }

    #[test]
    fn finds_shortest_difference() {
        let a = lang(&[r"^\d{4}$"]);
        let b = lang(&[r"^1\d{3}$"]);
        assert_eq!(witness(&[&a], &[&b]), Witness::Found("0000".into()));
        assert_eq!(witness(&[&b], &[&a]), Witness::None, "every 1xxx is 4 digits");
    }

    #[test]
    fn search_semantics_for_unanchored_patterns() {
        let any10 = lang(&["[0-9]{10}"]);
        let e164 = lang(&[r"^\+1\d{10}$"]);
        assert_eq!(witness(&[&e164], &[&any10]), Witness::None, "unanchored [0-9]{{10}} is inside every +1 number");
    }

    #[test]
    fn intersection_of_several() {
        let pbx = lang(&[r"^\+1425882\d{4}$"]);
        let us = lang(&[r"^\+1\d{10}$"]);
        assert_eq!(witness(&[&pbx, &us], &[]), Witness::Found("+14258820000".into()));
        let not_pbx = lang(&[
            r"^\+1(?:[02-35-9]\d{9}|4[013-9]\d{8}|42[0-46-9]\d{7}|425[0-79]\d{6}|4258[0-79]\d{5}|42588[013-9]\d{4})$",
        ]);
        assert_eq!(witness(&[&pbx, &not_pbx], &[]), Witness::None);
    }

    #[test]
    fn look_around_has_no_language() {
        assert!(Language::new(&[r"^\+(?!1)\d+$"]).is_none());
    }
}
