//! The discrete-event engine: clock, event queue, calls, resources,
//! failures, and what happened, asking `voice` where each call goes.

mod admission;
mod arrival;
mod attempt;
mod call;
pub mod cdr;
pub mod cost;
mod counting;
pub mod engine;
mod faults;
pub mod footprint;
pub mod hunting;
pub mod loss;
pub mod media;
pub mod metrics;
pub mod queue;
mod reach;
mod replication;
mod resources;
mod responses;
pub mod scoring;
pub mod slab;
pub mod trace;
pub mod wan;

pub use footprint::results_bytes;
pub use reach::Reachability;
pub use replication::{run_replication, run_replication_with, Replication};
pub use wan::WanState;
