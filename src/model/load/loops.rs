//! The inter-trunk loop check.

use std::collections::HashMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use super::super::language::{witness, Language, Witness};
use super::super::*;
use super::{label, Builder};

impl Builder {
    /// A call arriving on trunk A can be routed out of trunk B (inter-trunk
    /// routing); if B's usages lead on and back to A, the call can loop.
    /// A cycle of trunks is a loop when some number matches a route on every
    /// edge of it (the number is assumed to come back as it left). Patterns
    /// with no DFA (look-around) are taken to match everything.
    pub(super) fn check_inter_trunk_cycles(
        &mut self,
        trunks: &[Trunk],
        configs: &[TrunkConfig],
        usage_routes: &[Vec<RouteId>],
        routes: &[VoiceRoute],
    ) {
        let n = trunks.len();
        // edges[a][b] = routes that send calls arriving on a out of b.
        let mut edges: Vec<HashMap<usize, Vec<usize>>> = vec![HashMap::new(); n];
        for (a, t) in trunks.iter().enumerate() {
            for u in &configs[t.config.index()].pstn_usages {
                for r in &usage_routes[u.index()] {
                    for out in &routes[r.index()].trunks {
                        let list = edges[a].entry(out.index()).or_default();
                        if !list.contains(&r.index()) {
                            list.push(r.index());
                        }
                    }
                }
            }
        }
        let mut g: DiGraph<usize, ()> = DiGraph::new();
        let nodes: Vec<_> = (0..n).map(|i| g.add_node(i)).collect();
        for (a, outs) in edges.iter().enumerate() {
            for b in outs.keys() {
                g.update_edge(nodes[a], nodes[*b], ());
            }
        }
        let mut languages: HashMap<(usize, usize), Option<Language>> = HashMap::new();
        for scc in tarjan_scc(&g) {
            let members: Vec<usize> = scc.iter().map(|x| g[*x]).collect();
            if members.len() == 1 && !edges[members[0]].contains_key(&members[0]) {
                continue;
            }
            for cycle in simple_cycles(&members, &edges, 1000) {
                let mut accept = Vec::new();
                for (i, &a) in cycle.iter().enumerate() {
                    let b = cycle[(i + 1) % cycle.len()];
                    languages.entry((a, b)).or_insert_with(|| {
                        let pats: Vec<&str> = edges[a][&b].iter().map(|r| routes[*r].number_pattern.as_str()).collect();
                        Language::new(&pats)
                    });
                    accept.push((a, b));
                }
                let langs: Vec<&Language> = accept.iter().filter_map(|k| languages[k].as_ref()).collect();
                let example = match witness(&langs, &[]) {
                    Witness::None => continue,
                    Witness::Found(n) if langs.len() == cycle.len() => format!("e.g. {n}"),
                    _ => "a route pattern on it uses look-around, so no number can be ruled out".to_owned(),
                };
                let mut path: Vec<&str> = cycle.iter().map(|t| trunks[*t].name.as_str()).collect();
                path.push(&trunks[cycle[0]].name);
                let first = &trunks[cycle[0]];
                let cfg = &configs[first.config.index()];
                let via: Vec<&str> =
                    edges[cycle[0]][&cycle[1 % cycle.len()]].iter().map(|r| routes[*r].name.as_str()).collect();
                self.err(
                    &label("trunk_configuration", &cfg.identity),
                    "pstn_usages",
                    format!(
                        "inter-trunk routing can loop: {} ({example}), first hop via route(s) {}; exclude the numbers of the far end from the route patterns, or remove the usage",
                        path.join(" -> "),
                        via.join(", ")
                    ),
                );
            }
        }
    }
}

/// Simple cycles through `members`, each listed once (from its smallest
/// member), at most `cap` of them.
fn simple_cycles(members: &[usize], edges: &[HashMap<usize, Vec<usize>>], cap: usize) -> Vec<Vec<usize>> {
    let mut sorted = members.to_vec();
    sorted.sort_unstable();
    let mut out = Vec::new();
    for &s in &sorted {
        let mut stack: Vec<(usize, Vec<usize>)> = vec![(s, vec![s])];
        while let Some((at, path)) = stack.pop() {
            let mut nexts: Vec<usize> = edges[at].keys().copied().filter(|b| sorted.binary_search(b).is_ok()).collect();
            nexts.sort_unstable();
            for b in nexts {
                if b == s {
                    out.push(path.clone());
                    if out.len() >= cap {
                        return out;
                    }
                } else if b > s && !path.contains(&b) {
                    let mut p = path.clone();
                    p.push(b);
                    stack.push((b, p));
                }
            }
        }
    }
    out
}
