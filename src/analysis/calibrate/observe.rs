//! The streaming half of a calibration: each recorded call, already tied
//! to the model, folded into its stream's counters (calls per hour,
//! holding, ring and no-answer times, outcomes, destinations, redials).
//! Nothing here keeps a call: memory grows with the streams, the hours
//! and the distinct templates (bounded), not with the rows.

use std::collections::{BTreeMap, HashMap};

use crate::model::{SiteId, TrunkId, UserGroupId};
use crate::rng::Stream;
use crate::traffic::cdr::{CdrDirection, CdrOutcome};

use super::busy::{Hourly, Span};
use super::destinations::{Category, TemplateCounts};
use super::fit::Durations;

/// Who offers a stream of calls: a scenario source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StreamKey {
    /// Users of a group (their Line URIs were the callers).
    Group(UserGroupId),
    /// Callers at a site whom the model does not list as users.
    Site(SiteId),
    /// Calls arriving on a trunk (inbound and inter-trunk).
    Trunk(TrunkId),
}

/// One recorded call as calibration needs it.
#[derive(Debug, Clone, Copy)]
pub struct Observed<'a> {
    pub stream: StreamKey,
    /// Microseconds to add to UTC for the stream's clock (its site's
    /// offset when the model gives it a time zone).
    pub offset_us: i64,
    pub start_us: i64,
    pub ringback_us: Option<i64>,
    pub answer_us: Option<i64>,
    pub end_us: i64,
    pub outcome: CdrOutcome,
    pub direction: CdrDirection,
    /// The redial number, when the CDR records it.
    pub attempt: Option<u32>,
    pub caller: &'a str,
    /// The dial template of the call (already generalized) and the weight
    /// of each when a call spreads over several (a user group's range).
    pub category: Category,
    pub templates: &'a [(String, f64)],
    /// The calling number's template (trunk streams).
    pub calling_template: Option<&'a str>,
    /// The called number as recorded, for recognizing a redial.
    pub called: &'a str,
}

/// Everything observed of one stream.
#[derive(Debug, Clone, Default)]
pub struct StreamObs {
    /// First attempts per hour (redials are the scenario's own draws).
    pub hourly: Hourly,
    /// The same per hour of the stream's local clock.
    pub local: Hourly,
    pub holding: Durations,
    pub ring: Durations,
    /// Whether ring times were measured from ringback (else from the
    /// INVITE, post-dial delay included).
    pub ring_from_ringback: bool,
    pub no_answer: Durations,
    pub outcomes: BTreeMap<&'static str, u64>,
    pub categories: BTreeMap<Category, u64>,
    pub dial: TemplateCounts,
    pub calling: TemplateCounts,
    pub attempts: u64,
    pub redials: u64,
    /// Attempts blocked, and of those the ones redialed.
    pub blocked: u64,
    pub blocked_redialed: u64,
    pub redial_delay: Durations,
    pub most_redials: u32,
    /// Its clock's offset from UTC (µs).
    pub offset_us: i64,
}

/// Calls folded so far.
pub struct Observer {
    pub streams: BTreeMap<StreamKey, StreamObs>,
    pub overall: Hourly,
    pub holding: Durations,
    pub first_us: Option<i64>,
    pub last_us: Option<i64>,
    /// The window within which a call to the same number by the same
    /// caller after a blocked one is its redial.
    pub redial_window_us: i64,
    /// Blocked attempts waiting for a redial: (caller, called) -> (end, stream).
    pending: HashMap<(String, String), (i64, StreamKey)>,
    reservoir: Stream,
    since_purge: u64,
}

impl Observer {
    pub fn new(redial_window_us: i64) -> Self {
        Self {
            streams: BTreeMap::new(),
            overall: Hourly::default(),
            holding: Durations::default(),
            first_us: None,
            last_us: None,
            redial_window_us,
            pending: HashMap::new(),
            reservoir: crate::rng::stream(0, 0, "calibrate/reservoir"),
            since_purge: 0,
        }
    }

    /// Folds one call in. Calls come in start order (the reader's
    /// [`StartOrder`](crate::traffic::cdr)), which redial detection needs.
    pub fn add(&mut self, o: &Observed) {
        self.first_us = Some(self.first_us.map_or(o.start_us, |f| f.min(o.start_us)));
        self.last_us = Some(self.last_us.map_or(o.start_us, |l| l.max(o.start_us)));
        let redial = self.redial_of(o);
        let s = self.streams.entry(o.stream).or_default();
        s.attempts += 1;
        s.offset_us = o.offset_us;
        *s.outcomes.entry(o.outcome.as_str()).or_default() += 1;
        let seconds = |a: i64, b: i64| (b - a).max(0) as f64 / 1e6;
        let talk = match (o.outcome, o.answer_us) {
            (CdrOutcome::Answered | CdrOutcome::Dropped, Some(a)) => seconds(a, o.end_us),
            _ => 0.0,
        };
        if let Some(delay) = redial {
            s.redials += 1;
            s.blocked_redialed += 1;
            if let Some(d) = delay {
                s.redial_delay.add(d, &mut self.reservoir);
            }
            s.most_redials = s.most_redials.max(o.attempt.unwrap_or(1));
        } else {
            s.hourly.add(o.start_us, talk);
            s.local.add(o.start_us + o.offset_us, talk);
            self.overall.add(o.start_us, talk);
            *s.categories.entry(o.category).or_default() += 1;
            for (t, w) in o.templates {
                s.dial.add(t, *w);
            }
            if let Some(c) = o.calling_template {
                s.calling.add(c, 1.0);
            }
        }
        if o.outcome == CdrOutcome::Blocked {
            s.blocked += 1;
        }
        let rang_from = o.ringback_us.unwrap_or(o.start_us);
        match (o.outcome, o.answer_us) {
            (CdrOutcome::Answered, Some(a)) => {
                s.holding.add(talk, &mut self.reservoir);
                self.holding.add(talk, &mut self.reservoir);
                s.ring.add(seconds(rang_from, a), &mut self.reservoir);
                s.ring_from_ringback |= o.ringback_us.is_some();
            }
            (CdrOutcome::NoAnswer, _) => s.no_answer.add(seconds(rang_from, o.end_us), &mut self.reservoir),
            _ => {}
        }
        self.since_purge += 1;
        if self.since_purge >= 10_000 {
            self.purge(o.start_us);
        }
    }

