//! Evidence for the ICF PCC markers a supervisor listens for. Worded as
//! evidence for a person to judge, never as a score: ICF says the markers are
//! not a checklist.

use super::{Metrics, SentenceKind, TurnAnalysis};
use crate::transcript::{Role, Transcript};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MarkerEvidence {
    /// e.g. `3.1`.
    pub marker: &'static str,
    pub title: &'static str,
    /// Coach turns whose words are evidence for it.
    pub turns: Vec<usize>,
    /// Evidence from the session as a whole (talk share, question style).
    pub note: Option<String>,
}

/// (marker, what the coach does, patterns in a coach turn that are evidence).
const MARKERS: &[(&str, &str, &[&str])] = &[
    (
        "3.1",
        "identifies what the client wants from this session",
        &[
            r"what would you like (?:to (?:focus on|get|have|achieve|work on|explore|talk about|leave with)|from)",
            r"what do you want (?:to (?:get|focus|work)|from) (?:out of )?(?:today|this|our)",
            r"by the end of (?:this|our|today)",
            r"where would you like to (?:start|begin)",
            r"what(?:'s| is) (?:on your mind|most important to (?:talk about|focus on)) today",
        ],
    ),
    (
        "3.2",
        "defines measures of success for the session outcome",
        &[
            r"how will you know",
            r"what would (?:success|a good outcome|good) look like",
            r"what would tell you",
            r"how would you know",
        ],
    ),
    (
        "3.3",
        "explores what is important or meaningful to the client",
        &[
            r"what matters (?:most )?(?:to you|about)",
            r"what(?:'s| is) important (?:to you|about)",
            r"why (?:is|does) (?:this|that|it) (?:matter|important)",
            r"what(?:'s| is) at stake",
        ],
    ),
    (
        "3.4",
        "defines what the client needs to address",
        &[
            r"what (?:needs|would need) to (?:happen|change|shift)",
            r"what(?:'s| is| might| could) (?:get(?:ting)? )?in the way",
            r"what do you need to (?:address|resolve|tackle)",
        ],
    ),
    (
        "4.1",
        "acknowledges the client's talents, insights and work",
        &[
            r"you(?:'ve| have) (?:done|worked|put|made|come)",
            r"that took (?:courage|guts|effort)",
            r"i (?:appreciate|admire|respect) (?:how|your|that you)",
            r"you(?:'re| are) (?:clearly|really) (?:committed|thoughtful|honest)",
        ],
    ),
    (
        "4.3",
        "acknowledges the client's feelings, perceptions, beliefs",
        &[
            r"(?:that|it) sounds (?:hard|difficult|tough|painful|frustrating|exciting|scary|like a lot)",
            r"it makes sense (?:that|you)",
            r"there(?:'s| is) a lot of (?:energy|emotion|feeling)",
            r"of course you (?:feel|felt)",
        ],
    ),
    (
        "4.4",
        "invites the client to respond to the coach's contributions",
        &[
            r"what do you make of (?:that|this|it)",
            r"how does (?:that|this) (?:land|sit|sound|fit)",
            r"does (?:that|this) (?:resonate|fit)",
            r"what(?:'s| is) your (?:reaction|response|take)",
            r"may or may not",
        ],
    ),
    (
        "5.3",
        "supports the client to choose what happens in the session",
        &[
            r"where would you like to (?:go|take this)",
            r"what would be (?:most )?(?:useful|helpful)",
            r"what would you like to (?:explore|do) (?:next|now|with)",
            r"how would you like to (?:use|spend|proceed)",
        ],
    ),
    (
        "5.4",
        "shows curiosity to learn more about the client",
        &[
            r"tell me more",
            r"say more",
            r"what else",
            r"i(?:'m| am) curious",
            r"i wonder",
        ],
    ),
    (
        "6.2",
        "explores the words the client uses",
        &[
            r#"you said ["“]"#,
            r#"what does (?:that|the) word"#,
            r"what do you mean by",
            r#"when you say ["“]?"#,
            r"what does [\w'\s]{1,30} mean (?:to|for) you",
            r#"["“][^"”]{2,40}[.?!]?["”]\s*(?:what|how)"#,
        ],
    ),
    (
        "6.3",
        "explores the client's emotions",
        &[
            r"how (?:do|did) (?:you|that) feel",
            r"what are you feeling",
            r"what does (?:that|it) feel like",
            r"what(?:'s| is) the feeling",
            r"what are you noticing",
        ],
    ),
    (
        "6.5",
        "explores how the client perceives themself or their world",
        &[
            r"how do you see (?:yourself|it|that|this)",
            r"what does (?:that|this) say about",
            r"how (?:do|would) you describe yourself",
            r"what story are you telling",
        ],
    ),
    ("6.7", "reflects or summarizes", &[]),
    (
        "7.1",
        "asks about the client's thinking, feelings, values, needs, wants",
        &[
            r"what do you (?:think|want|need|believe|value|feel)",
            r"what(?:'s| is) the difference for you",
            r"what do you know about",
        ],
    ),
    (
        "7.2",
        "asks questions that help the client explore beyond current thinking",
        &[
            r"what becomes possible",
            r"how does (?:that|this) change",
            r"what if",
            r"what would [\w\s]{1,20} say",
            r"imagine",
            r"what else might",
            r"what might (?:be|happen)",
        ],
    ),
    (
        "7.5",
        "shares observations or ideas with no attachment, and invites exploration",
        &[
            r"i (?:notice|noticed|observe|observed)",
            r"i(?:'d| would) like to share (?:an|a|my) (?:observation|thought|idea)",
            r"my (?:sense|hunch|intuition) is",
            r"may or may not be",
        ],
    ),
    ("7.6", "asks clear, open questions, one at a time", &[]),
    ("7.8", "lets the client do most of the talking", &[]),
    (
        "8.1",
        "invites the client to explore progress toward the session outcome",
        &[
            r"how close are (?:you|we)",
            r"where are (?:you|we) now",
            r"what progress",
            r"how are we doing (?:on|with)",
        ],
    ),
    (
        "8.2",
        "invites the client to state their learning",
        &[
            r"what are you taking away",
            r"what have you (?:learned|learnt|discovered|noticed) (?:today|about)",
            r"what did you learn",
            r"what (?:insights|stands out)",
            r"what(?:'s| is) your (?:biggest )?takeaway",
            r"how will you use",
        ],
    ),
    (
        "8.5",
        "partners on post-session action, barriers and accountability",
        &[
            r"what will you do",
            r"by when",
            r"how would you like to be (?:accountable|held)",
            r"what support",
            r"what(?:'s| is) your (?:first|next) step",
            r"what might get in the way",
        ],
    ),
    (
        "8.8",
        "celebrates the client's progress and learning",
        &[
            r"congratulations",
            r"that(?:'s| is) a (?:big|real|huge) (?:step|shift|insight)",
            r"celebrate",
        ],
    ),
    (
        "8.9",
        "partners with the client on how to close the session",
        &[
            r"how would you like to (?:end|close|finish|wrap)",
            r"as we come to a close",
            r"before we (?:close|finish|end)",
        ],
    ),
];

