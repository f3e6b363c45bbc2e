//! The rules: metadata for every rule lives in `rules/*.toml` (embedded at build
//! time, extendable by project packs). A rule is either a *phrase* rule, whose
//! patterns are in the pack, or a *check*, whose logic is Rust, registered in
//! [`checks::CHECKS`] under the name its pack entry gives.

pub mod checks;
pub mod pack;
pub mod phrase;

use crate::finding::{Category, Severity};
use regex_automata::meta::{self, BuildError};
use regex_automata::nfa::thompson::{self, WhichCaptures, pikevm::PikeVM};
use regex_automata::util::{pool::Pool, start, syntax};
use regex_automata::{Input, MatchKind, hybrid};
use regex_syntax::hir::Hir;
use std::sync::{Arc, OnceLock};

pub use pack::RuleSet;

/// Everything a user can learn about a rule: `coachlint explain CODE` prints it.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleMeta {
    /// Stable code, e.g. `ADV001`.
    pub code: String,
    /// Kebab-case name, e.g. `advice-should`.
    pub name: String,
    pub category: Category,
    /// The default severity.
    pub severity: Severity,
    /// Related ICF PCC markers, e.g. `["7.6", "5.3"]`.
    pub icf: Vec<String>,
    /// One line for `coachlint rules`.
    pub summary: String,
    /// Why it matters in coaching, with examples (Markdown).
    pub explanation: String,
    /// Sentences that fire, and near-misses that do not: also the rule's tests.
    pub examples_fire: Vec<String>,
    pub examples_pass: Vec<String>,
    /// Where the rule was defined (`builtin:advice.toml` or a pack path).
    pub origin: String,
}

impl RuleMeta {
    /// Whether a selector (code, code prefix, name or category) names this rule.
    pub fn matches(&self, selector: &str) -> bool {
        self.specificity(selector) > 0
    }

    /// How precisely a selector names this rule: 0 not at all, then category,
    /// code prefix, and exact code or name.
    pub fn specificity(&self, selector: &str) -> usize {
        if selector.eq_ignore_ascii_case(&self.code) || selector == self.name {
            3
        } else if selector.len() >= 2
            && selector.chars().all(|c| c.is_ascii_alphanumeric())
            && selector.chars().any(|c| c.is_ascii_uppercase())
            && self.code.starts_with(selector)
        {
            2
        } else if Category::parse(selector) == Some(self.category) || selector == "ALL" {
            1
        } else {
            0
        }
    }
}

/// The regex source for a rule pattern: case-insensitive; a straight apostrophe
/// also matches the typographic one transcription tools write; word boundaries
/// are ASCII so the lazy DFA handles them (Unicode `\b` falls back to slower
/// engines on any non-ASCII text). An escaped backslash stays escaped.
pub fn pattern(p: &str) -> String {
    // `\w`, `\s` and `\d` are ASCII too: the rules are English phrases, and
    // Unicode classes make the automata (and the start-up) several times larger.
    // Their negations are every character but those ASCII ones (a byte-level
    // `(?-u:\W)` could match half a character): Unicode `\W` split the bytes
    // into 180 classes, doubling every lazy-DFA state to 1 KB.
    let mut out = String::with_capacity(p.len() + 16);
    out.push_str("(?i)");
    // Depth of `[...]` classes, where a class escape is spelled out instead.
    let mut depth = 0usize;
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => out.push_str("['’]"),
            '\\' => match chars.next() {
                Some(k @ ('w' | 's' | 'd')) if depth > 0 => out.push_str(ascii_class(k)),
                Some(k @ ('W' | 'S' | 'D')) => {
                    out.push_str("[^");
                    out.push_str(ascii_class(k.to_ascii_lowercase()));
                    out.push(']');
                }
                Some(k @ ('b' | 'w' | 's' | 'd')) => {
                    out.push_str("(?-u:\\");
                    out.push(k);
                    out.push(')');
                }
                Some(k) => {
                    out.push('\\');
                    out.push(k);
                }
                None => out.push('\\'),
            },
            '[' => {
                depth += 1;
                out.push('[');
                // A `]` (or `^]`) straight after the opening is a literal.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap());
                }
                if chars.peek() == Some(&']') {
                    out.push(chars.next().unwrap());
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

/// The members of ASCII `\w`, `\s` or `\d`, as written inside brackets.
fn ascii_class(k: char) -> &'static str {
    match k {
        'w' => "0-9A-Za-z_",
        's' => " \\t\\n\\r\\x0B\\x0C",
        _ => "0-9",
    }
}

/// How every rule pattern is compiled: what `regex::Regex::new` configures,
/// without the literal prefilter. A rule regex runs on one sentence or turn at
/// a time, where a prefilter saves little (and restarts the search at every
/// common leading word), while extracting the literals of hundreds of
/// case-insensitive alternatives was a third of every process's start-up.
fn builder(kind: MatchKind) -> meta::Builder {
    let mut b = meta::Builder::new();
    b.configure(
        meta::Config::new()
            .match_kind(kind)
            .utf8_empty(true)
            .auto_prefilter(false)
            .nfa_size_limit(Some(64 << 20)),
    )
    .syntax(syntax::Config::new().utf8(true));
    b
}

/// Why a pattern does not compile: the syntax error with its caret, or the
/// size limit, as `regex` words them.
#[derive(Debug)]
pub struct PatternError(Box<BuildError>);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.0.syntax_error(), self.0.size_limit()) {
            (Some(e), _) => write!(f, "{e}"),
            (None, Some(n)) => write!(
                f,
                "the compiled pattern exceeds the size limit of {n} bytes"
            ),
            _ => write!(f, "{}", self.0),
        }
    }
}

impl std::error::Error for PatternError {}

impl PatternError {
    fn new(e: BuildError) -> PatternError {
        PatternError(Box::new(e))
    }
}

/// One compiled pattern (often several alternatives of a rule joined),
/// searched leftmost-first like a `regex::Regex`.
#[derive(Clone, Debug)]
pub struct Pattern(meta::Regex);

