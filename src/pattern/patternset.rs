//! Which patterns of a list `IsMatch` a number, in one pass over it.
//!
//! Route selection asks the same question of many patterns: does the
//! `NumberPattern` of each route of the caller's usages match? Testing
//! them one by one costs a screen and a match each; one DFA over all the
//! routes (regex-automata, `MatchKind::All`, as the regex crate's
//! `RegexSet` does) answers for all of them in one step per character of
//! the number. (First-match rule lists stop at their first match, and
//! their screens make each miss cheap: a pass costs them more than it
//! saves, measured.)
//!
//! The DFA is built at load over the patterns the plain engine compiles,
//! in ASCII mode, so it decides only ASCII input (where ASCII and Unicode
//! classes agree); patterns that need the backtracking engine, any
//! non-ASCII number, and a list whose DFA would be too large are left to
//! the patterns themselves.

use regex_automata::dfa::{dense, Automaton};
use regex_automata::nfa::thompson;
use regex_automata::util::{primitives::StateID, start, syntax};
use regex_automata::{Anchored, MatchKind};

use super::netregex::NetRegex;

/// Largest DFA built for one list; beyond it the patterns test alone.
const DFA_BYTES: usize = 4 << 20;

/// Fewest plain patterns worth a DFA. A pass over a number costs about
/// as much as testing two or three patterns alone (their screens turn
/// most numbers away in a few instructions), so a short list is left to
/// its patterns; measured with callgrind on the loss system's one route
/// and contoso's seventeen.
const MIN_PATTERNS: usize = 4;

/// A list of patterns with the DFA that decides the plain ones.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    dfa: Option<Decider>,
    len: usize,
}

#[derive(Debug, Clone)]
struct Decider {
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
    /// The list position of each DFA pattern.
    position: Vec<u32>,
    /// Per list position: the DFA decides it.
    decided: Vec<bool>,
}

/// The positions of a list whose patterns match, as a bit set; reused
/// across numbers so the hot path does not allocate.
#[derive(Debug, Clone, Default)]
pub struct Matches {
    bits: Vec<u64>,
}

impl Matches {
    /// Whether the pattern at `position` matched.
    #[inline]
    pub fn contains(&self, position: usize) -> bool {
        self.bits.get(position / 64).is_some_and(|w| w & (1 << (position % 64)) != 0)
    }

    fn reset(&mut self, len: usize) {
        self.bits.clear();
        self.bits.resize(len.div_ceil(64), 0);
    }

    fn insert(&mut self, position: usize) {
        self.bits[position / 64] |= 1 << (position % 64);
    }
}

impl PatternSet {
    /// The set of `patterns`, in list order.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a NetRegex>) -> Self {
        let patterns: Vec<&NetRegex> = patterns.into_iter().collect();
        let len = patterns.len();
        // The plain patterns that parse in ASCII mode (`\p{..}` does not).
        let ascii = ascii_syntax();
        let position: Vec<u32> = (0..len as u32)
            .filter(|&i| {
                let p = patterns[i as usize];
                !p.is_fancy() && syntax::parse_with(p.as_str(), &ascii).is_ok()
            })
            .collect();
        if position.len() < MIN_PATTERNS {
            return Self { dfa: None, len };
        }
        let sources: Vec<&str> = position.iter().map(|&i| patterns[i as usize].as_str()).collect();
        let built = all_matches_dfa(&sources, DFA_BYTES);
        let dfa = built.and_then(|dfa| {
            let start = dfa.start_state(&start::Config::new().anchored(Anchored::No)).ok()?;
            let mut decided = vec![false; len];
            position.iter().for_each(|&i| decided[i as usize] = true);
            Some(Decider { dfa, start, position, decided })
        });
        Self { dfa, len }
    }

    /// Whether [`matches`](Self::matches) answers for the pattern at
    /// `position`; the others are tested alone.
    #[inline]
    pub fn decides(&self, position: usize) -> bool {
        self.dfa.as_ref().is_some_and(|d| d.decided[position])
    }

    /// Fills `out` with the decided positions whose pattern matches
    /// anywhere in `input` (`Regex.IsMatch`); `false` when the set cannot
    /// decide this input (non-ASCII, or no DFA): test each pattern then.
    pub fn matches(&self, input: &str, out: &mut Matches) -> bool {
        let Some(d) = &self.dfa else { return false };
        if !input.is_ascii() {
            return false;
        }
        out.reset(self.len);
        let dfa = &d.dfa;
        let mut collect = |s: StateID| {
            for k in 0..dfa.match_len(s) {
                out.insert(d.position[dfa.match_pattern(s, k).as_usize()] as usize);
            }
        };
        let mut s = d.start;
        for &b in input.as_bytes() {
            s = dfa.next_state(s, b);
            if dfa.is_special_state(s) {
                if dfa.is_match_state(s) {
                    collect(s);
                } else if dfa.is_dead_state(s) {
                    return true;
                } else if dfa.is_quit_state(s) {
                    return false;
                }
            }
        }
        s = dfa.next_eoi_state(s);
        if dfa.is_match_state(s) {
            collect(s);
        }
        true
    }
}