/// Every marker pattern (through [`crate::rules::pattern`]) and the index in
/// [`MARKERS`] of its marker. They are searched in the same walk over each
/// coach sentence as the rules' phrase patterns (see `RuleSet::phrases`).
pub(crate) fn patterns() -> (Vec<String>, Vec<usize>) {
    MARKERS
        .iter()
        .enumerate()
        // Words the coach said, not the end of one: each starts a word.
        .flat_map(|(i, (_, _, pats))| {
            pats.iter()
                .map(move |p| (crate::rules::pattern(&format!(r"\b(?:{p})")), i))
        })
        .unzip()
}

/// Markers whose evidence must be a question, not a statement.
const QUESTION_ONLY: &[&str] = &["3.1", "3.2", "7.1", "8.2", "8.5"];

/// Notes in `bits` (bit `k` for index `k` of the marker table) that a
/// sentence of `kind` matched a pattern of marker `k`.
pub(crate) fn note(bits: &mut u64, k: usize, kind: SentenceKind) {
    const _: () = assert!(MARKERS.len() <= 64, "markers fit in the bit set");
    if kind == SentenceKind::Statement && QUESTION_ONLY.contains(&MARKERS[k].0) {
        return;
    }
    *bits |= 1 << k;
}

/// The evidence for every marker; `matched` holds each turn's bits from
/// [`note`] (0 for a client's turn).
pub(crate) fn collect(
    t: &Transcript,
    turns: &[TurnAnalysis],
    matched: &[u64],
    m: &Metrics,
) -> Vec<MarkerEvidence> {
    let mut evidence: Vec<Vec<usize>> = vec![Vec::new(); MARKERS.len()];
    for (i, turn) in t.turns.iter().enumerate() {
        if t.role(turn) != Role::Coach {
            continue;
        }
        let ta = &turns[i];
        let mut bits = matched[i];
        while bits != 0 {
            evidence[bits.trailing_zeros() as usize].push(i);
            bits &= bits - 1;
        }
        if ta.reflections > 0 {
            evidence[index_of("6.7")].push(i);
        }
        if ta.questions == 1 && ta.open_questions == 1 {
            evidence[index_of("7.6")].push(i);
        }
    }
    MARKERS
        .iter()
        .zip(evidence)
        .map(|(&(marker, title, _), turns)| MarkerEvidence {
            marker,
            title,
            turns,
            note: match marker {
                "7.6" => m
                    .open_question_share
                    .map(|s| format!("{:.0}% of the coach's questions were open", s * 100.0)),
                "7.8" => Some(format!(
                    "the coach spoke {:.0}% of the words",
                    m.coach_talk_share * 100.0
                )),
                _ => None,
            },
        })
        .collect()
}

fn index_of(marker: &str) -> usize {
    MARKERS
        .iter()
        .position(|(m, _, _)| *m == marker)
        .expect("known marker")
}

/// The marker's description, for `icf` codes in rule metadata.
pub fn marker_title(code: &str) -> Option<&'static str> {
    MARKERS
        .iter()
        .find(|(m, _, _)| *m == code)
        .map(|(_, t, _)| *t)
}

#[cfg(test)]
mod tests {
    use crate::{Config, analyze};

    /// The coach turns that are evidence for `marker` in `session`.
    fn evidence(session: &str, marker: &str) -> Vec<usize> {
        let a = analyze(session, &Config::default()).expect("parses");
        let m = a.markers.iter().find(|m| m.marker == marker).unwrap();
        m.turns.clone()
    }

    #[test]
    fn evidence_is_the_coachs_words_not_the_end_of_one() {
        let session = "Coach: Tell me more about the move.\n\
                       Client: We found a flat nearby.\n\
                       Coach: Somewhat elsewhere, then. You said \"hotel\" before.\n\
                       Client: Yes.\n\
                       Coach: What else is there?\n";
        // "what else" is a 5.4 phrase; "Somewhat elsewhere" holds its letters.
        assert_eq!(evidence(session, "5.4"), [0, 4]);
        let session =
            "Coach: We met nearby when it rained.\nClient: Ok.\nCoach: By when will you call?\n";
        assert_eq!(evidence(session, "8.5"), [2]);
    }
}
