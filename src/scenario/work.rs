//! How much one replication simulates, known from the sources and the
//! failures before it runs, and the bounds on it
//! ([`crate::limits::scenario`]): arrivals the clock resolves, calls in
//! progress the memory holds, calls a replication can get through.

use crate::limits::scenario::{
    MAX_CALLS_PER_REPLICATION, MAX_FAILURE_EPISODES, MAX_OFFERED_ERLANGS, MAX_SOURCE_RATE_PER_S, MAX_TOTAL_RATE_PER_S,
};
use crate::limits::{approx, grouped};
use crate::model::Problem;
use crate::traffic::source::ArrivalShape;
use crate::traffic::Source;

use super::{FailureTiming, Scenario};

const HOUR_US: u64 = 3_600_000_000;

/// What one replication of a scenario is expected to simulate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Work {
    /// Calls the sources are expected to draw (a finite source's
    /// candidate calls included: each is an arrival to simulate).
    pub calls: f64,
    /// The most call attempts those calls could make: every one blocked
    /// and redialed as often as its source allows.
    pub attempts: f64,
    /// Arrivals a second of all sources at their busiest hours.
    pub peak_rate: f64,
    /// Erlangs the sources offer at their busiest hours: the calls in
    /// progress at once.
    pub erlangs: f64,
    /// Failure episodes the random failures are expected to start.
    pub episodes: f64,
}

impl Scenario {
    /// What one replication is expected to simulate.
    pub fn work(&self) -> Work {
        let mut w = Work { calls: 0.0, attempts: 0.0, peak_rate: 0.0, erlangs: 0.0, episodes: 0.0 };
        for src in &self.sources {
            let shape = src.arrival_shape(self.start_hour);
            let calls = expected_arrivals(&shape, self.duration.0);
            w.calls += calls;
            w.attempts += calls * (1.0 + redials_per_call(src));
            w.peak_rate += shape.peak;
            w.erlangs += src.peak_rate() * mean_busy_s(src);
        }
        for f in &self.failures {
            if let FailureTiming::Random { mtbf, mttr } = f.timing {
                w.episodes += self.duration.0 as f64 / (mtbf as f64 + mttr as f64);
            }
        }
        w
    }

    /// Every bound on a replication's work this scenario breaks, each
    /// naming the source or the scenario field to change.
    pub fn work_problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut problem = |object: String, field: &str, message: String| {
            out.push(Problem { object, field: field.to_owned(), message })
        };
        for src in &self.sources {
            let peak = src.arrival_shape(self.start_hour).peak;
            if exceeds(peak, MAX_SOURCE_RATE_PER_S) {
                let finite =
                    if src.finite.is_some() { " (its candidate calls, as if every user were idle)" } else { "" };
                problem(
                    format!("source \"{}\"", src.name),
                    src.rate_field,
                    format!(
                        "calls would arrive at ~{} a second in its busiest hour{finite}; at most {} a second, so that \
                         arrivals stay apart on the microsecond clock",
                        approx(peak),
                        grouped(MAX_SOURCE_RATE_PER_S as i64)
                    ),
                );
            }
        }
        let w = self.work();
        let obj = || "the scenario".to_owned();
        if exceeds(w.peak_rate, MAX_TOTAL_RATE_PER_S) {
            problem(
                obj(),
                "source",
                format!(
                    "the sources together would make ~{} calls a second at their busiest; at most {}",
                    approx(w.peak_rate),
                    grouped(MAX_TOTAL_RATE_PER_S as i64)
                ),
            );
        }
        if exceeds(w.erlangs, MAX_OFFERED_ERLANGS) {
            problem(
                obj(),
                "source",
                format!(
                    "the sources would offer ~{} Erlangs at their busiest (calls in progress at once, each held in \
                     memory); at most {}",
                    approx(w.erlangs),
                    grouped(MAX_OFFERED_ERLANGS as i64)
                ),
            );
        }
        if exceeds(w.attempts, MAX_CALLS_PER_REPLICATION) {
            let what = if w.attempts > w.calls {
                format!("call attempts (~{} calls, counting every redial blocked calls could make)", approx(w.calls))
            } else {
                "calls".to_owned()
            };
            problem(
                obj(),
                "duration",
                format!(
                    "one replication of \"{}\" would simulate ~{} {what}; at most {}: shorten the duration or \
                     lower the load",
                    crate::limits::short(self.duration),
                    approx(w.attempts),
                    grouped(MAX_CALLS_PER_REPLICATION as i64)
                ),
            );
        }
        if exceeds(w.episodes, MAX_FAILURE_EPISODES) {
            problem(
                obj(),
                "failure",
                format!(
                    "the random failures would start ~{} episodes per replication; at most {}: lengthen mtbf or mttr",
                    approx(w.episodes),
                    grouped(MAX_FAILURE_EPISODES as i64)
                ),
            );
        }
        out
    }
}

