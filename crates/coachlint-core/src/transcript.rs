//! The parsed transcript: who spoke, what they said, and where it stands in the file.

use crate::Span;
use serde::Serialize;
use smallvec::SmallVec;
use std::sync::Arc;

pub type SpeakerId = usize;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Coach,
    #[default]
    Client,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Speaker {
    pub name: String,
    /// Set by [`crate::analyze`] from the configuration, the front matter or inference;
    /// parsers leave every speaker a client.
    pub role: Role,
}

/// A stretch of a turn's text and where it stands in the source. The text of a
/// piece is byte-for-byte the source text, so offsets map by adding a constant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Start of this piece in [`Turn::text`].
    pub text_start: usize,
    /// Where the same bytes stand in the source.
    pub source: Span,
}

/// One uninterrupted stretch of speech by one speaker. Consecutive cues or lines
/// of the same speaker are merged into one turn; their texts are joined by a
/// single space, and [`Turn::pieces`] maps the joined text back to the source.
///
/// Two cache lines, the first holding what the passes over every turn read
/// (speaker, text, times): each pass then touches one line a turn.
#[derive(Clone, Debug, PartialEq)]
#[repr(C, align(64))]
pub struct Turn {
    pub speaker: SpeakerId,
    pub text: Text,
    /// Seconds from the start of the recording, where the format has timestamps.
    pub start_time: Option<f64>,
    pub end_time: Option<f64>,
    /// Most turns are one line, one piece: kept inline, not allocated.
    pub pieces: SmallVec<[Piece; 1]>,
    /// Where the speaker's label stands in the source (its first cue), if it has one.
    pub label: Option<Span>,
}

// The layout promised above, on 64-bit targets.
#[cfg(target_pointer_width = "64")]
const _: () =
    assert!(std::mem::size_of::<Turn>() == 128 && std::mem::offset_of!(Turn, pieces) == 64);

impl Turn {
    /// The source byte offset of a byte offset in [`Turn::text`]. An offset in the
    /// joining space between two pieces maps to the start of the next piece.
    pub fn source_offset(&self, text_offset: usize) -> usize {
        let idx = self
            .pieces
            .partition_point(|p| p.text_start <= text_offset)
            .saturating_sub(1);
        let piece = &self.pieces[idx];
        let within = text_offset - piece.text_start;
        if within <= piece.source.len() {
            piece.source.start + within
        } else {
            self.pieces
                .get(idx + 1)
                .map_or(piece.source.end, |p| p.source.start)
        }
    }

    /// The source range covering a range of [`Turn::text`]. The end maps to the
    /// end of the piece it falls in, so a range never ends inside a cue header.
    pub fn source_span(&self, text: Span) -> Span {
        let start = self.source_offset(text.start);
        let end = if text.end == 0 {
            start
        } else {
            self.source_offset(text.end - 1) + 1
        };
        // `text.end - 1` may sit inside a multi-byte char; step to its end.
        start..end.max(start)
    }

    /// The source ranges a range of [`Turn::text`] covers, one per piece it
    /// touches: what an edit replacing that text must change.
    pub fn source_pieces(&self, text: Span) -> SmallVec<[Span; 1]> {
        self.pieces
            .iter()
            .filter_map(|p| {
                let p_end = p.text_start + p.source.len();
                let s = text.start.max(p.text_start);
                let e = text.end.min(p_end);
                (s < e).then(|| {
                    p.source.start + (s - p.text_start)..p.source.start + (e - p.text_start)
                })
            })
            .collect()
    }

    /// The whole source range of the turn's text.
    pub fn span(&self) -> Span {
        let first = self.pieces.first().map_or(0, |p| p.source.start);
        let last = self.pieces.last().map_or(first, |p| p.source.end);
        first..last
    }

    /// Where the turn starts in the source: its label, or its text.
    pub fn start(&self) -> usize {
        self.label.as_ref().map_or(self.span().start, |l| l.start)
    }
}

/// A turn's text. The turns of one parse are ranges of one shared buffer:
/// a long session's eight hundred turns are one allocation, not eight
/// hundred. Reads as a `str`; a turn edited later gets a buffer of its own.
#[derive(Clone, Default)]
pub struct Text {
    // Not `Arc<str>`: that would copy the buffer once more to build it.
    // `None` for the empty text, which allocates nothing.
    buf: Option<Arc<String>>,
    range: Span,
}

impl Text {
    /// `range` of `buf`, on character boundaries.
    pub(crate) fn shared(buf: &Arc<String>, range: Span) -> Text {
        debug_assert!(buf.get(range.clone()).is_some());
        Text {
            buf: Some(Arc::clone(buf)),
            range,
        }
    }

    pub fn as_str(&self) -> &str {
        self.buf.as_ref().map_or("", |b| &b[self.range.clone()])
    }

    /// Replaces `range` of the text with `with` (the turn gets a buffer of
    /// its own).
    pub fn replace_range(&mut self, range: Span, with: &str) {
        let mut s = self.as_str().to_owned();
        s.replace_range(range, with);
        *self = Text::from(s);
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        let range = 0..s.len();
        Text {
            buf: Some(Arc::new(s)),
            range,
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::from(s.to_owned())
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Texts compare by their characters, wherever they are kept.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

/// Metadata from the native format's front matter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub coach: Vec<String>,
    pub client: Vec<String>,
    pub date: Option<String>,
    pub topic: Option<String>,
    /// The whole `---` … `---` block.
    pub span: Option<Span>,
}

/// A `coachlint-disable…` comment in the transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub span: Span,
    pub scope: DirectiveScope,
    /// Codes, names or categories; empty means every rule.
    pub selectors: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveScope {
    /// Findings in the turn that follows the comment.
    NextTurn,
    /// Findings anywhere in the file.
    File,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Transcript {
    pub format: crate::Format,
    pub front_matter: FrontMatter,
    pub speakers: Vec<Speaker>,
    pub turns: Vec<Turn>,
    pub directives: Vec<Directive>,
}

impl Transcript {
    pub fn speaker(&self, turn: &Turn) -> &Speaker {
        &self.speakers[turn.speaker]
    }

    pub fn role(&self, turn: &Turn) -> Role {
        self.speakers[turn.speaker].role
    }

    /// The id of a speaker by name, adding it if new.
    pub fn intern_speaker(&mut self, name: &str) -> SpeakerId {
        if let Some(i) = self.speakers.iter().position(|s| s.name == name) {
            return i;
        }
        self.speakers.push(Speaker {
            name: name.to_owned(),
            role: Role::Client,
        });
        self.speakers.len() - 1
    }

    /// The turn whose text (or label) contains a source offset.
    pub fn turn_at(&self, offset: usize) -> Option<usize> {
        let i = self.turns.partition_point(|t| t.start() <= offset);
        let i = i.checked_sub(1)?;
        (offset <= self.turns[i].span().end).then_some(i)
    }
}
