//! The busy hour the generated scenario offers, in one place: the model's
//! capacities are sized from the same figures, so a generated network
//! starts out near a 1% grade of service rather than far from it.

/// What users dial, by weight (out of 100).
pub const EXTENSION: u32 = 20;
/// Another site of the same country, by its national number (an internal
/// call found by reverse number lookup).
pub const OTHER_SITE: u32 = 5;
/// A number in the site's own area: an SBA branch breaks out locally.
pub const LOCAL: u32 = 30;
/// Anywhere else in the country.
pub const NATIONAL: u32 = 35;
/// Another country.
pub const INTERNATIONAL: u32 = 10;

/// Share of a user's calls that need the PSTN.
pub const PSTN_SHARE: f64 = (LOCAL + NATIONAL + INTERNATIONAL) as f64 / 100.0;
/// Share that goes to the central gateways from an SBA branch (national
/// and international; its local calls break out at its own gateway).
pub const SBA_CENTRAL_SHARE: f64 = (NATIONAL + INTERNATIONAL) as f64 / 100.0;
/// Share an SBA branch's own gateway carries.
pub const SBA_LOCAL_SHARE: f64 = LOCAL as f64 / 100.0;
/// Share of a branch's calls whose media crosses its WAN link (to the
/// central Mediation pool or another site).
pub const HOMED_LINK_SHARE: f64 = PSTN_SHARE + OTHER_SITE as f64 / 100.0;
pub const SBA_LINK_SHARE: f64 = SBA_CENTRAL_SHARE + OTHER_SITE as f64 / 100.0;

/// Inbound PSTN calls an hour per user homed on a central pool (to its
/// DIDs, through the central gateway pair).
pub const INBOUND_PER_USER: f64 = 0.15;

/// Mean conversation (s), and the seconds a call attempt holds a channel
/// on average with ringing and unanswered calls.
pub const HOLDING_S: u32 = 180;
pub const HOLD_PER_ATTEMPT_S: f64 = 160.0;

/// Channels (or kbps units) that carry `erlangs` with room for the peaks:
/// about a 1% grade of service for the sizes generated.
pub fn channels(erlangs: f64) -> u32 {
    (erlangs + 2.5 * erlangs.sqrt() + 1.0).ceil() as u32
}

/// Erlangs of `users` making `bhca` attempts an hour, `share` of them here.
pub fn erlangs(users: u32, bhca: f64, share: f64) -> f64 {
    f64::from(users) * bhca * share * HOLD_PER_ATTEMPT_S / 3600.0
}
