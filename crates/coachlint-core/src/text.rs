//! Positions for humans: 1-based lines and columns counted in Unicode characters.

use crate::Span;

/// Line starts of a text, for turning byte offsets into lines and columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

/// A 1-based line and column (in Unicode scalar values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset.min(self.len)) - 1
    }

    /// Byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        LineCol {
            line: line + 1,
            column: text[start..offset].chars().count() + 1,
        }
    }

    /// The byte range of a 0-based line, without its line ending.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.line_start(line);
        let end = self.line_start(line + 1);
        let s = &text[start..end];
        let trimmed = s.trim_end_matches(['\n', '\r']);
        start..start + trimmed.len()
    }
}

/// Calls `f` with the offset of each byte of `bytes` that is `a` or `b`, in
/// order. In a short text where those are a few bytes apart (the "w"s and
/// "h"s of a sentence), `memchr_iter` sets up its vectors for each one; here
/// eight bytes at a time give a mask of those equal (bytewise arithmetic that
/// carries into no other byte). Over long text with few such bytes,
/// `memchr_iter` is the faster.
#[inline(always)]
pub(crate) fn for_each_of(bytes: &[u8], a: u8, b: u8, mut f: impl FnMut(usize)) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // The high bit of each zero byte of `x`.
    let zeros = |x: u64| !(((x & LOW) + LOW) | x) & !LOW;
    let mut chunks = bytes.chunks_exact(8);
    for (k, chunk) in (&mut chunks).enumerate() {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let mut found = zeros(x ^ (ONES * u64::from(a))) | zeros(x ^ (ONES * u64::from(b)));
        while found != 0 {
            f(k * 8 + found.trailing_zeros() as usize / 8);
            found &= found - 1;
        }
    }
    let tail = bytes.len() - chunks.remainder().len();
    for (i, &c) in chunks.remainder().iter().enumerate() {
        if c == a || c == b {
            f(tail + i);
        }
    }
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The smallest char boundary at or above `offset`.
pub fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "héllo\nwörld 🙂 x\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), LineCol { line: 2, column: 9 });
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(
            idx.line_col(text, text.len()),
            LineCol { line: 3, column: 1 }
        );
    }

    proptest::proptest! {
        #[test]
        fn line_starts_follow_every_line_feed(text in "[a\n\ré]{0,200}") {
            let expected: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            proptest::prop_assert_eq!(LineIndex::new(&text).starts, expected);
        }

        #[test]
        fn each_of_finds_every_byte_that_is_either(
            bytes in proptest::collection::vec(proptest::sample::select(&[0u8, 1, 0x7f, 0x80, 0xff, b'w', b'h'][..]), 0..40),
            a in proptest::sample::select(&[0u8, 0x7f, 0x80, 0xff, b'w'][..]),
        ) {
            let mut found = Vec::new();
            for_each_of(&bytes, a, b'h', |i| found.push(i));
            let expected: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == a || bytes[i] == b'h').collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }
}
