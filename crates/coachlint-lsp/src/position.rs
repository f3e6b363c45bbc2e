//! The one place where LSP positions meet byte offsets.
//!
//! The engine speaks byte offsets; the client speaks (line, character) where a
//! character is a UTF-8, UTF-16 or UTF-32 code unit, as negotiated at
//! `initialize`. Both directions go through the document's rope, whose line
//! breaks are LSP's own (`\n`, `\r\n`, `\r`), so every conversion is O(log n).

use ropey::Rope;
use std::fmt;
use std::ops::Range as Span;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// How the client counts characters within a line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    /// What LSP assumes when the client says nothing.
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    pub const ALL: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

    /// The first encoding in the client's list of preference that we know, or
    /// UTF-16, which every client must support.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(Encoding::from_kind)
            .unwrap_or_default()
    }

    pub fn from_kind(kind: &PositionEncodingKind) -> Option<Encoding> {
        Encoding::ALL.into_iter().find(|e| e.kind() == *kind)
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// Code units of one character in this encoding.
    pub fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// A position that is not in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutOfRange {
    pub position: Position,
    /// Lines in the document.
    pub lines: usize,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "position {}:{} is outside the document ({} lines)",
            self.position.line, self.position.character, self.lines
        )
    }
}

impl std::error::Error for OutOfRange {}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The char index where a line's text ends, before its line break.
fn line_end_char(rope: &Rope, line: usize) -> usize {
    if line + 1 >= rope.len_lines() {
        return rope.len_chars();
    }
    let mut end = rope.line_to_char(line + 1);
    let start = rope.line_to_char(line);
    if end > start && rope.char(end - 1) == '\n' {
        end -= 1;
    }
    if end > start && rope.char(end - 1) == '\r' {
        end -= 1;
    }
    end
}

/// The LSP position of a byte offset. Offsets past the end clamp to the end;
/// offsets inside a character stand for that character's start.
pub fn position(rope: &Rope, enc: Encoding, offset: usize) -> Position {
    let offset = offset.min(rope.len_bytes());
    // The common case, an offset on a char boundary: two lookups in the rope
    // and a count within the line (each diagnostic needs two positions).
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    if let Some(before) = rope.get_byte_slice(line_start..offset) {
        let character = match enc {
            Encoding::Utf8 => offset - line_start,
            Encoding::Utf16 => before.len_utf16_cu(),
            Encoding::Utf32 => before.len_chars(),
        };
        return Position::new(to_u32(line), to_u32(character));
    }
    let c = rope.byte_to_char(offset);
    let line = rope.char_to_line(c);
    let start = rope.line_to_char(line);
    let character = match enc {
        Encoding::Utf8 => rope.char_to_byte(c) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(c) - rope.char_to_utf16_cu(start),
        Encoding::Utf32 => c - start,
    };
    Position::new(to_u32(line), to_u32(character))
}

/// The LSP range of a byte range.
pub fn range(rope: &Rope, enc: Encoding, span: &Span<usize>) -> Range {
    Range::new(
        position(rope, enc, span.start),
        position(rope, enc, span.end.max(span.start)),
    )
}

/// Positions of many offsets in one text, faster than the rope's per-offset
/// walk: what publishing hundreds of diagnostics needs. Agrees with
/// [`position`] on every offset.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's start; lines break as LSP's do.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // `\r\n` is one break, after the `\n`.
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex { text, starts }
    }

    /// See [`position`].
    pub fn position(&self, enc: Encoding, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let before = &self.text[self.starts[line]..offset];
        let character = match enc {
            Encoding::Utf8 => before.len(),
            _ if before.is_ascii() => before.len(),
            Encoding::Utf16 => before.chars().map(char::len_utf16).sum(),
            Encoding::Utf32 => before.chars().count(),
        };
        Position::new(to_u32(line), to_u32(character))
    }

    /// See [`range`].
    pub fn range(&self, enc: Encoding, span: &Span<usize>) -> Range {
        Range::new(
            self.position(enc, span.start),
            self.position(enc, span.end.max(span.start)),
        )
    }
}

/// The char index of an LSP position. A character past the end of its line
/// means the end of the line (as LSP says); a line past the end is an error,
/// except the line just after the last at character 0, the very end.
pub fn char_index(rope: &Rope, enc: Encoding, pos: Position) -> Result<usize, OutOfRange> {
    let line = pos.line as usize;
    let lines = rope.len_lines();
    if line >= lines {
        return if line == lines && pos.character == 0 {
            Ok(rope.len_chars())
        } else {
            Err(OutOfRange {
                position: pos,
                lines,
            })
        };
    }
    let start = rope.line_to_char(line);
    let end = line_end_char(rope, line);
    let want = pos.character as usize;
    Ok(match enc {
        Encoding::Utf8 => {
            let base = rope.char_to_byte(start);
            let target = (base + want).min(rope.char_to_byte(end));
            // A byte inside a character stands for that character.
            rope.byte_to_char(target)
        }
        Encoding::Utf16 => {
            let base = rope.char_to_utf16_cu(start);
            let target = (base + want).min(rope.char_to_utf16_cu(end));
            rope.utf16_cu_to_char(target)
        }
        Encoding::Utf32 => (start + want).min(end),
    })
}

