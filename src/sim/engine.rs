//! One replication: calls arrive, are routed by `voice`, seize finite
//! resources, ring, talk and hang up; elements fail and recover.
//!
//! Signalling timeline of an outbound call (scenario `[signalling]`):
//! client -> Front End -> Mediation (2 hops) then each trunk attempt;
//! a seized peer returns ringback after 1 hop + `pstn_setup`, which closes
//! the post-dial delay; a full resource answers 503 after a round trip (2
//! hops) and the next candidate is tried; a peer that does not answer
//! holds the call for the fast-failover timer first. Inbound calls seize
//! their inbound trunk first; inter-trunk calls then attempt an outbound
//! trunk like any outbound call.

use rand::RngExt;

use crate::model::{LinkId, Model, PeerId, RouteId, SiteId, TrunkId, UserGroupId};
use crate::rng::{stream, Stream};
use crate::scenario::Scenario;
use crate::traffic::Origin;
use crate::voice::{
    prepare_into, verdict, Attempt, AttemptResult, Caller, Candidate, Decision, Outcome, Router, TrunkHealth,
    TrunkStates,
};

use super::faults::Faults;
use super::metrics::{
    Counts, DelayHistogram, Direction, ElementState, FailureCounts, Occupancy, RouteCounts, Tally, Window,
};
use super::queue::EventQueue;
use super::slab::Slab;
use super::wan::WanState;

/// What happens next. Call events carry the call's generation, so an
/// event of a call cut off early never touches the slot's next call.
#[derive(Debug, Clone, Copy)]
pub(super) enum Event {
    Arrival(u16),
    Attempt {
        call: u32,
        gen: u32,
    },
    /// Answering is not an event: a call's answer is decided when it
    /// arrives, so its release is scheduled at ringback + ring time +
    /// conversation, and its answer time kept.
    Release {
        call: u32,
        gen: u32,
    },
    /// A blocked caller dials the same number again.
    Redial {
        call: u32,
        gen: u32,
    },
    FailStart(u16),
    FailEnd(u16),
    /// The failure's element is marked down (episode number).
    Detect(u16, u32),
    /// The repaired element is marked up again (episode number).
    Recover(u16, u32),
}

/// A trunk leg a call holds: the trunk, its peer, a Mediation server.
#[derive(Debug, Clone, Copy)]
pub(super) struct Leg {
    pub trunk: TrunkId,
    pub peer: PeerId,
    /// The Mediation server carrying its media; none when bypassed.
    pub server: Option<u32>,
}

/// An element that refused a call for want of room, for its overflowed
/// and lost figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refuser {
    Peer(u32),
    Trunk(u32),
    Pool(u32),
}

#[derive(Debug, Default)]
pub(super) struct Call {
    pub gen: u32,
    pub source: u16,
    /// The calling user's index in its group (user-group sources).
    pub user: u32,
    pub site: usize,
    /// Its stream, from who calls and what routing decided.
    pub direction: Direction,
    /// Redials made so far (0 for a first attempt).
    pub redials: u32,
    /// What was dialed and the raw calling number, kept for a redial.
    pub dialed: String,
    pub raw_calling: String,
    pub has_raw_calling: bool,
    /// Elements that refused this attempt for want of room.
    pub refusers: Vec<Refuser>,
    pub arrival: u64,
    pub measured: bool,
    pub holding: u64,
    pub ring: u64,
    pub answered: bool,
    /// When an answered call's conversation starts.
    pub answered_at: u64,
    pub failed_over: bool,
    /// Counted as carried, so a drop can move it.
    pub carried: bool,
    /// This attempt ended blocked.
    pub blocked: bool,
    /// The failure whose undetected element this call tried, if any.
    pub hit_failure: Option<u16>,
    /// A full resource (or CAC) refused it at least once.
    pub refused: bool,
    /// Where the call's signalling is anchored: the caller's serving
    /// Registrar (primary, else backup), or for a trunk caller the next-hop
    /// Registrar of the inbound Mediation pool.
    pub anchor: SiteId,
    /// Where its media starts: the user's site, or the inbound Mediation site.
    pub media_site: SiteId,
    /// An internal call's callee site.
    pub callee_site: Option<SiteId>,
    pub candidates: Vec<Candidate>,
    pub next: usize,
    pub number: String,
    pub calling: String,
    pub has_calling: bool,
    pub inbound: Option<Leg>,
    pub outbound: Option<Leg>,
    pub routes: Vec<RouteId>,
    pub carried_route: Option<RouteId>,
    /// Bandwidth held on WAN links: (link, tenths of a kbps).
    pub reservations: Vec<(LinkId, u32)>,
    /// Audio admitted by call admission control: (element, tenths of a kbps).
    pub cac_holds: Vec<(u32, u32)>,
    /// Its media bypasses the Mediation Server.
    pub bypassed: bool,
}

