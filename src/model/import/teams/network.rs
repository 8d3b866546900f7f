//! The network a Teams tenant implies. Direct Routing has no Mediation
//! pool, Front End pool, site or region of its own: Microsoft's SIP
//! proxies talk to each SBC. The model needs all of them, so they are
//! stood in (and said to be): one site per LBR network site the SBCs name
//! (`GatewaySiteId`) beside one central site, one region, one Registrar
//! pool for the users and one Mediation pool that never limits, each SBC
//! a peer with one trunk named by its FQDN.

use crate::model::duration::Micros;
use crate::model::file::{
    DialPlanFile, MediationPoolFile, ModelFile, PeerFile, RegionFile, RegistrarPoolFile, SiteFile,
    TrunkConfigurationFile, TrunkFile, WanLinkFile,
};
use crate::model::import::{Todo, TEAMS_REGISTRAR, TEAMS_SIP_PROXY};

use super::gateways::{Sbc, MOST_SESSIONS};
use super::rules::matches_plus;

/// The central site holding the stand-in pools and the SBCs without a `GatewaySiteId`.
pub const CLOUD_SITE: &str = "Teams";
/// The one region.
pub const REGION: &str = "Teams";
/// The Microsoft SIP proxy's TLS port.
const PROXY_PORT: i64 = 5061;
/// Stand-in servers of the SIP proxy: 100 × 10,000 calls, the model's most.
const PROXY_SERVERS: i64 = 100;
const PROXY_CALLS_PER_SERVER: i64 = 10_000;

/// Sites, region, pools, peers, trunks, trunk configurations and inbound
/// dial plans of `sbcs`, into `model`.
pub fn build(model: &mut ModelFile, sbcs: &[Sbc], todos: &mut Vec<Todo>, notes: &mut Vec<String>) {
    sites(model, sbcs, todos);
    model.registrar_pools.push(RegistrarPoolFile {
        fqdn: TEAMS_REGISTRAR.into(),
        site: CLOUD_SITE.into(),
        kind: "front-end".into(),
        servers: 12,
        backup_registrar: None,
    });
    model.mediation_pools.push(MediationPoolFile {
        fqdn: TEAMS_SIP_PROXY.into(),
        site: CLOUD_SITE.into(),
        kind: "stand-alone".into(),
        collocated_with: None,
        next_hop_registrar: Some(TEAMS_REGISTRAR.into()),
        servers: Some(PROXY_SERVERS),
        calls_per_server: Some(PROXY_CALLS_PER_SERVER),
        dns_load_balancing: true,
    });
    notes.push(format!(
        "Teams has no Mediation pool: Microsoft's SIP proxies ({TEAMS_SIP_PROXY}, sip2, sip3) stand in as one \
         Mediation pool of {PROXY_SERVERS} servers x {PROXY_CALLS_PER_SERVER} calls that never limits; the SBCs' \
         session_limit (MaxConcurrentSessions) does. {TEAMS_REGISTRAR} stands in for the users' Registrar."
    ));
    for sbc in sbcs {
        sbc_objects(model, sbc, todos, notes);
    }
}

fn site_of(sbc: &Sbc) -> String {
    sbc.site_id.clone().unwrap_or_else(|| CLOUD_SITE.into())
}

fn sites(model: &mut ModelFile, sbcs: &[Sbc], todos: &mut Vec<Todo>) {
    model.regions.push(RegionFile {
        name: REGION.into(),
        central_site: CLOUD_SITE.into(),
        description: "Stand-in: Teams has no call admission control regions".into(),
    });
    model.sites.push(SiteFile {
        name: CLOUD_SITE.into(),
        kind: "central".into(),
        region: REGION.into(),
        bandwidth_policy: None,
        country: String::new(),
        emergency_numbers: None,
        location_policy: None,
        time_zone: None,
        description: "Stand-in: Microsoft's cloud, with the SIP proxies and the Teams users".into(),
    });
    todos.push(Todo::new(
        "site",
        CLOUD_SITE,
        "country",
        "the country of users placed here: it gives their emergency numbers; a users CSV with a \
         UsageLocation column (Get-CsOnlineUser) places them at a site per country instead",
    ));
    let mut named: Vec<String> = Vec::new();
    for s in sbcs {
        if let Some(id) = &s.site_id {
            if !id.eq_ignore_ascii_case(CLOUD_SITE) && !named.iter().any(|n| n.eq_ignore_ascii_case(id)) {
                named.push(id.clone());
            }
        }
    }
    for name in named {
        model.sites.push(SiteFile {
            name: name.clone(),
            kind: "branch".into(),
            region: REGION.into(),
            bandwidth_policy: None,
            country: String::new(),
            emergency_numbers: None,
            location_policy: None,
            time_zone: None,
            description: "An SBC's GatewaySiteId (a Location-Based Routing network site)".into(),
        });
        todos.push(Todo::new("site", &name, "country", "the site's country: no Direct Routing export names it"));
        let link = format!("{CLOUD_SITE}-{name}");
        model.wan_links.push(WanLinkFile {
            name: link.clone(),
            site_a: CLOUD_SITE.into(),
            site_b: name.clone(),
            bandwidth_kbps: 1_000_000,
            one_way_delay: Micros::from_millis(20),
            jitter: Micros::from_millis(0),
            loss_percent: 0.0,
            bandwidth_policy: None,
        });
        todos.push(Todo::new(
            "wan_link",
            &link,
            "bandwidth_kbps",
            format!(
                "stand-in (1 Gbit/s, 20 ms): the path between Microsoft's media processors and the SBCs at \
                 {name}; no export gives it"
            ),
        ));
    }
}

