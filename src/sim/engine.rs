//! One replication: calls arrive, are routed by `voice`, seize finite
//! resources, ring, talk and hang up.
//!
//! Signalling timeline of an outbound call (scenario `[signalling]`):
//! client -> Front End -> Mediation (2 hops) then each trunk attempt;
//! a seized peer returns ringback after 1 hop + `pstn_setup`, which closes
//! the post-dial delay; a full resource answers 503 after a round trip (2
//! hops) and the next candidate is tried. Inbound calls seize their
//! inbound trunk first; inter-trunk calls then attempt an outbound trunk
//! like any outbound call.

use rand::RngExt;

use crate::model::{Model, PeerId, RouteId, TrunkId};
use crate::rng::{stream, Stream};
use crate::scenario::Scenario;
use crate::traffic::Origin;
use crate::voice::{
    prepare_into, verdict, Attempt, AttemptResult, Caller, Candidate, Decision, Outcome, Router, TrunkStates,
};

use super::metrics::{Counts, DelayHistogram, Occupancy, RouteCounts, Window};
use super::queue::EventQueue;
use super::slab::Slab;

/// The events of a call's life. Answering is not an event of its own: a
/// call's answer is decided when it arrives, so its release is scheduled
/// at ringback + ring time + conversation, and its answer time kept.
#[derive(Debug, Clone, Copy)]
enum Event {
    Arrival(u16),
    Attempt(u32),
    Release(u32),
}

/// A trunk leg a call holds: the trunk, its peer, a Mediation server.
#[derive(Debug, Clone, Copy)]
struct Leg {
    trunk: TrunkId,
    peer: PeerId,
    server: u32,
}

#[derive(Debug, Default)]
struct Call {
    source: u16,
    site: usize,
    arrival: u64,
    measured: bool,
    holding: u64,
    ring: u64,
    answered: bool,
    /// When an answered call's conversation starts.
    answered_at: u64,
    failed_over: bool,
    candidates: Vec<Candidate>,
    next: usize,
    number: String,
    calling: String,
    has_calling: bool,
    inbound: Option<Leg>,
    outbound: Option<Leg>,
    routes: Vec<RouteId>,
    carried_route: Option<RouteId>,
}

/// Everything one replication measured.
#[derive(Debug, Clone)]
pub struct Replication {
    pub index: u32,
    pub window: Window,
    pub counts: Counts,
    pub per_site: Vec<Counts>,
    pub per_source: Vec<Counts>,
    pub per_route: Vec<RouteCounts>,
    pub peers: Vec<Occupancy>,
    pub trunks: Vec<Occupancy>,
    pub mediation_pools: Vec<Occupancy>,
    pub pdd: DelayHistogram,
    /// Offered and blocked calls per time bucket (by arrival).
    pub bucket_offered: Vec<u64>,
    pub bucket_blocked: Vec<u64>,
    /// Events processed and calls simulated (warm-up included).
    pub events: u64,
    pub calls: u64,
    /// Most calls in progress at once.
    pub peak_calls: usize,
}

/// A replication in progress.
pub struct Simulation<'a> {
    model: &'a Model,
    scenario: &'a Scenario,
    router: Router<'a>,
    states: TrunkStates,
    rotation: u32,
    queue: EventQueue<Event>,
    calls: Slab<Call>,
    arrivals: Vec<Stream>,
    attributes: Vec<Stream>,
    mediation_rng: Stream,
    servers: Vec<u32>,
    first_server: Vec<u32>,
    dial: String,
    calling: String,
    decision: Decision,
    attempt: Attempt,
    out: Replication,
}

/// Runs replication `index` of `scenario` on `model`.
pub fn run_replication(model: &Model, scenario: &Scenario, index: u32) -> Replication {
    let mut sim = Simulation::new(model, scenario, index);
    sim.run();
    sim.out
}

