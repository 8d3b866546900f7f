//! A placement for a network drawn by group when its groups fall apart
//! into small parts (regions joined in pairs or short chains): rows as
//! wide as a page, each part on one row when it fits, its groups side by
//! side in the order a walk from its end takes, so that each link joins
//! neighbours and passes through nothing.

use super::layout::SiteGraph;
use super::*;

/// Centres of the groups, rows of at most as many as fit a page's width.
pub(super) fn packed(g: &SiteGraph, size: &[(f64, f64)], gx: f64, gy: f64) -> Vec<Pt> {
    let n = g.n;
    let (w, h) = size.iter().fold((0.0f64, 0.0f64), |a, s| (a.0.max(s.0), a.1.max(s.1)));
    let page = crate::report::limits::CHART_MAX.0 - 2.0 * MARGIN;
    let cols = ((page + gx) / (w + gx)).floor().max(1.0) as usize;
    // The parts, each walked depth-first from a group with the fewest
    // links (a chain's end), the largest parts first.
    let mut seen = vec![false; n];
    let mut parts: Vec<Vec<usize>> = Vec::new();
    for first in 0..n {
        if seen[first] {
            continue;
        }
        let mut members = vec![first];
        seen[first] = true;
        let mut k = 0;
        while k < members.len() {
            for &v in &g.adj[members[k]] {
                if !seen[v] {
                    seen[v] = true;
                    members.push(v);
                }
            }
            k += 1;
        }
        let start = members.iter().copied().min_by_key(|i| (g.adj[*i].len(), *i)).unwrap_or(first);
        let mut order = Vec::new();
        let mut done = vec![false; n];
        let mut stack = vec![start];
        while let Some(u) = stack.pop() {
            if done[u] {
                continue;
            }
            done[u] = true;
            order.push(u);
            stack.extend(g.adj[u].iter().rev().filter(|v| !done[**v]));
        }
        parts.push(order);
    }
    parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut pos = vec![(0.0, 0.0); n];
    let (mut row, mut col) = (0usize, 0usize);
    for part in parts {
        if col > 0 && col + part.len() > cols {
            row += 1;
            col = 0;
        }
        for v in part {
            if col == cols {
                row += 1;
                col = 0;
            }
            pos[v] = (col as f64 * (w + gx), row as f64 * (h + gy));
            col += 1;
        }
    }
    pos
}
