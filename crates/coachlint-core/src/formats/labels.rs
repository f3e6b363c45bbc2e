//! Whether `Something: text` at the start of a line is a speaker label or just
//! a sentence with a colon ("Note: this matters", "Here's the thing: …").
//!
//! A label must be short, without sentence punctuation, and not start with a
//! word that usually opens a sentence, a note or a heading ("Note", "Honestly",
//! "Step"). Then it is a label if it is a speaker seen before, a name declared
//! in the front matter, a role ("Coach", "client"), a name of capitalised words
//! ("Maya Chen", "Speaker 3", "iPhone"), or a plain word used as a label at
//! least twice in the file ("me:", "jo@acme.com:"). Formats with a stronger
//! signal (a timestamp or Markdown bold around the label) say so with `strong`
//! and may use lowercase names seen once.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Words that open sentences, notes and headings rather than name a speaker.
const STOP_WORDS: &[&str] = &[
    "action",
    "actions",
    "again",
    "agenda",
    "also",
    "and",
    "another",
    "answer",
    "anyway",
    "attention",
    "background",
    "basically",
    "because",
    "besides",
    "bonus",
    "bottom",
    "briefly",
    "but",
    "caution",
    "caveat",
    "cc",
    "clearly",
    "conclusion",
    "context",
    "current",
    "date",
    "definition",
    "disclaimer",
    "e.g",
    "edit",
    "eg",
    "etc",
    "exactly",
    "example",
    "fact",
    "false",
    "final",
    "finally",
    "fine",
    "first",
    "firstly",
    "for",
    "frankly",
    "from",
    "fyi",
    "goal",
    "goals",
    "good",
    "great",
    "hence",
    "here",
    "here's",
    "hint",
    "honestly",
    "however",
    "i",
    "i.e",
    "idea",
    "ie",
    "if",
    "important",
    "in",
    "instead",
    "issue",
    "it",
    "it's",
    "key",
    "last",
    "lastly",
    "lesson",
    "like",
    "listen",
    "location",
    "look",
    "main",
    "maybe",
    "meaning",
    "meanwhile",
    "my",
    "n.b",
    "nb",
    "new",
    "next",
    "no",
    "note",
    "notes",
    "now",
    "obviously",
    "oh",
    "ok",
    "okay",
    "on",
    "one",
    "or",
    "other",
    "otherwise",
    "our",
    "outcome",
    "p.s",
    "perhaps",
    "personally",
    "plan",
    "plus",
    "point",
    "problem",
    "ps",
    "psa",
    "q.e.d",
    "question",
    "quick",
    "quote",
    "re",
    "reality",
    "really",
    "reason",
    "recap",
    "remember",
    "reminder",
    "result",
    "results",
    "right",
    "rule",
    "second",
    "secondly",
    "sent",
    "seriously",
    "short",
    "similarly",
    "so",
    "source",
    "specifically",
    "spoiler",
    "status",
    "step",
    "subject",
    "summary",
    "sure",
    "takeaway",
    "task",
    "that's",
    "the",
    "then",
    "there's",
    "therefore",
    "thing",
    "things",
    "third",
    "thirdly",
    "this",
    "thus",
    "time",
    "tip",
    "title",
    "tldr",
    "to",
    "todo",
    "topic",
    "translation",
    "true",
    "truth",
    "two",
    "uh",
    "ultimately",
    "um",
    "update",
    "warning",
    "we",
    "well",
    "what",
    "when",
    "why",
    "with",
    "without",
    "wow",
    "yeah",
    "yes",
    "you",
    "your",
];

/// Lowercase words allowed inside a name ("Ludwig van Beethoven").
const PARTICLES: &[&str] = &[
    "al", "bin", "da", "de", "del", "della", "der", "di", "du", "el", "la", "le", "van", "von",
    "y", "zu",
];

/// Characters that never appear in a speaker label.
fn is_sentence_punct(c: char) -> bool {
    matches!(
        c,
        '?' | '!'
            | ','
            | ';'
            | ':'
            | '"'
            | '“'
            | '”'
            | '«'
            | '»'
            | '…'
            | '*'
            | '['
            | ']'
            | '{'
            | '}'
            | '<'
            | '>'
            | '='
            | '+'
            | '#'
            | '|'
            | '\\'
            | '~'
            | '^'
            | '%'
            | '$'
    ) || c.is_control()
}

