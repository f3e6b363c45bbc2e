//! The native `.transcript` format, which is also what people type or paste:
//! optional `---` front matter, then `Name: text` lines, optionally stamped
//! `[hh:mm:ss]`, `hh:mm:ss` or `Name (hh:mm:ss):`, or written `**Name:**`;
//! continuation lines belong to the previous turn; `# coachlint-disable…` lines
//! are directives.
//!
//! A colon does not make a label: see [`super::labels`]. In a file whose labels
//! all carry timestamps, an unstamped new name is read as speech too.

use super::labels::{
    self, Labels, MAX_NAME, SCAN, Verdict, at_most_chars, clock_end, plain_name, skip_blanks,
    trim_blanks_end,
};
use super::{Builder, Format, ParseError, lines, parse_clock};
use crate::suppress;
use crate::transcript::Transcript;
use smallvec::SmallVec;

struct Label<'a> {
    /// The name and its byte range within the line.
    name: &'a str,
    name_range: std::ops::Range<usize>,
    /// The clock's range within the line: parsed only for a label that is
    /// kept, not for every line scanned.
    clock: Option<std::ops::Range<usize>>,
    /// Stamped or Markdown bold: a deliberate label.
    strong: bool,
    stamped: bool,
    /// Where the text after the label starts within the line.
    text_start: usize,
}

/// A label at the start of a line:
///
/// ```text
/// [ \t]* ( [\[(]? CLOCK [\])]? [ \t]+ ( [-–—|] [ \t]+ )? )?
///   ( ** NAME :** | ** NAME **: | NAME ( [ \t]* [\[(] CLOCK [\])] )? [ \t]* : )
/// ( [ \t]+ | end of line )
/// ```
///
/// NAME starts with a letter, has no colon and at most 60 characters; it is
/// judged later by [`Labels::accept`]. Hand-written rather than a regex: this
/// runs on every line, and the regex's capture groups made it the slowest
/// step of parsing. Only the label is scanned, never the whole line. The
/// scanners it calls are inlined into it: it runs on every line.
fn label(line: &str) -> Option<Label<'_>> {
    let b = line.as_bytes();
    let (mut time, i) = match stamp(line) {
        Some((clock, after)) => (Some(clock), after),
        None => (None, skip_blanks(b, 0)),
    };
    let (name, end, markdown) = if line[i..].starts_with("**") {
        let (name, end) = markdown_name(line, i + 2)?;
        (name, end, true)
    } else {
        let (name, end, trailing) = plain_name(line, i)?;
        time = time.or(trailing);
        (name, end, false)
    };
    let stamped = time.is_some();
    // The label must be followed by a blank or the end of the line.
    if end < b.len() && !matches!(b[end], b' ' | b'\t') {
        return None;
    }
    Some(Label {
        name: &line[name.clone()],
        name_range: name,
        clock: time,
        strong: stamped || markdown,
        stamped,
        text_start: skip_blanks(b, end),
    })
}

/// A clock at the start of a line, `[00:01:02]`, `(1:02)` or `00:01:02`, and
/// the blanks and any `-` or `|` separator after it: the clock's range and
/// where what follows starts. A clock not followed by a blank ends the line.
#[inline(always)]
fn stamp(line: &str) -> Option<(std::ops::Range<usize>, usize)> {
    let b = line.as_bytes();
    let i = skip_blanks(b, 0);
    let open = usize::from(matches!(b.get(i), Some(b'[' | b'(')));
    let end = clock_end(b, i + open)?;
    let close = end + usize::from(matches!(b.get(end), Some(b']' | b')')));
    let mut after = skip_blanks(b, close);
    if after == close && after < b.len() {
        return None;
    }
    // `00:01:02 - Name:`
    // `-`, `|`, or in UTF-8 an en or em dash.
    let sep = match &b[after..] {
        [b'-' | b'|', ..] => 1,
        [0xE2, 0x80, 0x93 | 0x94, ..] => 3,
        _ => 0,
    };
    if sep > 0 {
        let next = skip_blanks(b, after + sep);
        if next > after + sep {
            after = next;
        }
    }
    Some((i + open..end, after))
}

