//! The thresholds the report's findings are drawn at, named once: a
//! planner reading "above 1%" in a finding can find here why 1%.

/// Grade of service a PSTN trunk group is designed for (the 1% blocking
/// of Erlang B tables, and `plan --target-gos`'s default); a stream, peer
/// or trunk above it gets a finding.
pub const GOS_TARGET: f64 = 0.01;

/// Mean utilization above which an element is said to have little room
/// for growth or failover.
pub const HIGH_UTILIZATION: f64 = 0.8;

/// Share of scored calls below [`POOR_MOS`] worth a finding.
pub const POOR_SHARE: f64 = 0.01;

/// A call scoring below this MOS is poor (ITU-T G.107's "many users
/// dissatisfied" band starts at R = 60, MOS 3.1); the simulator counts
/// poor calls by the same figure.
pub use crate::sim::scoring::POOR_MOS;
