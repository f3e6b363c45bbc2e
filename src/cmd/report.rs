//! `coachlint report`: one transcript or a folder of them as an HTML page, a
//! Markdown summary or JSON. Configuration flags work as for `check`. A file
//! that cannot be read is reported and skipped; the report of the rest is
//! still written, and the exit code is 2.

use super::options::ConfigArgs;
use coachlint_report::{ConfigSource, Format, LoadOptions, RenderOptions, Report, render};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Above this many sessions, an HTML report with details gets a note about its size.
const LARGE: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// One self-contained page: inline CSS and SVG, no script, no network.
    Html,
    /// Markdown, for pasting into feedback.
    #[value(alias = "markdown")]
    Md,
    /// The `check` JSON contract plus the report's figures.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// Transcript files or directories (searched for transcripts); `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The form of the report [default: from the --output extension, else html].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// The report's title [default: the session's topic, or the coach's name].
    #[arg(long)]
    pub title: Option<String>,
    /// For several sessions: only the index and trends, without each session's details.
    #[arg(long)]
    pub summary_only: bool,
    #[command(flatten)]
    pub configuration: ConfigArgs,
    /// Never show a progress bar (it is only shown on a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,
}

pub fn run(args: Args) -> ExitCode {
    let format = match args.format {
        Some(FormatArg::Html) => Format::Html,
        Some(FormatArg::Md) => Format::Markdown,
        Some(FormatArg::Json) => Format::Json,
        None => args
            .output
            .as_deref()
            .and_then(Format::from_extension)
            .unwrap_or(Format::Html),
    };
    let options = LoadOptions {
        config: match (&args.configuration.config, args.configuration.no_config) {
            (Some(p), _) => ConfigSource::File(p.clone()),
            (None, true) => ConfigSource::Defaults,
            (None, false) => ConfigSource::Discover,
        },
        overrides: args.configuration.overrides(),
        stdin_name: args.configuration.stdin_filename,
        progress: !args.no_progress,
    };
    let report = match Report::load(&args.paths, &options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for f in &report.failures {
        eprintln!("error: {}", f.message);
    }
    for n in &report.notes {
        eprintln!("note: {n}");
    }
    if report.sessions.is_empty() {
        eprintln!("error: no transcript could be read; no report written");
        return ExitCode::from(2);
    }
    let text = render(
        &report,
        format,
        &RenderOptions {
            title: args.title,
            summary_only: args.summary_only,
        },
    );
    let written = match &args.output {
        Some(path) => std::fs::write(path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                // A reader that went away (`| head`) is not an error worth a message.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write the report to standard output: {e}"))
                }
                _ => Ok(()),
            }
        }
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    // A page with hundreds of sessions' details is tens of megabytes: slow to open.
    if format == Format::Html && !args.summary_only && report.sessions.len() > LARGE {
        eprintln!(
            "note: {} sessions with every session's details make a large page ({} MB); --summary-only writes the index and trends only",
            report.sessions.len(),
            text.len().div_ceil(1024 * 1024)
        );
    }
    if let Some(path) = &args.output {
        eprintln!(
            "wrote {} ({} session{}{})",
            path.display(),
            report.sessions.len(),
            if report.sessions.len() == 1 { "" } else { "s" },
            if report.failures.is_empty() {
                String::new()
            } else {
                format!(", {} file(s) skipped", report.failures.len())
            }
        );
    }
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
