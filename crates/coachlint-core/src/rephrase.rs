//! Open-question rephrasings built from the coach's own sentence: grammatical,
//! pronoun-correct, never inventing content. A generic question is offered only
//! when nothing built from the sentence fits.

use crate::Span;
use crate::rules::Pattern;
use regex::Regex;
use smallvec::SmallVec;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Up to three rephrasings, best first: the fixed questions borrowed, not
/// copied, and the list on the stack.
pub type Rephrasings = SmallVec<[Cow<'static, str>; 3]>;

#[cfg(test)]
mod reference;

/// Inserted before advice by the "ask permission first" fix.
pub const PERMISSION_QUESTION: &str = "Would it help if I shared an idea?";
/// What the fix inserts: the question and a space (tested equal).
pub(crate) const PERMISSION_INSERT: &str = "Would it help if I shared an idea? ";

/// How a rule's sentences are turned into questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RephraseStyle {
    None,
    /// "You should X" → "What would it take to X?"
    Modal,
    /// "If I were you I'd X" → "What would you like to do?"
    IfIWereYou,
    /// "My advice is to X", "I suggest X" → "What would it take to X?"
    Suggestion,
    /// "Book a meeting." → "What would it take to book a meeting?"
    Imperative,
    /// "Have you tried X?" → "What have you tried so far?"
    AdviceQuestion,
    /// "Why did you X?" → "What led you to X?"
    Why,
    /// "Don't you think X?" → "How do you see it?"
    Leading,
    /// Labels, absolutes, "just an excuse".
    Judgment,
    /// "Great, that's the right decision." → "What makes this the right decision for you?"
    Praise,
    /// "When I was in your position…" → "What's your own experience telling you?"
    Mentoring,
}

impl RephraseStyle {
    pub const NAMES: [&'static str; 11] = [
        "none",
        "modal",
        "if-i-were-you",
        "suggestion",
        "imperative",
        "advice-question",
        "why",
        "leading",
        "judgment",
        "praise",
        "mentoring",
    ];

    pub fn parse(s: &str) -> Option<RephraseStyle> {
        use RephraseStyle::*;
        Some(match s {
            "none" => None,
            "modal" => Modal,
            "if-i-were-you" => IfIWereYou,
            "suggestion" => Suggestion,
            "imperative" => Imperative,
            "advice-question" => AdviceQuestion,
            "why" => Why,
            "leading" => Leading,
            "judgment" => Judgment,
            "praise" => Praise,
            "mentoring" => Mentoring,
            _ => return Option::None,
        })
    }
}

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(&crate::rules::pattern(&$pat)).unwrap());
    };
}

macro_rules! tail {
    ($name:ident, $prefix:expr, $plus:expr) => {
        static $name: LazyLock<Tail> = LazyLock::new(|| Tail::new(&$prefix, $plus));
    };
}

const ADVERBS: &str = r"(?:(?:really|definitely|probably|just|absolutely|seriously|honestly|totally|maybe|perhaps|also|actually|first|simply|at least|always)\s+)*";

const NEG: &str = "shouldn't|should not|mustn't|must not|don't need to|don't have to|don't want to|better not|'d better not|had better not";
const MODALS: &str = "should|ought to|must|need to|have to|'ve got to|got to|gotta|had better|'d better|better|could|might want to|may want to|might try|want to";
// `\byou(?:'d| would)?\s+{ADVERBS}(?<neg>{NEG})?(?:{MODALS})?\s*{ADVERBS}(?<x>[^,;.!?]+)`.
tail!(
    MODAL,
    format!(r"\byou(?:'d| would)?\s+{ADVERBS}(?:{NEG})?(?:{MODALS})?\s*{ADVERBS}"),
    true
);
// Whether `neg` took part in MODAL's match, asked of the words before `x`:
// it did exactly when some parse of them has it. The adverbs before it cannot
// run into its words, so a parse with it comes first in backtracking order.
static MODAL_NEG: LazyLock<Pattern> = LazyLock::new(|| {
    let src = format!(r"^\byou(?:'d| would)?\s+{ADVERBS}(?:{NEG})(?:{MODALS})?\s*{ADVERBS}$");
    Pattern::new(&crate::rules::pattern(&src)).unwrap()
});
re!(
    IF_I_WERE_YOU,
    format!(
        r"\b(?:if i were you|if it were me|in your (?:shoes|position|place)|if i was you)\b,?\s*(?:i(?:'d| would)\s+{ADVERBS}(?<x>[^,;.!?]+))?"
    )
);
/// A pattern `P(?<x>[^,;.!?]+)` (or `*`), of which only the tail `x` is
/// wanted, found by a DFA search instead of a capture engine (a bounded
/// backtracker, several times the cost of the search on these alternations).
/// Exact: the backtracking order picks the first parse of `P` after which `x`
/// can match, and `x` can match after a parse exactly when one character of
/// the class follows it (`+`), or always (`*`). So the leftmost-first match of
/// `P[^,;.!?]` (`+`), or of `P` (`*`), ends `P` where the full pattern does,
/// and `x` runs greedily from there to the first of `,;.!?`.
struct Tail {
    head: Pattern,
    plus: bool,
}

