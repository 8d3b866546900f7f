//! The call record: who calls and what they will do, fixed for the call's
//! life, and its current attempt (the first, or a redial). Each attempt
//! is a fresh value, so nothing of the last one carries into the next;
//! only the buffers' capacity does, so a warm run allocates nothing.

use crate::model::{LinkId, PeerId, RouteId, SiteId, TrunkId};
use crate::voice::Candidate;

use super::metrics::Direction;

/// A trunk leg a call holds: the trunk, its peer, a Mediation server.
#[derive(Debug, Clone, Copy)]
pub(super) struct Leg {
    pub trunk: TrunkId,
    pub peer: PeerId,
    /// The Mediation server carrying its media (its index among every
    /// pool's servers in a row); none when bypassed.
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

/// Who calls and what they will do, drawn when the call arrives and kept
/// through its redials.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Profile {
    pub source: u16,
    /// The calling user's index in its group (user-group sources).
    pub user: u32,
    pub site: usize,
    /// Conversation and ring time, in µs.
    pub holding: u64,
    pub ring: u64,
    /// Whether the callee answers (decided at arrival, so answering is
    /// no event of its own).
    pub answered: bool,
    /// Whether the source sends a calling number.
    pub has_raw_calling: bool,
}

/// Bandwidth a call's media holds until its attempt ends.
#[derive(Debug, Default)]
pub(super) struct MediaHolds {
    /// On WAN links: (link, tenths of a kbps).
    pub links: Vec<(LinkId, u32)>,
    /// Audio admitted by call admission control: (element, tenths of a kbps).
    pub cac: Vec<(u32, u32)>,
    /// A video session's bandwidth on CAC elements and on WAN links (kept
    /// apart from `links`, which is the audio path voice quality scores).
    pub video: Vec<(u32, u32)>,
    pub video_links: Vec<(LinkId, u32)>,
}

#[derive(Debug, Default)]
pub(super) struct Call {
    /// Bumped for each new call in the slot: an event of a call cut off
    /// early never touches the slot's next call.
    pub gen: u32,
    pub profile: Profile,
    /// Redials made so far (0 for a first attempt).
    pub redials: u32,
    /// What was dialed and the raw calling number, kept for a redial.
    pub dialed: String,
    pub raw_calling: String,

    // The current attempt.
    pub arrival: u64,
    pub measured: bool,
    /// Its stream, from who calls and what routing decided.
    pub direction: Direction,
    /// When an answered call's conversation starts.
    pub answered_at: u64,
    pub failed_over: bool,
    /// It reached ringback: a trunk peer or the called user took it.
    pub carried: bool,
    /// The failure whose undetected element this call tried, if any.
    pub hit_failure: Option<u16>,
    /// A full resource (or CAC) refused it at least once.
    pub refused: bool,
    /// Elements that refused this attempt for want of room (measured
    /// attempts).
    pub refusers: Vec<Refuser>,
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
    pub holds: MediaHolds,
    /// Its media bypasses the Mediation Server.
    pub bypassed: bool,
}

impl Call {
    /// Makes this slot a new call of `profile`, its first attempt at
    /// `now`; `kept` is the number dialed and the raw calling number, when
    /// the caller may redial them.
    #[inline]
    pub fn first(&mut self, profile: Profile, kept: Option<(&str, &str)>, now: u64, measured: bool) {
        let gen = self.gen.wrapping_add(1);
        self.dialed.clear();
        self.raw_calling.clear();
        if let Some((dialed, calling)) = kept {
            self.dialed.push_str(dialed);
            self.raw_calling.push_str(calling);
        }
        self.renew(gen, profile, 0, now, measured);
    }

    /// Makes this call's next attempt at `now`: a redial of the same number.
    #[inline]
    pub fn redial(&mut self, now: u64, measured: bool) {
        self.renew(self.gen, self.profile, self.redials + 1, now, measured);
    }

