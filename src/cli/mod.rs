//! The `voicetwin` command's own code: arguments, shared wiring and one
//! function per command. Everything else lives in the library.

pub mod args;
pub mod calibrate;
pub mod cdr_options;
pub mod commands;
pub mod generate;
pub mod replay;
pub mod setup;
pub mod study;

use voicetwin::analysis::AnalysisError;
use voicetwin::model::import::ImportError;
use voicetwin::model::ModelError;
use voicetwin::report::folder::FolderError;
use voicetwin::report::review::ReportError;
use voicetwin::scenario::ScenarioError;

/// Why a command failed: a layer's error as it is, a command-line value,
/// or output that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// A command-line value is wrong; the message names the flag.
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Cdr(#[from] voicetwin::traffic::cdr::CdrError),
    /// Standard output or a JSON rendering failed.
    #[error("{0}")]
    Output(String),
}

impl Failure {
    /// The one place exit statuses are decided: 2 when the user's input
    /// is at fault (a file, a flag, a folder that is not voicetwin's),
    /// 1 when voicetwin or the machine is.
    pub fn exit_code(&self) -> u8 {
        const INPUT: u8 = 2;
        const OWN: u8 = 1;
        let folder = |e: &FolderError| match e {
            FolderError::Refused(_) | FolderError::Incomplete(_) => INPUT,
            FolderError::Io(_) => OWN,
        };
        match self {
            Failure::Input(_) | Failure::Model(_) | Failure::Scenario(_) | Failure::Import(_) | Failure::Cdr(_) => {
                INPUT
            }
            Failure::Analysis(e) if e.is_input() => INPUT,
            Failure::Analysis(_) | Failure::Output(_) => OWN,
            Failure::Folder(e) => folder(e),
            Failure::Report(ReportError::Io(_)) => OWN,
            Failure::Report(ReportError::Folder(e)) => folder(e),
            Failure::Report(_) => INPUT,
        }
    }
}
