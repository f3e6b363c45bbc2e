//! The server proper: LSP messages in, engine calls off the request path,
//! diagnostics and answers out.
//!
//! Ordering: tower-lsp-server polls each message's handler for the first time
//! in arrival order, so every handler touches the document table before its
//! first `.await`. Analyses run on the analysis thread; each is tagged with the
//! document's generation and only published, under one lock, if that is still
//! the current generation, so an older result never lands over a newer one.
//! Background analyses of one document run one at a time (its gate), so a
//! burst of edits costs one analysis of the newest text, not one per edit.

use crate::actions::{self, ConfigTarget, EditCaps};
use crate::analyst::Analyst;
use crate::config::{self, ConfigStatus, ConfigStore};
use crate::diagnostics;
use crate::document::{Analyzer, Document, Kind, Outcome, Snapshot};
use crate::hover;
use crate::position::{self, Encoding};
use crate::summary;
use crate::transport::Outbox;
use coachlint_core::TurnCache;
use coachlint_core::config::FILE_NAME;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Duration;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// Wait after a keystroke before analysing, unless configured otherwise.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(150);
/// Environment variable that sets the debounce in milliseconds (benchmarks set 0).
pub const DEBOUNCE_ENV: &str = "COACHLINT_LSP_DEBOUNCE_MS";

const WATCH_ID: &str = "coachlint-watch-config";

/// Parameters of [`summary::SESSION_SUMMARY`].
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSummaryParams {
    pub text_document: TextDocumentIdentifier,
}

/// How the server is built; tests replace the engine.
#[derive(Clone, Debug)]
pub struct Options {
    pub analyzer: Analyzer,
    /// Where diagnostics go on stdio (see [`Outbox`]); without one (in
    /// process) they go through the client.
    pub outbox: Option<Outbox>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            analyzer: coachlint_core::analyze_cached,
            outbox: None,
        }
    }
}

/// Diagnostics to publish.
enum Published<'a> {
    Snapshot(&'a Snapshot),
    List(Vec<Diagnostic>),
}

/// What the client told us at `initialize`.
#[derive(Clone, Debug, Default)]
struct Session {
    enc: Encoding,
    /// Wait after a change before analysing (settings, else the environment).
    debounce: Duration,
    /// The workspace folders, kept current by `didChangeWorkspaceFolders`.
    folders: Vec<PathBuf>,
    edit: EditCaps,
    watch_dynamic: bool,
    pull_configuration: bool,
    lens_refresh: bool,
    inlay_refresh: bool,
    /// A problem with `initializationOptions`, shown once initialized.
    init_error: Option<String>,
}

impl Session {
    /// The workspace folder a document belongs to: the innermost one holding
    /// it, else the first (for an untitled document).
    fn root(&self, doc: Option<&Path>) -> Option<PathBuf> {
        doc.and_then(|d| {
            self.folders
                .iter()
                .filter(|f| d.starts_with(f))
                .max_by_key(|f| f.components().count())
        })
        .or(self.folders.first())
        .cloned()
    }
}

/// The debounce from the environment, or the default.
fn env_debounce() -> Duration {
    std::env::var(DEBOUNCE_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .map_or(DEFAULT_DEBOUNCE, Duration::from_millis)
}

pub struct Backend {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    outbox: Option<Outbox>,
    analyzer: Analyzer,
    analyst: Analyst,
    docs: Mutex<HashMap<Uri, Document>>,
    configs: Mutex<ConfigStore>,
    session: RwLock<Session>,
    /// Held from the staleness check to the send of every publication.
    publish: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    shut_down: Arc<AtomicBool>,
}

/// Locks a mutex, even one a panicking thread left poisoned: the data is
/// still consistent (every update is a single assignment).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn unknown(uri: &Uri) -> Error {
    Error::invalid_params(format!("unknown document {}: it is not open", uri.as_str()))
}

fn file_path(uri: &Uri) -> Option<PathBuf> {
    (uri.scheme().as_str() == "file")
        .then(|| uri.to_file_path().map(|p| p.into_owned()))
        .flatten()
}

