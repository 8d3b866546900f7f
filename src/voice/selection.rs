//! Outbound route selection: from an E.164 number and an ordered list of
//! PSTN usages to the ordered trunk candidates Lync would try.
//!
//! - Usages are walked in the order of the policy (or trunk configuration):
//!   each is a *stage*; the next stage is reached only when a stage is
//!   exhausted (docs/lync-behaviour.md, "Route selection").
//! - A route belongs to a stage when it carries the usage and its
//!   `NumberPattern` matches anywhere in the number (`Regex.IsMatch`).
//! - Within a stage the trunks are ordered per
//!   [`IntraUsageMode`]: round robin over the union of the stage's trunks,
//!   or routes by Priority with round robin inside each route. The
//!   `rotation` argument is the round-robin position, so the function stays
//!   pure; the simulator passes a counter or a random draw.
//! - Trunks marked down are skipped; less-preferred ones go last in their
//!   stage; a trunk already offered by an earlier stage is not offered again.

use crate::model::{IntraUsageMode, Model, RouteId, TrunkId, UsageId};
use crate::pattern::limit::LimitHits;
use crate::pattern::patternset::Matches;

/// What outbound routing knows of a trunk's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrunkHealth {
    #[default]
    Up,
    /// After repeated failover-class failures: used only when the rest of
    /// its stage is exhausted.
    LessPreferred,
    /// Marked down (missed OPTIONS keep-alives): never offered.
    Down,
}

/// Health of every trunk of a model, indexed by [`TrunkId`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrunkStates(Vec<TrunkHealth>);

impl TrunkStates {
    /// Every trunk of `model` up.
    pub fn all_up(model: &Model) -> Self {
        Self(vec![TrunkHealth::Up; model.trunks.len()])
    }
    pub fn get(&self, t: TrunkId) -> TrunkHealth {
        self.0.get(t.index()).copied().unwrap_or_default()
    }
    pub fn set(&mut self, t: TrunkId, h: TrunkHealth) {
        if let Some(slot) = self.0.get_mut(t.index()) {
            *slot = h;
        }
    }
}

/// One trunk to try, and why it is a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// The usage (stage) that offered it.
    pub usage: UsageId,
    /// The route whose trunk list holds it (the lowest Priority value when
    /// several matching routes list it): its caller-ID settings apply.
    pub route: RouteId,
    pub trunk: TrunkId,
}

/// Reusable buffers, so the hot path does not allocate per decision.
#[derive(Debug, Clone)]
pub struct Scratch {
    /// Per route: the decision that last tested it (its `decision`
    /// number) and whether it matched. Routes are tested lazily, only
    /// those of the caller's usages that the number can match, and a
    /// route is tested once per decision; numbering the decisions spares
    /// clearing a flag per route on every call.
    route_match: Vec<(u32, bool)>,
    decision: u32,
    /// The positions of a usage's routes the number can match, and those
    /// routes.
    positions: Vec<u32>,
    selected: Vec<RouteId>,
    /// The routes the model's route DFA found matching.
    matched: Matches,
    stage: Vec<Candidate>,
    less_preferred: Vec<Candidate>,
}

