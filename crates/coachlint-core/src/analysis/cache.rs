//! Per-turn work, and the cache that keeps it between analyses of one
//! document. An edit changes one turn; the language server analyses the whole
//! transcript again, but only the turns whose words (or whose context: the
//! client's turn before, the coach's permission asked the turn before) changed
//! are worked out anew. Everything here is in turn-text coordinates, so it
//! stays valid when edits above move a turn.

use super::{Sentence, SentenceKind, modes, sentence};
use crate::Span;
use crate::formats::{self, Format, ParseError, incremental};
use crate::rules::RuleSet;
use crate::rules::phrase::{self, TurnContext, TurnHit};
use crate::transcript::Transcript;
use rustc_hash::{FxHashMap as HashMap, FxHasher};
use smallvec::SmallVec;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// What a turn's own words decide, whoever says them.
#[derive(Debug)]
pub(crate) struct TurnText {
    /// Most turns are a sentence or two: kept inline.
    pub sentences: SmallVec<[(Span, SentenceKind); 2]>,
    pub words: usize,
}

impl TurnText {
    /// The turn's sentences and kinds, and where in `words` the words they
    /// were judged by went.
    fn new(text: &str, words: &mut Words) -> (TurnText, WordsAt) {
        let mut sentences = SmallVec::new();
        let (at, count) = words.build(text, None, |span, words| {
            let kind = sentence::classify_words(&text[span.clone()], words);
            sentences.push((span, kind));
        });
        // Kept in the cache: no room to spare in a turn of many sentences.
        sentences.shrink_to_fit();
        let t = TurnText {
            sentences,
            words: count,
        };
        (t, at)
    }
}

/// Turns [`sentence::lower`]-cased and their sentences split into
/// [`sentence::words_of`] them, once per analysis: the sentence kinds, the
/// reflections and the next coach turn's echo check all read them. All the
/// turns' words are kept in two buffers, so a turn allocates nothing for them.
/// Not kept in the [`TurnCache`] (it would about double its memory): a cached
/// turn whose words are needed again splits them anew.
#[derive(Default)]
pub(crate) struct Words {
    /// The turns lower-cased (char by char, so each sentence's
    /// [`sentence::lower`] is a range of it), one after another.
    lower: String,
    /// For each turn, byte ranges of its part of `lower`: its words, then
    /// where each sentence's words end.
    words: Vec<(usize, usize)>,
}

/// Where a turn's words are in [`Words`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct WordsAt {
    lower: (usize, usize),
    first: usize,
    n: usize,
    sentences: usize,
    /// Whether the words of the whole turn lower-cased are the sentences'
    /// words one after another: text outside the sentences is whitespace, so
    /// they are unless two sentences touch ("ok?Next" is one word of the turn).
    whole: bool,
}

/// One turn's [`Words`].
pub(crate) struct TurnWords<'a> {
    /// The turn lower-cased.
    lower: &'a str,
    /// Byte ranges of `lower`, the `n` words, then where each sentence's
    /// words end.
    words: &'a [(usize, usize)],
    n: usize,
    whole: bool,
}

/// A sentence's words as strings, for [`Words::build`]'s callers: on the
/// stack unless the sentence is long.
const INLINE_WORDS: usize = 32;

impl Words {
    /// Room for turns of `bytes` in all, of about five bytes a word.
    pub(crate) fn with_capacity(bytes: usize) -> Words {
        Words {
            lower: String::with_capacity(bytes),
            words: Vec::with_capacity(bytes / 4),
        }
    }

    /// Adds the words of `text`, whose sentences are `spans` (as
    /// [`sentence::split`] gives them).
    pub(crate) fn add(&mut self, text: &str, spans: &[Span]) -> WordsAt {
        self.build(text, Some(spans), |_, _| {}).0
    }

