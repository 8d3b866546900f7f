//! Failures: elements that go down, are noticed, come back.
//!
//! Detection follows a field report (docs/lync-behaviour.md, "Peer
//! detection (OPTIONS)"), with its figures as `[detection]` settings. Each
//! Mediation Server sends OPTIONS to its peers every `options_interval`,
//! starting at a phase of its own. After `missed_options` unanswered in a
//! row the peer is marked down and routing skips it. While down, it is
//! probed every `down_probe_interval`, and the first probe after the repair
//! marks it up. Until it is marked down, calls are still sent to it: a
//! silent element holds each attempt for the fast-failover timer, a
//! rejecting one answers 503 at once. Calls in progress through an element
//! that fails are dropped.
//!
//! This room keeps each failure's state, its figures and the timeline; it
//! writes nothing else. Each of its events returns the [`Actions`] the
//! event loop then applies: trunk health for routing, an element for the
//! resources or the WAN, calls to drop, events to schedule.

use rand::RngExt;
use rand_distr::{Distribution, Exp};

use crate::model::{LinkId, Model, RegistrarPoolId, TrunkId};
use crate::rng::{stream, Stream};
use crate::scenario::{FailureMode, FailureTarget, FailureTiming, Scenario};
use crate::voice::{AttemptResult, TrunkHealth};

use super::call::{Call, Leg};
use super::counting::End;
use super::engine::Event;
use super::metrics::{ElementState, FailureCounts};
use super::reach::Reach;
use super::slab::Slab;

/// Most timeline entries kept per replication (memory stays bounded under
/// random failures with short times between them).
pub const TIMELINE_LIMIT: usize = 10_000;

#[derive(Debug, Clone, Copy, Default)]
struct FaultState {
    active: bool,
    episode: u32,
    detected: bool,
    started: u64,
    ended: u64,
    detected_at: u64,
    /// When this element's OPTIONS probes are sent (µs, within one interval).
    phase: u64,
    /// Failover-class failures in a row, and whether that made it less
    /// preferred.
    strikes: u32,
    less_preferred: bool,
}

/// An element besides trunks that a failure takes down or brings back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Element {
    Link(LinkId),
    Registrar(RegistrarPoolId),
    /// A Mediation server, by its index among every pool's servers in a row.
    Server(usize),
}

/// What a failure event asks of the rest of the engine, applied by the
/// event loop in this order.
#[derive(Debug, Default)]
pub(super) struct Actions {
    /// The routing health to give the failure's trunks.
    pub health: Option<TrunkHealth>,
    /// Mark the failure's elements besides trunks
    /// ([`Faults::elements`]) down (`true`) or up.
    pub mark: Option<bool>,
    /// Cut off the calls in progress through the failed element
    /// ([`Faults::calls_to_drop`], once the element is marked).
    pub drop_calls: bool,
    /// Events to schedule, in order.
    pub schedule: [Option<(u64, Event)>; 2],
}

/// A trunk attempt that met a failed or degraded element.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub failure: u16,
    pub result: AttemptResult,
    /// The failure's trunks become less preferred.
    pub health: Option<TrunkHealth>,
    /// The element answered a final response of its own (`respond`):
    /// whether it counts toward less preferred depends on the routing
    /// verdict ([`Faults::answered`]).
    pub answered: bool,
}

/// Whether a failure in `mode` takes its element down (silent or
/// rejecting); a degraded or responding element stays up.
fn is_down(mode: Option<FailureMode>) -> bool {
    matches!(mode, Some(FailureMode::Silent | FailureMode::Reject))
}

/// The failures of a replication: which elements they hold, and what
/// they did.
pub(super) struct Faults<'a> {
    scenario: &'a Scenario,
    states: Vec<FaultState>,
    /// The failure active on each trunk, if any (a failed peer, pool or
    /// site fails all its trunks).
    trunk_fault: Vec<Option<u16>>,
    timing: Vec<Stream>,
    /// Each failure's draws of what a degraded element does to a call:
    /// its own, so two failures in one run draw as each does alone.
    degraded: Vec<Stream>,
    /// Whether each failure takes its element down (not merely degraded).
    hard: Vec<bool>,
    /// The Mediation server each failure takes down, if it is one.
    server: Vec<Option<usize>>,
    /// The elements besides trunks each failure takes down: its Mediation
    /// server, WAN links, Registrar pools (none for a degraded element,
    /// which stays up).
    elements: Vec<Vec<Element>>,
    figures: Vec<FailureCounts>,
    /// State changes of failed elements: (µs, failure, state); at most
    /// `TIMELINE_LIMIT` entries.
    timeline: Vec<(u64, u16, ElementState)>,
}