/// Where a [`Pattern`] matched.
#[derive(Clone, Copy, Debug)]
pub struct Found<'h> {
    text: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Found<'h> {
    pub fn start(&self) -> usize {
        self.start
    }
    pub fn end(&self) -> usize {
        self.end
    }
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
    pub fn as_str(&self) -> &'h str {
        &self.text[self.start..self.end]
    }
}

impl Pattern {
    /// `src` is a regex source (already through [`pattern`]).
    pub fn new(src: &str) -> Result<Pattern, PatternError> {
        builder(MatchKind::LeftmostFirst)
            .build(src)
            .map(Pattern)
            .map_err(PatternError::new)
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }

    pub fn find<'h>(&self, text: &'h str) -> Option<Found<'h>> {
        self.find_at(text, 0)
    }

    /// The leftmost match starting at or after `at`, with the text before
    /// `at` still seen by look-behind (`\b`), as `regex::Regex::find_at`.
    pub fn find_at<'h>(&self, text: &'h str, at: usize) -> Option<Found<'h>> {
        self.search(text, regex_automata::Input::new(text).range(at..))
    }

    /// Where the match [`Self::find_at`] finds ends, without the backward
    /// search that finds where it starts.
    pub fn find_end_at(&self, text: &str, at: usize) -> Option<usize> {
        self.0
            .search_half(&Input::new(text).range(at..))
            .map(|m| m.offset())
    }

    /// The match starting exactly at `at` (look-behind as in [`Self::find_at`]):
    /// where a [`PatternSet`] says the leftmost match starts, the same match
    /// as [`Self::find`] without reading the text before it or backwards.
    pub fn find_from<'h>(&self, text: &'h str, at: usize) -> Option<Found<'h>> {
        let input = regex_automata::Input::new(text)
            .range(at..)
            .anchored(regex_automata::Anchored::Yes);
        self.search(text, input)
    }

    fn search<'h>(&self, text: &'h str, input: Input<'_>) -> Option<Found<'h>> {
        self.0.find(input).map(|m| Found {
            text,
            start: m.start(),
            end: m.end(),
        })
    }
}

/// A [`Pattern`] compiled when first searched. The set's walk says where
/// most rules match and whether their exemptions apply, so most of a rule
/// set's own regexes are never searched: compiled at load, they were a
/// third of start-up.
#[derive(Clone, Debug)]
pub struct LazyPattern {
    source: String,
    compiled: OnceLock<Pattern>,
}

impl LazyPattern {
    /// Compiled now, so that a bad pattern is an error when its pack loads.
    pub fn checked(source: String) -> Result<LazyPattern, PatternError> {
        let compiled = OnceLock::from(Pattern::new(&source)?);
        Ok(LazyPattern { source, compiled })
    }

    /// Compiled when first searched: only for patterns known to compile
    /// (the built-in packs', every one compiled by a test).
    pub(crate) fn unchecked(source: String) -> LazyPattern {
        LazyPattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    pub fn get(&self) -> &Pattern {
        self.compiled.get_or_init(|| {
            Pattern::new(&self.source)
                .expect("an unchecked pattern is a built-in one, which compiles")
        })
    }
}

/// A pattern of a [`PatternSet`] that matches, and where its leftmost match
/// starts when the lazy DFA's walks found it (the PikeVM does not say).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SetMatch {
    pub pattern: usize,
    pub start: Option<usize>,
    /// Where the match from `start` ends, when every match of the pattern
    /// from there ends in one place: then it is the leftmost-first match.
    pub end: Option<usize>,
}

/// The [`SetMatch`]es of a sentence: few, kept on the stack.
pub type SetMatches = smallvec::SmallVec<[SetMatch; 16]>;

/// Many patterns searched at once: which of them match a text.
///
/// Searched by anchored walks of the lazy DFA of all patterns, one from each
/// position where some pattern can start, noting every match state passed
/// (see `Anchored` for why not one unanchored walk). The PikeVM answers when
/// the lazy DFA quits (a Unicode word boundary on non-ASCII text) or cannot be
/// built, and for patterns that can match empty, where an overlapping search
/// skips empty matches inside a character.
pub struct PatternSet {
    dfa: Option<Anchored>,
    caches: CachePool,
    pikevm: PikeVM,
}

type CachePool = Pool<Walker, Box<dyn Fn() -> Walker + Send + Sync>>;

impl std::fmt::Debug for PatternSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatternSet")
            .field("patterns", &self.pikevm.pattern_len())
            .finish()
    }
}

impl Clone for PatternSet {
    fn clone(&self) -> PatternSet {
        PatternSet::from_parts(self.dfa.clone(), self.pikevm.clone())
    }
}

/// The lazy DFA, searched anchored at each position where some pattern can
/// start. An unanchored search's states are sets of partial matches begun at
/// different places, so on varied text nearly every sentence builds new ones
/// (the phrase set's 2 MB cache filled and was cleared every 20 KB of Reddit
/// replies, at thousands of instructions a byte); anchored states are
/// positions within the patterns, few enough to stay built.
#[derive(Clone)]
struct Anchored {
    dfa: hybrid::dfa::DFA,
    /// Look-behinds that give the same start state are one kind:
    /// `kind_bit[byte]` is `1 << kind` of a position after `byte`,
    /// `text_start_bit` of the first position ...
    kind_bit: [u64; 256],
    text_start_bit: u64,
    /// ... one look-behind of each kind, to ask the DFA with ...
    kinds: Vec<Option<u8>>,
    /// ... and `can_start[byte]` has the bit of every kind after which
    /// `byte` does not lead to a dead state: most positions (inside words,
    /// after most letters) are rejected with one lookup.
    can_start: [u64; 256],
    /// The column of each byte in a [`Walker`]'s table of transitions
    /// (bytes of one DFA class share one), or [`SLOW`].
    column: [u8; 256],
    /// The cache that found `can_start`: it holds the start states and every
    /// step from them, the costliest states (each holds every pattern's
    /// first state), which each thread's walker would otherwise build again.
    seed: hybrid::dfa::Cache,
}

/// Bytes a walk reads before it counts as long ...
const STRETCH: usize = 64;
/// ... and the bytes long walks may read per byte of text before the PikeVM
/// answers instead.
const LONG_WALKS: usize = 8;

