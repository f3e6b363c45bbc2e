//! Cue formats: WebVTT from Zoom (`Name: text` inside the cue) and Microsoft
//! Teams (`<v Name>text</v>` voice tags, GUID cue ids, `NOTE` blocks, short
//! stamps like `0:0:5.100`), and SRT (`00:00:01,500 --> …`, `Name: ` inside the
//! text when there is a speaker at all).
//!
//! A cue is an optional identifier, a timing line and payload lines up to a
//! blank line; a missing blank line between cues is tolerated. Markup tags
//! (`<i>`, `<c.yellow>`, `<00:00:01.000>`, `</v>`) are never speech: the payload
//! is cut into pieces around them, so every piece is still exact source bytes.
//! Character references are left as written (`&amp;` stays `&amp;` in the turn
//! text, which changes no finding) except `&nbsp;`, which separates pieces like
//! a space. A cue without a label continues the speaker before it, as Zoom and
//! SRT files do when one turn spans several cues. `NOTE coachlint-disable…`
//! blocks (or `# coachlint-disable…` lines) are directives.

use super::labels::{Labels, plain_name, skip_blanks};
use super::{Builder, Format, ParseError, lines, parse_clock};
use crate::Span;
use crate::suppress;
use crate::transcript::{Directive, Transcript};
use regex::Regex;
use std::sync::LazyLock;

const TS: &str = r"(?:\d{1,5}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?";

static TIMING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[ \t]*(?<s>{TS})[ \t]*-->[ \t]*(?<e>{TS})(?:[ \t]|$)"
    ))
    .expect("valid timing pattern")
});

static VOICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<v[.\t ][^>\n]*\S[^>\n]*>").expect("valid voice pattern"));

static TEAMS_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F-]{4,}(?:/\d+-\d+)?$")
        .expect("valid cue id pattern")
});

/// Tags WebVTT and SRT files use for styling; anything else in angle
/// brackets is left as text.
const TAGS: &[&str] = &[
    "b", "c", "i", "u", "v", "s", "em", "strong", "span", "font", "lang", "ruby", "rt", "br", "p",
];

/// For detection: `Some(true)` if the line is a cue timing with a comma before
/// the milliseconds (SRT), `Some(false)` with a dot (WebVTT).
pub(super) fn timing_separator(line: &str) -> Option<bool> {
    let c = TIMING.captures(line)?;
    Some(c.name("s").is_some_and(|m| m.as_str().contains(',')))
}

pub(super) fn has_voice_tag(text: &str) -> bool {
    VOICE.is_match(text)
}

/// Teams if there are voice tags or Teams' GUID cue ids, otherwise Zoom.
pub(super) fn detect_vtt(text: &str) -> Format {
    let guid_ids = lines(text)
        .take(super::DETECT_LINES)
        .any(|(_, l)| TEAMS_ID.is_match(l.trim()));
    if guid_ids || has_voice_tag(text) {
        Format::TeamsVtt
    } else {
        Format::ZoomVtt
    }
}

struct Cue<'a> {
    start: Option<f64>,
    end: Option<f64>,
    payload: Vec<(usize, &'a str)>,
}

enum Item<'a> {
    Cue(Cue<'a>),
    Directive(Directive),
}

#[derive(PartialEq)]
enum State {
    /// Before the first non-blank line.
    Start,
    /// The `WEBVTT` line and header metadata up to the first blank line.
    Header,
    Between,
    /// Saw a cue identifier, waiting for the timing line.
    Id,
    Cue,
    Note,
    /// `STYLE` and `REGION` blocks.
    Skip,
}

fn timing(line: &str) -> Option<(Option<f64>, Option<f64>)> {
    let c = TIMING.captures(line)?;
    Some((
        c.name("s").and_then(|m| parse_clock(m.as_str())),
        c.name("e").and_then(|m| parse_clock(m.as_str())),
    ))
}

