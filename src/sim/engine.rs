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
//! This module holds the event loop. The state is in rooms, each owning
//! its own and writing no other's: `arrival` (the sources' traffic),
//! `call` (the call record), `resources` (trunks, peers, Mediation
//! servers), `admission` (CAC and the bandwidth media holds), `reach`
//! (what the WAN still connects), `faults` (failures and their
//! detection), `scoring` (voice quality) and `counting` (call outcomes).
//! The loop asks them and carries what one decides to another: a
//! failure's `Actions` are applied here, and a call's outcome is counted
//! when its attempt ends (`attempt`). The rooms' small per-call methods
//! are `#[inline]`: the loop calls them across modules, and unmarked they
//! stay calls of their own (about 2% more instructions on the loss system).

use crate::model::Model;
use crate::scenario::Scenario;
use crate::voice::{Attempt, Candidate, Decision, Router, TrunkHealth, TrunkStates};

use super::admission::{Admission, AdmissionFigures};
use super::arrival::Traffic;
use super::call::{Call, Leg};
use super::counting::{Counting, CountingFigures, End};
use super::faults::{Actions, Element, Faults};
use super::metrics::{CacCounts, DelayHistogram, ElementState, FailureCounts, Occupancy, RouteCounts, Tally, Window};
use super::quality::MosStats;
use super::queue::EventQueue;
use super::reach::Reach;
use super::resources::{ResourceFigures, Resources};
use super::scoring::{Scoring, ScoringFigures};
use super::slab::Slab;

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
    pub mos: MosStats,
    pub mos_per_site: Vec<MosStats>,
    pub mos_per_trunk: Vec<MosStats>,
    /// Calls whose media crossed each WAN link.
    pub mos_per_link: Vec<MosStats>,
    pub bucket_mos: Vec<(f64, u64)>,
    /// Call admission control: outcomes; per CAC element (model
    /// `cac_elements`), denials, admitted audio (tenths of a kbps) and
    /// denials per time bucket.
    pub cac: CacCounts,
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

pub use super::faults::TIMELINE_LIMIT;

/// A replication in progress.
pub struct Simulation<'a> {
    pub(super) model: &'a Model,
    pub(super) scenario: &'a Scenario,
    index: u32,
    window: Window,
    pub(super) queue: EventQueue<Event>,
    pub(super) calls: Slab<Call>,
    pub(super) traffic: Traffic<'a>,
    pub(super) router: Router<'a>,
    /// Each trunk's health as routing sees it.
    pub(super) states: TrunkStates,
    pub(super) rotation: u32,
    pub(super) decision: Decision,
    /// The trunk attempt being prepared (buffers the run reuses).
    pub(super) attempt: Attempt,
    pub(super) resources: Resources<'a>,
    pub(super) admission: Admission<'a>,
    pub(super) reach: Reach<'a>,
    pub(super) faults: Faults<'a>,
    pub(super) scoring: Scoring<'a>,
    pub(super) counting: Counting,
    /// Calls a failure cuts off (a buffer the run reuses).
    victims: Vec<u32>,
    /// Events processed, calls simulated (warm-up included), and patterns
    /// that reached the matching limit.
    events: u64,
    pub(super) calls_simulated: u64,
    pub(super) pattern_limit_hits: crate::pattern::limit::LimitHits,
}

/// Runs replication `index` of `scenario` on `model`.
pub fn run_replication(model: &Model, scenario: &Scenario, index: u32) -> Replication {
    let mut sim = Simulation::new(model, scenario, index);
    sim.run();
    sim.into_replication()
}

impl<'a> Simulation<'a> {
    pub fn new(model: &'a Model, scenario: &'a Scenario, index: u32) -> Self {
        let window = Window { warm_up: scenario.warm_up.0, end: scenario.duration.0, bucket: scenario.bucket.0 };
        Self {
            model,
            scenario,
            index,
            window,
            queue: EventQueue::new(),
            calls: Slab::new(),
            traffic: Traffic::new(model, scenario, index),
            router: Router::new(model),
            states: TrunkStates::all_up(model),
            rotation: 0,
            decision: Decision::default(),
            attempt: empty_attempt(),
            resources: Resources::new(model, scenario, index, window),
            admission: Admission::new(model, window),
            reach: Reach::new(model, scenario),
            faults: Faults::new(model, scenario, index),
            scoring: Scoring::new(model, window),
            counting: Counting::new(window, model.sites.len(), scenario.sources.len(), model.routes.len()),
            victims: Vec::new(),
            events: 0,
            calls_simulated: 0,
            pattern_limit_hits: Default::default(),
        }
    }

    pub(super) fn hop(&self) -> u64 {
        self.scenario.signalling.hop_latency.0
    }

    /// Whether an attempt placed at `now` is measured: after the warm-up,
    /// before the end of the run.
    pub(super) fn measured(&self, now: u64) -> bool {
        now >= self.window.warm_up && now < self.window.end
    }

