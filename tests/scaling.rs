//! What a large network costs grows with the network, not with its
//! square, and gives the same answers as the plain searches: media and
//! CAC paths come from per-site trees found on first use (checked here
//! against independent searches on random graphs), and route selection
//! visits only the routes a number can match (checked against a scan of
//! every route on contoso and on a synthetic enterprise with a usage of
//! hundreds of tail-end hop-off routes).

#[path = "common/synthetic.rs"]
mod synthetic;

use proptest::prelude::*;
use synthetic::{enterprise, Size};
use voicetwin::model::{load_str, LinkId, Micros, Model, SiteId, UserGroupId, Wan, WanLink};
use voicetwin::voice::{Caller, Router, TrunkHealth, TrunkStates};

fn link(i: usize, (a, b, delay_ms): (usize, usize, u64)) -> WanLink {
    WanLink {
        name: format!("l{i}"),
        sites: (SiteId::from_index(a), SiteId::from_index(b)),
        bandwidth_kbps: 1000,
        one_way_delay: Micros::from_millis(delay_ms),
        jitter: Micros(0),
        loss_percent: 0.0,
        bandwidth_policy: None,
    }
}

/// Lowest-delay media paths between every pair of sites, as the
/// simulator found them before paths were kept per site: Dijkstra from
/// each site over the links in link order, ties to the lower site index,
/// a site keeping the first strictly better path.
fn all_pairs_media(n: usize, links: &[WanLink], up: impl Fn(LinkId) -> bool) -> Vec<Vec<Option<Vec<LinkId>>>> {
    let mut adj: Vec<Vec<(usize, LinkId, u64)>> = vec![Vec::new(); n];
    for (i, l) in links.iter().enumerate() {
        let id = LinkId::from_index(i);
        if up(id) {
            let (a, b) = (l.sites.0.index(), l.sites.1.index());
            adj[a].push((b, id, l.one_way_delay.0));
            adj[b].push((a, id, l.one_way_delay.0));
        }
    }
    (0..n)
        .map(|src| {
            let mut dist = vec![u64::MAX; n];
            let mut via: Vec<Option<(usize, LinkId)>> = vec![None; n];
            let mut heap = std::collections::BinaryHeap::new();
            dist[src] = 0;
            heap.push(std::cmp::Reverse((0u64, src)));
            while let Some(std::cmp::Reverse((d, u))) = heap.pop() {
                if d > dist[u] {
                    continue;
                }
                for &(v, l, w) in &adj[u] {
                    if d + w < dist[v] {
                        dist[v] = d + w;
                        via[v] = Some((u, l));
                        heap.push(std::cmp::Reverse((d + w, v)));
                    }
                }
            }
            (0..n)
                .map(|dst| {
                    (dist[dst] != u64::MAX).then(|| {
                        let mut path = Vec::new();
                        let mut at = dst;
                        while let Some((prev, l)) = via[at] {
                            path.push(l);
                            at = prev;
                        }
                        path.reverse();
                        path
                    })
                })
                .collect()
        })
        .collect()
}