    /// A fresh attempt: every field given anew, the buffers emptied.
    #[inline]
    fn renew(&mut self, gen: u32, profile: Profile, redials: u32, now: u64, measured: bool) {
        let fresh = Call {
            gen,
            profile,
            redials,
            dialed: std::mem::take(&mut self.dialed),
            raw_calling: std::mem::take(&mut self.raw_calling),
            arrival: now,
            measured,
            direction: Direction::default(),
            answered_at: 0,
            failed_over: false,
            carried: false,
            hit_failure: None,
            refused: false,
            refusers: emptied(&mut self.refusers),
            anchor: SiteId::default(),
            media_site: SiteId::default(),
            callee_site: None,
            candidates: emptied(&mut self.candidates),
            next: 0,
            number: emptied(&mut self.number),
            calling: emptied(&mut self.calling),
            has_calling: false,
            inbound: None,
            outbound: None,
            routes: emptied(&mut self.routes),
            carried_route: None,
            holds: MediaHolds {
                links: emptied(&mut self.holds.links),
                cac: emptied(&mut self.holds.cac),
                video: emptied(&mut self.holds.video),
                video_links: emptied(&mut self.holds.video_links),
            },
            bypassed: false,
        };
        // Every buffer was taken into the fresh attempt, so the spent one
        // owns nothing: forgetting it frees nothing it should, and spares
        // a drop that, as a call of its own, costs some 4% of a loss
        // system's run. The pattern below names every field, so a field
        // added to `Call` fails to compile here until it is taken above
        // (a buffer left out would leak on every attempt).
        let spent = std::mem::replace(self, fresh);
        let Call {
            gen: _,
            profile: _,
            redials: _,
            dialed: _,
            raw_calling: _,
            arrival: _,
            measured: _,
            direction: _,
            answered_at: _,
            failed_over: _,
            carried: _,
            hit_failure: _,
            refused: _,
            refusers: _,
            anchor: _,
            media_site: _,
            callee_site: _,
            candidates: _,
            next: _,
            number: _,
            calling: _,
            has_calling: _,
            inbound: _,
            outbound: _,
            routes: _,
            carried_route: _,
            holds: _,
            bypassed: _,
        } = &spent;
        std::mem::forget(spent);
    }

    /// Notes the elements that were full when this attempt tried them.
    pub fn refused_by(&mut self, full: &[Option<Refuser>]) {
        if full.iter().any(Option::is_some) {
            self.refused = true;
        }
        if self.measured {
            for r in full.iter().flatten() {
                if !self.refusers.contains(r) {
                    self.refusers.push(*r);
                }
            }
        }
    }

    /// Whether the callee had answered by `at`: the call reached ringback
    /// and its conversation had started.
    #[inline]
    pub fn answered_by(&self, at: u64) -> bool {
        self.carried && self.profile.answered && self.answered_at <= at
    }
}

/// A buffer a slot hands from one attempt to the next.
trait Buffer: Default {
    fn clear(&mut self);
}

impl<T> Buffer for Vec<T> {
    fn clear(&mut self) {
        Vec::clear(self)
    }
}

impl Buffer for String {
    fn clear(&mut self) {
        String::clear(self)
    }
}

/// A buffer of the slot's last attempt, empty, its capacity kept.
fn emptied<B: Buffer>(b: &mut B) -> B {
    let mut b = std::mem::take(b);
    b.clear();
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_attempt_is_fresh_and_keeps_the_buffers_capacity() {
        let mut c = Call::default();
        let profile = Profile { source: 3, answered: true, ..Default::default() };
        c.first(profile, Some(("95551234", "+14255550100")), 10, true);
        assert_eq!((c.gen, c.redials, c.arrival, c.dialed.as_str()), (1, 0, 10, "95551234"));
        c.number.push_str("+15551234");
        c.routes.push(RouteId::default());
        c.holds.links.push((LinkId::default(), 920));
        c.carried = true;
        c.inbound = Some(Leg { trunk: TrunkId::default(), peer: PeerId::default(), server: None });
        let capacity = (c.number.capacity(), c.routes.capacity(), c.holds.links.capacity());

        c.redial(20, false);
        assert_eq!((c.gen, c.redials, c.profile.source, c.dialed.as_str()), (1, 1, 3, "95551234"));
        assert!(!c.carried && !c.measured && c.inbound.is_none() && c.arrival == 20);
        assert!(c.number.is_empty() && c.routes.is_empty() && c.holds.links.is_empty());
        assert_eq!((c.number.capacity(), c.routes.capacity(), c.holds.links.capacity()), capacity);

        // The slot's next call: a new generation, nothing kept for a redial.
        c.first(Profile::default(), None, 30, true);
        assert_eq!((c.gen, c.redials, c.dialed.as_str(), c.raw_calling.as_str()), (2, 0, "", ""));
    }
}
