//! Call outcomes. An attempt is counted offered when it is placed, and
//! its outcome once, when it ends: blocked, not authorized, failed,
//! carried (released after ringback) or dropped (cut off by a failure).
//! Nothing is counted on the way and taken back later, so the outcomes of
//! a stream always add up to its offered attempts.

use super::call::Call;
use super::metrics::{Counts, DelayHistogram, RouteCounts, Tally, Window, FINAL_CODES};

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    /// Never connected: no trunk, path, bandwidth or Registrar for it;
    /// `redial` when the caller tries again.
    Blocked { redial: bool },
    /// No route for the number in the caller's usages.
    NotAuthorized,
    /// A final response that does not fail over, or no user (404).
    Failed,
    /// Released after ringback, answered or not.
    Released,
    /// Cut off by failure `by` of an element it used.
    Dropped { by: u16 },
}

pub(super) struct Counting {
    window: Window,
    counts: Tally,
    per_site: Vec<Tally>,
    per_source: Vec<Tally>,
    per_route: Vec<RouteCounts>,
    pdd: DelayHistogram,
    bucket_offered: Vec<u64>,
    bucket_blocked: Vec<u64>,
    final_codes: Vec<u64>,
}

/// Call outcomes by direction (every call, per site, per source), per
/// route, post-dial delay, and the grade of service's terms per bucket.
pub(super) struct CountingFigures {
    pub counts: Tally,
    pub per_site: Vec<Tally>,
    pub per_source: Vec<Tally>,
    pub per_route: Vec<RouteCounts>,
    pub pdd: DelayHistogram,
    pub bucket_offered: Vec<u64>,
    pub bucket_blocked: Vec<u64>,
    /// Calls ended by a final response, per code (index `code - 400`).
    pub final_codes: Vec<u64>,
}

impl Counting {
    pub(super) fn new(window: Window, sites: usize, sources: usize, routes: usize) -> Self {
        Self {
            window,
            counts: Tally::default(),
            per_site: vec![Tally::default(); sites],
            per_source: vec![Tally::default(); sources],
            per_route: vec![RouteCounts::default(); routes],
            pdd: DelayHistogram::default(),
            bucket_offered: vec![0; window.buckets()],
            bucket_blocked: vec![0; window.buckets()],
            final_codes: vec![0; FINAL_CODES.len()],
        }
    }

    /// A measured attempt ends on a final response `code` (after
    /// translation) that does not fail over; counted by code, beside its
    /// `failed` outcome.
    #[inline]
    pub(super) fn final_response(&mut self, c: &Call, code: u16) {
        if !c.measured {
            return;
        }
        if let Some(n) = self.final_codes.get_mut(usize::from(code.wrapping_sub(*FINAL_CODES.start()))) {
            *n += 1;
        }
    }

    /// Counts for a measured attempt in its direction: overall, its site,
    /// its source.
    #[inline]
    fn tally(&mut self, c: &Call, f: impl Fn(&mut Counts)) {
        let d = c.direction;
        f(self.counts.get_mut(d));
        f(self.per_site[c.profile.site].get_mut(d));
        f(self.per_source[c.profile.source as usize].get_mut(d));
    }

    /// An attempt placed and routed: offered. Its term of the grade of
    /// service in its arrival's bucket is counted when it ends, as the
    /// streams count it: every attempt needing the PSTN side that does
    /// not end not authorized (one routing would not place may still be
    /// blocked first, when its caller has no Registrar).
    #[inline]
    pub(super) fn offered(&mut self, c: &Call) {
        if !c.measured {
            return;
        }
        self.tally(c, |x| {
            x.offered += 1;
            x.redials += u64::from(c.redials > 0);
        });
    }

    /// A trunk call reached ringback at `at`: its post-dial delay.
    #[inline]
    pub(super) fn ringback(&mut self, c: &Call, at: u64) {
        if c.measured {
            self.pdd.record(at - c.arrival);
        }
    }

    /// Counts the outcome of a measured attempt that ended at `at`, and its
    /// routes' figures.
    #[inline]
    pub(super) fn ended(&mut self, c: &Call, end: End, at: u64) {
        if !c.measured {
            return;
        }
        self.tally(c, |x| {
            match end {
                End::Blocked { redial } => {
                    x.blocked += 1;
                    x.blocked_full += u64::from(c.refused);
                    x.given_up += u64::from(!redial);
                }
                End::NotAuthorized => x.not_authorized += 1,
                End::Failed => x.failed += 1,
                End::Released => x.carried += 1,
                End::Dropped { .. } => x.dropped += 1,
            }
            x.completed += u64::from(c.answered_by(at));
            x.failed_over += u64::from(c.failed_over);
        });
        let blocked = matches!(end, End::Blocked { .. });
        if c.direction.needs_pstn() && !matches!(end, End::NotAuthorized) {
            let b = (c.arrival / self.window.bucket) as usize;
            self.bucket_offered[b] += 1;
            self.bucket_blocked[b] += u64::from(blocked);
        }
        for r in &c.routes {
            let rc = &mut self.per_route[r.index()];
            rc.offered += 1;
            rc.overflowed += u64::from(c.carried_route != Some(*r));
            rc.blocked += u64::from(blocked);
        }
    }

    pub(super) fn close(self) -> CountingFigures {
        CountingFigures {
            counts: self.counts,
            per_site: self.per_site,
            per_source: self.per_source,
            per_route: self.per_route,
            pdd: self.pdd,
            bucket_offered: self.bucket_offered,
            bucket_blocked: self.bucket_blocked,
            final_codes: self.final_codes,
        }
    }
}