impl Tail {
    /// `prefix` is `P`, before [`crate::rules::pattern`].
    fn new(prefix: &str, plus: bool) -> Tail {
        let src = if plus {
            format!("{prefix}[^,;.!?]")
        } else {
            prefix.to_owned()
        };
        Tail {
            head: Pattern::new(&crate::rules::pattern(&src)).unwrap(),
            plus,
        }
    }

    /// The tail `x` of the leftmost-first match in `hay` (found without the
    /// backward search for where the match starts).
    fn x<'h>(&self, hay: &'h str) -> Option<&'h str> {
        let end = match self.head.find_from(hay, 0) {
            Some(m) => m.end(),
            None => self.head.find_end_at(hay, 0)?,
        };
        let x = self.tail(hay, end)?;
        Some(&hay[x])
    }

    /// The words the leftmost-first match has before `x`, and `x`.
    fn find<'h>(&self, hay: &'h str) -> Option<(&'h str, &'h str)> {
        // Most texts are what the rule matched, from where it matched: a
        // match at the start is the leftmost one, found by one forward pass.
        let m = self
            .head
            .find_from(hay, 0)
            .or_else(|| self.head.find(hay))?;
        let x = self.tail(hay, m.end())?;
        Some((&hay[m.start()..x.start], &hay[x]))
    }

    /// Where `x` is, for the head's match ending at `end`.
    fn tail(&self, hay: &str, end: usize) -> Option<Span> {
        let start = if self.plus {
            // The one character of `x` the head matched.
            end - hay[..end].chars().next_back()?.len_utf8()
        } else {
            end
        };
        let end = hay[start..]
            .find([',', ';', '.', '!', '?'])
            .map_or(hay.len(), |i| start + i);
        Some(start..end)
    }
}

/// The words of a match, split where the patterns' ASCII `\s` separates them.
fn words(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.split([' ', '\t', '\n', '\r', '\x0B', '\x0C'])
        .filter(|w| !w.is_empty())
}

tail!(I_WOULD, format!(r"\bi(?:'d| would)\s+{ADVERBS}"), true);
tail!(
    SUGGESTION,
    format!(
        r"\b(?:my (?:advice|suggestion|recommendation|tip) (?:would be|is)|i(?:'d| would)? (?:strongly )?(?:suggest|recommend|advise|encourage you)(?: that)?(?: you)?|the (?:best|right|smart) (?:thing(?: to do)?|move|approach|option|way forward) (?:would be|is)|what you (?:really )?need(?: to do)? is|you(?:'re| are) better off)\s*(?:to\s+)?{ADVERBS}"
    ),
    true
);
tail!(
    ADVICE_Q,
    r"\b(?:have you (?:tried|thought (?:about|of)|considered|looked (?:into|at)|explored)|did you (?:try|think (?:about|of)|consider)|what about|how about|why don't you|why not|could you (?:just|not)|couldn't you|can't you just)\s*",
    false
);
// `\bwhy\s+(?<aux>…)\s+(?<subj>…)\s+(?:even\s+|just\s+|still\s+)?(?<x>[^,;.!?]*)`: `aux`
// and `subj` hold no space and are followed by one, so they are the second
// and third words of the match.
tail!(
    WHY,
    r"\bwhy\s+(?:did|do|does|would|didn't|don't|doesn't|are|aren't|were|weren't|is|isn't|was|wasn't|should|have|haven't|can't|won't|will)\s+(?:you|he|she|they|we|it|that|this)\s+(?:even\s+|just\s+|still\s+)?",
    false
);
tail!(
    WOULDNT_BETTER,
    r"\b(?:wouldn't it be (?:better|easier|smarter|good) (?:to|if you)|shouldn't you|isn't it (?:better|time) to)\s+",
    true
);
// `\byou(?:'re| are)?\s+(?<adv>always|never|constantly|keep)\s+(?<x>[^,;.!?]+)`: `adv`
// is the last word before `x`.
tail!(
    ALWAYS,
    r"\byou(?:'re| are)?\s+(?:always|never|constantly|keep)\s+",
    true
);
// Its last word (after `\s+`, ASCII) is what the coach says is overthought.
re!(
    OVERTHINK,
    r"\byou(?:'re| are)\s+(?:\w+\s+)?overthinking\s+(?:this|it|that|things)"
);
re!(EXCUSE, r"\bexcuses?\b");
// Its last word (after a space) is what was decided.
re!(
    RIGHT_DECISION,
    r"\b(?:that(?:'s| is)|this is|it(?:'s| is)) (?:the|a) (?:right|correct|good|great|smart|best|wise) (?:decision|choice|call|move|answer|idea|plan|step)"
);
tail!(
    SHOULDNT_HAVE,
    r"\byou (?:shouldn't|should not|should never) have\s+",
    true
);