/// Everything one replication measured.
#[derive(Debug, Clone)]
pub struct Replication {
    pub index: u32,
    pub window: Window,
    /// Call outcomes by direction: every call, per site, per source.
    pub counts: Tally,
    pub per_site: Vec<Tally>,
    pub per_source: Vec<Tally>,
    pub per_route: Vec<RouteCounts>,
    pub peers: Vec<Occupancy>,
    pub trunks: Vec<Occupancy>,
    pub mediation_pools: Vec<Occupancy>,
    /// Bandwidth in use on each WAN link, in tenths of a kbps.
    pub links: Vec<Occupancy>,
    /// Voice quality of answered calls: overall, per site, per trunk, and
    /// (sum, count) per time bucket.
    pub mos: super::quality::MosStats,
    pub mos_per_site: Vec<super::quality::MosStats>,
    pub mos_per_trunk: Vec<super::quality::MosStats>,
    /// Calls whose media crossed each WAN link.
    pub mos_per_link: Vec<super::quality::MosStats>,
    pub bucket_mos: Vec<(f64, u64)>,
    /// Call admission control: outcomes; per CAC element (model
    /// `cac_elements`), denials, admitted audio (tenths of a kbps) and
    /// denials per time bucket.
    pub cac: super::metrics::CacCounts,
    pub cac_denials: Vec<u64>,
    pub cac_audio: Vec<Occupancy>,
    pub bucket_cac_denials: Vec<Vec<u32>>,
    pub pdd: DelayHistogram,
    /// Calls needing the PSTN side offered, and of those blocked, per time
    /// bucket (by arrival): the grade of service's terms.
    pub bucket_offered: Vec<u64>,
    pub bucket_blocked: Vec<u64>,
    /// Per scenario failure.
    pub failures: Vec<FailureCounts>,
    /// State changes of failed elements: (µs, failure, state); at most
    /// `TIMELINE_LIMIT` entries.
    pub timeline: Vec<(u64, u16, ElementState)>,
    /// Events processed and calls simulated (warm-up included).
    pub events: u64,
    pub calls: u64,
    /// Most calls in progress at once.
    pub peak_calls: usize,
}

/// Most timeline entries kept per replication (memory stays bounded under
/// random failures with short times between them).
pub const TIMELINE_LIMIT: usize = 10_000;

/// A replication in progress.
pub struct Simulation<'a> {
    pub(super) model: &'a Model,
    pub(super) scenario: &'a Scenario,
    router: Router<'a>,
    pub(super) states: TrunkStates,
    rotation: u32,
    pub(super) queue: EventQueue<Event>,
    pub(super) calls: Slab<Call>,
    arrivals: Vec<Stream>,
    /// Each source's arrival shape (peak rate, flat profile), fixed for the run.
    shapes: Vec<crate::traffic::source::ArrivalShape>,
    attributes: Vec<Stream>,
    /// Redial draws of each source with retrials.
    redial_rng: Vec<Option<Stream>>,
    /// Users holding a call, one bit each, per user group (empty for
    /// groups with no finite source).
    busy: Vec<Vec<u64>>,
    pub(super) mediation_rng: Stream,
    pub(super) servers: Vec<u32>,
    pub(super) first_server: Vec<u32>,
    pub(super) faults: Faults,
    pub(super) wan: WanState,
    /// No WAN link or Registrar can fail in this run and the WAN is whole:
    /// every path holds throughout, so the per-call checks are skipped.
    paths_fixed: bool,
    /// Media paths between sites over the links that are up.
    pub(super) paths: Vec<Vec<Option<Vec<LinkId>>>>,
    /// Audio admitted by call admission control on each element (tenths of a kbps).
    pub(super) cac_used: Vec<u32>,
    /// `admit`'s buffer: audio per CAC element of the legs asked about.
    cac_extra: Vec<(u32, u32)>,
    scorer: super::quality::Scorer,
    dial: String,
    calling: String,
    decision: Decision,
    attempt: Attempt,
    pub(super) out: Replication,
}

/// Runs replication `index` of `scenario` on `model`.
pub fn run_replication(model: &Model, scenario: &Scenario, index: u32) -> Replication {
    let mut sim = Simulation::new(model, scenario, index);
    sim.run();
    sim.out
}

/// The media legs of one attempt: (from, to, tenths of a kbps), at most
/// two, kept on the stack.
#[derive(Debug, Clone, Copy)]
pub(super) struct MediaLegs {
    legs: [(SiteId, SiteId, u32); 2],
    len: usize,
}

impl MediaLegs {
    fn as_slice(&self) -> &[(SiteId, SiteId, u32)] {
        &self.legs[..self.len]
    }
}

/// How a call that never connected ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unconnected {
    Blocked,
    NotAuthorized,
    Failed,
}

