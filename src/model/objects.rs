//! The validated objects of a [`Model`](super::Model). Every reference is a
//! typed id; every pattern is compiled.

use serde::Serialize;

use super::duration::Micros;
use super::ids::*;
use crate::pattern::netregex::{NetRegex, Rewrite};

/// A CAC network region; it holds exactly one central site.
#[derive(Debug, Clone)]
pub struct Region {
    pub name: String,
    pub central_site: SiteId,
}

/// Central or branch site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteKind {
    Central,
    Branch,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    pub kind: SiteKind,
    pub region: RegionId,
    pub country: String,
    /// What its users dial for the emergency services (docs/model.md,
    /// "Emergency numbers"), and where that came from.
    pub emergency_numbers: Vec<String>,
    pub emergency_source: super::emergency::EmergencySource,
    /// Its local time (`time_zone`), when given: a source's day profile
    /// is read in it (docs/model.md, "Sites").
    pub time_zone: Option<super::zone::SiteZone>,
}

/// A WAN link between two sites, with what the E-model and CAC need.
#[derive(Debug, Clone)]
pub struct WanLink {
    pub name: String,
    pub sites: (SiteId, SiteId),
    pub bandwidth_kbps: u32,
    pub one_way_delay: Micros,
    pub jitter: Micros,
    pub loss_percent: f64,
    /// The bandwidth policy profile CAC enforces on it, if any.
    pub bandwidth_policy: Option<usize>,
}

/// A bandwidth policy profile: for audio and for video, the aggregate and
/// per-session limits call admission control enforces on a link
/// (docs/model.md, `[[bandwidth_policy]]`).
#[derive(Debug, Clone)]
pub struct BandwidthPolicy {
    pub name: String,
    /// Aggregate audio; `None`: no aggregate cap (a session limit alone).
    pub audio_limit_kbps: Option<u32>,
    /// Largest audio session; `None` only when the profile has no audio
    /// policy (audio is not checked).
    pub audio_session_limit_kbps: Option<u32>,
    /// Aggregate video; `None`: no aggregate cap.
    pub video_limit_kbps: Option<u32>,
    /// Largest video session; `None` when the profile has no video policy.
    pub video_session_limit_kbps: Option<u32>,
}

/// What a call admission control element polices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "index")]
pub enum CacElementKind {
    /// A site's link to its region (the site's `bandwidth_policy`).
    SiteLink(usize),
    /// A region link.
    RegionLink(usize),
    /// An inter-site policy.
    InterSite(usize),
    /// A WAN link with a policy (models without the CAC network objects).
    WanLink(usize),
}

/// One place where call admission control counts audio.
#[derive(Debug, Clone)]
pub struct CacElement {
    pub name: String,
    pub kind: CacElementKind,
    pub policy: usize,
    /// The regions whose Bandwidth Policy Service checks it: a site link's
    /// region twice, else the regions of its two ends.
    pub regions: (RegionId, RegionId),
}

/// Global media bypass mode (docs/lync-behaviour.md, "Media bypass").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BypassMode {
    Off,
    /// Bypass IDs from sites and regions: one per region; a site on a
    /// constrained link (one with a bandwidth policy) gets its own.
    SiteAndRegion,
    /// One bypass ID for everything (not allowed with CAC).
    Always,
}

/// The codec between Lync endpoints and the Mediation Server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LyncCodec {
    RtaudioNb,
    G711,
}

/// Global media settings.
#[derive(Debug, Clone, Copy)]
pub struct MediaSettings {
    pub bypass: BypassMode,
    pub lync_codec: LyncCodec,
    pub fec: bool,
    pub voicemail: bool,
    /// Share of calls between users that add video (0: no video).
    pub video_share: f64,
    pub video_resolution: VideoResolution,
}

/// The H.264 resolution of video calls; its payload bit rates are in
/// `sim::media::video_rate` (docs/lync-behaviour.md, "Capacity figures").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum VideoResolution {
    #[serde(rename = "1920x1080")]
    Hd1080,
    #[serde(rename = "1280x720")]
    Hd720,
    #[serde(rename = "640x360")]
    Vga360,
    #[serde(rename = "320x180")]
    Small180,
}

/// What kind of server runs a Registrar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrarKind {
    FrontEnd,
    StandardEdition,
    /// Survivable Branch Appliance: Registrar + Mediation + gateway in one box.
    Sba,
    /// Survivable Branch Server: Registrar + Mediation on Windows Server.
    Sbs,
}

