//! Analyses over simulations: teletraffic theory, statistics, replications.

pub mod calibrate;
pub mod erlang;
pub mod error;
pub mod figures;
pub mod findings;
pub mod interaction;
pub mod paired;
pub mod parts;
pub mod plan;
pub mod replay;
pub mod results;
pub mod run;
pub mod schema;
pub mod shard;
pub mod stats;
pub mod summary;
pub mod sums;
pub mod sweep;
pub mod whatif;
pub mod workers;

pub use error::AnalysisError;
