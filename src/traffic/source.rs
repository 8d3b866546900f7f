//! A traffic source: calls from a user group, a site, or a trunk peer,
//! arriving as a Poisson process whose rate follows a 24-hour profile.
//!
//! Finite sources: a user holds at most one call at a time. Candidate
//! calls arrive at the rate all users would make them if idle, each for a
//! user drawn at random; a candidate for a busy user is not made. That is
//! exactly Engset's model (each idle user calls at its own Poisson rate),
//! so a small group blocks as Engset, not as Erlang B.

use rand::RngExt;
use rand_distr::Exp1;

use crate::model::{SiteId, TrunkId, UserGroupId};
use crate::rng::Stream;

use super::{DialMix, DialTemplate, Holding};

/// Where a source's calls come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Users of a group call out (outbound).
    Users(UserGroupId),
    /// Users at a site with only site or global policies.
    Site(SiteId),
    /// Calls arriving from a trunk's peer: PSTN callers to users, or PBX
    /// users calling out through inter-trunk routing.
    Trunk(TrunkId),
}

/// One stream of calls.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub origin: Origin,
    /// The field its rate was given by (`bhca_per_user`, `calls_per_hour`
    /// or `erlangs`), for messages about the rate.
    pub rate_field: &'static str,
    /// Mean arrivals per second when the profile multiplier is 1.
    pub rate_per_s: f64,
    /// Multipliers for each hour of the day (0-23), in the local time of
    /// the source's site.
    pub profile: [f64; 24],
    /// The offset of that local time from the scenario's clock, in
    /// seconds (0 for a site without a `time_zone`).
    pub utc_offset_s: i32,
    pub dial: DialMix,
    /// Calling numbers for trunk sources (users have their Line URI).
    pub calling: Option<DialTemplate>,
    pub holding: Holding,
    pub ring: Holding,
    pub answer_probability: f64,
    pub no_answer_timeout: u64,
    /// Each user holds at most one call at a time (user-group sources).
    pub finite: Option<FiniteUsers>,
    /// Blocked callers redial.
    pub retry: Option<Retry>,
    /// The trunks a carrier hunts over for an inbound DID range (`trunks`),
    /// in order; empty for any other source (`origin` is the first).
    pub hunt: Vec<TrunkId>,
}

/// A source whose users are busy while they hold a call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FiniteUsers {
    pub users: u32,
    /// Mean time a user is busy per call made, in seconds: ring and
    /// conversation when answered, the no-answer timeout when not.
    pub mean_busy_s: f64,
}

impl FiniteUsers {
    /// Largest share of its time a user may be busy on average: near 1
    /// every idle moment would need an unbounded call rate.
    pub const MAX_BUSY_SHARE: f64 = 0.95;

    /// The share of time each user is busy at an offered `rate_per_s` (all
    /// users together), as if no call were blocked.
    pub fn busy_share(&self, rate_per_s: f64) -> f64 {
        rate_per_s / f64::from(self.users) * self.mean_busy_s
    }

    /// The rate of candidate calls (as if every user were idle) that
    /// offers `rate_per_s` calls when users are busy `busy_share` of the
    /// time: an idle user calls at rate/(1 - a) (Engset's offered traffic
    /// per source a = b/(1 + b), b the traffic per idle source).
    pub fn candidate_rate(&self, rate_per_s: f64) -> f64 {
        let a = self.busy_share(rate_per_s).min(Self::MAX_BUSY_SHARE);
        rate_per_s / (1.0 - a)
    }
}

/// Redials of blocked calls (retrials): after a blocked attempt the caller
/// redials with `probability`, after an exponential delay of mean
/// `mean_delay_us`, at most `max_redials` times per call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Retry {
    pub probability: f64,
    pub mean_delay_us: u64,
    pub max_redials: u32,
}

impl Source {
    /// Mean time a call holds its caller, in seconds: ring and
    /// conversation when answered (`answer_probability`), the no-answer
    /// timeout when not.
    pub fn mean_busy_s(answer_probability: f64, holding: &Holding, ring: &Holding, no_answer_us: u64) -> f64 {
        (answer_probability * (ring.mean() + holding.mean()) + (1.0 - answer_probability) * no_answer_us as f64) / 1e6
    }

    /// The highest rate of the profile.
    pub fn peak_rate(&self) -> f64 {
        self.rate_per_s * self.profile.iter().cloned().fold(0.0, f64::max)
    }

    /// Why this source's users cannot offer its load, if they cannot: a
    /// finite source's users would be busy more than
    /// [`FiniteUsers::MAX_BUSY_SHARE`] of its busiest hour.
    pub fn overloaded_users(&self) -> Option<String> {
        let f = self.finite?;
        let a = f.busy_share(self.peak_rate());
        (a > FiniteUsers::MAX_BUSY_SHARE).then(|| {
            format!(
                "its {} users would each be busy {:.0}% of the busy hour (at most {:.0}%: each holds one call at a \
                 time); use more users, less load, or finite_sources = false for Poisson traffic",
                f.users,
                a * 100.0,
                FiniteUsers::MAX_BUSY_SHARE * 100.0
            )
        })
    }

    /// Where simulated time 0 falls in the source's local day, in µs from
    /// local midnight: the scenario's `start_hour` on its clock plus the
    /// site's offset.
    pub fn clock_shift_us(&self, start_hour: u8) -> u64 {
        let s = (i64::from(start_hour) * 3600 + i64::from(self.utc_offset_s)).rem_euclid(DAY_S);
        s as u64 * 1_000_000
    }

