//! The native `.transcript` format, which is also what people type or paste:
//! optional `---` front matter, then `Name: text` lines, optionally stamped
//! `[hh:mm:ss]` or `hh:mm:ss`, or written `**Name:**`; continuation lines belong
//! to the previous turn; `# coachlint-disable…` lines are directives.

use super::ParseError;
use crate::suppress;
use crate::transcript::{FrontMatter, Piece, Transcript, Turn};
use regex::Regex;
use std::sync::LazyLock;

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[ \t]*(?:\[?(?<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)\]?[ \t]+)?(?:\*\*(?<mdname>[^*:\n]{1,60}?):?\*\*:?|(?<name>[\p{L}\p{M}][\p{L}\p{M}0-9 .'’_-]{0,59}?)[ \t]*:)[ \t]+(?<text>\S.*)?$",
    )
    .unwrap()
});

pub(super) fn parse(text: &str) -> Result<Transcript, ParseError> {
    let mut t = Transcript {
        format: super::Format::Transcript,
        front_matter: FrontMatter::default(),
        speakers: Vec::new(),
        turns: Vec::new(),
        directives: Vec::new(),
    };
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n').peekable();
    // Front matter.
    if lines.peek().is_some_and(|l| l.trim_end() == "---") {
        let start = offset;
        offset += lines.next().unwrap().len();
        let mut closed = false;
        for line in lines.by_ref() {
            offset += line.len();
            let l = line.trim_end();
            if l == "---" {
                closed = true;
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let v = v.trim().trim_matches('"');
                let names = || {
                    v.trim_matches(['[', ']'])
                        .split(',')
                        .map(|s| s.trim().trim_matches('"').to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                };
                match k.trim() {
                    "coach" | "coaches" => t.front_matter.coach = names(),
                    "client" | "clients" => t.front_matter.client = names(),
                    "date" => t.front_matter.date = Some(v.to_owned()),
                    "topic" => t.front_matter.topic = Some(v.to_owned()),
                    _ => {}
                }
            }
        }
        if !closed {
            return Err(ParseError {
                line: Some(1),
                message: "front matter opened with `---` is never closed".into(),
            });
        }
        t.front_matter.span = Some(start..offset);
    }
    for line in lines {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some(d) = suppress::parse_directive(body, start) {
            t.directives.push(d);
            continue;
        }
        if let Some(c) = LABEL.captures(body) {
            let name = c.name("mdname").or(c.name("name")).unwrap();
            let time = c.name("ts").and_then(|m| parse_clock(m.as_str()));
            let sid = t.intern_speaker(name.as_str().trim());
            let label = start + name.start()..start + name.end();
            let mut turn = Turn {
                speaker: sid,
                label: Some(label),
                text: String::new(),
                pieces: Vec::new(),
                start_time: time,
                end_time: None,
            };
            if let Some(m) = c.name("text") {
                let s = m.as_str().trim_end();
                push_piece(&mut turn, s, start + m.start());
            }
            t.turns.push(turn);
        } else if let Some(turn) = t.turns.last_mut() {
            let s = body.trim();
            if !s.is_empty() {
                let lead = body.len() - body.trim_start().len();
                push_piece(turn, s, start + lead);
            }
        }
    }
    // A turn that ends where the next begins.
    for i in 1..t.turns.len() {
        if t.turns[i - 1].end_time.is_none() {
            t.turns[i - 1].end_time = t.turns[i].start_time;
        }
    }
    t.turns.retain(|turn| !turn.text.is_empty());
    Ok(t)
}

/// Appends a stretch of source text to a turn, joined by a space.
pub(crate) fn push_piece(turn: &mut Turn, s: &str, source_start: usize) {
    if !turn.text.is_empty() {
        turn.text.push(' ');
    }
    turn.pieces.push(Piece {
        text_start: turn.text.len(),
        source: source_start..source_start + s.len(),
    });
    turn.text.push_str(s);
}

/// `hh:mm:ss`, `mm:ss` or `h:mm:ss.mmm` to seconds.
pub(crate) fn parse_clock(s: &str) -> Option<f64> {
    let s = s.replace(',', ".");
    let mut secs = 0.0;
    for part in s.split(':') {
        secs = secs * 60.0 + part.parse::<f64>().ok()?;
    }
    Some(secs)
}
