//! The WAN as a graph of sites (nodes) and WAN links (edges), and the
//! lowest-delay paths over it.
//!
//! Paths are kept as one tree per source site (the link each site's path
//! arrives by), found on first use and shared read-only: memory grows
//! with the sites actually asked about, never with every pair of sites.
//! A tree is a pure function of the model (and, for media paths, of the
//! links up), so which thread fills a cache first never changes a result.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::OnceLock;

use petgraph::algo::astar;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;

use super::ids::{LinkId, SiteId};
use super::objects::WanLink;
use super::shortlist::ShortList;

/// The WAN topology. Node `i` is site `i`; each edge carries its link id.
#[derive(Debug, Clone)]
pub struct Wan {
    graph: UnGraph<SiteId, LinkId>,
    /// Per edge, the link a path takes when it crosses the edge from its
    /// first site, then from its second: the lowest-delay link between the
    /// two sites, the first of equals in the order the graph lists the
    /// edges of the site it leaves (as [`path`](Self::path) picks it).
    hops: Vec<[LinkId; 2]>,
    /// Each link's two sites and one-way delay (µs), by link id.
    ends: Vec<(u32, u32)>,
    delay: Vec<u64>,
    /// Each site's links in link order, as (far site, link): where
    /// `adjacent[adjacent_start[s]..adjacent_start[s + 1]]` lists site `s`'s.
    adjacent_start: Vec<u32>,
    adjacent: Vec<(u32, u32)>,
    /// Per source site, its [`paths_from`](Self::paths_from) tree.
    delay_trees: Box<[OnceLock<SiteTree>]>,
    /// Per source site, its [`media_tree_with`](Self::media_tree_with)
    /// tree with every link up.
    media_trees: Box<[OnceLock<SiteTree>]>,
}

