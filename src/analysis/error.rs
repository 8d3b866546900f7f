//! The analysis layer's one error type.

/// Why an analysis could not be run.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// Worker threads could not be started: the machine refused, the
    /// input is not at fault.
    #[error("cannot start {threads} worker threads: {message}")]
    Workers { threads: usize, message: String },
    /// What was asked cannot be run as given: a sweep's parameter or one
    /// of its points, a growth step whose load or sizes break a field's
    /// range. The message names the flag or field.
    #[error("{0}")]
    Input(String),
    /// The scratch file a what-if keeps its pairs in could not be written
    /// or read back (the disk, not the input).
    #[error("the what-if's scratch file of pairs ({path}): {message}")]
    Scratch { path: String, message: String },
}

impl AnalysisError {
    /// Whether the user's input is at fault (else voicetwin or the
    /// machine is).
    pub fn is_input(&self) -> bool {
        matches!(self, AnalysisError::Input(_))
    }
}