impl<'a> Simulation<'a> {
    pub fn new(model: &'a Model, scenario: &'a Scenario, index: u32) -> Self {
        let window = Window { warm_up: scenario.warm_up.0, end: scenario.duration.0, bucket: scenario.bucket.0 };
        let seed = scenario.seed;
        let arrivals = scenario.sources.iter().map(|s| stream(seed, index, &format!("arrivals/{}", s.name))).collect();
        let attributes = scenario.sources.iter().map(|s| stream(seed, index, &format!("calls/{}", s.name))).collect();
        let mut first_server = Vec::with_capacity(model.mediation_pools.len());
        let mut n = 0u32;
        for p in &model.mediation_pools {
            first_server.push(n);
            n += p.servers;
        }
        let out = Replication {
            index,
            window,
            counts: Tally::default(),
            per_site: vec![Tally::default(); model.sites.len()],
            per_source: vec![Tally::default(); scenario.sources.len()],
            per_route: vec![RouteCounts::default(); model.routes.len()],
            peers: model.peers.iter().map(|p| Occupancy::new(p.kind.capacity(), &window)).collect(),
            trunks: model.trunks.iter().map(|t| Occupancy::new(t.max_calls, &window)).collect(),
            mediation_pools: model
                .mediation_pools
                .iter()
                .map(|p| Occupancy::new(Some(super::resources::pool_capacity(p)), &window))
                .collect(),
            links: model
                .links
                .iter()
                .map(|l| Occupancy::new(Some(l.bandwidth_kbps.saturating_mul(10)), &window))
                .collect(),
            mos: Default::default(),
            mos_per_site: vec![Default::default(); model.sites.len()],
            mos_per_trunk: vec![Default::default(); model.trunks.len()],
            mos_per_link: vec![Default::default(); model.links.len()],
            bucket_mos: vec![(0.0, 0); window.buckets()],
            cac: Default::default(),
            cac_denials: vec![0; model.cac_elements.len()],
            cac_audio: model
                .cac_elements
                .iter()
                .map(|e| Occupancy::new(Some(model.bandwidth_policies[e.policy].audio_limit_kbps * 10), &window))
                .collect(),
            bucket_cac_denials: vec![vec![0; window.buckets()]; model.cac_elements.len()],
            pdd: DelayHistogram::default(),
            bucket_offered: vec![0; window.buckets()],
            bucket_blocked: vec![0; window.buckets()],
            failures: vec![FailureCounts::default(); scenario.failures.len()],
            timeline: Vec::new(),
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
            shapes: scenario.sources.iter().map(|s| s.arrival_shape()).collect(),
            attributes,
            redial_rng: scenario
                .sources
                .iter()
                .map(|s| s.retry.map(|_| stream(seed, index, &format!("redials/{}", s.name))))
                .collect(),
            busy: model
                .user_groups
                .iter()
                .enumerate()
                .map(|(g, group)| {
                    let finite = scenario
                        .sources
                        .iter()
                        .any(|s| s.finite.is_some() && s.origin == Origin::Users(UserGroupId::from_index(g)));
                    if finite {
                        vec![0; (group.users as usize).div_ceil(64)]
                    } else {
                        Vec::new()
                    }
                })
                .collect(),
            mediation_rng: stream(seed, index, "mediation"),
            servers: vec![0; n as usize],
            first_server,
            faults: Faults::new(model, scenario, seed, index),
            wan: WanState::new(model),
            paths: super::wan::media_paths(model, |_| true),
            cac_used: vec![0; model.cac_elements.len()],
            cac_extra: Vec::new(),
            scorer: Default::default(),
            paths_fixed: WanState::new(model).all_connected()
                && !scenario.failures.iter().any(|f| {
                    matches!(
                        f.target,
                        crate::scenario::FailureTarget::WanLink(_) | crate::scenario::FailureTarget::RegistrarPool(_)
                    )
                }),
            dial: String::new(),
            calling: String::new(),
            decision: Decision::default(),
            attempt: super::resources::empty_attempt(),
            out,
        }
    }

    pub(super) fn window(&self) -> Window {
        self.out.window
    }

    pub(super) fn hop(&self) -> u64 {
        self.scenario.signalling.hop_latency.0
    }

    /// Runs to the end: arrivals stop at the end of the run, calls in
    /// progress are played out (their occupancy after the end is not
    /// measured).
    pub fn run(&mut self) {
        for s in 0..self.scenario.sources.len() {
            self.schedule_arrival(s as u16, 0);
        }
        self.schedule_failures();
        while let Some((now, ev)) = self.queue.pop() {
            self.out.events += 1;
            match ev {
                Event::Arrival(s) => self.arrival(now, s),
                Event::Attempt { call, gen } => {
                    if self.current(call, gen) {
                        self.attempt(now, call);
                    }
                }
                Event::Release { call, gen } => {
                    if self.current(call, gen) {
                        self.finish(now, call);
                    }
                }
                Event::Redial { call, gen } => {
                    if self.current(call, gen) {
                        self.place(now, call);
                    }
                }
                Event::FailStart(f) => self.fail_start(now, f),
                Event::FailEnd(f) => self.fail_end(now, f),
                Event::Detect(f, episode) => self.detect(now, f, episode),
                Event::Recover(f, episode) => self.recover(now, f, episode),
            }
        }
        let w = self.window();
        for o in self
            .out
            .peers
            .iter_mut()
            .chain(&mut self.out.trunks)
            .chain(&mut self.out.mediation_pools)
            .chain(&mut self.out.links)
            .chain(&mut self.out.cac_audio)
        {
            o.finish(&w);
        }
        self.out.peak_calls = self.calls.capacity();
    }

    /// Whether an event for (`call`, `gen`) still concerns a live call.
    fn current(&self, call: u32, gen: u32) -> bool {
        self.calls.is_live(call) && self.calls.get(call).gen == gen
    }