/// The byte offset of an LSP position (see [`char_index`]).
pub fn offset(rope: &Rope, enc: Encoding, pos: Position) -> Result<usize, OutOfRange> {
    char_index(rope, enc, pos).map(|c| rope.char_to_byte(c))
}

/// The byte range of an LSP range; a reversed range is an error.
pub fn span(rope: &Rope, enc: Encoding, r: Range) -> Result<Span<usize>, OutOfRange> {
    let start = offset(rope, enc, r.start)?;
    let end = offset(rope, enc, r.end)?;
    if end < start {
        return Err(OutOfRange {
            position: r.end,
            lines: rope.len_lines(),
        });
    }
    Ok(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Coach: héllo 🙂 x\r\nClient: 你好 y\rlast é";

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn negotiation_follows_client_preference_and_defaults_to_utf16() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(Some(&[])), Encoding::Utf16);
        let offered = [
            PositionEncodingKind::new("utf-7"),
            PositionEncodingKind::UTF32,
            PositionEncodingKind::UTF8,
        ];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf32);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF8])),
            Encoding::Utf8
        );
    }

    #[test]
    fn offsets_become_positions_in_each_encoding() {
        let rope = Rope::from_str(TEXT);
        let x = TEXT.find('x').unwrap();
        assert_eq!(position(&rope, Encoding::Utf8, x), pos(0, 19));
        assert_eq!(position(&rope, Encoding::Utf16, x), pos(0, 16));
        assert_eq!(position(&rope, Encoding::Utf32, x), pos(0, 15));
        let y = TEXT.find('y').unwrap();
        assert_eq!(position(&rope, Encoding::Utf8, y), pos(1, 15));
        assert_eq!(position(&rope, Encoding::Utf16, y), pos(1, 11));
        // A lone `\r` ends a line in LSP.
        let last = TEXT.find("last").unwrap();
        assert_eq!(position(&rope, Encoding::Utf16, last), pos(2, 0));
        assert_eq!(position(&rope, Encoding::Utf16, TEXT.len()), pos(2, 6));
        assert_eq!(position(&rope, Encoding::Utf16, TEXT.len() + 10), pos(2, 6));
    }

    #[test]
    fn the_line_index_agrees_with_the_rope_on_every_offset() {
        for text in [TEXT, "", "\n", "\r\r\n\n", "é\r", "a\u{2028}b\u{85}c"] {
            let rope = Rope::from_str(text);
            let index = LineIndex::new(text);
            for enc in Encoding::ALL {
                for i in 0..=text.len() + 2 {
                    assert_eq!(
                        index.position(enc, i),
                        position(&rope, enc, i),
                        "{enc:?} at {i} of {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn positions_round_trip_through_offsets() {
        let rope = Rope::from_str(TEXT);
        for enc in Encoding::ALL {
            // Between `\r` and `\n` is no position in LSP.
            for (i, _) in TEXT
                .char_indices()
                .filter(|&(i, c)| !(c == '\n' && TEXT[..i].ends_with('\r')))
            {
                let p = position(&rope, enc, i);
                assert_eq!(offset(&rope, enc, p), Ok(i), "{enc:?} at {i}");
            }
        }
    }

    #[test]
    fn characters_past_the_line_end_clamp_to_it() {
        let rope = Rope::from_str(TEXT);
        let eol = TEXT.find('\r').unwrap();
        for enc in Encoding::ALL {
            assert_eq!(offset(&rope, enc, pos(0, 500)), Ok(eol));
        }
        // Inside the surrogate pair of 🙂 means the emoji itself.
        let smile = TEXT.find('🙂').unwrap();
        assert_eq!(offset(&rope, Encoding::Utf16, pos(0, 14)), Ok(smile));
        assert_eq!(offset(&rope, Encoding::Utf8, pos(0, 16)), Ok(smile));
    }

    #[test]
    fn lines_past_the_end_are_errors() {
        let rope = Rope::from_str("a\nb");
        assert_eq!(offset(&rope, Encoding::Utf16, pos(2, 0)), Ok(3));
        assert!(offset(&rope, Encoding::Utf16, pos(2, 1)).is_err());
        assert!(offset(&rope, Encoding::Utf16, pos(7, 0)).is_err());
        let reversed = Range::new(pos(1, 0), pos(0, 0));
        assert!(span(&rope, Encoding::Utf16, reversed).is_err());
    }
}
