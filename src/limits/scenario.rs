//! Ranges of the scenario file's and the command line's numbers, and the
//! bounds on a run's work (`docs/scenario.md`, "Ranges").
//!
//! Durations keep every simulated time far below the `u64` microsecond
//! clock's 584,000 years: a run is at most 100,000 hours, and a call lives
//! at most some days on top. Rates keep arrivals resolvable by that clock
//! and the calls of a replication countable before it starts.

use super::{Real, Span, Whole};
use crate::model::Micros;

const MINUTE: u64 = 60 * Micros::SECOND;
const HOUR: u64 = 60 * MINUTE;

/// `duration`: the simulated time of one replication.
pub const DURATION: Span =
    Span::new(Micros::from_secs(1), Micros(100_000 * HOUR), "about 11 years; a busy hour is \"1h\"");
/// `bucket`: the width of a time-series bucket.
pub const BUCKET: Span = Span::new(Micros::from_secs(1), DURATION.max, "at least a second");
/// Most time-series buckets in a run: every element keeps one value per bucket.
pub const MAX_BUCKETS: u64 = 100_000;
/// `replications`, `--replications`.
pub const REPLICATIONS: Whole =
    Whole::new(1, 100_000, "a run's length grows with them; 100,000 narrow an interval 100 times more than 10");
/// `[precision] max_replications`, `--max-replications`.
pub const MAX_REPLICATIONS: Whole = Whole::new(2, REPLICATIONS.max, "an interval needs two replications");
/// Trunks a carrier hunts over for one source (`trunks`).
pub const MAX_HUNT_TRUNKS: usize = 64;

/// `[[tariff]] per_minute`, `setup`, in currency units.
pub const PRICE: Real = Real::new(0.0, 1_000_000.0, "a price per minute or per call in any currency");
/// `[[tariff]] increment`, `first_increment`.
pub const BILLING_INCREMENT: Span =
    Span::new(Micros::from_secs(1), Micros::from_secs(3600), "carriers bill by the second up to by the hour");
/// `[[tariff]]` entries in one scenario.
pub const MAX_TARIFFS: usize = 100_000;

/// `start_hour`.
pub const START_HOUR: Whole = Whole::new(0, 23, "an hour of the day");

/// `[signalling] hop_latency`.
pub const HOP_LATENCY: Span = Span::new(Micros(0), Micros::from_secs(10), "one SIP hop takes milliseconds");
/// `[signalling] pstn_setup`.
pub const PSTN_SETUP: Span = Span::new(Micros(0), Micros(10 * MINUTE), "the far end rings back in seconds");

/// `bhca_per_user`.
pub const BHCA_PER_USER: Real = Real::new(0.0, 1_000.0, "busy-hour call attempts of one user");
/// `calls_per_hour`.
pub const CALLS_PER_HOUR: Real = Real::new(0.0, 3_600_000.0, "a thousand calls a second from one source");
/// `erlangs`.
pub const ERLANGS: Real = Real::new(0.0, 100_000.0, "more than the largest enterprise offers");
/// The mean of `holding`.
pub const HOLDING_MEAN: Span = Span::new(Micros::from_secs(1), Micros(24 * HOUR), "a conversation's mean length");
/// Every duration written in `holding` (constant, mean, sd, table values).
pub const HOLDING: Span = Span::new(Micros(0), Micros(24 * HOUR), "a conversation");
/// Every duration written in `ring_time`, and `no_answer_timeout`.
pub const RING: Span = Span::new(Micros(0), Micros(HOUR), "ringing lasts seconds");
/// No single drawn duration (holding, ring) is longer: a heavy-tailed
/// lognormal could otherwise draw past the clock's range. Thirty days is
/// beyond any draw of an exponential or a lognormal of the sizes above
/// with a spread of less than a hundred times its mean.
pub const MAX_DRAW: Micros = Micros(30 * 24 * HOUR);
/// `answer_probability`, `retry_probability`, `reject_fraction`, `slow_fraction`.
/// A grade of service to meet (`[[target]] grade_of_service`,
/// `plan --target-gos`): a share strictly between 0 and 1.
pub const GRADE_OF_SERVICE: Real = Real::new(1e-6, 0.999_999, "a share of calls above 0 and below 1, e.g. 0.01");
pub const PROBABILITY: Real = Real::new(0.0, 1.0, "a probability");
/// Each of the 24 `profile` multipliers.
pub const PROFILE: Real = Real::new(0.0, 1_000_000.0, "a rate multiplier; the peak rate is checked too");
/// `weight` of a dial template or of an empirical table's row.
pub const WEIGHT: Real = Real::new(0.0, 1e9, "a relative weight");
/// `retry_delay`.
pub const RETRY_DELAY: Span = Span::new(Micros::from_secs(1), Micros(24 * HOUR), "the mean wait before a redial");
/// `max_redials`.
pub const MAX_REDIALS: Whole = Whole::new(1, 100, "redials of one call");

/// `[detection] options_interval`, `down_probe_interval`.
pub const PROBE_INTERVAL: Span = Span::new(Micros::from_secs(1), Micros(HOUR), "Lync probes every 30 to 60 s");
/// `[detection] missed_options`.
pub const MISSED_OPTIONS: Whole = Whole::new(1, 100, "keep-alives in a row");
/// `[detection] less_preferred_after`.
pub const LESS_PREFERRED_AFTER: Whole = Whole::new(1, 1_000, "failures in a row");