impl Wan {
    /// Builds the graph of `sites` sites joined by `links`.
    pub fn new(sites: usize, links: &[WanLink]) -> Self {
        let mut graph = UnGraph::with_capacity(sites, links.len());
        for i in 0..sites {
            graph.add_node(SiteId::from_index(i));
        }
        for (i, l) in links.iter().enumerate() {
            graph.add_edge(NodeIndex::new(l.sites.0.index()), NodeIndex::new(l.sites.1.index()), LinkId::from_index(i));
        }
        let mut best: HashMap<(usize, usize), LinkId> = HashMap::new();
        let delay = |l: LinkId| links[l.index()].one_way_delay;
        for u in graph.node_indices() {
            for e in graph.edges(u) {
                let b = best.entry((u.index(), e.target().index())).or_insert(*e.weight());
                if delay(*e.weight()) < delay(*b) {
                    *b = *e.weight();
                }
            }
        }
        let hops = graph
            .raw_edges()
            .iter()
            .map(|e| {
                let (a, b) = (e.source().index(), e.target().index());
                [best[&(a, b)], best[&(b, a)]]
            })
            .collect();
        let ends: Vec<(u32, u32)> = links.iter().map(|l| (l.sites.0 .0, l.sites.1 .0)).collect();
        let (adjacent_start, adjacent) = adjacency(sites, &ends);
        Self {
            graph,
            hops,
            ends,
            delay: links.iter().map(|l| l.one_way_delay.0).collect(),
            adjacent_start,
            adjacent,
            delay_trees: (0..sites).map(|_| OnceLock::new()).collect(),
            media_trees: (0..sites).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Number of sites.
    pub fn sites(&self) -> usize {
        self.graph.node_count()
    }

    /// The links of the lowest-delay path from `a` to `b` (empty when
    /// `a == b`), or `None` when the sites are not connected: a search
    /// for the one pair (petgraph's A* with no heuristic), the reference
    /// the shared trees are checked against.
    pub fn path(&self, a: SiteId, b: SiteId, links: &[WanLink]) -> Option<Vec<LinkId>> {
        let (_, nodes) = astar(
            &self.graph,
            NodeIndex::new(a.index()),
            |n| n.index() == b.index(),
            |e| links[e.weight().index()].one_way_delay.0,
            |_| 0,
        )?;
        let hops = nodes.windows(2).map(|w| {
            self.graph
                .edges_connecting(w[0], w[1])
                .min_by_key(|e| links[e.weight().index()].one_way_delay.0)
                .map(|e| *e.weight())
                .expect("consecutive path nodes are joined by an edge")
        });
        Some(hops.collect())
    }

    /// The lowest-delay paths from `a` to every site in one search: the
    /// same paths as [`path`](Self::path) finds pair by pair, ties broken
    /// alike, for the cost of one search instead of one per site.
    ///
    /// `path` is petgraph's A* with no heuristic, stopped when the goal is
    /// first taken from the queue; the goal's path is then final, as are
    /// those of the sites before it (costs are never negative and only a
    /// strictly lower cost replaces a predecessor). Running the same
    /// search to the end, with the same queue order, so gives every
    /// site's path at once.
    pub fn paths_from(&self, a: SiteId) -> SiteTree {
        let n = self.graph.node_count();
        let mut score: Vec<Option<u64>> = vec![None; n];
        let mut tree = SiteTree::rooted(n, a);
        let mut queue = BinaryHeap::new();
        score[a.index()] = Some(0);
        queue.push(MinScored(0, a.index()));
        while let Some(MinScored(g, node)) = queue.pop() {
            if score[node].is_some_and(|old| old < g) {
                continue;
            }
            score[node] = Some(g);
            for edge in self.graph.edges(NodeIndex::new(node)) {
                let next = edge.target().index();
                let next_g = g + self.delay[edge.weight().index()];
                if score[next].is_some_and(|old| next_g >= old) {
                    continue;
                }
                score[next] = Some(next_g);
                // The graph lists an edge from either site; `hops` by the site it was added from.
                let first = self.graph.raw_edges()[edge.id().index()].source().index();
                let link = self.hops[edge.id().index()][usize::from(first != node)];
                tree.via[next] = link.0;
                queue.push(MinScored(next_g, next));
            }
        }
        tree
    }

    /// [`paths_from`](Self::paths_from) `a`, found on first use and kept.
    pub fn delay_tree(&self, a: SiteId) -> &SiteTree {
        self.delay_trees[a.index()].get_or_init(|| self.paths_from(a))
    }

    /// The lowest-delay media paths from `a` over the links `up` keeps:
    /// Dijkstra over each site's links in link order, the queue taking
    /// the lowest delay first and, among equals, the lowest site index; a
    /// site keeps the first path that strictly improves its delay.
    pub fn media_tree_with(&self, a: SiteId, up: impl Fn(LinkId) -> bool) -> SiteTree {
        let n = self.graph.node_count();
        let mut dist = vec![u64::MAX; n];
        let mut tree = SiteTree::rooted(n, a);
        let mut heap = BinaryHeap::new();
        dist[a.index()] = 0;
        heap.push(std::cmp::Reverse((0u64, a.index())));
        while let Some(std::cmp::Reverse((d, u))) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            let (from, to) = (self.adjacent_start[u] as usize, self.adjacent_start[u + 1] as usize);
            for &(v, l) in &self.adjacent[from..to] {
                if !up(LinkId(l)) {
                    continue;
                }
                let (v, nd) = (v as usize, d + self.delay[l as usize]);
                if nd < dist[v] {
                    dist[v] = nd;
                    tree.via[v] = l;
                    heap.push(std::cmp::Reverse((nd, v)));
                }
            }
        }
        tree
    }

    /// [`media_tree_with`](Self::media_tree_with) every link up, found on
    /// first use and kept.
    pub fn media_tree(&self, a: SiteId) -> &SiteTree {
        self.media_trees[a.index()].get_or_init(|| self.media_tree_with(a, |_| true))
    }

    /// The links of `tree`'s path to `b`, in order from its source, or
    /// `None` when the tree does not reach `b`.
    pub fn links_to(&self, tree: &SiteTree, b: SiteId) -> Option<ShortList<LinkId>> {
        let mut out = ShortList::default();
        self.walk_back(tree, b, |l| out.push(l))?;
        out.reverse();
        Some(out)
    }

    /// Calls `each` with the links of `tree`'s path to `b` from `b` back
    /// to the source; `None` when the tree does not reach `b`.
    pub fn walk_back(&self, tree: &SiteTree, b: SiteId, mut each: impl FnMut(LinkId)) -> Option<()> {
        let mut at = b.0;
        // A path visits each site once; the bound only guards the loop.
        for _ in 0..=tree.via.len() {
            match *tree.via.get(at as usize)? {
                UNREACHED => return None,
                SOURCE => return Some(()),
                l => {
                    each(LinkId(l));
                    let (x, y) = *self.ends.get(l as usize)?;
                    at = if x == at { y } else { x };
                }
            }
        }
        None
    }

    /// Sites reachable from `a` (itself included).
    pub fn reachable(&self, a: SiteId) -> Vec<SiteId> {
        let mut dfs = petgraph::visit::Dfs::new(&self.graph, NodeIndex::new(a.index()));
        let mut out = Vec::new();
        while let Some(n) = dfs.next(&self.graph) {
            out.push(SiteId::from_index(n.index()));
        }
        out.sort();
        out
    }
}

/// Each site's links in link order (a link between a site and itself
/// listed twice), as (far site, link) with where each site's start.
fn adjacency(sites: usize, ends: &[(u32, u32)]) -> (Vec<u32>, Vec<(u32, u32)>) {
    let mut start = vec![0u32; sites + 1];
    for &(a, b) in ends {
        start[a as usize + 1] += 1;
        start[b as usize + 1] += 1;
    }
    for s in 0..sites {
        start[s + 1] += start[s];
    }
    let mut fill = start.clone();
    let mut adjacent = vec![(0, 0); start[sites] as usize];
    for (l, &(a, b)) in ends.iter().enumerate() {
        for (from, to) in [(a, b), (b, a)] {
            adjacent[fill[from as usize] as usize] = (to, l as u32);
            fill[from as usize] += 1;
        }
    }
    (start, adjacent)
}

/// No path reaches the site.
const UNREACHED: u32 = u32::MAX;
/// The tree's own source.
const SOURCE: u32 = u32::MAX - 1;

/// The lowest-delay paths from one site to all it reaches, as the link
/// each site's path arrives by: four bytes a site, the path to any site
/// read by walking back ([`Wan::walk_back`]).
#[derive(Debug, Clone)]
pub struct SiteTree {
    via: Box<[u32]>,
}

impl SiteTree {
    /// Only `source` reached, of `sites` sites.
    fn rooted(sites: usize, source: SiteId) -> Self {
        let mut via = vec![UNREACHED; sites].into_boxed_slice();
        via[source.index()] = SOURCE;
        Self { via }
    }

