//! The network drawn for a design review: each site a container (its
//! name, kind and users) holding its Mediation pools and its peers
//! (gateways, IP-PBXs, ITSPs) as boxes with their capacity, trunks as
//! lines from pool to peer, WAN links between the containers labelled
//! with their bandwidth, delay and loss.
//!
//! The layout ([`layout`]) is a pure function of the network, apart from
//! the drawing ([`draw`]), so that it is tested: no two containers
//! overlap, every box lies in its site's container, no WAN link passes
//! through a container other than its ends, no label touches a line or
//! another label. Several deterministic candidate placements of the site
//! graph (layered from the central sites, radial around the hub, a grid)
//! are scored and the one with the fewest links through containers, then
//! the fewest crossings, then the most compact, is kept: the same network
//! gives the same SVG, byte for byte.

use std::collections::VecDeque;
use std::fmt::Write;

use petgraph::graph::{NodeIndex, UnGraph};
use plotters::style::RGBColor;

use super::COLORS;
use crate::analysis::schema::network::Network;

/// Estimated advance of a character of DejaVu Sans, as a share of the
/// font size (its mean advance is about 0.6; a little more for margin).
const CHAR: f64 = 0.63;
/// The same for DejaVu Sans Bold.
const BOLD: f64 = 0.7;

const SITE_FONT: f64 = 15.0;
const DETAIL_FONT: f64 = 12.0;
const BOX_FONT: f64 = 12.0;
const BOX_DETAIL_FONT: f64 = 11.0;
const LABEL_FONT: f64 = 12.0;
const LABEL_LINE: f64 = 15.0;
const PAD: f64 = 12.0;
const BOX_H: f64 = 40.0;
const BOX_GAP: f64 = 10.0;
/// Room between the pools' column and the peers' for the trunks.
const TRUNK_GAP: f64 = 56.0;
const MARGIN: f64 = 24.0;
const TITLE_H: f64 = 64.0;

/// The estimated width of `text` set at `size`.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    text.chars().count() as f64 * size * if bold { BOLD } else { CHAR }
}

/// What a node of the drawing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Central,
    Branch,
    Pool,
    Gateway,
    IpPbx,
    Itsp,
}

/// A site, Mediation pool or peer: its name, the lines under it, its
/// site (its own index for a site).
#[derive(Debug, Clone)]
pub struct Node {
    pub label: String,
    pub detail: Vec<String>,
    pub kind: Kind,
    pub site: usize,
}

/// The network as drawn.
#[derive(Debug, Clone, Default)]
pub struct Topo {
    pub title: String,
    pub subtitle: String,
    pub sites: Vec<Node>,
    pub pools: Vec<Node>,
    pub peers: Vec<Node>,
    /// WAN links: their two sites and their label's lines.
    pub links: Vec<(usize, usize, Vec<String>)>,
    /// Trunks: Mediation pool and peer.
    pub trunks: Vec<(usize, usize)>,
}

/// A point of the drawing.
pub type Pt = (f64, f64);

/// An axis-aligned rectangle: its top left corner and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    fn centered((cx, cy): Pt, w: f64, h: f64) -> Rect {
        Rect { x: cx - w / 2.0, y: cy - h / 2.0, w, h }
    }
    pub fn center(&self) -> Pt {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
    /// Whether the two overlap (touching edges do not).
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
    #[cfg(test)]
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.x + o.w <= self.x + self.w && o.y + o.h <= self.y + self.h
    }
    pub fn inflate(&self, d: f64) -> Rect {
        Rect { x: self.x - d, y: self.y - d, w: self.w + 2.0 * d, h: self.h + 2.0 * d }
    }
    fn moved(&self, dx: f64, dy: f64) -> Rect {
        Rect { x: self.x + dx, y: self.y + dy, ..*self }
    }
    fn union(&self, o: &Rect) -> Rect {
        let (x, y) = (self.x.min(o.x), self.y.min(o.y));
        Rect { x, y, w: (self.x + self.w).max(o.x + o.w) - x, h: (self.y + self.h).max(o.y + o.h) - y }
    }
}

