//! Structural rules: logic in Rust, metadata in the packs (`check = "name"`).

use super::RuleMeta;
use crate::Span;
use crate::analysis::{CoachSource, Metrics, Sentence, SentenceKind, TurnAnalysis};
use crate::config::Thresholds;
use crate::finding::Finding;
use crate::transcript::Transcript;
use regex::Regex;
use std::sync::{Arc, LazyLock};

/// What a check sees.
pub struct Ctx<'a> {
    pub transcript: &'a Transcript,
    /// The coach's turns, in order.
    pub coach_turns: &'a [usize],
    pub sentences: &'a [Sentence],
    pub turns: &'a [TurnAnalysis],
    pub metrics: &'a Metrics,
    pub thresholds: &'a Thresholds,
    pub coach_source: &'a CoachSource,
}

pub type CheckFn = fn(&Ctx<'_>, &Arc<RuleMeta>, &mut Vec<Finding>);

/// Every check, by the name packs refer to it with.
pub const CHECKS: &[(&str, CheckFn)] = &[
    ("coach-inferred", coach_inferred),
    ("stacked-questions", stacked_questions),
    ("closed-question-run", closed_question_run),
    ("low-question-ratio", low_question_ratio),
    ("no-question-stretch", no_question_stretch),
    ("coach-talk-share", coach_talk_share),
    ("long-monologue", long_monologue),
    ("no-session-outcome", no_session_outcome),
    ("no-learning-invited", no_learning_invited),
];

fn finding(rule: &Arc<RuleMeta>, span: Span, turn: Option<usize>, message: String) -> Finding {
    Finding {
        rule: rule.clone(),
        severity: rule.severity,
        span,
        focus: None,
        turn,
        message,
        rephrasings: Vec::new(),
        fixes: Vec::new(),
    }
}

impl Ctx<'_> {
    fn coach_turns(&self) -> impl DoubleEndedIterator<Item = usize> + '_ {
        self.coach_turns.iter().copied()
    }

    /// The speaker label of a turn (or its text when it has none).
    fn label_span(&self, turn: usize) -> Span {
        let t = &self.transcript.turns[turn];
        t.label.clone().unwrap_or_else(|| t.span())
    }

    fn sentence_span(&self, s: &Sentence) -> Span {
        self.transcript.turns[s.turn].source_span(s.span.clone())
    }

    /// Session-level findings sit on the coach's first speaker label.
    fn session_anchor(&self) -> Option<(usize, Span)> {
        let first = self.coach_turns().next()?;
        Some((first, self.label_span(first)))
    }
}

fn coach_inferred(ctx: &Ctx, rule: &Arc<RuleMeta>, out: &mut Vec<Finding>) {
    if *ctx.coach_source != CoachSource::Inferred {
        return;
    }
    let Some((turn, span)) = ctx.session_anchor() else {
        return;
    };
    let name = &ctx.transcript.speaker(&ctx.transcript.turns[turn]).name;
    out.push(finding(
        rule,
        span,
        Some(turn),
        format!("Guessed that {name} is the coach (asks the most questions); set `coach` in the front matter or `.coachlint.toml`, or pass `--coach`"),
    ));
}

/// How many questions a question sentence asks: its question clauses, or one.
fn questions_in(ctx: &Ctx, s: &Sentence) -> usize {
    let text = &ctx.transcript.turns[s.turn].text[s.span.clone()];
    crate::analysis::sentence::questions_asked(text)
}

fn stacked_questions(ctx: &Ctx, rule: &Arc<RuleMeta>, out: &mut Vec<Finding>) {
    let n = ctx.thresholds.stacked_questions.max(2);
    for i in ctx.coach_turns() {
        let ta = &ctx.turns[i];
        if ta.questions == 0 {
            continue;
        }
        // Stacked means back to back: the run of question sentences that
        // asks the most questions.
        let ss = &ctx.sentences[ta.sentences.clone()];
        let mut best: Option<(usize, usize, usize)> = None;
        let mut run: Option<(usize, usize)> = None;
        for (k, s) in ss.iter().enumerate() {
            if s.kind.is_question() {
                let (st, asked) = run.get_or_insert((k, 0));
                *asked += questions_in(ctx, s);
                if best.is_none_or(|(_, _, most)| *asked > most) {
                    best = Some((*st, k + 1, *asked));
                }
            } else {
                run = None;
            }
        }
        if let Some((a, b, asked)) = best.filter(|&(_, _, asked)| asked >= n) {
            let span = ctx.sentence_span(&ss[a]).start..ctx.sentence_span(&ss[b - 1]).end;
            out.push(finding(
                rule,
                span,
                Some(i),
                format!("{asked} questions in a row: ask one, then let the client answer"),
            ));
        }
    }
}

fn closed_question_run(ctx: &Ctx, rule: &Arc<RuleMeta>, out: &mut Vec<Finding>) {
    let n = ctx.thresholds.closed_question_run.max(2);
    let mut run: Vec<&Sentence> = Vec::new();
    let flush = |run: &mut Vec<&Sentence>, out: &mut Vec<Finding>| {
        if run.len() >= n {
            let span = ctx.sentence_span(run[0]).start..ctx.sentence_span(run[run.len() - 1]).end;
            out.push(finding(
                rule,
                span,
                Some(run[0].turn),
                format!(
                    "{} closed questions in a row: an open question invites the client to think",
                    run.len()
                ),
            ));
        }
        run.clear();
    };
    for i in ctx.coach_turns() {
        for s in &ctx.sentences[ctx.turns[i].sentences.clone()] {
            match s.kind {
                SentenceKind::ClosedQuestion => run.push(s),
                SentenceKind::OpenQuestion => flush(&mut run, out),
                SentenceKind::Statement => {}
            }
        }
    }
    flush(&mut run, out);
}

