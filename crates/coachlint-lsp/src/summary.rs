//! The session at a glance: a code lens with the summary above the first turn,
//! an inlay hint with the conversation mode of each coach turn, and the turns
//! as the document's outline.

use crate::document::Snapshot;
use crate::position::{self, Encoding};
use coachlint_core::{Analysis, Metrics, Role};
use serde_json::Value;
use std::ops::Range as Span;
use tower_lsp_server::ls_types::{
    CodeLens, Command, DocumentSymbol, InlayHint, InlayHintLabel, InlayHintTooltip, Range,
    SymbolKind, Uri,
};

/// The command behind the summary lens: shows the full summary in a message.
pub const SHOW_SUMMARY: &str = "coachlint.showSessionSummary";

/// The custom request that returns [`session_json`].
pub const SESSION_SUMMARY: &str = "coachlint/sessionSummary";

/// The session's figures as JSON: the headline numbers in camelCase, the
/// engine's whole `Metrics` under `metrics`.
pub fn session_json(a: &Analysis) -> Value {
    let m = &a.metrics;
    serde_json::json!({
        "coachTalkShare": m.coach_talk_share,
        "questionRatio": m.question_ratio,
        "openQuestionShare": m.open_question_share,
        "coach": a.coach_names(),
        "coachSource": a.coach_source,
        "findings": a.findings.len(),
        "metrics": m,
    })
}

pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// `h:mm:ss` of a number of seconds.
pub fn clock(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Mode counts, most used first: `coaching 12, advising 2`.
fn modes(m: &Metrics) -> String {
    let mut modes: Vec<_> = m.modes.iter().filter(|(_, n)| *n > 0).collect();
    modes.sort_by_key(|m| std::cmp::Reverse(m.1));
    modes
        .iter()
        .map(|(mode, n)| format!("{} {n}", mode.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line: coach talk share, question ratio, open-question share, modes.
pub fn session_line(m: &Metrics) -> String {
    let mut parts = vec![format!("coach talk {}", percent(m.coach_talk_share))];
    parts.push(match m.question_ratio {
        Some(r) => format!("{r:.1} questions per statement"),
        None => format!("{} questions, no statements", m.coach_questions),
    });
    if let Some(open) = m.open_question_share {
        parts.push(format!("{} open", percent(open)));
    }
    let modes = modes(m);
    if !modes.is_empty() {
        parts.push(modes);
    }
    parts.join(" · ")
}

/// The longer summary the lens's command shows.
pub fn session_message(a: &Analysis) -> String {
    let m = &a.metrics;
    let mut lines = vec![
        format!("Session summary: {}", session_line(m)),
        format!(
            "Coach: {} ({} turns, {} words); client: {} turns, {} words.",
            a.coach_names().join(", "),
            m.coach_turns,
            m.coach_words,
            m.client_turns,
            m.client_words
        ),
        format!(
            "Coach questions: {} ({} open); reflections: {}; advice without permission: {}.",
            m.coach_questions, m.coach_open_questions, m.reflections, m.advice
        ),
    ];
    if let Some(d) = m.duration_seconds {
        lines.push(format!("Duration: {}.", clock(d)));
    }
    lines.push(format!("Findings: {}.", a.findings.len()));
    lines.join("\n")
}

/// The summary lens, on the line of the first turn.
pub fn code_lenses(s: &Snapshot, enc: Encoding, uri: &Uri) -> Vec<CodeLens> {
    let Some(a) = s.analysis() else {
        return Vec::new();
    };
    let at = a.transcript.turns.first().map_or(0, |t| t.start());
    let p = position::position(&s.rope, enc, at);
    let line = Range::new(
        tower_lsp_server::ls_types::Position::new(p.line, 0),
        tower_lsp_server::ls_types::Position::new(p.line, 0),
    );
    vec![CodeLens {
        range: line,
        command: Some(Command {
            title: session_line(&a.metrics),
            command: SHOW_SUMMARY.into(),
            arguments: Some(vec![Value::String(uri.as_str().to_owned())]),
        }),
        data: None,
    }]
}

/// The mode of each coach turn in `range`, after the speaker's label.
pub fn inlay_hints(s: &Snapshot, enc: Encoding, range: Span<usize>) -> Vec<InlayHint> {
    let Some(a) = s.analysis() else {
        return Vec::new();
    };
    let t = &a.transcript;
    t.turns
        .iter()
        .zip(&a.turns)
        .filter(|(turn, _)| t.role(turn) == Role::Coach)
        .filter_map(|(turn, ta)| {
            let mode = ta.mode?;
            let at = turn.label.as_ref().map_or(turn.span().start, |l| l.end);
            (range.start <= at && at <= range.end).then(|| InlayHint {
                position: position::position(&s.rope, enc, at),
                label: InlayHintLabel::String(format!("({})", mode.as_str())),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(format!(
                    "{}: the coach {}",
                    mode.as_str(),
                    mode.description()
                ))),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
        })
        .collect()
}

/// The turns as an outline: speaker and time, then the first words.
pub fn document_symbols(s: &Snapshot, enc: Encoding) -> Vec<DocumentSymbol> {
    let Some(a) = s.analysis() else {
        return Vec::new();
    };
    let t = &a.transcript;
    t.turns
        .iter()
        .zip(&a.turns)
        .map(|(turn, ta)| {
            let speaker = &t.speaker(turn).name;
            let name = match turn.start_time {
                Some(secs) => format!("{speaker} {}", clock(secs)),
                None => speaker.clone(),
            };
            let words = first_words(&turn.text, 8);
            let detail = match ta.mode {
                Some(mode) => format!("{} · {words}", mode.as_str()),
                None => words,
            };
            let whole = turn.start()..turn.span().end.max(turn.start());
            let label = turn.label.clone().unwrap_or_else(|| turn.span());
            #[allow(deprecated)]
            DocumentSymbol {
                name,
                detail: Some(detail),
                kind: if t.role(turn) == Role::Coach {
                    SymbolKind::EVENT
                } else {
                    SymbolKind::STRING
                },
                tags: None,
                deprecated: None,
                range: position::range(&s.rope, enc, &whole),
                selection_range: position::range(&s.rope, enc, &label),
                children: None,
            }
        })
        .collect()
}

fn first_words(text: &str, n: usize) -> String {
    let mut words = text.split_whitespace();
    let head: Vec<&str> = words.by_ref().take(n).collect();
    let mut out = head.join(" ");
    if words.next().is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_well() {
        assert_eq!(clock(3725.4), "1:02:05");
        assert_eq!(percent(0.236), "24%");
        assert_eq!(first_words("one two three", 2), "one two…");
        assert_eq!(first_words("one two", 2), "one two");
    }
}