/// A thread's lazy-DFA cache, and a compact copy of the part of it the walks
/// use. Each step of a walk is one load from the transition table, which the
/// lazy DFA lays out a row of 128 classes (512 bytes) per state: the steps a
/// session takes touch a new cache line nearly every time, and waited on
/// memory for a fifth of the analysis. The copy numbers states in order of
/// first use and keeps [`COLUMNS`] columns each, the lower-case letters and
/// the space first: the row of a state's common steps is one cache line, and
/// the rows the walks use sit together.
struct Walker {
    cache: hybrid::dfa::Cache,
    /// The cache's clear count the copy was made under: a clear renumbers
    /// the lazy DFA's states, and the copy starts again.
    clears: usize,
    /// How many times the copy started again.
    generation: u32,
    /// [`COLUMNS`] next states per state; [`UNKNOWN`] until first taken.
    next: Vec<u16>,
    /// Per state: its lazy-DFA state, the patterns it matches (a range of
    /// `patterns`), and those matching at the end of the text ([`UNKNOWN_EOI`]
    /// until asked).
    lazy: Vec<hybrid::LazyStateID>,
    matches: Vec<(u32, u32)>,
    at_end: Vec<(u32, u32)>,
    patterns: Vec<u32>,
    /// The state of each lazy-DFA state copied.
    ids: rustc_hash::FxHashMap<hybrid::LazyStateID, u16>,
    /// The start state after each look-behind kind, [`UNKNOWN`] until asked.
    starts: Vec<u16>,
    /// States copied before the copy starts again ([`MAX_STATES`]).
    max_states: usize,
    /// The state after the letters a walk starts with, by look-behind kind
    /// and letters ([`MEMO_SLOTS`] slots, one entry each): most walks start
    /// at a common word, and the steps through it wait on a load each.
    memo: Vec<Memo>,
}

/// A [`Walker::memo`] entry: the first letters of a walk (up to eight, as
/// bytes), their count and the kind (`tag`, 0 for an empty slot), and the
/// state after them, reached without passing a match.
#[derive(Clone, Copy, Default)]
struct Memo {
    letters: u64,
    tag: u32,
    state: u16,
    /// The state after a space from `state` ([`UNKNOWN`] until walked): a
    /// word is most often followed by one, and the step waits on a row of
    /// the table that a rare word's walk finds cold.
    space: u16,
}

const MEMO_SLOTS: usize = 2048;

/// The ASCII letters `hay` has at `at`, when eight bytes are there: the
/// bytes (the others zeroed) and how many (0 to 8).
#[inline(always)]
fn letters_at(hay: &[u8], at: usize) -> Option<(u64, usize)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = u64::from_le_bytes(hay.get(at..at + 8)?.try_into().ok()?);
    // Lower-cased, each byte below 0x80 so the sums carry into no other byte.
    let y = (x | (ONES * 0x20)) & !HIGH;
    let letter =
        (y + ONES * (0x80 - b'a' as u64)) & !(y + ONES * (0x80 - b'z' as u64 - 1)) & !x & HIGH;
    let n = ((!letter & HIGH).trailing_zeros() / 8) as usize;
    let kept = if n == 8 {
        x
    } else {
        x & ((1u64 << (8 * n)) - 1)
    };
    Some((kept, n))
}

fn memo_slot(letters: u64, tag: u32) -> usize {
    let h = (letters ^ (u64::from(tag) << 56)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - MEMO_SLOTS.trailing_zeros())) as usize
}

/// A [`Walker`]'s states: not yet known, dead, quit (the lazy DFA gave up),
/// then the states copied; a match state's number carries [`MATCH`].
const UNKNOWN: u16 = 0;
const DEAD: u16 = 1;
const QUIT: u16 = 2;
const FIRST_STATE: u16 = 3;
const MATCH: u16 = 0x8000;
/// Sets of at least this many patterns are parsed on two threads (the
/// built-in set has hundreds; a thread for a few is no saving).
const PARSED_APART: usize = 64;

/// Anchored states grow slowly with new text: the built-in phrase set held
/// 3.8 MB of them after 1.4 MB of varied Reddit replies, the marker set
/// 0.5 MB. The cache takes memory only as states are built.
pub(crate) const CACHE_CAPACITY: usize = 8 << 20;
/// States copied before the copy starts again (at most `MATCH - 1`): about
/// three times what a day of varied sessions reaches, 2 MB of table.
const MAX_STATES: usize = 16 << 10;
/// Transitions kept per state; bytes of other classes take the lazy DFA ...
const COLUMNS: usize = 64;
/// ... through the last column, never filled.
const SLOW: u8 = COLUMNS as u8 - 1;
const UNKNOWN_EOI: (u32, u32) = (u32::MAX, 0);

impl Walker {
    fn new(dfa: &Anchored) -> Walker {
        Walker::with_cache(dfa.seed.clone(), dfa.kinds.len())
    }

    /// A walker of the lazy DFA `cache` is a cache of, with `kinds` look-behind kinds.
    fn with_cache(cache: hybrid::dfa::Cache, kinds: usize) -> Walker {
        let mut w = Walker {
            cache,
            clears: 0,
            generation: 0,
            next: Vec::new(),
            lazy: Vec::new(),
            matches: Vec::new(),
            at_end: Vec::new(),
            patterns: Vec::new(),
            ids: Default::default(),
            starts: vec![UNKNOWN; kinds],
            max_states: MAX_STATES,
            memo: vec![Memo::default(); MEMO_SLOTS],
        };
        w.reset();
        w
    }

    /// Forgets every state copied.
    fn reset(&mut self) {
        self.clears = self.cache.clear_count();
        self.generation = self.generation.wrapping_add(1);
        self.next.clear();
        self.lazy.clear();
        self.matches.clear();
        self.at_end.clear();
        self.patterns.clear();
        self.ids.clear();
        self.starts.fill(UNKNOWN);
        self.memo.fill(Memo::default());
        // Rows for the numbers that are not states, never read.
        for _ in 0..FIRST_STATE {
            self.push_row(hybrid::LazyStateID::default(), (0, 0));
        }
    }

