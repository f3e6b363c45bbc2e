//! A small statistical advice detector, for the advice that phrase patterns do
//! not list ("Set an alarm on your phone.", "Swimming might be a good
//! alternative."). Logistic regression over hashed word n-grams and
//! sentence-start words, trained by `examples/train_advice.rs` on the train
//! splits of the advice-reddit data ("Help! Need Advice on Identifying Advice",
//! Govindarajan, Chen, Warholic, Erk and Li, EMNLP 2020; MIT licence).
//!
//! The weights are embedded in the binary (`model/advice.bin`: 2^17 i8
//! buckets, 128 KiB); scoring is deterministic and allocation-free: words are
//! hashed as they are read, and features are summed as they are made, about
//! 0.3 µs for a six-word sentence and 0.7 µs for fifteen words
//! (`cargo run --release -p coachlint-core --example eval -- --assess "…"`).
//! The model only decides: a finding still quotes the words that weighed most
//! ([`Assessment::evidence`]).
//!
//! The embedded file is rebuilt, byte for byte, from the data (run from the
//! repository root, with the data in `../shared/data/advice-reddit`) by
//!
//! ```text
//! cargo run --release -p coachlint-core --example train_advice -- ../shared/data/advice-reddit
//! ```
//!
//! The trainer's threshold is chosen for the whole pipeline (rules, then the
//! model), so a change to the advice rules may change the threshold on
//! retraining; the weights depend only on the data and this file.

use crate::Span;
use smallvec::SmallVec;
use std::sync::LazyLock;

/// Feature-space size: `2^BITS` hashed buckets.
pub const BITS: u32 = 17;
const MAGIC: &[u8; 8] = b"CLADV02\0";
const HEADER: usize = 8 + 4 * 5;

/// Optional feature groups; the model file records which it was trained with.
pub mod groups {
    /// Word trigrams.
    pub const TRIGRAMS: u32 = 1;
    /// The last three letters of the opening word and of clause-opening words
    /// ("Swimming…", "Setting…").
    pub const SUFFIXES: u32 = 2;
    /// The first three words after openers, each with its position.
    pub const EARLY: u32 = 4;
    /// Word pairs with one word between them ("you * to").
    pub const SKIP: u32 = 8;
    pub const ALL: u32 = TRIGRAMS | SUFFIXES | EARLY | SKIP;
}

/// Word classes, as bits.
const OPENER: u8 = 1;
const VERB: u8 = 2;
const MODAL: u8 = 4;
const PAST: u8 = 8;

/// Words a sentence may open with that say nothing about what it does; the
/// first word after them is a feature of its own ("So, try…" is "try…").
const OPENERS: &[&str] = &[
    "so", "and", "but", "also", "just", "ok", "okay", "well", "honestly", "then", "or", "um", "uh",
    "er", "like", "yeah", "yes", "no", "oh", "please", "first", "second", "third", "finally",
    "plus", "now", "edit", "anyway", "again", "still",
];

/// Base-form verbs that commonly start an instruction. A sentence or clause
/// that starts with one is a feature of its own, so the model can generalise
/// from "Try…" and "Call…" to verbs it rarely saw at the start of a sentence.
const VERBS: &[&str] = &[
    "accept",
    "acknowledge",
    "add",
    "admit",
    "allow",
    "apologise",
    "apologize",
    "apply",
    "ask",
    "avoid",
    "be",
    "block",
    "book",
    "breathe",
    "bring",
    "build",
    "buy",
    "call",
    "calm",
    "change",
    "check",
    "choose",
    "clean",
    "clear",
    "commit",
    "communicate",
    "consider",
    "contact",
    "continue",
    "cook",
    "create",
    "cut",
    "decide",
    "delegate",
    "delete",
    "discuss",
    "do",
    "document",
    "drink",
    "drop",
    "eat",
    "email",
    "encourage",
    "enjoy",
    "ensure",
    "explain",
    "explore",
    "express",
    "figure",
    "fill",
    "find",
    "finish",
    "focus",
    "follow",
    "forget",
    "forgive",
    "get",
    "give",
    "go",
    "grab",
    "have",
    "help",
    "hire",
    "hold",
    "ignore",
    "include",
    "invest",
    "invite",
    "join",
    "journal",
    "keep",
    "learn",
    "leave",
    "let",
    "limit",
    "listen",
    "look",
    "make",
    "manage",
    "meet",
    "mention",
    "move",
    "note",
    "offer",
    "open",
    "organise",
    "organize",
    "pay",
    "pick",
    "plan",
    "play",
    "practice",
    "practise",
    "prepare",
    "prioritise",
    "prioritize",
    "push",
    "put",
    "quit",
    "raise",
    "reach",
    "read",
    "reconsider",
    "record",
    "reduce",
    "reflect",
    "relax",
    "remember",
    "remind",
    "remove",
    "replace",
    "report",
    "research",
    "respect",
    "rest",
    "return",
    "review",
    "reward",
    "save",
    "say",
    "schedule",
    "search",
    "see",
    "seek",
    "sell",
    "send",
    "set",
    "share",
    "show",
    "sign",
    "sit",
    "skip",
    "sleep",
    "slow",
    "speak",
    "spend",
    "stand",
    "start",
    "stay",
    "step",
    "stick",
    "stop",
    "study",
    "switch",
    "take",
    "talk",
    "teach",
    "tell",
    "thank",
    "think",
    "throw",
    "track",
    "treat",
    "trust",
    "try",
    "turn",
    "unfollow",
    "update",
    "use",
    "visit",
    "volunteer",
    "wait",
    "walk",
    "watch",
    "wear",
    "work",
    "write",
];

