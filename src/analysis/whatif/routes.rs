//! What a failure leaves of the routes, decided by the routing code
//! itself (`voice::Router`, as `voicetwin route` decides): the share of
//! each site's PSTN calls left with no route, and whether each site's
//! emergency numbers still reach one, and through which peers.
//!
//! A failure here is its trunks down (routing skips them), its WAN links
//! cut and its Registrar pools down (`sim::Reachability`: a trunk the
//! caller cannot reach over the WAN, or a caller with no Registrar, has
//! no route). Nothing is simulated: these are facts of the model and the
//! scenario's destination mix, the same in every replication.

use crate::analysis::schema::whatif::{EmergencyRoute, EmergencySite, PstnCut};
use crate::model::{Model, PeerId, SiteId, TrunkId};
use crate::rng::stream;
use crate::scenario::{FailureTarget, Scenario};
use crate::sim::Reachability;
use crate::traffic::Origin;
use crate::voice::{Caller, Decision, Outcome, Router, TrunkHealth, TrunkStates};

/// Dialed strings drawn from each template of a source's destination mix
/// to estimate its share of calls without a route.
pub const SAMPLES_PER_TEMPLATE: usize = 64;

/// Most dialed strings drawn in all: with more templates than this over
/// 64, each gets fewer draws (at least one), so that every case's check
/// stays a few milliseconds whatever the scenario.
pub const SAMPLE_BUDGET: usize = 20_000;

/// What fails, as routing and reachability see it.
pub struct Down<'a> {
    states: TrunkStates,
    reach: Reachability<'a>,
}

/// The trunks `targets` take down as routing sees them: each target's
/// own, and every trunk of a Mediation pool all of whose servers are
/// among the targets (no server is left to carry them).
pub fn trunks_down(model: &Model, targets: &[FailureTarget]) -> std::collections::BTreeSet<crate::model::TrunkId> {
    let mut down: std::collections::BTreeSet<_> = targets.iter().flat_map(|t| t.trunks(model)).collect();
    for (q, pool) in model.mediation_pools.iter().enumerate() {
        let failed = (0..pool.servers)
            .filter(|n| {
                targets.iter().any(|t| matches!(t, FailureTarget::MediationServer(p, k) if p.index() == q && k == n))
            })
            .count();
        if failed as u32 == pool.servers {
            let pool_id = crate::model::MediationPoolId::from_index(q);
            down.extend(FailureTarget::MediationPool(pool_id).trunks(model));
        }
    }
    down
}

impl<'a> Down<'a> {
    /// Every element of `targets` failed (none: the network whole).
    pub fn of(model: &'a Model, targets: &[FailureTarget]) -> Self {
        let mut states = TrunkStates::all_up(model);
        trunks_down(model, targets).into_iter().for_each(|t| states.set(t, TrunkHealth::Down));
        let links: Vec<_> = targets.iter().flat_map(|t| t.links(model)).collect();
        let registrars: Vec<_> = targets.iter().flat_map(|t| t.registrar_pools(model)).collect();
        Self { states, reach: Reachability::with_down(model, &links, &registrars) }
    }

    /// Whether calls arriving on trunk `t` still reach Lync: the trunk
    /// is up and its Mediation pool reaches its peer and its next-hop
    /// Registrar, which is up.
    pub fn inbound(&self, t: crate::model::TrunkId) -> bool {
        self.states.get(t) != TrunkHealth::Down && self.reach.inbound(t).is_some()
    }
}

/// One sampled call of a site's users, with the calls it stands for.
struct Sample {
    /// The scenario source it was drawn for.
    source: usize,
    caller: Caller,
    site: SiteId,
    weight: f64,
    dialed: String,
    /// The trunks routing offers it without failures ([`offered`]).
    trunks: Vec<TrunkId>,
}

/// A caller of a site dialing one of its emergency numbers, decided
/// without failures.
struct EmergencyCall {
    caller: Caller,
    /// The caller's name in the results (a user group's).
    name: String,
    /// What its dial plan makes of the number.
    normalized: String,
    /// The trunks routing offers it as an emergency call ([`offered`]);
    /// none when its dial plan makes an ordinary call of the number.
    trunks: Vec<TrunkId>,
}

/// A site's emergency number and its callers.
struct EmergencyNumber {
    site: SiteId,
    number: String,
    calls: Vec<EmergencyCall>,
}

/// What every case's check needs, prepared once: the users' sampled
/// calls that have a route without failures, and each site's callers.
pub struct Prepared<'a> {
    model: &'a Model,
    samples: Vec<Sample>,
    /// Per site: the calls (weights) of its samples.
    totals: Vec<f64>,
    numbers: Vec<EmergencyNumber>,
    /// The emergency numbers without failures.
    pub baseline: Vec<EmergencyRoute>,
    pub emergency_sites: Vec<EmergencySite>,
}

