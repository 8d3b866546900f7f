//! The inter-trunk loop check.
//!
//! A call arriving on trunk A for a number no user holds is routed with
//! A's trunk configuration's usages (inter-trunk routing) and may leave on
//! trunk B, whose configuration may send it on, and back to A. A cycle of
//! trunks is a loop when some number matches a route on every hop of it
//! (the number is assumed to come back as it left); a pattern with no DFA
//! (look-around) is taken to match every number.
//!
//! Listing the cycles of the trunk graph is exponential (a full mesh of
//! n IP-PBXs has more than (n-1)! of them), so the check never does:
//!
//! 1. The routing graph has a node per trunk, trunk configuration, usage
//!    and route, and an edge from each trunk to its configuration, from a
//!    configuration to its usages, from a usage to its routes and from a
//!    route to its trunks: its size is that of the model. A cycle of
//!    trunks is a cycle of this graph.
//! 2. Only routes inside one of its strongly connected components can be
//!    on a cycle; each component is checked alone.
//! 3. A number matches some set S of the component's routes. It can loop
//!    exactly when the graph keeping only the routes of S has a cycle
//!    (a closed walk whose every hop the number matches splits into
//!    simple cycles whose every hop it matches).
//! 4. The distinct sets S are enumerated, shortest numbers first, from one
//!    automaton of the component's route patterns
//!    ([`MatchSets`](crate::pattern::matchsets::MatchSets)); each new set
//!    costs one depth-first search of the component.
//!
//! Both steps are capped. A component whose check reaches a cap is not
//! proven loop-free: it gets a lint (`loop-check-incomplete`), and the
//! model still loads. Loops found are errors, each with the shortest
//! number that travels round it.

use std::collections::HashSet;

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::NodeFiltered;

use super::super::lint::Lint;
use super::super::*;
use super::{label, Builder};
use crate::pattern::language::{witness, Language, Witness};
use crate::pattern::matchsets::{Explored, Flow, MatchSets};

/// How much work the check of one component may do.
#[derive(Debug, Clone, Copy)]
struct Caps {
    /// States of the route patterns' automaton explored.
    states: usize,
    /// Nodes and edges visited by the cycle searches.
    search: usize,
}

const CAPS: Caps = Caps { states: 200_000, search: 20_000_000 };

/// Loops reported per component: fixing these changes the rest.
const LOOPS_REPORTED: usize = 10;

/// The routing graph, as adjacency lists in one array.
struct Graph {
    /// The same graph for petgraph's algorithms.
    graph: DiGraph<(), ()>,
    trunks: usize,
    /// First node of the routes (after trunks, configurations, usages).
    first_route: usize,
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Graph {
    fn new(trunks: &[Trunk], configs: &[TrunkConfig], usage_routes: &[Vec<RouteId>], routes: &[VoiceRoute]) -> Self {
        let first_config = trunks.len();
        let first_usage = first_config + configs.len();
        let first_route = first_usage + usage_routes.len();
        let mut lists: Vec<Vec<u32>> = Vec::with_capacity(first_route + routes.len());
        lists.extend(trunks.iter().map(|t| vec![(first_config + t.config.index()) as u32]));
        lists.extend(configs.iter().map(|c| c.pstn_usages.iter().map(|u| (first_usage + u.index()) as u32).collect()));
        lists.extend(usage_routes.iter().map(|rs| rs.iter().map(|r| (first_route + r.index()) as u32).collect()));
        lists.extend(routes.iter().map(|r| r.trunks.iter().map(|t| t.index() as u32).collect()));
        let mut offsets = Vec::with_capacity(lists.len() + 1);
        let mut targets = Vec::new();
        offsets.push(0);
        for l in &lists {
            targets.extend_from_slice(l);
            offsets.push(targets.len() as u32);
        }
        let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(lists.len(), targets.len());
        for _ in 0..lists.len() {
            graph.add_node(());
        }
        for (n, l) in lists.iter().enumerate() {
            for &m in l {
                graph.add_edge(NodeIndex::new(n), NodeIndex::new(m as usize), ());
            }
        }
        Self { graph, trunks: trunks.len(), first_route, offsets, targets }
    }

    fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    fn out(&self, n: usize) -> &[u32] {
        &self.targets[self.offsets[n] as usize..self.offsets[n + 1] as usize]
    }

    fn route(&self, n: usize) -> Option<usize> {
        n.checked_sub(self.first_route)
    }

    fn is_trunk(&self, n: usize) -> bool {
        n < self.trunks
    }

    /// The strongly connected components that can hold a cycle.
    fn components(&self) -> Vec<Vec<u32>> {
        let mut out: Vec<Vec<u32>> = kosaraju_scc(&self.graph)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|c| {
                let mut c: Vec<u32> = c.into_iter().map(|n| n.index() as u32).collect();
                c.sort_unstable();
                c
            })
            .collect();
        out.sort_unstable();
        out
    }
}