impl<'a> Faults<'a> {
    pub(super) fn new(model: &Model, scenario: &'a Scenario, index: u32) -> Self {
        let seed = scenario.seed;
        let interval = scenario.detection.options_interval.0.max(1);
        let mut timing: Vec<Stream> =
            scenario.failures.iter().map(|f| stream(seed, index, &format!("failures/{}", f.stream_name()))).collect();
        let states = timing
            .iter_mut()
            .map(|r| FaultState { phase: r.random_range(0..interval), ..Default::default() })
            .collect();
        let first_server = super::resources::first_servers(model);
        let server: Vec<Option<usize>> = scenario
            .failures
            .iter()
            .map(|f| match f.target {
                FailureTarget::MediationServer(pool, n) => Some(first_server[pool.index()] + n as usize),
                _ => None,
            })
            .collect();
        let elements = scenario
            .failures
            .iter()
            .zip(&server)
            .map(|(f, s)| {
                if !is_down(f.mode) {
                    return Vec::new();
                }
                let links = f.target.links(model).into_iter().map(Element::Link);
                let registrars = f.target.registrar_pools(model).into_iter().map(Element::Registrar);
                s.map(Element::Server).into_iter().chain(links).chain(registrars).collect()
            })
            .collect();
        Self {
            scenario,
            states,
            trunk_fault: vec![None; model.trunks.len()],
            timing,
            degraded: scenario
                .failures
                .iter()
                .map(|f| stream(seed, index, &format!("failures/{}/degraded", f.stream_name())))
                .collect(),
            hard: scenario.failures.iter().map(|f| is_down(f.mode)).collect(),
            server,
            elements,
            figures: vec![FailureCounts::default(); scenario.failures.len()],
            timeline: Vec::new(),
        }
    }

    /// Whether trunk `t` or its peer is down (failed, not merely degraded).
    #[inline]
    pub(super) fn element_failed(&self, t: TrunkId) -> bool {
        self.trunk_fault[t.index()].is_some_and(|f| self.states[f as usize].active && self.hard[f as usize])
    }

    /// When failure `f` first happens, if within the run.
    pub(super) fn first_start(&mut self, f: u16) -> Option<u64> {
        let at = match self.scenario.failures[f as usize].timing {
            FailureTiming::Scheduled { at, .. } => Some(at),
            FailureTiming::Random { mtbf, .. } => self.draw(f, mtbf, 0),
        };
        at.filter(|t| *t < self.scenario.duration.0)
    }

    /// An exponential draw of mean `mean` µs after `now` from failure
    /// `f`'s stream.
    fn draw(&mut self, f: u16, mean: u64, now: u64) -> Option<u64> {
        let exp = Exp::new(1.0 / mean as f64).ok()?;
        Some(now.saturating_add(exp.sample(&mut self.timing[f as usize]) as u64))
    }

    fn timeline(&mut self, now: u64, f: u16, state: ElementState) {
        if self.timeline.len() < TIMELINE_LIMIT {
            self.timeline.push((now, f, state));
        }
    }

    /// The elements besides trunks failure `f` takes down: a Mediation
    /// server, WAN links, Registrar pools (a site's all of them).
    pub(super) fn elements(&self, f: u16) -> &[Element] {
        &self.elements[f as usize]
    }

    /// Whether failure `f` marks elements besides trunks down (`down`) or
    /// up: only one that has some (a degraded element stays up).
    fn mark(&self, f: u16, down: bool) -> Option<bool> {
        (!self.elements[f as usize].is_empty()).then_some(down)
    }

