//! The matching limit, and what happens at it.
//!
//! Plain patterns run on linear-time engines (the fast matcher, the
//! `regex` crate) and always get an answer. Patterns that need the
//! backtracking engine (look-around, back-references) run on
//! `fancy-regex`, which gives up after [`BACKTRACK_LIMIT`] steps of one
//! match: a pattern such as `^(?:(1|1)*(?!1)2|1+3)$` tries 2^n ways on a
//! run of n ones before it reaches its second branch. .NET has no such
//! limit and answers, so at the limit the true answer is unknown.
//!
//! Routing must still decide: the pattern is taken as not matching, and
//! the hit is counted ([`LimitHits`]) so that it is never silent. `route`
//! says so in its explanation, the simulator adds the hits to its results
//! (`pattern_limit_hits`), and `rule` fails with an error. At load,
//! [`backtracking_risk`] flags the patterns that can reach the limit.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use fancy_regex::Expr;
use serde::{Deserialize, Serialize};

use super::netregex::NetRegex;

/// Steps of one backtracking match before the engine gives up (the
/// `fancy-regex` default, set explicitly).
pub const BACKTRACK_LIMIT: usize = 1_000_000;

/// Inputs on which one pattern is known to reach the limit, so that a
/// number dialled again and again pays the million steps once: the
/// answer at the limit never changes, so remembering it changes no
/// result, only the time. Checked only after a first hit (one atomic
/// load otherwise); at most [`MAX_KNOWN`] inputs of at most
/// [`MAX_KNOWN_LEN`] bytes each are kept, per kind of evaluation.
#[derive(Default)]
pub struct KnownLimits {
    any: AtomicBool,
    /// `[is_match, captures]`: a search can stop short of the limit where
    /// collecting every match does not.
    inputs: [Mutex<HashSet<Box<str>>>; 2],
}

/// Most inputs [`KnownLimits`] keeps per kind of evaluation.
pub const MAX_KNOWN: usize = 4096;
/// Longest input [`KnownLimits`] keeps (numbers are far shorter).
pub const MAX_KNOWN_LEN: usize = 128;

impl KnownLimits {
    /// Whether `input` is known to reach the limit (`captures`: when every
    /// match is collected, else a search).
    #[inline]
    pub fn has(&self, captures: bool, input: &str) -> bool {
        self.any.load(Ordering::Relaxed)
            && self.inputs[usize::from(captures)].lock().is_ok_and(|known| known.contains(input))
    }

    /// Remembers that `input` reached the limit, while there is room.
    pub fn add(&self, captures: bool, input: &str) {
        if input.len() > MAX_KNOWN_LEN {
            return;
        }
        if let Ok(mut known) = self.inputs[usize::from(captures)].lock() {
            if known.len() < MAX_KNOWN {
                known.insert(input.into());
                self.any.store(true, Ordering::Relaxed);
            }
        }
    }
}

impl Clone for KnownLimits {
    /// A copy starts afresh: what it knows is only ever a saving of time.
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// A pattern could not be evaluated on an input: the backtracking engine
/// reached [`BACKTRACK_LIMIT`] (or the pattern's engine could not be
/// built). What .NET would answer is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitReached;

/// One evaluation that reached the limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitHit {
    pub pattern: String,
    pub input: String,
}

/// Evaluations that reached the limit: how many, and the first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitHits {
    pub count: u64,
    pub first: Option<LimitHit>,
}

impl LimitHits {
    /// Counts a hit of `pattern` on `input`.
    pub fn record(&mut self, pattern: &str, input: &str) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(LimitHit { pattern: pattern.to_owned(), input: input.to_owned() });
        }
    }

    /// Adds `other`'s hits; the first hit stays the earliest.
    #[inline]
    pub fn add(&mut self, other: &LimitHits) {
        if other.is_empty() {
            return;
        }
        self.count += other.count;
        if self.first.is_none() {
            self.first.clone_from(&other.first);
        }
    }

    #[inline]
    pub fn clear(&mut self) {
        if !self.is_empty() {
            self.count = 0;
            self.first = None;
        }
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// What a run's terminal summary and report say of the hits, or
    /// `None` when there were none.
    pub fn warning(&self) -> Option<String> {
        let first = self.first.as_ref()?;
        Some(limit_warning(self.count, &first.pattern, &first.input))
    }
}

/// The warning for `count` evaluations that reached the limit, the first
/// of `pattern` on `input`; one text for every place that shows it.
pub fn limit_warning(count: u64, pattern: &str, input: &str) -> String {
    format!(
        "A pattern reached the matching limit ({BACKTRACK_LIMIT} backtracking steps) {count} time(s): routing took \
         it as not matching, where Lync might match it, and each new number that reaches it costs tens of \
         milliseconds. \
         The first: `{pattern}` on {input}. Rewrite the pattern without nested repetition (voicetwin check: \
         backtracking-limit-risk)."
    )
}

