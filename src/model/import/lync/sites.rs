//! The model's sites, regions and WAN links from the topology's sites
//! (central or branch, parent, country) merged by name with CAC's network
//! sites and regions; WAN links where Lync's CAC says traffic flows: each
//! branch site to its region's central site, and each region link between
//! central sites. The exports give no link's bandwidth, delay or loss:
//! those are stated placeholders with a TODO each.

use super::super::error::Problems;
use super::super::topology::Topology;
use super::super::Todo;
use super::cac::Cac;
use crate::model::duration::Micros;
use crate::model::file::{BandwidthPolicyFile, RegionFile, SiteFile, WanLinkFile};

/// A WAN link's bandwidth when no CAC policy hints at one, kbit/s.
pub const DEFAULT_WAN_KBPS: i64 = 10_000;
/// A WAN link's one-way delay placeholder.
pub const PLACEHOLDER_DELAY_MS: u64 = 20;
/// The site made when the exports name none (no topology, no CAC, no
/// site-scoped object): a model needs one to load.
pub const STAND_IN_SITE: &str = "Imported";

/// Where a problem with a CAC object is reported: the file it came from.
pub struct CacFiles {
    pub region: String,
    pub site: String,
}

/// The network of sites, regions and links.
#[derive(Debug, Default)]
pub struct Sites {
    pub sites: Vec<SiteFile>,
    pub regions: Vec<RegionFile>,
    pub wan_links: Vec<WanLinkFile>,
}

fn find<'a>(sites: &'a mut [SiteFile], name: &str) -> Option<&'a mut SiteFile> {
    sites.iter_mut().find(|s| s.name.eq_ignore_ascii_case(name))
}

fn site(name: &str, kind: &str) -> SiteFile {
    SiteFile {
        name: name.to_owned(),
        kind: kind.to_owned(),
        region: String::new(),
        bandwidth_policy: None,
        country: String::new(),
        emergency_numbers: None,
        location_policy: None,
        time_zone: None,
        description: String::new(),
    }
}

/// Builds the sites. `scoped` are the sites named by `Site:` scopes of
/// routing objects: without a topology they become central sites of their
/// own; with one, the reference check reports those it lacks.
pub fn build(
    topology: Option<&Topology>,
    cac: &Cac,
    scoped: &[String],
    files: &CacFiles,
    todos: &mut Vec<Todo>,
    problems: &mut Problems,
) -> Sites {
    let mut sites: Vec<SiteFile> = Vec::new();
    let mut parents: Vec<(String, String)> = Vec::new();
    if let Some(t) = topology {
        for s in &t.sites {
            let mut f = site(&s.name, if s.central { "central" } else { "branch" });
            f.country = s.country.clone().unwrap_or_default();
            if let Some(p) = &s.parent {
                parents.push((s.name.clone(), p.clone()));
            }
            sites.push(f);
        }
    }
    for r in &cac.regions {
        match find(&mut sites, &r.central_site) {
            Some(s) if topology.is_some() && s.kind != "central" => problems.push(
                &files.region,
                &r.name,
                "CentralSite",
                format!(
                    "`{}` is a branch site in the topology; a region's central site is a central site",
                    r.central_site
                ),
            ),
            Some(s) => s.kind = "central".into(),
            None if topology.is_some() => problems.push(
                &files.region,
                &r.name,
                "CentralSite",
                format!("the topology has no site `{}`", r.central_site),
            ),
            None => sites.push(site(&r.central_site, "central")),
        }
    }
    for n in &cac.sites {
        if !cac.regions.iter().any(|r| r.name.eq_ignore_ascii_case(&n.region)) {
            problems.push(
                &files.site,
                &n.name,
                "NetworkRegionID",
                format!("no network region `{}` (Get-CsNetworkRegion)", n.region),
            );
        }
        let i = match sites.iter().position(|s| s.name.eq_ignore_ascii_case(&n.name)) {
            Some(i) => i,
            None => {
                sites.push(site(&n.name, "branch"));
                sites.len() - 1
            }
        };
        let s = &mut sites[i];
        s.region = n.region.clone();
        s.bandwidth_policy = n.bandwidth_policy.clone();
        s.location_policy = n.location_policy.clone();
        s.description = n.description.clone();
    }
    if topology.is_none() {
        for name in scoped {
            if find(&mut sites, name).is_none() {
                sites.push(site(name, "central"));
                todos.push(Todo::new(
                    "site",
                    name,
                    "kind",
                    "a stand-in: routing objects are scoped to this site but the folder holds no topology \
                     (Get-CsTopology -AsXml) saying whether it is a central or a branch site",
                ));
            }
        }
        if sites.is_empty() {
            sites.push(site(STAND_IN_SITE, "central"));
            todos.push(Todo::new(
                "site",
                STAND_IN_SITE,
                "",
                "a stand-in site: the folder holds no topology and no CAC network site; rename it and add the \
                 real sites",
            ));
        }
    }
    let mut regions: Vec<RegionFile> = cac.regions.clone();
    for r in &regions {
        if let Some(s) = find(&mut sites, &r.central_site) {
            if s.region.is_empty() {
                s.region = r.name.clone();
            }
        }
    }
    for s in sites.iter_mut().filter(|s| s.kind == "central" && s.region.is_empty()) {
        s.region = s.name.clone();
        regions.push(RegionFile { name: s.name.clone(), central_site: s.name.clone(), description: String::new() });
        todos.push(Todo::new(
            "region",
            &s.name,
            "",
            "a stand-in: one region per central site with its branches; the exports hold no network region \
             (Get-CsNetworkRegion) for this central site",
        ));
    }
    let region_of = |sites: &[SiteFile], name: &str| {
        sites.iter().find(|s| s.name.eq_ignore_ascii_case(name)).map(|s| s.region.clone()).filter(|r| !r.is_empty())
    };
    for i in 0..sites.len() {
        if !sites[i].region.is_empty() {
            continue;
        }
        let parent = parents.iter().find(|(b, _)| b.eq_ignore_ascii_case(&sites[i].name)).map(|(_, p)| p.clone());
        let region = parent.and_then(|p| region_of(&sites, &p));
        let region = match region {
            Some(r) => r,
            None => {
                let first = regions.first().map(|r| r.name.clone()).unwrap_or_default();
                todos.push(Todo::new(
                    "site",
                    &sites[i].name,
                    "region",
                    "a stand-in: neither CAC nor the topology places this branch site in a region",
                ));
                first
            }
        };
        sites[i].region = region;
    }
    for s in sites.iter().filter(|s| s.country.is_empty()) {
        todos.push(Todo::new(
            "site",
            &s.name,
            "country",
            "the exports do not give the site's country (ISO 3166 code, e.g. \"US\"); it decides the \
             emergency numbers its users dial",
        ));
    }
    let wan_links = wan_links(&sites, &regions, cac, todos);
    Sites { sites, regions, wan_links }
}

