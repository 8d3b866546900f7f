//! Media: which way a call's media flows and how much bandwidth it takes
//! on each leg (docs/lync-behaviour.md, "Media bypass", and the codec
//! table in "Capacity figures").
//!
//! - Bypass: the Lync endpoint talks straight to the peer's media
//!   termination point in G.711; the Mediation Server carries signalling
//!   only. It applies when bypass is on globally and on the trunk, and the
//!   user's and the peer's sites share a bypass ID.
//! - Otherwise media goes user <-> Mediation (the configured Lync codec)
//!   and Mediation <-> peer (G.711, with SRTP unless the trunk does not
//!   support it), and the Mediation Server transcodes.
//! - Calls between Lync users use RTAudio wideband peer to peer.
//!
//! Bandwidths are the table's "+ UDP/RTP/SRTP" column (or "+ FEC" when the
//! model plans with FEC), in tenths of a kbps so they stay integers.

use crate::model::{BypassMode, LyncCodec, Model, SiteId, SrtpMode, TrunkId, VideoResolution};

/// G.711 with IP, UDP, RTP and SRTP headers: 92.0 kbps; 156.0 with FEC.
pub const G711_SRTP: u32 = 920;
pub const G711_FEC: u32 = 1560;
/// G.711 with IP headers only (RTP without SRTP): 80.0 kbps.
pub const G711_RTP: u32 = 800;
/// RTAudio narrowband: 39.8 kbps; 51.6 with FEC.
pub const RTAUDIO_NB: u32 = 398;
pub const RTAUDIO_NB_FEC: u32 = 516;
/// RTAudio wideband, peer to peer: 57.0 kbps; 86.0 with FEC.
pub const RTAUDIO_WB: u32 = 570;
pub const RTAUDIO_WB_FEC: u32 = 860;

/// Whether a call from `site` through trunk `t` bypasses the Mediation Server.
pub fn bypasses(model: &Model, site: SiteId, t: TrunkId) -> bool {
    if model.media.bypass == BypassMode::Off {
        return false;
    }
    let trunk = model.trunk(t);
    let config = model.trunk_config(trunk.config);
    config.enable_bypass
        && config.concentrated_topology
        && model.bypass_id[site.index()] == model.bypass_id[model.peer(trunk.peer).site.index()]
}

/// Bandwidth of the Mediation <-> peer leg of trunk `t` (or of a bypassed
/// call's G.711 stream).
pub fn gateway_leg(model: &Model, t: TrunkId) -> u32 {
    let config = model.trunk_config(model.trunk(t).config);
    if model.media.fec {
        G711_FEC
    } else if config.srtp_mode == SrtpMode::NotSupported || model.trunk(t).transport == crate::model::Transport::Tcp {
        G711_RTP
    } else {
        G711_SRTP
    }
}

/// Bandwidth of the user <-> Mediation leg.
pub fn lync_leg(model: &Model) -> u32 {
    match (model.media.lync_codec, model.media.fec) {
        (LyncCodec::RtaudioNb, false) => RTAUDIO_NB,
        (LyncCodec::RtaudioNb, true) => RTAUDIO_NB_FEC,
        (LyncCodec::G711, false) => G711_SRTP,
        (LyncCodec::G711, true) => G711_FEC,
    }
}

/// Bandwidth of a call between two Lync users.
pub fn peer_to_peer(model: &Model) -> u32 {
    if model.media.fec {
        RTAUDIO_WB_FEC
    } else {
        RTAUDIO_WB
    }
}

/// A video stream's maximum and minimum payload bit rates, in tenths of a
/// kbps: H.264 in Lync Server 2013's table "Network bandwidth requirements
/// for media traffic" (docs/lync-behaviour.md, "Capacity figures").
pub fn video_rate(resolution: VideoResolution) -> (u32, u32) {
    match resolution {
        VideoResolution::Hd1080 => (40_000, 15_000),
        VideoResolution::Hd720 => (25_000, 7_000),
        VideoResolution::Vga360 => (8_000, 3_000),
        VideoResolution::Small180 => (2_500, 150),
    }
}
