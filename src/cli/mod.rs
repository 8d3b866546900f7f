//! The `voicetwin` command's own code: arguments, shared wiring and one
//! function per command. Everything else lives in the library.

pub mod args;
pub mod commands;
pub mod setup;

/// How a command failed: bad input (exit 2) or anything else (exit 1).
pub enum Failure {
    Input(String),
    Other(String),
}
