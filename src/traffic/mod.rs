//! Load generation: who calls, when, what they dial, for how long.

pub mod cdr;
pub mod dial;
pub mod holding;
pub mod source;

pub use dial::{DialMix, DialTemplate};
pub use holding::Holding;
pub use source::{Origin, Source};
