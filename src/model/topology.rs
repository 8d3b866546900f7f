//! The WAN as a graph of sites (nodes) and WAN links (edges).

use petgraph::algo::astar;
use petgraph::graph::{NodeIndex, UnGraph};

use super::ids::{LinkId, SiteId};
use super::objects::WanLink;

/// The WAN topology. Node `i` is site `i`; each edge carries its link id.
#[derive(Debug, Clone)]
pub struct Wan {
    graph: UnGraph<SiteId, LinkId>,
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
        Self { graph }
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
