//! SARIF 2.1.0, as GitHub code scanning accepts it: one run, the rules in
//! `tool.driver.rules`, one result per finding with a relative artifact URI
//! and a region whose columns count Unicode code points.

use super::{Checked, json};
use coachlint_core::output::{Diagnostic, positions};
use coachlint_core::rules::RuleMeta;
use coachlint_core::text::LineCol;
use coachlint_core::{Finding, Severity};
use serde_json::{Value, json};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

// The log is written as it goes, like the JSON output, rather than built whole:
// its keys stand in serde_json's (sorted) order, so the results come before the
// rules, which are known only at the end. The bytes are those of
// `json::pretty(&document(rules, results))` (tested).

/// What comes before the first result.
pub fn begin() -> String {
    format!(
        "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"runs\": [\n    {{\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ["
    )
}

/// The results of one file, each after a comma and a line break (the first
/// result of the log goes without the comma).
pub fn results(c: &Checked) -> Vec<u8> {
    let mut out = Vec::new();
    // Escaped once: the URI for every result, the best rephrasing for its
    // three or four appearances in a result.
    let mut uri = Vec::new();
    json::string(&mut uri, c.uri);
    let mut best = Vec::new();
    for f in &c.analysis.findings {
        json::newline(&mut out, RESULT, true);
        best.clear();
        if let Some(r) = f.rephrasings.first() {
            json::escaped(&mut best, &r.text);
        }
        result(&mut out, c, f, &uri, &best);
    }
    out
}

/// The depth of a result in the log.
const RESULT: usize = 4;

/// `uri` is the file's, quoted; `best` the best rephrasing's text, escaped.
fn result(out: &mut Vec<u8>, c: &Checked, f: &Finding, uri: &[u8], best_text: &[u8]) {
    let d = Diagnostic::new(f, c.text, &c.index);
    let found = (
        LineCol {
            line: d.line,
            column: d.column,
        },
        LineCol {
            line: d.end_line,
            column: d.end_column,
        },
    );
    let k = RESULT + 1;
    out.push(b'{');
    let fix = f.rephrasings.first().filter(|r| !r.pieces.is_empty());
    if let Some(best) = fix {
        json::key(out, k, true, "fixes");
        out.push(b'[');
        json::newline(out, k + 1, false);
        out.push(b'{');
        json::key(out, k + 2, true, "artifactChanges");
        out.push(b'[');
        json::newline(out, k + 3, false);
        out.push(b'{');
        json::key(out, k + 4, true, "artifactLocation");
        location(out, k + 4, uri);
        json::key(out, k + 4, false, "replacements");
        json::list(out, k + 4, &best.edits(), |out, e, depth| {
            out.push(b'{');
            json::key(out, depth + 1, true, "deletedRegion");
            // The edit mostly replaces the finding's own span.
            let at = if e.span == f.span {
                found
            } else {
                positions(c.text, &c.index, &e.span)
            };
            region(out, depth + 1, at);
            json::key(out, depth + 1, false, "insertedContent");
            text_start(out, depth + 1);
            json::escaped(out, &e.replacement);
            text_end(out, depth + 1);
            close(out, depth, b'}');
        });
        close(out, k + 3, b'}');
        close(out, k + 2, b']');
        json::key(out, k + 2, false, "description");
        text_start(out, k + 2);
        out.extend_from_slice(b"Ask instead: \\\"");
        out.extend_from_slice(best_text);
        out.extend_from_slice(b"\\\"");
        text_end(out, k + 2);
        close(out, k + 1, b'}');
        close(out, k, b']');
    }
    json::key(out, k, fix.is_none(), "level");
    json::name(out, level(d.severity));
    json::key(out, k, false, "locations");
    out.push(b'[');
    json::newline(out, k + 1, false);
    out.push(b'{');
    json::key(out, k + 2, true, "physicalLocation");
    out.push(b'{');
    json::key(out, k + 3, true, "artifactLocation");
    location(out, k + 3, uri);
    json::key(out, k + 3, false, "region");
    region(out, k + 3, found);
    close(out, k + 2, b'}');
    close(out, k + 1, b'}');
    close(out, k, b']');
    json::key(out, k, false, "message");
    text_start(out, k);
    json::escaped(out, d.message);
    if !d.rephrasings.is_empty() {
        out.extend_from_slice(b" Ask instead: \\\"");
        out.extend_from_slice(best_text);
        out.extend_from_slice(b"\\\"");
    }
    text_end(out, k);
    json::key(out, k, false, "properties");
    out.push(b'{');
    json::key(out, k + 1, true, "category");
    json::name(out, json::category(d.category));
    json::key(out, k + 1, false, "rephrasings");
    json::list(out, k + 1, d.rephrasings, |out, r, _| {
        json::string(out, &r.text)
    });
    json::key(out, k + 1, false, "severity");
    json::name(out, json::severity(d.severity));
    close(out, k, b'}');
    json::key(out, k, false, "ruleId");
    json::string(out, d.code);
    close(out, RESULT, b'}');
}

/// Ends an object or list whose members stood one level below `depth`.
fn close(out: &mut Vec<u8>, depth: usize, bracket: u8) {
    json::newline(out, depth, false);
    out.push(bracket);
}

