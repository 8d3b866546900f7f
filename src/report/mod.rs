//! Rendering of results for people (text); JSON comes from the serde
//! derives of the result types themselves.

pub mod lint;
pub mod route;
