//! Configuration for the server: `.coachlint.toml` files found from each
//! document (reloaded when they change, the last good one kept when an edit
//! breaks them), with editor settings layered on top.

use coachlint_core::config::FILE_NAME;
use coachlint_core::{Config, ConfigError, Settings};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Server options that travel with the editor settings but are not [`Settings`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServerOptions {
    /// Milliseconds to wait after a change before analysing.
    pub debounce_ms: Option<u64>,
}

/// Editor settings as JSON: `{"coachlint": {...}}` or the object itself. Keys may
/// be camelCase as editors write them (`maxTalkShare`) or kebab-case as in
/// `.coachlint.toml`; severity selectors are kept as written.
pub fn parse_settings(value: &Value) -> Result<(Settings, ServerOptions), String> {
    let obj = match value {
        Value::Null => return Ok(Default::default()),
        Value::Object(o) => match o.get("coachlint") {
            Some(Value::Object(inner)) => inner,
            Some(Value::Null) | None => o,
            Some(_) => return Err("`coachlint` settings must be an object".into()),
        },
        _ => return Err("settings must be an object".into()),
    };
    let mut opts = ServerOptions::default();
    let mut settings = Map::new();
    for (k, v) in obj {
        let key = kebab(k);
        if key == "debounce-ms" {
            opts.debounce_ms = Some(
                v.as_u64()
                    .ok_or("`debounceMs` must be a whole number of milliseconds")?,
            );
            continue;
        }
        let v = match (key.as_str(), v) {
            ("thresholds", Value::Object(t)) => {
                Value::Object(t.iter().map(|(k, v)| (kebab(k), v.clone())).collect())
            }
            _ => v.clone(),
        };
        settings.insert(key, v);
    }
    let settings = serde_json::from_value(Value::Object(settings)).map_err(|e| e.to_string())?;
    Ok((settings, opts))
}

/// `maxTalkShare` → `max-talk-share`; kebab-case stays as it is.
fn kebab(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A `.coachlint.toml` as last read.
#[derive(Debug, Default)]
struct FileEntry {
    /// The last version that loaded, if any did.
    good: Option<Config>,
    /// Why the file as it stands does not load.
    error: Option<ConfigError>,
    /// Needs reading again (it changed on disk).
    stale: bool,
    /// `good` (or the defaults) with the editor settings on top.
    effective: Option<Arc<Config>>,
}

/// A change in a config file's health, for its diagnostics.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigStatus {
    /// The `.coachlint.toml`.
    pub path: PathBuf,
    pub error: Option<ConfigError>,
    /// The error it had before, to clear where it was shown.
    pub previous: Option<ConfigError>,
}

impl ConfigStatus {
    /// The file an error is in: a rule pack the config names, or the config.
    pub fn file_of(&self, e: &ConfigError) -> PathBuf {
        e.path.clone().unwrap_or_else(|| self.path.clone())
    }
}

/// Every configuration the server has read.
#[derive(Debug, Default)]
pub struct ConfigStore {
    editor: Settings,
    files: HashMap<PathBuf, FileEntry>,
    /// For documents with no `.coachlint.toml` above them.
    default: Option<Arc<Config>>,
}

impl ConfigStore {
    pub fn editor_settings(&self) -> &Settings {
        &self.editor
    }

    /// Replaces the editor settings if they are valid on their own. A rule
    /// selector the built-in rules do not know is kept: a project's rule pack
    /// may define it, and it applies where one does ([`unknown_selectors`]
    /// says which to warn about).
    pub fn set_editor(&mut self, settings: Settings) -> Result<bool, ConfigError> {
        let base = Config::default();
        base.layered(for_rules(&settings, &base).0)?;
        if settings == self.editor {
            return Ok(false);
        }
        self.editor = settings;
        self.default = None;
        for e in self.files.values_mut() {
            e.effective = None;
        }
        Ok(true)
    }

    /// Marks every config file for reading again.
    pub fn invalidate(&mut self) {
        for e in self.files.values_mut() {
            e.stale = true;
            e.effective = None;
        }
    }

    /// Whether `path` is a config file or a rule pack any loaded config uses.
    pub fn is_relevant(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == FILE_NAME)
            || self.files.iter().any(|(cfg, e)| {
                let base = cfg.parent().unwrap_or(Path::new(""));
                e.good.iter().any(|c| {
                    c.settings
                        .rule_packs
                        .iter()
                        .any(|p| path.starts_with(base.join(p)))
                })
            })
    }

    /// The configuration for a document governed by `path` (`None`: no config
    /// file). Reads the file if it is new or stale; a file that fails to load
    /// leaves the last good version in force. Returns the health of the file
    /// when it changed, so its diagnostics can be updated.
    pub fn config_for(&mut self, path: Option<&Path>) -> (Arc<Config>, Option<ConfigStatus>) {
        let Some(path) = path else {
            let editor = &self.editor;
            let c = self
                .default
                .get_or_insert_with(|| Arc::new(layer(&Config::default(), editor)))
                .clone();
            return (c, None);
        };
        let entry = self
            .files
            .entry(path.to_owned())
            .or_insert_with(|| FileEntry {
                stale: true,
                ..Default::default()
            });
        let mut status = None;
        if entry.stale {
            entry.stale = false;
            entry.effective = None;
            let before = entry.error.clone();
            match Config::load(path) {
                Ok(c) => {
                    entry.good = Some(c);
                    entry.error = None;
                }
                Err(e) => entry.error = Some(e),
            }
            if entry.error != before || entry.error.is_some() {
                status = Some(ConfigStatus {
                    path: path.to_owned(),
                    error: entry.error.clone(),
                    previous: before,
                });
            }
        }
        let editor = &self.editor;
        let c = entry
            .effective
            .get_or_insert_with(|| {
                Arc::new(match &entry.good {
                    Some(good) => layer(good, editor),
                    None => layer(&Config::default(), editor),
                })
            })
            .clone();
        (c, status)
    }

    /// Forgets a config file that was deleted; true if it had an error showing.
    pub fn forget(&mut self, path: &Path) -> bool {
        self.files.remove(path).is_some_and(|e| e.error.is_some())
    }
}

