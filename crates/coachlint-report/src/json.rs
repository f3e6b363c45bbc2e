//! The JSON report: the `check` contract (`version`, `files`) plus the report's
//! own figures under `report`, so a tool that reads `check` output reads this too.

use crate::summary::{Overall, Summary};
use crate::{Order, Report};
use coachlint_core::output::{FileReport, VERSION};
use serde::Serialize;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files: Vec<FileReport<'a>>,
    report: Aggregates<'a>,
}

#[derive(Serialize)]
struct Aggregates<'a> {
    generator: String,
    /// How `files` and `sessions` are ordered.
    order: Order,
    /// Parallel to `files`.
    sessions: Vec<&'a Summary>,
    overall: Overall,
    /// Files that could not be read, with why.
    skipped: Vec<Skipped<'a>>,
}

#[derive(Serialize)]
struct Skipped<'a> {
    path: String,
    message: &'a str,
}

pub fn render(report: &Report) -> String {
    let out = JsonReport {
        version: VERSION,
        files: report
            .sessions
            .iter()
            .map(|s| FileReport::new(&s.summary.path, &s.text, &s.analysis))
            .collect(),
        report: Aggregates {
            generator: format!("coachlint {}", env!("CARGO_PKG_VERSION")),
            order: report.order,
            sessions: report.sessions.iter().map(|s| &s.summary).collect(),
            overall: Overall::new(report.sessions.iter().map(|s| &s.summary)),
            skipped: report
                .failures
                .iter()
                .map(|f| Skipped {
                    path: f.path.display().to_string(),
                    message: &f.message,
                })
                .collect(),
        },
    };
    // Every value here is a plain number, string or list: serialising cannot fail.
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_else(|e| {
        format!(
            "{{\"version\":{VERSION},\"error\":\"{}\"}}",
            e.to_string().replace('"', "'")
        )
    });
    s.push('\n');
    s
}
