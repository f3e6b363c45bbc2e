//! Transcript formats: detection from content, and one parser per format.
//!
//! Every parser keeps, for each turn, the exact source range of every piece of
//! its text (see [`crate::transcript::Piece`]), so findings point at the words,
//! never at a timestamp, a cue header or a markup tag. Parsers open one raw turn
//! per label, heading or cue through a `Builder`, which merges consecutive
//! turns of one speaker (unless a suppression comment stands between them),
//! drops turns without words and numbers the speakers in order of speech.

mod cues;
mod headings;
pub(crate) mod incremental;
mod labels;
mod native;

use crate::Span;
use crate::transcript::{Directive, FrontMatter, Piece, SpeakerId, Text, Transcript, Turn};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `Name: text` lines, optional front matter and timestamps; plain text too.
    Transcript,
    /// Zoom WebVTT: `Name: text` inside cues.
    ZoomVtt,
    /// Microsoft Teams WebVTT: `<v Name>` voice tags.
    TeamsVtt,
    Srt,
    /// Otter.ai text export: `Name  M:SS` headings.
    Otter,
    /// Rev text export: `Name (MM:SS):` headings.
    Rev,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Transcript,
        Format::ZoomVtt,
        Format::TeamsVtt,
        Format::Srt,
        Format::Otter,
        Format::Rev,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Transcript => "transcript",
            Format::ZoomVtt => "zoom-vtt",
            Format::TeamsVtt => "teams-vtt",
            Format::Srt => "srt",
            Format::Otter => "otter",
            Format::Rev => "rev",
        }
    }

    pub fn parse_name(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// A human name for messages: "Microsoft Teams WebVTT".
    pub fn description(self) -> &'static str {
        match self {
            Format::Transcript => "a plain-text transcript",
            Format::ZoomVtt => "a Zoom WebVTT file",
            Format::TeamsVtt => "a Microsoft Teams WebVTT file",
            Format::Srt => "an SRT subtitle file",
            Format::Otter => "an Otter.ai text export",
            Format::Rev => "a Rev text export",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a text could not be read as a transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line the problem was seen on, where there is one.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ParseError {}

/// Lines looked at to detect a format: enough to see several turns, bounded so
/// detection stays cheap on huge inputs.
const DETECT_LINES: usize = 2000;

/// The format a text is in, judged from its content: a `WEBVTT` header (voice
/// tags make it Teams), cue timings (SRT), or whichever of Otter headings, Rev
/// headings and inline `Name: text` labels is most common in the first lines.
pub fn detect(text: &str) -> Format {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("WEBVTT") {
        return cues::detect_vtt(head);
    }
    // Front matter is only the native format's.
    if lines(head)
        .next()
        .is_some_and(|(_, l)| l.trim_end() == "---")
    {
        return Format::Transcript;
    }
    let (mut otter, mut rev, mut native, mut timings) = (0usize, 0usize, 0usize, 0usize);
    let mut first_timing_comma = None;
    for (_, line) in lines(head).take(DETECT_LINES) {
        if let Some(comma) = cues::timing_separator(line) {
            timings += 1;
            first_timing_comma.get_or_insert(comma);
        } else if headings::is_otter_heading(line) {
            otter += 1;
        } else if headings::is_rev_heading(line) {
            rev += 1;
        } else if native::is_inline_label(line) {
            native += 1;
        }
    }
    if timings > 0 {
        // A WebVTT file without its header still has `.` before milliseconds
        // and, from Teams, voice tags; anything else with cues reads as SRT.
        return if first_timing_comma == Some(false) && cues::has_voice_tag(head) {
            Format::TeamsVtt
        } else {
            Format::Srt
        };
    }
    if otter > 0 && otter >= rev && otter > native {
        Format::Otter
    } else if rev > 0 && rev > native {
        Format::Rev
    } else {
        Format::Transcript
    }
}

/// Parses a transcript, detecting its format unless one is given.
pub fn parse(text: &str, format: Option<Format>) -> Result<Transcript, ParseError> {
    let format = format.unwrap_or_else(|| detect(text));
    let transcript = match format {
        Format::Transcript => native::parse(text)?,
        Format::ZoomVtt | Format::TeamsVtt | Format::Srt => cues::parse(text, format)?,
        Format::Otter | Format::Rev => headings::parse(text, format)?,
    };
    if transcript.turns.is_empty() {
        return Err(ParseError {
            line: None,
            message: format!(
                "no speaker turns found (read as {}): {}",
                format.description(),
                expected_label(format)
            ),
        });
    }
    Ok(transcript)
}

/// What a speaker label looks like in a format, for error messages.
fn expected_label(format: Format) -> &'static str {
    match format {
        Format::Transcript => {
            "expected lines like `Coach: What would you like to focus on?`, one per change of speaker"
        }
        Format::ZoomVtt => {
            "expected cues whose text starts with the speaker, like `Coach: What would you like to focus on?`; \
             this WebVTT file may have been exported without speaker names"
        }
        Format::TeamsVtt => {
            "expected voice tags like `<v Coach>What would you like to focus on?</v>`; \
             this Teams transcript may have been exported without speaker attribution"
        }
        Format::Srt => {
            "expected cue text starting with the speaker, like `Coach: What would you like to focus on?`; \
             SRT files often carry no speaker names, so use a transcript export that has them"
        }
        Format::Otter => {
            "expected headings like `Coach  0:02` (name, two spaces, time) with the text on the next lines"
        }
        Format::Rev => {
            "expected headings like `Coach (00:02):` on their own line with the text on the next lines"
        }
    }
}

/// Whether a text looks like a transcript at all (for editors that send any
/// `.txt` or `.vtt`): a random text file must get no findings.
pub fn looks_like_transcript(text: &str) -> bool {
    parse(text, None).is_ok_and(|t| t.turns.len() >= 2 && t.speakers.len() >= 2)
}

/// Lines with the byte offset where each starts, without their line ending
/// (`\n` or `\r\n`). A leading byte-order mark is skipped, not returned.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    lines_from(text, bom)
}

