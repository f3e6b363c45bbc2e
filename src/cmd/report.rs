//! `coachlint report`: owned by the report front end (`coachlint-report`).

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Transcript files or directories.
    pub paths: Vec<PathBuf>,
}

pub fn run(_: Args) -> ExitCode {
    eprintln!("coachlint report: not built yet");
    ExitCode::from(2)
}