/// Cycle searches within one component, over the routes of one set.
struct Search<'g> {
    graph: &'g Graph,
    /// Per node: in the component.
    inside: Vec<bool>,
    /// Per route: in the current set (its stamp) or undecided (always).
    allowed: Vec<u32>,
    stamp: u32,
    /// Per node: 2 x stamp while on the search's path, 2 x stamp + 1 when done.
    state: Vec<u32>,
    /// Nodes and edges visited so far.
    work: usize,
}

const ALWAYS: u32 = u32::MAX;

impl<'g> Search<'g> {
    fn new(graph: &'g Graph, component: &[u32], undecided: &[usize]) -> Self {
        let mut inside = vec![false; graph.len()];
        component.iter().for_each(|&n| inside[n as usize] = true);
        let mut allowed = vec![0; graph.len() - graph.first_route];
        undecided.iter().for_each(|&r| allowed[r] = ALWAYS);
        Self { graph, inside, allowed, stamp: 0, state: vec![0; graph.len()], work: 0 }
    }

    /// Starts a new set: the undecided routes and `routes`.
    fn set(&mut self, routes: impl Iterator<Item = usize>) {
        self.stamp += 1;
        for r in routes {
            if self.allowed[r] != ALWAYS {
                self.allowed[r] = self.stamp;
            }
        }
    }

    fn passes(&self, n: usize) -> bool {
        self.inside[n] && self.graph.route(n).is_none_or(|r| self.allowed[r] == ALWAYS || self.allowed[r] == self.stamp)
    }

    /// Whether the routes of the current set make a cycle; every cycle
    /// passes a route, so the search starts from `roots` only.
    fn cycle(&mut self, roots: &[usize]) -> bool {
        let (on_path, done) = (2 * self.stamp, 2 * self.stamp + 1);
        let mut path: Vec<(usize, usize)> = Vec::new();
        for &root in roots {
            if !self.passes(root) || self.state[root] >= on_path {
                continue;
            }
            self.state[root] = on_path;
            path.push((root, 0));
            while let Some(&mut (n, ref mut next)) = path.last_mut() {
                let out = self.graph.out(n);
                if *next == out.len() {
                    self.state[n] = done;
                    path.pop();
                    continue;
                }
                let m = out[*next] as usize;
                *next += 1;
                self.work += 1;
                if !self.passes(m) || self.state[m] == done {
                    continue;
                }
                if self.state[m] == on_path {
                    return true;
                }
                self.state[m] = on_path;
                path.push((m, 0));
            }
        }
        false
    }

    /// The trunks on some cycle of the current set's routes, ascending.
    fn trunks_on_cycles(&mut self) -> Vec<usize> {
        self.work += self.graph.len() + self.graph.targets.len();
        let allowed = NodeFiltered::from_fn(&self.graph.graph, |n: NodeIndex| self.passes(n.index()));
        let mut trunks: Vec<usize> = kosaraju_scc(&allowed)
            .into_iter()
            .filter(|c| c.len() > 1)
            .flatten()
            .map(|n| n.index())
            .filter(|&n| self.graph.is_trunk(n))
            .collect();
        trunks.sort_unstable();
        trunks
    }

    /// The trunks of a shortest cycle through trunk node `start` (breadth
    /// first), from `start`.
    fn shortest_through(&mut self, start: usize) -> Vec<usize> {
        let mut parent = vec![u32::MAX; self.graph.len()];
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(n) = queue.pop_front() {
            for &m in self.graph.out(n) {
                let m = m as usize;
                self.work += 1;
                if m == start {
                    let mut trunks = vec![];
                    let mut at = n;
                    while at != start {
                        if self.graph.is_trunk(at) {
                            trunks.push(at);
                        }
                        at = parent[at] as usize;
                    }
                    trunks.push(start);
                    trunks.reverse();
                    return trunks;
                }
                if self.passes(m) && parent[m] == u32::MAX {
                    parent[m] = n as u32;
                    queue.push_back(m);
                }
            }
        }
        unreachable!("the start lies on a cycle of the allowed routes")
    }
}

