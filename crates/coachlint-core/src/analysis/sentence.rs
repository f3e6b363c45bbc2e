//! Sentences and what kind of utterance each is: statement, open or closed
//! question. Speech-to-text output often drops the question mark, so questions
//! are also recognised by their shape ("so what would you do next").

use crate::Span;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SentenceKind {
    Statement,
    OpenQuestion,
    ClosedQuestion,
}

impl SentenceKind {
    pub fn is_question(self) -> bool {
        self != SentenceKind::Statement
    }
}

/// One sentence of a turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub turn: usize,
    /// Byte range in the turn's text (not the source: see [`crate::Turn::source_span`]).
    pub span: Span,
    pub kind: SentenceKind,
    /// A reflection or summary of the client's words (a heuristic).
    pub reflection: bool,
}

/// A word list, consulted for every word of every sentence: a table by
/// first byte of the lengths of its words rules most words out, and a table
/// of its words of up to eight bytes, each as one number, decides the rest
/// in a probe or two (a hash set hashed the word byte by byte and compared
/// it with a call). `N` is [`table_len`] of the list's length.
struct WordSet<const N: usize> {
    lengths: [u32; 256],
    /// [`word_key`] of each word of up to eight bytes, by open addressing
    /// from [`slot`]; 0 is empty.
    short: [u64; N],
    /// Every word, searched for the longer ones.
    list: &'static [&'static str],
}

/// A word's bit in [`WordSet::lengths`]; no listed word is 32 bytes long.
const fn length_bit(len: usize) -> u32 {
    if len < 32 { 1 << len } else { 0 }
}

/// Room in [`WordSet::short`] for a list of `n` words: at most half full.
const fn table_len(n: usize) -> usize {
    (2 * n).next_power_of_two()
}

/// A word of up to eight bytes as a number: its bytes, little-endian, and
/// below eight bytes its length in the top byte, so that no two words share
/// one. `None` for a longer word, and for an eight-byte word whose last byte
/// could be taken for a length (below 8: never a letter).
const fn word_key(w: &[u8]) -> Option<u64> {
    if w.is_empty() || w.len() > 8 || w.len() == 8 && w[7] < 8 {
        return None;
    }
    let mut k = 0u64;
    let mut i = 0;
    while i < w.len() {
        k |= (w[i] as u64) << (8 * i);
        i += 1;
    }
    if w.len() < 8 {
        k |= (w.len() as u64) << 56;
    }
    Some(k)
}

/// Where in a table of `n` (a power of two) slots the probe for `key` starts.
const fn slot(key: u64, n: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & (n - 1)
}

impl<const N: usize> WordSet<N> {
    const fn new(list: &'static [&'static str]) -> WordSet<N> {
        assert!(N >= 2 * list.len() && N.is_power_of_two());
        let mut lengths = [0; 256];
        let mut short = [0; N];
        let mut i = 0;
        while i < list.len() {
            let w = list[i].as_bytes();
            assert!(!w.is_empty() && w.len() < 32);
            lengths[w[0] as usize] |= length_bit(w.len());
            if let Some(k) = word_key(w) {
                let mut at = slot(k, N);
                while short[at] != 0 && short[at] != k {
                    at = (at + 1) & (N - 1);
                }
                short[at] = k;
            }
            i += 1;
        }
        WordSet {
            lengths,
            short,
            list,
        }
    }

    #[inline]
    fn contains(&self, w: &str) -> bool {
        let b = w.as_bytes();
        let Some(&first) = b.first() else {
            return false;
        };
        if self.lengths[first as usize] & length_bit(b.len()) == 0 {
            return false;
        }
        let Some(k) = word_key(b) else {
            return self.list.contains(&w);
        };
        let mut at = slot(k, N);
        loop {
            match self.short[at] {
                0 => return false,
                e if e == k => return true,
                _ => at = (at + 1) & (N - 1),
            }
        }
    }
}

macro_rules! word_sets {
    ($($set:ident = $list:ident;)*) => {
        $(static $set: WordSet<{ table_len($list.len()) }> = WordSet::new($list);)*
    };
}

word_sets! {
    OPENER = OPENERS;
    WH_WORD = WH;
    AUX_WORD = AUX;
    SUBJECT = SUBJECTS;
    WH_NEXT_WORD = WH_NEXT;
    EMBEDDING_WORD = EMBEDDING;
    STOP_WORD = STOP;
    NOT_INVITING_WORD = NOT_INVITING;
}

/// Splits a turn's text into sentence ranges, trimmed of surrounding space.
pub fn split(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for_each_sentence(text, |s| out.push(s));
    out
}

/// Calls `f` with each of [`split`] `text`, in order, without collecting them.
pub(crate) fn for_each_sentence(text: &str, mut f: impl FnMut(Span)) {
    let ascii = text.is_ascii();
    // The last sentence, held back until the next shows whether it goes on.
    let mut last: Option<Span> = None;
    super::segment::for_each_bound(text, |start, s| {
        // ASCII whitespace is what `trim` trims of ASCII.
        let (lead, len) = if ascii {
            let space = |c: &u8| matches!(c, b' ' | b'\t'..=b'\r');
            let b = s.as_bytes();
            let lead = b.iter().position(|c| !space(c)).unwrap_or(b.len());
            let end = b.iter().rposition(|c| !space(c)).map_or(lead, |e| e + 1);
            (lead, end - lead)
        } else {
            let rest = s.trim_start();
            (s.len() - rest.len(), rest.trim_end().len())
        };
        if len == 0 {
            return;
        }
        let span = start + lead..start + lead + len;
        // Rejoin after abbreviations ("Mr. Smith", "e.g. this") and after a
        // fragment with no letters (a lone "..." or "-").
        if let Some(prev) = &mut last {
            let prev_text = &text[prev.clone()];
            if ends_with_abbreviation(prev_text) || !prev_text.chars().any(char::is_alphanumeric) {
                prev.end = span.end;
                return;
            }
        }
        if let Some(prev) = last.replace(span) {
            f(prev);
        }
    });
    if let Some(last) = last {
        f(last);
    }
}

