//! A large network drawn by group, one node each: what a design review
//! of 200 sites can read, where a container per site cannot.
//!
//! The groups are the model's CAC network regions. A network of one
//! region (no call admission control to speak of) is grouped by the
//! central site each site's WAN links lead to instead: the nearest by
//! hops, the first in the model's order among equals. Each node names
//! its central site, counts its sites (central, SBA: a branch with its
//! own Mediation pool, branch), users and PSTN peers, and names its
//! worst sites by the run's own figures; the WAN links between two
//! groups are one line labelled with their count and bandwidth. The
//! nodes are laid out as sites are ([`layout`]).

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write;

use super::*;
use crate::analysis::schema::network::Network;
use crate::analysis::schema::ResultFile;
use crate::report::limits;

/// A site's figures from the run's summary: means, `None` where the run
/// has none.
#[derive(Debug, Clone, Copy, Default)]
pub struct SiteFigures {
    pub grade_of_service: Option<f64>,
    pub poor_share: Option<f64>,
}

/// What the sites were grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Region,
    CentralSite,
}

/// Each site's group, by index into the network's sites, and how they
/// were grouped.
pub fn groups(n: &Network) -> (Vec<String>, Grouping) {
    let regions: std::collections::BTreeSet<&str> = n.sites.iter().map(|s| s.region.as_str()).collect();
    if regions.len() >= 2 {
        return (n.sites.iter().map(|s| s.region.clone()).collect(), Grouping::Region);
    }
    // Breadth-first from every central site at once, in the model's order.
    let index: BTreeMap<&str, usize> = n.sites.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    let mut adj = vec![Vec::new(); n.sites.len()];
    for l in &n.links {
        if let (Some(&a), Some(&b)) = (index.get(l.sites[0].as_str()), index.get(l.sites[1].as_str())) {
            adj[a].push(b);
            adj[b].push(a);
        }
    }
    let mut group: Vec<Option<usize>> = vec![None; n.sites.len()];
    let mut queue = VecDeque::new();
    for i in (0..n.sites.len()).filter(|i| n.sites[*i].kind == "central") {
        group[i] = Some(i);
        queue.push_back(i);
    }
    while let Some(u) = queue.pop_front() {
        for &v in &adj[u] {
            if group[v].is_none() {
                group[v] = group[u];
                queue.push_back(v);
            }
        }
    }
    let names = group
        .iter()
        .map(|g| g.map_or_else(|| "no link to a central site".to_owned(), |c| n.sites[c].name.clone()))
        .collect();
    (names, Grouping::CentralSite)
}

/// "1.5%", "0.12%": a share with the decimals a small one needs.
fn share(v: f64) -> String {
    let p = v * 100.0;
    if p == 0.0 {
        "0%".to_owned()
    } else if p >= 10.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.2}%")
    }
}

/// A bandwidth in buyer's units, whole Gbps too.
fn total_bandwidth(kbps: u64) -> String {
    if kbps >= 1_000_000 && kbps % 1_000_000 == 0 {
        format!("{} Gbps", kbps / 1_000_000)
    } else {
        match u32::try_from(kbps) {
            Ok(k) => bandwidth(k),
            Err(_) => format!("{} Gbps", short(kbps as f64 / 1e6)),
        }
    }
}

/// The label of the line between two groups: how many WAN links it
/// stands for, always as a number (a bare "WAN link" reads as the name of
/// one link, not a count), and their total bandwidth.
fn region_link_label(count: usize, kbps: u64) -> String {
    let what = if count == 1 { "WAN link" } else { "WAN links" };
    format!("{} {what} · {}", grouped(count as u64), total_bandwidth(kbps))
}

/// How bad a site is for the region's node: its grade of service, then
/// its poor-MOS share (higher is worse; a site without figures least).
fn badness(f: Option<&SiteFigures>) -> (f64, f64) {
    let v = |x: Option<f64>| x.filter(|v| v.is_finite()).unwrap_or(f64::NEG_INFINITY);
    f.map_or((f64::NEG_INFINITY, f64::NEG_INFINITY), |f| (v(f.grade_of_service), v(f.poor_share)))
}

/// The worst sites among `sites` (names): those that blocked a call or
/// scored a poor one, the worst first (grade of service, then poor-MOS
/// share, then name), at most [`limits::WORST_PER_REGION`].
pub fn worst_sites<'a>(sites: &[&'a str], figures: &BTreeMap<String, SiteFigures>) -> Vec<&'a str> {
    let mut bad: Vec<&str> = sites
        .iter()
        .copied()
        .filter(|s| {
            let (g, p) = badness(figures.get(*s));
            g > 0.0 || p > 0.0
        })
        .collect();
    bad.sort_by(|a, b| {
        let (ga, pa) = badness(figures.get(*a));
        let (gb, pb) = badness(figures.get(*b));
        gb.total_cmp(&ga).then(pb.total_cmp(&pa)).then(a.cmp(b))
    });
    bad.truncate(limits::WORST_PER_REGION);
    bad
}