    /// The words of a turn added before.
    pub(crate) fn get(&self, at: WordsAt) -> TurnWords<'_> {
        TurnWords {
            lower: &self.lower[at.lower.0..at.lower.1],
            words: &self.words[at.first..at.first + at.n + at.sentences],
            n: at.n,
            whole: at.whole,
        }
    }

    /// Adds the words of the sentences `spans` of `text`, or of
    /// [`sentence::split`] `text` when `None`; with [`sentence::word_count`]
    /// of `text`. `each` is called with each sentence and its words, in order.
    fn build(
        &mut self,
        text: &str,
        spans: Option<&[Span]>,
        mut each: impl FnMut(Span, &[&str]),
    ) -> (WordsAt, usize) {
        let Words { lower, words } = self;
        let base = lower.len();
        let first = words.len();
        // ASCII text keeps its offsets lower-cased: lowered at once. Other
        // text is lowered sentence by sentence, to know where each went.
        let ascii = text.is_ascii();
        if ascii {
            lower.push_str(text);
            lower[base..].make_ascii_lowercase();
        }
        let mut done = 0;
        // Where each sentence's words end: few sentences a turn.
        let mut ends = [0; 16];
        let mut more_ends = Vec::new();
        let mut sentences = 0;
        // Whether each sentence starts after the last one ends.
        let mut whole = true;
        let mut last_end = None;
        // [`sentence::word_count`] of ASCII text without brackets (so without
        // annotations): the whitespace-separated tokens that hold a letter or
        // digit, so a word with one, there being whitespace since the last.
        // Typographic apostrophes lowered are ASCII ones, and the words of
        // ASCII are split (and counted) byte by byte: no char lowered to
        // ASCII is whitespace, a bracket or a letter or digit where it was
        // not one, so the words counted are the same.
        let mut tokens = 0;
        let mut gap = true;
        let mut ascii_words = true;
        let mut sentence = |span: Span| {
            // The sentence's range of `lower`.
            let r = if ascii {
                base + span.start..base + span.end
            } else {
                sentence::lower_into(&text[done..span.start], lower);
                let start = lower.len();
                sentence::lower_into(&text[span.clone()], lower);
                done = span.end;
                start..lower.len()
            };
            // Only whitespace stands between sentences.
            let apart = last_end.is_none_or(|e| e < span.start);
            whole &= apart;
            gap |= apart;
            last_end = Some(span.end);
            let w0 = words.len();
            let turn = &lower[base..];
            let at = r.start - base;
            let l = &turn[at..r.end - base];
            if ascii || l.is_ascii() {
                gap |= sentence::ascii_word_spans(l.as_bytes(), |s, e, space, alnum| {
                    words.push((at + s, at + e));
                    gap |= space;
                    if alnum {
                        tokens += gap as usize;
                        gap = false;
                    }
                });
            } else {
                ascii_words = false;
                let p = turn.as_ptr() as usize;
                sentence::for_each_word(l, |w| {
                    let s = w.as_ptr() as usize - p;
                    words.push((s, s + w.len()));
                });
            }
            match ends.get_mut(sentences) {
                Some(e) => *e = words.len() - first,
                None => more_ends.push(words.len() - first),
            }
            sentences += 1;
            let ws = &words[w0..];
            let mut inline = [""; INLINE_WORDS];
            if ws.len() <= INLINE_WORDS {
                for (w, &(s, e)) in inline.iter_mut().zip(ws) {
                    *w = &turn[s..e];
                }
                each(span, &inline[..ws.len()]);
            } else {
                let all: Vec<&str> = ws.iter().map(|&(s, e)| &turn[s..e]).collect();
                each(span, &all);
            }
        };
        match spans {
            Some(spans) => spans.iter().for_each(|s| sentence(s.clone())),
            None => sentence::for_each_sentence(text, sentence),
        }
        if !ascii {
            sentence::lower_into(&text[done..], lower);
        }
        let n = words.len() - first;
        let count = if ascii_words && memchr::memchr2(b'[', b'(', text.as_bytes()).is_none() {
            tokens
        } else {
            sentence::word_count(text)
        };
        let inline = sentences.min(ends.len());
        words.extend(ends[..inline].iter().chain(&more_ends).map(|&e| (e, 0)));
        let at = WordsAt {
            lower: (base, lower.len()),
            first,
            n,
            sentences,
            whole,
        };
        (at, count)
    }
}

/// Words as strings: on the stack unless there are many.
pub(crate) type WordList<'a> = SmallVec<[&'a str; 64]>;

