//! Where everything goes: each site's container and boxes, the site
//! graph placed by the best of several deterministic layouts, link
//! labels clear of lines, the legend.

use std::collections::VecDeque;

use petgraph::graph::{NodeIndex, UnGraph};

use super::*;

/// Where everything goes, in the SVG's coordinates.
#[derive(Debug, Clone)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// Each site's container.
    pub sites: Vec<Rect>,
    pub pools: Vec<Rect>,
    pub peers: Vec<Rect>,
    /// Each WAN link as drawn, from its first container's border to its
    /// second's.
    pub links: Vec<(Pt, Pt)>,
    /// Each WAN link's label.
    pub labels: Vec<Rect>,
    /// Each trunk, from its pool's box to its peer's: a polyline.
    pub trunks: Vec<Vec<Pt>>,
    /// The legend's items: which of [`LEGEND`], the sample's box, and
    /// where the text starts; only what the network has.
    pub legend: Vec<(usize, Rect, Pt)>,
}

/// A site's container with its boxes, relative to the container's corner.
pub(super) struct Inner {
    w: f64,
    h: f64,
    pools: Vec<(usize, Rect)>,
    peers: Vec<(usize, Rect)>,
}

pub(super) fn box_width(n: &Node) -> f64 {
    let detail = n.detail.iter().map(|d| text_width(d, BOX_DETAIL_FONT, false)).fold(0.0, f64::max);
    (text_width(&n.label, BOX_FONT, true).max(detail) + 16.0).max(90.0)
}

pub(super) fn header_height(site: &Node) -> f64 {
    PAD + 18.0 + 15.0 * site.detail.len() as f64 + 8.0
}

/// A site's container: the header, the pools' column, then the peers'
/// in the order of the pools they trunk with (fewer trunks cross).
pub(super) fn inner(t: &Topo, s: usize) -> Inner {
    let site = &t.sites[s];
    let pools: Vec<usize> = (0..t.pools.len()).filter(|p| t.pools[*p].site == s).collect();
    let mut peers: Vec<(f64, usize)> = (0..t.peers.len())
        .filter(|p| t.peers[*p].site == s)
        .map(|p| {
            let rows: Vec<f64> = t
                .trunks
                .iter()
                .filter(|(_, q)| *q == p)
                .filter_map(|(pool, _)| pools.iter().position(|x| x == pool))
                .map(|r| r as f64)
                .collect();
            let key = if rows.is_empty() { f64::MAX } else { rows.iter().sum::<f64>() / rows.len() as f64 };
            (key, p)
        })
        .collect();
    peers.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let header = header_height(site);
    let head_w = text_width(&site.label, SITE_FONT, true)
        .max(site.detail.iter().map(|d| text_width(d, DETAIL_FONT, false)).fold(0.0, f64::max));
    let pool_w = pools.iter().map(|p| box_width(&t.pools[*p])).fold(0.0, f64::max);
    let peer_w = peers.iter().map(|(_, p)| box_width(&t.peers[*p])).fold(0.0, f64::max);
    let column = |n: usize| if n == 0 { 0.0 } else { n as f64 * BOX_H + (n - 1) as f64 * BOX_GAP };
    let (hp, hq) = (column(pools.len()), column(peers.len()));
    let body_h = hp.max(hq);
    let cols_w = pool_w + peer_w + if pool_w > 0.0 && peer_w > 0.0 { TRUNK_GAP } else { 0.0 };
    let w = (head_w.max(cols_w) + 2.0 * PAD).max(150.0);
    let h = if body_h > 0.0 { header + body_h + PAD } else { header + 4.0 };
    // The columns centred in the container.
    let x0 = (w - cols_w) / 2.0;
    let pool_x = x0;
    let peer_x = if pool_w > 0.0 { x0 + pool_w + TRUNK_GAP } else { x0 };
    let stack = |n: usize, col_h: f64, x: f64, bw: f64| -> Vec<Rect> {
        let top = header + (body_h - col_h) / 2.0;
        (0..n).map(|k| Rect { x, y: top + k as f64 * (BOX_H + BOX_GAP), w: bw, h: BOX_H }).collect()
    };
    Inner {
        w,
        h,
        pools: pools.iter().copied().zip(stack(pools.len(), hp, pool_x, pool_w)).collect(),
        peers: peers.iter().map(|(_, p)| *p).zip(stack(peers.len(), hq, peer_x, peer_w)).collect(),
    }
}

