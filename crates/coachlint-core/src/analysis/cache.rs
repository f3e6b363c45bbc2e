//! Per-turn work, and the cache that keeps it between analyses of one
//! document. An edit changes one turn; the language server analyses the whole
//! transcript again, but only the turns whose words (or whose context: the
//! client's turn before, the coach's permission asked the turn before) changed
//! are worked out anew. Everything here is in turn-text coordinates, so it
//! stays valid when edits above move a turn.

use super::{Sentence, SentenceKind, markers, modes, sentence};
use crate::Span;
use crate::formats::{self, Format, ParseError, incremental};
use crate::rules::RuleSet;
use crate::rules::phrase::{self, TurnContext, TurnHit};
use crate::transcript::Transcript;
use rustc_hash::{FxHashMap as HashMap, FxHasher};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// What a turn's own words decide, whoever says them.
#[derive(Debug)]
pub(crate) struct TurnText {
    pub sentences: Vec<(Span, SentenceKind)>,
    pub words: usize,
}

impl TurnText {
    fn new(text: &str) -> TurnText {
        let sentences = sentence::split(text)
            .into_iter()
            .map(|span| {
                let s = &text[span.clone()];
                let kind = sentence::classify_words(s, &sentence::words_of(&sentence::lower(s)));
                (span, kind)
            })
            .collect();
        TurnText {
            sentences,
            words: sentence::word_count(text),
        }
    }
}

/// What a coach turn's words decide in their context.
#[derive(Debug)]
pub(crate) struct CoachWork {
    /// Parallel to the turn's sentences.
    pub reflections: Vec<bool>,
    pub hits: Vec<TurnHit>,
    /// Whether the turn asks permission to offer an idea (the next coach
    /// turn's context).
    pub asks_permission: bool,
    /// Conversation-mode cue scores, see [`modes::cue_scores`].
    pub cues: [u32; 7],
    /// ICF markers the turn is evidence for, see [`markers::matched`].
    pub markers: Vec<usize>,
}

/// The context of a coach turn, as the cache keys it.
pub(crate) struct CoachContext<'a> {
    /// The client's last turn, whose words a reflection echoes.
    pub last_client: Option<&'a str>,
    /// Phrase-rule context (permission, the client's own "I should…").
    pub rules: TurnContext<'a>,
}

impl CoachWork {
    fn new(rules: &RuleSet, text: &str, t: &TurnText, ctx: &CoachContext<'_>) -> CoachWork {
        let last_client = ctx.last_client.map(sentence::lower);
        let prev_words = last_client.as_deref().map(sentence::words_of);
        let sentences: Vec<Sentence> = t
            .sentences
            .iter()
            .map(|(span, kind)| {
                let lower = sentence::lower(&text[span.clone()]);
                let words = sentence::words_of(&lower);
                Sentence {
                    turn: 0,
                    span: span.clone(),
                    kind: *kind,
                    reflection: sentence::is_reflection_of(&words, *kind, prev_words.as_deref()),
                }
            })
            .collect();
        let (hits, asks_permission) = phrase::run_turn(rules, text, &sentences, ctx.rules);
        CoachWork {
            reflections: sentences.iter().map(|s| s.reflection).collect(),
            hits,
            asks_permission,
            cues: modes::cue_scores(text),
            markers: markers::matched(text, &sentences),
        }
    }
}

/// Turn work kept between analyses of one document; see the module docs. Pass
/// the same cache to [`super::analyze_cached`] for each version of a document.
/// It holds only what the last analysis used, so it never grows beyond one
/// version's turns.
#[derive(Debug, Default)]
pub struct TurnCache {
    /// The rules the coach work was computed with: other rules, other hits.
    rules: Option<Arc<RuleSet>>,
    // Each entry keeps the turn's text, to tell a hash collision from a hit.
    texts: HashMap<u64, (Box<str>, Arc<TurnText>)>,
    coach: HashMap<u64, (Box<str>, Arc<CoachWork>)>,
    next_texts: HashMap<u64, (Box<str>, Arc<TurnText>)>,
    next_coach: HashMap<u64, (Box<str>, Arc<CoachWork>)>,
    /// The last text parsed, the format it was asked for, and its transcript
    /// (before roles were assigned): the next version is this one edited.
    parsed: Option<(String, Option<Format>, Transcript)>,
    /// Coach turns reused and worked out anew by the last analysis.
    pub reused: usize,
    pub computed: usize,
}

