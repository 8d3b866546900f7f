//! Call admission control: bandwidth policy profiles, network regions,
//! sites and subnets, region links, inter-region routes, inter-site
//! policies, and media bypass (`Get-CsNetworkConfiguration`'s
//! `MediaBypassSettings`). Each is read from its own cmdlet's export, or,
//! when the folder lacks it, from the matching list nested in
//! `Get-CsNetworkConfiguration`, which holds them all.

use super::super::error::{ImportError, Problems};
use super::super::folder::Exports;
use super::super::object::CmdletObject;
use crate::model::file::{
    BandwidthPolicyFile, InterRegionRouteFile, InterSitePolicyFile, RegionFile, RegionLinkFile, SubnetFile,
};

/// A network site as CAC has it; merged with the topology's sites later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkSite {
    pub name: String,
    pub region: String,
    pub bandwidth_policy: Option<String>,
    pub location_policy: Option<String>,
    pub description: String,
}

#[derive(Debug, Default)]
pub struct Cac {
    pub policies: Vec<BandwidthPolicyFile>,
    pub regions: Vec<RegionFile>,
    pub sites: Vec<NetworkSite>,
    pub subnets: Vec<SubnetFile>,
    pub region_links: Vec<RegionLinkFile>,
    pub inter_region_routes: Vec<InterRegionRouteFile>,
    pub inter_site_policies: Vec<InterSitePolicyFile>,
    /// The model's `media.bypass`, when the network configuration says.
    pub bypass: Option<String>,
}

/// `BWPolicyModality`'s names in the order the model reads their numbers.
pub const MODALITIES: [&str; 2] = ["Audio", "Video"];

pub fn read(exports: &Exports, problems: &mut Problems) -> Result<Cac, ImportError> {
    let config = exports.objects("Get-CsNetworkConfiguration", problems)?;
    let src = |cmdlet: &str, nested: &str, problems: &mut Problems| -> Result<Vec<CmdletObject>, ImportError> {
        if exports.has(cmdlet) {
            exports.objects(cmdlet, problems)
        } else {
            Ok(config.iter().flat_map(|c| c.objects(nested, problems)).collect())
        }
    };
    let mut cac = Cac::default();
    for o in src("Get-CsNetworkBandwidthPolicyProfile", "BWPolicyProfiles", problems)? {
        cac.policies.extend(policy(&o, problems));
    }
    for o in src("Get-CsNetworkRegion", "NetworkRegions", problems)? {
        let name = id(&o, "NetworkRegionID", problems);
        let central = o.required_text("CentralSite", problems).map(|s| site_name(&s));
        if let (Some(name), Some(central_site)) = (name, central) {
            let description = o.text("Description", problems).unwrap_or_default();
            cac.regions.push(RegionFile { name, central_site, description });
        }
    }
    for o in src("Get-CsNetworkSite", "NetworkSites", problems)? {
        let name = id(&o, "NetworkSiteID", problems);
        let region = o.required_text("NetworkRegionID", problems);
        if let (Some(name), Some(region)) = (name, region) {
            cac.sites.push(NetworkSite {
                name,
                region,
                bandwidth_policy: o.text("BWPolicyProfileID", problems),
                location_policy: o.text("LocationPolicy", problems).map(|p| tag_name(&p)),
                description: o.text("Description", problems).unwrap_or_default(),
            });
        }
    }
    for o in src("Get-CsNetworkSubnet", "Subnets", problems)? {
        cac.subnets.extend(subnet(&o, problems));
    }
    for o in src("Get-CsNetworkRegionLink", "NetworkRegionLinks", problems)? {
        let name = id(&o, "NetworkRegionLinkID", problems);
        let a = o.required_text("NetworkRegionID1", problems);
        let b = o.required_text("NetworkRegionID2", problems);
        let policy = o.text("BWPolicyProfileID", problems);
        if policy.is_none() {
            problems.push(
                &o.file,
                &o.label,
                "BWPolicyProfileID",
                "missing: the model limits a region link by its bandwidth policy profile; give the link one \
                 (Set-CsNetworkRegionLink -BWPolicyProfileID) or leave the link out",
            );
        }
        if let (Some(name), Some(region_a), Some(region_b), Some(bandwidth_policy)) = (name, a, b, policy) {
            cac.region_links.push(RegionLinkFile { name, region_a, region_b, bandwidth_policy });
        }
    }
    for o in src("Get-CsNetworkInterRegionRoute", "InterNetworkRegionRoutes", problems)? {
        let name = id(&o, "InterNetworkRegionRouteID", problems);
        let a = o.required_text("NetworkRegionID1", problems);
        let b = o.required_text("NetworkRegionID2", problems);
        let mut links = o.texts("NetworkRegionLinks", problems);
        if links.is_empty() {
            links = o.text("NetworkRegionLinkIDs", problems).map(|s| split_ids(&s)).unwrap_or_default();
        }
        if let (Some(name), Some(region_a), Some(region_b)) = (name, a, b) {
            cac.inter_region_routes.push(InterRegionRouteFile { name, region_a, region_b, region_links: links });
        }
    }
    for o in src("Get-CsNetworkInterSitePolicy", "InterNetworkSitePolicies", problems)? {
        let name = id(&o, "InterNetworkSitePolicyID", problems);
        let a = o.required_text("NetworkSiteID1", problems);
        let b = o.required_text("NetworkSiteID2", problems);
        let policy = o.required_text("BWPolicyProfileID", problems);
        if let (Some(name), Some(site_a), Some(site_b), Some(bandwidth_policy)) = (name, a, b, policy) {
            cac.inter_site_policies.push(InterSitePolicyFile { name, site_a, site_b, bandwidth_policy });
        }
    }
    for c in &config {
        for b in c.objects("MediaBypassSettings", problems) {
            cac.bypass = bypass(&b, problems);
        }
    }
    Ok(cac)
}

