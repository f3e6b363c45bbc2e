//! Open documents: their text in a rope, kept in step with the editor through
//! incremental changes, and the latest analysis of it.

use crate::position::{self, Encoding, OutOfRange};
use coachlint_core::{Analysis, Config, ParseError, TurnCache};
use ropey::Rope;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

/// The engine entry point; a field so tests can put a failing one in its place.
/// The cache keeps the work on turns an edit did not touch.
pub type Analyzer = fn(&str, &Config, &mut TurnCache) -> Result<Analysis, ParseError>;

/// Whether and how a document is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The native `coaching-transcript` language or a `*.transcript` file: always
    /// checked, and a text that is not a transcript says why.
    Native,
    /// VTT, SRT, Otter, Rev or plain text: checked when the content looks like a
    /// transcript, silently left alone when it does not.
    Candidate,
    /// Anything else the editor sends (the config file, say): never checked.
    Other,
}

impl Kind {
    pub fn of(language_id: &str, uri: &Uri) -> Kind {
        let path = uri.path().as_str().to_ascii_lowercase();
        let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
        if path.ends_with(coachlint_core::config::FILE_NAME) {
            return Kind::Other;
        }
        match (language_id, ext) {
            ("coaching-transcript", _) | (_, "transcript") => Kind::Native,
            ("plaintext" | "text" | "vtt" | "webvtt" | "srt" | "subrip", _)
            | (_, "vtt" | "srt" | "txt") => Kind::Candidate,
            _ => Kind::Other,
        }
    }
}

/// What the engine made of one version of a document.
#[derive(Debug)]
pub enum Outcome {
    Analysis(Box<Analysis>),
    /// A candidate that does not look like a transcript: no findings.
    NotTranscript,
    /// A native document the engine could not read.
    Unreadable(ParseError),
    /// The engine panicked; the message is logged to the client.
    Panicked(String),
}

/// An analysed version of a document. The rope is a cheap clone of the text the
/// analysis ran on, so its offsets convert exactly even after later edits.
#[derive(Debug)]
pub struct Snapshot {
    /// The [`Document::generation`] it was made for.
    pub generation: u64,
    pub version: i32,
    pub rope: Rope,
    pub outcome: Outcome,
}

impl Snapshot {
    pub fn analysis(&self) -> Option<&Analysis> {
        match &self.outcome {
            Outcome::Analysis(a) => Some(a),
            _ => None,
        }
    }

    /// Analyses `rope` under `config`. A panic in the engine is caught here and
    /// becomes [`Outcome::Panicked`]: one bad document must not stop the server.
    pub fn analyze(
        generation: u64,
        version: i32,
        rope: Rope,
        kind: Kind,
        config: &Config,
        analyzer: Analyzer,
        cache: &Mutex<TurnCache>,
    ) -> Snapshot {
        let outcome = if kind == Kind::Other {
            Outcome::NotTranscript
        } else {
            let text = rope.to_string();
            let run = || {
                if kind == Kind::Candidate && !coachlint_core::formats::looks_like_transcript(&text)
                {
                    return Outcome::NotTranscript;
                }
                let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
                match analyzer(&text, config, &mut cache) {
                    Ok(a) => Outcome::Analysis(Box::new(a)),
                    Err(_) if kind == Kind::Candidate => Outcome::NotTranscript,
                    Err(e) => Outcome::Unreadable(e),
                }
            };
            catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|p| {
                // A panic may have left the cache half updated.
                *cache.lock().unwrap_or_else(PoisonError::into_inner) = TurnCache::default();
                cache.clear_poison();
                let msg = p
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                Outcome::Panicked(msg)
            })
        };
        Snapshot {
            generation,
            version,
            rope,
            outcome,
        }
    }
}

/// An open document.
#[derive(Debug)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub language_id: String,
    pub kind: Kind,
    /// Bumped (from one counter for all documents) on every change of text or
    /// configuration; results made for another generation are stale.
    pub generation: u64,
    /// The latest analysis, possibly of an older generation.
    pub snapshot: Option<Arc<Snapshot>>,
    /// The `.coachlint.toml` that governs it: `None` until looked up, then
    /// `Some(None)` when there is none.
    pub config_path: Option<Option<PathBuf>>,
    /// One background analysis at a time per document: while one runs, the
    /// edits that arrive queue here and only the newest is analysed next.
    pub gate: Arc<tokio::sync::Semaphore>,
    /// When the editor last changed or asked about it (a server-wide tick),
    /// to keep the analyses of the documents in use.
    pub last_used: u64,
    /// The engine's per-turn work on the latest analysis, reused by the next.
    pub cache: Arc<Mutex<TurnCache>>,
}