/// `NAME:**` or `NAME**:` after `**` at `i`: the name's range (blanks trimmed)
/// and where the label ends.
fn markdown_name(line: &str, i: usize) -> Option<(std::ops::Range<usize>, usize)> {
    let q = i + line.as_bytes()[i..]
        .iter()
        .take(SCAN)
        .position(|&c| c == b':' || c == b'*')?;
    let raw = &line[i..q];
    let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
    let name = trim_blanks_end(line, i + lead..q);
    if raw.is_empty() || !at_most_chars(&line[i..name.end], MAX_NAME) {
        return None;
    }
    let b = line.as_bytes();
    let end = if b[q] == b':' {
        let k = skip_blanks(b, q + 1);
        line[k..].starts_with("**").then_some(k + 2)?
    } else {
        let k = line[q..].starts_with("**").then_some(q + 2)?;
        let k = skip_blanks(b, k);
        (b.get(k) == Some(&b':')).then_some(k + 1)?
    };
    (!name.is_empty()).then_some((name, end))
}

/// For detection: a line that starts with a plausible label and goes on with text.
pub(super) fn is_inline_label(line: &str) -> bool {
    label(line).is_some_and(|l| {
        !line[l.text_start..].trim().is_empty()
            && labels::plausible(l.name)
            && !labels::stop_word(l.name)
    })
}

/// What the parser judges a line by, apart from the speech in it: its label
/// (name, clock, kind), its leading clock, whether it is a directive. Two
/// lines of the same shape parse alike (see `super::incremental`).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Shape<'a> {
    label: Option<(&'a str, Option<&'a str>, bool, bool, usize)>,
    inline_label: bool,
    stamp: Option<(usize, &'a str, usize, bool)>,
    directive: bool,
}

pub(super) fn shape(line: &str) -> Shape<'_> {
    Shape {
        label: label(line).map(|l| {
            let clock = l.clock.map(|r| &line[r]);
            (l.name, clock, l.strong, l.stamped, l.text_start)
        }),
        inline_label: is_inline_label(line),
        stamp: stamp(line).map(|(clock, after)| {
            let rest_empty = line[after..].trim().is_empty();
            (clock.start, &line[clock], after, rest_empty)
        }),
        directive: suppress::parse_directive(line, 0).is_some(),
    }
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
    // One pass, each line judged as it comes: only a name whose acceptance
    // depends on how often the file uses it as a label (see
    // `Verdict::IfRepeated`) needs the counts, taken then over the whole body.
    let mut counted = false;
    // A turn a line at most (a vectorised count).
    b.reserve(memchr::memchr_iter(b'\n', &text.as_bytes()[body_start..]).count() + 1);
    let (mut stamped, mut unstamped) = (0usize, 0usize);
    // A clock alone on its line stamps the next label.
    let mut pending_time = None;
    for (start, line) in lines(text).skip_while(|&(start, _)| start < body_start) {
        if let Some(d) = suppress::parse_directive(line, start) {
            b.directive(d);
            continue;
        }
        if let Some(l) = label(line) {
            let known = b.speaker(l.name);
            let spoken = known.is_some();
            // Every label so far was stamped: an unstamped new name is speech.
            let stamped_file = stamped >= 2 && unstamped == 0 && !l.stamped && !spoken;
            let accept = !stamped_file
                && match labels.judge(l.name, l.strong, spoken) {
                    Verdict::Label => true,
                    Verdict::Speech => false,
                    Verdict::IfRepeated => {
                        if !counted {
                            count_labels(text, body_start, &mut labels);
                            counted = true;
                        }
                        labels.repeated(l.name)
                    }
                };
            if accept {
                if l.stamped {
                    stamped += 1;
                } else {
                    unstamped += 1;
                }
                let name = start + l.name_range.start..start + l.name_range.end;
                let time = l.clock.and_then(|r| parse_clock(&line[r]));
                let time = time.or(pending_time.take());
                match known {
                    // Trimming would leave the name as it is: the speaker found.
                    Some(id) if super::trim(l.name).len() == l.name.len() => {
                        b.start_known_turn(id, name, time);
                    }
                    _ => b.start_turn(name, time, None),
                }
                b.push_trimmed(&line[l.text_start..], start + l.text_start, (None, None));
                continue;
            }
        }
        // A stamp before speech is not speech either; but "10:30 works for
        // me" is, so only `[…]` stamps and full `h:mm:ss` clocks count.
        if let Some((clock, after)) = stamp(line).filter(|(c, _)| {
            c.start > 0 && matches!(line.as_bytes()[c.start - 1], b'[' | b'(')
                || line[c.clone()].matches(':').count() == 2
        }) {
            if line[after..].trim().is_empty() {
                pending_time = parse_clock(&line[clock]);
            } else {
                b.push_trimmed(&line[after..], start + after, (None, None));
            }
            continue;
        }
        b.push_trimmed(line, start, (None, None));
    }
    Ok(b.finish())
}