/// Up to three open questions to ask instead of `sentence`, best first;
/// `matched` is the range of the words the rule saw.
pub fn rephrase(style: RephraseStyle, sentence: &str, matched: Span) -> Rephrasings {
    let from = &sentence[matched.start.min(sentence.len())..];
    let mut out = Rephrasings::new();
    let mut push = |q: Cow<'static, str>| {
        if !out.contains(&q) && out.len() < 3 {
            out.push(q);
        }
    };
    match style {
        RephraseStyle::None => {}
        RephraseStyle::Modal => {
            if let Some((before, x)) = MODAL.find(from) {
                modal_questions(MODAL_NEG.is_match(before), x, &mut push);
            }
            push("What options do you see?".into());
        }
        RephraseStyle::IfIWereYou => {
            push("What would you like to do?".into());
            let x = IF_I_WERE_YOU
                .captures(from)
                .and_then(|c| c.name("x").map(|m| m.as_str().to_owned()))
                .or_else(|| I_WOULD.x(sentence).map(str::to_owned));
            // "what I would do if I were you": the clause after "if" is not the action.
            let x = x.map(|x| match x.to_lowercase().find(" if ") {
                Some(i) => x[..i].to_owned(),
                None => x,
            });
            if let Some(x) = x.as_deref().and_then(action) {
                push(format!("What would it take to {}?", swap_person(x)).into());
            }
            push("What options do you see?".into());
        }
        RephraseStyle::Suggestion => {
            if let Some(x) = SUGGESTION.x(from).and_then(action) {
                suggestion_question(x, &mut push);
            }
            push("What options do you see?".into());
        }
        RephraseStyle::Imperative => {
            let core = strip_openers(sentence);
            // Compared without lower-casing: no other letters lower-case to
            // these ASCII ones.
            let (neg, rest) = match core.split_once(char::is_whitespace) {
                Some((w, r))
                    if ["don't", "don’t", "never"]
                        .iter()
                        .any(|k| w.eq_ignore_ascii_case(k)) =>
                {
                    (true, r)
                }
                Some((w, r))
                    if w.eq_ignore_ascii_case("do")
                        && r.get(..4).is_some_and(|n| n.eq_ignore_ascii_case("not ")) =>
                {
                    (true, &r[4..])
                }
                _ => (false, core),
            };
            if let Some(x) = action(rest) {
                let mut q = String::with_capacity(x.len() + 26);
                q.push_str(if neg {
                    "What might happen if you "
                } else {
                    "What would it take to "
                });
                push_lower_first(&mut q, x);
                q.push('?');
                push(q.into());
            }
            push("What options do you see?".into());
        }
        RephraseStyle::AdviceQuestion => {
            let lower = from.to_lowercase().replace('’', "'");
            if lower.starts_with("why don't you")
                || lower.starts_with("why not")
                || lower.starts_with("could you")
                || lower.starts_with("couldn't you")
                || lower.starts_with("can't you")
            {
                if let Some(x) = ADVICE_Q.x(from).and_then(action) {
                    push(format!("What would it take to {x}?").into());
                }
                push("What options do you see?".into());
            } else if lower.contains("tried") || lower.starts_with("did you try") {
                push("What have you tried so far?".into());
                push("What else might help?".into());
            } else {
                push("What options have you considered?".into());
                push("What else might help?".into());
            }
        }
        RephraseStyle::Why => {
            if let Some((before, x)) = WHY.find(from) {
                let mut w = words(before).skip(1);
                let aux = w
                    .next()
                    .unwrap_or_default()
                    .to_lowercase()
                    .replace('’', "'");
                let subj = w.next().unwrap_or_default().to_lowercase();
                let x = action(x);
                match (aux.as_str(), subj.as_str(), x) {
                    ("did", "you", Some(x)) => push(format!("What led you to {x}?").into()),
                    ("do" | "would", "you", Some(x)) => {
                        push(format!("What leads you to {x}?").into())
                    }
                    ("didn't" | "don't" | "haven't" | "can't" | "won't", "you", Some(x)) => {
                        push(format!("What got in the way of {}?", gerund_phrase(x)).into())
                    }
                    _ => {}
                }
            }
            push("What led to that?".into());
        }
        RephraseStyle::Leading => {
            if let Some(x) = WOULDNT_BETTER.x(from).and_then(action) {
                push(format!("What would it be like to {x}?").into());
            }
            let lower = sentence.to_lowercase();
            if lower.trim_end_matches(['?', ' ']).ends_with("right") {
                push("What will you do next?".into());
            }
            push("How do you see it?".into());
            push("What options do you see?".into());
        }
        RephraseStyle::Judgment => {
            if let Some(m) = OVERTHINK.find(sentence) {
                // After the pattern's `\s+`: ASCII whitespace, vertical tab included.
                let x = m
                    .as_str()
                    .rsplit([' ', '\t', '\n', '\r', '\x0B', '\x0C'])
                    .next();
                push(
                    format!(
                        "What do you make of how much thought you're giving {}?",
                        x.unwrap_or_default().to_lowercase()
                    )
                    .into(),
                );
            }
            if let Some((before, x)) = ALWAYS.find(sentence) {
                let adv = words(before).next_back().unwrap_or_default().to_lowercase();
                if let Some(x) = action(x) {
                    if adv == "never" {
                        push(format!("What gets in the way of {}?", gerund_phrase(x)).into());
                    } else if adv == "keep" {
                        push(format!("What do you notice about {x}?").into());
                    } else {
                        push(format!("What do you notice about when you {x}?").into());
                    }
                }
            }
            if let Some(x) = SHOULDNT_HAVE.x(sentence) {
                if let Some(x) = action(x) {
                    push(format!("Looking back, what do you make of having {x}?").into());
                }
                push("What would you do differently next time?".into());
            }
            if EXCUSE.is_match(sentence) {
                push("What's getting in the way?".into());
            }
            push("How do you see it?".into());
        }
        RephraseStyle::Praise => {
            if let Some(m) = RIGHT_DECISION.find(sentence) {
                let x = m.as_str().rsplit(' ').next().unwrap_or_default();
                push(format!("What makes this the right {} for you?", x.to_lowercase()).into());
            }
            push("What are you most proud of here?".into());
        }
        RephraseStyle::Mentoring => {
            push("What's your own experience telling you?".into());
            push("What do you already know about situations like this?".into());
        }
    }
    out
}

