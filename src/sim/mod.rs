//! The discrete-event engine: clock, event queue, calls, resources, and
//! what happened, asking `voice` where each call goes.

pub mod engine;
pub mod metrics;
pub mod queue;
pub mod slab;

pub use engine::{run_replication, Replication};
