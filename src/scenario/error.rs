//! The scenario layer's one error type.

use crate::model::error::render_problems;
use crate::model::{ModelError, Problem};

/// Why a scenario could not be loaded: always the user's input.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{file}: cannot read the scenario file: {message}")]
    Read { file: String, message: String },
    #[error("{file}: {message}")]
    Syntax { file: String, message: String },
    #[error("{}", render_problems(file, problems, "scenario"))]
    Invalid { file: String, problems: Vec<Problem> },
    /// The scenario's model did not load: the one its `model` field names
    /// (`scenario` is then the scenario file), or the one given instead.
    #[error("{}", model_failure(scenario.as_deref(), error))]
    Model { scenario: Option<String>, error: ModelError },
    /// A command-line value in place of a file field is out of its
    /// range; `flag` names it as given (`--seed 42`).
    #[error("{flag}: {message}")]
    Override { flag: String, message: String },
}

fn model_failure(scenario: Option<&str>, error: &ModelError) -> String {
    match scenario {
        Some(file) => format!("{file}: the scenario, field `model`: {error}"),
        None => error.to_string(),
    }
}