/// Analyses kept for this many documents, the most recently used; the others
/// are analysed again when asked about. Each is about 1 MB for three hours.
pub const RETAINED_ANALYSES: usize = 4;

/// Drops the analyses of the least recently used documents beyond
/// [`RETAINED_ANALYSES`] (never `keep`'s). Their diagnostics stay published.
fn evict_analyses(docs: &mut HashMap<Uri, Document>, keep: &Uri) {
    let mut held: Vec<(u64, Uri)> = docs
        .iter()
        .filter(|(u, d)| *u != keep && d.snapshot.is_some())
        .map(|(u, d)| (d.last_used, u.clone()))
        .collect();
    let over = (held.len() + 1).saturating_sub(RETAINED_ANALYSES);
    if over == 0 {
        return;
    }
    held.sort();
    for (_, u) in held.into_iter().take(over) {
        if let Some(d) = docs.get_mut(&u) {
            d.snapshot = None;
            d.cache = Arc::default();
        }
    }
}

/// The work to analyse one document generation, taken under the lock.
struct Job {
    uri: Uri,
    generation: u64,
    version: i32,
    rope: ropey::Rope,
    kind: Kind,
    config_path: Option<Option<PathBuf>>,
    doc_path: Option<PathBuf>,
    cache: Arc<Mutex<TurnCache>>,
}

enum Prepared {
    Ready(Arc<Snapshot>),
    Run(Job),
}

impl Backend {
    pub fn new(client: Client, options: Options) -> Backend {
        Backend {
            inner: Arc::new(Inner {
                client,
                outbox: options.outbox,
                analyzer: options.analyzer,
                analyst: Analyst::start(),
                docs: Mutex::default(),
                configs: Mutex::default(),
                session: RwLock::default(),
                publish: tokio::sync::Mutex::new(()),
                generation: AtomicU64::new(0),
                shut_down: Arc::new(AtomicBool::new(false)),
            }),
        }
    }

    /// Set once `shutdown` has been received.
    pub fn shut_down_flag(&self) -> Arc<AtomicBool> {
        self.inner.shut_down.clone()
    }

    /// Open documents (for tests of memory bounds).
    pub fn open_documents(&self) -> usize {
        lock(&self.inner.docs).len()
    }
}

