//! Rendering of results for people (text) and files (JSON, CSV); JSON
//! comes from the serde derives of the result types themselves.

pub mod cells;
pub mod charts;
pub mod figure;
pub mod folder;
pub mod lint;
pub mod plan;
pub mod png;
pub mod qos;
pub mod review;
pub mod route;
pub mod rule;
pub mod run;
pub mod sweep;
pub mod whatif;
