//! Call admission control's network: where audio is counted, and the
//! tables from which the elements a session between two sites crosses are
//! worked out when asked ([`CacPaths`], where the path rules are). Nothing
//! here is per pair of sites: the tables grow with the objects defined.

use std::collections::HashMap;

use super::super::cac_paths::{CacPaths, CacTables, NOT_POLICED};
use super::super::file::*;
use super::super::*;
use super::{label, Builder, Network};

/// The CAC network, resolved.
pub(super) struct CacNetwork {
    pub elements: Vec<CacElement>,
    pub paths: CacPaths,
    /// Subnet prefix (as written, lowercase) to its site.
    pub subnets: HashMap<String, SiteId>,
}

impl Builder {
    pub(super) fn cac(&mut self, raw: &ModelFile, net: &Network) -> CacNetwork {
        let site_names = &net.site_names;
        let region_names = &net.region_names;
        let policy_names = &net.policy_names;
        let n = net.sites.len();

        // Subnets.
        let mut subnets = HashMap::new();
        for s in &raw.subnets {
            let obj = label("subnet", &s.prefix);
            if !valid_prefix(&s.prefix) {
                self.err(&obj, "prefix", format!("\"{}\" is not an IP prefix like \"10.20.0.0/16\"", s.prefix));
            }
            if let Some(site) = self.resolve(site_names, "site", &s.site, &obj, "site") {
                if subnets.insert(s.prefix.to_lowercase(), SiteId::from_index(site)).is_some() {
                    self.err(&obj, "prefix", "duplicate: another subnet has this prefix");
                }
            }
        }

        let spec_mode = net.site_policy.iter().any(Option::is_some)
            || !raw.region_links.is_empty()
            || !raw.inter_site_policies.is_empty();
        let link_policies = net.links.iter().any(|l| l.bandwidth_policy.is_some());
        if spec_mode && link_policies {
            self.err(
                "the model",
                "bandwidth_policy",
                "use either bandwidth policies on WAN links or the CAC network objects (site policies, region links, inter-site policies), not both",
            );
        }

        let mut elements: Vec<CacElement> = Vec::new();
        if !spec_mode {
            // WAN links with policies, along each pair's lowest-delay path.
            let mut element_of = vec![NOT_POLICED; net.links.len()];
            for (i, l) in net.links.iter().enumerate() {
                if let Some(p) = l.bandwidth_policy {
                    element_of[i] = elements.len() as u32;
                    let regions = (net.sites[l.sites.0.index()].region, net.sites[l.sites.1.index()].region);
                    elements.push(CacElement {
                        name: l.name.clone(),
                        kind: CacElementKind::WanLink(i),
                        policy: p,
                        regions,
                    });
                }
            }
            let paths = if elements.is_empty() { CacPaths::None } else { CacPaths::Links { element_of } };
            return CacNetwork { elements, paths, subnets };
        }

        // Site links.
        let mut site_element = vec![None; n];
        for (s, p) in net.site_policy.iter().enumerate() {
            if let Some(p) = p {
                site_element[s] = Some(elements.len() as u32);
                elements.push(CacElement {
                    name: format!("site:{}", net.sites[s].name),
                    kind: CacElementKind::SiteLink(s),
                    policy: *p,
                    regions: (net.sites[s].region, net.sites[s].region),
                });
            }
        }
        // Region links.
        let region_link_names = self.names("region_link", "name", &raw.region_links, |l| &l.name);
        let mut region_link_element = Vec::new();
        let mut direct: HashMap<(usize, usize), u32> = HashMap::new();
        for (i, l) in raw.region_links.iter().enumerate() {
            let obj = label("region_link", &l.name);
            let a = self.resolve(region_names, "region", &l.region_a, &obj, "region_a");
            let b = self.resolve(region_names, "region", &l.region_b, &obj, "region_b");
            let p = self.resolve(policy_names, "bandwidth_policy", &l.bandwidth_policy, &obj, "bandwidth_policy");
            let e = elements.len() as u32;
            region_link_element.push(e);
            elements.push(CacElement {
                name: format!("region-link:{}", l.name),
                kind: CacElementKind::RegionLink(i),
                policy: p.unwrap_or(0),
                regions: (RegionId::from_index(a.unwrap_or(0)), RegionId::from_index(b.unwrap_or(0))),
            });
            if let (Some(a), Some(b)) = (a, b) {
                if a == b {
                    self.err(&obj, "region_b", "a region link joins two different regions");
                }
                direct.insert((a.min(b), a.max(b)), e);
            }
        }
        // Inter-region routes.
        let mut routes: HashMap<(usize, usize), Vec<u32>> = HashMap::new();
        for r in &raw.inter_region_routes {
            let obj = label("inter_region_route", &r.name);
            let a = self.resolve(region_names, "region", &r.region_a, &obj, "region_a");
            let b = self.resolve(region_names, "region", &r.region_b, &obj, "region_b");
            let links: Vec<u32> = r
                .region_links
                .iter()
                .filter_map(|l| self.resolve(&region_link_names, "region_link", l, &obj, "region_links"))
                .map(|i| region_link_element[i])
                .collect();
            if let (Some(a), Some(b)) = (a, b) {
                if routes.insert((a.min(b), a.max(b)), links).is_some() {
                    self.err(&obj, "region_b", "duplicate: another inter-region route joins these regions");
                }
            }
        }
        // Inter-site policies.
        let mut inter_site: HashMap<(usize, usize), u32> = HashMap::new();
        for (i, p) in raw.inter_site_policies.iter().enumerate() {
            let obj = label("inter_site_policy", &p.name);
            let a = self.resolve(site_names, "site", &p.site_a, &obj, "site_a");
            let b = self.resolve(site_names, "site", &p.site_b, &obj, "site_b");
            let pol = self.resolve(policy_names, "bandwidth_policy", &p.bandwidth_policy, &obj, "bandwidth_policy");
            if let (Some(a), Some(b), Some(pol)) = (a, b, pol) {
                if a == b {
                    self.err(&obj, "site_b", "an inter-site policy joins two different sites");
                }
                inter_site.insert((a.min(b), a.max(b)), elements.len() as u32);
                elements.push(CacElement {
                    name: format!("inter-site:{}", p.name),
                    kind: CacElementKind::InterSite(i),
                    policy: pol,
                    regions: (net.sites[a].region, net.sites[b].region),
                });
            }
        }
        // The inter-region route's links, else the direct region link.
        let mut between = direct.into_iter().map(|(pair, e)| (pair, vec![e])).collect::<HashMap<_, _>>();
        between.extend(routes);
        let mut region_links: Vec<Vec<(u32, Vec<u32>)>> = vec![Vec::new(); net.regions.len()];
        for ((a, b), links) in between {
            if let (Some(_), Some(_)) = (region_links.get(a), region_links.get(b)) {
                region_links[a].push((b as u32, links.clone()));
                region_links[b].push((a as u32, links));
            }
        }
        let mut by_site: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
        for ((a, b), e) in inter_site {
            by_site[a].push((b as u32, e));
            by_site[b].push((a as u32, e));
        }
        region_links.iter_mut().for_each(|l| l.sort_unstable_by_key(|e| e.0));
        by_site.iter_mut().for_each(|l| l.sort_unstable_by_key(|e| e.0));
        let tables = CacTables {
            site_element,
            site_region: net.sites.iter().map(|s| s.region.0).collect(),
            inter_site: by_site,
            region_links,
        };
        CacNetwork { elements, paths: CacPaths::Network(tables), subnets }
    }
}

/// `a.b.c.d/len` or an IPv6 prefix.
fn valid_prefix(text: &str) -> bool {
    let Some((addr, len)) = text.split_once('/') else { return false };
    let Ok(len) = len.parse::<u8>() else { return false };
    match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => len <= 32,
        Ok(std::net::IpAddr::V6(_)) => len <= 128,
        Err(_) => false,
    }
}
