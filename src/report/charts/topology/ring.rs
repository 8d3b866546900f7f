//! A placement for a network drawn by group: the groups that lie on a
//! cycle of links (a backbone ring or mesh) around an ellipse in the
//! order a walk along the links takes, every other group inside it by
//! the group its links lead to. Groups are wide, short boxes: the
//! ellipse is taller than wide so that the drawing fits a page.

use std::collections::VecDeque;

use super::layout::SiteGraph;
use super::*;

/// Centres of the groups, or `None` when no cycle holds three groups.
pub(super) fn ring(g: &SiteGraph, size: &[(f64, f64)], gx: f64, gy: f64) -> Option<Vec<Pt>> {
    let n = g.n;
    // The 2-core: what is left once groups with one link or none go.
    let mut alive = vec![true; n];
    let mut degree: Vec<usize> = (0..n).map(|i| g.adj[i].iter().filter(|j| **j != i).count()).collect();
    let mut queue: VecDeque<usize> = (0..n).filter(|i| degree[*i] <= 1).collect();
    while let Some(u) = queue.pop_front() {
        if !alive[u] {
            continue;
        }
        alive[u] = false;
        for &v in g.adj[u].iter().filter(|v| **v != u) {
            if alive[v] {
                degree[v] -= 1;
                if degree[v] <= 1 {
                    queue.push_back(v);
                }
            }
        }
    }
    let start = (0..n).find(|i| alive[*i])?;
    // Around the core, each step to the first neighbour not yet placed.
    let mut order = Vec::new();
    let mut seen = vec![false; n];
    let mut stack = vec![start];
    while let Some(u) = stack.pop() {
        if seen[u] {
            continue;
        }
        seen[u] = true;
        order.push(u);
        stack.extend(g.adj[u].iter().rev().filter(|v| alive[**v] && !seen[**v]));
    }
    order.extend((0..n).filter(|i| alive[*i] && !seen[*i]));
    if order.len() < 3 {
        return None;
    }
    // The others by the core group their links lead to, and how far.
    let mut root = vec![None; n];
    let mut depth = vec![0usize; n];
    let mut bfs: VecDeque<usize> = order.iter().copied().collect();
    for &c in &order {
        root[c] = Some(c);
    }
    while let Some(u) = bfs.pop_front() {
        for &v in &g.adj[u] {
            if root[v].is_none() {
                root[v] = root[u];
                depth[v] = depth[u] + 1;
                bfs.push_back(v);
            }
        }
    }
    let m = order.len() as f64;
    let angle: Vec<f64> =
        (0..order.len()).map(|k| std::f64::consts::TAU * k as f64 / m - std::f64::consts::FRAC_PI_2).collect();
    let (w, h) = size.iter().fold((0.0f64, 0.0f64), |a, s| (a.0.max(s.0), a.1.max(s.1)));
    let place = |rx: f64, ry: f64| -> Vec<Pt> {
        let mut pos = vec![(0.0, 0.0); n];
        for (k, &c) in order.iter().enumerate() {
            pos[c] = (rx * angle[k].cos(), ry * angle[k].sin());
        }
        // Inside the ellipse, a step toward its centre for each level
        // away from the core and for each sibling before.
        let mut taken = vec![0usize; n];
        let mut rest: Vec<usize> = (0..n).filter(|i| !alive[*i]).collect();
        rest.sort_by_key(|i| (depth[*i], *i));
        for i in rest {
            let Some(r) = root[i] else { continue };
            let k = order.iter().position(|c| *c == r).unwrap_or(0);
            let steps = (depth[i] + taken[r]) as f64;
            taken[r] += 1;
            let (c, sn) = (angle[k].cos(), angle[k].sin());
            pos[i] = (pos[r].0 - c * steps * (w + gx), pos[r].1 - sn * steps * (h + gy));
        }
        // Groups no link reaches: a column beside the ellipse.
        let mut below = 0.0;
        for i in (0..n).filter(|i| root[*i].is_none()) {
            pos[i] = (rx + w + gx, -ry + below);
            below += h + gy;
        }
        pos
    };
    // Of the radii that place every group clear of the others, those
    // whose drawing needs the least shrinking to fit a page.
    let (max_w, max_h) = crate::report::limits::CHART_MAX;
    let radius = |base: f64, k: i32| base * 1.1f64.powi(k);
    let mut best: Option<(f64, f64, Vec<Pt>)> = None;
    for i in 0..36 {
        for j in 0..36 {
            let (rx, ry) = (radius((w + gx) * 0.5, i), radius((h + gy) * 0.5, j));
            let pos = place(rx, ry);
            let rects: Vec<Rect> =
                (0..n).map(|k| Rect::centered(pos[k], size[k].0, size[k].1).inflate(gy / 4.0)).collect();
            if (0..n).any(|a| (a + 1..n).any(|b| rects[a].intersects(&rects[b]))) {
                continue;
            }
            let bbox = rects.iter().skip(1).fold(rects[0], |u, r| u.union(r));
            let shrink = (bbox.w / max_w).max(bbox.h / max_h);
            let area = bbox.w * bbox.h;
            if best.as_ref().is_none_or(|b| (shrink, area) < (b.0, b.1)) {
                best = Some((shrink, area, pos));
            }
        }
    }
    best.map(|b| b.2)
}