/// `{ "text": "` at `depth`: the text goes next, escaped, then [`text_end`].
fn text_start(out: &mut Vec<u8>, depth: usize) {
    out.push(b'{');
    json::key(out, depth + 1, true, "text");
    out.push(b'"');
}

fn text_end(out: &mut Vec<u8>, depth: usize) {
    out.push(b'"');
    close(out, depth, b'}');
}

/// `{ "uri": … }` at `depth`, `uri` being quoted already.
fn location(out: &mut Vec<u8>, depth: usize, uri: &[u8]) {
    out.push(b'{');
    json::key(out, depth + 1, true, "uri");
    out.extend_from_slice(uri);
    close(out, depth, b'}');
}

/// A region at `depth`, from `s` to `e`.
fn region(out: &mut Vec<u8>, depth: usize, (s, e): (LineCol, LineCol)) {
    out.push(b'{');
    for (i, (name, n)) in [
        ("endColumn", e.column),
        ("endLine", e.line),
        ("startColumn", s.column),
        ("startLine", s.line),
    ]
    .into_iter()
    .enumerate()
    {
        json::key(out, depth + 1, i == 0, name);
        json::number(out, n);
    }
    close(out, depth, b'}');
}

/// What comes after the last result: the rules and the rest of the log.
pub fn end(any_results: bool, rules: Vec<Value>) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(if any_results { b"\n      ]" } else { b"]" });
    out.extend_from_slice(b",\n      \"tool\": ");
    json::write_pretty(&mut out, &tool(rules), 3);
    out.extend_from_slice(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n");
    out
}

fn tool(rules: Vec<Value>) -> Value {
    json!({
        "driver": {
            "name": "coachlint",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }
    })
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
    use coachlint_core::{Config, analyze};
    use std::path::Path;

    /// The log as it was first built: whole, as a `Value`.
    fn document(rules: Vec<Value>, results: Vec<Value>) -> Value {
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

    /// The results of one file as they were first built, as `Value`s.
    fn result_values(c: &Checked) -> Vec<Value> {
        let report = c.report();
        let region = |start, end| {
            let s = c.index.line_col(c.text, start);
            let e = c.index.line_col(c.text, end);
            json!({
                "startLine": s.line,
                "startColumn": s.column,
                "endLine": e.line,
                "endColumn": e.column,
            })
        };
        report
            .diagnostics
            .iter()
            .zip(&c.analysis.findings)
            .map(|(d, f)| {
                let rephrasings: Vec<&str> =
                    d.rephrasings.iter().map(|r| r.text.as_ref()).collect();
                let mut message = d.message.to_owned();
                if let Some(best) = rephrasings.first() {
                    message.push_str(&format!(" Ask instead: \"{best}\""));
                }
                let mut result = json!({
                    "ruleId": d.code,
                    "level": level(d.severity),
                    "message": { "text": message },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": c.uri },
                            "region": region(f.span.start, f.span.end),
                        }
                    }],
                    "properties": {
                        "category": d.category,
                        "severity": d.severity,
                        "rephrasings": rephrasings,
                    }
                });
                if let Some(best) = f.rephrasings.first().filter(|r| !r.pieces.is_empty()) {
                    result["fixes"] = json!([{
                        "description": { "text": format!("Ask instead: \"{}\"", best.text) },
                        "artifactChanges": [{
                            "artifactLocation": { "uri": c.uri },
                            "replacements": best.edits().iter().map(|e| json!({
                                "deletedRegion": region(e.span.start, e.span.end),
                                "insertedContent": { "text": e.replacement },
                            })).collect::<Vec<_>>(),
                        }],
                    }]);
                }
                result
            })
            .collect()
    }

    #[test]
    fn streamed_log_equals_the_log_built_whole() {
        let texts = [
            include_str!("../../tests/fixtures/samples/advice-heavy.transcript"),
            include_str!("../../tests/fixtures/samples/advice-heavy.zoom.vtt"),
            include_str!("../../tests/fixtures/samples/good-coaching.teams.vtt"),
            include_str!("../../tests/fixtures/samples/advice-heavy.srt"),
            "Coach: How are you?\nClient: Fine.\n",
            "Coach: You should \"quit\"\tnow.\u{1}\nClient: Why\\not?\nCoach: Ça va? You must go.\n",
        ];
        let config = Config::default();
        let analyses: Vec<_> = texts.iter().map(|t| analyze(t, &config).unwrap()).collect();
        let checked: Vec<Checked> = texts
            .iter()
            .zip(&analyses)
            .map(|(t, a)| Checked::new("p", "dir/a%20\"b\".vtt", t, a))
            .collect();
        let rules: Vec<Value> = config.rules.metas().take(3).map(|m| rule(m)).collect();
        for files in [&checked[..0], &checked[4..5], &checked[..], &checked[4..]] {
            let mut streamed = begin().into_bytes();
            let mut any = false;
            let mut whole = Vec::new();
            for c in files {
                let r = results(c);
                streamed.extend_from_slice(if any {
                    &r[..]
                } else {
                    r.strip_prefix(b",").unwrap_or(&r)
                });
                any |= !r.is_empty();
                whole.extend(result_values(c));
            }
            streamed.extend(end(any, rules.clone()));
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                json::pretty(&document(rules.clone(), whole)) + "\n"
            );
        }
    }

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
