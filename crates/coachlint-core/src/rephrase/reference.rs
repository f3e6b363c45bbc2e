//! The rephrasing as it was first written, every capture through `regex`: the
//! general path the fast paths in the parent module are tested against.

use super::{
    RephraseStyle, after_to, always_question, before_cuts, before_than, gerund_phrase, is_action,
    might_happen, suggestion_question, swap_person,
};
use crate::Span;
use regex::{Captures, Regex};
use std::sync::LazyLock;

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(&crate::rules::pattern(&$pat)).unwrap());
    };
}

const ADVERBS: &str = r"(?:(?:really|definitely|probably|just|absolutely|seriously|honestly|totally|maybe|perhaps|also|actually|first|simply|at least|always)\s+)*";

re!(
    MODAL,
    format!(
        r"\byou(?: two| both| all| guys)?(?:'d| would)?\s+{ADVERBS}(?<neg>shouldn't|should not|mustn't|must not|don't need to|don't have to|don't want to|better not|'d better not|had better not)?(?:should|ought to|must|need to|have to|'ve got to|got to|gotta|had better|'d better|better|could|(?:might|may) (?:also |even |just )?want to|might try|want to|might|may|can)?\s*{ADVERBS}(?<x>[^,;.!?]+)"
    )
);
re!(
    IF_I_WERE_YOU,
    format!(
        r"\b(?:if i were you|if it were me|in your (?:shoes|position|place)|if i was you)\b,?\s*(?:i(?:'d| would)\s+{ADVERBS}(?<x>[^,;.!?]+))?"
    )
);
re!(
    I_WOULD,
    format!(r"\bi(?:'d| would)\s+{ADVERBS}(?<x>[^,;.!?]+)")
);
re!(
    SUGGESTION,
    format!(
        r"\b(?:{})\s*(?:to\s+)?{ADVERBS}(?<x>[^,;.!?]+)",
        super::SUGGESTED
    )
);
re!(
    ADVICE_Q,
    r"\b(?:have you (?:tried|thought (?:about|of)|considered|looked (?:into|at)|explored)|did you (?:try|think (?:about|of)|consider)|what about|how about|why don't you|why not|could you (?:just|not)|couldn't you|can't you just)\s*(?<x>[^,;.!?]*)"
);
re!(
    WHY,
    r"\bwhy\s+(?<aux>did|do|does|would|didn't|don't|doesn't|are|aren't|were|weren't|is|isn't|was|wasn't|should|have|haven't|can't|won't|will)\s+(?<subj>you|he|she|they|we|it|that|this)\s+(?:even\s+|just\s+|still\s+)?(?<x>[^,;.!?]*)"
);
re!(
    WOULDNT_BETTER,
    r"\b(?:wouldn't it be (?:better|easier|smarter|good) (?:to|if you)|shouldn't you|isn't it (?:better|time) to)\s+(?<x>[^,;.!?]+)"
);
re!(
    ALWAYS,
    r"\byou(?<are>'re| are)?\s+(?<adv>always|never|constantly|keep)\s+(?<x>[^,;.!?]+)"
);
re!(
    OVERTHINK,
    r"\byou(?:'re| are)\s+(?:\w+\s+)?overthinking\s+(?<x>this|it|that|things)"
);
re!(EXCUSE, r"\bexcuses?\b");
re!(
    RIGHT_DECISION,
    r"\b(?:that(?:'s| is)|this is|it(?:'s| is)) (?:the|a) (?:right|correct|good|great|smart|best|wise) (?<x>decision|choice|call|move|answer|idea|plan|step)"
);
re!(
    SHOULDNT_HAVE,
    r"\byou (?:shouldn't|should not|should never) have\s+(?<x>[^,;.!?]+)"
);

