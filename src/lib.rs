//! voicetwin: a discrete-event simulator and digital twin of a Lync Server
//! 2013 Enterprise Voice network.
//!
//! Layers, bottom up: [`pattern`] (the .NET regex dialect), [`model`]
//! (files to a validated, indexed model), [`voice`] (the routing code Lync
//! runs), [`report`] (rendering).

pub mod analysis;
pub mod generate;
pub mod limits;
pub mod model;
pub mod pattern;
pub mod qos;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod traffic;
pub mod voice;
