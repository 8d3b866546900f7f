//! First-match rule lists: normalization rules, called-number and
//! calling-number translation rules all apply the same way: rules are tested
//! in order, the first whose pattern matches is applied once, and nothing
//! is chained. No match leaves the number as it is.

use crate::model::NumberRule;

/// The result of a rule list on one number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    pub number: String,
    /// Index of the rule that applied, in the list's test order.
    pub rule: Option<usize>,
}

/// Applies the first matching rule of `rules` to `input`.
pub fn first_match(rules: &[NumberRule], input: &str) -> Translated {
    let mut number = String::new();
    let rule = first_match_into(rules, input, &mut number);
    Translated { number, rule }
}

/// As [`first_match`], writing the number into `out` (reusing its buffer);
/// returns the rule that applied.
pub fn first_match_into(rules: &[NumberRule], input: &str, out: &mut String) -> Option<usize> {
    for (i, r) in rules.iter().enumerate() {
        if r.rewrite.apply_into(input, out) {
            return Some(i);
        }
    }
    out.clear();
    out.push_str(input);
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::netregex::Rewrite;

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
        // R28: put the restrictive +1425 rule above the general one.
        let rules = vec![rule("local", r"^\+1425(\d{7})$", "$1"), rule("any11", r"^\+(\d{11})$", "$1")];
        assert_eq!(first_match(&rules, "+14255550100"), Translated { number: "5550100".into(), rule: Some(0) });
        assert_eq!(first_match(&rules, "+12065550100"), Translated { number: "12065550100".into(), rule: Some(1) });
        // The result of rule 0 would match a rule that turns 7 digits into
        // something else; it is not applied (no chaining).
        let chained = vec![rule("a", r"^1(\d+)$", "2$1"), rule("b", r"^2(\d+)$", "3$1")];
        assert_eq!(first_match(&chained, "155").number, "255");
    }

    #[test]
    fn no_match_leaves_the_number_unchanged() {
        let rules = vec![rule("a", r"^\+44(\d+)$", "0$1")];
        assert_eq!(first_match(&rules, "+14255550100"), Translated { number: "+14255550100".into(), rule: None });
        assert_eq!(first_match(&[], "123").rule, None);
    }
}