fn ends_with_abbreviation(s: &str) -> bool {
    const ABBREVIATIONS: [&str; 11] = [
        "mr.", "mrs.", "ms.", "dr.", "prof.", "e.g.", "i.e.", "etc.", "vs.", "st.", "approx.",
    ];
    // Every abbreviation ends with a full stop: most sentences are ruled out
    // before their last word is looked for.
    if !s.ends_with('.') {
        return false;
    }
    // Nor is a last word longer than the longest abbreviation (the bytes
    // before its last seven are all of one char, not whitespace).
    let b = s.as_bytes();
    if b.len() > 7 && b[b.len() - 8..].iter().all(u8::is_ascii_graphic) {
        return false;
    }
    let last = s.rsplit(char::is_whitespace).next().unwrap_or("");
    ABBREVIATIONS.iter().any(|a| last.eq_ignore_ascii_case(a))
}

/// Words a sentence may open with that say nothing about its kind.
const OPENERS: &[&str] = &[
    "so", "and", "but", "okay", "ok", "well", "now", "then", "um", "umm", "uh", "er", "erm", "hmm",
    "alright", "right", "yeah", "yes", "oh", "ah", "mm", "mm-hmm", "look", "listen", "also", "or",
    "just", "anyway", "like", "actually", "honestly", "cool", "great", "sure", "good", "wow",
    "hey", "hi", "no", "mhm", "gotcha",
];

const WH: &[&str] = &[
    "what", "what's", "whats", "how", "how's", "where", "where's", "when", "who", "who's", "whom",
    "whose", "which", "why",
];

const AUX: &[&str] = &[
    "do",
    "does",
    "did",
    "are",
    "is",
    "was",
    "were",
    "have",
    "has",
    "had",
    "can",
    "could",
    "would",
    "will",
    "should",
    "shall",
    "may",
    "might",
    "must",
    "am",
    "don't",
    "doesn't",
    "didn't",
    "aren't",
    "isn't",
    "wasn't",
    "weren't",
    "haven't",
    "hasn't",
    "can't",
    "couldn't",
    "wouldn't",
    "won't",
    "shouldn't",
];

const SUBJECTS: &[&str] = &[
    "you",
    "i",
    "we",
    "it",
    "that",
    "this",
    "there",
    "they",
    "he",
    "she",
    "your",
    "the",
    "anyone",
    "anything",
    "someone",
    "something",
    "everyone",
    "people",
    "any",
    "these",
    "those",
    "my",
    "our",
    "their",
    "his",
    "her",
];

/// Words after a wh-word that make it a question rather than a clause
/// ("what would you…" vs "what I would do is…").
const WH_NEXT: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "do",
    "does",
    "did",
    "would",
    "will",
    "can",
    "could",
    "should",
    "might",
    "may",
    "has",
    "have",
    "had",
    "else",
    "kind",
    "sort",
    "happened",
    "happens",
    "happen",
    "comes",
    "came",
    "matters",
    "makes",
    "made",
    "stops",
    "stopped",
    "gets",
    "got",
    "led",
    "leads",
    "helps",
    "helped",
    "feels",
    "felt",
    "seems",
    "becomes",
    "changes",
    "changed",
    "needs",
    "needed",
    "about",
    "if",
    "part",
    "other",
    "one",
    "ways",
    "options",
    "things",
    "exactly",
    "specifically",
    "much",
    "many",
    "long",
    "often",
    "far",
    "soon",
    "come",
    "'s",
    "else's",
    "do",
    "does",
    "worked",
    "works",
    "went",
    "goes",
    "brought",
    "brings",
    "keeps",
    "kept",
    "would've",
];

/// Invitations that MITI codes as questions: "Tell me more about…".
const INVITATIONS: &[&str] = &[
    "tell me",
    "say more",
    "describe",
    "talk me through",
    "walk me through",
    "share more",
    "i wonder what",
    "i wonder how",
    "i'm curious what",
    "i'm curious how",
    "i'm curious about",
    "i am curious",
    "i wonder whether",
    "i wonder if",
    "help me understand",
    "i'm wondering",
    "i am wondering",
    "i was wondering",
    "i'd love to hear",
    "i'd like to hear",
    "talk to me about",
    "say a bit more",
    "say a little more",
];

/// A sentence lower-cased, with typographic apostrophes straightened, so its
/// [`words_of`] can be borrowed from one buffer instead of one `String` a word.
pub fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    lower_into(s, &mut out);
    out
}

/// [`lower`], appended to `out`. Char by char, so a text lowered piece by
/// piece is the pieces' [`lower`] one after another.
pub(crate) fn lower_into(mut s: &str, out: &mut String) {
    // Runs of ASCII (most text, in text with typographic apostrophes) are
    // lowered at once, the chars between them one by one.
    loop {
        let ascii = s.bytes().position(|b| !b.is_ascii()).unwrap_or(s.len());
        let at = out.len();
        out.push_str(&s[..ascii]);
        out[at..].make_ascii_lowercase();
        let mut rest = s[ascii..].chars();
        match rest.next() {
            Some('’') => out.push('\''),
            Some(c) => out.extend(c.to_lowercase()),
            None => return,
        }
        s = rest.as_str();
    }
}

/// The words of a [`lower`]-cased sentence: punctuation dropped, inner
/// apostrophes and hyphens kept.
pub fn words_of(lower: &str) -> Vec<&str> {
    // Words are about five bytes apart: one allocation for most sentences.
    let mut out = Vec::with_capacity(lower.len() / 4 + 1);
    for_each_word(lower, |w| out.push(w));
    out
}

/// Calls `f` with each of [`words_of`] `lower`, in order.
pub(crate) fn for_each_word<'a>(lower: &'a str, f: impl FnMut(&'a str)) {
    if lower.is_ascii() {
        ascii_words_of(lower, f)
    } else {
        char_words_of(lower, f)
    }
}

fn char_words_of<'a>(lower: &'a str, f: impl FnMut(&'a str)) {
    lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '—' || c == '–')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
                .trim_matches(['\'', '-'])
        })
        .filter(|w| !w.is_empty())
        .for_each(f)
}

/// How [`ascii_words_of`] sees a byte: separators (`,`, `;` and ASCII
/// whitespace as [`char::is_whitespace`] sees it, which is also a [`SPACE`]),
/// word characters, and the apostrophes and hyphens kept inside a word.
const SEPARATOR: u8 = 1;
const WORD: u8 = 2;
const INNER: u8 = 4;
const SPACE: u8 = 8 | SEPARATOR;
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if matches!(b, b' ' | b'\t'..=b'\r') {
            SPACE
        } else if matches!(b, b',' | b';') {
            SEPARATOR
        } else if b.is_ascii_alphanumeric() {
            WORD
        } else if b == b'\'' || b == b'-' {
            INNER
        } else {
            0
        };
        c += 1;
    }
    t
};