impl Document {
    pub fn new(uri: &Uri, text: &str, version: i32, language_id: String, generation: u64) -> Self {
        Document {
            rope: Rope::from_str(text),
            version,
            kind: Kind::of(&language_id, uri),
            language_id,
            generation,
            snapshot: None,
            config_path: None,
            gate: Arc::new(tokio::sync::Semaphore::new(1)),
            last_used: generation,
            cache: Arc::default(),
        }
    }

    /// Applies the changes of one `didChange`, in order, all or nothing.
    pub fn apply(
        &mut self,
        changes: &[TextDocumentContentChangeEvent],
        version: i32,
        enc: Encoding,
    ) -> Result<(), OutOfRange> {
        // Cloning a rope is O(1); a bad change leaves the document untouched.
        let mut rope = self.rope.clone();
        for change in changes {
            apply_change(&mut rope, change, enc)?;
        }
        self.rope = rope;
        self.version = version;
        Ok(())
    }

    /// The current snapshot if it is of the current generation.
    pub fn fresh_snapshot(&self) -> Option<Arc<Snapshot>> {
        self.snapshot
            .as_ref()
            .filter(|s| s.generation == self.generation)
            .cloned()
    }
}

/// Applies one content change to a rope.
pub fn apply_change(
    rope: &mut Rope,
    change: &TextDocumentContentChangeEvent,
    enc: Encoding,
) -> Result<(), OutOfRange> {
    let Some(range) = change.range else {
        *rope = Rope::from_str(&change.text);
        return Ok(());
    };
    let start = position::char_index(rope, enc, range.start)?;
    let end = position::char_index(rope, enc, range.end)?;
    if end < start {
        return Err(OutOfRange {
            position: range.end,
            lines: rope.len_lines(),
        });
    }
    rope.remove(start..end);
    rope.insert(start, &change.text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    fn change(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn kinds_follow_language_and_extension() {
        let u = uri("file:///s/a.transcript");
        assert_eq!(Kind::of("plaintext", &u), Kind::Native);
        assert_eq!(
            Kind::of("coaching-transcript", &uri("untitled:Untitled-1")),
            Kind::Native
        );
        assert_eq!(
            Kind::of("plaintext", &uri("file:///s/a.txt")),
            Kind::Candidate
        );
        assert_eq!(Kind::of("vtt", &uri("file:///s/a.VTT")), Kind::Candidate);
        assert_eq!(Kind::of("rust", &uri("file:///s/a.rs")), Kind::Other);
        assert_eq!(
            Kind::of("toml", &uri("file:///s/.coachlint.toml")),
            Kind::Other
        );
    }

    #[test]
    fn changes_apply_in_order_and_all_or_nothing() {
        let u = uri("file:///a.transcript");
        let mut d = Document::new(&u, "Coach: 🙂 hi\nClient: yo\n", 1, "x".into(), 1);
        d.apply(
            &[change(0, 10, 0, 12, "there"), change(1, 0, 1, 0, "你 ")],
            2,
            Encoding::Utf16,
        )
        .unwrap();
        assert_eq!(d.rope.to_string(), "Coach: 🙂 there\n你 Client: yo\n");
        assert_eq!(d.version, 2);
        let bad = d.apply(
            &[change(0, 0, 0, 5, "Maya"), change(9, 0, 9, 1, "x")],
            3,
            Encoding::Utf16,
        );
        assert!(bad.is_err());
        assert_eq!(d.rope.to_string(), "Coach: 🙂 there\n你 Client: yo\n");
        assert_eq!(d.version, 2);
    }

    #[test]
    fn a_panicking_engine_becomes_an_outcome() {
        fn boom(text: &str, c: &Config, cache: &mut TurnCache) -> Result<Analysis, ParseError> {
            coachlint_core::analyze_cached(text, c, cache)?;
            panic!("engine bug")
        }
        let cache = Mutex::default();
        let text = "Coach: You should rest.\nClient: ok\n";
        let s = Snapshot::analyze(
            1,
            1,
            Rope::from_str(text),
            Kind::Native,
            &Config::default(),
            boom,
            &cache,
        );
        assert!(matches!(&s.outcome, Outcome::Panicked(m) if m == "engine bug"));
        // The cache the panic left behind is emptied: the next analysis starts afresh.
        let s = Snapshot::analyze(
            2,
            1,
            Rope::from_str(text),
            Kind::Native,
            &Config::default(),
            coachlint_core::analyze_cached,
            &cache,
        );
        assert_eq!(cache.lock().unwrap().reused, 0);
        assert_eq!(s.analysis().unwrap().findings.len(), 1);
    }
}