/// An object's own ID property, else its `Identity` (the same text).
fn id(o: &CmdletObject, property: &str, problems: &mut Problems) -> Option<String> {
    let v = o.text(property, problems).or_else(|| o.text("Identity", problems));
    if v.is_none() {
        problems.push(&o.file, &o.label, property, "missing: the object has no ID and no Identity");
    }
    v
}

/// `Site:Redmond` or `Redmond` → `Redmond`.
fn site_name(s: &str) -> String {
    let t = s.trim();
    match t.split_once(':') {
        Some((head, rest)) if head.eq_ignore_ascii_case("site") => rest.trim().to_owned(),
        _ => t.to_owned(),
    }
}

/// A per-user policy named `Tag:X` or `X` → `X`.
fn tag_name(s: &str) -> String {
    let t = s.trim();
    match t.split_once(':') {
        Some((head, rest)) if head.eq_ignore_ascii_case("tag") => rest.trim().to_owned(),
        _ => t.to_owned(),
    }
}

/// `NetworkRegionLinkIDs`: the link IDs, comma-separated.
fn split_ids(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// A bandwidth policy profile: its `BWPolicy` entries, one per modality.
fn policy(o: &CmdletObject, problems: &mut Problems) -> Option<BandwidthPolicyFile> {
    let name = id(o, "BWPolicyProfileID", problems)?;
    let mut p = BandwidthPolicyFile {
        name,
        audio_limit_kbps: None,
        audio_session_limit_kbps: None,
        video_limit_kbps: None,
        video_session_limit_kbps: None,
    };
    for b in o.objects("BWPolicy", problems) {
        let limit = b.whole("BWLimit", problems);
        let session = b.whole("BWSessionLimit", problems);
        match b.choice("BWPolicyModality", &MODALITIES, problems) {
            Some(0) => (p.audio_limit_kbps, p.audio_session_limit_kbps) = (limit, session),
            Some(_) => (p.video_limit_kbps, p.video_session_limit_kbps) = (limit, session),
            None if !b.has("BWPolicyModality") => {
                problems.push(&b.file, &b.label, "BWPolicyModality", "missing: Audio or Video")
            }
            None => {}
        }
    }
    Some(p)
}

/// `SubnetID` and `MaskBits` → the model's prefix `10.20.0.0/16`.
fn subnet(o: &CmdletObject, problems: &mut Problems) -> Option<SubnetFile> {
    let id = o.text("SubnetID", problems).or_else(|| o.text("Identity", problems));
    if id.is_none() {
        problems.push(&o.file, &o.label, "SubnetID", "missing: the cmdlet always writes it");
    }
    let bits = o.whole("MaskBits", problems);
    if bits.is_none() && !o.has("MaskBits") {
        problems.push(&o.file, &o.label, "MaskBits", "missing: the cmdlet always writes it");
    }
    let site = o.required_text("NetworkSiteID", problems);
    Some(SubnetFile { prefix: format!("{}/{}", id?.trim(), bits?), site: site? })
}

/// `MediaBypassSettings`: `Enabled` false is no bypass; `AlwaysBypass`
/// bypasses whatever the sites; else bypass follows sites and regions.
fn bypass(o: &CmdletObject, problems: &mut Problems) -> Option<String> {
    let enabled = o.flag("Enabled", problems)?;
    let always = o.flag("AlwaysBypass", problems).unwrap_or(false);
    Some(
        match (enabled, always) {
            (false, _) => "off",
            (true, true) => "always",
            (true, false) => "site-and-region",
        }
        .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(json: &str) -> CmdletObject {
        let mut p = Problems::default();
        CmdletObject::all_in("f.json", serde_json::from_str(json).unwrap(), &mut p).remove(0)
    }

    #[test]
    fn a_profile_reads_nested_and_flattened_policies() {
        let nested = r#"{"Identity":"LowBWLimits","BWPolicy":[{"BWLimit":2000,"BWSessionLimit":200,"BWPolicyModality":"Audio"},{"BWLimit":1400,"BWSessionLimit":500,"BWPolicyModality":1}]}"#;
        let flat = r#"{"Identity":"LowBWLimits","BWPolicy":["BWLimit=2000;BWSessionLimit=200;BWPolicyModality=Audio","BWLimit=1400;BWSessionLimit=500;BWPolicyModality=Video"]}"#;
        for json in [nested, flat] {
            let mut p = Problems::default();
            let b = policy(&one(json), &mut p).unwrap();
            assert_eq!(b.name, "LowBWLimits");
            assert_eq!((b.audio_limit_kbps, b.audio_session_limit_kbps), (Some(2000), Some(200)));
            assert_eq!((b.video_limit_kbps, b.video_session_limit_kbps), (Some(1400), Some(500)));
            assert!(p.is_empty());
        }
    }

    #[test]
    fn a_subnet_is_its_id_and_mask_bits() {
        let mut p = Problems::default();
        let s = subnet(&one(r#"{"Identity":"172.11.12.0","MaskBits":24,"NetworkSiteID":"Redmond"}"#), &mut p).unwrap();
        assert_eq!((s.prefix.as_str(), s.site.as_str()), ("172.11.12.0/24", "Redmond"));
        assert!(subnet(&one(r#"{"SubnetID":"10.0.0.0","NetworkSiteID":"x"}"#), &mut p).is_none());
        assert!(p.finish(()).unwrap_err().to_string().contains("property `MaskBits`"));
    }

    #[test]
    fn bypass_follows_enabled_then_always() {
        let mut p = Problems::default();
        assert_eq!(bypass(&one(r#"{"Enabled":false,"AlwaysBypass":true}"#), &mut p).as_deref(), Some("off"));
        assert_eq!(bypass(&one(r#"{"Enabled":true,"AlwaysBypass":true}"#), &mut p).as_deref(), Some("always"));
        assert_eq!(
            bypass(&one(r#"{"Enabled":"True","AlwaysBypass":"False"}"#), &mut p).as_deref(),
            Some("site-and-region")
        );
        assert_eq!(site_name("Site:Redmond"), "Redmond");
        assert_eq!(split_ids("NA_EMEA, EMEA_APAC"), vec!["NA_EMEA", "EMEA_APAC"]);
    }
}
