//! `.coachlint.toml`: found by walking up from the transcript, read once, shared
//! by the CLI, the server and the report. Editor settings and command-line flags
//! layer on top of it through [`Settings::merge`].

use crate::finding::{Category, Severity};
use crate::formats::Format;
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const FILE_NAME: &str = ".coachlint.toml";

/// Thresholds of the structural rules. Defaults follow the coaching norms in
/// ICF PCC marker 7.8 and the 20–30% share-of-voice "green zone".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Thresholds {
    /// Coach questions per coach statement below which BAL001 fires.
    pub min_question_ratio: f64,
    /// Coach share of the words spoken above which BAL003 fires.
    pub max_talk_share: f64,
    /// Words in one coach turn above which BAL004 fires.
    pub max_monologue_words: usize,
    /// Consecutive coach turns without a question at which BAL002 fires.
    pub no_question_run: usize,
    /// Questions in one coach turn at which QST002 fires.
    pub stacked_questions: usize,
    /// Consecutive closed coach questions at which QST003 fires.
    pub closed_question_run: usize,
    /// Coach turns at the start (and end) searched for the session agreement.
    pub agreement_window: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_question_ratio: 1.0,
            max_talk_share: 0.5,
            max_monologue_words: 120,
            no_question_run: 3,
            stacked_questions: 3,
            closed_question_run: 3,
            agreement_window: 5,
        }
    }
}

impl Thresholds {
    /// Per key: a value `over` sets (one that differs from the default) wins, so
    /// an editor setting one threshold keeps the file's others.
    fn merge(&self, over: &Thresholds) -> Thresholds {
        let d = Thresholds::default();
        macro_rules! pick {
            ($($f:ident),*) => {
                Thresholds { $($f: if over.$f != d.$f { over.$f } else { self.$f }),* }
            };
        }
        pick!(
            min_question_ratio,
            max_talk_share,
            max_monologue_words,
            no_question_run,
            stacked_questions,
            closed_question_run,
            agreement_window
        )
    }
}

/// The configuration as written: `.coachlint.toml`, editor settings, flags.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Settings {
    /// Names of the coach(es); every other speaker is a client.
    pub coach: Vec<String>,
    /// Rules to run, by code (`ADV001`), code prefix (`ADV`), name or category.
    /// Empty means all.
    pub select: Vec<String>,
    /// Rules not to run, by the same selectors.
    pub ignore: Vec<String>,
    /// Severity per selector, e.g. `ADV001 = "error"`, `judgment = "hint"`.
    pub severity: BTreeMap<String, Severity>,
    pub thresholds: Thresholds,
    /// Extra rule-pack files or directories of `*.toml`, relative to the config.
    pub rule_packs: Vec<PathBuf>,
    /// Force a transcript format instead of detecting it.
    pub input_format: Option<Format>,
}

impl Settings {
    /// Layers `over` on top of `self`: lists given in `over` replace, severities merge.
    pub fn merge(mut self, over: Settings) -> Settings {
        if !over.coach.is_empty() {
            self.coach = over.coach;
        }
        if !over.select.is_empty() {
            self.select = over.select;
        }
        self.ignore.extend(over.ignore);
        self.severity.extend(over.severity);
        self.thresholds = self.thresholds.merge(&over.thresholds);
        self.rule_packs.extend(over.rule_packs);
        if over.input_format.is_some() {
            self.input_format = over.input_format;
        }
        self
    }
}

/// The configuration in force: settings plus the compiled rules.
#[derive(Clone, Debug)]
pub struct Config {
    pub settings: Settings,
    pub rules: Arc<RuleSet>,
    /// The `.coachlint.toml` it came from, if any.
    pub path: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            settings: Settings::default(),
            rules: RuleSet::builtin(),
            path: None,
        }
    }
}