/// [`words_of`] for ASCII text, byte by byte: the same separators and the
/// same two trims, without decoding chars.
pub(crate) fn ascii_words_of<'a>(lower: &'a str, mut f: impl FnMut(&'a str)) {
    ascii_word_spans(lower.as_bytes(), |s, e, _, _| f(&lower[s..e]));
}

/// The byte ranges of [`ascii_words_of`] the ASCII bytes `lower`, each word
/// with whether whitespace stands between it and the word before (or the
/// start of `lower`), and whether it holds a letter or digit; whether
/// whitespace follows the last word. Every sentence is split this way.
pub(crate) fn ascii_word_spans(lower: &[u8], mut f: impl FnMut(usize, usize, bool, bool)) -> bool {
    let b = lower;
    let class = |i: usize| BYTE_CLASS[b[i] as usize];
    let n = b.len();
    let mut i = 0;
    let mut space = false;
    loop {
        // Runs of separators part no words (the pieces between are empty).
        while i < n && class(i) & SEPARATOR != 0 {
            space |= class(i) == SPACE;
            i += 1;
        }
        if i == n {
            return space;
        }
        let mut s = i;
        let mut e = next_separator(b, i + 1);
        i = e;
        // Most words start and end with a word character: nothing to trim.
        let alnum = if class(s) == WORD && class(e - 1) == WORD {
            true
        } else {
            while s < e && class(s) & (WORD | INNER) == 0 {
                s += 1;
            }
            while e > s && class(e - 1) & (WORD | INNER) == 0 {
                e -= 1;
            }
            while s < e && class(s) == INNER {
                s += 1;
            }
            while e > s && class(e - 1) == INNER {
                e -= 1;
            }
            if s == e {
                continue;
            }
            b[s..e].iter().any(u8::is_ascii_alphanumeric)
        };
        f(s, e, space, alnum);
        space = false;
    }
}

/// Where the first separator byte (see [`BYTE_CLASS`]) at or after `i` of the
/// ASCII bytes `b` is, or `b.len()`. Eight bytes at a time: most words end
/// within the first eight, where a byte at a time was a mispredicted branch
/// at the end of every word.
fn next_separator(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `x` below `n` (ASCII bytes); of the bits
    // set, the lowest is always such a byte (a borrow only runs upward).
    let below = |x: u64, n: u64| x.wrapping_sub(n * ONES) & !x & HIGH;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // Space and the controls, `,` and `;`.
        let found = below(x, 0x21)
            | below(x ^ (b',' as u64 * ONES), 1)
            | below(x ^ (b';' as u64 * ONES), 1);
        if found == 0 {
            i += 8;
            continue;
        }
        let at = i + (found.trailing_zeros() / 8) as usize;
        // The controls that are not whitespace are no separators.
        if BYTE_CLASS[usize::from(b[at])] & SEPARATOR != 0 {
            return at;
        }
        i = at + 1;
    }
    while i < b.len() && BYTE_CLASS[usize::from(b[i])] & SEPARATOR == 0 {
        i += 1;
    }
    i
}

/// The words after leading openers and fillers ("um, so, what…").
pub fn core_words<'a, 'w>(words: &'a [&'w str]) -> &'a [&'w str] {
    let mut i = 0;
    while i < words.len() && i < 4 {
        let w = words[i];
        if OPENER.contains(w) && words.len() > i + 1 {
            i += 1;
        } else if words.len() > i + 2
            && matches!((w, words[i + 1]), ("you", "know") | ("i", "mean"))
        {
            i += 2;
        } else {
            break;
        }
    }
    &words[i..]
}

/// Whether the first `max` words, joined by single spaces, start with `phrase`
/// (without building the joined string).
#[inline]
fn opens_with(words: &[&str], max: usize, phrase: &str) -> bool {
    let mut rest = phrase.as_bytes();
    for (i, w) in words.iter().take(max).enumerate() {
        if i > 0 {
            match rest.split_first() {
                None => return true,
                Some((b' ', r)) => rest = r,
                Some(_) => return false,
            }
        }
        let w = w.as_bytes();
        // Most phrases are ruled out by the first letter, cheaper to compare
        // than calling out to compare slices.
        if let (Some(a), Some(b)) = (w.first(), rest.first())
            && a != b
        {
            return false;
        }
        if rest.len() <= w.len() {
            return w.starts_with(rest);
        }
        if !rest.starts_with(w) {
            return false;
        }
        rest = &rest[w.len()..];
    }
    rest.is_empty()
}

/// Phrases a sentence may open with, and the first two bytes they start with:
/// most sentences start with a word no phrase starts like ("you", "so" and
/// "i" start many sentences and some phrases, but "you" rules out "your"),
/// ruled out by one lookup instead of a comparison per phrase. Sentences that
/// pass are compared only with the phrases that start with the same six bytes.
struct Openers {
    phrases: &'static [&'static str],
    /// By a phrase's first byte, the [`second_bit`]s of its second bytes.
    second: [u32; 256],
    /// The [`key`]s of the phrases, sorted, with the phrase each is of.
    keys: [(u64, u8); MAX_PHRASES],
}

/// The most phrases an [`Openers`] holds.
const MAX_PHRASES: usize = 64;

/// The first six bytes of `bytes` (all phrases have as many), little-endian.
const fn key(bytes: &[u8]) -> u64 {
    let mut k = 0;
    let mut i = 0;
    while i < 6 {
        k |= (bytes[i] as u64) << (8 * i);
        i += 1;
    }
    k
}

/// [`key`] of the first `max` words joined by single spaces, if that is six
/// bytes long or more.
fn words_key(words: &[&str], max: usize) -> Option<u64> {
    let (mut k, mut n) = (0, 0);
    for (i, w) in words.iter().take(max).enumerate() {
        let space: &[u8] = if i > 0 { b" " } else { b"" };
        for &b in space.iter().chain(w.as_bytes()) {
            k |= (b as u64) << (8 * n);
            n += 1;
            if n == 6 {
                return Some(k);
            }
        }
    }
    None
}

/// A bit for a phrase's second byte: letters, space and apostrophe have their
/// own; everything else shares one no phrase has.
const fn second_bit(b: u8) -> u32 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b' ' => 1 << 26,
        b'\'' => 1 << 27,
        _ => 1 << 31,
    }
}