fn is_block_keyword(line: &str, word: &str) -> bool {
    line.strip_prefix(word)
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

/// An identifier line that lost the blank line before it: SRT's number or a
/// Teams GUID.
fn looks_like_id(line: &str) -> bool {
    let l = line.trim();
    (!l.is_empty() && l.bytes().all(|b| b.is_ascii_digit())) || TEAMS_ID.is_match(l)
}

/// A directive inside a multi-line `NOTE` block: the words alone on a line.
fn note_directive(line: &str, start: usize) -> Option<Directive> {
    if let Some(d) = suppress::parse_directive(line, start) {
        return Some(d);
    }
    let lead = line.len() - line.trim_start().len();
    let d = suppress::parse_directive(&format!("# {}", line.trim_start()), 0)?;
    Some(Directive {
        span: start + lead..start + line.trim_end().len(),
        ..d
    })
}

fn close<'a>(cue: &mut Option<Cue<'a>>, items: &mut Vec<Item<'a>>) {
    if let Some(c) = cue.take() {
        items.push(Item::Cue(c));
    }
}

fn read(text: &str) -> Vec<Item<'_>> {
    let mut items = Vec::new();
    let mut state = State::Start;
    let mut cue: Option<Cue> = None;
    for (start, line) in lines(text) {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if state == State::Cue {
                close(&mut cue, &mut items);
            }
            if state != State::Start {
                state = State::Between;
            }
            continue;
        }
        if state == State::Start {
            state = if trimmed.starts_with("WEBVTT") {
                State::Header
            } else {
                State::Between
            };
            if state == State::Header {
                continue;
            }
        }
        if let Some((s, e)) = timing(line) {
            if let Some(c) = cue.as_mut() {
                // No blank line before this cue: its identifier is the last
                // payload line of the previous one.
                if c.payload.last().is_some_and(|(_, l)| looks_like_id(l)) {
                    c.payload.pop();
                }
            }
            close(&mut cue, &mut items);
            cue = Some(Cue {
                start: s,
                end: e,
                payload: Vec::new(),
            });
            state = State::Cue;
            continue;
        }
        match state {
            State::Start | State::Header | State::Skip => {}
            State::Between | State::Id => {
                if is_block_keyword(trimmed, "NOTE") {
                    if let Some(d) = suppress::parse_directive(line, start) {
                        items.push(Item::Directive(d));
                    }
                    state = State::Note;
                } else if let Some(d) = suppress::parse_directive(line, start) {
                    items.push(Item::Directive(d));
                } else if is_block_keyword(trimmed, "STYLE") || is_block_keyword(trimmed, "REGION")
                {
                    state = State::Skip;
                } else {
                    state = State::Id;
                }
            }
            State::Note => {
                if let Some(d) = note_directive(line, start) {
                    items.push(Item::Directive(d));
                }
            }
            State::Cue => {
                if let Some(c) = cue.as_mut() {
                    c.payload.push((start, line));
                }
            }
        }
    }
    close(&mut cue, &mut items);
    items
}

enum Tok {
    /// Trimmed text; `glued` when no space separates it from the text before
    /// it on the line (a tag inside a word).
    Text(Span, bool),
    /// The name in a `<v Name>` voice tag.
    Voice(Span),
}

/// Cuts a payload line into text and voice tags, dropping other tags. Linear:
/// each `>` is looked for once, each `<` is looked at once.
fn tokenize(line: &str, base: usize, out: &mut Vec<Tok>) {
    out.clear();
    let mut p = 0;
    let mut run = 0;
    let mut last_end: Option<usize> = None;
    while let Some(gt) = line[p..].find('>') {
        let j = p + gt;
        if let Some(lt) = line[p..j].rfind('<') {
            let k = p + lt;
            let content = &line[k + 1..j];
            if let Some(voice) = tag(content) {
                text_run(line, base, run..k, &mut last_end, out);
                if let Some(v) = voice {
                    let at = k + 1 + v.start;
                    out.push(Tok::Voice(base + at..base + at + v.len()));
                    last_end = None;
                }
                run = j + 1;
            }
        }
        p = j + 1;
    }
    text_run(line, base, run..line.len(), &mut last_end, out);
}