    fn push_row(&mut self, sid: hybrid::LazyStateID, matches: (u32, u32)) {
        self.next.resize(self.next.len() + COLUMNS, UNKNOWN);
        self.lazy.push(sid);
        self.matches.push(matches);
        self.at_end.push(UNKNOWN_EOI);
    }

    /// The copy's number for `sid`, a state of the cache as it is now.
    fn intern(&mut self, dfa: &hybrid::dfa::DFA, sid: hybrid::LazyStateID) -> u16 {
        if sid.is_dead() {
            return DEAD;
        }
        if sid.is_quit() {
            return QUIT;
        }
        if let Some(&c) = self.ids.get(&sid) {
            return c;
        }
        if self.lazy.len() >= self.max_states {
            self.reset();
        }
        let matches = self.match_range(dfa, sid);
        let c = self.lazy.len() as u16 | if sid.is_match() { MATCH } else { 0 };
        self.push_row(sid, matches);
        self.ids.insert(sid, c);
        c
    }

    /// Notes the patterns `sid` matches; their range of `patterns`.
    fn match_range(&mut self, dfa: &hybrid::dfa::DFA, sid: hybrid::LazyStateID) -> (u32, u32) {
        let start = self.patterns.len() as u32;
        if sid.is_match() {
            for i in 0..dfa.match_len(&self.cache, sid) {
                let p = dfa.match_pattern(&self.cache, sid, i).as_u32();
                self.patterns.push(p);
            }
        }
        (start, self.patterns.len() as u32)
    }

    /// Whether the last call to the lazy DFA cleared its cache (then the copy
    /// starts again: every number it gave is gone).
    fn cleared(&mut self) -> bool {
        let cleared = self.cache.clear_count() != self.clears;
        if cleared {
            self.reset();
        }
        cleared
    }

    /// The start state after a look-behind of `kind`.
    fn start(&mut self, a: &Anchored, kind: usize) -> Option<u16> {
        if self.starts[kind] != UNKNOWN {
            return Some(self.starts[kind]);
        }
        let sid = a
            .dfa
            .start_state(&mut self.cache, &start_config(a.kinds[kind]))
            .ok()?;
        self.cleared();
        let c = self.intern(&a.dfa, sid);
        self.starts[kind] = c;
        Some(c)
    }

    /// The state after `b` from state `c`, from the lazy DFA, noted in the
    /// table under `column` unless that is [`SLOW`].
    #[cold]
    #[inline(never)]
    fn step(&mut self, a: &Anchored, c: u16, b: u8, column: u8) -> Option<u16> {
        let row = usize::from(c & !MATCH);
        let generation = self.generation;
        let sid = a.dfa.next_state(&mut self.cache, self.lazy[row], b).ok()?;
        // After a clear only `sid` is a state of the cache, and the copy
        // starts again (also when full): `c` is gone.
        self.cleared();
        let next = self.intern(&a.dfa, sid);
        if self.generation == generation && column != SLOW {
            self.next[row * COLUMNS + usize::from(column)] = next;
        }
        Some(next)
    }

    /// The patterns that match where the text ends after state `c`.
    fn at_end(&mut self, a: &Anchored, c: u16) -> Option<(u32, u32)> {
        let row = usize::from(c & !MATCH);
        if self.at_end[row] != UNKNOWN_EOI {
            return Some(self.at_end[row]);
        }
        let sid = a.dfa.next_eoi_state(&mut self.cache, self.lazy[row]).ok()?;
        let fresh = !self.cleared();
        let range = self.match_range(&a.dfa, sid);
        if fresh {
            self.at_end[row] = range;
        }
        Some(range)
    }
}

impl Anchored {
    /// `None` when the cache cannot hold the start states (they are compared
    /// by ID, which a clear invalidates), or there are more than 64 kinds.
    fn new(dfa: hybrid::dfa::DFA) -> Option<Anchored> {
        let mut cache = dfa.create_cache();
        let start = |cache: &mut hybrid::dfa::Cache, b: Option<u8>| {
            dfa.start_state(cache, &start_config(b)).ok()
        };
        let mut kinds: Vec<(hybrid::LazyStateID, Option<u8>)> = Vec::new();
        let mut kind_of = |cache: &mut hybrid::dfa::Cache, b: Option<u8>| {
            let sid = start(cache, b)?;
            Some(match kinds.iter().position(|(s, _)| *s == sid) {
                Some(k) => k,
                None => {
                    kinds.push((sid, b));
                    kinds.len() - 1
                }
            })
        };
        let text_start_bit = 1u64 << kind_of(&mut cache, None)?;
        let mut kind_bit = [0u64; 256];
        for (b, bit) in kind_bit.iter_mut().enumerate() {
            *bit = 1u64.checked_shl(kind_of(&mut cache, Some(b as u8))? as u32)?;
        }
        if cache.clear_count() > 0 {
            return None;
        }
        let mut can_start = [0u64; 256];
        for (k, &(_, behind)) in kinds.iter().enumerate() {
            for (byte, mask) in can_start.iter_mut().enumerate() {
                // Fetched anew each time: a new state may clear the cache.
                let live = match start(&mut cache, behind)
                    .and_then(|sid| dfa.next_state(&mut cache, sid, byte as u8).ok())
                {
                    Some(next) => !next.is_dead(),
                    // Gave up or failed: let the walk find out.
                    None => true,
                };
                if live {
                    *mask |= 1 << k;
                }
            }
        }
        // Columns for the classes of the bytes walks read most, in that
        // order: the letters and the space fill the first cache line of a row.
        let classes = *dfa.get_nfa().byte_classes();
        let mut column = [SLOW; 256];
        let mut of_class = [SLOW; 256];
        let mut used = 0;
        let filled = usize::from(SLOW);
        let common = (b'a'..=b'z')
            .chain(*b" ',.?!-")
            .chain(b'A'..=b'Z')
            .chain(b'0'..=b'9')
            .chain(0..=127);
        for b in common {
            let class = usize::from(classes.get(b));
            if of_class[class] == SLOW && used < filled {
                of_class[class] = used as u8;
                used += 1;
            }
            column[usize::from(b)] = of_class[class];
        }
        Some(Anchored {
            dfa,
            kind_bit,
            text_start_bit,
            kinds: kinds.into_iter().map(|(_, b)| b).collect(),
            can_start,
            column,
            seed: cache,
        })
    }

