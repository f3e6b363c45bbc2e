//! Phrase rules: patterns from the packs, matched on coach sentences, with the
//! context that decides whether the words really are advice or judgement:
//! reflections of the client's own words, reported speech, negation, and
//! permission asked or autonomy granted.

use crate::Span;
use crate::analysis::{Mode, Sentence, markers};
use crate::finding::{Category, Edit, Finding, Fix, Rephrasing, Severity};
use crate::model;
use crate::rephrase::{self, Rephrasings};
use crate::rules::pack::{RuleKind, RuleSet};
use crate::rules::{Found, LazyPattern, Pattern, RuleMeta, SetMatches};
use crate::transcript::{Transcript, Turn};
use regex::Regex;
use smallvec::SmallVec;
use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SentenceFilter {
    Any,
    Statement,
    Question,
}

pub use crate::rephrase::RephraseStyle;

#[derive(Clone, Debug)]
pub struct PhraseRule {
    pub patterns: Vec<String>,
    pub regex: LazyPattern,
    pub unless: Option<LazyPattern>,
    pub sentence: SentenceFilter,
    pub rephrase: RephraseStyle,
    pub mode: Option<Mode>,
    pub message: String,
    pub permission_code: Option<String>,
    pub reflections_exempt: bool,
}

/// A phrase rule that matched, before configuration decides whether it is shown.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Index into `RuleSet::rules` of the rule reported (the permission rule
    /// when permission was asked).
    pub rule: usize,
    /// The rule whose pattern matched.
    pub matched_rule: usize,
    pub turn: usize,
    pub sentence: usize,
    /// Source range of the sentence.
    pub span: Span,
    /// Source range of the matched words.
    pub focus: Span,
    pub message: String,
    pub rephrasings: Vec<Rephrasing>,
    /// Rephrasings asked for and not made yet ([`Hit::rephrase`]).
    pub rephrase: Option<Rephrase>,
    pub fixes: Vec<Fix>,
    pub permission: bool,
}

impl Hit {
    /// Makes the rephrasings asked for.
    pub fn rephrase(&mut self, t: &Transcript) {
        if let Some(r) = self.rephrase.take() {
            let turn = &t.turns[self.turn];
            let texts = r.make(&turn.text);
            self.rephrasings = in_place_of(turn, r.sentence, texts.into_iter());
        }
    }

    pub fn into_finding(self, rule: Arc<RuleMeta>, severity: Severity) -> Finding {
        Finding {
            rule,
            severity,
            span: self.span,
            focus: Some(self.focus),
            turn: Some(self.turn),
            message: self.message,
            rephrasings: self.rephrasings,
            fixes: self.fixes,
        }
    }
}

/// Compiles the patterns the phrase rules' context checks search with, ahead
/// of the first coach turn (see [`crate::rules::RuleSet::from_sources`]).
pub(crate) fn warm_up() {
    for r in [&CLIENT_ASK, &DECLINE, &REPORTED, &NEGATED] {
        LazyLock::force(r);
    }
    LazyLock::force(&CLIENT_VERB);
    LazyLock::force(&COACH_VERB);
    super::checks::warm_up();
    crate::model::AdviceModel::builtin();
}

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(&crate::rules::pattern(&$pat)).unwrap());
    };
}