impl Inner {
    fn session(&self) -> Session {
        self.session
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn enc(&self) -> Encoding {
        self.session
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .enc
    }

    fn next_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn current_generation(&self, uri: &Uri) -> Option<u64> {
        lock(&self.docs).get(uri).map(|d| d.generation)
    }

    /// What it takes to get the snapshot of `generation` (synchronous, so it
    /// sees the document exactly as the calling message left it).
    fn prepare(&self, uri: &Uri, generation: Option<u64>) -> Result<Prepared> {
        let mut docs = lock(&self.docs);
        let d = docs.get_mut(uri).ok_or_else(|| unknown(uri))?;
        match generation {
            Some(g) if g != d.generation => return Err(Error::content_modified()),
            Some(_) => {}
            // A request: the editor is using this document.
            None => d.last_used = self.next_generation(),
        }
        if let Some(s) = d.fresh_snapshot() {
            return Ok(Prepared::Ready(s));
        }
        Ok(Prepared::Run(Job {
            uri: uri.clone(),
            generation: d.generation,
            version: d.version,
            rope: d.rope.clone(),
            kind: d.kind,
            config_path: d.config_path.clone(),
            doc_path: file_path(uri),
            cache: d.cache.clone(),
        }))
    }

    /// Runs a job on the analysis thread and keeps its snapshot if the document
    /// has not moved on meanwhile.
    async fn run(self: &Arc<Self>, job: Job) -> Option<Arc<Snapshot>> {
        let me = self.clone();
        let root = self.session().root(job.doc_path.as_deref());
        let (uri, generation) = (job.uri.clone(), job.generation);
        let done = self
            .analyst
            .run(move || {
                let path = job.config_path.unwrap_or_else(|| {
                    job.doc_path
                        .as_deref()
                        .or(root.as_deref())
                        .and_then(config::find_config)
                });
                let (cfg, status) = lock(&me.configs).config_for(path.as_deref());
                let snap = Snapshot::analyze(
                    job.generation,
                    job.version,
                    job.rope,
                    job.kind,
                    &cfg,
                    me.analyzer,
                    &job.cache,
                );
                (Arc::new(snap), path, status)
            })
            .await;
        let Some((snap, path, status)) = done else {
            self.log(
                MessageType::ERROR,
                format!("analysis of {} failed unexpectedly", uri.as_str()),
            )
            .await;
            return None;
        };
        if let Outcome::Panicked(msg) = &snap.outcome {
            self.log(
                MessageType::ERROR,
                format!(
                    "coachlint panicked analysing {} (version {}): {msg}; the server keeps serving",
                    uri.as_str(),
                    snap.version
                ),
            )
            .await;
        }
        let old = {
            let mut docs = lock(&self.docs);
            let old = docs
                .get_mut(&uri)
                .filter(|d| d.generation == generation)
                .and_then(|d| {
                    d.config_path = Some(path);
                    d.snapshot.replace(snap.clone())
                });
            evict_analyses(&mut docs, &uri);
            old
        };
        self.analyst.discard(old);
        if let Some(s) = status {
            self.publish_config_status(s).await;
        }
        Some(snap)
    }

    /// The analysis of the document as the request sees it.
    async fn current(self: &Arc<Self>, uri: &Uri) -> Result<Arc<Snapshot>> {
        match self.prepare(uri, None)? {
            Prepared::Ready(s) => Ok(s),
            Prepared::Run(job) => self.run(job).await.ok_or_else(Error::internal_error),
        }
    }

    /// Analyses a document generation after `delay` and publishes the result
    /// unless a newer generation exists by then.
    fn schedule(self: &Arc<Self>, uri: Uri, generation: u64, delay: Duration) {
        let me = self.clone();
        tokio::spawn(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let Some(gate) = lock(&me.docs).get(&uri).map(|d| d.gate.clone()) else {
                return;
            };
            let Ok(_turn) = gate.acquire_owned().await else {
                return;
            };
            let Ok(prepared) = me.prepare(&uri, Some(generation)) else {
                return;
            };
            let snap = match prepared {
                Prepared::Ready(s) => s,
                Prepared::Run(job) => match me.run(job).await {
                    Some(s) => s,
                    None => return,
                },
            };
            let _guard = me.publish.lock().await;
            if me.current_generation(&uri) != Some(generation) {
                return;
            }
            me.publish(uri, Published::Snapshot(&snap)).await;
        });
    }

    /// Re-analyses every open transcript (after a configuration change).
    fn relint_all(self: &Arc<Self>) {
        let jobs: Vec<(Uri, u64)> = {
            let mut docs = lock(&self.docs);
            docs.iter_mut()
                .filter(|(_, d)| d.kind != Kind::Other)
                .map(|(uri, d)| {
                    d.generation = self.next_generation();
                    (uri.clone(), d.generation)
                })
                .collect()
        };
        for (uri, generation) in jobs {
            self.schedule(uri, generation, Duration::ZERO);
        }
        let s = self.session();
        let client = self.client.clone();
        tokio::spawn(async move {
            if s.lens_refresh {
                let _ = client.code_lens_refresh().await;
            }
            if s.inlay_refresh {
                let _ = client.inlay_hint_refresh().await;
            }
        });
    }

    async fn log(&self, typ: MessageType, msg: String) {
        self.client.log_message(typ, msg).await;
    }

