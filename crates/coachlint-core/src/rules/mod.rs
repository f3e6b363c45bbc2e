//! The rules: metadata for every rule lives in `rules/*.toml` (embedded at build
//! time, extendable by project packs). A rule is either a *phrase* rule, whose
//! patterns are in the pack, or a *check*, whose logic is Rust, registered in
//! [`checks::CHECKS`] under the name its pack entry gives.

pub mod checks;
pub mod pack;
pub mod phrase;

use crate::finding::{Category, Severity};
use regex_automata::MatchKind;
use regex_automata::meta::{self, BuildError};
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;
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
#[derive(Clone, Debug)]
pub struct PatternSet(meta::Regex);

impl PatternSet {
    /// `patterns` are regex sources (already through [`pattern`]).
    pub fn new(patterns: &[String]) -> Result<PatternSet, PatternError> {
        let mut b = builder(MatchKind::All);
        // A set only tells which patterns match, never where: without capture
        // states every lazy-DFA state has fewer NFA states to follow, and the
        // warm-up, a new state per new context, costs a sixth less.
        b.configure(meta::Config::new().which_captures(WhichCaptures::None));
        b.build_many(patterns)
            .map(PatternSet)
            .map_err(PatternError::new)
    }

    /// The indexes of the patterns that match `text`, in order. Most text
    /// matches none: a search that stops at the first match rules that out
    /// before the overlapping search that finds them all.
    pub fn matches(&self, text: &str) -> impl Iterator<Item = usize> {
        let found = self.0.is_match(text).then(|| {
            let mut set = regex_automata::PatternSet::new(self.0.pattern_len());
            self.0
                .which_overlapping_matches(&regex_automata::Input::new(text), &mut set);
            set
        });
        found.into_iter().flat_map(|set| {
            (0..set.capacity()).filter(move |&i| set.contains(regex_automata::PatternID::must(i)))
        })
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
    use super::pattern;

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
