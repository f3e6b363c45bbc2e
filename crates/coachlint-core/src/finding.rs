//! What the rules report.

use crate::Span;
use crate::rules::RuleMeta;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::borrow::Cow;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Information,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Information => "information",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "hint" => Severity::Hint,
            "info" | "information" => Severity::Information,
            "warning" | "warn" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

/// Rule categories. Fixed: editors and reports group by them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Advice, directives and persuasion, with or without permission.
    Advice,
    /// Labels, criticism, moralizing, absolutes, evaluative praise.
    Judgment,
    /// Leading questions and advice disguised as a question.
    Leading,
    /// Why-questions, stacked questions, runs of closed questions.
    Questioning,
    /// The coach's own experience offered as the model.
    Mentoring,
    /// Session balance: question ratio, talk share, monologues.
    Balance,
    /// The coaching agreement: session outcome, learning at the close.
    Agreement,
    /// About the transcript itself rather than the coaching (a guessed coach).
    Transcript,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Advice,
        Category::Judgment,
        Category::Leading,
        Category::Questioning,
        Category::Mentoring,
        Category::Balance,
        Category::Agreement,
        Category::Transcript,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Advice => "advice",
            Category::Judgment => "judgment",
            Category::Leading => "leading",
            Category::Questioning => "questioning",
            Category::Mentoring => "mentoring",
            Category::Balance => "balance",
            Category::Agreement => "agreement",
            Category::Transcript => "transcript",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s || (s == "judgement" && *c == Category::Judgment))
    }
}

/// A text replacement in the source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    /// Most fixes insert fixed words: not copied for every finding.
    pub replacement: Cow<'static, str>,
}

/// An open question to ask instead of what the coach said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rephrasing {
    /// Most rephrasings are one of a few fixed questions: not copied for
    /// every finding.
    pub text: Cow<'static, str>,
    /// The source ranges of the sentence it replaces, one per piece the
    /// sentence covers (a sentence can run over several cues; most are one).
    #[serde(skip)]
    pub pieces: SmallVec<[Span; 1]>,
}

impl Rephrasing {
    /// The edits that put `text` in place of the sentence: the text in its
    /// first piece, the others emptied. Made when a fix is asked for, not for
    /// every finding.
    pub fn edits(&self) -> Vec<Edit> {
        self.pieces
            .iter()
            .enumerate()
            .map(|(i, span)| Edit {
                span: span.clone(),
                replacement: if i == 0 {
                    self.text.clone()
                } else {
                    Cow::Borrowed("")
                },
            })
            .collect()
    }
}

/// A fix other than a rephrasing (e.g. asking permission before advice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: Cow<'static, str>,
    /// Mostly one: kept inline.
    pub edits: SmallVec<[Edit; 1]>,
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: Arc<RuleMeta>,
    /// The severity in force (the rule's default, or the configured one).
    pub severity: Severity,
    /// Where it was seen, in the source: the sentence (what a rephrasing replaces)
    /// or, for session-level findings, where they are anchored.
    pub span: Span,
    /// The words a phrase rule matched, inside `span`.
    pub focus: Option<Span>,
    /// The turn it belongs to, if any.
    pub turn: Option<usize>,
    /// One line saying what was seen.
    pub message: String,
    /// Best first.
    pub rephrasings: Vec<Rephrasing>,
    pub fixes: Vec<Fix>,
}

impl Finding {
    pub fn code(&self) -> &str {
        &self.rule.code
    }
    pub fn category(&self) -> Category {
        self.rule.category
    }
}