// The coach asks before offering an idea: searched in the rule set's walk over
// each coach sentence, after the cues (see `RuleSet::phrases`).
pub(crate) fn permission_ask_pattern() -> String {
    crate::rules::pattern(PERMISSION_ASK_PATTERN)
}
const PERMISSION_ASK_PATTERN: &str = r"\b(?:would it (?:help|be (?:useful|helpful|ok(?:ay)?))(?: if| for me to)? (?:i )?(?:shared?|offer(?:ed)?|suggest(?:ed)?|gave|give|told|tell|add(?:ed)?)|(?:can|may|could|might) i (?:share|offer|suggest|give you|make a suggestion|tell you what|add|throw (?:out|in))|would you (?:like|want) (?:some|my|a|an|to hear (?:my|an?|some)) ?(?:idea|ideas|suggestion|suggestions|thoughts?|input|advice|perspective|observation|tip|tips)|do you want (?:some|my|an?) ?(?:idea|ideas|suggestions?|thoughts|input|advice|perspective|tips?)|are you open to (?:a |an |some )?(?:idea|suggestion|thought|observation|perspective)|if (?:that|it) would be (?:useful|helpful)(?: to you)?|if you(?:'re| are) open to it|with your permission|(?:since|as|because|now that) you(?:'ve| have)? asked(?: (?:me|for (?:my|some|an?) (?:advice|ideas?|suggestions?|thoughts|opinion|view|take)))?,|you asked (?:me )?(?:for (?:my|some|an?) (?:advice|ideas?|suggestions?|thoughts|opinion|view|take)|what i(?:'d| would) do)|i have (?:an idea|a suggestion|a thought)[^.?!]{0,40}\b(?:would you|do you want|interested|if you))";
// The client asks for advice.
re!(
    CLIENT_ASK,
    r"\b(?:what (?:should|would|do) (?:i|you) (?:do|suggest|recommend|think i should)|what would you do|any (?:advice|ideas|suggestions|tips|thoughts)|(?:can|could) you (?:give (?:me|us)|tell (?:me|us) what|suggest|recommend)|i(?:'d| would) (?:love|like|welcome|appreciate) (?:your|some|any) (?:advice|ideas|input|suggestions|thoughts|perspective)|what do you (?:suggest|recommend|advise)|tell me what (?:to|you think i should) do|how (?:should|do) i (?:handle|deal with|approach))"
);
// Autonomy-supportive framing: searched in the rule set's walk, after the
// permission ask. Literal words and spaces only, so no match crosses a
// sentence bound: the sentences find what the whole turn would.
pub(crate) fn autonomy_pattern() -> String {
    crate::rules::pattern(AUTONOMY_PATTERN)
}
const AUTONOMY_PATTERN: &str = r"\b(?:(?:it'?s|that'?s|this is) (?:entirely |totally |completely |really )?(?:up to you|your (?:call|choice|decision))|take it or leave it|you (?:know|understand) (?:yourself|your (?:situation|team|life|context)) (?:best|better than)|feel free to (?:ignore|disregard|leave|drop)|only you can (?:decide|know|judge)|you(?:'ll| will)? (?:really |just )?(?:need|have|'ve got|got) to (?:decide|choose|judge) (?:(?:it|that|this) )?for yourself|see (?:if|whether|how) (?:it|that|any of (?:it|that|this)) (?:fits|resonates|lands|works for you)|may or may not (?:fit|be (?:true|right|useful|relevant)|apply|work|resonate)|might or might not|you (?:might|may) (?:decide|choose|see it differently)|no pressure|just one idea|for what it'?s worth|if (?:it|that) helps|if you like|whichever (?:you prefer|feels right|works for you))";
re!(
    DECLINE,
    r"^\s*(?:no\b|not really|i'?d rather not|nope|no thanks)"
);
// Reported speech: someone else's advice, not the coach's.
re!(
    REPORTED,
    r#"\b(?:(?:he|she|they|your (?:\w+)|someone|somebody|people|everyone|others|the (?:\w+)|[A-Z]\w+) (?:said|says|told you|tells you|keeps? (?:saying|telling you)|thinks?|thought|believes?|suggested|insists?|wants? you to believe)(?: that)?|(?:told|tell|telling) (?:you|yourself) (?:that )?)\s*$"#
);
re!(
    NEGATED,
    r"\b(?:not|n't|never|nobody(?:'s| is)?|no one(?:'s| is)?)\s+(?:\w+\s+){0,2}(?:say|saying|said|suggest|suggesting|tell|telling|recommend|recommending|implying|imply|advise|advising)\b[^.?!]*$"
);
// The client's "I should call" and the coach's "you should call", each
// followed by `(\w+)`, the verb. Only the verb is wanted, so the patterns end
// with its first character and the verb is the run of word characters from
// there: the backtracking order ends the words before the verb where the
// pattern with the group does, as for `rephrase`'s tails (tested against the
// captures).
const CLIENT_FIRST_PERSON: &str = r"\bi(?:'m| am)?\s+(?:really\s+|probably\s+|just\s+)?(?:should|ought to|must|need to|have to|'ve got to|gotta|could|might)\s+(?:really\s+|probably\s+|just\s+|definitely\s+)?";
const COACH_SECOND_PERSON: &str = r"\byou\s+(?:really\s+|probably\s+|just\s+)?(?:should|ought to|must|need to|have to|'ve got to|could|might)\s+(?:probably\s+|just\s+)?";
static CLIENT_VERB: LazyLock<Pattern> = LazyLock::new(|| verb_pattern(CLIENT_FIRST_PERSON));
static COACH_VERB: LazyLock<Pattern> = LazyLock::new(|| verb_pattern(COACH_SECOND_PERSON));

