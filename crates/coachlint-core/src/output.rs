//! The JSON contract (version 1) that `coachlint check --output-format json`
//! prints and other tools build on. Lines and columns are 1-based; columns count
//! Unicode characters. Documented in `docs/json.md`; changes bump `version`.

use crate::Span;
use crate::analysis::{Analysis, Metrics, Mode, SentenceKind};
use crate::finding::{Category, Finding, Rephrasing, Severity};
use crate::text::{LineCol, LineIndex, floor_char_boundary};
use crate::transcript::Role;
use serde::Serialize;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
pub struct Report<'a> {
    pub version: u32,
    pub files: Vec<FileReport<'a>>,
}

#[derive(Serialize)]
pub struct FileReport<'a> {
    pub path: &'a str,
    pub format: &'static str,
    pub coach: Vec<&'a str>,
    pub coach_source: &'a crate::CoachSource,
    pub speakers: Vec<SpeakerOut<'a>>,
    pub metrics: &'a Metrics,
    pub turns: Vec<TurnOut<'a>>,
    pub diagnostics: Vec<Diagnostic<'a>>,
    pub suppressed: usize,
}

#[derive(Serialize)]
pub struct SpeakerOut<'a> {
    pub name: &'a str,
    pub role: Role,
}

#[derive(Serialize)]
pub struct TurnOut<'a> {
    pub index: usize,
    pub speaker: &'a str,
    pub role: Role,
    pub line: usize,
    pub end_line: usize,
    pub start_time: Option<f64>,
    pub words: usize,
    pub sentences: usize,
    pub questions: usize,
    pub open_questions: usize,
    pub mode: Option<Mode>,
}

#[derive(Serialize)]
pub struct Diagnostic<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub category: Category,
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: &'a str,
    pub icf: &'a [String],
    /// Serialised as the list of their texts.
    #[serde(serialize_with = "texts")]
    pub rephrasings: &'a [Rephrasing],
    pub turn: Option<usize>,
}

fn texts<S: serde::Serializer>(r: &[Rephrasing], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(r.iter().map(|r| r.text.as_ref()))
}

impl<'a> FileReport<'a> {
    pub fn new(path: &'a str, text: &str, a: &'a Analysis) -> FileReport<'a> {
        FileReport::with_index(path, text, &LineIndex::new(text), a)
    }

    /// As [`FileReport::new`], with the text's line index at hand.
    pub fn with_index(
        path: &'a str,
        text: &str,
        idx: &LineIndex,
        a: &'a Analysis,
    ) -> FileReport<'a> {
        let t = &a.transcript;
        FileReport {
            path,
            format: t.format.as_str(),
            coach: a.coach_names(),
            coach_source: &a.coach_source,
            speakers: t
                .speakers
                .iter()
                .map(|s| SpeakerOut {
                    name: &s.name,
                    role: s.role,
                })
                .collect(),
            metrics: &a.metrics,
            turns: (0..t.turns.len())
                .map(|i| TurnOut::new(a, idx, i))
                .collect(),
            diagnostics: a
                .findings
                .iter()
                .map(|f| Diagnostic::new(f, text, idx))
                .collect(),
            suppressed: a.suppressed,
        }
    }
}

impl<'a> TurnOut<'a> {
    /// Turn `i` of the analysis; `idx` indexes the analysed text.
    pub fn new(a: &'a Analysis, idx: &LineIndex, i: usize) -> TurnOut<'a> {
        let t = &a.transcript;
        let turn = &t.turns[i];
        let ta = &a.turns[i];
        let span = turn.span();
        TurnOut {
            index: i,
            speaker: &t.speaker(turn).name,
            role: t.role(turn),
            // A line break is never inside a character: no rounding to one needed.
            line: idx.line_of(span.start) + 1,
            end_line: idx.line_of(span.end) + 1,
            start_time: turn.start_time,
            words: ta.words,
            sentences: ta.sentences.len(),
            questions: ta.questions,
            open_questions: ta.open_questions,
            mode: ta.mode,
        }
    }
}

impl<'a> Diagnostic<'a> {
    /// `f` as a diagnostic; `idx` indexes `text`, the analysed text.
    pub fn new(f: &'a Finding, text: &str, idx: &LineIndex) -> Diagnostic<'a> {
        let (s, e) = positions(text, idx, &f.span);
        Diagnostic {
            code: &f.rule.code,
            name: &f.rule.name,
            category: f.rule.category,
            severity: f.severity,
            line: s.line,
            column: s.column,
            end_line: e.line,
            end_column: e.column,
            message: &f.message,
            icf: &f.rule.icf,
            rephrasings: &f.rephrasings,
            turn: f.turn,
        }
    }
}

/// The start and end of `span` in `text` (which `idx` indexes), as
/// [`LineIndex::line_col`] gives them: on one line, the end's column is
/// counted on from the start's rather than from the start of the line again.
pub fn positions(text: &str, idx: &LineIndex, span: &Span) -> (LineCol, LineCol) {
    let s = idx.line_col(text, span.start);
    let start = floor_char_boundary(text, span.start);
    let end = floor_char_boundary(text, span.end);
    // `s.line` is the 0-based number of the next line.
    if start <= end && end < idx.line_start(s.line) {
        let column = s.column + text[start..end].chars().count();
        (s, LineCol { column, ..s })
    } else {
        (s, idx.line_col(text, span.end))
    }
}

/// Sentence kinds serialised for tools that want them (the report).
pub fn kind_name(k: SentenceKind) -> &'static str {
    match k {
        SentenceKind::Statement => "statement",
        SentenceKind::OpenQuestion => "open-question",
        SentenceKind::ClosedQuestion => "closed-question",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn positions_are_line_col_of_each_end(
            text in "([a-z ]|\n|\r\n|é|\u{1F600}){0,40}",
            a in 0usize..200,
            b in 0usize..200,
        ) {
            let idx = LineIndex::new(&text);
            for span in [a..b, b..a, a.min(text.len())..text.len(), 0..a] {
                prop_assert_eq!(
                    positions(&text, &idx, &span),
                    (idx.line_col(&text, span.start), idx.line_col(&text, span.end))
                );
            }
        }
    }
}