/// A case's verdict on the routes.
pub struct RouteCheck {
    pub pstn_cut: Vec<PstnCut>,
    pub emergency: Vec<EmergencyRoute>,
}

/// The calls `source` makes during `[from, to)` µs of a run starting at
/// `start_hour`: its rate times each local hour's profile multiplier.
fn expected_calls(src: &crate::traffic::Source, start_hour: u8, from: u64, to: u64) -> f64 {
    let shape = src.arrival_shape(start_hour);
    let mut t = from;
    let mut calls = 0.0;
    while t < to {
        let end = shape.hour_end(t).min(to);
        let multiplier = src.profile[shape.hour(t)];
        calls += src.rate_per_s * multiplier * (end - t) as f64 / 1e6;
        t = end;
    }
    calls
}

impl<'a> Prepared<'a> {
    pub fn new(model: &'a Model, sc: &Scenario) -> Self {
        let (from, to) = (sc.whatif.at, (sc.whatif.at + sc.whatif.duration).min(sc.duration.0));
        let templates: usize =
            sc.sources.iter().filter(|s| !matches!(s.origin, Origin::Trunk(_))).map(|s| s.dial.shares().count()).sum();
        let draws = (SAMPLE_BUDGET / templates.max(1)).clamp(1, SAMPLES_PER_TEMPLATE);
        let mut samples = Vec::new();
        for (source, src) in sc.sources.iter().enumerate() {
            let (caller, site) = match src.origin {
                Origin::Users(g) => (Caller::User { group: g, index: 0 }, model.user_group(g).site),
                Origin::Site(s) => (Caller::Site(s), s),
                Origin::Trunk(_) => continue,
            };
            let calls = expected_calls(src, sc.start_hour, from, to);
            let mut rng = stream(sc.seed, 0, &format!("whatif/routes/{}", src.name));
            // The same string drawn twice is decided once, with both
            // draws' weight (in the order first drawn).
            let mut drawn: Vec<Sample> = Vec::new();
            let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
            let mut dialed = String::new();
            for (share, template) in src.dial.shares() {
                let weight = calls * share / draws as f64;
                for _ in 0..draws {
                    template.generate(&mut rng, &mut dialed);
                    if weight.is_nan() || weight <= 0.0 {
                        continue;
                    }
                    match index.get(&dialed) {
                        Some(&i) => drawn[i].weight += weight,
                        None => {
                            index.insert(dialed.clone(), drawn.len());
                            let trunks = Vec::new();
                            drawn.push(Sample { source, caller, site, weight, dialed: dialed.clone(), trunks });
                        }
                    }
                }
            }
            samples.extend(drawn);
        }
        let mut router = Router::new(model);
        let whole = Down::of(model, &[]);
        let mut d = Decision::default();
        samples.iter_mut().for_each(|s| s.trunks = offered(&mut router, &whole.states, s.caller, &s.dialed, &mut d));
        // Only calls that have a route without failures count.
        samples.retain(|s| whole.has_usable(s.caller, &s.trunks));
        let mut totals = vec![0.0; model.sites.len()];
        samples.iter().for_each(|s| totals[s.site.index()] += s.weight);
        let mut emergency_sites = Vec::new();
        let mut numbers = Vec::new();
        for site in (0..model.sites.len()).map(SiteId::from_index) {
            let mut callers: Vec<(Caller, String)> = model
                .user_groups
                .iter()
                .enumerate()
                .filter(|(_, g)| g.site == site)
                .map(|(i, g)| {
                    (Caller::User { group: crate::model::UserGroupId::from_index(i), index: 0 }, g.name.clone())
                })
                .collect();
            if callers.is_empty() && sc.sources.iter().any(|s| s.origin == Origin::Site(site)) {
                callers.push((Caller::Site(site), format!("users at {}", model.site(site).name)));
            }
            if callers.is_empty() {
                continue;
            }
            let s = model.site(site);
            emergency_sites.push(EmergencySite {
                site: s.name.clone(),
                country: s.country.clone(),
                source: s.emergency_source,
                numbers: s.emergency_numbers.clone(),
            });
            for number in &s.emergency_numbers {
                let calls = callers
                    .iter()
                    .map(|(caller, name)| {
                        let mut trunks = offered(&mut router, &whole.states, *caller, number, &mut d);
                        // An extension rule that takes 999 makes an
                        // ordinary call, not an emergency call: no route
                        // for it.
                        if !crate::voice::decide::is_emergency_call(&d, number) {
                            trunks.clear();
                        }
                        EmergencyCall {
                            caller: *caller,
                            name: name.clone(),
                            normalized: d.normalized.number.clone(),
                            trunks,
                        }
                    })
                    .collect();
                numbers.push(EmergencyNumber { site, number: number.clone(), calls });
            }
        }
        let mut p = Self { model, samples, totals, numbers, baseline: Vec::new(), emergency_sites };
        p.baseline = p.emergency(&whole);
        p
    }