/// The drawing of a large network: one node per group.
pub fn of_regions(n: &Network, figures: &BTreeMap<String, SiteFigures>) -> Topo {
    let (group_of, grouping) = groups(n);
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in group_of.iter().enumerate() {
        members.entry(g.as_str()).or_default().push(i);
    }
    // Above the limit, the groups whose worst site blocks most.
    let highest = |sites: &Vec<usize>| {
        sites.iter().map(|i| badness(figures.get(&n.sites[*i].name)).0).fold(f64::NEG_INFINITY, f64::max)
    };
    let all: Vec<(&str, Vec<usize>)> = members.into_iter().collect();
    let cut = limits::worst(all, limits::TOPOLOGY_REGIONS, |(_, s)| highest(s), |(g, _)| g);
    let what = match grouping {
        Grouping::Region => ("region", "regions"),
        Grouping::CentralSite => ("group", "groups"),
    };
    let pools: std::collections::BTreeSet<&str> = n.mediation_pools.iter().map(|p| p.site.as_str()).collect();
    let mut sites = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, (group, members)) in cut.kept.iter().enumerate() {
        index.insert(group, k);
        let names: Vec<&str> = members.iter().map(|i| n.sites[*i].name.as_str()).collect();
        let central: Vec<&str> =
            members.iter().filter(|i| n.sites[**i].kind == "central").map(|i| n.sites[*i].name.as_str()).collect();
        let sba =
            members.iter().filter(|i| n.sites[**i].kind != "central" && pools.contains(n.sites[**i].name.as_str()));
        let sba = sba.count();
        let branch = members.len() - central.len() - sba;
        let users: u64 = members.iter().map(|i| n.sites[*i].users).sum();
        let peers = n.peers.iter().filter(|p| names.contains(&p.site.as_str())).count();
        let mut detail = Vec::new();
        if grouping == Grouping::Region {
            match central.as_slice() {
                [] => detail.push("no central site".to_owned()),
                [c] => detail.push(format!("central {c}")),
                [c, ..] => detail.push(format!("central {c} and {} more", central.len() - 1)),
            }
        }
        let plural = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        let mut line = plural(members.len(), "site", "sites");
        if users > 0 {
            let _ = write!(line, " · {} users", grouped(users));
        }
        let _ = write!(line, " · {}", plural(peers, "peer", "peers"));
        detail.push(line);
        detail.push(format!("{} central · {sba} SBA · {branch} branch", central.len()));
        if !figures.is_empty() {
            let worst = worst_sites(&names, figures);
            if worst.is_empty() {
                detail.push("no call blocked, none poor".to_owned());
            }
            for (k, s) in worst.iter().enumerate() {
                let f = figures.get(*s).copied().unwrap_or_default();
                let mut l = format!("{} {s}:", if k == 0 { "worst" } else { "then" });
                if let Some(g) = f.grade_of_service {
                    let _ = write!(l, " GoS {}", share(g));
                }
                if let Some(p) = f.poor_share {
                    let _ = write!(l, ", poor {}", share(p));
                }
                detail.push(l);
            }
        }
        sites.push(Node { label: (*group).to_owned(), detail, kind: Kind::Central, site: k });
    }
    // The WAN links between two groups drawn, one line a pair.
    let site_index: BTreeMap<&str, usize> = n.sites.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    let mut between: BTreeMap<(usize, usize), (usize, u64)> = BTreeMap::new();
    let mut across = 0;
    for l in &n.links {
        let group = |s: &String| site_index.get(s.as_str()).map(|i| group_of[*i].as_str());
        let (Some(a), Some(b)) = (group(&l.sites[0]), group(&l.sites[1])) else { continue };
        if a == b {
            continue;
        }
        across += 1;
        if let (Some(&a), Some(&b)) = (index.get(a), index.get(b)) {
            let e = between.entry((a.min(b), a.max(b))).or_default();
            e.0 += 1;
            e.1 += u64::from(l.bandwidth_kbps);
        }
    }
    let links =
        between.into_iter().map(|((a, b), (count, kbps))| (a, b, vec![region_link_label(count, kbps)])).collect();
    let every = format!("every site in {}", Network::FILE);
    let subtitle = if cut.cut() {
        format!(
            "the {} worst of {} {} by site grade of service · {} sites · {every}",
            cut.kept.len(),
            cut.total,
            what.1,
            grouped(n.sites.len() as u64)
        )
    } else {
        format!(
            "{} sites in {} {} · {across} of {} WAN links between them · {every}",
            grouped(n.sites.len() as u64),
            cut.total,
            what.1,
            grouped(n.links.len() as u64)
        )
    };
    let legend = match grouping {
        Grouping::Region => "CAC region: central site, sites, users, peers, worst sites",
        Grouping::CentralSite => "central site with the sites its WAN links lead to",
    };
    Topo {
        title: format!("Topology: {}", n.name),
        subtitle,
        sites,
        pools: vec![],
        peers: vec![],
        links,
        trunks: vec![],
        by_group: Some(legend),
    }
}