/// An invalid configuration or rule pack: which file, line and key, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: Option<PathBuf>,
    /// 1-based.
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{}:{l}: ", p.display())?,
            (Some(p), None) => write!(f, "{}: ", p.display())?,
            (None, Some(l)) => write!(f, "line {l}: ")?,
            (None, None) => {}
        }
        if let Some(k) = &self.key {
            write!(f, "`{k}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    pub fn new(message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: None,
            line: None,
            key: None,
            message: message.into(),
        }
    }

    pub fn in_file(mut self, path: &Path) -> ConfigError {
        self.path.get_or_insert_with(|| path.to_owned());
        self
    }

    /// From a TOML parse error, with the line of its span and the key it names.
    pub fn from_toml(text: &str, err: &toml::de::Error) -> ConfigError {
        let line = err
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let message = err.message().trim().to_owned();
        let key = err.span().and_then(|s| key_at(text, s.start));
        ConfigError {
            path: None,
            line,
            key,
            message,
        }
    }
}

/// The key on the line of `offset`, for errors whose span is a value.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_owned())
}

impl Config {
    /// Compiles settings into a configuration; `base` resolves relative rule-pack paths.
    pub fn from_settings(settings: Settings, base: Option<&Path>) -> Result<Config, ConfigError> {
        let rules = if settings.rule_packs.is_empty() {
            RuleSet::builtin()
        } else {
            let packs: Vec<PathBuf> = settings
                .rule_packs
                .iter()
                .map(|p| base.map_or_else(|| p.clone(), |b| b.join(p)))
                .collect();
            Arc::new(RuleSet::with_packs(&packs)?)
        };
        let config = Config {
            settings,
            rules,
            path: None,
        };
        config.validate()?;
        Ok(config)
    }

    /// Parses the text of a `.coachlint.toml`.
    pub fn from_toml(text: &str, path: Option<&Path>) -> Result<Config, ConfigError> {
        let with_path = |e: ConfigError| match path {
            Some(p) => e.in_file(p),
            None => e,
        };
        let settings: Settings =
            toml::from_str(text).map_err(|e| with_path(ConfigError::from_toml(text, &e)))?;
        let base = path.and_then(Path::parent);
        let mut config = Config::from_settings(settings, base).map_err(|mut e| {
            // Point at the line where the offending key is written.
            if e.line.is_none() {
                if let Some(k) = &e.key {
                    e.line = text
                        .lines()
                        .position(|l| l.contains(k.as_str()))
                        .map(|i| i + 1);
                }
            }
            with_path(e)
        })?;
        config.path = path.map(Path::to_owned);
        Ok(config)
    }

    /// Reads a `.coachlint.toml` file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_text(path, "configuration file")?;
        Config::from_toml(&text, Some(path))
    }

    /// The nearest `.coachlint.toml` at or above `start` (a file or directory).
    pub fn find(start: &Path) -> Option<PathBuf> {
        let abs = std::path::absolute(search_dir(start)).ok()?;
        abs.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// The configuration for a transcript at `start`: the nearest config file, or defaults.
    pub fn discover(start: &Path) -> Result<Config, ConfigError> {
        match Config::find(start) {
            Some(p) => Config::load(&p),
            None => Ok(Config::default()),
        }
    }

    /// The same configuration with `over` layered on top (editor settings, flags).
    pub fn layered(&self, over: Settings) -> Result<Config, ConfigError> {
        let base = self.path.as_deref().and_then(Path::parent);
        let mut c = Config::from_settings(self.settings.clone().merge(over), base)?;
        c.path = self.path.clone();
        Ok(c)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let known = |sel: &str| self.rules.matches_any(sel);
        for (key, list) in [
            ("select", &self.settings.select),
            ("ignore", &self.settings.ignore),
        ] {
            for s in list {
                if !known(s) {
                    return Err(ConfigError {
                        key: Some(key.into()),
                        ..ConfigError::new(format!(
                            "`{s}` is not a rule code, name or category (see `coachlint rules`)"
                        ))
                    });
                }
            }
        }
        for s in self.settings.severity.keys() {
            if !known(s) {
                return Err(ConfigError {
                    key: Some(s.clone()),
                    ..ConfigError::new(format!(
                        "`{s}` in [severity] is not a rule code, name or category"
                    ))
                });
            }
        }
        let t = &self.settings.thresholds;
        if !(0.0..=1.0).contains(&t.max_talk_share) {
            return Err(ConfigError {
                key: Some("max-talk-share".into()),
                ..ConfigError::new("must be a fraction between 0 and 1")
            });
        }
        Ok(())
    }

    /// Whether a rule runs under `select` and `ignore`.
    pub fn enabled(&self, meta: &crate::rules::RuleMeta) -> bool {
        let s = &self.settings;
        (s.select.is_empty() || s.select.iter().any(|x| meta.matches(x)))
            && !s.ignore.iter().any(|x| meta.matches(x))
    }

    /// The severity in force for a rule: the most specific configured selector wins.
    pub fn severity(&self, meta: &crate::rules::RuleMeta) -> Severity {
        self.settings
            .severity
            .iter()
            .filter(|(sel, _)| meta.matches(sel))
            .max_by_key(|(sel, _)| meta.specificity(sel))
            .map_or(meta.severity, |(_, sev)| *sev)
    }
}