/// [`lines`] from `start`, the start of a line, on.
pub(crate) fn lines_from(text: &str, start: usize) -> impl Iterator<Item = (usize, &str)> {
    // Bytes, not chars: a vectorised search for `\n` and a byte loop for the
    // ending, as every parser reads every line through here.
    let b = text.as_bytes();
    let mut offset = start;
    std::iter::from_fn(move || {
        let line_start = offset;
        if line_start >= b.len() {
            return None;
        }
        let mut end = match memchr::memchr(b'\n', &b[line_start..]) {
            Some(i) => line_start + i,
            None => b.len(),
        };
        offset = (end + 1).min(b.len());
        // Only `\r` can stand before the `\n` (or the end).
        while end > line_start && b[end - 1] == b'\r' {
            end -= 1;
        }
        Some((line_start, &text[line_start..end]))
    })
}

/// The 1-based line of a byte offset, for error messages.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// `hh:mm:ss`, `mm:ss`, `h:m:s.mmm` or `hh:mm:ss,mmm` to seconds.
#[inline(always)]
pub(crate) fn parse_clock(s: &str) -> Option<f64> {
    // `hh:mm:ss`, the stamp on every line of most transcripts, read directly
    // and without a call.
    if let &[h1, h0, b':', m1, m0, b':', s1, s0] = s.as_bytes() {
        let d = [h1, h0, m1, m0, s1, s0];
        if d.iter().all(u8::is_ascii_digit) {
            let [h1, h0, m1, m0, s1, s0] = d.map(|c| u32::from(c - b'0'));
            return Some(f64::from(
                ((h1 * 10 + h0) * 60 + m1 * 10 + m0) * 60 + s1 * 10 + s0,
            ));
        }
    }
    any_clock(s)
}

/// [`parse_clock`] past its `hh:mm:ss` fast path.
fn any_clock(s: &str) -> Option<f64> {
    clock_digits(s.as_bytes()).or_else(|| clock_fields(s))
}

/// The usual clock, `12:34:56` or `1:02.500`, in one pass over the bytes:
/// digit fields and a fraction only in the last. Computes exactly what
/// [`clock_fields`] does; anything else is left to it.
fn clock_digits(b: &[u8]) -> Option<f64> {
    let (mut before, mut field, mut digits) = (0u64, 0u64, 0usize);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' if digits < 9 => {
                field = field * 10 + u64::from(c - b'0');
                digits += 1;
            }
            b':' if digits > 0 => {
                before = before.checked_mul(60)?.checked_add(field)?;
                (field, digits) = (0, 0);
            }
            b'.' | b',' if digits > 0 => {
                let frac = &b[i + 1..];
                if frac.is_empty() || frac.len() > 9 || !frac.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let f = frac.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
                let v = field as f64 + f as f64 / 10f64.powi(frac.len() as i32);
                return Some(before as f64 * 60.0 + v);
            }
            _ => return None,
        }
    }
    (digits > 0).then_some(before as f64 * 60.0 + field as f64)
}

