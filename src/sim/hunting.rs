//! Carrier hunting: an inbound DID range delivered over several trunks
//! (a source's `trunks`). The carrier offers each call to the first trunk
//! of the list that is up and has room (trunk limit, peer channel,
//! Mediation session), the next when one is busy or down; the call is
//! blocked at the carrier only when all are (docs/scenario.md, "Carrier
//! hunting"). The carrier sees its own circuits: a failed trunk or peer is
//! passed over at once, with no detection delay.

use crate::model::TrunkId;
use crate::traffic::Origin;
use crate::voice::Caller;

use super::engine::Simulation;

/// Each hunting source's measured calls per trunk of its list (the trunk
/// they landed on), and those the carrier could deliver to none.
#[derive(Debug, Clone, Default)]
pub struct HuntCounts {
    /// Per position in the source's `trunks` list.
    pub landed: Vec<u64>,
    /// Calls no trunk of the list could take.
    pub blocked: u64,
}

impl HuntCounts {
    /// Calls delivered to a later trunk than the first.
    pub fn hunted(&self) -> u64 {
        self.landed.iter().skip(1).sum()
    }
}

/// One per source: empty counts for a source without a `trunks` list.
pub(super) fn new_counts(scenario: &crate::scenario::Scenario) -> Vec<HuntCounts> {
    scenario.sources.iter().map(|s| HuntCounts { landed: vec![0; s.hunt.len()], blocked: 0 }).collect()
}

impl Simulation<'_> {
    /// Where a call of source `s` arrives: for a source hunting over
    /// `trunks`, the first trunk up with room, counted for a `measured`
    /// call; the first of the list when none has (the seizure then blocks
    /// the call). Any other source's origin is unchanged.
    #[inline]
    pub(super) fn hunt(&mut self, s: u16, origin: Origin, caller: Caller, measured: bool) -> (Origin, Caller) {
        let list = &self.scenario.sources[s as usize].hunt;
        if list.is_empty() {
            return (origin, caller);
        }
        let found = list.iter().position(|&t| !self.faults.element_failed(t) && self.resources.has_room(t));
        if measured {
            let counts = &mut self.hunting[s as usize];
            match found {
                Some(k) => counts.landed[k] += 1,
                None => counts.blocked += 1,
            }
        }
        let t: TrunkId = list[found.unwrap_or(0)];
        (Origin::Trunk(t), Caller::Trunk(t))
    }
}