/// Whether `content` (between `<` and `>`) is a tag; for a voice tag, the range
/// of the speaker's name within `content`.
fn tag(content: &str) -> Option<Option<Span>> {
    let c = content.strip_prefix('/').unwrap_or(content);
    if c.is_empty() || content.len() > 200 {
        return None;
    }
    if c.bytes()
        .all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
    {
        return c.as_bytes()[0].is_ascii_digit().then_some(None); // karaoke timestamp
    }
    let name_end = c.find(['.', ' ', '\t']).unwrap_or(c.len());
    let name = &c[..name_end];
    if !TAGS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
        return None;
    }
    if name == "v" && c.len() == content.len() {
        let rest = &c[name_end..];
        if let Some(ws) = rest.find([' ', '\t']) {
            let who = &rest[ws..];
            let lead = who.len() - who.trim_start().len();
            let who = who.trim();
            if !who.is_empty() {
                let at = name_end + ws + lead;
                return Some(Some(at..at + who.len()));
            }
        }
    }
    Some(None)
}

/// Emits the words of `range` of `line`, split at `&nbsp;`.
fn text_run(
    line: &str,
    base: usize,
    range: Span,
    last_end: &mut Option<usize>,
    out: &mut Vec<Tok>,
) {
    let run = &line[range.clone()];
    let mut from = 0;
    let mut emit = |a: usize, b: usize, out: &mut Vec<Tok>| {
        let s = &run[a..b];
        let t = s.trim();
        if t.is_empty() {
            return;
        }
        let start = range.start + a + (s.len() - s.trim_start().len());
        let end = start + t.len();
        let glued = last_end.is_some_and(|e| {
            let gap = &line[e..start];
            !gap.contains(char::is_whitespace) && !gap.contains("&nbsp;")
        });
        out.push(Tok::Text(base + start..base + end, glued));
        *last_end = Some(end);
    };
    for (i, m) in run.match_indices("&nbsp;") {
        emit(from, i, out);
        from = i + m.len();
    }
    emit(from, run.len(), out);
}

/// A label at the start of cue text (`Name: `, `- Name: `, `>> Name: `): the
/// name's range and where the text after it starts.
fn text_label(s: &str) -> Option<(Span, usize)> {
    let b = s.as_bytes();
    let i = ["-", "–", "—", ">>"]
        .iter()
        .find(|p| s.starts_with(**p))
        .map_or(0, |p| skip_blanks(b, p.len()));
    let (name, end, _) = plain_name(s, i)?;
    if end < b.len() && !matches!(b[end], b' ' | b'\t') {
        return None;
    }
    Some((name, skip_blanks(b, end)))
}

pub(super) fn parse(text: &str, format: Format) -> Result<Transcript, ParseError> {
    let items = read(text);
    if !items.iter().any(|i| matches!(i, Item::Cue(_))) {
        let example = if format == Format::Srt {
            "`1`, then `00:00:01,500 --> 00:00:05,200`, then the text"
        } else {
            "`00:00:01.500 --> 00:00:05.200`, then the text"
        };
        return Err(ParseError {
            line: None,
            message: format!(
                "no cues found (read as {}): expected cues like {example}",
                format.description()
            ),
        });
    }
    let mut labels = Labels::default();
    for item in &items {
        if let Item::Cue(c) = item {
            for (_, line) in &c.payload {
                let l = line.trim_start();
                if let Some((name, _)) = text_label(l) {
                    labels.count(&l[name]);
                }
            }
        }
    }
    let mut b = Builder::new(text, format);
    let mut toks = Vec::new();
    for item in items {
        let c = match item {
            Item::Directive(d) => {
                b.directive(d);
                continue;
            }
            Item::Cue(c) => c,
        };
        let mut voiced = false;
        for &(start, line) in &c.payload {
            if let Some(d) = suppress::parse_directive(line, start) {
                b.directive(d);
                continue;
            }
            tokenize(line, start, &mut toks);
            let mut first = true;
            for tok in &toks {
                match tok {
                    Tok::Voice(name) => {
                        voiced = true;
                        b.start_turn(name.clone(), c.start, c.end);
                    }
                    Tok::Text(span, glued) => {
                        let is_first = std::mem::replace(&mut first, false);
                        if is_first && !voiced && label_turn(&mut b, &labels, span, &c) {
                            continue;
                        }
                        b.push(span.clone(), *glued, c.start, c.end);
                    }
                }
            }
        }
    }
    Ok(b.finish())
}