/// Any clock: fields of digits or decimals, separated by `:`.
fn clock_fields(s: &str) -> Option<f64> {
    let mut secs = 0.0;
    for part in s.split(':') {
        let value = match clock_part(part) {
            Some(v) => v,
            // Anything but digits and one decimal mark: the general parser.
            None => part
                .replacen(',', ".", 1)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())?,
        };
        secs = secs * 60.0 + value;
    }
    Some(secs)
}

/// `12`, `05.100` or `05,100` without allocating or a float parser: every line
/// of a timestamped transcript has a clock.
fn clock_part(part: &str) -> Option<f64> {
    let (whole, frac) = match part.bytes().position(|b| b == b'.' || b == b',') {
        Some(i) => (&part[..i], Some(&part[i + 1..])),
        None => (part, None),
    };
    let digits = |d: &str| !d.is_empty() && d.len() <= 9 && d.bytes().all(|b| b.is_ascii_digit());
    let int = |d: &str| d.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    if !digits(whole) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    let mut v = int(whole) as f64;
    if let Some(f) = frac {
        v += int(f) as f64 / 10f64.powi(f.len() as i32);
    }
    Some(v)
}

/// `s.trim()`, without the Unicode look-ups when both ends are visible ASCII,
/// as they are for nearly every name and line of speech trimmed per line.
pub(crate) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Where `trim(s)`, a part of `s`, starts within it.
fn lead(s: &str, trimmed: &str) -> usize {
    if trimmed.len() == s.len() {
        0
    } else {
        s.len() - s.trim_start().len()
    }
}

/// Appends a stretch of source text to a turn, joined to the text before by a
/// space, or by nothing when `glued` (a word split by a tag, `un<i>til</i>`).
/// Only the pieces are noted: [`Builder::finish`] copies the texts of all
/// turns into one buffer.
#[inline(always)]
fn push_piece(turn: &mut Turn, source: Span, glued: bool) {
    let text_start = match turn.pieces.len() {
        0 => 0,
        n => {
            if n == 1 {
                // A turn of several cues has usually a few more.
                turn.pieces.reserve(3);
            }
            text_len(&turn.pieces) + usize::from(!glued)
        }
    };
    turn.pieces.push(Piece { text_start, source });
}

/// The length of the text of a turn of `pieces`: where the last one ends.
fn text_len(pieces: &[Piece]) -> usize {
    pieces.last().map_or(0, |p| p.text_start + p.source.len())
}