/// The part `[t0, t1]` of segment a→b inside `r` (Liang–Barsky), if any.
fn clip(a: Pt, b: Pt, r: &Rect) -> Option<(f64, f64)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0 - r.x), (dx, r.x + r.w - a.0), (-dy, a.1 - r.y), (dy, r.y + r.h - a.1)] {
        if p.abs() < 1e-12 {
            if q < 0.0 {
                return None;
            }
            continue;
        }
        let t = q / p;
        if p < 0.0 {
            t0 = t0.max(t);
        } else {
            t1 = t1.min(t);
        }
        if t0 > t1 {
            return None;
        }
    }
    Some((t0, t1))
}

/// Whether segment a→b passes through `r` (more than grazing a corner).
pub fn segment_hits(a: Pt, b: Pt, r: &Rect) -> bool {
    let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
    match clip(a, b, r) {
        Some((t0, t1)) => len < 1e-9 || (t1 - t0) * len > 1e-6,
        None => false,
    }
}

/// Whether two segments cross (a shared end is no crossing).
pub fn segments_cross(a: Pt, b: Pt, c: Pt, d: Pt) -> bool {
    let o = |p: Pt, q: Pt, r: Pt| (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0);
    let (d1, d2, d3, d4) = (o(a, b, c), o(a, b, d), o(c, d, a), o(c, d, b));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// The distance from `p` to segment a→b.
fn distance(p: Pt, a: Pt, b: Pt) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 < 1e-12 { 0.0 } else { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0) };
    let q = at(a, b, t);
    ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()
}