/// `base` with the editor settings on top; if they do not fit this config
/// (a selector only its rule packs define, say), the config alone.
fn layer(base: &Config, editor: &Settings) -> Config {
    if *editor == Settings::default() {
        return base.clone();
    }
    base.layered(for_rules(editor, base).0)
        .unwrap_or_else(|_| base.clone())
}

/// The editor settings without the rule selectors `config`'s rules do not
/// know (a rule of another project's pack), and those selectors.
pub fn for_rules(editor: &Settings, config: &Config) -> (Settings, Vec<String>) {
    let known = |s: &String| config.rules.matches_any(s);
    let mut unknown: Vec<String> = editor
        .select
        .iter()
        .chain(&editor.ignore)
        .chain(editor.severity.keys())
        .filter(|s| !known(s))
        .cloned()
        .collect();
    unknown.dedup();
    let mut out = editor.clone();
    out.select.retain(known);
    out.ignore.retain(known);
    out.severity.retain(|k, _| known(k));
    (out, unknown)
}

/// Selectors in the editor settings that neither the built-in rules nor any
/// project read so far defines: most likely typos.
pub fn unknown_selectors(store: &ConfigStore) -> Vec<String> {
    let (_, mut unknown) = for_rules(&store.editor, &Config::default());
    unknown.retain(|s| {
        !store
            .files
            .values()
            .filter_map(|e| e.good.as_ref())
            .any(|c| c.rules.matches_any(s))
    });
    unknown
}

/// The nearest `.coachlint.toml` at or above a document.
pub fn find_config(doc: &Path) -> Option<PathBuf> {
    Config::find(doc)
}

/// What to write to make a project ignore `code`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IgnoreEdit {
    /// Insert `text` at byte `at` of the existing file.
    Insert { at: usize, text: String },
    /// The file does not exist: create it with `text`.
    Create { text: String },
}

