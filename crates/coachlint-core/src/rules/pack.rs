//! Rule packs: TOML files of rule definitions. The built-in packs are embedded
//! from the repository's `rules/` directory; projects add their own through
//! `rule-packs` in `.coachlint.toml`.

use super::checks::{self, CheckFn};
use super::phrase::{PhraseRule, RephraseStyle, SentenceFilter};
use super::{CACHE_CAPACITY, LazyPattern, Pattern, PatternSet, RuleMeta};
use crate::analysis::Mode;
use crate::config::ConfigError;
use crate::finding::{Category, Severity};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// The built-in packs: (origin, text).
pub(crate) const BUILTIN_PACKS: [(&str, &str); 7] = [
    (
        "builtin:advice.toml",
        include_str!("../../../../rules/advice.toml"),
    ),
    (
        "builtin:leading.toml",
        include_str!("../../../../rules/leading.toml"),
    ),
    (
        "builtin:judgment.toml",
        include_str!("../../../../rules/judgment.toml"),
    ),
    (
        "builtin:questioning.toml",
        include_str!("../../../../rules/questioning.toml"),
    ),
    (
        "builtin:mentoring.toml",
        include_str!("../../../../rules/mentoring.toml"),
    ),
    (
        "builtin:balance.toml",
        include_str!("../../../../rules/balance.toml"),
    ),
    (
        "builtin:agreement.toml",
        include_str!("../../../../rules/agreement.toml"),
    ),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    #[serde(default)]
    rule: Vec<Spanned<RuleDef>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleDef {
    code: Spanned<String>,
    name: String,
    category: Spanned<String>,
    severity: Spanned<String>,
    #[serde(default)]
    icf: Vec<String>,
    summary: String,
    /// One line; `{match}` is replaced by the words seen.
    message: Option<String>,
    explanation: String,
    #[serde(default)]
    fire: Vec<String>,
    #[serde(default)]
    pass: Vec<String>,
    // Phrase rules.
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    unless: Vec<Spanned<String>>,
    #[serde(default)]
    sentence: Option<Spanned<String>>,
    #[serde(default)]
    rephrase: Option<Spanned<String>>,
    #[serde(default)]
    mode: Option<Spanned<String>>,
    /// Advice: becomes the `permission-code` rule when permission was asked.
    #[serde(default)]
    permission_code: Option<String>,
    /// Skip when the coach is reflecting the client's own words (default true).
    #[serde(default)]
    reflections_exempt: Option<bool>,
    // Checks.
    check: Option<Spanned<String>>,
}

#[derive(Clone, Debug)]
pub enum RuleKind {
    Phrase(PhraseRule),
    Check(CheckFn),
    /// A rule that other rules report under (e.g. advice with permission),
    /// with the message template they then report.
    Derived {
        message: Option<String>,
    },
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub meta: Arc<RuleMeta>,
    pub kind: RuleKind,
}

/// Every rule in force, with a prefilter over all phrase patterns.
#[derive(Clone, Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Every phrase pattern, then every ICF marker pattern, every
    /// conversation-mode cue, the coach asking permission, autonomy framing
    /// and the coach's "you should `<verb>`", and every rule's `unless`
    /// patterns: each coach sentence is walked once for all. `phrase_rule[i]`
    /// is pattern `i`'s rule index; pattern `phrase_rule.len() + j` is marker
    /// `marker_of[j]`'s; the cues follow, cue `k` of mode `cue_mode[k]`; then
    /// the ask, the framing, the verb, and from `first_unless` the
    /// exemptions, pattern `first_unless + k` of rule `unless_rule[k]`.
    pub(crate) phrases: PatternSet,
    pub(crate) phrase_rule: Vec<usize>,
    pub(crate) marker_of: Vec<usize>,
    pub(crate) cue_mode: Vec<crate::analysis::Mode>,
    pub(crate) first_unless: usize,
    /// Empty when some `unless` pattern can match empty text (it would put
    /// the whole set on the slow engine): then each rule searches its own.
    pub(crate) unless_rule: Vec<usize>,
    /// The rules the advice model reports under: on its own, and with permission.
    pub(crate) model_rules: Option<(usize, usize)>,
}

impl RuleSet {
    pub fn builtin() -> Arc<RuleSet> {
        super::builtin()
    }