    /// What the arrival draws need of the profile, computed once per run
    /// rather than on every arrival: per hour, the rate of candidate calls,
    /// and where the run starts in the source's local day.
    pub fn arrival_shape(&self, start_hour: u8) -> ArrivalShape {
        let mut rates = [0.0; 24];
        for (r, m) in rates.iter_mut().zip(&self.profile) {
            let offered = self.rate_per_s * m;
            *r = match self.finite {
                Some(f) => f.candidate_rate(offered),
                None => offered,
            };
        }
        let peak = rates.iter().cloned().fold(0.0, f64::max);
        ArrivalShape {
            peak,
            mean_gap_us: if peak > 0.0 { 1e6 / peak } else { f64::INFINITY },
            flat: rates.iter().all(|r| *r == rates[0]),
            rates,
            shift_us: self.clock_shift_us(start_hour),
        }
    }
}

const DAY_S: i64 = 24 * 3600;
const HOUR_US: u64 = 3_600_000_000;

/// A source's candidate rate per hour, its peak, and whether its profile
/// is flat (no thinning).
#[derive(Debug, Clone, Copy)]
pub struct ArrivalShape {
    pub rates: [f64; 24],
    pub peak: f64,
    pub mean_gap_us: f64,
    pub flat: bool,
    /// Simulated time 0 in the source's local day, in µs from midnight
    /// ([`Source::clock_shift_us`]).
    pub shift_us: u64,
}

impl ArrivalShape {
    /// The next arrival after `now`, by thinning (exact for a piecewise
    /// constant rate), or `None` when the rate is zero throughout.
    /// Exponential gaps come from the ziggurat (`Exp1`), several times
    /// cheaper than inverting a uniform with a logarithm.
    pub fn next_arrival(&self, now: u64, rng: &mut Stream) -> Option<u64> {
        if self.peak <= 0.0 {
            return None;
        }
        let mut t = now as f64;
        loop {
            let gap: f64 = rng.sample(Exp1);
            t += gap * self.mean_gap_us;
            if t >= u64::MAX as f64 / 2.0 {
                return None;
            }
            let at = t as u64;
            if self.flat {
                return Some(at.max(now));
            }
            let accept: f64 = rng.random();
            if accept * self.peak <= self.rates[self.hour(at)] {
                return Some(at.max(now));
            }
        }
    }

    /// The local hour of the day (0-23) at simulated time `t`.
    #[inline]
    pub fn hour(&self, t: u64) -> usize {
        ((t.wrapping_add(self.shift_us) / HOUR_US) % 24) as usize
    }

    /// The end of the local hour that `t` is in, in simulated time.
    #[inline]
    pub fn hour_end(&self, t: u64) -> u64 {
        let local = t + self.shift_us;
        (local / HOUR_US + 1) * HOUR_US - self.shift_us
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(offset_s: i32) -> Source {
        let mut profile = [0.0; 24];
        profile[10] = 1.0;
        Source {
            name: "s".into(),
            origin: Origin::Site(SiteId::from_index(0)),
            rate_field: "calls_per_hour",
            rate_per_s: 1.0,
            profile,
            utc_offset_s: offset_s,
            dial: DialMix::new(vec![(1.0, DialTemplate::new("1").unwrap())]).unwrap(),
            calling: None,
            holding: Holding::constant(1),
            ring: Holding::constant(0),
            answer_probability: 1.0,
            no_answer_timeout: 0,
            finite: None,
            retry: None,
            hunt: Vec::new(),
        }
    }

    #[test]
    fn the_profile_is_read_in_local_time_with_fractional_offsets() {
        const MIN: u64 = 60_000_000;
        // No offset: the run's hour is the profile's.
        let s = source(0).arrival_shape(8);
        assert_eq!(s.hour(0), 8);
        assert_eq!(s.hour(2 * HOUR_US), 10);
        assert_eq!(s.hour_end(0), HOUR_US);
        // +05:30 at a run starting 04:00 on the clock: local 09:30, so
        // local 10:00 (the busy hour) begins 30 minutes in.
        let s = source(5 * 3600 + 1800).arrival_shape(4);
        assert_eq!(s.hour(29 * MIN), 9);
        assert_eq!(s.hour(30 * MIN), 10);
        assert_eq!(s.hour(89 * MIN), 10);
        assert_eq!(s.hour(90 * MIN), 11);
        assert_eq!(s.hour_end(0), 30 * MIN);
        assert_eq!(s.hour_end(30 * MIN), 90 * MIN);
        // West of the clock: -05:00 at 00:00 is 19:00 the day before.
        let s = source(-5 * 3600).arrival_shape(0);
        assert_eq!(s.hour(0), 19);
        assert_eq!(s.hour(15 * HOUR_US), 10);
    }

    #[test]
    fn arrivals_fall_in_the_local_busy_hour() {
        let s = source(5 * 3600 + 1800).arrival_shape(4);
        let mut rng = crate::rng::stream(1, 0, "t");
        let mut t = 0;
        for _ in 0..200 {
            t = s.next_arrival(t, &mut rng).unwrap();
            let in_day = t % (24 * HOUR_US);
            assert!((30 * 60_000_000..90 * 60_000_000).contains(&in_day), "{in_day}");
        }
    }
}