    pub(super) fn start(&mut self, now: u64, f: u16) -> Actions {
        let failure = &self.scenario.failures[f as usize];
        let st = &mut self.states[f as usize];
        st.active = true;
        st.episode += 1;
        st.started = now;
        let (episode, already_down, phase) = (st.episode, st.detected, st.phase);
        for &t in &failure.trunks {
            self.trunk_fault[t.index()] = Some(f);
        }
        self.figures[f as usize].episodes += 1;
        self.timeline(now, f, ElementState::Failed);
        // A silent element misses its OPTIONS: marked down after the last
        // of `missed_options` probes from the first one after the failure.
        // (Only trunks are marked down: a WAN link, a Mediation server or a
        // Registrar pool has no trunk state to change.)
        let detect =
            (failure.mode == Some(FailureMode::Silent) && !already_down && !failure.trunks.is_empty()).then(|| {
                let d = self.scenario.detection;
                let interval = d.options_interval.0.max(1);
                let k = if now <= phase { 0 } else { (now - phase).div_ceil(interval) };
                (phase + k * interval + u64::from(d.missed_options - 1) * interval, Event::Detect(f, episode))
            });
        // A failure lasting to the end of the run is never repaired in it:
        // no repair (and no recovery probe) is scheduled at or after the end.
        let end = match failure.timing {
            FailureTiming::Scheduled { at, duration } => Some(at + duration),
            FailureTiming::Random { mttr, .. } => self.draw(f, mttr, now),
        }
        .filter(|t| *t < self.scenario.duration.0);
        Actions {
            health: None,
            mark: self.mark(f, true),
            drop_calls: self.hard[f as usize],
            schedule: [detect, end.map(|at| (at, Event::FailEnd(f)))],
        }
    }

    pub(super) fn end(&mut self, now: u64, f: u16) -> Actions {
        let failure = &self.scenario.failures[f as usize];
        let st = &mut self.states[f as usize];
        st.active = false;
        st.ended = now;
        st.strikes = 0;
        let was_less_preferred = std::mem::take(&mut st.less_preferred);
        let (episode, detected, detected_at) = (st.episode, st.detected, st.detected_at);
        // A trunk another failure still holds stays that failure's.
        let (failures, states) = (&self.scenario.failures, &self.states);
        for &t in &failure.trunks {
            if self.trunk_fault[t.index()] == Some(f) {
                self.trunk_fault[t.index()] = (0..failures.len())
                    .find(|&g| g != f as usize && states[g].active && failures[g].trunks.contains(&t))
                    .map(|g| g as u16);
            }
        }
        self.timeline(now, f, if detected { ElementState::Repaired } else { ElementState::Up });
        // The first down-probe after the repair brings it back.
        let recover = detected.then(|| {
            let every = self.scenario.detection.down_probe_interval.0.max(1);
            let j = (now - detected_at).div_ceil(every);
            (detected_at + j * every, Event::Recover(f, episode))
        });
        let next = match failure.timing {
            FailureTiming::Random { mtbf, .. } => self.draw(f, mtbf, now).filter(|t| *t < self.scenario.duration.0),
            FailureTiming::Scheduled { .. } => None,
        };
        Actions {
            health: (was_less_preferred && !detected).then_some(TrunkHealth::Up),
            mark: self.mark(f, false),
            drop_calls: false,
            schedule: [recover, next.map(|at| (at, Event::FailStart(f)))],
        }
    }

    pub(super) fn detect(&mut self, now: u64, f: u16, episode: u32) -> Actions {
        let st = &mut self.states[f as usize];
        if st.episode != episode || !st.active || st.detected {
            return Actions::default();
        }
        st.detected = true;
        st.detected_at = now;
        st.less_preferred = false;
        let started = st.started;
        let c = &mut self.figures[f as usize];
        c.detections += 1;
        c.detect_us += now - started;
        self.timeline(now, f, ElementState::MarkedDown);
        Actions { health: Some(TrunkHealth::Down), ..Default::default() }
    }

    pub(super) fn recover(&mut self, now: u64, f: u16, episode: u32) -> Actions {
        let st = &mut self.states[f as usize];
        if st.episode != episode || st.active || !st.detected {
            return Actions::default();
        }
        st.detected = false;
        let ended = st.ended;
        let c = &mut self.figures[f as usize];
        c.recoveries += 1;
        c.recover_us += now - ended;
        self.timeline(now, f, ElementState::Up);
        Actions { health: Some(TrunkHealth::Up), ..Default::default() }
    }

