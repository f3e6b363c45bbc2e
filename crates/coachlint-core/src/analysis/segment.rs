//! Sentence bounds. Transcripts are mostly ASCII, and the full Unicode
//! segmentation (UAX #29, from unicode-segmentation) costs more than the rest of
//! the analysis together; so ASCII text takes a fast path that places the same
//! bounds as UAX #29 does on ASCII, and anything else takes the full algorithm.

use unicode_segmentation::UnicodeSegmentation;

/// Sentence pieces with their byte offsets, like
/// [`UnicodeSegmentation::split_sentence_bound_indices`]: every byte belongs to
/// one piece, trailing spaces included.
pub fn bounds(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for_each_bound(text, |start, piece| out.push((start, piece)));
    out
}

/// Calls `f` with each of [`bounds`], in order, without collecting them.
pub(crate) fn for_each_bound<'a>(text: &'a str, mut f: impl FnMut(usize, &'a str)) {
    if text.is_ascii() || ascii_but_common(text.as_bytes()) {
        ascii_bounds(text, f)
    } else {
        text.split_sentence_bound_indices()
            .for_each(|(start, piece)| f(start, piece))
    }
}

/// The typographic quotes `‘’“”` in UTF-8 (the last byte varies).
fn quote_at(b: &[u8], i: usize) -> bool {
    matches!(
        b.get(i..i + 3),
        Some([0xE2, 0x80, 0x98 | 0x99 | 0x9C | 0x9D])
    )
}

/// The en and em dashes `–—` in UTF-8: to UAX #29 they are SContinue, like
/// `,` and `-`.
fn dash_at(b: &[u8], i: usize) -> bool {
    matches!(b.get(i..i + 3), Some([0xE2, 0x80, 0x93 | 0x94]))
}

/// Whether the only chars of `b` outside ASCII are typographic quotes, which
/// many transcripts have for apostrophes, dashes and the ellipsis `…`: to
/// UAX #29 the quotes are Close, like ASCII quotes, the dashes SContinue, and
/// the ellipsis none of the classes a rule names; [`ascii_bounds`] takes
/// them as such.
fn ascii_but_common(b: &[u8]) -> bool {
    let mut i = 0;
    while let Some(k) = b[i..].iter().position(|c| !c.is_ascii()) {
        let ellipsis = matches!(b.get(i + k..i + k + 3), Some([0xE2, 0x80, 0xA6]));
        if !(quote_at(b, i + k) || dash_at(b, i + k) || ellipsis) {
            return false;
        }
        i += k + 3;
    }
    true
}

