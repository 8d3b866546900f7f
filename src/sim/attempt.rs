//! A placed call's trunk attempts, ringing and end: each candidate in
//! turn (a full or failed element answers 503 or nothing, and the call
//! fails over), ringback and answer, a blocked caller's redial, and the
//! figures an attempt closes (routes, refusing elements, voice quality).

use rand::RngExt;

use crate::traffic::Origin;
use crate::voice::{prepare_into, verdict, AttemptResult, TrunkHealth};

use super::engine::{Event, Refuser, Simulation};

/// How a call that never connected ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unconnected {
    Blocked,
    NotAuthorized,
    Failed,
}

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
        self.out.pattern_limit_hits.add(&self.attempt.limit_hits);
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
        // fails over like a 503 (an inference: docs/lync-behaviour.md,
        // "Call admission control").
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
    pub(super) fn ring_or_give_up(&mut self, id: u32, ringback: u64) {
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
    pub(super) fn redial_at(&mut self, now: u64, id: u32) -> Option<u64> {
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
    pub(super) fn close_attempt(&mut self, now: u64, id: u32) {
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
            self.busy.set(g, user, false);
        }
        self.calls.remove(id);
    }

    /// Scores an answered call's voice quality from its media path, with
    /// the links' load at the time it is answered.
    pub(super) fn score_call(&mut self, id: u32, at: u64) {
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
}
