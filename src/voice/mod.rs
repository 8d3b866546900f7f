//! Enterprise Voice semantics: the real routing code. Pure functions of the
//! [`Model`](crate::model::Model) and their arguments: no clock, no
//! randomness. The same functions serve `voicetwin route` and the simulator.

pub mod attempt;
pub mod decide;
pub mod explain;
pub mod lint;
pub mod normalize;
pub mod response;
pub mod selection;
pub mod sip;
pub mod translate;

pub use attempt::{prepare, prepare_into, Attempt};
pub use decide::{Caller, Decision, Outcome, Router, UsageSource};
pub use explain::{explain, Explanation};
pub use response::{verdict, AttemptResult, Verdict};
pub use selection::{Candidate, TrunkHealth, TrunkStates};