/// Whether `w` is one of [`VERBS`], in any case: a phrase it starts can follow
/// "What would it take to".
pub(crate) fn is_base_verb(w: &str) -> bool {
    VERBS.iter().any(|v| w.eq_ignore_ascii_case(v))
}

/// The verb an emphatic "do" stresses ("Please do *try* it"): the first word
/// of what follows the "do", when it is one of [`VERBS`]. "Do your homework"
/// stresses none: its "do" is the verb.
pub(crate) fn stressed_verb(after_do: &str) -> Option<&str> {
    let verb = after_do
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default();
    is_base_verb(verb).then_some(verb)
}

const MODALS: &[&str] = &[
    "should",
    "could",
    "can",
    "might",
    "may",
    "must",
    "need",
    "have",
    "will",
    "would",
    "ought",
    "shouldn't",
    "can't",
    "won't",
    "gotta",
    "got",
];

const PASTS: &[&str] = &[
    "was", "were", "had", "did", "went", "got", "made", "took", "felt", "said", "told", "thought",
    "knew", "left", "found", "came", "saw", "gave", "kept", "spent", "became", "began", "lost",
];

const fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

/// Hashes a word's normalised bytes eight at a time (one multiply per eight
/// bytes, so reading a word is not one long chain of multiplies).
#[derive(Clone, Copy)]
struct WordHasher {
    hash: u64,
    chunk: u64,
    /// Bytes in `chunk`, and all bytes fed (for the length).
    filled: u32,
    len: u64,
}

impl WordHasher {
    const fn new() -> Self {
        WordHasher {
            hash: 0xcbf2_9ce4_8422_2325,
            chunk: 0,
            filled: 0,
            len: 0,
        }
    }

    #[inline(always)]
    const fn feed(&mut self, b: u8) {
        self.chunk |= (b as u64) << (8 * self.filled);
        self.filled += 1;
        self.len += 1;
        if self.filled == 8 {
            self.flush();
        }
    }

    /// A branch, not a conditional move: most words end before eight bytes,
    /// and the multiply must not sit in every byte's dependency chain.
    #[cold]
    const fn flush(&mut self) {
        self.hash = (self.hash ^ self.chunk)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(31);
        self.chunk = 0;
        self.filled = 0;
    }

    #[inline(always)]
    const fn finish(&self) -> u64 {
        let h = (self.hash ^ self.chunk).wrapping_mul(0xff51_afd7_ed55_8ccd);
        (h ^ (h >> 32)) ^ self.len
    }
}

/// The hash of a normalised word, as [`Tokens`] computes it.
const fn word(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut h = WordHasher::new();
    let mut i = 0;
    while i < b.len() {
        h.feed(b[i]);
        i += 1;
    }
    h.finish()
}

