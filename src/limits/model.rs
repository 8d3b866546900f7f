//! Ranges of the model file's numbers (`docs/model.md`, "Ranges").
//!
//! Capacities stay far inside `u32` so sums over a pool or a gateway
//! cannot wrap; a pool's servers are an index range the simulator walks
//! on every call, so they are capped at what a real pool holds.

use super::{Real, Span, Whole};
use crate::model::Micros;

const HOUR: u64 = 3_600 * Micros::SECOND;

/// `[[mediation_pool]] servers`.
pub const MEDIATION_SERVERS: Whole =
    Whole::new(1, 100, "a Mediation pool has a handful of servers; each call looks through them");
/// `[[registrar_pool]] servers` (a Front End pool; the other kinds are single servers).
pub const REGISTRAR_SERVERS: Whole = Whole::new(1, 12, "a Front End pool holds at most 12 servers");
/// `[[mediation_pool]] calls_per_server`.
pub const CALLS_PER_SERVER: Whole =
    Whole::new(1, 10_000, "Lync documents 1,500 concurrent calls per stand-alone server");
/// `[[peer]] t1_spans` and `e1_spans`.
pub const SPANS: Whole = Whole::new(1, 1_000, "a gateway has at most some hundreds of T1/E1 spans");
/// `[[peer]] channels` and `session_limit`, `[[trunk]] max_calls`.
pub const SESSIONS: Whole =
    Whole::new(1, 1_000_000, "concurrent calls of one element; a scenario offers at most 100,000 Erlangs");
/// `[[user_group]] users`, and `users` of a site or trunk source.
pub const USERS: Whole = Whole::new(1, 10_000_000, "users of one group; a finite source keeps one bit per user");
/// `[[wan_link]] bandwidth_kbps`, `[[bandwidth_policy]] audio_limit_kbps`,
/// `video_limit_kbps`.
pub const BANDWIDTH_KBPS: Whole =
    Whole::new(1, 100_000_000, "up to 100 Gbit/s; counted in tenths of a kbps in 32 bits");
/// `[[bandwidth_policy]] audio_session_limit_kbps`.
pub const AUDIO_SESSION_KBPS: Whole =
    Whole::new(40, 100_000, "New-CsNetworkBandwidthPolicyProfile's minimum is 40 kbps");
/// `[[bandwidth_policy]] video_session_limit_kbps`.
pub const VIDEO_SESSION_KBPS: Whole =
    Whole::new(100, 100_000, "New-CsNetworkBandwidthPolicyProfile's minimum is 100 kbps");
/// `[[trunk]] mediation_port`, `peer_port`.
pub const PORT: Whole = Whole::new(1, 65_535, "a TCP port");
/// `[routing] failover_codes`, `final_codes`.
pub const RESPONSE_CODE: Whole = Whole::new(400, 699, "a final failure response code");
/// `priority` of rules and voice routes.
pub const PRIORITY: Whole = Whole::new(0, 1_000_000, "an order among rules or routes, 0 first");
/// `[[wan_link]] one_way_delay`, `jitter`.
pub const LINK_DELAY: Span =
    Span::new(Micros(0), Micros::from_secs(10), "a satellite hop is about 300 ms one way; 10 s is any link");
/// `[[wan_link]] loss_percent`.
pub const LOSS_PERCENT: Real = Real::new(0.0, 100.0, "a percentage");
/// `[media] video_share`.
pub const VIDEO_SHARE: Real = Real::new(0.0, 1.0, "a share of the calls between users");
/// `[routing] fast_failover_timeout`.
pub const FAST_FAILOVER_TIMEOUT: Span =
    Span::new(Micros::from_millis(1), Micros(HOUR), "Lync waits 10 s; every silent attempt holds a call this long");

// Sums of capacities the simulator makes in `u32` cannot wrap: a
// gateway's channels, a pool's sessions, bandwidth in tenths of a kbps,
// users of a group.
const _: () = {
    assert!(23 * SPANS.max + 30 * SPANS.max + SESSIONS.max < u32::MAX as i64);
    assert!(MEDIATION_SERVERS.max * CALLS_PER_SERVER.max < u32::MAX as i64);
    assert!(BANDWIDTH_KBPS.max * 10 < u32::MAX as i64);
    assert!(USERS.max < u32::MAX as i64);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_values_are_inside() {
        assert!(MEDIATION_SERVERS.contains(4) && !MEDIATION_SERVERS.contains(4_294_967_295));
        assert!(CALLS_PER_SERVER.contains(1500) && CALLS_PER_SERVER.contains(150));
        assert!(FAST_FAILOVER_TIMEOUT.contains(Micros::from_secs(10)));
        assert!(LINK_DELAY.contains(Micros::from_millis(70)));
        assert!(!LINK_DELAY.contains(Micros(5_000_000_000 * HOUR)));
    }
}