    /// Publishes diagnostics for `uri`; the caller holds [`Inner::publish`].
    async fn publish(&self, uri: Uri, diagnostics: Published<'_>) {
        let enc = self.enc();
        let Some(outbox) = &self.outbox else {
            let (list, version) = match diagnostics {
                Published::Snapshot(s) => (diagnostics::for_snapshot(s, enc), Some(s.version)),
                Published::List(list) => (list, None),
            };
            return self.client.publish_diagnostics(uri, list, version).await;
        };
        let body = match &diagnostics {
            Published::Snapshot(s) => diagnostics::snapshot_notification(&uri, s, enc),
            Published::List(list) => diagnostics::notification(&uri, None, list, list.len()),
        };
        match body {
            Ok(body) => outbox.send(&body),
            Err(e) => {
                let msg = format!("diagnostics for {} not published: {e}", uri.as_str());
                self.log(MessageType::ERROR, msg).await;
            }
        }
    }

    /// Shows the error of a `.coachlint.toml` on the file it is in (the config
    /// or one of its rule packs), and clears it where it no longer is.
    async fn publish_config_status(&self, s: ConfigStatus) {
        let mut publish: Vec<(PathBuf, Vec<Diagnostic>)> = Vec::new();
        if let Some(e) = &s.error {
            let file = s.file_of(e);
            let text = Uri::from_file_path(&file).and_then(|u| self.text_of(&u, &file));
            self.log(
                MessageType::WARNING,
                format!("{e}; keeping the last valid configuration"),
            )
            .await;
            publish.push((
                file,
                vec![diagnostics::config_error(text.as_deref(), self.enc(), e)],
            ));
        }
        let stale = [
            Some(s.path.clone()),
            s.previous.as_ref().map(|e| s.file_of(e)),
        ];
        for file in stale.into_iter().flatten() {
            if !publish.iter().any(|(f, _)| *f == file) {
                publish.push((file, Vec::new()));
            }
        }
        let _guard = self.publish.lock().await;
        for (file, diags) in publish {
            if let Some(uri) = Uri::from_file_path(&file) {
                self.publish(uri, Published::List(diags)).await;
            }
        }
    }

    /// A configuration file's or rule pack's text: the editor's if it is
    /// open, else the disk's (read no further than such a file may be long:
    /// the error being shown may be that it is a device).
    fn text_of(&self, uri: &Uri, path: &Path) -> Option<String> {
        if let Some(d) = lock(&self.docs).get(uri) {
            return Some(d.rope.to_string());
        }
        coachlint_core::config::read_text(path, "configuration file").ok()
    }

    /// Applies editor settings (from `initializationOptions` or a change).
    fn apply_settings(self: &Arc<Self>, value: &Value) -> std::result::Result<bool, String> {
        let (settings, opts) = config::parse_settings(value)?;
        if let Some(ms) = opts.debounce_ms {
            self.session
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .debounce = Duration::from_millis(ms);
        }
        lock(&self.configs)
            .set_editor(settings)
            .map_err(|e| e.to_string())
    }

    async fn settings_changed(self: &Arc<Self>, value: Value) {
        match self.apply_settings(&value) {
            Ok(true) => {
                self.relint_all();
                let unknown = config::unknown_selectors(&lock(&self.configs));
                if !unknown.is_empty() {
                    let list = unknown
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.client
                        .show_message(
                            MessageType::WARNING,
                            format!(
                                "coachlint settings: {list} is not a rule code, name or category \
                                 of the built-in rules or of any project's rule pack read so far; \
                                 it applies only where a rule pack defines it"
                            ),
                        )
                        .await;
                }
            }
            Ok(false) => {}
            Err(e) => {
                self.client
                    .show_message(
                        MessageType::ERROR,
                        format!("coachlint settings: {e}; keeping the previous settings"),
                    )
                    .await;
            }
        }
    }

