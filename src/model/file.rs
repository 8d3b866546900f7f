//! The model file as written (`models/*.toml`), before validation.
//!
//! These structs mirror the TOML one to one and reject unknown fields, so a
//! typo is an error that names the field. Every reference here is still a
//! name; [`load`](super::load) resolves them into typed ids.
//! `docs/model.md` documents every field.

use serde::{Deserialize, Serialize};

use super::duration::Micros;

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    #[serde(default)]
    pub network: NetworkFile,
    #[serde(default)]
    pub routing: RoutingSettingsFile,
    #[serde(default)]
    pub media: MediaFile,
    #[serde(default, rename = "bandwidth_policy")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bandwidth_policies: Vec<BandwidthPolicyFile>,
    #[serde(default, rename = "region_link")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub region_links: Vec<RegionLinkFile>,
    #[serde(default, rename = "inter_region_route")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inter_region_routes: Vec<InterRegionRouteFile>,
    #[serde(default, rename = "inter_site_policy")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inter_site_policies: Vec<InterSitePolicyFile>,
    #[serde(default, rename = "subnet")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<SubnetFile>,
    #[serde(default, rename = "region")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<RegionFile>,
    #[serde(default, rename = "site")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<SiteFile>,
    #[serde(default, rename = "wan_link")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub wan_links: Vec<WanLinkFile>,
    #[serde(default, rename = "registrar_pool")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub registrar_pools: Vec<RegistrarPoolFile>,
    #[serde(default, rename = "mediation_pool")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mediation_pools: Vec<MediationPoolFile>,
    #[serde(default, rename = "peer")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub peers: Vec<PeerFile>,
    #[serde(default, rename = "trunk")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trunks: Vec<TrunkFile>,
    #[serde(default, rename = "trunk_configuration")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trunk_configurations: Vec<TrunkConfigurationFile>,
    #[serde(default, rename = "dial_plan")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dial_plans: Vec<DialPlanFile>,
    #[serde(default, rename = "voice_policy")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub voice_policies: Vec<VoicePolicyFile>,
    #[serde(default, rename = "location_policy")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub location_policies: Vec<LocationPolicyFile>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pstn_usages: Vec<String>,
    #[serde(default, rename = "voice_route")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub voice_routes: Vec<VoiceRouteFile>,
    #[serde(default, rename = "user_group")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub user_groups: Vec<UserGroupFile>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NetworkFile {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// Inferred behaviours, made settings (docs/lync-behaviour.md labels
/// them inferences).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoutingSettingsFile {
    pub intra_usage_mode: String,
    pub strip_visual_separators: bool,
    pub external_access_prefix_mode: String,
    pub fast_failover_timeout: Micros,
    pub failover_on_5xx: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failover_codes: Vec<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub final_codes: Vec<i64>,
    /// A call goes on to the caller's next PSTN usage when every trunk of
    /// an earlier one fails (Lync); false: only the first usage with a
    /// matching route is tried (Teams Direct Routing).
    pub usage_fallthrough: bool,
}

impl Default for RoutingSettingsFile {
    fn default() -> Self {
        Self {
            intra_usage_mode: "equal-cost-union".into(),
            strip_visual_separators: true,
            external_access_prefix_mode: "when-optimized".into(),
            fast_failover_timeout: Micros::from_secs(10),
            failover_on_5xx: true,
            failover_codes: Vec::new(),
            final_codes: Vec::new(),
            usage_fallthrough: true,
        }
    }
}

/// Global media settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaFile {
    /// `off`, `site-and-region` or `always`.
    pub bypass: String,
    /// Codec between Lync endpoints and the Mediation Server: `rtaudio-nb` or `g711`.
    pub lync_codec: String,
    /// Plan with forward error correction (the "+ FEC" column).
    pub fec: bool,
    /// Users have voice mail (Exchange UM): the last reroute of a call
    /// that call admission control denies.
    pub voicemail: bool,
    /// Share of calls between users that add video, 0 to 1.
    pub video_share: f64,
    /// H.264 resolution of video: `1920x1080`, `1280x720`, `640x360` or `320x180`.
    pub video_resolution: String,
}

