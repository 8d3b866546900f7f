//! What a replication measured. Memory is fixed by the model and the
//! number of time buckets, never by the number of calls: counters, time
//! integrals of occupancy, fixed buckets and a fixed histogram.

use serde::{Deserialize, Serialize};

/// Which way a call goes: the stream it belongs to. A call's direction is
/// decided by who calls and what the routing decides (docs/results.md):
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// A user's call that routing sends to a trunk (or finds no route for).
    #[default]
    Outbound,
    /// A call arriving from a trunk for a user (or for no one: 404).
    Inbound,
    /// A call arriving from a trunk that routing sends to another trunk
    /// (or finds no route for).
    InterTrunk,
    /// A user's call to another Enterprise Voice user: no trunk.
    Internal,
}

impl Direction {
    pub const ALL: [Direction; 4] =
        [Direction::Outbound, Direction::Inbound, Direction::InterTrunk, Direction::Internal];

    /// Whether its calls need the PSTN side: a trunk, a gateway channel,
    /// ITSP or PBX session, a Mediation session.
    pub fn needs_pstn(self) -> bool {
        self != Direction::Internal
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Outbound => "outbound",
            Direction::Inbound => "inbound",
            Direction::InterTrunk => "inter-trunk",
            Direction::Internal => "internal",
        }
    }
}

/// Outcomes of call attempts of one stream. Every measured attempt ends
/// as exactly one of carried, blocked, not authorized, failed or dropped
/// (conservation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Attempts arriving in the measured window (redials included).
    pub offered: u64,
    /// Reached a trunk peer, or the called user.
    pub carried: u64,
    /// No candidate left: every trunk full (503) or down; the inbound
    /// trunk full or down; no Registrar, path or bandwidth for the call.
    pub blocked: u64,
    /// Of blocked: calls a full resource (channels, sessions, a Mediation
    /// server, CAC) refused at least once; more capacity could have
    /// carried them. The rest met only failed elements or no route.
    pub blocked_full: u64,
    /// No route for the number in the caller's usages.
    pub not_authorized: u64,
    /// Ended by a final response that does not fail over, or an inbound
    /// call for no user (404).
    pub failed: u64,
    /// Connected, then cut off by a failure of an element it used.
    pub dropped: u64,
    /// Calls that failed over at least once (any outcome).
    pub failed_over: u64,
    /// Answered.
    pub completed: u64,
    /// Of offered: redials of a blocked call (retrials).
    pub redials: u64,
    /// Of blocked: attempts after which the caller did not redial.
    pub given_up: u64,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.offered += o.offered;
        self.carried += o.carried;
        self.blocked += o.blocked;
        self.blocked_full += o.blocked_full;
        self.not_authorized += o.not_authorized;
        self.failed += o.failed;
        self.dropped += o.dropped;
        self.failed_over += o.failed_over;
        self.completed += o.completed;
        self.redials += o.redials;
        self.given_up += o.given_up;
    }

    /// Attempts offered that routing could place: offered less not
    /// authorized. For the PSTN directions, the grade of service's
    /// denominator.
    pub fn routable(&self) -> u64 {
        self.offered - self.not_authorized
    }
}

/// Call outcomes of a group of callers (all calls, a site, a source), by
/// direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub directions: [Counts; 4],
}

impl Tally {
    pub fn get(&self, d: Direction) -> &Counts {
        &self.directions[d as usize]
    }

    pub fn get_mut(&mut self, d: Direction) -> &mut Counts {
        &mut self.directions[d as usize]
    }

    /// Every direction together.
    pub fn total(&self) -> Counts {
        let mut c = Counts::default();
        for d in &self.directions {
            c.add(d);
        }
        c
    }

    /// The calls that needed the PSTN side: outbound, inbound and
    /// inter-trunk together.
    pub fn pstn(&self) -> Counts {
        let mut c = Counts::default();
        for d in Direction::ALL.into_iter().filter(|d| d.needs_pstn()) {
            c.add(self.get(d));
        }
        c
    }
}