/// One link per branch site to its region's central site, one per region
/// link between the regions' central sites; their figures placeholders.
fn wan_links(sites: &[SiteFile], regions: &[RegionFile], cac: &Cac, todos: &mut Vec<Todo>) -> Vec<WanLinkFile> {
    let central =
        |region: &str| regions.iter().find(|r| r.name.eq_ignore_ascii_case(region)).map(|r| r.central_site.clone());
    let kbps = |policy: Option<&String>| -> Option<i64> {
        let p: &BandwidthPolicyFile = cac.policies.iter().find(|p| Some(&p.name) == policy)?;
        let sum = p.audio_limit_kbps.unwrap_or(0) + p.video_limit_kbps.unwrap_or(0);
        (sum > 0).then_some(sum)
    };
    let mut pairs: Vec<(String, String, Option<i64>, String)> = Vec::new();
    for s in sites.iter().filter(|s| s.kind == "branch") {
        if let Some(c) = central(&s.region).filter(|c| !c.eq_ignore_ascii_case(&s.name)) {
            let why = match &s.bandwidth_policy {
                Some(p) => format!("the audio and video limits of the site's CAC policy \"{p}\""),
                None => String::new(),
            };
            pairs.push((c, s.name.clone(), kbps(s.bandwidth_policy.as_ref()), why));
        }
    }
    for l in &cac.region_links {
        if let (Some(a), Some(b)) = (central(&l.region_a), central(&l.region_b)) {
            let why = format!("the audio and video limits of region link \"{}\"'s CAC policy", l.name);
            pairs.push((a, b, kbps(Some(&l.bandwidth_policy)), why));
        }
    }
    let mut links: Vec<WanLinkFile> = Vec::new();
    for (a, b, bw, why) in pairs {
        let same = |l: &WanLinkFile| {
            (l.site_a.eq_ignore_ascii_case(&a) && l.site_b.eq_ignore_ascii_case(&b))
                || (l.site_a.eq_ignore_ascii_case(&b) && l.site_b.eq_ignore_ascii_case(&a))
        };
        if a.eq_ignore_ascii_case(&b) || links.iter().any(same) {
            continue;
        }
        let mut name = format!("{}-{}", a.to_lowercase(), b.to_lowercase());
        while links.iter().any(|l| l.name == name) {
            name.push('_');
        }
        let bandwidth = match bw {
            Some(k) => format!("a placeholder of {k} kbit/s, {why}: give the link's real bandwidth"),
            None => format!(
                "a placeholder of {DEFAULT_WAN_KBPS} kbit/s (no CAC policy on this link): give the link's real bandwidth"
            ),
        };
        todos.push(Todo::new("wan_link", &name, "bandwidth_kbps", bandwidth));
        todos.push(Todo::new(
            "wan_link",
            &name,
            "one_way_delay",
            format!(
                "a placeholder of {PLACEHOLDER_DELAY_MS}ms, with no jitter and no loss: the exports say nothing of \
                 the WAN's delay, jitter or loss_percent; measure them"
            ),
        ));
        links.push(WanLinkFile {
            name,
            site_a: a,
            site_b: b,
            bandwidth_kbps: bw.unwrap_or(DEFAULT_WAN_KBPS),
            one_way_delay: Micros(PLACEHOLDER_DELAY_MS * 1000),
            jitter: Micros(0),
            loss_percent: 0.0,
            bandwidth_policy: None,
        });
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::import::lync::cac::NetworkSite;
    use crate::model::import::topology::TopoSite;

    fn files() -> CacFiles {
        CacFiles { region: "Get-CsNetworkRegion.json".into(), site: "Get-CsNetworkSite.json".into() }
    }

    fn topo() -> Topology {
        let s = |name: &str, central: bool, parent: Option<&str>, country: Option<&str>| TopoSite {
            name: name.into(),
            central,
            parent: parent.map(Into::into),
            country: country.map(Into::into),
        };
        Topology {
            sites: vec![s("Redmond", true, None, Some("US")), s("Dallas", false, Some("Redmond"), None)],
            ..Topology::default()
        }
    }

    #[test]
    fn without_cac_a_central_site_heads_a_region_of_its_own_with_its_branches() {
        let (mut todos, mut p) = (Vec::new(), Problems::default());
        let n = build(Some(&topo()), &Cac::default(), &[], &files(), &mut todos, &mut p);
        assert!(p.is_empty());
        assert_eq!(n.regions.len(), 1);
        assert_eq!((n.sites[1].name.as_str(), n.sites[1].region.as_str()), ("Dallas", "Redmond"));
        assert_eq!((n.wan_links[0].site_a.as_str(), n.wan_links[0].site_b.as_str()), ("Redmond", "Dallas"));
        assert_eq!(n.wan_links[0].bandwidth_kbps, DEFAULT_WAN_KBPS);
        let fields: Vec<(&str, &str)> = todos.iter().map(|t| (t.key.as_str(), t.field.as_str())).collect();
        assert!(fields.contains(&("Dallas", "country")) && !fields.contains(&("Redmond", "country")), "{fields:?}");
        assert!(fields.contains(&("redmond-dallas", "bandwidth_kbps")), "{fields:?}");
    }

    #[test]
    fn cac_sites_merge_by_name_and_size_the_link_placeholder() {
        let cac = Cac {
            policies: vec![BandwidthPolicyFile {
                name: "b".into(),
                audio_limit_kbps: Some(2000),
                audio_session_limit_kbps: None,
                video_limit_kbps: Some(1400),
                video_session_limit_kbps: None,
            }],
            regions: vec![RegionFile { name: "NA".into(), central_site: "Redmond".into(), description: String::new() }],
            sites: vec![NetworkSite {
                name: "dallas".into(),
                region: "NA".into(),
                bandwidth_policy: Some("b".into()),
                location_policy: None,
                description: String::new(),
            }],
            ..Cac::default()
        };
        let (mut todos, mut p) = (Vec::new(), Problems::default());
        let n = build(Some(&topo()), &cac, &[], &files(), &mut todos, &mut p);
        assert!(p.is_empty());
        assert_eq!(n.sites.len(), 2);
        assert_eq!((n.sites[1].region.as_str(), n.sites[1].bandwidth_policy.as_deref()), ("NA", Some("b")));
        assert_eq!(n.wan_links[0].bandwidth_kbps, 3400);
    }

    #[test]
    fn a_region_centred_on_a_site_the_topology_lacks_is_an_error() {
        let cac = Cac {
            regions: vec![RegionFile { name: "EU".into(), central_site: "London".into(), description: String::new() }],
            ..Cac::default()
        };
        let (mut todos, mut p) = (Vec::new(), Problems::default());
        build(Some(&topo()), &cac, &[], &files(), &mut todos, &mut p);
        let e = p.finish(()).unwrap_err().to_string();
        assert!(e.contains("Get-CsNetworkRegion.json: EU, property `CentralSite`"), "{e}");
    }
}