    fn walker(&self) -> Walker {
        Walker::new(self)
    }

    /// The state after `letters` from `c` by the transitions already in the
    /// table ([`DEAD`] if the walk ends in them, `Some(None)` if it passes a
    /// match), or `None` where one is not there yet: what [`Walker::memo`]
    /// may hold for them, checked in debug builds without changing the walker.
    #[cfg(debug_assertions)]
    fn walk_letters(&self, w: &Walker, mut c: u16, letters: &[u8]) -> Option<Option<u16>> {
        for &b in letters {
            let column = self.column[usize::from(b)];
            if column == SLOW {
                return None;
            }
            c = match w.next[usize::from(c & !MATCH) * COLUMNS + usize::from(column)] {
                UNKNOWN => return None,
                DEAD => return Some(Some(DEAD)),
                QUIT => return Some(None),
                next if next & MATCH != 0 => return Some(None),
                next => next,
            };
        }
        Some(Some(c))
    }

    /// Every pattern that matches somewhere in `hay`, pushed onto `out`
    /// (`first_only`: stops at the first match). `None` when the lazy DFA
    /// quits, or when walks longer than [`STRETCH`] have taken more than
    /// [`LONG_WALKS`] bytes a byte: a pattern with an unbounded gap
    /// (`\bif\b.*\bthen`) walks from each start to the end of the text,
    /// quadratic in a long unpunctuated sentence, where the PikeVM is linear.
    fn walk(
        &self,
        w: &mut Walker,
        hay: &[u8],
        out: &mut SetMatches,
        first_only: bool,
    ) -> Option<()> {
        // No pattern matches empty (those sets go to the PikeVM), so none
        // starts at the end.
        let mut budget = hay.len().saturating_mul(LONG_WALKS).saturating_add(4096);
        // Where walks start (and after which look-behind), found a block at
        // a time without a branch a byte: whether one starts is a coin toss
        // at the first letter of every word.
        const BLOCK: usize = 256;
        // A block's offsets: a byte each, on the stack.
        let mut starts = [0u8; BLOCK];
        let mut behind = self.text_start_bit;
        let mut walked = Some(());
        'blocks: for (i, block) in hay.chunks(BLOCK).enumerate() {
            let mut n = 0;
            for (k, &b) in block.iter().enumerate() {
                let here = behind;
                behind = self.kind_bit[usize::from(b)];
                // Only the offset in the block: the kind is worked out again
                // for the few candidates. `n` is at most `k`: the mask only
                // spares a bounds check.
                starts[n & (BLOCK - 1)] = k as u8;
                n += usize::from(self.can_start[usize::from(b)] & here != 0);
            }
            for &start in &starts[..n] {
                let at = i * BLOCK + usize::from(start);
                let kind = match at.checked_sub(1) {
                    Some(before) => self.kind_bit[usize::from(hay[before])],
                    None => self.text_start_bit,
                }
                .trailing_zeros() as usize;
                walked = self.walk_from(w, kind, hay, at, out, &mut budget);
                if walked.is_none() || first_only && !out.is_empty() {
                    break 'blocks;
                }
            }
        }
        walked
    }

    /// The state after `b` from state `c` ([`DEAD`] when no pattern goes on),
    /// or `None` when the lazy DFA gives up.
    #[inline(always)]
    fn next_state(&self, w: &mut Walker, c: u16, b: u8) -> Option<u16> {
        let column = self.column[usize::from(b)];
        let next = w.next[usize::from(c & !MATCH) * COLUMNS + usize::from(column)];
        if next >= FIRST_STATE {
            return Some(next);
        }
        match if next == UNKNOWN {
            w.step(self, c, b, column)?
        } else {
            next
        } {
            QUIT => None,
            next => Some(next),
        }
    }

    /// The anchored walk from `start` (after a look-behind of `kind`),
    /// pushing the patterns of every match state passed (matches are seen one
    /// byte late, and at the end through the end-of-input transition).
    // Inlined: a call per candidate start was a twentieth of the walk.
    #[inline(always)]
    fn walk_from(
        &self,
        w: &mut Walker,
        kind: usize,
        hay: &[u8],
        start: usize,
        out: &mut SetMatches,
        budget: &mut usize,
    ) -> Option<()> {
        let push = |w: &Walker, (from, to): (u32, u32), end: usize, out: &mut SetMatches| {
            for &p in &w.patterns[from as usize..to as usize] {
                out.push(SetMatch {
                    pattern: p as usize,
                    start: Some(start),
                    end: Some(end),
                });
            }
        };
        let mut c = w.start(self, kind)?;
        let mut at = start;
        // The memo slot that holds the state `c` is after the walk's first letters.
        let mut memo = None;
        // The walk's first letters, from the memo or walked and noted there.
        if let Some((letters, n)) = letters_at(hay, start)
            && n >= 2
        {
            let tag = n as u32 | (kind as u32) << 4;
            let slot = memo_slot(letters, tag);
            let m = w.memo[slot];
            if m.tag == tag && m.letters == letters {
                #[cfg(debug_assertions)]
                if let Some(walked) = self.walk_letters(w, c, &hay[start..start + n]) {
                    assert_eq!(walked, Some(m.state), "{:?}", &hay[start..start + n]);
                }
                if m.state == DEAD {
                    return Some(());
                }
                c = m.state;
                at += n;
                memo = Some(slot);
            } else {
                let generation = w.generation;
                let mut passed_match = false;
                for &b in &hay[start..start + n] {
                    c = self.next_state(w, c, b)?;
                    if c == DEAD {
                        if w.generation == generation && !passed_match {
                            w.memo[slot] = Memo {
                                letters,
                                tag,
                                state: DEAD,
                                space: UNKNOWN,
                            };
                        }
                        return Some(());
                    }
                    at += 1;
                    if c & MATCH != 0 {
                        passed_match = true;
                        push(w, w.matches[usize::from(c & !MATCH)], at - 1, out);
                    }
                }
                if w.generation == generation && !passed_match {
                    w.memo[slot] = Memo {
                        letters,
                        tag,
                        state: c,
                        space: UNKNOWN,
                    };
                    memo = Some(slot);
                }
            }
        }
        if let Some(slot) = memo
            && hay.get(at) == Some(&b' ')
        {
            let space = w.memo[slot].space;
            c = if space == UNKNOWN {
                let generation = w.generation;
                let next = self.next_state(w, c, b' ')?;
                if w.generation == generation {
                    w.memo[slot].space = next;
                }
                next
            } else {
                #[cfg(debug_assertions)]
                if let Some(walked) = self.walk_letters(w, c, b" ") {
                    assert!(walked.is_none_or(|s| s == space));
                }
                space
            };
            if c == DEAD {
                return Some(());
            }
            at += 1;
            if c & MATCH != 0 {
                push(w, w.matches[usize::from(c & !MATCH)], at - 1, out);
            }
        }
        // Walks are short: the bound of the text read is checked every step
        // anyway, so a long walk is noticed for free where it passes `limit`.
        let mut limit = hay.len().min(start + STRETCH);
        // The start state matches nothing: no pattern matches empty.
        loop {
            let Some(&b) = hay[..limit].get(at) else {
                if limit == hay.len() {
                    break;
                }
                *budget = budget.checked_sub(STRETCH)?;
                limit = hay.len().min(limit + STRETCH);
                continue;
            };
            c = self.next_state(w, c, b)?;
            if c == DEAD {
                return Some(());
            }
            at += 1;
            if c & MATCH != 0 {
                // Entered on the byte after the match.
                push(w, w.matches[usize::from(c & !MATCH)], at - 1, out);
            }
        }
        let range = w.at_end(self, c)?;
        push(w, range, hay.len(), out);
        Some(())
    }
}

