//! A trace origin beside the Poisson sources: recorded calls, each
//! arriving at its own time with its own ring and conversation time,
//! through the real routing and resources (`voicetwin replay`).
//!
//! The calls come from a [`TraceFeed`] one at a time: one trace arrival
//! is pending in the event queue at any moment, and the next is pulled
//! when it fires, so memory does not grow with the trace. A trace call
//! belongs to one of the scenario's sources (the one the replay made for
//! its caller), which gives its origin and counts it; the source's own
//! arrivals are off (its rate is zero), and a trace call never redials
//! (the trace holds the redials that were made).

use crate::traffic::Origin;

use super::call::Profile;
use super::engine::{Event, Simulation};

/// One recorded call, as the engine replays it.
#[derive(Debug, Clone, Default)]
pub struct TraceCall {
    /// When it arrives, in simulated µs (non-decreasing from call to call).
    pub at: u64,
    /// The scenario source whose origin it has.
    pub source: u16,
    /// The calling user's index in its group (user-group origins).
    pub user: u32,
    /// What was dialed, and the raw calling number (`has_calling`).
    pub dialed: String,
    pub calling: String,
    pub has_calling: bool,
    /// Whether the callee answers; ring time from ringback (until the
    /// caller gives up, when not answered) and conversation, in µs.
    pub answered: bool,
    pub ring: u64,
    pub holding: u64,
}

/// Where a trace's calls come from, in time order.
pub trait TraceFeed: Send {
    /// The next call into `call`; `false` at the end.
    fn next(&mut self, call: &mut TraceCall) -> bool;
}

/// The engine's side: the feed and the call pending in the queue.
pub(super) struct Trace<'a> {
    feed: Box<dyn TraceFeed + 'a>,
    pending: TraceCall,
}

impl<'a> Trace<'a> {
    pub fn new(feed: Box<dyn TraceFeed + 'a>) -> Self {
        Self { feed, pending: TraceCall::default() }
    }
}

impl Simulation<'_> {
    /// Pulls the trace's next call and schedules its arrival.
    pub(super) fn schedule_trace(&mut self) {
        let Some(t) = self.trace.as_mut() else { return };
        if t.feed.next(&mut t.pending) {
            self.queue.schedule(t.pending.at, Event::Trace);
        }
    }

    /// The pending trace call arrives.
    pub(super) fn trace_arrival(&mut self, now: u64) {
        let Some(t) = self.trace.as_mut() else { return };
        let p = &t.pending;
        let src = &self.scenario.sources[p.source as usize];
        let site = match src.origin {
            Origin::Users(g) => self.model.user_group(g).site,
            Origin::Site(s) => s,
            Origin::Trunk(tr) => self.model.trunk(tr).site,
        };
        let profile = Profile {
            source: p.source,
            user: p.user,
            site: site.index(),
            holding: p.holding,
            ring: p.ring,
            answered: p.answered,
            has_raw_calling: p.has_calling,
        };
        self.traffic.set_dialed(&p.dialed, &p.calling);
        self.calls_simulated += 1;
        let measured = self.measured(now);
        let id = self.calls.insert();
        let kept = self.cdr.is_some().then(|| self.traffic.dialed());
        self.calls.get_mut(id).first(profile, kept, now, measured);
        if let Some(r) = self.cdr.as_mut() {
            r.new_call(id);
        }
        self.schedule_trace();
        self.place(now, id);
    }
}
