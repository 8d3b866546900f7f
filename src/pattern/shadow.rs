//! Which rules of a first-match list can never apply: every number they
//! match is matched by a rule above them, which wins.
//!
//! Comparing each rule with each rule above it costs a product of
//! automata per pair, quadratic in the list's length. Instead the list's
//! automaton is walked once ([`MatchSets`]): each number matches some set
//! of the rules, and the first of the set is the one that applies. A rule
//! can apply when it is first in some set; otherwise the rules above it
//! that lie in every set it lies in each shadow it alone. The answer is
//! the same as the pairwise one, for the cost of one walk.

use super::matchsets::{Explored, Flow, MatchSets};

/// States of a list's automaton explored before the check gives up.
const STATE_LIMIT: usize = 500_000;

/// Why a rule can never apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shadow {
    /// Every number it matches, this earlier rule (the first such) matches.
    ByRule(usize),
    /// Only the earlier rules together match every number it matches.
    ByRules,
}

/// Numbers an earlier rule takes from a later one: both match `example`,
/// and the earlier is the first of the list's (decided) patterns that does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    pub earlier: usize,
    pub later: usize,
    pub example: String,
}

/// Examples kept per pair of rules: the caller looks for one on which the
/// two rules' results differ.
const EXAMPLES_PER_PAIR: u8 = 3;

/// Overlaps kept per list, whatever its length.
const OVERLAP_LIMIT: usize = 20_000;

/// For each pattern of a first-match list, whether an earlier one always
/// wins; `None` when the check gave up (the list's automaton is too
/// large). Patterns with no DFA (look-around) are neither shadowed nor
/// counted as shadowing.
#[cfg(test)]
pub fn shadowed(patterns: &[&str]) -> Option<Vec<Option<Shadow>>> {
    shadowed_and_overlaps(patterns).map(|(s, _)| s)
}

