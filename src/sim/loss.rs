//! The textbook loss system on the engine's kernel alone: the event queue
//! over the integer clock, named PCG streams, the holding-time sampler and
//! the occupancy integral of one trunk group, with no dial string, routing,
//! media or voice-quality scoring. A call arrives, takes a channel or is
//! blocked, and releases its channel at the end of its holding time.
//!
//! It exists so that the kernel can be measured and checked apart from the
//! voice layers above it: `benches/simulation.rs` times it, the SimPy
//! comparison (`benches/peers/`) runs it beside an idiomatic SimPy model of
//! the same system, and `tests/erlang_b.rs` checks it against Erlang B. A
//! whole call through routing is measured by the full engine
//! ([`run_replication`](super::run_replication)) on the same system.

use rand::RngExt;
use rand_distr::Exp1;

use crate::rng::stream;
use crate::traffic::Holding;

use super::metrics::{Occupancy, Window};
use super::queue::EventQueue;

/// One trunk group offered Poisson traffic with exponential holding times.
#[derive(Debug, Clone, Copy)]
pub struct LossSystem {
    pub channels: u32,
    /// Offered traffic, in Erlangs.
    pub erlangs: f64,
    /// Mean holding time, in µs.
    pub mean_holding_us: u64,
}

/// What one run of a [`LossSystem`] measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LossRun {
    pub offered: u64,
    pub blocked: u64,
    /// Mean channels in use from the first arrival to the last event.
    pub carried_erlangs: f64,
    /// Most channels in use at once.
    pub peak: u32,
    pub events: u64,
}

impl LossRun {
    /// The blocked share of the offered calls.
    pub fn blocking(&self) -> f64 {
        if self.offered == 0 {
            0.0
        } else {
            self.blocked as f64 / self.offered as f64
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Event {
    Arrival,
    Release,
}

impl LossSystem {
    /// The E1 at 1% blocking: 30 channels, 20.34 Erlangs, 180 s calls (the
    /// built-in `single-trunk-group` scenario).
    pub fn e1() -> Self {
        Self { channels: 30, erlangs: 20.34, mean_holding_us: 180_000_000 }
    }

    /// Offers `calls` calls; replication `replication` of `seed` draws from
    /// its own streams, as the engine's replications do.
    pub fn run(&self, calls: u64, seed: u64, replication: u32) -> LossRun {
        // One bucket over all time: only the integral is wanted.
        let window = Window { warm_up: 0, end: u64::MAX, bucket: u64::MAX };
        let mut channels = Occupancy::new(Some(self.channels), &window);
        let mut arrivals = stream(seed, replication, "arrivals");
        let mut holding_rng = stream(seed, replication, "holding");
        let holding = Holding::exponential(self.mean_holding_us.max(1)).expect("a positive mean");
        let mean_gap_us = self.mean_holding_us as f64 / self.erlangs;
        let mut queue = EventQueue::new();
        let mut out = LossRun { offered: 0, blocked: 0, carried_erlangs: 0.0, peak: 0, events: 0 };
        // Arrival times accumulate in f64 so that gaps shorter than a
        // microsecond are not rounded away (as in the engine's sources).
        let mut t = 0.0f64;
        let next_arrival = |t: &mut f64, rng: &mut crate::rng::Stream| {
            let gap: f64 = rng.sample(Exp1);
            *t += gap * mean_gap_us;
            *t as u64
        };
        if calls > 0 && self.erlangs > 0.0 {
            queue.schedule(next_arrival(&mut t, &mut arrivals), Event::Arrival);
        }
        while let Some((now, ev)) = queue.pop() {
            out.events += 1;
            match ev {
                Event::Arrival => {
                    out.offered += 1;
                    if out.offered < calls {
                        queue.schedule(next_arrival(&mut t, &mut arrivals), Event::Arrival);
                    }
                    if channels.has_room() {
                        channels.seize(now, &window);
                        queue.schedule(now + holding.sample(&mut holding_rng), Event::Release);
                    } else {
                        out.blocked += 1;
                    }
                }
                Event::Release => channels.release(now, &window),
            }
        }
        // The integral already runs to the last event.
        let end = queue.now();
        out.carried_erlangs = if end > 0 { channels.area() / end as f64 } else { 0.0 };
        out.peak = channels.peak;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conservation_and_bounds() {
        let r = LossSystem { channels: 5, erlangs: 6.0, mean_holding_us: 60_000_000 }.run(20_000, 1, 0);
        assert_eq!(r.offered, 20_000);
        assert!(r.blocked > 0 && r.blocked < r.offered);
        assert_eq!(r.events, r.offered + (r.offered - r.blocked), "an arrival per call, a release per carried call");
        assert_eq!(r.peak, 5);
        assert!(r.carried_erlangs > 0.0 && r.carried_erlangs <= 5.0);
    }

    #[test]
    fn same_seed_same_run_other_seed_other_run() {
        let s = LossSystem::e1();
        assert_eq!(s.run(10_000, 7, 0), s.run(10_000, 7, 0));
        assert_ne!(s.run(10_000, 7, 0), s.run(10_000, 7, 1));
    }

    #[test]
    fn nothing_offered_nothing_run() {
        let r = LossSystem::e1().run(0, 1, 0);
        assert_eq!((r.offered, r.events), (0, 0));
    }
}