/// The size of a label of these lines.
pub(super) fn label_size(lines: &[String]) -> (f64, f64) {
    let w = lines.iter().map(|l| text_width(l, LABEL_FONT, false)).fold(0.0, f64::max);
    (w + 8.0, LABEL_LINE * lines.len().max(1) as f64 + 4.0)
}

/// The site graph: petgraph's, each site's neighbours sorted.
pub(super) struct SiteGraph {
    pub(super) n: usize,
    pub(super) adj: Vec<Vec<usize>>,
    /// Links between two different sites that exist.
    edges: Vec<(usize, usize)>,
}

impl SiteGraph {
    fn new(t: &Topo) -> Self {
        let n = t.sites.len();
        let mut g: UnGraph<usize, usize> = UnGraph::with_capacity(n, t.links.len());
        for i in 0..n {
            g.add_node(i);
        }
        let mut edges = Vec::new();
        for (k, (a, b, _)) in t.links.iter().enumerate() {
            if *a != *b && *a < n && *b < n {
                g.add_edge(NodeIndex::new(*a), NodeIndex::new(*b), k);
                edges.push((*a, *b));
            }
        }
        let adj = (0..n)
            .map(|i| {
                let mut v: Vec<usize> = g.neighbors(NodeIndex::new(i)).map(|x| x.index()).collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        Self { n, adj, edges }
    }

    fn degree(&self, i: usize) -> usize {
        self.adj[i].len()
    }

    /// Breadth-first from the central sites (then from the best
    /// connected site of each part they do not reach): each site's
    /// depth, its parent, the roots, and the order visited.
    fn bfs(&self, t: &Topo) -> (Vec<usize>, Vec<Option<usize>>, Vec<usize>, Vec<usize>) {
        let n = self.n;
        let mut depth = vec![usize::MAX; n];
        let mut parent = vec![None; n];
        let mut roots = Vec::new();
        let mut order = Vec::new();
        let mut queue = VecDeque::new();
        let mut seeds: Vec<usize> = (0..n).filter(|i| t.sites[*i].kind == Kind::Central).collect();
        loop {
            for s in seeds.drain(..) {
                if depth[s] == usize::MAX {
                    depth[s] = 0;
                    roots.push(s);
                    queue.push_back(s);
                }
            }
            while let Some(u) = queue.pop_front() {
                order.push(u);
                for &v in &self.adj[u] {
                    if depth[v] == usize::MAX {
                        depth[v] = depth[u] + 1;
                        parent[v] = Some(u);
                        queue.push_back(v);
                    }
                }
            }
            match (0..n).filter(|i| depth[*i] == usize::MAX).max_by_key(|i| (self.degree(*i), usize::MAX - i)) {
                Some(s) => seeds.push(s),
                None => break,
            }
        }
        (depth, parent, roots, order)
    }
}

/// Centres of the containers: layered from the central sites, each
/// site's branches under it, the trees wrapped into bands when wide.
pub(super) fn layered(g: &SiteGraph, t: &Topo, size: &[(f64, f64)], gx: f64, gy: f64, wrap: f64) -> Vec<Pt> {
    let n = g.n;
    let (depth, parent, roots, order) = g.bfs(t);
    let mut children = vec![Vec::new(); n];
    for &v in &order {
        if let Some(p) = parent[v] {
            children[p].push(v);
        }
    }
    let mut span = vec![0.0f64; n];
    for &v in order.iter().rev() {
        let kids: f64 =
            children[v].iter().map(|c| span[*c]).sum::<f64>() + gx * children[v].len().saturating_sub(1) as f64;
        span[v] = size[v].0.max(kids);
    }
    let area: f64 = size.iter().map(|(w, h)| (w + gx) * (h + gy)).sum();
    let target = (area.sqrt() * wrap).max(roots.iter().map(|r| span[*r]).fold(0.0, f64::max));
    // Roots into bands.
    let mut bands: Vec<Vec<usize>> = vec![vec![]];
    let mut width = 0.0;
    for &r in &roots {
        let band = bands.last_mut().expect("one band at least");
        if !band.is_empty() && width + gx + span[r] > target {
            bands.push(vec![r]);
            width = span[r];
        } else {
            width += if band.is_empty() { span[r] } else { gx + span[r] };
            band.push(r);
        }
    }
    let mut pos = vec![(0.0, 0.0); n];
    let mut top = 0.0;
    for band in &bands {
        // The band's members and the height of each of its layers.
        let mut members = Vec::new();
        let mut stack: Vec<usize> = band.iter().rev().copied().collect();
        while let Some(v) = stack.pop() {
            members.push(v);
            stack.extend(children[v].iter().rev());
        }
        let layers = members.iter().map(|v| depth[*v]).max().map_or(0, |d| d + 1);
        let mut layer_h = vec![0.0f64; layers];
        for v in &members {
            layer_h[depth[*v]] = layer_h[depth[*v]].max(size[*v].1);
        }
        let mut layer_top = vec![top; layers];
        for d in 1..layers {
            layer_top[d] = layer_top[d - 1] + layer_h[d - 1] + gy;
        }
        let mut left = 0.0;
        for &r in band {
            let mut work = vec![(r, left)];
            while let Some((v, l)) = work.pop() {
                pos[v] = (l + span[v] / 2.0, layer_top[depth[v]] + layer_h[depth[v]] / 2.0);
                let kids: f64 =
                    children[v].iter().map(|c| span[*c]).sum::<f64>() + gx * children[v].len().saturating_sub(1) as f64;
                let mut x = l + (span[v] - kids) / 2.0;
                for &c in &children[v] {
                    work.push((c, x));
                    x += span[c] + gx;
                }
            }
            left += span[r] + gx;
        }
        top = layer_top.last().copied().unwrap_or(top) + layer_h.last().copied().unwrap_or(0.0) + gy;
    }
    pos
}

/// Centres of the containers: the best connected site in the middle,
/// the others on a ring around it in the order a walk of its tree takes.
pub(super) fn radial(g: &SiteGraph, t: &Topo, size: &[(f64, f64)], gx: f64, gy: f64) -> Option<Vec<Pt>> {
    let n = g.n;
    if n < 3 {
        return None;
    }
    let hub = (0..n).max_by_key(|i| (g.degree(*i), t.sites[*i].kind == Kind::Central, usize::MAX - i))?;
    if g.degree(hub) < 2 {
        return None;
    }
    // A depth-first walk of the breadth-first tree from the hub.
    let mut parent = vec![None; n];
    let mut seen = vec![false; n];
    seen[hub] = true;
    let mut queue = VecDeque::from([hub]);
    let mut children = vec![Vec::new(); n];
    while let Some(u) = queue.pop_front() {
        for &v in &g.adj[u] {
            if !seen[v] {
                seen[v] = true;
                parent[v] = Some(u);
                children[u].push(v);
                queue.push_back(v);
            }
        }
    }
    let mut ring = Vec::new();
    let mut stack: Vec<usize> = children[hub].iter().rev().copied().collect();
    while let Some(v) = stack.pop() {
        ring.push(v);
        stack.extend(children[v].iter().rev());
    }
    ring.extend((0..n).filter(|i| !seen[*i]));
    let m = ring.len();
    let half_diag = |i: usize| (size[i].0.powi(2) + size[i].1.powi(2)).sqrt() / 2.0;
    let mut angles: Vec<f64> = (0..m).map(|k| std::f64::consts::TAU * k as f64 / m as f64).collect();
    let mut need = vec![0.0; m];
    for _ in 0..3 {
        for (k, &i) in ring.iter().enumerate() {
            let a = angles[k] - std::f64::consts::FRAC_PI_2;
            need[k] = size[i].0 * a.sin().abs() + size[i].1 * a.cos().abs() + gx;
        }
        let total: f64 = need.iter().sum();
        let mut acc = 0.0;
        let first = need[0];
        for (angle, need) in angles.iter_mut().zip(&need) {
            *angle = std::f64::consts::TAU * (acc + need / 2.0 - first / 2.0) / total;
            acc += need;
        }
    }
    let total: f64 = need.iter().sum();
    let ring_max = ring.iter().map(|i| half_diag(*i)).fold(0.0, f64::max);
    let mut r = (total / std::f64::consts::TAU).max(half_diag(hub) + ring_max + gx.max(gy));
    let place = |r: f64| -> Vec<Pt> {
        let mut pos = vec![(0.0, 0.0); n];
        for (k, &i) in ring.iter().enumerate() {
            let a = angles[k] - std::f64::consts::FRAC_PI_2;
            pos[i] = (r * a.cos(), r * a.sin());
        }
        pos
    };
    for _ in 0..40 {
        let pos = place(r);
        let rects: Vec<Rect> = (0..n).map(|i| Rect::centered(pos[i], size[i].0, size[i].1).inflate(gy / 4.0)).collect();
        let clash = (0..n).any(|a| (a + 1..n).any(|b| rects[a].intersects(&rects[b])));
        if !clash {
            return Some(pos);
        }
        r *= 1.12;
    }
    Some(place(r))
}

/// Centres of the containers on a grid, in breadth-first order.
pub(super) fn grid(g: &SiteGraph, t: &Topo, size: &[(f64, f64)], gx: f64, gy: f64) -> Vec<Pt> {
    let (_, _, _, order) = g.bfs(t);
    let cols = (g.n as f64).sqrt().ceil().max(1.0) as usize;
    let cw = size.iter().map(|s| s.0).fold(0.0, f64::max) + gx;
    let ch = size.iter().map(|s| s.1).fold(0.0, f64::max) + gy;
    let mut pos = vec![(0.0, 0.0); g.n];
    for (k, &v) in order.iter().enumerate() {
        pos[v] = ((k % cols) as f64 * cw, (k / cols) as f64 * ch);
    }
    pos
}

/// How good a placement is: links through other containers, then
/// crossings, then its area (a shape far from a slide's is penalized).
pub(super) fn score(g: &SiteGraph, pos: &[Pt], size: &[(f64, f64)]) -> (usize, usize, u64) {
    let rects: Vec<Rect> = (0..g.n).map(|i| Rect::centered(pos[i], size[i].0, size[i].1)).collect();
    let overlaps = (0..g.n).filter(|a| (a + 1..g.n).any(|b| rects[*a].intersects(&rects[b]))).count();
    let mut through = overlaps * 1000;
    for &(a, b) in &g.edges {
        through +=
            (0..g.n).filter(|k| *k != a && *k != b && segment_hits(pos[a], pos[b], &rects[*k].inflate(8.0))).count();
    }
    let mut crossings = 0;
    for (i, &(a, b)) in g.edges.iter().enumerate() {
        for &(c, d) in &g.edges[i + 1..] {
            if a != c && a != d && b != c && b != d && segments_cross(pos[a], pos[b], pos[c], pos[d]) {
                crossings += 1;
            }
        }
    }
    let bbox = rects
        .iter()
        .skip(1)
        .fold(rects.first().copied().unwrap_or(Rect { x: 0.0, y: 0.0, w: 1.0, h: 1.0 }), |u, r| u.union(r));
    let aspect = (bbox.w / bbox.h.max(1.0)).max(bbox.h / bbox.w.max(1.0));
    let cost = bbox.w * bbox.h * (1.0 + (aspect - 1.8).max(0.0));
    (through, crossings, cost as u64)
}

/// The layout of the network: the containers placed, then the links and
/// their labels; when a label finds no free place, again with more room.
pub fn layout(t: &Topo) -> Layout {
    let mut spacing = 1.0;
    let mut last = None;
    for _ in 0..4 {
        let (l, placed) = layout_with(t, spacing);
        if placed {
            return l;
        }
        last = Some(l);
        spacing *= 1.5;
    }
    last.expect("tried at least once")
}

pub(super) fn layout_with(t: &Topo, spacing: f64) -> (Layout, bool) {
    let n = t.sites.len();
    let inners: Vec<Inner> = (0..n).map(|s| inner(t, s)).collect();
    let size: Vec<(f64, f64)> = inners.iter().map(|i| (i.w, i.h)).collect();
    let label_sizes: Vec<(f64, f64)> = t.links.iter().map(|l| label_size(&l.2)).collect();
    let max_label = label_sizes.iter().fold((0.0f64, 0.0f64), |m, s| (m.0.max(s.0), m.1.max(s.1)));
    let gx = (max_label.0 + 48.0).max(80.0) * spacing;
    let gy = (max_label.1 * 2.0 + 56.0).max(90.0) * spacing;
    let g = SiteGraph::new(t);
    let mut candidates: Vec<Vec<Pt>> =
        [f64::INFINITY, 2.5, 1.5].iter().map(|w| layered(&g, t, &size, gx, gy, *w)).collect();
    candidates.extend(radial(&g, t, &size, gx, gy));
    candidates.push(grid(&g, t, &size, gx, gy));
    if t.by_group.is_some() {
        candidates.extend(super::ring::ring(&g, &size, gx, gy));
        candidates.push(super::packed::packed(&g, &size, gx, gy));
    }
    let best =
        candidates.iter().map(|c| score(&g, c, &size)).enumerate().min_by_key(|(k, s)| (*s, *k)).map_or(0, |(k, _)| k);
    let pos = &candidates[best];
    let sites: Vec<Rect> = (0..n).map(|i| Rect::centered(pos[i], size[i].0, size[i].1)).collect();
    let zero = Rect { x: 0.0, y: 0.0, w: 0.0, h: 0.0 };
    let mut pools = vec![zero; t.pools.len()];
    let mut peers = vec![zero; t.peers.len()];
    for (s, inner) in inners.iter().enumerate() {
        for (p, r) in &inner.pools {
            pools[*p] = r.moved(sites[s].x, sites[s].y);
        }
        for (p, r) in &inner.peers {
            peers[*p] = r.moved(sites[s].x, sites[s].y);
        }
    }
    // WAN links, parallel ones side by side, from border to border.
    let mut links = Vec::with_capacity(t.links.len());
    for (k, (a, b, _)) in t.links.iter().enumerate() {
        let (a, b) = (*a, *b);
        if a >= n || b >= n || a == b {
            let c = sites.get(a.min(n.saturating_sub(1))).map_or((0.0, 0.0), |r| (r.x + r.w, r.y));
            links.push((c, c));
            continue;
        }
        let same: Vec<usize> = (0..t.links.len())
            .filter(|j| {
                let (c, d, _) = &t.links[*j];
                (*c == a && *d == b) || (*c == b && *d == a)
            })
            .collect();
        let rank = same.iter().position(|j| *j == k).unwrap_or(0) as f64;
        let off = (rank - (same.len() as f64 - 1.0) / 2.0) * 16.0;
        let (p, q) = (sites[a].center(), sites[b].center());
        let len = ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt().max(1e-9);
        // The same side for both directions: the normal of the lower-index site's direction.
        let sign = if a < b { 1.0 } else { -1.0 };
        let nrm = (-(q.1 - p.1) / len * sign, (q.0 - p.0) / len * sign);
        let (p, q) = ((p.0 + nrm.0 * off, p.1 + nrm.1 * off), (q.0 + nrm.0 * off, q.1 + nrm.1 * off));
        let t0 = clip(p, q, &sites[a]).map_or(0.0, |c| c.1);
        let t1 = clip(p, q, &sites[b]).map_or(1.0, |c| c.0);
        links.push(if t0 < t1 { (at(p, q, t0), at(p, q, t1)) } else { (p, q) });
    }
    // Trunks: from the pool's box to the peer's; to another site out of
    // the pool's container on its left (pools are the left column) and
    // into the peer's on its right, when that site is to the left.
    let mut trunks: Vec<Vec<Pt>> = Vec::with_capacity(t.trunks.len());
    let mut cross_site: Vec<(Pt, Pt)> = Vec::new();
    for &(pool, peer) in &t.trunks {
        let (Some(a), Some(b)) = (pools.get(pool), peers.get(peer)) else {
            trunks.push(vec![]);
            continue;
        };
        let (sa, sb) = (t.pools[pool].site, t.peers[peer].site);
        let path = if sa == sb && a.x + a.w <= b.x {
            vec![(a.x + a.w, a.y + a.h / 2.0), (b.x, b.y + b.h / 2.0)]
        } else if sa != sb && sites[sb].x + sites[sb].w + 20.0 < sites[sa].x {
            let (ya, yb) = (a.y + a.h / 2.0, b.y + b.h / 2.0);
            vec![(a.x, ya), (sites[sa].x, ya), (sites[sb].x + sites[sb].w, yb), (b.x + b.w, yb)]
        } else {
            let (p, q) = (a.center(), b.center());
            let t0 = clip(p, q, a).map_or(0.0, |c| c.1);
            let t1 = clip(p, q, b).map_or(1.0, |c| c.0);
            if t0 < t1 {
                vec![at(p, q, t0), at(p, q, t1)]
            } else {
                vec![p, q]
            }
        };
        if sa != sb {
            cross_site.extend(path.windows(2).map(|w| (w[0], w[1])));
        }
        trunks.push(path);
    }
    // Labels: near the middle of their link, clear of every line, box and label.
    let mut labels: Vec<Rect> = Vec::with_capacity(t.links.len());
    let mut placed_all = true;
    for (k, seg) in links.iter().enumerate() {
        let (w, h) = label_sizes[k];
        let free = |r: &Rect, labels: &[Rect]| {
            let grown = r.inflate(4.0);
            !links.iter().any(|(a, b)| segment_hits(*a, *b, &grown))
                && !cross_site.iter().any(|(a, b)| segment_hits(*a, *b, &grown))
                && !sites.iter().any(|s| s.intersects(&grown))
                && !labels.iter().any(|l| l.intersects(&grown))
        };
        let (a, b) = *seg;
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let nrm = if len > 1e-9 { (-(b.1 - a.1) / len, (b.0 - a.0) / len) } else { (0.0, -1.0) };
        let reach = nrm.0.abs() * w / 2.0 + nrm.1.abs() * h / 2.0;
        // Of the free places beside the link, the one whose own link is
        // the nearest by the widest margin (so that it reads as that
        // link's), the middle and the line's side first among equals.
        let margin = |r: &Rect| {
            let c = r.center();
            let d = distance(c, a, b);
            let other = links
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .map(|(_, (p, q))| distance(c, *p, *q))
                .fold(f64::INFINITY, f64::min);
            (other - d).min(160.0)
        };
        let mut spot: Option<(f64, Rect)> = None;
        for (order, tt) in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8].into_iter().enumerate() {
            let c = at(a, b, tt);
            for (step, extra) in [6.0, 18.0, 34.0].into_iter().enumerate() {
                for side in [1.0, -1.0] {
                    let d = reach + extra;
                    let r = Rect::centered((c.0 + side * nrm.0 * d, c.1 + side * nrm.1 * d), w, h);
                    if free(&r, &labels) {
                        let value = margin(&r) - 12.0 * order as f64 - 8.0 * step as f64;
                        if spot.is_none_or(|(best, _)| value > best) {
                            spot = Some((value, r));
                        }
                    }
                }
            }
        }
        let mut spot = spot.map(|(_, r)| r);
        if spot.is_none() {
            let c = at(a, b, 0.5);
            'spiral: for ring in 1..=14 {
                let d = 14.0 * ring as f64;
                for step in 0..24 {
                    let ang = std::f64::consts::TAU * step as f64 / 24.0;
                    let r = Rect::centered((c.0 + d * ang.cos(), c.1 + d * ang.sin()), w, h);
                    if free(&r, &labels) {
                        spot = Some(r);
                        break 'spiral;
                    }
                }
            }
        }
        labels.push(spot.unwrap_or_else(|| {
            placed_all = false;
            Rect::centered(at(a, b, 0.5), w, h)
        }));
    }
    // Everything moved below the title, then the legend under it.
    let mut bbox = sites.first().copied().unwrap_or(Rect { x: 0.0, y: 0.0, w: 300.0, h: 60.0 });
    for r in sites.iter().chain(&labels) {
        bbox = bbox.union(r);
    }
    let (dx, dy) = (MARGIN - bbox.x, TITLE_H - bbox.y);
    let content_w = bbox.w + 2.0 * MARGIN;
    let title_w = text_width(&t.title, 20.0, true).max(text_width(&t.subtitle, 13.0, false)) + 2.0 * MARGIN;
    let width = content_w.max(title_w).max(720.0).ceil();
    // Centre narrow content.
    let dx = dx + (width - content_w) / 2.0;
    let mv_r = |r: &Rect| r.moved(dx, dy);
    let mv = |p: Pt| (p.0 + dx, p.1 + dy);
    let legend_top = TITLE_H + bbox.h + 28.0;
    let mut legend = Vec::new();
    let (mut x, mut y) = (MARGIN, legend_top);
    for k in (0..LEGEND.len()).filter(|k| shown(t, *k)) {
        let text = legend_text(t, k);
        let item = 40.0 + text_width(text, 12.0, false) + 24.0;
        if x > MARGIN && x + item > width - MARGIN {
            x = MARGIN;
            y += 26.0;
        }
        legend.push((k, Rect { x, y, w: 30.0, h: 18.0 }, (x + 38.0, y + 13.5)));
        x += item;
    }
    let height = (y + 18.0 + MARGIN).ceil();
    let layout = Layout {
        width,
        height,
        sites: sites.iter().map(mv_r).collect(),
        pools: pools.iter().map(mv_r).collect(),
        peers: peers.iter().map(mv_r).collect(),
        links: links.iter().map(|(a, b)| (mv(*a), mv(*b))).collect(),
        labels: labels.iter().map(mv_r).collect(),
        trunks: trunks.iter().map(|p| p.iter().map(|q| mv(*q)).collect()).collect(),
        legend,
    };
    (layout, placed_all)
}

