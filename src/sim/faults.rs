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

use rand::RngExt;
use rand_distr::{Distribution, Exp};

use crate::model::{Model, TrunkId};
use crate::rng::{stream, Stream};
use crate::scenario::{FailureMode, FailureTiming, Scenario};
use crate::voice::{AttemptResult, TrunkHealth};

use super::engine::{Event, Simulation, TIMELINE_LIMIT};
use super::metrics::ElementState;

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

/// The failures of a replication and which elements they hold.
pub(super) struct Faults {
    states: Vec<FaultState>,
    /// The failure active on each trunk, if any (a failed peer, pool or
    /// site fails all its trunks).
    trunk_fault: Vec<Option<u16>>,
    timing: Vec<Stream>,
    degraded: Stream,
    /// Whether each failure takes its element down (not merely degraded).
    hard: Vec<bool>,
    /// Mediation servers down, by global server index.
    pub(super) server_down: Vec<bool>,
    /// Registrar pools down.
    pub(super) registrar_down: Vec<bool>,
}

impl Faults {
    pub(super) fn new(model: &Model, scenario: &Scenario, seed: u64, index: u32) -> Self {
        let interval = scenario.detection.options_interval.0.max(1);
        let mut timing: Vec<Stream> =
            scenario.failures.iter().map(|f| stream(seed, index, &format!("failures/{}", f.name))).collect();
        let states = timing
            .iter_mut()
            .map(|r| FaultState { phase: r.random_range(0..interval), ..Default::default() })
            .collect();
        Self {
            states,
            trunk_fault: vec![None; model.trunks.len()],
            timing,
            degraded: stream(seed, index, "failures/degraded"),
            hard: scenario.failures.iter().map(|f| f.mode.is_some()).collect(),
            server_down: vec![false; model.mediation_pools.iter().map(|p| p.servers as usize).sum()],
            registrar_down: vec![false; model.registrar_pools.len()],
        }
    }

    /// The failure active on trunk `t` (or on its peer, pool or site).
    fn active_on(&self, t: TrunkId) -> Option<u16> {
        self.trunk_fault[t.index()]
    }

    /// Whether trunk `t` or its peer is down (failed, not merely degraded).
    pub(super) fn element_failed(&self, t: TrunkId) -> bool {
        self.active_on(t).is_some_and(|f| self.states[f as usize].active && self.hard[f as usize])
    }
}

