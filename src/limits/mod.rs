//! The range of every number a model, a scenario or the command line may
//! give, in one place.
//!
//! Each range is generous for real networks and small enough that no
//! accepted input can overflow the microsecond clock or an index type,
//! stop the clock, or make a run's work and memory grow without bound.
//! Loading checks every field against these ranges and reports a value
//! outside one with the file, the object and the field (exit status 2);
//! `docs/model.md` and `docs/scenario.md` list them with their reasons.

pub mod generate;
pub mod model;
mod ranges;
pub mod scenario;

pub use ranges::{approx, grouped, number, short, Real, Span, Whole};
