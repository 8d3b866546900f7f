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

use fancy_regex::Expr;
use serde::Serialize;

use super::netregex::NetRegex;

/// Steps of one backtracking match before the engine gives up (the
/// `fancy-regex` default, set explicitly).
pub const BACKTRACK_LIMIT: usize = 1_000_000;

/// A pattern could not be evaluated on an input: the backtracking engine
/// reached [`BACKTRACK_LIMIT`] (or the pattern's engine could not be
/// built). What .NET would answer is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitReached;

/// One evaluation that reached the limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LimitHit {
    pub pattern: String,
    pub input: String,
}

/// Evaluations that reached the limit: how many, and the first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
         it as not matching, where Lync might match it, and each such evaluation costs tens of milliseconds. \
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