fn modal_questions(neg: bool, x: &str, push: &mut impl FnMut(Cow<'static, str>)) {
    let Some(x) = action(x) else { return };
    if neg {
        push(format!("What might happen if you {x}?").into());
    } else {
        push(format!("What would it take to {x}?").into());
    }
}

fn suggestion_question(x: &str, push: &mut impl FnMut(Cow<'static, str>)) {
    let first = x.split_whitespace().next().unwrap_or("");
    if first.ends_with("ing") && first.len() > 5 {
        push(format!("How would {x} work for you?").into());
    } else {
        push(format!("What would it take to {x}?").into());
    }
}

/// The action phrase of a clause, trimmed to its first part: "go for it" from
/// "go for it and then see". `None` when too short or too long to reuse.
fn action(x: &str) -> Option<&str> {
    let (x, n, first) = if x.is_ascii() {
        ascii_clause(x)
    } else {
        clause(x)
    };
    if n == 0 || n > 14 {
        return None;
    }
    // Lower-cased ASCII compares in place; other text is lower-cased first.
    let is = |w: &str, words: &[&str]| {
        if w.is_ascii() {
            words.iter().any(|k| w.eq_ignore_ascii_case(k))
        } else {
            words.contains(&w.to_lowercase().as_str())
        }
    };
    // A lone auxiliary ("you should be") is no action to ask about.
    if n == 1 && is(x, &["be", "do", "have", "get", "go"]) {
        return None;
    }
    // Not an action: "you should be", a dangling "it", a pronoun start.
    if is(
        first,
        &[
            "i", "you", "it", "that", "this", "the", "a", "an", "so", "to",
        ],
    ) || first.contains(['\'', '’'])
    {
        // …nor a contraction ("you're overthinking this").
        return None;
    }
    Some(x)
}

/// The clause an action is read from, its number of words and its first word.
fn clause(x: &str) -> (&str, usize, &str) {
    let mut x = x.trim();
    if let Some(i) = x.find([',', ';', '.', '!', '?']) {
        x = &x[..i];
    }
    let x = before_cuts(x)
        .trim()
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .trim();
    let n = x.split_whitespace().count();
    (x, n, x.split_whitespace().next().unwrap_or(""))
}

/// [`clause`] for ASCII text, in byte passes. The whitespace is what
/// `char::is_whitespace` takes in ASCII, vertical tab included.
fn ascii_clause(x: &str) -> (&str, usize, &str) {
    let ws = |c: &u8| matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
    let b = x.as_bytes();
    let start = b.iter().position(|c| !ws(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !ws(c)).map_or(start, |i| i + 1);
    let end = b[start..end]
        .iter()
        .position(|c| matches!(c, b',' | b';' | b'.' | b'!' | b'?'))
        .map_or(end, |i| start + i);
    let x = ascii_before_cuts(&x[start..end]);
    let b = x.as_bytes();
    let end = b
        .iter()
        .rposition(u8::is_ascii_alphanumeric)
        .map_or(0, |i| i + 1);
    let start = b[..end].iter().position(|c| !ws(c)).unwrap_or(end);
    let x = &x[start..end];
    let mut n = 0;
    let mut first = "";
    let mut at = None;
    for (i, c) in x.bytes().chain([b' ']).enumerate() {
        match (ws(&c), at) {
            (false, None) => at = Some(i),
            (true, Some(a)) => {
                if n == 0 {
                    first = &x[a..i];
                }
                n += 1;
                at = None;
            }
            _ => {}
        }
    }
    (x, n, first)
}

/// Where an action phrase's clause ends: before " because ", " but "…
const CUTS: [&str; 8] = [
    " and then ",
    " because ",
    " so that ",
    " since ",
    " otherwise ",
    " or else ",
    " but ",
    " which ",
];

/// `x` up to each cut in turn, case-insensitively.
fn before_cuts(mut x: &str) -> &str {
    for cut in CUTS {
        if let Some(i) = x.to_lowercase().find(cut) {
            x = &x[..i];
        }
    }
    x
}

/// [`before_cuts`] for ASCII text: each cut where it first occurs, found in
/// one pass over the spaces without a lower-cased copy. A cut shortens `x`
/// only if its first occurrence fits in what earlier cuts left.
fn ascii_before_cuts(x: &str) -> &str {
    let b = x.as_bytes();
    let mut first = [usize::MAX; CUTS.len()];
    // The cuts each lower-case letter starts: most words start none.
    const _: () = assert!(CUTS.len() <= 8, "the cuts fit in a byte");
    const STARTING: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut k = 0;
        while k < CUTS.len() {
            t[CUTS[k].as_bytes()[1] as usize] |= 1 << k;
            k += 1;
        }
        t
    };
    for at in memchr::memchr_iter(b' ', b) {
        let Some(c) = b.get(at + 1).map(u8::to_ascii_lowercase) else {
            break;
        };
        let mut cuts = STARTING[usize::from(c)];
        while cuts != 0 {
            let k = cuts.trailing_zeros() as usize;
            cuts &= cuts - 1;
            let cut = CUTS[k].as_bytes();
            if first[k] == usize::MAX
                && b.get(at..at + cut.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(cut))
            {
                first[k] = at;
            }
        }
    }
    let mut end = x.len();
    for (at, cut) in first.into_iter().zip(CUTS) {
        if at != usize::MAX && at + cut.len() <= end {
            end = at;
        }
    }
    &x[..end]
}

/// First person to second: in "if I were you, I'd quit my job", "my" is the client's.
fn swap_person(x: &str) -> String {
    let mut out = String::with_capacity(x.len() + 8);
    for (i, w) in x.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let (core, tail) = w.split_at(
            w.find(|c: char| !c.is_alphanumeric() && c != '\'')
                .unwrap_or(w.len()),
        );
        out.push_str(match core {
            "my" => "your",
            "My" => "Your",
            "mine" => "yours",
            "me" => "you",
            "myself" => "yourself",
            "I" => "you",
            "I'm" => "you're",
            "I've" => "you've",
            "I'd" => "you'd",
            _ => core,
        });
        out.push_str(tail);
    }
    out
}

/// "do this last month" → "doing this last month".
fn gerund_phrase(x: &str) -> String {
    let (verb, rest) = x.split_once(' ').unwrap_or((x, ""));
    let g = gerund(&verb.to_lowercase());
    if rest.is_empty() {
        g
    } else {
        format!("{g} {rest}")
    }
}

fn gerund(v: &str) -> String {
    match v {
        "be" => return "being".into(),
        "see" | "flee" | "agree" => return format!("{v}ing"),
        "lie" | "die" | "tie" => return format!("{}ying", &v[..v.len() - 2]),
        _ => {}
    }
    const DOUBLE: &[&str] = &[
        "get", "put", "set", "sit", "run", "stop", "quit", "plan", "cut", "let", "shop", "drop",
        "swim", "begin", "admit", "commit", "forget", "submit", "chat", "hit", "step", "ship",
        "skip", "grab", "nag",
    ];
    if DOUBLE.contains(&v) {
        let last = v.chars().last().unwrap();
        return format!("{v}{last}ing");
    }
    if v.len() > 2 && v.ends_with('e') && !v.ends_with("ee") {
        return format!("{}ing", &v[..v.len() - 1]);
    }
    format!("{v}ing")
}

const OPENERS: [&str; 15] = [
    "so ",
    "and ",
    "but ",
    "look, ",
    "look ",
    "okay, ",
    "ok, ",
    "okay ",
    "well, ",
    "just ",
    "then ",
    "also, ",
    "honestly, ",
    "now, ",
    "listen, ",
];

fn strip_openers(s: &str) -> &str {
    let mut s = s.trim();
    if s.is_ascii() {
        // The general loop below, comparing in place instead of lower-casing.
        loop {
            let mut changed = false;
            for o in OPENERS {
                if s.len() >= o.len() && s.as_bytes()[..o.len()].eq_ignore_ascii_case(o.as_bytes())
                {
                    s = s[o.len()..].trim_start();
                    changed = true;
                }
            }
            if !changed {
                return s;
            }
        }
    }
    loop {
        let lower = s.to_lowercase();
        let mut changed = false;
        for o in OPENERS {
            if lower.starts_with(o) {
                s = s[o.len()..].trim_start();
                changed = true;
            }
        }
        if !changed {
            return s;
        }
    }
}

/// Pushes `s` with its first letter lower-cased, unless it is "I" or a word
/// in capitals ("HR"), which stay as written.
fn push_lower_first(out: &mut String, s: &str) {
    let mut c = s.chars();
    let Some(f) = c.next() else { return };
    let keep = s.starts_with("I ")
        || s.split_whitespace()
            .next()
            .is_some_and(|w| w.len() > 1 && w.chars().all(|c| c.is_uppercase()));
    if keep {
        out.push_str(s);
    } else {
        out.extend(f.to_lowercase());
        out.push_str(c.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RephraseStyle::*;

    fn first(style: RephraseStyle, s: &str, at: &str) -> String {
        let i = s.find(at).unwrap();
        rephrase(style, s, i..i + at.len()).remove(0).into_owned()
    }

    #[test]
    fn rephrasings_from_the_trainers_table() {
        assert_eq!(
            first(Modal, "You should talk to your manager.", "You should"),
            "What would it take to talk to your manager?"
        );
        assert_eq!(
            first(Modal, "You should definitely go for it.", "You should"),
            "What would it take to go for it?"
        );
        assert_eq!(
            first(
                AdviceQuestion,
                "Have you tried meditation?",
                "Have you tried"
            ),
            "What have you tried so far?"
        );
        assert_eq!(
            first(IfIWereYou, "If I were you I'd quit.", "If I were you"),
            "What would you like to do?"
        );
        assert_eq!(
            first(Why, "Why did you do that?", "Why"),
            "What led you to do that?"
        );
        assert_eq!(
            first(Judgment, "Look, you're overthinking this.", "overthinking"),
            "What do you make of how much thought you're giving this?"
        );
    }

    #[test]
    fn pronouns_follow_the_speaker() {
        let all = rephrase(IfIWereYou, "If I were you, I'd quit my job.", 0..13);
        assert!(
            all.contains(&"What would it take to quit your job?".into()),
            "{all:?}"
        );
        // "my" in plain advice is the coach's own and stays.
        assert_eq!(
            first(Modal, "You should call my colleague Sam.", "You should"),
            "What would it take to call my colleague Sam?"
        );
    }

    #[test]
    fn negative_advice_and_imperatives() {
        assert_eq!(
            first(
                Imperative,
                "And don't bring up the hands-on work thing, that will just make you look uncommitted.",
                "don't"
            ),
            "What might happen if you bring up the hands-on work thing?"
        );
        assert_eq!(
            first(
                Imperative,
                "Book thirty minutes with your boss this week, tell them you want the role.",
                "Book"
            ),
            "What would it take to book thirty minutes with your boss this week?"
        );
        assert_eq!(
            first(
                Why,
                "Why didn't you do this last month when we first talked about it?",
                "Why"
            ),
            "What got in the way of doing this last month when we first talked about it?"
        );
        assert_eq!(
            first(
                Suggestion,
                "My advice is to get a proper sleep routine first, and then tackle it.",
                "My advice is"
            ),
            "What would it take to get a proper sleep routine first?"
        );
    }

    #[test]
    fn the_permission_fix_inserts_the_question() {
        assert_eq!(PERMISSION_INSERT, format!("{PERMISSION_QUESTION} "));
    }

    #[test]
    fn no_question_is_built_from_a_contraction() {
        assert_eq!(
            rephrase(Imperative, "You're overthinking this.", 0..0).as_slice(),
            ["What options do you see?"]
        );
    }

    #[test]
    fn generic_fallback_only_when_nothing_fits() {
        assert_eq!(
            rephrase(Modal, "You should be.", 0..10).as_slice(),
            ["What options do you see?"]
        );
    }

    /// Words the patterns and the string logic look for, in several spellings
    /// (typographic apostrophes, the long s and the Kelvin sign that fold to
    /// `s` and `k`), punctuation, and plain words.
    const WORDS: &[&str] = &[
        "you",
        "You",
        "YOU",
        "you'd",
        "you’d",
        "you're",
        "you are",
        "would",
        "should",
        "shouldn't",
        "should not",
        "ſhould",
        "must",
        "need to",
        "have to",
        "'ve got to",
        "gotta",
        "better",
        "had better",
        "'d better not",
        "could",
        "might want to",
        "might try",
        "want to",
        "don't",
        "do not",
        "never",
        "really",
        "definitely",
        "just",
        "at least",
        "maybe",
        "also",
        "i",
        "I",
        "I'd",
        "i would",
        "if i were you",
        "If I were you,",
        "if it were me",
        "in your shoes",
        "my",
        "My advice is",
        "my suggestion would be",
        "i suggest",
        "I'd recommend that you",
        "the best thing to do is",
        "what you really need is",
        "you're better off",
        "to",
        "have you tried",
        "Have you thought about",
        "did you try",
        "what about",
        "how about",
        "why don't you",
        "why not",
        "could you just",
        "couldn't you",
        "can't you just",
        "why",
        "Why",
        "did",
        "didn't",
        "do",
        "would",
        "haven't",
        "can't",
        "won't",
        "he",
        "they",
        "it",
        "that",
        "this",
        "even",
        "still",
        "wouldn't it be better to",
        "shouldn't you",
        "isn't it time to",
        "always",
        "never",
        "constantly",
        "keep",
        "Keep",
        "overthinking",
        "things",
        "excuse",
        "excuses",
        "that's the right",
        "it is a smart",
        "decision",
        "call",
        "plan",
        "you shouldn't have",
        "you should never have",
        "and then",
        "because",
        "but",
        "which",
        "or else",
        "so that",
        "since",
        "otherwise",
        "so",
        "and",
        "look,",
        "okay,",
        "ok,",
        "well,",
        "honestly,",
        "Listen,",
        "then",
        "go",
        "be",
        "get",
        "call",
        "quit",
        "run",
        "see",
        "lie",
        "make",
        "tell",
        "him",
        "your",
        "manager",
        "job",
        "HR",
        "me",
        "myself",
        "mine",
        "I'm",
        "it’s",
        "sleep",
        "a",
        "the",
        "an",
        "go for it",
        "talk",
        "Book",
        "don’t",
        "!",
        "?",
        ".",
        ",",
        ";",
        ":",
        "\"",
        "“",
        "”",
        "-",
        "é",
        "\t",
        "\u{b}",
        "\u{c}",
        "",
    ];

    /// How the patterns' sentences open, so that most generated sentences match.
    const OPENINGS: &[&str] = &[
        "you should",
        "You really should",
        "you’d better",
        "you shouldn't",
        "you don't need to",
        "You could",
        "you might want to",
        "you must not",
        "you'd definitely",
        "My advice is to",
        "I'd suggest",
        "the best thing to do is",
        "what you need is",
        "Have you tried",
        "how about",
        "why don't you",
        "Why did you",
        "why didn't he",
        "why would you even",
        "why do they just",
        "If I were you, I'd",
        "if i were you",
        "in your shoes, i would",
        "Wouldn't it be better to",
        "shouldn't you",
        "You're always",
        "you never",
        "you keep",
        "You're overthinking",
        "you are really overthinking",
        "That's the right",
        "it's a smart",
        "You shouldn't have",
        "so just",
        "Okay, then",
        "Don't",
        "do not",
        "Never",
    ];

    fn sentence() -> impl proptest::strategy::Strategy<Value = (String, usize)> {
        use proptest::prelude::*;
        let word = prop_oneof![
            1 => proptest::sample::select(OPENINGS),
            4 => proptest::sample::select(WORDS),
        ];
        (
            proptest::collection::vec(
                (
                    word,
                    prop_oneof![4 => Just(" "), 1 => Just(""), 1 => Just("  ")],
                ),
                0..16,
            ),
            any::<proptest::sample::Index>(),
        )
            .prop_map(|(words, at)| {
                let s: String = words.into_iter().flat_map(|(w, sp)| [w, sp]).collect();
                let starts: Vec<usize> =
                    s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
                let at = starts[at.index(starts.len())];
                (s, at)
            })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn rephrasings_agree_with_the_general_path((s, at) in sentence()) {
            for name in RephraseStyle::NAMES {
                let style = RephraseStyle::parse(name).unwrap();
                proptest::prop_assert_eq!(
                    rephrase(style, &s, at..s.len()).to_vec(),
                    reference::rephrase(style, &s, at..s.len()),
                    "{} on {:?} from {}", name, s, at
                );
            }
        }

        #[test]
        fn tails_agree_with_captures((s, at) in sentence()) {
            let from = &s[at..];
            let full = |prefix: &str, plus: bool| {
                let x = if plus { "(?<x>[^,;.!?]+)" } else { "(?<x>[^,;.!?]*)" };
                Regex::new(&crate::rules::pattern(&format!("{prefix}{x}"))).unwrap()
            };
            for (tail, prefix, plus) in [
                (&*I_WOULD, format!(r"\bi(?:'d| would)\s+{ADVERBS}"), true),
                (&*SHOULDNT_HAVE, r"\byou (?:shouldn't|should not|should never) have\s+".into(), true),
                (&*ADVICE_Q, r"\b(?:have you (?:tried|thought (?:about|of)|considered|looked (?:into|at)|explored)|did you (?:try|think (?:about|of)|consider)|what about|how about|why don't you|why not|could you (?:just|not)|couldn't you|can't you just)\s*".into(), false),
            ] {
                let want = full(&prefix, plus).captures(from).map(|c| c["x"].to_owned());
                proptest::prop_assert_eq!(tail.x(from).map(str::to_owned), want);
            }
        }

        #[test]
        fn modal_negation_agrees_with_captures(parts in proptest::collection::vec(
            proptest::sample::select(&[
                "you", "You", "you'd", "you’d", "you would", " ", "  ", "\t", "really ", "at least ",
                "just", "shouldn't", "should not", "should", "must not", "mustn't", "must",
                "don't need to", "don't", "need to", "better not", "'d better not", "’d better",
                "had better not", "had better", "better", "ought to", "not", "go", "call him",
                ".", ",", "?", "é", "ſhould", "",
            ][..]),
            0..12,
        )) {
            let s: String = parts.concat();
            let full = Regex::new(&crate::rules::pattern(&format!(
                r"\byou(?:'d| would)?\s+{ADVERBS}(?<neg>{NEG})?(?:{MODALS})?\s*{ADVERBS}(?<x>[^,;.!?]+)"
            )))
            .unwrap();
            let want = full
                .captures(&s)
                .map(|c| (c.name("neg").is_some(), c["x"].to_owned()));
            let got = MODAL
                .find(&s)
                .map(|(before, x)| (MODAL_NEG.is_match(before), x.to_owned()));
            proptest::prop_assert_eq!(got, want, "{:?}", s);
        }

        #[test]
        fn ascii_clauses_agree_with_the_char_path((s, at) in sentence()) {
            let s = &s[at..];
            if s.is_ascii() {
                proptest::prop_assert_eq!(ascii_clause(s), clause(s));
            }
        }

        #[test]
        fn ascii_cuts_agree_with_the_char_path(words in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("and"), proptest::strategy::Just("then"),
                proptest::strategy::Just("But"), proptest::strategy::Just("so"),
                proptest::strategy::Just("THAT"), proptest::strategy::Just("which"),
                proptest::strategy::Just("because"), proptest::strategy::Just("or"),
                proptest::strategy::Just("else"), proptest::strategy::Just("since"),
                proptest::strategy::Just("otherwise"), proptest::strategy::Just("go"),
                proptest::strategy::Just(" "), proptest::strategy::Just(""),
            ],
            0..14,
        )) {
            let x = words.join(" ");
            proptest::prop_assert_eq!(ascii_before_cuts(&x), before_cuts(&x));
        }
    }
}