/// Patterns read as bytes: numbers are ASCII, and byte classes keep the
/// automata small.
pub(super) fn ascii_syntax() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false)
}

/// One DFA reporting every pattern of `sources` that matches (not only
/// the first), or `None` past `bytes` of automaton.
pub(super) fn all_matches_dfa(sources: &[&str], bytes: usize) -> Option<dense::DFA<Vec<u32>>> {
    dense::Builder::new()
        .syntax(ascii_syntax())
        .thompson(thompson::Config::new().utf8(false))
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::All)
                .dfa_size_limit(Some(bytes))
                .determinize_size_limit(Some(2 * bytes)),
        )
        .build_many(sources)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(patterns: &[&str]) -> (PatternSet, Vec<NetRegex>) {
        let compiled: Vec<NetRegex> = patterns.iter().map(|p| NetRegex::new(p).unwrap()).collect();
        (PatternSet::new(compiled.iter()), compiled)
    }

    #[test]
    fn one_pass_agrees_with_each_pattern() {
        let (s, compiled) = set(&[
            r"^\+1(206|253|360|425)\d{7}$",
            r"^\+1[2-9]\d{9}$",
            r"^\+(?!1)\d{7,15}$",
            r"^\+44\d{9,10}$",
            r"\d{4}",
            r"^011",
            r"5$",
            r"",
        ]);
        assert!(s.decides(0) && !s.decides(2), "the look-ahead is left to its pattern");
        let mut m = Matches::default();
        for n in ["+14255550100", "+12125550100", "+442071234567", "+4420712345", "0115", "12", "", "+1425555010"] {
            assert!(s.matches(n, &mut m));
            for (i, p) in compiled.iter().enumerate().filter(|(i, _)| s.decides(*i)) {
                assert_eq!(m.contains(i), p.is_match(n), "{n} against {}", p.as_str());
            }
        }
    }

    #[test]
    fn non_ascii_input_and_empty_sets_are_not_decided() {
        let (s, _) = set(&[r"^\d+$", r"^1", r"^2", r"^3"]);
        assert!(s.decides(0) && s.matches("1", &mut Matches::default()));
        assert!(!s.matches("٣", &mut Matches::default()));
        let (short, _) = set(&[r"^\d+$", r"^1", r"^2"]);
        assert!(!short.decides(0), "too short a list for a DFA");
        let (empty, _) = set(&[]);
        assert!(!empty.matches("1", &mut Matches::default()) && !empty.decides(0));
    }

    #[test]
    fn more_than_64_patterns() {
        let patterns: Vec<String> = (0..100).map(|i| format!("^{i}$")).collect();
        let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let (s, _) = set(&refs);
        let mut m = Matches::default();
        assert!(s.matches("77", &mut m));
        assert!(m.contains(77) && !m.contains(7) && (0..100).filter(|i| m.contains(*i)).count() == 1);
    }
}
