//! The JSON contract (version 1) that `coachlint check --output-format json`
//! prints and other tools build on. Lines and columns are 1-based; columns count
//! Unicode characters. Documented in `docs/json.md`; changes bump `version`.

use crate::analysis::{Analysis, Metrics, Mode, SentenceKind};
use crate::finding::{Category, Severity};
use crate::text::LineIndex;
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
    pub path: String,
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
    pub rephrasings: Vec<&'a str>,
    pub turn: Option<usize>,
}

impl<'a> FileReport<'a> {
    pub fn new(path: &str, text: &str, a: &'a Analysis) -> FileReport<'a> {
        let idx = LineIndex::new(text);
        let t = &a.transcript;
        let turns = t
            .turns
            .iter()
            .enumerate()
            .map(|(i, turn)| {
                let ta = &a.turns[i];
                let span = turn.span();
                TurnOut {
                    index: i,
                    speaker: &t.speaker(turn).name,
                    role: t.role(turn),
                    line: idx.line_col(text, span.start).line,
                    end_line: idx.line_col(text, span.end).line,
                    start_time: turn.start_time,
                    words: ta.words,
                    sentences: ta.sentences.len(),
                    questions: ta.questions,
                    open_questions: ta.open_questions,
                    mode: ta.mode,
                }
            })
            .collect();
        let diagnostics = a
            .findings
            .iter()
            .map(|f| {
                let s = idx.line_col(text, f.span.start);
                let e = idx.line_col(text, f.span.end);
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
                    rephrasings: f.rephrasings.iter().map(|r| r.text.as_str()).collect(),
                    turn: f.turn,
                }
            })
            .collect();
        FileReport {
            path: path.to_owned(),
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
            turns,
            diagnostics,
            suppressed: a.suppressed,
        }
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