    fn schedule_arrival(&mut self, s: u16, now: u64) {
        let shape = &self.shapes[s as usize];
        if let Some(t) =
            crate::traffic::Source::next_arrival(now, self.scenario.start_hour, shape, &mut self.arrivals[s as usize])
        {
            if t < self.scenario.duration.0 {
                self.queue.schedule(t, Event::Arrival(s));
            }
        }
    }

    pub(super) fn schedule_call(&mut self, at: u64, id: u32, attempt: bool) {
        let gen = self.calls.get(id).gen;
        let ev = if attempt { Event::Attempt { call: id, gen } } else { Event::Release { call: id, gen } };
        self.queue.schedule(at, ev);
    }

    /// Whether user `index` of group `g` holds a call (finite sources).
    fn user_busy(&self, g: UserGroupId, index: u32) -> bool {
        self.busy[g.index()].get(index as usize / 64).is_some_and(|w| w >> (index % 64) & 1 == 1)
    }

    fn set_user_busy(&mut self, g: UserGroupId, index: u32, busy: bool) {
        if let Some(w) = self.busy[g.index()].get_mut(index as usize / 64) {
            let bit = 1u64 << (index % 64);
            if busy {
                *w |= bit;
            } else {
                *w &= !bit;
            }
        }
    }

    fn arrival(&mut self, now: u64, s: u16) {
        self.schedule_arrival(s, now);
        let m = self.model;
        let src = &self.scenario.sources[s as usize];
        let rng = &mut self.attributes[s as usize];
        src.dial.generate(rng, &mut self.dial);
        let (user, site, calling) = match src.origin {
            Origin::Users(g) => (rng.random_range(0..m.user_group(g).users), m.user_group(g).site, false),
            Origin::Site(site) => (0, site, src.calling.is_some()),
            Origin::Trunk(t) => (0, m.trunk(t).site, src.calling.is_some()),
        };
        if let (Origin::Users(g), Some(_)) = (src.origin, src.finite) {
            // A user on a call makes no other: the candidate is not a call.
            if self.user_busy(g, user) {
                return;
            }
            self.set_user_busy(g, user, true);
        }
        self.out.calls += 1;
        let rng = &mut self.attributes[s as usize];
        if calling {
            src.calling.as_ref().expect("checked").generate(rng, &mut self.calling);
        }
        let holding = src.holding.sample(rng);
        let ring = src.ring.sample(rng);
        let answered = rng.random::<f64>() < src.answer_probability;
        let retry = src.retry.is_some();

        let id = self.calls.insert();
        self.out.peak_calls = self.out.peak_calls.max(self.calls.len());
        let c = self.calls.get_mut(id);
        c.gen = c.gen.wrapping_add(1);
        c.source = s;
        c.user = user;
        c.site = site.index();
        c.holding = holding;
        c.ring = ring;
        c.answered = answered;
        c.redials = 0;
        c.has_raw_calling = calling;
        if retry {
            // Kept for a redial: the same number, the same calling number.
            c.dialed.clear();
            c.dialed.push_str(&self.dial);
            c.raw_calling.clear();
            c.raw_calling.push_str(&self.calling);
        }
        self.place(now, id);
    }

    /// The caller of a source's call.
    fn caller(&self, id: u32) -> Caller {
        let c = self.calls.get(id);
        match self.scenario.sources[c.source as usize].origin {
            Origin::Users(group) => Caller::User { group, index: c.user },
            Origin::Site(site) => Caller::Site(site),
            Origin::Trunk(t) => Caller::Trunk(t),
        }
    }