fn start_config(behind: Option<u8>) -> start::Config {
    start::Config::new()
        .anchored(regex_automata::Anchored::Yes)
        .look_behind(behind)
}

impl PatternSet {
    /// `patterns` are regex sources (already through [`pattern`]).
    pub fn new(patterns: &[String]) -> Result<PatternSet, PatternError> {
        PatternSet::with_cache_capacity(patterns, CACHE_CAPACITY)
    }

    /// A set whose lazy DFA keeps at most about `capacity` bytes of states
    /// per thread (then clears them and goes on).
    fn with_cache_capacity(
        patterns: &[String],
        capacity: usize,
    ) -> Result<PatternSet, PatternError> {
        // Parsing is most of compiling a large set: half the patterns of one
        // are parsed on a second core (start-up waits for the set).
        let hirs = if patterns.len() < PARSED_APART {
            PatternSet::parse(patterns)
        } else {
            let (first, second) = patterns.split_at(patterns.len() / 2);
            std::thread::scope(|scope| {
                let second = scope.spawn(|| PatternSet::parse(second));
                let mut hirs = PatternSet::parse(first)?;
                hirs.extend(second.join().ok()??);
                Some(hirs)
            })
        };
        PatternSet::from_parsed(patterns, hirs, capacity)
    }

    /// The first step of [`PatternSet::new`], for a caller that parses parts
    /// of a set on threads of its own: `None` if some pattern is invalid.
    pub(crate) fn parse(patterns: &[String]) -> Option<Vec<Hir>> {
        let config = syntax::Config::new().utf8(true);
        patterns
            .iter()
            .map(|p| syntax::parse_with(p, &config).ok())
            .collect()
    }