/// `[[failure]] duration` and `[whatif] duration`.
pub const FAILURE_DURATION: Span = Span::new(Micros(1), DURATION.max, "longer than zero");
/// `[[failure]] mtbf`, `mttr`.
pub const MTBF: Span =
    Span::new(Micros::from_secs(1), DURATION.max, "a failure process at least a second apart keeps the clock moving");
/// `[[response]]` answers' `code`, `[[failure]] response`: a final SIP
/// response, as `New-CsSipResponseCodeTranslationRule` takes them.
pub const RESPONSE_CODE: Whole = Whole::new(400, 699, "a final SIP failure response, e.g. 486");
/// `[[response]]` answers' `isup_cause`, `[[failure]] isup_cause`: an
/// ISUP (Q.850) cause value, a 7-bit field.
pub const ISUP_CAUSE: Whole = Whole::new(0, 127, "a Q.850 cause value, e.g. 34 for no circuit available");
/// Answers in one `[[response]]` mix.
pub const MAX_ANSWERS: usize = 100;
/// `[whatif] k`.
pub const WHATIF_K: Whole = Whole::new(1, 2, "one element at a time (N-1) or every pair (N-2)");

/// `run --load-factor`, `plan --growth`.
pub const LOAD_FACTOR: Real = Real::new(0.001, 1_000.0, "a multiple of the scenario's load");
/// Most growth steps one `plan` sizes: each is a whole search of
/// confirming runs.
pub const MAX_GROWTH_STEPS: usize = 100;

/// Sources in a scenario (calls name theirs in 16 bits).
pub const MAX_SOURCES: usize = 10_000;
/// Failures in a scenario, after `class:*` expansion (16-bit indices).
pub const MAX_FAILURES: usize = 10_000;

/// Highest arrival rate of one source, calls a second, at its busiest hour
/// (finite sources' candidate calls included): arrivals a millisecond apart
/// on average, so truncating them to the microsecond moves its rate by
/// under 0.05%.
pub const MAX_SOURCE_RATE_PER_S: f64 = 1_000.0;
/// Highest arrival rate of all sources together, calls a second.
pub const MAX_TOTAL_RATE_PER_S: f64 = 100_000.0;
/// Most call attempts one replication may be expected to simulate, each
/// blocked call counted with every redial it could make: about a minute
/// of one core.
pub const MAX_CALLS_PER_REPLICATION: f64 = 1e8;
/// Most Erlangs the sources may offer at their busiest hour: calls in
/// progress at once, which is what a replication's memory grows with.
pub const MAX_OFFERED_ERLANGS: f64 = 100_000.0;
/// Most failure episodes (random failures) one replication may expect.
pub const MAX_FAILURE_EPISODES: f64 = 100_000.0;
/// Most memory the results of the replications held at once (one batch,
/// before they are folded into running sums) may take together.
pub const MAX_RESULTS_BYTES: u64 = 4 << 30;
/// Expected calls (over all replications) above which a command says how
/// much it is about to simulate.
pub const ANNOUNCE_CALLS: f64 = 5e7;
/// Calls a thread simulates a second, for the time a long job is
/// announced to take: half the contoso busy hour's measured 1.06–1.47
/// million (README, Performance), for models with more routing per call
/// and machines shared with other work.
pub const ESTIMATE_CALLS_PER_SECOND: f64 = 5e5;

// The latest time a run can reach stays far inside the clock: the end of
// the run, then a call's whole life with every redial, each wait at its
// largest draw (some thousands of trunk attempts at their longest; an
// exponential redial wait below a thousand times its mean).
const _: () = {
    let attempt = 4 * HOP_LATENCY.max.0 + PSTN_SETUP.max.0 + super::model::FAST_FAILOVER_TIMEOUT.max.0;
    let life = 10_000 * attempt + 2 * MAX_DRAW.0;
    let redial = 1_000 * RETRY_DELAY.max.0;
    let latest = DURATION.max.0 + (MAX_REDIALS.max as u64 + 1) * (life + redial);
    assert!(latest < u64::MAX / 1_000);
};

// Arrivals resolve on the microsecond clock: one source's mean gap is at
// least a millisecond, whichever rate field gave it; a source at its
// largest rate for an hour fits one replication.
const _: () = {
    assert!(1e6 / MAX_SOURCE_RATE_PER_S >= 1_000.0);
    assert!(CALLS_PER_HOUR.max / 3600.0 <= MAX_SOURCE_RATE_PER_S);
    assert!(MAX_TOTAL_RATE_PER_S >= MAX_SOURCE_RATE_PER_S);
    assert!(MAX_SOURCE_RATE_PER_S * 3600.0 < MAX_CALLS_PER_REPLICATION);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_hold_the_documented_examples() {
        assert!(REPLICATIONS.contains(100_000) && !REPLICATIONS.contains(1_000_000_000));
        assert!(MAX_REPLICATIONS.contains(1000) && !MAX_REPLICATIONS.contains(1));
        assert!(HOLDING_MEAN.contains(Micros::from_secs(180)) && !HOLDING_MEAN.contains(Micros(0)));
        assert!(DURATION.contains(Micros(25_000 * HOUR)));
        assert!(!MTBF.contains(Micros(1)));
        assert!(!HOP_LATENCY.contains(Micros(5_000_000_000 * HOUR)));
        assert!(!LOAD_FACTOR.contains(1e308) && LOAD_FACTOR.contains(1.5));
    }
}