/// Short, starts with a letter or digit, no sentence punctuation, few words.
pub(super) fn plausible(name: &str) -> bool {
    let name = super::trim(name);
    name.chars().next().is_some_and(char::is_alphanumeric)
        && at_most_chars(name, 60)
        && !name.chars().any(is_sentence_punct)
        && name.split_whitespace().count() <= 8
}

/// Whether the first word of a label is a sentence or heading opener.
pub(super) fn stop_word(name: &str) -> bool {
    let first = name.split_whitespace().next().unwrap_or("");
    let first = first.trim_end_matches('.');
    one_of(first, STOP_WORDS)
}

/// Whether `word` is one of the lower-case `words`: [`same_word`], with an
/// ASCII word (nearly every label) compared in place and only with words of
/// its length.
fn one_of(word: &str, words: &[&str]) -> bool {
    if word.is_ascii() {
        words
            .iter()
            .any(|w| w.len() == word.len() && w.eq_ignore_ascii_case(word))
    } else {
        words.iter().any(|w| same_word(word, w))
    }
}

/// Case-insensitive, with a typographic apostrophe matching a straight one.
/// `lower` is lower-case.
fn same_word(word: &str, lower: &str) -> bool {
    let fold = |c: char| {
        if c == '’' {
            '\''
        } else {
            c.to_ascii_lowercase()
        }
    };
    word.chars().map(fold).eq(lower.chars())
}

/// Capitalised words (particles and `(Guest)`-style notes allowed), at least
/// one of them starting with a capital or a digit: "Maya Chen", "Speaker 1",
/// "Dr. Ana de la Cruz (she/her)", "SPEAKER_00", "iPhone".
pub(super) fn name_like(name: &str) -> bool {
    if !plausible(name) {
        return false;
    }
    let mut capitalised = 0;
    for (i, word) in name.split_whitespace().enumerate() {
        if i > 0 && word.starts_with('(') {
            continue; // "(Guest)", "(she/her)"
        }
        let word = word.trim_end_matches(')');
        let core = word.trim_end_matches('.');
        // "Dr." is an abbreviation; "thing." ends a sentence.
        if core.len() < word.len() && core.chars().count() > 4 {
            return false;
        }
        let Some(first) = core.chars().next() else {
            return false;
        };
        if first.is_uppercase() || first.is_ascii_digit() {
            capitalised += 1;
        } else if i > 0 && PARTICLES.contains(&core) {
            continue;
        } else if core.chars().any(char::is_uppercase) {
            capitalised += 1; // iPhone, eBay
        } else {
            return false;
        }
    }
    capitalised > 0
}

/// One or two plain words: letters, digits, `_`, `-`, or a handle or e-mail
/// address as meeting tools show for guests ("coach", "me", "jo@acme.com").
fn simple(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    (1..=2).contains(&words.len())
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
        })
}

/// Decides labels for one file: how often each candidate name appears as a
/// label, and which names the front matter declares.
#[derive(Default)]
pub(super) struct Labels {
    counts: HashMap<String, u32>,
    declared: HashSet<String>,
}

impl Labels {
    /// Counts a candidate seen at a label position (before deciding).
    pub(super) fn count(&mut self, name: &str) {
        self.count_times(name, 1);
    }

    /// [`Labels::count`] `times` times over.
    pub(super) fn count_times(&mut self, name: &str, times: u32) {
        let name = super::trim(name);
        // Only plausible names are in the table: a name seen before needs no
        // second look (most lines of a transcript repeat one of two names).
        if let Some(n) = self.counts.get_mut(name) {
            *n = n.saturating_add(times);
        } else if plausible(name) {
            self.counts.insert(name.to_owned(), times);
        }
    }

    /// A name the front matter lists as coach or client.
    pub(super) fn declare(&mut self, name: &str) {
        self.declared.insert(name.trim().to_owned());
    }

    /// Whether `name` is a speaker label; `spoken`: the name already spoke in
    /// this file.
    pub(super) fn accept(&self, name: &str, strong: bool, spoken: bool) -> bool {
        match self.judge(name, strong, spoken) {
            Verdict::Label => true,
            Verdict::Speech => false,
            Verdict::IfRepeated => self.repeated(name),
        }
    }