fn low_question_ratio(ctx: &Ctx, rule: &Arc<RuleMeta>, out: &mut Vec<Finding>) {
    let m = ctx.metrics;
    // Too few coach sentences to judge a ratio.
    if m.coach_questions + m.coach_statements < 6 {
        return;
    }
    let Some(r) = m.question_ratio else { return };
    if r >= ctx.thresholds.min_question_ratio {
        return;
    }
    let Some((turn, span)) = ctx.session_anchor() else {
        return;
    };
    out.push(finding(
        rule,
        span,
        Some(turn),
        format!(
            "The coach asked {} questions and made {} statements (ratio {:.2}, below {:.2})",
            m.coach_questions, m.coach_statements, r, ctx.thresholds.min_question_ratio
        ),
    ));
}

fn no_question_stretch(ctx: &Ctx, rule: &Arc<RuleMeta>, out: &mut Vec<Finding>) {
    let n = ctx.thresholds.no_question_run.max(2);
    let mut run: Vec<usize> = Vec::new();
    let flush = |run: &mut Vec<usize>, out: &mut Vec<Finding>| {
        if run.len() >= n {
            let t = &ctx.transcript.turns;
            let span = t[run[0]].span().start..t[run[run.len() - 1]].span().end;
            out.push(finding(
                rule,
                span,
                Some(run[0]),
                format!("{} coach turns in a row without a question", run.len()),
            ));
        }
        run.clear();
    };
    for i in ctx.coach_turns() {
        // A short acknowledgement ("Mm-hmm.") is listening, not telling.
        if ctx.turns[i].questions > 0 || ctx.turns[i].reflections > 0 {
            flush(&mut run, out);
        } else if ctx.turns[i].words > 3 {
            run.push(i);
        }
    }
    flush(&mut run, out);
}

fn coach_talk_share(ctx: &Ctx, rule: &Arc<RuleMeta>, out: &mut Vec<Finding>) {
    let m = ctx.metrics;
    if m.coach_words + m.client_words < 100 || m.coach_talk_share <= ctx.thresholds.max_talk_share {
        return;
    }
    let Some((turn, span)) = ctx.session_anchor() else {
        return;
    };
    out.push(finding(
        rule,
        span,
        Some(turn),
        format!(
            "The coach spoke {:.0}% of the words (above {:.0}%; 20–30% is the coaching range)",
            m.coach_talk_share * 100.0,
            ctx.thresholds.max_talk_share * 100.0
        ),
    ));
}

fn long_monologue(ctx: &Ctx, rule: &Arc<RuleMeta>, out: &mut Vec<Finding>) {
    let max = ctx.thresholds.max_monologue_words;
    for i in ctx.coach_turns() {
        let w = ctx.turns[i].words;
        if w > max {
            out.push(finding(
                rule,
                ctx.transcript.turns[i].span(),
                Some(i),
                format!("The coach spoke {w} words without a break (over {max})"),
            ));
        }
    }
}

/// Compiles the agreement checks' patterns ahead of the first session.
pub(crate) fn warm_up() {
    LazyLock::force(&OUTCOME);
    LazyLock::force(&LEARNING);
}

static OUTCOME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&crate::rules::pattern(r"\b(?:what would you like (?:to (?:focus on|get|have|achieve|work on|explore|talk about|leave with|take away)|from)|what do you want (?:to (?:get|focus|work)|from)|by the end of (?:this|our|today)|where would you like to (?:start|begin)|what(?:'s| is) on your mind|what would make (?:this|today|our time) (?:useful|valuable|worthwhile)|what(?:'s| is) most important (?:to (?:talk about|focus on|cover))|what should we (?:focus|work) on|what(?:'d| would) you like to (?:focus|work|talk))")).unwrap()
});
static LEARNING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&crate::rules::pattern(r"\b(?:what are you taking away|what (?:have|did) you (?:learn|learned|learnt|discover|discovered|notice|noticed|realise|realize|realised|realized)|what (?:insights?|stands out|has shifted|shifted)|what(?:'s| is) your (?:biggest |main |key )?(?:takeaway|learning|insight)|what will you take (?:away|from)|how will you use (?:this|what)|what are you (?:leaving|walking away) with)")).unwrap()
});

fn first_match(ctx: &Ctx, mut turns: impl Iterator<Item = usize>, re: &Regex) -> bool {
    turns.any(|i| re.is_match(&ctx.transcript.turns[i].text))
}

fn no_session_outcome(ctx: &Ctx, rule: &Arc<RuleMeta>, out: &mut Vec<Finding>) {
    let n = ctx.coach_turns().count();
    if n < 4 {
        return;
    }
    let w = n.min(ctx.thresholds.agreement_window.max(1));
    if first_match(ctx, ctx.coach_turns().take(w), &OUTCOME) {
        return;
    }
    let Some((first, span)) = ctx.session_anchor() else {
        return;
    };
    out.push(finding(
        rule,
        span,
        Some(first),
        format!("No question about what the client wants from the session in the coach's first {w} turns"),
    ));
}

fn no_learning_invited(ctx: &Ctx, rule: &Arc<RuleMeta>, out: &mut Vec<Finding>) {
    let n = ctx.coach_turns().count();
    if n < 4 {
        return;
    }
    let w = ctx.thresholds.agreement_window.max(1).min(n);
    if first_match(ctx, ctx.coach_turns().rev().take(w), &LEARNING) {
        return;
    }
    let Some(last) = ctx.coach_turns().next_back() else {
        return;
    };
    out.push(finding(
        rule,
        ctx.label_span(last),
        Some(last),
        format!(
            "No invitation to the client to state their learning in the coach's last {w} turns"
        ),
    ));
}