    /// Places an attempt of call `id` (its first, or a redial): the routing
    /// decision, which sets its direction, then the Registrar, the inbound
    /// trunk and what the decision says.
    fn place(&mut self, now: u64, id: u32) {
        let m = self.model;
        let caller = self.caller(id);
        let origin = self.scenario.sources[self.calls.get(id).source as usize].origin;
        let measured = now >= self.scenario.warm_up.0 && now < self.scenario.duration.0;
        {
            let c = self.calls.get_mut(id);
            if c.redials > 0 {
                self.dial.clear();
                self.dial.push_str(&c.dialed);
                self.calling.clear();
                self.calling.push_str(&c.raw_calling);
            }
            c.arrival = now;
            c.measured = measured;
            c.answered_at = 0;
            c.failed_over = false;
            c.carried = false;
            c.blocked = false;
            c.hit_failure = None;
            c.refused = false;
            c.next = 0;
            c.inbound = None;
            c.outbound = None;
            c.routes.clear();
            c.carried_route = None;
            c.candidates.clear();
            c.reservations.clear();
            c.cac_holds.clear();
            c.refusers.clear();
            c.bypassed = false;
            c.callee_site = None;
        }

        let rotation = self.rotation;
        self.rotation = self.rotation.wrapping_add(1);
        let calling = self.calls.get(id).has_raw_calling.then_some(self.calling.as_str());
        self.router.decide_into(caller, &self.dial, calling, &self.states, rotation, &mut self.decision);
        let outcome = self.decision.outcome;
        let direction = match (caller, outcome) {
            (Caller::Trunk(_), Outcome::Internal | Outcome::NotFound) => Direction::Inbound,
            (Caller::Trunk(_), _) => Direction::InterTrunk,
            (_, Outcome::Internal) => Direction::Internal,
            (_, _) => Direction::Outbound,
        };
        let redial = {
            let c = self.calls.get_mut(id);
            c.direction = direction;
            c.redials > 0
        };
        if measured {
            self.count(id, |c| {
                c.offered += 1;
                c.redials += u64::from(redial);
            });
            if direction.needs_pstn() && outcome != Outcome::NotAuthorized {
                let b = (now / self.out.window.bucket) as usize;
                self.out.bucket_offered[b] += 1;
            }
        }

        // Signalling needs a Registrar the caller can reach over the WAN.
        let Some((anchor, media_site)) = self.anchor(origin, caller) else {
            return self.end_unconnected(now, id, Unconnected::Blocked);
        };
        {
            let c = self.calls.get_mut(id);
            c.anchor = anchor;
            c.media_site = media_site;
        }

        // An inbound call first takes its trunk, peer channel and Mediation
        // session; a failed peer or trunk sends no calls at all.
        if let Origin::Trunk(t) = origin {
            let down = self.faults.element_failed(t);
            match if down { None } else { self.seize(now, id, t, measured, true) } {
                Some(leg) => {
                    self.calls.get_mut(id).inbound = Some(leg);
                    let (peer, ms) = (m.peer(m.trunk(t).peer).site, m.mediation_pool(m.trunk(t).mediation_pool).site);
                    // The gateway side is reserved, never denied: the
                    // Mediation Server accepts oversubscription rather than
                    // false rings (lync-voice-model.md (f)).
                    self.reserve_path(now, id, peer, ms, super::media::gateway_leg(m, t), true);
                }
                None => return self.end_unconnected(now, id, Unconnected::Blocked),
            }
        }

        match outcome {
            Outcome::Internal => {
                let callee = self.decision.internal.expect("internal calls have a callee").group;
                let callee_site = m.user_group(callee).site;
                let reachable = self.paths_fixed
                    || (self.registrar_site(callee).is_some_and(|r| self.wan.connected(anchor, r))
                        && self.wan.connected(media_site, callee_site));
                if !reachable {
                    return self.end_unconnected(now, id, Unconnected::Blocked);
                }
                let from_trunk = self.calls.get(id).inbound.is_some();
                let bw = if from_trunk { super::media::lync_leg(m) } else { super::media::peer_to_peer(m) };
                if self.admit(id, &[(media_site, callee_site, bw)]) {
                    self.reserve_path(now, id, media_site, callee_site, bw, true);
                } else {
                    // Denied: rerouted over the PSTN when the caller's policy
                    // allows it (not for a PSTN caller), else to voice mail,
                    // else the call fails (lync-voice-model.md (h)).
                    let pstn_ok = match caller {
                        Caller::User { group, .. } => {
                            m.voice_policy(m.user_group(group).voice_policy).allow_pstn_rerouting
                        }
                        Caller::Site(site) => m.voice_policy(m.site_voice_policy[site.index()]).allow_pstn_rerouting,
                        Caller::Trunk(_) => false,
                    };
                    if pstn_ok {
                        if measured {
                            self.out.cac.rerouted_pstn += 1;
                        }
                    } else if m.media.voicemail {
                        if measured {
                            self.out.cac.voicemail += 1;
                        }
                    } else {
                        if measured {
                            self.out.cac.failed += 1;
                        }
                        return self.end_unconnected(now, id, Unconnected::Blocked);
                    }
                }
                let c = self.calls.get_mut(id);
                c.callee_site = Some(callee_site);
                c.carried = true;
                self.count(id, |c| c.carried += 1);
                let ringback = now + 2 * self.hop();
                self.ring_or_give_up(id, ringback);
            }
            Outcome::NotAuthorized => self.end_unconnected(now, id, Unconnected::NotAuthorized),
            Outcome::NotFound => self.end_unconnected(now, id, Unconnected::Failed),
            Outcome::NoTrunkAvailable => self.end_unconnected(now, id, Unconnected::Blocked),
            Outcome::Routed => {
                let d = &self.decision;
                let c = self.calls.get_mut(id);
                c.candidates.extend_from_slice(&d.candidates);
                c.number.clear();
                c.number.push_str(&d.normalized.number);
                c.calling.clear();
                c.has_calling = d.calling_number.is_some();
                c.calling.push_str(d.calling_number.as_deref().unwrap_or_default());
                let at = now + 2 * self.scenario.signalling.hop_latency.0;
                if at == now {
                    // No signalling delay (the textbook loss system): the
                    // first attempt needs no trip through the queue.
                    self.attempt(now, id);
                } else {
                    self.schedule_call(at, id, true);
                }
            }
        }
    }