/// The final response codes a call can end with, 400–699: calls ended by
/// one are counted per code, at index `code - 400`.
pub const FINAL_CODES: std::ops::RangeInclusive<u16> = 400..=699;

/// The measured window and the bucket size, in µs.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub warm_up: u64,
    pub end: u64,
    pub bucket: u64,
}

impl Window {
    pub fn buckets(&self) -> usize {
        self.end.div_ceil(self.bucket) as usize
    }
}

/// Occupancy of one finite resource (gateway channels, ITSP sessions,
/// trunk calls, Mediation sessions) and the attempts on it.
#[derive(Debug, Clone)]
pub struct Occupancy {
    /// `None` when unlimited.
    pub capacity: Option<u32>,
    pub in_use: u32,
    last: u64,
    /// Integral of `in_use` over the measured window, in call·µs: exact
    /// integers, cheaper than floating point on the hot path.
    area: u128,
    /// Highest `in_use` during the measured window.
    pub peak: u32,
    /// Seizure attempts by measured calls, and how many found it full;
    /// for bandwidth, the sessions added or refused in the measured window.
    pub attempts: u64,
    pub rejected: u64,
    /// Calls it refused for want of room that another trunk then carried,
    /// and those that were then blocked (each call once per element).
    pub overflowed: u64,
    pub lost: u64,
    /// Units added at once ([`Occupancy::add`]) in the measured window: with
    /// the sessions admitted, the mean bandwidth of a session.
    pub added: u64,
    /// Integral of `in_use` per time bucket (the whole run, warm-up too),
    /// complete after [`finish`](Self::finish).
    pub buckets: Vec<f64>,
    /// The bucket `last` is in, where it ends, and its integral so far
    /// (written to `buckets` when its edge is crossed): time only moves
    /// on, so a division is needed only at a bucket edge.
    bucket: usize,
    bucket_end: u64,
    bucket_area: u128,
}

impl Occupancy {
    pub fn new(capacity: Option<u32>, window: &Window) -> Self {
        Self {
            capacity,
            in_use: 0,
            last: 0,
            area: 0,
            peak: 0,
            attempts: 0,
            rejected: 0,
            overflowed: 0,
            lost: 0,
            added: 0,
            buckets: vec![0.0; window.buckets()],
            bucket: 0,
            bucket_end: window.bucket,
            bucket_area: 0,
        }
    }

    /// Whether one more call fits.
    #[inline]
    pub fn has_room(&self) -> bool {
        self.capacity.is_none_or(|c| self.in_use < c)
    }

    #[inline(always)]
    fn advance(&mut self, now: u64, w: &Window) {
        let (a, b) = (self.last.min(w.end), now.min(w.end));
        self.last = now;
        if self.in_use == 0 || b <= a {
            return;
        }
        let n = u128::from(self.in_use);
        let ma = a.max(w.warm_up);
        if b > ma {
            self.area += n * u128::from(b - ma);
        }
        if a < self.bucket_end && b <= self.bucket_end {
            // Within the current bucket: the common case.
            self.bucket_area += n * u128::from(b - a);
            return;
        }
        let mut t = a;
        while t < b {
            if t >= self.bucket_end {
                self.flush_bucket();
                self.bucket = (t / w.bucket) as usize;
                self.bucket_end = (self.bucket as u64 + 1).saturating_mul(w.bucket);
            }
            let edge = self.bucket_end.min(b);
            self.bucket_area += n * u128::from(edge - t);
            t = edge;
        }
    }

    /// Writes the current bucket's integral out.
    fn flush_bucket(&mut self) {
        if self.bucket_area > 0 {
            if let Some(slot) = self.buckets.get_mut(self.bucket) {
                *slot += self.bucket_area as f64;
            }
            self.bucket_area = 0;
        }
    }

    /// Integral of `in_use` over the measured window so far, in call·µs.
    pub fn area(&self) -> f64 {
        self.area as f64
    }

