//! Scenarios: an experiment on a model (traffic, duration, warm-up,
//! replications, seed), validated into a [`Scenario`].

pub mod file;
mod load;

use std::fmt;

pub use load::{builtin, load_file, load_str, BUILTIN_SCENARIOS};

use crate::model::{Micros, ModelError, Problem};
use crate::traffic::Source;

/// Per-hop SIP latency and far-end setup time, for post-dial delay.
#[derive(Debug, Clone, Copy)]
pub struct Signalling {
    /// One SIP hop (client -> Front End, Front End -> Mediation, Mediation -> peer).
    pub hop_latency: Micros,
    /// From the INVITE reaching the peer to ringback from the far end.
    pub pstn_setup: Micros,
}

/// A validated scenario; its sources refer to the model by id.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Where it came from (a path, or `name (built in)`).
    pub source: String,
    pub name: String,
    pub description: String,
    /// The model reference as written.
    pub model: String,
    pub duration: Micros,
    pub warm_up: Micros,
    pub replications: u32,
    pub seed: u64,
    pub bucket: Micros,
    pub start_hour: u8,
    pub out: String,
    pub signalling: Signalling,
    pub sources: Vec<Source>,
    /// The scenario text as read, written into each run folder.
    pub text: String,
}

/// Why a scenario could not be loaded (exit status 2).
#[derive(Debug)]
pub enum ScenarioError {
    Read {
        file: String,
        message: String,
    },
    Syntax {
        file: String,
        message: String,
    },
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
    /// The scenario's model did not load.
    Model(ModelError),
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Read { file, message } => write!(f, "{file}: cannot read the scenario file: {message}"),
            ScenarioError::Syntax { file, message } => write!(f, "{file}: {message}"),
            ScenarioError::Invalid { file, problems } => {
                write!(f, "{file}: {} problem(s) in the scenario", problems.len())?;
                for p in problems {
                    write!(f, "\n  {file}: {p}")?;
                }
                Ok(())
            }
            ScenarioError::Model(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ScenarioError {}