const YOU: u64 = word("you");
const I: u64 = word("i");
const WE: u64 = word("we");
const MY: u64 = word("my");
const KNOW: u64 = word("know");
const MEAN: u64 = word("mean");
const WOULD: u64 = word("would");
const YOU_LL: u64 = word("you'll");
const YOU_D: u64 = word("you'd");
const YOU_VE: u64 = word("you've");
const I_D: u64 = word("i'd");
/// Boundary markers for n-grams (never the hash of a word in practice).
const BOS: u64 = 0x0b05_0b05_0b05_0b05;
const EOS: u64 = 0x0e05_0e05_0e05_0e05;

/// Word classes by hash: open addressing, built at compile time.
const CLASS_SLOTS: usize = 1024;
static CLASSES: [(u64, u8); CLASS_SLOTS] = {
    let mut t = [(0u64, 0u8); CLASS_SLOTS];
    t = insert_all(t, OPENERS, OPENER);
    t = insert_all(t, VERBS, VERB);
    t = insert_all(t, MODALS, MODAL);
    insert_all(t, PASTS, PAST)
};

const fn insert_all(
    mut t: [(u64, u8); CLASS_SLOTS],
    words: &[&str],
    class: u8,
) -> [(u64, u8); CLASS_SLOTS] {
    let mut k = 0;
    while k < words.len() {
        let h = word(words[k]);
        let mut slot = slot_of(h);
        loop {
            if t[slot].1 == 0 || t[slot].0 == h {
                t[slot] = (h, t[slot].1 | class);
                break;
            }
            slot = (slot + 1) % CLASS_SLOTS;
        }
        k += 1;
    }
    t
}

const fn slot_of(h: u64) -> usize {
    (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 54) as usize % CLASS_SLOTS
}

fn class_of(h: u64) -> u8 {
    let mut slot = slot_of(h);
    loop {
        let (k, c) = CLASSES[slot];
        if c == 0 {
            return 0;
        }
        if k == h {
            return c;
        }
        slot = (slot + 1) % CLASS_SLOTS;
    }
}

/// One word: the hash of its normalised form (lower case, typographic
/// apostrophes straight, digit runs `0`), its classes, its byte range, whether
/// a clause break (`,` `;` `:` `(` or a dash) comes before it, and the hash of
/// its last three letters.
#[derive(Clone, Copy, Debug)]
struct Tok {
    hash: u64,
    class: u8,
    start: usize,
    end: usize,
    brk: bool,
    suffix: u64,
}

/// The words of a text, hashed as they are read: no allocation.
#[derive(Clone)]
struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Tokens { text, pos: 0 }
    }
}

/// What an ASCII byte is to the tokenizer.
const OTHER: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const QUOTE: u8 = 3;
const BREAK: u8 = 4;
static ASCII: [u8; 128] = {
    let mut t = [OTHER; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b'0'..=b'9' => DIGIT,
            b'\'' => QUOTE,
            b',' | b';' | b':' | b'(' => BREAK,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

impl Tokens<'_> {
    /// The class of the character at byte `i` and its length: ASCII by table,
    /// the rest by the char's properties.
    #[inline]
    fn class_at(&self, i: usize) -> (u8, usize) {
        let b = self.text.as_bytes()[i];
        if b < 0x80 {
            return (ASCII[b as usize], 1);
        }
        let c = self.text[i..].chars().next().unwrap_or(' ');
        let kind = if c.is_alphanumeric() {
            // Non-ASCII digits are words of their own, like letters.
            LETTER
        } else if c == '’' {
            QUOTE
        } else if c == '—' || c == '–' {
            BREAK
        } else {
            OTHER
        };
        (kind, c.len_utf8())
    }
}

impl Iterator for Tokens<'_> {
    type Item = Tok;

    fn next(&mut self) -> Option<Tok> {
        let bytes = self.text.as_bytes();
        let n = bytes.len();
        let mut i = self.pos;
        // Up to the next word, noting a clause break on the way.
        let mut brk = false;
        loop {
            if i >= n {
                self.pos = n;
                return None;
            }
            let b = bytes[i];
            let (kind, len) = if b < 0x80 {
                (ASCII[b as usize], 1)
            } else {
                self.class_at(i)
            };
            if kind == LETTER || kind == DIGIT {
                break;
            }
            brk |= kind == BREAK;
            i += len;
        }
        let start = i;
        let mut hash = WordHasher::new();
        // The last three bytes hashed, for the suffix.
        let mut tail: u32 = 0;
        // Where an apostrophe not yet followed by a letter began.
        let mut quote_at: Option<usize> = None;
        let mut last_zero = false;
        macro_rules! feed {
            ($b:expr) => {{
                let b: u8 = $b;
                hash.feed(b);
                tail = (tail << 8 | u32::from(b)) & 0x00ff_ffff;
            }};
        }
        while i < n {
            let b = bytes[i];
            // The common case: an ASCII letter.
            if b < 0x80 && ASCII[b as usize] == LETTER && quote_at.is_none() {
                feed!(b | 0x20);
                last_zero = false;
                i += 1;
                continue;
            }
            let (kind, len) = if b < 0x80 {
                (ASCII[b as usize], 1)
            } else {
                self.class_at(i)
            };
            match kind {
                LETTER | DIGIT => {
                    if quote_at.take().is_some() {
                        last_zero = false;
                        feed!(b'\'');
                    }
                    if kind == DIGIT {
                        if !last_zero {
                            feed!(b'0');
                        }
                        last_zero = true;
                    } else {
                        last_zero = false;
                        if b < 0x80 {
                            feed!(b | 0x20);
                        } else {
                            let c = self.text[i..].chars().next().unwrap_or(' ');
                            let mut buf = [0u8; 4];
                            for l in c.to_lowercase() {
                                for &b in l.encode_utf8(&mut buf).as_bytes() {
                                    feed!(b);
                                }
                            }
                        }
                    }
                }
                QUOTE => {
                    quote_at.get_or_insert(i);
                }
                _ => break,
            }
            i += len;
        }
        let end = quote_at.unwrap_or(i);
        self.pos = end;
        let t = tail.to_be_bytes();
        let hash = hash.finish();
        Some(Tok {
            hash,
            class: class_of(hash),
            start,
            end,
            brk,
            suffix: fnv(&t[1..]),
        })
    }
}

