//! Text exports with a heading line per turn and the words on the lines below:
//! Otter.ai (`Name  M:SS`, two or more spaces, maybe trailing spaces, and a
//! `Transcribed by https://otter.ai` footer) and Rev (`Name (MM:SS):` or
//! `Name (HH:MM:SS):`, the text below or, in some exports, after the colon).
//! Every other line belongs to the turn above it, so a colon in the speech
//! never starts a turn. `# coachlint-disable…` lines are directives.

use super::labels;
use super::{Builder, Format, ParseError, lines, parse_clock};
use crate::suppress;
use crate::transcript::Transcript;
use regex::Regex;
use std::sync::LazyLock;

static OTTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*(?<name>[^\s:][^\t\n]{0,59}?)(?:[ \t]{2,}|\t)(?<ts>\d{1,2}:\d{2}(?::\d{2})?)[ \t]*$")
        .expect("valid Otter heading pattern")
});

static REV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[ \t]*(?<name>[^\s(:][^(\t\n:]{0,59}?)[ \t]+\((?<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\)(?:[ \t]*:|[ \t]*$)",
    )
    .expect("valid Rev heading pattern")
});

struct Heading<'a> {
    name: &'a str,
    name_start: usize,
    time: Option<f64>,
    /// Where any text on the heading line starts.
    text_start: usize,
}

fn heading(format: Format, line: &str) -> Option<Heading<'_>> {
    let re = if format == Format::Rev { &REV } else { &OTTER };
    let c = re.captures(line)?;
    let name = c.name("name")?;
    let trimmed = name.as_str().trim_end();
    labels::plausible(trimmed).then(|| Heading {
        name: trimmed,
        name_start: name.start(),
        time: c.name("ts").and_then(|m| parse_clock(m.as_str())),
        text_start: c.get(0).map_or(line.len(), |m| m.end()),
    })
}

pub(super) fn is_otter_heading(line: &str) -> bool {
    heading(Format::Otter, line).is_some()
}

pub(super) fn is_rev_heading(line: &str) -> bool {
    heading(Format::Rev, line).is_some()
}

/// Otter's closing line, `Transcribed by https://otter.ai`.
fn is_footer(line: &str) -> bool {
    let l = line.trim();
    l.get(..14)
        .is_some_and(|p| p.eq_ignore_ascii_case("transcribed by"))
        && l.contains("otter.ai")
}

pub(super) fn parse(text: &str, format: Format) -> Result<Transcript, ParseError> {
    let mut b = Builder::new(text, format);
    for (start, line) in lines(text) {
        if let Some(d) = suppress::parse_directive(line, start) {
            b.directive(d);
        } else if is_footer(line) {
            continue;
        } else if let Some(h) = heading(format, line) {
            let name = start + h.name_start..start + h.name_start + h.name.len();
            b.start_turn(name, h.time, None);
            b.push_trimmed(&line[h.text_start..], start + h.text_start, (None, None));
        } else {
            b.push_trimmed(line, start, (None, None));
        }
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otter_headings() {
        let text = "Coach  0:02  \r\nHow are you?\r\nStill here?\r\n\r\nClient\t1:02:03\r\nFine.\r\n\r\nTranscribed by https://otter.ai\r\n";
        let t = parse(text, Format::Otter).unwrap();
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].text, "How are you? Still here?");
        assert_eq!(t.turns[0].start_time, Some(2.0));
        assert_eq!(t.turns[0].end_time, Some(3723.0));
        assert_eq!(t.turns[1].text, "Fine.");
        assert!(!is_otter_heading("We met at 5:30"));
        assert!(is_otter_heading("Unknown Speaker  2:56 "));
    }

    #[test]
    fn rev_headings() {
        let text = "Coach (00:02):\nHi there?\nNote: more.\nClient (1:00:02): Inline text.\n";
        let t = parse(text, Format::Rev).unwrap();
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].text, "Hi there? Note: more.");
        assert_eq!(t.turns[1].text, "Inline text.");
        assert_eq!(t.turns[1].start_time, Some(3602.0));
        assert!(is_rev_heading("Speaker 1 (01:02:03):"));
        assert!(!is_rev_heading("I said (loudly): stop"));
    }
}
