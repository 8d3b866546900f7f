//! The distinct ways numbers fall under a list of patterns: for each set
//! of patterns that some number `IsMatch`es all of (and no other of the
//! list), one such number, shortest first.
//!
//! Asking "is there a number matched by every pattern of this group?" for
//! every group of a list is exponential; the sets that numbers actually
//! produce are few, because a number goes one way through the list's
//! automaton. This is the product construction done once: one DFA over
//! all the patterns (regex-automata, `MatchKind::All`, as
//! [`PatternSet`](super::patternset::PatternSet) uses at run time), walked
//! breadth first over the characters numbers are made of, each state
//! paired with the set of patterns matched so far. States are capped: the
//! walk reports when it gave up, and never runs on.
//!
//! Patterns with no DFA (look-around, back-references, `\p{..}`) are
//! listed apart as undecided, for the caller to treat conservatively. A
//! list whose DFA would be too large is split into several DFAs walked
//! side by side.

use std::collections::HashMap;

use regex_automata::dfa::{dense, Automaton};
use regex_automata::util::{primitives::StateID, start, syntax};
use regex_automata::Anchored;

use super::language::ALPHABET;
use super::patternset::{all_matches_dfa, ascii_syntax};

/// Largest DFA built for one group of patterns.
const DFA_BYTES: usize = 8 << 20;

/// What the visitor of a set wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// How a walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Explored {
    /// Every set was visited.
    Complete,
    /// The visitor asked to stop.
    Stopped,
    /// The walk reached its limit of states: sets may remain unvisited.
    GaveUp { states: usize },
}

struct Group {
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
    /// The list position of each of the DFA's patterns.
    ids: Vec<u32>,
}

impl Group {
    fn build(patterns: &[&str], ids: &[u32]) -> Option<Self> {
        let sources: Vec<&str> = ids.iter().map(|&i| patterns[i as usize]).collect();
        let dfa = all_matches_dfa(&sources, DFA_BYTES)?;
        let start = dfa.start_state(&start::Config::new().anchored(Anchored::No)).ok()?;
        Some(Self { dfa, start, ids: ids.to_vec() })
    }

    /// Adds the list positions of the patterns matching at `s` to `out`.
    fn matches(&self, s: StateID, out: &mut Vec<u32>) {
        if self.dfa.is_match_state(s) {
            out.extend((0..self.dfa.match_len(s)).map(|k| self.ids[self.dfa.match_pattern(s, k).as_usize()]));
        }
    }
}

/// A list of patterns prepared for [`explore`](Self::explore).
pub struct MatchSets {
    groups: Vec<Group>,
    undecided: Vec<usize>,
}

impl MatchSets {
    pub fn new(patterns: &[&str]) -> Self {
        let (decided, undecided): (Vec<u32>, Vec<u32>) = (0..patterns.len() as u32)
            .partition(|&i| syntax::parse_with(patterns[i as usize], &ascii_syntax()).is_ok());
        let mut sets = Self { groups: Vec::new(), undecided: undecided.into_iter().map(|i| i as usize).collect() };
        sets.split(patterns, &decided);
        sets.undecided.sort_unstable();
        sets
    }

    /// One DFA for `ids`, or halves of them until each DFA fits; a single
    /// pattern too large for a DFA is undecided.
    fn split(&mut self, patterns: &[&str], ids: &[u32]) {
        if ids.is_empty() {
            return;
        }
        match Group::build(patterns, ids) {
            Some(g) => self.groups.push(g),
            None if ids.len() == 1 => self.undecided.push(ids[0] as usize),
            None => {
                let (a, b) = ids.split_at(ids.len() / 2);
                self.split(patterns, a);
                self.split(patterns, b);
            }
        }
    }

    /// List positions of the patterns with no DFA, ascending.
    pub fn undecided(&self) -> &[usize] {
        &self.undecided
    }

