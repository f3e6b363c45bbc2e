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
use regex_automata::util::{pool::Pool, syntax};
use regex_automata::{Input, MatchKind, hybrid};
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
    let mut out = String::with_capacity(p.len() + 16);
    out.push_str("(?i)");
    // Depth of `[...]` classes, where a class escape is spelled out instead.
    let mut depth = 0usize;
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => out.push_str("['’]"),
            '\\' => match chars.next() {
                Some(k @ ('w' | 's' | 'd')) if depth > 0 => out.push_str(match k {
                    'w' => "0-9A-Za-z_",
                    's' => " \\t\\n\\r\\x0B\\x0C",
                    _ => "0-9",
                }),
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
        let input = regex_automata::Input::new(text).range(at..);
        self.0.find(input).map(|m| Found {
            text,
            start: m.start(),
            end: m.end(),
        })
    }
}

/// Many patterns searched at once: which of them match a text.
///
/// Searched by walking the lazy DFA of all patterns over the text once and
/// noting every match state it passes, instead of a search that stops at the
/// first match and then an overlapping search that restarts at each match and
/// reports into a table as long as the patterns: most of the cost on
/// sentence-long texts was those restarts and tables. The PikeVM answers when
/// the lazy DFA gives up (its cache cleared too often) or quits (a Unicode
/// word boundary on non-ASCII text), and for patterns that can match empty,
/// where an overlapping search skips empty matches inside a character.
pub struct PatternSet {
    dfa: Option<hybrid::dfa::DFA>,
    caches: CachePool,
    pikevm: PikeVM,
}

type CachePool = Pool<hybrid::dfa::Cache, Box<dyn Fn() -> hybrid::dfa::Cache + Send + Sync>>;

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