fn graph() -> impl Strategy<Value = (usize, Vec<WanLink>, Vec<bool>)> {
    (2usize..14).prop_flat_map(|n| {
        // Few distinct delays (many ties), parallel links and self-loops.
        let links = prop::collection::vec((0..n, 0..n, 0u64..4), 0..3 * n);
        (Just(n), links).prop_flat_map(|(n, raw)| {
            let m = raw.len();
            let links: Vec<WanLink> = raw.into_iter().enumerate().map(|(i, l)| link(i, l)).collect();
            (Just(n), Just(links), prop::collection::vec(any::<bool>(), m))
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Each site's trees give, for every pair, the path of the pair's own
    /// search (CAC: petgraph's A*) and of the all-pairs media search,
    /// with every link up and with some down.
    #[test]
    fn trees_give_the_paths_of_independent_searches((n, links, down) in graph()) {
        let wan = Wan::new(n, &links);
        let media = all_pairs_media(n, &links, |_| true);
        let is_down = |l: LinkId| down[l.index()];
        let media_down = all_pairs_media(n, &links, |l| !is_down(l));
        for a in 0..n {
            let sa = SiteId::from_index(a);
            let with_down = wan.media_tree_with(sa, |l| !is_down(l));
            for b in 0..n {
                let sb = SiteId::from_index(b);
                let cac = wan.links_to(wan.delay_tree(sa), sb).map(|p| p.to_vec());
                prop_assert_eq!(cac, wan.path(sa, sb, &links), "CAC {} to {}", a, b);
                let up = wan.links_to(wan.media_tree(sa), sb).map(|p| p.to_vec());
                prop_assert_eq!(&up, &media[a][b], "media {} to {}", a, b);
                let partial = wan.links_to(&with_down, sb).map(|p| p.to_vec());
                prop_assert_eq!(&partial, &media_down[a][b], "media with links down {} to {}", a, b);
            }
        }
    }
}

/// The same model, its routes scanned one by one (no index).
fn scanning(m: &Model) -> Model {
    let mut plain = m.clone();
    plain.route_index = Vec::new();
    plain
}

/// Numbers of every shape routes are written for, and a few no route is.
fn numbers(seed: u64, count: usize) -> Vec<String> {
    let mut x = seed;
    let mut next = || {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) as usize
    };
    let mut out: Vec<String> = ["", "+", "+1", "911", "+911", "٣٣", "+1425555010٣", "0044", "1234", "+44 20"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for _ in 0..count {
        let len = 1 + next() % 15;
        let digits: String = (0..len).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
        out.push(match next() % 4 {
            0 => format!("+1{digits}"),
            1 => format!("+{digits}"),
            2 => format!("+14{digits}"),
            _ => digits,
        });
    }
    out
}

/// Every caller of `m` dials every number: the indexed routing and the
/// scan decide alike, with all trunks up and with some down or less
/// preferred, at several rotations.
fn decides_as_a_scan(m: &Model, numbers: &[String]) {
    let plain = scanning(m);
    let mut states = vec![TrunkStates::all_up(m)];
    let mut some = TrunkStates::all_up(m);
    for t in 0..m.trunks.len() {
        let t = voicetwin::model::TrunkId::from_index(t);
        match t.index() % 3 {
            0 => some.set(t, TrunkHealth::Down),
            1 => some.set(t, TrunkHealth::LessPreferred),
            _ => {}
        }
    }
    states.push(some);
    let (mut indexed, mut scan) = (Router::new(m), Router::new(&plain));
    let mut callers: Vec<Caller> =
        (0..m.user_groups.len()).map(|g| Caller::User { group: UserGroupId::from_index(g), index: 0 }).collect();
    callers.extend((0..m.sites.len()).map(|s| Caller::Site(SiteId::from_index(s))));
    callers.extend((0..m.trunks.len()).map(|t| Caller::Trunk(voicetwin::model::TrunkId::from_index(t))));
    let calling = "+14255550100";
    for (i, caller) in callers.iter().enumerate() {
        for (k, n) in numbers.iter().enumerate() {
            let s = &states[(i + k) % states.len()];
            let rotation = (i * 7 + k) as u32;
            let from = matches!(caller, Caller::Trunk(_)).then_some(calling);
            let a = indexed.decide(*caller, n, from, s, rotation);
            let b = scan.decide(*caller, n, from, s, rotation);
            assert_eq!(a, b, "{caller:?} dialing {n:?}");
        }
    }
    assert_eq!(indexed.limit_hits(), scan.limit_hits());
}

#[test]
fn contoso_routes_every_number_as_a_scan_of_its_routes() {
    let m = Model::contoso();
    decides_as_a_scan(&m, &numbers(1, 600));
}

#[test]
fn a_usage_of_hundreds_of_routes_routes_as_a_scan() {
    // Tail-end hop-off: the national usage holds a route per area code,
    // before the catch-all national route (by priority), plus routes with
    // alternatives, unanchored and look-ahead patterns.
    let size = Size { sites: 40, trunks: 40, rules: 200, pbxs: 3, policed: false };
    let mut text = enterprise(size);
    for a in 200..620 {
        let gw = a % 40;
        text.push_str(&format!(
            "[[voice_route]]\nname = \"hop-{a}\"\nnumber_pattern = '^\\+1{a}\\d{{7}}$'\npstn_usages = [\"National\"]\npstn_gateways = [\"gw-{gw}\"]\npriority = 0\n\n"
        ));
    }
    for (i, p) in
        [r"^\+1(206|425)\d{7}$", r"555", r"^\+(?!1)\d{7,15}$", r"^(\+1800|\+1888)\d{7}$", r"^\+14"].iter().enumerate()
    {
        text.push_str(&format!(
            "[[voice_route]]\nname = \"odd-{i}\"\nnumber_pattern = '{p}'\npstn_usages = [\"National\"]\npstn_gateways = [\"gw-{i}\"]\npriority = 0\n\n"
        ));
    }
    let m = load_str(&text, "hop-off.toml").unwrap();
    let national = m.usages.iter().position(|u| u == "National").unwrap();
    assert!(m.usage_routes[national].len() > 400);
    let mut numbers = numbers(2, 800);
    numbers.extend((200..620).step_by(7).map(|a| format!("+1{a}5550100")));
    decides_as_a_scan(&m, &numbers);
}

/// Contoso with two more regions and thirty more branches: site policies
/// on every other branch, an inter-region route of two region links, a
/// direct region link, a region joined to none, inter-site policies.
fn cac_network() -> String {
    let mut t = voicetwin::model::CONTOSO_TOML.to_owned();
    t.push_str(
        r#"
[[region]]
name = "Asia"
central_site = "Tokyo"

[[region]]
name = "South"
central_site = "Lima"

[[site]]
name = "Tokyo"
kind = "central"
region = "Asia"

[[site]]
name = "Lima"
kind = "central"
region = "South"

[[region_link]]
name = "eu-asia"
region_a = "Europe"
region_b = "Asia"
bandwidth_policy = "transatlantic"

[[region_link]]
name = "na-asia"
region_a = "NorthAmerica"
region_b = "Asia"
bandwidth_policy = "transatlantic"

[[inter_region_route]]
name = "na-to-asia"
region_a = "Asia"
region_b = "NorthAmerica"
region_links = ["na-eu", "eu-asia"]

[[inter_site_policy]]
name = "ny-paris"
site_a = "Paris"
site_b = "NewYork"
bandwidth_policy = "branch-1000"

[[inter_site_policy]]
name = "b3-b10"
site_a = "b3"
site_b = "b10"
bandwidth_policy = "branch-1000"

[[wan_link]]
name = "redmond-tokyo"
site_a = "Redmond"
site_b = "Tokyo"
bandwidth_kbps = 100000
one_way_delay = "60ms"

[[wan_link]]
name = "redmond-lima"
site_a = "Redmond"
site_b = "Lima"
bandwidth_kbps = 100000
one_way_delay = "60ms"
"#,
    );
    let regions = ["NorthAmerica", "Europe", "Asia", "South"];
    let centrals = ["Redmond", "London", "Tokyo", "Lima"];
    for b in 0..30 {
        let r = b % 4;
        let policy = if b % 2 == 0 { "bandwidth_policy = \"branch-1500\"\n" } else { "" };
        t.push_str(&format!(
            "\n[[site]]\nname = \"b{b}\"\nkind = \"branch\"\nregion = \"{}\"\n{policy}\n[[wan_link]]\nname = \"b{b}-link\"\nsite_a = \"{}\"\nsite_b = \"b{b}\"\nbandwidth_kbps = 10000\none_way_delay = \"5ms\"\n",
            regions[r], centrals[r]
        ));
    }
    t
}

#[test]
fn cac_network_paths_follow_the_rules_for_every_pair() {
    let m = load_str(&cac_network(), "cac-network.toml").unwrap();
    let element = |name: String| m.cac_elements.iter().position(|e| e.name == name).map(|e| e as u32);
    let region = |s: usize| m.regions[m.sites[s].region.index()].name.as_str();
    // The region links between two regions, as the file defines them.
    let between = |a: &str, b: &str| -> Vec<&str> {
        let mut pair = [a, b];
        pair.sort();
        match pair {
            ["Europe", "NorthAmerica"] => vec!["na-eu"],
            ["Asia", "NorthAmerica"] => vec!["na-eu", "eu-asia"],
            ["Asia", "Europe"] => vec!["eu-asia"],
            _ => vec![],
        }
    };
    let inter_site = |a: &str, b: &str| -> Option<&str> {
        let mut pair = [a, b];
        pair.sort();
        match pair {
            ["NewYork", "Paris"] => Some("ny-paris"),
            ["b10", "b3"] => Some("b3-b10"),
            _ => None,
        }
    };
    let mut crossing = 0;
    for a in 0..m.sites.len() {
        for b in 0..m.sites.len() {
            let (na, nb) = (m.sites[a].name.as_str(), m.sites[b].name.as_str());
            let expected: Vec<u32> = if a == b {
                vec![]
            } else if let Some(p) = inter_site(na, nb) {
                vec![element(format!("inter-site:{p}")).unwrap()]
            } else {
                let mut v: Vec<u32> = element(format!("site:{na}")).into_iter().collect();
                if region(a) != region(b) {
                    v.extend(
                        between(region(a), region(b)).iter().map(|l| element(format!("region-link:{l}")).unwrap()),
                    );
                }
                v.extend(element(format!("site:{nb}")));
                v
            };
            crossing += usize::from(expected.len() > 2);
            let found = m.cac_path(SiteId::from_index(a), SiteId::from_index(b));
            assert_eq!(&*found, expected.as_slice(), "{na} to {nb}");
        }
    }
    assert!(crossing > 0, "some sessions cross a site link, region links and a site link");
}
