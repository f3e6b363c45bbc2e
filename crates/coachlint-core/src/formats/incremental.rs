//! A transcript after a small edit, without parsing the text again: what an
//! editor needs on every keystroke in a long session.
//!
//! Only the common edit is applied to the previous transcript: one change
//! within the speech of one line of the native format that leaves the line's
//! shape (everything the parser and format detection judge it by) alone.
//! Then every line parses as before, so the turns are the old ones with one
//! piece's text changed and everything after it moved. Anything else is
//! parsed afresh. The tests check the result against a fresh parse.

use super::{Format, cues, headings, lines, lines_from, native};
use crate::transcript::{Piece, Transcript};

/// Updates `t`, the transcript of `old`, to be that of `new`, if the edit
/// between them is one this module can apply; `false` (and `t` untouched)
/// otherwise.
pub(crate) fn apply_edit(old: &str, t: &mut Transcript, new: &str) -> bool {
    if t.format != Format::Transcript {
        return false;
    }
    let (start, old_end, new_end) = edited(old, new);
    let (removed, inserted) = (&old[start..old_end], &new[start..new_end]);
    if removed.contains(['\n', '\r']) || inserted.contains(['\n', '\r']) {
        return false;
    }
    if removed.is_empty() && inserted.is_empty() {
        return true;
    }
    // The piece the edit starts in. Its start, and the label or clock before
    // it, stay as they are: the edit starts after the piece's first character,
    // or at it and leaves a character that is not a blank there.
    let ti = t.turns.partition_point(|turn| turn.span().start <= start);
    let Some(ti) = ti.checked_sub(1) else {
        return false;
    };
    let turn = &t.turns[ti];
    let keeps_start = |p: &Piece| {
        p.source.start < start
            || p.source.start == start && new[start..].starts_with(|c: char| !c.is_whitespace())
    };
    let Some(pi) = turn
        .pieces
        .iter()
        .position(|p| keeps_start(p) && start <= p.source.end)
    else {
        return false;
    };
    let piece = turn.pieces[pi].clone();
    let line_start = old[..start].rfind('\n').map_or(0, |i| i + 1);
    let old_line = line(old, line_start);
    let new_line = line(new, line_start);
    // A native piece is the rest of its line, trimmed.
    if piece.source.end != line_start + old_line.trim_end().len()
        || old_end > line_start + old_line.len()
        || !same_shape(old_line, new_line)
    {
        return false;
    }
    let piece_end = line_start + new_line.trim_end().len();
    let delta = new.len() as isize - old.len() as isize;
    // Only offsets after the edit move, and they stay in the new text.
    let moved = |at: usize| at.saturating_add_signed(delta);

    let turn = &mut t.turns[ti];
    let old_len = piece.source.len();
    let new_len = piece_end - piece.source.start;
    turn.text.replace_range(
        piece.text_start..piece.text_start + old_len,
        &new[piece.source.start..piece_end],
    );
    turn.pieces[pi].source.end = piece_end;
    for p in &mut turn.pieces[pi + 1..] {
        p.text_start = p.text_start + new_len - old_len;
        p.source = moved(p.source.start)..moved(p.source.end);
    }
    for turn in &mut t.turns[ti + 1..] {
        if let Some(label) = &mut turn.label {
            *label = moved(label.start)..moved(label.end);
        }
        for p in &mut turn.pieces {
            p.source = moved(p.source.start)..moved(p.source.end);
        }
    }
    for d in t.directives.iter_mut().filter(|d| d.span.start >= start) {
        d.span = moved(d.span.start)..moved(d.span.end);
    }
    true
}

/// Where two texts differ: the start, and the end in each, on character
/// boundaries of both.
fn edited(old: &str, new: &str) -> (usize, usize, usize) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut start = common_prefix(a, b);
    while !(old.is_char_boundary(start) && new.is_char_boundary(start)) {
        start -= 1;
    }
    let max = a.len().min(b.len()) - start;
    let mut suffix = common_suffix(&a[a.len() - max..], &b[b.len() - max..]);
    while !(old.is_char_boundary(a.len() - suffix) && new.is_char_boundary(b.len() - suffix)) {
        suffix -= 1;
    }
    (start, a.len() - suffix, b.len() - suffix)
}

/// Compared a block at a time: two long texts that differ in one place.
const BLOCK: usize = 64;

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let done = BLOCK * equal_run(a.chunks_exact(BLOCK).zip(b.chunks_exact(BLOCK)));
    done + equal_run(a[done..].iter().zip(&b[done..]))
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let done = BLOCK * equal_run(a.rchunks_exact(BLOCK).zip(b.rchunks_exact(BLOCK)));
    let (a, b) = (&a[..a.len() - done], &b[..b.len() - done]);
    done + equal_run(a.iter().rev().zip(b.iter().rev()))
}

/// How many pairs are equal before the first that is not.
fn equal_run<T: PartialEq>(pairs: impl Iterator<Item = (T, T)>) -> usize {
    pairs.take_while(|(x, y)| x == y).count()
}

/// The line starting at `start`, as the parser reads it.
fn line(text: &str, start: usize) -> &str {
    let first = if start == 0 {
        lines(text).next()
    } else {
        lines_from(text, start).next()
    };
    first.map_or("", |(_, line)| line)
}