/// UAX #29 sentence breaks (SB3–SB11) for ASCII text, but for typographic
/// quotes, dashes and ellipses (see [`ascii_but_common`]): their bytes are
/// none of the ASCII bytes looked for, so only the quotes after a terminator
/// and a dash after one need looking for. A break may follow
/// `SATerm Close* Sp* ParaSep?`; SB6–SB8a forbid some of those places.
fn ascii_bounds<'a>(text: &'a str, mut f: impl FnMut(usize, &'a str)) {
    let b = text.as_bytes();
    let n = b.len();
    let is_close = |c: u8| matches!(c, b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}');
    let is_sp = |c: u8| matches!(c, b' ' | b'\t' | 0x0b | 0x0c);
    let is_saterm = |c: u8| matches!(c, b'.' | b'?' | b'!');
    // Most turns are one line: then the search for the next end is one
    // vectorised scan for the three terminators.
    let lines = memchr::memchr2(b'\n', b'\r', b).is_some();
    let mut start = 0;
    let mut i = 0;
    while i < n {
        // Only these bytes can end a piece: skip to the next one.
        let next = if lines {
            b[i..]
                .iter()
                .position(|&c| matches!(c, b'\n' | b'\r' | b'.' | b'?' | b'!'))
        } else {
            memchr::memchr3(b'.', b'?', b'!', &b[i..])
        };
        match next {
            Some(k) => i += k,
            None => break,
        }
        let c = b[i];
        // SB4: a break after every paragraph separator (SB3: CR × LF).
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            if i + 1 < n {
                f(start, &text[start..i + 1]);
                start = i + 1;
            }
            i += 1;
            continue;
        }
        if !is_saterm(c) {
            i += 1;
            continue;
        }
        let aterm = c == b'.';
        let mut j = i + 1;
        loop {
            if j < n && is_close(b[j]) {
                j += 1;
            } else if quote_at(b, j) {
                j += 3;
            } else {
                break;
            }
        }
        while j < n && is_sp(b[j]) {
            j += 1;
        }
        let sp_end = j;
        if j < n && b[j] == b'\r' {
            j += 1;
        }
        if j < n && b[j] == b'\n' {
            j += 1;
        }
        if j >= n {
            break;
        }
        if j == sp_end {
            let next = b[sp_end];
            let adjacent = sp_end == i + 1;
            let prohibited =
                // SB6: "3.5"
                (aterm && adjacent && next.is_ascii_digit())
                // SB7: "U.S", "e.g.What"
                || (aterm && adjacent && i > 0 && b[i - 1].is_ascii_alphabetic() && next.is_ascii_uppercase())
                // SB8: the next letter is lower-case
                || (aterm
                    && b[sp_end..]
                        .iter()
                        .find(|&&x| x.is_ascii_alphabetic() || matches!(x, b'\r' | b'\n') || is_saterm(x))
                        .is_some_and(u8::is_ascii_lowercase))
                // SB8a: "?," "..."
                || matches!(next, b',' | b'-' | b':' | b';')
                || dash_at(b, sp_end)
                || is_saterm(next);
            if prohibited {
                i += 1;
                continue;
            }
        }
        f(start, &text[start..j]);
        start = j;
        i = j;
    }
    if start < n {
        f(start, &text[start..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn uax(text: &str) -> Vec<(usize, &str)> {
        text.split_sentence_bound_indices().collect()
    }

    fn ascii_bounds(text: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        super::ascii_bounds(text, |start, piece| out.push((start, piece)));
        out
    }

    #[test]
    fn agrees_with_uax29_on_speech() {
        for t in [
            "OK so last time you were thinking about the promotion. Did you talk to your boss yet?",
            "Being tested. Tell me more. what? ok... so. \"Really?\" she said. Yes!! No?! (Fine.) Next",
            "I spoke to Dr. Lee. It cost 3.5 dollars in the U.S. today. e.g. this one",
            "um, so, what would you do next",
            "",
            "...",
            "Wait... what? Hm. ",
        ] {
            assert_eq!(ascii_bounds(t), uax(t), "{t:?}");
        }
    }

    proptest! {
        #[test]
        fn fast_path_matches_uax29(words in prop::collection::vec(prop_oneof![
            Just("so"), Just("What"), Just("you"), Just("I"), Just("Dr."), Just("3.5"), Just("U.S."),
            Just("."), Just("?"), Just("!"), Just("..."), Just("\""), Just("'"), Just(")"), Just("("),
            Just(","), Just(":"), Just(" "), Just("  "), Just("ok"), Just("A"), Just("e.g."), Just("-"),
        ], 0..40)) {
            let t: String = words.iter().enumerate().map(|(i, w)| if i % 2 == 0 { format!("{w} ") } else { (*w).to_owned() }).collect();
            prop_assert_eq!(ascii_bounds(&t), uax(&t), "{:?}", t);
        }

        #[test]
        fn fast_path_matches_uax29_on_any_ascii(t in "[ -~\\t\\n\\r]{0,120}") {
            prop_assert_eq!(ascii_bounds(&t), uax(&t), "{:?}", t);
        }

        #[test]
        fn fast_path_matches_uax29_with_quotes_dashes_and_ellipses(
            t in "([ -~\\t\\n\\r]|[‘’“”—–…]|[.?!…][‘’“”)\"' ]{0,3}[A-Za-z0-9,;:—–…-]|[a-z]{1,5}[.?!]){0,60}"
        ) {
            prop_assert!(ascii_but_common(t.as_bytes()));
            prop_assert_eq!(ascii_bounds(&t), uax(&t), "{:?}", t);
        }

        #[test]
        fn only_common_chars_pass_for_ascii(t in "([ -~]|[‘’“”—–…]|[^\\x00-\\x7f]){0,20}") {
            let common = t.chars().all(|c| c.is_ascii() || "‘’“”—–…".contains(c));
            prop_assert_eq!(ascii_but_common(t.as_bytes()), common);
        }
    }
}
