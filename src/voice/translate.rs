//! First-match rule lists: normalization rules, called-number and
//! calling-number translation rules all apply the same way: rules are tested
//! in order, the first whose pattern matches is applied once, and nothing
//! is chained. No match leaves the number as it is. A rule whose pattern
//! reaches the matching limit (`pattern::limit`) is passed over as not
//! matching, and the hit is counted.

use crate::model::NumberRule;
use crate::pattern::limit::LimitHits;

/// The result of a rule list on one number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    pub number: String,
    /// Index of the rule that applied, in the list's test order.
    pub rule: Option<usize>,
    /// Rules passed over at the matching limit.
    pub limit_hits: LimitHits,
}

/// Applies the first matching rule of `rules` to `input`.
pub fn first_match(rules: &[NumberRule], input: &str) -> Translated {
    let mut number = String::new();
    let mut limit_hits = LimitHits::default();
    let rule = first_match_into(rules, input, &mut number, &mut limit_hits);
    Translated { number, rule, limit_hits }
}

/// As [`first_match`], writing the number into `out` (reusing its buffer)
/// and adding limit hits to `hits`; returns the rule that applied.
pub fn first_match_into(rules: &[NumberRule], input: &str, out: &mut String, hits: &mut LimitHits) -> Option<usize> {
    for (i, r) in rules.iter().enumerate() {
        match r.rewrite.apply_into(input, out) {
            Ok(true) => return Some(i),
            Ok(false) => {}
            Err(_) => hits.record(r.rewrite.pattern().as_str(), input),
        }
    }
    out.clear();
    out.push_str(input);
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::netregex::Rewrite;

    fn rule(name: &str, p: &str, t: &str) -> NumberRule {
        NumberRule {
            name: name.into(),
            rewrite: Rewrite::new(p, t).unwrap(),
            is_internal_extension: false,
            description: String::new(),
        }
    }

    #[test]
    fn first_matching_rule_wins_and_is_not_chained() {
        // As "Configure a trunk with media bypass in Lync Server 2013" advises:
        // the restrictive +1425 rule above the general one.
        let rules = vec![rule("local", r"^\+1425(\d{7})$", "$1"), rule("any11", r"^\+(\d{11})$", "$1")];
        let t = first_match(&rules, "+14255550100");
        assert_eq!((t.number.as_str(), t.rule), ("5550100", Some(0)));
        let t = first_match(&rules, "+12065550100");
        assert_eq!((t.number.as_str(), t.rule), ("12065550100", Some(1)));
        // The result of rule 0 would match a rule that turns 7 digits into
        // something else; it is not applied (no chaining).
        let chained = vec![rule("a", r"^1(\d+)$", "2$1"), rule("b", r"^2(\d+)$", "3$1")];
        assert_eq!(first_match(&chained, "155").number, "255");
    }

    #[test]
    fn no_match_leaves_the_number_unchanged() {
        let rules = vec![rule("a", r"^\+44(\d+)$", "0$1")];
        let t = first_match(&rules, "+14255550100");
        assert_eq!((t.number.as_str(), t.rule), ("+14255550100", None));
        assert_eq!(first_match(&[], "123").rule, None);
    }

    #[test]
    fn a_rule_at_the_matching_limit_is_passed_over_and_counted() {
        let ones = format!("{}3", "1".repeat(30));
        let rules = vec![rule("hard", r"^(?:(1|1)*(?!1)2|1+3)$", "x"), rule("any", r"^(\d+)$", "+$1")];
        let t = first_match(&rules, &ones);
        assert_eq!(t.rule, Some(1));
        assert_eq!(t.limit_hits.count, 1);
        let hit = t.limit_hits.first.unwrap();
        assert_eq!((hit.pattern.as_str(), hit.input.as_str()), (r"^(?:(1|1)*(?!1)2|1+3)$", ones.as_str()));
    }
}