/// What the check of one component found.
struct Found {
    /// Each loop's trunks, from its smallest, with a number that travels it.
    loops: Vec<(Vec<usize>, Option<String>)>,
    /// The check reached a cap: how far it got.
    gave_up: Option<String>,
    /// It stopped at [`LOOPS_REPORTED`] loops: there may be more.
    truncated: bool,
}

fn check_component(graph: &Graph, component: &[u32], routes: &[VoiceRoute], caps: Caps) -> Found {
    let members: Vec<usize> = component.iter().filter_map(|&n| graph.route(n as usize)).collect();
    // Each distinct pattern once: routes with the same pattern match alike.
    let mut patterns: Vec<&str> = members.iter().map(|&r| routes[r].number_pattern.as_str()).collect();
    patterns.sort_unstable();
    patterns.dedup();
    let mut of_pattern: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
    for &r in &members {
        let p = patterns.binary_search(&routes[r].number_pattern.as_str()).expect("listed above");
        of_pattern[p].push(r);
    }
    let sets = MatchSets::new(&patterns);
    let undecided: Vec<usize> = sets.undecided().iter().flat_map(|&p| of_pattern[p].iter().copied()).collect();
    let mut search = Search::new(graph, component, &undecided);
    let mut found = Found { loops: Vec::new(), gave_up: None, truncated: false };
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    // Every loop of the set, one through each trunk on a cycle not yet on one.
    let mut record = |search: &mut Search, number: Option<&str>, found: &mut Found| {
        let mut covered = HashSet::new();
        for t in search.trunks_on_cycles() {
            if found.loops.len() >= LOOPS_REPORTED {
                break;
            }
            if covered.contains(&t) {
                continue;
            }
            let mut trunks = search.shortest_through(t);
            covered.extend(trunks.iter().copied());
            let smallest = trunks.iter().enumerate().min_by_key(|(_, t)| **t).map_or(0, |(i, _)| i);
            trunks.rotate_left(smallest);
            if seen.insert(trunks.clone()) {
                found.loops.push((trunks, number.map(str::to_owned)));
            }
        }
    };
    // Undecided routes match every number: a cycle of them alone loops.
    if !undecided.is_empty() {
        search.set(std::iter::empty());
        let roots: Vec<usize> = undecided.iter().map(|r| graph.first_route + r).collect();
        if search.cycle(&roots) {
            record(&mut search, None, &mut found);
        }
    }
    let undecided_roots: Vec<usize> = undecided.iter().map(|r| graph.first_route + r).collect();
    let mut roots = Vec::new();
    let mut classes = 0;
    let explored = sets.explore(caps.states, |set, number| {
        classes += 1;
        search.set(set.iter().flat_map(|&p| of_pattern[p as usize].iter().copied()));
        roots.clear();
        roots.extend(set.iter().flat_map(|&p| of_pattern[p as usize].iter().map(|r| graph.first_route + r)));
        roots.extend_from_slice(&undecided_roots);
        if search.cycle(&roots) {
            record(&mut search, Some(number), &mut found);
        }
        if found.loops.len() >= LOOPS_REPORTED {
            found.truncated = true;
            return Flow::Stop;
        }
        if search.work > caps.search {
            found.gave_up = Some(format!("{} steps of cycle search over {classes} classes of numbers", search.work));
            return Flow::Stop;
        }
        Flow::Continue
    });
    if let Explored::GaveUp { states } = explored {
        found.gave_up = Some(format!("{states} states of the route patterns' automaton"));
    }
    found
}

impl Builder {
    /// Reports every inter-trunk routing loop as an error on the first
    /// trunk's configuration (module docs).
    pub(super) fn check_inter_trunk_cycles(
        &mut self,
        trunks: &[Trunk],
        configs: &[TrunkConfig],
        usage_routes: &[Vec<RouteId>],
        routes: &[VoiceRoute],
    ) {
        self.check_loops(trunks, configs, usage_routes, routes, CAPS);
    }