    fn attempt(&mut self, now: u64, id: u32) {
        let m = self.model;
        let c = self.calls.get_mut(id);
        // A trunk marked down since this call was routed is skipped: no
        // INVITE goes to an element known to be down.
        while c.next < c.candidates.len() && self.states.get(c.candidates[c.next].trunk) == TrunkHealth::Down {
            c.next += 1;
        }
        if c.next == c.candidates.len() {
            return self.end_unconnected(now, id, Unconnected::Blocked);
        }
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

        // A trunk beyond a WAN cut cannot be reached at all: the Front End
        // gets an error at once. A failed or degraded element answers
        // badly, or not at all.
        let unreachable = !self.paths_fixed && !self.reachable(self.calls.get(id), cand.trunk);
        let fault = if unreachable {
            Some(AttemptResult::Response { code: 503, isup_cause: None })
        } else {
            self.fault_result(now, id, cand.trunk)
        };
        // Call admission control on a non-bypassed call's legs: a denial
        // fails over like a 503 (an inference of lync-voice-model.md (h)).
        let fault = match fault {
            None => {
                let c = self.calls.get(id);
                let bypass = c.inbound.is_none() && super::media::bypasses(m, c.media_site, cand.trunk);
                self.calls.get_mut(id).bypassed = bypass;
                if bypass || self.admit_outbound(id, cand.trunk) {
                    None
                } else {
                    if measured {
                        self.out.cac.trunk_failovers += 1;
                    }
                    Some(AttemptResult::Response { code: 503, isup_cause: None })
                }
            }
            some => some,
        };
        let seized = if fault.is_none() {
            let bypass = self.calls.get(id).bypassed;
            self.seize(now, id, cand.trunk, measured, !bypass)
        } else {
            None
        };
        let result = match fault {
            Some(r) => Some(r),
            None => match seized {
                Some(leg) => {
                    self.reserve_media(now, id, cand.trunk);
                    let c = self.calls.get_mut(id);
                    c.outbound = Some(leg);
                    c.carried_route = Some(cand.route);
                    c.carried = true;
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
                None => Some(AttemptResult::Response { code: 503, isup_cause: None }),
            },
        };
        let result = result.expect("set on every path that reaches here");
        let config = m.trunk_config(m.trunk(cand.trunk).config);
        let v = verdict(&m.settings, config, result);
        // A response comes back after a round trip; no response only after
        // the timer (which ran from when the INVITE went out).
        let next_at = match result {
            AttemptResult::NoProgress => now + v.waited.0,
            AttemptResult::Response { .. } => now + 2 * self.hop(),
        };
        if let (Some(f), true) = (self.calls.get(id).hit_failure, measured) {
            self.out.failures[f as usize].extra_pdd_us += next_at - now;
        }
        let c = self.calls.get_mut(id);
        let more = c.next < c.candidates.len();
        if v.failover && more {
            c.failed_over = true;
            self.schedule_call(next_at, id, true);
        } else if v.failover {
            self.end_unconnected(next_at, id, Unconnected::Blocked);
        } else {
            self.end_unconnected(next_at, id, Unconnected::Failed);
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
        let (hit, measured) = (c.hit_failure, c.measured);
        if answered && measured {
            self.score_call(id, ringback);
        }
        if answered {
            self.count(id, |c| c.completed += 1);
            if let (Some(f), true) = (hit, measured) {
                self.out.failures[f as usize].rescued += 1;
            }
        }
        self.schedule_call(end, id, false);
    }

    /// Ends an attempt that never got connected, counting its outcome; a
    /// blocked caller may redial, else the call ends.
    pub(super) fn end_unconnected(&mut self, now: u64, id: u32, end: Unconnected) {
        let c = self.calls.get(id);
        let full = u64::from(c.refused);
        if let (Some(f), true, true) = (c.hit_failure, c.measured, end != Unconnected::NotAuthorized) {
            self.out.failures[f as usize].lost += 1;
        }
        if c.measured && end == Unconnected::Blocked && c.direction.needs_pstn() {
            let b = (c.arrival / self.out.window.bucket) as usize;
            self.out.bucket_blocked[b] += 1;
        }
        self.calls.get_mut(id).blocked = end == Unconnected::Blocked;
        let redial_at = if end == Unconnected::Blocked { self.redial_at(now, id) } else { None };
        match end {
            Unconnected::Blocked => self.count(id, |c| {
                c.blocked += 1;
                c.blocked_full += full;
                c.given_up += u64::from(redial_at.is_none());
            }),
            Unconnected::NotAuthorized => self.count(id, |c| c.not_authorized += 1),
            Unconnected::Failed => self.count(id, |c| c.failed += 1),
        }
        match redial_at {
            Some(at) => {
                self.close_attempt(now, id);
                self.calls.get_mut(id).redials += 1;
                let gen = self.calls.get(id).gen;
                self.queue.schedule(at, Event::Redial { call: id, gen });
            }
            None => self.finish(now, id),
        }
    }

    /// When a blocked caller redials, if they do: with the source's
    /// probability, after an exponential delay, within its most redials.
    fn redial_at(&mut self, now: u64, id: u32) -> Option<u64> {
        let c = self.calls.get(id);
        let retry = self.scenario.sources[c.source as usize].retry?;
        if c.redials >= retry.max_redials {
            return None;
        }
        let rng = self.redial_rng[c.source as usize].as_mut()?;
        if rng.random::<f64>() >= retry.probability {
            return None;
        }
        let gap: f64 = rng.sample(rand_distr::Exp1);
        Some(now.saturating_add((gap * retry.mean_delay_us as f64) as u64))
    }

    /// Releases what the call holds and closes this attempt's route and
    /// element figures.
    fn close_attempt(&mut self, now: u64, id: u32) {
        let (inbound, outbound, measured, failed_over) = {
            let c = self.calls.get(id);
            (c.inbound, c.outbound, c.measured, c.failed_over)
        };
        for leg in [inbound, outbound].into_iter().flatten() {
            self.release_leg(now, leg);
        }
        self.release_reservations(now, id);
        {
            let c = self.calls.get_mut(id);
            c.inbound = None;
            c.outbound = None;
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
                if c.blocked {
                    rc.blocked += 1;
                }
            }
            for r in &c.refusers {
                let o = match *r {
                    Refuser::Peer(i) => &mut self.out.peers[i as usize],
                    Refuser::Trunk(i) => &mut self.out.trunks[i as usize],
                    Refuser::Pool(i) => &mut self.out.mediation_pools[i as usize],
                };
                if c.carried {
                    o.overflowed += 1;
                } else {
                    o.lost += 1;
                }
            }
        }
    }

    /// Ends call `id`: releases what it holds, closes its figures, frees
    /// its caller and its slot.
    pub(super) fn finish(&mut self, now: u64, id: u32) {
        self.close_attempt(now, id);
        let c = self.calls.get(id);
        let src = &self.scenario.sources[c.source as usize];
        if let (Origin::Users(g), Some(_)) = (src.origin, src.finite) {
            let user = c.user;
            self.set_user_busy(g, user, false);
        }
        self.calls.remove(id);
    }

    /// The site of the Registrar serving a user group: its primary pool
    /// when the users reach it over the WAN, else its backup, else none.
    pub(super) fn registrar_site(&self, g: UserGroupId) -> Option<SiteId> {
        let m = self.model;
        let group = m.user_group(g);
        let primary = &m.registrar_pools[group.registrar_pool.index()];
        if self.wan.connected(group.site, primary.site) && !self.faults.registrar_down[group.registrar_pool.index()] {
            return Some(primary.site);
        }
        let b = primary.backup_registrar.filter(|b| !self.faults.registrar_down[b.index()])?;
        let backup = m.registrar_pools[b.index()].site;
        self.wan.connected(group.site, backup).then_some(backup)
    }

    /// Where a call's signalling is anchored and where its media starts,
    /// or `None` when the caller has no reachable Registrar (or an inbound
    /// trunk's Mediation pool cannot reach its peer or its next hop).
    fn anchor(&self, origin: Origin, caller: Caller) -> Option<(SiteId, SiteId)> {
        let m = self.model;
        if self.paths_fixed {
            return Some(match (origin, caller) {
                (_, Caller::User { group, .. }) => {
                    let g = m.user_group(group);
                    (m.registrar_pools[g.registrar_pool.index()].site, g.site)
                }
                (Origin::Trunk(t), _) => {
                    let pool = m.mediation_pool(m.trunk(t).mediation_pool);
                    (m.registrar_pools[pool.next_hop_registrar.index()].site, pool.site)
                }
                (_, Caller::Site(site)) => (site, site),
                (_, Caller::Trunk(_)) => return None,
            });
        }
        match (origin, caller) {
            (_, Caller::User { group, .. }) => Some((self.registrar_site(group)?, m.user_group(group).site)),
            (Origin::Trunk(t), _) => {
                let pool = m.mediation_pool(m.trunk(t).mediation_pool);
                let next_hop = m.registrar_pools[pool.next_hop_registrar.index()].site;
                let peer = m.peer(m.trunk(t).peer).site;
                let up = !self.faults.registrar_down[pool.next_hop_registrar.index()];
                (up && self.wan.connected(pool.site, peer) && self.wan.connected(pool.site, next_hop))
                    .then_some((next_hop, pool.site))
            }
            (_, Caller::Site(site)) => Some((site, site)),
            (_, Caller::Trunk(_)) => None,
        }
    }

    /// Whether a call can reach trunk `t`: its anchor to the trunk's
    /// Mediation site (signalling), its media site to the Mediation site,
    /// and the Mediation site to the peer.
    pub(super) fn reachable(&self, c: &Call, t: TrunkId) -> bool {
        let m = self.model;
        let trunk = m.trunk(t);
        let ms = m.mediation_pool(trunk.mediation_pool).site;
        let peer = m.peer(trunk.peer).site;
        self.wan.connected(c.anchor, ms) && self.wan.connected(c.media_site, ms) && self.wan.connected(ms, peer)
    }

    /// Whether a connected call's media still has its path.
    pub(super) fn media_path_ok(&self, c: &Call) -> bool {
        let m = self.model;
        let leg_ok = |leg: Leg| {
            let trunk = m.trunk(leg.trunk);
            self.wan.connected(m.mediation_pool(trunk.mediation_pool).site, m.peer(leg.peer).site)
        };
        let out_ok = c.outbound.is_none_or(|l| {
            leg_ok(l) && self.wan.connected(c.media_site, m.mediation_pool(m.trunk(l.trunk).mediation_pool).site)
        });
        out_ok && c.inbound.is_none_or(leg_ok) && c.callee_site.is_none_or(|s| self.wan.connected(c.media_site, s))
    }

    /// The media legs of an outbound attempt on trunk `t`: (from, to,
    /// tenths of a kbps). Straight to the peer when bypassed, else to the
    /// Mediation site and on to the peer.
    fn media_legs(&self, id: u32, t: TrunkId) -> MediaLegs {
        let m = self.model;
        let c = self.calls.get(id);
        let peer = m.peer(m.trunk(t).peer).site;
        let ms = m.mediation_pool(m.trunk(t).mediation_pool).site;
        let gw = super::media::gateway_leg(m, t);
        if c.bypassed {
            MediaLegs { legs: [(c.media_site, peer, gw), (peer, peer, 0)], len: 1 }
        } else {
            // A trunk caller's media reaches this Mediation Server in G.711.
            let near = if c.inbound.is_some() { gw } else { super::media::lync_leg(m) };
            MediaLegs { legs: [(c.media_site, ms, near), (ms, peer, gw)], len: 2 }
        }
    }

    /// Reserves the media of an outbound leg on trunk `t`; CAC counts it
    /// unless it is bypassed.
    fn reserve_media(&mut self, now: u64, id: u32, t: TrunkId) {
        if self.nothing_to_hold() {
            return;
        }
        let cac = !self.calls.get(id).bypassed;
        let legs = self.media_legs(id, t);
        for &(a, b, bw) in legs.as_slice() {
            self.reserve_path(now, id, a, b, bw, cac);
        }
    }

    /// [`admit`](Self::admit) for the media legs of an outbound attempt on
    /// trunk `t`, worked out only when there is CAC to ask.
    fn admit_outbound(&mut self, id: u32, t: TrunkId) -> bool {
        if self.model.cac_elements.is_empty() {
            return true;
        }
        let legs = self.media_legs(id, t);
        self.admit(id, legs.as_slice())
    }

    /// Whether call admission control admits these legs: on every link
    /// with a bandwidth policy, each session within the session limit and
    /// the total within the audio limit. Denials are counted per link.
    fn admit(&mut self, id: u32, legs: &[(SiteId, SiteId, u32)]) -> bool {
        let m = self.model;
        if m.cac_elements.is_empty() {
            return true;
        }
        // Audio per CAC element, in a buffer the run reuses.
        let mut extra = std::mem::take(&mut self.cac_extra);
        extra.clear();
        for &(a, b, bw) in legs {
            for e in &m.cac_paths[a.index()][b.index()] {
                match extra.iter_mut().find(|(x, _)| x == e) {
                    Some((_, v)) => *v += bw,
                    None => extra.push((*e, bw)),
                }
            }
        }
        let mut ok = true;
        for &(e, bw) in &extra {
            let policy = &m.bandwidth_policies[m.cac_elements[e as usize].policy];
            let session_ok = bw <= policy.audio_session_limit_kbps * 10;
            let total_ok = self.cac_used[e as usize] + bw <= policy.audio_limit_kbps * 10;
            if !(session_ok && total_ok) {
                ok = false;
                let now = self.queue.now();
                if session_ok {
                    // Only the aggregate is a size to plan; a session over
                    // the session limit is a codec setting no size fixes.
                    let w = self.window();
                    self.out.cac_audio[e as usize].refuse(now, &w);
                    self.calls.get_mut(id).refused = true;
                }
                if self.calls.get(id).measured {
                    self.out.cac.denials += 1;
                    self.out.cac_denials[e as usize] += 1;
                    let b = ((now / self.out.window.bucket) as usize).min(self.out.bucket_offered.len() - 1);
                    self.out.bucket_cac_denials[e as usize][b] += 1;
                }
            }
        }
        self.cac_extra = extra;
        ok
    }

    /// Scores an answered call's voice quality from its media path, with
    /// the links' load at the time it is answered.
    fn score_call(&mut self, id: u32, at: u64) {
        let c = self.calls.get(id);
        // An internal call rerouted by CAC has no modelled path: not scored.
        if c.reservations.is_empty() && c.callee_site.is_some_and(|s| s != c.media_site) {
            return;
        }
        let transcoded =
            c.outbound.is_some_and(|l| l.server.is_some()) || c.inbound.is_some_and(|l| l.server.is_some());
        let mos = self.scorer.score(self.model, &c.reservations, &self.out.links, transcoded);
        let (site, trunk) = (c.site, c.outbound.or(c.inbound).map(|l| l.trunk));
        self.out.mos.record(mos);
        self.out.mos_per_site[site].record(mos);
        if let Some(t) = trunk {
            self.out.mos_per_trunk[t.index()].record(mos);
        }
        let c = self.calls.get(id);
        for (i, (l, _)) in c.reservations.iter().enumerate() {
            // Once per link, though both legs may cross it.
            if !c.reservations[..i].iter().any(|(k, _)| k == l) {
                self.out.mos_per_link[l.index()].record(mos);
            }
        }
        let b = ((at / self.out.window.bucket) as usize).min(self.out.bucket_mos.len() - 1);
        self.out.bucket_mos[b].0 += mos;
        self.out.bucket_mos[b].1 += 1;
    }

    /// Counts an outcome for a measured call in its direction: overall,
    /// its site, its source.
    pub(super) fn count(&mut self, id: u32, f: impl Fn(&mut Counts)) {
        let c = self.calls.get(id);
        if !c.measured {
            return;
        }
        let d = c.direction;
        f(self.out.counts.get_mut(d));
        f(self.out.per_site[c.site].get_mut(d));
        f(self.out.per_source[c.source as usize].get_mut(d));
    }
}