/// Why `pattern` can reach the matching limit on some numbers, or `None`.
///
/// What is checked, exactly: only patterns that need the backtracking
/// engine (the others run in linear time). Such a pattern is flagged when
/// it repeats a part (`*`, `+`, `{m,}`, or `{m,n}` with n ≥ 2) that itself
/// holds a repetition of varying count (`\d+`, `\d{3,4}`, `x?`) or an
/// alternation whose branches may begin with the same character
/// (`(1|1)`, `(\d|1)`): the repeated part can then match the same digits
/// in many ways, and the engine may try them all. Alternations of
/// literals with distinct first characters (`(?:12|3)*`) are not flagged.
pub fn backtracking_risk(pattern: &NetRegex) -> Option<String> {
    if !pattern.is_fancy() {
        return None;
    }
    let tree = fancy_regex::Expr::parse_tree(pattern.as_str()).ok()?;
    let mut found = None;
    visit(&tree.expr, false, &mut found);
    found
}

/// Looks for an ambiguous part under a repetition; `repeated`: `e` is
/// inside a part repeated more than once.
fn visit(e: &Expr, repeated: bool, found: &mut Option<String>) {
    if found.is_some() {
        return;
    }
    match e {
        Expr::Repeat { child, lo, hi, .. } => {
            if repeated && lo < hi {
                *found = Some("a repetition of varying count inside a repeated part".to_owned());
                return;
            }
            visit(child, repeated || *hi >= 2, found);
        }
        Expr::Alt(branches) if repeated && !distinct_first_chars(branches) => {
            *found = Some("an alternation whose branches can begin alike inside a repeated part".to_owned());
        }
        _ => e.children_iter().for_each(|c| visit(c, repeated, found)),
    }
}

/// Whether every branch begins with a literal and no two with the same
/// character: the engine then takes at most one of them at any place.
fn distinct_first_chars(branches: &[Expr]) -> bool {
    fn first(e: &Expr) -> Option<char> {
        match e {
            Expr::Literal { val, casei: false } => val.chars().next(),
            Expr::Concat(items) => items.first().and_then(first),
            _ => None,
        }
    }
    let mut seen = Vec::new();
    for b in branches {
        match first(b) {
            Some(c) if !seen.contains(&c) => seen.push(c),
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_limits_remember_inputs_by_kind_within_their_bounds() {
        let known = KnownLimits::default();
        assert!(!known.has(false, "123"));
        known.add(false, "123");
        assert!(known.has(false, "123") && !known.has(true, "123"), "a search and a replacement apart");
        known.add(true, &"1".repeat(MAX_KNOWN_LEN + 1));
        assert!(!known.has(true, &"1".repeat(MAX_KNOWN_LEN + 1)), "a long input is not kept");
        for i in 0..2 * MAX_KNOWN {
            known.add(true, &i.to_string());
        }
        assert!(known.has(true, "0") && !known.has(true, &MAX_KNOWN.to_string()), "at most MAX_KNOWN kept");
        assert!(!known.clone().has(false, "123"), "a copy starts afresh");
    }

    #[test]
    fn a_known_input_gives_the_same_answer_at_the_limit() {
        let re = NetRegex::new(r"^(?:(1|1)*(?!1)2|1+3)$").unwrap();
        let hard = format!("{}3", "1".repeat(30));
        assert_eq!(re.try_is_match(&hard), Err(LimitReached));
        assert_eq!(re.try_is_match(&hard), Err(LimitReached), "remembered: the same answer");
        assert_eq!(re.try_is_match("13"), Ok(true), "other inputs still evaluated");
        let rule = super::super::netregex::Rewrite::with_pattern(re.clone(), "x");
        assert_eq!(rule.try_apply(&hard), Err(LimitReached));
        assert_eq!(rule.try_apply(&hard), Err(LimitReached));
        assert_eq!(rule.try_apply("13"), Ok(Some("x".to_owned())));
    }

    fn risk(p: &str) -> Option<String> {
        backtracking_risk(&NetRegex::new(p).unwrap())
    }

    #[test]
    fn nested_repetition_in_backtracking_patterns_is_flagged() {
        for p in [r"^(?:(1|1)*(?!1)2|1+3)$", r"^(?!0)(\d+)+$", r"^\+(?!1)(?:\d{2,3})*$", r"(\d)\1(\d|5)+"] {
            assert!(risk(p).is_some(), "{p}");
        }
    }

    #[test]
    fn plain_and_unambiguous_patterns_are_not() {
        for p in [
            r"^(1|1)*2$",
            r"^\+(?!1)\d{7,15}$",
            r"^\+1(?!800)(\d{3})+$",
            r"^(?!9)(?:12|3)*$",
            r"^\+1(?!(800|888))\d{10}$",
            r"^(\d)\1\d*$",
        ] {
            assert_eq!(risk(p), None, "{p}");
        }
    }

    #[test]
    fn hits_keep_the_first() {
        let mut a = LimitHits::default();
        a.record("p", "1");
        a.record("q", "2");
        let mut b = LimitHits::default();
        b.add(&a);
        b.add(&a);
        assert_eq!(b.count, 4);
        assert_eq!(b.first, Some(LimitHit { pattern: "p".into(), input: "1".into() }));
    }
}
