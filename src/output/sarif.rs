//! SARIF 2.1.0, as GitHub code scanning accepts it: one run, the rules in
//! `tool.driver.rules`, one result per finding with a relative artifact URI
//! and a region whose columns count Unicode code points.

use super::Checked;
use coachlint_core::Severity;
use coachlint_core::rules::RuleMeta;
use coachlint_core::text::LineIndex;
use serde_json::{Value, json};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// The results of one file.
pub fn results(c: &Checked) -> Vec<Value> {
    let report = c.report();
    let location = |line, column, end_line, end_column| {
        json!({
            "physicalLocation": {
                "artifactLocation": { "uri": c.uri },
                "region": {
                    "startLine": line,
                    "startColumn": column,
                    "endLine": end_line,
                    "endColumn": end_column,
                }
            }
        })
    };
    report
        .diagnostics
        .iter()
        .zip(&c.analysis.findings)
        .map(|(d, f)| {
            let mut message = d.message.to_owned();
            if let Some(best) = d.rephrasings.first() {
                message.push_str(&format!(" Ask instead: \"{best}\""));
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [location(d.line, d.column, d.end_line, d.end_column)],
                "properties": {
                    "category": d.category,
                    "severity": d.severity,
                    "rephrasings": d.rephrasings,
                }
            });
            if let Some(best) = f.rephrasings.first().filter(|r| !r.edits.is_empty()) {
                result["fixes"] = json!([{
                    "description": { "text": format!("Ask instead: \"{}\"", best.text) },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": c.uri },
                        "replacements": best.edits.iter().map(|e| {
                            let (s, t) = region(&c.index, c.text, e.span.start, e.span.end);
                            json!({
                                "deletedRegion": {
                                    "startLine": s.0,
                                    "startColumn": s.1,
                                    "endLine": t.0,
                                    "endColumn": t.1,
                                },
                                "insertedContent": { "text": e.replacement },
                            })
                        }).collect::<Vec<_>>(),
                    }],
                }]);
            }
            result
        })
        .collect()
}

fn region(
    index: &LineIndex,
    text: &str,
    start: usize,
    end: usize,
) -> ((usize, usize), (usize, usize)) {
    let s = index.line_col(text, start);
    let e = index.line_col(text, end);
    ((s.line, s.column), (e.line, e.column))
}

/// A rule as a SARIF reporting descriptor.
pub fn rule(m: &RuleMeta) -> Value {
    let first_paragraph = m
        .explanation
        .split("\n\n")
        .next()
        .unwrap_or(&m.summary)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut help = m.explanation.clone();
    if !m.examples_fire.is_empty() {
        help.push_str("\n\nFires on:\n");
        for x in &m.examples_fire {
            help.push_str(&format!("- {x}\n"));
        }
    }
    if !m.examples_pass.is_empty() {
        help.push_str("\nDoes not fire on:\n");
        for x in &m.examples_pass {
            help.push_str(&format!("- {x}\n"));
        }
    }
    let mut tags = vec![m.category.as_str().to_owned(), "coaching".to_owned()];
    tags.extend(m.icf.iter().map(|i| format!("icf-{i}")));
    json!({
        "id": m.code,
        "name": m.name,
        "shortDescription": { "text": m.summary },
        "fullDescription": { "text": first_paragraph },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": level(m.severity) },
        "properties": { "tags": tags, "icf": m.icf, "category": m.category },
    })
}

/// The whole log.
pub fn document(rules: Vec<Value>, results: Vec<Value>) -> Value {
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "coachlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// A path as a SARIF artifact URI: relative paths (to the current directory,
/// which is the repository root in CI) with `/` separators, percent-encoded;
/// paths outside it as `file://` URIs.
pub fn uri(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = if path.is_absolute() {
        cwd.as_deref().and_then(|c| path.strip_prefix(c).ok())
    } else {
        Some(path)
    };
    match rel {
        Some(r) => {
            let parts: Vec<String> = r
                .components()
                .filter(|c| !matches!(c, std::path::Component::CurDir))
                .map(|c| encode(&c.as_os_str().to_string_lossy()))
                .collect();
            parts.join("/")
        }
        None => {
            let parts: Vec<String> = path
                .components()
                .filter_map(|c| match c {
                    std::path::Component::Normal(s) => Some(encode(&s.to_string_lossy())),
                    _ => None,
                })
                .collect();
            format!("file:///{}", parts.join("/"))
        }
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            uri(Path::new("./sessions/Maya Chen.vtt")),
            "sessions/Maya%20Chen.vtt"
        );
        assert_eq!(uri(Path::new("a/b.transcript")), "a/b.transcript");
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(uri(&cwd.join("x").join("y.srt")), "x/y.srt");
    }
}
