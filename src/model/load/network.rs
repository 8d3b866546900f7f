//! Stage 1 and 2 of loading: topology, servers, peers and trunks.

use std::collections::HashMap;

use super::super::file::*;
use super::super::*;
use super::{label, Builder, Names, Network};
use crate::limits::model::{REGISTRAR_SERVERS, RESPONSE_CODE};
use crate::model::emergency::EmergencySource;

impl Builder {
    /// Every object of the topology; one whose reference does not resolve
    /// stands at the first object of that kind (the model is rejected), so
    /// the later stages can check the rest.
    pub(super) fn network(&mut self, raw: &ModelFile) -> Network {
        let policy_names = self.names("bandwidth_policy", "name", &raw.bandwidth_policies, |p| &p.name);
        let bandwidth_policies: Vec<BandwidthPolicy> =
            raw.bandwidth_policies.iter().map(|p| self.bandwidth_policy(p)).collect();
        let region_names = self.names("region", "name", &raw.regions, |r| &r.name);
        let site_names = self.names("site", "name", &raw.sites, |s| &s.name);
        self.names("wan_link", "name", &raw.wan_links, |l| &l.name); // duplicate names
        let registrar_names = self.names("registrar_pool", "fqdn", &raw.registrar_pools, |p| &p.fqdn);
        let mediation_names = self.names("mediation_pool", "fqdn", &raw.mediation_pools, |p| &p.fqdn);
        let peer_names = self.names("peer", "name", &raw.peers, |p| &p.name);
        if raw.sites.is_empty() {
            self.err("the model", "site", "defines no site; a network needs at least one [[site]]");
        }

        let site_policy: Vec<Option<usize>> = raw
            .sites
            .iter()
            .map(|s| {
                let obj = label("site", &s.name);
                s.bandwidth_policy
                    .as_ref()
                    .and_then(|p| self.resolve(&policy_names, "bandwidth_policy", p, &obj, "bandwidth_policy"))
            })
            .collect();
        let sites: Vec<Site> = raw
            .sites
            .iter()
            .map(|s| {
                let obj = label("site", &s.name);
                let kind = match s.kind.to_lowercase().as_str() {
                    "central" => SiteKind::Central,
                    "branch" => SiteKind::Branch,
                    other => {
                        self.err(
                            &obj,
                            "kind",
                            format!("\"{other}\" is not a site kind; use \"central\" or \"branch\""),
                        );
                        SiteKind::Branch
                    }
                };
                let region = self.resolve(&region_names, "region", &s.region, &obj, "region").unwrap_or(0);
                let (emergency_numbers, emergency_source) = self.emergency_numbers(&obj, s);
                let time_zone = s.time_zone.as_deref().and_then(|z| {
                    crate::model::zone::SiteZone::parse(z).map_err(|e| self.err(&obj, "time_zone", e)).ok()
                });
                Site {
                    name: s.name.clone(),
                    kind,
                    region: RegionId::from_index(region),
                    country: s.country.clone(),
                    emergency_numbers,
                    emergency_source,
                    time_zone,
                }
            })
            .collect();
        let regions: Vec<Region> = raw
            .regions
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let obj = label("region", &r.name);
                let c = self.resolve(&site_names, "site", &r.central_site, &obj, "central_site").unwrap_or(0);
                if let Some(site) = sites.get(c) {
                    if site.kind != SiteKind::Central || site.region.index() != ri {
                        self.err(
                            &obj,
                            "central_site",
                            format!("\"{}\" must be a central site of this region", r.central_site),
                        );
                    }
                }
                Region { name: r.name.clone(), central_site: SiteId::from_index(c) }
            })
            .collect();
        let links: Vec<WanLink> = raw
            .wan_links
            .iter()
            .map(|l| {
                let obj = label("wan_link", &l.name);
                let a = self.resolve(&site_names, "site", &l.site_a, &obj, "site_a").unwrap_or(0);
                let b = self.resolve(&site_names, "site", &l.site_b, &obj, "site_b").unwrap_or(0);
                if a == b && !l.site_a.is_empty() {
                    self.err(&obj, "site_b", "a WAN link joins two different sites");
                }
                let bandwidth_kbps = self.count(&obj, "bandwidth_kbps", l.bandwidth_kbps);
                WanLink {
                    name: l.name.clone(),
                    sites: (SiteId::from_index(a), SiteId::from_index(b)),
                    bandwidth_kbps,
                    one_way_delay: l.one_way_delay,
                    jitter: l.jitter,
                    loss_percent: l.loss_percent,
                    bandwidth_policy: l
                        .bandwidth_policy
                        .as_ref()
                        .and_then(|n| self.resolve(&policy_names, "bandwidth_policy", n, &obj, "bandwidth_policy")),
                }
            })
            .collect();
        let registrar_pools: Vec<RegistrarPool> = raw
            .registrar_pools
            .iter()
            .map(|p| {
                let obj = label("registrar_pool", &p.fqdn);
                let site = self.resolve(&site_names, "site", &p.site, &obj, "site").unwrap_or(0);
                let kind = match p.kind.to_lowercase().as_str() {
                    "front-end" => RegistrarKind::FrontEnd,
                    "standard-edition" => RegistrarKind::StandardEdition,
                    "sba" => RegistrarKind::Sba,
                    "sbs" => RegistrarKind::Sbs,
                    other => {
                        self.err(&obj, "kind", format!("\"{other}\" is not a pool kind; use \"front-end\", \"standard-edition\", \"sba\" or \"sbs\""));
                        RegistrarKind::FrontEnd
                    }
                };
                let servers = self.count(&obj, "servers", p.servers);
                let max = if kind == RegistrarKind::FrontEnd { REGISTRAR_SERVERS.max as u32 } else { 1 };
                if servers > max {
                    self.err(&obj, "servers", format!("a {} pool holds at most {max} server(s), not {servers}", p.kind));
                }
                RegistrarPool { fqdn: p.fqdn.clone(), site: SiteId::from_index(site), kind, servers, backup_registrar: None }
            })
            .collect();
        let mut registrar_pools = registrar_pools;
        for (i, p) in raw.registrar_pools.iter().enumerate() {
            if let Some(b) = &p.backup_registrar {
                let obj = label("registrar_pool", &p.fqdn);
                let id = self.resolve(&registrar_names, "registrar_pool", b, &obj, "backup_registrar");
                if id == Some(i) {
                    self.err(&obj, "backup_registrar", "a pool cannot be its own backup Registrar");
                }
                registrar_pools[i].backup_registrar = id.map(RegistrarPoolId::from_index);
            }
        }
        let mediation_pools: Vec<MediationPool> = raw
            .mediation_pools
            .iter()
            .map(|m| {
                let obj = label("mediation_pool", &m.fqdn);
                let site = self.resolve(&site_names, "site", &m.site, &obj, "site").unwrap_or(0);
                let kind = match m.kind.to_lowercase().as_str() {
                    "stand-alone" => MediationKind::StandAlone,
                    "collocated" => MediationKind::Collocated,
                    other => {
                        self.err(
                            &obj,
                            "kind",
                            format!("\"{other}\" is not a Mediation pool kind; use \"stand-alone\" or \"collocated\""),
                        );
                        MediationKind::StandAlone
                    }
                };
                let collocated_with = match (&m.collocated_with, kind) {
                    (Some(r), MediationKind::Collocated) => {
                        self.resolve(&registrar_names, "registrar_pool", r, &obj, "collocated_with")
                    }
                    (None, MediationKind::Collocated) => {
                        self.err(
                            &obj,
                            "collocated_with",
                            "a collocated Mediation pool names the Registrar pool it runs on",
                        );
                        None
                    }
                    (Some(_), MediationKind::StandAlone) => {
                        self.err(&obj, "collocated_with", "only a collocated Mediation pool runs on a Registrar pool");
                        None
                    }
                    (None, MediationKind::StandAlone) => None,
                };
                let next_hop = match &m.next_hop_registrar {
                    Some(r) => self.resolve(&registrar_names, "registrar_pool", r, &obj, "next_hop_registrar"),
                    None => collocated_with.or_else(|| {
                        let found = registrar_pools.iter().position(|p| p.site.index() == site);
                        if found.is_none() {
                            self.err(
                                &obj,
                                "next_hop_registrar",
                                "no Registrar pool at this site; name the next-hop Registrar pool",
                            );
                        }
                        found
                    }),
                };
                let host_servers = collocated_with.and_then(|r| registrar_pools.get(r)).map(|p| p.servers);
                let servers = match (m.servers, host_servers) {
                    (Some(n), _) => self.count(&obj, "servers", n),
                    (None, Some(n)) => n,
                    (None, None) => 1,
                };
                let default_calls = if kind == MediationKind::Collocated { 150 } else { 1500 };
                let calls_per_server = match m.calls_per_server {
                    Some(n) => self.count(&obj, "calls_per_server", n),
                    None => default_calls,
                };
                MediationPool {
                    fqdn: m.fqdn.clone(),
                    site: SiteId::from_index(site),
                    kind,
                    collocated_with: collocated_with.map(RegistrarPoolId::from_index),
                    next_hop_registrar: RegistrarPoolId::from_index(next_hop.unwrap_or(0)),
                    servers,
                    calls_per_server,
                    dns_load_balancing: m.dns_load_balancing,
                }
            })
            .collect();
        let peers: Vec<Peer> = raw.peers.iter().map(|p| self.peer(p, &site_names)).collect();
        Network {
            bandwidth_policies,
            site_policy,
            region_names,
            policy_names,
            regions,
            sites,
            links,
            registrar_pools,
            mediation_pools,
            peers,
            site_names,
            registrar_names,
            mediation_names,
            peer_names,
        }
    }

    /// The trunks; one whose pool or peer does not resolve is kept (routes
    /// and scopes name it) with the first of that kind standing in.
    pub(super) fn trunks(&mut self, raw: &ModelFile, net: &Network) -> (Names, Vec<Trunk>) {
        let Network { mediation_names, peer_names, peers, .. } = net;
        let trunk_names = self.names("trunk", "name", &raw.trunks, |t| &t.name);
        let mut seen_assoc: HashMap<(usize, u16, usize, u16), String> = HashMap::new();
        let mut trunks: Vec<Trunk> = Vec::with_capacity(raw.trunks.len());
        for t in &raw.trunks {
            let obj = label("trunk", &t.name);
            let pool =
                self.resolve(mediation_names, "mediation_pool", &t.mediation_pool, &obj, "mediation_pool").unwrap_or(0);
            let peer = self.resolve(peer_names, "peer", &t.peer, &obj, "peer").unwrap_or(0);
            let transport = match t.transport.to_lowercase().as_str() {
                "tls" => Transport::Tls,
                "tcp" => Transport::Tcp,
                other => {
                    self.err(&obj, "transport", format!("\"{other}\" is not a transport; use \"tls\" or \"tcp\""));
                    Transport::Tls
                }
            };
            // Topology Builder's usual ports (an inference, see
            // docs/lync-behaviour.md, "Trunks and trunk configurations").
            let default_ms_port = if transport == Transport::Tls { 5067 } else { 5068 };
            let mediation_port = self.port(t.mediation_port, default_ms_port);
            let peer_port = self.port(t.peer_port, 5066);
            if let Some(other) = seen_assoc.insert((pool, mediation_port, peer, peer_port), t.name.clone()) {
                self.err(&obj, "peer_port", format!("trunk \"{other}\" already associates the same Mediation pool, port, peer and port; give this trunk another port"));
            }
            let max_calls = t.max_calls.map(|n| self.count(&obj, "max_calls", n));
            let site = peers.get(peer).map(|p| p.site).unwrap_or(SiteId(0));
            trunks.push(Trunk {
                name: t.name.clone(),
                mediation_pool: MediationPoolId::from_index(pool),
                mediation_port,
                peer: PeerId::from_index(peer),
                peer_port,
                transport,
                max_calls,
                site,
                config: TrunkConfigId(0),
                inbound_dial_plan: DialPlanId(0),
            });
        }
        (trunk_names, trunks)
    }

    pub(super) fn media(&mut self, m: &MediaFile, any_policy: bool) -> MediaSettings {
        let obj = "[media]";
        let bypass = match m.bypass.as_str() {
            "off" => BypassMode::Off,
            "site-and-region" => BypassMode::SiteAndRegion,
            "always" => BypassMode::Always,
            other => {
                self.err(
                    obj,
                    "bypass",
                    format!("\"{other}\" is not a mode; use \"off\", \"site-and-region\" or \"always\""),
                );
                BypassMode::Off
            }
        };
        if bypass == BypassMode::Always && any_policy {
            self.err(obj, "bypass", "\"always\" bypass is not allowed with call admission control (bandwidth policies); use \"site-and-region\"");
        }
        let lync_codec = match m.lync_codec.as_str() {
            "rtaudio-nb" => LyncCodec::RtaudioNb,
            "g711" => LyncCodec::G711,
            other => {
                self.err(obj, "lync_codec", format!("\"{other}\" is not a codec here; use \"rtaudio-nb\" or \"g711\""));
                LyncCodec::RtaudioNb
            }
        };
        let video_resolution = match m.video_resolution.as_str() {
            "1920x1080" => VideoResolution::Hd1080,
            "1280x720" => VideoResolution::Hd720,
            "640x360" => VideoResolution::Vga360,
            "320x180" => VideoResolution::Small180,
            other => {
                self.err(
                    obj,
                    "video_resolution",
                    format!("\"{other}\" is not a resolution here; use \"1920x1080\", \"1280x720\", \"640x360\" or \"320x180\""),
                );
                VideoResolution::Vga360
            }
        };
        MediaSettings {
            bypass,
            lync_codec,
            fec: m.fec,
            voicemail: m.voicemail,
            video_share: m.video_share,
            video_resolution,
        }
    }

    pub(super) fn settings(&mut self, r: &RoutingSettingsFile) -> RoutingSettings {
        let obj = "[routing]";
        let intra_usage_mode = match r.intra_usage_mode.as_str() {
            "equal-cost-union" => IntraUsageMode::EqualCostUnion,
            "priority-ordered" => IntraUsageMode::PriorityOrdered,
            other => {
                self.err(
                    obj,
                    "intra_usage_mode",
                    format!("\"{other}\" is not a mode; use \"equal-cost-union\" or \"priority-ordered\""),
                );
                IntraUsageMode::EqualCostUnion
            }
        };
        let external_access_prefix_mode = match r.external_access_prefix_mode.as_str() {
            "when-optimized" => AccessPrefixMode::WhenOptimized,
            "always" => AccessPrefixMode::Always,
            "never" => AccessPrefixMode::Never,
            other => {
                self.err(
                    obj,
                    "external_access_prefix_mode",
                    format!("\"{other}\" is not a mode; use \"when-optimized\", \"always\" or \"never\""),
                );
                AccessPrefixMode::WhenOptimized
            }
        };
        let mut codes = |field: &str, list: &[i64]| -> Vec<u16> {
            list.iter()
                .filter_map(|c| match RESPONSE_CODE.check(*c) {
                    Ok(c) => u16::try_from(c).ok(),
                    Err(e) => {
                        self.err(obj, field, e);
                        None
                    }
                })
                .collect()
        };
        let failover_codes = codes("failover_codes", &r.failover_codes);
        let final_codes = codes("final_codes", &r.final_codes);
        RoutingSettings {
            intra_usage_mode,
            strip_visual_separators: r.strip_visual_separators,
            external_access_prefix_mode,
            fast_failover_timeout: r.fast_failover_timeout,
            failover_on_5xx: r.failover_on_5xx,
            failover_codes,
            final_codes,
            usage_fallthrough: r.usage_fallthrough,
        }
    }

    fn peer(&mut self, p: &PeerFile, site_names: &Names) -> Peer {
        let obj = label("peer", &p.name);
        let site = self.resolve(site_names, "site", &p.site, &obj, "site").unwrap_or(0);
        let tdm = [("t1_spans", p.t1_spans), ("e1_spans", p.e1_spans), ("channels", p.channels)];
        let kind = match p.kind.to_lowercase().as_str() {
            "pstn-gateway" => {
                if p.session_limit.is_some() {
                    self.err(&obj, "session_limit", "a PSTN gateway is sized by t1_spans, e1_spans or channels");
                }
                let mut channels: i64 = 0;
                for (field, v) in tdm {
                    if let Some(v) = v {
                        let n = i64::from(self.count(&obj, field, v));
                        channels += n * match field {
                            "t1_spans" => 23,
                            "e1_spans" => 30,
                            _ => 1,
                        };
                    }
                }
                if channels == 0 {
                    self.err(
                        &obj,
                        "channels",
                        "a PSTN gateway needs t1_spans (23 channels each), e1_spans (30 each) or channels",
                    );
                    channels = 1;
                }
                PeerKind::PstnGateway { channels: u32::try_from(channels).unwrap_or(u32::MAX) }
            }
            kind @ ("ip-pbx" | "itsp-sbc") => {
                for (field, v) in tdm {
                    if v.is_some() {
                        self.err(&obj, field, format!("an {kind} has no TDM channels; size it with session_limit"));
                    }
                }
                let limit = p.session_limit.map(|n| self.count(&obj, "session_limit", n));
                if kind == "ip-pbx" {
                    PeerKind::IpPbx { session_limit: limit }
                } else {
                    let session_limit = limit.unwrap_or_else(|| {
                        self.err(&obj, "session_limit", "an ITSP SBC needs its contracted session_limit");
                        1
                    });
                    PeerKind::ItspSbc { session_limit }
                }
            }
            other => {
                self.err(
                    &obj,
                    "kind",
                    format!("\"{other}\" is not a peer kind; use \"pstn-gateway\", \"ip-pbx\" or \"itsp-sbc\""),
                );
                PeerKind::IpPbx { session_limit: None }
            }
        };
        if p.fqdn.trim().is_empty() {
            self.err(&obj, "fqdn", "must not be empty");
        }
        let spans = match (p.t1_spans, p.e1_spans, p.channels) {
            (Some(_), None, None) => Some(SpanKind::T1),
            (None, Some(_), None) => Some(SpanKind::E1),
            _ => None,
        }
        .filter(|_| matches!(kind, PeerKind::PstnGateway { .. }));
        Peer { name: p.name.clone(), fqdn: p.fqdn.clone(), kind, site: SiteId::from_index(site), spans }
    }
}

