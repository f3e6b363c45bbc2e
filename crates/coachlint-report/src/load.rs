//! Reading many transcripts in parallel, each with the configuration that
//! governs it, skipping (and recording) the ones that cannot be read. Follows
//! `coachlint check`: the same flags layer over each file's `.coachlint.toml`,
//! and a `.txt` met while searching a directory that is not a transcript is
//! passed over with a note rather than failed.

use crate::{Report, Session};
use coachlint_core::config::{Config, ConfigError, Settings};
use coachlint_core::input::{self, collect_files, read_file};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Which configuration the transcripts are read with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ConfigSource {
    /// Each file's nearest `.coachlint.toml`, as `Config::discover` finds it.
    #[default]
    Discover,
    /// One file for every transcript (`--config`).
    File(PathBuf),
    /// The built-in defaults (`--no-config`).
    Defaults,
}

#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    pub config: ConfigSource,
    /// Layered over every configuration: `coach`, `select`, `ignore`,
    /// `input_format` from the command line.
    pub overrides: Settings,
    /// The name of the transcript read from `-`: shown in the report, and
    /// where its `.coachlint.toml` is looked for.
    pub stdin_name: Option<PathBuf>,
    /// Show a progress bar on standard error when it is a terminal.
    pub progress: bool,
}

/// A file that was skipped, and why: the message names the file, and the line
/// where there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub path: PathBuf,
    pub message: String,
}

enum Input {
    /// `optional`: a `.txt` found in a directory, which may be any text file.
    File {
        path: PathBuf,
        optional: bool,
    },
    Stdin,
}

enum Outcome {
    Read(Box<Session>),
    Failed(Failure),
    /// Not a transcript, and not asked for by name: a note, not a failure.
    Passed(String),
}

/// What is wrong with the options themselves: nothing can be read.
pub(crate) fn check_options(options: &LoadOptions) -> Result<(), ConfigError> {
    let base = match &options.config {
        ConfigSource::File(p) => Config::load(p)?,
        _ => Config::default(),
    };
    if options.overrides != Settings::default() {
        base.layered(options.overrides.clone())?;
    }
    Ok(())
}

pub(crate) fn load(paths: &[PathBuf], options: &LoadOptions) -> Result<Report, ConfigError> {
    check_options(options)?;
    let mut inputs: Vec<Result<Input, Failure>> = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Ok(Input::Stdin));
            continue;
        }
        let dir = p.is_dir();
        inputs.extend(collect_files(std::slice::from_ref(p)).into_iter().map(|r| {
            r.map(|path| Input::File {
                optional: dir
                    && path
                        .extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("txt")),
                path,
            })
            .map_err(|e| Failure {
                path: e.path.clone(),
                message: e.to_string(),
            })
        }));
    }
    let bar = progress_bar(inputs.len(), options.progress);
    let configs = Configs::new(options);
    let outcomes: Vec<Outcome> = inputs
        .into_par_iter()
        .map(|input| {
            let r = match input {
                Ok(i) => session(i, &configs, options),
                Err(f) => Outcome::Failed(f),
            };
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    let mut sessions = Vec::new();
    let mut failures = Vec::new();
    let mut notes = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Read(s) => sessions.push(*s),
            Outcome::Failed(f) => failures.push(f),
            Outcome::Passed(n) => notes.push(n),
        }
    }
    if !options.overrides.coach.is_empty() {
        let unmatched = sessions
            .iter()
            .filter(|s| s.analysis.coach_source != coachlint_core::CoachSource::Config)
            .count();
        if unmatched > 0 {
            notes.push(format!(
                "{unmatched} session(s) have no speaker called {}: their coach was found another way",
                options.overrides.coach.join(" or ")
            ));
        }
    }
    let mut report = Report::new(sessions, failures);
    report.notes = notes;
    Ok(report)
}

fn progress_bar(len: usize, wanted: bool) -> ProgressBar {
    if !wanted || len < 2 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{prefix} {bar:32.cyan/blue} {pos}/{len} sessions ({eta})")
    {
        bar.set_style(style.progress_chars("█▓░"));
    }
    bar.set_prefix("Analysing");
    bar
}