impl Simulation<'_> {
    /// The first episode of every failure.
    pub(super) fn schedule_failures(&mut self) {
        for (i, f) in self.scenario.failures.iter().enumerate() {
            let at = match f.timing {
                FailureTiming::Scheduled { at, .. } => Some(at),
                FailureTiming::Random { mtbf, .. } => self.draw(i, mtbf),
            };
            if let Some(at) = at.filter(|t| *t < self.scenario.duration.0) {
                self.queue.schedule(at, Event::FailStart(i as u16));
            }
        }
    }

    /// An exponential draw of mean `mean` µs from failure `i`'s stream.
    fn draw(&mut self, i: usize, mean: u64) -> Option<u64> {
        let exp = Exp::new(1.0 / mean as f64).ok()?;
        let now = self.queue.now();
        Some(now.saturating_add(exp.sample(&mut self.faults.timing[i]) as u64))
    }

    fn timeline(&mut self, now: u64, f: u16, state: ElementState) {
        if self.out.timeline.len() < TIMELINE_LIMIT {
            self.out.timeline.push((now, f, state));
        }
    }

    fn set_health(&mut self, f: u16, health: TrunkHealth) {
        for &t in &self.scenario.failures[f as usize].trunks {
            self.states.set(t, health);
        }
    }

    pub(super) fn fail_start(&mut self, now: u64, f: u16) {
        let failure = &self.scenario.failures[f as usize];
        let (mode, timing) = (failure.mode, failure.timing.clone());
        let st = &mut self.faults.states[f as usize];
        st.active = true;
        st.episode += 1;
        st.started = now;
        let (episode, already_down, phase) = (st.episode, st.detected, st.phase);
        for &t in &self.scenario.failures[f as usize].trunks {
            self.faults.trunk_fault[t.index()] = Some(f);
        }
        if let Some(server) = self.failed_server(f) {
            self.faults.server_down[server] = mode.is_some();
        }
        match (self.scenario.failures[f as usize].target, mode.is_some()) {
            (crate::scenario::FailureTarget::WanLink(l), true) => {
                self.wan.set(self.model, l, true);
                self.paths = super::wan::media_paths(self.model, |l| !self.wan.is_down(l));
            }
            (crate::scenario::FailureTarget::RegistrarPool(r), true) => self.faults.registrar_down[r.index()] = true,
            _ => {}
        }
        self.out.failures[f as usize].episodes += 1;
        self.timeline(now, f, ElementState::Failed);
        if mode.is_some() {
            self.drop_calls(now, f);
        }
        // A silent element misses its OPTIONS: marked down after the last
        // of `missed_options` probes from the first one after the failure.
        // (Only trunks are marked down: a WAN link, a Mediation server or a
        // Registrar pool has no trunk state to change.)
        let has_trunks = !self.scenario.failures[f as usize].trunks.is_empty();
        if mode == Some(FailureMode::Silent) && !already_down && has_trunks {
            let d = self.scenario.detection;
            let interval = d.options_interval.0.max(1);
            let k = if now <= phase { 0 } else { (now - phase).div_ceil(interval) };
            let at = phase + k * interval + u64::from(d.missed_options - 1) * interval;
            self.queue.schedule(at, Event::Detect(f, episode));
        }
        let end = match timing {
            FailureTiming::Scheduled { at, duration } => Some(at + duration),
            FailureTiming::Random { mttr, .. } => self.draw(f as usize, mttr),
        };
        if let Some(end) = end {
            self.queue.schedule(end, Event::FailEnd(f));
        }
    }

    pub(super) fn fail_end(&mut self, now: u64, f: u16) {
        let st = &mut self.faults.states[f as usize];
        st.active = false;
        st.ended = now;
        st.strikes = 0;
        let was_less_preferred = std::mem::take(&mut st.less_preferred);
        let (episode, detected, detected_at) = (st.episode, st.detected, st.detected_at);
        if was_less_preferred && !detected {
            self.set_health(f, TrunkHealth::Up);
        }
        for &t in &self.scenario.failures[f as usize].trunks {
            if self.faults.trunk_fault[t.index()] == Some(f) {
                self.faults.trunk_fault[t.index()] = None;
            }
        }
        if let Some(server) = self.failed_server(f) {
            self.faults.server_down[server] = false;
        }
        match (self.scenario.failures[f as usize].target, self.scenario.failures[f as usize].mode.is_some()) {
            (crate::scenario::FailureTarget::WanLink(l), true) => {
                self.wan.set(self.model, l, false);
                self.paths = super::wan::media_paths(self.model, |l| !self.wan.is_down(l));
            }
            (crate::scenario::FailureTarget::RegistrarPool(r), true) => self.faults.registrar_down[r.index()] = false,
            _ => {}
        }
        self.timeline(now, f, if detected { ElementState::Repaired } else { ElementState::Up });
        if detected {
            // The first down-probe after the repair brings it back.
            let every = self.scenario.detection.down_probe_interval.0.max(1);
            let j = (now - detected_at).div_ceil(every);
            self.queue.schedule(detected_at + j * every, Event::Recover(f, episode));
        }
        if let FailureTiming::Random { mtbf, .. } = self.scenario.failures[f as usize].timing {
            if let Some(next) = self.draw(f as usize, mtbf).filter(|t| *t < self.scenario.duration.0) {
                self.queue.schedule(next, Event::FailStart(f));
            }
        }
    }

    pub(super) fn detect(&mut self, now: u64, f: u16, episode: u32) {
        let st = &mut self.faults.states[f as usize];
        if st.episode != episode || !st.active || st.detected {
            return;
        }
        st.detected = true;
        st.detected_at = now;
        st.less_preferred = false;
        let started = st.started;
        self.set_health(f, TrunkHealth::Down);
        let c = &mut self.out.failures[f as usize];
        c.detections += 1;
        c.detect_us += now - started;
        self.timeline(now, f, ElementState::MarkedDown);
    }

    pub(super) fn recover(&mut self, now: u64, f: u16, episode: u32) {
        let st = &mut self.faults.states[f as usize];
        if st.episode != episode || st.active || !st.detected {
            return;
        }
        st.detected = false;
        let ended = st.ended;
        self.set_health(f, TrunkHealth::Up);
        let c = &mut self.out.failures[f as usize];
        c.recoveries += 1;
        c.recover_us += now - ended;
        self.timeline(now, f, ElementState::Up);
    }

    /// The global index of the Mediation server failure `f` takes down.
    fn failed_server(&self, f: u16) -> Option<usize> {
        match self.scenario.failures[f as usize].target {
            crate::scenario::FailureTarget::MediationServer(pool, n) => {
                Some(self.first_server[pool.index()] + n as usize)
            }
            _ => None,
        }
    }

    /// What an attempt on `trunk` gets from a failed or degraded element,
    /// or `None` when the element works (for this call).
    pub(super) fn fault_result(&mut self, now: u64, id: u32, trunk: TrunkId) -> Option<AttemptResult> {
        let f = self.faults.active_on(trunk)?;
        let failure = &self.scenario.failures[f as usize];
        let result = match failure.mode {
            Some(FailureMode::Silent) => AttemptResult::NoProgress,
            Some(FailureMode::Reject) => AttemptResult::Response { code: 503, isup_cause: None },
            None => {
                let u: f64 = self.faults.degraded.random();
                if u < failure.reject_fraction {
                    AttemptResult::Response { code: 503, isup_cause: None }
                } else if u < failure.reject_fraction + failure.slow_fraction {
                    AttemptResult::NoProgress
                } else {
                    self.faults.states[f as usize].strikes = 0;
                    return None;
                }
            }
        };
        let c = self.calls.get_mut(id);
        c.hit_failure = Some(f);
        if c.measured {
            self.out.failures[f as usize].undetected_attempts += 1;
        }
        // Repeated failover-class failures make an element that still
        // answers OPTIONS less preferred: routing tries it last.
        let st = &mut self.faults.states[f as usize];
        st.strikes += 1;
        if st.strikes >= self.scenario.detection.less_preferred_after && !st.less_preferred && !st.detected {
            st.less_preferred = true;
            self.set_health(f, TrunkHealth::LessPreferred);
            self.timeline(now, f, ElementState::LessPreferred);
        }
        Some(result)
    }

    /// Cuts off every call in progress through failure `f`'s element.
    fn drop_calls(&mut self, now: u64, f: u16) {
        let trunks = &self.scenario.failures[f as usize].trunks;
        let server = self.failed_server(f);
        let hit = |leg: Option<super::engine::Leg>| {
            leg.is_some_and(|l| trunks.contains(&l.trunk) || (server.is_some() && l.server == server))
        };
        let wan = matches!(self.scenario.failures[f as usize].target, crate::scenario::FailureTarget::WanLink(_));
        let victims: Vec<u32> = self
            .calls
            .live()
            .filter(|id| {
                let c = self.calls.get(*id);
                hit(c.inbound) || hit(c.outbound) || (wan && !self.media_path_ok(c))
            })
            .collect();
        for id in victims {
            let c = self.calls.get(id);
            let (measured, carried) = (c.measured, c.carried);
            let unanswered = c.answered && c.answered_at > now;
            if measured {
                self.count(id, |x| {
                    if carried {
                        x.carried -= 1;
                    }
                    if unanswered {
                        x.completed -= 1;
                    }
                    x.dropped += 1;
                });
                self.out.failures[f as usize].dropped += 1;
            }
            self.finish(now, id);
        }
    }
}