    fn check_loops(
        &mut self,
        trunks: &[Trunk],
        configs: &[TrunkConfig],
        usage_routes: &[Vec<RouteId>],
        routes: &[VoiceRoute],
        caps: Caps,
    ) {
        let graph = Graph::new(trunks, configs, usage_routes, routes);
        for component in graph.components() {
            let found = check_component(&graph, &component, routes, caps);
            for (i, (cycle, number)) in found.loops.iter().enumerate() {
                let more = found.truncated && i + 1 == found.loops.len();
                self.report_loop(cycle, number.as_deref(), more, trunks, configs, usage_routes, routes);
            }
            if let Some(progress) = found.gave_up {
                let names: Vec<&str> = component
                    .iter()
                    .filter(|n| graph.is_trunk(**n as usize))
                    .map(|&t| trunks[t as usize].name.as_str())
                    .collect();
                let shown = names.iter().take(8).copied().collect::<Vec<_>>().join(", ");
                let more = if names.len() > 8 { format!(" and {} more", names.len() - 8) } else { String::new() };
                let first = &trunks[component[0] as usize];
                self.lints.push(Lint {
                    code: "loop-check-incomplete",
                    object: label("trunk_configuration", &configs[first.config.index()].identity),
                    field: "pstn_usages".into(),
                    message: format!(
                        "the inter-trunk loop check gave up after {progress} on trunks {shown}{more}; not proven loop-free: simpler route patterns on the usages of these trunks' configurations let it finish"
                    ),
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn report_loop(
        &mut self,
        cycle: &[usize],
        number: Option<&str>,
        more: bool,
        trunks: &[Trunk],
        configs: &[TrunkConfig],
        usage_routes: &[Vec<RouteId>],
        routes: &[VoiceRoute],
    ) {
        // The routes of each hop, in the order the configuration's usages list them.
        let hop = |a: usize, b: usize| -> Vec<usize> {
            let mut list = Vec::new();
            for u in &configs[trunks[a].config.index()].pstn_usages {
                for r in &usage_routes[u.index()] {
                    if routes[r.index()].trunks.iter().any(|t| t.index() == b) && !list.contains(&r.index()) {
                        list.push(r.index());
                    }
                }
            }
            list
        };
        let hops: Vec<Vec<usize>> = (0..cycle.len()).map(|i| hop(cycle[i], cycle[(i + 1) % cycle.len()])).collect();
        let languages: Vec<Option<Language>> = hops
            .iter()
            .map(|rs| Language::new(&rs.iter().map(|r| routes[*r].number_pattern.as_str()).collect::<Vec<_>>()))
            .collect();
        let langs: Vec<&Language> = languages.iter().flatten().collect();
        let example = match (langs.len() == cycle.len(), number) {
            (true, _) => match (witness(&langs, &[]), number) {
                (Witness::Found(n), _) => format!("e.g. {n}"),
                (_, Some(n)) => format!("e.g. {n}"),
                (_, None) => "no number could be ruled out".to_owned(),
            },
            _ => "a route pattern on it uses look-around, so no number can be ruled out".to_owned(),
        };
        let mut path: Vec<&str> = cycle.iter().map(|t| trunks[*t].name.as_str()).collect();
        path.push(&trunks[cycle[0]].name);
        let via: Vec<&str> = hops[0].iter().map(|r| routes[*r].name.as_str()).collect();
        let cfg = &configs[trunks[cycle[0]].config.index()];
        let more = if more { " (further loops are not listed: fix these and check again)" } else { "" };
        self.err(
            &label("trunk_configuration", &cfg.identity),
            "pstn_usages",
            format!(
                "inter-trunk routing can loop: {} ({example}), first hop via route(s) {}; exclude the numbers of the far end from the route patterns, or remove the usage{more}",
                path.join(" -> "),
                via.join(", ")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{load_str, CONTOSO_TOML};

    fn lints_with(caps: Caps) -> Vec<Lint> {
        let m = load_str(CONTOSO_TOML, "contoso.toml").unwrap();
        let mut b = Builder::default();
        b.check_loops(&m.trunks, &m.trunk_configs, &m.usage_routes, &m.routes, caps);
        assert!(b.problems.is_empty(), "a cap never makes an error: {:?}", b.problems);
        b.lints
    }

    #[test]
    fn a_check_that_reaches_its_cap_is_a_lint_not_a_hang() {
        assert_eq!(lints_with(CAPS), vec![], "contoso is proven loop-free");
        for (caps, progress) in [
            (Caps { states: 3, search: usize::MAX }, "states of the route patterns' automaton"),
            (Caps { states: CAPS.states, search: 1 }, "steps of cycle search"),
        ] {
            let lints = lints_with(caps);
            assert_eq!(lints.len(), 1, "{lints:#?}");
            let l = &lints[0];
            assert_eq!((l.code, l.field.as_str()), ("loop-check-incomplete", "pstn_usages"));
            assert!(l.message.contains(progress) && l.message.contains("not proven loop-free"), "{}", l.message);
            assert!(l.message.contains("gw-red-1") && l.message.contains("pbx-red"), "{}", l.message);
        }
    }
}
