//! Session reports for supervisors and coaches: HTML, Markdown and JSON.
//!
//! A [`Report`] is one or more analysed sessions ([`Session`]), in order (by
//! front-matter date, else by file name), plus the files that could not be
//! read. Each session carries a [`Summary`]: the figures a supervisor looks at
//! (talk share against the coaching green zone, question ratio, conversation
//! modes, MITI-style counts, ICF PCC marker evidence, findings by category).
//! [`render`] turns a report into one self-contained HTML page (inline CSS and
//! SVG, no script, no network), Markdown for pasting into feedback, or JSON
//! (the `check` contract plus the summaries).
//!
//! Everything here reads the engine's [`Analysis`]; nothing is re-detected.

mod charts;
mod escape;
mod excerpt;
mod html;
mod json;
mod load;
mod markdown;
mod summary;

pub use load::{ConfigSource, Failure, LoadOptions};
pub use summary::{
    CategoryCount, GREEN_ZONE, MITI_RQ_FAIR, MITI_RQ_GOOD, MarkerRow, Miti, ModeShare, Overall,
    RqLevel, Segment, SessionDate, Summary,
};

use coachlint_core::text::LineIndex;
use coachlint_core::{Analysis, Config, ConfigError, ParseError};
use serde::Serialize;
use std::path::PathBuf;

/// One analysed transcript.
#[derive(Debug)]
pub struct Session {
    /// The path as given (or found under a given directory); `-` for standard input.
    pub path: PathBuf,
    /// The text the analysis was made from: excerpts and line numbers come from it.
    pub text: String,
    pub analysis: Analysis,
    pub summary: Summary,
    lines: LineIndex,
}

impl Session {
    /// Analyses one transcript. `path` is only a name: nothing is read from it.
    pub fn new(
        path: impl Into<PathBuf>,
        text: String,
        config: &Config,
    ) -> Result<Session, ParseError> {
        let path = path.into();
        let analysis = coachlint_core::analyze(&text, config)?;
        let lines = LineIndex::new(&text);
        let summary = Summary::new(&path.display().to_string(), &text, &lines, &analysis);
        Ok(Session {
            path,
            text,
            analysis,
            summary,
            lines,
        })
    }

    /// The 1-based line of a source byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.line_col(&self.text, offset).line
    }

    /// The 1-based line where a turn starts (its label, or its text).
    pub fn turn_line(&self, turn: usize) -> usize {
        self.analysis
            .transcript
            .turns
            .get(turn)
            .map_or(1, |t| self.line_of(t.start()))
    }
}

/// How the sessions of a report are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// Every session has a front-matter date.
    Date,
    /// No session has a readable date.
    FileName,
    /// Dated sessions first, by date; then the others by file name.
    DateThenFileName,
}

impl Order {
    pub fn describe(self) -> &'static str {
        match self {
            Order::Date => "by session date",
            Order::FileName => "by file name",
            Order::DateThenFileName => {
                "by session date; sessions without a date follow, by file name"
            }
        }
    }
}

/// The sessions to report on, in order, and the files skipped.
#[derive(Debug)]
pub struct Report {
    pub sessions: Vec<Session>,
    pub failures: Vec<Failure>,
    pub order: Order,
    /// Things worth saying that are not failures: a `.txt` in a folder that is
    /// not a transcript, a `--coach` that names nobody.
    pub notes: Vec<String>,
}

impl Report {
    /// Orders the sessions: by front-matter date where there is one, else by
    /// file name (then by path, so the order never depends on the input order).
    pub fn new(mut sessions: Vec<Session>, failures: Vec<Failure>) -> Report {
        sessions.sort_by_cached_key(|s| {
            let name = s
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                s.summary.sort_date.is_none(),
                s.summary.sort_date,
                s.summary.sort_date.and(s.summary.date.clone()),
                name,
                s.path.clone(),
            )
        });
        let dated = sessions
            .iter()
            .filter(|s| s.summary.sort_date.is_some())
            .count();
        let order = if dated == sessions.len() && dated > 0 {
            Order::Date
        } else if dated == 0 {
            Order::FileName
        } else {
            Order::DateThenFileName
        };
        Report {
            sessions,
            failures,
            order,
            notes: Vec::new(),
        }
    }

    /// Reads, analyses and orders the transcripts named by `paths` (files, or
    /// directories searched for transcripts; `-` is standard input), in
    /// parallel. A file that cannot be read or parsed becomes a [`Failure`]
    /// and the rest go on; the error is for options that stop everything (a
    /// `--config` file that is wrong, a `--select` naming no rule).
    pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Result<Report, ConfigError> {
        load::load(paths, options)
    }

    /// Whether this is a report on several sessions (index and trends).
    pub fn is_series(&self) -> bool {
        self.sessions.len() > 1
    }
}

/// The form of the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One self-contained page: inline CSS and SVG, no script, no network.
    Html,
    /// For pasting into feedback.
    Markdown,
    /// The `check` JSON contract plus the report's summaries.
    Json,
}

impl Format {
    /// The format a file name asks for, by its extension.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "html" | "htm" | "xhtml" => Format::Html,
            "md" | "markdown" => Format::Markdown,
            "json" => Format::Json,
            _ => return None,
        })
    }
}

/// Choices that change what a report shows.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// The report's title; by default it names the session or the coach.
    pub title: Option<String>,
    /// For several sessions: the index and trends only, without each session's details.
    pub summary_only: bool,
}

/// Renders a report. Deterministic: the same sessions give the same bytes.
pub fn render(report: &Report, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Html => html::render(report, options),
        Format::Markdown => markdown::render(report, options),
        Format::Json => json::render(report),
    }
}

/// The report's default title.
pub(crate) fn title(report: &Report, options: &RenderOptions) -> String {
    if let Some(t) = &options.title {
        return t.clone();
    }
    match report.sessions.as_slice() {
        [one] => format!("Session report: {}", one.summary.title),
        many => {
            let mut coaches: Vec<&str> = many
                .iter()
                .flat_map(|s| s.summary.coach.iter().map(String::as_str))
                .collect();
            coaches.sort_unstable();
            coaches.dedup();
            match coaches.as_slice() {
                [] => format!("{} coaching sessions", many.len()),
                [c] => format!("{} coaching sessions: {c}", many.len()),
                _ => format!("{} coaching sessions: {}", many.len(), coaches.join(", ")),
            }
        }
    }
}