/// Whether the parser and format detection judge two lines alike.
fn same_shape(a: &str, b: &str) -> bool {
    native::shape(a) == native::shape(b)
        && cues::timing_separator(a) == cues::timing_separator(b)
        && headings::is_otter_heading(a) == headings::is_otter_heading(b)
        && headings::is_rev_heading(a) == headings::is_rev_heading(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::parse;
    use proptest::prelude::*;

    const SESSION: &str = "\u{feff}---\ncoach: Maya\n---\n\
[00:00:02] Maya: So what would you like to focus on today?\r\n\
[00:00:09] Jordan: Well, I keep putting off the talk with my boss.\r\n\
It's been weeks: I think I'm scared.\n\
\n\
# coachlint-disable-next-turn ADV001\n\
[00:00:20] Maya: You should just tell him.   \n\
**Jordan:** Maybe. Note: he's busy.\n\
[00:00:31]\n\
Maya: What's the first step you see?\n\
(laughs) 10:30 works for me.\n";

    /// `text` with `len` bytes at `at` replaced by `with` (both moved back to
    /// character boundaries).
    fn edit(text: &str, mut at: usize, len: usize, with: &str) -> String {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + len).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        format!("{}{with}{}", &text[..at], &text[end..])
    }

    /// Applies the edit if it can; then the result must be the fresh parse.
    fn check(old: &str, new: &str) -> bool {
        let mut t = parse(old, None).unwrap();
        let applied = apply_edit(old, &mut t, new);
        if applied {
            assert_eq!(Ok(t), parse(new, None), "{old:?} -> {new:?}");
        }
        applied
    }

    #[test]
    fn common_ends_are_found_across_blocks() {
        let a: Vec<u8> = (0..300u32).map(|i| (i % 251) as u8).collect();
        for at in [0, 1, 63, 64, 65, 200, 299] {
            let mut b = a.clone();
            b[at] ^= 1;
            assert_eq!(common_prefix(&a, &b), at);
            assert_eq!(common_suffix(&a, &b), 299 - at);
        }
        assert_eq!(common_prefix(&a, &a[..130]), 130);
        assert_eq!(common_suffix(&a[5..], &a), 295);
    }

    #[test]
    fn typing_in_speech_is_applied() {
        let at = |s: &str| SESSION.find(s).unwrap();
        // Inside a turn, at a line's end, deleting there, in a continuation
        // line, after a clock, with multi-byte text, a word replaced, and at
        // the start of the speech.
        for new in [
            edit(SESSION, at("focus on"), 0, "x"),
            edit(SESSION, at("today?") + 6, 0, " Or"),
            edit(SESSION, at("today?") + 5, 1, ""),
            edit(SESSION, at("scared"), 6, "afraid 😬"),
            edit(SESSION, at("works for"), 0, "é"),
            edit(SESSION, at("just tell"), 4, ""),
            edit(SESSION, at("Note:"), 4, "Also"),
            edit(SESSION, at("So what"), 0, "x"),
            edit(SESSION, at("So what"), 1, "N"),
            edit(SESSION, at("(laughs)"), 0, "x"),
        ] {
            assert!(check(SESSION, &new), "not applied: {new:?}");
        }
    }

    #[test]
    fn edits_that_change_a_line_s_shape_are_parsed_again() {
        let at = |s: &str| SESSION.find(s).unwrap();
        for new in [
            // A new label, a renamed speaker, a broken clock, a directive,
            // a new line, the label's blank removed, the whole speech deleted,
            // a blank typed before the speech or left at its start, a
            // continuation line's "label" renamed.
            edit(SESSION, at("It's been"), 0, "Sam: "),
            edit(SESSION, at("Jordan: Well"), 1, "G"),
            edit(SESSION, at("00:00:09"), 1, "x"),
            edit(SESSION, at("(laughs)"), 0, "# coachlint-disable "),
            edit(SESSION, at("It's been"), 0, "Yes. "),
            edit(SESSION, at("I think"), 0, "\n"),
            edit(SESSION, at(" So what"), 1, ""),
            edit(SESSION, at("So what"), 0, " "),
            edit(SESSION, at("So what"), 2, ""),
            edit(SESSION, at("So what"), 42, ""),
        ] {
            assert!(!check(SESSION, &new), "applied: {new:?}");
        }
    }

    #[test]
    fn every_keystroke_everywhere_parses_as_a_fresh_parse() {
        let (mut applied, mut all) = (0, 0);
        for at in (0..=SESSION.len()).filter(|&i| SESSION.is_char_boundary(i)) {
            for (len, with) in [(0, "x"), (0, ":"), (0, " "), (1, ""), (1, "é")] {
                let new = edit(SESSION, at, len, with);
                if parse(&new, None).is_ok() {
                    all += 1;
                    applied += usize::from(check(SESSION, &new));
                }
            }
        }
        // Most of the text is speech: most keystrokes take the short way.
        assert!(applied * 2 > all, "{applied} of {all}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn an_applied_edit_gives_the_fresh_parse(
            steps in prop::collection::vec(
                (any::<prop::sample::Index>(), 0..4usize, "[a-zé🙂 :*#\\[\\]()<>0-9\\-,.?\n\r\t]{0,3}"),
                1..6,
            ),
        ) {
            let mut text = SESSION.to_owned();
            for (at, len, with) in steps {
                let new = edit(&text, at.index(text.len() + 1), len, &with);
                if parse(&new, None).is_err() {
                    break;
                }
                check(&text, &new);
                text = new;
            }
        }
    }
}
