//! Hovers: on a finding, what the rule is about and what to ask instead; on a
//! speaker's label, how much that speaker talked and asked.

use crate::document::Snapshot;
use crate::position::{self, Encoding};
use crate::summary::{clock, percent};
use coachlint_core::analysis::markers::marker_title;
use coachlint_core::{Analysis, Finding};
use std::fmt::Write;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind};

/// The hover at byte `offset` of the snapshot.
pub fn hover(s: &Snapshot, enc: Encoding, offset: usize) -> Option<Hover> {
    let a = s.analysis()?;
    let here: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.span.start <= offset && offset < f.span.end.max(f.span.start + 1))
        .collect();
    let (text, span) = if let Some(first) = here.first() {
        let text = here
            .iter()
            .map(|f| finding_markdown(f))
            .collect::<Vec<_>>()
            .join("\n\n---\n\n");
        let start = here
            .iter()
            .map(|f| f.span.start)
            .min()
            .unwrap_or(first.span.start);
        let end = here
            .iter()
            .map(|f| f.span.end)
            .max()
            .unwrap_or(first.span.end);
        (text, start..end)
    } else {
        let turn = a.transcript.turns.iter().find(|t| {
            t.label
                .as_ref()
                .is_some_and(|l| l.start <= offset && offset <= l.end)
        })?;
        let label = turn.label.clone()?;
        (speaker_markdown(a, turn.speaker)?, label)
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(position::range(&s.rope, enc, &span)),
    })
}

pub fn finding_markdown(f: &Finding) -> String {
    let r = &f.rule;
    let mut md = format!(
        "**{}** `{}` · {} · {}\n\n{}\n\n*{}*\n\n{}",
        r.code,
        r.name,
        r.category.as_str(),
        f.severity.as_str(),
        f.message,
        r.summary,
        r.explanation.trim()
    );
    if !r.icf.is_empty() {
        md.push_str("\n\n**ICF PCC markers**\n");
        for m in &r.icf {
            let _ = match marker_title(m) {
                Some(t) => writeln!(md, "- **{m}** {t}"),
                None => writeln!(md, "- **{m}**"),
            };
        }
    }
    if !f.rephrasings.is_empty() {
        md.push_str(if r.icf.is_empty() { "\n\n" } else { "\n" });
        md.push_str("**Ask instead**\n");
        for q in &f.rephrasings {
            let _ = writeln!(md, "- {}", q.text);
        }
    }
    md.trim_end().to_owned()
}

pub fn speaker_markdown(a: &Analysis, speaker: usize) -> Option<String> {
    let m = a.metrics.speakers.get(speaker)?;
    let role = match m.role {
        coachlint_core::Role::Coach => "coach",
        coachlint_core::Role::Client => "client",
    };
    let mut md = format!("**{}** · {role}\n\n", m.name);
    let _ = writeln!(
        md,
        "- talk share: {} of the words ({} words in {} turns)",
        percent(m.talk_share),
        m.words,
        m.turns
    );
    if let Some(secs) = m.seconds {
        let _ = writeln!(md, "- time speaking: {}", clock(secs));
    }
    let open = if m.questions > 0 {
        format!(
            ", {} open ({})",
            m.open_questions,
            percent(m.open_questions as f64 / m.questions as f64)
        )
    } else {
        String::new()
    };
    let _ = writeln!(md, "- questions: {}{open}", m.questions);
    Some(md.trim_end().to_owned())
}