fn verb_pattern(before: &str) -> Pattern {
    Pattern::new(&verb_source(before)).unwrap()
}

fn verb_source(before: &str) -> String {
    crate::rules::pattern(&format!(r"{before}\w"))
}

/// The coach's "you should \<verb\>", walked with the rules' patterns: where it
/// starts tells [`mirrors_client`] where to look, and most sentences, where
/// it is absent, need no search at all.
pub(crate) fn coach_verb_pattern() -> String {
    verb_source(COACH_SECOND_PERSON)
}

/// The verb of the leftmost match of a [`verb_pattern`] from `at`, and where
/// the match ends.
fn verb_at<'h>(p: &Pattern, text: &'h str, at: usize) -> Option<(&'h str, usize)> {
    verb_ending(text, p.find_end_at(text, at)?)
}

/// The verb whose first character ends a [`verb_pattern`]'s match at `end`,
/// and where it ends.
fn verb_ending(text: &str, end: usize) -> Option<(&str, usize)> {
    // `\w` is ASCII: the verb's first character is the match's last byte.
    let start = end - 1;
    let len = text.as_bytes()[start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    Some((&text[start..start + len], start + len))
}

/// The rule the statistical advice model ([`crate::model`]) reports under, and
/// the one it reports under when permission was there.
pub(crate) const MODEL_CODE: &str = "ADV006";
pub(crate) const MODEL_PERMISSION_CODE: &str = "ADV010";

/// Where the advice model sees advice in a sentence (the words that weighed
/// most), unless those words are reported, negated, quoted or the client's own,
/// or an advice rule's exemption covers the sentence.
/// `exempted`: whether an advice rule's exemption matches `text`, when the
/// walk over it says.
fn model_evidence(
    rules: &RuleSet,
    text: &str,
    client: &ClientVerbs<'_>,
    exempted: Option<bool>,
    you_verb: YouVerb,
) -> Option<Span> {
    // The model first: it rules out most sentences faster than the exemptions.
    let a = model::AdviceModel::builtin()?.assess(text);
    if !a.advice {
        return None;
    }
    // The advice rules' near-miss exemptions ("Take your time", "You must be
    // exhausted", "You could tell he was upset") bind the model too.
    let searched = || {
        rules.rules.iter().any(|r| match &r.kind {
            RuleKind::Phrase(p) if r.meta.category == Category::Advice => {
                p.unless.as_ref().is_some_and(|u| u.get().is_match(text))
            }
            _ => false,
        })
    };
    debug_assert!(exempted.is_none_or(|e| e == searched()), "{text:?}");
    let exempted = exempted.unwrap_or_else(searched);
    if exempted {
        return None;
    }
    let ev = with_emphatic_do(text, a.evidence.unwrap_or(0..text.len()));
    let exempt = reported_or_negated(text, ev.start)
        || in_quotes(text, ev.start)
        || mirrors_client(text, you_verb, client);
    (!exempt).then_some(ev)
}

/// Evidence that is the emphatic "do" of "Please do try…" runs on to the verb
/// it stresses ("do try"): "do" alone says nothing of what was advised.
fn with_emphatic_do(text: &str, ev: Span) -> Span {
    if !text[ev.clone()].eq_ignore_ascii_case("do") {
        return ev;
    }
    match model::stressed_verb(&text[ev.end..]) {
        Some(verb) => ev.start..verb.as_ptr() as usize - text.as_ptr() as usize + verb.len(),
        None => ev,
    }
}

/// What decides, beyond a coach turn's own words, whether they are advice
/// given with permission or a reflection.
#[derive(Clone, Copy, Debug, Default)]
pub struct TurnContext<'a> {
    /// The client's turn just before this one (none if the coach spoke since).
    pub prev_client: Option<&'a str>,
    /// Whether the coach's previous turn asked permission to offer an idea.
    pub prev_coach_asked: bool,
}

