//! What carried calls cost on the carriers' tariffs (`[[tariff]]`;
//! docs/results.md, "Cost"). Each measured attempt that ends answered on
//! an outbound trunk (outbound and inter-trunk calls) is priced on its
//! conversation time three ways: on the trunk that carried it (`cost`), on
//! its first candidate trunk (`first_choice`) and on its dearest priced
//! candidate (`dearest`). Nothing is kept per call.

use crate::model::Model;
use crate::scenario::Tariffs;

use super::call::Call;
use super::engine::Simulation;

/// Priced calls and their costs, one group (a route, a peer, or all).
#[derive(Debug, Clone, Copy, Default)]
pub struct CostCounts {
    /// Answered calls priced.
    pub calls: u64,
    /// Answered calls on a trunk whose peer has no tariff for the number.
    pub unpriced: u64,
    pub cost: f64,
    pub first_choice: f64,
    pub dearest: f64,
}

/// A replication's costs: overall, per route and per peer (of the call's
/// carried route and trunk).
#[derive(Debug, Clone, Default)]
pub struct CostFigures {
    pub total: CostCounts,
    pub per_route: Vec<CostCounts>,
    pub per_peer: Vec<CostCounts>,
}

/// The costs of a run with tariffs; `None` without (nothing is priced).
pub(super) fn new_costs(model: &Model, tariffs: &Tariffs) -> Option<CostFigures> {
    (!tariffs.is_empty()).then(|| CostFigures {
        total: CostCounts::default(),
        per_route: vec![CostCounts::default(); model.routes.len()],
        per_peer: vec![CostCounts::default(); model.peers.len()],
    })
}

/// The three prices of call `c` after `conversation_us` of conversation,
/// or `None` when its carrying peer has no tariff for the number.
fn price(m: &Model, tariffs: &Tariffs, c: &Call, peer: crate::model::PeerId, conversation_us: u64) -> Option<[f64; 3]> {
    let on = |p| tariffs.price(p, &c.number).map(|price| price.cost(conversation_us));
    let cost = on(peer)?;
    let first = c.candidates.first().and_then(|k| on(m.trunk(k.trunk).peer)).unwrap_or(cost);
    let dearest = c.candidates.iter().filter_map(|k| on(m.trunk(k.trunk).peer)).fold(cost, f64::max);
    Some([cost, first, dearest])
}

impl Simulation<'_> {
    /// Prices call `id`'s attempt ending at `now`, if it was measured and
    /// answered on an outbound trunk.
    #[inline]
    pub(super) fn cost_attempt(&mut self, now: u64, id: u32) {
        let Some(costs) = self.costs.as_mut() else { return };
        let c = self.calls.get(id);
        let (Some(leg), Some(route)) = (c.outbound, c.carried_route) else { return };
        if !c.measured || !c.answered_by(now) || now == c.answered_at {
            return;
        }
        let groups = [&mut costs.total, &mut costs.per_route[route.index()], &mut costs.per_peer[leg.peer.index()]];
        match price(self.model, &self.scenario.tariffs, c, leg.peer, now - c.answered_at) {
            Some([cost, first, dearest]) => {
                for g in groups {
                    g.calls += 1;
                    g.cost += cost;
                    g.first_choice += first;
                    g.dearest += dearest;
                }
            }
            None => groups.into_iter().for_each(|g| g.unpriced += 1),
        }
    }
}
