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

impl Language {
    /// A shortest string the language holds, over the printable ASCII
    /// characters (not only those numbers are made of): what a pattern
    /// that matches no number matches instead. `None` when it holds none
    /// or the search reached its limit.
    pub fn shortest(&self) -> Option<String> {
        let root = (self.start, false);
        let mut seen: HashMap<(StateID, bool), (usize, u8)> = HashMap::new();
        let mut order = vec![root];
        seen.insert(root, (usize::MAX, 0));
        let mut head = 0;
        while head < order.len() && order.len() <= STATE_LIMIT {
            let cur = order[head];
            if head != 0 && self.accepts_at_end(cur) {
                let mut bytes = Vec::new();
                let mut at = head;
                while let Some(&(parent, b)) = seen.get(&order[at]).filter(|(p, _)| *p != usize::MAX) {
                    bytes.push(b);
                    at = parent;
                }
                bytes.reverse();
                return String::from_utf8(bytes).ok();
            }
            for b in 0x20u8..0x7f {
                let next = self.step(cur, b);
                if self.can_still_match(next) && !seen.contains_key(&next) {
                    seen.insert(next, (head, b));
                    order.push(next);
                }
            }
            head += 1;
        }
        None
    }

    /// A number the language holds that is `prefix` then `digits` decimal
    /// digits of a value in `lo..=hi` (a range of Line URIs), or `None`.
    /// One walk of the DFA digit by digit, bounded by the range at each
    /// end: at most four states per DFA state and position.
    pub fn number_in_range(&self, prefix: &str, lo: u64, hi: u64, digits: usize) -> Option<String> {
        if lo > hi || digits == 0 || digits > 19 {
            return None;
        }
        let (lo_d, hi_d) = (format!("{lo:0digits$}"), format!("{hi:0digits$}"));
        if lo_d.len() != digits || hi_d.len() != digits {
            return None;
        }
        let (lo_d, hi_d) = (lo_d.as_bytes(), hi_d.as_bytes());
        let mut st = (self.start, false);
        for b in prefix.bytes() {
            st = self.step(st, b);
        }
        // Depth first; a state is (position, DFA state, at the low bound,
        // at the high bound).
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![(0usize, st, true, true, Vec::<u8>::new())];
        while let Some((pos, st, tlo, thi, text)) = stack.pop() {
            if pos == digits {
                if self.accepts_at_end(st) {
                    return Some(format!("{prefix}{}", String::from_utf8_lossy(&text)));
                }
                continue;
            }
            if !self.can_still_match(st) || !seen.insert((pos, st, tlo, thi)) || seen.len() > STATE_LIMIT {
                continue;
            }
            let first = if tlo { lo_d[pos] } else { b'0' };
            let last = if thi { hi_d[pos] } else { b'9' };
            for d in (first..=last).rev() {
                let mut t = text.clone();
                t.push(d);
                stack.push((pos + 1, self.step(st, d), tlo && d == first, thi && d == last, t));
            }
        }
        None
    }
}

/// `pattern` in the syntax the automata are built from, read as .NET
/// reads it: a `{` that does not open a quantifier (`{n}`, `{n,}`,
/// `{n,m}`) is a literal brace in .NET (`\d{6,13$` matches a digit then
/// `{6,13`), where the regex crate refuses the pattern; such braces, and a
/// `}` closing none, are escaped.
pub fn net_syntax(pattern: &str) -> String {
    let b = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len() + 4);
    let (mut i, mut in_class) = (0, false);
    let quantifier_end = |from: usize| -> Option<usize> {
        let rest = &pattern[from + 1..];
        let close = rest.find('}')?;
        let body = &rest[..close];
        let (m, n) = body.split_once(',').map_or((body, None), |(m, n)| (m, Some(n)));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        (digits(m) && n.is_none_or(|n| n.is_empty() || digits(n))).then_some(from + 1 + close)
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' => {
                let end = (i + 2).min(b.len());
                let end = (end..=b.len()).find(|&e| pattern.is_char_boundary(e)).unwrap_or(b.len());
                out.push_str(&pattern[i..end]);
                i = end;
                continue;
            }
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'{' if !in_class => match quantifier_end(i) {
                Some(end) => {
                    out.push_str(&pattern[i..=end]);
                    i = end + 1;
                    continue;
                }
                None => {
                    out.push_str("\\{");
                    i += 1;
                    continue;
                }
            },
            b'}' if !in_class => {
                out.push_str("\\}");
                i += 1;
                continue;
            }
            _ => {}
        }
        let end = (i + 1..=b.len()).find(|&e| pattern.is_char_boundary(e)).unwrap_or(b.len());
        out.push_str(&pattern[i..end]);
        i = end;
    }
    out
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

    #[test]
    fn dotnet_braces_that_open_no_quantifier_are_literal() {
        assert_eq!(net_syntax(r"^\+49\d{6,13$"), r"^\+49\d\{6,13$");
        assert_eq!(net_syntax(r"^\d{4}[{]x{2,}y{1,3}$"), r"^\d{4}[{]x{2,}y{1,3}$");
        let l = lang(&[&net_syntax(r"^\+49\d{6,13$")]);
        assert_eq!(l.shortest().as_deref(), Some("+490{6,13"));
        let e164 = lang(&[r"^\+?[0-9]+$"]);
        assert_eq!(witness(&[&l, &e164], &[]), Witness::None);
    }

    #[test]
    fn a_number_of_a_range_in_the_language() {
        let out = lang(&[r"^\+1425555(?:[0-9]{4})$"]);
        assert_eq!(out.number_in_range("+", 14255550100, 14255550199, 11).as_deref(), Some("+14255550100"));
        assert_eq!(out.number_in_range("+", 14255560000, 14255569999, 11), None);
        let odd = lang(&[r"^\+1425555019[5-9]$"]);
        assert_eq!(odd.number_in_range("+", 14255550100, 14255550199, 11).as_deref(), Some("+14255550195"));
    }
}
