//! Findings as LSP diagnostics.

use crate::document::{Outcome, Snapshot};
use crate::position::{self, Encoding};
use coachlint_core::{ConfigError, Finding, Severity};
use ropey::Rope;
use serde_json::{Value, json};
use std::collections::HashMap;
use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range};

pub const SOURCE: &str = "coachlint";

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Hint => DiagnosticSeverity::HINT,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Error => DiagnosticSeverity::ERROR,
    }
}

/// One finding: its code, the configured severity, the message with the
/// related ICF markers in its tail, and the same markers (plus the rule's name
/// and category) in `data` for clients that want them.
pub fn finding(rope: &Rope, enc: Encoding, f: &Finding) -> Diagnostic {
    finding_with(rope, enc, f, rule_data(f))
}

/// What `data` holds for a finding's rule.
fn rule_data(f: &Finding) -> Value {
    json!({
        "name": f.rule.name,
        "category": f.category().as_str(),
        "icf": f.rule.icf,
    })
}

fn finding_with(rope: &Rope, enc: Encoding, f: &Finding, data: Value) -> Diagnostic {
    let icf = &f.rule.icf;
    let message = if icf.is_empty() {
        f.message.clone()
    } else {
        format!("{} (ICF {})", f.message, icf.join(", "))
    };
    Diagnostic {
        range: position::range(rope, enc, &f.span),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.code.clone())),
        source: Some(SOURCE.into()),
        message,
        data: Some(data),
        ..Default::default()
    }
}

/// Everything to publish for a snapshot.
pub fn for_snapshot(s: &Snapshot, enc: Encoding) -> Vec<Diagnostic> {
    match &s.outcome {
        Outcome::Analysis(a) => {
            // A long session has hundreds of findings of a few dozen rules.
            let mut data: HashMap<&str, Value> = HashMap::new();
            a.findings
                .iter()
                .map(|f| {
                    let d = data.entry(&f.rule.code).or_insert_with(|| rule_data(f));
                    finding_with(&s.rope, enc, f, d.clone())
                })
                .collect()
        }
        Outcome::NotTranscript => Vec::new(),
        Outcome::Unreadable(e) => {
            // 1-based line; the whole line, or the start of the file.
            let line = e.line.map_or(0, |l| l.saturating_sub(1));
            vec![Diagnostic {
                range: line_range(&s.rope, enc, line),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some(SOURCE.into()),
                message: format!("not a transcript coachlint can read: {}", e.message),
                ..Default::default()
            }]
        }
        Outcome::Panicked(msg) => vec![Diagnostic {
            range: Range::default(),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some(SOURCE.into()),
            message: format!(
                "coachlint failed on this document (an internal error, please report it): {msg}"
            ),
            ..Default::default()
        }],
    }
}

/// The range of a 0-based line without its line break (clamped to the text).
pub fn line_range(rope: &Rope, enc: Encoding, line: usize) -> Range {
    let line = line.min(rope.len_lines().saturating_sub(1));
    let start = rope.line_to_byte(line);
    let end = rope.line_to_byte((line + 1).min(rope.len_lines()));
    let text = rope.byte_slice(start..end).to_string();
    let body = text.trim_end_matches(['\n', '\r']).len();
    position::range(rope, enc, &(start..start + body))
}

/// A broken `.coachlint.toml`, shown on the line the error names.
pub fn config_error(text: Option<&str>, enc: Encoding, e: &ConfigError) -> Diagnostic {
    let line = e.line.map_or(0, |l| l.saturating_sub(1));
    let range = match text {
        Some(t) => line_range(&Rope::from_str(t), enc, line),
        None => Range::new(Position::new(line as u32, 0), Position::new(line as u32, 0)),
    };
    let message = match &e.key {
        Some(k) => format!(
            "`{k}`: {} (the last valid configuration stays in force)",
            e.message
        ),
        None => format!(
            "{} (the last valid configuration stays in force)",
            e.message
        ),
    };
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some(SOURCE.into()),
        message,
        ..Default::default()
    }
}