fn key(parts: impl Hash) -> u64 {
    // Not DoS-resistant and need not be: the keys are the user's own transcript,
    // and a colliding turn text is caught by comparing it.
    let mut h = FxHasher::default();
    parts.hash(&mut h);
    h.finish()
}

impl TurnCache {
    pub(crate) fn begin(&mut self, rules: &Arc<RuleSet>) {
        if !self.rules.as_ref().is_some_and(|r| Arc::ptr_eq(r, rules)) {
            self.rules = Some(rules.clone());
            self.coach.clear();
        }
        self.reused = 0;
        self.computed = 0;
    }

    /// Drops what this analysis did not use.
    pub(crate) fn finish(&mut self) {
        self.texts = std::mem::take(&mut self.next_texts);
        self.coach = std::mem::take(&mut self.next_coach);
    }

    /// The transcript of `text`: the last one with the edit applied where
    /// [`incremental`] can, else parsed afresh.
    pub(crate) fn parse(
        &mut self,
        text: &str,
        format: Option<Format>,
    ) -> Result<Transcript, ParseError> {
        if let Some((last, f, t)) = &mut self.parsed
            && *f == format
            && incremental::apply_edit(last, t, text)
        {
            last.clear();
            last.push_str(text);
            return Ok(t.clone());
        }
        self.parsed = None;
        let t = formats::parse(text, format)?;
        self.parsed = Some((text.to_owned(), format, t.clone()));
        Ok(t)
    }

    pub(crate) fn text(&mut self, text: &str) -> Arc<TurnText> {
        let k = key(text);
        reuse(&mut self.texts, &mut self.next_texts, k, text, || {
            TurnText::new(text)
        })
        .0
    }

    pub(crate) fn coach(
        &mut self,
        rules: &RuleSet,
        text: &str,
        t: &TurnText,
        ctx: &CoachContext<'_>,
    ) -> Arc<CoachWork> {
        let k = key((
            text,
            ctx.last_client,
            ctx.rules.prev_client.is_some(),
            ctx.rules.prev_coach_asked,
        ));
        let (w, reused) = reuse(&mut self.coach, &mut self.next_coach, k, text, || {
            CoachWork::new(rules, text, t, ctx)
        });
        if reused {
            self.reused += 1;
        } else {
            self.computed += 1;
        }
        w
    }
}

/// The work keyed `k` for `text`: already used by this analysis (a turn said
/// twice), left by the last one, or made now; whether it was reused.
fn reuse<T>(
    last: &mut HashMap<u64, (Box<str>, Arc<T>)>,
    next: &mut HashMap<u64, (Box<str>, Arc<T>)>,
    k: u64,
    text: &str,
    make: impl FnOnce() -> T,
) -> (Arc<T>, bool) {
    if let Some((t, w)) = next.get(&k)
        && **t == *text
    {
        return (w.clone(), true);
    }
    let found = last.remove(&k).filter(|(t, _)| **t == *text);
    let reused = found.is_some();
    let (t, w) = found.unwrap_or_else(|| (text.into(), Arc::new(make())));
    next.insert(k, (t, w.clone()));
    (w, reused)
}

/// Where turn work comes from: a document's cache, or worked out afresh
/// (a one-off analysis pays for no hashing).
pub(crate) enum Source<'c> {
    Fresh,
    Cached(&'c mut TurnCache),
}

impl Source<'_> {
    pub(crate) fn parse(
        &mut self,
        text: &str,
        format: Option<Format>,
    ) -> Result<Transcript, ParseError> {
        match self {
            Source::Fresh => formats::parse(text, format),
            Source::Cached(c) => c.parse(text, format),
        }
    }

    pub(crate) fn text(&mut self, text: &str) -> Arc<TurnText> {
        match self {
            Source::Fresh => Arc::new(TurnText::new(text)),
            Source::Cached(c) => c.text(text),
        }
    }

    pub(crate) fn coach(
        &mut self,
        rules: &RuleSet,
        text: &str,
        t: &TurnText,
        ctx: &CoachContext<'_>,
    ) -> Arc<CoachWork> {
        match self {
            Source::Fresh => Arc::new(CoachWork::new(rules, text, t, ctx)),
            Source::Cached(c) => c.coach(rules, text, t, ctx),
        }
    }
}