    /// Adds a session of `amount` units (bandwidth in tenths of a kbps).
    pub fn add(&mut self, now: u64, w: &Window, amount: u32) {
        self.advance(now, w);
        self.in_use += amount;
        if now >= w.warm_up && now < w.end {
            self.peak = self.peak.max(self.in_use);
            self.attempts += 1;
            self.added += u64::from(amount);
        }
    }

    /// A session refused for want of room (call admission control).
    pub fn refuse(&mut self, now: u64, w: &Window) {
        if now >= w.warm_up && now < w.end {
            self.attempts += 1;
            self.rejected += 1;
        }
    }

    /// Removes `amount` units.
    pub fn remove(&mut self, now: u64, w: &Window, amount: u32) {
        self.advance(now, w);
        debug_assert!(self.in_use >= amount, "release below zero");
        self.in_use -= amount;
    }

    #[inline]
    pub fn seize(&mut self, now: u64, w: &Window) {
        self.advance(now, w);
        self.in_use += 1;
        if now >= w.warm_up && now < w.end {
            self.peak = self.peak.max(self.in_use);
        }
    }

    #[inline]
    pub fn release(&mut self, now: u64, w: &Window) {
        self.advance(now, w);
        debug_assert!(self.in_use > 0, "release below zero");
        self.in_use -= 1;
    }

    /// Closes the integral at the end of the run.
    pub fn finish(&mut self, w: &Window) {
        self.advance(w.end, w);
        self.flush_bucket();
    }

    /// Mean occupancy over the measured window: the carried Erlangs.
    pub fn mean(&self, w: &Window) -> f64 {
        self.area() / (w.end - w.warm_up) as f64
    }
}

/// Post-dial delay histogram, 1 ms bins up to 65.535 s.
#[derive(Debug, Clone)]
pub struct DelayHistogram {
    bins: Vec<u32>,
    count: u64,
    sum_us: u128,
    /// The smallest and largest delay recorded: a quantile never lies
    /// outside them (a bin's edge could).
    min_us: u64,
    max_us: u64,
}

impl Default for DelayHistogram {
    fn default() -> Self {
        Self { bins: vec![0; 65_536], count: 0, sum_us: 0, min_us: u64::MAX, max_us: 0 }
    }
}

impl DelayHistogram {
    /// Heap bytes it holds (its bins), for a replication's footprint.
    pub fn heap_bytes(&self) -> usize {
        self.bins.capacity() * std::mem::size_of::<u32>()
    }

    pub fn record(&mut self, us: u64) {
        let ms = (us / 1000).min(65_535) as usize;
        self.bins[ms] += 1;
        self.count += 1;
        self.sum_us += u128::from(us);
        self.min_us = self.min_us.min(us);
        self.max_us = self.max_us.max(us);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Sum of the delays, in microseconds.
    pub fn sum_us(&self) -> u128 {
        self.sum_us
    }

    /// Sum of the delays, in milliseconds.
    pub fn sum_ms(&self) -> f64 {
        self.sum_us as f64 / 1000.0
    }

    /// Mean, in milliseconds.
    pub fn mean_ms(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum_us as f64 / self.count as f64 / 1000.0
        }
    }

    /// The `q` quantile, in milliseconds: the upper edge of its 1 ms bin,
    /// within the smallest and largest delay recorded.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let (lo, hi) = (self.min_us as f64 / 1000.0, self.max_us as f64 / 1000.0);
        self.bin_quantile_ms(q).clamp(lo, hi)
    }

    fn bin_quantile_ms(&self, q: f64) -> f64 {
        let target = (q * self.count as f64).ceil().max(1.0) as u64;
        let mut acc = 0u64;
        for (i, n) in self.bins.iter().enumerate() {
            acc += u64::from(*n);
            if acc >= target {
                return (i + 1) as f64;
            }
        }
        65_536.0
    }
}