/// Collects turns for every format. Each labelled line, heading or cue opens a
/// raw turn, merged as it is opened into the turn before when that is the same
/// speaker's: the turns are built in place, never moved or merged afterwards.
struct Builder<'a> {
    text: &'a str,
    /// The turns so far; all but the last have text.
    t: Transcript,
    ids: HashMap<String, SpeakerId>,
    /// Where the text of the open raw turn goes.
    open: Open,
    /// A directive was seen since the last turn was opened.
    directive_pending: bool,
    /// The last two names [`Builder::speaker`] found: speakers mostly take
    /// turns, and comparing with them is cheaper than hashing each label.
    recent: [Option<(&'a str, SpeakerId)>; 2],
}

/// The raw turn text is pushed to: the last of the turns.
#[derive(Clone, Copy)]
enum Open {
    /// A turn of its own, dropped if no text comes.
    Own,
    /// The same speaker's turn before, which the raw turn continues; whether
    /// the raw turn has text yet, and the end time it was opened with, which
    /// applies only once it has.
    Merged {
        has_text: bool,
        end_time: Option<f64>,
    },
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, format: Format) -> Self {
        Builder {
            text,
            t: Transcript {
                format,
                front_matter: FrontMatter::default(),
                speakers: Vec::new(),
                turns: Vec::new(),
                directives: Vec::new(),
            },
            ids: HashMap::default(),
            open: Open::Own,
            directive_pending: false,
            recent: [None; 2],
        }
    }

    /// Room for `turns` more turns, when a parser knows at most how many it
    /// will open: a long session's list then never grows and moves.
    fn reserve(&mut self, turns: usize) {
        self.t.turns.reserve(turns);
    }

    /// The speaker already named `name`, if any.
    fn speaker(&mut self, name: &'a str) -> Option<SpeakerId> {
        if let Some(&(_, id)) = self.recent.iter().flatten().find(|(n, _)| *n == name) {
            return Some(id);
        }
        let id = self.ids.get(name).copied()?;
        self.recent = [Some((name, id)), self.recent[0]];
        Some(id)
    }

    /// Opens a turn for the speaker whose label (a name) stands at `label`;
    /// the label is trimmed so that it spans exactly the speaker's name.
    fn start_turn(&mut self, label: Span, start_time: Option<f64>, end_time: Option<f64>) {
        let raw = &self.text[label.clone()];
        let name = trim(raw);
        let lead = lead(raw, name);
        let label = label.start + lead..label.start + lead + name.len();
        let speaker = match self.ids.get(name) {
            Some(&id) => id,
            None => {
                self.ids.insert(name.to_owned(), self.t.speakers.len());
                self.t.speakers.push(crate::Speaker {
                    name: name.to_owned(),
                    role: crate::Role::Client,
                });
                self.t.speakers.len() - 1
            }
        };
        self.open(speaker, Some(label), start_time, end_time);
    }

    /// [`Builder::start_turn`] for a label that needs no trimming and names
    /// `speaker`, known already: its name is not looked up again.
    fn start_known_turn(&mut self, speaker: SpeakerId, label: Span, start_time: Option<f64>) {
        debug_assert_eq!(self.ids.get(&self.text[label.clone()]), Some(&speaker));
        self.open(speaker, Some(label), start_time, None);
    }

    #[inline(always)]
    fn open(
        &mut self,
        speaker: SpeakerId,
        label: Option<Span>,
        start_time: Option<f64>,
        end_time: Option<f64>,
    ) {
        self.close();
        // After a suppression comment, a turn stands alone for the comment to
        // apply to it.
        let merge =
            !self.directive_pending && self.t.turns.last().is_some_and(|t| t.speaker == speaker);
        self.directive_pending = false;
        if merge {
            self.open = Open::Merged {
                has_text: false,
                end_time,
            };
            return;
        }
        self.t.turns.push(Turn {
            speaker,
            label,
            text: Text::default(),
            pieces: SmallVec::new(),
            start_time,
            end_time,
        });
        self.open = Open::Own;
    }

    /// Ends the open raw turn: a turn of its own without text is dropped.
    fn close(&mut self) {
        if matches!(self.open, Open::Own)
            && self.t.turns.last().is_some_and(|t| t.pieces.is_empty())
        {
            self.t.turns.pop();
        }
    }

    /// Adds the source text at `source` (already trimmed) to the open turn. Text
    /// after a suppression comment opens a new turn of the same speaker. Text
    /// before any speaker has nobody to belong to and is dropped.
    #[inline]
    fn push(&mut self, source: Span, glued: bool, start_time: Option<f64>, end_time: Option<f64>) {
        if source.is_empty() {
            return;
        }
        let Some(last) = self.t.turns.last() else {
            return;
        };
        if self.directive_pending {
            let speaker = last.speaker;
            self.open(speaker, None, start_time, end_time);
        }
        let text = self.text;
        let turn = self.t.turns.last_mut().expect("a turn is open");
        match &mut self.open {
            Open::Own => push_piece(turn, source, glued),
            Open::Merged {
                has_text,
                end_time: opened_with,
            } => {
                // The raw turn's first piece follows the turn's text after a
                // space; a glued piece stays glued unless the piece before it
                // ends with a space (as the merging of whole turns had it).
                let glued = *has_text
                    && glued
                    && !turn
                        .pieces
                        .last()
                        .is_some_and(|p| text[..p.source.end].ends_with(' '));
                push_piece(turn, source, glued);
                if !*has_text && opened_with.is_some() {
                    turn.end_time = *opened_with;
                }
                *has_text = true;
            }
        }
        if end_time.is_some() {
            turn.end_time = end_time;
        }
    }

    /// Adds a line's text, trimmed of surrounding whitespace.
    fn push_trimmed(&mut self, line: &str, start: usize, time: (Option<f64>, Option<f64>)) {
        let s = trim(line);
        if !s.is_empty() {
            let lead = lead(line, s);
            self.push(start + lead..start + lead + s.len(), false, time.0, time.1);
        }
    }

    fn directive(&mut self, d: Directive) {
        self.t.directives.push(d);
        self.directive_pending = true;
    }

    /// Fills in every turn's text, fills missing end times from the next
    /// turn's start, and renumbers the speakers so that only those who spoke
    /// remain, in order of first speech.
    fn finish(mut self) -> Transcript {
        self.close();
        let mut t = self.t;
        let mut turns = std::mem::take(&mut t.turns);
        // Every turn's text, one after another in one buffer.
        let mut buf = String::with_capacity(turns.iter().map(|t| text_len(&t.pieces)).sum());
        for turn in &turns {
            let start = buf.len();
            for p in &turn.pieces {
                if buf.len() - start < p.text_start {
                    buf.push(' ');
                }
                buf.push_str(&self.text[p.source.clone()]);
            }
        }
        let buf = std::sync::Arc::new(buf);
        let mut start = 0;
        for turn in &mut turns {
            let len = text_len(&turn.pieces);
            turn.text = Text::shared(&buf, start..start + len);
            start += len;
        }
        debug_assert_eq!(start, buf.len());
        for i in 1..turns.len() {
            if turns[i - 1].end_time.is_none() {
                turns[i - 1].end_time = turns[i].start_time;
            }
        }
        let mut map = vec![None; t.speakers.len()];
        let mut speakers = Vec::new();
        for turn in &mut turns {
            let id = *map[turn.speaker].get_or_insert_with(|| {
                speakers.push(t.speakers[turn.speaker].clone());
                speakers.len() - 1
            });
            turn.speaker = id;
        }
        t.speakers = speakers;
        t.turns = turns;
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_values() {
        assert_eq!(parse_clock("00:01:02"), Some(62.0));
        assert_eq!(parse_clock("1:02"), Some(62.0));
        assert_eq!(parse_clock("0:0:5.100"), Some(5.1));
        assert_eq!(parse_clock("00:00:01,500"), Some(1.5));
        assert_eq!(parse_clock("a:00"), None);
        assert_eq!(parse_clock("1:+2"), Some(62.0));
        // The fast path agrees with the float parser.
        for c in [
            "01:02:03.456",
            "59,999",
            "0:0:0.1",
            "123456789.987654321",
            "7:5.05",
        ] {
            let slow = c.split(':').fold(0.0, |s, p| {
                s * 60.0 + p.replacen(',', ".", 1).parse::<f64>().unwrap()
            });
            assert!((parse_clock(c).unwrap() - slow).abs() < 1e-9, "{c}");
            assert_eq!(clock_digits(c.as_bytes()), clock_fields(c), "{c}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_one_pass_clock_agrees_with_the_general_one(s in "[0-9:.,+ ]{0,14}") {
            if let Some(v) = clock_digits(s.as_bytes()) {
                proptest::prop_assert_eq!(Some(v), clock_fields(&s), "{:?}", s);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn lines_agree_with_split_inclusive(s in "[a\r\né ]{0,12}", at in 0usize..13) {
            let start = s.char_indices().map(|(i, _)| i).chain([s.len()]).find(|&i| i >= at.min(s.len())).unwrap();
            let mut offset = start;
            let want: Vec<_> = s[start..]
                .split_inclusive('\n')
                .map(|line| {
                    let at = offset;
                    offset += line.len();
                    (at, line.trim_end_matches(['\n', '\r']))
                })
                .collect();
            let got: Vec<_> = lines_from(&s, start).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    proptest::proptest! {
        #[test]
        fn trim_agrees_with_str_trim(s in "[ \t\u{a0}\u{3000}a#é]{0,6}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
            let t = trim(&s);
            if !t.is_empty() {
                proptest::prop_assert_eq!(lead(&s, t), s.len() - s.trim_start().len());
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_hh_mm_ss_clock_agrees_with_the_general_one(s in "[0-9]{2}[:.][0-9]{2}:[0-9a]{2}") {
            proptest::prop_assert_eq!(parse_clock(&s), clock_fields(&s), "{:?}", s);
        }
    }

    #[test]
    fn lines_skip_bom_and_crlf() {
        let v: Vec<_> = lines("\u{feff}a\r\nb\n\nc").collect();
        assert_eq!(v, [(3, "a"), (6, "b"), (8, ""), (9, "c")]);
    }

    #[test]
    fn line_numbers() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(line_of("a", 99), 1);
    }
}
