//! From a parsed transcript to an [`Analysis`]: roles, sentences, questions,
//! conversation modes, session metrics, ICF marker evidence, and the findings.

mod cache;
pub mod markers;
pub mod metrics;
pub mod modes;
pub mod segment;
pub mod sentence;

use crate::config::Config;
use crate::finding::{Category, Finding, Severity};
use crate::formats::ParseError;
use crate::rules::pack::RuleKind;
use crate::rules::{checks, phrase};
use crate::transcript::{DirectiveScope, Role, Transcript};
use cache::{CoachContext, CoachWork, Source, TurnText, Words, Work};
use serde::Serialize;

pub use cache::TurnCache;
pub use markers::MarkerEvidence;
pub use metrics::{Metrics, SpeakerMetrics};
pub use modes::Mode;
pub use sentence::{Sentence, SentenceKind};

/// How the coach was identified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoachSource {
    /// `--coach`, `.coachlint.toml` or editor settings.
    Config,
    /// The transcript's front matter.
    FrontMatter,
    /// A speaker called "Coach".
    Name,
    /// Guessed from behaviour (most questions asked).
    Inferred,
    /// Only one speaker; nobody could be told apart.
    Unknown,
}

/// What the engine learned about one turn.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TurnAnalysis {
    pub words: usize,
    /// Range into [`Analysis::sentences`].
    #[serde(skip)]
    pub sentences: std::ops::Range<usize>,
    pub questions: usize,
    pub open_questions: usize,
    pub reflections: usize,
    /// The conversation the coach is in; `None` for client turns.
    pub mode: Option<Mode>,
}

/// Everything the engine found in one transcript.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub transcript: Transcript,
    pub coach_source: CoachSource,
    pub sentences: Vec<Sentence>,
    /// Parallel to `transcript.turns`.
    pub turns: Vec<TurnAnalysis>,
    pub metrics: Metrics,
    /// In source order; suppressed findings are removed.
    pub findings: Vec<Finding>,
    /// How many findings suppression comments removed.
    pub suppressed: usize,
    pub markers: Vec<MarkerEvidence>,
}

impl Analysis {
    pub fn sentence_text<'a>(&'a self, s: &Sentence) -> &'a str {
        &self.transcript.turns[s.turn].text[s.span.clone()]
    }

    /// Findings at warning severity or above.
    pub fn has_warnings(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity >= Severity::Warning)
    }

    pub fn coach_names(&self) -> Vec<&str> {
        self.transcript
            .speakers
            .iter()
            .filter(|s| s.role == Role::Coach)
            .map(|s| s.name.as_str())
            .collect()
    }
}

/// Analyses a transcript. The error says why the text is not a transcript
/// (no speaker labels, unclosed front matter…).
pub fn analyze(text: &str, config: &Config) -> Result<Analysis, ParseError> {
    run(text, config, Source::Fresh)
}

/// [`analyze`], reusing the work on turns an earlier analysis with the same
/// `cache` already did: what an editor needs after a keystroke.
pub fn analyze_cached(
    text: &str,
    config: &Config,
    cache: &mut TurnCache,
) -> Result<Analysis, ParseError> {
    cache.begin(&config.rules);
    let result = run(text, config, Source::Cached(cache));
    cache.finish();
    result
}