/// [`shadowed`], and from the same walk the overlaps: for each pair of
/// rules where the earlier takes some of the later's numbers, up to three
/// such numbers, shortest first (partial shadowing).
pub fn shadowed_and_overlaps(patterns: &[&str]) -> Option<(Vec<Option<Shadow>>, Vec<Overlap>)> {
    let sets = MatchSets::new(patterns);
    let n = patterns.len();
    let mut decided = vec![true; n];
    sets.undecided().iter().for_each(|&i| decided[i] = false);
    // A rule first in some set applies to that set's numbers.
    let mut applies = vec![false; n];
    // Per rule: the earlier rules found in every set holding it so far
    // (`None` before the first such set).
    let mut always_with: Vec<Option<Vec<u32>>> = vec![None; n];
    let mut overlaps: Vec<Overlap> = Vec::new();
    let mut per_pair: std::collections::HashMap<(u32, u32), u8> = std::collections::HashMap::new();
    let explored = sets.explore(STATE_LIMIT, |set, example| {
        if let Some(&first) = set.first() {
            applies[first as usize] = true;
            for &j in &set[1..] {
                let seen = per_pair.entry((first, j)).or_insert(0);
                if *seen < EXAMPLES_PER_PAIR && overlaps.len() < OVERLAP_LIMIT {
                    *seen += 1;
                    overlaps.push(Overlap { earlier: first as usize, later: j as usize, example: example.to_owned() });
                }
            }
        }
        for (pos, &j) in set.iter().enumerate().skip(1) {
            let earlier = &set[..pos];
            match &mut always_with[j as usize] {
                _ if applies[j as usize] => {}
                Some(common) => common.retain(|i| earlier.binary_search(i).is_ok()),
                slot @ None => *slot = Some(earlier.to_vec()),
            }
        }
        Flow::Continue
    });
    if matches!(explored, Explored::GaveUp { .. }) {
        return None;
    }
    let mut first_decided = None;
    let out = (0..n)
        .map(|j| {
            let above = first_decided;
            if decided[j] && first_decided.is_none() {
                first_decided = Some(j);
            }
            let above = above?;
            if !decided[j] || applies[j] {
                return None;
            }
            Some(match &always_with[j] {
                // No number matches it at all: any rule above wins.
                None => Shadow::ByRule(above),
                Some(common) => common.first().map_or(Shadow::ByRules, |&i| Shadow::ByRule(i as usize)),
            })
        })
        .collect();
    Some((out, overlaps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_and_joint_shadows() {
        let found = shadowed(&[
            r"^(\d{4})$",
            r"^1\d{3}$",
            r"^2\d*$",
            r"^3\d{3}$",
            r"^2\d{3}$",
            r"^\d{4}$|^2\d{5}$",
            r"^(?!9)\d{7}$",
            r"^5",
        ])
        .unwrap();
        assert_eq!(found[0], None);
        assert_eq!(found[1], Some(Shadow::ByRule(0)));
        assert_eq!(found[2], None);
        assert_eq!(found[3], Some(Shadow::ByRule(0)));
        assert_eq!(found[4], Some(Shadow::ByRule(0)), "the first of the rules that always win");
        assert_eq!(found[5], Some(Shadow::ByRules), "four digits by rule 0, 2xxxxx by rule 2");
        assert_eq!(found[6], None, "look-around: not checked");
        assert_eq!(found[7], None);
    }

    /// The pairwise check this replaces: a rule is shadowed by the first
    /// earlier rule whose language holds its own, else by the union of
    /// the earlier ones.
    fn pairwise(patterns: &[&str]) -> Vec<Option<Shadow>> {
        use crate::pattern::language::{witness, Language, Witness};
        let langs: Vec<Option<Language>> = patterns.iter().map(|p| Language::new(&[p])).collect();
        (0..patterns.len())
            .map(|j| {
                let lj = langs[j].as_ref()?;
                let single =
                    (0..j).find(|&i| langs[i].as_ref().is_some_and(|li| witness(&[lj], &[li]) == Witness::None));
                if let Some(i) = single {
                    return Some(Shadow::ByRule(i));
                }
                let earlier: Vec<&str> = (0..j).filter(|&i| langs[i].is_some()).map(|i| patterns[i]).collect();
                Language::new(&earlier).filter(|u| witness(&[lj], &[u]) == Witness::None).map(|_| Shadow::ByRules)
            })
            .collect()
    }

    #[test]
    fn the_same_findings_as_rule_by_rule_comparison() {
        let pool = [
            r"^(\d{4})$",
            r"^1\d{3}$",
            r"^[2-9]\d{3}$",
            r"^2\d*$",
            r"^\d{4}$|^2\d{5}$",
            r"^\+1(\d{10})$",
            r"^\+1425\d{7}$",
            r"^\+(\d{7,15})$",
            r"[0-9]{10}",
            r"^011(\d*)$",
            r"^0$",
            r"^(?!9)\d{7}$",
            r"^9?1([2-9]\d{9})$",
            r"^1([2-9]\d{9})$",
            r"^\+44",
            r"4$",
            r"^x$",
        ];
        // A small deterministic generator of lists drawn from the pool.
        let mut state = 2013u64;
        let mut next = |n: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        for _ in 0..300 {
            let len = 2 + next(6);
            let list: Vec<&str> = (0..len).map(|_| pool[next(pool.len())]).collect();
            assert_eq!(shadowed(&list).unwrap(), pairwise(&list), "{list:?}");
        }
    }

    #[test]
    fn an_earlier_rule_that_takes_some_of_a_later_rules_numbers() {
        let (shadows, overlaps) = shadowed_and_overlaps(&[r"^(\d{5,10})$", r"^0(\d{9,10})$", r"^\+(\d+)$"]).unwrap();
        assert_eq!(shadows, [None, None, None], "11-digit national numbers stay with the second rule");
        assert!(!overlaps.is_empty());
        assert!(overlaps.iter().all(|o| o.earlier == 0 && o.later == 1), "{overlaps:?}");
        assert_eq!(overlaps[0].example, "0000000000");
    }

    #[test]
    fn a_rule_no_number_matches_is_shadowed_by_the_first_rule_above() {
        let found = shadowed(&[r"^\d$", r"^x$"]).unwrap();
        assert_eq!(found, [None, Some(Shadow::ByRule(0))]);
        assert_eq!(shadowed(&[r"^x$"]).unwrap(), [None]);
    }
}