#[derive(Debug, Clone)]
pub struct RegistrarPool {
    pub fqdn: String,
    pub site: SiteId,
    pub kind: RegistrarKind,
    pub servers: u32,
    pub backup_registrar: Option<RegistrarPoolId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MediationKind {
    StandAlone,
    Collocated,
}

/// A Mediation Server pool: the B2BUA between Lync and the trunk peers.
#[derive(Debug, Clone)]
pub struct MediationPool {
    pub fqdn: String,
    pub site: SiteId,
    pub kind: MediationKind,
    pub collocated_with: Option<RegistrarPoolId>,
    pub next_hop_registrar: RegistrarPoolId,
    pub servers: u32,
    /// Concurrent non-bypass calls one server carries.
    pub calls_per_server: u32,
    /// Whether peers spread calls over the servers (DNS load balancing).
    pub dns_load_balancing: bool,
}

/// What sits at the far end of a trunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum PeerKind {
    /// A PSTN gateway with TDM channels (23 per T1, 30 per E1).
    PstnGateway { channels: u32 },
    /// An IP-PBX reached by Direct SIP; optionally a trunk-group limit.
    IpPbx { session_limit: Option<u32> },
    /// An ITSP's session border controller with a contracted session limit.
    ItspSbc { session_limit: u32 },
}

impl PeerKind {
    /// Concurrent calls the peer takes, when it is limited.
    pub fn capacity(&self) -> Option<u32> {
        match *self {
            PeerKind::PstnGateway { channels } => Some(channels),
            PeerKind::IpPbx { session_limit } => session_limit,
            PeerKind::ItspSbc { session_limit } => Some(session_limit),
        }
    }

    /// Short label for tables.
    pub fn label(&self) -> &'static str {
        match self {
            PeerKind::PstnGateway { .. } => "pstn-gateway",
            PeerKind::IpPbx { .. } => "ip-pbx",
            PeerKind::ItspSbc { .. } => "itsp-sbc",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Peer {
    pub name: String,
    pub fqdn: String,
    pub kind: PeerKind,
    pub site: SiteId,
    /// A gateway written in whole spans of one kind (`t1_spans` or
    /// `e1_spans` alone): planning buys it in those spans.
    pub spans: Option<SpanKind>,
}

/// A TDM span: a T1 carries 23 channels (PRI: 23 B + 1 D), an E1 30
/// (30 B + 1 D + framing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum SpanKind {
    T1,
    E1,
}

impl SpanKind {
    /// Voice channels of one span.
    pub fn channels(self) -> u32 {
        match self {
            SpanKind::T1 => 23,
            SpanKind::E1 => 30,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SpanKind::T1 => "T1",
            SpanKind::E1 => "E1",
        }
    }

    /// The model file's field for a number of these spans.
    pub fn field(self) -> &'static str {
        match self {
            SpanKind::T1 => "t1_spans",
            SpanKind::E1 => "e1_spans",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Tls,
    Tcp,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Tls => "TLS",
            Transport::Tcp => "TCP",
        }
    }
}

/// An M:N trunk: {Mediation pool, port} to {peer, port} over a transport.
#[derive(Debug, Clone)]
pub struct Trunk {
    pub name: String,
    pub mediation_pool: MediationPoolId,
    pub mediation_port: u16,
    pub peer: PeerId,
    pub peer_port: u16,
    pub transport: Transport,
    /// Optional per-trunk concurrent call limit.
    pub max_calls: Option<u32>,
    /// The trunk's site (its peer's site): the `site:` scope that applies.
    pub site: SiteId,
    /// Effective trunk configuration (trunk > site > global).
    pub config: TrunkConfigId,
    /// Dial plan for calls arriving on this trunk (PstnGateway > site > global).
    pub inbound_dial_plan: DialPlanId,
}

/// Scope of a trunk configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrunkConfigScope {
    Global,
    Site(SiteId),
    Trunk(TrunkId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SrtpMode {
    Required,
    Optional,
    NotSupported,
}

/// A number translation rule (normalization, called or calling number).
#[derive(Debug, Clone)]
pub struct NumberRule {
    pub name: String,
    pub rewrite: Rewrite,
    /// Only for normalization rules: the result is an internal number.
    pub is_internal_extension: bool,
    pub description: String,
}

/// `New-CsSipResponseCodeTranslationRule`.
#[derive(Debug, Clone)]
pub struct ResponseCodeRule {
    pub name: String,
    /// 400–699, or 0 to ignore.
    pub received_response_code: u16,
    /// ISUP cause value, or `None` to ignore.
    pub received_isup_cause: Option<u8>,
    pub translated_response_code: u16,
}

/// `New-CsTrunkConfiguration`, resolved.
#[derive(Debug, Clone)]
pub struct TrunkConfig {
    pub scope: TrunkConfigScope,
    pub identity: String,
    pub enable_bypass: bool,
    pub concentrated_topology: bool,
    pub enable_refer_support: bool,
    pub enable_fast_failover_timer: bool,
    pub remove_plus_from_uri: bool,
    pub forward_pai: bool,
    pub srtp_mode: SrtpMode,
    /// Ordered usages for inter-trunk routing of calls arriving on the trunk.
    pub pstn_usages: Vec<UsageId>,
    pub outbound_translation_rules: Vec<NumberRule>,
    pub outbound_calling_number_translation_rules: Vec<NumberRule>,
    pub sip_response_code_translation_rules: Vec<ResponseCodeRule>,
}

/// Scope of a dial plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DialPlanScope {
    Global,
    Site(SiteId),
    Registrar(RegistrarPoolId),
    /// Service scope `PstnGateway:<trunk>`: normalizes calls arriving on it.
    Trunk(TrunkId),
    /// A per-user plan, assigned to user groups.
    User,
}