impl Openers {
    const fn new(phrases: &'static [&'static str]) -> Openers {
        assert!(phrases.len() <= MAX_PHRASES);
        let mut second = [0u32; 256];
        let mut keys = [(u64::MAX, 0u8); MAX_PHRASES];
        let mut i = 0;
        while i < phrases.len() {
            let p = phrases[i].as_bytes();
            // [`opens_with`] then needs the first word to start with the
            // phrase's first two bytes, or to be that one byte before a space.
            assert!(p.len() >= 6 && p[0] != b' ' && second_bit(p[1]) != 1 << 31);
            second[p[0] as usize] |= second_bit(p[1]);
            // Insertion sort by key.
            let k = key(p);
            let mut j = i;
            while j > 0 && keys[j - 1].0 > k {
                keys[j] = keys[j - 1];
                j -= 1;
            }
            keys[j] = (k, i as u8);
            i += 1;
        }
        Openers {
            phrases,
            second,
            keys,
        }
    }

    /// Whether the first `max` words open with one of the phrases ([`opens_with`]).
    fn open(&self, words: &[&str], max: usize) -> bool {
        let Some(&[a, ref rest @ ..]) = words.first().map(|w| w.as_bytes()) else {
            return false;
        };
        // A one-byte word can only go on to the next word, after a space.
        let b = rest.first().copied().unwrap_or(b' ');
        if self.second[a as usize] & second_bit(b) == 0 {
            return false;
        }
        // A phrase the words open with starts with the same six bytes.
        let Some(k) = words_key(words, max) else {
            return false;
        };
        let keys = &self.keys[..self.phrases.len()];
        keys[keys.partition_point(|&(x, _)| x < k)..]
            .iter()
            .take_while(|&&(x, _)| x == k)
            .any(|&(_, p)| opens_with(words, max, self.phrases[p as usize]))
    }
}

static INVITATION: Openers = Openers::new(INVITATIONS);
static CLOSING_INVITATION: Openers = Openers::new(CLOSING_INVITATIONS);
static REFLECTION_OPENER: Openers = Openers::new(REFLECTION_OPENERS);

/// How many questions a sentence asks inside it, [`clauses_at`] every word
/// that may be a question word.
#[cfg(test)]
pub(crate) fn question_clauses(s: &str) -> usize {
    clauses_at(s, &question_word_starts(s))
}

/// How many questions a question sentence asks: its question clauses (see
/// [`clauses_at`]), and at least one. Most have at most one word that may be
/// a question word, and then ask one, known without reading what follows.
pub(crate) fn questions_asked(s: &str) -> usize {
    let starts = question_word_starts(s);
    if starts.len() < 2 {
        1
    } else {
        clauses_at(s, &starts).max(1)
    }
}

/// Where the words of `s` that may be question words start: those that
/// start "wh" or "ho" (lower case within a sentence, capitalised at its start).
fn question_word_starts(s: &str) -> smallvec::SmallVec<[usize; 8]> {
    let b = s.as_bytes();
    let mut starts = smallvec::SmallVec::new();
    let mut maybe = |at: usize| {
        // Most words with a "w" or an "h" ("with", "have", "the") go no further.
        let second = if b[at] | 0x20 == b'w' { b'h' } else { b'o' };
        if !(at > 0 && (b[at - 1].is_ascii_alphabetic() || b[at - 1] == b'\''))
            && b.get(at + 1).is_some_and(|&c| c | 0x20 == second)
        {
            starts.push(at);
        }
    };
    if b.first().is_some_and(|c| matches!(c, b'W' | b'H')) {
        maybe(0);
    }
    crate::text::for_each_of(b, b'w', b'h', maybe);
    starts
}

/// How many of the words at `starts` (see [`question_word_starts`]) of `s`
/// start a question clause: a question word followed by an auxiliary and its
/// subject ("…, and how does it feel", "what's the plan"), as speech runs
/// them together ("what do you want what would success look like"). "Tell me
/// what you would do" asks none of its own.
fn clauses_at(s: &str, starts: &[usize]) -> usize {
    let b = s.as_bytes();
    // The ASCII word (letters and apostrophes) at `at`, lower case: as it
    // stands in `s` when it is (most words), else lower-cased into `buf`.
    fn word_at<'a>(s: &'a str, at: usize, buf: &'a mut [u8; 16]) -> (Option<&'a str>, usize) {
        let b = s.as_bytes();
        let len = b[at..]
            .iter()
            .position(|c| !(c.is_ascii_alphabetic() || *c == b'\''))
            .unwrap_or(b.len() - at);
        if len == 0 || len > buf.len() {
            return (None, at + len);
        }
        let word = &b[at..at + len];
        if !word.iter().any(u8::is_ascii_uppercase) {
            // ASCII bytes on both sides: char boundaries.
            return (Some(&s[at..at + len]), at + len);
        }
        buf[..len].copy_from_slice(word);
        buf[..len].make_ascii_lowercase();
        (std::str::from_utf8(&buf[..len]).ok(), at + len)
    }
    fn next_word(b: &[u8], mut at: usize) -> usize {
        while at < b.len() && matches!(b[at], b' ' | b'\t') {
            at += 1;
        }
        at
    }
    let mut n = 0;
    for &at in starts {
        let mut buf = [0; 16];
        let (Some(wh), end) = word_at(s, at, &mut buf) else {
            continue;
        };
        if !WH.contains(&wh) {
            continue;
        }
        // "what's the plan": the auxiliary is in the question word.
        let contracted = wh.ends_with("'s");
        let mut at = next_word(b, end);
        if !contracted {
            let mut buf = [0; 16];
            let (aux, end) = word_at(s, at, &mut buf);
            if !aux.is_some_and(|w| AUX_WORD.contains(w)) {
                continue;
            }
            at = next_word(b, end);
        }
        // A subject ("you", "success"), not what the question word is the
        // subject of ("what is happening", "what was said", "who is right").
        let mut buf = [0; 16];
        if word_at(s, at, &mut buf).0.is_some_and(|w| {
            SUBJECT.contains(w)
                || !(w.ends_with("ing")
                    || w.ends_with("ed")
                    || w.contains('\'')
                    || NOT_SUBJECTS.contains(&w))
        }) {
            n += 1;
        }
    }
    n
}