/// What one failure did in one replication.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct FailureCounts {
    /// Times it happened.
    pub episodes: u64,
    /// Calls in progress cut off when it happened.
    pub dropped: u64,
    /// Trunk attempts sent to it while it was failed but not yet marked
    /// down: each waited for the fast-failover timer (or got a 503).
    pub undetected_attempts: u64,
    /// Of those, calls that then completed through another trunk.
    pub rescued: u64,
    /// Of those, calls that then never connected (blocked or failed): lost
    /// while the failure was not yet noticed, or to a degraded element.
    pub lost: u64,
    /// Post-dial delay those attempts added, in µs.
    pub extra_pdd_us: u64,
    /// Marked down, and the total time from failure to mark-down (µs).
    pub detections: u64,
    pub detect_us: u64,
    /// Marked up again, and the total time from repair to mark-up (µs).
    pub recoveries: u64,
    pub recover_us: u64,
}

/// What call admission control did.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CacCounts {
    /// Sessions denied (each denial of each call on each attempt).
    pub denials: u64,
    /// PSTN trunk attempts that failed over because a leg was denied.
    pub trunk_failovers: u64,
    /// Internal calls rerouted over the PSTN.
    pub rerouted_pstn: u64,
    /// Calls sent to voice mail.
    pub voicemail: u64,
    /// Calls that failed: no reroute allowed.
    pub failed: u64,
}

/// Video sessions of calls between users (docs/results.md, "Video").
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct VideoCounts {
    /// Calls whose users added video, and those whose video call admission
    /// control denied (they went on with audio only).
    pub sessions: u64,
    pub denied: u64,
}

/// A change of an element's state, for the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElementState {
    /// Failed (or degraded), not yet noticed.
    Failed,
    /// After repeated failover-class failures: tried last in its stage.
    LessPreferred,
    /// Marked down: routing skips it.
    MarkedDown,
    /// Repaired, still marked down until a probe answers.
    Repaired,
    /// Marked up: back in routing.
    Up,
}

/// Per-route figures: calls that tried a trunk of the route, those that
/// left it without being carried by it (overflow), and those that were
/// then blocked.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct RouteCounts {
    pub offered: u64,
    pub overflowed: u64,
    pub blocked: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupancy_integrates_over_the_measured_window_and_buckets() {
        let w = Window { warm_up: 10, end: 100, bucket: 50 };
        let mut o = Occupancy::new(Some(2), &w);
        o.seize(0, &w); // 1 from 0
        o.seize(40, &w); // 2 from 40
        o.release(60, &w); // 1 from 60
        o.release(120, &w); // 0 after the end
        o.finish(&w);
        // Measured [10,100): 1*30 + 2*20 + 1*40 = 110.
        assert_eq!(o.area(), 110.0);
        // Buckets [0,50): 1*40 + 2*10 = 60; [50,100): 2*10 + 1*40 = 60.
        assert_eq!(o.buckets, vec![60.0, 60.0]);
        assert_eq!(o.peak, 2);
        assert!((o.mean(&w) - 110.0 / 90.0).abs() < 1e-12);
        assert!(o.has_room());
    }

    #[test]
    fn idle_buckets_are_skipped_and_long_holds_span_buckets() {
        let w = Window { warm_up: 0, end: 100, bucket: 10 };
        let mut o = Occupancy::new(None, &w);
        o.add(35, &w, 3); // idle until 35, then 3 units
        o.remove(72, &w, 3); // held across buckets 3 to 7
        o.seize(95, &w);
        o.finish(&w);
        assert_eq!(o.buckets, vec![0.0, 0.0, 0.0, 15.0, 30.0, 30.0, 30.0, 6.0, 0.0, 5.0]);
        assert_eq!(o.area(), 3.0 * 37.0 + 5.0);
    }

    #[test]
    fn histogram_quantiles() {
        let mut h = DelayHistogram::default();
        for ms in 1..=100u64 {
            h.record(ms * 1000 - 1);
        }
        assert_eq!(h.quantile_ms(0.95), 95.0);
        assert!((h.mean_ms() - 50.499).abs() < 0.01);
        // Every delay the same: every quantile is that delay.
        let mut h = DelayHistogram::default();
        for _ in 0..10 {
            h.record(2_030_000);
        }
        assert_eq!((h.quantile_ms(0.95), h.quantile_ms(0.01)), (2030.0, 2030.0));
    }
}