/// A phrase rule that matched in one turn, in the turn's own coordinates, so
/// it stays valid while edits elsewhere move the turn ([`TurnHit::locate`]).
#[derive(Clone, Debug)]
pub struct TurnHit {
    pub rule: usize,
    pub matched_rule: usize,
    /// Index of the sentence within the turn.
    pub sentence: usize,
    /// Ranges of [`crate::Turn::text`].
    pub span: Span,
    pub focus: Span,
    pub message: String,
    pub rephrasings: Rephrasings,
    /// Rephrasings asked for and not made yet: made by
    /// [`TurnHit::rephrase`], or once the hit is placed by [`Hit::rephrase`].
    pub rephrase: Option<Rephrase>,
    /// Offer the "Ask permission first" fix.
    pub ask_first: bool,
    pub permission: bool,
}

/// `texts` as rephrasings of the sentence at `sentence` in `turn`'s text.
fn in_place_of(
    turn: &Turn,
    sentence: Span,
    texts: impl Iterator<Item = Cow<'static, str>>,
) -> Vec<Rephrasing> {
    // Where the sentence stands in the source: the same for every rephrasing.
    let mut pieces = None;
    texts
        .map(|text| Rephrasing {
            pieces: pieces
                .get_or_insert_with(|| turn.source_pieces(sentence.clone()))
                .clone(),
            text,
        })
        .collect()
}

/// The open questions a hit asks for: of a style, built from the words of its
/// sentence that the rule saw.
#[derive(Clone, Debug)]
pub struct Rephrase {
    pub style: RephraseStyle,
    /// The sentence's range of its turn's text ...
    pub sentence: Span,
    /// ... and the range of the sentence the rule saw.
    pub matched: Span,
}

impl Rephrase {
    /// The questions, for the turn's `text`.
    fn make(&self, text: &str) -> Rephrasings {
        rephrase::rephrase(
            self.style,
            &text[self.sentence.clone()],
            self.matched.clone(),
        )
    }
}

impl TurnHit {
    /// Makes the rephrasings asked for; `text` is the turn's.
    pub fn rephrase(&mut self, text: &str) {
        if let Some(r) = self.rephrase.take() {
            self.rephrasings = r.make(text);
        }
    }

    /// The hit in source coordinates, for turn `ti` whose first sentence is
    /// `first_sentence` in the analysis.
    pub fn locate(&self, t: &Transcript, ti: usize, first_sentence: usize) -> Hit {
        let rephrasings = self.rephrasings.iter().cloned();
        self.place(t, ti, first_sentence, self.message.clone(), rephrasings)
    }

    /// [`TurnHit::locate`], moving the hit's strings instead of copying them.
    pub fn into_located(mut self, t: &Transcript, ti: usize, first_sentence: usize) -> Hit {
        let message = std::mem::take(&mut self.message);
        let rephrasings = std::mem::take(&mut self.rephrasings).into_iter();
        self.place(t, ti, first_sentence, message, rephrasings)
    }

    fn place(
        &self,
        t: &Transcript,
        ti: usize,
        first_sentence: usize,
        message: String,
        rephrasings: impl Iterator<Item = Cow<'static, str>>,
    ) -> Hit {
        let turn = &t.turns[ti];
        let span = turn.source_span(self.span.clone());
        let rephrasings = in_place_of(turn, self.span.clone(), rephrasings);
        let fixes = if self.ask_first {
            vec![Fix {
                title: "Ask permission first".into(),
                edits: smallvec::smallvec![Edit {
                    span: span.start..span.start,
                    replacement: rephrase::PERMISSION_INSERT.into(),
                }],
            }]
        } else {
            Vec::new()
        };
        Hit {
            rule: self.rule,
            matched_rule: self.matched_rule,
            turn: ti,
            sentence: first_sentence + self.sentence,
            span,
            focus: turn.source_span(self.focus.clone()),
            message,
            rephrasings,
            rephrase: self.rephrase.clone(),
            fixes,
            permission: self.permission,
        }
    }
}

