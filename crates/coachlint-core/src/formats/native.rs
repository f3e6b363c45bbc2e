//! The native `.transcript` format, which is also what people type or paste:
//! optional `---` front matter, then `Name: text` lines, optionally stamped
//! `[hh:mm:ss]`, `hh:mm:ss` or `Name (hh:mm:ss):`, or written `**Name:**`;
//! continuation lines belong to the previous turn; `# coachlint-disable…` lines
//! are directives.
//!
//! A colon does not make a label: see [`super::labels`]. In a file whose labels
//! all carry timestamps, an unstamped new name is read as speech too.

use super::labels::{self, Labels};
use super::{Builder, Format, ParseError, lines, parse_clock};
use crate::suppress;
use crate::transcript::Transcript;
use regex::Regex;
use std::sync::LazyLock;

/// A label at the start of a line. The name is lenient here and judged by
/// [`Labels::accept`]; only the label is matched, the text is the rest of the
/// line, so a huge line costs no more than a short one.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    const TS: &str = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?";
    Regex::new(&format!(
        r"^[ \t]*(?:[\[(]?(?<ts>{TS})[\])]?[ \t]+(?:[-–—|][ \t]+)?)?(?:\*\*(?<md>[^*:\n]{{1,60}}?)[ \t]*(?::[ \t]*\*\*|\*\*[ \t]*:)|(?<name>\p{{L}}[^:\n]{{0,59}}?)(?:[ \t]*[\[(](?<ts2>{TS})[\])])?[ \t]*:)(?:[ \t]+|$)"
    ))
    .expect("valid label pattern")
});

/// Only this much of a line is searched for a label.
const LABEL_WINDOW: usize = 256;

struct Label<'a> {
    /// The name and its byte range within the line.
    name: &'a str,
    name_range: std::ops::Range<usize>,
    time: Option<f64>,
    /// Stamped or Markdown bold: a deliberate label.
    strong: bool,
    stamped: bool,
    /// Where the text after the label starts within the line.
    text_start: usize,
}

fn label(line: &str) -> Option<Label<'_>> {
    let window = &line[..floor_boundary(line, LABEL_WINDOW)];
    let c = LABEL.captures(window)?;
    let name = c.name("md").or(c.name("name"))?;
    let ts = c.name("ts").or(c.name("ts2"));
    let trimmed = name.as_str().trim_end();
    Some(Label {
        name: trimmed,
        name_range: name.start()..name.start() + trimmed.len(),
        time: ts.and_then(|m| parse_clock(m.as_str())),
        strong: ts.is_some() || c.name("md").is_some(),
        stamped: ts.is_some(),
        text_start: c.get(0).map_or(0, |m| m.end()),
    })
}

/// The largest char boundary at or below `max`.
pub(super) fn floor_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// For detection: a line that starts with a plausible label and goes on with text.
pub(super) fn is_inline_label(line: &str) -> bool {
    label(line).is_some_and(|l| {
        !line[l.text_start..].trim().is_empty()
            && labels::plausible(l.name)
            && !labels::stop_word(l.name)
    })
}

pub(super) fn parse(text: &str) -> Result<Transcript, ParseError> {
    let mut b = Builder::new(text, Format::Transcript);
    let mut labels = Labels::default();
    let body_start = front_matter(text, &mut b)?;
    for name in
        b.t.front_matter
            .coach
            .iter()
            .chain(&b.t.front_matter.client)
    {
        labels.declare(name);
    }
    let body = || lines(text).skip_while(move |&(start, _)| start < body_start);
    for (_, line) in body() {
        if let Some(l) = label(line) {
            labels.count(l.name);
        }
    }
    let (mut stamped, mut unstamped) = (0usize, 0usize);
    for (start, line) in body() {
        if let Some(d) = suppress::parse_directive(line, start) {
            b.directive(d);
            continue;
        }
        if let Some(l) = label(line) {
            let spoken = b.has_speaker(l.name);
            // Every label so far was stamped: an unstamped new name is speech.
            let stamped_file = stamped >= 2 && unstamped == 0 && !l.stamped && !spoken;
            if !stamped_file && labels.accept(l.name, l.strong, spoken, b.speakers()) {
                if l.stamped {
                    stamped += 1;
                } else {
                    unstamped += 1;
                }
                let name = start + l.name_range.start..start + l.name_range.end;
                b.start_turn(name, l.time, None);
                b.push_trimmed(&line[l.text_start..], start + l.text_start, (None, None));
                continue;
            }
        }
        b.push_trimmed(line, start, (None, None));
    }
    Ok(b.finish())
}

