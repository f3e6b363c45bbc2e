//! Session metrics: talk share, question ratio, open questions, reflections,
//! monologues, advice rate, and per-speaker figures.

use super::{Mode, Sentence, SentenceKind, TurnAnalysis};
use crate::finding::Category;
use crate::rules::RuleSet;
use crate::rules::phrase::Hit;
use crate::transcript::{Role, Transcript};
use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SpeakerMetrics {
    pub name: String,
    pub role: crate::Role,
    pub turns: usize,
    pub words: usize,
    /// Share of all words spoken, 0–1.
    pub talk_share: f64,
    /// Seconds spoken, where the format has timestamps.
    pub seconds: Option<f64>,
    pub questions: usize,
    pub open_questions: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub coach_turns: usize,
    pub client_turns: usize,
    pub coach_words: usize,
    pub client_words: usize,
    /// Coach share of the words spoken, 0–1.
    pub coach_talk_share: f64,
    /// Coach share of the time spoken, where timestamps exist.
    pub coach_time_share: Option<f64>,
    pub coach_questions: usize,
    pub coach_open_questions: usize,
    pub coach_statements: usize,
    /// Coach questions per coach statement; `None` with no statements.
    pub question_ratio: Option<f64>,
    /// Open questions among coach questions, 0–1; `None` with no questions.
    pub open_question_share: Option<f64>,
    pub reflections: usize,
    /// Reflections per question (MITI's R:Q); `None` with no questions.
    pub reflection_to_question: Option<f64>,
    /// The coach turn with the most words: (turn index, words); in JSON
    /// `{"turn": 12, "words": 140}`.
    #[serde(serialize_with = "serialize_monologue")]
    pub longest_monologue: Option<(usize, usize)>,
    /// Advice without permission per 100 coach turns.
    pub advice_per_100_turns: f64,
    pub advice: usize,
    pub advice_with_permission: usize,
    /// Judgemental (MITI "confront") sentences.
    pub confronting: usize,
    /// Coach turns in each conversation mode, in [`Mode::ALL`] order; in JSON an
    /// object keyed by mode.
    #[serde(serialize_with = "serialize_modes")]
    pub modes: Vec<(Mode, usize)>,
    /// Seconds from the first to the last timestamp.
    pub duration_seconds: Option<f64>,
    pub speakers: Vec<SpeakerMetrics>,
}

pub(crate) fn compute(
    t: &Transcript,
    turns: &[TurnAnalysis],
    sentences: &[Sentence],
    hits: &[Hit],
    rules: &RuleSet,
) -> Metrics {
    let mut m = Metrics {
        speakers: t
            .speakers
            .iter()
            .map(|s| SpeakerMetrics {
                name: s.name.clone(),
                role: s.role,
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let timed = t.turns.iter().all(|x| x.start_time.is_some());
    let mut coach_secs = 0.0;
    let mut all_secs = 0.0;
    for (i, turn) in t.turns.iter().enumerate() {
        let ta = &turns[i];
        let sp = &mut m.speakers[turn.speaker];
        sp.turns += 1;
        sp.words += ta.words;
        sp.questions += ta.questions;
        sp.open_questions += ta.open_questions;
        let secs = match (turn.start_time, turn.end_time) {
            (Some(a), Some(b)) if b >= a => Some(b - a),
            _ => None,
        };
        if timed {
            if let Some(s) = secs {
                *sp.seconds.get_or_insert(0.0) += s;
                all_secs += s;
                if t.role(turn) == Role::Coach {
                    coach_secs += s;
                }
            }
        }
        if t.role(turn) == Role::Coach {
            m.coach_turns += 1;
            m.coach_words += ta.words;
            m.coach_questions += ta.questions;
            m.coach_open_questions += ta.open_questions;
            m.reflections += ta.reflections;
            m.coach_statements += sentences[ta.sentences.clone()]
                .iter()
                .filter(|s| s.kind == SentenceKind::Statement)
                .count();
            if m.longest_monologue.is_none_or(|(_, w)| ta.words > w) {
                m.longest_monologue = Some((i, ta.words));
            }
        } else {
            m.client_turns += 1;
            m.client_words += ta.words;
        }
    }
    let total = m.coach_words + m.client_words;
    for sp in &mut m.speakers {
        sp.talk_share = ratio(sp.words, total).unwrap_or(0.0);
    }
    m.coach_talk_share = ratio(m.coach_words, total).unwrap_or(0.0);
    m.coach_time_share = (timed && all_secs > 0.0).then(|| coach_secs / all_secs);
    m.question_ratio = ratio(m.coach_questions, m.coach_statements);
    m.open_question_share = ratio(m.coach_open_questions, m.coach_questions);
    m.reflection_to_question = ratio(m.reflections, m.coach_questions);
    for h in hits {
        match rules.rules[h.matched_rule].meta.category {
            Category::Advice if h.permission => m.advice_with_permission += 1,
            Category::Advice => m.advice += 1,
            Category::Judgment => m.confronting += 1,
            _ => {}
        }
    }
    m.advice_per_100_turns = if m.coach_turns == 0 {
        0.0
    } else {
        100.0 * m.advice as f64 / m.coach_turns as f64
    };
    m.modes = Mode::ALL
        .into_iter()
        .map(|mode| (mode, turns.iter().filter(|x| x.mode == Some(mode)).count()))
        .collect();
    let first = t.turns.iter().find_map(|x| x.start_time);
    let last = t
        .turns
        .iter()
        .rev()
        .find_map(|x| x.end_time.or(x.start_time));
    m.duration_seconds = match (first, last) {
        (Some(a), Some(b)) if b > a => Some(b - a),
        _ => None,
    };
    m
}

fn serialize_monologue<S: serde::Serializer>(
    v: &Option<(usize, usize)>,
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Monologue {
        turn: usize,
        words: usize,
    }
    v.map(|(turn, words)| Monologue { turn, words })
        .serialize(s)
}

fn serialize_modes<S: serde::Serializer>(v: &[(Mode, usize)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(v.len()))?;
    for (mode, n) in v {
        m.serialize_entry(mode.as_str(), n)?;
    }
    m.end()
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}