impl<'a> TurnWords<'a> {
    /// Every sentence's words, one sentence after another.
    #[cfg(test)]
    pub(crate) fn all(&self) -> WordList<'a> {
        self.words[..self.n]
            .iter()
            .map(|&(s, e)| &self.lower[s..e])
            .collect()
    }

    /// Pushes sentence `k`'s words onto `out`.
    pub(crate) fn sentence_words(&self, k: usize, out: &mut WordList<'a>) {
        let lower = self.lower;
        out.extend(
            self.words[self.sentence(k)]
                .iter()
                .map(|&(s, e)| &lower[s..e]),
        );
    }

    /// Sentence `k`'s range of the turn's words (`TurnWords::all` in tests).
    pub(crate) fn sentence(&self, k: usize) -> std::ops::Range<usize> {
        let start = if k == 0 {
            0
        } else {
            self.words[self.n + k - 1].0
        };
        start..self.words[self.n + k].0
    }

    /// Pushes [`sentence::words_of`] the whole turn lower-cased onto `out`.
    pub(crate) fn turn_into(&self, out: &mut WordList<'a>) {
        if self.whole {
            let lower = self.lower;
            out.extend(self.words[..self.n].iter().map(|&(s, e)| &lower[s..e]));
        } else {
            sentence::for_each_word(self.lower, |w| out.push(w));
        }
    }

    /// [`TurnWords::turn_into`] a new list.
    #[cfg(test)]
    pub(crate) fn turn(&self) -> WordList<'a> {
        let mut out = WordList::new();
        self.turn_into(&mut out);
        out
    }
}

/// What a coach turn's words decide in their context.
#[derive(Debug)]
pub(crate) struct CoachWork {
    /// Parallel to the turn's sentences (few: kept inline).
    pub reflections: SmallVec<[bool; 16]>,
    pub hits: Vec<TurnHit>,
    /// Whether the turn asks permission to offer an idea (the next coach
    /// turn's context).
    pub asks_permission: bool,
    /// Conversation-mode cue scores, see [`modes::cue_scores`].
    pub cues: [u32; 7],
    /// ICF markers the turn is evidence for, see [`phrase::run_turn`].
    pub markers: u64,
}

/// The context of a coach turn, as the cache keys it.
pub(crate) struct CoachContext<'a> {
    /// The client's last turn, whose words a reflection echoes.
    pub last_client: Option<&'a str>,
    /// Phrase-rule context (permission, the client's own "I should…").
    pub rules: TurnContext<'a>,
}