#[derive(Debug, Clone)]
pub struct DialPlan {
    pub identity: String,
    pub scope: DialPlanScope,
    pub external_access_prefix: Option<String>,
    pub optimize_device_dialing: bool,
    /// In the order they are tested (Priority ascending).
    pub normalization_rules: Vec<NumberRule>,
}

/// Scope of a voice policy (there is no pool scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VoicePolicyScope {
    Global,
    Site(SiteId),
    User,
}

#[derive(Debug, Clone)]
pub struct VoicePolicy {
    pub identity: String,
    pub scope: VoicePolicyScope,
    /// Ordered: the first usage with a route is used, later ones are backups.
    pub pstn_usages: Vec<UsageId>,
    pub allow_pstn_rerouting: bool,
    pub allow_call_forwarding: bool,
    pub allow_simul_ring: bool,
    pub enable_bw_policy_override: bool,
    pub prevent_pstn_toll_bypass: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LocationPolicyScope {
    Global,
    Site(SiteId),
    User,
}

/// A location policy (`New-CsLocationPolicy`): which dialed numbers are
/// emergency calls and the usage that routes them (docs/lync-behaviour.md,
/// "Emergency calls").
#[derive(Debug, Clone)]
pub struct LocationPolicy {
    pub identity: String,
    pub scope: LocationPolicyScope,
    /// `EnhancedEmergencyServicesEnabled`: without it the other fields
    /// have no effect on routing.
    pub enhanced_emergency_services: bool,
    /// `EmergencyDialString`, digits (`911`).
    pub emergency_dial_string: Option<String>,
    /// `EmergencyDialMask`: numbers that are dialed as the dial string.
    pub emergency_dial_masks: Vec<String>,
    /// `PstnUsage`: tried before the voice policy's usages.
    pub pstn_usage: Option<UsageId>,
}

impl LocationPolicy {
    /// The emergency dial string when `digits` (a number without its `+`)
    /// is it or one of its masks and E9-1-1 is on; with the mask it was.
    pub fn emergency<'a>(&'a self, digits: &str) -> Option<(&'a str, Option<&'a str>)> {
        let dial = self.emergency_dial_string.as_deref().filter(|_| self.enhanced_emergency_services)?;
        if digits == dial {
            return Some((dial, None));
        }
        self.emergency_dial_masks.iter().find(|m| m.as_str() == digits).map(|m| (dial, Some(m.as_str())))
    }
}

/// A voice route (`New-CsVoiceRoute`).
#[derive(Debug, Clone)]
pub struct VoiceRoute {
    pub name: String,
    /// `Regex.IsMatch` on the normalized number: a search, not a full match.
    pub number_pattern: NetRegex,
    pub pstn_usages: Vec<UsageId>,
    pub trunks: Vec<TrunkId>,
    pub priority: i64,
    pub suppress_caller_id: bool,
    pub alternate_caller_id: Option<String>,
    pub description: String,
}

/// A group of Enterprise Voice users with consecutive Line URIs.
#[derive(Debug, Clone)]
pub struct UserGroup {
    pub name: String,
    pub site: SiteId,
    pub registrar_pool: RegistrarPoolId,
    pub users: u32,
    /// First Line URI number, digits after the '+'.
    pub first_number: u64,
    /// Number of digits after '+', so leading digits survive formatting.
    pub number_digits: u8,
    /// Effective dial plan (user > pool > site of the pool > global).
    pub dial_plan: DialPlanId,
    /// Effective voice policy (user > site of the home pool > global).
    pub voice_policy: VoicePolicyId,
    /// Effective location policy for emergency calls (the policy assigned
    /// to the network site the users are at > user > site of the home
    /// pool > global).
    pub location_policy: LocationPolicyId,
}

impl UserGroup {
    /// Line URI number of the `i`-th user, as E.164 with '+'.
    pub fn number(&self, i: u32) -> String {
        let mut s = String::with_capacity(usize::from(self.number_digits) + 1);
        self.write_number(i, &mut s);
        s
    }

    /// Writes the `i`-th user's number into `out` (cleared first). E.164
    /// numbers never start with 0 (checked at load), so no padding is
    /// needed; `itoa` because `format!` cost more than the rest of a call's
    /// routing in the simulator's profile.
    pub fn write_number(&self, i: u32, out: &mut String) {
        let mut buf = itoa::Buffer::new();
        out.clear();
        out.push('+');
        out.push_str(buf.format(self.first_number + u64::from(i)));
    }
}