/// The topology chart of a large network.
pub fn regions(n: &Network, figures: &BTreeMap<String, SiteFigures>) -> Result<String, String> {
    let t = of_regions(n, figures);
    let l = layout(&t);
    let svg = draw(&t, &l);
    // Shown smaller rather than beyond a page: the drawing keeps its
    // coordinates (viewBox), the file says the size to show it at.
    let (max_w, max_h) = limits::CHART_MAX;
    let k = (max_w / l.width).min(max_h / l.height);
    if k >= 1.0 {
        return Ok(svg);
    }
    let head = format!("<svg width=\"{}\" height=\"{}\"", l.width, l.height);
    let fit = format!("<svg width=\"{}\" height=\"{}\"", (l.width * k).floor(), (l.height * k).floor());
    Ok(svg.replacen(&head, &fit, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sites `A`..: central `A` and `D`, branches `B`, `C` linked to `A`
    /// (`C` through `B`), `E` to `D`, `F` linked to nothing; all in
    /// `regions[i]`.
    fn network(regions: [&str; 6]) -> Network {
        let site = |name: &str, kind: &str, region: &str| serde_json::json!({"name": name, "region": region, "kind": kind, "users": 10});
        let names = ["A", "B", "C", "D", "E", "F"];
        let kinds = ["central", "branch", "branch", "central", "branch", "branch"];
        let sites: Vec<_> = (0..6).map(|i| site(names[i], kinds[i], regions[i])).collect();
        let link =
            |a: &str, b: &str| serde_json::json!({"name": format!("{a}-{b}"), "sites": [a, b], "bandwidth_kbps": 2000});
        serde_json::from_value(serde_json::json!({
            "schema_version": 1, "name": "n", "source": "x", "sites": sites,
            "links": [link("A", "B"), link("B", "C"), link("D", "E"), link("A", "D")],
            "mediation_pools": [{"fqdn": "sba-b.x", "site": "B"}], "peers": [], "trunks": [], "routes": []
        }))
        .unwrap()
    }

    #[test]
    fn one_region_groups_by_the_central_site_the_links_lead_to() {
        let (groups, by) = super::groups(&network(["R"; 6]));
        assert_eq!(by, Grouping::CentralSite);
        assert_eq!(groups, ["A", "A", "A", "D", "D", "no link to a central site"]);
        let (groups, by) = super::groups(&network(["X", "X", "X", "Y", "Y", "Y"]));
        assert_eq!(by, Grouping::Region);
        assert_eq!(groups, ["X", "X", "X", "Y", "Y", "Y"]);
    }

    #[test]
    fn a_node_counts_its_sites_and_names_its_worst() {
        let n = network(["X", "X", "X", "Y", "Y", "Y"]);
        let f = |g: f64, p: f64| SiteFigures { grade_of_service: Some(g), poor_share: Some(p) };
        let figures: BTreeMap<String, SiteFigures> =
            [("A", f(0.0, 0.0)), ("B", f(0.02, 0.0)), ("C", f(0.02, 0.01)), ("D", f(0.0, 0.0)), ("E", f(0.0, 0.0))]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
        let t = of_regions(&n, &figures);
        assert_eq!(t.sites.len(), 2);
        assert_eq!(t.sites[0].label, "X");
        assert_eq!(
            t.sites[0].detail,
            [
                "central A",
                "3 sites · 30 users · 0 peers",
                "1 central · 1 SBA · 1 branch",
                "worst C: GoS 2.00%, poor 1.00%",
                "then B: GoS 2.00%, poor 0%"
            ]
        );
        assert_eq!(t.sites[1].detail.last().unwrap(), "no call blocked, none poor");
        // One line between the two regions, for the one link between them.
        assert_eq!(t.links, [(0, 1, vec!["1 WAN link · 2 Mbps".to_owned()])]);
        assert!(t.subtitle.contains("1 of 4 WAN links between them"), "{}", t.subtitle);
        let svg = regions(&n, &figures).unwrap();
        assert!(svg.contains(">CAC region: central site, sites, users, peers, worst sites</text>"));
    }

    #[test]
    fn a_line_between_regions_counts_the_links_it_stands_for() {
        let mut n = network(["X", "X", "X", "Y", "Y", "Y"]);
        let mut more = n.links[3].clone();
        for (name, a, b, kbps) in [("B-E", "B", "E", 1000), ("C-E", "C", "E", 3000)] {
            more.name = name.into();
            more.sites = [a.into(), b.into()];
            more.bandwidth_kbps = kbps;
            n.links.push(more.clone());
        }
        let t = of_regions(&n, &BTreeMap::new());
        assert_eq!(t.links, [(0, 1, vec!["3 WAN links · 6 Mbps".to_owned()])]);
        assert!(t.subtitle.contains("3 of 6 WAN links between them"), "{}", t.subtitle);
        let svg = regions(&n, &BTreeMap::new()).unwrap();
        assert!(svg.contains(">3 WAN links · 6 Mbps</text>"), "{svg}");
    }
}
