//! A call's entry: a source's arrival (a user on a call makes no other),
//! and the placing of each attempt, first or redial: the routing
//! decision, which sets its direction, the Registrar, the inbound trunk.
//!
//! The traffic room ([`Traffic`]) owns the sources' streams and the users
//! holding a call; the placing is the event loop's, asking each room in
//! turn.

use rand::RngExt;

use crate::model::{Model, UserGroupId};
use crate::rng::{stream, Stream};
use crate::scenario::Scenario;
use crate::traffic::source::ArrivalShape;
use crate::traffic::Origin;
use crate::voice::{Caller, Outcome};

use super::admission::AfterDenial;
use super::attempt::Unconnected;
use super::call::{Call, Profile};
use super::engine::Simulation;
use super::metrics::Direction;

/// The users holding a call, one bit each, for the user groups a finite
/// source calls from (memory grows with the users, not the calls).
#[derive(Debug)]
struct BusyUsers(Vec<Vec<u64>>);

impl BusyUsers {
    fn new(model: &Model, scenario: &Scenario) -> Self {
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
    fn get(&self, g: UserGroupId, index: u32) -> bool {
        self.0[g.index()].get(index as usize / 64).is_some_and(|w| w >> (index % 64) & 1 == 1)
    }

    fn set(&mut self, g: UserGroupId, index: u32, busy: bool) {
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

/// The calls the sources offer: when each source's next call arrives, who
/// makes it and what they dial, whether a blocked caller redials.
pub(super) struct Traffic<'a> {
    scenario: &'a Scenario,
    arrivals: Vec<Stream>,
    /// Each source's arrival shape (peak rate, flat profile), fixed for the run.
    shapes: Vec<ArrivalShape>,
    /// Each source's draws of who calls and what they do.
    attributes: Vec<Stream>,
    /// Redial draws of each source with retrials.
    redials: Vec<Option<Stream>>,
    /// Users holding a call (finite sources).
    busy: BusyUsers,
    /// The number the last call drawn dialed, and its raw calling number
    /// (buffers the run reuses).
    dial: String,
    calling: String,
}

impl<'a> Traffic<'a> {
    pub(super) fn new(model: &Model, scenario: &'a Scenario, index: u32) -> Self {
        let seed = scenario.seed;
        let named = |what: &str, s: &crate::traffic::Source| stream(seed, index, &format!("{what}/{}", s.name));
        let sources = &scenario.sources;
        Self {
            scenario,
            arrivals: sources.iter().map(|s| named("arrivals", s)).collect(),
            shapes: sources.iter().map(|s| s.arrival_shape(scenario.start_hour)).collect(),
            attributes: sources.iter().map(|s| named("calls", s)).collect(),
            redials: sources.iter().map(|s| s.retry.map(|_| named("redials", s))).collect(),
            busy: BusyUsers::new(model, scenario),
            dial: String::new(),
            calling: String::new(),
        }
    }

    /// When source `s`'s next call arrives after `now`, if before the end
    /// of the run.
    #[inline]
    pub(super) fn next_arrival(&mut self, s: u16, now: u64) -> Option<u64> {
        let shape = &self.shapes[s as usize];
        let at = shape.next_arrival(now, &mut self.arrivals[s as usize])?;
        (at < self.scenario.duration.0).then_some(at)
    }

    /// Draws a call of source `s`: who calls and what they do, and what
    /// they dial ([`dialed`](Self::dialed)); or `None` when the user drawn
    /// already holds a call (the candidate is not a call).
    pub(super) fn draw(&mut self, model: &Model, s: u16) -> Option<Profile> {
        let src = &self.scenario.sources[s as usize];
        let rng = &mut self.attributes[s as usize];
        src.dial.generate(rng, &mut self.dial);
        let (user, site, calling) = match src.origin {
            Origin::Users(g) => (rng.random_range(0..model.user_group(g).users), model.user_group(g).site, false),
            Origin::Site(site) => (0, site, src.calling.is_some()),
            Origin::Trunk(t) => (0, model.trunk(t).site, src.calling.is_some()),
        };
        if let (Origin::Users(g), Some(_)) = (src.origin, src.finite) {
            if self.busy.get(g, user) {
                return None;
            }
            self.busy.set(g, user, true);
        }
        if calling {
            src.calling.as_ref().expect("checked").generate(rng, &mut self.calling);
        }
        let holding = src.holding.sample(rng);
        let ring = src.ring.sample(rng);
        let answered = rng.random::<f64>() < src.answer_probability;
        Some(Profile { source: s, user, site: site.index(), holding, ring, answered, has_raw_calling: calling })
    }

    /// The number the last call drawn dialed, and its raw calling number.
    #[inline]
    pub(super) fn dialed(&self) -> (&str, &str) {
        (&self.dial, &self.calling)
    }

    /// Sets what the next call dialed and its raw calling number (a
    /// trace's call, `trace`).
    pub(super) fn set_dialed(&mut self, dial: &str, calling: &str) {
        self.dial.clear();
        self.dial.push_str(dial);
        self.calling.clear();
        self.calling.push_str(calling);
    }

    /// Whether source `s`'s blocked callers may redial.
    #[inline]
    pub(super) fn redials(&self, s: u16) -> bool {
        self.scenario.sources[s as usize].retry.is_some()
    }

    /// Where the call comes from, and its caller for routing.
    #[inline]
    pub(super) fn caller(&self, p: &Profile) -> (Origin, Caller) {
        let origin = self.scenario.sources[p.source as usize].origin;
        let caller = match origin {
            Origin::Users(group) => Caller::User { group, index: p.user },
            Origin::Site(site) => Caller::Site(site),
            Origin::Trunk(t) => Caller::Trunk(t),
        };
        (origin, caller)
    }

    /// When a blocked caller redials, if they do: with the source's
    /// probability, after an exponential delay, within its most redials.
    #[inline]
    pub(super) fn redial_at(&mut self, now: u64, c: &Call) -> Option<u64> {
        let s = c.profile.source as usize;
        let retry = self.scenario.sources[s].retry?;
        if c.redials >= retry.max_redials {
            return None;
        }
        let rng = self.redials[s].as_mut()?;
        if rng.random::<f64>() >= retry.probability {
            return None;
        }
        let gap: f64 = rng.sample(rand_distr::Exp1);
        Some(now.saturating_add((gap * retry.mean_delay_us as f64) as u64))
    }

    /// The caller hangs up: a user of a finite source may call again.
    #[inline]
    pub(super) fn hang_up(&mut self, p: &Profile) {
        let src = &self.scenario.sources[p.source as usize];
        if let (Origin::Users(g), Some(_)) = (src.origin, src.finite) {
            self.busy.set(g, p.user, false);
        }
    }
}

impl Simulation<'_> {
    pub(super) fn arrival(&mut self, now: u64, s: u16) {
        self.schedule_arrival(s, now);
        let Some(profile) = self.traffic.draw(self.model, s) else { return };
        self.calls_simulated += 1;
        let measured = self.measured(now);
        let id = self.calls.insert();
        // Kept for a redial: the same number, the same calling number (and
        // for the attempt's record).
        let kept = (self.traffic.redials(s) || self.cdr.is_some()).then(|| self.traffic.dialed());
        self.calls.get_mut(id).first(profile, kept, now, measured);
        if let Some(r) = self.cdr.as_mut() {
            r.new_call(id);
        }
        self.place(now, id);
    }

    /// Places an attempt of call `id` (its first, or a redial): the routing
    /// decision, which sets its direction, then the Registrar, the inbound
    /// trunk and what the decision says.
    pub(super) fn place(&mut self, now: u64, id: u32) {
        let m = self.model;
        let c = self.calls.get(id);
        let (origin, caller) = self.traffic.caller(&c.profile);
        let measured = c.measured;
        // A carrier hunting over several trunks picks the one it lands on.
        let (origin, caller) = self.hunt(c.profile.source, origin, caller, measured);
        let c = self.calls.get(id);
        let slot = &mut self.rotation[c.profile.source as usize];
        let rotation = *slot;
        *slot = slot.wrapping_add(1);
        let (dial, calling) =
            if c.redials > 0 { (c.dialed.as_str(), c.raw_calling.as_str()) } else { self.traffic.dialed() };
        let calling = c.profile.has_raw_calling.then_some(calling);
        self.router.decide_into(caller, dial, calling, &self.states, rotation, &mut self.decision);
        self.pattern_limit_hits.add(&self.decision.limit_hits);
        if let Some(r) = self.cdr.as_mut() {
            r.placed(id, &self.decision.normalized.number);
        }
        let outcome = self.decision.outcome;
        let c = self.calls.get_mut(id);
        c.direction = match (caller, outcome) {
            (Caller::Trunk(_), Outcome::Internal | Outcome::NotFound) => Direction::Inbound,
            (Caller::Trunk(_), _) => Direction::InterTrunk,
            (_, Outcome::Internal) => Direction::Internal,
            (_, _) => Direction::Outbound,
        };
        self.counting.offered(c);

        // Signalling needs a Registrar the caller can reach over the WAN.
        let Some((anchor, media_site)) = self.reach.anchor(origin, caller) else {
            return self.end_unconnected(now, id, Unconnected::Blocked);
        };
        c.anchor = anchor;
        c.media_site = media_site;

        // An inbound call first takes its trunk, peer channel and Mediation
        // session; a failed peer or trunk sends no calls at all.
        if let Origin::Trunk(t) = origin {
            let leg = if self.faults.element_failed(t) { None } else { self.seize(now, id, t, true) };
            let Some(leg) = leg else { return self.end_unconnected(now, id, Unconnected::Blocked) };
            let c = self.calls.get_mut(id);
            c.inbound = Some(leg);
            let (peer, ms) = (m.peer(m.trunk(t).peer).site, m.mediation_pool(m.trunk(t).mediation_pool).site);
            // The gateway side is held, never denied: the Mediation Server
            // accepts oversubscription rather than false rings
            // (docs/lync-behaviour.md, "Inbound calls").
            self.admission.hold(now, &mut c.holds, &self.reach, (peer, ms, super::media::gateway_leg(m, t)), true);
        }

        match outcome {
            Outcome::Internal => {
                let callee = self.decision.internal.expect("internal calls have a callee").group;
                if !self.reach.callee(anchor, media_site, callee) {
                    return self.end_unconnected(now, id, Unconnected::Blocked);
                }
                let callee_site = m.user_group(callee).site;
                let c = self.calls.get_mut(id);
                let bw = if c.inbound.is_some() { super::media::lync_leg(m) } else { super::media::peer_to_peer(m) };
                let leg = (media_site, callee_site, bw);
                match self.admission.admit(now, measured, &[leg]) {
                    Ok(()) => {
                        self.admission.hold(now, &mut c.holds, &self.reach, leg, true);
                        // Users may add video, admitted on its own
                        // (docs/lync-behaviour.md, "Call admission control").
                        if c.inbound.is_none() && self.admission.draw_video(c.profile.source) {
                            self.admission.video(now, measured, &mut c.holds, &self.reach, (media_site, callee_site));
                        }
                    }
                    Err(denied) => {
                        c.refused |= denied.full;
                        // Denied: rerouted over the PSTN when the caller's
                        // policy allows it (not for a PSTN caller), else to
                        // voice mail, else the call fails
                        // (docs/lync-behaviour.md, "Call admission control").
                        let pstn_ok = match caller {
                            Caller::User { group, .. } => {
                                m.voice_policy(m.user_group(group).voice_policy).allow_pstn_rerouting
                            }
                            Caller::Site(site) => {
                                m.voice_policy(m.site_voice_policy[site.index()]).allow_pstn_rerouting
                            }
                            Caller::Trunk(_) => false,
                        };
                        let after = if pstn_ok {
                            AfterDenial::ReroutedPstn
                        } else if m.media.voicemail {
                            AfterDenial::Voicemail
                        } else {
                            AfterDenial::Failed
                        };
                        self.admission.after_denial(after, measured);
                        if let AfterDenial::Failed = after {
                            return self.end_unconnected(now, id, Unconnected::Blocked);
                        }
                    }
                }
                let c = self.calls.get_mut(id);
                c.callee_site = Some(callee_site);
                c.carried = true;
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
                c.number.push_str(&d.normalized.number);
                c.has_calling = d.calling_number.is_some();
                c.calling.push_str(d.calling_number.as_deref().unwrap_or_default());
                let at = now + 2 * self.hop();
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