impl CoachWork {
    /// `words` are the turn's, `last_client` those of `ctx.last_client`.
    pub(crate) fn new(
        rules: &RuleSet,
        text: &str,
        t: &TurnText,
        words: &TurnWords,
        last_client: Option<&TurnWords>,
        ctx: &CoachContext<'_>,
    ) -> CoachWork {
        // A question is never a reflection: the words are read back (the
        // sentence's, and the client's turn's once) only for a statement.
        let mut own = WordList::new();
        let mut prev = WordList::new();
        let mut prev_read = false;
        let sentences: SmallVec<[Sentence; 8]> = t
            .sentences
            .iter()
            .enumerate()
            .map(|(k, (span, kind))| Sentence {
                turn: 0,
                span: span.clone(),
                kind: *kind,
                reflection: !kind.is_question() && {
                    own.clear();
                    words.sentence_words(k, &mut own);
                    if let Some(client) = last_client.filter(|_| !prev_read) {
                        client.turn_into(&mut prev);
                        prev_read = true;
                    }
                    sentence::is_reflection_of(&own, *kind, last_client.map(|_| &prev[..]))
                },
            })
            .collect();
        let (hits, scan) = phrase::run_turn(rules, text, &sentences, ctx.rules);
        CoachWork {
            reflections: sentences.iter().map(|s| s.reflection).collect(),
            hits,
            asks_permission: scan.asks_permission,
            cues: modes::cue_scores(
                (0..rules.cue_mode.len())
                    .filter(|k| scan.cues & (1 << k) != 0)
                    .map(|k| rules.cue_mode[k]),
            ),
            markers: scan.markers,
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

    /// The turn's [`TurnText`], and where its words went in `words` when it
    /// was worked out now.
    pub(crate) fn text(
        &mut self,
        text: &str,
        words: &mut Words,
    ) -> (Arc<TurnText>, Option<WordsAt>) {
        let k = key(text);
        let mut at = None;
        let (t, _) = reuse(&mut self.texts, &mut self.next_texts, k, text, || {
            let (t, w) = TurnText::new(text, words);
            at = Some(w);
            t
        });
        (t, at)
    }

    /// The work on a coach turn, made by `make` unless the cache has it.
    pub(crate) fn coach(
        &mut self,
        text: &str,
        ctx: &CoachContext<'_>,
        make: impl FnOnce() -> CoachWork,
    ) -> Arc<CoachWork> {
        let k = key((
            text,
            ctx.last_client,
            ctx.rules.prev_client.is_some(),
            ctx.rules.prev_coach_asked,
        ));
        let (w, reused) = reuse(&mut self.coach, &mut self.next_coach, k, text, make);
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

/// Turn work as an analysis holds it: its own when worked out afresh (no
/// reference count to allocate and free per turn), shared with the cache
/// otherwise.
pub(crate) enum Work<T> {
    Own(T),
    Shared(Arc<T>),
}

impl<T> std::ops::Deref for Work<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self {
            Work::Own(t) => t,
            Work::Shared(t) => t,
        }
    }
}

impl<T> Work<T> {
    /// The work, if nothing else holds it (its parts can then be moved out).
    pub(crate) fn get_mut(&mut self) -> Option<&mut T> {
        match self {
            Work::Own(t) => Some(t),
            Work::Shared(t) => Arc::get_mut(t),
        }
    }
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

    /// See [`TurnCache::text`].
    pub(crate) fn text(
        &mut self,
        text: &str,
        words: &mut Words,
    ) -> (Work<TurnText>, Option<WordsAt>) {
        match self {
            Source::Fresh => {
                let (t, w) = TurnText::new(text, words);
                (Work::Own(t), Some(w))
            }
            Source::Cached(c) => {
                let (t, w) = c.text(text, words);
                (Work::Shared(t), w)
            }
        }
    }

    /// See [`TurnCache::coach`].
    pub(crate) fn coach(
        &mut self,
        text: &str,
        ctx: &CoachContext<'_>,
        make: impl FnOnce() -> CoachWork,
    ) -> Work<CoachWork> {
        match self {
            // Its hits' rephrasings are made with all the others once the
            // analysis has every hit (see `analysis::run`) ...
            Source::Fresh => Work::Own(make()),
            // ... but work kept for the next analysis is kept whole.
            Source::Cached(c) => Work::Shared(c.coach(text, ctx, || {
                let mut w = make();
                for h in &mut w.hits {
                    h.rephrase(text);
                }
                w
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The words kept per sentence are the sentences' own, and the turn's
        /// words read from them are those of the whole turn.
        #[test]
        fn turn_words_agree_with_splitting_each_text(
            t in "([a-zA-Z'’ ,;.?!\"()\\n—É-]|Dr\\. |ok\\?Ok|3\\.5){0,60}",
            before in "([a-zA-Z'’ .?É]){0,20}",
        ) {
            // After another turn's words, as in an analysis.
            let mut words = Words::default();
            words.add(&before, &sentence::split(&before));
            let spans = sentence::split(&t);
            let mut each = Vec::new();
            let mut k = 0;
            let (at, _) = words.build(&t, Some(&spans), |_, words| {
                each.push((k, words.join(" ")));
                k += 1;
            });
            let w = words.get(at);
            let all = w.all();
            let joined: Vec<_> = (0..spans.len()).map(|k| (k, all[w.sentence(k)].join(" "))).collect();
            prop_assert_eq!(each, joined);
            for (k, span) in spans.iter().enumerate() {
                let lower = sentence::lower(&t[span.clone()]);
                prop_assert_eq!(&all[w.sentence(k)], &sentence::words_of(&lower)[..]);
            }
            let lower = sentence::lower(&t);
            prop_assert_eq!(w.turn().to_vec(), sentence::words_of(&lower));
            // Found while splitting, the same words.
            let (all, turn): (Vec<String>, Vec<String>) = (
                all.into_iter().map(|w| w.to_string()).collect(),
                w.turn().iter().map(|w| w.to_string()).collect(),
            );
            let (_, found) = TurnText::new(&t, &mut words);
            let found = words.get(found);
            prop_assert_eq!(found.all().to_vec(), all);
            prop_assert_eq!(found.turn().to_vec(), turn);
        }

        /// The turn's kinds and word count are those of the general code.
        #[test]
        fn turn_text_agrees_with_the_general_code(
            t in "([a-zA-Z'’‘“”K ,;.?!\"()\\[\\]\n\t—É-]|Dr\\. |ok\\?Ok|3\\.5|\\(laughs\\)|\\[crosstalk\\]|-\\.-){0,60}"
        ) {
            let (text, _) = TurnText::new(&t, &mut Words::default());
            prop_assert_eq!(text.words, sentence::word_count(&t));
            let kinds: Vec<_> = sentence::split(&t).into_iter().map(|s| (s.clone(), sentence::classify(&t[s]))).collect();
            prop_assert_eq!(text.sentences.to_vec(), kinds);
        }

        #[test]
        fn word_count_agrees_on_any_ascii(t in "([ -~\t\n\r\x0b\x0c]|[’‘“”K]){0,80}") {
            prop_assert_eq!(TurnText::new(&t, &mut Words::default()).0.words, sentence::word_count(&t));
        }
    }
}