impl Default for MediaFile {
    fn default() -> Self {
        Self {
            bypass: "off".into(),
            lync_codec: "rtaudio-nb".into(),
            fec: false,
            voicemail: true,
            video_share: 0.0,
            video_resolution: "640x360".into(),
        }
    }
}

/// `New-CsNetworkBandwidthPolicyProfile`: an audio policy (either audio
/// field given) and a video policy (either video field given).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BandwidthPolicyFile {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_limit_kbps: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_session_limit_kbps: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_limit_kbps: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_session_limit_kbps: Option<i64>,
}

/// `New-CsNetworkRegionLink`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegionLinkFile {
    pub name: String,
    pub region_a: String,
    pub region_b: String,
    pub bandwidth_policy: String,
}

/// `New-CsNetworkInterRegionRoute`: the region links between two regions.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InterRegionRouteFile {
    pub name: String,
    pub region_a: String,
    pub region_b: String,
    pub region_links: Vec<String>,
}

/// `New-CsNetworkInterSitePolicy`: a direct site-to-site policy.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InterSitePolicyFile {
    pub name: String,
    pub site_a: String,
    pub site_b: String,
    pub bandwidth_policy: String,
}

/// `New-CsNetworkSubnet`: an IP prefix located at a site.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SubnetFile {
    pub prefix: String,
    pub site: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegionFile {
    pub name: String,
    pub central_site: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    pub name: String,
    pub kind: String,
    pub region: String,
    /// The policy of the site's link to its region (`BWPolicyProfileID`).
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_policy: Option<String>,
    #[serde(default)]
    pub country: String,
    /// What the site's users dial for the emergency services; by default
    /// the numbers of its `country` (`model::emergency`).
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emergency_numbers: Option<Vec<String>>,
    /// A per-user location policy assigned to the network site: it applies
    /// to emergency calls placed from the site, over the user's own.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_policy: Option<String>,
    /// The site's local time: a fixed offset (`"+09:00"`, `"-05:00"`,
    /// `"UTC"`) or an IANA name (`"Asia/Tokyo"`); none is UTC.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WanLinkFile {
    pub name: String,
    pub site_a: String,
    pub site_b: String,
    pub bandwidth_kbps: i64,
    pub one_way_delay: Micros,
    #[serde(default)]
    pub jitter: Micros,
    #[serde(default)]
    pub loss_percent: f64,
    /// Call admission control on this link: a bandwidth policy name.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_policy: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrarPoolFile {
    pub fqdn: String,
    pub site: String,
    pub kind: String,
    #[serde(default = "one")]
    pub servers: i64,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_registrar: Option<String>,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MediationPoolFile {
    pub fqdn: String,
    pub site: String,
    pub kind: String,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collocated_with: Option<String>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_hop_registrar: Option<String>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub servers: Option<i64>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calls_per_server: Option<i64>,
    #[serde(default = "default_true")]
    pub dns_load_balancing: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PeerFile {
    pub name: String,
    pub fqdn: String,
    pub kind: String,
    pub site: String,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub t1_spans: Option<i64>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e1_spans: Option<i64>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<i64>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_limit: Option<i64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TrunkFile {
    pub name: String,
    pub mediation_pool: String,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mediation_port: Option<i64>,
    pub peer: String,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer_port: Option<i64>,
    #[serde(default = "tls")]
    pub transport: String,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_calls: Option<i64>,
}

fn tls() -> String {
    "tls".into()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub name: String,
    pub pattern: String,
    pub translation: String,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    #[serde(default)]
    pub is_internal_extension: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseCodeRuleFile {
    pub name: String,
    #[serde(default)]
    pub received_response_code: i64,
    #[serde(default = "minus_one")]
    pub received_isup_cause_value: i64,
    pub translated_response_code: i64,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
}

fn minus_one() -> i64 {
    -1
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TrunkConfigurationFile {
    pub scope: String,
    #[serde(default)]
    pub enable_bypass: bool,
    #[serde(default = "default_true")]
    pub concentrated_topology: bool,
    #[serde(default = "default_true")]
    pub enable_refer_support: bool,
    /// `RTCPActiveCalls`: the peer sends RTCP for active calls.
    #[serde(default = "default_true")]
    pub rtcp_active_calls: bool,
    /// `RTCPCallsOnHold`: the peer sends RTCP for calls on hold.
    #[serde(default = "default_true")]
    pub rtcp_calls_on_hold: bool,
    #[serde(default = "default_true")]
    pub enable_fast_failover_timer: bool,
    #[serde(default)]
    pub remove_plus_from_uri: bool,
    #[serde(default)]
    pub forward_pai: bool,
    #[serde(default = "required")]
    pub srtp_mode: String,
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pstn_usages: Vec<String>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outbound_translation_rules: Vec<RuleFile>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outbound_calling_number_translation_rules: Vec<RuleFile>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sip_response_code_translation_rules: Vec<ResponseCodeRuleFile>,
}

fn required() -> String {
    "required".into()
}

impl TrunkConfigurationFile {
    /// A configuration of `scope` with `New-CsTrunkConfiguration`'s
    /// defaults (the same as a file's omitted fields).
    pub fn with_defaults(scope: String) -> Self {
        Self {
            scope,
            enable_bypass: false,
            concentrated_topology: true,
            enable_refer_support: true,
            rtcp_active_calls: true,
            rtcp_calls_on_hold: true,
            enable_fast_failover_timer: true,
            remove_plus_from_uri: false,
            forward_pai: false,
            srtp_mode: required(),
            pstn_usages: Vec::new(),
            outbound_translation_rules: Vec::new(),
            outbound_calling_number_translation_rules: Vec::new(),
            sip_response_code_translation_rules: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DialPlanFile {
    pub scope: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_access_prefix: Option<String>,
    #[serde(default)]
    pub optimize_device_dialing: bool,
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub normalization_rules: Vec<RuleFile>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VoicePolicyFile {
    pub scope: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pstn_usages: Vec<String>,
    #[serde(default = "default_true")]
    pub allow_pstn_rerouting: bool,
    #[serde(default = "default_true")]
    pub allow_call_forwarding: bool,
    #[serde(default = "default_true")]
    pub allow_simul_ring: bool,
    #[serde(default)]
    pub enable_bw_policy_override: bool,
    #[serde(default)]
    pub prevent_pstn_toll_bypass: bool,
}

/// `New-CsLocationPolicy`: the E9-1-1 settings of a scope.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LocationPolicyFile {
    pub scope: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub enhanced_emergency_services_enabled: bool,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emergency_dial_string: Option<String>,
    /// Numbers translated into the dial string, `;`-separated as Lync
    /// writes them (`"112;999"`).
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emergency_dial_mask: Option<String>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pstn_usage: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceRouteFile {
    pub name: String,
    #[serde(default = "default_number_pattern")]
    pub number_pattern: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pstn_usages: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pstn_gateways: Vec<String>,
    #[serde(default)]
    pub priority: i64,
    #[serde(default)]
    pub suppress_caller_id: bool,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternate_caller_id: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// The cmdlet's default `NumberPattern` (unanchored).
fn default_number_pattern() -> String {
    "[0-9]{10}".into()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UserGroupFile {
    pub name: String,
    /// Where the users are; or give `subnet`.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// The users' subnet: their site is the subnet's.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    pub registrar_pool: String,
    pub users: i64,
    pub first_number: String,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dial_plan: Option<String>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_policy: Option<String>,
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_policy: Option<String>,
}