/// Reads the `---` front matter, if any, into the builder; returns where the
/// body starts.
fn front_matter(text: &str, b: &mut Builder) -> Result<usize, ParseError> {
    let mut it = lines(text);
    let Some((start, first)) = it.next() else {
        return Ok(0);
    };
    if first.trim_end() != "---" {
        return Ok(0);
    }
    for (line_start, line) in it {
        let l = line.trim_end();
        if l == "---" {
            let mut end = line_start + line.len();
            end += if text[end..].starts_with("\r\n") {
                2
            } else {
                text[end..].starts_with('\n') as usize
            };
            b.t.front_matter.span = Some(start..end);
            return Ok(end);
        }
        if let Some((k, v)) = l.split_once(':') {
            let v = v.trim().trim_matches('"');
            let names = || {
                v.trim_matches(['[', ']'])
                    .split(',')
                    .map(|s| s.trim().trim_matches(['"', '\'']).to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            };
            let fm = &mut b.t.front_matter;
            match k.trim() {
                "coach" | "coaches" => fm.coach = names(),
                "client" | "clients" => fm.client = names(),
                "date" => fm.date = Some(v.to_owned()),
                "topic" => fm.topic = Some(v.to_owned()),
                _ => {}
            }
        }
    }
    Err(ParseError {
        line: Some(super::line_of(text, start)),
        message: "front matter opened with `---` is never closed: add a `---` line after it".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turns(text: &str) -> Vec<(String, String)> {
        let t = parse(text).unwrap();
        t.turns
            .iter()
            .map(|x| (t.speaker(x).name.clone(), x.text.clone()))
            .collect()
    }

    #[test]
    fn labels_and_continuations() {
        let t = turns(
            "Coach: What would you like?\nClient: Well.\nNote: I'm unsure.\nHere's the thing: it's hard.\nCoach: Say more?\n",
        );
        assert_eq!(
            t,
            [
                ("Coach".into(), "What would you like?".into()),
                (
                    "Client".into(),
                    "Well. Note: I'm unsure. Here's the thing: it's hard.".into()
                ),
                ("Coach".into(), "Say more?".into()),
            ]
        );
    }

    #[test]
    fn stamps_markdown_and_label_only_lines() {
        let text = "**Maya:** Hi?\n[00:00:09] Jordan: Hello.\n00:00:12 Maya (00:00:12): More?\nJordan:\n  I think so.\n";
        let t = parse(text).unwrap();
        assert_eq!(t.turns.len(), 4);
        assert_eq!(t.turns[1].start_time, Some(9.0));
        assert_eq!(t.turns[1].end_time, Some(12.0));
        assert_eq!(t.turns[2].text, "More?");
        assert_eq!(t.turns[3].text, "I think so.");
        assert_eq!(&text[t.turns[0].label.clone().unwrap()], "Maya");
    }

    #[test]
    fn unstamped_new_name_in_stamped_file_is_speech() {
        let t = turns("[00:01] A: x\n[00:02] B: y\nHonest Answer: no\n[00:03] A: z\n");
        assert_eq!(t.len(), 3);
        assert_eq!(t[1].1, "y Honest Answer: no");
    }

    #[test]
    fn same_speaker_lines_merge() {
        let t = turns("Coach: One?\nCoach: Two?\nClient: Yes.\n");
        assert_eq!(t[0].1, "One? Two?");
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn unclosed_front_matter() {
        let e = parse("---\ncoach: A\nA: hi\n").unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