    /// What an attempt on `trunk` gets from a failed or degraded element,
    /// or `None` when the element works (for this call).
    #[inline]
    pub(super) fn attempt(&mut self, now: u64, trunk: TrunkId, measured: bool) -> Option<Hit> {
        let f = self.trunk_fault[trunk.index()]?;
        let failure = &self.scenario.failures[f as usize];
        let result = match failure.mode {
            Some(FailureMode::Silent) => AttemptResult::NoProgress,
            Some(FailureMode::Reject) => AttemptResult::Response { code: 503, isup_cause: None },
            Some(FailureMode::Respond { code, isup_cause }) => {
                // Whether it counts toward less preferred waits for the
                // routing verdict (`answered`).
                if measured {
                    self.figures[f as usize].undetected_attempts += 1;
                }
                let result = AttemptResult::Response { code, isup_cause };
                return Some(Hit { failure: f, result, health: None, answered: true });
            }
            None => {
                let u: f64 = self.degraded[f as usize].random();
                if u < failure.reject_fraction {
                    AttemptResult::Response { code: 503, isup_cause: None }
                } else if u < failure.reject_fraction + failure.slow_fraction {
                    AttemptResult::NoProgress
                } else {
                    self.states[f as usize].strikes = 0;
                    return None;
                }
            }
        };
        if measured {
            self.figures[f as usize].undetected_attempts += 1;
        }
        // Repeated failover-class failures make an element that still
        // answers OPTIONS less preferred: routing tries it last.
        let health = self.strike(now, f);
        Some(Hit { failure: f, result, health, answered: false })
    }

    /// One more failover-class failure of failure `f`'s element in a row:
    /// at `less_preferred_after` of them it becomes less preferred.
    fn strike(&mut self, now: u64, f: u16) -> Option<TrunkHealth> {
        let st = &mut self.states[f as usize];
        st.strikes += 1;
        if st.strikes >= self.scenario.detection.less_preferred_after && !st.less_preferred && !st.detected {
            st.less_preferred = true;
            self.timeline(now, f, ElementState::LessPreferred);
            return Some(TrunkHealth::LessPreferred);
        }
        None
    }

    /// A responding element's answer was routed: one that fails over
    /// counts toward less preferred as a failure does; one that ends the
    /// call shows the element at work and resets the count.
    pub(super) fn answered(&mut self, now: u64, f: u16, failover: bool) -> Option<TrunkHealth> {
        if failover {
            return self.strike(now, f);
        }
        self.states[f as usize].strikes = 0;
        None
    }

    /// The calls in progress through failure `f`'s element, with its
    /// element already marked (a WAN cut shows in `reach`).
    pub(super) fn calls_to_drop(&self, f: u16, calls: &Slab<Call>, reach: &Reach, victims: &mut Vec<u32>) {
        let failure = &self.scenario.failures[f as usize];
        let server = self.server[f as usize];
        let hit = |leg: Option<Leg>| {
            leg.is_some_and(|l| failure.trunks.contains(&l.trunk) || (server.is_some() && l.server == server))
        };
        let wan = self.elements[f as usize].iter().any(|e| matches!(e, Element::Link(_)));
        victims.clear();
        victims.extend(calls.live().filter(|id| {
            let c = calls.get(*id);
            hit(c.inbound) || hit(c.outbound) || (wan && !reach.media_path_ok(c))
        }));
    }

    /// Post-dial delay a call's attempt at a failed element added.
    #[inline]
    pub(super) fn add_delay(&mut self, c: &Call, us: u64) {
        if let (Some(f), true) = (c.hit_failure, c.measured) {
            self.figures[f as usize].extra_pdd_us += us;
        }
    }

    /// Counts what the failures did to a measured attempt that ended: the
    /// call it dropped, or one that met a failed element and then
    /// connected elsewhere (rescued) or never did (lost).
    #[inline]
    pub(super) fn attempt_ended(&mut self, c: &Call, end: End) {
        if !c.measured {
            return;
        }
        if let End::Dropped { by } = end {
            self.figures[by as usize].dropped += 1;
        }
        let Some(f) = c.hit_failure else { return };
        let figures = &mut self.figures[f as usize];
        match end {
            End::Blocked { .. } | End::Failed => figures.lost += 1,
            // Rescued once it reached ringback with a callee who answers,
            // even if a failure then cut it off before the answer.
            End::Released | End::Dropped { .. } => figures.rescued += u64::from(c.carried && c.profile.answered),
            End::NotAuthorized => {}
        }
    }

    /// Hands over what the failures did: per failure, and the timeline.
    pub(super) fn close(self) -> (Vec<FailureCounts>, Vec<(u64, u16, ElementState)>) {
        (self.figures, self.timeline)
    }
}
