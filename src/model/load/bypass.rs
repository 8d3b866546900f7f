//! Media bypass IDs per site (docs/lync-behaviour.md, "Media bypass").
//!
//! With site and region information there is one ID per region, and a site
//! on a constrained link gets its own: a site whose own `bandwidth_policy`
//! polices its link to its region, or the branch end (not its region's
//! central site) of a WAN link with a policy. With "always" there is one
//! ID; with bypass off, a distinct ID per site.

use super::super::*;
use super::Network;

/// Each site's bypass ID.
pub(super) fn bypass_ids(net: &Network, mode: BypassMode) -> Vec<u32> {
    let n = net.sites.len() as u32;
    match mode {
        BypassMode::Off => (0..n).collect(),
        BypassMode::Always => vec![0; n as usize],
        BypassMode::SiteAndRegion => (0..net.sites.len())
            .map(|s| if constrained(net, s) { net.regions.len() as u32 + s as u32 } else { net.sites[s].region.0 })
            .collect(),
    }
}

/// Whether site `s` is on a constrained link: its own policy on its link to
/// its region (documented: a site associated with a bandwidth policy is its
/// own bypass zone), or a policed WAN link of which it is not the region's
/// central site (which end is constrained is an inference).
fn constrained(net: &Network, s: usize) -> bool {
    if net.site_policy.get(s).is_some_and(Option::is_some) {
        return true;
    }
    let site = SiteId::from_index(s);
    let central = net.regions.get(net.sites[s].region.index()).map(|r| r.central_site) == Some(site);
    !central && net.links.iter().any(|l| l.bandwidth_policy.is_some() && (l.sites.0 == site || l.sites.1 == site))
}

#[cfg(test)]
mod tests {
    use crate::model::load_str;

    const MODEL: &str = r#"
[media]
bypass = "site-and-region"

[[bandwidth_policy]]
name = "branch"
audio_limit_kbps = 1000

[[region]]
name = "R"
central_site = "A"

[[site]]
name = "A"
kind = "central"
region = "R"

[[site]]
name = "B"
kind = "branch"
region = "R"
bandwidth_policy = "branch"

[[site]]
name = "C"
kind = "branch"
region = "R"
"#;

    #[test]
    fn a_site_with_its_own_policy_is_its_own_bypass_zone() {
        let m = load_str(MODEL, "bypass.toml").unwrap();
        let id = |name: &str| m.bypass_id[m.site_by_name(name).unwrap().index()];
        assert_eq!(id("A"), id("C"), "an unconstrained branch shares its region's ID");
        assert_ne!(id("B"), id("A"), "a branch with a site policy has its own ID");
    }
}