/// Where a sentence's matches are in [`run_turn`]'s list: the rules'
/// patterns, and the exemptions'; and whether the coach has asked permission
/// by then.
#[derive(Clone)]
struct Walked {
    rules: std::ops::Range<usize>,
    unless: std::ops::Range<usize>,
    asked: bool,
    you_verb: YouVerb,
}

/// Whether a sentence says "you should \<verb\>" ([`coach_verb_pattern`]):
/// `None` when not, else where the leftmost such phrase starts, when the
/// walk says.
type YouVerb = Option<Option<usize>>;

/// What [`run_turn`] finds in a coach turn besides the rules' hits.
#[derive(Default)]
pub struct TurnScan {
    /// Whether the turn asks permission to offer an idea, which the coach's
    /// next turn needs as its context.
    pub asks_permission: bool,
    /// The ICF markers its sentences are evidence for: bit `k` for index `k`
    /// of the marker table.
    pub markers: u64,
    /// The conversation-mode cues its sentences match: bit `k` for cue `k`
    /// of `RuleSet::cue_mode`.
    pub cues: u64,
}

/// `template` with each `{match}` replaced by `seen`, in a string sized for
/// it at once (`str::replace` grows one piece at a time).
fn fill_match(template: &str, seen: &str) -> String {
    const HOLE: &str = "{match}";
    let mut out = String::with_capacity(template.len() + seen.len());
    let mut rest = template;
    // Found by its first byte: `str::find` and `memmem::find` build a
    // searcher each call (hundreds of instructions), and a message is filled
    // for every hit.
    while let Some(i) = memchr::memchr(b'{', rest.as_bytes()) {
        if rest[i..].starts_with(HOLE) {
            out.push_str(&rest[..i]);
            out.push_str(seen);
            rest = &rest[i + HOLE.len()..];
        } else {
            out.push_str(&rest[..=i]);
            rest = &rest[i + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// Runs every phrase rule over one coach turn's sentences (`sentences` hold
/// ranges of `text`), and notes what else the same walk finds ([`TurnScan`]).
pub fn run_turn(
    rules: &RuleSet,
    text: &str,
    sentences: &[Sentence],
    ctx: TurnContext<'_>,
) -> (Vec<TurnHit>, TurnScan) {
    let mut hits = Vec::new();
    let mut scan = TurnScan::default();
    let prev_client = ctx.prev_client;
    // The rules the advice model reports under: itself, and advice with permission.
    let model_rules = rules.model_rules;
    // Every sentence is walked first: autonomy framing anywhere in the turn
    // bears on advice in any of its sentences. For each sentence, where its
    // matches are in `matched` (the rules' patterns, then the rest), and
    // whether the coach has asked permission by then (no ask spans two
    // sentences: none crosses a `.`, `?` or `!`).
    let mut matched = SetMatches::new();
    let mut walked: SmallVec<[Walked; 8]> = SmallVec::new();
    let mut asked = false;
    let mut autonomy = false;
    // Pattern indexes in order: the rules' (in rule order), then the
    // markers', the cues', the permission ask, the autonomy framing and the
    // coach's "you should <verb>".
    let first_marker = rules.phrase_rule.len();
    let first_cue = first_marker + rules.marker_of.len();
    let ask = first_cue + rules.cue_mode.len();
    let autonomy_framing = ask + 1;
    let coach_verb = ask + 2;
    for s in sentences {
        let first = matched.len();
        let mut you_verb = None;
        rules
            .phrases
            .matches_into(&text[s.span.clone()], &mut matched);
        let rule_end = first + matched[first..].partition_point(|m| m.pattern < first_marker);
        let unless = first + matched[first..].partition_point(|m| m.pattern < rules.first_unless);
        for m in &matched[rule_end..unless] {
            match m.pattern {
                p if p < first_cue => {
                    markers::note(&mut scan.markers, rules.marker_of[p - first_marker], s.kind)
                }
                p if p < ask => scan.cues |= 1 << (p - first_cue),
                p if p == ask => asked = true,
                p if p == autonomy_framing => autonomy = true,
                p => {
                    debug_assert_eq!(p, coach_verb);
                    you_verb = Some(m.start);
                }
            }
        }
        walked.push(Walked {
            rules: first..rule_end,
            unless: unless..matched.len(),
            asked,
            you_verb,
        });
    }
    // Permission from earlier turns: only worth the scans once a rule fires.
    let turn_permission = std::cell::OnceCell::new();
    let turn_permission = || {
        // Cheapest first: the search of the client's whole turn last.
        *turn_permission.get_or_init(|| {
            autonomy
                || ctx.prev_coach_asked && !prev_client.is_some_and(|c| DECLINE.is_match(c))
                || prev_client.is_some_and(|c| CLIENT_ASK.is_match(c))
        })
    };
    let client_verbs = ClientVerbs::new(prev_client);
    // The rules the sentence's patterns belong to, each once, with where the
    // leftmost match of any of its patterns starts and ends (when the walks
    // say: see `SetMatch`).
    // (rule, start, end)
    type RuleMatch = (usize, Option<usize>, Option<usize>);
    let mut rule_matches: SmallVec<[RuleMatch; 8]> = SmallVec::new();
    let mut categories_hit: SmallVec<[(usize, Category); 8]> = SmallVec::new();
    for (si, s) in sentences.iter().enumerate() {
        let sentence = &text[s.span.clone()];
        let Walked {
            rules: rule_range,
            unless: unless_range,
            asked,
            you_verb,
        } = walked[si].clone();
        // Whether the exemption of a rule `which` picks matches the
        // sentence, when the walk says (`None`: the rules search their own).
        let exempted = |which: &dyn Fn(usize) -> bool| -> Option<bool> {
            (!rules.unless_rule.is_empty()).then(|| {
                matched[unless_range.clone()]
                    .iter()
                    .any(|m| which(rules.unless_rule[m.pattern - rules.first_unless]))
            })
        };
        rule_matches.clear();
        // A rule's patterns are consecutive.
        for m in &matched[rule_range] {
            let ri = rules.phrase_rule[m.pattern];
            match rule_matches.last_mut() {
                Some((last, start, end)) if *last == ri => {
                    if m.start < *start {
                        (*start, *end) = (m.start, m.end);
                    } else if m.start == *start && m.end != *end {
                        *end = None;
                    }
                }
                _ => rule_matches.push((ri, m.start, m.end)),
            }
        }
        for &(ri, start, end) in &rule_matches {
            let rule = &rules.rules[ri];
            let RuleKind::Phrase(p) = &rule.kind else {
                continue;
            };
            if categories_hit.contains(&(si, rule.meta.category)) {
                continue;
            }
            let ok_kind = match p.sentence {
                SentenceFilter::Any => true,
                SentenceFilter::Statement => !s.kind.is_question(),
                SentenceFilter::Question => s.kind.is_question(),
            };
            if !ok_kind {
                continue;
            }
            // The rule's regex is its patterns joined: its leftmost match
            // starts where theirs does, and ends where they all end from there.
            let m = match (start, end) {
                (Some(start), Some(end)) => Some(Found {
                    text: sentence,
                    start,
                    end,
                }),
                (Some(at), None) => p.regex.get().find_from(sentence, at),
                _ => p.regex.get().find(sentence),
            };
            debug_assert_eq!(
                m.map(|m| m.range()),
                p.regex.get().find(sentence).map(|m| m.range()),
                "{sentence:?}"
            );
            let Some(m) = m else {
                continue;
            };
            let unless = exempted(&|r| r == ri).unwrap_or_else(|| {
                p.unless
                    .as_ref()
                    .is_some_and(|u| u.get().is_match(sentence))
            });
            debug_assert_eq!(
                unless,
                p.unless
                    .as_ref()
                    .is_some_and(|u| u.get().is_match(sentence)),
                "{sentence:?}"
            );
            if unless {
                continue;
            }
            if p.reflections_exempt
                && (s.reflection
                    || reported_or_negated(sentence, m.start())
                    || in_quotes(sentence, m.start())
                    || mirrors_client(sentence, you_verb, &client_verbs))
            {
                continue;
            }
            let permission = p.permission_code.is_some() && (asked || turn_permission());
            let reported = if permission {
                let pc = p.permission_code.as_deref().unwrap();
                rules
                    .rules
                    .iter()
                    .position(|r| r.meta.code == *pc)
                    .unwrap_or(ri)
            } else {
                ri
            };
            // Quoted without the clause break a pattern may start with
            // (", I'd start").
            let seen = m
                .as_str()
                .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
            let message = fill_match(
                rules.rules[reported].kind.message().unwrap_or(&p.message),
                seen,
            );
            categories_hit.push((si, rule.meta.category));
            hits.push(TurnHit {
                rule: reported,
                matched_rule: ri,
                sentence: si,
                span: s.span.clone(),
                focus: s.span.start + m.start()..s.span.start + m.end(),
                message,
                rephrasings: Rephrasings::new(),
                rephrase: Some(Rephrase {
                    style: p.rephrase,
                    sentence: s.span.clone(),
                    matched: m.range(),
                }),
                ask_first: p.permission_code.is_some() && !permission,
                permission,
            });
        }
        // Statements no advice pattern caught go to the statistical model.
        if let Some((mi, pi)) = model_rules
            && !s.kind.is_question()
            && !s.reflection
            // A sentence a phrase rule already explained (a label, a leading
            // question) is not advice the model should add to.
            && !categories_hit.iter().any(|&(k, _)| k == si)
            && let Some(ev) = model_evidence(
                rules,
                sentence,
                &client_verbs,
                exempted(&|r| rules.rules[r].meta.category == Category::Advice),
                you_verb,
            )
        {
            let permission = asked || turn_permission();
            let style = if model::opens_with_instruction(sentence) {
                RephraseStyle::Imperative
            } else {
                RephraseStyle::Suggestion
            };
            categories_hit.push((si, Category::Advice));
            let seen = sentence[ev.clone()].trim();
            let message = match rules.rules[pi].kind.message() {
                Some(template) if permission => fill_match(template, seen),
                _ => format!("Advice: \"{seen}\" reads as telling the client what to do"),
            };
            hits.push(TurnHit {
                rule: if permission { pi } else { mi },
                matched_rule: mi,
                sentence: si,
                span: s.span.clone(),
                focus: s.span.start + ev.start..s.span.start + ev.end,
                message,
                rephrasings: Rephrasings::new(),
                rephrase: Some(Rephrase {
                    style,
                    sentence: s.span.clone(),
                    matched: 0..0,
                }),
                ask_first: !permission,
                permission,
            });
        }
    }
    scan.asks_permission = asked;
    (hits, scan)
}

impl RuleKind {
    fn message(&self) -> Option<&str> {
        match self {
            RuleKind::Phrase(p) => Some(&p.message),
            RuleKind::Derived { message } => message.as_deref(),
            RuleKind::Check(_) => None,
        }
    }
}

fn reported_or_negated(text: &str, at: usize) -> bool {
    let before = &text[..at];
    REPORTED.is_match(before) || NEGATED.is_match(before)
}

/// Whether `at` falls inside quotation marks.
fn in_quotes(text: &str, at: usize) -> bool {
    // A match may begin with the opening quote itself ("\"Just leave him.\"").
    let at = text[at..]
        .find(char::is_alphanumeric)
        .map_or(text.len(), |i| at + i);
    // The quotes before, in one pass: most sentences have none.
    let before = &text.as_bytes()[..at];
    let (mut straight, mut open, mut close) = (0usize, 0usize, 0usize);
    for i in memchr::memchr2_iter(b'"', 0xE2, before) {
        match before[i..] {
            [b'"', ..] => straight += 1,
            // “ and ”
            [0xE2, 0x80, 0x9C, ..] => open += 1,
            [0xE2, 0x80, 0x9D, ..] => close += 1,
            _ => {}
        }
    }
    straight % 2 == 1 || open > close
}

/// The verbs of the client's own "I should call him", found once per coach
/// turn and only when a sentence needs them.
struct ClientVerbs<'a> {
    prev_client: Option<&'a str>,
    verbs: std::cell::OnceCell<Vec<&'a str>>,
}

impl<'a> ClientVerbs<'a> {
    fn new(prev_client: Option<&'a str>) -> ClientVerbs<'a> {
        ClientVerbs {
            prev_client,
            verbs: std::cell::OnceCell::new(),
        }
    }

    fn get(&self) -> &[&'a str] {
        self.verbs.get_or_init(|| {
            self.prev_client.map_or_else(Vec::new, |prev| {
                let mut verbs = Vec::new();
                let mut at = 0;
                while let Some((verb, end)) = verb_at(&CLIENT_VERB, prev, at) {
                    verbs.push(verb);
                    at = end;
                }
                verbs
            })
        })
    }
}

/// The coach saying "you should call him" right after the client said "I
/// should call him" is reflecting, not advising.
/// `you_verb` is what the walk of `text` found of the coach's verb.
fn mirrors_client(text: &str, you_verb: YouVerb, client: &ClientVerbs<'_>) -> bool {
    // The coach's sentence first: without a "you should" the client's whole
    // turn need not be searched. The leftmost-first match starts where the
    // walk saw the leftmost start: searched from there, anchored.
    let verb = match you_verb {
        None => None,
        Some(Some(at)) => COACH_VERB
            .find_from(text, at)
            .and_then(|m| verb_ending(text, m.end())),
        Some(None) => verb_at(&COACH_VERB, text, 0),
    };
    debug_assert_eq!(verb, verb_at(&COACH_VERB, text, 0), "{text:?}");
    let Some((verb, _)) = verb else {
        return false;
    };
    // The verb is ASCII.
    client.get().iter().any(|v| v.eq_ignore_ascii_case(verb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_emphatic_do_runs_on_to_its_verb() {
        let s = "Please do try the breathing exercise.";
        assert_eq!(&s[with_emphatic_do(s, 7..9)], "do try");
        // Not before a verb, nor any other word.
        let s = "Do your homework first.";
        assert_eq!(&s[with_emphatic_do(s, 0..2)], "Do");
        let s = "Please try it.";
        assert_eq!(&s[with_emphatic_do(s, 7..10)], "try");
        let s = "Just do";
        assert_eq!(&s[with_emphatic_do(s, 5..7)], "do");
    }

    proptest::proptest! {
        #[test]
        fn fill_match_is_replace(template in "([a-z{}\"]|\\{match\\}){0,12}", seen in "[a-z{}]{0,6}") {
            proptest::prop_assert_eq!(fill_match(&template, &seen), template.replace("{match}", &seen));
        }
    }

    /// The verbs as the patterns with their group find them.
    fn captured(before: &str, text: &str) -> Vec<String> {
        Regex::new(&crate::rules::pattern(&format!(r"{before}(\w+)")))
            .unwrap()
            .captures_iter(text)
            .map(|c| c[1].to_owned())
            .collect()
    }

    fn found(p: &Pattern, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some((verb, end)) = verb_at(p, text, at) {
            out.push(verb.to_owned());
            at = end;
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn in_quotes_counts_the_quotes_before(text in "[a\"“”’ .]{0,12}", at in 0usize..12) {
            let at = crate::text::floor_char_boundary(&text, at);
            let start = text[at..]
                .find(char::is_alphanumeric)
                .map_or(text.len(), |i| at + i);
            let before = &text[..start];
            let expected = before.matches('"').count() % 2 == 1
                || before.matches('“').count() > before.matches('”').count();
            proptest::prop_assert_eq!(in_quotes(&text, at), expected);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn verbs_agree_with_the_captures(parts in proptest::collection::vec(
            proptest::sample::select(&[
                "I", "i", "I'm", "i am", "you", "You", " ", "  ", "\t", "really ", "probably ",
                "just ", "definitely ", "should", "ought to", "must", "need to", "have to",
                "'ve got to", "’ve got to", "gotta", "could", "might", "call", "Call_2", "é",
                "ſhould", "him", ",", ".", "'", "-", "x",
            ][..]),
            0..14,
        )) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(
                found(&CLIENT_VERB, &text),
                captured(CLIENT_FIRST_PERSON, &text)
            );
            proptest::prop_assert_eq!(
                found(&COACH_VERB, &text),
                captured(COACH_SECOND_PERSON, &text)
            );
        }
    }
}