/// The peer, trunk, trunk configuration and inbound dial plan of one SBC.
fn sbc_objects(model: &mut ModelFile, sbc: &Sbc, todos: &mut Vec<Todo>, notes: &mut Vec<String>) {
    let fqdn = &sbc.fqdn;
    let session_limit = sbc.max_sessions.unwrap_or_else(|| {
        todos.push(Todo::new(
            "peer",
            fqdn,
            "session_limit",
            format!(
                "placeholder {MOST_SESSIONS} (never limits): the SBC has no MaxConcurrentSessions; give its \
                 licensed or contracted concurrent sessions"
            ),
        ));
        MOST_SESSIONS
    });
    model.peers.push(PeerFile {
        name: fqdn.clone(),
        fqdn: fqdn.clone(),
        kind: "itsp-sbc".into(),
        site: site_of(sbc),
        t1_spans: None,
        e1_spans: None,
        channels: None,
        session_limit: Some(session_limit),
        description: if sbc.description.trim().is_empty() {
            "Direct Routing SBC (Get-CsOnlinePSTNGateway)".into()
        } else {
            sbc.description.clone()
        },
    });
    model.trunks.push(TrunkFile {
        name: fqdn.clone(),
        mediation_pool: TEAMS_SIP_PROXY.into(),
        mediation_port: Some(PROXY_PORT),
        peer: fqdn.clone(),
        peer_port: Some(sbc.port.unwrap_or(PROXY_PORT)),
        transport: "tls".into(),
        max_calls: None,
    });
    let scope = format!("PstnGateway:{fqdn}");
    model.trunk_configurations.push(TrunkConfigurationFile {
        enable_bypass: sbc.media_bypass,
        forward_pai: sbc.forward_pai,
        outbound_translation_rules: sbc.outbound_pstn.clone(),
        outbound_calling_number_translation_rules: sbc.outbound_teams.clone(),
        ..TrunkConfigurationFile::with_defaults(scope.clone())
    });
    // Always a plan of its own: Teams applies no tenant dial plan to the
    // called number of an inbound call, only this SBC's rules.
    model.dial_plans.push(DialPlanFile {
        scope: scope.clone(),
        description: "The called number of inbound calls: the SBC's InboundTeamsNumberTranslationRules".into(),
        external_access_prefix: None,
        optimize_device_dialing: false,
        normalization_rules: sbc.inbound_teams.clone(),
    });
    let plus: Vec<&str> = sbc.inbound_teams.iter().filter(|r| matches_plus(r)).map(|r| r.name.as_str()).collect();
    if !plus.is_empty() {
        todos.push(Todo::new(
            "dial_plan",
            &scope,
            "normalization_rules",
            format!(
                "{} match numbers with a +: Teams applies them to E.164 called numbers, the twin leaves E.164 \
                 numbers as they arrive (docs/import-teams.md, \"Inbound\")",
                plus.join(", ")
            ),
        ));
    }
    if !sbc.inbound_pstn.is_empty() {
        let names: Vec<&str> = sbc.inbound_pstn.iter().map(|r| r.name.as_str()).collect();
        todos.push(Todo::new(
            "peer",
            fqdn,
            "",
            format!(
                "InboundPstnNumberTranslationRules ({}) change the calling number of inbound calls; the model \
                 has no such list: inbound calls keep the number the SBC sends",
                names.join(", ")
            ),
        ));
    }
    match sbc.enabled {
        Some(true) => {}
        Some(false) => notes.push(format!(
            "SBC {fqdn}: Enabled = False (drained: no new outbound calls); its trunk is left out of every route, \
             inbound calls still arrive on it"
        )),
        None => todos.push(Todo::new(
            "peer",
            fqdn,
            "",
            "Enabled was not exported: taken as enabled (New-CsOnlinePSTNGateway creates SBCs disabled); \
             remove its trunk from the routes if it is not",
        )),
    }
    if sbc.lbr {
        todos.push(Todo::new(
            "peer",
            fqdn,
            "",
            "Location-Based Routing is on (GatewaySiteLbrEnabled) and restricts which users may use this \
             SBC by network site; the twin does not (docs/import-teams.md, \"Refused\")",
        ));
    }
    if let Some(proxy) = &sbc.proxy_sbc {
        notes.push(format!(
            "SBC {fqdn}: ProxySbc {proxy} (Local Media Optimization) not modelled: signalling and media go \
             straight to {fqdn}"
        ));
    }
    if !sbc.send_sip_options {
        notes.push(format!(
            "SBC {fqdn}: SendSipOptions = False; Teams then cannot see it fail, the twin detects failures by \
             OPTIONS all the same"
        ));
    }
}
