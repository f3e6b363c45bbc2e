//! Findings as LSP diagnostics.
//!
//! A keystroke in a long session republishes hundreds of diagnostics, so the
//! notification is serialized once, straight from the findings
//! ([`notification`]); [`for_snapshot`] builds the same diagnostics as values
//! for code actions and tests.

use crate::document::{Outcome, Snapshot};
use crate::position::{self, Encoding, LineIndex};
use coachlint_core::{ConfigError, Finding, Severity};
use ropey::Rope;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::{self, Write};
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range, Uri,
};

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
    Diagnostic {
        range: position::range(rope, enc, &f.span),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.code.clone())),
        source: Some(SOURCE.into()),
        message: Message(f).to_string(),
        data: Some(data),
        ..Default::default()
    }
}

/// A finding's message with its ICF markers in the tail.
struct Message<'a>(&'a Finding);

impl fmt::Display for Message<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (message, icf) = (&self.0.message, &self.0.rule.icf);
        if icf.is_empty() {
            return out.write_str(message);
        }
        write!(out, "{message} (ICF ")?;
        for (i, marker) in icf.iter().enumerate() {
            if i > 0 {
                out.write_str(", ")?;
            }
            out.write_str(marker)?;
        }
        out.write_str(")")
    }
}

/// [`finding`]'s diagnostic as it goes on the wire, borrowing from the finding.
#[derive(Serialize)]
struct WireFinding<'a> {
    range: Range,
    severity: DiagnosticSeverity,
    code: &'a str,
    source: &'static str,
    message: &'a str,
    data: WireRuleData<'a>,
}

/// [`rule_data`] on the wire.
#[derive(Serialize)]
struct WireRuleData<'a> {
    name: &'a str,
    category: &'a str,
    icf: &'a [String],
}

/// A snapshot's diagnostics, serialized without building them first.
struct WireDiagnostics<'a> {
    snapshot: &'a Snapshot,
    enc: Encoding,
}

impl Serialize for WireDiagnostics<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Outcome::Analysis(a) = &self.snapshot.outcome else {
            return for_snapshot(self.snapshot, self.enc).serialize(s);
        };
        let text = self.snapshot.rope.to_string();
        let lines = LineIndex::new(&text);
        let mut message = String::new();
        let mut seq = s.serialize_seq(Some(a.findings.len()))?;
        for f in &a.findings {
            message.clear();
            let _ = write!(message, "{}", Message(f));
            seq.serialize_element(&WireFinding {
                range: lines.range(self.enc, &f.span),
                severity: severity(f.severity),
                code: &f.rule.code,
                source: SOURCE,
                message: &message,
                data: WireRuleData {
                    name: &f.rule.name,
                    category: f.category().as_str(),
                    icf: &f.rule.icf,
                },
            })?;
        }
        seq.end()
    }
}

/// The `textDocument/publishDiagnostics` notification for a snapshot, as the
/// JSON-RPC message body.
pub fn snapshot_notification(
    uri: &Uri,
    s: &Snapshot,
    enc: Encoding,
) -> serde_json::Result<Vec<u8>> {
    let count = s.analysis().map_or(1, |a| a.findings.len());
    notification(
        uri,
        Some(s.version),
        &WireDiagnostics { snapshot: s, enc },
        count,
    )
}

/// A `textDocument/publishDiagnostics` notification as the JSON-RPC message
/// body; `version` last, as clients that scan for it expect.
pub fn notification(
    uri: &Uri,
    version: Option<i32>,
    diagnostics: &impl Serialize,
    diagnostics_hint: usize,
) -> serde_json::Result<Vec<u8>> {
    #[derive(Serialize)]
    struct Params<'a, D> {
        uri: &'a Uri,
        diagnostics: &'a D,
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<i32>,
    }
    #[derive(Serialize)]
    struct Notification<P> {
        jsonrpc: &'static str,
        method: &'static str,
        params: P,
    }
    let message = Notification {
        jsonrpc: "2.0",
        method: "textDocument/publishDiagnostics",
        params: Params {
            uri,
            diagnostics,
            version,
        },
    };
    // About 300 bytes a diagnostic: one allocation, not a dozen doublings.
    let mut out = Vec::with_capacity(4096 + diagnostics_hint * 320);
    serde_json::to_writer(&mut out, &message)?;
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Kind;
    use coachlint_core::{Config, TurnCache};
    use std::sync::Mutex;
    use tower_lsp_server::ls_types::PublishDiagnosticsParams;

    const ADVICE: &str = include_str!("../testdata/advice-heavy.transcript");

    fn snapshot(text: &str) -> Snapshot {
        Snapshot::analyze(
            1,
            7,
            Rope::from_str(text),
            Kind::Native,
            &Config::default(),
            coachlint_core::analyze_cached,
            &Mutex::new(TurnCache::default()),
        )
    }

    /// What `Client::publish_diagnostics` would send for the same diagnostics.
    fn through_the_client(uri: &Uri, s: &Snapshot, enc: Encoding) -> Value {
        let params = PublishDiagnosticsParams::new(uri.clone(), for_snapshot(s, enc), Some(7));
        json!({
            "jsonrpc": "2.0",
            "method": "textDocument/publishDiagnostics",
            "params": params,
        })
    }

    #[test]
    fn the_serialized_notification_is_what_the_client_would_send() {
        let uri: Uri = "file:///s/advice.transcript".parse().unwrap();
        // Multi-byte text before and inside findings, so encodings differ.
        let text = ADVICE.replace("Coach: ", "Coach: 😀 Ça va, ");
        for (text, findings) in [(ADVICE.to_owned(), 10), (text, 10)] {
            let s = snapshot(&text);
            assert!(s.analysis().unwrap().findings.len() >= findings);
            for enc in Encoding::ALL {
                let body = snapshot_notification(&uri, &s, enc).unwrap();
                let wire: Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(wire, through_the_client(&uri, &s, enc), "{enc:?}");
                // Clients that scan for the version find it closing the message.
                assert!(body.ends_with(br#""version":7}}"#));
            }
        }
    }

    #[test]
    fn messages_name_the_icf_markers() {
        let s = snapshot(ADVICE);
        let a = s.analysis().unwrap();
        let f = a.findings.iter().find(|f| f.rule.icf.len() >= 2).unwrap();
        let expected = format!("{} (ICF {})", f.message, f.rule.icf.join(", "));
        assert_eq!(Message(f).to_string(), expected);
    }
}