/// Fills `out` with the candidates for `number` through `usages`, in try
/// order. Returns whether any route of any usage matched the number (the
/// caller is authorized), even when every trunk is down. A route whose
/// pattern reaches the matching limit is taken as not matching and
/// counted in `hits`.
#[allow(clippy::too_many_arguments)]
pub fn candidates(
    model: &Model,
    usages: &[UsageId],
    number: &str,
    states: &TrunkStates,
    rotation: u32,
    scratch: &mut Scratch,
    out: &mut Vec<Candidate>,
    hits: &mut LimitHits,
) -> bool {
    out.clear();
    scratch.next_decision(model.routes.len());
    // One pass over the number decides most routes at once.
    let set = &model.route_patterns;
    let decided = set.matches(number, &mut scratch.matched);
    let mut authorized = false;
    for &usage in usages {
        if authorized && !model.settings.usage_fallthrough {
            // Teams Direct Routing: "if a match is found in the first
            // usage, then other usages are never evaluated".
            break;
        }
        scratch.stage.clear();
        let routes = &model.usage_routes[usage.index()];
        // The routes the number cannot match (by their prefixes) would
        // test as no match, and are not visited; the rest keep their order.
        let mut selected = std::mem::take(&mut scratch.selected);
        let visited: &[RouteId] = match model.route_index.get(usage.index()).filter(|i| i.is_indexed()) {
            Some(index) => {
                index.candidates(number, &mut scratch.positions);
                selected.clear();
                selected.extend(scratch.positions.iter().filter_map(|&p| routes.get(p as usize).copied()));
                &selected
            }
            None => routes,
        };
        for &route in visited {
            let (tested, m) = &mut scratch.route_match[route.index()];
            if *tested != scratch.decision {
                // Regex.IsMatch: a search, anchored only where the pattern is.
                *m = if decided && set.decides(route.index()) {
                    scratch.matched.contains(route.index())
                } else {
                    let pattern = &model.route(route).number_pattern;
                    pattern.try_is_match(number).unwrap_or_else(|_| {
                        hits.record(pattern.as_str(), number);
                        false
                    })
                };
                *tested = scratch.decision;
            }
            if !*m {
                continue;
            }
            authorized = true;
            let trunks = &model.route(route).trunks;
            match model.settings.intra_usage_mode {
                IntraUsageMode::EqualCostUnion => {
                    for &trunk in trunks {
                        if !scratch.stage.iter().any(|c| c.trunk == trunk) {
                            scratch.stage.push(Candidate { usage, route, trunk });
                        }
                    }
                }
                IntraUsageMode::PriorityOrdered => {
                    let start = scratch.stage.len();
                    for &trunk in trunks {
                        if !scratch.stage.iter().any(|c| c.trunk == trunk) {
                            scratch.stage.push(Candidate { usage, route, trunk });
                        }
                    }
                    rotate(&mut scratch.stage[start..], rotation);
                }
            }
        }
        scratch.selected = selected;
        if model.settings.intra_usage_mode == IntraUsageMode::EqualCostUnion {
            rotate(&mut scratch.stage, rotation);
        }
        scratch.less_preferred.clear();
        for c in &scratch.stage {
            if out.iter().any(|o| o.trunk == c.trunk) {
                continue;
            }
            match states.get(c.trunk) {
                TrunkHealth::Up => out.push(*c),
                TrunkHealth::LessPreferred => scratch.less_preferred.push(*c),
                TrunkHealth::Down => {}
            }
        }
        out.extend_from_slice(&scratch.less_preferred);
    }
    authorized
}

impl Scratch {
    /// Buffers sized for `model`.
    pub fn new(model: &Model) -> Self {
        Self {
            route_match: vec![(0, false); model.routes.len()],
            decision: 0,
            positions: Vec::new(),
            selected: Vec::new(),
            matched: Matches::default(),
            stage: Vec::new(),
            less_preferred: Vec::new(),
        }
    }
}

impl Scratch {
    /// Starts a decision over `routes` routes: no route tested in it yet.
    fn next_decision(&mut self, routes: usize) {
        if self.route_match.len() != routes {
            self.route_match.clear();
            self.route_match.resize(routes, (0, false));
        }
        self.decision = self.decision.wrapping_add(1);
        if self.decision == 0 {
            // Numbers wrapped: forget every earlier decision once.
            self.route_match.fill((0, false));
            self.decision = 1;
        }
    }
}

fn rotate<T>(items: &mut [T], rotation: u32) {
    if !items.is_empty() {
        let k = rotation as usize % items.len();
        items.rotate_left(k);
    }
}

impl TrunkStates {
    /// All trunks up except those named: a trunk name, or a peer name
    /// (every trunk to that peer). A plain name means the trunk when a trunk
    /// and a peer share it; `peer:NAME` always means the peer. An unknown
    /// name is an error.
    pub fn with_down(model: &Model, names: &[String]) -> Result<Self, String> {
        let mut states = Self::all_up(model);
        // The trunks a name puts down: a trunk's, else a peer's (`peer:`
        // asks for the peer alone).
        let down = |name: &str| -> Option<Vec<TrunkId>> {
            let (name, peer_only) = match name.strip_prefix("peer:") {
                Some(p) => (p, true),
                None => (name, false),
            };
            match (peer_only, model.trunk_by_name(name)) {
                (false, Some(t)) => Some(vec![t]),
                _ => model.peer_by_name(name).map(|p| model.trunks_of_peer(p).collect()),
            }
        };
        for given in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            // A whole value that names something is a name with a comma.
            let parts: Vec<&str> = if down(given).is_some() { vec![given] } else { given.split(',').collect() };
            for name in parts.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
                let Some(trunks) = down(name) else {
                    let known: Vec<String> = model.trunks.iter().map(|t| format!("\"{}\"", t.name)).collect();
                    let what = if name.starts_with("peer:") { "peer" } else { "trunk or peer" };
                    let name = name.strip_prefix("peer:").unwrap_or(name);
                    return Err(format!("--down: no {what} \"{name}\" (trunks: {})", known.join(", ")));
                };
                for t in trunks {
                    states.set(t, TrunkHealth::Down);
                }
            }
        }
        Ok(states)
    }
}
