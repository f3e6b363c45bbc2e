//! `coachlint report`: one transcript or a folder of them as an HTML page, a
//! Markdown summary or JSON. A file that cannot be read is reported and
//! skipped; the report of the rest is still written, and the exit code is 2.

use coachlint_report::{Format, LoadOptions, RenderOptions, Report, render};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// The coach's name, over the configuration and front matter (repeat for several).
    #[arg(long, value_name = "NAME")]
    pub coach: Vec<String>,
    /// The report's title [default: the session's topic, or the coach's name].
    #[arg(long)]
    pub title: Option<String>,
    /// For several sessions: only the index and trends, without each session's details.
    #[arg(long)]
    pub summary_only: bool,
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
    let report = Report::load(
        &args.paths,
        &LoadOptions {
            coach: args.coach,
            progress: !args.no_progress,
        },
    );
    for f in &report.failures {
        eprintln!("error: {}", f.message);
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
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| format!("cannot write the report to standard output: {e}"))
        }
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return ExitCode::from(2);
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