/// Feature kinds, mixed into every feature's hash.
mod kind {
    pub const UNI: u64 = 1;
    pub const BI: u64 = 2;
    pub const TRI: u64 = 3;
    pub const START: u64 = 4;
    pub const START_VERB: u64 = 5;
    pub const START2: u64 = 6;
    pub const YOU_MODAL: u64 = 7;
    pub const I_WOULD: u64 = 8;
    pub const PAST_1ST: u64 = 9;
    pub const LENGTH: u64 = 10;
    pub const CLAUSE: u64 = 11;
    pub const CLAUSE_VERB: u64 = 12;
    pub const QUESTION: u64 = 13;
    pub const EXCLAIM: u64 = 14;
    pub const SUFFIX: u64 = 15;
    pub const EARLY: u64 = 16;
    pub const SKIP: u64 = 17;
}

/// The bucket of a feature: its kind and up to three word hashes.
#[inline]
fn bucket(kind: u64, a: u64, b: u64, c: u64) -> u32 {
    let mut h = (a ^ kind.wrapping_mul(0xff51_afd7_ed55_8ccd)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h = (h ^ b.rotate_left(23)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= c.rotate_left(41);
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 32;
    (h >> (64 - BITS)) as u32
}

/// The first word after openers and "you know"/"i mean" fillers, its index,
/// and the word after it, of the words `it` gives.
fn core_start(mut it: impl Iterator<Item = Tok>) -> (usize, Option<Tok>, Option<Tok>) {
    let mut k = 0;
    let mut cur = it.next();
    let mut next = it.next();
    while let (Some(c), Some(n)) = (cur, next) {
        if c.class & OPENER != 0 {
            k += 1;
            cur = next;
            next = it.next();
        } else if c.hash == YOU && n.hash == KNOW || c.hash == I && n.hash == MEAN {
            let after = it.next();
            if after.is_none() {
                break;
            }
            k += 2;
            cur = after;
            next = it.next();
        } else {
            break;
        }
    }
    (k, cur, next)
}

/// Calls `emit(bucket, span)` for every feature of a sentence: word unigrams,
/// bigrams (with sentence boundaries) and, as `groups` says, trigrams and
/// skip pairs; the first one and two words after openers; clause-opening
/// words; instruction verbs there; "you" before a modal, the speaker's own
/// "I would", first-person past narrative; a length bucket; a final `?` or `!`.
pub fn for_each_feature(text: &str, groups: u32, mut emit: impl FnMut(u32, Span)) {
    // Read once: the opening words are read again for the start features.
    let words: SmallVec<[Tok; 32]> = Tokens::new(text).collect();
    let (k, first, second) = core_start(words.iter().copied());
    if let Some(f) = first {
        emit(bucket(kind::START, f.hash, 0, 0), f.start..f.end);
        if f.class & VERB != 0 {
            emit(bucket(kind::START_VERB, 0, 0, 0), f.start..f.end);
        }
        if groups & groups::SUFFIXES != 0 {
            emit(bucket(kind::SUFFIX, f.suffix, 0, 0), f.start..f.end);
        }
        match second {
            Some(s) => emit(bucket(kind::START2, f.hash, s.hash, 0), f.start..s.end),
            None => emit(bucket(kind::START2, f.hash, EOS, 0), f.start..f.end),
        }
    }
    let mut it = words.iter().copied();
    let (mut p2, mut p1): (Option<Tok>, Option<Tok>) = (None, None);
    let mut next = it.next();
    let mut n = 0usize;
    while let Some(t) = next {
        next = it.next();
        let span = t.start..t.end;
        emit(bucket(kind::UNI, t.hash, 0, 0), span.clone());
        match p1 {
            Some(p) => emit(bucket(kind::BI, p.hash, t.hash, 0), p.start..t.end),
            None => emit(bucket(kind::BI, BOS, t.hash, 0), span.clone()),
        }
        if groups & groups::TRIGRAMS != 0 {
            match (p2, p1) {
                (Some(a), Some(b)) => {
                    emit(bucket(kind::TRI, a.hash, b.hash, t.hash), a.start..t.end)
                }
                (None, Some(b)) => emit(bucket(kind::TRI, BOS, b.hash, t.hash), b.start..t.end),
                _ => {}
            }
        }
        if groups & groups::SKIP != 0
            && let Some(a) = p2
        {
            emit(bucket(kind::SKIP, a.hash, t.hash, 0), a.start..t.end);
        }
        if groups & groups::EARLY != 0 && n >= k && n < k + 3 {
            emit(bucket(kind::EARLY, t.hash, (n - k) as u64, 0), span.clone());
        }
        // Word classes: "you" before a modal ("you could", "you'll want to"),
        // the speaker's own conditional ("I'd…", "I would…"), first-person
        // past narrative ("I tried…", "my son was…").
        let nx = next.map_or(0, |x| x.hash);
        let nx_class = next.map_or(0, |x| x.class);
        let class = if t.hash == YOU && nx_class & MODAL != 0
            || t.hash == YOU_LL
            || t.hash == YOU_D
            || t.hash == YOU_VE
        {
            Some(kind::YOU_MODAL)
        } else if t.hash == I_D || t.hash == I && nx == WOULD {
            Some(kind::I_WOULD)
        } else if (t.hash == I || t.hash == WE || t.hash == MY)
            && next.is_some_and(|x| nx_class & PAST != 0 || ends_with_ed(text, &x))
        {
            Some(kind::PAST_1ST)
        } else {
            None
        };
        if let Some(c) = class {
            emit(bucket(c, 0, 0, 0), t.start..next.map_or(t.end, |x| x.end));
        }
        // Clause starts: "If she calls, answer…".
        if n > k && t.brk {
            emit(bucket(kind::CLAUSE, t.hash, 0, 0), span.clone());
            if t.class & VERB != 0 {
                emit(bucket(kind::CLAUSE_VERB, 0, 0, 0), span.clone());
            }
            if groups & groups::SUFFIXES != 0 {
                emit(bucket(kind::SUFFIX, t.suffix, 1, 0), span.clone());
            }
        }
        if next.is_none() {
            emit(bucket(kind::BI, t.hash, EOS, 0), span);
        }
        (p2, p1) = (p1, Some(t));
        n += 1;
    }
    let len = match n {
        0..=3 => 0,
        4..=8 => 1,
        9..=16 => 2,
        17..=30 => 3,
        _ => 4,
    };
    let end = text.len();
    emit(bucket(kind::LENGTH, len, 0, 0), end..end);
    match text.trim_end().as_bytes().last() {
        Some(b'?') => emit(bucket(kind::QUESTION, 0, 0, 0), end..end),
        Some(b'!') => emit(bucket(kind::EXCLAIM, 0, 0, 0), end..end),
        _ => {}
    }
}

fn ends_with_ed(text: &str, t: &Tok) -> bool {
    let w = &text.as_bytes()[t.start..t.end];
    w.len() > 2 && w[w.len() - 2..].eq_ignore_ascii_case(b"ed")
}

/// One hashed feature and the byte range of the words it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feature {
    pub index: u32,
    pub span: Span,
}

/// The features of a sentence, collected (for training and tests; scoring
/// does not collect them).
pub fn features(text: &str, groups: u32, out: &mut Vec<Feature>) {
    out.clear();
    for_each_feature(text, groups, |index, span| {
        out.push(Feature { index, span })
    });
}

/// Whether a sentence opens (after fillers) with a verb that commonly starts an
/// instruction: "So, try the stairs." Such advice is rephrased as "What would
/// it take to…?".
pub fn opens_with_instruction(text: &str) -> bool {
    core_start(Tokens::new(text))
        .1
        .is_some_and(|t| t.class & VERB != 0)
}

/// Trained weights: `bias + scale · Σ weights[feature]` is the log-odds.
#[derive(Clone, Debug)]
pub struct AdviceModel {
    groups: u32,
    weights: Vec<i8>,
    scale: f32,
    bias: f32,
    threshold: f32,
}

/// What the model made of a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    /// Probability that the sentence is advice.
    pub probability: f32,
    /// Whether it is at or above the model's decision threshold.
    pub advice: bool,
    /// The words that weighed most towards advice (a byte range of the sentence).
    pub evidence: Option<Span>,
}

