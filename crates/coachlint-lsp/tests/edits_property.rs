//! Any sequence of incremental edits, in any position encoding, leaves the
//! document exactly as the editor has it, and gives the same diagnostics as
//! opening the final text fresh.
//!
//! Positions are computed here by a plain walk over the text, independently of
//! the server's `position` module, so the two check each other.

use coachlint_core::{Config, TurnCache, analyze_cached};
use coachlint_lsp::diagnostics;
use coachlint_lsp::document::{Kind, Snapshot, apply_change};
use coachlint_lsp::position::Encoding;
use proptest::prelude::*;
use ropey::Rope;
use std::sync::Mutex;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

const START: &str = include_str!("../testdata/advice-heavy.transcript");

/// Text an edit may insert: multi-byte characters, line breaks, and words that
/// make or break findings and turns.
const POOL: &[&str] = &[
    "",
    "é",
    "🙂",
    "你好",
    "👩‍👩‍👧",
    "ẞ",
    "\n",
    "\r\n",
    "You should ",
    "Coach: ",
    "\nClient: Ok. ",
    "? ",
    "Why ",
    "Have you tried meditation? ",
    "a",
];

/// Byte offsets where an LSP position can stand: char boundaries, never
/// between the `\r` and `\n` of a line break.
fn positions(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .filter(|&i| !(text[..i].ends_with('\r') && text[i..].starts_with('\n')))
        .collect()
}

fn units(c: char, enc: Encoding) -> u32 {
    match enc {
        Encoding::Utf8 => c.len_utf8() as u32,
        Encoding::Utf16 => c.len_utf16() as u32,
        Encoding::Utf32 => 1,
    }
}

/// The LSP position of a byte offset; lines end at `\n`, `\r\n` or `\r`.
fn reference_position(text: &str, offset: usize, enc: Encoding) -> Position {
    let (mut line, mut character) = (0, 0);
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                character = 0;
            }
            _ => character += units(c, enc),
        }
    }
    Position::new(line, character)
}

/// The diagnostics of a text, analysed with `cache` (what the server keeps
/// from the document's earlier versions).
fn diagnostics_of(
    rope: Rope,
    enc: Encoding,
    cache: &Mutex<TurnCache>,
) -> Vec<tower_lsp_server::ls_types::Diagnostic> {
    let config = Config::default();
    let s = Snapshot::analyze(1, 1, rope, Kind::Native, &config, analyze_cached, cache);
    diagnostics::for_snapshot(&s, enc)
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::Utf8),
        Just(Encoding::Utf16),
        Just(Encoding::Utf32)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn incremental_edits_match_a_fresh_open(
        enc in encoding(),
        edits in prop::collection::vec((any::<u32>(), 0usize..40, 0..POOL.len()), 1..25),
    ) {
        let mut model = START.to_owned();
        let mut rope = Rope::from_str(START);
        // The server analyses every version with one cache.
        let cache = Mutex::default();
        let mut edited = diagnostics_of(rope.clone(), enc, &cache);
        for (at, len, pick) in edits {
            let spots = positions(&model);
            let i = at as usize % spots.len();
            let j = (i + len).min(spots.len() - 1);
            let (start, end) = (spots[i], spots[j]);
            let change = TextDocumentContentChangeEvent {
                range: Some(Range::new(
                    reference_position(&model, start, enc),
                    reference_position(&model, end, enc),
                )),
                range_length: None,
                text: POOL[pick].to_owned(),
            };
            apply_change(&mut rope, &change, enc).unwrap();
            model.replace_range(start..end, POOL[pick]);
            prop_assert_eq!(rope.to_string(), model.clone());
            edited = diagnostics_of(rope.clone(), enc, &cache);
        }
        let fresh = diagnostics_of(Rope::from_str(&model), enc, &Mutex::default());
        prop_assert_eq!(edited, fresh);
    }
}

#[test]
fn the_reference_agrees_with_the_server_on_every_offset() {
    let text = format!("{START}\r\nCoach: 🙂 你好 é\rClient: ok\n");
    let rope = Rope::from_str(&text);
    for enc in Encoding::ALL {
        for i in positions(&text) {
            let p = reference_position(&text, i, enc);
            assert_eq!(coachlint_lsp::position::position(&rope, enc, i), p);
            assert_eq!(coachlint_lsp::position::offset(&rope, enc, p), Ok(i));
        }
    }
}