    /// The set of `patterns`, whose [`PatternSet::parse`] is `hirs`.
    pub(crate) fn from_parsed(
        patterns: &[String],
        hirs: Option<Vec<Hir>>,
        capacity: usize,
    ) -> Result<PatternSet, PatternError> {
        // A set only tells which patterns match, never where: without capture
        // states every lazy-DFA state has fewer NFA states to follow, and the
        // warm-up, a new state per new context, costs a sixth less. The NFA
        // is the one `builder` configures.
        let nfa = hirs.and_then(|hirs| {
            thompson::Compiler::new()
                .configure(
                    thompson::Config::new()
                        .utf8(true)
                        .nfa_size_limit(Some(64 << 20))
                        .shrink(false)
                        .which_captures(WhichCaptures::None),
                )
                .build_many_from_hir(&hirs)
                .ok()
        });
        let Some(nfa) = nfa else {
            // The error as the meta builder words it.
            let mut b = builder(MatchKind::All);
            b.configure(meta::Config::new().which_captures(WhichCaptures::None));
            return Err(PatternError::new(
                b.build_many(patterns)
                    .expect_err("the meta builder fails where the NFA compiler does"),
            ));
        };
        // The lazy DFA cannot be built when the cache would not hold a few
        // states of a huge NFA: then the PikeVM answers.
        let dfa = (!nfa.has_empty())
            .then(|| {
                hybrid::dfa::Builder::new()
                    .configure(
                        hybrid::dfa::Config::new()
                            .match_kind(MatchKind::All)
                            .unicode_word_boundary(true)
                            .cache_capacity(capacity)
                            .skip_cache_capacity_check(false)
                            // Anchored states are few: a full cache is
                            // cleared and the walk goes on, never given up.
                            .minimum_cache_clear_count(None),
                    )
                    .build_from_nfa(nfa.clone())
                    .ok()
            })
            .flatten()
            .and_then(Anchored::new);
        let pikevm = PikeVM::builder()
            .configure(PikeVM::config().match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .map_err(|_| {
                // Only a Unicode word boundary without Unicode tables fails.
                let mut b = builder(MatchKind::All);
                b.configure(meta::Config::new().which_captures(WhichCaptures::None));
                PatternError::new(
                    b.build_many(patterns)
                        .expect_err("the meta builder fails where the PikeVM does"),
                )
            })?;
        Ok(PatternSet::from_parts(dfa, pikevm))
    }

    fn from_parts(dfa: Option<Anchored>, pikevm: PikeVM) -> PatternSet {
        let d = dfa.clone();
        let make: Box<dyn Fn() -> Walker + Send + Sync> = Box::new(move || match &d {
            Some(d) => d.walker(),
            // Never used: a cache of a DFA that never matches.
            None => Walker::with_cache(
                hybrid::dfa::DFA::never_match()
                    .expect("the empty DFA builds")
                    .create_cache(),
                0,
            ),
        });
        PatternSet {
            dfa,
            caches: Pool::new(make),
            pikevm,
        }
    }

    /// Whether some pattern can match empty text (then the PikeVM answers
    /// for the whole set).
    pub fn matches_empty(&self) -> bool {
        self.pikevm.get_nfa().has_empty()
    }

    pub fn pattern_len(&self) -> usize {
        self.pikevm.pattern_len()
    }

    /// Whether any pattern matches `text`: the walks stop at the first match.
    pub fn is_match(&self, text: &str) -> bool {
        if let Some(dfa) = &self.dfa {
            let mut cache = self.caches.get();
            let mut found = SetMatches::new();
            if dfa
                .walk(&mut cache, text.as_bytes(), &mut found, true)
                .is_some()
            {
                return !found.is_empty();
            }
        }
        let mut cache = self.pikevm.create_cache();
        self.pikevm.is_match(&mut cache, Input::new(text))
    }

    /// Pushes the patterns that match `text` onto `out`, in order of their
    /// index, each once.
    pub fn matches_into(&self, text: &str, out: &mut SetMatches) {
        let first = out.len();
        if let Some(dfa) = &self.dfa {
            let mut cache = self.caches.get();
            if dfa.walk(&mut cache, text.as_bytes(), out, false).is_some() {
                // Each pattern once, at its leftmost start, with its end if
                // the matches from there have one.
                out[first..].sort_unstable();
                let mut kept = first;
                for i in first..out.len() {
                    let m = out[i];
                    if kept > first && out[kept - 1].pattern == m.pattern {
                        let last = &mut out[kept - 1];
                        if last.start == m.start && last.end != m.end {
                            last.end = None;
                        }
                    } else {
                        out[kept] = m;
                        kept += 1;
                    }
                }
                out.truncate(kept);
                return;
            }
            out.truncate(first);
        }
        let mut cache = self.pikevm.create_cache();
        let mut set = regex_automata::PatternSet::new(self.pikevm.pattern_len());
        self.pikevm
            .which_overlapping_matches(&mut cache, &Input::new(text), &mut set);
        out.extend(set.iter().map(|p| SetMatch {
            pattern: p.as_usize(),
            start: None,
            end: None,
        }));
    }

    /// The indexes of the patterns that match `text`, in order.
    pub fn matches(&self, text: &str) -> impl Iterator<Item = usize> {
        let mut out = SetMatches::new();
        self.matches_into(text, &mut out);
        out.into_iter().map(|m| m.pattern)
    }
}

/// The built-in packs, compiled once per process.
pub(crate) fn builtin() -> Arc<RuleSet> {
    static BUILTIN: OnceLock<Arc<RuleSet>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            Arc::new(
                RuleSet::from_sources(&pack::BUILTIN_PACKS).expect("built-in rule packs are valid"),
            )
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::{MatchKind, PatternSet, WhichCaptures, builder, meta, pattern};
    use std::sync::LazyLock;

    /// The patterns that match, as the meta regex's overlapping search says.
    fn reference(set: &meta::Regex, text: &str) -> Vec<usize> {
        let mut found = regex_automata::PatternSet::new(set.pattern_len());
        set.which_overlapping_matches(&regex_automata::Input::new(text), &mut found);
        found.iter().map(|p| p.as_usize()).collect()
    }

    fn both(patterns: &[String]) -> (PatternSet, meta::Regex) {
        let mut b = builder(MatchKind::All);
        b.configure(meta::Config::new().which_captures(WhichCaptures::None));
        (
            PatternSet::new(patterns).unwrap(),
            b.build_many(patterns).unwrap(),
        )
    }

    /// Every built-in phrase pattern.
    fn phrases() -> Vec<String> {
        super::builtin()
            .rules
            .iter()
            .filter_map(|r| match &r.kind {
                super::pack::RuleKind::Phrase(p) => Some(p.patterns.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// Each of [`phrases`] on its own, leftmost-first.
    static PHRASE_PATTERNS: LazyLock<Vec<super::Pattern>> = LazyLock::new(|| {
        phrases()
            .iter()
            .map(|p| super::Pattern::new(p).unwrap())
            .collect()
    });

    /// Every built-in phrase pattern, and user-like patterns: ones that
    /// match empty, a Unicode `\B` (the lazy DFA quits on non-ASCII text),
    /// anchors and classes.
    static SETS: LazyLock<Vec<(PatternSet, meta::Regex)>> = LazyLock::new(|| {
        let phrases = phrases();
        let user: Vec<String> = [
            r"\byou should\b",
            r"^so\b",
            r"\?$",
            r"x*",
            r"(?:)",
            r"\Bou",
            r"é\w",
            r"[A-Z]\w+ said",
        ]
        .iter()
        .map(|p| pattern(p))
        .collect();
        let mut without_empty = user.clone();
        without_empty.retain(|p| !p.ends_with("x*") && !p.ends_with("(?:)"));
        let mut sets = vec![both(&phrases), both(&user), both(&without_empty)];
        // A cache that holds only a few states: cleared again and again in
        // the middle of walks, the start states found anew each time.
        let nfa = regex_automata::nfa::thompson::NFA::new_many(&phrases).unwrap();
        let least = regex_automata::hybrid::dfa::Config::new()
            .get_minimum_cache_capacity(&nfa)
            .unwrap();
        let small = PatternSet::with_cache_capacity(&phrases, least + 4096).unwrap();
        assert!(
            small.dfa.is_some(),
            "the small cache still builds a lazy DFA"
        );
        sets.push((small, sets[0].1.clone()));
        sets
    });

    proptest::proptest! {
        #[test]
        fn a_walks_first_letters_are_the_ascii_letters_there(
            hay in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12),
            at in 0usize..12,
        ) {
            let want = hay.get(at..at + 8).map(|w| {
                let n = w.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                let mut kept = [0u8; 8];
                kept[..n].copy_from_slice(&w[..n]);
                (u64::from_le_bytes(kept), n)
            });
            proptest::prop_assert_eq!(super::letters_at(&hay, at), want);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        /// The walk over the lazy DFA finds what the overlapping search finds.
        #[test]
        fn set_matches_agree_with_the_overlapping_search(parts in proptest::collection::vec(
            proptest::sample::select(&[
                "you", "You", "should", "just", "need", "to", "try", "why", "did", "don't",
                "don’t", "I", "think", "what", "if", "would", "it", "help", "so", "said", "Bob",
                "é", "ou", "x", " ", " ", " ", ",", ".", "?", "!", "\"", "'", "-", "\n",
            ][..]),
            0..24,
        )) {
            let text: String = parts.concat();
            for (set, reference_set) in SETS.iter() {
                let got: Vec<usize> = set.matches(&text).collect();
                proptest::prop_assert_eq!(&got, &reference(reference_set, &text));
                proptest::prop_assert_eq!(set.is_match(&text), !got.is_empty());
            }
            // Where the walks say a pattern's leftmost match starts, its own
            // leftmost-first search starts.
            let (set, _) = &SETS[0];
            let mut found = super::SetMatches::new();
            set.matches_into(&text, &mut found);
            for m in found {
                let start = m.start.expect("the walks know where");
                let own = &PHRASE_PATTERNS[m.pattern];
                proptest::prop_assert_eq!(Some(start), own.find(&text).map(|f| f.start()));
                if let Some(end) = m.end {
                    proptest::prop_assert_eq!(Some(end), own.find(&text).map(|f| f.end()));
                }
                proptest::prop_assert_eq!(
                    own.find_from(&text, start).map(|f| f.range()),
                    own.find(&text).map(|f| f.range())
                );
            }
        }
    }

    #[test]
    fn a_small_cache_is_cleared_mid_walk_and_the_walk_still_agrees() {
        let (small, reference_set) = &SETS[3];
        let text = "If I were you, I would just tell him. You should really talk to your \
                    manager; why did you not ask? I think you need to stop, don't you? \
                    You always do that. When I was in your position I quit. So you feel \
                    you should go. Have you tried telling her? That's just an excuse.";
        for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let got: Vec<usize> = small.matches(&text[..end]).collect();
            assert_eq!(
                got,
                reference(reference_set, &text[..end]),
                "{:?}",
                &text[..end]
            );
        }
        assert!(small.caches.get().cache.clear_count() > 0);
    }

    #[test]
    fn a_full_copy_of_the_states_starts_again_mid_walk_and_the_walk_still_agrees() {
        let (set, reference_set) = &SETS[0];
        let dfa = set.dfa.as_ref().expect("a lazy DFA");
        let mut w = dfa.walker();
        // Room for a handful of states: the copy starts again within walks.
        w.max_states = usize::from(super::FIRST_STATE) + 5;
        let text = "If I were you, I would just tell him. You should really talk to your \
                    manager; why don’t you ask? I think you need to stop, don't you? \
                    You always do that. Have you tried telling her? That's just an excuse.";
        let mut restarts = 0;
        for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let generation = w.generation;
            let mut out = super::SetMatches::new();
            dfa.walk(&mut w, &text.as_bytes()[..end], &mut out, false)
                .expect("the walk ends");
            restarts += w.generation - generation;
            let mut got: Vec<usize> = out.iter().map(|m| m.pattern).collect();
            got.sort_unstable();
            got.dedup();
            assert_eq!(
                got,
                reference(reference_set, &text[..end]),
                "{:?}",
                &text[..end]
            );
        }
        assert!(restarts > 100, "the copy started again {restarts} times");
    }

    #[test]
    fn a_gap_pattern_on_a_long_sentence_leaves_the_walk_for_the_pikevm() {
        let (set, reference_set) = both(&[pattern(r"\bif\b.*\bthen\b"), pattern(r"\bnever\b")]);
        let dfa = set.dfa.as_ref().expect("a lazy DFA");
        let walks = |text: &str| {
            let mut out = super::SetMatches::new();
            dfa.walk(&mut dfa.walker(), text.as_bytes(), &mut out, false)
                .map(|()| out)
        };
        // Each "if" walks to the end: within budget on a short text, over it
        // on a long one.
        assert!(walks(&format!("{}then", "if ".repeat(20))).is_some());
        let long = format!("{}then never", "if ".repeat(5000));
        assert!(walks(&long).is_none(), "quadratic walks are cut short");
        let got: Vec<usize> = set.matches(&long).collect();
        assert_eq!(got, reference(&reference_set, &long));
        assert_eq!(got, [0, 1]);
    }

    #[test]
    fn patterns_become_ascii_classes_inside_and_outside_brackets() {
        assert_eq!(
            pattern(r"\byou'd\s+\w"),
            r"(?i)(?-u:\b)you['’]d(?-u:\s)+(?-u:\w)"
        );
        assert_eq!(pattern(r"[^,\s]+\\b"), r"(?i)[^, \t\n\r\x0B\x0C]+\\b");
        assert_eq!(pattern(r"[]a]\d"), r"(?i)[]a](?-u:\d)");
        assert_eq!(pattern(r"^\W*\S"), r"(?i)^[^0-9A-Za-z_]*[^ \t\n\r\x0B\x0C]");
        assert_eq!(pattern(r"[\D,]"), r"(?i)[[^0-9],]");
        for p in [
            r"\byou'd\s+\w",
            r"[^,\s]+",
            r"[]a]\d",
            r"[[a-z]\w]",
            r"[\W\S]\D",
        ] {
            regex::Regex::new(&pattern(p)).unwrap();
        }
        // The negations are ASCII too, and whole characters.
        let re = regex::Regex::new(&pattern(r"^\W+$")).unwrap();
        assert!(re.is_match("– é,") && !re.is_match("a,") && !re.is_match("_"));
    }
}
