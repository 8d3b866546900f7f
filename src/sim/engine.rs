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
//!
//! This module holds the replication's state, its set-up and its event
//! loop; the rest of the call's life is in rooms of its own: `arrival`
//! (a source's call and each attempt's placing), `attempt` (trunk
//! attempts, ringing, the call's end and redials), `resources`
//! (seizing trunks, peers, Mediation servers and bandwidth), `cac` (call
//! admission control on media legs), `reach` (what the WAN still
//! connects) and `faults` (failures and their detection).

use crate::model::{LinkId, Model, PeerId, RouteId, SiteId, TrunkId};
use crate::rng::{stream, Stream};
use crate::scenario::Scenario;
use crate::voice::{Attempt, Candidate, Decision, Router, TrunkStates};

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
    /// The Mediation server carrying its media (its index in
    /// `Simulation::servers`); none when bypassed.
    pub server: Option<usize>,
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
    /// Patterns that reached the matching limit (`pattern::limit`) in the
    /// routing decisions and trunk attempts of the whole run, warm-up
    /// included: each was taken as not matching.
    pub pattern_limit_hits: crate::pattern::limit::LimitHits,
}

/// Most timeline entries kept per replication (memory stays bounded under
/// random failures with short times between them).
pub const TIMELINE_LIMIT: usize = 10_000;

/// A replication in progress.
pub struct Simulation<'a> {
    pub(super) model: &'a Model,
    pub(super) scenario: &'a Scenario,
    pub(super) router: Router<'a>,
    pub(super) states: TrunkStates,
    pub(super) rotation: u32,
    pub(super) queue: EventQueue<Event>,
    pub(super) calls: Slab<Call>,
    pub(super) arrivals: Vec<Stream>,
    /// Each source's arrival shape (peak rate, flat profile), fixed for the run.
    pub(super) shapes: Vec<crate::traffic::source::ArrivalShape>,
    pub(super) attributes: Vec<Stream>,
    /// Redial draws of each source with retrials.
    pub(super) redial_rng: Vec<Option<Stream>>,
    /// Users holding a call (finite sources).
    pub(super) busy: super::arrival::BusyUsers,
    pub(super) mediation_rng: Stream,
    /// Calls on each Mediation server, every pool's servers in a row.
    pub(super) servers: Vec<u32>,
    /// Where each pool's servers start in `servers`.
    pub(super) first_server: Vec<usize>,
    pub(super) faults: Faults,
    pub(super) wan: WanState,
    /// No WAN link or Registrar can fail in this run and the WAN is whole:
    /// every path holds throughout, so the per-call checks are skipped.
    pub(super) paths_fixed: bool,
    /// Media paths between sites over the links that are up.
    pub(super) paths: Vec<Vec<Option<Vec<LinkId>>>>,
    /// Audio admitted by call admission control on each element (tenths of a kbps).
    pub(super) cac_used: Vec<u32>,
    /// `admit`'s buffer: audio per CAC element of the legs asked about.
    pub(super) cac_extra: Vec<(u32, u32)>,
    pub(super) scorer: super::quality::Scorer,
    pub(super) dial: String,
    pub(super) calling: String,
    pub(super) decision: Decision,
    pub(super) attempt: Attempt,
    pub(super) out: Replication,
}

/// Runs replication `index` of `scenario` on `model`.
pub fn run_replication(model: &Model, scenario: &Scenario, index: u32) -> Replication {
    let mut sim = Simulation::new(model, scenario, index);
    sim.run();
    sim.out
}

impl<'a> Simulation<'a> {
    pub fn new(model: &'a Model, scenario: &'a Scenario, index: u32) -> Self {
        let window = Window { warm_up: scenario.warm_up.0, end: scenario.duration.0, bucket: scenario.bucket.0 };
        let seed = scenario.seed;
        let arrivals = scenario.sources.iter().map(|s| stream(seed, index, &format!("arrivals/{}", s.name))).collect();
        let attributes = scenario.sources.iter().map(|s| stream(seed, index, &format!("calls/{}", s.name))).collect();
        // Offsets in `usize`: a sum of pools' servers must not wrap (each
        // pool's count is in `limits::model::MEDIATION_SERVERS`).
        let mut first_server = Vec::with_capacity(model.mediation_pools.len());
        let mut n = 0usize;
        for p in &model.mediation_pools {
            first_server.push(n);
            n += p.servers as usize;
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
            pattern_limit_hits: Default::default(),
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
            busy: super::arrival::BusyUsers::new(model, scenario),
            mediation_rng: stream(seed, index, "mediation"),
            servers: vec![0; n],
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

    pub(super) fn schedule_arrival(&mut self, s: u16, now: u64) {
        let shape = &self.shapes[s as usize];
        if let Some(t) = shape.next_arrival(now, self.scenario.start_hour, &mut self.arrivals[s as usize]) {
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
