//! Reading many transcripts in parallel, each with the configuration that
//! governs it, skipping (and recording) the ones that cannot be read.

use crate::{Report, Session};
use coachlint_core::config::{Config, ConfigError, Settings};
use coachlint_core::input::{collect_files, decode, read_file};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Names of the coach(es), over any configuration or front matter.
    pub coach: Vec<String>,
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
    File(PathBuf),
    Stdin,
}

pub(crate) fn load(paths: &[PathBuf], options: &LoadOptions) -> Report {
    let mut inputs: Vec<Result<Input, Failure>> = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Ok(Input::Stdin));
            continue;
        }
        inputs.extend(collect_files(std::slice::from_ref(p)).into_iter().map(|r| {
            r.map(Input::File).map_err(|e| Failure {
                path: e.path.clone(),
                message: e.to_string(),
            })
        }));
    }
    let bar = progress_bar(inputs.len(), options.progress);
    let configs = Configs::new(&options.coach);
    let results: Vec<Result<Session, Failure>> = inputs
        .into_par_iter()
        .map(|input| {
            let r = input.and_then(|i| session(i, &configs));
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    let mut sessions = Vec::new();
    let mut failures = Vec::new();
    for r in results {
        match r {
            Ok(s) => sessions.push(s),
            Err(f) => failures.push(f),
        }
    }
    Report::new(sessions, failures)
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

fn session(input: Input, configs: &Configs) -> Result<Session, Failure> {
    let (path, text, config) = match input {
        Input::File(path) => {
            let fail = |message: String| Failure {
                path: path.clone(),
                message,
            };
            let text = read_file(&path).map_err(|e| fail(e.to_string()))?;
            let config = configs
                .for_file(&path)
                .map_err(|e| fail(format!("{}: {e}", path.display())))?;
            (path, text, config)
        }
        Input::Stdin => {
            let path = PathBuf::from("-");
            let fail = |message: String| Failure {
                path: path.clone(),
                message: format!("standard input: {message}"),
            };
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| fail(e.to_string()))?;
            let text = decode(&bytes).map_err(|e| fail(e.to_string()))?;
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            let config = configs.for_dir(&cwd).map_err(|e| fail(e.to_string()))?;
            (path, text, config)
        }
    };
    let shown = path.display().to_string();
    Session::new(path.clone(), text, &config).map_err(|e| Failure {
        message: match e.line {
            Some(l) => format!("{shown}:{l}: {}", e.message),
            None => format!("{shown}: {}", e.message),
        },
        path,
    })
}

/// Configurations by the `.coachlint.toml` that governs a file, read (and
/// their rule packs compiled) once each however many transcripts share them.
struct Configs {
    coach: Vec<String>,
    cache: Mutex<ConfigMap>,
}

/// By the config file found (`None`: no file, the defaults).
type ConfigMap = HashMap<Option<PathBuf>, Result<Arc<Config>, ConfigError>>;

impl Configs {
    fn new(coach: &[String]) -> Configs {
        Configs {
            coach: coach.to_vec(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn for_file(&self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        self.get(Config::find(path))
    }

    fn for_dir(&self, dir: &Path) -> Result<Arc<Config>, ConfigError> {
        self.get(Config::find(dir))
    }

    fn get(&self, found: Option<PathBuf>) -> Result<Arc<Config>, ConfigError> {
        if let Some(c) = self.lock().get(&found) {
            return c.clone();
        }
        // Loaded outside the lock: another thread may load the same file at
        // the same time, which costs a little and changes nothing.
        let loaded = match &found {
            Some(p) => Config::load(p),
            None => Ok(Config::default()),
        }
        .and_then(|c| {
            if self.coach.is_empty() {
                Ok(c)
            } else {
                c.layered(Settings {
                    coach: self.coach.clone(),
                    ..Settings::default()
                })
            }
        })
        .map(Arc::new);
        self.lock().insert(found, loaded.clone());
        loaded
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ConfigMap> {
        // A panic elsewhere cannot leave the map half-written: take it anyway.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}