    /// Whether the tree reaches `b`.
    pub fn reaches(&self, b: SiteId) -> bool {
        self.via.get(b.index()).is_some_and(|v| *v != UNREACHED)
    }
}

/// A queue entry ordered by its cost alone, lowest first, as petgraph's
/// A* orders its queue: equal costs compare equal, so the queue takes
/// them in the same order as `path`'s search does.
struct MinScored(u64, usize);

impl PartialEq for MinScored {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for MinScored {}

impl PartialOrd for MinScored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for MinScored {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.cmp(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Micros;

    fn link(a: usize, b: usize, delay_ms: u64) -> WanLink {
        WanLink {
            name: format!("{a}-{b}-{delay_ms}"),
            sites: (SiteId::from_index(a), SiteId::from_index(b)),
            bandwidth_kbps: 1000,
            one_way_delay: Micros::from_millis(delay_ms),
            jitter: Micros(0),
            loss_percent: 0.0,
            bandwidth_policy: None,
        }
    }

    #[test]
    fn one_search_gives_the_paths_of_the_pair_by_pair_search() {
        // Equal delays everywhere (many ties), parallel links, a ring with
        // chords, and a site cut off.
        let n = 30;
        let mut links = Vec::new();
        for i in 0..n - 1 {
            links.push(link(i, (i + 1) % (n - 1), 5));
            links.push(link(i, (i * 7 + 3) % (n - 1), 10));
            if i % 4 == 0 {
                links.push(link(i, (i + 1) % (n - 1), 5));
                links.push(link((i + 1) % (n - 1), i, 5));
                links.push(link((i + 2) % (n - 1), i, 4 + (i as u64 % 3)));
            }
        }
        links.retain(|l| l.sites.0 != l.sites.1);
        let wan = Wan::new(n, &links);
        for a in 0..n {
            let a = SiteId::from_index(a);
            for b in 0..n {
                let b = SiteId::from_index(b);
                let found = wan.links_to(wan.delay_tree(a), b).map(|p| p.to_vec());
                assert_eq!(found, wan.path(a, b, &links), "{a:?} to {b:?}");
            }
        }
    }
}
