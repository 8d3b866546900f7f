//! Which call admission control elements a session between two sites
//! crosses, worked out for a pair when it is asked about: a pure function
//! of the two sites and the CAC tables, so a model of thousands of sites
//! holds no table of every pair (docs/lync-behaviour.md, "Call admission
//! control"; the path rules there are inferences).
//!
//! With the CAC network objects (site policies, region links, inter-region
//! routes, inter-site policies) a session from site A to site B crosses:
//! - nothing when A = B;
//! - the inter-site policy for {A, B} alone, when there is one;
//! - otherwise A's site link (if A has a policy), the region links of the
//!   inter-region route between their regions (when they differ; a direct
//!   region link serves when no route is defined), and B's site link.
//!
//! Without those objects, bandwidth policies on WAN links police the
//! links of the session's lowest-delay WAN path ([`Wan::delay_tree`]).

use super::ids::SiteId;
use super::shortlist::ShortList;
use super::topology::Wan;

/// How a pair's CAC elements are found.
#[derive(Debug, Clone, Default)]
pub enum CacPaths {
    /// No CAC element anywhere: every session crosses none.
    #[default]
    None,
    /// Bandwidth policies on WAN links: per link, its element (or
    /// [`NOT_POLICED`]).
    Links { element_of: Vec<u32> },
    /// The CAC network objects.
    Network(CacTables),
}

/// A WAN link without a bandwidth policy.
pub const NOT_POLICED: u32 = u32::MAX;

/// The CAC network objects, resolved to element numbers. Per site and
/// per region, so a pair's lookup is a search among the few objects of
/// one site or region, without hashing.
#[derive(Debug, Clone, Default)]
pub struct CacTables {
    /// Per site, the element of its link to its region, if it has a policy.
    pub site_element: Vec<Option<u32>>,
    /// Per site, its region's index.
    pub site_region: Vec<u32>,
    /// Per site, its inter-site policies: (the other site, the policy's
    /// element), sorted by site.
    pub inter_site: Vec<Vec<(u32, u32)>>,
    /// Per region, the region links to each other region: the
    /// inter-region route's, else the direct region link; sorted by region.
    pub region_links: Vec<Vec<(u32, Vec<u32>)>>,
}

/// The value of `key` in a list sorted by key.
fn find<T>(list: &[(u32, T)], key: u32) -> Option<&T> {
    list.binary_search_by_key(&key, |e| e.0).ok().map(|i| &list[i].1)
}

impl CacPaths {
    /// The elements a session from `a` to `b` crosses, in order.
    pub fn path(&self, wan: &Wan, a: SiteId, b: SiteId) -> ShortList<u32> {
        let mut out = ShortList::default();
        if a == b {
            return out;
        }
        match self {
            CacPaths::None => {}
            CacPaths::Links { element_of } => {
                let tree = wan.delay_tree(a);
                // Unreached: no path, no element.
                let _ = wan.walk_back(tree, b, |l| match element_of.get(l.index()) {
                    Some(&e) if e != NOT_POLICED => out.push(e),
                    _ => {}
                });
                out.reverse();
            }
            CacPaths::Network(t) => t.path_into(a, b, &mut out),
        }
        out
    }
}

impl CacTables {
    /// The elements between two different sites, into `out`.
    fn path_into(&self, a: SiteId, b: SiteId, out: &mut ShortList<u32>) {
        let policies = self.inter_site.get(a.index()).map_or(&[][..], Vec::as_slice);
        if let Some(&e) = find(policies, b.0) {
            out.push(e);
            return;
        }
        let site = |s: SiteId| self.site_element.get(s.index()).copied().flatten();
        out.extend_from_slice(site(a).as_slice());
        let region = |s: SiteId| self.site_region.get(s.index()).copied();
        if let (Some(ra), Some(rb)) = (region(a), region(b)) {
            if ra != rb {
                let links = self.region_links.get(ra as usize).and_then(|l| find(l, rb));
                out.extend_from_slice(links.map_or(&[][..], Vec::as_slice));
            }
        }
        out.extend_from_slice(site(b).as_slice());
    }
}