impl<'a> Simulation<'a> {
    pub fn new(model: &'a Model, scenario: &'a Scenario, index: u32) -> Self {
        let window = Window {
            warm_up: scenario.warm_up.0,
            end: scenario.duration.0,
            bucket: scenario.bucket.0,
        };
        let seed = scenario.seed;
        let arrivals = scenario
            .sources
            .iter()
            .map(|s| stream(seed, index, &format!("arrivals/{}", s.name)))
            .collect();
        let attributes = scenario
            .sources
            .iter()
            .map(|s| stream(seed, index, &format!("calls/{}", s.name)))
            .collect();
        let mut first_server = Vec::with_capacity(model.mediation_pools.len());
        let mut n = 0u32;
        for p in &model.mediation_pools {
            first_server.push(n);
            n += p.servers;
        }
        let out = Replication {
            index,
            window,
            counts: Counts::default(),
            per_site: vec![Counts::default(); model.sites.len()],
            per_source: vec![Counts::default(); scenario.sources.len()],
            per_route: vec![RouteCounts::default(); model.routes.len()],
            peers: model
                .peers
                .iter()
                .map(|p| Occupancy::new(p.kind.capacity(), &window))
                .collect(),
            trunks: model
                .trunks
                .iter()
                .map(|t| Occupancy::new(t.max_calls, &window))
                .collect(),
            mediation_pools: model
                .mediation_pools
                .iter()
                .map(|p| Occupancy::new(Some(pool_capacity(p)), &window))
                .collect(),
            pdd: DelayHistogram::default(),
            bucket_offered: vec![0; window.buckets()],
            bucket_blocked: vec![0; window.buckets()],
            events: 0,
            calls: 0,
            peak_calls: 0,
        };
        Self {
            model,
            scenario,
            router: Router::new(model),
            states: TrunkStates::all_up(model),
            rotation: 0,
            queue: EventQueue::new(),
            calls: Slab::new(),
            arrivals,
            attributes,
            mediation_rng: stream(seed, index, "mediation"),
            servers: vec![0; n as usize],
            first_server,
            dial: String::new(),
            calling: String::new(),
            decision: Decision::default(),
            attempt: prepare_placeholder(),
            out,
        }
    }

    fn window(&self) -> Window {
        self.out.window
    }

    fn hop(&self) -> u64 {
        self.scenario.signalling.hop_latency.0
    }

    /// Runs to the end: arrivals stop at the end of the run, calls in
    /// progress are played out (their occupancy after the end is not
    /// measured).
    pub fn run(&mut self) {
        for s in 0..self.scenario.sources.len() {
            self.schedule_arrival(s as u16, 0);
        }
        while let Some((now, ev)) = self.queue.pop() {
            self.out.events += 1;
            match ev {
                Event::Arrival(s) => self.arrival(now, s),
                Event::Attempt(c) => self.attempt(now, c),
                Event::Release(c) => self.release(now, c),
            }
        }
        let w = self.window();
        for o in self
            .out
            .peers
            .iter_mut()
            .chain(&mut self.out.trunks)
            .chain(&mut self.out.mediation_pools)
        {
            o.finish(&w);
        }
        self.out.peak_calls = self.calls.capacity();
    }

    fn schedule_arrival(&mut self, s: u16, now: u64) {
        let src = &self.scenario.sources[s as usize];
        if let Some(t) = src.next_arrival(now, self.scenario.start_hour, &mut self.arrivals[s as usize]) {
            if t < self.scenario.duration.0 {
                self.queue.schedule(t, Event::Arrival(s));
            }
        }
    }