/// Words after "what is" that say what the question word is or had done to
/// it, not who does it: "what is wrong", "what was said".
const NOT_SUBJECTS: &[&str] = &[
    "not",
    "wrong",
    "right",
    "next",
    "important",
    "true",
    "possible",
    "best",
    "worse",
    "better",
    "different",
    "new",
    "so",
    "more",
    "most",
    "really",
    "actually",
    "up",
    "on",
    "in",
    "out",
    "to",
    "at",
    "said",
    "done",
    "gone",
    "made",
    "told",
    "known",
    "seen",
    "given",
    "taken",
    "thought",
    "felt",
    "got",
    "found",
    "meant",
    "left",
    "kept",
    "lost",
    "paid",
    "heard",
    "hurt",
    "been",
];

/// Whether a sentence is a statement, an open question or a closed question.
pub fn classify(s: &str) -> SentenceKind {
    let lower = lower(s);
    classify_words(s, &words_of(&lower))
}

/// [`classify`] with the sentence already split into [`words_of`] it.
pub fn classify_words(s: &str, all: &[&str]) -> SentenceKind {
    let w = core_words(all);
    let Some(&first) = w.first() else {
        return SentenceKind::Statement;
    };
    let second = w.get(1).copied().unwrap_or("");
    let ends_q = s
        .trim_end_matches(|c: char| {
            c == '"' || c == '”' || c == '\'' || c == ')' || c.is_whitespace()
        })
        .ends_with('?');
    let invitation = INVITATION.open(w, 3);
    if WH_WORD.contains(first) {
        if ends_q || wh_question(w) {
            return SentenceKind::OpenQuestion;
        }
        return SentenceKind::Statement;
    }
    if invitation {
        return SentenceKind::OpenQuestion;
    }
    // "Do your homework.", "Do it now!": "do" before anything but a pronoun
    // that can be its subject, and a full stop, is an instruction.
    let instruction = first == "do"
        && !matches!(second, "you" | "i" | "we" | "they" | "he" | "she")
        && s.trim_end().ends_with(['.', '!']);
    if AUX_WORD.contains(first) && (SUBJECT.contains(second) || ends_q) && !instruction {
        // "Could you say more…" is an invitation in question form.
        let third = w.get(2).copied().unwrap_or("");
        let fourth = w.get(3).copied().unwrap_or("");
        if matches!(first, "can" | "could" | "would" | "will")
            && second == "you"
            && matches!(
                (third, fourth),
                ("say", "more")
                    | ("tell", "me")
                    | ("describe", _)
                    | ("share", "more")
                    | ("walk", "me")
                    | ("talk", "me")
                    | ("help", "me")
            )
        {
            return SentenceKind::OpenQuestion;
        }
        return SentenceKind::ClosedQuestion;
    }
    if ends_q {
        // A question with a wh-word later ("and then what happened?", "you did
        // what?", "as a team, what's in your control?"), or an elliptical
        // prompt ("And now?").
        if w.iter()
            .skip(1)
            .any(|x| WH_WORD.contains(x) && *x != "which")
            && !w.iter().any(|x| matches!(*x, "right" | "isn't" | "don't"))
            || w.len() == 1 && matches!(first, "now" | "then" | "so" | "else")
        {
            return SentenceKind::OpenQuestion;
        }
        return SentenceKind::ClosedQuestion;
    }
    // Speech-to-text runs a reflection and a question together with no
    // punctuation: "more strategic what does that mean to you".
    if !s.trim_end().ends_with(['.', '!']) && unpunctuated_tail_question(w) {
        return SentenceKind::OpenQuestion;
    }
    SentenceKind::Statement
}

/// Whether words starting with a wh-word make a question even without a
/// question mark: "what would you do", "who told you that", "what evidence do
/// you have", "how's the sleep", but not a clause ("what I would do is…",
/// "how you handle it is up to you") or a pseudo-cleft ("what worked for me
/// was…", "what's important is…").
fn wh_question(w: &[&str]) -> bool {
    let at = |i: usize| w.get(i).copied().unwrap_or("");
    let (first, second, third, fourth) = (at(0), at(1), at(2), at(3));
    if first == "what"
        && !AUX_WORD.contains(second)
        && w.iter().skip(2).any(|x| matches!(*x, "is" | "was"))
        || first == "what's" && matches!(third, "is" | "was")
    {
        return false;
    }
    let clause = !first.contains('\'') && SUBJECT.contains(second) && second != "anything";
    if clause {
        return false;
    }
    WH_NEXT_WORD.contains(second)
        || first.contains('\'')
        || second.is_empty()
        || matches!(first, "how" | "why" | "who")
        // "what evidence do you have", "which option would you pick"
        || AUX_WORD.contains(third) && SUBJECT.contains(fourth)
}

/// Words after which a wh-clause is part of the sentence ("I know what you
/// mean", "do what feels right", "that's what happened"), not a new question.
const EMBEDDING: &[&str] = &[
    "is",
    "was",
    "are",
    "were",
    "be",
    "been",
    "am",
    "exactly",
    "just",
    "know",
    "knew",
    "known",
    "see",
    "saw",
    "seen",
    "wonder",
    "wondering",
    "understand",
    "remember",
    "forget",
    "ask",
    "asked",
    "asking",
    "tell",
    "told",
    "telling",
    "about",
    "of",
    "on",
    "in",
    "at",
    "for",
    "from",
    "to",
    "with",
    "into",
    "by",
    "matter",
    "matters",
    "care",
    "decide",
    "decided",
    "figure",
    "sure",
    "idea",
    "show",
    "explain",
    "learn",
    "learned",
    "discover",
    "hear",
    "heard",
    "mean",
    "means",
    "do",
    "did",
    "does",
    "doing",
    "done",
    "get",
    "got",
    "say",
    "said",
    "think",
    "thought",
    "feel",
    "felt",
    "want",
    "wanted",
    "choose",
    "pick",
    "whatever",
    "no",
    "not",
    "matter",
    "depends",
    "depend",
    "regardless",
    "notice",
    "noticed",
    "exactly",
    "imagine",
    "guess",
    "realise",
    "realize",
    "realised",
    "realized",
    "check",
    "find",
    "found",
    "like",
];

/// Words before an invitation that make it part of a statement ("I didn't tell
/// me", "you tell me what you want").
const NOT_INVITING: &[&str] = &[
    "to", "you", "i", "we", "they", "he", "she", "not", "didn't", "don't", "never", "can", "could",
    "would", "will", "won't", "can't",
];

