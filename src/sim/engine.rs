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
//! detection), `responses` (peers' own final responses), `scoring` (voice quality) and `counting` (call outcomes);
//! `replication` builds them for a run and gathers their figures after.
//! The loop asks them and carries what one decides to another: a
//! failure's `Actions` are applied here, and a call's outcome is counted
//! when its attempt ends (`attempt`). The rooms' small per-call methods
//! are `#[inline]`: the loop calls them across modules, and unmarked they
//! stay calls of their own (some 3% more instructions on the loss system).

use crate::model::{Model, TrunkId};
use crate::scenario::Scenario;
use crate::voice::{Attempt, Decision, Router, TrunkHealth, TrunkStates};

use super::admission::Admission;
use super::arrival::Traffic;
use super::call::{Call, Leg};
use super::counting::{Counting, End};
use super::faults::{Actions, Element, Faults};
use super::metrics::Window;
use super::queue::EventQueue;
use super::reach::Reach;
use super::resources::Resources;
use super::responses::Responses;
use super::scoring::Scoring;
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
    /// The trace's pending call arrives (`voicetwin replay`).
    Trace,
    /// The failure's element is marked down (episode number).
    Detect(u16, u32),
    /// The repaired element is marked up again (episode number).
    Recover(u16, u32),
}

pub use super::faults::TIMELINE_LIMIT;
pub use super::replication::{run_replication, Replication};

/// A replication in progress.
pub struct Simulation<'a> {
    pub(super) model: &'a Model,
    pub(super) scenario: &'a Scenario,
    pub(super) index: u32,
    pub(super) window: Window,
    pub(super) queue: EventQueue<Event>,
    pub(super) calls: Slab<Call>,
    pub(super) traffic: Traffic<'a>,
    pub(super) router: Router<'a>,
    /// Each trunk's health as routing sees it.
    pub(super) states: TrunkStates,
    /// Each source's round-robin position over its candidates: its own,
    /// so a call's routing depends only on its source's earlier calls
    /// (a what-if can run part of the network and get the same calls).
    pub(super) rotation: Vec<u32>,
    pub(super) decision: Decision,
    /// The trunk attempt being prepared (buffers the run reuses).
    pub(super) attempt: Attempt,
    pub(super) resources: Resources<'a>,
    pub(super) admission: Admission<'a>,
    pub(super) reach: Reach<'a>,
    pub(super) faults: Faults<'a>,
    /// How peers that are up answer the calls they take.
    pub(super) responses: Responses<'a>,
    pub(super) scoring: Scoring<'a>,
    pub(super) counting: Counting,
    /// Calls per trunk of the sources hunting over `trunks`.
    pub(super) hunting: Vec<super::hunting::HuntCounts>,
    /// What carried calls cost, with `[[tariff]]`s.
    pub(super) costs: Option<super::cost::CostFigures>,
    /// Calls a failure cuts off (a buffer the run reuses).
    pub(super) victims: Vec<u32>,
    /// Events processed, calls simulated (warm-up included), and patterns
    /// that reached the matching limit.
    pub(super) events: u64,
    pub(super) calls_simulated: u64,
    pub(super) pattern_limit_hits: crate::pattern::limit::LimitHits,
    /// Where each attempt's record goes, when records are asked for.
    pub(super) cdr: Option<super::cdr::Recorder>,
    /// Recorded calls replayed beside (or instead of) the sources.
    pub(super) trace: Option<super::trace::Trace<'a>>,
}

impl<'a> Simulation<'a> {
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
        self.schedule_trace();
        for f in 0..self.scenario.failures.len() as u16 {
            if let Some(at) = self.faults.first_start(f) {
                self.queue.schedule(at, Event::FailStart(f));
            }
        }
        while let Some((now, ev)) = self.queue.pop() {
            self.events += 1;
            match ev {
                Event::Arrival(s) => self.arrival(now, s),
                Event::Trace => self.trace_arrival(now),
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

    /// Applies what failure `f`'s event decided: its trunks' health for
    /// routing, its element marked, the calls through it cut off (once
    /// the element is marked, so a WAN cut shows), then its next events.
    fn apply(&mut self, now: u64, f: u16, a: Actions) {
        if let Some(health) = a.health {
            self.set_health(f, health);
        }
        if let Some(down) = a.mark {
            let elements = self.faults.elements(f);
            for e in elements {
                match *e {
                    Element::Registrar(r) => {
                        self.reach.set_registrar(r, down);
                        self.admission.set_registrar(r, down);
                    }
                    Element::Server(s) => self.resources.set_server_down(s, down),
                    Element::Link(_) => {}
                }
            }
            let links = elements.iter().filter_map(|e| match e {
                Element::Link(l) => Some(*l),
                _ => None,
            });
            if elements.iter().any(|e| matches!(e, Element::Link(_))) {
                self.reach.set_links(links, down);
            }
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
    pub(super) fn seize(&mut self, now: u64, id: u32, t: TrunkId, media: bool) -> Option<Leg> {
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