    fn arrival(&mut self, now: u64, s: u16) {
        self.schedule_arrival(s, now);
        self.out.calls += 1;
        let m = self.model;
        let src = &self.scenario.sources[s as usize];
        let rng = &mut self.attributes[s as usize];
        src.dial.generate(rng, &mut self.dial);
        let (caller, site, calling) = match src.origin {
            Origin::Users(g) => {
                let index = rng.random_range(0..m.user_group(g).users);
                (Caller::User { group: g, index }, m.user_group(g).site, false)
            }
            Origin::Site(site) => (Caller::Site(site), site, src.calling.is_some()),
            Origin::Trunk(t) => (Caller::Trunk(t), m.trunk(t).site, src.calling.is_some()),
        };
        if calling {
            src.calling.as_ref().expect("checked").generate(rng, &mut self.calling);
        }
        let holding = src.holding.sample(rng);
        let ring = src.ring.sample(rng);
        let answered = rng.random::<f64>() < src.answer_probability;

        let measured = now >= self.scenario.warm_up.0;
        let id = self.calls.insert();
        self.out.peak_calls = self.out.peak_calls.max(self.calls.len());
        {
            let c = self.calls.get_mut(id);
            c.source = s;
            c.site = site.index();
            c.arrival = now;
            c.measured = measured;
            c.holding = holding;
            c.ring = ring;
            c.answered = answered;
            c.failed_over = false;
            c.next = 0;
            c.inbound = None;
            c.outbound = None;
            c.routes.clear();
            c.carried_route = None;
            c.candidates.clear();
        }
        if measured {
            self.count(id, |c| c.offered += 1);
            let b = (now / self.out.window.bucket) as usize;
            self.out.bucket_offered[b] += 1;
        }

        // An inbound call first takes its trunk, peer channel and Mediation session.
        if let Origin::Trunk(t) = src.origin {
            match self.seize(now, t, measured) {
                Some(leg) => self.calls.get_mut(id).inbound = Some(leg),
                None => return self.end_unconnected(now, id, Unconnected::Blocked),
            }
        }

        let rotation = self.rotation;
        self.rotation = self.rotation.wrapping_add(1);
        let calling = calling.then_some(self.calling.as_str());
        let d = &mut self.decision;
        self.router
            .decide_into(caller, &self.dial, calling, &self.states, rotation, d);
        match d.outcome {
            Outcome::Internal => {
                self.count(id, |c| {
                    c.carried += 1;
                    c.internal += 1
                });
                let ringback = now + 2 * self.hop();
                self.ring_or_give_up(id, ringback);
            }
            Outcome::NotAuthorized => self.end_unconnected(now, id, Unconnected::NotAuthorized),
            Outcome::NotFound => self.end_unconnected(now, id, Unconnected::Failed),
            Outcome::NoTrunkAvailable => self.end_unconnected(now, id, Unconnected::Blocked),
            Outcome::Routed => {
                let c = self.calls.get_mut(id);
                c.candidates.extend_from_slice(&d.candidates);
                c.number.clear();
                c.number.push_str(&d.normalized.number);
                c.calling.clear();
                c.has_calling = d.calling_number.is_some();
                c.calling.push_str(d.calling_number.as_deref().unwrap_or_default());
                let at = now + 2 * self.scenario.signalling.hop_latency.0;
                self.queue.schedule(at, Event::Attempt(id));
            }
        }
    }

    fn attempt(&mut self, now: u64, id: u32) {
        let m = self.model;
        let c = self.calls.get_mut(id);
        let cand = c.candidates[c.next];
        c.next += 1;
        if !c.routes.contains(&cand.route) {
            c.routes.push(cand.route);
        }
        let measured = c.measured;
        // The numbers the Mediation Server would send this peer.
        let calling = c.has_calling.then_some(c.calling.as_str());
        prepare_into(m, cand, &c.number, calling, &mut self.attempt);
        std::hint::black_box(&self.attempt);
        if let Some(leg) = self.seize(now, cand.trunk, measured) {
            let c = self.calls.get_mut(id);
            c.outbound = Some(leg);
            c.carried_route = Some(cand.route);
            let arrival = c.arrival;
            self.count(id, |c| c.carried += 1);
            let ringback = now + self.hop() + self.scenario.signalling.pstn_setup.0;
            if measured {
                self.out.pdd.record(ringback - arrival);
            }
            self.ring_or_give_up(id, ringback);
            return;
        }
        // Full: the peer (or the Mediation Server) answers 503.
        let config = m.trunk_config(m.trunk(cand.trunk).config);
        let v = verdict(
            &m.settings,
            config,
            AttemptResult::Response {
                code: 503,
                isup_cause: None,
            },
        );
        let c = self.calls.get_mut(id);
        let more = c.next < c.candidates.len();
        if v.failover && more {
            c.failed_over = true;
            self.queue.schedule(now + 2 * self.hop(), Event::Attempt(id));
        } else if v.failover {
            self.end_unconnected(now, id, Unconnected::Blocked);
        } else {
            self.end_unconnected(now, id, Unconnected::Failed);
        }
    }

    /// From ringback: answered after the ring time and released after the
    /// conversation, or released unanswered after the no-answer timeout.
    fn ring_or_give_up(&mut self, id: u32, ringback: u64) {
        let c = self.calls.get_mut(id);
        let source = &self.scenario.sources[c.source as usize];
        let answered = c.answered;
        let end = if answered {
            c.answered_at = ringback + c.ring;
            c.answered_at + c.holding
        } else {
            ringback + source.no_answer_timeout
        };
        if answered {
            self.count(id, |c| c.completed += 1);
        }
        self.queue.schedule(end, Event::Release(id));
    }

    fn release(&mut self, now: u64, id: u32) {
        self.finish(now, id);
    }

