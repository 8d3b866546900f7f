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

use std::fmt::Write;

mod geometry;
mod layout;
mod packed;
mod regions;
mod ring;
mod svg;

pub use geometry::*;
pub use layout::*;
pub use regions::{regions, SiteFigures};
pub use svg::*;

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
    /// A large network drawn by group ([`regions`]): what a node is, for
    /// the legend; `None`: one container per site.
    pub by_group: Option<&'static str>,
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
                let _ = write!(first, " · {} users", grouped(s.users));
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
    Ok(Topo { title: format!("Topology: {}", n.name), subtitle, sites, pools, peers, links, trunks, by_group: None })
}

/// The topology chart of a network.json.
pub fn topology(n: &Network) -> Result<String, String> {
    let t = of(n)?;
    Ok(draw(&t, &layout(&t)))
}

/// `4,020`.
fn grouped(v: u64) -> String {
    crate::limits::grouped(i64::try_from(v).unwrap_or(i64::MAX))
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