fn session(input: Input, configs: &Configs, options: &LoadOptions) -> Outcome {
    let (path, optional, text, config) = match input {
        Input::File { path, optional } => {
            let fail = |message: String| {
                Outcome::Failed(Failure {
                    path: path.clone(),
                    message,
                })
            };
            let text = match read_file(&path) {
                Ok(t) => t,
                Err(e) => return fail(e.to_string()),
            };
            let config = match configs.get(&path) {
                Ok(c) => c,
                Err(e) => return fail(format!("{}: {e}", path.display())),
            };
            (path, optional, text, config)
        }
        Input::Stdin => {
            let path = options
                .stdin_name
                .clone()
                .unwrap_or_else(|| PathBuf::from("-"));
            let shown = options
                .stdin_name
                .as_ref()
                .map_or_else(|| "standard input".to_owned(), |p| p.display().to_string());
            let fail = |message: String| {
                Outcome::Failed(Failure {
                    path: path.clone(),
                    message: format!("{shown}: {message}"),
                })
            };
            let text = match input::read_stdin() {
                Ok(t) => t,
                Err(e) => return fail(e.to_string()),
            };
            // Its configuration is found from where it says it is, else from here.
            let start = options
                .stdin_name
                .as_deref()
                .map_or(Path::new("."), coachlint_core::config::parent_dir);
            let config = match configs.get(&start.join("-")) {
                Ok(c) => c,
                Err(e) => return fail(e.to_string()),
            };
            (path, false, text, config)
        }
    };
    let shown = path.display().to_string();
    match Session::new(path.clone(), text, &config) {
        Ok(s) => Outcome::Read(Box::new(s)),
        Err(e) => {
            let at = match e.line {
                Some(l) => format!("{shown}:{l}"),
                None => shown,
            };
            if optional {
                Outcome::Passed(format!("skipped {at}: not a transcript ({})", e.message))
            } else {
                Outcome::Failed(Failure {
                    message: format!("{at}: {}", e.message),
                    path,
                })
            }
        }
    }
}

/// Configurations by the `.coachlint.toml` that governs a file, read (and
/// their rule packs compiled) once each however many transcripts share them.
struct Configs {
    fixed: Option<Arc<Config>>,
    overrides: Settings,
    cache: Mutex<ConfigMap>,
}

/// By the config file found (`None`: no file, the defaults).
type ConfigMap = HashMap<Option<PathBuf>, Result<Arc<Config>, ConfigError>>;

impl Configs {
    fn new(options: &LoadOptions) -> Configs {
        let mut c = Configs {
            fixed: None,
            overrides: options.overrides.clone(),
            cache: Mutex::new(HashMap::new()),
        };
        // `check_options` has already read and layered these once.
        c.fixed = match &options.config {
            ConfigSource::Discover => None,
            ConfigSource::File(p) => Config::load(p).and_then(|b| c.layer(b)).ok(),
            ConfigSource::Defaults => c.layer(Config::default()).ok(),
        };
        c
    }

    fn layer(&self, base: Config) -> Result<Arc<Config>, ConfigError> {
        if self.overrides == Settings::default() {
            Ok(Arc::new(base))
        } else {
            base.layered(self.overrides.clone()).map(Arc::new)
        }
    }

    /// The configuration for a transcript at `path` (for standard input, a
    /// made-up file in the directory to search from).
    fn get(&self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(c) = &self.fixed {
            return Ok(c.clone());
        }
        let found = Config::find(path);
        if let Some(c) = self.lock().get(&found) {
            return c.clone();
        }
        // Loaded outside the lock: another thread may load the same file at
        // the same time, which costs a little and changes nothing.
        let loaded = match &found {
            Some(p) => Config::load(p),
            None => Ok(Config::default()),
        }
        .and_then(|c| self.layer(c));
        self.lock().insert(found, loaded.clone());
        loaded
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ConfigMap> {
        // A panic elsewhere cannot leave the map half-written: take it anyway.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}