    /// Ends a call that never got connected, counting its outcome.
    fn end_unconnected(&mut self, now: u64, id: u32, end: Unconnected) {
        let c = self.calls.get(id);
        if c.measured && end == Unconnected::Blocked {
            let b = (c.arrival / self.out.window.bucket) as usize;
            self.out.bucket_blocked[b] += 1;
        }
        match end {
            Unconnected::Blocked => self.count(id, |c| c.blocked += 1),
            Unconnected::NotAuthorized => self.count(id, |c| c.not_authorized += 1),
            Unconnected::Failed => self.count(id, |c| c.failed += 1),
        }
        self.finish(now, id);
    }

    /// Releases what the call holds, closes its route figures, frees it.
    fn finish(&mut self, now: u64, id: u32) {
        let w = self.window();
        let (inbound, outbound, measured, failed_over) = {
            let c = self.calls.get(id);
            (c.inbound, c.outbound, c.measured, c.failed_over)
        };
        for leg in [inbound, outbound].into_iter().flatten() {
            self.out.trunks[leg.trunk.index()].release(now, &w);
            self.out.peers[leg.peer.index()].release(now, &w);
            self.servers[leg.server as usize] -= 1;
            let pool = self.model.trunk(leg.trunk).mediation_pool;
            self.out.mediation_pools[pool.index()].release(now, &w);
        }
        if measured {
            if failed_over {
                self.count(id, |c| c.failed_over += 1);
            }
            let c = self.calls.get(id);
            for r in &c.routes {
                let rc = &mut self.out.per_route[r.index()];
                rc.offered += 1;
                if c.carried_route != Some(*r) {
                    rc.overflowed += 1;
                }
            }
        }
        self.calls.remove(id);
    }

    /// Seizes trunk `t`'s limit, its peer's channel and a server of its
    /// Mediation pool, or nothing when any is full.
    fn seize(&mut self, now: u64, t: TrunkId, measured: bool) -> Option<Leg> {
        let m = self.model;
        let w = self.window();
        let trunk = m.trunk(t);
        let peer = trunk.peer;
        let pool_id = trunk.mediation_pool;
        let pool = m.mediation_pool(pool_id);
        if measured {
            self.out.trunks[t.index()].attempts += 1;
            self.out.peers[peer.index()].attempts += 1;
            self.out.mediation_pools[pool_id.index()].attempts += 1;
        }
        // Mediation: DNS load balancing picks a server at random and, when
        // it is full, the peer retries another server of the pool.
        let first = self.first_server[pool_id.index()] as usize;
        let n = if pool.dns_load_balancing {
            pool.servers as usize
        } else {
            1
        };
        let start = if n > 1 {
            self.mediation_rng.random_range(0..n)
        } else {
            0
        };
        let server = (0..n)
            .map(|k| first + (start + k) % n)
            .find(|s| self.servers[*s] < pool.calls_per_server);
        let trunk_ok = self.out.trunks[t.index()].has_room();
        let peer_ok = self.out.peers[peer.index()].has_room();
        let (Some(server), true, true) = (server, trunk_ok, peer_ok) else {
            if measured {
                if !trunk_ok {
                    self.out.trunks[t.index()].rejected += 1;
                }
                if !peer_ok {
                    self.out.peers[peer.index()].rejected += 1;
                }
                if server.is_none() {
                    self.out.mediation_pools[pool_id.index()].rejected += 1;
                }
            }
            return None;
        };
        self.servers[server] += 1;
        self.out.trunks[t.index()].seize(now, &w);
        self.out.peers[peer.index()].seize(now, &w);
        self.out.mediation_pools[pool_id.index()].seize(now, &w);
        Some(Leg {
            trunk: t,
            peer,
            server: server as u32,
        })
    }

    /// Counts an outcome for a measured call: overall, its site, its source.
    fn count(&mut self, id: u32, f: impl Fn(&mut Counts)) {
        let c = self.calls.get(id);
        if !c.measured {
            return;
        }
        f(&mut self.out.counts);
        f(&mut self.out.per_site[c.site]);
        f(&mut self.out.per_source[c.source as usize]);
    }
}

/// How a call that never connected ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unconnected {
    Blocked,
    NotAuthorized,
    Failed,
}

/// An empty attempt whose buffers the engine reuses.
fn prepare_placeholder() -> Attempt {
    Attempt {
        candidate: Candidate {
            usage: Default::default(),
            route: Default::default(),
            trunk: Default::default(),
        },
        config: Default::default(),
        called: String::new(),
        called_rule: None,
        calling: None,
        calling_rule: None,
        caller_id_suppressed: false,
    }
}

fn pool_capacity(p: &crate::model::MediationPool) -> u32 {
    let servers = if p.dns_load_balancing { p.servers } else { 1 };
    servers.saturating_mul(p.calls_per_server)
}