    /// Runs to the end: arrivals stop at the end of the run, calls in
    /// progress are played out (their occupancy after the end is not
    /// measured).
    pub fn run(&mut self) {
        for s in 0..self.scenario.sources.len() {
            self.schedule_arrival(s as u16, 0);
        }
        for f in 0..self.scenario.failures.len() as u16 {
            if let Some(at) = self.faults.first_start(f) {
                self.queue.schedule(at, Event::FailStart(f));
            }
        }
        while let Some((now, ev)) = self.queue.pop() {
            self.events += 1;
            match ev {
                Event::Arrival(s) => self.arrival(now, s),
                Event::Attempt { call, gen } => {
                    if self.current(call, gen) {
                        self.attempt(now, call);
                    }
                }
                Event::Release { call, gen } => {
                    if self.current(call, gen) {
                        self.end_attempt(now, call, End::Released);
                        self.end_call(call);
                    }
                }
                Event::Redial { call, gen } => {
                    if self.current(call, gen) {
                        let measured = self.measured(now);
                        self.calls.get_mut(call).redial(now, measured);
                        self.place(now, call);
                    }
                }
                Event::FailStart(f) => {
                    let a = self.faults.start(now, f);
                    self.apply(now, f, a);
                }
                Event::FailEnd(f) => {
                    let a = self.faults.end(now, f);
                    self.apply(now, f, a);
                }
                Event::Detect(f, episode) => {
                    let a = self.faults.detect(now, f, episode);
                    self.apply(now, f, a);
                }
                Event::Recover(f, episode) => {
                    let a = self.faults.recover(now, f, episode);
                    self.apply(now, f, a);
                }
            }
        }
    }

    /// What the run measured, each room's figures closed and handed over.
    pub fn into_replication(self) -> Replication {
        let CountingFigures { counts, per_site, per_source, per_route, pdd, bucket_offered, bucket_blocked } =
            self.counting.close();
        let ResourceFigures { peers, trunks, mediation_pools } = self.resources.close();
        let AdmissionFigures { links, cac, cac_denials, cac_audio, bucket_cac_denials } = self.admission.close();
        let ScoringFigures { mos, mos_per_site, mos_per_trunk, mos_per_link, bucket_mos } = self.scoring.close();
        let (failures, timeline) = self.faults.close();
        Replication {
            index: self.index,
            window: self.window,
            counts,
            per_site,
            per_source,
            per_route,
            peers,
            trunks,
            mediation_pools,
            links,
            mos,
            mos_per_site,
            mos_per_trunk,
            mos_per_link,
            bucket_mos,
            cac,
            cac_denials,
            cac_audio,
            bucket_cac_denials,
            pdd,
            bucket_offered,
            bucket_blocked,
            failures,
            timeline,
            events: self.events,
            calls: self.calls_simulated,
            peak_calls: self.calls.capacity(),
            pattern_limit_hits: self.pattern_limit_hits,
        }
    }

    /// Applies what failure `f`'s event decided: its trunks' health for
    /// routing, its element marked, the calls through it cut off (once
    /// the element is marked, so a WAN cut shows), then its next events.
    fn apply(&mut self, now: u64, f: u16, a: Actions) {
        if let Some(health) = a.health {
            self.set_health(f, health);
        }
        match a.mark {
            Some((Element::Link(l), down)) => self.reach.set_link(l, down),
            Some((Element::Registrar(r), down)) => self.reach.set_registrar(r, down),
            Some((Element::Server(s), down)) => self.resources.set_server_down(s, down),
            None => {}
        }
        if a.drop_calls {
            let mut victims = std::mem::take(&mut self.victims);
            self.faults.calls_to_drop(f, &self.calls, &self.reach, &mut victims);
            for &id in &victims {
                self.end_attempt(now, id, End::Dropped { by: f });
                self.end_call(id);
            }
            self.victims = victims;
        }
        for (at, event) in a.schedule.into_iter().flatten() {
            self.queue.schedule(at, event);
        }
    }

    /// Gives failure `f`'s trunks `health` for routing.
    pub(super) fn set_health(&mut self, f: u16, health: TrunkHealth) {
        for &t in &self.scenario.failures[f as usize].trunks {
            self.states.set(t, health);
        }
    }

    /// Whether an event for (`call`, `gen`) still concerns a live call.
    fn current(&self, call: u32, gen: u32) -> bool {
        self.calls.is_live(call) && self.calls.get(call).gen == gen
    }

    pub(super) fn schedule_arrival(&mut self, s: u16, now: u64) {
        if let Some(at) = self.traffic.next_arrival(s, now) {
            self.queue.schedule(at, Event::Arrival(s));
        }
    }

    pub(super) fn schedule_call(&mut self, at: u64, id: u32, attempt: bool) {
        let gen = self.calls.get(id).gen;
        let ev = if attempt { Event::Attempt { call: id, gen } } else { Event::Release { call: id, gen } };
        self.queue.schedule(at, ev);
    }

    /// Seizes trunk `t` for call `id` (with a Mediation media session when
    /// `media`), noting the elements that were full when it cannot.
    pub(super) fn seize(&mut self, now: u64, id: u32, t: crate::model::TrunkId, media: bool) -> Option<Leg> {
        let c = self.calls.get_mut(id);
        match self.resources.seize(now, t, c.measured, media) {
            Ok(leg) => Some(leg),
            Err(full) => {
                c.refused_by(&full);
                None
            }
        }
    }
}

/// An empty trunk attempt whose buffers the engine reuses.
fn empty_attempt() -> Attempt {
    Attempt {
        candidate: Candidate { usage: Default::default(), route: Default::default(), trunk: Default::default() },
        config: Default::default(),
        called: String::new(),
        called_rule: None,
        calling: None,
        calling_rule: None,
        caller_id_suppressed: false,
        limit_hits: Default::default(),
    }
}