    /// [`Labels::accept`] short of the counts, which only some names need:
    /// a parser can then count the labels of a file only when one does.
    #[inline]
    pub(super) fn judge(&self, name: &str, strong: bool, spoken: bool) -> Verdict {
        // Nearly every label names a speaker heard already: no call.
        if spoken {
            return Verdict::Label;
        }
        self.judge_new(name, strong)
    }

    /// [`Labels::judge`] for a name that has not spoken yet.
    fn judge_new(&self, name: &str, strong: bool) -> Verdict {
        let name = super::trim(name);
        if self.declared.contains(name) {
            return Verdict::Label;
        }
        if !plausible(name) || stop_word(name) {
            return Verdict::Speech;
        }
        if one_of(name, ROLES) || name_like(name) {
            Verdict::Label
        } else if simple(name) {
            if strong {
                Verdict::Label
            } else {
                Verdict::IfRepeated
            }
        } else {
            Verdict::Speech
        }
    }

    /// Whether `name` was counted as a label at least twice.
    pub(super) fn repeated(&self, name: &str) -> bool {
        self.counts.get(super::trim(name)).is_some_and(|&n| n >= 2)
    }
}

/// What [`Labels::judge`] makes of a name.
pub(super) enum Verdict {
    Label,
    Speech,
    /// A label if used as one at least twice in the file.
    IfRepeated,
}

/// Labels that name a role rather than a person.
const ROLES: &[&str] = &[
    "coach",
    "client",
    "coachee",
    "mentor",
    "mentee",
    "supervisor",
    "supervisee",
    "interviewer",
    "interviewee",
    "facilitator",
    "participant",
    "observer",
    "host",
    "guest",
    "me",
    "q",
    "a",
];

/// Longest name a label may have, in characters.
pub(super) const MAX_NAME: usize = 60;

/// Bytes looked at for the colon that ends a label: a long name in a
/// four-byte script, a clock and some blanks.
pub(super) const SCAN: usize = 4 * MAX_NAME + 64;

pub(super) fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// `\d{1,2}(:\d{1,2}){1,2}([.,]\d{1,3})?` at `i`: where it ends.
#[inline(always)]
pub(super) fn clock_end(b: &[u8], i: usize) -> Option<usize> {
    let digits = |from: usize, max: usize| {
        let mut j = from;
        while j < b.len() && j - from < max && b[j].is_ascii_digit() {
            j += 1;
        }
        (j > from).then_some(j)
    };
    // `12:34:56`, as nearly every stamp is: what the loops below find.
    if let Some(&[h1, h0, b':', m1, m0, b':', s1, s0]) = b.get(i..i + 8)
        && [h1, h0, m1, m0, s1, s0].iter().all(u8::is_ascii_digit)
        && !b
            .get(i + 8)
            .is_some_and(|c| matches!(c, b'0'..=b'9' | b'.' | b','))
    {
        return Some(i + 8);
    }
    let mut j = digits(i, 2)?;
    let mut groups = 0;
    while groups < 2 && b.get(j) == Some(&b':') {
        let Some(k) = digits(j + 1, 2) else { break };
        j = k;
        groups += 1;
    }
    if groups == 0 {
        return None;
    }
    if matches!(b.get(j), Some(b'.' | b',')) {
        if let Some(k) = digits(j + 1, 3) {
            j = k;
        }
    }
    Some(j)
}