    /// The routes left under the failure of `targets`, whose PSTN calls
    /// are those of the sources `touched` says it can change (the others
    /// keep the route they have without failures: `analysis::interaction`).
    pub fn check(&self, targets: &[FailureTarget], touched: &dyn Fn(usize) -> bool) -> RouteCheck {
        let down = Down::of(self.model, targets);
        let mut lost = vec![0.0; self.model.sites.len()];
        for s in self.samples.iter().filter(|s| touched(s.source)) {
            if !down.has_usable(s.caller, &s.trunks) {
                lost[s.site.index()] += s.weight;
            }
        }
        let pstn_cut = lost
            .iter()
            .zip(&self.totals)
            .enumerate()
            .filter(|(_, (l, t))| **l > 0.0 && **t > 0.0)
            .map(|(i, (l, t))| PstnCut {
                site: self.model.sites[i].name.clone(),
                // Every sample lost: exactly 1, whatever the sums' rounding.
                share: if l >= t { 1.0 } else { l / t },
            })
            .collect();
        RouteCheck { pstn_cut, emergency: self.emergency(&down) }
    }

    /// Every site's emergency numbers, dialed by each of its callers.
    fn emergency(&self, down: &Down) -> Vec<EmergencyRoute> {
        let m = self.model;
        self.numbers
            .iter()
            .map(|n| {
                let mut route = EmergencyRoute {
                    site: m.site(n.site).name.clone(),
                    number: n.number.clone(),
                    normalized: Vec::new(),
                    reached: true,
                    peers: Vec::new(),
                    without_route: Vec::new(),
                };
                for call in &n.calls {
                    let peers = down.usable_peers(m, call.caller, &call.trunks);
                    if !route.normalized.contains(&call.normalized) {
                        route.normalized.push(call.normalized.clone());
                    }
                    if peers.is_empty() {
                        route.reached = false;
                        route.without_route.push(call.name.clone());
                    }
                    for p in peers {
                        let name = &m.peer(p).name;
                        if !route.peers.contains(name) {
                            route.peers.push(name.clone());
                        }
                    }
                }
                route
            })
            .collect()
    }
}

/// The trunks routing offers `caller` dialing `dialed` with every trunk
/// up, in the order it tries them (none when the call does not route).
/// A failure changes nothing of the decision but which of these are
/// left: routing skips a trunk that is down and keeps the others' order
/// (`voice::selection::candidates`), so each case filters this list
/// instead of deciding again.
fn offered(router: &mut Router, up: &TrunkStates, caller: Caller, dialed: &str, d: &mut Decision) -> Vec<TrunkId> {
    router.decide_into(caller, dialed, None, up, 0, d);
    if d.outcome != Outcome::Routed {
        return Vec::new();
    }
    d.candidates.iter().map(|c| c.trunk).collect()
}

impl Down<'_> {
    /// The trunks of `offered` (a caller's trunks with every trunk up, in
    /// order) that `caller` can use under this failure: the trunk is up,
    /// and the caller reaches it over the WAN through a Registrar.
    fn usable<'s>(&'s self, caller: Caller, offered: &'s [TrunkId]) -> impl Iterator<Item = TrunkId> + 's {
        let reach = self.reach.caller(caller);
        offered.iter().copied().filter(move |&t| {
            reach.is_some_and(|(anchor, media_site)| {
                self.states.get(t) != TrunkHealth::Down && self.reach.trunk(anchor, media_site, t)
            })
        })
    }

    /// Whether `caller` can use one of `offered` under this failure.
    fn has_usable(&self, caller: Caller, offered: &[TrunkId]) -> bool {
        self.usable(caller, offered).next().is_some()
    }

    /// The peers of the trunks `caller` can use, each once, in order.
    fn usable_peers(&self, m: &Model, caller: Caller, offered: &[TrunkId]) -> Vec<PeerId> {
        let mut peers: Vec<PeerId> = Vec::new();
        for peer in self.usable(caller, offered).map(|t| m.trunk(t).peer) {
            if !peers.contains(&peer) {
                peers.push(peer);
            }
        }
        peers
    }
}