/// A configuration or rule pack file is small: larger is a mistake (or a
/// device), refused before it is read.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;

/// The text of a configuration file or rule pack (`what` names it in
/// errors: "configuration file", "rule pack"), or an error naming the path.
pub fn read_text(path: &Path, what: &str) -> Result<String, ConfigError> {
    let bytes = match crate::input::read_at_most(path, MAX_CONFIG_BYTES) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => {
            let limit = MAX_CONFIG_BYTES >> 20;
            return Err(
                ConfigError::new(format!("larger than the {limit} MB a {what} may be"))
                    .in_file(path),
            );
        }
        Err(e) => return Err(ConfigError::new(format!("cannot read {what}: {e}")).in_file(path)),
    };
    String::from_utf8(bytes).map_err(|_| ConfigError::new("not valid UTF-8").in_file(path))
}

/// The directory a transcript's configuration is searched from: the path itself
/// when it is a directory, else its parent (the current directory for a bare
/// file name, whose parent is empty).
pub fn search_dir(path: &Path) -> &Path {
    if path.is_dir() {
        return path;
    }
    parent_dir(path)
}

/// The directory holding the file `path` (the current directory for a bare
/// file name): [`search_dir`] for a path known to be a file, without asking
/// the file system.
pub fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

pub fn category_selector(s: &str) -> Option<Category> {
    Category::parse(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_key_names_line_and_key() {
        let text = "coach = [\"Maya\"]\n\n[thresholds]\nmax-talk-shar = 0.4\n";
        let e = Config::from_toml(text, Some(Path::new("/p/.coachlint.toml"))).unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.to_string().starts_with("/p/.coachlint.toml:4:"), "{e}");
        assert!(e.to_string().contains("max-talk-shar"), "{e}");
    }

    #[test]
    fn unknown_selector_is_an_error_with_its_line() {
        let text = "select = [\"advice\"]\nignore = [\"NOPE999\"]\n";
        let e = Config::from_toml(text, None).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert_eq!(e.key.as_deref(), Some("ignore"));
    }

    #[test]
    fn layered_thresholds_merge_per_key() {
        let file = Config::from_toml(
            "[thresholds]\nmax-talk-share = 0.4\nstacked-questions = 2\n",
            None,
        )
        .unwrap();
        let over = Settings {
            thresholds: Thresholds {
                max_monologue_words: 80,
                ..Thresholds::default()
            },
            ..Settings::default()
        };
        let t = file.layered(over).unwrap().settings.thresholds;
        assert_eq!(
            (t.max_talk_share, t.stacked_questions, t.max_monologue_words),
            (0.4, 2, 80)
        );
    }

    #[test]
    fn wrong_type_is_an_error() {
        let e = Config::from_toml("coach = 3\n", None).unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