fn run(text: &str, config: &Config, mut source: Source<'_>) -> Result<Analysis, ParseError> {
    let mut transcript = source.parse(text, config.settings.input_format)?;
    // The words are kept only for this analysis, and only where the turn was
    // worked out now: a coach turn worked out below splits its own and the
    // client's words anew if they are missing.
    let mut all_words = Words::with_capacity(transcript.turns.iter().map(|t| t.text.len()).sum());
    let (texts, mut words): (Vec<_>, Vec<_>) = transcript
        .turns
        .iter()
        .map(|t| source.text(&t.text, &mut all_words))
        .unzip();
    let coach_source = assign_roles(&mut transcript, &config.settings.coach, &texts);
    let rules = config.rules.clone();

    // Sentences, their kinds, and the coach turns' work in their context.
    let mut sentences = Vec::with_capacity(texts.iter().map(|t| t.sentences.len()).sum());
    let mut turns = Vec::with_capacity(transcript.turns.len());
    let mut hits = Vec::new();
    // Parallel to the turns: the coach turns' work, for modes and markers below.
    let mut works = Vec::with_capacity(transcript.turns.len());
    let mut last_client: Option<usize> = None;
    let mut last_coach: Option<usize> = None;
    let mut prev_coach_asked = false;
    for (i, turn) in transcript.turns.iter().enumerate() {
        let first = sentences.len();
        let t = &texts[i];
        let mut work = (transcript.role(turn) == Role::Coach).then(|| {
            let last_client_text = last_client.map(|c| transcript.turns[c].text.as_str());
            let ctx = CoachContext {
                last_client: last_client_text,
                rules: phrase::TurnContext {
                    prev_client: last_client_text
                        .filter(|_| last_client.is_some_and(|c| last_coach.is_none_or(|k| c > k))),
                    prev_coach_asked,
                },
            };
            source.coach(&turn.text, &ctx, || {
                for k in std::iter::once(i).chain(last_client) {
                    words[k].get_or_insert_with(|| {
                        let spans: Vec<_> =
                            texts[k].sentences.iter().map(|s| s.0.clone()).collect();
                        all_words.add(&transcript.turns[k].text, &spans)
                    });
                }
                CoachWork::new(
                    &rules,
                    &turn.text,
                    t,
                    &all_words.get(words[i].unwrap()),
                    last_client
                        .map(|c| all_words.get(words[c].unwrap()))
                        .as_ref(),
                    &ctx,
                )
            })
        });
        match &mut work {
            Some(w) => {
                last_coach = Some(i);
                prev_coach_asked = w.asks_permission;
                // Work made for this analysis alone gives its hits' strings up.
                match w.get_mut() {
                    Some(w) => hits.extend(
                        std::mem::take(&mut w.hits)
                            .into_iter()
                            .map(|h| h.into_located(&transcript, i, first)),
                    ),
                    None => hits.extend(w.hits.iter().map(|h| h.locate(&transcript, i, first))),
                }
            }
            None => last_client = Some(i),
        }
        let (mut questions, mut open, mut reflections) = (0, 0, 0);
        for (k, (span, kind)) in t.sentences.iter().enumerate() {
            let reflection = work.as_ref().is_some_and(|w| w.reflections[k]);
            questions += kind.is_question() as usize;
            open += (*kind == SentenceKind::OpenQuestion) as usize;
            reflections += reflection as usize;
            sentences.push(Sentence {
                turn: i,
                span: span.clone(),
                kind: *kind,
                reflection,
            });
        }
        turns.push(TurnAnalysis {
            words: t.words,
            sentences: first..sentences.len(),
            questions,
            open_questions: open,
            reflections,
            mode: None,
        });
        works.push(work);
    }
    drop((words, all_words));
    // Rephrasings last, one style after another: a rephrasing searches its
    // sentence with its style's automata, which were cold when each was made
    // as its hit was found (a fifth of the analysis; made together, a
    // quarter less). Cached work is rephrased as it is made (`Source::coach`).
    let mut asked: Vec<(u8, usize)> = (hits.iter().enumerate())
        .filter_map(|(i, h)| h.rephrase.as_ref().map(|r| (r.style as u8, i)))
        .collect();
    asked.sort_unstable();
    for (_, i) in asked {
        hits[i].rephrase(&transcript);
    }

    // Phrase rules ran over every coach sentence, whether or not they are
    // selected: conversation modes are judged from all of them.
    let cues: Vec<[u32; 7]> = works
        .iter()
        .map(|w| w.as_ref().map_or([0; 7], |w| w.cues))
        .collect();
    modes::assign(&transcript, &mut turns, &sentences, &hits, &rules, &cues);
    let metrics = metrics::compute(&transcript, &turns, &sentences, &hits, &rules);
    let matched: Vec<u64> = works
        .iter()
        .map(|w| w.as_ref().map_or(0, |w| w.markers))
        .collect();
    let markers = markers::collect(&transcript, &turns, &matched, &metrics);

    // The hits that are shown, then the checks' findings (a few).
    let mut findings: Vec<Finding> = Vec::with_capacity(hits.len() + 16);
    for hit in hits {
        let rule = &rules.rules[hit.rule];
        if config.enabled(&rule.meta) {
            findings.push(hit.into_finding(rule.meta.clone(), config.severity(&rule.meta)));
        }
    }
    // Found once for every check: each pass over the turns reads every
    // `Turn`, a few cache lines apiece, for one byte of it.
    let coach_turns: Vec<usize> = (0..transcript.turns.len())
        .filter(|&i| transcript.role(&transcript.turns[i]) == Role::Coach)
        .collect();
    let ctx = checks::Ctx {
        transcript: &transcript,
        coach_turns: &coach_turns,
        sentences: &sentences,
        turns: &turns,
        metrics: &metrics,
        thresholds: &config.settings.thresholds,
        coach_source: &coach_source,
    };
    for rule in &rules.rules {
        if let RuleKind::Check(f) = rule.kind {
            if config.enabled(&rule.meta) {
                let sev = config.severity(&rule.meta);
                let before = findings.len();
                f(&ctx, &rule.meta, &mut findings);
                for x in &mut findings[before..] {
                    x.severity = sev;
                }
            }
        }
    }

    let before = findings.len();
    findings.retain(|f| !suppressed(&transcript, f));
    let suppressed = before - findings.len();
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule.code).cmp(&(b.span.start, b.span.end, &b.rule.code))
    });

    Ok(Analysis {
        transcript,
        coach_source,
        sentences,
        turns,
        metrics,
        findings,
        suppressed,
        markers,
    })
}

