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

/// Compiles the patterns the rephrasings search with, ahead of the first
/// finding (see [`crate::rules::RuleSet::from_sources`]).
pub(crate) fn warm_up() {
    for t in [
        &MODAL,
        &I_WOULD,
        &SUGGESTION,
        &ADVICE_Q,
        &WHY,
        &WOULDNT_BETTER,
        &ALWAYS,
        &SHOULDNT_HAVE,
    ] {
        LazyLock::force(t);
    }
    LazyLock::force(&MODAL_NEG);
    for r in [&IF_I_WERE_YOU, &OVERTHINK, &EXCUSE, &RIGHT_DECISION] {
        LazyLock::force(r);
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
const MODALS: &str = "should|ought to|must|need to|have to|'ve got to|got to|gotta|had better|'d better|better|could|(?:might|may) (?:also |even |just )?want to|might try|want to|might|may|can";
/// The client addressed: "you", "you two" (team coaching), "you'd".
const YOU: &str = r"\byou(?: two| both| all| guys)?(?:'d| would)?\s+";
// `{YOU}{ADVERBS}(?<neg>{NEG})?(?:{MODALS})?\s*{ADVERBS}(?<x>[^,;.!?]+)`.
tail!(
    MODAL,
    format!(r"{YOU}{ADVERBS}(?:{NEG})?(?:{MODALS})?\s*{ADVERBS}"),
    true
);
// Whether `neg` took part in MODAL's match, asked of the words before `x`:
// it did exactly when some parse of them has it. The adverbs before it cannot
// run into its words, so a parse with it comes first in backtracking order.
static MODAL_NEG: LazyLock<Pattern> = LazyLock::new(|| {
    let src = format!(r"^{YOU}{ADVERBS}(?:{NEG})(?:{MODALS})?\s*{ADVERBS}$");
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
/// What advice is framed as, the action after it: "my advice is to…", "one
/// option is…", "it might be worth…".
const SUGGESTED: &str = r"my (?:advice|suggestion|recommendation|tip) (?:would be|is)|one (?:option|idea|thing (?:you could do|to try)) (?:would be|is)|it (?:might|may|could|would) (?:be worth|help to|be (?:a good idea|good|wise|smart) to)|i(?:'d| would)? (?:strongly )?(?:suggest|recommend|advise|encourage you)(?: that)?(?: you)?|the (?:best|right|smart) (?:thing(?: to do)?|move|approach|option|way forward) (?:would be|is)|what you (?:really )?need(?: to do)? is|you(?:'re| are) better off";
tail!(
    SUGGESTION,
    format!(r"\b(?:{SUGGESTED})\s*(?:to\s+)?{ADVERBS}"),
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
    // How far into `from` the rule's words run: a phrase the rephrasing reads
    // must start among them, not at a later "you" ("…what they see you doing").
    let seen = matched
        .end
        .min(sentence.len())
        .saturating_sub(matched.start);
    let starts_seen = |before: &str| before.as_ptr() as usize - from.as_ptr() as usize <= seen;
    let mut out = Rephrasings::new();
    let mut push = |q: Cow<'static, str>| {
        if !out.contains(&q) && out.len() < 3 {
            out.push(q);
        }
    };
    match style {
        RephraseStyle::None => {}
        RephraseStyle::Modal => {
            let built = MODAL.find(from).is_some_and(|(before, x)| {
                starts_seen(before) && modal_questions(MODAL_NEG.is_match(before), x, &mut push)
            });
            // "One option is to…", "it might be worth…".
            if !built
                && let Some((before, x)) = SUGGESTION.find(from)
                && starts_seen(before)
                && let Some(x) = action(x)
            {
                suggestion_question(x, after_to(before), &mut push);
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
            let x = x.map(|x| match x.to_ascii_lowercase().find(" if ") {
                Some(i) => x[..i].to_owned(),
                None => x,
            });
            if let Some(x) = x.as_deref().and_then(action) {
                suggestion_question(&swap_person(x), true, &mut push);
            }
            push("What options do you see?".into());
        }
        RephraseStyle::Suggestion => {
            if let Some((before, x)) = SUGGESTION.find(from)
                && let Some(x) = action(x)
            {
                suggestion_question(x, after_to(before), &mut push);
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
                // The emphatic "do" of "Please do try it" ("Do your homework"
                // keeps its verb).
                Some((w, r))
                    if w.eq_ignore_ascii_case("do") && crate::model::stressed_verb(r).is_some() =>
                {
                    (false, r)
                }
                _ => (false, core),
            };
            if let Some(x) = action(rest) {
                let mut q = String::with_capacity(x.len() + 26);
                match (neg, after_be(x)) {
                    // "Don't be so hard on yourself."
                    (true, Some(rest)) => {
                        q.push_str("What might happen if you're ");
                        q.push_str(rest);
                    }
                    (true, None) => {
                        q.push_str("What might happen if you ");
                        push_lower_first(&mut q, x);
                    }
                    (false, _) => {
                        q.push_str("What would it take to ");
                        push_lower_first(&mut q, x);
                    }
                }
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
                if let Some(x) = ADVICE_Q.x(from).and_then(action).filter(|x| !names(x)) {
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
            if let Some(x) = WOULDNT_BETTER.x(from).map(before_than).and_then(action) {
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
                let mut w = words(before).rev();
                let adv = w.next().unwrap_or_default().to_lowercase();
                // "You're always…": what follows describes the client, it is no verb.
                let are = w.next().is_some_and(|w| {
                    let w = w.to_lowercase();
                    w == "are" || w.ends_with("'re") || w.ends_with("’re")
                });
                if let Some(x) = action(x) {
                    push(always_question(&adv, are, x).into());
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

/// Whether a question was built from the action `x`.
fn modal_questions(neg: bool, x: &str, push: &mut impl FnMut(Cow<'static, str>)) -> bool {
    let had;
    let x = match needs_noun(x) {
        Some(thing) => {
            had = format!("have {thing}");
            &had
        }
        None => x,
    };
    let Some(x) = action(x) else { return false };
    if neg {
        push(might_happen(x).into());
    } else {
        suggestion_question(x, true, push);
    }
    true
}

/// What "need" is followed by when it needs a thing, not an action ("You
/// need a facilitator"): the question asks what it would take to have it.
pub(crate) fn needs_noun(x: &str) -> Option<&str> {
    let (w, rest) = x.split_once(' ')?;
    let next = rest.split(' ').next()?;
    (w.eq_ignore_ascii_case("need")
        && ["a", "an", "some", "more", "the", "better", "proper"]
            .iter()
            .any(|d| next.eq_ignore_ascii_case(d)))
    .then_some(rest)
}

/// "What might happen if you X?", "…if you're X?" for "be X".
pub(crate) fn might_happen(x: &str) -> String {
    match after_be(x) {
        Some(rest) => format!("What might happen if you're {rest}?"),
        None => format!("What might happen if you {x}?"),
    }
}

/// What follows a first word "be".
pub(crate) fn after_be(x: &str) -> Option<&str> {
    let (w, rest) = x.split_once(' ')?;
    w.eq_ignore_ascii_case("be").then_some(rest)
}

/// The question for a suggested action `x`. After "to" or a modal it is a
/// verb phrase; after "my advice is" it may be a noun phrase ("small
/// changes"), so only a known verb or a gerund is built on.
pub(crate) fn suggestion_question(
    x: &str,
    after_to: bool,
    push: &mut impl FnMut(Cow<'static, str>),
) {
    let first = x.split_whitespace().next().unwrap_or("");
    if first.ends_with("ing") && first.len() > 5 {
        push(format!("How would {x} work for you?").into());
    } else if after_to || crate::model::is_base_verb(first) {
        push(format!("What would it take to {x}?").into());
    }
}

/// Whether `x`, from inside a sentence, starts with a name rather than a
/// verb: "Why not Spain, or Italy?"
pub(crate) fn names(x: &str) -> bool {
    x.chars().next().is_some_and(char::is_uppercase) && !x.starts_with("I ")
}

/// Whether the words before a suggested action end in "to" or a phrase that
/// asks for a verb ("what you need to do is", "it might help to").
pub(crate) fn after_to(before: &str) -> bool {
    words(before).any(|w| w.eq_ignore_ascii_case("to"))
}

/// "cut scope" from "cut scope than slip" (after "wouldn't it be better to").
pub(crate) fn before_than(x: &str) -> &str {
    match x.to_ascii_lowercase().find(" than ") {
        Some(i) => &x[..i],
        None => x,
    }
}

/// The question for "you always/never/constantly/keep X"; `are` when the
/// coach said "you're", so that X describes the client ("always late").
pub(crate) fn always_question(adv: &str, are: bool, x: &str) -> String {
    match (adv, are) {
        ("never", false) => format!("What gets in the way of {}?", gerund_phrase(x)),
        ("never", true) if x.split(' ').next().is_some_and(|w| w.ends_with("ing")) => {
            format!("What gets in the way of {x}?")
        }
        ("never", true) => format!("What gets in the way of being {x}?"),
        ("keep", _) => format!("What do you notice about {x}?"),
        (_, true) => format!("What do you notice about when you're {x}?"),
        (_, false) => format!("What do you notice about when you {x}?"),
    }
}

/// Whether `w` is one of the lower-case `words`: ASCII compared in place,
/// other text lower-cased first.
fn is_one_of(w: &str, words: &[&str]) -> bool {
    if w.is_ascii() {
        words.iter().any(|k| w.eq_ignore_ascii_case(k))
    } else {
        words.contains(&w.to_lowercase().as_str())
    }
}

/// Whether `w` is a first word no action to ask about starts with: a modal
/// ("might weigh"), a preposition ("against…"), a determiner or a pronoun.
/// Asked of every rephrased action: a `match` on the lower-cased bytes, not
/// a scan of the list.
fn is_not_action(w: &str) -> bool {
    let mut buf = [0u8; 7];
    let lower: &[u8] = if w.is_ascii() && w.len() <= buf.len() {
        buf[..w.len()].copy_from_slice(w.as_bytes());
        buf[..w.len()].make_ascii_lowercase();
        &buf[..w.len()]
    } else if w.is_ascii() {
        return false;
    } else {
        return is_not_action_lower(w.to_lowercase().as_bytes());
    };
    is_not_action_lower(lower)
}

// Laid out as the other word lists are, not a word a line.
#[rustfmt::skip]
fn is_not_action_lower(w: &[u8]) -> bool {
    matches!(
        w,
        b"and" | b"or" | b"but" | b"if" | b"because" | b"when" | b"i" | b"you" | b"it"
            | b"that" | b"this" | b"the" | b"a" | b"an" | b"so" | b"to" | b"might" | b"may"
            | b"can" | b"could" | b"should" | b"would" | b"will" | b"must" | b"shall" | b"not"
            | b"against" | b"of" | b"for" | b"from" | b"with" | b"about" | b"into" | b"than"
            | b"at" | b"by" | b"as" | b"my" | b"your" | b"his" | b"her" | b"our" | b"their"
            | b"its" | b"these" | b"those" | b"some" | b"any" | b"every" | b"we" | b"they"
            | b"he" | b"she" | b"two"
    )
}

/// Whether `x` (trimmed, at least one word) can follow "What would it take
/// to": not after a word [`is_not_action`] or a contraction ("you're
/// overthinking this"), nor a judgement ("be mad not to take it").
pub(crate) fn is_action(x: &str) -> bool {
    let mut w = x.split_whitespace();
    let first = w.next().unwrap_or("");
    if is_not_action(first) || first.contains(['\'', '’']) {
        return false;
    }
    !(first.eq_ignore_ascii_case("be")
        && w.next().is_some_and(|second| {
            is_one_of(
                second,
                &[
                    "mad", "crazy", "silly", "foolish", "stupid", "daft", "nuts", "insane",
                ],
            )
        }))
}

/// The action phrase of a clause, trimmed to its first part: "go for it" from
/// "go for it and then see". `None` when too short or too long to reuse.
fn action(x: &str) -> Option<&str> {
    let (x, n) = if x.is_ascii() {
        ascii_clause(x)
    } else {
        clause(x)
    };
    if n == 0 || n > 14 {
        return None;
    }
    // A lone auxiliary ("you should be") is no action to ask about.
    if n == 1 && is_one_of(x, &["be", "do", "have", "get", "go"]) {
        return None;
    }
    is_action(x).then_some(x)
}

/// The clause an action is read from and its number of words.
fn clause(x: &str) -> (&str, usize) {
    let mut x = x.trim();
    if let Some(i) = x.find([',', ';', '.', '!', '?']) {
        x = &x[..i];
    }
    let x = before_cuts(x)
        .trim()
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .trim();
    (x, x.split_whitespace().count())
}

/// [`clause`] for ASCII text, in byte passes. The whitespace is what
/// `char::is_whitespace` takes in ASCII, vertical tab included.
fn ascii_clause(x: &str) -> (&str, usize) {
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
    let mut word = false;
    for c in x.bytes().chain([b' ']) {
        if ws(&c) && word {
            n += 1;
        }
        word = !ws(&c);
    }
    (x, n)
}

/// Where an action phrase's clause ends: before " because ", " but "…, and
/// where a new clause runs on in speech ("give him space he'll come round"),
/// unless one of the words before asks for that clause ("weigh which team",
/// "keep saying you'll write it").
const CUTS: [(&str, Unless); 24] = [
    (" and then ", Unless::None),
    (" because ", Unless::None),
    (" so that ", Unless::None),
    (" since ", Unless::None),
    (" otherwise ", Unless::None),
    (" or else ", Unless::None),
    (" but ", Unless::None),
    (" which ", Unless::Asked),
    (" rather than ", Unless::None),
    (" and you'll ", Unless::None),
    (" or you'll ", Unless::None),
    (" you'll ", Unless::Said),
    (" he'll ", Unless::Said),
    (" she'll ", Unless::Said),
    (" they'll ", Unless::Said),
    (" it'll ", Unless::Said),
    (" that'll ", Unless::Said),
    (" that's what ", Unless::Said),
    (" that's how ", Unless::Said),
    (" it's a ", Unless::Said),
    // An aside: "Make a candle (super easy).", "Set a limit - she'll respect it."
    (" (", Unless::None),
    (" - ", Unless::Number),
    (" – ", Unless::Number),
    (" — ", Unless::None),
];

/// The words before a cut that keep the clause after it.
#[derive(Clone, Copy)]
enum Unless {
    None,
    /// The word before asks which one: "weigh which team you'd learn more from".
    Asked,
    /// One of the two words before says or thinks it: "tell her it's a no".
    Said,
    /// A number before: a range ("a 9 - 5 job").
    Number,
}

const ASKED: [&str; 12] = [
    "weigh", "consider", "decide", "choose", "about", "on", "know", "see", "explore", "out",
    "pick", "notice",
];

const SAID: [&str; 30] = [
    "say", "says", "saying", "said", "tell", "telling", "told", "think", "thinking", "thought",
    "hope", "know", "knew", "sure", "promise", "promised", "feel", "believe", "guess", "bet",
    "decide", "explain", "show", "remember", "realise", "realize", "mean", "that", "if", "when",
];

/// Whether cut `k`, found at `at` in `x`, ends the clause.
fn cuts_here(k: usize, x: &str, at: usize) -> bool {
    let mut before = x[..at].rsplit(char::is_whitespace);
    match CUTS[k].1 {
        Unless::None => true,
        Unless::Asked => !before.next().is_some_and(|w| is_one_of(w, &ASKED)),
        Unless::Said => !before.take(2).any(|w| is_one_of(w, &SAID)),
        Unless::Number => !before
            .next()
            .is_some_and(|w| w.bytes().last().is_some_and(|c| c.is_ascii_digit())),
    }
}

/// `x` up to each cut in turn, case-insensitively.
fn before_cuts(mut x: &str) -> &str {
    // ASCII lower-casing keeps every byte where it was, so `x` shortened is
    // a prefix of `lower` still.
    let lower = x.to_ascii_lowercase();
    for (k, (cut, _)) in CUTS.iter().enumerate() {
        if let Some(i) = lower[..x.len()].find(cut)
            && cuts_here(k, x, i)
        {
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
    const _: () = assert!(CUTS.len() <= 32, "the cuts fit in a word");
    const STARTING: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut k = 0;
        while k < CUTS.len() {
            t[CUTS[k].0.as_bytes()[1] as usize] |= 1 << k;
            k += 1;
        }
        t
    };
    // Spaces are a few bytes apart: found eight bytes at a time.
    crate::text::for_each_of(b, b' ', b' ', |at| {
        let Some(c) = b.get(at + 1).map(u8::to_ascii_lowercase) else {
            return;
        };
        let mut cuts = STARTING[usize::from(c)];
        while cuts != 0 {
            let k = cuts.trailing_zeros() as usize;
            cuts &= cuts - 1;
            let cut = CUTS[k].0.as_bytes();
            if first[k] == usize::MAX
                && b.get(at..at + cut.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(cut))
            {
                first[k] = at;
            }
        }
    });
    let mut end = x.len();
    for (k, (at, (cut, _))) in first.into_iter().zip(CUTS).enumerate() {
        if at != usize::MAX && at + cut.len() <= end && cuts_here(k, x, at) {
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

/// Words before an instruction's verb: "so", "look", "next time"…
const OPENERS: [&str; 33] = [
    "next time, ",
    "next time ",
    "first, ",
    "first ",
    "please, ",
    "please ",
    "yes, ",
    "or ",
    "also ",
    "so, ",
    "then, ",
    "well ",
    "for now, ",
    "tomorrow, ",
    "tonight, ",
    "today, ",
    "this week, ",
    "in the meantime, ",
    "after that, ",
    "so ",
    "and ",
    "but ",
    // Not "look " without its comma: "Look up the FAQ", "Look around".
    "look, ",
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
    let mut s = trim_bullet(s);
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
        let mut changed = false;
        for o in OPENERS {
            if let Some(rest) = strip_prefix_lower(s, o) {
                s = rest.trim_start();
                changed = true;
            }
        }
        if !changed {
            return s;
        }
    }
}

/// `s` trimmed, without a list's bullet ("* also talk to them", "- get a job").
pub(crate) fn trim_bullet(s: &str) -> &str {
    s.trim()
        .trim_start_matches(['*', '-', '•', '–', '—', '>', '·'])
        .trim_start()
}

/// `s` after `prefix` (lower-case), compared a char at a time: lower-casing
/// `s` first would move its bytes ("K", the Kelvin sign, is one byte as "k").
pub(crate) fn strip_prefix_lower<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let mut chars = s.chars();
    for p in prefix.chars() {
        let c = chars.next()?;
        if c != p && !c.to_lowercase().eq([p]) {
            return None;
        }
    }
    Some(chars.as_str())
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

    /// Each is what the sentence's own words make, or the generic question
    /// when they make nothing grammatical.
    #[test]
    fn questions_are_grammatical_where_the_sentence_is_not_a_plain_instruction() {
        let cases: &[(RephraseStyle, &str, &str, &str)] = &[
            // A modal the client is told with, not an action.
            (
                Modal,
                "You might weigh which team you'd learn more from.",
                "You might weigh",
                "What would it take to weigh which team you'd learn more from?",
            ),
            (
                Modal,
                "Yes, you should.",
                "you should",
                "What options do you see?",
            ),
            // Team coaching: "you two".
            (
                Modal,
                "Priya, Tom, you two need to sort this out between yourselves.",
                "you two need to",
                "What would it take to sort this out between yourselves?",
            ),
            // The "you" the rule saw, not a later one.
            (
                Modal,
                "One idea is to ask three friends what they see you doing.",
                "One idea is",
                "What would it take to ask three friends what they see you doing?",
            ),
            (
                Modal,
                "It might be worth telling them before the announcement.",
                "It might be worth",
                "How would telling them before the announcement work for you?",
            ),
            (
                Modal,
                "You might try writing down every time you feel energised.",
                "You might try",
                "How would writing down every time you feel energised work for you?",
            ),
            (
                Modal,
                "You know you shouldn't be on your phone that late.",
                "you shouldn't",
                "What might happen if you're on your phone that late?",
            ),
            (
                Modal,
                "You'd be mad not to take it.",
                "You'd be mad not to",
                "What options do you see?",
            ),
            (
                Imperative,
                "Next time, leave the room and count to ten.",
                "Next time, leave",
                "What would it take to leave the room and count to ten?",
            ),
            (
                Imperative,
                "Don't be so hard on yourself.",
                "Don't be",
                "What might happen if you're so hard on yourself?",
            ),
            // A run-on in speech ends the action.
            (
                Imperative,
                "just give him space he'll come round",
                "give him",
                "What would it take to give him space?",
            ),
            (
                Imperative,
                "Swap the juice for water and you'll see a difference.",
                "Swap",
                "What would it take to swap the juice for water?",
            ),
            // …but not a clause said or thought.
            (
                Judgment,
                "You keep saying you'll write it.",
                "You keep",
                "What do you notice about saying you'll write it?",
            ),
            (
                Imperative,
                "Tell her you'll be late.",
                "Tell her",
                "What would it take to tell her you'll be late?",
            ),
            (
                Modal,
                "You need to quit or you'll regret it.",
                "You need to",
                "What would it take to quit?",
            ),
            (
                Imperative,
                "Please seek help for your depression.",
                "Please seek",
                "What would it take to seek help for your depression?",
            ),
            (
                Modal,
                "You need a facilitator and a strict timebox.",
                "You",
                "What would it take to have a facilitator and a strict timebox?",
            ),
            (
                Imperative,
                "Please do try the breathing exercise tonight.",
                "try",
                "What would it take to try the breathing exercise tonight?",
            ),
            (
                Imperative,
                "Do your homework before the meeting.",
                "Do",
                "What would it take to do your homework before the meeting?",
            ),
            (
                Imperative,
                "Look up the questions people ask most.",
                "Look up",
                "What would it take to look up the questions people ask most?",
            ),
            (
                Imperative,
                "* also talk to your professors.",
                "talk",
                "What would it take to talk to your professors?",
            ),
            (
                Imperative,
                "Then, ask yourself what the worst case is.",
                "ask",
                "What would it take to ask yourself what the worst case is?",
            ),
            (
                Modal,
                "You may also want to consider a coach.",
                "You may also want to",
                "What would it take to consider a coach?",
            ),
            (
                Modal,
                "If it comes up you could but I'm not sure.",
                "you could",
                "What options do you see?",
            ),
            (
                AdviceQuestion,
                "Why not Spain, or Italy?",
                "Why not",
                "What options do you see?",
            ),
            (
                Imperative,
                "Get a 9 - 5 job and see.",
                "Get a",
                "What would it take to get a 9 - 5 job and see?",
            ),
            (
                Imperative,
                "Make a candle (super easy).",
                "Make a",
                "What would it take to make a candle?",
            ),
            // A noun phrase after "the best approach is" is no action.
            (
                Suggestion,
                "The best approach is small changes you can keep up.",
                "The best approach is",
                "What options do you see?",
            ),
            (
                Suggestion,
                "The best thing is talk to her first.",
                "The best thing is",
                "What would it take to talk to her first?",
            ),
            (
                Suggestion,
                "I strongly recommend against getting a degree.",
                "I strongly recommend",
                "What options do you see?",
            ),
            (
                Leading,
                "Wouldn't it be better to cut scope than slip?",
                "Wouldn't it be better to",
                "What would it be like to cut scope?",
            ),
            (
                Judgment,
                "You're always rushing into tooling decisions.",
                "You're always",
                "What do you notice about when you're rushing into tooling decisions?",
            ),
            (
                Judgment,
                "You're never on time.",
                "You're never",
                "What gets in the way of being on time?",
            ),
            (
                Judgment,
                "You never listen to her.",
                "You never",
                "What gets in the way of listening to her?",
            ),
        ];
        for &(style, s, at, want) in cases {
            assert_eq!(first(style, s, at), want, "{s}");
        }
    }

    /// Lower-casing can change a text's length ("K", the Kelvin sign, is
    /// three bytes and its "k" one; "İ" two and its "i̇" three): where words
    /// are found must not be measured on a lower-cased copy.
    #[test]
    fn letters_that_change_length_when_lower_cased_are_kept_whole() {
        let s = "You should call İİİİİİİİİİİİİİİİİİİİ and then go.";
        assert_eq!(
            first(Modal, s, "You should"),
            "What would it take to call İİİİİİİİİİİİİİİİİİİİ?"
        );
        assert_eq!(
            first(Imperative, "looK, stop it now.", "stop"),
            "What would it take to stop it now?"
        );
        assert_eq!(
            first(Imperative, "oK, é stop it now.", "é"),
            "What would it take to é stop it now?"
        );
    }

    /// Words the patterns and the string logic look for, in several spellings
    /// (typographic apostrophes, the long s and the Kelvin sign that fold to
    /// `s` and `k`), punctuation, and plain words.
    const WORDS: &[&str] = &[
        "you",
        "You",
        "YOU",
        "you two",
        "might",
        "may",
        "can",
        "one option is",
        "it might be worth",
        "It would help to",
        "you'll",
        "he'll",
        "that's what",
        "it's a",
        "rather than",
        "than",
        "weigh",
        "about",
        "mad",
        "Next time,",
        "next time",
        "this week,",
        "K",
        "looK",
        "İ",
        "walking",
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
        "You might weigh",
        "you two need to",
        "One option is to",
        "it might be worth",
        "The best approach is",
        "Next time,",
        "Don't be",
        "you're never",
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
                "might", "may", "can", " two", " all", "weigh",
                ".", ",", "?", "é", "ſhould", "",
            ][..]),
            0..12,
        )) {
            let s: String = parts.concat();
            let full = Regex::new(&crate::rules::pattern(&format!(
                r"{YOU}{ADVERBS}(?<neg>{NEG})?(?:{MODALS})?\s*{ADVERBS}(?<x>[^,;.!?]+)"
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
                proptest::strategy::Just("you'll"), proptest::strategy::Just("HE'LL"),
                proptest::strategy::Just("that's"), proptest::strategy::Just("what"),
                proptest::strategy::Just("it's"), proptest::strategy::Just("a"),
                proptest::strategy::Just("rather"), proptest::strategy::Just("than"),
                proptest::strategy::Just("weigh"), proptest::strategy::Just("About"),
                proptest::strategy::Just("(aside)"), proptest::strategy::Just("-"),
                proptest::strategy::Just(" "), proptest::strategy::Just(""),
            ],
            0..14,
        )) {
            let x = words.join(" ");
            proptest::prop_assert_eq!(ascii_before_cuts(&x), before_cuts(&x));
        }
    }
}