impl PatternSet {
    /// `patterns` are regex sources (already through [`pattern`]).
    pub fn new(patterns: &[String]) -> Result<PatternSet, PatternError> {
        // A set only tells which patterns match, never where: without capture
        // states every lazy-DFA state has fewer NFA states to follow, and the
        // warm-up, a new state per new context, costs a sixth less. The NFA
        // is the one `builder` configures.
        let nfa = thompson::Compiler::new()
            .syntax(syntax::Config::new().utf8(true))
            .configure(
                thompson::Config::new()
                    .utf8(true)
                    .nfa_size_limit(Some(64 << 20))
                    .shrink(false)
                    .which_captures(WhichCaptures::None),
            )
            .build_many(patterns);
        let nfa = match nfa {
            Ok(nfa) => nfa,
            // The error as the meta builder words it.
            Err(_) => {
                let mut b = builder(MatchKind::All);
                b.configure(meta::Config::new().which_captures(WhichCaptures::None));
                return Err(PatternError::new(
                    b.build_many(patterns)
                        .expect_err("the meta builder fails where the NFA compiler does"),
                ));
            }
        };
        // What the meta regex configures for its lazy DFA; it cannot be
        // built when the cache would not hold a few states of a huge NFA.
        let dfa = (!nfa.has_empty())
            .then(|| {
                hybrid::dfa::Builder::new()
                    .configure(
                        hybrid::dfa::Config::new()
                            .match_kind(MatchKind::All)
                            .unicode_word_boundary(true)
                            .cache_capacity(2 << 20)
                            .skip_cache_capacity_check(false)
                            .minimum_cache_clear_count(Some(3))
                            .minimum_bytes_per_state(Some(10)),
                    )
                    .build_from_nfa(nfa.clone())
                    .ok()
            })
            .flatten();
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

    fn from_parts(dfa: Option<hybrid::dfa::DFA>, pikevm: PikeVM) -> PatternSet {
        let d = dfa.clone();
        let make: Box<dyn Fn() -> hybrid::dfa::Cache + Send + Sync> = Box::new(move || match &d {
            Some(d) => d.create_cache(),
            // Never used: a cache of a DFA that never matches.
            None => hybrid::dfa::DFA::never_match()
                .expect("the empty DFA builds")
                .create_cache(),
        });
        PatternSet {
            dfa,
            caches: Pool::new(make),
            pikevm,
        }
    }

    pub fn pattern_len(&self) -> usize {
        self.pikevm.pattern_len()
    }

    /// Whether any pattern matches `text`: a search that stops at the first
    /// match, cheaper than [`PatternSet::matches_into`] on text that rarely
    /// matches.
    pub fn is_match(&self, text: &str) -> bool {
        let input = Input::new(text).earliest(true);
        if let Some(dfa) = &self.dfa {
            let mut cache = self.caches.get();
            if let Ok(m) = dfa.try_search_fwd(&mut cache, &input) {
                return m.is_some();
            }
        }
        let mut cache = self.pikevm.create_cache();
        self.pikevm.is_match(&mut cache, input)
    }

    /// Pushes the indexes of the patterns that match `text` onto `out`, in
    /// order, each once.
    pub fn matches_into(&self, text: &str, out: &mut Vec<usize>) {
        let first = out.len();
        if let Some(dfa) = &self.dfa {
            let mut cache = self.caches.get();
            if walk(dfa, &mut cache, text.as_bytes(), out).is_some() {
                out[first..].sort_unstable();
                let mut kept = first;
                for i in first..out.len() {
                    if kept == first || out[kept - 1] != out[i] {
                        out[kept] = out[i];
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
        out.extend(set.iter().map(|p| p.as_usize()));
    }

    /// The indexes of the patterns that match `text`, in order.
    pub fn matches(&self, text: &str) -> impl Iterator<Item = usize> {
        let mut out = Vec::new();
        self.matches_into(text, &mut out);
        out.into_iter()
    }
}

/// Walks `dfa` over all of `hay` from an unanchored start, pushing the
/// patterns of every match state passed (matches are seen one byte late, and
/// at the end through the end-of-input transition). `None` when the lazy DFA
/// gives up or quits.
fn walk(
    dfa: &hybrid::dfa::DFA,
    cache: &mut hybrid::dfa::Cache,
    hay: &[u8],
    out: &mut Vec<usize>,
) -> Option<()> {
    let mut push = |cache: &hybrid::dfa::Cache, sid: hybrid::LazyStateID| {
        for i in 0..dfa.match_len(cache, sid) {
            out.push(dfa.match_pattern(cache, sid, i).as_usize());
        }
    };
    cache.search_start(0);
    let mut sid = dfa.start_state_forward(cache, &Input::new(hay)).ok()?;
    let mut at = 0;
    loop {
        // The common case: known transitions between untagged states.
        if !sid.is_tagged() {
            let c: &hybrid::dfa::Cache = cache;
            while let Some(&b) = hay.get(at) {
                let next = dfa.next_state_untagged(c, sid, b);
                if next.is_tagged() {
                    break;
                }
                sid = next;
                at += 1;
            }
        }
        let Some(&b) = hay.get(at) else { break };
        // For the cache's measure of bytes searched per state built.
        cache.search_update(at);
        sid = dfa.next_state(cache, sid, b).ok()?;
        if sid.is_match() {
            push(cache, sid);
        } else if sid.is_dead() {
            cache.search_finish(at);
            return Some(());
        } else if sid.is_quit() {
            return None;
        }
        at += 1;
    }
    cache.search_update(hay.len());
    let eoi = dfa.next_eoi_state(cache, sid).ok()?;
    if eoi.is_match() {
        push(cache, eoi);
    }
    cache.search_finish(hay.len());
    Some(())
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

    /// Every built-in phrase pattern, and user-like patterns: ones that
    /// match empty, a Unicode `\B` (the lazy DFA quits on non-ASCII text),
    /// anchors and classes.
    static SETS: LazyLock<Vec<(PatternSet, meta::Regex)>> = LazyLock::new(|| {
        let rules = super::builtin();
        let phrases: Vec<String> = rules
            .rules
            .iter()
            .filter_map(|r| match &r.kind {
                super::pack::RuleKind::Phrase(p) => Some(p.patterns.clone()),
                _ => None,
            })
            .flatten()
            .collect();
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
        vec![both(&phrases), both(&user), both(&without_empty)]
    });

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
        }
    }

    #[test]
    fn patterns_become_ascii_classes_inside_and_outside_brackets() {
        assert_eq!(
            pattern(r"\byou'd\s+\w"),
            r"(?i)(?-u:\b)you['’]d(?-u:\s)+(?-u:\w)"
        );
        assert_eq!(pattern(r"[^,\s]+\\b"), r"(?i)[^, \t\n\r\x0B\x0C]+\\b");
        assert_eq!(pattern(r"[]a]\d"), r"(?i)[]a](?-u:\d)");
        for p in [r"\byou'd\s+\w", r"[^,\s]+", r"[]a]\d", r"[[a-z]\w]"] {
            regex::Regex::new(&pattern(p)).unwrap();
        }
    }
}