static BUILTIN: LazyLock<Option<AdviceModel>> =
    LazyLock::new(|| AdviceModel::from_bytes(include_bytes!("model/advice.bin")).ok());

impl AdviceModel {
    /// The embedded model; `None` only if the embedded file were corrupt (a
    /// test makes sure it is not).
    pub fn builtin() -> Option<&'static AdviceModel> {
        BUILTIN.as_ref()
    }

    /// Quantises trained weights (one per bucket) into a model.
    pub fn quantize(groups: u32, weights: &[f32], bias: f32, threshold: f32) -> AdviceModel {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max == 0.0 { 1.0 } else { max / 127.0 };
        AdviceModel {
            groups,
            weights: weights
                .iter()
                .map(|w| (w / scale).round().clamp(-127.0, 127.0) as i8)
                .collect(),
            scale,
            bias,
            threshold,
        }
    }

    /// The file format: magic, then `BITS`, the feature groups, scale, bias and
    /// threshold (u32/f32 little endian), then one i8 per bucket.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(HEADER + self.weights.len());
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&BITS.to_le_bytes());
        b.extend_from_slice(&self.groups.to_le_bytes());
        b.extend_from_slice(&self.scale.to_le_bytes());
        b.extend_from_slice(&self.bias.to_le_bytes());
        b.extend_from_slice(&self.threshold.to_le_bytes());
        b.extend(self.weights.iter().map(|&w| w as u8));
        b
    }

    pub fn from_bytes(b: &[u8]) -> Result<AdviceModel, String> {
        if b.len() < HEADER || &b[..8] != MAGIC {
            return Err("not a coachlint advice model".into());
        }
        let word = |i: usize| [b[8 + 4 * i], b[9 + 4 * i], b[10 + 4 * i], b[11 + 4 * i]];
        let bits = u32::from_le_bytes(word(0));
        if bits != BITS || b.len() != HEADER + (1 << BITS) {
            return Err(format!(
                "advice model has {bits} bits and {} bytes; expected {BITS} bits",
                b.len()
            ));
        }
        let groups = u32::from_le_bytes(word(1));
        if groups & !groups::ALL != 0 {
            return Err(format!("advice model uses unknown features {groups:#x}"));
        }
        Ok(AdviceModel {
            groups,
            scale: f32::from_le_bytes(word(2)),
            bias: f32::from_le_bytes(word(3)),
            threshold: f32::from_le_bytes(word(4)),
            weights: b[HEADER..].iter().map(|&x| x as i8).collect(),
        })
    }

    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The feature groups the model was trained with.
    pub fn groups(&self) -> u32 {
        self.groups
    }

    /// The probability that a sentence is advice.
    pub fn probability(&self, text: &str) -> f32 {
        let mut sum = 0i32;
        for_each_feature(text, self.groups, |i, _| {
            sum += i32::from(self.weights[i as usize]);
        });
        sigmoid(self.bias + self.scale * sum as f32)
    }

    /// Scores a sentence and finds the words that weighed most towards advice.
    pub fn assess(&self, text: &str) -> Assessment {
        let mut sum = 0i32;
        // The heaviest positive feature with words; the earliest on a tie.
        let mut best: Option<(i8, Span)> = None;
        for_each_feature(text, self.groups, |i, span| {
            let w = self.weights[i as usize];
            sum += i32::from(w);
            if w > 0
                && !span.is_empty()
                && best
                    .as_ref()
                    .is_none_or(|(bw, bs)| w > *bw || w == *bw && span.start < bs.start)
            {
                best = Some((w, span));
            }
        });
        let probability = sigmoid(self.bias + self.scale * sum as f32);
        Assessment {
            probability,
            advice: probability >= self.threshold,
            evidence: best.map(|(_, s)| s),
        }
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        Tokens::new(text).map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn tokens_normalise_case_apostrophes_and_digits() {
        assert_eq!(
            words("Don’t call at 10:30, OK?"),
            ["Don’t", "call", "at", "10", "30", "OK"]
        );
        let h: Vec<u64> = Tokens::new("Don’t call at 10:30, OK?")
            .map(|t| t.hash)
            .collect();
        let w = |s: &str| word(s);
        assert_eq!(h, [w("don't"), w("call"), w("at"), w("0"), w("0"), w("ok")]);
        // A trailing apostrophe is not part of the word; a break is seen.
        let t: Vec<Tok> = Tokens::new("the kids' room, then").collect();
        assert_eq!(t[1].hash, word("kids"));
        assert!(t[3].brk && !t[2].brk);
        assert_eq!(Tokens::new("ÉTÉ").next().unwrap().hash, word("été"));
    }

    #[test]
    fn word_classes_are_found() {
        assert_eq!(class_of(word("try")), VERB);
        assert_eq!(class_of(word("so")), OPENER);
        assert_eq!(class_of(word("have")), VERB | MODAL);
        assert_eq!(class_of(word("got")), MODAL | PAST);
        assert_eq!(class_of(word("zebra")), 0);
        for w in OPENERS.iter().chain(VERBS).chain(MODALS).chain(PASTS) {
            assert_ne!(class_of(word(w)), 0, "{w}");
        }
    }

    #[test]
    fn feature_spans_cover_their_words() {
        let text = "So, you know, try the stairs.";
        let mut f = Vec::new();
        features(text, groups::ALL, &mut f);
        let start = f
            .iter()
            .find(|x| x.index == bucket(kind::START, word("try"), 0, 0))
            .expect("sentence-start feature after the opener");
        assert_eq!(&text[start.span.clone()], "try");
        let bigram = f
            .iter()
            .find(|x| x.index == bucket(kind::BI, word("the"), word("stairs"), 0))
            .unwrap();
        assert_eq!(&text[bigram.span.clone()], "the stairs");
        for x in &f {
            assert!(text.get(x.span.clone()).is_some());
        }
        assert!(opens_with_instruction(text));
        assert!(!opens_with_instruction("So I tried the stairs."));
    }

    #[test]
    fn odd_input_gives_features_without_panicking() {
        for text in [
            "",
            " ",
            "?",
            "'",
            "’’’",
            "a",
            "— ,",
            "数字 123 ünïcödé’s",
            "x'",
        ] {
            let mut f = Vec::new();
            features(text, groups::ALL, &mut f);
            assert!(f.iter().all(|x| text.get(x.span.clone()).is_some()));
        }
    }

    #[test]
    fn round_trips_through_bytes() {
        let mut w = vec![0f32; 1 << BITS];
        w[7] = 1.5;
        w[9] = -0.75;
        let m = AdviceModel::quantize(groups::TRIGRAMS, &w, -0.25, 0.6);
        let back = AdviceModel::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.weights, m.weights);
        assert_eq!(
            (back.groups, back.scale, back.bias, back.threshold),
            (groups::TRIGRAMS, m.scale, -0.25, 0.6)
        );
        assert!(AdviceModel::from_bytes(b"nonsense").is_err());
    }

    #[test]
    fn embedded_model_loads_and_separates_plain_cases() {
        let m = AdviceModel::builtin().expect("the embedded model parses");
        assert!(m.assess("Set an alarm on your phone.").advice);
        assert!(!m.assess("My daughter started school last week.").advice);
    }
}
