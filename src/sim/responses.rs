//! How peers that are up answer the calls they take (`[[response]]`): a
//! share of them gets a final response or no answer instead of ringback.
//! Draws come from a stream of their own (`responses`), so a response mix
//! leaves every other stream's draws as they were.
//!
//! An answer is not a failure of the element: OPTIONS are still answered,
//! so it is never marked down. Answers that fail over (after the trunk
//! configuration's response-code rules and `[routing]`) count toward
//! `[detection] less_preferred_after` as failures do, per trunk; a call
//! the trunk takes, or an answer that ends the call, resets the count and
//! brings a trunk the count made less preferred back (an inference:
//! docs/lync-behaviour.md, "Peer detection (OPTIONS)").

use rand::RngExt;

use crate::model::{Model, PeerId, TrunkId};
use crate::rng::{stream, Stream};
use crate::scenario::Scenario;
use crate::voice::{AttemptResult, TrunkHealth};

pub(super) struct Responses<'a> {
    scenario: &'a Scenario,
    /// Whether any peer has a mix (else nothing here is ever asked).
    active: bool,
    /// Each peer's draws (empty when no peer has a mix): its own, so
    /// one peer's calls never shift another's answers.
    rng: Vec<Stream>,
    /// Per trunk: failover-class answers in a row, and whether they made
    /// it less preferred.
    strikes: Vec<u32>,
    less_preferred: Vec<bool>,
}

impl<'a> Responses<'a> {
    pub(super) fn new(model: &Model, scenario: &'a Scenario, index: u32) -> Self {
        let active = scenario.responses.iter().any(Option::is_some);
        let trunks = if active { model.trunks.len() } else { 0 };
        Self {
            scenario,
            active,
            rng: if active {
                model.peers.iter().map(|p| stream(scenario.seed, index, &format!("responses/{}", p.name))).collect()
            } else {
                Vec::new()
            },
            strikes: vec![0; trunks],
            less_preferred: vec![false; trunks],
        }
    }

    /// Whether any peer has a response mix.
    #[inline]
    pub(super) fn active(&self) -> bool {
        self.active
    }

    /// How `peer` answers a call it took: `None` for ringback as usual.
    #[inline]
    pub(super) fn draw(&mut self, peer: PeerId) -> Option<AttemptResult> {
        if !self.active {
            return None;
        }
        let mix = self.scenario.responses[peer.index()].as_ref()?;
        let u: f64 = self.rng[peer.index()].random();
        mix.pick(u)
    }

    /// Trunk `t` answered a call with something routing acted on: an
    /// answer that fails over (`failover`) is one more strike; anything
    /// else resets the count. Returns the trunk's new health, if it
    /// changes.
    #[inline]
    pub(super) fn routed(&mut self, t: TrunkId, failover: bool) -> Option<TrunkHealth> {
        if !self.active {
            return None;
        }
        let i = t.index();
        if !failover {
            self.strikes[i] = 0;
            return std::mem::take(&mut self.less_preferred[i]).then_some(TrunkHealth::Up);
        }
        self.strikes[i] += 1;
        if self.strikes[i] >= self.scenario.detection.less_preferred_after && !self.less_preferred[i] {
            self.less_preferred[i] = true;
            return Some(TrunkHealth::LessPreferred);
        }
        None
    }
}
