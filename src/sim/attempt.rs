//! A placed call's trunk attempts, ringing and end: each candidate in
//! turn (a full or failed element answers 503 or nothing, a peer may
//! answer a final response of its own, and routing decides whether the
//! call fails over), ringback and answer, a blocked caller's redial, and the
//! end of each attempt, where what it held is released and its outcome
//! counted, once, by every room that keeps a figure of it.

use crate::voice::{prepare_into, verdict, AttemptResult, Candidate, TrunkHealth};

use super::admission::AfterDenial;
use super::call::Leg;
use super::counting::End;
use super::engine::{Event, Simulation};

/// How a call that never connected ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unconnected {
    Blocked,
    NotAuthorized,
    Failed,
}

/// A 503: a full or rejecting element, an unreachable trunk, a CAC denial.
const SERVICE_UNAVAILABLE: AttemptResult = AttemptResult::Response { code: 503, isup_cause: None };

impl Simulation<'_> {
    pub(super) fn attempt(&mut self, now: u64, id: u32) {
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
        self.pattern_limit_hits.add(&self.attempt.limit_hits);
        std::hint::black_box(&self.attempt);

        // A trunk beyond a WAN cut cannot be reached at all: the Front End
        // gets an error at once. A failed or degraded element answers
        // badly, or not at all; a responding one answers its response.
        let (fault, responded) = if self.reach.trunk(self.calls.get(id), cand.trunk) {
            match self.fault_result(now, id, cand.trunk) {
                Some((r, responded)) => (Some(r), responded),
                None => (None, None),
            }
        } else {
            (Some(SERVICE_UNAVAILABLE), None)
        };
        // A responding element answers only a call that reached it: after
        // call admission control, as a [[response]] mix does.
        let (fault, mut respond) = match responded {
            Some(_) => (None, fault),
            None => (fault, None),
        };
        // Call admission control on a non-bypassed call's legs: a denial
        // fails over like a 503 (an inference: docs/lync-behaviour.md,
        // "Call admission control").
        let mut denied_here = false;
        let fault = fault.or_else(|| {
            let c = self.calls.get_mut(id);
            c.bypassed = c.inbound.is_none() && super::media::bypasses(m, c.media_site, cand.trunk);
            if c.bypassed {
                return None;
            }
            let denied = self.admission.admit_outbound(now, c, cand.trunk).err()?;
            c.refused |= denied.full;
            self.admission.after_denial(AfterDenial::TrunkFailover, measured);
            denied_here = true;
            Some(SERVICE_UNAVAILABLE)
        });
        let responded = if denied_here { None } else { responded };
        let fault = fault.or_else(|| respond.take());
        // The peer's own answer ([[response]]) to a call it took.
        let mut answered = false;
        let result = match fault {
            Some(r) => r,
            None => {
                let media = !self.calls.get(id).bypassed;
                match self.seize(now, id, cand.trunk, media) {
                    // The peer took the call but answers it otherwise than
                    // with ringback: the channel it took is given back at
                    // once (docs/scenario.md, "[[response]]").
                    Some(leg) if self.responses.active() => match self.responses.draw(leg.peer) {
                        Some(answer) => {
                            self.resources.release(now, leg);
                            answered = true;
                            answer
                        }
                        None => {
                            if let Some(h) = self.responses.routed(cand.trunk, false) {
                                self.states.set(cand.trunk, h);
                            }
                            return self.carry(now, id, cand, leg);
                        }
                    },
                    Some(leg) => return self.carry(now, id, cand, leg),
                    // Full: the peer (or the Mediation Server) answers 503.
                    None => SERVICE_UNAVAILABLE,
                }
            }
        };
        let config = m.trunk_config(m.trunk(cand.trunk).config);
        let v = verdict(&m.settings, config, result);
        // Only an answer that fails over counts toward less preferred; one
        // that ends the call shows the peer at work.
        if let Some(f) = responded {
            if let Some(h) = self.faults.answered(now, f, v.failover) {
                self.set_health(f, h);
            }
        } else if answered {
            if let Some(h) = self.responses.routed(cand.trunk, v.failover) {
                self.states.set(cand.trunk, h);
            }
        }
        // A 503 of the Mediation Server's own or of a full peer comes back
        // after a round trip; the far end's answer when its ringback would
        // have come; no answer only after the timer (which ran from when
        // the INVITE went out).
        let next_at = match result {
            AttemptResult::NoProgress => now + v.waited.0,
            AttemptResult::Response { .. } if answered || responded.is_some() => {
                now + self.hop() + self.scenario.signalling.pstn_setup.0
            }
            AttemptResult::Response { .. } => now + 2 * self.hop(),
        };
        self.faults.add_delay(self.calls.get(id), next_at - now);
        let c = self.calls.get_mut(id);
        let more = c.next < c.candidates.len();
        if v.failover && more {
            c.failed_over = true;
            self.schedule_call(next_at, id, true);
        } else if v.failover {
            self.end_unconnected(next_at, id, Unconnected::Blocked);
        } else {
            self.counting.final_response(self.calls.get(id), v.code);
            if let Some(r) = self.cdr.as_mut() {
                r.slot(id).code = Some(v.code);
            }
            self.end_unconnected(next_at, id, Unconnected::Failed);
        }
    }

    /// Carries call `id` on candidate `cand`, whose trunk it seized
    /// (`leg`): ringback after a hop and the far end's setup.
    #[inline]
    fn carry(&mut self, now: u64, id: u32, cand: Candidate, leg: Leg) {
        let c = self.calls.get_mut(id);
        self.admission.hold_outbound(now, c, cand.trunk, &self.reach);
        c.outbound = Some(leg);
        c.carried_route = Some(cand.route);
        c.carried = true;
        let ringback = now + self.hop() + self.scenario.signalling.pstn_setup.0;
        self.counting.ringback(self.calls.get(id), ringback);
        self.ring_or_give_up(id, ringback)
    }

    /// What an attempt on trunk `t` gets from a failed or degraded element,
    /// or `None` when the element works (for this call); with the failure
    /// when its element answered a response of its own (`respond`).
    fn fault_result(&mut self, now: u64, id: u32, t: crate::model::TrunkId) -> Option<(AttemptResult, Option<u16>)> {
        let c = self.calls.get_mut(id);
        let hit = self.faults.attempt(now, t, c.measured)?;
        c.hit_failure = Some(hit.failure);
        if let Some(health) = hit.health {
            self.set_health(hit.failure, health);
        }
        Some((hit.result, hit.answered.then_some(hit.failure)))
    }

    /// From ringback: answered after the ring time and released after the
    /// conversation, or released unanswered after the no-answer timeout.
    /// An answered call's voice quality is scored now, with the links'
    /// load as it is.
    pub(super) fn ring_or_give_up(&mut self, id: u32, ringback: u64) {
        let c = self.calls.get_mut(id);
        let p = c.profile;
        let end = if p.answered {
            c.answered_at = ringback + p.ring;
            c.answered_at + p.holding
        } else if self.trace.is_some() {
            // A recorded call rings until its caller gave up.
            ringback + p.ring
        } else {
            ringback + self.scenario.sources[p.source as usize].no_answer_timeout
        };
        if let Some(r) = self.cdr.as_mut() {
            r.slot(id).ringback = Some(ringback);
        }
        if p.answered && c.measured {
            self.scoring.score(c, self.admission.links(), ringback);
        }
        self.schedule_call(end, id, false);
    }

    /// Ends an attempt that never got connected; a blocked caller may
    /// redial, else the call ends.
    pub(super) fn end_unconnected(&mut self, now: u64, id: u32, how: Unconnected) {
        let redial_at = match how {
            Unconnected::Blocked => self.traffic.redial_at(now, self.calls.get(id)),
            _ => None,
        };
        let end = match how {
            Unconnected::Blocked => End::Blocked { redial: redial_at.is_some() },
            Unconnected::NotAuthorized => End::NotAuthorized,
            Unconnected::Failed => End::Failed,
        };
        self.end_attempt(now, id, end);
        match redial_at {
            Some(at) => {
                let gen = self.calls.get(id).gen;
                self.queue.schedule(at, Event::Redial { call: id, gen });
            }
            None => self.end_call(id),
        }
    }

    /// Ends call `id`'s current attempt: releases what it holds and counts
    /// its outcome, decided here and nowhere else.
    pub(super) fn end_attempt(&mut self, now: u64, id: u32, end: End) {
        self.cost_attempt(now, id);
        if self.cdr.is_some() {
            self.record(now, id, end);
        }
        let c = self.calls.get_mut(id);
        for leg in [c.inbound.take(), c.outbound.take()].into_iter().flatten() {
            self.resources.release(now, leg);
        }
        self.admission.release(now, &mut c.holds);
        let c = self.calls.get(id);
        self.counting.ended(c, end, now);
        self.resources.attempt_ended(c);
        self.faults.attempt_ended(c, end);
    }

    /// Hands attempt `id`'s record, as it ends at `now`, to the sink.
    #[cold]
    fn record(&mut self, now: u64, id: u32, end: End) {
        use crate::traffic::cdr::CdrOutcome;
        use crate::traffic::Origin;
        let Some(rec) = self.cdr.as_mut() else { return };
        let c = self.calls.get(id);
        let (origin, _) = self.traffic.caller(&c.profile);
        let answered = c.answered_by(now);
        rec.slot(id);
        let super::cdr::Recorder { sink, slots, .. } = rec;
        let slot = &slots[id as usize];
        let (outcome, code) = match end {
            End::Released if answered => (CdrOutcome::Answered, Some(200)),
            End::Released => (CdrOutcome::NoAnswer, Some(480)),
            End::Blocked { .. } => (CdrOutcome::Blocked, Some(503)),
            End::NotAuthorized => (CdrOutcome::NotAuthorized, Some(403)),
            End::Failed => (CdrOutcome::Failed, Some(slot.code.unwrap_or(404))),
            End::Dropped { .. } => (CdrOutcome::Dropped, None),
        };
        let caller = match origin {
            Origin::Users(g) => super::cdr::CdrCaller::User(g, c.profile.user),
            _ if c.profile.has_raw_calling => super::cdr::CdrCaller::Number(&c.raw_calling),
            _ => super::cdr::CdrCaller::Number(""),
        };
        let r = super::cdr::AttemptRecord {
            call_id: slot.call_id,
            attempt: c.redials,
            start: c.arrival,
            ringback: slot.ringback.filter(|_| c.carried),
            answer: answered.then_some(c.answered_at),
            end: now,
            outcome,
            response_code: code,
            direction: c.direction,
            site: crate::model::SiteId::from_index(c.profile.site),
            caller,
            dialed: &c.dialed,
            called: &slot.called,
            // The trunk the call landed on (a carrier hunting over several
            // may have put it on any); its source's trunk when it landed
            // on none.
            from_trunk: c.inbound.map(|l| l.trunk).or(match origin {
                Origin::Trunk(t) => Some(t),
                _ => None,
            }),
            to_trunk: c.outbound.map(|l| l.trunk),
        };
        sink.record(self.model, &r);
    }

    /// Ends call `id` after its last attempt: frees its caller and its slot.
    pub(super) fn end_call(&mut self, id: u32) {
        self.traffic.hang_up(&self.calls.get(id).profile);
        self.calls.remove(id);
    }
}
