//! Which conversation the coach is in, turn by turn: coaching, advising,
//! consulting, mentoring, teaching, therapy or managing.

use super::{Sentence, SentenceKind, TurnAnalysis};
use crate::finding::Category;
use crate::rules::RuleSet;
use crate::rules::pack::RuleKind;
use crate::rules::phrase::Hit;
use crate::transcript::{Role, Transcript};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Coaching,
    Advising,
    Consulting,
    Mentoring,
    Teaching,
    Therapy,
    Managing,
}

impl Mode {
    pub const ALL: [Mode; 7] = [
        Mode::Coaching,
        Mode::Advising,
        Mode::Consulting,
        Mode::Mentoring,
        Mode::Teaching,
        Mode::Therapy,
        Mode::Managing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Coaching => "coaching",
            Mode::Advising => "advising",
            Mode::Consulting => "consulting",
            Mode::Mentoring => "mentoring",
            Mode::Teaching => "teaching",
            Mode::Therapy => "therapy",
            Mode::Managing => "managing",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// What the helper does in this mode, for hovers and reports.
    pub fn description(self) -> &'static str {
        match self {
            Mode::Coaching => "asks, reflects and observes; the client chooses",
            Mode::Advising => "brings their own agenda: what I would do",
            Mode::Consulting => "defines the problem and the solution for the client",
            Mode::Mentoring => "offers their own path as the model",
            Mode::Teaching => "presents a curriculum, the same for everyone",
            Mode::Therapy => "works on the past to explain the present",
            Mode::Managing => "sets the task and owns the results",
        }
    }
}

/// Cue phrases of the other conversations (through [`crate::rules::pattern`])
/// and the mode of each. They are searched in the same walk over each coach
/// sentence as the rules' phrase patterns (see `RuleSet::phrases`).
pub(crate) fn cue_patterns() -> (Vec<String>, Vec<Mode>) {
    let cue = |mode, p: &str| (crate::rules::pattern(p), mode);
    [
        cue(
            Mode::Consulting,
            r"\b(?:the (?:real )?(?:problem|issue) (?:here )?is|here'?s the plan|the solution is|what you need is|the answer is|the key is|the fix is|step one is|first,? you (?:need|have|should)|you(?:'re| are) (?:overthinking|overcomplicating)|the way to (?:do|handle|fix) (?:this|it) is)",
        ),
        cue(
            Mode::Teaching,
            r"\b(?:there are (?:two|three|four|five|several|\d+) (?:steps|ways|stages|things|types|principles|kinds)|the (?:model|framework|research|theory|literature) (?:says|shows|tells us)|let me explain|research (?:shows|says)|studies (?:show|say)|the way (?:it|this) works is|a (?:useful |simple )?(?:framework|model) (?:for|is)|it'?s called|by definition|the (?:first|second|third) (?:step|principle|stage) is)",
        ),
        cue(
            Mode::Therapy,
            r"\b(?:childhood|growing up|as a (?:child|kid)|your (?:parents|mother|father|mum|mom|dad|upbringing)|where does (?:that|this) come from|back then|trauma|when you were (?:young|little|a child)|how did (?:that|it) make you feel (?:back then|as a)|your past)",
        ),
        cue(
            Mode::Managing,
            r"\b(?:i need you to|i expect you to|the deadline is|your targets?|by (?:monday|tuesday|wednesday|thursday|friday|tomorrow|end of (?:day|week)),? i (?:want|need|expect)|i want (?:this|that|it) (?:done|on my desk)|you(?:'re| are) (?:responsible|accountable) for|your (?:kpis?|objectives|performance review)|that'?s (?:not )?acceptable)",
        ),
    ]
    .into_iter()
    .unzip()
}

/// What a coach turn's words say about the conversation, before the rules'
/// hits and the questions are counted: scores indexed by `Mode as usize`,
/// from the modes of the cues its sentences match (each cue once).
pub(crate) fn cue_scores(cues: impl Iterator<Item = Mode>) -> [u32; 7] {
    let mut score = [0u32; 7];
    for mode in cues {
        score[mode as usize] += 3;
    }
    score
}

/// Sets each coach turn's mode; `cues` holds [`cue_scores`] for every turn.
pub(crate) fn assign(
    t: &Transcript,
    turns: &mut [TurnAnalysis],
    sentences: &[Sentence],
    hits: &[Hit],
    rules: &RuleSet,
    cues: &[[u32; 7]],
) {
    let mut hit_idx = 0;
    // Sentences the rules flagged are not coaching moves, whatever their form.
    let mut flagged: Vec<usize> = Vec::new();
    for (ti, turn) in t.turns.iter().enumerate() {
        if t.role(turn) != Role::Coach {
            continue;
        }
        let mut score = cues[ti];
        while hit_idx < hits.len() && hits[hit_idx].turn < ti {
            hit_idx += 1;
        }
        flagged.clear();
        let mut j = hit_idx;
        while j < hits.len() && hits[j].turn == ti {
            let rule = &rules.rules[hits[j].matched_rule];
            let mode = match &rule.kind {
                RuleKind::Phrase(p) => p.mode,
                _ => None,
            }
            .or(match rule.meta.category {
                Category::Advice | Category::Leading => Some(Mode::Advising),
                Category::Mentoring => Some(Mode::Mentoring),
                Category::Judgment => Some(Mode::Consulting),
                _ => None,
            });
            if let Some(m) = mode {
                score[m as usize] += 3;
            }
            flagged.push(hits[j].sentence);
            j += 1;
        }
        // Open questions and reflections are the coaching conversation's own moves.
        let ta = &turns[ti];
        for (si, s) in sentences[ta.sentences.clone()].iter().enumerate() {
            if flagged.contains(&(ta.sentences.start + si)) {
                continue;
            }
            score[Mode::Coaching as usize] += match s.kind {
                SentenceKind::OpenQuestion => 2,
                SentenceKind::ClosedQuestion => 1,
                SentenceKind::Statement => s.reflection as u32,
            };
        }
        let best = Mode::ALL
            .into_iter()
            .max_by_key(|&m| (score[m as usize], m == Mode::Coaching))
            .unwrap_or(Mode::Coaching);
        turns[ti].mode = Some(if score[best as usize] == 0 {
            Mode::Coaching
        } else {
            best
        });
    }
}