/// A question that starts after the first word of an unpunctuated sentence:
/// "by Wednesday huh what happens on Wednesday", "not good enough say more
/// about that".
fn unpunctuated_tail_question(w: &[&str]) -> bool {
    (1..w.len()).any(|k| {
        let prev = w[k - 1];
        let tail = &w[k..];
        if WH_WORD.contains(tail[0]) && tail.len() >= 3 {
            !EMBEDDING_WORD.contains(prev) && !prev.ends_with("'s") && wh_question(tail)
        } else {
            // A short closing invitation: "… tell me about that", "… say more".
            tail.len() <= 6 && CLOSING_INVITATION.open(tail, 6) && !NOT_INVITING_WORD.contains(prev)
        }
    })
}

const CLOSING_INVITATIONS: &[&str] = &[
    "tell me more",
    "tell me about that",
    "tell me about it",
    "say more",
    "say a bit more",
    "say a little more",
    "talk me through",
    "walk me through",
];

/// Openers of a reflection or summary of what the client said.
const REFLECTION_OPENERS: &[&str] = &[
    "so you",
    "you feel",
    "you're feeling",
    "you are feeling",
    "you felt",
    "you were feeling",
    "it sounds like",
    "sounds like",
    "what i'm hearing",
    "what i hear",
    "i hear you",
    "i'm hearing",
    "you're saying",
    "you said",
    "you mentioned",
    "it seems like you",
    "it seems you",
    "you seem",
    "you're not sure",
    "you're wondering",
    "you're torn",
    "part of you",
    "on one hand",
    "you're thinking",
    "you think you",
    "you believe",
    "you'd like",
    "you want to",
    "you really want",
    "you're worried",
    "you're telling yourself",
    "so what you're",
    "so it's",
    "so the",
    "so there's",
    "so for you",
    "so part",
    "you've been",
    "you're noticing",
    "you noticed",
    "you've noticed",
    "you care",
    "you value",
    "you wish",
    "in other words",
    "let me see if i",
    "if i understand",
    "you're hoping",
    "you hope",
];

/// Whether a coach statement reflects or summarises the client (MITI's simple and
/// complex reflections, roughly): a reflective opener, or an echo of the
/// client's own words ("Being tested.").
pub fn is_reflection(sentence: &str, kind: SentenceKind, previous_client: Option<&str>) -> bool {
    let prev = previous_client.map(lower);
    let prev = prev.as_deref().map(words_of);
    let lower = lower(sentence);
    is_reflection_of(&words_of(&lower), kind, prev.as_deref())
}

/// [`is_reflection`] with the sentence and the client's last turn already
/// split into [`words_of`] them (the analysis splits each client turn once,
/// not once per coach sentence).
pub fn is_reflection_of(w: &[&str], kind: SentenceKind, previous_client: Option<&[&str]>) -> bool {
    if kind.is_question() {
        return false;
    }
    if REFLECTION_OPENER.open(w, 5) {
        return true;
    }
    // Short echoes: most content words also in the client's last turn (the
    // conditions tried cheapest first).
    let Some(prev_words) = previous_client else {
        return false;
    };
    if w.len() > 12 {
        return false;
    }
    // Not an echo: the coach's own "you owe it to…", "you need to…".
    let obliges = w.windows(2).any(|p| {
        p[0] == "you"
            && matches!(
                p[1],
                "should" | "must" | "need" | "owe" | "ought" | "have" | "gotta" | "better"
            )
    });
    if obliges {
        return false;
    }
    let content = w.iter().filter(|x| x.len() > 3 && !STOP_WORD.contains(x));
    let (mut n, mut shared) = (0, 0);
    for c in content {
        n += 1;
        shared += prev_words.contains(c) as usize;
    }
    if !(n > 0 && shared * 3 >= n * 2 && shared >= 1) {
        return false;
    }
    // Nor the client's own "I should push back" turned into the instruction
    // "Push back."
    let first = core_words(w).first().copied();
    let instructs = (1..prev_words.len()).any(|j| {
        Some(prev_words[j]) == first
            && prev_words[j.saturating_sub(3)..j]
                .iter()
                .any(|m| matches!(*m, "should" | "must" | "could" | "might" | "to" | "gotta"))
    });
    !instructs
}

const STOP: &[&str] = &[
    "that", "this", "what", "with", "have", "there", "about", "your", "they", "them", "their",
    "would", "could", "should", "just", "really", "like", "when", "then", "than", "from", "been",
    "were", "will", "into", "some", "more", "very", "also", "it's", "that's", "you're", "okay",
];

/// Words spoken, without speech-to-text annotations like `[crosstalk]` or `(laughs)`.
pub fn word_count(text: &str) -> usize {
    if text.is_ascii() {
        ascii_word_count(text.as_bytes())
    } else {
        char_word_count(text)
    }
}

fn char_word_count(text: &str) -> usize {
    let mut n = 0;
    let mut depth = 0i32;
    for tok in text.split_whitespace() {
        let opens = tok.starts_with(['[', '(']);
        if opens {
            depth += 1;
        }
        if depth == 0 && tok.chars().any(char::is_alphanumeric) {
            n += 1;
        }
        if tok.ends_with([']', ')']) && depth > 0 {
            depth -= 1;
        }
    }
    n
}

