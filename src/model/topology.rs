//! The WAN as a graph of sites (nodes) and WAN links (edges).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use petgraph::algo::astar;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;

use super::ids::{LinkId, SiteId};
use super::objects::WanLink;

/// The WAN topology. Node `i` is site `i`; each edge carries its link id.
#[derive(Debug, Clone)]
pub struct Wan {
    graph: UnGraph<SiteId, LinkId>,
    /// Per edge, the link a path takes when it crosses the edge from its
    /// first site, then from its second: the lowest-delay link between the
    /// two sites, the first of equals in the order the graph lists the
    /// edges of the site it leaves (as [`path`](Self::path) picks it).
    hops: Vec<[LinkId; 2]>,
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
        Self { graph, hops }
    }

    /// The links of the lowest-delay path from `a` to `b` (empty when
    /// `a == b`), or `None` when the sites are not connected.
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
    pub fn paths_from(&self, a: SiteId, links: &[WanLink]) -> PathTree {
        let n = self.graph.node_count();
        let cost = |l: LinkId| links[l.index()].one_way_delay.0;
        let mut score: Vec<Option<u64>> = vec![None; n];
        let mut via: Vec<Option<(SiteId, LinkId)>> = vec![None; n];
        let mut settled = vec![false; n];
        let mut order = Vec::new();
        let mut queue = BinaryHeap::new();
        score[a.index()] = Some(0);
        queue.push(MinScored(0, a.index()));
        while let Some(MinScored(g, node)) = queue.pop() {
            if !settled[node] {
                settled[node] = true;
                order.push(node);
            }
            if score[node].is_some_and(|old| old < g) {
                continue;
            }
            score[node] = Some(g);
            for edge in self.graph.edges(NodeIndex::new(node)) {
                let next = edge.target().index();
                let next_g = g + cost(*edge.weight());
                if score[next].is_some_and(|old| next_g >= old) {
                    continue;
                }
                score[next] = Some(next_g);
                // The graph lists an edge from either site; `hops` by the site it was added from.
                let first = self.graph.raw_edges()[edge.id().index()].source().index();
                let link = self.hops[edge.id().index()][usize::from(first != node)];
                via[next] = Some((SiteId::from_index(node), link));
                queue.push(MinScored(next_g, next));
            }
        }
        PathTree { order: order.into_iter().map(SiteId::from_index).collect(), via }
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

/// The lowest-delay paths from one site to all it reaches
/// ([`Wan::paths_from`]).
#[derive(Debug, Clone)]
pub struct PathTree {
    /// The sites reached, each after the sites on its path (the source
    /// first).
    pub order: Vec<SiteId>,
    /// Per site: the site before it on its path and the link from there;
    /// `None` for the source and for sites not reached.
    pub via: Vec<Option<(SiteId, LinkId)>>,
}

impl PathTree {
    /// The links of the path to `b`, as [`Wan::path`] gives them.
    pub fn path(&self, b: SiteId) -> Option<Vec<LinkId>> {
        if !self.order.contains(&b) {
            return None;
        }
        let mut links = Vec::new();
        let mut at = b;
        while let Some((prev, link)) = self.via[at.index()] {
            links.push(link);
            at = prev;
        }
        links.reverse();
        Some(links)
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
            let tree = wan.paths_from(SiteId::from_index(a), &links);
            for b in 0..n {
                let (a, b) = (SiteId::from_index(a), SiteId::from_index(b));
                assert_eq!(tree.path(b), wan.path(a, b, &links), "{a:?} to {b:?}");
            }
        }
    }
}