/// Marks the coach(es): configured names, front matter, a speaker called
/// "Coach", or the speaker who asks the most questions.
fn assign_roles(
    t: &mut Transcript,
    configured: &[String],
    texts: &[Work<TurnText>],
) -> CoachSource {
    let eq = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let mark = |t: &mut Transcript, names: &[String]| -> bool {
        let mut any = false;
        for s in &mut t.speakers {
            if names.iter().any(|n| eq(n, &s.name)) {
                s.role = Role::Coach;
                any = true;
            }
        }
        any
    };
    if mark(t, configured) {
        return CoachSource::Config;
    }
    let fm = t.front_matter.coach.clone();
    if mark(t, &fm) {
        return CoachSource::FrontMatter;
    }
    let named: Vec<String> = t
        .speakers
        .iter()
        .filter(|s| {
            let n = s.name.to_lowercase();
            n == "coach"
                || n.starts_with("coach ")
                || n.ends_with(" (coach)")
                || n == "mentor coach"
        })
        .map(|s| s.name.clone())
        .collect();
    if mark(t, &named) {
        return CoachSource::Name;
    }
    if t.speakers.len() < 2 {
        return CoachSource::Unknown;
    }
    // Most questions asked; ties go to whoever spoke first.
    let mut score = vec![0usize; t.speakers.len()];
    for (turn, text) in t.turns.iter().zip(texts) {
        score[turn.speaker] += text.sentences.iter().filter(|s| s.1.is_question()).count();
    }
    let first = t.turns.first().map_or(0, |x| x.speaker);
    let best = (0..score.len())
        .max_by_key(|&i| (score[i], i == first))
        .unwrap_or(first);
    t.speakers[best].role = Role::Coach;
    CoachSource::Inferred
}

fn suppressed(t: &Transcript, f: &Finding) -> bool {
    t.directives.iter().any(|d| {
        let applies = d.selectors.is_empty() || d.selectors.iter().any(|s| f.rule.matches(s));
        applies
            && match d.scope {
                DirectiveScope::File => true,
                DirectiveScope::NextTurn => {
                    // The first turn that starts after the comment.
                    let next = t.turns.iter().position(|x| x.start() > d.span.start);
                    next.is_some_and(|n| f.turn == Some(n))
                }
            }
    })
}

/// Category counts, for summaries.
pub fn count_by_category(findings: &[Finding]) -> Vec<(Category, usize)> {
    Category::ALL
        .into_iter()
        .map(|c| (c, findings.iter().filter(|f| f.category() == c).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}