impl Builder {
    /// A site's emergency numbers: as the model gives them (each checked),
    /// else those of its country, else none.
    fn emergency_numbers(&mut self, obj: &str, s: &SiteFile) -> (Vec<String>, EmergencySource) {
        use crate::model::emergency;
        match &s.emergency_numbers {
            Some(list) => {
                if list.len() > emergency::MAX_NUMBERS {
                    self.err(
                        obj,
                        "emergency_numbers",
                        format!("lists {} numbers; at most {} (a site has a few)", list.len(), emergency::MAX_NUMBERS),
                    );
                }
                let mut out: Vec<String> = Vec::new();
                for n in list {
                    match emergency::problem(n) {
                        Some(p) => self.err(obj, "emergency_numbers", p),
                        None if out.contains(n) => {
                            self.err(obj, "emergency_numbers", format!("\"{n}\" is listed twice"))
                        }
                        None => out.push(n.clone()),
                    }
                }
                (out, EmergencySource::Model)
            }
            None => match emergency::for_country(&s.country) {
                Some(numbers) => (numbers.iter().map(|n| (*n).to_owned()).collect(), EmergencySource::Country),
                None => (Vec::new(), EmergencySource::Unknown),
            },
        }
    }
}

impl Builder {
    /// A bandwidth policy profile: a modality's policy exists when either of
    /// its fields is given; its session limit then defaults to 175 kbps
    /// (audio) or 700 kbps (video), and without an aggregate limit there is
    /// no aggregate cap (New-CsNetworkBandwidthPolicyProfile;
    /// docs/lync-behaviour.md, "Call admission control").
    fn bandwidth_policy(&mut self, p: &BandwidthPolicyFile) -> BandwidthPolicy {
        let obj = label("bandwidth_policy", &p.name);
        let any_audio = p.audio_limit_kbps.is_some() || p.audio_session_limit_kbps.is_some();
        let any_video = p.video_limit_kbps.is_some() || p.video_session_limit_kbps.is_some();
        if !any_audio && !any_video {
            self.err(
                &obj,
                "audio_limit_kbps",
                "sets no limit: give audio_limit_kbps or audio_session_limit_kbps (audio), video_limit_kbps or video_session_limit_kbps (video), or both",
            );
        }
        let mut field = |name: &str, v: Option<i64>| v.map(|v| self.count(&obj, name, v));
        let audio_limit_kbps = field("audio_limit_kbps", p.audio_limit_kbps);
        let audio_session = field("audio_session_limit_kbps", p.audio_session_limit_kbps);
        let video_limit_kbps = field("video_limit_kbps", p.video_limit_kbps);
        let video_session = field("video_session_limit_kbps", p.video_session_limit_kbps);
        BandwidthPolicy {
            name: p.name.clone(),
            audio_limit_kbps,
            audio_session_limit_kbps: any_audio.then(|| audio_session.unwrap_or(AUDIO_SESSION_DEFAULT_KBPS)),
            video_limit_kbps,
            video_session_limit_kbps: any_video.then(|| video_session.unwrap_or(VIDEO_SESSION_DEFAULT_KBPS)),
        }
    }
}

/// `AudioBWSessionLimit` and `VideoBWSessionLimit` when only the aggregate
/// is given (New-CsNetworkBandwidthPolicyProfile).
const AUDIO_SESSION_DEFAULT_KBPS: u32 = 175;
const VIDEO_SESSION_DEFAULT_KBPS: u32 = 700;