/// Above the bound, or not a number at all (never within it). Figures
/// derived in floating point get a part per billion, so a field at its
/// own bound (`erlangs = 100000`) is not refused for a rounding.
fn exceeds(x: f64, bound: f64) -> bool {
    x.is_nan() || x > bound * (1.0 + 1e-9)
}

/// Expected arrivals of a source over `[0, duration)`: its rate at each
/// local hour of the day, integrated, hour by hour as the arrivals are
/// drawn.
fn expected_arrivals(shape: &ArrivalShape, duration_us: u64) -> f64 {
    let day: f64 = shape.rates.iter().sum::<f64>() * 3600.0;
    let days = duration_us / (24 * HOUR_US);
    let mut total = days as f64 * day;
    let mut t = days * 24 * HOUR_US;
    while t < duration_us {
        let end = shape.hour_end(t).min(duration_us);
        total += shape.rates[shape.hour(t)] * (end - t) as f64 / 1e6;
        t = end;
    }
    total
}

/// The most redials a call of `src` makes on average: each attempt of the
/// chain blocked, each redialed with the source's probability.
fn redials_per_call(src: &Source) -> f64 {
    src.retry.map_or(0.0, |r| (1..=r.max_redials).map(|k| r.probability.powi(k as i32)).sum())
}

fn mean_busy_s(src: &Source) -> f64 {
    Source::mean_busy_s(src.answer_probability, &src.holding, &src.ring, src.no_answer_timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(rates: [f64; 24], start_hour: u64) -> ArrivalShape {
        let peak = rates.iter().cloned().fold(0.0, f64::max);
        ArrivalShape { rates, peak, mean_gap_us: 1e6 / peak, flat: false, shift_us: start_hour * HOUR_US }
    }

    #[test]
    fn arrivals_integrate_the_profile_from_the_start_hour() {
        let flat_at = |h| shape([2.0; 24], h);
        assert_eq!(expected_arrivals(&flat_at(0), HOUR_US), 7200.0);
        assert_eq!(expected_arrivals(&flat_at(5), 90 * 60 * 1_000_000), 10_800.0);
        // Busy only from 09:00 to 10:00.
        let mut rates = [0.0; 24];
        rates[9] = 1.0;
        let busy_at = |h| shape(rates, h);
        assert_eq!(expected_arrivals(&busy_at(9), HOUR_US), 3600.0);
        assert_eq!(expected_arrivals(&busy_at(8), HOUR_US), 0.0);
        assert_eq!(expected_arrivals(&busy_at(8), 2 * HOUR_US), 3600.0);
        // Ten whole days and a half hour into the busy hour.
        assert_eq!(expected_arrivals(&busy_at(8), 10 * 24 * HOUR_US + 3 * HOUR_US / 2), 10.0 * 3600.0 + 1800.0);
    }

    #[test]
    fn the_largest_run_is_counted_in_a_few_steps() {
        let flat_at = |h| shape([1000.0; 24], h);
        let calls = expected_arrivals(&flat_at(0), crate::limits::scenario::DURATION.max.0);
        assert_eq!(calls, 1000.0 * 3600.0 * 100_000.0);
    }
}