/// Trims blanks from the end of `range` of `line`. Bytes suffice: no byte of
/// a multi-byte character is a blank.
pub(super) fn trim_blanks_end(line: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let b = line.as_bytes();
    let mut end = range.end;
    while end > range.start && matches!(b[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    range.start..end
}

/// Whether `s` has at most `max` characters; counted only when it has more
/// bytes than that.
pub(super) fn at_most_chars(s: &str, max: usize) -> bool {
    s.len() <= max || s.chars().count() <= max
}

/// `NAME:` or `NAME (CLOCK):` at `i`: the name's range, where the label ends,
/// and the clock's range if there is one.
#[allow(clippy::type_complexity)]
#[inline(always)]
pub(super) fn plain_name(
    line: &str,
    i: usize,
) -> Option<(
    std::ops::Range<usize>,
    usize,
    Option<std::ops::Range<usize>>,
)> {
    match line.as_bytes().get(i)? {
        b'a'..=b'z' | b'A'..=b'Z' => {}
        b if b.is_ascii() => return None,
        _ if !line[i..].chars().next()?.is_alphabetic() => return None,
        _ => {}
    }
    let b = line.as_bytes();
    // A slice bounded up front: one bound per byte, where `take` adds a count.
    let colon = i + b[i..b.len().min(i + SCAN)]
        .iter()
        .position(|&c| c == b':')?;
    // `Name (00:01:02):` — the first colon is inside the clock.
    for digits in [1, 2] {
        let Some(p) = colon.checked_sub(digits + 1) else {
            continue;
        };
        if p <= i || !matches!(b[p], b'[' | b'(') || !b[p + 1..colon].iter().all(u8::is_ascii_digit)
        {
            continue;
        }
        let Some(end) = clock_end(b, p + 1) else {
            continue;
        };
        if !matches!(b.get(end), Some(b']' | b')')) {
            continue;
        }
        let k = skip_blanks(b, end + 1);
        if b.get(k) != Some(&b':') {
            continue;
        }
        let name = trim_blanks_end(line, i..p);
        if at_most_chars(&line[name.clone()], MAX_NAME) {
            return Some((name, k + 1, Some(p + 1..end)));
        }
    }
    let name = trim_blanks_end(line, i..colon);
    at_most_chars(&line[name.clone()], MAX_NAME).then_some((name, colon + 1, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn same_word_folds_case_and_apostrophes(word in "[aAbB'’é]{0,4}", lower in "[ab'é]{0,4}") {
            let folded: String = word
                .chars()
                .map(|c| if c == '’' { '\'' } else { c.to_ascii_lowercase() })
                .collect();
            proptest::prop_assert_eq!(same_word(&word, &lower), folded == lower);
            proptest::prop_assert_eq!(one_of(&word, &[lower.as_str(), "ab"]), folded == lower || folded == "ab");
        }

        #[test]
        fn byte_shortcuts_agree_with_chars(s in "[ \ta\u{a0}é\u{1F600}]{0,8}", max in 0usize..8) {
            proptest::prop_assert_eq!(at_most_chars(&s, max), s.chars().count() <= max);
            let trimmed = s.trim_end_matches([' ', '\t']).len();
            proptest::prop_assert_eq!(trim_blanks_end(&s, 0..s.len()), 0..trimmed);
        }

        #[test]
        fn clock_end_is_the_grammar(
            s in "[0-9]{0,3}(:[0-9]{0,3}){0,3}([.,][0-9]{0,4})?[0-9:.,\\] a]{0,2}",
        ) {
            let grammar = regex::Regex::new(r"^[0-9]{1,2}(:[0-9]{1,2}){1,2}([.,][0-9]{1,3})?").unwrap();
            let want = grammar.find(&s).map(|m| m.end());
            proptest::prop_assert_eq!(clock_end(s.as_bytes(), 0), want, "{:?}", s);
        }
    }

    #[test]
    fn names() {
        for n in [
            "Maya Chen",
            "Speaker 1",
            "Dr. Smith",
            "Ana de la Cruz",
            "Jordan Ellis (Guest)",
            "SPEAKER_00",
            "iPhone",
            "Coach",
            "Seán Ó Briain",
            "O'Neil",
        ] {
            assert!(name_like(n), "{n}");
        }
        for n in [
            "the thing",
            "Here's the thing",
            "I said, well",
            "What?",
            "end of the sentence.",
            "",
        ] {
            assert!(!name_like(n) || stop_word(n), "{n}");
        }
    }

    #[test]
    fn acceptance() {
        let mut l = Labels::default();
        for n in ["coach", "coach", "Honestly", "client", "client"] {
            l.count(n);
        }
        assert!(l.accept("coach", false, false));
        assert!(l.accept("Maya", false, false));
        assert!(l.accept("Cleo", false, false));
        assert!(!l.accept("Note", false, false));
        assert!(!l.accept("Note", true, false));
        assert!(!l.accept("Honestly", false, false));
        assert!(!l.accept("Step One", false, false));
        assert!(l.accept("Jane Doe", false, false));
        assert!(l.accept("client", false, false));
        assert!(!l.accept("mum", false, false));
        assert!(l.accept("mum", true, false));
        assert!(!l.accept("Here's the thing", false, false));
        assert!(!l.accept("so what", false, false));
        l.count("jo@acme.com");
        l.count("jo@acme.com");
        assert!(l.accept("jo@acme.com", false, false));
        l.declare("Note Taker");
        assert!(l.accept("Note Taker", false, false));
    }
}
