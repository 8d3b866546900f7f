//! Analyses over simulations: teletraffic theory, statistics, replications.

pub mod erlang;
pub mod figures;
pub mod plan;
pub mod run;
pub mod stats;
pub mod summary;
pub mod sweep;
pub mod whatif;