/// Counts the label candidate of every line of the body, directives included.
fn count_labels(text: &str, body_start: usize, labels: &mut Labels) {
    // Counted by name here first: most lines repeat one of a few names, and
    // comparing with those is cheaper than hashing each.
    let mut seen: SmallVec<[(&str, u32); 8]> = SmallVec::new();
    for (_, line) in lines(text).skip_while(|&(start, _)| start < body_start) {
        let Some(l) = label(line) else { continue };
        if let Some((_, n)) = seen.iter_mut().find(|(name, _)| *name == l.name) {
            *n += 1;
        } else if seen.len() < seen.inline_size() {
            seen.push((l.name, 1));
        } else {
            labels.count(l.name);
        }
    }
    for (name, n) in seen {
        labels.count_times(name, n);
    }
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
            .map(|x| (t.speaker(x).name.clone(), x.text.to_string()))
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
    fn clocks_are_not_speech() {
        let text = "[00:00:02]\nCoach: Hi?\n00:00:05 Client: Well.\n[00:00:07] (laughs)\n10:30 works.\n00:00:09\n";
        let t = parse(text).unwrap();
        assert_eq!(t.turns[0].start_time, Some(2.0));
        assert_eq!(t.turns[0].text, "Hi?");
        assert_eq!(t.turns[1].text, "Well. (laughs) 10:30 works.");
    }

    #[test]
    fn same_speaker_lines_merge() {
        let t = turns("Coach: One?\nCoach: Two?\nClient: Yes.\n");
        assert_eq!(t[0].1, "One? Two?");
        assert_eq!(t.len(), 2);
    }

    /// The grammar of [`label`] as a regex: the hand-written scanner must
    /// agree with it.
    fn label_by_regex(line: &str) -> Option<(String, Option<String>, bool, usize)> {
        static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            const TS: &str = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?";
            regex::Regex::new(&format!(
            r"^[ \t]*(?:[\[(]?(?<ts>{TS})[\])]?[ \t]+(?:[-–—|][ \t]+)?)?(?:\*\*(?<md>[^*:\n]{{1,60}}?)[ \t]*(?::[ \t]*\*\*|\*\*[ \t]*:)|(?<name>\p{{L}}[^:\n]{{0,59}}?)(?:[ \t]*[\[(](?<ts2>{TS})[\])])?[ \t]*:)(?:[ \t]+|$)"
        ))
        .unwrap()
        });
        let c = RE.captures(line)?;
        let md = c.name("md");
        let name = md.or(c.name("name"))?.as_str().trim_matches([' ', '\t']);
        let ts = c
            .name("ts")
            .or(c.name("ts2"))
            .map(|m| m.as_str().to_owned());
        if name.is_empty() {
            return None;
        }
        let strong = ts.is_some() || md.is_some();
        Some((name.to_owned(), ts, strong, c.get(0).unwrap().end()))
    }

    proptest::proptest! {
        #[test]
        fn scanner_agrees_with_the_grammar(
            line in "[ \t]{0,2}(\\[|\\()?([0-9]{1,3}(:[0-9]{1,3}){0,3}([.,][0-9]{0,4})?)?(\\]|\\))?[ \t]{0,2}(- |\\| |– |— )?(\\*\\*)?[A-Za-zé ]{0,6}[ \t]{0,2}((\\(|\\[)[0-9]{1,2}(:[0-9]{1,2}){0,2}(\\)|\\]))?[ \t]?:?(\\*\\*)?:?[ \t]?[a-z:]{0,3}"
        ) {
            let got = label(&line).map(|l| {
                let time = l.clock.and_then(|r| parse_clock(&line[r]));
                (l.name.to_owned(), time, l.strong, l.text_start)
            });
            let want = label_by_regex(&line)
                .map(|(name, ts, strong, end)| (name, ts.and_then(|t| parse_clock(&t)), strong, end));
            proptest::prop_assert_eq!(got, want, "{:?}", line);
        }
    }

    #[test]
    fn unclosed_front_matter() {
        let e = parse("---\ncoach: A\nA: hi\n").unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
