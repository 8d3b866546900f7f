//! The `voicetwin` command: argument parsing, output format and exit codes
//! (`cli/`). Everything else lives in the library.

mod cli;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

use cli::args::{Cli, Command};
use cli::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => commands::run(a),
        Command::Replay(a) => cli::replay::replay(a),
        Command::Whatif(a) => commands::whatif(a),
        Command::Plan(a) => commands::plan(a),
        Command::Sweep(a) => commands::sweep(a),
        Command::Route(a) => commands::route(a),
        Command::Rule(a) => commands::rule(a),
        Command::Check(a) => commands::check(a),
        Command::Report(a) => cli::setup::review(&a.dir, true),
        Command::Qos(a) => commands::qos(a),
        Command::Import(a) => commands::import(a),
        Command::Export(a) => commands::export(a),
        Command::Calibrate(a) => cli::calibrate::calibrate(a),
        Command::Merge(a) => cli::study::merge(a),
        Command::Generate(a) => cli::generate::generate(a),
    };
    let Err(failure) = result else { return ExitCode::SUCCESS };
    // A closed stderr is no reason to panic either.
    let _ = writeln!(std::io::stderr(), "error: {failure}");
    ExitCode::from(failure.exit_code())
}