    /// Whether call `o` redials an earlier blocked one, and the delay in
    /// seconds when the blocked attempt is known: from the CDR's own
    /// attempt number when it has one, else a call by the same caller to
    /// the same number within the window after a blocked attempt ended.
    fn redial_of(&mut self, o: &Observed) -> Option<Option<f64>> {
        let known = !o.caller.is_empty() && !o.called.is_empty();
        let key = (o.caller.to_owned(), o.called.to_owned());
        let earlier = if known { self.pending.remove(&key) } else { None };
        let delay = earlier
            .filter(|(end, _)| o.start_us >= *end && o.start_us - end <= self.redial_window_us)
            .map(|(end, _)| (o.start_us - end) as f64 / 1e6);
        let found = match o.attempt {
            Some(0) => None,
            Some(_) => Some(delay),
            None => delay.map(Some),
        };
        if o.outcome == CdrOutcome::Blocked && known {
            self.pending.insert(key, (o.end_us, o.stream));
        }
        found
    }

    /// Forgets blocked attempts too old to be redialed now.
    fn purge(&mut self, now: i64) {
        let window = self.redial_window_us;
        self.pending.retain(|_, (end, _)| now - *end <= window);
        self.since_purge = 0;
    }

    /// The hours the data spans, on the scenario clock.
    pub fn span(&self) -> Option<Span> {
        const HOUR: i64 = 3_600_000_000;
        Some(Span { first_hour: self.first_us?.div_euclid(HOUR), last_hour: self.last_us?.div_euclid(HOUR) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call<'a>(start_s: i64, end_s: i64, outcome: CdrOutcome, caller: &'a str, called: &'a str) -> Observed<'a> {
        Observed {
            stream: StreamKey::Site(SiteId::from_index(0)),
            offset_us: 0,
            start_us: start_s * 1_000_000,
            ringback_us: None,
            answer_us: (outcome == CdrOutcome::Answered).then_some(start_s * 1_000_000),
            end_us: end_s * 1_000_000,
            outcome,
            direction: CdrDirection::Outbound,
            attempt: None,
            caller,
            category: Category::National,
            templates: &[],
            calling_template: None,
            called,
        }
    }

    #[test]
    fn a_call_again_to_the_same_number_soon_after_a_blocked_one_is_a_redial() {
        let mut o = Observer::new(600_000_000);
        let a = "+14255550100";
        o.add(&call(0, 1, CdrOutcome::Blocked, a, "+12065550000"));
        // 29 s after the blocked attempt ended: a redial, answered.
        o.add(&call(30, 90, CdrOutcome::Answered, a, "+12065550000"));
        // Blocked again, and called back only after the window: a new call.
        o.add(&call(100, 101, CdrOutcome::Blocked, a, "+12065550000"));
        o.add(&call(800, 900, CdrOutcome::Answered, a, "+12065550000"));
        // Another caller's blocked attempt, not redialed.
        o.add(&call(1000, 1001, CdrOutcome::Blocked, "+14255550101", "+12065550000"));
        let s = &o.streams[&StreamKey::Site(SiteId::from_index(0))];
        assert_eq!((s.attempts, s.redials, s.blocked, s.blocked_redialed), (5, 1, 3, 1));
        assert_eq!(s.redial_delay.mean().unwrap().mean, 29.0);
        // Rates count first attempts only.
        assert_eq!(s.hourly.calls(), 4);
        assert_eq!(s.holding.count(), 2);
    }

    #[test]
    fn numbered_attempts_are_redials_without_guessing() {
        let mut o = Observer::new(600_000_000);
        let mut first = call(0, 1, CdrOutcome::Blocked, "", "");
        first.attempt = Some(0);
        let mut again = call(50, 51, CdrOutcome::Answered, "", "");
        again.attempt = Some(2);
        o.add(&first);
        o.add(&again);
        let s = &o.streams[&StreamKey::Site(SiteId::from_index(0))];
        assert_eq!((s.redials, s.most_redials, s.redial_delay.count()), (1, 2, 0));
    }
}