/// Whether the network has what item `k` of [`LEGEND`] explains: a
/// legend naming an ITSP to a network without one misleads.
pub(super) fn shown(t: &Topo, k: usize) -> bool {
    let has = |kind: Kind| t.peers.iter().any(|p| p.kind == kind);
    let across = |(pool, peer): &(usize, usize)| t.pools[*pool].site != t.peers[*peer].site;
    match k {
        0 => !t.sites.is_empty(),
        1 => !t.pools.is_empty(),
        2 => has(Kind::Gateway),
        3 => has(Kind::IpPbx),
        4 => has(Kind::Itsp),
        5 => !t.links.is_empty(),
        6 => t.trunks.iter().any(|tr| !across(tr)),
        _ => t.trunks.iter().any(across),
    }
}

/// What item `k` of the legend says of `t`: a node of a network drawn
/// by group is a group, a line between two all the WAN links between them.
pub fn legend_text(t: &Topo, k: usize) -> &'static str {
    match (t.by_group, k) {
        (Some(node), 0) => node,
        (Some(_), 5) => "WAN links between two groups: count · bandwidth",
        _ => LEGEND[k],
    }
}

/// What the legend says, one item each: site, pool, gateway, IP-PBX,
/// ITSP, WAN link, trunk, trunk to another site.
pub(super) const LEGEND: [&str; 8] = [
    "site: name, central or branch, users",
    "Mediation pool: servers",
    "PSTN gateway: spans, channels",
    "IP-PBX (Direct SIP): sessions",
    "ITSP (SIP trunk): sessions",
    "WAN link: bandwidth · one-way delay · loss",
    "trunk, Mediation pool to peer",
    "trunk to a peer at another site",
];
