//! The words a finding is about, in the sentences around them, from the turn's
//! own text (never a timestamp or a cue header).

use crate::escape::truncate;
use coachlint_core::text::{ceil_char_boundary, floor_char_boundary};
use coachlint_core::{Analysis, Finding, Span, Turn};

/// Characters of context kept either side of the words a finding is about.
const CONTEXT_BEFORE: usize = 140;
const CONTEXT_AFTER: usize = 180;
/// Longer flagged stretches (a monologue) are shortened.
const MAX_HIT: usize = 320;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt<'a> {
    pub speaker: &'a str,
    /// The turn the words are in.
    pub turn: usize,
    pub before: String,
    pub hit: String,
    pub after: String,
}

/// The excerpt of a finding, if its span lies in a turn's words (findings about
/// the whole session sit on a speaker label and have none).
pub fn of<'a>(a: &'a Analysis, f: &Finding) -> Option<Excerpt<'a>> {
    let ti = f.turn?;
    let turn = a.transcript.turns.get(ti)?;
    let text = turn.text.as_str();
    // The words the rule matched (`Finding::focus`), else the whole span.
    let hit = text_range(turn, f.focus.as_ref().unwrap_or(&f.span))?;
    // Widen to the sentences the words are in.
    let sentences = &a.sentences[a.turns[ti].sentences.clone()];
    let start = sentences
        .iter()
        .find(|s| s.span.end > hit.start)
        .map_or(hit.start, |s| s.span.start.min(hit.start));
    let end = sentences
        .iter()
        .rev()
        .find(|s| s.span.start < hit.end.max(hit.start + 1))
        .map_or(hit.end, |s| s.span.end.max(hit.end));
    let (mut before, mut after) = (&text[start..hit.start], &text[hit.end..end]);
    let mut cut_before = false;
    let mut cut_after = false;
    if before.chars().count() > CONTEXT_BEFORE {
        before = tail_words(before, CONTEXT_BEFORE);
        cut_before = true;
    }
    if after.chars().count() > CONTEXT_AFTER {
        after = head_words(after, CONTEXT_AFTER);
        cut_after = true;
    }
    Some(Excerpt {
        speaker: &a.transcript.speaker(turn).name,
        turn: ti,
        before: if cut_before {
            format!("…{before}")
        } else {
            before.to_owned()
        },
        hit: truncate(&text[hit.clone()], MAX_HIT),
        after: if cut_after {
            format!("{after}…")
        } else {
            after.to_owned()
        },
    })
}

/// A source span as a range of the turn's joined text; `None` when it starts
/// outside the turn's words.
fn text_range(turn: &Turn, span: &Span) -> Option<Span> {
    let to_text = |offset: usize, end: bool| {
        turn.pieces.iter().find_map(|p| {
            let inside = if end {
                p.source.start < offset && offset <= p.source.end
            } else {
                p.source.start <= offset && offset < p.source.end
            };
            inside.then(|| p.text_start + (offset - p.source.start))
        })
    };
    let start = to_text(span.start, false)?;
    let end = to_text(span.end, true)
        .or_else(|| {
            // An end past the last piece (or between pieces) keeps what is inside.
            turn.pieces
                .iter()
                .rev()
                .find(|p| p.source.end <= span.end)
                .map(|p| p.text_start + p.source.len())
        })
        .unwrap_or(turn.text.len())
        .max(start);
    let text = &turn.text;
    Some(floor_char_boundary(text, start)..ceil_char_boundary(text, end))
}

/// The last words of `s`, at most about `max` characters.
fn tail_words(s: &str, max: usize) -> &str {
    let skip = s.chars().count() - max;
    let at = s.char_indices().nth(skip).map_or(0, |(i, _)| i);
    let rest = &s[at..];
    match rest.find(' ') {
        Some(i) if i < rest.len() / 2 => &rest[i + 1..],
        _ => rest,
    }
}

/// The first words of `s`, at most about `max` characters.
fn head_words(s: &str, max: usize) -> &str {
    let at = s.char_indices().nth(max).map_or(s.len(), |(i, _)| i);
    let head = &s[..at];
    match head.rfind(' ') {
        Some(i) if i > head.len() / 2 => &head[..i],
        _ => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coachlint_core::Config;

    #[test]
    fn excerpt_is_the_sentence_with_the_words_marked() {
        let text = "Coach: What brings you here?\nClient: My job.\nCoach: I see. You should quit. What else?\n";
        let a = coachlint_core::analyze(text, &Config::default()).unwrap();
        let f = a.findings.iter().find(|f| f.code() == "ADV001").unwrap();
        let e = of(&a, f).unwrap();
        assert_eq!(e.speaker, "Coach");
        assert_eq!(e.hit, "You should");
        assert_eq!(e.before, "");
        assert_eq!(e.after, " quit.");
    }

    #[test]
    fn excerpt_maps_words_over_continuation_lines() {
        let text = "Coach: Hello there.\nClient: Hi.\nCoach: Well,\n  you should\n  quit now.\n";
        let a = coachlint_core::analyze(text, &Config::default()).unwrap();
        let f = a.findings.iter().find(|f| f.code() == "ADV001").unwrap();
        let e = of(&a, f).unwrap();
        assert_eq!(
            format!("{}[{}]{}", e.before, e.hit, e.after),
            "Well, [you should] quit now."
        );
    }

    #[test]
    fn long_context_is_cut_at_words() {
        let long = "word ".repeat(80);
        let text = format!("Coach: Hi.\nClient: Hi.\nCoach: {long}you should rest {long}.\n");
        let a = coachlint_core::analyze(&text, &Config::default()).unwrap();
        let f = a.findings.iter().find(|f| f.code() == "ADV001").unwrap();
        let e = of(&a, f).unwrap();
        assert!(e.before.starts_with('…') && e.after.ends_with('…'), "{e:?}");
        assert!(e.before.chars().count() <= CONTEXT_BEFORE + 1);
        assert!(e.after.chars().count() <= CONTEXT_AFTER + 1);
    }
}