/// Opens a turn if the text at `span` starts with a speaker label, and adds
/// the text after the label.
fn label_turn(b: &mut Builder, labels: &Labels, span: &Span, c: &Cue<'_>) -> bool {
    let text = b.text;
    let s = &text[span.clone()];
    let Some((name, text_start)) = text_label(s) else {
        return false;
    };
    let who = &s[name.clone()];
    if !labels.accept(who, false, b.speaker(who).is_some()) {
        return false;
    }
    b.start_turn(
        span.start + name.start..span.start + name.end,
        c.start,
        c.end,
    );
    let rest = &s[text_start..];
    let lead = rest.len() - rest.trim_start().len();
    let from = span.start + text_start + lead;
    b.push(from..from + rest.trim().len(), false, c.start, c.end);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, format: Format) -> Vec<(String, String)> {
        let t = parse(text, format).unwrap();
        t.turns
            .iter()
            .map(|x| (t.speaker(x).name.clone(), x.text.to_string()))
            .collect()
    }

    #[test]
    fn tags_are_cut_out() {
        let line = "<v Maya Chen><i>Hello</i> world, un<b>til</b> now &amp; then&nbsp;ok</v>";
        let mut toks = Vec::new();
        tokenize(line, 0, &mut toks);
        let got: Vec<String> = toks
            .iter()
            .map(|t| match t {
                Tok::Voice(s) => format!("V({})", &line[s.clone()]),
                Tok::Text(s, g) => format!("{}{}", if *g { "+" } else { "" }, &line[s.clone()]),
            })
            .collect();
        assert_eq!(
            got,
            [
                "V(Maya Chen)",
                "Hello",
                "world, un",
                "+til",
                "now &amp; then",
                "ok"
            ]
        );
    }

    #[test]
    fn angle_brackets_in_speech_stay() {
        let line = "a < b and c > d <<<>";
        let mut toks = Vec::new();
        tokenize(line, 0, &mut toks);
        assert!(
            matches!(&toks[..], [Tok::Text(s, false)] if &line[s.clone()] == "a < b and c > d <<<>")
        );
    }

    #[test]
    fn zoom_cues_merge_and_keep_times() {
        let text = "WEBVTT\nKind: captions\n\n1\n00:00:01.000 --> 00:00:02.000\nCoach: Hi\n\n2\n00:00:02.000 --> 00:00:03.500\nCoach: there?\n\n3\n00:00:04.000 --> 00:00:05.000\nClient: Note: yes.\n";
        let t = parse(text, Format::ZoomVtt).unwrap();
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].text, "Hi there?");
        assert_eq!(
            (t.turns[0].start_time, t.turns[0].end_time),
            (Some(1.0), Some(3.5))
        );
        assert_eq!(t.turns[1].text, "Note: yes.");
    }

    #[test]
    fn missing_blank_lines_between_cues() {
        let text = "1\n00:00:01,000 --> 00:00:02,000\nCoach: Hi?\n2\n00:00:03,000 --> 00:00:04,000\nClient: Yes.\n";
        assert_eq!(
            texts(text, Format::Srt),
            [
                ("Coach".into(), "Hi?".into()),
                ("Client".into(), "Yes.".into())
            ]
        );
    }

    #[test]
    fn note_blocks_and_directives() {
        let text = "WEBVTT\n\nNOTE Confidence: 0.9\n\nNOTE\ncoachlint-disable-next-turn ADV001\n\na1b2c3d4-0000-1111-2222-333344445555/1-0\n0:0:5.100 --> 0:0:8.250\n<v A>Hi?</v>\n\nNOTE coachlint-disable-next-turn\n\n00:00:09.000 --> 00:00:10.000\n<v A>More?</v>\n";
        let t = parse(text, Format::TeamsVtt).unwrap();
        assert_eq!(t.directives.len(), 2);
        assert_eq!(
            &text[t.directives[0].span.clone()],
            "coachlint-disable-next-turn ADV001"
        );
        assert_eq!(t.directives[0].selectors, ["ADV001"]);
        // The comment keeps the second cue a turn of its own.
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].start_time, Some(5.1));
    }
}