fn at(a: Pt, b: Pt, t: f64) -> Pt {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

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
struct Inner {
    w: f64,
    h: f64,
    pools: Vec<(usize, Rect)>,
    peers: Vec<(usize, Rect)>,
}

fn box_width(n: &Node) -> f64 {
    let detail = n.detail.iter().map(|d| text_width(d, BOX_DETAIL_FONT, false)).fold(0.0, f64::max);
    (text_width(&n.label, BOX_FONT, true).max(detail) + 16.0).max(90.0)
}

fn header_height(site: &Node) -> f64 {
    PAD + 18.0 + 15.0 * site.detail.len() as f64 + 8.0
}

/// A site's container: the header, the pools' column, then the peers'
/// in the order of the pools they trunk with (fewer trunks cross).
fn inner(t: &Topo, s: usize) -> Inner {
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
fn label_size(lines: &[String]) -> (f64, f64) {
    let w = lines.iter().map(|l| text_width(l, LABEL_FONT, false)).fold(0.0, f64::max);
    (w + 8.0, LABEL_LINE * lines.len().max(1) as f64 + 4.0)
}

/// The site graph: petgraph's, each site's neighbours sorted.
struct SiteGraph {
    n: usize,
    adj: Vec<Vec<usize>>,
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
fn layered(g: &SiteGraph, t: &Topo, size: &[(f64, f64)], gx: f64, gy: f64, wrap: f64) -> Vec<Pt> {
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
fn radial(g: &SiteGraph, t: &Topo, size: &[(f64, f64)], gx: f64, gy: f64) -> Option<Vec<Pt>> {
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
fn grid(g: &SiteGraph, t: &Topo, size: &[(f64, f64)], gx: f64, gy: f64) -> Vec<Pt> {
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
fn score(g: &SiteGraph, pos: &[Pt], size: &[(f64, f64)]) -> (usize, usize, u64) {
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

fn layout_with(t: &Topo, spacing: f64) -> (Layout, bool) {
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
    for (k, text) in LEGEND.iter().enumerate().filter(|(k, _)| shown(t, *k)) {
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
fn shown(t: &Topo, k: usize) -> bool {
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

/// What the legend says, one item each: site, pool, gateway, IP-PBX,
/// ITSP, WAN link, trunk, trunk to another site.
const LEGEND: [&str; 8] = [
    "site: name, central or branch, users",
    "Mediation pool: servers",
    "PSTN gateway: spans, channels",
    "IP-PBX (Direct SIP): sessions",
    "ITSP (SIP trunk): sessions",
    "WAN link: bandwidth · one-way delay · loss",
    "trunk, Mediation pool to peer",
    "trunk to a peer at another site",
];

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// `c` mixed with white: `f` of the colour.
fn tint(c: RGBColor, f: f64) -> String {
    let m = |v: u8| (255.0 - (255.0 - f64::from(v)) * f).round() as u8;
    hex(RGBColor(m(c.0), m(c.1), m(c.2)))
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Stroke and fill of a kind of node.
fn colours(kind: Kind) -> (String, String) {
    let c = match kind {
        Kind::Central => RGBColor(52, 90, 140),
        Kind::Branch => RGBColor(110, 120, 130),
        Kind::Pool => COLORS[2],
        Kind::Gateway => COLORS[1],
        Kind::IpPbx => COLORS[4],
        Kind::Itsp => COLORS[9],
    };
    let fill = match kind {
        Kind::Central => tint(c, 0.09),
        Kind::Branch => tint(c, 0.06),
        _ => tint(c, 0.16),
    };
    (hex(c), fill)
}

fn f(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn text(svg: &mut String, (x, y): Pt, size: f64, bold: bool, anchor: &str, fill: &str, s: &str) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let _ = writeln!(
        svg,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{weight} text-anchor=\"{anchor}\" fill=\"{fill}\">{}</text>",
        f(x),
        f(y),
        f(size),
        esc(s)
    );
}

fn line(svg: &mut String, a: Pt, b: Pt, stroke: &str, width: f64, dash: Option<&str>) {
    let dash = dash.map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default();
    let _ = writeln!(
        svg,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\" stroke-linecap=\"round\"{dash}/>",
        f(a.0),
        f(a.1),
        f(b.0),
        f(b.1),
        f(width)
    );
}

fn rect(svg: &mut String, r: &Rect, radius: f64, stroke: &str, fill: &str, width: f64) {
    let _ = writeln!(
        svg,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
        f(r.x),
        f(r.y),
        f(r.w),
        f(r.h),
        f(radius),
        f(width)
    );
}

const WAN: &str = "#303030";
const TRUNK: &str = "#5a5a5a";

/// The SVG of a network laid out.
pub fn draw(t: &Topo, l: &Layout) -> String {
    let mut svg = String::with_capacity(16 * 1024);
    let _ = writeln!(
        svg,
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"DejaVu Sans, sans-serif\">",
        w = l.width,
        h = l.height
    );
    let _ = writeln!(svg, "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>", l.width, l.height);
    text(&mut svg, (MARGIN, 30.0), 20.0, true, "start", "#111111", &t.title);
    text(&mut svg, (MARGIN, 50.0), 13.0, false, "start", "#555555", &t.subtitle);
    // WAN links under the containers (they end at the borders anyway).
    for (a, b) in &l.links {
        line(&mut svg, *a, *b, WAN, 3.0, None);
    }
    for (s, r) in t.sites.iter().zip(&l.sites) {
        let (stroke, fill) = colours(s.kind);
        rect(&mut svg, r, 12.0, &stroke, &fill, if s.kind == Kind::Central { 2.2 } else { 1.4 });
        let cx = r.x + r.w / 2.0;
        text(&mut svg, (cx, r.y + PAD + 14.0), SITE_FONT, true, "middle", "#111111", &s.label);
        for (k, d) in s.detail.iter().enumerate() {
            text(&mut svg, (cx, r.y + PAD + 31.0 + 15.0 * k as f64), DETAIL_FONT, false, "middle", "#444444", d);
        }
    }
    // Trunks: within a site solid, to another site dashed, over the containers, under the boxes.
    for ((pool, peer), path) in t.trunks.iter().zip(&l.trunks) {
        let cross = t.pools.get(*pool).map(|p| p.site) != t.peers.get(*peer).map(|p| p.site);
        if path.len() >= 2 {
            let points: Vec<String> = path.iter().map(|p| format!("{},{}", f(p.0), f(p.1))).collect();
            let dash = if cross { " stroke-dasharray=\"6 4\"" } else { "" };
            let _ = writeln!(
                svg,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{TRUNK}\" stroke-width=\"1.4\" stroke-linejoin=\"round\"{dash}/>",
                points.join(" ")
            );
        }
    }
    for (n, r) in t.pools.iter().zip(&l.pools).chain(t.peers.iter().zip(&l.peers)) {
        let (stroke, fill) = colours(n.kind);
        rect(&mut svg, r, 5.0, &stroke, &fill, 1.4);
        let cx = r.x + r.w / 2.0;
        text(&mut svg, (cx, r.y + 17.0), BOX_FONT, true, "middle", "#111111", &n.label);
        for (k, d) in n.detail.iter().enumerate() {
            text(&mut svg, (cx, r.y + 33.0 + 14.0 * k as f64), BOX_DETAIL_FONT, false, "middle", "#333333", d);
        }
    }
    for ((_, _, lines), r) in t.links.iter().zip(&l.labels) {
        let _ = writeln!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>",
            f(r.x),
            f(r.y),
            f(r.w),
            f(r.h)
        );
        for (k, s) in lines.iter().enumerate() {
            let y = r.y + 2.0 + LABEL_LINE * k as f64 + 12.0;
            text(&mut svg, (r.x + r.w / 2.0, y), LABEL_FONT, false, "middle", "#111111", s);
        }
    }
    // The legend.
    for &(k, ref r, at) in &l.legend {
        let mid = r.y + r.h / 2.0;
        match k {
            0 => {
                let (s, fl) = colours(Kind::Central);
                rect(&mut svg, r, 5.0, &s, &fl, 1.6);
            }
            1..=4 => {
                let kind = [Kind::Pool, Kind::Gateway, Kind::IpPbx, Kind::Itsp][k - 1];
                let (s, fl) = colours(kind);
                rect(&mut svg, &Rect { x: r.x, y: r.y + 2.0, w: r.w, h: r.h - 4.0 }, 3.0, &s, &fl, 1.4);
            }
            5 => line(&mut svg, (r.x, mid), (r.x + r.w, mid), WAN, 3.0, None),
            6 => line(&mut svg, (r.x, mid), (r.x + r.w, mid), TRUNK, 1.4, None),
            _ => line(&mut svg, (r.x, mid), (r.x + r.w, mid), TRUNK, 1.4, Some("6 4")),
        }
        text(&mut svg, (at.0, at.1), 12.0, false, "start", "#222222", LEGEND[k]);
    }
    svg.push_str("</svg>\n");
    svg
}

/// A number with thousands separated: 4,020.
fn thousands(v: u64) -> String {
    let s = v.to_string();
    let mut o = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            o.push(',');
        }
        o.push(c);
    }
    o
}

/// A bandwidth in buyer's units: 512 kbps, 1.5 Mbps, 20 Mbps.
pub fn bandwidth(kbps: u32) -> String {
    if kbps < 1000 {
        format!("{kbps} kbps")
    } else if kbps % 1000 == 0 {
        format!("{} Mbps", kbps / 1000)
    } else {
        let m = f64::from(kbps) / 1000.0;
        let s = format!("{m:.3}");
        format!("{} Mbps", s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// A figure in its shortest form: 35, 2.5, 0.05.
fn short(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A WAN link's label: bandwidth, one-way delay, loss; its CAC limit.
pub fn link_label(l: &crate::analysis::schema::network::NetworkLink) -> Vec<String> {
    let mut first = bandwidth(l.bandwidth_kbps);
    if let Some(d) = l.one_way_delay_ms {
        let _ = write!(first, " · {} ms", short(d));
    }
    if let Some(p) = l.loss_percent {
        let _ = write!(first, " · {}%", short(p));
    }
    let mut lines = vec![first];
    if let Some(c) = l.cac_audio_limit_kbps {
        lines.push(format!("CAC audio {}", bandwidth(c)));
    }
    lines
}

/// What a peer takes, in the units it is bought in.
pub fn capacity(p: &crate::analysis::schema::network::NetworkPeer, known: bool) -> String {
    match p.kind.as_str() {
        "pstn-gateway" => match (p.spans, p.span_kind.as_deref(), p.channels) {
            (Some(1), Some(k), Some(c)) => format!("{k} · {c} ch"),
            (Some(n), Some(k), Some(c)) => format!("{n} {k} · {c} ch"),
            (_, _, Some(c)) => format!("{c} ch"),
            _ => "PSTN gateway".into(),
        },
        _ if !known => "SIP".into(),
        _ => match p.session_limit {
            Some(s) => format!("SIP · {s} sessions"),
            None => "SIP · unlimited".into(),
        },
    }
}

/// The drawing of a network.json; an error names a reference to nothing.
pub fn of(n: &Network) -> Result<Topo, String> {
    let site = |name: &str| {
        n.sites.iter().position(|s| s.name == name).ok_or_else(|| format!("`{name}` is not among its sites"))
    };
    // Files written before the capacities had none of them.
    let known = n.mediation_pools.iter().any(|p| p.servers.is_some())
        || n.peers.iter().any(|p| p.channels.is_some() || p.session_limit.is_some());
    let sites = n
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut first = s.kind.clone();
            if s.users > 0 {
                let _ = write!(first, " · {} users", thousands(s.users));
            }
            let mut detail = vec![first];
            if let Some(c) = s.cac_audio_limit_kbps {
                detail.push(format!("CAC audio {}", bandwidth(c)));
            }
            Node {
                label: s.name.clone(),
                detail,
                kind: if s.kind == "central" { Kind::Central } else { Kind::Branch },
                site: i,
            }
        })
        .collect();
    let mut pools = Vec::new();
    for p in &n.mediation_pools {
        let label = p.fqdn.split('.').next().filter(|s| !s.is_empty()).unwrap_or(&p.fqdn).to_owned();
        let what = if p.kind.as_deref() == Some("collocated") { "collocated" } else { "Mediation" };
        let detail = match p.servers {
            Some(1) => format!("{what} · 1 server"),
            Some(s) => format!("{what} · {s} servers"),
            None => "Mediation pool".into(),
        };
        pools.push(Node { label, detail: vec![detail], kind: Kind::Pool, site: site(&p.site)? });
    }
    let mut peers = Vec::new();
    for p in &n.peers {
        let kind = match p.kind.as_str() {
            "ip-pbx" => Kind::IpPbx,
            "itsp-sbc" => Kind::Itsp,
            _ => Kind::Gateway,
        };
        peers.push(Node { label: p.name.clone(), detail: vec![capacity(p, known)], kind, site: site(&p.site)? });
    }
    let mut links = Vec::new();
    for l in &n.links {
        links.push((site(&l.sites[0])?, site(&l.sites[1])?, link_label(l)));
    }
    let mut trunks = Vec::new();
    for t in &n.trunks {
        let pool = n.mediation_pools.iter().position(|p| p.fqdn == t.mediation_pool).ok_or_else(|| {
            format!("trunk `{}` names Mediation pool `{}`, not among its pools", t.name, t.mediation_pool)
        })?;
        let peer = n
            .peers
            .iter()
            .position(|p| p.name == t.peer)
            .ok_or_else(|| format!("a trunk names peer `{}`, not among its peers", t.peer))?;
        trunks.push((pool, peer));
    }
    let count = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    let subtitle = [
        count(n.sites.len(), "site", "sites"),
        count(n.links.len(), "WAN link", "WAN links"),
        count(n.mediation_pools.len(), "Mediation pool", "Mediation pools"),
        count(n.peers.len(), "peer", "peers"),
        count(n.trunks.len(), "trunk", "trunks"),
    ]
    .join(" · ");
    Ok(Topo { title: format!("Topology: {}", n.name), subtitle, sites, pools, peers, links, trunks })
}

/// The topology chart of a network.json.
pub fn topology(n: &Network) -> Result<String, String> {
    let t = of(n)?;
    Ok(draw(&t, &layout(&t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::schema::network::Network;
    use crate::model::Model;

    /// Contoso's network.json, as a run writes it and the report reads it.
    fn contoso() -> Topo {
        let json = serde_json::to_string(&Network::of(&Model::contoso())).unwrap();
        of(&serde_json::from_str::<Network>(&json).unwrap()).unwrap()
    }

    fn node(label: &str, kind: Kind, site: usize, detail: &str) -> Node {
        Node { label: label.into(), detail: vec![detail.into()], kind, site }
    }

    /// `sites` sites (site 0 central), each with a Mediation pool and a
    /// gateway (every third also an ITSP), joined by `links`.
    fn synthetic(sites: usize, links: &[(usize, usize)]) -> Topo {
        let mut t = Topo { title: "Topology: synthetic".into(), ..Topo::default() };
        for s in 0..sites {
            let kind = if s == 0 { Kind::Central } else { Kind::Branch };
            t.sites.push(node(&format!("site-{s}"), kind, s, "branch · 120 users"));
            t.pools.push(node(&format!("med-{s}"), Kind::Pool, s, "Mediation · 2 servers"));
            t.peers.push(node(&format!("gw-{s}"), Kind::Gateway, s, "2 E1 · 60 ch"));
            t.trunks.push((s, t.peers.len() - 1));
            if s % 3 == 0 {
                t.peers.push(node(&format!("itsp-{s}"), Kind::Itsp, s, "SIP · 100 sessions"));
                t.trunks.push((s, t.peers.len() - 1));
            }
        }
        for (k, (a, b)) in links.iter().enumerate() {
            let label = vec![format!("{} Mbps · {} ms · 0.5%", 10 + k % 3 * 10, 20 + k % 5)];
            t.links.push((*a, *b, label));
        }
        t
    }

    /// The width DejaVu Sans takes, as a reviewer measures it: 0.6 × the
    /// font size a character.
    fn measured(line: &str, size: f64) -> f64 {
        0.6 * size * line.chars().count() as f64
    }

    fn segments(l: &Layout) -> Vec<(Pt, Pt)> {
        let mut all = l.links.clone();
        for p in &l.trunks {
            all.extend(p.windows(2).map(|w| (w[0], w[1])));
        }
        all
    }

    fn crossings(t: &Topo, l: &Layout) -> usize {
        let mut c = 0;
        for (i, (p, s)) in t.links.iter().zip(&l.links).enumerate() {
            for (q, u) in t.links.iter().zip(&l.links).skip(i + 1) {
                let shared = p.0 == q.0 || p.0 == q.1 || p.1 == q.0 || p.1 == q.1;
                if !shared && segments_cross(s.0, s.1, u.0, u.1) {
                    c += 1;
                }
            }
        }
        c
    }

    /// What every layout must hold.
    fn check(t: &Topo, l: &Layout) {
        let canvas = Rect { x: 0.0, y: 0.0, w: l.width, h: l.height };
        for (i, a) in l.sites.iter().enumerate() {
            assert!(canvas.contains(a), "{} off the canvas", t.sites[i].label);
            for (j, b) in l.sites.iter().enumerate().skip(i + 1) {
                assert!(!a.intersects(b), "{} overlaps {}", t.sites[i].label, t.sites[j].label);
            }
            // The header fits its container.
            let s = &t.sites[i];
            assert!(measured(&s.label, SITE_FONT) < a.w && s.detail.iter().all(|d| measured(d, DETAIL_FONT) < a.w));
        }
        let boxes: Vec<(&Node, &Rect)> = t.pools.iter().zip(&l.pools).chain(t.peers.iter().zip(&l.peers)).collect();
        for (k, (n, r)) in boxes.iter().enumerate() {
            assert!(l.sites[n.site].contains(r), "{} outside {}", n.label, t.sites[n.site].label);
            assert!(measured(&n.label, BOX_FONT) < r.w, "{} wider than its box", n.label);
            for (m, q) in &boxes[k + 1..] {
                assert!(!r.intersects(q), "{} overlaps {}", n.label, m.label);
            }
        }
        for (k, (a, b, _)) in t.links.iter().enumerate() {
            let (p, q) = l.links[k];
            for (s, r) in l.sites.iter().enumerate() {
                if s != *a && s != *b {
                    assert!(!segment_hits(p, q, r), "link {k} passes through {}", t.sites[s].label);
                }
            }
        }
        let lines = segments(l);
        for (k, r) in l.labels.iter().enumerate() {
            let text = &t.links[k].2;
            let w = text.iter().map(|s| measured(s, LABEL_FONT)).fold(0.0, f64::max);
            assert!(r.w >= w && r.h >= LABEL_FONT * text.len() as f64, "label {k} smaller than its text");
            assert!(canvas.contains(r), "label {k} off the canvas");
            for (a, b) in &lines {
                assert!(!segment_hits(*a, *b, r), "a line cuts label {:?}", text);
            }
            for (j, o) in l.labels.iter().enumerate() {
                assert!(j == k || !r.intersects(o), "labels {k} and {j} overlap");
            }
            for o in l.sites.iter().chain(&l.pools).chain(&l.peers) {
                assert!(!r.intersects(o), "label {:?} on a container or box", text);
            }
        }
        let legend_top = l.legend.iter().map(|(_, r, _)| r.y).fold(f64::INFINITY, f64::min);
        assert!(l.sites.iter().chain(&l.labels).all(|r| r.y + r.h < legend_top), "the legend under the drawing");
    }

    #[test]
    fn contoso_reads_as_its_network_without_crossings() {
        let t = contoso();
        let l = layout(&t);
        check(&t, &l);
        assert_eq!(crossings(&t, &l), 0);
        assert!(l.width <= 1600.0 && l.height <= 1400.0, "{} x {}", l.width, l.height);
        let label = |name: &str| t.sites.iter().position(|s| s.label == name).unwrap();
        assert_eq!(t.sites[label("Redmond")].detail, ["central · 4,020 users"]);
        assert_eq!(t.sites[label("Paris")].detail, ["branch · 400 users", "CAC audio 1 Mbps"]);
        let details: Vec<String> = t.peers.iter().map(|p| format!("{}: {}", p.label, p.detail[0])).collect();
        assert_eq!(
            details,
            [
                "gw-red-1: 4 T1 · 92 ch",
                "gw-red-2: 4 T1 · 92 ch",
                "gw-lon-1: 4 E1 · 120 ch",
                "gw-lon-2: 2 E1 · 60 ch",
                "gw-nyc: T1 · 23 ch",
                "gw-par: E1 · 30 ch",
                "pbx-red: SIP · 60 sessions",
                "itsp: SIP · 120 sessions",
            ]
        );
        assert_eq!(t.pools[0].detail, ["Mediation · 2 servers"]);
        assert_eq!(t.links[0].2, ["100 Mbps · 70 ms · 0.1%"]);
        // The same network, the same bytes.
        assert_eq!(draw(&t, &l), draw(&contoso(), &layout(&contoso())));
    }

    #[test]
    fn the_legend_names_only_what_the_network_has() {
        let items = |t: &Topo| layout(t).legend.iter().map(|(k, ..)| LEGEND[*k]).collect::<Vec<_>>();
        // Two sites, a pool and a gateway each (site 0's ITSP taken
        // away), no PBX, no trunk across sites.
        let mut t = synthetic(2, &[(0, 1)]);
        assert_eq!(t.peers[1].kind, Kind::Itsp);
        t.peers.remove(1);
        t.trunks = vec![(0, 0), (1, 1)];
        let two = items(&t);
        assert!(two.iter().any(|i| i.starts_with("PSTN gateway")), "{two:?}");
        assert!(!two.iter().any(|i| i.starts_with("ITSP") || i.starts_with("IP-PBX")), "{two:?}");
        assert!(!two.contains(&"trunk to a peer at another site"), "{two:?}");
        let none = items(&synthetic(2, &[]));
        assert!(!none.iter().any(|i| i.starts_with("WAN link")), "{none:?}");
        // Contoso has every kind: the whole legend.
        assert_eq!(items(&contoso()).len(), LEGEND.len());
    }

    #[test]
    fn one_site_without_links() {
        let t = synthetic(1, &[]);
        let l = layout(&t);
        check(&t, &l);
        assert!(draw(&t, &l).contains(">site-0</text>"));
        // No site at all draws an empty network.
        let empty = Topo::default();
        let l = layout(&empty);
        assert!(l.width > 0.0 && draw(&empty, &l).ends_with("</svg>\n"));
    }

    #[test]
    fn a_hub_with_eight_branches_has_them_around_it() {
        let links: Vec<(usize, usize)> = (1..9).map(|b| (0, b)).collect();
        let t = synthetic(9, &links);
        let l = layout(&t);
        check(&t, &l);
        assert_eq!(crossings(&t, &l), 0);
        assert!(l.width / l.height < 2.5 && l.height / l.width < 2.5, "{} x {}", l.width, l.height);
    }

    #[test]
    fn fifty_sites_on_a_hub_and_a_ring_or_alone() {
        let mut links: Vec<(usize, usize)> = (1..50).map(|b| (0, b)).collect();
        links.extend((1..49).map(|b| (b, b + 1)));
        let t = synthetic(50, &links);
        let l = layout(&t);
        check(&t, &l);
        assert_eq!(crossings(&t, &l), 0);
        let alone = synthetic(50, &[]);
        let l = layout(&alone);
        check(&alone, &l);
        assert!(l.width / l.height < 3.0, "a grid of containers, not a row: {} x {}", l.width, l.height);
        // Parallel links and a link of a site to itself draw without panic.
        let odd = synthetic(3, &[(0, 1), (1, 0), (0, 1), (2, 2)]);
        let l = layout(&odd);
        assert_eq!(l.links.len(), 4);
        draw(&odd, &l);
    }

    #[test]
    fn capacities_in_buyers_units() {
        use crate::analysis::schema::network::{NetworkLink, NetworkPeer};
        let peer = |kind: &str, channels, spans, span: Option<&str>, sessions| NetworkPeer {
            name: "p".into(),
            kind: kind.into(),
            site: "s".into(),
            channels,
            spans,
            span_kind: span.map(String::from),
            session_limit: sessions,
        };
        assert_eq!(capacity(&peer("pstn-gateway", Some(60), Some(2), Some("E1"), None), true), "2 E1 · 60 ch");
        assert_eq!(capacity(&peer("pstn-gateway", Some(23), Some(1), Some("T1"), None), true), "T1 · 23 ch");
        assert_eq!(capacity(&peer("pstn-gateway", Some(48), None, None, None), true), "48 ch");
        assert_eq!(capacity(&peer("itsp-sbc", None, None, None, Some(100)), true), "SIP · 100 sessions");
        assert_eq!(capacity(&peer("ip-pbx", None, None, None, None), true), "SIP · unlimited");
        let link = NetworkLink {
            name: "l".into(),
            sites: ["a".into(), "b".into()],
            bandwidth_kbps: 20_000,
            one_way_delay_ms: Some(40.0),
            jitter_ms: Some(2.0),
            loss_percent: Some(0.5),
            cac_audio_limit_kbps: Some(1500),
        };
        assert_eq!(link_label(&link), ["20 Mbps · 40 ms · 0.5%", "CAC audio 1.5 Mbps"]);
        assert_eq!(bandwidth(512), "512 kbps");
        assert_eq!(bandwidth(1544), "1.544 Mbps");
    }

    #[test]
    fn a_network_json_written_before_the_capacities_still_draws() {
        let old = r#"{"schema_version": 1, "name": "old", "source": "x",
            "sites": [{"name": "A", "region": "R", "kind": "central"}, {"name": "B", "region": "R", "kind": "branch"}],
            "links": [{"name": "ab", "sites": ["A", "B"], "bandwidth_kbps": 2000}],
            "mediation_pools": [{"fqdn": "med.example.com", "site": "A"}],
            "peers": [{"name": "pbx", "kind": "ip-pbx", "site": "B"}],
            "trunks": [{"name": "pbx", "mediation_pool": "med.example.com", "peer": "pbx", "max_calls": null}],
            "routes": []}"#;
        let n: Network = serde_json::from_str(old).unwrap();
        let t = of(&n).unwrap();
        assert_eq!(t.links[0].2, ["2 Mbps"]);
        assert_eq!(t.peers[0].detail, ["SIP"], "no claim of unlimited when the file does not say");
        let l = layout(&t);
        check(&t, &l);
        assert!(topology(&n).unwrap().contains(">2 Mbps</text>"));
    }
}
