//! Analyses over simulations: teletraffic theory, statistics, replications.

pub mod erlang;
pub mod stats;