    /// The `.coachlint.toml` that a "disable in this project" action edits: the
    /// one that governs the document, else a new one at the workspace root (or
    /// next to the document when there is no workspace).
    fn config_target(&self, uri: &Uri) -> Option<ConfigTarget> {
        let governing = lock(&self.docs)
            .get(uri)
            .and_then(|d| d.config_path.clone())
            .flatten();
        let path = governing.or_else(|| {
            let doc = file_path(uri);
            let root = self.session().root(doc.as_deref());
            let dir = root.or_else(|| doc?.parent().map(Path::to_path_buf))?;
            Some(dir.join(FILE_NAME))
        })?;
        let cfg_uri = Uri::from_file_path(&path)?;
        let open = lock(&self.docs)
            .get(&cfg_uri)
            .map(|d| (d.rope.to_string(), d.version));
        let (text, version) = match open {
            Some((t, v)) => (Some(t), Some(v)),
            // Bounded: a file that cannot be a configuration gets no action.
            None => match coachlint_core::input::read_at_most(
                &path,
                coachlint_core::config::MAX_CONFIG_BYTES,
            ) {
                Ok(Ok(bytes)) => (Some(String::from_utf8(bytes).ok()?), None),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, None),
                Ok(Err(_)) | Err(_) => return None,
            },
        };
        Some(ConfigTarget {
            path,
            uri: cfg_uri,
            text,
            version,
        })
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let enc = Encoding::negotiate(
            caps.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let ws = caps.workspace.as_ref();
        let edit = ws.and_then(|w| w.workspace_edit.as_ref());
        #[allow(deprecated)]
        let folders = match &params.workspace_folders {
            Some(f) if !f.is_empty() => f.iter().filter_map(|f| file_path(&f.uri)).collect(),
            _ => params
                .root_uri
                .as_ref()
                .and_then(file_path)
                .or_else(|| params.root_path.as_ref().map(PathBuf::from))
                .into_iter()
                .collect(),
        };
        let session = Session {
            enc,
            debounce: env_debounce(),
            folders,
            edit: EditCaps {
                document_changes: edit.and_then(|e| e.document_changes).unwrap_or(false),
                create_files: edit
                    .and_then(|e| e.resource_operations.as_ref())
                    .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
            },
            watch_dynamic: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            pull_configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
            lens_refresh: ws
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            inlay_refresh: ws
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            init_error: None,
        };
        *self
            .inner
            .session
            .write()
            .unwrap_or_else(PoisonError::into_inner) = session;
        if let Some(opts) = &params.initialization_options {
            if let Err(e) = self.inner.apply_settings(opts) {
                self.inner
                    .session
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .init_error = Some(e);
            }
        }
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(enc.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        resolve_provider: Some(false),
                        ..Default::default()
                    },
                )),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                inlay_hint_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![summary::SHOW_SUMMARY.into()],
                    ..Default::default()
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "coachlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let me = self.inner.clone();
        let s = me.session();
        // Not awaited here: a client slow to answer must not hold up messages.
        tokio::spawn(async move {
            if let Some(e) = s.init_error {
                me.client
                    .show_message(
                        MessageType::ERROR,
                        format!("coachlint initializationOptions: {e}; using the defaults"),
                    )
                    .await;
            }
            if s.watch_dynamic {
                let watchers = json!({ "watchers": [{ "globPattern": "**/*.toml" }] });
                let reg = Registration {
                    id: WATCH_ID.into(),
                    method: "workspace/didChangeWatchedFiles".into(),
                    register_options: Some(watchers),
                };
                if let Err(e) = me.client.register_capability(vec![reg]).await {
                    me.log(
                        MessageType::WARNING,
                        format!("could not watch .coachlint.toml files: {e}"),
                    )
                    .await;
                }
            }
        });
    }

    async fn shutdown(&self) -> Result<()> {
        self.inner.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let td = params.text_document;
        let generation = self.inner.next_generation();
        let doc = Document::new(&td.uri, &td.text, td.version, td.language_id, generation);
        let kind = doc.kind;
        lock(&self.inner.docs).insert(td.uri.clone(), doc);
        if kind != Kind::Other {
            self.inner.schedule(td.uri, generation, Duration::ZERO);
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let enc = self.inner.enc();
        let outcome = {
            let mut docs = lock(&self.inner.docs);
            match docs.get_mut(&uri) {
                None => Err(format!(
                    "change to {} ignored: the document is not open",
                    uri.as_str()
                )),
                Some(d) => {
                    match d.apply(&params.content_changes, params.text_document.version, enc) {
                        Ok(()) => {
                            d.generation = self.inner.next_generation();
                            d.last_used = d.generation;
                            Ok((d.generation, d.kind))
                        }
                        Err(e) => Err(format!(
                            "change to {} (version {}) rejected: {e}; the document may be out of step, reopen it",
                            uri.as_str(),
                            params.text_document.version
                        )),
                    }
                }
            }
        };
        match outcome {
            Ok((generation, kind)) => {
                if kind != Kind::Other {
                    let delay = self.inner.session().debounce;
                    self.inner.schedule(uri, generation, delay);
                }
            }
            Err(msg) => self.inner.log(MessageType::ERROR, msg).await,
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // For clients that cannot watch files: saving a config is a change too.
        let path = file_path(&params.text_document.uri);
        let relevant = path
            .as_deref()
            .is_some_and(|p| lock(&self.inner.configs).is_relevant(p));
        if relevant {
            self.config_files_changed(Vec::new()).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let removed = lock(&self.inner.docs).remove(&uri);
        if removed.is_some_and(|d| d.kind != Kind::Other) {
            let _guard = self.inner.publish.lock().await;
            self.inner.publish(uri, Published::List(Vec::new())).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let me = self.inner.clone();
        let empty = match &params.settings {
            Value::Null => true,
            Value::Object(o) => o.is_empty(),
            _ => false,
        };
        if empty && me.session().pull_configuration {
            // Clients that push nothing want us to ask (LSP's pull model).
            tokio::spawn(async move {
                let item = ConfigurationItem {
                    scope_uri: None,
                    section: Some("coachlint".into()),
                };
                match me.client.configuration(vec![item]).await {
                    Ok(mut v) if !v.is_empty() => me.settings_changed(v.swap_remove(0)).await,
                    Ok(_) => {}
                    Err(e) => {
                        me.log(
                            MessageType::WARNING,
                            format!("could not fetch the settings: {e}"),
                        )
                        .await
                    }
                }
            });
        } else {
            me.settings_changed(params.settings).await;
        }
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let me = &self.inner;
        {
            let mut s = me.session.write().unwrap_or_else(PoisonError::into_inner);
            let gone: Vec<PathBuf> = params
                .event
                .removed
                .iter()
                .filter_map(|f| file_path(&f.uri))
                .collect();
            s.folders.retain(|f| !gone.contains(f));
            for f in params.event.added.iter().filter_map(|f| file_path(&f.uri)) {
                if !s.folders.contains(&f) {
                    s.folders.push(f);
                }
            }
        }
        // Documents with no file of their own take the configuration of the
        // workspace: look it up again.
        for (uri, d) in lock(&me.docs).iter_mut() {
            if file_path(uri).is_none() {
                d.config_path = None;
            }
        }
        me.relint_all();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let (relevant, deleted) = {
            let configs = lock(&self.inner.configs);
            let mut relevant = false;
            let mut deleted = Vec::new();
            for c in &params.changes {
                let Some(path) = file_path(&c.uri).filter(|p| configs.is_relevant(p)) else {
                    continue;
                };
                relevant = true;
                if c.typ == FileChangeType::DELETED {
                    deleted.push((c.uri.clone(), path));
                }
            }
            (relevant, deleted)
        };
        if relevant {
            self.config_files_changed(deleted).await;
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let tdp = params.text_document_position_params;
        let snap = self.inner.current(&tdp.text_document.uri).await?;
        let enc = self.inner.enc();
        let offset = position::offset(&snap.rope, enc, tdp.position)
            .map_err(|e| Error::invalid_params(e.to_string()))?;
        Ok(hover::hover(&snap, enc, offset))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        if let Some(only) = &params.context.only {
            let wanted = only.iter().any(|k| {
                let k = k.as_str();
                k.is_empty() || CodeActionKind::QUICKFIX.as_str().starts_with(k)
            });
            if !wanted {
                return Ok(Some(Vec::new()));
            }
        }
        let uri = params.text_document.uri;
        let snap = self.inner.current(&uri).await?;
        let s = self.inner.session();
        let range = position::span(&snap.rope, s.enc, params.range)
            .map_err(|e| Error::invalid_params(e.to_string()))?;
        let target = self.inner.config_target(&uri);
        let ctx = actions::Ctx {
            uri: &uri,
            snapshot: &snap,
            enc: s.enc,
            caps: s.edit,
            config: target.as_ref(),
        };
        Ok(Some(actions::code_actions(&ctx, range)))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let snap = self.inner.current(&uri).await?;
        Ok(Some(summary::code_lenses(&snap, self.inner.enc(), &uri)))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let snap = self.inner.current(&params.text_document.uri).await?;
        let enc = self.inner.enc();
        let range = position::span(&snap.rope, enc, params.range)
            .map_err(|e| Error::invalid_params(e.to_string()))?;
        Ok(Some(summary::inlay_hints(&snap, enc, range)))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let snap = self.inner.current(&params.text_document.uri).await?;
        Ok(Some(DocumentSymbolResponse::Nested(
            summary::document_symbols(&snap, self.inner.enc()),
        )))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if params.command != summary::SHOW_SUMMARY {
            return Err(Error::invalid_params(format!(
                "unknown command `{}`",
                params.command
            )));
        }
        let uri: Uri = params
            .arguments
            .first()
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| Error::invalid_params("expected the document URI as argument"))?;
        let snap = self.inner.current(&uri).await?;
        let message = match snap.analysis() {
            Some(a) => summary::session_message(a),
            None => "coachlint: this document is not a transcript".into(),
        };
        self.inner
            .client
            .show_message(MessageType::INFO, message.clone())
            .await;
        Ok(Some(Value::String(message)))
    }
}

impl Backend {
    /// Answers the stand-in of a malformed message with its error.
    pub async fn malformed(&self, params: crate::transport::MalformedParams) -> Result<()> {
        Err(crate::transport::malformed_error(params))
    }

    /// `coachlint/sessionSummary`: the session's figures for editors to show
    /// (a status bar, say); `null` for a document that is not a transcript.
    pub async fn session_summary(&self, params: SessionSummaryParams) -> Result<Option<Value>> {
        let snap = self.inner.current(&params.text_document.uri).await?;
        Ok(snap.analysis().map(summary::session_json))
    }

    /// Config files changed (or were saved): read them again, update their
    /// diagnostics, and re-lint every open transcript.
    async fn config_files_changed(&self, deleted: Vec<(Uri, PathBuf)>) {
        let cleared: Vec<Uri> = {
            let mut configs = lock(&self.inner.configs);
            let cleared = deleted
                .into_iter()
                .filter(|(_, p)| configs.forget(p))
                .map(|(u, _)| u)
                .collect();
            configs.invalidate();
            cleared
        };
        for d in lock(&self.inner.docs).values_mut() {
            d.config_path = None;
        }
        for uri in cleared {
            let _guard = self.inner.publish.lock().await;
            self.inner.publish(uri, Published::List(Vec::new())).await;
        }
        self.inner.relint_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coachlint_core::Config;

    #[test]
    fn only_the_most_recently_used_analyses_are_kept() {
        let mut docs = HashMap::new();
        let uri = |i: usize| -> Uri { format!("file:///d/{i}.transcript").parse().unwrap() };
        for i in 0..12 {
            let mut d = Document::new(&uri(i), "", 1, "x".into(), i as u64);
            d.snapshot = Some(Arc::new(Snapshot::analyze(
                i as u64,
                1,
                ropey::Rope::new(),
                Kind::Other,
                &Config::default(),
                coachlint_core::analyze_cached,
                &Default::default(),
            )));
            docs.insert(uri(i), d);
        }
        // The oldest is the one just analysed: it stays all the same.
        evict_analyses(&mut docs, &uri(0));
        let kept: Vec<usize> = (0..12)
            .filter(|&i| docs[&uri(i)].snapshot.is_some())
            .collect();
        assert_eq!(kept, [0, 9, 10, 11]);
        assert_eq!(kept.len(), RETAINED_ANALYSES);
    }
}