    /// Calls `visit` once for each distinct set of decided patterns that a
    /// non-empty number matches exactly (list positions, ascending), with
    /// a shortest such number, in order of that number's length; at most
    /// `limit` states are explored.
    pub fn explore(&self, limit: usize, mut visit: impl FnMut(&[u32], &str) -> Flow) -> Explored {
        let k = self.groups.len();
        let mut sets = Interner::default();
        let mut index: HashMap<Vec<u32>, u32> = HashMap::new();
        // A state: each group's DFA state, then the id of the set matched so far.
        let mut order: Vec<Vec<u32>> = Vec::new();
        let mut parent: Vec<(u32, u8)> = Vec::new();
        let mut root: Vec<u32> = self.groups.iter().map(|g| g.start.as_u32()).collect();
        root.push(sets.id(Vec::new()));
        index.insert(root.clone(), 0);
        order.push(root);
        parent.push((u32::MAX, 0));
        let mut visited_sets = std::collections::HashSet::new();
        let mut found = Vec::new();
        let mut head = 0;
        while head < order.len() {
            if order.len() > limit {
                return Explored::GaveUp { states: order.len() };
            }
            let cur = order[head].clone();
            let matched = cur[k];
            if head != 0 {
                found.clear();
                for (g, &s) in self.groups.iter().zip(&cur) {
                    g.matches(g.dfa.next_eoi_state(StateID::new_unchecked(s as usize)), &mut found);
                }
                let set = sets.union(matched, &found);
                if visited_sets.insert(set) && visit(sets.get(set), &spell(&parent, head)) == Flow::Stop {
                    return Explored::Stopped;
                }
            }
            for &b in ALPHABET {
                found.clear();
                let mut next = Vec::with_capacity(k + 1);
                for (g, &s) in self.groups.iter().zip(&cur) {
                    let n = g.dfa.next_state(StateID::new_unchecked(s as usize), b);
                    g.matches(n, &mut found);
                    next.push(n.as_u32());
                }
                next.push(sets.union(matched, &found));
                if !index.contains_key(&next) {
                    index.insert(next.clone(), order.len() as u32);
                    order.push(next);
                    parent.push((head as u32, b));
                }
            }
            head += 1;
        }
        Explored::Complete
    }
}

/// The number that leads from the root to state `at`.
fn spell(parent: &[(u32, u8)], mut at: usize) -> String {
    let mut bytes = Vec::new();
    while parent[at].0 != u32::MAX {
        bytes.push(parent[at].1);
        at = parent[at].0 as usize;
    }
    bytes.reverse();
    String::from_utf8(bytes).expect("the alphabet is ASCII")
}

/// Sets of list positions, each stored once and named by a small id.
#[derive(Default)]
struct Interner {
    ids: HashMap<Vec<u32>, u32>,
    sets: Vec<Vec<u32>>,
}

impl Interner {
    fn id(&mut self, set: Vec<u32>) -> u32 {
        if let Some(&id) = self.ids.get(&set) {
            return id;
        }
        let id = self.sets.len() as u32;
        self.sets.push(set.clone());
        self.ids.insert(set, id);
        id
    }

    fn get(&self, id: u32) -> &[u32] {
        &self.sets[id as usize]
    }

    /// The id of set `id` with `more` added.
    fn union(&mut self, id: u32, more: &[u32]) -> u32 {
        let base = &self.sets[id as usize];
        if more.iter().all(|m| base.binary_search(m).is_ok()) {
            return id;
        }
        let mut set: Vec<u32> = base.iter().chain(more).copied().collect();
        set.sort_unstable();
        set.dedup();
        self.id(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(patterns: &[&str]) -> (Vec<(Vec<u32>, String)>, Explored) {
        let sets = MatchSets::new(patterns);
        let mut out = Vec::new();
        let end = sets.explore(100_000, |s, n| {
            out.push((s.to_vec(), n.to_owned()));
            Flow::Continue
        });
        (out, end)
    }

    #[test]
    fn each_realizable_set_once_with_a_shortest_number() {
        let (found, end) = all(&[r"^1\d$", r"^\d2$", r"^3$"]);
        assert_eq!(end, Explored::Complete);
        let mut sets: Vec<&Vec<u32>> = found.iter().map(|(s, _)| s).collect();
        sets.sort();
        assert_eq!(sets, [&vec![], &vec![0], &vec![0, 1], &vec![1], &vec![2]]);
        let number = |set: &[u32]| found.iter().find(|(s, _)| s == set).unwrap().1.clone();
        assert_eq!(number(&[0, 1]), "12");
        assert_eq!(number(&[2]), "3");
        assert_eq!(number(&[]).len(), 1, "a one-character number matched by none");
    }

    #[test]
    fn search_semantics_and_undecided_patterns() {
        let sets = MatchSets::new(&[r"^\+(?!1)\d+$", "[0-9]{3}", r"^\+1"]);
        assert_eq!(sets.undecided(), [0]);
        let mut seen = Vec::new();
        sets.explore(100_000, |s, n| {
            seen.push((s.to_vec(), n.to_owned()));
            Flow::Continue
        });
        // Unanchored: three digits anywhere, also after +1.
        assert!(seen.iter().any(|(s, n)| s == &[1, 2] && n == "+100"), "{seen:?}");
    }

    #[test]
    fn a_limit_ends_the_walk() {
        let sets = MatchSets::new(&[r"^\d{12}$", r"^\d{6}5"]);
        assert!(matches!(sets.explore(10, |_, _| Flow::Continue), Explored::GaveUp { .. }));
        assert_eq!(sets.explore(100_000, |_, _| Flow::Stop), Explored::Stopped);
    }
}
