//! Results for people and files: the terminal text of each command, the
//! writers of the results folders (each file through its type of the
//! result schema, `analysis::schema`), and the design-review report
//! (`review`), which reads a folder back through the same types.

pub mod calibration;
pub mod charts;
pub mod figure;
pub mod folder;
pub mod limits;
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
