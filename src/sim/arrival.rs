//! A call's entry: a source's arrival (a user on a call makes no other),
//! and the placing of each attempt, first or redial: the routing
//! decision, which sets its direction, the Registrar, the inbound trunk.

use rand::RngExt;

use crate::model::{Model, UserGroupId};
use crate::scenario::Scenario;
use crate::traffic::Origin;
use crate::voice::{Caller, Outcome};

use super::attempt::Unconnected;
use super::engine::Simulation;
use super::metrics::Direction;

/// The users holding a call, one bit each, for the user groups a finite
/// source calls from (memory grows with the users, not the calls).
#[derive(Debug)]
pub(super) struct BusyUsers(Vec<Vec<u64>>);

impl BusyUsers {
    pub(super) fn new(model: &Model, scenario: &Scenario) -> Self {
        let finite = |g: usize| {
            let g = UserGroupId::from_index(g);
            scenario.sources.iter().any(|s| s.finite.is_some() && s.origin == Origin::Users(g))
        };
        Self(
            model
                .user_groups
                .iter()
                .enumerate()
                .map(|(g, group)| if finite(g) { vec![0; (group.users as usize).div_ceil(64)] } else { Vec::new() })
                .collect(),
        )
    }

    /// Whether user `index` of group `g` holds a call.
    pub(super) fn get(&self, g: UserGroupId, index: u32) -> bool {
        self.0[g.index()].get(index as usize / 64).is_some_and(|w| w >> (index % 64) & 1 == 1)
    }

    pub(super) fn set(&mut self, g: UserGroupId, index: u32, busy: bool) {
        if let Some(w) = self.0[g.index()].get_mut(index as usize / 64) {
            let bit = 1u64 << (index % 64);
            if busy {
                *w |= bit;
            } else {
                *w &= !bit;
            }
        }
    }
}

impl Simulation<'_> {
    pub(super) fn arrival(&mut self, now: u64, s: u16) {
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
            if self.busy.get(g, user) {
                return;
            }
            self.busy.set(g, user, true);
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
    pub(super) fn caller(&self, id: u32) -> Caller {
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
    pub(super) fn place(&mut self, now: u64, id: u32) {
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
        self.out.pattern_limit_hits.add(&self.decision.limit_hits);
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
                    // false rings (docs/lync-behaviour.md, "Inbound calls").
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
                    // else the call fails (docs/lync-behaviour.md, "Call
                    // admission control").
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
}
