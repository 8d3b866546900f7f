//! Call admission control: bandwidth policy profiles, network regions,
//! sites, subnets, region links, inter-region routes, inter-site
//! policies, and the global network configuration holding them all with
//! its `MediaBypassSettings`. Every model site is written as a network site.

use serde_json::{json, Value};

use super::file;
use crate::model::export::ExportFile;
use crate::model::file::ModelFile;

pub fn files(m: &ModelFile) -> Vec<ExportFile> {
    let profiles: Vec<Value> = m
        .bandwidth_policies
        .iter()
        .map(|p| {
            let mut bw = Vec::new();
            for (modality, limit, session) in [
                ("Audio", p.audio_limit_kbps, p.audio_session_limit_kbps),
                ("Video", p.video_limit_kbps, p.video_session_limit_kbps),
            ] {
                if limit.is_some() || session.is_some() {
                    bw.push(json!({ "BWLimit": limit, "BWSessionLimit": session, "BWPolicyModality": modality }));
                }
            }
            json!({ "Identity": p.name, "BWPolicy": bw, "Description": null, "BWPolicyProfileID": p.name })
        })
        .collect();
    let regions: Vec<Value> = m
        .regions
        .iter()
        .map(|r| {
            json!({
                "Identity": r.name,
                "Description": r.description,
                "CentralSite": r.central_site,
                "NetworkRegionID": r.name,
            })
        })
        .collect();
    let sites: Vec<Value> = m
        .sites
        .iter()
        .map(|s| {
            json!({
                "Identity": s.name,
                "NetworkSiteID": s.name,
                "Description": s.description,
                "NetworkRegionID": s.region,
                "BWPolicyProfileID": s.bandwidth_policy,
                "LocationPolicy": s.location_policy.as_ref().map(|p| format!("Tag:{p}")),
            })
        })
        .collect();
    let subnets: Vec<Value> = m
        .subnets
        .iter()
        .map(|s| {
            let (id, bits) = s.prefix.split_once('/').unwrap_or((s.prefix.as_str(), "32"));
            let bits: Value = bits.trim().parse::<i64>().map_or_else(|_| json!(bits), |b| json!(b));
            json!({ "Identity": id, "MaskBits": bits, "Description": null, "NetworkSiteID": s.site, "SubnetID": id })
        })
        .collect();
    let links: Vec<Value> = m
        .region_links
        .iter()
        .map(|l| {
            json!({
                "Identity": l.name,
                "BWPolicyProfileID": l.bandwidth_policy,
                "NetworkRegionLinkID": l.name,
                "NetworkRegionID1": l.region_a,
                "NetworkRegionID2": l.region_b,
            })
        })
        .collect();
    let routes: Vec<Value> = m
        .inter_region_routes
        .iter()
        .map(|r| {
            json!({
                "Identity": r.name,
                "NetworkRegionLinks": r.region_links,
                "InterNetworkRegionRouteID": r.name,
                "NetworkRegionID1": r.region_a,
                "NetworkRegionID2": r.region_b,
            })
        })
        .collect();
    let policies: Vec<Value> = m
        .inter_site_policies
        .iter()
        .map(|p| {
            json!({
                "Identity": p.name,
                "BWPolicyProfileID": p.bandwidth_policy,
                "InterNetworkSitePolicyID": p.name,
                "NetworkSiteID1": p.site_a,
                "NetworkSiteID2": p.site_b,
            })
        })
        .collect();
    let (enabled, always) = match m.media.bypass.as_str() {
        "always" => (true, true),
        "site-and-region" => (true, false),
        _ => (false, false),
    };
    let internal = if enabled { "On" } else { "Off" };
    let configuration = json!({
        "Identity": "Global",
        "MediaBypassSettings": {
            "Enabled": enabled,
            "AlwaysBypass": always,
            "EnabledForAudioVideoConferences": false,
            "InternalBypassMode": internal,
            "ExternalBypassMode": "Off",
        },
        "BWPolicyProfiles": profiles.clone(),
        "NetworkRegions": regions.clone(),
        "NetworkRegionLinks": links.clone(),
        "InterNetworkRegionRoutes": routes.clone(),
        "NetworkSites": sites.clone(),
        "InterNetworkSitePolicies": policies.clone(),
        "Subnets": subnets.clone(),
        "EnableBandwidthPolicyCheck": !m.bandwidth_policies.is_empty(),
    });
    vec![
        file("Get-CsNetworkBandwidthPolicyProfile", Value::Array(profiles)),
        file("Get-CsNetworkRegion", Value::Array(regions)),
        file("Get-CsNetworkSite", Value::Array(sites)),
        file("Get-CsNetworkSubnet", Value::Array(subnets)),
        file("Get-CsNetworkRegionLink", Value::Array(links)),
        file("Get-CsNetworkInterRegionRoute", Value::Array(routes)),
        file("Get-CsNetworkInterSitePolicy", Value::Array(policies)),
        file("Get-CsNetworkConfiguration", configuration),
    ]
}
