//! The positions of a list of patterns that can match an input, found
//! from the input's leading characters.
//!
//! Nearly every Lync `NumberPattern` is anchored and starts with a
//! literal (`^\+1425`, `^\+44`): no number without that prefix can match
//! it. A national usage with tail-end hop-off holds hundreds of such
//! routes; testing each on every call makes a call's cost grow with the
//! routes it cannot match. Here the list's prefixes sit in a byte trie,
//! and a number collects, walking its own characters, the positions whose
//! prefix it starts with, plus those with no prefix, in list order.

/// Shortest list worth a trie: below it every position is a candidate
/// (a walk costs about as much as a few pattern screens).
const MIN_INDEXED: usize = 8;

/// A list's positions, by the prefixes one of which every input their
/// pattern matches must start with.
#[derive(Debug, Clone, Default)]
pub struct PrefixIndex {
    /// Number of positions.
    len: u32,
    /// The trie, root first; empty when every position is a candidate.
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, Default)]
struct Node {
    /// Child per next byte, sorted by byte.
    edges: Vec<(u8, u32)>,
    /// Positions whose prefix ends here (the root: those with none).
    here: Vec<u32>,
}

impl PrefixIndex {
    /// The index of a list whose position `i` has `prefixes[i]`: `None`
    /// when an input of any start may match, else the literals one of
    /// which starts every input it matches.
    pub fn new(prefixes: &[Option<Vec<Vec<u8>>>]) -> Self {
        let len = u32::try_from(prefixes.len()).unwrap_or(u32::MAX);
        let mut index = Self { len, nodes: Vec::new() };
        if prefixes.len() < MIN_INDEXED || prefixes.len() > u32::MAX as usize {
            return index;
        }
        index.nodes.push(Node::default());
        for (position, p) in prefixes.iter().enumerate() {
            let position = position as u32;
            match p {
                Some(literals) if !literals.is_empty() => {
                    for literal in literals {
                        let node = index.node_for(literal);
                        let here = &mut index.nodes[node].here;
                        if here.last() != Some(&position) {
                            here.push(position);
                        }
                    }
                }
                _ => index.nodes[0].here.push(position),
            }
        }
        index
    }

    /// The node reached by `literal`, created as needed.
    fn node_for(&mut self, literal: &[u8]) -> usize {
        let mut node = 0;
        for &b in literal {
            node = match self.nodes[node].edges.binary_search_by_key(&b, |e| e.0) {
                Ok(i) => self.nodes[node].edges[i].1 as usize,
                Err(i) => {
                    let next = self.nodes.len();
                    self.nodes.push(Node::default());
                    self.nodes[node].edges.insert(i, (b, next as u32));
                    next
                }
            };
        }
        node
    }

    /// Whether the list is indexed: otherwise every position is a
    /// candidate of every input, and the list is best walked whole.
    pub fn is_indexed(&self) -> bool {
        !self.nodes.is_empty()
    }

    /// Fills `out` with the positions that may match `input`, ascending:
    /// every position whose pattern can match it is among them.
    pub fn candidates(&self, input: &str, out: &mut Vec<u32>) {
        out.clear();
        if self.nodes.is_empty() {
            out.extend(0..self.len);
            return;
        }
        let mut node = &self.nodes[0];
        out.extend_from_slice(&node.here);
        let mut sorted = true;
        for &b in input.as_bytes() {
            let Ok(i) = node.edges.binary_search_by_key(&b, |e| e.0) else { break };
            node = &self.nodes[node.edges[i].1 as usize];
            if !node.here.is_empty() {
                sorted &= out.last().is_none_or(|&last| last < node.here[0]);
                out.extend_from_slice(&node.here);
            }
        }
        if !sorted {
            out.sort_unstable();
            out.dedup();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_positions_whose_prefix_starts_the_input() {
        let lit = |s: &[&str]| Some(s.iter().map(|p| p.as_bytes().to_vec()).collect::<Vec<_>>());
        let prefixes = vec![
            lit(&["+1425"]),
            None,
            lit(&["+1"]),
            lit(&["+44", "+1206"]),
            lit(&["+14"]),
            lit(&["+1425"]),
            lit(&["011"]),
            None,
        ];
        let index = PrefixIndex::new(&prefixes);
        let mut out = Vec::new();
        index.candidates("+14255550100", &mut out);
        assert_eq!(out, [0, 1, 2, 4, 5, 7]);
        index.candidates("+12065550100", &mut out);
        assert_eq!(out, [1, 2, 3, 7]);
        index.candidates("", &mut out);
        assert_eq!(out, [1, 7]);
        let short = PrefixIndex::new(&prefixes[..3]);
        short.candidates("9", &mut out);
        assert_eq!(out, [0, 1, 2]);
    }
}