/// [`word_count`] for ASCII text, without decoding chars.
fn ascii_word_count(text: &[u8]) -> usize {
    let mut n = 0;
    let mut depth = 0i32;
    let tokens = text
        .split(|&c| matches!(c, b' ' | b'\t'..=b'\r'))
        .filter(|t| !t.is_empty());
    for tok in tokens {
        if matches!(tok[0], b'[' | b'(') {
            depth += 1;
        }
        if depth == 0 && tok.iter().any(u8::is_ascii_alphanumeric) {
            n += 1;
        }
        if matches!(tok[tok.len() - 1], b']' | b')') && depth > 0 {
            depth -= 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use SentenceKind::*;
    use proptest::strategy::Strategy;

    /// Words of every length the table treats apart: short, eight bytes, longer.
    const SAMPLE: &[&str] = &[
        "a",
        "you",
        "don’t",
        "abcdefgh",
        "shouldnt",
        "specifically",
        "x",
    ];
    static SAMPLE_SET: WordSet<{ table_len(SAMPLE.len()) }> = WordSet::new(SAMPLE);

    #[test]
    fn a_word_set_holds_its_words_and_nothing_else() {
        for w in SAMPLE {
            assert!(SAMPLE_SET.contains(w), "{w}");
        }
        for w in [
            "",
            "b",
            "yo",
            "youu",
            "you\0",
            "ab",
            "abcdefg",
            "abcdefg\u{7}",
            "abcdefgh\0",
            "abcdefghi",
            "shouldn",
            "specificall",
            "specificallyy",
            "don't",
            "X",
        ] {
            assert!(!SAMPLE_SET.contains(w), "{w:?}");
        }
        // Every built-in list, every word.
        let holds = |set: &dyn Fn(&str) -> bool, list: &[&str]| {
            for w in list {
                assert!(set(w), "{w}");
            }
        };
        holds(&|w| OPENER.contains(w), OPENERS);
        holds(&|w| WH_WORD.contains(w), WH);
        holds(&|w| AUX_WORD.contains(w), AUX);
        holds(&|w| SUBJECT.contains(w), SUBJECTS);
        holds(&|w| WH_NEXT_WORD.contains(w), WH_NEXT);
        holds(&|w| EMBEDDING_WORD.contains(w), EMBEDDING);
        holds(&|w| STOP_WORD.contains(w), STOP);
        holds(&|w| NOT_INVITING_WORD.contains(w), NOT_INVITING);
    }

    proptest::proptest! {
        #[test]
        fn a_word_set_agrees_with_its_list(
            w in "(a|you|don’t|abcdefg|h|shouldn|t|specifically|x|\\x00|\\x07|y){0,4}"
        ) {
            proptest::prop_assert_eq!(SAMPLE_SET.contains(&w), SAMPLE.contains(&w.as_str()));
        }
    }

    #[test]
    fn question_clauses_know_every_question_word() {
        for w in WH {
            let s = if w.ends_with("'s") {
                format!("and {w} the plan")
            } else {
                format!("and {w} do you")
            };
            assert_eq!(question_clauses(&s), 1, "{s}");
        }
    }

    #[test]
    fn question_clauses_are_a_question_word_an_auxiliary_and_a_subject() {
        for (s, n) in [
            ("What do you want?", 1),
            (
                "What do you think about that, and how does it feel, and what will you do?",
                3,
            ),
            (
                "so what do you want from this what would success look like how would you know",
                3,
            ),
            ("What's the plan, and who's the sponsor?", 2),
            ("Where, in all of this, does your team come in?", 0),
            // The question word is the subject, or the clause is not inverted.
            ("Do you know what is happening, and what was said?", 0),
            ("Tell me what you would do and how you would know.", 0),
            ("What's next, and what is wrong with it?", 0),
            ("Somewhat do you know whatever is there", 0),
        ] {
            assert_eq!(question_clauses(s), n, "{s}");
        }
    }

    #[test]
    fn questions_with_and_without_marks() {
        for (s, k) in [
            ("What would you like to focus on?", OpenQuestion),
            ("so what would you do next", OpenQuestion),
            ("um, how did that land for you", OpenQuestion),
            ("Whose permission?", OpenQuestion),
            ("Did you talk to your boss yet?", ClosedQuestion),
            ("do you want to start there", ClosedQuestion),
            ("Is it fear?", ClosedQuestion),
            (
                "Or is it that you don't think you deserve it?",
                ClosedQuestion,
            ),
            (
                "So you'll book the meeting tomorrow, right?",
                ClosedQuestion,
            ),
            ("Being tested?", ClosedQuestion),
            (
                "Tell me more about what that feels like in the room.",
                OpenQuestion,
            ),
            ("Could you say more about that?", OpenQuestion),
            ("What I would do is call them.", Statement),
            ("What worked for me was writing it down.", Statement),
            ("what would you do if it was you", OpenQuestion),
            ("When I was in your position I felt the same.", Statement),
            ("You should definitely go for it.", Statement),
            ("Being tested.", Statement),
            ("And then what happened?", OpenQuestion),
            ("How you handle it is up to you.", Statement),
            ("how's the not sleeping affecting you", OpenQuestion),
            ("who told you that", OpenQuestion),
            ("what evidence do you have for that", OpenQuestion),
            ("What's important is that you rest.", Statement),
            ("As a team, what's in your control here?", OpenQuestion),
            ("And now?", OpenQuestion),
            (
                "I'm wondering what you were thinking just before.",
                OpenQuestion,
            ),
            ("more strategic what does that mean to you", OpenQuestion),
            ("can't start tell me about that", OpenQuestion),
            ("I know what you mean", Statement),
            ("just do what feels right", Statement),
            ("that's exactly what happened", Statement),
            ("people tell me about it all the time", Statement),
            // An instruction with "do", and questions that look like one.
            ("Do your homework before the meeting.", Statement),
            ("Do it now!", Statement),
            ("Do your parents know?", ClosedQuestion),
            ("do your parents know about this", ClosedQuestion),
            ("Do you want to start there.", ClosedQuestion),
        ] {
            assert_eq!(classify(s), k, "{s}");
        }
    }

    /// [`split`] as first written, char by char.
    fn split_by_chars(text: &str) -> Vec<Span> {
        let mut out: Vec<Span> = Vec::new();
        for (start, s) in crate::analysis::segment::bounds(text) {
            let rest = s.trim_start();
            let lead = s.len() - rest.len();
            let body = rest.trim_end();
            if body.is_empty() {
                continue;
            }
            let span = start + lead..start + lead + body.len();
            if let Some(prev) = out.last_mut() {
                let prev_text = &text[prev.clone()];
                let last = prev_text.rsplit(char::is_whitespace).next().unwrap_or("");
                let abbreviation = [
                    "mr.", "mrs.", "ms.", "dr.", "prof.", "e.g.", "i.e.", "etc.", "vs.", "st.",
                    "approx.",
                ]
                .iter()
                .any(|a| last.eq_ignore_ascii_case(a));
                if abbreviation || !prev_text.chars().any(char::is_alphanumeric) {
                    prev.end = span.end;
                    continue;
                }
            }
            out.push(span);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn questions_asked_are_the_clauses_and_at_least_one(
            t in "(What|what|How|how|Who's|whom|which|Whole|hold|without|the|do|does|is|will|you|it|she|wrong|said|and|,|\\?| ){0,16}"
        ) {
            proptest::prop_assert_eq!(questions_asked(&t), question_clauses(&t).max(1));
        }

        #[test]
        fn splits_as_char_by_char(
            t in "([a-zA-Z ,.?!\"()\\[\\]\n\r\t\x0b\x0c\u{a0}\u{2003}É’-]|Dr\\. |DR\\.|e\\.g\\. |Approx\\. |approxx\\. |xapprox\\.|\\.\\.\\. ){0,40}"
        ) {
            proptest::prop_assert_eq!(split(&t), split_by_chars(&t));
        }
    }

    /// [`is_reflection_of`] as first written.
    fn is_reflection_as_written(
        w: &[&str],
        kind: SentenceKind,
        previous_client: Option<&[&str]>,
    ) -> bool {
        if kind.is_question() {
            return false;
        }
        if REFLECTION_OPENER.open(w, 5) {
            return true;
        }
        if let Some(prev_words) = previous_client {
            let first = core_words(w).first().copied();
            let instructs = (1..prev_words.len()).any(|j| {
                Some(prev_words[j]) == first
                    && prev_words[j.saturating_sub(3)..j].iter().any(|m| {
                        matches!(*m, "should" | "must" | "could" | "might" | "to" | "gotta")
                    })
            });
            let obliges = w.windows(2).any(|p| {
                p[0] == "you"
                    && matches!(
                        p[1],
                        "should" | "must" | "need" | "owe" | "ought" | "have" | "gotta" | "better"
                    )
            });
            if instructs || obliges {
                return false;
            }
            if w.len() <= 12 {
                let content = w.iter().filter(|x| x.len() > 3 && !STOP.contains(x));
                let (mut n, mut shared) = (0, 0);
                for c in content {
                    n += 1;
                    shared += prev_words.contains(c) as usize;
                }
                return n > 0 && shared * 3 >= n * 2 && shared >= 1;
            }
        }
        false
    }

    proptest::proptest! {
        #[test]
        fn reflections_as_written(
            w in proptest::collection::vec(proptest::sample::select(vec![
                "so", "you", "should", "push", "back", "pushing", "being", "tested", "to", "need",
                "that", "really", "feel", "tired", "team", "boss", "um", "owe", "it", "might",
            ]), 0..15),
            prev in proptest::option::of(proptest::collection::vec(proptest::sample::select(vec![
                "i", "should", "push", "back", "pushing", "being", "tested", "to", "team", "feel",
                "tired", "boss", "that", "gotta", "really", "so",
            ]), 0..20)),
            question in proptest::bool::ANY,
        ) {
            let kind = if question { ClosedQuestion } else { Statement };
            proptest::prop_assert_eq!(
                is_reflection_of(&w, kind, prev.as_deref()),
                is_reflection_as_written(&w, kind, prev.as_deref())
            );
        }
    }

    #[test]
    fn splits_sentences_keeping_abbreviations() {
        let t = "I spoke to Dr. Lee. What did she say? ok";
        let parts: Vec<&str> = split(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(parts, ["I spoke to Dr. Lee.", "What did she say?", "ok"]);
    }

    #[test]
    fn reflections() {
        assert!(is_reflection(
            "So you feel you should quit.",
            Statement,
            None
        ));
        assert!(is_reflection(
            "Being tested.",
            Statement,
            Some("every meeting feels like I'm being tested")
        ));
        assert!(!is_reflection(
            "You should quit.",
            Statement,
            Some("I hate my job")
        ));
        assert!(!is_reflection(
            "Push back.",
            Statement,
            Some("I should probably push back on the CFO")
        ));
        assert!(is_reflection(
            "Pushing back.",
            Statement,
            Some("I should probably push back on the CFO, pushing back is hard")
        ));
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_paths_agree_with_the_char_paths(t in "([ -~\\t\\n\\r\\x0b\\x0c]{0,80}|([\\x00-\\x7f]|[a-z]{1,12}|[ ,;]{1,2}){0,30})") {
            let lower = lower(&t);
            let (mut ascii, mut chars) = (Vec::new(), Vec::new());
            ascii_words_of(&lower, |w| ascii.push(w));
            char_words_of(&lower, |w| chars.push(w));
            proptest::prop_assert_eq!(ascii, chars);
            proptest::prop_assert_eq!(ascii_word_count(t.as_bytes()), char_word_count(&t));
        }

        #[test]
        fn the_next_separator_is_the_first_from_there(
            t in "([\\x00-\\x7f]|[a-z]{1,12}|[ ,;\t\n]){0,40}",
            from in 0usize..200,
        ) {
            let b = t.as_bytes();
            let from = from.min(b.len());
            let bytewise = (from..b.len())
                .find(|&i| BYTE_CLASS[usize::from(b[i])] & SEPARATOR != 0)
                .unwrap_or(b.len());
            proptest::prop_assert_eq!(next_separator(b, from), bytewise);
        }
    }

    proptest::proptest! {
        #[test]
        fn lower_is_char_by_char(t in "([ -~]|[’‘“”ÉİKΣ]|[^\\x00-\\x7f]){0,30}") {
            let chars: String = t
                .chars()
                .map(|c| if c == '’' { '\'' } else { c })
                .flat_map(char::to_lowercase)
                .collect();
            proptest::prop_assert_eq!(lower(&t), chars);
        }
    }

    proptest::proptest! {
        #[test]
        fn openers_agree_with_trying_every_phrase(
            words in proptest::collection::vec(proptest::prop_oneof![
                "[a-z']{0,3}",
                proptest::sample::select(vec!["tell", "me", "so", "you", "your", "i", "i'm", "é", "it's", "curious", "what", "say", "more", "it", "sounds", "like", "walk", "through", "", "you're", "feeling", "i'd", "love", "wonder", "if", "the", "there's", "part", "of", "hear", "in", "other", "words", "seems", "mor", "wal"])
                    .prop_map(String::from),
            ], 0..7),
            max in 0usize..7,
        ) {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            for o in [&INVITATION, &CLOSING_INVITATION, &REFLECTION_OPENER] {
                let slow = o.phrases.iter().any(|p| opens_with(&words, max, p));
                proptest::prop_assert_eq!(o.open(&words, max), slow);
            }
        }
    }

    #[test]
    fn word_counts_skip_annotations() {
        assert_eq!(
            word_count("I think [crosstalk] we should [unintelligible 00:01:18] go (laughs)"),
            5
        );
    }
}