/// The edit that adds `code` to `ignore` in a `.coachlint.toml`, keeping the rest
/// of the file as it is. `None` when the file does not parse, `ignore` is not
/// an array of strings, or the code is already there.
pub fn ignore_edit(existing: Option<&str>, code: &str) -> Option<IgnoreEdit> {
    let quoted = Value::String(code.to_owned()).to_string();
    let Some(text) = existing else {
        return Some(IgnoreEdit::Create {
            text: format!("# Rules this project does not run.\nignore = [{quoted}]\n"),
        });
    };
    let doc = toml::de::DeTable::parse(text).ok()?;
    let root = doc.get_ref();
    if let Some((_, value)) = root.iter().find(|(k, _)| k.get_ref() == "ignore") {
        let toml::de::DeValue::Array(items) = value.get_ref() else {
            return None;
        };
        let mut last_end = None;
        for item in items.iter() {
            match item.get_ref() {
                toml::de::DeValue::String(s) if s.eq_ignore_ascii_case(code) => return None,
                toml::de::DeValue::String(_) => last_end = Some(item.span().end),
                _ => return None,
            }
        }
        return Some(match last_end {
            Some(at) => IgnoreEdit::Insert {
                at,
                text: format!(", {quoted}"),
            },
            // `ignore = []`: inside the brackets.
            None => IgnoreEdit::Insert {
                at: value.span().start + 1,
                text: quoted,
            },
        });
    }
    // A root key must come before the first `[table]` header.
    let header = root
        .iter()
        .filter(|(_, v)| matches!(v.get_ref(), toml::de::DeValue::Table(_)))
        .filter_map(|(k, _)| {
            let line_start = text[..k.span().start].rfind('\n').map_or(0, |i| i + 1);
            text[line_start..]
                .trim_start()
                .starts_with('[')
                .then_some(line_start)
        })
        .min();
    let line = format!("ignore = [{quoted}]\n");
    Some(match header {
        Some(at) => IgnoreEdit::Insert { at, text: line },
        None if text.is_empty() || text.ends_with('\n') => IgnoreEdit::Insert {
            at: text.len(),
            text: line,
        },
        None => IgnoreEdit::Insert {
            at: text.len(),
            text: format!("\n{line}"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn apply(text: &str, edit: IgnoreEdit) -> String {
        match edit {
            IgnoreEdit::Insert { at, text: t } => format!("{}{t}{}", &text[..at], &text[at..]),
            IgnoreEdit::Create { text } => text,
        }
    }

    fn check(text: &str) -> Config {
        Config::from_toml(text, None).unwrap()
    }

    #[test]
    fn settings_accept_camel_case_and_a_section() {
        let v = json!({"coachlint": {"coach": ["Maya"], "ignore": ["ADV001"],
            "severity": {"QST001": "error"}, "thresholds": {"maxTalkShare": 0.4},
            "debounceMs": 0}});
        let (s, o) = parse_settings(&v).unwrap();
        assert_eq!(s.coach, ["Maya"]);
        assert_eq!(s.ignore, ["ADV001"]);
        assert_eq!(s.thresholds.max_talk_share, 0.4);
        assert!(s.severity.contains_key("QST001"));
        assert_eq!(o.debounce_ms, Some(0));
        // Thresholds belong in their table; unknown keys are rejected.
        assert!(parse_settings(&json!({"maxTalkShare": 0.4})).is_err());
        assert!(parse_settings(&json!({"coachh": []})).is_err());
        assert!(parse_settings(&json!(3)).is_err());
        assert_eq!(parse_settings(&Value::Null).unwrap().0, Settings::default());
    }

    #[test]
    fn ignore_is_added_to_an_existing_list() {
        let text = "coach = [\"Maya\"]\nignore = [\n  \"QST\", # why\n]\n\n[thresholds]\nmax-talk-share = 0.4\n";
        let out = apply(text, ignore_edit(Some(text), "ADV001").unwrap());
        assert_eq!(
            out,
            "coach = [\"Maya\"]\nignore = [\n  \"QST\", \"ADV001\", # why\n]\n\n[thresholds]\nmax-talk-share = 0.4\n"
        );
        assert_eq!(check(&out).settings.ignore, ["QST", "ADV001"]);
        assert_eq!(ignore_edit(Some(&out), "adv001"), None, "already there");
        let empty = "ignore = []\n";
        let out = apply(empty, ignore_edit(Some(empty), "ADV001").unwrap());
        assert_eq!(out, "ignore = [\"ADV001\"]\n");
    }

    #[test]
    fn ignore_goes_before_the_first_table() {
        let text = "# mine\ncoach = [\"Maya\"]\n\n[thresholds]\nmax-talk-share = 0.4\n";
        let out = apply(text, ignore_edit(Some(text), "ADV001").unwrap());
        assert_eq!(
            out,
            "# mine\ncoach = [\"Maya\"]\n\nignore = [\"ADV001\"]\n[thresholds]\nmax-talk-share = 0.4\n"
        );
        assert_eq!(check(&out).settings.thresholds.max_talk_share, 0.4);
        let bare = "coach = [\"Maya\"]";
        let out = apply(bare, ignore_edit(Some(bare), "ADV001").unwrap());
        assert_eq!(check(&out).settings.ignore, ["ADV001"]);
    }

    #[test]
    fn a_missing_file_is_created_and_a_broken_one_left_alone() {
        let created = apply("", ignore_edit(None, "ADV001").unwrap());
        assert_eq!(check(&created).settings.ignore, ["ADV001"]);
        assert_eq!(ignore_edit(Some("ignore = [\n"), "ADV001"), None);
        assert_eq!(ignore_edit(Some("ignore = \"ADV\"\n"), "ADV001"), None);
    }

    #[test]
    fn broken_files_keep_the_last_good_config() {
        let dir = std::env::temp_dir().join(format!("coachlint-lsp-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, "ignore = [\"ADV001\"]\n").unwrap();
        let mut store = ConfigStore::default();
        let (c, status) = store.config_for(Some(&path));
        assert_eq!(c.settings.ignore, ["ADV001"]);
        assert_eq!(status, None);
        std::fs::write(&path, "ignore = [\"ADV001\"\n").unwrap();
        store.invalidate();
        let (c, status) = store.config_for(Some(&path));
        assert_eq!(c.settings.ignore, ["ADV001"], "last good kept");
        let err = status.unwrap().error.unwrap();
        assert_eq!(err.line, Some(1));
        std::fs::write(&path, "ignore = [\"QST\"]\n").unwrap();
        store.invalidate();
        let (c, status) = store.config_for(Some(&path));
        assert_eq!(c.settings.ignore, ["QST"]);
        assert_eq!(status.unwrap().error, None, "the error clears");
        let editor = Settings {
            ignore: vec!["ADV".into()],
            ..Default::default()
        };
        assert!(store.set_editor(editor).unwrap());
        let (c, _) = store.config_for(Some(&path));
        assert_eq!(c.settings.ignore, ["QST", "ADV"]);
        let mut bad = Settings::default();
        bad.thresholds.max_talk_share = 2.0;
        assert!(store.set_editor(bad).is_err());
        assert_eq!(store.editor_settings().ignore, ["ADV"], "previous kept");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn editor_settings_may_name_a_rule_only_a_project_pack_defines() {
        let dir = std::env::temp_dir().join(format!("coachlint-lsp-pack-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("team.toml"),
            r#"
[[rule]]
code = "TEAM001"
name = "fix-it-for-them"
category = "advice"
severity = "warning"
summary = "Offering to do the client's work"
patterns = ['''\bi'll handle it for you\b''']
fire = ["I'll handle it for you."]
pass = ["How will you handle it?"]
explanation = "Doing it for them teaches them that they cannot."
"#,
        )
        .unwrap();
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, "rule-packs = [\"team.toml\"]\n").unwrap();
        let mut store = ConfigStore::default();
        let editor = Settings {
            ignore: vec!["TEAM001".into(), "ADV001".into(), "TAEM002".into()],
            ..Default::default()
        };
        assert!(store.set_editor(editor).unwrap(), "accepted");
        // In the project that defines it, the editor's ignore applies.
        let (c, status) = store.config_for(Some(&path));
        assert_eq!(status.and_then(|s| s.error), None);
        assert_eq!(c.settings.ignore, ["TEAM001", "ADV001"]);
        assert!(!c.enabled(&c.rules.get("TEAM001").unwrap().meta));
        // Elsewhere the rest of the editor settings still apply.
        let (c, _) = store.config_for(None);
        assert_eq!(c.settings.ignore, ["ADV001"]);
        // Only the selector no configuration defines is worth a warning.
        assert_eq!(unknown_selectors(&store), ["TAEM002"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