/// Up to three open questions to ask instead of `sentence`, best first;
/// `matched` is the range of the words the rule saw.
pub fn rephrase(style: RephraseStyle, sentence: &str, matched: Span) -> Vec<String> {
    let from = &sentence[matched.start.min(sentence.len())..];
    let seen = matched
        .end
        .min(sentence.len())
        .saturating_sub(matched.start);
    let mut out: Vec<String> = Vec::new();
    let mut push = |q: String| {
        if !out.contains(&q) && out.len() < 3 {
            out.push(q);
        }
    };
    match style {
        RephraseStyle::None => {}
        RephraseStyle::Modal => {
            let built = MODAL.captures(from).is_some_and(|c| {
                c.get(0).unwrap().start() <= seen && modal_questions(&c, &mut push)
            });
            if !built
                && let Some(c) = SUGGESTION.captures(from)
                && c.get(0).unwrap().start() <= seen
            {
                suggestion(from, &c, &mut push);
            }
            push("What options do you see?".into());
        }
        RephraseStyle::IfIWereYou => {
            push("What would you like to do?".into());
            let x = IF_I_WERE_YOU
                .captures(from)
                .and_then(|c| c.name("x").map(|m| m.as_str().to_owned()))
                .or_else(|| I_WOULD.captures(sentence).map(|c| c["x"].to_owned()));
            // "what I would do if I were you": the clause after "if" is not the action.
            let x = x.map(|x| match x.to_ascii_lowercase().find(" if ") {
                Some(i) => x[..i].to_owned(),
                None => x,
            });
            if let Some(x) = x.as_deref().and_then(action) {
                suggestion_question(&swap_person(&x), true, &mut |q: std::borrow::Cow<
                    'static,
                    str,
                >| {
                    push(q.into_owned())
                });
            }
            push("What options do you see?".into());
        }
        RephraseStyle::Suggestion => {
            if let Some(c) = SUGGESTION.captures(from) {
                suggestion(from, &c, &mut push);
            }
            push("What options do you see?".into());
        }
        RephraseStyle::Imperative => {
            let core = strip_openers(sentence);
            let (neg, rest) = match core.split_once(char::is_whitespace) {
                Some((w, r))
                    if matches!(
                        w.to_lowercase().replace('’', "'").as_str(),
                        "don't" | "never"
                    ) =>
                {
                    (true, r)
                }
                Some((w, r))
                    if w.eq_ignore_ascii_case("do") && r.to_lowercase().starts_with("not ") =>
                {
                    (true, &r[4..])
                }
                Some((w, r))
                    if w.eq_ignore_ascii_case("do") && crate::model::stressed_verb(r).is_some() =>
                {
                    (false, r)
                }
                _ => (false, core),
            };
            if let Some(x) = action(rest) {
                let x = lower_first(&x);
                if neg {
                    push(might_happen(&x));
                } else {
                    push(format!("What would it take to {x}?"));
                }
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
                if let Some(x) = ADVICE_Q
                    .captures(from)
                    .and_then(|c| action(&c["x"]))
                    .filter(|x| !super::names(x))
                {
                    push(format!("What would it take to {x}?"));
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
            if let Some(c) = WHY.captures(from) {
                let aux = c["aux"].to_lowercase().replace('’', "'");
                let subj = c["subj"].to_lowercase();
                let x = action(&c["x"]);
                match (aux.as_str(), subj.as_str(), x) {
                    ("did", "you", Some(x)) => push(format!("What led you to {x}?")),
                    ("do" | "would", "you", Some(x)) => push(format!("What leads you to {x}?")),
                    ("didn't" | "don't" | "haven't" | "can't" | "won't", "you", Some(x)) => {
                        push(format!("What got in the way of {}?", gerund_phrase(&x)))
                    }
                    _ => {}
                }
            }
            push("What led to that?".into());
        }
        RephraseStyle::Leading => {
            if let Some(x) = WOULDNT_BETTER
                .captures(from)
                .and_then(|c| action(before_than(&c["x"])))
            {
                push(format!("What would it be like to {x}?"));
            }
            let lower = sentence.to_lowercase();
            if lower.trim_end_matches(['?', ' ']).ends_with("right") {
                push("What will you do next?".into());
            }
            push("How do you see it?".into());
            push("What options do you see?".into());
        }
        RephraseStyle::Judgment => {
            if let Some(c) = OVERTHINK.captures(sentence) {
                push(format!(
                    "What do you make of how much thought you're giving {}?",
                    &c["x"].to_lowercase()
                ));
            }
            if let Some(c) = ALWAYS.captures(sentence) {
                let adv = c["adv"].to_lowercase();
                if let Some(x) = action(&c["x"]) {
                    push(always_question(&adv, c.name("are").is_some(), &x));
                }
            }
            if let Some(c) = SHOULDNT_HAVE.captures(sentence) {
                if let Some(x) = action(&c["x"]) {
                    push(format!("Looking back, what do you make of having {x}?"));
                }
                push("What would you do differently next time?".into());
            }
            if EXCUSE.is_match(sentence) {
                push("What's getting in the way?".into());
            }
            push("How do you see it?".into());
        }
        RephraseStyle::Praise => {
            if let Some(c) = RIGHT_DECISION.captures(sentence) {
                push(format!(
                    "What makes this the right {} for you?",
                    c["x"].to_lowercase()
                ));
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

/// The question for the action SUGGESTION captured in `from`.
fn suggestion(from: &str, c: &Captures, push: &mut impl FnMut(String)) {
    let Some(x) = action(&c["x"]) else { return };
    let before = &from[c.get(0).unwrap().start()..c.name("x").unwrap().start()];
    suggestion_question(&x, after_to(before), &mut |q: std::borrow::Cow<
        'static,
        str,
    >| { push(q.into_owned()) });
}

fn modal_questions(c: &Captures, push: &mut impl FnMut(String)) -> bool {
    let x = match super::needs_noun(&c["x"]) {
        Some(thing) => format!("have {thing}"),
        None => c["x"].to_owned(),
    };
    let Some(x) = action(&x) else {
        return false;
    };
    if c.name("neg").is_some() {
        push(might_happen(&x));
    } else {
        suggestion_question(&x, true, &mut |q: std::borrow::Cow<'static, str>| {
            push(q.into_owned())
        });
    }
    true
}

/// The action phrase of a clause, trimmed to its first part: "go for it" from
/// "go for it and then see". `None` when too short or too long to reuse.
fn action(x: &str) -> Option<String> {
    let mut x = x.trim();
    if let Some(i) = x.find([',', ';', '.', '!', '?']) {
        x = &x[..i];
    }
    let x = before_cuts(x);
    let x = x
        .trim()
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .trim();
    let n = x.split_whitespace().count();
    if n == 0 || n > 14 {
        return None;
    }
    // A lone auxiliary ("you should be") is no action to ask about.
    if n == 1
        && matches!(
            x.to_lowercase().as_str(),
            "be" | "do" | "have" | "get" | "go"
        )
    {
        return None;
    }
    is_action(x).then(|| x.to_owned())
}

fn strip_openers(s: &str) -> &str {
    let mut s = super::trim_bullet(s);
    loop {
        let mut changed = false;
        for o in super::OPENERS {
            if let Some(rest) = super::strip_prefix_lower(s, o) {
                s = rest.trim_start();
                changed = true;
            }
        }
        if !changed {
            return s;
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Keep "I" and all-caps words ("HR") as written.
        Some(f)
            if s.starts_with("I ")
                || s.split_whitespace()
                    .next()
                    .is_some_and(|w| w.len() > 1 && w.chars().all(|c| c.is_uppercase())) =>
        {
            let _ = f;
            s.to_owned()
        }
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