    /// The built-in packs plus the packs at `paths` (files or directories of `*.toml`).
    pub fn with_packs(paths: &[PathBuf]) -> Result<RuleSet, ConfigError> {
        let mut sources: Vec<(String, String)> = BUILTIN_PACKS
            .iter()
            .map(|(o, t)| (o.to_string(), t.to_string()))
            .collect();
        for p in paths {
            let files = if p.is_dir() {
                let mut v: Vec<PathBuf> = std::fs::read_dir(p)
                    .map_err(|e| {
                        ConfigError::new(format!("cannot read rule-pack directory: {e}")).in_file(p)
                    })?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|f| f.extension().is_some_and(|x| x == "toml"))
                    .collect();
                v.sort();
                v
            } else {
                vec![p.clone()]
            };
            for f in files {
                let text = crate::config::read_text(&f, "rule pack")?;
                sources.push((f.display().to_string(), text));
            }
        }
        let refs: Vec<(&str, &str)> = sources
            .iter()
            .map(|(o, t)| (o.as_str(), t.as_str()))
            .collect();
        RuleSet::from_sources(&refs)
    }

    /// Compiles packs given as (origin, TOML text).
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<RuleSet, ConfigError> {
        let mut packs = Vec::with_capacity(sources.len());
        for (origin, text) in sources {
            let pack: PackFile = toml::from_str(text)
                .map_err(|e| ConfigError::from_toml(text, &e).in_file(Path::new(origin)))?;
            packs.push((*origin, *text, pack));
        }
        // Every phrase pattern, in rule order, and the rule it belongs to (each
        // definition becomes one rule, or the packs are an error).
        let mut pats = Vec::new();
        let mut owner = Vec::new();
        // Where each pattern is written: (origin, pack text, span).
        let mut written = Vec::new();
        let defs = packs
            .iter()
            .flat_map(|(origin, text, pack)| pack.rule.iter().map(move |d| (origin, text, d)));
        for (i, (origin, text, def)) in defs.enumerate() {
            if def.get_ref().check.is_none() {
                for p in &def.get_ref().patterns {
                    pats.push(pattern_source(p.get_ref()));
                    owner.push(i);
                    written.push((*origin, *text, p.span()));
                }
            }
        }
        let (markers, marker_of) = crate::analysis::markers::patterns();
        pats.extend(markers);
        let (cues, cue_mode) = crate::analysis::modes::cue_patterns();
        assert!(cue_mode.len() <= 64, "the cues fit in a bit set");
        pats.extend(cues);
        pats.push(super::phrase::permission_ask_pattern());
        pats.push(super::phrase::autonomy_pattern());
        pats.push(super::phrase::coach_verb_pattern());
        // The rules' exemptions: whether one applies is then a look at the
        // walk's matches, not a search of the sentence with a cold regex.
        let first_unless = pats.len();
        let unless: Vec<(usize, String)> = packs
            .iter()
            .flat_map(|(_, _, pack)| &pack.rule)
            .enumerate()
            .flat_map(|(i, d)| {
                let d = d.get_ref();
                let phrase = d.check.is_none();
                d.unless
                    .iter()
                    .filter(move |_| phrase)
                    .map(move |p| (i, pattern_source(p.get_ref())))
            })
            .collect();
        let mut unless_rule = Vec::with_capacity(unless.len());
        for (i, src) in unless {
            pats.push(src);
            unless_rule.push(i);
        }
        // The set of all patterns is most of compiling the packs. Its patterns
        // are parsed half on a second core, half on this one (after the rules,
        // whose own regexes compile when first used); then, while the second
        // core builds the automaton, this one compiles the patterns every
        // analysis needs, which the first files would otherwise wait for.
        std::thread::scope(|scope| {
            let (first, second) = pats.split_at(pats.len() / 2);
            let first = scope.spawn(|| PatternSet::parse(first));
            let rules = Self::rules(packs)?;
            let second = PatternSet::parse(second);
            let mut hirs = first.join().ok().flatten().zip(second).map(|(mut a, b)| {
                a.extend(b);
                a
            });
            // An exemption that can match empty text would put the whole set
            // on the slow engine: then each rule searches its own.
            let mut pats = &pats[..];
            if let Some(h) = &mut hirs
                && h[first_unless..]
                    .iter()
                    .any(|h| h.properties().minimum_len() == Some(0))
            {
                h.truncate(first_unless);
                pats = &pats[..first_unless];
                unless_rule.clear();
            }
            let set = scope.spawn(|| PatternSet::from_parsed(pats, hirs, CACHE_CAPACITY));
            // On one core this would only delay the set.
            if std::thread::available_parallelism().is_ok_and(|n| n.get() > 1) {
                super::phrase::warm_up();
                crate::rephrase::warm_up();
            }
            let phrases = set
                .join()
                .map_err(|_| ConfigError::new(String::from("compiling the rule patterns failed")))?
                .map_err(|e| ConfigError::new(format!("rule patterns: {e}")))?;
            // A pattern that matches empty text would flag every sentence
            // (and send every sentence's search to the slow engine).
            if phrases.matches_empty() {
                for (src, (origin, text, span)) in pats.iter().zip(&written) {
                    if matches_empty(src) {
                        return Err(ConfigError {
                            path: Some(PathBuf::from(origin)),
                            line: Some(
                                text[..span.start.min(text.len())].matches('\n').count() + 1,
                            ),
                            key: Some(String::from("patterns")),
                            // The literal as written, quotes and all.
                            message: format!(
                                "pattern {} can match empty text, so it would flag every sentence",
                                &text[span.clone()]
                            ),
                        });
                    }
                }
            }
            let position = |code: &str| rules.iter().position(|r| r.meta.code == code);
            let model_rules = position(super::phrase::MODEL_CODE)
                .zip(position(super::phrase::MODEL_PERMISSION_CODE));
            Ok(RuleSet {
                rules,
                phrases,
                phrase_rule: owner,
                marker_of,
                cue_mode,
                first_unless,
                unless_rule,
                model_rules,
            })
        })
    }

    /// The rules of parsed packs, their patterns compiled and checked.
    fn rules(packs: Vec<(&str, &str, PackFile)>) -> Result<Vec<Rule>, ConfigError> {
        let mut rules: Vec<Rule> = Vec::new();
        for (origin, text, pack) in packs {
            // The built-in patterns compile (a test compiles every one), so
            // they are compiled only if searched; a user's are checked now.
            let builtin = BUILTIN_PACKS.contains(&(origin, text));
            let err_at = |span: std::ops::Range<usize>, key: &str, msg: String| {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                ConfigError {
                    path: Some(PathBuf::from(origin)),
                    line: Some(line),
                    key: Some(key.to_owned()),
                    message: msg,
                }
            };
            for def in pack.rule {
                let span = def.span();
                let def = def.into_inner();
                let code = def.code.get_ref().clone();
                if !valid_code(&code) {
                    return Err(err_at(
                        def.code.span(),
                        "code",
                        format!(
                            "`{code}` is not a rule code like `ADV001` (capital letters, then digits)"
                        ),
                    ));
                }
                if rules
                    .iter()
                    .any(|r| r.meta.code == code || r.meta.name == def.name)
                {
                    return Err(err_at(
                        def.code.span(),
                        "code",
                        format!("rule `{code}` ({}) is defined twice", def.name),
                    ));
                }
                let category = Category::parse(def.category.get_ref()).ok_or_else(|| {
                    err_at(def.category.span(), "category", format!("`{}` is not a category (advice, judgment, leading, questioning, mentoring, balance, agreement)", def.category.get_ref()))
                })?;
                let severity = Severity::parse(def.severity.get_ref()).ok_or_else(|| {
                    err_at(
                        def.severity.span(),
                        "severity",
                        format!(
                            "`{}` is not a severity (error, warning, information, hint)",
                            def.severity.get_ref()
                        ),
                    )
                })?;
                let meta = Arc::new(RuleMeta {
                    code: code.clone(),
                    name: def.name.clone(),
                    category,
                    severity,
                    icf: def.icf.clone(),
                    summary: def.summary.clone(),
                    explanation: def.explanation.trim().to_owned(),
                    examples_fire: def.fire.clone(),
                    examples_pass: def.pass.clone(),
                    origin: origin.to_string(),
                });
                let kind = if let Some(check) = &def.check {
                    let f = checks::CHECKS
                        .iter()
                        .find(|(n, _)| n == check.get_ref())
                        .map(|(_, f)| *f)
                        .ok_or_else(|| {
                            err_at(
                                check.span(),
                                "check",
                                format!("`{}` is not a built-in check", check.get_ref()),
                            )
                        })?;
                    RuleKind::Check(f)
                } else if def.patterns.is_empty() {
                    RuleKind::Derived {
                        message: def.message.clone(),
                    }
                } else {
                    let compile = |pats: &[Spanned<String>],
                                   key: &str|
                     -> Result<Option<LazyPattern>, ConfigError> {
                        if pats.is_empty() {
                            return Ok(None);
                        }
                        let sources: Vec<String> =
                            pats.iter().map(|p| pattern_source(p.get_ref())).collect();
                        let source = joined(&sources);
                        if builtin {
                            return Ok(Some(LazyPattern::unchecked(source)));
                        }
                        // Compile once; only on failure find the pattern to blame.
                        LazyPattern::checked(source).map(Some).map_err(|e| {
                            pats.iter()
                                .find_map(|p| {
                                    Pattern::new(&pattern_source(p.get_ref())).err().map(|e| {
                                        err_at(p.span(), key, format!("invalid pattern: {e}"))
                                    })
                                })
                                .unwrap_or_else(|| {
                                    err_at(span.clone(), key, format!("invalid pattern: {e}"))
                                })
                        })
                    };
                    let sentence = match def.sentence.as_ref().map(|s| s.get_ref().as_str()) {
                        None | Some("any") => SentenceFilter::Any,
                        Some("statement") => SentenceFilter::Statement,
                        Some("question") => SentenceFilter::Question,
                        Some(other) => {
                            return Err(err_at(
                                def.sentence.as_ref().unwrap().span(),
                                "sentence",
                                format!("`{other}` is not one of any, statement, question"),
                            ));
                        }
                    };
                    let rephrase = match &def.rephrase {
                        None => RephraseStyle::None,
                        Some(r) => RephraseStyle::parse(r.get_ref()).ok_or_else(|| {
                            err_at(
                                r.span(),
                                "rephrase",
                                format!(
                                    "`{}` is not a rephrasing style ({})",
                                    r.get_ref(),
                                    RephraseStyle::NAMES.join(", ")
                                ),
                            )
                        })?,
                    };
                    let mode = match &def.mode {
                        None => None,
                        Some(m) => Some(Mode::parse(m.get_ref()).ok_or_else(|| {
                            err_at(
                                m.span(),
                                "mode",
                                format!("`{}` is not a conversation mode", m.get_ref()),
                            )
                        })?),
                    };
                    RuleKind::Phrase(PhraseRule {
                        patterns: def
                            .patterns
                            .iter()
                            .map(|p| pattern_source(p.get_ref()))
                            .collect(),
                        regex: compile(&def.patterns, "patterns")?.expect("non-empty"),
                        unless: compile(&def.unless, "unless")?,
                        sentence,
                        rephrase,
                        mode,
                        message: def.message.clone().unwrap_or_else(|| def.summary.clone()),
                        permission_code: def.permission_code.clone(),
                        reflections_exempt: def.reflections_exempt.unwrap_or(true),
                    })
                };
                rules.push(Rule { meta, kind });
            }
        }
        // Permission codes must name a rule.
        for r in &rules {
            if let RuleKind::Phrase(p) = &r.kind {
                if let Some(pc) = &p.permission_code {
                    if !rules.iter().any(|x| &x.meta.code == pc) {
                        return Err(ConfigError::new(format!(
                            "rule {} names permission-code `{pc}`, which is not defined",
                            r.meta.code
                        ))
                        .in_file(Path::new(&r.meta.origin)));
                    }
                }
            }
        }
        Ok(rules)
    }

    pub fn get(&self, code: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.meta.code.eq_ignore_ascii_case(code) || r.meta.name == code)
    }

    /// Whether any rule answers to a selector.
    pub fn matches_any(&self, selector: &str) -> bool {
        self.rules.iter().any(|r| r.meta.matches(selector))
    }

    pub fn metas(&self) -> impl Iterator<Item = &Arc<RuleMeta>> {
        self.rules.iter().map(|r| &r.meta)
    }
}

/// Whether the regex source `src` can match empty text.
fn matches_empty(src: &str) -> bool {
    regex_automata::util::syntax::parse(src)
        .is_ok_and(|hir| hir.properties().minimum_len() == Some(0))
}

/// Patterns match case-insensitively, and a straight apostrophe in a pattern
/// also matches the typographic one that transcription tools write.
fn pattern_source(p: &str) -> String {
    super::pattern(p)
}

/// One regex matching where any of the regex `sources` does.
fn joined<S: AsRef<str>>(sources: &[S]) -> String {
    sources
        .iter()
        .map(|s| format!("(?:{})", s.as_ref()))
        .collect::<Vec<_>>()
        .join("|")
}

fn valid_code(code: &str) -> bool {
    let letters = code.chars().take_while(|c| c.is_ascii_uppercase()).count();
    letters >= 2 && code.len() > letters && code[letters..].chars().all(|c| c.is_ascii_digit())
}
