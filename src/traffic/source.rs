//! A traffic source: calls from a user group, a site, or a trunk peer,
//! arriving as a Poisson process whose rate follows a 24-hour profile.

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
    /// Mean arrivals per second when the profile multiplier is 1.
    pub rate_per_s: f64,
    /// Multipliers for each hour of the day (0-23).
    pub profile: [f64; 24],
    pub dial: DialMix,
    /// Calling numbers for trunk sources (users have their Line URI).
    pub calling: Option<DialTemplate>,
    pub holding: Holding,
    pub ring: Holding,
    pub answer_probability: f64,
    pub no_answer_timeout: u64,
}

impl Source {
    /// The rate at simulated time `t` (µs) for a run starting at `start_hour`.
    #[inline]
    pub fn rate_at(&self, t: u64, start_hour: u8) -> f64 {
        let hour = ((t / 3_600_000_000) + u64::from(start_hour)) % 24;
        self.rate_per_s * self.profile[hour as usize]
    }

    /// The highest rate of the profile.
    pub fn peak_rate(&self) -> f64 {
        self.rate_per_s * self.profile.iter().cloned().fold(0.0, f64::max)
    }

    /// What the arrival draws need of the profile, computed once per run
    /// rather than on every arrival.
    pub fn arrival_shape(&self) -> ArrivalShape {
        let peak = self.peak_rate();
        ArrivalShape {
            peak,
            mean_gap_us: if peak > 0.0 { 1e6 / peak } else { f64::INFINITY },
            flat: self.profile.iter().all(|m| *m == self.profile[0]),
        }
    }

    /// The next arrival after `now`, by thinning (exact for a piecewise
    /// constant rate), or `None` when the rate is zero throughout.
    /// Exponential gaps come from the ziggurat (`Exp1`), several times
    /// cheaper than inverting a uniform with a logarithm.
    pub fn next_arrival(&self, now: u64, start_hour: u8, shape: &ArrivalShape, rng: &mut Stream) -> Option<u64> {
        if shape.peak <= 0.0 {
            return None;
        }
        let mut t = now as f64;
        loop {
            let gap: f64 = rng.sample(Exp1);
            t += gap * shape.mean_gap_us;
            if t >= u64::MAX as f64 / 2.0 {
                return None;
            }
            let at = t as u64;
            if shape.flat {
                return Some(at.max(now));
            }
            let accept: f64 = rng.random();
            if accept * shape.peak <= self.rate_at(at, start_hour) {
                return Some(at.max(now));
            }
        }
    }
}

/// A source's peak rate and whether its profile is flat (no thinning).
#[derive(Debug, Clone, Copy)]
pub struct ArrivalShape {
    pub peak: f64,
    pub mean_gap_us: f64,
    pub flat: bool,
}
